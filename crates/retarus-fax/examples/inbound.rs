//! Receives faxes from a Fax2WSPull topic with the at-least-once consumer and saves them.
//!
//! Against the sandbox (default): `cargo run -p retarus-fax --example inbound --features sandbox`.
//! Against Retarus: set the `RETARUS_*` variables including `RETARUS_TOPIC` and, in DE or US, `RETARUS_PULL_DATA_CENTER`.
#![allow(clippy::print_stdout)]

use faxkit::FaxNumber;
use retarus_fax::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let (client, _sandbox_guard) = if std::env::var("RETARUS_USERNAME").is_ok() {
        (Client::from_env()?, None)
    } else {
        let sandbox = retarus_fax::sandbox::Sandbox::start().await?;
        let from = FaxNumber::parse("+1 212 555 0100")?;
        sandbox.inject_inbound_to(retarus_fax::sandbox::TOPIC, &from, "%PDF-1.4\n% inbound\n%%EOF\n".into());
        println!("using the sandbox at {} with one injected fax", sandbox.uri());
        (sandbox.client(), Some(sandbox))
    };
    let topic = client.default_topic().unwrap_or(retarus_fax::sandbox::TOPIC).to_owned();
    let dir = std::env::temp_dir();
    let summary = client
        .topic(topic)
        .consumer()
        .stop_when_empty(true)
        .build()
        .run(|delivery| {
            let dir = dir.clone();
            async move {
                for (i, doc) in delivery.documents().iter().enumerate() {
                    let name = doc.file_name().unwrap_or_else(|| format!("{}-{i}.pdf", delivery.id()));
                    let path = dir.join(name.replace(['/', '\\'], "_"));
                    let bytes = delivery.download(i).await?.save(&path).await?;
                    println!(
                        "fax {} from {:?}: {bytes} bytes → {}",
                        delivery.id(),
                        delivery.job().sender_isdn,
                        path.display()
                    );
                }
                Ok::<(), faxkit::Error>(())
            }
        })
        .await?;
    println!("handled {}, failed {}", summary.handled, summary.failed);
    Ok(())
}
