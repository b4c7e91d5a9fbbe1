//! Query building: a query in tantivy's syntax (or natural language) with the request's filters.

use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParserError};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::tokenizer::TextAnalyzer;

use super::{Kind, Ranking, Request, Searcher, TextQuery, MAX_QUERY_BYTES, MAX_QUERY_TERMS};
use crate::error::{Error, Result};
use crate::index::schema::{is_stop_word, tokens};

/// Fields users may name in a query.
pub(super) const QUERY_FIELDS: [&str; 11] = [
    "title",
    "section",
    "text",
    "entry",
    "expansion",
    "author",
    "year",
    "kind",
    "article",
    "article_year",
    "article_author",
];

/// Keys that tantivy's parser accepts as fields too (`id:"a.md#p0"`, `doi:10.1155/2016/6263095`,
/// `pmid:17942999`), though queries rarely name them.
const KEY_FIELDS: [&str; 7] = ["id", "source", "format", "pmid", "doi", "work", "keyword"];

/// Every field a query may name. A colon after any other word is read as prose unless the word
/// is one of these mistyped (`prose`).
pub(super) const PARSED_FIELDS: [&str; 18] = concat(QUERY_FIELDS, KEY_FIELDS);
const _: () = assert!(PARSED_FIELDS.len() == QUERY_FIELDS.len() + KEY_FIELDS.len());

/// `a` then `b`, in a constant.
const fn concat<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
}

impl Searcher {
    /// The whole query of a request (text and filters), and its text part alone.
    pub(super) fn build_query(&self, request: &Request) -> Result<(Box<dyn Query>, TextQuery)> {
        let text_query = match request.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() && request.natural => {
                let ranking = Ranking::default();
                Some(self.weighted_query(&self.query_terms(q, ranking), ranking))
            }
            Some(q) if !q.is_empty() => Some(self.parse(q, request.kind)?),
            _ => None,
        };
        // A query that names no field searches only the kind's own fields: no kind filter needed
        // (and without it, tantivy can skip blocks of postings that cannot make the top hits).
        let own_fields = match request.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => request.natural || !q.contains([':', '*']),
            _ => false,
        };
        let filters = self.filters(request, !own_fields)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = &text_query {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for f in filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
        }
        if text_query.is_none() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let query: Box<dyn Query> = match clauses.len() {
            1 if text_query.is_some() => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        Ok((query, text_query))
    }

    /// The query syntax of one query, parsed for the fields of `kind`; over-long queries are
    /// refused.
    pub(super) fn parse(&self, query: &str, kind: Kind) -> Result<Box<dyn Query>> {
        let refuse = |reason: String| Error::Query {
            query: query.to_string(),
            reason,
        };
        if query.len() > MAX_QUERY_BYTES {
            return Err(refuse(format!(
                "longer than {MAX_QUERY_BYTES} bytes ({} bytes)",
                query.len()
            )));
        }
        let parser = match kind {
            Kind::Passage => &self.parsers[0],
            Kind::Reference => &self.parsers[1],
            Kind::All => &self.parsers[2],
        };
        let mut analyzer = self.text_analyzer.clone();
        let topic = super::framing::topic(query, &mut analyzer);
        let ast = query_grammar::parse_query(&super::prose::escape_prose(topic, &PARSED_FIELDS))
            .map_err(|_| refuse(describe(QueryParserError::SyntaxError(query.into()))))?;
        let ast = drop_stop_words(ast, &mut analyzer);
        let parsed = parser
            .build_query_from_user_input_ast(ast)
            .map_err(|e| refuse(describe(e)))?;
        let mut terms = std::collections::HashSet::new();
        parsed.query_terms(&mut |term, _| {
            terms.insert(term.clone());
        });
        if terms.len() > MAX_QUERY_TERMS {
            return Err(refuse(format!(
                "more than {MAX_QUERY_TERMS} terms ({})",
                terms.len()
            )));
        }
        Ok(parsed)
    }
}

/// The query without its optional unquoted English stop words ("treatment of the depression"
/// searches treatment and depression, as natural-language ranking does), so that they neither
/// rank nor light up in snippets. A phrase, a word with a field or `+`, and a query (or group)
/// of nothing but stop words keep them.
fn drop_stop_words(ast: UserInputAst, analyzer: &mut TextAnalyzer) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => {
            let clauses: Vec<_> = clauses
                .into_iter()
                .map(|(occur, ast)| (occur, drop_stop_words(ast, analyzer)))
                .collect();
            let optional = |occur: &Option<Occur>| matches!(occur, None | Some(Occur::Should));
            let stop: Vec<bool> = clauses
                .iter()
                .map(|(occur, ast)| optional(occur) && is_stop_leaf(ast, analyzer))
                .collect();
            let others_remain = clauses
                .iter()
                .zip(&stop)
                .any(|((occur, _), stop)| !stop && occur != &Some(Occur::MustNot));
            if !others_remain {
                return UserInputAst::Clause(clauses);
            }
            let kept = clauses.into_iter().zip(stop).filter(|(_, stop)| !stop);
            UserInputAst::Clause(kept.map(|(clause, _)| clause).collect())
        }
        UserInputAst::Boost(ast, boost) => {
            UserInputAst::Boost(Box::new(drop_stop_words(*ast, analyzer)), boost)
        }
        leaf => leaf,
    }
}

/// Whether `ast` is an unquoted word without a field whose every token is a stop word.
fn is_stop_leaf(ast: &UserInputAst, analyzer: &mut TextAnalyzer) -> bool {
    let UserInputAst::Leaf(leaf) = ast else {
        return false;
    };
    let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
        return false;
    };
    if literal.field_name.is_some() || literal.delimiter != Delimiter::None || literal.prefix {
        return false;
    }
    let words = tokens(analyzer, &literal.phrase);
    !words.is_empty() && words.iter().all(|w| is_stop_word(w))
}

/// One line saying what is wrong with a query.
fn describe(error: QueryParserError) -> String {
    match error {
        QueryParserError::SyntaxError(_) => {
            "syntax error (check quotes, parentheses and AND/OR/NOT operands)".into()
        }
        QueryParserError::FieldDoesNotExist(field) => {
            let fields = QUERY_FIELDS.join(", ");
            match super::prose::meant_field(&field, &PARSED_FIELDS) {
                Some(meant) => {
                    format!("unknown field '{field}': did you mean '{meant}'? (fields: {fields})")
                }
                None => format!("unknown field '{field}' (fields: {fields})"),
            }
        }
        QueryParserError::ExpectedInt(_) => {
            "expected a whole number, e.g. year:2016 or year:[2015 TO 2019]".into()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{searcher_over, TEST_ARTICLES};
    use super::*;

    fn ids(searcher: &Searcher, query: &str, kind: Kind) -> Vec<String> {
        let request = Request {
            query: Some(query.into()),
            kind,
            ..Request::default()
        };
        let results = searcher.search(&request).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn words_search_the_kinds_own_fields() {
        let s = searcher_over(&TEST_ARTICLES);
        // "plasticity" is only in a reference entry; "dissociation" only in a passage.
        assert!(ids(&s, "plasticity", Kind::Passage).is_empty());
        assert_eq!(ids(&s, "plasticity", Kind::Reference), ["a0.md#r0"]);
        assert_eq!(ids(&s, "dissociation", Kind::Passage), ["a0.md#p1"]);
        assert!(ids(&s, "dissociation", Kind::Reference).is_empty());
        assert_eq!(ids(&s, "plasticity OR dissociation", Kind::All).len(), 2);
    }

    #[test]
    fn query_syntax_is_read() {
        let s = searcher_over(&TEST_ARTICLES);
        assert_eq!(
            ids(&s, "+ketamine +psychotherapy", Kind::Passage),
            ["a1.md#p0"]
        );
        assert_eq!(ids(&s, "ketamine -psychotherapy", Kind::Passage).len(), 2);
        assert_eq!(ids(&s, "section:methods", Kind::Passage), ["a0.md#p1"]);
        assert_eq!(ids(&s, "year:2017", Kind::Passage), ["a1.md#p0"]);
        // Stemmed and hyphen-split: "dissociative" finds "dissociation", "resistant" the compound.
        assert_eq!(ids(&s, "dissociative", Kind::Passage), ["a0.md#p1"]);
        assert_eq!(ids(&s, "resistant", Kind::Passage), ["a0.md#p0"]);
    }

    #[test]
    fn the_fields_a_query_may_name_are_the_indexed_fields_of_the_schema() {
        let schema = crate::index::schema::schema();
        let mut indexed: Vec<&str> = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed())
            .map(|(_, entry)| entry.name())
            .collect();
        let mut parsed = PARSED_FIELDS.to_vec();
        indexed.sort();
        parsed.sort();
        assert_eq!(parsed, indexed);
        assert!(QUERY_FIELDS.iter().all(|f| PARSED_FIELDS.contains(f)));
    }

    #[test]
    fn bad_queries_are_refused_with_the_reason() {
        let s = searcher_over(&TEST_ARTICLES);
        let error = |q: &str| {
            let request = Request {
                query: Some(q.into()),
                ..Request::default()
            };
            s.search(&request).unwrap_err().to_string()
        };
        assert!(error("NMDA AND").contains("syntax error"));
        let unknown = error("auther:x");
        assert!(
            unknown.contains("unknown field 'auther': did you mean 'author'?"),
            "{unknown}"
        );
        assert!(unknown.contains("article_year"), "{unknown}");
        // A word that no field's name mistyped gives is prose: searched, not refused.
        for prose in [
            "Diptera:Culicidae",
            "factor VIII:C",
            "nosuchfield:x",
            "id:\"a0.md#p0\"",
            "pmid:1",
        ] {
            let request = Request {
                query: Some(prose.into()),
                ..Request::default()
            };
            assert!(s.search(&request).is_ok(), "{prose}");
        }
        assert!(error("year:abc").contains("whole number"));
        let many: Vec<String> = (0..=MAX_QUERY_TERMS).map(|i| format!("w{i}")).collect();
        assert!(error(&many.join(" ")).contains("more than 1024 terms"));
        let long = "a ".repeat(MAX_QUERY_BYTES);
        assert!(error(&long).contains("longer than"));
    }

    #[test]
    fn unquoted_stop_words_are_dropped_when_other_words_remain() {
        let s = searcher_over(&TEST_ARTICLES);
        let terms = |q: &str| {
            let mut words = Vec::new();
            s.parse(q, Kind::Passage)
                .unwrap()
                .query_terms(&mut |term, _| {
                    words.push(term.value().as_str().unwrap_or_default().to_string());
                });
            words.sort();
            words.dedup();
            words
        };
        assert_eq!(
            terms("treatment of the depression"),
            ["depress", "treatment"]
        );
        assert_eq!(terms("(the OR ketamine) AND of"), ["ketamin", "of"]);
        assert!(terms("\"effects of ketamine\"").contains(&"of".to_string()));
        assert!(terms("+the ketamine").contains(&"the".to_string()));
        assert!(terms("text:the ketamine").contains(&"the".to_string()));
        assert_eq!(terms("the"), ["the"]);
        assert_eq!(terms("the -ketamine"), ["ketamin", "the"]);
        // Prose punctuation is not syntax (`prose`): an apostrophe, a colon and a space.
        assert_eq!(terms("Alzheimer's: Crohn's"), ["alzheim", "crohn"]);
        // Ranking: the stop words change nothing.
        assert_eq!(
            ids(&s, "the ketamine of", Kind::Passage),
            ids(&s, "ketamine", Kind::Passage)
        );
    }

    #[test]
    fn natural_language_is_not_query_syntax() {
        let s = searcher_over(&TEST_ARTICLES);
        let request = Request {
            query: Some("does ketamine cause dissociation?".into()),
            natural: true,
            ..Request::default()
        };
        let hits = s.search(&request).unwrap().hits;
        assert_eq!(hits[0].id, "a0.md#p1");
    }
}
