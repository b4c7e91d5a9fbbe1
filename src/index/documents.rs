//! Turning an [`Article`] into tantivy documents: one per passage and one per reference.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::index::schema::{Fields, KIND_PASSAGE, KIND_REFERENCE};
use crate::model::{Article, Passage, Reference};

/// A work a passage cites, as stored with the passage and shown with a hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedWork {
    /// Short label: "Duman et al., 2016".
    pub label: String,
    /// Publication year of the cited work.
    pub year: Option<u16>,
    /// Position of the work in the article's reference list.
    pub reference: usize,
    /// The full reference entry as written.
    pub raw: String,
}

/// The id of a passage (`<article>#p<n>`) or a reference (`<article>#r<n>`) of an article.
pub fn document_id(article: &str, reference: bool, ordinal: u64) -> String {
    let kind = if reference { 'r' } else { 'p' };
    format!("{article}#{kind}{ordinal}")
}

/// The documents of one article, in order: passages, then references. `source` names the file
/// they come from (the key for deleting them when it changes).
pub fn documents(article: &Article, fields: &Fields, source: &str) -> Vec<TantivyDocument> {
    let mut docs = Vec::new();
    let expansions = crate::index::abbrev::expansions(article);
    for ((section, passage), expansion) in article.passages().zip(&expansions) {
        let mut doc = common(article, fields, source);
        doc.add_text(
            fields.id,
            document_id(&article.id, false, passage.ordinal as u64),
        );
        doc.add_text(fields.kind, KIND_PASSAGE);
        doc.add_text(fields.section, &section.heading);
        doc.add_text(
            fields.text,
            format!("{}\n{}\n{}", article.title, section.heading, passage.text),
        );
        doc.add_text(fields.body, &passage.text);
        doc.add_u64(fields.ordinal, passage.ordinal as u64);
        if let Some(page) = passage.page {
            doc.add_u64(fields.page, page.into());
        }
        if !expansion.is_empty() {
            doc.add_text(fields.expansion, expansion);
        }
        add_citations(&mut doc, fields, article, passage);
        docs.push(doc);
    }
    let mut cited_by = vec![0u64; article.references.len()];
    for (_, passage) in article.passages() {
        for i in passage.cited_references() {
            if let Some(n) = cited_by.get_mut(i) {
                *n += 1;
            }
        }
    }
    for (reference, cited) in article.references.iter().zip(cited_by) {
        let mut doc = common(article, fields, source);
        doc.add_text(
            fields.id,
            document_id(&article.id, true, reference.ordinal as u64),
        );
        doc.add_text(fields.kind, KIND_REFERENCE);
        doc.add_text(fields.section, "References");
        doc.add_text(fields.entry, &reference.raw);
        doc.add_text(fields.body, &reference.raw);
        doc.add_u64(fields.ordinal, reference.ordinal as u64);
        doc.add_u64(fields.cited, cited);
        for author in reference.creators() {
            doc.add_text(fields.author, author.display());
        }
        if let Some(year) = reference.year {
            doc.add_u64(fields.year, u64::from(year));
        }
        doc.add_text(
            fields.reference,
            serde_json::to_string(reference).expect("reference serialises"),
        );
        docs.push(doc);
    }
    docs
}

/// Fields every document of the article carries.
fn common(article: &Article, fields: &Fields, source: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.article, &article.id);
    doc.add_text(fields.path, &article.path);
    doc.add_text(fields.format, article.format.name());
    doc.add_text(fields.title, &article.title);
    doc.add_text(fields.source, source);
    if let Some(year) = article.year {
        doc.add_u64(fields.article_year, u64::from(year));
    }
    for author in &article.authors {
        doc.add_text(fields.article_author, author.display());
    }
    if let Some(pmid) = &article.pmid {
        doc.add_text(fields.pmid, pmid);
    }
    if let Some(doi) = &article.doi {
        doc.add_text(fields.doi, doi.to_lowercase());
    }
    if crate::index::dedup::merges(article) {
        for key in crate::index::dedup::work_keys(article) {
            doc.add_text(fields.work, key);
        }
    }
    for keyword in &article.keywords {
        doc.add_text(fields.keyword, keyword);
    }
    doc
}

/// Authors, years and stored labels of the works a passage cites, each once.
fn add_citations(doc: &mut TantivyDocument, fields: &Fields, article: &Article, passage: &Passage) {
    let cited: Vec<&Reference> = passage
        .cited_references()
        .into_iter()
        .map(|i| &article.references[i])
        .collect();
    let mut years: Vec<u16> = cited.iter().filter_map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    for year in years {
        doc.add_u64(fields.year, u64::from(year));
    }
    let mut authors: Vec<String> = cited
        .iter()
        .flat_map(|r| r.creators().iter().map(|a| a.display()))
        .collect();
    authors.sort();
    authors.dedup();
    for author in authors {
        doc.add_text(fields.author, author);
    }
    for r in cited {
        let work = CitedWork {
            label: r.label(),
            year: r.year,
            reference: r.ordinal,
            raw: r.raw.clone(),
        };
        doc.add_text(
            fields.cites,
            serde_json::to_string(&work).expect("cited work serialises"),
        );
    }
}
