//! Faults under `--watch`: a content file that cannot be read, one cut short mid-write, one
//! emptied. Each time the portal keeps serving the last good catalogue, and the log,
//! `/readyz` and the page's banner say which file and what is wrong; once the file is
//! whole again, so is the site.

use crate::scratch::{eventually, TempFolder};
use crate::support::TestServer;
use reqwest::StatusCode;
use std::os::unix::fs::PermissionsExt;

/// Generous for a loaded two-core machine; the waits poll, so a fast reload passes fast.
const RELOAD_WAIT: u64 = 30;

const RUNBOOK: &str = "---\ntitle: Failover runbook\nsummary: What to do when the primary goes.\ntags: [operations]\n---\nPromote the replica with the pelican command.\n\n## Afterwards\n\nCheck replication lag.\n";
const BACKUPS: &str =
    "---\ntitle: Backups\nsummary: Nightly snapshots.\n---\nKept for thirty days.\n";

/// Whether this process runs as root, which reads any file whatever its permissions.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .map(|ids| ids.split_whitespace().next() == Some("0"))
        })
        .unwrap_or(false)
}

fn watched(folder: &TempFolder) -> TestServer {
    let builder = TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .arg("--watch")
        .capture_log();
    // Root ignores file permissions; without the two capabilities that let it, a mode-000
    // file is as unreadable to the server as it is to any other user.
    let builder = if running_as_root() {
        builder.through(&[
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search",
            "--",
        ])
    } else {
        builder
    };
    builder.start()
}

async fn body(server: &TestServer, path: &str) -> (StatusCode, String) {
    let (status, _, text) = server.text(path).await;
    (status, text)
}

/// Waits until the last reload was refused because of `file` (and `line`, when the problem
/// has one) with a message holding every one of `words`, as both `/readyz` and the log say;
/// returns the page at `path` as it is then.
async fn refused_with(
    server: &TestServer,
    path: &str,
    (file, line): (&str, Option<usize>),
    words: &[&str],
) -> String {
    let place = match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_string(),
    };
    eventually(RELOAD_WAIT, "the refusal in /readyz", || async {
        let ready = body(server, "/readyz").await.1;
        ready.contains("refused")
            && ready.contains(&place)
            && words.iter().all(|word| ready.contains(word))
    })
    .await;
    // The log line carries the same facts as fields: file="…" line=… and the message.
    let (file_field, line_field) = (
        format!("file=\"{file}\""),
        format!("line={}", line.unwrap_or(0)),
    );
    eventually(RELOAD_WAIT, "the refusal in the log", || async {
        server.log().lines().any(|entry| {
            entry.contains("reload refused")
                && entry.contains(&file_field)
                && entry.contains(&line_field)
                && words.iter().all(|word| entry.contains(word))
        })
    })
    .await;
    let (status, page) = body(server, path).await;
    assert_eq!(status, StatusCode::OK, "the last good page still serves");
    page
}

async fn recovered(server: &TestServer, path: &str, text: &str) {
    eventually(RELOAD_WAIT, "the recovery", || async {
        let (status, page) = body(server, path).await;
        status == StatusCode::OK && page.contains(text) && !page.contains("reload-problem")
    })
    .await;
    assert!(!body(server, "/readyz").await.1.contains("refused"));
}

/// A watched folder with the runbook and one other page, served, the runbook checked.
async fn serving_runbook(name: &str) -> (TempFolder, TestServer) {
    let folder = TempFolder::new(name);
    folder.write("ops/failover.md", RUNBOOK);
    folder.write("ops/backups.md", BACKUPS);
    let server = watched(&folder);
    assert!(body(&server, "/patterns/failover")
        .await
        .1
        .contains("pelican"));
    (folder, server)
}

/// The page whose file is fine keeps serving while another file is at fault.
async fn others_still_serve(server: &TestServer) {
    assert!(body(server, "/patterns/backups")
        .await
        .1
        .contains("thirty days"));
}

#[tokio::test]
async fn an_unreadable_file_keeps_its_last_good_page_and_names_the_file() {
    let (folder, server) = serving_runbook("unreadable").await;

    let file = folder.join("ops/failover.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let page = refused_with(
        &server,
        "/patterns/failover",
        ("ops/failover.md", None),
        &["cannot be read", "ermission denied"],
    )
    .await;
    assert!(page.contains("pelican"), "the last good text is served");
    assert!(
        page.contains("data-test=\"reload-problem\"") && page.contains("ops/failover.md"),
        "the page says its file cannot be read"
    );
    // Every other page, and search over them, carries on.
    others_still_serve(&server).await;
    let hits = server.json("/api/search?q=pelican").await;
    assert_eq!(hits["total"], 1, "the last good index still answers");

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod 644");
    // Permissions are metadata: touch the text too, as an editor fixing it would.
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "heron"));
    recovered(&server, "/patterns/failover", "heron").await;
}

#[tokio::test]
async fn a_file_cut_short_or_emptied_keeps_its_last_good_page() {
    let (folder, server) = serving_runbook("truncated").await;

    // A save that stopped half-way through the front matter (a full disk, a crash).
    let cut = &RUNBOOK[..RUNBOOK.find("summary").expect("summary") + 7];
    folder.write("ops/failover.md", cut);
    let page = refused_with(
        &server,
        "/patterns/failover",
        ("ops/failover.md", Some(1)),
        &["front matter is not closed"],
    )
    .await;
    assert!(page.contains("pelican") && page.contains("reload-problem"));
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "cormorant"));
    recovered(&server, "/patterns/failover", "cormorant").await;

    // Emptied: the page is refused (it has nothing to show), not silently dropped.
    folder.write("ops/failover.md", "");
    let page = refused_with(
        &server,
        "/patterns/failover",
        ("ops/failover.md", Some(1)),
        &["has no title"],
    )
    .await;
    assert!(page.contains("cormorant"), "the last good text is served");
    others_still_serve(&server).await;
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "egret"));
    recovered(&server, "/patterns/failover", "egret").await;
}
