//! The `faxkit.http` span of each call. Without a subscriber the span is skipped (neither entered nor
//! recorded, which costs every call); with one it is opened with the call's vendor, method and path, and
//! recorded with the final status and the number of attempts, and events below it are its children.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use faxkit::http::{NoAuth, Request};
use faxkit::{HttpClient, HttpConfig};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The fields of every span named `faxkit.http`, in the order the spans were opened.
#[derive(Default)]
struct Spans {
    next: AtomicU64,
    fields: Mutex<BTreeMap<u64, BTreeMap<String, String>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// A subscriber that keeps the fields of `faxkit.http` spans (a hand-written one: the test needs no more).
#[derive(Clone, Default)]
struct Recorder(Arc<Spans>);

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        if span.metadata().name() == "faxkit.http" {
            let mut fields = BTreeMap::new();
            span.record(&mut Fields(&mut fields));
            self.0.fields.lock().unwrap().insert(id, fields);
        }
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(fields) = self.0.fields.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn a_subscriber_sees_each_call_with_its_status_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v1/ok")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    // The first answer is a 503, retried once: the span records both attempts and the final status.
    Mock::given(method("GET"))
        .and(path("/v1/faxes/7"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v1/faxes/7")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let mut config = HttpConfig::default().base_url(format!("{}/v1/", server.uri()));
    config.retry.initial_backoff = std::time::Duration::from_millis(1);
    let http = HttpClient::new("test", "0.0.0", "https://unused.example.com/", &config).unwrap();

    // Without a subscriber (the span skipped) the call works the same.
    assert_eq!(http.execute_unchecked(Request::get("ok"), &NoAuth).await.unwrap().status(), 200);

    let recorder = Recorder::default();

    let _guard = tracing::subscriber::set_default(recorder.clone());
    let response = http.execute_unchecked(Request::get("faxes/7"), &NoAuth).await.unwrap();
    assert_eq!(response.status(), 200);
    let spans = recorder.0.fields.lock().unwrap().clone();
    let fields: Vec<_> = spans.values().collect();
    assert_eq!(fields.len(), 1, "one span per call: {spans:?}");
    let want = [("vendor", "test"), ("method", "GET"), ("path", "/v1/faxes/7"), ("status", "200"), ("attempts", "2")];
    for (k, v) in want {
        assert_eq!(fields[0].get(k).map(String::as_str), Some(v), "{k} in {:?}", fields[0]);
    }
}
