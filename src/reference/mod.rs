//! Parsing one reference-list entry into authors, year, title, venue, volume, issue, pages and
//! identifiers.
//!
//! A sequence tagger ([`tagger`]) labels the tokens of the entry (author, date, title, venue...);
//! rules then read each labelled part: names into surname and initials, the year, volume and issue,
//! pages. DOIs, PMIDs and a leading list number are found by pattern. [`rules`] holds the
//! pattern-only parser, used when no tagger model is built in.

pub mod names;
pub mod rules;
pub mod tagger;
pub mod tokenize;

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Reference;
pub use names::parse_authors;
pub use rules::normalize_space;
use rules::{clean, normalize_pages, with_dashes, DOI, ET_AL, NUMBER, PMID};
use tagger::{label_of, Tagger};
use tokenize::{tokenize, Token};

/// The model built into the binary.
static TAGGER: LazyLock<Option<Tagger>> =
    LazyLock::new(|| Tagger::from_bytes(include_bytes!("tagger.bin")).ok());
/// A volume and its issue: "22(3)", "22, no. 3", "Nr. 4", "40.1", "36, 3", "v.13 n.4", "16. Jg. H.2";
/// a range after the volume is pages, not an issue ("2:1527-1542").
static VOLUME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d+[A-Za-z]?(?:[-–/]\d+)?)(?:\.?\s*Jg\.)?\s*(?:\(([^)]+)\)|[,.:]?\s*(?:(?:[Nn]o|[Nn]os|[Nn]r|[Nn]|H|Heft|[Ii]ssue|[Ii]ss)\.?|[Nn]°)\s*(\d+(?:[-/]\d+)?)|[,.]\s*(\d+(?:/\d+)?)(?:[^\d\-–]|$))?",
    )
    .unwrap()
});
static PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&with_dashes(r"[A-Za-z]?\d+(?:\s*<DASH>+\s*[A-Za-z]?\d+)?")).unwrap()
});
/// A year, with its suffix letter ("2016a"); not inside a longer number or a Latin word, but
/// followed by anything else ("2007年").
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9A-Za-z])((?:1[5-9]|20)\d{2})([a-z])?(?:[^0-9A-Za-z]|$)").unwrap()
});

/// A ditto mark for the previous entry's authors at the start of an entry: "———.", "–––––.",
/// "______.", "--- 1836.".
static DITTO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\[?\d+[.\]]?\s+)?[—–_‐―-]{2,}\s*(?:[.,]|\s|$)").unwrap());

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
        None => Reference {
            ditto: is_ditto(raw),
            ..rules::parse_reference(raw)
        },
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
/// others from the tagger.
pub fn parse_with(tagger: &Tagger, raw: &str) -> Reference {
    let mut r = rules::parse_confident(raw).unwrap_or_else(|| tag_with(tagger, raw));
    r.ditto = is_ditto(raw);
    r
}

/// Parse with the tagger alone.
pub fn tag_with(tagger: &Tagger, raw: &str) -> Reference {
    let raw = normalize_space(raw);
    let tokens = tokenize(&raw);
    let mut labels = tagger.tag(&raw, &tokens);
    book_after_editors(&mut labels);
    end_title_at_quote(&raw, &tokens, &mut labels);
    end_title_at_in(&raw, &tokens, &mut labels);
    authors_end_after_given_name(&raw, &tokens, &mut labels);
    edited_book_title(&raw, &tokens, &mut labels);
    // The first run of tokens with each label: its first and last token, and its text.
    let run = |name: &str| -> Option<(usize, usize)> {
        let want = label_of(name);
        let start = labels.iter().position(|&l| l == want)?;
        Some((
            start,
            start + labels[start..].iter().take_while(|&&l| l == want).count() - 1,
        ))
    };
    let text_of =
        |(start, end): (usize, usize)| &raw[tokens[start].span.start..tokens[end].span.end];
    let part = |name: &str| run(name).map(text_of);
    let mut r = Reference {
        raw: raw.clone(),
        ..Reference::default()
    };
    r.number = NUMBER
        .captures(&raw)
        .and_then(|c| c.get(1).or(c.get(2)))
        .and_then(|m| m.as_str().parse().ok())
        .or_else(|| {
            part("number").and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        });
    if let Some((start, end)) = run("author") {
        let authors = text_of((start, end));
        let people = parse_authors(authors);
        if names_editors(&raw, &tokens, end) {
            r.editors = people;
        } else {
            r.authors = people;
        }
        r.et_al = ET_AL.is_match(authors);
    }
    if r.editors.is_empty() {
        r.editors = part("editor").map(parse_authors).unwrap_or_default();
    }
    // Without a date part, the first year outside the title ("Verdi 2001" is a title).
    let title = label_of("title");
    let outside_title = || {
        tokens
            .iter()
            .zip(&labels)
            .filter(|(_, &l)| l != title)
            .find_map(|(t, _)| YEAR.captures(&raw[t.span.clone()]))
    };
    let year = part("date")
        .and_then(|d| YEAR.captures(d))
        .or_else(outside_title)
        .or_else(|| YEAR.captures(&raw));
    if let Some(c) = year {
        r.year = c[1].parse().ok();
        r.year_suffix = c.get(2).and_then(|m| m.as_str().chars().next());
    }
    r.title = part("title").map(clean_title).filter(|t| !t.is_empty());
    r.venue = part("venue").map(clean_title).filter(|t| !t.is_empty());
    if let Some(volume) = part("volume") {
        // "2009;108(2)": the year before a semicolon is the date, not the volume.
        let volume = match (volume.split_once([';', ':']), r.year) {
            (Some((head, tail)), Some(y))
                if head.trim() == y.to_string() && !tail.trim().is_empty() =>
            {
                tail
            }
            _ => volume,
        };
        match VOLUME.captures(volume) {
            Some(c) => {
                r.volume = Some(c[1].to_string());
                r.issue = c
                    .get(2)
                    .or(c.get(3))
                    .or(c.get(4))
                    .map(|m| m.as_str().trim().to_string());
            }
            None => r.volume = Some(clean(volume)).filter(|v| !v.is_empty()),
        }
    }
    r.pages = part("pages")
        .and_then(|p| PAGES.find(p))
        .map(|m| normalize_pages(m.as_str()));
    r.doi = DOI
        .captures(&raw)
        .map(|c| c[1].trim_end_matches(['.', ',', ';', ')', ']']).to_string());
    r.pmid = PMID.captures(&raw).map(|c| c[1].to_string());
    r
}

/// "Title. In K. Jones (Ed.), Book title": a second title right after the editors is the book
/// that contains the first, its venue.
fn book_after_editors(labels: &mut [usize]) {
    let (title, editor, venue) = (label_of("title"), label_of("editor"), label_of("venue"));
    let Some(first_title) = labels.iter().position(|&l| l == title) else {
        return;
    };
    let mut i = first_title + 1;
    while i < labels.len() {
        if labels[i] == title && labels[i - 1] == editor {
            for l in labels[i..].iter_mut().take_while(|l| **l == title) {
                *l = venue;
            }
            return;
        }
        i += 1;
    }
}

/// Whether the names ending at token `last` are editors: "Ching, B., & Creed, G. W., eds.", "Ewing,
/// D. W. (ed.)", "Huf, C. & Schnell, I. Hrsg.", whether or not the tagger counted the role word in.
fn names_editors(raw: &str, tokens: &[Token], last: usize) -> bool {
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: &usize| word(*i).chars().any(char::is_alphanumeric);
    // The last word of the names, or the first word after them with only punctuation between.
    let inside = (0..=last).rev().find(is_word);
    let after = (last + 1..tokens.len()).find(is_word);
    let role = |i: usize| match word(i) {
        // "Ed" alone may be a given name: only "(Ed.)" is a role.
        "Ed" => i > 0 && word(i - 1) == "(",
        w => matches!(
            w.to_lowercase().as_str(),
            "ed" | "eds" | "editor" | "editors" | "hrsg" | "hg" | "hgg" | "dir" | "dirs"
        ),
    };
    inside.is_some_and(role) || after.is_some_and(role)
}

/// "Binstock, R. H., & George, L. K. (Eds.). (1990). Handbook of aging": in an entry that begins
/// with its editors and has no title, what the tagger read as a container is the book's title.
fn edited_book_title(raw: &str, tokens: &[Token], labels: &mut [usize]) {
    let (author, editor, title, venue, number) = (
        label_of("author"),
        label_of("editor"),
        label_of("title"),
        label_of("venue"),
        label_of("number"),
    );
    if labels.contains(&title) {
        return;
    }
    let Some(first) = labels.iter().position(|&l| l != number) else {
        return;
    };
    let names_end = first
        + labels[first..]
            .iter()
            .take_while(|&&l| l == labels[first])
            .count()
        - 1;
    let editors_first = labels[first] == editor
        || (labels[first] == author && names_editors(raw, tokens, names_end));
    if !editors_first {
        return;
    }
    if let Some(start) = labels.iter().position(|&l| l == venue) {
        for l in labels[start..].iter_mut().take_while(|l| **l == venue) {
            *l = title;
        }
    }
}

/// "Title. In Book title" / "Title, in: Book title": a title ends where "In" opens the book or
/// proceedings that contain it; the tagger's title tokens from there are the venue when the entry
/// has none.
fn end_title_at_in(raw: &str, tokens: &[Token], labels: &mut [usize]) {
    let (title, venue, other) = (label_of("title"), label_of("venue"), label_of("other"));
    let Some(start) = labels.iter().position(|&l| l == title) else {
        return;
    };
    let end = start + labels[start..].iter().take_while(|&&l| l == title).count();
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let opens_book = |i: usize| {
        let after_stop = matches!(word(i - 1), "." | "?" | "!" | "’" | "”" | "\"");
        let colon = i + 1 < tokens.len() && word(i + 1) == ":";
        (word(i) == "In" && (after_stop || colon)) || (word(i) == "in" && colon)
    };
    if let Some(at) = (start + 2..end).find(|&i| opens_book(i)) {
        let rest = if labels.contains(&venue) {
            other
        } else {
            venue
        };
        for l in &mut labels[at..end] {
            *l = rest;
        }
    }
}

/// "Da Matta, Roberto. Carnivals, Rogues, and Heroes: …": an inverted name ends at the full stop
/// after a whole given name; author words the tagger ran on with, right before the title, are the
/// title's first words.
fn authors_end_after_given_name(raw: &str, tokens: &[Token], labels: &mut [usize]) {
    let (author, title) = (label_of("author"), label_of("title"));
    let Some(start) = labels.iter().position(|&l| l == author) else {
        return;
    };
    let end = start + labels[start..].iter().take_while(|&&l| l == author).count();
    if labels.get(end) != Some(&title) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let given_name = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 3
            && chars.all(char::is_lowercase)
            && !matches!(w, "Eds" | "Hrsg" | "Jr" | "Sr")
    };
    let stop = (start + 2..end).find(|&i| {
        word(i) == "." && given_name(word(i - 1)) && (start..i - 1).any(|j| word(j) == ",")
    });
    if let Some(stop) = stop {
        for l in &mut labels[stop + 1..end] {
            *l = title;
        }
    }
}

/// "“Speaker verification,” Digital signal processing": a quoted title ends with its quotation.
/// The tagger's title tokens after it are the venue when the entry has none, else left out.
fn end_title_at_quote(raw: &str, tokens: &[Token], labels: &mut [usize]) {
    let (title, venue, other) = (label_of("title"), label_of("venue"), label_of("other"));
    let Some(start) = labels.iter().position(|&l| l == title) else {
        return;
    };
    let end = start + labels[start..].iter().take_while(|&&l| l == title).count();
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let closes: &[&str] = match (word(start), start.checked_sub(1).map(word)) {
        ("“" | "„", _) | (_, Some("“" | "„")) => &["”", "“"],
        ("\"", _) | (_, Some("\"")) => &["\""],
        ("«", _) | (_, Some("«")) => &["»"],
        ("‘", _) | (_, Some("‘")) => &["’"],
        ("`", _) | (_, Some("`")) => &["'"],
        _ => return,
    };
    let first = if word(start).chars().any(char::is_alphanumeric) {
        start
    } else {
        start + 1
    };
    let Some(close) = (first..end).find(|&i| closes.contains(&word(i))) else {
        return;
    };
    if !(first..close).any(|i| word(i).chars().any(char::is_alphanumeric)) {
        return;
    }
    let rest = if labels.contains(&venue) {
        other
    } else {
        venue
    };
    for l in &mut labels[close + 1..end] {
        *l = rest;
    }
}

/// Trim outer punctuation and quotation marks.
fn clean_title(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || ".,;:\"“”‘’'`«»".contains(c))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Index of the first token of `text` that is `word`.
    fn token_at(text: &str, tokens: &[Token], word: &str) -> usize {
        tokens
            .iter()
            .position(|t| &text[t.span.clone()] == word)
            .unwrap()
    }

    /// Labels as a tagger might give them: `before` up to the token `word`, `after` from it.
    fn labels_split(
        text: &str,
        tokens: &[Token],
        word: &str,
        before: &str,
        after: &str,
    ) -> Vec<usize> {
        let at = token_at(text, tokens, word);
        (0..tokens.len())
            .map(|i| label_of(if i < at { before } else { after }))
            .collect()
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
    fn a_quoted_title_ends_with_its_quotation() {
        // (entry, the title's first and last words as the tagger saw them, venue after the quote)
        for (text, expected_title, expected_venue) in [
            (
                "“Speaker verification,” Digital signal processing, 2000.",
                "Speaker verification",
                Some("Digital signal processing"),
            ),
            (
                "\"Telnet Encryption Option,\" Internet-Draft, 1991.",
                "Telnet Encryption Option",
                Some("Internet-Draft"),
            ),
            (
                "``Telnet Encryption Option,'' Internet-Draft, 1991.",
                "Telnet Encryption Option",
                Some("Internet-Draft"),
            ),
            (
                "«Dividends, Earnings». The Review, 1959.",
                "Dividends, Earnings",
                Some("The Review"),
            ),
            (
                "‘The children’s voices’, Government, 2015.",
                "The children’s voices",
                Some("Government"),
            ),
            // Not quoted at the start: a quotation inside the title stays.
            (
                "Into the “Ecclesial” Notions, 2001.",
                "Into the “Ecclesial” Notions",
                None,
            ),
        ] {
            let tokens = tokenize(text);
            // The tagger's title: every token up to the comma before the year.
            let last = tokens
                .iter()
                .rposition(|t| &text[t.span.clone()] == ",")
                .unwrap();
            let mut labels: Vec<usize> = (0..tokens.len())
                .map(|i| label_of(if i < last { "title" } else { "date" }))
                .collect();
            end_title_at_quote(text, &tokens, &mut labels);
            let text_of = |name: &str| -> Option<String> {
                let want = label_of(name);
                let start = labels.iter().position(|&l| l == want)?;
                let end = start + labels[start..].iter().take_while(|&&l| l == want).count() - 1;
                Some(clean_title(
                    &text[tokens[start].span.start..tokens[end].span.end],
                ))
            };
            assert_eq!(text_of("title").as_deref(), Some(expected_title), "{text}");
            assert_eq!(text_of("venue").as_deref(), expected_venue, "{text}");
        }
    }

    #[test]
    fn a_title_ends_where_in_opens_the_book() {
        for (text, title_end, place) in [
            ("Adaptive co-management. In Adaptive Co-management: Collaboration. Vancouver, 2007.", "In", "Vancouver"),
            ("Liturgie u Husa, in: Studie a texty. Praha, 1966.", "in", "Praha"),
        ] {
            let tokens = tokenize(text);
            let mut labels = labels_split(text, &tokens, place, "title", "location");
            end_title_at_in(text, &tokens, &mut labels);
            let at = token_at(text, &tokens, title_end);
            assert!(labels[..at].iter().all(|&l| l == label_of("title")), "{text}");
            assert_eq!(labels[at], label_of("venue"), "{text}");
        }
        // "In" inside a title is not a book: "The Day In Court".
        let text = "The Day In Court. Boston, 2001.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Boston", "title", "location");
        let before = labels.clone();
        end_title_at_in(text, &tokens, &mut labels);
        assert_eq!(labels, before);
    }

    #[test]
    fn an_inverted_name_ends_after_the_given_name() {
        let text = "Da Matta, Roberto. Carnivals, Rogues, and Heroes: An Interpretation. Boston: Beacon, 1991.";
        let tokens = tokenize(text);
        // The tagger ran the authors on into the title's first words.
        let mut labels = labels_split(text, &tokens, "and", "author", "title");
        authors_end_after_given_name(text, &tokens, &mut labels);
        let first_title = labels.iter().position(|&l| l == label_of("title")).unwrap();
        assert_eq!(&text[tokens[first_title].span.clone()], "Carnivals");
        // Initials end no name: "Duman, R. S., Krystal, J. H." stays one author part.
        let text = "Duman, R. S., Krystal, J. H. Synaptic plasticity.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Synaptic", "author", "title");
        let before = labels.clone();
        authors_end_after_given_name(text, &tokens, &mut labels);
        assert_eq!(labels, before);
    }

    #[test]
    fn an_edited_book_named_by_its_editors_has_a_title() {
        let text = "Binstock, R. H. (Ed.). (1990). Handbook of aging. New York: Academic Press.";
        let tokens = tokenize(text);
        let at = |w: &str| token_at(text, &tokens, w);
        let (date, book, place) = (at("1990") - 1, at("Handbook"), at("New"));
        let labels_with = |names: &str| -> Vec<usize> {
            (0..tokens.len())
                .map(|i| {
                    label_of(match i {
                        i if i < date => names,
                        i if i < book => "date",
                        i if i < place => "venue",
                        _ => "location",
                    })
                })
                .collect()
        };
        for names in ["author", "editor"] {
            let mut labels = labels_with(names);
            edited_book_title(text, &tokens, &mut labels);
            assert_eq!(labels[book], label_of("title"), "names read as {names}");
        }
        // An article by its authors keeps its journal.
        let text = "Binstock, R. H. (1990). Handbook of aging. New York: Academic Press.";
        let tokens = tokenize(text);
        let book = token_at(text, &tokens, "Handbook");
        let mut labels = labels_split(text, &tokens, "Handbook", "author", "venue");
        edited_book_title(text, &tokens, &mut labels);
        assert_eq!(labels[book], label_of("venue"));
    }

    #[test]
    fn a_title_after_the_editors_is_the_book() {
        let ids = |names: &[&str]| -> Vec<usize> { names.iter().map(|n| label_of(n)).collect() };
        let mut labels = ids(&[
            "author", "title", "title", "editor", "editor", "title", "title", "location",
        ]);
        book_after_editors(&mut labels);
        assert_eq!(
            labels,
            ids(&["author", "title", "title", "editor", "editor", "venue", "venue", "location"])
        );
        // Editors before any title ("Ching, B. (Ed.). Title") leave the title alone.
        let mut labels = ids(&["editor", "editor", "title", "title", "date"]);
        book_after_editors(&mut labels);
        assert_eq!(labels, ids(&["editor", "editor", "title", "title", "date"]));
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
        ] {
            let c = VOLUME.captures(text).unwrap();
            let found = c.get(2).or(c.get(3)).or(c.get(4)).map(|m| m.as_str());
            assert_eq!((&c[1], found), (volume, issue), "{text}");
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
    }
}
