//! `/metrics` in the Prometheus text format: requests by route and status, a latency
//! histogram by route, the catalogue's size, reloads and search queries.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct RouteLatency {
    /// Cumulative counts per bucket bound, plus the implicit `+Inf` (= count).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// Counters for the whole process (they survive reloads).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, RouteLatency>>,
    pub reloads: AtomicU64,
    pub reload_errors: AtomicU64,
    pub search_queries: AtomicU64,
}

impl Metrics {
    fn record(&self, route: &str, status: u16, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((route.to_string(), status))
            .or_default() += 1;
        let mut latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = latency.entry(route.to_string()).or_default();
        for (count, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *count += 1;
            }
        }
        entry.count += 1;
        entry.sum_seconds += seconds;
    }

    /// The text exposition, with `gauges` (name, help, value) appended.
    pub fn render(&self, gauges: &[(&str, &str, u64)]) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP cairn_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE cairn_http_requests_total counter\n");
        for ((route, status), count) in self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(
                out,
                "cairn_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP cairn_http_request_duration_seconds Time to answer a request, by route.\n",
        );
        out.push_str("# TYPE cairn_http_request_duration_seconds histogram\n");
        for (route, latency) in self
            .latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(latency.buckets) {
                let _ = writeln!(
                    out,
                    "cairn_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                latency.count
            );
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                latency.sum_seconds
            );
            let _ = writeln!(
                out,
                "cairn_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                latency.count
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
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    state.0.metrics.record(
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
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
        metrics.record("/patterns/{slug}", 200, 0.0003);
        metrics.record("/patterns/{slug}", 200, 0.02);
        metrics.record("/patterns/{slug}", 404, 0.0001);
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
            "cairn_http_request_duration_seconds_bucket{route=\"/patterns/{slug}\",le=\"+Inf\"} 3"
        ));
        assert!(text
            .contains("cairn_http_request_duration_seconds_count{route=\"/patterns/{slug}\"} 3"));
        assert!(text.contains("# TYPE cairn_catalogue_pages gauge\ncairn_catalogue_pages 68"));
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
