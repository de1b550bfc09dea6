#![doc = include_str!("../README.md")]
//!
//! # Resources
//!
//! | FaxCore resource | method | returns |
//! |---|---|---|
//! | `POST SendFax` | [`Client::send_fax`] → [`SendFax`] builder | [`FaxId`] |
//! | `GET FaxStatus` | [`Client::fax_status`] | [`FaxCoreStatus`] |
//! | `GET GetFaxList` | [`Client::get_fax_list`] → [`GetFaxList`] builder | `Vec<`[`FaxId`]`>` |
//! | `GET GetFaxDetails` | [`Client::get_fax_details`] | [`FaxDetails`] |
//! | `GET DownloadFax` | [`Client::download_fax`] | [`faxkit::Download`] (streamed) |
//! | `GET DeleteFax` | [`Client::delete_fax`] | `()` |
//!
//! [`Client`] also implements [`faxkit::FaxService`]; the [`service`] module says how each trait method
//! maps onto these resources. Errors are [`faxkit::Error`]; FaxCore's own error detail is an [`ApiError`].
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The name this crate puts in every error's `vendor` ([`faxkit::Error::vendor`]).
pub const VENDOR: &str = "faxcore";

pub mod client;
pub mod delete_fax;
pub mod download_fax;
pub mod error;
pub mod fax_status;
pub mod get_fax_details;
pub mod get_fax_list;
pub mod model;
mod operation;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
pub mod send_fax;
pub mod service;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME, FAX87_BASE_URL, Operation,
    RecipientFormat, UploadContentType,
};
pub use error::{ApiError, ApiErrorKind};
pub use get_fax_list::GetFaxList;
pub use model::{FaxCoreStatus, FaxDetails, FaxId, FaxType, FileFormat, FileType, Folder};
pub use send_fax::SendFax;

/// Entry points for the fuzz targets in the workspace's `fuzz/` directory; not part of the public API.
#[doc(hidden)]
pub mod __fuzz {
    /// Decodes `body` as the reply to every operation, with a success and an error status.
    pub fn decode_response(body: &[u8]) {
        use crate::model::envelope::{TextResults, decode};
        use crate::model::get_fax_details::FaxDetailsBody;
        use crate::model::get_fax_list::FaxListBody;
        use crate::operation::Operation;
        for op in [
            Operation::SendFax,
            Operation::FaxStatus,
            Operation::GetFaxList,
            Operation::GetFaxDetails,
            Operation::DownloadFax,
            Operation::DeleteFax,
        ] {
            for status in [200, 401, 500] {
                let _ = decode::<TextResults>(op, status, body);
                let _ = decode::<FaxListBody>(op, status, body);
                let _ = decode::<FaxDetailsBody>(op, status, body);
            }
        }
    }

    /// Streams `chunks` as a `DownloadFax` answer with `status` through the payload scanner and base64 decoder,
    /// reading at most `limit` decoded bytes.
    pub async fn download(status: u16, chunks: &[bytes::Bytes], limit: usize) {
        let owned: Vec<bytes::Bytes> = chunks.to_vec();
        let stream: faxkit::ByteStream = Box::pin(futures::stream::iter(owned.into_iter().map(Ok)));
        if let Ok(download) = crate::download_fax::decode_download(status, stream).await {
            let _ = faxkit::stream::collect(crate::VENDOR, download.stream, limit).await;
        }
    }
}
