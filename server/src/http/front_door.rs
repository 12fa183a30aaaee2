//! Where every request comes in: a plain GET or HEAD of a rendered page is answered here,
//! straight from the bytes ready in memory; everything else goes on to the router.
//!
//! A page is a lookup, so under load what it cost was the machinery around it: routing,
//! the path and header extractors (which copy the request's headers), a boxed future and a
//! header map per middleware layer, a label string and two mutexes for the metrics. This
//! path does the same work once (the same answer, the same security headers, the same
//! metrics series and debug trace) and sends anything it is not sure about to the router,
//! which stays the reference behaviour: a page with a reload problem (its banner), a
//! percent-encoded or unknown address, a request with a body, any other method.

use super::metrics::RouteStats;
use super::pages::respond;
use super::{router, security, strip_path_prefix, AppState};
use axum::body::Body;
use axum::http::{header, Method, Request, Response, StatusCode};
use axum::Router;
use bytes::Bytes;
use futures_util::future::Either;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::ServiceExt;

/// The service each connection calls; cheap to clone (one per connection).
#[derive(Clone)]
pub struct FrontDoor(Arc<Inner>);

struct Inner {
    state: AppState,
    router: Router,
    /// The site's sub-path (`/handbook`), or empty.
    prefix: String,
    /// The metrics series of the page routes, resolved once.
    home: Arc<RouteStats>,
    patterns: Arc<RouteStats>,
    categories: Arc<RouteStats>,
    paths: Arc<RouteStats>,
}

/// Which rendered document an address names.
enum PageAddress<'a> {
    Home,
    Pattern(&'a str),
    Category(&'a str),
    LearningPath(&'a str),
}

impl FrontDoor {
    /// Serves `state`'s site, under `prefix` when it has a sub-path (see
    /// [`strip_path_prefix`]).
    pub fn new(state: AppState, prefix: String) -> Self {
        let metrics = &state.0.metrics;
        FrontDoor(Arc::new(Inner {
            home: metrics.route("/"),
            patterns: metrics.route("/patterns/{slug}"),
            categories: metrics.route("/categories/{name}"),
            paths: metrics.route("/paths/{slug}"),
            router: router(state.clone()),
            state,
            prefix,
        }))
    }

    /// Answers a page request from memory, or gives back `None` for the router to answer.
    fn answer_page<B: HttpBody>(&self, request: &Request<B>) -> Option<Response<Option<Bytes>>> {
        let started = Instant::now();
        if !(request.method() == Method::GET || request.method() == Method::HEAD)
            || !request.body().is_end_stream()
        {
            return None;
        }
        let address = PageAddress::parse(self.unprefixed(request.uri().path()))?;
        let live = &self.0.state.0.live;
        // Reload problems put a banner on pages: the handlers know how.
        if !live.problems().is_empty() {
            return None;
        }
        let edition = live.current();
        let site = &edition.site;
        let (document, stats) = match address {
            PageAddress::Home => (&site.home, &self.0.home),
            PageAddress::Pattern(slug) => (site.pages.get(slug)?, &self.0.patterns),
            PageAddress::Category(name) => (site.categories.get(name)?, &self.0.categories),
            PageAddress::LearningPath(slug) => (site.paths.get(slug)?, &self.0.paths),
        };
        // The router's trace layer logs under these targets: keep them, so a filter such as
        // `tower_http=debug` shows every request.
        let span = tracing::debug_span!(
            target: "tower_http::trace::make_span",
            "request",
            method = %request.method(),
            uri = %request.uri(),
            version = ?request.version(),
        );
        let _entered = span.enter();
        tracing::debug!(target: "tower_http::trace::on_request", "started processing request");
        let mut response = respond(document, StatusCode::OK, request.headers());
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, edition.csp.clone());
        security::add_fixed_headers(headers);
        let elapsed = started.elapsed();
        stats.record(response.status(), elapsed);
        tracing::debug!(
            target: "tower_http::trace::on_response",
            latency = ?elapsed,
            status = response.status().as_u16(),
            "finished processing request"
        );
        Some(response)
    }

    /// `path` without the site's sub-path, as [`strip_path_prefix`] rewrites it (a path
    /// not under the sub-path stays as it is).
    fn unprefixed<'a>(&self, path: &'a str) -> &'a str {
        let prefix = self.0.prefix.as_str();
        if prefix.is_empty() {
            return path;
        }
        match path.strip_prefix(prefix) {
            Some("") => "/",
            Some(rest) if rest.starts_with('/') => rest,
            _ => path,
        }
    }
}

impl<'a> PageAddress<'a> {
    /// The page `path` names, when it is one the router would match as it stands: a
    /// percent-encoded segment is decoded by the router's extractor, so it goes there.
    fn parse(path: &'a str) -> Option<Self> {
        if path == "/" {
            return Some(PageAddress::Home);
        }
        let (kind, segment) = path.strip_prefix('/')?.split_once('/')?;
        if segment.is_empty() || segment.contains(['/', '%']) {
            return None;
        }
        match kind {
            "patterns" => Some(PageAddress::Pattern(segment)),
            "categories" => Some(PageAddress::Category(segment)),
            "paths" => Some(PageAddress::LearningPath(segment)),
            _ => None,
        }
    }
}

/// A future boxed only for requests the router answers.
type Routed = Pin<Box<dyn Future<Output = Result<Response<ResponseBody>, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for FrontDoor {
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = Either<Ready<Result<Self::Response, Infallible>>, Routed>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        if let Some(response) = self.answer_page(&request) {
            return Either::Left(ready(Ok(response.map(ResponseBody::Page))));
        }
        let request = strip_path_prefix(request.map(Body::new), &self.0.prefix);
        let router = self.0.router.clone();
        Either::Right(Box::pin(async move {
            let response = router.oneshot(request).await?;
            Ok(response.map(ResponseBody::Routed))
        }))
    }
}

/// A response body: a page's bytes, whole, or whatever the router made.
pub enum ResponseBody {
    /// `None` once sent, or for a 304.
    Page(Option<Bytes>),
    Routed(Body),
}

impl HttpBody for ResponseBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.get_mut() {
            ResponseBody::Page(bytes) => {
                Poll::Ready(bytes.take().map(|bytes| Ok(Frame::data(bytes))))
            }
            ResponseBody::Routed(body) => Pin::new(body).poll_frame(context),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ResponseBody::Page(bytes) => bytes.is_none(),
            ResponseBody::Routed(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ResponseBody::Page(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |bytes| bytes.len() as u64))
            }
            ResponseBody::Routed(body) => body.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(path: &str) -> Option<(&'static str, &str)> {
        PageAddress::parse(path).map(|address| match address {
            PageAddress::Home => ("home", ""),
            PageAddress::Pattern(slug) => ("pattern", slug),
            PageAddress::Category(name) => ("category", name),
            PageAddress::LearningPath(slug) => ("path", slug),
        })
    }

    #[test]
    fn only_addresses_the_router_matches_as_they_stand_are_pages() {
        assert_eq!(parsed("/"), Some(("home", "")));
        assert_eq!(
            parsed("/patterns/cache-aside"),
            Some(("pattern", "cache-aside"))
        );
        assert_eq!(parsed("/categories/caching"), Some(("category", "caching")));
        assert_eq!(parsed("/paths/reliability"), Some(("path", "reliability")));
        for other in [
            "",
            "//",
            "/patterns",
            "/patterns/",
            "/patterns/cache-aside/",
            "/patterns/a/b",
            "/patterns/cache%2Daside",
            "/search",
            "/pkg/cairn.css",
            "/Patterns/cache-aside",
        ] {
            assert_eq!(parsed(other), None, "{other}");
        }
    }
}
