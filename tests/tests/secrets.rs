//! No secret in any `Debug` or `Display`, and credentials never sent to a host other than the configured one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use faxkit::sandbox::VendorSandbox;
use faxkit::{Document, FaxId, FaxNumber, FaxService, InboundQuery, SendRequest};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The password every sandbox's `service_with_wrong_credentials()` signs in with.
const WRONG_PASSWORD: &str = "wrong-password";

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

/// Every error of `svc`'s calls, with its sources, is free of `secrets`; returns how many errors there were.
async fn assert_errors_clean(vendor: &str, svc: &dyn FaxService, secrets: &[String]) -> usize {
    let errors = errors_of(svc).await;
    for e in &errors {
        assert_clean(vendor, "error Display", &e.to_string(), secrets);
        assert_clean(vendor, "error Debug", &format!("{e:?}"), secrets);
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            assert_clean(vendor, "error source", &format!("{s} {s:?}"), secrets);
            source = s.source();
        }
    }
    errors.len()
}

async fn check(sandbox: &dyn VendorSandbox, client_debug: String) {
    let vendor = sandbox.vendor();
    let mut secrets = secrets_of(sandbox);
    assert!(!secrets.is_empty(), "{vendor}: the sandbox exposes no password to look for");
    assert_clean(vendor, "client Debug", &client_debug, &secrets);
    // Errors with the right credentials and with the wrong password the wrong client really uses.
    secrets.push(WRONG_PASSWORD.into());
    let good = sandbox.service();
    let bad = sandbox.service_with_wrong_credentials();
    assert_errors_clean(vendor, &*good, &secrets).await;
    let refused = assert_errors_clean(vendor, &*bad, &secrets).await;
    assert_eq!(refused, 4, "{vendor}: every call of the wrong client fails");
}

#[tokio::test]
async fn no_secret_in_clients_or_errors() {
    let s = interfax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?} {:?}", s.client(), interfax::Client::builder().credentials("u", "p4ss-secret"))).await;
    assert!(!format!("{:?}", interfax::Client::builder().credentials("u", "p4ss-secret")).contains("p4ss-secret"));
    let s = westfax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
    westfax_sessions_stay_secret().await;
    let s = faxcore::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
    let s = fax2::sandbox::Sandbox::start().await.unwrap();
    let c = s.client();
    // Make the client fetch (and cache) a token first, so its Debug would show it if it leaked.
    let _ = FaxService::list_inbound(&c, &InboundQuery::default()).await;
    check(&s, format!("{c:?}")).await;
    fax2_bearer_stays_secret().await;
    let s = retarus_fax::sandbox::Sandbox::start().await.unwrap();
    check(&s, format!("{:?}", s.client())).await;
}

/// WestFax sessions: the session tokens the sandbox issued to stateful clients (as a `SessionToken` field
/// or an `ASP.NET_SessionId` cookie) appear in no client Debug and no error.
async fn westfax_sessions_stay_secret() {
    for transport in [westfax::Transport::Rest, westfax::Transport::Soap] {
        for mode in [westfax::SessionMode::Token, westfax::SessionMode::Cookie] {
            let s = westfax::sandbox::Sandbox::start().await.unwrap().with_transport(transport);
            let c = s.client_with(transport, mode);
            FaxService::list_inbound(&c, &InboundQuery::default()).await.unwrap();
            let what = format!("westfax {transport:?} {mode:?}");
            let errors = assert_errors_clean(&what, &c, &[]).await;
            let tokens: Vec<String> = s
                .requests()
                .iter()
                .flat_map(|r| r.field("SessionToken").map(str::to_owned).into_iter().chain(r.cookie.clone()))
                .filter(|t| !t.is_empty())
                .collect();
            assert!(!tokens.is_empty(), "{what}: no session was used, nothing to look for");
            let mut secrets = secrets_of(&s);
            secrets.extend(tokens);
            assert_clean(&what, "client Debug", &format!("{c:?}"), &secrets);
            assert!(errors > 0, "{what}: no error to search");
            assert_errors_clean(&what, &c, &secrets).await;
        }
    }
}

/// Fax2's bearer token: a server issues a known token and then refuses every call (401 once, to make the
/// client refresh, then 404/500); the token is sent (checked) yet appears in no client Debug and no error.
async fn fax2_bearer_stays_secret() {
    const BEARER: &str = "fax2-issued-bearer-3c7d1e9a5b";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": BEARER, "expires_in": 3600, "token_type": "bearer"
        })))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "unauthorized", "message": "no"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"error": "not_found", "message": "none"})),
        )
        .mount(&server)
        .await;
    let c = fax2::Client::builder()
        .credentials("id", "fax2-client-secret-pw")
        .http(faxkit::HttpConfig::default().base_url(format!("{}/", server.uri())).retry(faxkit::RetryConfig::none()))
        .build()
        .unwrap();
    let secrets = vec![BEARER.to_owned(), "fax2-client-secret-pw".to_owned()];
    let errors = assert_errors_clean("fax2", &c, &secrets).await;
    assert_eq!(errors, 4, "fax2: every call fails");
    assert_clean("fax2", "client Debug", &format!("{c:?}"), &secrets);
    let used = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.ends_with(BEARER)))
        .count();
    assert!(used > 0, "fax2: the issued token was never sent, so the search proves nothing");
}

/// Every request is answered with a redirect to another origin (another port on loopback); that origin
/// must never be contacted, so no credential can reach it. The configured origin must have been asked (the
/// client got as far as sending), and every call fails.
#[tokio::test]
async fn redirects_to_other_hosts_are_not_followed() {
    let thief = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&thief).await;
    let origin = MockServer::start().await;
    let target = format!("{}/collect", thief.uri());
    Mock::given(any())
        .respond_with(ResponseTemplate::new(307).insert_header("Location", target.as_str()))
        .expect(1..)
        .mount(&origin)
        .await;
    let url = format!("{}/", origin.uri());
    let http = faxkit::HttpConfig::default().base_url(url.as_str()).retry(faxkit::RetryConfig::none());
    let services: Vec<Arc<dyn FaxService>> = vec![
        Arc::new(interfax::Client::builder().credentials("u", "redirect-pw").http(http.clone()).build().unwrap()),
        Arc::new(
            westfax::Client::builder()
                .credentials("u", "redirect-pw")
                .product_id("00000000-0000-0000-0000-000000000000")
                .http(http.clone())
                .build()
                .unwrap(),
        ),
        Arc::new(
            faxcore::Client::builder().credentials("2125550100", "redirect-pw").http(http.clone()).build().unwrap(),
        ),
        Arc::new(fax2::Client::builder().credentials("id", "redirect-pw").http(http.clone()).build().unwrap()),
        Arc::new(
            retarus_fax::Client::builder()
                .credentials("u", "redirect-pw")
                .customer_number("99999TE")
                .topic("t")
                .http(http.clone())
                .build()
                .unwrap(),
        ),
    ];
    for svc in services {
        let vendor = svc.vendor();
        let asked_before = origin.received_requests().await.unwrap().len();
        let errors = errors_of(&*svc).await;
        let asked = origin.received_requests().await.unwrap().len() - asked_before;
        assert!(asked > 0, "{vendor}: the configured origin was never asked, so nothing was redirected");
        // Fax2 stops at its token request (the redirect is its only answer), the others make all four calls.
        assert!(!errors.is_empty(), "{vendor}: redirects were treated as success");
        for e in &errors {
            assert!(
                !matches!(e.kind(), faxkit::ErrorKind::Transport | faxkit::ErrorKind::Timeout),
                "{vendor}: a redirect is an answer, not a network failure: {e}"
            );
        }
        let stolen = thief.received_requests().await.unwrap();
        let leaked: Vec<String> =
            stolen.iter().map(|r| format!("{} {:?} {}", r.url, r.headers, String::from_utf8_lossy(&r.body))).collect();
        assert!(stolen.is_empty(), "{vendor}: requests reached the other origin after a redirect: {leaked:?}");
    }
    // `expect(0)` on the thief and `expect(1..)` on the origin are verified again when they drop.
}
