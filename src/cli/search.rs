//! `clinsearch search`: the best passages (or references) for a query; batch runs in TREC format.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use clinsearch::eval::{read_queries, run_queries, run_ranked, write_trec};
use clinsearch::output::{write_hits, write_json, Style};
use clinsearch::search::{Fusion, Kind, Ranking, Request, Results, Searcher, YearRange};

use super::DEFAULT_INDEX;

/// Search passages (or references) and print the best hits.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch search NMDA\n  clinsearch search 'where do my articles talk about NMDA?'\n  clinsearch search '\"treatment-resistant depression\"'\n  clinsearch search 'ketamine AND (dissociation OR \"blood pressure\")'\n  clinsearch search psychotherapy --year 2019..2021\n  clinsearch search ketamine --published 2015..2019\n  clinsearch search depression --section standalone --limit 3\n  clinsearch search 'author:krystal AND year:[2015 TO 2019]'\n  clinsearch search \"Alzheimer's disease: a review\"\n  clinsearch search --kind reference --author 'Mathew S'\n  clinsearch search NMDA --json | jq .cites\n  clinsearch search --queries queries.jsonl --run run.trec --limit 100 --index idx\n\nQuery syntax (tantivy): AND, OR, NOT (or +term, -term), \"phrases\", field:term, and\nranges such as year:[2015 TO 2019]. Fields: text (the default: title, section and\nparagraph), expansion (also searched, weighted 0.4), title, section, author, year,\nkind, article. Prose punctuation is text: apostrophes, a colon and a space after a\nword that is no field, brackets not after a field, PubMed tags such as [tiab].\nUnquoted stop words are left out, and so is a question's frame (\"where do my\narticles talk about\", \"papers on\", \"in my library\"). Without a QUERY, every item the filters keep is\nlisted in article order. Exit status: 0 hits, 1 no hits, 2 error."
)]
pub struct Args {
    /// Query in tantivy's query language
    query: Option<String>,
    /// Cited year: 2016, 2015..2019, 2015.. or ..2010
    #[arg(long, value_name = "RANGE", value_parser = str::parse::<YearRange>)]
    year: Option<YearRange>,
    /// Publication year of the article itself: 2016, 2015..2019, 2015.. or ..2010
    #[arg(long, value_name = "RANGE", value_parser = str::parse::<YearRange>)]
    published: Option<YearRange>,
    /// Words the section heading must contain
    #[arg(long, value_name = "TEXT")]
    section: Option<String>,
    /// An author of a cited work (of the reference itself, with --kind reference)
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    /// What to search [default: passage]
    #[arg(long, value_enum, ignore_case = true)]
    kind: Option<Kind>,
    /// Number of hits to show
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Hits to skip (for paging)
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print one JSON object per hit (JSON Lines)
    #[arg(long)]
    json: bool,
    /// When to colour the output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Index directory [default: index, built from corpus/ when missing], or a server's
    /// http://HOST:PORT (`clinsearch serve`); give it more than once to search several as one
    #[arg(long, value_name = "DIR|URL")]
    index: Vec<PathBuf>,
    /// Batch mode: run every query of this JSON Lines file ({"_id": ..., "text": ...})
    #[arg(long, value_name = "FILE", requires = "run", conflicts_with = "query")]
    queries: Option<PathBuf>,
    /// Batch mode: write the ranked articles as a TREC run file
    #[arg(long, value_name = "FILE", requires = "queries")]
    run: Option<PathBuf>,
    /// Batch mode: no pseudo-relevance feedback (RM3 is on by default in batch mode)
    #[arg(long, requires = "queries")]
    no_expand: bool,
    #[command(flatten)]
    semantic: SemanticArgs,
    #[command(flatten)]
    remote: super::remote::RemoteArgs,
}

/// How hybrid ranking is chosen (shared by search, eval and serve).
#[derive(clap::Args, Clone)]
pub(super) struct SemanticArgs {
    /// Rank by words only, even when the index has vectors (index --semantic)
    #[arg(long)]
    pub lexical: bool,
    /// The sentence-embedding model's folder [default: $CLINSEARCH_MODEL, else
    /// ~/.cache/clinsearch/models/all-MiniLM-L6-v2]
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// How hybrid ranking fuses the two rankings: rrf, or a lexical weight from 0 to 1
    #[arg(long, value_name = "HOW", hide = true, value_parser = str::parse::<Fusion>)]
    pub fusion: Option<Fusion>,
}

impl SemanticArgs {
    /// Turn on hybrid ranking over the vectors of the indexes searched unless --lexical; a note
    /// on stderr when they have vectors that cannot be used.
    pub(super) fn apply(&self, searcher: &mut Searcher) {
        if self.lexical {
            return;
        }
        if let Some(note) = searcher.open_semantic(self.model.as_deref()) {
            eprintln!("clinsearch: note: {note}");
        }
        if let Some(fusion) = self.fusion {
            searcher.set_fusion(fusion);
        }
    }
}

/// When to colour the output.
#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match (&args.queries, &args.run) {
        (Some(queries), Some(run)) => batch(&args, queries, run),
        _ => interactive(args),
    }
}

/// Every query of a JSON Lines file, ranked as natural language, into a TREC run file.
fn batch(args: &Args, queries: &Path, run: &Path) -> anyhow::Result<ExitCode> {
    let mut dirs = args.index.clone();
    if dirs.is_empty() {
        dirs.push(PathBuf::from(DEFAULT_INDEX));
    }
    let list = read_queries(queries)?;
    let ranking = Ranking {
        expand: !args.no_expand,
        ..Ranking::default()
    };
    let (dirs, urls) = super::remote::split(&dirs);
    let (ranked, scores) = if urls.is_empty() {
        let mut searcher = Searcher::open_all(&dirs)?;
        args.semantic.apply(&mut searcher);
        run_queries(&searcher, &list, args.limit, ranking)?
    } else {
        let mut coordinator = args.remote.open(&dirs, &urls)?;
        args.semantic.apply_remote(&mut coordinator);
        let ranked = run_ranked(&list, |text| {
            let ranked = coordinator.rank_articles(text, args.limit, ranking);
            super::remote::warn(&coordinator);
            ranked
        });
        ranked?
    };
    let file = std::fs::File::create(run).with_context(|| run.display().to_string())?;
    let mut writer = io::BufWriter::new(file);
    write_trec(&mut writer, &list, &ranked, &scores).with_context(|| run.display().to_string())?;
    writer.flush().with_context(|| run.display().to_string())?;
    eprintln!("{} queries, run written to {}", list.len(), run.display());
    Ok(ExitCode::SUCCESS)
}

/// One search over local indexes or remote ones.
type SearchFn = dyn FnMut(&Request) -> anyhow::Result<Results>;

/// One query in query syntax, with filters, printed as text or JSON Lines.
fn interactive(args: Args) -> anyhow::Result<ExitCode> {
    if args.query.is_none()
        && args.year.is_none()
        && args.published.is_none()
        && args.section.is_none()
        && args.author.is_none()
        && args.kind.is_none()
    {
        anyhow::bail!("give a QUERY or a filter (--year, --published, --section, --author, --kind); see `clinsearch search --help`");
    }
    let request = Request {
        query: args.query,
        years: args.year,
        published: args.published,
        section: args.section,
        author: args.author,
        kind: args.kind.unwrap_or_default(),
        limit: args.limit,
        offset: args.offset,
        natural: false,
        snippets: true,
    };
    let filters: Vec<&str> = [
        ("--year", request.years.is_some()),
        ("--published", request.published.is_some()),
        ("--section", request.section.is_some()),
        ("--author", request.author.is_some()),
        ("--kind", args.kind.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    let dirs = super::indexes_or_default(args.index)?;
    let (dirs, urls) = super::remote::split(&dirs);
    let mut search: Box<SearchFn> = if urls.is_empty() {
        let mut searcher = Searcher::open_all(&dirs)?;
        args.semantic.apply(&mut searcher);
        Box::new(move |request| Ok(searcher.search(request)?))
    } else {
        let mut coordinator = args.remote.open(&dirs, &urls)?;
        args.semantic.apply_remote(&mut coordinator);
        Box::new(move |request| {
            let results = coordinator.search(request);
            super::remote::warn(&coordinator);
            Ok(results?)
        })
    };
    let results = search(&request)?;
    if results.hits.is_empty() {
        // Nothing passed the filters: say whether the query alone finds anything.
        let unfiltered = if results.total == 0 && request.query.is_some() && !filters.is_empty() {
            let alone = Request {
                query: request.query.clone(),
                limit: 1,
                ..Request::default()
            };
            Some(search(&alone)?.total)
        } else {
            None
        };
        eprintln!("{}", no_hits(results.total > 0, &filters, unfiltered));
        return Ok(ExitCode::from(1));
    }
    let mut out = io::stdout().lock();
    if args.json {
        write_json(&mut out, &results.hits)?;
    } else {
        let style = match args.color {
            ColorChoice::Always => Style::Color,
            ColorChoice::Never => Style::Plain,
            ColorChoice::Auto
                if io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) =>
            {
                Style::Color
            }
            ColorChoice::Auto => Style::Plain,
        };
        write_hits(&mut out, &results.hits, style)?;
        let plural = if results.total == 1 { "" } else { "s" };
        writeln!(
            out,
            "{} of {} hit{plural}",
            results.hits.len(),
            results.total
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What a search without hits says: "no hits", "no hits on this page" past the last hit, and,
/// when filters kept none of the query's hits, how many the query finds without them (and what
/// `--year` means, since it is the years of cited works, not of the articles).
fn no_hits(past_the_end: bool, filters: &[&str], unfiltered: Option<usize>) -> String {
    if past_the_end {
        return "no hits on this page".to_string();
    }
    let Some(n) = unfiltered.filter(|&n| n > 0) else {
        return "no hits".to_string();
    };
    let (them, it) = if filters.len() == 1 {
        (filters[0].to_string(), "it")
    } else {
        let (last, rest) = filters.split_last().expect("filters were given");
        (format!("{} and {last}", rest.join(", ")), "them")
    };
    let mut message = format!(
        "no hits with {them} ({n} hit{} without {it}",
        if n == 1 { "" } else { "s" }
    );
    if filters.contains(&"--year") {
        message.push_str(
            "; --year keeps passages citing works of those years, --published articles \
             published in them",
        );
    }
    message.push(')');
    message
}

#[cfg(test)]
mod tests {
    use super::no_hits;

    #[test]
    fn no_hits_names_the_filters_that_kept_nothing() {
        assert_eq!(no_hits(false, &[], None), "no hits");
        assert_eq!(no_hits(true, &["--year"], None), "no hits on this page");
        assert_eq!(no_hits(false, &["--section"], Some(0)), "no hits");
        assert_eq!(
            no_hits(false, &["--section"], Some(1)),
            "no hits with --section (1 hit without it)"
        );
        assert_eq!(
            no_hits(false, &["--year", "--section", "--author"], Some(12)),
            "no hits with --year, --section and --author (12 hits without them; --year keeps \
             passages citing works of those years, --published articles published in them)"
        );
    }
}
