//! Several indexes read as one: a read-only tantivy [`Directory`] over the directories of the
//! indexes, whose `meta.json` lists the segments of them all.
//!
//! A tantivy index is its `meta.json` (schema, settings, the list of segments) and the files of
//! its segments, named after the segment's UUID. Segments are self-contained, so an index whose
//! meta lists the segments of several indexes is a valid index: [`open_union`] opens one, and a
//! single tantivy `Searcher` over it computes BM25 document frequencies and average field lengths
//! over all the articles, exactly as one index holding them all would. Ranking, feedback and
//! snippets then need no change. Reads of a segment's files go to the index that holds the
//! segment; every write is refused. The indexes must share the schema, the index settings and
//! clinsearch's [`SCHEMA_VERSION`]; the commit payload (the manifest) seen through the union is
//! the indexes' manifests merged.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde_json::Value;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::index::SegmentId;
use tantivy::{Directory, Index};

use super::manifest::Manifest;
use super::schema::SCHEMA_VERSION;
use crate::error::{Error, Result};

/// The file that lists an index's segments.
const META: &str = "meta.json";

/// One index of a union.
#[derive(Clone, Debug)]
struct Part {
    path: PathBuf,
    dir: MmapDirectory,
}

/// A read-only directory showing several index directories as one index.
#[derive(Clone, Debug)]
pub struct UnionDirectory {
    parts: Arc<[Part]>,
    /// Segment UUID → the part holding the segment's files, from the last merged `meta.json`.
    owners: Arc<RwLock<HashMap<String, usize>>>,
}

/// Open the indexes in `dirs` as one index, and the directory that tells which index a segment
/// is in. Refuses indexes built with another schema or analysis version, or with other index
/// settings, naming the index and how to rebuild it.
pub fn open_union(dirs: &[PathBuf]) -> Result<(Index, UnionDirectory)> {
    let mut parts = Vec::with_capacity(dirs.len());
    for path in dirs {
        let dir = MmapDirectory::open(path).map_err(|e| Error::Io {
            path: path.clone(),
            source: io::Error::other(e.to_string()),
        })?;
        parts.push(Part {
            path: path.clone(),
            dir,
        });
    }
    let union = UnionDirectory {
        parts: parts.into(),
        owners: Arc::default(),
    };
    // Checked here first, so that an incompatible index gets its own message.
    union.merged_meta()?;
    Ok((Index::open(union.clone())?, union))
}

impl UnionDirectory {
    /// Which of the indexes (0-based, in the order given) holds the segment.
    pub fn part_of(&self, segment: SegmentId) -> Option<usize> {
        let owners = self.owners.read().unwrap_or_else(|e| e.into_inner());
        owners.get(&segment.uuid_string()).copied()
    }

    /// How many indexes the union reads.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether it reads none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The parts' `meta.json` merged: segment lists concatenated, opstamp the highest, payload
    /// the manifests merged. Records which part owns each segment.
    fn merged_meta(&self) -> Result<Vec<u8>> {
        let mut merged: Option<Value> = None;
        let mut manifest = Manifest {
            schema: SCHEMA_VERSION,
            ..Manifest::default()
        };
        let mut owners: HashMap<String, usize> = HashMap::new();
        for (i, part) in self.parts.iter().enumerate() {
            let meta = self.part_meta(part)?;
            let payload = meta.get("payload").and_then(Value::as_str);
            let Some(part_manifest) = Manifest::from_payload(payload) else {
                return Err(incompatible(
                    part,
                    &format!("its analysis version is not {SCHEMA_VERSION}"),
                ));
            };
            for segment in meta["segments"].as_array().into_iter().flatten() {
                // `meta.json` writes the UUID with hyphens, file names without.
                let id = segment["segment_id"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('-', "");
                if let Some(&other) = owners.get(&id) {
                    return Err(Error::Invalid(format!(
                        "indexes {} and {} share segment {id}: one is a copy of the other; give \
                         it once",
                        self.parts[other].path.display(),
                        part.path.display()
                    )));
                }
                owners.insert(id, i);
            }
            manifest.next_seq = manifest.next_seq.max(part_manifest.next_seq);
            for (file, state) in part_manifest.files {
                manifest.files.entry(file).or_insert(state);
            }
            merged = Some(match merged {
                None => meta,
                Some(mut all) => {
                    for key in ["schema", "index_settings", "persisted_custom_extensions"] {
                        if all.get(key) != meta.get(key) {
                            return Err(incompatible(
                                part,
                                &format!(
                                    "its {key} differs from that of {}",
                                    self.parts[0].path.display()
                                ),
                            ));
                        }
                    }
                    let opstamp = all["opstamp"].as_u64().max(meta["opstamp"].as_u64());
                    all["opstamp"] = opstamp.into();
                    if let (Some(list), Some(more)) =
                        (all["segments"].as_array_mut(), meta["segments"].as_array())
                    {
                        list.extend(more.iter().cloned());
                    }
                    all
                }
            });
        }
        let mut merged = merged.ok_or_else(|| Error::Invalid("no index given".into()))?;
        merged["payload"] = manifest.to_payload().into();
        *self.owners.write().unwrap_or_else(|e| e.into_inner()) = owners;
        serde_json::to_vec(&merged).map_err(|e| Error::Internal(e.to_string()))
    }

    /// One part's `meta.json`, parsed.
    fn part_meta(&self, part: &Part) -> Result<Value> {
        let bytes = part.dir.atomic_read(Path::new(META)).map_err(|e| match e {
            OpenReadError::FileDoesNotExist(_) => Error::NoIndex(part.path.clone()),
            other => Error::Io {
                path: part.path.join(META),
                source: io::Error::other(other.to_string()),
            },
        })?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Io {
            path: part.path.join(META),
            source: io::Error::new(io::ErrorKind::InvalidData, e),
        })
    }

    /// The part holding a segment file (`<uuid>.<ext>` or `<uuid>.<opstamp>.del`).
    fn owner(&self, path: &Path) -> Option<&Part> {
        let name = path.file_name()?.to_str()?;
        let uuid = name.split('.').next()?;
        let owners = self.owners.read().unwrap_or_else(|e| e.into_inner());
        owners.get(uuid).map(|&i| &self.parts[i])
    }
}

/// The message for an index that cannot join the others.
fn incompatible(part: &Part, why: &str) -> Error {
    Error::SchemaMismatch(format!(
        "index {} cannot be searched with the others: {why}; rebuild it with `clinsearch index \
         PATH... --index {}`",
        part.path.display(),
        part.path.display()
    ))
}

/// The error of every write.
fn read_only() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "several indexes searched together are read-only",
    )
}

impl Directory for UnionDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.owner(path) {
            Some(part) => part.dir.get_file_handle(path),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        if path == Path::new(META) {
            return Ok(true);
        }
        match self.owner(path) {
            Some(part) => part.dir.exists(path),
            None => Ok(false),
        }
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        if path != Path::new(META) {
            // Tantivy's list of the files it wrote (`.managed.json`) is each index's own.
            return Err(OpenReadError::FileDoesNotExist(path.to_path_buf()));
        }
        self.merged_meta().map_err(|e| OpenReadError::IoError {
            io_error: Arc::new(io::Error::other(e.to_string())),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// The meta lock (held while segment readers open, so that no commit deletes their files) is
    /// taken in every part; no other lock is granted.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath != META_LOCK.filepath {
            return Err(LockError::wrap_io_error(read_only()));
        }
        let locks = self
            .parts
            .iter()
            .map(|part| part.dir.acquire_lock(lock))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DirectoryLock::from(Box::new(locks)))
    }

    /// A commit to any part calls `callback`.
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        let handles = self
            .parts
            .iter()
            .map(|part| part.dir.watch(callback.clone()))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // The returned handle keeps the parts' handles alive; its own callback never runs.
        Ok(WatchHandle::new(Arc::new(WatchCallback::new(move || {
            let _ = &handles;
        }))))
    }
}
