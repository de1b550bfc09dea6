//! Exactly-once processing of received faxes: [`InboxPoller`] and its [`CheckpointStore`].
//!
//! Fax2 makes one guarantee about repeated `received_faxes` calls: a fax not listed before has a `received_at`
//! no more than 5 minutes before the latest `received_at` of the previous answer. Ids are not ordered and faxes
//! may show up late, so "everything after the last id" loses faxes. The document's procedure (Fax2 API,
//! "Processing received faxes") keeps two things in persistent storage, `last_received_at` and `seen_ids`,
//! and on each poll:
//!
//! 1. lists with `from_time` = `last_received_at` − 5 minutes, following `next_page_url` to the end;
//! 2. takes the latest `received_at` of that list as `new_last_received_at`;
//! 3. processes each fax whose id is not in `seen_ids`, and remembers in `seen_ids` every fax received at
//!    most 5 minutes before `new_last_received_at`;
//! 4. stores `new_last_received_at` as `last_received_at`;
//! 5. drops from `seen_ids` the ids the list no longer contains.
//!
//! [`InboxPoller`] does exactly that, with one addition for crashes: each fax's id is written to the
//! checkpoint as soon as the caller's handler succeeds, before the next fax is handled, and
//! `last_received_at` advances only after every fax of the poll was handled. A crash (or a handler error)
//! anywhere in a poll therefore loses nothing and repeats nothing already checkpointed; the next poll lists
//! the same window again and skips what was handled.
//!
//! The one window left is between a handler returning `Ok` and that fax's checkpoint write reaching disk: a
//! crash exactly there hands the fax over again on restart. No client can close that window alone; make the
//! handler idempotent by [`ReceivedFaxId`], or implement [`CheckpointStore`] on the same database the handler
//! writes to.
#![allow(deprecated)] // the deprecated type's own module

use std::collections::{BTreeSet, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use faxkit::BoxError;
use futures::TryStreamExt;
use jiff::{SignedDuration, Timestamp};

use crate::VENDOR;
use crate::client::Client;
use crate::model::{ReceivedFax, ReceivedFaxId, ServiceId};

/// The overlap the Fax2 guarantee requires: 5 minutes.
pub const OVERLAP: SignedDuration = SignedDuration::from_secs(5 * 60);

/// `t` − 5 minutes, saturating at the earliest representable time (vendor times never panic).
fn minus_overlap(t: Timestamp) -> Timestamp {
    t.saturating_sub(OVERLAP).unwrap_or(Timestamp::MIN)
}

/// What an [`InboxPoller`] keeps between polls.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Checkpoint {
    /// The latest `received_at` of the last complete poll (`None`: list from the beginning, or from
    /// [`InboxPoller::start_at`]).
    pub last_received_at: Option<Timestamp>,
    /// Ids already handed to the handler that may be listed again.
    pub seen_ids: BTreeSet<ReceivedFaxId>,
}

impl Checkpoint {
    /// A checkpoint starting at `last_received_at` with nothing seen.
    pub fn new(last_received_at: Option<Timestamp>) -> Self {
        Checkpoint { last_received_at, seen_ids: BTreeSet::new() }
    }
}

/// Where an [`InboxPoller`] keeps its [`Checkpoint`]. `save` must be durable when it returns.
#[faxkit::async_trait]
pub trait CheckpointStore: Send + Sync {
    /// The stored checkpoint; `None` before the first save.
    async fn load(&self) -> faxkit::Result<Option<Checkpoint>>;

    /// Stores the checkpoint durably, replacing the previous one.
    async fn save(&self, checkpoint: &Checkpoint) -> faxkit::Result<()>;
}

/// A [`CheckpointStore`] in a JSON file, replaced atomically: written to a temporary file beside it
/// (`.<name>.<pid>.<n>.tmp`, unique per process and write), fsynced, renamed over the old file, and the
/// directory fsynced. A crash leaves the old or the new checkpoint, never a torn one.
///
/// **Several writers** (pollers in several processes, or several stores on one path) are safe: each save
/// takes an advisory lock on `<name>.lock` beside the file (`flock`, on unix), re-reads the file and merges:
/// `last_received_at` is the later of the two (each writer advances it only past faxes it handled), and
/// `seen_ids` is the union of both, less the ids this store itself dropped since its last load or save (the
/// poller prunes ids that left the window). No writer's progress is lost; two pollers on one file may still
/// both handle a fax they listed at the same time, so handlers stay idempotent by id. Clones of one store
/// share its memory of what it dropped, like one writer.
///
/// **A corrupt file** (not JSON, or not a checkpoint) is reported once (a `tracing` error naming the backup),
/// renamed to `<name>.corrupt-<unix seconds>-<pid>-<n>` (never over an earlier backup), and treated as absent: the next poll starts over from
/// [`InboxPoller::start_at`] and hands faxes over again (at-least-once), instead of failing every poll.
#[derive(Debug, Clone)]
pub struct FileCheckpointStore {
    path: PathBuf,
    /// The `seen_ids` of the checkpoint this store last loaded or saved.
    last_seen: std::sync::Arc<Mutex<Option<BTreeSet<ReceivedFaxId>>>>,
}

impl FileCheckpointStore {
    /// A store at `path` (created on first save; its directory must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileCheckpointStore { path: path.into(), last_seen: std::sync::Arc::default() }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn remember(&self, seen: Option<&BTreeSet<ReceivedFaxId>>) {
        if let Ok(mut slot) = self.last_seen.lock() {
            *slot = seen.cloned();
        }
    }

    fn remembered(&self) -> BTreeSet<ReceivedFaxId> {
        self.last_seen.lock().ok().and_then(|s| s.clone()).unwrap_or_default()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredCheckpoint {
    version: u32,
    #[serde(flatten)]
    checkpoint: Checkpoint,
}

#[faxkit::async_trait]
impl CheckpointStore for FileCheckpointStore {
    async fn load(&self) -> faxkit::Result<Option<Checkpoint>> {
        let path = self.path.clone();
        let loaded = tokio::task::spawn_blocking(move || read_checkpoint(&path))
            .await
            .map_err(|e| faxkit::Error::io(VENDOR, "checkpoint reader", std::io::Error::other(e)))??;
        self.remember(loaded.as_ref().map(|c| &c.seen_ids));
        Ok(loaded)
    }

    async fn save(&self, checkpoint: &Checkpoint) -> faxkit::Result<()> {
        let path = self.path.clone();
        let mine = checkpoint.clone();
        let dropped: BTreeSet<ReceivedFaxId> = self.remembered().difference(&checkpoint.seen_ids).cloned().collect();
        tokio::task::spawn_blocking(move || {
            let _lock = FileLock::exclusive(&lock_path(&path))?;
            let merged = match read_checkpoint(&path)? {
                Some(on_disk) => merge(on_disk, mine, &dropped),
                None => mine,
            };
            let stored = StoredCheckpoint { version: 1, checkpoint: merged };
            let json = serde_json::to_vec_pretty(&stored)
                .map_err(|e| faxkit::Error::invalid_input(VENDOR, format!("cannot encode checkpoint: {e}")))?;
            write_atomically(&path, &json)
        })
        .await
        .map_err(|e| faxkit::Error::io(VENDOR, "checkpoint writer", std::io::Error::other(e)))??;
        self.remember(Some(&checkpoint.seen_ids));
        Ok(())
    }
}

/// `on_disk` and `mine` merged: the later `last_received_at`; the union of `seen_ids` less what this writer
/// dropped on purpose.
fn merge(on_disk: Checkpoint, mine: Checkpoint, dropped: &BTreeSet<ReceivedFaxId>) -> Checkpoint {
    let mut seen_ids = mine.seen_ids;
    seen_ids.extend(on_disk.seen_ids.into_iter().filter(|id| !dropped.contains(id)));
    let last_received_at = match (on_disk.last_received_at, mine.last_received_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Checkpoint { last_received_at, seen_ids }
}

/// The checkpoint in `path`; `None` when there is none, or when it was corrupt (then it is moved aside to a
/// backup and reported once).
fn read_checkpoint(path: &Path) -> faxkit::Result<Option<Checkpoint>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(faxkit::Error::io(VENDOR, path.display().to_string(), e)),
    };
    match faxkit::http::decode_json::<StoredCheckpoint>(VENDOR, &bytes) {
        Ok(stored) => Ok(Some(stored.checkpoint)),
        Err(error) => {
            static BACKUPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = BACKUPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let backup = sibling(path, |name| {
                let secs = jiff::Timestamp::now().as_second();
                format!("{name}.corrupt-{secs}-{}-{n}", std::process::id())
            });
            std::fs::rename(path, &backup).map_err(|e| {
                faxkit::Error::io(VENDOR, format!("moving corrupt checkpoint {} aside", path.display()), e)
            })?;
            tracing::error!(
                vendor = VENDOR,
                path = %path.display(),
                backup = %backup.display(),
                %error,
                "corrupt checkpoint moved aside; starting over (faxes since start_at are handed over again)"
            );
            Ok(None)
        }
    }
}

/// A file beside `path` named by `name(path's file name)`.
fn sibling(path: &Path, name: impl FnOnce(&str) -> String) -> PathBuf {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(name(&file))
}

fn lock_path(path: &Path) -> PathBuf {
    sibling(path, |name| format!("{name}.lock"))
}

/// An exclusive advisory lock on a lock file, released when dropped (the file is closed).
struct FileLock {
    _file: std::fs::File,
}

impl FileLock {
    fn exclusive(path: &Path) -> faxkit::Result<FileLock> {
        let ctx = || format!("locking {}", path.display());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| faxkit::Error::io(VENDOR, ctx(), e))?;
        #[cfg(all(
            unix,
            not(any(target_os = "espidf", target_os = "horizon", target_os = "solaris", target_os = "vita"))
        ))]
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|e| faxkit::Error::io(VENDOR, ctx(), e.into()))?;
        Ok(FileLock { _file: file })
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> faxkit::Result<()> {
    use std::io::Write;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let ctx = |what: &str| format!("{what} {}", path.display());
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = sibling(path, |name| format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| faxkit::Error::io(VENDOR, ctx("creating a temporary file for"), e))?;
        file.write_all(bytes).map_err(|e| faxkit::Error::io(VENDOR, ctx("writing"), e))?;
        file.sync_all().map_err(|e| faxkit::Error::io(VENDOR, ctx("syncing"), e))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(|e| faxkit::Error::io(VENDOR, ctx("renaming into"), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| faxkit::Error::io(VENDOR, ctx("syncing the directory of"), e))?;
    }
    Ok(())
}

/// A [`CheckpointStore`] in memory: for tests, or processes that keep their own history.
#[derive(Debug, Default)]
pub struct MemoryCheckpointStore {
    checkpoint: Mutex<Option<Checkpoint>>,
}

impl MemoryCheckpointStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The stored checkpoint.
    pub fn get(&self) -> Option<Checkpoint> {
        self.checkpoint.lock().ok().and_then(|c| c.clone())
    }
}

#[faxkit::async_trait]
impl CheckpointStore for MemoryCheckpointStore {
    async fn load(&self) -> faxkit::Result<Option<Checkpoint>> {
        Ok(self.get())
    }

    async fn save(&self, checkpoint: &Checkpoint) -> faxkit::Result<()> {
        let mut slot =
            self.checkpoint.lock().map_err(|_| faxkit::Error::invalid_input(VENDOR, "checkpoint store poisoned"))?;
        *slot = Some(checkpoint.clone());
        Ok(())
    }
}

/// Why a poll stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PollError {
    /// Listing the faxes or writing the checkpoint failed. Nothing checkpointed is lost; poll again.
    #[error(transparent)]
    Fax2(#[from] faxkit::Error),
    /// The handler failed for a fax. The fax was not checkpointed and is handed over again on the next poll.
    #[error("the handler failed for received fax {fax_id}: {source}")]
    Handler {
        /// The fax the handler failed on.
        fax_id: ReceivedFaxId,
        /// The handler's error.
        #[source]
        source: BoxError,
    },
}

/// What one poll did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollReport {
    /// Faxes the listing returned (duplicates across pages counted once).
    pub listed: usize,
    /// Faxes handed to the handler.
    pub delivered: usize,
    /// Faxes skipped as already handled.
    pub skipped: usize,
    /// The checkpoint's `last_received_at` after the poll.
    pub last_received_at: Option<Timestamp>,
}

/// Hands each received fax to a handler exactly once, following Fax2's documented procedure (see the
/// [module docs](self)).
///
/// # Example
///
/// ```
/// # #[cfg(feature = "sandbox")]
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// # let sandbox = fax2::sandbox::Sandbox::start().await?;
/// # sandbox.inject_received(bytes::Bytes::from_static(b"%PDF-1.4 fax")).await;
/// # let dir = tempfile::tempdir().unwrap();
/// # let client = sandbox.client();
/// use fax2::{FileCheckpointStore, InboxPoller};
/// let store = FileCheckpointStore::new(dir.path().join("fax2-inbox.json"));
/// let mut poller = InboxPoller::new(client.clone(), store);
/// let report = poller
///     .poll_once(|fax| {
///         let client = client.clone();
///         async move {
///             let pdf = client.received_faxes().content(&fax.id).await?;
///             pdf.save(&std::env::temp_dir().join(format!("{}.pdf", fax.id))).await?;
///             Ok(())
///         }
///     })
///     .await?;
/// assert_eq!(report.delivered, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(()) }).unwrap();
/// ```
#[derive(Debug)]
#[deprecated(
    since = "0.2.0",
    note = "for crash-safe and multi-worker intake use faxkit_store::InboxEngine over Client::inbound_source() \
            (fax2::ReceivedFaxesSource); InboxPoller stays for one process with a checkpoint file"
)]
pub struct InboxPoller<S> {
    client: Client,
    store: S,
    service_id: Option<ServiceId>,
    limit: Option<u32>,
    start_at: Option<Timestamp>,
}

impl<S: CheckpointStore> InboxPoller<S> {
    /// A poller over all fax services, checkpointing into `store`.
    pub fn new(client: Client, store: S) -> Self {
        InboxPoller { client, store, service_id: None, limit: None, start_at: None }
    }

    /// Only faxes of one fax service.
    #[must_use]
    pub fn service(mut self, service_id: impl Into<Option<ServiceId>>) -> Self {
        self.service_id = service_id.into();
        self
    }

    /// The page size, 1–1000 (Fax2's default 50 when unset).
    #[must_use]
    pub fn limit(mut self, limit: impl Into<Option<u32>>) -> Self {
        self.limit = limit.into();
        self
    }

    /// Where to start when the store holds no checkpoint yet: faxes received before `time` − 5 minutes are
    /// never handed over. Without it the first poll hands over the whole history.
    #[must_use]
    pub fn start_at(mut self, time: impl Into<Option<Timestamp>>) -> Self {
        self.start_at = time.into();
        self
    }

    /// The checkpoint store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Runs one poll: lists the window, hands each new fax to `handler` (in `received_at` order), and
    /// checkpoints. Takes `&mut self` so one poller never runs two polls at once.
    ///
    /// # Errors
    /// [`PollError::Handler`] when the handler fails (faxes handled before it stay checkpointed);
    /// [`PollError::Fax2`] when listing or checkpointing fails.
    #[tracing::instrument(skip_all, fields(vendor = VENDOR))]
    pub async fn poll_once<F, Fut>(&mut self, mut handler: F) -> Result<PollReport, PollError>
    where
        F: FnMut(ReceivedFax) -> Fut,
        Fut: Future<Output = Result<(), BoxError>>,
    {
        let mut checkpoint = self.store.load().await?.unwrap_or_else(|| Checkpoint::new(self.start_at));
        let seen_at_start = checkpoint.seen_ids.clone();
        let from_time = checkpoint.last_received_at.map(minus_overlap);
        let listed: Vec<ReceivedFax> = self
            .client
            .received_faxes()
            .list()
            .service(self.service_id.clone())
            .limit(self.limit)
            .from_time(from_time)
            .stream()
            .try_collect()
            .await?;
        let mut ids = HashSet::new();
        let mut faxes: Vec<ReceivedFax> = listed.into_iter().filter(|f| ids.insert(f.id.clone())).collect();
        faxes.sort_by(|a, b| a.received_at.cmp(&b.received_at).then_with(|| a.id.cmp(&b.id)));
        let Some(new_last) = faxes.iter().map(|f| f.received_at).max() else {
            let report =
                PollReport { listed: 0, delivered: 0, skipped: 0, last_received_at: checkpoint.last_received_at };
            if !checkpoint.seen_ids.is_empty() {
                checkpoint.seen_ids.clear();
                self.store.save(&checkpoint).await?;
            }
            return Ok(report);
        };
        let (mut delivered, mut skipped) = (0, 0);
        for fax in &faxes {
            if checkpoint.seen_ids.contains(&fax.id) {
                skipped += 1;
                continue;
            }
            let id = fax.id.clone();
            handler(fax.clone()).await.map_err(|source| PollError::Handler { fax_id: id.clone(), source })?;
            delivered += 1;
            // Durable before the next fax: a crash from here on never hands this fax over again.
            checkpoint.seen_ids.insert(id);
            self.store.save(&checkpoint).await?;
        }
        let window = minus_overlap(new_last);
        checkpoint.seen_ids = faxes
            .iter()
            .filter(|f| seen_at_start.contains(&f.id) || f.received_at >= window)
            .map(|f| f.id.clone())
            .collect();
        checkpoint.last_received_at = Some(new_last);
        self.store.save(&checkpoint).await?;
        Ok(PollReport { listed: faxes.len(), delivered, skipped, last_received_at: Some(new_last) })
    }

    /// Polls every `interval` until the handler or a poll fails; transient listing errors
    /// ([`faxkit::Error::is_retryable`]) are logged and retried at the next interval.
    ///
    /// # Errors
    /// The first non-transient [`PollError`].
    pub async fn run<F, Fut>(&mut self, interval: Duration, mut handler: F) -> Result<(), PollError>
    where
        F: FnMut(ReceivedFax) -> Fut,
        Fut: Future<Output = Result<(), BoxError>>,
    {
        loop {
            match self.poll_once(&mut handler).await {
                Ok(report) => tracing::debug!(delivered = report.delivered, listed = report.listed, "fax2: polled"),
                Err(PollError::Fax2(e)) if e.is_retryable() => {
                    tracing::warn!(error = %e, "fax2: poll failed; will retry")
                }
                Err(e) => return Err(e),
            }
            tokio::time::sleep(interval).await;
        }
    }
}
