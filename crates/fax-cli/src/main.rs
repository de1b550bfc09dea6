//! `fax`: one command line over every faxkit vendor.
//!
//! ```text
//! fax [--provider interfax|westfax|faxcore|fax2|retarus] [--base-url URL] [--json] <command>
//! ```
//!
//! Credentials come from each vendor crate's environment variables (`INTERFAX_USERNAME`, …); `fax demo` needs
//! none: it runs every vendor against its built-in sandbox.
#![deny(missing_docs)]

mod cli;
mod commands;
mod demo;
mod inbox;
mod output;
mod progress;
mod providers;
mod sample;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            output::error_line(&format!("fax: cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error_line(&output::describe(&e));
            ExitCode::from(output::exit_code(&e))
        }
    }
}
