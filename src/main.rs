//! The `clinsearch` command line: a thin layer over the library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use clinsearch::filter::{Kind, YearRange};
use clinsearch::indexer::{build_index, index_exists};
use clinsearch::output::{write_hits, write_json, write_summary, Style};
use clinsearch::search::{Request, Searcher};

/// The bundled corpus, indexed when no path is given.
const DEFAULT_CORPUS: &str = "corpus";
/// The default index directory.
const DEFAULT_INDEX: &str = "index";

#[derive(Parser)]
#[command(
    name = "clinsearch",
    version,
    about = "Full-text search over clinical articles: passages, sections, references and cited years."
)]
#[command(
    after_help = "Examples:\n  clinsearch index                      index corpus/ into index/\n  clinsearch search NMDA                best passages about NMDA\n  clinsearch search ketamine --year 2015..2019\n  clinsearch search --kind reference --author Mathew"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse the articles under PATH... and write them to the index, replacing what it held.
    #[command(
        after_help = "Examples:\n  clinsearch index\n  clinsearch index ~/articles --index ~/.cache/clinsearch\n  clinsearch index notes/ papers/review.md\n\nReads plain text (.txt), Markdown (.md), JATS XML (.nxml, .xml), HTML (.html, .htm)\nand JSON Lines (.jsonl, .ndjson; one article per line); files without a known\nextension are recognised by their first bytes. A file (or JSON line) that cannot be\nread is reported with its reason and the rest are indexed. The index changes in one\ncommit."
    )]
    Index {
        /// Files or folders of articles [default: corpus]
        paths: Vec<PathBuf>,
        /// Index directory (created when missing)
        #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX)]
        index: PathBuf,
    },
    /// Search passages (or references) and print the best hits.
    #[command(
        after_help = "Examples:\n  clinsearch search NMDA\n  clinsearch search '\"treatment-resistant depression\"'\n  clinsearch search 'ketamine AND (dissociation OR \"blood pressure\")'\n  clinsearch search psychotherapy --year 2019..2021\n  clinsearch search depression --section standalone --limit 3\n  clinsearch search 'author:krystal AND year:[2015 TO 2019]'\n  clinsearch search --kind reference --author 'Mathew S'\n  clinsearch search NMDA --json | jq .cites\n\nQuery syntax (tantivy): AND, OR, NOT (or +term, -term), \"phrases\", field:term, and\nranges such as year:[2015 TO 2019]. Fields: title, section, text (the defaults),\nauthor, year, kind, article. Without a QUERY, every item the filters keep is listed in\narticle order. Exit status: 0 hits, 1 no hits, 2 error."
    )]
    Search {
        /// Query in tantivy's query language
        query: Option<String>,
        /// Cited year: 2016, 2015..2019, 2015.. or ..2010
        #[arg(long, value_name = "RANGE")]
        year: Option<String>,
        /// Words the section heading must contain
        #[arg(long, value_name = "TEXT")]
        section: Option<String>,
        /// An author of a cited work (of the reference itself, with --kind reference)
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
        /// What to search: passage, reference or all [default: passage]
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Number of hits to show
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Hits to skip (for paging)
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Print one JSON object per hit (JSON Lines)
        #[arg(long)]
        json: bool,
        /// When to colour the output
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Index directory [default: index, built from corpus/ when missing]
        #[arg(long, value_name = "DIR")]
        index: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clinsearch: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Index { paths, index } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(DEFAULT_CORPUS)]
            } else {
                paths
            };
            index_paths(&paths, &index, &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            year,
            section,
            author,
            kind,
            limit,
            offset,
            json,
            color,
            index,
        } => {
            if query.is_none()
                && year.is_none()
                && section.is_none()
                && author.is_none()
                && kind.is_none()
            {
                anyhow::bail!("give a QUERY or a filter (--year, --section, --author, --kind); see `clinsearch search --help`");
            }
            let request = Request {
                query,
                years: year.as_deref().map(str::parse::<YearRange>).transpose()?,
                section,
                author,
                kind: kind
                    .as_deref()
                    .map(str::parse::<Kind>)
                    .transpose()?
                    .unwrap_or_default(),
                limit,
                offset,
            };
            let dir = match index {
                Some(dir) => dir,
                None => {
                    let dir = PathBuf::from(DEFAULT_INDEX);
                    if !index_exists(&dir) {
                        eprintln!("clinsearch: no index in {DEFAULT_INDEX}/ yet; building it from {DEFAULT_CORPUS}/");
                        index_paths(
                            &[PathBuf::from(DEFAULT_CORPUS)],
                            &dir,
                            &mut io::stderr().lock(),
                        )?;
                        eprintln!();
                    }
                    dir
                }
            };
            let searcher = Searcher::open(&dir)?;
            let results = searcher.search(&request)?;
            if results.hits.is_empty() {
                eprintln!(
                    "no hits{}",
                    if results.total > 0 {
                        " on this page"
                    } else {
                        ""
                    }
                );
                return Ok(ExitCode::from(1));
            }
            let mut out = io::stdout().lock();
            if json {
                write_json(&mut out, &results.hits)?;
            } else {
                let style = match color {
                    ColorChoice::Always => Style::Color,
                    ColorChoice::Never => Style::Plain,
                    ColorChoice::Auto
                        if io::stdout().is_terminal()
                            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) =>
                    {
                        Style::Color
                    }
                    ColorChoice::Auto => Style::Plain,
                };
                write_hits(&mut out, &results.hits, style)?;
                let shown = results.hits.len();
                writeln!(
                    out,
                    "{shown} of {} hit{}",
                    results.total,
                    if results.total == 1 { "" } else { "s" }
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn index_paths(paths: &[PathBuf], index: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let started = Instant::now();
    let summary = build_index(paths, index)?;
    write_summary(
        out,
        &summary,
        &index.display().to_string(),
        started.elapsed(),
    )?;
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
