//! Assembling an [`Article`] from a stream of headings, paragraphs and reference entries, for
//! formats whose structure is a flat sequence of blocks (plain text, Markdown, HTML).

use std::sync::LazyLock;

use regex::Regex;

use crate::citation::find_citations;
use crate::model::{Article, Format, Passage, Section};
use crate::reference::parse_list;

/// Section name for passages before the first heading.
pub const DEFAULT_SECTION: &str = "Introduction";
/// The section of an article's only passage when that passage is its title.
pub const TITLE_SECTION: &str = "Title";
/// Longest passage, in bytes: a longer paragraph is split (at spaces) into several passages.
pub const MAX_PASSAGE_BYTES: usize = 16 * 1024;
/// Longest reference entry, in bytes: what is longer is not one entry, and is cut.
pub const MAX_REFERENCE_BYTES: usize = 2 * 1024;

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
    notes: Vec<String>,
    page: Option<u32>,
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

    /// The page (from 1) that the passages added next start on, in a paginated file.
    pub fn at_page(&mut self, page: u32) {
        self.page = Some(page);
    }

    /// Whether blocks now belong to the reference list.
    pub fn in_references(&self) -> bool {
        self.references_level.is_some()
    }

    /// A paragraph of the current section; empty text is ignored, and a paragraph longer than
    /// [`MAX_PASSAGE_BYTES`] becomes several passages.
    pub fn passage(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        let pieces = split_long(&text, MAX_PASSAGE_BYTES);
        if pieces.len() > 1 {
            self.notes.push(format!(
                "passage {} ({} bytes) split into {} passages",
                self.ordinal + 1,
                text.len(),
                pieces.len()
            ));
        }
        let path: Vec<&str> = self.heading_path.iter().map(|(_, h)| h.as_str()).collect();
        for piece in pieces {
            push_passage(
                &mut self.sections,
                &path,
                Passage {
                    ordinal: self.ordinal,
                    text: piece.to_string(),
                    citations: Vec::new(),
                    page: self.page,
                },
            );
            self.ordinal += 1;
        }
    }

    /// A reference-list entry as written; one longer than [`MAX_REFERENCE_BYTES`] is cut.
    pub fn reference(&mut self, mut raw: String) {
        if raw.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            return;
        }
        if raw.len() > MAX_REFERENCE_BYTES {
            self.notes.push(format!(
                "reference {} cut from {} to {MAX_REFERENCE_BYTES} bytes",
                self.raw_references.len() + 1,
                raw.len()
            ));
            raw.truncate(raw.floor_char_boundary(MAX_REFERENCE_BYTES));
        }
        self.raw_references.push(raw);
    }

    /// Parse the references, find and resolve the citations of every passage, and build the
    /// article. Without a title, the file name stands in; without passages, the title is one.
    pub fn finish(mut self, id: &str, path: &str, format: Format) -> Article {
        // An article that is only a title ("one line of notes", an export record without an
        // abstract) keeps it as its passage, in section "Title", so that its words can be found.
        if self.sections.is_empty() {
            if let Some(title) = self.title.clone() {
                self.heading_path = vec![(1, TITLE_SECTION.to_string())];
                self.passage(title);
            }
        }
        let references = parse_list(self.raw_references.iter().map(String::as_str));
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
            pmid: None,
            pmcid: None,
            keywords: Vec::new(),
            sections,
            references,
            notes: self.notes,
        }
    }
}

/// `text` in pieces of at most `max` bytes, cut at the last space before the limit (or at a
/// character boundary when a piece has no space).
pub fn split_long(text: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while rest.len() > max {
        let limit = rest.floor_char_boundary(max);
        let cut = match rest[..limit].rfind(' ') {
            Some(space) if space > 0 => space,
            _ => limit.max(rest.chars().next().map_or(1, char::len_utf8)),
        };
        pieces.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_are_split_at_spaces_and_nothing_is_lost() {
        let text = "word ".repeat(10_000);
        let pieces = split_long(&text, 1000);
        assert!(pieces.iter().all(|p| p.len() <= 1000 && !p.is_empty()));
        assert_eq!(pieces.join(" "), text.trim());
        let solid = "é".repeat(3000);
        let pieces = split_long(&solid, 1001);
        assert!(pieces.iter().all(|p| p.len() <= 1001));
        assert_eq!(pieces.concat(), solid);
    }

    #[test]
    fn outline_reports_what_it_split_and_cut() {
        let mut o = Outline::default();
        o.passage("a ".repeat(MAX_PASSAGE_BYTES));
        o.reference("x".repeat(MAX_REFERENCE_BYTES * 2));
        let a = o.finish("a", "a.txt", Format::Text);
        assert_eq!(a.passages().count(), 2);
        assert_eq!(a.references[0].raw.len(), MAX_REFERENCE_BYTES);
        assert_eq!(a.notes.len(), 2, "{:?}", a.notes);
    }
}
