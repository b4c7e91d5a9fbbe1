//! The year an article was published, as its first pages print it. Publishers set it in three
//! conventional places of the front matter, read in this order:
//! - the citation they recommend ("Cite this article: Griffiths K et al. 2015 ...", "How to cite
//!   this article: ... F1000Research 2015, 3:190"), which names the version at hand;
//! - a publication date ("Published: 17 October 2014", "First published: 12 Aug 2014",
//!   "Published online 2015 Mar 3");
//! - the copyright line of the licence ("Copyright © 2016 ...", "© 2015 Smith et al.",
//!   "© The Author(s) 2015"), whose year is the year of publication.
//!
//! Text elsewhere (an abstract's "studies published from January 2002") has none of these forms.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{Layout, Line};

/// Pages read from the start: the front matter, with a cover page before it.
const FRONT_PAGES: usize = 2;

/// "Cite this article" or "How to cite this article", then the first year of the citation (a
/// number of four digits standing alone: "F1000Research" is no year).
static CITE_AS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)\b(?:how to )?cite this article\b\s*:?.{0,400}?\b((?:18|19|20)\d{2})\b")
        .expect("a valid pattern")
});

/// "Published:", "published online" (optionally with a colon), then a date whose year comes
/// after at most a day, a month and a day.
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bpublished(?:\s*:|\s+online\b\s*:?)\s*(?:on\s+)?(?:\d{1,2}\s+)?(?:[a-z]{3,9}\.?\s+)?(?:\d{1,2},?\s+)?((?:18|19|20)\d{2})\b",
    )
    .expect("a valid pattern")
});

/// "©" or "Copyright", then the year within a few words (the holder may come first).
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:©|\bcopyright\b)[^0-9©]{0,40}?\b((?:18|19|20)\d{2})\b")
        .expect("a valid pattern")
});

/// The lines of the first pages of `layout` (the front matter, with a cover page before it), in
/// reading order.
pub(super) fn front_lines(layout: &Layout) -> impl Iterator<Item = &Line> {
    layout
        .blocks
        .iter()
        .flat_map(|b| &b.lines)
        .filter(|l| l.page < FRONT_PAGES)
}

/// The text of [`front_lines`], a line each.
pub(super) fn front_text(layout: &Layout) -> String {
    let lines: Vec<&str> = front_lines(layout).map(|l| l.text.as_str()).collect();
    lines.join("\n")
}

/// The year of publication in front-matter `text` ([`front_text`]): the recommended
/// citation's, else a publication date's, else a copyright line's.
pub(super) fn year_in(text: &str) -> Option<u16> {
    [&*CITE_AS, &*PUBLISHED, &*COPYRIGHT]
        .iter()
        .find_map(|pattern| {
            pattern
                .captures(text)
                .and_then(|c| c.get(1))
                .and_then(|y| y.as_str().parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::year_in;

    #[test]
    fn the_date_of_publication_comes_before_the_copyright_line() {
        let cases = [
            (
                "Received: 2 May 2014\nPublished: 17 October 2014",
                Some(2014),
            ),
            ("First published: 12 Aug 2014, 3:190", Some(2014)),
            ("Published online 2015 Mar 3. doi:10.1/x", Some(2015)),
            (
                "Copyright © 2016 Tai et al. This is an open access article",
                Some(2016),
            ),
            ("© 2015 Smith et al.; licensee BioMed Central.", Some(2015)),
            (
                "© The Author(s) 2015. This article is published under",
                Some(2015),
            ),
            ("© 2013 Old.\nPublished: 4 January 2014", Some(2014)),
            (
                "Cite this article: Griffiths K et al. 2015\nMilk.\nReceived: 7 August 2015",
                Some(2015),
            ),
            (
                "First published: 12 Aug 2014, 3:190\nHow to cite this article: Frazier BS and \
                 Ulrich GF. Longevity of sharks. F1000Research 2015, 3:190",
                Some(2015),
            ),
            // An abstract's sentence is no date of publication, nor a year a copyright line.
            (
                "We reviewed studies published from January 2002 to 2015.",
                None,
            ),
            ("The copyright of the 12 figures", None),
        ];
        for (text, year) in cases {
            assert_eq!(year_in(text), year, "{text}");
        }
    }
}
