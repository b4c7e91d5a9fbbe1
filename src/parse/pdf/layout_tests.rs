//! Tests of the layout: columns, lines joined into paragraphs.

use super::*;
use crate::parse::pdf::columns::{
    document_gutters, gutter, page_gutters, text_beside, three_columns,
};

fn line(x0: f32, x1: f32, y0: f32) -> Line {
    Line {
        page: 0,
        x0,
        y0,
        x1,
        y1: y0 + 9.0,
        baseline: y0 + 8.0,
        size: 10.0,
        font: "Body".into(),
        bold: false,
        italic: false,
        text: "words of a line".into(),
        bold_lead: 0,
        cell: None,
        column: 0,
        col_left: 0.0,
        col_right: 0.0,
    }
}

#[test]
fn a_gutter_under_a_byline_set_across() {
    // A byline and affiliations cross the middle above two columns of twelve rows.
    let mut lines: Vec<Line> = (0..5)
        .map(|i| line(87.0, 400.0, 200.0 + 14.0 * i as f32))
        .collect();
    for i in 0..12 {
        let y = 300.0 + 12.0 * i as f32;
        lines.push(line(51.0, 291.0, y));
        lines.push(line(309.0, 549.0, y));
    }
    let x = gutter(&lines, 600.0).expect("a gutter");
    assert!(x > 291.0 && x < 309.0, "{x}");
    // One column of the same lines, none side by side: no gutter.
    let single: Vec<Line> = (0..24)
        .map(|i| {
            line(
                if i % 2 == 0 { 51.0 } else { 60.0 },
                291.0,
                300.0 + 12.0 * i as f32,
            )
        })
        .chain((0..5).map(|i| line(87.0, 400.0, 200.0 + 14.0 * i as f32)))
        .collect();
    assert_eq!(gutter(&single, 600.0), None);
}

#[test]
fn three_columns_are_read_one_after_another() {
    // A heading set across, then three columns of ten lines (a reference list in small type).
    let mut lines = vec![line(55.0, 466.0, 40.0)];
    for i in 0..10 {
        let y = 60.0 + 10.0 * i as f32;
        for (c, x) in [55.0, 196.0, 337.0].iter().enumerate() {
            let mut l = line(*x, x + 129.0, y);
            l.text = format!("column {c} row {i}");
            lines.push(l);
        }
    }
    assert_eq!(gutter(&lines, 595.0), None, "no two-column gutter");
    let ordered = reading_order(lines.clone(), &page_gutters(&lines, 595.0));
    let texts: Vec<&str> = ordered.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts[1], "column 0 row 0");
    assert_eq!(texts[10], "column 0 row 9");
    assert_eq!(texts[11], "column 1 row 0");
    assert_eq!(texts[30], "column 2 row 9");
    assert_eq!(ordered[21].column, 3);
    // Two columns of the same lines only: not three columns.
    let two: Vec<Line> = (0..20)
        .map(|i| {
            line(
                55.0 + 141.0 * (i % 2) as f32,
                184.0 + 141.0 * (i % 2) as f32,
                60.0 + 10.0 * (i / 2) as f32,
            )
        })
        .collect();
    assert!(three_columns(&two, 595.0).is_none());
}

#[test]
fn a_band_under_two_columns_is_read_after_them() {
    // Two columns of six lines, then 60 pt of white across both, then two columns of three
    // lines (a reference list set under the last paragraphs): top band first.
    let mut lines = Vec::new();
    for (col, x0) in [(1, 50.0), (2, 310.0)] {
        for i in 0..6 {
            let mut l = line(x0, x0 + 240.0, 100.0 + 12.0 * i as f32);
            l.text = format!("top {col} {i}");
            lines.push(l);
        }
        for i in 0..3 {
            let mut l = line(x0, x0 + 240.0, 230.0 + 12.0 * i as f32);
            l.text = format!("low {col} {i}");
            lines.push(l);
        }
    }
    let order: Vec<String> = reading_order(lines.clone(), &page_gutters(&lines, 600.0))
        .into_iter()
        .map(|l| l.text)
        .collect();
    let first_low = order.iter().position(|t| t.starts_with("low")).unwrap();
    assert_eq!(first_low, 12, "{order:?}");
    assert_eq!(order[12], "low 1 0");
}

/// A page whose left column is a table of short cells in 9 pt and whose right column is running
/// text in 10 pt, as in a two-column article with a long table set in one column.
fn table_beside_text() -> Vec<Line> {
    let mut lines = Vec::new();
    for i in 0..30 {
        let y = 80.0 + 14.0 * i as f32;
        for (x0, x1) in [(52.0, 120.0), (176.0, 195.0), (249.0, 263.0)] {
            let mut l = line(x0, x1, y);
            l.size = 9.0;
            l.text = format!("cell {i}");
            lines.push(l);
        }
    }
    for i in 0..35 {
        let mut l = line(308.0, 548.0, 75.0 + 12.0 * i as f32);
        l.text = format!("text {i}");
        lines.push(l);
    }
    lines
}

#[test]
fn a_column_of_text_beside_a_table_keeps_its_gutter() {
    let lines = table_beside_text();
    assert_eq!(
        gutter(&lines, 600.0),
        None,
        "too few text-wide lines on the left"
    );
    let x = text_beside(&lines, 600.0).expect("a gutter");
    assert!(x > 263.0 && x < 308.0, "{x}");
    let order: Vec<String> = reading_order(lines.clone(), &[x])
        .into_iter()
        .map(|l| l.text)
        .collect();
    let first_text = order.iter().position(|t| t.starts_with("text")).unwrap();
    assert_eq!(first_text, 90, "the table first, then the text: {order:?}");
    // A line crossing the strip between the rows: no gutter.
    let mut crossed = lines.clone();
    crossed.push(line(200.0, 400.0, 200.0));
    assert_eq!(text_beside(&crossed, 600.0), None);
    // A table across the page over two columns of text: the strip between the table's columns
    // cuts the lines of the left column of text, which is no gutter.
    let mut table = Vec::new();
    for i in 0..8 {
        let y = 80.0 + 30.0 * i as f32;
        table.push(line(52.0, 120.0, y));
        for k in 0..2 {
            table.push(line(250.0, 540.0, y + 10.0 * k as f32));
        }
    }
    for i in 0..10 {
        let y = 400.0 + 12.0 * i as f32;
        table.push(line(51.0, 291.0, y));
        table.push(line(309.0, 549.0, y));
    }
    assert_eq!(text_beside(&table, 600.0), None);
}

#[test]
fn only_a_document_set_in_columns_finds_text_beside_a_table() {
    let two_columns: Vec<Line> = (0..24)
        .map(|i| {
            let x0 = if i % 2 == 0 { 51.0 } else { 309.0 };
            line(x0, x0 + 240.0, 80.0 + 12.0 * (i / 2) as f32)
        })
        .collect();
    let doc = vec![two_columns.clone(), two_columns, table_beside_text()];
    let gutters = document_gutters(&doc, &[600.0; 3]);
    assert_eq!(gutters[0].len(), 1);
    assert_eq!(gutters[2].len(), 1, "{gutters:?}");
    // The table page alone, or with one page in columns: no gutter.
    assert!(document_gutters(&doc[2..], &[600.0])[0].is_empty());
    assert!(document_gutters(&doc[1..], &[600.0; 2])[1].is_empty());
}

#[test]
fn a_paragraph_cut_by_a_page_resumes_after_the_floats_on_the_next() {
    let body = |page: usize, y0: f32, text: &str| Line {
        page,
        text: text.into(),
        ..line(50.0, 300.0, y0)
    };
    let caption = Line {
        size: 8.0,
        ..body(1, 50.0, "Table 1: Counts per group.")
    };
    let row = Line {
        cell: Some((0, 0, 0)),
        ..body(1, 62.0, "All | Poor sleepers")
    };
    let lines = |next: &str| {
        vec![
            body(0, 700.0, "sleep disorders can lead"),
            caption.clone(),
            row.clone(),
            body(1, 200.0, next),
            body(1, 212.0, "and more."),
        ]
    };
    let texts = |blocks: Vec<Block>| -> Vec<Vec<String>> {
        blocks
            .iter()
            .map(|b| b.lines.iter().map(|l| l.text.clone()).collect())
            .collect()
    };
    let resumed = paragraphs(lines("to fatigue [22]"), HashMap::new());
    assert_eq!(
        texts(resumed),
        [
            vec!["sleep disorders can lead", "to fatigue [22]", "and more."],
            vec!["Table 1: Counts per group."],
            vec!["All | Poor sleepers"],
        ]
    );
    // A capital after the floats starts a paragraph of its own.
    let apart = paragraphs(lines("Fatigue is common"), HashMap::new());
    assert_eq!(apart.len(), 4);
}

/// Runs of 9-point text on one baseline, each starting at its x.
fn runs_at(words: &[(&str, f32)]) -> Vec<Run> {
    words
        .iter()
        .map(|&(text, x0)| Run {
            text: text.into(),
            x0,
            y0: 93.0,
            x1: x0 + 4.5 * text.chars().count() as f32,
            y1: 102.0,
            baseline: 100.0,
            font_size: 9.0,
            font_name: "Body".into(),
            bold: false,
            italic: false,
            joined: false,
            upright: true,
        })
        .collect()
}

#[test]
fn a_loose_justified_line_is_one_line_but_table_cells_are_not() {
    let texts = |runs: Vec<Run>| -> Vec<String> {
        let page = Page {
            width: 600.0,
            height: 800.0,
            runs,
        };
        page_lines(0, &page).into_iter().map(|l| l.text).collect()
    };
    // Word gaps of 10.5-11 points (more than an em of 9 points), all alike.
    let loose = runs_at(&[
        ("Bears", 50.0),
        ("produce", 83.0),
        ("the", 125.0),
        ("most", 149.0),
        ("altricial", 178.0),
    ]);
    assert_eq!(texts(loose), ["Bears produce the most altricial"]);
    // Cells: gaps of 30 and 11 points.
    let cells = runs_at(&[
        ("Age", 50.0),
        ("years", 93.5),
        ("52.3", 127.0),
        ("48.0", 156.0),
    ]);
    assert_eq!(texts(cells).len(), 4);
}

/// Words of one baseline from `x`, each 20pt wide, `space` apart.
fn words_at(x: f32, space: f32, baseline: f32, n: usize) -> Vec<Run> {
    (0..n)
        .map(|i| {
            let x0 = x + i as f32 * (20.0 + space);
            Run {
                text: format!("w{i}"),
                x0,
                y0: baseline - 8.0,
                x1: x0 + 20.0,
                y1: baseline + 2.0,
                baseline,
                font_size: 10.0,
                font_name: "CMR10".into(),
                bold: false,
                italic: false,
                joined: false,
                upright: true,
            }
        })
        .collect()
}

fn letter_page(runs: Vec<Run>) -> Page {
    Page {
        width: 612.0,
        height: 792.0,
        runs,
    }
}

#[test]
fn columns_an_em_apart_do_not_share_a_line() {
    // LaTeX twocolumn: the left column's lines (spaces of 3pt) written before the right
    // column's (a loose line, spaces of 5pt), 10pt apart on one baseline.
    let mut runs = words_at(72.0, 3.0, 100.0, 10);
    let end = runs[9].x1;
    runs.extend(words_at(72.0, 3.0, 112.0, 10));
    runs.extend(words_at(end + 9.9, 5.0, 100.0, 5));
    let page = letter_page(runs);
    assert_eq!(page_lines(0, &page).len(), 3);
    // Both lines loose (spaces of 6pt and 5pt): the lines written between them tell the
    // columns apart.
    let mut runs = words_at(72.0, 6.0, 100.0, 8);
    let end = runs[7].x1;
    runs.extend(words_at(72.0, 3.0, 112.0, 10));
    runs.extend(words_at(72.0, 3.0, 124.0, 10));
    runs.extend(words_at(end + 9.9, 5.0, 100.0, 5));
    let page = letter_page(runs);
    assert_eq!(page_lines(0, &page).len(), 4);
    // One line written in two pieces out of order, its spaces all alike: one line.
    let mut runs = words_at(192.0, 4.0, 100.0, 4);
    runs.extend(words_at(72.0, 4.0, 100.0, 5));
    let page = letter_page(runs);
    assert_eq!(page_lines(0, &page).len(), 1);
}

#[test]
fn a_pitch_is_seen_twice() {
    // Two headings of 14.4pt set one under the other tell no line pitch of that size.
    let mut a = line(72.0, 200.0, 100.0);
    a.size = 14.4;
    let mut b = a.clone();
    (b.y0, b.baseline) = (130.0, 138.0);
    let pitch = line_pitch(&[a.clone(), b.clone()]);
    assert_eq!(pitch.get(&size_key(14.4)), Some(&0.0));
    let mut c = b.clone();
    (c.y0, c.baseline) = (160.0, 168.0);
    let pitch = line_pitch(&[a, b, c]);
    assert_eq!(pitch.get(&size_key(14.4)), Some(&30.0));
}

#[test]
fn running_heads_go_but_reference_tails_at_one_height_stay() {
    let at = |page: usize, y0: f32, text: &str| Line {
        page,
        text: text.into(),
        ..line(72.0, 300.0, y0)
    };
    let mut lines = vec![
        vec![
            at(0, 30.0, "Journal of Diabetes Research 3"),
            at(0, 30.0 + 14.0 * 20.0, "2007;111:6832–6836."),
            at(0, 760.0, "12"),
        ],
        vec![
            at(1, 30.0, "Journal of Diabetes Research 4"),
            at(1, 30.0 + 14.0 * 20.0, "2004;56:167–180."),
            at(1, 760.0, "13"),
        ],
    ];
    let page = letter_page(Vec::new());
    remove_furniture(&mut lines, &[page.clone(), page]);
    let kept: Vec<&str> = lines.iter().flatten().map(|l| l.text.as_str()).collect();
    // The running head (words repeated at one height) and the page numbers go; two lines of
    // digits and punctuation mid-page are no running head, though alike without their digits.
    assert_eq!(kept, ["2007;111:6832–6836.", "2004;56:167–180."]);
}

#[test]
fn a_heading_set_in_pieces_is_one_line_and_its_next_lines_hang_under_its_title() {
    let heading = |x0: f32, x1: f32, y0: f32, text: &str| Line {
        text: text.into(),
        size: 12.0,
        font: "CMBX12".into(),
        bold: true,
        col_left: 72.0,
        col_right: 300.0,
        column: 1,
        y1: y0 + 11.0,
        baseline: y0 + 10.0,
        ..line(x0, x1, y0)
    };
    let lines = vec![
        heading(72.0, 90.0, 100.0, "3.1"),
        heading(102.0, 230.0, 100.0, "Effects of Metformin, Gliben-"),
        heading(
            102.0,
            300.0,
            114.0,
            "clamide, and Repaglinide on Serum Catalase",
        ),
        heading(102.0, 150.0, 128.0, "Activity"),
    ];
    let blocks = paragraphs(lines, HashMap::new());
    assert_eq!(blocks.len(), 1);
    let texts: Vec<&str> = blocks[0].lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts[0], "3.1 Effects of Metformin, Gliben-");
    assert_eq!(texts.len(), 3);
    // Two headings on one baseline far apart (the two columns of a page whose gutter was not
    // found) stay apart.
    let lines = vec![
        heading(72.0, 200.0, 100.0, "Conflict of Interests"),
        heading(320.0, 400.0, 100.0, "References"),
    ];
    assert_eq!(paragraphs(lines, HashMap::new()).len(), 2);
}
