//! Wire tests for the balance and the helper endpoints, and client basics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use faxkit::ErrorKind;
use interfax::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const BALANCE: &str = include_str!("fixtures/balance.txt");
const DOCUMENTED_ERROR: &str = include_str!("fixtures/error_documented.json");

#[tokio::test]
async fn balance_is_a_bare_exact_decimal() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/accounts/self/ppcards/balance"))
        .and(exact_query(&[]))
        .and(auth())
        .respond_with(text_json(BALANCE))
        .expect(1)
        .mount(&server)
        .await;
    let balance = client.accounts().balance().await.unwrap();
    assert_eq!(balance.to_string(), "3.8500");
    assert_eq!((balance.mantissa(), balance.scale()), (38500, 4));
}

#[tokio::test]
async fn helper_endpoints() {
    let (server, client) = setup().await;
    let cases: [(&str, Vec<(&str, &str)>); 6] = [
        ("/tests/date", vec![("d", "2011-12-16")]),
        ("/tests/errorcodes", vec![]),
        ("/outbound/help/mediatype", vec![]),
        ("/outbound/test", vec![]),
        ("/inbound/test", vec![]),
        ("/accounts/test", vec![]),
    ];
    for (p, q) in &cases {
        Mock::given(method("GET"))
            .and(path(*p))
            .and(exact_query(q))
            .and(auth())
            .respond_with(text_json(r#"{"ok":true}"#))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/tests/error"))
        .and(exact_query(&[("applicationStatus", "-113")]))
        .respond_with(ResponseTemplate::new(400).set_body_raw(DOCUMENTED_ERROR.as_bytes().to_vec(), "text/json"))
        .expect(1)
        .mount(&server)
        .await;
    let acc = client.accounts();
    let date = acc.test_date("2011-12-16").await.unwrap();
    assert_eq!(date.content_type.as_deref(), Some("text/json"));
    assert_eq!(date.json::<serde_json::Value>().unwrap()["ok"], true);
    acc.error_codes().await.unwrap();
    acc.media_types().await.unwrap();
    for t in [accounts::Tester::Outbound, accounts::Tester::Inbound, accounts::Tester::Accounts] {
        assert_eq!(acc.tester(t).await.unwrap().status, 200);
    }
    let err = acc.test_error(-113).await.unwrap_err();
    assert_eq!(err.vendor_code(), Some("-113"));
    let detail = err.vendor_detail::<ApiError>().unwrap();
    assert_eq!(detail.more_info.as_deref(), Some("List name [MyList2] does not exist"));
}

#[tokio::test]
async fn wrong_credentials_are_auth_errors() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/accounts/self/ppcards/balance"))
        .respond_with(ResponseTemplate::new(401).insert_header("WWW-Authenticate", "Basic realm=\"Secure Area\""))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.accounts().balance().await.unwrap_err().kind(), ErrorKind::Auth);
}

#[test]
fn debug_never_shows_the_password() {
    let client = Client::new("alice", "hunter2-secret").unwrap();
    let text = format!("{client:?} {client:#?}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("alice"));
}

#[test]
fn hosts() {
    assert_eq!(Client::new("a", "b").unwrap().base_url().as_str(), "https://rest.interfax.net/");
    for (host, url) in [
        (Host::Pci, "https://rest-sl.interfax.net/"),
        (Host::PciUs, "https://restus-sl.interfax.net/"),
        (Host::PciCa, "https://restca-sl.interfax.net/"),
        (Host::Custom("https://proxy.example.com/interfax".into()), "https://proxy.example.com/interfax/"),
    ] {
        let c = Client::builder().credentials("a", "b").host(host).build().unwrap();
        assert_eq!(c.base_url().as_str(), url);
    }
    assert!(Client::builder().credentials("a", "b").base_url("http://rest.example.com").build().is_err());
    assert!(Client::builder().build().is_err());
    assert!(Client::builder().credentials("a", "b").chunk_size(2 * 1024 * 1024).build().is_err());
}

#[test]
fn from_env_names_the_missing_variable() {
    if std::env::var("INTERFAX_USERNAME").is_err() {
        let err = Client::from_env().unwrap_err();
        assert!(err.to_string().contains("INTERFAX_USERNAME"), "{err}");
    }
}

#[test]
fn from_vars_reads_credentials_and_the_base_url_override() {
    let vars = |base: Option<&'static str>| {
        move |name: &str| match name {
            "INTERFAX_USERNAME" => Some("alice".to_owned()),
            "INTERFAX_PASSWORD" => Some("hunter2-secret".to_owned()),
            "INTERFAX_BASE_URL" => base.map(str::to_owned),
            _ => None,
        }
    };
    let standard = Client::builder_from_vars(vars(None)).unwrap();
    assert!(!format!("{standard:?}").contains("hunter2"));
    assert_eq!(standard.build().unwrap().base_url().as_str(), "https://rest.interfax.net/");
    let sandbox = Client::builder_from_vars(vars(Some("http://127.0.0.1:8089"))).unwrap().build().unwrap();
    assert_eq!(sandbox.base_url().as_str(), "http://127.0.0.1:8089/");
    let err = Client::builder_from_vars(|n| (n == "INTERFAX_USERNAME").then(|| "alice".to_owned())).unwrap_err();
    assert!(err.to_string().contains("INTERFAX_PASSWORD"), "{err}");
}
