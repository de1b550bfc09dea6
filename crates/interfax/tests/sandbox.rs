//! The sandbox driven end to end: through `FaxService`/`VendorSandbox` and through the typed client.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;
use faxkit::{
    DeliveryStatus, Direction, Document, ErrorKind, FaxId, FaxNumber, InboundQuery, SendRequest, WaitOptions,
};
use futures::TryStreamExt;
use interfax::sandbox::Sandbox;
use interfax::*;

fn pdf(text: &str) -> Document {
    Document::from_bytes(format!("%PDF-1.4 {text}"), format!("{text}.pdf"))
}

fn number() -> FaxNumber {
    FaxNumber::parse("+12125550100").unwrap()
}

#[tokio::test]
async fn fax_service_round_trip() {
    let sandbox = Sandbox::start().await.unwrap();
    let svc = sandbox.service();
    assert_eq!(svc.vendor(), "interfax");

    let req = SendRequest::new(number(), pdf("one")).document(pdf("two")).reference("INV-1");
    let id = svc.send(&req).await.unwrap();
    let sent = sandbox.sent_faxes();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].fax_number, "+12125550100");
    assert_eq!(sent[0].options.get("reference").map(String::as_str), Some("INV-1"));
    let docs: Vec<&[u8]> = sent[0].documents.iter().map(|d| &d.bytes[..]).collect();
    assert_eq!(docs, vec![&b"%PDF-1.4 one"[..], &b"%PDF-1.4 two"[..]]);

    let status = svc.wait(&id, &WaitOptions::new(Duration::from_secs(5), Duration::ZERO)).await.unwrap();
    assert_eq!(status.status, DeliveryStatus::Delivered);
    assert_eq!(status.raw_status, "0");
    assert!(status.completed_at.is_some());

    let image = svc.download(&id, Direction::Outbound).await.unwrap();
    assert_eq!(image.content_type, "image/tiff");

    let pdf_bytes = Bytes::from_static(b"%PDF-1.4 received fax");
    let inbound = sandbox.inject_inbound(&FaxNumber::parse("+442084978672").unwrap(), pdf_bytes.clone()).await;
    let unread = svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].id, inbound);
    assert_eq!(unread[0].acknowledged, Some(false));
    let got = svc.download(&inbound, Direction::Inbound).await.unwrap();
    assert_eq!(got.content_type, "application/pdf");
    assert_eq!(got.bytes(1 << 20).await.unwrap(), pdf_bytes);
    svc.acknowledge(&inbound).await.unwrap();
    assert!(svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap().is_empty());
    assert_eq!(svc.list_inbound(&InboundQuery::default()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn fax_service_errors_and_cancel() {
    let sandbox = Sandbox::start().await.unwrap();
    let wrong = sandbox.service_with_wrong_credentials();
    assert_eq!(wrong.status(&FaxId::new("1")).await.unwrap_err().kind(), ErrorKind::Auth);
    let svc = sandbox.service();
    assert_eq!(svc.status(&FaxId::new("999")).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(svc.status(&FaxId::new("not-a-number")).await.unwrap_err().kind(), ErrorKind::InvalidInput);

    let id = svc.send(&SendRequest::new(number(), pdf("x"))).await.unwrap();
    svc.cancel(&id).await.unwrap();
    let status = svc.status(&id).await.unwrap();
    assert_eq!(status.status, DeliveryStatus::Cancelled);
    // A finished fax cannot be cancelled.
    assert_eq!(svc.cancel(&id).await.unwrap_err().kind(), ErrorKind::Vendor);
    let two = SendRequest::new(number(), pdf("x")).to(FaxNumber::parse("+12125550101").unwrap());
    assert_eq!(svc.send(&two).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn env_points_from_env_at_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = sandbox.env();
    let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("INTERFAX_BASE_URL"), sandbox.uri());
    let client = Client::builder()
        .credentials(get("INTERFAX_USERNAME"), get("INTERFAX_PASSWORD"))
        .base_url(get("INTERFAX_BASE_URL"))
        .build()
        .unwrap();
    assert_eq!(client.accounts().balance().await.unwrap().to_string(), "10.0000");
}

#[tokio::test]
async fn outbound_operations() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let out = client.outbound();
    let id = out
        .send_fax(number(), pdf("a"))
        .page_size(PageSize::Letter)
        .resolution(Resolution::Fine)
        .reference("R1".to_owned())
        .postpone_time(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1))
        .send()
        .await
        .unwrap();
    assert!(id.get() > i64::from(u32::MAX), "sandbox ids are 64-bit");
    let sent = &sandbox.sent_faxes()[0];
    assert!(sent.options["postponeTime"].ends_with("+00:00"));
    assert_eq!(sent.documents[0].content_type.as_deref(), Some("application/pdf"));

    let first = out.get(id).await.unwrap();
    assert_eq!(first.status, FaxStatusCode::SENDING);
    assert_eq!(first.page_size, Some(PageSize::Letter));
    assert_eq!(first.page_resolution, Some(Resolution::Fine));
    assert_eq!(first.destination_fax.as_deref(), Some("0012125550100"));

    let done = out.wait_for_completion([id]).interval(Duration::ZERO).send().await.unwrap();
    assert_eq!(done[0].status, FaxStatusCode::OK);
    assert_eq!(done[0].cost().unwrap().to_string(), "0.150000");

    let again = out.resend(id).fax_number(FaxNumber::parse("+12125550177").unwrap()).send().await.unwrap();
    assert_ne!(again, id);
    assert_eq!(sandbox.sent_faxes()[1].fax_number, "+12125550177");

    let listed: Vec<OutboundFax> = out.list().limit(1).stream().try_collect().await.unwrap();
    assert_eq!(listed.len(), 2);
    let found = out.search().reference("R1").status(StatusFamily::Completed).send().await.unwrap();
    assert_eq!(found.len(), 1);
    let in_process = out.search().status(StatusFamily::InProcess).send().await.unwrap();
    assert_eq!(in_process.iter().map(|f| f.id).collect::<Vec<_>>(), vec![again]);

    out.hide(id).await.unwrap();
    assert_eq!(out.list().send().await.unwrap().len(), 1);

    let img = out.image(id).await.unwrap();
    assert_eq!(ImageFormat::from_content_type(&img.content_type), ImageFormat::Tiff);
}

#[tokio::test]
async fn failures_and_real_error_codes() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let out = client.outbound();

    sandbox.set_next_outcome(FaxStatusCode(3931));
    let id = out.send_fax(number(), pdf("a")).send().await.unwrap();
    out.get(id).await.unwrap();
    let failed = out.get(id).await.unwrap();
    assert_eq!(failed.status.class(), StatusClass::Failed);
    assert!(matches!(faxkit::FaxStatus::from(&failed).status, DeliveryStatus::Failed { .. }));
    sandbox.set_next_outcome(FaxStatusCode::OK);

    sandbox.set_designated_number(Some(&FaxNumber::parse("+12125550199").unwrap()));
    let err = out.send_fax(number(), pdf("a")).send().await.unwrap_err();
    assert_eq!(err.vendor_detail::<ApiError>().unwrap().code, ErrorCode::NOT_DESIGNATED_NUMBER);
    out.send_fax(FaxNumber::parse("+12125550199").unwrap(), pdf("a")).send().await.unwrap();
    sandbox.set_designated_number(None);

    let err = out.get(OutboundFaxId(42)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("-1005"));

    sandbox.fail_next(500, ErrorCode(-150), "Internal System Error");
    let err = client.accounts().balance().await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("-150"));

    sandbox.enforce_poll_limit(true);
    let id = out.send_fax(number(), pdf("b")).send().await.unwrap();
    sandbox.set_status(id, FaxStatusCode(-3));
    sandbox.set_next_outcome(FaxStatusCode::OK);
    for _ in 0..5 {
        out.get(id).await.unwrap();
    }
    out.get(id).await.unwrap();
    let err = out.get(id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
}

#[tokio::test]
async fn documents_sessions_and_large_sends() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let big: Vec<u8> = (0..2_500_000u32).map(|i| (i % 253) as u8).collect();

    // A large local document in a send is uploaded in chunks and referenced.
    let id = client.outbound().send_fax(number(), Document::from_bytes(big.clone(), "big.pdf")).send().await.unwrap();
    let sent = sandbox.sent_faxes().into_iter().find(|f| f.id == id).unwrap();
    assert_eq!(sent.documents[0].bytes, big);
    assert!(sent.documents[0].content_location.as_deref().unwrap().contains("/outbound/documents/"));
    let doc = &sandbox.documents()[0];
    assert_eq!(doc.disposition, "singleUse");
    // A used single-use document answers -1062, as recorded.
    let err = client.documents().get(&doc.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("-1062"));

    // Explicit sessions.
    let docs = client.documents();
    let id = docs
        .upload(Document::from_bytes(big.clone(), "again.pdf"))
        .disposition(Disposition::Permanent)
        .send()
        .await
        .unwrap();
    let status = docs.get(&id).await.unwrap();
    assert_eq!(status.status, Some(DocumentStatus::Ready));
    assert_eq!(status.disposition, Some(Disposition::Permanent));
    assert_eq!(status.uploaded, Some(2_500_000));
    assert_eq!(status.id(), Some(id.clone()));
    let fax1 = client.outbound().send_fax(number(), id.clone()).document(pdf("tail")).send().await.unwrap();
    let fax2 = client.outbound().send_fax(number(), id.clone()).send().await.unwrap();
    assert_ne!(fax1, fax2);
    assert_eq!(docs.list().send().await.unwrap().len(), 2);

    let session = docs.create("manual.pdf", 6).send().await.unwrap();
    assert!(matches!(
        docs.upload_chunk(&session, 0, Bytes::from_static(b"%PDF")).await.unwrap(),
        ChunkOutcome::Accepted { .. }
    ));
    assert_eq!(docs.get(&session).await.unwrap().status, Some(DocumentStatus::PartiallyUploaded));
    assert!(matches!(
        docs.upload_chunk(&session, 4, Bytes::from_static(b"-1")).await.unwrap(),
        ChunkOutcome::Complete { .. }
    ));
    assert_eq!(docs.upload_chunk(&session, 6, Bytes::from_static(b"x")).await.unwrap(), ChunkOutcome::AlreadyComplete);
    docs.cancel(&session).await.unwrap();
    assert_eq!(docs.get(&session).await.unwrap_err().kind(), ErrorKind::NotFound);
    let bad = client.outbound().send_fax(number(), DocumentId::new("nope")).send().await.unwrap_err();
    assert!(bad.to_string().contains("-1062"));
}

#[tokio::test]
async fn batches_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.add_list("customers", &["+12125550101", "+12125550102"]);
    let b = client.batches().send("customers", pdf("news")).reference("spring".to_owned()).send().await.unwrap();
    let record = client.batches().get(b).await.unwrap();
    assert_eq!(record.num_of_transactions, Some(2));
    assert_eq!(record.total_in_process, Some(2));
    let kids: Vec<OutboundFax> = client.batches().children(b).limit(1).stream().try_collect().await.unwrap();
    assert_eq!(kids.len(), 2);
    client.outbound().cancel(kids[0].id).await.unwrap();
    client.batches().cancel(b).await.unwrap();
    let record = client.batches().get(b).await.unwrap();
    assert_eq!(record.total_in_process, Some(0));
    let again = client.batches().resend(b).reference("again".to_owned()).send().await.unwrap();
    assert_eq!(client.batches().get(again).await.unwrap().reference.as_deref(), Some("again"));
    assert_eq!(client.batches().list().send().await.unwrap().len(), 2);
    // Batch children are not in the fax list, but are in search.
    assert!(client.outbound().list().send().await.unwrap().is_empty());
    assert_eq!(client.outbound().search().send().await.unwrap().len(), 4);
    let err = client.batches().send("nobody", pdf("x")).send().await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("-113"));
}

#[tokio::test]
async fn inbound_operations() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let tiff = Bytes::from_static(b"II*\0\x08\0\0\0tiff");
    let id = sandbox.inject_inbound_fax("+442084978672", tiff.clone());
    let inbound = client.inbound();
    let fax = inbound.get(id).await.unwrap();
    assert_eq!(fax.image_status, Some(ImageStatus::Unread));
    let img = inbound.image(id).await.unwrap();
    assert_eq!(ImageFormat::from_content_type(&img.content_type), ImageFormat::Tiff);
    assert_eq!(img.bytes(1024).await.unwrap(), tiff);
    inbound.mark_read(id).await.unwrap();
    assert_eq!(inbound.get(id).await.unwrap().image_status, Some(ImageStatus::Read));
    inbound.mark_unread(id).await.unwrap();
    assert_eq!(inbound.list().unread_only(true).send().await.unwrap().len(), 1);
    inbound.resend(id).email("someone@example.com".to_owned()).send().await.unwrap();
    let emails = inbound.emails(id).await.unwrap();
    assert_eq!(emails.last().unwrap().email_address.as_deref(), Some("someone@example.com"));
    assert_eq!(inbound.get(InboundFaxId(1)).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn accounts_and_helpers() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    sandbox.set_balance("3.8500");
    assert_eq!(client.accounts().balance().await.unwrap(), "3.85".parse().unwrap());
    let err = client.accounts().test_error(-1005).await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("-1005"));
    assert!(client.accounts().error_codes().await.unwrap().text().contains("-1062"));
    assert_eq!(client.accounts().tester(accounts::Tester::Outbound).await.unwrap().status, 200);
}

#[tokio::test]
async fn start_on_a_port() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let sandbox = Sandbox::start_on(port).await.unwrap();
    assert!(sandbox.uri().ends_with(&format!(":{port}")));
}
