//! Deleting one's own account.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use palisade_auth::browser_session::SESSION_COOKIE;
use palisade_core::privacy::account::{self, AccountDeleted};
use palisade_core::CoreError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::cross_site;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Caller;
use crate::state::AppState;

/// Delete your account. Needs a session with a sign-in (or second-factor check) in the last ten
/// minutes (`403 reauthentication_required`), and is refused while you are the last admin of a tenant
/// (`409 last_admin`: make someone else admin first). Deleted: your drafts, coaching, voice samples
/// and voice-drafting opt-ins, your numbers and brief settings, the messages sent to you as a member,
/// your invitations, passwords, second factors, sign-in identities and every session (this one too).
/// Kept in each tenant, under your user id with no email or name: what you did there (leads, deals,
/// notes, messages you sent, audit events); your memberships end. The content of the audit events of
/// your account and of invitations to your address is blanked. The answer
/// counts the rows per table. Operator tokens have no session: `403 no_session`.
#[utoipa::path(delete, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = AccountDeleted), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.session()?;
    let mut tx = caller.tx().await?;
    let deleted =
        account::delete(&mut tx, state.clock.now())
            .await
            .map_err(|e| {
                match e {
        CoreError::Refused { code: "reauthentication_required", .. } => CoreError::Refused {
            code: "reauthentication_required",
            message: "sign in again, or verify your second factor (POST /api/v1/auth/mfa), within the last \
                      10 minutes to delete your account",
        },
        other => other,
    }
            })?;
    tx.commit().await?;
    let mut response = Json(deleted).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(SESSION_COOKIE));
    Ok(response)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(delete))
}
