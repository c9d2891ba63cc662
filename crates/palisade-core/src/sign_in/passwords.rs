//! Password credentials (migration 0012). Hashes are made and checked by the server (Argon2id);
//! the database stores them, opens sessions and logs failures.
use chrono::{DateTime, Utc};
use palisade_db::{Email, Tx, UserId};
use tracing::instrument;

use super::sessions::{ClientKind, Origin, SignedIn};
use crate::CoreError;

/// Sets the caller's password hash (user context, recently authenticated session).
#[instrument(skip_all, err(level = "debug"))]
pub async fn set(tx: &mut Tx, hash: &str, now: DateTime<Utc>) -> Result<(), CoreError> {
    tx.execute("select auth.set_password($1, $2)", &[&hash, &now])
        .await?;
    Ok(())
}

#[instrument(skip_all, err(level = "debug"))]
pub async fn remove(tx: &mut Tx, now: DateTime<Utc>) -> Result<(), CoreError> {
    tx.execute("select auth.remove_password($1)", &[&now]).await?;
    Ok(())
}

/// The person and stored hash for an address (app_auth); `None` for an unknown, disabled or
/// password-less address.
#[instrument(skip_all, err(level = "debug"))]
pub async fn stored_for(tx: &mut Tx, email: &Email) -> Result<Option<(UserId, String)>, CoreError> {
    let row = tx
        .query_opt(
            "select user_id, hash from auth.password_for($1)",
            &[&email.as_str()],
        )
        .await?;
    row.map(|r| Ok((UserId::from_uuid(r.try_get("user_id")?), r.try_get("hash")?)))
        .transpose()
}

/// Opens a session for a person whose password the server verified (app_auth).
#[instrument(skip_all, err(level = "debug"))]
#[allow(clippy::too_many_arguments)]
pub async fn sign_in(
    tx: &mut Tx,
    user: UserId,
    verified_hash: &str,
    kind: ClientKind,
    secret_hash: &[u8; 32],
    now: DateTime<Utc>,
    lifetime: std::time::Duration,
    origin: &Origin,
) -> Result<SignedIn, CoreError> {
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    let row = tx
        .query_one(
            "select auth.password_sign_in($1, $2, $3, $4, $5, $6::bigint * interval '1 second', $7, $8) \
             as session_id",
            &[
                user.as_uuid(),
                &verified_hash,
                &kind.as_str(),
                &secret_hash.as_slice(),
                &now,
                &lifetime,
                &origin.user_agent,
                &origin.client_ip,
            ],
        )
        .await?;
    Ok(SignedIn {
        user_id: user,
        session_id: row.try_get("session_id")?,
    })
}

/// Logs a failed attempt (app_auth); `user` is `None` for an unknown address.
pub async fn failed(tx: &mut Tx, user: Option<UserId>, origin: &Origin) -> Result<(), CoreError> {
    tx.execute(
        "select auth.password_sign_in_failed($1, $2)",
        &[&user.map(|u| *u.as_uuid()), &origin.client_ip],
    )
    .await?;
    Ok(())
}
