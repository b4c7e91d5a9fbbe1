//! PDF articles: positioned words from the content streams ([`runs`], on lopdf), lines and
//! paragraph blocks in reading order ([`layout`]), and the article structure on top
//! ([`structure`]): title, authors, sections with heading paths, passages, the reference list and
//! the in-text citations resolved to it.

mod cmap;
mod columns;
mod doi;
mod fonts;
pub mod layout;
mod objects;
mod published;
pub mod runs;
pub mod structure;
mod tables;

use std::borrow::Cow;
use std::time::Duration;

use super::ParseError;
use crate::model::Article;
use runs::{Options, PdfError};

/// Default for [`PdfLimits::max_pages`].
pub const DEFAULT_MAX_PAGES: usize = 300;
/// Default for [`PdfLimits::timeout`], in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Limits per PDF file, so that one huge or pathological file cannot stall a run.
#[derive(Clone, Copy, Debug)]
pub struct PdfLimits {
    /// Pages read at most; the rest of a longer file is left out (and a note says so).
    pub max_pages: usize,
    /// Time per file; a file that takes longer is skipped.
    pub timeout: Duration,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_pages: DEFAULT_MAX_PAGES,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
        }
    }
}

/// Why a skipped PDF was skipped, as the index summary prints it.
pub const NO_TEXT_LAYER: &str = "no text layer (scanned? run OCR first, e.g. ocrmypdf)";

/// Read a PDF into an article. Errors are the reasons the index summary prints: "encrypted",
/// [`NO_TEXT_LAYER`], a truncated or damaged file, the time limit. A panic inside the PDF
/// library or the layout costs this file only.
pub fn parse_pdf(
    bytes: &[u8],
    id: &str,
    path: &str,
    limits: PdfLimits,
) -> Result<Article, ParseError> {
    let result = std::panic::catch_unwind(|| parse_pdf_inner(bytes, id, path, limits));
    match result {
        Ok(r) => r.map_err(|why| ParseError::Invalid(why.into_owned())),
        Err(panic) => Err(ParseError::Invalid(format!(
            "PDF reader error (a bug: {})",
            crate::error::panic_message(&*panic)
        ))),
    }
}

/// [`parse_pdf`] without the panic guard; the error is the reason the summary prints.
fn parse_pdf_inner(
    bytes: &[u8],
    id: &str,
    path: &str,
    limits: PdfLimits,
) -> Result<Article, Cow<'static, str>> {
    if bytes.is_empty() {
        return Err("empty file (0 bytes: an interrupted download?)".into());
    }
    // A complete PDF ends with "%%EOF" (ISO 32000-1, 7.5.5), give or take trailing bytes.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    let options = Options {
        max_pages: limits.max_pages,
        timeout: Some(limits.timeout),
        ..Options::default()
    };
    let (pages, total) = match runs::read_pages(bytes, options) {
        Ok(read) => read,
        Err(PdfError::Load(_)) if truncated => {
            return Err(format!(
                "truncated PDF ({} bytes, no %%EOF: an incomplete download?)",
                bytes.len()
            )
            .into())
        }
        Err(e) => return Err(e.to_string().into()),
    };
    let letters: usize = pages
        .iter()
        .flat_map(|p| &p.runs)
        .map(|r| r.text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if pages.is_empty() && truncated {
        return Err(format!("truncated PDF ({} bytes, no pages)", bytes.len()).into());
    }
    if letters < 20 {
        return Err(NO_TEXT_LAYER.into());
    }
    let layout = layout::layout(&pages);
    let mut article = structure::article(&layout, id, path);
    if total > pages.len() {
        article.notes.push(format!(
            "read the first {} of {total} pages (see --pdf-max-pages)",
            pages.len()
        ));
    }
    if truncated {
        article
            .notes
            .push("truncated PDF (no %%EOF): read what it holds".into());
    }
    Ok(article)
}
