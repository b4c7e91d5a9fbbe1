//! Tests of the layout: columns.

use super::*;
use crate::parse::pdf::columns::{gutter, three_columns};

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
    let ordered = reading_order(lines, 595.0);
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
    let order: Vec<String> = reading_order(lines, 600.0)
        .into_iter()
        .map(|l| l.text)
        .collect();
    let first_low = order.iter().position(|t| t.starts_with("low")).unwrap();
    assert_eq!(first_low, 12, "{order:?}");
    assert_eq!(order[12], "low 1 0");
}
