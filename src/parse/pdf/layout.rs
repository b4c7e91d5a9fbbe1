//! From positioned words to lines and paragraph blocks in reading order.
//!
//! Everything here is geometry and font statistics of the document, not publisher templates:
//! - **lines**: runs on one baseline (superscripts and subscripts inside the line's box
//!   included) with no gap wider than an em, so the two columns of a page never share a line;
//! - **running heads, footers and page numbers**: a line whose text (digits ignored) comes back
//!   at the same height on two pages or more (with a letter, or in the top or bottom margin),
//!   and a bare number in the top or bottom margin;
//! - **columns** (see [`super::columns`]): two or three, split by gutters that (almost) no line
//!   crosses; lines that cross one span the columns and cut the page into bands;
//! - **pieces of a line**: in one column and type, up to 3 em apart on one baseline (a section
//!   number an em before its title, a heading stretched over a narrow column), one line, whose
//!   next lines may hang under its second piece;
//! - **paragraphs**: a new block at a change of font size or weight, a vertical gap wider than
//!   the line pitch, a first-line indent, or after a short line that ends a sentence; a block
//!   goes on across a column or page break when its sentence does, also after the tables,
//!   captions and notes set at the top of the next column or page;
//! - **text**: NFKC (ligatures, compatibility characters), words hyphenated at line ends joined
//!   unless the document writes them with a hyphen elsewhere or the part before the hyphen is not
//!   a plain word, lowercase or capitalised ("N-methyl-" stays, with no space after it); raised
//!   small numbers after a word written as bracketed citations ("Song¹" becomes "Song[1]": the
//!   superscript citation convention), raised letters after a word (footnote marks) set apart.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::columns::{document_gutters, reading_order};
use super::runs::{combining_mark, Page, Run};
use super::tables::mark_tables;
use crate::parse::lines::{ends_sentence, Joiner};

/// A table cell: the table's number in the document, the row and the cell in the row.
pub type Cell = (u32, u16, u16);

/// One line of text on a page.
#[derive(Clone, Debug)]
pub struct Line {
    /// Page number, from 0.
    pub page: usize,
    /// Bounding box, top-left origin.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
    /// Baseline of the line's main font.
    pub baseline: f32,
    /// Font size with the most characters.
    pub size: f32,
    /// The font with the most characters, its subset tag removed (see [`font_family`]).
    pub font: String,
    /// Most characters are bold.
    pub bold: bool,
    /// Most characters are italic.
    pub italic: bool,
    /// The text, NFKC-normalised, words separated by single spaces.
    pub text: String,
    /// Bytes of `text` at the start of the line set in bold, when the rest is not (a run-in
    /// heading such as "**Methods.** We ..."); 0 otherwise.
    pub bold_lead: usize,
    /// 0 single column or spanning, else the column from the left (1, 2, 3).
    pub column: u8,
    /// Left edge of the line's column on its page.
    pub col_left: f32,
    /// Right edge of the line's column on its page.
    pub col_right: f32,
    /// In a table (see [`super::tables`]): the table's number in the document, the row and
    /// the cell.
    pub cell: Option<Cell>,
}

impl Line {
    pub(super) fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

/// Consecutive lines of one paragraph (or heading, caption...), in reading order.
#[derive(Clone, Debug)]
pub struct Block {
    /// The lines.
    pub lines: Vec<Line>,
}

impl Block {
    /// The first line.
    pub fn first(&self) -> &Line {
        &self.lines[0]
    }
}

/// The laid-out document: blocks in reading order, and the words it uses (for de-hyphenation).
pub struct Layout {
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// Page sizes (width, height).
    pub pages: Vec<(f32, f32)>,
    /// Joins lines by the words the document uses.
    joiner: Joiner,
}

/// Lay out the pages.
pub fn layout(pages: &[Page]) -> Layout {
    let mut lines: Vec<Vec<Line>> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| page_lines(i, p))
        .collect();
    remove_furniture(&mut lines, pages);
    let widths: Vec<f32> = pages.iter().map(|p| p.width).collect();
    let gutters = document_gutters(&lines, &widths);
    let mut ordered = Vec::new();
    let mut tables = 0;
    for (page, page_lines) in lines.into_iter().enumerate() {
        ordered.extend(mark_tables(
            reading_order(page_lines, &gutters[page]),
            widths[page],
            &mut tables,
        ));
    }
    let joiner = Joiner::new(ordered.iter().map(|l| l.text.as_str()));
    let pitch = line_pitch(&ordered);
    Layout {
        blocks: paragraphs(ordered, pitch),
        pages: pages.iter().map(|p| (p.width, p.height)).collect(),
        joiner,
    }
}

impl Layout {
    /// The text of lines joined into one paragraph, words hyphenated at line ends joined.
    pub fn join(&self, lines: &[Line]) -> String {
        self.joiner.join(lines.iter().map(|l| l.text.as_str()))
    }
}

/// Whether run `r` may continue a line whose last run is `last`, whose main size is `size` and
/// whose box spans `top..bottom`.
fn continues(
    last: &Run,
    r: &Run,
    size: f32,
    baseline: f32,
    top: f32,
    bottom: f32,
    label: bool,
) -> bool {
    let em = size.max(r.font_size).max(1.0);
    let gap = r.x0 - last.x1;
    let widest = if label { 3.0 } else { 1.0 };
    if gap < -0.3 * em || gap > widest * em {
        return false;
    }
    let same_baseline = (r.baseline - baseline).abs() < 0.3 * em;
    let inside =
        r.y1 > top && r.y0 < bottom && (r.font_size < 0.85 * size || size < 0.85 * r.font_size);
    same_baseline || inside
}

/// Runs of one page grouped into lines (content order first, then fragments on one baseline
/// merged), with their text.
fn page_lines(page_no: usize, page: &Page) -> Vec<Line> {
    let runs: Vec<&Run> = page
        .runs
        .iter()
        .filter(|r| r.upright && !r.text.trim().is_empty())
        .collect();
    let mut groups: Vec<Vec<&Run>> = Vec::new();
    let mut geometry = (0.0f32, 0.0f32, 0.0f32, 0.0f32); // size, baseline, top, bottom
    for r in runs {
        let joins = groups.last().is_some_and(|g| {
            let last = g[g.len() - 1];
            let label = g.len() == 1 && is_label(&last.text);
            continues(
                last, r, geometry.0, geometry.1, geometry.2, geometry.3, label,
            )
        });
        if joins {
            let (size, baseline, top, bottom) = geometry;
            // The biggest run sets the line's baseline (a line may start with a superscript).
            geometry = if r.font_size > size * 1.15 {
                (r.font_size, r.baseline, top.min(r.y0), bottom.max(r.y1))
            } else {
                (size, baseline, top.min(r.y0), bottom.max(r.y1))
            };
            groups.last_mut().expect("joins").push(r);
        } else {
            geometry = (r.font_size, r.baseline, r.y0, r.y1);
            groups.push(vec![r]);
        }
    }
    // Fragments of one line written out of order: merge a group that starts where another on
    // the same baseline ends. Fragments of one line are written near each other: two groups
    // with other lines written between them and over half an em apart are two columns (pdfTeX
    // writes a page's left column whole, then its right one).
    // Each group with its baseline (in steps of 2 points) and its place in writing order.
    let mut groups: Vec<(i64, usize, Vec<&Run>)> = groups
        .into_iter()
        .enumerate()
        .map(|(at, g)| ((main_baseline(&g) / 2.0).round() as i64, at, g))
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0).then(a.2[0].x0.total_cmp(&b.2[0].x0)));
    let loose = loose_lines(&groups);
    let mut merged: Vec<(usize, Vec<&Run>)> = Vec::new();
    for ((_, at, g), loose) in groups.into_iter().zip(loose) {
        if let Some((prev_at, prev)) = merged.last_mut() {
            let last = prev[prev.len() - 1];
            let size = main_size(prev);
            let gap = g[0].x0 - last.x1;
            let apart = gap > 0.5 * size && at.abs_diff(*prev_at) > 2;
            if (main_baseline(prev) - main_baseline(&g)).abs() < 0.3 * size
                && g[0].x0 >= last.x1 - 0.3 * size
                && !apart
                && (loose
                    || gap
                        < if prev.len() == 1 && is_label(&last.text) {
                            3.0
                        } else {
                            1.0
                        } * size
                        && !wider_than_word_spaces(gap, prev, &g, size))
            {
                prev.extend(g);
                *prev_at = at;
                continue;
            }
        }
        merged.push((at, g));
    }
    merged.iter().map(|(_, g)| make_line(page_no, g)).collect()
}

/// For groups sorted by baseline and then left to right: whether each one continues a loose
/// justified line, whose words the layout set more than an em apart (a short line stretched over
/// a narrow column). Such a line has four words or more, mostly starting with a letter, with
/// gaps alike (the widest at most 1.25 times the narrowest, and under 2 em), unlike the gaps
/// between a table's cells.
fn loose_lines(groups: &[(i64, usize, Vec<&Run>)]) -> Vec<bool> {
    let mut loose = Vec::with_capacity(groups.len());
    for line in groups.chunk_by(|a, b| a.0 == b.0) {
        let size = line.iter().map(|g| main_size(&g.2)).fold(0.0f32, f32::max);
        let gaps: Vec<f32> = line
            .windows(2)
            .map(|w| w[1].2[0].x0 - w[0].2[w[0].2.len() - 1].x1)
            .collect();
        let (narrowest, widest) = gaps
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &g| (lo.min(g), hi.max(g)));
        let words = line
            .iter()
            .filter(|g| g.2[0].text.starts_with(char::is_alphabetic))
            .count();
        let is_loose = line.len() >= 4
            && words * 4 >= line.len() * 3
            && narrowest > 0.2 * size
            && widest < 2.0 * size
            && widest <= 1.25 * narrowest;
        // The first group starts the line; the others continue it.
        loose.push(false);
        loose.extend(std::iter::repeat_n(is_loose, line.len() - 1));
    }
    loose
}

/// Whether a gap between two fragments on one baseline is no word space of theirs but a gutter:
/// over half an em and over twice the widest word space of one of them (spaces after a
/// word ending in punctuation left out: TeX and typewriter convention set those wider, up to
/// three times the stretch). Justified text spreads a line's stretch evenly over its word
/// spaces, so a gap twice the widest is no space of that line; it is the white between two
/// columns set close together (LaTeX's `twocolumn` leaves one em, 10pt at 10pt type).
fn wider_than_word_spaces(gap: f32, a: &[&Run], b: &[&Run], size: f32) -> bool {
    let widest = |g: &[&Run]| {
        let spaces: Vec<f32> = g
            .windows(2)
            .filter(|w| !w[1].joined && !w[0].text.ends_with(|c: char| c.is_ascii_punctuation()))
            .map(|w| w[1].x0 - w[0].x1)
            .collect();
        (spaces.len() >= 2).then(|| spaces.iter().fold(0.0f32, |m, &s| m.max(s)))
    };
    let spaces = [widest(a), widest(b)];
    let narrowest = spaces.iter().flatten().fold(f32::MAX, |m, &s| m.min(s));
    narrowest < f32::MAX && gap > 0.5 * size && gap > 2.0 * narrowest
}

/// Whether a run is the label of a list item ("12.", "[3]", "•"), which may stand further
/// from its text than a word space.
pub(super) fn is_label(text: &str) -> bool {
    let t = text
        .trim_start_matches('[')
        .trim_end_matches(['.', ']', ')']);
    (!t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()) && t.len() < text.len())
        || matches!(text, "•" | "–" | "-" | "◦" | "▪")
}

/// The size with the most characters.
fn main_size(runs: &[&Run]) -> f32 {
    let mut by: HashMap<i32, usize> = HashMap::new();
    for r in runs {
        *by.entry(size_key(r.font_size)).or_default() += r.text.chars().count();
    }
    by.into_iter()
        .max_by_key(|&(s, n)| (n, s))
        .map_or(10.0, |(s, _)| s as f32 / 10.0)
}

/// The font with the most characters.
fn main_font(runs: &[&Run]) -> String {
    let mut by: HashMap<&str, usize> = HashMap::new();
    for r in runs {
        *by.entry(r.font_name.as_str()).or_default() += r.text.len();
    }
    let name = by
        .into_iter()
        .max_by_key(|&(f, n)| (n, f))
        .map_or("", |(f, _)| f);
    font_family(name).to_string()
}

/// A font name without a subset tag: "ABCDEF+" is removed by the run reader; some producers
/// (Advent 3B2) instead prefix six letters, "Cvwwxs" in "CvwwxsAdvTT99c4c969", which differ
/// between subsets of one font.
pub fn font_family(name: &str) -> &str {
    let tag = name.char_indices().nth(6).map_or(0, |(i, _)| i);
    let (head, rest) = name.split_at(tag);
    let tagged = head.chars().count() == 6
        && head.starts_with(|c: char| c.is_ascii_uppercase())
        && head.chars().skip(1).all(|c| c.is_ascii_lowercase())
        && rest.starts_with("AdvTT");
    if tagged {
        rest
    } else {
        name
    }
}

/// The baseline of the line's main-size runs.
fn main_baseline(runs: &[&Run]) -> f32 {
    let size = main_size(runs);
    runs.iter()
        .find(|r| (r.font_size - size).abs() < 0.15)
        .map_or(runs[0].baseline, |r| r.baseline)
}

fn make_line(page: usize, runs: &[&Run]) -> Line {
    let size = main_size(runs);
    let baseline = main_baseline(runs);
    let chars = |f: &dyn Fn(&Run) -> bool| -> usize {
        runs.iter()
            .filter(|r| f(r))
            .map(|r| r.text.chars().count())
            .sum()
    };
    let total = chars(&|_| true).max(1);
    let bold = chars(&|r| r.bold) * 10 >= total * 6;
    let italic = chars(&|r| r.italic) * 10 >= total * 6;
    let mut text = String::new();
    let mut bold_lead = 0;
    // A run-in heading: the line starts in bold, or in a font of its own, up to a "." or ":".
    let lead_font = runs
        .iter()
        .position(|r| r.font_name != runs[0].font_name)
        .filter(|&k| {
            let lead: String = runs[..k].iter().map(|r| r.text.as_str()).collect();
            lead.ends_with(['.', ':'])
                && runs[k..]
                    .iter()
                    .filter(|r| r.font_name == runs[0].font_name)
                    .count()
                    == 0
        });
    // A line mostly in bold holds a run-in lead when the rest is a sentence in another weight
    // ("**Attention and activity control arm** The third group in"): a line of running text.
    let rest: Vec<&str> = runs
        .iter()
        .skip_while(|r| r.bold)
        .flat_map(|r| r.text.split_whitespace())
        .collect();
    let lead_then_sentence = bold
        && rest.len() >= 3
        && rest[0].starts_with(char::is_uppercase)
        && rest.iter().any(|w| w.chars().all(char::is_lowercase));
    let mut lead_open = (runs[0].bold && (!bold || lead_then_sentence)) || lead_font.is_some();
    let mut accent: Option<(char, bool)> = None;
    let mut composed = false;
    let mut in_citation = false;
    for (i, r) in runs.iter().enumerate() {
        // A spacing accent set over the next letter (TeX's \' and friends): combine them.
        let last = r
            .text
            .chars()
            .next_back()
            .and_then(|c| combining_mark(&c.to_string()));
        if let (Some(mark), Some(next)) =
            (last.filter(|_| r.text.chars().count() > 1), runs.get(i + 1))
        {
            // The accent ends this run and sits over the next run's first letter.
            if next.x0 < r.x1 && !next.joined {
                let stripped =
                    &r.text[..r.text.len() - r.text.chars().next_back().map_or(0, char::len_utf8)];
                let t: String = stripped.nfkc().collect();
                if i > 0 && !r.joined {
                    text.push(' ');
                }
                text.push_str(&t);
                accent = Some((mark, true));
                continue;
            }
        }
        if let (Some(mark), Some(next)) = (combining_mark(&r.text), runs.get(i + 1)) {
            if next.x0 < r.x1 + 0.2 * size && next.x1 > r.x0 {
                let glued = i == 0 || r.x0 < runs[i - 1].x1 + 0.3 * size;
                accent = Some((mark, glued));
                continue;
            }
        }
        let mut t: String = r.text.nfkc().collect();
        let mut joined = r.joined;
        if let Some((mark, glued)) = accent.take() {
            let first = t.chars().next().map_or(0, char::len_utf8);
            t.insert(first, mark);
            joined |= glued;
            composed = true;
        }
        let raised = r.font_size < 0.85 * size && r.baseline < baseline - 0.2 * size;
        let cited = raised && t.chars().all(|c| c.is_ascii_digit() || ",–-−".contains(c));
        // A raised letter or symbol after a word is a footnote mark ("Death" + "a"): a word
        // of its own, so that the word is still found.
        let mark = raised
            && t.chars().count() <= 2
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || "*†‡§¶".contains(c))
            && text.ends_with(char::is_alphabetic);
        let citation = cited && t.starts_with(|c: char| c.is_ascii_digit());
        // The rest of a raised citation set in runs of its own ("1" "–" "3"): same brackets.
        if cited && in_citation && text.ends_with(']') {
            text.pop();
            text.push_str(&t.replace(['−', '-'], "–"));
            text.push(']');
            continue;
        }
        in_citation = false;
        if lead_open && (lead_font.map_or(!r.bold, |k| i == k)) {
            bold_lead = text.len();
            lead_open = false;
        }
        if i > 0 {
            // After a word, its punctuation, a closing quote or a percentage ("85%¹²").
            let after_word =
                text.ends_with(|c: char| c.is_alphabetic() || ".,;:)]%”’\"'".contains(c));
            if citation && after_word {
                text.push('[');
                text.push_str(&t.replace(['−', '-'], "–"));
                text.push(']');
                in_citation = true;
                continue;
            }
            if !joined || mark {
                text.push(' ');
            }
        }
        text.push_str(&t);
        if i == 0 && raised && runs.len() > 1 {
            text.push(' '); // a marker before the line ("¹ Department of ...")
        }
    }
    let mut text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.contains([',', '–']) {
        text = close_citations(&text);
    }
    if composed {
        text = text.nfc().collect();
    }
    let bold_lead = if lead_open {
        0
    } else {
        bold_lead.min(text.len())
    };
    let bold_lead = if text.is_char_boundary(bold_lead) {
        bold_lead
    } else {
        0
    };
    let bold = bold && !(lead_then_sentence && bold_lead > 0);
    Line {
        page,
        x0: runs.iter().map(|r| r.x0).fold(f32::MAX, f32::min),
        y0: runs.iter().map(|r| r.y0).fold(f32::MAX, f32::min),
        x1: runs.iter().map(|r| r.x1).fold(f32::MIN, f32::max),
        y1: runs.iter().map(|r| r.y1).fold(f32::MIN, f32::max),
        baseline,
        size,
        font: main_font(runs),
        bold,
        italic,
        text,
        bold_lead,
        column: 0,
        col_left: 0.0,
        col_right: 0.0,
        cell: None,
    }
}

/// Raised citations closed on a separator ("[1,]", "[3–]": the list goes on in a run the line
/// did not hold) written without it.
fn close_citations(text: &str) -> String {
    static OPEN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\[(\d[\d,–]*?)[,–]+\]").unwrap());
    OPEN.replace_all(text, "[$1]").into_owned()
}

/// Drop running heads and footers (text, digits aside, repeated at the same height on two or
/// more pages: with a letter, or in the top or bottom tenth of the page, as a line of only
/// digits and punctuation such as "2007;111:6832–6836." may come back by chance) and page
/// numbers (a bare number in the top or bottom tenth of the page).
fn remove_furniture(lines: &mut [Vec<Line>], pages: &[Page]) {
    let key = |l: &Line| {
        let text: String = l
            .text
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        (text, (l.baseline / 4.0).round() as i64)
    };
    let mut seen: HashMap<(String, i64), HashSet<usize>> = HashMap::new();
    for page in lines.iter() {
        for l in page {
            seen.entry(key(l)).or_default().insert(l.page);
        }
    }
    for (i, page) in lines.iter_mut().enumerate() {
        let height = pages[i].height;
        page.retain(|l| {
            let margin = l.y1 < 0.1 * height || l.y0 > 0.9 * height;
            let number = l.text.chars().all(|c| c.is_ascii_digit());
            let (text, y) = key(l);
            let repeated = (margin || text.chars().any(char::is_alphabetic))
                && seen.get(&(text, y)).is_some_and(|p| p.len() >= 2);
            !(repeated || (margin && number))
        });
    }
}

/// The usual distance between baselines of consecutive body lines, per font size (tenths of a
/// point): the most common one, when it is seen twice or more (a single pair of lines in a
/// size, such as two headings set one under the other, tells no pitch: the caller's default
/// of 1.2 em, the common leading, applies).
fn line_pitch(lines: &[Line]) -> HashMap<i32, f32> {
    let mut by: HashMap<i32, HashMap<i32, usize>> = HashMap::new();
    for w in lines.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let d = b.baseline - a.baseline;
        if a.page == b.page
            && a.column == b.column
            && (a.size - b.size).abs() < 0.2
            && d > 0.0
            && d < 3.0 * a.size
        {
            *by.entry(size_key(a.size))
                .or_default()
                .entry((d * 4.0).round() as i32)
                .or_default() += 1;
        }
    }
    by.into_iter()
        .map(|(s, ds)| {
            let d = ds
                .into_iter()
                .max_by_key(|&(d, n)| (n, -d))
                .filter(|&(_, n)| n >= 2)
                .map_or(0, |(d, _)| d);
            (s, d as f32 / 4.0)
        })
        .collect()
}

/// A font size as a key of tenths of a point, for counting sizes.
pub(super) fn size_key(size: f32) -> i32 {
    (size * 10.0).round() as i32
}

/// Whether a line ends a sentence.
/// Lines grouped into paragraph blocks. A paragraph that a column or page break cuts in
/// mid-sentence resumes after the floats set at the top of the next column or page (tables, and
/// captions or notes in smaller type): its next lowercase line in its own type joins it.
fn paragraphs(lines: Vec<Line>, pitch: HashMap<i32, f32>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // The block the next line may join: the last one, or a paragraph resumed after floats.
    let mut current = 0;
    // Where the second piece of the last line starts, when it was set in pieces.
    let mut hang: Option<f32> = None;
    for line in lines {
        if let Some(prev) = blocks.get_mut(current).and_then(|b| b.lines.last_mut()) {
            if piece_of(prev, &line) {
                hang.get_or_insert(line.x0);
                prev.text.push(' ');
                prev.text.push_str(&line.text);
                prev.x1 = line.x1;
                prev.y0 = prev.y0.min(line.y0);
                prev.y1 = prev.y1.max(line.y1);
                continue;
            }
        }
        let joins = match blocks.get(current).and_then(|b| b.lines.last()) {
            None => false,
            Some(prev) => {
                !breaks(prev, &line, &pitch) || hang.is_some_and(|x| hangs_from(prev, &line, x))
            }
        };
        hang = None;
        if joins {
            blocks[current].lines.push(line);
        } else if let Some(open) = resumed(&blocks, &line) {
            blocks[open].lines.push(line);
            current = open;
        } else {
            blocks.push(Block { lines: vec![line] });
            current = blocks.len() - 1;
        }
    }
    blocks
}

/// The paragraph that `line` resumes after floats: the last block of body text before it, cut
/// at a column or page break in mid-sentence, when every block after it is a float (a table, or
/// text in smaller type) and `line` goes on in the paragraph's type with a lowercase word.
fn resumed(blocks: &[Block], line: &Line) -> Option<usize> {
    let is_float = |b: &Block| b.first().cell.is_some() || b.first().size < line.size - 0.6;
    let open = blocks.iter().rposition(|b| !is_float(b))?;
    let last = blocks[open].lines.last()?;
    let moved = line.page != last.page || line.column != last.column;
    (open + 1 < blocks.len()
        && moved
        && same_type(last, line)
        && last.font == line.font
        && !ends_sentence(&last.text)
        && line.text.starts_with(|c: char| c.is_lowercase()))
    .then_some(open)
}

/// Whether `line` is a piece of `prev` set apart on its baseline in the same column and type:
/// a number set an em before its title ("3.1  Effects of"), or the words of a heading stretched
/// over a narrow column, which the line builder keeps apart as it keeps columns apart.
fn piece_of(prev: &Line, line: &Line) -> bool {
    let em = prev.size.max(1.0);
    prev.cell.is_none()
        && line.cell.is_none()
        && same_column_and_font(prev, line)
        && (prev.baseline - line.baseline).abs() < 0.3 * em
        && line.x0 >= prev.x1 - 0.3 * em
        && line.x0 < prev.x1 + 3.0 * em
}

/// Whether `line` goes on a line set in pieces (`prev`) at a hanging indent: it starts under the
/// second piece (LaTeX hangs a heading's next lines from the title after its number), on the
/// next line in the same type.
fn hangs_from(prev: &Line, line: &Line, x: f32) -> bool {
    let em = prev.size.max(1.0);
    let step = line.baseline - prev.baseline;
    same_column_and_font(prev, line)
        && (line.x0 - x).abs() < 0.3 * em
        && step > 0.3 * em
        && step < 1.6 * em
}

/// Whether two lines are in one column of one page, in one font, size and weight.
fn same_column_and_font(a: &Line, b: &Line) -> bool {
    a.page == b.page && a.column == b.column && a.font == b.font && same_type(a, b)
}

/// Whether two lines are set in one size (within 0.6 point) and weight.
fn same_type(a: &Line, b: &Line) -> bool {
    (a.size - b.size).abs() <= 0.6 && a.bold == b.bold
}

/// Whether `line` starts a new block after `prev`.
fn breaks(prev: &Line, line: &Line, pitch: &HashMap<i32, f32>) -> bool {
    if prev.cell.is_some() || line.cell.is_some() {
        return prev.cell.map(|c| c.0) != line.cell.map(|c| c.0); // a table is one block
    }
    let em = prev.size.max(1.0);
    if !same_type(prev, line) {
        return true;
    }
    if line.bold_lead > 0 {
        return true; // a run-in heading starts a paragraph
    }
    // A short line in a font of its own is a heading (in a bold face the name does not tell).
    if prev.font != line.font
        && prev.text.split(' ').count() <= 8
        && prev.x1 < prev.col_right - 2.0 * em
    {
        return true;
    }
    let moved = line.page != prev.page || line.column != prev.column || line.y0 < prev.y0;
    if moved {
        // Across a column or page break a paragraph goes on while its sentence does.
        return ends_sentence(&prev.text) && !line.text.starts_with(|c: char| c.is_lowercase());
    }
    let step = line.baseline - prev.baseline;
    let usual = pitch
        .get(&size_key(prev.size))
        .copied()
        .filter(|p| *p > 0.0)
        .unwrap_or(1.2 * em);
    if step > 1.3 * usual.max(em) || step < 0.3 * em {
        return true;
    }
    let indent = line.x0 - line.col_left;
    let prev_at_margin = (prev.x0 - prev.col_left).abs() < 0.5 * em;
    if prev_at_margin
        && indent > 0.6 * em
        && indent < 4.0 * em
        && line.width() > 0.5 * (line.col_right - line.col_left)
    {
        return true;
    }
    let short = prev.x1 < prev.col_right - 2.0 * em;
    short && ends_sentence(&prev.text)
}

/// A layout of given blocks on pages of a given size, for tests of the structure.
#[cfg(test)]
pub(super) fn of_blocks(blocks: Vec<Block>, pages: Vec<(f32, f32)>) -> Layout {
    Layout {
        blocks,
        pages,
        joiner: Joiner::default(),
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "superscript_tests.rs"]
mod superscript_tests;
