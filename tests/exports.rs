//! Literature-search exports (PubMed XML, MEDLINE, RIS, BibTeX, EndNote XML): fixtures in
//! tests/fixtures/exports/ (see tests/fixtures/README.md) and, when present, the real exports in
//! ../shared/data/exports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use clinsearch::index::{update_index, IndexOptions};
use clinsearch::parse::read_file;
use clinsearch::search::{Request, Searcher};
use serde_json::Value;

mod common;
use common::shared_data as shared;
use common::{clinsearch as run, index_into};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports")
}

fn stdout(out: Output) -> String {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn hits(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    stdout(run(&all))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn articles_in(summary: &str, format: &str) -> usize {
    summary
        .lines()
        .find(|l| l.starts_with(&format!("  {format} ")))
        .unwrap_or_else(|| panic!("no {format} row in\n{summary}"))
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

/// Twelve words from the middle of the longest abstract passage of every `every`th article of
/// `file`: the run of twelve plain words (letters only, punctuation around them aside) that starts
/// nearest the middle; (article id, phrase).
fn middle_phrases(file: &Path, id: &str, every: usize) -> Vec<(String, String)> {
    let parsed = read_file(file, id).unwrap();
    parsed
        .articles
        .iter()
        .step_by(every)
        .filter_map(|a| {
            let (_, p) = a
                .passages()
                .filter(|(s, _)| s.heading.starts_with("Abstract"))
                .max_by_key(|(_, p)| p.text.len())?;
            let words: Vec<Option<&str>> = p
                .text
                .split_whitespace()
                .map(|w| {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                    (!w.is_empty() && w.chars().all(char::is_alphabetic)).then_some(w)
                })
                .collect();
            let mid = words.len() / 2;
            let start = (0..words.len().saturating_sub(12))
                .filter(|&i| words[i..i + 12].iter().all(Option::is_some))
                .min_by_key(|&i| i.abs_diff(mid))?;
            let phrase: Vec<&str> = words[start..start + 12].iter().flatten().copied().collect();
            Some((a.id.clone(), phrase.join(" ")))
        })
        .collect()
}

#[test]
fn fixtures_index_one_article_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let summary = stdout(index_into(&fixtures(), &idx, &[]));
    for (format, n) in [
        ("pubmed", 5),
        ("medline", 10),
        ("ris", 2),
        ("bibtex", 6),
        ("endnote", 5),
    ] {
        assert_eq!(articles_in(&summary, format), n, "{format}\n{summary}");
    }
    let idx = idx.to_str().unwrap();
    // A phrase from the middle of an abstract finds its record first, with its PMID.
    let file = fixtures().join("pubmed-29768149.xml");
    let (id, phrase) = middle_phrases(&file, "pubmed-29768149.xml", 1).remove(0);
    let found = hits(&[&format!("\"{phrase}\""), "--index", idx, "-n", "1"]);
    assert_eq!(found[0]["article"], id.as_str());
    assert_eq!(found[0]["pmid"], "29768149");
    assert_eq!(found[0]["published"], 2018);
    // --published keeps only articles of those years; --year keeps its meaning (cited years).
    let all = hits(&["--published", "1900..2100", "--index", idx, "-n", "1000"]);
    let some = hits(&["--published", "2015..2019", "--index", idx, "-n", "1000"]);
    assert!(!some.is_empty() && some.len() < all.len());
    assert!(some
        .iter()
        .all(|h| (2015..=2019).contains(&h["published"].as_u64().unwrap())));
}

const MEDLINE: &str = "PMID- 11890621\nDP  - 2002 Jan\nTI  - Cyclic neutropenia and \
pyomyositis: a rare cause of overwhelming sepsis.\nAB  - Primary pyomyositis is a pyogenic \
infection of skeletal muscle.\nLID - 10.1308/003588402760978166 [doi]\n";
const RIS: &str = "TY  - JOUR\r\nTI  - Cyclic neutropenia and pyomyositis: a rare cause of \
overwhelming sepsis\r\nAB  - Primary pyomyositis is a pyogenic infection of skeletal muscle.\r\n\
PY  - 2002\r\nDO  - 10.1308/003588402760978166\r\nER  - \r\nTY  - JOUR\r\nPY  - 2001\r\nAU  - Nobody, N.\r\nER  - \r\n";

#[test]
fn the_same_work_in_two_exports_is_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("pubmed.nbib"), MEDLINE).unwrap();
    std::fs::write(src.join("scopus.ris"), RIS).unwrap();
    let idx = dir.path().join("idx");
    let out = index_into(&src, &idx, &["-v"]);
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("1 duplicate record merged"), "{summary}");
    assert!(summary.contains("duplicates"), "-v lists it: {summary}");
    // The RIS record without title or abstract is skipped, named by its line.
    assert!(
        summary.contains("line 7: record 2 has no title and no abstract"),
        "{summary}"
    );
    let found = hits(&["pyomyositis", "--index", idx.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:?}");
    // `stats` counts the work once in the publication years.
    let stats: Value = serde_json::from_str(&stdout(run(&[
        "stats",
        "--index",
        idx.to_str().unwrap(),
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        stats["published_years"],
        serde_json::json!([{"year": 2002, "articles": 1}])
    );
    // The record kept is the one of the file first in path order, on every run.
    assert_eq!(found[0]["article"], "pubmed.nbib:1");
    assert!(
        summary.contains("scopus.ris:1 duplicates pubmed.nbib:1 (same doi)"),
        "{summary}"
    );
    // A second run that adds a third export merges against what is indexed.
    std::fs::write(
        src.join("again.ris"),
        "TY  - JOUR\nTI  - CYCLIC NEUTROPENIA & PYOMYOSITIS\nDO  - https://doi.org/10.1308/003588402760978166\nER  -\n",
    )
    .unwrap();
    let summary = stdout(index_into(&src, &idx, &[]));
    assert!(summary.contains("1 duplicate record merged"), "{summary}");
}

/// A record added before its better duplicate arrives is deleted, and its segment rewritten, so
/// that BM25's statistics (which count deleted documents) do not depend on which thread read
/// which file first.
#[test]
fn a_record_replaced_by_its_duplicate_leaves_no_deleted_document() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    // Read first (one thread, path order), but without the abstract that makes the second win.
    std::fs::write(
        src.join("a.ris"),
        "TY  - JOUR\nTI  - Cyclic neutropenia and pyomyositis: a rare cause of overwhelming \
         sepsis\nPY  - 2002\nDO  - 10.1308/003588402760978166\nER  - \n",
    )
    .unwrap();
    std::fs::write(src.join("b.nbib"), MEDLINE).unwrap();
    let idx = dir.path().join("idx");
    let options = IndexOptions {
        threads: 1,
        ..IndexOptions::default()
    };
    let summary = update_index(std::slice::from_ref(&src), &idx, options).unwrap();
    assert_eq!(summary.merged.values().sum::<usize>(), 1, "{summary:?}");
    let index = tantivy::Index::open_in_dir(&idx).unwrap();
    let metas = index.searchable_segment_metas().unwrap();
    let deleted: u32 = metas.iter().map(|m| m.num_deleted_docs()).sum();
    assert_eq!(deleted, 0, "{metas:?}");
    let found = hits(&["pyomyositis", "--index", idx.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["article"], "b.nbib:1");
}

#[test]
fn delete_citation_removes_pmids() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let citation = |pmid: u32, title: &str| {
        format!(
            "<PubmedArticle><MedlineCitation><PMID Version=\"1\">{pmid}</PMID><Article>\
             <ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        )
    };
    std::fs::write(
        src.join("pubmed26n0001.xml"),
        format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet>{}{}</PubmedArticleSet>\n",
            citation(111, "Zebrafish ketamine one"),
            citation(222, "Zebrafish ketamine two")
        ),
    )
    .unwrap();
    std::fs::write(
        src.join("pubmed26n0002.xml"),
        "<?xml version=\"1.0\"?>\n<PubmedArticleSet><DeleteCitation><PMID Version=\"1\">111</PMID>\
         </DeleteCitation></PubmedArticleSet>\n",
    )
    .unwrap();
    let idx = dir.path().join("idx");
    let summary = stdout(index_into(&src, &idx, &[]));
    assert!(summary.contains("1 PMID deleted"), "{summary}");
    let found = hits(&["zebrafish", "--index", idx.to_str().unwrap()]);
    let pmids: Vec<&str> = found.iter().map(|h| h["pmid"].as_str().unwrap()).collect();
    assert_eq!(pmids, ["222"]);
    // The baseline indexed again does not bring the deleted citation back.
    std::fs::write(
        src.join("pubmed26n0001.xml"),
        format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet>{}{}</PubmedArticleSet>\n",
            citation(111, "Zebrafish ketamine one, revised"),
            citation(222, "Zebrafish ketamine two")
        ),
    )
    .unwrap();
    stdout(index_into(&src, &idx, &[]));
    let found = hits(&["zebrafish", "--index", idx.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:?}");
}

/// Record counts of SOURCES.md for the files present, per format.
fn expected_counts(root: &Path) -> BTreeMap<&'static str, usize> {
    let sources = std::fs::read_to_string(root.join("SOURCES.md")).unwrap();
    let mut out = BTreeMap::new();
    let mut format = None;
    for line in sources.lines() {
        if let Some(section) = line.strip_prefix("## ") {
            format = match section.trim() {
                "pubmed_xml" => Some(("pubmed_xml", "pubmed")),
                "medline_nbib" => Some(("medline_nbib", "medline")),
                "ris" => Some(("ris", "ris")),
                "bibtex" => Some(("bibtex", "bibtex")),
                "endnote_xml" => Some(("endnote_xml", "endnote")),
                _ => None,
            };
            continue;
        }
        let Some((folder, name)) = format else {
            continue;
        };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || cells[1] == "file" || cells[1].starts_with("---") {
            continue;
        }
        if cells[2].contains("NOT RIS") || !root.join(folder).join(cells[1]).exists() {
            continue;
        }
        let records: usize = cells[3]
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .unwrap()
            .parse()
            .unwrap();
        *out.entry(name).or_default() += records;
    }
    out
}

#[test]
fn real_exports_give_one_article_per_record() {
    let Some(root) = shared("exports") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let summary = update_index(std::slice::from_ref(&root), &idx, IndexOptions::default()).unwrap();
    let expected = expected_counts(&root);
    assert_eq!(expected.len(), 5, "{expected:?}");
    for (format, records) in &expected {
        let articles = summary.formats.get(format).map_or(0, |c| c.articles);
        let merged = summary.merged_formats.get(format).copied().unwrap_or(0);
        assert_eq!(
            articles + merged,
            *records,
            "{format}: {articles} articles + {merged} merged"
        );
    }
    // A phrase from the middle of an abstract finds its record (or the one it was merged into)
    // first; every fifth record of every export with an abstract is tried.
    // (each merged record names the article kept in its place)
    let merged_into: BTreeMap<String, String> = summary
        .duplicates
        .iter()
        .filter_map(|d| {
            let (id, rest) = d.reason.split_once(" duplicates ")?;
            Some((id.to_string(), rest.split(' ').next()?.to_string()))
        })
        .collect();
    let searcher = Searcher::open(&idx).unwrap();
    // The Zotero sample library (zotero/papis-zotero_resources_sql): 5 journal articles, 4 with
    // a PDF attachment. The PDFs are placeholders of one sentence, so Zotero's own extracted
    // text (.zotero-ft-cache) is their full text, found under the title the database gives.
    let zotero = summary.formats["zotero"];
    assert_eq!(zotero.articles, 5, "{:?}", summary.formats);
    assert!(zotero.passages > 100, "{zotero:?}");
    let request = Request {
        query: Some("\"To the memory of Lars Hörmander\"".into()),
        ..Request::default()
    };
    let hits = searcher.search(&request).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert!(hits[0]
        .title
        .starts_with("Fractional Laplacians on domains"));
    let (mut tried, mut missed, mut other_version, mut shared) = (0, Vec::new(), 0, 0);
    for folder in ["pubmed_xml", "medline_nbib", "ris", "bibtex", "endnote_xml"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let id = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            if id.contains("NOT_RIS") {
                continue;
            }
            for (article, phrase) in middle_phrases(&path, &id, 5) {
                tried += 1;
                let request = Request {
                    query: Some(format!("\"{phrase}\"")),
                    limit: 10,
                    ..Request::default()
                };
                let hits = searcher.search(&request).unwrap().hits;
                let want = merged_into.get(&article).unwrap_or(&article);
                let plain = |t: &str| {
                    let t: String = t.chars().filter(|c| c.is_alphabetic()).collect();
                    t.to_lowercase()
                };
                // Another record with the same twelve words (a shared report, a test file's
                // copies) may come first; the record must then be among the hits.
                let shared_phrase = hits.first().is_some_and(|h| {
                    &h.article != want && plain(&h.text).contains(&plain(&phrase))
                }) && hits.iter().any(|h| &h.article == want);
                match (hits.first(), merged_into.get(&article)) {
                    (Some(hit), _) if &hit.article == want => {}
                    _ if shared_phrase => shared += 1,
                    // Merged into a record whose database gives another version of the abstract.
                    (None, Some(_)) => other_version += 1,
                    _ => missed.push((article, phrase)),
                }
            }
        }
    }
    assert!(tried > 500, "{tried}");
    assert!(other_version * 100 < tried, "{other_version} of {tried}");
    assert!(shared * 100 < tried, "{shared} of {tried}");
    eprintln!(
        "{tried} phrases: {} first, {shared} after a record with the same words, \
         {other_version} merged into another version of the abstract",
        tried - shared - other_version - missed.len()
    );
    assert!(
        missed.is_empty(),
        "{} of {tried} missed: {missed:?}",
        missed.len()
    );
}

/// Zotero's extracted text of the sample library's four math papers (blank lines after most
/// lines, equations in fragments) reads as paragraphs under their numbered headings, with
/// reference lists whose citations resolve: before, every line was a passage of its own and
/// no reference was found.
#[test]
fn zotero_extracted_text_reads_as_paragraphs_headings_and_references() {
    let Some(library) = shared("exports/zotero/papis-zotero_resources_sql") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let summary = update_index(&[library], &idx, IndexOptions::default()).unwrap();
    let zotero = summary.formats["zotero"];
    assert!(zotero.passages < 1000, "{zotero:?}");
    assert!(zotero.references > 100, "{zotero:?}");
    assert!(zotero.resolved > 100, "{zotero:?}");
    let searcher = Searcher::open(&idx).unwrap();
    // A sentence that runs on across a blank line is one passage.
    let request = Request {
        query: Some("\"anisotropic variants as introduced in\"".into()),
        ..Request::default()
    };
    let hits = searcher.search(&request).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].section,
        "1. Function spaces > 1.1. Lp-Sobolev spaces"
    );
    // Passages are paragraphs, not lines: most hold a sentence or more.
    let request = Request {
        query: Some("transform".into()),
        section: Some("Spherical Harmonic Transform".into()),
        limit: 50,
        ..Request::default()
    };
    let hits = searcher.search(&request).unwrap().hits;
    assert!(hits.len() >= 3, "{}", hits.len());
    let long = hits
        .iter()
        .filter(|h| h.text.split_whitespace().count() >= 20)
        .count();
    assert!(long * 10 >= hits.len() * 8, "{long} of {}", hits.len());
}

/// A small Zotero data directory: the tables of Zotero's schema the reader uses, and storage/.
/// Items: an article with an HTML snapshot (and a PMID in "Extra"), one whose PDF does not read
/// but whose text Zotero extracted, one in the trash, a note, and one without attachment.
fn zotero_library(dir: &Path) {
    std::fs::create_dir_all(dir.join("storage")).unwrap();
    let db = rusqlite::Connection::open(dir.join("zotero.sqlite")).unwrap();
    db.execute_batch(
        "CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT);
         CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT, libraryID INT, key TEXT);
         CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT);
         CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value);
         CREATE TABLE itemData (itemID INT, fieldID INT, valueID INT);
         CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
             fieldMode INT);
         CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
         CREATE TABLE itemCreators (itemID INT, creatorID INT, creatorTypeID INT, orderIndex INT);
         CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT,
             linkMode INT, contentType TEXT, path TEXT);
         CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY);
         CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT);
         CREATE TABLE itemTags (itemID INT, tagID INT, type INT);
         INSERT INTO itemTypes VALUES (1, 'journalArticle'), (2, 'attachment'), (3, 'note');
         INSERT INTO fields VALUES (1, 'title'), (2, 'abstractNote'), (3, 'date'),
             (4, 'publicationTitle'), (5, 'DOI'), (6, 'extra');
         INSERT INTO creatorTypes VALUES (8, 'author'), (10, 'editor');
         INSERT INTO creators VALUES (1, 'Ronald S.', 'Duman', 0), (2, '', 'WHO', 1);
         INSERT INTO tags VALUES (1, 'Ketamine');
         INSERT INTO items VALUES (1, 1, 1, 'AAAA1111'), (2, 2, 1, 'SNAP2222'),
             (3, 1, 1, 'BBBB3333'), (4, 2, 1, 'PDFS4444'), (5, 1, 1, 'TRSH5555'),
             (6, 3, 1, 'NOTE6666'), (7, 1, 1, 'BARE7777');
         INSERT INTO itemAttachments VALUES (2, 1, 1, 'text/html', 'storage:snapshot.html'),
             (4, 3, 0, 'application/pdf', 'storage:paper.pdf');
         INSERT INTO deletedItems VALUES (5);
         INSERT INTO itemDataValues VALUES
             (1, 'Ketamine and the prefrontal synapse'),
             (2, 'Ketamine restores synapses within hours in chronic stress.'),
             (3, '2019-03-00 03/2019'), (4, 'Nature Medicine'), (5, '10.1000/keta.1'),
             (6, 'PMID: 30886405'), (7, 'Lithium in bipolar disorder'), (8, '2014'),
             (9, 'Trashed zebrafish study'), (10, 'Psilocybin without attachment'),
             (11, 'Psilocybin eased depressive symptoms in a small open trial.');
         INSERT INTO itemData VALUES (1, 1, 1), (1, 2, 2), (1, 3, 3), (1, 4, 4), (1, 5, 5),
             (1, 6, 6), (3, 1, 7), (3, 3, 8), (5, 1, 9), (7, 1, 10), (7, 2, 11);
         INSERT INTO itemCreators VALUES (1, 1, 8, 0), (1, 2, 10, 1), (3, 2, 8, 0);
         INSERT INTO itemTags VALUES (1, 1, 0);",
    )
    .unwrap();
    let snapshot = dir.join("storage/SNAP2222");
    std::fs::create_dir_all(&snapshot).unwrap();
    std::fs::write(
        snapshot.join("snapshot.html"),
        "<html><head><title>Page</title></head><body><h1>Ketamine</h1>\
         <p>Spine density in the medial prefrontal cortex recovered after one dose.</p>\
         </body></html>",
    )
    .unwrap();
    let pdf = dir.join("storage/PDFS4444");
    std::fs::create_dir_all(&pdf).unwrap();
    std::fs::write(pdf.join("paper.pdf"), "%PDF-1.5\nbroken").unwrap();
    std::fs::write(
        pdf.join(".zotero-ft-cache"),
        "Lithium in bipolar disorder\n\nSerum levels were monitored every three months in all \
         outpatients.\n",
    )
    .unwrap();
}

#[test]
fn a_zotero_library_gives_one_article_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("src/Zotero");
    zotero_library(&library);
    let idx = dir.path().join("idx");
    let src = dir.path().join("src");
    let summary = stdout(index_into(&src, &idx, &[]));
    // Three items: the trashed one, the note and the attachments are no articles of their own.
    assert_eq!(articles_in(&summary, "zotero"), 3, "{summary}");
    assert!(!summary.contains("  html "), "{summary}");
    let idx = idx.to_str().unwrap();
    // Metadata from the database, full text from the snapshot.
    let found = hits(&["\"spine density\"", "--index", idx]);
    assert_eq!(found.len(), 1, "{found:?}");
    let hit = &found[0];
    assert_eq!(hit["article"], "Zotero/zotero.sqlite:AAAA1111");
    assert_eq!(hit["title"], "Ketamine and the prefrontal synapse");
    assert_eq!(hit["pmid"], "30886405");
    assert_eq!(hit["published"], 2019);
    assert_eq!(hits(&["\"restores synapses\"", "--index", idx]).len(), 1);
    // The PDF does not read: Zotero's extracted text stands in, and the summary says so.
    assert!(summary.contains("PDFS4444/paper.pdf"), "{summary}");
    let found = hits(&["\"serum levels were monitored\"", "--index", idx]);
    assert_eq!(found[0]["title"], "Lithium in bipolar disorder");
    assert!(hits(&["zebrafish", "--index", idx]).is_empty());
    assert_eq!(hits(&["psilocybin", "--index", idx]).len(), 1);
    // An attachment that changes is noticed: the library is read again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        library.join("storage/SNAP2222/snapshot.html"),
        "<html><body><p>Dendritic arbors regrew within a day.</p></body></html>",
    )
    .unwrap();
    let summary = stdout(index_into(&src, Path::new(idx), &[]));
    assert!(summary.contains("1 updated"), "{summary}");
    assert!(hits(&["\"spine density\"", "--index", idx]).is_empty());
    assert_eq!(hits(&["\"dendritic arbors\"", "--index", idx]).len(), 1);
    // Without the database, storage/ is a folder of files like any other.
    let idx2 = dir.path().join("idx2");
    let storage = library.join("storage");
    let summary = stdout(index_into(&storage, &idx2, &[]));
    assert_eq!(articles_in(&summary, "html"), 1, "{summary}");
}

/// `clinsearch index SRC --index IDX` with `home` as the home folder (where Zotero's profiles are).
fn index_with_home(src: &Path, idx: &Path, home: &Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args([
            "index",
            src.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ])
        .env("HOME", home)
        .env_remove("APPDATA")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    stdout(out)
}

#[test]
fn zotero_files_linked_relative_to_the_base_directory_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("src/Zotero");
    zotero_library(&library);
    // Item 7 gets a file linked relative to the base directory (ZotFile's way of keeping PDFs
    // in a synced folder), item 1 a linked PDF that is gone (its snapshot is read instead).
    let db = rusqlite::Connection::open(library.join("zotero.sqlite")).unwrap();
    db.execute_batch(
        "INSERT INTO items VALUES (8, 2, 1, 'LINK8888'), (9, 2, 1, 'GONE9999');
         INSERT INTO itemAttachments VALUES (8, 7, 2, 'text/html', 'attachments:Psych/trial.html'),
             (9, 1, 2, 'application/pdf', '/nonexistent/ketamine.pdf');",
    )
    .unwrap();
    drop(db);
    let papers = dir.path().join("Dropbox Papers");
    std::fs::create_dir_all(papers.join("Psych")).unwrap();
    std::fs::write(
        papers.join("Psych/trial.html"),
        "<html><body><p>Mystical experience scores predicted the response at five weeks.</p>\
         </body></html>",
    )
    .unwrap();
    let home = dir.path().join("home");
    let profile = home.join(".zotero/zotero/x1y2z3.default");
    std::fs::create_dir_all(&profile).unwrap();
    let js = |s: &Path| s.to_str().unwrap().replace('\\', "\\\\");
    std::fs::write(
        profile.join("prefs.js"),
        format!(
            "user_pref(\"extensions.zotero.baseAttachmentPath\", \"{}\");\n\
             user_pref(\"extensions.zotero.dataDir\", \"{}\");\n",
            js(&papers),
            js(&library)
        ),
    )
    .unwrap();
    let src = dir.path().join("src");
    let idx = dir.path().join("idx");
    let summary = index_with_home(&src, &idx, &home);
    assert!(
        summary.contains("/nonexistent/ketamine.pdf not found"),
        "{summary}"
    );
    let found = hits(&["\"mystical experience\"", "--index", idx.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{summary}");
    assert_eq!(found[0]["title"], "Psilocybin without attachment");
    // A linked file that changes is noticed: the library is read again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        papers.join("Psych/trial.html"),
        "<html><body><p>Default mode network connectivity fell after the session.</p>\
         </body></html>",
    )
    .unwrap();
    let summary = index_with_home(&src, &idx, &home);
    assert!(summary.contains("1 updated"), "{summary}");
    let idx_str = idx.to_str().unwrap();
    assert!(hits(&["\"mystical experience\"", "--index", idx_str]).is_empty());
    assert_eq!(hits(&["\"default mode\"", "--index", idx_str]).len(), 1);
    // Without a profile that names the base directory, the summary says what is missing.
    let idx2 = dir.path().join("idx2");
    let summary = index_with_home(&src, &idx2, dir.path());
    assert!(
        summary.contains("relative to Zotero's base directory for linked files"),
        "{summary}"
    );
    assert!(hits(&["\"mystical experience\"", "--index", idx2.to_str().unwrap()]).is_empty());
}

#[test]
fn a_zotero_4_database_is_named_and_the_rest_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("src/Zotero");
    std::fs::create_dir_all(&library).unwrap();
    // Zotero 4's attachments named their parent `sourceItemID` and their type `mimeType`.
    let db = rusqlite::Connection::open(library.join("zotero.sqlite")).unwrap();
    db.execute_batch(
        "CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT, key TEXT);
         CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, sourceItemID INT,
             linkMode INT, mimeType TEXT, path TEXT);",
    )
    .unwrap();
    drop(db);
    std::fs::write(
        dir.path().join("src/note.md"),
        "# Lithium levels\n\nSerum lithium was measured every three months.\n",
    )
    .unwrap();
    let idx = dir.path().join("idx");
    let summary = stdout(index_into(&dir.path().join("src"), &idx, &[]));
    assert!(summary.contains("older than Zotero 5"), "{summary}");
    assert_eq!(
        hits(&["\"serum lithium\"", "--index", idx.to_str().unwrap()]).len(),
        1
    );
}
