//! Natural-language ranking (batch search and `eval`): every word is a search term, BM25 over the
//! text field with abbreviation expansions below it, and RM3 pseudo-relevance feedback.

use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Score, TantivyDocument, Term};

use super::rank::{self, Candidate, Clause, TopHits};
use super::{Searcher, EXPANSION_BOOST, MAX_QUERY_BYTES, MAX_QUERY_TERMS};
use crate::error::Result;
use crate::index::schema::{is_stop_word, tokens};

/// Query weight of a joined hyphenated compound whose parts are also in the query: the parts
/// already match the compound, so the joined term counts for less than a word.
const COMPOUND_WEIGHT: f32 = 0.25;
/// RM3: feedback passages, feedback terms, and the weight kept by the original query.
pub(super) const RM3_DOCS: usize = 10;
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
        let clauses = self.clauses(&terms, ranking);
        let depth = match self.semantic {
            Some(_) => limit.max(super::hybrid::CANDIDATES),
            None => limit.max(1),
        };
        let lexical = self.stable_top(&clauses, depth, true, None)?.into_iter();
        let lexical = lexical.map(|c| (c.article, c.score)).collect();
        match &self.semantic {
            Some(semantic) => self.rank_articles_hybrid(semantic, text, limit, lexical, &clauses),
            None => Ok(lexical),
        }
    }

    /// The best `k` passages (with `per_article`, the best passage of each of the best `k`
    /// articles) for a union of clauses, by scores that do not depend on the segments, ties by
    /// article id and passage number. Article ids come from a fast field: no stored document is
    /// read. Scores use the collection statistics of `stats` (the searcher's own when `None`).
    pub(super) fn stable_top(
        &self,
        clauses: &[Clause],
        k: usize,
        per_article: bool,
        stats: Option<&dyn Bm25StatisticsProvider>,
    ) -> Result<Vec<Candidate>> {
        let searcher = self.reader.searcher();
        let stats = stats.unwrap_or(&searcher);
        let collector = TopHits {
            k,
            per_article,
            prune: true,
            keys: &self.keys,
            eager: true,
            title_only: None,
        };
        self.keys.keep_only(&searcher);
        let mut top =
            searcher.search_with_statistics_provider(&union(clauses), &collector, stats)?;
        Clause::rescore(clauses, &searcher, stats, &mut top)?;
        rank::sort(&mut top);
        if per_article {
            let mut seen = std::collections::HashSet::new();
            top.retain(|c| seen.insert(c.article.clone()));
        }
        top.truncate(k);
        Ok(top)
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
    /// below, which only passages have: one flat union of term queries, so that tantivy's
    /// block-max WAND can skip blocks that cannot reach the top hits.
    pub(super) fn weighted_query(
        &self,
        terms: &[(String, f32)],
        ranking: Ranking,
    ) -> Box<dyn Query> {
        union(&self.clauses(terms, ranking))
    }

    /// The clauses of [`Searcher::weighted_query`], in its order.
    pub(super) fn clauses(&self, terms: &[(String, f32)], ranking: Ranking) -> Vec<Clause> {
        let mut fields = vec![(self.fields.text, 1.0)];
        if ranking.stop_words {
            fields.push((self.fields.expansion, EXPANSION_BOOST));
        }
        let mut clauses = Vec::new();
        for (field, boost) in fields {
            for (word, n) in terms {
                clauses.push(Clause {
                    field,
                    word: word.clone(),
                    boost: boost * n,
                });
            }
        }
        clauses
    }

    /// RM3 (Lavrenko & Croft's relevance model mixed with the query): the words of the top
    /// [`RM3_DOCS`] passages, each passage weighted by exp(score / [`RM3_TEMPERATURE`]) (its query
    /// likelihood, as the relevance model has it, rather than its share of the scores), each word
    /// by its idf; the [`RM3_TERMS`] heaviest join the original query, which keeps
    /// [`RM3_ORIGINAL`] of the weight.
    fn rm3(&self, terms: &[(String, f32)], ranking: Ranking) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let top = self.stable_top(&self.clauses(terms, ranking), RM3_DOCS, false, None)?;
        if top.is_empty() {
            return Ok(terms.to_vec());
        }
        let mut docs = Vec::with_capacity(top.len());
        for candidate in &top {
            let doc: TantivyDocument = searcher.doc(candidate.address)?;
            docs.push((candidate.score, self.feedback_text(&doc)));
        }
        let model = self.relevance_model(&docs);
        let n = searcher.num_docs();
        let field = self.fields.text;
        let df = |w: &str| searcher.doc_freq(&Term::from_field_text(field, w));
        Ok(rm3_mix(terms, model, n, df)?)
    }

    /// The text of a feedback passage: title, section and paragraph.
    pub(super) fn feedback_text(&self, doc: &TantivyDocument) -> String {
        [self.fields.title, self.fields.section, self.fields.body]
            .iter()
            .filter_map(|f| doc.get_first(*f).and_then(|v| v.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// RM3's relevance model of the feedback passages (score, text), best first: each word's
    /// probability in each passage, the passage weighted by exp((score - best) /
    /// [`RM3_TEMPERATURE`]).
    pub(super) fn relevance_model(&self, docs: &[(Score, String)]) -> Vec<(String, f32)> {
        let Some(best) = docs.first().map(|d| d.0) else {
            return Vec::new();
        };
        let mut model: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        // One analyzer (and its stem cache) for all the feedback passages.
        let mut analyzer = self.text_analyzer.clone();
        for (score, text) in docs {
            let weight = ((score - best) / RM3_TEMPERATURE).exp();
            let words: Vec<String> = tokens(&mut analyzer, text)
                .into_iter()
                .filter(|w| !is_stop_word(w) && w.chars().any(char::is_alphabetic))
                .collect();
            let len = words.len().max(1) as f32;
            for w in words {
                *model.entry(w).or_default() += weight / len;
            }
        }
        model.into_iter().collect()
    }
}

/// RM3's last step: each word of the relevance `model` weighed by its BM25 idf (from `docs`
/// documents and each word's document frequency `df` in the text field: words common everywhere
/// say little about this query); the [`RM3_TERMS`] heaviest join the query `terms`, which keep
/// [`RM3_ORIGINAL`] of the weight.
pub(super) fn rm3_mix<E>(
    terms: &[(String, f32)],
    mut model: Vec<(String, f32)>,
    docs: u64,
    df: impl Fn(&str) -> std::result::Result<u64, E>,
) -> std::result::Result<Vec<(String, f32)>, E> {
    let n = docs as f32;
    for (w, p) in model.iter_mut() {
        let df = df(w)? as f32;
        *p *= (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    }
    let mut feedback = model;
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

/// One flat union of boosted term queries, in the order of `clauses`.
fn union(clauses: &[Clause]) -> Box<dyn Query> {
    let clauses = clauses
        .iter()
        .map(|c| {
            let term = TermQuery::new(
                Term::from_field_text(c.field, &c.word),
                IndexRecordOption::WithFreqs,
            );
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), c.boost));
            (Occur::Should, boosted)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}
