//! Exporting an index for [Quickwit](https://quickwit.io), the distributed search engine built on
//! tantivy: an index config and the documents as NDJSON, with every searchable text field
//! **pre-analysed** — the tokens clinsearch's own analysis makes (compounds joined, Greek letters
//! spelled out, British spellings made American, stemmed), one space between tokens — so that an
//! index with a whitespace tokenizer holds the same terms, the same term frequencies and the same
//! field lengths, and its BM25 weighs them as clinsearch does.
//!
//! Text that clinsearch indexes without storing it is recovered: a passage's `text` is its title,
//! section heading and paragraph (all stored) analysed again; subject terms (`keyword`) and
//! abbreviation expansions (`expansion`) are read back from the index's postings, in position
//! order.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Index, SegmentReader, TantivyDocument, TantivyError, TERMINATED};

use crate::error::{Error, Result};
use crate::index::schema::{name_analyzer, text_analyzer, tokens, Fields};

/// Documents per NDJSON file: files of a few hundred MiB, ingested one by one or in parallel.
pub const DOCS_PER_FILE: u64 = 1_000_000;
/// The name of the index config in the output folder.
pub const CONFIG_FILE: &str = "index-config.json";
/// Index config version written (Quickwit 0.8 and later read it).
const CONFIG_VERSION: &str = "0.8";

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// Documents written (passages and references).
    pub documents: u64,
    /// The index config.
    pub config: PathBuf,
    /// The NDJSON files, in order.
    pub files: Vec<PathBuf>,
}

/// The Quickwit fields and how each is mapped: (name, Quickwit type, role).
const FIELDS: &[(&str, &str, Role)] = &[
    ("id", "text", Role::Key),
    ("article", "text", Role::Facet),
    ("kind", "text", Role::Facet),
    ("format", "text", Role::Facet),
    ("ordinal", "u64", Role::Number),
    ("path", "text", Role::Key),
    ("pmid", "text", Role::Key),
    ("doi", "text", Role::Key),
    ("text", "text", Role::Analysed),
    ("entry", "text", Role::Analysed),
    ("title", "text", Role::Analysed),
    ("section", "text", Role::Analysed),
    ("author", "text", Role::Analysed),
    ("article_author", "text", Role::Analysed),
    ("keyword", "text", Role::Analysed),
    ("expansion", "text", Role::Analysed),
    ("title_raw", "text", Role::Display),
    ("section_raw", "array<text>", Role::Facet),
    ("author_raw", "array<text>", Role::Facet),
    ("article_author_raw", "array<text>", Role::Facet),
    ("year", "array<u64>", Role::Number),
    ("article_year", "u64", Role::Number),
    ("cited", "u64", Role::Number),
    ("body", "text", Role::Display),
    ("cites", "array<text>", Role::Display),
];

/// How a field is indexed in Quickwit.
#[derive(Clone, Copy)]
enum Role {
    /// Pre-analysed tokens: whitespace tokenizer, positions and field norms (BM25), not stored.
    Analysed,
    /// An exact value, searchable as a whole (raw tokenizer).
    Key,
    /// An exact value, searchable and a fast field (filters, aggregations, sorting).
    Facet,
    /// A number: indexed (range queries) and fast.
    Number,
    /// Stored for display only.
    Display,
}

/// The Quickwit index config (as JSON, which is also YAML) for an index named `index_id`.
pub fn quickwit_config(index_id: &str) -> Value {
    let mappings: Vec<Value> = FIELDS
        .iter()
        .map(|&(name, ty, role)| {
            let mut m = json!({ "name": name, "type": ty });
            let extra = match role {
                Role::Analysed => json!({
                    "tokenizer": "whitespace", "record": "position", "fieldnorms": true,
                    "stored": false
                }),
                Role::Key => json!({ "tokenizer": "raw" }),
                Role::Facet => json!({ "tokenizer": "raw", "fast": true }),
                Role::Number => json!({ "indexed": true, "fast": true }),
                Role::Display => json!({ "indexed": false }),
            };
            for (k, v) in extra.as_object().expect("an object") {
                m[k] = v.clone();
            }
            m
        })
        .collect();
    json!({
        "version": CONFIG_VERSION,
        "index_id": index_id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": mappings,
        },
        "search_settings": { "default_search_fields": ["text"] },
        "indexing_settings": { "commit_timeout_secs": 60 },
    })
}

/// Write `index` (a clinsearch index, or several opened as one) to `out` for Quickwit: the
/// index config [`CONFIG_FILE`] and the documents in `documents-NNNNN.ndjson` files of
/// [`DOCS_PER_FILE`] each. Document files of an earlier export in `out` are removed first.
pub fn quickwit(index: &Index, out: &Path, index_id: &str) -> Result<Exported> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    fs::create_dir_all(out).map_err(io(out))?;
    for entry in fs::read_dir(out).map_err(io(out))? {
        let path = entry.map_err(io(out))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("documents-") && name.ends_with(".ndjson") {
            fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    let config = out.join(CONFIG_FILE);
    let text =
        serde_json::to_string_pretty(&quickwit_config(index_id)).expect("the config serialises");
    fs::write(&config, text + "\n").map_err(io(&config))?;

    let fields = Fields::from_schema(&index.schema())?;
    let searcher = index.reader()?.searcher();
    let mut sink = Sink {
        out: out.to_path_buf(),
        writer: None,
        files: Vec::new(),
        documents: 0,
    };
    let mut analysis = Analysis {
        text: text_analyzer(),
        names: name_analyzer(),
    };
    for segment in searcher.segment_readers() {
        let keyword = IndexedTokens::read(segment, fields.keyword)?;
        let expansion = IndexedTokens::read(segment, fields.expansion)?;
        let store = segment.get_store_reader(16).map_err(TantivyError::from)?;
        for doc_id in 0..segment.max_doc() {
            if segment.is_deleted(doc_id) {
                continue;
            }
            let doc: TantivyDocument = store.get(doc_id)?;
            let mut record = analysis.record(&doc, &fields);
            for (name, tokens) in [("keyword", &keyword), ("expansion", &expansion)] {
                let joined = tokens.of(doc_id);
                if !joined.is_empty() {
                    record.insert(name.into(), Value::String(joined));
                }
            }
            sink.write(&Value::Object(record))?;
        }
    }
    sink.finish()?;
    Ok(Exported {
        documents: sink.documents,
        config,
        files: sink.files,
    })
}

/// The analyzers, reused from document to document.
struct Analysis {
    text: TextAnalyzer,
    names: TextAnalyzer,
}

impl Analysis {
    /// The exported fields of one stored document, but for those read from postings.
    fn record(&mut self, doc: &TantivyDocument, f: &Fields) -> Map<String, Value> {
        let first = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let all =
            |field: Field| -> Vec<&str> { doc.get_all(field).filter_map(|v| v.as_str()).collect() };
        let numbers =
            |field: Field| -> Vec<u64> { doc.get_all(field).filter_map(|v| v.as_u64()).collect() };
        let mut r = Map::new();
        let mut put = |name: &str, value: Value| {
            let empty = match &value {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if !empty {
                r.insert(name.to_string(), value);
            }
        };
        let (title, section, body, kind) = (
            first(f.title),
            first(f.section),
            first(f.body),
            first(f.kind),
        );
        for (name, field) in [("id", f.id), ("article", f.article), ("kind", f.kind)] {
            put(name, json!(first(field)));
        }
        for (name, field) in [("format", f.format), ("path", f.path), ("pmid", f.pmid)] {
            put(name, json!(first(field)));
        }
        put("doi", json!(first(f.doi)));
        put(
            "ordinal",
            json!(doc.get_first(f.ordinal).and_then(|v| v.as_u64())),
        );
        if kind == crate::index::schema::KIND_REFERENCE {
            put("entry", json!(analysed(&mut self.text, &[body])));
        } else {
            // As the index builds it (index::documents): title, heading and paragraph.
            let text = format!("{title}\n{section}\n{body}");
            put("text", json!(analysed(&mut self.text, &[&text])));
        }
        put("title", json!(analysed(&mut self.text, &[title])));
        put("section", json!(analysed(&mut self.text, &all(f.section))));
        put("author", json!(analysed(&mut self.names, &all(f.author))));
        let article_authors = all(f.article_author);
        put(
            "article_author",
            json!(analysed(&mut self.names, &article_authors)),
        );
        put("title_raw", json!(title));
        put("section_raw", json!(all(f.section)));
        put("author_raw", json!(all(f.author)));
        put("article_author_raw", json!(article_authors));
        put("year", json!(numbers(f.year)));
        put("article_year", json!(numbers(f.article_year).first()));
        put("cited", json!(numbers(f.cited).first()));
        put("body", json!(body));
        let labels: Vec<String> = all(f.cites)
            .into_iter()
            .filter_map(|c| serde_json::from_str::<crate::index::documents::CitedWork>(c).ok())
            .map(|c| c.label)
            .collect();
        put("cites", json!(labels));
        r
    }
}

/// The tokens `analyzer` makes of each of `values`, in order, joined by single spaces: what a
/// whitespace tokenizer splits back into the same tokens, as many as the index counted.
pub fn analysed(analyzer: &mut TextAnalyzer, values: &[&str]) -> String {
    let mut out = String::new();
    for value in values {
        for token in tokens(analyzer, value) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&token);
        }
    }
    out
}

/// The tokens of one indexed, unstored field of a segment, by document, read from its postings.
struct IndexedTokens {
    /// (document, position, term number), sorted.
    postings: Vec<(DocId, u32, u32)>,
    terms: Vec<String>,
}

impl IndexedTokens {
    fn read(segment: &SegmentReader, field: Field) -> Result<IndexedTokens> {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream().map_err(TantivyError::from)?;
        let (mut postings, mut terms, mut positions) = (Vec::new(), Vec::new(), Vec::new());
        while stream.advance() {
            let ord = terms.len() as u32;
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
            let mut docs = inverted
                .read_postings_from_terminfo(
                    stream.value(),
                    IndexRecordOption::WithFreqsAndPositions,
                )
                .map_err(TantivyError::from)?;
            while docs.doc() != TERMINATED {
                docs.positions(&mut positions);
                postings.extend(positions.iter().map(|&p| (docs.doc(), p, ord)));
                docs.advance();
            }
        }
        postings.sort_unstable();
        Ok(IndexedTokens { postings, terms })
    }

    /// The tokens of `doc` in position order, joined by spaces.
    fn of(&self, doc: DocId) -> String {
        let start = self.postings.partition_point(|p| p.0 < doc);
        let tokens = self.postings[start..].iter().take_while(|p| p.0 == doc);
        let words: Vec<&str> = tokens.map(|p| self.terms[p.2 as usize].as_str()).collect();
        words.join(" ")
    }
}

/// NDJSON files of [`DOCS_PER_FILE`] documents each.
struct Sink {
    out: PathBuf,
    writer: Option<BufWriter<File>>,
    files: Vec<PathBuf>,
    documents: u64,
}

impl Sink {
    fn write(&mut self, record: &Value) -> Result<()> {
        if self.documents.is_multiple_of(DOCS_PER_FILE) {
            self.finish()?;
            let path = self
                .out
                .join(format!("documents-{:05}.ndjson", self.files.len()));
            let file = File::create(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            self.writer = Some(BufWriter::new(file));
            self.files.push(path);
        }
        let line = serde_json::to_string(record).expect("a record serialises");
        let written = writeln!(self.writer.as_mut().expect("a file is open"), "{line}");
        written.map_err(|source| self.error(source))?;
        self.documents += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush().map_err(|source| self.error(source))?;
        }
        Ok(())
    }

    fn error(&self, source: std::io::Error) -> Error {
        let path = self
            .files
            .last()
            .cloned()
            .unwrap_or_else(|| self.out.clone());
        Error::Io { path, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_maps_every_field_once_and_text_by_whitespace() {
        let config = quickwit_config("clin");
        let mappings = config["doc_mapping"]["field_mappings"].as_array().unwrap();
        let mut names: Vec<&str> = mappings
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a field mapped twice");
        let text = mappings.iter().find(|m| m["name"] == "text").unwrap();
        assert_eq!(text["tokenizer"], "whitespace");
        assert_eq!(text["fieldnorms"], true);
        let year = mappings.iter().find(|m| m["name"] == "year").unwrap();
        assert_eq!(year["fast"], true);
    }

    #[test]
    fn analysed_text_splits_back_into_the_tokens() {
        let got = analysed(&mut text_analyzer(), &["IL-6 levels", "", "Tumours"]);
        assert_eq!(got, "il6 il 6 level tumor");
    }
}
