//! `--watch`: edits, additions and deletions show up without a restart; a broken file
//! keeps the last good catalogue serving and says what is wrong; open tabs are told.

use crate::scratch::{eventually, TempFolder};
use crate::support::TestServer;
use reqwest::StatusCode;

/// Generous: a reload takes well under a second on an idle machine, but these tests run
/// beside others on two cores. The waits poll, so a fast reload passes fast.
const RELOAD_WAIT: u64 = 30;

const RUNBOOK: &str = "---\ntitle: Failover runbook\nsummary: What to do when the primary goes.\n---\nPromote the replica with the pelican command.\n";

fn watched(folder: &TempFolder) -> TestServer {
    TestServer::builder()
        .arg("--content")
        .arg(folder.arg())
        .arg("--watch")
        .start()
}

async fn body(server: &TestServer, path: &str) -> (StatusCode, String) {
    let (status, _, text) = server.text(path).await;
    (status, text)
}

#[tokio::test]
async fn edits_reload_and_a_broken_file_keeps_the_last_good_page() {
    let folder = TempFolder::new("watch");
    folder.write("ops/failover.md", RUNBOOK);
    let server = watched(&folder);
    assert!(body(&server, "/patterns/failover")
        .await
        .1
        .contains("pelican"));

    // Edit: the new text is served, and search finds it.
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "albatross"));
    eventually(RELOAD_WAIT, "the edited page", || async {
        body(&server, "/patterns/failover")
            .await
            .1
            .contains("albatross")
    })
    .await;
    let hits = server.json("/api/search?q=albatross").await;
    assert_eq!(hits["total"], 1, "the index was rebuilt: {hits}");

    // Break it: the last good page keeps serving, with a banner naming file and line.
    folder.write(
        "ops/failover.md",
        "---\ntitle: Failover runbook\n---\nSee [nothing](missing.md).\n",
    );
    eventually(RELOAD_WAIT, "the problem banner", || async {
        body(&server, "/patterns/failover")
            .await
            .1
            .contains("data-test=\"reload-problem\"")
    })
    .await;
    let (status, page) = body(&server, "/patterns/failover").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("albatross"), "still the last good text");
    assert!(
        page.contains("ops/failover.md:4: broken link to `missing.md`"),
        "{page}"
    );
    let (status, ready) = body(&server, "/readyz").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a refused reload leaves the replica ready"
    );
    assert!(
        ready.contains("refused") && ready.contains("ops/failover.md:4"),
        "{ready}"
    );
    assert!(body(&server, "/metrics")
        .await
        .1
        .contains("cairn_reload_errors_total 1"));
    let (_, other) = body(&server, "/patterns/cache-aside").await;
    assert!(
        !other.contains("reload-problem"),
        "only the broken file's page carries the banner"
    );

    // Fix it: recovered, banner gone.
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "cormorant"));
    eventually(RELOAD_WAIT, "the fixed page", || async {
        let (_, page) = body(&server, "/patterns/failover").await;
        page.contains("cormorant") && !page.contains("reload-problem")
    })
    .await;
    assert!(!body(&server, "/readyz").await.1.contains("refused"));

    // Add and delete pages.
    folder.write(
        "ops/backups.md",
        "# Backups\n\nNightly, kept for thirty days.\n",
    );
    eventually(RELOAD_WAIT, "the added page", || async {
        body(&server, "/patterns/backups").await.0 == StatusCode::OK
    })
    .await;
    folder.remove("ops/backups.md");
    eventually(RELOAD_WAIT, "the deleted page gone", || async {
        body(&server, "/patterns/backups").await.0 == StatusCode::NOT_FOUND
    })
    .await;
}

#[tokio::test]
async fn open_tabs_hear_about_every_reload() {
    let folder = TempFolder::new("events");
    folder.write("ops/failover.md", RUNBOOK);
    let server = watched(&folder);
    let (_, html) = body(&server, "/").await;
    assert!(
        html.contains("data-live-reload=\"/_cairn/changes\""),
        "pages ask to follow changes"
    );

    let mut stream = server.get("/_cairn/changes").await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let first =
        String::from_utf8_lossy(&stream.chunk().await.expect("read").expect("a first event"))
            .into_owned();
    assert!(
        first.contains("event: content") && first.contains("data: 0"),
        "{first}"
    );
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "gannet"));
    let next = tokio::time::timeout(std::time::Duration::from_secs(RELOAD_WAIT), async {
        loop {
            let chunk = stream
                .chunk()
                .await
                .expect("read")
                .expect("the stream stays open");
            let text = String::from_utf8_lossy(&chunk).into_owned();
            if text.contains("data: ") {
                return text;
            }
        }
    })
    .await
    .expect("an event after the edit");
    assert!(next.contains("data: 1"), "{next}");
}

#[tokio::test]
async fn without_watch_there_is_no_change_stream() {
    let server = TestServer::builtin();
    assert_eq!(
        server.get("/_cairn/changes").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!body(&server, "/").await.1.contains("data-live-reload"));
}

#[tokio::test]
async fn a_vanished_folder_keeps_the_site_serving_until_it_returns() {
    let folder = TempFolder::new("vanish");
    folder.write("ops/failover.md", RUNBOOK);
    let server = watched(&folder);
    let moved = folder.path.with_extension("away");
    std::fs::rename(&folder.path, &moved).expect("move the folder away");
    eventually(RELOAD_WAIT, "the problem reported", || async {
        body(&server, "/readyz").await.1.contains("refused")
    })
    .await;
    let (status, page) = body(&server, "/patterns/failover").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("pelican"),
        "the last good catalogue keeps serving"
    );

    std::fs::rename(&moved, &folder.path).expect("bring it back");
    folder.write("ops/failover.md", RUNBOOK.replace("pelican", "puffin"));
    eventually(RELOAD_WAIT, "the returned folder reloaded", || async {
        body(&server, "/patterns/failover")
            .await
            .1
            .contains("puffin")
    })
    .await;
    assert!(!body(&server, "/readyz").await.1.contains("refused"));
}

#[tokio::test]
async fn requests_during_reloads_all_succeed() {
    let folder = TempFolder::new("busy");
    folder.write("ops/failover.md", RUNBOOK);
    let server = watched(&folder);
    let client = server.client.clone();
    let base = server.base.clone();
    let readers: Vec<_> = (0..4)
        .map(|reader| {
            let client = client.clone();
            let base = base.clone();
            tokio::spawn(async move {
                let paths = [
                    "/patterns/failover",
                    "/",
                    "/api/search?q=replica",
                    "/patterns/cache-aside",
                ];
                let mut answered = 0;
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
                while std::time::Instant::now() < deadline {
                    let path = paths[(answered + reader) % paths.len()];
                    let response = client
                        .get(format!("{base}{path}"))
                        .send()
                        .await
                        .unwrap_or_else(|error| panic!("{path}: {error}"));
                    assert_eq!(response.status(), StatusCode::OK, "{path}");
                    let body = response.text().await.expect("a whole body");
                    assert!(!body.is_empty(), "{path}");
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    // Several reloads while the readers run.
    for word in ["heron", "egret", "stork", "crane"] {
        folder.write("ops/failover.md", RUNBOOK.replace("pelican", word));
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    }
    let mut total = 0;
    for reader in readers {
        total += reader
            .await
            .expect("a reader finished without a failed request");
    }
    assert!(total > 20, "only {total} requests were answered");
    let metrics = body(&server, "/metrics").await.1;
    let reloads = metrics
        .lines()
        .find_map(|line| line.strip_prefix("cairn_reloads_total "))
        .and_then(|value| value.parse::<u64>().ok())
        .expect("a reload counter");
    assert!(
        reloads >= 1,
        "the content reloaded while requests ran: {metrics}"
    );
}

#[tokio::test]
async fn a_reload_changes_only_the_pages_whose_inputs_changed() {
    let folder = TempFolder::new("reuse");
    folder.write("ops/failover.md", RUNBOOK);
    folder.write(
        "ops/backups.md",
        "---\ntitle: Backups\nsummary: Nightly copies.\nrelated: [failover]\n---\nKept for thirty days; see the [restore guide](restore.md).\n",
    );
    folder.write("ops/restore.md", "# Restore\n\nFrom the nightly copy.\n");
    let server = watched(&folder);
    let (_, builtin_headers, builtin_before) = server.text("/patterns/cache-aside").await;
    let (_, backups_before) = body(&server, "/patterns/backups").await;
    assert!(
        backups_before.contains("Failover runbook"),
        "the related page's title"
    );

    // Renaming one page changes the pages that show its title, and nothing else.
    folder.write(
        "ops/failover.md",
        RUNBOOK
            .replace("Failover runbook", "Failover drill")
            .replace("pelican", "albatross"),
    );
    eventually(RELOAD_WAIT, "the edited page", || async {
        body(&server, "/patterns/failover")
            .await
            .1
            .contains("albatross")
    })
    .await;
    let (_, backups_after) = body(&server, "/patterns/backups").await;
    assert!(
        backups_after.contains("Failover drill") && !backups_after.contains("Failover runbook"),
        "an unchanged file whose related page was renamed is rendered again: {backups_after}"
    );
    assert!(
        backups_after.contains("/patterns/restore"),
        "{backups_after}"
    );
    let (status, builtin_headers_after, builtin_after) = server.text("/patterns/cache-aside").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        builtin_after == builtin_before,
        "a built-in page is served unchanged"
    );
    assert_eq!(
        builtin_headers_after["etag"], builtin_headers["etag"],
        "so browsers and proxies keep their copies"
    );
    let revalidated = server
        .client
        .get(format!("{}/patterns/cache-aside", server.base))
        .header("if-none-match", builtin_headers["etag"].clone())
        .send()
        .await
        .expect("a response");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    // A page that did not change, but whose link lost its target, is checked again.
    folder.remove("ops/restore.md");
    eventually(RELOAD_WAIT, "the broken link reported", || async {
        body(&server, "/readyz").await.1.contains("refused")
    })
    .await;
    let (_, ready) = body(&server, "/readyz").await;
    assert!(
        ready.contains("ops/backups.md:6: broken link to `restore.md`"),
        "{ready}"
    );

    // A new page shows up in its category and as its unchanged neighbour's next page.
    folder.write("ops/restore.md", "# Restore\n\nFrom the nightly copy.\n");
    folder.write("ops/cutover.md", "# Cutover\n\nMove the traffic.\n");
    eventually(RELOAD_WAIT, "the added page", || async {
        body(&server, "/patterns/cutover").await.0 == StatusCode::OK
    })
    .await;
    assert!(!body(&server, "/readyz").await.1.contains("refused"));
    assert!(body(&server, "/categories/ops")
        .await
        .1
        .contains("/patterns/cutover"));
    assert!(
        body(&server, "/patterns/backups")
            .await
            .1
            .contains("/patterns/cutover"),
        "Backups is followed by Cutover now"
    );
}
