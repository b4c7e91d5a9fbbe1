//! Remote indexes: `clinsearch serve` shards on loopback ports, searched with local indexes as one,
//! rank as one index over the same articles; a shard that dies or hangs gives partial results
//! and a warning naming it; a wrong token is refused.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use std::sync::Arc;

use clinsearch::embed::{embed_index, FakeEmbedder};
use clinsearch::index::build_index;
use clinsearch::remote::{Coordinator, Options};
use clinsearch::search::{Hit, Kind, Ranking, Request, Searcher};
use common::generated::{assert_same_hits, collection, vocabulary, word, write, Lcg, TOLERANCE};

/// A `clinsearch serve` child on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(index: &Path, more: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args(["serve", "--lexical", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(more)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // "clinsearch: serving DIR at http://127.0.0.1:PORT/ (Ctrl-C stops)"
        let mut line = String::new();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        while !line.contains("serving") {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "server did not start"
            );
        }
        let url = line.split(" at ").nth(1).unwrap().split_whitespace().next();
        let url = url.unwrap().trim_end_matches('/').to_string();
        Server { child, url }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `text` with every generated word replaced by its mirror in the vocabulary: the common words
/// of one part are rare in the other, so that per-part statistics would rank differently.
fn mirrored(text: &str, words: &[String]) -> String {
    text.split(' ')
        .map(|w| {
            let (bare, tail) = w.split_at(w.trim_end_matches(['.', '\n']).len());
            match words.iter().position(|v| v == bare) {
                Some(i) => format!("{}{tail}", words[words.len() - 1 - i]),
                None => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One index over all articles and two parts with skewed word statistics.
fn skewed_parts(root: &Path) -> (PathBuf, [PathBuf; 2]) {
    skewed_parts_with(root, str::to_string)
}

/// [`skewed_parts`] with each article's Markdown passed through `edit`.
fn skewed_parts_with(root: &Path, edit: fn(&str) -> String) -> (PathBuf, [PathBuf; 2]) {
    let words = vocabulary();
    let first: Vec<(String, String)> = collection(90, 21)
        .into_iter()
        .map(|(name, text)| (name, edit(&text)))
        .collect();
    let second: Vec<(String, String)> = collection(90, 22)
        .into_iter()
        .map(|(name, text)| (name.replace('a', "b"), edit(&mirrored(&text, &words))))
        .collect();
    let all: Vec<&(String, String)> = first.iter().chain(&second).collect();
    write(&root.join("all"), &all);
    write(&root.join("one"), &first.iter().collect::<Vec<_>>());
    write(&root.join("two"), &second.iter().collect::<Vec<_>>());
    for name in ["all", "one", "two"] {
        build_index(&[root.join(name)], &root.join(format!("index-{name}"))).unwrap();
    }
    (
        root.join("index-all"),
        [root.join("index-one"), root.join("index-two")],
    )
}

/// Two shards holding the same articles (one folder indexed twice): each passage is shown once,
/// as a local search over the two indexes shows it, by words and by words and meaning, although
/// every page then needs the shards' deeper lists.
#[test]
fn copies_across_shards_are_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_, [one, _]) = skewed_parts(dir.path());
    let copy = dir.path().join("index-copy");
    build_index(&[dir.path().join("one")], &copy).unwrap();
    for index in [&one, &copy] {
        embed_index(index, &FakeEmbedder { dim: 32 }, &()).unwrap();
    }
    let local = Searcher::open_all(&[one.clone(), copy.clone()]).unwrap();
    let mut local_hybrid = Searcher::open_all(&[one.clone(), copy.clone()]).unwrap();
    assert_eq!(local_hybrid.use_model(fake(32)), None);
    let (a, b) = (Server::start(&one, &[]), Server::start(&copy, &[]));
    let urls = [a.url.clone(), b.url.clone()];
    let remote = Coordinator::open(&[], &urls, options()).unwrap();
    let mut remote_hybrid = Coordinator::open(&[], &urls, options()).unwrap();
    assert_eq!(remote_hybrid.use_model(fake(32)), None);
    let mut full_pages = 0;
    for (query, hybrid) in queries(20, 7)
        .into_iter()
        .flat_map(|q| [(q.clone(), false), (q, true)])
    {
        let request = Request {
            query: Some(query.clone()),
            limit: 10,
            natural: true,
            ..Request::default()
        };
        let (expected, got) = match hybrid {
            false => (local.search(&request).unwrap(), remote.search(&request)),
            true => (
                local_hybrid.search(&request).unwrap(),
                remote_hybrid.search(&request),
            ),
        };
        let got = got.unwrap();
        assert_same_hits(
            &expected.hits,
            &got.hits,
            &format!("{query} hybrid: {hybrid}"),
        );
        let mut ids: Vec<&str> = got.hits.iter().map(|h| h.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{query}: a passage shown twice");
        full_pages += usize::from(n == 10);
    }
    assert!(full_pages > 0, "no query filled a page");
}

fn queries(n: usize, seed: u64) -> Vec<String> {
    let words = vocabulary();
    let mut rng = Lcg(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(3);
            let q: Vec<&str> = (0..k).map(|_| word(&mut rng, &words)).collect();
            q.join(" ")
        })
        .collect()
}

fn options() -> Options {
    Options {
        timeout: Duration::from_secs(20),
        ..Options::default()
    }
}

#[test]
fn remote_and_mixed_shards_rank_as_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let (all, [one, two]) = skewed_parts(dir.path());
    let (a, b) = (Server::start(&one, &[]), Server::start(&two, &[]));
    let single = Searcher::open(&all).unwrap();
    let remote = Coordinator::open(&[], &[a.url.clone(), b.url.clone()], options()).unwrap();
    let mixed = Coordinator::open(
        std::slice::from_ref(&one),
        std::slice::from_ref(&b.url),
        options(),
    );
    let mixed = mixed.unwrap();
    let mut differs_locally = 0;
    for query in queries(60, 5) {
        for natural in [false, true] {
            let request = Request {
                query: Some(query.clone()),
                limit: 15,
                offset: if natural { 0 } else { 2 },
                natural,
                ..Request::default()
            };
            let expected = single.search(&request).unwrap();
            for (name, c) in [("remote", &remote), ("mixed", &mixed)] {
                let got = c.search(&request).unwrap();
                assert_eq!(expected.total, got.total, "{query}");
                assert_same_hits(&expected.hits, &got.hits, &format!("{query:?} {name}"));
            }
            // Per-part statistics would not do: count the queries where they change the order.
            let own = Searcher::open(&one).unwrap().search(&request).unwrap();
            let shared: Vec<&Hit> = expected
                .hits
                .iter()
                .filter(|h| h.id.starts_with('a'))
                .collect();
            if own
                .hits
                .iter()
                .zip(&shared)
                .any(|(o, s)| o.score != s.score)
            {
                differs_locally += 1;
            }
        }
        for ranking in [Ranking::default(), Ranking::plain()] {
            let e = single.rank_articles(&query, 20, ranking).unwrap();
            for c in [&remote, &mixed] {
                let g = c.rank_articles(&query, 20, ranking).unwrap();
                let ids = |r: &[(String, f32)]| r.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
                assert_eq!(ids(&e), ids(&g), "ranking of {query:?}");
                for ((_, x), (_, y)) in e.iter().zip(&g) {
                    assert!((x - y).abs() <= TOLERANCE, "{query:?}: {x} vs {y}");
                }
            }
        }
    }
    assert!(
        differs_locally > 20,
        "statistics not skewed: {differs_locally}"
    );
    assert!(remote.take_warnings().is_empty());
    let stats = remote.stats(5).unwrap();
    assert_eq!(stats.total.articles, 180);
}

/// `text` with its paragraphs under "Methods" and "Results" headings in turn, for a section
/// filter.
fn with_sections(text: &str) -> String {
    let mut parts = text.split("\n\n");
    let mut out = format!("{}\n\n", parts.next().unwrap_or_default());
    for (i, para) in parts.filter(|p| !p.trim().is_empty()).enumerate() {
        let heading = ["Methods", "Results"][i % 2];
        out.push_str(&format!("## {heading}\n\n{para}\n\n"));
    }
    out
}

/// The fake embedder (no weights) of the hybrid tests.
fn fake(dim: usize) -> Arc<FakeEmbedder> {
    Arc::new(FakeEmbedder { dim })
}

/// Hybrid ranking over two servers, and over a local index and a server, ranks as one index
/// over all the articles: the same passages in the same order, fused scores to 1e-4, the same
/// dense ranks, for natural-language text, words, query syntax, a section filter, a second page
/// and both kinds; the same article rankings, with and without RM3. The servers load no model
/// (`--lexical`): the coordinator embeds each query once and sends the vector. Per-part
/// statistics and vectors would rank otherwise.
#[test]
fn hybrid_over_remote_shards_ranks_as_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let (all, [one, two]) = skewed_parts_with(dir.path(), with_sections);
    for index in [&all, &one, &two] {
        embed_index(index, &FakeEmbedder { dim: 32 }, &()).unwrap();
    }
    let (a, b) = (Server::start(&one, &[]), Server::start(&two, &[]));
    let mut single = Searcher::open(&all).unwrap();
    assert_eq!(single.use_model(fake(32)), None);
    let mut alone = Searcher::open(&one).unwrap();
    assert_eq!(alone.use_model(fake(32)), None);
    let urls = [a.url.clone(), b.url.clone()];
    let mut remote = Coordinator::open(&[], &urls, options()).unwrap();
    assert!(remote.has_vectors());
    assert_eq!(remote.use_model(fake(32)), None);
    let mut mixed = Coordinator::open(std::slice::from_ref(&one), &urls[1..], options()).unwrap();
    assert_eq!(mixed.use_model(fake(32)), None);
    assert!(remote.is_hybrid() && mixed.is_hybrid());
    let words = vocabulary();
    let (mut compared, mut differs_alone, mut dense_on_page) = (0, 0, 0);
    let mut compared_articles = 0;
    for (i, query) in queries(130, 11).into_iter().enumerate() {
        let first = query.split(' ').next().unwrap().to_string();
        let syntax = format!("+{first} {}", words[i % 40]);
        let requests = [
            (Some(query.clone()), true, None, 0, Kind::Passage),
            (Some(query.clone()), false, None, 10, Kind::Passage),
            (Some(syntax), false, None, 0, Kind::Passage),
            (Some(query.clone()), true, Some("results"), 0, Kind::All),
        ];
        for ranking in [Ranking::default(), Ranking::plain()] {
            let e = single.rank_articles(&query, 20, ranking).unwrap();
            for (name, c) in [("remote", &remote), ("mixed", &mixed)] {
                let g = c.rank_articles(&query, 20, ranking).unwrap();
                let ids = |r: &[(String, f32)]| r.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
                assert_eq!(ids(&e), ids(&g), "articles for {query:?} {name}");
                for ((_, x), (_, y)) in e.iter().zip(&g) {
                    assert!((x - y).abs() <= TOLERANCE, "{query:?} {name}: {x} vs {y}");
                }
                compared_articles += 1;
            }
        }
        for (text, natural, section, offset, kind) in requests {
            let request = Request {
                query: text,
                natural,
                section: section.map(str::to_string),
                offset,
                kind,
                limit: 10,
                ..Request::default()
            };
            let expected = single.search(&request).unwrap();
            for (name, c) in [("remote", &remote), ("mixed", &mixed)] {
                let got = c.search(&request).unwrap();
                let what = format!("{request:?} {name}");
                assert_eq!(expected.total, got.total, "{what}");
                assert_same_hits(&expected.hits, &got.hits, &what);
                let dense = |h: &[Hit]| {
                    h.iter()
                        .map(|h| h.signals.and_then(|s| s.dense))
                        .collect::<Vec<_>>()
                };
                assert_eq!(dense(&expected.hits), dense(&got.hits), "{what}");
                if let Some(s) = section {
                    assert!(
                        got.hits
                            .iter()
                            .all(|h| h.section.to_lowercase().contains(s)),
                        "{what}"
                    );
                }
                compared += 1;
            }
            dense_on_page += expected
                .hits
                .iter()
                .filter(|h| {
                    h.signals
                        .is_some_and(|s| s.dense.is_some() && s.lexical.is_none())
                })
                .count();
            // One part alone, with its own statistics and vectors, fuses otherwise.
            let own = alone.search(&request).unwrap();
            let shared: Vec<&Hit> = expected
                .hits
                .iter()
                .filter(|h| h.id.starts_with('a'))
                .collect();
            differs_alone += usize::from(
                own.hits
                    .iter()
                    .zip(&shared)
                    .any(|(o, s)| o.score != s.score),
            );
        }
    }
    assert!(
        compared >= 1000 && compared_articles >= 500,
        "{compared} {compared_articles}"
    );
    // Passages that match no word are hits only above the noise of all cosines (summed over
    // the shards): 76 here.
    assert!(
        dense_on_page > 50,
        "few passages found by meaning only: {dense_on_page}"
    );
    assert!(
        differs_alone > 100,
        "statistics not skewed: {differs_alone}"
    );
    assert!(remote.take_warnings().is_empty());
    println!("hybrid: {compared} searches and {compared_articles} article rankings compared, {dense_on_page} passages shown by meaning only, {differs_alone} searches ranked otherwise by one part");
}

/// A shard without vectors, or with vectors of another dimension, turns hybrid ranking off
/// with a note naming it, as an index without vectors among local ones does: the ranking is
/// then by words, as one index's.
#[test]
fn a_shard_without_matching_vectors_gives_a_note_and_words_only() {
    let dir = tempfile::tempdir().unwrap();
    let (all, [one, two]) = skewed_parts(dir.path());
    embed_index(&one, &FakeEmbedder { dim: 32 }, &()).unwrap();
    let (a, b) = (Server::start(&one, &[]), Server::start(&two, &[]));
    let mut c = Coordinator::open(&[], &[a.url.clone(), b.url.clone()], options()).unwrap();
    let note = c.use_model(fake(32)).unwrap();
    assert!(
        note.contains(&b.url) && note.contains("no vectors"),
        "{note}"
    );
    assert!(!c.is_hybrid());
    let request = Request {
        query: Some(queries(1, 3).remove(0)),
        ..Request::default()
    };
    let words = Searcher::open(&all).unwrap().search(&request).unwrap();
    assert_same_hits(&words.hits, &c.search(&request).unwrap().hits, "words only");
    // Vectors of another dimension on the second shard, embedded while its server runs.
    embed_index(&two, &FakeEmbedder { dim: 16 }, &()).unwrap();
    let mut c = Coordinator::open(&[], &[a.url.clone(), b.url.clone()], options()).unwrap();
    let note = c.use_model(fake(32)).unwrap();
    assert!(
        note.contains(&b.url) && note.contains("16 dimensions"),
        "{note}"
    );
    assert!(!c.is_hybrid());
    // That shard alone, with a model of its dimension: hybrid ranking, as its index's own.
    let mut c = Coordinator::open(&[], std::slice::from_ref(&b.url), options()).unwrap();
    assert_eq!(c.use_model(fake(16)), None);
    assert!(c.is_hybrid());
    let mut own = Searcher::open(&two).unwrap();
    assert_eq!(own.use_model(fake(16)), None);
    let expected = own.search(&request).unwrap().hits;
    assert!(expected
        .iter()
        .any(|h| h.signals.is_some_and(|s| s.dense.is_some())));
    assert_same_hits(
        &expected,
        &c.search(&request).unwrap().hits,
        "vectors added later",
    );
}

#[test]
fn a_shard_that_dies_or_hangs_leaves_partial_results_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (_, [one, two]) = skewed_parts(dir.path());
    let (a, mut b) = (Server::start(&one, &[]), Server::start(&two, &[]));
    let urls = [a.url.clone(), b.url.clone()];
    let coordinator = Coordinator::open(&[], &urls, options()).unwrap();
    let strict = Coordinator::open(
        &[],
        &urls,
        Options {
            require_all: true,
            ..options()
        },
    )
    .unwrap();
    // The commonest word of one part and the commonest of the other.
    let words = vocabulary();
    let query = format!("{} {}", words[0], words[words.len() - 1]);
    let request = Request {
        query: Some(query.clone()),
        limit: 50,
        ..Request::default()
    };
    assert!(coordinator
        .search(&request)
        .unwrap()
        .hits
        .iter()
        .any(|h| h.id.starts_with('b')));
    b.kill();
    // The other shard's hits, ranked by its statistics alone, as if it were the whole collection.
    let alone = Searcher::open(&one).unwrap().search(&request).unwrap();
    let partial = coordinator.search(&request).unwrap();
    assert_same_hits(&alone.hits, &partial.hits, "after the shard died");
    let warnings = coordinator.take_warnings();
    assert!(warnings.iter().any(|w| w.contains(&b.url)), "{warnings:?}");
    let error = strict.search(&request).unwrap_err().to_string();
    assert!(
        error.contains(&b.url) && error.contains("--require-all"),
        "{error}"
    );

    // A server that accepts connections and never answers: left out after the time-out.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let started = std::time::Instant::now();
    let hanging = Coordinator::open(
        &[],
        &[a.url.clone(), silent_url.clone()],
        Options {
            timeout: Duration::from_millis(500),
            ..Options::default()
        },
    )
    .unwrap();
    let partial = hanging.search(&request).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_same_hits(&alone.hits, &partial.hits, "beside a silent shard");
    let warnings = hanging.take_warnings();
    assert!(
        warnings.iter().any(|w| w.contains(&silent_url)),
        "{warnings:?}"
    );

    // The command line prints the warning and the partial hits; --require-all fails.
    let search = |more: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args([
                "search",
                &vocabulary()[0],
                "--index",
                &a.url,
                "--index",
                &b.url,
            ])
            .args(more)
            .output()
            .unwrap()
    };
    let out = search(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains(&b.url),
        "{stderr}"
    );
    let out = search(&["--require-all"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_wrong_or_missing_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(8, 3);
    write(
        &dir.path().join("files"),
        &articles.iter().collect::<Vec<_>>(),
    );
    let index = dir.path().join("index");
    build_index(&[dir.path().join("files")], &index).unwrap();
    let server = Server::start(&index, &["--token", "right-token"]);
    let with = |token: Option<&str>| {
        Coordinator::open(
            &[],
            std::slice::from_ref(&server.url),
            Options {
                token: token.map(str::to_string),
                ..options()
            },
        )
    };
    let wrong = with(Some("wrong-token")).err().unwrap().to_string();
    assert!(
        wrong.contains("401") && wrong.contains("wrong token"),
        "{wrong}"
    );
    let missing = with(None).err().unwrap().to_string();
    assert!(missing.contains("needs a token"), "{missing}");
    let right = with(Some("right-token")).unwrap();
    let request = Request {
        query: Some(articles[0].1.split_whitespace().nth(1).unwrap().into()),
        ..Request::default()
    };
    assert!(!right.search(&request).unwrap().hits.is_empty());
    // Plain API calls need it too.
    let status = match ureq::get(&format!("{}/api/stats", server.url)).call() {
        Err(ureq::Error::Status(status, _)) => status,
        other => panic!("{:?}", other.map(|r| r.status())),
    };
    assert_eq!(status, 401);
    // Beyond loopback only with --public and a token.
    let out = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("--public"),
        "{stderr}"
    );
}

/// Interactive search (natural-language text, top 10 with snippets) over two loopback servers
/// against local merged search over the same two parts, alternating query by query in one run:
/// p50 and p99 of each, and how many of the queries give the same hits and scores. Run by
/// `bench/remote.sh`, which sets REMOTE_BENCH_PARTS=DIR:DIR and REMOTE_BENCH_QUERIES=FILE.
#[test]
#[ignore]
fn interactive_latency_against_local() {
    let (Ok(parts), Ok(queries)) = (
        std::env::var("REMOTE_BENCH_PARTS"),
        std::env::var("REMOTE_BENCH_QUERIES"),
    ) else {
        eprintln!("skipping: REMOTE_BENCH_PARTS and REMOTE_BENCH_QUERIES are not set");
        return;
    };
    let parts: Vec<PathBuf> = parts.split(':').map(PathBuf::from).collect();
    let queries = clinsearch::eval::read_queries(Path::new(&queries)).unwrap();
    let servers: Vec<Server> = parts.iter().map(|p| Server::start(p, &[])).collect();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let local = Searcher::open_all(&parts).unwrap();
    let remote = Coordinator::open(&[], &urls, options()).unwrap();
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut same = 0;
    for (i, (_, text)) in queries.iter().enumerate() {
        let request = Request {
            query: Some(text.clone()),
            natural: true,
            ..Request::default()
        };
        let started = std::time::Instant::now();
        let l = local.search(&request).unwrap();
        let local_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = std::time::Instant::now();
        let r = remote.search(&request).unwrap();
        let remote_ms = started.elapsed().as_secs_f64() * 1000.0;
        if i >= 10 {
            // (the first queries warm the caches of both)
            times[0].push(local_ms);
            times[1].push(remote_ms);
        }
        let equal = l.hits.len() == r.hits.len()
            && l.hits.iter().zip(&r.hits).all(|(a, b)| {
                a.id == b.id && (a.score.unwrap_or(0.0) - b.score.unwrap_or(0.0)).abs() <= TOLERANCE
            });
        same += usize::from(equal && l.total == r.total);
    }
    for (name, t) in ["local, 2 indexes as one", "remote, 2 loopback servers"]
        .iter()
        .zip(&mut times)
    {
        t.sort_by(f64::total_cmp);
        let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<28} {} queries, p50 {:.3} ms, p99 {:.3} ms",
            t.len(),
            at(0.5),
            at(0.99)
        );
    }
    println!(
        "same hits and scores (1e-4): {same} of {} queries",
        queries.len()
    );
    assert_eq!(same, queries.len());
}

/// Interactive search (natural-language text, top 10 with snippets) by words and by words and
/// meaning, over two loopback servers and over the same two parts as local indexes, alternating
/// query by query in one run: p50 and p99 of each. 2,000 generated articles split in 2, vectors
/// of 384 dimensions from the test embedder (the size of the real model's), 200 timed queries.
#[test]
#[ignore]
fn hybrid_latency_against_local() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let articles = collection(2000, 5);
    let parts = [root.join("i1"), root.join("i2")];
    for (k, part) in parts.iter().enumerate() {
        let mine: Vec<&(String, String)> = articles.iter().skip(k).step_by(2).collect();
        write(&root.join(format!("src{k}")), &mine);
        build_index(&[root.join(format!("src{k}"))], part).unwrap();
        embed_index(part, &FakeEmbedder { dim: 384 }, &()).unwrap();
    }
    let servers: Vec<Server> = parts.iter().map(|p| Server::start(p, &[])).collect();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let local = Searcher::open_all(&parts).unwrap();
    let mut local_hybrid = Searcher::open_all(&parts).unwrap();
    assert_eq!(local_hybrid.use_model(fake(384)), None);
    let remote = Coordinator::open(&[], &urls, options()).unwrap();
    let mut remote_hybrid = Coordinator::open(&[], &urls, options()).unwrap();
    assert_eq!(remote_hybrid.use_model(fake(384)), None);
    let mut times: [Vec<f64>; 4] = Default::default();
    for (i, query) in queries(230, 9).into_iter().enumerate() {
        let request = Request {
            query: Some(query),
            natural: true,
            ..Request::default()
        };
        let runs: [&dyn Fn() -> Vec<Hit>; 4] = [
            &|| local.search(&request).unwrap().hits,
            &|| remote.search(&request).unwrap().hits,
            &|| local_hybrid.search(&request).unwrap().hits,
            &|| remote_hybrid.search(&request).unwrap().hits,
        ];
        for (run, t) in runs.iter().zip(&mut times) {
            let started = std::time::Instant::now();
            assert!(!run().is_empty());
            // (the first queries warm the caches)
            if i >= 30 {
                t.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let names = [
        "words, local (2 indexes as one)",
        "words, 2 loopback servers",
        "hybrid, local (2 indexes as one)",
        "hybrid, 2 loopback servers",
    ];
    for (name, t) in names.iter().zip(&mut times) {
        t.sort_by(f64::total_cmp);
        let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        println!(
            "{name:<34} {} queries, p50 {:.2} ms, p99 {:.2} ms",
            t.len(),
            at(0.5),
            at(0.99)
        );
    }
}
