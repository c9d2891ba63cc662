//! The daily brief: a member's open deals, sent to their own verified number on WhatsApp at
//! the local hour they chose. Whether they want it is the consent ledger's (a `brief` grant, which
//! their STOP revokes); when is `app.brief_preferences`. The `briefs` job asks the database which
//! briefs are due (`app.briefs_due`) and queues each in its tenant's service context; the outbox
//! guard refuses one without a standing grant or a verified number, and a unique index allows one
//! per member per local day.
use chrono::{DateTime, NaiveDate, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::consent::sha256;
use super::Channel;
use crate::page::new_id;
use crate::{validate, CoreError};

/// The brief goes by WhatsApp; the ledger records consent per channel.
const CHANNEL: Channel = Channel::Whatsapp;
/// Deals listed by name; the rest are counted.
const LISTED: usize = 10;

/// Your brief settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct BriefSettings {
    /// You opted in and have not opted out (or texted STOP) since.
    pub subscribed: bool,
    pub channel: Channel,
    /// IANA time zone the hour is in.
    pub time_zone: String,
    /// Local hour (0–23) from which the day's brief is sent (up to three hours later).
    pub hour: i16,
    /// Your number in this tenant is verified (a brief goes only to a verified number).
    pub phone_verified: bool,
    /// What stops a brief now: `not_subscribed`, `no_phone`, `phone_not_verified`; null when none.
    pub waiting_for: Option<&'static str>,
    pub last_brief_at: Option<DateTime<Utc>>,
}

/// Opt in to the brief (or change when it comes).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefRequest {
    /// IANA name (`Europe/Berlin`); default: as before, or `UTC`.
    #[schema(min_length = 1, max_length = 64, format = "time-zone")]
    pub time_zone: Option<String>,
    /// Local hour 0–23; default: as before, or 8.
    #[schema(minimum = 0, maximum = 23)]
    pub hour: Option<i16>,
    /// The text you were shown when you opted in; only its SHA-256 is kept.
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub consent_text: Option<String>,
}

/// A brief the job should queue.
#[derive(Debug, Clone, Copy)]
pub struct Due {
    pub tenant: TenantId,
    pub member: Uuid,
    /// The member's local date.
    pub on: NaiveDate,
}

async fn subscribed(tx: &mut Tx, tenant: TenantId, member: Uuid) -> Result<bool, CoreError> {
    let row = tx
        .query_opt(
            "select action from app.consent_events \
             where tenant_id = $1 and member_id = $2 and channel = $3 and purpose = 'brief' \
             order by occurred_at desc, created_at desc limit 1",
            &[tenant.as_uuid(), &member, &CHANNEL.as_str()],
        )
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<_, String>("action")? == "grant",
        None => false,
    })
}

/// The caller's brief settings.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get_mine(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<BriefSettings, CoreError> {
    let member = *user.as_uuid();
    let subscribed = subscribed(tx, tenant, member).await?;
    let row = tx
        .query_one(
            "select (select time_zone from app.brief_preferences where tenant_id = $1 and owner_id = $2) \
                      as time_zone, \
                    (select send_hour from app.brief_preferences where tenant_id = $1 and owner_id = $2) \
                      as send_hour, \
                    exists (select from app.member_phones where tenant_id = $1 and owner_id = $2) as has_phone, \
                    exists (select from app.member_phones where tenant_id = $1 and owner_id = $2 \
                            and verified_at is not null) as phone_verified, \
                    (select max(created_at) from app.outbound_messages where tenant_id = $1 \
                       and member_id = $2 and purpose = 'brief') as last_brief_at",
            &[tenant.as_uuid(), &member],
        )
        .await?;
    let has_phone: bool = row.try_get("has_phone")?;
    let phone_verified: bool = row.try_get("phone_verified")?;
    let waiting_for = if !subscribed {
        Some("not_subscribed")
    } else if !has_phone {
        Some("no_phone")
    } else if !phone_verified {
        Some("phone_not_verified")
    } else {
        None
    };
    Ok(BriefSettings {
        subscribed,
        channel: CHANNEL,
        time_zone: row
            .try_get::<_, Option<String>>("time_zone")?
            .unwrap_or_else(|| "UTC".into()),
        hour: row.try_get::<_, Option<i16>>("send_hour")?.unwrap_or(8),
        phone_verified,
        waiting_for,
        last_brief_at: row.try_get("last_brief_at")?,
    })
}

/// Opts the caller in (a grant in the ledger, unless one stands) and sets when the brief comes.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn subscribe(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    input: &BriefRequest,
) -> Result<BriefSettings, CoreError> {
    let member = *user.as_uuid();
    if let Some(zone) = input.time_zone.as_deref() {
        let known: bool = tx
            .query_one(
                "select exists (select from pg_catalog.pg_timezone_names where name = $1) as known",
                &[&zone],
            )
            .await?
            .try_get("known")?;
        if !known || zone.len() > 64 {
            return Err(CoreError::invalid(
                "invalid_time_zone",
                "time_zone must be an IANA time zone name, such as Europe/Berlin or America/New_York",
            ));
        }
    }
    if let Some(hour) = input.hour {
        if !(0..=23).contains(&hour) {
            return Err(CoreError::invalid("invalid_hour", "hour must be 0 to 23"));
        }
    }
    let text_hash = match input.consent_text.as_deref() {
        Some(text) => Some(sha256(validate::text("consent_text", text, 10_000)?.as_bytes())),
        None => None,
    };
    tx.execute(
        "insert into app.brief_preferences as p (tenant_id, owner_id, time_zone, send_hour) \
         values ($1, $2, coalesce($3::text, 'UTC'), coalesce($4::smallint, 8)) \
         on conflict (tenant_id, owner_id) do update \
           set time_zone = coalesce($3::text, p.time_zone), send_hour = coalesce($4::smallint, p.send_hour)",
        &[tenant.as_uuid(), &member, &input.time_zone, &input.hour],
    )
    .await?;
    if !subscribed(tx, tenant, member).await? {
        record(tx, tenant, member, "grant", text_hash).await?;
    }
    get_mine(tx, tenant, user).await
}

/// Opts the caller out (a revocation in the ledger, if they were in). Their settings stay.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn unsubscribe(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<(), CoreError> {
    let member = *user.as_uuid();
    if subscribed(tx, tenant, member).await? {
        record(tx, tenant, member, "revoke", None).await?;
    }
    Ok(())
}

async fn record(
    tx: &mut Tx,
    tenant: TenantId,
    member: Uuid,
    action: &str,
    text_hash: Option<Vec<u8>>,
) -> Result<(), CoreError> {
    tx.execute(
        "insert into app.consent_events (tenant_id, id, member_id, channel, purpose, action, source, \
           consent_text_sha256, actor_id) values ($1, $2, $3, $4, 'brief', $5, 'api', $6, $3)",
        &[
            tenant.as_uuid(),
            &new_id(),
            &member,
            &CHANNEL.as_str(),
            &action,
            &text_hash,
        ],
    )
    .await?;
    Ok(())
}

/// The briefs due at `now`, across tenants (the platform's system context only).
#[instrument(skip_all, err(level = "debug"))]
pub async fn due(tx: &mut Tx, now: DateTime<Utc>, limit: i32) -> Result<Vec<Due>, CoreError> {
    Ok(tx
        .query_as(
            "select tenant_id, member_id, brief_on from app.briefs_due($1, $2)",
            &[&now, &limit],
        )
        .await?)
}

impl FromRow for Due {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            tenant: TenantId::from_uuid(row.try_get("tenant_id")?),
            member: row.try_get("member_id")?,
            on: row.try_get("brief_on")?,
        })
    }
}

/// Writes and queues a member's brief for `on` (their tenant's service context). False when it was
/// queued already (another worker, the same day).
#[instrument(skip_all, fields(tenant_id = %due.tenant), err(level = "debug"))]
pub async fn queue(tx: &mut Tx, due: Due) -> Result<bool, CoreError> {
    let body = compose(tx, due).await?;
    let n = tx
        .execute(
            "insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, brief_on) \
             values ($1, $2, $3, $4, 'brief', $5, $6) \
             on conflict (tenant_id, member_id, brief_on) where brief_on is not null do nothing",
            &[
                due.tenant.as_uuid(),
                &new_id(),
                &due.member,
                &CHANNEL.as_str(),
                &body,
                &due.on,
            ],
        )
        .await?;
    Ok(n == 1)
}

/// One open deal, as the brief lists it.
struct Line {
    title: String,
    lead: String,
    stage: String,
    cents: i64,
    currency: String,
}

impl FromRow for Line {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            title: row.try_get("title")?,
            lead: row.try_get("name")?,
            stage: row.try_get("stage")?,
            cents: row.try_get("amount_cents")?,
            currency: row.try_get("currency")?,
        })
    }
}

async fn compose(tx: &mut Tx, due: Due) -> Result<String, CoreError> {
    // The furthest along first, then the largest. The leads named stay locked against deletion until
    // the brief is queued: an erasure either finds this brief and blanks the line, or is not named.
    let lines: Vec<Line> = tx
        .query_as(
            "select d.title, l.name, d.stage, d.amount_cents, d.currency \
             from app.deals d join app.leads l on l.tenant_id = d.tenant_id and l.id = d.lead_id \
             where d.tenant_id = $1 and d.owner_id = $2 and d.stage not in ('won', 'lost') \
             order by case d.stage when 'negotiation' then 0 when 'proposal' then 1 \
                                   when 'qualified' then 2 else 3 end, d.amount_cents desc, d.id \
             limit $3 for key share of l",
            &[due.tenant.as_uuid(), &due.member, &(LISTED as i64)],
        )
        .await?;
    let totals = tx
        .query(
            "select currency, count(*) as deals, sum(amount_cents)::bigint as total_cents from app.deals \
             where tenant_id = $1 and owner_id = $2 and stage not in ('won', 'lost') \
             group by currency order by sum(amount_cents) desc, currency",
            &[due.tenant.as_uuid(), &due.member],
        )
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("currency")?,
                r.try_get("deals")?,
                r.try_get("total_cents")?,
            ))
        })
        .collect::<Result<Vec<(String, i64, i64)>, CoreError>>()?;
    Ok(render(due.on, &lines, &totals))
}

fn render(on: NaiveDate, lines: &[Line], totals: &[(String, i64, i64)]) -> String {
    let count: i64 = totals.iter().map(|t| t.1).sum();
    let mut text = format!("Your brief for {}: ", on.format("%a %-d %b"));
    if count == 0 {
        text.push_str("no open deals.");
    } else {
        let sums: Vec<String> = totals.iter().map(|(cur, _, cents)| money(*cents, cur)).collect();
        text.push_str(&format!(
            "{count} open deal{} ({}).",
            if count == 1 { "" } else { "s" },
            sums.join(" + ")
        ));
        for (n, line) in lines.iter().enumerate() {
            text.push_str(&format!(
                "\n{}. {} ({}): {}, {}",
                n + 1,
                short(&line.title),
                short(&line.lead),
                line.stage,
                money(line.cents, &line.currency)
            ));
        }
        let rest = count - lines.len() as i64;
        if rest > 0 {
            text.push_str(&format!("\n…and {rest} more."));
        }
    }
    text.push_str("\nReply STOP to stop these briefs.");
    text
}

/// Titles and names cut to 60 characters, so ten lines stay well inside WhatsApp's 4,096. An erasure
/// finds a lead's lines by " (name): " cut the same way (`app.erase_brief_lines`, migration 0032).
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// `1234567` cents in `USD` → `12,345.67 USD`.
fn money(cents: i64, currency: &str) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped}.{:02} {currency}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut() {
        assert_eq!(short("Renewal"), "Renewal");
        let long = "é".repeat(70);
        assert_eq!(short(&long), format!("{}…", "é".repeat(60)));
    }

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0, "USD"), "0.00 USD");
        assert_eq!(money(5, "EUR"), "0.05 EUR");
        assert_eq!(money(123_456, "USD"), "1,234.56 USD");
        assert_eq!(money(10_000_000_000_000, "JPY"), "100,000,000,000.00 JPY");
    }

    fn line(title: &str, stage: &str, cents: i64) -> Line {
        Line {
            title: title.into(),
            lead: "Jane Doe".into(),
            stage: stage.into(),
            cents,
            currency: "USD".into(),
        }
    }

    #[test]
    fn render_lists_counts_and_tells_how_to_stop() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        let text = render(
            on,
            &[
                line("Renewal", "negotiation", 500_000),
                line("Upsell", "prospect", 1_000),
            ],
            &[("USD".into(), 3, 501_500), ("EUR".into(), 1, 200)],
        );
        assert_eq!(
            text,
            "Your brief for Tue 24 Nov: 4 open deals (5,015.00 USD + 2.00 EUR).\n\
             1. Renewal (Jane Doe): negotiation, 5,000.00 USD\n\
             2. Upsell (Jane Doe): prospect, 10.00 USD\n\
             …and 2 more.\n\
             Reply STOP to stop these briefs."
        );
        assert_eq!(
            render(on, &[], &[]),
            "Your brief for Tue 24 Nov: no open deals.\nReply STOP to stop these briefs."
        );
    }
}
