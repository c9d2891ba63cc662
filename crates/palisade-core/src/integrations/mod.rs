//! Provider integrations (migration 0015): per tenant and provider, non-secret settings and sealed
//! secrets. Admins write them and read back only metadata and `last_four`; the service context opens
//! the secrets through `app.integration_secret`, which access-logs every read.
mod providers;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use palisade_crypto::{Binding, Keyring};
use palisade_db::{Row, TenantId, Tx, UserId};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;
use zeroize::Zeroizing;

pub use providers::{FieldHelp, Provider};

use crate::CoreError;

/// A `PUT` body. Omitting `secrets` keeps the stored ones (change settings only); a new integration
/// needs them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrationInput {
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    #[serde(default)]
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub secrets: Option<BTreeMap<String, SecretString>>,
    /// `active` (default) or `disabled`: a disabled integration is kept but not used.
    #[serde(default)]
    pub status: Option<Status>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Disabled,
}

impl Status {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }
}

/// What anyone may see of an integration: never a secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct Integration {
    pub provider: Provider,
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// The secrets it holds, by name (their values are never returned).
    pub secret_fields: Vec<&'static str>,
    /// The last four characters of the main secret.
    pub last_four: String,
    /// The key the secrets are sealed under.
    pub key_id: String,
    pub status: String,
    pub set_by: Option<Uuid>,
    pub set_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Secrets sealed for one tenant and provider.
pub struct Sealed {
    sealed: Vec<u8>,
    key_id: String,
    last_four: String,
}

/// Where an integration's secrets are sealed.
pub fn binding(tenant: TenantId, provider: Provider) -> Binding<'static> {
    Binding {
        table: "app.integrations",
        column: "secret_sealed",
        tenant: Some(*tenant.as_uuid().as_bytes()),
        row: provider.as_str().as_bytes(),
    }
}

/// Checks an input against the provider's fields and seals its secrets.
pub fn prepare(
    keyring: &Keyring,
    tenant: TenantId,
    provider: Provider,
    input: &IntegrationInput,
) -> Result<Option<Sealed>, CoreError> {
    let spec = provider.spec();
    providers::check(
        provider,
        "config",
        spec.config,
        input.config.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )?;
    // HubSpot's v1 signature covers the body alone, not the URL: without the portal it names, a
    // request signed for one tenant would pass at another tenant's URL (one app, one secret).
    if provider == Provider::Hubspot
        && input.config.get("signature_version").map(String::as_str) == Some("v1")
        && !input.config.contains_key("portal_id")
    {
        return Err(CoreError::invalid(
            "invalid_field",
            "HubSpot v1 signatures need config.portal_id (they do not sign the URL)",
        ));
    }
    let Some(secrets) = &input.secrets else {
        return Ok(None);
    };
    providers::check(
        provider,
        "secrets",
        spec.secrets,
        secrets.iter().map(|(k, v)| (k.as_str(), v.expose_secret())),
    )?;
    let plain: BTreeMap<&str, &str> = secrets
        .iter()
        .map(|(k, v)| (k.as_str(), v.expose_secret()))
        .collect();
    let bytes = Zeroizing::new(
        serde_json::to_vec(&plain)
            .map_err(|_| CoreError::invalid("invalid_field", "secrets could not be encoded"))?,
    );
    let shown = secrets
        .get(spec.secrets[0].name)
        .map(|s| s.expose_secret().chars().rev().take(4).collect::<Vec<_>>())
        .unwrap_or_default();
    Ok(Some(Sealed {
        sealed: keyring.seal(&bytes, &binding(tenant, provider)),
        key_id: keyring.active_id().as_str().to_owned(),
        last_four: shown.into_iter().rev().collect(),
    }))
}

const COLUMNS: &str = "provider, config, last_four, key_id, status, set_by, set_at, created_at, updated_at";

fn integration(row: &Row) -> Result<Integration, CoreError> {
    let name: String = row.try_get("provider")?;
    let provider = Provider::parse(&name).ok_or(CoreError::NotFound)?;
    Ok(Integration {
        provider,
        config: row.try_get("config")?,
        secret_fields: provider.spec().secrets.iter().map(|f| f.name).collect(),
        last_four: row.try_get("last_four")?,
        key_id: row.try_get("key_id")?,
        status: row.try_get("status")?,
        set_by: row.try_get("set_by")?,
        set_at: row.try_get("set_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Creates or changes an integration (admins). Without `sealed`, the stored secrets stay; a new
/// integration needs them.
#[instrument(skip_all, fields(tenant_id = %tenant, provider = %provider), err(level = "debug"))]
pub async fn put(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    provider: Provider,
    input: &IntegrationInput,
    sealed: Option<Sealed>,
) -> Result<Integration, CoreError> {
    let config = serde_json::to_value(&input.config)
        .map_err(|_| CoreError::invalid("invalid_field", "config could not be encoded"))?;
    let status = input.status.map(Status::as_str);
    // Nobody may read the ciphertext column, not even to keep it (`coalesce(new, old)` reads it): a
    // settings-only change does not name it at all.
    let updated = match &sealed {
        Some(s) => {
            tx.query_opt(
                &format!(
                    "update app.integrations set config = $3, status = coalesce($4, status), set_by = $5, \
                     set_at = now(), secret_sealed = $6, key_id = $7, last_four = $8 \
                     where tenant_id = $1 and provider = $2 returning {COLUMNS}"
                ),
                &[
                    tenant.as_uuid(),
                    &provider.as_str(),
                    &config,
                    &status,
                    caller.as_uuid(),
                    &s.sealed,
                    &s.key_id,
                    &s.last_four,
                ],
            )
            .await?
        }
        None => {
            tx.query_opt(
                &format!(
                    "update app.integrations set config = $3, status = coalesce($4, status), set_by = $5, \
                     set_at = now() where tenant_id = $1 and provider = $2 returning {COLUMNS}"
                ),
                &[
                    tenant.as_uuid(),
                    &provider.as_str(),
                    &config,
                    &status,
                    caller.as_uuid(),
                ],
            )
            .await?
        }
    };
    if let Some(row) = updated {
        return integration(&row);
    }
    let Some(sealed) = sealed else {
        return Err(CoreError::invalid(
            "secrets_required",
            format!("connecting {provider} needs its secrets"),
        ));
    };
    let row = tx
        .query_one(
            &format!(
                "insert into app.integrations (tenant_id, provider, config, secret_sealed, key_id, last_four, \
                 status, set_by) values ($1, $2, $3, $4, $5, $6, coalesce($7, 'active'), $8) returning {COLUMNS}"
            ),
            &[
                tenant.as_uuid(),
                &provider.as_str(),
                &config,
                &sealed.sealed,
                &sealed.key_id,
                &sealed.last_four,
                &status,
                caller.as_uuid(),
            ],
        )
        .await?;
    integration(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Integration>, CoreError> {
    let rows = tx
        .query(
            &format!("select {COLUMNS} from app.integrations where tenant_id = $1 order by provider"),
            &[tenant.as_uuid()],
        )
        .await?;
    rows.iter().map(integration).collect()
}

#[instrument(skip_all, fields(tenant_id = %tenant, provider = %provider), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, provider: Provider) -> Result<Integration, CoreError> {
    let row = tx
        .query_opt(
            &format!("select {COLUMNS} from app.integrations where tenant_id = $1 and provider = $2"),
            &[tenant.as_uuid(), &provider.as_str()],
        )
        .await?
        .ok_or(CoreError::NotFound)?;
    integration(&row)
}

#[instrument(skip_all, fields(tenant_id = %tenant, provider = %provider), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, provider: Provider) -> Result<(), CoreError> {
    let n = tx
        .execute(
            "delete from app.integrations where tenant_id = $1 and provider = $2",
            &[tenant.as_uuid(), &provider.as_str()],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// An opened integration's secrets, by field name. `Debug` shows the names only.
#[derive(Clone, Default)]
pub struct Secrets(BTreeMap<String, SecretString>);

impl Secrets {
    pub fn get(&self, name: &str) -> Option<&SecretString> {
        self.0.get(name)
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Why secrets could not be opened (never the value).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("the {provider} secrets do not open: {source}")]
    Seal {
        provider: Provider,
        source: palisade_crypto::SealError,
    },
}

/// Opens the secrets of the service context's tenant for a provider (`None`: not connected or
/// disabled). The database logs the read as a `secret_decrypt` access event.
#[instrument(skip_all, fields(tenant_id = %tenant, provider = %provider), err(level = "debug"))]
pub async fn open_secrets(
    tx: &mut Tx,
    keyring: &Keyring,
    tenant: TenantId,
    provider: Provider,
) -> Result<Option<Secrets>, OpenError> {
    let row = tx
        .query_opt(
            "select secret_sealed from app.integration_secret($1)",
            &[&provider.as_str()],
        )
        .await
        .map_err(CoreError::from)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let sealed: Vec<u8> = row.try_get("secret_sealed").map_err(CoreError::from)?;
    let plain = keyring
        .open(&sealed, &binding(tenant, provider))
        .map_err(|source| OpenError::Seal { provider, source })?;
    let map: BTreeMap<String, String> = serde_json::from_slice(&plain).map_err(|_| OpenError::Seal {
        provider,
        source: palisade_crypto::SealError::Malformed,
    })?;
    Ok(Some(Secrets(
        map.into_iter().map(|(k, v)| (k, SecretString::from(v))).collect(),
    )))
}
