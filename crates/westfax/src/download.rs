//! Streaming a document out of a `Fax_GetFaxDocuments` / `GetInboundFaxes` answer without reading it whole.

use faxkit::Download;
use faxkit::stream::Split;

use crate::VENDOR;
use crate::client::{Client, decode_body};
use crate::model::{FaxIdItem, FileFormat};
use crate::operation::Operation;
use crate::transport::ResponseFormat;

impl Client {
    /// Streams the first document of a fax (`Fax_GetFaxDocuments`, current generation), decoding the base64
    /// `FileContents` as it arrives instead of reading the whole answer.
    ///
    /// # Errors
    /// [`faxkit::Error::NotFound`] when the fax has no document; the errors of [`Client::call`].
    pub async fn download_document(&self, fax: FaxIdItem, format: FileFormat) -> faxkit::Result<Download> {
        let default_type = mime_of(&format);
        let op = crate::fax::FaxGetFaxDocuments { ids: vec![fax], format };
        self.stream_document(&op, default_type).await
    }

    /// Streams the file of a received fax with the legacy `GetInboundFaxes` (any transport).
    ///
    /// # Errors
    /// As [`Client::download_document`].
    pub async fn download_inbound_legacy(&self, id: crate::model::FaxId) -> faxkit::Result<Download> {
        self.stream_document(&crate::legacy::GetInboundFaxes::new([id]), "application/pdf").await
    }

    async fn stream_document<O: Operation>(&self, op: &O, default_type: &str) -> faxkit::Result<Download> {
        let raw = self.send_request(op).await?;
        if !(200..300).contains(&raw.status) {
            return self
                .finish::<serde_json::Value>(raw)
                .await
                .and_then(|_| Err(faxkit::Error::decode(VENDOR, "error status without an error body", b"", None)));
        }
        let json = raw.format == ResponseFormat::Json;
        let (marker, end, escapes): (&[u8], u8, _) = if json {
            (b"\"FileContents\":\"", b'"', faxkit::base64::Escapes::Json)
        } else {
            (b"<FileContents>", b'<', faxkit::base64::Escapes::Xml)
        };
        match faxkit::stream::split_at_marker(VENDOR, raw.stream, marker, 1 << 20).await? {
            Split::Found { prefix, rest } => {
                let content_type = find_text(&prefix, json, "ContentType").unwrap_or_else(|| default_type.to_owned());
                let len = find_text(&prefix, json, "ContentLength").and_then(|s| s.parse().ok());
                let payload = faxkit::stream::take_until(VENDOR, rest, end);
                let stream = faxkit::base64::decode_stream(VENDOR, payload, escapes);
                Ok(Download { content_type, len, stream })
            }
            Split::NotFound { body } => {
                // An error envelope, or a fax without files.
                decode_body::<serde_json::Value>(raw.status, raw.format, &body)?;
                Err(faxkit::Error::NotFound { vendor: VENDOR, message: "the fax has no document".into() })
            }
        }
    }
}

fn mime_of(format: &FileFormat) -> &'static str {
    match format {
        FileFormat::Tiff => "image/tiff",
        FileFormat::Jpeg => "image/jpeg",
        FileFormat::Png => "image/png",
        FileFormat::Gif => "image/gif",
        _ => "application/pdf",
    }
}

/// Finds a scalar member in a JSON or XML prefix (`"ContentType":"application/pdf"`, `<ContentType>…<`).
fn find_text(prefix: &[u8], json: bool, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(prefix);
    let (open, close): (String, &[char]) =
        if json { (format!("\"{name}\":"), &[',', '}']) } else { (format!("<{name}>"), &['<']) };
    let start = text.rfind(&open)? + open.len();
    let rest = &text[start..];
    let end = rest.find(close)?;
    let v = rest[..end].trim().trim_matches('"').to_owned();
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_scalars_are_found() {
        let j = br#"{"Success":true,"Result":[{"FaxFiles":[{"ContentType":"application/pdf","ContentLength":287117,"#;
        assert_eq!(find_text(j, true, "ContentType").as_deref(), Some("application/pdf"));
        assert_eq!(find_text(j, true, "ContentLength").as_deref(), Some("287117"));
        let x = b"<Result><FaxFileItem><ContentType>image/tiff</ContentType>";
        assert_eq!(find_text(x, false, "ContentType").as_deref(), Some("image/tiff"));
    }
}
