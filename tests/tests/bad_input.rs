//! Bad input from callers is refused with a clear validation error before any request is made.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use faxkit::{Document, ErrorKind, FaxNumber, FaxService, HttpConfig, SendRequest};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every vendor's client, pointed at a server that must never be called.
fn services(url: &str) -> Vec<(Arc<dyn FaxService>, usize)> {
    let http = HttpConfig::default().base_url(url);
    // (service, the vendor's recipient limit per send)
    vec![
        (Arc::new(interfax::Client::builder().credentials("u", "pw").http(http.clone()).build().unwrap()), 1),
        (
            Arc::new(
                westfax::Client::builder()
                    .credentials("u", "pw")
                    .product_id("00000000-0000-0000-0000-000000000000")
                    .http(http.clone())
                    .build()
                    .unwrap(),
            ),
            20,
        ),
        (Arc::new(faxcore::Client::builder().credentials("2125550100", "pw").http(http.clone()).build().unwrap()), 1),
        (Arc::new(fax2::Client::builder().credentials("id", "pw").http(http.clone()).build().unwrap()), 1),
    ]
}

fn to() -> FaxNumber {
    FaxNumber::parse("+1 212 555 0100").unwrap()
}

#[tokio::test]
async fn refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    let retarus: Arc<dyn FaxService> = Arc::new(
        retarus_fax::Client::builder()
            .credentials("u", "pw")
            .customer_number("99999TE")
            .http(HttpConfig::default().base_url(server.uri()))
            .build()
            .unwrap(),
    );
    let mut all = services(&server.uri());
    all.push((retarus, usize::MAX));
    for (svc, max_recipients) in all {
        let vendor = svc.vendor();
        let cases: Vec<(&str, SendRequest)> = vec![
            ("empty document", SendRequest::new(to(), Document::from_bytes(Vec::new(), "empty.pdf"))),
            ("no recipient", {
                let mut r = SendRequest::new(to(), Document::from_bytes("%PDF-1.4", "a.pdf"));
                r.to.clear();
                r
            }),
            ("no document", {
                let mut r = SendRequest::new(to(), Document::from_bytes("%PDF-1.4", "a.pdf"));
                r.documents.clear();
                r
            }),
            ("missing file", SendRequest::new(to(), Document::from_path("/nonexistent/faxkit/letter.pdf"))),
        ];
        for (what, request) in cases {
            let err = svc.send(&request).await.unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::InvalidInput | ErrorKind::Io), "{vendor}: {what}: {err}");
        }
        if max_recipients < usize::MAX {
            let mut r = SendRequest::new(to(), Document::from_bytes("%PDF-1.4", "a.pdf"));
            r.to = vec![to(); max_recipients + 1];
            let err = svc.send(&r).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{vendor}: too many recipients: {err}");
            assert!(err.to_string().contains(&max_recipients.to_string()), "{vendor}: name the limit: {err}");
        }
    }
    // Invalid numbers never get as far as a vendor: parsing refuses them.
    for bad in ["", "12", "+1 212 555 010", "+44 12", "not a number", "+1-800-FLOWERS"] {
        assert_eq!(FaxNumber::parse(bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    // `expect(0)` is verified when the server drops.
}

#[tokio::test]
async fn unsupported_file_types_are_refused_where_the_vendor_lists_its_types() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    let exe = || Document::from_bytes(b"MZ\x90\x00\x03\x00\x00\x00".to_vec(), "setup.exe");
    let faxcore: Arc<dyn FaxService> = Arc::new(
        faxcore::Client::builder()
            .credentials("2125550100", "pw")
            .http(HttpConfig::default().base_url(server.uri()))
            .build()
            .unwrap(),
    );
    let fax2: Arc<dyn FaxService> = Arc::new(
        fax2::Client::builder()
            .credentials("id", "pw")
            .http(HttpConfig::default().base_url(server.uri()))
            .build()
            .unwrap(),
    );
    for svc in [faxcore, fax2] {
        let err = svc.send(&SendRequest::new(to(), exe())).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{}: {err}", svc.vendor());
    }
}

#[tokio::test]
async fn retarus_refuses_documents_it_cannot_type_and_westfax_sends_that_its_documents_rule_out() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    // Retarus decides the file type by the document name's extension: a document with neither an extension
    // nor a recognisable type is refused. (WestFax lists no types: its file type detector takes any file.)
    let untyped = Document::from_bytes(b"\x00\x01\x02\x03 opaque".to_vec(), "scan");
    let retarus: Arc<dyn FaxService> = Arc::new(
        retarus_fax::Client::builder()
            .credentials("u", "pw")
            .customer_number("99999TE")
            .http(HttpConfig::default().base_url(server.uri()))
            .build()
            .unwrap(),
    );
    let err = retarus.send(&SendRequest::new(to(), untyped)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "retarus: {err}");
    // WestFax numbers recipients `Numbers1…Numbers999`: more than 999 is refused by the operation itself.
    let westfax = westfax::Client::builder()
        .credentials("u", "pw")
        .product_id("00000000-0000-0000-0000-000000000000")
        .http(HttpConfig::default().base_url(server.uri()))
        .build()
        .unwrap();
    let numbers: Vec<String> = (0..1000).map(|i| format!("212555{i:04}")).collect();
    let op = westfax::fax::FaxSendFax::new(numbers, [Document::from_bytes("%PDF-1.4", "a.pdf")]);
    let err = westfax.call(op).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "westfax: {err}");
}
