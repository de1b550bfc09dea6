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
    steps: Vec<(&'static str, Step)>,
    error: Option<String>,
}

const STEPS: [&str; 5] = ["send", "wait", "inbox", "download", "ack"];

/// How one step went.
enum Step {
    /// Done, in this long.
    Took(Duration),
    /// The vendor has no such capability (`Error::Unsupported`): shown as `n/a`, not a failure.
    NotApplicable(String),
}

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
                if let Err(e) = scenario(&**sandbox, &*sandbox.service(), &mut row).await {
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
    row.steps.push((step, Step::Took(start.elapsed())));
    out
}

/// Like [`timed`], for a step a vendor may lack: `Unsupported` is recorded as `n/a` and the scenario goes on.
async fn optional(row: &mut Row, step: &'static str, fut: impl Future<Output = Result<()>>) -> Result<()> {
    let start = Instant::now();
    match fut.await {
        Err(e @ Error::Unsupported { .. }) => {
            row.steps.push((step, Step::NotApplicable(e.to_string())));
            Ok(())
        }
        other => {
            row.steps.push((step, Step::Took(start.elapsed())));
            other
        }
    }
}

async fn scenario(sandbox: &dyn VendorSandbox, svc: &dyn FaxService, row: &mut Row) -> Result<()> {
    let to = FaxNumber::parse("+1 212 555 0100")?;
    let request =
        SendRequest::new(to, Document::from_bytes(sample::pdf("faxkit demo"), "demo.pdf")).reference("faxkit demo");
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
    optional(row, "ack", svc.acknowledge(&inbound_id)).await?;
    Ok(())
}

fn print(rows: &[Row], json_out: bool) {
    if json_out {
        let value: Vec<_> = rows
            .iter()
            .map(|r| {
                let steps: serde_json::Map<_, _> = r
                    .steps
                    .iter()
                    .map(|(s, step)| {
                        let v = match step {
                            Step::Took(d) => json!(d.as_secs_f64() * 1000.0),
                            Step::NotApplicable(_) => json!("n/a"),
                        };
                        ((*s).to_owned(), v)
                    })
                    .collect();
                json!({"provider": r.label, "id": r.fax_id, "status": r.final_status, "ms": steps,
                       "ok": r.error.is_none(), "error": r.error})
            })
            .collect();
        output::json(&json!(value));
        return;
    }
    let width = |f: &dyn Fn(&Row) -> usize, title: &str| rows.iter().map(f).max().unwrap_or(0).max(title.len());
    let (w_label, w_id, w_status) = (
        width(&|r| r.label.chars().count(), "PROVIDER"),
        width(&|r| r.fax_id.chars().count(), "FAX ID"),
        width(&|r| r.final_status.chars().count(), "FINAL STATUS"),
    );
    let mut header = format!("{:<w_label$}  {:<w_id$}  {:<w_status$}", "PROVIDER", "FAX ID", "FINAL STATUS");
    for s in STEPS {
        header.push_str(&format!(" {s:>9}"));
    }
    header.push_str("  RESULT");
    output::line(&header);
    for r in rows {
        let mut line = format!("{:<w_label$}  {:<w_id$}  {:<w_status$}", r.label, r.fax_id, r.final_status);
        for s in STEPS {
            match r.steps.iter().find(|(name, _)| *name == s) {
                Some((_, Step::Took(d))) => line.push_str(&format!(" {:>7.1}ms", d.as_secs_f64() * 1000.0)),
                Some((_, Step::NotApplicable(_))) => line.push_str(&format!(" {:>9}", "n/a")),
                None => line.push_str(&format!(" {:>9}", "-")),
            }
        }
        line.push_str(if r.error.is_none() { "  ok" } else { "  FAILED" });
        output::line(&line);
    }
    for r in rows {
        for (step, outcome) in &r.steps {
            if let Step::NotApplicable(why) = outcome {
                output::line(&format!("{}: {step} n/a: {why}", r.label));
            }
        }
        if let Some(e) = &r.error {
            output::line(&format!("{}: {e}", r.label));
        }
    }
}
