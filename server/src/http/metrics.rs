//! `/metrics` in the Prometheus text format: requests by route and status, a latency
//! histogram by route, the catalogue's size, reloads and search queries.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// Status codes as the `http` crate allows them (100 to 999), one counter each.
const FIRST_STATUS: u16 = 100;
const STATUS_COUNT: usize = 900;

/// One route's counters. Plain atomics, so counting a request takes no lock and no
/// allocation: pages are answered in microseconds, and a mutex and a label string per
/// request were a measurable share of that.
pub struct RouteStats {
    /// Requests by status code, indexed from [`FIRST_STATUS`].
    statuses: Box<[AtomicU64]>,
    /// Requests per latency bucket, not cumulative (the exposition sums them up); the last
    /// one is `+Inf`.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Default for RouteStats {
    fn default() -> Self {
        RouteStats {
            statuses: (0..STATUS_COUNT).map(|_| AtomicU64::new(0)).collect(),
            buckets: Default::default(),
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }
}

impl RouteStats {
    /// Counts one answered request.
    pub fn record(&self, status: StatusCode, elapsed: Duration) {
        if let Some(counter) = usize::from(status.as_u16())
            .checked_sub(usize::from(FIRST_STATUS))
            .and_then(|index| self.statuses.get(index))
        {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

/// Counters for the whole process (they survive reloads).
#[derive(Default)]
pub struct Metrics {
    /// By route pattern. Routes are a fixed, small set (plus `unmatched`), so entries are
    /// only ever added, a handful of times.
    routes: RwLock<HashMap<String, Arc<RouteStats>>>,
    pub reloads: AtomicU64,
    pub reload_errors: AtomicU64,
    pub search_queries: AtomicU64,
}

impl Metrics {
    /// The counters of `route`, made on first use. Hot paths resolve theirs once and keep
    /// the handle.
    pub fn route(&self, route: &str) -> Arc<RouteStats> {
        if let Some(stats) = self
            .routes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(route)
        {
            return Arc::clone(stats);
        }
        Arc::clone(
            self.routes
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(route.to_string())
                .or_default(),
        )
    }

    fn record(&self, route: &str, status: StatusCode, elapsed: Duration) {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        match routes.get(route) {
            Some(stats) => stats.record(status, elapsed),
            None => {
                drop(routes);
                self.route(route).record(status, elapsed);
            }
        }
    }

    /// The text exposition, with `gauges` (name, help, value) appended.
    pub fn render(&self, gauges: &[(&str, &str, u64)]) -> String {
        let mut out = String::new();
        // Sorted by route, and only the routes and statuses that saw a request.
        let routes: Vec<(String, Arc<RouteStats>)> = {
            let mut routes: Vec<_> = self
                .routes
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .map(|(route, stats)| (escape(route), Arc::clone(stats)))
                .collect();
            routes.sort_by(|a, b| a.0.cmp(&b.0));
            routes
        };
        out.push_str(
            "# HELP cairn_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE cairn_http_requests_total counter\n");
        for (route, stats) in &routes {
            for (status, count) in (FIRST_STATUS..).zip(stats.statuses.iter()) {
                let count = count.load(Ordering::Relaxed);
                if count > 0 {
                    let _ = writeln!(
                        out,
                        "cairn_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP cairn_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        out.push_str("# TYPE cairn_http_request_duration_seconds histogram\n");
        for (route, stats) in &routes {
            let count = stats.count.load(Ordering::Relaxed);
            if count == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (bound, bucket) in BUCKETS.iter().zip(&stats.buckets) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "cairn_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                Duration::from_nanos(stats.sum_nanos.load(Ordering::Relaxed)).as_secs_f64()
            );
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_count{{route=\"{route}\"}} {count}"
            );
        }
        let counters = [
            (
                "cairn_reloads_total",
                "Content reloads that succeeded.",
                &self.reloads,
            ),
            (
                "cairn_reload_errors_total",
                "Content reloads refused because of errors (the last good catalogue kept serving).",
                &self.reload_errors,
            ),
            (
                "cairn_search_queries_total",
                "Search queries answered (page and API).",
                &self.search_queries,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

/// Label values may not hold a raw quote, backslash or newline.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times every request and counts it under its route pattern (not its path,
/// so the number of series stays bounded whatever URLs clients send).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The matched path is an `Arc<str>` inside: cloning it does not copy the text.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.0.metrics.record(
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status(),
        started.elapsed(),
    );
    response
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let edition = state.0.live.current();
    let problems = state.0.live.problems();
    let gauges = [
        (
            "cairn_catalogue_pages",
            "Pages in the catalogue being served.",
            edition.catalogue.page_count() as u64,
        ),
        (
            "cairn_catalogue_edition",
            "Number of the catalogue edition being served (1 at start-up, +1 per reload).",
            edition.number,
        ),
        (
            "cairn_content_problems",
            "Problems found by the last reload attempt (0 when it succeeded).",
            problems.len() as u64,
        ),
    ];
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.0.metrics.render(&gauges),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_counts_requests_and_fills_buckets_cumulatively() {
        let metrics = Metrics::default();
        let ms = |millis: f64| Duration::from_secs_f64(millis / 1000.0);
        metrics.record("/patterns/{slug}", StatusCode::OK, ms(0.3));
        metrics.record("/patterns/{slug}", StatusCode::OK, ms(20.0));
        metrics.record("/patterns/{slug}", StatusCode::NOT_FOUND, ms(0.1));
        // A handle resolved ahead (as the page fast path keeps) counts into the same series.
        metrics
            .route("/patterns/{slug}")
            .record(StatusCode::NOT_MODIFIED, ms(3000.0));
        metrics.route("/never-asked");
        let text = metrics.render(&[("cairn_catalogue_pages", "Pages.", 68)]);
        assert!(
            text.contains("cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"404\"} 1")
        );
        assert!(text.contains("cairn_http_request_duration_seconds_bucket{route=\"/patterns/{slug}\",le=\"0.0005\"} 2"), "{text}");
        assert!(text.contains(
            "cairn_http_request_duration_seconds_bucket{route=\"/patterns/{slug}\",le=\"+Inf\"} 4"
        ));
        assert!(text.contains(
            "cairn_http_request_duration_seconds_bucket{route=\"/patterns/{slug}\",le=\"2.5\"} 3"
        ));
        assert!(text
            .contains("cairn_http_request_duration_seconds_count{route=\"/patterns/{slug}\"} 4"));
        assert!(
            text.contains("cairn_http_requests_total{route=\"/patterns/{slug}\",status=\"304\"} 1")
        );
        assert!(
            !text.contains("never-asked"),
            "routes without requests stay out"
        );
        assert!(text.contains("# TYPE cairn_catalogue_pages gauge\ncairn_catalogue_pages 68"));
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
