//! The stylesheet, the script and the icon, compiled into the binary (no CDN, no build step). Browsers
//! revalidate them with their ETag, so a new release is picked up at once and an unchanged file
//! costs a 304.
use std::sync::LazyLock;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

use crate::state::AppState;

struct Asset {
    body: &'static str,
    content_type: &'static str,
    etag: HeaderValue,
}

fn asset(body: &'static str, content_type: &'static str) -> Asset {
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"{}\"", hex::encode(&digest[..12]));
    Asset {
        body,
        content_type,
        etag: HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
    }
}

static CSS: LazyLock<Asset> =
    LazyLock::new(|| asset(include_str!("../../assets/app.css"), "text/css; charset=utf-8"));
static JS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        include_str!("../../assets/app.js"),
        "text/javascript; charset=utf-8",
    )
});

fn serve(asset: &Asset, headers: &HeaderMap) -> Response {
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == asset.etag.as_bytes());
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, asset.etag.clone());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

static ICON: LazyLock<Asset> =
    LazyLock::new(|| asset(include_str!("../../assets/icon.svg"), "image/svg+xml"));

async fn css(headers: HeaderMap) -> Response {
    serve(&CSS, &headers)
}

async fn js(headers: HeaderMap) -> Response {
    serve(&JS, &headers)
}

async fn icon(headers: HeaderMap) -> Response {
    serve(&ICON, &headers)
}

/// The routes this file answers (pages, not API: outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
        .route("/assets/icon.svg", get(icon))
}
