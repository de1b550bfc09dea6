//! `fax inbox watch | dead-letters | retry` and `fax sends`: the durable inbox engine and the send ledger of
//! `faxkit-store`, over the chosen vendor.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use faxkit::{Error, FaxService, Result};
use faxkit_store::{DirSink, EngineConfig, Event, FaxKey, InboxEngine, InboxState, Sink, Store};
use serde_json::json;

use crate::cli::{InboxAction, WatchArgs};
use crate::output;
use crate::progress;

const VENDOR: &str = "fax";

/// A store error as the CLI reports it.
pub(crate) fn store_error(e: faxkit_store::Error) -> Error {
    match e {
        faxkit_store::Error::Fax(e) => e,
        faxkit_store::Error::Config(m) => Error::invalid_input(VENDOR, m),
        // Another run holds the key's intent, or the key names another request: nothing was sent.
        e @ faxkit_store::Error::Send { .. } => Error::invalid_input(VENDOR, e.to_string()),
        faxkit_store::Error::Io { context, source } => Error::io(VENDOR, context, source),
        other => Error::transport("faxkit-store", other),
    }
}

/// The store a location names, or the default SQLite file in the platform data directory.
pub(crate) async fn open_store(location: Option<String>) -> Result<Arc<dyn Store>> {
    let location = match location.filter(|l| !l.is_empty()) {
        Some(l) => l,
        None => format!("sqlite:{}", default_store_path().display()),
    };
    faxkit_store::open(&location).await.map_err(store_error)
}

/// `$XDG_DATA_HOME/faxkit/fax.db` (Linux and other Unix), `~/Library/Application Support/faxkit/fax.db`
/// (macOS), `%APPDATA%\faxkit\fax.db` (Windows); the current directory when none is known.
pub(crate) fn default_store_path() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home.map(|h| h.join("Library").join("Application Support"))
    } else {
        std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).or_else(|| home.map(|h| h.join(".local").join("share")))
    };
    base.unwrap_or_else(|| PathBuf::from(".")).join("faxkit").join("fax.db")
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(Duration::from_secs(1))
}

/// Runs one `fax inbox` action.
pub(crate) async fn run(
    action: InboxAction,
    connect: impl Fn() -> Result<Arc<dyn FaxService>>,
    json: bool,
) -> Result<()> {
    match action {
        InboxAction::Watch(args) => watch(args, connect()?, json).await,
        InboxAction::DeadLetters { store } => {
            let store = open_store(store).await?;
            let dead = store.inbox(Some(InboxState::Dead)).await.map_err(store_error)?;
            if json {
                output::json(&serde_json::to_value(&dead).unwrap_or_default());
            } else {
                output::line(&format!("{:<32} {:>8} {:<26} {}", "KEY", "ATTEMPTS", "SINCE", "LAST ERROR"));
                for r in &dead {
                    output::line(&format!(
                        "{:<32} {:>8} {:<26} {}",
                        r.key.to_string(),
                        r.attempts,
                        r.updated_at.to_string(),
                        r.last_error.as_deref().unwrap_or("-")
                    ));
                }
            }
            Ok(())
        }
        InboxAction::Retry { key, store } => {
            let parsed = FaxKey::parse(&key)
                .ok_or_else(|| Error::invalid_input(VENDOR, format!("{key:?} is not a fax key (source:fax_id)")))?;
            let store = open_store(store).await?;
            if !store.requeue(&parsed).await.map_err(store_error)? {
                return Err(Error::NotFound { vendor: VENDOR, message: format!("{key} is not a dead letter") });
            }
            if json {
                output::json(&json!({"key": key, "result": "requeued"}));
            } else {
                output::line(&format!("{key}: requeued"));
            }
            Ok(())
        }
    }
}

/// Runs a command per fax: the download in a temporary file, the fax's details in the environment.
struct ExecSink {
    command: String,
    provider: &'static str,
    work: PathBuf,
}

#[faxkit::async_trait]
impl Sink for ExecSink {
    async fn deliver(&self, delivery: faxkit_store::Delivery) -> faxkit_store::Result<()> {
        let stem = faxkit_store::file_stem(&delivery.key);
        let ext = faxkit::mime::extension_for(&delivery.download.content_type).unwrap_or("bin");
        let file = self.work.join(format!("{stem}.{}.{ext}", delivery.attempt));
        let key = delivery.key.idempotency_key();
        let from = delivery.fax.from.clone().unwrap_or_default();
        faxkit_store::write_durably(&file, delivery.download).await?;
        let status = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .env("FAX_KEY", &key)
            .env("FAX_ID", &delivery.key.fax_id)
            .env("FAX_FILE", &file)
            .env("FAX_FROM", from)
            .env("FAX_ATTEMPT", delivery.attempt.to_string())
            .env("FAX_PROVIDER", self.provider)
            .stdin(std::process::Stdio::null())
            .status()
            .await;
        let _ = tokio::fs::remove_file(&file).await;
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(faxkit_store::Error::Handler(format!("command exited with {s}"))),
            Err(e) => Err(faxkit_store::Error::io("starting sh -c", e)),
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

async fn watch(args: WatchArgs, service: Arc<dyn FaxService>, json: bool) -> Result<()> {
    let store = open_store(args.store.clone()).await?;
    let provider = service.vendor();
    let mut work_dir = None;
    let sink: Arc<dyn Sink> = match (&args.out, &args.exec) {
        (Some(dir), _) => Arc::new(DirSink::new(dir.clone()).await.map_err(store_error)?),
        (None, Some(command)) => {
            let work = std::env::temp_dir().join(format!("fax-inbox-{}", std::process::id()));
            tokio::fs::create_dir_all(&work).await.map_err(|e| Error::io(VENDOR, work.display().to_string(), e))?;
            work_dir = Some(work.clone());
            Arc::new(ExecSink { command: command.clone(), provider, work })
        }
        (None, None) => return Err(Error::invalid_input(VENDOR, "give --out DIR or --exec CMD")),
    };
    let mut config = EngineConfig::default();
    config.concurrency = args.concurrency.max(1);
    config.lease = secs(args.lease);
    config.poll_interval = secs(args.poll_interval);
    config.max_attempts = args.max_attempts.max(1);
    config.backoff = secs(args.backoff);
    let source = service.inbound_source();
    let mut engine = InboxEngine::new(source, store.clone(), sink).config(config);
    if let Some(owner) = &args.owner {
        engine = engine.owner(owner.clone());
    }

    let describe = store.describe();
    if json {
        output::json(
            &json!({"event": "started", "provider": provider, "store": describe, "owner": engine.owner_name()}),
        );
    } else {
        output::line(&format!("{provider}: watching the inbox; store {describe}; worker {}", engine.owner_name()));
    }

    let bar = progress::spinner("watching");
    let counts = Arc::new([AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)]);
    let last_activity = Arc::new(AtomicI64::new(now_ms()));
    let observer = {
        let (bar, counts, last_activity) = (bar.clone(), counts.clone(), last_activity.clone());
        move |event: &Event| {
            match event {
                Event::HandedOver { .. } => counts[0].fetch_add(1, Ordering::Relaxed),
                Event::Failed { .. } => counts[1].fetch_add(1, Ordering::Relaxed),
                Event::DeadLettered { .. } => counts[2].fetch_add(1, Ordering::Relaxed),
                _ => 0,
            };
            if !matches!(event, Event::PollFailed { .. }) {
                last_activity.store(now_ms(), Ordering::Relaxed);
            }
            let text = if json {
                serde_json::to_string(event).unwrap_or_default()
            } else {
                match event {
                    Event::HandedOver { key, attempt } => format!("{key}: handed over (attempt {attempt})"),
                    Event::Acknowledged { .. } => String::new(),
                    Event::AckDeferred { key, reason } => format!("{key}: acknowledgement deferred: {reason}"),
                    Event::Failed { key, error, retry_in_ms } => {
                        format!("{key}: failed, retry in {:.1}s: {error}", *retry_in_ms as f64 / 1000.0)
                    }
                    Event::DeadLettered { key, error } => format!("{key}: dead letter: {error}"),
                    Event::LeaseLost { key } => format!("{key}: lease taken over by another worker"),
                    Event::Released { key } => format!("{key}: released at shutdown"),
                    Event::PollFailed { error, retry_in_ms } => {
                        format!("poll failed, retry in {:.1}s: {error}", *retry_in_ms as f64 / 1000.0)
                    }
                    other => format!("{other:?}"),
                }
            };
            if !text.is_empty() {
                bar.suspend(|| output::line(&text));
            }
            bar.set_message(format!(
                "{} handed over · {} failed · {} dead letters",
                counts[0].load(Ordering::Relaxed),
                counts[1].load(Ordering::Relaxed),
                counts[2].load(Ordering::Relaxed)
            ));
        }
    };
    let engine = engine.on_event(observer);

    let idle_exit = args.idle_exit.map(secs);
    let stop = async move {
        match idle_exit {
            None => shutdown_signal().await,
            Some(idle) => {
                let idle_ms = i64::try_from(idle.as_millis()).unwrap_or(i64::MAX);
                let quiet = async {
                    loop {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        if now_ms() - last_activity.load(Ordering::Relaxed) >= idle_ms {
                            return;
                        }
                    }
                };
                tokio::select! {
                    () = shutdown_signal() => {}
                    () = quiet => {}
                }
            }
        }
    };
    engine.run_until(stop).await;
    bar.finish_and_clear();
    if let Some(work) = work_dir {
        let _ = tokio::fs::remove_dir_all(work).await; // the handlers' temporary copies
    }
    let handed = counts[0].load(Ordering::Relaxed);
    if json {
        output::json(&json!({"event": "stopped", "handed_over": handed}));
    } else {
        output::line(&format!("{provider}: stopped; {handed} handed over"));
    }
    Ok(())
}

/// `fax sends`: the ledger.
pub(crate) async fn sends(store: Option<String>, json: bool) -> Result<()> {
    let store = open_store(store).await?;
    let sends = store.sends().await.map_err(store_error)?;
    if json {
        output::json(&serde_json::to_value(&sends).unwrap_or_default());
    } else {
        output::line(&format!("{:<36} {:<12} {:<24} {:<10} {}", "KEY", "VENDOR", "FAX ID", "STATE", "UPDATED"));
        for s in &sends {
            output::line(&format!(
                "{:<36} {:<12} {:<24} {:<10} {}",
                s.key,
                s.vendor,
                s.fax_id.as_deref().unwrap_or("-"),
                s.state.to_string(),
                s.updated_at
            ));
        }
    }
    Ok(())
}

/// `fax send --store`: every recipient through the send ledger, one entry each, after settling what an earlier
/// run left open.
pub(crate) async fn ledgered_send(
    service: &dyn FaxService,
    request: &faxkit::SendRequest,
    location: &str,
    intent_lease: f64,
) -> Result<Vec<faxkit::RecipientOutcome>> {
    let store = open_store(Some(location.to_owned())).await?;
    let ledger = faxkit_store::SendLedger::new(store).lease(secs(intent_lease));
    ledger.recover(service).await.map_err(store_error)?;
    let key = request.idempotency_key.clone().unwrap_or_default();
    let count = request.to.len();
    let mut outcomes = Vec::with_capacity(count);
    for (i, to) in request.to.iter().enumerate() {
        let mut one = request.clone();
        one.to = vec![to.clone()];
        let one_key = faxkit::service::recipient_key(&key, i, count);
        one.idempotency_key = Some(one_key.clone());
        let result = ledger.send(service, &one).await.map_err(store_error);
        outcomes.push(faxkit::RecipientOutcome::new(to.clone(), Some(one_key), result));
    }
    Ok(outcomes)
}
