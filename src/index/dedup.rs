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
use super::summary::Counts;
use crate::model::{Article, Format};

/// Shortest normalised title that identifies a work with its year (shorter ones, such as
/// "Editorial", do not).
const MIN_TITLE_CHARS: usize = 20;

/// Whether the article is a bibliographic record, merged with the other records of its work:
/// records of exports, and Zotero items without full text (their passages are their title and
/// abstract only). A full-text article is never merged away.
pub fn merges(article: &Article) -> bool {
    match article.format {
        Format::Pubmed | Format::Medline | Format::Ris | Format::Bibtex | Format::Endnote => true,
        Format::Zotero => {
            article.references.is_empty()
                && article.passages().all(|(section, passage)| {
                    section.heading.starts_with("Abstract") || passage.text == article.title
                })
        }
        _ => false,
    }
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

/// Which of two records of one work is kept: the one with an abstract, then the one of the file
/// first in path order, then the first record of that file, then the smaller id. The order
/// records reach the index in (which thread parsed them first) does not count: every run keeps
/// the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    lacks_abstract: bool,
    /// Position of the file in the run's path order.
    file: usize,
    /// The record's number in its file ("file.ris:12").
    record: u64,
}

/// An article that holds work keys, kept small: a run remembers one per record it indexes, so
/// that a 30,000-citation baseline file costs a few MB of it (identifiers are kept as hashes).
#[derive(Clone)]
struct Seen {
    id: Box<str>,
    /// Hashes of the PMID and the lowercased DOI.
    pmid: Option<u64>,
    doi: Option<u64>,
    /// The normalised title.
    title: Box<str>,
    rank: Rank,
    format: &'static str,
    /// What indexing it counted (subtracted again if a better record displaces it).
    counts: Counts,
}

/// A record not indexed, or indexed and then displaced, because another record of its work was
/// kept.
#[derive(Debug)]
pub struct Merged {
    /// Position of its file in the run.
    pub file: usize,
    /// Its format's name.
    pub format: &'static str,
    /// Its article id.
    pub id: String,
    /// The article kept in its place.
    pub kept: String,
    /// The work key they share ("doi:…").
    pub key: String,
    /// What its file's counts counted of it: `Some` when it was indexed and then displaced.
    pub counted: Option<Counts>,
}

/// What [`Dedup::admit`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A new work: indexed.
    New,
    /// Another record of the work is kept: not indexed.
    Duplicate,
    /// The record is kept in the place of the articles named, indexed before it (the caller
    /// deletes them).
    Replaces(Vec<String>),
}

impl Seen {
    fn of(article: &Article, file: usize) -> Seen {
        let record = article
            .id
            .rsplit_once(':')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(u64::MAX);
        let mut counts = Counts::default();
        counts.add(article);
        Seen {
            id: article.id.as_str().into(),
            pmid: article.pmid.as_deref().map(xxh3_64_str),
            doi: article
                .doi
                .as_deref()
                .map(|d| xxh3_64_str(&d.to_lowercase())),
            title: normalise_title(&article.title).into(),
            rank: Rank {
                lacks_abstract: !article
                    .sections
                    .iter()
                    .any(|s| s.heading.starts_with("Abstract")),
                file,
                record,
            },
            format: article.format.name(),
            counts,
        }
    }

    /// Whether this record is kept over `other`.
    fn before(&self, other: &Seen) -> bool {
        (self.rank, &self.id) < (other.rank, &other.id)
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
            |a: &Option<u64>, b: &Option<u64>| matches!((a, b), (Some(a), Some(b)) if a != b);
        differ(&self.pmid, &other.pmid) || differ(&self.doi, &other.doi)
    }
}

/// What a run has seen: work key (its hash) → the slot of the article that holds it, and the
/// records merged. A 64-bit hash stands for the key: two keys of different works would have to
/// collide and then also pass the title check to be merged.
#[derive(Default)]
struct State {
    held: HashMap<u64, u32>,
    slots: Vec<Slot>,
    merged: Vec<Merged>,
}

/// One article's place: the article, or the slot of the article that displaced it.
enum Slot {
    Held(Seen),
    Moved(u32),
}

impl State {
    /// The slot that finally holds what `slot` held, and its article.
    fn resolve(&self, mut slot: u32) -> (u32, &Seen) {
        loop {
            match &self.slots[slot as usize] {
                Slot::Held(seen) => return (slot, seen),
                Slot::Moved(to) => slot = *to,
            }
        }
    }
}

fn xxh3_64_str(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// Which works a run has indexed so far, and what it merged.
pub struct Dedup<'a> {
    state: Mutex<State>,
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
            state: Mutex::default(),
            committed: committed.map(|s| (s, excluded)),
            fields,
        }
    }

    /// Whether `article`, of the run's file number `file`, is a new work; `add` (which indexes
    /// it) runs unless it is a duplicate, under the lock, so that a better record met later can
    /// delete what it added. The last commit's records are kept over this run's.
    pub fn admit(&self, article: &Article, file: usize, add: impl FnOnce()) -> Verdict {
        if !merges(article) {
            add();
            return Verdict::New;
        }
        let keys = work_keys(article);
        let this = Seen::of(article, file);
        let same = |key: &str, first: &Seen| {
            if key.starts_with("title:") {
                !first.conflicts(&this)
            } else {
                first.same_title(&this)
            }
        };
        let hashes: Vec<u64> = keys.iter().map(|k| xxh3_64_str(k)).collect();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // The articles of this work met so far (by one key or another), best first.
        let mut found: Vec<(u32, &String)> = Vec::new();
        for (key, hash) in keys.iter().zip(&hashes) {
            if let Some(&slot) = state.held.get(hash) {
                let (slot, first) = state.resolve(slot);
                if same(key, first) && !found.iter().any(|&(s, _)| s == slot) {
                    found.push((slot, key));
                }
            }
        }
        found.sort_by(|a, b| {
            let (x, y) = (state.resolve(a.0).1, state.resolve(b.0).1);
            (x.rank, &x.id).cmp(&(y.rank, &y.id))
        });
        if let Some(&(best, key)) = found.first() {
            let kept = state.resolve(best).1;
            if kept.before(&this) {
                let kept = kept.id.to_string();
                // The duplicate's other identifiers lead to the kept article too.
                for hash in hashes {
                    state.held.entry(hash).or_insert(best);
                }
                state.merged.push(Merged {
                    file,
                    format: this.format,
                    id: this.id.to_string(),
                    kept,
                    key: key.clone(),
                    counted: None,
                });
                return Verdict::Duplicate;
            }
        }
        if found.is_empty() {
            for key in &keys {
                if let Some(first) = self.in_committed(key).filter(|f| same(key, f)) {
                    state.merged.push(Merged {
                        file,
                        format: this.format,
                        id: this.id.to_string(),
                        kept: first.id.to_string(),
                        key: key.clone(),
                        counted: None,
                    });
                    return Verdict::Duplicate;
                }
            }
        }
        // This record is kept: it takes the place of the articles found (their keys lead to it).
        // (the best of them lends it its slot; a new work takes a new one)
        let slot = found
            .first()
            .map_or(state.slots.len() as u32, |&(first, _)| first);
        let mut displaced = Vec::new();
        for &(old, key) in &found {
            let Slot::Held(first) =
                std::mem::replace(&mut state.slots[old as usize], Slot::Moved(slot))
            else {
                unreachable!("found holds resolved slots")
            };
            state.merged.push(Merged {
                file: first.rank.file,
                format: first.format,
                id: first.id.to_string(),
                kept: this.id.to_string(),
                key: key.clone(),
                counted: Some(first.counts),
            });
            displaced.push(first.id.into_string());
        }
        match state.slots.get_mut(slot as usize) {
            Some(place) => *place = Slot::Held(this),
            None => state.slots.push(Slot::Held(this)),
        }
        for hash in hashes {
            state.held.insert(hash, slot);
        }
        add();
        if displaced.is_empty() {
            Verdict::New
        } else {
            Verdict::Replaces(displaced)
        }
    }

    /// The records merged since the last call, in path order, each with the article finally
    /// kept in its place.
    pub fn take_merged(&self) -> Vec<Merged> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut merged = std::mem::take(&mut state.merged);
        let kept_instead: HashMap<String, String> = merged
            .iter()
            .map(|m| (m.id.clone(), m.kept.clone()))
            .collect();
        for m in &mut merged {
            // (a chain: a record displaced by one displaced in its turn)
            for _ in 0..kept_instead.len() {
                match kept_instead.get(&m.kept) {
                    Some(next) => m.kept = next.clone(),
                    None => break,
                }
            }
        }
        merged.sort_by_key(|m| {
            let n: u64 =
                m.id.rsplit_once(':')
                    .and_then(|(_, n)| n.parse().ok())
                    .unwrap_or(0);
            (m.file, n, m.id.clone())
        });
        merged
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
            id: text(self.fields.article)?.into(),
            pmid: text(self.fields.pmid).as_deref().map(xxh3_64_str),
            doi: text(self.fields.doi)
                .as_deref()
                .map(|d| xxh3_64_str(&d.to_lowercase())),
            title: normalise_title(&text(self.fields.title).unwrap_or_default()).into(),
            rank: Rank {
                lacks_abstract: false,
                file: 0,
                record: 0,
            },
            format: "",
            counts: Counts::default(),
        })
    }
}

/// Take `counted` out of `counts`.
pub(super) fn subtract(counts: &mut Counts, counted: &Counts) {
    counts.articles = counts.articles.saturating_sub(counted.articles);
    counts.passages = counts.passages.saturating_sub(counted.passages);
    counts.references = counts.references.saturating_sub(counted.references);
    counts.citations = counts.citations.saturating_sub(counted.citations);
    counts.resolved = counts.resolved.saturating_sub(counted.resolved);
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

    /// A RIS record of the work "Ketamine for depression in adults", with or without abstract.
    fn record(id: &str, abstract_text: bool) -> Article {
        let ab = if abstract_text {
            "AB  - Ketamine acted within hours.\n"
        } else {
            ""
        };
        let ris = format!(
            "TY  - JOUR\nTI  - Ketamine for depression in adults\nPY  - 2019\n{ab}\
             DO  - 10.1000/k.1\nER  -\n"
        );
        let mut parsed = crate::parse::parse_str(&ris, Format::Ris, "x", "x.ris").unwrap();
        let mut article = parsed.articles.remove(0);
        article.id = id.to_string();
        article
    }

    /// Whatever order the records arrive in (threads parse files in any order), the same record
    /// is kept and the others are said to duplicate it: the one with an abstract from the file
    /// first in path order.
    #[test]
    fn the_record_kept_does_not_depend_on_arrival_order() {
        let schema = super::super::schema::schema();
        let fields = Fields::from_schema(&schema).unwrap();
        let records = [
            (0, record("a.ris:1", false)),
            (1, record("b.ris:2", true)),
            (1, record("b.ris:10", true)),
            (2, record("c.ris:1", true)),
        ];
        let orders: [[usize; 4]; 6] = [
            [0, 1, 2, 3],
            [3, 2, 1, 0],
            [2, 0, 3, 1],
            [1, 3, 0, 2],
            [3, 0, 1, 2],
            [2, 3, 1, 0],
        ];
        for order in orders {
            let dedup = Dedup::new(&fields, None, &[]);
            let mut indexed: Vec<String> = Vec::new();
            for &i in &order {
                let (file, article) = &records[i];
                let mut added = false;
                let verdict = dedup.admit(article, *file, || added = true);
                if added {
                    indexed.push(article.id.clone());
                }
                if let Verdict::Replaces(gone) = verdict {
                    indexed.retain(|id| !gone.contains(id));
                }
            }
            assert_eq!(indexed, ["b.ris:2"], "order {order:?}");
            let merged: Vec<(String, String)> = dedup
                .take_merged()
                .into_iter()
                .map(|m| (m.id, m.kept))
                .collect();
            let pair = |a: &str| (a.to_string(), "b.ris:2".to_string());
            assert_eq!(
                merged,
                [pair("a.ris:1"), pair("b.ris:10"), pair("c.ris:1")],
                "order {order:?}"
            );
        }
    }
}
