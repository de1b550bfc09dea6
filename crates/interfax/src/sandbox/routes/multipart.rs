//! The multipart bodies of a send.

use bytes::Bytes;

/// One part of a multipart body.
pub(super) struct Part {
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Bytes,
}

impl Part {
    pub(super) fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }

    pub(super) fn file_name(&self) -> Option<String> {
        let cd = self.header("content-disposition")?;
        let start = cd.find("filename=\"")? + 10;
        let rest = cd.get(start..)?;
        rest.find('"').and_then(|end| rest.get(..end)).map(str::to_owned)
    }
}

pub(super) fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

pub(super) fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delim = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let Some(mut pos) = find(body, &delim, 0) else { return parts };
    loop {
        let after = pos + delim.len();
        if body.get(after..after + 2) == Some(b"--") {
            break;
        }
        let Some(head_end) = find(body, b"\r\n\r\n", after) else { break };
        let head = String::from_utf8_lossy(body.get(after..head_end).unwrap_or_default()).into_owned();
        let content_start = head_end + 4;
        let Some(next) = find(body, &delim, content_start) else { break };
        let content_end = next.saturating_sub(2).max(content_start);
        let headers = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
            .collect();
        parts.push(Part {
            headers,
            body: Bytes::copy_from_slice(body.get(content_start..content_end).unwrap_or_default()),
        });
        pos = next;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Location: https://x/y\r\n\r\n\r\n--xyz--\r\n";
        let parts = parse_multipart(body, "xyz");
        assert_eq!(parts.len(), 2);
        assert_eq!(&parts[0].body[..], b"%PDF");
        assert_eq!(parts[0].file_name().as_deref(), Some("a.pdf"));
        assert_eq!(parts[1].header("content-location").as_deref(), Some("https://x/y"));
        assert!(parts[1].body.is_empty());
    }
}
