//! What an indexing run reports: counts per format, skipped files and notes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::Article;

/// What `index` reports when it is done.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Files looked at.
    pub files: usize,
    /// Counts per format ("text", "jats"...).
    pub formats: BTreeMap<&'static str, Counts>,
    /// Files (or lines of files) not indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Passages split and entries cut to keep them bounded (the file itself was indexed).
    pub notes: Vec<Skipped>,
    /// Files left alone because they describe the folder (README, LICENSE...).
    pub ignored: usize,
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed since the last run, indexed again.
    pub updated: usize,
    /// Files gone since the last run (or no longer readable), their documents deleted.
    pub removed: usize,
    /// Files unchanged since the last run, not parsed.
    pub unchanged: usize,
    /// Export records not indexed because the same work was (same DOI, PMID, or title and
    /// year): per file, how many.
    pub merged: BTreeMap<PathBuf, usize>,
    /// The same, per format: the records read are the articles plus these.
    pub merged_formats: BTreeMap<&'static str, usize>,
    /// Each merged record: its file, and which article it duplicates (listed with `-v`).
    pub duplicates: Vec<Skipped>,
    /// PMIDs deleted by PubMed update files (`DeleteCitation`).
    pub deleted: usize,
    /// Commits the run made (more than one on runs over [`IndexOptions::commit_every`]).
    pub commits: usize,
    /// The index was written by another version of clinsearch, so every file was read again.
    pub rebuilt: bool,
}

impl Summary {
    /// Counts over all formats.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.formats.values() {
            total.merge(c);
        }
        total
    }
}

impl Counts {
    /// Add `other` to these counts.
    pub fn merge(&mut self, other: &Counts) {
        self.articles += other.articles;
        self.passages += other.passages;
        self.references += other.references;
        self.citations += other.citations;
        self.resolved += other.resolved;
    }

    pub(super) fn add(&mut self, article: &Article) {
        let counts = self;
        counts.articles += 1;
        counts.references += article.references.len();
        for (_, passage) in article.passages() {
            counts.passages += 1;
            counts.citations += passage.citations.len();
            counts.resolved += passage
                .citations
                .iter()
                .filter(|c| !c.references.is_empty())
                .count();
        }
    }
}

/// What was indexed, for one format or in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Articles parsed.
    pub articles: usize,
    /// Passage documents written.
    pub passages: usize,
    /// Reference documents written.
    pub references: usize,
    /// In-text citations found.
    pub citations: usize,
    /// Citations resolved to a reference entry.
    pub resolved: usize,
}

/// A file that was not indexed.
#[derive(Debug, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}
