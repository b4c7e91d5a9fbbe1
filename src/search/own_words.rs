//! Which passage of an article a search shows first. Every passage is indexed with its article's
//! title, so that a passage is found in the context of its article (as passage retrieval with
//! titles does). A word of the query that is only in the title then matches every passage of the
//! article alike, and BM25's length normalisation puts the shortest first: a figure caption or
//! "We have no competing interests." above the paragraphs that talk about the query. So, within
//! an article, a passage that matches only through the title (its own text, that is its
//! paragraph, section heading and the abbreviations it expands, holds none of the query's words)
//! ranks below every passage of that article whose own text does. Articles keep their best
//! passage's place whenever it has the words; an article whose passages match only through its
//! title is not moved, nor is a passage that matches no word (found by meaning alone).

use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::Query;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyError, Term};

use crate::error::Result;
use crate::index::schema::Fields;

/// How deep a ranked list is examined: an article's passages below this rank are not seen.
pub(super) const DEPTH: usize = 100;

/// How a passage holds the words of a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Words {
    /// Its own text holds one: a word of the text field found more often there than in the title
    /// (the rest of the text field is the section heading and the paragraph), or a word of the
    /// abbreviation expansions.
    Own,
    /// Only its article's title holds them.
    TitleOnly,
    /// No word of the query, as far as its terms tell (found by meaning, or by a prefix).
    None,
}

/// For each of `found`, how it holds the words of `query`.
pub(super) fn words_held(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    found: &[DocAddress],
) -> Result<Vec<Words>> {
    let mut text = Vec::new();
    let mut expansion = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == fields.text {
            text.push(term.clone());
        } else if term.field() == fields.expansion {
            expansion.push(term.clone());
        }
    });
    text.sort();
    text.dedup();
    expansion.sort();
    expansion.dedup();
    let mut held = vec![Words::None; found.len()];
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| found[i]);
    for segment in order.chunk_by(|&a, &b| found[a].segment_ord == found[b].segment_ord) {
        let reader = searcher.segment_reader(found[segment[0]].segment_ord);
        let in_text = reader.inverted_index(fields.text)?;
        let in_title = reader.inverted_index(fields.title)?;
        let in_expansion = reader.inverted_index(fields.expansion)?;
        for term in &text {
            let title = Term::from_field_bytes(fields.title, term.serialized_value_bytes());
            let mut text_postings = in_text
                .read_postings(term, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)?;
            let mut title_postings = in_title
                .read_postings(&title, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)?;
            for &i in segment {
                let doc = found[i].doc_id;
                if held[i] == Words::Own {
                    continue;
                }
                let (in_text, in_title) = (
                    freq(&mut text_postings, doc),
                    freq(&mut title_postings, doc),
                );
                if in_text > in_title {
                    held[i] = Words::Own;
                } else if in_title > 0 {
                    held[i] = Words::TitleOnly;
                }
            }
        }
        for term in &expansion {
            let mut postings = in_expansion
                .read_postings(term, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)?;
            for &i in segment {
                if freq(&mut postings, found[i].doc_id) > 0 {
                    held[i] = Words::Own;
                }
            }
        }
    }
    Ok(held)
}

/// How often the term of `postings` occurs in `doc` (0 without postings). Docs must come in
/// ascending order.
fn freq(postings: &mut Option<SegmentPostings>, doc: u32) -> u32 {
    let Some(p) = postings else { return 0 };
    if p.doc() < doc {
        p.seek(doc);
    }
    if p.doc() == doc {
        p.term_freq()
    } else {
        0
    }
}

/// Rank each passage of `ranked` (best first, with its score, its article's id in `articles`
/// and how it holds the query's words in `held`) that matches only through its title below every
/// passage of its article with words of its own: it takes the score just under the lowest of
/// those. Ties keep their order.
pub(super) fn rank_own_words_first<T>(
    ranked: Vec<(DocAddress, Score, T)>,
    held: &[Words],
    articles: &[String],
) -> Vec<(DocAddress, Score, T)> {
    let mut lowest_own: HashMap<&str, Score> = HashMap::new();
    for (i, (_, score, _)) in ranked.iter().enumerate() {
        if held[i] == Words::Own {
            let low = lowest_own.entry(articles[i].as_str()).or_insert(*score);
            *low = low.min(*score);
        }
    }
    let mut rescored: Vec<(usize, DocAddress, Score, T)> = ranked
        .into_iter()
        .enumerate()
        .map(|(i, (address, score, extra))| {
            let score = match lowest_own.get(articles[i].as_str()) {
                Some(&low) if held[i] == Words::TitleOnly && score >= low => low.next_down(),
                _ => score,
            };
            (i, address, score, extra)
        })
        .collect();
    rescored.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    rescored
        .into_iter()
        .map(|(_, address, score, extra)| (address, score, extra))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: u32) -> DocAddress {
        DocAddress::new(0, doc)
    }

    #[test]
    fn a_passage_without_its_own_words_ranks_below_those_of_its_article_with_them() {
        // Article a: a caption matched through the title (doc 1) above two paragraphs that say
        // the word (docs 2, 3); article b matches through its title only (doc 4).
        let ranked = vec![
            (at(1), 9.0, ()),
            (at(4), 8.0, ()),
            (at(2), 6.0, ()),
            (at(5), 5.0, ()),
            (at(3), 4.0, ()),
        ];
        let (own, title) = (Words::Own, Words::TitleOnly);
        let held = [title, title, own, own, own];
        let articles: Vec<String> = ["a", "b", "a", "c", "a"].map(String::from).to_vec();
        let out = rank_own_words_first(ranked.clone(), &held, &articles);
        let docs: Vec<u32> = out.iter().map(|(a, _, _)| a.doc_id).collect();
        assert_eq!(docs, [4, 2, 5, 3, 1]);
        // b keeps its score; the caption takes the score just under a's lowest paragraph.
        assert_eq!(out[0].1, 8.0);
        assert!(out[4].1 < 4.0 && out[4].1 > 3.99);
        // A passage that matches no word (found by meaning) is not moved.
        let held = [Words::None, title, own, own, own];
        let out = rank_own_words_first(ranked, &held, &articles);
        let docs: Vec<u32> = out.iter().map(|(a, _, _)| a.doc_id).collect();
        assert_eq!(docs, [1, 4, 2, 5, 3]);
    }

    #[test]
    fn lists_where_no_passage_must_move_are_kept() {
        let ranked = vec![(at(1), 2.0, ()), (at(2), 1.0, ())];
        let articles: Vec<String> = ["a", "a"].map(String::from).to_vec();
        let (own, title) = (Words::Own, Words::TitleOnly);
        // Every passage, or none, with words of its own; one without that already ranks below.
        for held in [[own, own], [title, title], [own, title]] {
            let out = rank_own_words_first(ranked.clone(), &held, &articles);
            assert_eq!(out, ranked);
        }
    }
}
