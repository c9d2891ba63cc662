-- The language model (issue 20): each tenant's assistant settings, its usage and monthly budget, and
-- AI output marked as such by the database. Adds to 0004 (drafts gain `source`; who may write which
-- source) and replaces 0037's app.purge_batch (the same function, with this migration's two tables in
-- its list).
set local role palisade_owner;

-- What a tenant's admins chose. No row: the defaults (drafting on, coaching and auto-replies off, every
-- built-in detector on, the operator's budget). Holds no personal data: topics and patterns are the
-- company's own words.
create table app.ai_settings (
  tenant_id             uuid primary key references app.tenants (id) on delete cascade,
  -- Millionths of a US dollar a calendar month (UTC) may cost; null: the operator's default.
  monthly_budget_micros bigint check (monthly_budget_micros between 0 and 1000000000000),
  drafting              boolean not null default true,
  coaching              boolean not null default false,
  auto_reply_channels   text[] not null default '{}'
                        check (auto_reply_channels <@ array['sms', 'whatsapp']::text[]),
  forbidden_topics      text[] not null default '{}' check (cardinality(forbidden_topics) <= 50),
  mask_iban             boolean not null default true,
  mask_us_ssn           boolean not null default true,
  mask_uk_nino          boolean not null default true,
  mask_patterns         text[] not null default '{}' check (cardinality(mask_patterns) <= 20),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create trigger ai_settings_touch before update on app.ai_settings
  for each row execute function app.touch_updated_at();
create trigger ai_settings_audit after insert or update or delete on app.ai_settings
  for each row execute function audit.record_change('tenant_id', 'tenant_id', '', 'domain');

alter table app.ai_settings enable row level security;
alter table app.ai_settings force row level security;
grant select, insert, update on app.ai_settings to app_user;
grant select on app.ai_settings to app_service;
create policy ai_settings_admin_select on app.ai_settings for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy ai_settings_admin_insert on app.ai_settings for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy ai_settings_admin_update on app.ai_settings for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
-- The assistant reads its tenant's settings before a call; the company export reads them too.
create policy ai_settings_service_select on app.ai_settings for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('assistant', 'company_export'));

-- One row per call to the model: reserved at its most expensive before it is sent, settled at what it
-- cost. Metering, not domain data: no audit trigger (the draft or observation a call produced has its
-- own audit event). Names no person: who asked for a draft is rep-private.
create table app.ai_usage (
  tenant_id         uuid not null references app.tenants (id) on delete cascade,
  id                uuid not null,
  purpose           text not null check (purpose in ('draft', 'coaching', 'answer')),
  model             text not null check (char_length(model) between 1 and 100),
  status            text not null default 'reserved' check (status in ('reserved', 'done', 'failed')),
  reserved_micros   bigint not null check (reserved_micros >= 0),
  cost_micros       bigint check (cost_micros >= 0),
  prompt_tokens     integer check (prompt_tokens >= 0),
  completion_tokens integer check (completion_tokens >= 0),
  -- Values the egress guard replaced by placeholders (a count, never which).
  masked            integer check (masked >= 0),
  created_at        timestamptz not null default now(),
  settled_at        timestamptz,
  primary key (tenant_id, id),
  check ((status = 'reserved') = (settled_at is null))
);
create index ai_usage_month_idx on app.ai_usage (tenant_id, created_at);

alter table app.ai_usage enable row level security;
alter table app.ai_usage force row level security;
grant select on app.ai_usage to app_user, app_service;
create policy ai_usage_admin_select on app.ai_usage for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy ai_usage_company_export on app.ai_usage for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');
-- The budget functions below, as palisade_definer.
grant select, insert, update on app.ai_usage to palisade_definer;
grant select on app.ai_settings to palisade_definer;
create policy ai_usage_definer on app.ai_usage to palisade_definer using (true) with check (true);
create policy ai_settings_definer_select on app.ai_settings for select to palisade_definer using (true);

-- AI output is marked by the database, not by the caller's goodwill: whatever the service context (the
-- assistant) writes into a rep's drafts or coaching is `ai`, whatever a person writes is `self`.
alter table app.drafts add column source text not null default 'self' check (source in ('self', 'ai'));
create policy drafts_people_write_self on app.drafts as restrictive for insert to app_user
  with check (source = 'self');
create policy drafts_assistant_writes_ai on app.drafts as restrictive for insert to app_service
  with check (source = 'ai');
create policy coaching_people_write_self on app.coaching_observations as restrictive for insert to app_user
  with check (source = 'self');
create policy coaching_assistant_writes_ai on app.coaching_observations as restrictive for insert to app_service
  with check (source = 'ai');

-- The purge (0037) reaches both new tables.
do $$
declare
  t text;
begin
  foreach t in array array['app.ai_usage', 'app.ai_settings']
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

reset role;
set local role palisade_definer;

-- Reserves a call's most expensive cost against the service context's tenant's budget for this calendar
-- month (UTC), or refuses it (SQLSTATE PA429) if that would overspend. One reservation at a time per
-- tenant (a transaction-scoped advisory lock), so two concurrent calls cannot both take the last of the
-- budget. A reservation never settled (a crash mid-call) stays counted at its reserved cost.
-- `p_default_budget` is the operator's, used when the tenant set none.
create function app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint)
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_budget bigint;
  v_spent bigint;
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) <> 'assistant' then
    raise exception 'the budget is reserved by the assistant of one tenant' using errcode = '42501';
  end if;
  if p_reserve is null or p_reserve < 0 or p_default_budget is null or p_default_budget < 0 then
    raise exception 'a reservation and a budget are zero or more' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('palisade.ai_budget:' || v_tenant::text, 0));
  select coalesce(s.monthly_budget_micros, p_default_budget) into v_budget
  from app.ai_settings s where s.tenant_id = v_tenant;
  v_budget := coalesce(v_budget, p_default_budget);
  select coalesce(sum(coalesce(u.cost_micros, u.reserved_micros)), 0) into v_spent
  from app.ai_usage u
  where u.tenant_id = v_tenant and u.created_at >= pg_catalog.date_trunc('month', pg_catalog.now(), 'UTC');
  if v_spent + p_reserve > v_budget then
    raise exception 'ai_budget_exhausted: this month''s AI budget is spent' using errcode = 'PA429';
  end if;
  insert into app.ai_usage (tenant_id, id, purpose, model, reserved_micros)
  values (v_tenant, v_id, p_purpose, p_model, p_reserve);
  return v_id;
end
$$;

-- Settles a reservation of the service context's tenant once: what the call cost (`done`), or that it
-- failed (`failed`, with what the provider billed, usually nothing). False if there is no such
-- reservation open.
create function app.ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer,
                              p_cost bigint, p_masked integer)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) <> 'assistant' then
    raise exception 'a reservation is settled by the assistant of its tenant' using errcode = '42501';
  end if;
  if p_status not in ('done', 'failed') then
    raise exception 'a reservation settles as done or failed' using errcode = '22023';
  end if;
  update app.ai_usage u
  set status = p_status, prompt_tokens = p_prompt_tokens, completion_tokens = p_completion_tokens,
      cost_micros = p_cost, masked = p_masked, settled_at = pg_catalog.now()
  where u.tenant_id = v_tenant and u.id = p_id and u.status = 'reserved';
  return found;
end
$$;

revoke execute on function app.ai_reserve(text, text, bigint, bigint),
  app.ai_settle(uuid, text, integer, integer, bigint, integer) from public;
grant execute on function app.ai_reserve(text, text, bigint, bigint),
  app.ai_settle(uuid, text, integer, integer, bigint, integer) to app_service;

-- 0037's purge batch, with app.ai_usage and app.ai_settings in its list (before app.integrations).
-- One batch of the purge: up to p_limit rows of the first table that still holds rows of the tenant
-- (children before parents). Returns the table and the rows deleted, or nothing once every table is
-- empty. The counts on the termination grow with each batch.
create or replace function app.purge_batch(p_tenant uuid, p_limit integer, out table_name text, out deleted bigint)
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
    'app.ai_usage', 'app.ai_settings', 'app.integrations', 'app.invitations', 'app.erasures',
    'app.retention_settings', 'app.incident_tenants', 'app.error_events', 'audit.event_windows', 'audit.access_events', 'app.memberships']
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

reset role;
