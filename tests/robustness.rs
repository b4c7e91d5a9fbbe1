//! Robustness: bad input, killed index runs, concurrent use and hostile queries. Nothing here may
//! lose an index, panic, or fail without naming what failed.
//!
//! The long versions of the kill and query tests run with `cargo test --release --test robustness
//! -- --ignored` (see README, "Robustness").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use clinsearch::index::{indexed_files, update_index, IndexOptions};
use clinsearch::search::Kind;
use clinsearch::search::{Request, Searcher};

fn clinsearch(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A small deterministic pseudo-random generator (xorshift64*), so that failures reproduce from
/// the seed the test prints.
struct Rng(u64);

impl Rng {
    /// The seed in `CLINSEARCH_TEST_SEED` (a number, or `random` for one from the clock), else a
    /// fixed one, so that CI runs the same cases each time.
    fn seeded() -> Rng {
        let seed = match std::env::var("CLINSEARCH_TEST_SEED").ok().as_deref() {
            Some("random") => {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            }
            Some(n) => n
                .parse()
                .expect("CLINSEARCH_TEST_SEED: a number or 'random'"),
            None => 20_261_126,
        };
        eprintln!("seed {seed} (CLINSEARCH_TEST_SEED=<seed> repeats it, =random draws one)");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every document of the index, listed without a query.
fn all_hits(index: &Path) -> Vec<clinsearch::search::Hit> {
    let request = Request {
        kind: Kind::All,
        limit: 10_000_000,
        ..Request::default()
    };
    Searcher::open(index)
        .unwrap()
        .search(&request)
        .unwrap()
        .hits
}

/// Every document of the index: (id, text), sorted.
fn documents(index: &Path) -> Vec<(String, String)> {
    let mut docs: Vec<(String, String)> = all_hits(index)
        .into_iter()
        .map(|h| (h.id, h.text))
        .collect();
    docs.sort();
    docs
}

/// The files whose documents are in the index (canonical paths).
fn files_with_documents(index: &Path) -> BTreeSet<String> {
    all_hits(index)
        .into_iter()
        .map(|h| {
            Path::new(&h.path)
                .canonicalize()
                .map_or(h.path.clone(), |p| p.display().to_string())
        })
        .collect()
}

#[test]
fn bad_inputs_are_named_and_good_files_indexed_completely() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let c = dir.join("corpus");
    // Good files, each with a word found nowhere else.
    write(
        &c.join("good.md"),
        "# Good article\n\nZebrafish models of ketamine response (Smith, 2019).\n\n## Methods\n\nWe dosed the zebrafish twice.\n\n## References\n\nSmith, J. (2019). Zebrafish and ketamine. Journal of Models, 1, 1-9.\n",
    );
    write(
        &c.join("latin1.txt"),
        b"Caf\xe9 na\xefve patients quokka\n".as_slice(),
    );
    write(
        &c.join("cp1252.txt"),
        b"\x93Quoted\x94 wombat dosing \x96 fine\n".as_slice(),
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Ketamine α response numbat\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(&c.join("utf16.txt"), utf16);
    write(
        &c.join("nobody.nxml"),
        r#"<?xml version="1.0"?><article><front><article-meta><title-group><article-title>Platypus front matter only</article-title></title-group><abstract><p>An abstract about the platypus.</p></abstract></article-meta></front><back><ref-list><ref id="r1"><mixed-citation>Doe J. Platypus. Nature. 2001;1:1-2.</mixed-citation></ref></ref-list></back></article>"#,
    );
    write(
        &c.join("noheadings.html"),
        "<html><body><p>First paragraph about the echidna.</p><div><p>Second paragraph.</p></div></body></html>",
    );
    let mut garbage = String::from(
        "# Garbage references\n\nThe narwhal text cites nothing.\n\n## References\n\n",
    );
    let mut rng = Rng(42);
    for _ in 0..200 {
        let line: String = (0..rng.below(120))
            .map(|_| {
                *rng.pick(&[
                    '(', ')', '1', '9', '.', ',', ';', 'a', 'Z', ' ', '&', '–', 'é', '[', ']',
                ])
            })
            .collect();
        garbage.push_str(&line);
        garbage.push('\n');
    }
    write(&c.join("garbage-refs.md"), garbage);
    let long = format!("Axolotl {}\n", "regeneration study ".repeat(100_000 / 19));
    write(&c.join("long-paragraph.txt"), &long);
    write(&c.join("one-word-lines.txt"), "okapi\n".repeat(10_000));
    let mut deep = c.clone();
    for i in 0..40 {
        deep.push(format!("d{i}"));
    }
    write(
        &deep.join("deep.md"),
        "# Deep\n\nThe tapir lives deep down.\n",
    );
    write(
        &c.join("records.jsonl"),
        "{\"_id\": \"r1\", \"title\": \"Kiwi\", \"text\": \"The kiwi record.\"}\nnot json\n{\"_id\": \"r2\", \"text\": \"The kakapo record.\"}\n{\"_id\": 3\n",
    );
    // Bad files.
    for (name, content) in [
        ("empty.txt", &b""[..]),
        ("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"),
        ("unclosed.xml", b"<article><body><p>Unclosed narwhal"),
        (
            "misnested.nxml",
            b"<article><body><p><b>mis</p></b></body></article>",
        ),
    ] {
        write(&c.join(name), content);
    }
    let huge = std::fs::File::create(c.join("huge.txt")).unwrap();
    huge.set_len(200 << 20).unwrap(); // sparse: 200 MiB on paper, nothing on disk
    drop(huge);
    std::os::unix::fs::symlink(&c, c.join("loop")).unwrap();
    std::os::unix::fs::symlink(c.join("gone.txt"), c.join("vanished.txt")).unwrap();
    let unreadable = c.join("unreadable.txt");
    write(&unreadable, "secret");
    let root = is_root();
    if root {
        eprintln!(
            "running as root: the unreadable-file case is skipped (root reads mode 000 files)"
        );
        std::fs::remove_file(&unreadable).unwrap();
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    }

    let out = clinsearch(dir, &["index", "corpus", "--index", "idx", "-v"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    eprintln!("{stdout}");
    let skipped = |name: &str| -> String {
        stdout
            .lines()
            .find(|l| l.starts_with("skipped ") && l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named as skipped:\n{stdout}"))
            .to_string()
    };
    assert!(skipped("empty.txt").contains("empty"));
    assert!(skipped("image.txt").contains("binary"));
    assert!(
        skipped("unclosed.xml").contains("XML"),
        "{}",
        skipped("unclosed.xml")
    );
    assert!(skipped("misnested.nxml").contains("XML"));
    assert!(skipped("huge.txt").contains("size limit"));
    assert!(skipped("loop").contains("symbolic link loop"));
    assert!(skipped("vanished.txt").contains("No such file"));
    assert!(skipped("records.jsonl").contains("line 2"));
    assert!(skipped("records.jsonl").contains("line 4") || stdout.contains("line 4"));
    if !root {
        assert!(skipped("unreadable.txt").contains("ermission"));
    }
    assert!(
        stdout.contains("note ") && stdout.contains("split into"),
        "the long paragraph's split is reported:\n{stdout}"
    );

    // Every good file is there, completely.
    let idx = dir.join("idx");
    let searcher = Searcher::open(&idx).unwrap();
    let texts = |q: &str| -> Vec<String> {
        let request = Request {
            query: Some(q.to_string()),
            limit: 1000,
            ..Request::default()
        };
        searcher
            .search(&request)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.text)
            .collect()
    };
    assert_eq!(texts("zebrafish").len(), 2);
    assert_eq!(texts("café"), ["Café naïve patients quokka"]);
    assert_eq!(texts("wombat"), ["“Quoted” wombat dosing – fine"]);
    assert_eq!(texts("numbat"), ["Ketamine α response numbat"]);
    assert_eq!(
        texts("platypus").len(),
        1,
        "the abstract of a JATS file without body"
    );
    assert_eq!(texts("echidna").len(), 1);
    assert_eq!(texts("narwhal").len(), 1);
    assert_eq!(texts("tapir").len(), 1);
    assert_eq!(texts("kiwi").len(), 1);
    assert_eq!(texts("kakapo").len(), 1);
    let axolotl = texts("regeneration");
    assert!(
        axolotl.len() >= 6,
        "100,000 characters in passages of at most 16 KiB"
    );
    let total: usize = axolotl.iter().map(|t| t.len() + 1).sum();
    assert_eq!(
        total,
        long.trim().len() + 1,
        "nothing of the long paragraph is lost"
    );
    let okapi: usize = texts("okapi")
        .iter()
        .map(|t| t.split_whitespace().count())
        .sum();
    assert!(
        okapi >= 9_999,
        "10,000 one-word lines (the first may be the title): {okapi}"
    );

    // --strict: the same run, but skips are an error.
    let strict = clinsearch(dir, &["index", "corpus", "--index", "idx", "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
}

/// Markdown articles for the kill and concurrency tests: `n` files, each with a few passages,
/// citations and references, numbered from `from`.
fn write_articles(dir: &Path, from: usize, n: usize, version: usize) {
    for i in from..from + n {
        let mut text = format!("# Article {i}\n\n");
        for p in 0..4 {
            text.push_str(&format!(
                "Passage {p} of article {i} (version {version}) on ketamine and depression, citing (Author{i}, 2015) and (Other{p}, 2019).\n\n"
            ));
        }
        text.push_str(&format!(
            "## References\n\nAuthor{i}, A. (2015). A study number {i}. Journal of Things, 1(2), 3-4.\nOther{p}, B. (2019). Another study. Journal of Stuff, 5, 6-7.\n",
            p = i % 4
        ));
        write(&dir.join(format!("a{:05}.md", i)), text);
    }
}

/// Kill `trials` index runs at random moments and check what each leaves. With `commit_every`
/// (MiB), runs commit several times and a kill may leave any of their commits.
fn kill_trials(trials: usize, commit_every: Option<&str>) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let idx = tmp.path().join("idx");
    write_articles(&corpus, 0, 400, 0);
    // `clinsearch index corpus --index <into> [--commit-every MiB]`
    let index_into = |into: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_clinsearch"));
        c.arg("index").arg(&corpus).arg("--index").arg(into);
        if let Some(mib) = commit_every {
            c.args(["--commit-every", mib]);
        }
        c
    };
    let index = || {
        let out = index_into(&idx).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let started = Instant::now();
    index();
    let full = started.elapsed();
    let mut rng = Rng::seeded();
    let mut killed_before_commit = 0;
    let mut killed_between_commits = 0;
    let mut orphans_seen = 0;
    for trial in 0..trials {
        // Change the corpus: rewrite some files, add some, remove some.
        let version = trial + 1;
        let first = rng.below(300);
        write_articles(&corpus, first, 100, version);
        write_articles(&corpus, 400 + trial * 10, 10, version);
        let _ = std::fs::remove_file(corpus.join(format!("a{:05}.md", rng.below(400))));
        let before = documents(&idx);

        let mut child = index_into(&idx)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A run re-indexes about a quarter of the files: with many commits, aim inside it.
        let window = if commit_every.is_some() {
            full.as_micros() as usize * 2 / 5
        } else {
            full.as_micros() as usize * 3 / 2
        };
        let wait = Duration::from_micros(rng.below(window + 1) as u64);
        std::thread::sleep(wait);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();

        orphans_seen += orphans(&idx).len();
        // The index opens, answers, and holds exactly the files its manifest names.
        let after = documents(&idx);
        let manifest: BTreeSet<String> = indexed_files(&idx).unwrap().into_iter().collect();
        assert_eq!(files_with_documents(&idx), manifest, "trial {trial}");
        let out = clinsearch(tmp.path(), &["search", "ketamine", "--index", "idx"]);
        assert_eq!(out.status.code(), Some(0), "trial {trial}: {out:?}");
        // Every file is whole: all its passages from one version of it.
        let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for hit in all_hits(&idx) {
            if let Some(v) = hit.text.split("(version ").nth(1) {
                let v = v.split(')').next().unwrap_or_default().to_string();
                versions.entry(hit.path).or_default().insert(v);
            }
        }
        assert!(
            versions.values().all(|v| v.len() == 1),
            "trial {trial}: a file with passages of two versions"
        );
        // It is a commit of the run or the state before it; with one commit per run, either the
        // state before the run or the finished run's (then re-running finds nothing to do).
        let rerun = index();
        if after == before {
            killed_before_commit += 1;
        } else if commit_every.is_some() {
            assert!(rerun.contains("0 removed"), "trial {trial}: {rerun}");
            if !rerun.contains("0 added, 0 updated") {
                killed_between_commits += 1;
            }
        } else {
            assert!(
                rerun.contains("0 added, 0 updated, 0 removed"),
                "trial {trial}: killed after {wait:?}, the index changed but is not the finished run's:\n{rerun}"
            );
            assert_eq!(documents(&idx), after, "trial {trial}");
        }
        // Files a killed writer left behind are garbage-collected by the next run.
        let left = orphans(&idx);
        assert!(
            left.is_empty(),
            "trial {trial}: orphans after a re-run: {left:?}"
        );
    }
    eprintln!(
        "{trials} kills: {killed_before_commit} before the first commit, \
         {killed_between_commits} between two commits of the run, {} after the last",
        trials - killed_before_commit - killed_between_commits
    );
    if commit_every.is_some() && trials >= 20 {
        assert!(
            killed_between_commits > 0,
            "no kill fell between two commits"
        );
    }
    // Re-runs converged to what a clean build of the same folder holds.
    let clean = tmp.path().join("clean");
    assert!(index_into(&clean).output().unwrap().status.success());
    assert_eq!(documents(&idx), documents(&clean));
    assert!(orphans(&idx).is_empty());
    eprintln!("{orphans_seen} files of killed writers found after kills; none left after re-runs");
}

/// Files in the index directory that belong to no segment of the last commit.
fn orphans(idx: &Path) -> Vec<String> {
    // (meta.json writes segment ids with hyphens, file names without)
    let meta = std::fs::read_to_string(idx.join("meta.json"))
        .unwrap()
        .replace('-', "");
    std::fs::read_dir(idx)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "meta.json")
        .filter(|name| !meta.contains(name.split('.').next().unwrap()))
        .collect()
}

#[test]
fn killed_index_runs_leave_the_last_commit() {
    kill_trials(20, None);
}

#[test]
#[ignore = "long: 200 kill trials"]
fn killed_index_runs_leave_the_last_commit_long() {
    kill_trials(200, None);
}

#[test]
fn killed_runs_that_commit_every_few_files_leave_whole_files() {
    // About 2 KB: a commit every two or three of these articles.
    kill_trials(20, Some("0.002"));
}

#[test]
#[ignore = "long: 200 kill trials"]
fn killed_runs_that_commit_every_few_files_leave_whole_files_long() {
    kill_trials(200, Some("0.002"));
}

#[test]
fn a_second_writer_is_refused_and_searches_never_fail_during_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write_articles(&corpus, 0, 200, 0);
    let bin = env!("CARGO_BIN_EXE_clinsearch");
    let first = clinsearch(tmp.path(), &["index", "corpus", "--index", "idx"]);
    assert!(first.status.success(), "{first:?}");
    let hits = |out: &Output| String::from_utf8_lossy(&out.stdout).lines().count();
    let search = || {
        clinsearch(
            tmp.path(),
            &[
                "search", "ketamine", "--index", "idx", "--json", "--limit", "100000",
            ],
        )
    };
    let old = hits(&search());
    write_articles(&corpus, 200, 1500, 1);

    let mut child = Command::new(bin)
        .args(["index", "corpus", "--index", "idx"])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A second writer while the first runs.
    std::thread::sleep(Duration::from_millis(300));
    let second = clinsearch(tmp.path(), &["index", "corpus", "--index", "idx"]);
    let second_err = String::from_utf8_lossy(&second.stderr).into_owned();
    let first_still_running = child.try_wait().unwrap().is_none();
    if first_still_running {
        assert_eq!(second.status.code(), Some(2), "{second_err}");
        assert!(
            second_err.contains("is locked by another process"),
            "{second_err}"
        );
        assert_eq!(second_err.trim().lines().count(), 1, "{second_err}");
    } else {
        eprintln!("the first run finished before the second started; lock case not exercised");
    }
    // Searches throughout the run all succeed and see the old or the new commit.
    let mut seen = BTreeSet::new();
    let mut searches = 0;
    while child.try_wait().unwrap().is_none() {
        let out = search();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        seen.insert(hits(&out));
        searches += 1;
    }
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    let new = hits(&search());
    assert!(new > old);
    assert!(
        seen.iter().all(|n| *n == old || *n == new),
        "searches saw {seen:?}, not only {old} or {new}"
    );
    eprintln!("{searches} searches during the run, each saw {old} or {new} hits: {seen:?}");
    // The refused writer changed nothing: the index is exactly a clean build.
    let clean = clinsearch(tmp.path(), &["index", "corpus", "--index", "clean"]);
    assert!(clean.status.success());
    assert_eq!(
        documents(&tmp.path().join("idx")),
        documents(&tmp.path().join("clean"))
    );
}

/// Query strings built to break a parser: unbalanced quotes and parentheses, unknown fields,
/// huge terms, long queries, control characters, emoji, ranges, empty strings, lone operators.
fn hostile_query(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "\"",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        "^",
        "~",
        "*",
        "?",
        "\\",
        "/",
        "-",
        "+",
        "!",
        "AND",
        "OR",
        "NOT",
        "&&",
        "||",
        "TO",
        " ",
        "  ",
        "\t",
        "\n",
        "\0",
        "\u{7}",
        "\u{1b}[31m",
        "ketamine",
        "NMDA",
        "depression",
        "dissociation",
        "IL-6",
        "TNF-α",
        "β",
        "😀",
        "🧠",
        "year:",
        "year:[2015 TO 2019]",
        "year:[x TO y]",
        "year:[2019 TO 2015]",
        "year:99999999999999999999",
        "year:-1",
        "year:>2015",
        "author:",
        "author:krystal",
        "nosuchfield:x",
        "text:",
        "kind:passage",
        "section:\"",
        "title:(",
        "article:*",
        "entry:x",
        "expansion:y",
        "^2",
        "^-1",
        "^1e999",
        "~2",
        "\"NMDA receptor\"~3",
        "\"unclosed",
        "((((",
        "))))",
        "\u{feff}",
        "\u{200b}",
        "é",
        "ß",
        "İ",
        "ﬁ",
        "Ⅻ",
        "𝔘",
        "\u{301}",
        "%",
        "'",
        "`",
        "$",
        "#",
        "@",
        "=",
        "<",
        ">",
        ".",
        ",",
        ";",
    ];
    let mut q = String::new();
    match rng.below(20) {
        0 => {}
        1 => q = "x".repeat(rng.below(100_000) + 1),
        2 => q = "ketamine ".repeat(rng.below(12_000) + 1),
        3 => q = format!("year:[{} TO {}]", rng.next(), rng.next() as i64),
        4 => {
            for _ in 0..rng.below(3000) {
                q.push(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('?'));
            }
        }
        _ => {
            for _ in 0..rng.below(12) + 1 {
                q.push_str(PIECES[rng.below(PIECES.len())]);
                if rng.below(3) == 0 {
                    q.push(' ');
                }
            }
        }
    }
    q
}

fn hostile_queries(library: usize, cli: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    update_index(&[corpus], &idx, IndexOptions::default()).unwrap();
    let searcher = Searcher::open(&idx).unwrap();
    let mut rng = Rng::seeded();
    let (mut ok, mut errors, mut internal) = (0, 0, Vec::new());
    for _ in 0..library {
        let q = hostile_query(&mut rng);
        let request = Request {
            query: Some(q.clone()),
            natural: rng.below(4) == 0,
            kind: *rng.pick(&[Kind::Passage, Kind::Reference, Kind::All]),
            ..Request::default()
        };
        let started = Instant::now();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| searcher.search(&request))) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                errors += 1;
                if matches!(e, clinsearch::Error::Internal(_)) {
                    internal.push(q.chars().take(200).collect::<String>());
                }
                let message = e.to_string();
                assert!(!message.contains('\n'), "{message}");
                assert!(message.len() < 400, "{message}");
            }
            Err(_) => panic!("query {q:?} panicked ({request:?})"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "query {:?}… took {:?}",
            q.chars().take(80).collect::<String>(),
            started.elapsed()
        );
    }
    eprintln!(
        "library: {library} hostile queries, {ok} answered, {errors} refused with one line, of which {} internal errors (caught panics): {internal:?}",
        internal.len()
    );
    let (mut ok, mut errors) = (0, 0);
    for _ in 0..cli {
        // Command-line arguments cannot hold NUL: the CLI path gets the rest.
        let q = hostile_query(&mut rng).replace('\0', "");
        let out = clinsearch(tmp.path(), &["search", "--index", "idx", "--", &q]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) | Some(1) => ok += 1,
            Some(2) => {
                errors += 1;
                assert_eq!(stderr.trim_end().lines().count(), 1, "{q:?}: {stderr}");
            }
            other => panic!("query {q:?}: exit {other:?}: {stderr}"),
        }
        assert!(!stderr.contains("panicked"), "{q:?}: {stderr}");
        if stderr.contains("internal error") {
            eprintln!("internal error (a bug, reported in one line) for {q:?}: {stderr}");
        }
    }
    eprintln!("CLI: {cli} hostile queries, {ok} answered, {errors} refused with one line");
}

#[test]
fn hostile_queries_get_results_or_one_line_errors() {
    hostile_queries(10_000, 300);
}

#[test]
#[ignore = "long: 200,000 library queries, 5,000 through the CLI"]
fn hostile_queries_get_results_or_one_line_errors_long() {
    hostile_queries(200_000, 5_000);
}

#[test]
fn a_run_in_several_commits_builds_what_one_commit_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    write_articles(&corpus, 0, 30, 0);
    let one = clinsearch(tmp.path(), &["index", "corpus", "--index", "one"]);
    assert!(one.status.success(), "{one:?}");
    assert!(!String::from_utf8_lossy(&one.stdout).contains("commits"));
    let many = clinsearch(
        tmp.path(),
        &[
            "index",
            "corpus",
            "--index",
            "many",
            "--commit-every",
            "0.002",
        ],
    );
    assert!(many.status.success(), "{many:?}");
    let stdout = String::from_utf8_lossy(&many.stdout);
    let commits: usize = stdout
        .split(" commits, one per --commit-every")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no commit count in {stdout}"));
    let bytes: u64 = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let every = (0.002 * 1048576.0) as u64;
    assert!(
        commits as u64 >= bytes / every && commits >= 2,
        "{commits} commits for {bytes} bytes, one per {every}"
    );
    assert_eq!(
        documents(&tmp.path().join("many")),
        documents(&tmp.path().join("one"))
    );
}
