//! Natural-language ranking (batch search and `eval`): every word is a search term, BM25 over the
//! text field with abbreviation expansions below it, and RM3 pseudo-relevance feedback.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Score, TantivyDocument, Term};

use super::{Searcher, EXPANSION_BOOST, MAX_QUERY_BYTES, MAX_QUERY_TERMS};
use crate::error::Result;
use crate::index::schema::{is_stop_word, tokens};

/// Query weight of a joined hyphenated compound whose parts are also in the query: the parts
/// already match the compound, so the joined term counts for less than a word.
const COMPOUND_WEIGHT: f32 = 0.25;
/// RM3: feedback passages, feedback terms, and the weight kept by the original query.
const RM3_DOCS: usize = 10;
const RM3_TERMS: usize = 20;
const RM3_ORIGINAL: f32 = 0.8;
/// RM3: a feedback passage weighs exp((score - best score) / RM3_TEMPERATURE).
const RM3_TEMPERATURE: f32 = 2.0;
/// How natural-language queries are ranked; the default is what measured best (docs/retrieval-quality.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranking {
    /// Drop English stop words from the query.
    pub stop_words: bool,
    /// Pseudo-relevance feedback (RM3) for natural-language queries ([`Searcher::rank_articles`]).
    pub expand: bool,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            stop_words: true,
            expand: true,
        }
    }
}

impl Ranking {
    /// Plain BM25: every query word, stop words included, in the text field alone.
    pub fn plain() -> Ranking {
        Ranking {
            stop_words: false,
            expand: false,
        }
    }
}

impl Searcher {
    /// Articles ranked for a natural-language query (a question or a claim): every word is a
    /// search term, nothing is query syntax. An article scores as its best passage. With `expand`,
    /// the query is first expanded by pseudo-relevance feedback ([`RM3`]). Returns up to `limit`
    /// (article id, score) pairs, best first.
    pub fn rank_articles(
        &self,
        text: &str,
        limit: usize,
        ranking: Ranking,
    ) -> Result<Vec<(String, Score)>> {
        let mut terms = self.query_terms(text, ranking);
        if ranking.expand {
            terms = self.rm3(&terms, ranking)?;
        }
        let query = self.weighted_query(&terms, ranking);
        let searcher = self.reader.searcher();
        // Articles with many passages need a deeper pool of passages to fill `limit` articles.
        let mut pool = limit.max(1) * 3;
        loop {
            let top = searcher.search(&query, &TopDocs::with_limit(pool).order_by_score())?;
            let mut best: Vec<(String, Score)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (score, address) in &top {
                let doc: TantivyDocument = searcher.doc(*address)?;
                let article = doc
                    .get_first(self.fields.article)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                if seen.insert(article.clone()) {
                    best.push((article, *score));
                    if best.len() == limit {
                        break;
                    }
                }
            }
            if best.len() == limit || top.len() < pool {
                return Ok(best);
            }
            pool *= 4;
        }
    }

    /// The analysed words of `text`, stop words aside, each with its count; a joined hyphenated
    /// compound ("il6" of "IL-6") counts [`COMPOUND_WEIGHT`], its parts count in full.
    pub(super) fn query_terms(&self, text: &str, ranking: Ranking) -> Vec<(String, f32)> {
        let text = &text[..text.floor_char_boundary(MAX_QUERY_BYTES)];
        let mut analyzer = self.text_analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut words: Vec<(String, usize)> = Vec::new();
        while let Some(token) = stream.next() {
            words.push((token.text.clone(), token.position));
        }
        let mut counts: Vec<(String, f32)> = Vec::new();
        for (i, (word, position)) in words.iter().enumerate() {
            if ranking.stop_words && is_stop_word(word) {
                continue;
            }
            let joined = words.get(i + 1).is_some_and(|(_, p)| p == position);
            let weight = if joined { COMPOUND_WEIGHT } else { 1.0 };
            let full = counts.len() >= MAX_QUERY_TERMS;
            match counts.iter_mut().find(|(w, _)| w == word) {
                Some((_, n)) => *n += weight,
                None if !full => counts.push((word.clone(), weight)),
                None => {}
            }
        }
        counts
    }

    /// BM25 over title, section and text as one field, plus abbreviation expansions weighted
    /// below, which only passages have: one flat union of term queries, so that tantivy's block-max WAND can skip blocks
    /// that cannot reach the top hits.
    pub(super) fn weighted_query(
        &self,
        terms: &[(String, f32)],
        ranking: Ranking,
    ) -> Box<dyn Query> {
        let mut fields = vec![(self.fields.text, 1.0)];
        if ranking.stop_words {
            fields.push((self.fields.expansion, EXPANSION_BOOST));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in fields {
            for (word, n) in terms {
                let term = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost * n)),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// RM3 (Lavrenko & Croft's relevance model mixed with the query): the words of the top
    /// [`RM3_DOCS`] passages, each passage weighted by exp(score / [`RM3_TEMPERATURE`]) (its query
    /// likelihood, as the relevance model has it, rather than its share of the scores), each word
    /// by its idf; the [`RM3_TERMS`] heaviest join the original query, which keeps
    /// [`RM3_ORIGINAL`] of the weight.
    fn rm3(&self, terms: &[(String, f32)], ranking: Ranking) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let query = self.weighted_query(terms, ranking);
        let top = searcher.search(&query, &TopDocs::with_limit(RM3_DOCS).order_by_score())?;
        let Some(&(best, _)) = top.first() else {
            return Ok(terms.to_vec());
        };
        let mut model: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        for (score, address) in &top {
            let weight = ((score - best) / RM3_TEMPERATURE).exp();
            let doc: TantivyDocument = searcher.doc(*address)?;
            let text = [self.fields.title, self.fields.section, self.fields.body]
                .iter()
                .filter_map(|f| doc.get_first(*f).and_then(|v| v.as_str()))
                .collect::<Vec<_>>()
                .join(" ");
            let words: Vec<String> = tokens(&mut self.text_analyzer.clone(), &text)
                .into_iter()
                .filter(|w| !is_stop_word(w) && w.chars().any(char::is_alphabetic))
                .collect();
            let len = words.len().max(1) as f32;
            for w in words {
                *model.entry(w).or_default() += weight / len;
            }
        }
        let mut feedback: Vec<(String, f32)> = model.into_iter().collect();
        // Words common everywhere say little about this query: weigh each by its BM25 idf.
        let n = searcher.num_docs() as f32;
        for (w, p) in feedback.iter_mut() {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.text, w))? as f32;
            *p *= (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        }
        feedback.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        feedback.truncate(RM3_TERMS);
        let feedback_total: f32 = feedback.iter().map(|(_, p)| p).sum();
        let query_total: f32 = terms.iter().map(|(_, n)| n).sum();
        let mut mixed: Vec<(String, f32)> = terms
            .iter()
            .map(|(w, n)| (w.clone(), RM3_ORIGINAL * n / query_total))
            .collect();
        for (w, p) in feedback {
            let add = (1.0 - RM3_ORIGINAL) * p / feedback_total;
            match mixed.iter_mut().find(|(m, _)| *m == w) {
                Some((_, weight)) => *weight += add,
                None => mixed.push((w, add)),
            }
        }
        Ok(mixed)
    }
}
