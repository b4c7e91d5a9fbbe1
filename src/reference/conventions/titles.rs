//! Where a title begins and ends, and which part of an entry is its title.

use std::ops::Range;

use super::{capitalised, first_run, opening_run_without_title, relabel, venue_or_other};
use crate::reference::label::Label;
use crate::reference::names::{is_conjunction, is_editor_word, is_organisation, is_particle};
use crate::reference::tagger::is_single_capital;
use crate::reference::tokenize::Token;

/// IEEE, MLA 9 and Chicago 17 put an article's title in quotation marks ("P. Yang and J. H. Chern,
/// “Design for reliability,” Proc. IEEE"): a quoted title begins with its quotation; author words
/// the tagger ran into the title before the opening quotation mark stay the authors'.
pub(super) fn start_title_at_quote(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    if start == 0 || labels[start - 1] != Label::Author {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let opens = |w: &str| matches!(w, "“" | "«" | "„" | "\"");
    let Some(open) = (start + 1..(start + 6).min(end)).find(|&i| opens(word(i))) else {
        return;
    };
    let closes = |w: &str| matches!(w, "”" | "»" | "“" | "\"");
    let closed = (open + 2..(end + 2).min(tokens.len())).any(|i| closes(word(i)));
    // Only name material before the quotation: capitalised words and the marks between names.
    let name_part = |i: usize| {
        let w = word(i);
        matches!(w, "," | "." | ")")
            || w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1
    };
    let named = (0..start).any(|i| labels[i] == Label::Author && name_part(i));
    if closed && named && (start..open).all(name_part) {
        relabel(labels, start..open, Label::Author);
    }
}

/// IEEE, MLA 9 and Chicago 17: a quoted title ends with its quotation ("“Speaker verification,”
/// Digital signal processing"). The tagger's title tokens after it are the venue when the entry has
/// none, else left out.
pub(super) fn end_title_at_quote(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    // The marks that close the quotation, and the one that opens a quotation nested in it with
    // the same marks ("« La « société civile » dans … »").
    let (closes, nests): (&[&str], &str) = match (word(start), start.checked_sub(1).map(word)) {
        ("“" | "„", _) | (_, Some("“" | "„")) => (&["”", "“"], "„"),
        ("\"", _) | (_, Some("\"")) => (&["\""], ""),
        ("«", _) | (_, Some("«")) => (&["»"], "«"),
        ("‘", _) | (_, Some("‘")) => (&["’"], "‘"),
        ("`", _) | (_, Some("`")) => (&["'"], "`"),
        _ => return,
    };
    let first = if word(start).chars().any(char::is_alphanumeric) {
        start
    } else {
        start + 1
    };
    let mut depth = 0;
    let Some(close) = (first..end).find(|&i| {
        if word(i) == nests {
            depth += 1;
        } else if closes.contains(&word(i)) {
            if depth == 0 {
                return true;
            }
            depth -= 1;
        }
        false
    }) else {
        return;
    };
    if !(first..close).any(|i| word(i).chars().any(char::is_alphanumeric)) {
        return;
    }
    relabel(labels, close + 1..end, venue_or_other(labels));
}

/// APA 7, Chicago 17 and Harvard ("Title. In Book title") and Vancouver/NLM ("Title. In: Editors.
/// Book title"): a chapter's or a paper's title ends where "In" opens the book or proceedings that
/// contain it; the tagger's title tokens from there are the venue when the entry has none.
pub(super) fn end_title_at_in(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let opens_book = |i: usize| {
        let after_stop = matches!(word(i - 1), "." | "?" | "!" | "’" | "”" | "\"");
        let colon = i + 1 < tokens.len() && word(i + 1) == ":";
        (word(i) == "In" && (after_stop || colon)) || (word(i) == "in" && colon)
    };
    if let Some(at) = (start + 2..end).find(|&i| opens_book(i)) {
        relabel(labels, at..end, venue_or_other(labels));
    }
}

/// APA 7 and Vancouver/NLM write a title as one element, with its own abbreviations kept
/// ("Comparison of drug A vs. drug B", "Chromobacterium haemolyticum sp. nov."): tokens the tagger
/// left as other between two runs of the title are the title's.
pub(super) fn title_through_gaps(labels: &mut [Label]) {
    let (title, other) = (Label::Title, Label::Other);
    let Some(first) = first_run(labels, title) else {
        return;
    };
    let mut i = first.end;
    while i < labels.len() && labels[i] == other {
        i += 1;
    }
    if i > first.end && i < labels.len() && labels[i] == title {
        relabel(labels, first.end..i, title);
    }
}

/// Chicago 17 ("Adolf Hitler, Mein Kampf, trans. James Vincent Murphy (London: …)", "Homo
/// Academicus, Peter Collier (trans.)") and MLA 9 ("Translated by"), and their German and French
/// forms ("Übersetzt von", "trad. fr. par"): a title or a book ends where its translator is named;
/// the translator is neither. So does a title before its editor named with "(ed.)" after a comma
/// ("Oeuvres complètes, Y.-G. Le Dantec (ed.)").
pub(super) fn title_ends_at_translator(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let is = |i: usize, w: &str| word(i).eq_ignore_ascii_case(w);
    // "trans." / "transl." / "trad.", or "translated by", "trad. fr. par", "übersetzt von".
    let by = |i: usize| (i + 1..i + 4).any(|j| is(j, "by") || is(j, "par") || is(j, "von"));
    let names_translator = |i: usize| {
        if is(i, "trans") || is(i, "transl") {
            word(i + 1) == "."
        } else if is(i, "trad") {
            word(i + 1) == "." || by(i)
        } else {
            let verbs = [
                "translated",
                "traduit",
                "übersetzt",
                "Übersetzt",
                "ubersetzt",
            ];
            verbs.iter().any(|v| is(i, v)) && by(i)
        }
    };
    let other = Label::Other;
    for part in [Label::Title, Label::Venue] {
        let Some(Range { start, end }) = first_run(labels, part) else {
            continue;
        };
        if let Some(at) =
            (start + 2..end).find(|&i| matches!(word(i - 1), "," | ".") && names_translator(i))
        {
            relabel(labels, at - 1..end, other);
            continue;
        }
        // Names between the title's last comma and the role in parentheses right after it: a
        // translator's, or an editor's ("Oeuvres complètes, Y.-G. Le Dantec (ed.)").
        let translator = word(end + 1)
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("trans"));
        let editor = is_editor_word(&word(end + 1).to_lowercase());
        if part != Label::Title || word(end) != "(" || !(translator || editor) {
            continue;
        }
        let Some(comma) = (start + 1..end).rev().find(|&i| word(i) == ",") else {
            continue;
        };
        let names = comma + 1..end;
        let name_word = |i: usize| {
            capitalised(word(i))
                || is_single_capital(word(i))
                || is_particle(word(i))
                || matches!(word(i), "." | "-" | "and" | "&")
        };
        if (2..=8).contains(&names.len()) && names.clone().all(name_word) {
            relabel(labels, comma..end, other);
            if editor {
                relabel(labels, names, Label::Editor);
            }
        }
    }
}

/// APA 7: a work without authors is cited by its title, in the authors' place ("Good chemistry.
/// (1996, September). Wake Forest University Magazine, 44(1)"). In an entry without a title whose
/// first part, read as authors and followed by the date, holds a lowercase word that no name has
/// (not a particle, "and", "et al.") and that names no organisation ("U.S. Department of Veterans
/// Affairs"), that part is the title.
pub(super) fn untitled_words_before_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = opening_run_without_title(labels, Label::Author) else {
        return;
    };
    if labels.get(run.end) != Some(&Label::Date) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let common = |i: usize| {
        let w = word(i);
        w.chars().next().is_some_and(char::is_lowercase)
            && w.chars().all(char::is_alphabetic)
            && !is_particle(w)
            && !is_conjunction(w)
            && !matches!(w, "et" | "al" | "y" | "e")
            && !is_editor_word(w)
    };
    let words: Vec<&str> = run.clone().map(word).collect();
    if run.clone().any(common) && !is_organisation(&words) {
        relabel(labels, run, Label::Title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::clean_title;
    use crate::reference::conventions::tests::{assert_left_alone, assert_mends, tagged, token_at};
    use crate::reference::tokenize::tokenize;

    #[test]
    fn a_title_runs_through_a_gap_the_tagger_left() {
        let (t, o, v) = (Label::Title, Label::Other, Label::Venue);
        let mut labels = vec![t, t, o, o, t, t, v];
        title_through_gaps(&mut labels);
        assert_eq!(labels, [t, t, t, t, t, t, v]);
        // A gap that does not end in the title is left alone.
        let mut labels = vec![t, t, o, v, t];
        title_through_gaps(&mut labels);
        assert_eq!(labels, [t, t, o, v, t]);
    }

    #[test]
    fn a_quoted_title_begins_with_its_quotation() {
        let text = "P. Yang and J. H. Chern \"Design for Reliability,\" Proc. IEEE, 1993.";
        // The tagger ran the last surname into the title.
        let (tokens, mut labels) = tagged(text, "Chern", Label::Author, Label::Title);
        start_title_at_quote(text, &tokens, &mut labels);
        let chern = token_at(text, &tokens, "Chern");
        assert_eq!(labels[chern], Label::Author);
        assert_eq!(labels[chern + 1], Label::Title);
        // Title words before a quotation inside the title stay in the title.
        let text = "Smith, J. Sonnets from “The Trophies” of Hérédia. San Francisco, 1906.";
        assert_left_alone(
            start_title_at_quote,
            text,
            "Sonnets",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_quoted_title_ends_with_its_quotation() {
        // (entry, the title's first and last words as the tagger saw them, venue after the quote)
        for (text, expected_title, expected_venue) in [
            (
                "“Speaker verification,” Digital signal processing, 2000.",
                "Speaker verification",
                Some("Digital signal processing"),
            ),
            (
                "\"Telnet Encryption Option,\" Internet-Draft, 1991.",
                "Telnet Encryption Option",
                Some("Internet-Draft"),
            ),
            (
                "``Telnet Encryption Option,'' Internet-Draft, 1991.",
                "Telnet Encryption Option",
                Some("Internet-Draft"),
            ),
            (
                "«Dividends, Earnings». The Review, 1959.",
                "Dividends, Earnings",
                Some("The Review"),
            ),
            (
                "‘The children’s voices’, Government, 2015.",
                "The children’s voices",
                Some("Government"),
            ),
            // A quotation nested in the title's, with the same marks, does not end it.
            (
                "« La « société civile » dans l’Europe », Actes, 2007.",
                "La « société civile » dans l’Europe",
                Some("Actes"),
            ),
            (
                "‘Potential of the ‘Arab Spring’: Some Observations’, Government, 2015.",
                "Potential of the ‘Arab Spring’: Some Observations",
                Some("Government"),
            ),
            // Not quoted at the start: a quotation inside the title stays.
            (
                "Into the “Ecclesial” Notions, 2001.",
                "Into the “Ecclesial” Notions",
                None,
            ),
        ] {
            let tokens = tokenize(text);
            // The tagger's title: every token up to the comma before the year.
            let last = tokens
                .iter()
                .rposition(|t| &text[t.span.clone()] == ",")
                .unwrap();
            let mut labels: Vec<Label> = (0..tokens.len())
                .map(|i| if i < last { Label::Title } else { Label::Date })
                .collect();
            end_title_at_quote(text, &tokens, &mut labels);
            let text_of = |label: Label| -> Option<String> {
                let run = first_run(&labels, label)?;
                Some(clean_title(
                    &text[tokens[run.start].span.start..tokens[run.end - 1].span.end],
                ))
            };
            assert_eq!(
                text_of(Label::Title).as_deref(),
                Some(expected_title),
                "{text}"
            );
            assert_eq!(text_of(Label::Venue).as_deref(), expected_venue, "{text}");
        }
    }

    #[test]
    fn a_title_ends_where_in_opens_the_book() {
        for (text, title_end, place) in [
            ("Adaptive co-management. In Adaptive Co-management: Collaboration. Vancouver, 2007.", "In", "Vancouver"),
            ("Liturgie u Husa, in: Studie a texty. Praha, 1966.", "in", "Praha"),
        ] {
            let (tokens, mut labels) = tagged(text, place, Label::Title, Label::Location);
            end_title_at_in(text, &tokens, &mut labels);
            let at = token_at(text, &tokens, title_end);
            assert!(labels[..at].iter().all(|&l| l == Label::Title), "{text}");
            assert_eq!(labels[at], Label::Venue, "{text}");
        }
        // "In" inside a title is not a book: "The Day In Court".
        let text = "The Day In Court. Boston, 2001.";
        assert_left_alone(
            end_title_at_in,
            text,
            "Boston",
            Label::Title,
            Label::Location,
        );
    }

    #[test]
    fn a_work_without_authors_is_cited_by_its_title() {
        assert_mends(
            untitled_words_before_date,
            &[
                // Good chemistry . | ( 1996 , September ) . | Wake Forest
                (
                    "Good chemistry. (1996, September). Wake Forest",
                    "aaa dddddd vv",
                    "ttt dddddd vv",
                ),
                // Names, particles, "et al." and organisations stay the authors'.
                (
                    "van der Berg, J. et al. (1996). Wake Forest",
                    "aaaaaaaaa dddd vv",
                    "aaaaaaaaa dddd vv",
                ),
                (
                    "U.S. Department of Veterans Affairs. (n.d.). Report",
                    "aaaaaaaaa ddddddd v",
                    "aaaaaaaaa ddddddd v",
                ),
                (
                    "Department of Veterans Affairs. (1999). Wake",
                    "aaaaa dddd v",
                    "aaaaa dddd v",
                ),
            ],
        );
    }

    #[test]
    fn a_title_ends_where_its_editor_is_named() {
        assert_mends(
            title_ends_at_translator,
            &[
                // Oeuvres complètes , Y . - G . Le Dantec | ( ed . ) | ( Paris
                (
                    "Oeuvres complètes, Y.-G. Le Dantec (ed.) (Paris",
                    "tttttttttt eeee ll",
                    "ttoeeeeeee eeee ll",
                ),
                // Not words that are no names: "Essays, Letters to Friends (ed.)".
                (
                    "Essays, letters to friends (ed.) (Paris",
                    "ttttt eeee ll",
                    "ttttt eeee ll",
                ),
            ],
        );
    }

    #[test]
    fn a_title_ends_where_its_translator_is_named() {
        assert_mends(
            title_ends_at_translator,
            &[
                // Hitler A , | Mein Kampf , trans . James Murphy | ( London , | 1938 ) .
                (
                    "Hitler A, Mein Kampf, trans. James Murphy (London, 1938).",
                    "aaa ttttttt lll ddd",
                    "aaa ttooooo lll ddd",
                ),
                // Bourdieu P , | Homo Academicus , Peter Collier | ( trans . ) .
                (
                    "Bourdieu P, Homo Academicus, Peter Collier (trans.).",
                    "aaa ttttt ooooo",
                    "aaa ttooo ooooo",
                ),
                // in Œuvres II , Trad fr . par Maurice Gandillac . | Paris
                (
                    "in Œuvres II, Trad fr. par Maurice Gandillac. Paris",
                    "vvvvvvvvvvv l",
                    "vvvoooooooo l",
                ),
                // "Trans." of a journal's name, and "translated" inside a title, stay.
                (
                    "Smith J. Notes. Trans. Amer. Math. Soc. 347",
                    "aaattvvvvvvvvd",
                    "aaattvvvvvvvvd",
                ),
                (
                    "Smith J. Poems translated from Greek. 1999.",
                    "aaatttttdd",
                    "aaatttttdd",
                ),
                (
                    "Smith J. Poems translated by Ann. 1999.",
                    "aaatttttdd",
                    "aaatttttdd",
                ),
            ],
        );
    }
}
