//! Conventions of typeset lines: section numbers, caption labels, sentence ends, and words
//! hyphenated at line ends. Shared by the PDF reader and the reader of extracted text.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// A numbered heading: its section number ("2", "2.1", "2.1.3", with or without a final period)
/// and the capital after it.
pub static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:\d{1,2}\.)*\d{1,2})\.?\s+\p{Lu}").unwrap());

/// The label a caption starts with: "Figure 2", "Fig. 2", "Table S1", "Box 1", "Additional file 3".
pub static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:fig(?:ure)?\.?|table|scheme|box|supplementary (?:figure|table|file)|additional file)\s*S?\d+")
        .unwrap()
});

/// Whether a line ends a sentence: a period, question or exclamation mark or colon, before any
/// closing quotes and brackets.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', ')', ']', '”', '’'])
        .ends_with(['.', '?', '!', ':'])
}

/// Joins lines into paragraphs, knowing the words the document writes (hyphenated compounds
/// whole), so that a compound broken at its own hyphen keeps it.
#[derive(Default)]
pub struct Joiner {
    /// Lowercase words of the document, as written.
    vocabulary: HashSet<String>,
}

impl Joiner {
    /// A joiner that knows the words of `lines`.
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Joiner {
        let vocabulary = lines
            .into_iter()
            .flat_map(|l| l.split(' '))
            .map(|w| trim_word(w).to_lowercase())
            .collect();
        Joiner { vocabulary }
    }

    /// The text of `lines` joined into one paragraph, words hyphenated at line ends joined.
    pub fn join<'a>(&self, lines: impl IntoIterator<Item = &'a str>) -> String {
        let mut out = String::new();
        for text in lines {
            match self.line_break(&out, text) {
                Break::Space if !out.is_empty() => out.push(' '),
                Break::Space | Break::Hyphen => {}
                Break::Word(stem) => out.truncate(stem),
            }
            out.push_str(text);
        }
        out
    }

    /// How `before` and the next line `after` join: a word hyphenated at the line end is joined
    /// without its hyphen; a compound broken at its own hyphen ("N-methyl-" + "D-aspartate",
    /// "well-" + "known" when the document writes "well-known") keeps it, without a space; a
    /// suspended hyphen ("pre- and post-treatment") and every other line end take a space.
    fn line_break(&self, before: &str, after: &str) -> Break {
        if before.ends_with('\u{00AD}') {
            // A soft hyphen marks a break inside a word by definition.
            return Break::Word(before.len() - '\u{00AD}'.len_utf8());
        }
        let Some(stem) = before
            .strip_suffix('-')
            .or_else(|| before.strip_suffix('\u{2010}'))
        else {
            return Break::Space;
        };
        let head = stem.rsplit(' ').next().unwrap_or(stem);
        let head_word = head.trim_start_matches(|c: char| !c.is_alphanumeric());
        let next = after.split(' ').next().unwrap_or("");
        let next_word = trim_word(next);
        if !head_word.ends_with(char::is_alphanumeric) || next_word.is_empty() {
            return Break::Space;
        }
        // A suspended hyphen stands before a conjunction or "to" ("10- to 20-fold").
        if matches!(next_word, "and" | "or" | "nor" | "to" | "und" | "et" | "ou") {
            return Break::Space;
        }
        // A plain word: lowercase, or capitalised ("Consid-" + "ering"), not "IL-" or "N-methyl-".
        let plain = |w: &str| {
            let mut rest = w.chars().skip(w.starts_with(char::is_uppercase) as usize);
            rest.clone().count() >= 2 && rest.all(char::is_lowercase)
        };
        let joined = format!("{head_word}{next_word}").to_lowercase();
        let hyphenated = format!("{head_word}-{next_word}").to_lowercase();
        if plain(head_word)
            && next_word.starts_with(|c: char| c.is_lowercase())
            // A compound the document writes with its hyphen elsewhere keeps it.
            && (!self.vocabulary.contains(&hyphenated) || self.vocabulary.contains(&joined))
        {
            return Break::Word(
                before.len() - before.chars().next_back().map_or(1, char::len_utf8),
            );
        }
        Break::Hyphen
    }
}

/// How two lines of a paragraph join (see [`Joiner::line_break`]).
enum Break {
    /// With a space.
    Space,
    /// After a hyphen that stays, without a space.
    Hyphen,
    /// A word hyphenated at the line end: the hyphen is dropped (the text before is cut to this
    /// length) and the parts joined.
    Word(usize),
}

/// A word without the punctuation around it.
fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .trim_end_matches('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_across_hyphens_by_their_convention() {
        let joiner = Joiner::new(["a well-known effect"]);
        let cases = [
            ("an antide-", "pressant", "an antidepressant"),
            ("the N-methyl-", "D-aspartate", "the N-methyl-D-aspartate"),
            ("“self-aware-", "ness” of", "“self-aware-ness” of"),
            ("a well-", "known effect", "a well-known effect"),
            ("from 1990-", "2000", "from 1990-2000"),
            ("pre-", "and post-treatment", "pre- and post-treatment"),
            ("treat\u{00AD}", "ment", "treatment"),
            ("the end -", "of it", "the end - of it"),
            ("a plain", "line", "a plain line"),
            ("Consid-", "ering the", "Considering the"),
            ("IL-", "6 levels", "IL-6 levels"),
            ("Co-", "operation", "Co-operation"),
        ];
        for (first, second, joined) in cases {
            assert_eq!(
                joiner.join([first, second]),
                joined,
                "{first:?} + {second:?}"
            );
        }
    }

    #[test]
    fn sentences_end_before_closing_marks() {
        assert!(ends_sentence("as shown (Table 1)."));
        assert!(ends_sentence("he said “no.”"));
        assert!(!ends_sentence("the first line of a"));
    }
}
