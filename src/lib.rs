//! clinsearch: full-text search over clinical articles.
//!
//! Files are read into one [`model::Article`] each ([`parse`]: text, Markdown, JATS, HTML, JSON
//! Lines), with reference entries parsed into their parts ([`reference`]) and in-text citations
//! resolved to them ([`citation`]); [`index`] writes a tantivy index with one document per passage
//! and per reference, updated incrementally; [`search`] ranks passages with BM25 and filters them
//! by cited year, section, author and kind. [`eval`] measures retrieval and reference parsing.

pub mod citation;
pub mod embed;
pub mod error;
pub mod eval;
pub mod export;
pub mod index;
pub mod model;
pub mod output;
pub mod parse;
pub mod reference;
pub mod remote;
pub mod search;
pub mod serve;

pub use error::{Error, Result};
