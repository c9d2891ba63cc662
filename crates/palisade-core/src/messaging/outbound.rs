//! The outbox: messages members queue to leads. The insert is the consent check: the database
//! refuses a message without an active opt-in for its channel and purpose, or to an address that
//! said STOP (`consent_required`, 409). The delivery worker sends what is queued and checks again.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::templates::{self, Filled};
use super::{Channel, Purpose};
use crate::page::{new_id, Page, PageParams};
use crate::page_query::ListQuery;
use crate::{validate, CoreError};

/// The longest text message body (Twilio's limit for one message, sent as segments).
pub const SMS_MAX: usize = 1600;
pub const EMAIL_MAX: usize = 10_000;

/// A message to a lead: a `body` (and, for email, a `subject`), or a `template_id` with the values
/// of its placeholders.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub lead_id: Uuid,
    /// Required with a body; with a template, the template's (and must match it if given).
    pub channel: Option<Channel>,
    /// Required with a body; with a template, the template's (and must match it if given).
    pub purpose: Option<Purpose>,
    /// Email only (required there).
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub subject: Option<String>,
    /// Card numbers in it are masked before it is stored or sent.
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub body: Option<String>,
    /// A template of this tenant instead of `subject` and `body`.
    pub template_id: Option<Uuid>,
    /// Values of the template's own placeholders (`{"appointment_time": "10:00"}`).
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

impl std::fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage")
            .field("lead_id", &self.lead_id)
            .field("channel", &self.channel)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, ToSchema)]
pub struct Message {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub member_id: Option<Uuid>,
    pub channel: String,
    /// `marketing`, `service`, `brief`, `help` or `opt_out_confirmation` (a member's own
    /// `verification` texts are never shown).
    pub purpose: String,
    pub subject: Option<String>,
    pub body: String,
    /// `queued`, `sending`, `sent`, `delivered`, `failed`, `blocked` (consent withdrawn before it
    /// went) or `undelivered` (the provider gave up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub provider_message_id: Option<String>,
    /// A stable code and reason, never content.
    pub last_error: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The template it was written from (null when none, or since deleted).
    pub template_id: Option<Uuid>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("purpose", &self.purpose)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessageFilter {
    pub lead_id: Option<Uuid>,
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<Uuid>,
}

const COLUMNS: &str =
    "id, lead_id, member_id, channel, purpose, subject, body, status, attempts, next_attempt_at, \
                       provider_message_id, last_error, created_by, created_at, updated_at, sent_at, template_id";

impl FromRow for Message {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            member_id: row.try_get("member_id")?,
            channel: row.try_get("channel")?,
            purpose: row.try_get("purpose")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            status: row.try_get("status")?,
            attempts: row.try_get("attempts")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            provider_message_id: row.try_get("provider_message_id")?,
            last_error: row.try_get("last_error")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            sent_at: row.try_get("sent_at")?,
            template_id: row.try_get("template_id")?,
        })
    }
}

/// Queues a message to a lead the caller can see, as the caller.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn queue(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &NewMessage,
) -> Result<Message, CoreError> {
    let content = content(tx, tenant, caller, input).await?;
    let (body, subject) = match content.channel {
        Channel::Email => {
            let subject = content
                .subject
                .as_deref()
                .ok_or_else(|| CoreError::invalid("invalid_field", "an email needs a subject"))?;
            (
                validate::masked_text("body", &content.body, EMAIL_MAX)?,
                Some(validate::masked_text("subject", subject, 300)?),
            )
        }
        Channel::Sms | Channel::Whatsapp => {
            if content.subject.is_some() {
                return Err(CoreError::invalid("invalid_field", "subject is for email only"));
            }
            (validate::masked_text("body", &content.body, SMS_MAX)?, None)
        }
    };
    // The lead must be one the caller sees; the insert selects it, so an unseen one inserts nothing.
    let sql = format!(
        "insert into app.outbound_messages (tenant_id, id, lead_id, channel, purpose, subject, body, created_by, \
           template_id) \
         select l.tenant_id, $2, l.id, $4, $5, $6, $7, $8, $9 from app.leads l \
         where l.tenant_id = $1 and l.id = $3 returning {COLUMNS}"
    );
    let row = tx
        .query_opt(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                &input.lead_id,
                &content.channel.as_str(),
                &content.purpose.as_str(),
                &subject,
                &body,
                caller.as_uuid(),
                &input.template_id,
            ],
        )
        .await?
        .ok_or_else(CoreError::unknown_lead)?;
    Ok(Message::from_row(&row)?)
}

/// What the message says: its own body, or its template filled in.
async fn content(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &NewMessage,
) -> Result<Filled, CoreError> {
    let Some(template) = input.template_id else {
        if !input.variables.is_empty() {
            return Err(CoreError::invalid(
                "invalid_field",
                "variables go with a template_id",
            ));
        }
        let missing = |field: &str| CoreError::invalid("invalid_field", format!("{field} is required"));
        return Ok(Filled {
            channel: input.channel.ok_or_else(|| missing("channel"))?,
            purpose: input.purpose.ok_or_else(|| missing("purpose"))?,
            subject: input.subject.clone(),
            body: input
                .body
                .clone()
                .ok_or_else(|| missing("body (or a template_id)"))?,
        });
    };
    if input.body.is_some() || input.subject.is_some() {
        return Err(CoreError::invalid(
            "invalid_field",
            "give a body (and subject) or a template_id, not both",
        ));
    }
    let filled = templates::fill(tx, tenant, caller, template, input.lead_id, &input.variables).await?;
    if input.channel.is_some_and(|c| c != filled.channel)
        || input.purpose.is_some_and(|p| p != filled.purpose)
    {
        return Err(CoreError::mismatch(
            "template_mismatch",
            "the template is for another channel or purpose",
        ));
    }
    Ok(filled)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Message, CoreError> {
    let sql = format!("select {COLUMNS} from app.outbound_messages where tenant_id = $1 and id = $2");
    Ok(tx.query_one_as(&sql, &[tenant.as_uuid(), &id]).await?)
}

/// Messages the caller may see (their own as a rep, the tenant's as a manager), newest first.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId, filter: &MessageFilter) -> Result<Page<Message>, CoreError> {
    let limit = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .limit()?;
    let rows = ListQuery::new("app.outbound_messages", COLUMNS, tenant)
        .filter("lead_id", "=", filter.lead_id)
        .filter("status", "=", filter.status.clone())
        .fetch(tx, filter.cursor, limit)
        .await?;
    Page::read(&rows, limit, |m: &Message| m.id)
}

/// A delivery status a provider reports for a message it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
}

impl DeliveryStatus {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Undelivered => "undelivered",
            Self::Failed => "failed",
        }
    }
}

/// Applies a provider's status callback to the message it names. Callbacks arrive out of order, so
/// a status never moves a message backwards (`delivered` is not undone by a late `sent`). Returns
/// how many messages changed (0 for an unknown id or a stale status).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn apply_status(
    tx: &mut Tx,
    tenant: TenantId,
    provider_message_id: &str,
    status: DeliveryStatus,
    error: Option<&str>,
) -> Result<u64, CoreError> {
    Ok(tx
        .execute(
            "update app.outbound_messages set status = $3, \
               last_error = coalesce($4, last_error) \
             where tenant_id = $1 and provider_message_id = $2 \
               and (case status when 'sending' then 1 when 'sent' then 2 \
                                when 'delivered' then 3 when 'undelivered' then 3 when 'failed' then 3 else 0 end) \
                 < (case $3 when 'sending' then 1 when 'sent' then 2 else 3 end)",
            &[tenant.as_uuid(), &provider_message_id, &status.as_str(), &error],
        )
        .await?)
}
