//! A shard's part in a search over several machines, as distributed engines split it: the
//! coordinator first gathers each shard's collection statistics for the query's terms
//! ([`Searcher::statistics`]) and adds them up ([`Statistics::merge`]); every shard then ranks
//! with the sums ([`Searcher::search_with`], [`Searcher::top_with`]), so that its scores are those
//! one index over all the shards' articles would give, and the coordinator merges the hits by
//! score, ties by article id and passage number. Pseudo-relevance feedback (RM3) takes two more
//! round trips: the feedback passages' text, then the statistics of their words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Score, TantivyDocument, Term};

use super::natural::{rm3_mix, RM3_DOCS};
use super::rank::Clause;
use super::{guarded, Ranking, Request, Results, Searcher};
use crate::error::{Error, Result};

mod hybrid;

pub use hybrid::{
    fuse_articles, fuse_candidates, Candidates, Key, QueryVector, Scored, VectorsInfo,
};

/// What a coordinator checks before searching a shard with others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// The analysis version the shard's index was built with (`None`: unreadable).
    pub analysis: Option<u32>,
    /// The index's tantivy schema.
    pub schema: serde_json::Value,
    /// How many indexes the shard searches as one.
    pub parts: usize,
    /// The passage vectors its indexes hold, for hybrid ranking, or why it has none to offer.
    #[serde(default = "no_vectors")]
    pub vectors: std::result::Result<VectorsInfo, String>,
}

fn no_vectors() -> std::result::Result<VectorsInfo, String> {
    Err("its clinsearch cannot rank by meaning".into())
}

/// A collection's statistics for some terms: what tantivy's BM25 asks for
/// ([`Bm25StatisticsProvider`]), plus the live documents RM3's idf counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// Documents, deleted ones included (tantivy's `total_num_docs`).
    pub docs: u64,
    /// Live documents.
    pub alive: u64,
    /// Tokens in each field (by field number) over all documents.
    pub tokens: Vec<(u32, u64)>,
    /// Documents holding each term.
    pub terms: Vec<(Term, u64)>,
}

impl Statistics {
    /// Add another collection's statistics: the sums are those of both collections as one.
    pub fn merge(&mut self, other: &Statistics) {
        self.docs += other.docs;
        self.alive += other.alive;
        add_all(&mut self.tokens, &other.tokens);
        add_all(&mut self.terms, &other.terms);
    }
}

/// Add `more` into `sums`, key by key.
fn add_all<K: PartialEq + Clone>(sums: &mut Vec<(K, u64)>, more: &[(K, u64)]) {
    for (key, n) in more {
        match sums.iter_mut().find(|(k, _)| k == key) {
            Some((_, sum)) => *sum += n,
            None => sums.push((key.clone(), *n)),
        }
    }
}

/// [`Statistics`] looked up as tantivy's BM25 asks; a term or field it lacks is an error (the
/// coordinator gathered the statistics of other terms than the shard scores).
struct Provider {
    docs: u64,
    tokens: HashMap<u32, u64>,
    terms: HashMap<Term, u64>,
}

impl From<&Statistics> for Provider {
    fn from(stats: &Statistics) -> Provider {
        Provider {
            docs: stats.docs,
            tokens: stats.tokens.iter().copied().collect(),
            terms: stats.terms.iter().cloned().collect(),
        }
    }
}

fn missing(what: String) -> tantivy::TantivyError {
    tantivy::TantivyError::InvalidArgument(format!("no collection statistics for {what}"))
}

impl Bm25StatisticsProvider for Provider {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let n = self.tokens.get(&field.field_id()).copied();
        n.ok_or_else(|| missing(format!("field {}", field.field_id())))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let found = self.terms.get(term).copied();
        found.ok_or_else(|| missing(format!("{term:?}")))
    }
}

/// One term of a natural-language query as it travels: field name, word, weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireClause {
    /// The field's name.
    pub field: String,
    /// The analysed word.
    pub word: String,
    /// Its weight.
    pub boost: Score,
}

/// A passage a shard ranked, with what the coordinator needs to merge (and, for RM3, its text).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Passage {
    /// BM25 score under the statistics given.
    pub score: Score,
    /// Article id.
    pub article: String,
    /// Passage (or reference) number in the article.
    pub ordinal: u64,
    /// Whether it is a reference.
    pub reference: bool,
    /// Title, section and paragraph, when asked for (RM3's feedback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Sort passages best first, ties by article id, then number, passages before references: the
/// order one index gives them.
pub fn sort_passages(passages: &mut [Passage]) {
    passages.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.article.cmp(&b.article))
            .then(a.ordinal.cmp(&b.ordinal))
            .then(a.reference.cmp(&b.reference))
    });
}

impl Searcher {
    /// What a coordinator checks before searching this index with others.
    pub fn info(&self) -> Result<Info> {
        let payload = self.index.load_metas()?.payload;
        let analysis = payload
            .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
            .and_then(|m| m["schema"].as_u64())
            .and_then(|v| u32::try_from(v).ok());
        Ok(Info {
            analysis,
            schema: serde_json::to_value(self.index.schema())
                .map_err(|e| Error::Internal(e.to_string()))?,
            parts: self.union.as_ref().map_or(1, |u| u.len()),
            vectors: match &self.semantic {
                Some(s) => Ok(VectorsInfo::of(s)),
                None => Err("it ranks by words only".into()),
            },
        })
    }

    /// The terms whose statistics scoring `request` asks for (those of its query, and the
    /// snippet's words in the text field).
    pub fn terms_of(&self, request: &Request) -> Result<Vec<Term>> {
        let (query, text_query) = self.build_query(request)?;
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            terms.insert(term.clone());
        });
        let f = &self.fields;
        let words: Vec<Term> = terms
            .iter()
            .filter(|t| [f.text, f.expansion, f.entry].contains(&t.field()) && text_query.is_some())
            .filter_map(|t| Some(Term::from_field_text(f.text, t.value().as_str()?)))
            .collect();
        terms.extend(words);
        Ok(terms.into_iter().collect())
    }

    /// This index's statistics for `terms`.
    pub fn statistics(&self, terms: &[Term]) -> Result<Statistics> {
        let searcher = self.reader.searcher();
        let mut fields: Vec<Field> = terms.iter().map(Term::field).collect();
        fields.sort_unstable();
        fields.dedup();
        Ok(Statistics {
            docs: searcher.total_num_docs()?,
            alive: searcher.num_docs(),
            tokens: fields
                .into_iter()
                .map(|f| Ok((f.field_id(), searcher.total_num_tokens(f)?)))
                .collect::<tantivy::Result<_>>()?,
            terms: terms
                .iter()
                .map(|t| Ok((t.clone(), searcher.doc_freq(t)?)))
                .collect::<tantivy::Result<_>>()?,
        })
    }

    /// [`Searcher::search`] scored with the collection statistics `stats` (from
    /// [`Searcher::terms_of`]), by words only.
    pub fn search_with(&self, request: &Request, stats: &Statistics) -> Result<Results> {
        let provider = Provider::from(stats);
        guarded(|| self.search_inner(request, Some(&provider)))
    }

    /// The query terms of natural-language `text` as weighted clauses (the ranking of
    /// [`Searcher::rank_articles`] before feedback).
    pub fn natural_clauses(&self, text: &str, ranking: Ranking) -> Vec<WireClause> {
        let terms = self.query_terms(text, ranking);
        self.wire(&self.clauses(&terms, ranking))
    }

    /// The terms of `clauses`, for [`Searcher::statistics`].
    pub fn clause_terms(&self, clauses: &[WireClause]) -> Result<Vec<Term>> {
        Ok(self
            .unwire(clauses)?
            .iter()
            .map(|c| Term::from_field_text(c.field, &c.word))
            .collect())
    }

    /// The best `k` passages (with `per_article`, the best passage of each of the best `k`
    /// articles) for `clauses`, scored with `stats`; with `texts`, each with its text.
    pub fn top_with(
        &self,
        clauses: &[WireClause],
        k: usize,
        per_article: bool,
        texts: bool,
        stats: &Statistics,
    ) -> Result<Vec<Passage>> {
        let clauses = self.unwire(clauses)?;
        let provider = Provider::from(stats);
        let top = guarded(|| self.stable_top(&clauses, k, per_article, Some(&provider)))?;
        let searcher = self.reader.searcher();
        let mut passages = Vec::with_capacity(top.len());
        for c in top {
            let text = match texts {
                true => Some(self.feedback_text(&searcher.doc::<TantivyDocument>(c.address)?)),
                false => None,
            };
            passages.push(Passage {
                score: c.score,
                article: c.article,
                ordinal: c.ordinal,
                reference: c.reference,
                text,
            });
        }
        Ok(passages)
    }

    /// How many feedback passages RM3 reads.
    pub fn feedback_depth(&self) -> usize {
        RM3_DOCS
    }

    /// RM3 over feedback passages gathered elsewhere: the relevance model of `feedback` (best
    /// first, each with its text), its words' idf from `stats`, mixed into `clauses` (those of
    /// [`Searcher::natural_clauses`]); returns the expanded query's clauses. `stats` must hold
    /// the text-field statistics of [`Searcher::feedback_terms`].
    pub fn expand_with(
        &self,
        text: &str,
        ranking: Ranking,
        feedback: &[Passage],
        stats: &Statistics,
    ) -> Result<Vec<WireClause>> {
        let terms = self.query_terms(text, ranking);
        let docs: Vec<(Score, String)> = feedback
            .iter()
            .map(|p| (p.score, p.text.clone().unwrap_or_default()))
            .collect();
        if docs.is_empty() {
            return Ok(self.wire(&self.clauses(&terms, ranking)));
        }
        let model = self.relevance_model(&docs);
        let provider = Provider::from(stats);
        let field = self.fields.text;
        let df = |w: &str| provider.doc_freq(&Term::from_field_text(field, w));
        let mixed = rm3_mix(&terms, model, stats.alive, df)?;
        Ok(self.wire(&self.clauses(&mixed, ranking)))
    }

    /// The terms whose statistics [`Searcher::expand_with`] and the expanded query need: every
    /// word of the feedback passages and of the query, in each field the clauses search.
    pub fn feedback_terms(&self, text: &str, ranking: Ranking, feedback: &[Passage]) -> Vec<Term> {
        let mut words: Vec<(String, f32)> = self.query_terms(text, ranking);
        for passage in feedback {
            let text = passage.text.as_deref().unwrap_or_default();
            let model = self.relevance_model(&[(0.0, text.to_string())]);
            words.extend(model.into_iter().map(|(w, _)| (w, 1.0)));
        }
        words.sort_by(|a, b| a.0.cmp(&b.0));
        words.dedup_by(|a, b| a.0 == b.0);
        self.clauses(&words, ranking)
            .iter()
            .map(|c| Term::from_field_text(c.field, &c.word))
            .collect()
    }

    fn wire(&self, clauses: &[Clause]) -> Vec<WireClause> {
        let schema = self.index.schema();
        clauses
            .iter()
            .map(|c| WireClause {
                field: schema.get_field_name(c.field).to_string(),
                word: c.word.clone(),
                boost: c.boost,
            })
            .collect()
    }

    fn unwire(&self, clauses: &[WireClause]) -> Result<Vec<Clause>> {
        let schema = self.index.schema();
        clauses
            .iter()
            .map(|c| {
                let field = schema
                    .get_field(&c.field)
                    .map_err(|_| Error::Filter(format!("unknown field {:?}", c.field)))?;
                Ok(Clause {
                    field,
                    word: c.word.clone(),
                    boost: c.boost,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{searcher_over, TEST_ARTICLES};
    use super::*;

    #[test]
    fn terms_travel_and_statistics_add_up() {
        let s = searcher_over(&TEST_ARTICLES);
        let request = Request {
            query: Some("ketamine \"nmda receptors\"".into()),
            ..Request::default()
        };
        let terms = s.terms_of(&request).unwrap();
        let json = serde_json::to_string(&terms).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Term>>(&json).unwrap(), terms);
        let one = s.statistics(&terms).unwrap();
        let mut two = one.clone();
        two.merge(&one);
        assert_eq!(two.docs, 2 * one.docs);
        assert_eq!(two.terms[0].1, 2 * one.terms[0].1);
        // With its own statistics, the shard ranks as a plain search does.
        let own = s.search_with(&request, &one).unwrap();
        let plain = s.search(&request).unwrap();
        let scores = |r: &Results| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
        assert_eq!(scores(&own), scores(&plain));
        // Statistics of other terms are an error, not a silent zero.
        let other = Request {
            query: Some("psychotherapy".into()),
            ..Request::default()
        };
        let message = s.search_with(&other, &one).unwrap_err().to_string();
        assert!(message.contains("no collection statistics"), "{message}");
    }
}
