//! Embedding an index's passages (`index --semantic`): after the lexical commit, every passage
//! without a current vector is embedded, unchanged articles keep theirs, and the new vector file
//! is committed with the manifest, so that the index always names a whole, matching file. The
//! vectors are also appended to a log as they are made ([`super::partial`]), so that a run that
//! does not finish loses at most the batches in flight.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::schema::Value;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

use super::partial::{self, PartialLog};
use super::store::{self, ArticleKeys, PassageKey, VectorStore};
use super::Embedder;
use crate::error::{Error, Result};
use crate::index::schema::{Fields, KIND_PASSAGE};
use crate::index::{commit_vectors, committed_vectors, VectorsRef};

/// Inputs per model call: enough rows (4 × up to 256 word pieces) to keep the matrix products
/// busy, and tensors small enough for glibc to reuse in a thread's malloc arena (at 16, a
/// batch's 50 MB attention scores took fresh memory from the kernel every layer: the first 60
/// SciFact abstracts cost 8.8-9.3 s of CPU time at 16, 6.9-8.2 at 4, 7.2-7.3 at 2, 7.5-7.9 at 8).
const BATCH: usize = 4;

/// What a progress display is told while [`embed_index`] runs.
pub trait EmbedProgress: Sync {
    /// The index's vectors were made by another model or version of clinsearch: all its
    /// passages are embedded again (called before [`start`](EmbedProgress::start)).
    fn replacing(&self) {}
    /// `passages` passages are to be embedded.
    fn start(&self, _passages: usize) {}
    /// `n` more are done.
    fn done(&self, _n: usize) {}
}

impl EmbedProgress for () {}

/// What an embedding run did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct EmbedReport {
    /// Passages in the index.
    pub passages: usize,
    /// Passages given a vector by this run.
    pub embedded: usize,
    /// Of those, passages whose input was the same as another passage's (the same paragraph
    /// under the same title and heading, as in two copies of one article), embedded by this run
    /// or kept from an earlier one, which took that passage's vector rather than being embedded
    /// again.
    pub copies: usize,
    /// Passages whose vector was kept from the last run.
    pub reused: usize,
    /// Passages whose vector an interrupted run had made.
    pub resumed: usize,
    /// Whether the last run's vectors were made by another model or version of clinsearch
    /// (none could be kept).
    pub replaced: bool,
    /// Seconds spent in the model.
    pub seconds: f64,
    /// Size of the vector file, in bytes.
    pub bytes: u64,
}

impl EmbedReport {
    /// Passages embedded per second (copies not counted).
    pub fn per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            (self.embedded - self.copies) as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// What the model reads for a passage: the article title, the section heading path and the
/// paragraph, one per line (the model cuts it at its input limit). The title comes first, so
/// its bytes are the input's first `title.len()` ([`Embedder::embed_passages`]).
pub fn passage_input(title: &str, section: &str, text: &str) -> String {
    [title, section, text]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a passage's vector goes: its row, its article (an index in the keys) and its ordinal.
type Slot = (usize, usize, u64);

/// One passage of the index as read for embedding.
struct Passage {
    ordinal: u64,
    seq: u64,
    input: String,
    /// Bytes of `input` that are the article's title.
    title: usize,
}

/// Embed the passages of the index in `dir` that have no current vector, and commit the vector
/// file with the manifest. Holds the index's writer lock throughout.
pub fn embed_index(
    dir: &Path,
    embedder: &dyn Embedder,
    progress: &dyn EmbedProgress,
) -> Result<EmbedReport> {
    let index = Index::open_in_dir(dir)?;
    let mut writer: IndexWriter =
        index
            .writer_with_num_threads(1, 15 << 20)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => Error::Locked(dir.to_path_buf()),
                e => Error::Tantivy(e),
            })?;
    let old_ref = committed_vectors(&index)?;
    let articles = read_passages(&index)?;
    let current = |r: &&VectorsRef| r.dim == embedder.dim() && r.model == embedder.fingerprint();
    let old = old_ref
        .as_ref()
        .filter(current)
        .and_then(|r| VectorStore::open(&dir.join(&r.file)).ok());
    // Article id → (hash, first row, rows) in the last vector file.
    let reusable: HashMap<&str, (u32, usize, usize)> =
        old.as_ref().map_or_else(HashMap::new, |s| {
            let mut row = 0;
            s.keys()
                .iter()
                .map(|a| {
                    let entry = (a.article.as_str(), (a.hash, row, a.passages.len()));
                    row += a.passages.len();
                    entry
                })
                .collect()
        });

    let dim = embedder.dim();
    let resumed = partial::read_back(dir, dim, embedder.fingerprint());
    let mut keys = Vec::with_capacity(articles.len());
    let mut rows: Vec<i8> = Vec::new();
    // Each passage to embed: its input with the bytes of its title, and its slot.
    let mut todo: Vec<((&str, usize), Slot)> = Vec::new();
    let mut report = EmbedReport {
        replaced: old_ref.as_ref().is_some_and(|r| !current(&r)),
        ..EmbedReport::default()
    };
    for (article, passages) in &articles {
        let hash = article_hash(passages);
        let start = rows.len() / dim.max(1);
        report.passages += passages.len();
        match (reusable.get(article.as_str()), &old) {
            (Some(&(h, from, n)), Some(store)) if h == hash && n == passages.len() => {
                for r in from..from + passages.len() {
                    rows.extend_from_slice(store.row(r));
                }
                report.reused += passages.len();
            }
            _ => {
                rows.resize(rows.len() + passages.len() * dim, 0);
                let done = resumed.vectors.get(&(article.clone(), hash));
                for (i, p) in passages.iter().enumerate() {
                    let row = start + i;
                    match done.and_then(|d| d.get(&p.ordinal)) {
                        Some(v) if v.len() == dim => {
                            rows[row * dim..(row + 1) * dim].copy_from_slice(v);
                            report.resumed += 1;
                        }
                        _ => todo.push(((&p.input, p.title), (row, keys.len(), p.ordinal))),
                    }
                }
            }
        }
        keys.push(ArticleKeys {
            article: article.clone(),
            hash,
            passages: passages
                .iter()
                .map(|p| PassageKey {
                    ordinal: p.ordinal,
                    seq: p.seq,
                })
                .collect(),
        });
    }

    let unchanged = todo.is_empty()
        && old_ref.as_ref().is_some_and(|r| {
            r.rows == report.passages && old.as_ref().is_some_and(|s| s.keys() == keys.as_slice())
        });
    if unchanged {
        report.bytes = old.as_ref().map_or(0, |s| file_len(s.path()));
        let _ = std::fs::remove_file(dir.join(partial::FILE));
        return Ok(report);
    }

    // A passage whose input (with where its title ends) is that of a passage with a vector takes
    // its vector: a copy of an article indexed by an earlier run is not embedded again. Rows
    // follow the articles' passages in order, and those not to embed have their vector.
    report.embedded = todo.len();
    if !todo.is_empty() {
        let pending: HashSet<usize> = todo.iter().map(|&(_, (row, ..))| row).collect();
        let known: HashMap<(&str, usize), usize> = articles
            .values()
            .flatten()
            .enumerate()
            .filter(|(row, _)| !pending.contains(row))
            .map(|(row, p)| ((p.input.as_str(), p.title), row))
            .collect();
        todo.retain(|&(input, (row, ..))| {
            let Some(&from) = known.get(&input) else {
                return true;
            };
            rows.copy_within(from * dim..(from + 1) * dim, row * dim);
            report.copies += 1;
            false
        });
    }

    // Each distinct input is embedded once, for every passage that has it; batches of similar
    // length (longest first, so the ETA errs on the safe side), embedded on all threads.
    todo.sort_by(|(a, _), (b, _)| (b.0.len(), b).cmp(&(a.0.len(), a)));
    let mut distinct: Vec<((&str, usize), Vec<Slot>)> = Vec::new();
    for &(input, slot) in &todo {
        match distinct.last_mut() {
            Some((same, slots)) if *same == input => slots.push(slot),
            _ => distinct.push((input, vec![slot])),
        }
    }
    if report.replaced {
        progress.replacing();
    }
    progress.start(distinct.len());
    let started = Instant::now();
    let log = Mutex::new(PartialLog::open(
        dir,
        dim,
        embedder.fingerprint(),
        &resumed,
    )?);
    let embedded: Vec<Vec<(&[Slot], Vec<i8>)>> = distinct
        .par_chunks(BATCH)
        .map(|batch| {
            let inputs: Vec<(&str, usize)> = batch.iter().map(|(input, _)| *input).collect();
            let vectors = embedder.embed_passages(&inputs)?;
            if vectors.iter().any(|v| v.len() != dim) {
                return Err(Error::Embedding(format!(
                    "the model returned vectors of another length than {dim}"
                )));
            }
            let quantised: Vec<(&[Slot], Vec<i8>)> = batch
                .iter()
                .zip(vectors)
                .map(|((_, slots), v)| (slots.as_slice(), store::quantise(&v)))
                .collect();
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            for (slots, v) in &quantised {
                for &(_, article, ordinal) in *slots {
                    let a = &keys[article];
                    log.append(&a.article, a.hash, ordinal, v)?;
                }
            }
            log.flush()?;
            drop(log);
            progress.done(batch.len());
            Ok(quantised)
        })
        .collect::<Result<_>>()?;
    drop(log);
    report.seconds = started.elapsed().as_secs_f64();
    for (slots, v) in embedded.iter().flatten() {
        for &(row, ..) in *slots {
            rows[row * dim..(row + 1) * dim].copy_from_slice(v);
        }
    }
    report.copies += todo.len() - distinct.len();

    let name = format!(
        "vectors-{:016x}.bin",
        xxhash_rust::xxh3::xxh3_64(&rows.iter().map(|&b| b as u8).collect::<Vec<u8>>())
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
    );
    report.bytes = store::write(&dir.join(&name), dim, embedder.fingerprint(), &keys, &rows)?;
    drop(old);
    commit_vectors(
        &index,
        &mut writer,
        Some(VectorsRef {
            file: name.clone(),
            dim,
            model: embedder.fingerprint(),
            rows: report.passages,
        }),
    )?;
    remove_other_vector_files(dir, &name);
    Ok(report)
}

/// Every passage of the committed index, by article (in id order), each article's passages in
/// ordinal order.
fn read_passages(index: &Index) -> Result<BTreeMap<String, Vec<Passage>>> {
    let fields = Fields::from_schema(&index.schema())?;
    let searcher = index.reader()?.searcher();
    let mut articles: BTreeMap<String, Vec<Passage>> = BTreeMap::new();
    for (segment_ord, reader) in searcher.segment_readers().iter().enumerate() {
        let seqs = reader.fast_fields().u64("seq")?;
        let store = reader.get_store_reader(64).map_err(|e| {
            Error::Embedding(format!("cannot read the stored passages of the index: {e}"))
        })?;
        for doc in reader.doc_ids_alive() {
            let stored: TantivyDocument = store.get(doc)?;
            let text = |f| {
                stored
                    .get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            if text(fields.kind) != KIND_PASSAGE {
                continue;
            }
            let ordinal = stored
                .get_first(fields.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let Some(seq) = seqs.first(doc) else {
                return Err(Error::Embedding(format!(
                    "passage {} of segment {segment_ord} has no seq: rebuild the index",
                    text(fields.id)
                )));
            };
            let title = text(fields.title);
            articles
                .entry(text(fields.article))
                .or_default()
                .push(Passage {
                    ordinal,
                    seq,
                    input: passage_input(&title, &text(fields.section), &text(fields.body)),
                    title: title.len(),
                });
        }
    }
    for passages in articles.values_mut() {
        passages.sort_by_key(|p| p.ordinal);
    }
    Ok(articles)
}

/// 32 bits of the xxh3 of an article's inputs, in order.
fn article_hash(passages: &[Passage]) -> u32 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in passages {
        h.update(&p.ordinal.to_le_bytes());
        h.update(p.input.as_bytes());
        h.update(&[0]);
    }
    h.digest() as u32
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Delete the vector files in `dir` other than `keep` (those of earlier commits, and any left
/// half-written by a killed run).
fn remove_other_vector_files(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("vectors-") && name != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
