//! What an index holds: counts per format, passages with vectors, the cited-year and
//! publication-year histograms, the most cited references.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::{committed_vectors, indexed_counts, vectors_in, Counts};
use crate::search::Kind;
use crate::search::{Request, Searcher};
use crate::Result;

/// Statistics of one index.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Stats {
    /// Articles, passages, references and citations per format ("text", "jats"...).
    pub formats: BTreeMap<String, Counts>,
    /// The same over all formats.
    pub total: Counts,
    /// For each year from the first to the last cited, how many passages cite work from it.
    pub cited_years: Vec<YearCount>,
    /// For each year from the first to the last, how many articles were published in it.
    #[serde(default)]
    pub published_years: Vec<ArticleYearCount>,
    /// The references cited by the most passages of their article.
    pub most_cited: Vec<MostCited>,
    /// Passages with a sentence-embedding vector (`index --semantic`), for hybrid ranking.
    #[serde(default)]
    pub vectors: usize,
}

/// One bar of the cited-year histogram.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct YearCount {
    /// The year.
    pub year: u16,
    /// Passages citing work from that year.
    pub passages: u64,
}

/// One bar of the publication-year histogram.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ArticleYearCount {
    /// The year.
    pub year: u16,
    /// Articles published in it.
    pub articles: u64,
}

/// A much-cited reference.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct MostCited {
    /// Passages of its article that cite it.
    pub passages: u64,
    /// The citing article.
    pub article: String,
    /// The entry as written.
    pub entry: String,
}

/// Gather the statistics of the index `searcher` reads; `top` most cited.
pub fn stats(searcher: &Searcher, top: usize) -> Result<Stats> {
    let formats = indexed_counts(searcher.index())?;
    let mut total = Counts::default();
    for c in formats.values() {
        total.merge(c);
    }
    let all_passages = Request {
        kind: Kind::Passage,
        ..Request::default()
    };
    let cited_years = fill_years(&searcher.year_histogram(&all_passages)?);
    let published_years = fill_article_years(&searcher.published_histogram()?);
    let most_cited = searcher
        .most_cited(top)?
        .into_iter()
        .map(|(passages, hit)| MostCited {
            passages,
            article: hit.article,
            entry: hit.text,
        })
        .collect();
    Ok(Stats {
        formats,
        total,
        cited_years,
        published_years,
        most_cited,
        vectors: vector_count(searcher)?,
    })
}

/// The vectors committed with the indexes `searcher` reads.
fn vector_count(searcher: &Searcher) -> Result<usize> {
    let committed = match searcher.dirs.as_slice() {
        [] => vec![committed_vectors(searcher.index())?],
        dirs => dirs.iter().map(|d| vectors_in(d)).collect::<Result<_>>()?,
    };
    Ok(committed.iter().flatten().map(|v| v.rows).sum())
}

/// [`fill_years`] for articles per publication year.
pub fn fill_article_years(counts: &[(u16, u64)]) -> Vec<ArticleYearCount> {
    fill_years(counts)
        .into_iter()
        .map(|y| ArticleYearCount {
            year: y.year,
            articles: y.passages,
        })
        .collect()
}

/// Every year from the first to the last of `counts`, with zero where nothing was counted.
pub fn fill_years(counts: &[(u16, u64)]) -> Vec<YearCount> {
    let (Some(first), Some(last)) = (counts.first(), counts.last()) else {
        return Vec::new();
    };
    (first.0..=last.0)
        .map(|year| YearCount {
            year,
            passages: counts
                .iter()
                .find(|(y, _)| *y == year)
                .map_or(0, |(_, n)| *n),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_filled_between_first_and_last() {
        let years = fill_years(&[(2012, 1), (2015, 3)]);
        let got: Vec<(u16, u64)> = years.iter().map(|y| (y.year, y.passages)).collect();
        assert_eq!(got, [(2012, 1), (2013, 0), (2014, 0), (2015, 3)]);
        assert!(fill_years(&[]).is_empty());
    }
}
