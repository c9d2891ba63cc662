//! What a keyword in an inbound text does (see the module above): STOP revokes and suppresses, START
//! restores what a keyword revoked, HELP queues the tenant's help text.
use palisade_db::{TenantId, Tx};
use uuid::Uuid;

use super::{tenant_text, Inbound, Subjects};
use crate::messaging::Channel;
use crate::page::new_id;
use crate::CoreError;

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
pub(super) async fn suppress(tx: &mut Tx, tenant: TenantId, candidates: &[Vec<u8>]) -> Result<(), CoreError> {
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

pub(super) async fn opt_out(
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
pub(super) async fn opt_in(
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

pub(super) async fn help(
    tx: &mut Tx,
    tenant: TenantId,
    channel: Channel,
    who: Subjects<'_>,
) -> Result<(), CoreError> {
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
