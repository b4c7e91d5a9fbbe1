//! Searching the index: a query in tantivy's syntax, filters as term and range queries, ranked hits
//! with highlighted snippets.

use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, Score, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::documents::CitedWork;
use crate::index::index_exists;
use crate::index::schema::{name_analyzer, register_analyzers, text_analyzer, Fields};
use crate::model::Reference;

mod filter;
mod framing;
mod hybrid;
pub(crate) mod multi;
mod natural;
mod prose;
mod query;
mod rank;
pub mod shard;
mod snippet;
pub mod stats;
mod title_only;
mod vectors;

pub use filter::{Kind, YearRange};
pub use hybrid::{Fusion, Semantic, Signals};
pub use natural::Ranking;
use snippet::{highlighted_in, leading};

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
/// One search: optional query text and filters.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Request {
    /// Query in tantivy's syntax; `None` lists every document the filters keep, in article order.
    pub query: Option<String>,
    /// Keep passages citing work from these years (references: published in them).
    pub years: Option<YearRange>,
    /// Keep documents of articles published in these years.
    pub published: Option<YearRange>,
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
            published: None,
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
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Results {
    /// Number of matching documents.
    pub total: usize,
    /// The hits in rank order.
    pub hits: Vec<Hit>,
}

/// One matching passage or reference.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score, or the fused score under hybrid ranking; `None` when listing without a query.
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
    /// The page the passage starts on, from 1, in a paginated file (a PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Cited years (passage) or publication year (reference), ascending.
    pub years: Vec<u16>,
    /// The article's own publication year, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<u16>,
    /// The article's PubMed id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    /// The article's DOI, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
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
    /// Byte ranges of matched terms in `title`: what a hit that shows none in its snippet
    /// matched through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_highlights: Vec<Range<usize>>,
    /// Byte ranges of matched terms in `section`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub section_highlights: Vec<Range<usize>>,
    /// Which signals ranked the hit, under hybrid ranking (not read back from JSON).
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub signals: Option<Signals>,
}

/// An open index, ready to answer searches.
///
/// ```
/// use clinsearch::search::{Request, Searcher};
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("a.md"), "# Ketamine\n\nKetamine blocks NMDA receptors.\n\nSleep improved.\n")?;
/// clinsearch::index::build_index(&[dir.path().to_path_buf()], &dir.path().join("index"))?;
/// let searcher = Searcher::open(&dir.path().join("index"))?;
/// let request = Request { query: Some("nmda".into()), ..Request::default() };
/// let results = searcher.search(&request)?;
/// assert_eq!(results.total, 1);
/// assert_eq!(results.hits[0].id, "a.md#p0");
/// let hit = &results.hits[0];
/// assert!(hit.snippet.starts_with("Ketamine blocks NMDA receptors"));
/// assert_eq!(&hit.snippet[hit.highlights[0].clone()], "NMDA");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One query parser per [`Kind`]: each searches by default the fields only that kind has.
    parsers: [QueryParser; 3],
    text_analyzer: TextAnalyzer,
    name_analyzer: TextAnalyzer,
    /// Ranking keys by segment, opened when a search first meets the segment.
    keys: rank::SegmentKeys,
    /// The indexes read as one, when there are several.
    union: Option<crate::index::UnionDirectory>,
    /// Sentence embeddings for hybrid ranking, when the index has vectors and the model loads.
    semantic: Option<Semantic>,
    /// The index folders read, in order (none for an index opened otherwise).
    dirs: Vec<PathBuf>,
}

impl Searcher {
    /// Open the index in `dir`. An `index` run in another process may commit (and delete the
    /// files of the commit before) while this reads the index's files: then it tries again.
    pub fn open(dir: &Path) -> Result<Searcher> {
        Searcher::open_all(&[dir.to_path_buf()])
    }

    /// Open the indexes in `dirs` as one (see [`crate::index::UnionDirectory`]): ranking is
    /// exactly that of one index holding all their articles. A directory given twice counts once.
    pub fn open_all(dirs: &[PathBuf]) -> Result<Searcher> {
        let mut unique: Vec<PathBuf> = Vec::with_capacity(dirs.len());
        for dir in dirs {
            if !dir.is_dir() {
                return Err(Error::NoIndexDir(dir.to_path_buf()));
            }
            if !index_exists(dir) {
                return Err(Error::NoIndex(dir.to_path_buf()));
            }
            let same = |a: &PathBuf| a.canonicalize().ok() == dir.canonicalize().ok();
            if !unique.iter().any(same) {
                unique.push(dir.clone());
            }
        }
        let mut attempt = 1;
        loop {
            let opened = match unique.as_slice() {
                [dir] => Searcher::open_once(dir),
                _ => crate::index::open_union(&unique).and_then(|(index, union)| {
                    let mut searcher = Searcher::from_index(index)?;
                    searcher.union = Some(union);
                    Ok(searcher)
                }),
            };
            match opened {
                Ok(mut searcher) => {
                    searcher.dirs = unique;
                    return Ok(searcher);
                }
                Err(Error::Tantivy(_)) if attempt < OPEN_ATTEMPTS => {
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt as u64));
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    fn open_once(dir: &Path) -> Result<Searcher> {
        Searcher::from_index(Index::open_in_dir(dir)?)
    }

    /// A searcher over an index already open (one in RAM, say), with clinsearch's schema.
    pub fn from_index(index: Index) -> Result<Searcher> {
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
            keys: rank::SegmentKeys::default(),
            union: None,
            semantic: None,
            dirs: Vec::new(),
        })
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Run a search. A panic inside (a bug, in clinsearch or tantivy) becomes
    /// [`Error::Internal`].
    pub fn search(&self, request: &Request) -> Result<Results> {
        guarded(|| self.search_inner(request, None))
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
        self.histogram(query.as_ref(), "year")
    }

    /// How many articles were published in each year (those with a year), year by year: each
    /// article counted by its first passage.
    pub fn published_histogram(&self) -> Result<Vec<(u16, u64)>> {
        let first_passages = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.kind, crate::index::schema::KIND_PASSAGE),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(self.fields.ordinal, 0)),
                    Bound::Included(Term::from_field_u64(self.fields.ordinal, 0)),
                )),
            ),
        ]);
        self.histogram(&first_passages, "article_year")
    }

    /// The documents `query` matches, counted per value of the u64 fast field `field`.
    fn histogram(&self, query: &dyn Query, field: &str) -> Result<Vec<(u16, u64)>> {
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "years": { "histogram": { "field": field, "interval": 1.0, "min_doc_count": 1 } }
        }))
        .expect("a valid aggregation request");
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let result = self.reader.searcher().search(query, &collector)?;
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
            Term::from_field_text(self.fields.kind, crate::index::schema::KIND_REFERENCE),
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

    /// `request`, scored by the collection statistics of `stats` (the searcher's own when
    /// `None`); hybrid ranking only with the searcher's own.
    fn search_inner(
        &self,
        request: &Request,
        stats: Option<&dyn Bm25StatisticsProvider>,
    ) -> Result<Results> {
        let (query, text_query) = self.build_query(request)?;

        let searcher = self.reader.searcher();
        let provider = stats.unwrap_or(&searcher);
        // A hit may have copies (in other indexes, or in another file of the same work) that
        // `multi::once_each` leaves out: enough are ranked to fill the page without them, the
        // page (once per index) first, twice as deep while copies leave it short. The total
        // leaves out the copies among the hits ranked: exact once every match is ranked.
        let limit = request.limit.max(1);
        let copies = self.union.as_ref().map_or(1, |u| u.len());
        let mut depth = request.offset.saturating_add(limit).saturating_mul(copies);
        let (total, mut hits, docs) = loop {
            let (total, found, signals) = self.ranked(
                &searcher,
                request,
                (&query, text_query.as_deref()),
                stats,
                depth,
            )?;
            let exhausted = found.len() < depth;
            let parts: Vec<Option<usize>> = found
                .iter()
                .map(|(_, a)| {
                    let segment = searcher.segment_reader(a.segment_ord).segment_id();
                    self.union.as_ref().and_then(|u| u.part_of(segment))
                })
                .collect();
            let (hits, all_docs) = self.hits_of(&searcher, found, &signals)?;
            // Copies left out first, so that only the hits shown get a snippet.
            let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
            let (page, copies) = multi::once_each(hits, &parts, request.offset, limit);
            if page.len() == limit || exhausted || depth == usize::MAX {
                // The page is a subsequence of the ranked hits: each kept hit's document is that
                // of the first hit with its id from where the previous one was found.
                let mut ranked = ids.into_iter().zip(all_docs);
                let mut docs = Vec::with_capacity(page.len());
                for hit in &page {
                    if let Some((_, doc)) = ranked.by_ref().find(|(id, _)| *id == hit.id) {
                        docs.push(doc);
                    }
                }
                break (total.saturating_sub(copies), page, docs);
            }
            depth = depth.saturating_mul(2);
        };
        let text_query = text_query.filter(|_| request.snippets);
        self.add_snippets(&mut hits, &docs, text_query.as_deref(), provider)?;
        Ok(Results { total, hits })
    }

    /// The first `depth` documents of `request` (its whole query and its text part), with their
    /// scores and, under hybrid ranking, their signals; and how many documents it matches.
    #[allow(clippy::type_complexity)]
    fn ranked(
        &self,
        searcher: &tantivy::Searcher,
        request: &Request,
        (query, text_query): (&dyn Query, Option<&dyn Query>),
        stats: Option<&dyn Bm25StatisticsProvider>,
        depth: usize,
    ) -> Result<(
        usize,
        Vec<(Option<Score>, DocAddress)>,
        Vec<Option<Signals>>,
    )> {
        let provider = stats.unwrap_or(searcher);
        let Some(text_query) = text_query else {
            let top = TopDocs::with_limit(depth).order_by_u64_field("seq", Order::Asc);
            let (docs, total) = searcher.search(query, &(top, Count))?;
            let found = docs.into_iter().map(|(_, a)| (None, a)).collect();
            return Ok((total, found, Vec::new()));
        };
        // Ties by article id and passage number, not by where documents sit in the index.
        let hybrid = self
            .semantic
            .as_ref()
            .filter(|_| request.kind != Kind::Reference && stats.is_none());
        let k = hybrid.map_or(depth, |_| depth.max(hybrid::CANDIDATES));
        let title_only = self.title_only(request, Some(text_query), provider)?;
        let title_only = title_only.as_ref();
        let (docs, total) = self.lexical_top(searcher, (query, title_only), provider, k)?;
        let (docs, total) = match hybrid {
            Some(s) => {
                let fused =
                    self.hybrid_passages(s, searcher, request, docs, (query, title_only))?;
                // Dense candidates may match no word of the query: they count as hits too.
                let total = total.max(fused.len());
                (fused, total)
            }
            None => (docs.into_iter().map(|(a, s)| (a, s, None)).collect(), total),
        };
        let (found, signals) = docs
            .into_iter()
            .take(depth)
            .map(|(a, s, g)| ((Some(s), a), g))
            .unzip();
        Ok((total, found, signals))
    }

    /// The [`title_only`] rule for an interactive search's text part `words` (none for
    /// references, which have no title to match through).
    fn title_only(
        &self,
        request: &Request,
        words: Option<&dyn Query>,
        provider: &dyn Bm25StatisticsProvider,
    ) -> Result<Option<title_only::TitleOnly>> {
        match words {
            Some(words) if request.kind != Kind::Reference => {
                Ok(title_only::TitleOnly::new(&self.fields, words, provider)?)
            }
            _ => Ok(None),
        }
    }

    /// The best `k` documents for `query` scored with the statistics of `provider` (passages
    /// that match only through their title as `title_only` scores them), best first, ties by
    /// article id and passage number, and how many it matches. Exactly `k` (when it matches as
    /// many), however many segments the index has: hybrid ranking fuses them all.
    fn lexical_top(
        &self,
        searcher: &tantivy::Searcher,
        (query, title_only): (&dyn Query, Option<&title_only::TitleOnly>),
        provider: &dyn Bm25StatisticsProvider,
        k: usize,
    ) -> Result<(Vec<(DocAddress, Score)>, usize)> {
        let top = rank::TopHits {
            title_only,
            k,
            per_article: false,
            prune: false,
            keys: &self.keys,
            eager: false,
        };
        self.keys.keep_only(searcher);
        let (mut docs, total) =
            searcher.search_with_statistics_provider(query, &(top, Count), provider)?;
        rank::sort(&mut docs);
        // (each segment gives its own best `k`: the rest cannot be among the first `k`)
        docs.truncate(k);
        Ok((docs.iter().map(|c| (c.address, c.score)).collect(), total))
    }

    /// The hits of the documents `found` (ranked from 1, each with its `signals`) and
    /// their stored documents.
    fn hits_of(
        &self,
        searcher: &tantivy::Searcher,
        found: Vec<(Option<Score>, DocAddress)>,
        signals: &[Option<Signals>],
    ) -> Result<(Vec<Hit>, Vec<TantivyDocument>)> {
        let mut hits = Vec::with_capacity(found.len());
        let mut docs = Vec::with_capacity(found.len());
        for (i, (score, address)) in found.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, i + 1, score);
            hit.signals = signals.get(i).copied().flatten();
            hits.push(hit);
            docs.push(doc);
        }
        Ok((hits, docs))
    }

    /// Give each hit (of the stored document beside it) the fragment that best matches
    /// `text_query`, scored with the statistics of `provider`, and the start of its text without.
    fn add_snippets(
        &self,
        hits: &mut [Hit],
        docs: &[TantivyDocument],
        text_query: Option<&dyn Query>,
        provider: &dyn Bm25StatisticsProvider,
    ) -> Result<()> {
        let snippets = match text_query {
            Some(q) => Some(self.snippet_generator(provider, q)?),
            None => None,
        };
        for (i, hit) in hits.iter_mut().enumerate() {
            if let Some(g) = &snippets {
                hit.title_highlights = highlighted_in(g, &hit.title);
                hit.section_highlights = highlighted_in(g, &hit.section);
            }
            let snippet = snippets.as_ref().zip(docs.get(i));
            let snippet = snippet.map(|(g, doc)| g.snippet_from_doc(doc));
            match snippet {
                Some(s) if !s.is_empty() => {
                    hit.snippet = s.fragment().to_string();
                    hit.highlights = s.highlighted().to_vec();
                }
                _ => hit.snippet = leading(&hit.text, SNIPPET_CHARS),
            }
        }
        Ok(())
    }
}

/// `run`, with a panic inside (a bug, in clinsearch or tantivy) turned into [`Error::Internal`].
fn guarded<T>(run: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .unwrap_or_else(|panic| Err(Error::Internal(crate::error::panic_message(&*panic))))
}

/// `request` run on an index in RAM holding [`TEST_ARTICLES`], for the unit tests of searching.
#[cfg(test)]
pub(crate) fn search_test_articles(request: Request) -> Result<Results> {
    searcher_over(&TEST_ARTICLES).search(&request)
}

/// An index in RAM holding `articles` (Markdown source of each), for the unit tests of searching.
#[cfg(test)]
pub(crate) fn searcher_over(articles: &[&str]) -> Searcher {
    use crate::model::Format;
    let index = Index::create_in_ram(crate::index::schema::schema());
    register_analyzers(&index);
    let fields = Fields::from_schema(&index.schema()).unwrap();
    let mut writer: tantivy::IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
    let mut seq = 0;
    for (i, source) in articles.iter().enumerate() {
        let id = format!("a{i}.md");
        let article = crate::parse::text::parse_text(source, Format::Markdown, &id, &id);
        for mut doc in crate::index::documents::documents(&article, &fields, &id) {
            doc.add_u64(fields.seq, seq);
            seq += 1;
            writer.add_document(doc).unwrap();
        }
    }
    writer.commit().unwrap();
    Searcher::from_index(index).unwrap()
}

/// Two small articles with sections, citations and reference lists.
#[cfg(test)]
pub(crate) const TEST_ARTICLES: [&str; 2] = [
    "# Ketamine for depression\n\n## Introduction\n\nKetamine acts on NMDA receptors and \
     relieves treatment-resistant depression within hours (Duman et al., 2016).\n\n## Methods\n\n\
     We measured dissociation after each infusion (Krystal, 2019).\n\n## References\n\n\
     - Duman, R. S., Aghajanian, G. K., & Krystal, J. H. (2016). Synaptic plasticity and \
     depression. Nature Medicine, 22(3), 238-249.\n\
     - Krystal, J. H. (2019). Ketamine and the next generation of antidepressants. Neuron, \
     101(5), 774-778.\n",
    "# Psychotherapy after ketamine\n\n## Discussion\n\nPsychotherapy keeps the effect of \
     ketamine going (Wilkinson et al., 2017).\n\n## References\n\n\
     - Wilkinson, S. T., Wright, D., & Fasula, M. K. (2017). Cognitive behavior therapy may \
     sustain antidepressant effects of ketamine. Psychotherapy and Psychosomatics, 86(3), 162-167.\n",
];
