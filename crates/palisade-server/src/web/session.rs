//! Who is using a page: the browser session cookie, checked by the database with the first
//! statement exactly as for the API. Forms prove they came from one of our pages with the session's
//! CSRF token in a hidden `csrf` field and an allowed `Origin`.
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderMap, Method};
use palisade_auth::browser_session::{BrowserSession, SESSION_COOKIE};
use palisade_db::{TenantId, Tx};
use serde::de::DeserializeOwned;

use super::error::PageError;
use crate::cross_site;
use crate::extract::{Caller, RequestId};
use crate::state::AppState;

/// A signed-in person in a browser (not yet checked against the database: the first statement of
/// every transaction does that).
pub struct Visitor {
    caller: Caller,
    /// The token this session's forms carry.
    pub csrf: String,
}

impl Visitor {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// A user-context transaction in `tenant`; a tenant the visitor is not an active member of
    /// fails on the first statement (and pages answer it as not found).
    pub async fn tx_in(&self, tenant: TenantId) -> Result<Tx, PageError> {
        Ok(self.caller.tx_in(tenant).await?)
    }

    /// A user-context transaction in no tenant (the tenant list, the person's own records).
    pub async fn tx(&self) -> Result<Tx, PageError> {
        Ok(self.caller.tx().await?)
    }

    fn from_headers(
        headers: &HeaderMap,
        state: &AppState,
        correlation: palisade_db::CorrelationId,
    ) -> Option<Self> {
        let cookie = cross_site::cookie(headers, SESSION_COOKIE).and_then(|v| BrowserSession::decode(&v))?;
        let csrf = state.csrf.token_for(&cookie);
        Some(Self {
            caller: Caller::browser(state, cookie, correlation),
            csrf,
        })
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    /// Pages only: a handler that changes something takes a [`FormPost`], which checks the form's
    /// token, so a `Visitor` on a POST route is refused rather than left unchecked.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            return Err(PageError::StaleForm);
        }
        Self::from_parts(parts, state).await
    }
}

impl Visitor {
    async fn from_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let RequestId(correlation) = RequestId::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        Self::from_headers(&parts.headers, state, correlation).ok_or(PageError::SignIn)
    }
}

/// A page's query string, read into `T`; a malformed one is a page saying so (not a bare 400).
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(Self)
            .map_err(|_| PageError::BadRequest("the address has a part this page does not understand".into()))
    }
}

/// A form with no fields but its token (sign out, show a number).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// A posted form (`application/x-www-form-urlencoded`) from a signed-in visitor, its CSRF token
/// checked and removed; the other fields are deserialised into `T`.
pub struct FormPost<T> {
    pub visitor: Visitor,
    pub form: T,
}

/// The form's fields without the token, as posted (the pages redisplay what was typed).
fn split_token(body: &[u8]) -> Option<(String, Vec<(String, String)>)> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let mut token = None;
    let mut rest = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        if k == "csrf" {
            token = Some(v);
        } else {
            rest.push((k, v));
        }
    }
    Some((token?, rest))
}

/// A download that is also a write (each export is access-logged) must come from one of our pages:
/// an allowed origin (when sent) and `Sec-Fetch-Site: same-origin`. A browser that says nothing is
/// refused too, so a link on another site cannot start an export.
pub fn from_our_page(headers: &HeaderMap, state: &AppState, refusal: &str) -> Result<(), PageError> {
    cross_site::check_origin(headers, &state.origins)?;
    let same_origin = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == "same-origin");
    if same_origin {
        Ok(())
    } else {
        Err(PageError::Forbidden(refusal.to_owned()))
    }
}

pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

impl<T: DeserializeOwned> FromRequest<AppState> for FormPost<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let visitor = Visitor::from_parts(&mut parts, state).await?;
        if !is_form(&parts.headers) {
            return Err(PageError::BadRequest("pages post forms".into()));
        }
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| PageError::BadRequest("the form is too large or was cut short".into()))?;
        let (token, fields) = split_token(&body).ok_or(PageError::StaleForm)?;
        let cookie = visitor.caller.browser_session().ok_or(PageError::SignIn)?;
        cross_site::check_form_csrf(&parts.headers, cookie, &state.csrf, &state.origins, &token)?;
        let encoded = serde_urlencoded::to_string(&fields)
            .map_err(|_| PageError::BadRequest("the form could not be read".into()))?;
        let form = serde_urlencoded::from_str(&encoded)
            .map_err(|_| PageError::BadRequest("the form has fields this page does not know".into()))?;
        Ok(Self { visitor, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_taken_out_and_the_rest_kept() {
        let (token, rest) = split_token(b"body=Hi+there&csrf=abc&channel=note").unwrap();
        assert_eq!(token, "abc");
        assert_eq!(
            rest,
            vec![
                ("body".into(), "Hi there".into()),
                ("channel".into(), "note".into())
            ]
        );
        assert!(
            split_token(b"body=x").is_none(),
            "a form without a token is refused"
        );
    }
}
