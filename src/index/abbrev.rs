//! Abbreviations defined in an article ("N-methyl-D-aspartate (NMDA)"), found with the algorithm of
//! Schwartz & Hearst (2003), so that a search for one form also finds passages that use only the
//! other.

use std::collections::BTreeMap;

use crate::model::Article;

/// A short form and the long form it abbreviates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Abbreviation {
    /// "NMDA".
    pub short: String,
    /// "N-methyl-D-aspartate".
    pub long: String,
}

/// Pairs defined in `text` as "long form (SF)".
pub fn find_abbreviations(text: &str) -> Vec<Abbreviation> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = text[search..].find('(').map(|i| search + i) {
        let Some(close) = text[open + 1..].find([')', '(']).map(|i| open + 1 + i) else {
            break;
        };
        search = open + 1;
        if text.as_bytes()[close] != b')' {
            continue;
        }
        let inside = text[open + 1..close]
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim();
        if !is_short_form(inside) {
            continue;
        }
        // The words before the parenthesis, within the sentence.
        let before = &text[..open];
        let sentence_start = before.rfind(". ").map_or(0, |i| i + 2);
        let max_words = (inside.chars().count() + 5).min(inside.chars().count() * 2);
        let mut words: Vec<&str> = before[sentence_start..]
            .split_whitespace()
            .rev()
            .take(max_words)
            .collect();
        words.reverse();
        let candidate = words.join(" ");
        if let Some(long) = best_long_form(inside, &candidate) {
            out.push(Abbreviation {
                short: inside.to_string(),
                long,
            });
        }
    }
    out
}

/// A plausible short form: 2 to 10 characters, at most two words, starting with a letter or digit,
/// with a capital letter in it.
fn is_short_form(s: &str) -> bool {
    let chars = s.chars().count();
    (2..=10).contains(&chars)
        && s.split_whitespace().count() <= 2
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars().any(char::is_uppercase)
}

/// Schwartz & Hearst: match the short form's characters right to left in the candidate; the
/// first character must start a word. Returns the long form, or `None`.
fn best_long_form(short: &str, candidate: &str) -> Option<String> {
    let s: Vec<char> = short.chars().flat_map(char::to_lowercase).collect();
    let l: Vec<char> = candidate.chars().collect();
    let lower: Vec<char> = l
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut si = s.len() as isize - 1;
    let mut li = l.len() as isize - 1;
    while si >= 0 {
        let c = s[si as usize];
        if !c.is_alphanumeric() {
            si -= 1;
            continue;
        }
        while li >= 0
            && (lower[li as usize] != c
                || (si == 0 && li > 0 && l[li as usize - 1].is_alphanumeric()))
        {
            li -= 1;
        }
        if li < 0 {
            return None;
        }
        li -= 1;
        si -= 1;
    }
    let start = l[..(li + 1) as usize]
        .iter()
        .rposition(|c| *c == ' ')
        .map_or(0, |p| p + 1);
    let long: String = l[start..].iter().collect();
    let long = long
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let plausible = long.chars().count() > short.chars().count()
        && long.split_whitespace().count() >= 1
        && !long.contains(short)
        && long.contains(|c: char| c.is_alphabetic());
    plausible.then_some(long)
}

/// For each passage of the article (in [`Article::passages`] order), the forms it lacks of the
/// abbreviations the article defines: the long form where only the short one occurs, and the
/// reverse. Empty strings for passages with nothing to add.
pub fn expansions(article: &Article) -> Vec<String> {
    let mut pairs: BTreeMap<String, String> = BTreeMap::new();
    for (_, passage) in article.passages() {
        for a in find_abbreviations(&passage.text) {
            pairs.entry(a.short).or_insert(a.long);
        }
    }
    if pairs.is_empty() {
        return vec![String::new(); article.passages().count()];
    }
    article
        .passages()
        .map(|(_, passage)| {
            let text = &passage.text;
            let lower = text.to_lowercase();
            let mut add = Vec::new();
            for (short, long) in &pairs {
                let has_short = contains_word(text, short);
                let has_long = lower.contains(&long.to_lowercase());
                if has_short && !has_long {
                    add.push(long.as_str());
                } else if has_long && !has_short {
                    add.push(short.as_str());
                }
            }
            add.join(" ; ")
        })
        .collect()
}

/// `word` in `text` with no letter or digit on either side.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schwartz_hearst_pairs() {
        for (text, short, long) in [
            (
                "specifically targeting N-methyl-D-aspartate (NMDA) receptors",
                "NMDA",
                "N-methyl-D-aspartate",
            ),
            (
                "particularly treatment-resistant depression (TRD). Its",
                "TRD",
                "treatment-resistant depression",
            ),
            (
                "the brain’s default mode network (DMN), which",
                "DMN",
                "default mode network",
            ),
            (
                "heart rate variability (HRV; see below)",
                "HRV",
                "heart rate variability",
            ),
        ] {
            let found = find_abbreviations(text);
            let found: Vec<(&str, &str)> = found
                .iter()
                .map(|a| (a.short.as_str(), a.long.as_str()))
                .collect();
            assert_eq!(found, [(short, long)], "{text}");
        }
        for text in [
            "approximately 50-70% (of patients) and (2019) and (p < 0.05)",
            "a trial (NCT01234567)",
        ] {
            assert!(find_abbreviations(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn expansions_add_the_missing_form() {
        let text = "Title\n\nKetamine helps treatment-resistant depression (TRD).\n\nIn TRD, relief is fast.\n\nNothing here.\n";
        let a = crate::parse::text::parse_text(text, crate::model::Format::Text, "a", "a.txt");
        assert_eq!(expansions(&a), ["", "treatment-resistant depression", ""]);
    }
}
