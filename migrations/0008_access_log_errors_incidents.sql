-- Access log (sensitive reads and security-relevant actions), error events and incidents
-- (DESIGN §1.7, §1.9).
set local role palisade_owner;

------------------------------------------------------------------------------------------------------
-- audit.access_events: who did what sensitive thing, when, from where. Append-only like audit.events.
------------------------------------------------------------------------------------------------------
create table audit.access_events (
  id             bigint generated always as identity primary key,
  tenant_id      uuid,
  actor_user_id  uuid,
  actor_kind     text not null check (actor_kind in ('user', 'service', 'system')),
  purpose        text,
  action         text not null check (action in (
                   'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in',
                   'sign_in_failed', 'role_change', 'member_added', 'member_removed', 'settings_change',
                   'audit_redaction')),
  target_type    text check (char_length(target_type) <= 100),
  target_id      text check (char_length(target_id) <= 200),
  -- Structured facts only (filters, counts, old/new role): never secrets, phone numbers or bodies.
  detail         jsonb not null default '{}'::jsonb check (octet_length(detail::text) <= 4000),
  client_ip      inet,
  correlation_id text,
  occurred_at    timestamptz not null default now()
);
create index access_events_tenant_idx on audit.access_events (tenant_id, id);

alter table audit.access_events enable row level security;
alter table audit.access_events force row level security;
grant select on audit.access_events to app_user;
grant select, insert on audit.access_events to palisade_definer;

create policy access_events_admins on audit.access_events for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy access_events_definer on audit.access_events to palisade_definer using (true) with check (true);

create trigger access_events_append_only before update or delete on audit.access_events
  for each row execute function audit.forbid_mutation();
create trigger access_events_no_truncate before truncate on audit.access_events
  for each statement execute function audit.forbid_mutation();

------------------------------------------------------------------------------------------------------
-- app.error_events: failures grouped by fingerprint, for platform admins only.
------------------------------------------------------------------------------------------------------
create table app.error_events (
  id             uuid primary key default gen_random_uuid(),
  fingerprint    text not null unique,
  severity       text not null check (severity in ('critical', 'error', 'warning')),
  surface        text not null check (surface in ('api', 'worker', 'webhook', 'delivery', 'auth', 'job')),
  tenant_id      uuid,
  code           text not null check (char_length(code) between 1 and 100),
  -- Written by code from fixed strings: never request data, secrets or PII.
  message        text not null check (char_length(message) <= 1000),
  correlation_id text,
  count          bigint not null default 1,
  first_seen     timestamptz not null default now(),
  last_seen      timestamptz not null default now()
);
create index error_events_last_seen_idx on app.error_events (last_seen desc, id);

------------------------------------------------------------------------------------------------------
-- Incidents: platform admins declare them; the affected tenants' admins must hear within 72 hours
-- (GDPR Art. 33 is the controller's clock; ours starts when we declare).
------------------------------------------------------------------------------------------------------
create table app.incidents (
  id              uuid primary key,
  title           text not null check (char_length(title) between 1 and 200),
  description     text not null check (char_length(description) between 1 and 10000),
  severity        text not null check (severity in ('low', 'medium', 'high', 'critical')),
  status          text not null default 'open' check (status in ('open', 'resolved')),
  declared_by     uuid not null references app.users (id),
  declared_at     timestamptz not null default now(),
  notify_deadline timestamptz not null,
  resolved_at     timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create table app.incident_tenants (
  incident_id uuid not null references app.incidents (id) on delete cascade,
  tenant_id   uuid not null references app.tenants (id) on delete cascade,
  notified_at timestamptz,
  recipients  integer,
  primary key (incident_id, tenant_id)
);
create index incidents_declared_by_idx on app.incidents (declared_by);
create index incident_tenants_tenant_idx on app.incident_tenants (tenant_id);
create index incident_tenants_pending_idx on app.incident_tenants (incident_id) where notified_at is null;

create trigger incidents_touch before update on app.incidents for each row execute function app.touch_updated_at();

alter table app.error_events enable row level security;
alter table app.error_events force row level security;
alter table app.incidents enable row level security;
alter table app.incidents force row level security;
alter table app.incident_tenants enable row level security;
alter table app.incident_tenants force row level security;

grant select on app.error_events, app.incidents, app.incident_tenants to app_user;
grant update (status, resolved_at) on app.incidents to app_user;
grant select, insert, update on app.error_events, app.incidents, app.incident_tenants to palisade_definer;
grant select on app.platform_admins to palisade_definer;

create policy platform_admins_definer on app.platform_admins for select to palisade_definer using (true);
create policy error_events_definer on app.error_events to palisade_definer using (true) with check (true);
create policy incidents_definer on app.incidents to palisade_definer using (true) with check (true);
create policy incident_tenants_definer on app.incident_tenants to palisade_definer using (true) with check (true);

reset role;
set local role palisade_definer;

create function ctx.is_platform_admin() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select from app.platform_admins p
                 where p.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid);
end
$$;

-- Record an access event as the current context's actor (never a caller-supplied one). A user or service
-- context may only log for the tenant it acts in; sign-in flows (auth context) log for no tenant.
create function audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text,
                                 p_detail jsonb, p_client_ip inet) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_db_role text := pg_catalog.current_setting('role', true);
  v_user uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_kind text := case v_db_role when 'app_user' then 'user' when 'app_service' then 'service' else 'system' end;
begin
  if p_tenant is not null and p_tenant is distinct from (case v_kind when 'user' then ctx.tenant_id()
                                                         else ctx.scoped_tenant_id() end) then
    raise exception 'access events are logged for the tenant the context acts in' using errcode = '42501';
  end if;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type,
                                   target_id, detail, client_ip, correlation_id)
  values (p_tenant, case when v_kind = 'user' then v_user end, v_kind,
          nullif(pg_catalog.current_setting('palisade.purpose', true), ''), p_action, p_target_type,
          p_target_id, coalesce(p_detail, '{}'::jsonb), p_client_ip,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
end
$$;

-- Record a failure, grouped by fingerprint (surface, code, operation, tenant): the count goes up and
-- last_seen moves instead of a new row per occurrence.
create function app.record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text,
                                       p_message text, p_operation text) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_fingerprint text := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
    p_surface || '|' || p_code || '|' || coalesce(p_operation, '') || '|' || coalesce(p_tenant::text, ''), 'UTF8')), 'hex');
  v_id uuid;
  v_scope text := nullif(pg_catalog.current_setting('palisade.tenant_id', true), '');
begin
  if v_scope is not null and p_tenant is distinct from v_scope::uuid then
    raise exception 'a tenant-scoped context reports errors for its own tenant only' using errcode = '42501';
  end if;
  insert into app.error_events as e (fingerprint, severity, surface, tenant_id, code, message, correlation_id)
  values (v_fingerprint, p_severity, p_surface, p_tenant, p_code, pg_catalog.left(p_message, 1000),
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''))
  on conflict (fingerprint) do update
    set count = e.count + 1, last_seen = pg_catalog.now(), severity = excluded.severity,
        message = excluded.message, correlation_id = excluded.correlation_id
  returning e.id into v_id;
  return v_id;
end
$$;

-- Declare an incident affecting some tenants. Platform admins only; unknown tenants are refused.
create function app.declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[])
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
  v_now timestamptz := pg_catalog.now();
begin
  if not ctx.is_platform_admin() then
    raise exception 'only platform admins declare incidents' using errcode = '42501';
  end if;
  if p_tenants is null or pg_catalog.cardinality(p_tenants) = 0 then
    raise exception 'an incident needs at least one affected tenant' using errcode = '22023';
  end if;
  if exists (select from pg_catalog.unnest(p_tenants) t(id) where not exists (select from app.tenants x where x.id = t.id)) then
    raise exception 'unknown tenant' using errcode = 'PA404';
  end if;
  insert into app.incidents (id, title, description, severity, declared_by, declared_at, notify_deadline)
  values (v_id, p_title, p_description, p_severity, ctx.user_id(), v_now, v_now + interval '72 hours');
  insert into app.incident_tenants (incident_id, tenant_id)
  select v_id, t.id from (select distinct u.id from pg_catalog.unnest(p_tenants) u(id)) t;
  return v_id;
end
$$;

-- The notifier job: claim pending notices (skipping ones another instance holds) with the recipients,
-- the active admins of each affected tenant.
create function app.claim_incident_notices(p_limit integer)
returns table (incident_id uuid, tenant_id uuid, tenant_name text, title text, description text,
               severity text, declared_at timestamptz, notify_deadline timestamptz, recipients text[])
language plpgsql volatile security definer set search_path = '' as $$
begin
  -- Returns admins' email addresses of every affected tenant: platform jobs only.
  perform audit.require_system_context();
  return query
  with pending as (
    select it.incident_id, it.tenant_id from app.incident_tenants it
    where it.notified_at is null
    order by it.incident_id, it.tenant_id
    limit p_limit
    for update skip locked
  )
  select p.incident_id, p.tenant_id, t.name, i.title, i.description, i.severity, i.declared_at, i.notify_deadline,
         coalesce((select pg_catalog.array_agg(u.email order by u.email)
                   from app.memberships m join app.users u on u.id = m.user_id
                   where m.tenant_id = p.tenant_id and m.role = 'admin' and m.status = 'active'), '{}')
  from pending p
  join app.incidents i on i.id = p.incident_id
  join app.tenants t on t.id = p.tenant_id;
end
$$;

create function app.mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform audit.require_system_context();
  update app.incident_tenants it set notified_at = pg_catalog.now(), recipients = p_recipients
  where it.incident_id = p_incident and it.tenant_id = p_tenant and it.notified_at is null;
end
$$;

revoke execute on function ctx.is_platform_admin(), audit.log_access(uuid, text, text, text, jsonb, inet),
  app.record_error_event(text, text, uuid, text, text, text), app.declare_incident(text, text, text, uuid[]),
  app.claim_incident_notices(integer), app.mark_incident_notified(uuid, uuid, integer) from public;
grant execute on function ctx.is_platform_admin() to app_user;
grant execute on function audit.log_access(uuid, text, text, text, jsonb, inet) to app_user, app_service, app_auth;
grant execute on function app.record_error_event(text, text, uuid, text, text, text) to app_service;
grant execute on function app.declare_incident(text, text, text, uuid[]) to app_user;
grant execute on function app.claim_incident_notices(integer), app.mark_incident_notified(uuid, uuid, integer)
  to app_service;

reset role;
set local role palisade_owner;

create policy error_events_platform on app.error_events for select to app_user
  using ((select ctx.is_platform_admin()));
create policy incidents_platform_select on app.incidents for select to app_user
  using ((select ctx.is_platform_admin()));
create policy incidents_platform_update on app.incidents for update to app_user
  using ((select ctx.is_platform_admin())) with check ((select ctx.is_platform_admin()));
create policy incident_tenants_platform on app.incident_tenants for select to app_user
  using ((select ctx.is_platform_admin()));

-- Incidents are platform records: audited on the platform chain. Error events are telemetry counters
-- (one row updated per occurrence) and are exempt, like the rollups.
create trigger incidents_audit after insert or update or delete on app.incidents
  for each row execute function audit.record_change('', 'id', '', 'domain');
create trigger incident_tenants_audit after insert or update or delete on app.incident_tenants
  for each row execute function audit.record_change('', 'tenant_id', '', 'domain');
