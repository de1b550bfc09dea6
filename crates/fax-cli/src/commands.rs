//! Running one command.

use std::path::PathBuf;
use std::time::Duration;

use faxkit::{
    Direction, Document, Error, FaxId, FaxNumber, FaxService, InboundQuery, Result, SendRequest, WaitOptions,
};
use futures::StreamExt;
use serde_json::json;

use crate::cli::{Cli, Command};
use crate::output;
use crate::progress::{self, ProgressReader};
use crate::providers;

/// Runs the parsed command line.
pub(crate) async fn run(cli: Cli) -> Result<()> {
    let chosen = cli.provider.clone();
    let connect = || -> Result<std::sync::Arc<dyn FaxService>> {
        match chosen.as_slice() {
            [one] => providers::service(*one, cli.base_url.as_deref(), cli.transport.as_deref()),
            [] => Err(Error::invalid_input("fax", "--provider names no vendor")),
            several => {
                if cli.base_url.is_some() {
                    return Err(Error::invalid_input("fax", "--base-url needs a single --provider"));
                }
                let mut services = Vec::with_capacity(several.len());
                for p in several {
                    let transport = if *p == crate::cli::Provider::Westfax { cli.transport.as_deref() } else { None };
                    services.push(providers::service(*p, None, transport)?);
                }
                Ok(std::sync::Arc::new(faxkit::Failover::new(services)))
            }
        }
    };
    match cli.command {
        Command::Demo => crate::demo::run(cli.json).await,
        Command::Sandbox { vendor, port, inbound } => serve_sandbox(vendor, port, inbound, cli.json).await,
        Command::Send { to, file, idempotency_key, store, intent_lease, wait, timeout } => {
            let svc = connect()?;
            let key = match idempotency_key {
                Some(k) => k,
                None => default_key(&to, &file).await?,
            };
            // Several recipients or vendors may read each document more than once.
            let reusable = to.len() > 1 || chosen.len() > 1;
            let request = send_request(&to, &file, reusable).await?.idempotency_key(key.clone());
            if !cli.json {
                output::line(&format!("{}: idempotency key {key}", svc.vendor()));
            }
            let outcomes = match store {
                None => svc.send_each(&request).await?,
                Some(location) => crate::inbox::ledgered_send(&*svc, &request, &location, intent_lease).await?,
            };
            print_outcomes(&*svc, cli.json, &outcomes);
            let mut first_error = None;
            let mut ids: Vec<FaxId> = Vec::new();
            for outcome in outcomes {
                match outcome.result {
                    Ok(id) if !ids.contains(&id) => ids.push(id),
                    Ok(_) => {}
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            if wait {
                let mut statuses = Vec::new();
                for id in &ids {
                    statuses.push(wait_for(&*svc, id, Duration::from_secs(timeout), Duration::from_secs(5)).await?);
                }
                if cli.json {
                    output::json(&serde_json::to_value(&statuses).unwrap_or_default());
                } else {
                    for status in &statuses {
                        print_status(&*svc, false, status);
                    }
                }
            }
            first_error.map_or(Ok(()), Err)
        }
        Command::Status { id } => {
            let svc = connect()?;
            let status = svc.status(&FaxId::new(id)).await?;
            print_status(&*svc, cli.json, &status);
            Ok(())
        }
        Command::Wait { id, timeout, interval } => {
            let svc = connect()?;
            let status =
                wait_for(&*svc, &FaxId::new(id), Duration::from_secs(timeout), Duration::from_secs(interval)).await?;
            print_status(&*svc, cli.json, &status);
            Ok(())
        }
        Command::Cancel { id } => {
            let svc = connect()?;
            svc.cancel(&FaxId::new(id.clone())).await?;
            done(&*svc, cli.json, "cancelled", &id);
            Ok(())
        }
        Command::Inbox { action: Some(action), .. } => crate::inbox::run(action, connect, cli.json).await,
        Command::Sends { store } => crate::inbox::sends(store, cli.json).await,
        Command::Inbox { action: None, limit, unread } => {
            let svc = connect()?;
            let mut query = InboundQuery::default().unread_only(unread);
            if let Some(limit) = limit {
                query = query.limit(limit);
            }
            let faxes = svc.list_inbound(&query).await?;
            if cli.json {
                output::json(&serde_json::to_value(&faxes).unwrap_or_default());
            } else {
                output::line(&format!(
                    "{:<24} {:<18} {:<18} {:>5} {:<25} {}",
                    "ID", "FROM", "TO", "PAGES", "RECEIVED", "ACK"
                ));
                for f in &faxes {
                    output::line(&format!(
                        "{:<24} {:<18} {:<18} {:>5} {:<25} {}",
                        f.id,
                        f.from.as_deref().unwrap_or("-"),
                        f.to.as_deref().unwrap_or("-"),
                        f.pages.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                        f.received_at.map(|t| t.to_string()).unwrap_or_else(|| "-".into()),
                        f.acknowledged.map(|a| if a { "yes" } else { "no" }).unwrap_or("-"),
                    ));
                }
            }
            Ok(())
        }
        Command::Download { id, inbound: _, outbound, output: path } => {
            let svc = connect()?;
            let direction = if outbound { Direction::Outbound } else { Direction::Inbound };
            let written = download(&*svc, &FaxId::new(id.clone()), direction, path).await?;
            if cli.json {
                output::json(&json!({"provider": svc.vendor(), "id": id, "path": written.0, "bytes": written.1}));
            } else {
                output::line(&format!("{}: wrote {} bytes to {}", svc.vendor(), written.1, written.0.display()));
            }
            Ok(())
        }
        Command::Ack { id } => {
            let svc = connect()?;
            svc.acknowledge(&FaxId::new(id.clone())).await?;
            done(&*svc, cli.json, "acknowledged", &id);
            Ok(())
        }
    }
}

/// One line per recipient (`--json`: one list): the fax id, or what went wrong. An ambiguous outcome says
/// so and names its key, for a later reconcile.
fn print_outcomes(svc: &dyn FaxService, json: bool, outcomes: &[faxkit::RecipientOutcome]) {
    let vendor = svc.vendor();
    if json {
        let list: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| match &o.result {
                Ok(id) => json!({"provider": vendor, "to": o.to.e164(), "key": o.key, "id": id, "status": "queued"}),
                Err(e) => json!({"provider": vendor, "to": o.to.e164(), "key": o.key,
                                 "status": if e.is_ambiguous() { "ambiguous" } else { "failed" },
                                 "error": output::describe(e)}),
            })
            .collect();
        output::json(&serde_json::Value::Array(list));
        return;
    }
    for o in outcomes {
        let to = o.to.e164();
        match &o.result {
            Ok(id) => output::line(&format!("{vendor}: {to}: sent, fax id {id}")),
            Err(e) if e.is_ambiguous() => output::line(&format!(
                "{vendor}: {to}: outcome unknown (key {}): {}",
                o.key.as_deref().unwrap_or("-"),
                output::describe(e)
            )),
            Err(e) => output::line(&format!("{vendor}: {to}: not sent: {}", output::describe(e))),
        }
    }
}

/// The default idempotency key of a send: `fax-` and 16 hex digits of the 64-bit FNV-1a hash of the recipients
/// (E.164, in order, each followed by a newline), a NUL, then each document's bytes followed by a NUL. The
/// same recipients and files give the same key, so repeating a command after a crash or an ambiguous outcome
/// reuses it and `reconcile` finds the first send.
async fn default_key(to: &[String], files: &[PathBuf]) -> Result<String> {
    use tokio::io::AsyncReadExt;
    let mut hash = faxkit_store::Fnv1a::new();
    for number in to {
        hash.write(FaxNumber::parse(number)?.e164().as_bytes());
        hash.write(b"\n");
    }
    hash.write(b"\0");
    let mut buf = vec![0u8; 64 * 1024];
    for path in files {
        let ctx = || path.display().to_string();
        let mut file = tokio::fs::File::open(path).await.map_err(|e| Error::io("fax", ctx(), e))?;
        loop {
            let n = file.read(&mut buf).await.map_err(|e| Error::io("fax", ctx(), e))?;
            if n == 0 {
                break;
            }
            hash.write(buf.get(..n).unwrap_or_default());
        }
        hash.write(b"\0");
    }
    Ok(format!("fax-{:016x}", hash.finish()))
}

/// Builds a send request; on a terminal the upload shows a progress bar.
async fn send_request(to: &[String], files: &[PathBuf], reusable: bool) -> Result<SendRequest> {
    let numbers = to.iter().map(|n| FaxNumber::parse(n)).collect::<Result<Vec<_>>>()?;
    let mut documents = Vec::new();
    for path in files {
        if reusable {
            // Read once per recipient or vendor: a path can be opened again, a reader cannot.
            documents.push(Document::from_path(path));
            continue;
        }
        let file = tokio::fs::File::open(path).await.map_err(|e| Error::io("fax", path.display().to_string(), e))?;
        let len = file.metadata().await.map_err(|e| Error::io("fax", path.display().to_string(), e))?.len();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "document".into());
        let bar = progress::bytes(Some(len), &name);
        documents.push(Document::from_reader(ProgressReader::new(file, bar), len, name));
    }
    let mut request = SendRequest::default();
    request.to = numbers;
    request.documents = documents;
    Ok(request)
}

async fn wait_for(
    svc: &dyn FaxService,
    id: &FaxId,
    timeout: Duration,
    interval: Duration,
) -> Result<faxkit::FaxStatus> {
    let bar = progress::spinner(&format!("waiting for {id}"));
    let result = svc.wait(id, &WaitOptions::new(timeout, interval)).await;
    bar.finish_and_clear();
    result
}

async fn download(
    svc: &dyn FaxService,
    id: &FaxId,
    direction: Direction,
    path: Option<PathBuf>,
) -> Result<(PathBuf, u64)> {
    let mut dl = svc.download(id, direction).await?;
    let path = path.unwrap_or_else(|| {
        let ext = faxkit::mime::extension_for(&dl.content_type).unwrap_or("bin");
        let safe: String =
            id.as_str().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        PathBuf::from(format!("{safe}.{ext}"))
    });
    let bar = progress::bytes(dl.len, &format!("downloading {id}"));
    let counting = bar.clone();
    dl.stream = Box::pin(dl.stream.inspect(move |chunk| {
        if let Ok(c) = chunk {
            counting.inc(c.len() as u64);
        }
    }));
    let written = dl.save(&path).await;
    bar.finish_and_clear();
    Ok((path, written?))
}

fn print_status(svc: &dyn FaxService, json: bool, status: &faxkit::FaxStatus) {
    if json {
        let mut value = serde_json::to_value(status).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("provider".into(), json!(svc.vendor()));
        }
        output::json(&value);
    } else {
        let pages = match status.pages {
            Some(1) => ", 1 page".to_owned(),
            Some(p) => format!(", {p} pages"),
            None => String::new(),
        };
        output::line(&format!(
            "{}: {} {} (vendor status {:?}{pages})",
            svc.vendor(),
            status.id,
            status.status,
            status.raw_status
        ));
    }
}

fn done(svc: &dyn FaxService, json: bool, what: &str, id: &str) {
    if json {
        output::json(&json!({"provider": svc.vendor(), "id": id, "result": what}));
    } else {
        output::line(&format!("{}: {id} {what}", svc.vendor()));
    }
}

/// Serves a sandbox until Ctrl-C, with `inbound` received faxes seeded.
async fn serve_sandbox(vendor: crate::cli::Provider, port: Option<u16>, inbound: usize, json: bool) -> Result<()> {
    let sandbox = providers::sandbox(vendor, port).await?;
    let seeded = sandbox.seed_inbound(inbound).await;
    let control = format!("{}{}", origin(&sandbox.uri()), faxkit::sandbox::CONTROL_PATH);
    let env: Vec<_> = sandbox.env();
    if json {
        let env_obj: serde_json::Map<String, serde_json::Value> =
            env.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let ids: Vec<&str> = seeded.iter().map(FaxId::as_str).collect();
        output::json(&json!({"provider": sandbox.vendor(), "base_url": sandbox.uri(), "env": env_obj,
            "inbound_ids": ids, "control_url": control}));
    } else {
        output::line(&format!("{} sandbox listening on {}", sandbox.vendor(), sandbox.uri()));
        if !seeded.is_empty() {
            let ids: Vec<&str> = seeded.iter().map(FaxId::as_str).collect();
            output::line(&format!("{} received faxes waiting: {}", seeded.len(), ids.join(" ")));
        }
        output::line("point the CLI or your code at it with:");
        for (k, v) in &env {
            output::line(&format!("  export {k}={v}"));
        }
        output::line(&format!("  fax --provider {} --base-url {} inbox", vendor.name(), sandbox.uri()));
        output::line("receive a fax, and see what happened to every received fax:");
        output::line(&format!("  curl -X POST --data-binary @fax.pdf -H 'X-Sandbox-From: +12125550100' {control}"));
        output::line(&format!("  curl {control}"));
        output::line("press Ctrl-C to stop");
    }
    let _ = tokio::signal::ctrl_c().await;
    drop(sandbox);
    Ok(())
}

/// `scheme://host:port` of a sandbox base URL (the control route is at the server's root).
fn origin(uri: &str) -> &str {
    let after_scheme = uri.find("://").map_or(0, |i| i + 3);
    match uri[after_scheme..].find('/') {
        Some(i) => &uri[..after_scheme + i],
        None => uri,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_default_key_depends_on_recipients_and_bytes_only() {
        let dir = std::env::temp_dir().join(format!("fax-key-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
        let _ = std::fs::write(&a, b"%PDF-1.4 one");
        let _ = std::fs::write(&b, b"%PDF-1.4 one");
        let to = vec!["+1 212 555 0100".to_owned()];
        let k1 = default_key(&to, std::slice::from_ref(&a)).await.ok();
        let k2 = default_key(&["+12125550100".to_owned()], std::slice::from_ref(&b)).await.ok();
        assert_eq!(k1, k2, "same number and bytes, another spelling and file name");
        assert!(k1.as_deref().is_some_and(|k| k.starts_with("fax-") && k.len() == 20));
        let k3 = default_key(&["+12125550101".to_owned()], std::slice::from_ref(&a)).await.ok();
        assert_ne!(k1, k3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
