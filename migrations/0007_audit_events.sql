-- Audit trail (DESIGN §1.7): every insert/update/delete on a domain table leaves an event that no
-- application role can change or delete, chained per tenant so that tampering shows.
--
-- Ownership: the events table and its monthly partitions belong to palisade_definer, so the
-- definer-rights maintenance functions (create next months' partitions, drop partitions past
-- retention) can run DDL on them. palisade_definer is NOLOGIN and no runtime role can become it.
--
-- Chain: for each chain (a tenant, or the platform chain for rows without a tenant)
--   hash_n = sha256(hash_{n-1} || utf8(meta_n) || content_hash_n),   hash_0 = 32 zero bytes
-- where meta_n frames each metadata field as `<length>:<value>` (`~` for NULL) in a fixed order and
-- content_hash_n = sha256(utf8(before::text || E'\n' || after::text)). Content can therefore be
-- redacted (erasure) while the chain still verifies: the content hash stays. `palisade audit verify`
-- recomputes everything independently in Rust.
--
-- Concurrency: the trigger is a deferred constraint trigger, so the chain head row is locked at
-- COMMIT, after the transaction's own row locks: the head is held only for the commit itself, and a
-- transaction never waits for the head while holding a row another head-holder needs.
set local role palisade_owner;

grant usage on schema audit to palisade_runtime, app_user, app_service, app_auth;
grant usage, create on schema audit to palisade_definer;

create table audit.settings (
  id               boolean primary key default true check (id),
  retention_months integer not null default 84 check (retention_months between 1 and 1200)
);
insert into audit.settings default values;

-- The newest link of each chain. Writers serialise on this row (per tenant), which is what keeps
-- one chain from forking.
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

create table audit.events (
  chain_id      uuid not null,
  seq           bigint not null,
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
  content_hash  bytea not null,
  hash          bytea not null,
  redacted_at   timestamptz,
  occurred_at   timestamptz not null
) partition by range (occurred_at);

create index events_tenant_seq_idx on audit.events (tenant_id, seq);
create index events_lead_idx on audit.events (tenant_id, lead_id, seq) where lead_id is not null;
create index events_actor_idx on audit.events (tenant_id, actor_user_id, seq);
create index events_chain_idx on audit.events (chain_id, seq);

alter table audit.events enable row level security;
alter table audit.events force row level security;
grant select on audit.events to app_user;

-- Managers and admins read their tenant's events, except rep-private ones; those are the owner's alone.
create policy events_read on audit.events for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((not private and (select ctx.has_role('manager')))
              or (private and owner_id = (select ctx.user_id()))));
create policy events_definer on audit.events to palisade_definer using (true) with check (true);

-- Framing for the hash input: unambiguous whatever the values contain.
create function audit.frame(v text) returns text
language sql immutable set search_path = '' as $$
  select case when v is null then '~' else pg_catalog.length(v)::text || ':' || v end
$$;

create function audit.meta_text(
  p_seq bigint, p_chain uuid, p_tenant uuid, p_table text, p_op text, p_row_key text, p_actor uuid,
  p_kind text, p_role text, p_purpose text, p_correlation text, p_lead uuid, p_owner uuid,
  p_private boolean, p_at timestamptz) returns text
language sql immutable set search_path = '' as $$
  select audit.frame(p_seq::text) || audit.frame(p_chain::text) || audit.frame(p_tenant::text)
      || audit.frame(p_table) || audit.frame(p_op) || audit.frame(p_row_key) || audit.frame(p_actor::text)
      || audit.frame(p_kind) || audit.frame(p_role) || audit.frame(p_purpose) || audit.frame(p_correlation)
      || audit.frame(p_lead::text) || audit.frame(p_owner::text)
      || audit.frame(case when p_private then 't' else 'f' end)
      || audit.frame((extract(epoch from p_at) * 1000000)::bigint::text)
$$;

-- The generic audit trigger. Arguments: tenant column ('' = platform chain), key column, lead column
-- ('' = none), 'domain' or 'private', then any sealed columns (recorded as a marker, never a value).
create function audit.record_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_row     jsonb := case when tg_op = 'DELETE' then pg_catalog.to_jsonb(old) else pg_catalog.to_jsonb(new) end;
  v_before  jsonb := case when tg_op = 'INSERT' then null else pg_catalog.to_jsonb(old) end;
  v_after   jsonb := case when tg_op = 'DELETE' then null else pg_catalog.to_jsonb(new) end;
  v_private constant boolean := tg_argv[3] = 'private';
  v_tenant  uuid := case when tg_argv[0] = '' then null else (v_row ->> tg_argv[0])::uuid end;
  v_chain   uuid := coalesce(v_tenant, '00000000-0000-0000-0000-000000000000'::uuid);
  v_key     text := v_row ->> tg_argv[1];
  v_lead    uuid;
  v_owner   uuid;
  v_db_role text := pg_catalog.current_setting('role', true);
  v_user    uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_purpose text := nullif(pg_catalog.current_setting('palisade.purpose', true), '');
  v_corr    text := nullif(pg_catalog.current_setting('palisade.correlation_id', true), '');
  v_kind    text;
  v_role    text;
  v_content bytea;
  v_seq     bigint;
  v_prev    bytea;
  v_hash    bytea;
  v_at      timestamptz;
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

  v_content := pg_catalog.sha256(pg_catalog.convert_to(
    coalesce(v_before::text, '') || E'\n' || coalesce(v_after::text, ''), 'UTF8'));

  loop
    select h.seq, h.hash into v_seq, v_prev from audit.chain_heads h where h.chain_id = v_chain for update;
    exit when found;
    insert into audit.chain_heads (chain_id, seq, hash)
    values (v_chain, 1, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    on conflict do nothing;
    if found then
      -- A fresh chain: the row just inserted stands for seq 0 until it is updated below.
      v_seq := 0;
      v_prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      exit;
    end if;
  end loop;
  -- Read the clock only while holding the head, so time never goes backwards along a chain.
  v_at := pg_catalog.clock_timestamp();
  v_seq := v_seq + 1;
  v_hash := pg_catalog.sha256(v_prev || pg_catalog.convert_to(audit.meta_text(
    v_seq, v_chain, v_tenant, tg_table_name::text, tg_op::text, v_key, v_user, v_kind, v_role, v_purpose,
    v_corr, v_lead, v_owner, v_private, v_at), 'UTF8') || v_content);
  update audit.chain_heads h set seq = v_seq, hash = v_hash, updated_at = v_at where h.chain_id = v_chain;

  insert into audit.events (chain_id, seq, tenant_id, table_name, op, row_key, actor_user_id, actor_kind,
    actor_role, purpose, correlation_id, lead_id, owner_id, private, before, after, content_hash, hash,
    occurred_at)
  values (v_chain, v_seq, v_tenant, tg_table_name, tg_op, v_key, v_user, v_kind, v_role, v_purpose, v_corr,
    v_lead, v_owner, v_private, v_before, v_after, v_content, v_hash, v_at);
  return null;
end
$$;

-- Append-only: nobody, not even the owner or a superuser's session, updates or deletes an event row.
-- The one exception is redaction for erasure (audit.redact_lead), which blanks content only.
create function audit.forbid_mutation() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_level = 'ROW' and tg_op = 'UPDATE' and tg_table_schema = 'audit' and tg_table_name like 'events%'
     and pg_catalog.current_setting('palisade.audit_redaction', true) = 'on' then
    if new.before is null and new.after is null and new.redacted_at is not null
       and (new.chain_id, new.seq, new.tenant_id, new.table_name, new.op, new.row_key, new.actor_user_id,
            new.actor_kind, new.actor_role, new.purpose, new.correlation_id, new.lead_id, new.owner_id,
            new.private, new.content_hash, new.hash, new.occurred_at)
           is not distinct from
           (old.chain_id, old.seq, old.tenant_id, old.table_name, old.op, old.row_key, old.actor_user_id,
            old.actor_kind, old.actor_role, old.purpose, old.correlation_id, old.lead_id, old.owner_id,
            old.private, old.content_hash, old.hash, old.occurred_at) then
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

-- Monthly partitions from the current month through p_months_ahead months ahead. Idempotent.
-- A partition gets RLS forced and the truncate guard (statement triggers are not inherited).
create function audit.ensure_partitions(p_months_ahead integer) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_month date := pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC')::date;
  v_name  text;
  v_made  integer := 0;
begin
  if p_months_ahead is null or p_months_ahead < 1 or p_months_ahead > 36 then
    raise exception 'months ahead must be between 1 and 36' using errcode = '22023';
  end if;
  for i in 0 .. p_months_ahead loop
    v_name := 'events_p' || pg_catalog.to_char(v_month + pg_catalog.make_interval(months => i), 'YYYY_MM');
    if pg_catalog.to_regclass('audit.' || v_name) is null then
      execute pg_catalog.format(
        'create table audit.%I partition of audit.events for values from (%L) to (%L)', v_name,
        (v_month + pg_catalog.make_interval(months => i))::date::text || ' 00:00:00+00',
        (v_month + pg_catalog.make_interval(months => i + 1))::date::text || ' 00:00:00+00');
      execute pg_catalog.format('alter table audit.%I enable row level security', v_name);
      execute pg_catalog.format('alter table audit.%I force row level security', v_name);
      execute pg_catalog.format(
        'create trigger no_truncate before truncate on audit.%I for each statement execute function audit.forbid_mutation()',
        v_name);
      v_made := v_made + 1;
    end if;
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

-- Drop whole partitions that ended before now() minus the retention period (audit.settings). The last
-- link of every chain in a dropped partition becomes that chain's anchor, so verification still starts
-- from a known hash. Returns the partitions dropped.
create function audit.drop_expired_partitions() returns setof text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_cutoff timestamptz;
  r record;
  v_upper timestamptz;
begin
  select pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC') at time zone 'UTC'
         - pg_catalog.make_interval(months => s.retention_months)
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
    v_upper := (pg_catalog.regexp_match(r.bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz;
    continue when v_upper is null or v_upper > v_cutoff;
    execute pg_catalog.format(
      'insert into audit.chain_anchors as a (chain_id, seq, hash) '
      'select distinct on (chain_id) chain_id, seq, hash from audit.%I order by chain_id, seq desc '
      'on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, created_at = pg_catalog.now() '
      'where excluded.seq > a.seq', r.name);
    execute pg_catalog.format('alter table audit.events detach partition audit.%I', r.name);
    execute pg_catalog.format('drop table audit.%I', r.name);
    return next r.name;
  end loop;
end
$$;

-- Erasure (DESIGN §1.8): blank the content of every event about one lead of the service's tenant.
-- Metadata, content hashes and chain hashes stay, so the chain still verifies.
create function audit.redact_lead(p_lead uuid) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_count bigint;
begin
  if v_tenant is null then
    raise exception 'redaction needs a tenant-scoped service context' using errcode = '42501';
  end if;
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.tenant_id = v_tenant and e.lead_id = p_lead and e.redacted_at is null;
  get diagnostics v_count = row_count;
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  return v_count;
end
$$;

-- Totals for metrics, without revealing any tenant's data.
create function audit.chain_stats(out chains bigint, out events bigint) returns record
language sql stable security definer set search_path = '' as $$
  select pg_catalog.count(*), coalesce(pg_catalog.sum(h.seq), 0)::bigint from audit.chain_heads h
$$;

revoke execute on all functions in schema audit from public;
grant execute on function audit.ensure_partitions(integer), audit.partition_months_ahead(),
  audit.drop_expired_partitions(), audit.redact_lead(uuid), audit.chain_stats() to app_service;
grant execute on function audit.partition_months_ahead() to app_auth;
grant execute on function audit.record_change(), audit.forbid_mutation() to palisade_owner;

-- This month and the next twelve exist from the start; a daily job keeps twelve months ahead.
select audit.ensure_partitions(12);

reset role;
set local role palisade_owner;

------------------------------------------------------------------------------------------------------
-- The audit trigger on every domain table. Rollups are derived data and are not audited (the catalog
-- test lists the exemptions with reasons).
------------------------------------------------------------------------------------------------------
create constraint trigger tenants_audit after insert or update or delete on app.tenants
  deferrable initially deferred for each row execute function audit.record_change('id', 'id', '', 'domain');
create constraint trigger users_audit after insert or update or delete on app.users
  deferrable initially deferred for each row execute function audit.record_change('', 'id', '', 'domain');
create constraint trigger memberships_audit after insert or update or delete on app.memberships
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'user_id', '', 'domain');
create constraint trigger platform_admins_audit after insert or update or delete on app.platform_admins
  deferrable initially deferred for each row execute function audit.record_change('', 'user_id', '', 'domain');
create constraint trigger leads_audit after insert or update or delete on app.leads
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', 'id', 'domain');
create constraint trigger deals_audit after insert or update or delete on app.deals
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain');
create constraint trigger interactions_audit after insert or update or delete on app.interactions
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', 'lead_id', 'domain');
create constraint trigger coaching_observations_audit after insert or update or delete on app.coaching_observations
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
create constraint trigger drafts_audit after insert or update or delete on app.drafts
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
create constraint trigger voice_samples_audit after insert or update or delete on app.voice_samples
  deferrable initially deferred for each row execute function audit.record_change('tenant_id', 'id', '', 'private');
