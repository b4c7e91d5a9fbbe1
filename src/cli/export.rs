//! `clinsearch export`: an index written out for another search engine (Quickwit).

use std::path::PathBuf;
use std::process::ExitCode;

use clinsearch::export;
use clinsearch::index::schema::text_analyzer;
use clinsearch::search::Searcher;

/// Write an index out for Quickwit: its index config and the documents as NDJSON, with text
/// pre-analysed by clinsearch's analysis (see docs/scale.md).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch export --quickwit qw/ --index index/\n  quickwit index create --index-config qw/index-config.json\n  quickwit index ingest --index clinsearch --input-path qw/documents-00000.ndjson\n  clinsearch export --analyze 'treatment-resistant depression'"
)]
pub struct Args {
    /// Folder to write the Quickwit index config and NDJSON documents to
    #[arg(long, value_name = "DIR", required_unless_present = "analyze")]
    quickwit: Option<PathBuf>,
    /// Print TEXT as clinsearch's analysis makes it (the terms to search an export for) and
    /// stop
    #[arg(long, value_name = "TEXT", conflicts_with = "quickwit")]
    analyze: Option<String>,
    /// Index directory [default: index, built from corpus/ when missing]; give it more than
    /// once to export several indexes as one
    #[arg(long, value_name = "DIR")]
    index: Vec<PathBuf>,
    /// The Quickwit index id written into the config
    #[arg(long, value_name = "NAME", default_value = "clinsearch")]
    index_id: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(out) = args.quickwit else {
        let text = args.analyze.unwrap_or_default();
        println!("{}", export::analysed(&mut text_analyzer(), &[&text]));
        return Ok(ExitCode::SUCCESS);
    };
    let dirs = super::indexes_or_default(args.index)?;
    let searcher = Searcher::open_all(&dirs)?;
    let done = export::quickwit(searcher.index(), &out, &args.index_id)?;
    println!(
        "exported {} documents of {} to {}: {} and {} NDJSON file(s)",
        done.documents,
        super::shown(&dirs),
        out.display(),
        done.config.display(),
        done.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
