//! Duplicates across exports: the same work exported from two databases (same DOI, same PMID, or
//! the same normalised title and year) is indexed once, as the first step of a systematic review
//! does it. Only records of exports are merged: a full-text article is never dropped for its
//! PubMed record.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::schema::Fields;
use crate::model::{Article, Format};

/// Shortest normalised title that identifies a work with its year (shorter ones, such as
/// "Editorial", do not).
const MIN_TITLE_CHARS: usize = 20;

/// Whether records of this format are merged.
pub fn merges(format: Format) -> bool {
    matches!(
        format,
        Format::Pubmed | Format::Medline | Format::Ris | Format::Bibtex | Format::Endnote
    )
}

/// The keys that identify the work of an export record: "pmid:…", "doi:…" (lowercased), and
/// "title:…|year" with the title lowercased, its words only.
pub fn work_keys(article: &Article) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(pmid) = &article.pmid {
        keys.push(format!("pmid:{pmid}"));
    }
    if let Some(doi) = &article.doi {
        keys.push(format!("doi:{}", doi.to_lowercase()));
    }
    if let Some(year) = article.year {
        let title = normalise_title(&article.title);
        if title.chars().count() >= MIN_TITLE_CHARS {
            keys.push(format!("title:{title}|{year}"));
        }
    }
    keys
}

/// "[Two cases of Psoas abscesses]." as "two cases of psoas abscesses": lowercase words and
/// numbers, single spaces.
pub fn normalise_title(title: &str) -> String {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// An article a work key was first seen with.
#[derive(Clone)]
struct Seen {
    id: String,
    pmid: Option<String>,
    doi: Option<String>,
    /// The normalised title.
    title: String,
    /// Whether the record has an abstract.
    has_abstract: bool,
}

/// What [`Dedup::admit`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A new work: indexed.
    New,
    /// The work of article `first` (by `key`): not indexed.
    Duplicate {
        /// The article kept.
        first: String,
        /// The work key they share.
        key: String,
    },
    /// The work of article `first`, which has no abstract while this record has one: indexed in
    /// its place (the caller deletes `first`).
    Replaces {
        /// The article replaced.
        first: String,
        /// The work key they share.
        key: String,
    },
}

impl Seen {
    fn of(article: &Article) -> Seen {
        Seen {
            id: article.id.clone(),
            pmid: article.pmid.clone(),
            doi: article.doi.as_ref().map(|d| d.to_lowercase()),
            title: normalise_title(&article.title),
            has_abstract: article
                .sections
                .iter()
                .any(|s| s.heading.starts_with("Abstract")),
        }
    }

    /// Whether a record that shares an identifier with this one is the same work: their titles
    /// share half their words. Supplement issues give one DOI to many abstracts; exports also
    /// carry a wrong DOI now and then.
    fn same_title(&self, other: &Seen) -> bool {
        let words = |t: &str| -> std::collections::HashSet<String> {
            t.split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let (a, b) = (words(&self.title), words(&other.title));
        if a.is_empty() || b.is_empty() {
            return true;
        }
        let shared = a.intersection(&b).count();
        2 * shared >= a.len().min(b.len())
    }

    /// Whether two records with the same title and year are still different works: they give
    /// different DOIs or different PMIDs (a paper and its erratum, two parts of a series).
    fn conflicts(&self, other: &Seen) -> bool {
        let differ =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
        differ(&self.pmid, &other.pmid) || differ(&self.doi, &other.doi)
    }
}

/// Which works a run has indexed so far, and what it merged.
pub struct Dedup<'a> {
    /// Work key → the first article with it: its id, PMID and DOI.
    seen: Mutex<HashMap<String, Seen>>,
    /// The last commit's index, with the files this run parses again (their documents go).
    committed: Option<(Searcher, Vec<Term>)>,
    fields: &'a Fields,
}

impl<'a> Dedup<'a> {
    /// A run on an index whose last commit `committed` reads; documents of the `reparsed` files
    /// (source keys) do not count, as they are about to be replaced.
    pub fn new(fields: &'a Fields, committed: Option<Searcher>, reparsed: &[&str]) -> Dedup<'a> {
        let excluded = reparsed
            .iter()
            .map(|k| Term::from_field_text(fields.source, k))
            .collect();
        Dedup {
            seen: Mutex::default(),
            committed: committed.map(|s| (s, excluded)),
            fields,
        }
    }

    /// Whether `article` is a new work; `add` (which indexes it) runs unless it is a
    /// duplicate, under the lock, so that a later duplicate can delete what it added.
    pub fn admit(&self, article: &Article, add: impl FnOnce()) -> Verdict {
        if !merges(article.format) {
            add();
            return Verdict::New;
        }
        let keys = work_keys(article);
        let this = Seen::of(article);
        let same = |key: &str, first: &Seen| {
            if key.starts_with("title:") {
                !first.conflicts(&this)
            } else {
                first.same_title(&this)
            }
        };
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let found = keys.iter().find_map(|key| {
            let first = seen.get(key).filter(|f| same(key, f))?;
            Some((first.clone(), key.clone()))
        });
        if let Some((first, key)) = found {
            if first.has_abstract || !this.has_abstract {
                // The duplicate's other identifiers lead to the kept article too.
                for k in keys {
                    seen.entry(k).or_insert_with(|| first.clone());
                }
                return Verdict::Duplicate {
                    first: first.id,
                    key,
                };
            }
            for s in seen.values_mut().filter(|s| s.id == first.id) {
                *s = this.clone();
            }
            for key in keys {
                seen.insert(key, this.clone());
            }
            add();
            return Verdict::Replaces {
                first: first.id,
                key,
            };
        }
        for key in &keys {
            if let Some(first) = self.in_committed(key).filter(|f| same(key, f)) {
                return Verdict::Duplicate {
                    first: first.id,
                    key: key.clone(),
                };
            }
        }
        for key in keys {
            seen.entry(key).or_insert_with(|| this.clone());
        }
        add();
        Verdict::New
    }

    /// The article of the last commit (outside the files parsed again) with this work key.
    fn in_committed(&self, key: &str) -> Option<Seen> {
        let (searcher, excluded) = self.committed.as_ref()?;
        let term = Term::from_field_text(self.fields.work, key);
        if searcher.doc_freq(&term).ok()? == 0 {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        )];
        for source in excluded {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(source.clone(), IndexRecordOption::Basic)),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, address) = top.first()?;
        let doc: TantivyDocument = searcher.doc(*address).ok()?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        Some(Seen {
            id: text(self.fields.article)?,
            pmid: text(self.fields.pmid),
            doi: text(self.fields.doi),
            title: normalise_title(&text(self.fields.title).unwrap_or_default()),
            has_abstract: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_a_record() {
        let mut parsed = crate::parse::parse_str(
            "TY  - JOUR\nTI  - [Two cases of Psoas abscesses].\nPY  - 2010\nDO  - 10.1000/ABC\nER  -\n",
            Format::Ris,
            "a.ris",
            "a.ris",
        )
        .unwrap();
        let mut a = parsed.articles.remove(0);
        a.pmid = Some("20470918".into());
        assert_eq!(
            work_keys(&a),
            [
                "pmid:20470918",
                "doi:10.1000/abc",
                "title:two cases of psoas abscesses|2010"
            ]
        );
        a.title = "Editorial".into();
        assert_eq!(work_keys(&a).len(), 2);
    }
}
