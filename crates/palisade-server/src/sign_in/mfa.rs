//! The second factor: TOTP enrolment, confirmation and removal, recovery codes, verifying a session,
//! and the tenant's requirement for managers and admins.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use palisade_auth::totp::{self, TotpSecret};
use palisade_core::sign_in::mfa::{self, Challenge, Factor, MfaStatus, SignInRules, Verified};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson, Caller, ClientIp};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// Import into an authenticator app (or scan `qr_svg`).
    pub otpauth_uri: String,
    /// The same secret in base32, for typing in.
    pub secret: String,
    /// The URI as a QR code (SVG).
    pub qr_svg: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// The 6-digit code the authenticator app shows.
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Shown once: each works once in place of a code. Store them somewhere safe.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaProof {
    /// A code from the authenticator app…
    #[serde(default)]
    pub code: Option<String>,
    /// …or one of the recovery codes.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MfaVerified {
    pub status: &'static str,
}

fn open_secret(state: &AppState, caller: &Caller, sealed: &[u8]) -> Result<TotpSecret, ApiError> {
    let user = *caller.user_id().as_uuid().as_bytes();
    state
        .keyring
        .open(sealed, &palisade_core::sign_in::mfa::totp_binding(&user))
        .map(TotpSecret::from_bytes)
        .map_err(|e| {
            // Names a missing key id at most; never key material or the secret.
            tracing::error!(error = %e, "a TOTP secret could not be opened");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "an internal error occurred",
            )
        })
}

fn invalid_code() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_code",
        "the code is wrong, expired or already used; try the next one",
    )
}

/// Your second factor: none, pending or active, and how many recovery codes are left.
#[utoipa::path(get, path = "/api/v1/me/mfa", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MfaStatus), (status = 401, body = ErrorBody)))]
pub async fn status(caller: Caller) -> ApiResult<Json<MfaStatus>> {
    let mut tx = caller.tx().await?;
    let status = mfa::status(&mut tx, caller.user_id()).await?;
    tx.commit().await?;
    Ok(Json(status))
}

/// Start setting up an authenticator app (needs a sign-in or factor check within 10 minutes).
/// Confirm with a code to activate it.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp", tag = "auth", security(("bearer" = [])),
    responses((status = 201, body = TotpEnrolment), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn begin(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<TotpEnrolment>)> {
    Ok((StatusCode::CREATED, Json(start_totp(&state, &caller).await?)))
}

/// A new authenticator secret, sealed and stored as pending for the caller (the API's and the
/// pages' enrolment alike).
pub(crate) async fn start_totp(state: &AppState, caller: &Caller) -> ApiResult<TotpEnrolment> {
    caller.session()?;
    let secret = TotpSecret::generate();
    let user = *caller.user_id().as_uuid().as_bytes();
    let sealed = state
        .keyring
        .seal(secret.bytes(), &palisade_core::sign_in::mfa::totp_binding(&user));
    let mut tx = caller.tx().await?;
    let email: String = tx
        .query_one(
            "select email from app.users where id = $1",
            &[caller.user_id().as_uuid()],
        )
        .await?
        .try_get("email")
        .map_err(palisade_db::DbError::from)?;
    mfa::begin_totp(
        &mut tx,
        &sealed,
        state.keyring.active_id().as_str(),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    let (otpauth_uri, qr_svg) = secret.enrolment(&email).map_err(|e| {
        tracing::error!(error = %e, "the enrolment QR code could not be drawn");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred",
        )
    })?;
    Ok(TotpEnrolment {
        otpauth_uri,
        secret: secret.base32(),
        qr_svg,
    })
}

/// Activate the authenticator app with a current code. Returns ten recovery codes, shown once.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/confirm", tag = "auth", security(("bearer" = [])),
    request_body = TotpCode,
    responses((status = 200, body = RecoveryCodes), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TotpCode>,
) -> ApiResult<Json<RecoveryCodes>> {
    let recovery_codes = confirm_totp(&state, &caller, &input.code).await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

/// Activates the caller's pending authenticator with a current code; the new recovery codes.
pub(crate) async fn confirm_totp(state: &AppState, caller: &Caller, code: &str) -> ApiResult<Vec<String>> {
    caller.session()?;
    state.sign_in_limits.mfa_for(caller.user_id().as_uuid()).await?;
    let now = state.clock.now();
    let mut tx = caller.tx().await?;
    let Some((sealed, last_step, false)) = mfa::my_totp(&mut tx).await? else {
        return Err(ApiError::not_found());
    };
    let secret = open_secret(state, caller, &sealed)?;
    let step = secret
        .verify(code, now)
        .filter(|s| *s > last_step)
        .ok_or_else(invalid_code)?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<[u8; 32]> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    mfa::confirm_totp(&mut tx, step, &hashes, now).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Remove the authenticator app and recovery codes (needs a factor check within 10 minutes).
#[utoipa::path(delete, path = "/api/v1/me/mfa/totp", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    remove_totp(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the caller's app and codes (the API's and the pages' alike).
pub(crate) async fn remove_totp(state: &AppState, caller: &Caller) -> ApiResult<()> {
    caller.session()?;
    let mut tx = caller.tx().await?;
    mfa::remove_totp(&mut tx, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// New recovery codes replacing the old ones (needs a factor check within 10 minutes).
#[utoipa::path(post, path = "/api/v1/me/mfa/recovery-codes", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn replace_recovery_codes(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<RecoveryCodes>> {
    let codes = replace_codes(&state, &caller).await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// New recovery codes for the caller, replacing the old (the API's and the pages' alike).
pub(crate) async fn replace_codes(state: &AppState, caller: &Caller) -> ApiResult<Vec<String>> {
    caller.session()?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<[u8; 32]> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = caller.tx().await?;
    mfa::replace_recovery_codes(&mut tx, &hashes, state.clock.now()).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Verify this session's second factor: after signing in (the session does nothing until then), or
/// again before changing factors. Five wrong codes end the session.
#[utoipa::path(post, path = "/api/v1/auth/mfa", tag = "auth", security(("bearer" = [])), request_body = MfaProof,
    responses((status = 200, body = MfaVerified), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    ip: ClientIp,
    caller: Caller,
    ApiJson(input): ApiJson<MfaProof>,
) -> ApiResult<Json<MfaVerified>> {
    verify_proof(&state, &caller, ip, &input).await?;
    Ok(Json(MfaVerified { status: "verified" }))
}

/// Checks a code (or a recovery code) for the caller's session, the API's and the pages' alike: `Ok`
/// once verified; a wrong code is recorded, and five end the session.
pub(crate) async fn verify_proof(
    state: &AppState,
    caller: &Caller,
    ip: ClientIp,
    input: &MfaProof,
) -> ApiResult<()> {
    let session = caller.session()?;
    if input.code.is_some() == input.recovery_code.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_proof",
            "send either `code` or `recovery_code`",
        ));
    }
    state.sign_in_limits.sign_in_from(ip.0).await?;
    state.sign_in_limits.mfa_for(caller.user_id().as_uuid()).await?;
    let challenge = Challenge {
        session_id: session.session_id,
        user_id: caller.user_id(),
        secret_hash: session.secret_hash,
        now: state.clock.now(),
        idle: state.sessions.idle,
    };
    let db = state.db.correlated(caller.correlation_id());
    let mut tx = db.auth().await?;
    let (sealed, last_step) = match mfa::challenge(&mut tx, &challenge).await? {
        Factor::SessionEnded => return Err(palisade_core::CoreError::SessionEnded.into()),
        Factor::None => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "mfa_not_active",
                "you have no second factor to verify; set one up under /api/v1/me/mfa/totp",
            ))
        }
        Factor::Totp { sealed, last_step } => (sealed, last_step),
    };
    let (step, recovery) = match (&input.code, &input.recovery_code) {
        (Some(code), _) => {
            let secret = open_secret(state, caller, &sealed)?;
            (
                secret.verify(code, challenge.now).filter(|s| *s > last_step),
                None,
            )
        }
        (None, Some(code)) => (None, Some(totp::recovery_code_hash(code))),
        (None, None) => (None, None),
    };
    // A wrong code is recorded too (neither a step nor a recovery code): five end the session.
    let outcome = mfa::complete(&mut tx, &challenge, step, recovery, ip.0).await?;
    tx.commit().await?;
    match outcome {
        Verified::Ok => Ok(()),
        Verified::Invalid => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "mfa_failed",
            "the code is wrong, expired or already used",
        )),
        Verified::Ended => Err(palisade_core::CoreError::SessionEnded.into()),
    }
}

/// This tenant's sign-in rules (admins).
#[utoipa::path(get, path = "/api/v1/settings/security", tag = "members", security(("bearer" = [])),
    responses((status = 200, body = SignInRules), (status = 403, body = ErrorBody)))]
pub async fn get_security(admin: Admin) -> ApiResult<Json<SignInRules>> {
    let mut tx = admin.begin().await?;
    let rules = mfa::sign_in_rules(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(rules))
}

/// Set this tenant's sign-in rules (admins): a second factor for managers and admins, the allowed
/// sign-in methods, the members' email domains. Members whose session breaks them are refused in the
/// tenant from their next request. Rules that would shut out your own session are refused (409).
#[utoipa::path(put, path = "/api/v1/settings/security", tag = "members", security(("bearer" = [])),
    request_body = SignInRules,
    responses((status = 200, body = SignInRules), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn set_security(
    admin: Admin,
    ApiJson(input): ApiJson<SignInRules>,
) -> ApiResult<Json<SignInRules>> {
    let mut tx = admin.begin().await?;
    let rules = mfa::set_sign_in_rules(&mut tx, admin.tenant(), &input).await?;
    tx.commit().await?;
    Ok(Json(rules))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(begin, remove))
        .routes(routes!(confirm))
        .routes(routes!(replace_recovery_codes))
        .routes(routes!(verify))
        .routes(routes!(get_security, set_security))
}
