//! Failover behind a real load balancer: two replicas behind Debian's nginx, one is killed
//! mid-traffic, readers never notice, and the replica rejoins once it is back.
//!
//! This is the deployment the README recommends (stateless replicas behind any balancer with
//! passive health checks and retries), exercised end to end on loopback.

use crate::support::{links, TestServer};
use reqwest::StatusCode;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";
/// Response header in which nginx names the replica(s) it tried, e.g. `127.0.0.1:4001,
/// 127.0.0.1:4002` when the first failed and the second answered.
const UPSTREAM_HEADER: &str = "x-cairn-upstream";
/// How long nginx leaves a failed replica alone before trying it again.
const FAIL_TIMEOUT_SECONDS: u64 = 2;

/// nginx in the foreground, configured and confined to its own temporary folder.
struct Nginx {
    child: Child,
    dir: PathBuf,
    base: String,
}

impl Nginx {
    /// Starts nginx with `replicas` as its upstream group, on a free loopback port.
    fn start(replicas: &[&str]) -> Nginx {
        assert!(
            Path::new(NGINX).exists(),
            "{NGINX} is missing: `.ci/install.sh --test` installs Debian's nginx package"
        );
        let dir = std::env::temp_dir().join(format!("cairn-failover-{}", std::process::id()));
        // A folder left by an earlier run of this process id is stale: start clean.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("logs")).expect("the nginx folder can be created");
        let port = free_port();
        let servers: String = replicas
            .iter()
            .map(|address| {
                format!(
                    "        server {address} max_fails=1 fail_timeout={FAIL_TIMEOUT_SECONDS}s;\n"
                )
            })
            .collect();
        let dir_text = dir.display();
        let config = format!(
            "worker_processes 1;
pid {dir_text}/nginx.pid;
error_log {dir_text}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir_text}/client_body;
    proxy_temp_path {dir_text}/proxy;
    fastcgi_temp_path {dir_text}/fastcgi;
    uwsgi_temp_path {dir_text}/uwsgi;
    scgi_temp_path {dir_text}/scgi;
    upstream cairn {{
{servers}        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://cairn;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host $host;
            proxy_connect_timeout 1s;
            proxy_read_timeout 10s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_timeout 5s;
            add_header X-Cairn-Upstream $upstream_addr always;
        }}
    }}
}}
"
        );
        let config_path = dir.join("nginx.conf");
        std::fs::write(&config_path, config).expect("the nginx configuration can be written");
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("logs/error.log"))
            .arg("-c")
            .arg(&config_path)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("{NGINX} does not start: {error}"));
        Nginx {
            child,
            dir,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("logs/error.log")).unwrap_or_default()
    }

    /// Waits until nginx proxies a health check, or panics with its error log.
    async fn wait_until_serving(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "nginx exited ({status}) before serving; its error log:\n{}",
                    self.error_log()
                );
            }
            let answer = client.get(format!("{}/healthz", self.base)).send().await;
            if answer.is_ok_and(|response| response.status() == StatusCode::OK) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not proxy /healthz within 20 s; its error log:\n{}",
                self.error_log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM to the master stops its workers too; SIGKILL would orphan them.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// What one request through nginx came to.
#[derive(Debug, Clone)]
struct Outcome {
    path: String,
    /// The status, or the transport error's text.
    result: Result<StatusCode, String>,
    /// Every replica nginx tried, in order (the last one answered).
    upstreams: Vec<String>,
    /// Whether the request was sent after the replica had been killed.
    sent_after_kill: bool,
}

impl Outcome {
    fn served_by(&self) -> Option<&str> {
        self.upstreams.last().map(String::as_str)
    }
}

async fn fetch(client: &reqwest::Client, base: &str, path: &str) -> Outcome {
    let response = client.get(format!("{base}{path}")).send().await;
    let (result, upstreams) = match response {
        Ok(response) => {
            let upstreams = response
                .headers()
                .get(UPSTREAM_HEADER)
                .and_then(|value| value.to_str().ok())
                .map(|value| {
                    value
                        .split(',')
                        .map(|address| address.trim().to_string())
                        .collect()
                })
                .unwrap_or_default();
            let status = response.status();
            // Read the whole body: a response cut off by the crash must count as a failure.
            match response.bytes().await {
                Ok(_) => (Ok(status), upstreams),
                Err(error) => (Err(format!("body: {error}")), upstreams),
            }
        }
        Err(error) => (Err(error.to_string()), Vec::new()),
    };
    Outcome {
        path: path.to_string(),
        result,
        upstreams,
        sent_after_kill: false,
    }
}

/// Every page a reader can reach from the home page: categories, their pages, learning paths.
async fn catalogue_pages(client: &reqwest::Client, base: &str) -> Vec<String> {
    let home = client
        .get(format!("{base}/"))
        .send()
        .await
        .expect("the home page answers through nginx")
        .text()
        .await
        .expect("the home page has a body");
    let mut categories: Vec<String> = links(&home, "/categories/")
        .into_iter()
        .map(str::to_string)
        .collect();
    categories.sort();
    categories.dedup();
    let mut pages = Vec::new();
    for category in &categories {
        let html = client
            .get(format!("{base}{category}"))
            .send()
            .await
            .unwrap_or_else(|error| panic!("GET {category}: {error}"))
            .text()
            .await
            .unwrap_or_else(|error| panic!("GET {category} body: {error}"));
        pages.extend(links(&html, "/patterns/").into_iter().map(str::to_string));
    }
    pages.extend(links(&home, "/paths/").into_iter().map(str::to_string));
    pages.extend(categories);
    pages.push("/".to_string());
    pages.sort();
    pages.dedup();
    pages
}

fn describe(outcomes: &[&Outcome]) -> String {
    outcomes
        .iter()
        .take(10)
        .map(|outcome| {
            format!(
                "  GET {} -> {:?} via [{}]{}\n",
                outcome.path,
                outcome.result,
                outcome.upstreams.join(", "),
                if outcome.sent_after_kill {
                    " (sent after the kill)"
                } else {
                    ""
                }
            )
        })
        .collect()
}

/// Waits until `count` reaches `target`, or panics saying what was awaited.
async fn wait_for_count(count: &AtomicUsize, target: usize, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while count.load(Ordering::SeqCst) < target {
        assert!(
            Instant::now() < deadline,
            "{what}: only {} of {target} requests completed within 60 s",
            count.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_dies_and_comes_back_without_a_failed_request() {
    let mut first = TestServer::builtin();
    let second = TestServer::builtin();
    let first_address = first.address().to_string();
    let second_address = second.address().to_string();
    let mut nginx = Nginx::start(&[&first_address, &second_address]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    nginx.wait_until_serving(&client).await;
    let base = nginx.base.clone();

    let pages = catalogue_pages(&client, &base).await;
    assert!(pages.len() > 50, "the catalogue walk found {pages:?}");
    // Readers browse pages and search, in the browser and through the JSON API.
    let mut mix: Vec<String> = pages.iter().take(20).cloned().collect();
    mix.extend(
        [
            "/search?q=circuit+breaker",
            "/api/search?q=cache&limit=5",
            "/search?q=thundring+herd",
            "/api/search?q=idempot",
        ]
        .map(str::to_string),
    );
    let mix = Arc::new(mix);

    // Traffic from four readers at once until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let completed = Arc::new(AtomicUsize::new(0));
    let completed_after_kill = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let mut readers = Vec::new();
    for reader in 0..4 {
        let (client, base, mix) = (client.clone(), base.clone(), Arc::clone(&mix));
        let (stop, killed) = (Arc::clone(&stop), Arc::clone(&killed));
        let (completed, completed_after_kill) =
            (Arc::clone(&completed), Arc::clone(&completed_after_kill));
        let outcomes = Arc::clone(&outcomes);
        readers.push(tokio::spawn(async move {
            let mut next = reader * 7;
            while !stop.load(Ordering::SeqCst) {
                let sent_after_kill = killed.load(Ordering::SeqCst);
                let mut outcome = fetch(&client, &base, &mix[next % mix.len()]).await;
                outcome.sent_after_kill = sent_after_kill;
                outcomes.lock().expect("no reader panics").push(outcome);
                completed.fetch_add(1, Ordering::SeqCst);
                if sent_after_kill {
                    completed_after_kill.fetch_add(1, Ordering::SeqCst);
                }
                next += 1;
            }
        }));
    }
    wait_for_count(&completed, 60, "traffic before the kill").await;
    first.kill();
    killed.store(true, Ordering::SeqCst);
    wait_for_count(&completed_after_kill, 200, "traffic after the kill").await;
    stop.store(true, Ordering::SeqCst);
    for reader in readers {
        reader.await.expect("a reader task finishes");
    }

    let outcomes = outcomes.lock().expect("no reader panics").clone();
    let failed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|outcome| outcome.result != Ok(StatusCode::OK))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed around the kill; the first ones:\n{}nginx error log:\n{}",
        failed.len(),
        outcomes.len(),
        describe(&failed),
        nginx.error_log()
    );
    let before: Vec<&Outcome> = outcomes.iter().filter(|o| !o.sent_after_kill).collect();
    for replica in [&first_address, &second_address] {
        assert!(
            before
                .iter()
                .any(|outcome| outcome.served_by() == Some(replica.as_str())),
            "before the kill, nginx should balance over both replicas; {replica} served none of {}",
            before.len()
        );
    }
    let after: Vec<&Outcome> = outcomes.iter().filter(|o| o.sent_after_kill).collect();
    let misrouted: Vec<&Outcome> = after
        .iter()
        .copied()
        .filter(|outcome| outcome.served_by() != Some(second_address.as_str()))
        .collect();
    assert!(
        misrouted.is_empty(),
        "after the kill only {second_address} can answer, yet:\n{}",
        describe(&misrouted)
    );
    // The request that discovered the crash (often one in flight at the kill) was retried.
    assert!(
        outcomes
            .iter()
            .any(|outcome| outcome.upstreams == [first_address.clone(), second_address.clone()]),
        "some request should have been tried on the dead replica and retried on the survivor \
         (otherwise the kill was never noticed); upstreams seen: {:?}",
        outcomes
            .iter()
            .map(|outcome| outcome.upstreams.join(", "))
            .collect::<std::collections::BTreeSet<_>>()
    );

    // The survivor alone serves the whole catalogue.
    for page in &pages {
        let outcome = fetch(&client, &base, page).await;
        assert_eq!(
            outcome.result,
            Ok(StatusCode::OK),
            "{page} with one replica down: {outcome:?}"
        );
        assert_eq!(
            outcome.served_by(),
            Some(second_address.as_str()),
            "{page} with one replica down: {outcome:?}"
        );
    }

    // The replica comes back on the same address; nginx tries it again after fail_timeout.
    let _first = TestServer::builder().address(&first_address).start();
    let deadline = Instant::now() + Duration::from_secs(FAIL_TIMEOUT_SECONDS + 15);
    let mut since_restart = Vec::new();
    loop {
        let outcome = fetch(&client, &base, "/api/search?q=sharding&limit=3").await;
        assert_eq!(
            outcome.result,
            Ok(StatusCode::OK),
            "while the replica rejoins: {outcome:?}"
        );
        let back = outcome.served_by() == Some(first_address.as_str());
        since_restart.push(outcome);
        if back {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted replica {first_address} took no traffic within {} s of its return \
             ({} requests, all served by {second_address})",
            FAIL_TIMEOUT_SECONDS + 15,
            since_restart.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Back in rotation: both replicas share the load again.
    let mut served = std::collections::BTreeSet::new();
    for page in pages.iter().take(20) {
        let outcome = fetch(&client, &base, page).await;
        assert_eq!(outcome.result, Ok(StatusCode::OK), "{outcome:?}");
        served.extend(outcome.served_by().map(str::to_string));
    }
    assert_eq!(
        served,
        [first_address.clone(), second_address.clone()]
            .into_iter()
            .collect(),
        "after the rejoin, both replicas should serve"
    );
}
