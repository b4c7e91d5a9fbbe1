//! clinsearch: full-text search over clinical articles.
//!
//! Articles (plain text and Markdown) are parsed into sections, passages, references and in-text
//! citations ([`parse`], [`reference`], [`citation`]), written to a tantivy index with one document
//! per passage and per reference ([`schema`], [`documents`], [`indexer`]), and searched with BM25
//! and filters on cited year, section, author and kind ([`search`], [`filter`]).
#![deny(missing_docs)]

pub mod abbrev;
pub mod analysis;
pub mod citation;
pub mod documents;
pub mod error;
pub mod eval;
pub mod filter;
pub mod indexer;
pub mod metrics;
pub mod model;
pub mod output;
pub mod parse;
pub mod reference;
pub mod refeval;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;

pub use error::{Error, Result};
