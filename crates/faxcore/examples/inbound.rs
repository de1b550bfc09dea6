//! Lists new received faxes, downloads each as PDF into the system's temporary directory.
//!
//! Against the built-in sandbox (which receives one fax first):
//! `cargo run -p faxcore --example inbound --features sandbox`.
//! Against FaxCore: set `FAXCORE_USERNAME` and `FAXCORE_PASSWORD` (and optionally `FAXCORE_BASE_URL`).
#![allow(clippy::print_stdout)]

use faxcore::{FileType, Folder};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let _sandbox;
    let client = if std::env::var_os(faxcore::ENV_USERNAME).is_some() {
        faxcore::Client::from_env()?
    } else {
        let sandbox = faxcore::sandbox::Sandbox::start().await?;
        let from = faxkit::FaxNumber::parse("+44 20 8497 8672")?;
        sandbox.inject_inbound_fax(&from, bytes::Bytes::from_static(b"%PDF-1.4\n% a received fax\n"));
        println!("no {} set: using the sandbox at {}", faxcore::ENV_USERNAME, sandbox.uri());
        let client = sandbox.client();
        _sandbox = sandbox;
        client
    };

    // Downloading marks a fax downloaded, so the next run lists only faxes that arrived since.
    for id in client.get_fax_list(Folder::Inbox).hide_downloaded(true).send().await? {
        let details = client.get_fax_details(id).await?;
        let path = std::env::temp_dir().join(format!("fax-{id}.pdf"));
        let bytes = client.download_fax(id, FileType::Pdf).await?.save(&path).await?;
        let received = details.created_date.map(|t| t.utc.to_string()).unwrap_or_default();
        println!("{id} from {} at {received}: {bytes} bytes -> {}", details.fax_number, path.display());
    }
    Ok(())
}
