//! Search over HTTP: the server-rendered `/search` page, the JSON `/api/search`, and
//! `/opensearch.xml`. All three use the same engine and the same validation.

use super::AppState;
use crate::live::Edition;
use crate::search::{SearchRequest, SearchResults};
use app::model::{Level, SearchHitView, SearchPage};
use app::render::render_search;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::atomic::Ordering;

/// Results per page on `/search`; the API's default `limit`.
const PAGE_SIZE: usize = 10;
/// Largest `limit` the API accepts.
const MAX_LIMIT: usize = 50;
/// Largest `offset` the API accepts (deep pages are never useful in a handbook).
const MAX_OFFSET: usize = 1_000;

type Params = Query<Vec<(String, String)>>;

/// Reads and checks the parameters shared by the page and the API.
fn request_from(
    edition: &Edition,
    params: &[(String, String)],
    paged: bool,
) -> Result<SearchRequest, String> {
    let value = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    };
    let index = &edition.search;
    let category = value("category").map(str::to_string);
    if let Some(category) = &category {
        if !index.has_category(category) {
            let known: Vec<&str> = edition
                .catalogue
                .categories()
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            return Err(format!(
                "unknown category `{category}`: use one of {}",
                known.join(", ")
            ));
        }
    }
    let tag = value("tag").map(str::to_string);
    if let Some(tag) = &tag {
        if !index.has_tag(tag) {
            return Err(format!(
                "unknown tag `{tag}`: tags are listed on each page, e.g. `cache`"
            ));
        }
    }
    let level = match value("level") {
        None => None,
        Some(text) => Some(Level::parse(text).ok_or_else(|| {
            format!("unknown level `{text}`: use intro, intermediate or advanced")
        })?),
    };
    let number = |name: &str, default: usize, min: usize, max: usize| -> Result<usize, String> {
        match value(name) {
            None => Ok(default),
            Some(text) => match text.parse::<usize>() {
                Ok(number) if (min..=max).contains(&number) => Ok(number),
                _ => Err(format!(
                    "`{name}={text}` is not valid: use a whole number from {min} to {max}"
                )),
            },
        }
    };
    let (limit, offset) = if paged {
        let page = number("page", 1, 1, MAX_OFFSET / PAGE_SIZE)?;
        (PAGE_SIZE, (page - 1) * PAGE_SIZE)
    } else {
        (
            number("limit", PAGE_SIZE, 1, MAX_LIMIT)?,
            number("offset", 0, 0, MAX_OFFSET)?,
        )
    };
    Ok(SearchRequest {
        text: value("q").unwrap_or_default().to_string(),
        category,
        tag,
        level,
        limit,
        offset,
    })
}

/// `GET /api/search`: JSON results, or 400 with `{"error": "..."}`.
pub async fn api(
    State(state): State<AppState>,
    params: Result<Params, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return api_error("the query string is not valid URL encoding");
    };
    let edition = state.0.live.current();
    match request_from(&edition, &params, false) {
        Ok(request) => {
            state
                .0
                .metrics
                .search_queries
                .fetch_add(1, Ordering::Relaxed);
            Json(edition.search.search(&request)).into_response()
        }
        Err(message) => api_error(&message),
    }
}

fn api_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

/// `GET /search`: the results page, rendered on the server.
pub async fn page(
    State(state): State<AppState>,
    params: Result<Params, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(params)| params).unwrap_or_default();
    let edition = state.0.live.current();
    let categories: Vec<(String, String)> = edition
        .catalogue
        .categories()
        .iter()
        .map(|category| (category.name.clone(), category.title.clone()))
        .collect();
    let (status, model) = match request_from(&edition, &params, true) {
        Ok(request) => {
            state
                .0
                .metrics
                .search_queries
                .fetch_add(1, Ordering::Relaxed);
            let results = edition.search.search(&request);
            (
                StatusCode::OK,
                page_model(&edition, &request, results, categories),
            )
        }
        Err(message) => {
            let query = params
                .iter()
                .find(|(key, _)| key == "q")
                .map(|(_, value)| value.clone())
                .unwrap_or_default();
            let model = SearchPage {
                query,
                categories,
                page: 1,
                error: Some(message),
                ..SearchPage::default()
            };
            (StatusCode::BAD_REQUEST, model)
        }
    };
    let html = render_search(&state.0.site_info, &model);
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response()
}

fn page_model(
    edition: &Edition,
    request: &SearchRequest,
    results: SearchResults,
    categories: Vec<(String, String)>,
) -> SearchPage {
    let titles = edition.catalogue.category_titles();
    let hits = results
        .hits
        .into_iter()
        .map(|hit| SearchHitView {
            category_title: titles.get(&hit.category).cloned().unwrap_or(hit.category),
            title: hit.title,
            section: hit.section,
            url: hit.url,
            snippet_html: hit.snippet,
        })
        .collect();
    SearchPage {
        query: request.text.clone(),
        category: request.category.clone(),
        tag: request.tag.clone(),
        level: request.level,
        hits,
        total: results.total,
        page: request.offset / PAGE_SIZE + 1,
        pages: results.total.div_ceil(PAGE_SIZE),
        suggestions: results.suggestions,
        relaxed: results.relaxed,
        categories,
        error: None,
    }
}

/// `GET /opensearch.xml`: lets a browser add the handbook as a search engine.
pub async fn opensearch(State(state): State<AppState>) -> Response {
    let site = &state.0.site_info;
    let title = html_escape::encode_text(&site.title);
    let base = html_escape::encode_double_quoted_attribute(&site.base_url);
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>{title}</ShortName>
  <Description>Search the {title} system-design handbook</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image width="32" height="32" type="image/svg+xml">{base}{icon}</Image>
  <Url type="text/html" method="get" template="{base}/search?q={{searchTerms}}"/>
  <Url type="application/json" method="get" template="{base}/api/search?q={{searchTerms}}"/>
</OpenSearchDescription>
"#,
        icon = site.icon_href,
    );
    (
        [(
            header::CONTENT_TYPE,
            "application/opensearchdescription+xml; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
