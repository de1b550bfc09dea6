//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// One command line over every faxkit vendor.
#[derive(Debug, Parser)]
#[command(name = "fax", version, about, long_about = None)]
pub(crate) struct Cli {
    /// The fax vendor to talk to; several, comma-separated (`interfax,westfax`), fail over in that order: a
    /// send moves to the next only when the previous certainly did not take it (see faxkit::Failover).
    #[arg(
        long,
        short,
        global = true,
        env = "FAX_PROVIDER",
        value_enum,
        value_delimiter = ',',
        default_value = "interfax"
    )]
    pub(crate) provider: Vec<Provider>,
    /// Use this base URL instead of the vendor's (a sandbox from `fax sandbox`, a proxy, a regional host).
    #[arg(long, global = true)]
    pub(crate) base_url: Option<String>,
    /// WestFax transport: rest, rest-xml, rpc-json, rpc-xml, soap, soap12, soap-object.
    #[arg(long, global = true, env = "WESTFAX_TRANSPORT")]
    pub(crate) transport: Option<String>,
    /// Print one JSON value per command, for scripts.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The vendors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Provider {
    /// InterFAX (interfax crate).
    Interfax,
    /// WestFax (westfax crate).
    Westfax,
    /// FaxCore (faxcore crate).
    Faxcore,
    /// Fax2 (fax2 crate).
    Fax2,
    /// Retarus (retarus-fax crate).
    Retarus,
}

impl Provider {
    /// Every provider, in table order.
    pub(crate) const ALL: [Provider; 5] =
        [Provider::Interfax, Provider::Westfax, Provider::Faxcore, Provider::Fax2, Provider::Retarus];

    /// The name used on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Provider::Interfax => "interfax",
            Provider::Westfax => "westfax",
            Provider::Faxcore => "faxcore",
            Provider::Fax2 => "fax2",
            Provider::Retarus => "retarus",
        }
    }
}

/// `fax inbox …`: the durable inbox engine over the chosen vendor.
#[derive(Debug, Subcommand)]
pub(crate) enum InboxAction {
    /// Hand every received fax over once (to a directory or a command), acknowledging each at the vendor only
    /// after; runs until SIGINT or SIGTERM.
    Watch(WatchArgs),
    /// List faxes that failed too often and wait for `fax inbox retry`.
    DeadLetters {
        /// The store (default: a SQLite file in the platform data directory).
        #[arg(long, env = "FAX_STORE")]
        store: Option<String>,
    },
    /// Put a dead letter back in line.
    Retry {
        /// The fax's key as `fax inbox dead-letters` prints it (`interfax:123`).
        key: String,
        /// The store (default: a SQLite file in the platform data directory).
        #[arg(long, env = "FAX_STORE")]
        store: Option<String>,
    },
}

/// `fax inbox watch` options.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("sink").required(true).args(["out", "exec"]))]
pub(crate) struct WatchArgs {
    /// The store: `sqlite:PATH`, `postgres://…`, `file:PATH`, `memory:` (default: a SQLite file in the platform data
    /// directory, printed at start).
    #[arg(long, env = "FAX_STORE")]
    pub(crate) store: Option<String>,
    /// Write each fax to `DIR/<key>.pdf` (temp file, fsync, rename, directory fsync).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Run `sh -c CMD` per fax with FAX_KEY, FAX_ID, FAX_FILE, FAX_FROM, FAX_ATTEMPT, FAX_PROVIDER set; exit
    /// status 0 hands the fax over. FAX_KEY is stable across retries: use it to make the effect happen once.
    #[arg(long, value_name = "CMD")]
    pub(crate) exec: Option<String>,
    /// Faxes handed over at once.
    #[arg(long, default_value_t = 4)]
    pub(crate) concurrency: usize,
    /// Seconds a claim holds without renewal (renewed every third).
    #[arg(long, default_value_t = 60.0)]
    pub(crate) lease: f64,
    /// Seconds between polls when nothing is waiting.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) poll_interval: f64,
    /// Claims of one fax before it becomes a dead letter.
    #[arg(long, default_value_t = 5)]
    pub(crate) max_attempts: u32,
    /// Seconds of back-off after a first failure (doubling per attempt).
    #[arg(long, default_value_t = 2.0)]
    pub(crate) backoff: f64,
    /// This worker's name in leases (default: host, pid and a nonce).
    #[arg(long)]
    pub(crate) owner: Option<String>,
    /// Stop after this many seconds without new faxes (default: run until a signal).
    #[arg(long)]
    pub(crate) idle_exit: Option<f64>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Send a fax to one or more numbers (one result line per recipient).
    Send {
        /// Recipient number (+CC…); repeat for several.
        #[arg(long = "to", required = true)]
        to: Vec<String>,
        /// Document to send; repeat for several (sent in order as one fax).
        #[arg(long = "file", required = true)]
        file: Vec<PathBuf>,
        /// The send's idempotency key (default: `fax-` and the FNV-1a 64-bit hash of the recipients and the
        /// documents' bytes, in hex, so the same command gives the same key).
        #[arg(long)]
        idempotency_key: Option<String>,
        /// Record the send in this ledger (`sqlite:PATH`, `postgres://…`, `file:PATH`): the intent before the
        /// request, the fax id after it; a key already sent prints its recorded id without sending, and what a
        /// killed run left open is reconciled with the vendor first. Several recipients get one entry each
        /// (`KEY#1`, `KEY#2`, …).
        #[arg(long, env = "FAX_STORE")]
        store: Option<String>,
        /// With --store: seconds an unfinished intent holds before another run may reconcile it.
        #[arg(long, default_value_t = 600.0)]
        intent_lease: f64,
        /// Wait until the fax reaches a final status.
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// Show the status of an outbound fax.
    Status {
        /// The fax id.
        id: String,
    },
    /// Wait until an outbound fax reaches a final status.
    Wait {
        /// The fax id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
        /// Seconds between two status reads.
        #[arg(long, default_value_t = 10)]
        interval: u64,
    },
    /// Cancel an outbound fax that has not been sent yet.
    Cancel {
        /// The fax id.
        id: String,
    },
    /// List received faxes; `inbox watch` hands every one over durably, once.
    #[command(args_conflicts_with_subcommands = true)]
    Inbox {
        /// The durable inbox: watch, dead letters, retry.
        #[command(subcommand)]
        action: Option<InboxAction>,
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
        /// Only faxes not yet acknowledged.
        #[arg(long)]
        unread: bool,
    },
    /// List the send ledger: key, vendor, fax id, state.
    Sends {
        /// The store (default: a SQLite file in the platform data directory).
        #[arg(long, env = "FAX_STORE")]
        store: Option<String>,
    },
    /// Download a fax image.
    Download {
        /// The fax id.
        id: String,
        /// A received fax (the default).
        #[arg(long, conflicts_with = "outbound")]
        inbound: bool,
        /// A sent fax.
        #[arg(long)]
        outbound: bool,
        /// Where to write it (default: `<id>.<ext>` in the current directory).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Acknowledge a received fax (mark read / downloaded / ack, as the vendor calls it).
    Ack {
        /// The fax id.
        id: String,
    },
    /// Serve a vendor's sandbox on a local port and print its base URL.
    Sandbox {
        /// The vendor to simulate.
        #[arg(value_enum)]
        vendor: Provider,
        /// The port (default: a free one).
        #[arg(long)]
        port: Option<u16>,
        /// Received faxes to put in the inbox at start (distinct sample PDFs). More can be posted to
        /// `/__sandbox/inbound` while it runs.
        #[arg(long, value_name = "N", default_value_t = 0)]
        inbound: usize,
    },
    /// Start every sandbox in-process and run send → wait → inbox → download → ack for each vendor.
    Demo,
}
