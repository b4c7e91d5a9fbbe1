//! Options for remote indexes (`--index http://HOST:PORT`), shared by search and stats.

use std::path::PathBuf;
use std::time::Duration;

use clinsearch::remote::{is_remote, Coordinator, Options};

/// How remote indexes are reached.
#[derive(clap::Args, Clone)]
pub(super) struct RemoteArgs {
    /// Seconds a remote index (--index http://HOST:PORT) has to answer each request; one that
    /// does not is left out with a warning
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    timeout: f64,
    /// Fail when a remote index does not answer, instead of searching the others
    #[arg(long)]
    require_all: bool,
    /// Token the remote indexes ask for [default: $CLINSEARCH_TOKEN]
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
}

/// The token of `--token`, else of `CLINSEARCH_TOKEN`.
pub(super) fn token(given: Option<String>) -> Option<String> {
    given
        .or_else(|| std::env::var("CLINSEARCH_TOKEN").ok())
        .filter(|t| !t.is_empty())
}

/// `--index` values split into local directories and remote URLs.
pub(super) fn split(indexes: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut dirs = Vec::new();
    let mut urls = Vec::new();
    for index in indexes {
        match index.to_str().filter(|s| is_remote(s)) {
            Some(url) => urls.push(url.to_string()),
            None => dirs.push(index.clone()),
        }
    }
    (dirs, urls)
}

impl RemoteArgs {
    /// Open the local `dirs` and reach the `urls` as one collection.
    pub(super) fn open(&self, dirs: &[PathBuf], urls: &[String]) -> anyhow::Result<Coordinator> {
        if let Some(url) = urls.iter().find(|u| u.starts_with("https://")) {
            anyhow::bail!("{url}: https is not supported; reach the server over http (on a trusted network, or through an SSH tunnel)");
        }
        if !(self.timeout > 0.0 && self.timeout.is_finite()) {
            anyhow::bail!("--timeout must be a positive number of seconds");
        }
        let options = Options {
            timeout: Duration::from_secs_f64(self.timeout),
            token: token(self.token.clone()),
            require_all: self.require_all,
        };
        Ok(Coordinator::open(dirs, urls, options)?)
    }
}

/// Print the coordinator's warnings on stderr.
pub(super) fn warn(coordinator: &Coordinator) {
    for warning in coordinator.take_warnings() {
        eprintln!("clinsearch: warning: {warning}");
    }
}

impl super::search::SemanticArgs {
    /// Hybrid ranking over the coordinator's indexes unless --lexical, with the model loaded
    /// here (it embeds each query once for all the shards) when any index has vectors; a note on
    /// stderr when they cannot be used.
    pub(super) fn apply_remote(&self, coordinator: &mut Coordinator) {
        if self.lexical || !coordinator.has_vectors() {
            return;
        }
        let note = match clinsearch::embed::load_model(self.model.as_deref()) {
            Ok(embedder) => coordinator.use_model(embedder.into()),
            Err(e) => Some(format!("{e}; ranking by words only")),
        };
        if let Some(note) = note {
            eprintln!("clinsearch: note: {note}");
        }
        if let Some(fusion) = self.fusion {
            coordinator.set_fusion(fusion);
        }
    }
}
