//! Tests of raised citation numbers ("Song¹", "85%¹²", "trial¹–³" set in separate runs) and
//! footnote marks.

use super::*;

/// Runs laid left to right: (text, raised). Body text is 10 points, raised text 6.
fn runs(parts: &[(&str, bool)]) -> Vec<Run> {
    let mut x = 50.0;
    parts
        .iter()
        .map(|&(text, raised)| {
            let size = if raised { 6.0 } else { 10.0 };
            let baseline = if raised { 96.0 } else { 100.0 };
            let width = 0.5 * size * text.chars().count() as f32;
            let run = Run {
                text: text.into(),
                x0: x,
                y0: baseline - 0.8 * size,
                x1: x + width,
                y1: baseline + 0.2 * size,
                baseline,
                font_size: size,
                font_name: "Body".into(),
                bold: false,
                italic: false,
                joined: raised,
                upright: true,
            };
            x += width + if raised { 0.0 } else { 3.0 };
            run
        })
        .collect()
}

fn text_of(parts: &[(&str, bool)]) -> String {
    let runs = runs(parts);
    let refs: Vec<&Run> = runs.iter().collect();
    make_line(0, &refs).text
}

#[test]
fn raised_numbers_are_citations() {
    let cases: [(&[(&str, bool)], &str); 7] = [
        (
            &[("as shown", false), ("1", true), ("before", false)],
            "as shown[1] before",
        ),
        (
            &[("disease.", false), ("2,3", true), ("Then", false)],
            "disease.[2,3] Then",
        ),
        // After a percentage and a closing quote.
        (
            &[("in 85%", false), ("12", true), ("of", false)],
            "in 85%[12] of",
        ),
        (
            &[("called “frailty”", false), ("4", true), ("here", false)],
            "called “frailty”[4] here",
        ),
        // One citation set in several raised runs.
        (
            &[
                ("trials", false),
                ("1", true),
                ("–", true),
                ("3", true),
                ("and", false),
            ],
            "trials[1–3] and",
        ),
        (
            &[("trials", false), ("1,", true), ("5", true), ("and", false)],
            "trials[1,5] and",
        ),
        // A list cut by the line's end closes without its separator.
        (&[("trials", false), ("7,", true)], "trials[7]"),
    ];
    for (parts, want) in cases {
        assert_eq!(text_of(parts), want);
    }
}

#[test]
fn raised_numbers_after_numbers_stay_exponents() {
    let text = text_of(&[("10", false), ("5", true), ("cells", false)]);
    assert!(!text.contains('['), "{text}");
}

#[test]
fn raised_letters_after_words_are_footnote_marks() {
    assert_eq!(text_of(&[("Death", false), ("a", true)]), "Death a");
    assert_eq!(
        text_of(&[("Life Impact", false), ("b", true), ("This core", false)]),
        "Life Impact b This core"
    );
    // After a number, raised letters are an ordinal.
    assert_eq!(text_of(&[("the 18", false), ("th", true)]), "the 18th");
}
