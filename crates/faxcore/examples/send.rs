//! Sends a fax and follows it to a final status.
//!
//! Against the built-in sandbox: `cargo run -p faxcore --example send --features sandbox`.
//! Against FaxCore: set `FAXCORE_USERNAME` and `FAXCORE_PASSWORD` (and optionally `FAXCORE_BASE_URL`), then
//! `cargo run -p faxcore --example send --features sandbox -- +12125550100 invoice.pdf`.
#![allow(clippy::print_stdout)]

use std::time::Duration;

use faxkit::{Document, FaxNumber};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let mut args = std::env::args().skip(1);
    let to = FaxNumber::parse(&args.next().unwrap_or_else(|| "+12125550100".to_owned()))?;
    let document = match args.next() {
        Some(path) => Document::from_path(path),
        None => Document::from_bytes(&b"%PDF-1.4\n% a one-line example document\n"[..], "example.pdf"),
    };

    // The real service when credentials are set, the sandbox otherwise.
    let _sandbox;
    let mut poll = Duration::from_millis(10);
    let client = if std::env::var_os(faxcore::ENV_USERNAME).is_some() {
        poll = Duration::from_secs(10);
        faxcore::Client::from_env()?
    } else {
        let sandbox = faxcore::sandbox::Sandbox::start().await?;
        println!("no {} set: using the sandbox at {}", faxcore::ENV_USERNAME, sandbox.uri());
        let client = sandbox.client();
        _sandbox = sandbox;
        client
    };

    let id = client.send_fax(to, document).subject("faxcore example").send().await?;
    println!("queued fax {id}");
    loop {
        let details = client.get_fax_details(id).await?;
        println!(
            "{}: {} ({} of {} pages)",
            id,
            details.status.as_ref().map_or("(no status)", |s| s.as_str()),
            details.page_delivered.unwrap_or(0),
            details.page_count.unwrap_or(0)
        );
        if details.status.as_ref().is_some_and(|s| s.delivery_status().is_final()) {
            break;
        }
        tokio::time::sleep(poll).await;
    }
    Ok(())
}
