//! The article model every parser produces and the indexer consumes.
//!
//! Parsing ends here: nothing in this module knows about tantivy.

use serde::{Deserialize, Serialize};

/// The file format an article was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (`.txt`).
    Text,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// JATS / NLM XML, as in PubMed Central (`.nxml`, `.xml`).
    Jats,
    /// A saved web page (`.html`, `.htm`).
    Html,
    /// JSON Lines, one article per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// PubMed / MEDLINE XML, one article per citation (`.xml`, `.xml.gz`).
    Pubmed,
    /// MEDLINE tagged text, as PubMed exports it (`.nbib`, `.txt`).
    Medline,
    /// RIS, as reference managers and databases export it (`.ris`, `.txt`).
    Ris,
    /// BibTeX (`.bib`).
    Bibtex,
    /// EndNote XML (`.xml`).
    Endnote,
    /// PDF with a text layer (`.pdf`).
    Pdf,
    /// An item of a Zotero library (the folder holding `zotero.sqlite`).
    Zotero,
}

impl Format {
    /// The lowercase name used in output and in the index.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Jats => "jats",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Pubmed => "pubmed",
            Format::Medline => "medline",
            Format::Ris => "ris",
            Format::Bibtex => "bibtex",
            Format::Endnote => "endnote",
            Format::Pdf => "pdf",
            Format::Zotero => "zotero",
        }
    }
}

/// One article: its sections of passages and its reference list.
#[derive(Clone, Debug, Serialize)]
pub struct Article {
    /// Stable identifier: the path relative to the indexed folder.
    pub id: String,
    /// The file the article was read from.
    pub path: String,
    /// The format it was parsed as.
    pub format: Format,
    /// The title, or the file name when the article has none.
    pub title: String,
    /// The article's own authors, when the format says.
    pub authors: Vec<Person>,
    /// The article's own publication year, when the format says.
    pub year: Option<u16>,
    /// The journal it appeared in, when the format says.
    pub journal: Option<String>,
    /// The article's DOI, when the format says.
    pub doi: Option<String>,
    /// The article's PubMed id, when the format says.
    pub pmid: Option<String>,
    /// The article's PubMed Central id, when the format says.
    pub pmcid: Option<String>,
    /// Subject terms: MeSH headings, keywords and publication types, when the format says.
    pub keywords: Vec<String>,
    /// Sections in document order; only sections with passages are kept.
    pub sections: Vec<Section>,
    /// The reference list in document order.
    pub references: Vec<Reference>,
    /// What parsing split or cut to keep passages and entries bounded, for the index summary.
    pub notes: Vec<String>,
}

impl Article {
    /// All passages with their section heading, in document order.
    pub fn passages(&self) -> impl Iterator<Item = (&Section, &Passage)> {
        self.sections
            .iter()
            .flat_map(|s| s.passages.iter().map(move |p| (s, p)))
    }
}

/// A section: a heading path and its passages.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// The heading; nested headings are joined with " > ".
    pub heading: String,
    /// Paragraphs of this section.
    pub passages: Vec<Passage>,
}

/// A paragraph of running text and the works it cites.
#[derive(Clone, Debug, Serialize)]
pub struct Passage {
    /// Position of the passage in the article, from 0.
    pub ordinal: usize,
    /// The paragraph text, whitespace normalised.
    pub text: String,
    /// In-text citations, in text order.
    pub citations: Vec<Citation>,
    /// The page the passage starts on, from 1, in a paginated file (a PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Passage {
    /// Indices into [`Article::references`] of the works this passage cites, each once, in the
    /// order the text first cites them.
    pub fn cited_references(&self) -> Vec<usize> {
        let mut refs: Vec<usize> = Vec::new();
        for &r in self.citations.iter().flat_map(|c| c.references.iter()) {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        refs
    }
}

/// An in-text citation of one work, such as "Duman et al., 2016" or "[3]".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Byte range of the citation in the passage text.
    pub span: (usize, usize),
    /// Surnames as written (the first author first); empty for numeric citations.
    pub surnames: Vec<String>,
    /// The cited year, when the citation gives one.
    pub year: Option<u16>,
    /// Year suffix letter ("2019a" → 'a').
    pub year_suffix: Option<char>,
    /// The reference number, for numeric citations.
    pub number: Option<u32>,
    /// Indices into [`Article::references`] this citation resolved to (empty: unresolved).
    pub references: Vec<usize>,
}

/// A person's name split into surname and initials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Family name, with particles ("de la Salle", "Aan Het Rot").
    pub surname: String,
    /// Initials without periods or spaces ("RS"), or empty when not given.
    pub initials: String,
}

impl Person {
    /// "Duman, R. S." style, as shown to users and stored in the author field.
    pub fn display(&self) -> String {
        if self.initials.is_empty() {
            return self.surname.clone();
        }
        let initials: Vec<String> = self
            .initials
            .chars()
            .map(|c| {
                if c == '-' {
                    "-".into()
                } else {
                    format!("{c}.")
                }
            })
            .collect();
        format!(
            "{}, {}",
            self.surname,
            initials.join(" ").replace(" - ", "-")
        )
    }
}

/// One entry of an article's reference list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Position in the reference list, from 0.
    pub ordinal: usize,
    /// The number the list gives the entry ("12." or "[12]"), if any.
    pub number: Option<u32>,
    /// The entry as written.
    pub raw: String,
    /// Authors in order; "et al." is not an author.
    pub authors: Vec<Person>,
    /// Editors: of the work itself when it names them in the place of authors ("Ching, B., &
    /// Creed, G. W. (Eds.)."), else of the book it is part of ("In K. Jones (Ed.), ...").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<Person>,
    /// Whether the entry begins with a ditto mark ("———.") for the previous entry's authors, which
    /// [`crate::reference::fill_ditto`] copies in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ditto: bool,
    /// Whether the author list leaves authors out: it ends with "et al.", or an ellipsis stands
    /// for those before the last author ("Perez, A. M., ... Mathew, S. J.").
    #[serde(default)]
    pub et_al: bool,
    /// Publication year.
    pub year: Option<u16>,
    /// Year suffix letter ("2019a" → 'a').
    pub year_suffix: Option<char>,
    /// Title of the work.
    pub title: Option<String>,
    /// Journal, book or other container.
    pub venue: Option<String>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// Pages or article number ("238-249", "253").
    pub pages: Option<String>,
    /// DOI, bare ("10.1038/nm.4050").
    pub doi: Option<String>,
    /// PubMed id.
    pub pmid: Option<String>,
}

impl Reference {
    /// Who the work is cited by: its authors, or its editors when it names no authors.
    pub fn creators(&self) -> &[Person] {
        if self.authors.is_empty() {
            &self.editors
        } else {
            &self.authors
        }
    }

    /// Short label such as "Duman et al., 2016", "Smith & Jones, 2019" or "[3]".
    pub fn label(&self) -> String {
        let year = match self.year {
            Some(y) => format!(
                "{y}{}",
                self.year_suffix.map(String::from).unwrap_or_default()
            ),
            None => "n.d.".to_string(),
        };
        match self.creators() {
            [] => match self.number {
                Some(n) => format!("[{n}]"),
                None => format!("Anonymous, {year}"),
            },
            [a] if !self.et_al => format!("{}, {year}", a.surname),
            [a, b] if !self.et_al => format!("{} & {}, {year}", a.surname, b.surname),
            [a, ..] => format!("{} et al., {year}", a.surname),
        }
    }
}
