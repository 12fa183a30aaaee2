//! Throwaway content folders, and raw HTTP requests that no client library would tidy up.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder under the system temp dir, removed when dropped.
pub struct TempFolder {
    pub path: PathBuf,
}

impl TempFolder {
    pub fn new(name: &str) -> TempFolder {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cairn-it-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp folder");
        TempFolder { path }
    }

    /// Writes `text` to `relative` (creating folders), replacing the file atomically so a
    /// watcher never sees it half-written.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let target = self.path.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        let staging = self
            .path
            .join(format!(".staging-{}", relative.replace('/', "_")));
        std::fs::write(&staging, bytes).expect("write a file");
        std::fs::rename(&staging, &target).expect("move the file into place");
        self
    }

    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path.join(relative)).expect("remove a file");
    }

    pub fn arg(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.path.join(relative)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Sends `request_line` and headers exactly as written; returns the status code (0 if the
/// server closed the connection without one) and the raw response text.
pub fn raw_request(base: &str, head: &str) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .expect("timeout");
    let request = format!("{head}\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Waits up to `seconds` for `check` to hold, polling; panics with `what` otherwise.
pub async fn eventually<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if check().await {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("{what}: not seen within {seconds} s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
