//! [`FileStore`]: the store for users who want no database: one JSON file, safe for several processes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::memory::State;
use crate::model::{BeginSend, Claim, Failed, FaxKey, InboxRecord, InboxState, Lease, SendOutcome, SendRecord};
use crate::store::Store;

/// The file format this build writes; a newer one is refused.
const FILE_VERSION: i64 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct Doc {
    version: i64,
    #[serde(flatten)]
    state: State,
}

/// A store in one JSON file, with the same semantics as the others.
///
/// Every operation takes an exclusive lock on `<file>.lock` (an OS advisory lock, so several processes on one
/// machine take turns), reads the file, applies the operation and, when it changed something, writes the whole
/// state to a unique temporary file, syncs it, renames it over the file and syncs the directory. A crash leaves
/// the previous or the next state, never a torn one. A file that cannot be parsed (damaged by something else)
/// is kept aside as `<file>.corrupt-<time>`, reported in the log once, and the store starts empty: faxes handed
/// over before may then be handed over again (with the same idempotency key), never lost.
///
/// Each operation reads and writes the whole file, so it suits small inboxes (thousands of faxes, not
/// millions); beyond that, use SQLite.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: Arc<PathBuf>,
}

static TEMP: AtomicU64 = AtomicU64::new(0);

impl FileStore {
    /// A store in the file at `path` (created on the first write; its directory is created now).
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be created or the file read; [`Error::SchemaTooNew`].
    pub async fn open(path: impl Into<PathBuf>) -> Result<FileStore> {
        let path = path.into();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await.map_err(|e| Error::io(dir.display().to_string(), e))?;
        }
        let store = FileStore { path: Arc::new(path) };
        store.read(|_| Ok(())).await?;
        Ok(store)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn read<T: Send + 'static>(&self, f: impl FnOnce(&mut State) -> Result<T> + Send + 'static) -> Result<T> {
        self.with(false, f).await
    }

    async fn update<T: Send + 'static>(&self, f: impl FnOnce(&mut State) -> Result<T> + Send + 'static) -> Result<T> {
        self.with(true, f).await
    }

    async fn with<T: Send + 'static>(
        &self,
        write: bool,
        f: impl FnOnce(&mut State) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || locked(&path, write, f)).await.map_err(|e| Error::Database(Box::new(e)))?
    }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::io(path.display().to_string(), e)
}

/// One operation under the file lock.
fn locked<T>(path: &Path, write: bool, f: impl FnOnce(&mut State) -> Result<T>) -> Result<T> {
    let lock_path = sibling(path, ".lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io(&lock_path, e))?;
    lock.lock().map_err(|e| io(&lock_path, e))?;
    let mut state = load(path)?;
    let out = f(&mut state)?;
    if write {
        save(path, state)?;
    }
    drop(lock); // closing the file releases the lock
    Ok(out)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn load(path: &Path) -> Result<State> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
        Err(e) => return Err(io(path, e)),
    };
    match serde_json::from_slice::<Doc>(&bytes) {
        Ok(doc) if doc.version > FILE_VERSION => {
            Err(Error::SchemaTooNew { found: doc.version, supported: FILE_VERSION })
        }
        Ok(doc) => Ok(doc.state),
        Err(e) => {
            let aside = sibling(path, &format!(".corrupt-{}", jiff::Timestamp::now().as_second()));
            std::fs::rename(path, &aside).map_err(|e| io(path, e))?;
            tracing::error!(
                file = %path.display(), kept = %aside.display(), error = %e,
                "faxkit-store: the state file cannot be read; it was kept aside and the store starts empty"
            );
            Ok(State::default())
        }
    }
}

fn save(path: &Path, state: State) -> Result<()> {
    let doc = Doc { version: FILE_VERSION, state };
    let bytes = serde_json::to_vec(&doc).map_err(|e| Error::Database(Box::new(e)))?;
    let n = TEMP.fetch_add(1, Ordering::Relaxed);
    let tmp = sibling(path, &format!(".{}.{n}.tmp", std::process::id()));
    let result = (|| {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        file.write_all(&bytes).map_err(|e| io(&tmp, e))?;
        file.sync_all().map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        #[cfg(unix)]
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io(dir, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[async_trait::async_trait]
impl Store for FileStore {
    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }

    async fn claim(&self, key: &FaxKey, owner: &str, lease: Duration, max_attempts: u32) -> Result<Claim> {
        let (key, owner) = (key.clone(), owner.to_owned());
        self.update(move |s| s.claim(&key, &owner, lease, max_attempts)).await
    }

    async fn renew(&self, lease: &Lease, duration: Duration) -> Result<bool> {
        let lease = lease.clone();
        self.update(move |s| s.renew(&lease, duration)).await
    }

    async fn complete(&self, lease: &Lease) -> Result<()> {
        let lease = lease.clone();
        self.update(move |s| s.complete(&lease)).await
    }

    async fn acknowledged(&self, key: &FaxKey) -> Result<()> {
        let key = key.clone();
        self.update(move |s| s.acknowledged(&key)).await
    }

    async fn fail(&self, lease: &Lease, error: &str, max_attempts: u32, backoff: Duration) -> Result<Failed> {
        let (lease, error) = (lease.clone(), error.to_owned());
        self.update(move |s| s.fail(&lease, &error, max_attempts, backoff)).await
    }

    async fn postpone(&self, lease: &Lease, error: &str, backoff: Duration) -> Result<()> {
        let (lease, error) = (lease.clone(), error.to_owned());
        self.update(move |s| s.postpone(&lease, &error, backoff)).await
    }

    async fn release(&self, lease: &Lease) -> Result<()> {
        let lease = lease.clone();
        self.update(move |s| s.release(&lease)).await
    }

    async fn due(&self, source: &str, limit: u32) -> Result<Vec<FaxKey>> {
        let source = source.to_owned();
        self.read(move |s| s.due(&source, limit)).await
    }

    async fn inbox(&self, state: Option<InboxState>) -> Result<Vec<InboxRecord>> {
        self.read(move |s| s.inbox(state)).await
    }

    async fn requeue(&self, key: &FaxKey) -> Result<bool> {
        let key = key.clone();
        self.update(move |s| s.requeue(&key)).await
    }

    async fn begin_send(
        &self,
        key: &str,
        vendor: &str,
        fingerprint: &str,
        owner: &str,
        lease: Duration,
    ) -> Result<BeginSend> {
        let (key, vendor, fingerprint, owner) =
            (key.to_owned(), vendor.to_owned(), fingerprint.to_owned(), owner.to_owned());
        self.update(move |s| s.begin_send(&key, &vendor, &fingerprint, &owner, lease)).await
    }

    async fn finish_send(&self, key: &str, token: i64, outcome: &SendOutcome) -> Result<()> {
        let (key, outcome) = (key.to_owned(), outcome.clone());
        self.update(move |s| s.finish_send(&key, token, &outcome)).await
    }

    async fn send_record(&self, key: &str) -> Result<Option<SendRecord>> {
        let key = key.to_owned();
        self.read(move |s| s.send_record(&key)).await
    }

    async fn sends(&self) -> Result<Vec<SendRecord>> {
        self.read(|s| s.sends()).await
    }
}
