-- Erasure of a lead (issue 18): an admin's request, carried out in batches by the service context
-- with purpose 'erasure', and kept as its receipt. Replaces 0026's access_events_action_check (adds
-- 'erasure').
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
create index erasures_running_idx on app.erasures (created_at) where status = 'running';
create index erasures_created_idx on app.erasures (tenant_id, created_at desc, id desc);
create trigger erasures_touch before update on app.erasures
  for each row execute function app.touch_updated_at();
create trigger erasures_audit after insert or update or delete on app.erasures
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain');

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

-- A daily brief names the member's leads (messaging/brief.rs: "n. title (name): stage, amount"); the
-- function below blanks those lines when the lead is erased.
grant select (body) on app.outbound_messages to palisade_definer;
-- The erasures job finds unfinished erasures across tenants (app.unfinished_erasures below).
grant select (tenant_id, id, status, created_at) on app.erasures to palisade_definer;
create policy erasures_definer_select on app.erasures for select to palisade_definer using (true);
grant update (body) on app.outbound_messages to palisade_definer;

reset role;
set local role palisade_definer;

-- Replaces every line of the tenant's daily briefs that contains `p_marker` (the erased lead's
-- " (name): " as the brief wrote it) with "(erased)", and returns how many briefs changed. Another lead
-- of the very same name loses its line too: an erasure errs on the side of removing.
create function app.erase_brief_lines(p_marker text) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'brief lines are erased by an erasure only' using errcode = '42501';
  end if;
  if p_marker is null or pg_catalog.char_length(p_marker) < 5 then
    raise exception 'the marker must name a lead' using errcode = '22023';
  end if;
  update app.outbound_messages o
     set body = (select pg_catalog.string_agg(
                          case when pg_catalog.strpos(t.line, p_marker) > 0 then '(erased)' else t.line end,
                          E'\n' order by t.n)
                   from pg_catalog.unnest(pg_catalog.string_to_array(o.body, E'\n')) with ordinality as t(line, n))
   where o.tenant_id = v_tenant and o.purpose = 'brief' and pg_catalog.strpos(o.body, p_marker) > 0;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- Unfinished erasures, oldest first, for the platform's erasures job (a service context acting for no
-- tenant); a tenant's own service context may not list other tenants' work.
create function app.unfinished_erasures(p_limit integer) returns table (tenant_id uuid, id uuid)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service' or ctx.scoped_tenant_id() is not null then
    raise exception 'unfinished erasures are listed by the erasures job only' using errcode = '42501';
  end if;
  return query
    select e.tenant_id, e.id from app.erasures e
    where e.status = 'running' order by e.created_at limit least(greatest(p_limit, 1), 1000);
end
$$;

revoke execute on function app.erase_brief_lines(text), app.unfinished_erasures(integer) from public;
grant execute on function app.erase_brief_lines(text), app.unfinished_erasures(integer) to app_service;

reset role;
