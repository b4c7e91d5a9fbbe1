//! The structured references of JATS articles, read from their citation markup alone: the
//! ground truth of the round trip. A small reader of its own, so that the product's JATS parser
//! and this measure of the reference parser do not share a mistake.

use roxmltree::{Document, Node, ParsingOptions};

use clinsearch::model::{Person, Reference};

/// Citation elements of a `ref`.
const CITATIONS: [&str; 4] = [
    "element-citation",
    "mixed-citation",
    "citation",
    "nlm-citation",
];

/// The references whose structured citation marks up authors, a year, an article title and a
/// source. A `ref` with only an unstructured citation is left out: there is nothing to check
/// its parse against.
pub fn structured_references(source: &str) -> Result<Vec<Reference>, roxmltree::Error> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(source, options)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("ref"))
        .filter_map(|r| {
            let citations: Vec<Node> = r
                .children()
                .filter(|c| c.is_element() && CITATIONS.contains(&c.tag_name().name()))
                .collect();
            let unstructured = citations
                .iter()
                .find(|c| c.attribute("citation-type") == Some("display-unstructured"));
            let structured = citations
                .iter()
                .find(|c| c.attribute("citation-type") != Some("display-unstructured"))?;
            let has = |name: &str| structured.descendants().any(|d| d.has_tag_name(name));
            ((has("name") || has("string-name"))
                && has("year")
                && has("article-title")
                && has("source"))
            .then(|| reference(*structured, unstructured.copied()))
        })
        .collect())
}

/// The fields of one structured citation (the DOI may be in its unstructured copy).
fn reference(cit: Node, unstructured: Option<Node>) -> Reference {
    let groups: Vec<Node> = cit
        .children()
        .filter(|n| n.has_tag_name("person-group"))
        .collect();
    // The authors' group, or the names outside any group when there is none.
    let names: Vec<Node> = match groups.iter().find(|g| {
        g.attribute("person-group-type")
            .is_none_or(|t| t == "author")
    }) {
        Some(g) => g.children().collect(),
        None if groups.is_empty() => cit.children().collect(),
        None => Vec::new(),
    };
    let authors = names
        .iter()
        .filter_map(|n| match n.tag_name().name() {
            "name" | "string-name" => Some(person(*n)),
            "collab" => Some(Person {
                surname: text(*n),
                initials: String::new(),
            }),
            _ => None,
        })
        .collect();
    let field = |name: &str| {
        cit.descendants()
            .find(|n| n.has_tag_name(name))
            .map(text)
            .filter(|t| !t.is_empty())
    };
    let pages = match (field("fpage"), field("lpage")) {
        (Some(f), Some(l)) => Some(format!("{f}-{l}")),
        (Some(f), None) => Some(f),
        _ => field("elocation-id"),
    };
    let doi = cit
        .descendants()
        .chain(unstructured.into_iter().flat_map(|u| u.descendants()))
        .find(|n| n.has_tag_name("pub-id") && n.attribute("pub-id-type") == Some("doi"))
        .map(text);
    let title = field("article-title").or_else(|| field("chapter-title"));
    let source = field("source");
    Reference {
        authors,
        et_al: cit.descendants().any(|n| n.has_tag_name("etal")),
        year: field("year").and_then(|y| year(&y)),
        venue: source.clone().filter(|_| title.is_some()),
        title: title.or(source),
        volume: field("volume"),
        issue: field("issue"),
        pages,
        doi,
        ..Reference::default()
    }
}

/// A `name` as surname and initials of its given names; a name without a `surname` element is
/// taken whole as the surname.
fn person(node: Node) -> Person {
    let child = |name: &str| node.children().find(|n| n.has_tag_name(name)).map(text);
    match child("surname").filter(|s| !s.is_empty()) {
        Some(surname) => Person {
            surname,
            initials: clinsearch::parse::jats::initials(&child("given-names").unwrap_or_default()),
        },
        None => Person {
            surname: text(node),
            initials: String::new(),
        },
    }
}

/// The year a `year` element starts with ("2019a" → 2019).
fn year(text: &str) -> Option<u16> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 4 {
        digits.parse().ok()
    } else {
        None
    }
}

/// The text under `node`, in single spaces.
fn text(node: Node) -> String {
    let all: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_structured_citation_is_read_from_its_markup() {
        let xml = r#"<article><back><ref-list>
<ref id="B1"><element-citation publication-type="journal"><person-group person-group-type="author"><name><surname>Wang</surname><given-names>Ing-Nang</given-names></name><etal/></person-group><article-title>Holins</article-title><source>Annu Rev Microbiol</source><year>2000a</year><volume>54</volume><fpage>799</fpage><lpage>825</lpage><pub-id pub-id-type="doi">10.1/h</pub-id></element-citation></ref>
<ref id="B2"><mixed-citation>Lee K, Park J. Title three. J Test. 2005;1:2-3.</mixed-citation></ref>
</ref-list></back></article>"#;
        let refs = structured_references(xml).unwrap();
        assert_eq!(refs.len(), 1, "an unstructured citation is left out");
        let r = &refs[0];
        assert_eq!(
            (
                r.authors[0].surname.as_str(),
                r.authors[0].initials.as_str()
            ),
            ("Wang", "IN")
        );
        assert!(r.et_al);
        assert_eq!(r.year, Some(2000));
        assert_eq!(r.title.as_deref(), Some("Holins"));
        assert_eq!(r.venue.as_deref(), Some("Annu Rev Microbiol"));
        assert_eq!(r.pages.as_deref(), Some("799-825"));
        assert_eq!(r.doi.as_deref(), Some("10.1/h"));
    }
}
