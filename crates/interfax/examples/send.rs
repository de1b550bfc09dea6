//! Sends a fax and waits for it to complete.
//!
//! Runs against the sandbox by default; against InterFAX when `INTERFAX_USERNAME` and `INTERFAX_PASSWORD` are
//! set (then the first argument is the destination number and the second a file to fax).
//!
//! ```sh
//! cargo run -p interfax --example send --features sandbox
//! INTERFAX_USERNAME=… INTERFAX_PASSWORD=… cargo run -p interfax --example send --features sandbox -- +12125550100 invoice.pdf
//! ```
#![allow(clippy::print_stdout)]

use std::time::Duration;

use interfax::sandbox::Sandbox;
use interfax::{Client, Document, FaxNumber, PageSize, Resolution};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let real = std::env::var("INTERFAX_USERNAME").is_ok();
    // Keep the sandbox alive for the whole run when there are no credentials.
    let sandbox = if real { None } else { Some(Sandbox::start().await?) };
    let client = match &sandbox {
        Some(s) => {
            println!("no INTERFAX_USERNAME: using the sandbox at {}", s.uri());
            s.client()
        }
        None => Client::from_env()?,
    };
    let to = FaxNumber::parse(args.first().map_or("+12125550100", String::as_str))?;
    let document = match args.get(1) {
        Some(path) => Document::from_path(path),
        None => Document::from_bytes("%PDF-1.4\n% a tiny document\n", "hello.pdf"),
    };

    let balance = client.accounts().balance().await?;
    println!("balance: {balance}");
    let id = client
        .outbound()
        .send_fax(to, document)
        .page_size(PageSize::A4)
        .resolution(Resolution::Standard)
        .reference("faxkit example")
        .send()
        .await?;
    println!("sent: fax {id}");

    let interval = if real { Duration::from_secs(10) } else { Duration::ZERO };
    let done = client.outbound().wait_for_completion([id]).interval(interval).send().await?;
    for fax in done {
        let meaning = fax.status.meaning().unwrap_or("see the InterFAX status codes");
        println!("fax {}: status {} ({:?}: {meaning}), cost {:?}", fax.id, fax.status, fax.status.class(), fax.cost());
    }
    Ok(())
}
