//! Splitting a reference string into tokens for the tagger: runs of letters and digits (with inner
//! hyphens, apostrophes and dashes: "Pérez-Higueras", "508–12"; a combining accent stays in its
//! word, so "Le\u{301}on" is one token as "Léon" is), single punctuation marks, and URLs and DOIs
//! whole.

use std::ops::Range;

/// One token and where it sits in the string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the input.
    pub span: Range<usize>,
    /// Whether whitespace precedes it.
    pub space_before: bool,
}

/// Tokenize `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut space_before = true;
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            space_before = true;
            chars.next();
            continue;
        }
        let rest = &text[start..];
        if let Some(len) = link_len(rest) {
            out.push(Token {
                span: start..start + len,
                space_before,
            });
            while chars.peek().is_some_and(|&(i, _)| i < start + len) {
                chars.next();
            }
        } else if c.is_alphanumeric() {
            let mut end = start;
            while let Some(&(i, ch)) = chars.peek() {
                let joiner = matches!(ch, '-' | '–' | '\'' | '’')
                    && end > start
                    && text[i + ch.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if ch.is_alphanumeric() || is_combining_mark(ch) || joiner {
                    end = i + ch.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                span: start..end,
                space_before,
            });
        } else {
            chars.next();
            out.push(Token {
                span: start..start + c.len_utf8(),
                space_before,
            });
        }
        space_before = false;
    }
    out
}

/// A combining diacritical mark (the blocks Unicode sets aside for them), which belongs to the
/// letter before it: text not in composed form writes "é" as "e" + U+0301.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Length of a URL or DOI at the start of `text`, without trailing punctuation.
fn link_len(text: &str) -> Option<usize> {
    let starts = |prefix: &str| {
        text.len() >= prefix.len()
            && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    let is_link = starts("http://")
        || starts("https://")
        || starts("www.")
        || (text.starts_with("10.")
            && text
                .split_whitespace()
                .next()
                .is_some_and(|w| w.contains('/')));
    if !is_link {
        return None;
    }
    let word = text.split_whitespace().next()?;
    Some(word.trim_end_matches(['.', ',', ';', ')', ']']).len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|t| &text[t.span]).collect()
    }

    #[test]
    fn splits_punctuation_and_keeps_compounds() {
        assert_eq!(
            words("Pérez-Higueras JJ. 2009;108(2):508–12."),
            [
                "Pérez-Higueras",
                "JJ",
                ".",
                "2009",
                ";",
                "108",
                "(",
                "2",
                ")",
                ":",
                "508–12",
                "."
            ]
        );
        assert_eq!(
            words("O'Brien, J.-P."),
            ["O'Brien", ",", "J", ".", "-", "P", "."]
        );
    }

    #[test]
    fn combining_accents_stay_in_their_word() {
        assert_eq!(
            words("Yann LeCun, Le\u{301}on Bottou, T\u{131}\u{301}o."),
            [
                "Yann",
                "LeCun",
                ",",
                "Le\u{301}on",
                "Bottou",
                ",",
                "T\u{131}\u{301}o",
                "."
            ]
        );
    }

    #[test]
    fn links_stay_whole() {
        assert_eq!(
            words("doi: 10.1038/nm.4050. Epub"),
            ["doi", ":", "10.1038/nm.4050", ".", "Epub"]
        );
        assert_eq!(
            words("(https://x.org/a?b=1)."),
            ["(", "https://x.org/a?b=1", ")", "."]
        );
    }

    #[test]
    fn notes_spaces() {
        let t = tokenize("a (b");
        assert_eq!(
            t.iter().map(|t| t.space_before).collect::<Vec<_>>(),
            [true, true, false]
        );
    }
}
