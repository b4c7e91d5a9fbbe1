//! The tagger's training interface: labelled references (AnyStyle element names over byte
//! ranges of the entry) turned into tokens with one label each, and a model trained on them.

use std::ops::Range;

use super::label::Label;
use super::tagger::Tagger;
use super::tokenize::{tokenize, Token};

/// One labelled reference: the entry and its parts, each an AnyStyle element name ("author",
/// "title", "container-title"…) over a byte range of the entry.
pub struct Example<'a> {
    /// The entry as written.
    pub input: &'a str,
    /// Its labelled parts.
    pub parts: Vec<(String, Range<usize>)>,
}

/// Each entry's tokens labelled with the part they fall in ("other" outside every part); the
/// first and last token of a title or venue get its boundary label ([`Label::learnt`]).
pub fn labelled_tokens(examples: &[Example]) -> Vec<(String, Vec<Token>, Vec<usize>)> {
    examples
        .iter()
        .map(|e| {
            let tokens = tokenize(e.input);
            let labels = tokens
                .iter()
                .map(|t| {
                    let part = e.parts.iter().find(|(_, r)| r.contains(&t.span.start));
                    let label = part.map_or(Label::Other, |(name, r)| {
                        let (first, last) = (t.span.start == r.start, t.span.end == r.end);
                        Label::of_element(name).learnt(first, last)
                    });
                    label.index()
                })
                .collect();
            (e.input.to_string(), tokens, labels)
        })
        .collect()
}

/// A tagger trained on `examples` with `epochs` passes per training run.
pub fn train(examples: &[Example], epochs: usize) -> Tagger {
    Tagger::train(&labelled_tokens(examples), epochs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_take_the_label_of_their_part() {
        let input = "Duman RS. Ketamine and mood. Nature 2016.";
        let span = |part: &str| {
            let at = input.find(part).unwrap();
            at..at + part.len()
        };
        let example = Example {
            input,
            parts: vec![
                ("author".into(), span("Duman RS")),
                ("title".into(), span("Ketamine and mood")),
                ("container-title".into(), span("Nature")),
            ],
        };
        let (_, tokens, labels) = labelled_tokens(&[example]).remove(0);
        let label_of = |word: &str| {
            let i = tokens
                .iter()
                .position(|t| &input[t.span.clone()] == word)
                .unwrap();
            Label::from_index(labels[i])
        };
        assert_eq!(label_of("Duman"), Label::Author);
        assert_eq!(label_of("Ketamine"), Label::Title.learnt(true, false));
        assert_eq!(label_of("and"), Label::Title);
        assert_eq!(label_of("Nature").part(), Label::Venue);
        assert_eq!(label_of("2016"), Label::Other);
    }
}
