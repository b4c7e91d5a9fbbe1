//! Several indexes searched as one: the ranked lists and scores equal those of one index over the
//! same articles, whatever the split.

mod common;

use common::generated::{assert_same_hits, collection, vocabulary, word, write, Lcg, TOLERANCE};

use std::path::{Path, PathBuf};

use clinsearch::index::{build_index, update_index, IndexOptions, Part};
use clinsearch::search::{Hit, Ranking, Request, Searcher};

/// One index over all `articles` and, for each count in `splits`, that many indexes over the
/// articles dealt round-robin; returns the single index and the part indexes per split.
fn indexes(
    root: &Path,
    articles: &[(String, String)],
    splits: &[usize],
) -> (PathBuf, Vec<Vec<PathBuf>>) {
    let all: Vec<&(String, String)> = articles.iter().collect();
    write(&root.join("all"), &all);
    build_index(&[root.join("all")], &root.join("index-all")).unwrap();
    let mut parts = Vec::new();
    for &n in splits {
        let mut dirs = Vec::new();
        for k in 0..n {
            let files = root.join(format!("files-{n}-{k}"));
            let mine: Vec<&(String, String)> = articles.iter().skip(k).step_by(n).collect();
            write(&files, &mine);
            let index = root.join(format!("index-{n}-{k}"));
            build_index(&[files], &index).unwrap();
            dirs.push(index);
        }
        parts.push(dirs);
    }
    (root.join("index-all"), parts)
}

/// Article rankings (ids and scores) of two searchers are the same for `query`.
fn assert_same_ranking(expected: &Searcher, got: &Searcher, query: &str, ranking: Ranking) {
    let e = expected.rank_articles(query, 20, ranking).unwrap();
    let g = got.rank_articles(query, 20, ranking).unwrap();
    let ids = |r: &[(String, f32)]| r.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&e), ids(&g), "ranking of {query:?}");
    for ((_, a), (_, b)) in e.iter().zip(&g) {
        assert!((a - b).abs() <= TOLERANCE, "{query:?}: {a} vs {b}");
    }
}

#[test]
fn parts_searched_together_rank_as_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(240, 7);
    let (all, splits) = indexes(dir.path(), &articles, &[2, 4]);
    let single = Searcher::open(&all).unwrap();
    let words = vocabulary();
    let mut rng = Lcg(11);
    let queries: Vec<String> = (0..150)
        .map(|_| {
            let n = 1 + rng.below(3);
            let q: Vec<&str> = (0..n).map(|_| word(&mut rng, &words)).collect();
            q.join(" ")
        })
        .collect();
    for parts in &splits {
        let merged = Searcher::open_all(parts).unwrap();
        for query in &queries {
            for natural in [false, true] {
                let request = Request {
                    query: Some(query.clone()),
                    limit: 20,
                    natural,
                    ..Request::default()
                };
                let expected = single.search(&request).unwrap();
                let got = merged.search(&request).unwrap();
                assert_eq!(expected.total, got.total, "{query}");
                let what = format!("{query:?} over {} parts", parts.len());
                assert_same_hits(&expected.hits, &got.hits, &what);
            }
            assert_same_ranking(&single, &merged, query, Ranking::default());
            assert_same_ranking(&single, &merged, query, Ranking::plain());
        }
    }
}

/// Term statistics skewed between two parts: `zorblat` is in every article of the first part and
/// in one of the second. Each part's own statistics would put the second part's long passage
/// first; the statistics of both together put the first part's short one first, as one index does.
#[test]
fn skewed_parts_rank_by_the_statistics_of_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = vec![(
        "short.md".to_string(),
        "# Short\n\nzorblat kept.\n".to_string(),
    )];
    for i in 0..30 {
        let text = format!(
            "# Filler {i}\n\nzorblat with many other words in a longer passage number {i} here.\n"
        );
        first.push((format!("f{i:02}.md"), text));
    }
    let mut second = vec![(
        "long.md".to_string(),
        "# Long\n\nzorblat kept in a few more words than the other.\n".to_string(),
    )];
    for i in 0..3 {
        second.push((
            format!("g{i}.md"),
            format!("# Other {i}\n\nnothing to see.\n"),
        ));
    }
    let root = dir.path();
    write(&root.join("first"), &first.iter().collect::<Vec<_>>());
    write(&root.join("second"), &second.iter().collect::<Vec<_>>());
    let all: Vec<&(String, String)> = first.iter().chain(&second).collect();
    write(&root.join("all"), &all);
    for name in ["first", "second", "all"] {
        build_index(&[root.join(name)], &root.join(format!("index-{name}"))).unwrap();
    }
    let parts = [root.join("index-first"), root.join("index-second")];
    let request = Request {
        query: Some("zorblat".into()),
        limit: 100,
        ..Request::default()
    };
    let position = |hits: &[Hit], article: &str| hits.iter().position(|h| h.article == article);

    let single = Searcher::open(&root.join("index-all")).unwrap();
    let expected = single.search(&request).unwrap().hits;
    let merged = Searcher::open_all(&parts)
        .unwrap()
        .search(&request)
        .unwrap()
        .hits;
    assert_same_hits(&expected, &merged, "skewed parts");
    assert!(position(&merged, "short.md") < position(&merged, "long.md"));

    // Each part ranked by its own statistics, then merged by score: the other order.
    let mut local: Vec<Hit> = parts
        .iter()
        .flat_map(|p| Searcher::open(p).unwrap().search(&request).unwrap().hits)
        .collect();
    local.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap());
    assert!(position(&local, "long.md") < position(&local, "short.md"));
}

#[test]
fn an_index_of_another_version_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(4, 3);
    let (_, splits) = indexes(dir.path(), &articles, &[2]);
    let stale = &splits[0][1];
    common::mark_other_version(stale);
    let message = match Searcher::open_all(&splits[0]) {
        Ok(_) => panic!("a stale index was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains(&stale.display().to_string()), "{message}");
    assert!(message.contains("clinsearch index"), "{message}");
}

#[test]
fn an_index_given_twice_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(6, 5);
    let (all, _) = indexes(dir.path(), &articles, &[]);
    let request = Request {
        query: Some(articles[0].1.split_whitespace().nth(1).unwrap().into()),
        ..Request::default()
    };
    let once = Searcher::open(&all).unwrap().search(&request).unwrap();
    let twice = Searcher::open_all(&[all.clone(), all]).unwrap();
    let twice = twice.search(&request).unwrap();
    assert_eq!(once.total, twice.total);
    assert_same_hits(&once.hits, &twice.hits, "same index twice");
}

#[test]
fn parts_built_by_path_hash_cover_the_collection_once() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(60, 13);
    let (all, _) = indexes(dir.path(), &articles, &[]);
    let files = dir.path().join("all");
    let mut parts = Vec::new();
    for k in 1..=3 {
        let index = dir.path().join(format!("part-{k}"));
        let options = IndexOptions {
            part: Some(format!("{k}/3").parse::<Part>().unwrap()),
            ..IndexOptions::default()
        };
        let summary = update_index(std::slice::from_ref(&files), &index, options).unwrap();
        assert!(summary.added > 5 && summary.added < 40, "{}", summary.added);
        parts.push(index);
    }
    let single = Searcher::open(&all).unwrap();
    let merged = Searcher::open_all(&parts).unwrap();
    let everything = Request {
        limit: 10_000,
        ..Request::default()
    };
    let sorted_ids = |searcher: &Searcher| {
        let hits = searcher.search(&everything).unwrap().hits;
        let mut ids: Vec<String> = hits.into_iter().map(|h| h.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(sorted_ids(&single), sorted_ids(&merged));
    for query in ["kalox", "mimis kalon", "lokax"] {
        assert_same_ranking(&single, &merged, query, Ranking::default());
    }
    assert!("0/3".parse::<Part>().is_err() && "4/3".parse::<Part>().is_err());
    assert!("1/0".parse::<Part>().is_err() && "x".parse::<Part>().is_err());
}

/// SciFact's corpus split into 2 and 4 parts by record: the batch runs of the 1,109 queries over
/// the parts equal the run over one index. Slow in a debug build: `cargo test --release --test
/// multi -- --ignored`.
#[test]
#[ignore]
fn scifact_in_parts_gives_the_same_run() {
    let Some(data) = common::shared_data("scifact") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::fs::read_to_string(data.join("corpus.jsonl")).unwrap();
    let lines: Vec<&str> = corpus.lines().collect();
    let queries = clinsearch::eval::read_queries(&data.join("queries.jsonl")).unwrap();
    let whole = dir.path().join("whole");
    std::fs::create_dir_all(&whole).unwrap();
    std::fs::write(whole.join("corpus.jsonl"), &corpus).unwrap();
    build_index(&[whole], &dir.path().join("index-whole")).unwrap();
    let single = Searcher::open(&dir.path().join("index-whole")).unwrap();
    let expected = clinsearch::eval::run_queries(&single, &queries, 100, Ranking::default());
    let (expected_run, expected_scores) = expected.unwrap();
    for n in [2, 4] {
        let mut parts = Vec::new();
        for k in 0..n {
            let files = dir.path().join(format!("files-{n}-{k}"));
            std::fs::create_dir_all(&files).unwrap();
            let mine: Vec<&str> = lines.iter().skip(k).step_by(n).copied().collect();
            std::fs::write(files.join("corpus.jsonl"), mine.join("\n")).unwrap();
            let index = dir.path().join(format!("index-{n}-{k}"));
            build_index(&[files], &index).unwrap();
            parts.push(index);
        }
        let merged = Searcher::open_all(&parts).unwrap();
        let (run, scores) =
            clinsearch::eval::run_queries(&merged, &queries, 100, Ranking::default()).unwrap();
        for (id, _) in &queries {
            assert_eq!(expected_run[id], run[id], "query {id} over {n} parts");
            for (a, b) in expected_scores[id].iter().zip(&scores[id]) {
                assert!((a - b).abs() <= TOLERANCE, "query {id}: {a} vs {b}");
            }
        }
    }
}

/// The command line: `index --part K/N` twice and `search` with `--index` twice print what one
/// index prints; `stats` reads both.
#[test]
fn the_command_line_searches_parts_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let articles = collection(30, 17);
    let (all, _) = indexes(dir.path(), &articles, &[]);
    let bin = env!("CARGO_BIN_EXE_clinsearch");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let files = dir.path().join("all");
    let (p1, p2) = (dir.path().join("p1"), dir.path().join("p2"));
    for (part, index) in [("1/2", &p1), ("2/2", &p2)] {
        run(&[
            "index",
            files.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--part",
            part,
            "--quiet",
        ]);
    }
    let (all, p1, p2) = (
        all.to_str().unwrap(),
        p1.to_str().unwrap(),
        p2.to_str().unwrap(),
    );
    let query = vocabulary()[0].clone();
    let one = run(&["search", &query, "--json", "--limit", "50", "--index", all]);
    let two = run(&[
        "search", &query, "--json", "--limit", "50", "--index", p1, "--index", p2,
    ]);
    assert!(!one.is_empty());
    assert_eq!(one, two);
    let stats = run(&["stats", "--json", "--index", p1, "--index", p2]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["total"]["articles"], 30, "{stats}");
}
