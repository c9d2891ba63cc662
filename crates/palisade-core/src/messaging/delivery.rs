//! The data side of delivery: claiming due messages (system context), then, per message in its
//! tenant's service context, checking consent again, finding where it goes, and recording what the
//! provider said. The sending itself is in `palisade-jobs`; no transaction is held across it.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx};
use tracing::instrument;
use uuid::Uuid;

use super::Channel;
use crate::phone::{self, PhoneKeys};
use crate::CoreError;

/// A message the worker leased.
#[derive(Debug, Clone, Copy)]
pub struct Claimed {
    pub tenant: TenantId,
    pub id: Uuid,
}

impl FromRow for Claimed {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            tenant: TenantId::from_uuid(row.try_get("tenant_id")?),
            id: row.try_get("id")?,
        })
    }
}

/// Leases up to `limit` due messages, at most `per_tenant` of any tenant, for `lease_secs`.
#[instrument(skip_all, err(level = "debug"))]
pub async fn claim(
    tx: &mut Tx,
    limit: i32,
    per_tenant: i32,
    lease_secs: i32,
) -> Result<Vec<Claimed>, CoreError> {
    Ok(tx
        .query_as(
            "select tenant_id, id from app.claim_outbound($1, $2, $3)",
            &[&limit, &per_tenant, &lease_secs],
        )
        .await?)
}

/// Where a message goes.
pub enum Address {
    /// E.164.
    Phone(String),
    Email(String),
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Phone(_) => "Phone(<redacted>)",
            Self::Email(_) => "Email(<redacted>)",
        })
    }
}

/// A message ready to hand to a provider.
pub struct Outgoing {
    pub id: Uuid,
    pub channel: Channel,
    pub subject: Option<String>,
    pub body: String,
    pub to: Address,
    /// Attempts so far, this one included.
    pub attempts: i32,
}

/// What the worker should do with a claimed message.
pub enum Next {
    Send(Outgoing),
    /// Consent was withdrawn (or the address said STOP) since it was queued: marked `blocked`.
    Blocked(String),
    /// No longer waiting for this worker (sent, or claimed again after the lease ran out).
    Skip,
}

/// Reads a claimed message and decides: send it, or block it because consent is gone.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn prepare(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    id: Uuid,
) -> Result<Next, CoreError> {
    let Some(row) = tx
        .query_opt(
            // The two sealed numbers need names of their own (both columns are `phone_sealed`).
            "select o.lead_id, o.member_id, o.channel, o.purpose, o.subject, o.body, o.attempts, \
                    l.phone_sealed as lead_phone_sealed, l.email, p.phone_sealed as member_phone_sealed \
             from app.outbound_messages o \
             left join app.leads l on l.tenant_id = o.tenant_id and l.id = o.lead_id \
             left join app.member_phones p on p.tenant_id = o.tenant_id and p.owner_id = o.member_id \
             where o.tenant_id = $1 and o.id = $2 and o.status = 'sending'",
            &[tenant.as_uuid(), &id],
        )
        .await?
    else {
        return Ok(Next::Skip);
    };
    let lead: Option<Uuid> = row.try_get("lead_id")?;
    let member: Option<Uuid> = row.try_get("member_id")?;
    let channel_text: String = row.try_get("channel")?;
    let purpose: String = row.try_get("purpose")?;
    let channel = Channel::parse(&channel_text).ok_or(CoreError::NotFound)?;
    // Consent again, at send time: a STOP between queuing and sending wins. Replies to HELP, the
    // opt-out confirmation and a verification code (to a number not yet verified, at the member's
    // request) were allowed at queuing for what they are.
    if !matches!(purpose.as_str(), "help" | "opt_out_confirmation" | "verification") {
        let block: Option<String> = tx
            .query_one(
                "select app.consent_block_here($1, $2, $3, $4) as block",
                &[&lead, &member, &channel_text, &purpose],
            )
            .await?
            .try_get("block")?;
        if let Some(reason) = block {
            finish(tx, tenant, id, "blocked", &format!("consent_withdrawn: {reason}")).await?;
            return Ok(Next::Blocked(reason));
        }
    }
    // A code goes only to the number it was made for, while it can still be confirmed (the member
    // may have changed their number since asking).
    if purpose == "verification" {
        let pending: bool = tx
            .query_one(
                "select exists (select from app.phone_verifications v join app.member_phones p \
                   on p.tenant_id = v.tenant_id and p.owner_id = v.owner_id and p.phone_index = v.phone_index \
                 where v.tenant_id = $1 and v.owner_id = $2 and v.expires_at > now()) as pending",
                &[tenant.as_uuid(), &member],
            )
            .await?
            .try_get("pending")?;
        if !pending {
            finish(
                tx,
                tenant,
                id,
                "blocked",
                "superseded: no pending code for this number",
            )
            .await?;
            return Ok(Next::Blocked("superseded".into()));
        }
    }
    let to = match (channel, lead) {
        (Channel::Email, _) => row.try_get::<_, Option<String>>("email")?.map(Address::Email),
        (_, Some(lead)) => open_phone(keys, "app.leads", tenant, lead, row.try_get("lead_phone_sealed")?),
        (_, None) => member.and_then(|m| {
            row.try_get("member_phone_sealed")
                .ok()
                .and_then(|sealed| open_phone(keys, "app.member_phones", tenant, m, sealed))
        }),
    };
    let Some(to) = to else {
        finish(
            tx,
            tenant,
            id,
            "failed",
            "no_address: the recipient's address is missing or does not open",
        )
        .await?;
        return Ok(Next::Blocked("no_address".into()));
    };
    // The suppression check again, from the address itself rather than the index stored beside it
    // (which a writer could have changed), under every index key (a rotation may be under way).
    if !matches!(purpose.as_str(), "help" | "opt_out_confirmation")
        && suppressed(tx, tenant, keys, channel, &to).await?
    {
        finish(tx, tenant, id, "blocked", "consent_withdrawn: suppressed").await?;
        return Ok(Next::Blocked("suppressed".into()));
    }
    Ok(Next::Send(Outgoing {
        id,
        channel,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        to,
        attempts: row.try_get("attempts")?,
    }))
}

async fn suppressed(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    channel: Channel,
    to: &Address,
) -> Result<bool, CoreError> {
    let candidates = match to {
        Address::Phone(number) => phone::lookup(keys, tenant, &phone::international(number)?),
        Address::Email(email) => crate::crm::leads::email_index_candidates(keys.index, tenant, email),
    };
    let row = tx
        .query_one(
            "select exists (select from app.suppressions \
             where tenant_id = $1 and channel = $2 and address_index = any($3)) as suppressed",
            &[tenant.as_uuid(), &channel.as_str(), &candidates],
        )
        .await?;
    Ok(row.try_get("suppressed")?)
}

fn open_phone(
    keys: PhoneKeys<'_>,
    table: &str,
    tenant: TenantId,
    row: Uuid,
    sealed: Option<Vec<u8>>,
) -> Option<Address> {
    let sealed = sealed?;
    match phone::open(keys, table, tenant, row.as_bytes(), &sealed) {
        Ok(number) => Some(Address::Phone(number)),
        Err(e) => {
            tracing::error!(error = %e, "a recipient's number does not open");
            None
        }
    }
}

async fn finish(tx: &mut Tx, tenant: TenantId, id: Uuid, status: &str, error: &str) -> Result<(), CoreError> {
    tx.execute(
        "update app.outbound_messages set status = $3, last_error = $4 where tenant_id = $1 and id = $2",
        &[tenant.as_uuid(), &id, &status, &error],
    )
    .await?;
    Ok(())
}

/// The provider accepted it.
pub async fn mark_sent(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    provider_message_id: &str,
) -> Result<(), CoreError> {
    tx.execute(
        "update app.outbound_messages set status = 'sent', provider_message_id = $3, sent_at = now(), \
           last_error = null where tenant_id = $1 and id = $2 and status = 'sending'",
        &[tenant.as_uuid(), &id, &provider_message_id],
    )
    .await?;
    Ok(())
}

/// A failure worth retrying: queued again for `at`.
pub async fn mark_retry(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    at: DateTime<Utc>,
    error: &str,
) -> Result<(), CoreError> {
    tx.execute(
        "update app.outbound_messages set status = 'queued', next_attempt_at = $3, last_error = $4 \
         where tenant_id = $1 and id = $2 and status = 'sending'",
        &[tenant.as_uuid(), &id, &at, &error],
    )
    .await?;
    Ok(())
}

/// Given up: the last attempt failed, or the provider refused it for good.
pub async fn mark_failed(tx: &mut Tx, tenant: TenantId, id: Uuid, error: &str) -> Result<(), CoreError> {
    finish(tx, tenant, id, "failed", error).await
}
