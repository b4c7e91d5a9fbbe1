//! The passage vectors of the indexes a searcher reads, as one row space, and which document
//! each row belongs to in the segments being searched. Followed across commits: a search after
//! `index --semantic` committed new vectors reads the new file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::DocAddress;

use crate::embed::store::VectorStore;
use crate::embed::Embedder;
use crate::error::{Error, Result};
use crate::index::{vectors_in, UnionDirectory};

/// Row of a document without a vector.
pub(super) const NO_ROW: u32 = u32::MAX;

/// The vector files of one or more indexes, rows numbered one after the other, articles by id.
pub(super) struct Vectors {
    /// Each index's vector file (`None`: the index has no vectors).
    pub files: Vec<Option<PathBuf>>,
    stores: Vec<VectorStore>,
    /// Each store's part (index) and first row.
    parts: Vec<(usize, usize)>,
    rows: usize,
    /// Each row's article, an index into `ids`.
    row_article: Vec<u32>,
    /// Article ids (an id found in several indexes once).
    pub ids: Vec<String>,
    /// Each article's rows.
    spans: Vec<Vec<Range<u32>>>,
    /// Each article's index in `ids`.
    at: HashMap<String, u32>,
}

impl Vectors {
    /// `stores` (each with the index it belongs to), checked against `embedder`.
    pub fn new(
        embedder: &dyn Embedder,
        files: Vec<Option<PathBuf>>,
        stores: Vec<(usize, VectorStore)>,
    ) -> Result<Vectors> {
        let mut v = Vectors {
            files,
            stores: Vec::with_capacity(stores.len()),
            parts: Vec::with_capacity(stores.len()),
            rows: 0,
            row_article: Vec::new(),
            ids: Vec::new(),
            spans: Vec::new(),
            at: HashMap::new(),
        };
        for (part, store) in stores {
            check(embedder, &store)?;
            v.parts.push((part, v.rows));
            for a in store.keys() {
                let next = v.ids.len() as u32;
                let i = *v.at.entry(a.article.clone()).or_insert(next);
                if i == next {
                    v.ids.push(a.article.clone());
                    v.spans.push(Vec::new());
                }
                let first = v.row_article.len() as u32;
                v.spans[i as usize].push(first..first + a.passages.len() as u32);
                v.row_article
                    .extend(std::iter::repeat_n(i, a.passages.len()));
            }
            v.rows += store.len();
            v.stores.push(store);
        }
        Ok(v)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Row `r`'s article.
    pub fn article_of(&self, r: usize) -> usize {
        self.row_article[r] as usize
    }

    /// The article with id `id`.
    pub fn article(&self, id: &str) -> Option<usize> {
        self.at.get(id).map(|&a| a as usize)
    }

    /// Article `a`'s rows.
    pub fn rows_of(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.spans[a]
            .iter()
            .flat_map(|r| r.start as usize..r.end as usize)
    }

    /// The cosine of `query` with every row for which `keep(r)` holds, through `out(r, cosine)`.
    pub fn scan(
        &self,
        query: &[f32],
        keep: impl Fn(usize) -> bool,
        mut out: impl FnMut(usize, f32),
    ) {
        for (store, &(_, first)) in self.stores.iter().zip(&self.parts) {
            store.scan(query, |r| keep(first + r), |r, c| out(first + r, c));
        }
    }

    /// The cosine of `query` with row `r`.
    pub fn cosine(&self, query: &[f32], r: usize) -> f32 {
        let s = self.parts.partition_point(|&(_, first)| first <= r) - 1;
        self.stores[s].cosine(query, r - self.parts[s].1)
    }
}

/// `store` was made by `embedder`'s model, with its dimension.
fn check(embedder: &dyn Embedder, store: &VectorStore) -> Result<()> {
    if embedder.dim() != store.dim() {
        return Err(Error::Embedding(format!(
            "{}: the vectors have {} dimensions and the model makes {}: run `clinsearch index --semantic` again",
            store.path().display(),
            store.dim(),
            embedder.dim()
        )));
    }
    if embedder.fingerprint() != store.fingerprint() {
        return Err(Error::Embedding(format!(
            "{}: the vectors were made by another model or version of clinsearch: run `clinsearch index --semantic` again",
            store.path().display()
        )));
    }
    Ok(())
}

/// Rows ↔ documents of one set of segments.
pub(super) struct Mapping {
    segments: Vec<SegmentId>,
    generation: u64,
    pub vectors: Arc<Vectors>,
    /// Per segment (in searcher order), each document's row or [`NO_ROW`].
    pub doc_rows: Vec<Vec<u32>>,
    /// Each row's document, when it is in these segments.
    pub row_docs: Vec<Option<DocAddress>>,
}

impl Mapping {
    /// Document `address`'s row.
    pub fn row(&self, address: DocAddress) -> Option<usize> {
        let row = self.doc_rows[address.segment_ord as usize][address.doc_id as usize];
        (row != NO_ROW).then_some(row as usize)
    }
}

/// Where the vectors come from: the committed vector files of index folders (followed across
/// commits), or one set given once.
pub(super) struct Source {
    dirs: Vec<PathBuf>,
    fixed: bool,
    vectors: Mutex<Arc<Vectors>>,
    last: Mutex<Option<Arc<Mapping>>>,
}

impl Source {
    /// The vectors committed in `dirs` (in the order the searcher's union reads them), opened
    /// now: `files` are their vector files.
    pub fn dirs(
        embedder: &dyn Embedder,
        dirs: Vec<PathBuf>,
        files: Vec<Option<PathBuf>>,
    ) -> Result<Source> {
        Ok(Source {
            dirs,
            fixed: false,
            vectors: Mutex::new(Arc::new(open(embedder, files)?)),
            last: Mutex::new(None),
        })
    }

    /// `vectors`, never reloaded.
    pub fn fixed(vectors: Vectors) -> Source {
        Source {
            dirs: Vec::new(),
            fixed: true,
            vectors: Mutex::new(Arc::new(vectors)),
            last: Mutex::new(None),
        }
    }

    /// The vectors committed now, opened again when the files changed.
    fn current(&self, embedder: &dyn Embedder) -> Result<Arc<Vectors>> {
        let mut slot = self.vectors.lock().unwrap_or_else(|p| p.into_inner());
        if !self.fixed {
            let files: Vec<Option<PathBuf>> = self
                .dirs
                .iter()
                .map(|d| Ok(vectors_in(d)?.map(|v| d.join(v.file))))
                .collect::<Result<_>>()?;
            if files != slot.files {
                *slot = Arc::new(open(embedder, files)?);
            }
        }
        Ok(slot.clone())
    }

    /// The mapping for `searcher`'s segments and the vectors committed with them, built again
    /// when either changed.
    pub fn mapping(
        &self,
        embedder: &dyn Embedder,
        searcher: &tantivy::Searcher,
        union: Option<&UnionDirectory>,
    ) -> Result<Arc<Mapping>> {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        let generation = searcher.generation().generation_id();
        let mut slot = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = |m: &&Arc<Mapping>| {
            m.segments == segments && (self.fixed || m.generation == generation)
        };
        if let Some(m) = slot.as_ref().filter(fresh) {
            return Ok(m.clone());
        }
        let vectors = self.current(embedder)?;
        if let Some(m) = slot
            .as_ref()
            .filter(|m| m.segments == segments && Arc::ptr_eq(&m.vectors, &vectors))
        {
            return Ok(m.clone());
        }
        let by_seq: Vec<HashMap<u64, (u32, u64)>> =
            vectors.stores.iter().map(|s| s.rows_by_seq()).collect();
        let mut doc_rows = Vec::with_capacity(segments.len());
        let mut row_docs = vec![None; vectors.len()];
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            let part = union.map_or(Some(0), |u| u.part_of(reader.segment_id()));
            let store = vectors.parts.iter().position(|&(p, _)| Some(p) == part);
            let mut rows = vec![NO_ROW; reader.max_doc() as usize];
            if let Some(store) = store {
                let first = vectors.parts[store].1 as u32;
                let seqs = reader.fast_fields().u64("seq")?;
                let ordinals = reader.fast_fields().u64("ordinal")?;
                for doc in reader.doc_ids_alive() {
                    let Some(&(row, ordinal)) = seqs.first(doc).and_then(|q| by_seq[store].get(&q))
                    else {
                        continue;
                    };
                    if ordinals.first(doc) == Some(ordinal) {
                        rows[doc as usize] = first + row;
                        row_docs[(first + row) as usize] = Some(DocAddress::new(s as u32, doc));
                    }
                }
            }
            doc_rows.push(rows);
        }
        let m = Arc::new(Mapping {
            segments,
            generation,
            vectors,
            doc_rows,
            row_docs,
        });
        *slot = Some(m.clone());
        Ok(m)
    }
}

/// Open the vector files `files` (one per index, in order).
pub(super) fn open(embedder: &dyn Embedder, files: Vec<Option<PathBuf>>) -> Result<Vectors> {
    let mut stores = Vec::new();
    for (part, file) in files.iter().enumerate() {
        if let Some(file) = file {
            stores.push((part, VectorStore::open(file)?));
        }
    }
    Vectors::new(embedder, files, stores)
}

/// Which of `dirs` have committed vectors: all, none, or some (a note names one without).
pub(super) fn which_have(dirs: &[PathBuf]) -> Result<Option<Vec<Option<PathBuf>>>> {
    let files: Vec<Option<PathBuf>> = dirs
        .iter()
        .map(|d| Ok(vectors_in(d)?.map(|v| d.join(v.file))))
        .collect::<Result<_>>()?;
    if files.iter().all(Option::is_none) {
        return Ok(None);
    }
    if let Some(i) = files.iter().position(Option::is_none) {
        return Err(Error::Embedding(format!(
            "index {} has no vectors (the others have): run `clinsearch index --semantic` on it",
            dirs[i].display()
        )));
    }
    Ok(Some(files))
}
