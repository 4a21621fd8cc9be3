//! aurora-search: the command line over `aurora-store`. `cli` holds the clap definitions
//! (also used to generate the man page and completions); the other modules run the
//! subcommands.

pub mod cli;
mod filters;
mod index_cmd;
mod output;
mod query_cmd;
mod sources_cmd;

use std::io::ErrorKind;

use aurora_cli::{EXIT_FAILURE, EXIT_OK};
use clap::Parser;

use cli::{Cli, Cmd};

/// Runs the program and returns its exit status: 0 success, 1 finished with rejects,
/// 2 could not run. A closed stdout (`| head`) ends the run quietly with 0.
pub fn main_exit() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
        }
    };
    let result = match (cli.generate, cli.command) {
        (Some(kind), _) => aurora_cli::generate(cli::command(), &kind).map(|_| EXIT_OK),
        (None, Some(Cmd::Index(a))) => index_cmd::run(a),
        (None, Some(Cmd::Query(a))) => query_cmd::run_query(a),
        (None, Some(Cmd::Top(a))) => query_cmd::run_top(a),
        (None, Some(Cmd::Sources(a))) => sources_cmd::run(a),
        (None, None) => {
            let _ = cli::command().print_help();
            return EXIT_FAILURE;
        }
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => EXIT_OK,
        Err(e) => {
            eprintln!("aurora-search: {e:#}");
            EXIT_FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<aurora_store::StoreError>(),
                Some(aurora_store::StoreError::Io { source, .. }) if source.kind() == ErrorKind::BrokenPipe)
    })
}
