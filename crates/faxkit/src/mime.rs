//! MIME types of fax documents: sniffed from magic bytes first, then from the file extension.

/// How many leading bytes [`sniff`] looks at.
pub const SNIFF_LEN: usize = 16;

/// The MIME type of a document's first bytes, if they carry a known signature.
///
/// ZIP containers (DOCX, XLSX, …) and OLE containers (DOC, XLS) cannot be told apart by their first bytes,
/// so they return `None` and the extension decides.
///
/// ```
/// assert_eq!(faxkit::mime::sniff(b"%PDF-1.7\n"), Some("application/pdf"));
/// assert_eq!(faxkit::mime::sniff(b"II*\0rest"), Some("image/tiff"));
/// ```
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"II*\0", "image/tiff"),
        (b"MM\0*", "image/tiff"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"BM", "image/bmp"),
        (b"{\\rtf", "application/rtf"),
        (b"%!PS", "application/postscript"),
    ];
    if let Some((_, mime)) = SIGNATURES.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(mime);
    }
    let text = String::from_utf8_lossy(head).trim_start().to_ascii_lowercase();
    if text.starts_with("<!doctype html") || text.starts_with("<html") {
        return Some("text/html");
    }
    None
}

/// The MIME type for a file extension (case-insensitive, without the dot).
///
/// ```
/// assert_eq!(faxkit::mime::from_extension("DOCX"), Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
/// ```
pub fn from_extension(ext: &str) -> Option<&'static str> {
    let ext = ext.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "tif" | "tiff" => "image/tiff",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "txt" | "text" => "text/plain",
        "htm" | "html" => "text/html",
        "csv" => "text/csv",
        "xml" => "application/xml",
        "rtf" => "application/rtf",
        "ps" => "application/postscript",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        _ => return None,
    })
}

/// The usual file extension for a MIME type (`application/pdf` → `pdf`), for naming downloads.
pub fn extension_for(mime: &str) -> Option<&'static str> {
    let essence = mime.split(';').next().unwrap_or(mime).trim().to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/pdf" => "pdf",
        "image/tiff" | "image/tif" => "tif",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/bmp" => "bmp",
        "text/plain" => "txt",
        "text/html" => "html",
        "text/csv" => "csv",
        "application/rtf" => "rtf",
        "application/postscript" => "ps",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        _ => return None,
    })
}

/// Decides a document's type: the signature in `head` wins, then the extension of `file_name`, then
/// `application/octet-stream`.
pub fn detect(head: &[u8], file_name: &str) -> &'static str {
    sniff(head)
        .or_else(|| file_name.rsplit_once('.').and_then(|(_, ext)| from_extension(ext)))
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_win_over_extension() {
        assert_eq!(detect(b"%PDF-1.4", "scan.tif"), "application/pdf");
        assert_eq!(detect(b"MM\0*\0\0", "x.bin"), "image/tiff");
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n....", "a"), "image/png");
        assert_eq!(detect(b"\xff\xd8\xff\xe0", "a"), "image/jpeg");
        assert_eq!(detect(b"  <!DOCTYPE html>", "a"), "text/html");
    }

    #[test]
    fn extension_decides_containers_and_text() {
        assert_eq!(detect(b"PK\x03\x04", "letter.docx"), from_extension("docx").unwrap());
        assert_eq!(detect(b"\xd0\xcf\x11\xe0", "sheet.XLS"), "application/vnd.ms-excel");
        assert_eq!(detect(b"hello", "note.txt"), "text/plain");
        assert_eq!(detect(b"hello", "noext"), "application/octet-stream");
        assert_eq!(detect(b"", "a.pdf"), "application/pdf");
    }

    #[test]
    fn extension_for_round_trips() {
        assert_eq!(extension_for("application/pdf; charset=binary"), Some("pdf"));
        assert_eq!(extension_for("IMAGE/TIFF"), Some("tif"));
        assert_eq!(extension_for("application/x-unknown"), None);
    }
}
