//! MEDLINE tagged text, as PubMed exports it ("Send to: Citation manager", `.nbib`, or "File,
//! MEDLINE", `.txt`): one `TAG - value` line per field, with values continued on lines indented by
//! six spaces, and records separated by blank lines, each starting with `PMID-`.

use super::export::{bare_doi, first_year, person, Record};

/// Whether `source` (trimmed at its start) is MEDLINE text.
pub fn sniff(head: &str) -> bool {
    head.starts_with("PMID-") || head.starts_with("PMID -")
}

/// The records of `source`, and the problems met ("line 12: ...").
pub fn parse_medline(source: &str) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let problems = Vec::new();
    // Fields of the record being read: (tag, value, line).
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut start = 0;
    let flush = |fields: &mut Vec<(String, String)>, start: usize, records: &mut Vec<Record>| {
        if !fields.is_empty() {
            records.push(record(std::mem::take(fields), start));
        }
    };
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim_end_matches('\r').trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        if let Some((tag, value)) = tag_line(line) {
            if tag == "PMID" {
                flush(&mut fields, start, &mut records);
                start = i + 1;
            }
            fields.push((tag.to_string(), value.trim().to_string()));
        } else if let Some((_, value)) = fields.last_mut() {
            // A continuation line (six spaces), or a line wrapped without them: either way part
            // of the value above.
            value.push(' ');
            value.push_str(line.trim());
        }
    }
    flush(&mut fields, start, &mut records);
    (records, problems)
}

/// "TI  - Title" as ("TI", "Title"); also "PMID- 123" and "AB -" with no value.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 5 || bytes[4] != b'-' || bytes.get(5).is_some_and(|&b| b != b' ') {
        return None;
    }
    let tag = line[..4].trim_end();
    let valid = tag.len() >= 2
        && tag
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && !line[tag.len()..4].contains(|c: char| c != ' ');
    valid.then(|| (tag, line.get(6..).unwrap_or("")))
}

fn record(fields: Vec<(String, String)>, line: usize) -> Record {
    let mut r = Record {
        line,
        ..Record::default()
    };
    let mut short_authors = Vec::new();
    let mut full_authors = Vec::new();
    let (mut ta, mut jt) = (None, None);
    for (tag, value) in fields {
        match tag.as_str() {
            "PMID" => r.pmid = Some(value),
            "TI" => r.title = Some(value),
            "BTI" if r.title.is_none() => r.title = Some(value),
            "AB" => r.push_abstract_text(&value),
            "FAU" => full_authors.extend(person(&value)),
            "AU" => short_authors.extend(person(&value)),
            "DP" => r.year = first_year(&value),
            "TA" => ta = Some(value),
            "JT" => jt = Some(value),
            "LID" | "AID" if value.contains("[doi]") && r.doi.is_none() => r.doi = bare_doi(&value),
            "PMC" => r.pmcid = Some(value),
            "MH" | "OT" | "PT" => r.push_keyword(value.trim_start_matches('*')),
            _ => {}
        }
    }
    r.authors = if full_authors.is_empty() {
        short_authors
    } else {
        full_authors
    };
    r.journal = jt.or(ta);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_records_with_continuations() {
        let source = "\nPMID- 11890621\nOWN - NLM\nDP  - 2002 Jan\nTI  - Cyclic neutropenia and \
                      pyomyositis:\n      a rare cause.\nAB  - Primary pyomyositis is a pyogenic \
                      infection\n      of skeletal muscle.\nFAU - Waites, M D\nAU  - Waites MD\n\
                      FAU - Scott-Coombes, D\nAU  - Scott-Coombes D\nPT  - Case Reports\n\
                      JT  - Annals of Surgery\nMH  - *Fever/etiology\nLID - 10.1000/abc [doi]\n\
                      PMC - PMC123\n\nPMID- 2\nTI  - Second.\n";
        let (records, problems) = parse_medline(source);
        assert!(problems.is_empty());
        assert_eq!(records.len(), 2);
        let r = &records[0];
        assert_eq!(r.line, 2);
        assert_eq!(
            r.title.as_deref(),
            Some("Cyclic neutropenia and pyomyositis: a rare cause.")
        );
        assert_eq!(
            r.abstract_parts[0].1,
            "Primary pyomyositis is a pyogenic infection of skeletal muscle."
        );
        assert_eq!(r.authors[1].surname, "Scott-Coombes");
        assert_eq!((r.year, r.pmid.as_deref()), (Some(2002), Some("11890621")));
        assert_eq!(r.doi.as_deref(), Some("10.1000/abc"));
        assert_eq!(r.journal.as_deref(), Some("Annals of Surgery"));
        assert_eq!(r.keywords, ["Case Reports", "Fever/etiology"]);
        assert_eq!(records[1].line, 19);
        assert!(sniff("PMID- 1\n"));
    }
}
