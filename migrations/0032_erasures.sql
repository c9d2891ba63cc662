-- Erasure of a lead (issue 18): an admin's request, carried out in batches by the service context
-- with purpose 'erasure', and kept as its receipt. Replaces 0026's access_events_action_check (adds
-- 'erasure'); adds a batched form of 0007's audit.redact_lead beside it.
--
-- The row holds no personal data: the subject is named only by its kind (phone, email or lead id);
-- `pending_leads` are the ids of the leads still to erase (ids of rows that are gone once it is
-- empty); `counts` are per-table row counts.
set local role palisade_owner;

create table app.erasures (
  tenant_id      uuid not null references app.tenants (id) on delete cascade,
  id             uuid not null,
  -- The admin who asked. No foreign key: a receipt must not stop its author from leaving.
  requested_by   uuid not null,
  subject_kind   text not null check (subject_kind in ('lead', 'phone', 'email')),
  status         text not null default 'running' check (status in ('running', 'done')),
  pending_leads  uuid[] not null,
  leads_total    integer not null check (leads_total >= 0),
  counts         jsonb not null default '{}' check (pg_catalog.jsonb_typeof(counts) = 'object'),
  correlation_id text check (char_length(correlation_id) <= 200),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  finished_at    timestamptz,
  primary key (tenant_id, id),
  check ((status = 'done') = (finished_at is not null)),
  check (status = 'running' or pg_catalog.cardinality(pending_leads) = 0)
);
-- The job finds unfinished erasures across tenants without scanning the receipts.
create index erasures_running_idx on app.erasures (updated_at) where status = 'running';
create index erasures_created_idx on app.erasures (tenant_id, created_at desc, id desc);
create trigger erasures_touch before update on app.erasures
  for each row execute function app.touch_updated_at();
-- The list of leads still to erase changes at every step: the trail records that it changed, not the ids
-- (which would otherwise be copied once per step and never redacted).
create trigger erasures_audit after insert or update or delete on app.erasures
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain', 'pending_leads');

alter table app.erasures enable row level security;
alter table app.erasures force row level security;
grant select on app.erasures to app_user;
grant select, insert on app.erasures to app_service;
grant update (status, pending_leads, counts, finished_at) on app.erasures to app_service;

-- Admins read their tenant's receipts; only the service context, acting for an erasure, writes them.
create policy erasures_admin_select on app.erasures for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy erasures_service on app.erasures to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and pg_catalog.current_setting('palisade.purpose', true) = 'erasure');

alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked',
  'webhook_rejected', 'member_suspended', 'member_reinstated', 'member_left', 'platform_admin_granted',
  'platform_admin_revoked', 'erasure'));

-- An erasure turns a `stop` suppression (which START lifts) into an `erasure` one (which nothing lifts)
-- in the same statement that suppresses the address, so a STOP committing meanwhile cannot leave a
-- liftable row behind.
grant update (reason) on app.suppressions to app_service;

-- A daily brief names the member's leads (messaging/brief.rs: "n. title (name): stage, amount"); the
-- function below blanks those lines when the lead is erased.
grant select (body) on app.outbound_messages to palisade_definer;
-- The erasures job finds unfinished erasures across tenants (app.unfinished_erasures below).
grant select (tenant_id, id, status, updated_at) on app.erasures to palisade_definer;
create policy erasures_definer_select on app.erasures for select to palisade_definer using (true);
grant update (body) on app.outbound_messages to palisade_definer;

reset role;
set local role palisade_definer;

-- An erasure by email also finds leads deleted before it, whose audit trail still holds the address
-- (the audit tables belong to the definer role).
create index events_deleted_lead_email_idx on audit.events (tenant_id, lower(before ->> 'email'))
  where table_name = 'leads' and op = 'DELETE' and redacted_at is null;

-- Replaces every line of the tenant's daily briefs that names lead `p_lead` — under any name it has had,
-- as its audit trail records them, and as the brief wrote it (" (name): ", the name cut to 60
-- characters) — with "(erased)"; returns how many briefs changed. Run before the lead's audit content is
-- redacted. Another lead of the very same name loses its line too: an erasure errs on the side of removing.
create function app.erase_brief_lines(p_lead uuid) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_markers text[];
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'brief lines are erased by an erasure only' using errcode = '42501';
  end if;
  select pg_catalog.array_agg(distinct ' (' || case when pg_catalog.char_length(v.name) > 60
                                                    then pg_catalog.left(v.name, 60) || '…' else v.name end || '): ')
    into v_markers
    from audit.events e
    cross join lateral (values (e.before ->> 'name'), (e.after ->> 'name')) as v(name)
    where e.tenant_id = v_tenant and e.lead_id = p_lead and e.table_name = 'leads' and v.name is not null;
  if v_markers is null then
    return 0;
  end if;
  update app.outbound_messages o
     set body = (select pg_catalog.string_agg(
                          case when exists (select from pg_catalog.unnest(v_markers) m
                                            where pg_catalog.strpos(t.line, m) > 0)
                               then '(erased)' else t.line end,
                          E'\n' order by t.n)
                   from pg_catalog.unnest(pg_catalog.string_to_array(o.body, E'\n')) with ordinality as t(line, n))
   where o.tenant_id = v_tenant and o.purpose = 'brief'
     and exists (select from pg_catalog.unnest(v_markers) m where pg_catalog.strpos(o.body, m) > 0);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- audit.redact_lead (0007) in bounded batches: at most `p_limit` of the erased lead's events per call, so
-- a lead with a very long history is redacted over several transactions, each well inside the statement
-- timeout. The same rules: a service context of the tenant, purpose erasure, the lead already deleted.
create function audit.redact_lead(p_lead uuid, p_limit integer) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service' then
    raise exception 'redaction needs a tenant-scoped service context' using errcode = '42501';
  end if;
  if exists (select from app.leads l where l.tenant_id = v_tenant and l.id = p_lead) then
    raise exception 'delete the lead before redacting its audit trail' using errcode = '55000';
  end if;
  if pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'redaction is part of an erasure only' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 events' using errcode = '22023';
  end if;
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.tenant_id = v_tenant and e.lead_id = p_lead and e.redacted_at is null
    and e.id = any (array(select x.id from audit.events x
                          where x.tenant_id = v_tenant and x.lead_id = p_lead and x.redacted_at is null
                          limit p_limit));
  get diagnostics v_count = row_count;
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  if v_count > 0 then
    perform audit.log_access(v_tenant, 'audit_redaction', 'lead', p_lead::text,
                             pg_catalog.jsonb_build_object('events', v_count), null);
  end if;
  return v_count;
end
$$;

-- Unfinished erasures of active tenants, least recently worked on first, for the platform's erasures job
-- (a service context acting for no tenant, purpose erasure); a tenant's own service context may not list
-- other tenants' work. A suspended tenant's erasures wait (its service context cannot act) without
-- holding up anyone else's.
create function app.unfinished_erasures(p_limit integer) returns table (tenant_id uuid, id uuid)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'unfinished erasures are listed by the erasures job only' using errcode = '42501';
  end if;
  return query
    select e.tenant_id, e.id from app.erasures e
    join app.tenants t on t.id = e.tenant_id and t.status = 'active'
    where e.status = 'running' order by e.updated_at limit least(greatest(p_limit, 1), 1000);
end
$$;

revoke execute on function app.erase_brief_lines(uuid), app.unfinished_erasures(integer),
  audit.redact_lead(uuid, integer) from public;
grant execute on function app.erase_brief_lines(uuid), app.unfinished_erasures(integer),
  audit.redact_lead(uuid, integer) to app_service;

reset role;
