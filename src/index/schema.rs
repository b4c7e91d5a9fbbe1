//! The tantivy schema: one document per passage and per reference, and the analyzers its text
//! fields use.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::Index;

use crate::error::Error;
use crate::index::analysis::{BioTokenizer, CachedStemmer, GreekFolder};

/// Analyzer for English running text: lowercased, ASCII-folded, stemmed.
pub const TEXT_ANALYZER: &str = "clinical_en";
/// Analyzer for personal names: lowercased and ASCII-folded, not stemmed.
pub const NAME_ANALYZER: &str = "clinical_names";
/// Tokens longer than this (in bytes) are dropped: they are never words.
const MAX_TOKEN_LEN: usize = 64;

/// Bumped whenever the schema, the analysis or what parsing puts into fields changes, so that
/// stale indexes are rebuilt (13: the page a PDF passage starts on; 12: article and ordinal are
/// fast fields, for ranking without reading stored documents; 11: PMID, DOI, work keys and
/// subject terms of articles).
pub const SCHEMA_VERSION: u32 = 13;

/// `kind` value of a passage document.
pub const KIND_PASSAGE: &str = "passage";
/// `kind` value of a reference document.
pub const KIND_REFERENCE: &str = "reference";

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `<article>#p<n>` or `<article>#r<n>`.
    pub id: Field,
    /// The article id (fast: ties in ranking are broken by it, and batch runs read it).
    pub article: Field,
    /// The file the documents came from (canonical path): the key for replacing or deleting them.
    pub source: Field,
    /// The file the article came from.
    pub path: Field,
    /// The article's format ("text", "markdown").
    pub format: Field,
    /// `passage` or `reference`.
    pub kind: Field,
    /// Article title.
    pub title: Field,
    /// Section heading path; `References` for references.
    pub section: Field,
    /// What a query for passages searches by default: the article title, section heading and
    /// paragraph of a passage. Indexed, not stored.
    pub text: Field,
    /// What a query for references searches by default: the whole entry. Indexed, not stored.
    /// Kept apart from `text` so that a passage search needs no filter on `kind`.
    pub entry: Field,
    /// The paragraph, or the reference entry, as stored for display.
    pub body: Field,
    /// Cited works' authors (passage) or the reference's own authors.
    pub author: Field,
    /// Cited years (passage) or the reference's year; multi-valued.
    pub year: Field,
    /// The article's own publication year, when known.
    pub article_year: Field,
    /// The article's own authors, when known.
    pub article_author: Field,
    /// The article's PubMed id, when known: the key `DeleteCitation` deletes by.
    pub pmid: Field,
    /// The article's DOI, lowercased, when known.
    pub doi: Field,
    /// Keys of the work an export record is ("pmid:…", "doi:…", "title:…|year"), for merging
    /// duplicates across exports.
    pub work: Field,
    /// The article's subject terms (MeSH headings, keywords, publication types). Not stored.
    pub keyword: Field,
    /// Position of the passage or reference in its article (fast: the second tie-break).
    pub ordinal: Field,
    /// The page a passage starts on, from 1 (PDFs).
    pub page: Field,
    /// Index-wide document order (article order), for listing without a query.
    pub seq: Field,
    /// Stored JSON of each work a passage cites.
    pub cites: Field,
    /// Stored JSON of a parsed reference entry.
    pub reference: Field,
    /// How many passages of its article cite a reference (fast, for "most cited").
    pub cited: Field,
    /// The other form of abbreviations the article defines: "treatment-resistant depression" on a
    /// passage that only says "TRD", and the reverse.
    pub expansion: Field,
}

/// Build the schema.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    let english = text_options(TEXT_ANALYZER);
    let names = text_options(NAME_ANALYZER);
    let year = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("article", STRING | STORED | FAST);
    b.add_text_field("source", STRING);
    b.add_text_field("path", STORED);
    b.add_text_field("format", STRING | STORED);
    b.add_text_field("kind", STRING | STORED | FAST);
    b.add_text_field("title", english.clone());
    b.add_text_field("section", english);
    b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(english_indexing()),
    );
    b.add_text_field(
        "entry",
        TextOptions::default().set_indexing_options(english_indexing()),
    );
    b.add_text_field("body", STORED);
    b.add_text_field("author", names.clone());
    b.add_u64_field("year", year.clone());
    b.add_u64_field("article_year", year);
    b.add_text_field("article_author", names);
    b.add_text_field("pmid", STRING | STORED);
    b.add_text_field("doi", STRING | STORED);
    b.add_text_field("work", STRING);
    b.add_text_field(
        "keyword",
        TextOptions::default().set_indexing_options(english_indexing()),
    );
    b.add_u64_field("ordinal", STORED | FAST);
    b.add_u64_field("page", STORED);
    b.add_u64_field("seq", FAST);
    b.add_text_field("cites", STORED);
    b.add_text_field("reference", STORED);
    b.add_u64_field("cited", FAST | STORED);
    let expansion = TextFieldIndexing::default()
        .set_tokenizer(TEXT_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    b.add_text_field(
        "expansion",
        TextOptions::default().set_indexing_options(expansion),
    );
    b.build()
}

fn english_indexing() -> TextFieldIndexing {
    TextFieldIndexing::default()
        .set_tokenizer(TEXT_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions)
}

fn text_options(analyzer: &str) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default()
        .set_indexing_options(indexing)
        .set_stored()
}

impl Fields {
    /// Look up every field; fails when the index was built with another schema.
    pub fn from_schema(schema: &Schema) -> Result<Fields, Error> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::SchemaMismatch(format!("it has no field '{name}'")))
        };
        Ok(Fields {
            id: get("id")?,
            article: get("article")?,
            source: get("source")?,
            path: get("path")?,
            format: get("format")?,
            kind: get("kind")?,
            title: get("title")?,
            section: get("section")?,
            text: get("text")?,
            entry: get("entry")?,
            author: get("author")?,
            year: get("year")?,
            article_year: get("article_year")?,
            article_author: get("article_author")?,
            pmid: get("pmid")?,
            doi: get("doi")?,
            work: get("work")?,
            keyword: get("keyword")?,
            ordinal: get("ordinal")?,
            page: get("page")?,
            seq: get("seq")?,
            cites: get("cites")?,
            reference: get("reference")?,
            cited: get("cited")?,
            body: get("body")?,
            expansion: get("expansion")?,
        })
    }
}

/// The English text analyzer: words and joined hyphenated compounds, lowercased, Greek letters
/// spelled out, ASCII-folded, stemmed (see [`crate::index::analysis`]).
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(BioTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(GreekFolder)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// The name analyzer.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Register the analyzers the schema names; needed on every opened or created index.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index.tokenizers().register(NAME_ANALYZER, name_analyzer());
}

/// The tokens `analyzer` makes of `text`, in order.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Whether a (stemmed, lowercased) token is an English stop word.
pub fn is_stop_word(token: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
        "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
        "these", "they", "this", "to", "was", "will", "with", "which", "than", "has", "have",
        "had", "were", "been", "its", "from", "can", "do", "doe", "may",
    ];
    STOP.contains(&token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_analyzer_stems_and_folds() {
        let got = tokens(&mut text_analyzer(), "Dissociation of NMDA receptors, café");
        assert_eq!(got, ["dissoci", "of", "nmda", "receptor", "cafe"]);
    }

    #[test]
    fn name_analyzer_keeps_names_whole() {
        assert_eq!(
            tokens(&mut name_analyzer(), "Aan Het Rot, M."),
            ["aan", "het", "rot", "m"]
        );
        assert_eq!(tokens(&mut name_analyzer(), "Mathews"), ["mathews"]);
    }

    #[test]
    fn fields_resolve_on_own_schema() {
        assert!(Fields::from_schema(&schema()).is_ok());
        assert!(Fields::from_schema(&Schema::builder().build()).is_err());
    }
}
