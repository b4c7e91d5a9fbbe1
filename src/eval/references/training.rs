//! Training examples from labelled references, for cross-validation and `refs-lab train`: the
//! gold parts as the scorer reads them (a volume label's year and pages apart), handed to the
//! tagger's training interface ([`crate::reference::training`]).

use super::score::split_volume;
use super::Labelled;
use crate::reference::tagger::Tagger;
use crate::reference::training::{self, Example};

/// A tagger trained on `data` with `epochs` passes per training run.
pub fn train(data: &[Labelled], epochs: usize) -> Tagger {
    let examples: Vec<Example> = data
        .iter()
        .map(|l| Example {
            input: &l.input,
            parts: parts_out_of_volume(l),
        })
        .collect();
    training::train(&examples, epochs)
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
