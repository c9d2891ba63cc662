-- What a tenant's admins see of two platform records (issue 19's admin pages). Adds to 0008 and 0037;
-- replaces nothing.
--
-- Incidents: an admin acting in the tenant reads the incidents that named it — the title, description
-- and severity its notice email already carried, whether it is resolved, and when its own admins were
-- told — through a function that returns exactly those columns: never who on the platform declared it,
-- never another affected tenant, never an incident that did not name the tenant. No policy is added,
-- so the tables themselves stay the platform's (a later query cannot read more than this by accident).
-- Newest declared first; incident ids are random, so the keyset is (declared_at, id), resumed from the
-- cursor's row among the tenant's own (a cursor naming anything else ends the list).
set local role palisade_definer;

create function app.incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer)
returns table (id uuid, title text, description text, severity text, status text, declared_at timestamptz,
               resolved_at timestamptz, notified_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select i.id, i.title, i.description, i.severity, i.status, i.declared_at, i.resolved_at, t.notified_at
  from app.incident_tenants t
  join app.incidents i on i.id = t.incident_id
  where t.tenant_id = p_tenant
    and p_tenant = ctx.tenant_id() and ctx.has_role('admin')
    and (p_cursor is null
         or (i.declared_at, i.id) < (select c.declared_at, c.id
                                     from app.incidents c
                                     join app.incident_tenants ct on ct.incident_id = c.id and ct.tenant_id = p_tenant
                                     where c.id = p_cursor))
  order by i.declared_at desc, i.id desc
  limit least(greatest(p_limit, 1), 201)
$$;
revoke execute on function app.incidents_for_admin(uuid, uuid, integer) from public;
grant execute on function app.incidents_for_admin(uuid, uuid, integer) to app_user;

-- Terminations: the live terminations of every tenant the caller is an admin of, newest first, so the
-- workspace list can lead an admin to a tenant they can no longer act in (its export and its cancel).
-- Each row passes app.termination_for_admin's own checks (an active admin whose session the tenant's
-- sign-in rules accept); nothing for anyone else. Only memberships of a tenant being ended reach that
-- check: the workspace list of everyone else calls it for no row.
create function app.terminations_for_admin()
returns table (id uuid, tenant_id uuid, slug text, status text, requested_by uuid, requested_at timestamptz,
               purge_after timestamptz, purge_started_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select f.id, f.tenant_id, f.slug, f.status, f.requested_by, f.requested_at, f.purge_after, f.purge_started_at
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id and t.status in ('terminating', 'purging')
  cross join lateral app.termination_for_admin(m.tenant_id) f
  where m.user_id = ctx.user_id() and m.status = 'active' and m.role = 'admin'
  order by f.requested_at desc, f.id
  limit 100
$$;
revoke execute on function app.terminations_for_admin() from public;
grant execute on function app.terminations_for_admin() to app_user;

reset role;
