//! `clinsearch index`: bring an index up to date with folders of articles.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clinsearch::index::{
    has_vectors, update_index, update_index_with, IndexOptions, Part, Progress, Summary,
    DEFAULT_COMMIT_EVERY, DEFAULT_MAX_FILE_SIZE, DEFAULT_MEMORY,
};
use clinsearch::output::write_summary;
use clinsearch::parse::pdf::{PdfLimits, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_SECS};

use super::{DEFAULT_CORPUS, DEFAULT_INDEX};

/// Bring the index up to date with the articles under PATH... (new and changed files are parsed).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch index\n  clinsearch index ~/articles --index ~/.cache/clinsearch\n  clinsearch index notes/ papers/review.md\n\nRe-running updates the index: only new and changed files are parsed, documents of\nchanged and removed files are deleted, and an unchanged folder is detected without\nparsing anything (--rebuild parses everything again).\n\nReads plain text (.txt), Markdown (.md), JATS XML (.nxml, .xml), HTML (.html, .htm),\nJSON Lines (.jsonl, .ndjson; one article per line) and PDF with a text layer (.pdf;\nscanned PDFs need OCR first); files without a known extension are recognised by their first bytes. A file (or JSON line) that cannot be\nread is reported with its reason and the rest are indexed. The index changes in one\ncommit (on very large runs, one every --commit-every MiB of input, each holding whole\nfiles)."
)]
pub struct Args {
    /// Files or folders of articles [default: corpus]
    paths: Vec<PathBuf>,
    /// Index directory (created when missing)
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX)]
    index: PathBuf,
    /// Parse every file again, not only new and changed ones
    #[arg(long)]
    rebuild: bool,
    /// Threads for parsing and indexing [default: the number of cores, at most 8]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Memory budget of the index writer, in MiB
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MEMORY >> 20)]
    memory_mb: usize,
    /// Skip article files larger than this, in MiB (JSON Lines collections have no limit)
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_FILE_SIZE >> 20)]
    max_file_size: u64,
    /// Commit after about this much new or changed input, in MiB, so that a very large run
    /// killed late keeps what it committed (each commit holds whole files)
    #[arg(long, value_name = "MIB", default_value_t = (DEFAULT_COMMIT_EVERY >> 20) as f64)]
    commit_every: f64,
    /// Read at most this many pages of a PDF (the rest is left out, and -v says so)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PAGES)]
    pdf_max_pages: usize,
    /// Skip a PDF that takes longer than this to read, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS as f64)]
    pdf_timeout: f64,
    /// Exit with status 2 when any file (or JSON line) was skipped
    #[arg(long)]
    strict: bool,
    /// Print nothing but skipped files and errors
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what parsing split or cut (long paragraphs, over-long entries)
    #[arg(long, short)]
    verbose: bool,
    /// Index only part K of N of the files (by a hash of each file's path relative to the folder
    /// given), so that N processes or machines build one collection; search the N indexes
    /// together with `--index` given N times
    #[arg(long, value_name = "K/N", value_parser = str::parse::<Part>)]
    part: Option<Part>,
    /// Also embed passages for hybrid ranking (needs the model: scripts/fetch-model); an index
    /// that has vectors gets them for new passages on every later run, without this flag
    #[arg(long)]
    semantic: bool,
    /// The sentence-embedding model's folder [default: $CLINSEARCH_MODEL, else
    /// ~/.cache/clinsearch/models/all-MiniLM-L6-v2]
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths
    };
    let defaults = IndexOptions::default();
    let options = IndexOptions {
        rebuild: args.rebuild,
        threads: args.threads.unwrap_or(defaults.threads),
        memory: args.memory_mb << 20,
        max_file_size: args.max_file_size << 20,
        commit_every: (args.commit_every.max(0.0) * 1048576.0) as u64,
        pdf: PdfLimits {
            max_pages: args.pdf_max_pages.max(1),
            timeout: std::time::Duration::from_secs_f64(args.pdf_timeout.clamp(0.001, 1e6)),
        },
        part: args.part,
    };
    let detail = if args.quiet {
        Detail::Quiet
    } else if args.verbose {
        Detail::Verbose
    } else {
        Detail::Normal
    };
    // An index with vectors stays hybrid: a later run embeds what it adds (or says why not).
    let semantic = args.semantic || has_vectors(&args.index);
    let summary = index_paths(
        &paths,
        &args.index,
        options,
        detail,
        &mut io::stdout().lock(),
    )?;
    if semantic {
        super::embed::embed_passages(&args.index, args.model.as_deref(), args.quiet)?;
    }
    if args.strict && !summary.skipped.is_empty() {
        let n = summary.skipped.len();
        let what = if n == 1 {
            "file or line"
        } else {
            "files or lines"
        };
        eprintln!("clinsearch: {n} {what} skipped (--strict); the rest is indexed");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// How much `index` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    Quiet,
    Normal,
    Verbose,
}

/// A progress bar on stderr while indexing (only when stderr is a terminal).
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&self, files: usize) {
        self.0.set_length(files as u64);
    }

    fn file_done(&self) {
        self.0.inc(1);
    }
}

/// Index `paths` into `index`, with a progress bar on a terminal, and print the summary to `out`.
pub(super) fn index_paths(
    paths: &[PathBuf],
    index: &Path,
    options: IndexOptions,
    detail: Detail,
    mut out: &mut dyn Write,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let bar = (detail != Detail::Quiet && io::stderr().is_terminal())
        .then(|| progress_bar("{spinner} {pos}/{len} files [{bar:30}] {per_sec}, {eta} left"));
    let result = match &bar {
        Some(b) => update_index_with(paths, index, options, &Bar(b.clone())),
        None => update_index(paths, index, options),
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut summary = result?;
    if detail != Detail::Verbose {
        summary.notes.clear();
        summary.duplicates.clear();
    }
    if detail == Detail::Quiet {
        for s in &summary.skipped {
            eprintln!("skipped {}: {}", s.path.display(), s.reason);
        }
    } else {
        write_summary(
            &mut out,
            &summary,
            &index.display().to_string(),
            started.elapsed(),
        )?;
    }
    Ok(summary)
}

/// A progress bar on stderr drawn with `template`, ticking while nothing moves.
pub(super) fn progress_bar(template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
