//! `clinsearch eval`: retrieval quality on BEIR-layout collections.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clinsearch::eval::{default_eval_index, evaluate_collection};
use clinsearch::search::Ranking;

/// Measure retrieval quality on a BEIR-layout collection (corpus.jsonl, queries.jsonl, qrels.tsv).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch eval ../shared/data/scifact\n  clinsearch eval ../shared/data/med --json\n\nThe corpus is indexed into index/eval/<folder> (reused while the corpus file is\nunchanged). Every query with a relevant judgment is run; articles are ranked by their\nbest passage. Metrics as trec_eval computes them: nDCG@10 (graded gains), recall@100,\nMAP over the top 1000, P@10."
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
            "{:<12} {:>9} {:>8} {:>10} {:>8} {:>8} {:>10}",
            "collection", "documents", "queries", "nDCG@10", "R@100", "MAP", "P@10"
        )?;
    }
    for dir in &args.collections {
        let index_dir = args
            .index
            .clone()
            .unwrap_or_else(|| default_eval_index(dir));
        let e = evaluate_collection(dir, &index_dir, ranking)?;
        if args.json {
            serde_json::to_writer(&mut out, &e)?;
            writeln!(out)?;
        } else {
            let s = e.scores;
            writeln!(
                out,
                "{:<12} {:>9} {:>8} {:>10.4} {:>8.4} {:>8.4} {:>10.4}   ({:.1} ms/query{})",
                e.collection,
                e.documents,
                s.queries,
                s.ndcg_10,
                s.recall_100,
                s.map_1000,
                s.p_10,
                e.ms_per_query,
                if e.indexed { ", indexed now" } else { "" }
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
