//! Numbers and dates: the volume, its issue, the pages and the year.

use std::ops::Range;

use super::{capitalised, first_run, relabel, run_from};
use crate::reference::is_page_range;
use crate::reference::label::Label;
use crate::reference::tagger::{is_volume_marker, year_like};
use crate::reference::tokenize::Token;

/// BioMed Central's journal style writes the year between the journal and the volume ("Am J
/// Psychiatry 2018, 175:150–158"): a year that ends the venue, right before the volume, is the date
/// of an entry that has no other.
pub(super) fn year_between_venue_and_volume(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (venue, date, volume) = (Label::Venue, Label::Date, Label::Volume);
    let Some(Range { start, end }) = first_run(labels, venue) else {
        return;
    };
    if labels.contains(&date) || labels.get(end) != Some(&volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let last = (start..end)
        .rev()
        .find(|&i| word(i).chars().any(char::is_alphanumeric));
    if let Some(last) = last.filter(|&i| i > start && year_like(word(i))) {
        relabel(labels, last..end, date);
    }
}

/// IEEE ("vol. 416") and Chicago 17 ("Vol. 416", "vols. 12–15"): a volume marker precedes its
/// number; when the tagger labelled only the marker as the volume and the number right after it as
/// pages, the number is the volume's.
pub(super) fn volume_number_after_marker(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (volume, pages) = (Label::Volume, Label::Pages);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    let marker = |i: usize| {
        let w = &raw[tokens[i].span.clone()];
        !w.chars().any(char::is_alphanumeric) || is_volume_marker(&w.to_lowercase())
    };
    if run.clone().all(marker) && labels.get(run.end) == Some(&pages) {
        relabel(labels, run_from(labels, run.end), volume);
    }
}

/// APA 7 writes the issue in parentheses after the volume ("(1983). … Science, 220(4598), 671-680",
/// also with a space): a number in parentheses right after the volume is its issue, not a second
/// date, when the entry's date came before.
pub(super) fn issue_read_as_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (date, volume) = (Label::Date, Label::Volume);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    if labels.get(run.end) != Some(&date) || !labels[..run.start].contains(&date) {
        return;
    }
    let issue = run_from(labels, run.end);
    let words: Vec<&str> = issue
        .clone()
        .map(|i| &raw[tokens[i].span.clone()])
        .collect();
    if let ["(", number, ")", ..] = words[..] {
        if number.bytes().all(|b| b.is_ascii_digit()) {
            relabel(labels, issue.start..issue.start + 3, volume);
        }
    }
}

/// Elsevier's numbered style writes the pages after the year in parentheses ("[1] J.M. Raser, E.K.
/// O'Shea, Noise in gene expression, Science 309 (2005) 2010–2013."): a page number or range the
/// tagger ran into that date is the pages.
pub(super) fn pages_after_parenthesised_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let pages = Label::Pages;
    let Some(run) = first_run(labels, Label::Date) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let Some(close) = run.clone().skip(2).find(|&i| word(i) == ")") else {
        return;
    };
    let after = close + 1;
    if word(close - 2) == "("
        && year_like(word(close - 1))
        && after < run.end
        && is_page_range(word(after))
        && !labels.contains(&pages)
    {
        relabel(labels, after..after + 1, pages);
    }
}

/// BibTeX's standard styles (plain, abbrv, alpha, used by most computer-science lists) spell the
/// page marker out: "pages 992--996", "page 346" ("Computer Architecture A Quantitative
/// Approach, page 346. Morgan Kaufman", "…, September 1996. Page 15"). "page" or "pages" before
/// a page or a range names the pages, in an entry with no others; a title the tagger ran on with
/// ends before them.
pub(super) fn pages_after_page_word(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (pages, title, other) = (Label::Pages, Label::Title, Label::Other);
    if labels.contains(&pages) {
        return;
    }
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let Some(at) = (0..labels.len()).find(|&i| {
        matches!(word(i), "page" | "Page" | "pages" | "Pages")
            && is_page_range(word(i + 1))
            && [title, other].contains(&labels[i])
            && labels[i + 1] == labels[i]
    }) else {
        return;
    };
    let in_title = labels[at] == title;
    let title_goes_on =
        labels.get(at + 2) == Some(&title) && word(at + 2).chars().any(char::is_alphanumeric);
    if in_title && (title_goes_on || at == 0 || word(at - 1) != ",") {
        return;
    }
    relabel(labels, at..at + 2, pages);
    if in_title {
        relabel(labels, at - 1..at, other);
    }
}

/// Physics styles (Physical Review, JHEP): "[7] S. Kachru, D. Simic and S. P. Trivedi, JHEP 1005,
/// 067 (2010)", "Phys. Lett. B428, 105 (1998)" — after the comma that ends the authors or the
/// title, a journal's name, its volume, a comma, the page and the year in parentheses; a volume of
/// four digits is no year there, nor the journal's name a date. Words the tagger read as the title
/// stay its.
pub(super) fn journal_volume_page_year(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let volume_word = |w: &str| {
        let digits = w.trim_start_matches(|c: char| c.is_ascii_uppercase());
        w.len() - digits.len() <= 1
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let Some(at) = (1..labels.len()).find(|&i| {
        volume_word(word(i))
            && word(i + 1) == ","
            && is_page_range(word(i + 2))
            && word(i + 3) == "("
            && year_like(word(i + 4))
            && word(i + 5) == ")"
    }) else {
        return;
    };
    let Some(comma) = (0..at).rev().find(|&i| word(i) == ",") else {
        return;
    };
    let journal = comma + 1..at;
    let named = journal.clone().all(|i| {
        let w = word(i);
        w == "." || capitalised(w) || w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase())
    });
    let (author, title) = (Label::Author, Label::Title);
    let ends = [author, title].contains(&labels[comma]);
    let read_as_names = journal
        .clone()
        .any(|i| [author, title].contains(&labels[i]));
    if !named || !ends || read_as_names || journal.is_empty() || journal.len() > 10 {
        return;
    }
    relabel(labels, journal, Label::Venue);
    relabel(labels, at..at + 2, Label::Volume);
    relabel(labels, at + 2..at + 3, Label::Pages);
    relabel(labels, at + 3..at + 6, Label::Date);
}

/// ACS ("Cui, Nano Lett. 2010, 10, 1979.") and Harvard ("(2011) Title, Int J Environ Stud, 2011,
/// pp. 1–15"), and journals whose volume is a year ("Proc. SPIE, 1808, 259-273", "Kew Bull. 1951:
/// 427–436"): an entry has one date; after it, a year-shaped number the tagger read as another date
/// is the volume when it follows the journal before the pages, and the page when it follows the
/// volume in an entry without pages.
pub(super) fn year_shaped_volume_or_page(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (date, venue, volume, pages) = (Label::Date, Label::Venue, Label::Volume, Label::Pages);
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let Some(first) = first_run(labels, date) else {
        return;
    };
    if !first.clone().any(|i| year_like(word(i))) {
        return;
    }
    for at in first.end + 1..labels.len() {
        if labels[at] != date || word(at).len() != 4 || !year_like(word(at)) {
            continue;
        }
        let comma = word(at - 1) == ",";
        let before = labels[at - usize::from(comma) - 1];
        let marker = usize::from(matches!(word(at + 2), "p" | "pp") && word(at + 3) == ".");
        let page_next =
            labels.get(at + 2) == Some(&pages) && is_page_range(word(at + 2 + 2 * marker));
        if before == venue && matches!(word(at + 1), "," | ":") && page_next {
            relabel(labels, at..at + 2, volume);
        } else if before == volume && comma && !labels.contains(&pages) {
            // With the entry's closing full stop.
            let last = at + 2 == labels.len() && word(at + 1) == ".";
            relabel(labels, at..at + 1 + usize::from(last), pages);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::conventions::tests::{assert_left_alone, assert_mends, tagged, token_at};

    #[test]
    fn a_number_in_parentheses_after_the_volume_is_its_issue() {
        let text = "Kirkpatrick, S. (1983). Optimization. Science, 220 (4598), 671-680.";
        let (tokens, mut labels) = tagged(text, "Science", Label::Date, Label::Venue);
        let volume = token_at(text, &tokens, "220");
        relabel(&mut labels, volume..volume + 1, Label::Volume);
        relabel(&mut labels, volume + 1..volume + 4, Label::Date);
        relabel(&mut labels, volume + 4..tokens.len(), Label::Pages);
        issue_read_as_date(text, &tokens, &mut labels);
        assert_eq!(labels[volume + 2], Label::Volume, "4598");
        assert_eq!(labels[volume + 4], Label::Pages, "the comma after it");
        // Without a date before the volume, the parentheses hold the date.
        let text = "Smith J. Optimization. Science, 220 (1983), 671-680.";
        assert_left_alone(issue_read_as_date, text, "(", Label::Volume, Label::Date);
    }

    #[test]
    fn pages_after_a_year_in_parentheses() {
        let text = "Science 309 (2005) 2010–2013.";
        let (tokens, mut labels) = tagged(text, "(", Label::Venue, Label::Date);
        pages_after_parenthesised_date(text, &tokens, &mut labels);
        let pages = token_at(text, &tokens, "2010–2013");
        assert_eq!(labels[pages], Label::Pages);
        assert_eq!(labels[pages - 1], Label::Date);
        assert!(is_page_range("e137") && is_page_range("D497–D501") && is_page_range("64"));
        assert!(!is_page_range("May") && !is_page_range("1-2-3"));
        // No year in parentheses before it, or pages elsewhere: left alone.
        assert_left_alone(
            pages_after_parenthesised_date,
            "Science 309, 2005 2010.",
            "2005",
            Label::Venue,
            Label::Date,
        );
        let text = "Science 309 (2005) 12, 2010–2013.";
        let (tokens, mut labels) = tagged(text, "(", Label::Venue, Label::Date);
        let last = token_at(text, &tokens, "2010–2013");
        labels[last] = Label::Pages;
        let unchanged = labels.clone();
        pages_after_parenthesised_date(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged);
    }

    #[test]
    fn a_number_after_a_volume_marker_is_the_volume() {
        // Other up to the word `from`, the volume up to `pages`, the pages from there.
        let labelled = |text: &str, from: &str, pages: &str| {
            let (tokens, mut labels) = tagged(text, pages, Label::Volume, Label::Pages);
            relabel(&mut labels, 0..token_at(text, &tokens, from), Label::Other);
            (tokens, labels)
        };
        let text = "Eary, L. Chemical Modeling. Washington, DC, 1990; Vol. 416.";
        let (tokens, mut labels) = labelled(text, "Vol", "416");
        volume_number_after_marker(text, &tokens, &mut labels);
        assert!(!labels.contains(&Label::Pages));
        // A volume with its number, in digits or roman numerals, keeps the pages after it.
        for text in [
            "Smith J. Title. Journal, Vol. 12, pp. 3-4.",
            "Smith J. Title. Journal, vol. VI, 3-4.",
        ] {
            let (tokens, mut labels) = labelled(text, ",", "3-4");
            let before = labels.clone();
            volume_number_after_marker(text, &tokens, &mut labels);
            assert_eq!(labels, before, "{text}");
        }
    }

    #[test]
    fn a_year_between_venue_and_volume_is_the_date() {
        let text = "Wilkinson ST. The effect of ketamine. Am J Psychiatry 2018, 175:150-158.";
        let (tokens, mut labels) = tagged(text, "Am", Label::Title, Label::Venue);
        relabel(&mut labels, 0..2, Label::Author);
        let volume = token_at(text, &tokens, "175");
        relabel(&mut labels, volume..tokens.len(), Label::Volume);
        let mut with_date = labels.clone();
        year_between_venue_and_volume(text, &tokens, &mut labels);
        let year = token_at(text, &tokens, "2018");
        assert_eq!(labels[year - 1], Label::Venue);
        assert_eq!(&labels[year..volume], [Label::Date; 2]);
        // An entry with a date elsewhere keeps its venue as the tagger read it.
        with_date[2] = Label::Date;
        let before = with_date.clone();
        year_between_venue_and_volume(text, &tokens, &mut with_date);
        assert_eq!(with_date, before);
    }

    #[test]
    fn page_words_name_the_pages() {
        assert_mends(
            pages_after_page_word,
            &[
                // Bulletin , | September 1996 . | Page 15
                (
                    "Bulletin, September 1996. Page 15",
                    "vv ddd oo",
                    "vv ddd gg",
                ),
                // Approach , page 346 . | Morgan
                ("Approach, page 346. Morgan", "ttttt p", "toggt p"),
                // Not inside a title that goes on, nor with pages elsewhere.
                (
                    "Approach, page 346 and more. Morgan",
                    "ttttttt p",
                    "ttttttt p",
                ),
                ("Bulletin, Page 15, pp. 3-4", "vv oo gggg", "vv oo gggg"),
            ],
        );
    }

    #[test]
    fn a_journal_volume_page_and_year_in_parentheses_are_read_as_such() {
        assert_mends(
            journal_volume_page_year,
            &[
                // S . Trivedi , | JHEP | 1005 , | 067 | ( 2010 ) .
                (
                    "S. Trivedi, JHEP 1005, 067 (2010).",
                    "aaaa ddd g dddd",
                    "aaaa v nn g dddd",
                ),
                (
                    "H. Verlinde, JHEP 0912, 031 (2009).",
                    "aaaa vvv n dddd",
                    "aaaa v nn g dddd",
                ),
                // J . Polchinski , | Phys . Lett . | B428 , | 105 | ( 1998 ) .
                (
                    "J. Polchinski, Phys. Lett. B428, 105 (1998).",
                    "aaaa oooo dd d dddd",
                    "aaaa vvvv nn g dddd",
                ),
                // Words the tagger read as the title stay its; lower-case words are no journal;
                // without the year in parentheses nothing is read.
                (
                    "Study in Ontario, Canada. Cancer 116, 4160 (2010).",
                    "tttttt v nn g dddd",
                    "tttttt v nn g dddd",
                ),
                (
                    "S. Trivedi, in press 1005, 067 (2010).",
                    "aaaa oo dd g dddd",
                    "aaaa oo dd g dddd",
                ),
                (
                    "S. Trivedi, JHEP 1005, 067, 2010.",
                    "aaaa ddd g ddd",
                    "aaaa ddd g ddd",
                ),
            ],
        );
    }

    #[test]
    fn a_second_year_is_the_volume_or_the_page_by_its_place() {
        assert_mends(
            year_shaped_volume_or_page,
            &[
                // ( 1992 ) . | Curves . | Proc . SPIE , | 1808 , | 259-273 .
                (
                    "(1992). Curves. Proc. SPIE, 1808, 259-273.",
                    "dddd tt vvvv dd gg",
                    "dddd tt vvvv nn gg",
                ),
                // ( 2011 ) | Title , | Int J Stud , | 2011 , | pp . 1–15 .
                (
                    "(2011) Title, Int J Stud, 2011, pp. 1–15.",
                    "ddd tt vvvv dd gggg",
                    "ddd tt vvvv nn gggg",
                ),
                // Cui , | Nano Lett . | 2010 , | 10 , | 1979 .
                (
                    "Cui, Nano Lett. 2010, 10, 1979.",
                    "aa vvv dd nn dd",
                    "aa vvv dd nn gg",
                ),
                // Left: no pages after it, no year before it.
                (
                    "(1990). Title. Journal, 1995, in press.",
                    "dddd tt vv dd ooo",
                    "dddd tt vv dd ooo",
                ),
                (
                    "(n.d.). Title. Journal, 2011, 1-15.",
                    "ddddddd tt vv dd gg",
                    "ddddddd tt vv dd gg",
                ),
            ],
        );
    }
}
