//! A tenant's assistant settings: its budget, which features are on, the topics it must not discuss,
//! and what the egress guard masks besides cards, phones and emails. Admins read and change them;
//! the assistant (the service context, purpose `assistant`) reads them before every call.
use palisade_db::{FromRow, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;

use crate::{validate, CoreError};

/// The channels the assistant may answer inbound messages on by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AutoReplyChannel {
    Sms,
    Whatsapp,
}

impl AutoReplyChannel {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Sms, Self::Whatsapp].into_iter().find(|c| c.as_str() == s)
    }
}

/// At most this many forbidden topics, each at most this long.
pub const MAX_TOPICS: usize = 50;
pub const MAX_TOPIC_CHARS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AiSettings {
    /// Millionths of a US dollar the tenant's calls may cost in a calendar month (UTC); `null`: the
    /// server's default. 0 turns every call off.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub monthly_budget_micros: Option<i64>,
    /// Reps may ask for follow-up drafts.
    pub drafting: bool,
    /// Call transcripts sent with `coaching: "generate"` get observations written for the rep.
    pub coaching: bool,
    /// Inbound messages on these channels are answered from the knowledge base.
    pub auto_reply_channels: Vec<AutoReplyChannel>,
    /// Subjects the assistant never discusses (a question about one is handed to a person): words
    /// or phrases, 1–100 characters each, at most 50.
    pub forbidden_topics: Vec<String>,
    /// Mask IBANs (with valid check digits) before text leaves.
    pub mask_iban: bool,
    /// Mask US Social Security numbers.
    pub mask_us_ssn: bool,
    /// Mask UK National Insurance numbers.
    pub mask_uk_nino: bool,
    /// The company's own patterns to mask (Rust `regex` syntax, at most 20 of up to 200 characters;
    /// none may match empty text).
    pub mask_patterns: Vec<String>,
    /// Auto-replies decided in these hours wait until they end; `null`: none.
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
}

/// From `start` (inclusive) to `end` (exclusive), whole hours in `time_zone`; `start` after `end`
/// spans midnight (21 to 8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    #[schema(minimum = 0, maximum = 23)]
    pub start: i16,
    #[schema(minimum = 0, maximum = 23)]
    pub end: i16,
    /// An IANA time zone (`Europe/Madrid`).
    #[schema(min_length = 1, max_length = 64, format = "time-zone")]
    pub time_zone: String,
}

impl Default for AiSettings {
    fn default() -> Self {
        Self {
            monthly_budget_micros: None,
            drafting: true,
            coaching: false,
            auto_reply_channels: Vec::new(),
            forbidden_topics: Vec::new(),
            mask_iban: true,
            mask_us_ssn: true,
            mask_uk_nino: true,
            mask_patterns: Vec::new(),
            quiet_hours: None,
        }
    }
}

impl FromRow for AiSettings {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        let channels: Vec<String> = row.try_get("auto_reply_channels")?;
        Ok(Self {
            monthly_budget_micros: row.try_get("monthly_budget_micros")?,
            drafting: row.try_get("drafting")?,
            coaching: row.try_get("coaching")?,
            auto_reply_channels: channels
                .iter()
                .filter_map(|c| AutoReplyChannel::parse(c))
                .collect(),
            forbidden_topics: row.try_get("forbidden_topics")?,
            mask_iban: row.try_get("mask_iban")?,
            mask_us_ssn: row.try_get("mask_us_ssn")?,
            mask_uk_nino: row.try_get("mask_uk_nino")?,
            mask_patterns: row.try_get("mask_patterns")?,
            quiet_hours: match (
                row.try_get::<_, Option<i16>>("quiet_hours_start")?,
                row.try_get::<_, Option<i16>>("quiet_hours_end")?,
                row.try_get::<_, Option<String>>("time_zone")?,
            ) {
                (Some(start), Some(end), Some(time_zone)) => Some(QuietHours {
                    start,
                    end,
                    time_zone,
                }),
                _ => None,
            },
        })
    }
}

const COLUMNS: &str = "monthly_budget_micros, drafting, coaching, auto_reply_channels, forbidden_topics, \
                       mask_iban, mask_us_ssn, mask_uk_nino, mask_patterns, quiet_hours_start, quiet_hours_end, \
                       time_zone";

/// The tenant's settings, or the defaults if its admins never saved any.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn read(tx: &mut Tx, tenant: TenantId) -> Result<AiSettings, CoreError> {
    let sql = format!("select {COLUMNS} from app.ai_settings where tenant_id = $1");
    Ok(tx
        .query_opt_as(&sql, &[tenant.as_uuid()])
        .await?
        .unwrap_or_default())
}

impl AiSettings {
    /// Checks what the database cannot say clearly, and tidies topics (trimmed, without repeats).
    /// Patterns are checked as regular expressions by `palisade-ai` before this is saved.
    pub fn checked(mut self) -> Result<Self, CoreError> {
        if let Some(b) = self.monthly_budget_micros {
            if !(0..=1_000_000_000_000).contains(&b) {
                return Err(CoreError::invalid(
                    "invalid_field",
                    "monthly_budget_micros must be between 0 and 1000000000000 (a million dollars)",
                ));
            }
        }
        if self.forbidden_topics.len() > MAX_TOPICS {
            return Err(CoreError::invalid(
                "invalid_field",
                format!("forbidden_topics holds at most {MAX_TOPICS} topics"),
            ));
        }
        let mut topics: Vec<String> = Vec::new();
        for topic in &self.forbidden_topics {
            let topic = validate::text("forbidden_topics[]", topic, MAX_TOPIC_CHARS)?;
            if topic.chars().any(char::is_control) {
                return Err(CoreError::invalid(
                    "invalid_field",
                    "forbidden_topics[] must be one line each",
                ));
            }
            if !topics.iter().any(|t| t.eq_ignore_ascii_case(&topic)) {
                topics.push(topic);
            }
        }
        self.forbidden_topics = topics;
        self.auto_reply_channels.dedup();
        if let Some(q) = &self.quiet_hours {
            if !(0..=23).contains(&q.start) || !(0..=23).contains(&q.end) || q.start == q.end {
                return Err(CoreError::invalid(
                    "invalid_field",
                    "quiet_hours.start and .end are different hours from 0 to 23",
                ));
            }
        }
        Ok(self)
    }
}

/// Saves the tenant's settings (an admin, in their own context; the database checks the role).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn put(tx: &mut Tx, tenant: TenantId, settings: AiSettings) -> Result<AiSettings, CoreError> {
    let s = settings.checked()?;
    let channels: Vec<&str> = s.auto_reply_channels.iter().map(|c| c.as_str()).collect();
    if let Some(q) = &s.quiet_hours {
        let known = tx
            .query_opt(
                "select 1 from pg_catalog.pg_timezone_names where name = $1",
                &[&q.time_zone],
            )
            .await?;
        if known.is_none() {
            return Err(CoreError::invalid(
                "invalid_field",
                "quiet_hours.time_zone is not a time zone this server knows (like Europe/Madrid)",
            ));
        }
    }
    let quiet = s.quiet_hours.as_ref();
    let sql = format!(
        "insert into app.ai_settings (tenant_id, {COLUMNS}) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         on conflict (tenant_id) do update set monthly_budget_micros = excluded.monthly_budget_micros, \
         drafting = excluded.drafting, coaching = excluded.coaching, \
         auto_reply_channels = excluded.auto_reply_channels, forbidden_topics = excluded.forbidden_topics, \
         mask_iban = excluded.mask_iban, mask_us_ssn = excluded.mask_us_ssn, mask_uk_nino = excluded.mask_uk_nino, \
         mask_patterns = excluded.mask_patterns, quiet_hours_start = excluded.quiet_hours_start, \
         quiet_hours_end = excluded.quiet_hours_end, time_zone = excluded.time_zone returning {COLUMNS}"
    );
    Ok(tx
        .query_one_as(
            &sql,
            &[
                tenant.as_uuid(),
                &s.monthly_budget_micros,
                &s.drafting,
                &s.coaching,
                &channels,
                &s.forbidden_topics,
                &s.mask_iban,
                &s.mask_us_ssn,
                &s.mask_uk_nino,
                &s.mask_patterns,
                &quiet.map(|q| q.start),
                &quiet.map(|q| q.end),
                &quiet.map(|q| q.time_zone.as_str()),
            ],
        )
        .await?)
}
