//! JATS / NLM XML articles, as deposited in PubMed Central and Europe PMC.
//!
//! Front matter gives title, authors, year, journal and DOI; the abstract is a section "Abstract";
//! body `sec`s are sections with nested titles as heading paths; `p` elements and figure and table
//! captions are passages; `ref-list` entries are references; `<xref ref-type="bibr">` citations
//! resolve by id. The DOCTYPE's DTD is never loaded.

use std::collections::HashMap;
use std::sync::LazyLock;

use roxmltree::{Document, Node, ParsingOptions};

use super::outline::push_passage;
use super::ParseError;
use crate::model::{Article, Citation, Format, Passage, Person, Reference, Section};
use crate::reference::{fill_ditto, normalize_space, parse_reference};

/// Elements whose content is not running text of a paragraph.
const NOT_TEXT: &[&str] = &[
    "fig",
    "fig-group",
    "table-wrap",
    "table-wrap-group",
    "supplementary-material",
    "tex-math",
    "graphic",
    "media",
    "alternatives",
    "object-id",
];
/// Block elements that may sit inside a `p`: a space separates them from what surrounds them.
const BLOCKS: &[&str] = &[
    "p",
    "list",
    "list-item",
    "disp-quote",
    "def-list",
    "disp-formula",
    "break",
    "title",
    "caption",
];
/// Citation elements of a `ref`, in order of preference.
const CITATIONS: &[&str] = &[
    "element-citation",
    "mixed-citation",
    "citation",
    "nlm-citation",
];

/// Whether `source` looks like a JATS article (an `<article>` root, or a JATS/NLM DOCTYPE).
pub fn sniff(source: &str) -> bool {
    let head: String = source.chars().take(2048).collect();
    head.contains("<article")
        && (head.contains("JATS")
            || head.contains("NLM")
            || head.contains("article-type")
            || head.contains("<front"))
}

/// Parse a JATS article.
pub fn parse_jats(source: &str, id: &str, path: &str) -> Result<Article, ParseError> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(source, options)
        .map_err(|e| ParseError::Invalid(format!("invalid XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "article" {
        return Err(ParseError::Invalid(format!(
            "XML but not a JATS article (root element <{}>)",
            root.tag_name().name()
        )));
    }
    let meta = child(root, "front").and_then(|f| child(f, "article-meta"));
    let journal_meta = child(root, "front").and_then(|f| child(f, "journal-meta"));

    let (references, ids) = references(root);
    let mut builder = Sections {
        refs: &references,
        ids: &ids,
        sections: Vec::new(),
        ordinal: 0,
        float_sections: HashMap::new(),
    };
    if let Some(meta) = meta {
        for abstract_ in meta.children().filter(|n| n.has_tag_name("abstract")) {
            if matches!(
                abstract_.attribute("abstract-type"),
                Some("graphical" | "teaser" | "toc")
            ) {
                continue;
            }
            builder.walk(abstract_, &["Abstract".to_string()]);
        }
    }
    if let Some(body) = child(root, "body") {
        builder.walk(body, &[]);
    }
    if let Some(back) = child(root, "back") {
        builder.walk(back, &[]);
    }
    // Figures and tables kept apart from the text belong to the section that first cites them.
    for group in root
        .children()
        .filter(|n| is_any(*n, &["floats-group", "floats-wrap"]))
    {
        for float in group
            .descendants()
            .filter(|n| is_any(*n, &["fig", "table-wrap"]))
        {
            let path = float
                .attribute("id")
                .and_then(|id| builder.float_sections.get(id))
                .cloned()
                .unwrap_or_else(|| vec!["Figures and tables".to_string()]);
            builder.caption(float, &path);
        }
    }

    let title = meta
        .and_then(|m| child(m, "title-group"))
        .and_then(|t| child(t, "article-title"))
        .map(|t| plain_text(t))
        .filter(|t| !t.is_empty());
    // Only a title (no abstract, no body): it is the passage, as in a text file, to be found.
    if builder.sections.is_empty() {
        let section = [super::outline::TITLE_SECTION.to_string()];
        builder.push(&section, (title.clone().unwrap_or_default(), Vec::new()));
    }
    let title = title.unwrap_or_else(|| super::outline::file_stem(path));
    let authors = meta
        .map(|m| {
            m.children()
                .filter(|n| n.has_tag_name("contrib-group"))
                .flat_map(|g| g.children().filter(|c| c.has_tag_name("contrib")))
                .filter(|c| c.attribute("contrib-type").is_none_or(|t| t == "author"))
                .filter_map(|c| {
                    c.children()
                        .find(|n| n.has_tag_name("name") || n.has_tag_name("string-name"))
                })
                .filter_map(person)
                .collect()
        })
        .unwrap_or_default();
    let year = meta.and_then(|m| {
        let dates: Vec<Node> = m
            .children()
            .filter(|n| n.has_tag_name("pub-date"))
            .collect();
        let preferred = dates.iter().find(|d| {
            matches!(
                d.attribute("pub-type").or(d.attribute("date-type")),
                Some("ppub" | "pub" | "collection" | "epub")
            )
        });
        preferred
            .or(dates.first())
            .and_then(|d| child(*d, "year"))
            .and_then(|y| year_of(&plain_text(y)).0)
    });
    let journal = journal_meta
        .and_then(|j| j.descendants().find(|n| n.has_tag_name("journal-title")))
        .map(plain_text);
    let doi = meta
        .and_then(|m| {
            m.children()
                .find(|n| n.has_tag_name("article-id") && n.attribute("pub-id-type") == Some("doi"))
        })
        .map(plain_text);
    let article_id = |kind: &str| {
        meta.and_then(|m| {
            m.children()
                .find(|n| n.has_tag_name("article-id") && n.attribute("pub-id-type") == Some(kind))
        })
        .map(plain_text)
    };

    Ok(Article {
        id: id.to_string(),
        path: path.to_string(),
        format: Format::Jats,
        title,
        authors,
        year,
        journal,
        doi,
        pmid: article_id("pmid"),
        pmcid: article_id("pmc").map(|p| format!("PMC{}", p.trim_start_matches("PMC"))),
        keywords: Vec::new(),
        sections: builder.sections,
        references,
        notes: Vec::new(),
    })
}

/// Collects sections and passages while walking the body.
struct Sections<'a> {
    refs: &'a [Reference],
    ids: &'a HashMap<String, usize>,
    sections: Vec<Section>,
    ordinal: usize,
    /// Heading path where each figure or table id is first cited.
    float_sections: HashMap<String, Vec<String>>,
}

impl Sections<'_> {
    fn walk(&mut self, node: Node, path: &[String]) {
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "sec" | "ack" | "app" | "notes" | "boxed-text" | "bio" => {
                    let mut sub = path.to_vec();
                    let title = child
                        .children()
                        .find(|n| n.has_tag_name("title"))
                        .map(plain_text)
                        .filter(|t| !t.is_empty());
                    match (title, child.tag_name().name()) {
                        (Some(t), _) => sub.push(t),
                        (None, "ack") => sub.push("Acknowledgements".into()),
                        (None, "app") => sub.push("Appendix".into()),
                        _ => {}
                    }
                    self.walk(child, &sub);
                }
                "app-group" | "sec-meta" | "disp-quote" => self.walk(child, path),
                "p" => {
                    self.paragraph(child, path);
                    for nested in child
                        .descendants()
                        .filter(|n| is_any(*n, &["fig", "table-wrap"]))
                    {
                        self.caption(nested, path);
                    }
                }
                "fig" | "table-wrap" => self.caption(child, path),
                "fig-group" | "table-wrap-group" => {
                    for nested in child
                        .children()
                        .filter(|n| is_any(*n, &["fig", "table-wrap"]))
                    {
                        self.caption(nested, path);
                    }
                }
                "list" => {
                    for item in child.children().filter(|n| n.has_tag_name("list-item")) {
                        self.paragraph(item, path);
                    }
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, node: Node, path: &[String]) {
        for xref in node.descendants().filter(|n| {
            n.has_tag_name("xref") && matches!(n.attribute("ref-type"), Some("fig" | "table"))
        }) {
            for rid in xref.attribute("rid").unwrap_or_default().split_whitespace() {
                self.float_sections
                    .entry(rid.to_string())
                    .or_insert_with(|| path.to_vec());
            }
        }
        let mut flat = Flattener::new(self.refs, self.ids);
        flat.walk(node);
        self.push(path, flat.finish());
    }

    /// A figure or table caption as a passage: "Fig. 1 Title. Text".
    fn caption(&mut self, node: Node, path: &[String]) {
        let Some(caption) = child(node, "caption") else {
            return;
        };
        let mut flat = Flattener::new(self.refs, self.ids);
        if let Some(label) = child(node, "label") {
            flat.walk(label);
            flat.push_text(" ");
        }
        for part in caption.children().filter(Node::is_element) {
            flat.walk(part);
            if part.has_tag_name("title") && !flat.out.trim_end().ends_with(['.', '?', '!', ':']) {
                flat.out = flat.out.trim_end().to_string();
                flat.push_text(".");
            }
            flat.push_text(" ");
        }
        self.push(path, flat.finish());
    }

    fn push(&mut self, path: &[String], (text, citations): (String, Vec<Citation>)) {
        if text.is_empty() {
            return;
        }
        let passage = Passage {
            ordinal: self.ordinal,
            text,
            citations,
            page: None,
        };
        push_passage(&mut self.sections, path, passage);
        self.ordinal += 1;
    }
}

/// Flattens inline markup into text with single spaces, recording `bibr` citations as it goes.
struct Flattener<'a> {
    refs: &'a [Reference],
    ids: &'a HashMap<String, usize>,
    out: String,
    citations: Vec<Citation>,
    /// The reference cited by the latest xref, while only a dash follows it.
    last_cited: Option<usize>,
    dash_after_last: bool,
}

impl<'a> Flattener<'a> {
    fn new(refs: &'a [Reference], ids: &'a HashMap<String, usize>) -> Self {
        Flattener {
            refs,
            ids,
            out: String::new(),
            citations: Vec::new(),
            last_cited: None,
            dash_after_last: false,
        }
    }

    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.out.is_empty() && !self.out.ends_with(' ') {
                    self.out.push(' ');
                }
            } else {
                self.out.push(c);
            }
        }
    }

    fn walk(&mut self, node: Node) {
        for n in node.children() {
            if n.is_text() {
                let text = n.text().unwrap_or_default();
                let trimmed = text.trim();
                if !trimmed.is_empty() {
                    if self.last_cited.is_some() && matches!(trimmed, "-" | "–" | "—" | "−") {
                        self.dash_after_last = true;
                    } else {
                        self.last_cited = None;
                        self.dash_after_last = false;
                    }
                }
                self.push_text(text);
                continue;
            }
            if !n.is_element() {
                continue;
            }
            let name = n.tag_name().name();
            if NOT_TEXT.contains(&name) {
                if name == "alternatives" {
                    // Keep one rendering of a formula: the MathML or plain text, not the TeX.
                    if let Some(first) = n.children().find(|c| {
                        c.is_element() && !c.has_tag_name("tex-math") && !c.has_tag_name("graphic")
                    }) {
                        self.walk(first);
                    }
                }
                continue;
            }
            if name == "xref" && n.attribute("ref-type") == Some("bibr") {
                self.xref(n);
                continue;
            }
            let block = BLOCKS.contains(&name);
            if block {
                self.push_text(" ");
            }
            self.walk(n);
            if block {
                self.push_text(" ");
            }
        }
    }

    fn xref(&mut self, node: Node) {
        let start = self.out.len();
        let previous = (self.last_cited, self.dash_after_last);
        self.walk(node);
        let end = self.out.len();
        let cited: Vec<usize> = node
            .attribute("rid")
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|rid| self.ids.get(rid).copied())
            .collect();
        // "[3]–[6]": the references between the two ends are cited too.
        if let ((Some(from), true), [to]) = (previous, cited.as_slice()) {
            for between in (from + 1)..*to {
                self.cite(between, (start, end));
            }
        }
        if cited.is_empty() {
            self.citations.push(Citation {
                span: (start, end),
                surnames: Vec::new(),
                year: None,
                year_suffix: None,
                number: None,
                references: Vec::new(),
            });
        }
        for &r in &cited {
            self.cite(r, (start, end));
        }
        self.last_cited = cited.last().copied();
        self.dash_after_last = false;
    }

    fn cite(&mut self, reference: usize, span: (usize, usize)) {
        let r = &self.refs[reference];
        self.citations.push(Citation {
            span,
            surnames: r
                .authors
                .iter()
                .take(2)
                .map(|a| a.surname.clone())
                .collect(),
            year: r.year,
            year_suffix: r.year_suffix,
            number: r.number,
            references: vec![reference],
        });
    }

    fn finish(mut self) -> (String, Vec<Citation>) {
        let len = self.out.trim_end().len();
        self.out.truncate(len);
        for c in &mut self.citations {
            c.span = (c.span.0.min(len), c.span.1.min(len));
        }
        (self.out, self.citations)
    }
}

/// Every `ref` in the article's reference lists, and the position of each by its id.
fn references(root: Node) -> (Vec<Reference>, HashMap<String, usize>) {
    let mut refs = Vec::new();
    let mut ids = HashMap::new();
    for node in root
        .descendants()
        .filter(|n| n.has_tag_name("ref") && n.ancestors().any(|a| a.has_tag_name("ref-list")))
    {
        let ordinal = refs.len();
        if let Some(id) = node.attribute("id") {
            ids.insert(id.to_string(), ordinal);
        }
        refs.push(Reference {
            ordinal,
            ..reference(node)
        });
    }
    fill_ditto(&mut refs);
    // An unlabelled list is numbered by position, as numeric citations ("[3]") count it.
    if refs.iter().all(|r| r.number.is_none()) {
        for r in &mut refs {
            r.number = Some(r.ordinal as u32 + 1);
        }
    }
    (refs, ids)
}

/// One `ref`: the structured citation's fields, the unstructured copy (if any) as raw text.
fn reference(node: Node) -> Reference {
    let citations: Vec<Node> = node.children().filter(|n| is_any(*n, CITATIONS)).collect();
    let unstructured = citations
        .iter()
        .find(|c| c.attribute("citation-type") == Some("display-unstructured"));
    let structured = citations
        .iter()
        .find(|c| c.attribute("citation-type") != Some("display-unstructured"))
        .or(unstructured);
    let number = child(node, "label").and_then(|l| {
        plain_text(l)
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()
    });
    let Some(&cit) = structured else {
        return Reference {
            number,
            ..parse_reference(&plain_text(node))
        };
    };
    let raw = unstructured.map_or_else(|| citation_text(cit), |u| plain_text(*u));
    let groups: Vec<Node> = cit
        .children()
        .filter(|n| n.has_tag_name("person-group"))
        .collect();
    let names: Vec<Node> = {
        let authors = groups.iter().find(|g| {
            g.attribute("person-group-type")
                .is_none_or(|t| t == "author")
        });
        match authors {
            Some(g) => g.children().collect(),
            None if groups.is_empty() => cit.children().collect(),
            None => Vec::new(),
        }
    };
    let people = |names: &mut dyn Iterator<Item = Node>| -> Vec<Person> {
        names
            .filter_map(|n| match n.tag_name().name() {
                "name" | "string-name" => person(n),
                "collab" => Some(Person {
                    surname: plain_text(n),
                    initials: String::new(),
                }),
                _ => None,
            })
            .collect()
    };
    let authors = people(&mut names.iter().copied());
    let editors = groups
        .iter()
        .find(|g| g.attribute("person-group-type") == Some("editor"))
        .map_or_else(Vec::new, |g| people(&mut g.children()));
    let et_al = names.iter().any(|n| n.has_tag_name("etal"))
        || cit.descendants().any(|n| n.has_tag_name("etal"));
    let field = |name: &str| {
        cit.descendants()
            .find(|n| n.has_tag_name(name))
            .map(plain_text)
            .filter(|t| !t.is_empty())
    };
    let (year, year_suffix) = field("year").map_or((None, None), |y| year_of(&y));
    let pages = match (field("fpage"), field("lpage")) {
        (Some(f), Some(l)) => Some(format!("{f}-{l}")),
        (Some(f), None) => Some(f),
        _ => field("elocation-id"),
    };
    let pub_id = |kind: &str| {
        cit.descendants()
            .chain(unstructured.map(|u| u.descendants()).into_iter().flatten())
            .find(|n| n.has_tag_name("pub-id") && n.attribute("pub-id-type") == Some(kind))
            .map(plain_text)
    };
    let title = field("article-title").or_else(|| field("chapter-title"));
    let source = field("source");
    let structured = Reference {
        ordinal: 0,
        number,
        raw: raw.clone(),
        et_al,
        year,
        year_suffix,
        title: title.clone().or(source.clone()),
        venue: if title.is_some() { source } else { None },
        volume: field("volume"),
        issue: field("issue"),
        pages,
        doi: pub_id("doi"),
        pmid: pub_id("pmid"),
        authors,
        editors,
        ditto: false,
    };
    if structured.authors.is_empty() && structured.year.is_none() && structured.title.is_none() {
        // A mixed citation with no markup inside: parse its text.
        return Reference {
            number,
            ..parse_reference(&raw)
        };
    }
    structured
}

/// Text of a structured citation, with a space between its parts.
fn citation_text(node: Node) -> String {
    let mut out = String::new();
    for d in node.descendants().filter(Node::is_text) {
        out.push_str(d.text().unwrap_or_default());
        out.push(' ');
    }
    normalize_space(&out).replace(" ,", ",").replace(" .", ".")
}

/// A `name` (surname + given-names) or `string-name` element as a person.
fn person(node: Node) -> Option<Person> {
    let surname = child(node, "surname").map(plain_text);
    let given = child(node, "given-names")
        .map(plain_text)
        .unwrap_or_default();
    match surname {
        Some(surname) if !surname.is_empty() => Some(Person {
            surname,
            initials: initials(&given),
        }),
        _ => crate::reference::parse_authors(&plain_text(node))
            .into_iter()
            .next(),
    }
}

/// A given name's initials, as JATS `given-names` are read: "John J" → "JJ", "Ing-Nang" → "IN",
/// "RS" → "RS".
pub fn initials(given: &str) -> String {
    given
        .split([' ', '-', '.'])
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            if w.chars().all(char::is_uppercase) {
                w.chars().collect::<Vec<_>>()
            } else {
                w.chars().next().into_iter().collect()
            }
        })
        .collect()
}

fn year_of(text: &str) -> (Option<u16>, Option<char>) {
    let digits: String = text
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() != 4 {
        return (None, None);
    }
    let suffix = text.trim()[4..]
        .chars()
        .next()
        .filter(char::is_ascii_lowercase);
    (digits.parse().ok(), suffix)
}

/// All text under `node`, whitespace normalised.
fn plain_text(node: Node) -> String {
    static NO_IDS: LazyLock<HashMap<String, usize>> = LazyLock::new(HashMap::new);
    let mut flat = Flattener::new(&[], &NO_IDS);
    flat.walk(node);
    flat.finish().0
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

fn is_any(node: Node, names: &[&str]) -> bool {
    node.is_element() && names.contains(&node.tag_name().name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::headed_passages;

    const SMALL: &str = r#"<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.0 20120330//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article"><front>
<journal-meta><journal-title-group><journal-title>Test Journal</journal-title></journal-title-group></journal-meta>
<article-meta><article-id pub-id-type="doi">10.1/x</article-id>
<title-group><article-title>Ketamine &#x003bb; <italic>in vivo</italic></article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Dennehy</surname><given-names>John J</given-names></name></contrib></contrib-group>
<pub-date pub-type="epub"><year>2011</year></pub-date>
<abstract><sec><title>Methods</title><p>We measured <bold>lysis</bold> time.</p></sec></abstract></article-meta></front>
<body><p>Intro cites [<xref ref-type="bibr" rid="B1">1</xref>&#x02013;<xref ref-type="bibr" rid="B3">3</xref>] and <xref ref-type="bibr" rid="B2 B3">2,3</xref>.</p>
<sec><title>Methods</title><sec><title>Statistical analysis</title><p>A <italic>t</italic>-test<sup>2</sup> was used (<xref ref-type="bibr" rid="B4">Smith 2019a</xref>).</p>
<fig id="F1"><label>Figure 1</label><caption><title>Lysis curves</title><p>Mean of three runs.</p></caption><graphic/></fig></sec></sec></body>
<back><ref-list><ref id="B1"><label>1</label><element-citation publication-type="journal"><person-group person-group-type="author"><name><surname>Wang</surname><given-names>IN</given-names></name><etal/></person-group><article-title>Holins</article-title><source>Annu Rev Microbiol</source><year>2000</year><volume>54</volume><fpage>799</fpage><lpage>825</lpage><pub-id pub-id-type="pmid">11018145</pub-id></element-citation></ref>
<ref id="B2"><label>2</label><citation citation-type="journal"><person-group person-group-type="author"><name><surname>Heald</surname><given-names>RJ</given-names></name></person-group><article-title>Local recurrence</article-title><source>Dis Colon Rectum</source><year>1987</year><volume>30</volume><fpage>572</fpage><pub-id pub-id-type="doi">10.1007/BF02554794</pub-id></citation><citation citation-type="display-unstructured">Heald RJ (1987) Local recurrence. Dis Colon Rectum 30:572</citation></ref>
<ref id="B3"><label>3</label><mixed-citation>Lee K, Park J. Title three. J Test. 2005;1:2-3.</mixed-citation></ref>
<ref id="B4"><label>4</label><mixed-citation publication-type="journal"><string-name><surname>Smith</surname> <given-names>A</given-names></string-name> (<year>2019a</year>) <article-title>Four</article-title>. <source>J</source></mixed-citation></ref>
</ref-list></back></article>"#;

    #[test]
    fn front_matter() {
        let a = parse_jats(SMALL, "t", "t.nxml").unwrap();
        assert_eq!(a.title, "Ketamine λ in vivo");
        assert_eq!(
            a.authors,
            [Person {
                surname: "Dennehy".into(),
                initials: "JJ".into()
            }]
        );
        assert_eq!(a.year, Some(2011));
        assert_eq!(a.journal.as_deref(), Some("Test Journal"));
        assert_eq!(a.doi.as_deref(), Some("10.1/x"));
    }

    #[test]
    fn sections_passages_and_captions() {
        let a = parse_jats(SMALL, "t", "t.nxml").unwrap();
        assert_eq!(
            headed_passages(&a),
            [
                ("Abstract > Methods", "We measured lysis time."),
                ("Introduction", "Intro cites [1–3] and 2,3."),
                (
                    "Methods > Statistical analysis",
                    "A t-test2 was used (Smith 2019a)."
                ),
                (
                    "Methods > Statistical analysis",
                    "Figure 1 Lysis curves. Mean of three runs."
                ),
            ]
        );
    }

    #[test]
    fn references_structured_unstructured_and_mixed() {
        let a = parse_jats(SMALL, "t", "t.nxml").unwrap();
        assert_eq!(
            a.references.len(),
            4,
            "the display-unstructured copy is not a second reference"
        );
        let r = &a.references[0];
        assert_eq!((r.number, r.year, r.et_al), (Some(1), Some(2000), true));
        assert_eq!(
            r.authors[0],
            Person {
                surname: "Wang".into(),
                initials: "IN".into()
            }
        );
        assert_eq!(r.pages.as_deref(), Some("799-825"));
        assert_eq!(r.pmid.as_deref(), Some("11018145"));
        assert_eq!(r.venue.as_deref(), Some("Annu Rev Microbiol"));
        let r = &a.references[1];
        assert_eq!(
            r.raw,
            "Heald RJ (1987) Local recurrence. Dis Colon Rectum 30:572"
        );
        assert_eq!(r.doi.as_deref(), Some("10.1007/BF02554794"));
        let r = &a.references[2];
        assert_eq!(
            r.authors
                .iter()
                .map(|p| p.surname.as_str())
                .collect::<Vec<_>>(),
            ["Lee", "Park"]
        );
        assert_eq!(r.year, Some(2005));
        let r = &a.references[3];
        assert_eq!((r.year, r.year_suffix), (Some(2019), Some('a')));
        assert_eq!(r.authors[0].surname, "Smith");
    }

    #[test]
    fn xrefs_resolve_by_id_with_ranges() {
        let a = parse_jats(SMALL, "t", "t.nxml").unwrap();
        let intro = &a.sections[1].passages[0];
        let cited: Vec<usize> = intro.citations.iter().map(|c| c.references[0]).collect();
        assert_eq!(
            cited,
            [0, 1, 2, 1, 2],
            "[1]–[3] cites 1, 2 and 3; rid=\"B2 B3\" cites two"
        );
        let first = &intro.citations[0];
        assert_eq!(&intro.text[first.span.0..first.span.1], "1");
        let stats = &a.sections[2].passages[0];
        assert_eq!(stats.citations[0].year, Some(2019));
        assert_eq!(
            &stats.text[stats.citations[0].span.0..stats.citations[0].span.1],
            "Smith 2019a"
        );
    }

    #[test]
    fn not_jats_or_broken() {
        assert!(parse_jats("<root/>", "t", "t.xml")
            .unwrap_err()
            .to_string()
            .contains("not a JATS article"));
        assert!(parse_jats("<article><p>unclosed", "t", "t.xml")
            .unwrap_err()
            .to_string()
            .starts_with("invalid XML"));
    }
}
