//! A tenant's HubSpot connection. Admins connect (an OAuth grant or a private app's token), change
//! what is written back, and disconnect, in their own context; they never read the tokens. The
//! sync opens the tokens through `app.crm_tokens()` (each read access-logged) and stores refreshed
//! ones with the row locked, so two workers never refresh at once.
use chrono::{DateTime, Utc};
use palisade_crypto::{Binding, Keyring};
use palisade_db::{Row, TenantId, Tx, UserId};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::CoreError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Oauth,
    PrivateApp,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Oauth => "oauth",
            Self::PrivateApp => "private_app",
        }
    }
}

/// What admins see of a connection: never a token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Connection {
    #[schema(value_type = String)]
    pub kind: String,
    /// The HubSpot account (hub id).
    pub portal_id: i64,
    pub hub_domain: Option<String>,
    pub scopes: Vec<String>,
    /// The last four characters of the access token (a private app's) or refresh token (OAuth).
    pub last_four: String,
    pub access_expires_at: Option<DateTime<Utc>>,
    /// `active`, or `failed` when HubSpot refused the refresh token (connect again).
    pub status: String,
    pub failure: Option<String>,
    /// Deals and marked interactions go to HubSpot.
    pub write_back: bool,
    /// An erasure in Palisade also erases the HubSpot contact (GDPR delete).
    pub gdpr_delete: bool,
    pub connected_by: Option<uuid::Uuid>,
    pub connected_at: DateTime<Utc>,
    pub refreshed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "kind, portal_id, hub_domain, scopes, last_four, access_expires_at, status, failure, \
                       write_back, gdpr_delete, connected_by, connected_at, refreshed_at";

fn connection(row: &Row) -> Result<Connection, CoreError> {
    Ok(Connection {
        kind: row.try_get("kind")?,
        portal_id: row.try_get("portal_id")?,
        hub_domain: row.try_get("hub_domain")?,
        scopes: row.try_get("scopes")?,
        last_four: row.try_get("last_four")?,
        access_expires_at: row.try_get("access_expires_at")?,
        status: row.try_get("status")?,
        failure: row.try_get("failure")?,
        write_back: row.try_get("write_back")?,
        gdpr_delete: row.try_get("gdpr_delete")?,
        connected_by: row.try_get("connected_by")?,
        connected_at: row.try_get("connected_at")?,
        refreshed_at: row.try_get("refreshed_at")?,
    })
}

/// A connection's tokens, open. `Debug` leaves them out.
pub struct Tokens {
    pub access: SecretString,
    pub refresh: Option<SecretString>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("refresh", &self.refresh.is_some())
            .finish_non_exhaustive()
    }
}

/// Tokens sealed for one tenant's connection.
pub struct SealedTokens {
    sealed: Vec<u8>,
    key_id: String,
    last_four: String,
}

fn binding(tenant: TenantId) -> Binding<'static> {
    Binding {
        table: "app.crm_connections",
        column: "tokens_sealed",
        tenant: Some(*tenant.as_uuid().as_bytes()),
        row: b"hubspot",
    }
}

/// Seals a token pair for the tenant. The shown last four are the refresh token's when there is one
/// (it identifies the grant; the access token changes every half hour).
pub fn seal(keyring: &Keyring, tenant: TenantId, tokens: &Tokens) -> Result<SealedTokens, CoreError> {
    let plain = serde_json::json!({
        "access": tokens.access.expose_secret(),
        "refresh": tokens.refresh.as_ref().map(|r| r.expose_secret()),
    });
    let bytes = Zeroizing::new(
        serde_json::to_vec(&plain).map_err(|_| CoreError::Sealed("tokens could not be encoded".into()))?,
    );
    let shown = tokens.refresh.as_ref().unwrap_or(&tokens.access).expose_secret();
    let last_four: String = shown
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Ok(SealedTokens {
        sealed: keyring.seal(&bytes, &binding(tenant)),
        key_id: keyring.active_id().as_str().to_owned(),
        last_four,
    })
}

fn open(keyring: &Keyring, tenant: TenantId, sealed: &[u8]) -> Result<Tokens, CoreError> {
    #[derive(Deserialize)]
    struct Plain {
        access: String,
        refresh: Option<String>,
    }
    let bytes = keyring
        .open(sealed, &binding(tenant))
        .map_err(|e| CoreError::Sealed(e.to_string()))?;
    let plain: Plain = serde_json::from_slice(&bytes)
        .map_err(|_| CoreError::Sealed("the CRM tokens are not readable".into()))?;
    Ok(Tokens {
        access: SecretString::from(plain.access),
        refresh: plain.refresh.map(SecretString::from),
    })
}

/// What connecting records (the account the tokens belong to, as HubSpot said).
#[derive(Debug)]
pub struct NewConnection<'a> {
    pub kind: Kind,
    pub portal_id: i64,
    pub hub_domain: Option<&'a str>,
    pub scopes: &'a [String],
    pub access_expires_at: Option<DateTime<Utc>>,
}

/// Connects (or reconnects) the tenant's HubSpot account, in an admin's context.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn save(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    new: &NewConnection<'_>,
    sealed: SealedTokens,
) -> Result<Connection, CoreError> {
    let hub_domain = new.hub_domain.filter(|d| (1..=253).contains(&d.len()));
    let scopes: Vec<&str> = new.scopes.iter().map(String::as_str).take(100).collect();
    // The update names its values again rather than reading `excluded`: reading a column there
    // needs the right to read it, and nobody may read the sealed tokens.
    let row = tx
        .query_one(
            &format!(
                "insert into app.crm_connections (tenant_id, kind, portal_id, hub_domain, scopes, tokens_sealed, \
                   key_id, last_four, access_expires_at, connected_by) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 on conflict (tenant_id) do update set kind = $2, portal_id = $3, hub_domain = $4, scopes = $5, \
                   tokens_sealed = $6, key_id = $7, last_four = $8, access_expires_at = $9, status = 'active', \
                   failure = null, connected_by = $10, connected_at = now(), refreshed_at = null \
                 returning {COLUMNS}"
            ),
            &[
                tenant.as_uuid(),
                &new.kind.as_str(),
                &new.portal_id,
                &hub_domain,
                &scopes,
                &sealed.sealed,
                &sealed.key_id,
                &sealed.last_four,
                &new.access_expires_at,
                caller.as_uuid(),
            ],
        )
        .await?;
    connection(&row)
}

/// The tenant's connection (admins; the sync, webhooks and erasures read it too).
pub async fn get(tx: &mut Tx, tenant: TenantId) -> Result<Option<Connection>, CoreError> {
    let row = tx
        .query_opt(
            &format!("select {COLUMNS} from app.crm_connections where tenant_id = $1"),
            &[tenant.as_uuid()],
        )
        .await?;
    row.as_ref().map(connection).transpose()
}

/// What an admin may change without connecting again.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionPatch {
    pub write_back: Option<bool>,
    pub gdpr_delete: Option<bool>,
}

pub async fn update(tx: &mut Tx, tenant: TenantId, patch: &ConnectionPatch) -> Result<Connection, CoreError> {
    let row = tx
        .query_opt(
            &format!(
                "update app.crm_connections set write_back = coalesce($2, write_back), \
                   gdpr_delete = coalesce($3, gdpr_delete) where tenant_id = $1 returning {COLUMNS}"
            ),
            &[tenant.as_uuid(), &patch.write_back, &patch.gdpr_delete],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    connection(&row)
}

/// Disconnects (admins). The sync's state stays, so reconnecting the same account resumes.
pub async fn delete(tx: &mut Tx, tenant: TenantId) -> Result<(), CoreError> {
    let n = tx
        .execute(
            "delete from app.crm_connections where tenant_id = $1",
            &[tenant.as_uuid()],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// Locks the connection row for the rest of the transaction (the sync's single-flight refresh) and
/// opens its tokens; `None` when not connected or failed.
pub async fn lock_and_open(
    tx: &mut Tx,
    keyring: &Keyring,
    tenant: TenantId,
) -> Result<Option<(Connection, Tokens)>, CoreError> {
    let row = tx
        .query_opt(
            &format!("select {COLUMNS} from app.crm_connections where tenant_id = $1 and status = 'active' for update"),
            &[tenant.as_uuid()],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let conn = connection(&row)?;
    let Some(sealed) = tx
        .query_opt("select tokens_sealed from app.crm_tokens()", &[])
        .await?
    else {
        return Ok(None);
    };
    let tokens = open(keyring, tenant, &sealed.try_get::<_, Vec<u8>>("tokens_sealed")?)?;
    Ok(Some((conn, tokens)))
}

/// Stores refreshed tokens (the sync, the row locked by [`lock_and_open`]).
pub async fn store_refreshed(
    tx: &mut Tx,
    tenant: TenantId,
    sealed: SealedTokens,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), CoreError> {
    tx.execute(
        "update app.crm_connections set tokens_sealed = $2, key_id = $3, last_four = $4, \
           access_expires_at = $5, refreshed_at = now() where tenant_id = $1",
        &[
            tenant.as_uuid(),
            &sealed.sealed,
            &sealed.key_id,
            &sealed.last_four,
            &expires_at,
        ],
    )
    .await?;
    Ok(())
}

/// Marks the connection failed: HubSpot refused its refresh token, and only connecting again helps.
pub async fn mark_failed(tx: &mut Tx, tenant: TenantId, failure: &'static str) -> Result<(), CoreError> {
    tx.execute(
        "update app.crm_connections set status = 'failed', failure = $2 where tenant_id = $1",
        &[tenant.as_uuid(), &failure],
    )
    .await?;
    Ok(())
}

/// Opens the tokens of a connection being disconnected, to revoke them (a service context of the
/// sync; the read is access-logged).
pub async fn open_for_revoke(
    tx: &mut Tx,
    keyring: &Keyring,
    tenant: TenantId,
) -> Result<Option<Tokens>, CoreError> {
    let Some(sealed) = tx
        .query_opt("select tokens_sealed from app.crm_tokens()", &[])
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(open(
        keyring,
        tenant,
        &sealed.try_get::<_, Vec<u8>>("tokens_sealed")?,
    )?))
}
