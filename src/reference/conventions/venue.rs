//! The venue: the journal, newspaper or book that holds the work.

use std::ops::Range;

use super::names::separates_names;
use super::{capitalised, first_run, relabel, run_from};
use crate::reference::label::Label;
use crate::reference::names::is_initial;
use crate::reference::tagger::{is_single_capital, is_volume_marker};
use crate::reference::tokenize::Token;

/// Chicago 17: a chapter is "Title. In Book Title, edited by Editors" ("‘Forms of Time’. In The
/// dialogic imagination, edited by…"): when the tagger gave the venue only "In" and labelled the
/// book after it a title, the book is the venue.
pub(super) fn book_after_in(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (title, venue) = (Label::Title, Label::Venue);
    let Some(run) = first_run(labels, venue) else {
        return;
    };
    let only_in = run
        .clone()
        .all(|i| matches!(&raw[tokens[i].span.clone()], "In" | "in" | ":"));
    if only_in && labels.get(run.end) == Some(&title) {
        relabel(labels, run_from(labels, run.end), venue);
    }
}

/// Nature's style writes the journal, the volume, the pages and the year ("WebQTL: web-based
/// complex trait analysis. | Neuroinformatics 1, 299–308 (2003)."): in an entry without a venue,
/// capitalised words the tagger read as the start of the volume, before its number, are the
/// journal.
pub(super) fn venue_read_as_volume(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (volume, venue) = (Label::Volume, Label::Venue);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    if labels.contains(&venue) || labels[..run.start].contains(&volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    // "Neuroinformatics", "PLoS ONE", "JAMA"; not a roman numeral.
    let journal_word = |i: usize| {
        let w = word(i);
        let capitals = w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase());
        (capitalised(w) || capitals && !w.chars().all(|c| "IVXLCDM".contains(c)))
            && !w.bytes().any(|b| b.is_ascii_digit())
            && !is_volume_marker(&w.to_lowercase())
            && !matches!(
                w,
                "No" | "Nr"
                    | "Heft"
                    | "Issue"
                    | "Suppl"
                    | "Part"
                    | "Pt"
                    | "Band"
                    | "Bd"
                    | "Tome"
                    | "Jg"
            )
    };
    let words = run.clone().take_while(|&i| journal_word(i)).count();
    let number = run.start + words;
    if number >= run.end || !word(number).starts_with(|c: char| c.is_ascii_digit()) {
        return;
    }
    if words > 0 {
        relabel(labels, run.start..number, venue);
        return;
    }
    // "… in sputum. | Microbiology-Sgm | 148, 2951–2958 (2002).", "… Task Force. | JAMA, | 2016. |
    // 315(4): p. 388-406.": a journal read as the publisher, right before the volume's number or
    // the date before it, in an article with pages.
    let mut end = run.start;
    if end > 0 && labels[end - 1] == Label::Date {
        end = run_before(labels, end).start;
    }
    if end > 0 && labels[end - 1] == Label::Publisher && labels.contains(&Label::Pages) {
        let publisher = run_before(labels, end);
        if publisher
            .clone()
            .all(|i| journal_word(i) || matches!(word(i), "." | ","))
        {
            relabel(labels, publisher, venue);
        }
    }
}

/// The tokens up to `end` (not included) that have the label of the token before it.
pub(super) fn run_before(labels: &[Label], end: usize) -> Range<usize> {
    let label = labels[end - 1];
    end - labels[..end]
        .iter()
        .rev()
        .take_while(|&&l| l == label)
        .count()..end
}

/// Elsevier's numbered style: "[1] A.H. Jacobs, …, Imaging in neurooncology, | NeuroRx 2 (2005)
/// 333–347." — the journal follows the title's comma and precedes the volume; in an entry without a
/// venue, capitalised words after the last comma of a title that runs up to the volume are the
/// journal.
pub(super) fn venue_read_as_title_end(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (title, venue) = (Label::Title, Label::Venue);
    let Some(run) = first_run(labels, title) else {
        return;
    };
    if labels.contains(&venue) || labels.get(run.end) != Some(&Label::Volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let Some(comma) = run.clone().rev().find(|&i| word(i) == ",") else {
        return;
    };
    let journal = comma + 1..run.end;
    let mut words = journal.clone().filter(|&i| word(i) != ".");
    if (1..=4).contains(&journal.len())
        && journal.start > run.start + 1
        && words.all(|i| capitalised(word(i)) || word(i).chars().all(char::is_uppercase))
    {
        relabel(labels, journal, venue);
    }
}

/// Physics styles (Physical Review, AIP, JHEP) give no article title: "[1] J. M. Maldacena, Adv.
/// Theor. Math. Phys. 2 (1998)", "S. Kachru and S. P. Trivedi, JHEP 1005". After names written
/// initials first, a lone word without initials at the end of the tagger's author run is no person
/// but the journal's first word; words without initials there before the title are the title's
/// (Science: "R. B. Subramanian, Withania somnifera L. (Ashwagandha): …").
pub(super) fn journal_after_initials_first_names(
    raw: &str,
    tokens: &[Token],
    labels: &mut [Label],
) {
    let author = Label::Author;
    let Some(run) = first_run(labels, author) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let separator = |i: usize| separates_names(word(i));
    let names: Vec<usize> = run.clone().filter(|&i| word(i) != ".").collect();
    let mut names: Vec<&[usize]> = names.split(|&i| separator(i)).collect();
    let Some(last) = names.pop() else {
        return;
    };
    let names: Vec<&[usize]> = names.into_iter().filter(|n| !n.is_empty()).collect();
    let initials_first = |name: &[usize]| {
        name.len() >= 2
            && is_single_capital(word(name[0]))
            && word(name[name.len() - 1]).chars().any(char::is_lowercase)
    };
    let no_initials = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && !is_initial(w);
    if last.is_empty()
        || !no_initials(word(last[0]))
        || names.is_empty()
        || !names.iter().all(|n| initials_first(n))
    {
        return;
    }
    let next = labels.get(run.end).copied().filter(|&l| l != author);
    let title = Label::Title;
    // The title's first token, at most one token on ("Subramanian, | Withania somnifera L. | (").
    let title_next = (run.end..(run.end + 2).min(labels.len())).find(|&i| labels[i] == title);
    if let [_] = last {
        relabel(labels, last[0]..run.end, next.unwrap_or(Label::Venue));
    } else if let (Some(start), true) = (title_next, names.len() >= 2) {
        // "V. P. Oza, …, R. B. Subramanian, | Withania somnifera L. (Ashwagandha): a novel…"
        // (Science): words without initials after such names begin the title.
        relabel(labels, last[0]..start, title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::conventions::tests::{
        assert_left_alone, assert_mends, labels_split, tagged, token_at,
    };
    use crate::reference::conventions::titles::title_through_gaps;

    #[test]
    fn a_journal_read_as_the_volume() {
        let text = "WebQTL: trait analysis. Neuroinformatics 1, 299–308 (2003).";
        let (tokens, mut labels) = tagged(text, "Neuroinformatics", Label::Title, Label::Volume);
        let pages = token_at(text, &tokens, "299–308");
        relabel(&mut labels, pages..tokens.len(), Label::Date);
        venue_read_as_volume(text, &tokens, &mut labels);
        let at = token_at(text, &tokens, "Neuroinformatics");
        assert_eq!(labels[at], Label::Venue);
        assert_eq!(labels[at + 1], Label::Volume);
        // Read as the publisher right before the volume's number, in an article with pages.
        let (_, mut labels) = tagged(text, "Neuroinformatics", Label::Title, Label::Volume);
        labels[at] = Label::Publisher;
        relabel(&mut labels, pages..tokens.len(), Label::Pages);
        venue_read_as_volume(text, &tokens, &mut labels);
        assert_eq!(labels[at], Label::Venue);
        // Volume markers, or an entry with a venue: left alone.
        assert_left_alone(
            venue_read_as_volume,
            "A title. Vol 12, 3-4.",
            "Vol",
            Label::Title,
            Label::Volume,
        );
        let text = "A title. Nature, Band 12.";
        let (tokens, mut labels) = tagged(text, "Band", Label::Venue, Label::Volume);
        let unchanged = labels.clone();
        venue_read_as_volume(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged);
    }

    #[test]
    fn a_journal_at_the_end_of_the_title() {
        let text = "[1] A.H. Jacobs, Imaging in neurooncology, NeuroRx 2 (2005) 333–347.";
        let (tokens, mut labels) = tagged(text, "Imaging", Label::Author, Label::Title);
        let volume = token_at(text, &tokens, "2");
        relabel(&mut labels, volume..tokens.len(), Label::Volume);
        venue_read_as_title_end(text, &tokens, &mut labels);
        assert_eq!(labels[volume - 1], Label::Venue);
        assert_eq!(labels[volume - 2], Label::Title, "the comma");
        // Lowercase words after the comma, or an entry with a venue: left alone.
        assert_left_alone(
            venue_read_as_title_end,
            "Smith, J. Noise, order and chaos 12.",
            "12",
            Label::Title,
            Label::Volume,
        );
    }

    #[test]
    fn the_book_after_in_is_the_venue() {
        let text =
            "Bakhtin, M. ‘Forms of Time’. In The dialogic imagination, edited by M. Holquist.";
        let (tokens, mut labels) = tagged(text, "edited", Label::Title, Label::Editor);
        let (at_in, book) = (
            token_at(text, &tokens, "In"),
            token_at(text, &tokens, "The"),
        );
        labels[at_in] = Label::Venue;
        title_through_gaps(&mut labels);
        book_after_in(text, &tokens, &mut labels);
        assert_eq!(labels[book - 2], Label::Title, "the first title stays");
        let comma = token_at(text, &tokens, "edited") - 1;
        assert!(labels[book..comma].iter().all(|&l| l == Label::Venue));
    }

    #[test]
    fn a_journal_read_as_the_volume_or_the_publisher() {
        assert_mends(
            venue_read_as_volume,
            &[
                // Activity . | PLoS ONE 11 ( 11 ) : | e0165139 .
                (
                    "Activity. PLoS ONE 11(11): e0165139.",
                    "tt nnnnnnn gg",
                    "tt vvnnnnn gg",
                ),
                // Task Force . | JAMA , | 2016 . | 315 ( 4 ) : | p . 388-406 .
                (
                    "Task Force. JAMA, 2016. 315(4): p. 388-406.",
                    "ttt pp dd nnnnn gggg",
                    "ttt vv dd nnnnn gggg",
                ),
                // With a venue already, or without pages (a book), nothing moves.
                (
                    "Title. Journal. ACM, 2016. 315(4): p. 388-406.",
                    "tt vv pp dd nnnnn gggg",
                    "tt vv pp dd nnnnn gggg",
                ),
                (
                    "Task Force. Sage, 2016. Vol. 2.",
                    "ttt pp dd nnnn",
                    "ttt pp dd nnnn",
                ),
            ],
        );
    }

    #[test]
    fn a_lone_word_after_initials_first_names_is_the_journal() {
        let text = "[21] J. Polchinski, Int. J. Mod. Phys. A16, 707-718 (2001).";
        let (tokens, mut labels) = tagged(text, "J", Label::Number, Label::Author);
        let journal = token_at(text, &tokens, "Int");
        relabel(&mut labels, journal + 2..tokens.len(), Label::Venue);
        journal_after_initials_first_names(text, &tokens, &mut labels);
        assert_eq!(labels[journal - 1], Label::Author, "the comma");
        assert_eq!(labels[journal], Label::Venue);
        assert_eq!(labels[journal + 1], Label::Venue, "its full stop");
        // Names with initials after them, a last name of two words or with initials, stay.
        for text in [
            "Smith J, Jones K, Brown. A title. Lancet. 2001.",
            "J. Smith, K. Jones and L. Brown. A title. Lancet. 2001.",
            "J. Smith, Karen Jones. A title. Lancet. 2001.",
        ] {
            assert_left_alone(
                journal_after_initials_first_names,
                text,
                "A",
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn words_without_initials_after_initials_first_names_begin_the_title() {
        let text = "V. P. Oza, R. B. Subramanian, Withania somnifera L. (Ashwagandha): a source.";
        let (tokens, mut labels) = tagged(text, "L", Label::Author, Label::Title);
        journal_after_initials_first_names(text, &tokens, &mut labels);
        let start = token_at(text, &tokens, "Withania");
        assert_eq!(labels[start - 1], Label::Author, "the comma");
        assert!(labels[start..].iter().all(|&l| l == Label::Title));
        // The tagger's title may begin a token later ("L. | ( | Ashwagandha").
        let mut labels = labels_split(text, &tokens, "(", Label::Author, Label::Title);
        let open = token_at(text, &tokens, "(");
        labels[open] = Label::Date;
        journal_after_initials_first_names(text, &tokens, &mut labels);
        assert!(labels[start..open].iter().all(|&l| l == Label::Title));
        // One name before: left alone.
        assert_left_alone(
            journal_after_initials_first_names,
            "J. Smith, Karen Jones, A title. Lancet 2001.",
            "A",
            Label::Author,
            Label::Title,
        );
    }
}
