//! "Send to HubSpot" on a lead's timeline: a lead that is a HubSpot contact, in a workspace that
//! writes back, shows each interaction's state (not sent, queued, in HubSpot, failed), and a member
//! marks one for the next sync, once.
use std::collections::HashMap;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm_sync::outbox;
use palisade_db::{TenantId, Tx};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ApiError;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::session::FormPost;

/// Whether the lead's interactions can go to HubSpot, and the state of those marked (by id: a word
/// the template shows).
pub(super) async fn states(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    interactions: &[Uuid],
) -> Result<(bool, HashMap<Uuid, &'static str>), PageError> {
    let row = tx
        .query_one(
            "select exists (select from app.leads where tenant_id = $1 and id = $2 and hubspot_id is not null) \
               and app.crm_writes_back() as markable",
            &[tenant.as_uuid(), &lead],
        )
        .await?;
    let markable: bool = row.try_get("markable").map_err(palisade_db::DbError::from)?;
    let rows = tx
        .query(
            "select local_id, status from app.crm_outbox where tenant_id = $1 and kind = 'note' and local_id = any($2)",
            &[tenant.as_uuid(), &interactions],
        )
        .await?;
    let mut marked = HashMap::new();
    for r in &rows {
        let id: Uuid = r.try_get("local_id").map_err(palisade_db::DbError::from)?;
        let status: String = r.try_get("status").map_err(palisade_db::DbError::from)?;
        let word = match status.as_str() {
            "done" => "In HubSpot",
            "failed" => "HubSpot refused it",
            "skipped" => "Not sent to HubSpot",
            _ => "Queued for HubSpot",
        };
        marked.insert(id, word);
    }
    Ok((markable, marked))
}

#[derive(Default, Deserialize)]
pub struct Empty {}

pub async fn mark(
    Path((tenant, lead, interaction)): Path<(String, String, String)>,
    post: FormPost<Empty>,
) -> PageResult {
    let (tenant, lead, interaction) = (path_id(&tenant)?, path_id(&lead)?, path_id(&interaction)?);
    let id = TenantId::from_uuid(tenant);
    let mut tx = post.visitor.tx_in(id).await?;
    let user = post.visitor.caller().user_id();
    outbox::mark_interaction(&mut tx, id, user, interaction)
        .await
        .map_err(ApiError::from)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{tenant}/leads/{lead}?done=crm")).into_response())
}
