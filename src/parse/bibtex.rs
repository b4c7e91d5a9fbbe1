//! BibTeX (`.bib`), as reference managers (Zotero, JabRef, Mendeley), databases (Scopus, the
//! Cochrane Library) and screening tools (Rayyan) write it: `@type{key, field = {value}, ...}`
//! with values in braces (nested), in quotes or bare, joined with `#`; `@string` macros,
//! `@comment` and `@preamble`; LaTeX accents and commands in values. Text between entries is
//! ignored. A malformed entry is reported by its line, and reading goes on at the next `@`
//! that starts a line.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::export::{bare_doi, first_field, first_year, person, Lines, Record};
use super::ParseError;
use crate::model::Person;

/// The records of `source`, and the problems met ("line 12: ...").
pub fn parse_bibtex(source: &str) -> (Vec<Record>, Vec<String>) {
    let lines = Lines::new(source);
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut strings: HashMap<String, String> = HashMap::new();
    let bytes = source.as_bytes();
    let mut pos = 0;
    while let Some(at) = source[pos..].find('@').map(|i| pos + i) {
        let mut p = Parser {
            s: source,
            b: bytes,
            pos: at + 1,
        };
        match p.entry(&strings) {
            Ok(Entry::Fields(kind, fields)) => {
                records.push(record(&kind, fields, lines.line(at)));
                pos = p.pos;
            }
            Ok(Entry::String(name, value)) => {
                strings.insert(name, value);
                pos = p.pos;
            }
            Ok(Entry::Skip) => pos = p.pos,
            Err(why) => {
                problems.push(format!("line {}: {why}", lines.line(at)));
                // Go on at the next line that starts with '@'.
                pos = source[at + 1..]
                    .find("\n@")
                    .map_or(source.len(), |i| at + 1 + i + 1);
            }
        }
    }
    (records, problems)
}

enum Entry {
    Fields(String, Vec<(String, String)>),
    String(String, String),
    Skip,
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.pos < self.b.len() && self.b[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self.pos < self.b.len()
            && !self.b[self.pos].is_ascii_whitespace()
            && !b"{}(),=#\"".contains(&self.b[self.pos])
        {
            self.pos += 1;
        }
        self.s[start..self.pos].to_string()
    }

    /// After '@': the whole entry.
    fn entry(&mut self, strings: &HashMap<String, String>) -> Result<Entry, ParseError> {
        let kind = self.ident().to_lowercase();
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Ok(Entry::Skip); // an '@' in running text ("Record #1", e-mail addresses)
        }
        self.skip_space();
        let close = match self.b.get(self.pos) {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => return Ok(Entry::Skip),
        };
        if kind == "comment" || kind == "preamble" {
            self.pos += 1;
            self.balanced(close)?;
            return Ok(Entry::Skip);
        }
        self.pos += 1;
        self.skip_space();
        if kind != "string" {
            let start = self.pos;
            while self.pos < self.b.len()
                && !self.b[self.pos].is_ascii_whitespace()
                && !b",{}()".contains(&self.b[self.pos])
            {
                self.pos += 1;
            }
            let key = &self.s[start..self.pos];
            self.skip_space();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(&c) if c == close => {
                    self.pos += 1;
                    return Ok(Entry::Fields(kind, Vec::new()));
                }
                _ => {
                    return Err(ParseError::Invalid(format!(
                        "entry @{kind}{{{key} has no comma after its key"
                    )))
                }
            }
        }
        let mut fields = Vec::new();
        loop {
            self.skip_space();
            match self.b.get(self.pos) {
                None => {
                    return Err(ParseError::Invalid(format!(
                        "@{kind} entry not closed before the end"
                    )))
                }
                Some(&c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            // Field names may hold spaces (Scopus: "funding_text 1").
            let start = self.pos;
            while self.pos < self.b.len() && !b"=,{}\n".contains(&self.b[self.pos]) {
                self.pos += 1;
            }
            let name = self.s[start..self.pos].trim().to_lowercase();
            if self.b.get(self.pos) != Some(&b'=') || name.is_empty() {
                return Err(ParseError::Invalid(format!(
                    "expected \"field = value\" in @{kind}"
                )));
            }
            self.pos += 1;
            let value = self.value(strings)?;
            fields.push((name, value));
        }
        if kind == "string" {
            return match fields.into_iter().next() {
                Some((name, value)) => Ok(Entry::String(name, value)),
                None => Ok(Entry::Skip),
            };
        }
        Ok(Entry::Fields(kind, fields))
    }

    /// A value: parts in braces, quotes, numbers or macro names, joined with '#'.
    fn value(&mut self, strings: &HashMap<String, String>) -> Result<String, ParseError> {
        let mut out = String::new();
        loop {
            self.skip_space();
            match self.b.get(self.pos) {
                Some(b'{') => {
                    self.pos += 1;
                    let start = self.pos;
                    self.balanced(b'}')?;
                    out.push_str(&self.s[start..self.pos - 1]);
                }
                Some(b'"') => {
                    self.pos += 1;
                    let start = self.pos;
                    let mut depth = 0;
                    loop {
                        match self.b.get(self.pos) {
                            None => {
                                return Err(ParseError::Invalid("quoted value not closed".into()))
                            }
                            Some(b'{') => depth += 1,
                            Some(b'}') if depth > 0 => depth -= 1,
                            Some(b'"') if depth == 0 => break,
                            _ => {}
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.s[start..self.pos]);
                    self.pos += 1;
                }
                Some(c) if c.is_ascii_alphanumeric() => {
                    let word = self.ident();
                    match strings.get(&word.to_lowercase()) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&word),
                    }
                }
                _ => return Err(ParseError::Invalid("a field has no value".into())),
            }
            self.skip_space();
            if self.b.get(self.pos) == Some(&b'#') {
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    /// Move past the `close` brace that balances the one just read. A line starting with '@' and
    /// an entry type at depth 1 means the entry lost its closing brace.
    fn balanced(&mut self, close: u8) -> Result<(), ParseError> {
        let open = if close == b'}' { b'{' } else { b'(' };
        let mut depth = 1;
        while let Some(&c) = self.b.get(self.pos) {
            self.pos += 1;
            if c == b'\\' {
                self.pos += 1; // an escaped brace
            } else if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            } else if c == b'\n' && NEXT_ENTRY.is_match(&self.s[self.pos.min(self.s.len())..]) {
                return Err(ParseError::Invalid(
                    "unbalanced braces (the next entry starts before this one ends)".into(),
                ));
            }
        }
        Err(ParseError::Invalid(
            "unbalanced braces (not closed before the end of the file)".into(),
        ))
    }
}

static NEXT_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@[A-Za-z]+\s*[{(][^,\s{}]*,").unwrap());

fn record(kind: &str, fields: Vec<(String, String)>, line: usize) -> Record {
    let mut r = Record {
        line,
        ..Record::default()
    };
    // The first of duplicated fields counts (Scopus repeats some).
    let get = |names: &[&str]| first_field(&fields, names).map(latex_to_text);
    r.title = get(&["title"]);
    if let Some(text) = get(&["abstract"]) {
        // Cochrane: "Abstract - Background ..."
        let text = text
            .strip_prefix("Abstract - ")
            .or_else(|| text.strip_prefix("Abstract: "))
            .unwrap_or(&text);
        r.push_abstract_text(text);
    }
    if let Some(authors) = get(&["author"]) {
        r.authors = authors_of(&authors);
    }
    r.year = get(&["year", "date"]).and_then(|y| first_year(&y));
    let container = if kind == "inproceedings" || kind == "incollection" {
        &["booktitle", "journal", "journaltitle"][..]
    } else {
        &["journal", "journaltitle", "booktitle"][..]
    };
    r.journal = get(container);
    r.doi = get(&["doi"]).and_then(|d| bare_doi(&d));
    let digits = |v: String| {
        let v = v.trim().to_string();
        (!v.is_empty() && v.len() <= 8 && v.bytes().all(|b| b.is_ascii_digit())).then_some(v)
    };
    r.pmid = get(&["pmid"])
        .and_then(digits)
        .or_else(|| {
            let pubmed = get(&["eprinttype", "archiveprefix"])
                .is_some_and(|t| t.eq_ignore_ascii_case("pubmed"));
            get(&["eprint"]).filter(|_| pubmed).and_then(digits)
        })
        .or_else(|| get(&["url"]).and_then(|u| PUBMED_URL.captures(&u).map(|c| c[1].to_string())));
    r.pmcid = get(&["pmcid"]);
    for name in ["keywords", "author_keywords", "mesh", "mesh_headings"] {
        if let Some(list) = get(&[name]) {
            let sep = if list.contains(';') { ';' } else { ',' };
            for k in list.split(sep) {
                r.push_keyword(k);
            }
        }
    }
    r
}

static PUBMED_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,8})\b").unwrap()
});

/// "Smith, J. and Jones, K." as people; also the Cochrane Library's "Smith, SR, Newton, K and
/// Hill, J".
fn authors_of(text: &str) -> Vec<Person> {
    let mut out = Vec::new();
    for name in AND.split(text) {
        let parts: Vec<&str> = name.split(',').map(str::trim).collect();
        let initials = |s: &str| {
            !s.is_empty()
                && s.len() <= 4
                && s.chars().all(|c| c.is_uppercase() || c == '-' || c == '.')
        };
        if parts.len() >= 4
            && parts.len().is_multiple_of(2)
            && parts.iter().skip(1).step_by(2).all(|p| initials(p))
        {
            for pair in parts.chunks(2) {
                out.extend(person(&format!("{}, {}", pair[0], pair[1])));
            }
        } else if !name.trim().eq_ignore_ascii_case("others") {
            out.extend(person(name));
        }
    }
    out
}

static AND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\s+and\s+").unwrap());

/// LaTeX in a BibTeX value as plain text: accents (`{\"u}` → ü), escaped characters, commands
/// that format their argument (`\textit{x}` → x), protecting braces dropped, `--` as a dash.
pub fn latex_to_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '}' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                let n = if chars.get(i + 2) == Some(&'-') { 3 } else { 2 };
                out.push(if n == 3 { '—' } else { '–' });
                i += n;
            }
            '\\' => {
                i += 1;
                let Some(&next) = chars.get(i) else { break };
                if !next.is_ascii_alphabetic() {
                    i += 1;
                    if let Some(table) = accent_table(next) {
                        // \"u, \"{u}, \' {e}
                        if let Some(base) = accent_argument(&chars, &mut i) {
                            out.push(accented(table, base));
                        }
                    } else {
                        out.push(next); // \& \% \_ \$ \{ \}
                    }
                    continue;
                }
                let start = i;
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                let letter = match name.as_str() {
                    "ss" => Some("ß"),
                    "o" => Some("ø"),
                    "O" => Some("Ø"),
                    "aa" => Some("å"),
                    "AA" => Some("Å"),
                    "ae" => Some("æ"),
                    "AE" => Some("Æ"),
                    "oe" => Some("œ"),
                    "l" => Some("ł"),
                    "L" => Some("Ł"),
                    "i" => Some("ı"),
                    "alpha" => Some("α"),
                    "beta" => Some("β"),
                    "gamma" => Some("γ"),
                    "delta" => Some("δ"),
                    "kappa" => Some("κ"),
                    "mu" => Some("μ"),
                    "pm" => Some("±"),
                    "textendash" => Some("–"),
                    "textemdash" => Some("—"),
                    _ => None,
                };
                if let Some(l) = letter {
                    out.push_str(l);
                } else if let Some(table) = ["c", "v", "u", "H", "k", "r", "d", "b", "t"]
                    .contains(&name.as_str())
                    .then(|| accent_table(name.chars().next().unwrap_or(' ')))
                    .flatten()
                {
                    if let Some(base) = accent_argument(&chars, &mut i) {
                        out.push(accented(table, base));
                    }
                }
                // Other commands (\textit, \emph, \url...) vanish and leave their argument.
                while chars.get(i) == Some(&' ') && letter.is_some() {
                    i += 1;
                }
            }
            '$' => i += 1,
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    crate::reference::normalize_space(&out)
}

/// The letter an accent command applies to, from `chars[*i]` on: "u", "{u}", " {e}", "{\\i}"
/// (a dotless i); `*i` moves past it and its braces.
fn accent_argument(chars: &[char], i: &mut usize) -> Option<char> {
    while chars.get(*i) == Some(&' ') {
        *i += 1;
    }
    let braced = chars.get(*i) == Some(&'{');
    if braced {
        *i += 1;
    }
    let base = match chars.get(*i) {
        Some('\\') if chars.get(*i + 1) == Some(&'i') => {
            *i += 1;
            Some('i')
        }
        other => other.copied(),
    };
    if base.is_some() {
        *i += 1;
    }
    if braced && chars.get(*i) == Some(&'}') {
        *i += 1;
    }
    base
}

/// Pairs of (base, accented) letters for a LaTeX accent command.
fn accent_table(accent: char) -> Option<&'static str> {
    Some(match accent {
        '"' => "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ",
        '\'' => "aáeéiíoóuúyýcćnńsśzźAÁEÉIÍOÓUÚYÝCĆNŃSŚZŹ",
        '`' => "aàeèiìoòuùAÀEÈIÌOÒUÙ",
        '^' => "aâeêiîoôuûAÂEÊIÎOÔUÛ",
        '~' => "aãnñoõAÃNÑOÕ",
        '=' => "aāeēiīoōuūAĀEĒIĪOŌUŪ",
        '.' => "zżeėIİZŻ",
        'c' => "cçsşCÇSŞ",
        'v' => "cčsšzžrřeěnňCČSŠZŽRŘEĚNŇ",
        'u' => "aăgğAĂGĞ",
        'H' => "oőuűOŐUŰ",
        'k' => "aąeęAĄEĘ",
        'r' => "aåuůAÅUŮ",
        _ => return None,
    })
}

fn accented(table: &str, base: char) -> char {
    let pairs: Vec<char> = table.chars().collect();
    pairs
        .chunks(2)
        .find(|p| p[0] == base)
        .map_or(base, |p| p[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_strings_comments_and_accents() {
        let source = "% Encoding: UTF-8\n@string{jama = \"JAMA\"}\nRecord #1 of 2\n\
            @Article{m\\\"uller2019,\n  title = {{Protected} Capitals in {\\\"u}bersicht: {\\'e}t{\\'e} --- {\\textit{in vivo}}},\n\
            author = {M{\\\"u}ller, J{\\\"o}rg and Smith, A. B. and others},\n  journal = jama,\n\
            year = 2019,\n  doi = {https://doi.org/10.1000/ABC},\n  abstract = {Background:\nIt works.},\n\
            keywords = {ketamine; depression},\n  pmid = {123},\n}\n\
            @comment{jabref-meta: databaseType:bibtex;}\n\
            @article{broken,\n  title = {Never {closed},\n\
            @article{ok, title=\"Quoted {Title}\", author = {Smith, SR, Newton, K and Hill, J}, url={https://www.ncbi.nlm.nih.gov/pubmed/20470918}}\n";
        let (records, problems) = parse_bibtex(source);
        assert_eq!(records.len(), 2, "{records:?} {problems:?}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("line 16: unbalanced"),
            "{problems:?}"
        );
        let a = &records[0];
        assert_eq!((a.line, records[1].line), (4, 18));
        assert_eq!(
            a.title.as_deref(),
            Some("Protected Capitals in übersicht: été — in vivo")
        );
        let names: Vec<&str> = a.authors.iter().map(|p| p.surname.as_str()).collect();
        assert_eq!(names, ["Müller", "Smith"]);
        assert_eq!(a.authors[0].initials, "J");
        assert_eq!(a.journal.as_deref(), Some("JAMA"));
        assert_eq!((a.year, a.pmid.as_deref()), (Some(2019), Some("123")));
        assert_eq!(a.doi.as_deref(), Some("10.1000/ABC"));
        assert_eq!(a.abstract_parts[0].1, "Background: It works.");
        assert_eq!(a.keywords, ["ketamine", "depression"]);
        let b = &records[1];
        assert_eq!(b.title.as_deref(), Some("Quoted Title"));
        assert_eq!(b.authors.len(), 3);
        assert_eq!(b.pmid.as_deref(), Some("20470918"));
    }
}
