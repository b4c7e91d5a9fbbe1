//! all-MiniLM-L6-v2 in pure Rust: the `tokenizers` crate's WordPiece tokenizer and a BERT
//! encoder on candle ([`super::bert`]), mean pooling over the tokens and L2 normalisation, as
//! sentence-transformers computes it.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use tokenizers::{Tokenizer, TruncationParams};

use super::bert::{Bert, Config};
use super::{Embedder, MODEL_FILES};
use crate::error::{Error, Result};

/// Longest input, in word pieces (special tokens included): sentence-transformers'
/// `max_seq_length` for this model; longer passages are cut. At 128, the length the model was
/// trained at, a SciFact abstract costs 2.7 times less CPU time, but nDCG@10 fell on SciFact's
/// training queries (0.7246 against 0.7341) and on MED (0.8032 against 0.8135). Part of the
/// vectors' fingerprint.
pub const MAX_TOKENS: usize = 256;

/// Paragraph length, in word pieces, from which a passage's title is pooled at full weight
/// ([`context_weight`]): 128, the length this model was trained at.
pub const CONTEXT_LENGTH: usize = 128;

/// Version of how passages are read and pooled, part of the vectors' fingerprint: vectors
/// pooled another way are not compared with these.
const POOLING: u64 = 2;

/// A BERT sentence encoder loaded from a folder with `config.json`, `tokenizer.json` and
/// `model.safetensors`.
pub struct MiniLm {
    model: Bert,
    tokenizer: Tokenizer,
    dim: usize,
    fingerprint: u64,
    dir: PathBuf,
}

impl MiniLm {
    /// Load the model in `dir`.
    pub fn load(dir: &Path) -> Result<MiniLm> {
        keep_freed_memory();
        let bad = |file: &str, reason: String| {
            Error::Embedding(format!("{}: {reason}", dir.join(file).display()))
        };
        let read = |file: &str| {
            std::fs::read(dir.join(file)).map_err(|source| Error::Io {
                path: dir.join(file),
                source,
            })
        };
        let config: Config = serde_json::from_slice(&read(MODEL_FILES[0])?)
            .map_err(|e| bad(MODEL_FILES[0], format!("not a BERT configuration: {e}")))?;
        if config.hidden_act != "gelu" {
            return Err(bad(
                MODEL_FILES[0],
                format!(
                    "activation {:?}: only BERT's \"gelu\" is implemented",
                    config.hidden_act
                ),
            ));
        }
        let mut tokenizer = Tokenizer::from_bytes(read(MODEL_FILES[1])?)
            .map_err(|e| bad(MODEL_FILES[1], format!("not a tokenizer: {e}")))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS.min(config.max_position_embeddings),
                ..Default::default()
            }))
            .map_err(|e| bad(MODEL_FILES[1], e.to_string()))?;
        tokenizer.with_padding(None);
        let weights = read(MODEL_FILES[2])?;
        let fingerprint = xxhash_rust::xxh3::xxh3_64(&weights)
            ^ (POOLING << 48 | (MAX_TOKENS as u64) << 16 | CONTEXT_LENGTH as u64);
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| bad(MODEL_FILES[2], e.to_string()))?;
        let model = Bert::load(vb, &config)
            .map_err(|e| bad(MODEL_FILES[2], format!("not this BERT's weights: {e}")))?;
        Ok(MiniLm {
            model,
            tokenizer,
            dim: config.hidden_size,
            fingerprint,
            dir: dir.to_path_buf(),
        })
    }

    /// Embed `texts`, the first `context[i]` word pieces of text `i` (after `[CLS]`) weighted
    /// as [`context_weight`] says.
    fn forward(&self, texts: &[&str], context: &[usize]) -> candle_core::Result<Vec<Vec<f32>>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(candle_core::Error::wrap)?;
        let longest = encodings.iter().map(|e| e.len()).max().unwrap_or(0).max(1);
        let n = encodings.len();
        let (mut ids, mut mask) = (vec![0u32; n * longest], vec![0u32; n * longest]);
        let mut weights = vec![0f32; n * longest];
        for (i, e) in encodings.iter().enumerate() {
            let row = i * longest;
            ids[row..row + e.len()].copy_from_slice(e.get_ids());
            mask[row..row + e.len()].copy_from_slice(e.get_attention_mask());
            let own = e.len().saturating_sub(2);
            let title = context.get(i).copied().unwrap_or(0).min(own);
            let w = context_weight(own - title);
            weights[row..row + e.len()].fill(1.0);
            weights[row + 1..row + 1 + title].fill(w);
        }
        let device = Device::Cpu;
        let ids = Tensor::from_vec(ids, (n, longest), &device)?;
        let mask = Tensor::from_vec(mask, (n, longest), &device)?;
        let hidden = self.model.forward(&ids, &mask)?;
        // Weighted mean of the token vectors, padding left out: sentence-transformers' mean
        // pooling when no text has context.
        let mask = Tensor::from_vec(weights, (n, longest), &device)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f32::MAX)?;
        let pooled = summed.broadcast_div(&counts)?;
        let norms = pooled
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12, f32::MAX)?;
        pooled.broadcast_div(&norms)?.to_vec2()
    }
}

impl Embedder for MiniLm {
    fn dim(&self) -> usize {
        self.dim
    }

    fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn tokens(&self, text: &str) -> usize {
        self.tokenizer
            .encode_fast(text, true)
            .map_or(MAX_TOKENS, |e| e.len())
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.run(texts, &[])
    }

    fn embed_passages(&self, inputs: &[(&str, usize)]) -> Result<Vec<Vec<f32>>> {
        let texts: Vec<&str> = inputs.iter().map(|(text, _)| *text).collect();
        let context: Vec<usize> = inputs
            .iter()
            .map(|(text, title)| {
                let title = text.get(..*title).unwrap_or_default();
                self.tokenizer
                    .encode_fast(title, false)
                    .map_or(0, |e| e.len())
            })
            .collect();
        self.run(&texts, &context)
    }
}

impl MiniLm {
    fn run(&self, texts: &[&str], context: &[usize]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        self.forward(texts, context).map_err(|e| {
            Error::Embedding(format!(
                "embedding with the model in {} failed: {e}",
                self.dir.display()
            ))
        })
    }
}

/// The pooling weight of a title's word pieces in a passage with `own` word pieces of its own
/// (heading path and paragraph): 1 from [`CONTEXT_LENGTH`] on, less below, so that the title's
/// share of the vector is never larger than in a paragraph of that length. The title still
/// gives every word piece its context through attention; it just cannot outweigh a short
/// paragraph (a caption, a funding statement) and make it the nearest passage to any query
/// about the title. The lexical ranking treats title-only matches the same way
/// (`search::title_only`).
fn context_weight(own: usize) -> f32 {
    if own == 0 {
        1.0
    } else {
        (own as f32 / CONTEXT_LENGTH as f32).min(1.0)
    }
}

/// Tell candle how many threads to use, before it asks the system on every call, unless the
/// environment already says (`CANDLE_NUM_THREADS`, `RAYON_NUM_THREADS`):
///
/// - Element-wise operations (softmax, GELU, additions) run on the calling thread. By default
///   candle splits each large one with a pool of its own threads, one call at a time, the caller
///   spinning until the pool is done: with passages already embedded in parallel batches (one
///   per core), that spinning took 14% of CPU samples (`perf`), and SciFact abstracts cost 3-15%
///   more CPU time than with one thread per operation (side by side, alternated; more under
///   load).
/// - Matrix products use as many threads as rayon's pool has: every core the process may run
///   on. Unless `RAYON_NUM_THREADS` is set, candle instead counts physical cores by reading and
///   parsing `/proc/cpuinfo` on every matrix product (36 per embedded query): 2-3 ms of a
///   query's 12-13 ms (`perf`; timed alternately).
///
/// Candle reads the variables when it runs an operation. Setting an environment variable while
/// another thread may read the environment is unsound, so call this before starting any
/// thread: the binary does so first thing; loading the model does not.
pub fn set_thread_counts() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::env::set_var("RAYON_NUM_THREADS", cores.to_string());
    }
}

/// Ask glibc's malloc to keep large freed blocks for reuse. candle allocates and frees the
/// tensors of every layer for every batch; by default glibc maps each block over its (adaptive)
/// threshold afresh and unmaps it on free (a batch's attention scores alone are ~100 MB), which
/// cost 28% of embedding CPU time in the kernel (200 SciFact abstracts: 9.8 passages/s, 11.8 s
/// system time; with a 256 MB threshold 13.0/s, 1.7 s; with 32 MB no better than before).
/// Other C libraries manage memory their own way and are left alone.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // mallopt(3): M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3.
        extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only changes malloc's tunables; it is safe to call at any time.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 256 << 20);
            mallopt(M_TRIM_THRESHOLD, 512 << 20);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_activation_is_refused_naming_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        // The fields of all-MiniLM-L6-v2's config.json that the encoder reads.
        let config = r#"{"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
            "num_attention_heads": 12, "intermediate_size": 1536,
            "max_position_embeddings": 512, "hidden_act": "relu"}"#;
        std::fs::write(dir.path().join(MODEL_FILES[0]), config).unwrap();
        let Err(e) = MiniLm::load(dir.path()) else {
            panic!("loaded a model with another activation");
        };
        let e = e.to_string();
        assert!(e.contains("config.json") && e.contains("\"relu\""), "{e}");
    }

    #[test]
    fn a_title_weighs_in_full_from_the_models_training_length() {
        assert_eq!(context_weight(CONTEXT_LENGTH), 1.0);
        assert_eq!(context_weight(400), 1.0);
        assert_eq!(context_weight(32), 0.25);
        // A passage that is only its title keeps it.
        assert_eq!(context_weight(0), 1.0);
    }
}
