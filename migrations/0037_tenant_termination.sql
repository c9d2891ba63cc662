-- Tenant termination (issue 18, point 7). An admin ends the tenant: from that moment no member can act
-- in it (0031's ctx.enter scopes active tenants only), the company export stays downloadable to its
-- admins for a grace period, and the termination can be canceled; after the grace period the purge
-- deletes every row of the tenant, batch by batch, in the system service context with purpose
-- 'termination'. What stays: the tenant's row under a made-up name (its id anchors what stays), its
-- suppressions (a STOP outlives the customer), the termination's receipt, and its audit chain's anchor
-- (the chain's last hash, so `palisade audit verify` still proves nothing was altered before the
-- purge; 0007's chain_anchors, as when old partitions are dropped).
--
-- Replaces 0002's tenants_status_check (adds 'terminating', 'purging', 'purged'), 0035's
-- access_events_action_check (adds 'tenant_terminating', 'tenant_termination_canceled'), 0031's
-- ctx.enter (a company export's service context may act in a terminating tenant) and 0036's
-- audit.forbid_mutation (the purge may delete the append-only rows of the tenant it purges).
set local role palisade_owner;

alter table app.tenants drop constraint tenants_status_check;
alter table app.tenants add constraint tenants_status_check
  check (status in ('active', 'suspended', 'terminating', 'purging', 'purged'));

alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked',
  'webhook_rejected', 'member_suspended', 'member_reinstated', 'member_left', 'platform_admin_granted',
  'platform_admin_revoked', 'erasure', 'account_deleted', 'tenant_terminating', 'tenant_termination_canceled'));

-- One row per termination asked for. At most one is live (not canceled) per tenant; a purged tenant's
-- row is its receipt: when, and how many rows of each table went.
create table app.terminations (
  tenant_id        uuid not null references app.tenants (id) on delete cascade,
  id               uuid not null,
  -- The admin who asked (null: an operator's `palisade tenant purge`). No foreign key: nulled by the
  -- purge, and a termination must not stop its author from deleting their account.
  requested_by     uuid,
  requested_at     timestamptz not null,
  purge_after      timestamptz not null,
  canceled_by      uuid,
  canceled_at      timestamptz,
  purge_started_at timestamptz,
  purged_at        timestamptz,
  -- Rows deleted per table, added to batch by batch.
  counts           jsonb not null default '{}' check (pg_catalog.jsonb_typeof(counts) = 'object'),
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  check (purge_after >= requested_at),
  check (canceled_at is null or purge_started_at is null),
  check (purged_at is null or purge_started_at is not null)
);
create unique index terminations_live_idx on app.terminations (tenant_id) where canceled_at is null;
create trigger terminations_touch before update on app.terminations
  for each row execute function app.touch_updated_at();
create trigger terminations_audit after insert or update or delete on app.terminations
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain');
alter table app.terminations enable row level security;
alter table app.terminations force row level security;
grant select on app.terminations to app_user;
grant select, insert, update on app.terminations to palisade_definer;
-- Admins of an active tenant read its past (canceled) terminations; a terminating tenant's admins
-- read the live one through app.termination_for_admin, as they can no longer act in the tenant.
create policy terminations_admin_select on app.terminations for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy terminations_definer on app.terminations to palisade_definer using (true) with check (true);

reset role;
set local role palisade_definer;

-- The tenant the purge works on: the one app.purge_* named in palisade.purge_tenant, and only while
-- that tenant is being purged (a status only app.begin_purge sets: after the grace period the database
-- itself measured, or for the database admin), so a forged setting names no tenant that is not already
-- being purged. Read by the purge policies below and the append-only guard, as palisade_definer.
create function ctx.purging_tenant_id() returns uuid
language sql stable as $$
  select t.id from app.tenants t
  where t.id = nullif(pg_catalog.current_setting('palisade.purge_tenant', true), '')::pg_catalog.uuid
    and t.status = 'purging'
$$;
revoke execute on function ctx.purging_tenant_id() from public;

reset role;
set local role palisade_owner;

-- The purge deletes, as palisade_definer, the rows of the tenant being purged, table by table (children
-- before parents). It finds a batch by ctid: one plan for every table, whatever its key. It reads and
-- deletes; nothing here lets it insert or update.
do $$
declare
  t text;
begin
  foreach t in array array['app.phone_verifications', 'app.brief_preferences', 'app.member_phones',
    'app.voice_samples', 'app.voice_consents', 'app.coaching_observations', 'app.drafts',
    'app.outbound_messages', 'app.consent_events', 'app.interactions', 'app.deals', 'app.leads',
    'app.deal_stage_totals', 'app.activity_daily', 'app.webhook_events', 'app.message_templates',
    'app.integrations', 'app.invitations', 'app.erasures', 'app.retention_settings', 'app.incident_tenants',
    'app.memberships']
  loop
    execute pg_catalog.format('grant select (tenant_id, ctid), delete on %s to palisade_definer', t);
    execute pg_catalog.format(
      'create policy %I on %s for select to palisade_definer using (tenant_id = (select ctx.purging_tenant_id()))',
      pg_catalog.split_part(t, '.', 2) || '_purge_read', t);
    execute pg_catalog.format(
      'create policy %I on %s for delete to palisade_definer using (tenant_id = (select ctx.purging_tenant_id()))',
      pg_catalog.split_part(t, '.', 2) || '_purge', t);
  end loop;
end
$$;
grant select (tenant_id, ctid), delete on app.error_events, audit.access_events to palisade_definer;
-- (audit.event_windows belongs to palisade_definer already.)
-- The de-identified tenant row: a made-up slug and name, no domains, no inbound owner.
grant update (slug, name, status, email_domains, inbound_owner_id, help_text) on app.tenants to palisade_definer;

reset role;
set local role palisade_definer;

-- 0036's guard, and one more exception: the purge deletes every append-only row of the tenant it
-- purges (its consent ledger, access log, audit events and their links) — as palisade_definer, only
-- while the tenant is being purged and named by the purge.
create or replace function audit.forbid_mutation() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_level = 'ROW' and tg_op = 'UPDATE' and tg_table_schema = 'audit' and tg_table_name like 'events%'
     and pg_catalog.current_setting('palisade.audit_redaction', true) = 'on' then
    if new.before is null and new.after is null and new.redacted_at is not null
       and (new.id, new.chain_id, new.tenant_id, new.table_name, new.op, new.row_key, new.actor_user_id,
            new.actor_kind, new.actor_role, new.purpose, new.correlation_id, new.lead_id, new.owner_id,
            new.private, new.content_hash, new.occurred_at)
           is not distinct from
           (old.id, old.chain_id, old.tenant_id, old.table_name, old.op, old.row_key, old.actor_user_id,
            old.actor_kind, old.actor_role, old.purpose, old.correlation_id, old.lead_id, old.owner_id,
            old.private, old.content_hash, old.occurred_at) then
      return new;
    end if;
  end if;
  -- Nested: other tables have no tenant_id or occurred_at, and a record's field is resolved when used.
  if tg_level = 'ROW' and tg_op = 'DELETE' and tg_table_schema = 'audit' and tg_table_name = 'access_events'
     and current_user = 'palisade_definer' then
    if old.tenant_id is not null
       and old.tenant_id = nullif(pg_catalog.current_setting('palisade.access_retention_tenant', true), '')::uuid
       and old.occurred_at < nullif(pg_catalog.current_setting('palisade.access_retention_before', true), '')::timestamptz
    then
      return old;
    end if;
  end if;
  if tg_level = 'ROW' and tg_op = 'DELETE' and current_user = 'palisade_definer'
     and nullif(pg_catalog.current_setting('palisade.purge_tenant', true), '') is not null then
    if tg_table_schema = 'audit' and tg_table_name like 'chain_links%' then
      if old.chain_id = ctx.purging_tenant_id() then
        return old;
      end if;
    elsif old.tenant_id = ctx.purging_tenant_id() then
      return old;
    end if;
  end if;
  raise exception 'audit records are append-only (% refused)', tg_op using errcode = '42501';
end
$$;

-- 0031's ctx.enter, same text but for the tenant join: a service context with purpose
-- 'company_export' may also act in a terminating tenant (its admins' grace-period download, an
-- operator's `palisade export`). Every other context, a member's included, acts in active tenants only.
create or replace function ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamptz, p_idle interval,
                                     out state text, out role text, out blocked text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  r record;
begin
  if p_session is not null then
    -- Clears palisade.user_id and palisade.tenant_id unless the session is live.
    state := ctx.session_gate(p_session, p_secret_hash, p_now, p_idle);
  end if;
  -- One statement for everything: the person, the tenant, and (user contexts) the membership.
  select u.id as user_id, t.id as scope, m.role as member_role,
         exists (select from app.platform_admins p where p.user_id = u.id) as platform,
         case when m.role is not null
              then ctx.membership_blocked(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email,
                                          m.sessions_revoked_at) end as member_blocked
    into r
  from (select nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid as user_id,
               nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid as tenant_id) c
  left join app.users u on u.id = c.user_id and u.disabled_at is null
  left join app.tenants t on t.id = c.tenant_id
                         and (t.status = 'active'
                              or (t.status = 'terminating'
                                  and pg_catalog.current_setting('role', true) = 'app_service'
                                  and pg_catalog.current_setting('palisade.purpose', true) = 'company_export'))
  left join app.memberships m on pg_catalog.current_setting('role', true) = 'app_user'
                             and m.tenant_id = t.id and m.user_id = u.id and m.status = 'active';
  if r.member_role is not null then
    blocked := r.member_blocked;
    role := case when blocked is null then r.member_role end;
  end if;
  if pg_catalog.current_setting('role', true) <> 'app_reporting' then
    perform pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true);
  end if;
  perform pg_catalog.set_config('palisade.acting_user', coalesce(r.user_id::text, ''), true);
  perform pg_catalog.set_config('palisade.acting_platform', case when r.platform then 'on' else '' end, true);
  perform pg_catalog.set_config('palisade.acting_scope', coalesce(r.scope::text, ''), true);
  perform pg_catalog.set_config('palisade.acting_role', coalesce(role, ''), true);
  perform pg_catalog.set_config('palisade.acting_tenant', case when role is null then '' else r.scope::text end,
                                true);
end
$$;

-- An admin ends their tenant (user context in the tenant, a session with a recent sign-in, the slug
-- typed as confirmation). From the next transaction on nobody acts in it, and what its outbox still
-- held is blocked (0019's outbound_definer_update lets it); the purge may start after p_grace_seconds —
-- at least a day (whole seconds: an interval of months is not a fixed length), by the database's clock, so
-- even a forged context leaves the admins a day to notice and cancel. Returns the termination's id.
create function app.start_termination(p_confirm_slug text, p_now timestamptz, p_grace_seconds bigint) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.tenant_id();
  v_user uuid;
  v_grace interval;
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if v_tenant is null or not ctx.has_role('admin') then
    raise exception 'only an admin of the tenant ends it' using errcode = '42501';
  end if;
  if p_grace_seconds is null or p_grace_seconds < 86400 or p_grace_seconds > 366 * 86400 then
    raise exception 'the grace period must be between 1 and 366 days' using errcode = '22023';
  end if;
  v_grace := pg_catalog.make_interval(secs => p_grace_seconds);
  v_user := auth.require_recent_authentication(p_now);
  -- The row lock orders this against a concurrent start or a suspension.
  if not exists (select from app.tenants t where t.id = v_tenant and t.status = 'active'
                   and t.slug = p_confirm_slug for no key update) then
    raise exception 'the confirmation does not name this tenant' using errcode = 'PA422';
  end if;
  update app.tenants t set status = 'terminating' where t.id = v_tenant;
  insert into app.terminations (id, tenant_id, requested_by, requested_at, purge_after)
  values (v_id, v_tenant, v_user, pg_catalog.now(), pg_catalog.now() + v_grace);
  -- Queued, or claimed by a worker that will find the tenant closed: neither goes, even after a cancel.
  update app.outbound_messages o set status = 'blocked', last_error = 'the tenant was ended before it was sent'
  where o.tenant_id = v_tenant and o.status in ('queued', 'sending');
  perform audit.log_access(v_tenant, 'tenant_terminating', 'tenant', v_tenant::text,
                           pg_catalog.jsonb_build_object('purge_after', pg_catalog.now() + v_grace), null);
  return v_id;
end
$$;

-- The live termination of p_tenant, for one of its admins (user context acting in no tenant: they
-- cannot act in a terminating tenant). Nothing for anyone else, nor for an admin whose session the
-- tenant's sign-in rules would refuse, so the answer says no more than a 404 would.
create function app.termination_for_admin(p_tenant uuid)
returns table (id uuid, tenant_id uuid, slug text, status text, requested_by uuid, requested_at timestamptz,
               purge_after timestamptz, purge_started_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select x.id, x.tenant_id, t.slug, t.status, x.requested_by, x.requested_at, x.purge_after, x.purge_started_at
  from app.terminations x
  join app.tenants t on t.id = x.tenant_id and t.status in ('terminating', 'purging')
  join app.memberships m on m.tenant_id = t.id and m.user_id = ctx.user_id() and m.status = 'active'
                        and m.role = 'admin'
  join app.users u on u.id = m.user_id
  where x.tenant_id = p_tenant and x.canceled_at is null
    and pg_catalog.current_setting('role', true) = 'app_user'
    and ctx.membership_blocked(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email,
                               m.sessions_revoked_at) is null
$$;

-- One of its admins cancels a termination during its grace period: the tenant is active again. Returns
-- false when there is nothing this caller may cancel (no termination, not theirs, purge started).
create function app.cancel_termination(p_tenant uuid, p_now timestamptz) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  select x.id into v_id from app.termination_for_admin(p_tenant) x where x.status = 'terminating';
  if v_id is null then
    return false;
  end if;
  -- The purge's start takes the same row lock and re-checks the status after it.
  perform from app.tenants t where t.id = p_tenant and t.status = 'terminating' for no key update;
  if not found then
    return false;
  end if;
  update app.terminations x set canceled_at = pg_catalog.now(), canceled_by = ctx.user_id()
  where x.tenant_id = p_tenant and x.id = v_id and x.canceled_at is null and x.purge_started_at is null;
  if not found then
    return false;
  end if;
  update app.tenants t set status = 'active' where t.id = p_tenant;
  -- Logged as the tenant's (the caller acts in no tenant, so audit.log_access would refuse it).
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type, target_id,
                                   detail, correlation_id)
  values (p_tenant, ctx.user_id(), 'user', null, 'tenant_termination_canceled', 'tenant', p_tenant::text,
          '{}'::jsonb, nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return true;
end
$$;

-- The purge's checks: the system service context (no tenant), purpose 'termination'.
create function app.require_termination_context() returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  perform audit.require_system_context();
  if pg_catalog.current_setting('palisade.purpose', true) is distinct from 'termination' then
    raise exception 'only the termination job purges tenants' using errcode = '42501';
  end if;
end
$$;

-- Tenants whose purge is due (grace period over, by the database's clock) or under way, for the job.
create function app.due_terminations() returns table (tenant_id uuid, slug text)
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_termination_context();
  return query
    select t.id, t.slug from app.tenants t
    join app.terminations x on x.tenant_id = t.id and x.canceled_at is null and x.purged_at is null
    where t.status = 'purging' or (t.status = 'terminating' and x.purge_after <= pg_catalog.now())
    order by x.purge_after;
end
$$;

-- Starts the purge of a terminating tenant whose grace period is over (the termination job: the system
-- service context, purpose 'termination'), or — p_operator, `palisade tenant purge` — of any tenant at
-- once, which only the database admin may ask for (a member of palisade_owner or a superuser, never
-- the runtime login: whoever holds only the server's credentials cannot skip a grace period). A
-- termination without an author is recorded first. From here on the termination cannot be canceled.
-- Returns the tenant's id, or null when there is no such tenant or its purge may not start yet; a
-- purge under way is returned as is.
create function app.begin_purge(p_slug text, p_operator boolean) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  t record;
begin
  if p_operator then
    if not pg_catalog.pg_has_role(session_user, 'palisade_owner', 'MEMBER') then
      raise exception 'only the database admin purges a tenant at once' using errcode = '42501';
    end if;
  else
    perform app.require_termination_context();
  end if;
  select x.id, x.status into t from app.tenants x where x.slug = p_slug for no key update;
  if t.id is null or t.status = 'purged' then
    return null;
  elsif t.status = 'purging' then
    return t.id;
  elsif t.status in ('active', 'suspended') then
    if not p_operator then
      return null;
    end if;
    insert into app.terminations (id, tenant_id, requested_by, requested_at, purge_after)
    values (pg_catalog.gen_random_uuid(), t.id, null, pg_catalog.now(), pg_catalog.now());
  elsif not p_operator and not exists (select from app.terminations x where x.tenant_id = t.id
                                         and x.canceled_at is null and x.purge_after <= pg_catalog.now()) then
    return null;
  end if;
  -- Where the chain starts now (0 or an anchor audit retention left): the receipt counts from here.
  update app.terminations x
    set purge_started_at = pg_catalog.now(),
        counts = x.counts || pg_catalog.jsonb_build_object('audit.anchor_before',
                   coalesce((select a.seq from audit.chain_anchors a where a.chain_id = t.id), 0))
  where x.tenant_id = t.id and x.canceled_at is null;
  update app.tenants x set status = 'purging' where x.id = t.id;
  return t.id;
end
$$;

-- Takes the tenant's purge lock — two instances of the job, or the job and an operator, purge a tenant
-- one batch at a time, each seeing what the other left — and names the tenant for the purge policies
-- and the append-only guard (refused unless it is being purged). False when another purge finished it.
create function app.purge_lock(p_tenant uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('purge:' || p_tenant::text, 0));
  -- Looked at under the lock: another purge of the tenant may have finished while this one waited.
  if exists (select from app.tenants t where t.id = p_tenant and t.status = 'purged') then
    return false;
  end if;
  perform pg_catalog.set_config('palisade.purge_tenant', p_tenant::text, true);
  if ctx.purging_tenant_id() is null then
    raise exception 'the tenant is not being purged' using errcode = '42501';
  end if;
  return true;
end
$$;

-- One batch of the purge: up to p_limit rows of the first table that still holds rows of the tenant
-- (children before parents). Returns the table and the rows deleted, or nothing once every table is
-- empty. The counts on the termination grow with each batch.
create function app.purge_batch(p_tenant uuid, p_limit integer, out table_name text, out deleted bigint)
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_table text;
begin
  perform app.require_termination_context();
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 rows' using errcode = '22023';
  end if;
  if not app.purge_lock(p_tenant) then
    table_name := null;
    deleted := 0;
    return;
  end if;
  foreach v_table in array array['app.phone_verifications', 'app.brief_preferences', 'app.member_phones',
    'app.voice_samples', 'app.voice_consents', 'app.coaching_observations', 'app.drafts',
    'app.outbound_messages', 'app.consent_events', 'app.interactions', 'app.deals', 'app.leads',
    'app.deal_stage_totals', 'app.activity_daily', 'app.webhook_events', 'app.message_templates',
    'app.integrations', 'app.invitations', 'app.erasures', 'app.retention_settings', 'app.incident_tenants',
    'app.error_events', 'audit.event_windows', 'audit.access_events', 'app.memberships']
  loop
    if v_table = 'app.memberships' then
      -- The tenant's inbound owner is a membership.
      update app.tenants t set inbound_owner_id = null where t.id = p_tenant and t.inbound_owner_id is not null;
    end if;
    -- Every table's rows carry the tenant; a ctid found twice in two partitions is the tenant's too.
    execute pg_catalog.format(
      'delete from %s x where x.tenant_id = $1 and x.ctid = any (array(select y.ctid from %s y '
      'where y.tenant_id = $1 limit $2))', v_table, v_table)
      using p_tenant, p_limit;
    get diagnostics deleted = row_count;
    if deleted > 0 then
      table_name := v_table;
      update app.terminations x
        set counts = x.counts || pg_catalog.jsonb_build_object(v_table,
                       coalesce((x.counts ->> v_table)::bigint, 0) + deleted)
      where x.tenant_id = p_tenant and x.canceled_at is null;
      return;
    end if;
  end loop;
  -- Every row is gone: the tenant's row keeps no name, slug or domain of the customer's, and its
  -- terminations no admin's id — before the trail goes, so the events of these changes go with it.
  update app.tenants t
    set slug = 'purged-' || pg_catalog.replace(t.id::text, '-', ''), name = 'Purged tenant',
        email_domains = '{}', help_text = 'Reply STOP to opt out.'
  where t.id = p_tenant and t.name <> 'Purged tenant';
  update app.terminations x set requested_by = null, canceled_by = null
  where x.tenant_id = p_tenant and (x.requested_by is not null or x.canceled_by is not null);
  table_name := null;
  deleted := 0;
end
$$;

-- The audit phase, once every row is gone and every event of the chain is sealed: deletes the oldest
-- p_limit links of the tenant's chain with their events, and makes the last one deleted the chain's
-- anchor (as 0007's drop_expired_partitions does), so the chain verifies after every batch. Returns
-- the events deleted; 0 once the chain holds none, or while some wait for the sealer (null then).
create function audit.purge_chain_batch(p_tenant uuid, p_limit integer) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_last record;
  v_events bigint;
begin
  perform app.require_termination_context();
  if not app.purge_lock(p_tenant) then
    return 0;
  end if;
  if exists (select from app.leads l where l.tenant_id = p_tenant)
     or exists (select from app.memberships m where m.tenant_id = p_tenant) then
    raise exception 'the tenant''s rows must go before its audit trail' using errcode = '55000';
  end if;
  if exists (select from audit.pending p join audit.events e on e.id = p.event_id and e.occurred_at = p.occurred_at
             where e.chain_id = p_tenant) then
    return null;
  end if;
  select l.seq, l.hash into v_last from (
    select x.seq, x.hash from audit.chain_links x where x.chain_id = p_tenant
    order by x.seq limit greatest(p_limit, 1)) l
  order by l.seq desc limit 1;
  if v_last.seq is null then
    return 0;
  end if;
  insert into audit.chain_anchors as a (chain_id, seq, hash) values (p_tenant, v_last.seq, v_last.hash)
  on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, created_at = pg_catalog.now()
  where excluded.seq > a.seq;
  with links as (
    delete from audit.chain_links x where x.chain_id = p_tenant and x.seq <= v_last.seq
    returning x.event_id, x.occurred_at)
  delete from audit.events e using links k
  where e.id = k.event_id and e.occurred_at = k.occurred_at and e.chain_id = p_tenant;
  get diagnostics v_events = row_count;
  return v_events;
end
$$;

-- The end of a purge: the tenant is 'purged', and its receipt counts the audit events the purge deleted
-- (from the chain's start, or the anchor audit retention had left, to its anchor now). Nothing when
-- another purge finished it first.
create function app.finish_purge(p_tenant uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform app.require_termination_context();
  if not app.purge_lock(p_tenant) then
    return;
  end if;
  if exists (select from audit.chain_links x where x.chain_id = p_tenant) then
    raise exception 'the tenant''s audit trail must go first' using errcode = '55000';
  end if;
  update app.terminations x
    set purged_at = pg_catalog.now(),
        counts = (x.counts - 'audit.anchor_before') || pg_catalog.jsonb_build_object('audit.events',
                   coalesce((select a.seq from audit.chain_anchors a where a.chain_id = p_tenant), 0)
                   - coalesce((x.counts ->> 'audit.anchor_before')::bigint, 0))
  where x.tenant_id = p_tenant and x.canceled_at is null;
  update app.tenants t set status = 'purged' where t.id = p_tenant;
end
$$;

revoke execute on function ctx.enter(uuid, bytea, timestamptz, interval), app.start_termination(text, timestamptz, bigint),
  app.termination_for_admin(uuid), app.cancel_termination(uuid, timestamptz), app.require_termination_context(),
  app.due_terminations(), app.begin_purge(text, boolean), app.purge_lock(uuid), app.purge_batch(uuid, integer),
  audit.purge_chain_batch(uuid, integer), app.finish_purge(uuid) from public;
grant execute on function ctx.enter(uuid, bytea, timestamptz, interval) to app_user, app_service, app_reporting;
grant execute on function app.start_termination(text, timestamptz, bigint), app.termination_for_admin(uuid),
  app.cancel_termination(uuid, timestamptz) to app_user;
grant execute on function app.due_terminations(), app.begin_purge(text, boolean), app.purge_batch(uuid, integer),
  audit.purge_chain_batch(uuid, integer), app.finish_purge(uuid) to app_service;
-- `palisade tenant purge` asks as the database admin (a member of palisade_owner when not a superuser).
grant execute on function app.begin_purge(text, boolean) to palisade_owner;

reset role;
