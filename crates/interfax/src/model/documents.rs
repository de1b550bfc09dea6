//! Uploaded documents (chunked upload sessions).

use faxkit::VendorTime;
use serde::{Deserialize, Serialize};

use super::common::{DocumentId, last_segment, opt_text, opt_time};

faxkit::open_enum! {
    /// How long an uploaded document lives: sent camel case (`singleUse`), read back Pascal case (`SingleUse`).
    pub enum Disposition {
        /// Usable once (the default).
        SingleUse = "singleUse",
        /// Deleted 60 minutes after its last use.
        MultiUse = "multiUse",
        /// Kept until removed.
        Permanent = "permanent",
    }
}

faxkit::open_enum! {
    /// Who may use an uploaded document (the parameter is `sharing`, not `shared` as two SDKs send).
    pub enum Sharing {
        /// Only the uploading user (the default).
        Private = "private",
        /// Every user of the account.
        Shared = "shared",
    }
}

faxkit::open_enum! {
    /// The state of an upload session.
    pub enum DocumentStatus {
        /// Created, nothing uploaded.
        Created = "Created",
        /// Some chunks uploaded.
        PartiallyUploaded = "PartiallyUploaded",
        /// Upload in progress.
        Uploading = "Uploading",
        /// Complete, usable in a send.
        Ready = "Ready",
        /// `Deleting`: a delete was requested and is in progress; the document can no longer be used.
        Deleting = "Deleting",
    }
}

/// An upload session, as `GET /outbound/documents[/{id}]` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UploadedDocument {
    /// `userId`: the user name that created the upload session (also read as `userID`/`userid`, the docs' spellings).
    #[serde(default, alias = "userID", alias = "userid")]
    pub user_id: Option<String>,
    /// The file name given at creation.
    #[serde(default, deserialize_with = "opt_text")]
    pub file_name: Option<String>,
    /// Declared size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// Bytes uploaded so far.
    #[serde(default)]
    pub uploaded: Option<u64>,
    /// The document's URI: put it in `Content-Location` to fax it.
    pub uri: String,
    /// When the session was created (UTC).
    #[serde(default, deserialize_with = "opt_time")]
    pub creation_time: Option<VendorTime>,
    /// Last use (UTC). The wire spells `lastusageTime`; the docs' table `lastUsageTime`.
    #[serde(default, rename = "lastusageTime", alias = "lastUsageTime", deserialize_with = "opt_time")]
    pub last_usage_time: Option<VendorTime>,
    /// `status`: `Created`, `PartiallyUploaded`, `Uploading`, `Ready` or `Deleting` (Pascal case on the wire); `None`
    /// when absent.
    #[serde(default)]
    pub status: Option<DocumentStatus>,
    /// `disposition` as read back: `SingleUse`, `MultiUse` (deleted 60 minutes after last use) or `Permanent`;
    /// `None` when absent.
    #[serde(default)]
    pub disposition: Option<Disposition>,
    /// `sharing` as read back: `Private` (the uploading user only) or `Shared` (every user of the account); `None`
    /// when absent.
    #[serde(default)]
    pub sharing: Option<Sharing>,
}

impl UploadedDocument {
    /// The document id: the last segment of [`uri`](Self::uri) (the record has no `id` field).
    pub fn id(&self) -> Option<DocumentId> {
        last_segment(&self.uri).map(DocumentId::from)
    }
}

/// The `X-Content-Range: bytes a-b/n` header of a chunk upload: what the server holds so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// First byte held.
    pub start: u64,
    /// Last byte held (inclusive).
    pub end: u64,
    /// Declared total, when given.
    pub total: Option<u64>,
}

impl ContentRange {
    /// Parses `bytes 0-1048575/20702285` (also without the `bytes` unit or the total).
    ///
    /// ```
    /// # use interfax::ContentRange;
    /// let r = ContentRange::parse("bytes 0-1048575/20702285").unwrap();
    /// assert_eq!((r.start, r.end, r.total), (0, 1048575, Some(20702285)));
    /// ```
    pub fn parse(raw: &str) -> Option<ContentRange> {
        let s = raw.trim();
        let s = s.strip_prefix("bytes").map(str::trim_start).unwrap_or(s);
        let s = s.strip_prefix('=').unwrap_or(s);
        let (range, total) = match s.split_once('/') {
            Some((r, t)) => (r, t.trim().parse().ok()),
            None => (s, None),
        };
        let (a, b) = range.split_once('-')?;
        Some(ContentRange { start: a.trim().parse().ok()?, end: b.trim().parse().ok()?, total })
    }
}

/// What the server said about one uploaded chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChunkOutcome {
    /// 202 Accepted: more chunks expected.
    Accepted {
        /// `X-Content-Range`, when sent.
        range: Option<ContentRange>,
    },
    /// 200 OK: the whole document is received.
    Complete {
        /// `X-Content-Range`, when sent.
        range: Option<ContentRange>,
    },
    /// 413: the document was already complete.
    AlreadyComplete,
}
