-- Messaging (issue 7): the consent ledger, suppressions, verified webhook events and the outbound
-- message outbox. The promise enforced here, not only in code: no message to a lead or member is
-- queued without an active, recorded opt-in for its channel and purpose, and none to an address that
-- said STOP. Replies to HELP and the one confirmation after an opt-out are the only exceptions, and
-- only the service context may queue them.
set local role palisade_owner;

------------------------------------------------------------------------------------------------------
-- Tenant settings and lead email index
------------------------------------------------------------------------------------------------------
alter table app.tenants
  -- Sent in reply to HELP / INFO, even to a number that opted out.
  add column help_text text not null
    default 'Reply STOP to opt out, START to opt back in. Msg & data rates may apply.'
    check (char_length(help_text) between 1 and 320),
  -- Unknown senders: a new lead owned by `inbound_owner_id` (or the longest-standing admin), or nothing.
  add column unknown_senders text not null default 'create_lead'
    check (unknown_senders in ('create_lead', 'ignore')),
  add column inbound_owner_id uuid;

-- Email addresses get a blind index like phone numbers, so a suppression can name an address without
-- holding it (the address itself stays a plain column of the lead, as before).
alter table app.leads
  add column email_index bytea check (pg_catalog.octet_length(email_index) between 34 and 70);
create index leads_email_idx on app.leads (tenant_id, email_index) where email_index is not null;
grant update (email_index) on app.leads to app_user, app_service;
drop trigger leads_audit on app.leads;
create trigger leads_audit after insert or update or delete on app.leads
  for each row execute function audit.record_change('tenant_id', 'id', 'id', 'domain', 'phone_sealed', 'phone_index',
                                                    'email_index');

-- A webhook whose signature did not verify is a security event (never with its payload).
-- audit.access_events has row-level security enabled and forced since 0008; this only widens the
-- vocabulary of its actions.
alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked',
  'webhook_rejected'));

------------------------------------------------------------------------------------------------------
-- Consent ledger: append-only. A subject is a lead (messages to customers) or a member (the daily
-- brief a rep asked for). The current state of (subject, channel, purpose) is its latest event.
------------------------------------------------------------------------------------------------------
create table app.consent_events (
  tenant_id           uuid not null,
  id                  uuid not null,
  lead_id             uuid,
  member_id           uuid,
  channel             text not null check (channel in ('sms', 'whatsapp', 'email')),
  purpose             text not null check (purpose in ('marketing', 'service', 'brief')),
  action              text not null check (action in ('grant', 'revoke')),
  source              text not null check (source in ('inbound_keyword', 'form', 'api', 'import', 'admin')),
  -- Evidence: the provider's id of the message that said START/STOP, the version of the form and a
  -- SHA-256 of the consent text shown, the member who recorded it.
  provider_message_id text check (char_length(provider_message_id) <= 100),
  form_version        text check (char_length(form_version) <= 100),
  consent_text_sha256 bytea check (pg_catalog.octet_length(consent_text_sha256) = 32),
  actor_id            uuid,
  occurred_at         timestamptz not null default now(),
  created_at          timestamptz not null default now(),
  primary key (tenant_id, id),
  check (pg_catalog.num_nonnulls(lead_id, member_id) = 1),
  check ((purpose = 'brief') = (member_id is not null)),
  -- A grant needs evidence of how it was given.
  check (action = 'revoke' or provider_message_id is not null or form_version is not null
         or consent_text_sha256 is not null or actor_id is not null)
);
-- No foreign keys: the ledger is evidence and outlives the lead it names (and a cascade would be an
-- update of an append-only table). Writers must see the subject; the policies check that.
create index consent_lead_idx on app.consent_events (tenant_id, lead_id, channel, purpose, occurred_at)
  where lead_id is not null;
create index consent_member_idx on app.consent_events (tenant_id, member_id, channel, occurred_at)
  where member_id is not null;
create trigger consent_events_append_only before update or delete on app.consent_events
  for each row execute function audit.forbid_mutation();
create trigger consent_events_no_truncate before truncate on app.consent_events
  for each statement execute function audit.forbid_mutation();
create trigger consent_events_audit after insert or update or delete on app.consent_events
  for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain', 'consent_text_sha256');

alter table app.consent_events enable row level security;
alter table app.consent_events force row level security;
grant select, insert on app.consent_events to app_user, app_service;

-- Members read the ledger of leads they see; they record consent for leads they own (a rep's own
-- leads; a manager's or admin's own too), as themselves. A member's own brief consent is theirs.
create policy consent_select on app.consent_events for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((lead_id is not null
               and ((select ctx.has_role('manager'))
                    or exists (select from app.leads l where l.tenant_id = consent_events.tenant_id
                               and l.id = consent_events.lead_id and l.owner_id = (select ctx.user_id()))))
              or member_id = (select ctx.user_id())));
create policy consent_insert on app.consent_events for insert to app_user
  with check (tenant_id = (select ctx.tenant_id())
              and actor_id = (select ctx.user_id())
              and source in ('form', 'api')
              and ((lead_id is not null
                    and exists (select from app.leads l where l.tenant_id = consent_events.tenant_id
                                and l.id = consent_events.lead_id and l.owner_id = (select ctx.user_id())))
                   or member_id = (select ctx.user_id())));
create policy consent_service on app.consent_events to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and (lead_id is null
                   or exists (select from app.leads l where l.tenant_id = consent_events.tenant_id
                              and l.id = consent_events.lead_id))
              and (member_id is null or ctx.is_active_member(tenant_id, member_id)));

------------------------------------------------------------------------------------------------------
-- Suppressions: addresses that said STOP (or were erased, bounced, complained), by blind index only.
------------------------------------------------------------------------------------------------------
create table app.suppressions (
  tenant_id     uuid not null references app.tenants (id) on delete cascade,
  channel       text not null check (channel in ('sms', 'whatsapp', 'email')),
  address_index bytea not null check (pg_catalog.octet_length(address_index) between 34 and 70),
  reason        text not null check (reason in ('stop', 'erasure', 'bounce', 'complaint', 'admin')),
  created_at    timestamptz not null default now(),
  primary key (tenant_id, channel, address_index)
);
create trigger suppressions_audit after insert or update or delete on app.suppressions
  for each row execute function audit.record_change('tenant_id', 'channel', '', 'domain', 'address_index');

alter table app.suppressions enable row level security;
alter table app.suppressions force row level security;
grant select, insert, delete on app.suppressions to app_service;
grant select on app.suppressions to app_user;
create policy suppressions_service on app.suppressions to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()));
-- Admins see how many addresses are suppressed (the rows name no address).
create policy suppressions_admin_select on app.suppressions for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));

------------------------------------------------------------------------------------------------------
-- Webhook events: one row per provider event, so a replay is acknowledged and does nothing.
------------------------------------------------------------------------------------------------------
create table app.webhook_events (
  tenant_id    uuid not null references app.tenants (id) on delete cascade,
  provider     text not null check (provider in ('twilio', 'sendgrid', 'resend', 'meta', 'stripe', 'hubspot')),
  event_id     text not null check (char_length(event_id) between 1 and 200),
  kind         text not null check (char_length(kind) between 1 and 100),
  status       text not null default 'processed' check (status in ('processed', 'ignored', 'failed')),
  received_at  timestamptz not null default now(),
  primary key (tenant_id, provider, event_id)
);
create index webhook_events_received_idx on app.webhook_events (tenant_id, received_at);

alter table app.webhook_events enable row level security;
alter table app.webhook_events force row level security;
grant select, insert on app.webhook_events to app_service;
grant update (status) on app.webhook_events to app_service;
grant select on app.webhook_events to app_user;
create policy webhook_events_service on app.webhook_events to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()));
create policy webhook_events_admin_select on app.webhook_events for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));

------------------------------------------------------------------------------------------------------
-- Outbound messages (the outbox the delivery worker drains).
------------------------------------------------------------------------------------------------------
create table app.outbound_messages (
  tenant_id           uuid not null references app.tenants (id) on delete cascade,
  id                  uuid not null,
  lead_id             uuid,
  member_id           uuid,
  channel             text not null check (channel in ('sms', 'whatsapp', 'email')),
  purpose             text not null check (purpose in ('marketing', 'service', 'brief', 'help', 'opt_out_confirmation')),
  subject             text check (char_length(subject) <= 300 and not ctx.has_unmasked_card(subject)),
  body                text not null check (char_length(body) between 1 and 10000 and not ctx.has_unmasked_card(body)),
  status              text not null default 'queued'
                      check (status in ('queued', 'sending', 'sent', 'delivered', 'failed', 'blocked', 'undelivered')),
  attempts            integer not null default 0 check (attempts between 0 and 100),
  next_attempt_at     timestamptz not null default now(),
  provider_message_id text check (char_length(provider_message_id) <= 100),
  -- A stable code and a short reason without message content or addresses.
  last_error          text check (char_length(last_error) <= 300),
  created_by          uuid,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  sent_at             timestamptz,
  primary key (tenant_id, id),
  check (pg_catalog.num_nonnulls(lead_id, member_id) = 1),
  -- Members are sent their brief, and replies to what they text (HELP, STOP); nothing else.
  check (purpose <> 'brief' or member_id is not null),
  check (member_id is null or purpose in ('brief', 'help', 'opt_out_confirmation')),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade,
  foreign key (tenant_id, member_id) references app.memberships (tenant_id, user_id) on delete cascade,
  foreign key (tenant_id, created_by) references app.memberships (tenant_id, user_id)
);
create index outbound_lead_idx on app.outbound_messages (tenant_id, lead_id) where lead_id is not null;
create index outbound_member_idx on app.outbound_messages (tenant_id, member_id) where member_id is not null;
create index outbound_created_by_idx on app.outbound_messages (tenant_id, created_by, created_at);
create index outbound_provider_idx on app.outbound_messages (tenant_id, provider_message_id)
  where provider_message_id is not null;
-- The worker's queue: due rows across tenants.
create index outbound_due_idx on app.outbound_messages (next_attempt_at) where status = 'queued';
create trigger outbound_touch before update on app.outbound_messages
  for each row execute function app.touch_updated_at();
-- The trail records that a message was queued and how it went, not what it said (message bodies
-- stay out of logs; managers read the trail).
create trigger outbound_audit after insert or update or delete on app.outbound_messages
  for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain', 'subject', 'body');

alter table app.outbound_messages enable row level security;
alter table app.outbound_messages force row level security;
grant select, insert on app.outbound_messages to app_user, app_service;
grant update (status, attempts, next_attempt_at, provider_message_id, last_error, sent_at)
  on app.outbound_messages to app_service;

-- Reps see the messages they queued; managers and admins all of the tenant's. Members queue
-- messages to leads they can see, as themselves, for consent-bearing purposes only.
-- A member's own messages (the brief, replies to what they texted) are theirs alone.
create policy outbound_select on app.outbound_messages for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((member_id is null and ((select ctx.has_role('manager')) or created_by = (select ctx.user_id())))
              or member_id = (select ctx.user_id())));
create policy outbound_insert on app.outbound_messages for insert to app_user
  with check (tenant_id = (select ctx.tenant_id())
              and created_by = (select ctx.user_id())
              and purpose in ('marketing', 'service')
              and exists (select from app.leads l where l.tenant_id = outbound_messages.tenant_id
                          and l.id = outbound_messages.lead_id));
create policy outbound_service on app.outbound_messages to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()));

-- What the consent functions below read, as the definer (they run for any caller).
grant select on app.consent_events, app.suppressions to palisade_definer;
grant select (tenant_id, id, owner_id, phone_index, email_index) on app.leads to palisade_definer;
grant select (tenant_id, owner_id, phone_index, verified_at) on app.member_phones to palisade_definer;
grant select (tenant_id, lead_id, channel, direction, occurred_at) on app.interactions to palisade_definer;
grant select (tenant_id, id, lead_id, member_id, channel, purpose, created_at) on app.outbound_messages to palisade_definer;
create policy consent_definer_select on app.consent_events for select to palisade_definer using (true);
create policy suppressions_definer_select on app.suppressions for select to palisade_definer using (true);
create policy member_phones_definer_select on app.member_phones for select to palisade_definer using (true);
create policy interactions_definer_select on app.interactions for select to palisade_definer using (true);
create policy outbound_definer_select on app.outbound_messages for select to palisade_definer using (true);

reset role;
set local role palisade_definer;

------------------------------------------------------------------------------------------------------
-- Consent state and the outbox guard
------------------------------------------------------------------------------------------------------

-- The address a subject is reached at on a channel: a lead's phone or email index, an active
-- member's verified phone index (members get no email here). Null when there is none.
create function app.subject_address(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text)
returns bytea
language sql stable security definer set search_path = '' as $$
  select case
    when p_lead is not null then
      (select case when p_channel = 'email' then l.email_index else l.phone_index end
         from app.leads l where l.tenant_id = p_tenant and l.id = p_lead)
    when p_channel <> 'email' then
      (select p.phone_index from app.member_phones p
         join app.memberships m on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active'
         where p.tenant_id = p_tenant and p.owner_id = p_member and p.verified_at is not null)
  end
$$;

-- Why the subject may not be sent a `p_purpose` message on `p_channel` now, or null when it may:
-- `no_address` (no number or email, or a member's number not verified), `suppressed` (the address
-- said STOP), `no_consent` (no grant, or revoked since).
create function app.consent_block(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text, p_purpose text)
returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  v_address bytea := app.subject_address(p_tenant, p_lead, p_member, p_channel);
  v_action  text;
begin
  if v_address is null then
    return 'no_address';
  end if;
  if exists (select from app.suppressions s
             where s.tenant_id = p_tenant and s.channel = p_channel and s.address_index = v_address) then
    return 'suppressed';
  end if;
  select c.action into v_action
    from app.consent_events c
    where c.tenant_id = p_tenant and c.channel = p_channel and c.purpose = p_purpose
      and c.lead_id is not distinct from p_lead and c.member_id is not distinct from p_member
    order by c.occurred_at desc, c.created_at desc
    limit 1;
  if v_action is distinct from 'grant' then
    return 'no_consent';
  end if;
  return null;
end
$$;

-- The outbox guard: an insert consent does not allow is refused (SQLSTATE PA451, message
-- `consent_required: <reason>`), whoever makes it. Two replies need no consent, and only the
-- service context may queue them (the members' policy allows consent-bearing purposes only):
-- * `help`: exactly the tenant's help text, even to an address that opted out, within an hour of
--   an inbound message from that lead on that channel (a member's verified number: any time);
-- * `opt_out_confirmation`: one, within an hour of a keyword revocation on that channel.
create function app.outbound_consent_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_block   text;
  v_revoked timestamptz;
begin
  if new.purpose = 'help' then
    if new.body is distinct from (select t.help_text from app.tenants t where t.id = new.tenant_id) then
      v_block := 'not_help_text';
    elsif new.lead_id is not null and not exists (
         select from app.interactions i
         where i.tenant_id = new.tenant_id and i.lead_id = new.lead_id and i.channel = new.channel
           and i.direction = 'inbound'
           and i.occurred_at between pg_catalog.now() - interval '1 hour' and pg_catalog.now()) then
      v_block := 'no_inbound_message';
    elsif app.subject_address(new.tenant_id, new.lead_id, new.member_id, new.channel) is null then
      v_block := 'no_address';
    end if;
  elsif new.purpose = 'opt_out_confirmation' then
    select max(c.occurred_at) into v_revoked
      from app.consent_events c
      where c.tenant_id = new.tenant_id and c.channel = new.channel and c.action = 'revoke'
        and c.source = 'inbound_keyword'
        and c.lead_id is not distinct from new.lead_id and c.member_id is not distinct from new.member_id
        and c.occurred_at > pg_catalog.now() - interval '1 hour';
    if v_revoked is null then
      v_block := 'no_recent_opt_out';
    elsif exists (select from app.outbound_messages o
                  where o.tenant_id = new.tenant_id and o.channel = new.channel
                    and o.purpose = 'opt_out_confirmation'
                    and o.lead_id is not distinct from new.lead_id and o.member_id is not distinct from new.member_id
                    and o.created_at >= v_revoked and o.id <> new.id) then
      v_block := 'already_confirmed';
    end if;
  else
    v_block := app.consent_block(new.tenant_id, new.lead_id, new.member_id, new.channel, new.purpose);
  end if;
  if v_block is not null then
    raise exception 'consent_required: %', v_block using errcode = 'PA451';
  end if;
  return new;
end
$$;

-- The service context's question (the delivery worker's check at send time), for its own tenant.
create function app.consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text)
returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null then
    raise exception 'consent is checked in a tenant-scoped service context' using errcode = '42501';
  end if;
  return app.consent_block(v_tenant, p_lead, p_member, p_channel, p_purpose);
end
$$;

revoke execute on function app.subject_address(uuid, uuid, uuid, text),
  app.consent_block(uuid, uuid, uuid, text, text), app.consent_block_here(uuid, uuid, text, text),
  app.outbound_consent_guard() from public;
grant execute on function app.consent_block_here(uuid, uuid, text, text) to app_service;
-- The owner attaches the guard to its table (creating a trigger needs EXECUTE); nobody calls it.
grant execute on function app.outbound_consent_guard() to palisade_owner;

reset role;
set local role palisade_owner;

-- After the insert, so the row-level policies decide first: a member never learns the consent state
-- of a lead they may not see.
create trigger outbound_consent after insert on app.outbound_messages
  for each row execute function app.outbound_consent_guard();

------------------------------------------------------------------------------------------------------
-- The delivery worker's claim: due messages across tenants, at most `p_per_tenant` per tenant per
-- claim (the per-tenant send rate), each leased for `p_lease_seconds`: a worker that dies mid-send
-- leaves its messages to be claimed again when the lease ends (delivery is at least once).
------------------------------------------------------------------------------------------------------
grant select (status, next_attempt_at, attempts) on app.outbound_messages to palisade_definer;
grant update (status, attempts, next_attempt_at) on app.outbound_messages to palisade_definer;
create policy outbound_definer_update on app.outbound_messages for update to palisade_definer
  using (true) with check (true);

reset role;
set local role palisade_definer;

create function app.claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer)
returns table (tenant_id uuid, id uuid)
language plpgsql volatile security definer set search_path = '' as $$
begin
  -- The platform's worker claims across tenants; a tenant's own service context may not.
  if pg_catalog.current_setting('role', true) is distinct from 'app_service' or ctx.scoped_tenant_id() is not null then
    raise exception 'messages are claimed by the delivery worker only' using errcode = '42501';
  end if;
  return query
    with locked as (
      select o.tenant_id, o.id, o.next_attempt_at
      from app.outbound_messages o
      where o.status in ('queued', 'sending') and o.next_attempt_at <= pg_catalog.now()
      order by o.next_attempt_at
      limit p_limit * 4
      for update skip locked
    ), ranked as (
      select l.tenant_id, l.id,
             pg_catalog.row_number() over (partition by l.tenant_id order by l.next_attempt_at, l.id) as n
      from locked l
    ), chosen as (
      select r.tenant_id, r.id from ranked r where r.n <= p_per_tenant limit p_limit
    )
    update app.outbound_messages o
       set status = 'sending', attempts = o.attempts + 1,
           next_attempt_at = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds)
      from chosen c
     where o.tenant_id = c.tenant_id and o.id = c.id
    returning o.tenant_id, o.id;
end
$$;

revoke execute on function app.claim_outbound(integer, integer, integer) from public;
grant execute on function app.claim_outbound(integer, integer, integer) to app_service;

reset role;
