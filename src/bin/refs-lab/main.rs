//! `refs-lab`: developer tools for the reference parser, kept out of the product binary.
//!
//! - `refs-lab train` trains the reference tagger on labelled references (AnyStyle XML) and
//!   writes the model that `clinsearch` builds in (src/reference/tagger.bin).
//! - `refs-lab jats` measures on JATS articles: their structured references rendered in eleven
//!   citation styles ([`render`]) and parsed back, and the in-text citations found in plain text
//!   against the articles' xref markup.
//!
//! Run with `cargo run --release --bin refs-lab -- …`. Errors are one line on stderr and exit
//! code 2, as in `clinsearch`.

mod jats;
mod render;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use clinsearch::eval::references::{
    citation_accuracy, evaluate, evaluate_with, read_anystyle, Labelled,
};
use clinsearch::output::{write_detection, write_mismatches, write_report};
use clinsearch::parse::parse_bytes;
use clinsearch::reference::rules::parse_reference as parse_with_rules;

use render::{labelled_from, Style};

/// Training passes of the reference tagger.
const EPOCHS: usize = 10;

#[derive(Parser)]
#[command(version, about = "Developer tools for clinsearch's reference parser")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train the reference tagger on labelled references (AnyStyle XML).
    #[command(
        after_help = "Examples:\n  cargo run --release --bin refs-lab -- train ../shared/data/references/anystyle-core.xml --out src/reference/tagger.bin\n\nThe model is built into the clinsearch binary from src/reference/tagger.bin: rebuild after\ntraining."
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
    /// Measure on JATS articles: references rendered in eleven citation styles (APA, Vancouver,
    /// AMA, Harvard, Chicago author-date, IEEE, Nature, Cell, Science, Elsevier, PNAS) and parsed
    /// back, and in-text citations found in plain text against the articles' xref markup.
    #[command(
        after_help = "Examples:\n  cargo run --release --bin refs-lab -- jats ../shared/data/articles/jats\n  cargo run --release --bin refs-lab -- jats ../shared/data/articles/jats --json"
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
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            let rendered = e.render().to_string();
            let message = rendered.trim_start().trim_start_matches("error: ");
            eprintln!("refs-lab: error: {}", message.lines().next().unwrap_or(""));
            return ExitCode::from(2);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let done = match cli.command {
        Command::Train {
            file,
            out: path,
            epochs,
        } => train(&mut out, file, path, epochs),
        Command::Jats {
            dir,
            json,
            errors,
            rules,
        } => measure_jats(&mut out, dir, json, errors, rules),
    };
    match done.and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("refs-lab: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn train(out: &mut impl Write, file: PathBuf, path: PathBuf, epochs: usize) -> anyhow::Result<()> {
    let xml = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
    let data = read_anystyle(&xml).with_context(|| file.display().to_string())?;
    if data.is_empty() {
        anyhow::bail!(
            "{}: no labelled references (AnyStyle <sequence> elements)",
            file.display()
        );
    }
    let model = clinsearch::eval::references::train(&data, epochs);
    std::fs::write(&path, model.to_bytes()).with_context(|| path.display().to_string())?;
    writeln!(
        out,
        "trained on {} references ({epochs} passes) into {}",
        data.len(),
        path.display()
    )?;
    Ok(())
}

fn measure_jats(
    out: &mut impl Write,
    dir: PathBuf,
    json: bool,
    errors: usize,
    rules: bool,
) -> anyhow::Result<()> {
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
            .map_err(anyhow::Error::from)
            .and_then(|source| {
                let structured = jats::structured_references(&source)
                    .map_err(|e| anyhow::anyhow!("invalid XML: {e}"))?;
                let parsed = parse_bytes(source.as_bytes(), file, "article")?;
                Ok((structured, parsed.articles))
            });
        match parsed {
            Ok((structured, parsed)) => {
                references.extend(structured);
                articles.extend(parsed);
                read += 1;
            }
            Err(e) => eprintln!("refs-lab: warning: {}: {e}; left out", file.display()),
        }
    }
    if read == 0 {
        anyhow::bail!(
            "{}: no JATS article to measure on (.xml or .nxml files)",
            dir.display()
        );
    }
    let mut reports = Vec::new();
    for style in Style::ALL {
        let data: Vec<Labelled> = references.iter().map(|r| labelled_from(r, style)).collect();
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
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        for (style, report) in &reports {
            writeln!(
                out,
                "JATS element-citations of {read} articles rendered as {style:?} and parsed back:"
            )?;
            write_report(out, report)?;
            writeln!(out)?;
        }
        writeln!(
            out,
            "In-text citations found in plain text, against the xrefs of {read} articles:"
        )?;
        write_detection(out, &citations)?;
    }
    for (_, report) in &reports {
        write_mismatches(out, report, errors)?;
    }
    Ok(())
}
