//! Tagger training examples from labelled references.
//!
//! This is the tagger's training interface, not part of the scorer: it uses the tagger's own
//! tokenizer and labels (`reference::tokenize`, `reference::tagger`), and is to move into
//! `reference/` once the labels are an enum there. The scorer does not call it, except through
//! cross-validation, which measures the training procedure.

use super::score::split_volume;
use super::Labelled;
use crate::reference::tagger::{label_of, learnt_label};
use crate::reference::tokenize::{tokenize, Token};

/// Tagger training examples: each input's tokens labelled with the part they fall in, the first
/// and last token of a title or venue with its boundary label ([`learnt_label`]).
pub fn training_examples(data: &[Labelled]) -> Vec<(String, Vec<Token>, Vec<usize>)> {
    data.iter()
        .map(|l| {
            let tokens = tokenize(&l.input);
            let parts = parts_out_of_volume(l);
            let labels = tokens
                .iter()
                .map(|t| {
                    let part = parts.iter().find(|(_, r)| r.contains(&t.span.start));
                    part.map_or(label_of("other"), |(name, r)| {
                        let (first, last) = (t.span.start == r.start, t.span.end == r.end);
                        learnt_label(label_of(name), first, last)
                    })
                })
                .collect();
            (l.input.clone(), tokens, labels)
        })
        .collect()
}

/// The labelled parts of `l`, with the year and the pages that a volume label takes in
/// ("2012;30(15):", "128(1):183–269") labelled as date and pages: the scorer reads them so, and
/// the tagger learns one way to label them.
fn parts_out_of_volume(l: &Labelled) -> Vec<(String, std::ops::Range<usize>)> {
    let mut parts = l.parts.clone();
    let mut more = Vec::new();
    for (_, r) in parts.iter_mut().filter(|(name, _)| name == "volume") {
        let text = &l.input[r.clone()];
        let (year, _, pages) = split_volume(text);
        if let Some(p) = pages.filter(|p| p.bytes().any(|b| b.is_ascii_digit())) {
            let at = r.end - p.len();
            more.push(("pages".to_string(), at..r.end));
            r.end = at;
        }
        if let Some(year) = year {
            // The year and its semicolon, at the label's start.
            let at = r.start + text.find(';').map_or(year.len(), |i| i + 1);
            more.push(("date".to_string(), r.start..at));
            r.start = at;
        }
    }
    parts.extend(more);
    parts
}
