//! Typography markup that copied references carry: HTML and JATS inline tags ("<i>Nature
//! Medicine</i>", "<italic>") and Markdown emphasis ("*Nature Medicine*", "_Lancet_", "**22**").
//! It says how a part is printed, not what it is, so the parser reads the text without it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// An inline typography tag, opening or closing; not an address in angle brackets
/// ("<https://…>") or other text between "<" and ">".
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:i|b|u|em|strong|italic|bold|underline|sup|sub|sc|small-caps|smallcaps|span|tt|monospace)(?:\s[^<>]*)?/?>").unwrap()
});

/// `text` without inline tags and Markdown emphasis markers; borrowed when it has none.
pub fn without_markup(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| matches!(b, b'<' | b'*' | b'_')) {
        return Cow::Borrowed(text);
    }
    let mut out = Cow::Borrowed(text);
    if text.contains('<') {
        if let Cow::Owned(plain) = TAG.replace_all(text, "") {
            out = Cow::Owned(plain);
        }
    }
    for marker in ["**", "__", "*", "_"] {
        if let Some(plain) = without_pairs(&out, marker) {
            out = Cow::Owned(plain);
        }
    }
    out
}

/// `text` without the pairs of `marker` that enclose a stretch of text as emphasis does: the
/// opening one before a word and not inside one, the closing one after a word and not inside
/// one ("*22*(3)"). Lone markers stay
/// ("Bao Q *, Zhao Y*", "*Cook, N.": marks of co-first or student authors), and so do markers
/// inside words ("Charles_R._Van_Hise"). `None` when there are no such pairs.
fn without_pairs(text: &str, marker: &str) -> Option<String> {
    let mark = marker.chars().next().expect("a marker");
    let at: Vec<usize> = text.match_indices(marker).map(|(i, _)| i).collect();
    let before = |i: usize| text[..i].chars().next_back();
    let after = |i: usize| text[i + marker.len()..].chars().next();
    let opens = |i: usize| {
        before(i).is_none_or(|c| !c.is_alphanumeric() && c != mark)
            && after(i).is_some_and(|c| !c.is_whitespace() && c != mark && !",;.".contains(c))
    };
    let closes = |i: usize| {
        before(i).is_some_and(|c| !c.is_whitespace() && c != mark)
            && after(i).is_none_or(|c| !c.is_alphanumeric() && c != mark)
    };
    let mut dropped = Vec::new();
    let mut k = 0;
    while k < at.len() {
        if opens(at[k]) {
            let close = (k + 1..at.len())
                .filter(|&j| at[j] >= at[k] + marker.len())
                .find(|&j| closes(at[j]));
            if let Some(j) = close {
                dropped.extend([at[k], at[j]]);
                k = j + 1;
                continue;
            }
        }
        k += 1;
    }
    if dropped.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for i in dropped {
        out.push_str(&text[from..i]);
        from = i + marker.len();
    }
    out.push_str(&text[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_emphasis_are_dropped() {
        for (text, plain) in [
            (
                "Title. <i>Nature Medicine</i>, <i>22</i>(3), 238-249.",
                "Title. Nature Medicine, 22(3), 238-249.",
            ),
            (
                "2003. <italic>Microtus montanus.</italic> Mammalian Species 716: 1-10.",
                "2003. Microtus montanus. Mammalian Species 716: 1-10.",
            ),
            ("CO<sub>2</sub> and <SPAN CLASS=\"x\">H</SPAN>", "CO2 and H"),
            (
                "Title. *Nature Medicine*, *22*(3), 238-249.",
                "Title. Nature Medicine, 22(3), 238-249.",
            ),
            (
                "Title. _Arch Gen Psychiatry_. 2006;63(8)",
                "Title. Arch Gen Psychiatry. 2006;63(8)",
            ),
            ("**Bold** and __strong__ (*a* *b*)", "Bold and strong (a b)"),
        ] {
            assert_eq!(without_markup(text), plain, "{text:?}");
        }
    }

    #[test]
    fn other_stars_underscores_and_angle_brackets_stay() {
        for text in [
            "Bao Q *, Zhao Y*, Renner A. (* Co-first authorship)",
            "Sarver, E., Krometis, L., *Cook, N., Bacterial Water",
            "Web. <https://www.tesla.com/blog/secret_plan_.>.",
            "http://en.wikipedia.org/wiki/Charles_R._Van_Hise.",
            "17:13<1495::AID-SIM863>3.0.CO;2-I",
            "2 * 3 = 6, a_1 and b_2",
            "Canadian Acoustics 44(1) 17-24. 2016. *†",
        ] {
            assert!(matches!(without_markup(text), Cow::Borrowed(_)), "{text:?}");
        }
    }
}
