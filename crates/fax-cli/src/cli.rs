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
    /// List received faxes.
    Inbox {
        /// At most this many.
        #[arg(long)]
        limit: Option<u32>,
        /// Only faxes not yet acknowledged.
        #[arg(long)]
        unread: bool,
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
    },
    /// Start every sandbox in-process and run send → wait → inbox → download → ack for each vendor.
    Demo,
}
