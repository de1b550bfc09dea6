//! The `fax` binary end to end against the vendor sandboxes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use faxkit::sandbox::VendorSandbox;

/// A `fax` command with a clean environment plus the sandbox's variables.
fn fax(sandbox: &dyn VendorSandbox, provider: &str) -> Command {
    let mut cmd = Command::cargo_bin("fax").unwrap();
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).arg("--provider").arg(provider);
    for (k, v) in sandbox.env() {
        cmd.env(k, v);
    }
    cmd
}

fn run_json(mut cmd: Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

async fn sandboxes() -> Vec<(&'static str, Box<dyn VendorSandbox>)> {
    vec![
        ("interfax", Box::new(interfax::sandbox::Sandbox::start().await.unwrap()) as Box<dyn VendorSandbox>),
        ("westfax", Box::new(westfax::sandbox::Sandbox::start().await.unwrap())),
        ("faxcore", Box::new(faxcore::sandbox::Sandbox::start().await.unwrap())),
        ("fax2", Box::new(fax2::sandbox::Sandbox::start().await.unwrap())),
        ("retarus", Box::new(retarus_fax::sandbox::Sandbox::start().await.unwrap())),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_status_inbox_download_ack_for_every_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("letter.pdf");
    std::fs::write(&doc, b"%PDF-1.4\n% faxkit cli test\n%%EOF\n").unwrap();
    for (provider, sandbox) in sandboxes().await {
        let injected = bytes::Bytes::from_static(b"%PDF-1.4\n% inbound for the cli\n%%EOF\n");
        let from = faxkit::FaxNumber::parse("+1 646 555 0199").unwrap();
        let inbound_id = sandbox.inject_inbound(&from, injected.clone()).await;
        let sandbox: &dyn VendorSandbox = &*sandbox;
        let (doc, dir) = (doc.clone(), dir.path().to_owned());
        let inbound_id = inbound_id.to_string();
        tokio::task::block_in_place(|| {
            let mut send = fax(sandbox, provider);
            send.args(["--json", "send", "--to", "+12125550100", "--file"]).arg(&doc);
            let sent = run_json(send);
            let sent = &sent.as_array().expect("a list, one entry per recipient")[0];
            assert_eq!(sent["provider"], provider);
            assert!(sent["key"].as_str().is_some_and(|k| k.starts_with("fax-")), "{sent}");
            let id = sent["id"].as_str().expect("id is a string").to_owned();
            assert!(!id.is_empty());

            let mut status = fax(sandbox, provider);
            status.args(["--json", "status", &id]);
            let status = run_json(status);
            assert_eq!(status["id"], id.as_str());
            assert!(status["state"].is_string() && status["raw_status"].is_string(), "{status}");

            let mut wait = fax(sandbox, provider);
            wait.args(["--json", "wait", &id, "--interval", "0", "--timeout", "30"]);
            assert_eq!(run_json(wait)["state"], "delivered", "{provider}");

            let mut inbox = fax(sandbox, provider);
            inbox.args(["--json", "inbox"]);
            let listed = run_json(inbox);
            assert!(listed.as_array().unwrap().iter().any(|f| f["id"] == inbound_id.as_str()), "{provider}: {listed}");

            let out = dir.join(format!("{provider}.pdf"));
            let mut download = fax(sandbox, provider);
            download.args(["--json", "download", &inbound_id, "--inbound", "--output"]).arg(&out);
            let dl = run_json(download);
            assert_eq!(dl["bytes"], injected.len());
            assert_eq!(std::fs::read(&out).unwrap(), injected.to_vec(), "{provider}: downloaded bytes differ");

            let mut ack = fax(sandbox, provider);
            ack.args(["ack", &inbound_id]);
            let out = ack.output().unwrap();
            // Fax2 keeps no read state: `ack` says so with the "unsupported" exit code.
            if provider == "fax2" {
                assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
            } else {
                assert!(out.status.success(), "{provider}: {}", String::from_utf8_lossy(&out.stderr));
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_one_line_with_vendor_status_and_code() {
    for (provider, sandbox) in sandboxes().await {
        let sandbox: &dyn VendorSandbox = &*sandbox;
        tokio::task::block_in_place(|| {
            // Wrong credentials: exit 3, one line naming the vendor and the HTTP status, no backtrace.
            let mut cmd = fax(sandbox, provider);
            for (k, _) in sandbox.env().iter().filter(|(k, _)| k.ends_with("PASSWORD")) {
                cmd.env(k, "definitely-wrong");
            }
            let out = cmd.arg("inbox").output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{provider}: {stderr}");
            assert_eq!(stderr.trim().lines().count(), 1, "{provider}: {stderr}");
            assert!(
                stderr.starts_with(&format!("fax: {}", if provider == "retarus" { "retarus" } else { provider })),
                "{stderr}"
            );
            // The HTTP status as the vendor sent it (WestFax reports bad logins inside a 200 body).
            assert!(stderr.contains("HTTP ") && stderr.contains("authentication failed"), "{provider}: {stderr}");
            assert!(!stderr.contains("panicked") && !stderr.contains("definitely-wrong"), "{provider}: {stderr}");

            // Unknown id: exit 4.
            let out = fax(sandbox, provider).args(["status", "999999999"]).output().unwrap();
            assert_eq!(out.status.code(), Some(4), "{provider}: {}", String::from_utf8_lossy(&out.stderr));

            // A bad number is refused before any request: exit 2.
            let out =
                fax(sandbox, provider).args(["send", "--to", "+12", "--file", "/nonexistent.pdf"]).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{provider}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(String::from_utf8_lossy(&out.stderr).contains("too short"));
        });
    }
}

#[test]
fn demo_runs_every_vendor_offline() {
    let out = Command::cargo_bin("fax").unwrap().env_clear().args(["--json", "demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 11, "five vendors, WestFax over seven transports");
    for row in rows {
        assert_eq!(row["ok"], true, "{row}");
        assert_eq!(row["status"].as_str().unwrap().split(' ').next(), Some("delivered"), "{row}");
    }
}

#[test]
fn missing_credentials_name_the_variable() {
    let out =
        Command::cargo_bin("fax").unwrap().env_clear().args(["--provider", "interfax", "inbox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("INTERFAX_USERNAME"));
}

#[test]
fn sandbox_seeds_inbound_faxes_and_names_the_control_route() {
    use std::io::BufRead;
    /// Stops the sandbox process however the test ends.
    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("fax"))
        .env_clear()
        .args(["--json", "sandbox", "faxcore", "--inbound", "2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _child = KillOnDrop(child);
    let mut first = String::new();
    std::io::BufReader::new(stdout).read_line(&mut first).unwrap();
    let started: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    let ids: Vec<&str> = started["inbound_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{started}");
    let base = started["base_url"].as_str().unwrap();
    let control = started["control_url"].as_str().unwrap();
    assert_eq!(control, format!("{}/__sandbox/inbound", base.trim_end_matches("/api/")), "{started}");

    let mut inbox = Command::cargo_bin("fax").unwrap();
    inbox.env_clear().args(["--provider", "faxcore", "--json", "inbox"]);
    for (k, v) in started["env"].as_object().unwrap() {
        inbox.env(k, v.as_str().unwrap());
    }
    let listed = run_json(inbox);
    let mut listed: Vec<&str> = listed.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    listed.sort_unstable();
    let mut want = ids.clone();
    want.sort_unstable();
    assert_eq!(listed, want);
}

/// `fax send --to A --to B` on every vendor: one line per recipient, and the sandbox holds a fax for each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_to_two_numbers_on_every_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("two.pdf");
    std::fs::write(&doc, b"%PDF-1.4\n% two recipients\n%%EOF\n").unwrap();
    let (a, b) = ("+12125550100", "+12125550101");

    let ifx = interfax::sandbox::Sandbox::start().await.unwrap();
    let wfx = westfax::sandbox::Sandbox::start().await.unwrap();
    let fcx = faxcore::sandbox::Sandbox::start().await.unwrap();
    let f2 = fax2::sandbox::Sandbox::start().await.unwrap();
    let rts = retarus_fax::sandbox::Sandbox::start().await.unwrap();
    let all: [(&str, &dyn VendorSandbox); 5] =
        [("interfax", &ifx), ("westfax", &wfx), ("faxcore", &fcx), ("fax2", &f2), ("retarus", &rts)];
    let mut keys = Vec::new();
    for (provider, sandbox) in all {
        let doc = doc.clone();
        tokio::task::block_in_place(|| {
            let out = fax(sandbox, provider).args(["send", "--to", a, "--to", b, "--file"]).arg(&doc).output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(out.status.success(), "{provider}: {}", String::from_utf8_lossy(&out.stderr));
            let lines: Vec<&str> = stdout.lines().collect();
            assert_eq!(lines.len(), 3, "{provider}: the key, then one line per recipient: {stdout}");
            let key = lines[0].rsplit(' ').next().unwrap().to_owned();
            assert!(lines[0].starts_with(&format!("{provider}: idempotency key fax-")), "{stdout}");
            assert!(lines[1].starts_with(&format!("{provider}: {a}: sent, fax id ")), "{stdout}");
            assert!(lines[2].starts_with(&format!("{provider}: {b}: sent, fax id ")), "{stdout}");
            keys.push(key);

            let mut json = fax(sandbox, provider);
            json.args(["--json", "send", "--to", a, "--to", b, "--idempotency-key", "cli-key", "--file"]).arg(&doc);
            let list = run_json(json);
            let list = list.as_array().unwrap();
            assert_eq!(list.len(), 2, "{provider}: {list:?}");
            assert_eq!((list[0]["to"].as_str(), list[1]["to"].as_str()), (Some(a), Some(b)));
            assert!(list.iter().all(|o| o["status"] == "queued" && o["id"].is_string()), "{provider}: {list:?}");
        });
    }
    // The same recipients and bytes give the same key on every vendor.
    assert!(keys.windows(2).all(|w| w[0] == w[1]), "{keys:?}");

    // Two faxes at each sandbox per command (one job with both numbers where the vendor has that form).
    let refs: Vec<Option<String>> = ifx.sent_faxes().iter().map(|f| f.options.get("reference").cloned()).collect();
    assert_eq!(refs.len(), 4);
    assert_eq!(refs[2..], [Some("cli-key#1".to_owned()), Some("cli-key#2".to_owned())]);
    let subjects: Vec<String> = fcx.sent_faxes().iter().map(|f| f.subject.clone()).collect();
    assert_eq!(subjects.len(), 4);
    assert_eq!(subjects[2..], ["cli-key#1".to_owned(), "cli-key#2".to_owned()]);
    assert_eq!(f2.sent_faxes().len(), 4);
    let jobs = wfx.sent_faxes();
    assert_eq!(jobs.len(), 2);
    assert!(jobs.iter().all(|j| j.numbers == ["2125550100", "2125550101"]), "{jobs:?}");
    assert_eq!(jobs[1].job_name.as_deref(), Some("cli-key"));
    let jobs = rts.sent_faxes();
    assert_eq!(jobs.len(), 2);
    assert!(jobs.iter().all(|j| j.recipients == [a, b]), "{jobs:?}");
    assert_eq!(jobs[1].request.pointer("/reference/customerDefinedId"), Some(&serde_json::json!("cli-key")));
}

/// `--provider interfax,westfax`: InterFAX refuses connections, so the fax goes out once, through WestFax, and
/// its id routes `status` back to WestFax.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_fails_over_when_the_primary_refuses_connections() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("f.pdf");
    std::fs::write(&doc, b"%PDF-1.4\n% failover\n%%EOF\n").unwrap();
    let ifx = interfax::sandbox::Sandbox::start().await.unwrap();
    let wfx = westfax::sandbox::Sandbox::start().await.unwrap();
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    tokio::task::block_in_place(|| {
        let mut cmd = fax(&ifx, "interfax,westfax");
        for (k, v) in VendorSandbox::env(&wfx) {
            cmd.env(k, v);
        }
        cmd.env("INTERFAX_BASE_URL", format!("http://127.0.0.1:{dead_port}/"));
        let mut status = Command::cargo_bin("fax").unwrap();
        status.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in VendorSandbox::env(&ifx).into_iter().chain(VendorSandbox::env(&wfx)) {
            status.env(k, v);
        }
        status.env("INTERFAX_BASE_URL", format!("http://127.0.0.1:{dead_port}/"));
        cmd.args(["--json", "send", "--to", "+12125550100", "--file"]).arg(&doc);
        let list = run_json(cmd);
        let id = list[0]["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("westfax:"), "{list}");
        status.args(["--provider", "interfax,westfax", "--json", "status", &id]);
        assert_eq!(run_json(status)["id"], id.as_str());
    });
    assert!(ifx.sent_faxes().is_empty());
    assert_eq!(wfx.sent_faxes().len(), 1);
}
