//! The vendor clients under test, pointed at the local server, and the operations the benchmarks run through
//! them: one status call, one 1,000-item list, one large upload, one large download.

use std::time::{Duration, Instant};

/// Wall time and this process's CPU time (user + system, all threads) of one operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) wall: Duration,
    pub(crate) cpu: Option<Duration>,
}

/// Starts both clocks.
struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn start() -> Clock {
        Clock { wall: Instant::now(), cpu: process_cpu() }
    }

    fn stop(&self) -> Timing {
        let cpu = match (self.cpu, process_cpu()) {
            (Some(a), Some(b)) => b.checked_sub(a),
            _ => None,
        };
        Timing { wall: self.wall.elapsed(), cpu }
    }
}

/// User + system CPU time of this process from `/proc/self/stat` (fields 14 and 15, in USER_HZ = 100 ticks).
pub(crate) fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

use faxkit::{Download, FaxNumber, HttpConfig};
use futures::StreamExt as _;

use crate::data;
use crate::server::{Vendor, WESTFAX_JOB};

type Result<T> = std::result::Result<T, String>;

const USER: &str = "bench";
const PASSWORD: &str = "bench-password";
const PRODUCT_ID: &str = "00000000-1111-2222-3333-444444444444";
const CUSTOMER: &str = "99999TE";

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The clients as users get them: the default `HttpConfig` (60 s call and read timeouts, so ordinary calls carry
/// no read-timeout timer) with the bench server's URL.
fn http(base: &str) -> HttpConfig {
    HttpConfig::default().base_url(base)
}

fn westfax(base: &str, transport: westfax::Transport) -> Result<westfax::Client> {
    westfax::Client::builder()
        .credentials(USER, PASSWORD)
        .product_id(PRODUCT_ID)
        .http(http(base))
        .transport(transport)
        .build()
        .map_err(err)
}

/// One status read (the decoded model is dropped): through a vendor's public API, or bare reqwest.
pub(crate) trait StatusCall: Send + Sync + 'static {
    fn status(&self) -> impl Future<Output = Result<()>> + Send;
}

impl StatusCall for interfax::Client {
    async fn status(&self) -> Result<()> {
        self.outbound().get(interfax::OutboundFaxId::from(667_915_751)).await.map(drop).map_err(err)
    }
}

impl StatusCall for westfax::Client {
    async fn status(&self) -> Result<()> {
        self.call(westfax::fax::FaxGetFaxStatus::new([WESTFAX_JOB])).await.map(drop).map_err(err)
    }
}

impl StatusCall for faxcore::Client {
    async fn status(&self) -> Result<()> {
        self.fax_status(faxcore::FaxId::new(209_608_080_375)).await.map(drop).map_err(err)
    }
}

impl StatusCall for fax2::Client {
    async fn status(&self) -> Result<()> {
        self.sent_faxes().get(&fax2::SentFaxId::new("10492")).await.map(drop).map_err(err)
    }
}

impl StatusCall for retarus_fax::Client {
    async fn status(&self) -> Result<()> {
        self.reports().get(&retarus_fax::JobId::new("FJLI3102O5BEPYOTB5LPC9")).await.map(drop).map_err(err)
    }
}

impl StatusCall for Bare {
    // The call's own future, without one more level around it.
    #[allow(clippy::manual_async_fn)]
    fn status(&self) -> impl Future<Output = Result<()>> + Send {
        self.status_call()
    }
}

/// What [`Client::with_own`] runs: a measurement generic over the client type (a closure cannot be).
pub(crate) trait WithStatusCall {
    type Output;
    fn run<C: StatusCall>(self, client: C) -> Self::Output;
}

/// One vendor's client.
#[derive(Debug, Clone)]
pub(crate) enum Client {
    Interfax(interfax::Client),
    Westfax(westfax::Client),
    Faxcore(Box<faxcore::Client>),
    Fax2(fax2::Client),
    Retarus(retarus_fax::Client),
}

impl Client {
    /// The vendor's client for a server at `base`.
    pub(crate) fn new(vendor: Vendor, base: &str) -> Result<Client> {
        Ok(match vendor {
            Vendor::Interfax => Client::Interfax(
                interfax::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?,
            ),
            Vendor::Westfax => Client::Westfax(westfax(base, westfax::Transport::Rest)?),
            Vendor::Faxcore => Client::Faxcore(Box::new(
                faxcore::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?,
            )),
            Vendor::Fax2 => {
                Client::Fax2(fax2::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?)
            }
            Vendor::Retarus => Client::Retarus(
                retarus_fax::Client::builder()
                    .credentials(USER, PASSWORD)
                    .customer_number(CUSTOMER)
                    .http(http(base))
                    .build()
                    .map_err(err)?,
            ),
        })
    }

    /// Calls `f` with this vendor's own client, so a measurement runs through that client's own future: a
    /// future over this enum would be as large as the largest vendor's, and every call would move that much.
    pub(crate) fn with_own<R>(self, f: impl WithStatusCall<Output = R>) -> R {
        match self {
            Client::Interfax(c) => f.run(c),
            Client::Westfax(c) => f.run(c),
            Client::Faxcore(c) => f.run(*c),
            Client::Fax2(c) => f.run(c),
            Client::Retarus(c) => f.run(c),
        }
    }

    /// One 1,000-item list (`xml`: the vendor's XML dialect); returns the number of items decoded.
    pub(crate) async fn list(&self, xml: bool) -> Result<usize> {
        match self {
            Client::Interfax(c) => c.outbound().list().limit(1000).send().await.map(|v| v.len()),
            Client::Westfax(c) => {
                let c = if xml { westfax(c.base_url().as_str(), westfax::Transport::RestXml)? } else { c.clone() };
                let op = westfax::fax::FaxGetFaxDescriptions::new(
                    jiff::Timestamp::UNIX_EPOCH,
                    westfax::model::Direction::Inbound,
                );
                c.call(op).await.map(|v| v.len())
            }
            Client::Faxcore(c) => c.get_fax_list(faxcore::Folder::Inbox).send().await.map(|v| v.len()),
            Client::Fax2(c) => c.received_faxes().list().send().await.map(|p| p.data.len()),
            Client::Retarus(c) => c.reports().list().await.map(|r| r.items.len()),
        }
        .map_err(err)
    }
}

/// A bare reqwest request identical to the vendor client's status call (same method, URL, auth, headers).
#[derive(Debug)]
pub(crate) struct Bare {
    client: reqwest::Client,
    vendor: Vendor,
    base: String,
    token: Option<String>,
}

impl Bare {
    pub(crate) async fn new(vendor: Vendor, base: &str) -> Result<Bare> {
        let client = reqwest::Client::builder().build().map_err(err)?;
        let mut bare = Bare { client, vendor, base: base.to_owned(), token: None };
        if vendor == Vendor::Fax2 {
            let body: serde_json::Value = bare
                .client
                .post(format!("{base}oauth2/token"))
                .basic_auth(USER, Some(PASSWORD))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .map_err(err)?
                .json()
                .await
                .map_err(err)?;
            bare.token = body["access_token"].as_str().map(str::to_owned);
        }
        Ok(bare)
    }

    /// The status call: send, read the body, decode it (JSON into `serde_json::Value`, FaxCore's XML into a
    /// two-field serde struct).
    async fn status_call(&self) -> Result<()> {
        let base = &self.base;
        let (request, json) = match self.vendor {
            Vendor::Interfax => {
                (self.client.get(format!("{base}outbound/faxes/667915751")).basic_auth(USER, Some(PASSWORD)), true)
            }
            Vendor::Faxcore => (
                self.client
                    .get(format!("{base}FaxStatus?faxid=209608080375"))
                    .basic_auth(USER, Some(PASSWORD))
                    .header("accept", "application/xml, text/xml;q=0.9, */*;q=0.8"),
                false,
            ),
            Vendor::Fax2 => (
                self.client
                    .get(format!("{base}sent_faxes/10492"))
                    .header("authorization", format!("bearer {}", self.token.as_deref().unwrap_or_default())),
                true,
            ),
            Vendor::Retarus => (
                self.client
                    .get(format!("{base}rest/v1/{CUSTOMER}/fax/reports/FJLI3102O5BEPYOTB5LPC9"))
                    .basic_auth(USER, Some(PASSWORD))
                    .header("accept", "application/json"),
                true,
            ),
            Vendor::Westfax => {
                let form = reqwest::multipart::Form::new()
                    .text("Username", USER)
                    .text("Password", PASSWORD)
                    .text("ProductId", PRODUCT_ID)
                    .text("Ids1", WESTFAX_JOB);
                (self.client.post(format!("{base}REST/Fax_GetFaxStatus/json")).multipart(form), true)
            }
        };
        let response = request.send().await.map_err(err)?.error_for_status().map_err(err)?;
        let body = response.bytes().await.map_err(err)?;
        if json {
            serde_json::from_slice::<serde_json::Value>(&body).map_err(err)?;
        } else {
            let text = std::str::from_utf8(&body).map_err(err)?;
            let reply: FaxCoreReply = quick_xml::de::from_str(text).map_err(err)?;
            if reply.fax_status.results.trim().is_empty() {
                return Err("empty <Results>".to_owned());
            }
        }
        Ok(())
    }
}

/// `<ApiResponse><FaxStatus><Results>`, for the bare FaxCore status call.
#[derive(Debug, serde::Deserialize)]
struct FaxCoreReply {
    #[serde(rename = "FaxStatus")]
    fax_status: FaxCoreResults,
}

#[derive(Debug, serde::Deserialize)]
struct FaxCoreResults {
    #[serde(rename = "Results")]
    results: String,
}

/// A large-document path measured in a child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    InterfaxChunked,
    WestfaxRestMultipart,
    WestfaxSoapBase64,
    FaxcoreRaw,
    Fax2Upload,
    RetarusBase64Json,
    FaxcoreDownloadBase64,
    WestfaxDownloadBase64,
    InterfaxImage,
    Fax2Content,
    RetarusFiles,
}

impl Path {
    pub(crate) const UPLOADS: [Path; 6] = [
        Path::InterfaxChunked,
        Path::WestfaxRestMultipart,
        Path::WestfaxSoapBase64,
        Path::FaxcoreRaw,
        Path::Fax2Upload,
        Path::RetarusBase64Json,
    ];
    pub(crate) const DOWNLOADS: [Path; 5] = [
        Path::FaxcoreDownloadBase64,
        Path::WestfaxDownloadBase64,
        Path::InterfaxImage,
        Path::Fax2Content,
        Path::RetarusFiles,
    ];

    pub(crate) fn all() -> impl Iterator<Item = Path> {
        Path::UPLOADS.into_iter().chain(Path::DOWNLOADS)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Path::InterfaxChunked => "interfax-chunked",
            Path::WestfaxRestMultipart => "westfax-rest-multipart",
            Path::WestfaxSoapBase64 => "westfax-soap-base64",
            Path::FaxcoreRaw => "faxcore-raw",
            Path::Fax2Upload => "fax2-upload-document",
            Path::RetarusBase64Json => "retarus-base64-json",
            Path::FaxcoreDownloadBase64 => "faxcore-download-base64",
            Path::WestfaxDownloadBase64 => "westfax-download-base64",
            Path::InterfaxImage => "interfax-image",
            Path::Fax2Content => "fax2-content",
            Path::RetarusFiles => "retarus-files",
        }
    }

    /// What the path does, for the report.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Path::InterfaxChunked => "`documents().upload()`: 1 MiB chunks to /outbound/documents/{id}",
            Path::WestfaxRestMultipart => "`Fax_SendFax` over REST: streamed multipart part `Files0`",
            Path::WestfaxSoapBase64 => "`SendFax` over SOAP 1.1: base64 `FileContainer` in the envelope",
            Path::FaxcoreRaw => "`send_fax()`: the document as the raw `SendFax` body",
            Path::Fax2Upload => "`upload_document()`: multipart part `document`",
            Path::RetarusBase64Json => "`jobs().send()`: base64 `documents[].data` in the JSON job",
            Path::FaxcoreDownloadBase64 => "`download_fax()`: a base64 text body, decoded as it streams",
            Path::WestfaxDownloadBase64 => "`download_document()`: base64 `FileContents` in the REST JSON envelope",
            Path::InterfaxImage => "`inbound().image()`: the raw image body",
            Path::Fax2Content => "`received_faxes().content()`: the raw PDF body",
            Path::RetarusFiles => "`download_inbound()`: GET /files/{id}.pdf, the raw body",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Path> {
        Path::all().find(|p| p.name() == name)
    }

    pub(crate) fn is_upload(self) -> bool {
        Path::UPLOADS.contains(&self)
    }

    /// Whether the path moves the document as base64 (the 500 MiB/s target).
    pub(crate) fn is_base64(self) -> bool {
        matches!(
            self,
            Path::WestfaxSoapBase64
                | Path::RetarusBase64Json
                | Path::FaxcoreDownloadBase64
                | Path::WestfaxDownloadBase64
        )
    }

    pub(crate) fn vendor(self) -> Vendor {
        match self {
            Path::InterfaxChunked | Path::InterfaxImage => Vendor::Interfax,
            Path::WestfaxRestMultipart | Path::WestfaxSoapBase64 | Path::WestfaxDownloadBase64 => Vendor::Westfax,
            Path::FaxcoreRaw | Path::FaxcoreDownloadBase64 => Vendor::Faxcore,
            Path::Fax2Upload | Path::Fax2Content => Vendor::Fax2,
            Path::RetarusBase64Json | Path::RetarusFiles => Vendor::Retarus,
        }
    }

    /// Runs the path once against `base` with a `len`-byte generated document; returns the bytes the client
    /// delivered (downloads) or `len` (uploads), and the time of the operation (the client is built before the
    /// clock starts: building one loads the platform's root certificates).
    pub(crate) async fn run(self, base: &str, len: u64) -> Result<(u64, Timing)> {
        let to = || FaxNumber::parse("+12125550100").map_err(err);
        let doc = || data::document(len, "document.pdf");
        match self {
            Path::InterfaxChunked => {
                let c =
                    interfax::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let t = Clock::start();
                c.documents().upload(doc()).send().await.map_err(err)?;
                Ok((len, t.stop()))
            }
            Path::WestfaxRestMultipart | Path::WestfaxSoapBase64 => {
                let transport =
                    if self == Path::WestfaxSoapBase64 { westfax::Transport::Soap } else { westfax::Transport::Rest };
                let c = westfax(base, transport)?;
                let t = Clock::start();
                c.call(westfax::fax::FaxSendFax::new(["5552001111"], [doc()])).await.map_err(err)?;
                Ok((len, t.stop()))
            }
            Path::FaxcoreRaw => {
                let c = faxcore::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let t = Clock::start();
                c.send_fax(to()?, doc()).send().await.map_err(err)?;
                Ok((len, t.stop()))
            }
            Path::Fax2Upload => {
                let c = fax2::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let t = Clock::start();
                c.upload_document(doc()).send().await.map_err(err)?;
                Ok((len, t.stop()))
            }
            Path::RetarusBase64Json => {
                let c = retarus_fax::Client::builder()
                    .credentials(USER, PASSWORD)
                    .customer_number(CUSTOMER)
                    .http(http(base))
                    .build()
                    .map_err(err)?;
                let t = Clock::start();
                c.jobs().send(&to()?).document(doc()).send().await.map_err(err)?;
                Ok((len, t.stop()))
            }
            Path::FaxcoreDownloadBase64 => {
                let c = faxcore::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let t = Clock::start();
                let n = consume(c.download_fax(faxcore::FaxId::new(len), faxcore::FileType::Pdf).await.map_err(err)?)
                    .await?;
                Ok((n, t.stop()))
            }
            Path::WestfaxDownloadBase64 => {
                let c = westfax(base, westfax::Transport::Rest)?;
                let t = Clock::start();
                let fax = westfax::model::FaxIdItem::new(len.to_string(), westfax::model::Direction::Inbound);
                let n = consume(c.download_document(fax, westfax::model::FileFormat::Pdf).await.map_err(err)?).await?;
                Ok((n, t.stop()))
            }
            Path::InterfaxImage => {
                let c =
                    interfax::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let id = interfax::InboundFaxId::from(i64::try_from(len).map_err(err)?);
                let t = Clock::start();
                let n = consume(c.inbound().image(id).await.map_err(err)?).await?;
                Ok((n, t.stop()))
            }
            Path::Fax2Content => {
                let c = fax2::Client::builder().credentials(USER, PASSWORD).http(http(base)).build().map_err(err)?;
                let id = fax2::ReceivedFaxId::new(len.to_string());
                let t = Clock::start();
                let n = consume(c.received_faxes().content(&id).await.map_err(err)?).await?;
                Ok((n, t.stop()))
            }
            Path::RetarusFiles => {
                let c = retarus_fax::Client::builder()
                    .credentials(USER, PASSWORD)
                    .customer_number(CUSTOMER)
                    .http(http(base))
                    .build()
                    .map_err(err)?;
                let document: retarus_fax::InboundDocument = serde_json::from_value(serde_json::json!({
                    "url": format!("https://api.us1.retarus.com/faxin/rest/v1/files/J5WA4IAA@BXATD0S.{len}.pdf")
                }))
                .map_err(err)?;
                let t = Clock::start();
                let n = consume(c.download_inbound(&document).await.map_err(err)?).await?;
                Ok((n, t.stop()))
            }
        }
    }
}

/// Reads a download to its end, counting bytes and checking it starts like the generated PDF.
async fn consume(download: Download) -> Result<u64> {
    let mut stream = download.stream;
    let mut n = 0u64;
    let mut first = true;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(err)?;
        if first && !chunk.is_empty() {
            if !chunk.starts_with(b"%PDF-") {
                return Err("the download does not start with %PDF-".to_owned());
            }
            first = false;
        }
        n += chunk.len() as u64;
    }
    Ok(n)
}
