//! Hybrid ranking: the lexical ranking (BM25 with feedback) fused with the cosine of a sentence
//! embedding of the query and of each passage ([`crate::embed`]).
//!
//! The lexical top candidates and an exact dense top-k over every vector (a brute-force scan of
//! the memory-mapped int8 rows) are fused by interpolating min-max-normalised scores, equal
//! weights by default (chosen once on SciFact's training queries), or by reciprocal-rank fusion
//! (Cormack, Clarke & Büttcher, 2009: score = Σ 1 / (k + rank), k = 60).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, Score};

use super::Searcher;
use crate::embed::store::{quantise, VectorStore};
use crate::embed::{load_model, Embedder};
use crate::error::{Error, Result};
use crate::index::committed_vectors;

/// Reciprocal-rank fusion's k (Cormack et al.'s value, not tuned here).
pub const RRF_K: f32 = 60.0;
/// Candidates taken from each signal before fusing (more when more hits are asked for).
pub const CANDIDATES: usize = 100;
/// Row of a document without a vector.
const NO_ROW: u32 = u32::MAX;

/// How the two rankings are fused; the default interpolates with [`LEXICAL_WEIGHT`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fusion {
    /// Reciprocal-rank fusion with [`RRF_K`].
    Rrf,
    /// `weight × lexical + (1 − weight) × dense`, each min-max normalised over its top
    /// [`CANDIDATES`].
    Interpolate(f32),
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

    /// `rrf`, or the lexical weight of an interpolation (`0.3`).
    fn from_str(s: &str) -> Result<Fusion> {
        if s.eq_ignore_ascii_case("rrf") {
            return Ok(Fusion::Rrf);
        }
        match s.parse::<f32>() {
            Ok(w) if (0.0..=1.0).contains(&w) => Ok(Fusion::Interpolate(w)),
            _ => Err(Error::Filter(format!(
                "fusion {s:?}: give `rrf` or a lexical weight from 0 to 1"
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

/// The model and an index's vectors, ready for hybrid ranking.
pub struct Semantic {
    embedder: Box<dyn Embedder>,
    store: VectorStore,
    /// Index of each row's article in the store's keys.
    row_article: Vec<u32>,
    /// Rows ↔ documents for the segments last searched.
    mapping: Mutex<Option<Arc<Mapping>>>,
    /// How the rankings are fused.
    pub fusion: Fusion,
}

/// Rows ↔ documents of one set of segments.
struct Mapping {
    segments: Vec<SegmentId>,
    /// Per segment (in searcher order), each document's row or [`NO_ROW`].
    doc_rows: Vec<Vec<u32>>,
    /// Each row's document, when it is in these segments.
    row_docs: Vec<Option<DocAddress>>,
}

impl Semantic {
    /// The vectors committed with the index in `dir` and the model in `model` (default: the
    /// model folder, see [`crate::embed::default_model_dir`]). `Ok(None)` when the index has no
    /// vectors; an error (for a note) when the model is missing or does not match them.
    pub fn open(
        dir: &Path,
        index: &tantivy::Index,
        model: Option<&Path>,
    ) -> Result<Option<Semantic>> {
        let Some(vectors) = committed_vectors(index)? else {
            return Ok(None);
        };
        let store = VectorStore::open(&dir.join(&vectors.file))?;
        let embedder = load_model(model)?;
        Semantic::new(embedder, store).map(Some)
    }

    /// Hybrid ranking with `embedder` over `store`: their dimensions and models must match.
    pub fn new(embedder: Box<dyn Embedder>, store: VectorStore) -> Result<Semantic> {
        if embedder.dim() != store.dim() {
            return Err(Error::Embedding(format!(
                "the index's vectors have {} dimensions and the model makes {}: run `clinsearch index --semantic` again",
                store.dim(),
                embedder.dim()
            )));
        }
        if embedder.fingerprint() != store.fingerprint() {
            return Err(Error::Embedding(
                "the index's vectors were made by another model: run `clinsearch index --semantic` again".into(),
            ));
        }
        let mut row_article = Vec::with_capacity(store.len());
        for (i, a) in store.keys().iter().enumerate() {
            row_article.extend(std::iter::repeat_n(i as u32, a.passages.len()));
        }
        Ok(Semantic {
            embedder,
            store,
            row_article,
            mapping: Mutex::new(None),
            fusion: Fusion::default(),
        })
    }

    /// The query's quantised vector.
    fn query_vector(&self, text: &str) -> Result<Vec<i8>> {
        let v = self.embedder.embed(&[text])?;
        Ok(v.first().map(|v| quantise(v)).unwrap_or_default())
    }

    /// The mapping for the segments of `searcher`, built when they changed.
    fn mapping(&self, searcher: &tantivy::Searcher) -> Result<Arc<Mapping>> {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        let mut slot = self.mapping.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = slot.as_ref().filter(|m| m.segments == segments) {
            return Ok(m.clone());
        }
        let by_seq = self.store.rows_by_seq();
        let mut doc_rows = Vec::with_capacity(segments.len());
        let mut row_docs = vec![None; self.store.len()];
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            let seqs = reader.fast_fields().u64("seq")?;
            let ordinals = reader.fast_fields().u64("ordinal")?;
            let mut rows = vec![NO_ROW; reader.max_doc() as usize];
            for doc in reader.doc_ids_alive() {
                let Some((row, ordinal)) = seqs.first(doc).and_then(|q| by_seq.get(&q)) else {
                    continue;
                };
                if ordinals.first(doc) == Some(*ordinal) {
                    rows[doc as usize] = *row;
                    row_docs[*row as usize] = Some(DocAddress::new(s as u32, doc));
                }
            }
            doc_rows.push(rows);
        }
        let m = Arc::new(Mapping {
            segments,
            doc_rows,
            row_docs,
        });
        *slot = Some(m.clone());
        Ok(m)
    }
}

/// A fused candidate: its fused score and signals.
struct Fused<K> {
    key: K,
    score: f32,
    signals: Signals,
}

/// Fuse a lexical list (best first, with scores) and a dense list (best first, with cosines).
fn fuse<K: Clone + Eq + std::hash::Hash + Ord>(
    fusion: Fusion,
    lexical: &[(K, f32)],
    dense: &[(K, f32)],
) -> Vec<Fused<K>> {
    let mut out: Vec<Fused<K>> = Vec::new();
    let mut at: HashMap<K, usize> = HashMap::new();
    let norm = |list: &[(K, f32)]| {
        let top = &list[..list.len().min(CANDIDATES)];
        let max = top.iter().map(|x| x.1).fold(f32::MIN, f32::max);
        let min = top.iter().map(|x| x.1).fold(f32::MAX, f32::min);
        move |s: f32| {
            if max > min {
                (s - min) / (max - min)
            } else {
                1.0
            }
        }
    };
    let (lex_norm, dense_norm) = (norm(lexical), norm(dense));
    for (signal, list) in [(0, lexical), (1, dense)] {
        for (rank, (key, score)) in list.iter().enumerate() {
            let i = *at.entry(key.clone()).or_insert_with(|| {
                out.push(Fused {
                    key: key.clone(),
                    score: 0.0,
                    signals: Signals::default(),
                });
                out.len() - 1
            });
            let f = &mut out[i];
            let part = match fusion {
                Fusion::Rrf => 1.0 / (RRF_K + rank as f32 + 1.0),
                Fusion::Interpolate(w) if signal == 0 => w * lex_norm(*score),
                Fusion::Interpolate(w) => (1.0 - w) * dense_norm(*score),
            };
            f.score += part;
            if signal == 0 {
                f.signals.lexical = Some(rank + 1);
            } else {
                f.signals.dense = Some(rank + 1);
                f.signals.cosine = Some(*score);
            }
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
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

    /// Hybrid ranking for `semantic`'s index, in use if it loads: a note (to print) when the
    /// index has vectors but the model is missing or does not match them; lexical ranking then.
    pub fn open_semantic(&mut self, dir: &Path, model: Option<&Path>) -> Option<String> {
        match Semantic::open(dir, &self.index, model) {
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

    /// [`Searcher::rank_articles`] fused with the dense ranking: articles score by their best
    /// passage in each ranking.
    pub(super) fn rank_articles_hybrid(
        &self,
        semantic: &Semantic,
        text: &str,
        limit: usize,
        lexical: Vec<(String, Score)>,
    ) -> Result<Vec<(String, Score)>> {
        let depth = limit.max(CANDIDATES);
        let query = semantic.query_vector(text)?;
        let searcher = self.reader.searcher();
        let mapping = semantic.mapping(&searcher)?;
        let keys = semantic.store.keys();
        // Each article's best cosine over its live rows.
        let mut best: Vec<f32> = vec![f32::NEG_INFINITY; keys.len()];
        semantic.store.scan(
            &query,
            |r| mapping.row_docs[r].is_some(),
            |r, c| {
                let a = semantic.row_article[r] as usize;
                best[a] = best[a].max(c);
            },
        );
        let mut dense: Vec<(String, f32)> = best
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_finite())
            .map(|(a, &c)| (keys[a].article.clone(), c))
            .collect();
        dense.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        dense.truncate(depth);
        let fused = fuse(semantic.fusion, &lexical, &dense);
        Ok(fused
            .into_iter()
            .take(limit)
            .map(|f| (f.key, f.score))
            .collect())
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
    ) -> Result<Vec<(DocAddress, Score, Option<Signals>)>> {
        let text = request.query.as_deref().unwrap_or_default().trim();
        let words_only = request.natural || !has_syntax(text);
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
        let depth = request.offset.saturating_add(request.limit);
        let fused =
            self.fuse_passages(semantic, searcher, text, &lexical, allowed.as_ref(), depth)?;
        Ok(fused.into_iter().map(|(a, s, g)| (a, s, Some(g))).collect())
    }

    /// Passages for a query in query syntax, fused with the dense ranking: `lexical` (best first)
    /// and the passages closest to `text` among those `allowed` keeps (all when `None`).
    pub(super) fn fuse_passages(
        &self,
        semantic: &Semantic,
        searcher: &tantivy::Searcher,
        text: &str,
        lexical: &[(DocAddress, Score)],
        allowed: Option<&HashSet<DocAddress>>,
        depth: usize,
    ) -> Result<Vec<(DocAddress, Score, Signals)>> {
        let depth = depth.max(CANDIDATES);
        let query = semantic.query_vector(text)?;
        let mapping = semantic.mapping(searcher)?;
        let mut dense: Vec<(DocAddress, f32)> = Vec::new();
        semantic.store.scan(
            &query,
            |r| mapping.row_docs[r].is_some_and(|a| allowed.is_none_or(|set| set.contains(&a))),
            |r, c| dense.push((mapping.row_docs[r].expect("kept rows have a document"), c)),
        );
        dense.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        dense.truncate(depth);
        let fused = fuse(semantic.fusion, lexical, &dense);
        Ok(fused
            .into_iter()
            .map(|mut f| {
                if f.signals.cosine.is_none() {
                    let row = mapping.doc_rows[f.key.segment_ord as usize][f.key.doc_id as usize];
                    if row != NO_ROW {
                        f.signals.cosine = Some(semantic.store.cosine(&query, row as usize));
                    }
                }
                (f.key, f.score, f.signals)
            })
            .collect())
    }
}

/// Whether a query uses query syntax beyond plain words: a field, a phrase, an operator, a
/// wildcard, a range or a group.
fn has_syntax(query: &str) -> bool {
    query.contains([':', '"', '*', '(', ')', '[', ']', '{', '}', '^', '~'])
        || query
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT" | "&&" | "||") || w.starts_with(['+', '-']))
}
