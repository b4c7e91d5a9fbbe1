//! `clinsearch serve`: a JSON search API and a single search page, on axum.
//!
//! Routes: `GET /` (the page, built into the binary), `GET /api/search`, `GET /api/stats` and
//! the routes a coordinator calls to search this index with others ([`shard`]). Nothing else is
//! served. With a token, every `/api/` route asks for it. The index reader follows new commits by itself (tantivy reloads it
//! when an `index` run commits), so the server never needs a restart.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::search::stats::{fill_years, YearCount};
use crate::search::{Hit, Request, Searcher};
use crate::search::{Kind, YearRange};
use crate::Error;

pub mod shard;

/// The search page: HTML, CSS and JavaScript in one file, no external resources.
const PAGE: &str = include_str!("web/index.html");
/// Most hits one API request returns.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset one API request may ask for.
pub const MAX_OFFSET: usize = 10_000;

/// The shared state of the server.
#[derive(Clone)]
struct App {
    searcher: Arc<Searcher>,
    /// The index's vectors for a coordinator's query vectors when no model is loaded here,
    /// opened by the first request that finds them.
    stored: Arc<std::sync::OnceLock<crate::search::Semantic>>,
}

/// The server's routes over an open index.
pub fn router(searcher: Searcher) -> Router {
    router_with_token(searcher, None)
}

/// The server's routes over an open index; with a `token`, the API answers only requests that
/// carry it (`Authorization: Bearer TOKEN`), and refuses the others with 401.
pub fn router_with_token(searcher: Searcher, token: Option<&str>) -> Router {
    let app = App {
        searcher: Arc::new(searcher),
        stored: Arc::default(),
    };
    let mut api = Router::new()
        .route("/api/search", get(search))
        .route("/api/stats", get(stats))
        .merge(shard::routes());
    if let Some(token) = token {
        let token: Arc<str> = token.into();
        api = api.layer(axum::middleware::from_fn_with_state(
            token,
            shard::check_token,
        ));
    }
    Router::new()
        .route("/", get(page))
        .merge(api)
        .fallback(not_found)
        .with_state(app)
}

/// Serve `router` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE,
    )
        .into_response()
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not found".into())
}

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Query parameters of `/api/search`; all optional, all text, checked by hand so that every bad
/// value gets a JSON error naming it.
#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    q: Option<String>,
    year: Option<String>,
    published: Option<String>,
    section: Option<String>,
    author: Option<String>,
    kind: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// The answer of `/api/search`.
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// Matching documents in all.
    pub total: usize,
    /// Where this page starts.
    pub offset: usize,
    /// The page of hits (same objects as `search --json`).
    pub hits: Vec<Hit>,
    /// Counts over all matches, ignoring the year filter.
    pub facets: Facets,
    /// Milliseconds spent.
    pub timings: Timings,
}

/// Facets of a search.
#[derive(Debug, Serialize)]
pub struct Facets {
    /// Passages (or references) per cited (or publication) year, every year between the first
    /// and the last.
    pub years: Vec<YearCount>,
}

/// Where the time went, in milliseconds.
#[derive(Debug, Serialize)]
pub struct Timings {
    /// Ranking and reading the hits.
    pub search_ms: f64,
    /// The year histogram.
    pub facets_ms: f64,
}

fn request(params: SearchParams) -> crate::Result<Request> {
    let number = |name: &str, value: Option<String>, default: usize, max: usize| match value
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(Error::Filter(format!("{name} must be at most {max}"))),
            Err(_) => Err(Error::Filter(format!(
                "{name} must be a whole number, not {v:?}"
            ))),
        },
    };
    let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Request {
        query: text(params.q),
        years: text(params.year)
            .map(|y| y.parse::<YearRange>())
            .transpose()?,
        published: text(params.published)
            .map(|y| y.parse::<YearRange>())
            .transpose()?,
        section: text(params.section),
        author: text(params.author),
        kind: text(params.kind)
            .map(|k| k.parse::<Kind>())
            .transpose()?
            .unwrap_or_default(),
        limit: number("limit", params.limit, 10, MAX_LIMIT)?.max(1),
        offset: number("offset", params.offset, 0, MAX_OFFSET)?,
        ..Request::default()
    })
}

async fn search(
    State(app): State<App>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let request = match request(params) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let searcher = app.searcher.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let results = searcher.search(&request)?;
        let search_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let years = fill_years(&searcher.year_histogram(&request)?);
        Ok::<_, Error>(SearchResponse {
            total: results.total,
            offset: request.offset,
            hits: results.hits,
            facets: Facets { years },
            timings: Timings {
                search_ms,
                facets_ms: started.elapsed().as_secs_f64() * 1000.0,
            },
        })
    })
    .await;
    match answer {
        Ok(Ok(response)) => Json(response).into_response(),
        Ok(Err(e @ (Error::Query { .. } | Error::Filter(_)))) => {
            error(StatusCode::BAD_REQUEST, e.to_string())
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Query parameters of `/api/stats`.
#[derive(Debug, Default, Deserialize)]
struct StatsParams {
    top: Option<usize>,
}

async fn stats(
    State(app): State<App>,
    params: Result<Query<StatsParams>, QueryRejection>,
) -> Response {
    let top = match params {
        Ok(Query(p)) => p.top.unwrap_or(10).min(MAX_LIMIT),
        Err(e) => return error(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let answer =
        tokio::task::spawn_blocking(move || crate::search::stats::stats(&app.searcher, top)).await;
    match answer {
        Ok(Ok(stats)) => Json(stats).into_response(),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut p = SearchParams::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => p.q = v,
                "year" => p.year = v,
                "published" => p.published = v,
                "kind" => p.kind = v,
                "limit" => p.limit = v,
                "offset" => p.offset = v,
                _ => unreachable!(),
            }
        }
        p
    }

    #[test]
    fn parameters_are_checked_with_messages() {
        let r = request(params(&[
            ("q", " NMDA "),
            ("year", "2015..2019"),
            ("limit", "5"),
        ]))
        .unwrap();
        assert_eq!(r.query.as_deref(), Some("NMDA"));
        assert_eq!(r.limit, 5);
        assert!(request(params(&[("limit", "ten")]))
            .unwrap_err()
            .to_string()
            .contains("limit"));
        assert!(request(params(&[("limit", "1000")]))
            .unwrap_err()
            .to_string()
            .contains("at most"));
        assert!(request(params(&[("offset", "-1")])).is_err());
        assert!(request(params(&[("year", "2020..2010")])).is_err());
        assert!(request(params(&[("kind", "everything")])).is_err());
        let r = request(params(&[("published", "2015..2019")])).unwrap();
        assert_eq!(
            r.published.map(|p| (p.from, p.to)),
            Some((Some(2015), Some(2019)))
        );
        assert!(request(params(&[("published", "15")])).is_err());
        assert!(request(params(&[("q", "  ")])).unwrap().query.is_none());
    }
}
