//! `fax demo`: every vendor's sandbox in-process, one scenario each, one table.

use std::time::{Duration, Instant};

use bytes::Bytes;
use faxkit::sandbox::VendorSandbox;
use faxkit::{Direction, Document, Error, FaxNumber, FaxService, InboundQuery, Result, SendRequest, WaitOptions};
use serde_json::json;

use crate::output;
use crate::providers;
use crate::sample;

/// One vendor's run.
struct Row {
    label: String,
    fax_id: String,
    final_status: String,
    steps: Vec<(&'static str, Duration)>,
    error: Option<String>,
}

const STEPS: [&str; 5] = ["send", "wait", "inbox", "download", "ack"];

/// Runs the demo; fails if any vendor's scenario failed.
pub(crate) async fn run(json_out: bool) -> Result<()> {
    let mut rows = Vec::new();
    for target in providers::demo_targets().await {
        let mut row = Row {
            label: target.label.clone(),
            fax_id: "-".into(),
            final_status: "-".into(),
            steps: Vec::new(),
            error: None,
        };
        match &target.sandbox {
            Ok(sandbox) => {
                if let Err(e) = scenario(&**sandbox, &*target.service(&**sandbox), &mut row).await {
                    row.error = Some(output::describe(&e));
                }
            }
            Err(e) => row.error = Some(output::describe(e)),
        }
        rows.push(row);
    }
    print(&rows, json_out);
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        return Err(Error::invalid_input("fax", format!("demo: {failed} of {} vendors failed", rows.len())));
    }
    Ok(())
}

async fn timed<T>(row: &mut Row, step: &'static str, fut: impl Future<Output = Result<T>>) -> Result<T> {
    let start = Instant::now();
    let out = fut.await;
    row.steps.push((step, start.elapsed()));
    out
}

async fn scenario(sandbox: &dyn VendorSandbox, svc: &dyn FaxService, row: &mut Row) -> Result<()> {
    let to = FaxNumber::parse("+1 212 555 0100")?;
    let request = SendRequest::new(to, Document::from_bytes(sample::pdf("faxkit demo page one"), "page-1.pdf"))
        .document(Document::from_bytes(sample::pdf("faxkit demo page two"), "page-2.pdf"))
        .reference("faxkit demo");
    let id = timed(row, "send", svc.send(&request)).await?;
    row.fax_id = id.to_string();
    let wait = WaitOptions::new(Duration::from_secs(30), Duration::from_millis(5));
    let status = timed(row, "wait", svc.wait(&id, &wait)).await?;
    row.final_status = format!("{} ({})", status.status.as_str(), status.raw_status);

    let inbound_pdf = Bytes::from(sample::pdf("faxkit demo inbound"));
    let from = FaxNumber::parse("+1 646 555 0199")?;
    let inbound_id = sandbox.inject_inbound(&from, inbound_pdf.clone()).await;
    let listed = timed(row, "inbox", svc.list_inbound(&InboundQuery::default())).await?;
    if !listed.iter().any(|f| f.id == inbound_id) {
        return Err(Error::invalid_input(svc.vendor(), format!("injected fax {inbound_id} missing from the inbox")));
    }
    let got = timed(row, "download", async {
        svc.download(&inbound_id, Direction::Inbound).await?.bytes(64 * 1024 * 1024).await
    })
    .await?;
    if got != inbound_pdf {
        return Err(Error::invalid_input(svc.vendor(), "downloaded bytes differ from the injected fax"));
    }
    timed(row, "ack", svc.acknowledge(&inbound_id)).await?;
    Ok(())
}

fn print(rows: &[Row], json_out: bool) {
    if json_out {
        let value: Vec<_> = rows
            .iter()
            .map(|r| {
                let steps: serde_json::Map<_, _> =
                    r.steps.iter().map(|(s, d)| ((*s).to_owned(), json!(d.as_secs_f64() * 1000.0))).collect();
                json!({"provider": r.label, "id": r.fax_id, "status": r.final_status, "ms": steps,
                       "ok": r.error.is_none(), "error": r.error})
            })
            .collect();
        output::json(&json!(value));
        return;
    }
    let mut header = format!("{:<20} {:<26} {:<28}", "PROVIDER", "FAX ID", "FINAL STATUS");
    for s in STEPS {
        header.push_str(&format!(" {s:>9}"));
    }
    header.push_str("  RESULT");
    output::line(&header);
    for r in rows {
        let mut line = format!("{:<20} {:<26} {:<28}", r.label, truncate(&r.fax_id, 26), truncate(&r.final_status, 28));
        for s in STEPS {
            match r.steps.iter().find(|(name, _)| *name == s) {
                Some((_, d)) => line.push_str(&format!(" {:>7.1}ms", d.as_secs_f64() * 1000.0)),
                None => line.push_str(&format!(" {:>9}", "-")),
            }
        }
        line.push_str(match &r.error {
            None => "  ok",
            Some(_) => "  FAILED",
        });
        output::line(&line);
    }
    for r in rows {
        if let Some(e) = &r.error {
            output::line(&format!("{}: {e}", r.label));
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}
