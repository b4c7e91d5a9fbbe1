//! How a model folder says its sentence vectors are made, in sentence-transformers' files: the
//! pooling (`modules.json` naming the pooling module's folder, usually `1_Pooling/config.json`),
//! the longest input (`sentence_bert_config.json`) and the prompts put before queries and
//! passages (`config_sentence_transformers.json`). A folder without them (as
//! `scripts/fetch-model` lays out all-MiniLM-L6-v2) gets all-MiniLM-L6-v2's recipe: mean
//! pooling, 256 word pieces, no prompts.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Longest input of the default recipe, in word pieces (special tokens included):
/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2. At 128, the length that model
/// was trained at, a SciFact abstract costs 2.7 times less CPU time, but nDCG@10 fell on
/// SciFact's training queries (0.7246 against 0.7341) and on MED (0.8032 against 0.8135).
pub const MAX_TOKENS: usize = 256;

/// How the token vectors become one vector per text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// The mean of the token vectors (padding left out).
    Mean,
    /// The first token's (`[CLS]`) vector.
    Cls,
}

/// How a model's sentence vectors are made. Vectors are always L2-normalised, as every model
/// meant for cosine or dot-product ranking has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipe {
    /// Token vectors to one vector.
    pub pooling: Pooling,
    /// Longest input, in word pieces; longer ones are cut.
    pub max_tokens: usize,
    /// Put before a query (some models are trained with one, such as `"query: "`).
    pub query_prompt: String,
    /// Put before a passage.
    pub passage_prompt: String,
}

impl Default for Recipe {
    fn default() -> Recipe {
        Recipe {
            pooling: Pooling::Mean,
            max_tokens: MAX_TOKENS,
            query_prompt: String::new(),
            passage_prompt: String::new(),
        }
    }
}

#[derive(Deserialize)]
struct Module {
    #[serde(default)]
    path: String,
    #[serde(rename = "type", default)]
    kind: String,
}

/// `1_Pooling/config.json`: which of sentence-transformers' pooling modes are on.
#[derive(Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
    #[serde(default)]
    pooling_mode_weightedmean_tokens: bool,
    #[serde(default)]
    pooling_mode_lasttoken: bool,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

#[derive(Deserialize)]
struct SentenceTransformersConfig {
    #[serde(default)]
    prompts: std::collections::HashMap<String, String>,
}

impl Recipe {
    /// Read the recipe from the sentence-transformers files in `dir`, each optional; a file that
    /// is there but unreadable, or asks for a pooling this encoder does not compute, is an error
    /// naming it.
    pub fn read(dir: &Path) -> Result<Recipe> {
        let mut recipe = Recipe::default();
        let pooling_dir = match read_json::<Vec<Module>>(dir, Path::new("modules.json"))? {
            Some(modules) => modules
                .into_iter()
                .find(|m| m.kind.ends_with("Pooling"))
                .map(|m| m.path),
            None => Some("1_Pooling".into()),
        };
        if let Some(pooling_dir) = pooling_dir.filter(|p| !p.is_empty()) {
            let file = Path::new(&pooling_dir).join("config.json");
            if let Some(config) = read_json::<PoolingConfig>(dir, &file)? {
                recipe.pooling = config.pooling().map_err(|e| bad(dir, &file, e))?;
            }
        }
        let file = Path::new("sentence_bert_config.json");
        if let Some(config) = read_json::<SentenceBertConfig>(dir, file)? {
            if let Some(n) = config.max_seq_length {
                if n < 3 {
                    return Err(bad(dir, file, format!("max_seq_length {n} is too short")));
                }
                recipe.max_tokens = n;
            }
        }
        let file = Path::new("config_sentence_transformers.json");
        if let Some(config) = read_json::<SentenceTransformersConfig>(dir, file)? {
            let prompt = |names: &[&str]| {
                names
                    .iter()
                    .find_map(|name| config.prompts.get(*name).cloned())
                    .unwrap_or_default()
            };
            recipe.query_prompt = prompt(&["query"]);
            recipe.passage_prompt = prompt(&["passage", "document", "corpus"]);
        }
        Ok(recipe)
    }

    /// What sets this recipe apart from the default one, for the vectors' fingerprint: 0 for
    /// the default recipe, so that its vectors keep the fingerprint they had before recipes
    /// were read.
    pub fn fingerprint(&self) -> u64 {
        if *self == Recipe::default() {
            return 0;
        }
        let text = format!(
            "{:?}\u{0}{}\u{0}{}\u{0}{}",
            self.pooling, self.max_tokens, self.query_prompt, self.passage_prompt
        );
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

impl PoolingConfig {
    fn pooling(&self) -> std::result::Result<Pooling, String> {
        let others = [
            (self.pooling_mode_max_tokens, "max"),
            (self.pooling_mode_mean_sqrt_len_tokens, "mean_sqrt_len"),
            (self.pooling_mode_weightedmean_tokens, "weightedmean"),
            (self.pooling_mode_lasttoken, "lasttoken"),
        ];
        if let Some((_, name)) = others.iter().find(|(on, _)| *on) {
            return Err(format!(
                "pooling mode {name:?}: only \"cls_token\" and \"mean_tokens\" are implemented"
            ));
        }
        match (self.pooling_mode_cls_token, self.pooling_mode_mean_tokens) {
            (true, false) => Ok(Pooling::Cls),
            (false, true) => Ok(Pooling::Mean),
            (true, true) => {
                Err("both cls_token and mean_tokens pooling: one is implemented".into())
            }
            (false, false) => Err("no pooling mode is on".into()),
        }
    }
}

fn bad(dir: &Path, file: &Path, reason: String) -> Error {
    Error::Embedding(format!("{}: {reason}", dir.join(file).display()))
}

/// Parse `dir/file` as JSON, `None` when there is no such file.
fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, file: &Path) -> Result<Option<T>> {
    let path = dir.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        bad(
            dir,
            file,
            format!("not what sentence-transformers writes: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, text: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_folder_without_sentence_transformers_files_gets_the_default_recipe() {
        let dir = tempfile::tempdir().unwrap();
        let recipe = Recipe::read(dir.path()).unwrap();
        assert_eq!(recipe, Recipe::default());
        assert_eq!(recipe.fingerprint(), 0);
    }

    #[test]
    fn all_minilm_l6_v2s_own_files_give_the_default_recipe() {
        // The files of sentence-transformers/all-MiniLM-L6-v2 that the recipe reads.
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "modules.json",
            r#"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]"#,
        );
        write(
            dir.path(),
            "1_Pooling/config.json",
            r#"{"word_embedding_dimension": 384, "pooling_mode_cls_token": false,
                "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false,
                "pooling_mode_mean_sqrt_len_tokens": false}"#,
        );
        write(
            dir.path(),
            "sentence_bert_config.json",
            r#"{"max_seq_length": 256, "do_lower_case": false}"#,
        );
        assert_eq!(Recipe::read(dir.path()).unwrap(), Recipe::default());
    }

    #[test]
    fn cls_pooling_length_and_prompts_are_read_and_change_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "modules.json",
            r#"[{"path": "", "type": "sentence_transformers.models.Transformer"},
                {"path": "pool", "type": "sentence_transformers.models.Pooling"}]"#,
        );
        write(
            dir.path(),
            "pool/config.json",
            r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#,
        );
        write(
            dir.path(),
            "sentence_bert_config.json",
            r#"{"max_seq_length": 512}"#,
        );
        write(
            dir.path(),
            "config_sentence_transformers.json",
            r#"{"prompts": {"query": "query: ", "passage": "passage: "}}"#,
        );
        let recipe = Recipe::read(dir.path()).unwrap();
        let expected = Recipe {
            pooling: Pooling::Cls,
            max_tokens: 512,
            query_prompt: "query: ".into(),
            passage_prompt: "passage: ".into(),
        };
        assert_eq!(recipe, expected);
        assert_ne!(recipe.fingerprint(), 0);
        let mean = Recipe {
            pooling: Pooling::Mean,
            ..expected
        };
        assert_ne!(recipe.fingerprint(), mean.fingerprint());
    }

    #[test]
    fn a_pooling_this_encoder_lacks_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "1_Pooling/config.json",
            r#"{"pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": true}"#,
        );
        let e = Recipe::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("1_Pooling") && e.contains("\"max\""), "{e}");
    }

    #[test]
    fn a_damaged_file_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "sentence_bert_config.json",
            "{\"max_seq_length\": ",
        );
        let e = Recipe::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("sentence_bert_config.json"), "{e}");
    }
}
