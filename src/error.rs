//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong in indexing or searching, worded for the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query text does not parse.
    #[error("invalid query {}: {}", shown(query), one_line(reason))]
    Query {
        /// The query as typed.
        query: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A filter value is not valid (`--year 2019..2015`, `--kind other`).
    #[error("{}", one_line(.0))]
    Filter(String),
    /// A data file (qrels, queries, labelled references) that does not read: where and why.
    #[error("{}", one_line(.0))]
    Invalid(String),
    /// No index where one was expected.
    #[error("no index in {}: run `clinsearch index --index {}` first", .0.display(), .0.display())]
    NoIndex(PathBuf),
    /// The index directory does not exist.
    #[error("index directory {} does not exist", .0.display())]
    NoIndexDir(PathBuf),
    /// A path to index does not exist.
    #[error("{}: no such file or directory", .0.display())]
    NoSuchPath(PathBuf),
    /// Another process holds the index writer lock.
    #[error("index {} is locked by another process", .0.display())]
    Locked(PathBuf),
    /// The index was written with a different schema.
    #[error("the index was built by another version of clinsearch ({0}); rebuild it with `clinsearch index`")]
    SchemaMismatch(String),
    /// An I/O error, with the path it concerns.
    #[error("{}: {source}", one_line(&path.display().to_string()))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An error inside tantivy.
    #[error("index error: {}", one_line(&.0.to_string()))]
    Tantivy(#[from] tantivy::TantivyError),
    /// No sentence-embedding model in the folder named.
    #[error("no sentence-embedding model in {} (config.json, tokenizer.json, model.safetensors): run scripts/fetch-model, or point --model or CLINSEARCH_MODEL at a copy of all-MiniLM-L6-v2", .0.display())]
    NoModel(PathBuf),
    /// The model or an index's vectors cannot be used: which file and why.
    #[error("{}", one_line(.0))]
    Embedding(String),
    /// A bug: a panic inside clinsearch or tantivy, caught and turned into an error.
    #[error("internal error: {}", one_line(.0))]
    Internal(String),
}

/// A query as shown in a one-line message: quoted, escaped, and cut after about 80 characters.
fn shown(query: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::from("\"");
    for c in query.chars() {
        let escaped = c.escape_debug().to_string();
        if out.len() + escaped.len() > MAX {
            out.push_str("\"…");
            return out;
        }
        out.push_str(&escaped);
    }
    out.push('"');
    out
}

/// `text` with control characters escaped and cut after about 200 characters, for a one-line
/// message.
fn one_line(text: &str) -> String {
    const MAX: usize = 200;
    let mut out = String::new();
    for c in text.chars() {
        if out.len() > MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
