//! The HTTP layer's error: what went wrong, as the status and message a client sees.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The client asked for something that is not there or not valid.
    #[error("{message}")]
    Client { status: StatusCode, message: String },
    /// Cairn failed; the details go to the log, not to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::Client {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::Internal(message.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Client { status, message } => (status, message).into_response(),
            AppError::Internal(message) => {
                tracing::error!(%message, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Cairn could not answer this request; the server log has the details.",
                )
                    .into_response()
            }
        }
    }
}
