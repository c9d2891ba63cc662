//! Sign-in state kept by the database (migration 0010): magic links, sessions and refresh-token
//! families. Secrets arrive here already hashed; times come from the server's clock.
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use palisade_db::{DbError, Email, FromRow, Row, Tx, UserId};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{validate, CoreError};

/// How the client that signs in holds its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// A cookie session (browsers).
    Browser,
    /// Short access tokens and a rotating refresh token (API clients).
    Api,
}

impl ClientKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Api => "api",
        }
    }
}

/// A new session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: UserId,
    pub session_id: Uuid,
}

/// The `user_id` and `session_id` columns the sign-in functions return.
impl FromRow for SignedIn {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            user_id: UserId::from_uuid(row.try_get("user_id")?),
            session_id: row.try_get("session_id")?,
        })
    }
}

/// Where a sign-in comes from, recorded with the session and its access events.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub user_agent: String,
    pub client_ip: Option<IpAddr>,
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Normalises the address a link is asked for (the same rules as invitations).
pub fn email(value: &str) -> Result<Email, CoreError> {
    validate::email(value)
}

/// Records a magic link for `email` (app_auth context). Returns whether one was recorded and
/// should be mailed: only for a known, enabled person, an invited address, or anyone when sign-up is
/// open. The client is answered alike either way.
#[instrument(skip_all, err(level = "debug"))]
pub async fn request_magic_link(
    tx: &mut Tx,
    email: &Email,
    token_hash: &[u8; 32],
    nonce_hash: &[u8; 32],
    now: DateTime<Utc>,
    valid_for: Duration,
    open_signup: bool,
) -> Result<bool, CoreError> {
    let row = tx
        .query_one(
            "select auth.request_magic_link($1, $2, $3, $4, $5::bigint * interval '1 second', $6) \
             as recorded",
            &[
                &email.as_str(),
                &token_hash.as_slice(),
                &nonce_hash.as_slice(),
                &now,
                &secs(valid_for),
                &open_signup,
            ],
        )
        .await?;
    Ok(row.try_get("recorded")?)
}

/// Consumes a magic link and opens a session (app_auth context). `secret_hash` is the new session's
/// cookie secret (browser) or first refresh token (API). `None`: the link is unknown, used, expired,
/// for another browser, or its person is disabled — one answer for all, and the database logged which.
#[instrument(skip_all, err(level = "debug"))]
#[allow(clippy::too_many_arguments)]
pub async fn consume_magic_link(
    tx: &mut Tx,
    token_hash: &[u8; 32],
    nonce_hash: &[u8; 32],
    kind: ClientKind,
    secret_hash: &[u8; 32],
    now: DateTime<Utc>,
    lifetime: Duration,
    origin: &Origin,
) -> Result<Option<SignedIn>, CoreError> {
    Ok(tx
        .query_opt_as(
            "select user_id, session_id from auth.consume_magic_link($1, $2, $3, $4, $5, \
             $6::bigint * interval '1 second', $7, $8)",
            &[
                &token_hash.as_slice(),
                &nonce_hash.as_slice(),
                &kind.as_str(),
                &secret_hash.as_slice(),
                &now,
                &secs(lifetime),
                &origin.user_agent,
                &origin.client_ip,
            ],
        )
        .await?)
}

/// What presenting a refresh token did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// The new refresh token is live; mint an access token for this session.
    Rotated(SignedIn),
    /// The token had been used before: the whole session (token family) is now ended.
    Reused,
    /// The session is over: ended, expired, idle too long, or its person disabled.
    Ended,
    /// No such token.
    Invalid,
}

/// Rotates a refresh token (app_auth context). Commit even when the answer is `Reused`: ending the
/// family is the point.
#[instrument(skip_all, err(level = "debug"))]
pub async fn refresh(
    tx: &mut Tx,
    token_hash: &[u8; 32],
    new_hash: &[u8; 32],
    now: DateTime<Utc>,
    idle: Duration,
    client_ip: Option<IpAddr>,
) -> Result<Refreshed, CoreError> {
    let row = tx
        .query_one(
            "select outcome, user_id, session_id from auth.refresh_session($1, $2, $3, \
             $4::bigint * interval '1 second', $5)",
            &[
                &token_hash.as_slice(),
                &new_hash.as_slice(),
                &now,
                &secs(idle),
                &client_ip,
            ],
        )
        .await?;
    let outcome: String = row.try_get("outcome")?;
    Ok(match outcome.as_str() {
        "ok" => Refreshed::Rotated(SignedIn::from_row(&row)?),
        "reused" => Refreshed::Reused,
        "ended" => Refreshed::Ended,
        _ => Refreshed::Invalid,
    })
}

/// One of your sessions, as `GET /api/v1/me/sessions` lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub id: Uuid,
    /// browser or api.
    pub kind: String,
    /// How you signed in: magic_link, oidc or password.
    pub method: String,
    /// The session this request came with.
    pub current: bool,
    pub mfa_verified: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: String,
    #[schema(value_type = Option<String>)]
    pub client_ip: Option<IpAddr>,
}

fn session_info(row: &Row, current: Option<Uuid>) -> Result<SessionInfo, CoreError> {
    let id: Uuid = row.try_get("id")?;
    Ok(SessionInfo {
        id,
        kind: row.try_get("kind")?,
        method: row.try_get("method")?,
        current: Some(id) == current,
        mfa_verified: row
            .try_get::<_, Option<DateTime<Utc>>>("mfa_verified_at")?
            .is_some(),
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
        user_agent: row.try_get("user_agent")?,
        client_ip: row.try_get("client_ip")?,
    })
}

/// Your live sessions, most recently used first (user context; the policy shows only your own).
#[instrument(skip_all, err(level = "debug"))]
pub async fn list_mine(
    tx: &mut Tx,
    user: UserId,
    current: Option<Uuid>,
    now: DateTime<Utc>,
    idle: Duration,
) -> Result<Vec<SessionInfo>, CoreError> {
    tx.query(
        "select id, kind, method, mfa_verified_at, created_at, last_seen_at, expires_at, user_agent, client_ip \
         from auth.sessions where user_id = $1 and ended_at is null and expires_at > $2 \
           and last_seen_at + $3::bigint * interval '1 second' > $2 \
         order by last_seen_at desc, id limit 200",
        &[user.as_uuid(), &now, &secs(idle)],
    )
    .await?
    .iter()
    .map(|r| session_info(r, current))
    .collect()
}

/// Ends one of your sessions (`Some(id)`; 404 if it is not yours or already over), or all of them
/// except `except`. Returns how many ended.
#[instrument(skip_all, err(level = "debug"))]
pub async fn end_mine(
    tx: &mut Tx,
    session: Option<Uuid>,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<i32, CoreError> {
    let row = tx
        .query_one(
            "select auth.end_my_sessions($1, $2, $3) as ended",
            &[&session, &except, &now],
        )
        .await?;
    let n: i32 = row.try_get("ended")?;
    if session.is_some() && n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(n)
}

/// Ends the session a credential proves, live or waiting for its second factor (app_auth context).
/// Returns whether one ended; `false` when it was already over or the credential is wrong.
#[instrument(skip_all, err(level = "debug"))]
pub async fn sign_out(
    tx: &mut Tx,
    session: Uuid,
    user: UserId,
    secret_hash: Option<[u8; 32]>,
    now: DateTime<Utc>,
) -> Result<bool, CoreError> {
    let hash = secret_hash.as_ref().map(|h| h.as_slice());
    let row = tx
        .query_one(
            "select auth.sign_out($1, $2, $3, $4) as ended",
            &[&session, user.as_uuid(), &hash, &now],
        )
        .await?;
    Ok(row.try_get("ended")?)
}

/// The state of the session a credential proves (app_auth context): `Some((active, expires_at))`
/// where `active` is false while it waits for its second factor; `None` when it is not live.
#[instrument(skip_all, err(level = "debug"))]
pub async fn state(
    tx: &mut Tx,
    session: Uuid,
    user: UserId,
    secret_hash: Option<[u8; 32]>,
    now: DateTime<Utc>,
    idle: Duration,
) -> Result<Option<(bool, DateTime<Utc>)>, CoreError> {
    let hash = secret_hash.as_ref().map(|h| h.as_slice());
    let row = tx
        .query_opt(
            "select state, expires_at from auth.session_state($1, $2, $3, $4, $5::bigint * interval '1 second')",
            &[&session, user.as_uuid(), &hash, &now, &secs(idle)],
        )
        .await?;
    row.map(|r| {
        Ok((
            r.try_get::<_, String>("state")? == "active",
            r.try_get("expires_at")?,
        ))
    })
    .transpose()
}
