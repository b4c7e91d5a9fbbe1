//! Hits from several indexes searched as one: an article present in more than one of them is
//! shown once.

use std::collections::HashMap;

use super::Hit;

/// `hits` (in rank order, from `offset` 0) with the copies of an article that another index also
/// holds left out, then the page `offset..offset + limit`, renumbered. A hit is a copy when a hit
/// ranked above it, from another index, is the same passage or reference (same number) of an
/// article with the same id, DOI or PMID. Copies within one index are kept, as one index keeps
/// them. `parts[i]` is the index hit `i` comes from.
pub(crate) fn once_each(
    hits: Vec<Hit>,
    parts: &[Option<usize>],
    offset: usize,
    limit: usize,
) -> Vec<Hit> {
    let mut seen: HashMap<String, Option<usize>> = HashMap::new();
    let mut kept = Vec::with_capacity(hits.len());
    for (hit, &part) in hits.into_iter().zip(parts) {
        let number = hit.id.rsplit_once('#').map_or("", |(_, n)| n);
        let keys = [
            Some(format!("id:{}#{number}", hit.article)),
            hit.doi
                .as_ref()
                .map(|d| format!("doi:{}#{number}", d.to_lowercase())),
            hit.pmid.as_ref().map(|p| format!("pmid:{p}#{number}")),
        ];
        let keys: Vec<String> = keys.into_iter().flatten().collect();
        if keys.iter().any(|k| seen.get(k).is_some_and(|&p| p != part)) {
            continue;
        }
        for key in keys {
            seen.entry(key).or_insert(part);
        }
        kept.push(hit);
    }
    let mut page: Vec<Hit> = kept.into_iter().skip(offset).take(limit).collect();
    for (i, hit) in page.iter_mut().enumerate() {
        hit.rank = offset + i + 1;
    }
    page
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
            years: Vec::new(),
            published: None,
            pmid: None,
            doi: doi.map(str::to_string),
            cites: Vec::new(),
            reference: None,
            text: String::new(),
            snippet: String::new(),
            highlights: Vec::new(),
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
        let all = once_each(hits.clone(), &parts, 0, 10);
        // Same id, and same DOI with the same passage number, from another index: left out;
        // another passage of the same work, and copies within one index, kept.
        assert_eq!(
            ids(&all),
            ["a.md#p0", "b.pdf#p1", "b.xml#p2", "c.md#p0", "c.md#p0"]
        );
        let page = once_each(hits, &parts, 1, 2);
        assert_eq!(ids(&page), ["b.pdf#p1", "b.xml#p2"]);
        assert_eq!((page[0].rank, page[1].rank), (2, 3));
    }
}
