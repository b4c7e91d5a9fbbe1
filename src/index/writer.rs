//! Building the index from folders of articles: walk, parse, and write everything in one commit
//! (or, on very large runs, in a few commits, each a consistent state).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::Term;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, TantivyError};
use xxhash_rust::xxh3::xxh3_64;

use super::dedup::{subtract, Dedup, Verdict};
use super::documents::documents;
use super::manifest::{unchanged_since, FileState, Manifest};
use super::schema::{register_analyzers, schema, Fields};
use super::summary::{Counts, Skipped, Summary};
use super::walk::{article_id, source_keys, stamp, walk};
use crate::error::{Error, Result};
use crate::model::{Article, Format};
use crate::parse::pdf::PdfLimits;
use crate::parse::{
    format_from_extension, is_streamed, parse_bytes_each_with, parse_stream_each, zotero,
    ParseOptions,
};

/// Default memory budget of the index writer, in bytes.
pub const DEFAULT_MEMORY: usize = 128 << 20;
/// Default size limit of one article file, in bytes (JSON Lines collections have none).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 << 20;
/// Default amount of input parsed between two commits of one run, in bytes.
pub const DEFAULT_COMMIT_EVERY: u64 = 1 << 30;

/// How `index` runs.
#[derive(Clone, Copy, Debug)]
pub struct IndexOptions {
    /// Re-parse every file instead of only new and changed ones.
    pub rebuild: bool,
    /// Threads for parsing and for tantivy's indexing.
    pub threads: usize,
    /// Memory budget of tantivy's writer, in bytes, shared by its threads.
    pub memory: usize,
    /// Files larger than this (in bytes) are skipped, JSON Lines collections excepted.
    pub max_file_size: u64,
    /// Commit after about this many bytes of new or changed files (a file is never split between
    /// commits), so that a very long run killed late keeps most of its work.
    pub commit_every: u64,
    /// Pages and time per PDF file.
    pub pdf: PdfLimits,
    /// Index only the files of this part of the collection (`--part K/N`).
    pub part: Option<super::walk::Part>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(8);
        IndexOptions {
            rebuild: false,
            threads,
            memory: DEFAULT_MEMORY,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            commit_every: DEFAULT_COMMIT_EVERY,
            pdf: PdfLimits::default(),
            part: None,
        }
    }
}

/// One file's part of a run.
struct FileResult {
    /// Position in the run's file list.
    file: usize,
    outcome: Outcome,
    /// What the manifest records for it afterwards.
    state: Option<FileState>,
    /// Counts of what was parsed, per format.
    counts: Vec<(&'static str, Counts)>,
    /// Problems that did not stop the file (bad JSON lines).
    problems: Vec<String>,
    /// What parsing split or cut.
    notes: Vec<String>,
}

/// What happened to one file in a run.
enum Outcome {
    Added,
    Updated,
    /// Same content as indexed (only its time changed, or nothing did).
    Unchanged,
    Failed(String),
}

/// Bring the index in `index_dir` up to date with the articles under `paths`: parse new and changed
/// files (on all threads), delete the documents of changed and removed ones, and commit once with
/// the manifest of the files the index now reflects. A run that fails or is killed before the
/// commit leaves the previous commit as it was.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let articles = dir.path().join("articles");
/// std::fs::create_dir(&articles)?;
/// std::fs::write(articles.join("a.md"), "# NMDA\n\nKetamine blocks NMDA receptors.\n\nIt acts within hours.\n")?;
/// let index = dir.path().join("index");
/// let summary = clinsearch::index::build_index(&[articles.clone()], &index)?;
/// assert_eq!((summary.added, summary.total().articles, summary.total().passages), (1, 1, 2));
/// // A second run finds the folder unchanged and parses nothing.
/// let again = clinsearch::index::build_index(&[articles], &index)?;
/// assert_eq!((again.added, again.unchanged), (0, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn build_index(paths: &[PathBuf], index_dir: &Path) -> Result<Summary> {
    update_index(paths, index_dir, IndexOptions::default())
}

/// [`build_index`] with options.
pub fn update_index(paths: &[PathBuf], index_dir: &Path, options: IndexOptions) -> Result<Summary> {
    update_index_with(paths, index_dir, options, &NoProgress)
}

/// What a progress display is told while [`update_index_with`] runs (from several threads).
pub trait Progress: Sync {
    /// The run looks at `files` files.
    fn start(&self, _files: usize) {}
    /// One more file is done: indexed, found unchanged, or skipped.
    fn file_done(&self) {}
}

/// No progress display.
pub struct NoProgress;

impl Progress for NoProgress {}

/// [`update_index`], telling `progress` how far it is.
pub fn update_index_with(
    paths: &[PathBuf],
    index_dir: &Path,
    options: IndexOptions,
    progress: &dyn Progress,
) -> Result<Summary> {
    for path in paths {
        if !path.exists() {
            return Err(Error::NoSuchPath(path.clone()));
        }
    }
    let mut summary = Summary::default();
    let index = match create_or_open(index_dir) {
        // An index written by another version of clinsearch cannot be searched by this one:
        // start it afresh.
        Err(Error::SchemaMismatch(_)) => {
            remove_index_files(index_dir)?;
            summary.rebuilt = true;
            create_or_open(index_dir)?
        }
        other => other?,
    };
    let fields = Fields::from_schema(&index.schema())?;
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for root in paths {
        files.extend(
            walk(root, &mut summary)
                .into_iter()
                .filter(|f| options.part.is_none_or(|p| p.holds(&article_id(root, f))))
                .map(|f| (root.clone(), f)),
        );
    }
    summary.files = files.len();
    progress.start(files.len());
    let keys = source_keys(&files);
    // Nothing new, changed (by size and time) or removed since the last commit, and no files of a
    // killed writer to collect: done, without taking the writer lock or committing.
    if !options.rebuild {
        let metas = index.load_metas()?;
        let committed = Manifest::from_payload(metas.payload.as_deref());
        if committed.is_some_and(|m| unchanged_since(&m, &files, &keys))
            && !has_stray_files(index_dir, &metas)
        {
            summary.unchanged = files.len();
            return Ok(summary);
        }
    }

    let threads = options.threads.max(1);
    let memory = options.memory.max(threads * (16 << 20));
    let writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(threads, memory)
        .map_err(|e| match e {
            TantivyError::LockFailure(..) => Error::Locked(index_dir.to_path_buf()),
            e => Error::Tantivy(e),
        })?;
    // A writer killed before its commit leaves files the last commit does not use; one of them
    // (a segment's deletes at an opstamp this run will reach again) would block this run. Collect
    // them before writing anything.
    writer.garbage_collect_files().wait()?;
    // (read again under the writer lock: another run may have committed since)
    let payload = index.load_metas()?.payload;
    let previous = Manifest::from_payload(payload.as_deref());
    // (a commit of another version of clinsearch: its files are read again)
    summary.rebuilt |= payload.is_some() && previous.is_none() && !options.rebuild;
    let (mut manifest, old_files) = match previous {
        Some(m) if !options.rebuild => {
            let files = m.files.clone();
            (m, files)
        }
        _ => {
            writer.delete_all_documents()?;
            (Manifest::default(), BTreeMap::new())
        }
    };
    let current: HashSet<&str> = keys.iter().map(String::as_str).collect();
    for key in old_files.keys().filter(|k| !current.contains(k.as_str())) {
        writer.delete_term(Term::from_field_text(fields.source, key));
        manifest.files.remove(key);
        summary.removed += 1;
    }

    // Duplicates are looked for among this run's records and in the last commit, less the files
    // this run parses again or removes.
    let reparsed: Vec<&str> = files
        .iter()
        .zip(&keys)
        .filter(|((_, file), key)| {
            let now = stamp(file).ok();
            old_files
                .get(key.as_str())
                .is_none_or(|old| now != Some((old.size, old.mtime)))
        })
        .map(|(_, key)| key.as_str())
        .chain(
            old_files
                .keys()
                .map(String::as_str)
                .filter(|k| !current.contains(k)),
        )
        .collect();
    let committed = if old_files.is_empty() {
        None
    } else {
        Some(index.reader()?.searcher())
    };
    let dedup = Dedup::new(&fields, committed, &reparsed);
    let seq = AtomicU64::new(manifest.next_seq);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Tantivy(TantivyError::SystemError(e.to_string())))?;
    let mut writer = writer;
    let earlier_segments: HashSet<SegmentId> =
        index.searchable_segment_ids()?.into_iter().collect();
    for batch in commit_batches(&files, &keys, &old_files, options.commit_every) {
        let results: Vec<FileResult> = pool.install(|| {
            batch
                .clone()
                .into_par_iter()
                .map(|i| {
                    let result = index_file(
                        (&writer, &dedup),
                        &fields,
                        &seq,
                        (i, &files[i].0, &files[i].1, &keys[i]),
                        old_files.get(&keys[i]),
                        (options.max_file_size, options.pdf),
                    );
                    progress.file_done();
                    FileResult { file: i, ..result }
                })
                .collect()
        });
        let parsed_any = results
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Added | Outcome::Updated));
        for result in results {
            let (file, key) = (&files[result.file].1, &keys[result.file]);
            let was_indexed = old_files.contains_key(key);
            if record(result, file, key, was_indexed, &mut summary, &mut manifest) {
                // It was indexed before and cannot be read now: its old documents go.
                writer.delete_term(Term::from_field_text(fields.source, key));
            }
        }
        record_merged(&dedup, (&files, &keys), &mut summary, &mut manifest);
        // PubMed update files delete citations by PMID: after the adds of this batch (deletes
        // apply to earlier adds), and again whenever files are indexed, so that a baseline file
        // indexed anew does not bring deleted citations back.
        if parsed_any {
            let deleted: std::collections::BTreeSet<&String> =
                manifest.files.values().flat_map(|f| &f.deleted).collect();
            for pmid in &deleted {
                writer.delete_term(Term::from_field_text(fields.pmid, pmid));
            }
            summary.deleted = deleted.len();
        }
        manifest.next_seq = seq.load(Ordering::Relaxed);
        manifest.schema = super::schema::SCHEMA_VERSION;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&manifest.to_payload());
        commit.commit()?;
        summary.commits += 1;
    }
    writer.wait_merging_threads()?;
    // The run is committed: failing to tidy its segments (another writer took the lock, say)
    // costs only the statistics above, so it is a note, not an error.
    if let Err(e) = expunge_own_deletes(&index, &earlier_segments) {
        summary.notes.push(Skipped {
            path: index_dir.to_path_buf(),
            reason: format!(
                "segments with deleted documents were not rewritten ({e}): scores may differ \
                 slightly from another build's"
            ),
        });
    }
    Ok(summary)
}

/// Rewrite the segments this run wrote that hold deleted documents (records merged as
/// duplicates after they were added, citations an update file deleted), as Elasticsearch's
/// `only_expunge_deletes` does. tantivy, like Lucene, counts deleted documents in BM25's
/// statistics until their segment is merged, and which records a run adds before it finds their
/// better duplicate depends on thread timing: without this, two builds of one folder would score
/// alike queries a little apart. Segments of earlier runs are left as they are, so an update of
/// one file in a large index does not rewrite a large segment. The merge keeps the commit's
/// payload; a kill during it leaves the last commit intact.
fn expunge_own_deletes(index: &Index, earlier: &HashSet<SegmentId>) -> Result<()> {
    let stale: Vec<SegmentId> = index
        .searchable_segment_metas()?
        .iter()
        .filter(|meta| meta.has_deletes() && !earlier.contains(&meta.id()))
        .map(|meta| meta.id())
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 16 << 20)?;
    writer.merge(&stale).wait()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Fold one file's result into the summary and the manifest. True when the file failed but was
/// indexed before: its old documents must go.
fn record(
    result: FileResult,
    file: &Path,
    key: &str,
    was_indexed: bool,
    summary: &mut Summary,
    manifest: &mut Manifest,
) -> bool {
    let FileResult {
        outcome,
        state,
        counts,
        problems,
        notes,
        ..
    } = result;
    match outcome {
        Outcome::Added => summary.added += 1,
        Outcome::Updated => summary.updated += 1,
        Outcome::Unchanged => summary.unchanged += 1,
        Outcome::Failed(reason) => {
            summary.skipped.push(Skipped {
                path: file.to_path_buf(),
                reason,
            });
            if was_indexed {
                summary.removed += 1;
            }
            manifest.files.remove(key);
            return was_indexed;
        }
    }
    let named = |reason| Skipped {
        path: file.to_path_buf(),
        reason,
    };
    summary.skipped.extend(problems.into_iter().map(named));
    summary.notes.extend(notes.into_iter().map(named));
    for (format, c) in counts {
        summary.formats.entry(format).or_default().merge(&c);
    }
    if let Some(state) = state {
        manifest.files.insert(key.to_string(), state);
    }
    false
}

/// Fold the records merged as duplicates into the summary, each named with its file, and take
/// those that were indexed and then displaced by a better record out of their file's counts.
fn record_merged(
    dedup: &Dedup,
    (files, keys): (&[(PathBuf, PathBuf)], &[String]),
    summary: &mut Summary,
    manifest: &mut Manifest,
) {
    for merged in dedup.take_merged() {
        let file = &files[merged.file].1;
        if let Some(counted) = &merged.counted {
            subtract(summary.formats.entry(merged.format).or_default(), counted);
            if let Some(state) = manifest.files.get_mut(&keys[merged.file]) {
                let counts = state.counts.entry(merged.format.to_string()).or_default();
                subtract(counts, counted);
            }
        }
        let why = match merged.key.split_once(':').map_or("title", |(kind, _)| kind) {
            "title" => "title and year",
            other => other,
        };
        *summary.merged.entry(file.clone()).or_default() += 1;
        *summary.merged_formats.entry(merged.format).or_default() += 1;
        summary.duplicates.push(Skipped {
            path: file.clone(),
            reason: format!("{} duplicates {} (same {why})", merged.id, merged.kept),
        });
    }
}

/// The run's files (by position) in batches of about `commit_every` bytes of files to parse;
/// files the manifest shows unchanged (same size and time) weigh nothing. Always one batch at
/// least, so that a run with nothing to parse still commits its removals.
fn commit_batches(
    files: &[(PathBuf, PathBuf)],
    keys: &[String],
    old_files: &BTreeMap<String, FileState>,
    commit_every: u64,
) -> Vec<std::ops::Range<usize>> {
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, ((_, file), key)) in files.iter().zip(keys).enumerate() {
        let Ok((size, mtime)) = stamp(file) else {
            continue;
        };
        let unchanged = old_files
            .get(key)
            .is_some_and(|old| old.size == size && old.mtime == mtime);
        if !unchanged {
            bytes += size;
        }
        if bytes >= commit_every.max(1) {
            batches.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < files.len() || batches.is_empty() {
        batches.push(start..files.len());
    }
    batches
}

/// Parse one file and add its documents, unless the manifest says it has not changed. A file
/// that fails (or whose parser panics) after some of its documents were added has them deleted
/// again, so that the index never holds part of a file.
fn index_file(
    (writer, dedup): (&IndexWriter<TantivyDocument>, &Dedup),
    fields: &Fields,
    seq: &AtomicU64,
    (position, root, file, key): (usize, &Path, &Path, &str),
    old: Option<&FileState>,
    (max_file_size, pdf): (u64, PdfLimits),
) -> FileResult {
    let done = |outcome, state, counts, problems, notes| FileResult {
        file: 0,
        outcome,
        state,
        counts,
        problems,
        notes,
    };
    let fail = |reason: String| {
        done(
            Outcome::Failed(reason),
            None,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        )
    };
    let unchanged = |state| {
        done(
            Outcome::Unchanged,
            Some(state),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        )
    };
    let (size, mtime) = match stamp(file) {
        Ok(stamp) => stamp,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    if let Some(old) = old {
        if old.size == size && old.mtime == mtime {
            return unchanged(old.clone());
        }
    }
    // JSON Lines collections, PubMed XML (read as a stream) and Zotero libraries have no size
    // limit.
    let library = zotero::is_database(file);
    let streamed = is_streamed(file);
    let collection = library || streamed || format_from_extension(file) == Some(Format::Jsonl);
    if size > max_file_size && !collection {
        return fail(format!(
            "{:.1} MiB is over the size limit ({:.1} MiB; see --max-file-size)",
            size as f64 / 1048576.0,
            max_file_size as f64 / 1048576.0
        ));
    }
    let read = if library {
        zotero::fingerprint(file).map(|hash| (Vec::new(), hash))
    } else if streamed {
        hash_file(file).map(|hash| (Vec::new(), hash))
    } else {
        std::fs::read(file).map(|bytes| {
            let hash = xxh3_64(&bytes);
            (bytes, hash)
        })
    };
    let (bytes, hash) = match read {
        Ok(read) => read,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    let mut state = FileState {
        size,
        mtime,
        hash: format!("{hash:016x}"),
        counts: BTreeMap::new(),
        deleted: Vec::new(),
    };
    if let Some(old) = old {
        if old.hash == state.hash {
            state.counts = old.counts.clone();
            state.deleted = old.deleted.clone();
            return unchanged(state);
        }
    }
    // Delete the file's old documents before adding its new ones (deletes apply to earlier adds).
    let source = Term::from_field_text(fields.source, key);
    let outcome = if old.is_some() {
        writer.delete_term(source.clone());
        Outcome::Updated
    } else {
        Outcome::Added
    };
    let counts: Mutex<BTreeMap<&'static str, Counts>> = Mutex::default();
    let notes: Mutex<Vec<String>> = Mutex::default();
    let failure: Mutex<Option<String>> = Mutex::default();
    let file_id = article_id(root, file);
    let sink = |article: Article| {
        let add = || {
            let docs = documents(&article, fields, key);
            let first = seq.fetch_add(docs.len() as u64, Ordering::Relaxed);
            for (i, mut doc) in docs.into_iter().enumerate() {
                doc.add_u64(fields.seq, first + i as u64);
                if let Err(e) = writer.add_document(doc) {
                    *lock(&failure) = Some(format!("index error: {e}"));
                    return;
                }
            }
        };
        match dedup.admit(&article, position, add) {
            Verdict::New => {}
            Verdict::Duplicate => return,
            Verdict::Replaces(displaced) => {
                // Records of this work indexed before this better one go (the summary counts
                // them as merged).
                for first in displaced {
                    writer.delete_term(Term::from_field_text(fields.article, &first));
                }
            }
        }
        // Name the article only when the file holds several (JSON Lines).
        let prefix = if article.id == file_id {
            String::new()
        } else {
            format!("{}: ", article.id)
        };
        lock(&notes).extend(article.notes.iter().map(|n| format!("{prefix}{n}")));
        lock(&counts)
            .entry(article.format.name())
            .or_default()
            .add(&article);
    };
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let options = ParseOptions { pdf };
        if library {
            zotero::read_library(file, &file_id, &sink, &options).map(|p| (p, Vec::new()))
        } else if streamed {
            parse_stream_each(file, &file_id, &sink).map(|o| (o.problems, o.deleted))
        } else {
            parse_bytes_each_with(&bytes, file, &file_id, &sink, &options).map(|p| (p, Vec::new()))
        }
    }));
    // A file that no longer parses loses its old documents too (the caller records the removal).
    let failed = |reason: String| {
        writer.delete_term(source.clone());
        fail(reason)
    };
    let (problems, deleted) = match parsed {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return failed(e.to_string()),
        Err(panic) => {
            return failed(format!(
                "parser error (a bug: {})",
                crate::error::panic_message(&*panic)
            ))
        }
    };
    if let Some(reason) = lock(&failure).take() {
        return failed(reason);
    }
    let counts = std::mem::take(&mut *lock(&counts));
    let notes = std::mem::take(&mut *lock(&notes));
    state.counts = counts
        .iter()
        .map(|(format, c)| (format.to_string(), *c))
        .collect();
    state.deleted = deleted;
    done(
        outcome,
        Some(state),
        counts.into_iter().collect(),
        problems,
        notes,
    )
}

/// The xxh3 hash of a file's content, read in blocks (the same as [`xxh3_64`] of all of it).
fn hash_file(file: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut f = std::fs::File::open(file)?;
    let mut block = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut block)? {
            0 => return Ok(hasher.digest()),
            n => hasher.update(&block[..n]),
        }
    }
}

/// Lock a mutex, whether or not a panic poisoned it (the data stays consistent here: each
/// critical section is one assignment or push).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether the index folder holds segment files that the last commit does not use (left by a
/// killed writer: a run with the writer collects them).
fn has_stray_files(dir: &Path, metas: &tantivy::IndexMeta) -> bool {
    let used: HashSet<String> = metas
        .segments
        .iter()
        .map(|s| s.id().uuid_string())
        .collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let segment = name.split('.').next().unwrap_or_default();
        segment.len() == 32
            && segment.bytes().all(|b| b.is_ascii_hexdigit())
            && !used.contains(segment)
    })
}

/// Whether `dir` holds an index.
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Open the index in `dir`, or create an empty one (and the directory) when there is none.
pub(super) fn create_or_open(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let directory = MmapDirectory::open(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let index = Index::builder()
        .schema(schema())
        .settings(index_settings())
        .open_or_create(directory)
        .map_err(|e| match e {
            TantivyError::SchemaError(msg) => Error::SchemaMismatch(msg),
            e => Error::Tantivy(e),
        })?;
    register_analyzers(&index);
    Ok(index)
}

/// The settings of a new index. Stored paragraphs and references are most of an index: zstd
/// (level 1) keeps them a fifth smaller than tantivy's default lz4; blocks of 8 KiB instead of 16
/// keep reading the hits shown as fast as with lz4 (docs/performance.md). Indexes created with
/// other settings keep theirs.
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 8192,
        ..IndexSettings::default()
    }
}

/// Delete the index files in `dir` (not the directory, nor hidden files such as `.gitignore`).
fn remove_index_files(dir: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.') && name != ".managed.json";
        if entry.file_type().map_err(io)?.is_file() && !hidden {
            std::fs::remove_file(entry.path()).map_err(io)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the walk listed but that is gone when it is read (removed in between) is skipped
    /// with its reason, and nothing of it is added.
    #[test]
    fn a_file_removed_between_walk_and_read_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let index = create_or_open(&dir.path().join("idx")).unwrap();
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let writer: IndexWriter<TantivyDocument> = index.writer(32 << 20).unwrap();
        let gone = dir.path().join("gone.txt");
        let seq = AtomicU64::new(0);
        let dedup = Dedup::new(&fields, None, &[]);
        let result = index_file(
            (&writer, &dedup),
            &fields,
            &seq,
            (0, dir.path(), &gone, "gone"),
            None,
            (DEFAULT_MAX_FILE_SIZE, PdfLimits::default()),
        );
        match result.outcome {
            Outcome::Failed(reason) => assert!(reason.starts_with("cannot read"), "{reason}"),
            _ => panic!("a vanished file is not indexed"),
        }
        assert!(result.state.is_none());
        assert_eq!(seq.into_inner(), 0);
    }
}
