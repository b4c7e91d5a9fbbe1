//! Finding in-text citations in a passage and resolving them to reference-list entries.
//!
//! Author–date citations: "(Krystal et al., 2019)", "(Smith & Jones, 2019; Lee, 2020)",
//! "Smith and Jones (2019)", "(de la Salle et al., 2020)", "(Lee, 2019a)". Numeric citations "[3]",
//! "[1-4, 7]" are read only when the article's reference list is numbered.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Citation, Reference};

/// A surname: optional lowercase particles, then capitalised words ("Aan Het Rot", "de la Salle").
const NAME: &str = r"(?:(?:van|von|de|der|den|del|della|di|da|du|dos|des|la|le|ten|ter|het|aan|mac|st\.)\s+)*\p{Lu}[\p{L}'’\-]*\p{L}(?:\s+\p{Lu}[\p{L}'’\-]*\p{L})*";
const YEAR: &str = r"(?:1[89]|20)\d{2}[a-z]?|n\.d\.|in press";

fn names_pattern() -> String {
    format!(r"{NAME}(?:(?:\s*,\s*|\s*,?\s*(?:&|and)\s+){NAME})*(?:\s+et\s+al\.?)?")
}

/// One cited work inside parentheses: "Duman et al., 2016" or "Smith & Jones, 2019, 2020".
static PAREN_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<names>{}),?\s+(?P<years>(?:{YEAR})(?:\s*,\s*(?:{YEAR}))*)",
        names_pattern()
    ))
    .unwrap()
});
/// "Smith and Jones (2019)", "Aan Het Rot et al. (2012)".
static NARRATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<names>{})\s+\((?P<years>(?:{YEAR})(?:\s*[,;]\s*(?:{YEAR}))*)\)",
        names_pattern()
    ))
    .unwrap()
});
/// "Frazier et al., 2014" outside parentheses ("following the protocol of Frazier et al., 2014",
/// a table's row): "et al." and a year make a citation by themselves.
static BARE_ET_AL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<names>{NAME})\s+et\s+al\.?,?\s+(?P<years>(?:{YEAR})(?:\s*,\s*(?:{YEAR}))*)"
    ))
    .unwrap()
});
/// What every bare "et al." citation has: "et al." right before its year.
static ET_AL_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"et\s+al\.?,?\s+(?:{YEAR})")).unwrap());
/// What every narrative citation has: "(" right before its year.
static NARRATIVE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\((?:{YEAR})")).unwrap());
/// Parentheses, or square brackets ("[Driggers et al., 2004]").
static PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^()]{1,500})\)|\[([^\[\]]{1,500})\]").unwrap());
static YEAR_ONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"(?:{YEAR})")).unwrap());
static NAME_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*,\s*|\s*,?\s*(?:&|\band)\s+|\s+et\s+al\.?").unwrap());
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[(\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*\s*)\]",
    )
    .unwrap()
});

/// The most numbers a single range such as "[1-400]" may expand to.
const MAX_RANGE: u32 = 200;

/// Find the citations in `text` and resolve each against `references`.
pub fn find_citations(text: &str, references: &[Reference]) -> Vec<Citation> {
    let mut out = Vec::new();
    // Author–date citations all have a year (or "n.d.", "in press") inside parentheses or right
    // after "(": the name patterns, the costly part, run only where one is.
    for paren in PARENS.captures_iter(text) {
        let inner = paren.get(1).or(paren.get(2)).unwrap();
        if !YEAR_ONE.is_match(inner.as_str()) {
            continue;
        }
        for part in PAREN_PART.captures_iter(inner.as_str()) {
            let names = part.name("names").unwrap().as_str();
            let whole = part.get(0).unwrap();
            let span = (inner.start() + whole.start(), inner.start() + whole.end());
            push_author_year(
                &mut out,
                names,
                part.name("years").unwrap().as_str(),
                span,
                references,
            );
        }
    }
    let narrative = NARRATIVE_YEAR
        .is_match(text)
        .then(|| NARRATIVE.captures_iter(text));
    // The name pattern runs only where "et al." is followed by a year.
    let bare = ET_AL_YEAR
        .is_match(text)
        .then(|| BARE_ET_AL.captures_iter(text));
    for m in narrative
        .into_iter()
        .flatten()
        .chain(bare.into_iter().flatten())
    {
        let whole = m.get(0).unwrap();
        let span = (whole.start(), whole.end());
        if out
            .iter()
            .any(|c: &Citation| c.span.0 < span.1 && span.0 < c.span.1)
        {
            continue;
        }
        push_author_year(
            &mut out,
            m.name("names").unwrap().as_str(),
            m.name("years").unwrap().as_str(),
            span,
            references,
        );
    }
    if references.iter().any(|r| r.number.is_some()) {
        for m in NUMERIC.captures_iter(text) {
            let whole = m.get(0).unwrap();
            for number in expand_numbers(&m[1]) {
                let resolved = references.iter().position(|r| r.number == Some(number));
                out.push(Citation {
                    span: (whole.start(), whole.end()),
                    surnames: Vec::new(),
                    year: None,
                    year_suffix: None,
                    number: Some(number),
                    references: resolved.into_iter().collect(),
                });
            }
        }
    }
    out.sort_by_key(|c| c.span);
    out
}

fn push_author_year(
    out: &mut Vec<Citation>,
    names: &str,
    years: &str,
    span: (usize, usize),
    references: &[Reference],
) {
    let surnames: Vec<String> = NAME_SPLIT
        .split(names)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if surnames.is_empty() {
        return;
    }
    for year in YEAR_ONE.find_iter(years) {
        let (year, year_suffix) = split_year(year.as_str());
        let (surnames, refs) = resolve(&surnames, year, year_suffix, references);
        out.push(Citation {
            span,
            surnames,
            year,
            year_suffix,
            number: None,
            references: refs,
        });
    }
}

fn split_year(text: &str) -> (Option<u16>, Option<char>) {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    (
        digits.parse().ok(),
        text[digits.len()..]
            .chars()
            .next()
            .filter(char::is_ascii_lowercase),
    )
}

/// Resolve by the first author's surname and the year. Words written before a surname ("Recently
/// Smith (2019)") are dropped until a reference matches; the returned surnames are the matched form.
fn resolve(
    surnames: &[String],
    year: Option<u16>,
    suffix: Option<char>,
    references: &[Reference],
) -> (Vec<String>, Vec<usize>) {
    let first = &surnames[0];
    let words: Vec<&str> = first.split_whitespace().collect();
    for skip in 0..words.len() {
        let candidate = words[skip..].join(" ");
        let key = name_key(&candidate);
        let mut found: Vec<usize> = references
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.year.is_some()
                    && r.year == year
                    && (suffix.is_none() || r.year_suffix.is_none() || r.year_suffix == suffix)
                    && r.creators()
                        .first()
                        .is_some_and(|a| name_key(&a.surname) == key)
            })
            .map(|(i, _)| i)
            .collect();
        if found.len() > 1 {
            if let Some(second) = surnames.get(1) {
                let second = name_key(second);
                let narrowed: Vec<usize> = found
                    .iter()
                    .copied()
                    .filter(|&i| {
                        references[i]
                            .creators()
                            .get(1)
                            .is_some_and(|a| name_key(&a.surname) == second)
                    })
                    .collect();
                if !narrowed.is_empty() {
                    found = narrowed;
                }
            }
            if suffix.is_some() {
                found.retain(|&i| references[i].year_suffix == suffix);
            }
        }
        if !found.is_empty() {
            let mut names = surnames.to_vec();
            names[0] = candidate;
            return (names, found);
        }
    }
    // Unresolved: keep the last capitalised words as the surname ("Recently Smith" → "Smith").
    let mut names = surnames.to_vec();
    if words.len() > 1 && words[0].chars().next().is_some_and(char::is_uppercase) {
        names[0] = words[words.len() - 1].to_string();
    }
    (names, Vec::new())
}

/// Lowercased letters only, for comparing names.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// "1-4, 7" → [1, 2, 3, 4, 7].
fn expand_numbers(list: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for item in list.split([',', ';']) {
        let bounds: Vec<u32> = item
            .split(['-', '–', '—'])
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        match bounds.as_slice() {
            [n] => out.push(*n),
            [a, b] if a <= b && b - a < MAX_RANGE => out.extend(*a..=*b),
            [a, b] => out.extend([*a, *b]),
            _ => {}
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::parse_reference;

    fn refs() -> Vec<Reference> {
        [
            "Krystal, J. H., Sanacora, G., & Duman, R. S. (2019). Rapid-acting antidepressants. Biological Psychiatry, 86(6), 444-456.",
            "Smith, A., & Jones, B. (2019). A study. Journal, 1(1), 1-2.",
            "Lee, C. (2020). Another study. Journal, 2(1), 3-4.",
            "Lee, C. (2019a). First of two. Journal, 2(1), 5-6.",
            "Lee, C. (2019b). Second of two. Journal, 2(1), 7-8.",
            "Aan Het Rot, M., Collins, K. A., & Mathew, S. J. (2012). Safety. Biological Psychiatry, 72(4), 359-363.",
            "de la Salle, S., Choueiry, J., Shah, D., & McCabe, C. (2020). Effects. Frontiers in Psychiatry, 11, 253.",
            "Ching, B., & Creed, G. W. (Eds.). (1997). Knowing your place. New York: Routledge.",
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| Reference { ordinal: i, ..parse_reference(s) })
        .collect()
    }

    /// (text, expected [(first surname, year, resolved reference index)])
    #[test]
    fn author_year_forms() {
        let refs = refs();
        type Expected<'a> = &'a [(&'a str, u16, Option<usize>)];
        let cases: &[(&str, Expected)] = &[
            (
                "as shown (Krystal et al., 2019).",
                &[("Krystal", 2019, Some(0))],
            ),
            (
                "both (Smith & Jones, 2019; Lee, 2020).",
                &[("Smith", 2019, Some(1)), ("Lee", 2020, Some(2))],
            ),
            ("Smith and Jones (2019) found", &[("Smith", 2019, Some(1))]),
            (
                "trials (Aan Het Rot et al., 2012)",
                &[("Aan Het Rot", 2012, Some(5))],
            ),
            (
                "network (de la Salle et al., 2020)",
                &[("de la Salle", 2020, Some(6))],
            ),
            (
                "first (Lee, 2019a) then (Lee, 2019b)",
                &[("Lee", 2019, Some(3)), ("Lee", 2019, Some(4))],
            ),
            (
                "Recently Krystal et al. (2019) argued",
                &[("Krystal", 2019, Some(0))],
            ),
            ("see (e.g., Lee, 2020)", &[("Lee", 2020, Some(2))]),
            (
                "an edited book (Ching & Creed, 1997)",
                &[("Ching", 1997, Some(7))],
            ),
            ("unknown (Nobody et al., 2001)", &[("Nobody", 2001, None)]),
            (
                "the protocol of Krystal et al., 2019 and",
                &[("Krystal", 2019, Some(0))],
            ),
            ("as before [Lee, 2020]", &[("Lee", 2020, Some(2))]),
        ];
        for (text, expected) in cases {
            let found = find_citations(text, &refs);
            let got: Vec<(&str, u16, Option<usize>)> = found
                .iter()
                .map(|c| {
                    (
                        c.surnames[0].as_str(),
                        c.year.unwrap(),
                        c.references.first().copied(),
                    )
                })
                .collect();
            assert_eq!(&got, expected, "in {text:?}");
            for c in &found {
                assert!(
                    text[c.span.0..c.span.1].contains(&c.year.unwrap().to_string()),
                    "span of {c:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn no_citation_in_plain_parentheses() {
        let refs = refs();
        assert!(find_citations(
            "between 50-70% (of patients) in 2019 and (NMDA) receptors",
            &refs
        )
        .is_empty());
    }

    #[test]
    fn numeric_forms_need_a_numbered_list() {
        let numbered: Vec<Reference> = (1..=8)
            .map(|n| Reference {
                ordinal: n as usize - 1,
                ..parse_reference(&format!("{n}. Author A. Title {n}. J. 2001;1:1-2."))
            })
            .collect();
        let found = find_citations("shown [3] and [1-4, 7] but not [12]", &numbered);
        let numbers: Vec<u32> = found.iter().map(|c| c.number.unwrap()).collect();
        assert_eq!(numbers, [3, 1, 2, 3, 4, 7, 12]);
        let resolved: Vec<Option<usize>> = found
            .iter()
            .map(|c| c.references.first().copied())
            .collect();
        assert_eq!(
            resolved,
            [Some(2), Some(0), Some(1), Some(2), Some(3), Some(6), None]
        );
        assert!(find_citations("shown [3]", &refs()).is_empty());
    }

    #[test]
    fn expands_ranges_with_a_bound() {
        assert_eq!(expand_numbers("1-4, 7"), [1, 2, 3, 4, 7]);
        assert_eq!(expand_numbers("5–3"), [5, 3]);
        assert_eq!(expand_numbers("1-100000").len(), 2);
    }
}
