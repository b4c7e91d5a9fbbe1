//! The reference parser and citation finder, end to end: `refs parse`, `refs eval`, and accuracy
//! on the JATS articles in ../shared/data (skipped with a message when absent), the round trip
//! through the developer tool `refs-lab jats`.

use std::path::{Path, PathBuf};
use std::process::Command;

use clinsearch::eval::references::{citation_accuracy, FIELDS};
use clinsearch::parse::read_file;
use serde_json::Value;

fn run(args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    run_bin(env!("CARGO_BIN_EXE_clinsearch"), args, stdin)
}

/// The developer tool `refs-lab` (training, the JATS round trip).
fn run_lab(args: &[&str]) -> (Option<i32>, String, String) {
    run_bin(env!("CARGO_BIN_EXE_refs-lab"), args, None)
}

fn run_bin(bin: &str, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = Command::new(bin)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

mod common;

fn jats_dir() -> Option<PathBuf> {
    common::shared_data("articles/jats")
}

/// The JSON value of each line of `out` (`refs parse` prints one per entry).
fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
#[test]
fn refs_parse_reads_an_apa_entry() {
    let entry = "Duman, R. S., Aghajanian, G. K., Sanacora, G., & Krystal, J. H. (2016). Synaptic plasticity and depression: New insights from stress and rapid-acting antidepressants. Nature Medicine, 22(3), 238-249.";
    let (code, out, err) = run(&["refs", "parse"], Some(&format!("{entry}\n\n12. Lindholm ML, Traff S, et al. Quality of recovery after ketamine. Anesth Analg. 2009;108(2):508–12. doi:10.1213/ane.0b013e31818f0b17\n")));
    assert_eq!(code, Some(0), "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "blank lines are skipped");
    let r = &lines[0];
    let surnames: Vec<&str> = r["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["surname"].as_str().unwrap())
        .collect();
    assert_eq!(surnames, ["Duman", "Aghajanian", "Sanacora", "Krystal"]);
    assert_eq!(r["authors"][0]["initials"], "RS");
    assert_eq!(r["year"], "2016");
    assert_eq!(r["title"], "Synaptic plasticity and depression: New insights from stress and rapid-acting antidepressants");
    assert_eq!(
        (
            r["venue"].as_str(),
            r["volume"].as_str(),
            r["issue"].as_str(),
            r["pages"].as_str()
        ),
        (
            Some("Nature Medicine"),
            Some("22"),
            Some("3"),
            Some("238-249")
        )
    );
    let v = &lines[1];
    assert_eq!(v["number"], 12);
    assert_eq!(v["et_al"], true);
    assert_eq!(v["authors"][1]["surname"], "Traff");
    assert_eq!(
        (v["year"].as_str(), v["venue"].as_str(), v["pages"].as_str()),
        (Some("2009"), Some("Anesth Analg"), Some("508-12"))
    );
    assert_eq!(v["doi"], "10.1213/ane.0b013e31818f0b17");
}

/// Forms of clinical reference lists: supplements, BioMed Central's colon after the authors and
/// year before the volume, Nature's volume after the journal, an organisation with "and" in its
/// name, a Cochrane review's issue without a volume and its article number, and entries pasted
/// with their typography (Markdown emphasis, HTML tags).
#[test]
fn refs_parse_reads_clinical_forms() {
    let list = "Tofthagen R, Fagerstrom LM. Rodgers' evolutionary concept analysis. Scand J Caring Sci. 2010 Dec;24 Suppl 1:21-31.\n\
                Smith J, Jones K. A trial of things. Ann Oncol. 2008;19(Suppl 2):ii45-ii50.\n\
                Zarate CA, Singh JB: A randomized trial of an NMDA antagonist in treatment-resistant major depression. Arch Gen Psychiatry 2006, 63:856-864.\n\
                Li, N. et al. mTOR-dependent synapse formation underlies the rapid antidepressant effects of NMDA antagonists. Science 329, 959–964 (2010).\n\
                National Institute for Health and Care Excellence. Depression in adults: treatment and management. London: NICE; 2022.\n\
                Caddy C, Amit BH, McCloud TL, et al. Ketamine and other glutamate receptor modulators for depression in adults. Cochrane Database Syst Rev. 2015;(9):CD011612.\n\
                Duman, R. S., & Krystal, J. H. (2016). Synaptic plasticity and depression. *Nature Medicine*, *22*(3), 238-249.\n\
                Zarate CA, Singh JB. A randomized trial. <i>Arch Gen Psychiatry</i>. 2006;63(8):856-864.\n";
    let (code, out, err) = run(&["refs", "parse"], Some(list));
    assert_eq!(code, Some(0), "{err}");
    let lines = json_lines(&out);
    let numbers = |r: &Value| {
        let s = |k: &str| r[k].as_str().map(str::to_string);
        (s("venue"), s("volume"), s("issue"), s("pages"))
    };
    let expected = |venue: &str, volume: &str, issue: Option<&str>, pages: &str| {
        let s = |v: &str| Some(v.to_string());
        (s(venue), s(volume), issue.map(str::to_string), s(pages))
    };
    assert_eq!(
        numbers(&lines[0]),
        expected("Scand J Caring Sci", "24", Some("Suppl 1"), "21-31")
    );
    assert_eq!(
        numbers(&lines[1]),
        expected("Ann Oncol", "19", Some("Suppl 2"), "ii45-ii50")
    );
    let bmc = &lines[2];
    assert_eq!(bmc["authors"][1]["surname"], "Singh", "{bmc}");
    assert_eq!(bmc["year"], "2006");
    assert!(
        bmc["title"]
            .as_str()
            .unwrap()
            .starts_with("A randomized trial"),
        "{bmc}"
    );
    assert_eq!(
        numbers(bmc),
        expected("Arch Gen Psychiatry", "63", None, "856-864")
    );
    assert_eq!(lines[3]["et_al"], true);
    assert_eq!(
        numbers(&lines[3]),
        expected("Science", "329", None, "959-964")
    );
    let nice = &lines[4]["authors"];
    assert_eq!(nice.as_array().map(Vec::len), Some(1), "{nice}");
    assert_eq!(
        nice[0]["surname"],
        "National Institute for Health and Care Excellence"
    );
    let cochrane = numbers(&lines[5]);
    assert_eq!(cochrane.1, None, "an issue without a volume: {}", lines[5]);
    assert_eq!(
        (cochrane.2.as_deref(), cochrane.3.as_deref()),
        (Some("9"), Some("CD011612"))
    );
    // Typography markup pasted with the entry (Markdown emphasis, HTML tags) is not text.
    assert_eq!(
        numbers(&lines[6]),
        expected("Nature Medicine", "22", Some("3"), "238-249")
    );
    assert_eq!(lines[6]["title"], "Synaptic plasticity and depression");
    assert_eq!(
        numbers(&lines[7]),
        expected("Arch Gen Psychiatry", "63", Some("8"), "856-864")
    );
}

#[test]
fn refs_parse_reads_on_past_a_line_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.txt");
    let mut bytes = b"Scott, W. (1814). Waverley. Edinburgh: Constable.\r\n".to_vec();
    bytes.extend(b"M\xfcller, K. (1999). Stra\xdfen. Berlin: Springer.\n");
    bytes.extend(b"Ching, B. (1997). Knowing your place. New York: Routledge.\n");
    std::fs::write(&file, bytes).unwrap();
    let (code, out, err) = run(&["refs", "parse", file.to_str().unwrap()], None);
    assert_eq!(code, Some(0), "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[1]["year"], "1999", "{}", lines[1]);
    assert_eq!(lines[2]["authors"][0]["surname"], "Ching");
    assert!(
        err.contains("list.txt: line 2: not valid UTF-8") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn refs_commands_name_what_they_cannot_measure_on() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.xml");
    std::fs::write(&empty, "<dataset></dataset>").unwrap();
    let (code, out, err) = run(&["refs", "eval", empty.to_str().unwrap()], None);
    assert_eq!(code, Some(2), "{out}");
    assert!(err.contains("empty.xml: no labelled references"), "{err}");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anystyle-sample.xml");
    let (code, _, err) = run(
        &["refs", "eval", fixture.to_str().unwrap(), "--folds", "1"],
        None,
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("--folds"), "{err}");
    // A share of the training data: only with --folds, and above 0 up to 1.
    let fixture = fixture.to_str().unwrap();
    let (code, _, err) = run(&["refs", "eval", fixture, "--train-share", "0.5"], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("--folds"), "{err}");
    let (code, _, err) = run(
        &[
            "refs",
            "eval",
            fixture,
            "--folds",
            "2",
            "--train-share",
            "1.5",
        ],
        None,
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("not a share above 0 and at most 1"), "{err}");
    // A folder with one readable article and one broken file: the broken one is named and left
    // out, the article is measured.
    let articles = dir.path().join("jats");
    std::fs::create_dir(&articles).unwrap();
    let (code, _, err) = run_lab(&["jats", articles.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no JATS article to measure on"), "{err}");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bmc-microbiology-lysis-time.nxml"),
        articles.join("lysis.nxml"),
    )
    .unwrap();
    std::fs::write(articles.join("broken.xml"), "<article><front>").unwrap();
    let (code, out, err) = run_lab(&["jats", articles.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("broken.xml: invalid XML") && err.contains("left out"),
        "{err}"
    );
    assert!(
        out.contains("JATS element-citations of 1 articles rendered as Apa"),
        "{out}"
    );
}

#[test]
fn refs_parse_reads_editors_and_ditto_marks_in_a_list() {
    let list = "Scott, W. (1814). Waverley. Edinburgh: Constable.\n\
                ———. (1836). Tales of a grandfather. Edinburgh: R. Cadell.\n\
                Ching, B., & Creed, G. W. (Eds.). (1997). Knowing your place. New York: Routledge.\n";
    let (code, out, err) = run(&["refs", "parse"], Some(list));
    assert_eq!(code, Some(0), "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert!(lines[0].get("ditto").is_none(), "{}", lines[0]);
    assert_eq!(lines[1]["ditto"], true);
    assert_eq!(lines[1]["authors"][0]["surname"], "Scott", "{}", lines[1]);
    assert_eq!(lines[1]["year"], "1836");
    assert_eq!(lines[2]["authors"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[2]["editors"][0]["surname"], "Ching", "{}", lines[2]);
    assert_eq!(lines[2]["editors"][1]["surname"], "Creed");
}

#[test]
fn refs_eval_prints_a_table_and_json() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anystyle-sample.xml");
    let (code, out, _) = run(
        &["refs", "eval", fixture.to_str().unwrap(), "--errors", "2"],
        None,
    );
    assert_eq!(code, Some(0));
    for field in FIELDS.into_iter().chain(["micro (all)"]) {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(field)),
            "no {field} row in {out}"
        );
    }
    let (code, out, _) = run(&["refs", "eval", fixture.to_str().unwrap(), "--json"], None);
    assert_eq!(code, Some(0));
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["references"], 6);
    let micro = &report["micro"];
    let tp = micro["tp"].as_u64().unwrap();
    assert!(tp > 0 && tp <= 6 * 7);
    // Each count under its own name: tp, fp, fn.
    assert!(micro["fp"].is_u64() && micro["fn"].is_u64(), "{micro}");
    let (code, _, err) = run(&["refs", "eval", "/no/such/file.xml"], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("/no/such/file.xml"));
}

#[test]
fn jats_references_round_trip_through_eleven_citation_styles() {
    let Some(dir) = jats_dir() else { return };
    let (code, out, err) = run_lab(&["jats", dir.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let scores: Value = serde_json::from_str(&out).unwrap();
    let f1 = |s: &Value| {
        let n = |k: &str| s[k].as_u64().unwrap() as f64;
        let (p, r) = (n("tp") / (n("tp") + n("fp")), n("tp") / (n("tp") + n("fn")));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    };
    for style in [
        "apa",
        "vancouver",
        "ama",
        "harvard",
        "chicago",
        "ieee",
        "nature",
        "cell",
        "science",
        "elsevier",
        "pnas",
    ] {
        let report = &scores[style];
        let references = report["references"].as_u64().unwrap();
        assert!(references > 400, "{references} structured references");
        let field = |name: &str| {
            f1(&report["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f[0] == name)
                .unwrap()[1])
        };
        let micro = f1(&report["micro"]);
        eprintln!(
            "{style}: micro-F1 {micro:.3}, year {:.3}, first author {:.3}, title {:.3}",
            field("year"),
            field("first_author"),
            field("title")
        );
        assert!(micro >= 0.95, "{style} micro-F1 {micro:.3}");
        assert!(
            field("year") >= 0.99 && field("first_author") >= 0.97 && field("title") >= 0.93,
            "{style}"
        );
    }
}

#[test]
fn in_text_citations_match_the_xrefs() {
    let Some(dir) = jats_dir() else { return };
    let articles: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| read_file(&e.unwrap().path(), "a").unwrap().articles)
        .collect();
    let acc = citation_accuracy(&articles);
    eprintln!(
        "mentions P {:.3} R {:.3}; resolutions P {:.3} R {:.3}",
        acc.mentions.precision(),
        acc.mentions.recall(),
        acc.resolutions.precision(),
        acc.resolutions.recall()
    );
    assert!(acc.mentions.gold > 700);
    for d in [acc.mentions, acc.resolutions] {
        assert!(d.precision() >= 0.95 && d.recall() >= 0.95, "{d:?}");
    }
}
