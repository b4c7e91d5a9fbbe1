//! JATS, HTML and JSON Lines: fixtures in tests/fixtures/ (see its README for origins and licenses)
//! and, when present, the real collections in ../shared/data.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use clinsearch::model::{Article, Passage};
use clinsearch::parse::read_file;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

mod common;
use common::clinsearch as run;
use common::shared_data as shared;

fn json_hits(args: &[&str]) -> Vec<Value> {
    common::search_json(run, args)
}

/// Run `index SRC --index IDX`, expecting success; the summary it prints.
fn index_into(src: &str, idx: &str) -> String {
    let out = run(&["index", src, "--index", idx]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The articles column of `format`'s row in an index summary.
fn articles_in(summary: &str, format: &str) -> String {
    let row = summary
        .lines()
        .find(|l| l.starts_with(&format!("  {format} ")))
        .expect("a row for the format");
    row.split_whitespace().nth(1).unwrap().to_string()
}

fn one(path: &Path) -> Article {
    let mut parsed = read_file(path, "a").unwrap();
    assert_eq!(parsed.articles.len(), 1);
    parsed.articles.remove(0)
}

/// Counts taken from the XML with a plain walk, independent of the parser under test.
struct XmlCounts {
    refs: usize,
    /// `p` elements of running text: children of sections, body, abstract and back matter.
    paragraphs: usize,
    /// Figures and tables with a caption.
    captions: usize,
    /// `bibr` xrefs outside tables and footnotes (those are not passages).
    xrefs: usize,
    /// Of those, how many name only ids that a `ref` has.
    xrefs_resolvable: usize,
    /// Titles of sections that hold paragraphs.
    titles: HashSet<String>,
}

fn xml_counts(source: &str) -> XmlCounts {
    let doc = roxmltree::Document::parse_with_options(
        source,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let name = |n: roxmltree::Node| n.tag_name().name().to_string();
    let elements: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).collect();
    let ref_ids: HashSet<&str> = elements
        .iter()
        .filter(|n| name(**n) == "ref")
        .filter_map(|n| n.attribute("id"))
        .collect();
    let text_parents = [
        "sec",
        "body",
        "abstract",
        "ack",
        "app",
        "boxed-text",
        "disp-quote",
        "notes",
        "bio",
    ];
    let outside = [
        "table",
        "table-wrap-foot",
        "fn",
        "ref-list",
        "supplementary-material",
    ];
    let mut counts = XmlCounts {
        refs: 0,
        paragraphs: 0,
        captions: 0,
        xrefs: 0,
        xrefs_resolvable: 0,
        titles: HashSet::new(),
    };
    for n in &elements {
        match name(*n).as_str() {
            "ref" if n.ancestors().any(|a| a.has_tag_name("ref-list")) => counts.refs += 1,
            "p" if n
                .parent_element()
                .is_some_and(|p| text_parents.contains(&name(p).as_str())) =>
            {
                counts.paragraphs += 1;
                let sec = n.parent_element().unwrap();
                if let Some(title) = sec.children().find(|c| c.has_tag_name("title")) {
                    let words: Vec<String> = title
                        .descendants()
                        .filter(|t| t.is_text())
                        .filter_map(|t| t.text())
                        .map(String::from)
                        .collect();
                    counts.titles.insert(
                        words
                            .concat()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            "fig" | "table-wrap" if n.children().any(|c| c.has_tag_name("caption")) => {
                counts.captions += 1
            }
            "xref"
                if n.attribute("ref-type") == Some("bibr")
                    && !n.ancestors().any(|a| outside.contains(&name(a).as_str())) =>
            {
                counts.xrefs += 1;
                let rids: Vec<&str> = n
                    .attribute("rid")
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect();
                if !rids.is_empty() && rids.iter().all(|r| ref_ids.contains(r)) {
                    counts.xrefs_resolvable += 1;
                }
            }
            _ => {}
        }
    }
    counts
}

#[test]
fn jats_articles_match_an_independent_count() {
    let Some(dir) = shared("articles/jats") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 15);
    let (mut xrefs, mut resolved) = (0, 0);
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let expected = xml_counts(&source);
        let article = one(&path);
        let file = path.file_name().unwrap().to_string_lossy();
        assert_eq!(
            article.references.len(),
            expected.refs,
            "{file}: references"
        );
        let passages: Vec<_> = article.passages().collect();
        assert_eq!(
            passages.len(),
            expected.paragraphs + expected.captions,
            "{file}: passages"
        );
        // Each xref is one citation span in its passage (several works may share the span).
        let spans: usize = passages
            .iter()
            .map(|(_, p)| {
                p.citations
                    .iter()
                    .map(|c| c.span)
                    .collect::<HashSet<_>>()
                    .len()
            })
            .sum();
        assert_eq!(spans, expected.xrefs, "{file}: bibr xrefs");
        let headings: Vec<&str> = article
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        for title in &expected.titles {
            assert!(
                headings
                    .iter()
                    .any(|h| h.split(" > ").any(|part| part == title)),
                "{file}: no section titled {title:?} in {headings:?}"
            );
        }
        assert!(
            !article.title.is_empty() && article.year.is_some() && !article.authors.is_empty(),
            "{file}: front matter"
        );
        xrefs += expected.xrefs;
        let resolved_spans: usize = passages
            .iter()
            .map(|(_, p)| {
                p.citations
                    .iter()
                    .filter(|c| !c.references.is_empty())
                    .map(|c| c.span)
                    .collect::<HashSet<_>>()
                    .len()
            })
            .sum();
        assert_eq!(
            resolved_spans, expected.xrefs_resolvable,
            "{file}: resolved xrefs"
        );
        resolved += resolved_spans;
    }
    assert!(
        resolved * 100 >= xrefs * 95,
        "{resolved} of {xrefs} resolved"
    );
}

#[test]
fn jats_acceptance_searches() {
    let Some(dir) = shared("articles/jats") else {
        return;
    };
    let index = tempfile::tempdir().unwrap();
    let idx = index.path().to_str().unwrap();
    let summary = index_into(dir.to_str().unwrap(), idx);
    assert_eq!(articles_in(&summary, "jats"), "15", "{summary}");

    let hits = json_hits(&[
        "MDCT",
        "--section",
        "discussion",
        "--year",
        "2007",
        "--index",
        idx,
        "--limit",
        "100",
    ]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h["article"], "PMC2491404.xml");
        assert!(h["section"].as_str().unwrap().contains("Discussion"), "{h}");
        assert!(h["years"].as_array().unwrap().contains(&Value::from(2007)));
    }
    let hits = json_hits(&["PBDE-47", "--index", idx]);
    assert_eq!(hits[0]["article"], "ehp-116-1694.nxml");
}

/// The first passage under the heading "Background" (the lysis-time fixture's, in JATS or HTML).
fn first_background_passage(article: &Article) -> &Passage {
    let background = article.sections.iter().find(|s| s.heading == "Background");
    &background.unwrap().passages[0]
}

/// The references that the first `n` citations of `passage` cite, in order.
fn cited_by_first(passage: &Passage, n: usize) -> Vec<usize> {
    let citations = passage.citations.iter().take(n);
    citations.flat_map(|c| c.references.clone()).collect()
}

#[test]
fn jats_fixture_front_matter_sections_and_ranges() {
    let article = one(&fixtures().join("bmc-microbiology-lysis-time.nxml"));
    assert_eq!(
        article.title,
        "Factors influencing lysis time stochasticity in bacteriophage λ"
    );
    assert_eq!(article.year, Some(2011));
    assert_eq!(article.authors[0].surname, "Dennehy");
    assert_eq!(article.doi.as_deref(), Some("10.1186/1471-2180-11-174"));
    assert_eq!(article.journal.as_deref(), Some("BMC Microbiology"));
    let headings: Vec<&str> = article
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert!(headings.contains(&"Abstract > Background"), "{headings:?}");
    assert!(headings.contains(&"Background"), "{headings:?}");
    // "[1-9]" is written as two xrefs with a dash between: it cites the nine references.
    let first = first_background_passage(&article);
    assert_eq!(cited_by_first(first, 9), (0..9).collect::<Vec<_>>());
    assert!(first.text.starts_with("Some phenotypic variation arises"));
    assert!(!first.text.contains("  "));
}

#[test]
fn html_fixture_indexes_headings_as_sections() {
    let article = one(&fixtures().join("bmc-microbiology-lysis-time.html"));
    assert!(article.title.starts_with("Factors influencing lysis time"));
    let headings: HashSet<&str> = article
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert!(headings.contains("Background"), "{headings:?}");
    assert!(
        !headings.contains("Related articles"),
        "aside dropped: {headings:?}"
    );
    assert_eq!(article.references.len(), 45);
    assert_eq!(article.references[44].number, Some(45));
    let all_text: String = article.passages().map(|(_, p)| p.text.clone()).collect();
    assert!(
        !all_text.contains("Fake et al")
            && !all_text.contains("Home Articles")
            && !all_text.contains("©")
    );
    assert_eq!(
        cited_by_first(first_background_passage(&article), 9),
        (0..9).collect::<Vec<_>>(),
        "[1-9] resolves by number"
    );
}

#[test]
fn jsonl_fixture_reports_bad_lines_and_indexes_the_rest() {
    let index = tempfile::tempdir().unwrap();
    let idx = index.path().to_str().unwrap();
    let file = fixtures().join("scifact-sample.jsonl");
    let summary = index_into(file.to_str().unwrap(), idx);
    assert!(
        summary.contains("scifact-sample.jsonl: line 3: invalid JSON"),
        "{summary}"
    );
    assert_eq!(articles_in(&summary, "jsonl"), "3", "{summary}");
    let hits = json_hits(&["diffusion", "--index", idx]);
    assert_eq!(hits[0]["article"], "4983");
}

#[test]
fn scifact_corpus_indexes_without_conversion() {
    let Some(corpus) = shared("scifact/corpus.jsonl") else {
        return;
    };
    let ids: HashSet<String> = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let index = tempfile::tempdir().unwrap();
    let idx = index.path().to_str().unwrap();
    let summary = index_into(corpus.to_str().unwrap(), idx);
    assert_eq!(articles_in(&summary, "jsonl"), "5183", "{summary}");
    let hits = json_hits(&["vitamin D deficiency", "--index", idx]);
    assert_eq!(hits.len(), 10);
    assert!(hits
        .iter()
        .all(|h| ids.contains(h["article"].as_str().unwrap())));
}

/// An article that is only a title keeps it as its one passage in every format, as a text file
/// does, so that a word of its title finds it.
#[test]
fn a_title_alone_is_the_passage_in_every_format() {
    use clinsearch::model::Format;
    use clinsearch::parse::parse_str;
    let cases = [
        (
            Format::Jats,
            "<article><front><article-meta><title-group><article-title>Okapi \
             stripes in captivity</article-title></title-group></article-meta></front></article>",
        ),
        (
            Format::Html,
            "<!DOCTYPE html><html><head><title>Okapi stripes in captivity</title></head>\
             <body></body></html>",
        ),
        (
            Format::Html,
            "<html><body><h1>Okapi stripes in captivity</h1></body></html>",
        ),
        (
            Format::Jsonl,
            "{\"_id\": \"o1\", \"title\": \"Okapi stripes in captivity\"}\n",
        ),
        (Format::Markdown, "# Okapi stripes in captivity\n"),
    ];
    for (format, source) in cases {
        let parsed = parse_str(source, format, "okapi", "okapi.x").unwrap();
        let article = &parsed.articles[0];
        assert_eq!(article.title, "Okapi stripes in captivity", "{format:?}");
        let passages: Vec<&str> = article.passages().map(|(_, p)| p.text.as_str()).collect();
        assert_eq!(passages, ["Okapi stripes in captivity"], "{format:?}");
        let sections: Vec<&str> = article
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(sections, ["Title"], "{format:?}");
    }
}

/// Plain text with form feeds is what `pdftotext` writes (one page a form feed): its paragraphs,
/// headings and reference list are rebuilt from the lines, running heads dropped.
#[test]
fn text_extracted_from_a_pdf_is_read_by_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let page = |n: usize, body: &str| {
        format!("Gastroenterology Research and Practice\n{body}\n{n}\n\u{c}")
    };
    let text = [
        page(
            1,
            "Optimal Bowel Preparation for Video Capsule Endoscopy\n\n\
             1. Introduction\n\
             Video capsule endoscopy is useful in investigating the small\n\
             bowel as well as the esophagus, stomach and colon. Bowel\n\
             preparation is recommended to improve visualization [1].\n\
             2. Purgatives\n\
             2.1. Polyethylene Glycol. Polyethylene glycol based regimens\n\
             are the first-line recommendation before small bowel capsule",
        ),
        page(
            2,
            "endoscopy in most of the guidelines published so far [2].\n\
             References\n\
             [1] T. Rokkas, K. Papaxoinis, and S. D. Ladas, “Does purgative\n\
             preparation influence the diagnostic yield?,” American Journal\n\
             of Gastroenterology, vol. 104, pp. 219–227, 2009.\n\
             [2] H. J. Song, J. S. Moon, and J. H. Do, “Guidelines for bowel\n\
             preparation,” Clinical Endoscopy, vol. 46, pp. 147–154, 2013.",
        ),
        page(3, "Table 1: Regimens."),
    ]
    .concat();
    std::fs::write(src.join("bowel.txt"), text).unwrap();
    let idx = dir.path().join("idx");
    index_into(src.to_str().unwrap(), idx.to_str().unwrap());
    let idx = idx.to_str().unwrap();
    let hits = json_hits(&[
        "\"capsule endoscopy in most of the guidelines\"",
        "--index",
        idx,
    ]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!(hit["section"], "2. Purgatives > 2.1. Polyethylene Glycol");
    assert!(hit["text"]
        .as_str()
        .unwrap()
        .starts_with("Polyethylene glycol based regimens are the first-line recommendation"));
    assert_eq!(hit["years"], serde_json::json!([2013]), "{hit}");
    assert!(
        !hit["cites"][0]["raw"].as_str().unwrap().contains("Table"),
        "{hit}"
    );
    // The running head is not text of any passage: no hits (exit code 1).
    let running_head = run(&["search", "\"Research and Practice\"", "--index", idx]);
    assert_eq!(running_head.status.code(), Some(1), "{running_head:?}");
}
