//! `clinsearch export --quickwit`: the index config and NDJSON documents of a small index, checked
//! against the index itself — every pre-analysed field holds exactly the terms, term counts and
//! document frequencies the index holds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use clinsearch::export::{self, CONFIG_FILE};
use clinsearch::index::build_index;
use clinsearch::index::schema::{text_analyzer, tokens};
use clinsearch::search::Searcher;
use serde_json::Value;
use tantivy::Term;

/// The bundled article (sections, citations, references, abbreviations) and a PubMed record
/// (MeSH headings, authors, publication year).
fn small_index(root: &Path) -> std::path::PathBuf {
    let files = root.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [
        "corpus/ketamine-standalone-vs-psychotherapy.txt",
        "tests/fixtures/exports/pubmed-29768149.xml",
    ] {
        let src = here.join(src);
        std::fs::copy(&src, files.join(src.file_name().unwrap())).unwrap();
    }
    let index = root.join("index");
    build_index(&[files], &index).unwrap();
    index
}

/// The standard output of the binary run with `args`, which must succeed.
fn clinsearch_ok(args: &[&std::ffi::OsStr]) -> String {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{args:?}: {err}");
    String::from_utf8(run.stdout).unwrap()
}

fn read_lines(dir: &Path) -> Vec<serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    files.sort();
    for file in files {
        for (i, line) in std::fs::read_to_string(&file).unwrap().lines().enumerate() {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), i + 1));
            out.push(value.as_object().expect("a JSON object per line").clone());
        }
    }
    out
}

#[test]
fn export_holds_the_terms_the_index_holds() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let out = dir.path().join("qw");
    let searcher = Searcher::open(&index).unwrap();
    let done = export::quickwit(searcher.index(), &out, "clin-test").unwrap();
    let docs = read_lines(&out);
    let tantivy = searcher.index().reader().unwrap().searcher();
    assert_eq!(docs.len() as u64, tantivy.num_docs());
    assert_eq!(done.documents, tantivy.num_docs());

    // The config: valid JSON, strict mode, and a mapping for every field a document has.
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(CONFIG_FILE)).unwrap()).unwrap();
    assert_eq!(config["index_id"], "clin-test");
    assert_eq!(config["doc_mapping"]["mode"], "strict");
    let mappings: HashMap<String, Value> = config["doc_mapping"]["field_mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m.clone()))
        .collect();
    let mut seen = HashSet::new();
    for doc in &docs {
        for key in doc.keys() {
            assert!(mappings.contains_key(key), "no mapping for field {key}");
            seen.insert(key.clone());
        }
        for key in ["id", "article", "kind", "ordinal", "body", "title_raw"] {
            assert!(doc.contains_key(key), "{key} missing in {doc:?}");
        }
    }
    // Every kind of field occurs on this corpus: cited years and authors, references, subject
    // terms, abbreviation expansions, the article's own year and authors.
    for key in [
        "text",
        "entry",
        "keyword",
        "expansion",
        "year",
        "article_year",
        "author",
        "author_raw",
        "article_author",
        "section_raw",
        "cites",
        "pmid",
    ] {
        assert!(seen.contains(key), "no document has {key}");
    }

    // Pre-analysed fields: whitespace-split, every field's term counts and document frequencies
    // equal the index's, and its total token count equals the index's (BM25's field length).
    let schema = searcher.index().schema();
    for name in [
        "text",
        "entry",
        "title",
        "section",
        "author",
        "article_author",
        "keyword",
        "expansion",
    ] {
        assert_eq!(mappings[name]["tokenizer"], "whitespace", "{name}");
        let field = schema.get_field(name).unwrap();
        let mut doc_freq: BTreeMap<&str, u64> = BTreeMap::new();
        let mut total = 0u64;
        for doc in &docs {
            let Some(text) = doc.get(name).and_then(Value::as_str) else {
                continue;
            };
            let words: Vec<&str> = text.split(' ').collect();
            assert!(words.iter().all(|w| !w.is_empty()), "{name}: {text:?}");
            total += words.len() as u64;
            for w in words.into_iter().collect::<HashSet<_>>() {
                *doc_freq.entry(w).or_default() += 1;
            }
        }
        let indexed: u64 = tantivy
            .segment_readers()
            .iter()
            .map(|s| s.inverted_index(field).unwrap().total_num_tokens())
            .sum();
        assert_eq!(total, indexed, "{name}: tokens exported vs indexed");
        assert!(total > 0, "{name}: nothing exported");
        for (word, n) in &doc_freq {
            let df = tantivy
                .doc_freq(&Term::from_field_text(field, word))
                .unwrap();
            assert_eq!(*n, df, "{name}: document frequency of {word:?}");
        }
    }

    // A passage's text is its title, heading and paragraph through clinsearch's analysis.
    let nmda = docs
        .iter()
        .find(|d| {
            d.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains("N-methyl-D-aspartate (NMDA)"))
        })
        .expect("the NMDA passage");
    let text = nmda["text"].as_str().unwrap();
    assert!(
        text.contains("nmethyldaspart n methyl d aspart nmda receptor"),
        "{text}"
    );
    let expected = tokens(
        &mut text_analyzer(),
        &format!(
            "{}\n{}\n{}",
            nmda["title_raw"].as_str().unwrap(),
            nmda["section_raw"][0].as_str().unwrap_or(""),
            nmda["body"].as_str().unwrap()
        ),
    );
    assert_eq!(text.split(' ').collect::<Vec<_>>(), expected);
    assert!(nmda["year"].as_array().is_some_and(|y| !y.is_empty()));
}

#[test]
fn the_command_line_exports_and_replaces_an_earlier_export() {
    let dir = tempfile::tempdir().unwrap();
    let index = small_index(dir.path());
    let out = dir.path().join("qw");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("documents-00007.ndjson"), "stale\n").unwrap();
    let said = clinsearch_ok(&[
        "export".as_ref(),
        "--quickwit".as_ref(),
        out.as_os_str(),
        "--index".as_ref(),
        index.as_os_str(),
    ]);
    assert!(said.starts_with("exported "), "{said}");
    assert!(!out.join("documents-00007.ndjson").exists());
    assert!(out.join("documents-00000.ndjson").exists());
    assert!(!read_lines(&out).is_empty());
}

#[test]
fn analyze_prints_the_terms_an_export_holds() {
    let said = clinsearch_ok(&[
        "export".as_ref(),
        "--analyze".as_ref(),
        "Treatment-resistant tumours, TNF-α".as_ref(),
    ]);
    let expected = tokens(&mut text_analyzer(), "Treatment-resistant tumours, TNF-α").join(" ");
    assert_eq!(said.trim_end(), expected);
    assert!(
        expected.contains("tumor") && expected.contains("tnfalpha"),
        "{expected}"
    );
}
