-- The caller is resolved once per transaction (issue 17). Replaces the bodies of 0002/0008/0011/0026's
-- ctx.user_id(), ctx.tenant_id(), ctx.tenant_role(), ctx.has_role(text), ctx.scoped_tenant_id() and
-- ctx.is_platform_admin(); every policy that calls them keeps its text and its meaning.
--
-- Before: each of those was a PL/pgSQL SECURITY DEFINER function with a SET search_path clause, run
-- once per statement per call site, and ctx.tenant_id() and ctx.has_role() each re-ran the
-- memberships ⋈ tenants ⋈ users join of ctx.tenant_role(). Under the manager's list page that was
-- 0.28 ms of 0.33 ms executing (BENCHMARKS.md, "Where the time went").
--
-- Now: the first flight of every context transaction calls ctx.enter(), a definer-rights function that
-- passes the session gate (0026's ctx.session_gate, when the caller came with a session), checks the
-- person is not disabled, the tenant is active and — for a user context — the membership and the
-- tenant's sign-in rules, and writes the result into transaction-local settings:
--   palisade.acting_user      the person, unless disabled or the session gate refused them;
--   palisade.acting_tenant    the tenant a user context acts in, while an active member allowed by the rules;
--   palisade.acting_role      that member's role;
--   palisade.acting_scope     the tenant, while active (what service and reporting contexts act in);
--   palisade.acting_platform  'on' for an enabled platform administrator.
-- The ctx functions are now plain SQL reading those settings: not definer-rights, no SET clause, so the
-- planner inlines them and each policy's (select ctx.fn()) is an init plan reading one setting.
--
-- Trust: the settings are as forgeable as palisade.user_id and palisade.tenant_id, which the same
-- trusted context path sets: anyone able to run SQL as the runtime login can already set role
-- app_service with any tenant and read its members, or set palisade.user_id to one of them. Nothing
-- becomes easier. Every setting is transaction-local, so a pooled connection never carries one over,
-- and a transaction that skipped ctx.enter() acts as nobody in no tenant.
--
-- Timing: a removal, a suspension, a disabled person, an ended session or a changed sign-in rule takes
-- effect from the person's next transaction (every request is one), not in the middle of one already
-- running — the session gate already worked that way; the rest used to be re-checked per statement.
set local role palisade_definer;

-- 0011's and 0026's sign-in rules, same text, now SECURITY INVOKER without a SET clause: they read
-- only their arguments and settings, and a definer-rights SQL function is planned again on every call
-- (55 µs of ctx.enter's 190 µs measured) where an invoker one is inlined into its caller's cached plan.
-- Nobody but their owner may still execute them (0011, 0026).
create or replace function ctx.sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[],
                                                   p_role text, p_email text) returns text
language sql stable as $$
  select case
    when coalesce(pg_catalog.current_setting('palisade.session_method', true), '') <> ''
         and not (pg_catalog.current_setting('palisade.session_method', true) = any (p_methods)) then 'method'
    when pg_catalog.cardinality(p_domains) > 0
         and not (pg_catalog.lower(pg_catalog.split_part(p_email, '@', -1)) = any (p_domains)) then 'domain'
    when p_require_mfa and p_role <> 'rep'
         and coalesce(pg_catalog.current_setting('palisade.session_mfa', true), '') <> 'on' then 'mfa'
  end
$$;

create or replace function ctx.membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[],
                                                  p_role text, p_email text, p_sessions_revoked_at timestamptz)
returns text
language sql stable as $$
  select case
    when p_sessions_revoked_at is not null
         and coalesce(nullif(pg_catalog.current_setting('palisade.session_started', true), '')::timestamptz,
                      'infinity') <= p_sessions_revoked_at then 'signed_out'
    else ctx.sign_in_rule_broken(p_require_mfa, p_methods, p_domains, p_role, p_email)
  end
$$;

create function ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamptz, p_idle interval,
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
  left join app.tenants t on t.id = c.tenant_id and t.status = 'active'
  left join app.memberships m on pg_catalog.current_setting('role', true) = 'app_user'
                             and m.tenant_id = t.id and m.user_id = u.id and m.status = 'active';
  if r.member_role is not null then
    blocked := r.member_blocked;
    role := case when blocked is null then r.member_role end;
  end if;
  -- Generic plans for everything but reporting: the user and service contexts run keyed lookups whose
  -- best plan is the same for every tenant, and the default (custom plans while a generic one looks
  -- dearer, which a LIMIT parameter always makes it look) planned every list page again, policies and
  -- all. Reporting aggregates over tenants of any size and keeps custom plans.
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

revoke execute on function ctx.enter(uuid, bytea, timestamptz, interval) from public;
grant execute on function ctx.enter(uuid, bytea, timestamptz, interval) to app_user, app_service, app_reporting;

-- Plain SQL from here on: SECURITY INVOKER, no SET clause, one expression, so each is inlined. They
-- read settings only (no table), and every name is schema-qualified because the caller's search_path
-- applies to an inlined body.
create or replace function ctx.user_id() returns uuid
language sql stable as $$
  select nullif(pg_catalog.current_setting('palisade.acting_user', true), '')::pg_catalog.uuid
$$;

create or replace function ctx.tenant_role() returns text
language sql stable as $$
  select nullif(pg_catalog.current_setting('palisade.acting_role', true), '')
$$;

create or replace function ctx.tenant_id() returns uuid
language sql stable as $$
  select nullif(pg_catalog.current_setting('palisade.acting_tenant', true), '')::pg_catalog.uuid
$$;

-- True when the caller's role is at least min_role (rep < manager < admin); false outside a tenant.
create or replace function ctx.has_role(min_role text) returns boolean
language sql stable as $$
  select case pg_catalog.current_setting('palisade.acting_role', true)
           when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 0 end
         >= case min_role when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 99 end
$$;

create or replace function ctx.scoped_tenant_id() returns uuid
language sql stable as $$
  select nullif(pg_catalog.current_setting('palisade.acting_scope', true), '')::pg_catalog.uuid
$$;

create or replace function ctx.is_platform_admin() returns boolean
language sql stable as $$
  select coalesce(pg_catalog.current_setting('palisade.acting_platform', true), '') = 'on'
$$;

reset role;
