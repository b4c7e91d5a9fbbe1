//! Reading article files into [`Article`]s: format detection, decoding, and the parser per format.

mod decode;
pub mod text;

use std::path::Path;

use crate::model::{Article, Format};

pub use decode::decode;

/// Why a file was not read as an article.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not text.
    #[error("{0}")]
    NotText(&'static str),
    /// The file has no text at all.
    #[error("empty file")]
    Empty,
}

/// The article format for a path, from its extension; `None` for files that are not articles.
pub fn detect_format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// Parse already-decoded text in the given format.
pub fn parse_str(source: &str, format: Format, id: &str, path: &str) -> Article {
    match format {
        Format::Text | Format::Markdown => text::parse_text(source, format, id, path),
    }
}

/// Read and parse one file. `id` is the article's identifier in the index.
pub fn read_article(path: &Path, format: Format, id: &str) -> Result<Article, ParseError> {
    let bytes = std::fs::read(path)?;
    let source = decode(&bytes).map_err(ParseError::NotText)?;
    if source.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(parse_str(&source, format, id, &path.display().to_string()))
}
