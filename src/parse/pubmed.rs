//! PubMed XML (`<PubmedArticleSet>`, and the older `<MedlineCitationSet>`), as efetch, PubMed's
//! "Send to: File" and NLM's baseline and update files (`*.xml.gz`) hold it. It is read as a
//! stream, one citation at a time, so that a baseline file of 30,000 citations needs no more
//! memory than one of 30. `<DeleteCitation>` (in update files) lists PMIDs to remove.

use std::io::{BufRead, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::export::{bare_doi, first_year, label_case, Record};
use crate::model::Person;

/// Whether `head` (the first KiB of a file) is PubMed XML.
pub fn sniff(head: &str) -> bool {
    let head = head.get(..head.len().min(4096)).unwrap_or(head);
    [
        "<PubmedArticleSet",
        "<MedlineCitationSet",
        "<!DOCTYPE PubmedArticleSet",
        "<!DOCTYPE MedlineCitationSet",
        "<PubmedArticle>",
        "<PubmedBookArticle",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// What reading a file found besides its records.
#[derive(Debug, Default)]
pub struct Outcome {
    /// "line 12: ..." problems; a broken file stops at the first.
    pub problems: Vec<String>,
    /// PMIDs the file's `<DeleteCitation>` elements delete.
    pub deleted: Vec<String>,
}

/// A small element tree: one citation at a time.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    fn path(&self, path: &[&str]) -> Option<&El> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.collect(&mut out);
        crate::reference::normalize_space(&out)
    }

    fn collect(&self, out: &mut String) {
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::El(e) => e.collect(out),
            }
        }
    }
}

/// A reader that counts the lines it has handed on.
struct Counting<R> {
    inner: R,
    lines: usize,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            self.lines += buf[..amt].iter().filter(|&&b| b == b'\n').count();
        }
        self.inner.consume(amt);
    }
}

const CITATIONS: &[&str] = &[
    "PubmedArticle",
    "PubmedBookArticle",
    "MedlineCitation",
    "DeleteCitation",
];

/// Read the citations of `input`, handing each to `each` as soon as it is read.
pub fn parse_pubmed(input: impl BufRead, each: &mut dyn FnMut(Record)) -> Outcome {
    let mut reader = Reader::from_reader(Counting {
        inner: input,
        lines: 0,
    });
    reader.config_mut().check_end_names = true;
    let mut outcome = Outcome::default();
    let mut buf = Vec::new();
    // Open elements of the citation being read (empty between citations).
    let mut stack: Vec<El> = Vec::new();
    let mut start_line = 0;
    loop {
        let line = reader.get_ref().lines + 1;
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let line = reader.get_ref().lines + 1;
                outcome.problems.push(format!(
                    "line {line}: invalid XML: {e}; the rest of the file is not read"
                ));
                break;
            }
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start)
                if !stack.is_empty() || CITATIONS.contains(&start.name().as_ref()) =>
            {
                let empty = matches!(event, Event::Empty(_));
                let mut el = El {
                    name: start.name().as_ref().to_string(),
                    ..El::default()
                };
                for a in start.attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    el.attrs.push((a.key.as_ref().to_string(), value));
                }
                if stack.is_empty() {
                    start_line = line;
                }
                stack.push(el);
                if empty {
                    close(&mut stack, start_line, &mut outcome, each);
                }
            }
            Event::End(_) if !stack.is_empty() => close(&mut stack, start_line, &mut outcome, each),
            Event::Text(text) if !stack.is_empty() => push_text(&mut stack, &text.xml10_content()),
            Event::CData(text) if !stack.is_empty() => push_text(&mut stack, &text.xml10_content()),
            Event::GeneralRef(r) if !stack.is_empty() => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() && outcome.problems.is_empty() {
        outcome.problems.push(format!(
            "line {start_line}: citation not closed before the end of the file"
        ));
    }
    outcome
}

fn push_text(stack: &mut [El], text: &str) {
    if let Some(top) = stack.last_mut() {
        match top.children.last_mut() {
            Some(Node::Text(t)) => t.push_str(text),
            _ => top.children.push(Node::Text(text.to_string())),
        }
    }
}

/// End the innermost open element; a whole citation goes to `each`.
fn close(stack: &mut Vec<El>, line: usize, outcome: &mut Outcome, each: &mut dyn FnMut(Record)) {
    let Some(el) = stack.pop() else { return };
    if let Some(parent) = stack.last_mut() {
        parent.children.push(Node::El(el));
        return;
    }
    if el.name == "DeleteCitation" {
        outcome
            .deleted
            .extend(el.all("PMID").map(El::text).filter(|p| !p.is_empty()));
    } else {
        each(citation(&el, line));
    }
}

fn citation(el: &El, line: usize) -> Record {
    let mut r = Record {
        line,
        ..Record::default()
    };
    let (medline, book) = match el.name.as_str() {
        "PubmedArticle" => (el.child("MedlineCitation"), None),
        "PubmedBookArticle" => (None, el.child("BookDocument")),
        _ => (Some(el), None),
    };
    let data = el.child("PubmedData");
    let article = medline.and_then(|m| m.child("Article"));
    let main = article.or(book);
    r.pmid = medline.or(book).and_then(|m| m.child("PMID")).map(El::text);
    r.title = main
        .and_then(|a| a.child("ArticleTitle"))
        .map(El::text)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            book.and_then(|b| b.path(&["Book", "BookTitle"]))
                .map(El::text)
        })
        .or_else(|| {
            article
                .and_then(|a| a.child("VernacularTitle"))
                .map(El::text)
        });
    let abstract_el = main
        .and_then(|a| a.child("Abstract"))
        .or_else(|| medline.and_then(|m| m.child("OtherAbstract")));
    if let Some(abs) = abstract_el {
        for part in abs.all("AbstractText") {
            let label = part
                .attr("Label")
                .filter(|l| !l.trim().is_empty())
                .map(label_case);
            r.push_abstract(label, &part.text());
        }
    }
    if let Some(list) = main.and_then(|a| a.child("AuthorList")) {
        r.authors = list
            .all("Author")
            .filter(|a| a.attr("ValidYN") != Some("N"))
            .filter_map(author)
            .collect();
    }
    let journal = article.and_then(|a| a.child("Journal"));
    r.journal = journal
        .and_then(|j| j.child("Title").or_else(|| j.child("ISOAbbreviation")))
        .or_else(|| medline.and_then(|m| m.path(&["MedlineJournalInfo", "MedlineTA"])))
        .or_else(|| book.and_then(|b| b.path(&["Book", "BookTitle"])))
        .map(El::text);
    let pub_date = journal
        .and_then(|j| j.path(&["JournalIssue", "PubDate"]))
        .or_else(|| book.and_then(|b| b.path(&["Book", "PubDate"])));
    r.year = pub_date
        .and_then(|d| d.child("Year").or_else(|| d.child("MedlineDate")))
        .and_then(|y| first_year(&y.text()))
        .or_else(|| {
            article
                .and_then(|a| a.path(&["ArticleDate", "Year"]))
                .and_then(|y| first_year(&y.text()))
        });
    let ids = data.and_then(|d| d.child("ArticleIdList"));
    let id_of = |kind: &str| {
        ids.and_then(|l| l.all("ArticleId").find(|i| i.attr("IdType") == Some(kind)))
            .map(El::text)
    };
    r.doi = id_of("doi")
        .or_else(|| {
            main.and_then(|a| {
                a.all("ELocationID")
                    .find(|e| e.attr("EIdType") == Some("doi"))
            })
            .map(El::text)
        })
        .and_then(|d| bare_doi(&d));
    r.pmcid = id_of("pmc");
    if let Some(mesh) = medline.and_then(|m| m.child("MeshHeadingList")) {
        for heading in mesh.all("MeshHeading") {
            if let Some(d) = heading.child("DescriptorName") {
                r.push_keyword(&d.text());
            }
        }
    }
    for list in medline.into_iter().flat_map(|m| m.all("KeywordList")) {
        for k in list.all("Keyword") {
            r.push_keyword(&k.text());
        }
    }
    if let Some(types) = main.and_then(|a| a.child("PublicationTypeList")) {
        for t in types.all("PublicationType") {
            r.push_keyword(&t.text());
        }
    }
    r
}

fn author(a: &El) -> Option<Person> {
    if let Some(last) = a.child("LastName") {
        let initials = a.child("Initials").map(El::text).unwrap_or_else(|| {
            a.child("ForeName")
                .map(|f| {
                    f.text()
                        .split_whitespace()
                        .filter_map(|w| w.chars().next())
                        .collect()
                })
                .unwrap_or_default()
        });
        return Some(Person {
            surname: last.text(),
            initials,
        });
    }
    a.child("CollectiveName").map(|c| Person {
        surname: c.text(),
        initials: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "x.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">29768149</PMID>
<Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
<Title>Journal of Tests</Title></Journal>
<ArticleTitle>Ketamine &amp; <i>NMDA</i> receptors&#8212;a trial.</ArticleTitle>
<ELocationID EIdType="doi" ValidYN="Y">10.1/elocation</ELocationID>
<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Depression is common.</AbstractText>
<AbstractText Label="METHODS AND RESULTS">We gave x<sup>2</sup> doses.</AbstractText></Abstract>
<AuthorList><Author ValidYN="Y"><LastName>Duman</LastName><ForeName>Ronald S</ForeName><Initials>RS</Initials></Author>
<Author><CollectiveName>The Study Group</CollectiveName></Author></AuthorList>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
</Article><MeshHeadingList><MeshHeading><DescriptorName UI="D1" MajorTopicYN="Y">Ketamine</DescriptorName><QualifierName>therapeutic use</QualifierName></MeshHeading></MeshHeadingList>
<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">NMDA</Keyword></KeywordList>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">29768149</ArticleId><ArticleId IdType="doi">10.1000/doi</ArticleId><ArticleId IdType="pmc">PMC42</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
<DeleteCitation><PMID Version="1">111</PMID><PMID Version="1">222</PMID></DeleteCitation>
</PubmedArticleSet>
"#;

    #[test]
    fn citations_and_deletions() {
        assert!(sniff(SAMPLE));
        let mut records = Vec::new();
        let outcome = parse_pubmed(SAMPLE.as_bytes(), &mut |r| records.push(r));
        assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
        assert_eq!(outcome.deleted, ["111", "222"]);
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!(r.line, 4);
        assert_eq!(r.pmid.as_deref(), Some("29768149"));
        assert_eq!(
            r.title.as_deref(),
            Some("Ketamine & NMDA receptors—a trial.")
        );
        assert_eq!(r.year, Some(1998));
        assert_eq!(r.journal.as_deref(), Some("Journal of Tests"));
        assert_eq!(r.doi.as_deref(), Some("10.1000/doi"));
        assert_eq!(r.pmcid.as_deref(), Some("PMC42"));
        let parts: Vec<(Option<&str>, &str)> = r
            .abstract_parts
            .iter()
            .map(|(l, t)| (l.as_deref(), t.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                (Some("Background"), "Depression is common."),
                (Some("Methods and results"), "We gave x2 doses.")
            ]
        );
        assert_eq!(r.authors[0].initials, "RS");
        assert_eq!(r.authors[1].surname, "The Study Group");
        assert_eq!(r.keywords, ["Ketamine", "NMDA", "Journal Article"]);
    }

    #[test]
    fn a_broken_file_keeps_the_citations_before_the_break() {
        let broken = SAMPLE.replace("<DeleteCitation>", "<PubmedArticle><Oops></PubmedArticle>");
        let mut records = Vec::new();
        let outcome = parse_pubmed(broken.as_bytes(), &mut |r| records.push(r));
        assert_eq!(records.len(), 1);
        assert!(
            outcome.problems[0].starts_with("line 17: invalid XML"),
            "{:?}",
            outcome.problems
        );
    }
}
