-- Audit trail (DESIGN §1.7): every insert/update/delete on a domain table leaves an event that no
-- application role can change or delete, chained per tenant so that tampering shows.
--
-- Two steps, so that writers never wait for each other:
--   1. The generic trigger (audit.record_change) inserts the event and a row in audit.pending, in the
--      writing transaction. Nothing shared is locked: concurrent writers of one tenant do not queue.
--   2. The sealer (audit.seal, run every second by the server's job runner, one sealer at a time)
--      links pending events into their chain, in order, and appends one row per link to
--      audit.chain_links:
--        hash_n = sha256(hash_{n-1} || utf8(meta_n) || content_hash_n),   hash_0 = 32 zero bytes
--      where meta_n frames each metadata field (sequence number, event id, tenant, table, operation,
--      row key, actor, role, kind, purpose, correlation id, lead, owner, private flag, time) as
--      `<length>:<value>` (`~` for NULL), and content_hash = sha256(utf8(before::text || E'\n' ||
--      after::text)) is computed by the trigger. Content can be redacted (erasure) while the chain
--      still verifies: the content hash stays. `palisade audit verify` recomputes it all in Rust.
-- A writer holding a per-tenant chain head until COMMIT (the first design) serialised every write of a
-- tenant behind one row lock and the WAL flush; the benchmark showed 0.25-0.40 of unaudited throughput.
--
-- Ownership: events, links and their monthly partitions belong to palisade_definer, so the
-- definer-rights maintenance functions can create and drop partitions. palisade_definer is NOLOGIN
-- and no runtime role can become it.
set local role palisade_owner;

grant usage on schema audit to palisade_runtime, app_user, app_service, app_auth;
grant usage, create on schema audit to palisade_definer;

create table audit.settings (
  id               boolean primary key default true check (id),
  retention_months integer not null default 84 check (retention_months between 1 and 1200)
);
insert into audit.settings default values;

-- The newest link of each chain, written only by the sealer.
create table audit.chain_heads (
  chain_id   uuid primary key,
  seq        bigint not null check (seq >= 1),
  hash       bytea not null check (octet_length(hash) = 32),
  updated_at timestamptz not null default now()
);

-- When old partitions are dropped, the last link they held becomes the chain's verified starting point.
create table audit.chain_anchors (
  chain_id   uuid primary key,
  seq        bigint not null,
  hash       bytea not null check (octet_length(hash) = 32),
  created_at timestamptz not null default now()
);

alter table audit.settings enable row level security;
alter table audit.settings force row level security;
alter table audit.chain_heads enable row level security;
alter table audit.chain_heads force row level security;
alter table audit.chain_anchors enable row level security;
alter table audit.chain_anchors force row level security;
grant select on audit.settings to palisade_definer;
grant select, insert, update on audit.chain_heads, audit.chain_anchors to palisade_definer;
create policy settings_definer on audit.settings for select to palisade_definer using (true);
create policy chain_heads_definer on audit.chain_heads to palisade_definer using (true) with check (true);
create policy chain_anchors_definer on audit.chain_anchors to palisade_definer using (true) with check (true);

reset role;
set local role palisade_definer;

create sequence audit.events_id_seq as bigint;

create table audit.events (
  id            bigint not null default pg_catalog.nextval('audit.events_id_seq'),
  chain_id      uuid not null,
  tenant_id     uuid,
  table_name    text not null,
  op            text not null check (op in ('INSERT', 'UPDATE', 'DELETE')),
  row_key       text not null,
  actor_user_id uuid,
  actor_kind    text not null check (actor_kind in ('user', 'service', 'system')),
  actor_role    text,
  purpose       text,
  correlation_id text,
  lead_id       uuid,
  -- Rep-private tables: the owning rep, the only person who may see the event.
  owner_id      uuid,
  private       boolean not null,
  before        jsonb,
  after         jsonb,
  content_hash  bytea not null check (octet_length(content_hash) = 32),
  redacted_at   timestamptz,
  occurred_at   timestamptz not null,
  primary key (id, occurred_at)
) partition by range (occurred_at);
alter sequence audit.events_id_seq owned by audit.events.id;

create index events_tenant_idx on audit.events (tenant_id, id);
create index events_lead_idx on audit.events (tenant_id, lead_id, id) where lead_id is not null;
create index events_actor_idx on audit.events (tenant_id, actor_user_id, id);

-- One row per link of a chain, appended by the sealer. Partitioned like the events it links (by the
-- event's time), so retention drops an event month and its links together.
create table audit.chain_links (
  chain_id    uuid not null,
  seq         bigint not null,
  event_id    bigint not null,
  occurred_at timestamptz not null,
  hash        bytea not null check (octet_length(hash) = 32),
  primary key (chain_id, seq, occurred_at)
) partition by range (occurred_at);
create index chain_links_event_idx on audit.chain_links (event_id);

-- Events not yet linked. The sealer deletes a row once its event has a link.
create table audit.pending (
  event_id    bigint primary key,
  occurred_at timestamptz not null
);

alter table audit.events enable row level security;
alter table audit.events force row level security;
alter table audit.chain_links enable row level security;
alter table audit.chain_links force row level security;
alter table audit.pending enable row level security;
alter table audit.pending force row level security;
grant select on audit.events to app_user;

-- Managers and admins read their tenant's events, except rep-private ones; those are the owner's alone.
create policy events_read on audit.events for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((not private and (select ctx.has_role('manager')))
              or (private and owner_id = (select ctx.user_id()))));
create policy events_definer on audit.events to palisade_definer using (true) with check (true);
create policy chain_links_definer on audit.chain_links to palisade_definer using (true) with check (true);
create policy pending_definer on audit.pending to palisade_definer using (true) with check (true);

-- Framing for the hash input: unambiguous whatever the values contain. Deliberately without a SET
-- clause, so the planner inlines it (a SET clause would make each of the sixteen calls per event a real
-- function call with a GUC save and restore); every name in it is schema-qualified, and its only
-- caller is a definer-rights function whose search_path is pinned.
create function audit.frame(v text) returns text
language sql immutable parallel safe as $$
  select case when v is null then '~' else pg_catalog.length(v)::text || ':' || v end
$$;

-- The generic audit trigger. Arguments: tenant column ('' = platform chain), key column, lead column
-- ('' = none), 'domain' or 'private', then any sealed columns (recorded as a marker, never a value).
create function audit.record_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  -- Each row image is converted to JSON once.
  v_row     jsonb := case when tg_op = 'DELETE' then pg_catalog.to_jsonb(old) else pg_catalog.to_jsonb(new) end;
  v_before  jsonb := case tg_op when 'DELETE' then v_row when 'UPDATE' then pg_catalog.to_jsonb(old) end;
  v_after   jsonb := case when tg_op = 'DELETE' then null else v_row end;
  v_private constant boolean := tg_argv[3] = 'private';
  v_tenant  uuid := case when tg_argv[0] = '' then null else (v_row ->> tg_argv[0])::uuid end;
  v_db_role text := pg_catalog.current_setting('role', true);
  v_user    uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_purpose text := nullif(pg_catalog.current_setting('palisade.purpose', true), '');
  v_kind    text;
  v_role    text;
  v_lead    uuid;
  v_owner   uuid;
  v_id      bigint;
  v_at      timestamptz := pg_catalog.clock_timestamp();
  i         int;
begin
  if v_private then
    v_owner := (v_row ->> 'owner_id')::uuid;
    v_before := null;
    v_after := null;
  else
    if tg_argv[2] <> '' then
      v_lead := (v_row ->> tg_argv[2])::uuid;
    end if;
    i := 4;
    while i < tg_nargs loop
      if v_before ? tg_argv[i] and v_before -> tg_argv[i] <> 'null'::jsonb then
        v_before := v_before || pg_catalog.jsonb_build_object(tg_argv[i], '[sealed]');
      end if;
      if v_after ? tg_argv[i] and v_after -> tg_argv[i] <> 'null'::jsonb then
        v_after := v_after || pg_catalog.jsonb_build_object(tg_argv[i], '[sealed]');
      end if;
      i := i + 1;
    end loop;
  end if;

  v_kind := case v_db_role when 'app_user' then 'user' when 'app_service' then 'service' else 'system' end;
  if v_kind = 'user' then
    if v_tenant is not null then
      select m.role into v_role from app.memberships m where m.tenant_id = v_tenant and m.user_id = v_user;
    end if;
  elsif v_kind = 'system' then
    v_user := null;
    v_purpose := coalesce(v_purpose, case v_db_role when 'app_auth' then 'auth' else 'maintenance' end);
  end if;

  insert into audit.events (chain_id, tenant_id, table_name, op, row_key, actor_user_id, actor_kind,
    actor_role, purpose, correlation_id, lead_id, owner_id, private, before, after, content_hash, occurred_at)
  values (coalesce(v_tenant, '00000000-0000-0000-0000-000000000000'::uuid), v_tenant, tg_table_name, tg_op,
    v_row ->> tg_argv[1], v_user, v_kind, v_role, v_purpose,
    nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''), v_lead, v_owner, v_private,
    v_before, v_after,
    pg_catalog.sha256(pg_catalog.convert_to(coalesce(v_before::text, '') || E'\n' || coalesce(v_after::text, ''), 'UTF8')),
    v_at)
  returning id into v_id;
  insert into audit.pending (event_id, occurred_at) values (v_id, v_at);
  return null;
end
$$;

-- Platform jobs run in the service role with no tenant (`Db::system`). A tenant-scoped service context
-- (a webhook, a sync) must not run them: some see every tenant.
create function audit.require_system_context() returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) <> 'app_service'
     or nullif(pg_catalog.current_setting('palisade.tenant_id', true), '') is not null then
    raise exception 'this maintenance function runs only in the system service context' using errcode = '42501';
  end if;
end
$$;

-- Link up to p_limit pending events into their chains, oldest first. One sealer at a time (a
-- transaction-level advisory lock; a second caller returns 0 at once). Returns the events linked.
-- The batch is processed chain by chain, and each chain head is read once and written once per batch:
-- updating one head row per event inside one transaction would leave a version chain that every next
-- lookup has to walk.
create function audit.seal(p_limit integer) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  e       record;
  v_chain uuid;
  v_seq   bigint;
  v_prev  bytea;
  v_done  integer := 0;
  v_ids   bigint[] := '{}';
begin
  perform audit.require_system_context();
  if not pg_catalog.pg_try_advisory_xact_lock(7463712, 1) then
    return 0;
  end if;
  for e in
    select ev.* from (select p.event_id, p.occurred_at from audit.pending p
                      order by p.event_id limit greatest(coalesce(p_limit, 1000), 1)) b
    join audit.events ev on ev.id = b.event_id and ev.occurred_at = b.occurred_at
    order by ev.chain_id, ev.id
  loop
    if v_chain is distinct from e.chain_id then
      if v_chain is not null then
        insert into audit.chain_heads as h (chain_id, seq, hash, updated_at)
        values (v_chain, v_seq, v_prev, pg_catalog.now())
        on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at;
      end if;
      v_chain := e.chain_id;
      select h.seq, h.hash into v_seq, v_prev from audit.chain_heads h where h.chain_id = v_chain;
      if not found then
        v_seq := 0;
        v_prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      end if;
    end if;
    v_seq := v_seq + 1;
    v_prev := pg_catalog.sha256(v_prev || pg_catalog.convert_to(
         audit.frame(v_seq::text) || audit.frame(e.id::text) || audit.frame(e.chain_id::text)
      || audit.frame(e.tenant_id::text) || audit.frame(e.table_name) || audit.frame(e.op)
      || audit.frame(e.row_key) || audit.frame(e.actor_user_id::text) || audit.frame(e.actor_kind)
      || audit.frame(e.actor_role) || audit.frame(e.purpose) || audit.frame(e.correlation_id)
      || audit.frame(e.lead_id::text) || audit.frame(e.owner_id::text)
      || audit.frame(case when e.private then 't' else 'f' end)
      || audit.frame((extract(epoch from e.occurred_at) * 1000000)::bigint::text), 'UTF8') || e.content_hash);
    insert into audit.chain_links (chain_id, seq, event_id, occurred_at, hash)
    values (e.chain_id, v_seq, e.id, e.occurred_at, v_prev);
    v_ids := v_ids || e.id;
    v_done := v_done + 1;
  end loop;
  if v_chain is not null then
    insert into audit.chain_heads as h (chain_id, seq, hash, updated_at)
    values (v_chain, v_seq, v_prev, pg_catalog.now())
    on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, updated_at = excluded.updated_at;
  end if;
  delete from audit.pending p where p.event_id = any (v_ids);
  return v_done;
end
$$;

-- Append-only: nobody, not even the owner or a superuser's session, updates or deletes an event or a
-- link. The one exception is redaction for erasure (audit.redact_lead), which blanks content only.
create function audit.forbid_mutation() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_level = 'ROW' and tg_op = 'UPDATE' and tg_table_schema = 'audit' and tg_table_name like 'events%'
     and pg_catalog.current_setting('palisade.audit_redaction', true) = 'on' then
    if new.before is null and new.after is null and new.redacted_at is not null
       and (new.id, new.chain_id, new.tenant_id, new.table_name, new.op, new.row_key, new.actor_user_id,
            new.actor_kind, new.actor_role, new.purpose, new.correlation_id, new.lead_id, new.owner_id,
            new.private, new.content_hash, new.occurred_at)
           is not distinct from
           (old.id, old.chain_id, old.tenant_id, old.table_name, old.op, old.row_key, old.actor_user_id,
            old.actor_kind, old.actor_role, old.purpose, old.correlation_id, old.lead_id, old.owner_id,
            old.private, old.content_hash, old.occurred_at) then
      return new;
    end if;
  end if;
  raise exception 'audit records are append-only (% refused)', tg_op using errcode = '42501';
end
$$;

create trigger events_append_only before update or delete on audit.events
  for each row execute function audit.forbid_mutation();
create trigger events_no_truncate before truncate on audit.events
  for each statement execute function audit.forbid_mutation();
create trigger chain_links_append_only before update or delete on audit.chain_links
  for each row execute function audit.forbid_mutation();
create trigger chain_links_no_truncate before truncate on audit.chain_links
  for each statement execute function audit.forbid_mutation();

-- Monthly partitions of events and links from the current month through p_months_ahead months ahead.
-- Idempotent. A partition gets RLS forced and the truncate guard (statement triggers are not inherited).
create function audit.ensure_partitions(p_months_ahead integer) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_month date := pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC')::date;
  v_from  text;
  v_to    text;
  v_name  text;
  v_made  integer := 0;
begin
  -- The migration itself also calls this (as the definer, not a runtime role): allowed.
  if pg_catalog.current_setting('role', true) in ('app_user', 'app_service', 'app_auth', 'app_reporting') then
    perform audit.require_system_context();
  end if;
  if p_months_ahead is null or p_months_ahead < 1 or p_months_ahead > 36 then
    raise exception 'months ahead must be between 1 and 36' using errcode = '22023';
  end if;
  for i in 0 .. p_months_ahead loop
    v_from := (v_month + pg_catalog.make_interval(months => i))::date::text || ' 00:00:00+00';
    v_to := (v_month + pg_catalog.make_interval(months => i + 1))::date::text || ' 00:00:00+00';
    foreach v_name in array array['events', 'chain_links'] loop
      v_name := v_name || '_p' || pg_catalog.to_char(v_month + pg_catalog.make_interval(months => i), 'YYYY_MM');
      if pg_catalog.to_regclass('audit.' || v_name) is null then
        -- A partition (child) of audit.events or audit.chain_links: the next two statements enable and
        -- force row level security on it; it has no policies and no grants of its own (the catalog test checks).
        execute pg_catalog.format('create table audit.%I partition of audit.%I for values from (%L) to (%L)',
          v_name, pg_catalog.split_part(v_name, '_p', 1), v_from, v_to);
        execute pg_catalog.format('alter table audit.%I enable row level security', v_name);
        execute pg_catalog.format('alter table audit.%I force row level security', v_name);
        execute pg_catalog.format(
          'create trigger no_truncate before truncate on audit.%I for each statement execute function audit.forbid_mutation()',
          v_name);
        v_made := v_made + 1;
      end if;
    end loop;
  end loop;
  return v_made;
end
$$;

-- Months of partitions that exist beyond the current one (readiness warns when this runs low).
create function audit.partition_months_ahead() returns integer
language plpgsql stable security definer set search_path = '' as $$
declare
  v_month date := pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC')::date;
  v_ahead integer := -1;
begin
  while pg_catalog.to_regclass('audit.events_p'
        || pg_catalog.to_char(v_month + pg_catalog.make_interval(months => v_ahead + 1), 'YYYY_MM')) is not null
        and v_ahead < 1200 loop
    v_ahead := v_ahead + 1;
  end loop;
  return v_ahead;
end
$$;

-- Drop whole months of events and their links that ended before now() minus the retention period
-- (audit.settings). The last link of every chain in a dropped month becomes that chain's anchor, so
-- verification still starts from a known hash. A month that still holds unsealed events is kept.
-- Returns the event partitions dropped.
create function audit.drop_expired_partitions() returns setof text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_cutoff timestamptz;
  r record;
  v_lower timestamptz;
  v_upper timestamptz;
  v_links text;
begin
  perform audit.require_system_context();
  -- One instance at a time, and never while `palisade audit verify` holds its shared lock.
  if not pg_catalog.pg_try_advisory_xact_lock(7463712, 2) then
    return;
  end if;
  -- Detaching takes an exclusive lock on the parents every audited write inserts into: give up after a
  -- moment rather than queue all writes behind a long transaction (the next run tries again).
  perform pg_catalog.set_config('lock_timeout', '2s', true);
  -- Month arithmetic in UTC, whatever the session's time zone.
  select (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC')
          - pg_catalog.make_interval(months => s.retention_months)) at time zone 'UTC'
    into v_cutoff from audit.settings s;
  if v_cutoff is null then
    -- Never guess: without a readable retention setting nothing is dropped.
    raise exception 'audit retention setting is missing' using errcode = '55000';
  end if;
  for r in
    select c.relname::text as name, pg_catalog.pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_catalog.pg_inherits i
    join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass
    order by c.relname
  loop
    v_lower := (pg_catalog.regexp_match(r.bound, 'FROM \(''([^'']+)''\)'))[1]::timestamptz;
    v_upper := (pg_catalog.regexp_match(r.bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz;
    continue when v_lower is null or v_upper is null or v_upper > v_cutoff;
    continue when exists (select from audit.pending p where p.occurred_at < v_upper);
    -- Read through the parent: partitions have forced RLS and no policies of their own.
    insert into audit.chain_anchors as a (chain_id, seq, hash)
    select distinct on (l.chain_id) l.chain_id, l.seq, l.hash from audit.chain_links l
    where l.occurred_at >= v_lower and l.occurred_at < v_upper
    order by l.chain_id, l.seq desc
    on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, created_at = pg_catalog.now()
    where excluded.seq > a.seq;
    v_links := 'chain_links' || pg_catalog.substr(r.name, 7);
    if pg_catalog.to_regclass('audit.' || v_links) is not null then
      execute pg_catalog.format('alter table audit.chain_links detach partition audit.%I', v_links);
      execute pg_catalog.format('drop table audit.%I', v_links);
    end if;
    execute pg_catalog.format('alter table audit.events detach partition audit.%I', r.name);
    execute pg_catalog.format('drop table audit.%I', r.name);
    return next r.name;
  end loop;
end
$$;

-- Erasure (DESIGN §1.8): blank the content of every event about one lead of the service's tenant.
-- Metadata and content hashes stay, so the chain still verifies.
create function audit.redact_lead(p_lead uuid) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service' then
    raise exception 'redaction needs a tenant-scoped service context' using errcode = '42501';
  end if;
  -- Only the history of a lead that is gone: a live lead's trail stays intact.
  if exists (select from app.leads l where l.tenant_id = v_tenant and l.id = p_lead) then
    raise exception 'delete the lead before redacting its audit trail' using errcode = '55000';
  end if;
  if pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'redaction is part of an erasure only' using errcode = '42501';
  end if;
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.tenant_id = v_tenant and e.lead_id = p_lead and e.redacted_at is null;
  get diagnostics v_count = row_count;
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  -- The access log (migration 0008) records who redacted what.
  perform audit.log_access(v_tenant, 'audit_redaction', 'lead', p_lead::text,
                           pg_catalog.jsonb_build_object('events', v_count), null);
  return v_count;
end
$$;

-- Totals for metrics and readiness, without revealing any tenant's data.
create function audit.chain_stats(out chains bigint, out linked bigint, out pending bigint,
                                  out oldest_pending_seconds double precision) returns record
language sql stable security definer set search_path = '' as $$
  select (select pg_catalog.count(*) from audit.chain_heads h),
         (select coalesce(pg_catalog.sum(h.seq), 0)::bigint from audit.chain_heads h),
         (select pg_catalog.count(*) from audit.pending p),
         (select coalesce(extract(epoch from pg_catalog.now() - pg_catalog.min(p.occurred_at)), 0)::double precision
          from audit.pending p)
$$;

revoke execute on all functions in schema audit from public;
grant execute on function audit.require_system_context() to palisade_definer;
grant execute on function audit.seal(integer), audit.ensure_partitions(integer), audit.partition_months_ahead(),
  audit.drop_expired_partitions(), audit.redact_lead(uuid), audit.chain_stats() to app_service;
grant execute on function audit.partition_months_ahead(), audit.chain_stats() to app_auth;
grant execute on function audit.record_change(), audit.forbid_mutation() to palisade_owner;

-- This month and the next twelve exist from the start; a job keeps twelve months ahead.
select audit.ensure_partitions(12);

reset role;
set local role palisade_owner;

-- Redaction checks that the lead is gone; the definer may see that a lead exists, nothing more.
grant select (tenant_id, id) on app.leads to palisade_definer;
create policy leads_definer_exists on app.leads for select to palisade_definer using (true);

------------------------------------------------------------------------------------------------------
-- The audit trigger on every domain table (after each row, in the writing statement). Rollups are
-- derived data and are not audited (the catalog test lists the exemptions with reasons).
------------------------------------------------------------------------------------------------------
create trigger tenants_audit after insert or update or delete on app.tenants
  for each row execute function audit.record_change('id', 'id', '', 'domain');
create trigger users_audit after insert or update or delete on app.users
  for each row execute function audit.record_change('', 'id', '', 'domain');
create trigger memberships_audit after insert or update or delete on app.memberships
  for each row execute function audit.record_change('tenant_id', 'user_id', '', 'domain');
create trigger platform_admins_audit after insert or update or delete on app.platform_admins
  for each row execute function audit.record_change('', 'user_id', '', 'domain');
create trigger leads_audit after insert or update or delete on app.leads
  for each row execute function audit.record_change('tenant_id', 'id', 'id', 'domain');
create trigger deals_audit after insert or update or delete on app.deals
  for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain');
create trigger interactions_audit after insert or update or delete on app.interactions
  for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain');
create trigger coaching_observations_audit after insert or update or delete on app.coaching_observations
  for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
create trigger drafts_audit after insert or update or delete on app.drafts
  for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
create trigger voice_samples_audit after insert or update or delete on app.voice_samples
  for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
