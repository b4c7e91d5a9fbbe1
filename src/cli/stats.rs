//! `clinsearch stats`: what an index holds.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clinsearch::output::write_stats;
use clinsearch::search::{stats, Searcher};

/// Show what an index holds: counts per format, vectors, cited years, publication years, most
/// cited references.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch stats\n  clinsearch stats --index ~/.cache/clinsearch --json | jq .cited_years"
)]
pub struct Args {
    /// Index directory [default: index, built from corpus/ when missing], or a server's
    /// http://HOST:PORT (`clinsearch serve`); give it more than once to read several as one
    #[arg(long, value_name = "DIR|URL")]
    index: Vec<PathBuf>,
    /// Print the statistics as JSON
    #[arg(long)]
    json: bool,
    /// How many of the most cited references to show
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    #[command(flatten)]
    remote: super::remote::RemoteArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let all = super::indexes_or_default(args.index)?;
    let shown = super::shown(&all);
    let (dirs, urls) = super::remote::split(&all);
    let stats = if urls.is_empty() {
        stats::stats(&Searcher::open_all(&dirs)?, args.top)?
    } else {
        let coordinator = args.remote.open(&dirs, &urls)?;
        let stats = coordinator.stats(args.top);
        super::remote::warn(&coordinator);
        stats?
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write_stats(&mut out, &stats, &shown)?;
    }
    Ok(ExitCode::SUCCESS)
}
