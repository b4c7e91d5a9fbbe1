//! In-text citations found in plain text, against the xref markup of JATS articles.

use serde::Serialize;

use super::score::ratio;

/// Precision and recall of found items against gold ones, counted on each side.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Detection {
    /// Found items that are right.
    pub found_right: usize,
    /// Found items.
    pub found: usize,
    /// Gold items that were found.
    pub gold_found: usize,
    /// Gold items.
    pub gold: usize,
}

impl Detection {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.found_right, self.found)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.gold_found, self.gold)
    }
}

/// How well in-text citations are found and resolved, against the `bibr` xrefs of JATS articles.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct CitationAccuracy {
    /// Citation mentions: a found span is right when it overlaps an xref, an xref is found when a
    /// found span overlaps it.
    pub mentions: Detection,
    /// Cited references per passage (as multisets): found references against the xrefs' targets.
    pub resolutions: Detection,
}

/// Run the plain-text citation finder over each passage of `articles` (whose citations came from
/// xref markup) and compare.
pub fn citation_accuracy(articles: &[crate::model::Article]) -> CitationAccuracy {
    let mut acc = CitationAccuracy::default();
    for article in articles {
        for (_, passage) in article.passages() {
            let gold_spans: Vec<(usize, usize)> = {
                let mut s: Vec<_> = passage.citations.iter().map(|c| c.span).collect();
                s.dedup();
                s
            };
            let found = crate::citation::find_citations(&passage.text, &article.references);
            let mut found_spans: Vec<(usize, usize)> = found.iter().map(|c| c.span).collect();
            found_spans.dedup();
            let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
            acc.mentions.found += found_spans.len();
            acc.mentions.found_right += found_spans
                .iter()
                .filter(|f| gold_spans.iter().any(|g| overlaps(**f, *g)))
                .count();
            acc.mentions.gold += gold_spans.len();
            acc.mentions.gold_found += gold_spans
                .iter()
                .filter(|g| found_spans.iter().any(|f| overlaps(*f, **g)))
                .count();
            let mut gold_refs: Vec<usize> = passage
                .citations
                .iter()
                .flat_map(|c| c.references.iter().copied())
                .collect();
            let mut found_refs: Vec<usize> = found
                .iter()
                .flat_map(|c| c.references.iter().copied())
                .collect();
            gold_refs.sort_unstable();
            found_refs.sort_unstable();
            let common = multiset_intersection(&gold_refs, &found_refs);
            acc.resolutions.found += found_refs.len();
            acc.resolutions.found_right += common;
            acc.resolutions.gold += gold_refs.len();
            acc.resolutions.gold_found += common;
        }
    }
    acc
}

fn multiset_intersection(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
