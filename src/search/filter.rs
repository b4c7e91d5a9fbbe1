//! Filters: year ranges ("2016", "2015..2019", "2015..", "..2010"), kinds, section words and
//! authors, as users type them and as the queries that keep the matching documents.

use std::fmt;
use std::ops::Bound;
use std::str::FromStr;

use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{Request, Searcher};
use crate::error::{Error, Result};
use crate::index::schema::{tokens, KIND_PASSAGE, KIND_REFERENCE};

/// An inclusive range of years; either end may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct YearRange {
    /// First year, inclusive.
    pub from: Option<u16>,
    /// Last year, inclusive.
    pub to: Option<u16>,
}

impl YearRange {
    /// Whether `year` is in the range.
    pub fn contains(&self, year: u16) -> bool {
        self.from.is_none_or(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }
}

impl FromStr for YearRange {
    type Err = Error;

    fn from_str(text: &str) -> std::result::Result<Self, Error> {
        let text = text.trim();
        let bad = |why: &str| {
            Error::Filter(format!(
                "invalid year range {text:?}: {why} (examples: 2016, 2015..2019, 2015.., ..2010)"
            ))
        };
        let year = |s: &str| -> Result<Option<u16>, Error> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("{s:?} is not a four-digit year")));
            }
            Ok(Some(s.parse().expect("four digits fit in u16")))
        };
        let (from, to) = match text.split_once("..") {
            Some((a, b)) => (year(a)?, year(b)?),
            None => {
                let y = year(text)?;
                (y, y)
            }
        };
        match (from, to) {
            (None, None) => Err(bad("give at least one year")),
            (Some(f), Some(t)) if f > t => Err(bad(&format!("it is empty, {f} comes after {t}"))),
            _ => Ok(YearRange { from, to }),
        }
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => write!(
                f,
                "{}..{}",
                a.map(|y| y.to_string()).unwrap_or_default(),
                b.map(|y| y.to_string()).unwrap_or_default()
            ),
        }
    }
}

/// Which documents to search.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Kind {
    /// Passages only (the default)
    #[default]
    #[value(alias = "passages")]
    Passage,
    /// Reference-list entries only
    #[value(aliases = ["references", "ref", "refs"])]
    Reference,
    /// Both
    #[value(alias = "any")]
    All,
}

impl Kind {
    /// The `kind` field value to filter on, or `None` for all.
    pub fn term(self) -> Option<&'static str> {
        match self {
            Kind::Passage => Some(KIND_PASSAGE),
            Kind::Reference => Some(KIND_REFERENCE),
            Kind::All => None,
        }
    }
}

impl FromStr for Kind {
    type Err = Error;

    fn from_str(text: &str) -> std::result::Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "passage" | "passages" => Ok(Kind::Passage),
            "reference" | "references" | "ref" | "refs" => Ok(Kind::Reference),
            "all" | "any" => Ok(Kind::All),
            _ => Err(Error::Filter(format!(
                "invalid kind {text:?}: use passage, reference or all"
            ))),
        }
    }
}

impl Searcher {
    /// Filters as queries, each one to be required; the one on `kind` only `with_kind`.
    pub(super) fn filters(
        &self,
        request: &Request,
        with_kind: bool,
    ) -> Result<Vec<Box<dyn Query>>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(kind) = request.kind.term().filter(|_| with_kind) {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, kind),
                IndexRecordOption::Basic,
            )));
        }
        for (years, field) in [(request.years, f.year), (request.published, f.article_year)] {
            let Some(years) = years else { continue };
            let bound = |y: Option<u16>| {
                y.map_or(Bound::Unbounded, |y| {
                    Bound::Included(Term::from_field_u64(field, u64::from(y)))
                })
            };
            out.push(Box::new(RangeQuery::new(
                bound(years.from),
                bound(years.to),
            )));
        }
        if let Some(section) = &request.section {
            let words = tokens(&mut self.text_analyzer.clone(), section);
            if words.is_empty() {
                return Err(Error::Filter(format!(
                    "section filter {section:?} has no words"
                )));
            }
            let all: Vec<(Occur, Box<dyn Query>)> = words
                .into_iter()
                .map(|w| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.section, &w),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Must, q)
                })
                .collect();
            out.push(Box::new(BooleanQuery::new(all)));
        }
        if let Some(author) = &request.author {
            let words = tokens(&mut self.name_analyzer.clone(), author);
            let terms: Vec<Term> = words
                .iter()
                .map(|w| Term::from_field_text(f.author, w))
                .collect();
            match terms.len() {
                0 => {
                    return Err(Error::Filter(format!(
                        "author filter {author:?} has no name in it"
                    )))
                }
                1 => out.push(Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::Basic,
                ))),
                _ => out.push(Box::new(PhraseQuery::new(terms))),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        let r = |s: &str| {
            s.parse::<YearRange>()
                .map(|r| (r.from, r.to))
                .map_err(|e| e.to_string())
        };
        assert_eq!(r("2016"), Ok((Some(2016), Some(2016))));
        assert_eq!(r("2015..2019"), Ok((Some(2015), Some(2019))));
        assert_eq!(r("2015.."), Ok((Some(2015), None)));
        assert_eq!(r("..2010"), Ok((None, Some(2010))));
        assert_eq!(r(" 2019..2019 "), Ok((Some(2019), Some(2019))));
        for bad in ["2019..2015", "abc", "..", "", "20150", "2015..x", "-2015"] {
            assert!(r(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(r("2020..2010").unwrap_err().contains("empty"));
    }

    #[test]
    fn year_range_contains_and_displays() {
        let r: YearRange = "2015..2019".parse().unwrap();
        assert!(r.contains(2015) && r.contains(2019) && !r.contains(2020) && !r.contains(2014));
        assert_eq!(r.to_string(), "2015..2019");
        assert_eq!("..2010".parse::<YearRange>().unwrap().to_string(), "..2010");
    }

    #[test]
    fn kinds() {
        assert_eq!("reference".parse::<Kind>().unwrap(), Kind::Reference);
        assert_eq!("ALL".parse::<Kind>().unwrap(), Kind::All);
        assert!("other".parse::<Kind>().is_err());
    }
}

#[cfg(test)]
mod searching {
    use super::super::search_test_articles;
    use super::*;

    /// The ids of everything `request` keeps, without a query (in article order).
    fn kept(request: Request) -> Vec<String> {
        let results = search_test_articles(request).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn years_keep_passages_citing_them_and_references_from_them() {
        let years = |text: &str, kind| Request {
            years: Some(text.parse().unwrap()),
            kind,
            ..Request::default()
        };
        assert_eq!(kept(years("2016", Kind::Passage)), ["a0.md#p0"]);
        assert_eq!(
            kept(years("2017..", Kind::Passage)),
            ["a0.md#p1", "a1.md#p0"]
        );
        assert_eq!(kept(years("..2016", Kind::Reference)), ["a0.md#r0"]);
        assert!(kept(years("2020..", Kind::All)).is_empty());
    }

    #[test]
    fn sections_need_all_their_words_and_authors_their_name() {
        let section = |text: &str| Request {
            section: Some(text.into()),
            ..Request::default()
        };
        assert_eq!(kept(section("discussion")), ["a1.md#p0"]);
        assert!(kept(section("methods discussion")).is_empty());
        let author = |name: &str, kind| Request {
            author: Some(name.into()),
            kind,
            ..Request::default()
        };
        // Krystal wrote both works of the first article: both its passages cite him.
        assert_eq!(
            kept(author("krystal", Kind::Passage)),
            ["a0.md#p0", "a0.md#p1"]
        );
        assert_eq!(
            kept(author("Krystal J", Kind::Reference)),
            ["a0.md#r0", "a0.md#r1"]
        );
        assert_eq!(kept(author("Duman R", Kind::Reference)), ["a0.md#r0"]);
        assert!(kept(author("Duman X", Kind::Reference)).is_empty());
        assert_eq!(
            kept(author("wilkinson", Kind::All)),
            ["a1.md#p0", "a1.md#r0"]
        );
    }

    #[test]
    fn filters_without_words_are_refused() {
        for request in [
            Request {
                section: Some(" , ".into()),
                ..Request::default()
            },
            Request {
                author: Some("-".into()),
                ..Request::default()
            },
        ] {
            let refused = search_test_articles(request.clone());
            assert!(matches!(refused, Err(Error::Filter(_))), "{request:?}");
        }
    }
}
