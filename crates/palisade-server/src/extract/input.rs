//! JSON bodies, path and query parameters with our error format: wrong content type 415, oversized 413,
//! malformed JSON 400, well-formed but wrong shape (unknown fields included) 422, bad ids 400.
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{scrub_serde_message, ApiError};
use crate::state::AppState;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "request body must be application/json",
            ));
        }
        let limit = state.body_limit;
        let bytes = axum::body::to_bytes(Body::new(req.into_body()), limit)
            .await
            .map_err(|e| {
                let inner = e.into_inner();
                let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&*inner);
                let mut too_large = false;
                while let Some(err) = source {
                    too_large |= err.is::<http_body_util::LengthLimitError>();
                    source = err.source();
                }
                if too_large {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("request body exceeds {limit} bytes"),
                    )
                } else {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "body_unreadable",
                        "the request body could not be read",
                    )
                }
            })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => {
                // Trailing garbage after the JSON value is malformed input too.
                de.end().map_err(|_| malformed())?;
                Ok(Self(value))
            }
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    return Err(malformed());
                }
                let message = scrub_serde_message(&inner.to_string());
                let message = if path == "." {
                    message
                } else {
                    format!("{path}: {message}")
                };
                Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_body",
                    message,
                ))
            }
        }
    }
}

fn malformed() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "malformed_json",
        "request body is not valid JSON",
    )
}

pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| Self(v))
            .map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_path",
                    "a path parameter is not a valid id",
                )
            })
    }
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str::<T>(query).map(Self).map_err(|err| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                scrub_serde_message(&err.to_string()),
            )
        })
    }
}
