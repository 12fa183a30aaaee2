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
use std::num::NonZeroUsize;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};

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
///
/// Connections are served like a static server's worker processes: one thread per core,
/// each with its own single-threaded runtime accepting from the shared socket and keeping
/// the connections it accepted. A page is answered in microseconds, and with tokio's
/// work-stealing scheduler handing the readiness events and tasks between workers cost
/// more than the answer, with long tails when a worker was descheduled on a busy machine.
/// Should no thread start, the calling runtime serves alone.
pub async fn serve(listener: TcpListener, site: FrontDoor, shutdown: impl Future<Output = ()>) {
    let (stop, stopped) = watch::channel(false);
    let mut finished = Vec::new();
    match listener.into_std() {
        Ok(shared) => {
            let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
            for index in 0..threads {
                match start_thread(index, &shared, site.clone(), stopped.clone()) {
                    Ok(done) => finished.push(done),
                    Err(error) => tracing::warn!(%error, "could not start a serving thread"),
                }
            }
            if finished.is_empty() {
                match TcpListener::from_std(shared) {
                    Ok(listener) => {
                        tokio::join!(accept_loop(listener, site, stopped), async {
                            shutdown.await;
                            let _ = stop.send(true);
                        });
                    }
                    Err(error) => tracing::error!(%error, "cannot serve the listening socket"),
                }
                return;
            }
        }
        Err(error) => {
            tracing::error!(%error, "cannot serve the listening socket");
            return;
        }
    }
    shutdown.await;
    let _ = stop.send(true);
    for done in finished {
        // An error here means the thread ended early; it logged why.
        let _ = done.await;
    }
}

/// Starts serving thread `index` on a clone of `shared`; the receiver fires when its
/// connections have drained after the stop.
fn start_thread(
    index: usize,
    shared: &std::net::TcpListener,
    site: FrontDoor,
    stopped: watch::Receiver<bool>,
) -> std::io::Result<oneshot::Receiver<()>> {
    let listener = shared.try_clone()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (done, finished) = oneshot::channel();
    std::thread::Builder::new()
        .name(format!("cairn-http-{index}"))
        .spawn(move || {
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(listener) => accept_loop(listener, site, stopped).await,
                    Err(error) => tracing::error!(%error, "a serving thread cannot listen"),
                }
            });
            let _ = done.send(());
        })?;
    Ok(finished)
}

/// Accepts and serves connections until `stopped` turns true, then drains them.
async fn accept_loop(listener: TcpListener, site: FrontDoor, mut stopped: watch::Receiver<bool>) {
    // HTTP/1.1 only, as `axum::serve` did here (axum's `http2` feature is off): browsers
    // reach Cairn through HTTP/1.1, and a proxy in front may speak HTTP/2 to them.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES);
    let graceful = GracefulShutdown::new();
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
            // A closed channel (the server is going away) stops as well.
            () = async { let _ = stopped.wait_for(|stop| *stop).await; } => break,
        };
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(stream), site.clone()));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    // Refuse new connections from here on (once every thread has let go of the socket),
    // while the open ones finish.
    drop(listener);
    graceful.shutdown().await;
}
