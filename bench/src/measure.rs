//! Running the benchmarks: per-call overhead and list parsing in this process, memory cases in child
//! processes (one per case, each reporting its own peak RSS).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::Settings;
use crate::clients::{Bare, Client, Path, StatusCall, WithStatusCall};
use crate::server::{self, Server, Vendor};

/// Calls in flight on one client in the concurrent case.
pub(crate) const IN_FLIGHT: usize = 8;

/// The concurrent case makes this many times the sequential case's calls: 8 in flight finish a call every
/// ~20 µs, and rounds of a few milliseconds measured the scheduler more than the clients (ratios moved by ±0.05
/// between runs of the same build).
const CONCURRENT_CALLS_FACTOR: usize = 2;

/// The tokio runtime a concurrent case runs its client on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    CurrentThread,
    /// A multi-thread runtime with 2 workers.
    MultiThread,
}

impl Flavor {
    pub(crate) const ALL: [Flavor; 2] = [Flavor::CurrentThread, Flavor::MultiThread];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Flavor::CurrentThread => "current-thread",
            Flavor::MultiThread => "multi-thread (2 workers)",
        }
    }

    fn runtime(self) -> std::io::Result<tokio::runtime::Runtime> {
        match self {
            Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread().enable_all().build(),
            Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build(),
        }
    }
}

/// Per-call overhead of one vendor's status call: one call at a time, or [`IN_FLIGHT`] at once on one client.
#[derive(Debug)]
pub(crate) struct Overhead {
    pub(crate) vendor: Vendor,
    /// The runtime of a concurrent case (`None`: the sequential case, on a current-thread runtime).
    pub(crate) flavor: Option<Flavor>,
    /// Calls in flight at once on the one client (1 for the sequential case).
    pub(crate) in_flight: usize,
    /// Calls made by each side (in rounds of `per_round`).
    pub(crate) calls: usize,
    pub(crate) per_round: usize,
    /// Median round time of each side.
    pub(crate) vendor_round: Duration,
    pub(crate) bare_round: Duration,
    /// Median over the rounds of vendor round time / bare round time.
    pub(crate) ratio: f64,
    /// TCP connections opened during the measured vendor calls (0 when keep-alive reuses the warm one).
    pub(crate) vendor_connections: usize,
    pub(crate) bare_connections: usize,
}

/// One memory case as a child process measured it.
#[derive(Debug, Clone)]
pub(crate) struct CaseResult {
    /// Document bytes moved (uploaded, or decoded from the download).
    pub(crate) bytes: u64,
    pub(crate) secs: f64,
    /// The child's CPU time (user + system) during the operation, when known (10 ms resolution).
    pub(crate) cpu: Option<f64>,
    /// The child's peak RSS (`VmHWM`), KiB.
    pub(crate) hwm_kib: u64,
    /// Request body bytes the server counted (uploads).
    pub(crate) wire: u64,
}

#[derive(Debug)]
pub(crate) struct MemCase {
    pub(crate) path: Path,
    /// One outcome per size in [`Settings::sizes`].
    pub(crate) runs: Vec<Result<CaseResult, String>>,
}

#[derive(Debug)]
pub(crate) struct Memory {
    /// Peak RSS of an idle child (runtime and the five clients built, no request), KiB.
    pub(crate) idle_kib: u64,
    pub(crate) cases: Vec<MemCase>,
}

/// One 1,000-item list.
#[derive(Debug)]
pub(crate) struct Parse {
    pub(crate) vendor: Vendor,
    pub(crate) xml: bool,
    pub(crate) body_len: usize,
    pub(crate) items: usize,
    /// Median time of one list call (request, body read, decode).
    pub(crate) median: Duration,
    pub(crate) best: Duration,
}

/// In-memory speed of one base64 codec on the generated document (no HTTP), document MiB/s.
#[derive(Debug)]
pub(crate) struct Codec {
    pub(crate) name: &'static str,
    pub(crate) mib_per_s: f64,
}

#[derive(Debug, Default)]
pub(crate) struct Results {
    pub(crate) codecs: Vec<Codec>,
    pub(crate) overhead: Vec<Result<Overhead, (Vendor, String)>>,
    pub(crate) concurrent: Vec<Result<Overhead, (Vendor, Flavor, String)>>,
    pub(crate) memory: Option<Result<Memory, String>>,
    pub(crate) parse: Vec<Result<Parse, (Vendor, bool, String)>>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub(crate) fn run(settings: &Settings) -> Result<Results, String> {
    // The servers get their own runtime and thread; the clients under test run on a current-thread runtime here.
    let server_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(err)?;
    let servers: Vec<Server> =
        Vendor::ALL.iter().map(|v| server_rt.block_on(server::start(*v)).map_err(err)).collect::<Result<_, _>>()?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(err)?;
    let mut results = Results::default();
    let picked = |s: &&Server| settings.vendors.is_empty() || settings.vendors.iter().any(|v| v == s.vendor.name());
    if settings.overhead {
        for s in servers.iter().filter(picked) {
            eprintln!("overhead: {} ({} calls each)", s.vendor.name(), settings.calls);
            results.overhead.push(rt.block_on(measure(s, settings.calls, None)).map_err(|e| (s.vendor, e)));
        }
    }
    if settings.concurrent {
        for flavor in Flavor::ALL {
            let crt = flavor.runtime().map_err(err)?;
            for s in servers.iter().filter(picked) {
                eprintln!(
                    "concurrent: {} on {} ({} calls each, {IN_FLIGHT} in flight)",
                    s.vendor.name(),
                    flavor.name(),
                    settings.calls * CONCURRENT_CALLS_FACTOR
                );
                let outcome = crt
                    .block_on(measure(s, settings.calls * CONCURRENT_CALLS_FACTOR, Some(flavor)))
                    .map_err(|e| (s.vendor, flavor, e));
                results.concurrent.push(outcome);
            }
            // Dropping the runtime ends its pooled connections' tasks.
            drop(crt);
        }
    }
    if settings.parse {
        for s in servers.iter().filter(picked) {
            let dialects: &[bool] = match s.vendor {
                Vendor::Westfax => &[false, true],
                Vendor::Faxcore => &[true],
                _ => &[false],
            };
            for &xml in dialects {
                eprintln!("parse: {} ({})", s.vendor.name(), if xml { "XML" } else { "JSON" });
                results.parse.push(rt.block_on(parse(s, xml, settings.list_reps)).map_err(|e| (s.vendor, xml, e)));
            }
        }
    }
    if settings.memory {
        results.memory = Some(memory(&servers, settings));
        eprintln!("memory: base64 codecs in memory");
        results.codecs = rt.block_on(codecs(settings.sizes[1]))?;
    }
    drop(rt);
    server_rt.shutdown_background();
    Ok(results)
}

/// A measurement of one vendor's status call against bare reqwest, run with the vendor's own client type
/// ([`Client::with_own`]).
struct Measure<'a> {
    server: &'a Server,
    calls: usize,
    bare: Bare,
    /// `None`: one call at a time; `Some`: [`IN_FLIGHT`] at once on this runtime flavor.
    flavor: Option<Flavor>,
}

impl<'a> WithStatusCall for Measure<'a> {
    type Output = Pin<Box<dyn Future<Output = Result<Overhead, String>> + 'a>>;

    fn run<C: StatusCall>(self, client: C) -> Self::Output {
        match self.flavor {
            None => Box::pin(overhead_with(self.server, self.calls, client, self.bare)),
            Some(flavor) => Box::pin(concurrent_with(self.server, flavor, self.calls, client, self.bare)),
        }
    }
}

/// `calls` status calls through the vendor's client and through bare reqwest, one at a time (`flavor` `None`)
/// or [`IN_FLIGHT`] at once on a runtime of that flavor.
async fn measure(server: &Server, calls: usize, flavor: Option<Flavor>) -> Result<Overhead, String> {
    let bare = Bare::new(server.vendor, &server.base).await?;
    Client::new(server.vendor, &server.base)?.with_own(Measure { server, calls, bare, flavor }).await
}

async fn overhead_with<C: StatusCall>(
    server: &Server,
    calls: usize,
    client: C,
    bare: Bare,
) -> Result<Overhead, String> {
    for _ in 0..(calls / 10).max(20) {
        client.status().await?;
        bare.status().await?;
    }
    let per_round = calls.div_ceil(ROUNDS);
    let (client, bare) = (&client, &bare);
    let vendor_round = move || async move {
        for _ in 0..per_round {
            client.status().await?;
        }
        Ok(())
    };
    let bare_round = move || async move {
        for _ in 0..per_round {
            bare.status().await?;
        }
        Ok(())
    };
    let mut o = compare(server, per_round, vendor_round, bare_round).await?;
    o.in_flight = 1;
    Ok(o)
}

/// [`IN_FLIGHT`] tasks on the current runtime sharing one client (vendor) or one `reqwest::Client` (bare), each
/// making its share of the round's calls one after the other, so that many calls are in flight at once.
async fn concurrent_with<C: StatusCall>(
    server: &Server,
    flavor: Flavor,
    calls: usize,
    client: C,
    bare: Bare,
) -> Result<Overhead, String> {
    let (client, bare) = (Arc::new(client), Arc::new(bare));
    let per_task = calls.div_ceil(ROUNDS).div_ceil(IN_FLIGHT);
    let vendor_round = |n: usize| {
        let client = Arc::clone(&client);
        move || in_flight(n, Arc::clone(&client), |c| async move { c.status().await })
    };
    let bare_round = |n: usize| {
        let bare = Arc::clone(&bare);
        move || in_flight(n, Arc::clone(&bare), |b| async move { b.status().await })
    };
    // Warm-up: every pooled connection the in-flight calls need is opened here.
    for _ in 0..2 {
        vendor_round((calls / 10).max(20).div_ceil(IN_FLIGHT))().await?;
        bare_round((calls / 10).max(20).div_ceil(IN_FLIGHT))().await?;
    }
    let mut o = compare(server, per_task * IN_FLIGHT, vendor_round(per_task), bare_round(per_task)).await?;
    o.flavor = Some(flavor);
    o.in_flight = IN_FLIGHT;
    Ok(o)
}

/// Runs `per_task` calls in each of [`IN_FLIGHT`] spawned tasks sharing `shared`; waits for all of them.
async fn in_flight<T, F, Fut>(per_task: usize, shared: Arc<T>, call: F) -> Result<(), String>
where
    T: Send + Sync + 'static,
    F: Fn(Arc<T>) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                for _ in 0..per_task {
                    call(Arc::clone(&shared)).await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(err)??;
    }
    Ok(())
}

/// Interleaved measured rounds.
const ROUNDS: usize = 20;

/// Times [`ROUNDS`] interleaved rounds of `per_round` calls per side (`vendor` and `bare` each run one round),
/// so drift (other load on the machine) hits both sides alike; the medians of the rounds keep a round disturbed
/// by another process from deciding the result.
async fn compare<V, VF, B, BF>(server: &Server, per_round: usize, vendor: V, bare: B) -> Result<Overhead, String>
where
    V: Fn() -> VF,
    VF: Future<Output = Result<(), String>>,
    B: Fn() -> BF,
    BF: Future<Output = Result<(), String>>,
{
    let conns: &AtomicUsize = &server.shared.connections;
    let (mut vendor_rounds, mut bare_rounds) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    let (mut vendor_connections, mut bare_connections) = (0, 0);
    for round in 0..ROUNDS {
        // The sides take turns going first, so neither always runs right after the other (whose connections,
        // caches and scheduler state it would inherit).
        for vendor_side in if round % 2 == 0 { [true, false] } else { [false, true] } {
            let c0 = conns.load(Ordering::Relaxed);
            let t = Instant::now();
            if vendor_side {
                vendor().await?;
                vendor_rounds.push(t.elapsed());
                vendor_connections += conns.load(Ordering::Relaxed) - c0;
            } else {
                bare().await?;
                bare_rounds.push(t.elapsed());
                bare_connections += conns.load(Ordering::Relaxed) - c0;
            }
        }
    }
    let mut ratios: Vec<f64> =
        vendor_rounds.iter().zip(&bare_rounds).map(|(v, b)| v.as_secs_f64() / b.as_secs_f64().max(1e-12)).collect();
    ratios.sort_by(f64::total_cmp);
    vendor_rounds.sort();
    bare_rounds.sort();
    Ok(Overhead {
        vendor: server.vendor,
        flavor: None,
        in_flight: 1,
        calls: per_round * ROUNDS,
        per_round,
        vendor_round: vendor_rounds[ROUNDS / 2],
        bare_round: bare_rounds[ROUNDS / 2],
        ratio: ratios[ROUNDS / 2],
        vendor_connections,
        bare_connections,
    })
}

async fn parse(server: &Server, xml: bool, reps: usize) -> Result<Parse, String> {
    let client = Client::new(server.vendor, &server.base)?;
    let mut items = 0;
    for _ in 0..2 {
        items = client.list(xml).await?;
    }
    if items != server::LIST_ITEMS {
        return Err(format!("decoded {items} items, expected {}", server::LIST_ITEMS));
    }
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        client.list(xml).await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(Parse {
        vendor: server.vendor,
        xml,
        body_len: server::list_body_len(server.vendor, xml),
        items,
        median: times[times.len() / 2],
        best: times[0],
    })
}

fn memory(servers: &[Server], settings: &Settings) -> Result<Memory, String> {
    let exe = std::env::current_exe().map_err(err)?;
    let run_child = |args: &[String]| -> Result<CaseResult, String> {
        let out = std::process::Command::new(&exe).arg("case").args(args).output().map_err(err)?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        parse_line(stdout.lines().last().unwrap_or_default())
            .ok_or_else(|| format!("unreadable child output {stdout:?}"))
    };
    eprintln!("memory: idle baseline");
    let idle = run_child(&["idle".into(), "0".into(), "-".into()])?;
    let mut cases = Vec::new();
    for path in Path::all().filter(|p| settings.paths.is_empty() || settings.paths.iter().any(|n| n == p.name())) {
        let Some(server) = servers.iter().find(|s| s.vendor == path.vendor()) else { continue };
        let mut runs = Vec::new();
        for &size in &settings.sizes {
            eprintln!("memory: {} {} MiB", path.name(), size / crate::MIB);
            server.shared.download_len.store(size, Ordering::Relaxed);
            server.shared.uploaded.store(0, Ordering::Relaxed);
            let outcome = run_child(&[path.name().into(), size.to_string(), server.base.clone()]).and_then(|mut r| {
                r.wire = server.shared.uploaded.load(Ordering::Relaxed);
                if r.bytes != size {
                    return Err(format!("moved {} bytes, expected {size}", r.bytes));
                }
                if path.is_upload() && r.wire < size {
                    return Err(format!("the server received {} bytes, less than the {size}-byte document", r.wire));
                }
                Ok(r)
            });
            runs.push(outcome);
        }
        cases.push(MemCase { path, runs });
    }
    Ok(Memory { idle_kib: idle.hwm_kib, cases })
}

/// The base64 codecs alone, in memory, on a `len`-byte document in 48 KiB chunks: the ceiling the base64 paths
/// can reach, and which part of a slow path is the codec.
async fn codecs(len: u64) -> Result<Vec<Codec>, String> {
    use base64::Engine as _;
    use futures::StreamExt as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let rate = |t: Duration| len as f64 / crate::MIB as f64 / t.as_secs_f64().max(1e-9);
    let mut out = Vec::new();

    let t = Instant::now();
    let mut n = 0usize;
    for chunk in crate::data::raw_chunks(len) {
        n += engine.encode(&chunk).len();
    }
    std::hint::black_box(n);
    out.push(Codec { name: "base64 crate `Engine::encode` (per chunk)", mib_per_s: rate(t.elapsed()) });

    let t = Instant::now();
    let input: faxkit::ByteStream = Box::pin(futures::stream::iter(crate::data::raw_chunks(len).map(Ok)));
    let mut encoded = faxkit::base64::encode_stream(input);
    let mut n = 0usize;
    while let Some(chunk) = encoded.next().await {
        n += chunk.map_err(err)?.len();
    }
    std::hint::black_box(n);
    out.push(Codec { name: "`faxkit::base64::encode_stream`", mib_per_s: rate(t.elapsed()) });

    let t = Instant::now();
    let mut buf = vec![0u8; crate::data::BLOCK];
    let mut n = 0usize;
    for chunk in crate::data::base64_chunks(len) {
        n += engine.decode_slice(&chunk, &mut buf).map_err(err)?;
    }
    std::hint::black_box(n);
    out.push(Codec { name: "base64 crate `Engine::decode_slice` (per chunk)", mib_per_s: rate(t.elapsed()) });

    for (name, escapes) in [
        ("`faxkit::base64::Decoder::push`, `Escapes::None`", faxkit::base64::Escapes::None),
        ("`faxkit::base64::Decoder::push`, `Escapes::Json`", faxkit::base64::Escapes::Json),
    ] {
        let t = Instant::now();
        let mut decoder = faxkit::base64::Decoder::new("bench", escapes);
        let mut n = 0usize;
        for chunk in crate::data::base64_chunks(len) {
            let mut bytes = bytes::BytesMut::new();
            decoder.push(&chunk, &mut bytes).map_err(err)?;
            n += bytes.len();
        }
        let mut bytes = bytes::BytesMut::new();
        decoder.finish(&mut bytes).map_err(err)?;
        std::hint::black_box(n + bytes.len());
        out.push(Codec { name, mib_per_s: rate(t.elapsed()) });
    }
    Ok(out)
}

fn parse_line(line: &str) -> Option<CaseResult> {
    let mut r = CaseResult { bytes: 0, secs: 0.0, cpu: None, hwm_kib: 0, wire: 0 };
    for kv in line.split_whitespace() {
        let (k, v) = kv.split_once('=')?;
        match k {
            "bytes" => r.bytes = v.parse().ok()?,
            "secs" => r.secs = v.parse().ok()?,
            "cpu" => r.cpu = v.parse::<f64>().ok().filter(|c| *c > 0.0),
            "hwm_kib" => r.hwm_kib = v.parse().ok()?,
            _ => {}
        }
    }
    Some(r)
}

/// The peak resident set size of this process (`VmHWM`), KiB.
fn peak_rss_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(err)?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".to_owned())
}

/// The child side: `case <path|idle> <bytes> <base-url>`; returns the result line.
pub(crate) fn child(args: &[String]) -> Result<String, String> {
    let [path, bytes, base] = args else { return Err("usage: case <path|idle> <bytes> <base-url>".to_owned()) };
    let len: u64 = bytes.parse().map_err(err)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(err)?;
    if path == "idle" {
        // Everything a case holds before its first request: the runtime, the clients, the generated blocks.
        let base = "http://127.0.0.1:9/";
        let clients =
            rt.block_on(async { Vendor::ALL.iter().map(|v| Client::new(*v, base)).collect::<Result<Vec<_>, _>>() })?;
        let blocks = crate::data::raw_chunks(1).count() + crate::data::base64_chunks(1).count();
        drop((clients, blocks));
        return Ok(format!("bytes=0 secs=0 cpu=0 hwm_kib={}", peak_rss_kib()?));
    }
    let path = Path::parse(path).ok_or_else(|| format!("unknown path {path:?}"))?;
    let (moved, timing) = rt.block_on(path.run(base, len))?;
    let secs = timing.wall.as_secs_f64();
    let cpu = timing.cpu.map_or(-1.0, |c| c.as_secs_f64());
    Ok(format!("bytes={moved} secs={secs:.6} cpu={cpu:.3} hwm_kib={}", peak_rss_kib()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_lines_parse() {
        let r = parse_line("bytes=10 secs=0.5 cpu=0.25 hwm_kib=1234").unwrap();
        assert_eq!(r.cpu, Some(0.25));
        assert_eq!((r.bytes, r.hwm_kib), (10, 1234));
        assert!((r.secs - 0.5).abs() < 1e-9);
        assert!(parse_line("bytes=x").is_none());
    }

    #[test]
    fn this_process_has_a_peak_rss_and_cpu_time() {
        assert!(peak_rss_kib().unwrap() > 0);
        assert!(crate::clients::process_cpu().is_some());
    }
}
