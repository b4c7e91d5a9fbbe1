//! Positioned text runs from the pages of a PDF, on top of `lopdf`.
//!
//! `lopdf` gives the object model (xref, object streams, filters, encryption) and the content
//! stream tokenizer; this module is the small text interpreter on top: graphics/text state,
//! `Tf Tc Tw Tz TL Ts Td TD Tm T* Tj TJ ' "`, `cm q Q`, Form XObjects (`Do`), font encodings
//! (standard encodings, `/Differences`, Type1 built-in encodings, ToUnicode CMaps,
//! Type0/CID fonts with Identity or embedded CMaps) and glyph widths.
//!
//! A [`Run`] is a maximal piece of text on one baseline, in one font and size, with no
//! space character and no visible gap inside: i.e. a word, or a piece of a word when the
//! font changes inside it (`joined` tells that it continues the previous run's word).
//! Coordinates are in PDF points in the page as displayed (`/Rotate` applied, crop box
//! origin), with the origin at the top-left and y growing downwards. Runs come in content
//! stream order; ordering into lines and columns is the layout layer's job.
//! Text is as the PDF maps it (ligatures such as U+FB01 kept: NFKC is a later layer).

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// One page: size in points (as displayed) and its runs in content order.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Width in points, as displayed.
    pub width: f32,
    /// Height in points, as displayed.
    pub height: f32,
    /// The runs in content-stream order.
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq)]
/// A word, or a piece of a word in one font, with its box and font.
pub struct Run {
    /// The text as the PDF maps it (not yet NFKC-normalised).
    pub text: String,
    /// Bounding box (top-left origin, y down): x0 < x1, y0 (top) < y1 (bottom).
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
    /// y of the baseline (for upright text), x of the baseline for vertical runs.
    pub baseline: f32,
    /// Effective size in points (font size x text matrix x CTM).
    pub font_size: f32,
    /// BaseFont without the subset prefix (`ABCDEF+`).
    pub font_name: String,
    /// Bold, from the font's name, descriptor flags or weight.
    pub bold: bool,
    /// Italic, from the font's name, descriptor flags or italic angle.
    pub italic: bool,
    /// No space and no gap before this run: it continues the previous run's word
    /// (font change inside a word, superscript right after a word, ...).
    pub joined: bool,
    /// Text direction is left-to-right horizontal on the displayed page.
    pub upright: bool,
}

/// Why a PDF gave no pages.
#[derive(Debug, PartialEq)]
pub enum PdfError {
    /// The file could not be parsed (xref, trailer, page tree).
    Load(String),
    /// The file needs a user password to be opened (an owner password alone is no obstacle).
    Encrypted,
    /// Reading took longer than the time limit.
    Timeout(f32),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Load(s) => write!(f, "cannot load PDF: {s}"),
            PdfError::Encrypted => write!(f, "encrypted"),
            PdfError::Timeout(s) => write!(f, "PDF took longer than {s} s (see --pdf-timeout)"),
        }
    }
}
impl std::error::Error for PdfError {}

/// Tuning knobs and limits of the run builder.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// A horizontal gap wider than this fraction of the font size is a word space.
    pub space_gap: f32,
    /// Pages read at most; later pages are left out.
    pub max_pages: usize,
    /// Stop with [`PdfError::Timeout`] after this long.
    pub timeout: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            space_gap: 0.11,
            max_pages: usize::MAX,
            timeout: None,
        }
    }
}

/// Positioned runs of every page. A page whose content fails to parse midway keeps the runs
/// read before the error; only a document that cannot be opened at all is an error.
pub fn page_runs(bytes: &[u8]) -> Result<Vec<Page>, PdfError> {
    page_runs_with(bytes, Options::default())
}

/// [`page_runs`] with options: the word-gap threshold, a page limit and a time limit.
pub fn page_runs_with(bytes: &[u8], opts: Options) -> Result<Vec<Page>, PdfError> {
    read_pages(bytes, opts).map(|(pages, _)| pages)
}

/// [`page_runs_with`], and the number of pages of the document (more than were read when the
/// page limit cut it).
pub fn read_pages(bytes: &[u8], opts: Options) -> Result<(Vec<Page>, usize), PdfError> {
    let start = Instant::now();
    let doc = Document::load_mem(bytes).map_err(|e| PdfError::Load(e.to_string()))?;
    // lopdf opens a file whose user password is empty (owner-password-only files, which
    // restrict copying or printing) and decrypts it; otherwise it leaves it encrypted.
    if doc.trailer.get(b"Encrypt").is_ok() && doc.encryption_state.is_none() {
        return Err(PdfError::Encrypted);
    }
    let deadline = opts.timeout.map(|t| start + t);
    let mut ex = Extractor::new(&doc, opts);
    ex.deadline = deadline;
    let mut pages = Vec::new();
    let all = doc.get_pages();
    for (_, &page_id) in all.iter().take(opts.max_pages) {
        // A panic in one page (should not happen, but this is untrusted input) costs that page only.
        let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.page(page_id)))
            .unwrap_or_default();
        pages.push(page);
        if ex.late || deadline.is_some_and(|d| Instant::now() > d) {
            return Err(PdfError::Timeout(
                opts.timeout.unwrap_or_default().as_secs_f32(),
            ));
        }
    }
    Ok((pages, all.len()))
}

use super::fonts::*;
use super::objects::*;

// ---------------------------------------------------------------------------------------------
// Run builder

pub(super) struct Glyph {
    pub(super) origin: (f64, f64),
    /// pen position after the glyph (without char/word spacing)
    pub(super) end: (f64, f64),
    pub(super) bbox: [f64; 4],
    pub(super) size: f64,
    pub(super) dir: (f64, f64),
}

pub(super) struct Cur {
    pub(super) text: String,
    pub(super) font: Rc<Font>,
    pub(super) size: f64,
    pub(super) dir: (f64, f64),
    pub(super) origin: (f64, f64),
    pub(super) last_origin: (f64, f64),
    pub(super) last_text: Rc<str>,
    pub(super) end: (f64, f64),
    pub(super) bbox: [f64; 4],
    pub(super) joined: bool,
}

/// Where the previous glyph ended: position, direction, font size and space width.
pub(super) type LastEnd = ((f64, f64), (f64, f64), f64, f64);

pub(super) struct Builder {
    /// word-gap threshold (em) imposed by a letter-spaced TJ array, see `letterspacing`
    pub(super) gap_override: Option<f64>,
    pub(super) runs: Vec<Run>,
    pub(super) cur: Option<Cur>,
    /// a space character or a gap was seen since the last run
    pub(super) pending_space: bool,
    /// pen position after the last glyph of the last finished run
    pub(super) last_end: Option<LastEnd>,
}

impl Cur {
    /// Add a glyph's text to the run.
    fn push(&mut self, text: Rc<str>, g: &Glyph) {
        self.text.push_str(&text);
        self.end = g.end;
        self.last_origin = g.origin;
        self.last_text = text;
        self.bbox = [
            self.bbox[0].min(g.bbox[0]),
            self.bbox[1].min(g.bbox[1]),
            self.bbox[2].max(g.bbox[2]),
            self.bbox[3].max(g.bbox[3]),
        ];
    }
}

impl Builder {
    pub(super) fn flush(&mut self) {
        if let Some(c) = self.cur.take() {
            self.last_end = Some((c.end, c.dir, c.size, c.font.gap));
            let upright = c.dir.0 > 0.99;
            self.runs.push(Run {
                text: c.text,
                x0: c.bbox[0] as f32,
                y0: c.bbox[1] as f32,
                x1: c.bbox[2] as f32,
                y1: c.bbox[3] as f32,
                baseline: if upright || c.dir.0 < -0.99 {
                    c.origin.1 as f32
                } else {
                    c.origin.0 as f32
                },
                font_size: ((c.size * 100.0).round() / 100.0) as f32,
                font_name: c.font.name.clone(),
                bold: c.font.bold,
                italic: c.font.italic,
                joined: c.joined,
                upright,
            });
        }
    }

    pub(super) fn space(&mut self) {
        self.flush();
        self.pending_space = true;
    }

    /// Is `o` right after the pen position `end` (same direction, no word gap)?
    /// Returns (adjacent, same_baseline)
    pub(super) fn adjacency(
        &self,
        end: (f64, f64),
        dir: (f64, f64),
        size: f64,
        gap: f64,
        g: &Glyph,
    ) -> (bool, bool) {
        if dir.0 * g.dir.0 + dir.1 * g.dir.1 < 0.99 {
            return (false, false);
        }
        let dx = (g.origin.0 - end.0, g.origin.1 - end.1);
        let along = dx.0 * dir.0 + dx.1 * dir.1;
        let perp = (dx.0 * dir.1 - dx.1 * dir.0).abs();
        let s = size.min(g.size).max(0.1);
        let same_baseline = perp < 0.08 * s;
        let adjacent = perp < 0.6 * s.max(size.max(g.size) * 0.5)
            && along > -0.3 * s
            && along < self.gap_override.unwrap_or(0.0).max(gap) * s;
        (adjacent, same_baseline)
    }

    pub(super) fn glyph(&mut self, font: &Rc<Font>, text: Rc<str>, g: Glyph) {
        if text.chars().all(|c| c.is_whitespace()) {
            self.space();
            return;
        }
        // fake bold: the same glyph painted again at (almost) the same place
        if let Some(c) = &self.cur {
            if *c.last_text == *text {
                let d = (g.origin.0 - c.last_origin.0).hypot(g.origin.1 - c.last_origin.1);
                if d < 0.1 * g.size {
                    return;
                }
            }
        }
        if let Some(c) = &mut self.cur {
            if let Some(marked) = accent_over(c, &text, &g) {
                c.text.truncate(c.text.len() - c.last_text.len());
                c.push(Rc::from(marked.as_str()), &g);
                return;
            }
            let (adj, same_bl) = {
                let dx = (g.origin.0 - c.end.0, g.origin.1 - c.end.1);
                let along = dx.0 * c.dir.0 + dx.1 * c.dir.1;
                let perp = (dx.0 * c.dir.1 - dx.1 * c.dir.0).abs();
                let s = c.size.min(g.size).max(0.1);
                let dirs_ok = c.dir.0 * g.dir.0 + c.dir.1 * g.dir.1 > 0.99;
                (
                    dirs_ok
                        && perp < 0.6 * c.size.max(g.size)
                        && along > -0.3 * s
                        && along
                            < self
                                .gap_override
                                .unwrap_or(0.0)
                                .max(c.font.gap.min(font.gap))
                                * s,
                    perp < 0.08 * s,
                )
            };
            if adj
                && same_bl
                && Rc::ptr_eq(&c.font, font)
                && (c.size - g.size).abs() < 0.01 * c.size
            {
                c.push(text, &g);
                return;
            }
            let joined = adj;
            self.flush();
            self.start(font, text, g, joined);
            return;
        }
        // no current run: joined to the previous run if no space char came and it is adjacent
        let joined = !self.pending_space
            && match self.last_end {
                Some((end, dir, size, gap)) => {
                    self.adjacency(end, dir, size, gap.min(font.gap), &g).0
                }
                None => false,
            };
        self.start(font, text, g, joined);
    }

    pub(super) fn start(&mut self, font: &Rc<Font>, text: Rc<str>, g: Glyph, joined: bool) {
        self.pending_space = false;
        self.cur = Some(Cur {
            text: text.to_string(),
            font: font.clone(),
            size: g.size,
            dir: g.dir,
            origin: g.origin,
            last_origin: g.origin,
            last_text: text,
            end: g.end,
            bbox: g.bbox,
            joined,
        });
    }
}

/// The combining mark of a spacing diacritic glyph (Adobe glyph names `dieresis`, `acute`,
/// `grave`, `circumflex`, `tilde`, `macron`, `breve`, `dotaccent`, `ring`, `caron`,
/// `hungarumlaut`, `cedilla`, `ogonek`; ASCII `^` and `~`, which some encodings give the
/// circumflex and tilde accents).
pub(super) fn combining_mark(text: &str) -> Option<char> {
    const MARKS: [(char, char); 15] = [
        ('\u{A8}', '\u{308}'),
        ('\u{B4}', '\u{301}'),
        ('`', '\u{300}'),
        ('\u{2C6}', '\u{302}'),
        ('^', '\u{302}'),
        ('\u{2DC}', '\u{303}'),
        ('~', '\u{303}'),
        ('\u{AF}', '\u{304}'),
        ('\u{2D8}', '\u{306}'),
        ('\u{2D9}', '\u{307}'),
        ('\u{2DA}', '\u{30A}'),
        ('\u{2C7}', '\u{30C}'),
        ('\u{2DD}', '\u{30B}'),
        ('\u{B8}', '\u{327}'),
        ('\u{2DB}', '\u{328}'),
    ];
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    MARKS.iter().find(|m| m.0 == c).map(|m| m.1)
}

/// A diacritic set over a letter as TeX's `\accent` sets it (the accent glyph, a move back,
/// then the letter under it; or a cedilla or ogonek moved back under the letter before it):
/// the letter with its combining mark, which NFC later composes ("a" + U+0308 = "ä"). The
/// dotless i under an accent is an i ("\'{\i}" is "í").
fn accent_over(c: &Cur, text: &str, g: &Glyph) -> Option<String> {
    let s = c.size.min(g.size).max(0.1);
    let dx = (g.origin.0 - c.last_origin.0, g.origin.1 - c.last_origin.1);
    let along = dx.0 * c.dir.0 + dx.1 * c.dir.1;
    let perp = (dx.0 * c.dir.1 - dx.1 * c.dir.0).abs();
    let back = (g.origin.0 - c.end.0) * c.dir.0 + (g.origin.1 - c.end.1) * c.dir.1;
    // Drawn over the last glyph: the pen moved back, and it starts within an em of that glyph.
    if back > -0.1 * s || along.abs() > s || perp > 0.6 * s {
        return None;
    }
    let letter = |t: &str| {
        let mut ch = t.chars();
        ch.next()
            .filter(|l| l.is_alphabetic() && ch.next().is_none())
            .map(|l| if l == 'ı' { 'i' } else { l })
    };
    if let (Some(mark), Some(l)) = (combining_mark(&c.last_text), letter(text)) {
        return Some(format!("{l}{mark}"));
    }
    match (letter(&c.last_text), combining_mark(text)) {
        (Some(l), Some(mark @ ('\u{327}' | '\u{328}'))) => Some(format!("{l}{mark}")),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Interpreter

/// Letter-spaced text set with TJ kerning (`[(S) -114 (T) -117 (U) ... (Y) -414 (P) ...]`):
/// when most pieces are single glyphs and the typical gap between them is already above the
/// word-gap threshold, only gaps clearly wider than the typical one are word spaces.
pub(super) fn letterspacing(items: &[Object], gap: f64) -> Option<f64> {
    let mut pieces = 0;
    let mut singles = 0;
    let mut gaps: Vec<f64> = Vec::new();
    let mut pending = 0.0;
    let mut seen_text = false;
    for it in items {
        match it {
            Object::String(s, _) if !s.is_empty() => {
                if seen_text {
                    gaps.push(pending);
                }
                pending = 0.0;
                seen_text = true;
                pieces += 1;
                if s.len() <= 2 {
                    singles += 1;
                }
            }
            o => pending += num(o).map(|n| -n / 1000.0).unwrap_or(0.0),
        }
    }
    if pieces < 4 || singles * 10 < pieces * 8 {
        return None;
    }
    gaps.sort_by(|a, b| a.total_cmp(b));
    let median = gaps[gaps.len() / 2];
    (median > gap).then_some(1.8 * median)
}

#[derive(Clone)]
pub(super) struct Gs {
    pub(super) ctm: M,
    pub(super) font: Option<Rc<Font>>,
    pub(super) fs: f64,
    pub(super) tc: f64,
    pub(super) tw: f64,
    pub(super) th: f64,
    pub(super) tl: f64,
    pub(super) rise: f64,
}

pub(super) struct Extractor<'a> {
    pub(super) doc: &'a Document,
    pub(super) names: Names,
    pub(super) fonts: HashMap<(ObjectId, usize), Rc<Font>>,
    pub(super) opts: Options,
    pub(super) codes: Vec<(u32, bool)>,
    /// When to give up (checked every few hundred operators).
    pub(super) deadline: Option<Instant>,
    /// Operators read so far, for the deadline checks.
    pub(super) ops: u64,
    /// The deadline passed.
    pub(super) late: bool,
}

pub(super) const MAX_FORM_DEPTH: usize = 8;

impl<'a> Extractor<'a> {
    pub(super) fn new(doc: &'a Document, opts: Options) -> Self {
        Extractor {
            doc,
            names: Names::new(),
            fonts: HashMap::new(),
            opts,
            codes: Vec::new(),
            deadline: None,
            ops: 0,
            late: false,
        }
    }

    /// Whether the deadline has passed (checked once every 256 calls).
    pub(super) fn timed_out(&mut self) -> bool {
        self.ops += 1;
        if !self.late && self.ops.is_multiple_of(256) {
            self.late = self.deadline.is_some_and(|d| Instant::now() > d);
        }
        self.late
    }

    pub(super) fn page(&mut self, page_id: ObjectId) -> Page {
        let doc = self.doc;
        let Ok(pd) = doc.get_dictionary(page_id) else {
            return Page::default();
        };
        let mut bx = nums(doc, inherited(doc, pd, b"CropBox"));
        if bx.len() != 4 {
            bx = nums(doc, inherited(doc, pd, b"MediaBox"));
        }
        if bx.len() != 4 {
            bx = vec![0.0, 0.0, 612.0, 792.0];
        }
        let (llx, lly, urx, ury) = (
            bx[0].min(bx[2]),
            bx[1].min(bx[3]),
            bx[0].max(bx[2]),
            bx[1].max(bx[3]),
        );
        let (w, h) = (urx - llx, ury - lly);
        let rot = (num(inherited(doc, pd, b"Rotate")).unwrap_or(0.0) as i64).rem_euclid(360);
        let (device, pw, ph): (M, f64, f64) = match rot {
            90 => ([0.0, 1.0, 1.0, 0.0, -lly, -llx], h, w),
            180 => ([-1.0, 0.0, 0.0, 1.0, urx, -lly], w, h),
            270 => ([0.0, -1.0, -1.0, 0.0, ury, urx], h, w),
            _ => ([1.0, 0.0, 0.0, -1.0, -llx, ury], w, h),
        };
        let resources = inherited(doc, pd, b"Resources");
        let content = doc.get_page_content(page_id);
        let mut b = Builder {
            gap_override: None,
            runs: Vec::new(),
            cur: None,
            pending_space: false,
            last_end: None,
        };
        let gs = Gs {
            ctm: device,
            font: None,
            fs: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        let mut stack = Vec::new();
        self.run(&content, &[as_dict(resources)], gs, &mut b, &mut stack);
        b.flush();
        // drop text that lies entirely outside the page
        let (pw32, ph32) = (pw as f32, ph as f32);
        b.runs
            .retain(|r| r.x1 > 0.0 && r.x0 < pw32 && r.y1 > 0.0 && r.y0 < ph32);
        Page {
            width: pw32,
            height: ph32,
            runs: b.runs,
        }
    }

    pub(super) fn lookup(
        &self,
        res: &[Option<&'a Dictionary>],
        cat: &[u8],
        key: &[u8],
    ) -> Option<(&'a Object, Option<ObjectId>)> {
        for r in res.iter().flatten() {
            if let Some(d) = as_dict(dict_get(self.doc, r, cat)) {
                if let Ok(o) = d.get(key) {
                    let id = if let Object::Reference(id) = o {
                        Some(*id)
                    } else {
                        None
                    };
                    let o = deref(self.doc, o);
                    if !matches!(o, Object::Null) {
                        return Some((o, id));
                    }
                }
            }
        }
        None
    }

    pub(super) fn font(&mut self, res: &[Option<&'a Dictionary>], key: &[u8]) -> Option<Rc<Font>> {
        let (o, id) = self.lookup(res, b"Font", key)?;
        let d = as_dict(o)?;
        let k = (
            id.unwrap_or((0, 0)),
            if id.is_some() {
                0
            } else {
                d as *const Dictionary as usize
            },
        );
        if let Some(f) = self.fonts.get(&k) {
            return Some(f.clone());
        }
        let f = Rc::new(load_font(self.doc, d, &mut self.names, &self.opts));
        self.fonts.insert(k, f.clone());
        Some(f)
    }

    pub(super) fn run(
        &mut self,
        content: &[u8],
        res: &[Option<&'a Dictionary>],
        mut gs: Gs,
        b: &mut Builder,
        forms: &mut Vec<ObjectId>,
    ) {
        let mut saved: Vec<Gs> = Vec::new();
        let mut tm = IDENT;
        let mut tlm = IDENT;
        for op in lopdf::content::Content::decode_iter(content) {
            let Ok(op) = op else { break };
            if self.timed_out() {
                break;
            }
            let a = &op.operands;
            let f = |i: usize| a.get(i).and_then(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if saved.len() < 256 => saved.push(gs.clone()),
                "Q" => {
                    if let Some(g) = saved.pop() {
                        gs = g;
                    }
                }
                "cm" if a.len() == 6 => {
                    let m = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                "BT" => {
                    tm = IDENT;
                    tlm = IDENT;
                }
                "ET" => {}
                "Tf" => {
                    gs.font = a.first().and_then(name).and_then(|n| self.font(res, n));
                    gs.fs = f(1);
                }
                "Tc" => gs.tc = f(0),
                "Tw" => gs.tw = f(0),
                "Tz" => gs.th = f(0) / 100.0,
                "TL" => gs.tl = f(0),
                "Ts" => gs.rise = f(0),
                "Td" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                "TD" => {
                    gs.tl = -f(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                "Tm" if a.len() == 6 => {
                    tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(s, &gs, &mut tm, b);
                    }
                }
                "'" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(s, &gs, &mut tm, b);
                    }
                }
                "\"" => {
                    gs.tw = f(0);
                    gs.tc = f(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = a.get(2) {
                        self.show(s, &gs, &mut tm, b);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        b.gap_override =
                            letterspacing(items, gs.font.as_ref().map(|f| f.gap).unwrap_or(0.11));
                        for it in items {
                            match it {
                                Object::String(s, _) => self.show(s, &gs, &mut tm, b),
                                o => {
                                    if let Some(n) = num(o) {
                                        let tx = -n / 1000.0 * gs.fs * gs.th;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                            }
                        }
                        b.gap_override = None;
                    }
                }
                "Do" => {
                    let Some(n) = a.first().and_then(name) else {
                        continue;
                    };
                    let Some((Object::Stream(s), id)) = self.lookup(res, b"XObject", n) else {
                        continue;
                    };
                    if name(dict_get(self.doc, &s.dict, b"Subtype")) != Some(b"Form") {
                        continue;
                    }
                    let id = id.unwrap_or((0, 0));
                    if forms.len() >= MAX_FORM_DEPTH || forms.contains(&id) {
                        continue;
                    }
                    let Ok(data) = s.get_plain_content() else {
                        continue;
                    };
                    let m =
                        matrix(self.doc, dict_get(self.doc, &s.dict, b"Matrix")).unwrap_or(IDENT);
                    let mut g2 = gs.clone();
                    g2.ctm = mul(&m, &gs.ctm);
                    let own = as_dict(dict_get(self.doc, &s.dict, b"Resources"));
                    let mut r2: Vec<Option<&'a Dictionary>> = vec![own];
                    r2.extend_from_slice(res);
                    forms.push(id);
                    self.run(&data, &r2, g2, b, forms);
                    forms.pop();
                }
                _ => {}
            }
        }
    }

    pub(super) fn show(&mut self, s: &[u8], gs: &Gs, tm: &mut M, b: &mut Builder) {
        let Some(font) = gs.font.clone() else { return };
        let mut codes = std::mem::take(&mut self.codes);
        font.codes(s, &mut codes);
        let base = [gs.fs * gs.th, 0.0, 0.0, gs.fs, 0.0, gs.rise];
        for &(code, single_space) in &codes {
            let w0 = font.width(code);
            let trm = mul(&mul(&base, tm), &gs.ctm);
            let text = font.text(code);
            if let Some(text) = text {
                let origin = apply(&trm, 0.0, 0.0);
                let end = apply(&trm, w0, 0.0);
                let (ux, uy) = vec_apply(&trm, 0.0, 1.0);
                let size = ux.hypot(uy);
                let (dx, dy) = vec_apply(&trm, 1.0, 0.0);
                let dl = dx.hypot(dy);
                if size > 0.0 && dl > 0.0 && size.is_finite() {
                    let pts = [
                        apply(&trm, 0.0, font.descent),
                        apply(&trm, w0, font.descent),
                        apply(&trm, 0.0, font.ascent),
                        apply(&trm, w0, font.ascent),
                    ];
                    let bbox = [
                        pts.iter().map(|p| p.0).fold(f64::MAX, f64::min),
                        pts.iter().map(|p| p.1).fold(f64::MAX, f64::min),
                        pts.iter().map(|p| p.0).fold(f64::MIN, f64::max),
                        pts.iter().map(|p| p.1).fold(f64::MIN, f64::max),
                    ];
                    b.glyph(
                        &font,
                        text,
                        Glyph {
                            origin,
                            end,
                            bbox,
                            size,
                            dir: (dx / dl, dy / dl),
                        },
                    );
                }
            }
            let tx = (w0 * gs.fs + gs.tc + if single_space { gs.tw } else { 0.0 }) * gs.th;
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
        self.codes = codes;
    }
}

#[cfg(test)]
#[path = "runs_tests.rs"]
mod tests;
