//! Lists received faxes, downloads the newest and marks it read.
//!
//! `cargo run -p westfax --example inbound --features sandbox` injects a fax into a local sandbox first; with
//! the WestFax environment variables set it reads your real inbox.
#![allow(clippy::print_stdout)]

use faxkit::{Direction, FaxNumber, FaxService, InboundQuery};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let (_sandbox, client) = match westfax::Client::from_env() {
        Ok(client) => (None, client),
        Err(_) => {
            let sandbox = westfax::sandbox::Sandbox::start().await?;
            sandbox.inject(&FaxNumber::parse("+1 646 555 0199")?, bytes::Bytes::from_static(b"%PDF-1.4\n%%EOF\n"));
            let client = sandbox.client();
            (Some(sandbox), client)
        }
    };
    let faxes = client.list_inbound(&InboundQuery::default().unread_only(true)).await?;
    println!("{} unread fax(es)", faxes.len());
    if let Some(fax) = faxes.first() {
        let path = std::env::temp_dir().join(format!("{}.pdf", fax.id));
        let bytes = client.download(&fax.id, Direction::Inbound).await?.save(&path).await?;
        println!("{} from {:?}: {bytes} bytes saved to {}", fax.id, fax.from, path.display());
        client.acknowledge(&fax.id).await?;
    }
    Ok(())
}
