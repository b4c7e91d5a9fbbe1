//! Conventions of citation styles applied over the tagger's labels: where the tagger's reading
//! of an entry contradicts how references are written ("In K. Jones (Ed.), Book", a quoted title,
//! an inverted name), the labels are mended. Each rule is a convention of styles, not of one
//! collection, and its doc comment names the style that writes it so.
//!
//! The rules are grouped by what they decide: where the names end ([`names`]), where a title
//! begins and ends ([`titles`]), the venue ([`venue`]), numbers and dates ([`numbers`]), and
//! editors ([`editors`]). [`apply`] runs them in a fixed order; a rule reads the labels the rules
//! before it left.

mod editors;
mod names;
mod numbers;
mod titles;
mod venue;

use std::ops::Range;

use super::label::Label;
use super::tokenize::Token;
pub(super) use editors::names_editors;
use editors::*;
use names::*;
use numbers::*;
use titles::*;
use venue::*;

/// A rule: mends the labels of an entry (one per token of the text).
pub(super) type Rule = fn(&str, &[Token], &mut [Label]);

/// The rules in the order [`apply`] runs them: a rule reads the labels the rules before it left.
const RULES: [Rule; 28] = [
    names_among_editors,
    editors_end_at_role,
    |_, _, labels| book_after_editors(labels),
    start_title_at_quote,
    end_title_at_quote,
    end_title_at_in,
    title_starts_after_punctuation,
    last_author_before_colon,
    authors_end_after_given_name,
    authors_continue_after_comma,
    generation_ends_the_names,
    journal_after_initials_first_names,
    year_between_venue_and_volume,
    title_before_edited_by,
    untitled_words_before_date,
    edited_book_title,
    |_, _, labels| title_through_gaps(labels),
    title_ends_at_translator,
    book_after_in,
    volume_number_after_marker,
    issue_read_as_date,
    pages_after_parenthesised_date,
    surname_after_initials,
    venue_read_as_volume,
    venue_read_as_title_end,
    pages_after_page_word,
    journal_volume_page_year,
    year_shaped_volume_or_page,
];

/// Mend `labels` (one per token of `raw`), in order.
pub(super) fn apply(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    for rule in RULES {
        rule(raw, tokens, labels);
    }
}

/// The tokens of the first run of `label`.
pub(super) fn first_run(labels: &[Label], label: Label) -> Option<Range<usize>> {
    let start = labels.iter().position(|&l| l == label)?;
    Some(run_from(labels, start))
}

/// The tokens from `start` on that have its label.
fn run_from(labels: &[Label], start: usize) -> Range<usize> {
    let label = labels[start];
    start..start + labels[start..].iter().take_while(|&&l| l == label).count()
}

/// Give the tokens in `range` the label `to`.
fn relabel(labels: &mut [Label], range: Range<usize>, to: Label) {
    labels[range].iter_mut().for_each(|l| *l = to);
}

/// What title tokens cut off a title become: the venue, unless the entry has one.
fn venue_or_other(labels: &[Label]) -> Label {
    let venue = Label::Venue;
    if labels.contains(&venue) {
        Label::Other
    } else {
        venue
    }
}

/// The run of tokens that opens an entry without a title (after its list number), if it has
/// `label`.
fn opening_run_without_title(labels: &[Label], label: Label) -> Option<Range<usize>> {
    let first = labels.iter().position(|&l| l != Label::Number)?;
    (labels[first] == label && !labels.contains(&Label::Title)).then(|| run_from(labels, first))
}

/// A word with a capital first and lowercase letters: "Duman", "LeCun" (not "RS", "van").
fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
}

/// Helpers of the rules' unit tests.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::reference::tokenize::tokenize;

    /// Index of the first token of `text` that is `word`.
    pub(super) fn token_at(text: &str, tokens: &[Token], word: &str) -> usize {
        tokens
            .iter()
            .position(|t| &text[t.span.clone()] == word)
            .unwrap()
    }

    /// Labels as a tagger might give them: `before` up to the token `word`, `after` from it.
    pub(super) fn labels_split(
        text: &str,
        tokens: &[Token],
        word: &str,
        before: Label,
        after: Label,
    ) -> Vec<Label> {
        let at = token_at(text, tokens, word);
        (0..tokens.len())
            .map(|i| if i < at { before } else { after })
            .collect()
    }

    /// The tokens of `text`, and labels as a tagger might give them ([`labels_split`]).
    pub(super) fn tagged(
        text: &str,
        word: &str,
        before: Label,
        after: Label,
    ) -> (Vec<Token>, Vec<Label>) {
        let tokens = tokenize(text);
        let labels = labels_split(text, &tokens, word, before, after);
        (tokens, labels)
    }

    /// Assert that `rule` leaves alone the labels of `text` split at `word` into `before` and
    /// `after`.
    pub(super) fn assert_left_alone(
        rule: Rule,
        text: &str,
        word: &str,
        before: Label,
        after: Label,
    ) {
        let (tokens, mut labels) = tagged(text, word, before, after);
        let unchanged = labels.clone();
        rule(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged, "{text}");
    }

    /// Apply `rule` to labels given one letter a token (a author, t title, v venue, o other, l
    /// location, d date, p publisher, n volume, g pages), and give them back the same way.
    pub(super) fn mended(rule: Rule, text: &str, given: &str) -> String {
        const NAMES: [(char, Label); 10] = [
            ('a', Label::Author),
            ('e', Label::Editor),
            ('t', Label::Title),
            ('v', Label::Venue),
            ('o', Label::Other),
            ('l', Label::Location),
            ('d', Label::Date),
            ('p', Label::Publisher),
            ('n', Label::Volume),
            ('g', Label::Pages),
        ];
        let tokens = tokenize(text);
        let given: Vec<char> = given.chars().filter(|c| *c != ' ').collect();
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(given.len(), tokens.len(), "a label for each of {words:?}");
        let id = |c: char| NAMES.iter().find(|n| n.0 == c).unwrap().1;
        let mut labels: Vec<Label> = given.iter().map(|&c| id(c)).collect();
        rule(text, &tokens, &mut labels);
        let letter = |l: Label| NAMES.iter().find(|n| n.1 == l).unwrap().0;
        labels.into_iter().map(letter).collect()
    }

    /// Assert what `rule` makes of each `(text, given, mended)` case, labels as [`mended`] reads
    /// them.
    pub(super) fn assert_mends(rule: Rule, cases: &[(&str, &str, &str)]) {
        for &(text, given, want) in cases {
            assert_eq!(mended(rule, text, given), want.replace(' ', ""), "{text}");
        }
    }
}
