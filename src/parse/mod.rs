//! Reading article files into [`Article`]s: format detection, decoding, and one parser per format.

pub mod bibtex;
mod decode;
pub mod endnote;
pub mod export;
pub mod extracted;
pub mod html;
pub mod jats;
pub mod jsonl;
pub mod lines;
pub mod medline;
pub mod outline;
pub mod pdf;
pub mod pubmed;
pub mod ris;
pub mod text;
pub mod zotero;

use std::path::Path;

use crate::model::{Article, Format};

pub use decode::decode;

/// Why a file was not read.
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
    /// Not a format clinsearch reads.
    #[error("unknown format{0}")]
    UnknownFormat(String),
    /// The file is in a known format but broken beyond use.
    #[error("{0}")]
    Invalid(String),
}

/// What one file yielded: its articles (a JSON Lines file holds many) and the problems met on
/// the way (such as invalid lines) that did not stop the rest.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The articles.
    pub articles: Vec<Article>,
    /// "line 12: invalid JSON: ..." and the like.
    pub problems: Vec<String>,
}

/// The format a file's extension names; `None` when it names none clinsearch reads.
pub fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "nxml" | "xml" => Some(Format::Jats),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "nbib" | "medline" => Some(Format::Medline),
        "ris" => Some(Format::Ris),
        "bib" | "bibtex" => Some(Format::Bibtex),
        "gz" => Some(Format::Pubmed),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

/// The format of text without a known extension, from its first bytes.
pub fn sniff_format(source: &str) -> Option<Format> {
    let head = source.trim_start_matches('\u{feff}').trim_start();
    if let Some(format) = sniff_export(head) {
        return Some(format);
    }
    if head.starts_with("<?xml")
        || head.starts_with("<!DOCTYPE article")
        || head.starts_with("<article")
    {
        return jats::sniff(head).then_some(Format::Jats);
    }
    if html::sniff(head) {
        return Some(Format::Html);
    }
    if jsonl::sniff(head) {
        return Some(Format::Jsonl);
    }
    None
}

/// The export format of text (trimmed at its start), from its first bytes: PubMed XML, EndNote
/// XML, MEDLINE, RIS or BibTeX.
fn sniff_export(head: &str) -> Option<Format> {
    if head.starts_with('<') {
        return if pubmed::sniff(head) {
            Some(Format::Pubmed)
        } else {
            endnote::sniff(head).then_some(Format::Endnote)
        };
    }
    if medline::sniff(head) {
        Some(Format::Medline)
    } else if ris::sniff(head) {
        Some(Format::Ris)
    } else {
        None
    }
}

/// The format of a file whose extension names `format`, refined by its content: `.xml` files
/// may be PubMed or EndNote XML, and `.txt` files MEDLINE or RIS exports.
fn refine_format(format: Format, source: &str) -> Format {
    let head = source.trim_start_matches('\u{feff}').trim_start();
    match (format, sniff_export(head)) {
        (Format::Jats, Some(f @ (Format::Pubmed | Format::Endnote))) => f,
        (Format::Text, Some(f @ (Format::Medline | Format::Ris))) => f,
        _ => format,
    }
}

/// The articles of an export's records: the problems of the reader, and one for each record
/// without title or abstract (skipped).
fn export_articles(
    (records, mut problems): (Vec<export::Record>, Vec<String>),
    format: Format,
    id: &str,
    path: &str,
) -> Result<Parsed, ParseError> {
    let mut articles = Vec::new();
    for (i, record) in records.into_iter().enumerate() {
        let line = record.line;
        match record.into_article(i + 1, id, path, format) {
            export::Made::Article(article) => articles.push(*article),
            export::Made::Empty => problems.push(format!(
                "line {line}: record {} has no title and no abstract, skipped",
                i + 1
            )),
        }
    }
    if articles.is_empty() && !problems.is_empty() {
        return Err(ParseError::Invalid(format!(
            "no valid record ({})",
            problems[0]
        )));
    }
    Ok(Parsed { articles, problems })
}

/// Read PubMed XML from `input`, handing each article to `sink`; returns the problems and the
/// PMIDs the file deletes.
pub fn parse_pubmed_each(
    input: impl std::io::BufRead,
    id: &str,
    path: &str,
    sink: &dyn Fn(Article),
) -> pubmed::Outcome {
    let (mut n, mut empty) = (0, Vec::new());
    let mut outcome = pubmed::parse_pubmed(input, &mut |record| {
        n += 1;
        let line = record.line;
        match record.into_article(n, id, path, Format::Pubmed) {
            export::Made::Article(article) => sink(*article),
            export::Made::Empty => empty.push(format!(
                "line {line}: record {n} has no title and no abstract, skipped"
            )),
        }
    });
    outcome.problems.splice(0..0, empty);
    outcome
}

/// Whether the file at `path` is read as a stream rather than whole: PubMed XML (NLM's baseline
/// files hold 30,000 citations), gzipped or not.
pub fn is_streamed(path: &Path) -> bool {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("gz") => true,
        Some("xml") => {
            let mut head = [0u8; 4096];
            let n = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
                .unwrap_or(0);
            pubmed::sniff(&String::from_utf8_lossy(&head[..n]))
        }
        _ => false,
    }
}

/// Parse the file at `path` as a stream (see [`is_streamed`]), handing each article to `sink`.
pub fn parse_stream_each(
    path: &Path,
    id: &str,
    sink: &dyn Fn(Article),
) -> Result<pubmed::Outcome, ParseError> {
    let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    parse_reader_each(file, path, id, sink)
}

/// Read PubMed XML, gzipped or not, from `input`.
fn parse_reader_each(
    mut input: impl std::io::BufRead,
    path: &Path,
    id: &str,
    sink: &dyn Fn(Article),
) -> Result<pubmed::Outcome, ParseError> {
    let shown = path.display().to_string();
    if input.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let mut unzipped =
            std::io::BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(input));
        let head = String::from_utf8_lossy(std::io::BufRead::fill_buf(&mut unzipped)?).into_owned();
        if !pubmed::sniff(&head) {
            return Err(ParseError::UnknownFormat(
                " (gzip: only PubMed XML is read gzipped)".into(),
            ));
        }
        return Ok(parse_pubmed_each(unzipped, id, &shown, sink));
    }
    Ok(parse_pubmed_each(input, id, &shown, sink))
}

/// Parse already-decoded text in the given format.
///
/// ```
/// use clinsearch::model::Format;
/// let source = "# Ketamine\n\n## Methods\n\nDissociation was rated (Krystal, 2019).\n\n\
///               ## References\n\n- Krystal, J. H. (2019). Ketamine. Neuron, 101, 774-778.\n";
/// let parsed = clinsearch::parse::parse_str(source, Format::Markdown, "k", "k.md").unwrap();
/// let article = &parsed.articles[0];
/// assert_eq!(article.title, "Ketamine");
/// let (section, passage) = article.passages().next().unwrap();
/// assert_eq!(section.heading, "Methods");
/// // The citation resolves to the first entry of the reference list, whose year was parsed.
/// assert_eq!(passage.cited_references(), [0]);
/// assert_eq!(article.references[0].year, Some(2019));
/// ```
pub fn parse_str(source: &str, format: Format, id: &str, path: &str) -> Result<Parsed, ParseError> {
    let one = |article| {
        Ok(Parsed {
            articles: vec![article],
            problems: Vec::new(),
        })
    };
    match format {
        Format::Text if extracted::is_extracted(source) => {
            one(extracted::parse_extracted(source, id, path))
        }
        Format::Text | Format::Markdown => one(text::parse_text(source, format, id, path)),
        Format::Html => one(html::parse_html(source, id, path)),
        Format::Jats => jats::parse_jats(source, id, path).and_then(one),
        Format::Jsonl => {
            let (articles, problems) = jsonl::parse_jsonl(source, path);
            if articles.is_empty() && !problems.is_empty() {
                return Err(ParseError::Invalid(format!(
                    "no valid record ({})",
                    problems[0]
                )));
            }
            Ok(Parsed { articles, problems })
        }
        Format::Medline => export_articles(medline::parse_medline(source), format, id, path),
        Format::Ris => export_articles(ris::parse_ris(source), format, id, path),
        Format::Bibtex => export_articles(bibtex::parse_bibtex(source), format, id, path),
        Format::Endnote => export_articles(endnote::parse_endnote(source), format, id, path),
        Format::Pubmed => {
            let articles = std::sync::Mutex::new(Vec::new());
            let outcome = parse_pubmed_each(source.as_bytes(), id, path, &|a| {
                articles.lock().expect("not poisoned").push(a)
            });
            let articles = articles.into_inner().expect("not poisoned");
            if articles.is_empty() && !outcome.problems.is_empty() {
                return Err(ParseError::Invalid(format!(
                    "no valid record ({})",
                    outcome.problems[0]
                )));
            }
            Ok(Parsed {
                articles,
                problems: outcome.problems,
            })
        }
        Format::Pdf => Err(ParseError::Invalid(
            "a PDF is read from its bytes, not from text".into(),
        )),
        Format::Zotero => Err(ParseError::Invalid(
            "a Zotero library is read from its folder, not from text".into(),
        )),
    }
}

/// Options of parsing that are not in the file: the limits on PDFs.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// Pages and time per PDF file.
    pub pdf: pdf::PdfLimits,
}

/// Whether the file is a PDF: by its signature (ISO 32000: "%PDF-" in the first 1024 bytes),
/// or by its `.pdf` name (a 0-byte or damaged download is still named as a PDF).
fn is_pdf(bytes: &[u8], path: &Path) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
        || format_from_extension(path) == Some(Format::Pdf)
}

/// Read a PDF file into its article.
fn parse_pdf_bytes(
    bytes: &[u8],
    path: &Path,
    id: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let article = pdf::parse_pdf(bytes, id, &path.display().to_string(), options.pdf)?;
    Ok(Parsed {
        articles: vec![article],
        problems: Vec::new(),
    })
}

/// Read and parse one file; `id` is the article id (JSON Lines records use their own ids).
pub fn read_file(path: &Path, id: &str) -> Result<Parsed, ParseError> {
    parse_bytes(&std::fs::read(path)?, path, id)
}

/// Parse the bytes of the file at `path`, handing each article to `sink` as soon as it is parsed;
/// JSON Lines files are parsed in parallel chunks of lines. Returns the problems that did not stop
/// the file.
pub fn parse_bytes_each(
    bytes: &[u8],
    path: &Path,
    id: &str,
    sink: &(dyn Fn(Article) + Sync),
) -> Result<Vec<String>, ParseError> {
    parse_bytes_each_with(bytes, path, id, sink, &ParseOptions::default())
}

/// [`parse_bytes_each`] with options (the PDF limits).
pub fn parse_bytes_each_with(
    bytes: &[u8],
    path: &Path,
    id: &str,
    sink: &(dyn Fn(Article) + Sync),
    options: &ParseOptions,
) -> Result<Vec<String>, ParseError> {
    if is_pdf(bytes, path) {
        let parsed = parse_pdf_bytes(bytes, path, id, options)?;
        parsed.articles.into_iter().for_each(sink);
        return Ok(parsed.problems);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return parse_reader_each(bytes, path, id, sink).map(|o| o.problems);
    }
    let (source, format, note) = decode_and_detect(bytes, path)?;
    // A note about the file (NULs dropped) goes with its first article.
    let noted = std::sync::atomic::AtomicBool::new(note.is_none());
    let sink = &|mut article: Article| {
        if !noted.swap(true, std::sync::atomic::Ordering::Relaxed) {
            article.notes.extend(note.clone());
        }
        sink(article)
    };
    if format != Format::Jsonl {
        let parsed = parse_str(&source, format, id, &path.display().to_string())?;
        parsed.articles.into_iter().for_each(sink);
        return Ok(parsed.problems);
    }
    use rayon::prelude::*;
    const CHUNK: usize = 256;
    let lines: Vec<&str> = source.lines().collect();
    let shown = path.display().to_string();
    let (found, problems): (Vec<usize>, Vec<Vec<String>>) = lines
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let (mut found, mut problems) = (0, Vec::new());
            for (i, line) in chunk.iter().enumerate() {
                match jsonl::parse_line(line, c * CHUNK + i + 1, &shown) {
                    Some(Ok(article)) => {
                        found += 1;
                        sink(article);
                    }
                    Some(Err(problem)) => problems.push(problem.to_string()),
                    None => {}
                }
            }
            (found, problems)
        })
        .unzip();
    let problems: Vec<String> = problems.into_iter().flatten().collect();
    if found.iter().sum::<usize>() == 0 && !problems.is_empty() {
        return Err(ParseError::Invalid(format!(
            "no valid record ({})",
            problems[0]
        )));
    }
    Ok(problems)
}

/// Decode a file's bytes and tell its format, with a note when NULs were dropped.
fn decode_and_detect<'a>(
    bytes: &'a [u8],
    path: &Path,
) -> Result<(std::borrow::Cow<'a, str>, Format, Option<String>), ParseError> {
    let decoded = decode::decode_text(bytes).map_err(ParseError::NotText)?;
    let (source, nuls) = (decoded.text, decoded.dropped_nuls);
    let note = (nuls > 0).then(|| format!("dropped {nuls} NUL byte(s) from a text file"));
    if source.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let format = match format_from_extension(path) {
        Some(format) => refine_format(format, &source),
        None => sniff_format(&source).ok_or_else(|| {
            let ext = path
                .extension()
                .map(|e| format!(" (.{})", e.to_string_lossy()))
                .unwrap_or_default();
            ParseError::UnknownFormat(ext)
        })?,
    };
    Ok((source, format, note))
}

/// Parse the bytes of the file at `path` (whose name tells the format).
pub fn parse_bytes(bytes: &[u8], path: &Path, id: &str) -> Result<Parsed, ParseError> {
    if is_pdf(bytes, path) {
        return parse_pdf_bytes(bytes, path, id, &ParseOptions::default());
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let articles = std::sync::Mutex::new(Vec::new());
        let problems = parse_bytes_each(bytes, path, id, &|a| {
            articles.lock().expect("not poisoned").push(a)
        })?;
        let articles = articles.into_inner().expect("not poisoned");
        return Ok(Parsed { articles, problems });
    }
    let (source, format, note) = decode_and_detect(bytes, path)?;
    let mut parsed = parse_str(&source, format, id, &path.display().to_string())?;
    if let Some(article) = parsed.articles.first_mut() {
        article.notes.extend(note);
    }
    Ok(parsed)
}

/// Each passage of `article` with its section heading, in document order: what the parsers'
/// tests compare with the passages they expect.
#[cfg(test)]
pub(crate) fn headed_passages(article: &Article) -> Vec<(&str, &str)> {
    article
        .passages()
        .map(|(s, p)| (s.heading.as_str(), p.text.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_content() {
        assert_eq!(
            format_from_extension(Path::new("a/B.NXML")),
            Some(Format::Jats)
        );
        assert_eq!(
            format_from_extension(Path::new("x.ndjson")),
            Some(Format::Jsonl)
        );
        assert_eq!(format_from_extension(Path::new("x.png")), None);
        assert_eq!(
            sniff_format("<?xml version=\"1.0\"?>\n<article article-type=\"x\"><front/></article>"),
            Some(Format::Jats)
        );
        assert_eq!(
            sniff_format("  <!DOCTYPE html><html><p>x</p></html>"),
            Some(Format::Html)
        );
        assert_eq!(sniff_format("{\"id\": 1}\n"), Some(Format::Jsonl));
        assert_eq!(sniff_format("just some words"), None);
        assert_eq!(sniff_format("<?xml version=\"1.0\"?><svg/>"), None);
    }
}
