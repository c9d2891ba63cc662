-- Retention (issue 18, point 6): how long each tenant keeps each class of data, and the sweep that
-- deletes what is older, batch by batch, in the tenant's service context with purpose 'retention'.
-- The audit trail's copies of a deleted interaction's content are blanked as an erasure blanks them
-- (the rows and hashes stay). The audit trail itself is kept by month for the platform (0007's
-- audit.settings, seven years by default): its chains are per tenant but its partitions are shared.
-- Replaces 0007's audit.forbid_mutation (the access log may now lose rows past their retention, and
-- only inside app.retention_sweep) and 0006's app.track_activity (the activity counts of interactions
-- deleted for retention stay: a report of a past period does not drop to zero).
set local role palisade_owner;

-- Each class's default, in days (null: kept until an admin sets a period).
create function app.retention_default(p_class text) returns integer
language sql immutable set search_path = '' as $$
  select case p_class
           when 'drafts' then 180 when 'webhook_events' then 90 when 'error_events' then 90
           when 'access_log' then 400 end
$$;

-- The shortest period each class may be given: webhook events keep providers' retries from being
-- processed twice; the access log is the accountability record (ASVS V7) and stays a year.
create function app.retention_minimum(p_class text) returns integer
language sql immutable set search_path = '' as $$
  select case p_class when 'webhook_events' then 7 when 'error_events' then 7 when 'access_log' then 365
                      else 1 end
$$;

revoke execute on function app.retention_default(text), app.retention_minimum(text) from public;
grant execute on function app.retention_default(text), app.retention_minimum(text)
  to app_user, app_service, palisade_definer;

create table app.retention_settings (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  data_class text not null check (data_class in ('interactions', 'transcripts', 'messages', 'drafts',
                                                 'webhook_events', 'error_events', 'access_log')),
  -- Null: kept until changed.
  keep_days  integer check (keep_days between 1 and 36500),
  -- The admin who set it. No foreign key: a setting must not stop its author from leaving.
  set_by     uuid,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, data_class),
  check (keep_days >= app.retention_minimum(data_class))
);
create trigger retention_settings_touch before update on app.retention_settings
  for each row execute function app.touch_updated_at();
create trigger retention_settings_audit after insert or update or delete on app.retention_settings
  for each row execute function audit.record_change('tenant_id', 'data_class', '', 'domain');
alter table app.retention_settings enable row level security;
alter table app.retention_settings force row level security;
grant select on app.retention_settings to app_user, app_service;
grant delete on app.retention_settings to app_user;
grant insert (tenant_id, data_class, keep_days, set_by), update (keep_days, set_by)
  on app.retention_settings to app_user;

-- Admins read and set their tenant's periods (as themselves) and return them to the default; the sweep
-- and the company export read them.
create policy retention_admin_select on app.retention_settings for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy retention_admin_insert on app.retention_settings for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin'))
              and set_by = (select ctx.user_id()));
create policy retention_admin_update on app.retention_settings for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin'))
              and set_by = (select ctx.user_id()));
create policy retention_admin_delete on app.retention_settings for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy retention_service_select on app.retention_settings for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('retention', 'company_export'));

-- The sweep's lookups by age, per tenant (calls and the rest apart: one class may be kept while the
-- other goes).
create index outbound_created_idx on app.outbound_messages (tenant_id, created_at);
create index interactions_calls_occurred_idx on app.interactions (tenant_id, occurred_at) where channel = 'call';
create index interactions_others_occurred_idx on app.interactions (tenant_id, occurred_at) where channel <> 'call';
create index drafts_updated_idx on app.drafts (tenant_id, updated_at);
create index access_events_occurred_idx on audit.access_events (tenant_id, occurred_at);

-- The definer deletes past retention; it reads the columns its filters name.
grant select (tenant_id, id, lead_id, channel, occurred_at, created_at), delete on app.interactions to palisade_definer;
grant select (status, created_at) on app.outbound_messages to palisade_definer;
grant select (tenant_id, id, updated_at) on app.drafts to palisade_definer;
grant select (tenant_id, provider, event_id, received_at), delete on app.webhook_events to palisade_definer;
create policy interactions_definer_delete on app.interactions for delete to palisade_definer using (true);
create policy outbound_definer_retention on app.outbound_messages for delete to palisade_definer
  using (pg_catalog.current_setting('palisade.purpose', true) = 'retention'
         and status in ('sent', 'delivered', 'failed', 'blocked', 'undelivered'));
create policy webhook_events_definer on app.webhook_events for select to palisade_definer using (true);
create policy webhook_events_definer_delete on app.webhook_events for delete to palisade_definer using (true);
-- 0008's error_events_definer and access_events_definer policies cover every command (the access log's
-- append-only trigger still refuses, but for the rows app.retention_sweep names).
grant delete on app.error_events, audit.access_events to palisade_definer;
grant select on app.retention_settings to palisade_definer;
create policy retention_definer_select on app.retention_settings for select to palisade_definer using (true);

reset role;
set local role palisade_definer;

-- 0007's guard, and one more exception: inside app.retention_sweep, the access log's rows of the
-- tenant being swept that are older than the cutoff it set may go.
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
  raise exception 'audit records are append-only (% refused)', tg_op using errcode = '42501';
end
$$;


-- One batch of the class past its tenant's period: deleted, or with p_dry_run only counted (all of
-- it). Service context of the tenant, purpose 'retention'. Returns the rows deleted (or to delete).
create function app.retention_sweep(p_class text, p_limit integer, p_dry_run boolean) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_days integer;
  v_before timestamptz;
  v_ids uuid[];
  v_keys text[];
  v_leads uuid[];
  v_oldest timestamptz;
  n bigint := 0;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'retention' then
    raise exception 'retention runs in a tenant''s service context, purpose retention' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 rows' using errcode = '22023';
  end if;
  if p_class is null or p_class not in ('interactions', 'transcripts', 'messages', 'drafts', 'webhook_events',
                                        'error_events', 'access_log') then
    raise exception 'unknown data class' using errcode = '22023';
  end if;
  select s.keep_days into v_days from app.retention_settings s where s.tenant_id = v_tenant and s.data_class = p_class;
  if not found then
    v_days := app.retention_default(p_class);
  end if;
  if v_days is null then
    return 0;
  end if;
  v_days := greatest(v_days, app.retention_minimum(p_class));
  v_before := pg_catalog.now() - pg_catalog.make_interval(days => v_days);
  -- Two instances of the job never sweep the same class of a tenant at once.
  if not p_dry_run and not pg_catalog.pg_try_advisory_xact_lock(
       pg_catalog.hashtextextended('retention:' || v_tenant::text || ':' || p_class, 0)) then
    return 0;
  end if;

  if p_class in ('interactions', 'transcripts') then
    -- Aged by when it happened and when it was written: a note typed today about a call years ago,
    -- or backdated by an edit, is not swept (nor its trail blanked) until it is old on both counts.
    -- Calls and the rest in literal branches, each served by its partial index.
    if p_dry_run then
      select pg_catalog.count(*) into n from app.interactions i
      where i.tenant_id = v_tenant and i.occurred_at < v_before and i.created_at < v_before
        and (i.channel = 'call') = (p_class = 'transcripts');
      return n;
    end if;
    if p_class = 'transcripts' then
      select coalesce(pg_catalog.array_agg(x.id), '{}') into v_ids from (
        select i.id from app.interactions i
        where i.tenant_id = v_tenant and i.channel = 'call' and i.occurred_at < v_before and i.created_at < v_before
        limit p_limit) x;
    else
      select coalesce(pg_catalog.array_agg(x.id), '{}') into v_ids from (
        select i.id from app.interactions i
        where i.tenant_id = v_tenant and i.channel <> 'call' and i.occurred_at < v_before and i.created_at < v_before
        limit p_limit) x;
    end if;
    with gone as (
      delete from app.interactions i where i.tenant_id = v_tenant and i.id = any (v_ids)
      returning i.id, i.lead_id, i.created_at)
    select pg_catalog.array_agg(g.id::text), pg_catalog.array_agg(distinct g.lead_id), pg_catalog.min(g.created_at),
           pg_catalog.count(*)
      into v_keys, v_leads, v_oldest, n from gone g;
    -- Their content in the trail, the events the deletion just wrote included (none is older than
    -- its row, so older monthly partitions are skipped).
    perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
    update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
    where e.tenant_id = v_tenant and e.lead_id = any (v_leads) and e.table_name = 'interactions'
      and e.row_key = any (v_keys) and e.redacted_at is null and e.occurred_at >= v_oldest;
    perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  elsif p_class = 'messages' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.outbound_messages o
      where o.tenant_id = v_tenant and o.created_at < v_before
        and o.status in ('sent', 'delivered', 'failed', 'blocked', 'undelivered');
      return n;
    end if;
    delete from app.outbound_messages o
    where o.tenant_id = v_tenant and o.id = any (array(
      select x.id from app.outbound_messages x
      where x.tenant_id = v_tenant and x.created_at < v_before
        and x.status in ('sent', 'delivered', 'failed', 'blocked', 'undelivered')
      limit p_limit));
    get diagnostics n = row_count;
  elsif p_class = 'drafts' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.drafts d where d.tenant_id = v_tenant and d.updated_at < v_before;
      return n;
    end if;
    delete from app.drafts d
    where d.tenant_id = v_tenant and d.id = any (array(
      select x.id from app.drafts x where x.tenant_id = v_tenant and x.updated_at < v_before limit p_limit));
    get diagnostics n = row_count;
  elsif p_class = 'webhook_events' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.webhook_events w
      where w.tenant_id = v_tenant and w.received_at < v_before;
      return n;
    end if;
    delete from app.webhook_events w
    where (w.tenant_id, w.provider, w.event_id) in (
      select x.tenant_id, x.provider, x.event_id from app.webhook_events x
      where x.tenant_id = v_tenant and x.received_at < v_before limit p_limit);
    get diagnostics n = row_count;
  elsif p_class = 'error_events' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.error_events x where x.tenant_id = v_tenant and x.last_seen < v_before;
      return n;
    end if;
    delete from app.error_events e
    where e.id = any (array(
      select x.id from app.error_events x where x.tenant_id = v_tenant and x.last_seen < v_before limit p_limit));
    get diagnostics n = row_count;
  else
    if p_dry_run then
      select pg_catalog.count(*) into n from audit.access_events a
      where a.tenant_id = v_tenant and a.occurred_at < v_before;
      return n;
    end if;
    perform pg_catalog.set_config('palisade.access_retention_tenant', v_tenant::text, true);
    perform pg_catalog.set_config('palisade.access_retention_before', v_before::text, true);
    delete from audit.access_events a
    where a.id = any (array(
      select x.id from audit.access_events x where x.tenant_id = v_tenant and x.occurred_at < v_before
      order by x.occurred_at limit p_limit));
    get diagnostics n = row_count;
    perform pg_catalog.set_config('palisade.access_retention_tenant', '', true);
    perform pg_catalog.set_config('palisade.access_retention_before', '', true);
  end if;
  return n;
end
$$;
revoke execute on function app.retention_sweep(text, integer, boolean) from public;
grant execute on function app.retention_sweep(text, integer, boolean) to app_service;

-- The tenants the retention job visits (a service context acting for no tenant, purpose retention):
-- active ones only (a suspended tenant's service context cannot act).
create function app.retention_tenants() returns table (id uuid, slug text)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'retention' then
    raise exception 'the retention job lists tenants' using errcode = '42501';
  end if;
  return query select t.id, t.slug from app.tenants t where t.status = 'active' order by t.id;
end
$$;
revoke execute on function app.retention_tenants() from public;
grant execute on function app.retention_tenants() to app_service;

-- 0006's rollup trigger, but an interaction deleted for retention keeps its place in the daily counts.
create or replace function app.track_activity() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_slot constant smallint := (pg_catalog.pg_backend_pid() % 8)::smallint;
begin
  if tg_op = 'UPDATE' and old.actor_id = new.actor_id and old.occurred_at = new.occurred_at
     and old.tenant_id = new.tenant_id then
    return null;
  end if;
  if tg_op = 'DELETE' and pg_catalog.current_setting('palisade.purpose', true) = 'retention' then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (old.tenant_id, (old.occurred_at at time zone 'UTC')::date, old.actor_id, v_slot, -1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions - 1;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (new.tenant_id, (new.occurred_at at time zone 'UTC')::date, new.actor_id, v_slot, 1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions + 1;
  end if;
  return null;
end
$$;
