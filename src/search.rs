//! Searching the index: a query in tantivy's syntax, filters as term and range queries, ranked hits
//! with highlighted snippets.

use std::ops::{Bound, Range};
use std::path::Path;

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, Score, TantivyDocument, Term};

use crate::documents::CitedWork;
use crate::error::{Error, Result};
use crate::filter::{Kind, YearRange};
use crate::indexer::index_exists;
use crate::model::Reference;
use crate::schema::{
    is_stop_word, name_analyzer, register_analyzers, text_analyzer, tokens, Fields,
};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;
/// The text part of a query, when there is one.
type TextQuery = Option<Box<dyn Query>>;

/// Times [`Searcher::open`] tries when the index changes under it.
const OPEN_ATTEMPTS: usize = 5;
/// Longest query, in bytes: longer query syntax is refused; longer natural-language text is read
/// up to this length.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Most distinct terms in a query: more in query syntax is refused; natural-language text keeps
/// its first this many.
pub const MAX_QUERY_TERMS: usize = 1024;
/// Weight of a match through an abbreviation's other form, below a match of the words themselves.
const EXPANSION_BOOST: f32 = 0.4;
/// Query weight of a joined hyphenated compound whose parts are also in the query: the parts
/// already match the compound, so the joined term counts for less than a word.
const COMPOUND_WEIGHT: f32 = 0.25;
/// RM3: feedback passages, feedback terms, and the weight kept by the original query.
const RM3_DOCS: usize = 10;
const RM3_TERMS: usize = 20;
const RM3_ORIGINAL: f32 = 0.8;
/// RM3: a feedback passage weighs exp((score - best score) / RM3_TEMPERATURE).
const RM3_TEMPERATURE: f32 = 2.0;
/// Fields users may name in a query.
const QUERY_FIELDS: &str =
    "title, section, text, entry, expansion, author, year, kind, article, article_year, article_author";

/// How natural-language queries are ranked; the default is what measured best (docs/QUALITY.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranking {
    /// Drop English stop words from the query.
    pub stop_words: bool,
    /// Pseudo-relevance feedback (RM3) for natural-language queries ([`Searcher::rank_articles`]).
    pub expand: bool,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            stop_words: true,
            expand: true,
        }
    }
}

impl Ranking {
    /// Plain BM25: every query word, stop words included, in the text field alone.
    pub fn plain() -> Ranking {
        Ranking {
            stop_words: false,
            expand: false,
        }
    }
}

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
    /// Read the query as natural language (a question or a claim): every word is a search term
    /// and nothing is query syntax.
    pub natural: bool,
    /// Make highlighted snippets; without, a hit's snippet is the start of its text.
    pub snippets: bool,
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
            natural: false,
            snippets: true,
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
    /// One query parser per [`Kind`]: each searches by default the fields only that kind has.
    parsers: [QueryParser; 3],
    text_analyzer: TextAnalyzer,
    name_analyzer: TextAnalyzer,
}

impl Searcher {
    /// Open the index in `dir`. An `index` run in another process may commit (and delete the
    /// files of the commit before) while this reads the index's files: then it tries again.
    pub fn open(dir: &Path) -> Result<Searcher> {
        if !dir.is_dir() {
            return Err(Error::NoIndexDir(dir.to_path_buf()));
        }
        if !index_exists(dir) {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let mut attempt = 1;
        loop {
            match Searcher::open_once(dir) {
                Err(Error::Tantivy(_)) if attempt < OPEN_ATTEMPTS => {
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt as u64));
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    fn open_once(dir: &Path) -> Result<Searcher> {
        let index = Index::open_in_dir(dir)?;
        register_analyzers(&index);
        let schema = index.schema();
        let fields = Fields::from_schema(&schema)?;
        let parser = |defaults: Vec<Field>| {
            let mut parser = QueryParser::for_index(&index, defaults);
            parser.set_field_boost(fields.expansion, EXPANSION_BOOST);
            parser
        };
        let parsers = [
            parser(vec![fields.text, fields.expansion]),
            parser(vec![fields.entry]),
            parser(vec![fields.text, fields.expansion, fields.entry]),
        ];
        let reader = index.reader()?;
        Ok(Searcher {
            index,
            reader,
            fields,
            parsers,
            text_analyzer: text_analyzer(),
            name_analyzer: name_analyzer(),
        })
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Run a search. A panic inside (a bug, in clinsearch or tantivy) becomes
    /// [`Error::Internal`].
    pub fn search(&self, request: &Request) -> Result<Results> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.search_inner(request)))
            .unwrap_or_else(|panic| Err(Error::Internal(crate::error::panic_message(&*panic))))
    }

    /// The whole query of a request (text and filters), and its text part alone.
    fn build_query(&self, request: &Request) -> Result<(Box<dyn Query>, TextQuery)> {
        let text_query = match request.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() && request.natural => {
                let ranking = Ranking::default();
                Some(self.weighted_query(&self.query_terms(q, ranking), ranking))
            }
            Some(q) if !q.is_empty() => Some(self.parse(q, request.kind)?),
            _ => None,
        };
        // A query that names no field searches only the kind's own fields: no kind filter needed
        // (and without it, tantivy can skip blocks of postings that cannot make the top hits).
        let own_fields = match request.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => request.natural || !q.contains([':', '*']),
            _ => false,
        };
        let filters = self.filters(request, !own_fields)?;
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
        let query: Box<dyn Query> = match clauses.len() {
            1 if text_query.is_some() => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        Ok((query, text_query))
    }

    /// How many matching documents cite (passages) or were published in (references) each year,
    /// ascending, by a tantivy histogram aggregation over the `year` fast field. The request's
    /// own year range is left out, so that the histogram shows what the range could be.
    pub fn year_histogram(&self, request: &Request) -> Result<Vec<(u16, u64)>> {
        let request = Request {
            years: None,
            ..request.clone()
        };
        let (query, _) = self.build_query(&request)?;
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "years": { "histogram": { "field": "year", "interval": 1.0, "min_doc_count": 1 } }
        }))
        .expect("a valid aggregation request");
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let result = self.reader.searcher().search(&query, &collector)?;
        let json = serde_json::to_value(result).map_err(|e| Error::Internal(e.to_string()))?;
        let buckets = json["years"]["buckets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Ok(buckets
            .iter()
            .filter_map(|b| Some((b["key"].as_f64()? as u16, b["doc_count"].as_u64()?)))
            .collect())
    }

    /// The `n` references cited by the most passages of their article, most cited first, each
    /// with that number.
    pub fn most_cited(&self, n: usize) -> Result<Vec<(u64, Hit)>> {
        let searcher = self.reader.searcher();
        let kind = TermQuery::new(
            Term::from_field_text(self.fields.kind, crate::schema::KIND_REFERENCE),
            IndexRecordOption::Basic,
        );
        let top = TopDocs::with_limit(n.max(1)).order_by_u64_field("cited", Order::Desc);
        let found = searcher.search(&kind, &top)?;
        let mut hits = Vec::new();
        for (rank, (cited, address)) in found.into_iter().enumerate() {
            let cited = cited.unwrap_or(0);
            if cited == 0 {
                break;
            }
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, rank + 1, None);
            hit.snippet = leading(&hit.text, SNIPPET_CHARS);
            hits.push((cited, hit));
        }
        Ok(hits)
    }

    fn search_inner(&self, request: &Request) -> Result<Results> {
        let (query, text_query) = self.build_query(request)?;

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
            Some(q) if request.snippets => Some(self.snippet_generator(&searcher, q.as_ref())?),
            _ => None,
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
    /// search term, nothing is query syntax. An article scores as its best passage. With `expand`,
    /// the query is first expanded by pseudo-relevance feedback ([`RM3`]). Returns up to `limit`
    /// (article id, score) pairs, best first.
    pub fn rank_articles(
        &self,
        text: &str,
        limit: usize,
        ranking: Ranking,
    ) -> Result<Vec<(String, Score)>> {
        let mut terms = self.query_terms(text, ranking);
        if ranking.expand {
            terms = self.rm3(&terms, ranking)?;
        }
        let query = self.weighted_query(&terms, ranking);
        let searcher = self.reader.searcher();
        // Articles with many passages need a deeper pool of passages to fill `limit` articles.
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

    /// Highlights the query's words of the `text` field in the stored paragraph (`body`), the
    /// rarer words weighing more, as tantivy's `SnippetGenerator::create` does for one field.
    fn snippet_generator(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Result<SnippetGenerator> {
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            let f = term.field();
            if f == self.fields.text || f == self.fields.expansion || f == self.fields.entry {
                terms.insert(Term::from_field_text(
                    self.fields.text,
                    term.value().as_str().unwrap_or_default(),
                ));
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let df = searcher.doc_freq(&term)?;
            if df > 0 {
                weights.insert(
                    term.value().as_str().unwrap_or_default().to_string(),
                    1.0 / (1.0 + df as Score),
                );
            }
        }
        let analyzer = self.index.tokenizer_for_field(self.fields.text)?;
        Ok(SnippetGenerator::new(
            weights,
            analyzer,
            self.fields.body,
            SNIPPET_CHARS,
        ))
    }

    /// The analysed words of `text`, stop words aside, each with its count; a joined hyphenated
    /// compound ("il6" of "IL-6") counts [`COMPOUND_WEIGHT`], its parts count in full.
    fn query_terms(&self, text: &str, ranking: Ranking) -> Vec<(String, f32)> {
        let text = &text[..text.floor_char_boundary(MAX_QUERY_BYTES)];
        let mut analyzer = self.text_analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut words: Vec<(String, usize)> = Vec::new();
        while let Some(token) = stream.next() {
            words.push((token.text.clone(), token.position));
        }
        let mut counts: Vec<(String, f32)> = Vec::new();
        for (i, (word, position)) in words.iter().enumerate() {
            if ranking.stop_words && is_stop_word(word) {
                continue;
            }
            let joined = words.get(i + 1).is_some_and(|(_, p)| p == position);
            let weight = if joined { COMPOUND_WEIGHT } else { 1.0 };
            let full = counts.len() >= MAX_QUERY_TERMS;
            match counts.iter_mut().find(|(w, _)| w == word) {
                Some((_, n)) => *n += weight,
                None if !full => counts.push((word.clone(), weight)),
                None => {}
            }
        }
        counts
    }

    /// BM25 over title, section and text as one field, plus abbreviation expansions weighted
    /// below, which only passages have: one flat union of term queries, so that tantivy's block-max WAND can skip blocks
    /// that cannot reach the top hits.
    fn weighted_query(&self, terms: &[(String, f32)], ranking: Ranking) -> Box<dyn Query> {
        let mut fields = vec![(self.fields.text, 1.0)];
        if ranking.stop_words {
            fields.push((self.fields.expansion, EXPANSION_BOOST));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in fields {
            for (word, n) in terms {
                let term = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost * n)),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// RM3 (Lavrenko & Croft's relevance model mixed with the query): the words of the top
    /// [`RM3_DOCS`] passages, each passage weighted by exp(score / [`RM3_TEMPERATURE`]) (its query
    /// likelihood, as the relevance model has it, rather than its share of the scores), each word
    /// by its idf; the [`RM3_TERMS`] heaviest join the original query, which keeps
    /// [`RM3_ORIGINAL`] of the weight.
    fn rm3(&self, terms: &[(String, f32)], ranking: Ranking) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let query = self.weighted_query(terms, ranking);
        let top = searcher.search(&query, &TopDocs::with_limit(RM3_DOCS).order_by_score())?;
        let Some(&(best, _)) = top.first() else {
            return Ok(terms.to_vec());
        };
        let mut model: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        for (score, address) in &top {
            let weight = ((score - best) / RM3_TEMPERATURE).exp();
            let doc: TantivyDocument = searcher.doc(*address)?;
            let text = [self.fields.title, self.fields.section, self.fields.body]
                .iter()
                .filter_map(|f| doc.get_first(*f).and_then(|v| v.as_str()))
                .collect::<Vec<_>>()
                .join(" ");
            let words: Vec<String> = tokens(&mut self.text_analyzer.clone(), &text)
                .into_iter()
                .filter(|w| !is_stop_word(w) && w.chars().any(char::is_alphabetic))
                .collect();
            let len = words.len().max(1) as f32;
            for w in words {
                *model.entry(w).or_default() += weight / len;
            }
        }
        let mut feedback: Vec<(String, f32)> = model.into_iter().collect();
        // Words common everywhere say little about this query: weigh each by its BM25 idf.
        let n = searcher.num_docs() as f32;
        for (w, p) in feedback.iter_mut() {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.text, w))? as f32;
            *p *= (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        }
        feedback.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        feedback.truncate(RM3_TERMS);
        let feedback_total: f32 = feedback.iter().map(|(_, p)| p).sum();
        let query_total: f32 = terms.iter().map(|(_, n)| n).sum();
        let mut mixed: Vec<(String, f32)> = terms
            .iter()
            .map(|(w, n)| (w.clone(), RM3_ORIGINAL * n / query_total))
            .collect();
        for (w, p) in feedback {
            let add = (1.0 - RM3_ORIGINAL) * p / feedback_total;
            match mixed.iter_mut().find(|(m, _)| *m == w) {
                Some((_, weight)) => *weight += add,
                None => mixed.push((w, add)),
            }
        }
        Ok(mixed)
    }

    fn parse(&self, query: &str, kind: Kind) -> Result<Box<dyn Query>> {
        let refuse = |reason: String| Error::Query {
            query: query.to_string(),
            reason,
        };
        if query.len() > MAX_QUERY_BYTES {
            return Err(refuse(format!(
                "longer than {MAX_QUERY_BYTES} bytes ({} bytes)",
                query.len()
            )));
        }
        let parser = match kind {
            Kind::Passage => &self.parsers[0],
            Kind::Reference => &self.parsers[1],
            Kind::All => &self.parsers[2],
        };
        let parsed = parser.parse_query(query).map_err(|e| refuse(describe(e)))?;
        let mut terms = std::collections::HashSet::new();
        parsed.query_terms(&mut |term, _| {
            terms.insert(term.clone());
        });
        if terms.len() > MAX_QUERY_TERMS {
            return Err(refuse(format!(
                "more than {MAX_QUERY_TERMS} terms ({})",
                terms.len()
            )));
        }
        Ok(parsed)
    }

    /// Filters as queries, each one to be required; the one on `kind` only `with_kind`.
    fn filters(&self, request: &Request, with_kind: bool) -> Result<Vec<Box<dyn Query>>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(kind) = request.kind.term().filter(|_| with_kind) {
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
            text: text(f.body),
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
