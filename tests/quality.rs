//! Retrieval quality and batch search, end to end. The collection tests need ../shared/data and
//! skip with a message without it.

use std::path::{Path, PathBuf};
use std::process::Command;

use clinsearch::eval::evaluate_collection;
use clinsearch::search::Ranking;

mod common;

/// A judged collection in ../shared/data (with its qrels.tsv).
fn collection(name: &str) -> Option<PathBuf> {
    common::shared_data(&format!("{name}/qrels.tsv")).map(|q| q.parent().unwrap().to_path_buf())
}

#[test]
fn default_ranking_beats_plain_bm25_on_scifact_and_med() {
    for name in ["scifact", "med"] {
        let Some(dir) = collection(name) else { return };
        let index = tempfile::tempdir().unwrap();
        let plain = evaluate_collection(&dir, index.path(), Ranking::plain()).unwrap();
        let ours = evaluate_collection(&dir, index.path(), Ranking::default()).unwrap();
        assert!(!ours.indexed, "the second run reuses the index");
        eprintln!(
            "{name}: plain nDCG@10 {:.4}, default {:.4}",
            plain.scores.ndcg_10, ours.scores.ndcg_10
        );
        assert!(ours.scores.ndcg_10 > plain.scores.ndcg_10, "{name}");
        assert!(ours.scores.map_1000 > plain.scores.map_1000, "{name}");
        let floor = if name == "scifact" { 0.70 } else { 0.71 };
        assert!(
            ours.scores.ndcg_10 >= floor,
            "{name}: {:.4}",
            ours.scores.ndcg_10
        );
        if name == "scifact" {
            assert!(
                ours.scores.recall_100 >= 0.93,
                "scifact recall@100: {:.4}",
                ours.scores.recall_100
            );
        }
    }
}

#[test]
fn batch_search_treats_query_syntax_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scifact-sample.jsonl");
    let bin = env!("CARGO_BIN_EXE_clinsearch");
    let out = Command::new(bin)
        .args([
            "index",
            corpus.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let queries = dir.path().join("q.jsonl");
    std::fs::write(
        &queries,
        concat!(
            r#"{"_id": "1", "text": "Does diffusion (tensor) MRI: \"measure\" white-matter ^2 in newborns?"}"#,
            "\n",
            r#"{"_id": "q2", "text": "AND OR NOT ( [ { : - ^ ~"}"#,
            "\n"
        ),
    )
    .unwrap();
    let run = dir.path().join("run.trec");
    let out = Command::new(bin)
        .args([
            "search",
            "--queries",
            queries.to_str().unwrap(),
            "--run",
            run.to_str().unwrap(),
            "--limit",
            "2",
            "--index",
            idx.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(run).unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
    assert!(!lines.is_empty());
    assert_eq!(lines[0][..3], ["1", "Q0", "4983"]);
    assert_eq!(lines[0][3], "1");
    assert_eq!(lines[0][5], "clinsearch");
    assert!(lines
        .iter()
        .all(|l| l.len() == 6 && l[4].parse::<f32>().is_ok()));
    assert!(lines.iter().filter(|l| l[0] == "1").count() <= 2);
}

#[test]
fn feedback_finds_an_article_that_shares_the_top_hits_words_but_not_the_query() {
    use clinsearch::index::{update_index, IndexOptions};
    use clinsearch::search::Searcher;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let docs = [
        (
            "a",
            "Ketamine relieves depression within hours through glutamate receptor blockade.",
        ),
        (
            "b",
            "Ketamine, a glutamate receptor antagonist, as a rapid antidepressant.",
        ),
        (
            "c",
            "Glutamate receptor blockade gives a rapid antidepressant effect in depression.",
        ),
        ("d", "Blood pressure targets in cardiology clinics."),
        ("e", "Exercise and sleep in older adults."),
        ("f", "Hand hygiene compliance in intensive care."),
    ];
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({"_id": id, "title": "", "text": text}).to_string())
        .collect();
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let idx = dir.path().join("idx");
    update_index(&[corpus], &idx, IndexOptions::default()).unwrap();
    let searcher = Searcher::open(&idx).unwrap();
    let ranked = |ranking: Ranking| searcher.rank_articles("ketamine", 10, ranking).unwrap();
    let ids = |r: &[(String, f32)]| -> Vec<String> { r.iter().map(|(id, _)| id.clone()).collect() };
    let plain = ranked(Ranking {
        expand: false,
        ..Ranking::default()
    });
    // (a and b may tie: sorted)
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(ids(&plain)), ["a", "b"]);
    let expanded = ranked(Ranking::default());
    eprintln!("{expanded:?}");
    assert_eq!(
        sorted(ids(&expanded[..2])),
        ["a", "b"],
        "the query's own hits stay on top"
    );
    assert_eq!(expanded[2].0, "c", "{expanded:?}");
    // Words every article has (the section name of these abstracts) weigh little.
    assert!(
        expanded[3..].iter().all(|(_, s)| *s < expanded[2].1 / 4.0),
        "{expanded:?}"
    );
}
