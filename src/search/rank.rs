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

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::title_only::{SegmentTitleOnly, TitleOnly};

/// Relative score difference under which two documents may swap places in WAND's sums (an f32
/// sum of a few dozen terms errs by a few units of 1e-7): the collector keeps candidates down to
/// this far below the last place, so that rescoring can decide.
const NOISE: Score = 1e-5;

/// A document kept by [`TopHits`], with its stable key (read when a tie needs it).
#[derive(Clone)]
pub(super) struct Candidate {
    pub score: Score,
    pub address: DocAddress,
    /// The article id: read ahead in batch runs, otherwise when tied with another segment's.
    pub article: String,
    /// The article's term ordinal in its segment (sorts as the ids do within a segment).
    article_ord: u64,
    /// The passage (or reference) number in the article.
    pub ordinal: u64,
    /// Whether it is a reference.
    pub reference: bool,
    /// Where to read the key from while it is not read yet.
    keys: Option<Arc<Keys>>,
}

impl Candidate {
    /// A candidate at `address`, scored by [`Clause::rescore`].
    pub(super) fn at(address: DocAddress) -> Candidate {
        Candidate {
            score: 0.0,
            address,
            article: String::new(),
            article_ord: 0,
            ordinal: 0,
            reference: false,
            keys: None,
        }
    }

    /// Read the key from the segment's columns, if not read yet; the id only if `named`.
    fn read_key(&mut self, named: bool) {
        let Some(keys) = &self.keys else {
            return;
        };
        let doc = self.address.doc_id;
        self.article_ord = keys.article_ord(doc);
        self.ordinal = keys.ordinal(doc);
        self.reference = keys.reference(doc);
        if named {
            self.article = keys.article(self.article_ord).to_string();
            self.keys = None;
        }
    }
}

/// Sort candidates best first; ties by article id, then passage number, passages before
/// references. Keys are read for tied candidates only, and ids only for ties across segments.
pub(super) fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    for run in candidates.chunk_by_mut(|a, b| a.score == b.score) {
        if run.len() < 2 {
            continue;
        }
        let segment = run[0].address.segment_ord;
        let one_segment = run.iter().all(|c| c.address.segment_ord == segment);
        run.iter_mut().for_each(|c| c.read_key(!one_segment));
        run.sort_by(|a, b| {
            let article = if one_segment {
                a.article_ord.cmp(&b.article_ord)
            } else {
                a.article.cmp(&b.article)
            };
            article
                .then(a.ordinal.cmp(&b.ordinal))
                .then(a.reference.cmp(&b.reference))
        });
    }
}

/// The ranking keys of each segment of an index, opened when a search first meets the segment
/// and kept for the searcher's life: opening the columns costs more than most searches of a few
/// words, and looking an article id up in a column's dictionary decompresses a block each time
/// (zstd, whose context creation alone costs microseconds), which ties across segments would do
/// for every tied hit of every search.
#[derive(Default)]
pub(super) struct SegmentKeys {
    segments: Mutex<FxHashMap<SegmentId, Arc<Keys>>>,
}

/// One segment's article ids, in term order.
struct Names {
    text: String,
    ends: Vec<usize>,
}

impl Names {
    /// All ids of an `article` column, read in one pass over its dictionary.
    fn read(column: Option<&StrColumn>) -> Names {
        let mut names = Names {
            text: String::new(),
            ends: Vec::new(),
        };
        let Some(column) = column else {
            return names;
        };
        names.ends.reserve(column.num_terms());
        if let Ok(mut stream) = column.dictionary().stream() {
            while stream.advance() {
                names.text.push_str(&String::from_utf8_lossy(stream.key()));
                names.ends.push(names.text.len());
            }
        }
        names
    }

    fn get(&self, ord: u64) -> &str {
        let i = ord as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.ends.get(i).map_or("", |&end| &self.text[start..end])
    }
}

impl SegmentKeys {
    /// The keys of `reader`'s segment.
    fn segment(&self, reader: &SegmentReader) -> Arc<Keys> {
        let id = reader.segment_id();
        if let Some(keys) = lock(&self.segments).get(&id) {
            return keys.clone();
        }
        let keys = Arc::new(Keys::open(reader));
        lock(&self.segments).insert(id, keys.clone());
        keys
    }

    /// The key of the document at `address` of `searcher`: its article id, passage (or
    /// reference) number, and whether it is a reference.
    pub(super) fn key(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> (String, u64, bool) {
        let keys = self.segment(searcher.segment_reader(address.segment_ord));
        let doc = address.doc_id;
        let article = keys.article(keys.article_ord(doc)).to_string();
        (article, keys.ordinal(doc), keys.reference(doc))
    }

    /// Forget the segments `searcher` no longer has (merged away or deleted).
    pub fn keep_only(&self, searcher: &tantivy::Searcher) {
        let mut segments = lock(&self.segments);
        if segments.len() > searcher.segment_readers().len() {
            let live: Vec<SegmentId> = searcher
                .segment_readers()
                .iter()
                .map(SegmentReader::segment_id)
                .collect();
            segments.retain(|id, _| live.contains(id));
        }
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
    /// The searcher's keys of each segment.
    pub keys: &'a SegmentKeys,
    /// Read every kept hit's key and article id (batch runs, which report ids); otherwise keys
    /// are read for ties only.
    pub eager: bool,
    /// Score passages that match only through their title or heading as [`TitleOnly`] does.
    pub title_only: Option<&'a TitleOnly>,
}

impl Collector for TopHits<'_> {
    type Fruit = Vec<Candidate>;
    type Child = SegmentTop;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            keys: self.keys.segment(reader),
            eager: self.eager,
            k: self.k.max(1),
            per_article: self.per_article,
            margin: if self.prune { 2.0 * NOISE } else { 0.0 },
            segment,
            buf: Vec::new(),
            floor: Score::MIN,
            next_shrink: 2 * self.k.max(1) + 16,
            title_only: self.title_only.map(|t| t.segment(reader)).transpose()?,
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

/// A segment's key columns, and its article ids once a tie across segments needs them.
pub(super) struct Keys {
    articles: Option<StrColumn>,
    ordinals: Option<Column<u64>>,
    kind: Option<Column<u64>>,
    /// Whether each `kind` term ordinal is "reference".
    kinds: Vec<bool>,
    names: OnceLock<Names>,
}

impl Keys {
    fn open(reader: &SegmentReader) -> Keys {
        let fast = reader.fast_fields();
        let kind = fast.str("kind").ok().flatten();
        let kinds = kind.as_ref().map_or_else(Vec::new, |column| {
            (0..column.num_terms() as u64)
                .map(|ord| {
                    let mut kind = String::new();
                    let _ = column.ord_to_str(ord, &mut kind);
                    kind == crate::index::schema::KIND_REFERENCE
                })
                .collect()
        });
        Keys {
            articles: fast.str("article").ok().flatten(),
            ordinals: fast.u64("ordinal").ok(),
            kind: kind.map(|c| c.ords().clone()),
            kinds,
            names: OnceLock::new(),
        }
    }

    /// The article's term ordinal: within a segment, these sort as the ids do.
    fn article_ord(&self, doc: DocId) -> u64 {
        let ords = self.articles.as_ref().and_then(|c| c.term_ords(doc).next());
        ords.unwrap_or(u64::MAX)
    }

    /// The article id of a term ordinal (all the segment's ids are read on the first call).
    fn article(&self, ord: u64) -> &str {
        self.names
            .get_or_init(|| Names::read(self.articles.as_ref()))
            .get(ord)
    }

    fn ordinal(&self, doc: DocId) -> u64 {
        self.ordinals
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0)
    }

    fn reference(&self, doc: DocId) -> bool {
        let kind = self.kind.as_ref().and_then(|c| c.first(doc));
        kind.is_some_and(|k| self.kinds.get(k as usize) == Some(&true))
    }
}

/// One document in a segment's buffer; its key is read when a tie (or, per article, the
/// grouping) needs it.
#[derive(Clone, Copy)]
struct Entry {
    score: Score,
    article: u64,
    ordinal: u64,
    reference: bool,
    doc: DocId,
    keyed: bool,
}

/// One segment's part of [`TopHits`].
pub(super) struct SegmentTop {
    keys: Arc<Keys>,
    /// Read every kept document's key and id at harvest.
    eager: bool,
    k: usize,
    per_article: bool,
    /// Relative distance below the last place that candidates are kept at.
    margin: Score,
    segment: u32,
    buf: Vec<Entry>,
    /// Documents scoring below this cannot make the top.
    floor: Score,
    /// Buffer length at which to shrink it again.
    next_shrink: usize,
    title_only: Option<SegmentTitleOnly>,
}

impl SegmentTop {
    fn key(&self, entry: &mut Entry) {
        if !entry.keyed {
            entry.article = self.keys.article_ord(entry.doc);
            entry.ordinal = self.keys.ordinal(entry.doc);
            entry.reference = self.keys.reference(entry.doc);
            entry.keyed = true;
        }
    }

    /// Sort the buffer, keep the best `k` (articles) and what scores within the margin below the
    /// last of them (with exact scores, a document tied with the last place and after it by key
    /// loses), and raise the floor.
    fn shrink(&mut self) {
        self.buf.sort_by(|a, b| b.score.total_cmp(&a.score));
        let mut buf = std::mem::take(&mut self.buf);
        let n = buf.len();
        let mut keyed = false;
        for i in 0..n {
            let tied = (i > 0 && buf[i - 1].score == buf[i].score)
                || (i + 1 < n && buf[i + 1].score == buf[i].score);
            if tied || self.per_article {
                self.key(&mut buf[i]);
                keyed = true;
            }
        }
        // (without ties, the order by score is the order by key)
        if keyed {
            buf.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(a.article.cmp(&b.article))
                    .then(a.ordinal.cmp(&b.ordinal))
                    .then(a.reference.cmp(&b.reference))
            });
        }
        let margin = self.margin;
        let below = |score: Score| score - margin * score.abs();
        let kept = |score: Score, floor: Score, last: Score| kept(score, (floor, last), margin);
        if self.per_article {
            // Each article's best, and its passages within the margin of that best.
            let mut best: FxHashMap<u64, Score> = FxHashMap::default();
            buf.retain(|e| {
                let top = *best.entry(e.article).or_insert(e.score);
                e.score >= below(top)
            });
        }
        if !self.per_article {
            if buf.len() >= self.k {
                let last = buf[self.k - 1].score;
                self.floor = below(last);
                let floor = self.floor;
                let mut i = 0;
                buf.retain(|e| {
                    i += 1;
                    i <= self.k || kept(e.score, floor, last)
                });
            }
        } else {
            // The top k articles.
            let mut top: FxHashMap<u64, ()> = FxHashMap::default();
            let mut last = None;
            for e in &buf {
                if top.len() < self.k {
                    top.insert(e.article, ());
                    if top.len() == self.k {
                        last = Some(e.score);
                    }
                }
            }
            if let Some(last) = last {
                self.floor = below(last);
                let floor = self.floor;
                buf.retain(|e| top.contains_key(&e.article) || kept(e.score, floor, last));
            }
        }
        self.next_shrink = (2 * self.k + 16).max(2 * buf.len());
        self.buf = buf;
    }
}

/// Whether a document outside the top `k`, of `score`, is kept, with `last` the score of the
/// last place and `floor` the lowest kept. Exact scores (no `margin`): one tied with the last
/// place comes after it by key and loses. Scores of pruned collection, which rescoring corrects
/// by a few ulps (a union sums its terms in the order its scorers stand at the document), within
/// a margin: every one above the floor stays, ties with the last place included, for rescoring
/// to order; else which of two tied documents a build keeps would depend on where they sit.
fn kept(score: Score, (floor, last): (Score, Score), margin: Score) -> bool {
    score >= floor && (margin > 0.0 || score < last)
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Candidate>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        // (the rule only lowers scores: documents below the floor need not be looked at)
        let score = match &mut self.title_only {
            Some(rule) => rule.score(doc, score),
            None => score,
        };
        if score < self.floor {
            return;
        }
        self.buf.push(Entry {
            score,
            article: 0,
            ordinal: 0,
            reference: false,
            doc,
            keyed: false,
        });
        if self.buf.len() >= self.next_shrink {
            self.shrink();
        }
    }

    fn harvest(mut self) -> Vec<Candidate> {
        self.shrink();
        // With ids read ahead, every key now; otherwise only when a tie needs it.
        let eager = self.eager;
        let keys = &self.keys;
        self.buf
            .iter()
            .map(|e| {
                let mut entry = *e;
                let address = DocAddress::new(self.segment, e.doc);
                if eager {
                    self.key(&mut entry);
                    return Candidate {
                        score: e.score,
                        address,
                        article: keys.article(entry.article).to_string(),
                        article_ord: entry.article,
                        ordinal: entry.ordinal,
                        reference: entry.reference,
                        keys: None,
                    };
                }
                Candidate {
                    score: e.score,
                    address,
                    article: String::new(),
                    article_ord: 0,
                    ordinal: 0,
                    reference: false,
                    keys: Some(keys.clone()),
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
        stats: &dyn Bm25StatisticsProvider,
        candidates: &mut [Candidate],
    ) -> tantivy::Result<()> {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| candidates[i].address);
        let mut sums = vec![0.0 as Score; candidates.len()];
        for clause in clauses {
            let term = Term::from_field_text(clause.field, &clause.word);
            let bm25 =
                Bm25Weight::for_terms(stats, std::slice::from_ref(&term))?.boost_by(clause.boost);
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

#[cfg(test)]
mod tests {
    use super::kept;

    #[test]
    fn ties_with_the_last_place_stay_for_rescoring_only_when_scores_are_approximate() {
        let (floor, last) = (9.9, 10.0);
        assert!(!kept(10.0, (floor, last), 0.0));
        assert!(kept(10.0, (floor, last), 0.01));
        assert!(kept(9.95, (floor, last), 0.0) && kept(9.95, (floor, last), 0.01));
        assert!(!kept(9.8, (floor, last), 0.01));
    }
}
