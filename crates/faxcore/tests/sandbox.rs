//! The sandbox: the cross-vendor flow through `FaxService`, the typed client against it, its switches.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use faxcore::sandbox::Sandbox;
use faxcore::{FaxCoreStatus, FileType, Folder};
use faxkit::sandbox::VendorSandbox;
use faxkit::{DeliveryStatus, Direction, Document, ErrorKind, FaxNumber, InboundQuery, SendRequest, WaitOptions};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n2 0 obj <</Type /Page>> endobj\n%%EOF\n";

fn us() -> FaxNumber {
    FaxNumber::parse("+1 212 555 0100").unwrap()
}

#[tokio::test]
async fn the_cross_vendor_flow_through_fax_service() {
    let sandbox = Sandbox::start().await.unwrap();
    let svc = VendorSandbox::service(&sandbox);
    assert_eq!(svc.vendor(), "faxcore");

    let id = svc.send(&SendRequest::new(us(), Document::from_bytes(PDF, "a.pdf")).subject("Hi")).await.unwrap();
    let first = svc.status(&id).await.unwrap();
    assert_eq!((first.status.clone(), first.raw_status.as_str()), (DeliveryStatus::Queued, "In Queue"));
    let done = svc.wait(&id, &WaitOptions::new(Duration::from_secs(5), Duration::from_millis(1))).await.unwrap();
    assert_eq!(done.status, DeliveryStatus::Delivered);
    assert_eq!((done.pages, done.to.as_deref()), (Some(2), Some("12125550100")));
    assert!(done.submitted_at.is_some() && done.completed_at.is_some());

    let inbound = Bytes::from_static(b"%PDF-1.7 received");
    let from = FaxNumber::parse("+44 20 8497 8672").unwrap();
    let in_id = sandbox.inject_inbound(&from, inbound.clone()).await;
    let list = svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].id.clone(), list[0].from.as_deref()), (in_id.clone(), Some("442084978672")));
    let bytes = svc.download(&in_id, Direction::Inbound).await.unwrap().bytes(1 << 20).await.unwrap();
    assert_eq!(bytes, inbound);
    // Downloaded faxes are hidden from the unread list; acknowledge changes nothing and deletes nothing.
    assert!(svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap().is_empty());
    assert_eq!(svc.list_inbound(&InboundQuery::default()).await.unwrap().len(), 1);
    svc.acknowledge(&in_id).await.unwrap();
    assert_eq!(svc.list_inbound(&InboundQuery::default()).await.unwrap().len(), 1);
    assert_eq!(sandbox.folder(in_id.as_str().parse().unwrap()), Some(Folder::Inbox));

    // Errors.
    let wrong = sandbox.service_with_wrong_credentials();
    assert_eq!(wrong.status(&id).await.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(svc.status(&faxkit::FaxId::new("999")).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(svc.status(&faxkit::FaxId::new("no-such-fax")).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(svc.cancel(&id).await.unwrap_err().kind(), ErrorKind::Unsupported);
    let two = SendRequest::new(us(), Document::from_bytes(PDF, "a.pdf")).document(Document::from_bytes(PDF, "b.pdf"));
    assert_eq!(svc.send(&two).await.unwrap_err().kind(), ErrorKind::Unsupported);
    assert_eq!(sandbox.sent_faxes().len(), 1);
}

#[tokio::test]
async fn the_typed_client_against_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let id = client
        .send_fax(us(), Document::from_bytes("Hello FaxCore", "note.txt"))
        .sender_name("Ann")
        .sender_company("Example Co")
        .subject("Greetings")
        .notes("see attached")
        .recipient_name("Bob")
        .send()
        .await
        .unwrap();
    let sent = &sandbox.sent_faxes()[0];
    assert_eq!(
        (sent.id, sent.recpfax.as_str(), sent.recpname.as_str(), sent.sendername.as_str(), sent.sendercompany.as_str()),
        (id, "12125550100", "Bob", "Ann", "Example Co")
    );
    assert_eq!(
        (sent.subject.as_str(), sent.notes.as_str(), sent.filename.as_str()),
        ("Greetings", "see attached", "note.txt")
    );
    assert_eq!(sent.content_type, "application/x-www-form-urlencoded");
    assert_eq!(sent.document, Bytes::from_static(b"Hello FaxCore"));

    assert_eq!(client.get_fax_list(Folder::Outbox).send().await.unwrap(), vec![id]);
    assert_eq!(client.fax_status(id).await.unwrap(), FaxCoreStatus::InQueue);
    let details = client.get_fax_details(id).await.unwrap();
    assert_eq!((details.status, details.subject.as_str()), (Some(FaxCoreStatus::Completed), "Greetings"));
    assert_eq!(client.get_fax_list(Folder::Sent).send().await.unwrap(), vec![id]);
    assert!(client.get_fax_list(Folder::Outbox).send().await.unwrap().is_empty());
    // A text document renders as a stand-in PDF or TIFF.
    let pdf = client.download_fax(id, FileType::Pdf).await.unwrap();
    assert_eq!(pdf.content_type, "application/pdf");
    let tif = client.download_fax(id, FileType::Tif).await.unwrap();
    assert_eq!(tif.content_type, "image/tiff");
    assert!(tif.bytes(1 << 20).await.unwrap().starts_with(b"II*\0"));
    assert_eq!(sandbox.is_downloaded(id), Some(true));
    assert!(client.get_fax_list(Folder::Sent).hide_downloaded(true).send().await.unwrap().is_empty());
    client.delete_fax(id).await.unwrap();
    assert_eq!(sandbox.folder(id), Some(Folder::Trash));
    client.delete_fax(id).await.unwrap();
    assert_eq!(client.delete_fax(id).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn switches_fail_hold_and_set_status() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let doc = || Document::from_bytes(PDF, "a.pdf");
    sandbox.fail_next_send();
    let failed = client.send_fax(us(), doc()).send().await.unwrap();
    client.fax_status(failed).await.unwrap();
    assert_eq!(client.fax_status(failed).await.unwrap(), FaxCoreStatus::Failed);
    assert_eq!(client.get_fax_list(Folder::Failed).send().await.unwrap(), vec![failed]);

    sandbox.hold_queue(true);
    let held = client.send_fax(us(), doc()).send().await.unwrap();
    for _ in 0..3 {
        assert_eq!(client.fax_status(held).await.unwrap(), FaxCoreStatus::InQueue);
    }
    assert!(sandbox.set_status(held, FaxCoreStatus::Cancelled));
    assert_eq!(client.get_fax_list(Folder::Cancelled).send().await.unwrap(), vec![held]);
    assert_eq!(faxkit::FaxService::status(&client, &held.into()).await.unwrap().status, DeliveryStatus::Cancelled);
}

#[tokio::test]
async fn the_sandbox_refuses_what_faxcore_would() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = sandbox.uri();
    let get = |url: String| http.get(url).basic_auth(Sandbox::USERNAME, Some(Sandbox::PASSWORD)).send();
    assert_eq!(http.get(format!("{base}FaxStatus?faxid=1")).send().await.unwrap().status(), 401);
    assert_eq!(get(format!("{base}FaxStatus?faxid=abc")).await.unwrap().status(), 400);
    assert_eq!(get(format!("{base}GetFaxList?folder=Nowhere&hidedownloaded=false")).await.unwrap().status(), 400);
    assert_eq!(get(format!("{base}SendFax?recpfax=12125550100&filename=a.pdf")).await.unwrap().status(), 405);
    assert_eq!(get(format!("{base}Unknown")).await.unwrap().status(), 404);
    assert_eq!(get(format!("{base}DownloadFax?faxid=1&filetype=DOC")).await.unwrap().status(), 400);
    let post = |q: &str| {
        http.post(format!("{base}SendFax?{q}"))
            .basic_auth(Sandbox::USERNAME, Some(Sandbox::PASSWORD))
            .body("%PDF-1.4")
            .send()
    };
    assert_eq!(post("recpfax=12&filename=a.pdf").await.unwrap().status(), 400);
    assert_eq!(post("recpfax=12125550100&filename=a.ps").await.unwrap().status(), 400);
    let ok = post("recpfax=12125550100&filename=a.pdf").await.unwrap();
    assert_eq!(ok.status(), 200);
    let body = ok.text().await.unwrap();
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ApiResponse><SendFax><Results>"), "{body}");
}

/// Runs in a child process with the sandbox's environment (the parent cannot set variables: no unsafe).
#[tokio::test]
#[ignore = "run by from_env_reaches_the_sandbox in a child process"]
async fn from_env_child() {
    let client = faxcore::Client::from_env().unwrap();
    assert_eq!(client.base_url().as_str(), std::env::var("FAXCORE_BASE_URL").unwrap());
    assert_eq!(client.username(), Sandbox::USERNAME);
    assert!(client.get_fax_list(Folder::Inbox).send().await.unwrap().is_empty());
    assert!(!format!("{client:?}").contains(Sandbox::PASSWORD));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_env_reaches_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let exe = std::env::current_exe().unwrap();
    let env = sandbox.env();
    assert_eq!(
        env.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["FAXCORE_USERNAME", "FAXCORE_PASSWORD", "FAXCORE_BASE_URL"]
    );
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(exe)
            .args(["--exact", "from_env_child", "--ignored", "--test-threads=1"])
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && text.contains("1 passed"),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!format!("{sandbox:?}").contains(Sandbox::PASSWORD));
}

#[tokio::test]
async fn start_on_a_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sandbox = Sandbox::start_on(port).await.unwrap();
    assert_eq!(sandbox.uri(), format!("http://127.0.0.1:{port}/api/"));
}
