//! Where the names end: the authors' run of labels, mended by how the styles write a list of
//! names and what follows it.

use std::ops::Range;

use super::{capitalised, first_run, relabel, run_from};
use crate::reference::label::Label;
use crate::reference::names::{is_conjunction, is_editor_word, is_initial, is_particle};
use crate::reference::tagger::is_single_capital;
use crate::reference::tokenize::Token;

/// Vancouver/NLM (*Citing Medicine*): the author list, a group author after the persons included
/// ("Nemeroff CB; APA Council of Research Task Force on Novel Biomarkers. Ketamine and other…"),
/// ends with a full stop, and the title begins after it. When the tagger starts the title right
/// after a word of the authors and runs it on through a full stop, the words up to that full stop
/// are the end of the author list.
pub(super) fn title_starts_after_punctuation(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, end }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    if start == 0
        || labels[start - 1] != author
        || !word(start - 1).chars().any(char::is_alphanumeric)
    {
        return;
    }
    let stop = (start + 1..end.saturating_sub(1))
        .find(|&i| word(i) == "." && !is_single_capital(word(i - 1)));
    if let Some(stop) = stop {
        relabel(labels, start..stop + 1, author);
    }
}

/// BioMed Central's journal style ("Zarate CA, Singh JB: A randomized trial…") and German DIN 1505
/// ("…, Michael und Willmann, Marc: Integrierte…"): the author list ends with a colon; a name
/// between the authors' comma or conjunction and that colon is the last author, not the title's
/// start: in the Vancouver form ("Singh JB", "van der Meer JB"), initials first ("…, and A.
/// Vermeulen : Agricultural air quality…") or the given name of an inverted last name.
pub(super) fn last_author_before_colon(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, end }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let joined = |i: usize| is_conjunction(&word(i).to_lowercase());
    // "and A. | Vermeulen :": the tagger started the title at the surname of a name written
    // initials first (not "Young, R. | HOLINS:", an inverted name before the title).
    let mut initials_start = start;
    while initials_start >= 2
        && word(initials_start - 1) == "."
        && is_initial(word(initials_start - 2))
    {
        initials_start -= 2;
    }
    let after_initial = initials_start < start && initials_start > 0 && joined(initials_start - 1);
    if start == 0
        || labels[start - 1] != author
        || word(start - 1) != "," && !joined(start - 1) && !after_initial
    {
        return;
    }
    let Some(colon) = (start + 1..end.min(start + 6)).find(|&i| word(i) == ":") else {
        return;
    };
    let surname = |w: &str| {
        is_particle(w) || w.chars().next().is_some_and(char::is_uppercase) && !is_initial(w)
    };
    let name = &(start..colon).map(word).collect::<Vec<_>>();
    let vancouver = word(start - 1) == ","
        && name.len() >= 2
        && is_initial(name[name.len() - 1])
        && name[..name.len() - 1].iter().all(|w| surname(w));
    let initials = name
        .chunks(2)
        .take_while(|p| p.len() == 2 && is_initial(p[0]) && p[1] == ".");
    let surname_at = 2 * initials.count();
    let initials_first = (surname_at > 0 || after_initial)
        && (1..=2).contains(&(name.len() - surname_at))
        && name[surname_at..].iter().all(|w| surname(w));
    let given_name = word(start - 1) == ","
        && start >= 3
        && joined(start - 3)
        && capitalised(word(start - 2))
        && name.len() <= 2
        && name.iter().all(|w| capitalised(w) && !is_initial(w));
    if vancouver || initials_first || given_name {
        relabel(labels, start..colon + 1, author);
    }
}

/// Chicago 17 and MLA 9 invert the first author only ("Lakoff, George, and Mark Johnson"): an
/// inverted name ends at the full stop after a whole given name ("Da Matta, Roberto. Carnivals,
/// Rogues, and Heroes: …"); author words the tagger ran on with, right before the title, are the
/// title's first words. A second author is joined by "and", "&" or ";"; with none of them, what
/// follows the first author is the title ("Stein, Stanley J. Vassouras, a Brazilian …", "Beetz,
/// Manfred, Frühmoderne Höflichkeit").
pub(super) fn authors_end_after_given_name(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let title = Label::Title;
    let Some(Range { start, end }) = first_run(labels, Label::Author) else {
        return;
    };
    let title_next = labels.get(end) == Some(&title);
    if !title_next && labels.contains(&title) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: &usize| word(*i).chars().any(char::is_alphanumeric);
    if let Some((rest, whole_given)) = after_inverted_first_author(raw, tokens, start..end) {
        // Names between the first author and a conjunction: none ("Ching, Barbara, and Gerald W.
        // Creed"), a list ending in a comma ("…, Aruni RoyChowdhury, and"), or names ("Reiser,
        // Helmut, Urban, Michael und …"); not one word or words with a colon joined by it
        // ("Debussy, Claude, Pelléas et Mélisande").
        let names_before = |i: usize| {
            let words: Vec<&str> = (rest..i).filter(is_word).map(word).collect();
            word(i - 1) == ","
                || words.is_empty()
                || words.len() >= 2
                    && !(rest..i).any(|j| word(j) == ":")
                    && words
                        .iter()
                        .all(|w| capitalised(w) || is_particle(w) || is_initial(w))
        };
        let joined = |i: usize| {
            let lower = word(i).to_lowercase();
            (is_conjunction(&lower) || matches!(word(i), "y" | ";") || is_editor_word(&lower))
                && names_before(i)
        };
        let after_given = given_name(word(rest - 1)) && rest < end && word(rest) == ".";
        // After initials only ("Forster, E. M. Howards End"), more initials are another author.
        let more_names = !whole_given && (rest..end).any(|i| is_initial(word(i)));
        if after_given || !((rest..end).any(joined) || more_names) {
            if let Some(first) = (rest..end).find(is_word) {
                relabel(labels, first..end, title);
            }
            return;
        }
    }
    if !title_next {
        return;
    }
    let stop = (start + 2..end).find(|&i| {
        word(i) == "." && given_name(word(i - 1)) && (start..i - 1).any(|j| word(j) == ",")
    });
    if let Some(stop) = stop {
        relabel(labels, stop + 1..end, title);
    }
}

/// Where the first author of `run` ends when it is written "Surname, Given [Initial.]" ("Da
/// Matta, Roberto", "Stein, Stanley J.") or "Surname, I." ("Forster, E. M.", "DUPRAT, H."): the token after its
/// given names and initials, and whether it has a whole given name.
pub(super) fn after_inverted_first_author(
    raw: &str,
    tokens: &[Token],
    run: Range<usize>,
) -> Option<(usize, bool)> {
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let comma = (run.start + 1..(run.start + 4).min(run.end)).find(|&i| word(i) == ",")?;
    // A surname in capitals only alone ("DUPRAT, H."; "Fan HD, Liu J" is Vancouver).
    let capitals = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_uppercase);
    let surname_word = |i: usize| {
        capitalised(word(i))
            || is_particle(word(i))
            || (comma == run.start + 1 && capitals(word(i)))
    };
    if !(run.start..comma).all(surname_word)
        || comma + 1 >= run.end
        || !(given_name(word(comma + 1)) || is_single_capital(word(comma + 1)))
    {
        return None;
    }
    // Whole given names first, then initials (with their full stops) and particles.
    let mut at = comma + 1;
    while at < run.end && given_name(word(at)) && at < comma + 3 {
        at += 1;
    }
    let whole = at > comma + 1;
    while at < run.end && (is_single_capital(word(at)) || is_particle(word(at))) {
        at += 1;
        if at < run.end && word(at) == "." && is_single_capital(word(at - 1)) {
            at += 1;
        }
    }
    Some((at, whole))
}

/// A whole given name: "Roberto", "Stanley" (not "J", "Eds", "Jr").
pub(super) fn given_name(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && w.chars().count() >= 3
        && chars.all(char::is_lowercase)
        && !matches!(w, "Eds" | "Hrsg" | "Jr" | "Sr")
}

/// IEEE and the ACM Reference Format write names given name (or initials) first, separated by
/// commas, the last after "and" ("Kathryn Harriman, Paul Houston, | Bill Senior, and Endre Suli. |
/// hp-version…", "Yann LeCun, | Léon Bottou, | Yoshua Bengio…"): when the tagger's author run of
/// such names ends at a comma, names it read as the first words of the title are the authors' (up
/// to the full stop after a surname, or up to the authors it read after them).
pub(super) fn authors_continue_after_comma(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(run) = first_run(labels, author) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    if word(run.end - 1) != "," || labels.get(run.end) != Some(&title) {
        return;
    }
    let separator = |i: usize| separates_names(word(i));
    // Each author of the run: two words or more, the last a surname ("J. M. Smith").
    let given_first = run
        .clone()
        .filter(|&i| word(i) != ".")
        .collect::<Vec<_>>()
        .split(|&i| separator(i))
        .filter(|name| !name.is_empty())
        .all(|name| name.len() >= 2 && capitalised(word(name[name.len() - 1])));
    if !given_first {
        return;
    }
    let names = run_from(labels, run.end);
    let (mut words, mut end) = (0, None);
    for i in names.clone() {
        let w = word(i);
        if separator(i) {
            if words == 1 || i == names.start {
                return;
            }
            words = 0;
            if i + 1 == names.end && labels.get(names.end) == Some(&author) {
                end = Some(names.end);
            }
        } else if w == "." {
            if is_single_capital(word(i - 1)) {
                continue;
            }
            // More than one name ("Computer Graphics." alone may be a title in capitals).
            let more = (names.start..i).any(separator);
            if words >= 2 && capitalised(word(i - 1)) && more {
                end = Some(i + 1);
            }
            break;
        } else if (w.chars().next().is_some_and(char::is_uppercase) || is_particle(w)) && words < 4
        {
            words += 1;
        } else {
            return;
        }
    }
    if let Some(end) = end {
        relabel(labels, names.start..end, author);
    }
}

/// Whether a token separates the names of a list: a comma, "and", "&"...
pub(super) fn separates_names(w: &str) -> bool {
    w == "," || is_conjunction(&w.to_lowercase())
}

/// Chicago 17 and MLA 9: a generation follows the inverted name after a comma ("Pettingill, Olin
/// Sewall, Jr. “Falcon and Falconry.”", "McKinney, George W., III. An Experimental Study…"); it is
/// the last name's, not the title's first word.
pub(super) fn generation_ends_the_names(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, .. }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    if start < 2 || word(start - 1) != "," || labels[start - 2] != author {
        return;
    }
    if matches!(word(start), "Jr" | "Sr" | "II" | "III" | "IV") {
        let end = if word(start + 1) == "." {
            start + 2
        } else {
            start + 1
        };
        if labels[start..end].iter().all(|&l| l == title) {
            relabel(labels, start - 1..end, author);
        }
    }
}

/// Elsevier's numbered style and IEEE write names initials first ("[1] J.M. Raser, E.K. | O'Shea,
/// Noise in gene expression"): a title does not begin right after a name's initials; the
/// capitalised word there, before a comma, is that name's surname.
pub(super) fn surname_after_initials(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let author = Label::Author;
    let (Some(names), Some(title)) = (first_run(labels, author), first_run(labels, Label::Title))
    else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let start = title.start;
    if names.end == start
        && start >= 2
        && is_single_capital(word(names.start))
        && word(start - 1) == "."
        && is_single_capital(word(start - 2))
        && capitalised(word(start))
        && title.end > start + 2
        && word(start + 1) == ","
    {
        relabel(labels, start..start + 2, author);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::conventions::tests::{assert_left_alone, assert_mends, tagged, token_at};

    #[test]
    fn names_given_first_continue_after_a_comma() {
        let text = "Kathryn Harriman, Paul Houston, Bill Senior, and Endre Suli. Discontinuous Galerkin methods. Technical report, 2002.";
        let (tokens, mut labels) = tagged(text, "Bill", Label::Author, Label::Title);
        authors_continue_after_comma(text, &tokens, &mut labels);
        let title = token_at(text, &tokens, "Discontinuous");
        assert_eq!(
            labels[title - 1],
            Label::Author,
            "the full stop after 'Suli'"
        );
        assert_eq!(labels[title], Label::Title);
        // A name read as the title between two runs of authors.
        let text = "Yann LeCun, Léon Bottou, Yoshua Bengio. Gradient-based learning.";
        let (tokens, mut labels) = tagged(text, "Léon", Label::Author, Label::Author);
        let (leon, yoshua) = (
            token_at(text, &tokens, "Léon"),
            token_at(text, &tokens, "Yoshua"),
        );
        relabel(&mut labels, leon..yoshua, Label::Title);
        let gradient = token_at(text, &tokens, "Gradient-based");
        relabel(&mut labels, gradient..tokens.len(), Label::Title);
        authors_continue_after_comma(text, &tokens, &mut labels);
        assert!(labels[..gradient].iter().all(|&l| l == Label::Author));
        // An inverted first author ("Beetz, Manfred, | Frühmoderne Höflichkeit."), initials after
        // the surname, or a title that is no name are left alone.
        for (text, at) in [
            (
                "Beetz, Manfred, Frühmoderne Höflichkeit. Stuttgart, 1990.",
                "Frühmoderne",
            ),
            (
                "Smith J, Jones K, Pelvic Fractures. J Trauma. 2010.",
                "Pelvic",
            ),
            (
                "Paul Houston, On discontinuous methods. Report, 2002.",
                "On",
            ),
        ] {
            assert_left_alone(
                authors_continue_after_comma,
                text,
                at,
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn a_surname_follows_its_initials() {
        let text = "[1] J.M. Raser, E.K. O'Shea, Noise in gene expression, Science 309 (2005).";
        let (tokens, mut labels) = tagged(text, "O'Shea", Label::Author, Label::Title);
        relabel(&mut labels, 0..3, Label::Number);
        surname_after_initials(text, &tokens, &mut labels);
        let at = token_at(text, &tokens, "O'Shea");
        assert_eq!(labels[at], Label::Author);
        assert_eq!(labels[at + 1], Label::Author, "its comma");
        assert_eq!(labels[at + 2], Label::Title);
        // Initials after the surname (Vancouver with full stops): the title is left alone.
        assert_left_alone(
            surname_after_initials,
            "Krystal J.H. Ketamine, NMDA and depression. Lancet 2001.",
            "Ketamine",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_title_starts_after_punctuation_not_inside_the_authors() {
        let text = "Nemeroff CB; APA Task Force on Novel Biomarkers. Ketamine and NMDA antagonists. Am J Psychiatry. 2015;172:950-66.";
        let (tokens, mut labels) = tagged(text, "Task", Label::Author, Label::Title);
        let venue = token_at(text, &tokens, "Am");
        relabel(&mut labels, venue..tokens.len(), Label::Venue);
        title_starts_after_punctuation(text, &tokens, &mut labels);
        let ketamine = token_at(text, &tokens, "Ketamine");
        assert_eq!(labels[ketamine - 1], Label::Author);
        assert_eq!(labels[ketamine], Label::Title);
        // After punctuation, or without a full stop to end the authors at, the title stays.
        for (text, at) in [
            ("Smith J. Ketamine and NMDA. Psychiatry.", "Ketamine"),
            ("Barry Wilkinson Digital System Design", "Digital"),
        ] {
            assert_left_alone(
                title_starts_after_punctuation,
                text,
                at,
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn a_colon_ends_the_authors() {
        for text in [
            "Zarate CA, Singh JB: A randomized trial. Arch Gen Psychiatry 2006, 63:856-864.",
            "Zarate CA, van der Meer JB: A randomized trial. Arch Gen Psychiatry 2006, 63:856-864.",
        ] {
            let last = text.split(", ").nth(1).unwrap().split(' ').next().unwrap();
            let (tokens, mut labels) = tagged(text, last, Label::Author, Label::Title);
            last_author_before_colon(text, &tokens, &mut labels);
            let a = token_at(text, &tokens, "A");
            assert_eq!(labels[a - 1], Label::Author, "{text}");
            assert_eq!(labels[a], Label::Title, "{text}");
        }
        // A title with a colon of its own is left alone.
        let text = "Smith J, Ketamine Infusion: a trial. J Med. 2006;1:2-3.";
        assert_left_alone(
            last_author_before_colon,
            text,
            "Ketamine",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_last_name_before_the_colon_in_other_forms_is_an_author() {
        assert_mends(
            last_author_before_colon,
            &[
                // Urban , Michael und Willmann , | Marc : Integrierte Hilfe .
                (
                    "Urban, Michael und Willmann, Marc: Integrierte Hilfe.",
                    "aaaaaa ttttt",
                    "aaaaaaaa ttt",
                ),
                // Hensen , and A . | Vermeulen : Agricultural air .
                (
                    "Hensen, and A. Vermeulen : Agricultural air.",
                    "aaaaa ttttt",
                    "aaaaaaa ttt",
                ),
                // Left: a title word after an inverted name, or after one without a conjunction.
                (
                    "Smith, D. L. & Young, R. HOLINS: The clocks.",
                    "aaaaaaaaaaa ttttt",
                    "aaaaaaaaaaa ttttt",
                ),
                (
                    "Jones, K., Depression Care: a review.",
                    "aaaaa tttttt",
                    "aaaaa tttttt",
                ),
            ],
        );
    }

    #[test]
    fn an_inverted_name_ends_after_the_given_name() {
        let text = "Da Matta, Roberto. Carnivals, Rogues, and Heroes: An Interpretation. Boston: Beacon, 1991.";
        // The tagger ran the authors on into the title's first words.
        let (tokens, mut labels) = tagged(text, "and", Label::Author, Label::Title);
        authors_end_after_given_name(text, &tokens, &mut labels);
        let first_title = labels.iter().position(|&l| l == Label::Title).unwrap();
        assert_eq!(&text[tokens[first_title].span.clone()], "Carnivals");
        // Initials end no name: "Duman, R. S., Krystal, J. H." stays one author part.
        let text = "Duman, R. S., Krystal, J. H. Synaptic plasticity.";
        assert_left_alone(
            authors_end_after_given_name,
            text,
            "Synaptic",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_lone_inverted_author_is_followed_by_the_title() {
        let first_title = |text: &str, split: &str| {
            let (tokens, mut labels) = tagged(text, split, Label::Author, Label::Title);
            authors_end_after_given_name(text, &tokens, &mut labels);
            let at = labels.iter().position(|&l| l == Label::Title).unwrap();
            text[tokens[at].span.clone()].to_string()
        };
        // No "and", "&" or ";" after "Surname, Given [Initial.]": the rest is the title.
        let text = "Stein, Stanley J. Vassouras, a Brazilian Coffee County. Cambridge, 1957.";
        assert_eq!(first_title(text, "a"), "Vassouras");
        let text = "Beetz, Manfred, Frühmoderne Höflichkeit. Komplimentierkunst. Stuttgart, 1990.";
        assert_eq!(first_title(text, "Komplimentierkunst"), "Frühmoderne");
        let text = "Forster, E. M. Howards End. New York: Barnes & Noble Classics, 2003.";
        assert_eq!(first_title(text, "New"), "Howards");
        // A second author joined by "and" stays an author.
        let text = "Lakoff, George, and Mark Johnson. Metaphors We Live By. Chicago, 1980.";
        assert_eq!(first_title(text, "Metaphors"), "Metaphors");
        // After initials, more initials are another author: APA lists stay whole.
        let text = "Duman, R. S., Krystal, J. H. Synaptic plasticity.";
        assert_eq!(first_title(text, "Synaptic"), "Synaptic");
        let text = "Smith, J., Jones, K. Title words. Journal, 2001.";
        assert_eq!(first_title(text, "Title"), "Title");
    }

    #[test]
    fn a_conjunction_after_an_inverted_first_author_joins_names_only() {
        assert_mends(
            authors_end_after_given_name,
            &[
                // Debussy , Claude , Pelléas et Mélisande | ( New York : | Dover , | 1985 ) .
                (
                    "Debussy, Claude, Pelléas et Mélisande (New York: Dover, 1985).",
                    "aaaaaaa llll pp ddd",
                    "aaaattt llll pp ddd",
                ),
                // DUPRAT , H . Théorie et Technique Homéopathiques . | 1932 .
                (
                    "DUPRAT, H. Théorie et Technique Homéopathiques. 1932.",
                    "aaaaaaaaa dd",
                    "aaaattttt dd",
                ),
                // Baudelaire , Charles , Oeuvres complètes , Y . - G . | Le Dantec | ( ed . )
                // ("Y" is an initial, not Spanish "y")
                (
                    "Baudelaire, Charles, Oeuvres complètes, Y.-G. Le Dantec (ed.)",
                    "aaaaaaaaaaaa tt eeee",
                    "aaaatttttttt tt eeee",
                ),
                // Names before the conjunction stay the authors': a list that ends in a comma,
                // inverted names, none.
                (
                    "Tsung-Yu Lin, Aruni RoyChowdhury, and Subhransu Maji. Bilinear models.",
                    "aaaaaaaaaa ttt",
                    "aaaaaaaaaa ttt",
                ),
                (
                    "Reiser, Helmut, Urban, Michael und Willmann, Marc: Integrierte Hilfe.",
                    "aaaaaaaaaaaa ttt",
                    "aaaaaaaaaaaa ttt",
                ),
                (
                    "Ching, Barbara, and Gerald W. Creed. Knowing Your Place.",
                    "aaaaaaaaaa tttt",
                    "aaaaaaaaaa tttt",
                ),
                // A Vancouver list is not an inverted name in capitals: "Fan HD, Liu J".
                (
                    "Fan HD, Liu J, Yun Y. Ethanol and cells.",
                    "aaaaaaaaa tttt",
                    "aaaaaaaaa tttt",
                ),
            ],
        );
    }

    #[test]
    fn a_generation_after_the_names_is_theirs() {
        assert_mends(
            generation_ends_the_names,
            &[
                // Pettingill , Olin Sewall , | Jr . " Falcon . " | World
                (
                    "Pettingill, Olin Sewall, Jr. \"Falcon.\" World",
                    "aaaaa tttttt v",
                    "aaaaa aatttt v",
                ),
                // A title that begins with a roman numeral after other parts stays.
                ("Smith J. 1990, III. Results", "aaad dttt", "aaad dttt"),
            ],
        );
    }
}
