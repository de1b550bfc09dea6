//! Sends a fax and follows it to its final status.
//!
//! `cargo run -p westfax --example send --features sandbox` runs against a local sandbox; with
//! `WESTFAX_USERNAME`, `WESTFAX_PASSWORD` and `WESTFAX_PRODUCT_ID` set it uses WestFax (a real, billed fax:
//! set `WESTFAX_TO`, e.g. the `integrate.westfax.com` test number `5552001111`).
#![allow(clippy::print_stdout)]

use std::time::Duration;

use faxkit::{Document, FaxNumber, FaxService, SendRequest, WaitOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let (_sandbox, client) = match westfax::Client::from_env() {
        Ok(client) => (None, client),
        Err(_) => {
            let sandbox = westfax::sandbox::Sandbox::start().await?;
            let client = sandbox.client();
            (Some(sandbox), client)
        }
    };
    let to = std::env::var("WESTFAX_TO").unwrap_or_else(|_| "+1 555 200 1111".into());
    let pdf = Document::from_bytes(&b"%PDF-1.4\n% hello from faxkit\n%%EOF\n"[..], "hello.pdf");
    let id = client.send(&SendRequest::new(FaxNumber::parse(&to)?, pdf).reference("faxkit example")).await?;
    println!("sent over {}: job {id}", client.transport());
    let status = client.wait(&id, &WaitOptions::new(Duration::from_secs(900), Duration::from_millis(200))).await?;
    println!("{id}: {} ({})", status.status, status.raw_status);
    Ok(())
}
