//! Where the engine hands each fax over: a [`Sink`]. [`DirSink`] writes durable files; [`handler`] wraps an
//! async closure.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use futures::future::BoxFuture;
use tokio::io::AsyncWriteExt;

use faxkit::{Download, InboundFax};

use crate::error::{Error, Result};
use crate::model::FaxKey;

/// One fax being handed over.
#[non_exhaustive]
pub struct Delivery {
    /// The fax's key; [`FaxKey::idempotency_key`] is stable across retries, workers and restarts, so the
    /// handler can make its own effect happen once.
    pub key: FaxKey,
    /// What the vendor said about the fax.
    pub fax: InboundFax,
    /// Which claim of this fax this is (1 for the first; more after a crash or a failure).
    pub attempt: u32,
    /// The image, streamed.
    pub download: Download,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("key", &self.key)
            .field("attempt", &self.attempt)
            .field("download", &self.download)
            .finish_non_exhaustive()
    }
}

/// Receives each fax. [`deliver`](Sink::deliver) returns only when the fax is durably handed over: the engine
/// marks it done, and acknowledges it at the vendor, only after that. A fax may be delivered again when a
/// crash came between the delivery and the done mark, always with the same key.
#[async_trait::async_trait]
pub trait Sink: Send + Sync {
    /// Hands one fax over.
    async fn deliver(&self, delivery: Delivery) -> Result<()>;
}

/// Writes each fax to `<dir>/<key>.<pdf|tif>`: streamed into a temporary file in the same directory, synced,
/// renamed over the final name, and the directory synced. A second delivery of the same fax replaces the
/// file with the same bytes, so the directory holds exactly one file per fax.
///
/// ```no_run
/// # async fn f() -> faxkit_store::Result<()> {
/// let sink = faxkit_store::DirSink::new("/srv/fax/in").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct DirSink {
    dir: PathBuf,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl DirSink {
    /// A sink writing into `dir`, created when missing.
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be created.
    pub async fn new(dir: impl Into<PathBuf>) -> Result<DirSink> {
        let dir = dir.into();
        tokio::fs::create_dir_all(&dir).await.map_err(|e| Error::io(dir.display().to_string(), e))?;
        Ok(DirSink { dir })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a fax is written to.
    pub fn path_for(&self, key: &FaxKey, content_type: &str) -> PathBuf {
        self.dir.join(format!("{}.{}", file_stem(key), extension(content_type)))
    }
}

/// The key as a file name: letters, digits and `-` kept, the `:` between source and id as `_`, everything
/// else as `%XX`, so two keys never share a name and no name starts with a dot.
pub fn file_stem(key: &FaxKey) -> String {
    let mut out = String::new();
    encode_into(&key.source, &mut out);
    out.push('_');
    encode_into(&key.fax_id, &mut out);
    out
}

fn encode_into(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn extension(content_type: &str) -> &'static str {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("pdf") {
        "pdf"
    } else if ct.contains("tif") {
        "tif"
    } else {
        "bin"
    }
}

/// Writes `download` to `path` durably: a unique temporary file beside it, synced, renamed, directory synced.
/// Returns the byte count.
///
/// # Errors
/// [`Error::Io`]; stream errors as [`Error::Fax`].
pub async fn write_durably(path: &Path, mut download: Download) -> Result<u64> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.partial", std::process::id()));
    let ctx = |p: &Path| p.display().to_string();
    let result: Result<u64> = async {
        let mut file = tokio::fs::File::create(&tmp).await.map_err(|e| Error::io(ctx(&tmp), e))?;
        let mut written = 0u64;
        while let Some(chunk) = download.stream.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(|e| Error::io(ctx(&tmp), e))?;
            written += chunk.len() as u64;
        }
        file.sync_all().await.map_err(|e| Error::io(ctx(&tmp), e))?;
        drop(file);
        tokio::fs::rename(&tmp, path).await.map_err(|e| Error::io(ctx(path), e))?;
        sync_dir(&dir).await?;
        Ok(written)
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

/// Syncs a directory so a rename in it survives a power cut (a no-op where directories cannot be opened).
async fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let d = tokio::fs::File::open(dir).await.map_err(|e| Error::io(dir.display().to_string(), e))?;
        d.sync_all().await.map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[async_trait::async_trait]
impl Sink for DirSink {
    async fn deliver(&self, delivery: Delivery) -> Result<()> {
        let path = self.path_for(&delivery.key, &delivery.download.content_type);
        write_durably(&path, delivery.download).await?;
        Ok(())
    }
}

/// A sink from an async closure: the closure is the handler, and its `Ok` is the hand-over.
///
/// ```
/// let sink = faxkit_store::handler(|delivery| async move {
///     let bytes = delivery.download.bytes(64 << 20).await?;
///     println!("{}: {} bytes", delivery.key.idempotency_key(), bytes.len());
///     Ok(())
/// });
/// ```
pub fn handler<F, Fut>(f: F) -> HandlerSink
where
    F: Fn(Delivery) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send + 'static,
{
    HandlerSink { f: Box::new(move |d| Box::pin(f(d))) }
}

type HandlerFn = Box<dyn Fn(Delivery) -> BoxFuture<'static, Result<()>> + Send + Sync>;

/// The sink [`handler`] builds.
pub struct HandlerSink {
    f: HandlerFn,
}

impl std::fmt::Debug for HandlerSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HandlerSink")
    }
}

#[async_trait::async_trait]
impl Sink for HandlerSink {
    async fn deliver(&self, delivery: Delivery) -> Result<()> {
        (self.f)(delivery).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_distinct_and_safe() {
        assert_eq!(file_stem(&FaxKey::new("interfax", "123")), "interfax_123");
        assert_eq!(file_stem(&FaxKey::new("retarus", "a/b:c")), "retarus_a%2Fb%3Ac");
        assert_ne!(file_stem(&FaxKey::new("a_b", "c")), file_stem(&FaxKey::new("a", "b_c")));
        assert!(!file_stem(&FaxKey::new("x", "..")).contains(".."));
    }
}
