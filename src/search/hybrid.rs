//! Hybrid ranking: the lexical ranking (BM25 with feedback) fused with the cosine of a sentence
//! embedding of the query and of each passage ([`crate::embed`]).
//!
//! The lexical top candidates and an exact dense top-k over every vector (a brute-force scan of
//! the memory-mapped int8 rows) are fused by interpolating min-max-normalised scores, equal
//! weights by default (chosen once on SciFact's training queries), or by reciprocal-rank fusion
//! (Cormack, Clarke & Büttcher, 2009: score = Σ 1 / (k + rank), k = 60).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::{DocAddress, Score};

use super::title_only::TitleOnly;
use super::vectors::{self, Source, Vectors};
use super::Searcher;
use crate::embed::store::VectorStore;
use crate::embed::{load_model, Embedder};
use crate::error::{Error, Result};

/// Reciprocal-rank fusion's k (Cormack et al.'s value, not tuned here).
pub const RRF_K: f32 = 60.0;
/// Candidates taken from each signal before fusing (more when more hits are asked for).
pub const CANDIDATES: usize = 100;

/// How the two rankings are fused; the default interpolates with [`LEXICAL_WEIGHT`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fusion {
    /// Reciprocal-rank fusion with [`RRF_K`].
    Rrf,
    /// `weight × lexical + (1 − weight) × dense`, each min-max normalised over its top
    /// [`CANDIDATES`].
    Interpolate(f32),
    /// The same with each signal's theoretical minimum (0 for BM25, −1 for a cosine) in place
    /// of its list's lowest score (Bruch, Gai & Ingber, 2023: "theoretical min-max").
    Theoretical(f32),
}

/// The lexical weight of the default interpolation: on SciFact's training queries (809, never
/// the test queries) nDCG@10 was 0.7328 at 0.5 against 0.7121 at 0.3, 0.7279 at 0.7 and 0.7120
/// for reciprocal-rank fusion.
pub const LEXICAL_WEIGHT: f32 = 0.5;

impl Default for Fusion {
    fn default() -> Self {
        Fusion::Interpolate(LEXICAL_WEIGHT)
    }
}

impl std::str::FromStr for Fusion {
    type Err = Error;

    /// `rrf`, or the lexical weight of an interpolation (`0.3`; `tmm:0.3` with theoretical
    /// minima).
    fn from_str(s: &str) -> Result<Fusion> {
        if s.eq_ignore_ascii_case("rrf") {
            return Ok(Fusion::Rrf);
        }
        let (theoretical, weight) = match s.strip_prefix("tmm:") {
            Some(w) => (true, w),
            None => (false, s),
        };
        match weight.parse::<f32>() {
            Ok(w) if (0.0..=1.0).contains(&w) && theoretical => Ok(Fusion::Theoretical(w)),
            Ok(w) if (0.0..=1.0).contains(&w) => Ok(Fusion::Interpolate(w)),
            _ => Err(Error::Filter(format!(
                "fusion {s:?}: give `rrf`, or a lexical weight from 0 to 1 (`tmm:W` with theoretical minima)"
            ))),
        }
    }
}

/// Which signals ranked a hit: its lexical and dense ranks (from 1) among the candidates, when
/// it was one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Signals {
    /// Rank by BM25 (with feedback for natural-language queries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lexical: Option<usize>,
    /// Rank by the cosine of the sentence embeddings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dense: Option<usize>,
    /// The cosine with the query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cosine: Option<f32>,
}

impl Signals {
    /// Whether the hit was found by the embedding alone, not among the lexical candidates.
    pub fn by_meaning(&self) -> bool {
        self.lexical.is_none() && self.dense.is_some()
    }
}

/// The model and the vectors of the indexes searched, ready for hybrid ranking.
pub struct Semantic {
    pub(super) embedder: Arc<dyn Embedder>,
    pub(super) source: Source,
    /// How the rankings are fused.
    pub fusion: Fusion,
}

impl Semantic {
    /// The vectors committed in `dirs` (the indexes a searcher reads, in its order) with
    /// `embedder`. `Ok(None)` when no index has vectors; an error (for a note) when only some
    /// have, or when they do not match the model.
    pub fn for_indexes(embedder: Arc<dyn Embedder>, dirs: &[PathBuf]) -> Result<Option<Semantic>> {
        let Some(files) = vectors::which_have(dirs)? else {
            return Ok(None);
        };
        let source = Source::dirs(embedder.as_ref(), dirs.to_vec(), files)?;
        Ok(Some(Semantic {
            embedder,
            source,
            fusion: Fusion::default(),
        }))
    }

    /// Hybrid ranking with `embedder` over `store` alone (an index in RAM): their dimensions
    /// and models must match.
    pub fn new(embedder: Box<dyn Embedder>, store: VectorStore) -> Result<Semantic> {
        let vectors = Vectors::new(embedder.as_ref(), vec![None], vec![(0, store)])?;
        Ok(Semantic {
            embedder: Arc::from(embedder),
            source: Source::fixed(vectors),
            fusion: Fusion::default(),
        })
    }

    /// The query's vector.
    fn query_vector(&self, text: &str) -> Result<Vec<f32>> {
        let v = self.embedder.embed(&[text])?;
        Ok(v.into_iter().next().unwrap_or_default())
    }
}

/// A fused candidate: its fused score and signals.
pub(super) struct Fused<K> {
    pub key: K,
    pub score: f32,
    pub signals: Signals,
}

/// One signal's ranking: its candidates (best first, with scores) and its exact scores for the
/// other signal's candidates that it did not rank.
pub(super) struct Ranked<K> {
    pub list: Vec<(K, f32)>,
    pub more: HashMap<K, f32>,
    /// For a dense list whose candidates must stand out from chance to be hits on their own
    /// (interactive search): the cosines of every passage scanned ([`Moments::stands_out`]).
    pub moments: Option<Moments>,
    /// For a lexical list (interactive search): the candidates of either list that the query
    /// matches only through their article's title or their section's heading ([`TitleOnly`]).
    pub title_only: HashSet<K>,
}

impl<K> Ranked<K> {
    pub(super) fn new(list: Vec<(K, f32)>) -> Ranked<K> {
        Ranked {
            list,
            more: HashMap::new(),
            moments: None,
            title_only: HashSet::new(),
        }
    }
}

/// Count, sum and sum of squares of a query's cosines over the passages scanned: what a dense
/// candidate's cosine must exceed to be a hit that no word of the query matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    /// Passages scanned.
    pub n: u64,
    /// Sum of their cosines.
    pub sum: f64,
    /// Sum of their squares.
    pub squares: f64,
}

impl Moments {
    /// Add one cosine.
    pub fn add(&mut self, c: f32) {
        self.n += 1;
        self.sum += f64::from(c);
        self.squares += f64::from(c) * f64::from(c);
    }

    /// Add the cosines of other passages.
    pub fn merge(&mut self, other: Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.squares += other.squares;
    }

    /// Whether cosine `c`, one of those added, stands out from the others: above mean + sd ×
    /// √(2 ln n) of the others, about the expected maximum of `n` normal draws. Nearly every
    /// passage is unrelated to a query, so the others' cosines stand in for chance; one below
    /// is as close as chance makes the closest of `n` unrelated passages. With fewer than three
    /// passages there is nothing to tell chance by, and every cosine stands out.
    pub fn stands_out(&self, c: f32) -> bool {
        if self.n < 3 {
            return true;
        }
        let c = f64::from(c);
        let others = (self.n - 1) as f64;
        let mean = (self.sum - c) / others;
        let var = ((self.squares - c * c) / others - mean * mean).max(0.0);
        c > mean + var.sqrt() * (2.0 * (self.n as f64).ln()).sqrt()
    }
}

/// Maps one signal's scores to a common scale: `(s − lo) / (hi − lo)`, with `hi` the best
/// score of its top [`CANDIDATES`] and `lo` the lowest, or the signal's theoretical minimum.
struct Normaliser {
    lo: f32,
    hi: f32,
}

impl Normaliser {
    /// For `list` (best first), whose lowest possible score is `floor`.
    fn of<K>(list: &[(K, f32)], floor: f32, theoretical: bool) -> Normaliser {
        let top = &list[..list.len().min(CANDIDATES)];
        let hi = top.first().map_or(floor, |x| x.1);
        let lo = if theoretical {
            floor
        } else {
            top.last().map_or(floor, |x| x.1)
        };
        Normaliser { lo, hi }
    }

    /// `score` on the common scale; a candidate the signal did not score counts as its `lo`.
    fn apply(&self, score: Option<f32>) -> f32 {
        match score {
            Some(s) if self.hi > self.lo => (s - self.lo) / (self.hi - self.lo),
            Some(s) if s >= self.lo => 1.0,
            _ => 0.0,
        }
    }
}

/// Fuse a lexical and a dense ranking (each candidate scored by both signals where known). When
/// the dense list has the [`Moments`] of the cosines, a cosine that does not stand out from them
/// is no evidence for a passage whose own text holds none of the query's words: such a passage
/// matching no word is left out, and one matching only through its title is fused by its words
/// alone.
pub(super) fn fuse<K: Clone + Eq + std::hash::Hash + Ord>(
    fusion: Fusion,
    lexical: &Ranked<K>,
    dense: &Ranked<K>,
) -> Vec<Fused<K>> {
    let rank = |list: &[(K, f32)]| -> HashMap<K, (usize, f32)> {
        let mut at = HashMap::with_capacity(list.len());
        for (i, (k, s)) in list.iter().enumerate() {
            at.entry(k.clone()).or_insert((i, *s));
        }
        at
    };
    let (lex_at, dense_at) = (rank(&lexical.list), rank(&dense.list));
    let theoretical = matches!(fusion, Fusion::Theoretical(_));
    let lex_norm = Normaliser::of(&lexical.list, 0.0, theoretical);
    let dense_norm = Normaliser::of(&dense.list, -1.0, theoretical);
    let mut seen = HashSet::new();
    let mut out: Vec<Fused<K>> = Vec::with_capacity(lexical.list.len() + dense.list.len());
    for (key, _) in lexical.list.iter().chain(&dense.list) {
        if !seen.insert(key) {
            continue;
        }
        let l = lex_at.get(key).copied();
        let d = dense_at.get(key).copied();
        let lex_score = l.map(|x| x.1).or_else(|| lexical.more.get(key).copied());
        let dense_score = d.map(|x| x.1).or_else(|| dense.more.get(key).copied());
        let chance = dense_score.is_some_and(|c| dense.moments.is_some_and(|m| !m.stands_out(c)));
        if chance && l.is_none() && lex_score.is_none_or(|s| s <= 0.0) {
            continue;
        }
        let evidence = match chance && lexical.title_only.contains(key) {
            true => None,
            false => dense_score,
        };
        let rrf = |r: Option<(usize, f32)>| r.map_or(0.0, |(r, _)| 1.0 / (RRF_K + r as f32 + 1.0));
        let score = match fusion {
            Fusion::Rrf => rrf(l) + rrf(d.filter(|_| evidence.is_some())),
            Fusion::Interpolate(w) | Fusion::Theoretical(w) => {
                w * lex_norm.apply(lex_score) + (1.0 - w) * dense_norm.apply(evidence)
            }
        };
        out.push(Fused {
            key: key.clone(),
            score,
            signals: Signals {
                lexical: l.map(|x| x.0 + 1),
                dense: d.map(|x| x.0 + 1),
                cosine: dense_score,
            },
        });
    }
    // Ties (passages fused by their words alone score alike) go by cosine, then by key.
    let cosine = |f: &Fused<K>| f.signals.cosine.unwrap_or(f32::NEG_INFINITY);
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| cosine(b).total_cmp(&cosine(a)))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

impl Searcher {
    /// Use `semantic` for hybrid ranking from now on (`None`: lexical ranking only).
    pub fn set_semantic(&mut self, semantic: Option<Semantic>) {
        self.semantic = semantic;
    }

    /// Fuse with `fusion` (when hybrid ranking is in use).
    pub fn set_fusion(&mut self, fusion: Fusion) {
        if let Some(s) = &mut self.semantic {
            s.fusion = fusion;
        }
    }

    /// The hybrid ranking in use, if any.
    pub fn semantic(&self) -> Option<&Semantic> {
        self.semantic.as_ref()
    }

    /// Hybrid ranking over the vectors of the indexes searched, with the model in `model`
    /// (default: the model folder, see [`crate::embed::default_model_dir`]), in use if they
    /// load: a note (to print) when an index has vectors but the model is missing or does not
    /// match them, or when only some of the indexes have vectors; lexical ranking then.
    pub fn open_semantic(&mut self, model: Option<&Path>) -> Option<String> {
        self.semantic = None;
        match vectors::which_have(&self.dirs) {
            Ok(None) => None,
            Ok(Some(_)) => match load_model(model) {
                Ok(embedder) => self.use_model(Arc::from(embedder)),
                Err(e) => Some(format!("{e}; ranking by words only")),
            },
            Err(e) => Some(format!("{e}; ranking by words only")),
        }
    }

    /// Hybrid ranking with `embedder` (loaded once, shared) over the vectors of the indexes
    /// searched; see [`Searcher::open_semantic`].
    pub fn use_model(&mut self, embedder: Arc<dyn Embedder>) -> Option<String> {
        match Semantic::for_indexes(embedder, &self.dirs) {
            Ok(s) => {
                self.semantic = s;
                None
            }
            Err(e) => {
                self.semantic = None;
                Some(format!("{e}; ranking by words only"))
            }
        }
    }

    /// Rows ↔ documents for `searcher`, with the vectors committed now.
    fn vector_mapping(
        &self,
        semantic: &Semantic,
        searcher: &tantivy::Searcher,
    ) -> Result<Arc<vectors::Mapping>> {
        semantic
            .source
            .mapping(semantic.embedder.as_ref(), searcher, self.union.as_ref())
    }

    /// [`Searcher::rank_articles`] fused with the dense ranking: articles score by their best
    /// passage in each ranking, and each candidate of one ranking is scored by the other too
    /// (its best cosine; its best passage's BM25 for `clauses`).
    pub(super) fn rank_articles_hybrid(
        &self,
        semantic: &Semantic,
        text: &str,
        limit: usize,
        lexical: Vec<(String, Score)>,
        clauses: &[super::rank::Clause],
    ) -> Result<Vec<(String, Score)>> {
        let depth = limit.max(CANDIDATES);
        let query = semantic.query_vector(text)?;
        let searcher = self.reader.searcher();
        let scoring = (&searcher, &searcher as &dyn Bm25StatisticsProvider);
        let (lexical, dense) =
            self.article_lists(semantic, scoring, lexical, clauses, &query, depth)?;
        let fused = fuse(semantic.fusion, &lexical, &dense);
        Ok(fused
            .into_iter()
            .take(limit)
            .map(|f| (f.key, f.score))
            .collect())
    }

    /// The two rankings [`Searcher::rank_articles_hybrid`] fuses: the articles of `lexical`
    /// (best first, by their best passage's BM25 for `clauses` under the statistics of
    /// `scoring`), each scored by its best cosine with `query` too, and the `depth` articles of
    /// best cosine, each scored by its best passage's BM25 too.
    pub(super) fn article_lists(
        &self,
        semantic: &Semantic,
        scoring: (&tantivy::Searcher, &dyn Bm25StatisticsProvider),
        lexical: Vec<(String, Score)>,
        clauses: &[super::rank::Clause],
        query: &[f32],
        depth: usize,
    ) -> Result<(Ranked<String>, Ranked<String>)> {
        let (searcher, provider) = scoring;
        let mapping = self.vector_mapping(semantic, searcher)?;
        let vectors = &mapping.vectors;
        let ids = &vectors.ids;
        // Each article's best cosine over its live rows.
        let mut best: Vec<f32> = vec![f32::NEG_INFINITY; ids.len()];
        vectors.scan(
            query,
            |r| mapping.row_docs[r].is_some(),
            |r, c| {
                let a = vectors.article_of(r);
                best[a] = best[a].max(c);
            },
        );
        let mut order: Vec<usize> = (0..ids.len()).filter(|&a| best[a].is_finite()).collect();
        best_first(&mut order, depth, |&a, &b| {
            best[b]
                .total_cmp(&best[a])
                .then_with(|| ids[a].cmp(&ids[b]))
        });
        let mut dense = Ranked::new(order.iter().map(|&a| (ids[a].clone(), best[a])).collect());
        let mut lexical = Ranked::new(lexical);
        // Each candidate of one ranking scored by the other too.
        {
            let ranked: HashSet<&str> = lexical.list.iter().map(|(a, _)| a.as_str()).collect();
            for (article, _) in &lexical.list {
                if let Some(a) = vectors.article(article).filter(|&a| best[a].is_finite()) {
                    dense.more.insert(article.clone(), best[a]);
                }
            }
            // The dense candidates' passages, scored by the lexical query.
            let mut candidates = Vec::new();
            let mut owner = Vec::new();
            for &a in order.iter().filter(|&&a| !ranked.contains(ids[a].as_str())) {
                for r in vectors.rows_of(a) {
                    if let Some(address) = mapping.row_docs[r] {
                        candidates.push(super::rank::Candidate::at(address));
                        owner.push(a);
                    }
                }
            }
            super::rank::Clause::rescore(clauses, searcher, provider, &mut candidates)?;
            for (c, &a) in candidates.iter().zip(&owner) {
                let entry = lexical.more.entry(ids[a].clone()).or_insert(0.0);
                *entry = entry.max(c.score);
            }
        }
        Ok((lexical, dense))
    }

    /// The lexical passages of `request` (best first) fused with the dense ranking of its query
    /// text. Dense candidates pass the request's filters; a query in query syntax (fields,
    /// operators, phrases) keeps its meaning: only the documents it matches are fused.
    pub(super) fn hybrid_passages(
        &self,
        semantic: &Semantic,
        searcher: &tantivy::Searcher,
        request: &super::Request,
        lexical: Vec<(DocAddress, Score)>,
        query: (&dyn tantivy::query::Query, Option<&TitleOnly>),
    ) -> Result<Vec<(DocAddress, Score, Option<Signals>)>> {
        let text = request.query.as_deref().unwrap_or_default().trim();
        let vector = semantic.query_vector(self.topic_of(text))?;
        let depth = request.offset.saturating_add(request.limit).max(CANDIDATES);
        let scoring = (searcher, searcher as &dyn Bm25StatisticsProvider);
        let (lexical, dense) =
            self.signal_lists(semantic, scoring, request, lexical, query, &vector, depth)?;
        let fused = fuse(semantic.fusion, &lexical, &dense);
        Ok(fused
            .into_iter()
            .map(|f| (f.key, f.score, Some(f.signals)))
            .collect())
    }

    /// The two rankings [`Searcher::hybrid_passages`] fuses: `lexical` (best first, scored with
    /// the statistics of `scoring`), each scored by its cosine with `vector` too, and the `depth`
    /// passages closest to `vector` among those the request keeps, each scored by the lexical
    /// query too when the query is of words only (with the `title_only` rule of the lexical
    /// list).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn signal_lists(
        &self,
        semantic: &Semantic,
        scoring: (&tantivy::Searcher, &dyn Bm25StatisticsProvider),
        request: &super::Request,
        lexical: Vec<(DocAddress, Score)>,
        (query, title_only): (&dyn tantivy::query::Query, Option<&TitleOnly>),
        vector: &[f32],
        depth: usize,
    ) -> Result<(Ranked<DocAddress>, Ranked<DocAddress>)> {
        let (searcher, provider) = scoring;
        let words_only = words_only(request);
        let allowed: Option<HashSet<DocAddress>> = if !words_only {
            Some(lexical.iter().map(|(a, _)| *a).collect())
        } else if request.years.is_some()
            || request.published.is_some()
            || request.section.is_some()
            || request.author.is_some()
        {
            let filters = self.filters(request, true)?;
            let mut clauses: Vec<(tantivy::query::Occur, Box<dyn tantivy::query::Query>)> = filters
                .into_iter()
                .map(|f| (tantivy::query::Occur::Must, f))
                .collect();
            clauses.push((
                tantivy::query::Occur::Must,
                Box::new(tantivy::query::AllQuery),
            ));
            let query = tantivy::query::BooleanQuery::new(clauses);
            Some(searcher.search(&query, &tantivy::collector::DocSetCollector)?)
        } else {
            None
        };
        // The passages closest to the text among those `allowed` keeps (all when `None`); each
        // lexical candidate is scored by its cosine too, and for a query of words only each
        // dense candidate by the lexical query.
        let allowed = allowed.as_ref();
        let scored = words_only.then_some(query);
        let mapping = self.vector_mapping(semantic, searcher)?;
        let mut dense: Vec<(DocAddress, f32)> = Vec::new();
        let mut moments = Moments::default();
        mapping.vectors.scan(
            vector,
            |r| mapping.row_docs[r].is_some_and(|a| allowed.is_none_or(|set| set.contains(&a))),
            |r, c| {
                dense.push((mapping.row_docs[r].expect("kept rows have a document"), c));
                moments.add(c);
            },
        );
        best_first(&mut dense, depth, |a, b| {
            b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        });
        let mut dense = Ranked::new(dense);
        dense.moments = words_only.then_some(moments);
        let mut lexical = Ranked::new(lexical);
        for (address, _) in &lexical.list {
            if let Some(row) = mapping.row(*address) {
                dense
                    .more
                    .insert(*address, mapping.vectors.cosine(vector, row));
            }
        }
        if let Some(scored) = scored {
            let ranked: HashSet<DocAddress> = lexical.list.iter().map(|(a, _)| *a).collect();
            let mut others: Vec<DocAddress> = dense
                .list
                .iter()
                .map(|(a, _)| *a)
                .filter(|a| !ranked.contains(a))
                .collect();
            others.sort();
            lexical.more = exact_scores((searcher, provider), (scored, title_only), &others)?;
            if let Some(rule) = title_only {
                let mut matched: Vec<DocAddress> = ranked
                    .into_iter()
                    .chain(lexical.more.keys().copied())
                    .collect();
                matched.sort();
                lexical.title_only = matched_through_title(searcher, rule, &matched)?;
            }
        }
        Ok((lexical, dense))
    }
}

/// The first `k` of `items` in the order of `cmp`, sorted: a selection, then a sort of `k`
/// items rather than of all (a dense ranking has one item per passage).
pub(super) fn best_first<T>(
    items: &mut Vec<T>,
    k: usize,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    if items.len() > k {
        if k == 0 {
            items.clear();
            return;
        }
        items.select_nth_unstable_by(k - 1, &cmp);
        items.truncate(k);
    }
    items.sort_by(cmp);
}

/// The documents of `addresses` (in address order) that `rule`'s query matches only through
/// their article's title or their section's heading.
fn matched_through_title(
    searcher: &tantivy::Searcher,
    rule: &TitleOnly,
    addresses: &[DocAddress],
) -> Result<HashSet<DocAddress>> {
    let mut out = HashSet::new();
    for group in addresses.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let mut segment = rule.segment(searcher.segment_reader(group[0].segment_ord))?;
        out.extend(group.iter().filter(|a| segment.title_only(a.doc_id)));
    }
    Ok(out)
}

/// The scores `query` gives the documents at `addresses` (in address order), as `title_only`
/// has them; those it does not match are left out.
fn exact_scores(
    scoring: (&tantivy::Searcher, &dyn Bm25StatisticsProvider),
    (query, title_only): (&dyn tantivy::query::Query, Option<&TitleOnly>),
    addresses: &[DocAddress],
) -> Result<HashMap<DocAddress, f32>> {
    use tantivy::DocSet;
    let (searcher, provider) = scoring;
    let scoring =
        tantivy::query::EnableScoring::enabled_from_statistics_provider(provider, searcher);
    let weight = query.weight(scoring)?;
    let mut out = HashMap::with_capacity(addresses.len());
    for group in addresses.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(group[0].segment_ord);
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut rule = title_only.map(|t| t.segment(reader)).transpose()?;
        for address in group {
            let doc = if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id)
            } else {
                scorer.doc()
            };
            if doc == tantivy::TERMINATED {
                break;
            }
            if doc == address.doc_id {
                let score = tantivy::query::Scorer::score(&mut scorer);
                let score = rule.as_mut().map_or(score, |r| r.score(doc, score));
                out.insert(*address, score);
            }
        }
    }
    Ok(out)
}

/// Whether `request`'s query is read as words only (natural language, or no query syntax): then
/// dense candidates are every passage the filters keep, else only those the query matches.
pub(super) fn words_only(request: &super::Request) -> bool {
    let query = request.query.as_deref().unwrap_or_default().trim();
    request.natural
        || !has_syntax(&super::prose::escape_prose(
            query,
            &super::query::PARSED_FIELDS,
        ))
}

/// Whether a query uses query syntax beyond plain words: a field, a phrase, an operator, a
/// wildcard, a range or a group. Escaped characters (prose punctuation, [`super::prose`]) are
/// words.
fn has_syntax(query: &str) -> bool {
    let mut escaped = false;
    let special = query.chars().any(|c| {
        let syntax = !escaped && ":\"*()[]{}^~".contains(c);
        escaped = !escaped && c == '\\';
        syntax
    });
    special
        || query
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT" | "&&" | "||") || w.starts_with(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_punctuation_is_not_query_syntax() {
        let words = |q: &str| {
            words_only(&super::super::Request {
                query: Some(q.into()),
                ..Default::default()
            })
        };
        assert!(words("ketamine depression"));
        assert!(words("Alzheimer's disease"));
        assert!(words("Ketamine: a review"));
        assert!(words("randomised 1:1 ketamine - a review"));
        assert!(!words("title:ketamine"));
        assert!(!words("\"rapid reduction\""));
        assert!(!words("ketamine -dissociation"));
        assert!(!words("year:[2015 TO 2019]"));
        assert!(!words("ketamine AND dissociation"));
    }

    #[test]
    fn a_cosine_stands_out_from_the_others_by_their_spread() {
        let mut m = Moments::default();
        for c in [0.10, 0.12, 0.08, 0.11, 0.09, 0.10, 0.12, 0.08] {
            m.add(c);
        }
        m.add(0.5);
        assert!(m.stands_out(0.5));
        assert!(!m.stands_out(0.12));
        // Merged over shards, as one scan of all.
        let (mut a, mut b) = (Moments::default(), Moments::default());
        for (i, c) in [0.10, 0.12, 0.08, 0.11, 0.09, 0.10, 0.12, 0.08, 0.5]
            .into_iter()
            .enumerate()
        {
            [&mut a, &mut b][i % 2].add(c);
        }
        a.merge(b);
        assert_eq!(
            (a.n, a.stands_out(0.5), a.stands_out(0.12)),
            (9, true, false)
        );
        // Too few to tell chance by.
        let mut few = Moments::default();
        few.add(0.1);
        few.add(0.2);
        assert!(few.stands_out(0.1));
    }

    #[test]
    fn dense_candidates_matching_no_word_must_stand_out_to_be_fused() {
        let lexical = Ranked::new(vec![("a", 2.0f32), ("b", 1.0)]);
        let mut dense = Ranked::new(vec![("c", 0.6f32), ("a", 0.2), ("d", 0.15), ("e", 0.14)]);
        // "d" matches a word of the query, outside the lexical list; "c" and "e" match none.
        let lexical = Ranked {
            more: [("c", 0.0), ("d", 0.5), ("e", 0.0)].into(),
            ..lexical
        };
        dense.more.insert("b", 0.1);
        let keys = |dense: &Ranked<&'static str>| {
            let mut k: Vec<_> = fuse(Fusion::Interpolate(0.5), &lexical, dense)
                .into_iter()
                .map(|f| f.key)
                .collect();
            k.sort();
            k
        };
        assert_eq!(keys(&dense), ["a", "b", "c", "d", "e"]);
        let mut m = Moments::default();
        for c in [0.6, 0.2, 0.15, 0.14, 0.1, 0.12, 0.11, 0.13, 0.1, 0.12] {
            m.add(c);
        }
        dense.moments = Some(m);
        assert_eq!(keys(&dense), ["a", "b", "c", "d"]);
    }

    #[test]
    fn a_title_only_match_with_a_chance_cosine_is_fused_by_its_words_alone() {
        // "t" matches the query only through its title; its cosine is within chance.
        let mut lexical = Ranked::new(vec![("t", 2.0f32), ("p", 1.0)]);
        let mut dense = Ranked::new(vec![("x", 0.9f32), ("t", 0.2), ("p", 0.15)]);
        let mut m = Moments::default();
        for c in [0.9, 0.2, 0.15, 0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.14] {
            m.add(c);
        }
        dense.moments = Some(m);
        let score = |lexical: &Ranked<&'static str>, fusion, key| {
            fuse(fusion, lexical, &dense)
                .into_iter()
                .find(|f| f.key == key)
                .map(|f| f.score)
                .unwrap()
        };
        for fusion in [Fusion::Interpolate(0.5), Fusion::Rrf] {
            let with_cosine = score(&lexical, fusion, "t");
            lexical.title_only.insert("t");
            let words_alone = score(&lexical, fusion, "t");
            lexical.title_only.clear();
            assert!(words_alone < with_cosine, "{fusion:?}");
        }
        // A cosine that stands out still counts, title or not.
        lexical.more.insert("x", 1.5);
        let without = score(&lexical, Fusion::Interpolate(0.5), "x");
        lexical.title_only.insert("x");
        assert_eq!(score(&lexical, Fusion::Interpolate(0.5), "x"), without);
    }
}
