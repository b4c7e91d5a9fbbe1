//! The `clinsearch` command line: a thin layer over the library.

/// mimalloc: indexing allocates many small strings on every thread (parsed articles, tokens,
/// documents); it is faster there than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::borrow::Cow;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use clinsearch::eval::{
    default_eval_index, evaluate_collection, read_queries, run_queries, write_trec,
};
use clinsearch::filter::{Kind, YearRange};
use clinsearch::indexer::{
    index_exists, update_index, update_index_with, IndexOptions, Progress, Summary,
    DEFAULT_COMMIT_EVERY, DEFAULT_MAX_FILE_SIZE, DEFAULT_MEMORY,
};
use clinsearch::model::Reference;
use clinsearch::output::{
    write_detection, write_hits, write_json, write_mismatches, write_report, write_stats,
    write_summary, ParsedView, Style,
};
use clinsearch::parse::jats::labelled_references;
use clinsearch::parse::parse_bytes;
use clinsearch::reference::rules::parse_reference as parse_with_rules;
use clinsearch::reference::tagger::Tagger;
use clinsearch::reference::{builtin_tagger, inherit_ditto, parse_reference};
use clinsearch::refeval::{
    citation_accuracy, cross_validate, evaluate, evaluate_with, labelled_from, read_anystyle,
    training_examples, Labelled, Style as RenderStyle,
};
use clinsearch::search::{Ranking, Request, Searcher};

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
    /// Bring the index up to date with the articles under PATH... (new and changed files are parsed).
    #[command(
        after_help = "Examples:\n  clinsearch index\n  clinsearch index ~/articles --index ~/.cache/clinsearch\n  clinsearch index notes/ papers/review.md\n\nRe-running updates the index: only new and changed files are parsed, documents of\nchanged and removed files are deleted, and an unchanged folder is detected without\nparsing anything (--rebuild parses everything again).\n\nReads plain text (.txt), Markdown (.md), JATS XML (.nxml, .xml), HTML (.html, .htm)\nand JSON Lines (.jsonl, .ndjson; one article per line); files without a known\nextension are recognised by their first bytes. A file (or JSON line) that cannot be\nread is reported with its reason and the rest are indexed. The index changes in one\ncommit (on very large runs, one every --commit-every MiB of input, each holding whole\nfiles)."
    )]
    Index {
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
        /// Exit with status 2 when any file (or JSON line) was skipped
        #[arg(long)]
        strict: bool,
        /// Print nothing but skipped files and errors
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print what parsing split or cut (long paragraphs, over-long entries)
        #[arg(long, short)]
        verbose: bool,
    },
    /// Search passages (or references) and print the best hits.
    #[command(
        after_help = "Examples:\n  clinsearch search NMDA\n  clinsearch search '\"treatment-resistant depression\"'\n  clinsearch search 'ketamine AND (dissociation OR \"blood pressure\")'\n  clinsearch search psychotherapy --year 2019..2021\n  clinsearch search depression --section standalone --limit 3\n  clinsearch search 'author:krystal AND year:[2015 TO 2019]'\n  clinsearch search --kind reference --author 'Mathew S'\n  clinsearch search NMDA --json | jq .cites\n  clinsearch search --queries queries.jsonl --run run.trec --limit 100 --index idx\n\nQuery syntax (tantivy): AND, OR, NOT (or +term, -term), \"phrases\", field:term, and\nranges such as year:[2015 TO 2019]. Fields: text (the default: title, section and\nparagraph), expansion (also searched, weighted 0.4), title, section, author, year,\nkind, article. Without a QUERY, every item the filters keep is listed in\narticle order. Exit status: 0 hits, 1 no hits, 2 error."
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
        /// Batch mode: run every query of this JSON Lines file ({"_id": ..., "text": ...})
        #[arg(long, value_name = "FILE", requires = "run", conflicts_with = "query")]
        queries: Option<PathBuf>,
        /// Batch mode: write the ranked articles as a TREC run file
        #[arg(long, value_name = "FILE", requires = "queries")]
        run: Option<PathBuf>,
        /// Batch mode: no pseudo-relevance feedback (RM3 is on by default in batch mode)
        #[arg(long, requires = "queries")]
        no_expand: bool,
        /// Batch mode: pseudo-relevance feedback (the default; kept for old scripts)
        #[arg(long, hide = true, requires = "queries", conflicts_with = "no_expand")]
        expand: bool,
    },
    /// Measure retrieval quality on a BEIR-layout collection (corpus.jsonl, queries.jsonl, qrels.tsv).
    #[command(
        after_help = "Examples:\n  clinsearch eval ../shared/data/scifact\n  clinsearch eval ../shared/data/med --json\n\nThe corpus is indexed into index/eval/<folder> (reused while the corpus file is\nunchanged). Every query with a relevant judgment is run; articles are ranked by their\nbest passage. Metrics as trec_eval computes them: nDCG@10 (graded gains), recall@100,\nMAP over the top 1000, P@10."
    )]
    Eval {
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
        /// Pseudo-relevance feedback (the default; kept for old scripts)
        #[arg(long, hide = true, conflicts_with = "no_expand")]
        expand: bool,
        /// Rank with plain BM25 (stop words kept, no abbreviation expansions, no feedback), for comparison
        #[arg(long)]
        plain: bool,
    },
    /// Show what an index holds: counts per format, cited years, most cited references.
    #[command(
        after_help = "Examples:\n  clinsearch stats\n  clinsearch stats --index ~/.cache/clinsearch --json | jq .cited_years"
    )]
    Stats {
        /// Index directory [default: index, built from corpus/ when missing]
        #[arg(long, value_name = "DIR")]
        index: Option<PathBuf>,
        /// Print the statistics as JSON
        #[arg(long)]
        json: bool,
        /// How many of the most cited references to show
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
    },
    /// Serve a search page and a JSON API on this machine.
    #[command(
        after_help = "Examples:\n  clinsearch serve\n  clinsearch serve --addr 127.0.0.1:8080 --open\n\nAPI: GET /api/search?q=NMDA&year=2015..2019&section=&author=&kind=passage&limit=10&offset=0\nreturns {total, offset, hits, facets: {years}, timings}; bad parameters get HTTP 400 with\n{\"error\": ...}. GET /api/stats returns what `clinsearch stats --json` prints. The index\nis re-read after each `clinsearch index` run, without a restart. Stop with Ctrl-C."
    )]
    Serve {
        /// Address to listen on (loopback by default: the page is for this machine)
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// Index directory [default: index, built from corpus/ when missing]
        #[arg(long, value_name = "DIR")]
        index: Option<PathBuf>,
        /// Open the page in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  clinsearch completions bash > ~/.local/share/bash-completion/completions/clinsearch\n  clinsearch completions zsh > ~/.zfunc/_clinsearch\n  clinsearch completions fish > ~/.config/fish/completions/clinsearch.fish"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Parse reference strings, or score the reference parser on labelled data.
    Refs {
        #[command(subcommand)]
        command: RefsCommand,
    },
}

#[derive(Subcommand)]
enum RefsCommand {
    /// Parse reference strings, one per line, and print each as a JSON object.
    #[command(
        after_help = "Examples:\n  echo 'Duman, R. S., & Krystal, J. H. (2016). Title. Nature Medicine, 22(3), 238-249.' | clinsearch refs parse\n  clinsearch refs parse bibliography.txt\n\nEach output line has: authors (surname, initials), year (\"2019a\" with a suffix), title,\nvenue, volume, issue, pages, doi, pmid and number (a leading \"12.\" or \"[12]\"); fields\nnot recognised are null. \"editors\" appears when the entry names editors (\"(Eds.)\", \"In K.\nJones (Ed.), ...\"); \"ditto\": true when its authors are a ditto mark (\"———.\"), which takes\nthe authors of the line before. Blank lines are skipped; a line that is not UTF-8 is read\nwith U+FFFD in place of its invalid bytes, and a warning names it."
    )]
    Parse {
        /// File of reference strings, one per line [default: standard input]
        file: Option<PathBuf>,
    },
    /// Score the parser against labelled references (AnyStyle XML).
    #[command(
        after_help = "Examples:\n  clinsearch refs eval ../shared/data/references/anystyle-core.xml\n  clinsearch refs eval labelled.xml --errors 20\n  clinsearch refs eval labelled.xml --json\n  clinsearch refs eval labelled.xml --folds 5 --train-share 0.5\n\nA field is correct when it equals the label after trimming outer punctuation and\nwhitespace (and \"Vol.\"/\"pp.\" prefixes); authors are compared as the list of surnames.\nA wrong value counts against both precision and recall."
    )]
    Eval {
        /// AnyStyle XML file: <sequence> elements of labelled parts
        file: PathBuf,
        /// Print the scores as JSON
        #[arg(long)]
        json: bool,
        /// Show this many mismatches
        #[arg(long, value_name = "N", default_value_t = 0)]
        errors: usize,
        /// Cross-validate: train K taggers, each scored on the fold it did not see (K ≥ 2)
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..))]
        folds: Option<u32>,
        /// With --folds: train each tagger on this share of the other folds (0 < F ≤ 1), to see
        /// how accuracy grows with the amount of labelled data
        #[arg(long, value_name = "F", requires = "folds", default_value_t = 1.0, value_parser = parse_share)]
        train_share: f64,
        /// Score the pattern-only parser instead of the tagger
        #[arg(long, conflicts_with = "folds")]
        rules: bool,
    },
    /// Measure on JATS articles: references rendered in eleven citation styles (APA, Vancouver,
    /// AMA, Harvard, Chicago author-date, IEEE, Nature, Cell, Science, Elsevier, PNAS) and parsed
    /// back, and in-text citations found in plain text against the articles' xref markup.
    #[command(
        after_help = "Examples:\n  clinsearch refs jats ../shared/data/articles/jats\n  clinsearch refs jats ../shared/data/articles/jats --json"
    )]
    Jats {
        /// Folder of JATS articles
        dir: PathBuf,
        /// Print the scores as JSON
        #[arg(long)]
        json: bool,
        /// Show this many round-trip mismatches
        #[arg(long, value_name = "N", default_value_t = 0)]
        errors: usize,
        /// Score the pattern-only parser instead of the tagger
        #[arg(long)]
        rules: bool,
    },
    /// Train the reference tagger on labelled references (AnyStyle XML).
    #[command(
        after_help = "Examples:\n  clinsearch refs train ../shared/data/references/anystyle-core.xml --out src/reference/tagger.bin\n\nThe model is built into the binary from src/reference/tagger.bin: rebuild after training."
    )]
    Train {
        /// AnyStyle XML file
        file: PathBuf,
        /// Where to write the model
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Passes over the data in each of the training runs whose weights are averaged
        #[arg(long, default_value_t = EPOCHS)]
        epochs: usize,
    },
}

/// Training passes of the reference tagger.
const EPOCHS: usize = 10;

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    // A panic is a bug: say so in one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let message = clinsearch::error::panic_message(info.payload());
        let place = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        eprintln!("clinsearch: internal error{place}: {message} (a bug: please report it)");
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        // Already reported by the panic hook.
        Err(e) if matches!(e.downcast_ref(), Some(clinsearch::Error::Internal(_))) => {
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("clinsearch: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Refs { command } => refs(command),
        Command::Stats { index, json, top } => {
            let dir = index_or_default(index)?;
            let searcher = Searcher::open(&dir)?;
            let stats = clinsearch::stats::stats(&searcher, top)?;
            let mut out = io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &stats)?;
                writeln!(out)?;
            } else {
                write_stats(&mut out, &stats, &dir.display().to_string())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, index, open } => serve(&addr, index, open),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "clinsearch", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Index {
            paths,
            index,
            rebuild,
            threads,
            memory_mb,
            max_file_size,
            commit_every,
            strict,
            quiet,
            verbose,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(DEFAULT_CORPUS)]
            } else {
                paths
            };
            let defaults = IndexOptions::default();
            let options = IndexOptions {
                rebuild,
                threads: threads.unwrap_or(defaults.threads),
                memory: memory_mb << 20,
                max_file_size: max_file_size << 20,
                commit_every: (commit_every.max(0.0) * 1048576.0) as u64,
            };
            let detail = if quiet {
                Detail::Quiet
            } else if verbose {
                Detail::Verbose
            } else {
                Detail::Normal
            };
            let summary = index_paths(&paths, &index, options, detail, &mut io::stdout().lock())?;
            if strict && !summary.skipped.is_empty() {
                eprintln!(
                    "clinsearch: {} skipped (--strict); the rest is indexed",
                    plural(summary.skipped.len(), "file or line", "files or lines")
                );
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            collections,
            index,
            json,
            no_expand,
            expand: _,
            plain,
        } => {
            let mut ranking = if plain {
                Ranking::plain()
            } else {
                Ranking::default()
            };
            ranking.expand &= !no_expand;
            if index.is_some() && collections.len() > 1 {
                anyhow::bail!("--index takes one collection; give the collections one at a time");
            }
            let mut out = io::stdout().lock();
            if !json {
                writeln!(
                    out,
                    "{:<12} {:>9} {:>8} {:>10} {:>8} {:>8} {:>10}",
                    "collection", "documents", "queries", "nDCG@10", "R@100", "MAP", "P@10"
                )?;
            }
            for dir in &collections {
                let index_dir = index.clone().unwrap_or_else(|| default_eval_index(dir));
                let e = evaluate_collection(dir, &index_dir, ranking)?;
                if json {
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
        Command::Search {
            queries: Some(queries),
            run: Some(run),
            limit,
            index,
            no_expand,
            ..
        } => {
            let dir = index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
            let searcher = Searcher::open(&dir)?;
            let list = read_queries(&queries)?;
            let (ranked, scores) = run_queries(
                &searcher,
                &list,
                limit,
                Ranking {
                    expand: !no_expand,
                    ..Ranking::default()
                },
            )?;
            let file = std::fs::File::create(&run).with_context(|| run.display().to_string())?;
            let mut writer = io::BufWriter::new(file);
            write_trec(&mut writer, &list, &ranked, &scores)
                .with_context(|| run.display().to_string())?;
            writer.flush().with_context(|| run.display().to_string())?;
            eprintln!("{} queries, run written to {}", list.len(), run.display());
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
            ..
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
                natural: false,
                snippets: true,
            };
            let dir = index_or_default(index)?;
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

fn refs(command: RefsCommand) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match command {
        RefsCommand::Parse { file } => {
            let (bytes, source) = match &file {
                Some(path) => (
                    std::fs::read(path).with_context(|| path.display().to_string())?,
                    path.display().to_string(),
                ),
                None => {
                    let mut bytes = Vec::new();
                    io::stdin()
                        .read_to_end(&mut bytes)
                        .context("standard input")?;
                    (bytes, "standard input".to_string())
                }
            };
            // One list: a ditto mark ("———.") takes the authors of the line before.
            let mut previous = Reference::default();
            for (number, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line));
                if line.trim().is_empty() {
                    continue;
                }
                if let Cow::Owned(_) = line {
                    eprintln!(
                        "clinsearch: warning: {source}: line {}: not valid UTF-8; read with U+FFFD for the bytes that are not",
                        number + 1
                    );
                }
                let mut r = parse_reference(&line);
                inherit_ditto(&mut r, &previous);
                serde_json::to_writer(&mut out, &ParsedView::from(&r))?;
                writeln!(out)?;
                previous = r;
            }
        }
        RefsCommand::Eval {
            file,
            json,
            errors,
            folds,
            train_share,
            rules,
        } => {
            let data = read_labelled(&file)?;
            let report = match (folds, rules) {
                (Some(k), _) => cross_validate(&data, k as usize, EPOCHS, train_share),
                (None, true) => evaluate_with(&data, parse_with_rules),
                (None, false) => evaluate(&data),
            };
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                write_report(&mut out, &report)?;
                let seen = builtin_tagger().map_or(0, |t| {
                    data.iter().filter(|l| t.was_trained_on(&l.input)).count()
                });
                if folds.is_none() && !rules && seen > 0 {
                    writeln!(
                        out,
                        "note: {seen} of {} references were in the built-in tagger's training data, so these\n      scores overstate accuracy on new references; --folds 5 gives held-out scores",
                        data.len()
                    )?;
                }
            }
            write_mismatches(&mut out, &report, errors)?;
        }
        RefsCommand::Jats {
            dir,
            json,
            errors,
            rules,
        } => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .with_context(|| dir.display().to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "nxml")))
                .collect();
            files.sort();
            // An article that cannot be read is named and left out; the others are measured.
            let (mut references, mut articles, mut read) = (Vec::new(), Vec::new(), 0);
            for file in &files {
                let parsed = std::fs::read_to_string(file)
                    .map_err(|e| e.to_string())
                    .and_then(|source| {
                        let labelled = labelled_references(&source)?;
                        let parsed = parse_bytes(source.as_bytes(), file, "article")
                            .map_err(|e| e.to_string())?;
                        Ok((labelled, parsed.articles))
                    });
                match parsed {
                    Ok((labelled, parsed)) => {
                        references.extend(labelled);
                        articles.extend(parsed);
                        read += 1;
                    }
                    Err(e) => eprintln!("clinsearch: warning: {}: {e}; left out", file.display()),
                }
            }
            if read == 0 {
                anyhow::bail!(
                    "{}: no JATS article to measure on (.xml or .nxml files)",
                    dir.display()
                );
            }
            let mut reports = Vec::new();
            for style in RenderStyle::ALL {
                let data: Vec<Labelled> =
                    references.iter().map(|r| labelled_from(r, style)).collect();
                reports.push((
                    style,
                    if rules {
                        evaluate_with(&data, parse_with_rules)
                    } else {
                        evaluate(&data)
                    },
                ));
            }
            let citations = citation_accuracy(&articles);
            if json {
                let mut value = serde_json::json!({
                    "articles": read,
                    "citations": citations,
                });
                for (style, report) in &reports {
                    value[format!("{style:?}").to_lowercase()] = serde_json::to_value(report)?;
                }
                serde_json::to_writer_pretty(&mut out, &value)?;
                writeln!(out)?;
            } else {
                for (style, report) in &reports {
                    writeln!(out, "JATS element-citations of {read} articles rendered as {style:?} and parsed back:")?;
                    write_report(&mut out, report)?;
                    writeln!(out)?;
                }
                writeln!(
                    out,
                    "In-text citations found in plain text, against the xrefs of {read} articles:"
                )?;
                write_detection(&mut out, &citations)?;
            }
            for (_, report) in &reports {
                write_mismatches(&mut out, report, errors)?;
            }
        }
        RefsCommand::Train {
            file,
            out: path,
            epochs,
        } => {
            let data = read_labelled(&file)?;
            let model = Tagger::train(&training_examples(&data), epochs);
            std::fs::write(&path, model.to_bytes()).with_context(|| path.display().to_string())?;
            writeln!(
                out,
                "trained on {} references ({epochs} passes) into {}",
                data.len(),
                path.display()
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A share of the training data, 0 < F ≤ 1, for `--train-share`.
fn parse_share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f <= 1.0 => Ok(f),
        _ => Err(format!(
            "{text:?} is not a share above 0 and at most 1 (0.5 is half)"
        )),
    }
}

fn read_labelled(file: &Path) -> anyhow::Result<Vec<Labelled>> {
    let xml = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let data = read_anystyle(&xml).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if data.is_empty() {
        anyhow::bail!(
            "{}: no labelled references (AnyStyle <sequence> elements)",
            file.display()
        );
    }
    Ok(data)
}

/// `clinsearch serve`: bind, say where, serve until Ctrl-C.
fn serve(addr: &str, index: Option<PathBuf>, open: bool) -> anyhow::Result<ExitCode> {
    let dir = index_or_default(index)?;
    let searcher = Searcher::open(&dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let url = format!("http://{}/", listener.local_addr()?);
        eprintln!(
            "clinsearch: serving {} at {url} (Ctrl-C stops)",
            dir.display()
        );
        if open {
            if let Err(e) = std::process::Command::new("xdg-open").arg(&url).spawn() {
                eprintln!("clinsearch: cannot open a browser ({e}); open {url} yourself");
            }
        }
        clinsearch::serve::serve(listener, clinsearch::serve::router(searcher)).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// How much `index` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
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

fn index_paths(
    paths: &[PathBuf],
    index: &Path,
    options: IndexOptions,
    detail: Detail,
    mut out: &mut dyn Write,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let bar = if detail != Detail::Quiet && io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} files [{bar:30}] {per_sec}, {eta} left",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        Some(bar)
    } else {
        None
    };
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

/// Index the bundled corpus into `dir`, saying so on stderr (the first `search` or `serve`).
fn build_default_index(dir: &Path) -> anyhow::Result<()> {
    eprintln!(
        "clinsearch: no index in {}/ yet; building it from {DEFAULT_CORPUS}/",
        dir.display()
    );
    let corpus = [PathBuf::from(DEFAULT_CORPUS)];
    let options = IndexOptions::default();
    index_paths(
        &corpus,
        dir,
        options,
        Detail::Normal,
        &mut io::stderr().lock(),
    )?;
    eprintln!();
    Ok(())
}

/// The index a command reads: `--index DIR`, or `index/`, built from `corpus/` when missing.
fn index_or_default(index: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match index {
        Some(dir) => Ok(dir),
        None => {
            let dir = PathBuf::from(DEFAULT_INDEX);
            if !index_exists(&dir) {
                build_default_index(&dir)?;
            }
            Ok(dir)
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
