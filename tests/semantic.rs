//! Hybrid ranking end to end: vectors aligned with passages across incremental runs and fused
//! with the lexical ranking (with a fake embedder, no weights), and the real model
//! (all-MiniLM-L6-v2 from scripts/fetch-model) against a reference computed outside candle.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use clinsearch::embed::{
    embed_index, load_model, Embedder, FakeEmbedder, VectorStore, MODEL_FILES,
};
use clinsearch::index::{build_index, committed_vectors};
use clinsearch::search::{stats, Fusion, Request, Searcher, Semantic};

const ARTICLES: [(&str, &str); 3] = [
    (
        "ketamine.md",
        "# Ketamine\n\nKetamine produced a rapid reduction in suicidal ideation.\n\nDissociation faded within two hours.\n",
    ),
    (
        "bone.md",
        "# Bone density\n\nBone mineral density was measured by absorptiometry.\n",
    ),
    (
        "sleep.md",
        "# Sleep\n\nInsomnia improved with cognitive behavioural therapy.\n",
    ),
];

fn corpus(dir: &Path) -> PathBuf {
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for (name, text) in ARTICLES {
        std::fs::write(articles.join(name), text).unwrap();
    }
    articles
}

/// The test articles indexed, with vectors of `dim` dimensions from the fake embedder: the
/// temporary folder, the articles' folder and the index.
fn embedded(dim: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    embed_index(&index, &FakeEmbedder { dim }, &()).unwrap();
    (dir, articles, index)
}

fn hybrid(index: &Path, dim: usize) -> Searcher {
    let mut searcher = Searcher::open(index).unwrap();
    let vectors = committed_vectors(searcher.index()).unwrap().unwrap();
    let store = VectorStore::open(&index.join(vectors.file)).unwrap();
    let semantic = Semantic::new(Box::new(FakeEmbedder { dim }), store).unwrap();
    searcher.set_semantic(Some(semantic));
    searcher
}

/// Every passage gets the vector of its own text, an unchanged article keeps its vectors across
/// runs, a changed one is embedded again, and a passage changed by a run without embedding
/// loses its (stale) vector rather than borrowing another's.
#[test]
fn vectors_follow_their_passages_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let fake = FakeEmbedder { dim: 24 };
    let first = embed_index(&index, &fake, &()).unwrap();
    assert_eq!((first.passages, first.embedded, first.reused), (4, 4, 0));
    assert!(first.bytes > 0);

    // Each row is the (quantised) vector of its passage's text.
    let vectors = committed_vectors(Searcher::open(&index).unwrap().index())
        .unwrap()
        .unwrap();
    let store = VectorStore::open(&index.join(&vectors.file)).unwrap();
    let lexical = Searcher::open(&index).unwrap();
    let mut row = 0;
    for article in store.keys() {
        for passage in &article.passages {
            let id = format!("{}#p{}", article.article, passage.ordinal);
            let request = Request {
                query: Some(format!("id:\"{id}\"")),
                ..Request::default()
            };
            let hit = lexical.search(&request).unwrap().hits.remove(0);
            let input = clinsearch::embed::passage_input(&hit.title, &hit.section, &hit.text);
            let expected = fake.embed(&[&input]).unwrap().remove(0);
            assert!(store.cosine(&expected, row) > 0.999, "{id}");
            row += 1;
        }
    }

    // Nothing changed: nothing embedded, same file.
    let again = embed_index(&index, &fake, &()).unwrap();
    assert_eq!((again.embedded, again.reused), (0, 4));

    // One article changes: only its passage is embedded again.
    std::fs::write(
        articles.join("sleep.md"),
        "# Sleep\n\nInsomnia improved with melatonin.\n",
    )
    .unwrap();
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let third = embed_index(&index, &fake, &()).unwrap();
    assert_eq!((third.embedded, third.reused), (1, 3));
    let files: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vectors-"))
        .collect();
    assert_eq!(files.len(), 1, "old vector files are removed: {files:?}");

    // A lexical run changes the bone article: its passage has no vector until the next
    // --semantic run, and hybrid ranking still finds it by its words.
    std::fs::write(
        articles.join("bone.md"),
        "# Bone density\n\nFracture risk fell with bisphosphonates.\n",
    )
    .unwrap();
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let searcher = hybrid(&index, 24);
    let request = Request {
        query: Some("bisphosphonates fracture".into()),
        ..Request::default()
    };
    let hits = searcher.search(&request).unwrap().hits;
    let bone = hits.iter().find(|h| h.id == "bone.md#p0").unwrap();
    let signals = bone.signals.unwrap();
    assert_eq!(
        (signals.lexical, signals.dense, signals.cosine),
        (Some(1), None, None)
    );
    // The stale row is not borrowed by any passage; the others have their dense ranks.
    assert!(hits
        .iter()
        .all(|h| (h.id == "bone.md#p0") != h.signals.unwrap().dense.is_some()));
}

/// The fake embedder, counting the texts it is given.
struct Counting(FakeEmbedder, std::sync::atomic::AtomicUsize);

impl Embedder for Counting {
    fn dim(&self) -> usize {
        self.0.dim
    }

    fn fingerprint(&self) -> u64 {
        self.0.fingerprint()
    }

    fn embed(&self, texts: &[&str]) -> clinsearch::error::Result<Vec<Vec<f32>>> {
        self.1
            .fetch_add(texts.len(), std::sync::atomic::Ordering::Relaxed);
        self.0.embed(texts)
    }
}

/// The passages of two copies of an article are embedded once, and every copy gets the vector;
/// the same paragraph under another title is embedded on its own.
#[test]
fn identical_passages_are_embedded_once() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let (ketamine, sleep) = (ARTICLES[0].1, ARTICLES[2].1);
    std::fs::write(articles.join("ketamine copy.md"), ketamine).unwrap();
    // The same paragraph under another title is another input.
    std::fs::write(
        articles.join("insomnia.md"),
        sleep.replace("# Sleep", "# Insomnia"),
    )
    .unwrap();
    let index = dir.path().join("index");
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let counting = Counting(FakeEmbedder { dim: 16 }, Default::default());
    let report = embed_index(&index, &counting, &()).unwrap();
    assert_eq!((report.passages, report.embedded, report.copies), (7, 7, 2));
    assert_eq!(counting.1.into_inner(), 5);
    let rows = vector_rows(&index);
    for ordinal in [0, 1] {
        assert_eq!(
            rows[&("ketamine.md".into(), ordinal)],
            rows[&("ketamine copy.md".into(), ordinal)]
        );
    }
    assert_ne!(
        rows[&("sleep.md".into(), 0)],
        rows[&("insomnia.md".into(), 0)]
    );
}

/// A copy of an article whose vectors an earlier run made takes those vectors: it is not
/// embedded again.
#[test]
fn copies_of_kept_passages_are_not_embedded_again() {
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let first = embed_index(&index, &FakeEmbedder { dim: 16 }, &()).unwrap();
    std::fs::write(articles.join("ketamine copy.md"), ARTICLES[0].1).unwrap();
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    let counting = Counting(FakeEmbedder { dim: 16 }, Default::default());
    let report = embed_index(&index, &counting, &()).unwrap();
    assert_eq!(
        (report.embedded, report.copies, report.reused),
        (2, 2, first.passages)
    );
    assert_eq!(counting.1.into_inner(), 0);
    let rows = vector_rows(&index);
    for ordinal in [0, 1] {
        assert_eq!(
            rows[&("ketamine.md".into(), ordinal)],
            rows[&("ketamine copy.md".into(), ordinal)]
        );
    }
}

/// The committed vector of each passage, by article id and ordinal.
fn vector_rows(index: &Path) -> std::collections::HashMap<(String, u64), Vec<i8>> {
    let vectors = committed_vectors(Searcher::open(index).unwrap().index())
        .unwrap()
        .unwrap();
    let store = VectorStore::open(&index.join(vectors.file)).unwrap();
    let mut row = 0;
    let mut rows = std::collections::HashMap::new();
    for a in store.keys() {
        for p in &a.passages {
            rows.insert((a.article.clone(), p.ordinal), store.row(row).to_vec());
            row += 1;
        }
    }
    rows
}

/// The fake embedder, failing on any batch with the word "zzfail": a run that stops part way.
struct Failing(FakeEmbedder);

impl Embedder for Failing {
    fn dim(&self) -> usize {
        self.0.dim
    }

    fn fingerprint(&self) -> u64 {
        self.0.fingerprint()
    }

    fn embed(&self, texts: &[&str]) -> clinsearch::error::Result<Vec<Vec<f32>>> {
        if texts.iter().any(|t| t.contains("zzfail")) {
            return Err(clinsearch::error::Error::Embedding("stopped".into()));
        }
        self.0.embed(texts)
    }
}

/// A run that stops part way commits no vectors but keeps what it made: the next run embeds
/// only the rest, and its vectors are those of a run that never stopped.
#[test]
fn an_interrupted_run_loses_only_the_batches_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    for i in 0..40 {
        // The shortest passage (embedded last: longest first) stops the first run.
        let text = if i == 7 {
            "zzfail".to_string()
        } else {
            format!(
                "Passage {i} on ketamine and depression{}.",
                " in adults".repeat(i)
            )
        };
        std::fs::write(
            articles.join(format!("a{i:02}.md")),
            format!("# A{i}\n\n{text}\n"),
        )
        .unwrap();
    }
    let (index, clean) = (dir.path().join("index"), dir.path().join("clean"));
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    build_index(std::slice::from_ref(&articles), &clean).unwrap();
    let partial = index.join(clinsearch::embed::partial::FILE);

    assert!(embed_index(&index, &Failing(FakeEmbedder { dim: 16 }), &()).is_err());
    assert!(committed_vectors(Searcher::open(&index).unwrap().index())
        .unwrap()
        .is_none());
    assert!(partial.is_file());
    // Stopped again: what the first run made is kept.
    assert!(embed_index(&index, &Failing(FakeEmbedder { dim: 16 }), &()).is_err());

    let fake = FakeEmbedder { dim: 16 };
    let resumed = embed_index(&index, &fake, &()).unwrap();
    assert_eq!(resumed.passages, 40);
    assert!(resumed.resumed >= 30, "{resumed:?}");
    assert_eq!(resumed.resumed + resumed.embedded, 40, "{resumed:?}");
    assert!(
        !partial.exists(),
        "the log is removed once the vectors are committed"
    );

    let whole = embed_index(&clean, &fake, &()).unwrap();
    assert_eq!(whole.embedded, 40);
    let store = |dir: &Path| {
        let vectors = committed_vectors(Searcher::open(dir).unwrap().index())
            .unwrap()
            .unwrap();
        VectorStore::open(&dir.join(vectors.file)).unwrap()
    };
    // Rows in the same order (article, ordinal) hold the same vectors.
    let (a, b) = (store(&index), store(&clean));
    let order = |s: &VectorStore| {
        let keys = s.keys().iter();
        keys.flat_map(|a| {
            a.passages
                .iter()
                .map(|p| (a.article.clone(), a.hash, p.ordinal))
        })
        .collect::<Vec<_>>()
    };
    assert_eq!(order(&a), order(&b));
    assert!((0..40).all(|r| a.row(r) == b.row(r)));
}

/// Fusion: an article only the dense ranking finds joins the results, filters hold for dense
/// candidates, and the JSON of a hit says which signals ranked it.
#[test]
fn fused_results_take_both_rankings_and_keep_filters() {
    let (_dir, _, index) = embedded(64);
    let mut searcher = hybrid(&index, 64);

    // "ideation" is in one passage only; the fake embedder also likes the other passages of
    // words it shares ("ketamine"), which BM25 does not match at all.
    let ranked = searcher
        .rank_articles("ketamine dissociation", 10, Default::default())
        .unwrap();
    assert_eq!(ranked[0].0, "ketamine.md");
    assert_eq!(ranked.len(), 3, "dense candidates join: {ranked:?}");

    let request = Request {
        query: Some("dissociation".into()),
        ..Request::default()
    };
    let results = searcher.search(&request).unwrap();
    let hits = results.hits;
    assert_eq!(hits[0].id, "ketamine.md#p1");
    // The passages without the word are no closer to it than chance: not hits.
    assert_eq!((hits.len(), results.total), (1, 1), "{hits:?}");
    let json = serde_json::to_value(&hits[0]).unwrap();
    assert_eq!(json["signals"]["lexical"], 1);
    assert_eq!(json["signals"]["dense"], 1);

    // A section filter keeps dense candidates to that section.
    let filtered = Request {
        section: Some("sleep".into()),
        ..request.clone()
    };
    let hits = searcher.search(&filtered).unwrap().hits;
    assert!(hits.iter().all(|h| h.article == "sleep.md"), "{hits:?}");

    // Query syntax keeps its meaning: only what it matches is ranked.
    let phrase = Request {
        query: Some("\"rapid reduction\"".into()),
        ..Request::default()
    };
    let hits = searcher.search(&phrase).unwrap().hits;
    assert_eq!(hits.len(), 1);

    // Interpolation instead of RRF ranks the same best hit here.
    searcher.set_fusion(Fusion::Interpolate(0.5));
    let hits = searcher.search(&request).unwrap().hits;
    assert_eq!(hits[0].id, "ketamine.md#p1");

    // A synonym that only the embedding knows: found by meaning alone, as the one passage
    // that stands out from the others' cosines.
    let vectors = committed_vectors(searcher.index()).unwrap().unwrap();
    let store = VectorStore::open(&index.join(vectors.file)).unwrap();
    let semantic = Semantic::new(Box::new(Synonyms(FakeEmbedder { dim: 64 })), store).unwrap();
    searcher.set_semantic(Some(semantic));
    let request = Request {
        query: Some("sleeplessness".into()),
        ..Request::default()
    };
    let results = searcher.search(&request).unwrap();
    assert_eq!(results.hits[0].id, "sleep.md#p0", "{:?}", results.hits);
    assert!(results.hits[0].signals.unwrap().by_meaning());
    assert_eq!(results.total, 1, "{:?}", results.hits);
}

/// The fake embedder reading "sleeplessness" as "insomnia", a synonym BM25 does not know.
struct Synonyms(FakeEmbedder);

impl Embedder for Synonyms {
    fn dim(&self) -> usize {
        self.0.dim()
    }

    fn fingerprint(&self) -> u64 {
        self.0.fingerprint()
    }

    fn embed(&self, texts: &[&str]) -> clinsearch::Result<Vec<Vec<f32>>> {
        let texts: Vec<String> = texts
            .iter()
            .map(|t| t.replace("sleeplessness", "insomnia"))
            .collect();
        self.0
            .embed(&texts.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

/// Over several indexes, hybrid ranking fuses the vectors of them all and ranks exactly as one
/// index holding every article; an index without vectors among them gets a note.
#[test]
fn hybrid_over_several_indexes_ranks_as_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let all = corpus(dir.path());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (i, (name, text)) in ARTICLES.iter().enumerate() {
        let part = if i == 0 { &a } else { &b };
        std::fs::create_dir_all(part).unwrap();
        std::fs::write(part.join(name), text).unwrap();
    }
    let fake = FakeEmbedder { dim: 32 };
    let indexed = |src: &Path, name: &str, vectors: bool| {
        let index = dir.path().join(name);
        build_index(&[src.to_path_buf()], &index).unwrap();
        if vectors {
            embed_index(&index, &fake, &()).unwrap();
        }
        index
    };
    let one = indexed(&all, "one", true);
    let (ia, ib) = (indexed(&a, "ia", true), indexed(&b, "ib", true));
    let open = |dirs: &[PathBuf]| {
        let mut searcher = Searcher::open_all(dirs).unwrap();
        assert_eq!(searcher.use_model(Arc::new(FakeEmbedder { dim: 32 })), None);
        assert!(searcher.semantic().is_some());
        searcher
    };
    let (single, union) = (open(&[one]), open(&[ia.clone(), ib]));
    for searcher in [&single, &union] {
        let stats = stats::stats(searcher, 3).unwrap();
        assert_eq!(stats.vectors, stats.total.passages);
        assert!(stats.vectors > 0);
    }
    let close = |x: f32, y: f32| (x - y).abs() <= 1e-4 * x.abs().max(1.0);
    for query in ["ketamine dissociation", "bone density", "insomnia therapy"] {
        let x = single.rank_articles(query, 10, Default::default()).unwrap();
        let y = union.rank_articles(query, 10, Default::default()).unwrap();
        assert_eq!(x.len(), 3, "{x:?}");
        assert_eq!(x.len(), y.len());
        for (p, q) in x.iter().zip(&y) {
            assert!(p.0 == q.0 && close(p.1, q.1), "{query}: {x:?} vs {y:?}");
        }
        let request = Request {
            query: Some(query.into()),
            ..Request::default()
        };
        let x = single.search(&request).unwrap().hits;
        let y = union.search(&request).unwrap().hits;
        assert_eq!(x.len(), y.len(), "{query}");
        for (p, q) in x.iter().zip(&y) {
            assert_eq!(
                (&p.id, p.signals.map(|s| s.dense)),
                (&q.id, q.signals.map(|s| s.dense))
            );
            assert!(
                close(p.score.unwrap(), q.score.unwrap()),
                "{query}: {x:?} vs {y:?}"
            );
        }
        assert!(y.iter().any(|h| h.signals.and_then(|s| s.dense).is_some()));
    }

    // One index without vectors: a note naming it, and ranking by words.
    let plain = indexed(&b, "plain", false);
    let mut searcher = Searcher::open_all(&[ia, plain]).unwrap();
    let note = searcher
        .use_model(Arc::new(FakeEmbedder { dim: 32 }))
        .unwrap();
    assert!(
        note.contains("plain") && note.contains("no vectors"),
        "{note}"
    );
    assert!(searcher.semantic().is_none());
    let stats = stats::stats(&searcher, 3).unwrap();
    assert!(stats.vectors > 0 && stats.vectors < stats.total.passages);
}

/// A searcher that stays open (as `serve` does) reads the vectors of a later `index --semantic`
/// run: a new article is found by meaning once its vectors are committed.
#[test]
fn an_open_searcher_follows_new_vectors() {
    let (dir, articles, index) = embedded(32);
    let mut searcher = Searcher::open(&index).unwrap();
    assert_eq!(searcher.use_model(Arc::new(FakeEmbedder { dim: 32 })), None);
    let request = Request {
        query: Some("melatonin".into()),
        ..Request::default()
    };
    std::fs::write(
        articles.join("jet.md"),
        "# Jet lag\n\nMelatonin eased jet lag.\n",
    )
    .unwrap();
    build_index(std::slice::from_ref(&articles), &index).unwrap();
    embed_index(&index, &FakeEmbedder { dim: 32 }, &()).unwrap();
    // The reader follows commits on its own, shortly after them.
    let mut dense = None;
    for _ in 0..100 {
        let hits = searcher.search(&request).unwrap().hits;
        dense = hits
            .iter()
            .find(|h| h.id == "jet.md#p0")
            .and_then(|h| h.signals?.dense);
        if dense.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(dense.is_some(), "the new passage's vector is read");
    drop(dir);
}

/// Vectors of another dimension than the model's are refused with a message that says what to
/// do.
#[test]
fn vectors_of_another_dimension_are_refused() {
    let (_dir, _, index) = embedded(8);
    let vectors = committed_vectors(Searcher::open(&index).unwrap().index())
        .unwrap()
        .unwrap();
    let store = VectorStore::open(&index.join(vectors.file)).unwrap();
    let message = Semantic::new(Box::new(FakeEmbedder { dim: 16 }), store)
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("index --semantic"), "{message}");
    // The next embedding run says so, and embeds every passage again.
    let report = embed_index(&index, &FakeEmbedder { dim: 16 }, &()).unwrap();
    assert!(report.replaced);
    assert_eq!((report.embedded, report.reused), (4, 0));
    let again = embed_index(&index, &FakeEmbedder { dim: 16 }, &()).unwrap();
    assert!(!again.replaced);
}

/// The model folder, or `None` (skip) when it is absent; under CI its absence fails the test.
fn model_dir() -> Option<PathBuf> {
    let dir = clinsearch::embed::default_model_dir()?;
    if MODEL_FILES.iter().all(|f| dir.join(f).is_file()) {
        return Some(dir);
    }
    assert!(
        !common::in_ci(),
        "the model is not in {}: CI runs scripts/fetch-model before the tests",
        dir.display()
    );
    eprintln!(
        "skipping: no model in {} (run scripts/fetch-model)",
        dir.display()
    );
    None
}

/// The real model: the same vectors as a NumPy implementation of the BERT forward pass with
/// mean pooling (Python's `tokenizers`, float64) computed for these sentences, and a search by
/// meaning through the command line.
#[test]
fn the_real_model_matches_the_reference_and_finds_by_meaning() {
    let Some(model) = model_dir() else {
        return;
    };
    let embedder = load_model(Some(&model)).unwrap();
    assert_eq!(embedder.dim(), 384);
    let sentences = [
        "does ketamine work quickly for suicidal thoughts",
        "Ketamine produced a rapid reduction in suicidal ideation within 24 hours.",
        "Bone mineral density was measured by dual-energy X-ray absorptiometry.",
        "A man is eating food.",
    ];
    let v = embedder.embed(&sentences).unwrap();
    // The reference values as the float64 forward pass printed them.
    #[allow(clippy::excessive_precision)]
    let first: [[f32; 4]; 4] = [
        [0.034295929, -0.023767582, 0.001452743, -0.048082604],
        [0.040158511, 0.021222382, 0.024205112, -0.003248140],
        [-0.039513301, -0.047760581, -0.057910087, 0.048340031],
        [0.033241573, 0.004406064, -0.006276945, 0.048378713],
    ];
    for (got, want) in v.iter().zip(first) {
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 2e-4, "{got:?} vs {want:?}");
        }
    }
    let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!((cos(&v[0], &v[1]) - 0.8826).abs() < 1e-3);
    assert!((cos(&v[0], &v[2]) + 0.10953).abs() < 1e-3);
    // What int8 storage costs a cosine.
    let q: Vec<Vec<i8>> = v
        .iter()
        .map(|x| clinsearch::embed::store::quantise(x))
        .collect();
    let qcos = |a: &[i8], b: &[i8]| {
        let d = |x: &[i8], y: &[i8]| {
            x.iter()
                .zip(y)
                .map(|(p, r)| *p as f32 * *r as f32)
                .sum::<f32>()
        };
        d(a, b) / (d(a, a) * d(b, b)).sqrt()
    };
    let mut worst = 0f32;
    for (i, (qi, vi)) in q.iter().zip(&v).enumerate() {
        for (qj, vj) in q.iter().zip(&v).skip(i + 1) {
            worst = worst.max((qcos(qi, qj) - cos(vi, vj)).abs());
        }
    }
    eprintln!("int8 cosine error: at most {worst:.5}");
    assert!(worst < 0.01, "{worst}");

    // A passage's title weighs as context: in full in a paragraph of 128 word pieces or more,
    // less in a short one, which then stays about its own words.
    let title = "Ketamine for treatment-resistant depression";
    let input = |text: &str| clinsearch::embed::passage_input(title, "", text);
    let short = input("We have no competing interests.");
    let long = input(&sentences[1..3].join(" ").repeat(8));
    let plain = embedder.embed(&[&short, &long, sentences[1]]).unwrap();
    let weighed = embedder
        .embed_passages(&[
            (&short, title.len()),
            (&long, title.len()),
            (sentences[1], 0),
        ])
        .unwrap();
    let query = embedder.embed(&["ketamine depression"]).unwrap().remove(0);
    let (before, after) = (cos(&query, &plain[0]), cos(&query, &weighed[0]));
    eprintln!("a short passage's cosine to its title's words: {before:.3} → {after:.3}");
    assert!(after < before - 0.05, "{before} {after}");
    for same in [1, 2] {
        assert!(cos(&plain[same], &weighed[same]) > 0.9999);
    }

    // index --semantic, then a paraphrase with no word of the passage but "ketamine".
    let dir = tempfile::tempdir().unwrap();
    let articles = corpus(dir.path());
    let index = dir.path().join("index");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args(args)
            .env("CLINSEARCH_MODEL", &model)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (a, i) = (articles.to_str().unwrap(), index.to_str().unwrap());
    let summary = run(&["index", a, "--index", i, "--semantic"]);
    assert!(summary.contains("4 embedded"), "{summary}");
    let hits = run(&[
        "search",
        "does it work quickly for suicidal thoughts",
        "--index",
        i,
        "--json",
    ]);
    let first: serde_json::Value = serde_json::from_str(hits.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "ketamine.md#p0", "{hits}");
    assert!(first["signals"]["dense"] == 1, "{hits}");
    let lexical = run(&["search", "suicidal", "--index", i, "--json", "--lexical"]);
    assert!(!lexical.contains("signals"), "{lexical}");

    // A later run without --semantic embeds the new passage: the index stays hybrid.
    std::fs::write(
        articles.join("spray.md"),
        "# Esketamine\n\nA nasal spray given twice a week.\n",
    )
    .unwrap();
    let summary = run(&["index", a, "--index", i]);
    assert!(summary.contains("1 embedded"), "{summary}");
    assert!(summary.contains("4 kept"), "{summary}");
}

/// The exact dense top-k's cost: one scan of 50,000 and of 1,000,000 random 384-dimensional
/// rows (`cargo test --release --test semantic -- --ignored --nocapture`).
#[test]
#[ignore]
fn dense_scan_time() {
    use clinsearch::embed::store::{write, ArticleKeys, PassageKey};
    let dir = tempfile::tempdir().unwrap();
    for rows in [50_000usize, 1_000_000] {
        let dim = 384;
        let mut state = 0x9e3779b97f4a7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state % 255) as i16 - 127) as i8
        };
        let data: Vec<i8> = (0..rows * dim).map(|_| next()).collect();
        let keys: Vec<ArticleKeys> = (0..rows)
            .map(|i| ArticleKeys {
                article: i.to_string(),
                hash: 0,
                passages: vec![PassageKey {
                    ordinal: 0,
                    seq: i as u64,
                }],
            })
            .collect();
        let path = dir.path().join(format!("v{rows}.bin"));
        write(&path, dim, 0, &keys, &data).unwrap();
        let store = VectorStore::open(&path).unwrap();
        let query: Vec<f32> = (0..dim).map(|i| (i as f32).sin()).collect();
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = std::time::Instant::now();
            let mut best = f32::MIN;
            store.scan(&query, |_| true, |_, c| best = best.max(c));
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            assert!(best > 0.0);
        }
        times.sort_by(f64::total_cmp);
        eprintln!("{rows} rows: scan {:.1} ms (median of 5)", times[2]);
    }
}

/// Stands in for the model at index time when only query cost is measured: the model's
/// dimension and fingerprint, vectors from a hash of the text (embedding 50,000 passages with
/// the real model takes over an hour on two cores; what a query costs does not depend on the
/// values of the vectors).
struct StandIn {
    dim: usize,
    fingerprint: u64,
}

impl Embedder for StandIn {
    fn dim(&self) -> usize {
        self.dim
    }

    fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn embed(&self, texts: &[&str]) -> clinsearch::Result<Vec<Vec<f32>>> {
        use std::hash::{Hash, Hasher};
        Ok(texts
            .iter()
            .map(|text| {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                text.hash(&mut hasher);
                let mut state = hasher.finish() | 1;
                let mut v: Vec<f32> = (0..self.dim)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state % 2001) as f32 / 1000.0 - 1.0
                    })
                    .collect();
                clinsearch::embed::normalise(&mut v);
                v
            })
            .collect())
    }
}

/// Interactive query time with and without vectors on a large index, the real model embedding
/// each query (loaded once): `CLINSEARCH_SCALE=DIR` names a folder with `corpus.jsonl` and
/// `queries.jsonl` (../shared/tools/make-scale-corpus.py jsonl DIR --docs 50000), indexed into
/// DIR/index on first use (`cargo test --release --test semantic -- --ignored --nocapture
/// hybrid_query_time`).
#[test]
#[ignore]
fn hybrid_query_time() {
    // As the binary does first thing. Run this test alone, by name (above): no other thread then
    // reads the environment.
    #[cfg(feature = "semantic")]
    clinsearch::embed::set_thread_counts();
    let Some(scale) = std::env::var_os("CLINSEARCH_SCALE").map(PathBuf::from) else {
        eprintln!("set CLINSEARCH_SCALE");
        return;
    };
    let Some(model) = model_dir() else {
        return;
    };
    let index = scale.join("index");
    if !index.join("meta.json").is_file() {
        build_index(&[scale.join("corpus.jsonl")], &index).unwrap();
    }
    let real = load_model(Some(&model)).unwrap();
    let stand_in = StandIn {
        dim: real.dim(),
        fingerprint: real.fingerprint(),
    };
    let report = embed_index(&index, &stand_in, &()).unwrap();
    let queries: Vec<String> = std::fs::read_to_string(scale.join("queries.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .take(100)
        .collect();
    let real: Arc<dyn Embedder> = Arc::from(real);
    let lexical = Searcher::open(&index).unwrap();
    let mut hybrid = Searcher::open(&index).unwrap();
    assert_eq!(hybrid.use_model(real.clone()), None);
    let vectors = committed_vectors(hybrid.index()).unwrap().unwrap();
    let store = VectorStore::open(&index.join(vectors.file)).unwrap();
    // Wall and CPU time (ms) of: lexical search, hybrid search, the query's embedding alone,
    // the scan of every vector alone.
    let mut times: [[Vec<f64>; 2]; 4] = Default::default();
    let mut timed = |what: usize, i: usize, f: &mut dyn FnMut()| {
        let (wall, cpu) = (std::time::Instant::now(), cpu_ms());
        f();
        if i > 0 {
            times[what][0].push(wall.elapsed().as_secs_f64() * 1000.0);
            times[what][1].push(cpu_ms() - cpu);
        }
    };
    for (i, q) in queries.iter().enumerate() {
        let request = Request {
            query: Some(q.clone()),
            ..Request::default()
        };
        // Interleaved, so that load on the machine weighs on all alike.
        timed(0, i, &mut || drop(lexical.search(&request).unwrap()));
        timed(1, i, &mut || drop(hybrid.search(&request).unwrap()));
        let mut v = Vec::new();
        timed(2, i, &mut || {
            v = real.embed(&[q.as_str()]).unwrap().remove(0)
        });
        timed(3, i, &mut || {
            let mut best = f32::MIN;
            store.scan(&v, |_| true, |_, c| best = best.max(c));
            assert!(best > f32::MIN);
        });
    }
    let quantile = |t: &[f64], q: f64| {
        let mut t = t.to_vec();
        t.sort_by(f64::total_cmp);
        t[((q * t.len() as f64).ceil() as usize).clamp(1, t.len()) - 1]
    };
    eprintln!(
        "{} passages, {} queries (ms; CPU time of the whole process)",
        report.passages,
        times[0][0].len()
    );
    for (what, [wall, cpu]) in ["lexical", "hybrid", "embed query", "dense scan"]
        .iter()
        .zip(&times)
    {
        eprintln!(
            "{what:<12} wall p50 {:6.1} p99 {:6.1}   cpu p50 {:6.1} p99 {:6.1} mean {:6.1}",
            quantile(wall, 0.5),
            quantile(wall, 0.99),
            quantile(cpu, 0.5),
            quantile(cpu, 0.99),
            cpu.iter().sum::<f64>() / cpu.len() as f64
        );
    }
}

/// CPU time of this process so far, in ms (all threads; Linux `CLOCK_PROCESS_CPUTIME_ID`), which
/// load on the machine does not inflate as it does wall time.
fn cpu_ms() -> f64 {
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut [i64; 2]) -> i32;
    }
    let mut t = [0i64; 2];
    // SAFETY: clock_gettime writes one timespec, two 64-bit fields on 64-bit Linux, to `t`.
    match unsafe { clock_gettime(2, &mut t) } {
        0 => t[0] as f64 * 1e3 + t[1] as f64 / 1e6,
        _ => f64::NAN,
    }
}

/// The loss of int8 vectors in nDCG@10: SciFact's abstracts and test queries embedded once in
/// float32, ranked by the dense signal alone (exact cosines) as float32 and as the index stores
/// them (both sides int8, each scaled so its largest component is ±127). Prints both and the
/// number of queries whose top ten changed. About six minutes on two cores
/// (`cargo test --release --test semantic -- --ignored --nocapture int8_against_float`).
#[test]
#[ignore]
fn int8_against_float_ndcg() {
    use clinsearch::embed::store::quantise;
    use clinsearch::eval::metrics::{ndcg, read_qrels};
    let (Some(dir), Some(data)) = (model_dir(), common::shared_data("scifact")) else {
        return;
    };
    let model: Arc<dyn Embedder> = Arc::from(load_model(Some(&dir)).unwrap());
    let mut ids = Vec::new();
    let mut inputs = Vec::new();
    for line in std::fs::read_to_string(data.join("corpus.jsonl"))
        .unwrap()
        .lines()
    {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        ids.push(doc["_id"].as_str().unwrap().to_string());
        let (title, text) = (
            doc["title"].as_str().unwrap_or(""),
            doc["text"].as_str().unwrap(),
        );
        inputs.push(clinsearch::embed::passage_input(title, "", text));
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = inputs.len().div_ceil(threads);
    let rows: Vec<Vec<f32>> = std::thread::scope(|s| {
        let parts: Vec<_> = inputs
            .chunks(per)
            .map(|part| {
                let model = Arc::clone(&model);
                s.spawn(move || {
                    part.chunks(4)
                        .flat_map(|batch| {
                            let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
                            model.embed(&texts).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    });
    let qrels = read_qrels(&std::fs::read_to_string(data.join("qrels.tsv")).unwrap()).unwrap();
    let queries = clinsearch::eval::retrieval::read_queries(&data.join("queries.jsonl")).unwrap();
    let int8 = |v: &[f32]| -> (Vec<f32>, f32) {
        let q: Vec<f32> = quantise(v).iter().map(|&x| f32::from(x)).collect();
        let norm = q.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
        (q, norm)
    };
    let rows8: Vec<(Vec<f32>, f32)> = rows.iter().map(|r| int8(r)).collect();
    let top10 = |scores: Vec<f32>| -> Vec<String> {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(ids[a].cmp(&ids[b])));
        order.iter().take(10).map(|&i| ids[i].clone()).collect()
    };
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let (mut float_sum, mut int8_sum, mut changed, mut n) = (0.0, 0.0, 0, 0);
    for (id, text) in &queries {
        let Some(judged) = qrels.get(id) else {
            continue;
        };
        let q = model.embed(&[text.as_str()]).unwrap().remove(0);
        let (q8, q8_norm) = int8(&q);
        let float = top10(rows.iter().map(|r| dot(&q, r)).collect());
        let quantised = top10(
            rows8
                .iter()
                .map(|(r, n)| dot(&q8, r) / (q8_norm * n))
                .collect(),
        );
        float_sum += ndcg(&float, judged, 10);
        int8_sum += ndcg(&quantised, judged, 10);
        changed += usize::from(float != quantised);
        n += 1;
    }
    let (float, int8) = (float_sum / n as f64, int8_sum / n as f64);
    println!(
        "SciFact test, dense only, {n} queries: nDCG@10 float32 {float:.4}, int8 {int8:.4} \
         ({:+.4}); top ten changed for {changed} queries",
        int8 - float
    );
    assert!(n > 0 && (float - int8).abs() < 0.01, "{float} {int8}");
}

/// Quantised weights as a lever for embedding speed: candle's 8-bit block format (Q8_0, what
/// `QMatMul` multiplies without widening) against the float32 matrix product the model runs,
/// on the shapes of the model's dense layers, for a batch of four 256-piece passages (1,024 rows)
/// and for a query (16 rows). Prints each time and the error relative to float32
/// (`cargo test --release --test semantic -- --ignored --nocapture quantised_weights`).
#[cfg(feature = "semantic")]
#[test]
#[ignore]
fn quantised_weights_against_float32() {
    use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
    use candle_core::{Device, Module, Tensor};
    let device = Device::Cpu;
    let time = |f: &mut dyn FnMut(), reps: usize| {
        f();
        let start = std::time::Instant::now();
        for _ in 0..reps {
            f();
        }
        start.elapsed().as_secs_f64() * 1000.0 / reps as f64
    };
    let (mut float_total, mut q8_total) = (0.0, 0.0);
    // (rows, inner, outer, products of this shape in one layer: query, key, value, output;
    // intermediate; output of the feed-forward part).
    for (rows, k, n, per_layer) in [
        (1024, 384, 384, 4.0),
        (1024, 384, 1536, 1.0),
        (1024, 1536, 384, 1.0),
        (16, 384, 384, 4.0),
        (16, 384, 1536, 1.0),
        (16, 1536, 384, 1.0),
    ] {
        let x = Tensor::randn(0f32, 1.0, (rows, k), &device).unwrap();
        let w = Tensor::randn(0f32, 0.05, (n, k), &device).unwrap();
        let wt = w.t().unwrap();
        let q8 = QMatMul::from_qtensor(QTensor::quantize(&w, GgmlDType::Q8_0).unwrap()).unwrap();
        let exact = x.matmul(&wt).unwrap();
        let error = |y: Tensor| {
            let mean_sq = |t: &Tensor| t.sqr().unwrap().mean_all().unwrap();
            let num = mean_sq(&(y - &exact).unwrap()).to_scalar::<f32>().unwrap();
            (num / mean_sq(&exact).to_scalar::<f32>().unwrap()).sqrt()
        };
        let q8_error = error(q8.forward(&x).unwrap());
        let reps = if rows > 100 { 10 } else { 200 };
        let float_ms = time(&mut || drop(x.matmul(&wt).unwrap()), reps);
        let q8_ms = time(&mut || drop(q8.forward(&x).unwrap()), reps);
        println!(
            "{rows:>5} x {k:>4} x {n:>4}: float32 {float_ms:7.3} ms, Q8_0 {q8_ms:7.3} ms \
             ({:.2}x float32's time), relative error {q8_error:.1e}",
            q8_ms / float_ms
        );
        if rows > 100 {
            float_total += per_layer * float_ms;
            q8_total += per_layer * q8_ms;
        }
        assert!(q8_error < 0.05, "{q8_error}");
    }
    println!(
        "one layer's dense products at 1,024 rows: float32 {float_total:.1} ms, Q8_0 \
         {q8_total:.1} ms"
    );
}
