//! The subcommands of `clinsearch`, one file each: arguments (clap derive) and what runs them.

mod completions;
mod embed;
mod eval;
mod eval_pdf;
mod export;
mod index;
mod refs;
mod remote;
mod search;
mod serve;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clinsearch::index::index_exists;

/// The bundled corpus, indexed when no path is given.
const DEFAULT_CORPUS: &str = "corpus";
/// The default index directory.
const DEFAULT_INDEX: &str = "index";

/// The command line.
#[derive(Parser)]
#[command(
    name = "clinsearch",
    version,
    about = "Full-text search over clinical articles: passages, sections, references and cited years."
)]
#[command(
    after_help = "Examples:\n  clinsearch index                      index corpus/ into index/\n  clinsearch search NMDA                best passages about NMDA\n  clinsearch search ketamine --year 2015..2019\n  clinsearch search --kind reference --author Mathew"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Index(index::Args),
    Search(search::Args),
    Eval(eval::Args),
    EvalPdf(eval_pdf::Args),
    Stats(stats::Args),
    Export(export::Args),
    Serve(serve::Args),
    Completions(completions::Args),
    /// Parse reference strings, or score the reference parser on labelled data.
    Refs {
        #[command(subcommand)]
        command: refs::Command,
    },
}

/// Run the command; the exit code on success (a search without hits is 1).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Eval(args) => eval::run(args),
        Command::EvalPdf(args) => eval_pdf::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Refs { command } => refs::run(command),
    }
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

/// The indexes a command reads: every `--index DIR`, or the default of [`index_or_default`].
fn indexes_or_default(indexes: Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    match indexes.is_empty() {
        true => Ok(vec![index_or_default(None)?]),
        false => Ok(indexes),
    }
}

/// The directories of `indexes` as one line ("a, b").
fn shown(indexes: &[PathBuf]) -> String {
    let names: Vec<String> = indexes.iter().map(|d| d.display().to_string()).collect();
    names.join(", ")
}

/// Index the bundled corpus into `dir`, saying so on stderr (the first `search` or `serve`).
fn build_default_index(dir: &Path) -> anyhow::Result<()> {
    if !Path::new(DEFAULT_CORPUS).is_dir() {
        anyhow::bail!(
            "no index in {}/ and no {DEFAULT_CORPUS}/ folder here to build it from: give \
             --index DIR, or build one with `clinsearch index FOLDER --index DIR`",
            dir.display()
        );
    }
    eprintln!(
        "clinsearch: no index in {}/ yet; building it from {DEFAULT_CORPUS}/",
        dir.display()
    );
    let corpus = [PathBuf::from(DEFAULT_CORPUS)];
    index::index_paths(
        &corpus,
        dir,
        Default::default(),
        index::Detail::Normal,
        &mut std::io::stderr().lock(),
    )?;
    eprintln!();
    Ok(())
}
