//! The passage vectors of an index: one file in the index folder, written once under a new name
//! and named by the manifest of the commit it belongs to, memory-mapped at search time.
//!
//! Layout (little-endian): a 64-byte header (`CLSVEC02`, dimension, rows, the model's
//! fingerprint, where the keys start and how long they are), then `rows × dimension` signed
//! bytes, then the keys. A vector is stored as int8 scaled so that its largest component is
//! ±127; the scale is not kept, since only the direction matters to a cosine (the row's norm is
//! computed once when the file is opened). The keys, in row order, are grouped by article: the
//! article id, front-coded (the bytes it shares with the previous id, then the rest: articles
//! come in id order, so paths of one folder share most of theirs), a 32-bit hash of what was
//! embedded, the number of its passages, and for each passage its ordinal and its `seq`
//! (delta-coded varints). Files of the first layout (`CLSVEC01`, whole ids) are read as well.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"CLSVEC02";
/// The first layout, whose keys hold each article id whole.
const MAGIC_WHOLE_IDS: &[u8; 8] = b"CLSVEC01";
const HEADER: usize = 64;

/// One passage's key: its ordinal in its article and its `seq` in the index (a new `seq` is given
/// to every document added, so a row whose `seq` no longer exists belongs to a replaced passage).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassageKey {
    /// Position of the passage in its article.
    pub ordinal: u64,
    /// The document's `seq` fast field.
    pub seq: u64,
}

/// One article's rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleKeys {
    /// The article id.
    pub article: String,
    /// 32 bits of the xxh3 of what was embedded for its passages, in order.
    pub hash: u32,
    /// Its passages, in row order.
    pub passages: Vec<PassageKey>,
}

/// Quantise a unit vector to int8: the largest component becomes ±127.
pub fn quantise(v: &[f32]) -> Vec<i8> {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return vec![0; v.len()];
    }
    v.iter()
        .map(|x| (x * 127.0 / max).round().clamp(-127.0, 127.0) as i8)
        .collect()
}

/// Write a vector file at `path` (through a temporary file and a rename, synced, so that the name
/// only ever holds a whole file). `rows` holds `dim` bytes per passage of `articles`, in order.
pub fn write(
    path: &Path,
    dim: usize,
    fingerprint: u64,
    articles: &[ArticleKeys],
    rows: &[i8],
) -> Result<u64> {
    write_layout(path, dim, fingerprint, articles, rows, true)
}

/// [`write`] in the current layout, or with `front_coded` false in the first one.
fn write_layout(
    path: &Path,
    dim: usize,
    fingerprint: u64,
    articles: &[ArticleKeys],
    rows: &[i8],
    front_coded: bool,
) -> Result<u64> {
    let count: usize = articles.iter().map(|a| a.passages.len()).sum();
    debug_assert_eq!(rows.len(), count * dim);
    let mut keys = Vec::new();
    varint(&mut keys, articles.len() as u64);
    let mut last_seq = 0u64;
    let mut last_id: &[u8] = &[];
    for a in articles {
        let id = a.article.as_bytes();
        if front_coded {
            let shared = id.iter().zip(last_id).take_while(|(x, y)| x == y).count();
            varint(&mut keys, shared as u64);
            varint(&mut keys, (id.len() - shared) as u64);
            keys.extend_from_slice(&id[shared..]);
            last_id = id;
        } else {
            varint(&mut keys, id.len() as u64);
            keys.extend_from_slice(id);
        }
        keys.extend_from_slice(&a.hash.to_le_bytes());
        varint(&mut keys, a.passages.len() as u64);
        for p in &a.passages {
            varint(&mut keys, p.ordinal);
            let delta = p.seq.wrapping_sub(last_seq) as i64;
            varint(&mut keys, ((delta << 1) ^ (delta >> 63)) as u64);
            last_seq = p.seq;
        }
    }
    let mut out = Vec::with_capacity(HEADER + rows.len() + keys.len());
    out.extend_from_slice(if front_coded { MAGIC } else { MAGIC_WHOLE_IDS });
    out.extend_from_slice(&(dim as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(count as u64).to_le_bytes());
    out.extend_from_slice(&fingerprint.to_le_bytes());
    out.extend_from_slice(&((HEADER + rows.len()) as u64).to_le_bytes());
    out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
    out.resize(HEADER, 0);
    out.extend(rows.iter().map(|&b| b as u8));
    out.extend_from_slice(&keys);
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let partial = path.with_extension("partial");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&partial).map_err(io)?;
        file.write_all(&out).map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&partial, path).map_err(io)?;
    Ok(out.len() as u64)
}

/// A vector file, memory-mapped.
pub struct VectorStore {
    map: Mmap,
    path: PathBuf,
    dim: usize,
    rows: usize,
    fingerprint: u64,
    keys: Vec<ArticleKeys>,
    /// Each row's norm (of its int8 components).
    norms: Vec<f32>,
}

impl VectorStore {
    /// Open the vector file at `path`: a damaged or truncated file is an error naming it.
    pub fn open(path: &Path) -> Result<VectorStore> {
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        // SAFETY: vector files are written once under a temporary name and renamed into place;
        // clinsearch never modifies one afterwards (a new version gets a new name).
        let map = unsafe { Mmap::map(&file) }.map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |why: &str| Error::Embedding(format!("{}: {why}", path.display()));
        let front_coded = match map.get(..8) {
            Some(magic) if map.len() >= HEADER && magic == MAGIC => true,
            Some(magic) if map.len() >= HEADER && magic == MAGIC_WHOLE_IDS => false,
            _ => return Err(bad("not a clinsearch vector file")),
        };
        let u32_at = |at: usize| u32::from_le_bytes(map[at..at + 4].try_into().expect("4 bytes"));
        let u64_at = |at: usize| u64::from_le_bytes(map[at..at + 8].try_into().expect("8 bytes"));
        let dim = u32_at(8) as usize;
        let rows = u64_at(16) as usize;
        let fingerprint = u64_at(24);
        let (keys_at, keys_len) = (u64_at(32) as usize, u64_at(40) as usize);
        if dim == 0
            || rows.checked_mul(dim).and_then(|n| n.checked_add(HEADER)) != Some(keys_at)
            || keys_at.checked_add(keys_len) != Some(map.len())
        {
            return Err(bad("truncated or damaged (sizes do not add up)"));
        }
        let keys = read_keys(&map[keys_at..], front_coded)
            .filter(|k| k.iter().map(|a| a.passages.len()).sum::<usize>() == rows)
            .ok_or_else(|| bad("damaged keys"))?;
        let mut store = VectorStore {
            map,
            path: path.to_path_buf(),
            dim,
            rows,
            fingerprint,
            keys,
            norms: Vec::new(),
        };
        store.norms = (0..rows)
            .map(|r| {
                let row = store.row(r);
                (row.iter()
                    .map(|&x| i32::from(x) * i32::from(x))
                    .sum::<i32>() as f32)
                    .sqrt()
            })
            .collect();
        Ok(store)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Length of the vectors.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the file holds no vector.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The fingerprint of the model that made the vectors.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The keys, grouped by article, in row order.
    pub fn keys(&self) -> &[ArticleKeys] {
        &self.keys
    }

    /// Row `r`'s int8 components.
    pub fn row(&self, r: usize) -> &[i8] {
        let start = HEADER + r * self.dim;
        let bytes = &self.map[start..start + self.dim];
        // SAFETY: u8 and i8 have the same size and alignment, and every bit pattern is valid.
        unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<i8>(), bytes.len()) }
    }

    /// Each row's (row, passage ordinal) by the `seq` of its passage.
    pub fn rows_by_seq(&self) -> HashMap<u64, (u32, u64)> {
        let mut out = HashMap::with_capacity(self.rows);
        let mut row = 0u32;
        for a in &self.keys {
            for p in &a.passages {
                out.insert(p.seq, (row, p.ordinal));
                row += 1;
            }
        }
        out
    }

    /// The cosine of `query` with every row `r` for which `keep(r)` holds, through
    /// `out(r, cosine)`.
    pub fn scan(
        &self,
        query: &[f32],
        keep: impl Fn(usize) -> bool,
        mut out: impl FnMut(usize, f32),
    ) {
        let q = Query::new(query);
        if q.norm == 0.0 || query.len() != self.dim {
            return;
        }
        let dot = dot_fn();
        for r in 0..self.rows {
            if !keep(r) || self.norms[r] == 0.0 {
                continue;
            }
            out(
                r,
                dot(&q.int8, self.row(r)) as f32 / (q.norm * self.norms[r]),
            );
        }
    }

    /// The cosine of `query` with row `r`.
    pub fn cosine(&self, query: &[f32], r: usize) -> f32 {
        let q = Query::new(query);
        if q.norm == 0.0 || self.norms[r] == 0.0 || query.len() != self.dim {
            return 0.0;
        }
        self.cosine_of(&q, r)
    }

    fn cosine_of(&self, q: &Query, r: usize) -> f32 {
        dot_fn()(&q.int8, self.row(r)) as f32 / (q.norm * self.norms[r])
    }
}

/// A query vector, quantised as rows are (int8 against int8 moves a cosine by less than 0.001).
struct Query {
    int8: Vec<i8>,
    norm: f32,
}

impl Query {
    fn new(v: &[f32]) -> Query {
        let int8 = quantise(v);
        let norm = (int8
            .iter()
            .map(|&x| i32::from(x) * i32::from(x))
            .sum::<i32>() as f32)
            .sqrt();
        Query { int8, norm }
    }
}

/// The fastest integer dot product this processor runs: AVX2 where it has it (the build targets
/// any x86-64, whose SSE2 multiplies 8 pairs at a time to AVX2's 16), else [`dot`].
fn dot_fn() -> fn(&[i8], &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return |a, b| unsafe { dot_avx2(a, b) };
    }
    dot
}

/// [`dot`] with AVX2: 16 sign-extended pairs multiplied and added in pairs per step
/// (`vpmaddwd`), as 32-bit sums.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_avx2(a: &[i8], b: &[i8]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let mut sum = _mm256_setzero_si256();
    let mut i = 0;
    while i + 16 <= n {
        // SAFETY: i + 16 <= n, the length of both slices; unaligned loads.
        let (x, y) = unsafe {
            (
                _mm_loadu_si128(a.as_ptr().add(i).cast()),
                _mm_loadu_si128(b.as_ptr().add(i).cast()),
            )
        };
        let products = _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), _mm256_cvtepi8_epi16(y));
        sum = _mm256_add_epi32(sum, products);
        i += 16;
    }
    let half = _mm_add_epi32(
        _mm256_castsi256_si128(sum),
        _mm256_extracti128_si256(sum, 1),
    );
    let quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0b01_00_11_10));
    let total = _mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0b10_11_00_01));
    _mm_cvtsi128_si32(total) + dot(&a[i..n], &b[i..n])
}

/// Integer dot product (written so that the compiler vectorises it).
fn dot(a: &[i8], b: &[i8]) -> i32 {
    a.chunks_exact(16)
        .zip(b.chunks_exact(16))
        .map(|(x, y)| {
            x.iter()
                .zip(y)
                .map(|(&p, &q)| i32::from(i16::from(p) * i16::from(q)))
                .sum::<i32>()
        })
        .sum::<i32>()
        + a.chunks_exact(16)
            .remainder()
            .iter()
            .zip(b.chunks_exact(16).remainder())
            .map(|(&p, &q)| i32::from(p) * i32::from(q))
            .sum::<i32>()
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// The keys of a vector file; `front_coded` for the current layout, whole ids for the first.
fn read_keys(bytes: &[u8], front_coded: bool) -> Option<Vec<ArticleKeys>> {
    let mut at = 0;
    let n = read_varint(bytes, &mut at)? as usize;
    let mut out: Vec<ArticleKeys> = Vec::with_capacity(n.min(bytes.len()));
    let mut last_seq = 0u64;
    for _ in 0..n {
        let shared = if front_coded {
            read_varint(bytes, &mut at)? as usize
        } else {
            0
        };
        let len = read_varint(bytes, &mut at)? as usize;
        let last: &[u8] = out.last().map_or(&[], |a| a.article.as_bytes());
        let mut id = last.get(..shared)?.to_vec();
        id.extend_from_slice(bytes.get(at..at.checked_add(len)?)?);
        let article = String::from_utf8(id).ok()?;
        at += len;
        let hash = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        at += 4;
        let count = read_varint(bytes, &mut at)? as usize;
        let mut passages = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            let ordinal = read_varint(bytes, &mut at)?;
            let z = read_varint(bytes, &mut at)?;
            let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
            last_seq = last_seq.wrapping_add(delta as u64);
            passages.push(PassageKey {
                ordinal,
                seq: last_seq,
            });
        }
        out.push(ArticleKeys {
            article,
            hash,
            passages,
        });
    }
    (at == bytes.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_back_with_its_keys_and_cosines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.bin");
        let keys = vec![
            ArticleKeys {
                article: "b".into(),
                hash: 7,
                passages: vec![
                    PassageKey {
                        ordinal: 0,
                        seq: 10,
                    },
                    PassageKey {
                        ordinal: 1,
                        seq: 11,
                    },
                ],
            },
            ArticleKeys {
                article: "a".into(),
                hash: 9,
                passages: vec![PassageKey { ordinal: 0, seq: 3 }],
            },
        ];
        let vectors = [[1.0f32, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.0, -1.0]];
        let rows: Vec<i8> = vectors.iter().flat_map(|v| quantise(v)).collect();
        let bytes = write(&path, 3, 42, &keys, &rows).unwrap();
        assert_eq!(bytes, std::fs::metadata(&path).unwrap().len());
        let store = VectorStore::open(&path).unwrap();
        assert_eq!((store.dim(), store.len(), store.fingerprint()), (3, 3, 42));
        assert_eq!(store.keys(), &keys[..]);
        assert_eq!(store.rows_by_seq()[&3], (2, 0));
        let q = [0.6f32, 0.8, 0.0];
        assert!((store.cosine(&q, 1) - 1.0).abs() < 1e-3);
        assert!((store.cosine(&q, 0) - 0.6).abs() < 1e-2);
        let mut seen = Vec::new();
        store.scan(&q, |r| r != 0, |r, c| seen.push((r, c)));
        assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 2]);
        assert!(seen[1].1.abs() < 1e-3);
    }

    #[test]
    fn ids_share_their_prefixes_and_the_first_layout_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let ids = [
            "folder/a.pdf",
            "folder/a.xml",
            "folder/b/ü.pdf",
            "other.txt",
            "",
        ];
        let keys: Vec<ArticleKeys> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ArticleKeys {
                article: id.to_string(),
                hash: i as u32,
                passages: vec![PassageKey {
                    ordinal: 0,
                    seq: i as u64,
                }],
            })
            .collect();
        let rows: Vec<i8> = (0..ids.len() as i8 * 2).collect();
        let (new, old) = (dir.path().join("new.bin"), dir.path().join("old.bin"));
        let new_bytes = write(&new, 2, 1, &keys, &rows).unwrap();
        let old_bytes = write_layout(&old, 2, 1, &keys, &rows, false).unwrap();
        // Shared: 9 bytes of "folder/a.xml", 7 of "folder/b/ü.pdf"; one byte more per id.
        assert_eq!(old_bytes - new_bytes, 9 + 7 - ids.len() as u64);
        for path in [&new, &old] {
            let store = VectorStore::open(path).unwrap();
            assert_eq!(store.keys(), &keys[..]);
            assert_eq!(store.row(4), &[8, 9]);
        }
    }

    #[test]
    fn a_truncated_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.bin");
        let keys = vec![ArticleKeys {
            article: "a".into(),
            hash: 1,
            passages: vec![PassageKey { ordinal: 0, seq: 0 }],
        }];
        write(&path, 4, 1, &keys, &[1, 2, 3, 4]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let message = VectorStore::open(&path).err().unwrap().to_string();
        assert!(
            message.contains("v.bin") && message.contains("damaged"),
            "{message}"
        );
    }

    #[test]
    fn dot_products_match_a_plain_sum() {
        let a: Vec<i8> = (0..37).map(|i| (i * 7 % 255 - 127) as i8).collect();
        let b: Vec<i8> = (0..37).map(|i| (i * 13 % 255 - 127) as i8).collect();
        let plain: i32 = a.iter().zip(&b).map(|(&x, &y)| x as i32 * y as i32).sum();
        assert_eq!(dot(&a, &b), plain);
        assert_eq!(dot_fn()(&a, &b), plain);
        assert_eq!(dot_fn()(&a[..32], &b[..32]), dot(&a[..32], &b[..32]));
    }
}
