//! `GET /.well-known/security.txt`, rendered once at start from `[security_txt]`.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Where to report a security vulnerability (RFC 9116), when the operator configured it.
#[utoipa::path(get, path = "/.well-known/security.txt", tag = "operations",
    responses((status = 200, description = "The security.txt file", content_type = "text/plain"),
              (status = 404, body = crate::error::ErrorBody, description = "Not configured")))]
pub async fn security_txt(State(state): State<AppState>) -> ApiResult<Response> {
    let body = state.security_txt.clone().ok_or_else(ApiError::not_found)?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.to_string(),
    )
        .into_response())
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(security_txt))
}
