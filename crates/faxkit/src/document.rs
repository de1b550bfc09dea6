//! Documents to fax: from a path, from bytes, or from an async reader, streamed to the wire.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::ReaderStream;

use crate::error::{Error, Result};
use crate::mime;
use crate::stream::ByteStream;

const VENDOR: &str = "faxkit";
/// Chunk size used when streaming files and readers.
pub const CHUNK_SIZE: usize = 64 * 1024;

/// Bytes read per chunk when a document is sent base64-encoded (192 KiB: 3 × 64 KiB, so chunks encode whole).
pub const BASE64_CHUNK_SIZE: usize = 3 * 64 * 1024;

type BoxReader = Box<dyn AsyncRead + Send + Unpin>;

#[derive(Clone)]
enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    /// A reader can be consumed once; clones of the document share it.
    Reader {
        reader: Arc<Mutex<Option<BoxReader>>>,
        len: u64,
    },
}

/// A document to fax. Nothing is read until a vendor client [`open`](Document::open)s it, and then it is
/// streamed: a 500 MB file never sits in memory.
///
/// ```
/// # use faxkit::Document;
/// # tokio_test_block(async {
/// let doc = Document::from_bytes("%PDF-1.7 ...", "invoice.pdf");
/// let open = doc.open().await?;
/// assert_eq!(open.content_type(), "application/pdf");
/// assert_eq!(open.len(), 12);
/// # Ok::<(), faxkit::Error>(()) });
/// # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f) }
/// ```
#[derive(Clone)]
pub struct Document {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Document {
    /// A document read from a file when the fax is sent. The file name is the path's last component.
    pub fn from_path(path: impl AsRef<Path>) -> Self {
        Document { source: Source::Path(path.as_ref().to_path_buf()), file_name: None, content_type: None }
    }

    /// A document already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        Document { source: Source::Bytes(bytes.into()), file_name: Some(file_name.into()), content_type: None }
    }

    /// A document read from an async reader that will yield exactly `len` bytes. It can be sent once.
    pub fn from_reader(
        reader: impl AsyncRead + Send + Unpin + 'static,
        len: u64,
        file_name: impl Into<String>,
    ) -> Self {
        Document {
            source: Source::Reader { reader: Arc::new(Mutex::new(Some(Box::new(reader)))), len },
            file_name: Some(file_name.into()),
            content_type: None,
        }
    }

    /// The file name, if known without opening (path documents derive it from the path).
    pub fn name(&self) -> Option<String> {
        self.file_name.clone().or_else(|| match &self.source {
            Source::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        })
    }

    /// Opens the document: learns its length, sniffs its type from the first bytes (then the extension) and
    /// returns it ready to stream.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read; [`Error::InvalidInput`] for an empty document or a reader
    /// that was already sent.
    pub async fn open(&self) -> Result<OpenDocument> {
        let file_name = self.name().unwrap_or_else(|| "document".to_owned());
        let (len, reader): (u64, Reader) = match &self.source {
            Source::Bytes(b) => (b.len() as u64, Reader::Bytes(b.clone())),
            Source::Path(p) => {
                let ctx = || p.display().to_string();
                let file = tokio::fs::File::open(p).await.map_err(|e| Error::io(VENDOR, ctx(), e))?;
                let meta = file.metadata().await.map_err(|e| Error::io(VENDOR, ctx(), e))?;
                if !meta.is_file() {
                    return Err(Error::invalid_input(VENDOR, format!("{} is not a file", ctx())));
                }
                (meta.len(), Reader::Stream(Box::new(file)))
            }
            Source::Reader { reader, len } => {
                let taken = reader.lock().map_err(|_| Error::invalid_input(VENDOR, "document reader poisoned"))?.take();
                let reader = taken.ok_or_else(|| {
                    Error::invalid_input(
                        VENDOR,
                        format!("document {file_name:?} was read already; a reader can be sent once"),
                    )
                })?;
                (*len, Reader::Stream(reader))
            }
        };
        if len == 0 {
            return Err(Error::invalid_input(VENDOR, format!("document {file_name:?} is empty")));
        }
        let (head, reader) = match reader {
            Reader::Bytes(b) => (b.slice(..b.len().min(mime::SNIFF_LEN)), Reader::Bytes(b)),
            Reader::Stream(mut r) => {
                let mut head = vec![0u8; mime::SNIFF_LEN.min(len as usize)];
                let mut filled = 0;
                while filled < head.len() {
                    let n = r.read(&mut head[filled..]).await.map_err(|e| Error::io(VENDOR, file_name.clone(), e))?;
                    if n == 0 {
                        break;
                    }
                    filled += n;
                }
                head.truncate(filled);
                let head = Bytes::from(head);
                let chained: BoxReader = Box::new(std::io::Cursor::new(head.clone()).chain(r));
                (head, Reader::Stream(chained))
            }
        };
        let content_type = self.content_type.clone().unwrap_or_else(|| mime::detect(&head, &file_name).to_owned());
        Ok(OpenDocument { file_name, content_type, len, reader })
    }
}

crate::setters!(Document {
    strings {
        /// Overrides the file name sent to the vendor.
        file_name,
        /// Overrides the MIME type instead of sniffing it.
        content_type,
    }
});

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes in memory", b.len()),
            Source::Reader { len, .. } => format!("reader of {len} bytes"),
        };
        f.debug_struct("Document")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

enum Reader {
    Bytes(Bytes),
    Stream(BoxReader),
}

/// An opened [`Document`]: name, type and length known, content ready to stream exactly once.
pub struct OpenDocument {
    file_name: String,
    content_type: String,
    len: u64,
    reader: Reader,
}

impl OpenDocument {
    /// The file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The MIME type, sniffed or given.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Always `false`: empty documents are refused by [`Document::open`].
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file extension (from the name, else from the type), lower case, without the dot.
    pub fn extension(&self) -> Option<String> {
        self.file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .or_else(|| mime::extension_for(&self.content_type).map(str::to_owned))
    }

    /// The content as a reader that yields exactly [`len`](Self::len) bytes (an error if the source ends
    /// early).
    pub fn into_reader(self) -> Box<dyn AsyncRead + Send + Unpin> {
        match self.reader {
            Reader::Bytes(b) => Box::new(std::io::Cursor::new(b)),
            Reader::Stream(r) => Box::new(r.take(self.len)),
        }
    }

    /// The content as a stream of chunks of at most [`CHUNK_SIZE`] bytes.
    pub fn into_stream(self) -> ByteStream {
        self.into_stream_of(CHUNK_SIZE)
    }

    /// The content as a stream of chunks of at most `chunk_size` bytes.
    fn into_stream_of(self, chunk_size: usize) -> ByteStream {
        let (len, name) = (self.len, self.file_name.clone());
        match self.reader {
            Reader::Bytes(b) => crate::stream::once(b),
            Reader::Stream(r) => {
                let inner = ReaderStream::with_capacity(r.take(len), chunk_size);
                let state = (inner, 0u64);
                Box::pin(futures::stream::try_unfold(state, move |(mut inner, seen)| {
                    let name = name.clone();
                    async move {
                        match inner.next().await {
                            Some(Ok(chunk)) => {
                                let seen = seen + chunk.len() as u64;
                                Ok(Some((chunk, (inner, seen))))
                            }
                            Some(Err(e)) => Err(Error::io(VENDOR, name, e)),
                            None if seen < len => Err(Error::io(
                                VENDOR,
                                name,
                                std::io::Error::new(
                                    std::io::ErrorKind::UnexpectedEof,
                                    format!("document ended after {seen} of {len} bytes"),
                                ),
                            )),
                            None => Ok(None),
                        }
                    }
                }))
            }
        }
    }

    /// The content as a streaming HTTP body. A streamed body carries no length of its own: set
    /// `Content-Length` from [`len`](Self::len) on the request, or it goes out chunked.
    pub fn into_body(self) -> reqwest::Body {
        match self.reader {
            Reader::Bytes(b) => reqwest::Body::from(b),
            Reader::Stream(_) => reqwest::Body::wrap_stream(self.into_stream()),
        }
    }

    /// The content as a streamed multipart part carrying the file name, type and length.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the content type is not a valid MIME type.
    pub fn into_part(self) -> Result<reqwest::multipart::Part> {
        let (name, mime, len) = (self.file_name.clone(), self.content_type.clone(), self.len);
        let part = match self.reader {
            Reader::Bytes(b) => reqwest::multipart::Part::stream_with_length(reqwest::Body::from(b), len),
            Reader::Stream(_) => reqwest::multipart::Part::stream_with_length(self.into_body(), len),
        };
        part.file_name(name)
            .mime_str(&mime)
            .map_err(|e| Error::invalid_input(VENDOR, format!("content type {mime:?} is not a MIME type: {e}")))
    }

    /// The content base64-encoded, streamed; its length is [`crate::base64::encoded_len`] of [`len`](Self::len).
    ///
    /// The document is read in chunks of [`BASE64_CHUNK_SIZE`] bytes: a multiple of 3, so each chunk encodes
    /// whole with nothing carried over, and large enough that the per-chunk work (one encode call, one body
    /// frame) stays small next to the encoding itself.
    pub fn into_base64_stream(self) -> ByteStream {
        crate::base64::encode_stream(self.into_stream_of(BASE64_CHUNK_SIZE))
    }

    /// Reads the whole content into memory. Only for wires that leave no choice, and never for large files.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the document is larger than `limit`; I/O errors.
    pub async fn into_bytes(self, limit: u64) -> Result<Bytes> {
        if self.len > limit {
            return Err(Error::invalid_input(
                VENDOR,
                format!("document {:?} is {} bytes; this call takes at most {limit}", self.file_name, self.len),
            ));
        }
        match self.reader {
            Reader::Bytes(b) => Ok(b),
            Reader::Stream(_) => crate::stream::collect(VENDOR, self.into_stream(), limit as usize).await,
        }
    }
}

impl fmt::Debug for OpenDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenDocument")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::collect;

    #[tokio::test]
    async fn path_document_streams_with_sniffed_type() {
        let dir = std::env::temp_dir().join(format!("faxkit-doc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("scan.bin");
        let mut data = b"II*\0".to_vec();
        data.extend(std::iter::repeat_n(7u8, 200_000));
        std::fs::write(&path, &data).unwrap();
        let open = Document::from_path(&path).open().await.unwrap();
        assert_eq!(open.file_name(), "scan.bin");
        assert_eq!(open.content_type(), "image/tiff");
        assert_eq!(open.len(), data.len() as u64);
        let stream = open.into_stream();
        let out = collect("t", stream, 1 << 20).await.unwrap();
        assert_eq!(out, data);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn reader_document_is_single_use_and_checks_length() {
        let doc = Document::from_reader(&b"%PDF-1.4 hello"[..], 14, "a.pdf");
        let open = doc.open().await.unwrap();
        assert_eq!(open.content_type(), "application/pdf");
        assert_eq!(collect("t", open.into_stream(), 100).await.unwrap(), &b"%PDF-1.4 hello"[..]);
        assert_eq!(doc.open().await.unwrap_err().kind(), crate::ErrorKind::InvalidInput);

        let short = Document::from_reader(&b"abc"[..], 10, "a.txt").open().await.unwrap();
        assert!(collect("t", short.into_stream(), 100).await.is_err());
    }

    #[tokio::test]
    async fn empty_and_missing_documents_are_refused() {
        let err = Document::from_bytes(Bytes::new(), "x.pdf").open().await.unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        let err = Document::from_path("/nonexistent/faxkit/x.pdf").open().await.unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Io);
    }

    #[tokio::test]
    async fn overrides_and_base64() {
        let doc = Document::from_bytes("hello", "note").content_type("text/plain").file_name("n.txt");
        let open = doc.open().await.unwrap();
        assert_eq!((open.file_name(), open.content_type()), ("n.txt", "text/plain"));
        assert_eq!(open.extension().as_deref(), Some("txt"));
        let b64 = collect("t", open.into_base64_stream(), 100).await.unwrap();
        assert_eq!(&b64[..], b"aGVsbG8=");
        let big = Document::from_bytes(vec![1u8; 100], "x").open().await.unwrap();
        assert!(big.into_bytes(10).await.is_err());
    }
}
