//! Ranking that does not depend on how the index is split into segments: hits in score order,
//! ties broken by article id, then passage (or reference) number, then kind; and, for the
//! natural-language ranking, scores summed in the same order whatever the layout.
//!
//! tantivy breaks ties by document address, which changes when the same files are indexed in
//! another order (a re-run after an interrupted run, other thread timings). Its block-max WAND
//! also adds a document's term scores in an order that depends on where each term's postings stand
//! in the segment, so the same passage scores 23.692528 in one index and 23.692532 in another
//! (1.7e-7 relative, the last bit of an f32). [`TopHits`] collects with WAND but keeps every
//! document within [`NOISE`] of the last place, and [`Clause::rescore`] adds each candidate's
//! term scores again, in query order: the scores ranked and printed are the same for the same
//! files.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::{Bm25Weight, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Relative score difference under which two documents may swap places in WAND's sums (an f32
/// sum of a few dozen terms errs by a few units of 1e-7): the collector keeps candidates down to
/// this far below the last place, so that rescoring can decide.
const NOISE: Score = 1e-5;

/// A document kept by [`TopHits`], with its stable key.
#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub score: Score,
    pub address: DocAddress,
    pub article: String,
    pub ordinal: u64,
    pub reference: bool,
}

impl Candidate {
    /// Best score first, then article id, passage number, and passages before references.
    fn order(&self, other: &Candidate) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.article.cmp(&other.article))
            .then_with(|| self.ordinal.cmp(&other.ordinal))
            .then_with(|| self.reference.cmp(&other.reference))
    }
}

/// Sort candidates best first, ties by the stable key.
pub(super) fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(Candidate::order);
}

/// Article ids of each segment, by term ordinal of the `article` fast field, read once per
/// segment: looking an ordinal up in the column's dictionary decompresses a block each time, which
/// a batch run of thousands of queries would do hundreds of times a query.
#[derive(Default)]
pub(super) struct ArticleNames {
    segments: Mutex<FxHashMap<SegmentId, Arc<Names>>>,
}

/// One segment's article ids, in term order.
pub(super) struct Names {
    text: String,
    ends: Vec<usize>,
}

impl Names {
    fn get(&self, ord: u64) -> &str {
        let i = ord as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.ends.get(i).map_or("", |&end| &self.text[start..end])
    }
}

impl ArticleNames {
    fn segment(&self, reader: &SegmentReader) -> tantivy::Result<Option<Arc<Names>>> {
        let id = reader.segment_id();
        if let Some(names) = lock(&self.segments).get(&id) {
            return Ok(Some(names.clone()));
        }
        let Some(column) = reader.fast_fields().str("article")? else {
            return Ok(None);
        };
        let mut names = Names {
            text: String::new(),
            ends: Vec::with_capacity(column.num_terms()),
        };
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            names.text.push_str(&String::from_utf8_lossy(stream.key()));
            names.ends.push(names.text.len());
        }
        let names = Arc::new(names);
        lock(&self.segments).insert(id, names.clone());
        Ok(Some(names))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The best `k` documents (or, with `per_article`, the best passage of each of the best `k`
/// articles), with WAND pruning when the collector runs alone (`prune`) and plain collection
/// otherwise (beside [`tantivy::collector::Count`], say). The fruit is unsorted and may hold more
/// than `k` candidates: those within [`NOISE`] of the last place. Sort with [`sort`] (after
/// [`Clause::rescore`] for pruned searches) and cut.
pub(super) struct TopHits<'a> {
    pub k: usize,
    pub per_article: bool,
    pub prune: bool,
    /// Article ids read ahead (batch runs); without, each kept hit's id is looked up.
    pub names: Option<&'a ArticleNames>,
}

impl Collector for TopHits<'_> {
    type Fruit = Vec<Candidate>;
    type Child = SegmentTop;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        let fast = reader.fast_fields();
        let kinds = match fast.str("kind")? {
            Some(column) => (0..column.num_terms() as u64)
                .map(|ord| {
                    let mut kind = String::new();
                    column.ord_to_str(ord, &mut kind)?;
                    Ok(kind == crate::index::schema::KIND_REFERENCE)
                })
                .collect::<std::io::Result<Vec<bool>>>()?,
            None => Vec::new(),
        };
        let names = match self.names {
            Some(names) => names.segment(reader)?,
            None => None,
        };
        Ok(SegmentTop {
            names,
            k: self.k.max(1),
            per_article: self.per_article,
            margin: if self.prune { 2.0 * NOISE } else { 0.0 },
            segment,
            articles: fast.str("article")?,
            ordinals: fast.u64("ordinal").ok(),
            kind: fast.str("kind")?.map(|c| c.ords().clone()),
            kinds,
            buf: Vec::new(),
            floor: Score::MIN,
            next_shrink: 2 * self.k.max(1) + 16,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Candidate>>) -> tantivy::Result<Vec<Candidate>> {
        Ok(fruits.into_iter().flatten().collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Candidate>> {
        let mut top = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc| alive.is_none_or(|a| a.is_alive(doc));
        if self.prune {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.collect(doc, score);
                }
                // (WAND offers only documents scoring above the threshold)
                top.floor.next_down()
            })?;
        } else {
            weight.for_each(reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.collect(doc, score);
                }
            })?;
        }
        Ok(top.harvest())
    }
}

/// One segment's part of [`TopHits`].
pub(super) struct SegmentTop {
    names: Option<Arc<Names>>,
    k: usize,
    per_article: bool,
    /// Relative distance below the last place that candidates are kept at.
    margin: Score,
    segment: u32,
    articles: Option<StrColumn>,
    ordinals: Option<Column<u64>>,
    kind: Option<Column<u64>>,
    /// Whether each `kind` term ordinal is "reference".
    kinds: Vec<bool>,
    /// (score, article term ordinal, ordinal, reference, doc): term ordinals sort as the ids do
    /// within a segment.
    buf: Vec<(Score, u64, u64, bool, DocId)>,
    /// Documents scoring below this cannot make the top.
    floor: Score,
    /// Buffer length at which to shrink it again.
    next_shrink: usize,
}

impl SegmentTop {
    /// Sort the buffer, keep the best `k` (articles) and what scores within the margin below the
    /// last of them (a document tied with the last place and after it by key loses), and raise
    /// the floor.
    fn shrink(&mut self) {
        self.buf.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let margin = self.margin;
        let below = |score: Score| score - margin * score.abs();
        // Each article's best, and its passages within the margin of that best.
        let mut best: FxHashMap<u64, Score> = FxHashMap::default();
        if self.per_article {
            self.buf.retain(|&(score, article, ..)| {
                let top = *best.entry(article).or_insert(score);
                score >= below(top)
            });
        }
        // The top k documents (articles), by position in the buffer.
        let mut top: FxHashMap<u64, ()> = FxHashMap::default();
        let mut last = None;
        for (i, &(score, article, ..)) in self.buf.iter().enumerate() {
            let key = if self.per_article { article } else { i as u64 };
            if top.len() < self.k {
                top.insert(key, ());
                if top.len() == self.k {
                    last = Some(score);
                }
            }
        }
        if let Some(last) = last {
            self.floor = below(last);
            let (floor, per_article) = (self.floor, self.per_article);
            let mut i = 0;
            self.buf.retain(|&(score, article, ..)| {
                let key = if per_article { article } else { i as u64 };
                i += 1;
                top.contains_key(&key) || (score >= floor && score < last)
            });
        }
        self.next_shrink = (2 * self.k + 16).max(2 * self.buf.len());
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Candidate>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        let article = self
            .articles
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let ordinal = self.ordinals.as_ref().and_then(|c| c.first(doc));
        let kind = self.kind.as_ref().and_then(|c| c.first(doc));
        let reference = kind.is_some_and(|k| self.kinds.get(k as usize) == Some(&true));
        self.buf
            .push((score, article, ordinal.unwrap_or(0), reference, doc));
        if self.buf.len() >= self.next_shrink {
            self.shrink();
        }
    }

    fn harvest(mut self) -> Vec<Candidate> {
        self.shrink();
        let mut article = String::new();
        self.buf
            .into_iter()
            .map(|(score, ord, ordinal, reference, doc)| {
                article.clear();
                match (&self.names, &self.articles) {
                    (Some(names), _) => article.push_str(names.get(ord)),
                    (None, Some(c)) => {
                        let _ = c.ord_to_str(ord, &mut article);
                    }
                    (None, None) => {}
                }
                Candidate {
                    score,
                    address: DocAddress::new(self.segment, doc),
                    article: article.clone(),
                    ordinal,
                    reference,
                }
            })
            .collect()
    }
}

/// One term of a natural-language query: a word in a field, with its weight.
pub(super) struct Clause {
    pub field: Field,
    pub word: String,
    pub boost: Score,
}

impl Clause {
    /// Score `candidates` again, adding their term scores in the order of `clauses` (as tantivy's
    /// union of terms does, and as its WAND does not), so that each candidate's score is the same
    /// whatever the segments. The per-term scores are tantivy's own BM25.
    pub(super) fn rescore(
        clauses: &[Clause],
        searcher: &tantivy::Searcher,
        candidates: &mut [Candidate],
    ) -> tantivy::Result<()> {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| candidates[i].address);
        let mut sums = vec![0.0 as Score; candidates.len()];
        for clause in clauses {
            let term = Term::from_field_text(clause.field, &clause.word);
            let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?
                .boost_by(clause.boost);
            for group in order.chunk_by(|&a, &b| {
                candidates[a].address.segment_ord == candidates[b].address.segment_ord
            }) {
                let segment = searcher.segment_reader(candidates[group[0]].address.segment_ord);
                let Some(mut postings) = segment
                    .inverted_index(clause.field)?
                    .read_postings(&term, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let norms = segment.get_fieldnorms_reader(clause.field)?;
                for &i in group {
                    let doc = candidates[i].address.doc_id;
                    let at = if postings.doc() < doc {
                        postings.seek(doc)
                    } else {
                        postings.doc()
                    };
                    if at == TERMINATED {
                        break;
                    }
                    if at == doc {
                        sums[i] += bm25.score(norms.fieldnorm_id(doc), postings.term_freq());
                    }
                }
            }
        }
        for (candidate, sum) in candidates.iter_mut().zip(sums) {
            candidate.score = sum;
        }
        Ok(())
    }
}
