//! The report: markdown tables, printed and written to `target/bench/report.md`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::measure::{CaseResult, IN_FLIGHT, Overhead, Results};
use crate::server::Vendor;
use crate::{MIB, Settings};

/// Per-call overhead target (issue 22): vendor time per call at most this times bare reqwest's, one call at a
/// time and with 8 in flight on one client.
pub(crate) const OVERHEAD_TARGET: f64 = 1.10;
/// Peak RSS target for the large document, MiB.
pub(crate) const RSS_TARGET_MIB: f64 = 32.0;
/// Largest growth of peak RSS between the two document sizes still called flat, MiB.
pub(crate) const FLAT_MIB: f64 = 4.0;
/// Base64 path throughput target, MiB/s.
pub(crate) const BASE64_TARGET: f64 = 500.0;

fn status_call(v: Vendor) -> &'static str {
    match v {
        Vendor::Interfax => "`outbound().get(id)`: GET /outbound/faxes/{id}",
        Vendor::Westfax => "`Fax_GetFaxStatus`: POST /REST/Fax_GetFaxStatus/json (multipart form)",
        Vendor::Faxcore => "`fax_status(id)`: GET /FaxStatus?faxid=",
        Vendor::Fax2 => "`sent_faxes().get(id)`: GET /sent_faxes/{id} (bearer token)",
        Vendor::Retarus => "`reports().get(job)`: GET /rest/v1/{customer}/fax/reports/{job}",
    }
}

fn list_call(v: Vendor, xml: bool) -> &'static str {
    match (v, xml) {
        (Vendor::Interfax, _) => "`outbound().list()`: JSON array of `OutboundFax`",
        (Vendor::Westfax, false) => "`Fax_GetFaxDescriptions` REST JSON envelope",
        (Vendor::Westfax, true) => "`Fax_GetFaxDescriptions` REST XML (`ApiResultOfListOfFaxDescItem`)",
        (Vendor::Faxcore, _) => "`get_fax_list()`: `<ApiResponse><GetFaxList><FaxId>`",
        (Vendor::Fax2, _) => "`received_faxes().list()`: `{data: [ReceivedFax]}`",
        (Vendor::Retarus, _) => "`reports().list()`: `{reports: [FaxReport]}`",
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn rustc_version() -> String {
    std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Renders the report.
pub(crate) fn render(settings: &Settings, r: &Results) -> String {
    let mut s = String::new();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let _ = writeln!(s, "# faxkit benchmark report\n");
    let _ = writeln!(
        s,
        "Mode: {} · {} · {cores} cores (nproc) · {} · release build · local servers on 127.0.0.1 (hyper 1, HTTP/1.1)\n",
        if settings.quick { "quick (`--quick`)" } else { "full" },
        jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC"),
        rustc_version(),
    );
    let mut verdicts: Vec<String> = Vec::new();

    if !r.overhead.is_empty() {
        let _ = writeln!(s, "## 1. Per-call overhead: status calls, vendor client vs bare reqwest\n");
        let _ = writeln!(
            s,
            "| vendor | call | calls | vendor calls/s | bare calls/s | vendor µs/call | bare µs/call | ratio | new conns (vendor/bare) | ≤ {OVERHEAD_TARGET:.2} |"
        );
        let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for o in &r.overhead {
            match o {
                Ok(o) => {
                    if let Some(v) = overhead_row(&mut s, o, status_call(o.vendor)) {
                        verdicts.push(v);
                    }
                }
                Err((v, e)) => {
                    let _ = writeln!(s, "| {} | {} | error: {e} | | | | | | | **error** |", v.name(), status_call(*v));
                    verdicts.push(format!("overhead {}: error {e}", v.name()));
                }
            }
        }
        let _ = writeln!(
            s,
            "\nBoth sides make the identical request to the same server on one keep-alive connection, read the body \
             and decode it (the vendor into its typed model, bare reqwest JSON into `serde_json::Value` and FaxCore's \
             XML into a serde struct with quick-xml). 20 interleaved rounds after a warm-up; calls/s and µs/call \
             from each side's median round, ratio = median over the rounds of vendor time / bare time. \"new conns\" counts TCP connections accepted during the \
             measured calls: 0 means every call reused the warm connection.\n"
        );
    }

    if !r.concurrent.is_empty() {
        let _ = writeln!(
            s,
            "## 1b. {IN_FLIGHT} calls in flight on one client: status calls, vendor client vs bare reqwest\n"
        );
        let _ = writeln!(
            s,
            "| vendor | runtime | calls | vendor calls/s | bare calls/s | vendor µs/call | bare µs/call | ratio | new conns (vendor/bare) | ≤ {OVERHEAD_TARGET:.2} |"
        );
        let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for o in &r.concurrent {
            match o {
                Ok(o) => {
                    let runtime = o.flavor.map_or("current-thread", |f| f.name());
                    if let Some(v) = overhead_row(&mut s, o, runtime) {
                        verdicts.push(format!("{IN_FLIGHT} in flight on {runtime}, {v}"));
                    }
                }
                Err((v, flavor, e)) => {
                    let _ = writeln!(s, "| {} | {} | error: {e} | | | | | | | **error** |", v.name(), flavor.name());
                    verdicts.push(format!("{IN_FLIGHT} in flight on {}, {}: error {e}", flavor.name(), v.name()));
                }
            }
        }
        let _ = writeln!(
            s,
            "\nThe same status call and bare request as section 1, from {IN_FLIGHT} tasks spawned on the runtime and \
             sharing one client (the vendor's; one `reqwest::Client` for bare), each making its share of a round's \
             calls one after the other, so {IN_FLIGHT} calls are in flight at once. A runtime per row set: \
             current-thread, and multi-thread with 2 workers; the local servers keep their own 1-worker runtime. \
             20 interleaved rounds after a warm-up at {IN_FLIGHT} in flight (which opens the pooled connections); \
             calls/s and µs/call (wall time per call, so ≈ latency / {IN_FLIGHT}) from each side's median round, \
             ratio = median over the rounds of vendor time / bare time.\n"
        );
    }

    if let Some(memory) = &r.memory {
        let [small, big] = settings.sizes;
        let (sm, bg) = (small / MIB, big / MIB);
        let _ = writeln!(s, "## 2. Large documents: peak RSS and throughput (one child process per case)\n");
        match memory {
            Err(e) => {
                let _ = writeln!(s, "error: {e}\n");
                verdicts.push(format!("memory: error {e}"));
            }
            Ok(m) => {
                let _ = writeln!(
                    s,
                    "Idle child baseline (runtime + the five clients, no request): **{:.1} MiB** peak RSS.\n",
                    mib(m.idle_kib)
                );
                let _ = writeln!(
                    s,
                    "| path | what | peak RSS {sm} MiB doc | peak RSS {bg} MiB doc | growth | above idle ({bg} MiB) | MiB/s ({sm}) | MiB/s ({bg}) | MiB per CPU-s ({bg}) | wire bytes ({bg}) | RSS < {RSS_TARGET_MIB:.0} MiB & flat | base64 ≥ {BASE64_TARGET:.0} MiB/s |"
                );
                let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
                for case in &m.cases {
                    let cell = |r: &Result<CaseResult, String>| match r {
                        Ok(c) => format!("{:.1} MiB", mib(c.hwm_kib)),
                        Err(_) => "error".to_owned(),
                    };
                    let speed = |r: &Result<CaseResult, String>| match r {
                        Ok(c) if c.secs > 0.0 => format!("{:.0}", c.bytes as f64 / MIB as f64 / c.secs),
                        _ => "–".to_owned(),
                    };
                    let per_cpu = |r: &Result<CaseResult, String>| match r {
                        Ok(CaseResult { cpu: Some(cpu), bytes, .. }) => {
                            format!("{:.0}", *bytes as f64 / MIB as f64 / cpu)
                        }
                        _ => "–".to_owned(),
                    };
                    let (a, b) = (&case.runs[0], &case.runs[1]);
                    let name = case.path.name();
                    let (rss_verdict, b64_verdict, growth, above, wire) = match (a, b) {
                        (Ok(a), Ok(b)) => {
                            let growth = mib(b.hwm_kib) - mib(a.hwm_kib);
                            let rss_ok = mib(b.hwm_kib) < RSS_TARGET_MIB && growth < FLAT_MIB;
                            let rate = b.bytes as f64 / MIB as f64 / b.secs.max(1e-9);
                            if !rss_ok {
                                verdicts.push(format!(
                                    "memory {name}: {:.1} MiB peak for {bg} MiB ({growth:+.1} MiB from {sm} MiB)",
                                    mib(b.hwm_kib)
                                ));
                            }
                            let b64 = if case.path.is_base64() {
                                if rate >= BASE64_TARGET {
                                    "met".to_owned()
                                } else {
                                    verdicts.push(format!("throughput {name}: {rate:.0} MiB/s"));
                                    "**missed**".to_owned()
                                }
                            } else {
                                "n/a".to_owned()
                            };
                            let wire = if case.path.is_upload() { b.wire.to_string() } else { "–".to_owned() };
                            (
                                if rss_ok { "met" } else { "**missed**" }.to_owned(),
                                b64,
                                format!("{growth:+.1} MiB"),
                                format!("{:+.1} MiB", mib(b.hwm_kib) - mib(m.idle_kib)),
                                wire,
                            )
                        }
                        _ => {
                            let e = [a, b].into_iter().find_map(|r| r.as_ref().err()).cloned().unwrap_or_default();
                            verdicts.push(format!("memory {name}: error {e}"));
                            ("**error**".to_owned(), format!("error: {e}"), "–".into(), "–".into(), "–".into())
                        }
                    };
                    let _ = writeln!(
                        s,
                        "| {name} | {} | {} | {} | {growth} | {above} | {} | {} | {} | {wire} | {rss_verdict} | {b64_verdict} |",
                        case.path.describe(),
                        cell(a),
                        cell(b),
                        speed(a),
                        speed(b),
                        per_cpu(b),
                    );
                }
                let _ = writeln!(
                    s,
                    "\nPeak RSS is the child's own `VmHWM` (/proc/self/status) at the end of the case; the server runs in \
                     the parent. Documents are generated by an `AsyncRead` (uploads) or by the server (downloads), so \
                     neither side holds a document. MiB/s counts document bytes (not base64 text) over the whole case, \
                     client and local server sharing the machine's cores; \
                     \"MiB per CPU-s\" divides by the client process's own CPU time (user + system, 10 ms \
                     resolution), which other load on the machine does not inflate. The base64 verdict uses MiB/s \
                     (wall). \"wire bytes\" is the request body the server \
                     counted.\n"
                );
            }
        }
    }

    if !r.codecs.is_empty() {
        let _ = writeln!(
            s,
            "### Base64 codecs alone (in memory, {} MiB document, 48 KiB chunks, no HTTP)\n",
            settings.sizes[1] / MIB
        );
        let _ = writeln!(s, "| codec | document MiB/s |");
        let _ = writeln!(s, "|---|---:|");
        for c in &r.codecs {
            let _ = writeln!(s, "| {} | {:.0} |", c.name, c.mib_per_s);
        }
        let _ = writeln!(s);
    }

    if !r.parse.is_empty() {
        let _ = writeln!(s, "## 3. Response parsing: listing 1,000 faxes\n");
        let _ =
            writeln!(s, "| vendor | format | call | body KiB | ms/list (median) | µs/item (median) | µs/item (best) |");
        let _ = writeln!(s, "|---|---|---|---:|---:|---:|---:|");
        for p in &r.parse {
            match p {
                Ok(p) => {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
                        p.vendor.name(),
                        if p.xml { "XML" } else { "JSON" },
                        list_call(p.vendor, p.xml),
                        p.body_len as f64 / 1024.0,
                        p.median.as_secs_f64() * 1e3,
                        p.median.as_secs_f64() * 1e6 / p.items as f64,
                        p.best.as_secs_f64() * 1e6 / p.items as f64,
                    );
                }
                Err((v, xml, e)) => {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} | error: {e} | | | |",
                        v.name(),
                        if *xml { "XML" } else { "JSON" },
                        list_call(*v, *xml)
                    );
                    verdicts.push(format!("parse {}: error {e}", v.name()));
                }
            }
        }
        let _ = writeln!(
            s,
            "\nEach list is one call through the vendor client against the local server (request, body read, decode \
             into the public model), 1,000 copies of a recorded item; µs/item = time per call / 1,000.\n"
        );
    }

    let _ = writeln!(s, "## Verdict\n");
    if verdicts.is_empty() {
        let _ = writeln!(s, "Every measured target is met.");
    } else {
        for v in &verdicts {
            let _ = writeln!(s, "- missed: {v}");
        }
    }
    s
}

/// One overhead row (`first` is the second column: the call, or the runtime); returns what missed, if anything.
fn overhead_row(s: &mut String, o: &Overhead, first: &str) -> Option<String> {
    let vs = o.vendor_round.as_secs_f64();
    let bs = o.bare_round.as_secs_f64();
    let ratio = o.ratio;
    let met = ratio <= OVERHEAD_TARGET && o.vendor_connections == 0;
    let _ = writeln!(
        s,
        "| {} | {first} | {} | {:.0} | {:.0} | {:.1} | {:.1} | {ratio:.3} | {}/{} | {} |",
        o.vendor.name(),
        o.calls,
        o.per_round as f64 / vs,
        o.per_round as f64 / bs,
        vs * 1e6 / o.per_round as f64,
        bs * 1e6 / o.per_round as f64,
        o.vendor_connections,
        o.bare_connections,
        if met { "met" } else { "**missed**" },
    );
    (!met).then(|| {
        format!("overhead {}: {ratio:.3} × bare reqwest, {} new connections", o.vendor.name(), o.vendor_connections)
    })
}

/// The target directory: `CARGO_TARGET_DIR`, or the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target"))
}

/// Writes `target/bench/report.md`; returns its path.
pub(crate) fn write(text: &str) -> std::io::Result<PathBuf> {
    write_named("report.md", text)
}

/// Writes `target/bench/<name>`; returns its path.
pub(crate) fn write_named(name: &str, text: &str) -> std::io::Result<PathBuf> {
    let dir = target_dir().join("bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    Ok(path.canonicalize().unwrap_or(path))
}
