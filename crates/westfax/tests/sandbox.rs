//! The sandbox over every transport and session style: the FaxService scenario, sessions, compression.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;
use faxkit::{DeliveryStatus, Direction, Document, ErrorKind, FaxId, FaxNumber, FaxService, InboundQuery, SendRequest};
use westfax::sandbox::{Compression, Sandbox};
use westfax::{Operation, SessionMode, Transport};

fn pdf(text: &str) -> Bytes {
    Bytes::from(format!("%PDF-1.4\n% {text}\n%%EOF\n"))
}

fn request() -> SendRequest {
    SendRequest::new(FaxNumber::parse("+1 212 555 0100").unwrap(), Document::from_bytes(pdf("first"), "first.pdf"))
        .document(Document::from_bytes(pdf("second"), "second.pdf"))
        .reference("conformance")
}

async fn scenario(sandbox: &Sandbox, svc: &dyn FaxService, transport: Transport) {
    let id = svc.send(&request()).await.unwrap_or_else(|e| panic!("{transport}: send: {e}"));
    let sent = sandbox.sent_faxes().into_iter().find(|f| f.id == id.as_str()).unwrap();
    assert_eq!(sent.numbers, vec!["2125550100"]);
    assert_eq!(sent.files.len(), 2, "{transport}");
    assert_eq!(sent.files[1].1, pdf("second"), "{transport}: uploaded bytes differ");
    let mut seen = Vec::new();
    for _ in 0..10 {
        let s = svc.status(&id).await.unwrap_or_else(|e| panic!("{transport}: status: {e}"));
        seen.push(s.status.clone());
        if s.status.is_final() {
            break;
        }
    }
    assert_eq!(seen, vec![DeliveryStatus::Queued, DeliveryStatus::Sending, DeliveryStatus::Delivered], "{transport}");

    let queued = svc.send(&request()).await.unwrap();
    match svc.cancel(&queued).await {
        Ok(()) => assert_eq!(svc.status(&queued).await.unwrap().status, DeliveryStatus::Cancelled),
        Err(e) => {
            assert!(transport.is_soap(), "{transport}: cancel: {e}");
            assert_eq!(e.kind(), ErrorKind::Unsupported);
        }
    }

    let doc = pdf(&format!("inbound over {transport}"));
    let inbound = sandbox.inject_inbound(&FaxNumber::parse("+1 646 555 0199").unwrap(), doc.clone()).await;
    let listed = svc.list_inbound(&InboundQuery::default()).await.unwrap_or_else(|e| panic!("{transport}: list: {e}"));
    assert!(listed.iter().any(|f| f.id == inbound), "{transport}: {listed:?}");
    let bytes = svc.download(&inbound, Direction::Inbound).await.unwrap().bytes(1 << 20).await.unwrap();
    assert_eq!(bytes, doc, "{transport}: download");
    svc.acknowledge(&inbound).await.unwrap_or_else(|e| panic!("{transport}: ack: {e}"));
    let unread = svc.list_inbound(&InboundQuery::default().unread_only(true)).await.unwrap();
    assert!(!unread.iter().any(|f| f.id == inbound), "{transport}: acknowledged fax still unread");

    let err = svc.status(&FaxId::new("999999999")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{transport}: {err}");
}

#[tokio::test]
async fn fax_service_works_over_every_transport() {
    let sandbox = Sandbox::start().await.unwrap();
    for transport in Transport::ALL {
        let svc = sandbox.service_with_transport(transport);
        scenario(&sandbox, &*svc, transport).await;
    }
}

#[tokio::test]
async fn wrong_credentials_are_auth_errors_over_every_transport() {
    for transport in Transport::ALL {
        let sandbox = Sandbox::start().await.unwrap().with_transport(transport);
        let bad = sandbox.service_with_wrong_credentials();
        let err = bad.list_inbound(&InboundQuery::default()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "{transport}: {err}");
        let err = bad.send(&request()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "{transport}: {err}");
        assert!(sandbox.sent_faxes().is_empty());
    }
}

#[tokio::test]
async fn stateful_sessions_work_over_every_transport_and_survive_expiry() {
    let sandbox = Sandbox::start().await.unwrap();
    for transport in Transport::ALL {
        for mode in [SessionMode::Cookie, SessionMode::Token] {
            let client = sandbox.client_with(transport, mode);
            let id = client.send(&request()).await.unwrap_or_else(|e| panic!("{transport} {mode:?}: {e}"));
            sandbox.expire_sessions();
            let status = client.status(&id).await.unwrap_or_else(|e| panic!("{transport} {mode:?} after expiry: {e}"));
            assert_eq!(status.status, DeliveryStatus::Queued);
        }
    }
    let reqs = sandbox.requests();
    let auths = reqs.iter().filter(|r| r.method.contains("Authenticate")).count();
    assert_eq!(auths, 2 * 2 * Transport::ALL.len(), "one sign-in per client plus one after each expiry");
    let token_sends = reqs.iter().filter(|r| r.method == "SendFaxStatefulNoCookie").collect::<Vec<_>>();
    assert_eq!(token_sends.len(), 2, "SOAP 1.1 and 1.2");
    assert!(token_sends.iter().all(|r| r.field("SessionToken").is_some_and(|t| !t.is_empty())));
    assert!(token_sends.iter().all(|r| r.field("Username").is_none()));
    let cookie_sends = reqs.iter().filter(|r| r.method == "SendFaxStatefulCookie").collect::<Vec<_>>();
    assert_eq!(cookie_sends.len(), 2, "SOAP 1.1 and 1.2");
    assert!(cookie_sends.iter().all(|r| r.cookie.is_some() && r.field("SessionToken").is_none()));
}

#[tokio::test]
async fn compressed_responses_are_decoded_including_raw_deflate() {
    let sandbox = Sandbox::start().await.unwrap();
    for c in [Compression::Gzip, Compression::Deflate, Compression::RawDeflate] {
        sandbox.set_compression(Some(c));
        for transport in [Transport::Rest, Transport::RestXml, Transport::Soap] {
            let client = sandbox.client_with(transport, SessionMode::Stateless);
            let doc = pdf("compressed");
            let id = sandbox.inject(&FaxNumber::parse("+1 646 555 0199").unwrap(), doc.clone());
            let got = FaxService::download(&client, &FaxId::new(id), Direction::Inbound)
                .await
                .unwrap()
                .bytes(1 << 20)
                .await
                .unwrap();
            assert_eq!(got, doc, "{c:?} {transport}");
        }
    }
}

#[tokio::test]
async fn current_only_methods_are_unsupported_over_soap() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_with(Transport::Soap, SessionMode::Stateless);
    let err = westfax::profile::ProfileGetProductList::new().send(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    let err = westfax::fax::FaxSendFax::new(["5552001111"], [Document::from_bytes(pdf("x"), "x.pdf")])
        .ani("5551234567")
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    assert!(err.to_string().contains("ANI"));
    let err = westfax::legacy::SetProductId::new(westfax::sandbox::PRODUCT_ID).send(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    assert!(sandbox.requests().is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn env_points_from_env_at_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap().with_transport(Transport::RpcXml);
    let env = sandbox.env();
    assert!(env.iter().any(|(k, v)| k == "WESTFAX_BASE_URL" && *v == sandbox.uri()));
    assert!(env.iter().any(|(k, v)| k == "WESTFAX_TRANSPORT" && v == "rpc-xml"));
    assert_eq!("soap-object".parse::<Transport>().unwrap(), Transport::SoapObject);
    assert!("SOAP".parse::<Transport>().is_err());
}

#[tokio::test]
async fn large_documents_stream_up_and_down_over_every_transport() {
    let sandbox = Sandbox::start().await.unwrap();
    let big: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("westfax-big-{}.pdf", std::process::id()));
    let mut content = b"%PDF-1.4\n".to_vec();
    content.extend_from_slice(&big);
    std::fs::write(&path, &content).unwrap();
    for transport in Transport::ALL {
        let svc = sandbox.service_with_transport(transport);
        let to = FaxNumber::parse("+1 212 555 0100").unwrap();
        let id = svc.send(&SendRequest::new(to, Document::from_path(&path))).await.unwrap();
        let sent = sandbox.sent_faxes().into_iter().find(|f| f.id == id.as_str()).unwrap();
        assert_eq!(sent.files[0].1.as_ref(), content.as_slice(), "{transport}: upload");
        let inbound = sandbox.inject(&FaxNumber::parse("+1 646 555 0199").unwrap(), Bytes::from(content.clone()));
        let got = svc.download(&FaxId::new(inbound), Direction::Inbound).await.unwrap().bytes(1 << 21).await.unwrap();
        assert_eq!(got.as_ref(), content.as_slice(), "{transport}: download");
    }
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn the_catalogue_has_37_current_methods() {
    use westfax::contact::*;
    use westfax::fax::*;
    use westfax::profile::*;
    use westfax::security::*;
    fn name<O: Operation>() -> &'static str {
        O::CURRENT.unwrap()
    }
    let names = [
        name::<SecurityPing>(),
        name::<SecurityAuthenticate>(),
        name::<SecurityGetUserInfo>(),
        name::<SecurityGetLoginInfo>(),
        name::<ProfileGetProductList>(),
        name::<ProfileGetF2EProductList>(),
        name::<ProfileGetF2EProductDetail>(),
        name::<ProfileGetProductListPagedSearch>(),
        name::<ProfileGetAccountInfo>(),
        name::<ProfileGetFaxUsageByProductId>(),
        name::<ContactGetContactList>(),
        name::<ContactGetAllContactList>(),
        name::<ContactGetContactListForSendPagedSearch>(),
        name::<FaxSendFax>(),
        name::<FaxGetFaxIdentifiers>(),
        name::<FaxGetFaxDescriptions>(),
        name::<FaxGetFaxDescriptionsUsingIds>(),
        name::<FaxGetFaxDocuments>(),
        name::<FaxChangeFaxFilterValue>(),
        name::<FaxGetProductsWithInboundFaxes>(),
        name::<FaxSendFaxAsEmail>(),
        name::<FaxResendFaxNotification>(),
        name::<FaxResendFaxFeedback>(),
        name::<FaxGetFaxStatus>(),
        name::<FaxCancelFax>(),
        name::<FaxGetBroadcastFaxStatus>(),
        name::<FaxConvertToFaxDocument>(),
        name::<FaxGetCoverPages>(),
        name::<FaxSaveFaxFields>(),
        name::<FaxGetF2EFaxDescriptionsPagedSearch>(),
        name::<FaxGetAllF2EFaxDescriptionsPaged>(),
        name::<FaxGetF2EFaxDescriptionsPaged>(),
        name::<FaxMoveFaxToFolder>(),
        name::<FaxDeleteProductFolder>(),
        name::<FaxCheckProductFolderName>(),
        name::<FaxSaveProductFolder>(),
        name::<FaxGetProductFolderList>(),
    ];
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), 37);
    assert!(names.iter().all(|n| ["Security_", "Profile_", "Contact_", "Fax_"].iter().any(|p| n.starts_with(p))));
}

#[tokio::test]
async fn the_callback_template_is_sent_as_callbackurl_and_either_spelling_is_read() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.builder(westfax::sandbox::USERNAME, westfax::sandbox::PASSWORD).build().unwrap();
    let template = "[get]https://example.com/cb/{@jobid}?dir={@dir}";
    westfax::fax::FaxSendFax::new(["8005551234"], [Document::from_bytes(&b"%PDF-1.4"[..], "a.pdf")])
        .callback_url(westfax::fax::CallbackUrl::parse(template).unwrap())
        .send(&client)
        .await
        .unwrap();
    let sent = sandbox.sent_faxes();
    assert_eq!(sent[0].callback_url.as_deref(), Some(template));
    // The npm client's spelling, `CallBackUrl`, as a raw form post.
    let form = reqwest::multipart::Form::new()
        .text("Username", westfax::sandbox::USERNAME)
        .text("Password", westfax::sandbox::PASSWORD)
        .text("Cookies", "false")
        .text("ProductId", westfax::sandbox::PRODUCT_ID)
        .text("Numbers1", "8005551234")
        .text("CallBackUrl", template)
        .part("Files0", reqwest::multipart::Part::bytes(&b"%PDF-1.4"[..]).file_name("a.pdf"));
    let answer = reqwest::Client::new()
        .post(format!("{}/REST/Fax_SendFax/json", sandbox.uri()))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    assert_eq!(sandbox.sent_faxes()[1].callback_url.as_deref(), Some(template));
}
