//! Plain-text and Markdown articles.
//!
//! An article is a sequence of blocks separated by blank lines. The title is the first `# ` heading
//! (Markdown) or the first line. Headings are Markdown `#` lines or, in plain text, a short line
//! standing alone without final punctuation. Blocks under a References / Bibliography / Literature
//! cited heading are the reference list; every other block is a passage. Page furniture such as
//! "Previous" / "Next" navigation is dropped.

use std::sync::LazyLock;

use regex::Regex;

use super::outline::Outline;
use crate::model::Article;
use crate::model::Format;
#[cfg(test)]
use crate::model::Passage;
use crate::reference::markup::without_markup;
use crate::reference::normalize_space;

/// Navigation and other page furniture lines that saved web pages carry.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:previous|next|prev|back|back to top|top|home|menu|share|print|email|tweet|close|skip to (?:main )?content|sign in|log in|subscribe|read more|(?:previous|next) (?:article|post|page)|[«‹<]+|[»›>]+|page \d+( of \d+)?)$").unwrap()
});
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").unwrap());
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[•·▪◦‣*+\-–—]\s+|\d{1,4}[.)]\s+|\[\d{1,4}\]\s*)").unwrap()
});
static NUMBER_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\d{1,4}[.)]\s+|\[\d{1,4}\]\s*)").unwrap());
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:1[89]|20)\d{2}[a-z]?\b").unwrap());
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").unwrap());
static MD_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`([^`]*)`").unwrap());

/// A block of consecutive non-blank lines.
enum Block {
    Heading { level: usize, text: String },
    Body(Vec<String>),
}

/// Parse a plain-text or Markdown article.
pub fn parse_text(source: &str, format: Format, id: &str, path: &str) -> Article {
    let (front_title, source) = strip_front_matter(source, format);
    let mut outline = Outline::with_title(front_title);
    for (i, block) in blocks(source, format).into_iter().enumerate() {
        match block {
            Block::Heading { level, text } => {
                if outline.title.is_none() && (level == 1 || (i == 0 && format == Format::Text)) {
                    outline.title = Some(match format {
                        Format::Markdown => strip_markdown(&text),
                        _ => text,
                    });
                } else {
                    outline.heading(level, text);
                }
            }
            Block::Body(mut lines) => {
                if i == 0 && outline.title.is_none() && format == Format::Text {
                    outline.title = Some(lines.remove(0));
                }
                if lines.is_empty() {
                    continue;
                }
                if outline.in_references() {
                    for entry in reference_entries(&lines) {
                        outline.reference(entry);
                    }
                    continue;
                }
                outline.passage(match format {
                    Format::Markdown => strip_markdown(&lines.join(" ")),
                    _ => normalize_space(&lines.join(" ")),
                });
            }
        }
    }
    outline.finish(id, path, format)
}

/// YAML front matter ("---\ntitle: ...\n---") at the top of a Markdown file: its title, and the rest.
fn strip_front_matter(source: &str, format: Format) -> (Option<String>, &str) {
    let trimmed = source.trim_start_matches('\u{feff}');
    if format != Format::Markdown || !trimmed.starts_with("---") {
        return (None, source);
    }
    let Some(end) = trimmed[3..].find("\n---") else {
        return (None, source);
    };
    let front = &trimmed[3..3 + end];
    let rest = trimmed[3 + end + 4..].trim_start_matches(|c| c != '\n');
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
        .filter(|t| !t.is_empty());
    (title, rest)
}

/// Split into blocks at blank lines; Markdown headings and fenced code end a block too.
fn blocks(source: &str, format: Format) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut in_fence = false;
    let flush = |current: &mut Vec<String>, out: &mut Vec<Block>| {
        let lines: Vec<String> = std::mem::take(current)
            .into_iter()
            .filter(|l| !FURNITURE.is_match(l.trim()))
            .collect();
        if lines.is_empty() {
            return;
        }
        if format == Format::Text && lines.len() == 1 && looks_like_heading(&lines[0]) {
            out.push(Block::Heading {
                level: 2,
                text: lines[0].clone(),
            });
        } else {
            out.push(Block::Body(lines));
        }
    };
    let lines: Vec<&str> = source.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end();
        if format == Format::Markdown {
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                flush(&mut current, &mut out);
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
            if let Some(c) = MD_HEADING.captures(line) {
                flush(&mut current, &mut out);
                let text = normalize_space(&c[2]);
                if !text.is_empty() {
                    out.push(Block::Heading {
                        level: c[1].len(),
                        text,
                    });
                }
                continue;
            }
            // Setext heading: a line underlined with === or ---.
            let underline = lines.get(i + 1).map_or("", |l| l.trim());
            if current.is_empty() && !line.trim().is_empty() && is_rule(underline) {
                let level = if underline.starts_with('=') { 1 } else { 2 };
                out.push(Block::Heading {
                    level,
                    text: normalize_space(line),
                });
                continue;
            }
            if is_rule(line.trim()) {
                flush(&mut current, &mut out);
                continue; // an underline already used, or a horizontal rule
            }
        }
        if line.trim().is_empty() {
            flush(&mut current, &mut out);
        } else {
            current.push(line.trim().to_string());
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A Markdown underline or horizontal rule: three or more `=` or `-`.
fn is_rule(line: &str) -> bool {
    line.len() >= 3 && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

/// A plain-text heading: a short line that starts like a title and has no final punctuation.
fn looks_like_heading(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let first = line.chars().next().unwrap_or(' ');
    let last = line.chars().last().unwrap_or('.');
    (1..=15).contains(&words)
        && line.chars().count() <= 120
        && (first.is_uppercase() || first.is_ascii_digit())
        && !".,;:!?".contains(last)
        && line.chars().any(char::is_alphabetic)
        && !(words > 6 && YEAR.is_match(line))
}

/// Split a block of the reference list into entries: one per list item, one per line when every
/// line carries a year, otherwise the whole block.
fn reference_entries(lines: &[String]) -> Vec<String> {
    let strip = |line: &str| -> String {
        if NUMBER_MARKER.is_match(line) {
            line.trim().to_string() // keep the number: the reference parser reads it
        } else {
            LIST_MARKER.replace(line, "").trim().to_string()
        }
    };
    let mut entries: Vec<String> = Vec::new();
    if lines.iter().any(|l| LIST_MARKER.is_match(l)) {
        for line in lines {
            if LIST_MARKER.is_match(line) || entries.is_empty() {
                entries.push(strip(line));
            } else {
                let last = entries.last_mut().unwrap();
                last.push(' ');
                last.push_str(line.trim());
            }
        }
    } else if lines.len() > 1 && lines.iter().all(|l| YEAR.is_match(l)) {
        entries.extend(lines.iter().map(|l| l.trim().to_string()));
    } else {
        entries.push(lines.join(" "));
    }
    entries.into_iter().map(|e| normalize_space(&e)).collect()
}

/// Remove Markdown inline markup: links keep their text, emphasis, code and inline HTML tags lose
/// their markers.
fn strip_markdown(text: &str) -> String {
    let text = LIST_MARKER.replace(text.trim_start_matches('>').trim_start(), "");
    let text = MD_LINK.replace_all(&text, "$1");
    let text = MD_CODE.replace_all(&text, "$1");
    normalize_space(&without_markup(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../corpus/ketamine-standalone-vs-psychotherapy.txt");

    fn seed() -> Article {
        parse_text(SEED, Format::Text, "seed.txt", "corpus/seed.txt")
    }

    #[test]
    fn seed_title_and_headings() {
        let a = seed();
        assert_eq!(
            a.title,
            "The Impact of Ketamine: Standalone Treatment vs. Psychotherapy Integration"
        );
        let headings: Vec<&str> = a.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Introduction",
                "Ketamine as a Standalone Treatment",
                "Ketamine with Psychotherapy: A Synergistic Approach",
                "Comparative Outcomes and Considerations",
            ]
        );
    }

    #[test]
    fn seed_passages_exclude_furniture() {
        let a = seed();
        let passages: Vec<&Passage> = a.passages().map(|(_, p)| p).collect();
        assert_eq!(passages.len(), 8);
        assert_eq!(
            passages.iter().map(|p| p.ordinal).collect::<Vec<_>>(),
            (0..8).collect::<Vec<_>>()
        );
        assert!(passages
            .iter()
            .all(|p| !p.text.contains("Previous") && !p.text.starts_with("Next")));
        assert!(passages[1]
            .text
            .starts_with("Ketamine acts primarily on the glutamatergic system"));
        assert_eq!(
            a.sections
                .iter()
                .map(|s| s.passages.len())
                .collect::<Vec<_>>(),
            [2, 2, 3, 1]
        );
    }

    #[test]
    fn seed_references() {
        let a = seed();
        let years: Vec<Option<u16>> = a.references.iter().map(|r| r.year).collect();
        let expected = [2012, 2020, 2019, 2016, 2019, 2015, 2017, 2021].map(Some);
        assert_eq!(years, expected);
        let first: Vec<&str> = a
            .references
            .iter()
            .map(|r| r.authors[0].surname.as_str())
            .collect();
        assert_eq!(
            first,
            [
                "Aan Het Rot",
                "de la Salle",
                "Dore",
                "Duman",
                "Krystal",
                "Wan",
                "Wilkinson",
                "Wolfson"
            ]
        );
        let authors: Vec<usize> = a.references.iter().map(|r| r.authors.len()).collect();
        assert_eq!(authors, [7, 4, 7, 4, 3, 7, 7, 3]);
        assert!(a
            .references
            .iter()
            .all(|r| r.title.is_some() && r.venue.is_some() && r.pages.is_some()));
        assert_eq!(a.references[0].authors[6].display(), "Mathew, S. J.");
    }

    #[test]
    fn seed_citations_all_resolve() {
        let a = seed();
        let citations: Vec<_> = a.passages().flat_map(|(_, p)| p.citations.iter()).collect();
        assert_eq!(citations.len(), 9);
        for c in &citations {
            assert_eq!(c.references.len(), 1, "{c:?}");
            let r = &a.references[c.references[0]];
            assert_eq!(r.year, c.year);
            assert_eq!(r.authors[0].surname, c.surnames[0]);
        }
        let nmda = a
            .passages()
            .map(|(_, p)| p)
            .find(|p| p.text.contains("NMDA"))
            .unwrap();
        let years: Vec<Option<u16>> = nmda
            .cited_references()
            .iter()
            .map(|&i| a.references[i].year)
            .collect();
        assert_eq!(years, [Some(2016), Some(2020)]);
    }

    #[test]
    fn markdown_structure() {
        let md = "---\nlayout: post\n---\n# Ketamine notes\n\nIntro text (Lee, 2020).\n\n## Methods\n\n### Participants\n\nWe *enrolled* [forty](http://x) _adult_ `ketamine` <i>users</i>.\n\n```\ncode (Lee, 2020)\n```\n\n## References\n\n1. Lee, C. (2020). A study. *Journal*, *2*(1), 3-4.\n2. Kim, D. (2018). Another\n   study. Journal, 1, 5.\n";
        let a = parse_text(md, Format::Markdown, "n.md", "n.md");
        assert_eq!(a.title, "Ketamine notes");
        let sections: Vec<(&str, Vec<&str>)> = a
            .sections
            .iter()
            .map(|s| {
                (
                    s.heading.as_str(),
                    s.passages.iter().map(|p| p.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            sections,
            [
                ("Introduction", vec!["Intro text (Lee, 2020)."]),
                (
                    "Methods > Participants",
                    vec!["We enrolled forty adult ketamine users."]
                )
            ]
        );
        assert_eq!(a.references.len(), 2);
        assert_eq!(a.references[0].venue.as_deref(), Some("Journal"));
        assert_eq!(a.references[0].volume.as_deref(), Some("2"));
        assert_eq!(a.references[1].number, Some(2));
        assert_eq!(a.references[1].title.as_deref(), Some("Another study"));
        assert_eq!(a.sections[0].passages[0].citations[0].references, [0]);
    }

    #[test]
    fn one_reference_per_line_or_paragraph() {
        let text = "Title\n\nBody.\n\nBibliography\n\nLee, C. (2020). A study. J, 2, 3.\nKim, D. (2018). Other. J, 1, 5.\n\nPark, E. (2001). A long entry\nwrapped over lines. J, 1, 2.\n";
        let a = parse_text(text, Format::Text, "t", "t.txt");
        let firsts: Vec<&str> = a
            .references
            .iter()
            .map(|r| r.authors[0].surname.as_str())
            .collect();
        assert_eq!(firsts, ["Lee", "Kim", "Park"]);
        assert_eq!(
            a.references[2].title.as_deref(),
            Some("A long entry wrapped over lines")
        );
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let a = parse_text("", Format::Text, "x", "dir/empty-note.txt");
        assert_eq!(a.title, "empty-note");
        assert!(a.sections.is_empty());
    }
}
