//! `/files/...`: images and other files from a team's content folder.
//!
//! Only files found when the folder was loaded, of an allowed type, are served: the
//! request path is looked up in that list, never joined onto the disk path, so `..`,
//! encoded slashes or absolute paths cannot reach anything else.

use super::AppState;
use crate::catalogue::source::asset_type;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// SVG can carry script: served as an image it cannot run, and this policy makes sure it
/// cannot if opened directly either.
const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

pub async fn team_file(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let edition = state.0.live.current();
    let (Some(disk_path), Some(media_type)) = (edition.files.get(&path), asset_type(&path)) else {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    };
    match tokio::fs::read(disk_path).await {
        Ok(bytes) => {
            let mut response = (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                ],
                bytes,
            )
                .into_response();
            if media_type == "image/svg+xml" {
                response.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(SVG_POLICY),
                );
            }
            response
        }
        // Deleted since the last load: the next reload will drop it from the list.
        Err(_) => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}
