//! RIS, as reference managers and databases export it: `TY  - JOUR` opens a record, `ER  -`
//! closes it, and each line between is `XX  - value`. The tags differ between exporters (PubMed,
//! Ovid, EBSCO, Scopus, Web of Science, Lens, Dimensions, Zotero, EndNote): titles in `TI` or
//! `T1`, abstracts in `AB` or `N2`, authors in `AU` or `A1`, years in `PY`, `Y1` or `DA`,
//! journals in `T2`, `JF`, `JO`, `JA` or `J2`. Untagged lines continue the field above (keywords:
//! one more keyword); lines before `TY` (Ovid's "1.") are ignored.

use std::sync::LazyLock;

use regex::Regex;

use super::export::{bare_doi, first_field, first_year, is_copyright_notice, person, Record};

/// Whether `head` (trimmed at its start) is RIS.
pub fn sniff(head: &str) -> bool {
    head.lines()
        .take(5)
        .any(|l| l.trim_end().starts_with("TY  -") || l.trim_end().starts_with("TY -"))
}

/// The records of `source`, and the problems met ("line 12: ...").
pub fn parse_ris(source: &str) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim_end_matches('\r').trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        match tag_line(line) {
            Some(("TY", _)) => {
                if let Some(start) = open.take() {
                    problems.push(format!(
                        "line {start}: record without ER (ended by the TY of line {})",
                        i + 1
                    ));
                    records.push(record(std::mem::take(&mut fields), start));
                }
                open = Some(i + 1);
            }
            Some(("ER", _)) => {
                if let Some(start) = open.take() {
                    records.push(record(std::mem::take(&mut fields), start));
                }
            }
            Some((tag, value)) if open.is_some() => {
                fields.push((tag.to_string(), value.trim().to_string()));
            }
            None if open.is_some() => match fields.last_mut() {
                // Keywords (and other lists) put one value per untagged line.
                Some((tag, _)) if matches!(tag.as_str(), "KW" | "AU" | "A1" | "SN") => {
                    let tag = tag.clone();
                    fields.push((tag, line.trim().to_string()));
                }
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => {}
            },
            _ => {} // before the first TY: record numbers, export headers
        }
    }
    if let Some(start) = open {
        records.push(record(fields, start));
    }
    (records, problems)
}

/// "TI  - Title" as ("TI", "Title"); "ER  -" with no value too.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let tag_ok = b.len() >= 5
        && b[0].is_ascii_uppercase()
        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        && b[2] == b' ';
    if !tag_ok {
        return None;
    }
    let rest = line[2..].trim_start_matches(' ');
    let value = rest.strip_prefix('-')?;
    if line.len() - rest.len() > 4 || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((&line[..2], value))
}

static PMID_MARKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,8})\s*\[PMID\]").unwrap());
static PMID_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/|ovid\.com/.*D=(?:medp|medl|mesx|prem|med\d*)&.*AN=)(\d{1,8})\b").unwrap()
});
static PMCID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bPMC\d{4,9}\b").unwrap());

fn record(fields: Vec<(String, String)>, line: usize) -> Record {
    let mut r = Record {
        line,
        ..Record::default()
    };
    let get = |tags: &[&str]| first_field(&fields, tags).map(str::to_string);
    r.title = get(&["TI", "T1", "CT", "ST"]).map(|t| {
        // EndNote captures of PubMed pages: "Title. - PubMed - NCBI"
        t.trim_end_matches(" - PubMed - NCBI")
            .trim_end_matches(" - PubMed")
            .to_string()
    });
    let abstracts: Vec<&str> = fields
        .iter()
        .filter(|(t, v)| (t == "AB" || t == "N2") && !v.is_empty())
        .map(|(_, v)| v.as_str())
        .collect();
    // Several abstracts (EBSCO: the abstract, then the publisher's copyright notice; Ovid: AB
    // and N2 the same): the longest that is not a notice.
    let best = abstracts
        .iter()
        .filter(|a| !is_copyright_notice(a))
        .max_by_key(|a| a.len())
        .or(abstracts.first());
    if let Some(text) = best {
        r.push_abstract_text(text);
    }
    let first_authors: Vec<&(String, String)> = fields.iter().filter(|(t, _)| t == "AU").collect();
    let authors = if first_authors.is_empty() {
        fields.iter().filter(|(t, _)| t == "A1").collect()
    } else {
        first_authors
    };
    r.authors = authors
        .iter()
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(person)
        .collect();
    r.year = ["PY", "Y1", "DA", "Y2"]
        .iter()
        .find_map(|t| get(&[t]).and_then(|v| first_year(&v)));
    r.journal = get(&["T2", "JF", "JO", "JA", "J2", "JI"]);
    r.doi = get(&["DO", "DI", "M3", "L3"])
        .and_then(|d| bare_doi(&d))
        .or_else(|| {
            fields
                .iter()
                .filter(|(t, _)| matches!(t.as_str(), "UR" | "L2" | "N1"))
                .find_map(|(_, v)| v.contains("doi.org/").then(|| bare_doi(v)).flatten())
        });
    let from_nlm = fields.iter().any(|(t, v)| {
        (t == "DB" || t == "DP") && {
            let v = v.to_lowercase();
            v.contains("pubmed") || v.contains("medline") || v == "nlm"
        }
    });
    r.pmid = fields
        .iter()
        .find_map(|(_, v)| PMID_MARKED.captures(v).map(|c| c[1].to_string()))
        .or_else(|| {
            get(&["AN"])
                .filter(|an| from_nlm && an.len() <= 8 && an.bytes().all(|b| b.is_ascii_digit()))
        })
        .or_else(|| {
            fields
                .iter()
                .filter(|(t, _)| matches!(t.as_str(), "UR" | "L2" | "L1" | "LK"))
                .find_map(|(_, v)| PMID_URL.captures(v).map(|c| c[1].to_string()))
        });
    r.pmcid = fields
        .iter()
        .filter(|(t, _)| matches!(t.as_str(), "C2" | "U2" | "N1" | "M2"))
        .find_map(|(_, v)| PMCID.find(v).map(|m| m.as_str().to_string()));
    for (tag, value) in &fields {
        if tag == "KW" {
            r.push_keyword(value.trim_start_matches('*'));
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_several_exporters() {
        let source =
            "\u{feff}1.\r\nTY  - JOUR\r\nT1  - Retention trees.\r\nA1  - Holmstrom, E.\r\n\
                      Y1  - 2020//\r\nN2  - Trees were kept\r\nover decades.\r\nJF  - Forests\r\n\
                      DO  - http://dx.doi.org/10.4236/ojf.2020.101008\r\nKW  - forestry\r\n\
                      ecology\r\nER  - \r\n\r\nTY  - JOUR\r\nAB  - Light attracts birds.\r\n\
                      AB  - © 2024 Wiley. All rights reserved.\r\nTI  - Birds - PubMed - NCBI\r\n\
                      AU  - Larsen, LJ\r\nPY  - 2019\r\nAN  - 27570629\r\nDP  - NLM\r\nER  -\r\n\
                      TY  - JOUR\r\nTI  - Unclosed\r\nU1  - 35957633 [PMID]\r\n";
        let (records, problems) = parse_ris(source);
        assert_eq!(records.len(), 3, "{records:?}");
        assert!(problems.is_empty(), "{problems:?}");
        let a = &records[0];
        assert_eq!(a.title.as_deref(), Some("Retention trees."));
        assert_eq!(a.abstract_parts[0].1, "Trees were kept over decades.");
        assert_eq!((a.year, a.line), (Some(2020), 2));
        assert_eq!(a.authors[0].surname, "Holmstrom");
        assert_eq!(a.doi.as_deref(), Some("10.4236/ojf.2020.101008"));
        assert_eq!(a.keywords, ["forestry", "ecology"]);
        let b = &records[1];
        assert_eq!(b.abstract_parts[0].1, "Light attracts birds.");
        assert_eq!(b.title.as_deref(), Some("Birds"));
        assert_eq!(b.pmid.as_deref(), Some("27570629"));
        assert_eq!(records[2].pmid.as_deref(), Some("35957633"));
        assert!(sniff("TY  - JOUR\n"));
        assert!(!sniff("FN Clarivate Analytics Web of Science\nVR 1.0\n"));
    }
}
