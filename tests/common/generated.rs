//! A generated collection with skewed (Zipf-like) word statistics, for comparing rankings.

use std::path::Path;

use clinsearch::search::Hit;

/// Largest difference allowed between a merged score and the single index's.
pub const TOLERANCE: f32 = 1e-4;

/// A deterministic pseudo-random sequence (64-bit LCG, Knuth's MMIX constants).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Made-up words, so that stemming leaves them apart: three syllables each.
pub fn vocabulary() -> Vec<String> {
    let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi"];
    let mut words = Vec::new();
    for a in syllables {
        for b in syllables {
            for c in ["x", "n", "s", "m"] {
                words.push(format!("{a}{b}{c}"));
            }
        }
    }
    words
}

/// A word drawn with a skewed (roughly Zipfian) distribution: low indexes are common.
pub fn word<'a>(rng: &mut Lcg, words: &'a [String]) -> &'a str {
    let u = rng.below(1_000_000) as f64 / 1e6;
    &words[((u * u * u) * words.len() as f64) as usize]
}

/// `n` Markdown articles: a title and two to four paragraphs of 6 to 40 words.
pub fn collection(n: usize, seed: u64) -> Vec<(String, String)> {
    let words = vocabulary();
    let mut rng = Lcg(seed);
    (0..n)
        .map(|i| {
            let title: Vec<&str> = (0..3).map(|_| word(&mut rng, &words)).collect();
            let mut text = format!("# {}\n\n", title.join(" "));
            for _ in 0..2 + rng.below(3) {
                let len = 6 + rng.below(35);
                let para: Vec<&str> = (0..len).map(|_| word(&mut rng, &words)).collect();
                text.push_str(&para.join(" "));
                text.push_str(".\n\n");
            }
            (format!("a{i:04}.md"), text)
        })
        .collect()
}

/// Write `articles` into `dir`.
pub fn write(dir: &Path, articles: &[&(String, String)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in articles {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// Ids and scores of two hit lists are the same, scores to [`TOLERANCE`].
pub fn assert_same_hits(expected: &[Hit], got: &[Hit], what: &str) {
    let ids = |hits: &[Hit]| hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(expected), ids(got), "{what}");
    for (e, g) in expected.iter().zip(got) {
        let (e, g) = (e.score.unwrap_or(0.0), g.score.unwrap_or(0.0));
        assert!((e - g).abs() <= TOLERANCE, "{what}: {e} vs {g}");
    }
}
