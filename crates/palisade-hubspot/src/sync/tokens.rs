//! An access token good for the next few minutes. The connection row is locked while it is read
//! and, when the token is about to expire, refreshed: a second worker waits on the lock and then
//! finds the new token, so HubSpot sees one refresh, never two racing. A 401 is not the signal (the
//! expiry is); a refused refresh token marks the connection failed until an admin reconnects.
use chrono::Utc;
use palisade_core::crm_sync::connection::{self, Connection, Tokens};
use palisade_db::{Db, Purpose, TenantId};
use secrecy::SecretString;

use super::{SyncError, Syncer};
use crate::error::HubspotError;

/// The tenant's connection and a usable access token; `None` when not connected (or failed).
pub async fn access_token(
    syncer: &Syncer,
    db: &Db,
    tenant: TenantId,
) -> Result<Option<(Connection, SecretString)>, SyncError> {
    let mut tx = db.service(tenant, Purpose::Sync).await?;
    let Some((conn, tokens)) = connection::lock_and_open(&mut tx, &syncer.keyring, tenant).await? else {
        return Ok(None);
    };
    let ahead = chrono::Duration::from_std(syncer.transport.config().refresh_ahead).unwrap_or_default();
    let fresh = conn.access_expires_at.is_none_or(|at| at - ahead > Utc::now());
    if fresh {
        tx.commit().await?;
        return Ok(Some((conn, tokens.access)));
    }
    let Some(refresh) = &tokens.refresh else {
        tx.commit().await?;
        return Ok(Some((conn, tokens.access)));
    };
    match syncer.transport.refresh(refresh).await {
        Ok(grant) => {
            let renewed = Tokens {
                access: grant.access_token,
                refresh: grant.refresh_token,
            };
            let sealed = connection::seal(&syncer.keyring, tenant, &renewed)?;
            connection::store_refreshed(&mut tx, tenant, sealed, grant.expires_at).await?;
            tx.commit().await?;
            Ok(Some((conn, renewed.access)))
        }
        Err(HubspotError::RefreshRefused) => {
            connection::mark_failed(&mut tx, tenant, "refresh_refused").await?;
            tx.commit().await?;
            Err(HubspotError::RefreshRefused.into())
        }
        Err(e) => Err(e.into()),
    }
}
