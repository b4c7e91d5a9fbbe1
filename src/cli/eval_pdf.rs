//! `clinsearch eval-pdf`: the PDF reader scored against the publisher's XML, with `pdftotext`
//! beside it when it is installed.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use clinsearch::eval::pdf::{
    missed_text, passages_not_in_xml, read_truth, score_article, text_scores, ArticleScore, Truth,
};
use clinsearch::parse::extracted::parse_extracted;
use clinsearch::parse::pdf::{parse_pdf, PdfLimits};

/// Score the PDF reader on folders of article.pdf + article.nxml (or article.bmc.xml).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch eval-pdf ../shared/data/pdf\n  clinsearch eval-pdf ../shared/data/pdf --detail\n  clinsearch eval-pdf ../shared/data/pdf --extracted\n\nEach folder under DIR holds article.pdf and the publisher's XML of the same article\n(JATS article.nxml or BioMed Central's article.bmc.xml). Per publisher group (the folder\nname's prefix) and in all: 5-word shingle recall of the XML's abstract and body\nparagraphs, run-together words per 1,000, titles right (token F1 >= 0.9),\npublication years and DOIs right (of the articles whose XML has one; DOIs read that\nare not the XML's: wrong), section\nheading precision / recall / F1, reference counts within 10% of the XML's, reference\nyears found, citations resolved, abstract passages that are the XML's abstract or keywords\n(not front-matter notes), passages that are text of the XML anywhere (not labels drawn\ninside figures), pages per second on one core. When `pdftotext`\n(poppler-utils) is on the PATH, its text recall and speed are measured in the same run.\nWith --extracted, the same scores for pdftotext's text read as Zotero's extracted text."
)]
pub struct Args {
    /// Folder of article folders
    dir: PathBuf,
    /// Also print one line per article
    #[arg(long)]
    detail: bool,
    /// Print the per-article scores as JSON Lines
    #[arg(long)]
    json: bool,
    /// Print the stretches of the XML's text that the reader misses (where recall is lost),
    /// for the articles whose folder name contains this text ("" for all)
    #[arg(long, value_name = "NAME")]
    missed: Option<String>,
    /// Print the passages that are not text of the XML anywhere (labels drawn inside figures,
    /// garbled text), for the articles whose folder name contains this text ("" for all)
    #[arg(long, value_name = "NAME", conflicts_with = "missed")]
    not_in_xml: Option<String>,
    /// Do not run pdftotext even when it is installed
    #[arg(long)]
    no_pdftotext: bool,
    /// Score the reading of the text pdftotext extracts from each PDF, as clinsearch reads
    /// Zotero's extracted text (`.zotero-ft-cache`), instead of the PDF reader
    #[arg(long, conflicts_with = "no_pdftotext")]
    extracted: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&args.dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("article.pdf").is_file())
        .collect();
    folders.sort();
    if folders.is_empty() {
        anyhow::bail!("no */article.pdf under {}", args.dir.display());
    }
    let pdftotext = !args.no_pdftotext
        && Command::new("pdftotext")
            .arg("-v")
            .stderr(Stdio::null())
            .status()
            .is_ok();
    if args.extracted && !pdftotext {
        anyhow::bail!("--extracted needs pdftotext (poppler-utils) on the PATH");
    }
    // pdftotext's own column, beside the PDF reader's.
    let compare = pdftotext && !args.extracted;
    let mut out = io::stdout().lock();
    let mut scores = Vec::new();
    for folder in &folders {
        if let Some(name) = &args.missed {
            if folder.to_string_lossy().contains(name.as_str()) {
                print_missed(&mut out, folder, args.extracted)?;
            }
            continue;
        }
        if let Some(name) = &args.not_in_xml {
            if folder.to_string_lossy().contains(name.as_str()) {
                print_not_in_xml(&mut out, folder, args.extracted)?;
            }
            continue;
        }
        match score_folder(folder, compare, args.extracted) {
            Ok(s) => scores.push(s),
            Err(e) => eprintln!("clinsearch: {}: {e}", folder.display()),
        }
    }
    if args.missed.is_some() || args.not_in_xml.is_some() {
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        for s in &scores {
            writeln!(out, "{}", serde_json::to_string(s)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.detail {
        writeln!(
            out,
            "{:<30} {:>5} {:>6} {:>6} {:>5} {:>9} {:>9} {:>9} {:>11} {:>5} {:>9}",
            "article",
            "pages",
            "recall",
            "glued",
            "title",
            "headings",
            "refs",
            "years",
            "citations",
            "abstr",
            "from XML"
        )?;
        for s in &scores {
            writeln!(
                out,
                "{:<30} {:>5} {:>6.3} {:>6.2} {:>5.2} {:>3}/{:>2}/{:>2} {:>4}/{:>4} {:>4}/{:>4} {:>5}/{:>5} {:>2}/{:>2} {:>4}/{:>4}",
                s.name, s.pages, s.recall, s.glued_per_1000, s.title_f1, s.headings.0, s.headings.1, s.headings.2,
                s.refs.0, s.refs.1, s.years.0, s.years.1, s.citations.0, s.citations.2, s.abstracts.0, s.abstracts.1,
                s.passages.0, s.passages.1
            )?;
        }
        writeln!(out)?;
    }
    let mut groups: BTreeMap<String, Vec<&ArticleScore>> = BTreeMap::new();
    for s in &scores {
        groups.entry(s.group.clone()).or_default().push(s);
    }
    groups.insert("all".into(), scores.iter().collect());
    write_table(&mut out, &groups, compare)?;
    Ok(ExitCode::SUCCESS)
}

/// The XML's text that the reader misses in one article folder, one stretch a line.
fn print_missed(out: &mut impl Write, folder: &Path, extracted: bool) -> anyhow::Result<()> {
    let (truth, article, _) = read_folder(folder, extracted)?;
    let texts: Vec<&str> = article.passages().map(|(_, p)| p.text.as_str()).collect();
    for stretch in missed_text(&truth, &texts) {
        writeln!(out, "{}\t{stretch}", folder.display())?;
    }
    Ok(())
}

/// The passages of one article folder that are not text of its XML, one a line.
fn print_not_in_xml(out: &mut impl Write, folder: &Path, extracted: bool) -> anyhow::Result<()> {
    let (truth, article, _) = read_folder(folder, extracted)?;
    for passage in passages_not_in_xml(&truth, &article) {
        writeln!(out, "{}\t{passage}", folder.display())?;
    }
    Ok(())
}

/// The truth and the article read from one article folder (from its PDF, or from the text
/// pdftotext extracts from it when `extracted`), with the seconds the reading took.
fn read_folder(
    folder: &Path,
    extracted: bool,
) -> anyhow::Result<(Truth, clinsearch::model::Article, f64)> {
    let xml = ["article.nxml", "article.bmc.xml"]
        .iter()
        .map(|f| folder.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow::anyhow!("no article.nxml or article.bmc.xml"))?;
    let truth = read_truth(&std::fs::read_to_string(&xml)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", xml.display()))?;
    let pdf = folder.join("article.pdf");
    let id = folder.file_name().unwrap_or_default().to_string_lossy();
    let shown = pdf.display().to_string();
    if extracted {
        let text = pdftotext(&pdf)?;
        let start = Instant::now();
        let article = parse_extracted(&text, &id, &shown);
        return Ok((truth, article, start.elapsed().as_secs_f64()));
    }
    let bytes = std::fs::read(&pdf)?;
    let start = Instant::now();
    let article =
        parse_pdf(&bytes, &id, &shown, PdfLimits::default()).map_err(|e| anyhow::anyhow!(e))?;
    Ok((truth, article, start.elapsed().as_secs_f64()))
}

/// The text `pdftotext` (poppler-utils) extracts from `pdf`.
fn pdftotext(pdf: &Path) -> anyhow::Result<String> {
    let output = Command::new("pdftotext")
        .args(["-q", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run pdftotext (poppler-utils): {e}"))?;
    if !output.status.success() {
        anyhow::bail!("pdftotext failed on {} ({})", pdf.display(), output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Read and score one article folder.
fn score_folder(
    folder: &Path,
    with_pdftotext: bool,
    extracted: bool,
) -> anyhow::Result<ArticleScore> {
    let name = folder
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let (truth, article, seconds) = read_folder(folder, extracted)?;
    let pdf = folder.join("article.pdf");
    let bytes = std::fs::read(&pdf)?;
    let mut score = score_article(&truth, &article);
    score.seconds = seconds;
    score.pages = lopdf::Document::load_mem(&bytes)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);
    score.group = group(&name);
    score.name = name;
    if with_pdftotext {
        let start = Instant::now();
        // A file pdftotext fails on scores 0 in its column.
        let text = pdftotext(&pdf).unwrap_or_default();
        let seconds = start.elapsed().as_secs_f64();
        let (recall, glued, _) = text_scores(&truth, &[&text]);
        score.pdftotext = Some((recall, glued, seconds));
    }
    Ok(score)
}

/// The publisher group of an article folder: its name up to the first "-" ("hindawi-PMC..."),
/// "pmc" for bare PMC ids.
fn group(name: &str) -> String {
    let prefix = name.split('-').next().unwrap_or(name);
    if prefix.starts_with("PMC") && !name.contains('-') {
        "pmc".into()
    } else {
        prefix.to_lowercase()
    }
}

fn write_table(
    out: &mut impl Write,
    groups: &BTreeMap<String, Vec<&ArticleScore>>,
    pdftotext: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "| group | articles | pages | text recall | pdftotext | run-together /1000 | pdftotext | titles right | years right | DOIs right | headings P / R / F1 | refs within 10% | ref years | citations resolved | abstract passages from the XML | passages from the XML | pages/s | pdftotext pages/s |"
    )?;
    writeln!(
        out,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )?;
    for (name, list) in groups {
        let n = list.len() as f64;
        let pages: usize = list.iter().map(|s| s.pages).sum();
        let mean = |f: &dyn Fn(&ArticleScore) -> f64| list.iter().map(|s| f(s)).sum::<f64>() / n;
        let sum = |f: &dyn Fn(&ArticleScore) -> usize| list.iter().map(|s| f(s)).sum::<usize>();
        let (hm, hp, hg) = (
            sum(&|s| s.headings.0),
            sum(&|s| s.headings.1),
            sum(&|s| s.headings.2),
        );
        let (p, r) = (hm as f64 / hp.max(1) as f64, hm as f64 / hg.max(1) as f64);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        let titles = list.iter().filter(|s| s.title_f1 >= 0.9).count();
        let dated = list.iter().filter(|s| s.year_right.is_some()).count();
        let years_right = list.iter().filter(|s| s.year_right == Some(true)).count();
        let with_doi = list.iter().filter(|s| s.doi_right.is_some()).count();
        let dois_right = list.iter().filter(|s| s.doi_right == Some(true)).count();
        let dois_wrong = list.iter().filter(|s| s.doi_wrong).count();
        let refs_ok = list
            .iter()
            .filter(|s| (s.refs.0 as f64 - s.refs.1 as f64).abs() <= 0.1 * s.refs.1 as f64)
            .count();
        let years = sum(&|s| s.years.0) as f64 / sum(&|s| s.years.1).max(1) as f64;
        let (resolved, links) = (sum(&|s| s.citations.0), sum(&|s| s.citations.2));
        let (abstracts_xml, abstracts) = (sum(&|s| s.abstracts.0), sum(&|s| s.abstracts.1));
        let (passages_xml, passages) = (sum(&|s| s.passages.0), sum(&|s| s.passages.1));
        let seconds: f64 = list.iter().map(|s| s.seconds).sum();
        let (p_recall, p_glued, p_pps) = if pdftotext {
            let t: f64 = list.iter().filter_map(|s| s.pdftotext.map(|p| p.2)).sum();
            (
                format!("{:.3}", mean(&|s| s.pdftotext.map_or(0.0, |p| p.0))),
                format!("{:.2}", mean(&|s| s.pdftotext.map_or(0.0, |p| p.1))),
                format!("{:.0}", pages as f64 / t.max(1e-9)),
            )
        } else {
            ("-".into(), "-".into(), "-".into())
        };
        writeln!(
            out,
            "| {name} | {} | {pages} | {:.3} | {p_recall} | {:.2} | {p_glued} | {titles}/{} ({:.0}%) | {years_right}/{dated} | {dois_right}/{with_doi} ({dois_wrong} wrong) | {p:.2} / {r:.2} / {f1:.2} | {refs_ok}/{} ({:.0}%) | {years:.2} | {resolved} of {links} XML links | {abstracts_xml} of {abstracts} | {passages_xml} of {passages} ({:.1}%) | {:.0} | {p_pps} |",
            list.len(),
            mean(&|s| s.recall),
            mean(&|s| s.glued_per_1000),
            list.len(),
            100.0 * titles as f64 / n,
            list.len(),
            100.0 * refs_ok as f64 / n,
            100.0 * passages_xml as f64 / passages.max(1) as f64,
            pages as f64 / seconds.max(1e-9),
        )?;
    }
    Ok(())
}
