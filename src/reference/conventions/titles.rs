//! Where a title begins and ends, and which part of an entry is its title.

use std::ops::Range;

use super::{capitalised, first_run, opening_run_without_title, relabel, run_from, venue_or_other};
use crate::reference::label::Label;
use crate::reference::names::{is_conjunction, is_editor_word, is_organisation, is_particle};
use crate::reference::tagger::is_single_capital;
use crate::reference::tokenize::Token;

/// "P. Yang and J. H. Chern “Design for Reliability,” Proc. IEEE": a quoted title begins with its
/// quotation; author words the tagger ran into the title before the opening quotation mark stay
/// the authors'.
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

/// "“Speaker verification,” Digital signal processing": a quoted title ends with its quotation.
/// The tagger's title tokens after it are the venue when the entry has none, else left out.
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

/// "Title. In Book title" / "Title, in: Book title": a title ends where "In" opens the book or
/// proceedings that contain it; the tagger's title tokens from there are the venue when the entry
/// has none.
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

/// "Comparison of drug A vs. drug B": tokens the tagger left as other between two runs of the
/// title are the title's.
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

/// "H. Fensterheim e H.G. Birch, A Case Study of Group Ideology | and Individual Adjustment, |
/// “Journal of …”": the names come before the title, not in it; author words the tagger read right
/// after the title's last word, from a conjunction up to the next punctuation, are the title's.
pub(super) fn title_goes_on_at_conjunction(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let (Some(names), Some(run)) = (first_run(labels, author), first_run(labels, title)) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: usize| word(i).chars().all(char::is_alphabetic);
    if names.start > run.start
        || labels.get(run.end) != Some(&author)
        || !is_word(run.end - 1)
        || !is_conjunction(&word(run.end).to_lowercase())
    {
        return;
    }
    let after = run_from(labels, run.end);
    let words = after.start + after.clone().take_while(|&i| is_word(i)).count();
    if words > after.start + 1 {
        relabel(labels, after.start..words, title);
    }
}

/// "Adolf Hitler, Mein Kampf, trans. James Vincent Murphy (London: …)", "Homo Academicus, Peter
/// Collier (trans.) (…)", "… des Todes. Übersetzt von Johann Jancke.": a title or a book ends
/// where its translator is named; the translator is neither.
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

/// "Mental health: A | report focusing on depression", "Preparing psychologists for the | 21st
/// century: Proceedings…": an English title does not end on an article, a preposition or a
/// conjunction; the words after it up to the next punctuation mark are the title's.
pub(super) fn title_ends_on_a_content_word(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let function_word = matches!(
        word(run.end - 1),
        "A" | "a"
            | "An"
            | "an"
            | "the"
            | "of"
            | "for"
            | "to"
            | "in"
            | "on"
            | "and"
            | "or"
            | "with"
            | "from"
            | "by"
            | "at"
            | "into"
            | "between"
    );
    if !function_word {
        return;
    }
    let kept = [Label::Date, Label::Volume, Label::Pages, Label::Doi];
    let end = (run.end..tokens.len())
        .find(|&i| !word(i).chars().any(char::is_alphanumeric) || kept.contains(&labels[i]))
        .unwrap_or(tokens.len());
    relabel(labels, run.end..end, Label::Title);
}

/// "Good chemistry. (1996, September). Wake Forest University Magazine, 44(1)" (APA): a work
/// without authors is cited by its title, in the authors' place. In an entry without a title
/// whose first part, read as authors and followed by the date, holds a lowercase word that no name
/// has (not a particle, "and", "et al.") and that names no organisation ("U.S. Department of
/// Veterans Affairs"), that part is the title.
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

/// "Foley, J. D., …, Hughes, J. F., Computer Graphics: Principles and Practice, pp. 992-996,
/// Addison-Wesley, Massachusetts 1990.": in an entry without a title, volume or editors, with a
/// publisher, what the tagger read as a container right after the authors (and their date) is the
/// book's title.
pub(super) fn untitled_book_after_authors(labels: &mut [Label]) {
    let (author, date, venue) = (Label::Author, Label::Date, Label::Venue);
    let missing = [Label::Title, Label::Volume, Label::Editor];
    if missing.iter().any(|l| labels.contains(l)) || !labels.contains(&Label::Publisher) {
        return;
    }
    let (Some(names), Some(book)) = (first_run(labels, author), first_run(labels, venue)) else {
        return;
    };
    let mut at = names.end;
    if labels.get(at) == Some(&date) {
        at = run_from(labels, at).end;
    }
    if at == book.start {
        relabel(labels, book, Label::Title);
    }
}

/// "HOGGART, Richard. 1957. Uses of Literacy.": in an entry without a title, a publisher right
/// after the names and the date is the title.
pub(super) fn untitled_publisher_is_title(labels: &mut [Label]) {
    let title = Label::Title;
    if labels.contains(&title) {
        return;
    }
    let lead = [Label::Number, Label::Author, Label::Editor, Label::Date];
    let Some(first) = labels.iter().position(|l| !lead.contains(l)) else {
        return;
    };
    if first > 0 && labels[first] == Label::Publisher {
        relabel(labels, run_from(labels, first), title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::clean_title;
    use crate::reference::conventions::tests::{
        assert_left_alone, assert_mends, labels_split, token_at,
    };
    use crate::reference::tokenize::tokenize;

    #[test]
    fn an_untitled_entry_takes_its_title_from_the_publisher_after_the_names() {
        let (a, d, p, t, l) = (
            Label::Author,
            Label::Date,
            Label::Publisher,
            Label::Title,
            Label::Location,
        );
        let mut labels = vec![a, a, d, p, p, l];
        untitled_publisher_is_title(&mut labels);
        assert_eq!(labels, [a, a, d, t, t, l]);
        // With a title, or a publisher later in the entry, or no names before it: left alone.
        for labels in [vec![a, t, p, p], vec![a, d, l, p], vec![p, p, d]] {
            let mut mended = labels.clone();
            untitled_publisher_is_title(&mut mended);
            assert_eq!(mended, labels);
        }
    }

    #[test]
    fn a_title_does_not_end_on_an_article_or_a_preposition() {
        let text = "Bickman, L. (Ed.). (1990). Preparing psychologists for the 21st century: Proceedings of a conference. Hillsdale: Erlbaum.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "21st", Label::Title, Label::Venue);
        relabel(
            &mut labels,
            0..token_at(text, &tokens, "Preparing"),
            Label::Editor,
        );
        title_ends_on_a_content_word(text, &tokens, &mut labels);
        let colon = token_at(text, &tokens, ":");
        assert_eq!(labels[colon - 1], Label::Title, "'century'");
        assert_eq!(labels[colon], Label::Venue);
        // Not past a date, nor when the title ends on a content word.
        let text = "Smith J. A history of 1990. London.";
        assert_left_alone(
            title_ends_on_a_content_word,
            text,
            "1990",
            Label::Title,
            Label::Date,
        );
        let text = "Smith J. A history of London. Oxford.";
        assert_left_alone(
            title_ends_on_a_content_word,
            text,
            "Oxford",
            Label::Title,
            Label::Venue,
        );
    }

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
        let tokens = tokenize(text);
        // The tagger ran the last surname into the title.
        let mut labels = labels_split(text, &tokens, "Chern", Label::Author, Label::Title);
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
            let tokens = tokenize(text);
            let mut labels = labels_split(text, &tokens, place, Label::Title, Label::Location);
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
    fn a_title_goes_on_at_a_conjunction_after_it() {
        assert_mends(
            title_goes_on_at_conjunction,
            &[
                // Birch , | A Case Study of Group | and Individual Adjustment , | “ Journal
                (
                    "Birch, A Case Study of Group and Individual Adjustment, “Journal",
                    "aa ttttt aaaa vv",
                    "aa ttttt ttta vv",
                ),
                // Not names before the title, nor a title that ends with punctuation, nor a
                // lone conjunction.
                (
                    "A Study of Groups. And Smith, J. 2001.",
                    "ttttt aaaaa dd",
                    "ttttt aaaaa dd",
                ),
                (
                    "Birch, A Study of Groups and, Smith",
                    "aa tttt aaa",
                    "aa tttt aaa",
                ),
            ],
        );
    }

    #[test]
    fn a_book_right_after_its_authors_is_its_title() {
        let rule = |_: &str, _: &[Token], labels: &mut [Label]| untitled_book_after_authors(labels);
        assert_mends(
            rule,
            &[
                // Hughes , J . F . , | Computer Graphics , | pp . 992 , | Addison-Wesley , 1990
                (
                    "Hughes, J. F., Computer Graphics, pp. 992, Addison-Wesley, 1990",
                    "aaaaaaa vvv gggg pp d",
                    "aaaaaaa ttt gggg pp d",
                ),
                // A journal with its volume, or without a publisher, stays.
                (
                    "Hughes, J. F., Phys. Rev. 12, 1990",
                    "aaaaaaa vvvv nn d",
                    "aaaaaaa vvvv nn d",
                ),
                (
                    "Hughes, J. F., Computer Graphics, pp. 992, 1990",
                    "aaaaaaa vvv gggg d",
                    "aaaaaaa vvv gggg d",
                ),
            ],
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
