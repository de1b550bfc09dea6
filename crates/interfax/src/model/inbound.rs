//! Inbound fax records and forwarding e-mails.

use faxkit::VendorTime;
use serde::{Deserialize, Serialize};

use super::common::{FaxStatusCode, InboundFaxId, opt_text, opt_time};

faxkit::open_enum! {
    /// `imageStatus` of a received fax.
    pub enum ImageStatus {
        /// Not read yet.
        Unread = "UNREAD",
        /// `READ`: marked read (`POST /inbound/faxes/{id}/mark?unread=false`).
        Read = "READ",
        /// The image no longer exists.
        DontExist = "DONT_EXIST",
    }
}

/// A received fax, as `GET /inbound/faxes` and `GET /inbound/faxes/{id}` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InboundFax {
    /// The fax id (there is no `id` field).
    pub message_id: InboundFaxId,
    /// The user that received it.
    #[serde(default, alias = "userID", alias = "userid")]
    pub user_id: Option<String>,
    /// The number it was received on.
    #[serde(default, deserialize_with = "opt_text")]
    pub phone_number: Option<String>,
    /// The sender's CSID.
    #[serde(default, rename = "remoteCSID", deserialize_with = "opt_text")]
    pub remote_csid: Option<String>,
    /// `messageStatus`: 0 received, below 0 still being received, above 0 an error (the outbound status codes);
    /// `None` when absent.
    #[serde(default)]
    pub message_status: Option<FaxStatusCode>,
    /// `pages`: the number of pages received; `None` when absent.
    #[serde(default)]
    pub pages: Option<u32>,
    /// Image size in bytes.
    #[serde(default)]
    pub message_size: Option<u64>,
    /// Always `1` today.
    #[serde(default)]
    pub message_type: Option<i32>,
    /// When it arrived (UTC).
    #[serde(default, deserialize_with = "opt_time")]
    pub receive_time: Option<VendorTime>,
    /// `callerId`: the calling line's number as the network delivered it, free text; `null` (often) and `""`
    /// read as `None`.
    #[serde(default, deserialize_with = "opt_text")]
    pub caller_id: Option<String>,
    /// Seconds taken to receive.
    #[serde(default)]
    pub recording_duration: Option<u32>,
    /// `imageStatus`: whether the image was read (`UNREAD`, `READ`) or is gone (`DONT_EXIST`); `None` when absent.
    #[serde(default)]
    pub image_status: Option<ImageStatus>,
    /// `numOfEmails`: how many e-mail addresses the fax was forwarded to; `None` when absent.
    #[serde(default)]
    pub num_of_emails: Option<u32>,
    /// `numOfFailedEmails`: how many of those forwards failed; `None` when absent.
    #[serde(default)]
    pub num_of_failed_emails: Option<u32>,
}

/// One address a received fax was forwarded to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ForwardingEmail {
    /// `emailAddress`: the address the fax was forwarded to; `null` and `""` read as `None`.
    #[serde(default, deserialize_with = "opt_text")]
    pub email_address: Option<String>,
    /// `messageStatus` of the forward: 0 delivered, below 0 in progress, above 0 failed; `None` when absent.
    #[serde(default)]
    pub message_status: Option<FaxStatusCode>,
    /// When forwarding finished; `None` while incomplete.
    #[serde(default, deserialize_with = "opt_time")]
    pub completion_time: Option<VendorTime>,
}

/// `GET /inbound/faxes/{id}/emails` answers an array (docs, most SDKs) or a single object (Java fixture).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

impl<T> OneOrMany<T> {
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(v) => v,
            OneOrMany::One(t) => vec![t],
        }
    }
}

/// The format of a fax image, from its `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFormat {
    /// A PDF document (`Content-Type: application/pdf`), as the recorded inbound images are.
    Pdf,
    /// A TIFF image (`Content-Type: image/tiff`), as outbound images and some inbound ones are.
    Tiff,
    /// A PNG image (`Content-Type: image/png`), a download format the account settings offer.
    Png,
    /// Any other type, as sent.
    Other(String),
}

impl ImageFormat {
    /// The format named by a `Content-Type` value (parameters ignored).
    ///
    /// ```
    /// # use interfax::ImageFormat;
    /// assert_eq!(ImageFormat::from_content_type("application/pdf"), ImageFormat::Pdf);
    /// assert_eq!(ImageFormat::from_content_type("image/TIFF; charset=binary"), ImageFormat::Tiff);
    /// ```
    pub fn from_content_type(content_type: &str) -> Self {
        let base = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match base.as_str() {
            "application/pdf" => ImageFormat::Pdf,
            "image/tiff" | "image/tif" => ImageFormat::Tiff,
            "image/png" => ImageFormat::Png,
            _ => ImageFormat::Other(base),
        }
    }

    /// The usual file extension (`pdf`, `tif`, `png`), if known.
    pub fn extension(&self) -> Option<&'static str> {
        match self {
            ImageFormat::Pdf => Some("pdf"),
            ImageFormat::Tiff => Some("tif"),
            ImageFormat::Png => Some("png"),
            ImageFormat::Other(_) => None,
        }
    }
}

impl From<&InboundFax> for faxkit::InboundFax {
    fn from(fax: &InboundFax) -> Self {
        let mut out = faxkit::InboundFax::new(fax.message_id.into());
        out.from = fax.caller_id.clone().filter(|s| !s.is_empty()).or_else(|| fax.remote_csid.clone());
        out.to = fax.phone_number.clone();
        out.pages = fax.pages;
        out.received_at = fax.receive_time.as_ref().map(|t| t.utc);
        out.acknowledged = match &fax.image_status {
            Some(ImageStatus::Read) => Some(true),
            Some(ImageStatus::Unread) => Some(false),
            _ => None,
        };
        out
    }
}
