-- Key check values (issue 6). A key id is bound to its material the first time a server starts with
-- it: the database keeps a check value (palisade-crypto's `check_values`, an HMAC of a fixed label
-- under the key, which says nothing about the key), and a server whose key of the same id has
-- another check value refuses to start, before it seals anything under the wrong key or finds no
-- phone number. Rows are never updated or deleted: an id, once used, names one key for good.
set local role palisade_owner;

create table palisade_meta.key_checks (
  keyring     text not null check (keyring in ('seal', 'index')),
  key_id      text not null check (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  check_value bytea not null check (pg_catalog.octet_length(check_value) = 16),
  first_seen  timestamptz not null default now(),
  primary key (keyring, key_id)
);
alter table palisade_meta.key_checks enable row level security;
alter table palisade_meta.key_checks force row level security;
grant select, insert on palisade_meta.key_checks to palisade_definer;
grant usage, create on schema palisade_meta to palisade_definer;
grant usage on schema palisade_meta to app_service;
create policy key_checks_definer_select on palisade_meta.key_checks for select to palisade_definer
  using (true);
create policy key_checks_definer_insert on palisade_meta.key_checks for insert to palisade_definer
  with check (true);

reset role;
set local role palisade_definer;

-- Records the check values of keys not seen before and returns the ids whose recorded value differs.
create function palisade_meta.register_keys(p_keyring text, p_ids text[], p_checks bytea[])
returns setof text
language plpgsql volatile security definer set search_path = '' as $$
begin
  -- Servers register their keys at start, in the platform's service context; a tenant's may not.
  if ctx.scoped_tenant_id() is not null then
    raise exception 'keys are registered by the platform only' using errcode = '42501';
  end if;
  if pg_catalog.cardinality(p_ids) is distinct from pg_catalog.cardinality(p_checks) then
    raise exception 'one check value per key id' using errcode = '22023';
  end if;
  insert into palisade_meta.key_checks (keyring, key_id, check_value)
  select p_keyring, k.id, k.check_value
  from rows from (pg_catalog.unnest(p_ids), pg_catalog.unnest(p_checks)) as k (id, check_value)
  on conflict (keyring, key_id) do nothing;
  return query
    select c.key_id
    from palisade_meta.key_checks c
    join rows from (pg_catalog.unnest(p_ids), pg_catalog.unnest(p_checks)) as k (id, check_value) on k.id = c.key_id
    where c.keyring = p_keyring and c.check_value <> k.check_value
    order by c.key_id;
end
$$;

revoke execute on function palisade_meta.register_keys(text, text[], bytea[]) from public;
grant execute on function palisade_meta.register_keys(text, text[], bytea[]) to app_service;

reset role;
