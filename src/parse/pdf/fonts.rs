//! Fonts: glyph names, encodings, widths and style.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object};

use super::cmap::*;
use super::objects::*;
use super::runs::Options;

// ---------------------------------------------------------------------------------------------
// Glyph names and simple encodings

/// Glyph names that lopdf's Adobe Glyph List table does not resolve: uniXXXX, uXXXX[XX],
/// suffixed (`a.sc`) and ligature (`f_f_i`) names.
pub(super) fn glyph_name_fallback(n: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(n).ok()?;
    if let Some(hex) = s.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let units: Vec<u16> = (0..hex.len() / 4)
                .filter_map(|k| u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).ok())
                .collect();
            return Some(String::from_utf16_lossy(&units));
        }
    }
    if let Some(hex) = s.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from);
        }
    }
    None
}

/// Symbol font built-in encoding: the parts that matter in articles (Greek, math).
pub(super) fn symbol_char(code: u8) -> Option<char> {
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    match code {
        0x41..=0x5A => UPPER.chars().nth((code - 0x41) as usize),
        0x61..=0x7A => LOWER.chars().nth((code - 0x61) as usize),
        0x20..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E => Some(match code {
            0x22 => '∀',
            0x24 => '∃',
            0x27 => '∋',
            0x2A => '∗',
            0x2D => '−',
            0x40 => '≅',
            0x5C => '∴',
            0x5E => '⊥',
            0x60 => '‾',
            0x7E => '∼',
            c => c as char,
        }),
        0xA1 => Some('ϒ'),
        0xA2 => Some('′'),
        0xA3 => Some('≤'),
        0xA5 => Some('∞'),
        0xB0 => Some('°'),
        0xB1 => Some('±'),
        0xB2 => Some('″'),
        0xB3 => Some('≥'),
        0xB4 => Some('×'),
        0xB5 => Some('∝'),
        0xB7 => Some('•'),
        0xB8 => Some('÷'),
        0xB9 => Some('≠'),
        0xBA => Some('≡'),
        0xBB => Some('≈'),
        0xBC => Some('…'),
        0xAE => Some('→'),
        0xAC => Some('←'),
        0xD6 => Some('√'),
        0xD7 => Some('⋅'),
        0xE1 => Some('〈'),
        0xF1 => Some('〉'),
        0xF2 => Some('∫'),
        0xE5 => Some('∑'),
        0xD5 => Some('∏'),
        0xB6 => Some('∂'),
        _ => None,
    }
}

pub(super) type Table = Vec<Option<Rc<str>>>;

/// Glyph-name and base-encoding lookups, answered by lopdf's own tables (not public as such:
/// reached through `Dictionary::get_font_encoding` on small synthetic font dictionaries).
pub(super) struct Names {
    pub(super) empty: Document,
    pub(super) glyphs: HashMap<Vec<u8>, Option<Rc<str>>>,
    pub(super) bases: HashMap<&'static [u8], Rc<Table>>,
}

impl Names {
    pub(super) fn new() -> Self {
        Names {
            empty: Document::new(),
            glyphs: HashMap::new(),
            bases: HashMap::new(),
        }
    }

    pub(super) fn font_dict(enc: Object) -> Dictionary {
        let mut f = Dictionary::new();
        f.set("Type", Object::Name(b"Font".to_vec()));
        f.set("Subtype", Object::Name(b"Type1".to_vec()));
        f.set("Encoding", enc);
        f
    }

    pub(super) fn glyph(&mut self, n: &[u8]) -> Option<Rc<str>> {
        if let Some(v) = self.glyphs.get(n) {
            return v.clone();
        }
        let mut res: Option<Rc<str>> = None;
        let mut enc = Dictionary::new();
        enc.set(
            "Differences",
            Object::Array(vec![Object::Integer(65), Object::Name(n.to_vec())]),
        );
        let f = Self::font_dict(Object::Dictionary(enc));
        if let Ok(e @ Encoding::Differences(_)) = f.get_font_encoding(&self.empty) {
            if let Ok(s) = e.bytes_to_string(&[65]) {
                if !s.is_empty() {
                    res = Some(Rc::from(s.as_str()));
                }
            }
        }
        if res.is_none() {
            res = glyph_name_fallback(n).map(|s| Rc::from(s.as_str()));
        }
        if res.is_none() {
            // a.sc, f_f_i, T_h
            let s = String::from_utf8_lossy(n).to_string();
            let base = s.split('.').next().unwrap_or("");
            if !base.is_empty() && base.len() < s.len() {
                res = self.glyph(base.as_bytes());
            } else if s.contains('_') {
                let parts: Option<Vec<Rc<str>>> =
                    s.split('_').map(|p| self.glyph(p.as_bytes())).collect();
                res = parts.map(|p| Rc::from(p.concat().as_str()));
            }
        }
        self.glyphs.insert(n.to_vec(), res.clone());
        res
    }

    pub(super) fn base(&mut self, name: &'static [u8]) -> Rc<Table> {
        if let Some(t) = self.bases.get(name) {
            return t.clone();
        }
        let f = Self::font_dict(Object::Name(name.to_vec()));
        let mut t: Table = vec![None; 256];
        if let Ok(e) = f.get_font_encoding(&self.empty) {
            for (c, slot) in t.iter_mut().enumerate() {
                if let Ok(s) = e.bytes_to_string(&[c as u8]) {
                    if !s.is_empty() {
                        *slot = Some(Rc::from(s.as_str()));
                    }
                }
            }
        }
        let t = Rc::new(t);
        self.bases.insert(name, t.clone());
        t
    }
}

// ---------------------------------------------------------------------------------------------
// Fonts

#[derive(Debug)]
pub(super) struct Font {
    pub(super) name: String,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) composite: bool,
    /// composite fonts: code space of the encoding CMap (empty = 2-byte Identity)
    pub(super) codespace: Vec<(u32, u32, u8)>,
    /// composite fonts: code -> CID from an embedded encoding CMap (None = identity)
    pub(super) cid_map: Option<CMap>,
    pub(super) to_unicode: Option<CMap>,
    /// simple fonts: code -> text from the encoding
    pub(super) table: Table,
    /// simple fonts: widths from FirstChar
    pub(super) first_char: u32,
    pub(super) widths: Vec<f64>,
    pub(super) missing_width: f64,
    /// composite fonts: CID -> width
    pub(super) cid_widths: HashMap<u32, f64>,
    pub(super) default_width: f64,
    /// glyph space -> text space (0.001, or the FontMatrix of a Type3 font)
    pub(super) scale: f64,
    pub(super) ascent: f64,
    pub(super) descent: f64,
    /// gap (in em) above which a horizontal move is a word space: a fraction of the font's
    /// own space width, so condensed fonts with narrow spaces are not glued
    pub(super) gap: f64,
}

impl Font {
    pub(super) fn codes(&self, s: &[u8], out: &mut Vec<(u32, bool)>) {
        out.clear();
        if !self.composite {
            out.extend(s.iter().map(|&b| (b as u32, b == 32)));
            return;
        }
        let mut i = 0;
        while i < s.len() {
            let mut len = 2usize;
            if !self.codespace.is_empty() {
                len = 0;
                'outer: for l in 1..=4usize {
                    if i + l > s.len() {
                        break;
                    }
                    let c = be(&s[i..i + l]);
                    for &(lo, hi, cl) in &self.codespace {
                        if cl as usize == l && lo <= c && c <= hi {
                            len = l;
                            break 'outer;
                        }
                    }
                }
                if len == 0 {
                    len = self
                        .codespace
                        .iter()
                        .map(|c| c.2 as usize)
                        .min()
                        .unwrap_or(1)
                        .max(1);
                }
            }
            let end = (i + len).min(s.len());
            let c = be(&s[i..end]);
            out.push((c, len == 1 && c == 32));
            i = end;
        }
    }

    pub(super) fn text(&self, code: u32) -> Option<Rc<str>> {
        if let Some(tu) = &self.to_unicode {
            if let Some(s) = tu.unicode(code) {
                if !s.is_empty() && !s.chars().all(|c| c == '\0') {
                    return Some(Rc::from(s.as_str()));
                }
            }
        }
        if !self.composite {
            return self.table.get(code as usize).cloned().flatten();
        }
        None
    }

    pub(super) fn width(&self, code: u32) -> f64 {
        let w = if self.composite {
            let cid = self
                .cid_map
                .as_ref()
                .and_then(|m| m.cid(code))
                .unwrap_or(code);
            *self.cid_widths.get(&cid).unwrap_or(&self.default_width)
        } else if code >= self.first_char && ((code - self.first_char) as usize) < self.widths.len()
        {
            self.widths[(code - self.first_char) as usize]
        } else {
            self.missing_width
        };
        w * self.scale
    }
}

pub(super) fn style_from_name(name: &str) -> (bool, bool) {
    let l = name.to_ascii_lowercase();
    // Advent 3B2 (BMC) style suffix: "AdvTT86d47313.BI+20"
    if let Some(p) = l.rfind('.') {
        let suf = l[p + 1..].split('+').next().unwrap_or("");
        match suf {
            "b" => return (true, false),
            "i" => return (false, true),
            "bi" | "ib" => return (true, true),
            _ => {}
        }
    }
    // the style part after the family: "Times-BoldItalic", "Arial,Bold", "NimbusRomNo9L-Medi"
    let style = l
        .rsplit(['-', ','])
        .next()
        .filter(|_| l.contains(['-', ',']))
        .unwrap_or("");
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| l.starts_with(p));
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    // TeX font names (Computer Modern, Latin Modern, the PSNFSS Times and Helvetica).
    let tex_bold = starts(&[
        "cmbx",
        "cmb10",
        "cmssbx",
        "ptmb",
        "phvb",
        "lmroman10-bold",
        "cmbsy",
    ]);
    let tex_it = starts(&[
        "cmti", "cmmi", "cmsl", "cmbxti", "cmbxsl", "cmitt", "ptmri", "ptmbi", "cmssi",
    ]);
    let bold = tex_bold
        || has(&["bold", "black", "heavy", "semibold", "demi"])
        || style.starts_with("medi") && !style.starts_with("medium")
        || style == "bd"
        || style.starts_with("bd")
        || style.starts_with("sb");
    let italic = tex_it
        || has(&["italic", "oblique", "ital"])
        || style.ends_with("it")
        || style.contains("it")
            && (style.starts_with("bold") || style.starts_with("semibold") || style == "it");
    (bold, italic)
}

/// `/Encoding` of a Type1 font program: `dup 65 /A put` lines of the cleartext part.
pub(super) fn type1_builtin(data: &[u8], names: &mut Names) -> Option<Table> {
    let head = &data[..data.len().min(64 * 1024)];
    let start = find(head, b"/Encoding")?;
    let part = &head[start..];
    if part.starts_with(b"/Encoding StandardEncoding") {
        return None;
    }
    let end = find(part, b"readonly def")
        .or_else(|| find(part, b"eexec"))
        .unwrap_or(part.len());
    let toks = lex(&part[..end]);
    let mut t: Table = vec![None; 256];
    let mut any = false;
    for w in toks.windows(4) {
        if let (Tok::Kw(d), Tok::Num(c), Tok::Name(n), Tok::Kw(p)) = (&w[0], &w[1], &w[2], &w[3]) {
            if d == b"dup" && p == b"put" && (0.0..256.0).contains(c) {
                t[*c as usize] = names.glyph(n);
                any = true;
            }
        }
    }
    any.then_some(t)
}

pub(super) fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

pub(super) fn load_font(
    doc: &Document,
    fd: &Dictionary,
    names: &mut Names,
    opts: &Options,
) -> Font {
    let mut f = load_font_inner(doc, fd, names);
    // width of the space glyph: code 32 of a simple font, or the code the ToUnicode maps to " "
    let space_code = if f.composite {
        f.to_unicode.as_ref().and_then(|t| {
            t.uni
                .iter()
                .find(|(_, v)| v.as_str() == " ")
                .map(|(k, _)| *k)
        })
    } else {
        Some(32)
    };
    let space_w = space_code
        .map(|c| f.width(c))
        .filter(|w| *w > 0.02 && *w < 0.6);
    let max = opts.space_gap as f64;
    f.gap = match space_w {
        Some(w) => (0.6 * w).clamp(0.07_f64.min(max), max),
        None => max,
    };
    f
}

pub(super) fn load_font_inner(doc: &Document, fd: &Dictionary, names: &mut Names) -> Font {
    let subtype = name(dict_get(doc, fd, b"Subtype")).unwrap_or(b"Type1");
    let composite = subtype == b"Type0";
    let base = name(dict_get(doc, fd, b"BaseFont"))
        .map(|n| String::from_utf8_lossy(n).to_string())
        .unwrap_or_default();
    let clean = match base.find('+') {
        Some(6) => base[7..].to_string(),
        _ => base.clone(),
    };
    let desc_font = if composite {
        match dict_get(doc, fd, b"DescendantFonts") {
            Object::Array(a) => a.first().map(|o| deref(doc, o)).and_then(as_dict),
            o => as_dict(o),
        }
    } else {
        None
    };
    let descriptor = as_dict(dict_get(doc, desc_font.unwrap_or(fd), b"FontDescriptor"));
    let (mut bold, mut italic) = style_from_name(&clean);
    let mut ascent = 0.8;
    let mut descent = -0.2;
    let mut missing_width = 0.0;
    let mut flags = 0i64;
    if let Some(d) = descriptor {
        flags = num(dict_get(doc, d, b"Flags")).unwrap_or(0.0) as i64;
        if flags & (1 << 18) != 0 || num(dict_get(doc, d, b"FontWeight")).unwrap_or(400.0) >= 600.0
        {
            bold = true;
        }
        if flags & (1 << 6) != 0 || num(dict_get(doc, d, b"ItalicAngle")).unwrap_or(0.0).abs() > 1.0
        {
            italic = true;
        }
        if let Some(a) = num(dict_get(doc, d, b"Ascent")) {
            if (500.0..=1100.0).contains(&a) {
                ascent = a / 1000.0;
            }
        }
        if let Some(a) = num(dict_get(doc, d, b"Descent")) {
            if (-400.0..=-50.0).contains(&a) {
                descent = a / 1000.0;
            }
        }
        missing_width = num(dict_get(doc, d, b"MissingWidth")).unwrap_or(0.0);
    }
    let to_unicode = match dict_get(doc, fd, b"ToUnicode") {
        Object::Stream(s) => s.get_plain_content().ok().map(|d| CMap::parse(&d)),
        _ => None,
    };
    let mut font = Font {
        name: clean.clone(),
        bold,
        italic,
        composite,
        codespace: vec![],
        cid_map: None,
        to_unicode,
        table: vec![],
        first_char: 0,
        widths: vec![],
        missing_width,
        cid_widths: HashMap::new(),
        default_width: 1000.0,
        scale: 0.001,
        ascent,
        descent,
        gap: 0.0,
    };
    if composite {
        match dict_get(doc, fd, b"Encoding") {
            Object::Stream(s) => {
                if let Ok(d) = s.get_plain_content() {
                    let m = CMap::parse(&d);
                    font.codespace = m.codespace.clone();
                    font.cid_map = Some(m);
                }
            }
            Object::Name(n)
                if n.starts_with(b"Uni")
                    && (find(n, b"UCS2").is_some() || find(n, b"UTF16").is_some())
                // Unicode-keyed predefined CMaps: the code is UTF-16; used when no ToUnicode.
                && font.to_unicode.is_none() =>
            {
                font.to_unicode = Some(CMap {
                    uni_ranges: vec![(0, 0xFFFF, vec![0])],
                    ..Default::default()
                });
            }
            _ => {}
        }
        if let Some(df) = desc_font {
            font.default_width = num(dict_get(doc, df, b"DW")).unwrap_or(1000.0);
            if let Object::Array(w) = dict_get(doc, df, b"W") {
                let w: Vec<&Object> = w.iter().map(|o| deref(doc, o)).collect();
                let mut i = 0;
                while i + 1 < w.len() {
                    let Some(c0) = num(w[i]) else { break };
                    match w[i + 1] {
                        Object::Array(ws) => {
                            for (k, x) in ws.iter().enumerate() {
                                if let Some(v) = num(deref(doc, x)) {
                                    font.cid_widths.insert(c0 as u32 + k as u32, v);
                                }
                            }
                            i += 2;
                        }
                        o => {
                            let (Some(c1), Some(v)) = (num(o), w.get(i + 2).and_then(|x| num(x)))
                            else {
                                break;
                            };
                            if c1 >= c0 && c1 - c0 < 100_000.0 {
                                for c in c0 as u32..=c1 as u32 {
                                    font.cid_widths.insert(c, v);
                                }
                            }
                            i += 3;
                        }
                    }
                }
            }
        }
        return font;
    }

    // simple font: widths
    font.first_char = num(dict_get(doc, fd, b"FirstChar")).unwrap_or(0.0).max(0.0) as u32;
    font.widths = nums(doc, dict_get(doc, fd, b"Widths"));
    if subtype == b"Type3" {
        if let Some(m) = matrix(doc, dict_get(doc, fd, b"FontMatrix")) {
            font.scale = m[0].abs().max(1e-6);
        }
    }
    if font.widths.is_empty() {
        // standard 14 font without metrics: approximate (monospaced Courier at 600)
        let w = if clean.starts_with("Courier") {
            600.0
        } else {
            500.0
        };
        font.widths = vec![w; 256];
        font.widths[32] = if clean.starts_with("Courier") {
            600.0
        } else {
            250.0
        };
        font.first_char = 0;
    }

    // simple font: encoding table
    let symbolic = flags & 4 != 0;
    let lname = clean.to_ascii_lowercase();
    let is_symbol_font = lname.starts_with("symbol");
    let enc = dict_get(doc, fd, b"Encoding");
    let builtin = || -> Option<Vec<u8>> {
        let d = descriptor?;
        match dict_get(doc, d, b"FontFile") {
            Object::Stream(s) => s.get_plain_content().ok(),
            _ => None,
        }
    };
    let base_table: Rc<Table> = {
        let base_name: Option<&[u8]> = match enc {
            Object::Name(n) => Some(n),
            Object::Dictionary(d) => name(dict_get(doc, d, b"BaseEncoding")),
            _ => None,
        };
        match base_name {
            Some(b"WinAnsiEncoding") => names.base(b"WinAnsiEncoding"),
            Some(b"MacRomanEncoding") => names.base(b"MacRomanEncoding"),
            Some(b"MacExpertEncoding") => names.base(b"MacExpertEncoding"),
            Some(b"StandardEncoding") => names.base(b"StandardEncoding"),
            _ => {
                // font's built-in encoding
                if is_symbol_font {
                    Rc::new(
                        (0..256u32)
                            .map(|c| {
                                symbol_char(c as u8).map(|ch| Rc::from(ch.to_string().as_str()))
                            })
                            .collect(),
                    )
                } else if let Some(t) = builtin().and_then(|d| type1_builtin(&d, names)) {
                    Rc::new(t)
                } else if symbolic && subtype == b"TrueType" {
                    // symbolic TrueType: codes are often plain ASCII (or 0xF0xx in the font cmap)
                    Rc::new(
                        (0..256u32)
                            .map(|c| {
                                if (32..127).contains(&c) {
                                    Some(Rc::from(char::from(c as u8).to_string().as_str()))
                                } else {
                                    None
                                }
                            })
                            .collect(),
                    )
                } else {
                    names.base(b"StandardEncoding")
                }
            }
        }
    };
    let mut table: Table = (*base_table).clone();
    if let Object::Dictionary(d) = enc {
        if let Object::Array(diffs) = dict_get(doc, d, b"Differences") {
            let mut code: i64 = 0;
            for o in diffs {
                match deref(doc, o) {
                    Object::Integer(c) => code = *c,
                    Object::Name(n) => {
                        if (0..256).contains(&code) {
                            table[code as usize] = names.glyph(n);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    font.table = table;
    font
}
