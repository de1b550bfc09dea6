//! `Failover`: moves on only when a send certainly was not taken; per-vendor circuit breakers (paused time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use faxkit::failover::{BreakerConfig, Circuit, Failover};
use faxkit::{
    Direction, Document, Download, Error, ErrorKind, FaxId, FaxNumber, FaxService, FaxStatus, InboundFax, InboundQuery,
    Reconciliation, Result, SendRequest,
};

/// What a fake vendor answers to a send.
#[derive(Clone, Copy, Debug)]
enum Answer {
    Ok,
    Refused,
    Ambiguous,
    RateLimited,
    Rejected,
}

struct Fake {
    name: &'static str,
    answers: Mutex<Vec<Answer>>,
    sends: Mutex<u32>,
}

impl Fake {
    fn new(name: &'static str, answers: &[Answer]) -> Arc<Fake> {
        Arc::new(Fake { name, answers: Mutex::new(answers.to_vec()), sends: Mutex::new(0) })
    }

    fn sends(&self) -> u32 {
        *self.sends.lock().unwrap()
    }
}

#[faxkit::async_trait]
impl FaxService for Fake {
    fn vendor(&self) -> &'static str {
        self.name
    }

    async fn send(&self, _: &SendRequest) -> Result<FaxId> {
        let n = {
            let mut s = self.sends.lock().unwrap();
            *s += 1;
            *s
        };
        let answer = {
            let mut a = self.answers.lock().unwrap();
            if a.len() > 1 { a.remove(0) } else { a[0] }
        };
        match answer {
            Answer::Ok => Ok(FaxId::new(format!("{}-{n}", self.name))),
            Answer::Refused => Err(Error::connect_failed(self.name, "connection refused")),
            Answer::Ambiguous => Err(Error::ambiguous(self.name, Some("K".into()), "reset after upload")),
            Answer::RateLimited => Err(Error::RateLimited { vendor: self.name, retry_after: None, detail: None }),
            Answer::Rejected => Err(Error::from_vendor(self.name, 400, "-1062", "bad number", None)),
        }
    }

    async fn status(&self, id: &FaxId) -> Result<FaxStatus> {
        Ok(FaxStatus::new(id.clone(), faxkit::DeliveryStatus::Queued, format!("{} knows {id}", self.name)))
    }

    async fn cancel(&self, _: &FaxId) -> Result<()> {
        Ok(())
    }

    async fn list_inbound(&self, _: &InboundQuery) -> Result<Vec<InboundFax>> {
        Ok(vec![InboundFax::new(FaxId::new("in-1"))])
    }

    async fn download(&self, _: &FaxId, _: Direction) -> Result<Download> {
        Err(Error::unsupported(self.name, "download"))
    }

    async fn acknowledge(&self, _: &FaxId) -> Result<()> {
        Ok(())
    }

    async fn reconcile(&self, key: &str, _: Option<faxkit::jiff::Timestamp>) -> Result<Reconciliation> {
        Ok(if key == self.name { Reconciliation::Found(FaxId::new("r1")) } else { Reconciliation::NotFound })
    }
}

fn request() -> SendRequest {
    SendRequest::new(FaxNumber::parse("+12125550100").unwrap(), Document::from_bytes("%PDF-1.4", "a.pdf"))
}

fn failover(members: &[&Arc<Fake>], config: BreakerConfig) -> Failover {
    Failover::with_config(members.iter().map(|m| (*m).clone() as Arc<dyn FaxService>).collect(), config)
}

#[tokio::test]
async fn a_primary_refusing_connections_sends_once_through_the_backup() {
    let (primary, backup) = (Fake::new("primary", &[Answer::Refused]), Fake::new("backup", &[Answer::Ok]));
    let fo = failover(&[&primary, &backup], BreakerConfig::default());
    let id = fo.send(&request()).await.unwrap();
    assert_eq!(id.as_str(), "backup:backup-1");
    assert_eq!((primary.sends(), backup.sends()), (1, 1));
    // Status reads go to the vendor that holds the fax, with its own id.
    let status = fo.status(&id).await.unwrap();
    assert_eq!(status.raw_status, "backup knows backup-1");
    assert_eq!(status.id, id);
}

#[tokio::test]
async fn an_ambiguous_primary_never_fails_over() {
    let (primary, backup) = (Fake::new("primary", &[Answer::Ambiguous]), Fake::new("backup", &[Answer::Ok]));
    let fo = failover(&[&primary, &backup], BreakerConfig::default());
    let err = fo.send(&request()).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err}");
    assert_eq!(backup.sends(), 0, "an ambiguous send was given to another vendor");
}

#[tokio::test]
async fn a_definite_rejection_is_returned_and_rate_limiting_moves_on() {
    let (primary, backup) = (Fake::new("primary", &[Answer::Rejected]), Fake::new("backup", &[Answer::Ok]));
    let fo = failover(&[&primary, &backup], BreakerConfig::default());
    assert_eq!(fo.send(&request()).await.unwrap_err().kind(), ErrorKind::Vendor);
    assert_eq!(backup.sends(), 0);
    let (primary, backup) = (Fake::new("primary", &[Answer::RateLimited]), Fake::new("backup", &[Answer::Ok]));
    let fo = failover(&[&primary, &backup], BreakerConfig::default());
    assert!(fo.send(&request()).await.unwrap().as_str().starts_with("backup:"));
}

#[tokio::test]
async fn every_vendor_refusing_is_not_sent() {
    let (a, b) = (Fake::new("a", &[Answer::Refused]), Fake::new("b", &[Answer::Refused]));
    let fo = failover(&[&a, &b], BreakerConfig::default());
    let err = fo.send(&request()).await.unwrap_err();
    assert!(err.is_not_sent(), "{err}");
}

#[tokio::test(start_paused = true)]
async fn the_breaker_opens_after_n_failures_and_probes_after_the_cool_down() {
    let primary = Fake::new("primary", &[Answer::Refused, Answer::Refused, Answer::Refused, Answer::Ok]);
    let backup = Fake::new("backup", &[Answer::Ok]);
    let fo = failover(&[&primary, &backup], BreakerConfig::new(2, Duration::from_secs(30)));
    fo.send(&request()).await.unwrap();
    assert_eq!(fo.circuit("primary"), Some(Circuit::Closed { failures: 1 }));
    fo.send(&request()).await.unwrap();
    assert_eq!(fo.circuit("primary"), Some(Circuit::Open));
    // Open: the primary is skipped without a request.
    fo.send(&request()).await.unwrap();
    assert_eq!(primary.sends(), 2);
    tokio::time::advance(Duration::from_secs(29)).await;
    fo.send(&request()).await.unwrap();
    assert_eq!(primary.sends(), 2, "still open before the cool-down ends");
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(fo.circuit("primary"), Some(Circuit::HalfOpen { probing: false }));
    // The probe fails: open again for another cool-down.
    fo.send(&request()).await.unwrap();
    assert_eq!(primary.sends(), 3);
    assert_eq!(fo.circuit("primary"), Some(Circuit::Open));
    tokio::time::advance(Duration::from_secs(31)).await;
    // The next probe succeeds: closed, and the primary takes the send.
    let id = fo.send(&request()).await.unwrap();
    assert_eq!(id.as_str(), "primary:primary-4");
    assert_eq!(fo.circuit("primary"), Some(Circuit::Closed { failures: 0 }));
    assert_eq!(backup.sends(), 5, "every send but the last went to the backup");
}

#[tokio::test]
async fn reads_route_by_vendor_and_reconcile_asks_everyone() {
    let (a, b) = (Fake::new("a", &[Answer::Ok]), Fake::new("b", &[Answer::Ok]));
    let fo = failover(&[&a, &b], BreakerConfig::default());
    let inbound = fo.list_inbound(&InboundQuery::default()).await.unwrap();
    let ids: Vec<&str> = inbound.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["a:in-1", "b:in-1"]);
    assert_eq!(fo.reconcile("b", None).await.unwrap(), Reconciliation::Found(FaxId::new("b:r1")));
    assert_eq!(fo.reconcile("c", None).await.unwrap(), Reconciliation::NotFound);
    assert_eq!(fo.status(&FaxId::new("nope")).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(fo.status(&FaxId::new("z:1")).await.unwrap_err().kind(), ErrorKind::InvalidInput);
}
