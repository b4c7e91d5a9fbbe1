//! Hybrid ranking over shards: the coordinator embeds the query once and sends the vector (see
//! [`crate::search::shard::fuse_candidates`] for why), gathers each shard's candidates, fuses
//! them as one index would, and asks each shard for the hits of the page it holds.

use std::sync::Arc;

use super::{deepen_for_copies, lock, shown, Coordinator, Shard, Stop};
use crate::embed::Embedder;
use crate::error::Result;
use crate::index::vectors_in;
use crate::search::shard::WireClause;
use crate::search::shard::{fuse_articles, fuse_candidates, Key, QueryVector, Statistics};
use crate::search::{Fusion, Hit, Request, Results, Signals};
use crate::serve::shard::{ArticlesBody, HitsBody, HybridBody};

impl Coordinator {
    /// Whether any of the indexes searched holds vectors (`index --semantic`), so that hybrid
    /// ranking may be asked for.
    pub fn has_vectors(&self) -> bool {
        let local = self
            .dirs
            .iter()
            .any(|d| vectors_in(d).is_ok_and(|v| v.is_some()));
        local || self.vectors.iter().any(|v| v.is_ok())
    }

    /// Rank by words and meaning with `embedder` (which embeds each query once, here) when every
    /// index, local or remote, holds vectors made by its model: ranking is then that of one
    /// index holding all their articles. Otherwise a note (to print) names an index that does
    /// not, and ranking stays by words only, as over several local indexes.
    pub fn use_model(&mut self, embedder: Arc<dyn Embedder>) -> Option<String> {
        self.hybrid = None;
        let want = (embedder.dim(), embedder.fingerprint());
        let mut missing = None;
        if self.local {
            if let Some(note) = self.base.use_model(embedder.clone()) {
                return Some(note);
            }
            if self.base.semantic().is_none() {
                missing = Some("the local indexes have no vectors (the others have): run `clinsearch index --semantic` on them".to_string());
            }
        }
        let parts = lock(&self.parts).clone();
        for ((remote, vectors), part) in self.remotes.iter().zip(&self.vectors).zip(parts) {
            let url = &remote.url;
            let why = match vectors {
                _ if part.is_none() => continue,
                Ok(v) if (v.dim, v.model) == want => continue,
                Ok(v) if v.dim != want.0 => format!(
                    "shard {url} holds vectors of {} dimensions and the model makes {}: run \
                     `clinsearch index --semantic` on its index again",
                    v.dim, want.0
                ),
                Ok(_) => format!(
                    "shard {url} holds vectors made by another model: run `clinsearch index \
                     --semantic` on its index again"
                ),
                Err(why) => format!("shard {url} cannot rank by meaning ({why})"),
            };
            missing.get_or_insert(why);
        }
        let any = self.base.semantic().is_some() || self.vectors.iter().any(Result::is_ok);
        match missing {
            Some(why) if any => {
                self.base.set_semantic(None);
                Some(format!("{why}; ranking by words only"))
            }
            Some(_) => None,
            None => {
                self.hybrid = Some((embedder, Fusion::default()));
                None
            }
        }
    }

    /// Fuse with `fusion` (when hybrid ranking is in use).
    pub fn set_fusion(&mut self, fusion: Fusion) {
        if let Some((_, f)) = &mut self.hybrid {
            *f = fusion;
        }
        self.base.set_fusion(fusion);
    }

    /// Whether hybrid ranking is in use.
    pub fn is_hybrid(&self) -> bool {
        self.hybrid.is_some()
    }

    /// [`Coordinator::search`] by words and meaning: the shards' candidates for the query's
    /// `vector` (made once, here) fused as one index fuses its own, then the hits of the
    /// page from the shards that hold them.
    pub(super) fn search_hybrid(
        &self,
        request: &Request,
        (vector, fusion): (QueryVector, Fusion),
    ) -> Result<Results> {
        let terms = self.base.terms_of(request)?;
        self.until_stable(|shards| {
            let stats = self.statistics(shards, &terms)?;
            let parts: usize = shards.iter().map(|s| s.1).sum();
            let body = HybridBody {
                request: request.clone(),
                stats: stats.clone(),
                vector: vector.clone(),
            };
            let answers = self.round(
                shards,
                |s| match s.semantic() {
                    Some(semantic) => s.hybrid_candidates(semantic, request, &stats, &vector),
                    None => Ok(Default::default()),
                },
                |r| r.post("/api/shard/hybrid", &body),
            )?;
            let depth = request.offset.saturating_add(request.limit.max(1));
            let deeper = depth.saturating_mul(parts.max(1));
            let (total, fused) = fuse_candidates(fusion, request, answers, deeper);
            // As for a search by words: the shards' deeper lists only when copies across
            // shards fall on the page.
            let hits = deepen_for_copies(depth, deeper.min(fused.len()), |want| {
                self.page_hits(shards, request, &stats, &fused[..want.min(fused.len())])
            })?;
            let (hits, copies) = shown(hits, request);
            Ok(Results {
                total: total.saturating_sub(copies),
                hits,
            })
        })
    }

    /// The vector of `text`, made once here for all the shards, and how to fuse, under hybrid
    /// ranking.
    pub(super) fn query_vector(&self, text: &str) -> Result<Option<(QueryVector, Fusion)>> {
        let Some((embedder, fusion)) = &self.hybrid else {
            return Ok(None);
        };
        let values = embedder.embed(&[text.trim()])?.into_iter().next();
        let vector = QueryVector {
            values: values.unwrap_or_default(),
            model: embedder.fingerprint(),
        };
        Ok(Some((vector, *fusion)))
    }

    /// The first `limit` articles of the hybrid ranking of `clauses` (after feedback) and of the
    /// query's `vector`, from the shards' candidates.
    pub(super) fn articles_hybrid(
        &self,
        shards: &[(Shard<'_>, usize)],
        clauses: &[WireClause],
        stats: &Statistics,
        (vector, fusion): &(QueryVector, Fusion),
        limit: usize,
    ) -> std::result::Result<Vec<(String, f32)>, Stop> {
        let body = ArticlesBody {
            clauses: clauses.to_vec(),
            stats: stats.clone(),
            vector: vector.clone(),
            limit,
        };
        let answers = self.round(
            shards,
            |s| match s.semantic() {
                Some(semantic) => s.article_candidates(semantic, clauses, stats, vector, limit),
                None => Ok(Default::default()),
            },
            |r| r.post("/api/shard/articles", &body),
        )?;
        Ok(fuse_articles(*fusion, answers, limit))
    }

    /// The hits of `page` (shard, document, fused score, signals), in its order, each with the
    /// shard it comes from.
    fn page_hits(
        &self,
        shards: &[(Shard<'_>, usize)],
        request: &Request,
        stats: &Statistics,
        page: &[(usize, Key, f32, Signals)],
    ) -> std::result::Result<Vec<(usize, Hit)>, Stop> {
        let mine = |i: usize| -> Vec<(Key, f32)> {
            let held = page.iter().filter(|p| p.0 == i);
            held.map(|p| (p.1.clone(), p.2)).collect()
        };
        let bodies: Vec<HitsBody> = (0..shards.len())
            .map(|i| HitsBody {
                request: request.clone(),
                stats: stats.clone(),
                page: mine(i),
            })
            .collect();
        let at = |shard: Shard<'_>| {
            shards.iter().position(|(s, _)| match (s, shard) {
                (Shard::Local(_), Shard::Local(_)) => true,
                (Shard::Remote(a), Shard::Remote(b)) => std::ptr::eq(*a, b),
                _ => false,
            })
        };
        let answers = self.round(
            shards,
            |s| {
                let body = &bodies[at(Shard::Local(s)).unwrap_or(0)];
                match body.page.is_empty() {
                    true => Ok(Vec::new()),
                    false => s.hits_with(request, stats, &body.page),
                }
            },
            |r| {
                let body = &bodies[at(Shard::Remote(r)).unwrap_or(0)];
                match body.page.is_empty() {
                    true => Ok(Vec::new()),
                    false => r.post("/api/shard/hits", body),
                }
            },
        )?;
        let mut held: Vec<std::iter::Peekable<std::vec::IntoIter<Hit>>> = answers
            .into_iter()
            .map(|h| h.into_iter().peekable())
            .collect();
        let mut hits = Vec::with_capacity(page.len());
        for (shard, key, score, signals) in page {
            let Some(next) = held.get_mut(*shard) else {
                continue;
            };
            // A document gone from its shard since it was ranked is left out.
            if let Some(mut hit) = next.next_if(|h| h.id == key.id()) {
                hit.rank = hits.len() + 1;
                hit.score = Some(*score);
                hit.signals = Some(*signals);
                hits.push((*shard, hit));
            }
        }
        Ok(hits)
    }
}
