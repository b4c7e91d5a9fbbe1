//! Local and remote indexes searched as one: a coordinator over local indexes (read as one, see
//! [`crate::index::UnionDirectory`]) and `clinsearch serve` shards on other machines.
//!
//! Each search takes the round trips of [`crate::search::shard`]: the collection statistics of
//! the query's terms from every shard, summed, then each shard's best hits scored with the sums,
//! merged by score, ties by article id and passage number, copies across shards shown once. A
//! shard that is down, times out or fails mid-query is left out and the query run again over the
//! others, with a warning naming it; with `require_all`, that is an error instead.

mod client;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tantivy::{Index, Term};

pub use client::{Remote, ShardError};

use crate::embed::Embedder;
use crate::error::{Error, Result};
use crate::index::schema::{schema, SCHEMA_VERSION};
use crate::search::multi::once_each;
use crate::search::shard::{sort_passages, Info, Passage, Statistics, VectorsInfo, WireClause};
use crate::search::stats::{fill_article_years, fill_years, Stats};
use crate::search::{Fusion, Hit, Kind, Ranking, Request, Results, Searcher};
use crate::serve::shard::{SearchBody, StatsBody, TopBody};

mod hybrid;

/// Default time a shard has to answer one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How remote shards are reached.
#[derive(Clone, Debug)]
pub struct Options {
    /// Time a shard has to answer one request.
    pub timeout: Duration,
    /// The servers' token.
    pub token: Option<String>,
    /// A shard that does not answer is an error rather than a warning.
    pub require_all: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            token: None,
            require_all: false,
        }
    }
}

/// Whether an `--index` value names a remote index.
pub fn is_remote(index: &str) -> bool {
    index.starts_with("http://") || index.starts_with("https://")
}

/// One shard of a search.
#[derive(Clone, Copy)]
enum Shard<'a> {
    Local(&'a Searcher),
    Remote(&'a Remote),
}

/// Local indexes and remote shards searched as one.
pub struct Coordinator {
    /// The local indexes (as one), or an empty index of the same schema that only analyses.
    base: Searcher,
    local: bool,
    remotes: Vec<Remote>,
    /// Which remotes are still searched, and how many indexes each reads.
    parts: Mutex<Vec<Option<usize>>>,
    /// The vectors each remote holds (or why it has none), as it said when opened.
    vectors: Vec<std::result::Result<VectorsInfo, String>>,
    /// The model that embeds queries for hybrid ranking, and how to fuse, when in use.
    hybrid: Option<(Arc<dyn Embedder>, Fusion)>,
    dirs: Vec<PathBuf>,
    require_all: bool,
    warnings: Mutex<Vec<String>>,
}

/// Why a round of requests stopped.
enum Stop {
    /// A shard was dropped: run the query again over the others.
    Again,
    Fail(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Fail(e)
    }
}

impl Coordinator {
    /// Open the local indexes in `dirs` (none is fine) and reach the servers at `urls`, checking
    /// that each searches an index of this analysis version and schema.
    pub fn open(dirs: &[PathBuf], urls: &[String], options: Options) -> Result<Coordinator> {
        let local = !dirs.is_empty();
        let base = match local {
            true => Searcher::open_all(dirs)?,
            false => Searcher::from_index(Index::create_in_ram(schema()))?,
        };
        let remotes: Vec<Remote> = urls
            .iter()
            .map(|u| Remote::new(u, options.timeout, options.token.clone()))
            .collect();
        let mut coordinator = Coordinator {
            base,
            local,
            parts: Mutex::new(vec![None; remotes.len()]),
            vectors: vec![Err("it did not answer".into()); remotes.len()],
            remotes,
            hybrid: None,
            dirs: dirs.to_vec(),
            require_all: options.require_all,
            warnings: Mutex::default(),
        };
        let mine = coordinator.base.info()?;
        for (i, remote) in coordinator.remotes.iter().enumerate() {
            match remote.get::<Info>("/api/shard/info") {
                Ok(info) => {
                    check(&remote.url, &info, &mine)?;
                    lock(&coordinator.parts)[i] = Some(info.parts.max(1));
                    coordinator.vectors[i] = info.vectors;
                }
                Err(e) => coordinator.dropped(remote, e)?,
            }
        }
        Ok(coordinator)
    }

    /// The warnings since the last call (shards left out), each naming the shard.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.warnings))
    }

    /// Leave out a shard that did not answer, with a warning; an error when all are required or
    /// when it refused the request.
    fn dropped(&self, remote: &Remote, error: ShardError) -> Result<()> {
        let url = &remote.url;
        match error {
            ShardError::Refused(why) => Err(Error::Invalid(format!("shard {url} refused: {why}"))),
            ShardError::Down(why) if self.require_all => Err(Error::Invalid(format!(
                "shard {url} did not answer ({why}) and --require-all is given"
            ))),
            ShardError::Down(why) => {
                if let Some(i) = self.remotes.iter().position(|r| r.url == *url) {
                    lock(&self.parts)[i] = None;
                }
                lock(&self.warnings).push(format!(
                    "shard {url} did not answer ({why}): results leave out its articles"
                ));
                Ok(())
            }
        }
    }

    /// The shards still searched, with how many indexes each reads.
    fn live(&self) -> Vec<(Shard<'_>, usize)> {
        let mut shards = Vec::new();
        if self.local {
            shards.push((Shard::Local(&self.base), self.base.info_parts()));
        }
        for (remote, parts) in self.remotes.iter().zip(lock(&self.parts).iter()) {
            if let Some(parts) = parts {
                shards.push((Shard::Remote(remote), *parts));
            }
        }
        shards
    }

    /// `local` on the local indexes and `remote` on each remote shard, in parallel; the answers
    /// in the order of `shards`.
    fn round<T: Send>(
        &self,
        shards: &[(Shard<'_>, usize)],
        local: impl Fn(&Searcher) -> Result<T> + Sync,
        remote: impl Fn(&Remote) -> std::result::Result<T, ShardError> + Sync,
    ) -> std::result::Result<Vec<T>, Stop> {
        let answers: Vec<std::result::Result<T, Stop>> = std::thread::scope(|scope| {
            let handles: Vec<_> = shards
                .iter()
                .map(|(shard, _)| match *shard {
                    Shard::Remote(r) => Some(scope.spawn(|| remote(r))),
                    Shard::Local(_) => None,
                })
                .collect();
            shards
                .iter()
                .zip(handles)
                .map(|((shard, _), handle)| match (shard, handle) {
                    (Shard::Local(s), _) => local(s).map_err(Stop::Fail),
                    (Shard::Remote(r), Some(h)) => {
                        let answer = h
                            .join()
                            .unwrap_or_else(|_| Err(ShardError::Down("client panicked".into())));
                        answer.map_err(|e| match self.dropped(r, e) {
                            Ok(()) => Stop::Again,
                            Err(e) => Stop::Fail(e),
                        })
                    }
                    (Shard::Remote(_), None) => Err(Stop::Again),
                })
                .collect()
        });
        let mut out = Vec::with_capacity(answers.len());
        let mut again = false;
        for answer in answers {
            match answer {
                Ok(a) => out.push(a),
                Err(Stop::Fail(e)) => return Err(Stop::Fail(e)),
                Err(Stop::Again) => again = true,
            }
        }
        match again {
            true => Err(Stop::Again),
            false => Ok(out),
        }
    }

    /// The statistics of `terms` over all live shards.
    fn statistics(
        &self,
        shards: &[(Shard<'_>, usize)],
        terms: &[Term],
    ) -> std::result::Result<Statistics, Stop> {
        let body = StatsBody {
            terms: terms.to_vec(),
        };
        let all = self.round(
            shards,
            |s| s.statistics(terms),
            |r| r.post("/api/shard/stats", &body),
        )?;
        let mut sum = Statistics::default();
        all.iter().for_each(|s| sum.merge(s));
        Ok(sum)
    }

    /// Run `attempt` until no shard drops out during it.
    fn until_stable<T>(
        &self,
        attempt: impl Fn(&[(Shard<'_>, usize)]) -> std::result::Result<T, Stop>,
    ) -> Result<T> {
        loop {
            match attempt(&self.live()) {
                Ok(t) => return Ok(t),
                Err(Stop::Fail(e)) => return Err(e),
                Err(Stop::Again) => continue,
            }
        }
    }

    /// [`Searcher::search`] over every shard, ranked as one index holding all their articles.
    pub fn search(&self, request: &Request) -> Result<Results> {
        let text = request.query.as_deref().map_or("", str::trim);
        if !text.is_empty() && request.kind != Kind::Reference {
            if let Some(vector) = self.query_vector(self.base.topic_of(text))? {
                return self.search_hybrid(request, vector);
            }
        }
        let terms = self.base.terms_of(request)?;
        self.until_stable(|shards| {
            let stats = self.statistics(shards, &terms)?;
            let parts: usize = shards.iter().map(|s| s.1).sum();
            let depth = request.offset.saturating_add(request.limit.max(1));
            // Each shard's first `depth` hits hold the merged list's first `depth`; only when
            // copies across shards are among them does the page need deeper lists (up to `depth`
            // per part, as a local search over several indexes ranks them). Asking for the deep
            // lists only then keeps the snippets the shards make to about one page each.
            let mut total = 0;
            let deeper = depth.saturating_mul(parts.max(1));
            let hits = deepen_for_copies(depth, deeper, |per_shard| {
                let each = Request {
                    offset: 0,
                    limit: per_shard,
                    ..request.clone()
                };
                let body = SearchBody {
                    request: each.clone(),
                    stats: stats.clone(),
                };
                let answers = self.round(
                    shards,
                    |s| s.search_with(&each, &stats),
                    |r| r.post("/api/shard/search", &body),
                )?;
                total = answers.iter().map(|a| a.total).sum();
                let mut hits: Vec<(usize, Hit)> = answers
                    .into_iter()
                    .enumerate()
                    .flat_map(|(i, a)| a.hits.into_iter().map(move |h| (i, h)))
                    .collect();
                if request
                    .query
                    .as_deref()
                    .is_some_and(|q| !q.trim().is_empty())
                {
                    hits.sort_by(|(_, a), (_, b)| hit_order(a, b));
                }
                Ok(hits)
            })?;
            let (hits, copies) = shown(hits, request);
            Ok(Results {
                total: total.saturating_sub(copies),
                hits,
            })
        })
    }

    /// [`Searcher::rank_articles`] over every shard: with `ranking.expand`, RM3 reads the best
    /// passages of all shards and the statistics of their words from all; under hybrid ranking,
    /// the shards' candidates for the expanded query and the query's vector are fused as one
    /// index fuses its own.
    pub fn rank_articles(
        &self,
        text: &str,
        limit: usize,
        ranking: Ranking,
    ) -> Result<Vec<(String, f32)>> {
        let base = &self.base;
        let clauses = base.natural_clauses(text, ranking);
        let first_terms = base.clause_terms(&clauses)?;
        let vector = self.query_vector(text)?;
        self.until_stable(|shards| {
            let mut stats = self.statistics(shards, &first_terms)?;
            let mut clauses = clauses.clone();
            if ranking.expand {
                let depth = base.feedback_depth();
                let feedback = self.top(shards, &clauses, depth, false, true, &stats)?;
                let terms = base.feedback_terms(text, ranking, &feedback);
                stats = self.statistics(shards, &terms)?;
                clauses = base.expand_with(text, ranking, &feedback, &stats)?;
            }
            if let Some(vector) = &vector {
                return self.articles_hybrid(shards, &clauses, &stats, vector, limit);
            }
            let mut top = self.top(shards, &clauses, limit.max(1), true, false, &stats)?;
            let mut seen = std::collections::HashSet::new();
            top.retain(|p| seen.insert(p.article.clone()));
            top.truncate(limit.max(1));
            Ok(top.into_iter().map(|p| (p.article, p.score)).collect())
        })
    }

    /// The best passages of all shards for `clauses`, merged; the first `k` unless per article.
    fn top(
        &self,
        shards: &[(Shard<'_>, usize)],
        clauses: &[WireClause],
        k: usize,
        per_article: bool,
        texts: bool,
        stats: &Statistics,
    ) -> std::result::Result<Vec<Passage>, Stop> {
        let body = TopBody {
            clauses: clauses.to_vec(),
            k,
            per_article,
            texts,
            stats: stats.clone(),
        };
        let answers = self.round(
            shards,
            |s| s.top_with(clauses, k, per_article, texts, stats),
            |r| r.post("/api/shard/top", &body),
        )?;
        let mut all: Vec<Passage> = answers.into_iter().flatten().collect();
        sort_passages(&mut all);
        if !per_article {
            all.truncate(k);
        }
        Ok(all)
    }

    /// What the shards hold together: counts summed, cited years added up, the `top` most cited.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        self.until_stable(|shards| {
            let path = format!("/api/stats?top={top}");
            let all = self.round(
                shards,
                |s| crate::search::stats::stats(s, top),
                |r| r.get(&path),
            )?;
            Ok(merge_stats(all, top))
        })
    }
}

impl Searcher {
    /// How many indexes this searcher reads as one.
    fn info_parts(&self) -> usize {
        self.info().map_or(1, |i| i.parts)
    }
}

/// Refuse a shard whose index has another analysis version or schema than this one's.
fn check(url: &str, info: &Info, mine: &Info) -> Result<()> {
    let why = match info.analysis {
        Some(v) if v != SCHEMA_VERSION => {
            format!("its analysis version is {v}, not {SCHEMA_VERSION}")
        }
        None => "its analysis version is unknown".to_string(),
        Some(_) if info.schema != mine.schema => "its schema differs from this one's".to_string(),
        Some(_) => return Ok(()),
    };
    Err(Error::SchemaMismatch(format!(
        "shard {url} cannot be searched with the others: {why}; rebuild its index with \
         `clinsearch index PATH... --index DIR` and the same clinsearch version on that machine"
    )))
}

/// Two hits in the order one index ranks them: score, then article id, passage (or reference)
/// number, passages before references.
fn hit_order(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    let key = |h: &Hit| {
        let number = h.id.rsplit_once('#').map_or("", |(_, n)| n);
        let number: u64 = number.get(1..).and_then(|n| n.parse().ok()).unwrap_or(0);
        (number, h.kind == crate::index::schema::KIND_REFERENCE)
    };
    let score = |h: &Hit| h.score.unwrap_or(f32::MIN);
    score(b)
        .total_cmp(&score(a))
        .then_with(|| a.article.cmp(&b.article))
        .then_with(|| key(a).cmp(&key(b)))
}

/// The statistics of several shards as one.
fn merge_stats(all: Vec<Stats>, top: usize) -> Stats {
    let mut formats = std::collections::BTreeMap::new();
    let mut total = crate::index::Counts::default();
    let mut years: std::collections::BTreeMap<u16, u64> = Default::default();
    let mut published: std::collections::BTreeMap<u16, u64> = Default::default();
    let mut most_cited = Vec::new();
    let mut vectors = 0;
    for stats in all {
        vectors += stats.vectors;
        for (format, counts) in stats.formats {
            formats
                .entry(format)
                .or_insert_with(crate::index::Counts::default)
                .merge(&counts);
        }
        total.merge(&stats.total);
        for y in stats.cited_years {
            *years.entry(y.year).or_default() += y.passages;
        }
        for y in stats.published_years {
            *published.entry(y.year).or_default() += y.articles;
        }
        most_cited.extend(stats.most_cited);
    }
    most_cited.sort_by_key(|c| std::cmp::Reverse(c.passages));
    most_cited.truncate(top);
    let nonzero = |years: std::collections::BTreeMap<u16, u64>| -> Vec<(u16, u64)> {
        years.into_iter().filter(|(_, n)| *n > 0).collect()
    };
    Stats {
        formats,
        total,
        cited_years: fill_years(&nonzero(years)),
        published_years: fill_article_years(&nonzero(published)),
        most_cited,
        vectors,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The page `request` asks for of `hits` (shard, hit; ranked from the first), each shown once,
/// and how many copies held by different shards were left out.
fn shown(hits: Vec<(usize, Hit)>, request: &Request) -> (Vec<Hit>, usize) {
    let parts: Vec<Option<usize>> = hits.iter().map(|(i, _)| Some(*i)).collect();
    let hits = hits.into_iter().map(|(_, h)| h).collect();
    once_each(hits, &parts, request.offset, request.limit.max(1))
}

/// The hits (shard, hit) that `hits_at` gives for lists `depth` deep, or `deeper` when copies
/// of one passage held by different shards fall among the first `depth` (an article is shown
/// once, so the page then reaches further down the lists).
fn deepen_for_copies(
    depth: usize,
    deeper: usize,
    mut hits_at: impl FnMut(usize) -> std::result::Result<Vec<(usize, Hit)>, Stop>,
) -> std::result::Result<Vec<(usize, Hit)>, Stop> {
    let hits = hits_at(depth)?;
    if depth < deeper && has_copies(&hits[..hits.len().min(depth)]) {
        return hits_at(deeper);
    }
    Ok(hits)
}

/// Whether two of these hits (shard, hit) are copies of one passage held by different shards.
fn has_copies(hits: &[(usize, Hit)]) -> bool {
    let parts: Vec<Option<usize>> = hits.iter().map(|(i, _)| Some(*i)).collect();
    let all: Vec<Hit> = hits.iter().map(|(_, h)| h.clone()).collect();
    once_each(all, &parts, 0, hits.len()).1 > 0
}
