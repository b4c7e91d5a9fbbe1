//! Text that another program extracted from a PDF: Zotero's `.zotero-ft-cache`, `pdftotext`'s
//! output.
//!
//! Such text keeps the page's lines and nothing of its layout: a line may be a line of the page
//! or a whole paragraph, blank lines fall inside paragraphs as well as between them (Zotero 7
//! writes one after most lines), displayed equations come apart into fragments, and running
//! heads and page numbers stand in the flow. Paragraphs are rebuilt from the lines themselves:
//! - **furniture**: a line that comes back three times or more (digits aside) without ending a
//!   sentence (a running head), and a line of digits alone (a page number), are dropped;
//! - **paragraphs** end at a line that ends a sentence when a blank line or a heading follows,
//!   when it is shorter than its longer neighbour (the last line of a paragraph), or when it is
//!   longer than a printed line (a paragraph on one line). Any other line goes on across blank
//!   lines, so an equation's fragments and a page break stay inside their paragraph; what is
//!   left shorter than three words joins the paragraph before it;
//! - **headings**: a short line that stands apart (after a paragraph's end, or a usual name
//!   such as "References"; before a line that opens a paragraph, or before its first
//!   subheading) and reads like a title: a capital or a section number first, a word of three
//!   letters, no mathematical symbol, citation or sentence end inside, no final punctuation or
//!   function word. A numbered heading run in to its paragraph is split off. A document that numbers
//!   three headings or more numbers them all: its unnumbered headings are only the usual front
//!   and back matter (Abstract, References, Acknowledgements, ...). A heading right before
//!   another of its level or above heads nothing, and is text;
//! - **references**: after a References heading, entries start at each list number in
//!   sequence ("[12]", "12."), even inside a line; in unnumbered lists, after the end of a
//!   paragraph or at a line that opens with a surname and initials (author-year convention).
//!   A figure's or table's caption there is a passage of its own, and so is an entry of more
//!   than 60 words without a year (prose set after the list);
//! - **text**: NFKC (ligatures), words hyphenated at line ends joined as the PDF reader joins
//!   them.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::export::first_year;
use super::lines::{ends_sentence, Joiner, CAPTION, NUMBERED};
use super::outline::{is_references_heading, Outline};
use crate::model::{Article, Format};

/// The longest line a page prints, in characters (a wide single column holds about 120): a
/// longer line is a paragraph that the extracting program put on one line.
const LONGEST_PRINTED_LINE: usize = 160;

/// The most words a reference entry holds without a year: of AnyStyle's 1,514 labelled
/// references (../shared/data/references), the 99th percentile has 54 words and the longest of
/// the 39 without a date 53.
const LONGEST_UNDATED_ENTRY: usize = 60;

/// A line shorter than this share of its longer neighbour is short: the last of its paragraph.
const SHORT_LINE: f64 = 0.8;

/// The number a reference-list entry starts with: "[12]", "12.", "12 ".
static ENTRY_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\[(\d{1,3})\]|(\d{1,3})[.)]?\s)").unwrap());
/// A list label alone: "30.", "[30]".
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\[\d{1,3}\]|\d{1,3}\.?)$").unwrap());
/// An author-year entry's first author: a surname and initials ("Brun, A.", "Smith JA,").
static FIRST_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}'’-]+(?: [\p{Lu}][\p{L}'’-]+)?,? (?:\p{Lu}\.|\p{Lu}{1,3}[,.]|\p{Lu}\p{Ll}+,? \p{Lu}\.)").unwrap()
});

/// A numbered heading run in to its paragraph: the heading, without its period.
static RUN_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:\d{1,2}\.)*\d{1,2}\.? [^.]{3,}?[^\s.])\. \p{Lu}").unwrap());
/// A mathematical symbol, a sentence's end followed by the next sentence, or a numbered
/// citation ("[4]").
static NOT_IN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Sm}|\p{Ll}[.!?] \S|\[\d").unwrap());
/// The unnumbered headings of a document that numbers its sections: front and back matter.
static FRONT_OR_BACK_MATTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:abstract|summary|introduction|background|references?|bibliography|literature cited|acknowledge?ments?|funding|conflicts? of interests?|competing interests?|disclosures?|declarations?|authors?’? contributions?|author contributions|abbreviations|appendix(?: \w+)?|supplementary (?:material|data|information)|data availability(?: statement)?|ethics(?: statement)?|keywords)$").unwrap()
});

/// Words a heading does not end with: articles, prepositions, conjunctions, auxiliaries and
/// possessives (closed-class words), which stand before what they govern.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "among", "an", "and", "are", "as", "at", "be", "been",
    "before", "between", "but", "by", "during", "for", "from", "had", "has", "have", "if", "in",
    "into", "is", "its", "nor", "not", "of", "on", "or", "our", "over", "than", "that", "the",
    "their", "these", "this", "those", "to", "under", "was", "were", "when", "where", "whether",
    "which", "while", "who", "whose", "will", "with", "within", "without",
];

/// A line of the text, and whether a blank line (or a page break) stood before it.
struct Line {
    text: String,
    after_blank: bool,
    /// A numbered heading that was run in to its paragraph (see [`split_run_in`]).
    run_in: bool,
}

/// Whether plain text was extracted from a PDF: `pdftotext` ends each page with a form feed.
pub fn is_extracted(source: &str) -> bool {
    source.contains('\u{c}')
}

/// Read text extracted from a PDF into an article.
pub fn parse_extracted(source: &str, id: &str, path: &str) -> Article {
    let source: String = source.nfkc().collect();
    let lines = split_run_in(content_lines(&source));
    let headings = headings(&lines);
    let joiner = Joiner::new(lines.iter().map(|l| l.text.as_str()));
    let mut outline = Outline::with_title(None);
    let mut paragraph: Vec<&str> = Vec::new();
    let mut last: Option<String> = None;
    let mut references = 0..0;
    for i in 0..lines.len() {
        if let Some(level) = headings[i] {
            end_paragraph(&joiner, &mut paragraph, &mut last, &mut outline);
            flush_passage(&mut last, &mut outline);
            flush_references(&joiner, &lines[references.clone()], &mut outline);
            references = i + 1..i + 1;
            outline.heading(level, lines[i].text.clone());
            continue;
        }
        if outline.in_references() && paragraph.is_empty() {
            if !CAPTION.is_match(&lines[i].text) {
                references.end = i + 1;
                continue;
            }
            // A caption set after the list is a float's, not part of an entry.
            flush_references(&joiner, &lines[references], &mut outline);
            references = i..i;
        }
        paragraph.push(&lines[i].text);
        let prev = i.checked_sub(1).map(|p| &lines[p]);
        let heading_next = headings.get(i + 1).is_some_and(Option::is_some);
        if ends_paragraph(prev, &lines[i], lines.get(i + 1), heading_next) {
            end_paragraph(&joiner, &mut paragraph, &mut last, &mut outline);
            references = i + 1..i + 1;
        }
    }
    end_paragraph(&joiner, &mut paragraph, &mut last, &mut outline);
    flush_passage(&mut last, &mut outline);
    flush_references(&joiner, &lines[references], &mut outline);
    outline.finish(id, path, Format::Text)
}

/// The lines with text, without furniture, each knowing whether a blank line stood before it.
fn content_lines(source: &str) -> Vec<Line> {
    let key = |line: &str| -> String {
        line.chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let raw: Vec<&str> = source
        .split(['\n', '\u{c}'])
        .map(|l| l.trim().trim_start_matches('\u{feff}'))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for line in raw.iter().filter(|l| !l.is_empty()) {
        *seen.entry(key(line)).or_default() += 1;
    }
    let furniture = |line: &str| {
        line.chars().all(|c| c.is_ascii_digit())
            || (seen[&key(line)] >= 3
                && !ends_sentence(line)
                && line.chars().any(char::is_alphabetic))
    };
    let mut lines = Vec::new();
    let mut after_blank = true;
    for line in raw {
        if line.is_empty() {
            after_blank = true;
        } else if !furniture(line) {
            lines.push(Line {
                text: line.split_whitespace().collect::<Vec<_>>().join(" "),
                after_blank,
                run_in: false,
            });
            after_blank = false;
        }
    }
    lines
}

/// Whether `line` ends its paragraph, between the lines `prev` and `next` (see the module's
/// doc).
fn ends_paragraph(
    prev: Option<&Line>,
    line: &Line,
    next: Option<&Line>,
    heading_next: bool,
) -> bool {
    if !ends_sentence(&line.text) {
        return false;
    }
    let Some(next) = next else {
        return true;
    };
    if next.after_blank || heading_next {
        return true;
    }
    if next.text.starts_with(char::is_lowercase) {
        return false;
    }
    let len = |l: &Line| l.text.chars().count();
    let own = len(line);
    let longer = prev.map_or(0, len).max(len(next));
    own > LONGEST_PRINTED_LINE || (own as f64) < SHORT_LINE * longer as f64
}

/// The heading level of each line that is a heading (see the module's doc): its section
/// number's depth, 1 when unnumbered. After the References heading, the list's numbered
/// entries are no headings; only front and back matter ends the list.
fn headings(lines: &[Line]) -> Vec<Option<usize>> {
    let n = lines.len();
    let shaped: Vec<bool> = lines.iter().map(|l| heading_shape(&l.text)).collect();
    let apart = |i: usize| i == 0 || lines[i].after_blank || ends_sentence(&lines[i - 1].text);
    let opens = |i: usize| {
        lines.get(i).is_some_and(|l| {
            l.text
                .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '[')
                && (l.text.split_whitespace().count() >= 4 || NUMBERED.is_match(&l.text))
        })
    };
    let matter = |i: usize| {
        let text = lines[i].text.as_str();
        FRONT_OR_BACK_MATTER.is_match(text) || is_references_heading(text)
    };
    let mut heading = vec![false; n];
    // The second of a heading and its first subheading, both unnumbered, is one level down.
    let mut sub = vec![false; n];
    for i in 0..n {
        if lines[i].run_in {
            heading[i] = true;
        } else if shaped[i] && (apart(i) || matter(i)) {
            // A usual name ("References") also heads a list whose labels stand apart: "1.".
            let labelled = lines
                .get(i + 1)
                .is_some_and(|l| matches!(l.text.as_str(), "1." | "[1]" | "1"));
            if opens(i + 1) || matter(i) && labelled {
                heading[i] = true;
            } else if i + 1 < n && shaped[i + 1] && opens(i + 2) {
                // A heading and its first subheading: "Methods", "Village laws", text.
                heading[i] = true;
                heading[i + 1] = true;
                sub[i + 1] = true;
            }
        }
    }
    let depth = |text: &str| NUMBERED.captures(text).map(|c| c[1].split('.').count());
    let references = (0..n).find(|&i| heading[i] && is_references_heading(&lines[i].text));
    let body = references.unwrap_or(n);
    let numbered = (0..body)
        .filter(|&i| heading[i] && depth(&lines[i].text).is_some())
        .count();
    let mut levels: Vec<Option<usize>> = (0..n)
        .map(|i| {
            let text = lines[i].text.as_str();
            let kept =
                heading[i] && (matter(i) || (i < body && (numbered < 3 || depth(text).is_some())));
            kept.then(|| depth(text).unwrap_or(1 + usize::from(sub[i] && !matter(i))))
        })
        .collect();
    // A heading right before another of its level or above heads nothing: it is text.
    for i in 0..n.saturating_sub(1) {
        if let (Some(a), Some(b)) = (levels[i], levels[i + 1]) {
            if b <= a && !matter(i) {
                levels[i] = None;
            }
        }
    }
    levels
}

/// Whether a line reads like a heading (see the module's doc).
fn heading_shape(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let numbered = NUMBERED.captures(text);
    let (Some(first), Some(last_word)) = (text.chars().next(), words.last()) else {
        return false;
    };
    let after_number = numbered.as_ref().map_or(text, |c| &text[c[1].len()..]);
    (1..=12).contains(&words.len())
        && text.chars().count() <= 100
        && (first.is_uppercase() || numbered.is_some())
        && text.ends_with(|c: char| c.is_alphanumeric() || c == ')')
        && words
            .iter()
            .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        && !FUNCTION_WORDS.contains(&last_word.to_lowercase().as_str())
        && !NOT_IN_HEADING.is_match(after_number)
        && !CAPTION.is_match(text)
}

/// Numbered headings run in to their paragraph ("2.1. Polyethylene Glycol. Polyethylene glycol
/// based regimens ...") set on a line of their own and marked, before the References heading: a section
/// number, up to ten words of a heading's shape and a period, then a sentence, after the end
/// of a paragraph or a numbered heading.
fn split_run_in(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut in_references = false;
    for line in lines {
        in_references |= is_references_heading(&line.text);
        // After a paragraph's end, or under the heading of its section ("2. Purgatives").
        let apart = || {
            line.after_blank
                || out.last().is_none_or(|l: &Line| {
                    ends_sentence(&l.text) || NUMBERED.is_match(&l.text) && heading_shape(&l.text)
                })
        };
        let split = (!in_references && NUMBERED.is_match(&line.text) && apart())
            .then(|| RUN_IN.captures(&line.text))
            .flatten()
            .map(|c| (c[1].len(), c[1].to_string()))
            .filter(|(_, head)| heading_shape(head) && head.split_whitespace().count() <= 11);
        match split {
            Some((end, head)) => {
                let rest = line.text[end + 1..].trim().to_string();
                out.push(Line {
                    text: head,
                    after_blank: line.after_blank,
                    run_in: true,
                });
                out.push(Line {
                    text: rest,
                    after_blank: false,
                    run_in: false,
                });
            }
            None => out.push(line),
        }
    }
    out
}

/// Join the lines of the paragraph gathered so far; a paragraph of fewer than three words joins
/// the one before it, the one before is passed on to the outline.
fn end_paragraph(
    joiner: &Joiner,
    paragraph: &mut Vec<&str>,
    last: &mut Option<String>,
    outline: &mut Outline,
) {
    if paragraph.is_empty() {
        return;
    }
    let text = joiner.join(paragraph.drain(..));
    match last {
        Some(before) if text.split_whitespace().count() < 3 => {
            before.push(' ');
            before.push_str(&text);
        }
        _ => {
            flush_passage(last, outline);
            *last = Some(text);
        }
    }
}

/// Pass the last paragraph on to the outline.
fn flush_passage(last: &mut Option<String>, outline: &mut Outline) {
    if let Some(text) = last.take() {
        outline.passage(text);
    }
}

/// Split the reference list's lines into entries and pass them on to the outline.
/// An entry of more than [`LONGEST_UNDATED_ENTRY`] words without a year is prose set after the
/// list (an appendix, peer-review reports), and a passage.
fn flush_references(joiner: &Joiner, lines: &[Line], outline: &mut Outline) {
    for entry in reference_entries(joiner, lines) {
        if entry.split_whitespace().count() > LONGEST_UNDATED_ENTRY && first_year(&entry).is_none()
        {
            outline.passage(entry);
        } else {
            outline.reference(entry);
        }
    }
}

/// The entries of a reference list (see the module's doc).
fn reference_entries(joiner: &Joiner, lines: &[Line]) -> Vec<String> {
    let number = |text: &str| -> Option<u32> {
        let c = ENTRY_NUMBER.captures(text)?;
        c.get(1).or(c.get(2))?.as_str().parse().ok()
    };
    // List labels that the extraction set apart from their entries ("30.") say nothing.
    let lines: Vec<&Line> = lines.iter().filter(|l| !LABEL.is_match(&l.text)).collect();
    let numbered = lines.first().and_then(|l| number(&l.text)) == Some(1);
    let mut expected = 1;
    let mut entries: Vec<Vec<&str>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut text = line.text.as_str();
        let starts = if number(text) == Some(expected) {
            expected += 1;
            true
        } else {
            let prev = (i > 0).then(|| lines[i - 1]);
            prev.is_none_or(|p| {
                ends_sentence(&p.text)
                    && (FIRST_AUTHOR.is_match(text)
                        || !numbered
                            && ends_paragraph(
                                i.checked_sub(2).map(|k| lines[k]),
                                p,
                                Some(line),
                                false,
                            ))
            })
        };
        if starts || entries.is_empty() {
            entries.push(Vec::new());
        }
        // Entries run together on one line: "... 2009. [14] G. Grubb, ..."
        while let Some(at) = text.find(&format!(" [{expected}] ")) {
            entries.last_mut().unwrap().push(&text[..at]);
            entries.push(Vec::new());
            text = &text[at + 1..];
            expected += 1;
        }
        entries.last_mut().unwrap().push(text);
    }
    entries
        .into_iter()
        .map(|e| joiner.join(e))
        .filter(|e| !e.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Passage;

    fn passages(article: &Article) -> Vec<(&str, &str)> {
        article
            .passages()
            .map(|(s, p): (_, &Passage)| (s.heading.as_str(), p.text.as_str()))
            .collect()
    }

    fn section_headings(article: &Article) -> Vec<&str> {
        article
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect()
    }

    #[test]
    fn wrapped_lines_become_paragraphs_under_their_headings() {
        let text = "Journal of Tests 12 (2020) 1-9\n\
            1. Introduction\n\
            Ketamine is an antagonist of the NMDA receptor and has been studied in\n\
            depression for two decades, with rapid effects on mood in several\n\
            trials.\n\
            It is also used in anaesthesia, at higher doses than in psychiatry, and\n\
            in pain medicine.\n\
            \u{c}Journal of Tests 12 (2020) 1-9\n\
            2\n\
            2. Methods\n\
            We searched three databases for randomised trials of ketamine in adults\n\
            with major depressive disorder, without restriction of language or date.\n\
            Journal of Tests 12 (2020) 1-9\n";
        let article = parse_extracted(text, "a", "a.txt");
        assert_eq!(
            passages(&article),
            vec![
                (
                    "1. Introduction",
                    "Ketamine is an antagonist of the NMDA receptor and has been studied in depression for two decades, with rapid effects on mood in several trials."
                ),
                (
                    "1. Introduction",
                    "It is also used in anaesthesia, at higher doses than in psychiatry, and in pain medicine."
                ),
                (
                    "2. Methods",
                    "We searched three databases for randomised trials of ketamine in adults with major depressive disorder, without restriction of language or date."
                ),
            ]
        );
    }

    #[test]
    fn blank_lines_and_equation_fragments_stay_inside_a_sentence() {
        let text = "The function spaces used here are Sobolev spaces and their\n\n\
            variants, as introduced before, defined by\n\n\
            x\n\n=\n\n(1\n\n+\n\n|x|2\n\n)\n\n(3)\n\n\
            for every point of the space.\n\n\
            In the present paper we generalize this to other spaces of the same kind.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let texts: Vec<&str> = passages(&article).into_iter().map(|p| p.1).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0]
            .starts_with("The function spaces used here are Sobolev spaces and their variants"));
        assert!(texts[0].ends_with("(3) for every point of the space."));
    }

    #[test]
    fn numbered_references_split_even_when_run_together() {
        let text = "Results\n\
            The treatment worked in most of the patients who received it here.\n\
            References\n\
            [1] P. Albin, R.B. Melrose, Fredholm realizations of elliptic symbols, J. Reine\n\
            Angew. Math. 627 (2009) 155-181.\n\
            [2] K. Bogdan, Heat kernel estimates, Ann. Probab. 38 (2010) 1901-1923. [3] G. Eskin,\n\
            Boundary Value Problems, Amer. Math. Soc., Providence, RI, 1981.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let raw: Vec<&str> = article.references.iter().map(|r| r.raw.as_str()).collect();
        assert_eq!(raw.len(), 3, "{raw:?}");
        assert!(raw[1].starts_with("[2] K. Bogdan") && raw[1].ends_with("1901-1923."));
        assert_eq!(article.references[2].year, Some(1981));
    }

    #[test]
    fn author_year_references_start_at_each_first_author() {
        let text = "References\n\
            Augier, P., and E. Lindborg (2013), A new formulation of the spectral energy budget of the atmosphere, ArXiv e-prints.\n\
            Brun, A., and M. Rempel (2009), Large scale flows in the solar convection zone, Space Sci. Rev., 144(1), 151-173.\n";
        let article = parse_extracted(text, "a", "a.txt");
        assert_eq!(article.references.len(), 2);
    }

    #[test]
    fn fragments_and_running_text_are_no_headings() {
        let text = "This is the end of a paragraph about the operator.\n\nH\n\nThen we approximate (1) by\n\n\
            Table 1 Characteristics\n\nA sentence that follows the table and goes on for a while.\n\
            A recent study [4] compared the two regimens\n\
            In adults, and the results were the same. They require treatment other than\n\
            Speech and language therapy, which is given by the staff of the unit.\n";
        let article = parse_extracted(text, "a", "a.txt");
        assert_eq!(section_headings(&article), ["Introduction"]);
    }

    #[test]
    fn run_in_numbered_headings_and_subheadings_are_found() {
        let text = "The last paragraph of the abstract ends here with a period.\n\
            2. Purgatives\n\
            2.1. Polyethylene Glycol. Polyethylene glycol based regimens are the first\n\
            line of preparation before the examination of the bowel.\n\
            Methods\n\
            Village laws\n\
            The first written village laws were produced in the sixteenth century.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let headings = section_headings(&article);
        assert_eq!(
            headings,
            [
                "Introduction",
                "2. Purgatives > 2.1. Polyethylene Glycol",
                "Methods > Village laws"
            ]
        );
        assert!(article.sections[1].passages[0]
            .text
            .starts_with("Polyethylene glycol based"));
    }

    #[test]
    fn a_document_that_numbers_its_headings_has_no_unnumbered_ones_but_back_matter() {
        let text = "1. Introduction\n\
            We study the operator in the whole space and on domains of every kind.\n\
            2. Function spaces\n\
            The spaces used are Sobolev spaces of the usual kind, with norms.\n\
            There are of course embeddings\n\
            Between all of these spaces, as is well known from the literature.\n\
            3. Results\n\
            The operator is Fredholm in each of the spaces defined before this.\n\
            Acknowledgements\n\
            We thank the referees of this paper for their careful reading.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let headings = section_headings(&article);
        assert_eq!(
            headings,
            [
                "1. Introduction",
                "2. Function spaces",
                "3. Results",
                "Acknowledgements"
            ]
        );
    }

    #[test]
    fn list_labels_set_apart_and_numbered_entries_are_no_headings() {
        let text = "References\n\
            1. Feeny D, Berkes F. The tragedy of the commons: twenty-two years later.\n\
            Hum Ecol. 1990;18(1):1-19.\n\
            2. Berkes F. Sacred Ecology: Traditional Ecological Knowledge and Resource\n\
            Management. Philadelphia: Taylor & Francis; 1999.\n\
            3.\n\n4.\n\
            Imreh I. Törvényhozó székely falu. Kriterion Könyvkiadó: Bukarest; 1983.\n\
            Ludwig D, Hilborn R, Walters C. Uncertainty, resource exploitation, and\n\
            conservation: lessons from history. Science. 1993;260(5104):17,36.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let years: Vec<Option<u16>> = article.references.iter().map(|r| r.year).collect();
        assert_eq!(years, [Some(1990), Some(1999), Some(1983), Some(1993)]);
        assert!(article
            .sections
            .iter()
            .all(|s| !s.heading.contains("Berkes")));
    }

    #[test]
    fn a_references_heading_over_labels_set_apart_starts_the_list() {
        let text = "The authors declare no conflict of interest.\n\
            References\n\
            1.\n\n2.\n\
            Smith J, Jones K. A first title. Lancet. 2010;1:2-3.\n\
            Brown A, White B. A second title. BMJ. 2012;4:5-6.\n";
        let article = parse_extracted(text, "a", "a.txt");
        let years: Vec<Option<u16>> = article.references.iter().map(|r| r.year).collect();
        assert_eq!(years, [Some(2010), Some(2012)]);
        // A table's "Reference" column over its cells is no reference list.
        let table = "The isolates were typed as follows.\nReference\n400 bp\n[10]\n\
            The products were sequenced in both directions by the same method.\n";
        assert!(parse_extracted(table, "a", "a.txt").references.is_empty());
    }

    #[test]
    fn long_prose_without_a_year_after_the_list_is_a_passage() {
        let report = "The authors report increased longevity for two species of sharks based on \
            tag and recapture data, and the note is clear and concise; I have read this \
            submission and believe that I have an appropriate level of expertise to confirm \
            that it is of an acceptable scientific standard, though the growth curves used \
            to estimate the age at tagging add little to the direct estimates.";
        let text = format!(
            "References\n\
             Bishop SDH, Francis MP: Age and growth of the mako shark. Mar Res. 2006; 57: 143-154.\n\n\
             {report}\n"
        );
        let article = parse_extracted(&text, "a", "a.txt");
        assert_eq!(article.references.len(), 1);
        let texts: Vec<&str> = article.passages().map(|(_, p)| p.text.as_str()).collect();
        assert_eq!(texts, [report]);
    }

    /// Nothing but furniture and list labels is lost: over generated texts that mix prose,
    /// equation fragments, headings, reference lists, captions, blank lines and page breaks,
    /// every line that carries a word of its own has that word in a passage, a heading or a
    /// reference entry.
    #[test]
    fn every_line_that_is_not_furniture_reaches_the_article() {
        let pieces = [
            "The results were consistent across the sites",
            "and the effect was larger in older patients.",
            "x",
            "=",
            "(3)",
            "2. Methods",
            "2.1. Design. The trial was randomised",
            "References",
            "[1] A. Author, A title, J. Med. 2001.",
            "2. Smith J, Jones K. Another title. Lancet. 2010;1:2-3.",
            "Table 2 Outcomes at one year",
            "Brun, A. (2009), Flows in the zone, Rev. Sci.",
            "Journal of Tests 12 (2020) 1-9",
            "12",
            "30.",
            "",
            "\u{c}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let marker = |mut n: usize| {
            let mut m = String::from("zq");
            loop {
                m.push((b'a' + (n % 26) as u8) as char);
                n /= 26;
                if n == 0 {
                    return m;
                }
            }
        };
        for round in 0..300 {
            let mut text = String::new();
            let mut markers = Vec::new();
            for k in 0..(5 + next(25)) {
                let piece = pieces[next(pieces.len())];
                if !piece.trim().is_empty() && next(2) == 0 {
                    // A word of its own, before any final period, so the line keeps its shape.
                    let m = marker(round * 100 + k);
                    let (body, end) = match piece.strip_suffix('.') {
                        Some(body) => (body, "."),
                        None => (piece, ""),
                    };
                    text.push_str(&format!("{body} {m}{end}\n"));
                    markers.push(m);
                } else {
                    text.push_str(piece);
                    text.push('\n');
                }
            }
            let article = parse_extracted(&text, "a", "a.txt");
            let mut out: Vec<&str> = article.passages().map(|(_, p)| p.text.as_str()).collect();
            out.extend(article.sections.iter().map(|s| s.heading.as_str()));
            out.extend(article.references.iter().map(|r| r.raw.as_str()));
            let out = out.join(" ");
            for m in markers {
                assert!(out.contains(&m), "{m} lost from:\n{text}\n--> {out}");
            }
        }
    }
}
