//! Parser values against gold values: normalisation, comparison, and the report.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Labelled, DITTO, FIELDS};
use crate::model::Reference;
use crate::reference::parse_reference;

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
pub(super) fn matches(field: &str, predicted: &str, gold: &str) -> bool {
    match field {
        // "22(3)" labelled as volume: the parser's volume and issue together must match it; a label
        // without the issue matches the volume alone.
        "volume" => digit_runs(volume_only(predicted)) == digit_runs(volume_only(gold)),
        "pages" => page_range(predicted) == page_range(gold),
        "author" | "first_author" => name_key(predicted) == name_key(gold),
        "doi" => predicted.eq_ignore_ascii_case(gold),
        // "Am J Psychiatry [Internet]": the medium is not part of the name.
        "title" | "venue" => without_medium(predicted) == without_medium(gold),
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
pub(super) fn split_volume(s: &str) -> (Option<&str>, &str, Option<&str>) {
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
pub(super) fn page_range(s: &str) -> String {
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

pub(super) fn ratio(a: usize, b: usize) -> f64 {
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
pub(super) fn timed(inputs: &[&str], parse: impl Fn(&str) -> Reference) -> (Vec<Reference>, f64) {
    for input in inputs.iter().take(10) {
        parse(input);
    }
    let started = std::time::Instant::now();
    let parsed = inputs.iter().map(|input| parse(input)).collect();
    (parsed, started.elapsed().as_secs_f64())
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

/// Hyphens, dashes and the minus sign, written as "-" when values are compared.
const DASHES: [char; 6] = ['‐', '‑', '‒', '–', '—', '−'];

/// Media that NLM style writes in brackets after a title or journal ("Am J Psychiatry
/// [Internet]", "Lancet [serial online]"): not part of the name.
const MEDIA: [&str; 6] = [
    "internet",
    "online",
    "serial",
    "electronic",
    "cd-rom",
    "database",
];

/// `text` without a medium in brackets at its end (its closing bracket may have been trimmed).
fn without_medium(text: &str) -> &str {
    let trimmed = text.trim_end_matches(|c: char| c == '.' || c == ']' || c.is_whitespace());
    match trimmed.rsplit_once('[') {
        Some((head, medium))
            if !head.trim().is_empty()
                && MEDIA.iter().any(|m| medium.to_lowercase().contains(m)) =>
        {
            head.trim_end()
        }
        _ => text,
    }
}

/// `text` in single spaces, without the typography that labels and copied references carry:
/// inline tags ("<italic>", "</i>") and emphasis marks at the edges of words ("*Oeuvres.*",
/// "_Lancet_"); marks inside a word stay ("NIPS*92", "323_332").
fn without_typography(text: &str) -> String {
    let mut plain = text.to_string();
    if plain.contains('<') {
        for tag in [
            "i", "b", "u", "em", "strong", "italic", "bold", "sup", "sub",
        ] {
            plain = plain
                .replace(&format!("<{tag}>"), "")
                .replace(&format!("</{tag}>"), "");
        }
    }
    plain
        .split_whitespace()
        .map(|w| w.trim_matches(['*', '_']))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Trim outer punctuation, quotes and whitespace; drop "Vol."/"pp." style prefixes and
/// typography markup ("<i>", "*…*"); one kind of dash; single spaces.
pub fn normalize(text: &str) -> String {
    let text = without_typography(text);
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
    t.replace(DASHES, "-").replace("- ", "-").replace(" -", "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::references::anystyle::{first_year, read_anystyle};

    #[test]
    fn normalize_trims_and_unifies() {
        for (text, normal) in [
            ("pp. 1761–1800).", "1761-1800"),
            ("pp. R1250–R1259.", "R1250-R1259"),
            ("Vol. XIV", "Vol. XIV"),
            ("(Vol. 3, Part A,", "3, Part A"),
            ("“A Spanish Romanticist,”", "A Spanish Romanticist"),
        ] {
            assert_eq!(normalize(text), normal, "{text}");
        }
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
    fn typography_and_media_are_not_compared() {
        assert_eq!(
            normalize("*Oeuvres philosophiques de Buffon.*"),
            "Oeuvres philosophiques de Buffon"
        );
        assert_eq!(
            normalize("<italic>Microtus montanus.</italic>"),
            "Microtus montanus"
        );
        assert_eq!(normalize("Systems 5 (NIPS*92),"), "Systems 5 (NIPS*92");
        assert_eq!(normalize("pp. 323_332"), "323_332");
        assert!(matches(
            "venue",
            "Am J Psychiatry",
            "Am J Psychiatry [Internet]."
        ));
        assert!(matches("title", "A guide", "A guide [electronic resource"));
        assert!(!matches("title", "A guide", "A guide [in Russian]"));
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
}
