//! The article's DOI, as its first pages print it. Publishers set it in the front matter,
//! mostly in the first page's header or footer ("doi:10.1155/2016/8378423",
//! "https://doi.org/10.1186/s13063-014-0511-5", "DOI 10.1098/rsos.150395"); a cover page may
//! come first. Read in this order, as the year of publication is (`published`):
//! - the DOI of the citation the publisher recommends ("How to cite this article: ...
//!   F1000Research 2015, 3:190 (doi: 10.12688/f1000research.4767.2)"), which names the version
//!   at hand where a cover lists every version's;
//! - else the first DOI of the first pages, before the reference list (whose entries carry
//!   DOIs too).

use std::sync::LazyLock;

use regex::Regex;

use super::layout::Layout;
use super::published::front_lines;
use crate::parse::outline::is_references_heading;

/// Crossref's pattern for the DOIs it has registered since 2000 (`10.` a registrant of four to
/// nine digits, `/`, a suffix of letters, digits and `-._;()/:`), not after a digit or a dot.
static DOI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.])(10\.\d{4,9}/[-._;()/:A-Za-z0-9]+)").expect("a valid pattern")
});

/// "Cite this article" or "How to cite this article", then the citation's DOI.
static CITE_AS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)\b(?:how to )?cite this article\b.{0,500}?\b(10\.\d{4,9}/\S+)")
        .expect("a valid pattern")
});

/// The DOI printed on the first pages of `layout`, if any; `front` is their text
/// ([`front_text`](super::published::front_text)).
pub fn doi(layout: &Layout, front: &str) -> Option<String> {
    cited_doi(front).or_else(|| first_doi(layout))
}

/// The DOI of the citation recommended in front-matter `text`.
fn cited_doi(text: &str) -> Option<String> {
    doi_in(CITE_AS.captures(text)?.get(1)?.as_str())
}

/// The first DOI of the front pages before the reference list.
fn first_doi(layout: &Layout) -> Option<String> {
    front_lines(layout)
        .take_while(|l| !is_references_heading(&l.text))
        .find_map(|l| doi_in(&l.text))
}

/// The first DOI in `text`, without the sentence's punctuation after it or a closing bracket it
/// did not open.
fn doi_in(text: &str) -> Option<String> {
    let mut doi = DOI.captures(text)?.get(1)?.as_str();
    loop {
        let mut trimmed = doi.trim_end_matches(['.', ',', ';', ':']);
        if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
            trimmed = &trimmed[..trimmed.len() - 1];
        }
        if trimmed == doi {
            return Some(doi.to_string());
        }
        doi = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::{cited_doi, doi_in};

    #[test]
    fn the_recommended_citation_names_the_version_at_hand() {
        let cover = "First published: 12 Aug 2014, 3:190 (doi: 10.12688/f1000research.4767.1)\n\
                     Latest published: 27 Jan 2015, 3:190 (doi: 10.12688/f1000research.4767.2)\n\
                     How to cite this article: Frazier BS and Ulrich GF. Longevity of sharks\n\
                     F1000Research 2015, 3:190 (doi: 10.12688/f1000research.4767.2)";
        assert_eq!(
            cited_doi(cover).as_deref(),
            Some("10.12688/f1000research.4767.2")
        );
        assert_eq!(cited_doi("Published: 2015 doi:10.1155/2016/8378423"), None);
    }

    #[test]
    fn a_doi_as_publishers_print_it() {
        let cases = [
            (
                "Volume 2016, Article ID 8378423, 5 pages http://dx.doi.org/10.1155/2016/8378423",
                Some("10.1155/2016/8378423"),
            ),
            (
                "Frazier and Ulrich. doi:10.12688/f1000research.4767.2.",
                Some("10.12688/f1000research.4767.2"),
            ),
            (
                "DOI 10.1186/s13063-014-0511-5",
                Some("10.1186/s13063-014-0511-5"),
            ),
            (
                "(https://doi.org/10.1016/S0277-9536(99)00145-8).",
                Some("10.1016/S0277-9536(99)00145-8"),
            ),
            ("DOI10.1098/rsos.150395;", Some("10.1098/rsos.150395")),
            (
                "(doi: 10.12688/f1000research.4767.2)",
                Some("10.12688/f1000research.4767.2"),
            ),
            // No DOI: a version number, a registrant of three digits.
            ("Published 2010.1016/ volume", None),
            ("see 10.123/abc", None),
        ];
        for (text, doi) in cases {
            assert_eq!(doi_in(text).as_deref(), doi, "{text}");
        }
    }
}
