//! Splitting an author list into people: "Duman, R. S., & Krystal, J. H.", "Lindholm ML, Traff S,
//! et al.", "R. S. Duman and J. H. Krystal", "Larry D. Wittie", "Adams, Nicholson B.",
//! "Aan Het Rot, M.", "de la Salle S".

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Person;

/// "et al." and what follows it: not names. (An ellipsis is not: APA lists end "..., Perez, A.
/// M., ... Mathew, S. J.", the last author after the authors left out.)
static ET_AL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bet\.?\s*al\b").unwrap());

/// Lowercase name particles that belong to the surname that follows.
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das", "des", "la",
    "le", "ten", "ter", "het", "zu", "af", "y", "st.", "el", "al", "bin", "ibn",
];

/// Whether `word` is a lowercase name particle ("van", "de", "da"): part of the surname after it.
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Whether a lowercased word joins two people in an author list: "and", "&", "und", "et", "with".
pub fn is_conjunction(lower: &str) -> bool {
    matches!(lower, "and" | "&" | "und" | "et" | "with")
}

/// Whether a lowercased word, without its full stop, says the names beside it are editors:
/// "eds", "(ed.)", "editors", "Hrsg.", "(dir.)".
pub fn is_editor_word(lower: &str) -> bool {
    matches!(
        lower,
        "ed" | "eds" | "editor" | "editors" | "hrsg" | "hg" | "hgg" | "dir" | "dirs" | "coord"
    )
}

/// [`is_organisation`] for a name as one string.
pub fn is_organisation_name(name: &str) -> bool {
    is_organisation(&name.split_whitespace().collect::<Vec<_>>())
}

/// Whether name words without initials are an organisation's name ("American Psychiatric
/// Association", "World Health Organization", "NICE Guideline Development Group"): the whole
/// name is then the author's, where a person's would end at its surname.
pub fn is_organisation(words: &[&str]) -> bool {
    words.len() >= 2
        && words.iter().any(|w| {
            matches!(
                w.trim_end_matches('.').to_lowercase().as_str(),
                "association"
                    | "organization"
                    | "organisation"
                    | "society"
                    | "institute"
                    | "council"
                    | "committee"
                    | "group"
                    | "agency"
                    | "department"
                    | "ministry"
                    | "centre"
                    | "center"
                    | "centers"
                    | "foundation"
                    | "college"
                    | "board"
                    | "office"
                    | "collaboration"
                    | "consortium"
                    | "commission"
                    | "federation"
                    | "academy"
                    | "administration"
                    | "bureau"
                    | "investigators"
                    | "network"
                    | "force"
            )
        })
}

/// Parse an author list into people, in order. "et al." and editor markers are not people.
pub fn parse_authors(text: &str) -> Vec<Person> {
    let chunks = chunks(text);
    let mut people: Vec<Person> = Vec::new();
    // The last person is a bare surname still waiting for initials or given names.
    let mut pending = false;
    for (k, words) in chunks.iter().enumerate() {
        // In capitals, particles that begin a name look like initials: "DE LA SALLE S" is "de la
        // Salle S" (but "Adam DI Kramer" has initials).
        let particles = words
            .iter()
            .take_while(|w| is_particle(&w.to_lowercase()))
            .count();
        let initial: Vec<bool> = words
            .iter()
            .enumerate()
            .map(|(j, w)| {
                is_initial(w) && !(j < particles && words[j..].iter().any(|w| !is_initial(w)))
            })
            .collect();
        let n = words.len();
        if !initial.iter().any(|&i| i) && is_organisation(words) {
            people.push(Person {
                surname: words.join(" "),
                initials: String::new(),
            });
            pending = false;
            continue;
        }
        if initial.iter().all(|&i| i) {
            if pending {
                people.last_mut().expect("pending person").initials = initials_of(words);
                pending = false;
            } else if n == 1 && !words[0].contains('.') {
                // An all-capitals surname such as "LI", whose initials follow.
                people.push(Person {
                    surname: words[0].to_string(),
                    initials: String::new(),
                });
                pending = true;
            }
            continue;
        }
        let first_name_word = initial
            .iter()
            .position(|&i| !i)
            .expect("a non-initial word");
        let last_name_word = initial
            .iter()
            .rposition(|&i| !i)
            .expect("a non-initial word");
        let trailing = n - 1 - last_name_word;
        if trailing > 0 && first_name_word == 0 && initial[..=last_name_word].iter().all(|&i| !i) {
            // "Lindholm ML", "Heidegger M.", or given names after a bare surname: "Nicholson B.".
            if pending
                && last_name_word < 2
                && words[0].chars().next().is_some_and(char::is_uppercase)
                && !PARTICLES.contains(&words[0])
            {
                let given: Vec<&str> = words.to_vec();
                people.last_mut().expect("pending person").initials = initials_of(&given);
                pending = false;
                continue;
            }
            people.push(Person {
                surname: words[..=last_name_word].join(" "),
                initials: initials_of(&words[last_name_word + 1..]),
            });
            pending = false;
            continue;
        }
        if initial.iter().any(|&i| i) {
            // Initials before the surname: "R. S. Duman", "Larry D. Wittie", "J.-S. Pang".
            let last_initial = initial.iter().rposition(|&i| i).expect("an initial");
            if last_initial < last_name_word {
                let surname = words[last_initial + 1..].join(" ");
                people.push(Person {
                    surname,
                    initials: initials_of(&words[..=last_initial]),
                });
                pending = false;
                continue;
            }
        }
        // Given names after a lone surname, in inverted lists: "Gardenfors, Peter", "Ching, Barbara,
        // and Gerald W. Creed", "Webber, Bonnie Lynn and Mays, Eric".
        if pending
            && n <= 3
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            people.last_mut().expect("pending person").initials = initials_of(words);
            pending = false;
            continue;
        }
        // No initials: a surname alone ("Duman", "Aan Het Rot") or a full name ("Alexander Vrchoticky").
        let next_is_initials = chunks.get(k + 1).is_some_and(|next| {
            next.iter().all(|w| is_initial(w))
                || (next.len() <= 3 && next.last().is_some_and(|w| is_initial(w)))
        });
        if n == 1 || next_is_initials || PARTICLES.contains(&words[0]) {
            people.push(Person {
                surname: words.join(" "),
                initials: String::new(),
            });
            pending = true;
        } else {
            let start = (0..n - 1)
                .rev()
                .take_while(|&i| PARTICLES.contains(&words[i].to_lowercase().as_str()))
                .last()
                .unwrap_or(n - 1);
            people.push(Person {
                surname: words[start..].join(" "),
                initials: initials_of(&words[..start]),
            });
            // "Da Matta": all of it is the surname, still waiting for its given names.
            pending = start == 0;
        }
    }
    // A surname longer than a person's is text read as a name, unless it names an organisation.
    people.retain(|p| {
        let len = p.surname.chars().count();
        p.surname.chars().any(char::is_alphabetic)
            && (len <= 60 || (len <= 200 && is_organisation_name(&p.surname)))
    });
    people
}

/// Name chunks as word lists: split at ";" when there is one, else at ","; then at "and" / "&".
fn chunks(text: &str) -> Vec<Vec<&str>> {
    let text = text
        .trim()
        .trim_end_matches(|c: char| c == ',' || c == ';' || c.is_whitespace());
    // "In K. Jones (Ed.)": the names of a book's editors, after the word that introduces the book.
    let text = ["In: ", "in: ", "In "]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    let text = match ET_AL.find(text) {
        Some(m) => &text[..m.start()],
        None => text,
    };
    let separators: &[char] = if text.contains(';') { &[';'] } else { &[','] };
    // "Smith J, Jones K; the XYZ Study Group": a Vancouver list before a semicolon splits at its
    // commas too.
    let vancouver = |piece: &str| {
        piece.contains(',')
            && piece.split(',').all(|person| {
                let words: Vec<&str> = person.split_whitespace().collect();
                words.len() >= 2 && is_initial(words[words.len() - 1]) && !is_initial(words[0])
            })
    };
    let pieces = text.split(separators).flat_map(|piece| {
        if separators == [';'] && vancouver(piece) {
            piece.split(',').collect()
        } else {
            vec![piece]
        }
    });
    let mut out = Vec::new();
    for piece in pieces {
        let words: Vec<&str> = piece.split_whitespace().collect();
        let mut current: Vec<&str> = Vec::new();
        for (k, &w) in words.iter().enumerate() {
            let mut bare = w.trim_matches(|c: char| c == '(' || c == ')' || c == ',');
            bare = bare.strip_suffix(").").unwrap_or(bare); // "(Eds.)."
            if bare.ends_with('.')
                && !is_initial(bare)
                && bare.chars().filter(|c| c.is_alphabetic()).count() >= 2
            {
                bare = bare.trim_end_matches('.'); // "Marsh." at the end of the list
            }
            let lower = bare.to_lowercase();
            if is_conjunction(&lower)
                && !joins_organisation(&current, &words[k + 1..], out.is_empty())
            {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                continue;
            }
            // Editor markers and suffixes; all-capitals "ED" or "II" are initials, not markers.
            let bare_lower = lower.trim_end_matches('.');
            let marker = (is_editor_word(bare_lower)
                || matches!(bare_lower, "others" | "jr" | "sr"))
                && (bare.ends_with('.')
                    || bare.chars().any(char::is_lowercase)
                    || w.starts_with('('))
                || matches!(bare, "…" | "...")
                // "Stewart III, Charles": a generation after a surname, not initials (as "IV"
                // or "II" may be: "Tetko IV").
                || (bare == "III"
                    && current.last().is_some_and(|w| w.chars().any(char::is_lowercase)));
            // Marks that are no name: a list's bullet ("• Devaney, Johanna").
            let mark = !bare.chars().any(char::is_alphanumeric);
            if marker || mark {
                continue;
            }
            current.push(bare);
        }
        if !current.is_empty() {
            push_split_vancouver_run(&mut out, current);
        }
    }
    out
}

/// Push the name `words` to `out`, split when they are Vancouver names with no comma between
/// them ("Goss DL. Moore JH.", "Liu SM Zhong J Zhao XJ"): each a surname and its initials in
/// capitals. A run that does not end with initials ("John A. Doe") stays whole.
fn push_split_vancouver_run<'a>(out: &mut Vec<Vec<&'a str>>, words: Vec<&'a str>) {
    if words.len() < 4 {
        out.push(words);
        return;
    }
    let capitals = |w: &str| {
        let letters = w.trim_end_matches('.');
        (1..=3).contains(&letters.len()) && letters.bytes().all(|b| b.is_ascii_uppercase())
    };
    let surname = |w: &str| {
        !capitals(w) && (w.chars().next().is_some_and(char::is_uppercase) || is_particle(w))
    };
    let ends: Vec<usize> = (1..words.len())
        .filter(|&i| capitals(words[i]) && surname(words[i - 1]))
        .collect();
    // Every word a surname's, or initials right after one (those are the `ends`).
    let whole = ends.len() >= 2
        && ends.last() == Some(&(words.len() - 1))
        && (0..words.len()).all(|i| {
            if capitals(words[i]) {
                i > 0 && surname(words[i - 1])
            } else {
                surname(words[i])
            }
        });
    if !whole {
        out.push(words);
        return;
    }
    let mut start = 0;
    for end in ends {
        out.push(words[start..=end].to_vec());
        start = end + 1;
    }
}

/// Whether "and" between `before` and `after` is inside one organisation's name ("National
/// Institute for Health and Care Excellence", "Centers for Disease Control and Prevention"): the words on
/// both sides make an organisation's name, and those after it are no person's (no initials). One
/// word before it is enough at the start of the list (`list_start`: "Food and Drug
/// Administration"); later, a lone word before "and" is a person's surname.
pub fn joins_organisation(before: &[&str], after: &[&str], list_start: bool) -> bool {
    (before.len() >= 2 || list_start && before.len() == 1)
        && !after.is_empty()
        && !after.iter().any(|w| is_initial(w))
        && is_organisation(&[before, after].concat())
}

/// "M.", "J.-P.", "S.J.", "JJ", "Ch." are initials; "Li" and "LIU" are not.
pub fn is_initial(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    if !letters.next().is_some_and(char::is_uppercase) {
        return false;
    }
    // The letters after the first, if all are capitals.
    let capitals = letters.try_fold(0, |n, c| c.is_uppercase().then_some(n + 1));
    if let Some(more) = capitals {
        return more < 3 || (word.contains('.') && more < 4);
    }
    // Two-letter abbreviations of given names.
    matches!(word, "Ch." | "Th." | "Ph." | "Wm." | "St.")
}

/// First letters of given names or initials: ["R.", "S."] → "RS"; ["Ing-Nang"] → "IN".
fn initials_of(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words {
        if is_initial(w) {
            out.extend(w.chars().filter(|c| c.is_uppercase()));
        } else {
            for part in w.split('-') {
                out.extend(part.chars().next().filter(|c| c.is_uppercase()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String)> {
        parse_authors(text)
            .into_iter()
            .map(|p| (p.surname, p.initials))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(s, i)| (s.to_string(), i.to_string()))
            .collect()
    }

    /// Assert the surnames and initials read from each `(text, names)` case.
    fn assert_names(cases: &[(&str, &[(&str, &str)])]) {
        for &(text, want) in cases {
            assert_eq!(names(text), pairs(want), "{text}");
        }
    }

    #[test]
    fn apa() {
        assert_names(&[
            (
                "Duman, R. S., Aghajanian, G. K., Sanacora, G., & Krystal, J. H.",
                &[
                    ("Duman", "RS"),
                    ("Aghajanian", "GK"),
                    ("Sanacora", "G"),
                    ("Krystal", "JH"),
                ],
            ),
            (
                "Aan Het Rot, M., & Mathew, S. J.",
                &[("Aan Het Rot", "M"), ("Mathew", "SJ")],
            ),
            (
                "de la Salle, S., Choueiry, J.",
                &[("de la Salle", "S"), ("Choueiry", "J")],
            ),
        ]);
        // APA 7: authors left out, then the last one; or left out at the end.
        for list in [
            "Perez, A. M., ... Mathew, S. J.",
            "Perez, A. M., … Mathew, S. J.",
            "Perez AM, Mathew SJ, ...",
        ] {
            assert_eq!(names(list), pairs(&[("Perez", "AM"), ("Mathew", "SJ")]));
        }
    }

    #[test]
    fn vancouver() {
        assert_names(&[
            (
                "Lindholm ML, Traff S, et al.",
                &[("Lindholm", "ML"), ("Traff", "S")],
            ),
            (
                "Pérez-Higueras JJ, de la Macorra JC",
                &[("Pérez-Higueras", "JJ"), ("de la Macorra", "JC")],
            ),
            ("Heidegger M.,", &[("Heidegger", "M")]),
            (
                "Gertz M., Lipeck U. W.",
                &[("Gertz", "M"), ("Lipeck", "UW")],
            ),
            // Names with no comma between them.
            ("Goss DL. Moore JH.", &[("Goss", "DL"), ("Moore", "JH")]),
            (
                "Liu SM Zhong J de la Cruz XJ",
                &[("Liu", "SM"), ("Zhong", "J"), ("de la Cruz", "XJ")],
            ),
            // Given names first stay one person.
            ("John A. Doe", &[("Doe", "JA")]),
        ]);
    }

    #[test]
    fn given_names_first() {
        assert_names(&[
            (
                "R. S. Duman and J. H. Krystal",
                &[("Duman", "RS"), ("Krystal", "JH")],
            ),
            (
                "Larry D. Wittie, Gudjun Hermannsson, and Ai Li",
                &[("Wittie", "LD"), ("Hermannsson", "G"), ("Li", "A")],
            ),
            ("Alexander Vrchoticky", &[("Vrchoticky", "A")]),
            ("Ludwig van Beethoven", &[("van Beethoven", "L")]),
            (
                "M. C. Ferris and J.-S. Pang (editors)",
                &[("Ferris", "MC"), ("Pang", "JS")],
            ),
        ]);
    }

    #[test]
    fn chicago_given_names_after_surname() {
        assert_names(&[
            ("Adams, Nicholson B.", &[("Adams", "NB")]),
            ("Gardenfors, Peter", &[("Gardenfors", "P")]),
            ("Da Matta, Roberto.", &[("Da Matta", "R")]),
            (
                "Ching, Barbara, and Gerald W. Creed, eds.",
                &[("Ching", "B"), ("Creed", "GW")],
            ),
            (
                "Webber, Bonnie Lynn and Mays, Eric",
                &[("Webber", "BL"), ("Mays", "E")],
            ),
            (
                "In: Jones K, Brown L, editors.",
                &[("Jones", "K"), ("Brown", "L")],
            ),
            (
                "Lee, L. L., W. E. Howard, and R. E. Marsh.",
                &[("Lee", "LL"), ("Howard", "WE"), ("Marsh", "RE")],
            ),
        ]);
    }

    #[test]
    fn a_generation_or_a_bullet_is_no_name() {
        assert_names(&[
            (
                "Stewart III, Charles and Jonathan Woon",
                &[("Stewart", "C"), ("Woon", "J")],
            ),
            ("Smith III", &[("Smith", "")]),
            (
                "Antonov AV, Tetko IV, Mewes HW",
                &[("Antonov", "AV"), ("Tetko", "IV"), ("Mewes", "HW")],
            ),
            (
                "• Devaney, Johanna, Jason Hockman",
                &[("Devaney", "J"), ("Hockman", "J")],
            ),
        ]);
    }

    #[test]
    fn initials_that_look_like_words() {
        assert_names(&[
            (
                "Bishop AL, Rab FA, Siggia ED, Swain PS",
                &[
                    ("Bishop", "AL"),
                    ("Rab", "FA"),
                    ("Siggia", "ED"),
                    ("Swain", "PS"),
                ],
            ),
            (
                "Smith J (ed.), Jones K, et al.",
                &[("Smith", "J"), ("Jones", "K")],
            ),
        ]);
    }

    #[test]
    fn organisations_are_named_whole() {
        assert_names(&[
            (
                "American Psychiatric Association",
                &[("American Psychiatric Association", "")],
            ),
            (
                "World Health Organization, Smith J",
                &[("World Health Organization", ""), ("Smith", "J")],
            ),
            // "and" inside the name, with one word before it at the start of the list; later, a
            // lone word before "and" is a person's surname.
            (
                "Food and Drug Administration",
                &[("Food and Drug Administration", "")],
            ),
            (
                "Smith J, Jones and Research Group",
                &[("Smith", "J"), ("Jones", ""), ("Research Group", "")],
            ),
        ]);
        // An organisation's name is kept however long; other text that long is not a name.
        let long = "the Italian Multicentre Study on Resistance to Antituberculosis Drugs Group";
        assert_eq!(
            names(&format!("Cirillo DM; {long}"))[1],
            (long.to_string(), String::new())
        );
        assert!(names(&"Abcdefghij".repeat(7)).is_empty());
        // "and" inside an organisation's name does not split it; between persons it does.
        for name in [
            "National Institute for Health and Care Excellence",
            "Centers for Disease Control and Prevention",
            "Agency for Healthcare Research and Quality",
        ] {
            assert_eq!(names(name), pairs(&[(name, "")]), "{name}");
        }
        assert_names(&[
            (
                "Scott, W. B. and E. J. Crossman",
                &[("Scott", "WB"), ("Crossman", "EJ")],
            ),
            // A surname that is an organisation word, with initials, is a person's.
            (
                "Group, A. B., & Council, D.",
                &[("Group", "AB"), ("Council", "D")],
            ),
        ]);
    }

    #[test]
    fn all_caps_and_semicolons() {
        assert_names(&[
            ("SMITH, J.; JONES, K.", &[("SMITH", "J"), ("JONES", "K")]),
            ("LI, X.", &[("LI", "X")]),
            (
                "Fattorini L, Cirillo DM; the SMIRA Study Group",
                &[
                    ("Fattorini", "L"),
                    ("Cirillo", "DM"),
                    ("the SMIRA Study Group", ""),
                ],
            ),
            (
                "DE LA SALLE S, PHILLIPS JL, AL JURDI RK, SMITH DE",
                &[
                    ("DE LA SALLE", "S"),
                    ("PHILLIPS", "JL"),
                    ("AL JURDI", "RK"),
                    ("SMITH", "DE"),
                ],
            ),
            (
                "Adam DI Kramer, Jamie E Guillory",
                &[("Kramer", "ADI"), ("Guillory", "JE")],
            ),
            (
                "LERCHE, A., VYBERG, M., et KIRKEGAARD, E.",
                &[("LERCHE", "A"), ("VYBERG", "M"), ("KIRKEGAARD", "E")],
            ),
        ]);
    }
}
