//! JSON bodies with our error format: wrong content type 415, oversized 413, malformed JSON 400,
//! well-formed but wrong shape (unknown fields included) 422.
//!
//! JSON Schema counts `2.0` as the integer 2, so a client that writes integers that way sends a
//! request the published schema admits; serde does not. A body refused for its shape is read once
//! more with every whole-number float turned into an integer, and accepted when that fixes it.
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{scrub_serde_message, ApiError};
use crate::state::AppState;

mod whole_numbers;

/// A JSON body of at most `server.body_limit_bytes`.
pub struct ApiJson<T>(pub T);

/// A JSON body of at most [`LARGE_BODY_LIMIT`] bytes (or the configured limit, when that is
/// larger): for the inputs whose documented maximum can be longer than the general limit (a
/// knowledge document of 200,000 characters, a transcript of 100,000, escaped at up to six bytes
/// each). Handlers take it after their caller is authenticated, so no anonymous request can make
/// the server read this much.
pub struct LargeJson<T>(pub T);

pub const LARGE_BODY_LIMIT: usize = 2 * 1024 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        read(req, state.body_limit).await.map(Self)
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for LargeJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        read(req, state.body_limit.max(LARGE_BODY_LIMIT)).await.map(Self)
    }
}

async fn read<T: DeserializeOwned>(req: Request, limit: usize) -> Result<T, ApiError> {
    if !is_json(&req) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "request body must be application/json",
        ));
    }
    let bytes = axum::body::to_bytes(Body::new(req.into_body()), limit)
        .await
        .map_err(|e| unreadable(e, limit))?;
    // Every body is an object. serde would also read a struct from an array of its fields in
    // order (`[null, "x"]`), a form the document does not offer.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            Ok(_) => invalid("the body must be a JSON object".to_owned()),
            Err(_) => malformed(),
        });
    }
    match parse::<T>(&bytes) {
        Ok(value) => Ok(value),
        Err(Refusal::Malformed) => Err(malformed()),
        Err(Refusal::Shape(first)) => match whole_numbers::normalized(&bytes) {
            Some(Ok(value)) => from_value(value).map_err(|_| first),
            Some(Err(duplicate)) => Err(invalid(duplicate)),
            None => Err(first),
        },
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

fn unreadable(e: axum::Error, limit: usize) -> ApiError {
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
}

enum Refusal {
    Malformed,
    Shape(ApiError),
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Refusal> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        // Trailing garbage after the JSON value is malformed input too.
        Ok(value) => de.end().map(|()| value).map_err(|_| Refusal::Malformed),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(Refusal::Malformed);
            }
            Err(Refusal::Shape(shape_error(&path, &inner.to_string())))
        }
    }
}

fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ()> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|_| ())
}

fn shape_error(path: &str, message: &str) -> ApiError {
    let message = scrub_serde_message(message);
    invalid(if path == "." {
        message
    } else {
        format!("{path}: {message}")
    })
}

fn invalid(message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", message)
}

fn malformed() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "malformed_json",
        "request body is not valid JSON",
    )
}
