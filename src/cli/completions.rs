//! `clinsearch completions`: a shell completion script.

use std::io;
use std::process::ExitCode;

/// Print a shell completion script.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  clinsearch completions bash > ~/.local/share/bash-completion/completions/clinsearch\n  clinsearch completions zsh > ~/.zfunc/_clinsearch\n  clinsearch completions fish > ~/.config/fish/completions/clinsearch.fish"
)]
pub struct Args {
    /// The shell
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut command = <super::Cli as clap::CommandFactory>::command();
    clap_complete::generate(args.shell, &mut command, "clinsearch", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}
