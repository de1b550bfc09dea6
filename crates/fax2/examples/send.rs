//! Sends a fax and follows its status.
//!
//! Against the built-in sandbox: `cargo run -p fax2 --example send --features sandbox`
//! Against Fax2: set `FAX2_USERNAME` and `FAX2_PASSWORD`, then
//! `cargo run -p fax2 --example send --features sandbox -- +61281234567 invoice.pdf`
#![allow(clippy::print_stdout)]

use std::time::Duration;

use faxkit::{Document, FaxNumber};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let to = FaxNumber::parse(&args.next().unwrap_or_else(|| "+61 2 8123 4567".to_owned()))?;
    let document = match args.next() {
        Some(path) => Document::from_path(path),
        None => Document::from_bytes(&b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF"[..], "hello.pdf"),
    };

    // Real Fax2 when credentials are in the environment, the sandbox otherwise.
    let (client, _sandbox) = if std::env::var_os("FAX2_USERNAME").is_some() {
        (fax2::Client::from_env()?, None)
    } else {
        let sandbox = fax2::sandbox::Sandbox::start().await?;
        println!("using the sandbox at {}", sandbox.uri());
        (sandbox.client(), Some(sandbox))
    };

    let uploaded = client.upload_document(document).send().await?;
    println!("uploaded {} ({} pages)", uploaded.document_id, uploaded.pages);
    let fax = client.send_fax(to, [uploaded.document_id]).send().await?;
    println!("queued fax {} ({} pages)", fax.id, fax.pages);
    loop {
        let status = client.sent_faxes().get(&fax.id).await?;
        println!("status: {} (attempts {})", status.status, status.send_attempts);
        if status.is_final() {
            if let Some(reason) = status.reason {
                println!("reason: {reason}");
            }
            break;
        }
        let pause = if _sandbox.is_some() { Duration::from_millis(10) } else { Duration::from_secs(15) };
        tokio::time::sleep(pause).await;
    }
    Ok(())
}
