//! Tests of the run extractor: unit tests of its parts and synthetic PDFs built with lopdf.

use super::super::cmap::*;
use super::super::fonts::*;
use super::super::objects::*;
use super::*;

#[test]
fn cmap_bfchar_bfrange() {
    let cm = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfchar <0003> <0020> <0011> <FB01> endbfchar
        2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<0066006C> <00E9>] endbfrange
        endcmap";
    let m = CMap::parse(cm);
    assert_eq!(m.unicode(3).as_deref(), Some(" "));
    assert_eq!(m.unicode(0x11).as_deref(), Some("\u{FB01}"));
    assert_eq!(m.unicode(0x25).as_deref(), Some("B"));
    assert_eq!(m.unicode(0x30).as_deref(), Some("fl"));
    assert_eq!(m.unicode(0x31).as_deref(), Some("é"));
    assert_eq!(m.codespace, vec![(0, 0xFFFF, 2)]);
}

#[test]
fn glyph_names() {
    let mut n = Names::new();
    assert_eq!(n.glyph(b"A").as_deref(), Some("A"));
    assert_eq!(n.glyph(b"fi").as_deref(), Some("\u{FB01}"));
    assert_eq!(n.glyph(b"uni00E9").as_deref(), Some("é"));
    assert_eq!(n.glyph(b"f_f_i").as_deref(), Some("\u{FB03}"));
    assert_eq!(n.glyph(b"T_h").as_deref(), Some("Th"));
    assert_eq!(n.glyph(b"a.sc").as_deref(), Some("a"));
    assert_eq!(n.glyph(b"g123"), None);
    let w = n.base(b"WinAnsiEncoding");
    assert_eq!(w[0x93].as_deref(), Some("\u{201C}"));
}

#[test]
fn style_names() {
    assert_eq!(style_from_name("Times-BoldItalic"), (true, true));
    assert_eq!(style_from_name("TimesNewRomanPS-ItalicMT"), (false, true));
    assert_eq!(style_from_name("NimbusRomNo9L-Medi"), (true, false));
    assert_eq!(style_from_name("NimbusRomNo9L-Regu"), (false, false));
    assert_eq!(style_from_name("MinionPro-It"), (false, true));
    assert_eq!(style_from_name("CMBX10"), (true, false));
    assert_eq!(style_from_name("Arial,Bold"), (true, false));
    assert_eq!(style_from_name("Helvetica"), (false, false));
    assert_eq!(style_from_name("XlnrljAdvTTaf7f9f4f.B+20"), (true, false));
    assert_eq!(style_from_name("AdvTT837b8832.BI"), (true, true));
    assert_eq!(style_from_name("AdvTT86d47313"), (false, false));
}

#[test]
fn letterspaced_tj() {
    let tj = |v: &[(&str, f64)]| -> Vec<Object> {
        v.iter()
            .flat_map(|(t, k)| [Object::string_literal(*t), Object::Real(*k as f32)])
            .collect()
    };
    let spaced = tj(&[
        ("S", -114.0),
        ("T", -117.0),
        ("U", -112.0),
        ("D", -119.0),
        ("Y", -414.0),
        ("P", -117.0),
        ("R", 0.0),
    ]);
    let t = letterspacing(&spaced, 0.11).unwrap();
    assert!(t > 0.2 && t < 0.41, "{t}");
    let words = tj(&[
        ("one", -333.0),
        ("two", -333.0),
        ("three", -333.0),
        ("four", 0.0),
    ]);
    assert_eq!(letterspacing(&words, 0.11), None);
    let kerned = tj(&[
        ("E", 6.0),
        ("f", 4.0),
        ("f", 4.0),
        ("e", -267.0),
        ("c", 0.0),
    ]);
    assert_eq!(letterspacing(&kerned, 0.11), None);
}

#[test]
fn matrices() {
    let m = mul(
        &[2.0, 0.0, 0.0, 2.0, 10.0, 0.0],
        &[1.0, 0.0, 0.0, -1.0, 0.0, 100.0],
    );
    assert_eq!(apply(&m, 1.0, 1.0), (12.0, 98.0));
}

/// Builds a one-page PDF with a WinAnsi Helvetica and TJ kerning, and reads it back.
fn tiny_pdf(content: &[u8], rotate: i64) -> Vec<u8> {
    use lopdf::{dictionary, Stream};
    let mut doc = Document::with_version("1.5");
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding", "FirstChar" => 32,
        "Widths" => (32..=255).map(|c| Object::Integer(if c == 32 { 278 } else { 556 })).collect::<Vec<_>>(),
    });
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Rotate" => rotate,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
        }),
    );
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", cat);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn words_from_kerning_and_spaces() {
    let pdf = tiny_pdf(
        b"BT /F1 10 Tf 2 0 0 2 100 700 Tm [(Hel)20(lo)-400(wor)10(ld)] TJ (  x) Tj ET",
        0,
    );
    let pages = page_runs(&pdf).unwrap();
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!((p.width, p.height), (600.0, 800.0));
    let texts: Vec<&str> = p.runs.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["Hello", "world", "x"]);
    let r = &p.runs[0];
    assert_eq!(r.font_size, 20.0);
    assert_eq!(r.font_name, "Helvetica-Bold");
    assert!(r.bold && !r.italic && !r.joined && r.upright);
    assert!((r.x0 - 100.0).abs() < 0.01);
    assert!((r.baseline - 100.0).abs() < 0.01, "{}", r.baseline);
    assert!(r.y0 < r.baseline && r.y1 > r.baseline);
    // 5 glyphs of 0.556 em at 20 pt, minus the 20/1000 em kern
    assert!(
        (r.x1 - (100.0 + 5.0 * 11.12 - 0.4)).abs() < 0.05,
        "{}",
        r.x1
    );
}

#[test]
fn rotated_page() {
    let pdf = tiny_pdf(b"BT /F1 10 Tf 100 700 Td (Hi) Tj ET", 90);
    let p = &page_runs(&pdf).unwrap()[0];
    assert_eq!((p.width, p.height), (800.0, 600.0));
    let r = &p.runs[0];
    // on a page turned clockwise, horizontal text runs downwards
    assert!(!r.upright);
    assert!(
        (r.x0 - 700.0).abs() < 3.0 && (r.y0 - 100.0).abs() < 0.01,
        "{r:?}"
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(page_runs(b"not a pdf").is_err());
    assert!(
        page_runs(
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
        )
        .map(|p| p.len())
        .unwrap_or(0)
            == 0
    );
}

#[test]
fn tex_accents_are_combined_with_their_letter() {
    // TeX's \accent: the dieresis (WinAnsi 0xA8), a move back of its width, then the letter.
    let pdf = tiny_pdf(b"BT /F1 10 Tf 100 700 Td [(Tannh\\250)556(auser)] TJ ET", 0);
    let pages = page_runs(&pdf).unwrap();
    let texts: Vec<&str> = pages[0].runs.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["Tannha\u{308}user"]);
    // A dieresis followed by a letter further on is no accent of it.
    let pdf = tiny_pdf(b"BT /F1 10 Tf 100 700 Td [(x\\250)(a)] TJ ET", 0);
    let pages = page_runs(&pdf).unwrap();
    let texts: Vec<&str> = pages[0].runs.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["x\u{a8}a"]);
}
