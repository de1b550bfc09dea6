//! `POST /upload_document`.

faxkit::id_type! {
    /// A prepared document, valid for at least 15 minutes, passed to `send_fax`.
    pub struct DocumentId;
}

/// The `upload_document` response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct UploadedDocument {
    /// The opaque id of the prepared document.
    pub document_id: DocumentId,
    /// Pages in the document.
    pub pages: u32,
}

/// The MIME types `upload_document` accepts (Fax2 API, "Supported Document Types"). Checked before upload.
pub const SUPPORTED_DOCUMENT_TYPES: &[&str] = &[
    "application/msword",
    "application/pdf",
    "application/postscript",
    "application/rtf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/bmp",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/x-portable-bitmap",
    "text/html",
    "text/plain",
];

/// Whether `mime` (parameters such as `; charset=utf-8` ignored, case-insensitive) is a supported type.
///
/// ```
/// assert!(fax2::model::is_supported_document_type("text/plain; charset=utf-8"));
/// assert!(!fax2::model::is_supported_document_type("application/zip"));
/// ```
pub fn is_supported_document_type(mime: &str) -> bool {
    let essence = mime.split(';').next().unwrap_or_default().trim();
    SUPPORTED_DOCUMENT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(essence))
}

/// The MIME type Fax2's "Supported Document Types" table gives a file extension (case-insensitive, without
/// the dot), or `None` for an extension the table does not list.
///
/// The table is followed as written: `.pnm`, `.pbm` and `.pgm` are all `image/x-portable-bitmap`.
///
/// ```
/// assert_eq!(fax2::model::document_type_for_extension("PGM"), Some("image/x-portable-bitmap"));
/// assert_eq!(fax2::model::document_type_for_extension("odp"), Some("application/vnd.oasis.opendocument.presentation"));
/// assert_eq!(fax2::model::document_type_for_extension("csv"), None);
/// ```
pub fn document_type_for_extension(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "doc" => "application/msword",
        "pdf" => "application/pdf",
        "ps" => "application/postscript",
        "rtf" => "application/rtf",
        "xls" => "application/vnd.ms-excel",
        "ppt" => "application/vnd.ms-powerpoint",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "bmp" => "image/bmp",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "pnm" | "pbm" | "pgm" => "image/x-portable-bitmap",
        "htm" | "html" => "text/html",
        "txt" => "text/plain",
        _ => return None,
    })
}
