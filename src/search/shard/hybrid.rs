//! Hybrid ranking over shards. The coordinator embeds the query once and sends the vector with
//! the collection statistics: every shard then scores with the same vector, bit for bit, as one
//! index would (a model run on each shard could give vectors that differ in the last bits from
//! machine to machine, and would have to be on every shard). Each shard answers with its lexical
//! candidates (scored with the statistics given) and their cosines, and, for a query of words
//! only, the passages closest to the vector among those the filters keep, with their BM25
//! ([`Searcher::hybrid_candidates`]). The coordinator merges them into the two lists one index
//! would fuse, fuses them ([`fuse_candidates`]) and asks each shard for the hits of the page it
//! holds ([`Searcher::hits_with`]).

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::super::hybrid::{best_first, fuse, words_only, Moments, Ranked, CANDIDATES};
use super::super::{guarded, Fusion, Hit, Request, Searcher, Semantic, Signals};
use super::{Provider, Statistics, WireClause};
use crate::embed::Embedder;
use crate::error::{Error, Result};

/// The vectors a shard holds: their length and the model that made them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VectorsInfo {
    /// Length of the vectors.
    pub dim: usize,
    /// The model's fingerprint ([`Embedder::fingerprint`]).
    pub model: u64,
}

impl VectorsInfo {
    /// The vectors `semantic` ranks with.
    pub fn of(semantic: &Semantic) -> VectorsInfo {
        VectorsInfo {
            dim: semantic.embedder.dim(),
            model: semantic.embedder.fingerprint(),
        }
    }
}

/// A query's vector as it travels, with the model that made it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QueryVector {
    /// The unit-length vector.
    pub values: Vec<f32>,
    /// The model's fingerprint.
    pub model: u64,
}

/// A document as the shards and the coordinator name it, ordered as one index breaks ties: by
/// article id, then passage (or reference) number, passages before references.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    /// Article id.
    pub article: String,
    /// Passage (or reference) number in the article.
    pub ordinal: u64,
    /// Whether it is a reference.
    pub reference: bool,
}

impl Key {
    /// The document's id (`<article>#p<n>` or `<article>#r<n>`).
    pub fn id(&self) -> String {
        crate::index::documents::document_id(&self.article, self.reference, self.ordinal)
    }
}

/// A shard's candidate: its score by the signal of the list it is in, and by the other signal
/// when the shard knows it (the cosine of a lexical candidate; the BM25 of a dense candidate the
/// query matches).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Scored {
    /// Which document.
    pub key: Key,
    /// BM25 (lexical list) or cosine (dense list).
    pub score: f32,
    /// The other signal's score.
    pub other: Option<f32>,
    /// The query matches it only through its article's title or its section's heading
    /// (interactive search).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title_only: bool,
}

/// A shard's candidates for hybrid ranking.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Candidates {
    /// Documents the query matches on the shard.
    pub total: usize,
    /// The best by BM25 under the statistics given, best first.
    pub lexical: Vec<Scored>,
    /// For a query of words only, the closest to the query vector among the passages the
    /// filters keep, closest first (empty otherwise: the coordinator takes them from `lexical`).
    pub dense: Vec<Scored>,
    /// For a query of words only, the cosines of all the passages the filters keep: a dense
    /// candidate that matches no word must stand out from them ([`Moments::stands_out`]).
    #[serde(default)]
    pub cosines: Option<Moments>,
}

/// A stand-in for the model that made stored vectors, known by their length and fingerprint: a
/// shard without the model scores a coordinator's query vectors with it, and embeds nothing.
struct Made(VectorsInfo);

impl Embedder for Made {
    fn dim(&self) -> usize {
        self.0.dim
    }

    fn fingerprint(&self) -> u64 {
        self.0.model
    }

    fn embed(&self, _texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Err(Error::Embedding(
            "no model is loaded here: this index scores query vectors sent by a coordinator".into(),
        ))
    }
}

impl Searcher {
    /// The vectors of the indexes searched, for scoring the query vectors a coordinator sends:
    /// checked against each other, not against a model (none need be loaded). `Err` says why
    /// there are none to offer.
    pub fn stored_vectors(&self) -> std::result::Result<Semantic, String> {
        let files = match super::super::vectors::which_have(&self.dirs) {
            Ok(Some(files)) => files,
            Ok(None) => return Err("its index has no vectors".into()),
            Err(e) => return Err(e.to_string()),
        };
        let first = files.iter().flatten().next().ok_or("no vector file")?;
        let store = crate::embed::VectorStore::open(first).map_err(|e| e.to_string())?;
        let made = Made(VectorsInfo {
            dim: store.dim(),
            model: store.fingerprint(),
        });
        match Semantic::for_indexes(Arc::new(made), &self.dirs) {
            Ok(Some(semantic)) => Ok(semantic),
            Ok(None) => Err("its index has no vectors".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// This index's candidates for the hybrid ranking of `request` over several shards: as many
    /// as one index ranks for the page ([`depth`]) of its best documents by BM25 under `stats`,
    /// each with its cosine with `vector`, and for a query of words only as many of its passages
    /// closest to `vector` among those the filters keep, each with its BM25 under `stats` (when
    /// the query matches it).
    pub fn hybrid_candidates(
        &self,
        semantic: &Semantic,
        request: &Request,
        stats: &Statistics,
        vector: &QueryVector,
    ) -> Result<Candidates> {
        let depth = depth(request);
        check(semantic, vector)?;
        let provider = Provider::from(stats);
        guarded(|| {
            let (query, text_query) = self.build_query(request)?;
            if text_query.is_none() {
                return Err(Error::Filter("hybrid ranking needs query text".into()));
            }
            let searcher = self.reader.searcher();
            let title_only = self.title_only(request, text_query.as_deref(), &provider)?;
            let title_only = title_only.as_ref();
            let (lexical, total) =
                self.lexical_top(&searcher, (query.as_ref(), title_only), &provider, depth)?;
            let scoring = (
                &searcher,
                &provider as &dyn tantivy::query::Bm25StatisticsProvider,
            );
            let (lexical, dense) = self.signal_lists(
                semantic,
                scoring,
                request,
                lexical,
                (query.as_ref(), title_only),
                &vector.values,
                depth,
            )?;
            let key = |address: DocAddress| {
                let (article, ordinal, reference) = self.keys.key(&searcher, address);
                Key {
                    article,
                    ordinal,
                    reference,
                }
            };
            let mut out = Candidates {
                total,
                cosines: dense.moments,
                ..Candidates::default()
            };
            for (address, score) in &lexical.list {
                let other = dense.more.get(address).copied();
                out.lexical.push(Scored {
                    key: key(*address),
                    score: *score,
                    other,
                    title_only: lexical.title_only.contains(address),
                });
            }
            if words_only(request) {
                let bm25: HashMap<DocAddress, f32> = lexical.list.iter().copied().collect();
                for (address, cosine) in &dense.list {
                    let other = bm25.get(address).or(lexical.more.get(address)).copied();
                    out.dense.push(Scored {
                        key: key(*address),
                        score: *cosine,
                        other,
                        title_only: lexical.title_only.contains(address),
                    });
                }
            }
            Ok(out)
        })
    }

    /// This index's candidates for the hybrid ranking of articles over several shards
    /// ([`Searcher::rank_articles`]): as many as one index fuses for `limit` of its best articles
    /// for `clauses` (by their best passage's BM25 under `stats`), each with its best cosine with
    /// `vector`, and as many of its articles of best cosine, each with its best passage's BM25.
    pub fn article_candidates(
        &self,
        semantic: &Semantic,
        clauses: &[WireClause],
        stats: &Statistics,
        vector: &QueryVector,
        limit: usize,
    ) -> Result<Candidates> {
        check(semantic, vector)?;
        let depth = limit.max(CANDIDATES);
        let clauses = self.unwire(clauses)?;
        let provider = Provider::from(stats);
        guarded(|| {
            let top = self.stable_top(&clauses, depth, true, Some(&provider))?;
            let lexical = top.into_iter().map(|c| (c.article, c.score)).collect();
            let searcher = self.reader.searcher();
            let scoring = (
                &searcher,
                &provider as &dyn tantivy::query::Bm25StatisticsProvider,
            );
            let (lexical, dense) =
                self.article_lists(semantic, scoring, lexical, &clauses, &vector.values, depth)?;
            let key = |article: &String| Key {
                article: article.clone(),
                ordinal: 0,
                reference: false,
            };
            let bm25: HashMap<&String, f32> = lexical.list.iter().map(|(a, s)| (a, *s)).collect();
            let lexical_of = |a| bm25.get(a).or(lexical.more.get(a)).copied();
            Ok(Candidates {
                total: 0,
                cosines: None,
                lexical: lexical
                    .list
                    .iter()
                    .map(|(a, s)| Scored {
                        key: key(a),
                        score: *s,
                        other: dense.more.get(a).copied(),
                        title_only: false,
                    })
                    .collect(),
                dense: dense
                    .list
                    .iter()
                    .map(|(a, c)| Scored {
                        key: key(a),
                        score: *c,
                        other: lexical_of(a),
                        title_only: false,
                    })
                    .collect(),
            })
        })
    }

    /// The hits of the documents `page` (each with its score), in order, with snippets for
    /// `request`'s query scored with `stats`; a document gone since it was ranked is left out.
    pub fn hits_with(
        &self,
        request: &Request,
        stats: &Statistics,
        page: &[(Key, f32)],
    ) -> Result<Vec<Hit>> {
        let provider = Provider::from(stats);
        guarded(|| {
            let (_, text_query) = self.build_query(request)?;
            let searcher = self.reader.searcher();
            let mut found = Vec::with_capacity(page.len());
            for (key, score) in page {
                let id = Term::from_field_text(self.fields.id, &key.id());
                let query = TermQuery::new(id, IndexRecordOption::Basic);
                let address = searcher.search(&query, &DocSetCollector)?.into_iter().min();
                if let Some(address) = address {
                    found.push((Some(*score), address));
                }
            }
            let (mut hits, docs) = self.hits_of(&searcher, found, &[])?;
            let text_query = text_query.filter(|_| request.snippets);
            self.add_snippets(&mut hits, &docs, text_query.as_deref(), &provider)?;
            Ok(hits)
        })
    }
}

/// The hybrid ranking of `request` over shards, from each shard's [`Candidates`] (in shard
/// order), exactly as one index holding all their documents fuses its own: the lexical list is
/// the best of all shards' lexical candidates, the dense list the closest of their dense
/// candidates (for query syntax, the lexical candidates closest to the vector), each candidate
/// scored by the other signal as the shards reported it. Returns how many documents match and
/// the first `depth` fused documents, each with the shard that holds it, its fused score and
/// its signals.
pub fn fuse_candidates(
    fusion: Fusion,
    request: &Request,
    shards: Vec<Candidates>,
    depth: usize,
) -> (usize, Vec<(usize, Key, f32, Signals)>) {
    let lists = self::depth(request);
    merge(fusion, shards, lists, !words_only(request), depth)
}

/// The hybrid ranking of articles over shards ([`Searcher::rank_articles`]), from each
/// shard's [`Searcher::article_candidates`], as one index fuses its own: the first `limit`
/// articles with their fused scores.
pub fn fuse_articles(fusion: Fusion, shards: Vec<Candidates>, limit: usize) -> Vec<(String, f32)> {
    let (_, fused) = merge(fusion, shards, limit.max(CANDIDATES), false, limit);
    fused.into_iter().map(|f| (f.1.article, f.2)).collect()
}

/// The shards' candidates merged into the two lists one index fuses (`lists` long; with
/// `dense_from_lexical`, the dense list is the lexical candidates closest to the vector), fused:
/// how many documents match, and the first `depth` fused with their shards and signals.
fn merge(
    fusion: Fusion,
    shards: Vec<Candidates>,
    lists: usize,
    dense_from_lexical: bool,
    depth: usize,
) -> (usize, Vec<(usize, Key, f32, Signals)>) {
    let mut total = 0;
    let mut shard_of: HashMap<Key, usize> = HashMap::new();
    let mut lexical = Vec::new();
    let mut dense = Vec::new();
    let mut cosines: HashMap<Key, f32> = HashMap::new();
    let mut bm25: HashMap<Key, f32> = HashMap::new();
    let mut moments: Option<Moments> = None;
    let mut title_only = std::collections::HashSet::new();
    for (i, candidates) in shards.into_iter().enumerate() {
        total += candidates.total;
        if let Some(m) = candidates.cosines {
            moments.get_or_insert_with(Moments::default).merge(m);
        }
        for s in candidates.lexical.iter().chain(&candidates.dense) {
            if s.title_only {
                title_only.insert(s.key.clone());
            }
        }
        for s in candidates.lexical {
            shard_of.entry(s.key.clone()).or_insert(i);
            if let Some(c) = s.other {
                cosines.entry(s.key.clone()).or_insert(c);
            }
            lexical.push((s.key, s.score));
        }
        for s in candidates.dense {
            shard_of.entry(s.key.clone()).or_insert(i);
            if let Some(b) = s.other {
                bm25.entry(s.key.clone()).or_insert(b);
            }
            dense.push((s.key, s.score));
        }
    }
    let order = |a: &(Key, f32), b: &(Key, f32)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    best_first(&mut lexical, lists, order);
    if dense_from_lexical {
        dense = lexical
            .iter()
            .filter_map(|(k, _)| Some((k.clone(), *cosines.get(k)?)))
            .collect();
    }
    best_first(&mut dense, lists, order);
    let mut lexical = Ranked::new(lexical);
    lexical.title_only = title_only;
    let mut dense = Ranked::new(dense);
    dense.moments = moments;
    for (key, _) in &lexical.list {
        if let Some(&c) = cosines.get(key) {
            dense.more.insert(key.clone(), c);
        }
    }
    for (key, _) in &dense.list {
        if let Some(&b) = bm25.get(key) {
            lexical.more.insert(key.clone(), b);
        }
    }
    let fused = fuse(fusion, &lexical, &dense);
    // Dense candidates may match no word of the query: they count as hits too.
    let total = total.max(fused.len());
    let page = fused.into_iter().take(depth).map(|f| {
        let shard = shard_of.get(&f.key).copied().unwrap_or(0);
        (shard, f.key, f.score, f.signals)
    });
    (total, page.collect())
}

/// `vector` was made by the model that made `semantic`'s vectors.
fn check(semantic: &Semantic, vector: &QueryVector) -> Result<()> {
    let mine = VectorsInfo::of(semantic);
    if vector.model != mine.model || vector.values.len() != mine.dim {
        return Err(Error::Embedding(format!(
            "the query vector ({} dimensions) was made by another model than this index's \
             vectors ({} dimensions): embed them with the coordinator's model",
            vector.values.len(),
            mine.dim
        )));
    }
    Ok(())
}

/// How many candidates of each signal one index fuses for `request`'s page.
fn depth(request: &Request) -> usize {
    request
        .offset
        .saturating_add(request.limit.max(1))
        .max(CANDIDATES)
}
