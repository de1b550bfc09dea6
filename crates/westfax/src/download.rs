//! Streaming a document out of a `Fax_GetFaxDocuments` / `GetInboundFaxes` answer without reading it whole.

use bytes::BytesMut;
use faxkit::Download;
use faxkit::stream::ByteStream;
use futures::StreamExt;

use crate::VENDOR;
use crate::model::FileFormat;
use crate::transport::{Reply, ResponseFormat, decode_body};

/// Streams the first document of an answer (`Fax_GetFaxDocuments`, `GetInboundFaxes`), decoding the base64
/// `FileContents` as it arrives; an error answer is decoded whole.
pub(crate) async fn document(raw: Reply, default_type: &str) -> faxkit::Result<Download> {
    if !(200..300).contains(&raw.status) {
        return raw
            .decode::<serde_json::Value>()
            .await
            .and_then(|_| Err(faxkit::Error::decode(VENDOR, "error status without an error body", b"", None)));
    }
    document_from_stream(raw.status, raw.format, raw.stream, default_type).await
}

/// Finds the first document in a 2xx answer as it streams and decodes its base64 `FileContents` on the fly;
/// the fuzz target `westfax_document` drives it through [`crate::__fuzz`].
pub(crate) async fn document_from_stream(
    status: u16,
    format: ResponseFormat,
    mut stream: ByteStream,
    default_type: &str,
) -> faxkit::Result<Download> {
    let json = format == ResponseFormat::Json;
    let (mut scanner, end, escapes) = if json {
        (Scanner::Json(JsonScan::default()), b'"', faxkit::base64::Escapes::Json)
    } else {
        (Scanner::Xml(XmlScan::default()), b'<', faxkit::base64::Escapes::Xml)
    };
    let mut seen = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if let Some(at) = scanner.feed(&chunk)? {
            let first = chunk.slice(at..);
            let rest: ByteStream = Box::pin(futures::stream::once(async move { Ok(first) }).chain(stream));
            let (content_type, len) = scanner.scalars();
            let content_type = content_type.unwrap_or_else(|| default_type.to_owned());
            let len = len.and_then(|s| s.trim().parse().ok());
            let payload = faxkit::stream::take_until(VENDOR, rest, end);
            let stream = faxkit::base64::decode_stream(VENDOR, payload, escapes);
            return Ok(Download { content_type, len, stream });
        }
        seen.extend_from_slice(&chunk);
        if seen.len() > MAX_PREFIX {
            return Err(faxkit::Error::decode(
                VENDOR,
                format!("no FileContents in the first {MAX_PREFIX} bytes"),
                &seen,
                None,
            ));
        }
    }
    // An error envelope, or a fax without files.
    decode_body::<serde_json::Value>(status, format, &seen)?;
    Err(faxkit::Error::NotFound { vendor: VENDOR, message: "the fax has no document".into() })
}

/// `stream` with the text of every `FileContents` member or element removed as it passes (JSON: `""`, XML: an
/// empty element), so an answer that carries documents can be decoded for its other fields with memory bounded
/// by those fields, whatever the size of the documents.
pub(crate) fn strip_file_contents(stream: ByteStream, json: bool) -> ByteStream {
    struct State {
        stream: ByteStream,
        scanner: Scanner,
        /// Inside a document's text: dropping bytes up to its terminator.
        skipping: bool,
        terminator: u8,
    }
    let scanner = if json { Scanner::Json(JsonScan::default()) } else { Scanner::Xml(XmlScan::default()) };
    let state = State { stream, scanner, skipping: false, terminator: if json { b'"' } else { b'<' } };
    Box::pin(futures::stream::try_unfold(state, |mut st| async move {
        loop {
            let Some(chunk) = st.stream.next().await.transpose()? else {
                return Ok(None);
            };
            let mut out = BytesMut::new();
            let mut pos = 0;
            while pos < chunk.len() {
                if st.skipping {
                    match chunk[pos..].iter().position(|&b| b == st.terminator) {
                        Some(end) => {
                            st.skipping = false;
                            pos += end;
                        }
                        None => pos = chunk.len(),
                    }
                    continue;
                }
                match st.scanner.feed(&chunk[pos..])? {
                    Some(at) => {
                        out.extend_from_slice(&chunk[pos..pos + at]);
                        pos += at;
                        st.skipping = true;
                    }
                    None => {
                        out.extend_from_slice(&chunk[pos..]);
                        pos = chunk.len();
                    }
                }
            }
            if !out.is_empty() {
                return Ok(Some((out.freeze(), st)));
            }
        }
    }))
}

/// How much of an answer is read looking for the document before giving up.
const MAX_PREFIX: usize = 1 << 20;
/// Deepest nesting the scanners follow (the tree decoder's XML limit is lower).
const MAX_NESTING: usize = 256;
/// Longest key, tag or captured scalar kept.
const MAX_TOKEN: usize = 1024;

/// Which member a key or element names, matched case-insensitively as the tree decoder matches fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    FileContents,
    ContentType,
    ContentLength,
    Other,
}

impl Member {
    fn of(name: &str) -> Member {
        let local = name.rsplit(':').next().unwrap_or(name);
        if local.eq_ignore_ascii_case("FileContents") {
            Member::FileContents
        } else if local.eq_ignore_ascii_case("ContentType") {
            Member::ContentType
        } else if local.eq_ignore_ascii_case("ContentLength") {
            Member::ContentLength
        } else {
            Member::Other
        }
    }
}

/// Finds the start of the first non-null `FileContents` text in a JSON or XML answer fed in chunks, in any
/// layout the tree decoder accepts (whitespace anywhere JSON/XML allows it, any key case, escaped key
/// characters, namespace prefixes and attributes), remembering the last `ContentType`/`ContentLength` before it.
enum Scanner {
    Json(JsonScan),
    Xml(XmlScan),
}

impl Scanner {
    /// Feeds a chunk; `Some(offset)` = the document's text starts at `offset` in this chunk.
    fn feed(&mut self, chunk: &[u8]) -> faxkit::Result<Option<usize>> {
        match self {
            Scanner::Json(s) => s.feed(chunk),
            Scanner::Xml(s) => s.feed(chunk),
        }
    }

    fn scalars(&mut self) -> (Option<String>, Option<String>) {
        let (t, l) = match self {
            Scanner::Json(s) => (&mut s.content_type, &mut s.content_length),
            Scanner::Xml(s) => (&mut s.content_type, &mut s.content_length),
        };
        (t.take().filter(|v| !v.trim().is_empty()), l.take())
    }
}

fn too_deep() -> faxkit::Error {
    faxkit::Error::decode(VENDOR, format!("document answer nested deeper than {MAX_NESTING}"), b"", None)
}

#[derive(Default)]
struct JsonScan {
    /// `true` for an object, `false` for an array.
    stack: Vec<bool>,
    /// The next string in the current object is a key.
    expect_key: bool,
    in_string: bool,
    escape: bool,
    string_is_key: bool,
    /// The raw (still escaped) text of the key or captured value being read.
    token: Option<Vec<u8>>,
    /// A key was read; waiting for its `:`.
    after_key: Option<Member>,
    /// A `:` was read; the next value belongs to this member.
    value_of: Option<Member>,
    /// Capturing an unquoted scalar (a number) for this member.
    scalar_of: Option<Member>,
    /// The member the string being read belongs to (captured values only).
    string_of: Option<Member>,
    content_type: Option<String>,
    content_length: Option<String>,
}

impl JsonScan {
    fn store(&mut self, member: Member, value: String) {
        match member {
            Member::ContentType => self.content_type = Some(value),
            Member::ContentLength => self.content_length = Some(value),
            _ => {}
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> faxkit::Result<Option<usize>> {
        for (i, &b) in chunk.iter().enumerate() {
            if self.in_string {
                if let Some(t) = self.token.as_mut()
                    && t.len() < MAX_TOKEN
                    && (b != b'"' || self.escape)
                {
                    t.push(b);
                }
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                    let text = self.token.take().and_then(|raw| unescape_json(&raw));
                    if self.string_is_key {
                        self.after_key = Some(text.as_deref().map_or(Member::Other, Member::of));
                    } else if let (Some(member), Some(text)) = (self.string_of.take(), text) {
                        self.store(member, text);
                    }
                }
                continue;
            }
            if let Some(member) = self.scalar_of {
                if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+') {
                    if let Some(t) = self.token.as_mut()
                        && t.len() < MAX_TOKEN
                    {
                        t.push(b);
                    }
                    continue;
                }
                self.scalar_of = None;
                let text = self.token.take().map(|t| String::from_utf8_lossy(&t).into_owned());
                if let Some(text) = text.filter(|t| t != "null") {
                    self.store(member, text);
                }
            }
            if b.is_ascii_whitespace() {
                continue;
            }
            if let Some(member) = self.after_key.take()
                && b == b':'
            {
                self.value_of = Some(member);
                continue;
            }
            let value_of = self.value_of.take();
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_is_key = self.stack.last() == Some(&true) && self.expect_key;
                    self.expect_key = false;
                    if self.string_is_key {
                        self.token = Some(Vec::new());
                    } else if value_of == Some(Member::FileContents) {
                        // Inside the document's string from here: a caller that skips the text and feeds on
                        // from the closing quote resumes correctly.
                        self.string_is_key = false;
                        return Ok(Some(i + 1));
                    } else if let Some(member) = value_of.filter(|m| *m != Member::Other) {
                        self.string_of = Some(member);
                        self.token = Some(Vec::new());
                    }
                }
                b'{' | b'[' => {
                    if self.stack.len() >= MAX_NESTING {
                        return Err(too_deep());
                    }
                    self.stack.push(b == b'{');
                    self.expect_key = b == b'{';
                }
                b'}' | b']' => {
                    self.stack.pop();
                    self.expect_key = false;
                }
                b',' => self.expect_key = self.stack.last() == Some(&true),
                _ => {
                    if let Some(member) = value_of.filter(|m| matches!(m, Member::ContentType | Member::ContentLength))
                    {
                        self.scalar_of = Some(member);
                        self.token = Some(vec![b]);
                    }
                }
            }
        }
        Ok(None)
    }
}

fn unescape_json(raw: &[u8]) -> Option<String> {
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice(&quoted).ok()
}

#[derive(Default)]
enum XmlState {
    /// Character data between tags.
    #[default]
    Text,
    /// After `<`: reading the tag name.
    Name,
    /// Inside a start tag after its name (attributes), `quote` the open attribute quote.
    Attributes { quote: Option<u8> },
    /// Inside `<!-- … -->`, `<? … ?>`, `<!…>` or an end tag: skipped to its end.
    Skip { comment: bool },
}

#[derive(Default)]
struct XmlScan {
    state: XmlState,
    name: Vec<u8>,
    /// The attributes of the current start tag (capped), to see `nil="true"`.
    attributes: Vec<u8>,
    /// The last bytes seen, for `-->` and `/>`.
    last: [u8; 2],
    /// The member whose text is being captured.
    text_of: Option<Member>,
    text: Vec<u8>,
    content_type: Option<String>,
    content_length: Option<String>,
}

impl XmlScan {
    fn feed(&mut self, chunk: &[u8]) -> faxkit::Result<Option<usize>> {
        for (i, &b) in chunk.iter().enumerate() {
            let last = self.last;
            self.last = [last[1], b];
            match &mut self.state {
                XmlState::Text => {
                    if b == b'<' {
                        if let Some(member) = self.text_of.take() {
                            let text = unescape_xml(&String::from_utf8_lossy(&self.text));
                            match member {
                                Member::ContentType => self.content_type = Some(text),
                                Member::ContentLength => self.content_length = Some(text),
                                _ => {}
                            }
                        }
                        self.text.clear();
                        self.name.clear();
                        self.attributes.clear();
                        self.state = XmlState::Name;
                    } else if self.text_of.is_some() && self.text.len() < MAX_TOKEN {
                        self.text.push(b);
                    }
                }
                XmlState::Name => {
                    if self.name.is_empty() && matches!(b, b'!' | b'?' | b'/') {
                        self.state = XmlState::Skip { comment: false };
                        self.name.push(b);
                    } else if b == b'>' || b == b'/' || b.is_ascii_whitespace() {
                        self.state = XmlState::Attributes { quote: None };
                        if b == b'>'
                            && let Some(at) = self.start_tag_end(i, false)
                        {
                            return Ok(Some(at));
                        }
                    } else if self.name.len() < MAX_TOKEN {
                        self.name.push(b);
                    }
                }
                XmlState::Attributes { quote } => match (*quote, b) {
                    (Some(q), b) if b == q => {
                        *quote = None;
                        self.push_attribute(b);
                    }
                    (Some(_), _) => self.push_attribute(b),
                    (None, b'"' | b'\'') => {
                        *quote = Some(b);
                        self.push_attribute(b);
                    }
                    (None, b'>') => {
                        if let Some(at) = self.start_tag_end(i, last[1] == b'/') {
                            return Ok(Some(at));
                        }
                    }
                    (None, b) => self.push_attribute(b),
                },
                XmlState::Skip { comment } => {
                    if self.name.len() < 3 {
                        self.name.push(b);
                        if self.name == b"!--" {
                            *comment = true;
                        }
                    } else if b == b'>' && (!*comment || last == *b"--") {
                        self.state = XmlState::Text;
                    }
                }
            }
        }
        Ok(None)
    }

    fn push_attribute(&mut self, b: u8) {
        if self.attributes.len() < MAX_TOKEN {
            self.attributes.push(b);
        }
    }

    /// A start tag ended at `i`; `Some(i + 1)` when it opens a non-empty `FileContents`.
    fn start_tag_end(&mut self, i: usize, empty: bool) -> Option<usize> {
        self.state = XmlState::Text;
        let member = Member::of(&String::from_utf8_lossy(&self.name));
        let attributes: String = String::from_utf8_lossy(&self.attributes).split_whitespace().collect();
        let nil = attributes.contains("nil=\"true\"") || attributes.contains("nil='true'");
        if empty || nil {
            return None;
        }
        match member {
            Member::FileContents => Some(i + 1),
            Member::ContentType | Member::ContentLength => {
                self.text_of = Some(member);
                None
            }
            Member::Other => None,
        }
    }
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

pub(crate) fn mime_of(format: &FileFormat) -> &'static str {
    match format {
        FileFormat::Tiff => "image/tiff",
        FileFormat::Jpeg => "image/jpeg",
        FileFormat::Png => "image/png",
        FileFormat::Gif => "image/gif",
        _ => "application/pdf",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the document starts, fed whole and one byte at a time (both must agree), and the scalars.
    fn scan(body: &str, json: bool) -> (Option<usize>, Option<String>, Option<String>) {
        let new = || if json { Scanner::Json(JsonScan::default()) } else { Scanner::Xml(XmlScan::default()) };
        let mut whole = new();
        let at = whole.feed(body.as_bytes()).unwrap();
        let mut bytewise = new();
        let mut at2 = None;
        for (i, b) in body.bytes().enumerate() {
            if let Some(off) = bytewise.feed(&[b]).unwrap() {
                at2 = Some(i + off);
                break;
            }
        }
        assert_eq!(at, at2, "chunking changes nothing");
        let (t, l) = whole.scalars();
        (at, t, l)
    }

    fn doc(body: &str, json: bool) -> Option<&str> {
        scan(body, json).0.map(|at| &body[at..at + 4])
    }

    #[test]
    fn json_layouts_the_tree_decoder_accepts() {
        let compact = r#"{"Success":true,"Result":[{"FaxFiles":[{"ContentType":"application/pdf","ContentLength":287117,"FileContents":"QUJD"}]}]}"#;
        assert_eq!(scan(compact, true), (Some(111), Some("application/pdf".into()), Some("287117".into())));
        assert_eq!(doc(compact, true), Some("QUJD"));
        let spaced = "{ \"success\" : true ,\r\n \"result\" : [ { \"faxfiles\" : [ { \"contenttype\" : \"image\\/tiff\" ,\n\t\"CONTENTLENGTH\" : \"3\" , \"fileContents\" :\n \"QUJD\" } ] } ] }";
        let (at, t, l) = scan(spaced, true);
        assert_eq!(at.map(|a| &spaced[a..a + 4]), Some("QUJD"));
        assert_eq!((t.as_deref(), l.as_deref()), (Some("image/tiff"), Some("3")));
        assert_eq!(doc(r#"{"File\u0043ontents":"QUJD"}"#, true), Some("QUJD"), "escaped key characters");
        let decoy = r#"{"InfoString":"\"FileContents\":\"nope","Result":{"FileContents":null,"x":["FileContents"],"FileContents":"QUJD"}}"#;
        assert_eq!(doc(decoy, true), Some("QUJD"), "strings, null and array items are not the member");
        assert_eq!(doc(r#"{"Success":true,"Result":[{"FaxFiles":[]}]}"#, true), None);
    }

    #[test]
    fn xml_layouts_the_tree_decoder_accepts() {
        let plain = "<R><ContentType>image/tiff</ContentType><ContentLength>3</ContentLength><FileContents>QUJD</FileContents></R>";
        let (at, t, l) = scan(plain, false);
        assert_eq!(at.map(|a| &plain[a..a + 4]), Some("QUJD"));
        assert_eq!((t.as_deref(), l.as_deref()), (Some("image/tiff"), Some("3")));
        let soap = "<?xml version=\"1.0\"?><!-- <FileContents>nope</FileContents> --><s:Body><a:fileContents xmlns:a=\"urn:x>\" >QUJD</a:fileContents></s:Body>";
        assert_eq!(doc(soap, false), Some("QUJD"));
        let nil = "<R><FileContents xsi:nil=\"true\" /><FileContents i:nil = \"true\"></FileContents><FileContents/><FileContents>QUJD</FileContents></R>";
        assert_eq!(doc(nil, false), Some("QUJD"));
        assert_eq!(doc("<R><Success>true</Success></R>", false), None);
    }

    #[tokio::test]
    async fn file_contents_are_stripped_in_any_chunking() {
        let json = r#"{"Success":true,"Result":[{"Id":"a","FileContents":"QUJDRA==","Pages":1},{"fileContents" : "RUZH","Id":"b"}]}"#;
        let xml = "<R><InFaxContainer><FileContents>QUJDRA==</FileContents><InFaxId>a</InFaxId></InFaxContainer><a:FileContents x=\"1\">RUZH</a:FileContents></R>";
        for (body, is_json, expected) in [
            (
                json,
                true,
                r#"{"Success":true,"Result":[{"Id":"a","FileContents":"","Pages":1},{"fileContents" : "","Id":"b"}]}"#,
            ),
            (
                xml,
                false,
                "<R><InFaxContainer><FileContents></FileContents><InFaxId>a</InFaxId></InFaxContainer><a:FileContents x=\"1\"></a:FileContents></R>",
            ),
        ] {
            for size in [1, 3, body.len()] {
                let chunks: Vec<faxkit::Result<bytes::Bytes>> =
                    body.as_bytes().chunks(size).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
                let out = strip_file_contents(Box::pin(futures::stream::iter(chunks)), is_json);
                let out = faxkit::stream::collect(VENDOR, out, 1 << 20).await.unwrap();
                assert_eq!(String::from_utf8_lossy(&out), expected, "chunks of {size}");
            }
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_NESTING + 1);
        assert!(JsonScan::default().feed(deep.as_bytes()).is_err());
    }
}
