//! Passages that match a query only through their context: their article's title, or their
//! section's heading. Every passage is indexed with both (so that it is found in its article's
//! and section's context, as passage retrieval with titles does), and a word that only the
//! title holds then matches every passage of the article; one that only the heading holds,
//! every passage of the section. BM25 weighs such a match by the passage's length, so the
//! shortest passage came first (a figure caption, "We have no competing interests.", a caption
//! under a "Sample size" heading), above the paragraphs that talk about the query. The title
//! and the heading say something of the article and the section, not of the passage's length:
//! in interactive search, a passage whose own text (paragraph, expanded abbreviations,
//! reference entry) holds none of the query's words is scored as if it were of average length,
//! never higher than BM25 scored it. ("Title-only" below stands for this: title or heading.)
//! It is a function of the passage alone, so shards and several indexes rank as one index does.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use crate::index::schema::Fields;

/// BM25's k1 and b, as tantivy scores with them.
const K1: Score = 1.2;
const B: Score = 0.75;

/// The rule for one query: its words, and the average length of the text field.
pub(super) struct TitleOnly {
    /// Words of the text field, each with the same word in the title and section fields.
    text: Vec<(Term, Term, Term)>,
    /// Words of fields that only a passage's (or reference's) own text fills.
    own: Vec<Term>,
    text_field: Field,
    average_length: Score,
}

impl TitleOnly {
    /// The rule for the text part of a query, scored with `stats`; `None` when the query has no
    /// word of the text field (then no passage matches through the title alone).
    pub(super) fn new(
        fields: &Fields,
        words: &dyn Query,
        stats: &dyn Bm25StatisticsProvider,
    ) -> tantivy::Result<Option<TitleOnly>> {
        let mut text = Vec::new();
        let mut own = Vec::new();
        words.query_terms(&mut |term, _| {
            if term.field() == fields.text {
                let word = term.serialized_value_bytes();
                let title = Term::from_field_bytes(fields.title, word);
                let section = Term::from_field_bytes(fields.section, word);
                text.push((term.clone(), title, section));
            } else if term.field() == fields.expansion || term.field() == fields.entry {
                own.push(term.clone());
            }
        });
        if text.is_empty() {
            return Ok(None);
        }
        text.sort();
        text.dedup();
        own.sort();
        own.dedup();
        let docs = stats.total_num_docs()?.max(1) as Score;
        let tokens = stats.total_num_tokens(fields.text)? as Score;
        Ok(Some(TitleOnly {
            text,
            own,
            text_field: fields.text,
            average_length: (tokens / docs).max(1.0),
        }))
    }

    /// The rule over one segment, for documents taken in ascending order.
    pub(super) fn segment(&self, reader: &SegmentReader) -> tantivy::Result<SegmentTitleOnly> {
        let postings = |term: &Term| -> tantivy::Result<Option<SegmentPostings>> {
            reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::WithFreqs)
                .map_err(TantivyError::from)
        };
        let mut text = Vec::with_capacity(self.text.len());
        for (word, in_title, in_section) in &self.text {
            text.push((postings(word)?, postings(in_title)?, postings(in_section)?));
        }
        let own = self
            .own
            .iter()
            .map(postings)
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentTitleOnly {
            text,
            own,
            lengths: reader.get_fieldnorms_reader(self.text_field)?,
            average_length: self.average_length,
        })
    }
}

/// [`TitleOnly`] over one segment.
pub(super) struct SegmentTitleOnly {
    text: Vec<(
        Option<SegmentPostings>,
        Option<SegmentPostings>,
        Option<SegmentPostings>,
    )>,
    own: Vec<Option<SegmentPostings>>,
    lengths: FieldNormReader,
    average_length: Score,
}

impl SegmentTitleOnly {
    /// `score` (BM25's for `doc`), or, when only the title or the heading holds the query's
    /// words, the score the same match gets in a passage of average length if that is lower:
    /// BM25's term weight for a word seen once, (k1 + 1) / (1 + k1 (1 - b + b len / avg)), at
    /// the average length over at the passage's. Documents must come in ascending order.
    pub(super) fn score(&mut self, doc: DocId, score: Score) -> Score {
        if !self.title_only(doc) {
            return score;
        }
        at_average_length(
            score,
            self.lengths.fieldnorm(doc) as Score,
            self.average_length,
        )
    }

    /// Whether the words of the query that `doc` holds are all in its title or section heading.
    /// Documents must come in ascending order.
    pub(super) fn title_only(&mut self, doc: DocId) -> bool {
        let mut in_title = false;
        for (text, title, section) in &mut self.text {
            let (t, h) = (freq(text, doc), freq(title, doc) + freq(section, doc));
            if t > h {
                return false;
            }
            in_title |= h > 0;
        }
        in_title && self.own.iter_mut().all(|p| freq(p, doc) == 0)
    }
}

/// `score`, of a passage of `length` words matching words seen once, as a passage of `average`
/// length would score, if that is lower.
fn at_average_length(score: Score, length: Score, average: Score) -> Score {
    let norm = 1.0 - B + B * length / average;
    let ratio = (1.0 + K1 * norm) / (1.0 + K1);
    score * ratio.min(1.0)
}

/// How often the term of `postings` occurs in `doc` (0 without postings), docs ascending.
fn freq(postings: &mut Option<SegmentPostings>, doc: DocId) -> u32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// BM25's weight of a word seen once in a passage of `length` words.
    fn bm25(idf: Score, length: Score, average: Score) -> Score {
        idf * (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * length / average))
    }

    #[test]
    fn a_short_passage_scores_as_one_of_average_length_and_a_long_one_keeps_its_score() {
        let (idf, average) = (3.0, 120.0);
        for length in [8.0, 30.0, 119.0] {
            let score = bm25(idf, length, average);
            let neutral = at_average_length(score, length, average);
            assert!(
                (neutral - bm25(idf, average, average)).abs() < 1e-5,
                "{length}"
            );
            assert!(neutral < score);
        }
        let long = bm25(idf, 400.0, average);
        assert_eq!(at_average_length(long, 400.0, average), long);
    }
}
