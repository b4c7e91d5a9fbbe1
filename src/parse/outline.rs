//! Assembling an [`Article`] from a stream of headings, paragraphs and reference entries, for
//! formats whose structure is a flat sequence of blocks (plain text, Markdown, HTML).

use std::sync::LazyLock;

use regex::Regex;

use crate::citation::find_citations;
use crate::model::{Article, Format, Passage, Reference, Section};
use crate::reference::parse_reference;

/// Section name for passages before the first heading.
pub const DEFAULT_SECTION: &str = "Introduction";

static REFERENCES_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d+\.?\s+)?(?:references?(?: list| cited)?|bibliography|literature cited|works cited|cited literature|sources)\s*:?$").unwrap()
});

/// Whether a heading starts the reference list.
pub fn is_references_heading(text: &str) -> bool {
    REFERENCES_HEADING.is_match(text.trim())
}

/// An article under construction.
#[derive(Default)]
pub struct Outline {
    /// The title, once known.
    pub title: Option<String>,
    sections: Vec<Section>,
    raw_references: Vec<String>,
    heading_path: Vec<(usize, String)>,
    references_level: Option<usize>,
    ordinal: usize,
}

impl Outline {
    /// An empty article, with its title when already known.
    pub fn with_title(title: Option<String>) -> Outline {
        Outline {
            title,
            ..Outline::default()
        }
    }

    /// A heading at `level` (1 = top). A References heading switches to the reference list until a
    /// heading at the same or a higher level.
    pub fn heading(&mut self, level: usize, text: String) {
        if is_references_heading(&text) {
            self.references_level = Some(level);
            return;
        }
        match self.references_level {
            Some(l) if level > l => return, // a sub-heading inside the reference list
            _ => self.references_level = None,
        }
        self.heading_path.retain(|(l, _)| *l < level);
        self.heading_path.push((level, text));
    }

    /// Whether blocks now belong to the reference list.
    pub fn in_references(&self) -> bool {
        self.references_level.is_some()
    }

    /// A paragraph of the current section; empty text is ignored.
    pub fn passage(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        let path: Vec<&str> = self.heading_path.iter().map(|(_, h)| h.as_str()).collect();
        push_passage(
            &mut self.sections,
            &path,
            Passage {
                ordinal: self.ordinal,
                text,
                citations: Vec::new(),
            },
        );
        self.ordinal += 1;
    }

    /// A reference-list entry as written.
    pub fn reference(&mut self, raw: String) {
        if raw.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
            self.raw_references.push(raw);
        }
    }

    /// Parse the references, find and resolve the citations of every passage, and build the
    /// article. Without a title, the file name stands in.
    pub fn finish(self, id: &str, path: &str, format: Format) -> Article {
        let references: Vec<Reference> = self
            .raw_references
            .iter()
            .enumerate()
            .map(|(ordinal, raw)| Reference {
                ordinal,
                ..parse_reference(raw)
            })
            .collect();
        let mut sections = self.sections;
        for passage in sections.iter_mut().flat_map(|s| s.passages.iter_mut()) {
            passage.citations = find_citations(&passage.text, &references);
        }
        Article {
            id: id.to_string(),
            path: path.to_string(),
            format,
            title: self.title.unwrap_or_else(|| file_stem(path)),
            authors: Vec::new(),
            year: None,
            journal: None,
            doi: None,
            sections,
            references,
        }
    }
}

/// Append `passage` to the section headed by `path` ("Methods > Participants"; the default
/// section when empty), starting a new section when the heading changes.
pub fn push_passage<S: AsRef<str>>(sections: &mut Vec<Section>, path: &[S], passage: Passage) {
    let heading = if path.is_empty() {
        DEFAULT_SECTION.to_string()
    } else {
        path.iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(" > ")
    };
    if sections.last().is_none_or(|s| s.heading != heading) {
        sections.push(Section {
            heading,
            passages: Vec::new(),
        });
    }
    sections
        .last_mut()
        .expect("pushed above")
        .passages
        .push(passage);
}

/// The file name without extension.
pub fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}
