//! The `clinsearch` command line: parses the arguments, runs the subcommand (`cli/`), and maps
//! errors to one line on stderr and an exit code (0 done, 1 no hits, 2 error).

mod cli;

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before any thread starts: it sets an environment variable.
    #[cfg(feature = "semantic")]
    clinsearch::embed::set_thread_counts();
    // A panic is a bug: say so in one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let message = clinsearch::error::panic_message(info.payload());
        let place = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        eprintln!("clinsearch: internal error{place}: {message} (a bug: please report it)");
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            eprintln!("clinsearch: error: {}", one_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        // Already reported by the panic hook.
        Err(e) if matches!(e.downcast_ref(), Some(clinsearch::Error::Internal(_))) => {
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("clinsearch: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A clap error in one line: its message and the possible values, without the usage and the
/// pointer to `--help` that follow a blank line.
fn one_line(rendered: &str) -> String {
    let message = rendered.trim_start().trim_start_matches("error: ");
    let lines: Vec<&str> = message
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    lines.join(" ")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
