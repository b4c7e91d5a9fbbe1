//! Tables: lines set side by side within one column, read back row by row.
//!
//! A table cell is a line that shares its baseline with another line of the same column, with
//! white wider than an em between them (wider gaps end a line, see [`super::layout`]); running
//! text never does that. A table is a stretch of such lines, with the lines between them (the
//! further lines of multi-line cells), holding two rows or more. Its rows come from the
//! document's convention of setting rows apart: a step between baselines wider than the usual
//! step inside the table starts a row; within a row, lines that overlap horizontally make one
//! cell, read top to bottom, and the cells are read left to right. So the text of a table reads
//! as its source does, row by row, instead of column by column or cell fragment by fragment.

use super::layout::{is_label, Layout, Line};

/// Whether a line is a rule drawn with characters (dot leaders, underscores, dashes), as tables
/// set between their rows: no letter or digit, four such characters or more.
fn is_rule(l: &Line) -> bool {
    let marks = l.text.chars().filter(|c| !c.is_whitespace());
    marks.clone().count() >= 4 && marks.into_iter().all(|c| ".·…_-‐–—―=─".contains(c))
}

/// Whether two lines of one column sit on one baseline with white between them.
fn side_by_side(a: &Line, b: &Line) -> bool {
    a.column == b.column
        && (a.baseline - b.baseline).abs() < 0.4 * a.size.max(b.size)
        && (b.x0 >= a.x1 || a.x0 >= b.x1)
        && !is_label(&a.text)
        && !is_label(&b.text)
}

/// The lines of one page in reading order, with the lines of its tables put in row order and
/// marked with their table, row and cell (table numbers from `next_table`). Rules drawn with
/// characters separate rows and are left out.
pub(super) fn mark_tables(lines: Vec<Line>, width: f32, next_table: &mut u32) -> Vec<Line> {
    let n = lines.len();
    let rule: Vec<bool> = lines.iter().map(is_rule).collect();
    let cell: Vec<bool> = (0..n)
        .map(|i| {
            !rule[i] && (0..n).any(|j| j != i && !rule[j] && side_by_side(&lines[i], &lines[j]))
        })
        .collect();
    let mut regions: Vec<(usize, usize)> = Vec::new(); // from..to in reading order
    let mut i = 0;
    while i < n {
        if !cell[i] {
            i += 1;
            continue;
        }
        let (from, mut to) = (i, i + 1);
        let mut bottom = lines[i].y1;
        let mut k = i + 1;
        while k < n && lines[k].column == lines[from].column {
            if rule[k] {
                k += 1;
                continue;
            }
            // A table is set in one size: a heading or paragraph after it in another ends it.
            let resized = (lines[k].size - lines[from].size).abs() > 0.6;
            if lines[k].y0 - bottom > 2.0 * lines[k].size || resized {
                break;
            }
            bottom = bottom.max(lines[k].y1);
            if cell[k] {
                to = k + 1;
            }
            k += 1;
        }
        to = continuation(&lines, from, to);
        regions.push((from, to));
        i = to;
    }
    let mut out = Vec::with_capacity(n);
    let mut lines: Vec<Option<Line>> = lines.into_iter().map(Some).collect();
    let mut at = 0;
    for (from, to) in regions {
        out.extend(lines[at..from].iter_mut().filter_map(Option::take));
        let region: Vec<Line> = lines[from..to]
            .iter_mut()
            .filter_map(Option::take)
            .collect();
        let rows = rows(region);
        let pairs = rows.iter().filter(|r| r.len() >= 2).count();
        if pairs >= 2 && text_columns(&rows, width) {
            out.extend(by_columns(rows));
        } else if rows.len() >= 2 && pairs >= 2 {
            for (r, row) in rows.into_iter().enumerate() {
                for (c, cell) in row.into_iter().enumerate() {
                    for mut l in cell {
                        l.cell = Some((*next_table, r as u16, c as u16));
                        out.push(l);
                    }
                }
            }
            *next_table += 1;
        } else {
            out.extend(rows.into_iter().flatten().flatten());
        }
        at = to;
    }
    out.extend(lines[at..].iter_mut().filter_map(Option::take));
    out.retain(|l| !is_rule(l));
    out
}

/// Whether side-by-side lines are columns of running text the page's gutter search missed (a
/// page mostly filled by a table, with two columns of text under it), not a table: most lines
/// are wider than 30% of the page, as running text in a column is and table cells seldom are.
fn text_columns(rows: &[Vec<Vec<Line>>], width: f32) -> bool {
    let lines = || rows.iter().flatten().flatten();
    let wide = lines().filter(|l| l.width() > 0.3 * width).count();
    wide * 3 >= lines().count() * 2
}

/// Lines set in columns read column by column: the lines left of the middle of the white
/// between the first two cells of the rows, then those right of it, each top to bottom.
fn by_columns(rows: Vec<Vec<Vec<Line>>>) -> Vec<Line> {
    let middles: Vec<f32> = rows
        .iter()
        .filter(|r| r.len() >= 2)
        .map(|r| {
            let right = r[0].iter().map(|l| l.x1).fold(f32::MIN, f32::max);
            let left = r[1].iter().map(|l| l.x0).fold(f32::MAX, f32::min);
            (right + left) / 2.0
        })
        .collect();
    let gutter = middles.iter().sum::<f32>() / middles.len().max(1) as f32;
    let mut lines: Vec<Line> = rows.into_iter().flatten().flatten().collect();
    lines.sort_by(|a, b| {
        (a.x0 >= gutter)
            .cmp(&(b.x0 >= gutter))
            .then(a.baseline.total_cmp(&b.baseline))
    });
    lines
}

/// The end of a table that runs from `from` to its last side-by-side line `to`: the further
/// lines of its last row (the same size, within its width, at most a line step below).
fn continuation(lines: &[Line], from: usize, mut to: usize) -> usize {
    let left = lines[from..to]
        .iter()
        .map(|l| l.x0)
        .fold(f32::MAX, f32::min);
    let right = lines[from..to]
        .iter()
        .map(|l| l.x1)
        .fold(f32::MIN, f32::max);
    while to < lines.len() {
        let (prev, l) = (&lines[to - 1], &lines[to]);
        let step = l.baseline - prev.baseline;
        let fits = l.column == prev.column
            && (l.size - prev.size).abs() < 0.3
            && l.x0 >= left - 1.0
            && l.x1 <= right + 1.0
            && step > 0.0
            && step < 1.3 * l.size;
        if !fits {
            break;
        }
        to += 1;
    }
    to
}

/// The baselines of `lines` (sorted by baseline; a line's own within 0.4 em of the one before)
/// and the usual step inside a cell: the smallest step of at least 0.8 em.
fn steps<'a>(lines: impl Iterator<Item = &'a Line> + Clone) -> (Vec<f32>, f32) {
    let mut baselines: Vec<f32> = Vec::new();
    for l in lines.clone() {
        if baselines
            .last()
            .is_none_or(|b| l.baseline - b > 0.4 * l.size)
        {
            baselines.push(l.baseline);
        }
    }
    let size = lines.map(|l| l.size).fold(0.0f32, f32::max).max(1.0);
    let unit = baselines
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|s| *s >= 0.8 * size)
        .fold(f32::MAX, f32::min);
    let unit = if unit == f32::MAX { 1.2 * size } else { unit };
    (baselines, unit)
}

/// Whether the lines of a band of columns are the cells of one table set across them: the
/// lines that start a cell after a row's white (a step wider than the usual step of their
/// column) stand on the same baselines in every column, at least three times and for two
/// thirds of the column with the fewest, as a table's rows do and paragraphs of columns of text, each
/// column with its own breaks, do not.
pub(super) fn rows_across(band: &[Line]) -> bool {
    let mut columns: Vec<u8> = band.iter().map(|l| l.column).collect();
    columns.sort_unstable();
    columns.dedup();
    if columns.len() < 2 {
        return false;
    }
    let starts: Vec<Vec<f32>> = columns
        .iter()
        .map(|&c| {
            let mut lines: Vec<&Line> = band.iter().filter(|l| l.column == c).collect();
            lines.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
            let (baselines, unit) = steps(lines.into_iter());
            baselines
                .windows(2)
                .filter(|w| w[1] - w[0] > 1.25 * unit)
                .map(|w| w[1])
                .collect::<Vec<f32>>()
        })
        .collect();
    let fewest = starts.iter().min_by_key(|s| s.len()).expect("two columns");
    let mut sizes: Vec<f32> = band.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let aligned = |other: &Vec<f32>| {
        fewest
            .iter()
            .filter(|s| other.iter().any(|t| (*s - t).abs() < 0.2 * size))
            .count()
    };
    fewest.len() >= 3 && starts.iter().all(|o| aligned(o) * 3 >= fewest.len() * 2)
}

/// The lines of a table as rows of cells, each cell's lines top to bottom.
fn rows(mut lines: Vec<Line>) -> Vec<Vec<Vec<Line>>> {
    lines.sort_by(|a, b| {
        a.baseline
            .total_cmp(&b.baseline)
            .then(a.x0.total_cmp(&b.x0))
    });
    let (baselines, unit) = steps(lines.iter().filter(|l| !is_rule(l)));
    // Without a rule or a wider step anywhere the table has no cells of several lines: each
    // baseline is a row (rows of one line, evenly spaced).
    let spaced =
        lines.iter().any(is_rule) || baselines.windows(2).any(|w| w[1] - w[0] > 1.25 * unit);
    let mut row_lines: Vec<Vec<Line>> = Vec::new();
    let mut last = f32::MIN;
    let mut ruled = false;
    for l in lines {
        if is_rule(&l) {
            ruled = true;
            continue;
        }
        let step = l.baseline - last;
        if step > 0.4 * l.size {
            if row_lines.is_empty() || ruled || !spaced || step > 1.25 * unit {
                row_lines.push(Vec::new());
            }
            last = l.baseline;
            ruled = false;
        }
        row_lines.last_mut().expect("pushed").push(l);
    }
    row_lines.into_iter().map(cells).collect()
}

/// The lines of one row grouped into cells: lines that overlap horizontally, left to right.
fn cells(mut row: Vec<Line>) -> Vec<Vec<Line>> {
    row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut cells: Vec<(f32, Vec<Line>)> = Vec::new(); // right edge, lines
    for l in row {
        match cells.last_mut() {
            Some((right, cell)) if l.x0 < *right => {
                *right = right.max(l.x1);
                cell.push(l);
            }
            _ => cells.push((l.x1, vec![l])),
        }
    }
    cells
        .into_iter()
        .map(|(_, mut cell)| {
            cell.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
            cell
        })
        .collect()
}

/// Words of a passage made of table rows, at most (a row longer than that is one passage).
const TABLE_PASSAGE_WORDS: usize = 120;

/// The text of a table's lines (in row order, as [`mark_tables`] leaves them) as passages of
/// whole rows: cells joined by " | ", rows by " || ".
pub(super) fn table_passages(layout: &Layout, lines: &[Line]) -> Vec<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let key = lines[at].cell;
        let len = lines[at..].iter().take_while(|l| l.cell == key).count();
        let text = layout.join(&lines[at..at + len]);
        let new_row = at == 0 || lines[at - 1].cell.map(|c| c.1) != key.map(|c| c.1);
        if new_row {
            rows.push(Vec::new());
        }
        rows.last_mut().expect("pushed").push(text);
        at += len;
    }
    let mut passages: Vec<String> = Vec::new();
    let mut words = 0;
    for row in rows {
        let row = row.join(" | ");
        let n = row.split_whitespace().count();
        match passages.last_mut() {
            Some(p) if words + n <= TABLE_PASSAGE_WORDS => {
                p.push_str(" || ");
                p.push_str(&row);
                words += n;
            }
            _ => {
                passages.push(row);
                words = n;
            }
        }
    }
    passages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::pdf::layout::Cell;

    fn line(text: &str, x0: f32, x1: f32, baseline: f32) -> Line {
        Line {
            page: 0,
            x0,
            y0: baseline - 7.0,
            x1,
            y1: baseline + 2.0,
            baseline,
            size: 8.0,
            font: "Body".into(),
            bold: false,
            italic: false,
            text: text.into(),
            bold_lead: 0,
            column: 1,
            col_left: 50.0,
            col_right: 290.0,
            cell: None,
        }
    }

    /// The texts and cells of `lines` after [`mark_tables`], and the number of tables.
    fn marked(lines: Vec<Line>) -> (Vec<(String, Option<Cell>)>, u32) {
        let mut tables = 0;
        let out = mark_tables(lines, 600.0, &mut tables);
        (out.into_iter().map(|l| (l.text, l.cell)).collect(), tables)
    }

    /// Four rows `step` apart of two lines side by side, spanning `spans`, with `text(row, cell)`.
    fn two_cells(
        step: f32,
        spans: [(f32, f32); 2],
        text: impl Fn(usize, usize) -> String,
    ) -> Vec<Line> {
        (0..4)
            .flat_map(|i| {
                let y = 100.0 + step * i as f32;
                (0..2).map(move |c| (i, c, y))
            })
            .map(|(i, c, y)| line(&text(i, c), spans[c].0, spans[c].1, y))
            .collect()
    }

    #[test]
    fn tables_read_row_by_row() {
        // Rows set 14 pt apart, the lines of a cell 9 pt apart; reading order puts the second
        // line of the first cell after the number beside it.
        let lines = vec![
            line(
                "Running text before the table, set in the column.",
                50.0,
                290.0,
                90.0,
            ),
            line("Wild animals (fish,", 50.0, 200.0, 100.0),
            line("15", 260.0, 270.0, 100.0),
            line("birds, game)", 50.0, 100.0, 109.0),
            line("Fibres for direct use", 50.0, 190.0, 123.0),
            line("110", 260.0, 275.0, 123.0),
        ];
        let (got, tables) = marked(lines);
        let got: Vec<(&str, Option<Cell>)> = got.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        assert_eq!(
            got,
            [
                ("Running text before the table, set in the column.", None),
                ("Wild animals (fish,", Some((0, 0, 0))),
                ("birds, game)", Some((0, 0, 0))),
                ("15", Some((0, 0, 1))),
                ("Fibres for direct use", Some((0, 1, 0))),
                ("110", Some((0, 1, 1))),
            ]
        );
        assert_eq!(tables, 1);
    }

    #[test]
    fn evenly_spaced_rows_of_one_line_are_rows() {
        // Rows 14 pt apart, no cell of two lines: each baseline is a row, not one tall row.
        let lines = two_cells(14.0, [(50.0, 120.0), (180.0, 195.0)], |i, c| {
            [format!("label {i}"), format!("{i}0")][c].clone()
        });
        let (got, tables) = marked(lines);
        assert_eq!(tables, 1);
        let got: Vec<(&str, Option<Cell>)> = got.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        assert_eq!(got[0], ("label 0", Some((0, 0, 0))));
        assert_eq!(got[1], ("00", Some((0, 0, 1))));
        assert_eq!(got[6], ("label 3", Some((0, 3, 0))));
        assert_eq!(got[7], ("30", Some((0, 3, 1))));
    }

    #[test]
    fn rules_of_dots_separate_rows_and_are_left_out() {
        // Rows set apart by lines of dots in a smaller size; the second row's cell has two lines.
        let rule = |y: f32| {
            let mut l = line(". . . . . . . . . .", 50.0, 290.0, y);
            l.size = 5.0;
            l
        };
        let lines = vec![
            line("protein", 50.0, 120.0, 100.0),
            line("function", 180.0, 280.0, 100.0),
            rule(104.0),
            line("lysozyme", 50.0, 120.0, 115.0),
            line("antibacterial, also", 180.0, 280.0, 115.0),
            line("in tears", 190.0, 230.0, 127.0),
            rule(131.0),
            line("casein", 50.0, 120.0, 142.0),
            line("amino acids", 180.0, 280.0, 142.0),
        ];
        let (got, tables) = marked(lines);
        assert_eq!(tables, 1);
        let got: Vec<(&str, Option<Cell>)> = got.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        assert_eq!(
            got,
            [
                ("protein", Some((0, 0, 0))),
                ("function", Some((0, 0, 1))),
                ("lysozyme", Some((0, 1, 0))),
                ("antibacterial, also", Some((0, 1, 1))),
                ("in tears", Some((0, 1, 1))),
                ("casein", Some((0, 2, 0))),
                ("amino acids", Some((0, 2, 1))),
            ]
        );
    }

    #[test]
    fn cells_on_shared_row_baselines_are_one_table() {
        // Labels of one or two lines (9 pt apart) beside numbers, rows 14 pt apart: each row
        // starts on the same baseline in both columns.
        let mut band = Vec::new();
        let mut y = 100.0;
        for i in 0..6 {
            band.push(line(&format!("label {i}"), 50.0, 240.0, y));
            let mut n = line(&format!("{i}"), 260.0, 270.0, y);
            n.column = 2;
            band.push(n);
            if i % 2 == 0 {
                band.push(line("more", 50.0, 100.0, y + 9.0));
                y += 9.0;
            }
            y += 14.0;
        }
        assert!(rows_across(&band));
        // Two columns of text, paragraphs set apart by white at heights of their own: no table.
        let mut text = Vec::new();
        for (column, x0, breaks) in [(1, 50.0, [3, 7, 12]), (2, 310.0, [5, 9, 14])] {
            let mut y = 100.0;
            for i in 0..16 {
                let mut l = line("running text", x0, x0 + 240.0, y);
                l.column = column;
                text.push(l);
                y += if breaks.contains(&i) { 16.0 } else { 11.0 };
            }
        }
        assert!(!rows_across(&text));
    }

    #[test]
    fn columns_of_text_are_no_table() {
        // Two columns of running text the gutter search missed: read left, then right.
        let lines = two_cells(12.0, [(50.0, 290.0), (310.0, 550.0)], |i, c| {
            format!("{} {i}", ["left", "right"][c])
        });
        let mut tables = 0;
        let out = mark_tables(lines, 600.0, &mut tables);
        let got: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            got,
            ["left 0", "left 1", "left 2", "left 3", "right 0", "right 1", "right 2", "right 3"]
        );
        assert_eq!(tables, 0);
        assert!(out.iter().all(|l| l.cell.is_none()));
    }
}
