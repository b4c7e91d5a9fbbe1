//! The CMap and PostScript token reader for ToUnicode and encoding CMaps.

use std::collections::HashMap;

use super::fonts::glyph_name_fallback;

// ---------------------------------------------------------------------------------------------
// CMaps (ToUnicode and embedded CID CMaps)

#[derive(Debug)]
pub(super) enum Tok {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Num(f64),
    Name(Vec<u8>),
    Kw(Vec<u8>),
    Open,
    Close,
}

pub(super) fn lex(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = data.len();
    let is_delim = |c: u8| b"()<>[]{}/%".contains(&c) || c.is_ascii_whitespace();
    while i < n {
        let c = data[i];
        match c {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if i + 1 < n && data[i + 1] == b'<' => {
                i += 2;
                out.push(Tok::Kw(b"<<".to_vec()));
            }
            b'>' if i + 1 < n && data[i + 1] == b'>' => {
                i += 2;
                out.push(Tok::Kw(b">>".to_vec()));
            }
            b'<' => {
                i += 1;
                let mut digits = Vec::new();
                while i < n && data[i] != b'>' {
                    if data[i].is_ascii_hexdigit() {
                        digits.push(data[i]);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks(2)
                    .map(|p| {
                        let h = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                        h(p[0]) * 16 + h(p[1])
                    })
                    .collect();
                out.push(Tok::Hex(bytes));
            }
            b'(' => {
                // literal string (used by some CMaps for source codes)
                i += 1;
                let mut depth = 1;
                let mut s = Vec::new();
                while i < n {
                    let c = data[i];
                    if c == b'\\' && i + 1 < n {
                        i += 1;
                        let e = data[i];
                        match e {
                            b'n' => s.push(b'\n'),
                            b'r' => s.push(b'\r'),
                            b't' => s.push(b'\t'),
                            b'0'..=b'7' => {
                                let mut v = 0u32;
                                let mut k = 0;
                                while k < 3 && i < n && (b'0'..=b'7').contains(&data[i]) {
                                    v = v * 8 + (data[i] - b'0') as u32;
                                    i += 1;
                                    k += 1;
                                }
                                s.push(v as u8);
                                continue;
                            }
                            _ => s.push(e),
                        }
                    } else if c == b'(' {
                        depth += 1;
                        s.push(c);
                    } else if c == b')' {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                        s.push(c);
                    } else {
                        s.push(c);
                    }
                    i += 1;
                }
                out.push(Tok::Str(s));
            }
            b'[' => {
                i += 1;
                out.push(Tok::Open);
            }
            b']' => {
                i += 1;
                out.push(Tok::Close);
            }
            b'/' => {
                i += 1;
                let s = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                out.push(Tok::Name(data[s..i].to_vec()));
            }
            c if c.is_ascii_whitespace() || c == b'{' || c == b'}' || c == b')' || c == b'>' => {
                i += 1
            }
            _ => {
                let s = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                let w = &data[s..i];
                match std::str::from_utf8(w)
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok())
                {
                    Some(v) => out.push(Tok::Num(v)),
                    None => out.push(Tok::Kw(w.to_vec())),
                }
            }
        }
    }
    out
}

pub(super) fn be(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |a, &b| (a << 8) | b as u32)
}

/// Big-endian 16-bit code units; a lone last byte is a unit of its own.
fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| match p {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            [b] => u16::from(*b),
            _ => unreachable!("chunks of 2"),
        })
        .collect()
}

pub(super) fn utf16be(bytes: &[u8]) -> String {
    let units = utf16_units(bytes);
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Result of parsing a CMap: code space ranges, code -> Unicode (bfchar/bfrange),
/// code -> CID (cidchar/cidrange).
#[derive(Default, Debug)]
pub(super) struct CMap {
    /// (low, high, byte length)
    pub(super) codespace: Vec<(u32, u32, u8)>,
    pub(super) uni: HashMap<u32, String>,
    /// large bfranges kept as ranges: (lo, hi, first destination as UTF-16 units)
    pub(super) uni_ranges: Vec<(u32, u32, Vec<u16>)>,
    pub(super) cid: HashMap<u32, u32>,
    pub(super) cid_ranges: Vec<(u32, u32, u32)>,
}

impl CMap {
    pub(super) fn parse(data: &[u8]) -> CMap {
        let toks = lex(data);
        let mut m = CMap::default();
        let mut i = 0;
        let kw = |t: &Tok, k: &[u8]| matches!(t, Tok::Kw(w) if w == k);
        let code = |t: &Tok| match t {
            Tok::Hex(b) | Tok::Str(b) => Some((be(b), b.len().clamp(1, 4) as u8)),
            _ => None,
        };
        while i < toks.len() {
            if kw(&toks[i], b"begincodespacerange") {
                i += 1;
                while i + 1 < toks.len() && !kw(&toks[i], b"endcodespacerange") {
                    if let (Some((lo, l)), Some((hi, _))) = (code(&toks[i]), code(&toks[i + 1])) {
                        m.codespace.push((lo, hi, l));
                    }
                    i += 2;
                }
            } else if kw(&toks[i], b"beginbfchar") {
                i += 1;
                while i + 1 < toks.len() && !kw(&toks[i], b"endbfchar") {
                    if let Some((src, _)) = code(&toks[i]) {
                        match &toks[i + 1] {
                            Tok::Hex(d) | Tok::Str(d) => {
                                m.uni.insert(src, utf16be(d));
                            }
                            Tok::Name(n) => {
                                if let Some(s) = glyph_name_fallback(n) {
                                    m.uni.insert(src, s);
                                }
                            }
                            _ => {}
                        }
                    }
                    i += 2;
                }
            } else if kw(&toks[i], b"beginbfrange") {
                i += 1;
                while i + 2 < toks.len() && !kw(&toks[i], b"endbfrange") {
                    let (Some((lo, _)), Some((hi, _))) = (code(&toks[i]), code(&toks[i + 1]))
                    else {
                        i += 1;
                        continue;
                    };
                    let hi = hi.max(lo);
                    match &toks[i + 2] {
                        Tok::Hex(d) => {
                            let units = utf16_units(d);
                            if hi - lo <= 256 {
                                for c in lo..=hi {
                                    let mut u = units.clone();
                                    if let Some(last) = u.last_mut() {
                                        *last = last.wrapping_add((c - lo) as u16);
                                    }
                                    m.uni.insert(c, String::from_utf16_lossy(&u));
                                }
                            } else {
                                m.uni_ranges.push((lo, hi, units));
                            }
                            i += 3;
                        }
                        Tok::Open => {
                            let mut j = i + 3;
                            let mut c = lo;
                            while j < toks.len() && !matches!(toks[j], Tok::Close) {
                                if let Tok::Hex(d) | Tok::Str(d) = &toks[j] {
                                    if c <= hi {
                                        m.uni.insert(c, utf16be(d));
                                    }
                                    c = c.wrapping_add(1);
                                }
                                j += 1;
                            }
                            i = j + 1;
                        }
                        _ => i += 3,
                    }
                }
            } else if kw(&toks[i], b"begincidrange") {
                i += 1;
                while i + 2 < toks.len() && !kw(&toks[i], b"endcidrange") {
                    if let (Some((lo, _)), Some((hi, _)), Tok::Num(c)) =
                        (code(&toks[i]), code(&toks[i + 1]), &toks[i + 2])
                    {
                        m.cid_ranges.push((lo, hi, *c as u32));
                    }
                    i += 3;
                }
            } else if kw(&toks[i], b"begincidchar") {
                i += 1;
                while i + 1 < toks.len() && !kw(&toks[i], b"endcidchar") {
                    if let (Some((src, _)), Tok::Num(c)) = (code(&toks[i]), &toks[i + 1]) {
                        m.cid.insert(src, *c as u32);
                    }
                    i += 2;
                }
            }
            i += 1;
        }
        m
    }

    pub(super) fn unicode(&self, code: u32) -> Option<String> {
        if let Some(s) = self.uni.get(&code) {
            return Some(s.clone());
        }
        for (lo, hi, units) in &self.uni_ranges {
            if (*lo..=*hi).contains(&code) {
                let mut u = units.clone();
                if let Some(last) = u.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                return Some(String::from_utf16_lossy(&u));
            }
        }
        None
    }

    pub(super) fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cid.get(&code) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&code))
            .map(|(lo, _, c)| c + (code - lo))
    }
}
