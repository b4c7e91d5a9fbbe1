//! Printing hits and index summaries: readable text for terminals, JSON Lines for programs.

use std::io::{self, Write};
use std::ops::Range;
use std::time::Duration;

use serde::Serialize;

use crate::eval::references::Report;
use crate::index::{Counts, Summary};
use crate::model::{Person, Reference};
use crate::search::stats::Stats;
use crate::search::Hit;

/// How hits are highlighted in text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours: for terminals.
    Color,
    /// No colour; matched terms wrapped in `**`.
    Plain,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
            Style::Plain => text.to_string(),
        }
    }

    fn mark(self, text: &str) -> String {
        match self {
            Style::Color => self.paint("1;31", text),
            Style::Plain => format!("**{text}**"),
        }
    }
}

/// Write hits as text: rank, score, title and file, section, year of publication, cited years
/// and works, snippet.
pub fn write_hits(out: &mut impl Write, hits: &[Hit], style: Style) -> io::Result<()> {
    for hit in hits {
        let score = hit.score.map(|s| format!(" {:.2}", s)).unwrap_or_default();
        writeln!(
            out,
            "{}{}  {}  {}",
            style.paint("1;32", &format!("{:>2}.", hit.rank)),
            style.paint("2", &score),
            painted(style, "1", &hit.title, &hit.title_highlights),
            style.paint("35", &format!("({})", hit.article)),
        )?;
        let years = hit
            .years
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if hit.kind == crate::index::schema::KIND_REFERENCE {
            let year = if years.is_empty() {
                "unknown".to_string()
            } else {
                years
            };
            writeln!(out, "    reference · year {year}")?;
        } else {
            let years = if years.is_empty() {
                "none".to_string()
            } else {
                years
            };
            let meaning = if hit.signals.is_some_and(|s| s.by_meaning()) {
                " · found by meaning"
            } else {
                ""
            };
            let published = hit
                .published
                .map(|y| format!(" · published {y}"))
                .unwrap_or_default();
            let page = hit.page.map(|p| format!(" · page {p}")).unwrap_or_default();
            writeln!(
                out,
                "    section: {}{page}{published} · cited years: {years}{meaning}",
                painted(style, "36", &hit.section, &hit.section_highlights)
            )?;
            if !hit.cites.is_empty() {
                let labels: Vec<&str> = hit.cites.iter().map(|c| c.label.as_str()).collect();
                writeln!(out, "    cites: {}", labels.join("; "))?;
            }
        }
        writeln!(
            out,
            "    {}",
            highlight(&hit.snippet, &hit.highlights, style)
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// Write hits as JSON Lines, one object per hit.
pub fn write_json(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `snippet` with the byte ranges in `highlights` marked.
pub fn highlight(snippet: &str, highlights: &[Range<usize>], style: Style) -> String {
    marked(snippet, highlights, style, |part| part.to_string())
}

/// `text` painted in `code`, with the byte ranges in `marks` marked; in colour only, so that
/// plain output keeps titles and headings as they are.
fn painted(style: Style, code: &str, text: &str, marks: &[Range<usize>]) -> String {
    if matches!(style, Style::Plain) || marks.is_empty() {
        return style.paint(code, text);
    }
    marked(text, marks, style, |part| style.paint(code, part))
}

/// `text` with the byte ranges in `marks` marked, and the non-empty parts between them as
/// `unmarked` writes them.
fn marked(
    text: &str,
    marks: &[Range<usize>],
    style: Style,
    unmarked: impl Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let push = |part: &str, out: &mut String| {
        if !part.is_empty() {
            out.push_str(&unmarked(part));
        }
    };
    let mut at = 0;
    for range in marks {
        if range.start < at || range.end > text.len() {
            continue;
        }
        push(&text[at..range.start], &mut out);
        out.push_str(&style.mark(&text[range.clone()]));
        at = range.end;
    }
    push(&text[at..], &mut out);
    out
}

/// Write the index summary: counts per format and in all of what the run read, then the skipped
/// files with reasons.
pub fn write_summary(
    out: &mut impl Write,
    summary: &Summary,
    index_dir: &str,
    elapsed: Duration,
) -> io::Result<()> {
    writeln!(
        out,
        "indexed {} file{} into {index_dir} in {:.2} s: {} added, {} updated, {} removed, {} unchanged, {} skipped",
        summary.files,
        plural(summary.files),
        elapsed.as_secs_f64(),
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.skipped.len(),
    )?;
    // The table counts what this run read: none when every file was unchanged.
    if !summary.formats.is_empty() {
        write_counts(
            out,
            summary.formats.iter().map(|(f, c)| (*f, c)),
            &summary.total(),
        )?;
    }
    if summary.commits > 1 {
        writeln!(
            out,
            "  ({} commits, one per --commit-every of input)",
            summary.commits
        )?;
    }
    if !summary.merged.is_empty() {
        let n: usize = summary.merged.values().sum();
        let formats: Vec<String> = summary
            .merged_formats
            .iter()
            .map(|(format, n)| format!("{format} {n}"))
            .collect();
        let files: Vec<String> = summary
            .merged
            .iter()
            .map(|(path, n)| format!("{} from {}", n, path.display()))
            .collect();
        writeln!(
            out,
            "  ({n} duplicate record{} merged into the articles above, same DOI, PMID, or title \
             and year: {}; {})",
            plural(n),
            formats.join(", "),
            files.join(", ")
        )?;
    }
    if summary.deleted > 0 {
        writeln!(
            out,
            "  ({} PMID{} deleted by PubMed update files, DeleteCitation)",
            summary.deleted,
            plural(summary.deleted)
        )?;
    }
    if summary.rebuilt {
        writeln!(
            out,
            "  (the index was written by another version of clinsearch: every file was read again)"
        )?;
    }
    if summary.ignored > 0 {
        writeln!(
            out,
            "  ({} README/LICENSE file{} not indexed)",
            summary.ignored,
            plural(summary.ignored)
        )?;
    }
    for (what, files) in [
        ("skipped", &summary.skipped),
        ("duplicate", &summary.duplicates),
        ("note", &summary.notes),
    ] {
        for file in files {
            writeln!(out, "{what} {}: {}", file.path.display(), file.reason)?;
        }
    }
    Ok(())
}

/// The English plural ending for `n` of something: "" for one, "s" otherwise.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The counts table: one row per format, then all.
fn write_counts<'a>(
    out: &mut impl Write,
    formats: impl Iterator<Item = (&'a str, &'a Counts)>,
    total: &Counts,
) -> io::Result<()> {
    writeln!(
        out,
        "  {:<10} {:>9} {:>9} {:>10} {:>9} {:>9} {:>10}",
        "format", "articles", "passages", "references", "citations", "resolved", "unresolved"
    )?;
    let mut row = |name: &str, c: &Counts| {
        writeln!(
            out,
            "  {:<10} {:>9} {:>9} {:>10} {:>9} {:>9} {:>10}",
            name,
            c.articles,
            c.passages,
            c.references,
            c.citations,
            c.resolved,
            c.citations - c.resolved
        )
    };
    for (name, counts) in formats {
        row(name, counts)?;
    }
    row("all", total)
}

/// Empty years in a row shown as one line of a year histogram.
const MIN_EMPTY_RUN: usize = 3;

/// `clinsearch stats` as text: counts, the cited-year and publication-year histograms as bars (a
/// run of empty years as one line), the most cited.
pub fn write_stats(out: &mut impl Write, stats: &Stats, index_dir: &str) -> io::Result<()> {
    writeln!(out, "index: {index_dir}")?;
    write_counts(
        out,
        stats.formats.iter().map(|(f, c)| (f.as_str(), c)),
        &stats.total,
    )?;
    match stats.vectors {
        0 => writeln!(
            out,
            "vectors: none (ranked by words; `clinsearch index --semantic` adds them)"
        )?,
        n => writeln!(
            out,
            "vectors: {n} of {} passages (hybrid ranking when the model is present)",
            stats.total.passages
        )?,
    }
    let histograms = [
        (
            "cited years (passages citing work from each year)",
            stats
                .cited_years
                .iter()
                .map(|y| (y.year, y.passages))
                .collect(),
            "no passage cites a dated work",
        ),
        (
            "published years (articles published in each year)",
            stats
                .published_years
                .iter()
                .map(|y| (y.year, y.articles))
                .collect::<Vec<_>>(),
            "no article has a year of publication",
        ),
    ];
    for (title, years, none) in histograms {
        writeln!(out)?;
        writeln!(out, "{title}")?;
        write_years(out, &years, none)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "most cited references (passages of their article citing them)"
    )?;
    for m in &stats.most_cited {
        writeln!(out, "  {:>4}  {}  [{}]", m.passages, m.entry, m.article)?;
    }
    if stats.most_cited.is_empty() {
        writeln!(out, "  (no citation resolved to a reference)")?;
    }
    Ok(())
}

/// A histogram of (year, count), every year from the first to the last, as bars; a run of
/// [`MIN_EMPTY_RUN`] empty years or more as one line; `none` when there is no year.
fn write_years(out: &mut impl Write, years: &[(u16, u64)], none: &str) -> io::Result<()> {
    const WIDTH: u64 = 40;
    let max = years.iter().map(|y| y.1).max().unwrap_or(0);
    let mut i = 0;
    while i < years.len() {
        // A run of empty years is one line, not a column of empty bars.
        let empty = years[i..].iter().take_while(|y| y.1 == 0).count();
        if empty >= MIN_EMPTY_RUN {
            let last = years[i + empty - 1].0;
            writeln!(out, "  {}–{last} (none)", years[i].0)?;
            i += empty;
            continue;
        }
        let (year, n) = years[i];
        let bar = if max == 0 {
            0
        } else {
            (n * WIDTH).div_ceil(max)
        };
        writeln!(
            out,
            "  {year} {:<width$} {n}",
            "█".repeat(bar as usize),
            width = WIDTH as usize
        )?;
        i += 1;
    }
    if years.is_empty() {
        writeln!(out, "  ({none})")?;
    }
    Ok(())
}

/// A parsed reference as `refs parse` prints it.
#[derive(Debug, Serialize)]
pub struct ParsedView<'a> {
    /// Authors in order.
    pub authors: &'a [Person],
    /// Editors named in the place of authors.
    #[serde(skip_serializing_if = "<[Person]>::is_empty")]
    pub editors: &'a [Person],
    /// Whether the authors were a ditto mark ("———."), taken from the entry before.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ditto: bool,
    /// Whether the list ends in "et al.".
    pub et_al: bool,
    /// Year with its suffix letter: "2019a".
    pub year: Option<String>,
    /// Title.
    pub title: Option<&'a str>,
    /// Journal or container.
    pub venue: Option<&'a str>,
    /// Volume.
    pub volume: Option<&'a str>,
    /// Issue.
    pub issue: Option<&'a str>,
    /// Pages.
    pub pages: Option<&'a str>,
    /// DOI.
    pub doi: Option<&'a str>,
    /// PubMed id.
    pub pmid: Option<&'a str>,
    /// The entry's number in a numbered list.
    pub number: Option<u32>,
}

impl<'a> From<&'a Reference> for ParsedView<'a> {
    fn from(r: &'a Reference) -> Self {
        ParsedView {
            authors: &r.authors,
            editors: &r.editors,
            ditto: r.ditto,
            et_al: r.et_al,
            year: r
                .year
                .map(|y| format!("{y}{}", r.year_suffix.map(String::from).unwrap_or_default())),
            title: r.title.as_deref(),
            venue: r.venue.as_deref(),
            volume: r.volume.as_deref(),
            issue: r.issue.as_deref(),
            pages: r.pages.as_deref(),
            doi: r.doi.as_deref(),
            pmid: r.pmid.as_deref(),
            number: r.number,
        }
    }
}

/// Write a parser evaluation as a table: precision, recall and F1 per field, then micro-F1.
pub fn write_report(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(
        out,
        "{} labelled references, parsed at {:.0} per second",
        report.references, report.per_second
    )?;
    writeln!(
        out,
        "  {:<13} {:>9} {:>9} {:>7} {:>6} {:>6} {:>6}",
        "field", "precision", "recall", "F1", "tp", "fp", "fn"
    )?;
    let row = |out: &mut dyn Write, name: &str, s: &crate::eval::references::FieldScore| {
        writeln!(
            out,
            "  {:<13} {:>9.3} {:>9.3} {:>7.3} {:>6} {:>6} {:>6}",
            name,
            s.precision(),
            s.recall(),
            s.f1(),
            s.tp,
            s.fp,
            s.fn_
        )
    };
    for (name, s) in &report.fields {
        row(out, name, s)?;
    }
    row(out, "micro (all)", &report.micro)
}

/// Write the first `n` mismatches of a parser evaluation, for study.
pub fn write_mismatches(out: &mut impl Write, report: &Report, n: usize) -> io::Result<()> {
    for m in report.mismatches.iter().take(n) {
        writeln!(
            out,
            "\n{}: predicted {:?}, labelled {:?}\n  {}",
            m.field, m.predicted, m.gold, m.input
        )?;
    }
    Ok(())
}

/// Write citation detection and resolution scores.
pub fn write_detection(
    out: &mut impl Write,
    acc: &crate::eval::references::CitationAccuracy,
) -> io::Result<()> {
    writeln!(
        out,
        "  {:<12} {:>9} {:>9} {:>14} {:>14}",
        "", "precision", "recall", "found (right)", "gold (found)"
    )?;
    for (name, d) in [
        ("mentions", &acc.mentions),
        ("resolutions", &acc.resolutions),
    ] {
        writeln!(
            out,
            "  {:<12} {:>9.3} {:>9.3} {:>14} {:>14}",
            name,
            d.precision(),
            d.recall(),
            format!("{} ({})", d.found, d.found_right),
            format!("{} ({})", d.gold, d.gold_found)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_empty_years_are_one_line() {
        use crate::search::stats::{ArticleYearCount, YearCount};
        let counts = [
            (1881, 1),
            (1882, 0),
            (1883, 0),
            (1884, 0),
            (1885, 2),
            (1886, 0),
        ];
        let stats = Stats {
            formats: Default::default(),
            total: Default::default(),
            cited_years: counts
                .iter()
                .map(|&(year, passages)| YearCount { year, passages })
                .collect(),
            published_years: [(2019, 4), (2020, 0), (2021, 2)]
                .iter()
                .map(|&(year, articles)| ArticleYearCount { year, articles })
                .collect(),
            most_cited: Vec::new(),
            vectors: 0,
        };
        let mut out = Vec::new();
        write_stats(&mut out, &stats, "idx").unwrap();
        let text = String::from_utf8(out).unwrap();
        // The first word of each line of the histogram under `title`.
        let bars = |title: &str| -> Vec<&str> {
            text.lines()
                .skip_while(|l| !l.starts_with(title))
                .skip(1)
                .take_while(|l| !l.is_empty())
                .map(|l| l.trim().split(' ').next().unwrap())
                .collect()
        };
        assert_eq!(
            bars("cited years"),
            ["1881", "1882–1884", "1885", "1886"],
            "{text}"
        );
        assert!(text.contains("1882–1884 (none)"), "{text}");
        // An empty year between two others is a bar of its own.
        assert_eq!(bars("published years"), ["2019", "2020", "2021"], "{text}");
    }

    #[test]
    fn hits_found_by_meaning_alone_say_so() {
        use crate::search::Signals;
        let mut hit: Hit = serde_json::from_value(serde_json::json!({
            "rank": 1, "score": 0.5, "id": "a#p0", "kind": "passage", "article": "a",
            "path": "a.md", "title": "A", "section": "Results", "years": [], "cites": [],
            "reference": null, "text": "t", "snippet": "t", "highlights": []
        }))
        .unwrap();
        let line = |hit: &Hit| {
            let mut out = Vec::new();
            write_hits(&mut out, std::slice::from_ref(hit), Style::Plain).unwrap();
            String::from_utf8(out)
                .unwrap()
                .lines()
                .nth(1)
                .unwrap()
                .to_string()
        };
        assert_eq!(line(&hit), "    section: Results · cited years: none");
        hit.published = Some(2016);
        assert_eq!(
            line(&hit),
            "    section: Results · published 2016 · cited years: none"
        );
        hit.signals = Some(Signals {
            lexical: None,
            dense: Some(1),
            cosine: Some(0.4),
        });
        assert!(
            line(&hit).ends_with(" · found by meaning"),
            "{}",
            line(&hit)
        );
        hit.signals = Some(Signals {
            lexical: Some(3),
            dense: Some(1),
            cosine: Some(0.4),
        });
        assert!(!line(&hit).contains("meaning"));
    }

    #[test]
    fn titles_are_marked_in_colour_only() {
        let marks = [Range { start: 4, end: 8 }];
        assert_eq!(
            painted(Style::Color, "1", "For NMDA", &marks),
            "\x1b[1mFor \x1b[0m\x1b[1;31mNMDA\x1b[0m"
        );
        assert_eq!(painted(Style::Plain, "1", "For NMDA", &marks), "For NMDA");
    }

    #[test]
    fn highlight_marks_ranges() {
        assert_eq!(
            highlight(
                "on NMDA receptors",
                &[Range { start: 3, end: 7 }],
                Style::Plain
            ),
            "on **NMDA** receptors"
        );
        assert_eq!(
            highlight("abc", &[Range { start: 1, end: 2 }], Style::Color),
            "a\x1b[1;31mb\x1b[0mc"
        );
        assert_eq!(
            highlight("abc", &[Range { start: 2, end: 9 }], Style::Plain),
            "abc"
        );
    }
}
