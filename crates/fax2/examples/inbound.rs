//! Processes received faxes exactly once with `InboxPoller`, saving each as a PDF.
//!
//! Against the built-in sandbox: `cargo run -p fax2 --example inbound --features sandbox`
//! Against Fax2: set `FAX2_USERNAME` and `FAX2_PASSWORD` (the checkpoint goes to `fax2-inbox.json` in the
//! output directory, default the system temp directory; pass another directory as the first argument).
#![allow(clippy::print_stdout)]
#![allow(deprecated)] // the deprecated type's own module

use bytes::Bytes;
use fax2::{FileCheckpointStore, InboxPoller};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let (client, sandbox) = if std::env::var_os("FAX2_USERNAME").is_some() {
        (fax2::Client::from_env()?, None)
    } else {
        let sandbox = fax2::sandbox::Sandbox::start().await?;
        println!("using the sandbox at {}", sandbox.uri());
        for n in 0..3 {
            sandbox.inject_received(Bytes::from(format!("%PDF-1.4\n% received fax {n}\n%%EOF"))).await;
        }
        (sandbox.client(), Some(sandbox))
    };

    let checkpoint = out.join(if sandbox.is_some() { "fax2-sandbox-inbox.json" } else { "fax2-inbox.json" });
    if sandbox.is_some() {
        // A fresh sandbox has a fresh inbox; forget a checkpoint from an earlier run.
        let _ = std::fs::remove_file(&checkpoint);
    }
    let mut poller = InboxPoller::new(client.clone(), FileCheckpointStore::new(&checkpoint));
    for round in 0..2 {
        let report = poller
            .poll_once(|fax| {
                let (client, out) = (client.clone(), out.clone());
                async move {
                    let file = out.join(format!("fax2-{}.pdf", fax.id));
                    let bytes = client.received_faxes().content(&fax.id).await?.save(&file).await?;
                    println!(
                        "fax {} to +{} at {}: {} pages, {bytes} bytes -> {}",
                        fax.id,
                        fax.to,
                        fax.received_at,
                        fax.pages,
                        file.display()
                    );
                    Ok(())
                }
            })
            .await?;
        println!(
            "poll {round}: {} listed, {} new, {} already handled",
            report.listed, report.delivered, report.skipped
        );
    }
    Ok(())
}
