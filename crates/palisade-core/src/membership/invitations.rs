//! Invitations: an admin invites an email address with a role; the invited person accepts with the
//! single-use token from the email while signed in as that address. Only a SHA-256 hash of the token is
//! stored (migration 0009), and the database compares it.
use base64::Engine;
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, TenantRole, Tx};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{validate, CoreError};

/// How long an invitation stays valid.
pub const VALID_FOR_DAYS: i32 = 7;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    #[schema(max_length = 320, format = "email")]
    pub email: String,
    #[schema(value_type = String)]
    pub role: TenantRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
    /// pending, accepted, revoked or expired.
    pub status: String,
    pub accepted_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The secret half of a new invitation: goes into the email, never into storage or logs.
pub struct InvitationToken(String);

impl InvitationToken {
    fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for InvitationToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvitationToken(<redacted>)")
    }
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

const COLUMNS: &str = "id, email, role, invited_by, expires_at, \
    case when accepted_at is not null then 'accepted' when revoked_at is not null then 'revoked' \
         when expires_at <= now() then 'expired' else 'pending' end as status, accepted_by, created_at";

impl FromRow for Invitation {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            role: row.try_get("role")?,
            invited_by: row.try_get("invited_by")?,
            expires_at: row.try_get("expires_at")?,
            status: row.try_get("status")?,
            accepted_by: row.try_get("accepted_by")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Admins only (the database checks). Returns the invitation and the token to send.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    input: &NewInvitation,
) -> Result<(Invitation, InvitationToken), CoreError> {
    let email = validate::email(&input.email)?;
    let token = InvitationToken::generate();
    let row = tx
        .query_one(
            "select app.create_invitation($1, $2, $3, make_interval(days => $4)) as id",
            &[
                &email.as_str(),
                &input.role.as_str(),
                &hash(token.expose()),
                &VALID_FOR_DAYS,
            ],
        )
        .await
        .map_err(|e| match CoreError::from(e) {
            CoreError::Conflict { .. } => CoreError::Conflict {
                code: "already_member",
                message: "this person is already a member of this tenant (active or suspended)",
            },
            other => other,
        })?;
    let id: Uuid = row.try_get("id")?;
    Ok((get(tx, tenant, id).await?, token))
}

pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Invitation, CoreError> {
    let sql = format!("select {COLUMNS} from app.invitations where tenant_id = $1 and id = $2");
    Ok(tx.query_one_as(&sql, &[tenant.as_uuid(), &id]).await?)
}

/// Newest first, at most 200 (admins; others see none).
pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Invitation>, CoreError> {
    let sql = format!(
        "select {COLUMNS} from app.invitations where tenant_id = $1 order by created_at desc, id limit 200"
    );
    Ok(tx.query_as(&sql, &[tenant.as_uuid()]).await?)
}

/// A page of invitations, newest first, below the invitation `before` (admins; others see none).
pub async fn page(
    tx: &mut Tx,
    tenant: TenantId,
    before: Option<Uuid>,
    limit: i64,
) -> Result<crate::page::Page<Invitation>, CoreError> {
    let limit = crate::page::page_limit(Some(limit))?;
    let sql = format!(
        "select {COLUMNS} from app.invitations where tenant_id = $1 \
           and ($2::uuid is null or (created_at, id) < \
             (select b.created_at, b.id from app.invitations b where b.tenant_id = $1 and b.id = $2)) \
         order by created_at desc, id desc limit $3"
    );
    let items: Vec<Invitation> = tx
        .query_as(&sql, &[tenant.as_uuid(), &before, &(limit + 1)])
        .await?;
    Ok(crate::page::Page::from_overfetch(items, limit, |i| i.id))
}

/// Revokes a pending invitation (admins). Used, revoked or unknown ones are 404.
pub async fn revoke(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<(), CoreError> {
    let n = tx
        .execute(
            "update app.invitations set revoked_at = now() \
             where tenant_id = $1 and id = $2 and accepted_at is null and revoked_at is null",
            &[tenant.as_uuid(), &id],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// Accepts as the signed-in user (a user transaction without tenant). Unknown, used, revoked, expired
/// and someone else's tokens all fail the same way. Returns the tenant joined.
#[instrument(skip_all, err(level = "debug"))]
pub async fn accept(tx: &mut Tx, token: &str) -> Result<TenantId, CoreError> {
    if token.is_empty() || token.len() > 200 {
        return Err(CoreError::NotFound);
    }
    let row = tx
        .query_one("select app.accept_invitation($1) as tenant_id", &[&hash(token)])
        .await?;
    Ok(TenantId::from_uuid(row.try_get("tenant_id")?))
}
