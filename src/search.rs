//! Searching the index: a query in tantivy's syntax, filters as term and range queries, ranked hits
//! with highlighted snippets.

use std::ops::{Bound, Range};
use std::path::Path;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, Score, TantivyDocument, Term};

use crate::documents::CitedWork;
use crate::error::{Error, Result};
use crate::filter::{Kind, YearRange};
use crate::indexer::index_exists;
use crate::model::Reference;
use crate::schema::{name_analyzer, register_analyzers, text_analyzer, tokens, Fields};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;
/// Fields a query term searches when it names none.
const DEFAULT_FIELDS: [&str; 3] = ["title", "section", "text"];
/// Fields users may name in a query.
const QUERY_FIELDS: &str =
    "title, section, text, author, year, kind, article, article_year, article_author";

/// One search: optional query text and filters.
#[derive(Clone, Debug)]
pub struct Request {
    /// Query in tantivy's syntax; `None` lists every document the filters keep, in article order.
    pub query: Option<String>,
    /// Keep passages citing work from these years (references: published in them).
    pub years: Option<YearRange>,
    /// Keep documents whose section heading has all these words.
    pub section: Option<String>,
    /// Keep documents with this author (cited authors for passages).
    pub author: Option<String>,
    /// Which documents.
    pub kind: Kind,
    /// How many hits to return.
    pub limit: usize,
    /// How many hits to skip first.
    pub offset: usize,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            query: None,
            years: None,
            section: None,
            author: None,
            kind: Kind::Passage,
            limit: 10,
            offset: 0,
        }
    }
}

/// The hits of a search and how many documents matched in all.
#[derive(Debug, Serialize)]
pub struct Results {
    /// Number of matching documents.
    pub total: usize,
    /// The hits in rank order.
    pub hits: Vec<Hit>,
}

/// One matching passage or reference.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score; `None` when listing without a query.
    pub score: Option<Score>,
    /// Document id (`<article>#p<n>` or `<article>#r<n>`).
    pub id: String,
    /// `passage` or `reference`.
    pub kind: String,
    /// Article id.
    pub article: String,
    /// The article's file.
    pub path: String,
    /// Article title.
    pub title: String,
    /// Section heading path.
    pub section: String,
    /// Cited years (passage) or publication year (reference), ascending.
    pub years: Vec<u16>,
    /// Works the passage cites, in text order.
    pub cites: Vec<CitedWork>,
    /// The parsed entry, for a reference hit.
    pub reference: Option<Reference>,
    /// The whole passage or entry.
    pub text: String,
    /// The best fragment of the text.
    pub snippet: String,
    /// Byte ranges of matched terms in `snippet`.
    pub highlights: Vec<Range<usize>>,
}

/// An open index, ready to answer searches.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    text_analyzer: TextAnalyzer,
    name_analyzer: TextAnalyzer,
}

impl Searcher {
    /// Open the index in `dir`.
    pub fn open(dir: &Path) -> Result<Searcher> {
        if !dir.is_dir() {
            return Err(Error::NoIndexDir(dir.to_path_buf()));
        }
        if !index_exists(dir) {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        register_analyzers(&index);
        let schema = index.schema();
        let fields = Fields::from_schema(&schema)?;
        let defaults = DEFAULT_FIELDS
            .iter()
            .map(|f| schema.get_field(f).expect("schema has default fields"))
            .collect();
        let parser = QueryParser::for_index(&index, defaults);
        let reader = index.reader()?;
        Ok(Searcher {
            index,
            reader,
            fields,
            parser,
            text_analyzer: text_analyzer(),
            name_analyzer: name_analyzer(),
        })
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Run a search.
    pub fn search(&self, request: &Request) -> Result<Results> {
        let text_query = match request.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Some(self.parse(q)?),
            _ => None,
        };
        let filters = self.filters(request)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = &text_query {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for f in filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
        }
        if text_query.is_none() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let query = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let limit = request.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let (total, found): (usize, Vec<(Option<Score>, DocAddress)>) = if text_query.is_some() {
            let (docs, total) = searcher.search(&query, &(top.order_by_score(), Count))?;
            (total, docs.into_iter().map(|(s, a)| (Some(s), a)).collect())
        } else {
            let (docs, total) =
                searcher.search(&query, &(top.order_by_u64_field("seq", Order::Asc), Count))?;
            (total, docs.into_iter().map(|(_, a)| (None, a)).collect())
        };
        let snippets = match &text_query {
            Some(q) => {
                let mut generator =
                    SnippetGenerator::create(&searcher, q.as_ref(), self.fields.text)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Some(generator)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(found.len());
        for (i, (score, address)) in found.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, request.offset + i + 1, score);
            let snippet = snippets.as_ref().map(|g| g.snippet_from_doc(&doc));
            match snippet {
                Some(s) if !s.is_empty() => {
                    hit.snippet = s.fragment().to_string();
                    hit.highlights = s.highlighted().to_vec();
                }
                _ => hit.snippet = leading(&hit.text, SNIPPET_CHARS),
            }
            hits.push(hit);
        }
        Ok(Results { total, hits })
    }

    /// Articles ranked for a natural-language query (a question or a claim): every word is a
    /// search term, nothing is query syntax. An article scores as its best passage. Returns up to
    /// `limit` (article id, score) pairs, best first.
    pub fn rank_articles(&self, text: &str, limit: usize) -> Result<Vec<(String, Score)>> {
        let query = self.natural_query(text);
        let searcher = self.reader.searcher();
        let kind: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(self.fields.kind, crate::schema::KIND_PASSAGE),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(ConstScoreQuery::new(kind, 0.0))),
        ]);
        // Passages beyond the first `limit` articles' best ones cannot change those articles' scores,
        // but articles with many passages need a deeper pool to fill `limit` distinct articles.
        let mut pool = limit.max(1) * 3;
        loop {
            let top = searcher.search(&query, &TopDocs::with_limit(pool).order_by_score())?;
            let mut best: Vec<(String, Score)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (score, address) in &top {
                let doc: TantivyDocument = searcher.doc(*address)?;
                let article = doc
                    .get_first(self.fields.article)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                if seen.insert(article.clone()) {
                    best.push((article, *score));
                    if best.len() == limit {
                        break;
                    }
                }
            }
            if best.len() == limit || top.len() < pool {
                return Ok(best);
            }
            pool *= 4;
        }
    }

    /// Every analysed word of `text` as an optional term in each default field.
    fn natural_query(&self, text: &str) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in [self.fields.title, self.fields.text] {
            for word in tokens(&mut self.text_analyzer.clone(), text) {
                let q = TermQuery::new(
                    Term::from_field_text(field, &word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((Occur::Should, Box::new(q)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn parse(&self, query: &str) -> Result<Box<dyn Query>> {
        self.parser.parse_query(query).map_err(|e| Error::Query {
            query: query.to_string(),
            reason: describe(e),
        })
    }

    /// Filters as queries, each one to be required.
    fn filters(&self, request: &Request) -> Result<Vec<Box<dyn Query>>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(kind) = request.kind.term() {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, kind),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(years) = request.years {
            let bound = |y: Option<u16>| {
                y.map_or(Bound::Unbounded, |y| {
                    Bound::Included(Term::from_field_u64(f.year, u64::from(y)))
                })
            };
            out.push(Box::new(RangeQuery::new(
                bound(years.from),
                bound(years.to),
            )));
        }
        if let Some(section) = &request.section {
            let words = tokens(&mut self.text_analyzer.clone(), section);
            if words.is_empty() {
                return Err(Error::Filter(format!(
                    "section filter {section:?} has no words"
                )));
            }
            let all: Vec<(Occur, Box<dyn Query>)> = words
                .into_iter()
                .map(|w| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.section, &w),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Must, q)
                })
                .collect();
            out.push(Box::new(BooleanQuery::new(all)));
        }
        if let Some(author) = &request.author {
            let words = tokens(&mut self.name_analyzer.clone(), author);
            let terms: Vec<Term> = words
                .iter()
                .map(|w| Term::from_field_text(f.author, w))
                .collect();
            match terms.len() {
                0 => {
                    return Err(Error::Filter(format!(
                        "author filter {author:?} has no name in it"
                    )))
                }
                1 => out.push(Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::Basic,
                ))),
                _ => out.push(Box::new(PhraseQuery::new(terms))),
            }
        }
        Ok(out)
    }

    fn hit(&self, doc: &TantivyDocument, rank: usize, score: Option<Score>) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let mut years: Vec<u16> = doc
            .get_all(f.year)
            .filter_map(|v| v.as_u64())
            .filter_map(|y| u16::try_from(y).ok())
            .collect();
        years.sort_unstable();
        let cites = doc
            .get_all(f.cites)
            .filter_map(|v| v.as_str())
            .filter_map(|s| serde_json::from_str(s).ok())
            .collect();
        let reference = doc
            .get_first(f.reference)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok());
        Hit {
            rank,
            score,
            id: text(f.id),
            kind: text(f.kind),
            article: text(f.article),
            path: text(f.path),
            title: text(f.title),
            section: text(f.section),
            years,
            cites,
            reference,
            text: text(f.text),
            snippet: String::new(),
            highlights: Vec::new(),
        }
    }
}

/// One line saying what is wrong with a query.
fn describe(error: QueryParserError) -> String {
    match error {
        QueryParserError::SyntaxError(_) => {
            "syntax error (check quotes, parentheses and AND/OR/NOT operands)".into()
        }
        QueryParserError::FieldDoesNotExist(field) => {
            format!("unknown field '{field}' (fields: {QUERY_FIELDS})")
        }
        QueryParserError::ExpectedInt(_) => {
            "expected a whole number, e.g. year:2016 or year:[2015 TO 2019]".into()
        }
        other => other.to_string(),
    }
}

/// The start of `text`, cut at a word boundary.
fn leading(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::leading;

    #[test]
    fn leading_cuts_at_a_word() {
        assert_eq!(leading("short", 10), "short");
        assert_eq!(leading("one two three", 8), "one two…");
    }
}
