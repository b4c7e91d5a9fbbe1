//! Prose punctuation that tantivy's query grammar would read as syntax, escaped before parsing,
//! so that a query typed or pasted as text ("Alzheimer's disease", "Ketamine: a review",
//! "KETAMINE IN DEPRESSION") searches its words instead of failing or meaning something else.
//!
//! The conventions, each leaving real syntax alone:
//! - an apostrophe after a letter or digit ("Crohn's", "patients' views") is not a quote; a
//!   single-quoted phrase opens after a space and closes before one;
//! - a colon after a word that names no field is punctuation when a space follows or a number
//!   comes before ("Ketamine: a review", "randomised 1:1"); fields are written
//!   `title:ketamine`, or `title: ketamine` with a field's name;
//! - square brackets and braces are ranges only after a field's colon or `IN`; a tag of
//!   letters set against a term is PubMed's field tag ("depression[tiab]") and is left out;
//!   other brackets separate words ("depression [2019]");
//! - `IN` is the set operator only before `[`; elsewhere it is the word "in";
//! - a `-` or `+` standing alone ("Ketamine - a review") is a dash, not an operator of the
//!   word after it.

use std::borrow::Cow;

/// `query` with its prose punctuation escaped for tantivy's grammar; `is_field` tells the names
/// of fields.
pub(super) fn escape_prose(query: &str, is_field: impl Fn(&str) -> bool) -> Cow<'_, str> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len() + 8);
    let mut changed = false;
    let (mut in_double, mut in_single, mut in_range) = (false, false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut escape = false;
        match c {
            '\\' => {
                // An escape sequence stays as it is.
                out.push(c);
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            '"' if !in_single => in_double = !in_double,
            _ if in_double => {}
            '\'' if in_single => {
                if word_char(next) {
                    escape = true;
                } else {
                    in_single = false;
                }
            }
            '\'' if word_char(prev) => escape = true,
            '\'' => in_single = true,
            _ if in_single => {}
            ':' if punctuation_colon(&word_before(&chars, i), next, &is_field) => escape = true,
            '-' | '+'
                if prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace) =>
            {
                // A dash between spaces is punctuation: an operator stands before its word.
                out.push(' ');
                changed = true;
                i += 1;
                continue;
            }
            '[' | '{' if opens_range(&chars, i) => in_range = true,
            ']' | '}' if in_range => in_range = false,
            '[' if word_char(prev) || prev == Some('"') => {
                // A tag of letters set against its term qualifies it, as PubMed's field tags do
                // ("depression[tiab]", "\"ketamine\"[MeSH Terms]"): the term is searched in
                // clinsearch's own fields, so the tag goes. Other brackets separate words.
                let tag = tag_length(&chars[i + 1..]);
                out.push(' ');
                changed = true;
                i += tag.map_or(1, |n| n + 2);
                continue;
            }
            '[' | '{' | ']' | '}' => {
                // Between words, as in PubMed's "depression[tiab]": a separator.
                out.push(' ');
                changed = true;
                i += 1;
                continue;
            }
            'I' if next == Some('N')
                && !word_char(prev)
                && !word_char(chars.get(i + 2).copied())
                && chars[i + 2..].iter().find(|c| !c.is_whitespace()) != Some(&'[') =>
            {
                out.push_str("in");
                changed = true;
                i += 2;
                continue;
            }
            _ => {}
        }
        if escape {
            out.push('\\');
            changed = true;
        }
        out.push(c);
        i += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(query)
    }
}

/// Whether a colon after `word` and before `next` is punctuation, not a field's: after a word
/// that names no field, either followed by a space ("Ketamine: a review") or after a number
/// (the ratio "1:1", the time "10:30").
fn punctuation_colon(word: &str, next: Option<char>, is_field: impl Fn(&str) -> bool) -> bool {
    let number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    (next.is_none_or(char::is_whitespace) || number) && !is_field(word)
}

/// The word that ends right before position `i` (back to a space, an operator or a colon, so
/// that a run of colons costs linear time).
fn word_before(chars: &[char], i: usize) -> String {
    let start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace() || matches!(c, '(' | '+' | '-' | ':'))
        .map_or(0, |p| p + 1);
    chars[start..i].iter().collect()
}

/// The length of a field tag's text before its `]`: letters, spaces and hyphens, at most
/// [`MAX_TAG`] characters ("tiab", "MeSH Terms", "All Fields").
fn tag_length(rest: &[char]) -> Option<usize> {
    let end = rest.iter().take(MAX_TAG + 1).position(|&c| c == ']')?;
    let tag = &rest[..end];
    let letters = tag
        .iter()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | ':'));
    (end > 0 && letters).then_some(end)
}

/// The longest field tag, in characters ("Publication Type" and the like fit).
const MAX_TAG: usize = 30;

/// Whether the bracket at `i` opens a range or a set: after a field's colon or `IN`.
fn opens_range(chars: &[char], i: usize) -> bool {
    let end = chars[..i]
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |p| p + 1);
    let before = &chars[..end];
    before.ends_with(&[':'])
        || (before.ends_with(&['I', 'N']) && (end == 2 || before[end - 3].is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(query: &str) -> String {
        escape_prose(query, |w| ["title", "year", "text"].contains(&w)).into_owned()
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(escaped("Alzheimer's disease"), r"Alzheimer\'s disease");
        assert_eq!(escaped("patients' views"), r"patients\' views");
        assert_eq!(escaped("'rapid reduction'"), "'rapid reduction'");
        assert_eq!(escaped("'Crohn's disease'"), r"'Crohn\'s disease'");
        assert_eq!(escaped("\"Crohn's disease\""), "\"Crohn's disease\"");
    }

    #[test]
    fn a_colon_and_a_space_after_a_word_is_punctuation() {
        assert_eq!(escaped("Ketamine: a review"), r"Ketamine\: a review");
        assert_eq!(escaped("ketamine:"), r"ketamine\:");
        assert_eq!(escaped("title: ketamine"), "title: ketamine");
        assert_eq!(escaped("title:ketamine"), "title:ketamine");
        assert_eq!(escaped("nosuchfield:x"), "nosuchfield:x");
        assert_eq!(escaped("randomised 1:1"), r"randomised 1\:1");
        assert_eq!(escaped("year:2016"), "year:2016");
    }

    #[test]
    fn brackets_are_ranges_only_after_a_field_or_in() {
        assert_eq!(escaped("depression [2019]"), "depression  2019 ");
        assert_eq!(escaped("depression[tiab]"), "depression ");
        assert_eq!(
            escaped("(\"ketamine\"[MeSH Terms] OR esketamine[tiab]) AND trial[pt]"),
            "(\"ketamine\"  OR esketamine ) AND trial "
        );
        assert_eq!(escaped("depression[2019]"), "depression 2019 ");
        assert_eq!(escaped("year:[2015 TO 2019]"), "year:[2015 TO 2019]");
        assert_eq!(escaped("year:{2015 TO 2019}"), "year:{2015 TO 2019}");
        assert_eq!(escaped("year: IN [2015 2016]"), "year: IN [2015 2016]");
    }

    #[test]
    fn a_dash_between_spaces_is_punctuation() {
        assert_eq!(escaped("ketamine - a review"), "ketamine   a review");
        assert_eq!(escaped("ketamine -"), "ketamine  ");
        assert_eq!(
            escaped("ketamine -dissociation +NMDA"),
            "ketamine -dissociation +NMDA"
        );
        assert_eq!(escaped("C++ IL-6"), "C++ IL-6");
    }

    #[test]
    fn in_is_a_word_unless_a_set_follows() {
        assert_eq!(escaped("KETAMINE IN DEPRESSION"), "KETAMINE in DEPRESSION");
        assert_eq!(escaped("INSULIN IN"), "INSULIN in");
        assert_eq!(escaped("year: IN [2015]"), "year: IN [2015]");
        assert_eq!(
            escaped("ketamine AND dissociation"),
            "ketamine AND dissociation"
        );
    }
}
