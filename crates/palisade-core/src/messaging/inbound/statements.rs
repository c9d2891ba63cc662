//! The statements of an inbound message, public so the benchmark runs them verbatim.
/// Records a provider event once: `$1` tenant, `$2` provider, `$3` event id, `$4` kind.
pub const RECORD_EVENT_SQL: &str = "insert into app.webhook_events (tenant_id, provider, event_id, kind) \
     values ($1, $2, $3, $4) on conflict do nothing";
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
/// The usual inbound text in one statement (one round trip instead of three): records the event
/// (`kind` 'inbound_message'); unless it is a replay, finds who has the number — the tenant's leads
/// with it, and its members with it once verified and while they are members — and logs the message
/// on the first of the leads for its owner while an active member (as
/// [`INSERT_INBOUND_FOR_OWNER_SQL`]). One row per subject — `kind`, `id`, and
/// `logged` for the lead it logged — or one row with null `kind` when there is none; `fresh` on every
/// row (false: a replay, nothing else done). `$1` tenant, `$2` provider, `$3` event id, `$4` the
/// number's blind indexes, `$5` the interaction's id, `$6` channel, `$7` masked body.
pub const RECEIVE_SQL: &str = "with event as ( \
       insert into app.webhook_events (tenant_id, provider, event_id, kind) \
       values ($1, $2, $3, 'inbound_message') on conflict do nothing returning event_id), \
     subjects as ( \
       select 'lead' as kind, l.id from app.leads l \
       where l.tenant_id = $1 and l.phone_index = any($4) and exists (select from event) \
       union all \
       select 'member' as kind, p.owner_id as id from app.member_phones p join app.memberships m \
         on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active' \
       where p.tenant_id = $1 and p.phone_index = any($4) and p.verified_at is not null \
         and exists (select from event)), \
     logged as ( \
       insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
       select l.tenant_id, $5::uuid, l.id, m.user_id, $6::text, 'inbound', $7::text from app.leads l \
       join app.memberships m on m.tenant_id = l.tenant_id and m.user_id = l.owner_id and m.status = 'active' \
       where l.tenant_id = $1 \
         and l.id = (select s.id from subjects s where s.kind = 'lead' order by s.id limit 1) \
       returning lead_id) \
     select exists (select from event) as fresh, s.kind, s.id, \
            coalesce(s.id in (select lead_id from logged), false) as logged \
     from (select) as one left join subjects s on true \
     order by s.kind, s.id";
