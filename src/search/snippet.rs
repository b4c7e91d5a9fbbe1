//! Hits: a stored document turned into a [`Hit`], its snippet with the matched words highlighted.

use std::ops::Range;

use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, TantivyDocument, Term};

use super::{Hit, Searcher, SNIPPET_CHARS};
use crate::error::Result;

impl Searcher {
    /// Highlights the query's words of the `text` field in the stored paragraph (`body`), the
    /// rarer words weighing more, as tantivy's `SnippetGenerator::create` does for one field.
    pub(super) fn snippet_generator(
        &self,
        stats: &dyn Bm25StatisticsProvider,
        query: &dyn Query,
    ) -> Result<SnippetGenerator> {
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            let f = term.field();
            if f == self.fields.text || f == self.fields.expansion || f == self.fields.entry {
                terms.insert(Term::from_field_text(
                    self.fields.text,
                    term.value().as_str().unwrap_or_default(),
                ));
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let df = stats.doc_freq(&term)?;
            if df > 0 {
                weights.insert(
                    term.value().as_str().unwrap_or_default().to_string(),
                    1.0 / (1.0 + df as Score),
                );
            }
        }
        let analyzer = self.index.tokenizer_for_field(self.fields.text)?;
        Ok(SnippetGenerator::new(
            weights,
            analyzer,
            self.fields.body,
            SNIPPET_CHARS,
        ))
    }

    /// The hit a stored document shows as, at `rank` with `score`; its snippet is left empty.
    pub(super) fn hit(&self, doc: &TantivyDocument, rank: usize, score: Option<Score>) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let mut years: Vec<u16> = doc
            .get_all(f.year)
            .filter_map(|v| v.as_u64())
            .filter_map(|y| u16::try_from(y).ok())
            .collect();
        years.sort_unstable();
        let cites = doc
            .get_all(f.cites)
            .filter_map(|v| v.as_str())
            .filter_map(|s| serde_json::from_str(s).ok())
            .collect();
        let reference = doc
            .get_first(f.reference)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok());
        Hit {
            rank,
            score,
            id: text(f.id),
            kind: text(f.kind),
            article: text(f.article),
            path: text(f.path),
            title: text(f.title),
            section: text(f.section),
            page: doc
                .get_first(f.page)
                .and_then(|v| v.as_u64())
                .and_then(|p| u32::try_from(p).ok()),
            years,
            published: doc
                .get_first(f.article_year)
                .and_then(|v| v.as_u64())
                .and_then(|y| u16::try_from(y).ok()),
            pmid: doc
                .get_first(f.pmid)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            doi: doc
                .get_first(f.doi)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            cites,
            reference,
            text: text(f.body),
            snippet: String::new(),
            highlights: Vec::new(),
            title_highlights: Vec::new(),
            section_highlights: Vec::new(),
            signals: None,
        }
    }
}

/// The byte ranges of the words `generator` marks in `text` (a title or a heading: shorter than
/// a snippet, so its fragment is the whole of it).
pub(super) fn highlighted_in(generator: &SnippetGenerator, text: &str) -> Vec<Range<usize>> {
    let snippet = generator.snippet(text);
    let start = snippet.fragment_range().start;
    snippet
        .highlighted()
        .iter()
        .map(|r| r.start + start..r.end + start)
        .collect()
}

/// The start of `text`, cut at a word boundary.
pub(super) fn leading(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::leading;

    #[test]
    fn leading_cuts_at_a_word() {
        assert_eq!(leading("short", 10), "short");
        assert_eq!(leading("one two three", 8), "one two…");
    }
}

#[cfg(test)]
mod hits {
    use super::super::{search_test_articles, Request};

    #[test]
    fn snippets_highlight_the_matched_words() {
        let results = search_test_articles(Request {
            query: Some("NMDA depression".into()),
            ..Request::default()
        });
        let hit = &results.unwrap().hits[0];
        assert_eq!(hit.id, "a0.md#p0");
        let marked: Vec<&str> = hit
            .highlights
            .iter()
            .map(|r| &hit.snippet[r.clone()])
            .collect();
        assert!(marked.contains(&"NMDA"), "{marked:?}");
        assert!(
            marked.iter().any(|m| m.eq_ignore_ascii_case("depression")),
            "{marked:?}"
        );
        assert_eq!(hit.section, "Introduction");
        let in_title: Vec<&str> = hit
            .title_highlights
            .iter()
            .map(|r| &hit.title[r.clone()])
            .collect();
        assert_eq!(in_title, ["depression"], "{}", hit.title);
        assert!(hit.section_highlights.is_empty());
        assert_eq!(hit.years, [2016]);
        assert_eq!(hit.cites[0].label, "Duman et al., 2016");
    }

    #[test]
    fn without_a_query_the_snippet_is_the_start_of_the_text() {
        let hits = search_test_articles(Request {
            kind: crate::search::Kind::Reference,
            ..Request::default()
        })
        .unwrap()
        .hits;
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|h| h.score.is_none()
            && h.highlights.is_empty()
            && h.title_highlights.is_empty()));
        assert!(hits[0].snippet.starts_with("Duman, R. S."));
        let reference = hits[0].reference.as_ref().unwrap();
        assert_eq!(reference.year, Some(2016));
    }
}
