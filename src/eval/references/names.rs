//! Surnames in a labelled author string.

/// Words that make a name of two words or more an organisation's ("American Psychiatric
/// Association", "Centers for Disease Control and Prevention"): the whole name is the author.
const ORGANISATION_WORDS: [&str; 26] = [
    "academy",
    "administration",
    "agency",
    "association",
    "board",
    "bureau",
    "center",
    "centers",
    "centre",
    "collaboration",
    "college",
    "commission",
    "committee",
    "consortium",
    "council",
    "department",
    "federation",
    "foundation",
    "group",
    "institute",
    "ministry",
    "network",
    "office",
    "organisation",
    "organization",
    "society",
];

/// Whether the words of a name, none of them initials, are an organisation's name.
fn is_organisation(words: &[&str]) -> bool {
    words.len() >= 2
        && !words.iter().any(|w| is_initial(w))
        && words.iter().any(|w| {
            ORGANISATION_WORDS.contains(&w.trim_end_matches(['.', ',']).to_lowercase().as_str())
        })
}

/// A word of initials: capitals only, at most three ("JH", "J.-P.") or four with full stops.
fn is_initial(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.iter().all(|c| c.is_uppercase())
        && (letters.len() <= 3 || (word.contains('.') && letters.len() <= 4))
}

/// Particles that open a surname, as written at the start of a name.
const CAPITAL_PARTICLES: [&str; 17] = [
    "Da", "Das", "De", "Del", "Della", "Der", "Des", "Di", "Do", "Dos", "Du", "La", "Le", "Ten",
    "Ter", "Van", "Von",
];

/// Surnames in a labelled author string. The label fixes where the author list starts and ends;
/// splitting it into names follows the common conventions, with rules of the scorer's own: split into name chunks at ";" or
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
        // "and" inside an organisation's name ("Food and Drug Administration") joins no people.
        let organisation = is_organisation(&words);
        for w in &words {
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
            if matches!(l.as_str(), "and" | "&" | "und" | "et" | "with") && !organisation {
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
        if is_organisation(words) {
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
            gold_surnames("Food and Drug Administration"),
            ["Food and Drug Administration"]
        );
        assert_eq!(
            gold_surnames("Smith J, Centers for Disease Control and Prevention"),
            ["Smith", "Centers for Disease Control and Prevention"]
        );
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
}
