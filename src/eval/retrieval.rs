//! Measuring retrieval quality on a BEIR-layout collection (corpus.jsonl, queries.jsonl,
//! qrels.tsv): index the corpus once, rank articles for every judged query, score the run.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::metrics::{evaluate, read_qrels, Run, Scores};
use crate::index::{build_index, index_exists};
use crate::search::{Ranking, Searcher};

/// Ranked documents kept per query (MAP is computed over the top 1000).
pub const RUN_DEPTH: usize = 1000;

/// The outcome of evaluating one collection.
#[derive(Debug, Serialize)]
pub struct Evaluation {
    /// The collection folder's name.
    pub collection: String,
    /// Mean scores.
    pub scores: Scores,
    /// Documents in the corpus file (lines).
    pub documents: usize,
    /// Mean milliseconds per query.
    pub ms_per_query: f64,
    /// Whether the index was built in this run (false: reused).
    pub indexed: bool,
}

/// Read `queries.jsonl`: `{"_id": ..., "text": ...}` per line.
pub fn read_queries(path: &Path) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            Error::Filter(format!(
                "{}: line {}: invalid JSON: {e}",
                path.display(),
                i + 1
            ))
        })?;
        let id = match &value["_id"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => match &value["id"] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => {
                    return Err(Error::Filter(format!(
                        "{}: line {}: no _id",
                        path.display(),
                        i + 1
                    )))
                }
            },
        };
        let text = value["text"]
            .as_str()
            .or(value["query"].as_str())
            .unwrap_or_default()
            .to_string();
        out.push((id, text));
    }
    Ok(out)
}

/// Run `queries` and collect the ranked article ids of each.
pub fn run_queries(
    searcher: &Searcher,
    queries: &[(String, String)],
    depth: usize,
    ranking: Ranking,
) -> Result<(Run, HashMap<String, Vec<f32>>)> {
    run_ranked(queries, |text| searcher.rank_articles(text, depth, ranking))
}

/// Rank every query of `queries` with `rank` (text → (article id, score) pairs, best first) and
/// collect the ranked article ids and scores of each.
pub fn run_ranked(
    queries: &[(String, String)],
    mut rank: impl FnMut(&str) -> Result<Vec<(String, f32)>>,
) -> Result<(Run, HashMap<String, Vec<f32>>)> {
    let mut run = Run::new();
    let mut scores = HashMap::new();
    for (id, text) in queries {
        let ranked = rank(text)?;
        scores.insert(id.clone(), ranked.iter().map(|(_, s)| *s).collect());
        run.insert(id.clone(), ranked.into_iter().map(|(d, _)| d).collect());
    }
    Ok((run, scores))
}

/// Write a TREC run file: `qid Q0 docid rank score clinsearch`.
pub fn write_trec(
    out: &mut impl Write,
    queries: &[(String, String)],
    run: &Run,
    scores: &HashMap<String, Vec<f32>>,
) -> std::io::Result<()> {
    for (id, _) in queries {
        let (Some(docs), Some(s)) = (run.get(id), scores.get(id)) else {
            continue;
        };
        for (rank, (doc, score)) in docs.iter().zip(s).enumerate() {
            writeln!(out, "{id} Q0 {doc} {} {score:.6} clinsearch", rank + 1)?;
        }
    }
    Ok(())
}

/// Evaluate the collection in `dir`, indexing its corpus into `index_dir` unless an index of the
/// same corpus file (same size and modification time) is already there.
pub fn evaluate_collection(dir: &Path, index_dir: &Path, ranking: Ranking) -> Result<Evaluation> {
    let indexed = prepare_index(dir, index_dir)?;
    let searcher = Searcher::open(index_dir)?;
    let (scores, times) = evaluate_searcher(dir, &searcher, ranking, &dir.join("qrels.tsv"))?;
    Ok(Evaluation {
        collection: collection_name(dir),
        scores,
        documents: corpus_lines(dir),
        ms_per_query: if times.is_empty() {
            0.0
        } else {
            times.iter().sum::<f64>() / times.len() as f64
        },
        indexed,
    })
}

/// Index the corpus of the collection in `dir` into `index_dir` unless an index of the same
/// corpus file (same size and modification time) is already there; true when it indexed.
pub fn prepare_index(dir: &Path, index_dir: &Path) -> Result<bool> {
    let corpus = dir.join("corpus.jsonl");
    for file in ["corpus.jsonl", "queries.jsonl", "qrels.tsv"] {
        if !dir.join(file).is_file() {
            return Err(Error::NoSuchPath(dir.join(file)));
        }
    }
    let fingerprint = fingerprint(&corpus)?;
    let stamp = index_dir.join("corpus.fingerprint");
    let fresh = index_exists(index_dir)
        && std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str());
    if !fresh {
        build_index(std::slice::from_ref(&corpus), index_dir)?;
        std::fs::write(&stamp, &fingerprint).map_err(|source| Error::Io {
            path: stamp.clone(),
            source,
        })?;
    }
    Ok(!fresh)
}

/// The judgments in `qrels` and the queries of the collection in `dir` they judge relevant.
fn judged_queries(
    dir: &Path,
    qrels: &Path,
) -> Result<(crate::eval::metrics::Qrels, Vec<(String, String)>)> {
    let qrels_text = std::fs::read_to_string(qrels).map_err(|source| Error::Io {
        path: qrels.to_path_buf(),
        source,
    })?;
    let qrels =
        read_qrels(&qrels_text).map_err(|e| Error::Invalid(format!("{}: {e}", qrels.display())))?;
    let queries: Vec<(String, String)> = read_queries(&dir.join("queries.jsonl"))?
        .into_iter()
        .filter(|(id, _)| qrels.get(id).is_some_and(|j| j.values().any(|&g| g > 0)))
        .collect();
    Ok((qrels, queries))
}

/// Run every query of the collection in `dir` judged relevant in `qrels` on `searcher`: the
/// mean scores and each query's time in milliseconds.
pub fn evaluate_searcher(
    dir: &Path,
    searcher: &Searcher,
    ranking: Ranking,
    qrels: &Path,
) -> Result<(Scores, Vec<f64>)> {
    let (qrels, queries) = judged_queries(dir, qrels)?;
    let mut run = Run::new();
    let mut times = Vec::with_capacity(queries.len());
    for (id, text) in &queries {
        let started = Instant::now();
        let ranked = searcher.rank_articles(text, RUN_DEPTH, ranking)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        run.insert(id.clone(), ranked.into_iter().map(|(d, _)| d).collect());
    }
    Ok((evaluate(&run, &qrels), times))
}

/// Each judged query's time in milliseconds as an interactive search: the first page of ten
/// passages with snippets, the query read as natural language.
pub fn search_times(dir: &Path, searcher: &Searcher, qrels: &Path) -> Result<Vec<f64>> {
    let (_, queries) = judged_queries(dir, qrels)?;
    let mut times = Vec::with_capacity(queries.len());
    for (_, text) in queries {
        let request = crate::search::Request {
            query: Some(text),
            natural: true,
            ..crate::search::Request::default()
        };
        let started = Instant::now();
        searcher.search(&request)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(times)
}

/// The collection folder's name.
pub fn collection_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Documents in the collection's corpus file (non-empty lines).
pub fn corpus_lines(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("corpus.jsonl"))
        .map(|t| t.lines().filter(|l| !l.trim().is_empty()).count())
        .unwrap_or(0)
}

/// The default index location for evaluating `dir`: `index/eval/<folder name>`.
pub fn default_eval_index(dir: &Path) -> PathBuf {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_owned()))
        .unwrap_or_else(|| "collection".into());
    Path::new("index").join("eval").join(name)
}

fn fingerprint(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    Ok(format!(
        "{} {} {} {} schema {}\n",
        canonical.display(),
        meta.len(),
        modified,
        env!("CARGO_PKG_VERSION"),
        crate::index::schema::SCHEMA_VERSION
    ))
}
