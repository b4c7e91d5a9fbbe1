//! Editors: names with a role word ("(Ed.)", "editors", "Ed."), and the book they edited.

use super::{first_run, opening_run_without_title, relabel, run_from, venue_or_other};
use crate::reference::label::Label;
use crate::reference::names::{is_editor_word, is_initial};
use crate::reference::tokenize::Token;

/// Vancouver/NLM (*Citing Medicine*: "Title. In: Mathew SJ, Zarate CA Jr, editors. Book") and APA 7
/// ("In D. E. Rumelhart, J. L. McClelland, & the PDP Research Group (Eds.), Book"): a chapter names
/// all the book's editors together after "In", before their role word. Names the tagger read as
/// authors beside an editor run are editors — after the entry's first authors, or between two
/// editor runs; and so are names it read as the venue between two editor runs or right before
/// editors that end with their role ("In | Jean-Luc Gaudiot and | Lubomir Bic, editors, | Advanced
/// Topics…") when the book follows.
pub(super) fn names_among_editors(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, editor, venue, title) = (Label::Author, Label::Editor, Label::Venue, Label::Title);
    let first = first_run(labels, author).map(|r| r.start);
    let word = |i: usize| &raw[tokens[i].span.clone()];
    // Whether the editor run at `start` ends with the role word, and the book follows it.
    let role_then_book = |labels: &[Label], start: usize| {
        let run = run_from(labels, start);
        let last_word = run
            .clone()
            .rev()
            .find(|&i| word(i).chars().any(char::is_alphanumeric));
        last_word.is_some_and(|i| is_role(raw, tokens, i))
            && labels
                .get(run.end)
                .is_some_and(|&l| l == venue || l == title)
    };
    let mut i = 0;
    while i < labels.len() {
        let label = labels[i];
        let run = run_from(labels, i);
        i = run.end;
        if label != author && label != venue {
            continue;
        }
        let before = run.start > 0 && labels[run.start - 1] == editor;
        let after = labels.get(run.end) == Some(&editor);
        let names = if label == author {
            (before && after) || (Some(run.start) != first && (before || after))
        } else {
            after && (before || role_then_book(labels, run.end))
        };
        if names {
            relabel(labels, run, editor);
        }
    }
}

/// APA 7: a chapter in an edited book reads "In K. Jones (Ed.), A book (pp. 1-20)": the editors end
/// at their role in parentheses, and words the tagger ran on with after it are the book, its venue
/// (when the entry has none). Not "ed. Gerald Bonner" (Chicago's "ed." before the names) or "(ed.
/// and trans.)", where names may follow the role.
pub(super) fn editors_end_at_role(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = first_run(labels, Label::Editor) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: &usize| word(*i).chars().any(char::is_alphanumeric);
    // "(Ed.)": the role between parentheses, after a name.
    let closed = |i: usize| {
        let close = if word(i + 1) == "." { i + 2 } else { i + 1 };
        word(i - 1) == "(" && close < run.end && word(close) == ")"
    };
    let Some(role) = (run.start + 2..run.end.saturating_sub(1))
        .find(|&i| is_role(raw, tokens, i) && closed(i) && (run.start..i).any(|j| is_word(&j)))
    else {
        return;
    };
    // More people with a role of their own ("Caryl Emerson and Michael Holquist (trans.)"),
    // whether or not the tagger's run took in that role, stay.
    let more_roles = (role + 1..(run.end + 2).min(tokens.len()))
        .any(|i| is_role(raw, tokens, i) || word(i).to_lowercase().starts_with("trans"));
    if let Some(after) = (role + 1..run.end).find(is_word).filter(|_| !more_roles) {
        let to = venue_or_other(labels);
        relabel(labels, after..run.end, to);
    }
}

/// APA 7 ("Title. In K. Jones (Ed.), Book title") and Vancouver/NLM ("Title. In: Jones K, editor.
/// Book title"): the book that holds a chapter follows its editors; a second title right after the
/// editors is that book, the venue.
pub(super) fn book_after_editors(labels: &mut [Label]) {
    let (title, editor) = (Label::Title, Label::Editor);
    let Some(first) = first_run(labels, title) else {
        return;
    };
    let book = (first.end..labels.len()).find(|&i| labels[i] == title && labels[i - 1] == editor);
    if let Some(book) = book {
        relabel(labels, run_from(labels, book), Label::Venue);
    }
}

/// MLA (7th edition: "Ghost Stories. Ed. Peter Washington. New York: Knopf, 2008."): "Ed." or
/// "Eds." opening a sentence after the title means "edited by", so the names follow it; in an entry
/// without a title that begins with what the tagger read as editors, the words before that sentence
/// are the title. ("Cove, John J., and George F. MacDonald, eds. Tsimshian Narratives", Chicago:
/// after a comma, the role is the names' before it.)
pub(super) fn title_before_edited_by(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = opening_run_without_title(labels, Label::Editor) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let role = (run.start + 2..run.end)
        .find(|&i| matches!(word(i), "Ed" | "Eds" | "Edited") && word(i - 1) == ".");
    if let Some(role) = role {
        if !(run.start..role).any(|i| is_initial(word(i))) {
            relabel(labels, run.start..role, Label::Title);
        }
    }
}

/// APA 7: an edited book names its editors in the authors' place ("Binstock, R. H., & George, L. K.
/// (Eds.). (1990). Handbook of aging"); in an entry that begins with its editors and has no title,
/// what the tagger read as a container is the book's title.
pub(super) fn edited_book_title(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, editor, title, venue, number) = (
        Label::Author,
        Label::Editor,
        Label::Title,
        Label::Venue,
        Label::Number,
    );
    if labels.contains(&title) {
        return;
    }
    let Some(first) = labels.iter().position(|&l| l != number) else {
        return;
    };
    let editors_first = match first_run(labels, labels[first]) {
        Some(names) if labels[first] == author => names_editors(raw, tokens, names.end - 1),
        _ => labels[first] == editor,
    };
    if let Some(book) = first_run(labels, venue).filter(|_| editors_first) {
        relabel(labels, book, title);
    }
}

/// Whether the names ending at token `last` are editors, named so by their role word after them:
/// APA 7 "(Eds.)" ("Ewing, D. W. (Ed.)"), Chicago 17 ", eds." ("Ching, B., & Creed, G. W., eds."),
/// German "Hrsg." ("Huf, C. & Schnell, I. Hrsg."), whether or not the tagger counted the role word
/// in.
pub(in crate::reference) fn names_editors(raw: &str, tokens: &[Token], last: usize) -> bool {
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: &usize| word(*i).chars().any(char::is_alphanumeric);
    // The last word of the names, or the first word after them with only punctuation between —
    // past the rest of a name the tagger left out ("…, and Ruth | Byrne, editors.", "Baldwin,
    // M., et | al. (Eds.)").
    let inside = (0..=last).rev().find(is_word);
    let role = |i: usize| is_role(raw, tokens, i);
    let name_word =
        |i: usize| word(i).chars().next().is_some_and(char::is_uppercase) || word(i) == "al";
    let after = (last + 1..tokens.len())
        .filter(is_word)
        .take(4)
        .find(|&i| role(i) || !name_word(i));
    inside.is_some_and(role) || after.is_some_and(role)
}

/// Whether token `i` names the editors' role: "eds", "editor", "Hrsg"...; "Ed" alone may be a
/// given name, so only "(Ed.)" is a role.
pub(super) fn is_role(raw: &str, tokens: &[Token], i: usize) -> bool {
    match &raw[tokens[i].span.clone()] {
        "Ed" => i > 0 && &raw[tokens[i - 1].span.clone()] == "(",
        w => is_editor_word(&w.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::conventions::tests::{assert_mends, tagged, token_at};
    use crate::reference::tokenize::tokenize;

    #[test]
    fn a_role_word_past_the_rest_of_a_name_makes_editors() {
        let editors = |text: &str, last: &str| {
            let tokens = tokenize(text);
            names_editors(text, &tokens, token_at(text, &tokens, last))
        };
        let text =
            "Mark Keane, Padraig Cunningham, and Ruth Byrne, editors. Proc. AI Conference. 1994.";
        assert!(editors(text, "Ruth"), "the tagger left out 'Byrne'");
        assert!(editors(text, "Byrne"));
        let text = "Baldwin, M., et al. (Eds.). (2000). The use of self in therapy.";
        assert!(editors(text, "et"), "the tagger left out 'al.'");
        // Capitalised title words are no name to skip past, nor is a lowercase word.
        assert!(!editors(
            "Smith, J., and K. Jones. The Long Road To Editors. London: Sage, 2001.",
            "Jones"
        ));
        assert!(!editors(
            "Smith J, Jones K. Ketamine in editors. Lancet.",
            "K"
        ));
    }

    #[test]
    fn editors_end_at_their_role_in_parentheses() {
        // The tagger ran the editors on into the book title.
        let text =
            "Smith, J. (2001). A chapter. In K. Jones (Ed.), A book (pp. 1-20). London: Sage.";
        let tokens = tokenize(text);
        let (k, pp) = (token_at(text, &tokens, "K"), token_at(text, &tokens, "pp"));
        let mut labels = vec![Label::Other; tokens.len()];
        relabel(&mut labels, k..pp - 1, Label::Editor);
        editors_end_at_role(text, &tokens, &mut labels);
        let book = token_at(text, &tokens, "A");
        let book = (book + 1..tokens.len()).find(|&i| &text[tokens[i].span.clone()] == "A");
        let book = book.unwrap();
        assert_eq!(labels[book - 2], Label::Editor, "the role's closing mark");
        assert_eq!(labels[book], Label::Venue);
        // Names after the role, or given their own role, stay.
        for text in [
            "Wormald, P. Bede. In Famulus Christi, ed. Gerald Bonner. London, 1976.",
            "Bakhtin, M., The Dialogic Imagination, Michael Holquist (ed.), Caryl Emerson (trans.) (Austin, 1981).",
        ] {
            let tokens = tokenize(text);
            let mut labels = vec![Label::Other; tokens.len()];
            let from = tokens.iter().position(|t| text[t.span.clone()].starts_with("ed")).unwrap();
            relabel(&mut labels, from - 2..tokens.len() - 4, Label::Editor);
            let before = labels.clone();
            editors_end_at_role(text, &tokens, &mut labels);
            assert_eq!(labels, before, "{text}");
        }
    }

    #[test]
    fn names_beside_editors_are_editors() {
        let (a, e, t, v, d) = (
            Label::Author,
            Label::Editor,
            Label::Title,
            Label::Venue,
            Label::Date,
        );
        // Labels given word by word ("|" for punctuation, which takes the label before it).
        let mend = |text: &str, given: &[Label]| {
            let tokens = tokenize(text);
            let mut words = given.iter();
            let mut labels = Vec::new();
            for t in &tokens {
                let l = match text[t.span.clone()].chars().any(char::is_alphanumeric) {
                    true => *words.next().expect("a label per word"),
                    false => *labels.last().unwrap_or(&a),
                };
                labels.push(l);
            }
            names_among_editors(text, &tokens, &mut labels);
            let mut out = Vec::new();
            for (t, l) in tokens.iter().zip(labels) {
                if text[t.span.clone()].chars().any(char::is_alphanumeric) {
                    out.push(l);
                }
            }
            out
        };
        // The second run of names touches the editors.
        let text = "Mathew SJ. A chapter. In: Mathew SJ, Zarate CA Jr, editors. Book.";
        let given = [a, a, t, t, e, a, a, a, a, e, e, t];
        assert_eq!(mend(text, &given), [a, a, t, t, e, e, e, e, e, e, e, t]);
        // Names between two editor runs, even as the first names of the entry.
        let text = "In Jones K, editor. Book.";
        assert_eq!(mend(text, &[e, a, a, e, t]), [e, e, e, e, t]);
        // Names read as the venue, before editors that end with their role, the book after.
        let text = "Smith J. Model. In Jean-Luc Gaudiot and Lubomir Bic, editors, Topics, 1991.";
        let given = [a, a, t, v, v, v, v, v, v, e, v, d];
        let mended = [a, a, t, e, e, e, e, e, e, e, v, d];
        assert_eq!(mend(text, &given), mended);
        // The entry's authors before its editors ("Jones K, (Ed.)") stay, as do later names
        // that touch no editor, and a venue before editors named after their role.
        for (text, given) in [
            ("Jones K, ed. Book.", vec![a, a, e, t]),
            ("Jones K. Book. Smith J. Other.", vec![a, a, t, a, a, t]),
            (
                "Smith J. In Topics, eds. Caelli T. 1991.",
                vec![a, a, v, v, e, e, e, d],
            ),
        ] {
            assert_eq!(mend(text, &given), given, "{text}");
        }
    }

    #[test]
    fn an_edited_book_named_by_its_editors_has_a_title() {
        let text = "Binstock, R. H. (Ed.). (1990). Handbook of aging. New York: Academic Press.";
        let tokens = tokenize(text);
        let at = |w: &str| token_at(text, &tokens, w);
        let (date, book, place) = (at("1990") - 1, at("Handbook"), at("New"));
        let labels_with = |names: Label| -> Vec<Label> {
            (0..tokens.len())
                .map(|i| match i {
                    i if i < date => names,
                    i if i < book => Label::Date,
                    i if i < place => Label::Venue,
                    _ => Label::Location,
                })
                .collect()
        };
        for names in [Label::Author, Label::Editor] {
            let mut labels = labels_with(names);
            edited_book_title(text, &tokens, &mut labels);
            assert_eq!(labels[book], Label::Title, "names read as {names:?}");
        }
        // An article by its authors keeps its journal.
        let text = "Binstock, R. H. (1990). Handbook of aging. New York: Academic Press.";
        let (tokens, mut labels) = tagged(text, "Handbook", Label::Author, Label::Venue);
        let book = token_at(text, &tokens, "Handbook");
        edited_book_title(text, &tokens, &mut labels);
        assert_eq!(labels[book], Label::Venue);
    }

    #[test]
    fn a_title_after_the_editors_is_the_book() {
        use Label::{Author as A, Date as D, Editor as E, Location as L, Title as T, Venue as V};
        let mut labels = [A, T, T, E, E, T, T, L];
        book_after_editors(&mut labels);
        assert_eq!(labels, [A, T, T, E, E, V, V, L]);
        // Editors before any title ("Ching, B. (Ed.). Title") leave the title alone.
        let mut labels = [E, E, T, T, D];
        book_after_editors(&mut labels);
        assert_eq!(labels, [E, E, T, T, D]);
    }

    #[test]
    fn a_title_comes_before_edited_by() {
        assert_mends(
            title_before_edited_by,
            &[
                // Ghost Stories . Ed . Peter Washington . | New York : | Knopf
                (
                    "Ghost Stories. Ed. Peter Washington. New York: Knopf",
                    "eeeeeeee lll p",
                    "ttteeeee lll p",
                ),
                // Names before the role, and a role after a comma, stay the editors'.
                (
                    "Jones, K. L. Ed. Peter Washington. New York: Knopf",
                    "eeeeeeeeeee lll p",
                    "eeeeeeeeeee lll p",
                ),
                (
                    "Cove, John, eds. Tsimshian Narratives. Ottawa",
                    "eeeeeeeee l",
                    "eeeeeeeee l",
                ),
            ],
        );
    }
}
