//! Follow-up drafts a rep writes (or the assistant proposes) before sending.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Insert, OwnedRecord, Value};
use crate::{validate, CoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftChannel {
    Sms,
    Whatsapp,
    Email,
}

impl DraftChannel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Draft {
    pub id: Uuid,
    pub lead_id: Option<Uuid>,
    pub channel: String,
    pub subject: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    pub lead_id: Option<Uuid>,
    pub channel: DraftChannel,
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftPatch {
    pub channel: Option<DraftChannel>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub subject: Option<Option<String>>,
    pub body: Option<String>,
}

impl FromRow for Draft {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            lead_id: row.try_get("lead_id")?,
            channel: row.try_get("channel")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl OwnedRecord for Draft {
    const TABLE: &'static str = "app.drafts";
    const COLUMNS: &'static str = "id, lead_id, channel, subject, body, created_at, updated_at";
    const SET: &'static str = "channel = coalesce($4, channel), \
        subject = case when $5 then $6 else subject end, body = coalesce($7, body)";
    type New = NewDraft;
    type Patch = DraftPatch;

    fn id(&self) -> Uuid {
        self.id
    }

    fn insert(input: &NewDraft) -> Result<Insert, CoreError> {
        let subject = validate::optional_masked_text("subject", input.subject.as_deref(), 300)?;
        let body = validate::masked_text("body", &input.body, 20_000)?;
        Ok(Insert {
            columns: "channel, subject, body",
            values: vec![
                Box::new(input.channel.as_str()),
                Box::new(subject),
                Box::new(body),
            ],
            lead: Some(input.lead_id),
        })
    }

    fn update(patch: &DraftPatch) -> Result<Vec<Value>, CoreError> {
        let subject = patch
            .subject
            .as_ref()
            .map(|s| validate::optional_masked_text("subject", s.as_deref(), 300))
            .transpose()?;
        let body = validate::optional_masked_text("body", patch.body.as_deref(), 20_000)?;
        Ok(vec![
            Box::new(patch.channel.map(DraftChannel::as_str)),
            Box::new(subject.is_some()),
            Box::new(subject.flatten()),
            Box::new(body),
        ])
    }
}
