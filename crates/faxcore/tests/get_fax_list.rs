//! `GET GetFaxList`: the wire for every folder, the reference sample, empty folders.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASIC, GET_FAX_LIST, NoBody, QueryIs, setup, xml};
use faxcore::{FaxId, FileType, Folder};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

#[tokio::test]
async fn get_fax_list_reads_the_reference_sample() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/GetFaxList"))
        .and(QueryIs("folder=Inbox&hidedownloaded=false"))
        .and(header("authorization", BASIC))
        .and(NoBody)
        .respond_with(xml(GET_FAX_LIST))
        .expect(1)
        .mount(&server)
        .await;
    let ids = client.get_fax_list(Folder::Inbox).send().await.unwrap();
    let want: Vec<FaxId> = [208107838349u64, 208107838241, 208107838163, 208107837004, 208107742238, 208107658605]
        .into_iter()
        .map(FaxId::new)
        .collect();
    assert_eq!(ids, want);
}

#[tokio::test]
async fn every_folder_and_the_filters_go_on_the_wire() {
    let (server, client) = setup().await;
    let queries = [
        "folder=Inbox&hidedownloaded=true&isdownloaded=PDF",
        "folder=Outbox&hidedownloaded=true&isdownloaded=PDF",
        "folder=Sent&hidedownloaded=true&isdownloaded=PDF",
        "folder=Failed&hidedownloaded=true&isdownloaded=PDF",
        "folder=Cancelled&hidedownloaded=true&isdownloaded=PDF",
        "folder=Hold&hidedownloaded=true&isdownloaded=PDF",
        "folder=Trash&hidedownloaded=true&isdownloaded=PDF",
    ];
    for q in queries {
        Mock::given(path("/api/GetFaxList"))
            .and(QueryIs(q))
            .respond_with(xml(GET_FAX_LIST))
            .expect(1)
            .mount(&server)
            .await;
    }
    for folder in Folder::ALL {
        let ids = client.get_fax_list(folder).hide_downloaded(true).file_type(FileType::Pdf).send().await.unwrap();
        assert_eq!(ids.len(), 6);
    }
    Mock::given(path("/api/GetFaxList"))
        .and(QueryIs("folder=Archive%202024&hidedownloaded=false&isdownloaded=TIF"))
        .respond_with(xml(GET_FAX_LIST))
        .expect(1)
        .mount(&server)
        .await;
    let custom = Folder::from_wire("Archive 2024");
    client.get_fax_list(custom).file_type(FileType::Tif).send().await.unwrap();
}

#[tokio::test]
async fn empty_folders_in_every_spelling() {
    for body in [
        "<ApiResponse><GetFaxList/></ApiResponse>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ApiResponse>\n  <GetFaxList>\n  </GetFaxList>\n</ApiResponse>",
    ] {
        let (server, client) = setup().await;
        Mock::given(path("/api/GetFaxList")).respond_with(xml(body)).expect(1).mount(&server).await;
        assert!(client.get_fax_list(Folder::Sent).send().await.unwrap().is_empty(), "{body}");
    }
}

#[tokio::test]
async fn a_non_numeric_id_is_a_decode_error() {
    let (server, client) = setup().await;
    let body = "<ApiResponse><GetFaxList><FaxId>abc</FaxId></GetFaxList></ApiResponse>";
    Mock::given(path("/api/GetFaxList")).respond_with(xml(body)).expect(1).mount(&server).await;
    let err = client.get_fax_list(Folder::Inbox).send().await.unwrap_err();
    assert_eq!(err.kind(), faxkit::ErrorKind::Decode);
}
