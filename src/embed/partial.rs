//! The vectors an `index --semantic` run has made so far, appended to a file in the index folder
//! as each batch is done, so that a run that is interrupted (Ctrl-C, a crash, a full disk) loses
//! at most the batches in flight: the next run reads them back and embeds only the rest. The
//! file is removed once the run commits its vector file. Search never reads it.
//!
//! Layout (little-endian): `CLSPART1`, the dimension (u32) and the model's fingerprint (u64);
//! then one record per passage: the article id's length (u32) and bytes, the hash of the
//! article's inputs (u32), the passage's ordinal (u64) and `dimension` signed bytes. A record
//! cut short by a kill is ignored.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File name in the index folder; it starts like the vector files, which a committing run
/// removes when they are not the committed one.
pub const FILE: &str = "vectors-partial.bin";

const MAGIC: &[u8; 8] = b"CLSPART1";
const HEADER: usize = 8 + 4 + 8;

/// Vectors read back from an interrupted run.
#[derive(Default)]
pub struct Resumed {
    /// By article id and input hash, each passage's vector by ordinal.
    pub vectors: HashMap<(String, u32), HashMap<u64, Vec<i8>>>,
    /// Length of the file's header and whole records (0: nothing of this model's).
    valid: usize,
}

/// The open file, appended to.
pub struct PartialLog {
    out: BufWriter<File>,
    path: PathBuf,
}

/// The vectors that an interrupted run of this model (`dim`, `fingerprint`) left in `dir`
/// (none when there is no such file or it is another model's).
pub fn read_back(dir: &Path, dim: usize, fingerprint: u64) -> Resumed {
    let mut bytes = Vec::new();
    match File::open(dir.join(FILE)).and_then(|mut f| f.read_to_end(&mut bytes)) {
        Ok(_) => read(&bytes, dim, fingerprint),
        Err(_) => Resumed::default(),
    }
}

impl PartialLog {
    /// Open the file in `dir` to append to it, after the whole records that [`read_back`] read
    /// from it as `resumed` (begun anew when it held nothing of this model's).
    pub fn open(dir: &Path, dim: usize, fingerprint: u64, resumed: &Resumed) -> Result<PartialLog> {
        let path = dir.join(FILE);
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let valid = resumed.valid;
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        if valid == 0 {
            file.set_len(0).map_err(io)?;
            file.write_all(MAGIC).map_err(io)?;
            file.write_all(&(dim as u32).to_le_bytes()).map_err(io)?;
            file.write_all(&fingerprint.to_le_bytes()).map_err(io)?;
        } else {
            // A record cut short is dropped; appending goes on after the last whole one.
            file.set_len(valid as u64).map_err(io)?;
            file.seek(SeekFrom::End(0)).map_err(io)?;
        }
        Ok(PartialLog {
            out: BufWriter::new(file),
            path,
        })
    }

    /// Append one passage's vector (written out by the next [`flush`](PartialLog::flush)).
    pub fn append(&mut self, article: &str, hash: u32, ordinal: u64, vector: &[i8]) -> Result<()> {
        let mut record = Vec::with_capacity(16 + article.len() + vector.len());
        record.extend_from_slice(&(article.len() as u32).to_le_bytes());
        record.extend_from_slice(article.as_bytes());
        record.extend_from_slice(&hash.to_le_bytes());
        record.extend_from_slice(&ordinal.to_le_bytes());
        record.extend(vector.iter().map(|&b| b as u8));
        self.out.write_all(&record).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Hand what was appended to the operating system, so that it survives the process.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })
    }
}

/// The records of `bytes` written for `dim` and `fingerprint`.
fn read(bytes: &[u8], dim: usize, fingerprint: u64) -> Resumed {
    let mut resumed = Resumed::default();
    let header_ok = bytes.len() >= HEADER
        && &bytes[..8] == MAGIC
        && bytes[8..12] == (dim as u32).to_le_bytes()
        && bytes[12..20] == fingerprint.to_le_bytes();
    if !header_ok {
        return resumed;
    }
    let mut at = HEADER;
    loop {
        let take = |at: usize, n: usize| bytes.get(at..at + n);
        let Some(len) = take(at, 4).map(|b| u32::from_le_bytes(b.try_into().unwrap()) as usize)
        else {
            break;
        };
        let end = at + 4 + len + 4 + 8 + dim;
        let Some(record) = take(at, end - at) else {
            break;
        };
        let Ok(article) = std::str::from_utf8(&record[4..4 + len]) else {
            break;
        };
        let rest = &record[4 + len..];
        let hash = u32::from_le_bytes(rest[..4].try_into().unwrap());
        let ordinal = u64::from_le_bytes(rest[4..12].try_into().unwrap());
        let vector = rest[12..].iter().map(|&b| b as i8).collect();
        resumed
            .vectors
            .entry((article.to_string(), hash))
            .or_default()
            .insert(ordinal, vector);
        at = end;
    }
    resumed.valid = at;
    resumed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_and_a_cut_record_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let resumed = read_back(dir.path(), 3, 42);
        assert!(resumed.vectors.is_empty());
        let mut log = PartialLog::open(dir.path(), 3, 42, &resumed).unwrap();
        log.append("a.md", 7, 0, &[1, -2, 3]).unwrap();
        log.append("a.md", 7, 2, &[4, 5, -6]).unwrap();
        log.append("b.md", 9, 1, &[0, 0, 127]).unwrap();
        log.flush().unwrap();
        drop(log);
        // A kill in the middle of a record.
        let path = dir.path().join(FILE);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[4, 0, 0, 0, b'c', b'.']).unwrap();
        drop(f);

        let resumed = read_back(dir.path(), 3, 42);
        assert_eq!(resumed.vectors.len(), 2);
        assert_eq!(
            resumed.vectors[&("a.md".to_string(), 7)][&2],
            vec![4, 5, -6]
        );
        assert_eq!(
            resumed.vectors[&("b.md".to_string(), 9)][&1],
            vec![0, 0, 127]
        );
        // Appending goes on after the last whole record.
        let mut log = PartialLog::open(dir.path(), 3, 42, &resumed).unwrap();
        log.append("c.md", 1, 0, &[9, 9, 9]).unwrap();
        log.flush().unwrap();
        drop(log);
        assert_eq!(read_back(dir.path(), 3, 42).vectors.len(), 3);

        // Another model's vectors are not read, and its file is begun anew.
        let other = read_back(dir.path(), 3, 43);
        assert!(other.vectors.is_empty());
        drop(PartialLog::open(dir.path(), 3, 43, &other).unwrap());
        assert!(read_back(dir.path(), 3, 42).vectors.is_empty());
        assert!(read_back(dir.path(), 3, 43).vectors.is_empty());
    }
}
