//! The labels the tagger gives the tokens of a reference entry, and that the conventions mend.
//!
//! The discriminants are the label indices of the tagger's model (`tagger.bin`): the twelve
//! parts of an entry, then the first and the last token of a title and of a venue, which the
//! model learns as labels of their own. [`tagger::LABELS`](super::tagger::LABELS), the names in
//! the same order, is built from this enum.

/// A label of the tagger, in model order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Label {
    /// A name among the authors.
    Author = 0,
    /// The date of publication.
    Date = 1,
    /// The title of the work.
    Title = 2,
    /// The journal, book or proceedings that holds the work.
    Venue = 3,
    /// The volume, with its issue.
    Volume = 4,
    /// The pages.
    Pages = 5,
    /// A DOI or another identifier.
    Doi = 6,
    /// The entry's number in its list.
    Number = 7,
    /// A name among the editors.
    Editor = 8,
    /// The publisher.
    Publisher = 9,
    /// The place of publication.
    Location = 10,
    /// Anything else (a note, a genre, an access date).
    Other = 11,
    /// A title's first token.
    TitleBegin = 12,
    /// A venue's first token.
    VenueBegin = 13,
    /// A title's last token.
    TitleEnd = 14,
    /// A venue's last token.
    VenueEnd = 15,
}

impl Label {
    /// Every label, in model order: `ALL[l.index()] == l`.
    pub const ALL: [Label; 16] = [
        Label::Author,
        Label::Date,
        Label::Title,
        Label::Venue,
        Label::Volume,
        Label::Pages,
        Label::Doi,
        Label::Number,
        Label::Editor,
        Label::Publisher,
        Label::Location,
        Label::Other,
        Label::TitleBegin,
        Label::VenueBegin,
        Label::TitleEnd,
        Label::VenueEnd,
    ];

    /// Number of part labels: the first `PARTS` labels are the parts of an entry, the others
    /// the boundaries of a title or a venue.
    pub const PARTS: usize = Label::Other as usize + 1;

    /// The label's index in the model.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The label of a model index (below 16).
    pub const fn from_index(index: usize) -> Label {
        Label::ALL[index]
    }

    /// The label's name, as the model's label list and the JSON output write it.
    pub const fn name(self) -> &'static str {
        match self {
            Label::Author => "author",
            Label::Date => "date",
            Label::Title => "title",
            Label::Venue => "venue",
            Label::Volume => "volume",
            Label::Pages => "pages",
            Label::Doi => "doi",
            Label::Number => "number",
            Label::Editor => "editor",
            Label::Publisher => "publisher",
            Label::Location => "location",
            Label::Other => "other",
            Label::TitleBegin => "title-begin",
            Label::VenueBegin => "venue-begin",
            Label::TitleEnd => "title-end",
            Label::VenueEnd => "venue-end",
        }
    }

    /// The part a label belongs to: a title's or a venue's boundary label belongs to the title
    /// or the venue, a part label to itself.
    pub const fn part(self) -> Label {
        match self {
            Label::TitleBegin | Label::TitleEnd => Label::Title,
            Label::VenueBegin | Label::VenueEnd => Label::Venue,
            part => part,
        }
    }

    /// The label of an AnyStyle element (or of a label's own name): "journal" and
    /// "container-title" are the venue, "citation-number" the number; an element without a
    /// label of its own ("note", "genre") is other.
    pub fn of_element(element: &str) -> Label {
        let name = match element {
            "journal" | "container-title" => "venue",
            "citation-number" => "number",
            other => other,
        };
        Label::ALL
            .into_iter()
            .find(|l| l.name() == name)
            .unwrap_or(Label::Other)
    }

    /// The label a token of this part is trained on: the part's begin or end label for its
    /// first or last token, when the part has them (a title and a venue).
    pub const fn learnt(self, first: bool, last: bool) -> Label {
        match (self, first, last) {
            (Label::Title, true, _) => Label::TitleBegin,
            (Label::Title, false, true) => Label::TitleEnd,
            (Label::Venue, true, _) => Label::VenueBegin,
            (Label::Venue, false, true) => Label::VenueEnd,
            (label, _, _) => label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_in_model_order() {
        for (i, l) in Label::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i, "{l:?}");
            assert_eq!(Label::from_index(i), l);
            assert_eq!(Label::of_element(l.name()), l);
            assert_eq!(l.index() < Label::PARTS, l.part() == l, "{l:?}");
            assert!(l.name().starts_with(l.part().name()), "{l:?}");
        }
        assert_eq!(Label::PARTS, 12);
        assert_eq!(Label::of_element("journal"), Label::Venue);
        assert_eq!(Label::of_element("citation-number"), Label::Number);
        assert_eq!(Label::of_element("note"), Label::Other);
    }
}
