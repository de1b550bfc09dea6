//! Unit tests of the client: Debug redaction, environment variables, regions.
use super::*;

#[test]
fn debug_hides_passwords() {
    let c = Client::builder()
        .credentials("login", "very-secret-pw")
        .customer_number("99999TE")
        .pull_password("pull-secret-pw")
        .region(Region::De)
        .build()
        .unwrap();
    let text = format!("{c:?}");
    assert!(!text.contains("very-secret-pw") && !text.contains("pull-secret-pw"), "{text}");
    assert!(text.contains("99999TE"));
}

#[test]
fn from_vars_reads_region_or_data_center() {
    let vars = |extra: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            [("RETARUS_USERNAME", "u"), ("RETARUS_PASSWORD", "p"), ("RETARUS_CUSTOMER_NUMBER", "99999TE")]
                .iter()
                .chain(extra)
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let c = Client::from_vars(vars(&[("RETARUS_REGION", "us2"), ("RETARUS_TOPIC", "t1")])).unwrap();
    assert!(c.pull_http().unwrap_err().to_string().contains("RETARUS_PULL_DATA_CENTER"));
    let c = Client::from_vars(vars(&[
        ("RETARUS_REGION", "us2"),
        ("RETARUS_TOPIC", "t1"),
        ("RETARUS_PULL_DATA_CENTER", "us1"),
    ]))
    .unwrap();
    assert_eq!(c.pull_http().unwrap().base_url().as_str(), "https://api.us1.retarus.com/faxin/rest/v1/");
    let err = Client::from_vars(vars(&[("RETARUS_REGION", "us"), ("RETARUS_PULL_DATA_CENTER", "x")])).unwrap_err();
    assert!(err.to_string().contains("RETARUS_PULL_DATA_CENTER"));
    assert_eq!(c.inner.send.http.base_url().as_str(), "https://faxws.us2.retarus.com/rest/v1/");
    assert_eq!(c.data_centers(), vec![DataCenter::Us1, DataCenter::Us2]);
    assert_eq!(c.default_topic(), Some("t1"));
    let c = Client::from_vars(vars(&[
        ("RETARUS_BASE_URL", "http://127.0.0.1:9"),
        ("RETARUS_FAX4A_DC_URLS", "http://127.0.0.1:9/dc1/rest/v1/, http://127.0.0.1:9/dc2/rest/v1/"),
    ]))
    .unwrap();
    assert_eq!(c.inner.send.http.base_url().as_str(), "http://127.0.0.1:9/rest/v1/");
    assert_eq!(c.inner.data_centers[1].http.base_url().as_str(), "http://127.0.0.1:9/dc2/rest/v1/");
    assert_eq!(c.pull_http().unwrap().base_url().as_str(), "http://127.0.0.1:9/faxin/rest/v1/");
    let err = Client::from_vars(vars(&[("RETARUS_REGION", "mars")])).unwrap_err();
    assert!(err.to_string().contains("RETARUS_REGION"));
    let err = Client::from_vars(|_| None).unwrap_err();
    assert!(err.to_string().contains("RETARUS_USERNAME"));
}

#[test]
fn builder_picks_urls() {
    let c = Client::builder().credentials("u", "p").customer_number("1").region(Region::Us).build().unwrap();
    assert_eq!(c.inner.send.http.base_url().as_str(), "https://faxws-ha.us.retarus.com/rest/v1/");
    assert_eq!(c.data_centers(), vec![DataCenter::Us1, DataCenter::Us2]);
    // US has two data centers with different pull hosts: none is guessed.
    assert_eq!(c.pull_data_center(), None);
    let err = c.pull_http().unwrap_err();
    assert!(err.to_string().contains("RETARUS_PULL_DATA_CENTER"), "{err}");
    let c = Client::builder()
        .credentials("u", "p")
        .customer_number("1")
        .region(Region::Us)
        .pull_data_center(DataCenter::Us2)
        .build()
        .unwrap();
    assert_eq!(c.pull_http().unwrap().base_url().as_str(), "https://api.us2.retarus.com/faxin/rest/v1/");
    let c = Client::builder().credentials("u", "p").customer_number("1").region(Region::Ch).build().unwrap();
    assert_eq!(c.pull_data_center(), Some(&DataCenter::Ch1), "CH has one data center");
    let c = Client::builder()
        .credentials("u", "p")
        .customer_number("1")
        .region(Region::De)
        .send_via(DataCenter::De2)
        .build()
        .unwrap();
    assert_eq!(c.inner.send.http.base_url().as_str(), "https://faxws.de2.retarus.com/rest/v1/");
    assert_eq!(c.pull_data_center(), None, "sending through DE2 says nothing about the topic's data center");
    let url = Client::url(&c.inner.send.http, &["99 TE", "fax", "reports", "a/b"]).unwrap();
    assert_eq!(url.as_str(), "https://faxws.de2.retarus.com/rest/v1/99%20TE/fax/reports/a%2Fb");
    assert!(Client::url(&c.inner.send.http, &["99", "fax", "reports", ".."]).is_err());
    assert!(Client::url(&c.inner.send.http, &["99", "fax", "reports", ""]).is_err());
    assert!(Client::builder().credentials("u", "p").customer_number("1").build().is_err());
    let err = Client::builder().customer_number("1").region(Region::De).build().unwrap_err().to_string();
    assert!(err.contains("ClientBuilder::credentials") && err.contains("RETARUS_USERNAME"), "{err}");
    let err = Client::builder().credentials("u", "p").region(Region::De).build().unwrap_err().to_string();
    assert!(err.contains("ClientBuilder::customer_number") && err.contains("RETARUS_CUSTOMER_NUMBER"), "{err}");
    assert!(Client::builder().credentials("u", "p").customer_number(" ").region(Region::De).build().is_err());
}
