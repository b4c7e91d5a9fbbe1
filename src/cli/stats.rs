//! `clinsearch stats`: what an index holds.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clinsearch::output::write_stats;
use clinsearch::search::{stats, Searcher};

/// Show what an index holds: counts per format, cited years, most cited references.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch stats\n  clinsearch stats --index ~/.cache/clinsearch --json | jq .cited_years"
)]
pub struct Args {
    /// Index directory [default: index, built from corpus/ when missing]; give it more than
    /// once to search several indexes as one
    #[arg(long, value_name = "DIR")]
    index: Vec<PathBuf>,
    /// Print the statistics as JSON
    #[arg(long)]
    json: bool,
    /// How many of the most cited references to show
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dirs = super::indexes_or_default(args.index)?;
    let searcher = Searcher::open_all(&dirs)?;
    let stats = stats::stats(&searcher, args.top)?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write_stats(&mut out, &stats, &super::shown(&dirs))?;
    }
    Ok(ExitCode::SUCCESS)
}
