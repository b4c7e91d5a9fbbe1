//! Scoring the reference parser against labelled references.
//!
//! The labels come from AnyStyle's XML training format: each `<sequence>` holds the parts of one
//! reference string, each part wrapped in an element naming its field (`<author>`, `<date>`,
//! `<title>`, `<journal>`, `<container-title>`, `<volume>`, `<pages>`, `<doi>`...). The string is
//! the parts' text in order. A field is correct when the parser's value equals the label after
//! [`normalize`] (outer punctuation, whitespace, "Vol."/"pp." prefixes, dashes); authors are
//! compared as the list of surnames.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Reference;
use crate::reference::names::{is_organisation, joins_organisation};
use crate::reference::tagger::{label_of, learnt_label, Tagger};
use crate::reference::tokenize::{tokenize, Token};
use crate::reference::{drop_medium, is_ditto, parse_reference, parse_with};

/// The value of the author fields when they are a ditto mark ("———.", the previous entry's
/// authors): a label that is one is matched by a parse that recognised it.
const DITTO: &str = "(ditto)";

/// The fields scored, in table order.
pub const FIELDS: [&str; 8] = [
    "author",
    "first_author",
    "year",
    "title",
    "venue",
    "volume",
    "pages",
    "doi",
];

/// One labelled reference: the input string and the gold value of each field it labels.
#[derive(Clone, Debug)]
pub struct Labelled {
    /// The reference string.
    pub input: String,
    /// Byte ranges of the labelled parts in `input`, with their element names.
    pub parts: Vec<(String, std::ops::Range<usize>)>,
    /// Gold values by field name (normalised).
    pub gold: BTreeMap<&'static str, String>,
}

/// Read AnyStyle XML.
pub fn read_anystyle(xml: &str) -> Result<Vec<Labelled>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| format!("invalid XML: {e}"))?;
    let mut out = Vec::new();
    for seq in doc.descendants().filter(|n| n.has_tag_name("sequence")) {
        let mut input = String::new();
        let mut parts: Vec<(&str, String)> = Vec::new();
        let mut ranges = Vec::new();
        for part in seq.children().filter(|n| n.is_element()) {
            let text: String = part
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                continue;
            }
            if !input.is_empty() {
                input.push(' ');
            }
            let start = input.len();
            input.push_str(&text);
            ranges.push((part.tag_name().name().to_string(), start..input.len()));
            parts.push((part.tag_name().name(), text));
        }
        let first = |names: &[&str]| {
            parts
                .iter()
                .find(|(n, _)| names.contains(n))
                .map(|(_, t)| t.as_str())
        };
        let mut gold = BTreeMap::new();
        if first(&["author"]).is_some_and(is_ditto) {
            gold.insert("first_author", DITTO.to_string());
            gold.insert("author", DITTO.to_string());
        } else if let Some(author) = first(&["author"]) {
            let surnames = gold_surnames(author);
            if !surnames.is_empty() {
                gold.insert("first_author", surnames[0].clone());
                gold.insert("author", surnames.join("; "));
            }
        }
        // A volume label may take in the year before it and the pages after it ("2012;30(15):",
        // "128(1):183–269"): they count when no date or pages label gives them.
        let (volume_year, _, volume_pages) =
            first(&["volume"]).map(split_volume).unwrap_or_default();
        if let Some(year) = first(&["date"])
            .and_then(first_year)
            .or_else(|| volume_year.map(str::to_string))
        {
            gold.insert("year", year);
        }
        let pages = volume_pages
            .filter(|_| first(&["pages"]).is_none())
            .map(normalize);
        if let Some(pages) = pages.filter(|p| !p.is_empty()) {
            gold.insert("pages", pages);
        }
        for (field, labels) in [
            ("title", &["title"][..]),
            ("venue", &["journal", "container-title"][..]),
            ("volume", &["volume"][..]),
            ("pages", &["pages"][..]),
        ] {
            if let Some(value) = first(labels).map(normalize).filter(|v| !v.is_empty()) {
                gold.insert(field, value);
            }
        }
        // The DOI of a doi label, or of a url label that is a doi.org address.
        let doi = first(&["doi"]).map(gold_doi).or_else(|| {
            parts
                .iter()
                .find(|(n, url)| *n == "url" && url.contains("doi.org/"))
                .map(|(_, url)| gold_doi(url))
        });
        if let Some(doi) = doi.filter(|d| !d.is_empty()) {
            gold.insert("doi", doi);
        }
        out.push(Labelled {
            input,
            parts: ranges,
            gold,
        });
    }
    Ok(out)
}

/// The DOI in a labelled DOI: without a "doi:", "DOI: " or "doi>" prefix or a doi.org address
/// ("[doi>10.1007/s10207-013-0222-9]", "https://doi.org/10.1038/nm.4050").
fn gold_doi(label: &str) -> String {
    let text = normalize(label);
    let text = text
        .split_once("doi.org/")
        .map_or(text.as_str(), |(_, doi)| doi);
    let bare = match text.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("doi") => {
            text[3..].trim_start_matches([':', '>'])
        }
        _ => text,
    };
    normalize(bare)
}

/// A reference rendered as text in a citation style, for round-trip tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// "Duman, R. S., & Krystal, J. H. (2016). Title. Journal, 22(3), 238-249. https://doi.org/…"
    Apa,
    /// "Duman RS, Krystal JH. Title. Journal. 2016;22(3):238-249. doi:…"
    Vancouver,
    /// AMA, numbered: "12. Duman RS, Krystal JH. Title. Journal. 2016;22(3):238-249. doi:…"
    Ama,
    /// Harvard: "Duman, R.S. and Krystal, J.H. (2016) 'Title', Journal, 22(3), pp. 238–249.
    /// doi:…"
    Harvard,
    /// Chicago author-date: "Duman, R. S., and J. H. Krystal. 2016. “Title.” Journal 22 (3):
    /// 238–249. https://doi.org/…"
    Chicago,
    /// IEEE: "[12] R. S. Duman and J. H. Krystal, “Title,” Journal, vol. 22, no. 3, pp. 238–249,
    /// 2016, doi: …"
    Ieee,
    /// Nature: "Duman, R. S. & Krystal, J. H. Title. Journal 22, 238–249 (2016)."
    Nature,
    /// Cell Press: "Duman, R.S., and Krystal, J.H. (2016). Title. Journal 22, 238–249."
    Cell,
    /// Science: "R. S. Duman, J. H. Krystal, Title. Journal 22, 238–249 (2016)."
    Science,
    /// Elsevier's numbered style: "[12] R.S. Duman, J.H. Krystal, Title, Journal 22 (2016)
    /// 238–249."
    Elsevier,
    /// PNAS: "Duman RS, Krystal JH (2016) Title. Journal 22(3):238–249."
    Pnas,
}

impl Style {
    /// Every style, in the order reports list them.
    pub const ALL: [Style; 11] = [
        Style::Apa,
        Style::Vancouver,
        Style::Ama,
        Style::Harvard,
        Style::Chicago,
        Style::Ieee,
        Style::Nature,
        Style::Cell,
        Style::Science,
        Style::Elsevier,
        Style::Pnas,
    ];

    /// Whether the style writes the issue after the volume.
    fn writes_issue(self) -> bool {
        !matches!(
            self,
            Style::Nature | Style::Cell | Style::Science | Style::Elsevier
        )
    }

    /// Whether the style writes the DOI.
    fn writes_doi(self) -> bool {
        !matches!(self, Style::Science | Style::Pnas)
    }
}

/// Initials with full stops: "RS" → "R. S." (`space`) or "R.S.".
fn dotted(initials: &str, space: bool) -> String {
    let sep = if space { " " } else { "" };
    initials
        .chars()
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Names joined the way an author list joins them, with `last` ("and", "&") before the last
/// name: "A, B, and C" (`serial`; with two names too when they are written surname first: "Duman,
/// R. S., & Krystal, J. H."), "A, B and C"; "A, B, et al." when the list leaves authors out.
fn name_list(names: &[String], last: &str, serial: bool, et_al: bool) -> String {
    match names {
        [] => String::new(),
        _ if et_al => format!("{}, et al.", names.join(", ")),
        [one] => one.clone(),
        [rest @ .., z] => {
            let comma = serial && (rest.len() > 1 || rest[0].contains(','));
            let comma = if comma { "," } else { "" };
            format!("{}{comma} {last} {z}", rest.join(", "))
        }
    }
}

/// Render a reference in `style`; numbered styles give it its place in the list.
pub fn render(r: &Reference, style: Style) -> String {
    let number = r.ordinal + 1;
    // Each name in one of three forms: "Duman, R. S." (or "Duman, R.S."), "R. S. Duman" (or
    // "R.S. Duman"), "Duman RS".
    let names = |form: fn(&str, &str, bool) -> String, space: bool| -> Vec<String> {
        r.authors
            .iter()
            .map(|a| match a.initials.as_str() {
                "" => a.surname.clone(),
                i => form(&a.surname, i, space),
            })
            .collect()
    };
    let surname_first = |s: &str, i: &str, space| format!("{s}, {}", dotted(i, space));
    let initials_first = |s: &str, i: &str, space| format!("{} {s}", dotted(i, space));
    let vancouver = |s: &str, i: &str, _| format!("{s} {i}");
    let en_dash_pages = r.pages.as_ref().map(|p| p.replace('-', "–"));
    let pages = en_dash_pages.as_deref();
    let year = r.year.map_or_else(|| "n.d.".to_string(), |y| y.to_string());
    let title = r.title.as_deref().map(|t| t.trim().trim_end_matches('.'));
    let venue = r.venue.as_deref().map(|v| v.trim().trim_end_matches('.'));
    let (volume, issue, doi) = (r.volume.as_deref(), r.issue.as_deref(), r.doi.as_deref());
    let mut out = String::new();
    match style {
        Style::Apa => {
            out.push_str(&name_list(&names(surname_first, true), "&", true, r.et_al));
            out.push_str(&format!(" ({year}). "));
            if let Some(t) = &r.title {
                out.push_str(&end_sentence(t));
            }
            if r.venue.is_some() {
                put(&mut out, " ", r.venue.as_deref(), "");
                put_volume(&mut out, ", ", volume, "(", issue);
                put(&mut out, ", ", r.pages.as_deref(), "");
                out.push('.');
            }
            put(&mut out, " https://doi.org/", doi, "");
        }
        Style::Vancouver => {
            out.push_str(&names(vancouver, false).join(", "));
            if r.et_al {
                out.push_str(", et al");
            }
            out.push_str(". ");
            if let Some(t) = &r.title {
                out.push_str(&end_sentence(t));
            }
            put(&mut out, " ", venue, ".");
            put(&mut out, " ", r.year.map(|y| y.to_string()).as_deref(), "");
            put_volume(&mut out, ";", volume, "(", issue);
            put(&mut out, ":", r.pages.as_deref(), "");
            out.push('.');
            put(&mut out, " doi:", doi, "");
        }
        Style::Ama => {
            out = format!("{number}. {}", render(r, Style::Vancouver));
        }
        Style::Harvard => {
            out.push_str(&name_list(
                &names(surname_first, false),
                "and",
                false,
                r.et_al,
            ));
            out.push_str(&format!(" ({year})"));
            put(&mut out, " '", title, "'");
            put(&mut out, ", ", venue, "");
            put_volume(&mut out, ", ", volume, "(", issue);
            put(&mut out, ", pp. ", pages, "");
            out.push('.');
            put(&mut out, " doi:", doi, "");
        }
        Style::Chicago => {
            // The first author surname first, the others given name first.
            let mut list = names(surname_first, true);
            for (name, other) in list.iter_mut().zip(names(initials_first, true)).skip(1) {
                *name = other;
            }
            out.push_str(&name_list(&list, "and", true, r.et_al));
            if !out.ends_with('.') {
                out.push('.');
            }
            out.push_str(&format!(" {year}."));
            put(&mut out, " “", title, ".”");
            put(&mut out, " ", venue, "");
            put_volume(&mut out, " ", volume, " (", issue);
            put(&mut out, ": ", pages, "");
            out.push('.');
            put(&mut out, " https://doi.org/", doi, ".");
        }
        Style::Ieee => {
            out.push_str(&format!("[{number}] "));
            out.push_str(&name_list(
                &names(initials_first, true),
                "and",
                true,
                r.et_al,
            ));
            match title {
                Some(t) => out.push_str(&format!(", “{t},”")),
                None => out.push(','),
            }
            put(&mut out, " ", venue, ",");
            put(&mut out, " vol. ", volume, ",");
            put(&mut out, " no. ", issue, ",");
            put(&mut out, " pp. ", pages, ",");
            out.push_str(&format!(" {year}"));
            match doi {
                Some(d) => out.push_str(&format!(", doi: {d}.")),
                None => out.push('.'),
            }
        }
        Style::Nature => {
            out.push_str(&name_list(&names(surname_first, true), "&", false, r.et_al));
            put(&mut out, " ", title, ".");
            put(&mut out, " ", venue, "");
            put(&mut out, " ", volume, "");
            put(&mut out, ", ", pages, "");
            out.push_str(&format!(" ({year})."));
            put(&mut out, " https://doi.org/", doi, "");
        }
        Style::Cell => {
            out.push_str(&name_list(
                &names(surname_first, false),
                "and",
                true,
                r.et_al,
            ));
            out.push_str(&format!(" ({year})."));
            put(&mut out, " ", title, ".");
            put(&mut out, " ", venue, "");
            put(&mut out, " ", volume, "");
            put(&mut out, ", ", pages, "");
            out.push('.');
            put(&mut out, " https://doi.org/", doi, ".");
        }
        Style::Science | Style::Elsevier => {
            let science = style == Style::Science;
            if !science {
                out.push_str(&format!("[{number}] "));
            }
            out.push_str(&names(initials_first, science).join(", "));
            if r.et_al {
                out.push_str(", et al.");
            }
            put(&mut out, ", ", title, "");
            out.push_str(if science { "." } else { "," });
            put(&mut out, " ", venue, "");
            put(&mut out, " ", volume, "");
            if science {
                put(&mut out, ", ", pages, "");
                out.push_str(&format!(" ({year})."));
            } else {
                out.push_str(&format!(" ({year})"));
                put(&mut out, " ", pages, "");
                out.push('.');
                put(&mut out, " https://doi.org/", doi, ".");
            }
        }
        Style::Pnas => {
            out.push_str(&names(vancouver, false).join(", "));
            if r.et_al {
                out.push_str(", et al.");
            }
            out.push_str(&format!(" ({year})"));
            put(&mut out, " ", title, ".");
            put(&mut out, " ", venue, "");
            put_volume(&mut out, " ", volume, "(", issue);
            put(&mut out, ":", pages, "");
            out.push('.');
        }
    }
    out
}

/// Append `value` between `before` and `after`, when there is one.
fn put(out: &mut String, before: &str, value: Option<&str>, after: &str) {
    if let Some(v) = value {
        out.push_str(before);
        out.push_str(v);
        out.push_str(after);
    }
}

/// Append the volume after `before` and, when there is a volume, the issue in parentheses after
/// `open`: no style writes an issue without its volume.
fn put_volume(
    out: &mut String,
    before: &str,
    volume: Option<&str>,
    open: &str,
    issue: Option<&str>,
) {
    if volume.is_some() {
        put(out, before, volume, "");
        put(out, open, issue, ")");
    }
}

fn end_sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['.', '?', '!']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// A structured reference as a labelled example: its rendering in `style` and its own fields.
pub fn labelled_from(r: &Reference, style: Style) -> Labelled {
    // The fields the style writes.
    let mut gold = predicted(&Reference {
        issue: r.issue.clone().filter(|_| style.writes_issue()),
        doi: r.doi.clone().filter(|_| style.writes_doi()),
        ..r.clone()
    });
    if let Some(t) = gold.get_mut("title") {
        *t = normalize(t);
    }
    Labelled {
        input: render(r, style),
        parts: Vec::new(),
        gold,
    }
}

/// Precision and recall of found items against gold ones, counted on each side.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Detection {
    /// Found items that are right.
    pub found_right: usize,
    /// Found items.
    pub found: usize,
    /// Gold items that were found.
    pub gold_found: usize,
    /// Gold items.
    pub gold: usize,
}

impl Detection {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.found_right, self.found)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.gold_found, self.gold)
    }
}

/// How well in-text citations are found and resolved, against the `bibr` xrefs of JATS articles.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct CitationAccuracy {
    /// Citation mentions: a found span is right when it overlaps an xref, an xref is found when a
    /// found span overlaps it.
    pub mentions: Detection,
    /// Cited references per passage (as multisets): found references against the xrefs' targets.
    pub resolutions: Detection,
}

/// Run the plain-text citation finder over each passage of `articles` (whose citations came from
/// xref markup) and compare.
pub fn citation_accuracy(articles: &[crate::model::Article]) -> CitationAccuracy {
    let mut acc = CitationAccuracy::default();
    for article in articles {
        for (_, passage) in article.passages() {
            let gold_spans: Vec<(usize, usize)> = {
                let mut s: Vec<_> = passage.citations.iter().map(|c| c.span).collect();
                s.dedup();
                s
            };
            let found = crate::citation::find_citations(&passage.text, &article.references);
            let mut found_spans: Vec<(usize, usize)> = found.iter().map(|c| c.span).collect();
            found_spans.dedup();
            let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
            acc.mentions.found += found_spans.len();
            acc.mentions.found_right += found_spans
                .iter()
                .filter(|f| gold_spans.iter().any(|g| overlaps(**f, *g)))
                .count();
            acc.mentions.gold += gold_spans.len();
            acc.mentions.gold_found += gold_spans
                .iter()
                .filter(|g| found_spans.iter().any(|f| overlaps(*f, **g)))
                .count();
            let mut gold_refs: Vec<usize> = passage
                .citations
                .iter()
                .flat_map(|c| c.references.iter().copied())
                .collect();
            let mut found_refs: Vec<usize> = found
                .iter()
                .flat_map(|c| c.references.iter().copied())
                .collect();
            gold_refs.sort_unstable();
            found_refs.sort_unstable();
            let common = multiset_intersection(&gold_refs, &found_refs);
            acc.resolutions.found += found_refs.len();
            acc.resolutions.found_right += common;
            acc.resolutions.gold += gold_refs.len();
            acc.resolutions.gold_found += common;
        }
    }
    acc
}

fn multiset_intersection(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Tagger training examples: each input's tokens labelled with the part they fall in, the first
/// and last token of a title or venue with its boundary label ([`learnt_label`]).
pub fn training_examples(data: &[Labelled]) -> Vec<(String, Vec<Token>, Vec<usize>)> {
    data.iter()
        .map(|l| {
            let tokens = tokenize(&l.input);
            let parts = parts_out_of_volume(l);
            let labels = tokens
                .iter()
                .map(|t| {
                    let part = parts.iter().find(|(_, r)| r.contains(&t.span.start));
                    part.map_or(label_of("other"), |(name, r)| {
                        let (first, last) = (t.span.start == r.start, t.span.end == r.end);
                        learnt_label(label_of(name), first, last)
                    })
                })
                .collect();
            (l.input.clone(), tokens, labels)
        })
        .collect()
}

/// The labelled parts of `l`, with the year and the pages that a volume label takes in
/// ("2012;30(15):", "128(1):183–269") labelled as date and pages: the scorer reads them so, and
/// the tagger learns one way to label them.
fn parts_out_of_volume(l: &Labelled) -> Vec<(String, std::ops::Range<usize>)> {
    let mut parts = l.parts.clone();
    let mut more = Vec::new();
    for (_, r) in parts.iter_mut().filter(|(name, _)| name == "volume") {
        let text = &l.input[r.clone()];
        let (year, _, pages) = split_volume(text);
        if let Some(p) = pages.filter(|p| p.bytes().any(|b| b.is_ascii_digit())) {
            let at = r.end - p.len();
            more.push(("pages".to_string(), at..r.end));
            r.end = at;
        }
        if let Some(year) = year {
            // The year and its semicolon, at the label's start.
            let at = r.start + text.find(';').map_or(year.len(), |i| i + 1);
            more.push(("date".to_string(), r.start..at));
            r.start = at;
        }
    }
    parts.extend(more);
    parts
}

/// The parser's values in the same normalised form as the gold ones.
pub fn predicted(r: &Reference) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    if r.ditto && r.authors.is_empty() {
        out.insert("first_author", DITTO.to_string());
        out.insert("author", DITTO.to_string());
    } else if !r.authors.is_empty() {
        out.insert("first_author", r.authors[0].surname.clone());
        out.insert(
            "author",
            r.authors
                .iter()
                .map(|a| a.surname.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    if let Some(y) = r.year {
        out.insert("year", y.to_string());
    }
    let volume = match (&r.volume, &r.issue) {
        (Some(v), Some(i)) => Some(format!("{v}({i})")),
        (Some(v), None) => Some(v.clone()),
        (None, Some(i)) => Some(format!("({i})")),
        (None, None) => None,
    };
    for (field, value) in [
        ("title", &r.title),
        ("venue", &r.venue),
        ("volume", &volume),
        ("pages", &r.pages),
        ("doi", &r.doi),
    ] {
        if let Some(v) = value {
            let v = normalize(v);
            if !v.is_empty() {
                out.insert(field, v);
            }
        }
    }
    out
}

/// Compare a predicted and a gold value of `field`.
fn matches(field: &str, predicted: &str, gold: &str) -> bool {
    match field {
        // "22(3)" labelled as volume: the parser's volume and issue together must match it; a label
        // without the issue matches the volume alone.
        "volume" => digit_runs(volume_only(predicted)) == digit_runs(volume_only(gold)),
        "pages" => page_range(predicted) == page_range(gold),
        "author" | "first_author" => name_key(predicted) == name_key(gold),
        "doi" => predicted.eq_ignore_ascii_case(gold),
        // "Am J Psychiatry [Internet]": the medium is not part of the name.
        "title" | "venue" => drop_medium(predicted) == drop_medium(gold),
        _ => predicted == gold,
    }
}

/// A volume label without the year before it or the pages after it, which some labels take in
/// ("2012;30(15)", "81(4):044005" and "51:197-204" are volume 30 issue 15, volume 81 issue 4 and
/// volume 51); "50: 3" keeps its issue.
fn volume_only(s: &str) -> &str {
    split_volume(s).1
}

/// A volume label split into the year before it and the pages after it that it takes in, if
/// any: "2012;30(15)" → (Some("2012"), "30(15)", None), "81(4):044005" → (None, "81(4)",
/// Some("044005")).
fn split_volume(s: &str) -> (Option<&str>, &str, Option<&str>) {
    let (year, s) = match s.split_once(';') {
        Some((year, rest)) if year.trim().len() == 4 && year.trim().parse::<u16>().is_ok() => {
            (Some(year.trim()), rest)
        }
        _ => (None, s),
    };
    match s.split_once(':') {
        Some((volume, pages)) if volume.contains('(') || pages.contains(['-', '–']) => {
            (year, volume, Some(pages))
        }
        _ => (year, s, None),
    }
}

/// "81, No. 5" and "81(5)" → ["81", "5"].
fn digit_runs(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .collect()
}

/// The page range without words or spaces: "pages 393 - 397" → "393-397"; a page count without
/// its unit: "312 pp." → "312".
fn page_range(s: &str) -> String {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let start = compact
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(compact.len());
    let start = if start > 0
        && compact[..start].ends_with(|c: char| c.is_ascii_uppercase())
        && start == 1
    {
        0
    } else {
        start
    };
    let range = compact[start..].trim_end_matches(|c: char| !c.is_alphanumeric());
    ["pages", "pp", "p", "S", "s"]
        .iter()
        .find_map(|unit| {
            range
                .strip_suffix(unit)
                .filter(|count| count.ends_with(|c: char| c.is_ascii_digit()))
        })
        .unwrap_or(range)
        .to_string()
}

fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == ';')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Counts for one field.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct FieldScore {
    /// Predicted and correct.
    pub tp: usize,
    /// Predicted but absent or wrong.
    pub fp: usize,
    /// Labelled but missed or wrong ("fn" in JSON).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl FieldScore {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A mismatch, for study.
#[derive(Clone, Debug, Serialize)]
pub struct Mismatch {
    /// The input string.
    pub input: String,
    /// The field.
    pub field: &'static str,
    /// What the parser said.
    pub predicted: Option<String>,
    /// What the label says.
    pub gold: Option<String>,
}

/// Scores per field, the micro average over the fields scored, and the mismatches.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Number of references.
    pub references: usize,
    /// Per field, in [`FIELDS`] order.
    pub fields: Vec<(&'static str, FieldScore)>,
    /// Micro-averaged over all fields except `first_author` (already inside `author`).
    pub micro: FieldScore,
    /// References parsed per second (parsing only).
    pub per_second: f64,
    /// Every mismatch.
    #[serde(skip)]
    pub mismatches: Vec<Mismatch>,
}

/// Parse every labelled input with the built-in parser and score it.
pub fn evaluate(data: &[Labelled]) -> Report {
    evaluate_with(data, parse_reference)
}

/// Parse every labelled input with `parse` and score it.
pub fn evaluate_with(data: &[Labelled], parse: impl Fn(&str) -> Reference) -> Report {
    let inputs: Vec<&str> = data.iter().map(|l| l.input.as_str()).collect();
    let (parsed, elapsed) = timed(&inputs, parse);
    score(data, &parsed, elapsed)
}

/// Parse `inputs` with `parse`, and the seconds it took. A few entries are parsed untimed first,
/// so that loading the model and compiling the patterns (on first use) are not counted.
fn timed(inputs: &[&str], parse: impl Fn(&str) -> Reference) -> (Vec<Reference>, f64) {
    for input in inputs.iter().take(10) {
        parse(input);
    }
    let started = std::time::Instant::now();
    let parsed = inputs.iter().map(|input| parse(input)).collect();
    (parsed, started.elapsed().as_secs_f64())
}

/// K-fold cross-validation: train a tagger on all folds but one, parse the held-out fold, and
/// score all held-out parses together. Every reference is parsed by a model that never saw it.
/// Each tagger learns from `share` (0 < share ≤ 1) of the other folds' references, spread
/// evenly over them: with shares below 1 the scores trace how accuracy grows with the amount
/// of labelled data.
pub fn cross_validate(data: &[Labelled], folds: usize, epochs: usize, share: f64) -> Report {
    let folds = folds.clamp(2, data.len().max(2));
    let mut parsed: Vec<Option<Reference>> = vec![None; data.len()];
    let mut elapsed = 0.0;
    for k in 0..folds {
        let train: Vec<Labelled> = data
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != k)
            .map(|(_, l)| l)
            .enumerate()
            .filter(|&(j, _)| evenly_kept(j, share))
            .map(|(_, l)| l.clone())
            .collect();
        let model = Tagger::train(&training_examples(&train), epochs);
        let held_out: Vec<usize> = (k..data.len()).step_by(folds).collect();
        let inputs: Vec<&str> = held_out.iter().map(|&i| data[i].input.as_str()).collect();
        let (fold, seconds) = timed(&inputs, |input| parse_with(&model, input));
        for (i, r) in held_out.into_iter().zip(fold) {
            parsed[i] = Some(r);
        }
        elapsed += seconds;
    }
    let parsed: Vec<Reference> = parsed
        .into_iter()
        .map(|p| p.expect("every fold parsed"))
        .collect();
    score(data, &parsed, elapsed)
}

/// Whether the `j`th item of a list is among an evenly spread `share` of it: those at which
/// the running total `share × (j + 1)` reaches a new whole number.
fn evenly_kept(j: usize, share: f64) -> bool {
    (share * (j + 1) as f64).floor() > (share * j as f64).floor()
}

/// Score parses against their labels.
pub fn score(data: &[Labelled], parsed: &[Reference], elapsed: f64) -> Report {
    let mut scores: BTreeMap<&str, FieldScore> =
        FIELDS.iter().map(|f| (*f, FieldScore::default())).collect();
    let mut mismatches = Vec::new();
    for (l, r) in data.iter().zip(parsed) {
        let pred = predicted(r);
        for field in FIELDS {
            let s = scores.get_mut(field).expect("all fields");
            let (p, g) = (pred.get(field), l.gold.get(field));
            match (p, g) {
                (Some(p), Some(g)) if matches(field, p, g) => s.tp += 1,
                (None, None) => {}
                _ => {
                    if p.is_some() {
                        s.fp += 1;
                    }
                    if g.is_some() {
                        s.fn_ += 1;
                    }
                    mismatches.push(Mismatch {
                        input: l.input.clone(),
                        field,
                        predicted: p.cloned(),
                        gold: g.cloned(),
                    });
                }
            }
        }
    }
    let mut micro = FieldScore::default();
    for (field, s) in &scores {
        if *field != "first_author" {
            micro.tp += s.tp;
            micro.fp += s.fp;
            micro.fn_ += s.fn_;
        }
    }
    Report {
        references: data.len(),
        fields: FIELDS.iter().map(|f| (*f, scores[f])).collect(),
        micro,
        per_second: if elapsed > 0.0 {
            data.len() as f64 / elapsed
        } else {
            f64::INFINITY
        },
        mismatches,
    }
}

/// Trim outer punctuation, quotes and whitespace; drop "Vol."/"pp." style prefixes and
/// typography markup ("<i>", "*…*"); one kind of dash; single spaces.
pub fn normalize(text: &str) -> String {
    let text = crate::reference::markup::without_markup(text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t = text.as_str();
    loop {
        let before = t;
        t = t.trim_matches(|c: char| c.is_whitespace() || ".,;:()[]{}\"'`“”‘’«»".contains(c));
        for prefix in [
            "Vol. ", "vol. ", "Vol ", "vol ", "Volume ", "pp. ", "pp ", "p. ", "Pp. ", "S. ",
            "No. ", "no. ",
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                // A number follows, maybe after one letter ("pp. R1250-R1259", "p. e162").
                let number = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                if number.starts_with(|c: char| c.is_ascii_digit())
                    && rest.len() - number.len() <= 1
                {
                    t = rest;
                }
            }
        }
        if t == before {
            break;
        }
    }
    t.replace(crate::reference::rules::DASHES, "-")
        .replace("- ", "-")
        .replace(" -", "-")
}

/// The first four-digit year in a date label.
fn first_year(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let w = &text.get(i..i + 4)?;
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (w.bytes().all(|b| b.is_ascii_digit())
            && before_ok
            && after_ok
            && (w.starts_with("1") || w.starts_with("20")))
        .then(|| w.to_string())
    })
}

/// Particles that open a surname, as written at the start of a name.
const CAPITAL_PARTICLES: [&str; 17] = [
    "Da", "Das", "De", "Del", "Della", "Der", "Des", "Di", "Do", "Dos", "Du", "La", "Le", "Ten",
    "Ter", "Van", "Von",
];

/// Surnames in a labelled author string. The label fixes where the author list starts and ends;
/// splitting it into names is a convention shared with the parser: split into name chunks at ";" or
/// "," and "and"/"&", drop initials (a chunk of initials belongs to the surname before it), and in a
/// full name ("Larry D. Wittie", "Alexander Vrchoticky") the surname is the last word with its
/// lowercase particles. A chunk of given names right after a lone surname ("Adams, Nicholson B.")
/// is part of that name, as are given names alone after it ("Gardenfors, Peter").
pub fn gold_surnames(author: &str) -> Vec<String> {
    let lowered = author
        .replace("et al.", ",")
        .replace("et al", ",")
        .replace('…', ",");
    let sep: &[char] = if lowered.contains(';') {
        &[';']
    } else {
        &[',']
    };
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    for piece in lowered.split(sep) {
        let mut current = Vec::new();
        let words: Vec<&str> = piece.split_whitespace().collect();
        for (k, w) in words.iter().enumerate() {
            let mut w = w.trim_matches(|c: char| c == '(' || c == ')');
            if w.ends_with('.')
                && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars().any(char::is_lowercase)
            {
                w = w.trim_end_matches('.');
            }
            let l = w.to_lowercase();
            if w != "&" && !w.chars().any(char::is_alphanumeric) {
                continue; // "et al:" leaves a colon
            }
            if matches!(l.as_str(), "and" | "&" | "und" | "et" | "with")
                && !joins_organisation(&current, &words[k + 1..], chunks.is_empty())
            {
                if !current.is_empty() {
                    chunks.push(std::mem::take(&mut current));
                }
            } else if !matches!(
                l.trim_end_matches('.'),
                "ed" | "eds"
                    | "editor"
                    | "editors"
                    | "hrsg"
                    | "hg"
                    | "jr"
                    | "sr"
                    | "ii"
                    | "iii"
                    | ""
            ) {
                current.push(w);
            }
        }
        if !current.is_empty() {
            chunks.push(current);
        }
    }
    let is_initial = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        !letters.is_empty()
            && letters.iter().all(|c| c.is_uppercase())
            && (letters.len() <= 3 || (w.contains('.') && letters.len() <= 4))
    };
    // "van", "de la"; written with a capital too when the surname comes first ("Di Michele,
    // Andrea", "Van Mulken, Margot").
    let particle = |w: &str| {
        w.chars().next().is_some_and(char::is_lowercase) || CAPITAL_PARTICLES.contains(&w)
    };
    let mut out: Vec<String> = Vec::new();
    let mut pending = false;
    for (k, words) in chunks.iter().enumerate() {
        let names: Vec<&str> = words.iter().copied().filter(|w| !is_initial(w)).collect();
        if names.is_empty() {
            pending = false;
            continue;
        }
        if names.len() == words.len() && is_organisation(words) {
            out.push(words.join(" ")); // "American Psychiatric Association", whole
            pending = false;
            continue;
        }
        let initials_first = words.first().is_some_and(|w| is_initial(w))
            || (words.len() > names.len() && !is_initial(words[words.len() - 1]));
        let initials_last = words.last().is_some_and(|w| is_initial(w));
        let capitalised = words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if pending && ((initials_last && names.len() <= 2) || (capitalised && words.len() <= 3)) {
            pending = false; // given names of the previous surname: "Adams, Nicholson B.", "Poole, David"
            continue;
        }
        if initials_first {
            // Surname after the last initial.
            let last = words.iter().rposition(|w| is_initial(w)).unwrap_or(0);
            out.push(words[last + 1..].join(" "));
            pending = false;
        } else if initials_last {
            // "Goss DL. Moore JH.": surnames each followed by initials, no comma between them.
            let mut name: Vec<&str> = Vec::new();
            for w in words {
                if !is_initial(w) {
                    name.push(w);
                } else if !name.is_empty() {
                    out.push(name.join(" "));
                    name.clear();
                }
            }
            pending = false;
        } else {
            let next_initials = chunks
                .get(k + 1)
                .is_some_and(|n| n.last().is_some_and(|w| is_initial(w)) && n.len() <= 3);
            if names.len() == 1 || next_initials || particle(names[0]) {
                out.push(names.join(" "));
                pending = true;
            } else {
                let mut start = names.len() - 1;
                while start > 0 && particle(names[start - 1]) {
                    start -= 1;
                }
                out.push(names[start..].join(" "));
                pending = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    #[test]
    fn a_share_of_the_training_data_is_spread_evenly() {
        let kept =
            |share: f64| -> Vec<usize> { (0..1000).filter(|&j| evenly_kept(j, share)).collect() };
        assert_eq!(kept(1.0).len(), 1000);
        assert_eq!(kept(0.25).len(), 250);
        assert_eq!(kept(0.5), (0..1000).skip(1).step_by(2).collect::<Vec<_>>());
        let gaps: Vec<usize> = kept(0.3).windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|&g| g == 3 || g == 4), "{gaps:?}");
    }

    #[test]
    fn a_reference_in_each_citation_style() {
        let person = |surname: &str, initials: &str| Person {
            surname: surname.into(),
            initials: initials.into(),
        };
        let r = Reference {
            ordinal: 11,
            authors: vec![person("Duman", "RS"), person("Krystal", "JH")],
            year: Some(2016),
            title: Some("Synaptic plasticity and depression".into()),
            venue: Some("Nat Med".into()),
            volume: Some("22".into()),
            issue: Some("3".into()),
            pages: Some("238-249".into()),
            doi: Some("10.1038/nm.4050".into()),
            ..Reference::default()
        };
        let expected = [
            "Duman, R. S., & Krystal, J. H. (2016). Synaptic plasticity and depression. Nat Med, 22(3), 238-249. https://doi.org/10.1038/nm.4050",
            "Duman RS, Krystal JH. Synaptic plasticity and depression. Nat Med. 2016;22(3):238-249. doi:10.1038/nm.4050",
            "12. Duman RS, Krystal JH. Synaptic plasticity and depression. Nat Med. 2016;22(3):238-249. doi:10.1038/nm.4050",
            "Duman, R.S. and Krystal, J.H. (2016) 'Synaptic plasticity and depression', Nat Med, 22(3), pp. 238–249. doi:10.1038/nm.4050",
            "Duman, R. S., and J. H. Krystal. 2016. “Synaptic plasticity and depression.” Nat Med 22 (3): 238–249. https://doi.org/10.1038/nm.4050.",
            "[12] R. S. Duman and J. H. Krystal, “Synaptic plasticity and depression,” Nat Med, vol. 22, no. 3, pp. 238–249, 2016, doi: 10.1038/nm.4050.",
            "Duman, R. S. & Krystal, J. H. Synaptic plasticity and depression. Nat Med 22, 238–249 (2016). https://doi.org/10.1038/nm.4050",
            "Duman, R.S., and Krystal, J.H. (2016). Synaptic plasticity and depression. Nat Med 22, 238–249. https://doi.org/10.1038/nm.4050.",
            "R. S. Duman, J. H. Krystal, Synaptic plasticity and depression. Nat Med 22, 238–249 (2016).",
            "[12] R.S. Duman, J.H. Krystal, Synaptic plasticity and depression, Nat Med 22 (2016) 238–249. https://doi.org/10.1038/nm.4050.",
            "Duman RS, Krystal JH (2016) Synaptic plasticity and depression. Nat Med 22(3):238–249.",
        ];
        for (style, text) in Style::ALL.into_iter().zip(expected) {
            assert_eq!(render(&r, style), text, "{style:?}");
        }
        // The gold fields are those the style writes: Nature has no issue, PNAS no DOI.
        let gold = |style| labelled_from(&r, style).gold;
        assert_eq!(gold(Style::Apa)["volume"], "22(3");
        assert_eq!(gold(Style::Nature)["volume"], "22");
        assert!(!gold(Style::Pnas).contains_key("doi"));
        // Three authors or more: a serial comma where the style has one.
        let three = Reference {
            authors: vec![person("A", "B"), person("C", "D"), person("E", "F")],
            ..r.clone()
        };
        assert!(render(&three, Style::Ieee).starts_with("[12] B. A, D. C, and F. E, “"));
        assert!(render(&three, Style::Harvard).starts_with("A, B., C, D. and E, F. (2016)"));
    }

    #[test]
    fn gold_surnames_in_common_styles() {
        // A word in capitals is initials only when short ("JH.", "J.-P."), not "COLLECTIF." (its
        // full stop goes when names are compared).
        assert_eq!(gold_surnames("COLLECTIF."), ["COLLECTIF."]);
        assert_eq!(
            gold_surnames("Schulman JE, O'Toole RV, et al:"),
            ["Schulman", "O'Toole"]
        );
        assert_eq!(gold_surnames("Junguo ZHANG."), ["ZHANG."]);
        assert_eq!(gold_surnames("Goss DL, Moore J.-P."), ["Goss", "Moore"]);
        assert_eq!(gold_surnames("Goss DL. Moore JH."), ["Goss", "Moore"]);
        assert_eq!(gold_surnames("Lipeck U. W."), ["Lipeck"]);
        assert_eq!(gold_surnames("Di Michele, Andrea"), ["Di Michele"]);
        assert_eq!(
            gold_surnames("Victorian Equal Opportunity and Human Rights Commission"),
            ["Victorian Equal Opportunity and Human Rights Commission"]
        );
        assert_eq!(
            gold_surnames("Cristina La Rocca, Luigi Provero"),
            ["La Rocca", "Provero"]
        );
        assert_eq!(
            gold_surnames("Romero, C., Paunesku, D., & Dweck, C."),
            ["Romero", "Paunesku", "Dweck"]
        );
        assert_eq!(
            gold_surnames("Pérez-Higueras JJ, Arias A, de la Macorra JC, Peters OA."),
            ["Pérez-Higueras", "Arias", "de la Macorra", "Peters"]
        );
        assert_eq!(gold_surnames("S. E. Han, G. Chen,"), ["Han", "Chen"]);
        assert_eq!(
            gold_surnames("American Psychiatric Association."),
            ["American Psychiatric Association"]
        );
        assert_eq!(
            gold_surnames("Lee, L. L., W. E. Howard, and R. E. Marsh."),
            ["Lee", "Howard", "Marsh"]
        );
        assert_eq!(gold_surnames("Adams, Nicholson B.,"), ["Adams"]);
        assert_eq!(
            gold_surnames("Larry D. Wittie, Gudjun Hermannsson, and Ai Li."),
            ["Wittie", "Hermannsson", "Li"]
        );
        assert_eq!(
            gold_surnames("Aan Het Rot, M., & Mathew, S. J."),
            ["Aan Het Rot", "Mathew"]
        );
        assert_eq!(gold_surnames("Heidegger M.,"), ["Heidegger"]);
        assert_eq!(gold_surnames("Gardenfors, Peter"), ["Gardenfors"]);
        assert_eq!(
            gold_surnames("Lakoff, George, and Mark Johnson."),
            ["Lakoff", "Johnson"]
        );
        assert_eq!(
            gold_surnames("Webber, Bonnie Lynn and Mays, Eric"),
            ["Webber", "Mays"]
        );
    }

    #[test]
    fn normalize_trims_and_unifies() {
        assert_eq!(normalize("pp. 1761–1800)."), "1761-1800");
        assert_eq!(normalize("pp. R1250–R1259."), "R1250-R1259");
        assert_eq!(normalize("Vol. XIV"), "Vol. XIV");
        assert_eq!(normalize("(Vol. 3, Part A,"), "3, Part A");
        assert_eq!(
            normalize("“A Spanish Romanticist,”"),
            "A Spanish Romanticist"
        );
        assert_eq!(first_year("septembre 2014,").as_deref(), Some("2014"));
        assert_eq!(page_range("pages 393 - 397"), "393-397");
        assert!(matches("volume", "30(15)", "2012;30(15"));
        assert!(matches("volume", "81(4)", "81(4):044005"));
        assert!(matches("volume", "51", "51:197-204"));
        assert!(!matches("volume", "50", "50: 3"));
        assert!(!matches("volume", "30", "2012;31"));
        assert_eq!(page_range("312 pp."), "312");
        assert_eq!(page_range("634 s."), "634");
        assert_eq!(page_range("R1250-R1259"), "R1250-R1259");
        assert_eq!(first_year("(n.d.)"), None);
    }

    #[test]
    fn scores_count_mismatches_both_ways() {
        let xml = "<dataset><sequence><author>Duman, R. S.</author><date>(2016).</date><title>Synaptic plasticity.</title><journal>Nature Medicine,</journal><volume>22(3),</volume><pages>238–249.</pages></sequence></dataset>";
        let data = read_anystyle(xml).unwrap();
        assert_eq!(
            data[0].input,
            "Duman, R. S. (2016). Synaptic plasticity. Nature Medicine, 22(3), 238–249."
        );
        let report = evaluate(&data);
        for (field, s) in &report.fields {
            if *field == "doi" {
                assert_eq!((s.tp, s.fp, s.fn_), (0, 0, 0));
            } else {
                assert_eq!((s.tp, s.fp, s.fn_), (1, 0, 0), "{field}");
            }
        }
        assert_eq!(report.micro.f1(), 1.0);
    }

    #[test]
    fn a_volume_label_gives_the_year_and_pages_it_takes_in() {
        let read = |xml: &str| read_anystyle(xml).unwrap().remove(0).gold;
        let vancouver = read("<dataset><sequence><author>Saad ED.</author><title>Overall survival.</title><journal>J Clin Oncol.</journal><volume>2012;30(15):</volume><pages>1750-1754.</pages></sequence></dataset>");
        assert_eq!(vancouver.get("year").map(String::as_str), Some("2012"));
        assert!(matches("volume", "30(15)", &vancouver["volume"]));
        let gold = |volume: &str, pages: &str| {
            let xml = format!("<dataset><sequence><author>Hormander, L.</author><title>Fourier integral operators.</title><journal>Acta Mathematica,</journal>{volume}{pages}<date>1971.</date></sequence></dataset>");
            read(&xml).get("pages").cloned()
        };
        assert_eq!(
            gold("<volume>127(1):79–183,</volume>", "").as_deref(),
            Some("79-183")
        );
        assert_eq!(
            gold("<volume>51:197–204.</volume>", "").as_deref(),
            Some("197-204")
        );
        // Labelled pages win; "50: 3" is a volume and its issue.
        assert_eq!(
            gold("<volume>127(1):</volume>", "<pages>79–183,</pages>").as_deref(),
            Some("79-183")
        );
        assert_eq!(gold("<volume>50: 3</volume>", ""), None);
    }

    #[test]
    fn a_labelled_doi_is_read_without_its_prefix_or_address() {
        let doi = |tail: &str| {
            let xml = format!("<dataset><sequence><author>Fenner M</author><date>(2013)</date><title>Altmetrics.</title>{tail}</sequence></dataset>");
            read_anystyle(&xml)
                .unwrap()
                .remove(0)
                .gold
                .get("doi")
                .cloned()
        };
        for label in [
            "<doi>DOI: 10.3868/s030-006-017-0010-8</doi>",
            "<doi>[doi&gt;10.3868/s030-006-017-0010-8]</doi>",
            "<doi>doi:10.3868/s030-006-017-0010-8.</doi>",
            "<url>Available: http://dx.doi.org/10.3868/s030-006-017-0010-8.</url>",
        ] {
            assert_eq!(
                doi(label).as_deref(),
                Some("10.3868/s030-006-017-0010-8"),
                "{label}"
            );
        }
        assert_eq!(doi("<url>http://www.example.org/paper.pdf</url>"), None);
    }
}
