//! No secret in any `Debug` or `Display`, and credentials never sent to a host other than the configured one.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use faxkit::sandbox::VendorSandbox;
use faxkit::{Document, FaxId, FaxNumber, FaxService, InboundQuery, SendRequest};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The secret values a sandbox hands out (passwords, tokens), by variable name.
fn secrets_of(sandbox: &dyn VendorSandbox) -> Vec<String> {
    sandbox
        .env()
        .into_iter()
        .filter(|(k, _)| ["PASSWORD", "SECRET", "TOKEN"].iter().any(|s| k.contains(s)))
        .map(|(_, v)| v)
        .collect()
}

fn assert_clean(vendor: &str, what: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!text.contains(s.as_str()), "{vendor}: {what} shows a secret: {text}");
    }
}

async fn errors_of(svc: &dyn FaxService) -> Vec<faxkit::Error> {
    let mut out = Vec::new();
    out.extend(svc.status(&FaxId::new("999999999")).await.err());
    out.extend(svc.list_inbound(&InboundQuery::default()).await.err());
    let doc = Document::from_bytes("%PDF-1.4 x", "x.pdf");
    out.extend(svc.send(&SendRequest::new(FaxNumber::parse("+12125550100").unwrap(), doc)).await.err());
    out.extend(svc.download(&FaxId::new("999999999"), faxkit::Direction::Inbound).await.err());
    out
}

async fn check(sandbox: &dyn VendorSandbox, client_debug: String) {
    let vendor = sandbox.vendor();
    let mut secrets = secrets_of(sandbox);
    assert!(!secrets.is_empty(), "{vendor}: the sandbox exposes no password to look for");
    assert_clean(vendor, "client Debug", &client_debug, &secrets);
    // Errors with the right credentials and with a wrong password.
    secrets.push("wrong-password-for-leak-test".into());
    let good = sandbox.service();
    let bad = sandbox.service_with_wrong_credentials();
    for svc in [good, bad] {
        for e in errors_of(&*svc).await {
            assert_clean(vendor, "error Display", &e.to_string(), &secrets);
            assert_clean(vendor, "error Debug", &format!("{e:?}"), &secrets);
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                assert_clean(vendor, "error source", &format!("{s} {s:?}"), &secrets);
                source = s.source();
            }
        }
    }
}

#[tokio::test]
async fn no_secret_in_clients_or_errors() {
    let s = interfax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?} {:?}", s.client(), interfax::Client::builder().credentials("u", "p4ss-secret"))).await;
    assert!(!format!("{:?}", interfax::Client::builder().credentials("u", "p4ss-secret")).contains("p4ss-secret"));
    let s = westfax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
    let s = faxcore::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
    let s = fax2::sandbox::Sandbox::start().await.unwrap();
    let c = s.client();
    // Make the client fetch (and cache) a token first, so its Debug would show it if it leaked.
    let _ = FaxService::list_inbound(&c, &InboundQuery::default()).await;
    check(&s, format!("{c:?}")).await;
    let s = retarus_fax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
}

/// Every request is answered with a redirect to another origin; that origin must never be contacted, so no
/// credential can reach it.
#[tokio::test]
async fn redirects_to_other_hosts_are_not_followed() {
    let thief = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&thief).await;
    let decoy = MockServer::start().await;
    let target = format!("{}/collect", thief.uri());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header("Location", target.as_str()))
        .mount(&decoy)
        .await;
    let url = format!("{}/", decoy.uri());
    let http = faxkit::HttpConfig::default().base_url(url.as_str()).retry(faxkit::RetryConfig::none());
    let services: Vec<Arc<dyn FaxService>> = vec![
        Arc::new(interfax::Client::builder().credentials("u", "pw").http(http.clone()).build().unwrap()),
        Arc::new(
            westfax::Client::builder()
                .credentials("u", "pw")
                .product_id("00000000-0000-0000-0000-000000000000")
                .http(http.clone())
                .build()
                .unwrap(),
        ),
        Arc::new(faxcore::Client::builder("2125550100", "pw").http(http.clone()).build().unwrap()),
        Arc::new(fax2::Client::builder("id", "pw").http(http.clone()).build().unwrap()),
        Arc::new(
            retarus_fax::Client::builder(faxkit::Credentials::new("u", "pw"), "99999TE")
                .topic("t")
                .http(http.clone())
                .build()
                .unwrap(),
        ),
    ];
    for svc in services {
        let errors = errors_of(&*svc).await;
        assert!(!errors.is_empty(), "{}: redirects were treated as success", svc.vendor());
    }
    // `expect(0)` on the thief is verified when it drops.
}
