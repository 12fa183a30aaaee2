//! Starts the real `cairn` binary on an ephemeral port and talks HTTP to it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server process, stopped when dropped.
pub struct TestServer {
    child: Child,
    pub base: String,
    pub client: reqwest::Client,
}

/// Builds the command line for a test server.
#[derive(Default)]
pub struct TestServerBuilder {
    args: Vec<String>,
    envs: Vec<(String, String)>,
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

    pub fn start(self) -> TestServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
            .args(["--address", "127.0.0.1:0"])
            .args(&self.args)
            .env("CAIRN_LOG", "warn")
            .envs(self.envs.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the cairn binary starts");
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
            Err(_) => {
                let _ = child.kill();
                panic!("cairn did not report its address within 120 s");
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

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|error| panic!("GET {path}: {error}"))
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

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
