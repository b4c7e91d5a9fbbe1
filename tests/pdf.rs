//! PDFs end to end: a text PDF made here is indexed and searched with its sections, cited years
//! and references; bad files (image only, encrypted, truncated, empty) are skipped with their
//! reasons while an owner-password-only file is read. With ../shared/data/pdf present, every
//! article there is indexed.

mod common;

use std::path::Path;

use common::clinsearch;

use lopdf::encryption::crypt_filters::{Aes128CryptFilter, CryptFilter};
use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
use lopdf::{dictionary, Document, Object, Stream};

fn pdf_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A PDF document whose pages hold lines of (font, size, text), top to bottom.
fn document(pages: &[Vec<(&str, f32, &str)>]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let regular = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let bold = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = String::from("BT\n");
        let mut y = 740.0;
        for (font, size, text) in lines {
            y -= size * 1.3;
            content.push_str(&format!(
                "/{font} {size} Tf 1 0 0 1 72 {y} Tm ({}) Tj\n",
                pdf_string(text)
            ));
        }
        content.push_str("ET\n");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } },
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save PDF");
    bytes
}

/// A short single-column article: title, abstract, a section citing [1] and [2], references.
fn article() -> Document {
    article_with("Received: 4 January 2021 Published: 3 March 2021 doi:10.5555/ket.2021.3")
}

/// [`article`] with the line of dates `dates` under the authors.
fn article_with(dates: &str) -> Document {
    let body = [
        "Ketamine was given to forty patients with treatment-resistant depression in a",
        "randomised trial [1]. Dissociation was rated after each infusion, as in earlier",
        "work on the core outcome set of the field [2]. Response was defined in advance.",
    ];
    let mut page = front_page(Some(dates));
    page.push(("F2", 12.0, "1. Methods"));
    page.extend(body.iter().map(|l| ("F1", 10.0, *l)));
    page.extend([
        ("F2", 12.0, "References"),
        (
            "F1",
            10.0,
            "1. Smith A, Jones B. Ketamine in depression. J Psychiatr Res. 2019;12:1-5.",
        ),
        (
            "F1",
            10.0,
            "2. Young C. A core outcome set for depression trials. Trials. 2016;17:44. doi:10.1016/j.x.1",
        ),
    ]);
    document(&[page])
}

/// The lines of a first page: title, authors, the line of dates `dates` when given, abstract.
fn front_page(dates: Option<&str>) -> Vec<(&'static str, f32, &str)> {
    let mut page = vec![
        ("F2", 20.0, "Ketamine infusions for resistant depression"),
        ("F1", 12.0, "Ann Smith, Bob Jones and Carl Young"),
    ];
    page.extend(dates.map(|d| ("F1", 8.0, d)));
    page.extend([
        ("F2", 10.0, "Abstract"),
        (
            "F1",
            10.0,
            "We report a trial of ketamine infusions in resistant depression and the",
        ),
        (
            "F1",
            10.0,
            "dissociative effects that followed, with the outcome measures used.",
        ),
    ]);
    page
}

/// `clinsearch index INPUT --index IDX EXTRA...`: its stdout and stderr.
fn index(input: &Path, idx: &Path, extra: &[&str]) -> (String, String) {
    let out = common::index_into(input, idx, extra);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_text_pdf_is_searchable_with_sections_and_cited_years() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/trial.pdf"), save(article())).unwrap();
    let (stdout, stderr) = index(&dir.path().join("in"), &dir.path().join("idx"), &[]);
    assert!(stdout.contains("pdf"), "{stdout}\n{stderr}");
    assert!(!stderr.contains("skipped"), "{stderr}");
    let idx = dir.path().join("idx");
    let idx = idx.to_str().unwrap();
    let out = clinsearch(&[
        "search",
        "dissociation",
        "--index",
        idx,
        "--json",
        "--year",
        "2019",
    ]);
    let hits = String::from_utf8_lossy(&out.stdout);
    assert!(hits.contains("\"section\":\"1. Methods\""), "{hits}");
    assert!(
        hits.contains("Ketamine infusions for resistant depression"),
        "{hits}"
    );
    assert!(hits.contains("\"years\":[2016,2019]"), "{hits}");
    // The year of publication, from the front matter's date, and its DOI, not a reference's.
    assert!(hits.contains("\"published\":2021"), "{hits}");
    assert!(hits.contains("\"doi\":\"10.5555/ket.2021.3\""), "{hits}");
    std::fs::write(
        dir.path().join("in/trial.pdf"),
        save(article_with("Published: 3 March 2021")),
    )
    .unwrap();
    index(&dir.path().join("in"), &dir.path().join("idx"), &[]);
    let out = clinsearch(&["search", "dissociation", "--index", idx, "--json"]);
    let hits = String::from_utf8_lossy(&out.stdout);
    assert!(hits.contains("\"published\":2021"), "{hits}");
    assert!(!hits.contains("\"doi\":\"10."), "{hits}");
    let out = clinsearch(&[
        "search",
        "outcome measures",
        "--index",
        idx,
        "--section",
        "abstract",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = clinsearch(&[
        "search",
        "--kind",
        "reference",
        "--author",
        "Young",
        "--index",
        idx,
        "--json",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"year\":2016"));
}

#[test]
fn a_hit_names_the_page_its_passage_starts_on() {
    let first = front_page(None);
    let second: Vec<(&str, f32, &str)> = vec![
        ("F2", 12.0, "1. Methods"),
        (
            "F1",
            10.0,
            "Forty patients with treatment-resistant depression were randomised, and",
        ),
        (
            "F1",
            10.0,
            "dissociation was rated after each infusion with a standard scale.",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let pdf = save(document(&[first, second]));
    std::fs::write(dir.path().join("in/trial.pdf"), pdf).unwrap();
    index(&dir.path().join("in"), &dir.path().join("idx"), &[]);
    let idx = dir.path().join("idx");
    let idx = idx.to_str().unwrap();
    let hits: Vec<serde_json::Value> =
        common::search_json(clinsearch, &["ketamine OR dissociation", "--index", idx]);
    let page_of = |section: &str| {
        let hit = hits.iter().find(|h| h["section"] == section);
        hit.map(|h| h["page"].clone())
    };
    assert_eq!(page_of("Abstract"), Some(1.into()), "{hits:?}");
    assert_eq!(page_of("1. Methods"), Some(2.into()), "{hits:?}");
    let out = clinsearch(&["search", "randomised", "--index", idx, "--color", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("section: 1. Methods · page 2"), "{text}");
}

#[test]
fn bad_pdfs_are_skipped_with_their_reason_and_the_rest_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let good = save(article());
    std::fs::write(input.join("good.pdf"), &good).unwrap();
    // Cut short, as by an interrupted download.
    std::fs::write(input.join("truncated.pdf"), &good[..good.len() * 6 / 10]).unwrap();
    std::fs::write(input.join("empty.pdf"), b"").unwrap();
    std::fs::write(
        input.join("garbage.pdf"),
        b"%PDF-1.4\n\x00\x01 not really a PDF",
    )
    .unwrap();

    // A scanned page: an image and no text.
    let mut scanned = document(&[vec![]]);
    let image = scanned.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let page_id = scanned.get_pages()[&1];
    let content = scanned.add_object(Stream::new(
        dictionary! {},
        b"q 400 0 0 600 100 100 cm /Im1 Do Q".to_vec(),
    ));
    let page = scanned.get_dictionary_mut(page_id).unwrap();
    page.set("Contents", content);
    page.set(
        "Resources",
        dictionary! { "XObject" => dictionary! { "Im1" => image } },
    );
    std::fs::write(input.join("scanned.pdf"), save(scanned)).unwrap();

    // Encrypted: with a user password (cannot be opened), with an owner password only (read).
    for (name, user) in [("locked.pdf", "secret"), ("restricted.pdf", "")] {
        let mut doc = article();
        // The file identifier keys the encryption (ISO 32000-1, 7.6.3.3).
        let id = Object::String(
            b"0123456789abcdef".to_vec(),
            lopdf::StringFormat::Hexadecimal,
        );
        doc.trailer.set("ID", vec![id.clone(), id]);
        let aes: std::sync::Arc<dyn CryptFilter> = std::sync::Arc::new(Aes128CryptFilter);
        let version = EncryptionVersion::V4 {
            document: &doc,
            encrypt_metadata: true,
            crypt_filters: std::collections::BTreeMap::from([(b"StdCF".to_vec(), aes)]),
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password: user,
            permissions: Permissions::PRINTABLE,
        };
        let state = EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        std::fs::write(input.join(name), save(doc)).unwrap();
    }

    let (stdout, stderr) = index(&dir.path().join("in"), &dir.path().join("idx"), &[]);
    let stderr = format!("{stdout}{stderr}"); // the summary lists skipped files
    let reason = |file: &str| {
        stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not reported:\n{stdout}\n{stderr}"))
            .to_string()
    };
    assert!(reason("scanned.pdf").contains("no text layer (scanned? run OCR first, e.g. ocrmypdf)"));
    assert!(reason("locked.pdf").ends_with(": encrypted"), "{stderr}");
    assert!(reason("truncated.pdf").contains("truncated"), "{stderr}");
    assert!(reason("empty.pdf").contains("empty file"), "{stderr}");
    assert!(reason("garbage.pdf").contains("PDF"), "{stderr}");
    assert!(
        !stderr.contains("good.pdf") && !stderr.contains("restricted.pdf"),
        "{stderr}"
    );
    // good.pdf and restricted.pdf are indexed.
    let pdf_row = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("pdf"))
        .unwrap_or_default();
    assert!(pdf_row.split_whitespace().nth(1) == Some("2"), "{stdout}");
}

#[test]
fn a_page_limit_cuts_long_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let page = vec![(
        "F1",
        10.0,
        "A page of a very long thesis about ketamine and depression.",
    )];
    std::fs::write(input.join("thesis.pdf"), save(document(&vec![page; 40]))).unwrap();
    let (stdout, stderr) = index(
        &input,
        &dir.path().join("idx"),
        &["--pdf-max-pages", "5", "-v"],
    );
    let text = format!("{stdout}{stderr}");
    assert!(text.contains("read the first 5 of 40 pages"), "{text}");
    let help = String::from_utf8_lossy(&clinsearch(&["index", "--help"]).stdout).into_owned();
    assert!(
        help.contains("--pdf-max-pages") && help.contains("[default: 300]"),
        "{help}"
    );
    assert!(
        help.contains("--pdf-timeout") && help.contains("[default: 30]"),
        "{help}"
    );
}

#[test]
fn every_shared_pdf_is_indexed() {
    let Some(data) = common::shared_data("pdf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let (stdout, _) = index(&data, &idx, &[]);
    assert!(!stdout.contains(".pdf:"), "{stdout}");
    let pdf_row = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("pdf"))
        .unwrap_or_default();
    assert!(pdf_row.split_whitespace().nth(1) == Some("48"), "{stdout}");
    let out = clinsearch(&[
        "search",
        "core outcome set",
        "--index",
        idx.to_str().unwrap(),
        "--json",
        "--limit",
        "3",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("low back pain"));
}

#[test]
fn labels_drawn_in_a_figure_are_searched_with_its_caption() {
    let Some(data) = common::shared_data("pdf/hindawi-PMC4657150/article.pdf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&data, dir.path().join("article.pdf")).unwrap();
    let idx = dir.path().join("idx");
    index(dir.path(), &idx, &[]);
    let hits: Vec<serde_json::Value> =
        common::search_json(clinsearch, &["SDH", "--index", idx.to_str().unwrap()]);
    let texts: Vec<&str> = hits.iter().filter_map(|h| h["text"].as_str()).collect();
    // The bar chart's axis and bar labels ("SDH C 1.4 1.2 ... SDH D") are found in its caption's
    // passage, not as a passage of their own.
    let chart: Vec<&&str> = texts.iter().filter(|t| t.contains("SDH D")).collect();
    assert!(!chart.is_empty(), "{texts:?}");
    assert!(chart.iter().all(|t| t.starts_with("Figure")), "{chart:?}");
}
