//! Parsing one reference-list entry into authors, year, title, venue and identifiers.
//!
//! Handles author–date styles (APA, Harvard, Chicago: "Duman, R. S., & Krystal, J. H. (2016). Title.
//! Journal, 22(3), 238-249.") and Vancouver/NLM ("Lindholm ML, Traff S, et al. Title. Anesth Analg.
//! 2009;108(2):508-12."). Whatever cannot be recognised stays in [`Reference::raw`].

use std::sync::LazyLock;

use regex::Regex;

use super::names::parse_authors;
use crate::model::Reference;

pub(super) static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+").unwrap());
pub(super) static DOI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://(?:dx\.)?doi\.org/|\bdoi:?\s*)?\b(10\.\d{4,9}/\S+)").unwrap()
});
/// Authors left out of a list: "et al.", or an ellipsis before the last author (APA).
pub(super) static AUTHORS_LEFT_OUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bet\.? al\b|\.\.\.|…").unwrap());
pub(super) static PMID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bPMID:?\s*(\d{1,9})\b").unwrap());
/// "(2016)", "(2019a)", "(2020, March 3)", "(n.d.)", "(in press)".
static PAREN_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*(?:(\d{4})([a-z])?(?:,[^)]*)?|n\.\s?d\.|in press)\s*\)\.?").unwrap()
});
/// Harvard: "Smith, J. and Jones, K. 2019. Title."
static BARE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s.,])((?:1[89]|20)\d{2})([a-z])?[.,]\s").unwrap());
/// Dashes that page ranges are written with besides "-": hyphen, non-breaking hyphen, figure dash,
/// en dash, em dash, minus sign.
pub const DASHES: [char; 6] = ['‐', '‑', '‒', '–', '—', '−'];

/// A hyphen or one of the [`DASHES`].
pub(super) fn is_dash(c: char) -> bool {
    c == '-' || DASHES.contains(&c)
}

/// A page number: digits after one or two capitals ("S12", "CD011612": a Cochrane review's article
/// number), one lowercase letter ("e162") or lowercase roman numerals ("ii45", the pages of a
/// supplement).
const PAGE: &str = r"(?:[A-Z]{1,2}|[a-z]|[ivx]{2,4})?\d+";

/// A supplement or part after a volume, in place of an issue: "Suppl 1", "Suppl. S2", "Pt 2".
const SUPPLEMENT: &str = r"(?:[Ss]uppl|[Ss]upplement|Pt|Part)\b\.?\s*[A-Za-z]?\d*";

/// `pattern` with each `<DASH>` made a class of "-" and [`DASHES`], each `<PAGE>` a page number
/// and each `<SUPPLEMENT>` a supplement.
pub(super) fn expand(pattern: &str) -> String {
    pattern
        .replace("<DASH>", &format!("[-{}]", String::from_iter(DASHES)))
        .replace("<PAGE>", PAGE)
        .replace("<SUPPLEMENT>", SUPPLEMENT)
}

/// Vancouver tail: "Anesth Analg. 2009;108(2):508-12", "2010;24 Suppl 1:21-31", "2004;2(6):p.
/// e162".
static VANCOUVER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&expand(
        r"(?:^|[.\s])((?:1[89]|20)\d{2})([a-z])?(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*([\w.]+)?(?:\s*\(([^)]+)\)|\s+(<SUPPLEMENT>))?\s*(?::\s*(?:pp?\.\s*)?(<PAGE>(?:\s*<DASH>\s*<PAGE>)?))?",
    ))
    .unwrap()
});
/// APA tail after the title: "Biological Psychiatry, 72(4), 359-363".
static VENUE_NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&expand(
        r"^(.+?),?\s+(?:[Vv]ol\.\s*)?(\d+[A-Za-z]?)\s*(?:\(([^)]+)\))?\s*(?:[,:]\s*(?:pp?\.\s*)?(<PAGE>(?:\s*<DASH>\s*<PAGE>)?))?\.?$",
    ))
    .unwrap()
});
/// A venue followed by a page range only: "Conference on Artificial Intelligence, 163-169".
static VENUE_PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&expand(
        r"^(.+?),\s*(?:pp?\.\s*)?(<PAGE>\s*<DASH>\s*<PAGE>)\.?$",
    ))
    .unwrap()
});
static ANY_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:1[89]|20)\d{2})([a-z])?\b").unwrap());
/// A Vancouver author list at the start of an entry: "Lindholm ML, Traff S, et al. ".
static VANCOUVER_AUTHORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:[\p{L}'’\-]+(?: [\p{L}'’\-]+){0,3} \p{Lu}{1,4}(?:-\p{Lu})?,\s*)*[\p{L}'’\-]+(?: [\p{L}'’\-]+){0,3} \p{Lu}{1,4}(?:-\p{Lu})?(?:,?\s*et al)?)\.\s+")
        .unwrap()
});

/// Parse one reference entry with rules alone. Never fails: an entry that does not fully parse keeps
/// its raw text and whatever fields were recognised.
pub fn parse_reference(raw: &str) -> Reference {
    parse_layout(raw).0
}

/// The layout a reference was recognised in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Authors (Year). Title. Venue, volume(issue), pages. (APA and kin)
    AuthorDate,
    /// Authors. Title. Venue. Year;volume(issue):pages. (Vancouver/NLM)
    Vancouver,
    /// Authors Year. Title. Venue... (Harvard)
    BareYear,
}

/// The rules' parse when the entry follows the Vancouver/NLM layout all the way: authors, year,
/// title, venue and volume or pages all found. Such entries the rules read more exactly than the
/// tagger; author–date entries the tagger reads better (measured: `docs/reference-parsing.md`).
pub fn parse_confident(raw: &str) -> Option<Reference> {
    let (r, layout) = read(raw, false);
    let complete = !r.authors.is_empty()
        && r.year.is_some()
        && r.title
            .as_deref()
            .is_some_and(|t| t.split_whitespace().count() >= 2)
        && r.venue.is_some()
        && (r.volume.is_some() || r.pages.is_some())
        && r.authors.iter().all(looks_like_an_author);
    (complete && matches!(layout, Some(Layout::Vancouver))).then_some(r)
}

/// A person as these layouts write one: initials, and a surname whose words after the first
/// capitalised one are capitalised too ("de la Salle", "Aan Het Rot"; not "Random polynomials",
/// which means the year was found after the title, not after the authors); or a group author
/// ("the ... Study Group").
fn looks_like_an_author(person: &crate::model::Person) -> bool {
    if person.initials.is_empty() {
        return super::names::is_organisation_name(&person.surname);
    }
    let mut capitalised = false;
    person.surname.split([' ', '-']).all(|word| {
        let upper = word.chars().next().is_some_and(char::is_uppercase);
        let ok = upper || !capitalised;
        capitalised |= upper;
        ok
    })
}

/// Parse, and say which layout matched.
pub fn parse_layout(raw: &str) -> (Reference, Option<Layout>) {
    read(raw, true)
}

/// [`parse_layout`]; without `every_layout`, an entry that is not Vancouver is not read past its
/// layout (its parts are left empty), which is all [`parse_confident`] needs of it.
fn read(raw: &str, every_layout: bool) -> (Reference, Option<Layout>) {
    let raw = normalize_space(raw);
    let mut reference = Reference {
        raw: raw.clone(),
        ..Reference::default()
    };
    let mut rest = raw.as_str();
    if let Some(c) = NUMBER.captures(rest) {
        reference.number = c.get(1).or(c.get(2)).and_then(|m| m.as_str().parse().ok());
        rest = &rest[c.get(0).unwrap().end()..];
    }
    // Identifiers first, so that their digits and dots do not confuse what follows.
    let mut body = rest.to_string();
    if let Some(c) = DOI.captures(&body) {
        let doi = c[1].trim_end_matches(['.', ',', ';', ')', ']']).to_string();
        let whole = c.get(0).unwrap().range();
        body.replace_range(whole, "");
        reference.doi = Some(doi);
    }
    if let Some(c) = PMID.captures(&body) {
        reference.pmid = Some(c[1].to_string());
        let whole = c.get(0).unwrap().range();
        body.replace_range(whole, "");
    }
    let body = body.trim().trim_end_matches(['.', ' ']).to_string();

    if let Some(c) = PAREN_YEAR.captures(&body) {
        let whole = c.get(0).unwrap();
        if whole.start() > 0 {
            if !every_layout {
                return (reference, Some(Layout::AuthorDate));
            }
            set_year(&mut reference, c.get(1).map(|m| m.as_str()), c.get(2));
            set_authors(&mut reference, &body[..whole.start()]);
            parse_title_and_venue(&mut reference, &body[whole.end()..]);
            return (reference, Some(Layout::AuthorDate));
        }
    }
    if let Some(c) = VANCOUVER_DATE.captures(&body) {
        let whole = c.get(0).unwrap();
        let front = &body[..whole.start()];
        let (authors, after) = match VANCOUVER_AUTHORS.captures(front) {
            Some(a) => (
                a.get(1).unwrap().as_str(),
                &front[a.get(0).unwrap().end()..],
            ),
            None => match front.split_once(". ") {
                Some((authors, after)) => (authors, after),
                None => ("", front),
            },
        };
        let segments = split_sentences(after);
        if !authors.is_empty() && !segments.is_empty() {
            set_year(&mut reference, c.get(1).map(|m| m.as_str()), c.get(2));
            reference.volume = c
                .get(3)
                .map(|m| m.as_str().trim_end_matches('.').to_string());
            reference.issue = c.get(4).or(c.get(5)).map(|m| m.as_str().to_string());
            reference.pages = c.get(6).map(|m| normalize_pages(m.as_str()));
            set_authors(&mut reference, authors);
            let last = segments.len() - 1;
            if last > 0 {
                reference.title = Some(join_sentences(&segments[..last]));
                reference.venue = Some(segments[last].clone());
            } else {
                reference.title = Some(segments[0].clone());
            }
            return (reference, Some(Layout::Vancouver));
        }
    }
    if !every_layout {
        return (reference, None);
    }
    if let Some(c) = BARE_YEAR.captures(&body) {
        let year = c.get(1).unwrap();
        let front = &body[..year.start()];
        if !front.trim().is_empty() && front.len() < 400 {
            set_year(&mut reference, Some(year.as_str()), c.get(2));
            set_authors(&mut reference, front);
            parse_title_and_venue(&mut reference, &body[c.get(0).unwrap().end()..]);
            return (reference, Some(Layout::BareYear));
        }
    }
    if let Some(c) = ANY_YEAR.captures(&body) {
        set_year(&mut reference, Some(&c[1]), c.get(2));
    }
    (reference, None)
}

fn set_year(reference: &mut Reference, year: Option<&str>, suffix: Option<regex::Match<'_>>) {
    reference.year = year.and_then(|y| y.parse().ok());
    reference.year_suffix = suffix.and_then(|m| m.as_str().chars().next());
}

/// Title up to the first sentence end, then venue, volume, issue and pages.
fn parse_title_and_venue(reference: &mut Reference, tail: &str) {
    let segments = split_sentences(tail);
    let Some((title, rest)) = segments.split_first() else {
        return;
    };
    reference.title = Some(title.clone());
    let rest = join_sentences(rest);
    let rest = rest.trim();
    if rest.is_empty() {
        return;
    }
    if let Some(c) = VENUE_NUMBERS.captures(rest) {
        reference.venue = Some(clean(&c[1]));
        reference.volume = Some(c[2].to_string());
        reference.issue = c.get(3).map(|m| m.as_str().to_string());
        reference.pages = c.get(4).map(|m| normalize_pages(m.as_str()));
    } else if let Some(c) = VENUE_PAGES.captures(rest) {
        reference.venue = Some(clean(&c[1]));
        reference.pages = Some(normalize_pages(&c[2]));
    } else {
        reference.venue = Some(clean(rest));
    }
}

/// The text of sentences [`split_sentences`] cut apart: a full stop between them, unless one
/// ends in its own mark ("The way to go? Results from a trial").
fn join_sentences(sentences: &[String]) -> String {
    let mut out = String::new();
    for s in sentences {
        if !out.is_empty() {
            out.push_str(if out.ends_with(['?', '!']) { " " } else { ". " });
        }
        out.push_str(s);
    }
    out
}

/// Split at ". ", "? " or "! " followed by an uppercase letter, a digit or a quote, keeping "?"/"!".
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for i in 0..chars.len() {
        let (at, c) = chars[i];
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let Some(&(_, next)) = chars.get(i + 1) else {
            continue;
        };
        let Some(&(_, after)) = chars.get(i + 2) else {
            continue;
        };
        if !next.is_whitespace()
            || !(after.is_uppercase() || after.is_ascii_digit() || "\"“'‘[".contains(after))
        {
            continue;
        }
        // A lone initial ("J. Smith") or an abbreviation like "vs." is not a sentence end.
        let word_start = text[..at]
            .rfind(|ch: char| ch.is_whitespace())
            .map_or(0, |p| p + 1);
        let word = &text[word_start..at];
        if c == '.'
            && (word.chars().count() == 1
                || matches!(word, "vs" | "St" | "Dr" | "eds" | "Ed" | "ed"))
        {
            continue;
        }
        let end = if c == '.' { at } else { at + c.len_utf8() };
        let piece = text[start..end].trim();
        if !piece.is_empty() {
            out.push(piece.to_string());
        }
        start = at + c.len_utf8();
    }
    let piece = text[start..].trim().trim_end_matches('.').trim();
    if !piece.is_empty() {
        out.push(piece.to_string());
    }
    out
}

/// Set the authors of `reference` from an author list, noting authors left out ("et al.").
fn set_authors(reference: &mut Reference, text: &str) {
    reference.authors = parse_authors(text);
    reference.et_al = AUTHORS_LEFT_OUT.is_match(text);
}

pub(super) fn normalize_pages(pages: &str) -> String {
    pages.replace(DASHES, "-").replace(' ', "")
}

pub(super) fn clean(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| c == '.' || c == ',' || c.is_whitespace())
        .to_string()
}

/// Collapse runs of whitespace to one space.
pub fn normalize_space(text: &str) -> String {
    if is_normal_space(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `text` is already as [`normalize_space`] leaves it: no whitespace at either end, and
/// single spaces only between words (scans that the standard library vectorises; most paragraphs
/// need no copy-and-split).
fn is_normal_space(text: &str) -> bool {
    text.trim().len() == text.len()
        && !text.contains("  ")
        && !text
            .bytes()
            .any(|b| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
        && (text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_complete_vancouver_entries_are_confident() {
        let apa = "Duman, R. S., Aghajanian, G. K., Sanacora, G., & Krystal, J. H. (2016). Synaptic plasticity and depression. Nature Medicine, 22(3), 238-249.";
        assert_eq!(parse_layout(apa).1, Some(Layout::AuthorDate));
        assert!(parse_confident(apa).is_none());
        let vancouver = "Lindholm ML, Traff S. A title here. Anesth Analg. 2009;108(2):508-12.";
        assert!(parse_confident(vancouver).is_some());
        let late_year = "Flajolet, P., Gourdon, X., and Panario, D. Random polynomials and polynomial factorization. In Automata, Languages, and Programming (1996), F. Meyer auf der Heide and B. Monien, Eds., vol. 1099, of Lecture Notes in Computer Science, Springer-Verlag, pp. 232-243.";
        assert!(parse_confident(late_year).is_none());
        let particles = "de la Salle A, Aan Het Rot M. A title here. J Things. 2019;5:1-2.";
        assert!(parse_confident(particles).is_some());
        let not_people = "Random polynomials, Factorization. A title here. J Things. 2019;5:1-2.";
        assert!(parse_confident(not_people).is_none());
    }

    #[test]
    fn a_title_in_two_sentences_keeps_its_question_mark() {
        let r = parse_confident(
            "Galvez V, Li A. Repeated ketamine for depression - the way to go? Results from a pilot trial. J Psychopharmacol. 2018;32(4):397-407.",
        )
        .expect("a complete Vancouver entry");
        assert_eq!(
            r.title.as_deref(),
            Some("Repeated ketamine for depression - the way to go? Results from a pilot trial")
        );
        assert_eq!(r.venue.as_deref(), Some("J Psychopharmacol"));
    }

    #[test]
    fn normalize_space_copies_only_normal_text() {
        let slow = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in [
            "",
            " ",
            "a",
            "a b",
            " a b",
            "a b ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "caf\u{e9} na\u{ef}ve",
            "a\u{2003}b",
            "a \u{3000}",
            "\u{85}x",
        ] {
            assert_eq!(normalize_space(text), slow(text), "{text:?}");
            assert_eq!(
                is_normal_space(text),
                normalize_space(text) == text,
                "{text:?}"
            );
        }
    }

    fn surnames(r: &Reference) -> Vec<&str> {
        r.authors.iter().map(|a| a.surname.as_str()).collect()
    }

    #[test]
    fn apa_journal_article() {
        let r = parse_reference(
            "Duman, R. S., Aghajanian, G. K., Sanacora, G., & Krystal, J. H. (2016). Synaptic plasticity and depression: New insights from stress and rapid-acting antidepressants. Nature Medicine, 22(3), 238-249.",
        );
        assert_eq!(surnames(&r), ["Duman", "Aghajanian", "Sanacora", "Krystal"]);
        assert_eq!(r.authors[0].initials, "RS");
        assert_eq!(r.authors[3].initials, "JH");
        assert_eq!(r.year, Some(2016));
        assert_eq!(
            r.title.as_deref(),
            Some("Synaptic plasticity and depression: New insights from stress and rapid-acting antidepressants")
        );
        assert_eq!(r.venue.as_deref(), Some("Nature Medicine"));
        assert_eq!(r.volume.as_deref(), Some("22"));
        assert_eq!(r.issue.as_deref(), Some("3"));
        assert_eq!(r.pages.as_deref(), Some("238-249"));
    }

    #[test]
    fn multi_word_surnames() {
        let r = parse_reference("Aan Het Rot, M., Collins, K. A., & Mathew, S. J. (2012). Safety of ketamine. Biological Psychiatry, 72(4), 359-363.");
        assert_eq!(surnames(&r), ["Aan Het Rot", "Collins", "Mathew"]);
        let r = parse_reference("de la Salle, S., Choueiry, J., Shah, D., & McCabe, C. (2020). The effects of ketamine. Frontiers in Psychiatry, 11, 253.");
        assert_eq!(surnames(&r), ["de la Salle", "Choueiry", "Shah", "McCabe"]);
        assert_eq!(r.volume.as_deref(), Some("11"));
        assert_eq!(r.issue, None);
        assert_eq!(r.pages.as_deref(), Some("253"));
    }

    #[test]
    fn year_suffix_doi_and_number() {
        let r = parse_reference("12. Lee, K. (2019a). A title here. Journal of Things, 3(1), 1–9. https://doi.org/10.1000/xyz.123.");
        assert_eq!(r.number, Some(12));
        assert_eq!(r.year, Some(2019));
        assert_eq!(r.year_suffix, Some('a'));
        assert_eq!(r.doi.as_deref(), Some("10.1000/xyz.123"));
        assert_eq!(r.pages.as_deref(), Some("1-9"));
        assert_eq!(r.venue.as_deref(), Some("Journal of Things"));
    }

    #[test]
    fn vancouver() {
        let r = parse_reference("Lindholm ML, Traff S, et al. Quality of recovery after ketamine. Anesth Analg. 2009;108(2):508-12.");
        assert_eq!(surnames(&r), ["Lindholm", "Traff"]);
        assert_eq!(r.authors[0].initials, "ML");
        assert_eq!(r.year, Some(2009));
        assert_eq!(
            r.title.as_deref(),
            Some("Quality of recovery after ketamine")
        );
        assert_eq!(r.venue.as_deref(), Some("Anesth Analg"));
        assert_eq!(r.volume.as_deref(), Some("108"));
        assert_eq!(r.issue.as_deref(), Some("2"));
        assert_eq!(r.pages.as_deref(), Some("508-12"));
        // Supplements, with or without parentheses, and their pages.
        for (tail, issue, pages) in [
            (
                "Scand J Caring Sci. 2010 Dec;24 Suppl 1:21-31.",
                "Suppl 1",
                "21-31",
            ),
            (
                "Ann Oncol. 2008;19(Suppl 2):ii45-ii50.",
                "Suppl 2",
                "ii45-ii50",
            ),
            // An electronic page with its "p." ("PLoS Biology. 2004;2(6):p. e162").
            ("PLoS Biology. 2004;2(6):p. e162.", "6", "e162"),
        ] {
            let r = parse_reference(&format!("Smith J, Jones K. A trial of things. {tail}"));
            let (found_issue, found_pages) = (r.issue.as_deref(), r.pages.as_deref());
            assert_eq!(
                (found_issue, found_pages),
                (Some(issue), Some(pages)),
                "{tail}"
            );
        }
    }

    #[test]
    fn harvard() {
        let r = parse_reference(
            "Smith, J. and Jones, K. 2019. Ketamine in practice. Journal of Care, 5(2), pp. 10-20.",
        );
        assert_eq!(surnames(&r), ["Smith", "Jones"]);
        assert_eq!(r.year, Some(2019));
        assert_eq!(r.title.as_deref(), Some("Ketamine in practice"));
        assert_eq!(r.pages.as_deref(), Some("10-20"));
    }

    #[test]
    fn unparseable_entry_keeps_raw_text() {
        let r = parse_reference("see the supplementary bibliography, 2018 edition");
        assert_eq!(r.raw, "see the supplementary bibliography, 2018 edition");
        assert_eq!(r.year, Some(2018));
        let r = parse_reference("garbage ;;; ((");
        assert_eq!(r.raw, "garbage ;;; ((");
        assert!(r.authors.is_empty());
    }
}
