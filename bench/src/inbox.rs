//! `--only inbox`: faxes per second through the inbox engine of `faxkit-store`, against the InterFAX sandbox
//! answering every request after a simulated vendor latency, into the same durable directory sink, with the
//! memory store, SQLite, and Postgres with one and with four workers.
//!
//! Postgres comes from `FAXKIT_TEST_POSTGRES_URL` (`cargo xtask bench --only inbox` starts a throwaway server);
//! without it the Postgres rows say so.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use faxkit::FaxService;
use faxkit::sandbox::VendorSandbox;
use faxkit_store::{DirSink, EngineConfig, InboxEngine, InboxState, Store};

use crate::Settings;

/// Simulated vendor latency per request.
pub(crate) const LATENCY: Duration = Duration::from_millis(50);
/// Faxes each worker hands over at once.
pub(crate) const CONCURRENCY: usize = 4;

/// One measured row.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) store: &'static str,
    pub(crate) workers: usize,
    /// `dir` (the durable directory sink) or `handler` (an in-memory handler: no disk).
    pub(crate) sink: &'static str,
    pub(crate) faxes: usize,
    pub(crate) result: Result<Duration, String>,
}

impl Row {
    pub(crate) fn per_second(&self) -> Option<f64> {
        self.result.as_ref().ok().map(|d| self.faxes as f64 / d.as_secs_f64())
    }

    pub(crate) fn ms_per_fax(&self) -> Option<f64> {
        self.result.as_ref().ok().map(|d| d.as_secs_f64() * 1000.0 / self.faxes as f64)
    }
}

async fn store_for(kind: &'static str, dir: &std::path::Path, pg: Option<&str>) -> Result<Arc<dyn Store>, String> {
    let store: Arc<dyn Store> = match kind {
        "memory" => Arc::new(faxkit_store::MemoryStore::new()),
        "sqlite" => Arc::new(faxkit_store::SqlStore::sqlite(dir.join("state.db")).await.map_err(|e| e.to_string())?),
        "postgres" => {
            let url = pg.ok_or("no FAXKIT_TEST_POSTGRES_URL")?;
            Arc::new(faxkit_store::SqlStore::postgres(url).await.map_err(|e| e.to_string())?)
        }
        other => return Err(format!("unknown store {other}")),
    };
    Ok(store)
}

/// A fresh database per Postgres row, so rows never see each other's faxes.
async fn fresh_database(base: &str, name: &str) -> Result<String, String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base).await.map_err(|e| e.to_string())?;
    let sql = format!("DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}");
    for statement in sql.split("; ") {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_owned())).execute(&mut conn).await.map_err(|e| e.to_string())?;
    }
    let (prefix, _) = base.rsplit_once('/').ok_or("URL without a database")?;
    Ok(format!("{prefix}/{name}"))
}

async fn one(kind: &'static str, workers: usize, faxes: usize, sink_kind: &'static str) -> Row {
    let result = async {
        let sandbox = interfax::sandbox::Sandbox::start().await.map_err(|e| e.to_string())?;
        for i in 0..faxes {
            sandbox.inject_inbound_fax("+12125550100", faxkit::sandbox::sample_pdf(i));
        }
        sandbox.set_latency(LATENCY);
        let dir = std::env::temp_dir().join(format!("faxkit-bench-inbox-{}-{kind}-{workers}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let pg = match (kind, std::env::var("FAXKIT_TEST_POSTGRES_URL").ok()) {
            ("postgres", Some(base)) => {
                Some(fresh_database(&base, &format!("faxkit_bench_{workers}_{sink_kind}")).await?)
            }
            _ => None,
        };
        let sink: Arc<dyn faxkit_store::Sink> = if sink_kind == "dir" {
            Arc::new(DirSink::new(dir.join("sink")).await.map_err(|e| e.to_string())?)
        } else {
            Arc::new(faxkit_store::handler(|d| async move {
                d.download.bytes(1 << 20).await?;
                Ok(())
            }))
        };
        let mut engines = Vec::new();
        let mut stores = Vec::new();
        for w in 0..workers {
            let store = store_for(kind, &dir, pg.as_deref()).await?;
            let client: Arc<dyn FaxService> = Arc::new(sandbox.client());
            let mut config = EngineConfig::default();
            config.concurrency = CONCURRENCY;
            config.poll_interval = Duration::from_millis(20);
            let engine = InboxEngine::new(client.inbound_source(), store.clone(), sink.clone())
                .config(config)
                .owner(format!("bench-{w}"));
            engines.push(Arc::new(engine));
            stores.push(store);
        }
        let check = stores[0].clone();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for engine in &engines {
            let engine = engine.clone();
            tasks.push(tokio::spawn(async move { engine.run_until(std::future::pending()).await }));
        }
        loop {
            let done = check.inbox(Some(InboxState::Acknowledged)).await.map_err(|e| e.to_string())?.len();
            if done >= faxes {
                break;
            }
            if start.elapsed() > Duration::from_secs(600) {
                return Err(format!("only {done} of {faxes} after 10 minutes"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let elapsed = start.elapsed();
        for engine in &engines {
            engine.shutdown();
        }
        for task in tasks {
            let _ = task.await;
        }
        let _ = std::fs::remove_dir_all(&dir);
        Ok(elapsed)
    }
    .await;
    Row { store: kind, workers, sink: sink_kind, faxes, result }
}

/// Runs every row.
pub(crate) fn run(settings: &Settings) -> Result<Vec<Row>, String> {
    let faxes = if settings.quick { 100 } else { 400 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for (kind, workers, sink) in [
        ("memory", 1, "dir"),
        ("sqlite", 1, "dir"),
        ("postgres", 1, "dir"),
        ("postgres", 4, "dir"),
        ("postgres", 1, "handler"),
        ("postgres", 4, "handler"),
    ] {
        eprintln!("faxkit-bench: inbox, {kind}, {workers} worker(s), {sink} sink, {faxes} faxes");
        rows.push(runtime.block_on(one(kind, workers, faxes, sink)));
    }
    Ok(rows)
}

/// The report section.
pub(crate) fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Inbox engine\n\nInterFAX sandbox answering every request after {} ms; {} faxes handed over at once per \
         worker; sink `dir` is the durable directory sink (temp file, fsync, rename, directory fsync), `handler` an \
         in-memory handler; time until every fax is acknowledged.\n",
        LATENCY.as_millis(),
        CONCURRENCY
    );
    let _ = writeln!(out, "| store | workers | sink | faxes | seconds | faxes/s | ms per fax |");
    let _ = writeln!(out, "|---|---:|---|---:|---:|---:|---:|");
    for r in rows {
        match &r.result {
            Ok(d) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {:.2} | {:.1} | {:.1} |",
                    r.store,
                    r.workers,
                    r.sink,
                    r.faxes,
                    d.as_secs_f64(),
                    r.per_second().unwrap_or_default(),
                    r.ms_per_fax().unwrap_or_default()
                );
            }
            Err(e) => {
                let _ = writeln!(out, "| {} | {} | {} | {} | – | – | {e} |", r.store, r.workers, r.sink, r.faxes);
            }
        }
    }
    let find =
        |store: &str, workers: usize| rows.iter().find(|r| r.store == store && r.workers == workers && r.sink == "dir");
    let find_handler =
        |workers: usize| rows.iter().find(|r| r.store == "postgres" && r.workers == workers && r.sink == "handler");
    if let (Some(mem), Some(sqlite)) =
        (find("memory", 1).and_then(Row::ms_per_fax), find("sqlite", 1).and_then(Row::ms_per_fax))
    {
        let ratio = sqlite / mem;
        let _ = writeln!(
            out,
            "\nSQLite / memory time per fax at 1 worker: **{ratio:.2}×** (target ≤ 1.5×: {}).",
            if ratio <= 1.5 { "met" } else { "missed" }
        );
    }
    if let (Some(one), Some(four)) =
        (find("postgres", 1).and_then(Row::per_second), find("postgres", 4).and_then(Row::per_second))
    {
        let ratio = four / one;
        let _ = writeln!(
            out,
            "Postgres, 4 workers / 1 worker throughput, durable directory sink: **{ratio:.2}×** (target ≥ 3×: {}).",
            if ratio >= 3.0 { "met" } else { "missed" }
        );
    }
    if let (Some(one), Some(four)) =
        (find_handler(1).and_then(Row::per_second), find_handler(4).and_then(Row::per_second))
    {
        let _ =
            writeln!(out, "Postgres, 4 workers / 1 worker throughput, in-memory handler sink: **{:.2}×**.", four / one);
    }
    out
}
