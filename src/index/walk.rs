//! The folder walk: which files are articles, their ids and the keys the index knows them by.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::manifest::mtime_ns;
use super::summary::{Skipped, Summary};
use crate::parse::zotero;

/// File stems that describe a folder rather than being articles in it.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "notice",
];

/// Files under `root` in a stable order, skipping hidden entries and folder notes (README...).
/// Entries that cannot be read are recorded in `summary.skipped`.
pub(super) fn walk(root: &Path, summary: &mut Summary) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        match entry {
            // A Zotero data directory is one source, known by its database: its storage/ holds
            // the items' attachments, read with them.
            Ok(entry) if entry.file_type().is_dir() => {
                if let Some(db) = zotero::database_in(entry.path()) {
                    files.push(db);
                    walker.skip_current_dir();
                }
            }
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

/// A file's size and modification time (ns), which tell the manifest whether it changed. A
/// Zotero database stands for its library: the sizes of its files added up, and the latest time.
pub(super) fn stamp(file: &Path) -> std::io::Result<(u64, u64)> {
    if !zotero::is_database(file) {
        let meta = std::fs::metadata(file)?;
        return Ok((meta.len(), mtime_ns(&meta)));
    }
    let (mut size, mut mtime) = (0, 0);
    for part in zotero::library_files(file) {
        let meta = std::fs::metadata(part)?;
        size += meta.len();
        mtime = mtime.max(mtime_ns(&meta));
    }
    Ok((size, mtime))
}

/// The article id: the path relative to the indexed folder, with `/` separators; a file given
/// directly is known by its name.
pub(super) fn article_id(root: &Path, file: &Path) -> String {
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

/// One part of a collection built in parts (`--part K/N`): the files whose article id (the path
/// relative to the folder given) hashes to K of N. The unit is the file, so a
/// JSON Lines collection or an export goes whole to one part; the id, not the absolute path, is
/// hashed (xxh3), so that machines holding the collection in different folders agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// 1-based number of this part.
    pub k: u64,
    /// Number of parts.
    pub n: u64,
}

impl Part {
    /// Whether the article file with this id belongs to the part.
    pub fn holds(&self, id: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes()) % self.n == self.k - 1
    }
}

impl std::str::FromStr for Part {
    type Err = crate::Error;

    /// `K/N`, with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Part, crate::Error> {
        let bad = || crate::Error::Filter(format!("part {s:?} is not K/N with 1 ≤ K ≤ N"));
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Part { k, n })
    }
}

/// [`source_key`] of each file. A file that is not a symbolic link is its folder's canonical path
/// and its name: folders are resolved once each, not once per file.
pub(super) fn source_keys(files: &[(PathBuf, PathBuf)]) -> Vec<String> {
    let mut folders: std::collections::HashMap<&Path, Option<PathBuf>> = Default::default();
    files
        .iter()
        .map(|(_, file)| {
            let link = std::fs::symlink_metadata(file).map_or(true, |m| m.file_type().is_symlink());
            match (file.parent(), file.file_name()) {
                (Some(parent), Some(name)) if !link => {
                    let folder = if parent.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        parent
                    };
                    match folders
                        .entry(folder)
                        .or_insert_with(|| folder.canonicalize().ok())
                    {
                        Some(canonical) => canonical.join(name).display().to_string(),
                        None => source_key(file),
                    }
                }
                _ => source_key(file),
            }
        })
        .collect()
}

/// The key a file is known by in the manifest and in the `source` field: its canonical path.
pub(super) fn source_key(file: &Path) -> String {
    file.canonicalize()
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_keys_are_the_canonical_paths() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        std::fs::write(real.join("a.md"), "a").unwrap();
        std::fs::write(real.join("sub/b.md"), "b").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(real.join("a.md"), real.join("sub/link.md")).unwrap();
        let files: Vec<(PathBuf, PathBuf)> = [
            real.join("a.md"),
            real.join("sub/b.md"),
            real.join("sub/link.md"),
            dir.path().join("linked/sub/b.md"),
            real.join("sub/../a.md"),
            PathBuf::from("Cargo.toml"),
            real.join("gone.md"),
        ]
        .into_iter()
        .map(|f| (dir.path().to_path_buf(), f))
        .collect();
        let expected: Vec<String> = files.iter().map(|(_, f)| source_key(f)).collect();
        assert_eq!(source_keys(&files), expected);
        assert_eq!(expected[2], expected[0], "a link is known by its target");
        assert_eq!(expected[3], expected[1]);
    }

    #[test]
    fn parts_split_files_by_id_once_each() {
        let parts: Vec<Part> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let mut sizes = [0; 4];
        for i in 0..1000 {
            let id = format!("folder/a{i}.pdf");
            let holders: Vec<usize> = (0..4).filter(|&p| parts[p].holds(&id)).collect();
            assert_eq!(holders.len(), 1, "{id}");
            sizes[holders[0]] += 1;
        }
        // A fair hash puts 250 ± a few standard deviations (13.7) in each part.
        assert!(sizes.iter().all(|&s| (200..300).contains(&s)), "{sizes:?}");
        assert_eq!("2/3".parse::<Part>().unwrap(), Part { k: 2, n: 3 });
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", ""] {
            assert!(bad.parse::<Part>().is_err(), "{bad}");
        }
    }

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
