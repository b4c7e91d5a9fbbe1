//! Conventions of citation styles applied over the tagger's labels: where the tagger's reading
//! of an entry contradicts how references are written ("In K. Jones (Ed.), Book", a quoted title,
//! an inverted name), the labels are mended. Each rule is a convention of styles, not of one
//! collection; `docs/reference-parsing.md` gives what each one changed.

use std::ops::Range;

use super::is_page_range;
use super::label::Label;
use super::names::{is_conjunction, is_editor_word, is_initial, is_organisation, is_particle};
use super::tagger::{is_month, is_single_capital, is_volume_marker, lexicon, year_like};
use super::tokenize::Token;

/// Mend `labels` (one per token of `raw`), in order.
pub(super) fn apply(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    names_among_editors(raw, tokens, labels);
    editors_end_at_role(raw, tokens, labels);
    book_after_editors(labels);
    start_title_at_quote(raw, tokens, labels);
    end_title_at_quote(raw, tokens, labels);
    end_title_at_in(raw, tokens, labels);
    title_starts_after_punctuation(raw, tokens, labels);
    last_author_before_colon(raw, tokens, labels);
    authors_end_after_given_name(raw, tokens, labels);
    authors_continue_after_comma(raw, tokens, labels);
    generation_ends_the_names(raw, tokens, labels);
    journal_after_initials_first_names(raw, tokens, labels);
    year_between_venue_and_volume(raw, tokens, labels);
    title_before_edited_by(raw, tokens, labels);
    untitled_words_before_date(raw, tokens, labels);
    edited_book_title(raw, tokens, labels);
    untitled_book_after_authors(labels);
    title_through_gaps(labels);
    title_goes_on_at_conjunction(raw, tokens, labels);
    title_ends_at_translator(raw, tokens, labels);
    book_after_in(raw, tokens, labels);
    volume_number_after_marker(raw, tokens, labels);
    untitled_publisher_is_title(labels);
    title_ends_on_a_content_word(raw, tokens, labels);
    issue_read_as_date(raw, tokens, labels);
    pages_after_parenthesised_date(raw, tokens, labels);
    surname_after_initials(raw, tokens, labels);
    venue_read_as_volume(raw, tokens, labels);
    venue_read_as_title_end(raw, tokens, labels);
    roman_volume_after_venue(raw, tokens, labels);
    pages_after_page_word(raw, tokens, labels);
    journal_volume_page_year(raw, tokens, labels);
    authors_after_title(raw, tokens, labels);
    year_shaped_volume_or_page(raw, tokens, labels);
    journal_read_as_other(raw, tokens, labels);
    place_read_as_venue(raw, tokens, labels);
    newspaper_before_its_date(raw, tokens, labels);
    abbreviations_beside_the_journal(raw, tokens, labels);
    title_at_article_among_names(raw, tokens, labels);
}

/// "… finite field. | Trans. | Amer. Math. Soc. 347", "SIAM J. Discr. | Math. | , to appear": an
/// abbreviated word (capitalised, at most five letters, with its full stop) the tagger left
/// unlabelled right before or after the journal's abbreviated name belongs to it — after it, not
/// "Trans." or "Ed.", which name a translator or editor.
fn abbreviations_beside_the_journal(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (venue, other) = (Label::Venue, Label::Other);
    let Some(run) = first_run(labels, venue) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let abbreviated = |i: usize, after: bool| {
        let class = lexicon(word(i), &word(i).to_lowercase());
        capitalised(word(i))
            && word(i).chars().count() <= 5
            && !matches!(class, "genre" | "link" | "month")
            && !(after && class == "editor")
            && word(i + 1) == "."
            && labels[i] == other
            && labels[i + 1] == other
    };
    // Only beside a name that is itself abbreviated.
    if !run.clone().any(|i| word(i) == ".") {
        return;
    }
    let mut start = run.start;
    while start >= 2 && abbreviated(start - 2, false) {
        start -= 2;
    }
    let mut end = run.end;
    if word(end - 1) == "." {
        while end + 1 < labels.len() && abbreviated(end, true) {
            end += 2;
        }
    }
    relabel(labels, start..end, venue);
}

/// "‘So, what’s this Globish Revolution?’, | Observer, | 3 December 2006.", "\"Global Publishing
/// Back on the Front Foot\". | Bookseller, | 20 June.": where the tagger put the venue's label on
/// punctuation only, one to three capitalised words after it (no genre as "Draft Paper"), before
/// a comma and a day or a month, are the newspaper or magazine.
fn newspaper_before_its_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let venue = Label::Venue;
    let Some(run) = first_run(labels, venue) else {
        return;
    };
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    if run
        .clone()
        .any(|i| word(i).chars().any(char::is_alphanumeric))
    {
        return;
    }
    let free = [Label::Other, Label::Location];
    let words = (run.end..labels.len())
        .take_while(|&i| journal_word(word(i)) && free.contains(&labels[i]))
        .count();
    let comma = run.end + words;
    let dated = word(comma + 1).starts_with(|c: char| c.is_ascii_digit())
        || is_month(&word(comma + 1).to_lowercase());
    if (1..=3).contains(&words) && word(comma) == "," && dated {
        relabel(labels, run.end..comma, venue);
    }
}

/// "… Green Party”. | Bourne End, | Buckinghamshire, England: | Kensal Press, 1985.", "… Higher
/// Education. | White River Junction | (VT): | Chelsea Green.": capitalised words the tagger read
/// as the venue, right before the place that the publisher follows after a colon, are the first
/// words of that place.
fn place_read_as_venue(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let location = Label::Location;
    let Some(venue) = first_run(labels, Label::Venue) else {
        return;
    };
    if labels.get(venue.end) != Some(&location) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let place = run_from(labels, venue.end);
    let publisher_next =
        word(place.end - 1) == ":" && labels.get(place.end) == Some(&Label::Publisher);
    let named = venue
        .clone()
        .all(|i| capitalised(word(i)) || word(i) == ",");
    if publisher_next && named {
        relabel(labels, venue, location);
    }
}

/// "… Altmetrics Have Come of Age. | Information Standards Quarterly. | Available: http://…": in
/// an entry without a venue, two or more capitalised words right after the title, up to their
/// full stop or comma ("… Bibliography, | Lecture Notes in Computer Science, | Vol. 323"), that
/// name a journal ("Journal", "Quarterly", "Review"…) and no genre, publisher or link, are the
/// journal the tagger left unlabelled.
fn journal_read_as_other(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (venue, other) = (Label::Venue, Label::Other);
    let Some(title) = first_run(labels, Label::Title) else {
        return;
    };
    if labels.contains(&venue) || labels.get(title.end) != Some(&other) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let run = run_from(labels, title.end);
    let end = run
        .clone()
        .find(|&i| matches!(word(i), "." | ","))
        .unwrap_or(run.end);
    let class = |i: usize| lexicon(word(i), &word(i).to_lowercase());
    let named = (run.start..end).all(|i| {
        journal_word(word(i)) || matches!(word(i), "of" | "in" | "for" | "and" | "on" | "the" | "&")
    });
    // Two words at least: "Rev. ed." is no "Review".
    if end > run.start + 1 && named && (run.start..end).any(|i| class(i) == "venue") {
        relabel(labels, run.start..(end + 1).min(run.end), venue);
    }
}

/// A capitalised word that can name a journal or a newspaper: not one of the tagger's words for
/// a genre, a publisher, a link or an editor ("Paper", "Press", "Available", "Trans.").
fn journal_word(w: &str) -> bool {
    let class = lexicon(w, &w.to_lowercase());
    capitalised(w) && !matches!(class, "genre" | "publisher" | "link" | "editor")
}

/// "(1992). Smoothing … Proc. SPIE, 1808, 259-273.", "1952. Facts … Kew Bull. 1951: 427–436.",
/// "Cui, Nano Lett. 2010, 10, 1979.": an entry has one date; after it, a year-shaped number the
/// tagger read as another date is the volume when it follows the journal before the pages, and
/// the page when it follows the volume in an entry without pages.
fn year_shaped_volume_or_page(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (date, venue, volume, pages) = (Label::Date, Label::Venue, Label::Volume, Label::Pages);
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let Some(first) = first_run(labels, date) else {
        return;
    };
    if !first.clone().any(|i| year_like(word(i))) {
        return;
    }
    for at in first.end + 1..labels.len() {
        if labels[at] != date || word(at).len() != 4 || !year_like(word(at)) {
            continue;
        }
        let comma = word(at - 1) == ",";
        let before = labels[at - usize::from(comma) - 1];
        let marker = usize::from(matches!(word(at + 2), "p" | "pp") && word(at + 3) == ".");
        let page_next =
            labels.get(at + 2) == Some(&pages) && is_page_range(word(at + 2 + 2 * marker));
        if before == venue && matches!(word(at + 1), "," | ":") && page_next {
            relabel(labels, at..at + 2, volume);
        } else if before == volume && comma && !labels.contains(&pages) {
            // With the entry's closing full stop.
            let last = at + 2 == labels.len() && word(at + 1) == ".";
            relabel(labels, at..at + 1 + usize::from(last), pages);
        }
    }
}

/// "60. Differences in cyclic fatigue resistance … at different levels. Pérez-Higueras JJ, Arias
/// A, de la Macorra JC, Peters OA. septembre 2014, J Endod, …" (title first): in an entry without
/// authors, the sentence right after the title that lists three or more names of two to four
/// capitalised words, before the date, is its authors.
fn authors_after_title(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title, date) = (Label::Author, Label::Title, Label::Date);
    let Some(run) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    if labels.contains(&author) || word(run.end - 1) != "." {
        return;
    }
    let Some(stop) = (run.end..labels.len()).find(|&i| word(i) == ".") else {
        return;
    };
    if labels.get(stop + 1) != Some(&date) {
        return;
    }
    let name_word = |w: &str| {
        is_particle(w)
            || w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
            || w.contains('-') && capitalised(w)
    };
    let mut names = 0;
    let mut words = 0;
    for i in run.end..=stop {
        let w = word(i);
        if w == "," || w == "." || is_conjunction(w) {
            if !(words == 0 || (2..=4).contains(&words)) {
                return;
            }
            names += usize::from(words > 0);
            words = 0;
        } else if name_word(w) {
            words += 1;
        } else {
            return;
        }
    }
    if names >= 3 {
        relabel(labels, run.end..stop + 1, author);
    }
}

/// "[7] S. Kachru, D. Simic and S. P. Trivedi, JHEP 1005, 067 (2010)", "Phys. Lett. B428, 105
/// (1998)" (physics): after the comma that ends the authors or the title, a journal's name, its
/// volume, a comma, the page and the year in parentheses — a volume of four digits is no year
/// there, nor the journal's name a date. Words the tagger read as the title stay its.
fn journal_volume_page_year(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let volume_word = |w: &str| {
        let digits = w.trim_start_matches(|c: char| c.is_ascii_uppercase());
        w.len() - digits.len() <= 1
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let Some(at) = (1..labels.len()).find(|&i| {
        volume_word(word(i))
            && word(i + 1) == ","
            && is_page_range(word(i + 2))
            && word(i + 3) == "("
            && year_like(word(i + 4))
            && word(i + 5) == ")"
    }) else {
        return;
    };
    let Some(comma) = (0..at).rev().find(|&i| word(i) == ",") else {
        return;
    };
    let journal = comma + 1..at;
    let named = journal.clone().all(|i| {
        let w = word(i);
        w == "." || capitalised(w) || w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase())
    });
    let (author, title) = (Label::Author, Label::Title);
    let ends = [author, title].contains(&labels[comma]);
    let read_as_names = journal
        .clone()
        .any(|i| [author, title].contains(&labels[i]));
    if !named || !ends || read_as_names || journal.is_empty() || journal.len() > 10 {
        return;
    }
    relabel(labels, journal, Label::Venue);
    relabel(labels, at..at + 2, Label::Volume);
    relabel(labels, at + 2..at + 3, Label::Pages);
    relabel(labels, at + 3..at + 6, Label::Date);
}

/// "Cristina La Rocca, Luigi Provero, | The Dead and Their Gifts. | The Will of Eberhard…",
/// "Wordsworth, William, | The Prelude, | Jonathan Wordsworth, …": no name begins with "The"; in
/// an entry whose title the tagger has not found before it, "The" and a capitalised word after a
/// comma among the authors begin the title, which runs to the next comma or the names' end.
fn title_at_article_among_names(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(run) = first_run(labels, author) else {
        return;
    };
    if labels[..run.start].contains(&title) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let Some(start) = (run.start + 2..run.end.saturating_sub(1))
        .find(|&i| word(i) == "The" && word(i - 1) == "," && capitalised(word(i + 1)))
    else {
        return;
    };
    let end = (start..run.end)
        .find(|&i| word(i) == ",")
        .unwrap_or(run.end);
    relabel(labels, start..end, title);
}

/// "…, September 1996. Page 15", "Computer Architecture A Quantitative Approach, page 346.
/// Morgan Kaufman": "page" or "pages" before a page or a range names the pages, in an entry with
/// no others; a title the tagger ran on with ends before them.
fn pages_after_page_word(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (pages, title, other) = (Label::Pages, Label::Title, Label::Other);
    if labels.contains(&pages) {
        return;
    }
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let Some(at) = (0..labels.len()).find(|&i| {
        matches!(word(i), "page" | "Page" | "pages" | "Pages")
            && is_page_range(word(i + 1))
            && [title, other].contains(&labels[i])
            && labels[i + 1] == labels[i]
    }) else {
        return;
    };
    let in_title = labels[at] == title;
    let title_goes_on =
        labels.get(at + 2) == Some(&title) && word(at + 2).chars().any(char::is_alphanumeric);
    if in_title && (title_goes_on || at == 0 || word(at - 1) != ",") {
        return;
    }
    relabel(labels, at..at + 2, pages);
    if in_title {
        relabel(labels, at - 1..at, other);
    }
}

/// "Psychological Review, LXV, 1958, pp. 151-166", "Annales du Musée …, VII, 1998, p. 56-86": a
/// roman numeral standing between commas right after the journal's name is its volume, in an
/// entry with pages and no other volume.
fn roman_volume_after_venue(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let volume = Label::Volume;
    let Some(venue) = first_run(labels, Label::Venue) else {
        return;
    };
    if labels.contains(&volume) || !labels.contains(&Label::Pages) {
        return;
    }
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let at = if word(venue.end - 1) == "," {
        venue.end
    } else if word(venue.end) == "," {
        venue.end + 1
    } else {
        return;
    };
    let roman = !word(at).is_empty() && word(at).chars().all(|c| "IVXLCDM".contains(c));
    let free = |l: Label| ![Label::Pages, Label::Date].contains(&l);
    if roman && word(at + 1) == "," && free(labels[at]) {
        relabel(labels, at..at + 1, volume);
    }
}

/// "[1] A.H. Jacobs, …, Imaging in neurooncology, | NeuroRx 2 (2005) 333–347." (Elsevier): in an
/// entry without a venue, capitalised words after the last comma of a title that runs up to the
/// volume are the journal.
fn venue_read_as_title_end(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (title, venue) = (Label::Title, Label::Venue);
    let Some(run) = first_run(labels, title) else {
        return;
    };
    if labels.contains(&venue) || labels.get(run.end) != Some(&Label::Volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let Some(comma) = run.clone().rev().find(|&i| word(i) == ",") else {
        return;
    };
    let journal = comma + 1..run.end;
    let mut words = journal.clone().filter(|&i| word(i) != ".");
    if (1..=4).contains(&journal.len())
        && journal.start > run.start + 1
        && words.all(|i| capitalised(word(i)) || word(i).chars().all(char::is_uppercase))
    {
        relabel(labels, journal, venue);
    }
}

/// "WebQTL: web-based complex trait analysis. | Neuroinformatics 1, 299–308 (2003).": in an entry
/// without a venue, capitalised words the tagger read as the start of the volume, before its
/// number, are the journal.
fn venue_read_as_volume(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (volume, venue) = (Label::Volume, Label::Venue);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    if labels.contains(&venue) || labels[..run.start].contains(&volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    // "Neuroinformatics", "PLoS ONE", "JAMA"; not a roman numeral.
    let journal_word = |i: usize| {
        let w = word(i);
        let capitals = w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase());
        (capitalised(w) || capitals && !w.chars().all(|c| "IVXLCDM".contains(c)))
            && !w.bytes().any(|b| b.is_ascii_digit())
            && !is_volume_marker(&w.to_lowercase())
            && !matches!(
                w,
                "No" | "Nr"
                    | "Heft"
                    | "Issue"
                    | "Suppl"
                    | "Part"
                    | "Pt"
                    | "Band"
                    | "Bd"
                    | "Tome"
                    | "Jg"
            )
    };
    let words = run.clone().take_while(|&i| journal_word(i)).count();
    let number = run.start + words;
    if number >= run.end || !word(number).starts_with(|c: char| c.is_ascii_digit()) {
        return;
    }
    if words > 0 {
        relabel(labels, run.start..number, venue);
        return;
    }
    // "… in sputum. | Microbiology-Sgm | 148, 2951–2958 (2002).", "… Task Force. | JAMA, | 2016. |
    // 315(4): p. 388-406.": a journal read as the publisher, right before the volume's number or
    // the date before it, in an article with pages.
    let mut end = run.start;
    if end > 0 && labels[end - 1] == Label::Date {
        end = run_before(labels, end).start;
    }
    if end > 0 && labels[end - 1] == Label::Publisher && labels.contains(&Label::Pages) {
        let publisher = run_before(labels, end);
        if publisher
            .clone()
            .all(|i| journal_word(i) || matches!(word(i), "." | ","))
        {
            relabel(labels, publisher, venue);
        }
    }
}

/// The tokens up to `end` (not included) that have the label of the token before it.
fn run_before(labels: &[Label], end: usize) -> Range<usize> {
    let label = labels[end - 1];
    end - labels[..end]
        .iter()
        .rev()
        .take_while(|&&l| l == label)
        .count()..end
}

/// "[1] J.M. Raser, E.K. O'Shea, Noise in gene expression, Science 309 (2005) 2010–2013.": in
/// Elsevier's numbered style the pages follow the year in parentheses; a page number or range
/// the tagger ran into that date is the pages.
fn pages_after_parenthesised_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let pages = Label::Pages;
    let Some(run) = first_run(labels, Label::Date) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let Some(close) = run.clone().skip(2).find(|&i| word(i) == ")") else {
        return;
    };
    let after = close + 1;
    if word(close - 2) == "("
        && year_like(word(close - 1))
        && after < run.end
        && is_page_range(word(after))
        && !labels.contains(&pages)
    {
        relabel(labels, after..after + 1, pages);
    }
}

/// "[1] J.M. Raser, E.K. | O'Shea, Noise in gene expression": in a list of names written
/// initials first, a title does not begin right after a name's initials: the capitalised word
/// there, before a comma, is that name's surname.
fn surname_after_initials(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let author = Label::Author;
    let (Some(names), Some(title)) = (first_run(labels, author), first_run(labels, Label::Title))
    else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let start = title.start;
    if names.end == start
        && start >= 2
        && is_single_capital(word(names.start))
        && word(start - 1) == "."
        && is_single_capital(word(start - 2))
        && capitalised(word(start))
        && title.end > start + 2
        && word(start + 1) == ","
    {
        relabel(labels, start..start + 2, author);
    }
}

/// "(1983). … Science, 220 (4598), 671-680.": a number in parentheses right after the volume is
/// its issue, not a second date, when the entry's date came before.
fn issue_read_as_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (date, volume) = (Label::Date, Label::Volume);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    if labels.get(run.end) != Some(&date) || !labels[..run.start].contains(&date) {
        return;
    }
    let issue = run_from(labels, run.end);
    let words: Vec<&str> = issue
        .clone()
        .map(|i| &raw[tokens[i].span.clone()])
        .collect();
    if let ["(", number, ")", ..] = words[..] {
        if number.bytes().all(|b| b.is_ascii_digit()) {
            relabel(labels, issue.start..issue.start + 3, volume);
        }
    }
}

/// "Mental health: A | report focusing on depression", "Preparing psychologists for the | 21st
/// century: Proceedings…": an English title does not end on an article, a preposition or a
/// conjunction; the words after it up to the next punctuation mark are the title's.
fn title_ends_on_a_content_word(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let function_word = matches!(
        word(run.end - 1),
        "A" | "a"
            | "An"
            | "an"
            | "the"
            | "of"
            | "for"
            | "to"
            | "in"
            | "on"
            | "and"
            | "or"
            | "with"
            | "from"
            | "by"
            | "at"
            | "into"
            | "between"
    );
    if !function_word {
        return;
    }
    let kept = [Label::Date, Label::Volume, Label::Pages, Label::Doi];
    let end = (run.end..tokens.len())
        .find(|&i| !word(i).chars().any(char::is_alphanumeric) || kept.contains(&labels[i]))
        .unwrap_or(tokens.len());
    relabel(labels, run.end..end, Label::Title);
}

/// "HOGGART, Richard. 1957. Uses of Literacy.": in an entry without a title, a publisher right
/// after the names and the date is the title.
fn untitled_publisher_is_title(labels: &mut [Label]) {
    let title = Label::Title;
    if labels.contains(&title) {
        return;
    }
    let lead = [Label::Number, Label::Author, Label::Editor, Label::Date];
    let Some(first) = labels.iter().position(|l| !lead.contains(l)) else {
        return;
    };
    if first > 0 && labels[first] == Label::Publisher {
        relabel(labels, run_from(labels, first), title);
    }
}

/// "1990; Vol. 416.", "vols. 12–15": when the tagger labelled only the marker "Vol." as the volume
/// and the number right after it as pages, the number is the volume's.
fn volume_number_after_marker(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (volume, pages) = (Label::Volume, Label::Pages);
    let Some(run) = first_run(labels, volume) else {
        return;
    };
    let marker = |i: usize| {
        let w = &raw[tokens[i].span.clone()];
        !w.chars().any(char::is_alphanumeric) || is_volume_marker(&w.to_lowercase())
    };
    if run.clone().all(marker) && labels.get(run.end) == Some(&pages) {
        relabel(labels, run_from(labels, run.end), volume);
    }
}

/// "‘Forms of Time’. In The dialogic imagination, edited by…": when the tagger gave the venue
/// only "In" and labelled the book after it a title, the book is the venue.
fn book_after_in(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (title, venue) = (Label::Title, Label::Venue);
    let Some(run) = first_run(labels, venue) else {
        return;
    };
    let only_in = run
        .clone()
        .all(|i| matches!(&raw[tokens[i].span.clone()], "In" | "in" | ":"));
    if only_in && labels.get(run.end) == Some(&title) {
        relabel(labels, run_from(labels, run.end), venue);
    }
}

/// "H. Fensterheim e H.G. Birch, A Case Study of Group Ideology | and Individual Adjustment, |
/// “Journal of …”": the names come before the title, not in it; author words the tagger read right
/// after the title's last word, from a conjunction up to the next punctuation, are the title's.
fn title_goes_on_at_conjunction(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let (Some(names), Some(run)) = (first_run(labels, author), first_run(labels, title)) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: usize| word(i).chars().all(char::is_alphabetic);
    if names.start > run.start
        || labels.get(run.end) != Some(&author)
        || !is_word(run.end - 1)
        || !is_conjunction(&word(run.end).to_lowercase())
    {
        return;
    }
    let after = run_from(labels, run.end);
    let words = after.start + after.clone().take_while(|&i| is_word(i)).count();
    if words > after.start + 1 {
        relabel(labels, after.start..words, title);
    }
}

/// "Comparison of drug A vs. drug B": tokens the tagger left as other between two runs of the
/// title are the title's.
fn title_through_gaps(labels: &mut [Label]) {
    let (title, other) = (Label::Title, Label::Other);
    let Some(first) = first_run(labels, title) else {
        return;
    };
    let mut i = first.end;
    while i < labels.len() && labels[i] == other {
        i += 1;
    }
    if i > first.end && i < labels.len() && labels[i] == title {
        relabel(labels, first.end..i, title);
    }
}

/// "Nemeroff CB; APA Council of Research Task Force on Novel Biomarkers. Ketamine and other…": a
/// title begins after punctuation (a full stop, a colon, a quotation mark...). When the tagger
/// starts it right after a word of the authors and runs it on through a full stop, the words up
/// to that full stop are the end of the author list (here a group author after the persons).
fn title_starts_after_punctuation(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, end }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    if start == 0
        || labels[start - 1] != author
        || !word(start - 1).chars().any(char::is_alphanumeric)
    {
        return;
    }
    let stop = (start + 1..end.saturating_sub(1))
        .find(|&i| word(i) == "." && !is_single_capital(word(i - 1)));
    if let Some(stop) = stop {
        relabel(labels, start..stop + 1, author);
    }
}

/// "Zarate CA, Singh JB: A randomized trial…" (the style of BioMed Central): the author list ends
/// with a colon; a name between the authors' comma or conjunction and that colon is the last
/// author, not the title's start: in the Vancouver form ("Singh JB", "van der Meer JB"), initials
/// first ("…, and A. Vermeulen : Agricultural air quality…") or the given name of an inverted
/// last name ("…, Michael und Willmann, Marc: Integrierte…").
fn last_author_before_colon(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, end }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let joined = |i: usize| is_conjunction(&word(i).to_lowercase());
    // "and A. | Vermeulen :": the tagger started the title at the surname of a name written
    // initials first (not "Young, R. | HOLINS:", an inverted name before the title).
    let mut initials_start = start;
    while initials_start >= 2
        && word(initials_start - 1) == "."
        && is_initial(word(initials_start - 2))
    {
        initials_start -= 2;
    }
    let after_initial = initials_start < start && initials_start > 0 && joined(initials_start - 1);
    if start == 0
        || labels[start - 1] != author
        || word(start - 1) != "," && !joined(start - 1) && !after_initial
    {
        return;
    }
    let Some(colon) = (start + 1..end.min(start + 6)).find(|&i| word(i) == ":") else {
        return;
    };
    let surname = |w: &str| {
        is_particle(w) || w.chars().next().is_some_and(char::is_uppercase) && !is_initial(w)
    };
    let name = &(start..colon).map(word).collect::<Vec<_>>();
    let vancouver = word(start - 1) == ","
        && name.len() >= 2
        && is_initial(name[name.len() - 1])
        && name[..name.len() - 1].iter().all(|w| surname(w));
    let initials = name
        .chunks(2)
        .take_while(|p| p.len() == 2 && is_initial(p[0]) && p[1] == ".");
    let surname_at = 2 * initials.count();
    let initials_first = (surname_at > 0 || after_initial)
        && (1..=2).contains(&(name.len() - surname_at))
        && name[surname_at..].iter().all(|w| surname(w));
    let given_name = word(start - 1) == ","
        && start >= 3
        && joined(start - 3)
        && capitalised(word(start - 2))
        && name.len() <= 2
        && name.iter().all(|w| capitalised(w) && !is_initial(w));
    if vancouver || initials_first || given_name {
        relabel(labels, start..colon + 1, author);
    }
}

/// "Am J Psychiatry 2018, 175:150–158": a year that ends the venue, right before the volume, is the
/// date of an entry that has no other.
fn year_between_venue_and_volume(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (venue, date, volume) = (Label::Venue, Label::Date, Label::Volume);
    let Some(Range { start, end }) = first_run(labels, venue) else {
        return;
    };
    if labels.contains(&date) || labels.get(end) != Some(&volume) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let last = (start..end)
        .rev()
        .find(|&i| word(i).chars().any(char::is_alphanumeric));
    if let Some(last) = last.filter(|&i| i > start && year_like(word(i))) {
        relabel(labels, last..end, date);
    }
}

/// The tokens of the first run of `label`.
pub(super) fn first_run(labels: &[Label], label: Label) -> Option<Range<usize>> {
    let start = labels.iter().position(|&l| l == label)?;
    Some(run_from(labels, start))
}

/// The tokens from `start` on that have its label.
fn run_from(labels: &[Label], start: usize) -> Range<usize> {
    let label = labels[start];
    start..start + labels[start..].iter().take_while(|&&l| l == label).count()
}

/// Give the tokens in `range` the label `to`.
fn relabel(labels: &mut [Label], range: Range<usize>, to: Label) {
    labels[range].iter_mut().for_each(|l| *l = to);
}

/// What title tokens cut off a title become: the venue, unless the entry has one.
fn venue_or_other(labels: &[Label]) -> Label {
    let venue = Label::Venue;
    if labels.contains(&venue) {
        Label::Other
    } else {
        venue
    }
}

/// "Title. In: Mathew SJ, Zarate CA Jr, editors. Book": names the tagger read as authors beside
/// an editor run are editors — after the entry's first authors, or between two editor runs; and
/// so are names it read as the venue between two editor runs ("In Rumelhart, D. E., & | The PDP
/// research group | (Eds.)") or right before editors that end with their role ("In | Jean-Luc
/// Gaudiot and | Lubomir Bic, editors, | Advanced Topics…") when the book follows.
fn names_among_editors(raw: &str, tokens: &[Token], labels: &mut [Label]) {
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

/// "Title. In K. Jones (Ed.), Book title": a second title right after the editors is the book
/// that contains the first, its venue.
fn book_after_editors(labels: &mut [Label]) {
    let (title, editor) = (Label::Title, Label::Editor);
    let Some(first) = first_run(labels, title) else {
        return;
    };
    let book = (first.end..labels.len()).find(|&i| labels[i] == title && labels[i - 1] == editor);
    if let Some(book) = book {
        relabel(labels, run_from(labels, book), Label::Venue);
    }
}

/// Whether the names ending at token `last` are editors: "Ching, B., & Creed, G. W., eds.", "Ewing,
/// D. W. (ed.)", "Huf, C. & Schnell, I. Hrsg.", whether or not the tagger counted the role word in.
pub(super) fn names_editors(raw: &str, tokens: &[Token], last: usize) -> bool {
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
fn is_role(raw: &str, tokens: &[Token], i: usize) -> bool {
    match &raw[tokens[i].span.clone()] {
        "Ed" => i > 0 && &raw[tokens[i - 1].span.clone()] == "(",
        w => is_editor_word(&w.to_lowercase()),
    }
}

/// "In K. Jones (Ed.), A book (pp. 1-20)": names followed by their role in parentheses end there;
/// words the tagger ran on with after it are the book, its venue (when the entry has none). Not
/// "ed. Gerald Bonner" or "(ed. and trans.)", where names may follow the role.
fn editors_end_at_role(raw: &str, tokens: &[Token], labels: &mut [Label]) {
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

/// "Foley, J. D., …, Hughes, J. F., Computer Graphics: Principles and Practice, pp. 992-996,
/// Addison-Wesley, Massachusetts 1990.": in an entry without a title, volume or editors, with a
/// publisher, what the tagger read as a container right after the authors (and their date) is the
/// book's title.
fn untitled_book_after_authors(labels: &mut [Label]) {
    let (author, date, venue) = (Label::Author, Label::Date, Label::Venue);
    let missing = [Label::Title, Label::Volume, Label::Editor];
    if missing.iter().any(|l| labels.contains(l)) || !labels.contains(&Label::Publisher) {
        return;
    }
    let (Some(names), Some(book)) = (first_run(labels, author), first_run(labels, venue)) else {
        return;
    };
    let mut at = names.end;
    if labels.get(at) == Some(&date) {
        at = run_from(labels, at).end;
    }
    if at == book.start {
        relabel(labels, book, Label::Title);
    }
}

/// "Good chemistry. (1996, September). Wake Forest University Magazine, 44(1)" (APA): a work
/// without authors is cited by its title, in the authors' place. In an entry without a title
/// whose first part, read as authors and followed by the date, holds a lowercase word that no name
/// has (not a particle, "and", "et al.") and that names no organisation ("U.S. Department of
/// Veterans Affairs"), that part is the title.
fn untitled_words_before_date(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(run) = opening_run_without_title(labels, Label::Author) else {
        return;
    };
    if labels.get(run.end) != Some(&Label::Date) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let common = |i: usize| {
        let w = word(i);
        w.chars().next().is_some_and(char::is_lowercase)
            && w.chars().all(char::is_alphabetic)
            && !is_particle(w)
            && !is_conjunction(w)
            && !matches!(w, "et" | "al" | "y" | "e")
            && !is_editor_word(w)
    };
    let words: Vec<&str> = run.clone().map(word).collect();
    if run.clone().any(common) && !is_organisation(&words) {
        relabel(labels, run, Label::Title);
    }
}

/// The run of tokens that opens an entry without a title (after its list number), if it has
/// `label`.
fn opening_run_without_title(labels: &[Label], label: Label) -> Option<Range<usize>> {
    let first = labels.iter().position(|&l| l != Label::Number)?;
    (labels[first] == label && !labels.contains(&Label::Title)).then(|| run_from(labels, first))
}

/// "Ghost Stories. Ed. Peter Washington. New York: Knopf, 2008." (MLA): "Ed." or "Eds." opening
/// a sentence means "edited by", so the names follow it; in an entry without a title that begins
/// with what the tagger read as editors, the words before that sentence are the title. ("Cove,
/// John J., and George F. MacDonald, eds. Tsimshian Narratives": after a comma, the role is the
/// names' before it.)
fn title_before_edited_by(raw: &str, tokens: &[Token], labels: &mut [Label]) {
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

/// "Binstock, R. H., & George, L. K. (Eds.). (1990). Handbook of aging": in an entry that begins
/// with its editors and has no title, what the tagger read as a container is the book's title.
fn edited_book_title(raw: &str, tokens: &[Token], labels: &mut [Label]) {
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

/// "Title. In Book title" / "Title, in: Book title": a title ends where "In" opens the book or
/// proceedings that contain it; the tagger's title tokens from there are the venue when the entry
/// has none.
fn end_title_at_in(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let opens_book = |i: usize| {
        let after_stop = matches!(word(i - 1), "." | "?" | "!" | "’" | "”" | "\"");
        let colon = i + 1 < tokens.len() && word(i + 1) == ":";
        (word(i) == "In" && (after_stop || colon)) || (word(i) == "in" && colon)
    };
    if let Some(at) = (start + 2..end).find(|&i| opens_book(i)) {
        relabel(labels, at..end, venue_or_other(labels));
    }
}

/// "Adolf Hitler, Mein Kampf, trans. James Vincent Murphy (London: …)", "Homo Academicus, Peter
/// Collier (trans.) (…)", "… des Todes. Übersetzt von Johann Jancke.": a title or a book ends
/// where its translator is named; the translator is neither.
fn title_ends_at_translator(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    let is = |i: usize, w: &str| word(i).eq_ignore_ascii_case(w);
    // "trans." / "transl." / "trad.", or "translated by", "trad. fr. par", "übersetzt von".
    let by = |i: usize| (i + 1..i + 4).any(|j| is(j, "by") || is(j, "par") || is(j, "von"));
    let names_translator = |i: usize| {
        if is(i, "trans") || is(i, "transl") {
            word(i + 1) == "."
        } else if is(i, "trad") {
            word(i + 1) == "." || by(i)
        } else {
            let verbs = [
                "translated",
                "traduit",
                "übersetzt",
                "Übersetzt",
                "ubersetzt",
            ];
            verbs.iter().any(|v| is(i, v)) && by(i)
        }
    };
    let other = Label::Other;
    for part in [Label::Title, Label::Venue] {
        let Some(Range { start, end }) = first_run(labels, part) else {
            continue;
        };
        if let Some(at) =
            (start + 2..end).find(|&i| matches!(word(i - 1), "," | ".") && names_translator(i))
        {
            relabel(labels, at - 1..end, other);
            continue;
        }
        // Names between the title's last comma and the role in parentheses right after it: a
        // translator's, or an editor's ("Oeuvres complètes, Y.-G. Le Dantec (ed.)").
        let translator = word(end + 1)
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case("trans"));
        let editor = is_editor_word(&word(end + 1).to_lowercase());
        if part != Label::Title || word(end) != "(" || !(translator || editor) {
            continue;
        }
        let Some(comma) = (start + 1..end).rev().find(|&i| word(i) == ",") else {
            continue;
        };
        let names = comma + 1..end;
        let name_word = |i: usize| {
            capitalised(word(i))
                || is_single_capital(word(i))
                || is_particle(word(i))
                || matches!(word(i), "." | "-" | "and" | "&")
        };
        if (2..=8).contains(&names.len()) && names.clone().all(name_word) {
            relabel(labels, comma..end, other);
            if editor {
                relabel(labels, names, Label::Editor);
            }
        }
    }
}

/// "Pettingill, Olin Sewall, Jr. “Falcon and Falconry.”", "McKinney, George W., III. An
/// Experimental Study…": a generation after the names and a comma is the last name's, not the
/// title's first word.
fn generation_ends_the_names(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(Range { start, .. }) = first_run(labels, title) else {
        return;
    };
    let word = |i: usize| tokens.get(i).map_or("", |t| &raw[t.span.clone()]);
    if start < 2 || word(start - 1) != "," || labels[start - 2] != author {
        return;
    }
    if matches!(word(start), "Jr" | "Sr" | "II" | "III" | "IV") {
        let end = if word(start + 1) == "." {
            start + 2
        } else {
            start + 1
        };
        if labels[start..end].iter().all(|&l| l == title) {
            relabel(labels, start - 1..end, author);
        }
    }
}

/// "Da Matta, Roberto. Carnivals, Rogues, and Heroes: …": an inverted name ends at the full stop
/// after a whole given name; author words the tagger ran on with, right before the title, are the
/// title's first words. "Stein, Stanley J. Vassouras, a Brazilian …", "Beetz, Manfred, Frühmoderne
/// Höflichkeit": in the styles that write a first author as "Surname, Given", a second author is
/// joined by "and", "&" or ";"; with none of them, what follows the first author is the title.
fn authors_end_after_given_name(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let title = Label::Title;
    let Some(Range { start, end }) = first_run(labels, Label::Author) else {
        return;
    };
    let title_next = labels.get(end) == Some(&title);
    if !title_next && labels.contains(&title) {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let is_word = |i: &usize| word(*i).chars().any(char::is_alphanumeric);
    if let Some((rest, whole_given)) = after_inverted_first_author(raw, tokens, start..end) {
        // Names between the first author and a conjunction: none ("Ching, Barbara, and Gerald W.
        // Creed"), a list ending in a comma ("…, Aruni RoyChowdhury, and"), or names ("Reiser,
        // Helmut, Urban, Michael und …"); not one word or words with a colon joined by it
        // ("Debussy, Claude, Pelléas et Mélisande").
        let names_before = |i: usize| {
            let words: Vec<&str> = (rest..i).filter(is_word).map(word).collect();
            word(i - 1) == ","
                || words.is_empty()
                || words.len() >= 2
                    && !(rest..i).any(|j| word(j) == ":")
                    && words
                        .iter()
                        .all(|w| capitalised(w) || is_particle(w) || is_initial(w))
        };
        let joined = |i: usize| {
            let lower = word(i).to_lowercase();
            (is_conjunction(&lower) || matches!(word(i), "y" | ";") || is_editor_word(&lower))
                && names_before(i)
        };
        let after_given = given_name(word(rest - 1)) && rest < end && word(rest) == ".";
        // After initials only ("Forster, E. M. Howards End"), more initials are another author.
        let more_names = !whole_given && (rest..end).any(|i| is_initial(word(i)));
        if after_given || !((rest..end).any(joined) || more_names) {
            if let Some(first) = (rest..end).find(is_word) {
                relabel(labels, first..end, title);
            }
            return;
        }
    }
    if !title_next {
        return;
    }
    let stop = (start + 2..end).find(|&i| {
        word(i) == "." && given_name(word(i - 1)) && (start..i - 1).any(|j| word(j) == ",")
    });
    if let Some(stop) = stop {
        relabel(labels, stop + 1..end, title);
    }
}

/// "Kathryn Harriman, Paul Houston, | Bill Senior, and Endre Suli. | hp-version…", "Yann LeCun, |
/// Léon Bottou, | Yoshua Bengio…": when the authors are written given name first and the
/// tagger's author run ends at a comma, names it read as the first words of the title are the
/// authors' (up to the full stop after a surname, or up to the authors it read after them).
fn authors_continue_after_comma(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let (author, title) = (Label::Author, Label::Title);
    let Some(run) = first_run(labels, author) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    if word(run.end - 1) != "," || labels.get(run.end) != Some(&title) {
        return;
    }
    let separator = |i: usize| separates_names(word(i));
    // Each author of the run: two words or more, the last a surname ("J. M. Smith").
    let given_first = run
        .clone()
        .filter(|&i| word(i) != ".")
        .collect::<Vec<_>>()
        .split(|&i| separator(i))
        .filter(|name| !name.is_empty())
        .all(|name| name.len() >= 2 && capitalised(word(name[name.len() - 1])));
    if !given_first {
        return;
    }
    let names = run_from(labels, run.end);
    let (mut words, mut end) = (0, None);
    for i in names.clone() {
        let w = word(i);
        if separator(i) {
            if words == 1 || i == names.start {
                return;
            }
            words = 0;
            if i + 1 == names.end && labels.get(names.end) == Some(&author) {
                end = Some(names.end);
            }
        } else if w == "." {
            if is_single_capital(word(i - 1)) {
                continue;
            }
            // More than one name ("Computer Graphics." alone may be a title in capitals).
            let more = (names.start..i).any(separator);
            if words >= 2 && capitalised(word(i - 1)) && more {
                end = Some(i + 1);
            }
            break;
        } else if (w.chars().next().is_some_and(char::is_uppercase) || is_particle(w)) && words < 4
        {
            words += 1;
        } else {
            return;
        }
    }
    if let Some(end) = end {
        relabel(labels, names.start..end, author);
    }
}

/// "[1] J. M. Maldacena, Adv. Theor. Math. Phys. 2 (1998)", "S. Kachru and S. P. Trivedi, JHEP
/// 1005": after names written initials first, a lone word without initials at the end of the
/// tagger's author run is no person but the journal's first word (physics styles give no title);
/// words without initials there before the title are the title's.
fn journal_after_initials_first_names(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let author = Label::Author;
    let Some(run) = first_run(labels, author) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let separator = |i: usize| separates_names(word(i));
    let names: Vec<usize> = run.clone().filter(|&i| word(i) != ".").collect();
    let mut names: Vec<&[usize]> = names.split(|&i| separator(i)).collect();
    let Some(last) = names.pop() else {
        return;
    };
    let names: Vec<&[usize]> = names.into_iter().filter(|n| !n.is_empty()).collect();
    let initials_first = |name: &[usize]| {
        name.len() >= 2
            && is_single_capital(word(name[0]))
            && word(name[name.len() - 1]).chars().any(char::is_lowercase)
    };
    let no_initials = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && !is_initial(w);
    if last.is_empty()
        || !no_initials(word(last[0]))
        || names.is_empty()
        || !names.iter().all(|n| initials_first(n))
    {
        return;
    }
    let next = labels.get(run.end).copied().filter(|&l| l != author);
    let title = Label::Title;
    // The title's first token, at most one token on ("Subramanian, | Withania somnifera L. | (").
    let title_next = (run.end..(run.end + 2).min(labels.len())).find(|&i| labels[i] == title);
    if let [_] = last {
        relabel(labels, last[0]..run.end, next.unwrap_or(Label::Venue));
    } else if let (Some(start), true) = (title_next, names.len() >= 2) {
        // "V. P. Oza, …, R. B. Subramanian, | Withania somnifera L. (Ashwagandha): a novel…"
        // (Science): words without initials after such names begin the title.
        relabel(labels, last[0]..start, title);
    }
}

/// A word with a capital first and lowercase letters: "Duman", "LeCun" (not "RS", "van").
fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
}

/// Whether a token separates the names of a list: a comma, "and", "&"...
fn separates_names(w: &str) -> bool {
    w == "," || is_conjunction(&w.to_lowercase())
}

/// A whole given name: "Roberto", "Stanley" (not "J", "Eds", "Jr").
fn given_name(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && w.chars().count() >= 3
        && chars.all(char::is_lowercase)
        && !matches!(w, "Eds" | "Hrsg" | "Jr" | "Sr")
}

/// Where the first author of `run` ends when it is written "Surname, Given [Initial.]" ("Da
/// Matta, Roberto", "Stein, Stanley J.") or "Surname, I." ("Forster, E. M.", "DUPRAT, H."): the token after its
/// given names and initials, and whether it has a whole given name.
fn after_inverted_first_author(
    raw: &str,
    tokens: &[Token],
    run: Range<usize>,
) -> Option<(usize, bool)> {
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let comma = (run.start + 1..(run.start + 4).min(run.end)).find(|&i| word(i) == ",")?;
    // A surname in capitals only alone ("DUPRAT, H."; "Fan HD, Liu J" is Vancouver).
    let capitals = |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_uppercase);
    let surname_word = |i: usize| {
        capitalised(word(i))
            || is_particle(word(i))
            || (comma == run.start + 1 && capitals(word(i)))
    };
    if !(run.start..comma).all(surname_word)
        || comma + 1 >= run.end
        || !(given_name(word(comma + 1)) || is_single_capital(word(comma + 1)))
    {
        return None;
    }
    // Whole given names first, then initials (with their full stops) and particles.
    let mut at = comma + 1;
    while at < run.end && given_name(word(at)) && at < comma + 3 {
        at += 1;
    }
    let whole = at > comma + 1;
    while at < run.end && (is_single_capital(word(at)) || is_particle(word(at))) {
        at += 1;
        if at < run.end && word(at) == "." && is_single_capital(word(at - 1)) {
            at += 1;
        }
    }
    Some((at, whole))
}

/// "P. Yang and J. H. Chern “Design for Reliability,” Proc. IEEE": a quoted title begins with its
/// quotation; author words the tagger ran into the title before the opening quotation mark stay
/// the authors'.
fn start_title_at_quote(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    if start == 0 || labels[start - 1] != Label::Author {
        return;
    }
    let word = |i: usize| &raw[tokens[i].span.clone()];
    let opens = |w: &str| matches!(w, "“" | "«" | "„" | "\"");
    let Some(open) = (start + 1..(start + 6).min(end)).find(|&i| opens(word(i))) else {
        return;
    };
    let closes = |w: &str| matches!(w, "”" | "»" | "“" | "\"");
    let closed = (open + 2..(end + 2).min(tokens.len())).any(|i| closes(word(i)));
    // Only name material before the quotation: capitalised words and the marks between names.
    let name_part = |i: usize| {
        let w = word(i);
        matches!(w, "," | "." | ")")
            || w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1
    };
    let named = (0..start).any(|i| labels[i] == Label::Author && name_part(i));
    if closed && named && (start..open).all(name_part) {
        relabel(labels, start..open, Label::Author);
    }
}

/// "“Speaker verification,” Digital signal processing": a quoted title ends with its quotation.
/// The tagger's title tokens after it are the venue when the entry has none, else left out.
fn end_title_at_quote(raw: &str, tokens: &[Token], labels: &mut [Label]) {
    let Some(Range { start, end }) = first_run(labels, Label::Title) else {
        return;
    };
    let word = |i: usize| &raw[tokens[i].span.clone()];
    // The marks that close the quotation, and the one that opens a quotation nested in it with
    // the same marks ("« La « société civile » dans … »").
    let (closes, nests): (&[&str], &str) = match (word(start), start.checked_sub(1).map(word)) {
        ("“" | "„", _) | (_, Some("“" | "„")) => (&["”", "“"], "„"),
        ("\"", _) | (_, Some("\"")) => (&["\""], ""),
        ("«", _) | (_, Some("«")) => (&["»"], "«"),
        ("‘", _) | (_, Some("‘")) => (&["’"], "‘"),
        ("`", _) | (_, Some("`")) => (&["'"], "`"),
        _ => return,
    };
    let first = if word(start).chars().any(char::is_alphanumeric) {
        start
    } else {
        start + 1
    };
    let mut depth = 0;
    let Some(close) = (first..end).find(|&i| {
        if word(i) == nests {
            depth += 1;
        } else if closes.contains(&word(i)) {
            if depth == 0 {
                return true;
            }
            depth -= 1;
        }
        false
    }) else {
        return;
    };
    if !(first..close).any(|i| word(i).chars().any(char::is_alphanumeric)) {
        return;
    }
    relabel(labels, close + 1..end, venue_or_other(labels));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::clean_title;
    use crate::reference::tokenize::tokenize;

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
        before: Label,
        after: Label,
    ) -> Vec<Label> {
        let at = token_at(text, tokens, word);
        (0..tokens.len())
            .map(|i| if i < at { before } else { after })
            .collect()
    }

    /// Assert that `rule` leaves alone the labels of `text` split at `word` into `before` and
    /// `after`.
    fn assert_left_alone(
        rule: fn(&str, &[Token], &mut [Label]),
        text: &str,
        word: &str,
        before: Label,
        after: Label,
    ) {
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, word, before, after);
        let unchanged = labels.clone();
        rule(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged, "{text}");
    }

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
    fn an_untitled_entry_takes_its_title_from_the_publisher_after_the_names() {
        let (a, d, p, t, l) = (
            Label::Author,
            Label::Date,
            Label::Publisher,
            Label::Title,
            Label::Location,
        );
        let mut labels = vec![a, a, d, p, p, l];
        untitled_publisher_is_title(&mut labels);
        assert_eq!(labels, [a, a, d, t, t, l]);
        // With a title, or a publisher later in the entry, or no names before it: left alone.
        for labels in [vec![a, t, p, p], vec![a, d, l, p], vec![p, p, d]] {
            let mut mended = labels.clone();
            untitled_publisher_is_title(&mut mended);
            assert_eq!(mended, labels);
        }
    }

    #[test]
    fn a_title_does_not_end_on_an_article_or_a_preposition() {
        let text = "Bickman, L. (Ed.). (1990). Preparing psychologists for the 21st century: Proceedings of a conference. Hillsdale: Erlbaum.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "21st", Label::Title, Label::Venue);
        relabel(
            &mut labels,
            0..token_at(text, &tokens, "Preparing"),
            Label::Editor,
        );
        title_ends_on_a_content_word(text, &tokens, &mut labels);
        let colon = token_at(text, &tokens, ":");
        assert_eq!(labels[colon - 1], Label::Title, "'century'");
        assert_eq!(labels[colon], Label::Venue);
        // Not past a date, nor when the title ends on a content word.
        let text = "Smith J. A history of 1990. London.";
        assert_left_alone(
            title_ends_on_a_content_word,
            text,
            "1990",
            Label::Title,
            Label::Date,
        );
        let text = "Smith J. A history of London. Oxford.";
        assert_left_alone(
            title_ends_on_a_content_word,
            text,
            "Oxford",
            Label::Title,
            Label::Venue,
        );
    }

    #[test]
    fn a_number_in_parentheses_after_the_volume_is_its_issue() {
        let text = "Kirkpatrick, S. (1983). Optimization. Science, 220 (4598), 671-680.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Science", Label::Date, Label::Venue);
        let volume = token_at(text, &tokens, "220");
        relabel(&mut labels, volume..volume + 1, Label::Volume);
        relabel(&mut labels, volume + 1..volume + 4, Label::Date);
        relabel(&mut labels, volume + 4..tokens.len(), Label::Pages);
        issue_read_as_date(text, &tokens, &mut labels);
        assert_eq!(labels[volume + 2], Label::Volume, "4598");
        assert_eq!(labels[volume + 4], Label::Pages, "the comma after it");
        // Without a date before the volume, the parentheses hold the date.
        let text = "Smith J. Optimization. Science, 220 (1983), 671-680.";
        assert_left_alone(issue_read_as_date, text, "(", Label::Volume, Label::Date);
    }

    #[test]
    fn names_given_first_continue_after_a_comma() {
        let text = "Kathryn Harriman, Paul Houston, Bill Senior, and Endre Suli. Discontinuous Galerkin methods. Technical report, 2002.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Bill", Label::Author, Label::Title);
        authors_continue_after_comma(text, &tokens, &mut labels);
        let title = token_at(text, &tokens, "Discontinuous");
        assert_eq!(
            labels[title - 1],
            Label::Author,
            "the full stop after 'Suli'"
        );
        assert_eq!(labels[title], Label::Title);
        // A name read as the title between two runs of authors.
        let text = "Yann LeCun, Léon Bottou, Yoshua Bengio. Gradient-based learning.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Léon", Label::Author, Label::Author);
        let (leon, yoshua) = (
            token_at(text, &tokens, "Léon"),
            token_at(text, &tokens, "Yoshua"),
        );
        relabel(&mut labels, leon..yoshua, Label::Title);
        let gradient = token_at(text, &tokens, "Gradient-based");
        relabel(&mut labels, gradient..tokens.len(), Label::Title);
        authors_continue_after_comma(text, &tokens, &mut labels);
        assert!(labels[..gradient].iter().all(|&l| l == Label::Author));
        // An inverted first author ("Beetz, Manfred, | Frühmoderne Höflichkeit."), initials after
        // the surname, or a title that is no name are left alone.
        for (text, at) in [
            (
                "Beetz, Manfred, Frühmoderne Höflichkeit. Stuttgart, 1990.",
                "Frühmoderne",
            ),
            (
                "Smith J, Jones K, Pelvic Fractures. J Trauma. 2010.",
                "Pelvic",
            ),
            (
                "Paul Houston, On discontinuous methods. Report, 2002.",
                "On",
            ),
        ] {
            assert_left_alone(
                authors_continue_after_comma,
                text,
                at,
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn a_lone_word_after_initials_first_names_is_the_journal() {
        let text = "[21] J. Polchinski, Int. J. Mod. Phys. A16, 707-718 (2001).";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "J", Label::Number, Label::Author);
        let journal = token_at(text, &tokens, "Int");
        relabel(&mut labels, journal + 2..tokens.len(), Label::Venue);
        journal_after_initials_first_names(text, &tokens, &mut labels);
        assert_eq!(labels[journal - 1], Label::Author, "the comma");
        assert_eq!(labels[journal], Label::Venue);
        assert_eq!(labels[journal + 1], Label::Venue, "its full stop");
        // Names with initials after them, a last name of two words or with initials, stay.
        for text in [
            "Smith J, Jones K, Brown. A title. Lancet. 2001.",
            "J. Smith, K. Jones and L. Brown. A title. Lancet. 2001.",
            "J. Smith, Karen Jones. A title. Lancet. 2001.",
        ] {
            assert_left_alone(
                journal_after_initials_first_names,
                text,
                "A",
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn words_without_initials_after_initials_first_names_begin_the_title() {
        let text = "V. P. Oza, R. B. Subramanian, Withania somnifera L. (Ashwagandha): a source.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "L", Label::Author, Label::Title);
        journal_after_initials_first_names(text, &tokens, &mut labels);
        let start = token_at(text, &tokens, "Withania");
        assert_eq!(labels[start - 1], Label::Author, "the comma");
        assert!(labels[start..].iter().all(|&l| l == Label::Title));
        // The tagger's title may begin a token later ("L. | ( | Ashwagandha").
        let mut labels = labels_split(text, &tokens, "(", Label::Author, Label::Title);
        let open = token_at(text, &tokens, "(");
        labels[open] = Label::Date;
        journal_after_initials_first_names(text, &tokens, &mut labels);
        assert!(labels[start..open].iter().all(|&l| l == Label::Title));
        // One name before: left alone.
        assert_left_alone(
            journal_after_initials_first_names,
            "J. Smith, Karen Jones, A title. Lancet 2001.",
            "A",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_surname_follows_its_initials() {
        let text = "[1] J.M. Raser, E.K. O'Shea, Noise in gene expression, Science 309 (2005).";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "O'Shea", Label::Author, Label::Title);
        relabel(&mut labels, 0..3, Label::Number);
        surname_after_initials(text, &tokens, &mut labels);
        let at = token_at(text, &tokens, "O'Shea");
        assert_eq!(labels[at], Label::Author);
        assert_eq!(labels[at + 1], Label::Author, "its comma");
        assert_eq!(labels[at + 2], Label::Title);
        // Initials after the surname (Vancouver with full stops): the title is left alone.
        assert_left_alone(
            surname_after_initials,
            "Krystal J.H. Ketamine, NMDA and depression. Lancet 2001.",
            "Ketamine",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn pages_after_a_year_in_parentheses() {
        let text = "Science 309 (2005) 2010–2013.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "(", Label::Venue, Label::Date);
        pages_after_parenthesised_date(text, &tokens, &mut labels);
        let pages = token_at(text, &tokens, "2010–2013");
        assert_eq!(labels[pages], Label::Pages);
        assert_eq!(labels[pages - 1], Label::Date);
        assert!(is_page_range("e137") && is_page_range("D497–D501") && is_page_range("64"));
        assert!(!is_page_range("May") && !is_page_range("1-2-3"));
        // No year in parentheses before it, or pages elsewhere: left alone.
        assert_left_alone(
            pages_after_parenthesised_date,
            "Science 309, 2005 2010.",
            "2005",
            Label::Venue,
            Label::Date,
        );
        let text = "Science 309 (2005) 12, 2010–2013.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "(", Label::Venue, Label::Date);
        let last = token_at(text, &tokens, "2010–2013");
        labels[last] = Label::Pages;
        let unchanged = labels.clone();
        pages_after_parenthesised_date(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged);
    }

    #[test]
    fn a_journal_read_as_the_volume() {
        let text = "WebQTL: trait analysis. Neuroinformatics 1, 299–308 (2003).";
        let tokens = tokenize(text);
        let mut labels = labels_split(
            text,
            &tokens,
            "Neuroinformatics",
            Label::Title,
            Label::Volume,
        );
        let pages = token_at(text, &tokens, "299–308");
        relabel(&mut labels, pages..tokens.len(), Label::Date);
        venue_read_as_volume(text, &tokens, &mut labels);
        let at = token_at(text, &tokens, "Neuroinformatics");
        assert_eq!(labels[at], Label::Venue);
        assert_eq!(labels[at + 1], Label::Volume);
        // Read as the publisher right before the volume's number, in an article with pages.
        let mut labels = labels_split(
            text,
            &tokens,
            "Neuroinformatics",
            Label::Title,
            Label::Volume,
        );
        labels[at] = Label::Publisher;
        relabel(&mut labels, pages..tokens.len(), Label::Pages);
        venue_read_as_volume(text, &tokens, &mut labels);
        assert_eq!(labels[at], Label::Venue);
        // Volume markers, or an entry with a venue: left alone.
        assert_left_alone(
            venue_read_as_volume,
            "A title. Vol 12, 3-4.",
            "Vol",
            Label::Title,
            Label::Volume,
        );
        let text = "A title. Nature, Band 12.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Band", Label::Venue, Label::Volume);
        let unchanged = labels.clone();
        venue_read_as_volume(text, &tokens, &mut labels);
        assert_eq!(labels, unchanged);
    }

    #[test]
    fn a_journal_at_the_end_of_the_title() {
        let text = "[1] A.H. Jacobs, Imaging in neurooncology, NeuroRx 2 (2005) 333–347.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Imaging", Label::Author, Label::Title);
        let volume = token_at(text, &tokens, "2");
        relabel(&mut labels, volume..tokens.len(), Label::Volume);
        venue_read_as_title_end(text, &tokens, &mut labels);
        assert_eq!(labels[volume - 1], Label::Venue);
        assert_eq!(labels[volume - 2], Label::Title, "the comma");
        // Lowercase words after the comma, or an entry with a venue: left alone.
        assert_left_alone(
            venue_read_as_title_end,
            "Smith, J. Noise, order and chaos 12.",
            "12",
            Label::Title,
            Label::Volume,
        );
    }

    #[test]
    fn a_title_runs_through_a_gap_the_tagger_left() {
        let (t, o, v) = (Label::Title, Label::Other, Label::Venue);
        let mut labels = vec![t, t, o, o, t, t, v];
        title_through_gaps(&mut labels);
        assert_eq!(labels, [t, t, t, t, t, t, v]);
        // A gap that does not end in the title is left alone.
        let mut labels = vec![t, t, o, v, t];
        title_through_gaps(&mut labels);
        assert_eq!(labels, [t, t, o, v, t]);
    }

    #[test]
    fn a_title_starts_after_punctuation_not_inside_the_authors() {
        let text = "Nemeroff CB; APA Task Force on Novel Biomarkers. Ketamine and NMDA antagonists. Am J Psychiatry. 2015;172:950-66.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Task", Label::Author, Label::Title);
        let venue = token_at(text, &tokens, "Am");
        relabel(&mut labels, venue..tokens.len(), Label::Venue);
        title_starts_after_punctuation(text, &tokens, &mut labels);
        let ketamine = token_at(text, &tokens, "Ketamine");
        assert_eq!(labels[ketamine - 1], Label::Author);
        assert_eq!(labels[ketamine], Label::Title);
        // After punctuation, or without a full stop to end the authors at, the title stays.
        for (text, at) in [
            ("Smith J. Ketamine and NMDA. Psychiatry.", "Ketamine"),
            ("Barry Wilkinson Digital System Design", "Digital"),
        ] {
            assert_left_alone(
                title_starts_after_punctuation,
                text,
                at,
                Label::Author,
                Label::Title,
            );
        }
    }

    #[test]
    fn the_book_after_in_is_the_venue() {
        let text =
            "Bakhtin, M. ‘Forms of Time’. In The dialogic imagination, edited by M. Holquist.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "edited", Label::Title, Label::Editor);
        let (at_in, book) = (
            token_at(text, &tokens, "In"),
            token_at(text, &tokens, "The"),
        );
        labels[at_in] = Label::Venue;
        title_through_gaps(&mut labels);
        book_after_in(text, &tokens, &mut labels);
        assert_eq!(labels[book - 2], Label::Title, "the first title stays");
        let comma = token_at(text, &tokens, "edited") - 1;
        assert!(labels[book..comma].iter().all(|&l| l == Label::Venue));
    }

    #[test]
    fn a_number_after_a_volume_marker_is_the_volume() {
        // Other up to the word `from`, the volume up to `pages`, the pages from there.
        let labelled = |text: &str, from: &str, pages: &str| {
            let tokens = tokenize(text);
            let mut labels = labels_split(text, &tokens, pages, Label::Volume, Label::Pages);
            relabel(&mut labels, 0..token_at(text, &tokens, from), Label::Other);
            (tokens, labels)
        };
        let text = "Eary, L. Chemical Modeling. Washington, DC, 1990; Vol. 416.";
        let (tokens, mut labels) = labelled(text, "Vol", "416");
        volume_number_after_marker(text, &tokens, &mut labels);
        assert!(!labels.contains(&Label::Pages));
        // A volume with its number, in digits or roman numerals, keeps the pages after it.
        for text in [
            "Smith J. Title. Journal, Vol. 12, pp. 3-4.",
            "Smith J. Title. Journal, vol. VI, 3-4.",
        ] {
            let (tokens, mut labels) = labelled(text, ",", "3-4");
            let before = labels.clone();
            volume_number_after_marker(text, &tokens, &mut labels);
            assert_eq!(labels, before, "{text}");
        }
    }

    #[test]
    fn a_colon_ends_the_authors() {
        for text in [
            "Zarate CA, Singh JB: A randomized trial. Arch Gen Psychiatry 2006, 63:856-864.",
            "Zarate CA, van der Meer JB: A randomized trial. Arch Gen Psychiatry 2006, 63:856-864.",
        ] {
            let tokens = tokenize(text);
            let last = text.split(", ").nth(1).unwrap().split(' ').next().unwrap();
            let mut labels = labels_split(text, &tokens, last, Label::Author, Label::Title);
            last_author_before_colon(text, &tokens, &mut labels);
            let a = token_at(text, &tokens, "A");
            assert_eq!(labels[a - 1], Label::Author, "{text}");
            assert_eq!(labels[a], Label::Title, "{text}");
        }
        // A title with a colon of its own is left alone.
        let text = "Smith J, Ketamine Infusion: a trial. J Med. 2006;1:2-3.";
        assert_left_alone(
            last_author_before_colon,
            text,
            "Ketamine",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_last_name_before_the_colon_in_other_forms_is_an_author() {
        assert_mends(
            last_author_before_colon,
            &[
                // Urban , Michael und Willmann , | Marc : Integrierte Hilfe .
                (
                    "Urban, Michael und Willmann, Marc: Integrierte Hilfe.",
                    "aaaaaa ttttt",
                    "aaaaaaaa ttt",
                ),
                // Hensen , and A . | Vermeulen : Agricultural air .
                (
                    "Hensen, and A. Vermeulen : Agricultural air.",
                    "aaaaa ttttt",
                    "aaaaaaa ttt",
                ),
                // Left: a title word after an inverted name, or after one without a conjunction.
                (
                    "Smith, D. L. & Young, R. HOLINS: The clocks.",
                    "aaaaaaaaaaa ttttt",
                    "aaaaaaaaaaa ttttt",
                ),
                (
                    "Jones, K., Depression Care: a review.",
                    "aaaaa tttttt",
                    "aaaaa tttttt",
                ),
            ],
        );
    }

    #[test]
    fn a_year_between_venue_and_volume_is_the_date() {
        let text = "Wilkinson ST. The effect of ketamine. Am J Psychiatry 2018, 175:150-158.";
        let tokens = tokenize(text);
        let mut labels = labels_split(text, &tokens, "Am", Label::Title, Label::Venue);
        relabel(&mut labels, 0..2, Label::Author);
        let volume = token_at(text, &tokens, "175");
        relabel(&mut labels, volume..tokens.len(), Label::Volume);
        let mut with_date = labels.clone();
        year_between_venue_and_volume(text, &tokens, &mut labels);
        let year = token_at(text, &tokens, "2018");
        assert_eq!(labels[year - 1], Label::Venue);
        assert_eq!(&labels[year..volume], [Label::Date; 2]);
        // An entry with a date elsewhere keeps its venue as the tagger read it.
        with_date[2] = Label::Date;
        let before = with_date.clone();
        year_between_venue_and_volume(text, &tokens, &mut with_date);
        assert_eq!(with_date, before);
    }

    #[test]
    fn a_quoted_title_begins_with_its_quotation() {
        let text = "P. Yang and J. H. Chern \"Design for Reliability,\" Proc. IEEE, 1993.";
        let tokens = tokenize(text);
        // The tagger ran the last surname into the title.
        let mut labels = labels_split(text, &tokens, "Chern", Label::Author, Label::Title);
        start_title_at_quote(text, &tokens, &mut labels);
        let chern = token_at(text, &tokens, "Chern");
        assert_eq!(labels[chern], Label::Author);
        assert_eq!(labels[chern + 1], Label::Title);
        // Title words before a quotation inside the title stay in the title.
        let text = "Smith, J. Sonnets from “The Trophies” of Hérédia. San Francisco, 1906.";
        assert_left_alone(
            start_title_at_quote,
            text,
            "Sonnets",
            Label::Author,
            Label::Title,
        );
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
            // A quotation nested in the title's, with the same marks, does not end it.
            (
                "« La « société civile » dans l’Europe », Actes, 2007.",
                "La « société civile » dans l’Europe",
                Some("Actes"),
            ),
            (
                "‘Potential of the ‘Arab Spring’: Some Observations’, Government, 2015.",
                "Potential of the ‘Arab Spring’: Some Observations",
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
            let mut labels: Vec<Label> = (0..tokens.len())
                .map(|i| if i < last { Label::Title } else { Label::Date })
                .collect();
            end_title_at_quote(text, &tokens, &mut labels);
            let text_of = |label: Label| -> Option<String> {
                let run = first_run(&labels, label)?;
                Some(clean_title(
                    &text[tokens[run.start].span.start..tokens[run.end - 1].span.end],
                ))
            };
            assert_eq!(
                text_of(Label::Title).as_deref(),
                Some(expected_title),
                "{text}"
            );
            assert_eq!(text_of(Label::Venue).as_deref(), expected_venue, "{text}");
        }
    }

    #[test]
    fn a_title_ends_where_in_opens_the_book() {
        for (text, title_end, place) in [
            ("Adaptive co-management. In Adaptive Co-management: Collaboration. Vancouver, 2007.", "In", "Vancouver"),
            ("Liturgie u Husa, in: Studie a texty. Praha, 1966.", "in", "Praha"),
        ] {
            let tokens = tokenize(text);
            let mut labels = labels_split(text, &tokens, place, Label::Title, Label::Location);
            end_title_at_in(text, &tokens, &mut labels);
            let at = token_at(text, &tokens, title_end);
            assert!(labels[..at].iter().all(|&l| l == Label::Title), "{text}");
            assert_eq!(labels[at], Label::Venue, "{text}");
        }
        // "In" inside a title is not a book: "The Day In Court".
        let text = "The Day In Court. Boston, 2001.";
        assert_left_alone(
            end_title_at_in,
            text,
            "Boston",
            Label::Title,
            Label::Location,
        );
    }

    #[test]
    fn an_inverted_name_ends_after_the_given_name() {
        let text = "Da Matta, Roberto. Carnivals, Rogues, and Heroes: An Interpretation. Boston: Beacon, 1991.";
        let tokens = tokenize(text);
        // The tagger ran the authors on into the title's first words.
        let mut labels = labels_split(text, &tokens, "and", Label::Author, Label::Title);
        authors_end_after_given_name(text, &tokens, &mut labels);
        let first_title = labels.iter().position(|&l| l == Label::Title).unwrap();
        assert_eq!(&text[tokens[first_title].span.clone()], "Carnivals");
        // Initials end no name: "Duman, R. S., Krystal, J. H." stays one author part.
        let text = "Duman, R. S., Krystal, J. H. Synaptic plasticity.";
        assert_left_alone(
            authors_end_after_given_name,
            text,
            "Synaptic",
            Label::Author,
            Label::Title,
        );
    }

    #[test]
    fn a_lone_inverted_author_is_followed_by_the_title() {
        let first_title = |text: &str, split: &str| {
            let tokens = tokenize(text);
            let mut labels = labels_split(text, &tokens, split, Label::Author, Label::Title);
            authors_end_after_given_name(text, &tokens, &mut labels);
            let at = labels.iter().position(|&l| l == Label::Title).unwrap();
            text[tokens[at].span.clone()].to_string()
        };
        // No "and", "&" or ";" after "Surname, Given [Initial.]": the rest is the title.
        let text = "Stein, Stanley J. Vassouras, a Brazilian Coffee County. Cambridge, 1957.";
        assert_eq!(first_title(text, "a"), "Vassouras");
        let text = "Beetz, Manfred, Frühmoderne Höflichkeit. Komplimentierkunst. Stuttgart, 1990.";
        assert_eq!(first_title(text, "Komplimentierkunst"), "Frühmoderne");
        let text = "Forster, E. M. Howards End. New York: Barnes & Noble Classics, 2003.";
        assert_eq!(first_title(text, "New"), "Howards");
        // A second author joined by "and" stays an author.
        let text = "Lakoff, George, and Mark Johnson. Metaphors We Live By. Chicago, 1980.";
        assert_eq!(first_title(text, "Metaphors"), "Metaphors");
        // After initials, more initials are another author: APA lists stay whole.
        let text = "Duman, R. S., Krystal, J. H. Synaptic plasticity.";
        assert_eq!(first_title(text, "Synaptic"), "Synaptic");
        let text = "Smith, J., Jones, K. Title words. Journal, 2001.";
        assert_eq!(first_title(text, "Title"), "Title");
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
        let tokens = tokenize(text);
        let book = token_at(text, &tokens, "Handbook");
        let mut labels = labels_split(text, &tokens, "Handbook", Label::Author, Label::Venue);
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

    /// Apply `rule` to labels given one letter a token (a author, t title, v venue, o other, l
    /// location, d date, p publisher, n volume, g pages), and give them back the same way.
    fn mended(rule: fn(&str, &[Token], &mut [Label]), text: &str, given: &str) -> String {
        const NAMES: [(char, Label); 10] = [
            ('a', Label::Author),
            ('e', Label::Editor),
            ('t', Label::Title),
            ('v', Label::Venue),
            ('o', Label::Other),
            ('l', Label::Location),
            ('d', Label::Date),
            ('p', Label::Publisher),
            ('n', Label::Volume),
            ('g', Label::Pages),
        ];
        let tokens = tokenize(text);
        let given: Vec<char> = given.chars().filter(|c| *c != ' ').collect();
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(given.len(), tokens.len(), "a label for each of {words:?}");
        let id = |c: char| NAMES.iter().find(|n| n.0 == c).unwrap().1;
        let mut labels: Vec<Label> = given.iter().map(|&c| id(c)).collect();
        rule(text, &tokens, &mut labels);
        let letter = |l: Label| NAMES.iter().find(|n| n.1 == l).unwrap().0;
        labels.into_iter().map(letter).collect()
    }

    /// Assert what `rule` makes of each `(text, given, mended)` case, labels as [`mended`] reads
    /// them.
    fn assert_mends(rule: fn(&str, &[Token], &mut [Label]), cases: &[(&str, &str, &str)]) {
        for &(text, given, want) in cases {
            assert_eq!(mended(rule, text, given), want.replace(' ', ""), "{text}");
        }
    }

    #[test]
    fn a_conjunction_after_an_inverted_first_author_joins_names_only() {
        assert_mends(
            authors_end_after_given_name,
            &[
                // Debussy , Claude , Pelléas et Mélisande | ( New York : | Dover , | 1985 ) .
                (
                    "Debussy, Claude, Pelléas et Mélisande (New York: Dover, 1985).",
                    "aaaaaaa llll pp ddd",
                    "aaaattt llll pp ddd",
                ),
                // DUPRAT , H . Théorie et Technique Homéopathiques . | 1932 .
                (
                    "DUPRAT, H. Théorie et Technique Homéopathiques. 1932.",
                    "aaaaaaaaa dd",
                    "aaaattttt dd",
                ),
                // Baudelaire , Charles , Oeuvres complètes , Y . - G . | Le Dantec | ( ed . )
                // ("Y" is an initial, not Spanish "y")
                (
                    "Baudelaire, Charles, Oeuvres complètes, Y.-G. Le Dantec (ed.)",
                    "aaaaaaaaaaaa tt eeee",
                    "aaaatttttttt tt eeee",
                ),
                // Names before the conjunction stay the authors': a list that ends in a comma,
                // inverted names, none.
                (
                    "Tsung-Yu Lin, Aruni RoyChowdhury, and Subhransu Maji. Bilinear models.",
                    "aaaaaaaaaa ttt",
                    "aaaaaaaaaa ttt",
                ),
                (
                    "Reiser, Helmut, Urban, Michael und Willmann, Marc: Integrierte Hilfe.",
                    "aaaaaaaaaaaa ttt",
                    "aaaaaaaaaaaa ttt",
                ),
                (
                    "Ching, Barbara, and Gerald W. Creed. Knowing Your Place.",
                    "aaaaaaaaaa tttt",
                    "aaaaaaaaaa tttt",
                ),
                // A Vancouver list is not an inverted name in capitals: "Fan HD, Liu J".
                (
                    "Fan HD, Liu J, Yun Y. Ethanol and cells.",
                    "aaaaaaaaa tttt",
                    "aaaaaaaaa tttt",
                ),
            ],
        );
    }

    #[test]
    fn a_title_goes_on_at_a_conjunction_after_it() {
        assert_mends(
            title_goes_on_at_conjunction,
            &[
                // Birch , | A Case Study of Group | and Individual Adjustment , | “ Journal
                (
                    "Birch, A Case Study of Group and Individual Adjustment, “Journal",
                    "aa ttttt aaaa vv",
                    "aa ttttt ttta vv",
                ),
                // Not names before the title, nor a title that ends with punctuation, nor a
                // lone conjunction.
                (
                    "A Study of Groups. And Smith, J. 2001.",
                    "ttttt aaaaa dd",
                    "ttttt aaaaa dd",
                ),
                (
                    "Birch, A Study of Groups and, Smith",
                    "aa tttt aaa",
                    "aa tttt aaa",
                ),
            ],
        );
    }

    #[test]
    fn a_book_right_after_its_authors_is_its_title() {
        let rule = |_: &str, _: &[Token], labels: &mut [Label]| untitled_book_after_authors(labels);
        assert_mends(
            rule,
            &[
                // Hughes , J . F . , | Computer Graphics , | pp . 992 , | Addison-Wesley , 1990
                (
                    "Hughes, J. F., Computer Graphics, pp. 992, Addison-Wesley, 1990",
                    "aaaaaaa vvv gggg pp d",
                    "aaaaaaa ttt gggg pp d",
                ),
                // A journal with its volume, or without a publisher, stays.
                (
                    "Hughes, J. F., Phys. Rev. 12, 1990",
                    "aaaaaaa vvvv nn d",
                    "aaaaaaa vvvv nn d",
                ),
                (
                    "Hughes, J. F., Computer Graphics, pp. 992, 1990",
                    "aaaaaaa vvv gggg d",
                    "aaaaaaa vvv gggg d",
                ),
            ],
        );
    }

    #[test]
    fn a_work_without_authors_is_cited_by_its_title() {
        assert_mends(
            untitled_words_before_date,
            &[
                // Good chemistry . | ( 1996 , September ) . | Wake Forest
                (
                    "Good chemistry. (1996, September). Wake Forest",
                    "aaa dddddd vv",
                    "ttt dddddd vv",
                ),
                // Names, particles, "et al." and organisations stay the authors'.
                (
                    "van der Berg, J. et al. (1996). Wake Forest",
                    "aaaaaaaaa dddd vv",
                    "aaaaaaaaa dddd vv",
                ),
                (
                    "U.S. Department of Veterans Affairs. (n.d.). Report",
                    "aaaaaaaaa ddddddd v",
                    "aaaaaaaaa ddddddd v",
                ),
                (
                    "Department of Veterans Affairs. (1999). Wake",
                    "aaaaa dddd v",
                    "aaaaa dddd v",
                ),
            ],
        );
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

    #[test]
    fn page_words_name_the_pages() {
        assert_mends(
            pages_after_page_word,
            &[
                // Bulletin , | September 1996 . | Page 15
                (
                    "Bulletin, September 1996. Page 15",
                    "vv ddd oo",
                    "vv ddd gg",
                ),
                // Approach , page 346 . | Morgan
                ("Approach, page 346. Morgan", "ttttt p", "toggt p"),
                // Not inside a title that goes on, nor with pages elsewhere.
                (
                    "Approach, page 346 and more. Morgan",
                    "ttttttt p",
                    "ttttttt p",
                ),
                ("Bulletin, Page 15, pp. 3-4", "vv oo gggg", "vv oo gggg"),
            ],
        );
    }

    #[test]
    fn a_journal_volume_page_and_year_in_parentheses_are_read_as_such() {
        assert_mends(
            journal_volume_page_year,
            &[
                // S . Trivedi , | JHEP | 1005 , | 067 | ( 2010 ) .
                (
                    "S. Trivedi, JHEP 1005, 067 (2010).",
                    "aaaa ddd g dddd",
                    "aaaa v nn g dddd",
                ),
                (
                    "H. Verlinde, JHEP 0912, 031 (2009).",
                    "aaaa vvv n dddd",
                    "aaaa v nn g dddd",
                ),
                // J . Polchinski , | Phys . Lett . | B428 , | 105 | ( 1998 ) .
                (
                    "J. Polchinski, Phys. Lett. B428, 105 (1998).",
                    "aaaa oooo dd d dddd",
                    "aaaa vvvv nn g dddd",
                ),
                // Words the tagger read as the title stay its; lower-case words are no journal;
                // without the year in parentheses nothing is read.
                (
                    "Study in Ontario, Canada. Cancer 116, 4160 (2010).",
                    "tttttt v nn g dddd",
                    "tttttt v nn g dddd",
                ),
                (
                    "S. Trivedi, in press 1005, 067 (2010).",
                    "aaaa oo dd g dddd",
                    "aaaa oo dd g dddd",
                ),
                (
                    "S. Trivedi, JHEP 1005, 067, 2010.",
                    "aaaa ddd g ddd",
                    "aaaa ddd g ddd",
                ),
            ],
        );
    }

    #[test]
    fn names_between_a_leading_title_and_the_date_are_the_authors() {
        assert_mends(
            authors_after_title,
            &[
                // Levels . | Pérez-Higueras JJ , Arias A , de la Macorra JC , Peters OA . |
                // septembre 2014 , | J Endod .
                (
                    "Levels. Pérez-Higueras JJ, Arias A, de la Macorra JC, Peters OA. septembre 2014, J Endod.",
                    "tt ppp ttt ttttt vvv ddd vvv",
                    "tt aaaaaaaaaaaaaa ddd vvv",
                ),
                // Cleaning instruments . | Bidar Myryam , Saeed Moadi , and Shirin Khoynezhad . |
                // 2010 , | Iran Endod J .
                (
                    "Cleaning instruments. Bidar Myryam, Saeed Moadi, and Shirin Khoynezhad. 2010, Iran Endod J.",
                    "ttt eeeeee vvvv dd vvvv",
                    "ttt aaaaaaaaaa dd vvvv",
                ),
                // Left: an entry with authors, two names, a word in lower case, no date after.
                (
                    "Ann A. Levels. Arias A, Macorra JC, Peters OA. 2014, J Endod.",
                    "aaa tt vvvvvvvvv dd vvv",
                    "aaa tt vvvvvvvvv dd vvv",
                ),
                (
                    "Levels. Arias A, Peters OA. 2014, J Endod.",
                    "tt vvvvvv dd vvv",
                    "tt vvvvvv dd vvv",
                ),
                (
                    "Levels. Arias A, Macorra JC, Proceedings of Workshop. 2014, J Endod.",
                    "tt vvvvvvvvvv dd vvv",
                    "tt vvvvvvvvvv dd vvv",
                ),
                (
                    "Levels. Arias A, Macorra JC, Peters OA. J Endod, 2014.",
                    "tt vvvvvvvvv vvv dd",
                    "tt vvvvvvvvv vvv dd",
                ),
            ],
        );
    }

    #[test]
    fn a_second_year_is_the_volume_or_the_page_by_its_place() {
        assert_mends(
            year_shaped_volume_or_page,
            &[
                // ( 1992 ) . | Curves . | Proc . SPIE , | 1808 , | 259-273 .
                (
                    "(1992). Curves. Proc. SPIE, 1808, 259-273.",
                    "dddd tt vvvv dd gg",
                    "dddd tt vvvv nn gg",
                ),
                // ( 2011 ) | Title , | Int J Stud , | 2011 , | pp . 1–15 .
                (
                    "(2011) Title, Int J Stud, 2011, pp. 1–15.",
                    "ddd tt vvvv dd gggg",
                    "ddd tt vvvv nn gggg",
                ),
                // Cui , | Nano Lett . | 2010 , | 10 , | 1979 .
                (
                    "Cui, Nano Lett. 2010, 10, 1979.",
                    "aa vvv dd nn dd",
                    "aa vvv dd nn gg",
                ),
                // Left: no pages after it, no year before it.
                (
                    "(1990). Title. Journal, 1995, in press.",
                    "dddd tt vv dd ooo",
                    "dddd tt vv dd ooo",
                ),
                (
                    "(n.d.). Title. Journal, 2011, 1-15.",
                    "ddddddd tt vv dd gg",
                    "ddddddd tt vv dd gg",
                ),
            ],
        );
    }

    #[test]
    fn a_journal_left_unlabelled_after_the_title_is_the_venue() {
        assert_mends(
            journal_read_as_other,
            &[
                // Come of Age . | Information Standards Quarterly . Available : http://x.org
                (
                    "Come of Age. Information Standards Quarterly. Available: http://x.org",
                    "tttt ooooooo",
                    "tttt vvvvooo",
                ),
                // Title . | Journal of Engineering Education
                (
                    "Title. Journal of Engineering Education",
                    "tt oooo",
                    "tt vvvv",
                ),
                // Bibliography , | Lecture Notes in Computer Science , | Vol . 323
                (
                    "Bibliography, Lecture Notes in Computer Science, Vol. 323",
                    "tt oooooo nnn",
                    "tt vvvvvv nnn",
                ),
                // Left: one word, a genre, an entry with a venue.
                ("Title, Rev. ed. New York", "tt oooo ll", "tt oooo ll"),
                (
                    "Title. Dissertation Abstracts International Review. 2004",
                    "tt ooooo d",
                    "tt ooooo d",
                ),
                (
                    "Title. Science Quarterly. Nature, 2004",
                    "tt ooo vv d",
                    "tt ooo vv d",
                ),
            ],
        );
    }

    #[test]
    fn a_place_before_the_publisher_is_no_venue() {
        assert_mends(
            place_read_as_venue,
            &[
                // Party . | Bourne End , | Buckinghamshire , England : | Kensal Press , 1985 .
                (
                    "Party. Bourne End, Buckinghamshire, England: Kensal Press, 1985.",
                    "tt vvv llll ppp dd",
                    "tt lll llll ppp dd",
                ),
                // Education . | White River Junction | ( VT ) : | Chelsea Green .
                (
                    "Education. White River Junction (VT): Chelsea Green.",
                    "tt vvv llll ppp",
                    "tt lll llll ppp",
                ),
                // Left: a journal before a place without a publisher, lower-case words.
                (
                    "Title. Nature Medicine, London: 2004.",
                    "tt vvv ll dd",
                    "tt vvv ll dd",
                ),
                (
                    "Title. In the city, Paris: Gallimard.",
                    "tt vvvv ll pp",
                    "tt vvvv ll pp",
                ),
            ],
        );
    }

    #[test]
    fn a_newspaper_before_its_date_is_the_venue() {
        assert_mends(
            newspaper_before_its_date,
            &[
                // ‘ Revolution ? ’ | , | Observer , | 3 December 2006 .
                (
                    "‘Revolution?’, Observer, 3 December 2006.",
                    "tttt v ll dddd",
                    "tttt v vl dddd",
                ),
                // " Foot " | . | Bookseller , 20 June .
                (
                    "\"Foot\". Bookseller, 20 June.",
                    "ttt v ooooo",
                    "ttt v voooo",
                ),
                // Left: a genre, a venue with words, no date after the comma.
                (
                    "\"Foot\", Draft Paper, November 1996.",
                    "ttt v oo o ddd",
                    "ttt v oo o ddd",
                ),
                (
                    "\"Foot\", Time Observer, 3 June.",
                    "ttt vv o oooo",
                    "ttt vv o oooo",
                ),
                ("\"Foot\", Observer, London.", "ttt v oooo", "ttt v oooo"),
            ],
        );
    }

    #[test]
    fn abbreviated_words_beside_the_journal_belong_to_it() {
        assert_mends(
            abbreviations_beside_the_journal,
            &[
                // field . | Trans . | Amer . Math . Soc . | 347
                (
                    "field. Trans. Amer. Math. Soc. 347",
                    "tt oo vvvvvv n",
                    "tt vvvvvvvv n",
                ),
                // SIAM J . Discr . | Math . | , to appear .
                (
                    "SIAM J. Discr. Math., to appear.",
                    "vvvvv oo oooo",
                    "vvvvvvv oooo",
                ),
                // Left: a translator after the journal, a genre before it, a name written out.
                (
                    "Semiotic Challenge. Trans. Richard Howard.",
                    "vvv oo ooo",
                    "vvv oo ooo",
                ),
                ("Title. PhD. Ann. Math. 3", "tt oo vvvv n", "tt oo vvvv n"),
                ("Title. Amer. Nature 3", "tt oo v n", "tt oo v n"),
            ],
        );
    }

    #[test]
    fn the_article_among_names_begins_the_title() {
        assert_mends(
            title_at_article_among_names,
            &[
                // Cristina La Rocca , Luigi Provero , | The Dead and Their Gifts . | The Will of
                (
                    "Cristina La Rocca, Luigi Provero, The Dead and Their Gifts. The Will of",
                    "aaaaaaa aaaaaa ttt",
                    "aaaaaaa tttttt ttt",
                ),
                // Wordsworth , William , | The Prelude | , Jonathan Wordsworth , M . H . Abrams
                (
                    "Wordsworth, William, The Prelude, Jonathan Wordsworth, M. H. Abrams",
                    "aaaa aa aaaaaaaaa",
                    "aaaa tt aaaaaaaaa",
                ),
                // Left: a title found before the names, "The" after a full stop.
                (
                    "Title. Smith, J., The Royal Society",
                    "tt aaaaaaaa",
                    "tt aaaaaaaa",
                ),
                ("Smith, J. The Prelude.", "aaaa aaa", "aaaa aaa"),
            ],
        );
    }

    #[test]
    fn a_roman_numeral_after_the_journal_is_its_volume() {
        assert_mends(
            roman_volume_after_venue,
            &[
                // Psychological Review , | LXV , | 1958 , | pp . 151-166 .
                (
                    "Psychological Review, LXV, 1958, pp. 151-166.",
                    "vvv pp dd gggg",
                    "vvv np dd gggg",
                ),
                // Not without pages, nor with a volume elsewhere, nor a word in capitals.
                ("Psychological Review, LXV, 1958.", "vvv pp dd", "vvv pp dd"),
                ("Review, IV, 12, pp. 1-5.", "vv pp nn gggg", "vv pp nn gggg"),
                (
                    "Review, NASA, 1958, pp. 1-5.",
                    "vv pp dd gggg",
                    "vv pp dd gggg",
                ),
            ],
        );
    }

    #[test]
    fn a_title_ends_where_its_editor_is_named() {
        assert_mends(
            title_ends_at_translator,
            &[
                // Oeuvres complètes , Y . - G . Le Dantec | ( ed . ) | ( Paris
                (
                    "Oeuvres complètes, Y.-G. Le Dantec (ed.) (Paris",
                    "tttttttttt eeee ll",
                    "ttoeeeeeee eeee ll",
                ),
                // Not words that are no names: "Essays, Letters to Friends (ed.)".
                (
                    "Essays, letters to friends (ed.) (Paris",
                    "ttttt eeee ll",
                    "ttttt eeee ll",
                ),
            ],
        );
    }

    #[test]
    fn a_title_ends_where_its_translator_is_named() {
        assert_mends(
            title_ends_at_translator,
            &[
                // Hitler A , | Mein Kampf , trans . James Murphy | ( London , | 1938 ) .
                (
                    "Hitler A, Mein Kampf, trans. James Murphy (London, 1938).",
                    "aaa ttttttt lll ddd",
                    "aaa ttooooo lll ddd",
                ),
                // Bourdieu P , | Homo Academicus , Peter Collier | ( trans . ) .
                (
                    "Bourdieu P, Homo Academicus, Peter Collier (trans.).",
                    "aaa ttttt ooooo",
                    "aaa ttooo ooooo",
                ),
                // in Œuvres II , Trad fr . par Maurice Gandillac . | Paris
                (
                    "in Œuvres II, Trad fr. par Maurice Gandillac. Paris",
                    "vvvvvvvvvvv l",
                    "vvvoooooooo l",
                ),
                // "Trans." of a journal's name, and "translated" inside a title, stay.
                (
                    "Smith J. Notes. Trans. Amer. Math. Soc. 347",
                    "aaattvvvvvvvvd",
                    "aaattvvvvvvvvd",
                ),
                (
                    "Smith J. Poems translated from Greek. 1999.",
                    "aaatttttdd",
                    "aaatttttdd",
                ),
                (
                    "Smith J. Poems translated by Ann. 1999.",
                    "aaatttttdd",
                    "aaatttttdd",
                ),
            ],
        );
    }

    #[test]
    fn a_journal_read_as_the_volume_or_the_publisher() {
        assert_mends(
            venue_read_as_volume,
            &[
                // Activity . | PLoS ONE 11 ( 11 ) : | e0165139 .
                (
                    "Activity. PLoS ONE 11(11): e0165139.",
                    "tt nnnnnnn gg",
                    "tt vvnnnnn gg",
                ),
                // Task Force . | JAMA , | 2016 . | 315 ( 4 ) : | p . 388-406 .
                (
                    "Task Force. JAMA, 2016. 315(4): p. 388-406.",
                    "ttt pp dd nnnnn gggg",
                    "ttt vv dd nnnnn gggg",
                ),
                // With a venue already, or without pages (a book), nothing moves.
                (
                    "Title. Journal. ACM, 2016. 315(4): p. 388-406.",
                    "tt vv pp dd nnnnn gggg",
                    "tt vv pp dd nnnnn gggg",
                ),
                (
                    "Task Force. Sage, 2016. Vol. 2.",
                    "ttt pp dd nnnn",
                    "ttt pp dd nnnn",
                ),
            ],
        );
    }

    #[test]
    fn a_generation_after_the_names_is_theirs() {
        assert_mends(
            generation_ends_the_names,
            &[
                // Pettingill , Olin Sewall , | Jr . " Falcon . " | World
                (
                    "Pettingill, Olin Sewall, Jr. \"Falcon.\" World",
                    "aaaaa tttttt v",
                    "aaaaa aatttt v",
                ),
                // A title that begins with a roman numeral after other parts stays.
                ("Smith J. 1990, III. Results", "aaad dttt", "aaad dttt"),
            ],
        );
    }
}
