//! Filter values as users type them: year ranges ("2016", "2015..2019", "2015..", "..2010") and kinds.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::schema::{KIND_PASSAGE, KIND_REFERENCE};

/// An inclusive range of years; either end may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearRange {
    /// First year, inclusive.
    pub from: Option<u16>,
    /// Last year, inclusive.
    pub to: Option<u16>,
}

impl YearRange {
    /// Whether `year` is in the range.
    pub fn contains(&self, year: u16) -> bool {
        self.from.is_none_or(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }
}

impl FromStr for YearRange {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let bad = |why: &str| {
            Error::Filter(format!(
                "invalid year range {text:?}: {why} (examples: 2016, 2015..2019, 2015.., ..2010)"
            ))
        };
        let year = |s: &str| -> Result<Option<u16>, Error> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("{s:?} is not a four-digit year")));
            }
            Ok(Some(s.parse().expect("four digits fit in u16")))
        };
        let (from, to) = match text.split_once("..") {
            Some((a, b)) => (year(a)?, year(b)?),
            None => {
                let y = year(text)?;
                (y, y)
            }
        };
        match (from, to) {
            (None, None) => Err(bad("give at least one year")),
            (Some(f), Some(t)) if f > t => Err(bad(&format!("it is empty, {f} comes after {t}"))),
            _ => Ok(YearRange { from, to }),
        }
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => write!(
                f,
                "{}..{}",
                a.map(|y| y.to_string()).unwrap_or_default(),
                b.map(|y| y.to_string()).unwrap_or_default()
            ),
        }
    }
}

/// Which documents to search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// Passages only (the default).
    #[default]
    Passage,
    /// Reference-list entries only.
    Reference,
    /// Both.
    All,
}

impl Kind {
    /// The `kind` field value to filter on, or `None` for all.
    pub fn term(self) -> Option<&'static str> {
        match self {
            Kind::Passage => Some(KIND_PASSAGE),
            Kind::Reference => Some(KIND_REFERENCE),
            Kind::All => None,
        }
    }
}

impl FromStr for Kind {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "passage" | "passages" => Ok(Kind::Passage),
            "reference" | "references" | "ref" | "refs" => Ok(Kind::Reference),
            "all" | "any" => Ok(Kind::All),
            _ => Err(Error::Filter(format!(
                "invalid kind {text:?}: use passage, reference or all"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        let r = |s: &str| {
            s.parse::<YearRange>()
                .map(|r| (r.from, r.to))
                .map_err(|e| e.to_string())
        };
        assert_eq!(r("2016"), Ok((Some(2016), Some(2016))));
        assert_eq!(r("2015..2019"), Ok((Some(2015), Some(2019))));
        assert_eq!(r("2015.."), Ok((Some(2015), None)));
        assert_eq!(r("..2010"), Ok((None, Some(2010))));
        assert_eq!(r(" 2019..2019 "), Ok((Some(2019), Some(2019))));
        for bad in ["2019..2015", "abc", "..", "", "20150", "2015..x", "-2015"] {
            assert!(r(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(r("2020..2010").unwrap_err().contains("empty"));
    }

    #[test]
    fn year_range_contains_and_displays() {
        let r: YearRange = "2015..2019".parse().unwrap();
        assert!(r.contains(2015) && r.contains(2019) && !r.contains(2020) && !r.contains(2014));
        assert_eq!(r.to_string(), "2015..2019");
        assert_eq!("..2010".parse::<YearRange>().unwrap().to_string(), "..2010");
    }

    #[test]
    fn kinds() {
        assert_eq!("reference".parse::<Kind>().unwrap(), Kind::Reference);
        assert_eq!("ALL".parse::<Kind>().unwrap(), Kind::All);
        assert!("other".parse::<Kind>().is_err());
    }
}
