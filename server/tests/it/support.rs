//! Starts the real `cairn` binary (on an ephemeral port unless told otherwise) and talks HTTP
//! to it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A running server process, stopped when dropped.
pub struct TestServer {
    child: Child,
    pub base: String,
    pub client: reqwest::Client,
    /// What the server has logged so far (its stderr), when the builder asked for it.
    log: Option<Arc<Mutex<String>>>,
}

/// Builds the command line for a test server.
#[derive(Default)]
pub struct TestServerBuilder {
    args: Vec<String>,
    envs: Vec<(String, String)>,
    address: Option<String>,
    wrapper: Vec<String>,
    capture_log: bool,
}

impl TestServerBuilder {
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.envs.push((name.to_string(), value.into()));
        self
    }

    /// Listens on `address` (`host:port`) instead of a free port, so a replica that was
    /// stopped can come back where its load balancer expects it.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Keeps what the server logs, for [`TestServer::log`] (it is still shown as usual).
    pub fn capture_log(mut self) -> Self {
        self.capture_log = true;
        self
    }

    /// Starts the binary through `command` (a program and its arguments, such as
    /// `setpriv` taking away a privilege), which then runs it.
    pub fn through(mut self, command: &[&str]) -> Self {
        self.wrapper = command.iter().map(|part| part.to_string()).collect();
        self
    }

    pub fn start(self) -> TestServer {
        let address = self.address.as_deref().unwrap_or("127.0.0.1:0");
        let mut command = match self.wrapper.split_first() {
            Some((program, arguments)) => {
                let mut command = Command::new(program);
                command.args(arguments).arg(env!("CARGO_BIN_EXE_cairn"));
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_cairn")),
        };
        let mut child = command
            .args(["--address", address])
            .args(&self.args)
            .env("CAIRN_LOG", "warn")
            .envs(self.envs.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::piped())
            .stderr(if self.capture_log {
                Stdio::piped()
            } else {
                Stdio::inherit()
            })
            .spawn()
            .expect("the cairn binary starts");
        let log = child.stderr.take().map(|stderr| {
            let log = Arc::new(Mutex::new(String::new()));
            let sink = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    let mut log = sink.lock().unwrap_or_else(PoisonError::into_inner);
                    log.push_str(&line);
                    log.push('\n');
                }
            });
            log
        });
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("listening on ") {
                    let _ = sender.send(address.to_string());
                }
            }
        });
        let base = match receiver.recv_timeout(Duration::from_secs(120)) {
            Ok(base) => base,
            Err(RecvTimeoutError::Disconnected) => {
                // Its stdout closed before it printed the address: it exited (the reason is
                // on stderr, which the test inherits).
                let status = child.wait();
                panic!("cairn --address {address} exited before listening: {status:?}");
            }
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("cairn --address {address} did not report its address within 120 s");
            }
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestServer {
            child,
            base,
            client,
            log,
        }
    }
}

impl TestServer {
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// The server on the built-in catalogue.
    pub fn builtin() -> TestServer {
        TestServer::builder().start()
    }

    /// Everything logged so far (needs [`TestServerBuilder::capture_log`]).
    pub fn log(&self) -> String {
        let log = self
            .log
            .as_ref()
            .expect("the server was started with capture_log()");
        log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// `host:port` the server listens on.
    pub fn address(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Ends the process with SIGKILL, as a crash or the OOM killer would: no draining, no
    /// goodbye to open connections. Returns once the process is gone.
    pub fn kill(&mut self) {
        self.child
            .kill()
            .expect("the cairn process can be signalled");
        self.child
            .wait()
            .expect("the killed cairn process is reaped");
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|error| panic!("GET {path}: {error}"))
    }

    /// The JSON body of `GET path` (any status).
    pub async fn json(&self, path: &str) -> serde_json::Value {
        self.get(path)
            .await
            .json()
            .await
            .unwrap_or_else(|error| panic!("GET {path}: not JSON: {error}"))
    }

    pub async fn text(
        &self,
        path: &str,
    ) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
        let response = self.get(path).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a text body");
        (status, headers, body)
    }
}

/// The `href="PREFIX…"` targets in `html`, in document order.
pub fn links<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.match_indices(&format!("href=\"{prefix}"))
        .filter_map(|(start, _)| {
            let rest = &html[start + "href=\"".len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
