//! Saved web pages: `h1`–`h6` give sections, `p` and `li` give passages, a list under a References
//! heading is the reference list. Scripts, styles, navigation, headers, footers and asides are
//! dropped. A journal's article page describes the article in Highwire Press `citation_*` meta
//! tags (the convention Google Scholar indexes): title, authors, date, journal, DOI and PMID
//! are read from them when present.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::export;
use super::outline::{is_references_heading, Outline};
use crate::model::{Article, Format};
use crate::reference::normalize_space;

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form",
    "button", "svg", "iframe", "select", "head", "menu",
];
/// Elements that separate words when flattened.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "br",
    "td",
    "th",
    "tr",
    "dd",
    "dt",
    "blockquote",
    "section",
    "article",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Whether `source` looks like an HTML page.
pub fn sniff(source: &str) -> bool {
    let head = source
        .trim_start()
        .get(..512.min(source.trim_start().len()))
        .unwrap_or("")
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.contains("<html")
}

/// Parse an HTML page.
pub fn parse_html(source: &str, id: &str, path: &str) -> Article {
    let html = Html::parse_document(source);
    let page_title = html
        .root_element()
        .descendants()
        .find(|n| matches!(n.value(), Node::Element(e) if e.name() == "title"))
        .map(flatten)
        .filter(|t| !t.is_empty());
    let mut walker = Walker {
        outline: Outline::default(),
        title_heading_seen: false,
    };
    walker.walk(*html.root_element());
    let mut outline = walker.outline;
    let meta = citation_meta(&html);
    let cited_title = export::first_field(&meta, &["citation_title"]).map(str::to_string);
    if let Some(title) = cited_title.or(page_title) {
        outline.title = Some(title);
    }
    let mut article = outline.finish(id, path, Format::Html);
    article.authors = meta
        .iter()
        .filter(|(name, _)| name == "citation_author")
        .filter_map(|(_, value)| export::person(value))
        .collect();
    article.year = export::first_field(
        &meta,
        &[
            "citation_publication_date",
            "citation_date",
            "citation_online_date",
            "citation_year",
        ],
    )
    .and_then(export::first_year);
    article.journal = export::first_field(&meta, &["citation_journal_title"]).map(str::to_string);
    article.doi = export::first_field(&meta, &["citation_doi"]).and_then(export::bare_doi);
    article.pmid = export::first_field(&meta, &["citation_pmid"]).map(str::to_string);
    article
}

/// The page's `citation_*` meta tags (name lowercased, content with its spaces normalised), in
/// order.
fn citation_meta(html: &Html) -> Vec<(String, String)> {
    html.root_element()
        .descendants()
        .filter_map(|n| match n.value() {
            Node::Element(e) if e.name() == "meta" => {
                let name = e.attr("name")?.trim().to_ascii_lowercase();
                let content = normalize_space(e.attr("content")?);
                (name.starts_with("citation_") && !content.is_empty()).then_some((name, content))
            }
            _ => None,
        })
        .collect()
}

struct Walker {
    outline: Outline,
    title_heading_seen: bool,
}

impl Walker {
    fn walk(&mut self, node: NodeRef<Node>) {
        for child in node.children() {
            let Node::Element(element) = child.value() else {
                continue;
            };
            let name = element.name();
            if DROPPED.contains(&name) {
                continue;
            }
            match name {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let level = usize::from(name.as_bytes()[1] - b'0');
                    let text = flatten(child);
                    if text.is_empty() {
                        continue;
                    }
                    if level == 1 && !self.title_heading_seen {
                        self.title_heading_seen = true;
                        if self.outline.title.is_none() {
                            self.outline.title = Some(text);
                        }
                        continue;
                    }
                    self.outline.heading(level, text);
                }
                "p" | "li" | "dd" | "figcaption" => {
                    let mut text = flatten(child);
                    if self.outline.in_references() {
                        if let Some(n) = list_number(child) {
                            text = format!("{n}. {text}");
                        }
                        self.outline.reference(text);
                    } else if !is_references_heading(&text) {
                        self.outline.passage(text);
                    }
                }
                "table" | "pre" | "code" => {}
                _ => self.walk(child),
            }
        }
    }
}

/// The number of an `li` in an `ol` (1-based, honouring `start`).
fn list_number(node: NodeRef<Node>) -> Option<usize> {
    let Node::Element(e) = node.value() else {
        return None;
    };
    if e.name() != "li" {
        return None;
    }
    let parent = node.parent()?;
    let Node::Element(p) = parent.value() else {
        return None;
    };
    if p.name() != "ol" {
        return None;
    }
    let start: usize = p.attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
    let before = node
        .prev_siblings()
        .filter(|s| matches!(s.value(), Node::Element(e) if e.name() == "li"))
        .count();
    Some(start + before)
}

/// All text under `node`, words separated where blocks meet, whitespace normalised.
fn flatten(node: NodeRef<Node>) -> String {
    fn walk(node: NodeRef<Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if DROPPED.contains(&e.name()) => {}
                Node::Element(e) => {
                    let block = BLOCKS.contains(&e.name());
                    if block {
                        out.push(' ');
                    }
                    walk(child, out);
                    if block {
                        out.push(' ');
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(node, &mut out);
    normalize_space(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::headed_passages;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Ketamine review</title><style>p{}</style></head>
<body><header><nav><a href="/">Home</a></nav></header>
<article><h1>Ketamine review</h1>
<p>Ketamine blocks <em>NMDA</em> receptors (Duman et al., 2016).</p>
<h2>Safety</h2><p>Dissociation was<br>common.</p><ul><li>Blood pressure rose.</li></ul>
<aside>Subscribe now</aside><script>var x = "(Fake et al., 2000)";</script>
<h2>References</h2><ol><li>Duman, R. S., &amp; Krystal, J. H. (2016). Synaptic plasticity. <i>Nature Medicine</i>, 22(3), 238-249.</li></ol>
</article><footer>© 2024</footer></body></html>"#;

    #[test]
    fn headings_passages_and_references() {
        let a = parse_html(PAGE, "p", "page.html");
        assert_eq!(a.title, "Ketamine review");
        assert_eq!(
            headed_passages(&a),
            [
                (
                    "Introduction",
                    "Ketamine blocks NMDA receptors (Duman et al., 2016)."
                ),
                ("Safety", "Dissociation was common."),
                ("Safety", "Blood pressure rose."),
            ]
        );
        assert_eq!(a.references.len(), 1);
        assert_eq!(a.references[0].number, Some(1));
        assert_eq!(a.references[0].venue.as_deref(), Some("Nature Medicine"));
        assert_eq!(a.sections[0].passages[0].citations[0].references, [0]);
    }

    #[test]
    fn highwire_citation_tags_describe_the_article() {
        let page = r#"<!DOCTYPE html><html><head><title>Ketamine | J Psychiatr Res</title>
            <meta name="citation_title" content="Ketamine for  depression">
            <meta name="citation_author" content="Smith, Ann">
            <meta name="citation_author" content="Bob Jones">
            <meta name="citation_publication_date" content="2019/03/04">
            <meta name="citation_journal_title" content="J Psychiatr Res">
            <meta name="citation_doi" content="10.1016/j.jpsychires.2019.01.001">
            <meta name="citation_pmid" content="30900000"></head>
            <body><h1>Ketamine for depression</h1><p>Ketamine acts within hours.</p></body></html>"#;
        let a = parse_html(page, "k", "k.html");
        assert_eq!(a.title, "Ketamine for depression");
        let surnames: Vec<&str> = a.authors.iter().map(|p| p.surname.as_str()).collect();
        assert_eq!(surnames, ["Smith", "Jones"]);
        assert_eq!(a.year, Some(2019));
        assert_eq!(a.journal.as_deref(), Some("J Psychiatr Res"));
        assert_eq!(a.doi.as_deref(), Some("10.1016/j.jpsychires.2019.01.001"));
        assert_eq!(a.pmid.as_deref(), Some("30900000"));
        // Without the tags, the page's title element stands.
        let plain = parse_html(PAGE, "r", "r.html");
        assert_eq!(
            (plain.title.as_str(), plain.year),
            ("Ketamine review", None)
        );
    }

    #[test]
    fn title_from_first_h1_without_title_element() {
        let a = parse_html(
            "<html><body><h1>Only heading</h1><p>Text.</p></body></html>",
            "p",
            "x.html",
        );
        assert_eq!(a.title, "Only heading");
        assert_eq!(a.sections[0].heading, "Introduction");
    }
}
