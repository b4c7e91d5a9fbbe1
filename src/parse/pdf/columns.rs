//! Columns of a page and its reading order.
//!
//! A gutter is a vertical strip of white that (almost) no line of running text crosses, with
//! text set side by side on both sides of it. Lines that cross a gutter span the columns (a
//! title, a wide figure or table) and cut the page into bands, each read column by column, left
//! to right. Two columns are the common case; three columns of narrower lines are the other
//! convention (reference lists and back matter set in small type, magazine layouts), looked for
//! when a page has no two-column gutter. In a document set in columns, a page where one column
//! is a table or a sidebar of short lines keeps its gutter too (see [`text_beside`]).

use std::collections::HashMap;

use super::layout::{size_key, Line};
use super::tables::rows_across;

/// The gutters of each page (`lines` per page, `widths` of the pages): two or three columns
/// found on the page itself, else, in a document set in columns (the same two-column gutter
/// found on two pages or more), a column of running text beside a table or sidebar.
pub(super) fn document_gutters(lines: &[Vec<Line>], widths: &[f32]) -> Vec<Vec<f32>> {
    let mut found: Vec<Vec<f32>> = lines
        .iter()
        .zip(widths)
        .map(|(l, &w)| page_gutters(l, w))
        .collect();
    let two: Vec<f32> = found
        .iter()
        .filter(|g| g.len() == 1)
        .map(|g| g[0])
        .collect();
    let in_columns = two
        .iter()
        .enumerate()
        .any(|(i, a)| two[i + 1..].iter().any(|b| (a - b).abs() <= 3.0));
    if !in_columns {
        return found;
    }
    for ((page, gutters), &w) in lines.iter().zip(&mut found).zip(widths) {
        if gutters.is_empty() {
            gutters.extend(text_beside(page, w));
        }
    }
    found
}

/// The gutters a page shows by itself: two columns, else three, else none.
pub(super) fn page_gutters(lines: &[Line], width: f32) -> Vec<f32> {
    match gutter(lines, width) {
        Some(x) => vec![x],
        None => three_columns(lines, width).map_or(Vec::new(), |(a, b)| vec![a, b]),
    }
}

/// The page's lines in reading order, with their columns split at `gutters`.
pub(super) fn reading_order(mut lines: Vec<Line>, gutters: &[f32]) -> Vec<Line> {
    lines.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    if gutters.is_empty() {
        let (left, right) = edges(&lines);
        for l in &mut lines {
            (l.col_left, l.col_right) = (left, right);
        }
        return lines;
    }
    for l in &mut lines {
        l.column = column_of(l, gutters);
    }
    for column in 0..=gutters.len() as u8 + 1 {
        let (left, right) = edges(lines.iter().filter(|l| l.column == column));
        for l in lines.iter_mut().filter(|l| l.column == column) {
            (l.col_left, l.col_right) = (left, right);
        }
    }
    let mut cuts = shared_gaps(&lines, gutters.len() as u8 + 1)
        .into_iter()
        .peekable();
    let mut out = Vec::with_capacity(lines.len());
    let mut band: Vec<Line> = Vec::new();
    let flush = |band: &mut Vec<Line>, out: &mut Vec<Line>| {
        if rows_across(band) {
            // A table whose columns the gutter search took for columns of text: one column.
            let (left, right) = edges(band.iter());
            for l in band.iter_mut() {
                (l.column, l.col_left, l.col_right) = (0, left, right);
            }
        } else {
            band.sort_by_key(|l| l.column); // stable: top to bottom within a column
        }
        out.append(band);
    };
    for l in lines {
        if cuts.next_if(|&y| l.y0 > y).is_some() {
            flush(&mut band, &mut out);
        }
        if l.column == 0 {
            flush(&mut band, &mut out);
            out.push(l);
        } else {
            band.push(l);
        }
    }
    flush(&mut band, &mut out);
    out
}

/// Heights where every column has a wide white gap (over 2.5 line heights) and the page is cut
/// into bands read one after the other: the convention of a section set below the end of the
/// columns above it (a reference list under the last paragraphs), or of a figure or table
/// across the page whose own text is not there. A cut counts where every column has text above
/// it and below it: a column that ends above it (its last lines) or starts below it (under a
/// figure) is read whole, as before.
fn shared_gaps(lines: &[Line], columns: u8) -> Vec<f32> {
    let mut heights: Vec<f32> = lines.iter().map(|l| l.y1 - l.y0).collect();
    heights.sort_by(f32::total_cmp);
    let wide = 2.5 * heights.get(heights.len() / 2).copied().unwrap_or(10.0);
    // Per column: its lines' tops and bottoms, top to bottom (lines are sorted by y0).
    let spans: Vec<Vec<(f32, f32)>> = (1..=columns)
        .map(|c| {
            let mut spans: Vec<(f32, f32)> = Vec::new();
            for l in lines.iter().filter(|l| l.column == c) {
                match spans.last_mut() {
                    Some(s) if l.y0 - s.1 <= wide => s.1 = s.1.max(l.y1),
                    _ => spans.push((l.y0, l.y1)),
                }
            }
            spans
        })
        .collect();
    let free = |c: usize, y: f32| spans[c].iter().all(|&(a, b)| y < a || y > b);
    let mut cuts = Vec::new();
    // Candidates: the top of each stretch of text in the first column, just above it.
    for &(top, _) in spans.first().map_or(&[][..], |s| &s[1.min(s.len())..]) {
        let y = top - 0.5;
        let both_sides = (0..spans.len())
            .all(|c| spans[c].iter().any(|s| s.1 < y) && spans[c].iter().any(|s| s.0 > y));
        if both_sides && (0..spans.len()).all(|c| free(c, y)) {
            cuts.push(y);
        }
    }
    cuts
}

/// The column of a line between the gutters (1 the leftmost), 0 when it crosses one.
fn column_of(l: &Line, gutters: &[f32]) -> u8 {
    if gutters.iter().any(|&g| l.x0 < g && l.x1 > g) {
        return 0;
    }
    1 + gutters.iter().filter(|&&g| l.x0 >= g).count() as u8
}

/// Left and right edge of a column: the most common line start and the furthest line end.
fn edges<'a>(lines: impl IntoIterator<Item = &'a Line>) -> (f32, f32) {
    let mut starts: HashMap<i32, usize> = HashMap::new();
    let mut right = f32::MIN;
    for l in lines {
        *starts.entry(l.x0.round() as i32).or_default() += 1;
        right = right.max(l.x1);
    }
    let left = starts
        .into_iter()
        .max_by_key(|&(x, n)| (n, -x))
        .map_or(0.0, |(x, _)| x as f32);
    (left, right)
}

/// Between `from` and `to`, the middle of the widest strip of x that the fewest of `lines`
/// cross, with that number.
fn clearest_strip(lines: &[&Line], from: f32, to: f32) -> Option<(f32, usize)> {
    let (from, to) = (from as i32, to as i32);
    let crossing = |x: f32| lines.iter().filter(|l| l.x0 < x && l.x1 > x).count();
    let counts: Vec<(i32, usize)> = (from..=to).map(|x| (x, crossing(x as f32))).collect();
    let least = counts.iter().map(|c| c.1).min()?;
    let (mut best, mut start) = ((0, 0), None);
    for &(x, n) in counts.iter().chain(std::iter::once(&(to + 1, usize::MAX))) {
        match (n == least, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                if x - s > best.1 - best.0 {
                    best = (s, x);
                }
                start = None;
            }
            _ => {}
        }
    }
    Some(((best.0 + best.1) as f32 / 2.0, least))
}

/// The lines wider than `min` and narrower than `max`, when there are at least `count`.
fn widths_between(lines: &[Line], min: f32, max: f32, count: usize) -> Option<Vec<&Line>> {
    let found: Vec<&Line> = lines
        .iter()
        .filter(|l| l.width() > min && l.width() < max)
        .collect();
    (found.len() >= count).then_some(found)
}

/// Whether two lines share a height on the page.
fn same_height(a: &Line, b: &Line) -> bool {
    b.y0 < a.y1 && a.y0 < b.y1
}

/// The x of the gutter between two columns: the middle of the widest strip in the middle of the
/// page that the fewest column-wide lines cross (lines spanning the page, such as a title or an
/// abstract set across, are left out), when few cross it and many lie on each side.
pub(super) fn gutter(lines: &[Line], width: f32) -> Option<f32> {
    // Lines of running text in a column: between a quarter and 55% of the page wide (table
    // cells and labels are narrower, spanning lines wider).
    let narrow = widths_between(lines, 0.25 * width, 0.55 * width, 10)?;
    let (x, least) = clearest_strip(&narrow, 0.3 * width, 0.7 * width)?;
    let left: Vec<&&Line> = narrow.iter().filter(|l| l.x1 <= x).collect();
    let right: Vec<&&Line> = narrow.iter().filter(|l| l.x0 >= x).collect();
    if left.len() < 5 || right.len() < 5 {
        return None;
    }
    // Two columns set text side by side: lines of the left column with a line of the right one
    // at the same height. Between the first and last of these rows, few lines may cross the
    // gutter (a byline or affiliation set across above the columns does not count).
    let rows: Vec<&&&Line> = left
        .iter()
        .filter(|a| right.iter().any(|b| same_height(a, b)))
        .collect();
    let top = rows.iter().map(|l| l.y0).fold(f32::MAX, f32::min);
    let bottom = rows.iter().map(|l| l.y1).fold(f32::MIN, f32::max);
    let intruders = narrow
        .iter()
        .filter(|l| l.x0 < x && l.x1 > x && l.y0 >= top && l.y1 <= bottom)
        .count();
    let side_by_side = rows.len();
    (least * 12 <= narrow.len() || (side_by_side >= 5 && intruders * 4 <= side_by_side))
        .then_some(x)
}

/// The gutter of a page where one side holds a column of running text and the other a table or
/// a sidebar, set in smaller type as tables and sidebars are, which the search for two columns
/// of text-wide lines misses. The gutter is the clearest strip in the middle of the page for
/// lines narrower than 55% of the page. On one side at least five lines of running text (a
/// quarter of the page wide or more) each have a line of the other side at the same height, and
/// the other side's lines there are set smaller. The gutter is then put in the middle of the
/// white beside the text's edge. No line crosses it between the first and the last of those
/// lines, and elsewhere on the page at most one text-wide line for four of them crosses the
/// strip (a byline set across above): a strip that cuts the text of a column is no gutter.
pub(super) fn text_beside(lines: &[Line], width: f32) -> Option<f32> {
    let unspanned: Vec<&Line> = lines.iter().filter(|l| l.width() < 0.55 * width).collect();
    let (x, _) = clearest_strip(&unspanned, 0.3 * width, 0.7 * width)?;
    let text = |l: &Line| l.width() > 0.25 * width;
    let crosses = |l: &&Line| l.x0 < x && l.x1 > x;
    let cut = unspanned.iter().filter(|l| crosses(l) && text(l)).count();
    let left: Vec<&Line> = unspanned.iter().copied().filter(|l| l.x1 <= x).collect();
    let right: Vec<&Line> = unspanned.iter().copied().filter(|l| l.x0 >= x).collect();
    // The gutter beside the running text of `side`, the middle of the white between its edge
    // (the right end of its lines, or their most common start) and the lines of `other`.
    let beside = |side: &[&Line], other: &[&Line], on_left: bool| -> Option<f32> {
        let rows: Vec<&Line> = side
            .iter()
            .copied()
            .filter(|l| text(l) && other.iter().any(|o| same_height(l, o)))
            .collect();
        if rows.len() < 5 || cut * 4 > rows.len() {
            return None;
        }
        let top = rows.iter().map(|l| l.y0).fold(f32::MAX, f32::min);
        let bottom = rows.iter().map(|l| l.y1).fold(f32::MIN, f32::max);
        let there: Vec<&Line> = other
            .iter()
            .copied()
            .filter(|l| l.y1 > top && l.y0 < bottom)
            .collect();
        if main_size(there.iter().copied()) + 0.5 > main_size(rows.iter().copied()) {
            return None;
        }
        let gutter = if on_left {
            let edge = rows.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
            let next = there.iter().map(|l| l.x0).filter(|&x| x >= edge);
            (edge + next.fold(x, f32::min)) / 2.0
        } else {
            let (edge, _) = edges(rows.iter().copied());
            let next = there.iter().map(|l| l.x1).filter(|&x| x <= edge);
            (edge + next.fold(x, f32::max)) / 2.0
        };
        let crossed = unspanned
            .iter()
            .any(|l| l.x0 < gutter && l.x1 > gutter && l.y1 > top && l.y0 < bottom);
        (!crossed).then_some(gutter)
    };
    beside(&left, &right, true).or_else(|| beside(&right, &left, false))
}

/// The font size of the most characters among `lines`.
fn main_size<'a>(lines: impl Iterator<Item = &'a Line>) -> f32 {
    let mut by: HashMap<i32, usize> = HashMap::new();
    for l in lines {
        *by.entry(size_key(l.size)).or_default() += l.text.len();
    }
    by.into_iter()
        .max_by_key(|&(s, n)| (n, -s))
        .map_or(0.0, |(s, _)| s as f32 / 10.0)
}

/// The two gutters of a page set in three columns: lines of an eighth to a third of the page
/// wide, two strips in the first and last thirds of the text area that few of them cross, and
/// at least five rows where all three columns hold a line side by side.
pub(super) fn three_columns(lines: &[Line], width: f32) -> Option<(f32, f32)> {
    let narrow = widths_between(lines, 0.12 * width, 0.36 * width, 15)?;
    let left = narrow.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let right = narrow.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let w = right - left;
    let (a, least_a) = clearest_strip(&narrow, left + 0.2 * w, left + 0.45 * w)?;
    let (b, least_b) = clearest_strip(&narrow, left + 0.55 * w, left + 0.8 * w)?;
    if (least_a + least_b) * 12 > narrow.len() {
        return None;
    }
    let columns: [Vec<&&Line>; 3] = [
        narrow.iter().filter(|l| l.x1 <= a).collect(),
        narrow.iter().filter(|l| l.x0 >= a && l.x1 <= b).collect(),
        narrow.iter().filter(|l| l.x0 >= b).collect(),
    ];
    let rows = columns[0]
        .iter()
        .filter(|l| {
            columns[1].iter().any(|m| same_height(l, m))
                && columns[2].iter().any(|r| same_height(l, r))
        })
        .count();
    (columns.iter().all(|c| c.len() >= 5) && rows >= 5).then_some((a, b))
}
