//! Parsing one reference-list entry into authors, year, title, venue, volume, issue, pages and
//! identifiers.
//!
//! A sequence tagger ([`tagger`]) labels the tokens of the entry (author, date, title, venue...);
//! rules then read each labelled part: names into surname and initials, the year, volume and issue,
//! pages. DOIs, PMIDs and a leading list number are found by pattern. [`rules`] holds the
//! pattern-only parser, used when no tagger model is built in.

mod conventions;
pub mod label;
pub mod markup;
pub mod names;
pub mod rules;
pub mod tagger;
pub mod tokenize;
pub mod training;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Reference;
use label::Label;
pub use names::parse_authors;
pub use rules::normalize_space;
use rules::{clean, expand, is_dash, normalize_pages, AUTHORS_LEFT_OUT, DOI, NUMBER, PMID};
use tagger::{is_month, is_volume_marker, Tagger};
use tokenize::tokenize;

/// The model built into the binary.
static TAGGER: LazyLock<Option<Tagger>> =
    LazyLock::new(|| Tagger::from_bytes(include_bytes!("tagger.bin")).ok());
/// A volume and its issue: "22(3)", "65, (11)", "22, no. 3", "Nr. 4", "40.1", "36, 3", "v.13 n.4",
/// "16. Jg. H.2", "24 Suppl 1"; a range after the volume is pages, not an issue ("2:1527-1542").
static VOLUME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&expand(
        r"(\d+[A-Za-z]?(?:[-–/]\d+)?)(?:\.?\s*Jg\.)?\s*(?:,?\s*\(([^)]+)\)|[,.:]?\s*(?:(?:[Nn]o|[Nn]os|[Nn]r|[Nn]|H|Heft|[Ii]ssue|[Ii]ss)\.?|[Nn]°)\s*(\d+(?:<DASH>\d+|/\d+)?(?:\s+<SUPPLEMENT>)?|<SUPPLEMENT>)|[,.]\s*(\d+(?:/\d+)?)(?:[^\d\-–]|$)|(<SUPPLEMENT>))?",
    ))
    .unwrap()
});
/// A volume and its issue after a colon or a space, with the pages after another colon or none:
/// "50: 3", "33:3:", "30:1: 16", "34 3" — read so only when the pages are there too ("114: 341"
/// alone is a volume and its pages).
static VOLUME_COLON_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&expand(&format!(
        r"^(\d+)\s*(?::\s*|\s)(\d+)\s*(?::\s*({PAGE_RANGE}))?[.,:]?$"
    )))
    .unwrap()
});
/// A page or a page range, as `expand` reads it.
const PAGE_RANGE: &str = r"<PAGE>(?:\s*<DASH>+\s*<PAGE>)?";
static PAGES: LazyLock<Regex> = LazyLock::new(|| Regex::new(&expand(PAGE_RANGE)).unwrap());
/// A year, with its suffix letter ("2016a"); not inside a longer number or a Latin word, but
/// followed by anything else ("2007年").
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9A-Za-z])((?:1[5-9]|20)\d{2})([a-z])?(?:[^0-9A-Za-z]|$)").unwrap()
});

/// A ditto mark for the previous entry's authors at the start of an entry: "———.", "–––––.",
/// "______.", "--- 1836.".
static DITTO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\[?\d+[.\]]?\s+)?[—–_‐―-]{2,}\s*(?:[.,]|\s|$)").unwrap());

/// The volume in `text` and its issue, in any of the forms `VOLUME` reads.
fn volume_and_issue(text: &str) -> Option<(&str, Option<&str>)> {
    let c = VOLUME.captures(text)?;
    let issue = (2..=5).find_map(|i| c.get(i)).map(|m| m.as_str());
    Some((c.get(1)?.as_str(), issue))
}

/// Whether `text` is a volume, a comma and the number `VOLUME` reads as its issue, and nothing
/// else ("36, 3").
fn issue_after_comma(text: &str) -> bool {
    VOLUME
        .captures(text)
        .and_then(|c| c.get(4))
        .is_some_and(|m| {
            text[..m.start()].trim_end().ends_with(',')
                && text[m.end()..].trim_end_matches(['.', ' ']).is_empty()
        })
}

/// Whether `text` begins with a ditto mark standing for the previous entry's authors.
pub fn is_ditto(text: &str) -> bool {
    DITTO.is_match(text)
}

/// Give entries whose authors are a ditto mark the authors of the entry before them.
pub fn fill_ditto(references: &mut [Reference]) {
    for i in 1..references.len() {
        let (before, after) = references.split_at_mut(i);
        inherit_ditto(&mut after[0], &before[i - 1]);
    }
}

/// If `r`'s authors are a ditto mark, take those of `previous`, the entry before it.
pub fn inherit_ditto(r: &mut Reference, previous: &Reference) {
    if r.ditto && r.authors.is_empty() {
        r.authors = previous.authors.clone();
        r.et_al = previous.et_al;
    }
}

/// The tagger model built into the binary, if any.
pub fn builtin_tagger() -> Option<&'static Tagger> {
    TAGGER.as_ref()
}

/// Parse one reference entry. Never fails: what is not recognised is left empty, and the entry's
/// text is always kept in [`Reference::raw`].
pub fn parse_reference(raw: &str) -> Reference {
    match builtin_tagger() {
        Some(tagger) => parse_with(tagger, raw),
        None => {
            let raw = markup::without_markup(raw);
            Reference {
                ditto: is_ditto(&raw),
                ..rules::parse_reference(&raw)
            }
        }
    }
}

/// Parse a reference list, in order: each entry's ordinal is its position, and ditto marks take
/// the authors before them.
pub fn parse_list<'a>(entries: impl IntoIterator<Item = &'a str>) -> Vec<Reference> {
    let mut references: Vec<Reference> = entries
        .into_iter()
        .enumerate()
        .map(|(ordinal, raw)| Reference {
            ordinal,
            ..parse_reference(raw)
        })
        .collect();
    fill_ditto(&mut references);
    references
}

/// Parse with a given tagger model: complete Vancouver/NLM entries are taken from the rules, all
/// others from the tagger. Typography markup ("<i>…</i>", "*…*") is read as the text it marks.
pub fn parse_with(tagger: &Tagger, raw: &str) -> Reference {
    let raw = &markup::without_markup(raw);
    let mut r = rules::parse_confident(raw)
        .map(|r| Reference {
            title: r.title.as_deref().map(clean_title),
            ..r
        })
        .unwrap_or_else(|| tag_with(tagger, raw));
    r.ditto = is_ditto(raw);
    for text in [&mut r.title, &mut r.venue].into_iter().flatten() {
        text.truncate(drop_medium(text).len());
    }
    r
}

/// A title or journal without the medium NLM style writes after it: "Am J Psychiatry
/// [Internet]", "Lancet [serial online]", "A guide [electronic resource]". A prefix of `text`.
pub fn drop_medium(text: &str) -> &str {
    // The closing bracket may have been trimmed off with the punctuation.
    let trimmed = text.trim_end_matches(|c: char| c == '.' || c == ']' || c.is_whitespace());
    match trimmed.rsplit_once('[') {
        Some((head, medium))
            if !head.trim().is_empty()
                && !medium.contains(']')
                && [
                    "internet",
                    "online",
                    "serial",
                    "electronic",
                    "cd-rom",
                    "database",
                ]
                .iter()
                .any(|m| medium.to_lowercase().contains(m)) =>
        {
            head.trim_end()
        }
        _ => text,
    }
}

/// Parse with the tagger alone.
pub fn tag_with(tagger: &Tagger, raw: &str) -> Reference {
    let raw = normalize_space(raw);
    let tokens = tokenize(&raw);
    let mut labels: Vec<Label> = tagger
        .tag(&raw, &tokens)
        .into_iter()
        .map(Label::from_index)
        .collect();
    conventions::apply(&raw, &tokens, &mut labels);
    // The first run of tokens with each label, and its text.
    let run = |label: Label| conventions::first_run(&labels, label);
    let text_of = |r: Range<usize>| &raw[tokens[r.start].span.start..tokens[r.end - 1].span.end];
    let part = |label: Label| run(label).map(text_of);
    let mut r = Reference {
        raw: raw.clone(),
        ..Reference::default()
    };
    r.number = NUMBER
        .captures(&raw)
        .and_then(|c| c.get(1).or(c.get(2)))
        .and_then(|m| m.as_str().parse().ok())
        .or_else(|| {
            part(Label::Number)
                .and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        });
    if let Some(names) = run(Label::Author) {
        let last = names.end - 1;
        let authors = text_of(names);
        let people = parse_authors(authors);
        if conventions::names_editors(&raw, &tokens, last) {
            r.editors = people;
        } else {
            r.authors = people;
        }
        r.et_al = AUTHORS_LEFT_OUT.is_match(authors);
    }
    if r.editors.is_empty() {
        r.editors = part(Label::Editor).map(parse_authors).unwrap_or_default();
    }
    // Without a date part, the first year outside the title ("Verdi 2001" is a title).
    let title = Label::Title;
    let outside_title = || {
        tokens
            .iter()
            .zip(&labels)
            .filter(|(_, &l)| l != title)
            .find_map(|(t, _)| YEAR.captures(&raw[t.span.clone()]))
    };
    let year = part(Label::Date)
        .and_then(|d| YEAR.captures(d))
        .or_else(outside_title)
        .or_else(|| YEAR.captures(&raw));
    if let Some(c) = year {
        r.year = c[1].parse().ok();
        r.year_suffix = c.get(2).and_then(|m| m.as_str().chars().next());
    }
    r.title = part(Label::Title)
        .map(clean_title)
        .filter(|t| !t.is_empty());
    r.venue = part(Label::Venue)
        .map(|v| clean_title(trim_venue(v)))
        .filter(|t| !t.is_empty());
    if let Some(volume) = part(Label::Volume) {
        // "2009;108(2)": the year before a semicolon is the date, not the volume.
        let volume = match (volume.split_once([';', ':']), r.year) {
            (Some((head, tail)), Some(y))
                if head.trim() == y.to_string() && !tail.trim().is_empty() =>
            {
                tail
            }
            _ => volume,
        };
        // "2015;(9):CD011612", "(Suppl 1)": an issue without a volume.
        let issue_only = volume
            .trim_start()
            .strip_prefix('(')
            .and_then(|v| v.split_once(')'))
            .map(|(issue, _)| issue.trim())
            .filter(|issue| is_issue(issue));
        let colon_issue = || {
            VOLUME_COLON_ISSUE
                .captures(volume.trim())
                .filter(|c| c.get(3).is_some() || part(Label::Pages).is_some())
        };
        if let Some(issue) = issue_only {
            r.issue = Some(issue.to_string());
        } else if let Some(c) = colon_issue() {
            r.volume = Some(c[1].to_string());
            r.issue = Some(c[2].to_string());
            r.pages = c.get(3).map(|p| normalize_pages(p.as_str()));
        } else if let Some((v, issue)) = volume_and_issue(volume) {
            r.volume = Some(v.to_string());
            // "Nature 400 (12 August): 675-677": a date in parentheses is no issue.
            let dated = |i: &str| i.split_whitespace().any(|w| is_month(&w.to_lowercase()));
            r.issue = issue.map(str::trim).filter(|i| !dated(i)).map(String::from);
        } else {
            // A volume has a number, in figures or in roman numerals ("vol. III"); "STACS" or
            // "TX" is not one.
            r.volume = Some(clean(volume)).filter(|v| {
                v.bytes().any(|b| b.is_ascii_digit())
                    || v.split_whitespace()
                        .filter(|w| !is_volume_marker(&w.to_lowercase()))
                        .any(|w| {
                            w.trim_end_matches('.')
                                .chars()
                                .all(|c| "IVXLCDMivxlcdm".contains(c))
                        })
            });
        }
    }
    // "86(11):2278-2324", "114: 341": the pages, when the tagger ran them into the volume.
    // "Genome Biology 4, 1–6 (2003)" (Nature): a range after the volume's comma.
    let pages_in_volume = || {
        let volume = part(Label::Volume)?;
        let split = volume.split_once(':').or_else(|| {
            volume
                .split_once(',')
                .filter(|(_, tail)| tail.contains(is_dash))
        });
        if let Some((head, tail)) = split {
            return head.bytes().any(|b| b.is_ascii_digit()).then_some(tail);
        }
        // "6(1) 166", "Appl. Numer. Math., 1 273": a page after the volume (and its issue) and a
        // space.
        let m = VOLUME.find(volume).filter(|m| m.start() == 0)?;
        let rest = &volume[m.as_str().trim_end().len()..];
        let page = rest.trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
        (rest.starts_with(' ') && is_page_range(page)).then_some(page)
    };
    if r.pages.is_none() {
        r.pages = part(Label::Pages)
            .or_else(pages_in_volume)
            .and_then(first_range)
            .map(normalize_pages);
    }
    // "Mol Syst Biol 2, 64 (2006)": Nature's style writes the volume, a comma and the pages; a
    // number after the volume's comma is its issue ("Commun. ACM 36, 3 (1993), 55-61") only when
    // the entry has its pages elsewhere.
    if r.pages.is_none() && part(Label::Volume).is_some_and(issue_after_comma) {
        r.pages = r.issue.take();
    }
    r.doi = DOI
        .captures(&raw)
        .map(|c| c[1].trim_end_matches(['.', ',', ';', ')', ']']).to_string());
    r.pmid = PMID.captures(&raw).map(|c| c[1].to_string());
    r
}

/// The first page range in `text`, else its first page: "B200, 269-294" (a volume the tagger
/// ran into the pages) gives "269-294".
fn first_range(text: &str) -> Option<&str> {
    // A word that is a range ("269-294,"), not a range inside a word ("gb-2007-8-6-r107").
    let range = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| ",.;:()[]".contains(c)))
        .find(|w| w.contains(is_dash) && is_page_range(w));
    range.or_else(|| PAGES.find(text).map(|m| m.as_str()))
}

/// A page or a page range as one word: "238–249", "e137", "D497–D501", "S136-S144".
fn is_page_range(w: &str) -> bool {
    PAGES.find(w).is_some_and(|m| m.len() == w.len())
}

/// A venue without what the tagger ran on with at its end: a date ("Business Insider May", "The
/// Why? Files. 2 Aug") or a volume marker without its number ("To improve the academy: Vol").
fn trim_venue(venue: &str) -> &str {
    let mut end = venue.len();
    let mut month = false;
    while let Some((at, word)) = venue[..end]
        .trim_end()
        .rsplit_once(' ')
        .map(|(head, word)| (head.len() + 1, word))
    {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = bare.to_lowercase();
        let is_month = is_month(&lower);
        let is_day = month && bare.len() <= 2 && bare.bytes().all(|b| b.is_ascii_digit());
        let marker = is_volume_marker(&lower);
        if !(is_month || is_day || marker) || at == 0 {
            break;
        }
        month |= is_month;
        end = at;
    }
    venue[..end].trim_end()
}

/// An issue number ("9", "3-4", "5/6") or a supplement or part ("Suppl 1", "Pt 2").
fn is_issue(text: &str) -> bool {
    let numbered = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-/".contains(&b));
    numbered || ["Suppl", "Pt", "Part"].iter().any(|p| text.starts_with(p))
}

/// Trim outer punctuation and quotation marks, and the square brackets around a whole title
/// (PubMed's mark of a title translated into English: "[Ketamine in emergency medicine].").
fn clean_title(text: &str) -> String {
    let trim = |t: &str| {
        t.trim_matches(|c: char| c.is_whitespace() || ".,;:\"“”‘’'`«»".contains(c))
            .to_string()
    };
    let text = trim(text);
    match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) if !inner.contains(['[', ']']) => trim(inner),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_medium_is_not_part_of_a_name() {
        for (text, name) in [
            ("Am J Psychiatry [Internet]", "Am J Psychiatry"),
            ("Lancet [serial online].", "Lancet"),
            ("IEEE Trans Rehabil Eng [Internet", "IEEE Trans Rehabil Eng"),
        ] {
            assert_eq!(drop_medium(text), name, "{text}");
        }
        for kept in [
            "[Internet]",
            "Ketamine [in Chinese]",
            "A study [letter]",
            "Nature",
        ] {
            assert_eq!(drop_medium(kept), kept);
        }
        let r = parse_reference(
            "Popova V, Daly EJ. Esketamine nasal spray in depression. Am J Psychiatry [Internet]. 2019 Jun 1 [cited 2020 Jan 9];176(6):428-38.",
        );
        assert_eq!(r.venue.as_deref(), Some("Am J Psychiatry"));
        assert_eq!(r.volume.as_deref(), Some("176"));
    }

    #[test]
    fn a_volume_has_a_number_and_an_issue_is_no_date() {
        let tagger = builtin_tagger().expect("the built-in model");
        let read = |text: &str| {
            let r = tag_with(tagger, text);
            (r.volume, r.issue)
        };
        let r = read("Teng, E. 1999. Memory for places. Nature 400 (12 August): 675-677.");
        assert_eq!(r, (Some("400".to_string()), None));
        let r = read("Smith, J. 1990. A study. Journal of Things, 12(3): 1-10.");
        assert_eq!(r, (Some("12".to_string()), Some("3".to_string())));
    }

    #[test]
    fn the_pages_are_the_first_range() {
        assert_eq!(first_range("B200, 269-294"), Some("269-294"));
        assert_eq!(first_range("pp. 12–19, 30-31"), Some("12–19"));
        assert_eq!(first_range("p. 8"), Some("8"));
        assert_eq!(first_range("n.p."), None);
        let doi = "R107. https://doi.org/10.1186/gb-2007-8-6-r107";
        assert_eq!(first_range(doi), Some("R107"));
    }

    #[test]
    fn names_before_a_role_word_are_editors() {
        let surnames = |people: &[crate::model::Person]| -> Vec<String> {
            people.iter().map(|p| p.surname.clone()).collect()
        };
        for (text, editors) in [
            (
                "Ching, Barbara, and Gerald W. Creed, eds. Knowing Your Place: Rural Identity and Cultural Hierarchy. New York: Routledge, 1997.",
                &["Ching", "Creed"][..],
            ),
            (
                "Baldwin, M., et al. (Eds.). (2000). The use of self in therapy (2nd ed.). New York: The Haworth Press.",
                &["Baldwin"],
            ),
            (
                "Ewing, David W. (ed.) Long-Range Planning for Management. New York: Harper and Row, 1964.",
                &["Ewing"],
            ),
        ] {
            let r = parse_reference(text);
            assert!(r.authors.is_empty(), "{text}: {:?}", r.authors);
            assert_eq!(surnames(&r.editors), editors, "{text}");
            assert_eq!(surnames(r.creators()), editors, "{text}");
        }
        // The editors of a containing book do not make the authors editors.
        let r = parse_reference(
            "Smith, J. (2001). A chapter. In K. Jones (Ed.), A book (pp. 1-20). London: Sage.",
        );
        assert_eq!(surnames(&r.authors), ["Smith"]);
        assert_eq!(surnames(&r.editors), ["Jones"]);
    }

    #[test]
    fn pages_after_the_volume_and_a_colon() {
        let r = parse_reference(
            "Yann LeCun, Leon Bottou, Yoshua Bengio, and Patrick Haffner. Gradient-based learning \
             applied to document recognition. Proceedings of the IEEE, 86(11):2278–2324, 1998.",
        );
        let got = (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref());
        assert_eq!(got, (Some("86"), Some("11"), Some("2278-2324")));
    }

    #[test]
    fn an_issue_after_the_volume_and_a_colon() {
        let read = |text: &str| {
            let r = parse_reference(text);
            (r.volume, r.issue, r.pages)
        };
        let s = |v: &str| Some(v.to_string());
        // The pages elsewhere, or after a second colon: the number after the colon is the issue.
        let text = "Malik Mufti, ‘Democratizing Potential of the ‘Arab Spring’: Some Early \
                    Observations’, Government and Opposition, 50: 3 (2015), 394-419.";
        assert_eq!(read(text), (s("50"), s("3"), s("394-419")));
        let text = "Cowman, G.A. & Singer, P.C., 1995. Effect of bromide ion on haloacetic acid \
                    speciation. Environmental Science & Technology, 30:1: 16.";
        assert_eq!(read(text), (s("30"), s("1"), s("16")));
        // Without other pages, it is the pages.
        let text = "Smith, J. (1999). A title here. Nature, 114: 341.";
        assert_eq!(read(text), (s("114"), None, s("341")));
    }

    #[test]
    fn a_page_after_the_volume_and_a_space() {
        let r = parse_reference(
            "J. C. Butcher. General linear method: A survey. Appl. Numer. Math., 1 273, 1985.",
        );
        assert_eq!(
            (r.volume.as_deref(), r.pages.as_deref()),
            (Some("1"), Some("273"))
        );
        let r = parse_reference(
            "D. Georgakopoulos, M. Rusinkiewicz, and A. Sheth. Using tickets to enforce the \
             serializability of multidatabase transactions. IEEE Trans. on Knowledge and Data \
             Eng., 6(1) 166, February 1994.",
        );
        let got = (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref());
        assert_eq!(got, (Some("6"), Some("1"), Some("166")));
    }

    #[test]
    fn a_venue_ends_before_a_date_or_a_bare_volume_marker() {
        for (venue, trimmed) in [
            ("Business Insider May", "Business Insider"),
            ("The Why? Files. 2 Aug", "The Why? Files."),
            ("To improve the academy: Vol", "To improve the academy:"),
            ("Lancet", "Lancet"),
            ("Journal of Volume Studies", "Journal of Volume Studies"),
        ] {
            assert_eq!(trim_venue(venue), trimmed.trim_end(), "{venue}");
        }
    }

    #[test]
    fn a_translated_title_loses_its_brackets() {
        assert_eq!(
            clean_title("[Ketamine in emergency medicine]."),
            "Ketamine in emergency medicine"
        );
        assert_eq!(clean_title("[Title] and [more]"), "[Title] and [more]");
    }

    #[test]
    fn abbreviations_inside_a_title() {
        for (entry, title) in [
            (
                "Lee, K., et al. (2015). Comparison of drug A vs. drug B. Lancet, 385, 100-108.",
                "Comparison of drug A vs. drug B",
            ),
            (
                "Brown, A. (2011). Effects of St. John's wort on mood, e.g. in older adults. \
                 Psychological Medicine, 41(2), 33-40.",
                "Effects of St. John's wort on mood, e.g. in older adults",
            ),
            (
                "Han, X. Y., & Segal, J. (2008). Chromobacterium haemolyticum sp. nov., a strongly \
                 haemolytic species. Int J Syst Evol Microbiol, 58, 1398-1403.",
                "Chromobacterium haemolyticum sp. nov., a strongly haemolytic species",
            ),
        ] {
            assert_eq!(parse_reference(entry).title.as_deref(), Some(title), "{entry}");
        }
    }

    #[test]
    fn a_group_author_in_a_vancouver_entry() {
        let r = parse_reference(
            "Fattorini L, Cirillo DM; the Italian Multicentre Study on Resistance to \
             Antituberculosis Drugs (SMIRA) Group. Drug-resistant tuberculosis among foreign-born \
             persons in Italy. Eur Respir J. 2012;40(2):497-500.",
        );
        let surnames: Vec<&str> = r.authors.iter().map(|a| a.surname.as_str()).collect();
        assert_eq!(
            surnames,
            [
                "Fattorini",
                "Cirillo",
                "the Italian Multicentre Study on Resistance to Antituberculosis Drugs SMIRA Group"
            ]
        );
        assert_eq!(
            r.title.as_deref(),
            Some("Drug-resistant tuberculosis among foreign-born persons in Italy")
        );
    }

    #[test]
    fn authors_after_an_ellipsis_and_capitalised_particles() {
        let r = parse_reference(
            "Murrough, J. W., Iosifescu, D. V., ... Mathew, S. J. (2013). Antidepressant efficacy \
             of ketamine. American Journal of Psychiatry, 170(10), 1134-1142.",
        );
        let surnames: Vec<&str> = r.authors.iter().map(|a| a.surname.as_str()).collect();
        assert_eq!(surnames, ["Murrough", "Iosifescu", "Mathew"]);
        assert!(r.et_al, "authors are left out");
        let r = parse_reference(
            "DE LA SALLE S, PHILLIPS JL, BLIER P. Ketamine in depression. CNS Drugs. \
             2020;34(4):345-58.",
        );
        let surnames: Vec<&str> = r.authors.iter().map(|a| a.surname.as_str()).collect();
        assert_eq!(surnames, ["DE LA SALLE", "PHILLIPS", "BLIER"]);
        assert!(!r.et_al);
    }

    #[test]
    fn a_ditto_mark_takes_the_authors_before_it() {
        for (text, ditto) in [
            ("———. 1836. Tales of a Grandfather.", true),
            ("–––––. Wieland; or The Transformation.", true),
            ("12. ______, Another title.", true),
            ("--- 1999. A title.", true),
            ("– 2001. One dash is not a ditto mark.", false),
            ("Smith—Jones, A. (2001). A title.", false),
        ] {
            assert_eq!(is_ditto(text), ditto, "{text}");
        }
        let list = parse_list([
            "Scott, Walter. 1814. Waverley. Edinburgh: Constable.",
            "———. 1836. Tales of a Grandfather. Edinburgh: R. Cadell.",
        ]);
        assert_eq!(list[1].ordinal, 1);
        assert!(list[1].ditto && !list[0].ditto);
        assert_eq!(list[1].authors, list[0].authors);
        assert_eq!(list[1].authors[0].surname, "Scott");
    }

    #[test]
    fn a_number_after_the_volume_and_a_comma() {
        // Nature: "volume, pages"; ACM: "volume, issue (date), pages".
        let r = parse_reference(
            "Longo, D. & Hasty, J. Dynamics of single-cell gene expression. Mol Syst Biol 2, 64 (2006).",
        );
        assert_eq!(
            (r.volume.as_deref(), r.issue.as_deref(), r.pages.as_deref()),
            (Some("2"), None, Some("64"))
        );
        let r = parse_reference(
            "Fischer, G. & Brockmann, G. A. Expressionview: visualization of quantitative trait loci. Genome Biology 4, 1–6 (2003).",
        );
        assert_eq!(
            (r.volume.as_deref(), r.pages.as_deref()),
            (Some("4"), Some("1-6"))
        );
        assert!(issue_after_comma("36, 3"));
        assert!(!issue_after_comma("sec. 4, 1+"));
        assert!(!issue_after_comma("40.1"));
        assert!(!issue_after_comma("22(3)"));
    }

    #[test]
    fn issue_markers_and_dash_variants() {
        let c = VOLUME.captures("Vol. 20, n° 1,").unwrap();
        assert_eq!((&c[1], c.get(3).map(|m| m.as_str())), ("20", Some("1")));
        // Every way of writing the issue after the volume, and pages that are not an issue.
        for (text, volume, issue) in [
            ("12, Nr. 4", "12", Some("4")),
            ("40.1", "40", Some("1")),
            ("36, 3", "36", Some("3")),
            ("v.13 n.4", "13", Some("4")),
            ("16. Jg. H.2", "16", Some("2")),
            ("2, Nos. 1-4", "2", Some("1-4")),
            ("2:1527-1542", "2", None),
            ("22, 238-249", "22", None),
            ("65, (11)", "65", Some("11")),
            ("24 Suppl 1:", "24", Some("Suppl 1")),
            ("22 Pt 1", "22", Some("Pt 1")),
            // IEEE: "vol. 8, no. Suppl 3", "no. supplement 1", "no. 1–2", "no. 22 Pt 1".
            ("8, no. Suppl 3", "8", Some("Suppl 3")),
            ("21, no. supplement 1", "21", Some("supplement 1")),
            ("31, no. 1–2", "31", Some("1–2")),
            ("13, no. 22 Pt 1", "13", Some("22 Pt 1")),
            ("108 suppl 3", "108", Some("suppl 3")),
        ] {
            let (v, found) = volume_and_issue(text).unwrap();
            assert_eq!((v, found), (volume, issue), "{text}");
        }
        for (text, year) in [
            ("北京 ： 商務 ， 2007年 。", "2007"),
            ("(2016a).", "2016"),
            ("12016", ""),
        ] {
            let found = YEAR
                .captures(text)
                .map_or("", |c| c.get(1).unwrap().as_str());
            assert_eq!(found, year, "{text}");
        }
        for pages in ["p. 658‑677.", "658‒677", "658−677", "658–677"] {
            let found = PAGES.find(pages).unwrap().as_str();
            assert_eq!(normalize_pages(found), "658-677", "{pages}");
        }
        // Supplement pages numbered in roman letters before the digits; a Cochrane article number.
        assert_eq!(PAGES.find("pp. ii45–ii50.").unwrap().as_str(), "ii45–ii50");
        assert_eq!(PAGES.find(":CD011612.").unwrap().as_str(), "CD011612");
    }
}
