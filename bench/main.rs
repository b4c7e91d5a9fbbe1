//! Helper for `bench/speed.sh`: the same passages indexed and searched by raw tantivy and by
//! SQLite FTS5, and clinsearch's own search timed in-process, so that all three are measured side
//! by side. Built only with `--features bench`.

use std::io::{BufRead, BufWriter, Write};
use std::ops::Bound;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use clinsearch::search::YearRange;
use clinsearch::search::{Request, Searcher};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery};
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files with clinsearch's parser and write one passage per line (JSON).
    Passages { input: PathBuf, out: PathBuf },
    /// Index passages into a plain tantivy index (one text field, tantivy's English analyzer),
    /// with clinsearch's writer settings: its doc store compression and block size, its number
    /// of indexing threads and memory budget, one commit.
    RawIndex {
        passages: PathBuf,
        dir: PathBuf,
        /// Indexing threads (default: clinsearch's, one per core up to 8).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Time top-10 queries with snippets on the plain tantivy index.
    RawQuery {
        dir: PathBuf,
        queries: PathBuf,
        #[arg(long)]
        years: Option<String>,
        /// Time the search alone, without snippets.
        #[arg(long)]
        no_snippets: bool,
    },
    /// Index passages into SQLite FTS5 (porter tokenizer).
    FtsIndex { passages: PathBuf, db: PathBuf },
    /// Time top-10 queries (bm25 rank) with snippets on FTS5.
    FtsQuery {
        db: PathBuf,
        queries: PathBuf,
        #[arg(long)]
        years: Option<String>,
    },
    /// Time a batch run on the plain tantivy index: a query parser over title and text, the top
    /// 100 passages, article ids from a fast field.
    RawBatch {
        dir: PathBuf,
        queries: PathBuf,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Time a clinsearch batch run (`search --queries`): the top articles of every query.
    CsBatch {
        index: PathBuf,
        queries: PathBuf,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// No pseudo-relevance feedback.
        #[arg(long)]
        no_expand: bool,
    },
    /// Time the analysis alone (one thread): every passage's text through tantivy's `en_stem`
    /// and through clinsearch's English analyzer, interleaved `repeat` times.
    Analyze {
        passages: PathBuf,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Time top-10 clinsearch searches with snippets (natural-language queries).
    CsQuery {
        index: PathBuf,
        queries: PathBuf,
        #[arg(long)]
        years: Option<String>,
        /// Time the search alone, without snippets.
        #[arg(long)]
        no_snippets: bool,
        /// More indexes, searched together with INDEX as one.
        #[arg(long, value_name = "INDEX")]
        also: Vec<PathBuf>,
        /// Then print the process's memory: peak and current resident set, split into
        /// anonymous memory and mapped index files (from /proc/self/status).
        #[arg(long)]
        memory: bool,
    },
}

#[derive(Serialize, Deserialize)]
struct PassageLine {
    text: String,
    years: Vec<u16>,
    #[serde(default)]
    article: String,
    #[serde(default)]
    title: String,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Passages { input, out } => passages(input, out),
        Command::RawIndex {
            passages,
            dir,
            threads,
        } => raw_index(passages, dir, threads),
        Command::RawQuery {
            dir,
            queries,
            years,
            no_snippets,
        } => raw_query(dir, queries, years, !no_snippets),
        Command::FtsIndex { passages, db } => fts_index(passages, db),
        Command::FtsQuery { db, queries, years } => fts_query(db, queries, years),
        Command::CsQuery {
            index,
            queries,
            years,
            no_snippets,
            also,
            memory,
        } => {
            let indexes: Vec<PathBuf> = std::iter::once(index).chain(also).collect();
            cs_query(&indexes, queries, years, !no_snippets)?;
            if memory {
                print_memory()?;
            }
            Ok(())
        }
        Command::RawBatch {
            dir,
            queries,
            limit,
        } => raw_batch(dir, queries, limit),
        Command::CsBatch {
            index,
            queries,
            limit,
            no_expand,
        } => cs_batch(index, queries, limit, no_expand),
        Command::Analyze { passages, repeat } => analyze(passages, repeat),
    }
}

fn passages(input: PathBuf, out: PathBuf) -> Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(&out)?);
    let files: Vec<PathBuf> = if input.is_dir() {
        walkdir::WalkDir::new(&input)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    } else {
        vec![input]
    };
    let mut n = 0;
    for file in files {
        let Ok(parsed) = clinsearch::parse::read_file(&file, "x") else {
            continue;
        };
        for a in parsed.articles {
            for (section, p) in a.passages() {
                let mut years: Vec<u16> = p
                    .cited_references()
                    .iter()
                    .filter_map(|&i| a.references[i].year)
                    .collect();
                years.sort_unstable();
                years.dedup();
                let line = PassageLine {
                    text: format!("{}\n{}\n{}", a.title, section.heading, p.text),
                    years,
                    article: a.id.clone(),
                    title: a.title.clone(),
                };
                serde_json::to_writer(&mut w, &line)?;
                writeln!(w)?;
                n += 1;
            }
        }
    }
    w.flush()?;
    eprintln!("{n} passages");
    Ok(())
}

fn read_passages(path: &PathBuf) -> Result<impl Iterator<Item = PassageLine>> {
    let f = std::io::BufReader::new(
        std::fs::File::open(path).with_context(|| path.display().to_string())?,
    );
    Ok(f.lines()
        .map_while(|l| l.ok())
        .filter_map(|l| serde_json::from_str(&l).ok()))
}

fn read_queries(path: &std::path::Path) -> Result<Vec<String>> {
    Ok(clinsearch::eval::read_queries(path)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

fn raw_index(passages: PathBuf, dir: PathBuf, threads: Option<usize>) -> Result<()> {
    let mut b = Schema::builder();
    // tantivy's English analyzer ("en_stem": simple tokenizer, lowercasing, Snowball stemmer),
    // positions indexed as clinsearch does.
    let english = TextFieldIndexing::default()
        .set_tokenizer("en_stem")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = b.add_text_field(
        "text",
        TextOptions::default()
            .set_indexing_options(english)
            .set_stored(),
    );
    let years = b.add_u64_field("years", INDEXED | FAST);
    // For batch runs: the title alone, and the article id as a fast field.
    let title = b.add_text_field(
        "title",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let article = b.add_text_field("article", STRING | FAST);
    std::fs::create_dir_all(&dir)?;
    let index = Index::builder()
        .schema(b.build())
        .settings(clinsearch::index::index_settings())
        .create_in_dir(&dir)?;
    let started = Instant::now();
    let threads = threads.unwrap_or(clinsearch::index::IndexOptions::default().threads);
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, clinsearch::index::DEFAULT_MEMORY)?;
    let mut n = 0;
    for p in read_passages(&passages)? {
        let mut d = doc!(text => p.text, title => p.title, article => p.article);
        for y in p.years {
            d.add_u64(years, u64::from(y));
        }
        writer.add_document(d)?;
        n += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    println!(
        "raw tantivy indexed {n} passages in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn years_range(years: &Option<String>) -> Result<Option<YearRange>> {
    Ok(years.as_deref().map(str::parse::<YearRange>).transpose()?)
}

fn report(label: &str, mut ms: Vec<f64>, hits: usize) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label}: {} queries, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms ({hits} hits in all)",
        ms.len(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
}

fn raw_query(dir: PathBuf, queries: PathBuf, years: Option<String>, snippets: bool) -> Result<()> {
    let index = Index::open_in_dir(&dir)?;
    let schema = index.schema();
    let (text, year) = (schema.get_field("text")?, schema.get_field("years")?);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![text]);
    let range = years_range(&years)?;
    let queries = read_queries(&queries)?;
    let run = |q: &str| -> Result<usize> {
        let (query, _) = parser.parse_query_lenient(q);
        let query: Box<dyn Query> = match range {
            Some(r) => {
                let bound = |y: Option<u16>| {
                    y.map_or(Bound::Unbounded, |y| {
                        Bound::Included(Term::from_field_u64(year, u64::from(y)))
                    })
                };
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, query),
                    (
                        Occur::Must,
                        Box::new(RangeQuery::new(bound(r.from), bound(r.to))),
                    ),
                ]))
            }
            None => query,
        };
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        if !snippets {
            return Ok(top.len());
        }
        let generator = SnippetGenerator::create(&searcher, &*query, text)?;
        for (_, address) in &top {
            let doc: TantivyDocument = searcher.doc(*address)?;
            std::hint::black_box(generator.snippet_from_doc(&doc).to_html());
            std::hint::black_box(doc.get_first(text).and_then(|v| v.as_str()).map(str::len));
        }
        Ok(top.len())
    };
    timed("raw tantivy", &queries, run)
}

fn timed(label: &str, queries: &[String], run: impl FnMut(&str) -> Result<usize>) -> Result<()> {
    let (ms, hits, _) = time_queries(queries, run)?;
    report(label, ms, hits);
    Ok(())
}

/// Run every query after a warm-up pass over the first 100: the milliseconds of each, the
/// results of all, and the seconds of the whole.
fn time_queries(
    queries: &[String],
    mut run: impl FnMut(&str) -> Result<usize>,
) -> Result<(Vec<f64>, usize, f64)> {
    for q in queries.iter().take(100) {
        run(q)?;
    }
    let mut ms = Vec::with_capacity(queries.len());
    let mut hits = 0;
    let all = Instant::now();
    for q in queries {
        let started = Instant::now();
        hits += run(q)?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((ms, hits, all.elapsed().as_secs_f64()))
}

fn fts_index(passages: PathBuf, db: PathBuf) -> Result<()> {
    let _ = std::fs::remove_file(&db);
    let mut conn = rusqlite::Connection::open(&db)?;
    conn.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE VIRTUAL TABLE docs USING fts5(text, tokenize='porter'); CREATE TABLE years(pid INTEGER, year INTEGER);")?;
    let started = Instant::now();
    let tx = conn.transaction()?;
    let mut n = 0i64;
    {
        let mut insert = tx.prepare("INSERT INTO docs(rowid, text) VALUES (?1, ?2)")?;
        let mut year = tx.prepare("INSERT INTO years(pid, year) VALUES (?1, ?2)")?;
        for p in read_passages(&passages)? {
            n += 1;
            insert.execute(rusqlite::params![n, p.text])?;
            for y in p.years {
                year.execute(rusqlite::params![n, y])?;
            }
        }
    }
    tx.execute_batch("CREATE INDEX years_pid ON years(pid, year);")?;
    tx.commit()?;
    println!(
        "SQLite FTS5 indexed {n} passages in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn fts_query(db: PathBuf, queries: PathBuf, years: Option<String>) -> Result<()> {
    let conn = rusqlite::Connection::open(&db)?;
    let range = years_range(&years)?;
    let sql = match range {
        Some(_) => "SELECT rowid, snippet(docs, 0, '[', ']', '…', 24) FROM docs WHERE docs MATCH ?1 AND EXISTS (SELECT 1 FROM years WHERE pid = docs.rowid AND year BETWEEN ?2 AND ?3) ORDER BY rank LIMIT 10",
        None => "SELECT rowid, snippet(docs, 0, '[', ']', '…', 24) FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10",
    };
    let mut stmt = conn.prepare(sql)?;
    let queries = read_queries(&queries)?;
    let (lo, hi) = range.map_or((0, 9999), |r| (r.from.unwrap_or(0), r.to.unwrap_or(9999)));
    timed("SQLite FTS5", &queries, |q| {
        // Every word quoted and OR-ed: natural-language text, not FTS5 syntax.
        let words: Vec<String> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect();
        if words.is_empty() {
            return Ok(0);
        }
        let m = words.join(" OR ");
        let rows: Vec<(i64, String)> = if range.is_some() {
            stmt.query_map(rusqlite::params![m, lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        } else {
            stmt.query_map(rusqlite::params![m], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        Ok(rows.len())
    })
}

fn cs_query(
    indexes: &[PathBuf],
    queries: PathBuf,
    years: Option<String>,
    snippets: bool,
) -> Result<()> {
    let searcher = Searcher::open_all(indexes)?;
    let years = years_range(&years)?;
    let queries = read_queries(&queries)?;
    // The CPU time of each query besides its wall time: on a loaded machine the wall time
    // includes waiting for a core, the CPU time does not (the search runs on this thread).
    let mut cpu = Vec::with_capacity(queries.len());
    let (ms, hits, _) = time_queries(&queries, |q| {
        let request = Request {
            query: Some(q.to_string()),
            natural: true,
            years,
            limit: 10,
            snippets,
            ..Request::default()
        };
        let started = thread_cpu_ms();
        let n = searcher.search(&request)?.hits.len();
        cpu.push(thread_cpu_ms() - started);
        Ok(n)
    })?;
    report("clinsearch", ms, hits);
    let mut cpu = cpu.split_off(queries.len().min(100)); // the warm-up pass
    cpu.sort_by(f64::total_cmp);
    let at = |q: f64| cpu[((cpu.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "clinsearch CPU time per query: p50 {:.3} ms, p99 {:.3} ms",
        at(0.5),
        at(0.99)
    );
    Ok(())
}

/// CPU time of the calling thread in milliseconds (Linux: `CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on 64-bit Linux) to `t`.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok {
        t.sec as f64 * 1e3 + t.nsec as f64 / 1e6
    } else {
        f64::NAN
    }
}

/// The peak and current resident set of this process, and how much of it is anonymous memory
/// (heap, stacks) and how much mapped files (the index), from /proc/self/status (Linux).
fn print_memory() -> Result<()> {
    let status = std::fs::read_to_string("/proc/self/status").context("/proc/self/status")?;
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| {
                l.strip_prefix(key)?
                    .trim()
                    .strip_suffix(" kB")?
                    .parse::<u64>()
                    .ok()
            })
            .map_or(-1.0, |kb| kb as f64 / 1024.0)
    };
    println!(
        "memory: peak RSS {:.1} MiB; now RSS {:.1} MiB = anonymous {:.1} MiB + mapped files {:.1} MiB",
        mib("VmHWM:"),
        mib("VmRSS:"),
        mib("RssAnon:"),
        mib("RssFile:")
    );
    Ok(())
}

/// Seconds for the whole batch, after one warm-up pass over the first 100 queries.
fn timed_batch(
    label: &str,
    queries: &[String],
    run: impl FnMut(&str) -> Result<usize>,
) -> Result<()> {
    let (_, ids, secs) = time_queries(queries, run)?;
    println!(
        "{label}: {} queries in {secs:.3} s, {:.3} ms/query ({ids} ids)",
        queries.len(),
        1000.0 * secs / queries.len() as f64
    );
    Ok(())
}

fn raw_batch(dir: PathBuf, queries: PathBuf, limit: usize) -> Result<()> {
    let index = Index::open_in_dir(&dir)?;
    let schema = index.schema();
    let (text, title) = (schema.get_field("text")?, schema.get_field("title")?);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![title, text]);
    let articles: Vec<_> = searcher
        .segment_readers()
        .iter()
        .map(|r| r.fast_fields().str("article"))
        .collect::<tantivy::Result<_>>()?;
    let queries = read_queries(&queries)?;
    let mut id = String::new();
    timed_batch("raw tantivy batch", &queries, |q| {
        let (query, _) = parser.parse_query_lenient(q);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        for (_, address) in &top {
            id.clear();
            if let Some(column) = &articles[address.segment_ord as usize] {
                if let Some(ord) = column.term_ords(address.doc_id).next() {
                    column.ord_to_str(ord, &mut id)?;
                }
            }
            std::hint::black_box(&id);
        }
        Ok(top.len())
    })
}

fn cs_batch(index: PathBuf, queries: PathBuf, limit: usize, no_expand: bool) -> Result<()> {
    let searcher = Searcher::open(&index)?;
    let ranking = clinsearch::search::Ranking {
        expand: !no_expand,
        ..clinsearch::search::Ranking::default()
    };
    let queries = read_queries(&queries)?;
    let label = if no_expand {
        "clinsearch batch --no-expand"
    } else {
        "clinsearch batch (feedback)"
    };
    timed_batch(label, &queries, |q| {
        Ok(searcher.rank_articles(q, limit, ranking)?.len())
    })
}

fn analyze(passages: PathBuf, repeat: usize) -> Result<()> {
    let texts: Vec<String> = read_passages(&passages)?.map(|p| p.text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let run = |analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
        let started = thread_cpu_seconds();
        let (mut tokens, mut len) = (0usize, 0usize);
        for text in &texts {
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                tokens += 1;
                len += token.text.len();
            }
        }
        (thread_cpu_seconds() - started, tokens, len)
    };
    for r in 1..=repeat {
        let mut raw = Index::create_in_ram(Schema::builder().build())
            .tokenizers()
            .get("en_stem")
            .context("en_stem")?;
        for (label, analyzer) in [
            ("tantivy en_stem", &mut raw),
            (
                "clinsearch English",
                &mut clinsearch::index::schema::text_analyzer(),
            ),
        ] {
            let (secs, tokens, len) = run(analyzer);
            println!(
                "run {r}: {label:<20} {secs:6.3} s CPU, {:6.1} MB/s, {tokens} tokens ({len} bytes)",
                bytes as f64 / secs / 1e6
            );
        }
    }
    Ok(())
}

/// CPU time of the calling thread so far, in seconds (Linux: /proc/thread-self/schedstat), so that
/// a shared machine's load does not count.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}
