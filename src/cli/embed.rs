//! `index --semantic`: embedding the passages of an index, with a progress bar.

use std::io::{self, IsTerminal};
use std::path::Path;

use clinsearch::embed::{embed_index, load_model, EmbedProgress};

/// A progress bar with an ETA on stderr while passages are embedded (on a terminal), and a note
/// when all of them are embedded again (unless quiet).
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
}

impl EmbedProgress for Bar {
    fn replacing(&self) {
        let note = "clinsearch: note: the index's vectors were made by another model or version \
                    of clinsearch: embedding every passage again";
        match &self.bar {
            Some(bar) => bar.println(note),
            None if !self.quiet => eprintln!("{note}"),
            None => {}
        }
    }

    fn start(&self, passages: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(passages as u64);
        }
    }

    fn done(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }
}

/// Embed the passages of the index in `index` that have no current vector. A missing model is
/// reported (naming scripts/fetch-model) and leaves the lexical index as it is.
pub(super) fn embed_passages(
    index: &Path,
    model: Option<&Path>,
    quiet: bool,
) -> anyhow::Result<()> {
    let embedder = match load_model(model) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("clinsearch: {e}\nclinsearch: the index is complete for searching by words; run `clinsearch index --semantic` again once the model is there");
            return Ok(());
        }
    };
    let progress = Bar {
        bar: (!quiet && io::stderr().is_terminal()).then(|| {
            super::index::progress_bar(
                "{spinner} embedding {pos}/{len} passages [{bar:30}] {per_sec}, {eta} left",
            )
        }),
        quiet,
    };
    let report = embed_index(index, embedder.as_ref(), &progress);
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let report = report?;
    if !quiet {
        let per = if report.passages > 0 {
            report.bytes as f64 / report.passages as f64
        } else {
            0.0
        };
        let resumed = match report.resumed {
            0 => String::new(),
            n => format!(", {n} made by an interrupted run"),
        };
        let copies = match report.copies {
            0 => String::new(),
            n => format!(" ({n} the same as another)"),
        };
        println!(
            "vectors: {} passages, {}{copies} embedded in {:.1} s ({:.1} passages/s), {} kept{resumed}; {:.1} MiB ({per:.0} bytes/passage)",
            report.passages,
            report.embedded,
            report.seconds,
            report.per_second(),
            report.reused,
            report.bytes as f64 / 1048576.0
        );
    }
    Ok(())
}
