//! Scoring the reference parser against labelled references.
//!
//! The labels come from AnyStyle's XML training format: each `<sequence>` holds the parts of one
//! reference string, each part wrapped in an element naming its field (`<author>`, `<date>`,
//! `<title>`, `<journal>`, `<container-title>`, `<volume>`, `<pages>`, `<doi>`...). The string is
//! the parts' text in order. A field is correct when the parser's value equals the label after
//! [`normalize`] (outer punctuation, whitespace, "Vol."/"pp." prefixes, dashes); authors are
//! compared as the list of surnames.
//!
//! The scorer reads the labels with its own small readers ([`anystyle`], [`names`]) and
//! normalisers ([`score`]), so that parser and scorer cannot agree on a mistake; it calls the
//! parser only through the entry points it measures.

use std::collections::BTreeMap;

mod anystyle;
mod citations;
mod cross;
mod names;
mod score;
mod training;

pub use anystyle::{read_anystyle, InvalidXml};
pub use citations::{citation_accuracy, CitationAccuracy, Detection};
pub use cross::cross_validate;
pub use names::gold_surnames;
pub use score::{
    evaluate, evaluate_with, normalize, predicted, score, FieldScore, Mismatch, Report,
};
pub use training::train;

/// The value of the author fields when they are a ditto mark ("———.", the previous entry's
/// authors): a label that is one is matched by a parse that recognised it.
const DITTO: &str = "(ditto)";

/// The fields scored, in table order.
pub const FIELDS: [&str; 8] = [
    "author",
    "first_author",
    "year",
    "title",
    "venue",
    "volume",
    "pages",
    "doi",
];

/// One labelled reference: the input string and the gold value of each field it labels.
#[derive(Clone, Debug)]
pub struct Labelled {
    /// The reference string.
    pub input: String,
    /// Byte ranges of the labelled parts in `input`, with their element names.
    pub parts: Vec<(String, std::ops::Range<usize>)>,
    /// Gold values by field name (normalised).
    pub gold: BTreeMap<&'static str, String>,
}
