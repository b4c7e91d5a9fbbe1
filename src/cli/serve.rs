//! `clinsearch serve`: the search page and its JSON API.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clinsearch::search::Searcher;

/// Serve a search page and a JSON API on this machine.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch serve\n  clinsearch serve --addr 127.0.0.1:8080 --open\n\nAPI: GET /api/search?q=NMDA&year=2015..2019&section=&author=&kind=passage&limit=10&offset=0\nreturns {total, offset, hits, facets: {years}, timings}; bad parameters get HTTP 400 with\n{\"error\": ...}. GET /api/stats returns what `clinsearch stats --json` prints. The index\nis re-read after each `clinsearch index` run, without a restart. Stop with Ctrl-C.\n\nAs a remote index for `search --index http://HOST:PORT`: other machines reach it only with\n--public and a token (--token or CLINSEARCH_TOKEN), which clients send the same way."
)]
pub struct Args {
    /// Address to listen on (loopback by default: the page is for this machine)
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: String,
    /// Index directory [default: index, built from corpus/ when missing]; give it more than
    /// once to search several indexes as one
    #[arg(long, value_name = "DIR")]
    index: Vec<PathBuf>,
    /// Open the page in the default browser
    #[arg(long)]
    open: bool,
    /// Allow an --addr other than loopback (other machines can then search the index); needs a
    /// token
    #[arg(long)]
    public: bool,
    /// Token every API request must carry [default: $CLINSEARCH_TOKEN]; required with --public
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    #[command(flatten)]
    semantic: super::search::SemanticArgs,
}

/// Bind, say where, serve until Ctrl-C.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let token = super::remote::token(args.token.clone());
    check_exposure(&args.addr, args.public, token.is_some())?;
    let dirs = super::indexes_or_default(args.index)?;
    let mut searcher = Searcher::open_all(&dirs)?;
    // The model loads once here, not per request.
    args.semantic.apply(&mut searcher);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let addr = &args.addr;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let url = format!("http://{}/", listener.local_addr()?);
        eprintln!(
            "clinsearch: serving {} at {url} (Ctrl-C stops)",
            super::shown(&dirs)
        );
        if args.open {
            if let Err(e) = std::process::Command::new("xdg-open").arg(&url).spawn() {
                eprintln!("clinsearch: cannot open a browser ({e}); open {url} yourself");
            }
        }
        clinsearch::serve::serve(
            listener,
            clinsearch::serve::router_with_token(searcher, token.as_deref()),
        )
        .await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Refuse to listen beyond loopback without --public, and with --public without a token.
fn check_exposure(addr: &str, public: bool, token: bool) -> anyhow::Result<()> {
    use std::net::ToSocketAddrs;
    let addrs: Vec<std::net::SocketAddr> = addr
        .to_socket_addrs()
        .with_context(|| format!("cannot read the address {addr}"))?
        .collect();
    let loopback = !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback());
    if !loopback && !public {
        anyhow::bail!("{addr} is reachable from other machines: add --public (and a token, --token or CLINSEARCH_TOKEN) to serve the index there");
    }
    if !loopback && !token {
        anyhow::bail!(
            "--public needs a token (--token or CLINSEARCH_TOKEN) that clients must send"
        );
    }
    Ok(())
}
