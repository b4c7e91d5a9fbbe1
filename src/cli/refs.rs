//! `clinsearch refs`: parse reference strings; score the reference parser on labelled data.
//! Training the tagger and the JATS round trip are developer tools: `refs-lab` (src/bin/refs-lab/).

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use clinsearch::eval::references::{
    cross_validate, evaluate, evaluate_with, read_anystyle, Labelled,
};
use clinsearch::model::Reference;
use clinsearch::output::{write_mismatches, write_report, ParsedView};
use clinsearch::reference::rules::parse_reference as parse_with_rules;
use clinsearch::reference::{builtin_tagger, inherit_ditto, parse_reference};

/// Training passes of each tagger that `--folds` trains (as `refs-lab train`).
const EPOCHS: usize = 10;

#[derive(Subcommand)]
pub enum Command {
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
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match command {
        Command::Parse { file } => {
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
        Command::Eval {
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
