-- What a tenant's admins see of two platform records (issue 19's admin pages). Adds to 0008 and 0037;
-- replaces nothing.
--
-- Incidents: an admin acting in the tenant reads the incidents that affected it — the title, the
-- description and the severity its notice email already carried, and whether it is resolved — and its
-- own tenant's notice row; never another affected tenant's row, never an incident that did not name
-- the tenant. Managers and reps see none. Writes stay with platform admins and the notifier.
set local role palisade_owner;

create policy incident_tenants_admin_select on app.incident_tenants for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));

-- The subquery reads app.incident_tenants under its own policies: for a tenant admin, only the
-- tenant's rows (the policy above).
create policy incidents_admin_select on app.incidents for select to app_user
  using ((select ctx.has_role('admin'))
         and exists (select from app.incident_tenants t
                     where t.incident_id = incidents.id and t.tenant_id = (select ctx.tenant_id())));

reset role;

-- Terminations: the live terminations of every tenant the caller is an admin of, newest first, so the
-- workspace list can lead an admin to a tenant they can no longer act in (its export and its cancel).
-- Each row passes app.termination_for_admin's own checks (an active admin whose session the tenant's
-- sign-in rules accept); nothing for anyone else.
set local role palisade_definer;

create function app.terminations_for_admin()
returns table (id uuid, tenant_id uuid, slug text, status text, requested_by uuid, requested_at timestamptz,
               purge_after timestamptz, purge_started_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select f.id, f.tenant_id, f.slug, f.status, f.requested_by, f.requested_at, f.purge_after, f.purge_started_at
  from app.memberships m
  cross join lateral app.termination_for_admin(m.tenant_id) f
  where m.user_id = ctx.user_id() and m.status = 'active' and m.role = 'admin'
  order by f.requested_at desc, f.id
  limit 100
$$;
revoke execute on function app.terminations_for_admin() from public;
grant execute on function app.terminations_for_admin() to app_user;

reset role;
