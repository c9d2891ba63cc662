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
use keyword::{help, opt_in, opt_out, suppress};

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

mod keyword;
mod statements;

pub use statements::*;

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
    // Checked before the first statement, which logs it: a body over 20,000 characters is a 422 even
    // for a replay or an ignored sender (no provider sends one: Twilio stops at 1,600, WhatsApp at 4,096).
    let body =
        validate::optional_masked_text("body", Some(msg.body).filter(|b| !b.trim().is_empty()), 20_000)?;
    let candidates = phone::lookup(keys, tenant, msg.from);
    let Some(found) = first_statement(tx, tenant, provider, msg, &candidates, body.as_deref()).await? else {
        return Ok(Outcome::Replay);
    };
    let (mut leads, members, logged) = (found.leads, found.members, found.logged);
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
    // The first statement logged the message on the first lead when its owner is still a member;
    // every other lead (and that one otherwise) is logged here.
    for lead in leads.iter().filter(|l| logged != Some(**l)) {
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
        // A question for the assistant, where the tenant answers this channel automatically.
        None => {
            if let (Some(lead), Some(_)) = (leads.first(), body.as_deref()) {
                crate::ai::tasks::queue_answer(tx, tenant, *lead, msg.channel.as_str()).await?;
            }
        }
    }
    Ok(Outcome::Received {
        leads,
        members,
        created_lead,
        keyword,
    })
}

/// What [`RECEIVE_SQL`] found: who has the number, and the lead it logged the message on.
struct Found {
    leads: Vec<Uuid>,
    members: Vec<Uuid>,
    logged: Option<Uuid>,
}

/// Runs [`RECEIVE_SQL`]; `None` for a replay. The event id must be 1 to 200 characters, as
/// [`first_delivery`] requires.
async fn first_statement(
    tx: &mut Tx,
    tenant: TenantId,
    provider: &str,
    msg: &Inbound<'_>,
    candidates: &[Vec<u8>],
    body: Option<&str>,
) -> Result<Option<Found>, CoreError> {
    let event = msg.provider_message_id;
    if event.is_empty() || event.chars().count() > 200 {
        return Err(CoreError::invalid(
            "invalid_webhook",
            "the provider's event id is missing or longer than 200 characters",
        ));
    }
    let channel = msg.channel.as_str();
    let rows = tx
        .query(
            RECEIVE_SQL,
            &[
                tenant.as_uuid(),
                &provider,
                &event,
                &candidates,
                &new_id(),
                &channel,
                &body,
            ],
        )
        .await?;
    let mut found = Found {
        leads: Vec::new(),
        members: Vec::new(),
        logged: None,
    };
    for row in &rows {
        if !row.try_get::<_, bool>("fresh")? {
            return Ok(None);
        }
        let (kind, id) = (
            row.try_get::<_, Option<&str>>("kind")?,
            row.try_get::<_, Option<Uuid>>("id")?,
        );
        match (kind, id) {
            (Some("lead"), Some(id)) => found.leads.push(id),
            (Some(_), Some(id)) => found.members.push(id),
            _ => {}
        }
        if row.try_get::<_, bool>("logged")? {
            found.logged = id;
        }
    }
    Ok(Some(found))
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

/// Who takes what nobody owns: the tenant's `inbound_owner_id` while an active member, else its
/// longest-standing active admin.
pub(crate) async fn inbound_owner(tx: &mut Tx, tenant: TenantId) -> Result<Uuid, CoreError> {
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
