//! JSON Lines: one article per line, as in BEIR collections and PubMed exports.
//!
//! Each record has `id` (or `_id`, `pmid`), `title`, `text` (or `abstract`, `body`), and optionally
//! `authors` (a list of strings), `year`, `journal`, `doi` and `references` (a list of strings).
//! The text splits into passages at blank lines.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::outline::Outline;
use super::ParseError;
use crate::model::{Article, Format, Person};
use crate::reference::{normalize_space, parse_authors};

static BLANK_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\n\s*\n").unwrap());

/// Parse every line of `source`; lines that are not valid records come back as "line N: why".
pub fn parse_jsonl(source: &str, path: &str) -> (Vec<Article>, Vec<String>) {
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in source.lines().enumerate() {
        match parse_line(line, i + 1, path) {
            Some(Ok(article)) => articles.push(article),
            Some(Err(problem)) => problems.push(problem.to_string()),
            None => {}
        }
    }
    (articles, problems)
}

/// Parse line `number` (1-based): `None` for a blank line; a problem says "line N: why".
pub fn parse_line(line: &str, number: usize, path: &str) -> Option<Result<Article, ParseError>> {
    if line.trim().is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<Value>(line) {
        Ok(value) => {
            record(&value, path).map_err(|why| ParseError::Invalid(format!("line {number}: {why}")))
        }
        Err(e) => Err(ParseError::Invalid(format!(
            "line {number}: invalid JSON: {e}"
        ))),
    })
}

/// Whether `source` looks like JSON Lines.
pub fn sniff(source: &str) -> bool {
    source.trim_start().starts_with('{')
}

/// One record as an article; the error says why it is not one.
fn record(value: &Value, path: &str) -> Result<Article, &'static str> {
    let Value::Object(map) = value else {
        return Err("not a JSON object");
    };
    let string = |keys: &[&str]| {
        keys.iter().find_map(|k| match map.get(*k)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let id = string(&["id", "_id", "pmid", "PMID", "doc_id", "docid"])
        .ok_or("no id field (id, _id or pmid)")?;
    let title = string(&["title", "Title"]);
    let (section, text) = match (string(&["text", "body"]), string(&["abstract", "Abstract"])) {
        (Some(t), _) => ("Text", t),
        (None, Some(a)) => ("Abstract", a),
        (None, None) if title.is_some() => ("Text", String::new()),
        (None, None) => return Err("no title, text or abstract"),
    };
    let mut outline = Outline::with_title(Some(title.unwrap_or_else(|| id.clone())));
    outline.heading(1, section.to_string());
    for passage in BLANK_LINE.split(&text) {
        outline.passage(normalize_space(passage));
    }
    if let Some(Value::Array(refs)) = map.get("references") {
        outline.heading(1, "References".into());
        for r in refs.iter().filter_map(Value::as_str) {
            outline.reference(normalize_space(r));
        }
    }
    let mut article = outline.finish(&id, path, Format::Jsonl);
    if let Some(Value::Array(authors)) = map.get("authors") {
        article.authors = authors
            .iter()
            .filter_map(Value::as_str)
            .filter_map(person)
            .collect();
    }
    article.year = string(&["year", "pubyear", "publication_year"])
        .and_then(|y| y.get(..4).and_then(|y| y.parse().ok()));
    article.journal = string(&["journal", "venue", "source"]);
    article.doi = string(&["doi", "DOI"]);
    Ok(article)
}

/// "Duman, Ronald S.", "Duman RS" or "Ronald S. Duman" as a person.
fn person(name: &str) -> Option<Person> {
    let name = name.trim();
    if name.contains(',')
        || name
            .split_whitespace()
            .last()
            .is_some_and(|w| w.len() <= 3 && w.chars().all(char::is_uppercase))
    {
        return parse_authors(name).into_iter().next();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let (surname, given) = words.split_last()?;
    let initials = given
        .iter()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    Some(Person {
        surname: surname.to_string(),
        initials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beir_records_and_bad_lines() {
        let source = concat!(
            r#"{"_id": "4983", "title": "Microstructural development", "text": "First paragraph.\n\nSecond (Lee, 2020).", "metadata": {}}"#,
            "\n",
            "{not json\n",
            r#"{"pmid": 12, "abstract": "Only an abstract.", "authors": ["Duman, Ronald S.", "Krystal JH", "Gerard Sanacora"], "year": "2016-03", "doi": "10.1/x", "references": ["Lee, C. (2020). A study. J, 1, 2."]}"#,
            "\n",
            r#"{"title": "no id"}"#,
        );
        let (articles, problems) = parse_jsonl(source, "c.jsonl");
        assert_eq!(articles.len(), 2);
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0].starts_with("line 2: invalid JSON"),
            "{problems:?}"
        );
        assert!(problems[1].starts_with("line 4: no id"), "{problems:?}");
        let a = &articles[0];
        assert_eq!(
            (a.id.as_str(), a.title.as_str()),
            ("4983", "Microstructural development")
        );
        let texts: Vec<&str> = a.passages().map(|(_, p)| p.text.as_str()).collect();
        assert_eq!(texts, ["First paragraph.", "Second (Lee, 2020)."]);
        let b = &articles[1];
        assert_eq!(b.id, "12");
        assert_eq!(b.sections[0].heading, "Abstract");
        let names: Vec<(&str, &str)> = b
            .authors
            .iter()
            .map(|p| (p.surname.as_str(), p.initials.as_str()))
            .collect();
        assert_eq!(
            names,
            [("Duman", "RS"), ("Krystal", "JH"), ("Sanacora", "G")]
        );
        assert_eq!((b.year, b.doi.as_deref()), (Some(2016), Some("10.1/x")));
        assert_eq!(b.references.len(), 1);
    }
}
