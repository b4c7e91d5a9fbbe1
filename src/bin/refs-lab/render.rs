//! References rendered in eleven citation styles, for the JATS round trip.

use clinsearch::eval::references::{normalize, predicted, Labelled};
use clinsearch::model::Reference;

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

#[cfg(test)]
mod tests {
    use super::*;
    use clinsearch::model::Person;

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
}
