//! Lists unread received faxes, saves their images and marks them read.
//!
//! Runs against the sandbox (with one injected fax) by default; against InterFAX when `INTERFAX_USERNAME` and
//! `INTERFAX_PASSWORD` are set.
//!
//! ```sh
//! cargo run -p interfax --example inbound --features sandbox
//! ```
#![allow(clippy::print_stdout)]

use futures::TryStreamExt;
use interfax::sandbox::Sandbox;
use interfax::{Client, ImageFormat};

#[tokio::main(flavor = "current_thread")]
async fn main() -> faxkit::Result<()> {
    let sandbox = if std::env::var("INTERFAX_USERNAME").is_ok() { None } else { Some(Sandbox::start().await?) };
    let client = match &sandbox {
        Some(s) => {
            println!("no INTERFAX_USERNAME: using the sandbox at {}", s.uri());
            s.inject_inbound_fax("+442084978672", bytes::Bytes::from_static(b"%PDF-1.4\n% a received fax\n"));
            s.client()
        }
        None => Client::from_env()?,
    };
    let dir = std::env::temp_dir();
    let unread: Vec<_> = client.inbound().list().unread_only(true).limit(25).stream().try_collect().await?;
    println!("{} unread fax(es)", unread.len());
    for fax in unread {
        let image = client.inbound().image(fax.message_id).await?;
        let format = ImageFormat::from_content_type(&image.content_type);
        let path = dir.join(format!("interfax-{}.{}", fax.message_id, format.extension().unwrap_or("bin")));
        let bytes = image.save(&path).await?;
        println!(
            "fax {} from {:?} on {:?}: {} page(s), {bytes} bytes saved to {}",
            fax.message_id,
            fax.remote_csid,
            fax.phone_number,
            fax.pages.unwrap_or(0),
            path.display()
        );
        for email in client.inbound().emails(fax.message_id).await? {
            println!("  forwarded to {:?} (status {:?})", email.email_address, email.message_status);
        }
        client.inbound().mark_read(fax.message_id).await?;
    }
    Ok(())
}
