//! What a browser may send across sites: session and nonce cookies, the origins allowed to send cookie-authenticated
//! writes (CSRF), and the CORS allowlist.
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use cookie::{Cookie, SameSite};
use palisade_auth::browser_session::{BrowserSession, CsrfKey, CSRF_HEADER};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;

/// `scheme://host[:port]` of a URL or origin, lower-cased, without a trailing slash or path; `None`
/// unless the scheme is http or https.
pub fn parse_origin(value: &str) -> Option<String> {
    let (scheme, rest) = value.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') || authority.chars().any(|c| c.is_whitespace()) {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// The origins whose pages may act with a session cookie: this server's own and the configured ones.
#[derive(Clone, Debug)]
pub struct Origins(Vec<String>);

impl Origins {
    pub fn new(public_url: &str, cors: &[String]) -> Self {
        Self(
            std::iter::once(public_url)
                .chain(cors.iter().map(String::as_str))
                .filter_map(parse_origin)
                .collect(),
        )
    }

    fn allows(&self, origin: &str) -> bool {
        parse_origin(origin).is_some_and(|o| self.0.contains(&o))
    }

    /// CORS for the configured origins only (credentials allowed, so never `*`). A request from any
    /// other origin gets no `Access-Control-Allow-*` headers, and the browser withholds the response.
    pub fn cors_layer(&self, cors: &[String]) -> CorsLayer {
        let allowed: Vec<HeaderValue> = cors
            .iter()
            .filter_map(|o| parse_origin(o))
            .filter_map(|o| HeaderValue::from_str(&o).ok())
            .collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_credentials(true)
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::HeaderName::from_static(CSRF_HEADER),
                header::HeaderName::from_static("x-request-id"),
                header::HeaderName::from_static(crate::extract::TENANT_HEADER),
            ])
            .expose_headers([
                header::RETRY_AFTER,
                header::HeaderName::from_static("x-next-cursor"),
                header::HeaderName::from_static("x-request-id"),
            ])
            .max_age(std::time::Duration::from_secs(600))
    }
}

/// The value of a cookie in the request (the first one of that name).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `__Host-` cookie: Secure, HttpOnly, path `/`, no domain. Browsers accept Secure cookies from
/// http://localhost, so development works without TLS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, same_site: SameSite) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(same_site)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(name: &str) -> HeaderValue {
    set_cookie(name, "", 0, SameSite::Lax)
}

fn csrf_refused(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "csrf_rejected", message)
}

/// A state-changing request authenticated by the session cookie must come from an allowed origin
/// (`Origin`, else `Sec-Fetch-Site`) and carry the session's CSRF token in `X-CSRF-Token`.
pub fn check_csrf(
    method: &Method,
    headers: &HeaderMap,
    session: &BrowserSession,
    key: &CsrfKey,
    origins: &Origins,
) -> Result<(), ApiError> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    check_origin(headers, origins)?;
    let token = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !key.verify(session, token) {
        return Err(csrf_refused(
            "the X-CSRF-Token header is missing or wrong (GET /api/v1/auth/session returns it)",
        ));
    }
    Ok(())
}

/// A form posted by a page: the same origin rule, and the session's CSRF token in the form's
/// `csrf` field (a form cannot send headers).
pub fn check_form_csrf(
    headers: &HeaderMap,
    session: &BrowserSession,
    key: &CsrfKey,
    origins: &Origins,
    presented: &str,
) -> Result<(), ApiError> {
    check_origin(headers, origins)?;
    if !key.verify(session, presented) {
        return Err(csrf_refused(
            "the form is out of date: reload the page and try again",
        ));
    }
    Ok(())
}

/// A form posted without a session (the sign-in page's) still comes from an allowed origin, so
/// another site cannot start a sign-in in this browser.
pub fn check_origin(headers: &HeaderMap, origins: &Origins) -> Result<(), ApiError> {
    match headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("")) {
        Some(origin) if !origins.allows(origin) => {
            return Err(csrf_refused("this origin may not act with a session cookie"));
        }
        Some(_) => {}
        None => {
            let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
            if site.is_some_and(|s| s != "same-origin" && s != "none") {
                return Err(csrf_refused(
                    "cross-site requests may not act with a session cookie",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        assert_eq!(
            parse_origin("HTTPS://App.Example.com/path?q").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        for bad in [
            "",
            "app.example.com",
            "ftp://x.y",
            "https://",
            "https://u@evil.com",
            "null",
        ] {
            assert!(parse_origin(bad).is_none(), "{bad}");
        }
        let o = Origins::new("http://127.0.0.1:8080", &["https://app.example.com".into()]);
        assert!(o.allows("https://app.example.com"));
        assert!(o.allows("http://127.0.0.1:8080"));
        assert!(!o.allows("https://evil.example.com"));
        assert!(!o.allows("https://app.example.com.evil.com"));
        assert!(!o.allows("null"));
    }

    #[test]
    fn cookies_are_host_prefixed_shape() {
        let v = set_cookie("__Host-x", "abc", 60, SameSite::Lax);
        let v = v.to_str().unwrap();
        for part in [
            "__Host-x=abc",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=60",
        ] {
            assert!(v.contains(part), "{v}");
        }
        assert!(!v.contains("Domain"));
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; __Host-x=abc; b=2"));
        assert_eq!(cookie(&h, "__Host-x").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
