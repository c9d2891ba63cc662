//! Email + password sign-in, when the deployment enables it (`auth.password_sign_in`). Off, every
//! route here answers 404 and nothing is stored.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use palisade_auth::password_hash;
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::passwords;
use palisade_core::sign_in::sessions::{self, ClientKind, Origin, SignedIn};
use secrecy::SecretString;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session_start::{
    sign_in_failed, signed_in_response, user_agent, BrowserSignedIn, ClientType, TokenPair,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, Caller, ClientIp, RequestId};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    #[schema(max_length = 320, format = "email")]
    pub email: String,
    #[schema(value_type = String)]
    pub password: SecretString,
    #[serde(default)]
    pub client: ClientType,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// 12 to 128 characters; nothing else is required.
    #[schema(value_type = String)]
    pub password: SecretString,
}

fn require_enabled(state: &AppState) -> Result<(), ApiError> {
    if state.sessions.password_sign_in {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "password_sign_in_disabled",
            "password sign-in is not enabled on this server; sign in with an email link",
        ))
    }
}

fn hashing_failed() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "an internal error occurred",
    )
}

/// Sign in with email and password. A wrong password and an unknown address get the same answer.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordSignIn,
    responses((status = 200, body = BrowserSignedIn), (status = 200, body = TokenPair), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PasswordSignIn>,
) -> ApiResult<Response> {
    let kind = match input.client {
        ClientType::Browser => ClientKind::Browser,
        ClientType::Api => ClientKind::Api,
    };
    let secret = OpaqueSecret::generate();
    let signed_in = authenticate(
        &state,
        correlation,
        ip,
        &headers,
        (&input.email, input.password),
        kind,
        &secret,
    )
    .await?;
    signed_in_response(&state, signed_in, kind, secret)
}

/// Checks an address and password and starts a session for them (the API's and the sign-in page's
/// alike): a wrong password and an unknown address fail alike (401), and each failure is counted.
pub(crate) async fn authenticate(
    state: &AppState,
    correlation: palisade_db::CorrelationId,
    ip: ClientIp,
    headers: &HeaderMap,
    (email, presented): (&str, SecretString),
    kind: ClientKind,
    secret: &OpaqueSecret,
) -> ApiResult<SignedIn> {
    require_enabled(state)?;
    let email = sessions::email(email)?;
    state.sign_in_limits.sign_in_from(ip.0).await?;
    state.sign_in_limits.password_for(email.as_str()).await?;
    let origin = Origin {
        user_agent: user_agent(headers),
        client_ip: ip.0,
    };
    let db = state.db.correlated(correlation);
    let mut tx = db.auth().await?;
    let stored = passwords::stored_for(&mut tx, &email).await?;
    let (user, hash) = match stored {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let checked = hash.clone();
    let ok = tokio::task::spawn_blocking(move || password_hash::verify(&presented, checked.as_deref()))
        .await
        .map_err(|_| hashing_failed())?;
    let (user, hash) = match (ok, user, hash) {
        (true, Some(user), Some(hash)) => (user, hash),
        (_, user, _) => {
            passwords::failed(&mut tx, user, &origin).await?;
            tx.commit().await?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "sign_in_failed",
                "the email address or the password is wrong",
            ));
        }
    };
    let now = state.clock.now();
    let signed_in = passwords::sign_in(
        &mut tx,
        user,
        &hash,
        kind,
        &secret.hash(),
        now,
        state.sessions.absolute,
        &origin,
    )
    .await
    .map_err(|e| match e {
        palisade_core::CoreError::NotFound => sign_in_failed(),
        other => other.into(),
    })?;
    tx.commit().await?;
    Ok(signed_in)
}

/// Set or change your password (needs a sign-in or factor check within 10 minutes).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])), request_body = NewPassword,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewPassword>,
) -> ApiResult<StatusCode> {
    set_password(&state, &caller, input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks and stores the caller's new password (the API's and the security page's alike).
pub(crate) async fn set_password(state: &AppState, caller: &Caller, secret: SecretString) -> ApiResult<()> {
    require_enabled(state)?;
    password_hash::check(&secret)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "weak_password", e.to_string()))?;
    let hash = tokio::task::spawn_blocking(move || password_hash::hash(&secret))
        .await
        .map_err(|_| hashing_failed())?
        .map_err(|_| hashing_failed())?;
    let mut tx = caller.tx().await?;
    passwords::set(&mut tx, &hash, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Remove your password (needs a sign-in or factor check within 10 minutes).
#[utoipa::path(delete, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    require_enabled(&state)?;
    let mut tx = caller.tx().await?;
    passwords::remove(&mut tx, state.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(set, remove))
}
