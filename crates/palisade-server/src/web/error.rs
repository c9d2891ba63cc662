//! How a page answers a failure: a signed-out visitor goes to the sign-in page, anything another
//! tenant holds (or the visitor may not know exists) is "not found", and nothing internal is shown.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use palisade_auth::browser_session::SESSION_COOKIE;
use palisade_core::CoreError;

use super::page::{message, render_app};
use crate::cross_site;
use crate::error::ApiError;

/// A workspace that refuses the session, with the ways out.
#[derive(askama::Template)]
#[template(path = "blocked.html")]
struct Blocked {
    why: &'static str,
}

#[derive(Debug)]
pub enum PageError {
    /// No session, or one that ended: sign in (again).
    SignIn,
    /// Signed in, waiting for the second factor: the code page (the cookie stays).
    SecondFactor,
    /// The workspace refuses this session (an admin signed the person out of it, or its rules):
    /// say why, and offer the way out (sign out, or another workspace).
    Blocked(&'static str),
    NotFound,
    Forbidden(String),
    /// "Not found", saying what it most likely means (a form sent twice): still a 404, so it tells
    /// nothing about records of others.
    NotFoundBecause(&'static str),
    /// A form that is out of date or came from another site.
    StaleForm,
    BadRequest(String),
    /// Another refusal, with the status the API gives it (409, 413, 422...).
    Refused(StatusCode, String),
    Limited(Option<u64>),
    /// Busy with the same work for this workspace (an export streaming): try again after the seconds.
    Busy(Option<u64>),
    /// The database or a provider could not be reached: nothing was decided.
    Unavailable,
    /// A fault of ours (logged with the request id); the outcome of a write is unknown.
    Internal,
}

pub type PageResult<T = Response> = Result<T, PageError>;

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match (e.status, e.code) {
            (StatusCode::UNAUTHORIZED, "mfa_pending") => Self::SecondFactor,
            (StatusCode::UNAUTHORIZED, _) => Self::SignIn,
            // Not a member of the tenant in the address: the same answer as a tenant that does not
            // exist, so an address reveals nothing.
            (StatusCode::NOT_FOUND, _) | (StatusCode::FORBIDDEN, "not_a_member") => Self::NotFound,
            (StatusCode::FORBIDDEN, "csrf_rejected") => Self::StaleForm,
            (StatusCode::FORBIDDEN, "signed_out_of_tenant") => Self::Blocked(
                "An admin of this workspace signed you out of it. Sign out, then sign in again to continue.",
            ),
            (StatusCode::FORBIDDEN, "sign_in_method_not_allowed") => Self::Blocked(
                "This workspace does not accept the way you signed in. Sign out, then sign in with a method it allows.",
            ),
            (StatusCode::FORBIDDEN, "mfa_required") => Self::Blocked(
                "This workspace asks managers and admins to use a second factor (an authenticator app). Set one \
                 up under My account (/me/security), then sign in again.",
            ),
            (StatusCode::FORBIDDEN, _) => Self::Forbidden(e.message),
            // Not "wait a moment": the month has to end, or an admin raise the budget.
            (StatusCode::TOO_MANY_REQUESTS, "ai_budget_exhausted") => Self::Refused(e.status, e.message),
            (StatusCode::TOO_MANY_REQUESTS, _) => Self::Limited(e.retry_after),
            // The language model refused, answered nonsense or too late: nothing was saved, and the
            // person may try again.
            (StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT, code) if code.starts_with("ai_") => {
                Self::Refused(e.status, e.message)
            }
            (StatusCode::SERVICE_UNAVAILABLE, "exports_busy") => Self::Busy(e.retry_after),
            (StatusCode::SERVICE_UNAVAILABLE, _) => {
                tracing::warn!(code = e.code, "a page could not reach the database or a provider");
                Self::Unavailable
            }
            (s, _) if s.is_client_error() => Self::Refused(s, e.message),
            // The code only (as the API logs its 5xx): never the message, which may quote input.
            _ => {
                tracing::error!(code = e.code, status = e.status.as_u16(), "a page failed");
                Self::Internal
            }
        }
    }
}

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<palisade_db::DbError> for PageError {
    fn from(e: palisade_db::DbError) -> Self {
        ApiError::from(e).into()
    }
}

/// A page's keyset cursor from its address ("" for the first page); anything else is a broken link.
pub fn cursor(text: &str) -> Result<Option<uuid::Uuid>, PageError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| PageError::BadRequest("the page link is broken".into()))
}

/// An id in a page's address; anything else is "not found" (as an id of another tenant's record).
pub fn path_id(text: &str) -> Result<uuid::Uuid, PageError> {
    text.parse().map_err(|_| PageError::NotFound)
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn => {
                let mut response = Redirect::to("/sign-in").into_response();
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, cross_site::clear_cookie(SESSION_COOKIE));
                response
            }
            Self::SecondFactor => Redirect::to("/sign-in/mfa").into_response(),
            Self::Blocked(why) => render_app(StatusCode::FORBIDDEN, &Blocked { why }),
            Self::NotFound => message(
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here, or it is not yours to see.",
            ),
            Self::Forbidden(why) => message(StatusCode::FORBIDDEN, "Not allowed", &why),
            Self::NotFoundBecause(why) => message(StatusCode::NOT_FOUND, "Not found", why),
            Self::StaleForm => message(
                StatusCode::FORBIDDEN,
                "This form is out of date",
                "Go back, reload the page and try again.",
            ),
            Self::BadRequest(why) => message(StatusCode::BAD_REQUEST, "That did not work", &why),
            Self::Refused(status, why) => message(status, "That did not work", &why),
            Self::Limited(retry_after) => retrying(
                message(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many requests",
                    "Wait a moment, then try again.",
                ),
                retry_after,
            ),
            Self::Busy(retry_after) => retrying(
                message(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Another download is running",
                    "This workspace's export is already streaming a file (or the server is busy with others). \
                     Nothing was started: try again in a few seconds.",
                ),
                retry_after,
            ),
            Self::Unavailable => message(
                StatusCode::SERVICE_UNAVAILABLE,
                "Palisade is unavailable",
                "Nothing was changed. Please try again in a moment.",
            ),
            Self::Internal => message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "We could not finish this, and it may not have been saved. Reload the page to see where things are.",
            ),
        }
    }
}

fn retrying(mut response: Response, retry_after: Option<u64>) -> Response {
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_export_is_a_503_page_that_says_when_to_try_again() {
        let busy =
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "exports_busy", "busy").with_retry_after(10);
        let response = PageError::from(busy).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "10");
        let down = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "down");
        let response = PageError::from(down).into_response();
        assert!(response.headers().get(header::RETRY_AFTER).is_none());
    }
}
