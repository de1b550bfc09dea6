#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The sandbox through the neutral interface and through the typed client: fan-out, outages, locks.

use std::time::Duration;

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;
use faxkit::{Direction, Document, ErrorKind, FaxId, FaxNumber, InboundQuery, SendRequest, WaitOptions};
use retarus_fax::model::jobs::FaxRecipient;
use retarus_fax::sandbox::{self, Sandbox};
use retarus_fax::{ApiErrorCode, Client};

fn pdf(text: &str) -> Bytes {
    Bytes::from(format!("%PDF-1.4\n{text}\n%%EOF\n"))
}

#[tokio::test]
async fn neutral_flow_send_track_receive_download_acknowledge() {
    let sb = Sandbox::start().await.unwrap();
    let svc = sb.service();
    let to = FaxNumber::parse("+49 89 1234567").unwrap();
    let req = SendRequest::new(to, Document::from_bytes(pdf("one"), "one.pdf"))
        .document(Document::from_bytes(pdf("two"), "two.pdf"))
        .reference("demo-1")
        .csid("ACME");
    let id = svc.send(&req).await.unwrap();
    let first = svc.status(&id).await.unwrap();
    assert_eq!(first.raw_status, "PENDING");
    assert!(!first.status.is_final());
    let done = svc.wait(&id, &WaitOptions::new(Duration::from_secs(5), Duration::from_millis(1))).await.unwrap();
    assert_eq!(done.status, faxkit::DeliveryStatus::Delivered);
    assert_eq!(done.pages, Some(2));
    let sent = sb.sent_faxes();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipients, ["+49891234567"]);
    assert_eq!(sent[0].documents[1].data.as_deref(), Some(&pdf("two")[..]));
    assert_eq!(sent[0].request["reference"]["customerDefinedId"], "demo-1");
    assert_eq!(sent[0].request["transportOptions"]["csid"], "ACME");

    let from = FaxNumber::parse("+1 212 555 0100").unwrap();
    let injected = sb.inject_inbound(&from, pdf("inbound")).await;
    let list = svc.list_inbound(&InboundQuery::default()).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, injected);
    assert_eq!(list[0].from.as_deref(), Some("0012125550100"));
    let d = svc.download(&injected, Direction::Inbound).await.unwrap();
    assert_eq!(d.content_type, "application/pdf");
    assert_eq!(d.bytes(1 << 20).await.unwrap(), pdf("inbound"));
    // The neutral id is `<job id>/<file name>`, usable from a fresh client.
    let (job, file) = injected.as_str().split_once('/').unwrap();
    assert!(file.ends_with(".pdf"), "{injected}");
    let fresh = sb.service();
    let again = fresh.download(&injected, Direction::Inbound).await.unwrap();
    assert_eq!(again.bytes(1 << 20).await.unwrap(), pdf("inbound"), "a client that never listed it can download");
    fresh.acknowledge(&injected).await.unwrap();
    assert_eq!(sb.acks(&job.into()), 1);
    sb.expire_locks();
    assert!(svc.list_inbound(&InboundQuery::default()).await.unwrap().is_empty(), "acknowledged for ever");
}

#[tokio::test]
async fn errors_through_the_neutral_interface() {
    let sb = Sandbox::start().await.unwrap();
    let bad = sb.service_with_wrong_credentials();
    let req = SendRequest::new(FaxNumber::parse("+4989111").unwrap(), Document::from_bytes(pdf("x"), "x.pdf"));
    assert_eq!(bad.send(&req).await.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(bad.list_inbound(&InboundQuery::default()).await.unwrap_err().kind(), ErrorKind::Auth);
    let svc = sb.service();
    assert_eq!(svc.status(&FaxId::new("FJNOPE")).await.unwrap_err().kind(), ErrorKind::NotFound);
    let id = svc.send(&req).await.unwrap();
    let err = svc.cancel(&id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!(svc.download(&id, Direction::Outbound).await.unwrap_err().kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn from_env_points_at_the_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let env = sb.env();
    let client = Client::from_vars(|name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())).unwrap();
    assert_eq!(client.data_centers().len(), 2);
    let job = client
        .jobs()
        .send(FaxRecipient::new("+4989"))
        .document(Document::from_bytes(pdf("x"), "x.pdf"))
        .send()
        .await
        .unwrap();
    client.reports().get(&job.job_id).await.unwrap();
}

#[tokio::test]
async fn ha_sends_spread_over_data_centers_and_reads_fan_out() {
    let sb = Sandbox::start().await.unwrap();
    let client = sb.client();
    let mut ids = Vec::new();
    for n in 0..2 {
        let job = client
            .jobs()
            .send(FaxRecipient::new(format!("+498912345{n}")))
            .document(Document::from_bytes(pdf("x"), "x.pdf"))
            .send()
            .await
            .unwrap();
        ids.push(job.job_id);
    }
    assert_eq!(sb.reports_in(0), [ids[0].as_str()]);
    assert_eq!(sb.reports_in(1), [ids[1].as_str()]);
    let list = client.reports().list().await.unwrap();
    assert_eq!(list.items.len(), 2);
    assert!(list.is_complete());

    sb.set_data_center_down(1, true);
    let list = client.reports().list().await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.failures.len(), 1);
    assert_eq!(list.failures[0].data_center.name(), "DC2");
    client.reports().get(&ids[0]).await.unwrap();
    let err = client.reports().get(&ids[1]).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "not NotFound: the report may be in the data center that is down");
    // An HA send while DC2 is down lands on DC1.
    let job = client
        .jobs()
        .send(FaxRecipient::new("+4989777"))
        .document(Document::from_bytes(pdf("x"), "x.pdf"))
        .send()
        .await
        .unwrap();
    assert!(sb.reports_in(0).contains(&job.job_id.as_str().to_owned()));
    sb.set_data_center_down(1, false);

    let bulk = client.reports().bulk_get(&ids).await.unwrap();
    assert_eq!(bulk.items.len(), 2);
    let deleted = client.reports().bulk_delete(&ids).await.unwrap();
    assert!(deleted.items.iter().all(|d| d.is_deleted()));
    assert_eq!(client.reports().delete(&ids[0]).await.unwrap_err().kind(), ErrorKind::NotFound);
    let oldest = client.reports().delete_oldest().await.unwrap();
    assert_eq!(oldest.items.len(), 1);
    assert!(sb.reports_in(0).is_empty() && sb.reports_in(1).is_empty());
}

async fn drained(client: &retarus_fax::Client) -> Vec<retarus_fax::FaxReport> {
    use futures::StreamExt;
    client
        .reports()
        .drain()
        .map(|item| match item {
            retarus_fax::Drained::Report(r) => Ok(r),
            other => Err(format!("{other:?}")),
        })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("only reports")
}

#[tokio::test]
async fn drain_hands_over_final_reports_and_deletes_them() {
    let sb = Sandbox::start().await.unwrap();
    let client = sb.client();
    for n in 0..3 {
        client
            .jobs()
            .send(FaxRecipient::new(format!("+49891{n}666")))
            .document(Document::from_bytes(pdf("x"), "x.pdf"))
            .send()
            .await
            .unwrap();
    }
    // The first read shows every job PENDING: nothing is handed over or deleted.
    let got = drained(&client).await;
    assert!(got.is_empty());
    let got = drained(&client).await;
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.delivery_status().to_string().starts_with("failed (BUSY")));
    assert!(sb.reports_in(0).is_empty() && sb.reports_in(1).is_empty());
}

#[tokio::test]
async fn duplicate_and_unknown_errors_from_the_sandbox() {
    let sb = Sandbox::start().await.unwrap();
    let client = sb.client();
    let send =
        || client.jobs().send(FaxRecipient::new("+4989")).document(Document::from_bytes(pdf("same"), "a.pdf")).send();
    sb.reject_duplicates(true);
    send().await.unwrap();
    assert!(retarus_fax::error::is_duplicate_job(&send().await.unwrap_err()));
    sb.fail_next_send(520);
    let err = send().await.unwrap_err();
    assert_eq!(err.vendor_detail::<retarus_fax::ApiError>().map(|d| d.code), Some(ApiErrorCode::UnknownError));
    assert_eq!(sb.sent_faxes().len(), 1);
}

#[tokio::test]
async fn consumer_retries_a_failed_job_after_its_lock_and_acks_it_once() {
    let sb = Sandbox::start().await.unwrap();
    let client = sb.client();
    let from = FaxNumber::parse("+4930123456").unwrap();
    let flaky = sb.inject_inbound_to(sandbox::TOPIC, &from, pdf("flaky"));
    let fine = sb.inject_inbound_to(sandbox::TOPIC, &from, pdf("fine"));
    let topic = client.topic(sandbox::TOPIC);
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));

    let handler = |fail_flaky: bool| {
        let calls = calls.clone();
        let flaky = flaky.clone();
        move |d: retarus_fax::Delivery| {
            let calls = calls.clone();
            let flaky = flaky.clone();
            async move {
                let body = d.download(0).await?.bytes(1 << 20).await?;
                calls.lock().unwrap().push(d.id().to_string());
                if fail_flaky && d.id() == &flaky {
                    return Err(faxkit::Error::invalid_input("test", "disk full"));
                }
                assert!(body.starts_with(b"%PDF"));
                Ok(())
            }
        }
    };
    let lock = Duration::from_secs(30);
    let run = topic.consumer().batch(1).lock(lock).stop_when_empty(true).build().run(handler(true)).await.unwrap();
    assert_eq!((run.handled, run.failed), (1, 1));
    assert_eq!(sb.acks(&fine), 1);
    assert_eq!(sb.acks(&flaky), 0);
    // Still locked: a second run sees nothing.
    let run = topic.consumer().lock(lock).stop_when_empty(true).build().run(handler(false)).await.unwrap();
    assert_eq!((run.handled, run.failed), (0, 0));
    // The lock expires; the job comes back, is handled once and acknowledged once.
    sb.advance_clock(lock + Duration::from_secs(1));
    let run = topic.consumer().lock(lock).stop_when_empty(true).build().run(handler(false)).await.unwrap();
    assert_eq!((run.handled, run.failed), (1, 0));
    assert_eq!(sb.acks(&flaky), 1);
    assert_eq!(sb.deliveries(&flaky), 2);
    assert_eq!(sb.deliveries(&fine), 1);
    assert_eq!(*calls.lock().unwrap(), [flaky.to_string(), fine.to_string(), flaky.to_string()]);
    sb.expire_locks();
    let run = topic.consumer().stop_when_empty(true).build().run(handler(false)).await.unwrap();
    assert_eq!(run.handled, 0, "nothing comes back once acknowledged");
}

#[tokio::test]
async fn lock_timeout_expires_with_the_sandbox_clock() {
    let sb = Sandbox::start().await.unwrap();
    let client = sb.client();
    let id = sb.inject_inbound_to("t2", &FaxNumber::parse("+4930123456").unwrap(), pdf("x"));
    let topic = client.topic("t2");
    let batch = topic.fetch(10).lock(Duration::from_secs(1)).send().await.unwrap();
    assert_eq!(batch.ids(), std::slice::from_ref(&id));
    assert!(topic.fetch(10).send().await.unwrap().results.is_empty());
    // The sandbox's lock clock is moved, not slept on: still locked just before the 1 s lock ends, free after.
    sb.advance_clock(Duration::from_millis(900));
    assert!(topic.fetch(10).send().await.unwrap().results.is_empty(), "locked until the timeout passes");
    sb.advance_clock(Duration::from_millis(200));
    let again = topic.next(&topic.fetch(10).send().await.unwrap()).await.unwrap();
    assert!(again.results.is_empty());
    assert_eq!(sb.deliveries(&id), 2);
    assert_eq!(sb.acks(&id), 1, "following next acknowledged the batch");
    let exit = topic.exit(&again).await.unwrap();
    assert!(exit.results.is_empty());
}

#[tokio::test]
async fn consumer_stream_acks_on_the_next_fetch_and_at_shutdown() {
    use futures::StreamExt;
    let sb = Sandbox::start().await.unwrap();
    let from = FaxNumber::parse("+4930123456").unwrap();
    let a = sb.inject_inbound_to("s", &from, pdf("a"));
    let b = sb.inject_inbound_to("s", &from, pdf("b"));
    let client = sb.client();
    let mut consumer = client.topic("s").consumer().batch(1).stop_when_empty(true).build();
    let first = consumer.next().await.unwrap().unwrap();
    assert_eq!(first.id(), &a);
    first.ack();
    assert_eq!(sb.acks(&a), 0, "not sent until the next fetch");
    let second = consumer.next().await.unwrap().unwrap();
    assert_eq!(sb.acks(&a), 1, "piggybacked on the fetch that brought the second job");
    second.ack();
    consumer.shutdown().await.unwrap();
    assert_eq!(sb.acks(&b), 1, "sent with fetch=0 at shutdown");

    let c = sb.inject_inbound_to("s", &from, pdf("c"));
    let stream = client.topic("s").consumer().stop_when_empty(true).build().into_stream();
    let ids: Vec<_> = stream.map(|d| d.unwrap().id().clone()).collect().await;
    assert_eq!(ids, std::slice::from_ref(&c));
    assert_eq!(sb.acks(&c), 0, "dropped without ack: it comes back after the lock");
}

#[tokio::test]
async fn consumer_run_acks_each_job_as_soon_as_its_handler_succeeds() {
    let sb = Sandbox::start().await.unwrap();
    let from = FaxNumber::parse("+4930123456").unwrap();
    let a = sb.inject_inbound_to("s", &from, pdf("a"));
    let b = sb.inject_inbound_to("s", &from, pdf("b"));
    let seen = std::sync::Mutex::new(Vec::new());
    let run = sb
        .client()
        .topic("s")
        .consumer()
        .stop_when_empty(true)
        .build()
        .run(|delivery| {
            // Both jobs came in one batch: with acks deferred to the next fetch, `a` would not be acked yet.
            seen.lock().unwrap().push((delivery.id().clone(), sb.acks(&a)));
            async { Ok::<(), faxkit::Error>(()) }
        })
        .await
        .unwrap();
    assert_eq!((run.handled, run.failed), (2, 0));
    assert_eq!(*seen.lock().unwrap(), [(a.clone(), 0), (b.clone(), 1)], "a was acknowledged before b was handed over");
    assert_eq!((sb.acks(&a), sb.acks(&b)), (1, 1), "one ack each");
}
