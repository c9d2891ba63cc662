-- Schemas, context helpers and tenancy: tenants, users, memberships, platform admins.
set local role palisade_owner;

create schema app;
create schema ctx;
create schema audit;
create schema auth;
revoke all on schema app, ctx, audit, auth from public;

-- The runtime login needs USAGE to *parse* statements before it switches role (prepared statements
-- are parsed once per connection); it still has no privilege on any table or function.
grant usage on schema app, ctx, auth to palisade_runtime;
grant usage on schema app to app_user, app_service, app_reporting;
grant usage on schema ctx to app_user, app_service, app_reporting, app_auth;
grant usage on schema auth to app_auth;
-- The definer owns the definer-rights functions; it is NOLOGIN and granted to no runtime role.
grant usage, create on schema app, ctx, auth to palisade_definer;

alter default privileges for role palisade_owner revoke execute on functions from public;
alter default privileges for role palisade_definer revoke execute on functions from public;

-- updated_at is the database's job, so no code path can forget it.
create function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
revoke execute on function app.touch_updated_at() from public;

create table app.tenants (
  id         uuid primary key,
  slug       text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'),
  name       text not null check (char_length(name) between 1 and 200),
  status     text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table app.users (
  id           uuid primary key,
  email        text not null check (char_length(email) between 3 and 320 and email like '%_@_%'),
  display_name text not null default '' check (char_length(display_name) <= 200),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create unique index users_email_key on app.users (lower(email));

-- The application role lives here, never on the user row (DESIGN §2).
create table app.memberships (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  user_id    uuid not null references app.users (id) on delete cascade,
  role       text not null check (role in ('admin', 'manager', 'rep')),
  status     text not null default 'active' check (status in ('active', 'suspended', 'removed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
-- The primary key does not index user_id alone: "my tenants" needs this one.
create index memberships_user_idx on app.memberships (user_id, tenant_id);

create table app.platform_admins (
  user_id    uuid primary key references app.users (id) on delete cascade,
  created_at timestamptz not null default now()
);

create trigger tenants_touch before update on app.tenants for each row execute function app.touch_updated_at();
create trigger users_touch before update on app.users for each row execute function app.touch_updated_at();
create trigger memberships_touch before update on app.memberships for each row execute function app.touch_updated_at();

alter table app.tenants enable row level security;
alter table app.tenants force row level security;
alter table app.users enable row level security;
alter table app.users force row level security;
alter table app.memberships enable row level security;
alter table app.memberships force row level security;
alter table app.platform_admins enable row level security;
alter table app.platform_admins force row level security;

------------------------------------------------------------------------------------------------------
-- Context helpers. Definer-rights, so policies can consult memberships without granting them;
-- STABLE and wrapped as (select ctx.fn()) in policies so they run once per statement.
------------------------------------------------------------------------------------------------------
set local role palisade_definer;

-- PL/pgSQL rather than SQL: a definer-rights SQL function is never inlined and its body is planned
-- again for every statement that calls it, while PL/pgSQL keeps its plans for the session. These run
-- once per statement under every policy, so that difference is most of the cost of RLS.
create function ctx.user_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
end
$$;

-- The caller's role in the requested tenant, while they are an active member of an active tenant.
create function ctx.tenant_role() returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  v_role text;
begin
  select m.role into v_role
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  where m.tenant_id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active'
    and t.status = 'active';
  return v_role;
end
$$;

-- The requested tenant, but only while the caller is an active member of it (else NULL).
create function ctx.tenant_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  if ctx.tenant_role() is null then
    return null;
  end if;
  return nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid;
end
$$;

-- True when the caller's role is at least min_role (rep < manager < admin).
create function ctx.has_role(min_role text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_rank constant int := case ctx.tenant_role() when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 0 end;
begin
  return v_rank > 0 and v_rank >= (case min_role when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 99 end);
end
$$;

create function ctx.member_tenant_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  v_ids uuid[];
begin
  select coalesce(pg_catalog.array_agg(m.tenant_id), '{}') into v_ids
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  where m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active'
    and t.status = 'active';
  return v_ids;
end
$$;

-- Service and reporting contexts act for a tenant, not a person: the tenant must exist and be active.
create function ctx.scoped_tenant_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  select t.id into v_id
  from app.tenants t
  where t.id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and t.status = 'active';
  return v_id;
end
$$;

-- Service paths check membership before writing on behalf of a member (DESIGN §1.4). Answers only
-- for the tenant the context acts in, so it is no cross-tenant membership oracle.
create function ctx.is_active_member(p_tenant uuid, p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return p_tenant = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and exists (select from app.memberships m
                where m.tenant_id = p_tenant and m.user_id = p_user and m.status = 'active');
end
$$;

revoke execute on all functions in schema ctx from public;
grant execute on function ctx.user_id(), ctx.tenant_id(), ctx.tenant_role(), ctx.has_role(text),
  ctx.member_tenant_ids(), ctx.is_active_member(uuid, uuid) to app_user;
grant execute on function ctx.scoped_tenant_id(), ctx.is_active_member(uuid, uuid) to app_service;
grant execute on function ctx.scoped_tenant_id() to app_reporting;

------------------------------------------------------------------------------------------------------
-- Privileged tenancy operations, gated inside the function by an active-membership/role check.
------------------------------------------------------------------------------------------------------

-- Create a tenant; the calling user becomes its first admin.
create function app.create_tenant(p_slug text, p_name text) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid := ctx.user_id();
  v_tenant uuid := pg_catalog.gen_random_uuid();
begin
  if v_user is null or not exists (select from app.users u where u.id = v_user) then
    raise exception 'a signed-in user is required to create a tenant' using errcode = '42501';
  end if;
  insert into app.tenants (id, slug, name) values (v_tenant, p_slug, p_name);
  insert into app.memberships (tenant_id, user_id, role, status) values (v_tenant, v_user, 'admin', 'active');
  return v_tenant;
end
$$;

-- Raises 42501 unless the caller is an active admin of the requested tenant; returns that tenant.
create function app.require_admin() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.tenant_id();
begin
  if v_tenant is null or not ctx.has_role('admin') then
    raise exception 'only an admin of this tenant may do this' using errcode = '42501';
  end if;
  return v_tenant;
end
$$;

-- Add (or re-activate) a member by email, creating the user when needed. Admins only.
create function app.add_member(p_email text, p_display_name text, p_role text) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := app.require_admin();
  v_user uuid;
begin
  insert into app.users (id, email, display_name)
  values (pg_catalog.gen_random_uuid(), p_email, coalesce(p_display_name, ''))
  on conflict (lower(email)) do nothing;
  select u.id into v_user from app.users u where lower(u.email) = lower(p_email);
  -- Re-adding an existing member may change their role: the last-admin rule applies here too.
  if p_role <> 'admin' and exists (select from app.memberships m
                                   where m.tenant_id = v_tenant and m.user_id = v_user and m.status <> 'removed') then
    perform app.guard_last_admin(v_tenant, v_user);
  end if;
  insert into app.memberships (tenant_id, user_id, role, status)
  values (v_tenant, v_user, p_role, 'active')
  on conflict (tenant_id, user_id) do update set role = excluded.role, status = 'active';
  return v_user;
end
$$;

-- Shared guard: the last active admin of a tenant can be neither demoted nor removed.
-- Locks the tenant row so two admins demoting each other at once cannot both succeed.
create function app.guard_last_admin(p_tenant uuid, p_user uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_role text;
begin
  perform from app.tenants t where t.id = p_tenant for no key update;
  select m.role into v_role from app.memberships m
  where m.tenant_id = p_tenant and m.user_id = p_user and m.status <> 'removed';
  if v_role is null then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  if v_role = 'admin' and (
    select pg_catalog.count(*) from app.memberships m
    where m.tenant_id = p_tenant and m.role = 'admin' and m.status = 'active') <= 1 then
    raise exception 'the last admin of a tenant cannot be demoted or removed' using errcode = 'PA409';
  end if;
end
$$;

create function app.change_member_role(p_user uuid, p_role text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := app.require_admin();
begin
  if p_role <> 'admin' then
    perform app.guard_last_admin(v_tenant, p_user);
  elsif not exists (select from app.memberships m
                    where m.tenant_id = v_tenant and m.user_id = p_user and m.status <> 'removed') then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  update app.memberships m set role = p_role where m.tenant_id = v_tenant and m.user_id = p_user;
end
$$;

create function app.remove_member(p_user uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := app.require_admin();
begin
  perform app.guard_last_admin(v_tenant, p_user);
  update app.memberships m set status = 'removed' where m.tenant_id = v_tenant and m.user_id = p_user;
end
$$;

-- Sign-in flows run before a user context exists (app_auth): find or create a user by email.
create function auth.ensure_user(p_email text, p_display_name text) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid;
begin
  insert into app.users (id, email, display_name)
  values (pg_catalog.gen_random_uuid(), p_email, coalesce(p_display_name, ''))
  on conflict (lower(email)) do nothing;
  select u.id into v_user from app.users u where lower(u.email) = lower(p_email);
  return v_user;
end
$$;

create function auth.user_id_by_email(p_email text) returns uuid
language sql stable security definer set search_path = '' as $$
  select u.id from app.users u where lower(u.email) = lower(p_email)
$$;

revoke execute on function app.create_tenant(text, text), app.require_admin(), app.add_member(text, text, text),
  app.guard_last_admin(uuid, uuid), app.change_member_role(uuid, text), app.remove_member(uuid),
  auth.ensure_user(text, text), auth.user_id_by_email(text) from public;
grant execute on function app.create_tenant(text, text), app.add_member(text, text, text),
  app.change_member_role(uuid, text), app.remove_member(uuid) to app_user;
grant execute on function auth.ensure_user(text, text), auth.user_id_by_email(text) to app_auth;

reset role;
set local role palisade_owner;

------------------------------------------------------------------------------------------------------
-- Grants and policies
------------------------------------------------------------------------------------------------------
grant select on app.tenants, app.users, app.memberships, app.platform_admins to app_user;
grant select on app.tenants, app.memberships to app_service;
grant select, insert, update on app.tenants, app.users, app.memberships to palisade_definer;

-- The definer's functions check the caller themselves; inside them the definer sees what it was granted.
create policy tenants_definer on app.tenants to palisade_definer using (true) with check (true);
create policy users_definer on app.users to palisade_definer using (true) with check (true);
create policy memberships_definer on app.memberships to palisade_definer using (true) with check (true);

create policy tenants_member_select on app.tenants for select to app_user
  using (id = any ((select ctx.member_tenant_ids())::uuid[]));
create policy tenants_service_select on app.tenants for select to app_service
  using (id = (select ctx.scoped_tenant_id()));

-- A user sees themselves and the members of the tenant they act in.
create policy users_visible on app.users for select to app_user
  using (id = (select ctx.user_id())
         or exists (select from app.memberships m
                    where m.user_id = users.id and m.tenant_id = (select ctx.tenant_id())));

create policy memberships_visible on app.memberships for select to app_user
  using (tenant_id = (select ctx.tenant_id()) or user_id = (select ctx.user_id()));
create policy memberships_service_select on app.memberships for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

create policy platform_admins_self on app.platform_admins for select to app_user
  using (user_id = (select ctx.user_id()));
