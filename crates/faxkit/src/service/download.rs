//! [`Download`]: a fax image as a stream, and saving it durably.

use std::fmt;

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};
use crate::stream::ByteStream;

/// A downloaded fax image, streamed.
pub struct Download {
    /// The MIME type (`application/pdf`, `image/tiff`).
    pub content_type: String,
    /// The length, when the vendor says it.
    pub len: Option<u64>,
    /// The bytes.
    pub stream: ByteStream,
}

impl Download {
    /// Collects the whole download into memory, refusing more than `limit` bytes.
    ///
    /// # Errors
    /// Stream errors; [`Error::Decode`] past the limit.
    pub async fn bytes(self, limit: usize) -> Result<Bytes> {
        crate::stream::collect("faxkit", self.stream, limit).await
    }

    /// Streams the download into a file, returning the byte count. The file is written to a temporary name
    /// beside `path` (`.<file name>.<pid>.<n>.partial`, unique per process and call, so two saves never share
    /// one), synced, and renamed to `path` when complete; on unix the directory is synced after the rename so
    /// the new name survives a power loss. A failed download leaves no partial file.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use faxkit::{ByteStream, Download};
    ///
    /// let dir = std::env::temp_dir().join(format!("faxkit-save-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let stream: ByteStream = Box::pin(futures::stream::iter([Ok(bytes::Bytes::from_static(b"%PDF-1.4"))]));
    /// let download = Download { content_type: "application/pdf".into(), len: None, stream };
    /// assert_eq!(download.save(&dir.join("fax.pdf")).await?, 8);
    /// assert_eq!(std::fs::read(dir.join("fax.pdf")).unwrap(), b"%PDF-1.4");
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), faxkit::Error>(()) }).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::InvalidInput`] when `path` names no file; stream errors.
    pub async fn save(mut self, path: &std::path::Path) -> Result<u64> {
        let ctx = || path.display().to_string();
        let (tmp, mut file) = create_partial(path).await?;
        let mut written = 0u64;
        let result: Result<()> = async {
            while let Some(chunk) = self.stream.next().await {
                let chunk = chunk?;
                file.write_all(&chunk).await.map_err(|e| Error::io("faxkit", ctx(), e))?;
                written += chunk.len() as u64;
            }
            file.sync_all().await.map_err(|e| Error::io("faxkit", ctx(), e))
        }
        .await;
        drop(file);
        if let Err(e) = result {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
        if let Err(e) = tokio::fs::rename(&tmp, path).await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(Error::io("faxkit", ctx(), e));
        }
        sync_dir(&parent_dir(path))
            .await
            .map_err(|e| Error::io("faxkit", format!("syncing the directory of {}", ctx()), e))?;
        Ok(written)
    }
}

/// The directory a path's file lives in (`.` for a bare file name).
fn parent_dir(path: &std::path::Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// The temporary name [`Download::save`] writes to: `.<file name>.<pid>.<n>.partial` beside `path`, `n` counting
/// up within the process.
fn partial_path(path: &std::path::Path) -> Result<std::path::PathBuf> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let Some(name) = path.file_name() else {
        return Err(Error::invalid_input("faxkit", format!("{} names no file to save to", path.display())));
    };
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".{}.{n}.partial", std::process::id()));
    Ok(parent_dir(path).join(tmp))
}

/// Creates a fresh temporary file for `path` (never one that exists: a stale name left by a crashed process
/// with the same pid is skipped).
async fn create_partial(path: &std::path::Path) -> Result<(std::path::PathBuf, tokio::fs::File)> {
    let mut attempts = 0;
    loop {
        let tmp = partial_path(path)?;
        match tokio::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).await {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 16 => attempts += 1,
            Err(e) => return Err(Error::io("faxkit", tmp.display().to_string(), e)),
        }
    }
}

/// Makes a rename in `dir` durable: opens the directory and syncs it (unix); nothing elsewhere.
async fn sync_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        tokio::fs::File::open(dir).await?.sync_all().await
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::path::Path;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("faxkit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn download(chunks: Vec<Result<Bytes>>) -> Download {
        Download { content_type: "application/pdf".into(), len: None, stream: Box::pin(futures::stream::iter(chunks)) }
    }

    #[test]
    fn partial_names_keep_the_whole_file_name_and_never_repeat() {
        let pdf = partial_path(Path::new("/in/a.pdf")).unwrap();
        let tif = partial_path(Path::new("/in/a.tif")).unwrap();
        let again = partial_path(Path::new("/in/a.pdf")).unwrap();
        assert_eq!(pdf.parent(), Some(Path::new("/in")));
        let name = pdf.file_name().unwrap().to_str().unwrap();
        let prefix = format!(".a.pdf.{}.", std::process::id());
        assert!(name.starts_with(&prefix) && name.ends_with(".partial"), "{name}");
        assert!(tif.file_name().unwrap().to_str().unwrap().starts_with(".a.tif."), "{tif:?}");
        assert_ne!(pdf, again);
        assert_eq!(partial_path(Path::new("a.pdf")).unwrap().parent(), Some(Path::new(".")));
        assert_eq!(partial_path(Path::new("/")).unwrap_err().kind(), crate::ErrorKind::InvalidInput);
    }

    #[tokio::test]
    async fn saves_of_same_stem_files_do_not_collide() {
        let dir = scratch("save-stems");
        // Both streams are in flight at once: with a shared temporary name one would overwrite the other.
        let (tx_a, rx_a) = futures::channel::mpsc::unbounded::<Result<Bytes>>();
        let (tx_b, rx_b) = futures::channel::mpsc::unbounded::<Result<Bytes>>();
        let a = Download { content_type: "application/pdf".into(), len: None, stream: Box::pin(rx_a) };
        let b = Download { content_type: "image/tiff".into(), len: None, stream: Box::pin(rx_b) };
        let (pa, pb) = (dir.join("a.pdf"), dir.join("a.tif"));
        let save_a = tokio::spawn(async move { a.save(&pa).await });
        let save_b = tokio::spawn(async move { b.save(&pb).await });
        tx_a.unbounded_send(Ok(Bytes::from_static(b"%PDF-1.4 first half "))).unwrap();
        tx_b.unbounded_send(Ok(Bytes::from_static(b"II*\0 tiff"))).unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        tx_a.unbounded_send(Ok(Bytes::from_static(b"second half"))).unwrap();
        drop((tx_a, tx_b));
        assert_eq!(save_a.await.unwrap().unwrap(), 31);
        assert_eq!(save_b.await.unwrap().unwrap(), 9);
        assert_eq!(std::fs::read(dir.join("a.pdf")).unwrap(), b"%PDF-1.4 first half second half");
        assert_eq!(std::fs::read(dir.join("a.tif")).unwrap(), b"II*\0 tiff");
        let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["a.pdf", "a.tif"], "no temporary file left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_failed_download_leaves_no_file() {
        let dir = scratch("save-fail");
        let err = Error::transport("faxkit", "reset");
        let d = download(vec![Ok(Bytes::from_static(b"%PDF-1.4")), Err(err)]);
        assert_eq!(d.save(&dir.join("a.pdf")).await.unwrap_err().kind(), crate::ErrorKind::Transport);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_directory_is_synced_after_the_rename() {
        let dir = scratch("save-sync");
        // A directory that can be opened and synced succeeds; a missing one is an error (so the sync ran).
        sync_dir(&dir).await.unwrap();
        #[cfg(unix)]
        assert!(sync_dir(&dir.join("missing")).await.is_err());
        assert_eq!(download(vec![Ok(Bytes::from_static(b"x"))]).save(&dir.join("b.pdf")).await.unwrap(), 1);
        assert_eq!(parent_dir(Path::new("b.pdf")), Path::new("."));
        assert_eq!(parent_dir(&dir.join("b.pdf")), dir);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
