//! Building the index from folders of articles: walk, parse, and write everything in one commit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};
use walkdir::WalkDir;

use crate::documents::documents;
use crate::error::{Error, Result};
use crate::model::Article;
use crate::parse::read_file;
use crate::schema::{register_analyzers, schema, Fields};

/// Default memory budget of the index writer, in bytes.
pub const DEFAULT_MEMORY: usize = 128 << 20;

/// File stems that describe a folder rather than being articles in it.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "notice",
];

/// What `index` reports when it is done.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Files looked at.
    pub files: usize,
    /// Counts per format ("text", "jats"...).
    pub formats: BTreeMap<&'static str, Counts>,
    /// Files (or lines of files) not indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files left alone because they describe the folder (README, LICENSE...).
    pub ignored: usize,
}

impl Summary {
    /// Counts over all formats.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.formats.values() {
            total.articles += c.articles;
            total.passages += c.passages;
            total.references += c.references;
            total.citations += c.citations;
            total.resolved += c.resolved;
        }
        total
    }

    fn add(&mut self, article: &Article) {
        let counts = self.formats.entry(article.format.name()).or_default();
        counts.articles += 1;
        counts.references += article.references.len();
        for (_, passage) in article.passages() {
            counts.passages += 1;
            counts.citations += passage.citations.len();
            counts.resolved += passage
                .citations
                .iter()
                .filter(|c| !c.references.is_empty())
                .count();
        }
    }
}

/// What was indexed, for one format or in all.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    /// Articles parsed.
    pub articles: usize,
    /// Passage documents written.
    pub passages: usize,
    /// Reference documents written.
    pub references: usize,
    /// In-text citations found.
    pub citations: usize,
    /// Citations resolved to a reference entry.
    pub resolved: usize,
}

/// A file that was not indexed.
#[derive(Debug, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// Index every article under `paths` into `index_dir`, replacing what the index held, in one commit.
/// A run that fails before the commit leaves the previous index as it was.
pub fn build_index(paths: &[PathBuf], index_dir: &Path) -> Result<Summary> {
    for path in paths {
        if !path.exists() {
            return Err(Error::NoSuchPath(path.clone()));
        }
    }
    let index = match create_or_open(index_dir) {
        // An index written by another version of clinsearch cannot be searched by this one, and
        // `index` replaces everything anyway: start it afresh.
        Err(Error::SchemaMismatch(_)) => {
            remove_index_files(index_dir)?;
            create_or_open(index_dir)?
        }
        other => other?,
    };
    let fields = Fields::from_schema(&index.schema())?;
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer(DEFAULT_MEMORY).map_err(|e| match e {
            TantivyError::LockFailure(..) => Error::Locked(index_dir.to_path_buf()),
            e => Error::Tantivy(e),
        })?;
    writer.delete_all_documents()?;

    let mut summary = Summary::default();
    let mut seq = 0u64;
    for root in paths {
        for file in walk(root, &mut summary) {
            summary.files += 1;
            let parsed = match read_file(&file, &article_id(root, &file)) {
                Ok(parsed) => parsed,
                Err(e) => {
                    summary.skipped.push(Skipped {
                        path: file,
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            for problem in parsed.problems {
                summary.skipped.push(Skipped {
                    path: file.clone(),
                    reason: problem,
                });
            }
            for article in &parsed.articles {
                summary.add(article);
                for doc in documents(article, &fields, seq) {
                    writer.add_document(doc)?;
                    seq += 1;
                }
            }
        }
    }
    let payload = serde_json::json!({
        "clinsearch": env!("CARGO_PKG_VERSION"),
        "roots": paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "articles": summary.total().articles,
    });
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&payload.to_string());
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(summary)
}

/// Whether `dir` holds an index.
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Open the index in `dir`, or create an empty one (and the directory) when there is none.
fn create_or_open(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let directory = MmapDirectory::open(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let index = Index::open_or_create(directory, schema()).map_err(|e| match e {
        TantivyError::SchemaError(msg) => Error::SchemaMismatch(msg),
        e => Error::Tantivy(e),
    })?;
    register_analyzers(&index);
    Ok(index)
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

/// Files under `root` in a stable order, skipping hidden entries and folder notes (README...).
/// Entries that cannot be read are recorded in `summary.skipped`.
fn walk(root: &Path, summary: &mut Summary) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let stem = entry
                    .path()
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_lowercase();
                if entry.depth() > 0 && NOT_ARTICLES.contains(&stem.as_str()) {
                    summary.ignored += 1;
                } else {
                    files.push(entry.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                summary.skipped.push(Skipped { path, reason });
            }
        }
    }
    files
}

/// The article id: the path relative to the indexed folder, with `/` separators; a file given
/// directly is known by its name.
fn article_id(root: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(root)
        .ok()
        .filter(|p| !p.as_os_str().is_empty());
    let relative =
        relative.unwrap_or_else(|| Path::new(file.file_name().unwrap_or(file.as_os_str())));
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_relative_to_the_root() {
        assert_eq!(
            article_id(Path::new("corpus"), Path::new("corpus/a/b.txt")),
            "a/b.txt"
        );
        assert_eq!(
            article_id(Path::new("corpus/b.txt"), Path::new("corpus/b.txt")),
            "b.txt"
        );
    }
}
