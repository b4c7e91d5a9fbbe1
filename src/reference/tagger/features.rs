//! The tagger's features: hashed observations of each token (word, shape, neighbours,
//! punctuation context, position, nesting, word classes from short lists of words that mark
//! reference parts).

use super::{BITS, BOS, EDGE_BITS, EOS, K, KE};
use crate::reference::tokenize::Token;

pub(super) const fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    fnv_more(
        0xcbf29ce484222325u64 ^ seed.wrapping_mul(0x100000001b3),
        bytes,
    )
}

const fn fnv_more(mut h: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x100000001b3);
        i += 1;
    }
    h
}

/// The hash of a word or of a fixed string the features compare against (at compile time
/// for the latter).
const fn hash_of(word: &str) -> u64 {
    fnv(0, word.as_bytes())
}

/// Hashes of "0" to "9", the features' small counts and positions.
const DIGITS: [u64; 10] = {
    let mut out = [0; 10];
    let mut d = 0;
    while d < 10 {
        out[d] = fnv(0, &[b'0' + d as u8]);
        d += 1;
    }
    out
};

/// Feature ids of each token, `K` per token, flat.
pub fn features(text: &str, tokens: &[Token]) -> Vec<u32> {
    let n = tokens.len();
    let words: Vec<&str> = tokens.iter().map(|t| &text[t.span.clone()]).collect();
    // Lowercased words and shapes, each in one buffer.
    let (mut lower_buf, mut shape_buf) = (
        String::with_capacity(text.len() + n),
        String::with_capacity(4 * n),
    );
    let (mut lower_at, mut shape_at_) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for w in &words {
        let start = lower_buf.len();
        if w.is_ascii() {
            lower_buf.push_str(&w[..w.len().min(24)]);
            lower_buf[start..].make_ascii_lowercase();
        } else {
            lower_buf.extend(w.chars().take(24).flat_map(char::to_lowercase));
        }
        lower_at.push(start..lower_buf.len());
        let start = shape_buf.len();
        push_shape(&mut shape_buf, w);
        shape_at_.push(start..shape_buf.len());
    }
    let lower: Vec<&str> = lower_at.iter().map(|r| &lower_buf[r.clone()]).collect();
    let shapes: Vec<&str> = shape_at_.iter().map(|r| &shape_buf[r.clone()]).collect();
    let word_hash: Vec<u64> = lower.iter().map(|w| hash_of(w)).collect();
    let shape_hash: Vec<u64> = shapes.iter().map(|w| hash_of(w)).collect();
    let is_year: Vec<bool> = words.iter().map(|w| year_like(w)).collect();
    let class: Vec<u64> = words
        .iter()
        .zip(&lower)
        .map(|(w, l)| hash_of(lexicon(w, l)))
        .collect();
    let class_at = |j: isize| -> u64 {
        match usize::try_from(j).ok().and_then(|j| class.get(j)) {
            Some(&c) => c,
            None => const { hash_of("") },
        }
    };
    let first_year = is_year.iter().position(|y| *y);
    // The hash of each punctuation mark, and of the nearest one before and after each token.
    let punct: Vec<Option<u64>> = words
        .iter()
        .map(|w| w.chars().all(|c| !c.is_alphanumeric()).then(|| hash_of(w)))
        .collect();
    let mut prev_punct = vec![const { hash_of("<s>") }; n];
    let mut next_punct = vec![const { hash_of("</s>") }; n];
    for i in 1..n {
        prev_punct[i] = punct[i - 1].unwrap_or(prev_punct[i - 1]);
    }
    for i in (0..n.saturating_sub(1)).rev() {
        next_punct[i] = punct[i + 1].unwrap_or(next_punct[i + 1]);
    }
    let mut out: Vec<u32> = Vec::with_capacity(n * K);
    let (mut paren, mut bracket, mut quote, mut segment, mut commas) =
        (0i32, 0i32, false, 0u32, 0u32);
    for i in 0..n {
        let w = words[i];
        match w {
            "(" => paren += 1,
            "[" => bracket += 1,
            "“" | "`" | "«" => quote = true,
            "\"" => quote = !quote,
            _ => {}
        }
        let mut ids = [0u32; K];
        let mut add = |kind: u8, parts: &[u64]| {
            let mut h = (u64::from(kind) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for &p in parts {
                h = (h ^ p).wrapping_mul(0x100_0000_01B3).rotate_left(29);
            }
            h ^= h >> 32;
            ids[usize::from(kind)] = (h & ((1 << BITS) - 1)) as u32;
        };
        let at = |j: isize| -> u64 {
            if j < 0 {
                BOS
            } else {
                word_hash.get(j as usize).copied().unwrap_or(EOS)
            }
        };
        let shape_at = |j: isize| -> u64 {
            if j < 0 {
                BOS
            } else {
                shape_hash.get(j as usize).copied().unwrap_or(EOS)
            }
        };
        let i_ = i as isize;
        let low = lower[i];
        let prefix_end = low.char_indices().nth(3).map_or(low.len(), |(k, _)| k);
        let suffix_start = low.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
        let seg = DIGITS[segment.min(7) as usize];
        let year_rel = match first_year {
            Some(y) if y < i => const { hash_of("after") },
            Some(y) if y == i => const { hash_of("at") },
            Some(_) => const { hash_of("before") },
            None => const { hash_of("none") },
        };
        let nest = match ((paren > 0) as u8, (bracket > 0) as u8, quote as u8) {
            (0, 0, 0) => const { hash_of("000") },
            (1, 0, 0) => const { hash_of("100") },
            (0, 1, 0) => const { hash_of("010") },
            (0, 0, 1) => const { hash_of("001") },
            _ => const { hash_of("111") },
        };
        let space = if tokens[i].space_before {
            const { hash_of("s") }
        } else {
            const { hash_of("n") }
        };
        add(0, &[]);
        add(1, &[word_hash[i]]);
        add(2, &[shape_hash[i]]);
        add(3, &[hash_of(&low[..prefix_end])]);
        add(4, &[hash_of(&low[suffix_start..])]);
        add(5, &[DIGITS[(10 * i / n.max(1)).min(9)]]);
        add(6, &[DIGITS[i.min(6)]]);
        add(7, &[space]);
        add(8, &[at(i_ - 1)]);
        add(9, &[at(i_ + 1)]);
        add(10, &[at(i_ - 2)]);
        add(11, &[at(i_ + 2)]);
        add(12, &[shape_at(i_ - 1)]);
        add(13, &[shape_at(i_ + 1)]);
        add(14, &[nest]);
        add(15, &[seg]);
        add(16, &[seg, shape_hash[i]]);
        add(17, &[year_rel]);
        add(18, &[year_rel, shape_hash[i]]);
        add(19, &[DIGITS[commas.min(9) as usize]]);
        add(20, &[at(i_ - 1), word_hash[i]]);
        add(21, &[word_hash[i], at(i_ + 1)]);
        add(22, &[class[i]]);
        add(23, &[class_at(i_ - 1), class_at(i_ + 1)]);
        add(24, &[shape_at(i_ - 1), shape_hash[i], shape_at(i_ + 1)]);
        add(25, &[prev_punct[i], next_punct[i]]);
        add(26, &[DIGITS[(n - i).min(9)]]);
        // The word's length with what follows it: a short word before a full stop is an
        // abbreviation or an initial ("Am.", "J."), a long one a sentence's end.
        let after = match punct.get(i + 1) {
            Some(&Some(mark)) => mark,
            Some(None) => const { hash_of("a word") },
            None => EOS,
        };
        add(27, &[DIGITS[length_class(w)], after]);
        // Edge observations: the token before (itself if punctuation, else its shape), and this
        // token's shape.
        let before = match i.checked_sub(1).and_then(|j| punct[j]) {
            Some(mark) => mark,
            None => shape_at(i_ - 1),
        };
        let pair = before.rotate_left(17) ^ shape_hash[i];
        for (k, (kind, parts)) in [(100u64, before), (101, shape_hash[i]), (102, pair)]
            .into_iter()
            .enumerate()
        {
            let x =
                (parts ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0x100_0000_01B3);
            ids[KE + k] = ((x ^ (x >> 32)) & ((1 << EDGE_BITS) - 1)) as u32;
        }
        out.extend_from_slice(&ids);
        match w {
            ")" => paren -= 1,
            "]" => bracket -= 1,
            "”" | "»" => quote = false,
            "'" if i > 0 && words[i - 1] == "'" => quote = false,
            "," => commas += 1,
            "." | "?" | "!"
                if i > 0 && !is_single_capital(words[i - 1]) && !is_abbreviation(lower[i - 1]) =>
            {
                segment += 1
            }
            _ => {}
        }
    }
    out
}

/// "Duman" → "Xx", "RS" → "XX", "2016" → "dddd", "238-249" → "ddd-ddd", "." → ".".
#[cfg(test)]
pub(super) fn shape(word: &str) -> String {
    let mut out = String::new();
    push_shape(&mut out, word);
    out
}

/// Append the shape of `word` to `buf`.
fn push_shape(buf: &mut String, word: &str) {
    let start = buf.len();
    let mut digits = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c == '–' || c == '—' {
            '-'
        } else {
            c
        };
        if s == 'd' {
            digits += 1;
            if digits > 4 {
                continue;
            }
        } else {
            digits = 0;
        }
        let own = &buf[start..];
        if (s == 'x' && own.ends_with('x')) || (s == 'X' && own.ends_with("XX")) {
            continue;
        }
        buf.push(s);
        if buf.len() - start > 8 {
            break;
        }
    }
}

/// Words by length in characters: 1, 2, 3, 4–5, 6–8, longer (classes 1 to 6).
fn length_class(word: &str) -> usize {
    match word.chars().count() {
        0..=1 => 1,
        2 => 2,
        3 => 3,
        4..=5 => 4,
        6..=8 => 5,
        _ => 6,
    }
}

/// A year, maybe with its suffix letter: "2016", "1998a".
pub fn year_like(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits == 4
        && (word.starts_with('1') || word.starts_with("20"))
        && word[4..].chars().all(|c| c.is_ascii_lowercase())
        && word.len() <= 5
}

/// A token that is one capital letter: an initial once its full stop is split off ("J" of "J.").
pub(crate) fn is_single_capital(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Abbreviations whose full stop does not end a sentence: "vs.", "sp. nov.", "e.g.", "St.".
fn is_abbreviation(lower: &str) -> bool {
    matches!(
        lower,
        "vs" | "sp"
            | "spp"
            | "nov"
            | "subsp"
            | "ssp"
            | "var"
            | "cf"
            | "e"
            | "g"
            | "i"
            | "st"
            | "approx"
    )
}

/// A word that marks a volume, in lower case, with or without its full stop: "vol.", "volumes".
pub(crate) fn is_volume_marker(lower: &str) -> bool {
    matches!(
        lower.trim_end_matches('.'),
        "vol" | "vols" | "volume" | "volumes"
    )
}

/// A month's name or its abbreviation, in lower case: "may", "sept".
pub(crate) fn is_month(lower: &str) -> bool {
    matches!(
        lower,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// A coarse word class from small lists of words that mark reference parts. Only "In" with a
/// capital marks a container ("In Proceedings of..."); "in" inside a title does not.
fn lexicon(word: &str, lower: &str) -> &'static str {
    if word == "in" {
        return "";
    }
    match lower {
        month if is_month(month) => "month",
        "spring" | "summer" | "autumn" | "fall" | "winter" => "month",
        "ed" | "eds" | "editor" | "editors" | "edited" | "hrsg" | "hg" | "dir" | "coord"
        | "trans" | "translated" => "editor",
        "press" | "publisher" | "publishers" | "publishing" | "verlag" | "university" | "univ"
        | "inc" | "ltd" | "co" | "books" | "editions" | "éditions" | "wiley" | "springer"
        | "elsevier" => "publisher",
        "journal" | "j" | "proc" | "proceedings" | "review" | "rev" | "bulletin" | "bull"
        | "annals" | "ann" | "acta" | "transactions" | "quarterly" | "studies" | "letters"
        | "lett" | "research" | "science" | "sci" | "med" | "medicine" | "psychiatry" | "clin"
        | "am" | "int" | "conference" | "symposium" | "magazine" | "revue" | "zeitschrift" => {
            "venue"
        }
        "york" | "london" | "paris" | "berlin" | "oxford" | "cambridge" | "boston" | "chicago"
        | "philadelphia" | "washington" | "amsterdam" | "toronto" | "princeton" | "baltimore"
        | "berkeley" | "angeles" | "francisco" | "stanford" | "tokyo" | "madrid" | "barcelona"
        | "rome" | "roma" | "milan" | "milano" | "vienna" | "wien" | "munich" | "münchen"
        | "frankfurt" | "leipzig" | "stuttgart" | "heidelberg" | "hamburg" | "zurich"
        | "zürich" | "basel" | "geneva" | "genève" | "bern" | "brussels" | "bruxelles"
        | "leiden" | "utrecht" | "rotterdam" | "copenhagen" | "stockholm" | "oslo" | "helsinki"
        | "moscow" | "warsaw" | "prague" | "budapest" | "sydney" | "melbourne" | "canberra"
        | "auckland" | "beijing" | "shanghai" | "singapore" | "delhi" | "montreal" | "montréal"
        | "ottawa" | "québec" | "vancouver" | "edinburgh" | "glasgow" | "dublin" | "manchester"
        | "lisbon" | "lisboa" | "mexico" | "chichester" | "hoboken" | "hillsdale" | "mahwah"
        | "norwood" | "dordrecht" | "bethesda" | "atlanta" | "ithaca" | "haven" | "minneapolis"
        | "seattle" | "pittsburgh" | "durham" | "malden" | "abingdon" | "basingstoke"
        | "harmondsworth" | "lanham" | "westport" | "totowa" | "usa" | "uk" | "germany"
        | "france" | "italy" | "spain" | "canada" | "australia" | "japan" | "china" | "india"
        | "netherlands" | "switzerland" | "sweden" | "russia" | "brazil" => "place",
        "pp" | "p" | "pages" | "page" | "s" | "pgs" => "pages",
        "vol" | "volume" | "vols" | "no" | "nr" | "issue" | "bd" | "iss" | "suppl" => "volume",
        "in" | "dans" | "en" => "in",
        "doi" | "http" | "https" | "url" | "retrieved" | "accessed" | "available" | "online"
        | "pmid" | "isbn" => "link",
        "et" | "al" | "and" | "&" | "und" | "y" => "and",
        "thesis" | "dissertation" | "phd" | "report" | "technical" | "manuscript"
        | "unpublished" | "paper" | "presented" => "genre",
        _ => "",
    }
}
