//! Second factor state kept by the database (migration 0011): TOTP factors, recovery codes, the
//! sign-in check and the tenant's requirement. Secrets arrive sealed and codes hashed; the server
//! opens and checks them.
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

/// Where a person's TOTP secret is sealed: bound to their row, so it cannot be moved to another.
pub fn totp_binding(user: &[u8; 16]) -> palisade_crypto::Binding<'_> {
    palisade_crypto::Binding {
        table: "auth.totp_factors",
        column: "secret_sealed",
        tenant: None,
        row: user,
    }
}

/// What `GET /api/v1/me/mfa` shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaStatus {
    /// none, pending (enrolment not confirmed yet) or active.
    pub totp: &'static str,
    pub recovery_codes_left: i64,
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

fn hashes(list: &[[u8; 32]]) -> Vec<&[u8]> {
    list.iter().map(|h| h.as_slice()).collect()
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn status(tx: &mut Tx, user: UserId) -> Result<MfaStatus, CoreError> {
    let row = tx
        .query_one(
            "select (select confirmed_at is not null from auth.totp_factors where user_id = $1) \
                      as totp_confirmed, \
                    (select count(*) from auth.recovery_codes where user_id = $1 and used_at is null) \
                      as recovery_codes_left",
            &[user.as_uuid()],
        )
        .await?;
    let totp = match row.try_get::<_, Option<bool>>("totp_confirmed")? {
        None => "none",
        Some(false) => "pending",
        Some(true) => "active",
    };
    Ok(MfaStatus {
        totp,
        recovery_codes_left: row.try_get("recovery_codes_left")?,
    })
}

/// Stores a new, unconfirmed sealed secret (user context in a recently authenticated session).
#[instrument(skip_all, err(level = "debug"))]
pub async fn begin_totp(
    tx: &mut Tx,
    sealed: &[u8],
    key_id: &str,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    tx.execute("select auth.begin_totp($1, $2, $3)", &[&sealed, &key_id, &now])
        .await
        .map_err(|e| match e {
            DbError::Rule { code, .. } if code == "PA409" => CoreError::Conflict {
                code: "mfa_already_active",
                message: "a second factor is already set up; remove it first",
            },
            other => other.into(),
        })?;
    Ok(())
}

/// The caller's sealed secret, the last step accepted, and whether it is confirmed.
pub async fn my_totp(tx: &mut Tx) -> Result<Option<(Vec<u8>, i64, bool)>, CoreError> {
    let row = tx
        .query_opt(
            "select secret_sealed, last_used_step, confirmed from auth.my_totp()",
            &[],
        )
        .await?;
    row.map(|r| {
        Ok((
            r.try_get("secret_sealed")?,
            r.try_get("last_used_step")?,
            r.try_get("confirmed")?,
        ))
    })
    .transpose()
}

/// Confirms enrolment with the step of a correct code and stores the recovery codes' hashes.
#[instrument(skip_all, err(level = "debug"))]
pub async fn confirm_totp(
    tx: &mut Tx,
    step: i64,
    recovery_hashes: &[[u8; 32]],
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    tx.execute(
        "select auth.confirm_totp($1, $2, $3)",
        &[&step, &hashes(recovery_hashes), &now],
    )
    .await?;
    Ok(())
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn remove_totp(tx: &mut Tx, now: DateTime<Utc>) -> Result<(), CoreError> {
    tx.execute("select auth.remove_totp($1)", &[&now]).await?;
    Ok(())
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    recovery_hashes: &[[u8; 32]],
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    tx.execute(
        "select auth.replace_recovery_codes($1, $2)",
        &[&hashes(recovery_hashes), &now],
    )
    .await?;
    Ok(())
}

/// The session whose second factor is being checked (app_auth context).
#[derive(Clone, Copy, Debug)]
pub struct Challenge {
    pub session_id: Uuid,
    pub user_id: UserId,
    /// Browser sessions: the cookie secret's hash; API sessions: none (the access token proved it).
    pub secret_hash: Option<[u8; 32]>,
    pub now: DateTime<Utc>,
    pub idle: Duration,
}

/// What a session presenting a second factor has to match.
#[derive(Debug)]
pub enum Factor {
    /// The session is not live.
    SessionEnded,
    /// Its person has no active factor.
    None,
    /// The sealed TOTP secret and the last step accepted.
    Totp { sealed: Vec<u8>, last_step: i64 },
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn challenge(tx: &mut Tx, c: &Challenge) -> Result<Factor, CoreError> {
    let hash = c.secret_hash.as_ref().map(|h| h.as_slice());
    let row = tx
        .query_opt(
            "select secret_sealed, last_used_step from auth.mfa_challenge($1, $2, $3, $4, \
             $5::bigint * interval '1 second')",
            &[&c.session_id, c.user_id.as_uuid(), &hash, &c.now, &secs(c.idle)],
        )
        .await?;
    let Some(row) = row else {
        return Ok(Factor::SessionEnded);
    };
    let sealed: Option<Vec<u8>> = row.try_get("secret_sealed")?;
    let step: Option<i64> = row.try_get("last_used_step")?;
    Ok(match sealed.zip(step) {
        Some((sealed, last_step)) => Factor::Totp { sealed, last_step },
        None => Factor::None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verified {
    Ok,
    /// Wrong, reused or unknown code (counted against the session).
    Invalid,
    /// The session is over (or was just ended by the fifth failure).
    Ended,
}

/// Records the result of a second-factor check (app_auth context): the step of a correct code, the
/// hash of a recovery code, or neither for a wrong code. Commit whatever the answer.
#[instrument(skip_all, err(level = "debug"))]
pub async fn complete(
    tx: &mut Tx,
    c: &Challenge,
    step: Option<i64>,
    recovery_hash: Option<[u8; 32]>,
    client_ip: Option<IpAddr>,
) -> Result<Verified, CoreError> {
    let hash = c.secret_hash.as_ref().map(|h| h.as_slice());
    let recovery = recovery_hash.as_ref().map(|h| h.as_slice());
    let row = tx
        .query_one(
            "select auth.complete_mfa($1, $2, $3, $4, $5, $6, $7::bigint * interval '1 second', $8) \
             as outcome",
            &[
                &c.session_id,
                c.user_id.as_uuid(),
                &hash,
                &step,
                &recovery,
                &c.now,
                &secs(c.idle),
                &client_ip,
            ],
        )
        .await?;
    let outcome: String = row.try_get("outcome")?;
    Ok(match outcome.as_str() {
        "ok" => Verified::Ok,
        "invalid" => Verified::Invalid,
        _ => Verified::Ended,
    })
}

/// A tenant's sign-in rules (`GET/PUT /api/v1/settings/security`).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRules {
    /// Managers and admins must verify a second factor to act in the tenant.
    pub require_mfa: bool,
    /// The ways members may sign in: one or more of magic_link, oidc, password.
    pub sign_in_methods: Vec<String>,
    /// Members' email domains (lower case); empty admits any.
    pub email_domains: Vec<String>,
}

impl FromRow for SignInRules {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            require_mfa: row.try_get("require_mfa")?,
            sign_in_methods: row.try_get("sign_in_methods")?,
            email_domains: row.try_get("email_domains")?,
        })
    }
}

pub async fn sign_in_rules(tx: &mut Tx, tenant: TenantId) -> Result<SignInRules, CoreError> {
    Ok(tx
        .query_one_as(
            "select require_mfa, sign_in_methods, email_domains from app.tenants where id = $1",
            &[tenant.as_uuid()],
        )
        .await?)
}

/// Admins set the rules; the database refuses rules that would shut out the admin's own session.
#[instrument(skip_all, err(level = "debug"))]
pub async fn set_sign_in_rules(
    tx: &mut Tx,
    tenant: TenantId,
    rules: &SignInRules,
) -> Result<SignInRules, CoreError> {
    // Counted as sent (the database counts them once trimmed, lowered and de-duplicated), so the
    // published `maxItems` says the same.
    if rules.email_domains.len() > 50 {
        return Err(CoreError::invalid(
            "invalid_rules",
            "email_domains holds at most 50 domains",
        ));
    }
    tx.execute(
        "select app.set_sign_in_rules($1, $2, $3)",
        &[&rules.require_mfa, &rules.sign_in_methods, &rules.email_domains],
    )
    .await
    .map_err(|e| match e {
        DbError::Rule { code, .. } if code == "PA409" => CoreError::Conflict {
            code: "would_lock_you_out",
            message: "these rules would shut out your own session: verify a second factor first, keep the \
                      method you signed in with, and include your own email domain",
        },
        DbError::InvalidValue { .. } => CoreError::invalid(
            "invalid_rules",
            "sign_in_methods must be one or more of magic_link, oidc, password; email_domains look like example.com",
        ),
        other => other.into(),
    })?;
    sign_in_rules(tx, tenant).await
}
