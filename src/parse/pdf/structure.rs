//! From laid-out blocks to an [`Article`]: title, authors, headings, passages and references.
//!
//! The rules use the document's own font statistics (the body font is the size with the most
//! characters) and typographic conventions shared by publishers:
//! - **title**: the block on page 1 set in the largest type, among blocks of three words or more
//!   (a "Research Article" label or a one-word journal banner is shorter);
//! - **authors**: the block right after the title, when its names are separated by commas and
//!   "and" (superscript affiliation marks dropped);
//! - **abstract**: an "Abstract" heading, else the first long paragraph of prose (not a licence,
//!   nor affiliations); notes on its page set smaller than it (correspondence, licence) are
//!   front matter, not abstract;
//! - **headings**: a short block without a final period set bolder or larger than the body, in
//!   capitals, numbered ("2.1. Cell lines"), or italic on a short line of its own in a font of
//!   its own (third-level headings); the level is the depth of the number, else the rank of the
//!   heading's style (larger, then bold, then upright before italic, then capitals);
//! - **small-type headings** of back matter: a line in a font of its own over a paragraph of its
//!   size, in a style that recurs ("Abbreviations", "Competing interests");
//! - **run-in headings**: a paragraph starting with a few bold words ending in "." or ":", or
//!   followed by a sentence; in small type only once the body has begun;
//! - **captions**: "Figure 2", "Fig. 2", "Table 1" blocks are passages;
//! - **text drawn in figures** (axis ticks, panel letters, labels): the blocks right before a
//!   figure's caption on its page that are not set in the body's type, as a figure sits above
//!   its caption; they join the caption's passage instead of standing as passages of their own;
//! - **reference list**: after a References heading; entries start at the next number of the
//!   list ("1.", "[1]", "1"), else at a line set out left of a hanging indent, else at extra
//!   space between lines, else at a paragraph break or after a line of link labels;
//! - **end of the article**: after the list, a heading in a style new to the article starts
//!   referee reports or other matter that is not the article: its text is kept under that
//!   heading alone.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{size_key, Block, Layout, Line};
use super::tables::table_passages;
use crate::model::{Article, Format, Person};
use crate::parse::lines::{CAPTION, NUMBERED};
use crate::parse::outline::{is_references_heading, Outline};
use crate::reference::names::is_particle;

/// A figure's caption, as opposed to a table's or a box's.
static FIGURE_CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:fig(?:ure)?\.?|scheme|supplementary figure)\s*S?\d+").unwrap()
});
/// A caption's label set apart from its number ("Figure" alone on a justified line).
static CAPTION_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:fig(?:ure)?\.?|table)$").unwrap());
/// The number of a reference-list entry: "12. ", "12 ", "[12] ", or "[12]" set against its text,
/// or "12." against a word (a word processor's list label wider than its indent: "10.Aebi",
/// "12.de Britto").
static ENTRY_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\[(\d{1,3})\]\s*\S|(\d{1,3})(?:[.)]?\s|\.\p{L}))").unwrap());
/// A list label set against the entry's first word: "10.Aebi".
static GLUED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}\.)(\p{L})").unwrap());

/// A heading style: size (tenths of a point), bold, italic, capitals.
type Style = (i32, bool, bool, bool);

struct Doc<'a> {
    layout: &'a Layout,
    body_size: f32,
    body_bold: bool,
    body_font: String,
    styles: Vec<Style>,
    /// Per block: a heading in small type (see [`Doc::small_headings`]).
    small: Vec<bool>,
}

/// Build the article from the layout.
pub fn article(layout: &Layout, id: &str, path: &str) -> Article {
    let (body_size, body_bold) = body_font(layout);
    let mut fonts: std::collections::HashMap<&str, usize> = Default::default();
    for l in layout.blocks.iter().flat_map(|b| &b.lines) {
        *fonts.entry(l.font.as_str()).or_default() += l.text.len();
    }
    let body_font = fonts
        .into_iter()
        .max_by_key(|&(f, n)| (n, f))
        .map_or(String::new(), |(f, _)| f.to_string());
    let mut doc = Doc {
        layout,
        body_size,
        body_bold,
        body_font,
        styles: Vec::new(),
        small: Vec::new(),
    };
    doc.small = doc.small_headings();
    let blocks = &layout.blocks;
    let title_at = title_block(&doc);
    let mut title = None;
    let mut authors = Vec::new();
    let mut start = 0;
    if let Some((from, to)) = title_at {
        let lines: Vec<Line> = blocks[from..to]
            .iter()
            .flat_map(|b| b.lines.clone())
            .collect();
        title = Some(strip_version_note(&strip_marks(&layout.join(&lines))));
        start = to;
        if let Some(block) = blocks.get(to) {
            authors = parse_authors(&layout.join(&block.lines));
            if !authors.is_empty() {
                start = to + 1;
            }
        }
    }
    // Heading styles, ranked: larger first, then bold, then upright before italic (the
    // convention of lower-level headings), then capitals.
    let mut styles: Vec<Style> = (start..blocks.len())
        .filter(|&i| doc.heading(i).is_some())
        .map(|i| style(blocks[i].first()))
        .collect();
    styles
        .sort_by_key(|&(size, bold, italic, caps)| std::cmp::Reverse((size, bold, !italic, caps)));
    styles.dedup();
    doc.styles = styles;

    let mut outline = Outline::with_title(title);
    let mut in_refs = false;
    let mut ref_lines: Vec<Line> = Vec::new();
    let mut front = title_at.is_some();
    let mut top_level = 1;
    // Styles of the article's headings before its reference list.
    let mut used: Vec<Style> = Vec::new();
    // Past the article's end (see `ends_article`): text kept under one heading, no structure.
    let mut beyond = false;
    // The size of the caption being read.
    let mut caption_size: Option<f32> = None;
    // A paragraph in the body's font has been read.
    let mut body_seen = false;
    // The page the abstract starts on (until a heading in another font), and the font and size
    // of its first paragraph once read: notes set on that page are told from it by their type.
    let mut abstract_page: Option<usize> = None;
    let mut abstract_type: Option<(String, f32)> = None;
    let in_figure = figure_text(&doc, start);
    for (i, block) in blocks.iter().enumerate().skip(start) {
        outline.at_page(block.first().page as u32 + 1);
        if in_figure[i] {
            continue;
        }
        let mut text = layout.join(&block.lines);
        // The text drawn in a figure, right before its caption, follows the caption's text.
        let drawn = (start..i).rev().take_while(|&j| in_figure[j]).count();
        for label in &blocks[i - drawn..i] {
            text.push(' ');
            text.push_str(&layout.join(&label.lines));
        }
        if beyond {
            if words(&text) >= 4 {
                outline.passage(text);
            }
            continue;
        }
        let caption = CAPTION.is_match(&text);
        // A caption set smaller than the body goes on over the blocks in its size that follow
        // it ("Figure 1. Sectioned vertebra" then "*R. terraenovae* L5242. Consensus ..."):
        // their bold leads are no run-in headings.
        let small = first_size(block) < doc.body_size - 0.6;
        let run_on = small && caption_size.is_some_and(|s| (first_size(block) - s).abs() < 0.3);
        caption_size =
            (caption || run_on || CAPTION_WORD.is_match(&text)).then(|| first_size(block));
        // A reference list has no small-type headings: its entries are in small type.
        let heading = doc
            .heading(i)
            .filter(|_| !(caption || in_refs && doc.small_heading(i)));
        if let Some(level) = heading {
            caption_size = None;
            if in_refs && !ENTRY_NUMBER.is_match(&text) {
                flush_refs(&doc, &mut ref_lines, &mut outline);
                in_refs = false;
                if ends_article(&used, block.first(), &text) {
                    beyond = true;
                    outline.heading(1, clean_heading(&text));
                    continue;
                }
            }
            if !in_refs {
                used.push(style(block.first()));
                front = false;
                let heading = clean_heading(&text);
                if heading.eq_ignore_ascii_case("abstract") {
                    abstract_page = Some(block.first().page);
                    abstract_type = None;
                } else if abstract_type
                    .as_ref()
                    .is_none_or(|(font, _)| *font != block.first().font)
                {
                    // A heading in another font than the abstract's ends it ("Keywords" in
                    // its font does not).
                    abstract_page = None;
                }
                in_refs = is_references_heading(&heading);
                if !NUMBERED.is_match(&text) {
                    top_level = level;
                }
                outline.heading(level, heading);
                continue;
            }
        }
        if in_refs {
            ref_lines.extend(block.lines.iter().cloned());
            continue;
        }
        let first = block.first();
        // Front matter between the title and the first heading: affiliations, dates, licence.
        // Only a paragraph set like the body (the abstract) is kept.
        // The abstract: the first long paragraph of prose, not a licence or copyright statement
        // nor a list of affiliations.
        if front && words(&text) > 40 && !is_licence(&text) && !mostly_capitalised(&text) {
            front = false;
            outline.heading(1, "Abstract".into());
            top_level = 1;
            abstract_page = Some(block.first().page);
            abstract_type = None;
        }
        if front {
            continue;
        }
        // Notes set beside or under the abstract on its page (correspondence, licence) are front
        // matter, not abstract text.
        if abstract_page == Some(first.page) && first.cell.is_none() && !caption && !run_on {
            match &abstract_type {
                Some(set) => {
                    // The note's lines: those in its first line's type. The lines after them
                    // (the abstract's text the layout read on with it) stay.
                    let n = block
                        .lines
                        .iter()
                        .take_while(|l| same_face(l, first))
                        .count();
                    if is_front_note(set, first, &layout.join(&block.lines[..n])) {
                        let rest = layout.join(&block.lines[n..]);
                        if words(&rest) >= 4 {
                            outline.passage(rest);
                        }
                        continue;
                    }
                }
                None if words(&text) >= 4 => {
                    abstract_type = Some((first.font.clone(), first.size));
                }
                None => {}
            }
        }
        if first.cell.is_some() {
            for passage in table_passages(layout, &block.lines) {
                outline.passage(passage);
            }
            continue;
        }
        // Before the first paragraph of the body, a run-in lead in small type labels front
        // matter ("Copyright:", "Received:", "Competing interests:" on a first page), not a
        // section; after it, back matter in small type has run-in headings of its own.
        if first.bold_lead > 0
            && !caption
            && !run_on
            && starts_heading(&first.text)
            && (first.size >= doc.body_size - 0.6 || body_seen)
        {
            let lead = &first.text[..first.bold_lead];
            let words_in_lead = lead.split_whitespace().count();
            if words_in_lead <= 8
                && (lead.trim_end().ends_with(['.', ':']) || lead_then_sentence(first))
            {
                let heading = clean_heading(lead);
                let level = if heading.eq_ignore_ascii_case("abstract") {
                    abstract_page = Some(first.page);
                    abstract_type = Some((first.font.clone(), first.size));
                    1
                } else {
                    top_level + 1
                };
                outline.heading(level, heading);
                let rest = text[first.bold_lead.min(text.len())..].trim();
                outline.passage(rest.to_string());
                continue;
            }
        }
        if words(&text) < 4 {
            continue; // labels inside figures, table cells read one by one
        }
        body_seen |= doc.in_body_type(first);
        outline.passage(text);
    }
    if in_refs {
        flush_refs(&doc, &mut ref_lines, &mut outline);
    }
    let mut article = outline.finish(id, path, Format::Pdf);
    article.authors = authors;
    let front = super::published::front_text(layout);
    article.year = super::published::year_in(&front);
    article.doi = super::doi::doi(layout, &front);
    article
}

/// Per block: whether it is text drawn in a figure (axis ticks, panel letters, labels). Those
/// are the blocks right before a figure caption on its page, back to the first one set in the
/// body's type, a heading, or another caption; when that is a table's caption, the blocks are
/// the table's, not the figure's.
fn figure_text(doc: &Doc, start: usize) -> Vec<bool> {
    let blocks = &doc.layout.blocks;
    let mut drawn = vec![false; blocks.len()];
    for (c, block) in blocks.iter().enumerate().skip(start) {
        if !FIGURE_CAPTION.is_match(&block.first().text) {
            continue;
        }
        let page = block.first().page;
        let mut from = c;
        for j in (start..c).rev() {
            let first = blocks[j].first();
            // (any line: a paragraph may open with a run-in heading in italics)
            let body_type = blocks[j].lines.iter().any(|l| doc.in_body_type(l));
            if first.page != page || body_type || doc.heading(j).is_some() {
                break;
            }
            if CAPTION.is_match(&first.text) || CAPTION_WORD.is_match(&first.text) {
                if !FIGURE_CAPTION.is_match(&first.text) {
                    from = c; // a table's caption: its cells
                }
                break;
            }
            from = j;
        }
        drawn[from..c].iter_mut().for_each(|d| *d = true);
    }
    drawn
}

fn first_size(block: &Block) -> f32 {
    block.first().size
}

/// A licence or copyright statement of the front matter.
fn is_licence(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["©", "copyright", "licen", "creative commons"]
        .iter()
        .any(|w| lower.contains(w))
}

/// A note of the front matter set in the abstract's column, told from the abstract by its type
/// (the abstract's first paragraph was `set` in that font and size): smaller type, as publishers
/// set correspondence and licence notes at the foot of the first page, or a licence statement in
/// another font.
fn is_front_note(set: &(String, f32), first: &Line, text: &str) -> bool {
    first.size < set.1 - 0.6 || first.font != set.0 && is_licence(text)
}

/// Whether two lines are set in one font and size (within 0.3 point).
fn same_face(a: &Line, b: &Line) -> bool {
    a.font == b.font && (a.size - b.size).abs() < 0.3
}

/// Whether most of the words of `text` start with a capital: a list of names, affiliations and
/// addresses ("1 Department of Radiology, San Paolo Hospital, Bari, Italy"), not prose.
fn mostly_capitalised(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase)
        })
        .count();
    2 * capitalised > words.len()
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The body font: the size (and weight) with the most characters.
fn body_font(layout: &Layout) -> (f32, bool) {
    let mut by: std::collections::HashMap<(i32, bool), usize> = Default::default();
    for l in layout.blocks.iter().flat_map(|b| &b.lines) {
        *by.entry((size_key(l.size), l.bold)).or_default() += l.text.len();
    }
    by.into_iter()
        .max_by_key(|&(k, n)| (n, k))
        .map_or((10.0, false), |((s, b), _)| (s as f32 / 10.0, b))
}

fn style(l: &Line) -> Style {
    let caps = l.text.chars().any(char::is_alphabetic) && !l.text.chars().any(char::is_lowercase);
    ((l.size * 2.0).round() as i32 * 5, l.bold, l.italic, caps)
}

/// A bold run-in lead without punctuation, followed by a sentence: "**Usual care control arm**
/// Usual care for this study..." (BMC's run-in headings). Only bold counts here: a lead in a
/// font of its own ends with "." or ":" (see [`super::layout`]).
fn lead_then_sentence(first: &Line) -> bool {
    let (lead, rest) = first.text.split_at(first.bold_lead);
    let rest: Vec<&str> = rest.split_whitespace().collect();
    lead.split_whitespace().count() >= 2
        && !lead.trim_end().ends_with([',', ';', '-', '–', '('])
        && rest.len() >= 3
        && rest[0].starts_with(char::is_uppercase)
        && rest[0].chars().filter(|c| c.is_alphabetic()).count() >= 2
        && rest
            .iter()
            .take(6)
            .any(|w| w.chars().all(char::is_lowercase))
}

/// What a heading starts with: a capital, a digit, or a symbol written in mixed case ("pH and
/// temperature", "cDNA synthesis", "mRNA levels"); a run-in lead "et al." is no heading.
fn starts_heading(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let word = text.split_whitespace().next().unwrap_or_default();
    first.is_uppercase()
        || first.is_ascii_digit()
        || word
            .chars()
            .skip(1)
            .any(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// After the reference list, a heading in a style that none of the article's headings before
/// the list used starts what is not the article: peer review reports, author responses, a
/// publisher's notice (JATS holds the reports as `sub-article`s, outside `body` and `back`, and
/// the JATS reader leaves them out too). An appendix in the article's heading style, or
/// numbered, goes on.
fn ends_article(used: &[Style], first: &Line, text: &str) -> bool {
    !used.is_empty() && !used.contains(&style(first)) && !NUMBERED.is_match(text)
}

impl Doc<'_> {
    /// Whether `line` is set in the body's font and size.
    fn in_body_type(&self, line: &Line) -> bool {
        line.font == self.body_font && (line.size - self.body_size).abs() < 0.6
    }

    /// The shape of a heading set in small type, as back matter often is ("Abbreviations",
    /// "Competing interests", "Authors' contributions" in smaller type than the body): one line
    /// of a few words of letters at its column's left edge, upright, in a font of its own,
    /// followed by a paragraph of the same size in another font that starts at the same edge.
    fn small_heading_shape(&self, i: usize) -> Option<(i32, &str)> {
        let blocks = &self.layout.blocks;
        let (block, next) = (&blocks[i], blocks.get(i + 1)?);
        let (first, after) = (block.first(), next.first());
        let text = &first.text;
        let n = words(text);
        let lettered = text
            .chars()
            .all(|c| c.is_alphabetic() || " '’-&/,".contains(c));
        let at_edge = |l: &Line| (l.x0 - l.col_left).abs() < 0.5 * l.size;
        let ok = block.lines.len() == 1
            && (1..=6).contains(&n)
            && lettered
            && text.starts_with(char::is_uppercase)
            && text.chars().filter(|c| c.is_alphabetic()).count() >= 5
            && !first.italic
            && first.cell.is_none()
            && first.size < self.body_size - 0.6
            && at_edge(first)
            && after.cell.is_none()
            && (after.size - first.size).abs() < 0.3
            && after.font != first.font
            && at_edge(after)
            && words(&self.layout.join(&next.lines)) >= 5
            && !CAPTION.is_match(&after.text);
        ok.then(|| (size_key(first.size), first.font.as_str()))
    }

    /// Which blocks are headings in small type: of that shape, in a style (size, font) that
    /// heads two paragraphs or more, so a label in a figure or a lone line of other type is not
    /// one.
    fn small_headings(&self) -> Vec<bool> {
        let shapes: Vec<Option<(i32, &str)>> = (0..self.layout.blocks.len())
            .map(|i| self.small_heading_shape(i))
            .collect();
        let mut count: std::collections::HashMap<(i32, &str), usize> = Default::default();
        for k in shapes.iter().flatten() {
            *count.entry(*k).or_default() += 1;
        }
        shapes
            .iter()
            .map(|k| k.is_some_and(|k| count[&k] >= 2))
            .collect()
    }

    /// Block `i` is a heading in small type, in one of the document's small heading styles.
    fn small_heading(&self, i: usize) -> bool {
        self.small[i]
    }

    /// The heading level of block `i` when it is a heading.
    fn heading(&self, i: usize) -> Option<usize> {
        let block = &self.layout.blocks[i];
        let first = block.first();
        if first.cell.is_some() {
            return None; // a table
        }
        let text = self.layout.join(&block.lines);
        let n = words(&text);
        if n == 0 || n > 20 || text.len() < 3 {
            return None;
        }
        if !starts_heading(&text) {
            return None;
        }
        if text.ends_with(['.', ',', ';']) && !text.ends_with("et al.") && n > 3 {
            return None;
        }
        let named = is_references_heading(&clean_heading(&text))
            || clean_heading(&text).eq_ignore_ascii_case("abstract");
        if self.small_heading(i) {
            return Some(1); // back matter: sections of the article's top level
        }
        if (first.size < self.body_size - 0.6 && !named) || !text.chars().any(char::is_alphabetic) {
            return None;
        }
        // A heading has a word of four letters or more: "17 H", "B, C" or "Mr (kDa)" are the
        // labels of a figure.
        if !text
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.chars().count() >= 4)
        {
            return None;
        }
        let bolder = first.bold && !self.body_bold;
        let larger = first.size > self.body_size + 0.9;
        // A heading is not running text: no sentence ends inside it (numbered ones aside).
        static SENTENCE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\p{Ll}[.?!] \p{Lu}").unwrap());
        if SENTENCE.is_match(&text) && !NUMBERED.is_match(&text) {
            return None;
        }
        // Capitals: words of letters ("METHODS", "CASE REPORT"), not a table's acronyms and
        // figures ("PSQI", "83.8 WASO").
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let caps = !text.chars().any(char::is_lowercase)
            && n <= 8
            && letters * 100 >= 85 * text.chars().filter(|c| !c.is_whitespace()).count()
            && text
                .split(' ')
                .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 5);
        let numbered = NUMBERED.captures(&text);
        if numbered
            .as_ref()
            .is_some_and(|c| next_to_list_item(&c[1], &self.layout.blocks, i))
        {
            return None;
        }
        let numbered_ok = numbered.is_some() && n <= 12 && block.lines.len() == 1;
        // Set in a font of its own (a bold face the font names do not tell), on a line or two.
        // Italic on a line of its own that stops short of the column's end: the convention of
        // third-level headings ("Identification"), which an italic phrase set in running text
        // or a figure label is not (it shares its line, or runs on).
        let italic_ok = !first.italic
            || (block.lines.len() == 1
                && n <= 8
                && first.x1 < first.col_right - 2.0 * first.size
                && !text.ends_with(['.', ',', ';', ':']));
        let distinct = first.font != self.body_font
            && italic_ok
            && block.lines.len() <= 2
            && n <= 12
            && (first.size - self.body_size).abs() < 1.5;
        if !(distinct
            || bolder
            || larger
            || caps
            || numbered_ok
            || (named && block.lines.len() == 1))
        {
            return None;
        }
        if let Some(c) = numbered {
            return Some(c[1].split('.').count());
        }
        let rank = self
            .styles
            .iter()
            .position(|s| *s == style(first))
            .unwrap_or(0);
        // The rank itself, uncapped: an appendix in display styles of its own (referee reports)
        // must not push the article's heading levels together.
        Some(rank + 1)
    }
}

/// Whether a block numbered `number` is next to an item numbered one less or one more (before
/// or after it), in its type: an item of a numbered list ("3. Since receiving your
/// medication..." then "4. Would you like to speak to a pharmacist?"). Numbered headings have
/// text between them.
fn next_to_list_item(number: &str, blocks: &[Block], i: usize) -> bool {
    let Ok(n) = number.parse::<u32>() else {
        return false;
    };
    let first = blocks[i].first();
    let item = |j: usize, want: u32| {
        blocks.get(j).is_some_and(|b| {
            same_face(b.first(), first) && entry_number(&b.first().text) == Some(want)
        })
    };
    (n > 1 && i > 0 && item(i - 1, n - 1)) || item(i + 1, n + 1)
}

/// A heading without its trailing punctuation and number of superscript marks.
fn clean_heading(text: &str) -> String {
    text.trim().trim_end_matches(['.', ':']).trim().to_string()
}

/// Title text without superscript marks ("[1]", "*").
fn strip_marks(text: &str) -> String {
    static MARKS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[[\d,–]+\]|[*†‡§]").unwrap());
    MARKS
        .replace_all(text, "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A title without the bracketed version and review-status note set after it, as in
/// "... estimates [v2; ref status: indexed, http://f1000r.es/4fj]" (the convention of the
/// F1000 publishing platform, shared by Wellcome Open Research and Gates Open Research: a final
/// bracket holding a version number and a semicolon).
fn strip_version_note(title: &str) -> String {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*\[(?i:v|version)\s*\d+;[^\]]*\]$").unwrap());
    NOTE.replace(title, "").into_owned()
}

/// The blocks `from..to` that hold the title: on page 1, the largest type among blocks of at
/// least three words with letters, in the top 60% of the page; with the blocks right after it in
/// the same type.
fn title_block(doc: &Doc) -> Option<(usize, usize)> {
    let blocks = &doc.layout.blocks;
    let height = doc.layout.pages.first()?.1;
    let score = |b: &Block| {
        let first = b.first();
        let text = doc.layout.join(&b.lines);
        let lettered = text
            .split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .count();
        let ok = first.page == 0 && first.y0 < 0.6 * height && lettered >= 3 && b.lines.len() <= 5;
        ok.then_some(first.size + if first.bold { 0.3 } else { 0.0 })
    };
    let (from, best) = blocks
        .iter()
        .enumerate()
        .take_while(|(_, b)| b.first().page == 0)
        .filter_map(|(i, b)| score(b).map(|s| (i, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    if best < doc.body_size + 1.0 {
        return None;
    }
    let size = blocks[from].first().size;
    let mut to = from + 1;
    while to < blocks.len()
        && to - from < 3
        && (blocks[to].first().size - size).abs() < 0.3
        && blocks[to].first().page == 0
    {
        to += 1;
    }
    Some((from, to))
}

/// Authors from a byline such as "Hyun Joo Song,[1] Jeong Seop Moon,[2] and Ki-Nam Shim[3]":
/// names separated by commas, "and" or "&", each two to four capitalised words, and a lowercase
/// particle before the surname ("Maurits W van Tulder").
fn parse_authors(text: &str) -> Vec<Person> {
    let clean = strip_marks(text)
        .replace(" and ", ", ")
        .replace(" & ", ", ");
    let mut people = Vec::new();
    for name in clean.split([',', ';']) {
        let name = name.trim().trim_end_matches(|c: char| {
            c.is_ascii_digit() || "abcdef".contains(c) && name.len() < 3
        });
        let parts: Vec<&str> = name.split_whitespace().collect();
        if name.is_empty() {
            continue;
        }
        // A lowercase particle ("van", "de") may stand between given names and surname.
        let last = parts.len().saturating_sub(1);
        let particle = |i: usize, p: &str| i > 0 && i < last && is_particle(p);
        let capitalised = parts.iter().enumerate().all(|(i, p)| {
            (p.starts_with(|c: char| c.is_uppercase()) || particle(i, p))
                && p.chars().all(|c| c.is_alphabetic() || "-.'’".contains(c))
        });
        let particles = (0..parts.len()).filter(|&i| particle(i, parts[i])).count();
        if !(2..=4).contains(&(parts.len() - particles)) || !capitalised {
            return Vec::new(); // not a byline
        }
        let surname_at = (1..last).find(|&i| particle(i, parts[i])).unwrap_or(last);
        let surname = parts[surname_at..].join(" ");
        let initials = parts[..surname_at]
            .iter()
            .flat_map(|p| p.split('-').filter_map(|s| s.chars().next()))
            .collect();
        people.push(Person { surname, initials });
    }
    people
}

/// Split the lines of the reference list into entries and add them (link labels left out).
fn flush_refs(doc: &Doc, lines: &mut Vec<Line>, outline: &mut Outline) {
    let lines = std::mem::take(lines);
    for entry in split_entries(&lines) {
        let text: Vec<Line> = entry
            .iter()
            .filter(|l| !is_link_labels(&l.text))
            .cloned()
            .collect();
        if !text.is_empty() {
            let raw = doc.layout.join(&text);
            outline.reference(GLUED_NUMBER.replace(&raw, "$1 $2").into_owned());
        }
    }
}

/// A line of the link labels that publishers print after a reference-list entry: "Publisher
/// Full Text", "PubMed Abstract", "Reference Source" (F1000Research), "[PubMed] [Google
/// Scholar]" (PMC), "Crossref | PubMed | Web of Science" (Wiley). Such a line ends its entry.
fn is_link_labels(text: &str) -> bool {
    static LABELS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:[\[(]?(?:publisher full text|reference source|pubmed abstract|pubmed central|pmc free article|free full text|full text|google scholar|pubmed|medline|crossref|cross ref|web of science(?: ®)?|scopus|cas|isi|publisher site)[\])]?\s*[|,;]?\s*)+$",
        )
        .unwrap()
    });
    LABELS.is_match(text.trim())
}

/// Entries set apart by extra space: a step between the baselines of a column wider than the
/// step inside an entry (the lower quartile of the steps) starts an entry. Across a column or
/// page break, a line of link labels or a period ends one. Empty when the list's lines are
/// evenly spaced.
fn spaced_starts(lines: &[Line]) -> Vec<usize> {
    let step = |i: usize| {
        let (p, l) = (&lines[i - 1], &lines[i]);
        (l.page == p.page && l.column == p.column && l.baseline > p.baseline)
            .then_some(l.baseline - p.baseline)
    };
    let mut steps: Vec<f32> = (1..lines.len()).filter_map(step).collect();
    if steps.len() < 4 {
        return Vec::new();
    }
    steps.sort_by(f32::total_cmp);
    let usual = steps[steps.len() / 4];
    let wide = |s: f32| s > 1.15 * usual && s - usual > 0.1 * lines[0].size;
    let gaps = steps.iter().filter(|&&s| wide(s)).count();
    // Entries of up to ten lines or so: a few wide steps in an even list are no entries.
    if gaps < 2 || gaps * 10 < steps.len() {
        return Vec::new();
    }
    (0..lines.len())
        .filter(|&i| {
            i == 0
                || match step(i) {
                    Some(s) => wide(s),
                    None => {
                        let p = &lines[i - 1].text;
                        is_link_labels(p) || p.ends_with('.')
                    }
                }
        })
        .collect()
}

/// The number a reference-list entry starts with.
fn entry_number(text: &str) -> Option<u32> {
    let c = ENTRY_NUMBER.captures(text)?;
    c.get(1).or(c.get(2))?.as_str().parse().ok()
}

/// Entries of a reference list: by their numbers, by hanging indent, or by paragraph breaks.
fn split_entries(lines: &[Line]) -> Vec<&[Line]> {
    let mut starts = Vec::new();
    // Numbered lists: a line starting with the next number.
    let mut expected = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(n) = entry_number(&l.text) {
            if expected.is_none_or(|e| n == e) && (expected.is_some() || n <= 1 || i == 0) {
                starts.push(i);
                expected = Some(n + 1);
            }
        }
    }
    if starts.len() < 3 {
        // Hanging indent: entries start at the column's left edge, their other lines indented.
        let offset = |l: &Line| l.x0 - l.col_left;
        let indented = lines
            .iter()
            .filter(|l| offset(l) > 0.6 * l.size && offset(l) < 4.0 * l.size)
            .count();
        starts = (0..lines.len())
            .filter(|&i| offset(&lines[i]) < 0.5 * lines[i].size)
            .collect();
        let flush = indented * 5 < lines.len() || starts.len() < 2;
        let spaced = if flush {
            spaced_starts(lines)
        } else {
            Vec::new()
        };
        if spaced.len() >= 2 {
            starts = spaced;
        } else if flush {
            // Flush-left entries: one per paragraph (a short line ending with a period ends one),
            // or ended by a line of link labels.
            starts = (0..lines.len())
                .filter(|&i| {
                    i == 0 || {
                        let p = &lines[i - 1];
                        p.x1 < p.col_right - 2.0 * p.size && p.text.ends_with('.')
                            || lines[i].page != p.page && p.text.ends_with('.')
                            || is_link_labels(&p.text) && !is_link_labels(&lines[i].text)
                    }
                })
                .collect();
        }
    }
    if starts.first() != Some(&0) && !lines.is_empty() {
        starts.insert(0, 0);
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| &lines[s..starts.get(k + 1).copied().unwrap_or(lines.len())])
        .collect()
}

#[cfg(test)]
#[path = "structure_tests.rs"]
mod tests;
