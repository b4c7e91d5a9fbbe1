//! Scoring the PDF reader against the publisher's XML of the same article.
//!
//! Independent of the reader's internals: the ground truth is read here with its own XML code
//! (JATS `.nxml`, or BioMed Central's `art` XML), and the reader is only seen through the
//! [`Article`] it returns (or, for `pdftotext`, through plain text). Measures per article:
//! - **text recall**: share of the 5-word shingles of the XML's abstract and body paragraphs
//!   (`p` elements, captions included; tables and figures nested in a `p` are not part of its
//!   text) found in the passages (tokens: NFKC, lowercase, runs of letters and digits with at
//!   least one letter);
//! - **run-together words** per 1,000 tokens: a token that is no word of the XML but splits into
//!   two of its words (each of two letters or more);
//! - **title**: token F1 with the XML's title ≥ 0.9;
//! - **headings**: section titles of the XML (`sec`, `ack` and `app` titles; BMC `st`) against
//!   the heading path components of the sections (numbering stripped; equal, or token F1 ≥ 0.8,
//!   one to one); "Abstract" and the reference-list heading left out on both sides;
//! - **references**: entries against the XML's `ref` (BMC `bibl`); years as a multiset;
//! - **citations**: cited works resolved to a reference, against the XML's citation links.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node, ParsingOptions};
use unicode_normalization::UnicodeNormalization;

use crate::model::Article;

/// What the publisher's XML says about an article.
#[derive(Debug, Default)]
pub struct Truth {
    /// The article title.
    pub title: String,
    /// Abstract and body paragraphs (captions included), as text.
    pub paragraphs: Vec<String>,
    /// Section titles.
    pub headings: Vec<String>,
    /// Years of the reference-list entries (entries without a year left out).
    pub ref_years: Vec<u16>,
    /// Entries of the reference list.
    pub refs: usize,
    /// Citation links in the text (`xref ref-type="bibr"`, BMC `abbr bid="B.."`).
    pub citations: usize,
    /// The article's keywords (`kwd`), in order.
    pub keywords: Vec<String>,
    /// The year of publication: of the first `pub-date` of the article's metadata (BMC: its
    /// first `pubdate`).
    pub published: Option<u16>,
    /// The article's DOI (JATS: `article-id` of type doi; BMC: its first `pubid` of type doi).
    pub doi: Option<String>,
    /// The whole text of the XML (front matter, floats and references included).
    pub text: String,
    /// Every word of the XML's text.
    pub vocabulary: HashSet<String>,
}

const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// JATS display objects ("floats"): they may sit inside a `p` but are not part of its running
/// text; the `p` elements inside them (captions, table notes) count as paragraphs of their own,
/// as they do for floats outside paragraphs.
const FLOATS: [&str; 6] = [
    "table-wrap",
    "table-wrap-group",
    "fig",
    "fig-group",
    "boxed-text",
    "supplementary-material",
];

/// Text of a node, with a space around block elements and nothing for formulas (nor for floats,
/// when `floats` is false).
fn text_of(node: Node, floats: bool, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        } else if child.is_element() {
            let tag = child.tag_name();
            if tag.namespace() == Some(MATHML)
                || tag.name() == "tex-math"
                || (!floats && FLOATS.contains(&tag.name()))
            {
                out.push(' ');
                continue;
            }
            let inline = matches!(
                tag.name(),
                "italic"
                    | "bold"
                    | "sup"
                    | "sub"
                    | "sc"
                    | "underline"
                    | "monospace"
                    | "xref"
                    | "ext-link"
                    | "named-content"
                    | "styled-content"
                    | "uri"
                    | "abbrev"
                    | "inline-formula"
                    | "it"
                    | "b"
                    | "abbr"
                    | "abbrgrp"
                    | "u"
                    | "url"
                    | "smallcaps"
                    | "tt"
            );
            if !inline {
                out.push(' ');
            }
            text_of(child, floats, out);
            if !inline {
                out.push(' ');
            }
        }
    }
}

/// The whole text of a node, white space collapsed.
fn text(node: Node) -> String {
    collapsed(node, true)
}

/// Running text of a paragraph: floats inside it left out.
fn paragraph_text(node: Node) -> String {
    collapsed(node, false)
}

/// The text of a node ([`text_of`]) with its white space collapsed to single spaces.
fn collapsed(node: Node, floats: bool) -> String {
    let mut s = String::new();
    text_of(node, floats, &mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a `p` lies inside another paragraph's running text (not inside a float of it).
fn nested_paragraph(node: Node) -> bool {
    node.ancestors()
        .skip(1)
        .take_while(|a| !FLOATS.contains(&a.tag_name().name()))
        .any(|a| matches!(a.tag_name().name(), "p" | "st" | "title"))
}

fn has_ancestor(node: Node, names: &[&str]) -> bool {
    node.ancestors()
        .skip(1)
        .any(|a| names.contains(&a.tag_name().name()))
}

/// Read the ground truth from a JATS or BMC XML document.
pub fn read_truth(xml: &str) -> crate::Result<Truth> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options)
        .map_err(|e| crate::Error::Invalid(format!("invalid XML: {e}")))?;
    let root = doc.root_element();
    let bmc = root.tag_name().name() == "art";
    let mut t = Truth::default();
    let year = |n: Node| {
        n.descendants()
            .filter(|d| d.tag_name().name() == "year" || d.tag_name().name() == "pubdate")
            .find_map(|d| {
                let s = text(d);
                s.get(..4).and_then(|y| y.parse::<u16>().ok())
            })
    };
    for n in root.descendants().filter(Node::is_element) {
        let name = n.tag_name().name();
        let in_text = if bmc {
            has_ancestor(n, &["abs", "bdy"])
        } else {
            has_ancestor(n, &["body"])
                || (has_ancestor(n, &["abstract"]) && has_ancestor(n, &["article-meta"]))
        };
        match name {
            "p" if in_text && !nested_paragraph(n) => t.paragraphs.push(paragraph_text(n)),
            "article-title" if !bmc && t.title.is_empty() && has_ancestor(n, &["title-group"]) => {
                t.title = text(n);
            }
            "title" if bmc && t.title.is_empty() && has_ancestor(n, &["fm"]) => t.title = text(n),
            "title"
                if !bmc
                    && n.parent_element()
                        .is_some_and(|p| matches!(p.tag_name().name(), "sec" | "ack" | "app")) =>
            {
                t.headings.push(text(n));
            }
            "st" if bmc => t.headings.push(text(n)),
            "ack" if bmc => t.headings.push("Acknowledgements".into()),
            "ref" if !bmc && has_ancestor(n, &["ref-list"]) => {
                t.refs += 1;
                t.ref_years.extend(year(n));
            }
            "bibl" if bmc && has_ancestor(n, &["refgrp"]) => {
                t.refs += 1;
                t.ref_years.extend(year(n));
            }
            "kwd" => t.keywords.push(text(n)),
            "pub-date" if !bmc && t.published.is_none() && has_ancestor(n, &["article-meta"]) => {
                t.published = year(n);
            }
            "pubdate" if bmc && t.published.is_none() && !has_ancestor(n, &["refgrp"]) => {
                t.published = year(n);
            }
            "article-id"
                if !bmc
                    && t.doi.is_none()
                    && n.attribute("pub-id-type") == Some("doi")
                    && has_ancestor(n, &["article-meta"]) =>
            {
                t.doi = Some(text(n).trim().to_string());
            }
            "pubid"
                if bmc
                    && t.doi.is_none()
                    && n.attribute("idtype") == Some("doi")
                    && !has_ancestor(n, &["refgrp"]) =>
            {
                t.doi = Some(text(n).trim().to_string());
            }
            "xref" if n.attribute("ref-type") == Some("bibr") => t.citations += 1,
            "abbr" if bmc && n.attribute("bid").is_some_and(|b| b.starts_with('B')) => {
                t.citations += 1
            }
            _ => {}
        }
    }
    t.text = text(root);
    t.vocabulary = tokens(&t.text).into_iter().collect();
    Ok(t)
}

/// Tokens for scoring: NFKC, lowercase, runs of letters and digits with at least one letter.
pub fn tokens(text: &str) -> Vec<String> {
    let text: String = text.nfkc().collect::<String>().to_lowercase();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect()
}

fn shingles(tokens: &[String]) -> impl Iterator<Item = String> + '_ {
    tokens.windows(5).map(|w| w.join(" "))
}

/// Text recall of 5-word shingles and run-together words per 1,000 tokens, of `texts` (passages,
/// or one stream of plain text) against the truth.
pub fn text_scores(truth: &Truth, texts: &[&str]) -> (f64, f64, usize) {
    let mut found: HashSet<String> = HashSet::new();
    let mut glued = 0;
    let mut count = 0;
    for t in texts {
        let toks = tokens(t);
        count += toks.len();
        glued += toks
            .iter()
            .filter(|w| is_run_together(w, &truth.vocabulary))
            .count();
        found.extend(shingles(&toks));
    }
    let (mut hit, mut all) = (0usize, 0usize);
    for p in &truth.paragraphs {
        for s in shingles(&tokens(p)) {
            all += 1;
            hit += found.contains(&s) as usize;
        }
    }
    let recall = if all == 0 {
        1.0
    } else {
        hit as f64 / all as f64
    };
    let per_1000 = if count == 0 {
        0.0
    } else {
        glued as f64 * 1000.0 / count as f64
    };
    (recall, per_1000, glued)
}

/// The stretches of the XML's paragraphs whose 5-word shingles `texts` miss, each as its
/// tokens joined by spaces: where the text recall is lost.
pub fn missed_text(truth: &Truth, texts: &[&str]) -> Vec<String> {
    let found: HashSet<String> = texts
        .iter()
        .flat_map(|t| shingles(&tokens(t)).collect::<Vec<_>>())
        .collect();
    let mut out = Vec::new();
    for p in &truth.paragraphs {
        let toks = tokens(p);
        let mut missed = vec![false; toks.len()];
        for (i, s) in shingles(&toks).enumerate() {
            if !found.contains(&s) {
                missed[i..i + 5].iter_mut().for_each(|m| *m = true);
            }
        }
        let mut i = 0;
        while i < toks.len() {
            let run = missed[i..].iter().take_while(|m| **m).count();
            if run > 0 {
                out.push(toks[i..i + run].join(" "));
            }
            i += run.max(1);
        }
    }
    out
}

fn is_run_together(word: &str, vocabulary: &HashSet<String>) -> bool {
    if vocabulary.contains(word) || word.len() < 5 {
        return false;
    }
    word.char_indices().skip(2).any(|(i, _)| {
        word.len() - i >= 2 && vocabulary.contains(&word[..i]) && vocabulary.contains(&word[i..])
    })
}

/// Token F1 of two strings.
pub fn token_f1(a: &str, b: &str) -> f64 {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for t in &b {
        *counts.entry(t).or_default() += 1;
    }
    let mut common = 0;
    for t in &a {
        if let Some(c) = counts.get_mut(t.as_str()).filter(|c| **c > 0) {
            *c -= 1;
            common += 1;
        }
    }
    let (p, r) = (
        common as f64 / a.len() as f64,
        common as f64 / b.len() as f64,
    );
    if common == 0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn heading_key(h: &str) -> String {
    let h = h.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace());
    tokens(h).join(" ")
}

fn counted_heading(key: &str) -> bool {
    !key.is_empty() && key != "abstract" && !crate::parse::outline::is_references_heading(key)
}

/// Matched, predicted and true headings.
pub fn heading_scores(truth: &Truth, article: &Article) -> (usize, usize, usize) {
    let mut predicted: Vec<String> = Vec::new();
    for s in &article.sections {
        for part in s.heading.split(" > ") {
            let key = heading_key(part);
            if counted_heading(&key) && !predicted.contains(&key) {
                predicted.push(key);
            }
        }
    }
    let mut gold: Vec<String> = truth
        .headings
        .iter()
        .map(|h| heading_key(h))
        .filter(|k| counted_heading(k))
        .collect();
    gold.dedup();
    let (n_pred, n_gold) = (predicted.len(), gold.len());
    let mut matched = 0;
    for p in &predicted {
        let at = gold
            .iter()
            .position(|g| g == p)
            .or_else(|| gold.iter().position(|g| token_f1(g, p) >= 0.8));
        if let Some(i) = at {
            gold.remove(i);
            matched += 1;
        }
    }
    (matched, n_pred, n_gold)
}

/// Years of `ours` found in `truth` (multisets).
pub fn years_found(truth: &[u16], ours: &[u16]) -> usize {
    let mut counts: HashMap<u16, usize> = HashMap::new();
    for y in ours {
        *counts.entry(*y).or_default() += 1;
    }
    truth
        .iter()
        .filter(|y| {
            counts.get_mut(y).is_some_and(|c| {
                let left = *c > 0;
                *c = c.saturating_sub(1);
                left
            })
        })
        .count()
}

/// Texts of the XML a passage is looked up in: their 5-word shingles, and their tokens between
/// spaces for passages shorter than a shingle (matched by their words in order).
struct Known {
    shingles: HashSet<String>,
    runs: Vec<String>,
}

impl Known {
    fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Known {
        let mut known = Known {
            shingles: HashSet::new(),
            runs: Vec::new(),
        };
        for text in texts {
            let toks = tokens(text);
            known.shingles.extend(shingles(&toks));
            known.runs.push(format!(" {} ", toks.join(" ")));
        }
        known
    }

    /// Whether `passage` is text of these: half its 5-word shingles, or all its words when it
    /// is shorter, found there. A passage without a word (numbers, symbols) is not.
    fn has(&self, passage: &str) -> bool {
        let toks = tokens(passage);
        if toks.is_empty() {
            false
        } else if toks.len() < 5 {
            let words = format!(" {} ", toks.join(" "));
            self.runs.iter().any(|r| r.contains(&words))
        } else {
            let pieces: Vec<String> = shingles(&toks).collect();
            let hit = pieces.iter().filter(|s| self.shingles.contains(*s)).count();
            2 * hit >= pieces.len()
        }
    }
}

/// Of the passages `article` files under "Abstract" (a top-level section of that name), how
/// many are text of the XML's abstract, body or keywords ([`Known::has`]), and how many there
/// are: front-matter notes (affiliations, correspondence, licence) read as abstract paragraphs
/// are not.
pub fn abstract_passages(truth: &Truth, article: &Article) -> (usize, usize) {
    let keywords = truth.keywords.join(" ");
    let sources = truth.paragraphs.iter().chain(std::iter::once(&keywords));
    let known = Known::of(sources.map(String::as_str));
    let (mut from_xml, mut all) = (0, 0);
    for (section, passage) in article.passages() {
        let top = section.heading.split(" > ").next().unwrap_or_default();
        if !top.eq_ignore_ascii_case("abstract") {
            continue;
        }
        all += 1;
        from_xml += known.has(&passage.text) as usize;
    }
    (from_xml, all)
}

/// How many of the article's passages are text of the XML anywhere, and how many there are
/// (see [`passages_not_in_xml`]).
pub fn passages_from_xml(truth: &Truth, article: &Article) -> (usize, usize) {
    let all = article.passages().count();
    (all - passages_not_in_xml(truth, article).len(), all)
}

/// The article's passages that are not text of the XML anywhere ([`Known::has`] against its
/// whole text: front matter, tables, captions and references included): labels and axes drawn
/// inside figures, text the reader garbled, or notes the publisher adds to the PDF only.
pub fn passages_not_in_xml<'a>(truth: &Truth, article: &'a Article) -> Vec<&'a str> {
    let known = Known::of([truth.text.as_str()]);
    article
        .passages()
        .map(|(_, p)| p.text.as_str())
        .filter(|p| !known.has(p))
        .collect()
}

/// The scores of one article.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ArticleScore {
    /// Folder name.
    pub name: String,
    /// Publisher group (the folder's prefix).
    pub group: String,
    /// Pages.
    pub pages: usize,
    /// 5-word shingle recall.
    pub recall: f64,
    /// Run-together words per 1,000 tokens.
    pub glued_per_1000: f64,
    /// Title token F1.
    pub title_f1: f64,
    /// Headings matched, predicted, in the XML.
    pub headings: (usize, usize, usize),
    /// Reference entries found and in the XML.
    pub refs: (usize, usize),
    /// Years of entries matched and in the XML.
    pub years: (usize, usize),
    /// Cited works resolved to a reference, citations found, citation links of the XML.
    pub citations: (usize, usize, usize),
    /// Abstract passages that are the XML's text, and all abstract passages.
    pub abstracts: (usize, usize),
    /// Passages that are text of the XML anywhere, and all passages.
    pub passages: (usize, usize),
    /// Whether the year of publication read is the XML's (`None` when the XML has none).
    pub year_right: Option<bool>,
    /// Whether the DOI read is the XML's, letter case aside (`None` when the XML has none).
    pub doi_right: Option<bool>,
    /// Whether a DOI was read that is not the XML's.
    pub doi_wrong: bool,
    /// Seconds to read the PDF into the article.
    pub seconds: f64,
    /// The same for pdftotext, when run: recall, run-together words per 1,000, seconds.
    pub pdftotext: Option<(f64, f64, f64)>,
}

/// Score one article.
pub fn score_article(truth: &Truth, article: &Article) -> ArticleScore {
    let texts: Vec<&str> = article.passages().map(|(_, p)| p.text.as_str()).collect();
    let (recall, glued_per_1000, _) = text_scores(truth, &texts);
    let years: Vec<u16> = article.references.iter().filter_map(|r| r.year).collect();
    let citations = article.passages().flat_map(|(_, p)| &p.citations);
    let same_doi = (article.doi.as_ref().zip(truth.doi.as_ref()))
        .is_some_and(|(a, d)| a.eq_ignore_ascii_case(d));
    let (mut resolved, mut found) = (0, 0);
    for c in citations {
        found += 1;
        resolved += c.references.len();
    }
    ArticleScore {
        recall,
        glued_per_1000,
        title_f1: token_f1(&article.title, &truth.title),
        headings: heading_scores(truth, article),
        refs: (article.references.len(), truth.refs),
        years: (years_found(&truth.ref_years, &years), truth.ref_years.len()),
        citations: (resolved, found, truth.citations),
        abstracts: abstract_passages(truth, article),
        passages: passages_from_xml(truth, article),
        year_right: truth.published.map(|y| article.year == Some(y)),
        doi_right: truth.doi.as_ref().map(|_| same_doi),
        doi_wrong: article.doi.is_some() && !same_doi,
        ..ArticleScore::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_from_jats() {
        let xml = r#"<article><front><article-meta><article-id pub-id-type="doi">10.1/k.2016
            </article-id><title-group><article-title>Ketamine in
            depression</article-title></title-group><pub-date pub-type="epub"><day>3</day>
            <year>2016</year></pub-date><abstract><p>One two three four five six.</p>
            </abstract></article-meta></front><body><sec><title>1. Methods</title><p>Seven eight
            nine ten eleven <xref ref-type="bibr" rid="r1">1</xref>.</p></sec></body><back>
            <ref-list><title>References</title><ref id="r1"><element-citation><year>2019</year>
            </element-citation></ref></ref-list></back></article>"#;
        let t = read_truth(xml).unwrap();
        assert_eq!(t.title, "Ketamine in depression");
        assert_eq!(t.published, Some(2016));
        assert_eq!(t.doi.as_deref().map(str::trim), Some("10.1/k.2016"));
        assert_eq!(t.paragraphs.len(), 2);
        assert_eq!(t.headings, ["1. Methods"]);
        assert_eq!(
            (t.refs, t.ref_years.as_slice(), t.citations),
            (1, &[2019][..], 1)
        );
        let (recall, glued, _) = text_scores(&t, &["one two three four five sixseven"]);
        assert!((recall - 1.0 / 3.0).abs() < 1e-9, "{recall}");
        assert!(glued > 0.0);
        let missed = missed_text(&t, &["one two three four five sixseven"]);
        // The second shingle of the abstract ("two ... six") and the whole body are missed.
        assert_eq!(
            missed,
            ["two three four five six", "seven eight nine ten eleven"]
        );
        assert_eq!(years_found(&[2019, 2019, 2020], &[2019, 2020, 2021]), 2);
        assert!((token_f1("Ketamine in depression", "ketamine in Depression.") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn abstract_passages_that_are_front_matter_notes() {
        let xml = r#"<article><front><article-meta><abstract><p>Bears produce the most altricial
            neonates of any placental mammal.</p></abstract><kwd-group><kwd>giant panda</kwd>
            <kwd>milk</kwd></kwd-group></article-meta></front></article>"#;
        let t = read_truth(xml).unwrap();
        assert_eq!(t.keywords, ["giant panda", "milk"]);
        let mut outline = crate::parse::outline::Outline::with_title(Some("Milk".into()));
        outline.heading(1, "Abstract".into());
        outline
            .passage("Bears produce the most altricial neonates of any placental mammal.".into());
        outline.passage("Correspondence: Malcolm W. Kennedy, University of Glasgow".into());
        outline.heading(2, "Keywords".into());
        outline.passage("giant panda, milk".into());
        outline.heading(1, "Introduction".into());
        outline.passage("Correspondence is not counted outside the abstract.".into());
        let article = outline.finish("a", "a.pdf", crate::model::Format::Pdf);
        assert_eq!(abstract_passages(&t, &article), (2, 3));
    }

    #[test]
    fn passages_from_the_xml_include_tables_but_not_figure_labels() {
        let xml = r#"<article><front><article-meta><title-group><article-title>Milk of
            bears</article-title></title-group></article-meta></front><body><sec><p>Bears
            produce the most altricial neonates of any placental mammal.</p><table-wrap>
            <table><tr><td>Lactose</td><td>2.1 g</td></tr></table></table-wrap></sec></body>
            </article>"#;
        let t = read_truth(xml).unwrap();
        let mut outline = crate::parse::outline::Outline::with_title(Some("Milk".into()));
        outline.heading(1, "Results".into());
        for passage in [
            "Bears produce the most altricial neonates of any placental mammal.",
            "Lactose 2.1 g",
            "SDH A SDH B",
            "0.8 0.6 0.4 0.2 0",
            "Bears produce milk that no figure of the XML has in its text at all.",
        ] {
            outline.passage(passage.into());
        }
        let article = outline.finish("a", "a.pdf", crate::model::Format::Pdf);
        assert_eq!(passages_from_xml(&t, &article), (2, 5));
    }

    #[test]
    fn floats_inside_a_paragraph_are_not_its_text() {
        let xml = r#"<article><body><sec><p>Counts are in Table 1.<table-wrap><label>Table
            1</label><caption><p>Counts per village</p></caption><table><tr><td>Cell</td></tr>
            </table><table-wrap-foot><p>Data from 1820.</p></table-wrap-foot></table-wrap> And
            the text goes on.</p></sec></body></article>"#;
        let t = read_truth(xml).unwrap();
        assert_eq!(
            t.paragraphs,
            [
                "Counts are in Table 1. And the text goes on.",
                "Counts per village",
                "Data from 1820."
            ]
        );
    }
}
