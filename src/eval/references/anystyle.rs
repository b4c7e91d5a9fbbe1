//! AnyStyle's XML training format, read into labelled references.

use std::collections::BTreeMap;

use super::names::gold_surnames;
use super::score::{normalize, split_volume};
use super::{Labelled, DITTO};

/// A labelled-references file that is not well-formed XML.
#[derive(Debug, thiserror::Error)]
#[error("invalid XML: {0}")]
pub struct InvalidXml(#[from] pub roxmltree::Error);

/// Read AnyStyle XML.
pub fn read_anystyle(xml: &str) -> Result<Vec<Labelled>, InvalidXml> {
    let doc = roxmltree::Document::parse(xml)?;
    let mut out = Vec::new();
    for seq in doc.descendants().filter(|n| n.has_tag_name("sequence")) {
        let mut input = String::new();
        let mut parts: Vec<(&str, String)> = Vec::new();
        let mut ranges = Vec::new();
        for part in seq.children().filter(|n| n.is_element()) {
            let text: String = part
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                continue;
            }
            if !input.is_empty() {
                input.push(' ');
            }
            let start = input.len();
            input.push_str(&text);
            ranges.push((part.tag_name().name().to_string(), start..input.len()));
            parts.push((part.tag_name().name(), text));
        }
        let first = |names: &[&str]| {
            parts
                .iter()
                .find(|(n, _)| names.contains(n))
                .map(|(_, t)| t.as_str())
        };
        let mut gold = BTreeMap::new();
        if first(&["author"]).is_some_and(is_ditto_mark) {
            gold.insert("first_author", DITTO.to_string());
            gold.insert("author", DITTO.to_string());
        } else if let Some(author) = first(&["author"]) {
            let surnames = gold_surnames(author);
            if !surnames.is_empty() {
                gold.insert("first_author", surnames[0].clone());
                gold.insert("author", surnames.join("; "));
            }
        }
        // A volume label may take in the year before it and the pages after it ("2012;30(15):",
        // "128(1):183–269"): they count when no date or pages label gives them.
        let (volume_year, _, volume_pages) =
            first(&["volume"]).map(split_volume).unwrap_or_default();
        if let Some(year) = first(&["date"])
            .and_then(first_year)
            .or_else(|| volume_year.map(str::to_string))
        {
            gold.insert("year", year);
        }
        let pages = volume_pages
            .filter(|_| first(&["pages"]).is_none())
            .map(normalize);
        if let Some(pages) = pages.filter(|p| !p.is_empty()) {
            gold.insert("pages", pages);
        }
        for (field, labels) in [
            ("title", &["title"][..]),
            ("venue", &["journal", "container-title"][..]),
            ("volume", &["volume"][..]),
            ("pages", &["pages"][..]),
        ] {
            if let Some(value) = first(labels).map(normalize).filter(|v| !v.is_empty()) {
                gold.insert(field, value);
            }
        }
        // The DOI of a doi label, or of a url label that is a doi.org address.
        let doi = first(&["doi"]).map(gold_doi).or_else(|| {
            parts
                .iter()
                .find(|(n, url)| *n == "url" && url.contains("doi.org/"))
                .map(|(_, url)| gold_doi(url))
        });
        if let Some(doi) = doi.filter(|d| !d.is_empty()) {
            gold.insert("doi", doi);
        }
        out.push(Labelled {
            input,
            parts: ranges,
            gold,
        });
    }
    Ok(out)
}

/// Whether an author label is a ditto mark: two dashes or underscores or more ("———.",
/// "______."), standing for the authors of the entry before.
fn is_ditto_mark(author: &str) -> bool {
    author
        .chars()
        .take_while(|c| "—–‐‑‒―-_".contains(*c))
        .count()
        >= 2
}

/// The DOI in a labelled DOI: without a "doi:", "DOI: " or "doi>" prefix or a doi.org address
/// ("[doi>10.1007/s10207-013-0222-9]", "https://doi.org/10.1038/nm.4050").
fn gold_doi(label: &str) -> String {
    let text = normalize(label);
    let text = text
        .split_once("doi.org/")
        .map_or(text.as_str(), |(_, doi)| doi);
    let bare = match text.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("doi") => {
            text[3..].trim_start_matches([':', '>'])
        }
        _ => text,
    };
    normalize(bare)
}

/// The first four-digit year in a date label.
pub(super) fn first_year(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let w = &text.get(i..i + 4)?;
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (w.bytes().all(|b| b.is_ascii_digit())
            && before_ok
            && after_ok
            && (w.starts_with("1") || w.starts_with("20")))
        .then(|| w.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::references::score::matches;

    #[test]
    fn a_volume_label_gives_the_year_and_pages_it_takes_in() {
        let read = |xml: &str| read_anystyle(xml).unwrap().remove(0).gold;
        let vancouver = read("<dataset><sequence><author>Saad ED.</author><title>Overall survival.</title><journal>J Clin Oncol.</journal><volume>2012;30(15):</volume><pages>1750-1754.</pages></sequence></dataset>");
        assert_eq!(vancouver.get("year").map(String::as_str), Some("2012"));
        assert!(matches("volume", "30(15)", &vancouver["volume"]));
        let gold = |volume: &str, pages: &str| {
            let xml = format!("<dataset><sequence><author>Hormander, L.</author><title>Fourier integral operators.</title><journal>Acta Mathematica,</journal>{volume}{pages}<date>1971.</date></sequence></dataset>");
            read(&xml).get("pages").cloned()
        };
        assert_eq!(
            gold("<volume>127(1):79–183,</volume>", "").as_deref(),
            Some("79-183")
        );
        assert_eq!(
            gold("<volume>51:197–204.</volume>", "").as_deref(),
            Some("197-204")
        );
        // Labelled pages win; "50: 3" is a volume and its issue.
        assert_eq!(
            gold("<volume>127(1):</volume>", "<pages>79–183,</pages>").as_deref(),
            Some("79-183")
        );
        assert_eq!(gold("<volume>50: 3</volume>", ""), None);
    }

    #[test]
    fn a_labelled_doi_is_read_without_its_prefix_or_address() {
        let doi = |tail: &str| {
            let xml = format!("<dataset><sequence><author>Fenner M</author><date>(2013)</date><title>Altmetrics.</title>{tail}</sequence></dataset>");
            read_anystyle(&xml)
                .unwrap()
                .remove(0)
                .gold
                .get("doi")
                .cloned()
        };
        for label in [
            "<doi>DOI: 10.3868/s030-006-017-0010-8</doi>",
            "<doi>[doi&gt;10.3868/s030-006-017-0010-8]</doi>",
            "<doi>doi:10.3868/s030-006-017-0010-8.</doi>",
            "<url>Available: http://dx.doi.org/10.3868/s030-006-017-0010-8.</url>",
        ] {
            assert_eq!(
                doi(label).as_deref(),
                Some("10.3868/s030-006-017-0010-8"),
                "{label}"
            );
        }
        assert_eq!(doi("<url>http://www.example.org/paper.pdf</url>"), None);
    }

    #[test]
    fn a_ditto_mark_stands_for_the_authors_before() {
        for mark in ["———.", "______.", "__________ ."] {
            let xml = format!("<dataset><sequence><author>{mark}</author><date>(1836).</date><title>Tales.</title></sequence></dataset>");
            let gold = read_anystyle(&xml).unwrap().remove(0).gold;
            assert_eq!(gold["author"], DITTO, "{mark}");
        }
        assert!(!is_ditto_mark("Scott, W."));
    }
}
