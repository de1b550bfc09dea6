//! The benchmark harness run by `cargo xtask bench` (see docs/performance.md).
//!
//! ```text
//! faxkit-bench [--quick] [--only overhead|concurrent|memory|parse]... [--path <memory path>]... [--vendor <crate>]...
//!                                                              run the benchmarks, print and write the report
//! faxkit-bench [--quick] --only inbox                          the inbox engine (target/bench/inbox.md; Postgres
//!                                                              from FAXKIT_TEST_POSTGRES_URL)
//! faxkit-bench case <path> <bytes> <base-url>                  (internal) one memory case in this process
//! faxkit-bench case idle 0 -                                   (internal) the idle baseline
//! ```
//!
//! Everything runs against local servers on 127.0.0.1 (see `server.rs`); nothing leaves the machine.
#![allow(clippy::print_stdout)]

mod clients;
mod data;
mod inbox;
mod measure;
mod report;
mod server;

use std::process::ExitCode;

/// Benchmark sizes and counts.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) quick: bool,
    /// Status calls per client (vendor and bare each).
    pub(crate) calls: usize,
    /// Document sizes of the memory cases, small then large.
    pub(crate) sizes: [u64; 2],
    /// Repetitions of each 1,000-item list.
    pub(crate) list_reps: usize,
    pub(crate) overhead: bool,
    /// The overhead with 8 calls in flight on one client, on a current-thread and a multi-thread runtime.
    pub(crate) concurrent: bool,
    pub(crate) memory: bool,
    pub(crate) parse: bool,
    /// The inbox engine (only when asked for: `--only inbox`).
    pub(crate) inbox: bool,
    /// Only these memory paths (all when empty).
    pub(crate) paths: Vec<String>,
    /// Only these vendors in the overhead, concurrent and parsing sections (all when empty).
    pub(crate) vendors: Vec<String>,
}

const MIB: u64 = 1024 * 1024;

impl Settings {
    fn parse(args: &[String]) -> Result<Settings, String> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut only: Vec<&str> = Vec::new();
        let mut paths = Vec::new();
        let mut vendors = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--quick" => {}
                "--only" => only.push(it.next().ok_or("--only needs overhead, concurrent, memory, parse or inbox")?),
                "--path" => {
                    let name = it.next().ok_or("--path needs a memory path name")?;
                    if clients::Path::parse(name).is_none() {
                        let names: Vec<_> = clients::Path::all().map(clients::Path::name).collect();
                        return Err(format!("unknown path {name:?}; paths: {}", names.join(", ")));
                    }
                    paths.push(name.clone());
                }
                "--vendor" => {
                    let name = it.next().ok_or("--vendor needs a vendor crate name")?;
                    if !server::Vendor::ALL.iter().any(|v| v.name() == name) {
                        let names: Vec<_> = server::Vendor::ALL.iter().map(|v| v.name()).collect();
                        return Err(format!("unknown vendor {name:?}; vendors: {}", names.join(", ")));
                    }
                    vendors.push(name.clone());
                }
                "-h" | "--help" => {
                    return Err(
                        "usage: faxkit-bench [--quick] [--only overhead|concurrent|memory|parse|inbox]... [--path <memory path>]... \
                         [--vendor <crate>]..."
                            .to_owned(),
                    );
                }
                other => return Err(format!("unknown argument {other:?} (try --help)")),
            }
        }
        let wants = |s: &str| only.is_empty() || only.contains(&s);
        Ok(Settings {
            quick,
            calls: if quick { 1000 } else { 10_000 },
            sizes: if quick { [16 * MIB, 32 * MIB] } else { [64 * MIB, 256 * MIB] },
            list_reps: if quick { 5 } else { 25 },
            overhead: wants("overhead"),
            concurrent: wants("concurrent"),
            memory: wants("memory"),
            parse: wants("parse"),
            inbox: only.contains(&"inbox"),
            paths,
            vendors,
        })
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("case") {
        return match measure::child(&args[1..]) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("faxkit-bench case: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let settings = match Settings::parse(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if settings.inbox {
        match inbox::run(&settings) {
            Ok(rows) => {
                let text = inbox::render(&rows);
                println!("{text}");
                if let Ok(path) = report::write_named("inbox.md", &text) {
                    println!("report written to {}", path.display());
                }
            }
            Err(e) => {
                eprintln!("faxkit-bench: inbox: {e}");
                return ExitCode::FAILURE;
            }
        }
        if !(settings.overhead || settings.concurrent || settings.memory || settings.parse) {
            return ExitCode::SUCCESS;
        }
    }
    match measure::run(&settings) {
        Ok(results) => {
            let text = report::render(&settings, &results);
            println!("{text}");
            match report::write(&text) {
                Ok(path) => {
                    println!("report written to {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("faxkit-bench: cannot write the report: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("faxkit-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
