//! Sentence embeddings for hybrid ranking: the model (all-MiniLM-L6-v2 by default, or another
//! BERT sentence encoder, through candle with the `semantic` feature), the vectors of an index's
//! passages ([`store`], built by [`build`]) and where the model lives.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[cfg(feature = "semantic")]
pub mod bert;
pub mod build;
#[cfg(feature = "semantic")]
pub mod model;
pub mod partial;
#[cfg(feature = "semantic")]
pub mod recipe;
pub mod store;

pub use build::{embed_index, passage_input, EmbedProgress, EmbedReport};
#[cfg(feature = "semantic")]
pub use model::set_thread_counts;
pub use store::VectorStore;

/// The model's folder name under the cache folder.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// The files a model folder holds: configuration, tokenizer, weights.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];
/// Environment variable naming the model folder (as `--model` does).
pub const MODEL_ENV: &str = "CLINSEARCH_MODEL";

/// Turns texts into unit-length vectors whose dot products rank passages for a query.
pub trait Embedder: Send + Sync {
    /// Length of the vectors.
    fn dim(&self) -> usize;
    /// Identifies the weights: vectors made by one model are meaningless to another.
    fn fingerprint(&self) -> u64;
    /// The length of `text` as the model reads it (for batching inputs of similar length).
    fn tokens(&self, text: &str) -> usize {
        text.len() / 4 + 2
    }
    /// One L2-normalised vector per text, in order, each read as a query (after the model's
    /// query prompt, if it has one).
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
    /// One vector per passage, each input `(text, title)` made by [`passage_input`]: the first
    /// `title` bytes of `text` are its article's title, which a model may weigh as context
    /// rather than as the passage's own words. By default, as [`embed`](Embedder::embed).
    fn embed_passages(&self, inputs: &[(&str, usize)]) -> Result<Vec<Vec<f32>>> {
        self.embed(&inputs.iter().map(|(text, _)| *text).collect::<Vec<_>>())
    }
}

/// The default model folder: `$CLINSEARCH_MODEL`, else
/// `$XDG_CACHE_HOME/clinsearch/models/all-MiniLM-L6-v2`, else `~/.cache/clinsearch/models/...`.
pub fn default_model_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(cache.join("clinsearch").join("models").join(MODEL_NAME))
}

/// Load the sentence-embedding model from `dir` (default: [`default_model_dir`]). A folder
/// without the model's files is [`Error::NoModel`], whose message names `scripts/fetch-model`.
pub fn load_model(dir: Option<&Path>) -> Result<Box<dyn Embedder>> {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => default_model_dir().ok_or_else(|| Error::NoModel(PathBuf::from(MODEL_NAME)))?,
    };
    if MODEL_FILES.iter().any(|f| !dir.join(f).is_file()) {
        return Err(Error::NoModel(dir));
    }
    load_from(&dir)
}

#[cfg(feature = "semantic")]
fn load_from(dir: &Path) -> Result<Box<dyn Embedder>> {
    Ok(Box::new(model::SentenceEncoder::load(dir)?))
}

#[cfg(not(feature = "semantic"))]
fn load_from(_dir: &Path) -> Result<Box<dyn Embedder>> {
    Err(Error::Embedding(
        "this clinsearch was built without the `semantic` feature: no sentence embeddings".into(),
    ))
}

/// A deterministic stand-in for a model, for tests: each word adds a fixed pseudo-random
/// direction (hashed from the word), so texts sharing words point the same way.
#[doc(hidden)]
pub struct FakeEmbedder {
    /// Length of the vectors.
    pub dim: usize,
}

impl Embedder for FakeEmbedder {
    fn dim(&self) -> usize {
        self.dim
    }

    fn fingerprint(&self) -> u64 {
        0xfa6e ^ self.dim as u64
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|text| {
                let mut v = vec![0f32; self.dim];
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    if word.is_empty() {
                        continue;
                    }
                    let word = word.to_lowercase();
                    for (i, x) in v.iter_mut().enumerate() {
                        let h = xxhash_rust::xxh3::xxh3_64_with_seed(word.as_bytes(), i as u64);
                        *x += (h % 2001) as f32 / 1000.0 - 1.0;
                    }
                }
                normalise(&mut v);
                v
            })
            .collect())
    }
}

/// Scale `v` to unit length (a zero vector stays zero).
pub fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_vectors_are_unit_length_and_share_words() {
        let e = FakeEmbedder { dim: 32 };
        let v = e
            .embed(&["ketamine depression", "ketamine mood", "bone fracture"])
            .unwrap();
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-5);
        assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]));
    }

    #[test]
    fn a_folder_without_the_model_names_the_fetch_script() {
        let dir = tempfile::tempdir().unwrap();
        let message = load_model(Some(dir.path())).err().unwrap().to_string();
        assert!(message.contains("scripts/fetch-model"), "{message}");
    }
}
