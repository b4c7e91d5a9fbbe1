//! BM25 with chosen k1 and b, as a tantivy [`Query`] built on its public APIs (postings, field
//! norms, index statistics). tantivy's own term scoring fixes k1 = 1.2 and b = 0.75.
//!
//! Scoring is term-at-a-time into a per-segment accumulator, which suits the short
//! natural-language queries of ranking and evaluation.

use tantivy::postings::Postings;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// A bag of weighted terms in one field, scored with BM25(k1, b).
#[derive(Clone, Debug)]
pub struct Bm25Query {
    field: Field,
    terms: Vec<(Term, Score)>,
    k1: Score,
    b: Score,
}

impl Bm25Query {
    /// Terms (each with a query weight, e.g. its count in the query) in `field`.
    pub fn new(field: Field, terms: Vec<(Term, Score)>, k1: Score, b: Score) -> Bm25Query {
        Bm25Query {
            field,
            terms,
            k1,
            b,
        }
    }
}

impl Query for Bm25Query {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (weights, average) = match enable_scoring.searcher() {
            Some(searcher) => {
                let docs = searcher.num_docs().max(1) as f64;
                let mut tokens = 0u64;
                for segment in searcher.segment_readers() {
                    tokens += segment.inverted_index(self.field)?.total_num_tokens();
                }
                let mut weights = Vec::with_capacity(self.terms.len());
                for (term, weight) in &self.terms {
                    let n = searcher.doc_freq(term)? as f64;
                    let idf = (1.0 + (docs - n + 0.5) / (n + 0.5)).ln();
                    weights.push((term.clone(), idf as Score * weight));
                }
                (weights, (tokens as f64 / docs) as Score)
            }
            None => (self.terms.clone(), 1.0),
        };
        Ok(Box::new(Bm25Weight {
            field: self.field,
            terms: weights,
            k1: self.k1,
            b: self.b,
            average: average.max(1e-6),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct Bm25Weight {
    field: Field,
    /// Terms with idf × query weight.
    terms: Vec<(Term, Score)>,
    k1: Score,
    b: Score,
    average: Score,
}

impl Weight for Bm25Weight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let index = reader.inverted_index(self.field)?;
        let norms = reader.get_fieldnorms_reader(self.field)?;
        // Length normalisation per field-norm id, as tantivy caches it.
        let mut norm_cache = [0 as Score; 256];
        for (id, slot) in norm_cache.iter_mut().enumerate() {
            let length = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id as u8) as Score;
            *slot = self.k1 * (1.0 - self.b + self.b * length / self.average);
        }
        let mut scores = vec![0 as Score; reader.max_doc() as usize];
        let mut docs: Vec<DocId> = Vec::new();
        for (term, weight) in &self.terms {
            let Some(mut postings) = index.read_postings(term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let tf = postings.term_freq() as Score;
                let norm = norm_cache[norms.fieldnorm_id(doc) as usize];
                let slot = &mut scores[doc as usize];
                if *slot == 0.0 {
                    docs.push(doc);
                }
                *slot += boost * weight * tf * (self.k1 + 1.0) / (tf + norm);
                doc = postings.advance();
            }
        }
        docs.sort_unstable();
        let scored: Vec<(DocId, Score)> =
            docs.into_iter().map(|d| (d, scores[d as usize])).collect();
        Ok(Box::new(ListScorer { scored, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "BM25(k1, b) sum over terms",
            scorer.score(),
        ))
    }
}

/// Documents with their scores, in document order.
struct ListScorer {
    scored: Vec<(DocId, Score)>,
    at: usize,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.scored.get(self.at).map_or(TERMINATED, |(d, _)| *d)
    }

    fn size_hint(&self) -> u32 {
        self.scored.len().saturating_sub(self.at) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.scored.get(self.at).map_or(0.0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn matches_tantivy_bm25_at_its_parameters() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        for text in [
            "ketamine depression",
            "ketamine ketamine anesthesia trial",
            "depression therapy",
            "other words here entirely",
        ] {
            writer.add_document(doc!(body => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_text(body, "ketamine");
        let ours = searcher
            .search(
                &Bm25Query::new(body, vec![(term.clone(), 1.0)], 1.2, 0.75),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        let theirs = searcher
            .search(
                &TermQuery::new(term, IndexRecordOption::WithFreqs),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(ours.len(), 2);
        for ((a, da), (b, db)) in ours.iter().zip(&theirs) {
            assert_eq!(da, db);
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
        // Lower b favours the longer document less harshly.
        let term = Term::from_field_text(body, "ketamine");
        let flat = searcher
            .search(
                &Bm25Query::new(body, vec![(term, 1.0)], 0.9, 0.0),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(flat.len(), 2);
    }
}
