//! The sandbox's state and the behaviour of each method, independent of the transport.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;
use serde_json::{Value, json};

use super::{PASSWORD, PRODUCT_ID, USERNAME};

/// A request after transport decoding: the method and its parameters, whatever the wire.
#[derive(Debug, Clone, Default)]
pub struct SandboxRequest {
    /// The transport it came over (`rest`, `rpc`, `soap`, `soap-object`).
    pub transport: &'static str,
    /// The method as named on the wire (`Fax_SendFax`, `SendFaxStateless`, `SendFax`).
    pub method: String,
    /// Scalar parameters by lower-case name (`username`, `productid`, `cookies`, …).
    pub fields: BTreeMap<String, String>,
    /// List parameters by lower-case base name (`numbers`, `faxids`, `ids`, `jobids`, …); JSON items as text.
    pub lists: BTreeMap<String, Vec<String>>,
    /// Uploaded files (name, bytes).
    pub files: Vec<(String, Bytes)>,
    /// The `ASP.NET_SessionId` cookie, if sent.
    pub cookie: Option<String>,
}

impl SandboxRequest {
    /// A scalar parameter.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// A list parameter.
    pub fn list(&self, name: &str) -> &[String] {
        self.lists.get(&name.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The ids of a `FaxIds` list (JSON items) or of a plain id list.
    fn ids(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .list("FaxIds")
            .iter()
            .map(|item| match serde_json::from_str::<Value>(item) {
                Ok(v) => v.get("Id").or_else(|| v.get("id")).and_then(Value::as_str).unwrap_or(item).to_owned(),
                Err(_) => item.clone(),
            })
            .collect();
        for name in ["Ids", "JobIds", "FrIds", "FileIds"] {
            out.extend(self.list(name).iter().cloned());
        }
        out
    }
}

/// What a method answered: the `Result`, its XML type name and list item element.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub success: bool,
    pub error: Option<String>,
    pub info: Option<String>,
    pub result: Value,
    /// `String`, `Boolean`, `ListOfJobStatusContainer`, … (the XML root is `ApiResultOf{xml_type}`).
    pub xml_type: &'static str,
    /// The element of each list item in XML.
    pub item: &'static str,
    pub set_cookie: Option<String>,
    pub http_status: u16,
}

impl Reply {
    fn ok(result: Value, xml_type: &'static str, item: &'static str) -> Self {
        Reply { success: true, error: None, info: None, result, xml_type, item, set_cookie: None, http_status: 200 }
    }

    pub(crate) fn fail(code: &str, info: &str) -> Self {
        Reply {
            success: false,
            error: Some(code.to_owned()),
            info: Some(info.to_owned()),
            result: Value::Null,
            xml_type: "String",
            item: "string",
            set_cookie: None,
            http_status: 200,
        }
    }
}

/// An outbound fax the sandbox accepted.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SentFax {
    /// The job id (a GUID) the sandbox returned as the send's `Result`.
    pub id: String,
    /// Destination numbers as sent.
    pub numbers: Vec<String>,
    /// The files, decoded.
    pub files: Vec<(String, Bytes)>,
    /// The `JobName` field of the send, when given (a name for reports, not printed on the fax).
    pub job_name: Option<String>,
    /// The `CSID` field of the send, when given: the station id the receiving machine would show.
    pub csid: Option<String>,
    /// The callback template: `CallbackUrl` (Postman, the C# SDK, this crate) or `CallBackUrl` (npm client
    /// 1.1), field names being matched ignoring case.
    pub callback_url: Option<String>,
    /// The transport it came over.
    pub transport: &'static str,
    /// When the sandbox accepted it.
    pub sent_at: jiff::Timestamp,
    pub(crate) reads: u32,
    pub(crate) cancelled: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Inbound {
    pub id: String,
    pub from: String,
    pub to: String,
    pub pdf: Bytes,
    pub tag: &'static str,
    /// Acknowledgements received (`Fax_ChangeFaxFilterValue` to `Retrieved`, `MarkInboundFaxesDownloaded`).
    pub acks: u32,
    /// Document downloads served (`Fax_GetFaxDocuments`, `GetInboundFaxes`).
    pub downloads: u32,
}

/// The sandbox's whole state.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub sent: Vec<SentFax>,
    pub inbound: Vec<Inbound>,
    pub sessions: HashMap<String, ()>,
    pub requests: Vec<SandboxRequest>,
    pub counter: u64,
    pub expired: bool,
}

const DATE: &str = "2026-11-23T12:00:00Z";

impl State {
    /// Delivers an inbound fax from `from` carrying `pdf`; returns its id.
    pub(crate) fn inject_inbound(&mut self, from: &faxkit::FaxNumber, pdf: Bytes) -> String {
        let id = self.guid(0x00f1);
        let from = from.nanp().unwrap_or_else(|_| from.digits());
        let to = super::INBOUND_NUMBER.into();
        self.inbound.push(Inbound { id: id.clone(), from, to, pdf, tag: "None", acks: 0, downloads: 0 });
        id
    }

    /// Every inbound fax, oldest first: acknowledged = tagged `Retrieved`.
    pub(crate) fn inbound_report(&self) -> Vec<faxkit::sandbox::SandboxInbound> {
        self.inbound
            .iter()
            .map(|f| {
                let mut r = faxkit::sandbox::SandboxInbound::new(faxkit::FaxId::new(f.id.clone()), f.pdf.clone());
                r.acknowledged = f.tag == "Retrieved";
                r.acks = f.acks;
                r.downloads = f.downloads;
                r
            })
            .collect()
    }

    pub(crate) fn guid(&mut self, kind: u16) -> String {
        self.counter += 1;
        format!("{:08x}-{kind:04x}-4000-8000-{:012x}", 0x5a_0d_b0_c5u32, self.counter)
    }

    /// Authenticates a request; `Err(reply)` when refused.
    fn authorize(&self, req: &SandboxRequest) -> Result<(), Box<Reply>> {
        if let (Some(u), Some(p)) = (req.field("Username"), req.field("Password")) {
            return if u == USERNAME && p == PASSWORD {
                Ok(())
            } else {
                Err(Box::new(Reply::fail("Authorization_Failed_BadUsernamePassword", "Bad username or password")))
            };
        }
        let token = req.field("SessionToken").filter(|t| !t.is_empty()).or(req.cookie.as_deref());
        match token {
            Some(t) if self.sessions.contains_key(t) => Ok(()),
            Some(_) if self.expired => {
                Err(Box::new(Reply::fail("Authorization_Failed_SessionExpired", "Session expired")))
            }
            Some(_) => Err(Box::new(Reply::fail("Authorization_Failed_InvalidSession", "Unknown session"))),
            None => Err(Box::new(Reply::fail("Authorization_Failed_BadUsernamePassword", "No credentials"))),
        }
    }

    fn check_product(req: &SandboxRequest) -> Result<(), Box<Reply>> {
        match req.field("ProductId") {
            Some(p) if p != PRODUCT_ID => {
                Err(Box::new(Reply::fail("Authorization_Failed_BadProductId", "No access to product")))
            }
            _ => Ok(()),
        }
    }

    /// Answers one request.
    pub(crate) fn handle(&mut self, req: SandboxRequest) -> Reply {
        self.requests.push(req.clone());
        let method = canonical(&req.method);
        if method == "Ping" {
            let text = req.list("StringParams").first().cloned().unwrap_or_default();
            return Reply::ok(json!(format!("Pong - {text}")), "String", "string");
        }
        if method == "Authenticate" {
            if req.field("Username") != Some(USERNAME) || req.field("Password") != Some(PASSWORD) {
                return Reply::fail("Authorization_Failed_BadUsernamePassword", "Bad username or password");
            }
            if let Err(r) = Self::check_product(&req) {
                return *r;
            }
            let token = self.guid(0x5e55);
            self.sessions.insert(token.clone(), ());
            self.expired = false;
            let mut reply = Reply::ok(json!(token), "String", "string");
            if req.field("Cookies").is_some_and(|c| c.eq_ignore_ascii_case("true")) {
                reply.set_cookie = Some(token);
            }
            return reply;
        }
        if let Err(r) = self.authorize(&req).and_then(|_| Self::check_product(&req)) {
            return *r;
        }
        match method {
            "SendFax" => self.send(&req),
            "GetFaxStatus" => self.status(&req),
            "CancelFax" => self.cancel(&req),
            "GetFaxDescriptions" => self.descriptions(&req, None),
            "GetFaxDescriptionsUsingIds" => {
                let ids = req.ids();
                self.descriptions(&req, Some(ids))
            }
            "GetFaxIdentifiers" => self.identifiers(&req),
            "GetFaxDocuments" => self.documents(&req),
            "ChangeFaxFilterValue" => self.change_filter(&req),
            "MarkInboundFaxesDownloaded" => self.mark_downloaded(&req),
            "GetInboundFaxList" => self.inbound_containers(None, false),
            "GetNewInboundFaxList" => self.inbound_containers(None, true),
            "GetInboundFaxes" => self.inbound_containers(Some(req.ids()), false),
            "SetProductId" => Reply::ok(json!(PRODUCT_ID), "String", "string"),
            "GetUserInfo" => Reply::ok(
                json!({"Id": "0000000a-0000-4000-8000-000000000001", "FirstName": "Sandy", "LastName": "Box",
                       "Email": "sandbox@example.com", "EmailValidated": true}),
                "UserItem",
                "",
            ),
            "GetLoginInfo" => Reply::ok(
                json!({"Id": "0000000a-0000-4000-8000-000000000001", "UserName": USERNAME,
                       "DefaultProductId": PRODUCT_ID, "aclList": [{"ACLType": "Product", "UserRoleLevel": "Admin",
                       "EntityId": PRODUCT_ID, "EntityName": "Sandbox line"}]}),
                "LoginInfoItem",
                "",
            ),
            "GetProductList" | "GetF2EProductList" | "GetProductsWithInboundFaxes" => {
                Reply::ok(json!([product()]), "ListOfProductItem", "ProductItem")
            }
            "GetF2EProductDetail" => Reply::ok(product(), "F2EProductItem", ""),
            "GetFaxProductList" => Reply::ok(
                json!([{"Id": PRODUCT_ID, "Name": "Sandbox line"}]),
                "ListOfFaxProductContainer",
                "FaxProductContainer",
            ),
            "GetAccountInfo" => Reply::ok(
                json!({"AccountId": "0000000b-0000-4000-8000-000000000001", "AccountName": "Sandbox",
                       "Active": true, "BillingAddr": {"City": "Denver", "State": "CO"}}),
                "AccountItem",
                "",
            ),
            "GetContactList" | "GetAllContactList" => Reply::ok(
                json!([{"Id": "0000000c-0000-4000-8000-000000000001", "FirstName": "Ada", "Fax": "5552001111"}]),
                "ListOfContactItem",
                "ContactItem",
            ),
            "GetCoverPages" => Reply::ok(
                json!([{"Id": "0000000d-0000-4000-8000-000000000001", "Name": "Default"}]),
                "ListOfFaxCoverPageItem",
                "FaxCoverPageItem",
            ),
            "GetProductFolderList" => Reply::ok(json!([]), "ListOfFolderItem", "FolderItem"),
            "GetFaxUsageByProductId" => {
                Reply::ok(json!({"Inbound": self.inbound.len(), "Outbound": self.sent.len()}), "UsageItem", "")
            }
            "SendFaxAsEmail"
            | "ResendFaxNotification"
            | "ResendFaxFeedback"
            | "SaveFaxFields"
            | "MoveFaxToFolder"
            | "DeleteProductFolder"
            | "CheckProductFolderName" => Reply::ok(json!(true), "Boolean", ""),
            // `ApiResultOfString` in the WSDL; the text's meaning is undocumented.
            "QueryFaxGlobalRemovals" => Reply::ok(json!("False"), "String", ""),
            _ => Reply::fail("Api_Failed_UnknownMethod", &format!("The sandbox does not simulate {}", req.method)),
        }
    }

    fn send(&mut self, req: &SandboxRequest) -> Reply {
        let numbers = req.list("Numbers").to_vec();
        if numbers.is_empty() || req.files.is_empty() {
            return Reply::fail("Fax_Failed_MissingParameters", "Numbers and Files are required");
        }
        let id = self.guid(0x0001);
        self.sent.push(SentFax {
            id: id.clone(),
            numbers,
            files: req.files.clone(),
            job_name: req.field("JobName").map(str::to_owned),
            csid: req.field("CSID").map(str::to_owned),
            callback_url: req.field("CallbackUrl").map(str::to_owned),
            transport: req.transport,
            sent_at: jiff::Timestamp::now(),
            reads: 0,
            cancelled: false,
        });
        Reply::ok(json!(id), "String", "string")
    }

    fn job_json(f: &SentFax) -> Value {
        let (state, result) = if f.cancelled {
            ("Cancelled", "Cancelled")
        } else {
            match f.reads {
                0 | 1 => ("Submitted", "WaitingToDial"),
                2 => ("Production", "Sending"),
                _ => ("Complete", "Success"),
            }
        };
        let calls: Vec<Value> = f
            .numbers
            .iter()
            .map(|n| {
                json!({"PhoneNumber": n, "CallResult": result, "JobPages": 1, "PagesSent": if result == "Success" { 1 } else { 0 },
                       "DurationSeconds": 30, "CompleteUtc": DATE, "FaxConnectionSpeed": 14400})
            })
            .collect();
        json!({"JobId": f.id, "JobState": state, "QuerySuccess": true, "JobEstimate": "0.05", "Date": DATE, "Calls": calls})
    }

    fn status(&mut self, req: &SandboxRequest) -> Reply {
        let mut out = Vec::new();
        for id in req.ids() {
            match self.sent.iter_mut().find(|f| f.id.eq_ignore_ascii_case(&id)) {
                Some(f) => {
                    f.reads += 1;
                    out.push(Self::job_json(f));
                }
                None => out.push(json!({"JobId": id, "QuerySuccess": false, "JobEstimate": "0"})),
            }
        }
        Reply::ok(Value::Array(out), "ListOfJobStatusContainer", "JobStatusContainer")
    }

    fn cancel(&mut self, req: &SandboxRequest) -> Reply {
        let ids = req.ids();
        let Some(f) = self.sent.iter_mut().find(|f| ids.iter().any(|i| i.eq_ignore_ascii_case(&f.id))) else {
            return Reply::fail("Fax_Failed_NotFound", "No such job");
        };
        if f.reads >= 2 {
            return Reply::fail("Fax_Failed_CannotCancel", "The job is already dialing");
        }
        f.cancelled = true;
        Reply::ok(json!({"Id": f.id, "Direction": "Outbound", "Date": DATE, "Tag": "None"}), "FaxIdItem", "")
    }

    fn inbound_desc(f: &Inbound) -> Value {
        json!({"Id": f.id, "Date": DATE, "Direction": "Inbound", "Tag": f.tag, "PageCount": 1, "Status": "Complete",
               "UnRead": f.tag == "None", "FilesAvailable": true,
               "FaxCallInfoList": [{"CallId": f.id, "CompletedUTC": DATE, "OrigNumber": f.from, "TermNumber": f.to,
                                    "Result": "InboundFaxReceived"}]})
    }

    fn outbound_desc(f: &SentFax) -> Value {
        let job = Self::job_json(f);
        json!({"Id": f.id, "Date": DATE, "Direction": "Outbound", "Tag": "None", "PageCount": 1,
               "Status": job["JobState"], "JobName": f.job_name,
               "FaxCallInfoList": f.numbers.iter().map(|n| json!({"TermNumber": n, "Result": job["Calls"][0]["CallResult"]})).collect::<Vec<_>>()})
    }

    fn descriptions(&mut self, req: &SandboxRequest, ids: Option<Vec<String>>) -> Reply {
        let dir = req.field("FaxDirection").unwrap_or("").to_ascii_lowercase();
        let wanted = |id: &str| ids.as_ref().is_none_or(|ids| ids.iter().any(|i| i.eq_ignore_ascii_case(id)));
        let mut out = Vec::new();
        if dir != "outbound" {
            out.extend(self.inbound.iter().filter(|f| wanted(&f.id)).map(Self::inbound_desc));
        }
        if dir != "inbound" {
            // `StartDate`: "Farthest date in the past" of the listing (only faxes sent since).
            let since = req.field("StartDate").and_then(parse_start_date);
            out.extend(
                self.sent
                    .iter()
                    .filter(|f| wanted(&f.id) && since.is_none_or(|s| f.sent_at >= s))
                    .map(Self::outbound_desc),
            );
        }
        Reply::ok(Value::Array(out), "ListOfFaxDescItem", "FaxDescItem")
    }

    fn identifiers(&mut self, req: &SandboxRequest) -> Reply {
        let dir = req.field("FaxDirection").unwrap_or("").to_ascii_lowercase();
        let mut out = Vec::new();
        if dir != "outbound" {
            out.extend(
                self.inbound.iter().map(|f| json!({"Id": f.id, "Direction": "Inbound", "Date": DATE, "Tag": f.tag})),
            );
        }
        if dir != "inbound" {
            out.extend(
                self.sent.iter().map(|f| json!({"Id": f.id, "Direction": "Outbound", "Date": DATE, "Tag": "None"})),
            );
        }
        Reply::ok(Value::Array(out), "ListOfFaxIdItem", "FaxIdItem")
    }

    fn file_json(id: &str, dir: &str, bytes: &Bytes) -> Value {
        json!({"Id": id, "Direction": dir, "Date": DATE, "Format": "pdf", "PageCount": 1,
               "FaxFiles": [{"ContentType": "application/pdf", "ContentLength": bytes.len(),
                             "FileContents": faxkit::base64::encode(bytes)}]})
    }

    fn documents(&mut self, req: &SandboxRequest) -> Reply {
        let mut out = Vec::new();
        for id in req.ids() {
            if let Some(f) = self.inbound.iter_mut().find(|f| f.id.eq_ignore_ascii_case(&id)) {
                f.downloads = f.downloads.saturating_add(1);
                out.push(Self::file_json(&f.id, "Inbound", &f.pdf));
            } else if let Some(f) = self.sent.iter().find(|f| f.id.eq_ignore_ascii_case(&id)) {
                let first = f.files.first().map(|(_, b)| b.clone()).unwrap_or_default();
                out.push(Self::file_json(&f.id, "Outbound", &first));
            } else {
                return Reply::fail("Fax_Failed_NotFound", &format!("No fax {id}"));
            }
        }
        Reply::ok(Value::Array(out), "ListOfFaxFileItem", "FaxFileItem")
    }

    fn set_tag(&mut self, ids: &[String], tag: &'static str) -> Reply {
        let mut hit = false;
        for f in self.inbound.iter_mut().filter(|f| ids.iter().any(|i| i.eq_ignore_ascii_case(&f.id))) {
            f.tag = tag;
            if tag == "Retrieved" {
                f.acks = f.acks.saturating_add(1);
            }
            hit = true;
        }
        if hit || self.sent.iter().any(|f| ids.iter().any(|i| i.eq_ignore_ascii_case(&f.id))) {
            Reply::ok(json!(true), "Boolean", "")
        } else {
            Reply::fail("Fax_Failed_NotFound", "No such fax")
        }
    }

    fn change_filter(&mut self, req: &SandboxRequest) -> Reply {
        let tag = match req.field("Filter").unwrap_or("").to_ascii_lowercase().as_str() {
            "none" => "None",
            "retrieved" => "Retrieved",
            "removed" => "Removed",
            "deleted" => "Deleted",
            _ => return Reply::fail("Fax_Failed_BadFilter", "Filter must be None, Retrieved or Removed"),
        };
        let ids = req.ids();
        self.set_tag(&ids, tag)
    }

    fn mark_downloaded(&mut self, req: &SandboxRequest) -> Reply {
        let ids = req.ids();
        self.set_tag(&ids, "Retrieved")
    }

    fn inbound_containers(&mut self, ids: Option<Vec<String>>, only_new: bool) -> Reply {
        if let Some(ids) = &ids {
            for f in self.inbound.iter_mut().filter(|f| ids.iter().any(|i| i.eq_ignore_ascii_case(&f.id))) {
                f.downloads = f.downloads.saturating_add(1);
            }
        }
        let out: Vec<Value> = self
            .inbound
            .iter()
            .filter(|f| ids.as_ref().is_none_or(|ids| ids.iter().any(|i| i.eq_ignore_ascii_case(&f.id))))
            .filter(|f| !only_new || f.tag == "None")
            .map(|f| {
                json!({"Filename": format!("{}.pdf", f.id), "FileContents": faxkit::base64::encode(&f.pdf),
                       "ContentType": "application/pdf", "ContentLength": f.pdf.len(), "InFaxId": f.id,
                       "Date": DATE, "Pages": 1, "FaxQuality": "Fine"})
            })
            .collect();
        if let Some(ids) = ids
            && out.len() < ids.len()
        {
            return Reply::fail("Fax_Failed_NotFound", "No such inbound fax");
        }
        Reply::ok(Value::Array(out), "ListOfInFaxContainer", "InFaxContainer")
    }
}

/// A `StartDate` as the client sends it: `12/5/2026 6:11:10 AM` or `12/5/2026` (REST; UTC), or ISO 8601.
fn parse_start_date(text: &str) -> Option<jiff::Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    if let Ok(dt) = jiff::civil::DateTime::strptime("%m/%d/%Y %I:%M:%S %p", text) {
        return format!("{dt}Z").parse().ok();
    }
    jiff::civil::Date::strptime("%m/%d/%Y", text).ok().and_then(|d| format!("{d}T00:00:00Z").parse().ok())
}

fn product() -> Value {
    json!({"Id": PRODUCT_ID, "Name": "FF-Sandbox", "ProductType": "FaxForward", "ProductState": "OK",
           "InboundNumber": "5552001111", "TimeZone": "UTC"})
}

/// The method without generation prefix or SOAP variant suffix (`Fax_SendFax`, `SendFaxStateless` →
/// `SendFax`).
pub(crate) fn canonical(method: &str) -> &str {
    let m = method.split_once('_').map_or(method, |(area, rest)| {
        if matches!(area, "Security" | "Profile" | "Contact" | "Fax") { rest } else { method }
    });
    let m = m
        .strip_suffix("StatefulNoCookie")
        .or_else(|| m.strip_suffix("StatefulCookie"))
        .or_else(|| m.strip_suffix("StatefulStateless"))
        .or_else(|| m.strip_suffix("Stateless"))
        .unwrap_or(m);
    match m {
        "Authenticate" | "AuthenticateWithProduct" | "AuthenticateWithToken" => "Authenticate",
        "SendVoiceCallFax" => "SendVoiceCall",
        other => other,
    }
}

#[cfg(test)]
mod start_date_tests {
    #[test]
    fn start_dates_parse_in_every_dialect() {
        let want: jiff::Timestamp = "2026-12-05T18:11:10Z".parse().unwrap_or_default();
        assert_eq!(super::parse_start_date("12/5/2026 6:11:10 PM"), Some(want));
        assert_eq!(super::parse_start_date("2026-12-05T18:11:10Z"), Some(want));
        assert!(super::parse_start_date("12/5/2026").is_some());
        assert_eq!(super::parse_start_date("soon"), None);
    }
}
