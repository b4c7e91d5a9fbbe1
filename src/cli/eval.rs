//! `clinsearch eval`: retrieval quality on BEIR-layout collections.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clinsearch::embed::{embed_index, load_model, Embedder};
use clinsearch::eval::default_eval_index;
use clinsearch::eval::retrieval::{
    collection_name, corpus_lines, evaluate_searcher, prepare_index, search_times,
};
use clinsearch::search::{Ranking, Searcher};

/// Measure retrieval quality on a BEIR-layout collection (corpus.jsonl, queries.jsonl, qrels.tsv).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch eval ../shared/data/scifact\n  clinsearch eval ../shared/data/med --json\n\nThe corpus is indexed into index/eval/<folder> (reused while the corpus file is\nunchanged). Every query with a relevant judgment is run; articles are ranked by their\nbest passage. Metrics as trec_eval computes them: nDCG@10 (graded gains), recall@100,\nMAP over the top 1000, P@10, and each query's time in ms, as a run of 1000 articles (run p50,\np99) and as an interactive search of the first ten passages (srch p50, p99). When the\nmodel is there (scripts/fetch-model), the passages are embedded too and the hybrid\nranking is measured beside the lexical one (--lexical: lexical only)."
)]
pub struct Args {
    /// Collection folders
    #[arg(required = true)]
    collections: Vec<PathBuf>,
    /// Index directory (one collection only) [default: index/eval/<folder>]
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Print the scores as JSON
    #[arg(long)]
    json: bool,
    /// No pseudo-relevance feedback (RM3 is on by default)
    #[arg(long)]
    no_expand: bool,
    /// Rank with plain BM25 (stop words kept, no abbreviation expansions, no feedback), for comparison
    #[arg(long)]
    plain: bool,
    /// Judgments to score against, in the collection folder (qrels/train.tsv for tuning)
    #[arg(long, value_name = "FILE", default_value = "qrels.tsv")]
    qrels: PathBuf,
    #[command(flatten)]
    semantic: super::search::SemanticArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut ranking = if args.plain {
        Ranking::plain()
    } else {
        Ranking::default()
    };
    ranking.expand &= !args.no_expand;
    if args.index.is_some() && args.collections.len() > 1 {
        anyhow::bail!("--index takes one collection; give the collections one at a time");
    }
    let mut out = io::stdout().lock();
    if !args.json {
        writeln!(
            out,
            "{:<12} {:<8} {:>9} {:>8} {:>10} {:>8} {:>8} {:>8}  {:>9} {:>9}  {:>9} {:>9}",
            "collection",
            "ranking",
            "documents",
            "queries",
            "nDCG@10",
            "R@100",
            "MAP",
            "P@10",
            "run p50",
            "run p99",
            "srch p50",
            "srch p99"
        )?;
    }
    // The model loads once for every collection.
    let mut model: Option<std::sync::Arc<dyn Embedder>> = None;
    let mut model_note = None;
    if !args.semantic.lexical {
        match load_model(args.semantic.model.as_deref()) {
            Ok(m) => model = Some(m.into()),
            Err(e) => model_note = Some(e.to_string()),
        }
    }
    for dir in &args.collections {
        let index_dir = args
            .index
            .clone()
            .unwrap_or_else(|| default_eval_index(dir));
        let indexed = prepare_index(dir, &index_dir)?;
        let qrels = dir.join(&args.qrels);
        let mut searcher = Searcher::open(&index_dir)?;
        let (scores, times) = evaluate_searcher(dir, &searcher, ranking, &qrels)?;
        let search = search_times(dir, &searcher, &qrels)?;
        let name = collection_name(dir);
        let documents = corpus_lines(dir);
        let mut rows = vec![("lexical", scores, times, search)];
        let mut embedding = None;
        if let Some(embedder) = &model {
            let report = embed_index(&index_dir, embedder.as_ref(), &())?;
            let note = searcher.use_model(embedder.clone());
            if let Some(note) = note {
                eprintln!("clinsearch: note: {name}: {note}");
            } else {
                if let Some(fusion) = args.semantic.fusion {
                    searcher.set_fusion(fusion);
                }
                let (scores, times) = evaluate_searcher(dir, &searcher, ranking, &qrels)?;
                let search = search_times(dir, &searcher, &qrels)?;
                rows.push(("hybrid", scores, times, search));
            }
            embedding = Some(report);
        }
        if args.json {
            let rankings: serde_json::Map<String, serde_json::Value> = rows
                .iter()
                .map(|(what, scores, times, search)| {
                    let (p50, p99) = (percentile(times, 0.5), percentile(times, 0.99));
                    let value = serde_json::json!({
                        "scores": scores, "p50_ms": p50, "p99_ms": p99,
                        "search_p50_ms": percentile(search, 0.5),
                        "search_p99_ms": percentile(search, 0.99),
                    });
                    (what.to_string(), value)
                })
                .collect();
            let value = serde_json::json!({
                "collection": name,
                "documents": documents,
                "indexed": indexed,
                "rankings": rankings,
                "embedding": embedding,
            });
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
            continue;
        }
        for (what, s, times, search) in &rows {
            writeln!(
                out,
                "{:<12} {:<8} {:>9} {:>8} {:>10.4} {:>8.4} {:>8.4} {:>8.4}  {:>9.1} {:>9.1}  {:>9.1} {:>9.1}{}",
                name,
                what,
                documents,
                s.queries,
                s.ndcg_10,
                s.recall_100,
                s.map_1000,
                s.p_10,
                percentile(times, 0.5),
                percentile(times, 0.99),
                percentile(search, 0.5),
                percentile(search, 0.99),
                if indexed && *what == "lexical" {
                    "   (indexed now)"
                } else {
                    ""
                }
            )?;
        }
        match embedding {
            Some(r) if r.embedded > 0 => writeln!(
                out,
                "{:<12} embedded {} passages in {:.1} s: {:.1} passages/s; {:.0} bytes/passage{}",
                name,
                r.embedded - r.copies,
                r.seconds,
                r.per_second(),
                r.bytes as f64 / r.passages.max(1) as f64,
                match r.copies {
                    0 => String::new(),
                    n => format!(" ({n} more the same as another, not embedded again)"),
                }
            )?,
            Some(r) => writeln!(
                out,
                "{:<12} vectors of {} passages kept from an earlier run ({:.0} bytes/passage); remove {} to time embedding",
                name,
                r.passages,
                r.bytes as f64 / r.passages.max(1) as f64,
                index_dir.display()
            )?,
            None => {}
        }
    }
    if let Some(note) = model_note {
        eprintln!("clinsearch: note: {note}; hybrid ranking not measured");
    }
    Ok(ExitCode::SUCCESS)
}

/// The `q` quantile of `times` (nearest rank).
fn percentile(times: &[f64], q: f64) -> f64 {
    if times.is_empty() {
        return 0.0;
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
