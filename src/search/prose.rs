//! Prose punctuation that tantivy's query grammar would read as syntax, escaped before parsing,
//! so that a query typed or pasted as text ("Alzheimer's disease", "Ketamine: a review",
//! "KETAMINE IN DEPRESSION") searches its words instead of failing or meaning something else.
//!
//! The conventions, each leaving real syntax alone:
//! - an apostrophe after a letter or digit ("Crohn's", "patients' views") is not a quote; a
//!   single-quoted phrase opens after a space and closes before one;
//! - a colon after a word that names no field is punctuation when a space follows or a number
//!   comes before ("Ketamine: a review", "randomised 1:1"), or when the word could not be a
//!   field's name mistyped ("Diptera:Culicidae", "factor VIII:C", "peptide:N-glycanase"; but
//!   `titel:ketamine` is refused with "did you mean 'title'?"); fields are written
//!   `title:ketamine`, or `title: ketamine` with a field's name;
//! - square brackets and braces are ranges only after a field's colon or `IN`; a tag of
//!   letters set against a term is PubMed's field tag ("depression[tiab]") and is left out;
//!   other brackets separate words ("depression [2019]");
//! - `IN` is the set operator only before `[`; elsewhere it is the word "in";
//! - a `-` or `+` standing alone ("Ketamine - a review"), or two dashes, is a dash, not an
//!   operator of the word after it;
//! - parentheses set against a word ("(Re)Thinking", "CD326(+)") and text set against a closing
//!   quote ("\"Forever young\"-Postnatal") are text; a quote that nothing closes ("'Omics") and
//!   a backtick ("Alzheimer`s") are apostrophes; `<`, `>` and `=` compare only after a field's
//!   colon ("p < 0.05" is text).

use std::borrow::Cow;

/// `query` with its prose punctuation escaped for tantivy's grammar; `fields` are the names of
/// fields.
pub(super) fn escape_prose<'q>(query: &'q str, fields: &[&str]) -> Cow<'q, str> {
    let chars = text_parentheses(query.chars().collect());
    // Where a single quote that may close a phrase (one not followed by a letter) comes next.
    let mut closer_after = vec![None; chars.len() + 1];
    for i in (0..chars.len()).rev() {
        let closes = chars[i] == '\'' && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        closer_after[i] = if closes { Some(i) } else { closer_after[i + 1] };
    }
    let mut out = String::with_capacity(query.len() + 8);
    let (mut in_double, mut in_single, mut in_range) = (false, false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        // The character is escaped, or read as a space.
        let (mut escape, mut space) = (false, false);
        match c {
            '\\' => {
                // An escape sequence stays as it is.
                out.push(c);
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            '"' if !in_single => {
                in_double = !in_double;
                if !in_double {
                    out.push(c);
                    i = after_closing_quote(&chars, i + 1, &mut out);
                    continue;
                }
            }
            _ if in_double => {}
            '\'' if in_single => {
                if word_char(next) {
                    escape = true;
                } else {
                    in_single = false;
                    out.push(c);
                    i = after_closing_quote(&chars, i + 1, &mut out);
                    continue;
                }
            }
            // An apostrophe, a backtick set for one ("Alzheimer`s"), or a quote that no
            // closing quote follows ("'Omics in ...").
            '\'' | '`' if word_char(prev) || c == '`' || closer_after[i + 1].is_none() => {
                escape = true
            }
            '\'' => in_single = true,
            _ if in_single => {}
            // Comparisons are ranges only after a field ("year:>2015"): "p < 0.05" is text.
            '<' | '>' | '=' if !after_colon(&chars, i) => space = true,
            ':' if punctuation_colon(&word_before(&chars, i), next, fields) => escape = true,
            '-' if prev.is_none_or(char::is_whitespace) && next == Some('-') => {
                // Two dashes are a typed em dash ("(FSCN2)--partial"), not an exclusion.
                while chars.get(i) == Some(&'-') {
                    i += 1;
                }
                out.push(' ');
                continue;
            }
            // A dash between spaces is punctuation: an operator stands before its word.
            '-' | '+'
                if prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace) =>
            {
                space = true
            }
            '[' | '{' if opens_range(&chars, i) => in_range = true,
            ']' | '}' if in_range => in_range = false,
            '[' if word_char(prev) || prev == Some('"') => {
                // A tag of letters set against its term qualifies it, as PubMed's field tags do
                // ("depression[tiab]", "\"ketamine\"[MeSH Terms]"): the term is searched in
                // clinsearch's own fields, so the tag goes. Other brackets separate words.
                let tag = tag_length(&chars[i + 1..]);
                out.push(' ');
                i += tag.map_or(1, |n| n + 2);
                continue;
            }
            // Other brackets separate words ("depression [2019]").
            '[' | '{' | ']' | '}' => space = true,
            'I' if next == Some('N')
                && !word_char(prev)
                && !word_char(chars.get(i + 2).copied())
                && chars[i + 2..].iter().find(|c| !c.is_whitespace()) != Some(&'[') =>
            {
                out.push_str("in");
                i += 2;
                continue;
            }
            _ => {}
        }
        if escape {
            out.push('\\');
        }
        out.push(if space { ' ' } else { c });
        i += 1;
    }
    if out == query {
        Cow::Borrowed(query)
    } else {
        Cow::Owned(out)
    }
}

/// Parentheses set against a word are text, not a group ("(Re)Thinking", "CD326(+)",
/// "Poly(8-aminoguanylic acid)"): a group stands apart, after a space, an operator or a field's
/// colon and before a space, a boost or a slop. Such a pair, matched outside double quotes,
/// becomes two spaces.
fn text_parentheses(mut chars: Vec<char>) -> Vec<char> {
    let opens_after = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || "(+-:".contains(*c));
    let closes_before =
        |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || ")^~".contains(*c));
    let (mut open, mut pairs, mut in_double, mut escaped) = (Vec::new(), Vec::new(), false, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_double = !in_double,
            '(' if !in_double => open.push(i),
            ')' if !in_double => {
                if let Some(o) = open.pop() {
                    pairs.push((o, i));
                }
            }
            _ => {}
        }
    }
    for (o, c) in pairs {
        let before = o.checked_sub(1).and_then(|p| chars.get(p));
        if !opens_after(before) || !closes_before(chars.get(c + 1)) {
            chars[o] = ' ';
            chars[c] = ' ';
        }
    }
    chars
}

/// After a closing quote at `at - 1`: what is set against it is text ("\"Forever
/// young\"-Postnatal", "'Shaking pups': a"), so a space goes between, and a run of dashes,
/// colons or comparisons there is a space too. Returns where reading goes on.
fn after_closing_quote(chars: &[char], mut at: usize, out: &mut String) -> usize {
    match chars.get(at) {
        Some(c) if c.is_whitespace() || ")^~".contains(*c) => {}
        None => {}
        Some(_) => {
            out.push(' ');
            while chars.get(at).is_some_and(|c| "-+:<>=".contains(*c)) {
                at += 1;
            }
        }
    }
    at
}

/// What comes before position `i`, without the spaces right before it.
fn before_spaces(chars: &[char], i: usize) -> &[char] {
    let end = chars[..i]
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |p| p + 1);
    &chars[..end]
}

/// Whether the character at `i` follows a field's colon (spaces aside): `year:>2015`.
fn after_colon(chars: &[char], i: usize) -> bool {
    before_spaces(chars, i).ends_with(&[':'])
}

/// Whether a colon after `word` and before `next` is punctuation, not a field's: after a word
/// that names no field, either followed by a space ("Ketamine: a review"), after a number (the
/// ratio "1:1", the time "10:30"), or after a word no field's name mistyped gives
/// ([`meant_field`]).
fn punctuation_colon(word: &str, next: Option<char>, fields: &[&str]) -> bool {
    let number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    !fields.contains(&word)
        && (next.is_none_or(char::is_whitespace) || number || meant_field(word, fields).is_none())
}

/// The field `word` (which names none) was likely meant to name: one within the edits
/// Elasticsearch's `AUTO` fuzziness allows (none up to 2 characters, 1 up to 5, else 2; two
/// swapped letters count as one edit), when the word is written as field names are, in
/// lowercase letters and underscores. A capitalised word or one with digits or hyphens is prose.
pub(super) fn meant_field<'f>(word: &str, fields: &[&'f str]) -> Option<&'f str> {
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let allowed = match word.len() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    fields
        .iter()
        .map(|f| (strsim::osa_distance(word, f), *f))
        .filter(|&(d, _)| d <= allowed)
        .min()
        .map(|(_, f)| f)
}

/// The word that ends right before position `i` (back to a space, an operator or a colon, so
/// that a run of colons costs linear time).
fn word_before(chars: &[char], i: usize) -> String {
    let start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace() || matches!(c, '(' | '+' | '-' | ':'))
        .map_or(0, |p| p + 1);
    chars[start..i].iter().collect()
}

/// The length of a field tag's text before its `]`: letters, spaces and hyphens, at most
/// [`MAX_TAG`] characters ("tiab", "MeSH Terms", "All Fields").
fn tag_length(rest: &[char]) -> Option<usize> {
    let end = rest.iter().take(MAX_TAG + 1).position(|&c| c == ']')?;
    let tag = &rest[..end];
    let letters = tag
        .iter()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | ':'));
    (end > 0 && letters).then_some(end)
}

/// The longest field tag, in characters ("Publication Type" and the like fit).
const MAX_TAG: usize = 30;

/// Whether the bracket at `i` opens a range or a set: after a field's colon or `IN`.
fn opens_range(chars: &[char], i: usize) -> bool {
    let before = before_spaces(chars, i);
    let end = before.len();
    after_colon(chars, i)
        || (before.ends_with(&['I', 'N']) && (end == 2 || before[end - 3].is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(query: &str) -> String {
        escape_prose(query, &["title", "year", "text"]).into_owned()
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(escaped("Alzheimer's disease"), r"Alzheimer\'s disease");
        assert_eq!(escaped("patients' views"), r"patients\' views");
        assert_eq!(escaped("'rapid reduction'"), "'rapid reduction'");
        assert_eq!(escaped("'Crohn's disease'"), r"'Crohn\'s disease'");
        assert_eq!(escaped("\"Crohn's disease\""), "\"Crohn's disease\"");
    }

    #[test]
    fn a_colon_and_a_space_after_a_word_is_punctuation() {
        assert_eq!(escaped("Ketamine: a review"), r"Ketamine\: a review");
        assert_eq!(escaped("ketamine:"), r"ketamine\:");
        assert_eq!(escaped("title: ketamine"), "title: ketamine");
        assert_eq!(escaped("title:ketamine"), "title:ketamine");
        // A field's name mistyped stays a field, to be refused with a suggestion; a word that
        // no mistyping gives is prose.
        assert_eq!(escaped("titel:x"), "titel:x");
        assert_eq!(escaped("yaer:2016"), "yaer:2016");
        assert_eq!(escaped("nosuchfield:x"), r"nosuchfield\:x");
        assert_eq!(escaped("Diptera:Culicidae"), r"Diptera\:Culicidae");
        assert_eq!(escaped("factor VIII:C"), r"factor VIII\:C");
        assert_eq!(escaped("Title:x"), r"Title\:x");
        assert_eq!(escaped("randomised 1:1"), r"randomised 1\:1");
        assert_eq!(escaped("year:2016"), "year:2016");
    }

    #[test]
    fn brackets_are_ranges_only_after_a_field_or_in() {
        assert_eq!(escaped("depression [2019]"), "depression  2019 ");
        assert_eq!(escaped("depression[tiab]"), "depression ");
        assert_eq!(
            escaped("(\"ketamine\"[MeSH Terms] OR esketamine[tiab]) AND trial[pt]"),
            "(\"ketamine\"   OR esketamine ) AND trial "
        );
        assert_eq!(escaped("depression[2019]"), "depression 2019 ");
        assert_eq!(escaped("year:[2015 TO 2019]"), "year:[2015 TO 2019]");
        assert_eq!(escaped("year:{2015 TO 2019}"), "year:{2015 TO 2019}");
        assert_eq!(escaped("year: IN [2015 2016]"), "year: IN [2015 2016]");
    }

    #[test]
    fn a_dash_between_spaces_is_punctuation() {
        assert_eq!(escaped("ketamine - a review"), "ketamine   a review");
        assert_eq!(escaped("ketamine -"), "ketamine  ");
        assert_eq!(
            escaped("ketamine -dissociation +NMDA"),
            "ketamine -dissociation +NMDA"
        );
        assert_eq!(escaped("C++ IL-6"), "C++ IL-6");
        assert_eq!(escaped("(FSCN2)--partial"), " FSCN2  partial");
    }

    #[test]
    fn parentheses_set_against_a_word_are_text() {
        assert_eq!(escaped("(Re)Thinking"), " Re Thinking");
        assert_eq!(escaped("CD326(+) cells"), "CD326    cells");
        assert_eq!(
            escaped("metabolism ((18)FGD PET)"),
            "metabolism ( 18 FGD PET)"
        );
        assert_eq!(
            escaped("(ketamine OR esketamine)^2"),
            "(ketamine OR esketamine)^2"
        );
        assert_eq!(
            escaped("title:(ketamine depression)"),
            "title:(ketamine depression)"
        );
        assert_eq!(escaped("-(a b) \"(c)d\""), "-(a b) \"(c)d\"");
    }

    #[test]
    fn text_set_against_a_closing_quote_is_apart() {
        assert_eq!(
            escaped("\"Forever young\"-Postnatal"),
            "\"Forever young\" Postnatal"
        );
        assert_eq!(escaped("'Shaking pups': a"), "'Shaking pups'  a");
        assert_eq!(escaped("\"Splay\"--two"), "\"Splay\" two");
        assert_eq!(escaped("\"rapid reduction\"~2"), "\"rapid reduction\"~2");
    }

    #[test]
    fn unclosed_quotes_backticks_and_comparisons_are_text() {
        assert_eq!(
            escaped("'Omics in epidemiology"),
            r"\'Omics in epidemiology"
        );
        assert_eq!(escaped("Alzheimer`s disease"), r"Alzheimer\`s disease");
        assert_eq!(escaped("p < 0.05"), "p   0.05");
        assert_eq!(escaped("c.126C>A"), "c.126C A");
        assert_eq!(escaped("year:>2015"), "year:>2015");
    }

    #[test]
    fn in_is_a_word_unless_a_set_follows() {
        assert_eq!(escaped("KETAMINE IN DEPRESSION"), "KETAMINE in DEPRESSION");
        assert_eq!(escaped("INSULIN IN"), "INSULIN in");
        assert_eq!(escaped("year: IN [2015]"), "year: IN [2015]");
        assert_eq!(
            escaped("ketamine AND dissociation"),
            "ketamine AND dissociation"
        );
    }
}
