//! EndNote XML (`<xml><records><record>...`), as EndNote, Zotero and Mendeley write it. EndNote
//! wraps text in `<style>` elements; all the text of an element counts.

use std::sync::LazyLock;

use regex::Regex;
use roxmltree::{Document, Node};

use super::export::{bare_doi, first_year, person, Lines, Record};

/// Whether `head` (trimmed at its start) is EndNote XML.
pub fn sniff(head: &str) -> bool {
    let start = head.get(..head.len().min(2048)).unwrap_or(head);
    let after_decl = match start.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, r)| r),
        None => start,
    };
    let t = after_decl.trim_start();
    t.starts_with("<xml>") && t[5..].trim_start().starts_with("<records")
}

/// The records of `source`, and the problems met ("line 12: ..."). A file that is not
/// well-formed XML is read record by record, and the records that are not are reported.
pub fn parse_endnote(source: &str) -> (Vec<Record>, Vec<String>) {
    let options = || roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let lines = Lines::new(source);
    if let Ok(doc) = Document::parse_with_options(source, options()) {
        let records = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("record") && n.parent().is_some_and(|p| p.has_tag_name("records"))
            })
            .map(|n| record(n, lines.line(n.range().start)))
            .collect();
        return (records, Vec::new());
    }
    let (mut records, mut problems) = (Vec::new(), Vec::new());
    let mut pos = 0;
    while let Some(start) = source[pos..].find("<record>").map(|i| pos + i) {
        let end = source[start..]
            .find("</record>")
            .map_or(source.len(), |i| start + i + "</record>".len());
        // A record that lost its end tag ends where the next one starts.
        let end = source[start + 1..end]
            .find("<record>")
            .map_or(end, |i| start + 1 + i);
        match Document::parse_with_options(&source[start..end], options()) {
            Ok(doc) => records.push(record(doc.root_element(), lines.line(start))),
            Err(e) => problems.push(format!(
                "line {}: invalid XML record: {e}",
                lines.line(start)
            )),
        }
        pos = end;
    }
    if records.is_empty() && problems.is_empty() {
        problems.push("line 1: invalid XML, no <record> found".into());
    }
    (records, problems)
}

static PMID_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bPMID:?\s*(\d{1,8})\b").unwrap());
static PUBMED_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,8})\b").unwrap()
});
static PMCID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bPMC\d{4,9}\b").unwrap());

fn text(node: Node) -> String {
    let s: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    crate::reference::normalize_space(&s)
}

fn record(node: Node, line: usize) -> Record {
    let mut r = Record {
        line,
        ..Record::default()
    };
    let first = |path: &[&str]| -> Option<String> {
        let mut n = node;
        for name in path {
            n = n.children().find(|c| c.has_tag_name(*name))?;
        }
        Some(text(n)).filter(|t| !t.is_empty())
    };
    r.title = first(&["titles", "title"]);
    if let Some(a) = first(&["abstract"]) {
        r.push_abstract_text(&a);
    }
    r.authors = node
        .children()
        .filter(|c| c.has_tag_name("contributors"))
        .flat_map(|c| c.children().filter(|a| a.has_tag_name("authors")))
        .flat_map(|a| a.children().filter(|n| n.has_tag_name("author")))
        .filter_map(|n| person(&text(n)))
        .collect();
    r.year = first(&["dates", "year"])
        .or_else(|| first(&["dates", "pub-dates", "date"]))
        .and_then(|y| first_year(&y));
    r.journal = first(&["periodical", "full-title"])
        .or_else(|| first(&["titles", "secondary-title"]))
        .or_else(|| first(&["periodical", "abbr-1"]));
    r.doi = first(&["electronic-resource-num"]).and_then(|d| bare_doi(&d));
    let database = [
        first(&["remote-database-name"]),
        first(&["remote-database-provider"]),
    ]
    .into_iter()
    .flatten()
    .any(|d| {
        let d = d.to_lowercase();
        d.contains("pubmed") || d.contains("medline") || d.contains("nlm")
    });
    let urls: Vec<String> = node
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(text)
        .collect();
    r.pmid = first(&["accession-num"])
        .filter(|a| database && a.len() <= 8 && a.bytes().all(|b| b.is_ascii_digit()))
        .or_else(|| {
            ["notes", "custom2", "label", "accession-num"]
                .iter()
                .filter_map(|n| first(&[n]))
                .find_map(|t| PMID_NOTE.captures(&t).map(|c| c[1].to_string()))
        })
        .or_else(|| {
            urls.iter()
                .find_map(|u| PUBMED_URL.captures(u).map(|c| c[1].to_string()))
        });
    r.pmcid = ["custom2", "notes"]
        .iter()
        .filter_map(|n| first(&[n]))
        .find_map(|t| PMCID.find(&t).map(|m| m.as_str().to_string()));
    for k in node.descendants().filter(|n| n.has_tag_name("keyword")) {
        r.push_keyword(text(k).trim_start_matches('*'));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_styles() {
        let source = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml><records>\n<record>\
            <contributors><authors><author><style face=\"normal\">Rotter, Carina</style></author>\
            <author>Rusbridge, C.</author></authors></contributors>\
            <titles><title><style>Myoclonus in <style face=\"italic\">older</style> spaniels.</style></title>\
            <secondary-title>J Vet Intern Med</secondary-title></titles>\
            <periodical><full-title>Journal of veterinary internal medicine</full-title></periodical>\
            <keywords><keyword>*Dog Diseases</keyword></keywords>\
            <dates><year>2022</year></dates><electronic-resource-num>10.1111/jvim.16404</electronic-resource-num>\
            <abstract>BACKGROUND: Myoclonus  is observed.</abstract>\
            <notes>PMID: 35304780</notes></record>\n<record><titles><title>Only a title</title></titles></record>\n\
            </records></xml>";
        assert!(sniff(source));
        let (records, problems) = parse_endnote(source);
        assert!(problems.is_empty());
        assert_eq!(records.len(), 2);
        let r = &records[0];
        assert_eq!(r.line, 3);
        assert_eq!(r.title.as_deref(), Some("Myoclonus in older spaniels."));
        assert_eq!(r.authors[0].surname, "Rotter");
        assert_eq!(
            r.journal.as_deref(),
            Some("Journal of veterinary internal medicine")
        );
        assert_eq!((r.year, r.pmid.as_deref()), (Some(2022), Some("35304780")));
        assert_eq!(r.doi.as_deref(), Some("10.1111/jvim.16404"));
        assert_eq!(r.abstract_parts[0].1, "BACKGROUND: Myoclonus is observed.");
        assert_eq!(r.keywords, ["Dog Diseases"]);
        let broken = source.replace("</title></titles></record>", "</titles></record>");
        let (records, problems) = parse_endnote(&broken);
        assert_eq!(records.len(), 1);
        assert!(
            problems[0].starts_with("line 4: invalid XML record"),
            "{problems:?}"
        );
    }
}
