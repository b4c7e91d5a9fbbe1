//! A BERT sentence encoder in pure Rust (all-MiniLM-L6-v2 by default): the `tokenizers` crate's
//! WordPiece tokenizer and a BERT encoder on candle ([`super::bert`]), then pooling over the
//! tokens and L2 normalisation as the folder's sentence-transformers files say ([`Recipe`]).

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use tokenizers::{Tokenizer, TruncationParams};

use super::bert::{Bert, Config};
use super::recipe::{Pooling, Recipe, MAX_TOKENS};
use super::{Embedder, MODEL_FILES};
use crate::error::{Error, Result};

/// Paragraph length, in word pieces, from which a passage's title is pooled at full weight
/// ([`context_weight`]): 128, the length this model was trained at.
pub const CONTEXT_LENGTH: usize = 128;

/// Version of how passages are read and pooled, part of the vectors' fingerprint: vectors
/// pooled another way are not compared with these.
const POOLING: u64 = 2;

/// A BERT sentence encoder loaded from a folder with `config.json`, `tokenizer.json` and
/// `model.safetensors`, and optionally sentence-transformers' files ([`Recipe`]).
pub struct SentenceEncoder {
    model: Bert,
    tokenizer: Tokenizer,
    recipe: Recipe,
    dim: usize,
    fingerprint: u64,
    dir: PathBuf,
}

impl SentenceEncoder {
    /// Load the model in `dir`.
    pub fn load(dir: &Path) -> Result<SentenceEncoder> {
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
        let recipe = Recipe::read(dir)?;
        let mut tokenizer = Tokenizer::from_bytes(read(MODEL_FILES[1])?)
            .map_err(|e| bad(MODEL_FILES[1], format!("not a tokenizer: {e}")))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: recipe.max_tokens.min(config.max_position_embeddings),
                ..Default::default()
            }))
            .map_err(|e| bad(MODEL_FILES[1], e.to_string()))?;
        tokenizer.with_padding(None);
        let weights = read(MODEL_FILES[2])?;
        let fingerprint = xxhash_rust::xxh3::xxh3_64(&weights)
            ^ (POOLING << 48 | (MAX_TOKENS as u64) << 16 | CONTEXT_LENGTH as u64)
            ^ recipe.fingerprint();
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| bad(MODEL_FILES[2], e.to_string()))?;
        let model = Bert::load(vb, &config)
            .map_err(|e| bad(MODEL_FILES[2], format!("not this BERT's weights: {e}")))?;
        Ok(SentenceEncoder {
            model,
            tokenizer,
            recipe,
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
        let pooled = match self.recipe.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            // Weighted mean of the token vectors, padding left out: sentence-transformers' mean
            // pooling when no text has context.
            Pooling::Mean => {
                let mask = Tensor::from_vec(weights, (n, longest), &device)?.unsqueeze(2)?;
                let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
                let counts = mask.sum(1)?.clamp(1e-9, f32::MAX)?;
                summed.broadcast_div(&counts)?
            }
        };
        let norms = pooled
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12, f32::MAX)?;
        pooled.broadcast_div(&norms)?.to_vec2()
    }
}

impl Embedder for SentenceEncoder {
    fn dim(&self) -> usize {
        self.dim
    }

    fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn tokens(&self, text: &str) -> usize {
        self.tokenizer
            .encode_fast(text, true)
            .map_or(self.recipe.max_tokens, |e| e.len())
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let prompt = &self.recipe.query_prompt;
        if prompt.is_empty() {
            return self.run(texts, &[]);
        }
        let texts: Vec<String> = texts.iter().map(|t| format!("{prompt}{t}")).collect();
        self.run(&texts.iter().map(String::as_str).collect::<Vec<_>>(), &[])
    }

    fn embed_passages(&self, inputs: &[(&str, usize)]) -> Result<Vec<Vec<f32>>> {
        let prompt = &self.recipe.passage_prompt;
        let texts: Vec<String> = inputs
            .iter()
            .map(|(text, _)| format!("{prompt}{text}"))
            .collect();
        // The prompt and the title are the passage's context, not its own words.
        let context: Vec<usize> = inputs
            .iter()
            .map(|(text, title)| {
                let title = text.get(..*title).unwrap_or_default();
                self.tokenizer
                    .encode_fast(format!("{prompt}{title}"), false)
                    .map_or(0, |e| e.len())
            })
            .collect();
        self.run(
            &texts.iter().map(String::as_str).collect::<Vec<_>>(),
            &context,
        )
    }
}

impl SentenceEncoder {
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
        let Err(e) = SentenceEncoder::load(dir.path()) else {
            panic!("loaded a model with another activation");
        };
        let e = e.to_string();
        assert!(e.contains("config.json") && e.contains("\"relu\""), "{e}");
    }

    /// A BERT of width 8 with one layer and a vocabulary of ten word pieces, its weights
    /// pseudo-random, written to `dir` as a model folder.
    fn write_tiny_bert(dir: &Path) {
        use std::collections::HashMap;
        use tokenizers::models::wordpiece::WordPiece;
        use tokenizers::normalizers::BertNormalizer;
        use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
        use tokenizers::processors::bert::BertProcessing;

        let config = r#"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1,
            "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 16}"#;
        std::fs::write(dir.join(MODEL_FILES[0]), config).unwrap();
        let words = [
            "[PAD]",
            "[UNK]",
            "[CLS]",
            "[SEP]",
            "query",
            ":",
            "ketamine",
            "depression",
            "bone",
            "fracture",
        ];
        let vocab: [(String, u32); 10] = std::array::from_fn(|i| (words[i].into(), i as u32));
        let model = WordPiece::builder()
            .vocab(vocab)
            .unk_token("[UNK]".into())
            .build()
            .unwrap();
        let mut tokenizer = Tokenizer::new(model);
        tokenizer
            .with_normalizer(Some(BertNormalizer::default()))
            .unwrap();
        tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
        tokenizer.with_post_processor(Some(BertProcessing::new(
            ("[SEP]".into(), 3),
            ("[CLS]".into(), 2),
        )));
        tokenizer.save(dir.join(MODEL_FILES[1]), false).unwrap();

        let mut seed = 7u64;
        let mut random = |shape: &[usize]| {
            let n = shape.iter().product();
            let values: Vec<f32> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                })
                .collect();
            Tensor::from_vec(values, shape, &Device::Cpu).unwrap()
        };
        let mut tensors = HashMap::new();
        let mut add = |name: &str, shape: &[usize]| {
            tensors.insert(name.to_string(), random(shape));
        };
        add("embeddings.word_embeddings.weight", &[10, 8]);
        add("embeddings.position_embeddings.weight", &[16, 8]);
        add("embeddings.token_type_embeddings.weight", &[2, 8]);
        let layer = "encoder.layer.0";
        for (name, outputs, inputs) in [
            ("attention.self.query", 8, 8),
            ("attention.self.key", 8, 8),
            ("attention.self.value", 8, 8),
            ("attention.output.dense", 8, 8),
            ("intermediate.dense", 16, 8),
            ("output.dense", 8, 16),
        ] {
            add(&format!("{layer}.{name}.weight"), &[outputs, inputs]);
            add(&format!("{layer}.{name}.bias"), &[outputs]);
        }
        for norm in [
            "embeddings.LayerNorm".to_string(),
            format!("{layer}.attention.output.LayerNorm"),
            format!("{layer}.output.LayerNorm"),
        ] {
            add(&format!("{norm}.weight"), &[8]);
            add(&format!("{norm}.bias"), &[8]);
        }
        candle_core::safetensors::save(&tensors, dir.join(MODEL_FILES[2])).unwrap();
    }

    #[test]
    fn the_folders_pooling_and_prompts_make_the_vectors() {
        let dir = tempfile::tempdir().unwrap();
        write_tiny_bert(dir.path());
        let mean = SentenceEncoder::load(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("1_Pooling")).unwrap();
        std::fs::write(
            dir.path().join("1_Pooling/config.json"),
            r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("config_sentence_transformers.json"),
            r#"{"prompts": {"query": "query: "}}"#,
        )
        .unwrap();
        let cls = SentenceEncoder::load(dir.path()).unwrap();
        assert_ne!(mean.fingerprint(), cls.fingerprint());

        // The [CLS] token's vector, from the encoder itself.
        let ids = Tensor::new(&[[2u32, 4, 5, 6, 7, 3]], &Device::Cpu).unwrap();
        let mask = Tensor::ones((1, 6), DType::U32, &Device::Cpu).unwrap();
        let hidden = cls.model.forward(&ids, &mask).unwrap();
        let mut first: Vec<f32> = hidden.get(0).unwrap().get(0).unwrap().to_vec1().unwrap();
        super::super::normalise(&mut first);
        let by_cls = cls.embed(&["ketamine depression"]).unwrap().remove(0);
        for (a, b) in by_cls.iter().zip(&first) {
            assert!((a - b).abs() < 1e-5, "{by_cls:?} against {first:?}");
        }
        // Passages get no query prompt, and mean pooling differs from the first token's vector.
        let passage = cls.embed_passages(&[("ketamine depression", 0)]).unwrap();
        assert!(
            (passage[0]
                .iter()
                .zip(&by_cls)
                .map(|(a, b)| a * b)
                .sum::<f32>()
                - 1.0)
                .abs()
                > 1e-4
        );
        let by_mean = mean
            .embed(&["query: ketamine depression"])
            .unwrap()
            .remove(0);
        assert!((by_mean.iter().zip(&by_cls).map(|(a, b)| a * b).sum::<f32>() - 1.0).abs() > 1e-4);
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
