//! The manifest: which files (size, time, content hash, counts) an index reflects, saved with
//! each commit as its payload.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::summary::Counts;
use crate::error::Result;

/// Which files an index reflects; saved as the commit payload, so it changes atomically with the
/// documents.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// [`super::schema::SCHEMA_VERSION`] of the index.
    pub schema: u32,
    /// Next free `seq` value.
    pub next_seq: u64,
    /// Canonical path → state.
    pub files: BTreeMap<String, FileState>,
    /// The passage vectors that go with this commit (`index --semantic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors: Option<VectorsRef>,
}

/// The vector file of a commit: its name in the index folder, the vectors' length and the
/// fingerprint of the model that made them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorsRef {
    /// File name in the index folder.
    pub file: String,
    /// Length of the vectors.
    pub dim: usize,
    /// [`crate::embed::Embedder::fingerprint`] of the model.
    pub model: u64,
    /// Number of vectors.
    pub rows: usize,
}

/// A file's size, modification time (ns) and content hash (xxh3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileState {
    pub size: u64,
    pub mtime: u64,
    pub hash: String,
    /// What the file holds, per format name.
    #[serde(default)]
    pub counts: BTreeMap<String, Counts>,
    /// PMIDs the file deletes (`DeleteCitation` in PubMed update files), applied again whenever
    /// other files are indexed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<String>,
}

impl Manifest {
    pub fn from_payload(payload: Option<&str>) -> Option<Manifest> {
        let m: Manifest = serde_json::from_str(payload?).ok()?;
        (m.schema == super::schema::SCHEMA_VERSION).then_some(m)
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("manifest serialises")
    }
}

/// The files (canonical paths) the last commit of the index in `dir` reflects, from its manifest.
pub fn indexed_files(dir: &Path) -> Result<Vec<String>> {
    let manifest = last_manifest(&Index::open_in_dir(dir)?)?;
    Ok(manifest
        .map(|m| m.files.into_keys().collect())
        .unwrap_or_default())
}

/// What the last commit of `index` holds, per format name, from its manifest.
pub fn indexed_counts(index: &Index) -> Result<BTreeMap<String, Counts>> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for file in last_manifest(index)?.iter().flat_map(|m| m.files.values()) {
        for (format, c) in &file.counts {
            out.entry(format.clone()).or_default().merge(c);
        }
    }
    Ok(out)
}

/// The vector file named by the last commit's manifest, if any.
pub fn committed_vectors(index: &Index) -> Result<Option<VectorsRef>> {
    Ok(last_manifest(index)?.and_then(|m| m.vectors))
}

/// Whether the index in `dir` has committed sentence-embedding vectors (false when it cannot be
/// read: opening it for search says why).
pub fn has_vectors(dir: &Path) -> bool {
    vectors_in(dir).ok().flatten().is_some()
}

/// The vectors committed in the index folder `dir`, read from its `meta.json` alone (cheap
/// enough to check before every search).
pub fn vectors_in(dir: &Path) -> Result<Option<VectorsRef>> {
    let path = dir.join("meta.json");
    let bytes = std::fs::read(&path).map_err(|source| crate::error::Error::Io {
        path: path.clone(),
        source,
    })?;
    let meta: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| crate::error::Error::Invalid(format!("{}: {e}", path.display())))?;
    let payload = meta.get("payload").and_then(serde_json::Value::as_str);
    Ok(Manifest::from_payload(payload).and_then(|m| m.vectors))
}

/// Commit `vectors` as the index's vector file, with `writer` (which holds the lock and has no
/// pending changes): the manifest is the last commit's with only `vectors` changed.
pub fn commit_vectors(
    index: &Index,
    writer: &mut tantivy::IndexWriter,
    vectors: Option<VectorsRef>,
) -> Result<()> {
    let Some(mut manifest) = last_manifest(index)? else {
        return Err(crate::error::Error::Embedding(
            "the index has no manifest to record its vectors in; run `clinsearch index` first"
                .into(),
        ));
    };
    manifest.vectors = vectors;
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&manifest.to_payload());
    commit.commit()?;
    Ok(())
}

/// The manifest saved with the last commit (read afresh from the index directory).
pub(super) fn last_manifest(index: &Index) -> Result<Option<Manifest>> {
    Ok(Manifest::from_payload(
        index.load_metas()?.payload.as_deref(),
    ))
}

/// Whether the files of a run are exactly those of `manifest`, each with the size and time it
/// records (what makes [`index_file`] skip a file without reading it).
pub(super) fn unchanged_since(
    manifest: &Manifest,
    files: &[(PathBuf, PathBuf)],
    keys: &[String],
) -> bool {
    manifest.schema == super::schema::SCHEMA_VERSION
        && manifest.files.len() == files.len()
        && files.iter().zip(keys).all(|((_, file), key)| {
            let (Some(old), Ok(now)) = (manifest.files.get(key), super::walk::stamp(file)) else {
                return false;
            };
            (old.size, old.mtime) == now
        })
}

/// A file's modification time in nanoseconds since the epoch (0 when unknown).
pub(super) fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}
