-- Company export (issue 18): an admin reads every table of their tenant in their own user context; an
-- operator's `palisade export` reads the same rows in the service context with purpose
-- 'company_export'. This lets that context read, in its tenant, what an admin reads and the service
-- context could not until now: members' user rows, invitations, the rollups, the shared audit events
-- and the access log — never a credential column, a private audit event or a removed member's row.
-- Nothing here widens any other purpose, and no context gains a write.
set local role palisade_owner;

grant select (id, email, display_name, created_at, updated_at, disabled_at) on app.users to app_service;
create policy users_company_export on app.users for select to app_service
  using (pg_catalog.current_setting('palisade.purpose', true) = 'company_export'
         and exists (select from app.memberships m
                     where m.user_id = users.id and m.tenant_id = (select ctx.scoped_tenant_id())
                       and m.status <> 'removed'));

grant select (tenant_id, id, email, role, invited_by, expires_at, accepted_at, accepted_by, revoked_at, created_at,
              updated_at) on app.invitations to app_service;
create policy invitations_company_export on app.invitations for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');

grant select on app.activity_daily, app.deal_stage_totals to app_service;
create policy activity_daily_company_export on app.activity_daily for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');
create policy deal_stage_totals_company_export on app.deal_stage_totals for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');

grant select on audit.access_events to app_service;
create policy access_events_company_export on audit.access_events for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');

-- The audit events belong to palisade_definer.
set local role palisade_definer;

grant select (id, chain_id, tenant_id, table_name, op, row_key, actor_user_id, actor_kind, actor_role, purpose,
              correlation_id, lead_id, owner_id, private, before, after, redacted_at, occurred_at)
  on audit.events to app_service;
-- A member's private events (their drafts, coaching, voice samples) stay theirs.
create policy events_company_export on audit.events for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()) and not private
         and pg_catalog.current_setting('palisade.purpose', true) = 'company_export');

-- `palisade export --tenant SLUG` starts with a slug: the system context (no tenant), purpose
-- 'company_export', finds the tenant's id and nothing else.
create function app.tenant_for_export(p_slug text) returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  if coalesce(pg_catalog.current_setting('role', true), '') <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'company_export' then
    raise exception 'only a company export may look a tenant up by slug' using errcode = '42501';
  end if;
  return (select t.id from app.tenants t where t.slug = p_slug);
end
$$;
revoke execute on function app.tenant_for_export(text) from public;
grant execute on function app.tenant_for_export(text) to app_service;
