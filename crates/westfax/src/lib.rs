#![doc = include_str!("../README.md")]
//!
//! # Layout
//!
//! | module | what |
//! |---|---|
//! | [`security`], [`profile`], [`contact`], [`fax`] | the 37 current methods, one type each ([`Operation`]) |
//! | [`legacy`] | the legacy Polka.Api operations only the SOAP WSDL has |
//! | [`model`] | wire types: ids, open enums, JSON/XML models |
//! | [`transport`] | the transports (table there), [`Transport`], [`SoapVersion`] |
//! | [`Client`] | configuration, sessions, the one send path |
//! | [`callback`] | inbound callback queries |
//! | `sandbox` | (feature `sandbox`) a stateful simulator answering every transport |
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The name this crate puts in every error's `vendor` ([`faxkit::Error::vendor`]).
pub const VENDOR: &str = "westfax";

pub mod callback;
pub mod client;
mod compression;
pub mod contact;
mod download;
mod envelope;
pub mod error;
pub mod fax;
pub mod legacy;
pub mod model;
pub mod operation;
pub mod profile;
#[cfg(feature = "sandbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "sandbox")))]
pub mod sandbox;
pub mod security;
mod service;
pub mod soap;
pub mod transport;
mod wire;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, STATUS_CACHE, SessionMode, hosts};
pub use envelope::ApiResult;
pub use error::{ApiError, SoapFault};
pub use operation::Operation;
pub use transport::{PathCase, RestEncoding, RpcNaming, SoapVersion, Transport};

/// Entry points for the fuzz targets in the workspace's `fuzz/` directory; not part of the public API.
#[doc(hidden)]
pub mod __fuzz {
    use crate::transport::ResponseFormat;

    /// Decodes `body` as a JSON, XML (.NET XmlSerializer) and SOAP reply, with a success and an error status,
    /// into the envelope of a typical result.
    pub fn decode_response(body: &[u8]) {
        for format in [ResponseFormat::Json, ResponseFormat::Xml, ResponseFormat::Soap] {
            for status in [200, 500] {
                let _ = crate::transport::decode_body::<serde_json::Value>(status, format, body);
                let _ = crate::transport::decode_body::<Vec<crate::model::fax::FaxDescItem>>(status, format, body);
                let _ = crate::transport::decode_body::<Vec<crate::model::fax::JobStatusItem>>(status, format, body);
            }
        }
    }

    /// A replayable stream of `chunks`.
    fn stream_of(chunks: &[bytes::Bytes]) -> faxkit::ByteStream {
        let owned: Vec<bytes::Bytes> = chunks.to_vec();
        Box::pin(futures::stream::iter(owned.into_iter().map(Ok)))
    }

    /// Streams `chunks` as a 2xx document answer (`format` 0: JSON, 1: XML, else SOAP) through the document
    /// scanner and base64 decoder of `download_document`, and through the `FileContents` stripper of
    /// `list_inbound` followed by the tree decoder; each reads at most `limit` bytes.
    pub async fn document_stream(chunks: &[bytes::Bytes], format: u8, limit: usize) {
        let format = match format {
            0 => ResponseFormat::Json,
            1 => ResponseFormat::Xml,
            _ => ResponseFormat::Soap,
        };
        let json = format == ResponseFormat::Json;
        let found = crate::download::document_from_stream(200, format, stream_of(chunks), "application/pdf").await;
        if let Ok(download) = found {
            let _ = faxkit::stream::collect(crate::VENDOR, download.stream, limit).await;
        }
        let stripped = crate::download::strip_file_contents(stream_of(chunks), json);
        if let Ok(body) = faxkit::stream::collect(crate::VENDOR, stripped, limit).await {
            let _ = crate::transport::decode_body::<serde_json::Value>(200, format, &body);
        }
    }

    /// Inflates `chunks` as a body sent with `Content-Encoding: encoding`, reading at most `limit` bytes.
    pub async fn inflate(chunks: &[bytes::Bytes], encoding: &str, limit: usize) {
        if let Ok(stream) = crate::compression::decode(Some(encoding), stream_of(chunks)) {
            let _ = faxkit::stream::collect(crate::VENDOR, stream, limit).await;
        }
    }
}
