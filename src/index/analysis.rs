//! Text analysis for biomedical English, as tantivy tokenizer pieces:
//!
//! - [`BioTokenizer`] splits on anything that is not a letter or digit, like tantivy's
//!   `SimpleTokenizer`, and also emits hyphenated compounds ("IL-6", "5-HT2A", "COVID-19",
//!   "N-methyl-D-aspartate") joined into one token at the position of their first part, so a
//!   compound is findable whole ("IL6" finds "IL-6") and by its parts.
//!   The "s" of a possessive ("patient's") is dropped.
//! - [`GreekFolder`] spells Greek letters out (α → alpha, "TNF-α" → tnf alpha), so that the
//!   letter and its name match each other.
//! - [`CachedStemmer`] is tantivy's English Snowball stemmer behind a bounded per-analyzer
//!   cache: words repeat, and stemming is the most expensive step of indexing. Before stemming,
//!   British spellings take their American form ([`american_spelling`]: "tumour" → tumor,
//!   "haemorrhage" → hemorrhage, "randomised" → randomized), so that either spelling finds both.

use std::mem;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Compounds with more parts than this are not joined ("a-b-c-d-e-f-g" is not a term).
const MAX_COMPOUND_PARTS: usize = 6;
/// Stem cache entries kept before the cache is cleared.
const STEM_CACHE_ENTRIES: usize = 100_000;

/// Characters that join the parts of a compound: hyphen-minus, hyphen, non-breaking hyphen.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Splits text into runs of letters and digits, plus joined hyphenated compounds.
#[derive(Clone, Default)]
pub struct BioTokenizer {
    /// Buffers reused from text to text; the first `len` hold the current tokens.
    tokens: Vec<Token>,
    spans: Vec<(usize, usize)>,
}

/// Token stream of [`BioTokenizer`].
pub struct BioTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for BioTokenizer {
    type TokenStream<'a> = BioTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BioTokenStream<'a> {
        self.spans.clear();
        words(text, &mut self.spans);
        let len = tokenize(text, &self.spans, &mut self.tokens);
        BioTokenStream {
            tokens: &mut self.tokens[..len],
            next: 0,
        }
    }
}

impl TokenStream for BioTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Appends the words of `text` (byte ranges of letters and digits) to `spans`, in order.
fn words(text: &str, spans: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let (word_char, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        spans.push((s, bytes.len()));
    }
}

/// Writes the tokens of `text`, whose words are `spans`, to the front of `out` (reusing its
/// buffers) and returns how many there are: each word at its own position, and before the first
/// part of a hyphenated compound, the compound joined, at the same position.
fn tokenize(text: &str, spans: &[(usize, usize)], out: &mut Vec<Token>) -> usize {
    let mut len = 0;
    let mut push = |from: usize, to: usize, position: usize, parts: &[(usize, usize)]| {
        if len == out.len() {
            out.push(Token::default());
        }
        let token = &mut out[len];
        token.offset_from = from;
        token.offset_to = to;
        token.position = position;
        token.position_length = 1;
        token.text.clear();
        for &(a, b) in parts {
            token.text.push_str(&text[a..b]);
        }
        if is_acronym_plural(&token.text) {
            token.text.pop();
        }
        len += 1;
    };
    let mut position = 0;
    let mut i = 0;
    while i < spans.len() {
        if i > 0 && is_possessive_s(text, spans[i - 1].1, spans[i]) {
            i += 1;
            continue;
        }
        // The parts i..j are one compound when each pair is joined by exactly one hyphen.
        let mut j = i + 1;
        while j < spans.len() {
            let mut gap = text[spans[j - 1].1..spans[j].0].chars();
            if !(gap.next().is_some_and(is_hyphen) && gap.next().is_none()) {
                break;
            }
            j += 1;
        }
        let parts = &spans[i..j];
        if (2..=MAX_COMPOUND_PARTS).contains(&parts.len()) {
            push(parts[0].0, parts[parts.len() - 1].1, position, parts);
        }
        for part in parts {
            push(part.0, part.1, position, std::slice::from_ref(part));
            position += 1;
        }
        i = j;
    }
    len
}

/// "SNPs", "DCs", "MSCs": capitals and digits (two capitals at least) and a small "s". The
/// stemmer cannot tell such a plural ("dcs", "snps" have no vowel it would keep), so the
/// tokenizer drops the "s" before the word is lowercased.
fn is_acronym_plural(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('s') else {
        return false;
    };
    stem.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && stem
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && stem.bytes().filter(u8::is_ascii_uppercase).count() >= 2
}

/// The "s" of "patient's": one letter s right after an apostrophe that ends a word.
fn is_possessive_s(text: &str, previous_end: usize, (from, to): (usize, usize)) -> bool {
    matches!(&text[from..to], "s" | "S") && matches!(&text[previous_end..from], "'" | "\u{2019}")
}

/// Spells out Greek letters in lowercased tokens: "α" → "alpha", "tnfα" → "tnfalpha".
#[derive(Clone, Copy, Default)]
pub struct GreekFolder;

impl TokenFilter for GreekFolder {
    type Tokenizer<T: Tokenizer> = GreekFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GreekFolderFilter<T> {
        GreekFolderFilter(tokenizer)
    }
}

/// The tokenizer [`GreekFolder`] wraps around another.
#[derive(Clone)]
pub struct GreekFolderFilter<T>(T);

impl<T: Tokenizer> Tokenizer for GreekFolderFilter<T> {
    type TokenStream<'a> = GreekFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GreekFolderStream(self.0.token_stream(text))
    }
}

/// Token stream of [`GreekFolder`].
pub struct GreekFolderStream<S>(S);

impl<S: TokenStream> TokenStream for GreekFolderStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if !token.text.is_ascii() && token.text.chars().any(|c| greek_name(c).is_some()) {
            let mut folded = String::with_capacity(token.text.len() + 8);
            for c in token.text.chars() {
                match greek_name(c) {
                    Some(name) => folded.push_str(name),
                    None => folded.push(c),
                }
            }
            token.text = folded;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The English name of a lowercase Greek letter (and of the micro sign).
fn greek_name(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' | 'ϐ' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' | 'ϵ' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' | 'ϰ' => "kappa",
        'λ' => "lambda",
        'μ' | 'µ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' | 'ϖ' => "pi",
        'ρ' | 'ϱ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        _ => return None,
    })
}

/// tantivy's English Snowball stemmer with a cache of the words it has stemmed.
#[derive(Clone, Copy, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: FxHashMap::default(),
        }
    }
}

/// The tokenizer [`CachedStemmer`] wraps around another; it owns the cache.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() >= STEM_CACHE_ENTRIES {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
        }
    }
}

/// Token stream of [`CachedStemmer`].
pub struct CachedStemmerStream<'a, S> {
    tail: S,
    cache: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let american = american_spelling(&token.text);
        let stem = frostem::Stemmer::new(frostem::Algorithm::English)
            .stem(american.as_deref().unwrap_or(&token.text))
            .into_owned();
        if self.cache.len() < STEM_CACHE_ENTRIES {
            self.cache
                .insert(mem::replace(&mut token.text, stem.clone()), stem);
        } else {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The American spelling of a lowercase British one, by the regular patterns of medical English:
/// "-our" (tumour, behavioural), "ae" (haemorrhage, anaemia, paediatric, aetiology), "oe"
/// (oedema, oesophagus, oestrogen, foetal, diarrhoea), "-ise"/"-isation" (randomised,
/// organisation), "-yse" (analysed), "-tre"/"-bre" (centre, titre, fibre), "-logue" (analogue) and
/// "-elled"/"-elling" (labelled, signalling). `None` when nothing changes. Both the index and the
/// query side go through it, so a rewrite only harms when it makes one real word of two; the
/// patterns need a few letters before them to keep "four", "arise" or "spelled" as they are.
pub fn american_spelling(word: &str) -> Option<String> {
    if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut w = word.to_string();
    // Inside the word.
    for (british, american) in [
        ("aem", "em"),
        ("paed", "ped"),
        ("aetiol", "etiol"),
        ("anaesth", "anesth"),
        ("caesar", "cesar"),
        ("gynaec", "gynec"),
        ("faec", "fec"),
        ("rrhoea", "rrhea"),
        ("pnoea", "pnea"),
        ("coeli", "celi"),
    ] {
        if w.contains(british) {
            w = w.replace(british, american);
        }
    }
    // At the start.
    for (british, american) in [
        ("oedem", "edem"),
        ("oesoph", "esoph"),
        ("oestr", "estr"),
        ("foet", "fet"),
    ] {
        if let Some(rest) = w.strip_prefix(british) {
            w = format!("{american}{rest}");
        }
    }
    // At the end: (British, American, letters needed before, the endings that may follow).
    const OUR: &[&str] = &[
        "", "s", "ed", "ing", "able", "ably", "al", "ally", "ite", "ites", "ful", "less", "ism",
        "er", "ers", "ist", "ists",
    ];
    const VERB: &[&str] = &["e", "ed", "es", "ing", "er", "ers"];
    const IZE: &[&str] = &[
        "e", "ed", "es", "ing", "er", "ers", "ation", "ations", "ational",
    ];
    for (british, american, before, endings) in [
        ("our", "or", 2, OUR),
        ("is", "iz", 3, IZE),
        ("ys", "yz", 2, VERB),
        ("tre", "ter", 2, &["", "s"][..]),
        ("bre", "ber", 2, &["", "s"][..]),
        ("logue", "log", 2, &["", "s"][..]),
        ("ell", "el", 3, &["ed", "ing"][..]),
    ] {
        let rewritten = endings.iter().find_map(|ending| {
            let stem = w.strip_suffix(ending)?.strip_suffix(british)?;
            (stem.len() >= before).then(|| format!("{stem}{american}{ending}"))
        });
        if let Some(r) = rewritten {
            w = r;
            break;
        }
    }
    (w != word).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, TextAnalyzer};

    fn analyze(text: &str) -> Vec<(String, usize)> {
        let mut a = TextAnalyzer::builder(BioTokenizer::default())
            .filter(LowerCaser)
            .filter(GreekFolder)
            .filter(CachedStemmer)
            .build();
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn compounds_are_joined_at_their_first_position() {
        assert_eq!(
            analyze("IL-6 levels"),
            [
                ("il6".to_string(), 0),
                ("il".to_string(), 0),
                ("6".to_string(), 1),
                ("level".to_string(), 2)
            ]
        );
        assert_eq!(
            texts("N-methyl-D-aspartate (NMDA)"),
            ["nmethyldaspart", "n", "methyl", "d", "aspart", "nmda"]
        );
        assert_eq!(texts("5-HT2A"), ["5ht2a", "5", "ht2a"]);
        assert_eq!(texts("COVID‐19"), ["covid19", "covid", "19"]);
        assert_eq!(
            texts("Alzheimer’s and patients' s"),
            ["alzheim", "and", "patient", "s"]
        );
    }

    #[test]
    fn ranges_and_spaced_dashes_are_not_compounds() {
        assert_eq!(texts("pages 238–249"), ["page", "238", "249"]);
        assert_eq!(texts("before - after"), ["befor", "after"]);
        assert_eq!(texts("a--b"), ["a", "b"]);
    }

    #[test]
    fn greek_letters_are_spelled_out() {
        assert_eq!(texts("TNF-α and β-amyloid"), {
            [
                "tnfalpha",
                "tnf",
                "alpha",
                "and",
                "betaamyloid",
                "beta",
                "amyloid",
            ]
        });
        assert_eq!(texts("10 µg"), ["10", "mug"]);
        assert_eq!(texts("TNFα"), texts("tnfalpha"));
    }

    #[test]
    fn acronym_plurals_meet_their_singular() {
        assert_eq!(
            texts("SNPs DCs MSCs PPAR-RXRs"),
            texts("SNP DC MSC PPAR-RXR")
        );
        assert_eq!(texts("Ms MS as IS"), ["ms", "ms", "as", "is"]);
    }

    #[test]
    fn british_spellings_meet_american_ones() {
        for (british, american) in [
            ("tumours", "tumors"),
            ("behavioural", "behavioral"),
            ("haemorrhage", "hemorrhage"),
            ("leukaemia", "leukemia"),
            ("paediatric", "pediatric"),
            ("oedema", "edema"),
            ("oesophageal", "esophageal"),
            ("foetal", "fetal"),
            ("diarrhoea", "diarrhea"),
            ("randomised", "randomized"),
            ("organisation", "organization"),
            ("analysed", "analyzed"),
            ("centre", "center"),
            ("titres", "titers"),
            ("fibre", "fiber"),
            ("analogue", "analog"),
            ("labelled", "labeled"),
            ("signalling", "signaling"),
        ] {
            assert_eq!(texts(british), texts(american), "{british}");
        }
        for word in [
            "four", "hours", "your", "arise", "arising", "spelled", "dwelling", "tumor", "this",
        ] {
            assert_eq!(american_spelling(word), None, "{word}");
        }
    }

    #[test]
    fn cached_stems_equal_fresh_ones() {
        let text = "receptors receptor receptors dissociation dissociative receptors";
        assert_eq!(
            texts(text),
            ["receptor", "receptor", "receptor", "dissoci", "dissoci", "receptor"]
        );
    }
}
