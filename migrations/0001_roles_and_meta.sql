-- Roles (DESIGN §2) and the migration history table.
--
-- Roles are cluster-level: they outlive any one database, and a second database in the same cluster
-- (tests clone many) finds them already there. So every statement here is idempotent, and a role
-- that exists with a dangerous attribute is refused rather than silently reused.
do $$
declare
  r text;
begin
  foreach r in array array['palisade_owner', 'palisade_definer', 'app_user', 'app_service', 'app_auth', 'app_reporting']
  loop
    if not exists (select from pg_catalog.pg_roles where rolname = r) then
      execute pg_catalog.format('create role %I nologin noinherit nobypassrls', r);
    end if;
  end loop;
  if not exists (select from pg_catalog.pg_roles where rolname = 'palisade_runtime') then
    create role palisade_runtime login noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
  end if;
  -- Fail closed: a pre-existing role with superpowers would void the security model.
  for r in
    select rolname from pg_catalog.pg_roles
    where rolname in ('palisade_owner', 'palisade_definer', 'palisade_runtime',
                      'app_user', 'app_service', 'app_auth', 'app_reporting')
      and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb or rolreplication)
  loop
    raise exception 'role % exists with SUPERUSER/BYPASSRLS/CREATEROLE/CREATEDB/REPLICATION; refusing to use it', r;
  end loop;
  if exists (select from pg_catalog.pg_roles where rolname = 'palisade_runtime' and rolinherit) then
    raise exception 'role palisade_runtime exists with INHERIT; it must be NOINHERIT';
  end if;
end
$$;

-- The runtime login can only switch into the four context roles; it holds no privilege of its own.
grant app_user, app_service, app_auth, app_reporting to palisade_runtime;
-- The migrator creates objects as the owner; the owner hands privileged functions to the definer.
grant palisade_owner to current_user;
grant palisade_definer to palisade_owner;

do $$
begin
  execute pg_catalog.format('grant create, connect on database %I to palisade_owner', pg_catalog.current_database());
  execute pg_catalog.format('revoke create, temporary on database %I from public', pg_catalog.current_database());
end
$$;
revoke create on schema public from public;

set local role palisade_owner;

create schema palisade_meta;
revoke all on schema palisade_meta from public;

create table palisade_meta.schema_migrations (
  version    integer primary key,
  name       text not null,
  checksum   text not null,
  applied_at timestamptz not null default now()
);
alter table palisade_meta.schema_migrations enable row level security;
alter table palisade_meta.schema_migrations force row level security;
-- The migrator (acting as owner) records history; readiness (auth context, before any user exists)
-- reads it to answer "are migrations current".
create policy schema_migrations_owner on palisade_meta.schema_migrations
  to palisade_owner using (true) with check (true);
create policy schema_migrations_read on palisade_meta.schema_migrations
  for select to app_auth using (true);
grant usage on schema palisade_meta to app_auth, palisade_runtime;
grant select on palisade_meta.schema_migrations to app_auth;
