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
