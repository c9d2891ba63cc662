//! Sign-in with an OpenID Connect identity (migration 0013). The server verifies the ID token; the
//! database finds or links the person for (issuer, subject) and opens the session.
use std::time::Duration;

use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::sessions::{ClientKind, Origin, SignedIn};
use crate::{validate, CoreError};

/// The identity a verified ID token asserts.
#[derive(Clone)]
pub struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    /// The address, when the token carries one that is well-formed.
    pub email: Option<String>,
    /// Whether the provider asserts it verified that address (`email_verified`; absent is false).
    pub email_verified: bool,
    pub name: Option<String>,
}

impl std::fmt::Debug for VerifiedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedIdentity")
            .field("issuer", &self.issuer)
            .field("email_verified", &self.email_verified)
            .finish_non_exhaustive()
    }
}

impl VerifiedIdentity {
    /// Builds one from token claims; a malformed address counts as no address, and so does one with
    /// non-ASCII characters: case folding of those depends on the database's locale, and an
    /// internationalised look-alike must never fold onto someone else's address.
    pub fn new(
        issuer: String,
        subject: String,
        email: Option<&str>,
        email_verified: Option<bool>,
        name: Option<String>,
    ) -> Self {
        Self {
            issuer,
            subject,
            email: email
                .filter(|e| e.is_ascii())
                .and_then(|e| validate::email(e).ok())
                .map(palisade_db::Email::into_string),
            email_verified: email_verified.unwrap_or(false),
            name,
        }
    }
}

/// What signing in with an identity did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OidcOutcome {
    /// Signed in; `linked` when this sign-in connected the identity to the person by address (the
    /// person is told).
    SignedIn { signed_in: SignedIn, linked: bool },
    /// A new identity from a provider not trusted to link by address: connect it from a session.
    NotLinked,
    /// The person is disabled.
    Disabled,
    /// A new identity without a provider-verified address: never linked, never a new person.
    EmailNotVerified,
    /// A verified address with no person, no pending invitation, and sign-up closed.
    NoAccount,
}

/// Signs in the identity of a verified ID token (app_auth context).
#[instrument(skip_all, err(level = "debug"))]
#[allow(clippy::too_many_arguments)]
pub async fn sign_in(
    tx: &mut Tx,
    identity: &VerifiedIdentity,
    link_by_email: bool,
    open_signup: bool,
    kind: ClientKind,
    secret_hash: &[u8; 32],
    now: DateTime<Utc>,
    lifetime: Duration,
    origin: &Origin,
) -> Result<OidcOutcome, CoreError> {
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    let row = tx
        .query_one(
            "select outcome, user_id, session_id, coalesce(linked, false) as linked \
             from auth.oidc_sign_in($1, $2, $3, $4, \
             $5, $6, $7, $8, $9, $10, $11::bigint * interval '1 second', $12, $13)",
            &[
                &identity.issuer,
                &identity.subject,
                &identity.email,
                &identity.email_verified,
                &link_by_email,
                &identity.name,
                &open_signup,
                &kind.as_str(),
                &secret_hash.as_slice(),
                &now,
                &lifetime,
                &origin.user_agent,
                &origin.client_ip,
            ],
        )
        .await?;
    let outcome: String = row.try_get("outcome")?;
    Ok(match outcome.as_str() {
        "ok" => OidcOutcome::SignedIn {
            signed_in: SignedIn::from_row(&row)?,
            linked: row.try_get("linked")?,
        },
        "not_linked" => OidcOutcome::NotLinked,
        "disabled" => OidcOutcome::Disabled,
        "email_not_verified" => OidcOutcome::EmailNotVerified,
        _ => OidcOutcome::NoAccount,
    })
}

/// Why the server refused a sign-in before it had an identity (the access log's vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowFailure {
    /// No flow cookie, an expired flow, or a `state` that does not match it.
    InvalidState,
    /// The provider sent the browser back with an error (the person cancelled, or the provider refused).
    ProviderError,
    /// The token endpoint refused the code or could not be reached.
    TokenExchangeFailed,
    /// The ID token failed a check: issuer, audience, signature, expiry or nonce.
    InvalidIdToken,
}

impl FlowFailure {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidState => "invalid_state",
            Self::ProviderError => "provider_error",
            Self::TokenExchangeFailed => "token_exchange_failed",
            Self::InvalidIdToken => "invalid_id_token",
        }
    }
}

/// Records a refused sign-in in the access log (app_auth context).
pub async fn failed(tx: &mut Tx, reason: FlowFailure, origin: &Origin) -> Result<(), CoreError> {
    tx.execute(
        "select auth.oidc_sign_in_failed($1, $2)",
        &[&reason.as_str(), &origin.client_ip],
    )
    .await?;
    Ok(())
}

/// What connecting an identity to the signed-in person did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Connected; the person's address, to tell them.
    Linked {
        account_email: String,
    },
    AlreadyLinked,
    /// The identity belongs to someone else.
    Taken,
}

/// Connects a verified identity to the caller (user context in a session authenticated within ten
/// minutes; `Refused`/`reauthentication_required` otherwise).
#[instrument(skip_all, err(level = "debug"))]
pub async fn link(
    tx: &mut Tx,
    identity: &VerifiedIdentity,
    now: DateTime<Utc>,
) -> Result<LinkOutcome, CoreError> {
    let row = tx
        .query_one(
            "select outcome, account_email from auth.link_identity($1, $2, $3, $4)",
            &[&identity.issuer, &identity.subject, &identity.email, &now],
        )
        .await?;
    let outcome: String = row.try_get("outcome")?;
    Ok(match outcome.as_str() {
        "linked" => LinkOutcome::Linked {
            account_email: row.try_get("account_email")?,
        },
        "already_linked" => LinkOutcome::AlreadyLinked,
        _ => LinkOutcome::Taken,
    })
}

/// One of the caller's connected sign-in identities.
#[derive(Debug, Serialize, ToSchema)]
pub struct Identity {
    pub id: Uuid,
    pub issuer: String,
    /// The address the provider asserted at the last sign-in, if any.
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
}

impl FromRow for Identity {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            issuer: row.try_get("issuer")?,
            email: row.try_get("email")?,
            created_at: row.try_get("created_at")?,
            last_used_at: row.try_get("last_used_at")?,
        })
    }
}

/// The caller's identities, newest first (user context).
#[instrument(skip_all, err(level = "debug"))]
pub async fn list_mine(tx: &mut Tx) -> Result<Vec<Identity>, CoreError> {
    Ok(tx
        .query_as(
            "select id, issuer, email, created_at, last_used_at from auth.identities \
             where user_id = (select ctx.user_id()) order by created_at desc",
            &[],
        )
        .await?)
}

/// Removes one of the caller's identities (recently authenticated session; `NotFound` otherwise).
#[instrument(skip_all, err(level = "debug"))]
pub async fn unlink(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<(), CoreError> {
    tx.execute("select auth.unlink_identity($1, $2)", &[&id, &now])
        .await?;
    Ok(())
}
