//! What an inbound text (SMS or WhatsApp) does, in the service context of the tenant it was sent
//! to, after its signature was checked:
//!
//! 1. the provider's event id is recorded; a replay stops here and changes nothing;
//! 2. the sender is found by the blind index of their number among the tenant's leads and members;
//!    an unknown sender becomes a new lead (or is ignored, as the tenant chooses);
//! 3. the message is recorded as an inbound interaction on each such lead, card numbers masked;
//! 4. a keyword acts on the whole message: an opt-out revokes consent on that channel and
//!    suppresses the number (and one confirmation is queued), an opt-in restores what a keyword
//!    had revoked, HELP queues the tenant's help text, even to a number that opted out.
use palisade_db::{TenantId, Tx};
use palisade_webhooks::keywords::{self, Keyword};
use tracing::instrument;
use uuid::Uuid;

use super::Channel;
use crate::page::new_id;
use crate::phone::{self, PhoneKeys, E164};
use crate::{validate, CoreError};

/// An inbound message whose signature has been verified.
pub struct Inbound<'a> {
    pub channel: Channel,
    pub from: &'a E164,
    pub body: &'a str,
    /// The provider's id of the message (Twilio's `MessageSid`): the idempotency key and the
    /// evidence of a keyword.
    pub provider_message_id: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The same event was processed before: nothing was done.
    Replay,
    /// An unknown sender, and the tenant ignores those.
    Ignored,
    Received {
        leads: Vec<Uuid>,
        members: Vec<Uuid>,
        created_lead: bool,
        keyword: Option<Keyword>,
    },
}

// The statements of an inbound message, public so the benchmark runs them verbatim.

/// Records a provider event once: `$1` tenant, `$2` provider, `$3` event id, `$4` kind.
pub const RECORD_EVENT_SQL: &str = "insert into app.webhook_events (tenant_id, provider, event_id, kind) \
     values ($1, $2, $3, $4) on conflict do nothing";
/// Who has the number, in one statement: the tenant's leads with it (`kind` 'lead'), then its members
/// with it once verified and while they are members ('member'). `$1` tenant, `$2` the number's blind
/// indexes (every key).
pub const SUBJECTS_BY_PHONE_SQL: &str = "select 'lead' as kind, l.id from app.leads l \
     where l.tenant_id = $1 and l.phone_index = any($2) \
     union all \
     select 'member' as kind, p.owner_id as id from app.member_phones p join app.memberships m \
       on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active' \
     where p.tenant_id = $1 and p.phone_index = any($2) and p.verified_at is not null \
     order by kind, id";
/// The inbound message on the lead, logged for the lead's owner while an active member (no row is
/// written otherwise): `$1` tenant, `$2` id, `$3` lead, `$4` channel, `$5` masked body.
pub const INSERT_INBOUND_FOR_OWNER_SQL: &str =
    "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
     select l.tenant_id, $2::uuid, l.id, m.user_id, $4::text, 'inbound', $5::text from app.leads l \
     join app.memberships m on m.tenant_id = l.tenant_id and m.user_id = l.owner_id and m.status = 'active' \
     where l.tenant_id = $1 and l.id = $3";
/// The inbound message on the lead for a named actor: `$1` tenant, `$2` id, `$3` lead, `$4` actor,
/// `$5` channel, `$6` masked body.
pub const INSERT_INBOUND_SQL: &str =
    "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
     values ($1, $2, $3, $4, $5, 'inbound', $6)";

/// Records a provider event; false when it was recorded before (a replay). The id must be 1 to 200
/// characters (a clear 422 otherwise); the kind is kept to 100 characters, `unknown` when empty.
pub async fn first_delivery(
    tx: &mut Tx,
    tenant: TenantId,
    provider: &str,
    event_id: &str,
    kind: &str,
) -> Result<bool, CoreError> {
    if event_id.is_empty() || event_id.chars().count() > 200 {
        return Err(CoreError::invalid(
            "invalid_webhook",
            "the provider's event id is missing or longer than 200 characters",
        ));
    }
    let kind: String = if kind.is_empty() {
        "unknown".into()
    } else {
        kind.chars().take(100).collect()
    };
    let rows = tx
        .execute(RECORD_EVENT_SQL, &[tenant.as_uuid(), &provider, &event_id, &kind])
        .await?;
    Ok(rows == 1)
}

/// Records a provider event that could not be applied, as `failed`, so a redelivery does not try
/// it again (it is then a replay). Nothing is recorded if the event was recorded before.
pub async fn record_failed(
    tx: &mut Tx,
    tenant: TenantId,
    provider: &str,
    event_id: &str,
    kind: &str,
) -> Result<(), CoreError> {
    tx.execute(
        "insert into app.webhook_events (tenant_id, provider, event_id, kind, status) \
         values ($1, $2, $3, $4, 'failed') on conflict do nothing",
        &[tenant.as_uuid(), &provider, &event_id, &kind],
    )
    .await?;
    Ok(())
}

#[instrument(skip_all, fields(tenant_id = %tenant, channel = msg.channel.as_str()), err(level = "debug"))]
pub async fn receive(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    provider: &str,
    msg: &Inbound<'_>,
) -> Result<Outcome, CoreError> {
    if !first_delivery(tx, tenant, provider, msg.provider_message_id, "inbound_message").await? {
        return Ok(Outcome::Replay);
    }
    let candidates = phone::lookup(keys, tenant, msg.from);
    let (mut leads, members) = subjects(tx, tenant, &candidates).await?;
    let keyword = keywords::classify(msg.body);
    let mut created_lead = false;
    if leads.is_empty() && members.is_empty() {
        match new_lead(tx, tenant, keys, msg).await? {
            Some(id) => {
                leads.push(id);
                created_lead = true;
            }
            None => {
                // Ignored as a contact, but a STOP is still honoured: the number is suppressed
                // for any lead that has it later.
                if keyword == Some(Keyword::OptOut) {
                    suppress(tx, tenant, &candidates).await?;
                }
                tx.execute(
                    "update app.webhook_events set status = 'ignored' \
                     where tenant_id = $1 and provider = $2 and event_id = $3",
                    &[tenant.as_uuid(), &provider, &msg.provider_message_id],
                )
                .await?;
                return Ok(Outcome::Ignored);
            }
        }
    }
    let body =
        validate::optional_masked_text("body", Some(msg.body).filter(|b| !b.trim().is_empty()), 20_000)?;
    for lead in &leads {
        record_interaction(tx, tenant, *lead, msg.channel, body.as_deref()).await?;
    }
    let subjects = Subjects {
        leads: &leads,
        members: &members,
    };
    match keyword {
        Some(Keyword::OptOut) => opt_out(tx, tenant, &candidates, msg, subjects).await?,
        Some(Keyword::OptIn) => opt_in(tx, tenant, &candidates, msg, subjects).await?,
        Some(Keyword::Help) => help(tx, tenant, msg.channel, subjects).await?,
        None => {}
    }
    Ok(Outcome::Received {
        leads,
        members,
        created_lead,
        keyword,
    })
}

/// One of the tenant's text settings (`column` is one of this module's constants, never input).
async fn tenant_text(tx: &mut Tx, tenant: TenantId, column: &'static str) -> Result<String, CoreError> {
    Ok(tx
        .query_one(
            &format!("select {column} from app.tenants where id = $1"),
            &[tenant.as_uuid()],
        )
        .await?
        .try_get(column)?)
}

#[derive(Clone, Copy)]
struct Subjects<'a> {
    leads: &'a [Uuid],
    members: &'a [Uuid],
}

impl Subjects<'_> {
    /// Who a reply goes to: the first lead, else the first member.
    fn first(&self) -> (Option<Uuid>, Option<Uuid>) {
        match self.leads.first() {
            Some(lead) => (Some(*lead), None),
            None => (None, self.members.first().copied()),
        }
    }
}

/// The leads and the members with the number (see [`SUBJECTS_BY_PHONE_SQL`]).
async fn subjects(
    tx: &mut Tx,
    tenant: TenantId,
    candidates: &[Vec<u8>],
) -> Result<(Vec<Uuid>, Vec<Uuid>), CoreError> {
    let (mut leads, mut members) = (Vec::new(), Vec::new());
    for row in tx
        .query(SUBJECTS_BY_PHONE_SQL, &[tenant.as_uuid(), &candidates])
        .await?
    {
        let id: Uuid = row.try_get("id")?;
        match row.try_get::<_, &str>("kind")? {
            "lead" => leads.push(id),
            _ => members.push(id),
        }
    }
    Ok((leads, members))
}

/// Who takes what nobody owns: the tenant's `inbound_owner_id` while an active member, else its
/// longest-standing active admin.
async fn inbound_owner(tx: &mut Tx, tenant: TenantId) -> Result<Uuid, CoreError> {
    let row = tx
        .query_one(
            "select coalesce(
               (select m.user_id from app.tenants t join app.memberships m
                  on m.tenant_id = t.id and m.user_id = t.inbound_owner_id and m.status = 'active'
                where t.id = $1),
               (select m.user_id from app.memberships m
                where m.tenant_id = $1 and m.role = 'admin' and m.status = 'active'
                order by m.created_at, m.user_id limit 1)) as owner_id",
            &[tenant.as_uuid()],
        )
        .await?;
    row.try_get::<_, Option<Uuid>>("owner_id")?
        .ok_or(CoreError::Conflict {
            code: "no_inbound_owner",
            message: "the tenant has no active admin to take new contacts",
        })
}

/// A lead for an unknown sender (unless the tenant ignores them), owned by the inbound owner. Its
/// name says where it came from, never the number.
async fn new_lead(
    tx: &mut Tx,
    tenant: TenantId,
    keys: PhoneKeys<'_>,
    msg: &Inbound<'_>,
) -> Result<Option<Uuid>, CoreError> {
    if tenant_text(tx, tenant, "unknown_senders").await? == "ignore" {
        return Ok(None);
    }
    let owner = inbound_owner(tx, tenant).await?;
    let id = new_id();
    let (sealed, index) = phone::seal(keys, "app.leads", tenant, id.as_bytes(), msg.from);
    let name = match msg.channel {
        Channel::Whatsapp => "New contact (WhatsApp)",
        _ => "New contact (SMS)",
    };
    tx.execute(
        "insert into app.leads (tenant_id, id, owner_id, name, source, phone_sealed, phone_index) \
         values ($1, $2, $3, $4, 'inbound message', $5, $6)",
        &[tenant.as_uuid(), &id, &owner, &name, &sealed, &index],
    )
    .await?;
    Ok(Some(id))
}

/// The inbound message on the lead's record, logged for its owner (or the inbound owner when the
/// lead's owner has left).
async fn record_interaction(
    tx: &mut Tx,
    tenant: TenantId,
    lead: Uuid,
    channel: Channel,
    body: Option<&str>,
) -> Result<(), CoreError> {
    let channel = channel.as_str();
    let for_owner = tx
        .execute(
            INSERT_INBOUND_FOR_OWNER_SQL,
            &[tenant.as_uuid(), &new_id(), &lead, &channel, &body],
        )
        .await?;
    if for_owner == 0 {
        let actor = inbound_owner(tx, tenant).await?;
        tx.execute(
            INSERT_INBOUND_SQL,
            &[tenant.as_uuid(), &new_id(), &lead, &actor, &channel, &body],
        )
        .await?;
    }
    Ok(())
}

/// The purposes a keyword acts on: every purpose of a lead, the brief of a member.
const LEAD_PURPOSES: [&str; 2] = ["marketing", "service"];

/// A phone opt-out covers both phone channels: WhatsApp's policy is to honour an opt-out made on
/// it or off it, and a person who texts STOP does not expect WhatsApp messages instead.
const PHONE_CHANNELS: [Channel; 2] = [Channel::Sms, Channel::Whatsapp];

async fn keyword_event(
    tx: &mut Tx,
    tenant: TenantId,
    (lead, member): (Option<Uuid>, Option<Uuid>),
    channel: Channel,
    purpose: &str,
    action: &str,
    evidence: &str,
) -> Result<(), CoreError> {
    tx.execute(
        "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, \
           provider_message_id) values ($1, $2, $3, $4, $5, $6, $7, 'inbound_keyword', $8)",
        &[
            tenant.as_uuid(),
            &new_id(),
            &lead,
            &member,
            &channel.as_str(),
            &purpose,
            &action,
            &evidence,
        ],
    )
    .await?;
    Ok(())
}

/// Suppresses the number on both phone channels, under every index key (`candidates`: so a lead
/// indexed under another key during a rotation matches too).
async fn suppress(tx: &mut Tx, tenant: TenantId, candidates: &[Vec<u8>]) -> Result<(), CoreError> {
    for channel in PHONE_CHANNELS {
        tx.execute(
            "insert into app.suppressions (tenant_id, channel, address_index, reason) \
             select $1, $2, i, 'stop' from unnest($3::bytea[]) as i on conflict do nothing",
            &[tenant.as_uuid(), &channel.as_str(), &candidates],
        )
        .await?;
    }
    Ok(())
}

async fn opt_out(
    tx: &mut Tx,
    tenant: TenantId,
    candidates: &[Vec<u8>],
    msg: &Inbound<'_>,
    who: Subjects<'_>,
) -> Result<(), CoreError> {
    // Every purpose is revoked, granted or not: the ledger keeps the STOP itself as evidence. START
    // restores only what was granted before it (see `opt_in`).
    for channel in PHONE_CHANNELS {
        for lead in who.leads {
            for purpose in LEAD_PURPOSES {
                keyword_event(
                    tx,
                    tenant,
                    (Some(*lead), None),
                    channel,
                    purpose,
                    "revoke",
                    msg.provider_message_id,
                )
                .await?;
            }
        }
        for member in who.members {
            keyword_event(
                tx,
                tenant,
                (None, Some(*member)),
                channel,
                "brief",
                "revoke",
                msg.provider_message_id,
            )
            .await?;
        }
    }
    suppress(tx, tenant, candidates).await?;
    // What was queued for this number and not yet sent will not be.
    tx.execute(
        "update app.outbound_messages set status = 'blocked', last_error = 'consent_withdrawn: suppressed' \
         where tenant_id = $1 and status = 'queued' and channel in ('sms', 'whatsapp') \
           and purpose in ('marketing', 'service', 'brief') and (lead_id = any($2) or member_id = any($3))",
        &[tenant.as_uuid(), &who.leads, &who.members],
    )
    .await?;
    let name = tenant_text(tx, tenant, "name").await?;
    let text = format!(
        "{name}: you are unsubscribed and will get no more messages on this number. Reply START to opt back in."
    );
    queue_reply(
        tx,
        tenant,
        msg.channel,
        who.first(),
        "opt_out_confirmation",
        &text,
    )
    .await
}

/// START, UNSTOP, YES: lifts the STOP suppression (only that: an erasure, a bounce or an admin's
/// suppression stays) and restores each purpose a keyword revoked that had been granted just before.
/// It is never an opt-in to something the person had not agreed to.
async fn opt_in(
    tx: &mut Tx,
    tenant: TenantId,
    candidates: &[Vec<u8>],
    msg: &Inbound<'_>,
    who: Subjects<'_>,
) -> Result<(), CoreError> {
    let channels: Vec<&str> = PHONE_CHANNELS.iter().map(|c| c.as_str()).collect();
    tx.execute(
        "delete from app.suppressions where tenant_id = $1 and channel = any($2) and address_index = any($3) \
           and reason = 'stop'",
        &[tenant.as_uuid(), &channels, &candidates],
    )
    .await?;
    let restorable = tx
        .query(
            // Latest event a keyword revocation; the latest event before the keyword revocations
            // (however many STOPs came in a row) a grant.
            "select k.lead_id, k.member_id, k.channel, k.purpose from ( \
               select distinct on (lead_id, member_id, channel, purpose) lead_id, member_id, channel, purpose, \
                      action, source \
               from app.consent_events \
               where tenant_id = $1 and channel = any($2) and (lead_id = any($3) or member_id = any($4)) \
               order by lead_id, member_id, channel, purpose, occurred_at desc, created_at desc) k \
             where k.action = 'revoke' and k.source = 'inbound_keyword' \
               and (select c.action from app.consent_events c \
                    where c.tenant_id = $1 and c.lead_id is not distinct from k.lead_id \
                      and c.member_id is not distinct from k.member_id and c.channel = k.channel \
                      and c.purpose = k.purpose and not (c.action = 'revoke' and c.source = 'inbound_keyword') \
                    order by c.occurred_at desc, c.created_at desc limit 1) = 'grant'",
            &[tenant.as_uuid(), &channels, &who.leads, &who.members],
        )
        .await?;
    for row in restorable {
        let channel = Channel::parse(&row.try_get::<_, String>("channel")?).ok_or(CoreError::NotFound)?;
        let purpose: String = row.try_get("purpose")?;
        let subject = (row.try_get("lead_id")?, row.try_get("member_id")?);
        keyword_event(
            tx,
            tenant,
            subject,
            channel,
            &purpose,
            "grant",
            msg.provider_message_id,
        )
        .await?;
    }
    Ok(())
}

async fn help(tx: &mut Tx, tenant: TenantId, channel: Channel, who: Subjects<'_>) -> Result<(), CoreError> {
    let text = tenant_text(tx, tenant, "help_text").await?;
    queue_reply(tx, tenant, channel, who.first(), "help", &text).await
}

async fn queue_reply(
    tx: &mut Tx,
    tenant: TenantId,
    channel: Channel,
    (lead, member): (Option<Uuid>, Option<Uuid>),
    purpose: &str,
    text: &str,
) -> Result<(), CoreError> {
    tx.execute(
        "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body) \
         values ($1, $2, $3, $4, $5, $6, $7)",
        &[
            tenant.as_uuid(),
            &new_id(),
            &lead,
            &member,
            &channel.as_str(),
            &purpose,
            &text,
        ],
    )
    .await?;
    Ok(())
}
