//! Sends a fax and follows its status report.
//!
//! Against the sandbox (default): `cargo run -p retarus-fax --example send --features sandbox`.
//! Against Retarus: set `RETARUS_USERNAME`, `RETARUS_PASSWORD`, `RETARUS_CUSTOMER_NUMBER`, `RETARUS_REGION`
//! and pass the number and a PDF: `… --example send -- +4989123456 invoice.pdf`.
#![allow(clippy::print_stdout)]

use std::time::Duration;

use faxkit::{Document, FaxNumber};
use retarus_fax::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (client, sandbox_guard) = if std::env::var("RETARUS_USERNAME").is_ok() {
        (Client::from_env()?, None)
    } else {
        let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
        println!("using the sandbox at {}", sandbox.uri());
        (sandbox.client(), Some(sandbox))
    };
    let to = FaxNumber::parse(args.first().map_or("+49 89 1234567", String::as_str))?;
    let document = match args.get(1) {
        Some(path) => Document::from_path(path),
        None => Document::from_bytes(&b"%PDF-1.4\n% a tiny test document\n%%EOF\n"[..], "hello.pdf"),
    };
    let job = client.jobs().send(&to).document(document).send().await?;
    println!("sent: job {}", job.job_id);
    for _ in 0..60 {
        match client.reports().get(&job.job_id).await {
            Ok(report) => {
                println!(
                    "status: {} (in {:?})",
                    report.delivery_status(),
                    report.data_center.as_ref().map(ToString::to_string)
                );
                if report.is_final() {
                    return Ok(());
                }
            }
            Err(e) if e.kind() == faxkit::ErrorKind::NotFound => println!("no report yet"),
            Err(e) => return Err(e),
        }
        tokio::time::sleep(Duration::from_millis(if sandbox_guard.is_some() { 10 } else { 10_000 })).await;
    }
    Ok(())
}
