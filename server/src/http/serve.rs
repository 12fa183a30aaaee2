//! The connection loop: hyper with the limits a network-facing server needs, and a graceful
//! shutdown that stops accepting, then drains.
//!
//! `axum::serve` gives hyper no timer, and without one hyper never enforces its header read
//! timeout: a client that sends its headers one byte at a time (or connects and sends
//! nothing) holds its connection, a task and a file descriptor forever, and a few thousand
//! of them exhaust the process; such a connection also keeps a graceful shutdown waiting.
//! This loop is `axum::serve` with that timer set, and a tighter limit on request heads.

use super::front_door::FrontDoor;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a client has to send a complete request head. Generous for any real client on
/// a slow link, short enough that stalled connections do not pile up.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a request head (request line and headers) may take. Cairn sets no cookies and
/// its URLs are short, so 64 KB is plenty; without a limit of its own hyper reads up to its
/// buffer size (about 400 KB), which let a single 100 KB header through to the handlers.
/// Beyond it the client gets 431.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Serves `site` on `listener` until `shutdown` completes, then closes the listener (new
/// connections are refused) and waits for in-flight requests to finish.
pub async fn serve(listener: TcpListener, site: FrontDoor, shutdown: impl Future<Output = ()>) {
    // HTTP/1.1 only, as `axum::serve` did here (axum's `http2` feature is off): browsers
    // reach Cairn through HTTP/1.1, and a proxy in front may speak HTTP/2 to them.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(stream), site.clone()));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    // Refuse new connections from here on, while the open ones finish.
    drop(listener);
    graceful.shutdown().await;
}
