//! Project tasks. `cargo xtask <task>`; see `cargo xtask --help`.
#![allow(clippy::print_stdout)]

mod arch;
mod bench;
mod fuzz;
mod package;
mod postgres;
mod test;
mod util;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "faxkit project tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// fmt check, clippy with warnings denied, then every test in the workspace against a throwaway PostgreSQL;
    /// prints `N passed, N failed`.
    Test,
    /// What CI runs: `test`, `arch --check`, docs with warnings denied, builds without default features,
    /// then `package`.
    Ci {
        /// Skip the `test` step (`.ci/run` runs it first on its own).
        #[arg(long)]
        skip_test: bool,
    },
    /// `cargo package --workspace` plus metadata and file-list checks for every publishable crate.
    Package,
    /// Benchmarks against local servers: per-call overhead, peak memory on 64/256 MiB documents, parsing.
    /// Writes `target/bench/report.md`.
    Bench {
        /// Extra arguments for the bench harness (e.g. `--quick`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Shape checks: import circles inside each crate and source files over 600 lines.
    Arch {
        /// Fail when there is any.
        #[arg(long)]
        check: bool,
    },
    /// A throwaway PostgreSQL server on 127.0.0.1 (as `cargo xtask test` starts for the tests).
    Postgres {
        #[command(subcommand)]
        action: PostgresAction,
    },
    /// Run the cargo-fuzz targets in `fuzz/` (needs nightly and cargo-fuzz).
    Fuzz {
        /// Seconds of fuzzing per target (after one build of every target).
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Fuzz only this target (a file name in `fuzz/fuzz_targets/`, without `.rs`).
        #[arg(long)]
        target: Option<String>,
    },
}

#[derive(Subcommand)]
enum PostgresAction {
    /// Start a server (installing Debian's `postgresql` if needed), record it in `target/postgres/current.json`
    /// and print its URL.
    Start {
        /// An empty or new directory for the cluster and its log (default: a fresh one under the system temporary
        /// directory); removed by `stop`.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The port on 127.0.0.1 (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Stop the recorded server and remove its directory.
    Stop,
    /// Print the URL of the recorded server.
    Url,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Test => test::run(),
        Task::Ci { skip_test } => (if skip_test { Ok(()) } else { test::run() })
            .and_then(|()| arch::run(true))
            .and_then(|()| test::docs())
            .and_then(|()| test::no_default_features())
            .and_then(|()| package::run()),
        Task::Package => package::run(),
        Task::Arch { check } => arch::run(check),
        Task::Bench { args } => bench::run(&args),
        Task::Fuzz { seconds, target } => fuzz::run(seconds, target.as_deref()),
        Task::Postgres { action } => match action {
            PostgresAction::Start { dir, port } => postgres::start(dir, port),
            PostgresAction::Stop => postgres::stop(),
            PostgresAction::Url => postgres::url(),
        },
    };
    if let Err(e) = result {
        eprintln!("xtask: {e}");
        std::process::exit(1);
    }
}
