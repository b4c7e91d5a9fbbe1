//! What the readers of literature-search exports (PubMed XML, MEDLINE, RIS, BibTeX, EndNote XML)
//! share: a bibliographic record, and its making into an [`Article`] of title and abstract.

use std::sync::LazyLock;

use regex::Regex;

use super::outline::Outline;
use crate::model::{Article, Format, Person};
use crate::reference::normalize_space;

/// One record of an export, as its reader found it.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// 1-based line where the record starts, for problems.
    pub line: usize,
    /// The title.
    pub title: Option<String>,
    /// The abstract as (label, text) parts: one unlabelled part, or the sections of a structured
    /// abstract ("Methods", ...).
    pub abstract_parts: Vec<(Option<String>, String)>,
    /// Authors in order.
    pub authors: Vec<Person>,
    /// Journal or other container.
    pub journal: Option<String>,
    /// Publication year.
    pub year: Option<u16>,
    /// PubMed id.
    pub pmid: Option<String>,
    /// DOI, bare.
    pub doi: Option<String>,
    /// PubMed Central id ("PMC1234567").
    pub pmcid: Option<String>,
    /// MeSH headings, keywords and publication types.
    pub keywords: Vec<String>,
}

/// What became of a record.
pub enum Made {
    /// An article.
    Article(Box<Article>),
    /// The record has no title and no abstract: skipped (and counted).
    Empty,
}

impl Record {
    /// Add an abstract part; empty text is dropped.
    pub fn push_abstract(&mut self, label: Option<String>, text: &str) {
        let text = normalize_space(text);
        if !text.is_empty() {
            let label = label.map(|l| normalize_space(&l)).filter(|l| !l.is_empty());
            self.abstract_parts.push((label, text));
        }
    }

    /// Add an abstract written as one text, split into the sections of a structured abstract when
    /// its labels are written inline ("BACKGROUND: ... METHODS: ...", see [`inline_sections`]).
    pub fn push_abstract_text(&mut self, text: &str) {
        for (label, part) in inline_sections(text) {
            self.push_abstract(label.map(|l| label_case(&l)), part);
        }
    }

    /// Add a keyword once, trimmed.
    pub fn push_keyword(&mut self, keyword: &str) {
        let k = normalize_space(keyword);
        if !k.is_empty() && !self.keywords.contains(&k) {
            self.keywords.push(k);
        }
    }

    /// Make the article: record `n` (1-based) of the file `file_id` at `path`. The title and the
    /// abstract are its passages (a record with a title only keeps the title as its passage).
    pub fn into_article(self, n: usize, file_id: &str, path: &str, format: Format) -> Made {
        let title = self
            .title
            .as_deref()
            .map(normalize_space)
            .filter(|t| !t.is_empty());
        if title.is_none() && self.abstract_parts.is_empty() {
            return Made::Empty;
        }
        let title = title.unwrap_or_else(|| {
            let first = &self.abstract_parts[0].1;
            let cut = first.floor_char_boundary(100);
            match first[..cut].rfind(' ') {
                Some(space) if cut < first.len() => format!("{}…", &first[..space]),
                _ => first.clone(),
            }
        });
        let mut outline = Outline::with_title(Some(title));
        for (label, text) in self.abstract_parts {
            outline.heading(1, "Abstract".into());
            if let Some(label) = label {
                outline.heading(2, label);
            }
            outline.passage(text);
        }
        let id = format!("{file_id}:{n}");
        let mut article = outline.finish(&id, path, format);
        article.authors = self.authors;
        article.year = self.year;
        article.journal = self
            .journal
            .map(|j| normalize_space(&j))
            .filter(|j| !j.is_empty());
        article.doi = self.doi.as_deref().and_then(bare_doi);
        article.pmid = self
            .pmid
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        article.pmcid = self.pmcid;
        article.keywords = self.keywords;
        Made::Article(Box::new(article))
    }
}

/// A label of a structured abstract written inline, as MEDLINE, RIS and BibTeX exports write
/// PubMed's `AbstractText Label`s: at the start of the abstract or after the end of a sentence,
/// one to five words in capitals ("METHODS AND RESULTS"), or one of NLM's structured-abstract
/// categories (BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS) or a usual label of theirs
/// in mixed case ("Background"), then a colon.
static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[.?!)\]]\s+)([A-Z][A-Z/&'-]+(?: [A-Z][A-Z/&'-]*){0,4}|(?:Background|Introduction|Context|Importance|Objectives?|Aims?|Purpose|Methods?|Materials and methods|Design|Setting|Participants|Patients|Interventions?|Measurements|Main outcome measures?|Results|Findings|Conclusions?|Interpretation|Discussion|Limitations|Trial registration)(?: and [a-z]+)?)\s*:\s+",
    )
    .unwrap()
});

/// An abstract split at its inline labels: (label, text) parts; the whole text unlabelled unless
/// it starts with a label and has two at least.
pub fn inline_sections(text: &str) -> Vec<(Option<String>, &str)> {
    let text = text.trim();
    let labels: Vec<(usize, usize, &str)> = INLINE_LABEL
        .captures_iter(text)
        .filter_map(|c| {
            let (label, all) = (c.get(1)?, c.get(0)?);
            Some((label.start(), all.end(), label.as_str()))
        })
        .collect();
    if labels.len() < 2 || labels[0].0 != 0 {
        return vec![(None, text)];
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, &(_, start, label))| {
            let end = labels.get(i + 1).map_or(text.len(), |next| next.0);
            (Some(label.to_string()), text[start..end].trim())
        })
        .collect()
}

/// "METHODS AND RESULTS" as "Methods and results"; labels in mixed case stay as written.
pub fn label_case(label: &str) -> String {
    if label.chars().any(char::is_lowercase) {
        return label.to_string();
    }
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

static DOI: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"10\.\d{4,9}/\S+").unwrap());
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:1[5-9]|20)\d\d)(?:[^0-9]|$)").unwrap());

/// The bare DOI in "https://doi.org/10.1/x", "doi:10.1/x" or "10.1/x [doi]"; `None` without one.
pub fn bare_doi(text: &str) -> Option<String> {
    let found = DOI.find(text)?.as_str();
    let doi = found.trim_end_matches(['.', ',', ';', ']', ')']);
    Some(doi.to_string())
}

/// The first plausible year (1500-2099) in "2019 Dec", "2024///", "1998 Dec-1999 Jan".
pub fn first_year(text: &str) -> Option<u16> {
    YEAR.captures(text)?.get(1)?.as_str().parse().ok()
}

/// A personal name as exports write it: "Duman, Ronald S.", "Duman, R.S.", "Duman RS"
/// (MEDLINE), or "Ronald S. Duman"; `None` when there is no name.
pub fn person(name: &str) -> Option<Person> {
    let name = normalize_space(name.trim_matches([',', ';', ' ']));
    if name.is_empty() {
        return None;
    }
    let initials_of = |given: &str| -> String {
        let mut out = String::new();
        for w in given
            .split(|c: char| c.is_whitespace() || c == '.')
            .filter(|w| !w.is_empty())
        {
            // "RS" and "J-C" stay as they are; "Ronald" gives "R", "Jean-Claude" "J-C".
            if w.len() <= 4 && w.chars().all(|c| c.is_uppercase() || c == '-') {
                out.push_str(w);
                continue;
            }
            let firsts: Vec<String> = w
                .split('-')
                .filter_map(|part| part.chars().next())
                .filter(|c| c.is_alphabetic())
                .map(|c| c.to_uppercase().collect())
                .collect();
            out.push_str(&firsts.join("-"));
        }
        out
    };
    if let Some((surname, given)) = name.split_once(',') {
        return Some(Person {
            surname: surname.trim().to_string(),
            initials: initials_of(given.trim()),
        });
    }
    let words: Vec<&str> = name.split(' ').collect();
    let (last, rest) = words.split_last()?;
    if !rest.is_empty() && last.len() <= 3 && last.chars().all(char::is_uppercase) {
        // MEDLINE: "Waites MD", "Aan Het Rot M"
        return Some(Person {
            surname: rest.join(" "),
            initials: last.to_string(),
        });
    }
    Some(Person {
        surname: last.to_string(),
        initials: initials_of(&rest.join(" ")),
    })
}

/// The value of the first of `names` that `fields` (name, value) holds with some text: the
/// first such field of that name, when an export repeats it.
pub fn first_field<'a>(fields: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| {
        fields
            .iter()
            .find(|(name, v)| name == n && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// Whether an abstract is only a copyright or licence notice ("© 2024 Elsevier Ltd. All rights
/// reserved."), as EBSCO and others export in a second abstract field.
pub fn is_copyright_notice(text: &str) -> bool {
    let t = text.trim_start().to_lowercase();
    (t.starts_with('©') || t.starts_with("copyright") || t.starts_with("(c)"))
        && t.split_whitespace().count() < 40
}

/// Where each line of `source` starts, to turn byte offsets into 1-based line numbers.
pub struct Lines(Vec<usize>);

impl Lines {
    /// Index the line starts of `source`.
    pub fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    /// The 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> (String, String) {
        let p = person(name).unwrap();
        (p.surname, p.initials)
    }

    #[test]
    fn names_years_and_dois() {
        let pair = |s: &str, i: &str| (s.to_string(), i.to_string());
        assert_eq!(p("Duman, Ronald S."), pair("Duman", "RS"));
        assert_eq!(p("Waites MD"), pair("Waites", "MD"));
        assert_eq!(p("Bertolini, F.M."), pair("Bertolini", "FM"));
        assert_eq!(p("Roujeau, J-C"), pair("Roujeau", "J-C"));
        assert_eq!(p("Ronald S. Duman"), pair("Duman", "RS"));
        assert_eq!(p("Roujeau, Jean-Claude"), pair("Roujeau", "J-C"));
        assert_eq!(first_year("1998 Dec-1999 Jan"), Some(1998));
        assert_eq!(first_year("2024///"), Some(2024));
        assert_eq!(first_year("Spring 12"), None);
        assert_eq!(
            bare_doi("http://dx.doi.org/10.4236/ojf.2020.101008").as_deref(),
            Some("10.4236/ojf.2020.101008")
        );
        assert_eq!(
            bare_doi("10.1111/jvim.16404 [doi]").as_deref(),
            Some("10.1111/jvim.16404")
        );
        assert!(is_copyright_notice("© 2024 John Wiley & Sons Ltd."));
        let parts = inline_sections(
            "BACKGROUND: Depression is common. METHODS AND RESULTS: We gave 2 doses (n=3). \
             CONCLUSION: It helped.",
        );
        assert_eq!(
            parts,
            [
                (Some("BACKGROUND".into()), "Depression is common."),
                (Some("METHODS AND RESULTS".into()), "We gave 2 doses (n=3)."),
                (Some("CONCLUSION".into()), "It helped."),
            ]
        );
        assert_eq!(label_case("METHODS AND RESULTS"), "Methods and results");
        let rayyan = inline_sections("Background: x rose. Methods: y fell.");
        assert_eq!(rayyan[1], (Some("Methods".into()), "y fell."));
        // One label, or a label not at the start, is no structure.
        let plain = "We studied HIV: the results. RESULTS: none.";
        assert_eq!(inline_sections(plain), [(None, plain)]);
        let lines = Lines::new("a\nb\nc");
        assert_eq!((lines.line(0), lines.line(2), lines.line(4)), (1, 2, 3));
    }
}
