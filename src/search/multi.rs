//! Copies of a hit shown once: an article present in more than one of the indexes searched as
//! one, and a passage of a work held in two files (a PDF and its publisher's XML, a PDF and its
//! export record).

use std::collections::{HashMap, HashSet};

use super::Hit;

/// Containment (the share of one's word set among the other's) from which two passages or
/// entries of one work are the same text read twice: Broder's usual bound for near-duplicates.
/// A PDF's text differs from its XML's by hyphenation, ligatures and citation marks, and a PDF
/// caption carries the text drawn in its figure after the words of the XML's caption.
const SAME_TEXT: f64 = 0.9;

/// `hits` (in rank order, from `offset` 0) with copies left out, then the page
/// `offset..offset + limit`, renumbered, and how many copies of all `hits` were left out. A hit
/// is a copy when a hit ranked above it
/// - from another index, is the same passage or reference (same number) of an article with the
///   same id, DOI or PMID;
/// - or, from another article with the same DOI or PMID, has nearly all its words among the
///   other's, or the other's among its ([`SAME_TEXT`]).
///
/// `parts[i]` is the index hit `i` comes from.
pub(crate) fn once_each(
    hits: Vec<Hit>,
    parts: &[Option<usize>],
    offset: usize,
    limit: usize,
) -> (Vec<Hit>, usize) {
    let all = hits.len();
    let mut seen: HashMap<String, Option<usize>> = HashMap::new();
    // Work key → the kept hits of that work, as (article, words) in `texts`.
    let mut works_kept: HashMap<String, Vec<usize>> = HashMap::new();
    let mut texts: Vec<(String, HashSet<String>)> = Vec::new();
    let mut kept = Vec::with_capacity(hits.len());
    for (hit, &part) in hits.into_iter().zip(parts) {
        let number = hit.id.rsplit_once('#').map_or("", |(_, n)| n);
        let works: Vec<String> = [
            hit.doi
                .as_ref()
                .map(|d| format!("doi:{}", d.to_lowercase())),
            hit.pmid.as_ref().map(|p| format!("pmid:{p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let keys: Vec<String> = std::iter::once(format!("id:{}", hit.article))
            .chain(works.iter().cloned())
            .map(|k| format!("{k}#{number}"))
            .collect();
        if keys.iter().any(|k| seen.get(k).is_some_and(|&p| p != part)) {
            continue;
        }
        if !works.is_empty() {
            // Only a hit of a known work can be a copy by its text.
            let words = words(&hit.text);
            let copy = works
                .iter()
                .flat_map(|w| works_kept.get(w))
                .flatten()
                .any(|&t| {
                    let (article, other) = &texts[t];
                    *article != hit.article && containment(&words, other) >= SAME_TEXT
                });
            if copy {
                continue;
            }
            for work in works {
                works_kept.entry(work).or_default().push(texts.len());
            }
            texts.push((hit.article.clone(), words));
        }
        for key in keys {
            seen.entry(key).or_insert(part);
        }
        kept.push(hit);
    }
    let copies = all - kept.len();
    let mut page: Vec<Hit> = kept.into_iter().skip(offset).take(limit).collect();
    for (i, hit) in page.iter_mut().enumerate() {
        hit.rank = offset + i + 1;
    }
    (page, copies)
}

/// The lowercased words (runs of letters and digits) of `text`.
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Broder's containment of the smaller of two word sets in the larger: the share of its words
/// the other has (0 when one is empty: nothing shows them alike).
fn containment(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    match a.len().min(b.len()) {
        0 => 0.0,
        n => a.intersection(b).count() as f64 / n as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, doi: Option<&str>) -> Hit {
        let article = id.split('#').next().unwrap().to_string();
        Hit {
            rank: 0,
            score: Some(1.0),
            id: id.into(),
            kind: "passage".into(),
            article,
            path: String::new(),
            title: String::new(),
            section: String::new(),
            page: None,
            years: Vec::new(),
            published: None,
            pmid: None,
            doi: doi.map(str::to_string),
            cites: Vec::new(),
            reference: None,
            text: String::new(),
            snippet: String::new(),
            highlights: Vec::new(),
            title_highlights: Vec::new(),
            section_highlights: Vec::new(),
            signals: None,
        }
    }

    #[test]
    fn copies_from_other_indexes_are_left_out() {
        let hits = vec![
            hit("a.md#p0", None),
            hit("a.md#p0", None),
            hit("b.pdf#p1", Some("10.1/X")),
            hit("b.xml#p1", Some("10.1/x")),
            hit("b.xml#p2", Some("10.1/x")),
            hit("c.md#p0", None),
            hit("c.md#p0", None),
        ];
        let parts = [
            Some(0),
            Some(1),
            Some(0),
            Some(1),
            Some(1),
            Some(0),
            Some(0),
        ];
        let ids = |hits: &[Hit]| hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        let (all, copies) = once_each(hits.clone(), &parts, 0, 10);
        assert_eq!(copies, 2);
        // Same id, and same DOI with the same passage number, from another index: left out;
        // another passage of the same work, and copies within one index, kept.
        assert_eq!(
            ids(&all),
            ["a.md#p0", "b.pdf#p1", "b.xml#p2", "c.md#p0", "c.md#p0"]
        );
        let (page, _) = once_each(hits, &parts, 1, 2);
        assert_eq!(ids(&page), ["b.pdf#p1", "b.xml#p2"]);
        assert_eq!((page[0].rank, page[1].rank), (2, 3));
    }

    #[test]
    fn the_same_text_of_one_work_in_two_files_is_shown_once() {
        let text = |id: &str, doi: Option<&str>, text: &str| Hit {
            text: text.into(),
            ..hit(id, doi)
        };
        let methods = "Ketamine (0.5 mg/kg) was infused over 40 minutes in 20 patients with \
                       treatment-resistant depression; dissociation was rated at 40 minutes";
        let hits = vec![
            text("a.pdf#p3", Some("10.1/A"), methods),
            // The XML's copy: the same words but for a hyphenated word and a citation mark.
            text(
                "a.xml#p4",
                Some("10.1/a"),
                &format!(
                    "{} treatment resistant [12]",
                    methods.replace("treatment-", "")
                ),
            ),
            // Another passage of the work, a passage of another work, and the PDF's own
            // repetition of a passage: kept.
            text(
                "a.xml#p5",
                Some("10.1/a"),
                "Response was defined in advance.",
            ),
            text("b.pdf#p3", Some("10.1/b"), methods),
            text("a.pdf#p9", Some("10.1/A"), methods),
        ];
        let (kept, copies) = once_each(hits, &[None; 5], 0, 10);
        assert_eq!(copies, 1);
        let ids: Vec<&str> = kept.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a.pdf#p3", "a.xml#p5", "b.pdf#p3", "a.pdf#p9"]);
        // A PDF caption with the text drawn in its figure after it is the XML caption's copy,
        // whichever ranks first.
        let caption = "Figure 7: Interventricular septum with hematoma accompanied with \
                       microvascular obstruction";
        let drawn = format!("{caption} LV RV 0 10 20 30 LGE (a) (b)");
        for (first, second) in [(caption, drawn.as_str()), (drawn.as_str(), caption)] {
            let hits = vec![
                text("a.xml#p7", Some("10.1/a"), first),
                text("a.pdf#p9", Some("10.1/a"), second),
            ];
            assert_eq!(once_each(hits, &[None; 2], 0, 10).1, 1);
        }
    }
}
