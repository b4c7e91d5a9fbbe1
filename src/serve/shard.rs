//! The routes a coordinator calls to search this server's index with others
//! ([`crate::search::shard`]), and the token that guards the API.
//!
//! `GET /api/shard/info` (analysis version, schema, parts, vectors), `POST /api/shard/stats`
//! (collection statistics of terms), `POST /api/shard/search` (a search scored with the
//! statistics given), `POST /api/shard/top` (the best passages of weighted clauses, for batch
//! ranking and RM3), `POST /api/shard/hybrid` (the candidates of hybrid ranking for a query
//! vector) and `POST /api/shard/hits` (the hits of documents the coordinator ranked).

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Request as HttpRequest, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{error, App};
use crate::search::shard::WireClause;
use crate::search::shard::{Candidates, Key, Passage, QueryVector, Statistics, VectorsInfo};
use crate::search::{Hit, Request, Results, Searcher, Semantic};
use crate::Error;

/// Most hits or passages one shard request returns.
pub const MAX_SHARD_LIMIT: usize = 100_000;

/// The body of `/api/shard/stats`.
#[derive(Debug, Serialize, Deserialize)]
pub struct StatsBody {
    /// The terms.
    pub terms: Vec<tantivy::Term>,
}

/// The body of `/api/shard/search`.
#[derive(Debug, Serialize, Deserialize)]
pub struct SearchBody {
    /// The search.
    pub request: Request,
    /// The statistics of all shards together.
    pub stats: Statistics,
}

/// The body of `/api/shard/top`.
#[derive(Debug, Serialize, Deserialize)]
pub struct TopBody {
    /// The weighted terms.
    pub clauses: Vec<WireClause>,
    /// How many passages (articles, with `per_article`).
    pub k: usize,
    /// The best passage of each of the best `k` articles.
    pub per_article: bool,
    /// Send each passage's text.
    pub texts: bool,
    /// The statistics of all shards together.
    pub stats: Statistics,
}

/// The body of `/api/shard/hybrid`.
#[derive(Debug, Serialize, Deserialize)]
pub struct HybridBody {
    /// The search.
    pub request: Request,
    /// The statistics of all shards together.
    pub stats: Statistics,
    /// The query's vector, made once by the coordinator.
    pub vector: QueryVector,
}

/// The body of `/api/shard/articles`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArticlesBody {
    /// The weighted terms (after feedback).
    pub clauses: Vec<WireClause>,
    /// The statistics of all shards together.
    pub stats: Statistics,
    /// The query's vector, made once by the coordinator.
    pub vector: QueryVector,
    /// How many articles are ranked.
    pub limit: usize,
}

/// The body of `/api/shard/hits`.
#[derive(Debug, Serialize, Deserialize)]
pub struct HitsBody {
    /// The search (for snippets).
    pub request: Request,
    /// The statistics of all shards together.
    pub stats: Statistics,
    /// The documents, in order, each with its score.
    pub page: Vec<(Key, f32)>,
}

/// The shard routes, to merge into the server's router.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/shard/info", get(info))
        .route("/api/shard/stats", post(stats))
        .route("/api/shard/search", post(search))
        .route("/api/shard/top", post(top))
        .route("/api/shard/hybrid", post(hybrid))
        .route("/api/shard/hits", post(hits))
        .route("/api/shard/articles", post(articles))
}

/// Refuse a request to the API without the server's token (`Authorization: Bearer TOKEN`).
pub(super) async fn check_token(
    State(token): State<Arc<str>>,
    request: HttpRequest,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(given) if same_token(given.as_bytes(), token.as_bytes()) => next.run(request).await,
        Some(_) => error(
            StatusCode::UNAUTHORIZED,
            "wrong token: give this server's token with --token or CLINSEARCH_TOKEN".into(),
        ),
        None => error(
            StatusCode::UNAUTHORIZED,
            "this server needs a token: give it with --token or CLINSEARCH_TOKEN".into(),
        ),
    }
}

/// Whether `given` is `expected`, in a time that does not depend on where they differ: every
/// byte is compared, and the differences are OR-ed together rather than returned at the first
/// one, so that timing cannot reveal the token a byte at a time. (Only the length may show, as
/// with the `subtle` crate's `ct_eq`.) `black_box` keeps the optimiser from adding an early exit.
fn same_token(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() {
        return false;
    }
    let diff = given
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | std::hint::black_box(a ^ b));
    std::hint::black_box(diff) == 0
}

/// Run `work` on the index off the async threads, answering JSON or an error.
async fn blocking<T: Serialize + Send + 'static>(
    app: App,
    work: impl FnOnce(&Searcher) -> crate::Result<T> + Send + 'static,
) -> Response {
    let answer = tokio::task::spawn_blocking(move || work(&app.searcher)).await;
    match answer {
        Ok(Ok(body)) => Json(body).into_response(),
        Ok(Err(e @ (Error::Query { .. } | Error::Filter(_) | Error::Embedding(_)))) => {
            error(StatusCode::BAD_REQUEST, e.to_string())
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The vectors a coordinator's query vectors are scored with: those of the model loaded here,
/// else the index's own, opened once found (an index without vectors is looked at again at
/// each request, so that a later `index --semantic` is seen); `Err` says why there are none.
fn vectors(app: &App) -> Result<&Semantic, String> {
    if let Some(semantic) = app.searcher.semantic().or(app.stored.get()) {
        return Ok(semantic);
    }
    let semantic = app.searcher.stored_vectors()?;
    Ok(app.stored.get_or_init(|| semantic))
}

/// [`vectors`], or an error saying why there are none.
fn meaning(app: &App) -> crate::Result<&Semantic> {
    vectors(app)
        .map_err(|why| Error::Embedding(format!("this index cannot rank by meaning: {why}")))
}

/// The body, or a 400 saying what is wrong with it.
fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Box<Response>> {
    body.map(|Json(b)| b)
        .map_err(|e| Box::new(error(StatusCode::BAD_REQUEST, e.body_text())))
}

fn too_many(k: usize) -> Option<Response> {
    (k > MAX_SHARD_LIMIT).then(|| {
        error(
            StatusCode::BAD_REQUEST,
            format!("at most {MAX_SHARD_LIMIT} hits per shard request"),
        )
    })
}

async fn info(State(app): State<App>) -> Response {
    let vectors_app = app.clone();
    blocking(app, move |s| {
        let mut info = s.info()?;
        info.vectors = vectors(&vectors_app).map(VectorsInfo::of);
        Ok(info)
    })
    .await
}

async fn stats(State(app): State<App>, b: Result<Json<StatsBody>, JsonRejection>) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    blocking(app, move |s| s.statistics(&b.terms)).await
}

async fn search(State(app): State<App>, b: Result<Json<SearchBody>, JsonRejection>) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if let Some(r) = too_many(b.request.offset.saturating_add(b.request.limit)) {
        return r;
    }
    blocking(app, move |s| -> crate::Result<Results> {
        s.search_with(&b.request, &b.stats)
    })
    .await
}

async fn top(State(app): State<App>, b: Result<Json<TopBody>, JsonRejection>) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if let Some(r) = too_many(b.k) {
        return r;
    }
    blocking(app, move |s| -> crate::Result<Vec<Passage>> {
        s.top_with(&b.clauses, b.k, b.per_article, b.texts, &b.stats)
    })
    .await
}

async fn hybrid(State(app): State<App>, b: Result<Json<HybridBody>, JsonRejection>) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if let Some(r) = too_many(b.request.offset.saturating_add(b.request.limit)) {
        return r;
    }
    let vectors_app = app.clone();
    blocking(app, move |s| -> crate::Result<Candidates> {
        let semantic = vectors(&vectors_app)
            .map_err(|why| Error::Embedding(format!("this index cannot rank by meaning: {why}")))?;
        s.hybrid_candidates(semantic, &b.request, &b.stats, &b.vector)
    })
    .await
}

async fn articles(
    State(app): State<App>,
    b: Result<Json<ArticlesBody>, JsonRejection>,
) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if let Some(r) = too_many(b.limit) {
        return r;
    }
    let vectors_app = app.clone();
    blocking(app, move |s| -> crate::Result<Candidates> {
        let semantic = meaning(&vectors_app)?;
        s.article_candidates(semantic, &b.clauses, &b.stats, &b.vector, b.limit)
    })
    .await
}

async fn hits(State(app): State<App>, b: Result<Json<HitsBody>, JsonRejection>) -> Response {
    let b = match body(b) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if let Some(r) = too_many(b.page.len()) {
        return r;
    }
    blocking(app, move |s| -> crate::Result<Vec<Hit>> {
        s.hits_with(&b.request, &b.stats, &b.page)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token(b"s3cret-token", b"s3cret-token"));
        assert!(!same_token(b"s3cret-tokem", b"s3cret-token"));
        assert!(!same_token(b"s3cret", b"s3cret-token"));
        assert!(!same_token(b"", b"s3cret-token"));
    }
}
