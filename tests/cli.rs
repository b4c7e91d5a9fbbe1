//! End-to-end tests of the `clinsearch` binary on a temporary copy of the bundled corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

mod common;

/// Mirror of one line of `search --json`, deserialised to check the output's structure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hit {
    rank: usize,
    score: Option<f32>,
    id: String,
    kind: String,
    article: String,
    path: String,
    title: String,
    section: String,
    years: Vec<u16>,
    cites: Vec<Cited>,
    reference: Option<Reference>,
    text: String,
    snippet: String,
    highlights: Vec<Span>,
    #[serde(default)]
    title_highlights: Vec<Span>,
    #[serde(default)]
    section_highlights: Vec<Span>,
}

impl Hit {
    /// The labels of the citations in the hit, in order ("Duman et al., 2016").
    fn cited_labels(&self) -> Vec<&str> {
        self.cites.iter().map(|c| c.label.as_str()).collect()
    }
}

#[derive(Debug, Deserialize)]
struct Cited {
    label: String,
    year: Option<u16>,
    #[allow(dead_code)]
    reference: usize,
    raw: String,
}

#[derive(Debug, Deserialize)]
struct Reference {
    authors: Vec<Person>,
    year: Option<u16>,
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Person {
    surname: String,
    initials: String,
}

#[derive(Debug, Deserialize)]
struct Span {
    start: usize,
    end: usize,
}

/// A temporary working directory holding a copy of `corpus/`, its PDFs left out: the counts and
/// rankings below are those of the text article (tests/pdf.rs indexes the PDFs).
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "pdf") {
                continue;
            }
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
        }
        Workspace { dir }
    }

    /// A workspace with `content` written to `notes/NAME` and the notes indexed into `idx`.
    fn with_note(name: &str, content: &str) -> Workspace {
        let ws = Workspace::new();
        ws.write(&format!("notes/{name}"), content);
        ws.run_ok(&["index", "notes", "--index", "idx"]);
        ws
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap()
    }

    /// Run the binary with `args`, expecting success; its standard output.
    fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// `search ARGS --json`, expecting success; the hits.
    fn search(&self, args: &[&str]) -> Vec<Hit> {
        common::search_json(|all| self.run(all), args)
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn search_without_an_index_or_a_corpus_says_what_to_give() {
    let ws = Workspace::new();
    std::fs::remove_dir_all(ws.path("corpus")).unwrap();
    let out = ws.run(&["search", "NMDA"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no corpus/ folder here"), "{err}");
    assert!(err.contains("--index DIR"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!ws.path("index").exists());
}

#[test]
fn search_builds_the_index_when_missing_and_finds_nmda() {
    let ws = Workspace::new();
    let out = ws.run(&["search", "NMDA"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building it from corpus/"),
        "{}",
        stderr(&out)
    );
    assert!(ws.path("index/meta.json").is_file());
    assert!(
        stdout(&out).contains("**NMDA**"),
        "plain output marks matches: {}",
        stdout(&out)
    );

    let hits = ws.search(&["NMDA"]);
    let first = &hits[0];
    assert_eq!(first.rank, 1);
    assert!(first.score.unwrap() > 0.0);
    assert!(first.text.contains("NMDA) receptors"));
    assert_eq!(first.section, "Introduction");
    assert_eq!(first.years, [2016, 2020]);
    assert_eq!(
        first.cited_labels(),
        ["Duman et al., 2016", "de la Salle et al., 2020"]
    );
    assert_eq!(first.cites[0].year, Some(2016));
    assert!(first.cites[0].raw.starts_with("Duman, R. S."));
    assert_eq!(first.kind, "passage");
    assert_eq!(first.article, "ketamine-standalone-vs-psychotherapy.txt");
    assert!(first
        .path
        .ends_with("ketamine-standalone-vs-psychotherapy.txt"));
    assert!(first
        .id
        .starts_with("ketamine-standalone-vs-psychotherapy.txt#p"));
    assert!(first.title.starts_with("The Impact of Ketamine"));
    let marked: Vec<&str> = first
        .highlights
        .iter()
        .map(|s| &first.snippet[s.start..s.end])
        .collect();
    assert_eq!(marked, ["NMDA"]);
}

#[test]
fn dissociation_finds_the_passage_citing_wan_2015() {
    let ws = Workspace::new();
    let hits = ws.search(&["dissociation"]);
    assert_eq!(hits[0].cited_labels(), ["Wan et al., 2015"]);
    assert_eq!(hits[0].section, "Ketamine as a Standalone Treatment");
}

#[test]
fn a_question_about_the_folder_searches_its_topic() {
    let ws = Workspace::new();
    ws.write(
        "corpus/reading-list.md",
        "# Reading list\n\nWhich articles do we talk about at the journal club? The papers on \
         sleep first.\n",
    );
    let ids = |hits: Vec<Hit>| hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    // The frame's words are in the folder: searched as words, they would match.
    assert_eq!(ids(ws.search(&["articles talk"])), ["reading-list.md#p0"]);
    let topic = ids(ws.search(&["NMDA"]));
    assert!(!topic.is_empty());
    for question in [
        "where do my articles talk about NMDA?",
        "which papers mention NMDA",
        "NMDA in my articles",
    ] {
        assert_eq!(ids(ws.search(&[question])), topic, "{question}");
    }
}

#[test]
fn one_work_in_two_files_shows_each_passage_once() {
    // The same BMC article as its JATS XML and as a saved web page that names its DOI.
    let ws = Workspace::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let xml = std::fs::read(fixtures.join("bmc-microbiology-lysis-time.nxml")).unwrap();
    let html = std::fs::read_to_string(fixtures.join("bmc-microbiology-lysis-time.html")).unwrap();
    let html = html.replacen(
        "<meta charset=\"utf-8\">",
        "<meta charset=\"utf-8\"><meta name=\"citation_doi\" content=\"10.1186/1471-2180-11-174\">",
        1,
    );
    assert!(html.contains("citation_doi"));
    ws.write("copies/lysis.nxml", xml);
    ws.write("copies/lysis.html", html);
    ws.run_ok(&["index", "copies", "--index", "idx"]);
    // Hits as JSON values: these formats carry fields the text article has not.
    let search =
        |args: &[&str]| -> Vec<serde_json::Value> { common::search_json(|all| ws.run(all), args) };
    let hits = search(&["\"phenotypic variation arises\"", "--index", "idx"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["doi"], "10.1186/1471-2180-11-174");
    // Pages are filled past the copies left out, and the second page goes on from the first.
    let page = |offset: &str| {
        let hits = search(&["lysis", "--index", "idx", "-n", "5", "--offset", offset]);
        hits.into_iter()
            .map(|h| h["text"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let (first, second) = (page("0"), page("5"));
    assert_eq!((first.len(), second.len()), (5, 5));
    let shown: std::collections::HashSet<&String> = first.iter().chain(&second).collect();
    assert_eq!(shown.len(), 10, "a text shown twice");
    // With every match ranked, the total counts each passage once too.
    let all = search(&["lysis", "--index", "idx", "-n", "1000"]);
    let out = ws.run_ok(&["search", "lysis", "--index", "idx", "-n", "1000"]);
    let last = out
        .lines()
        .rev()
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    assert_eq!(last, format!("{0} of {0} hits", all.len()), "{out}");
}

#[test]
fn year_filters_keep_only_passages_citing_those_years() {
    let ws = Workspace::new();
    let hits = ws.search(&["psychotherapy", "--year", "2017"]);
    assert_eq!(hits.len(), 2, "two passages cite Wilkinson et al. (2017)");
    assert!(hits
        .iter()
        .all(|h| h.kind == "passage" && h.years.contains(&2017)));
    // The title says "Psychotherapy Integration": the word is marked there too.
    let marked = |h: &Hit| -> Vec<String> {
        let title = h.title_highlights.iter().map(|s| &h.title[s.start..s.end]);
        let section = h
            .section_highlights
            .iter()
            .map(|s| &h.section[s.start..s.end]);
        title.chain(section).map(str::to_lowercase).collect()
    };
    assert!(
        hits.iter()
            .all(|h| marked(h).contains(&"psychotherapy".into())),
        "{hits:?}"
    );

    let hits = ws.search(&["psychotherapy", "--year", "2019..2021"]);
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.years.iter().any(|y| (2019..=2021).contains(y))),
        "{hits:?}"
    );
    // Every passage citing 2019-2021 work mentions psychotherapy via the title, so all four are found.
    let all = ws.search(&["--year", "2019..2021"]);
    assert_eq!(all.len(), 4);
    assert_eq!(hits.len(), all.len());

    let open_end = ws.search(&["--year", "2020.."]);
    assert!(open_end.iter().all(|h| h.years.iter().any(|&y| y >= 2020)));
    let until = ws.search(&["--year", "..2012"]);
    assert_eq!(until.len(), 1);
    assert_eq!(until[0].years, [2012]);
}

#[test]
fn references_by_author_in_article_order() {
    let ws = Workspace::new();
    let hits = ws.search(&["--kind", "reference", "--author", "Mathew"]);
    assert_eq!(hits.len(), 2);
    let firsts: Vec<&str> = hits
        .iter()
        .map(|h| h.reference.as_ref().unwrap().authors[0].surname.as_str())
        .collect();
    assert_eq!(firsts, ["Aan Het Rot", "Wan"]);
    for h in &hits {
        assert_eq!(h.kind, "reference");
        assert!(h.score.is_none(), "no query: listed, not ranked");
        let r = h.reference.as_ref().unwrap();
        assert!(r
            .authors
            .iter()
            .any(|a| a.surname == "Mathew" && a.initials == "SJ"));
        assert_eq!(h.years, [r.year.unwrap()]);
        assert!(r.title.is_some());
    }
    // Multi-word names match as a phrase, initials included.
    assert_eq!(
        ws.search(&["--kind", "reference", "--author", "de la Salle"])
            .len(),
        1
    );
    assert_eq!(
        ws.search(&["--kind", "reference", "--author", "Mathew S"])
            .len(),
        2
    );
    // On passages, --author means an author of a cited work.
    let cited = ws.search(&["--author", "Krystal"]);
    assert_eq!(
        cited.len(),
        2,
        "Krystal 2019 and Duman 2016 (Krystal is an author of both)"
    );
}

#[test]
fn section_and_query_field_filters() {
    let ws = Workspace::new();
    let hits = ws.search(&["ketamine", "--section", "standalone"]);
    assert_eq!(hits.len(), 2);
    assert!(hits
        .iter()
        .all(|h| h.section == "Ketamine as a Standalone Treatment"));
    let hits = ws.search(&["year:[2015 TO 2016]"]);
    assert_eq!(hits.len(), 2);
    let hits = ws.search(&["author:wolfson", "--kind", "all"]);
    // Wolfson wrote Dore et al. (2019) and Wolfson et al. (2021): two references, two passages citing them.
    assert_eq!(hits.len(), 4);
    assert_eq!(hits.iter().filter(|h| h.kind == "reference").count(), 2);
}

#[test]
fn errors_exit_2_with_one_line() {
    let ws = Workspace::new();
    ws.run_ok(&["index"]);
    let cases: &[&[&str]] = &[
        &["search", "NMDA AND"],
        &["search", "x", "--year", "2020..2010"],
        &["search", "x", "--year", "abc"],
        &["search", "x", "--index", "/no/such/dir"],
        &["search", "autor:x"],
        &["search", "x", "--kind", "other"],
        &["search"],
        &["index", "no-such-folder"],
    ];
    for args in cases {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("clinsearch: error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
    let out = ws.run(&["search", "x", "--index", "/no/such/dir"]);
    assert!(stderr(&out).contains("/no/such/dir"));
}

#[test]
fn no_hits_exit_1() {
    let ws = Workspace::new();
    let out = ws.run(&["search", "xylophone"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no hits"));
    // A filter that keeps none of the query's hits is named, with the hits without it.
    let out = ws.run(&["search", "ketamine", "--year", "1800..1801"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("no hits with --year ("), "{err}");
    assert!(
        err.contains(" hits without it; --year keeps passages citing"),
        "{err}"
    );
}

#[test]
fn index_reports_counts_and_skips_bad_files() {
    let ws = Workspace::new();
    ws.write("corpus/empty.txt", "");
    ws.write("corpus/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    ws.write("corpus/figure.png", b"\x89PNG");
    ws.write(
        "corpus/notes/latin1.txt",
        b"Caf\xe9 notes\n\nKetamine and caf\xe9ine.\n",
    );
    let text = ws.run_ok(&["index", "corpus", "--index", "idx"]);
    assert!(
        text.contains("skipped corpus/empty.txt: empty file"),
        "{text}"
    );
    assert!(
        text.contains("skipped corpus/image.txt: binary file"),
        "{text}"
    );
    assert!(
        text.contains("skipped corpus/figure.png: unknown format (.png)"),
        "{text}"
    );
    assert!(text.starts_with("indexed 5 files into idx"), "{text}");
    let all: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("  all "))
        .unwrap()
        .split_whitespace()
        .collect();
    // articles, passages, references, citations, resolved, unresolved
    assert_eq!(all[1..], ["2", "9", "8", "9", "9", "0"], "{text}");
    assert!(
        text.contains("2 added, 0 updated, 0 removed, 0 unchanged, 3 skipped"),
        "{text}"
    );
    let hits = ws.search(&["caféine", "--index", "idx"]);
    assert_eq!(hits[0].article, "notes/latin1.txt");
    assert_eq!(hits[0].title, "Café notes");
}

#[test]
fn reindexing_replaces_instead_of_duplicating() {
    let ws = Workspace::new();
    for _ in 0..2 {
        ws.run_ok(&["index"]);
    }
    assert_eq!(ws.search(&["--kind", "all", "--limit", "100"]).len(), 16);
    std::fs::remove_file(ws.path("corpus/ketamine-standalone-vs-psychotherapy.txt")).unwrap();
    ws.write("corpus/other.md", "# Other\n\nA note on esketamine.\n");
    ws.run_ok(&["index"]);
    let all = ws.search(&["--kind", "all"]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].article, "other.md");
}

#[test]
fn markdown_with_numbered_references_and_numeric_citations() {
    let ws = Workspace::with_note(
        "esketamine.md",
        "# Esketamine notes\n\n## Methods\n\n### Dosing\n\nIntranasal esketamine was given twice weekly [1, 2].\n\n## References\n\n1. Daly EJ, Singh JB, et al. Efficacy of esketamine nasal spray. JAMA Psychiatry. 2018;75(2):139-148.\n2. Popova V, Daly EJ, et al. Efficacy and safety of flexibly dosed esketamine. Am J Psychiatry. 2019;176(6):428-438.\n",
    );
    let hits = ws.search(&["esketamine", "--index", "idx", "--section", "dosing"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].section, "Methods > Dosing");
    assert_eq!(hits[0].years, [2018, 2019]);
    assert_eq!(
        hits[0].cited_labels(),
        ["Daly et al., 2018", "Popova et al., 2019"]
    );
    let refs = ws.search(&["--kind", "reference", "--author", "Daly", "--index", "idx"]);
    assert_eq!(refs.len(), 2);
}

#[test]
fn colour_follows_the_flag() {
    let ws = Workspace::new();
    let out = ws.run(&["search", "NMDA", "--color", "always"]);
    assert!(stdout(&out).contains("\x1b[1;31mNMDA\x1b[0m"));
    let out = ws.run(&["search", "NMDA", "--color", "never"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn every_command_help_shows_examples() {
    let ws = Workspace::new();
    for args in [&["--help"][..], &["index", "--help"], &["search", "--help"]] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Examples:"), "{args:?}");
    }
}

#[test]
fn abbreviations_match_their_other_form_below_exact_matches() {
    let ws = Workspace::new();
    // The seed defines "treatment-resistant depression (TRD)"; one passage says only "TRD".
    let hits = ws.search(&["\"treatment-resistant depression\""]);
    assert!(
        hits[0]
            .text
            .contains("treatment-resistant depression (TRD)"),
        "exact match first: {}",
        hits[0].text
    );
    let only_short = hits
        .iter()
        .position(|h| h.text.contains("patients with TRD"))
        .expect("the TRD-only passage is found");
    assert!(only_short > 0);
    assert!(hits[only_short].score < hits[0].score);

    ws.write(
        "corpus/nmda-notes.md",
        "# NMDA notes\n\nKetamine blocks N-methyl-D-aspartate (NMDA) receptors.\n\nBlocking N-methyl-D-aspartate receptors in the cortex raises glutamate release.\n",
    );
    ws.run_ok(&["index"]);
    let hits = ws.search(&["NMDA", "--limit", "20"]);
    let long_only = hits
        .iter()
        .find(|h| h.text.starts_with("Blocking N-methyl-D-aspartate"))
        .expect("long-form-only passage found for NMDA");
    let exact = hits
        .iter()
        .find(|h| h.text.starts_with("Ketamine blocks"))
        .unwrap();
    assert!(long_only.score < exact.score);
}

/// Every document of the index as comparable JSON values (id, kind, text, section, years, cites).
fn all_documents(ws: &Workspace, index: &str) -> Vec<String> {
    let mut docs: Vec<String> = ws
        .search(&["--kind", "all", "--limit", "100000", "--index", index])
        .into_iter()
        .map(|h| {
            format!(
                "{}|{}|{}|{}|{:?}|{:?}|{}",
                h.id,
                h.kind,
                h.title,
                h.section,
                h.years,
                h.cites.iter().map(|c| &c.label).collect::<Vec<_>>(),
                h.text
            )
        })
        .collect();
    docs.sort();
    docs
}

#[test]
fn incremental_indexing_equals_a_fresh_build() {
    let ws = Workspace::new();
    ws.write("corpus/a.md", "# A\n\nFirst note on esketamine (Lee, 2020).\n\n## References\n\n- Lee, C. (2020). A study. J, 1, 2.\n");
    ws.write("corpus/sub/b.md", "# B\n\nSecond note.\n");
    ws.write("corpus/c.md", "# C\n\nThird note, to be renamed.\n");
    let first = ws.run(&["index", "corpus", "--index", "inc"]);
    assert_eq!(first.status.code(), Some(0));
    assert!(
        stdout(&first).contains("4 added, 0 updated, 0 removed, 0 unchanged"),
        "{}",
        stdout(&first)
    );

    let again = ws.run(&["index", "corpus", "--index", "inc"]);
    assert!(
        stdout(&again).contains("0 added, 0 updated, 0 removed, 4 unchanged"),
        "{}",
        stdout(&again)
    );
    // Nothing was read: no table of zeros.
    assert!(!stdout(&again).contains("articles"), "{}", stdout(&again));

    // Change, remove, rename, add.
    ws.write("corpus/a.md", "# A\n\nFirst note on esketamine, revised (Lee, 2020).\n\n## References\n\n- Lee, C. (2020). A study. J, 1, 2.\n");
    std::fs::remove_file(ws.path("corpus/sub/b.md")).unwrap();
    std::fs::rename(ws.path("corpus/c.md"), ws.path("corpus/c-renamed.md")).unwrap();
    ws.write("corpus/d.txt", "D\n\nA new plain-text note.\n");
    let update = ws.run(&["index", "corpus", "--index", "inc"]);
    assert!(
        stdout(&update).contains("2 added, 1 updated, 2 removed, 1 unchanged"),
        "{}",
        stdout(&update)
    );

    let fresh = ws.run(&["index", "corpus", "--index", "fresh"]);
    assert_eq!(fresh.status.code(), Some(0));
    let (incremental, rebuilt) = (all_documents(&ws, "inc"), all_documents(&ws, "fresh"));
    assert_eq!(incremental, rebuilt);
    assert!(incremental.iter().any(|d| d.contains("revised")));
    assert!(!incremental.iter().any(|d| d.contains("Second note")));
    assert!(incremental.iter().any(|d| d.starts_with("c-renamed.md#p0")));

    let rebuild = ws.run(&["index", "corpus", "--index", "inc", "--rebuild"]);
    assert!(
        stdout(&rebuild).contains("4 added, 0 updated, 0 removed, 0 unchanged"),
        "{}",
        stdout(&rebuild)
    );
    assert_eq!(all_documents(&ws, "inc"), rebuilt);
    assert!(!stdout(&rebuild).contains("another version"));

    // An index of another version (its analysis version is in the commit's manifest) is built
    // again, and the run says why every file was read.
    common::mark_other_version(&ws.path("inc"));
    let upgrade = ws.run_ok(&["index", "corpus", "--index", "inc"]);
    assert!(upgrade.contains("4 added, 0 updated"), "{upgrade}");
    assert!(
        upgrade.contains("written by another version of clinsearch"),
        "{upgrade}"
    );
    assert_eq!(all_documents(&ws, "inc"), rebuilt);
}

#[test]
fn compounds_greek_letters_and_kinds_match_as_users_expect() {
    let ws = Workspace::with_note(
        "cytokines.md",
        "# Cytokines\n\nSerum IL-6 and TNF-α rose after the infusion (Smith, 2019).\n\nInterleukin IL 6 assays are noisy.\n\n## References\n\nSmith, J. (2019). Cytokine storms and IL6 measurement. Journal of Assays, 3, 1-9.\n",
    );
    let texts = |hits: Vec<Hit>| -> Vec<String> { hits.into_iter().map(|h| h.text).collect() };
    // The joined form finds the hyphenated one, and the hyphenated form finds the joined one.
    let il6 = texts(ws.search(&["IL6", "--index", "idx"]));
    assert_eq!(il6.len(), 1, "{il6:?}");
    assert!(il6[0].contains("IL-6"));
    // A compound is also found by its parts ("IL 6" and "IL-6" both match the phrase).
    assert_eq!(ws.search(&["\"IL 6\"", "--index", "idx"]).len(), 2);
    // Greek letters match their names.
    let tnf = texts(ws.search(&["TNF-alpha", "--index", "idx"]));
    assert_eq!(tnf.len(), 1);
    assert!(tnf[0].contains("TNF-α"));
    // Passage searches never return references, reference searches never passages.
    let refs = ws.search(&["IL6", "--kind", "reference", "--index", "idx"]);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].kind, "reference");
    let storms = ws.search(&["storms", "--kind", "all", "--index", "idx"]);
    assert_eq!(storms.len(), 1);
    assert_eq!(storms[0].kind, "reference");
    assert_eq!(
        ws.run(&["search", "storms", "--index", "idx"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn stats_show_counts_the_cited_year_histogram_and_the_most_cited() {
    let ws = Workspace::new();
    let text = ws.run_ok(&["stats"]);
    let bars: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("20"))
        .collect();
    assert_eq!(bars.len(), 10, "2012 to 2021: {text}");
    assert!(bars[0].trim_start().starts_with("2012 █"));
    assert!(bars[9].trim_start().starts_with("2021 █"));
    assert!(text.contains("Wilkinson"), "most cited: {text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&ws.run(&["stats", "--json"]))).unwrap();
    assert_eq!(json["total"]["passages"], 8);
    assert_eq!(json["total"]["resolved"], 9);
    assert_eq!(json["cited_years"][5]["year"], 2017);
    assert_eq!(json["cited_years"][5]["passages"], 2);
    assert_eq!(json["most_cited"][0]["passages"], 2);
}

#[test]
fn completions_for_each_shell() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = ws.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("serve"), "{shell}");
    }
}

#[test]
fn quiet_and_verbose_index_output() {
    let ws = Workspace::new();
    ws.write(
        "notes/long.txt",
        format!("Long\n\n{}\n", "word ".repeat(5000)),
    );
    let quiet = ws.run(&["index", "notes", "--index", "idx", "--quiet"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stdout(&quiet), "");
    let verbose = ws.run(&["index", "notes", "--index", "idx2", "-v"]);
    assert!(
        stdout(&verbose).contains("split into 2 passages"),
        "{}",
        stdout(&verbose)
    );
    let normal = ws.run(&["index", "notes", "--index", "idx3"]);
    assert!(!stdout(&normal).contains("split into"));
}

/// Random bytes are skipped as binary; a Markdown article with a stray NUL and a JATS article
/// with only a title are indexed and found by a word of their text and title.
#[test]
fn binary_noise_is_skipped_and_odd_articles_are_found() {
    let ws = Workspace::new();
    // 20,000 bytes from a fixed xorshift generator, with no NUL (a NUL check alone misses them).
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 56) as u8).max(1)
        })
        .collect();
    ws.write("odd/noise.txt", noise);
    ws.write(
        "odd/stray.md",
        b"# Grazing\n\nThe zebu grazes at\0 dawn on the upland pastures.\n".as_slice(),
    );
    ws.write(
        "odd/title.nxml",
        "<article><front><article-meta><title-group><article-title>Okapi stripes in \
         captivity</article-title></title-group></article-meta></front></article>",
    );
    let text = ws.run_ok(&["index", "odd", "--index", "idx", "-v"]);
    assert!(
        text.contains("skipped odd/noise.txt: binary file"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("odd/stray.md") && l.contains("NUL")),
        "the dropped NUL is noted with -v:\n{text}"
    );
    let found = |query: &str| -> Vec<String> {
        ws.search(&[query, "--index", "idx"])
            .into_iter()
            .map(|h| h.article)
            .collect()
    };
    assert_eq!(found("zebu"), ["stray.md"]);
    assert_eq!(found("dawn"), ["stray.md"]);
    assert_eq!(found("okapi"), ["title.nxml"]);
    assert_eq!(found("captivity"), ["title.nxml"]);
}

/// The same files indexed in one run, or in two (as after an interrupted run), rank the same:
/// equal scores are ordered by article id and passage number, not by where documents sit in the
/// index, in interactive search and in batch runs.
#[test]
fn the_same_files_rank_the_same_however_they_were_indexed() {
    let ws = Workspace::new();
    for i in 0..30 {
        // Equal scores for most queries; a few words differ so that some do not tie.
        let extra = ["", " Sleep improved.", " Nausea was rare."][i % 3];
        ws.write(
            &format!("ties/n{i:02}.md"),
            format!("# Infusion notes\n\nKetamine infusion relieved depression within hours.{extra}\n\nMood was rated daily after the infusion and sleep was recorded.\n"),
        );
    }
    let run = |args: &[&str]| {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    };
    run(&["index", "ties", "--index", "fresh"]);
    // The other index gets the second half first and the first half in a later run.
    std::fs::rename(ws.path("ties"), ws.path("held")).unwrap();
    std::fs::create_dir(ws.path("ties")).unwrap();
    for i in 15..30 {
        let name = format!("n{i:02}.md");
        std::fs::rename(ws.path("held").join(&name), ws.path("ties").join(&name)).unwrap();
    }
    run(&["index", "ties", "--index", "twice"]);
    for i in 0..15 {
        let name = format!("n{i:02}.md");
        std::fs::rename(ws.path("held").join(&name), ws.path("ties").join(&name)).unwrap();
    }
    run(&["index", "ties", "--index", "twice"]);

    for query in ["ketamine", "infusion sleep", "mood rated daily depression"] {
        let hits = |index: &str| -> Vec<(String, Option<f32>)> {
            ws.search(&[query, "--index", index, "--limit", "12"])
                .into_iter()
                .map(|h| (h.id, h.score))
                .collect()
        };
        let fresh = hits("fresh");
        assert_eq!(fresh, hits("twice"), "{query}");
        if query == "ketamine" {
            let ids: Vec<&str> = fresh.iter().take(3).map(|(id, _)| id.as_str()).collect();
            assert_eq!(
                ids,
                ["n00.md#p0", "n03.md#p0", "n06.md#p0"],
                "ties by article id"
            );
        }
    }
    ws.write(
        "queries.jsonl",
        "{\"_id\": \"1\", \"text\": \"ketamine infusion\"}\n\
         {\"_id\": \"2\", \"text\": \"sleep after an infusion of ketamine for depression\"}\n\
         {\"_id\": \"3\", \"text\": \"was nausea rare with daily mood ratings?\"}\n",
    );
    for expand in [false, true] {
        let mut runs = Vec::new();
        for index in ["fresh", "twice"] {
            let file = format!("{index}.trec");
            let mut args = vec!["search", "--queries", "queries.jsonl", "--run", &file];
            args.extend(["--index", index, "--limit", "20"]);
            if !expand {
                args.push("--no-expand");
            }
            run(&args);
            runs.push(std::fs::read(ws.path(&file)).unwrap());
        }
        assert!(!runs[0].is_empty());
        assert!(runs[0] == runs[1], "batch runs differ (expand: {expand})");
    }
}

/// A word of the query that only the title holds matches every passage of the article: the
/// shortest must not come first for it, ahead of the passage that says the word.
#[test]
fn a_passage_with_the_query_words_ranks_above_those_matched_by_the_title() {
    let ws = Workspace::with_note(
        "knee.md",
        "# Patellar button dissociation\n\nFigure 1. Radiograph of the knee.\n\nWe have no \
         competing interests.\n\nPatellar button dissociation after total knee arthroplasty is \
         rare: the implant migrated through the retinaculum and rested above the patella, where \
         it was found at revision surgery after months of swelling.\n",
    );
    let hits: Vec<serde_json::Value> =
        common::search_json(|all| ws.run(all), &["dissociation", "--index", "idx"]);
    assert_eq!(hits.len(), 3, "{hits:?}");
    let text = |i: usize| hits[i]["text"].as_str().unwrap().to_string();
    assert!(
        text(0).starts_with("Patellar button dissociation"),
        "{hits:?}"
    );
    // The two that match through the title score alike, whatever their length.
    let score = |i: usize| hits[i]["score"].as_f64().unwrap();
    assert!((score(1) - score(2)).abs() < 1e-4, "{hits:?}");
    assert!(score(0) > score(1));
}

/// The same for a word that only the section heading holds: it matches every passage of the
/// section, and the caption under "Sample size" must not come before the paragraph that says it.
#[test]
fn a_passage_with_the_query_words_ranks_above_those_matched_by_the_heading() {
    let ws = Workspace::with_note(
        "trial.md",
        "# Aphasia therapy trial\n\n## Sample size\n\nFigure 2. Statistical testing \
         procedure.\n\nWe based the sample size on a difference of ten points in the primary \
         outcome between the arms, with a power of ninety per cent at a two-sided significance \
         level of five per cent, allowing for a fifth of the participants lost to follow-up.\n\n\
         ## Outcomes\n\nThe primary outcome is word finding, measured by naming a set of \
         pictures at six months.\n",
    );
    let hits: Vec<serde_json::Value> =
        common::search_json(|all| ws.run(all), &["sample", "--index", "idx"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("We based the sample size"),
        "{hits:?}"
    );
    // The caption's hit shows what it matched through: the word in its heading.
    let section = hits[1]["section"].as_str().unwrap();
    let marks = hits[1]["section_highlights"].as_array().unwrap();
    let (start, end) = (marks[0]["start"].as_u64(), marks[0]["end"].as_u64());
    let (start, end) = (start.unwrap() as usize, end.unwrap() as usize);
    assert_eq!(&section[start..end], "Sample", "{hits:?}");
    assert!(hits[1]["highlights"].as_array().unwrap().is_empty());
}
