-- The schema as migrations/ leave it (PostgreSQL 15). Generated; do not edit.
-- Regenerate: PALISADE_WRITE_SCHEMA=1 cargo test -p palisade-core --test db schema_doc
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: palisade_owner
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO palisade_owner;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: palisade_owner
--

CREATE SCHEMA audit;


ALTER SCHEMA audit OWNER TO palisade_owner;

--
-- Name: auth; Type: SCHEMA; Schema: -; Owner: palisade_owner
--

CREATE SCHEMA auth;


ALTER SCHEMA auth OWNER TO palisade_owner;

--
-- Name: ctx; Type: SCHEMA; Schema: -; Owner: palisade_owner
--

CREATE SCHEMA ctx;


ALTER SCHEMA ctx OWNER TO palisade_owner;

--
-- Name: palisade_meta; Type: SCHEMA; Schema: -; Owner: palisade_owner
--

CREATE SCHEMA palisade_meta;


ALTER SCHEMA palisade_meta OWNER TO palisade_owner;

--
-- Name: accept_invitation(bytea); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.accept_invitation(p_token_hash bytea) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := ctx.user_id();
  v_email text;
  inv record;
  m record;
begin
  select u.email into v_email from app.users u where u.id = v_user;
  if v_email is null then
    raise exception 'a signed-in user is required' using errcode = '42501';
  end if;
  update app.invitations i set accepted_at = pg_catalog.now(), accepted_by = v_user
  where i.token_hash = p_token_hash and i.accepted_at is null and i.revoked_at is null
    and i.expires_at > pg_catalog.now() and lower(i.email) = lower(v_email)
  returning i.tenant_id, i.role, i.created_at, i.invited_by into inv;
  if not found then
    raise exception 'no such invitation' using errcode = 'PA404';
  end if;
  if not exists (select from app.tenants t where t.id = inv.tenant_id and t.status = 'active')
     or not exists (select from app.memberships a
                    where a.tenant_id = inv.tenant_id and a.user_id = inv.invited_by and a.role = 'admin'
                      and a.status = 'active') then
    raise exception 'no such invitation' using errcode = 'PA404';
  end if;
  select x.status, x.status_changed_at into m from app.memberships x
  where x.tenant_id = inv.tenant_id and x.user_id = v_user for update;
  if found and (m.status = 'suspended' or (m.status = 'removed' and inv.created_at <= m.status_changed_at)) then
    raise exception 'no such invitation' using errcode = 'PA404';
  end if;
  if found and m.status = 'active' then
    return inv.tenant_id;
  end if;
  insert into app.memberships (tenant_id, user_id, role, status)
  values (inv.tenant_id, v_user, inv.role, 'active')
  on conflict (tenant_id, user_id) do update set role = excluded.role, status = 'active', sessions_revoked_at = null;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                   correlation_id)
  values (inv.tenant_id, v_user, 'user', 'member_added', 'member', v_user::text,
          pg_catalog.jsonb_build_object('via', 'invitation', 'role', inv.role),
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return inv.tenant_id;
end
$$;


ALTER FUNCTION app.accept_invitation(p_token_hash bytea) OWNER TO palisade_definer;

--
-- Name: ai_reserve(text, text, bigint, bigint); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_budget bigint;
  v_spent bigint;
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) <> 'assistant' then
    raise exception 'the budget is reserved by the assistant of one tenant' using errcode = '42501';
  end if;
  if p_reserve is null or p_reserve < 0 or p_default_budget is null or p_default_budget < 0 then
    raise exception 'a reservation and a budget are zero or more' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('palisade.ai_budget:' || v_tenant::text, 0));
  select coalesce(s.monthly_budget_micros, p_default_budget) into v_budget
  from app.ai_settings s where s.tenant_id = v_tenant;
  v_budget := coalesce(v_budget, p_default_budget);
  select coalesce(sum(coalesce(u.cost_micros, u.reserved_micros)), 0) into v_spent
  from app.ai_usage u
  where u.tenant_id = v_tenant and u.created_at >= pg_catalog.date_trunc('month', pg_catalog.now(), 'UTC');
  if v_budget = 0 or v_spent + p_reserve > v_budget then
    raise exception 'ai_budget_exhausted: this month''s AI budget is spent' using errcode = 'PA429';
  end if;
  insert into app.ai_usage (tenant_id, id, purpose, model, reserved_micros)
  values (v_tenant, v_id, p_purpose, p_model, p_reserve);
  return v_id;
end
$$;


ALTER FUNCTION app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint) OWNER TO palisade_definer;

--
-- Name: ai_settle(uuid, text, integer, integer, bigint, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer, p_cost bigint, p_masked integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) <> 'assistant' then
    raise exception 'a reservation is settled by the assistant of its tenant' using errcode = '42501';
  end if;
  if p_status not in ('done', 'failed') then
    raise exception 'a reservation settles as done or failed' using errcode = '22023';
  end if;
  update app.ai_usage u
  set status = p_status, prompt_tokens = p_prompt_tokens, completion_tokens = p_completion_tokens,
      cost_micros = p_cost, masked = p_masked, settled_at = pg_catalog.now()
  where u.tenant_id = v_tenant and u.id = p_id and u.status = 'reserved';
  return found;
end
$$;


ALTER FUNCTION app.ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer, p_cost bigint, p_masked integer) OWNER TO palisade_definer;

--
-- Name: begin_purge(text, boolean); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.begin_purge(p_slug text, p_operator boolean) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  t record;
begin
  if p_operator then
    if not pg_catalog.pg_has_role(session_user, 'palisade_owner', 'MEMBER') then
      raise exception 'only the database admin purges a tenant at once' using errcode = '42501';
    end if;
  else
    perform app.require_termination_context();
  end if;
  select x.id, x.status into t from app.tenants x where x.slug = p_slug for no key update;
  if t.id is null or t.status = 'purged' then
    return null;
  elsif t.status = 'purging' then
    return t.id;
  elsif t.status in ('active', 'suspended') then
    if not p_operator then
      return null;
    end if;
    insert into app.terminations (id, tenant_id, requested_by, requested_at, purge_after)
    values (pg_catalog.gen_random_uuid(), t.id, null, pg_catalog.now(), pg_catalog.now());
  elsif not p_operator and not exists (select from app.terminations x where x.tenant_id = t.id
                                         and x.canceled_at is null and x.purge_after <= pg_catalog.now()) then
    return null;
  end if;
  -- Where the chain starts now (0 or an anchor audit retention left): the receipt counts from here.
  update app.terminations x
    set purge_started_at = pg_catalog.now(),
        counts = x.counts || pg_catalog.jsonb_build_object('audit.anchor_before',
                   coalesce((select a.seq from audit.chain_anchors a where a.chain_id = t.id), 0))
  where x.tenant_id = t.id and x.canceled_at is null;
  update app.tenants x set status = 'purging' where x.id = t.id;
  return t.id;
end
$$;


ALTER FUNCTION app.begin_purge(p_slug text, p_operator boolean) OWNER TO palisade_definer;

--
-- Name: blind_index_guard(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.blind_index_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if coalesce(pg_catalog.current_setting('role', true), '') not in ('app_user', 'app_service') then
    return new;
  end if;
  if (new.phone_index is distinct from old.phone_index) <> (new.phone_sealed is distinct from old.phone_sealed) then
    raise exception 'a phone number and its blind index change together' using errcode = '22023';
  end if;
  -- Nested: member_phones has no email columns, and a record's field is resolved when used.
  if tg_table_name = 'leads' then
    if new.email_index is distinct from old.email_index and old.email_index is not null
       and pg_catalog.lower(new.email) is not distinct from pg_catalog.lower(old.email) then
      raise exception 'an email address and its blind index change together' using errcode = '22023';
    end if;
  end if;
  return new;
end
$$;


ALTER FUNCTION app.blind_index_guard() OWNER TO palisade_owner;

--
-- Name: briefs_due(timestamp with time zone, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.briefs_due(p_now timestamp with time zone, p_limit integer) RETURNS TABLE(tenant_id uuid, member_id uuid, brief_on date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service' or ctx.scoped_tenant_id() is not null then
    raise exception 'briefs are listed by the platform''s job only' using errcode = '42501';
  end if;
  return query
    with local as (
      -- Only zones the server knows (a name it no longer knows would make timezone() fail).
      select p.tenant_id, p.owner_id, p.send_hour, pg_catalog.timezone(p.time_zone, p_now) as local_time
      from app.brief_preferences p
      join pg_catalog.pg_timezone_names z on z.name = p.time_zone
      join app.memberships m on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active'
      join app.tenants t on t.id = p.tenant_id and t.status = 'active'
    )
    select l.tenant_id, l.owner_id, l.local_time::date
    from local l
    where pg_catalog.date_part('hour', l.local_time) between l.send_hour and l.send_hour + 2
      and not exists (select from app.outbound_messages o
                      where o.tenant_id = l.tenant_id and o.member_id = l.owner_id
                        and o.brief_on = l.local_time::date)
      and app.consent_block(l.tenant_id, null, l.owner_id, 'whatsapp', 'brief') is null
    -- In no fixed order: a brief that keeps failing does not hold the same place ahead of others.
    order by pg_catalog.random()
    limit p_limit;
end
$$;


ALTER FUNCTION app.briefs_due(p_now timestamp with time zone, p_limit integer) OWNER TO palisade_definer;

--
-- Name: cancel_termination(uuid, timestamp with time zone); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.cancel_termination(p_tenant uuid, p_now timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_id uuid;
begin
  select x.id into v_id from app.termination_for_admin(p_tenant) x where x.status = 'terminating';
  if v_id is null then
    return false;
  end if;
  -- The purge's start takes the same row lock and re-checks the status after it.
  perform from app.tenants t where t.id = p_tenant and t.status = 'terminating' for no key update;
  if not found then
    return false;
  end if;
  update app.terminations x set canceled_at = pg_catalog.now(), canceled_by = ctx.user_id()
  where x.tenant_id = p_tenant and x.id = v_id and x.canceled_at is null and x.purge_started_at is null;
  if not found then
    return false;
  end if;
  update app.tenants t set status = 'active' where t.id = p_tenant;
  -- Logged as the tenant's (the caller acts in no tenant, so audit.log_access would refuse it).
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type, target_id,
                                   detail, correlation_id)
  values (p_tenant, ctx.user_id(), 'user', null, 'tenant_termination_canceled', 'tenant', p_tenant::text,
          '{}'::jsonb, nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return true;
end
$$;


ALTER FUNCTION app.cancel_termination(p_tenant uuid, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: change_member_role(uuid, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.change_member_role(p_user uuid, p_role text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.change_member_role(p_user uuid, p_role text) OWNER TO palisade_definer;

--
-- Name: claim_incident_notices(integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.claim_incident_notices(p_limit integer) RETURNS TABLE(incident_id uuid, tenant_id uuid, tenant_name text, title text, description text, severity text, declared_at timestamp with time zone, notify_deadline timestamp with time zone, recipients text[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- Returns admins' email addresses of every affected tenant: platform jobs only.
  perform audit.require_system_context();
  return query
  with pending as (
    select it.incident_id, it.tenant_id from app.incident_tenants it
    where it.notified_at is null
    order by it.incident_id, it.tenant_id
    limit p_limit
    for update skip locked
  )
  select p.incident_id, p.tenant_id, t.name, i.title, i.description, i.severity, i.declared_at, i.notify_deadline,
         coalesce((select pg_catalog.array_agg(u.email order by u.email)
                   from app.memberships m join app.users u on u.id = m.user_id
                   where m.tenant_id = p.tenant_id and m.role = 'admin' and m.status = 'active'), '{}')
  from pending p
  join app.incidents i on i.id = p.incident_id
  join app.tenants t on t.id = p.tenant_id;
end
$$;


ALTER FUNCTION app.claim_incident_notices(p_limit integer) OWNER TO palisade_definer;

--
-- Name: claim_outbound(integer, integer, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer) RETURNS TABLE(tenant_id uuid, id uuid)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- The platform's worker claims across tenants; a tenant's own service context may not.
  if pg_catalog.current_setting('role', true) is distinct from 'app_service' or ctx.scoped_tenant_id() is not null then
    raise exception 'messages are claimed by the delivery worker only' using errcode = '42501';
  end if;
  return query
    with locked as (
      select o.tenant_id, o.id, o.next_attempt_at
      from app.outbound_messages o
      where o.status in ('queued', 'sending') and o.next_attempt_at <= pg_catalog.now()
      order by o.next_attempt_at
      limit p_limit * 4
      for update skip locked
    ), ranked as (
      select l.tenant_id, l.id,
             pg_catalog.row_number() over (partition by l.tenant_id order by l.next_attempt_at, l.id) as n
      from locked l
    ), chosen as (
      select r.tenant_id, r.id from ranked r where r.n <= p_per_tenant limit p_limit
    )
    update app.outbound_messages o
       set status = 'sending', attempts = o.attempts + 1,
           next_attempt_at = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds)
      from chosen c
     where o.tenant_id = c.tenant_id and o.id = c.id
    returning o.tenant_id, o.id;
end
$$;


ALTER FUNCTION app.claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer) OWNER TO palisade_definer;

--
-- Name: confirm_phone_verification(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.confirm_phone_verification(p_code text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_tenant uuid := ctx.tenant_id();
  v_user   uuid := ctx.user_id();
  v_row    app.phone_verifications%rowtype;
begin
  if v_tenant is null or v_user is null then
    raise exception 'a member verifies their own number' using errcode = '42501';
  end if;
  select * into v_row from app.phone_verifications v
    where v.tenant_id = v_tenant and v.owner_id = v_user for update;
  if not found then
    return 'no_pending';
  end if;
  if v_row.attempts >= 5 then
    return 'too_many_attempts';
  end if;
  if v_row.expires_at <= pg_catalog.now() then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'expired';
  end if;
  if (select p.phone_index from app.member_phones p where p.tenant_id = v_tenant and p.owner_id = v_user)
     is distinct from v_row.phone_index then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'number_changed';
  end if;
  if p_code is null or p_code !~ '^[0-9]{6}$'
     or pg_catalog.sha256(pg_catalog.convert_to(v_tenant::text || ':' || v_user::text || ':' || p_code, 'UTF8'))
        <> v_row.code_sha256 then
    update app.phone_verifications v set attempts = v.attempts + 1
      where v.tenant_id = v_tenant and v.owner_id = v_user;
    return case when v_row.attempts + 1 >= 5 then 'too_many_attempts' else 'wrong_code' end;
  end if;
  -- The number the code went to, still: a change committed since is not verified.
  update app.member_phones p set verified_at = pg_catalog.now()
    where p.tenant_id = v_tenant and p.owner_id = v_user and p.phone_index = v_row.phone_index;
  if not found then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'number_changed';
  end if;
  delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
  return 'verified';
end
$_$;


ALTER FUNCTION app.confirm_phone_verification(p_code text) OWNER TO palisade_definer;

--
-- Name: consent_block(uuid, uuid, uuid, text, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.consent_block(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text, p_purpose text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_address bytea := app.subject_address(p_tenant, p_lead, p_member, p_channel);
  v_action  text;
begin
  if v_address is null then
    return 'no_address';
  end if;
  if exists (select from app.suppressions s
             where s.tenant_id = p_tenant and s.channel = p_channel and s.address_index = v_address) then
    return 'suppressed';
  end if;
  select c.action into v_action
    from app.consent_events c
    where c.tenant_id = p_tenant and c.channel = p_channel and c.purpose = p_purpose
      and c.lead_id is not distinct from p_lead and c.member_id is not distinct from p_member
    order by c.occurred_at desc, c.created_at desc
    limit 1;
  if v_action is distinct from 'grant' then
    return 'no_consent';
  end if;
  return null;
end
$$;


ALTER FUNCTION app.consent_block(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text, p_purpose text) OWNER TO palisade_definer;

--
-- Name: consent_block_here(uuid, uuid, text, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null then
    raise exception 'consent is checked in a tenant-scoped service context' using errcode = '42501';
  end if;
  return app.consent_block(v_tenant, p_lead, p_member, p_channel, p_purpose);
end
$$;


ALTER FUNCTION app.consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text) OWNER TO palisade_definer;

--
-- Name: consent_event_stamped(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.consent_event_stamped() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  new.created_at := pg_catalog.statement_timestamp();
  -- Beyond the skew the check constraint refuses the row; within it the event happened now.
  if new.occurred_at > new.created_at and new.occurred_at <= new.created_at + interval '5 minutes' then
    new.occurred_at := new.created_at;
  end if;
  return new;
end
$$;


ALTER FUNCTION app.consent_event_stamped() OWNER TO palisade_owner;

--
-- Name: create_invitation(text, text, bytea, interval); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := app.require_admin();
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if p_valid_for is null or p_valid_for < interval '5 minutes' or p_valid_for > interval '30 days' then
    raise exception 'an invitation is valid for 5 minutes to 30 days' using errcode = '22023';
  end if;
  if exists (select from app.memberships m join app.users u on u.id = m.user_id
             where m.tenant_id = v_tenant and m.status <> 'removed' and lower(u.email) = lower(p_email)) then
    raise exception 'already a member' using errcode = 'PA409';
  end if;
  insert into app.invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at)
  values (v_tenant, v_id, p_email, p_role, p_token_hash, ctx.user_id(), pg_catalog.now() + p_valid_for);
  return v_id;
end
$$;


ALTER FUNCTION app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval) OWNER TO palisade_definer;

--
-- Name: create_tenant(text, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.create_tenant(p_slug text, p_name text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.create_tenant(p_slug text, p_name text) OWNER TO palisade_definer;

--
-- Name: crm_forget_links(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_forget_links() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'links are forgotten by the sync of one tenant' using errcode = '42501';
  end if;
  update app.leads l set hubspot_id = null, hubspot_modified_at = null
  where l.tenant_id = v_tenant and l.hubspot_id is not null;
  update app.deals d set hubspot_id = null, hubspot_modified_at = null
  where d.tenant_id = v_tenant and d.hubspot_id is not null;
  -- Every state: a claimed or failed delete, or a tombstone, names a contact of the old account.
  delete from app.crm_outbox o where o.tenant_id = v_tenant and o.kind = 'gdpr_delete';
end
$$;


ALTER FUNCTION app.crm_forget_links() OWNER TO palisade_definer;

--
-- Name: crm_members_by_email(text[]); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_members_by_email(p_emails text[]) RETURNS TABLE(email text, user_id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'members are matched by the sync of one tenant' using errcode = '42501';
  end if;
  if pg_catalog.cardinality(p_emails) > 1000 then
    raise exception 'at most 1000 addresses at a time' using errcode = '22023';
  end if;
  return query
    select pg_catalog.lower(u.email), m.user_id from app.memberships m
    join app.users u on u.id = m.user_id
    where m.tenant_id = v_tenant and m.status = 'active'
      and pg_catalog.lower(u.email) = any (select pg_catalog.lower(e) from pg_catalog.unnest(p_emails) e);
end
$$;


ALTER FUNCTION app.crm_members_by_email(p_emails text[]) OWNER TO palisade_definer;

--
-- Name: crm_queue_deal(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_queue_deal() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('palisade.purpose', true) is not distinct from 'sync' then
    return null;
  end if;
  if exists (select from app.crm_connections c
             where c.tenant_id = new.tenant_id and c.status = 'active' and c.write_back) then
    insert into app.crm_outbox (tenant_id, id, kind, local_id)
    values (new.tenant_id, pg_catalog.gen_random_uuid(), 'deal', new.id)
    on conflict do nothing;
  end if;
  return null;
end
$$;


ALTER FUNCTION app.crm_queue_deal() OWNER TO palisade_definer;

--
-- Name: crm_set_deal_links(uuid[], bigint[], timestamp with time zone[]); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamp with time zone[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'links are set by the sync of one tenant' using errcode = '42501';
  end if;
  update app.deals d
    set hubspot_id = u.hubspot_id,
        hubspot_modified_at = case when u.hubspot_id is null then null
                                   else coalesce(u.modified_at, d.hubspot_modified_at) end
  from rows from (pg_catalog.unnest(p_ids), pg_catalog.unnest(p_hubspot), pg_catalog.unnest(p_modified))
       as u(id, hubspot_id, modified_at)
  where d.tenant_id = v_tenant and d.id = u.id;
end
$$;


ALTER FUNCTION app.crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamp with time zone[]) OWNER TO palisade_definer;

--
-- Name: crm_sync_soon(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_sync_soon() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'webhook' then
    raise exception 'a sync is asked for by a verified webhook of one tenant' using errcode = '42501';
  end if;
  update app.crm_sync_runs r set next_run_at = pg_catalog.now()
  where r.tenant_id = v_tenant
    and (r.next_run_at > pg_catalog.now() or r.lease_until >= pg_catalog.now());
end
$$;


ALTER FUNCTION app.crm_sync_soon() OWNER TO palisade_definer;

--
-- Name: crm_tokens(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_tokens() RETURNS TABLE(tokens_sealed bytea, key_id text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'CRM tokens are read by the sync of one tenant' using errcode = '42501';
  end if;
  return query
    select c.tokens_sealed, c.key_id from app.crm_connections c
    where c.tenant_id = v_tenant and c.status = 'active';
  if found then
    perform audit.log_access(v_tenant, 'secret_decrypt', 'crm_connection', 'hubspot', '{}'::jsonb, null);
  end if;
end
$$;


ALTER FUNCTION app.crm_tokens() OWNER TO palisade_definer;

--
-- Name: crm_writes_back(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.crm_writes_back() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (select from app.crm_connections c
                 where c.tenant_id = ctx.tenant_id() and c.status = 'active' and c.write_back)
$$;


ALTER FUNCTION app.crm_writes_back() OWNER TO palisade_definer;

--
-- Name: declare_incident(text, text, text, uuid[]); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[]) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
  v_now timestamptz := pg_catalog.now();
begin
  if not ctx.is_platform_admin() then
    raise exception 'only platform admins declare incidents' using errcode = '42501';
  end if;
  if p_tenants is null or pg_catalog.cardinality(p_tenants) = 0 then
    raise exception 'an incident needs at least one affected tenant' using errcode = '22023';
  end if;
  if exists (select from pg_catalog.unnest(p_tenants) t(id) where not exists (select from app.tenants x where x.id = t.id)) then
    raise exception 'unknown tenant' using errcode = 'PA404';
  end if;
  insert into app.incidents (id, title, description, severity, declared_by, declared_at, notify_deadline)
  values (v_id, p_title, p_description, p_severity, ctx.user_id(), v_now, v_now + interval '72 hours');
  insert into app.incident_tenants (incident_id, tenant_id)
  select v_id, t.id from (select distinct u.id from pg_catalog.unnest(p_tenants) u(id)) t;
  return v_id;
end
$$;


ALTER FUNCTION app.declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[]) OWNER TO palisade_definer;

--
-- Name: delete_account(timestamp with time zone); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.delete_account(p_now timestamp with time zone) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
  v_email text;
  v_tenant uuid;
  v_tenants uuid[];
  v_every uuid[];
  v_counts jsonb := '{}';
  n bigint;
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_user' then
    raise exception 'only the person deletes their own account' using errcode = '42501';
  end if;
  -- No key update: nothing keys on the email but an expression index, and foreign keys to the row
  -- (an admin naming this person somewhere) must not deadlock with it.
  select u.email into v_email from app.users u where u.id = v_user and u.disabled_at is null for no key update;
  -- A second request that waited for the first finds the account gone, or its session ended.
  if not found then
    raise exception 'the account is already deleted' using errcode = 'PA404';
  end if;
  perform auth.require_recent_authentication(p_now);
  -- Every tenant the person was ever a member of: their own rows are there (the indexes lead with it).
  select coalesce(pg_catalog.array_agg(m.tenant_id), '{}') into v_every from app.memberships m where m.user_id = v_user;
  -- The last-admin guard locks each tenant row, in one order, as leaving does.
  select coalesce(pg_catalog.array_agg(m.tenant_id order by m.tenant_id), '{}') into v_tenants
  from app.memberships m where m.user_id = v_user and m.status <> 'removed';
  foreach v_tenant in array v_tenants loop
    perform app.guard_last_admin(v_tenant, v_user);
  end loop;

  delete from app.drafts x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.drafts', n);
  delete from app.coaching_observations x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.coaching_observations', n);
  delete from app.voice_samples x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.voice_samples', n);
  delete from app.voice_consents x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.voice_consents', n);
  delete from app.phone_verifications x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.phone_verifications', n);
  delete from app.member_phones x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.member_phones', n);
  delete from app.brief_preferences x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.brief_preferences', n);
  delete from app.outbound_messages x where x.tenant_id = any (v_every) and x.member_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.outbound_messages', n);
  delete from app.invitations x where x.accepted_by = v_user or pg_catalog.lower(x.email) = pg_catalog.lower(v_email);
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.invitations', n);
  delete from app.platform_admins x where x.user_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.platform_admins', n);

  delete from auth.refresh_tokens r using auth.sessions s where r.session_id = s.id and s.user_id = v_user;
  delete from auth.sessions x where x.user_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('auth.sessions', n);
  delete from auth.magic_links x where pg_catalog.lower(x.email) = pg_catalog.lower(v_email);
  delete from auth.totp_factors x where x.user_id = v_user;
  delete from auth.recovery_codes x where x.user_id = v_user;
  delete from auth.password_credentials x where x.user_id = v_user;
  -- By user only: another person's identity may carry the same address, and it is theirs.
  delete from auth.identities x where x.user_id = v_user;

  update app.tenants t set inbound_owner_id = null where t.inbound_owner_id = v_user;
  update app.memberships m set status = 'removed' where m.user_id = v_user and m.status <> 'removed';
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.memberships', n);
  update app.users u set email = 'deleted-' || v_user::text || '@deleted.invalid', display_name = '',
                         disabled_at = coalesce(u.disabled_at, p_now)
  where u.id = v_user;

  -- Last, so the events the statements above just wrote are blanked too.
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.redacted_at is null
    and ((e.table_name in ('users', 'memberships', 'platform_admins') and e.row_key = v_user::text)
         or (e.table_name = 'invitations'
             and pg_catalog.lower(coalesce(e.after, e.before) ->> 'email') = pg_catalog.lower(v_email)));
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('audit.events', n);
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);

  foreach v_tenant in array v_tenants loop
    insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                     correlation_id)
    values (v_tenant, v_user, 'user', 'member_left', 'member', v_user::text,
            pg_catalog.jsonb_build_object('via', 'account_deleted'),
            nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  end loop;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                   correlation_id)
  values (null, v_user, 'user', 'account_deleted', 'user', v_user::text, v_counts,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return v_counts;
end
$$;


ALTER FUNCTION app.delete_account(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: due_assistant_tasks(integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.due_assistant_tasks(p_limit integer) RETURNS TABLE(tenant_id uuid, id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'assistant' then
    raise exception 'due assistant tasks are listed by the assistant job only' using errcode = '42501';
  end if;
  return query
    select k.tenant_id, k.id from app.assistant_tasks k
    join app.tenants t on t.id = k.tenant_id and t.status = 'active'
    where k.status in ('pending', 'running') and k.not_before <= pg_catalog.now()
    order by k.not_before limit least(greatest(p_limit, 1), 1000);
end
$$;


ALTER FUNCTION app.due_assistant_tasks(p_limit integer) OWNER TO palisade_definer;

--
-- Name: due_crm_syncs(integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.due_crm_syncs(p_limit integer) RETURNS TABLE(tenant_id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'due syncs are listed by the sync job only' using errcode = '42501';
  end if;
  return query
    select c.tenant_id from app.crm_connections c
    join app.tenants t on t.id = c.tenant_id and t.status = 'active'
    left join app.crm_sync_runs r on r.tenant_id = c.tenant_id
    where c.status = 'active'
      and (r.tenant_id is null
           or (r.next_run_at <= pg_catalog.now()
               and (r.lease_until is null or r.lease_until < pg_catalog.now())))
    order by r.next_run_at nulls first limit least(greatest(p_limit, 1), 1000);
end
$$;


ALTER FUNCTION app.due_crm_syncs(p_limit integer) OWNER TO palisade_definer;

--
-- Name: due_terminations(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.due_terminations() RETURNS TABLE(tenant_id uuid, slug text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform app.require_termination_context();
  return query
    select t.id, t.slug from app.tenants t
    join app.terminations x on x.tenant_id = t.id and x.canceled_at is null and x.purged_at is null
    where t.status = 'purging' or (t.status = 'terminating' and x.purge_after <= pg_catalog.now())
    order by x.purge_after;
end
$$;


ALTER FUNCTION app.due_terminations() OWNER TO palisade_definer;

--
-- Name: erase_brief_lines(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.erase_brief_lines(p_lead uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_markers text[];
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'brief lines are erased by an erasure only' using errcode = '42501';
  end if;
  select pg_catalog.array_agg(distinct ' (' || case when pg_catalog.char_length(v.name) > 60
                                                    then pg_catalog.left(v.name, 60) || '…' else v.name end || '): ')
    into v_markers
    from audit.events e
    cross join lateral (values (e.before ->> 'name'), (e.after ->> 'name')) as v(name)
    where e.tenant_id = v_tenant and e.lead_id = p_lead and e.table_name = 'leads' and v.name is not null;
  if v_markers is null then
    return 0;
  end if;
  update app.outbound_messages o
     set body = (select pg_catalog.string_agg(
                          case when exists (select from pg_catalog.unnest(v_markers) m
                                            where pg_catalog.strpos(t.line, m) > 0)
                               then '(erased)' else t.line end,
                          E'\n' order by t.n)
                   from pg_catalog.unnest(pg_catalog.string_to_array(o.body, E'\n')) with ordinality as t(line, n))
   where o.tenant_id = v_tenant and o.purpose = 'brief'
     and exists (select from pg_catalog.unnest(v_markers) m where pg_catalog.strpos(o.body, m) > 0);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;


ALTER FUNCTION app.erase_brief_lines(p_lead uuid) OWNER TO palisade_definer;

--
-- Name: finish_purge(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.finish_purge(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform app.require_termination_context();
  if not app.purge_lock(p_tenant) then
    return;
  end if;
  if exists (select from audit.chain_links x where x.chain_id = p_tenant) then
    raise exception 'the tenant''s audit trail must go first' using errcode = '55000';
  end if;
  update app.terminations x
    set purged_at = pg_catalog.now(),
        counts = (x.counts - 'audit.anchor_before') || pg_catalog.jsonb_build_object('audit.events',
                   coalesce((select a.seq from audit.chain_anchors a where a.chain_id = p_tenant), 0)
                   - coalesce((x.counts ->> 'audit.anchor_before')::bigint, 0))
  where x.tenant_id = p_tenant and x.canceled_at is null;
  update app.tenants t set status = 'purged' where t.id = p_tenant;
end
$$;


ALTER FUNCTION app.finish_purge(p_tenant uuid) OWNER TO palisade_definer;

--
-- Name: grant_platform_admin(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.grant_platform_admin(p_email text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid;
begin
  perform audit.require_system_context();
  insert into app.users (id, email, display_name)
  values (pg_catalog.gen_random_uuid(), p_email, '')
  on conflict (lower(email)) do nothing;
  select u.id into v_user from app.users u where lower(u.email) = lower(p_email);
  insert into app.platform_admins (user_id) values (v_user) on conflict (user_id) do nothing;
  if found then
    insert into audit.access_events (tenant_id, actor_kind, purpose, action, target_type, target_id, correlation_id)
    values (null, 'system', 'maintenance', 'platform_admin_granted', 'user', v_user::text,
            nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  end if;
  return v_user;
end
$$;


ALTER FUNCTION app.grant_platform_admin(p_email text) OWNER TO palisade_definer;

--
-- Name: guard_last_admin(uuid, uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.guard_last_admin(p_tenant uuid, p_user uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  m record;
begin
  perform from app.tenants t where t.id = p_tenant for no key update;
  select x.role, x.status into m from app.memberships x
  where x.tenant_id = p_tenant and x.user_id = p_user and x.status <> 'removed';
  if not found then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  if m.role = 'admin' and m.status = 'active' and (
    select pg_catalog.count(*) from app.memberships x
    where x.tenant_id = p_tenant and x.role = 'admin' and x.status = 'active') <= 1 then
    raise exception 'the last admin of a tenant cannot be demoted or removed' using errcode = 'PA409';
  end if;
end
$$;


ALTER FUNCTION app.guard_last_admin(p_tenant uuid, p_user uuid) OWNER TO palisade_definer;

--
-- Name: incidents_for_admin(uuid, uuid, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer) RETURNS TABLE(id uuid, title text, description text, severity text, status text, declared_at timestamp with time zone, resolved_at timestamp with time zone, notified_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer) OWNER TO palisade_definer;

--
-- Name: integration_secret(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.integration_secret(p_provider text) RETURNS TABLE(secret_sealed bytea, key_id text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null then
    raise exception 'integration secrets are read in a tenant-scoped service context' using errcode = '42501';
  end if;
  return query
    select i.secret_sealed, i.key_id from app.integrations i
    where i.tenant_id = v_tenant and i.provider = p_provider and i.status = 'active';
  if found then
    perform audit.log_access(v_tenant, 'secret_decrypt', 'integration', p_provider, '{}'::jsonb, null);
  end if;
end
$$;


ALTER FUNCTION app.integration_secret(p_provider text) OWNER TO palisade_definer;

--
-- Name: knowledge_config(text); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.knowledge_config(p_language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select case p_language
    when 'english' then 'pg_catalog.english'::pg_catalog.regconfig
    when 'spanish' then 'pg_catalog.spanish'::pg_catalog.regconfig
    when 'german' then 'pg_catalog.german'::pg_catalog.regconfig
    when 'french' then 'pg_catalog.french'::pg_catalog.regconfig
    when 'portuguese' then 'pg_catalog.portuguese'::pg_catalog.regconfig
    when 'italian' then 'pg_catalog.italian'::pg_catalog.regconfig
    when 'dutch' then 'pg_catalog.dutch'::pg_catalog.regconfig
    else 'pg_catalog.simple'::pg_catalog.regconfig
  end
$$;


ALTER FUNCTION app.knowledge_config(p_language text) OWNER TO palisade_owner;

--
-- Name: lead_address_changed(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.lead_address_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_channels text[] := '{}';
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') = 'on' then
    return null;
  end if;
  if old.phone_index is not null and new.phone_index is distinct from old.phone_index then
    v_channels := v_channels || array['sms', 'whatsapp'];
  end if;
  -- By the address itself: leads stored before 0019 may have no email index yet.
  if old.email is not null and pg_catalog.lower(new.email) is distinct from pg_catalog.lower(old.email) then
    v_channels := v_channels || array['email'];
  end if;
  if pg_catalog.cardinality(v_channels) = 0 then
    return null;
  end if;
  insert into app.consent_events (tenant_id, id, lead_id, channel, purpose, action, source, actor_id)
  select new.tenant_id, pg_catalog.gen_random_uuid(), new.id, k.channel, k.purpose, 'revoke',
         'address_change', ctx.user_id()
  from (select distinct on (c.channel, c.purpose) c.channel, c.purpose, c.action
        from app.consent_events c
        where c.tenant_id = new.tenant_id and c.lead_id = new.id and c.channel = any (v_channels)
        order by c.channel, c.purpose, c.occurred_at desc, c.created_at desc) k
  where k.action = 'grant';
  return null;
end
$$;


ALTER FUNCTION app.lead_address_changed() OWNER TO palisade_definer;

--
-- Name: leave_tenant(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.leave_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := ctx.user_id();
begin
  if v_user is null then
    raise exception 'a signed-in user is required' using errcode = '42501';
  end if;
  -- Before the guard, which locks the tenant row: nobody locks a tenant they are not in.
  if not exists (select from app.memberships m
                 where m.tenant_id = p_tenant and m.user_id = v_user and m.status <> 'removed') then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  perform app.guard_last_admin(p_tenant, v_user);
  update app.memberships m set status = 'removed' where m.tenant_id = p_tenant and m.user_id = v_user;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                   correlation_id)
  values (p_tenant, v_user, 'user', 'member_left', 'member', v_user::text, '{}'::jsonb,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
end
$$;


ALTER FUNCTION app.leave_tenant(p_tenant uuid) OWNER TO palisade_definer;

--
-- Name: list_platform_admins(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.list_platform_admins() RETURNS TABLE(user_id uuid, email text, granted_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform audit.require_system_context();
  return query
    select p.user_id, u.email, p.created_at from app.platform_admins p join app.users u on u.id = p.user_id
    order by p.created_at, u.email;
end
$$;


ALTER FUNCTION app.list_platform_admins() OWNER TO palisade_definer;

--
-- Name: mark_incident_notified(uuid, uuid, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform audit.require_system_context();
  update app.incident_tenants it set notified_at = pg_catalog.now(), recipients = p_recipients
  where it.incident_id = p_incident and it.tenant_id = p_tenant and it.notified_at is null;
end
$$;


ALTER FUNCTION app.mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer) OWNER TO palisade_definer;

--
-- Name: member_phone_changed(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.member_phone_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if new.phone_index is distinct from old.phone_index
     and coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') <> 'on' then
    new.verified_at := null;
  end if;
  return new;
end
$$;


ALTER FUNCTION app.member_phone_changed() OWNER TO palisade_owner;

--
-- Name: member_phone_superseded(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.member_phone_superseded() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') = 'on' then
    return null;
  end if;
  delete from app.phone_verifications v where v.tenant_id = new.tenant_id and v.owner_id = new.owner_id;
  update app.outbound_messages o set status = 'blocked', last_error = 'superseded: the number changed'
    where o.tenant_id = new.tenant_id and o.member_id = new.owner_id and o.purpose = 'verification'
      and o.status = 'queued';
  return null;
end
$$;


ALTER FUNCTION app.member_phone_superseded() OWNER TO palisade_definer;

--
-- Name: membership_status_changed(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.membership_status_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if new.status is distinct from old.status then
    new.status_changed_at := pg_catalog.now();
  end if;
  return new;
end
$$;


ALTER FUNCTION app.membership_status_changed() OWNER TO palisade_owner;

--
-- Name: outbound_consent_guard(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.outbound_consent_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_block   text;
  v_revoked timestamptz;
begin
  if new.purpose = 'help' then
    if new.body is distinct from (select t.help_text from app.tenants t where t.id = new.tenant_id) then
      v_block := 'not_help_text';
    elsif new.lead_id is not null and not exists (
         select from app.interactions i
         where i.tenant_id = new.tenant_id and i.lead_id = new.lead_id and i.channel = new.channel
           and i.direction = 'inbound'
           and i.occurred_at between pg_catalog.now() - interval '1 hour' and pg_catalog.now()) then
      v_block := 'no_inbound_message';
    elsif app.subject_address(new.tenant_id, new.lead_id, new.member_id, new.channel) is null then
      v_block := 'no_address';
    end if;
  elsif new.purpose = 'opt_out_confirmation' then
    select max(c.occurred_at) into v_revoked
      from app.consent_events c
      where c.tenant_id = new.tenant_id and c.channel = new.channel and c.action = 'revoke'
        and c.source = 'inbound_keyword'
        and c.lead_id is not distinct from new.lead_id and c.member_id is not distinct from new.member_id
        and c.occurred_at > pg_catalog.now() - interval '1 hour';
    if v_revoked is null then
      v_block := 'no_recent_opt_out';
    elsif exists (select from app.outbound_messages o
                  where o.tenant_id = new.tenant_id and o.channel = new.channel
                    and o.purpose = 'opt_out_confirmation'
                    and o.lead_id is not distinct from new.lead_id and o.member_id is not distinct from new.member_id
                    and o.created_at >= v_revoked and o.id <> new.id) then
      v_block := 'already_confirmed';
    end if;
  elsif new.purpose = 'verification' then
    if new.member_id is null or new.channel = 'email' or not exists (
         select from app.phone_verifications v
         where v.tenant_id = new.tenant_id and v.owner_id = new.member_id
           and v.created_at = pg_catalog.now()) then
      v_block := 'no_verification';
    end if;
  else
    v_block := app.consent_block(new.tenant_id, new.lead_id, new.member_id, new.channel, new.purpose);
  end if;
  if v_block is not null then
    raise exception 'consent_required: %', v_block using errcode = 'PA451';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.outbound_consent_guard() OWNER TO palisade_definer;

--
-- Name: platform_tenants(text, integer, text[]); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.platform_tenants(p_after text, p_limit integer, p_slugs text[] DEFAULT NULL::text[]) RETURNS TABLE(id uuid, slug text, name text, status text, created_at timestamp with time zone, active_members bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if not ctx.is_platform_admin() then
    raise exception 'only platform admins may list tenants' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 201 then
    raise exception 'p_limit must be between 1 and 201' using errcode = '22023';
  end if;
  return query
    select t.id, t.slug, t.name, t.status, t.created_at,
           (select pg_catalog.count(*) from app.memberships m
             where m.tenant_id = t.id and m.status = 'active')
      from app.tenants t
     where (p_after is null or t.slug > p_after)
       and (p_slugs is null or t.slug = any(p_slugs))
     order by t.slug
     limit p_limit;
end
$$;


ALTER FUNCTION app.platform_tenants(p_after text, p_limit integer, p_slugs text[]) OWNER TO palisade_definer;

--
-- Name: purge_batch(uuid, integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.purge_batch(p_tenant uuid, p_limit integer, OUT table_name text, OUT deleted bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_table text;
begin
  perform app.require_termination_context();
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 rows' using errcode = '22023';
  end if;
  if not app.purge_lock(p_tenant) then
    table_name := null;
    deleted := 0;
    return;
  end if;
  foreach v_table in array app.purge_tables()
  loop
    if v_table = 'app.memberships' then
      -- The tenant's inbound owner is a membership.
      update app.tenants t set inbound_owner_id = null where t.id = p_tenant and t.inbound_owner_id is not null;
    end if;
    -- Every table's rows carry the tenant; a ctid found twice in two partitions is the tenant's too.
    execute pg_catalog.format(
      'delete from %s x where x.tenant_id = $1 and x.ctid = any (array(select y.ctid from %s y '
      'where y.tenant_id = $1 limit $2))', v_table, v_table)
      using p_tenant, p_limit;
    get diagnostics deleted = row_count;
    if deleted > 0 then
      table_name := v_table;
      update app.terminations x
        set counts = x.counts || pg_catalog.jsonb_build_object(v_table,
                       coalesce((x.counts ->> v_table)::bigint, 0) + deleted)
      where x.tenant_id = p_tenant and x.canceled_at is null;
      return;
    end if;
  end loop;
  -- Every row is gone: the tenant's row keeps no name, slug or domain of the customer's, and its
  -- terminations no admin's id — before the trail goes, so the events of these changes go with it.
  update app.tenants t
    set slug = 'purged-' || pg_catalog.replace(t.id::text, '-', ''), name = 'Purged tenant',
        email_domains = '{}', help_text = 'Reply STOP to opt out.'
  where t.id = p_tenant and t.name <> 'Purged tenant';
  update app.terminations x set requested_by = null, canceled_by = null
  where x.tenant_id = p_tenant and (x.requested_by is not null or x.canceled_by is not null);
  table_name := null;
  deleted := 0;
end
$_$;


ALTER FUNCTION app.purge_batch(p_tenant uuid, p_limit integer, OUT table_name text, OUT deleted bigint) OWNER TO palisade_definer;

--
-- Name: purge_lock(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.purge_lock(p_tenant uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('purge:' || p_tenant::text, 0));
  -- Looked at under the lock: another purge of the tenant may have finished while this one waited.
  if exists (select from app.tenants t where t.id = p_tenant and t.status = 'purged') then
    return false;
  end if;
  perform pg_catalog.set_config('palisade.purge_tenant', p_tenant::text, true);
  if ctx.purging_tenant_id() is null then
    raise exception 'the tenant is not being purged' using errcode = '42501';
  end if;
  return true;
end
$$;


ALTER FUNCTION app.purge_lock(p_tenant uuid) OWNER TO palisade_definer;

--
-- Name: purge_tables(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.purge_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select array['app.phone_verifications', 'app.brief_preferences', 'app.member_phones',
    'app.voice_samples', 'app.voice_consents', 'app.coaching_observations', 'app.drafts', 'app.assistant_tasks',
    'app.assistant_holds', 'app.knowledge_passages', 'app.crm_outbox', 'app.outbound_messages',
    'app.consent_events', 'app.interactions', 'app.deals', 'app.leads',
    'app.deal_stage_totals', 'app.activity_daily', 'app.webhook_events', 'app.message_templates',
    'app.ai_usage', 'app.ai_settings', 'app.knowledge_entries', 'app.crm_sync_cursors', 'app.crm_sync_runs',
    'app.crm_connections', 'app.integrations', 'app.invitations', 'app.erasures',
    'app.retention_settings', 'app.incident_tenants', 'app.error_events', 'audit.event_windows',
    'audit.access_events', 'app.memberships']
$$;


ALTER FUNCTION app.purge_tables() OWNER TO palisade_owner;

--
-- Name: record_error_event(text, text, uuid, text, text, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text, p_message text, p_operation text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_fingerprint text := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
    p_surface || '|' || p_code || '|' || coalesce(p_operation, '') || '|' || coalesce(p_tenant::text, ''), 'UTF8')), 'hex');
  v_id uuid;
  v_scope text := nullif(pg_catalog.current_setting('palisade.tenant_id', true), '');
begin
  if v_scope is not null and p_tenant is distinct from v_scope::uuid then
    raise exception 'a tenant-scoped context reports errors for its own tenant only' using errcode = '42501';
  end if;
  insert into app.error_events as e (fingerprint, severity, surface, tenant_id, code, message, correlation_id)
  values (v_fingerprint, p_severity, p_surface, p_tenant, p_code, pg_catalog.left(p_message, 1000),
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''))
  on conflict (fingerprint) do update
    set count = e.count + 1, last_seen = pg_catalog.now(), severity = excluded.severity,
        message = excluded.message, correlation_id = excluded.correlation_id
  returning e.id into v_id;
  return v_id;
end
$$;


ALTER FUNCTION app.record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text, p_message text, p_operation text) OWNER TO palisade_definer;

--
-- Name: remove_member(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.remove_member(p_user uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := app.require_admin();
begin
  perform app.guard_last_admin(v_tenant, p_user);
  -- An admin leaves with app.leave_tenant; removing oneself here would lose the right to log it.
  if p_user = ctx.user_id() then
    raise exception 'not yourself' using errcode = 'PA422';
  end if;
  update app.memberships m set status = 'removed' where m.tenant_id = v_tenant and m.user_id = p_user;
end
$$;


ALTER FUNCTION app.remove_member(p_user uuid) OWNER TO palisade_definer;

--
-- Name: request_phone_code(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.request_phone_code(p_channel text, OUT outcome text, OUT retry_after_secs integer) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant   uuid := ctx.tenant_id();
  v_user     uuid := ctx.user_id();
  v_index    bytea;
  v_verified timestamptz;
  v_wait     interval;
  v_code     text;
begin
  if v_tenant is null or v_user is null then
    raise exception 'a member verifies their own number' using errcode = '42501';
  end if;
  if p_channel is null or p_channel not in ('sms', 'whatsapp') then
    raise exception 'a code goes by sms or whatsapp' using errcode = '22023';
  end if;
  -- The lock serialises a member's requests, so parallel ones cannot pass the limits together.
  select p.phone_index, p.verified_at into v_index, v_verified
    from app.member_phones p where p.tenant_id = v_tenant and p.owner_id = v_user
    for update;
  if not found then
    outcome := 'no_phone';
    return;
  end if;
  if v_verified is not null then
    outcome := 'already_verified';
    return;
  end if;
  if exists (select from app.suppressions s
             where s.tenant_id = v_tenant and s.channel = p_channel and s.address_index = v_index) then
    outcome := 'suppressed';
    return;
  end if;
  -- A limit of `cap` codes per `span` is full while its cap-th newest code is inside the span; it
  -- frees when that code leaves it. Spans in hours: a day is 24 of them whatever the session's zone.
  select l.name, l.wait into outcome, v_wait
  from (
    select lim.name,
           (select o.created_at from app.outbound_messages o
            where o.tenant_id = v_tenant and o.member_id = v_user and o.purpose = 'verification'
              and o.created_at > pg_catalog.now() - lim.span
            order by o.created_at desc
            offset lim.cap - 1 limit 1) + lim.span - pg_catalog.now() as wait
    from (values ('too_soon', interval '30 seconds', 1),
                 ('too_many', interval '1 hour', 5),
                 ('too_many_today', interval '24 hours', 10),
                 ('too_many_this_month', interval '720 hours', 20)) as lim (name, span, cap)
  ) as l
  where l.wait is not null
  order by l.wait desc
  limit 1;
  if outcome is not null then
    retry_after_secs := greatest(1, pg_catalog.ceil(extract(epoch from v_wait)))::integer;
    return;
  end if;
  -- 48 random bits (the first twelve hex digits of a version 4 UUID, from the server's strong
  -- random source) reduced to six digits; the bias is below one in 10^8.
  v_code := pg_catalog.lpad(
    ((('x' || pg_catalog.substr(pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''), 1, 12))::bit(48)::bigint)
      % 1000000)::text, 6, '0');
  insert into app.phone_verifications as v (tenant_id, owner_id, phone_index, code_sha256, expires_at)
  values (v_tenant, v_user, v_index,
          pg_catalog.sha256(pg_catalog.convert_to(v_tenant::text || ':' || v_user::text || ':' || v_code, 'UTF8')),
          pg_catalog.now() + interval '10 minutes')
  on conflict (tenant_id, owner_id) do update
    set phone_index = excluded.phone_index, code_sha256 = excluded.code_sha256, attempts = 0,
        expires_at = excluded.expires_at, created_at = pg_catalog.now();
  insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, created_by)
  values (v_tenant, pg_catalog.gen_random_uuid(), v_user, p_channel, 'verification',
          'Your verification code is ' || v_code || '. It expires in 10 minutes. Do not share it.', v_user);
  outcome := 'sent';
end
$$;


ALTER FUNCTION app.request_phone_code(p_channel text, OUT outcome text, OUT retry_after_secs integer) OWNER TO palisade_definer;

--
-- Name: require_admin(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.require_admin() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.tenant_id();
begin
  if v_tenant is null or not ctx.has_role('admin') then
    raise exception 'only an admin of this tenant may do this' using errcode = '42501';
  end if;
  return v_tenant;
end
$$;


ALTER FUNCTION app.require_admin() OWNER TO palisade_definer;

--
-- Name: require_termination_context(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.require_termination_context() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform audit.require_system_context();
  if pg_catalog.current_setting('palisade.purpose', true) is distinct from 'termination' then
    raise exception 'only the termination job purges tenants' using errcode = '42501';
  end if;
end
$$;


ALTER FUNCTION app.require_termination_context() OWNER TO palisade_definer;

--
-- Name: retention_default(text); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.retention_default(p_class text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case p_class
           when 'drafts' then 180 when 'webhook_events' then 90 when 'error_events' then 90
           when 'access_log' then 400 end
$$;


ALTER FUNCTION app.retention_default(p_class text) OWNER TO palisade_owner;

--
-- Name: retention_minimum(text); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.retention_minimum(p_class text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case p_class when 'webhook_events' then 7 when 'error_events' then 7 when 'access_log' then 365
                      else 1 end
$$;


ALTER FUNCTION app.retention_minimum(p_class text) OWNER TO palisade_owner;

--
-- Name: retention_sweep(text, integer, boolean); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.retention_sweep(p_class text, p_limit integer, p_dry_run boolean) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_days integer;
  v_before timestamptz;
  v_ids uuid[];
  v_keys text[];
  v_leads uuid[];
  v_oldest timestamptz;
  n bigint := 0;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'retention' then
    raise exception 'retention runs in a tenant''s service context, purpose retention' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 rows' using errcode = '22023';
  end if;
  if p_class is null or p_class not in ('interactions', 'transcripts', 'messages', 'drafts', 'webhook_events',
                                        'error_events', 'access_log') then
    raise exception 'unknown data class' using errcode = '22023';
  end if;
  select s.keep_days into v_days from app.retention_settings s where s.tenant_id = v_tenant and s.data_class = p_class;
  if not found then
    v_days := app.retention_default(p_class);
  end if;
  if v_days is null then
    return 0;
  end if;
  v_days := greatest(v_days, app.retention_minimum(p_class));
  v_before := pg_catalog.now() - pg_catalog.make_interval(days => v_days);
  -- Two instances of the job never sweep the same class of a tenant at once.
  if not p_dry_run and not pg_catalog.pg_try_advisory_xact_lock(
       pg_catalog.hashtextextended('retention:' || v_tenant::text || ':' || p_class, 0)) then
    return 0;
  end if;

  if p_class in ('interactions', 'transcripts') then
    -- Aged by when it happened and when it was written: a note typed today about a call years ago,
    -- or backdated by an edit, is not swept (nor its trail blanked) until it is old on both counts.
    -- Calls and the rest in literal branches, each served by its partial index.
    if p_dry_run then
      select pg_catalog.count(*) into n from app.interactions i
      where i.tenant_id = v_tenant and i.occurred_at < v_before and i.created_at < v_before
        and (i.channel = 'call') = (p_class = 'transcripts');
      return n;
    end if;
    if p_class = 'transcripts' then
      select coalesce(pg_catalog.array_agg(x.id), '{}') into v_ids from (
        select i.id from app.interactions i
        where i.tenant_id = v_tenant and i.channel = 'call' and i.occurred_at < v_before and i.created_at < v_before
        limit p_limit) x;
    else
      select coalesce(pg_catalog.array_agg(x.id), '{}') into v_ids from (
        select i.id from app.interactions i
        where i.tenant_id = v_tenant and i.channel <> 'call' and i.occurred_at < v_before and i.created_at < v_before
        limit p_limit) x;
    end if;
    with gone as (
      delete from app.interactions i where i.tenant_id = v_tenant and i.id = any (v_ids)
      returning i.id, i.lead_id, i.created_at)
    select pg_catalog.array_agg(g.id::text), pg_catalog.array_agg(distinct g.lead_id), pg_catalog.min(g.created_at),
           pg_catalog.count(*)
      into v_keys, v_leads, v_oldest, n from gone g;
    -- Their content in the trail, the events the deletion just wrote included (none is older than
    -- its row, so older monthly partitions are skipped).
    perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
    update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
    where e.tenant_id = v_tenant and e.lead_id = any (v_leads) and e.table_name = 'interactions'
      and e.row_key = any (v_keys) and e.redacted_at is null and e.occurred_at >= v_oldest;
    perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  elsif p_class = 'messages' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.outbound_messages o
      where o.tenant_id = v_tenant and o.created_at < v_before
        and o.status in ('sent', 'delivered', 'failed', 'blocked', 'undelivered');
      return n;
    end if;
    delete from app.outbound_messages o
    where o.tenant_id = v_tenant and o.id = any (array(
      select x.id from app.outbound_messages x
      where x.tenant_id = v_tenant and x.created_at < v_before
        and x.status in ('sent', 'delivered', 'failed', 'blocked', 'undelivered')
      limit p_limit));
    get diagnostics n = row_count;
  elsif p_class = 'drafts' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.drafts d where d.tenant_id = v_tenant and d.updated_at < v_before;
      return n;
    end if;
    delete from app.drafts d
    where d.tenant_id = v_tenant and d.id = any (array(
      select x.id from app.drafts x where x.tenant_id = v_tenant and x.updated_at < v_before limit p_limit));
    get diagnostics n = row_count;
  elsif p_class = 'webhook_events' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.webhook_events w
      where w.tenant_id = v_tenant and w.received_at < v_before;
      return n;
    end if;
    delete from app.webhook_events w
    where (w.tenant_id, w.provider, w.event_id) in (
      select x.tenant_id, x.provider, x.event_id from app.webhook_events x
      where x.tenant_id = v_tenant and x.received_at < v_before limit p_limit);
    get diagnostics n = row_count;
  elsif p_class = 'error_events' then
    if p_dry_run then
      select pg_catalog.count(*) into n from app.error_events x where x.tenant_id = v_tenant and x.last_seen < v_before;
      return n;
    end if;
    delete from app.error_events e
    where e.id = any (array(
      select x.id from app.error_events x where x.tenant_id = v_tenant and x.last_seen < v_before limit p_limit));
    get diagnostics n = row_count;
  else
    if p_dry_run then
      select pg_catalog.count(*) into n from audit.access_events a
      where a.tenant_id = v_tenant and a.occurred_at < v_before;
      return n;
    end if;
    perform pg_catalog.set_config('palisade.access_retention_tenant', v_tenant::text, true);
    perform pg_catalog.set_config('palisade.access_retention_before', v_before::text, true);
    delete from audit.access_events a
    where a.id = any (array(
      select x.id from audit.access_events x where x.tenant_id = v_tenant and x.occurred_at < v_before
      order by x.occurred_at limit p_limit));
    get diagnostics n = row_count;
    perform pg_catalog.set_config('palisade.access_retention_tenant', '', true);
    perform pg_catalog.set_config('palisade.access_retention_before', '', true);
  end if;
  return n;
end
$$;


ALTER FUNCTION app.retention_sweep(p_class text, p_limit integer, p_dry_run boolean) OWNER TO palisade_definer;

--
-- Name: retention_tenants(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.retention_tenants() RETURNS TABLE(id uuid, slug text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'retention' then
    raise exception 'the retention job lists tenants' using errcode = '42501';
  end if;
  return query select t.id, t.slug from app.tenants t where t.status = 'active' order by t.id;
end
$$;


ALTER FUNCTION app.retention_tenants() OWNER TO palisade_definer;

--
-- Name: revoke_platform_admin(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.revoke_platform_admin(p_email text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid;
begin
  perform audit.require_system_context();
  delete from app.platform_admins p
  using app.users u
  where u.id = p.user_id and lower(u.email) = lower(p_email)
  returning p.user_id into v_user;
  if v_user is null then
    return false;
  end if;
  insert into audit.access_events (tenant_id, actor_kind, purpose, action, target_type, target_id, correlation_id)
  values (null, 'system', 'maintenance', 'platform_admin_revoked', 'user', v_user::text,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return true;
end
$$;


ALTER FUNCTION app.revoke_platform_admin(p_email text) OWNER TO palisade_definer;

--
-- Name: set_member_status(uuid, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.set_member_status(p_user uuid, p_status text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := app.require_admin();
begin
  if p_status is null or p_status not in ('active', 'suspended') then
    raise exception 'a member is active or suspended' using errcode = '22023';
  end if;
  if p_user = ctx.user_id() and p_status = 'suspended' then
    raise exception 'not yourself' using errcode = 'PA422';
  end if;
  if p_status = 'suspended' then
    perform app.guard_last_admin(v_tenant, p_user);
  elsif not exists (select from app.memberships m
                    where m.tenant_id = v_tenant and m.user_id = p_user and m.status <> 'removed') then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  update app.memberships m set status = p_status
  where m.tenant_id = v_tenant and m.user_id = p_user and m.status <> p_status;
end
$$;


ALTER FUNCTION app.set_member_status(p_user uuid, p_status text) OWNER TO palisade_definer;

--
-- Name: set_phone_region(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.set_phone_region(p_region text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := app.require_admin();
begin
  update app.tenants t set phone_region = p_region where t.id = v_tenant;
  perform audit.log_access(v_tenant, 'settings_change', 'tenant', v_tenant::text,
                           pg_catalog.jsonb_build_object('phone_region', p_region), null);
end
$$;


ALTER FUNCTION app.set_phone_region(p_region text) OWNER TO palisade_definer;

--
-- Name: set_sign_in_rules(boolean, text[], text[]); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_tenant uuid := app.require_admin();
  v_email text := (select u.email from app.users u where u.id = ctx.user_id());
  v_old record;
  v_domains text[] := (select coalesce(pg_catalog.array_agg(distinct pg_catalog.lower(pg_catalog.btrim(d))), '{}')
                       from pg_catalog.unnest(p_domains) d);
begin
  if p_methods is null or pg_catalog.cardinality(p_methods) = 0
     or not (p_methods <@ array['magic_link', 'oidc', 'password']) then
    raise exception 'sign-in methods are one or more of magic_link, oidc, password' using errcode = '22023';
  end if;
  if exists (select from pg_catalog.unnest(v_domains) d where d !~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$') then
    raise exception 'email domains look like example.com' using errcode = '22023';
  end if;
  if ctx.sign_in_rule_broken(p_require_mfa, p_methods, v_domains, 'admin', v_email) is not null then
    raise exception 'these rules would shut out your own session' using errcode = 'PA409';
  end if;
  select t.require_mfa, t.sign_in_methods, t.email_domains into v_old from app.tenants t where t.id = v_tenant;
  if (v_old.require_mfa, v_old.sign_in_methods, v_old.email_domains) is distinct from (p_require_mfa, p_methods, v_domains) then
    perform audit.log_access(v_tenant, 'settings_change', 'tenant', v_tenant::text,
                             pg_catalog.jsonb_build_object('require_mfa', p_require_mfa, 'sign_in_methods', p_methods,
                                                           'email_domains', v_domains), null);
    update app.tenants t set require_mfa = p_require_mfa, sign_in_methods = p_methods, email_domains = v_domains
    where t.id = v_tenant;
  end if;
end
$_$;


ALTER FUNCTION app.set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]) OWNER TO palisade_definer;

--
-- Name: sign_out_member(uuid, timestamp with time zone); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.sign_out_member(p_user uuid, p_now timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := app.require_admin();
  v_at timestamptz := least(p_now, pg_catalog.statement_timestamp() + interval '5 minutes');
begin
  if p_user = ctx.user_id() then
    raise exception 'not yourself' using errcode = 'PA422';
  end if;
  update app.memberships m set sessions_revoked_at = v_at
  where m.tenant_id = v_tenant and m.user_id = p_user and m.status <> 'removed';
  if not found then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  perform audit.log_access(v_tenant, 'sessions_ended', 'member', p_user::text,
                           pg_catalog.jsonb_build_object('scope', 'tenant'), null);
  return v_at;
end
$$;


ALTER FUNCTION app.sign_out_member(p_user uuid, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: start_termination(text, timestamp with time zone, bigint); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.start_termination(p_confirm_slug text, p_now timestamp with time zone, p_grace_seconds bigint) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.tenant_id();
  v_user uuid;
  v_grace interval;
  v_id uuid := pg_catalog.gen_random_uuid();
begin
  if v_tenant is null or not ctx.has_role('admin') then
    raise exception 'only an admin of the tenant ends it' using errcode = '42501';
  end if;
  if p_grace_seconds is null or p_grace_seconds < 86400 or p_grace_seconds > 366 * 86400 then
    raise exception 'the grace period must be between 1 and 366 days' using errcode = '22023';
  end if;
  v_grace := pg_catalog.make_interval(secs => p_grace_seconds);
  v_user := auth.require_recent_authentication(p_now);
  -- The row lock orders this against a concurrent start or a suspension.
  if not exists (select from app.tenants t where t.id = v_tenant and t.status = 'active'
                   and t.slug = p_confirm_slug for no key update) then
    raise exception 'the confirmation does not name this tenant' using errcode = 'PA422';
  end if;
  update app.tenants t set status = 'terminating' where t.id = v_tenant;
  insert into app.terminations (id, tenant_id, requested_by, requested_at, purge_after)
  values (v_id, v_tenant, v_user, pg_catalog.now(), pg_catalog.now() + v_grace);
  -- Queued, or claimed by a worker that will find the tenant closed: neither goes, even after a cancel.
  update app.outbound_messages o set status = 'blocked', last_error = 'the tenant was ended before it was sent'
  where o.tenant_id = v_tenant and o.status in ('queued', 'sending');
  perform audit.log_access(v_tenant, 'tenant_terminating', 'tenant', v_tenant::text,
                           pg_catalog.jsonb_build_object('purge_after', pg_catalog.now() + v_grace), null);
  return v_id;
end
$$;


ALTER FUNCTION app.start_termination(p_confirm_slug text, p_now timestamp with time zone, p_grace_seconds bigint) OWNER TO palisade_definer;

--
-- Name: subject_address(uuid, uuid, uuid, text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.subject_address(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select case
    when p_lead is not null then
      (select case when p_channel = 'email' then l.email_index else l.phone_index end
         from app.leads l where l.tenant_id = p_tenant and l.id = p_lead)
    when p_channel <> 'email' then
      (select p.phone_index from app.member_phones p
         join app.memberships m on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active'
         where p.tenant_id = p_tenant and p.owner_id = p_member and p.verified_at is not null)
  end
$$;


ALTER FUNCTION app.subject_address(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text) OWNER TO palisade_definer;

--
-- Name: template_deleted(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.template_deleted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  update app.outbound_messages o set template_id = null
    where o.tenant_id = old.tenant_id and o.template_id = old.id;
  return old;
end
$$;


ALTER FUNCTION app.template_deleted() OWNER TO palisade_definer;

--
-- Name: tenant_for_export(text); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.tenant_for_export(p_slug text) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if coalesce(pg_catalog.current_setting('role', true), '') <> 'app_service'
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'company_export' then
    raise exception 'only a company export may look a tenant up by slug' using errcode = '42501';
  end if;
  return (select t.id from app.tenants t where t.slug = p_slug);
end
$$;


ALTER FUNCTION app.tenant_for_export(p_slug text) OWNER TO palisade_definer;

--
-- Name: termination_for_admin(uuid); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.termination_for_admin(p_tenant uuid) RETURNS TABLE(id uuid, tenant_id uuid, slug text, status text, requested_by uuid, requested_at timestamp with time zone, purge_after timestamp with time zone, purge_started_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select x.id, x.tenant_id, t.slug, t.status, x.requested_by, x.requested_at, x.purge_after, x.purge_started_at
  from app.terminations x
  join app.tenants t on t.id = x.tenant_id and t.status in ('terminating', 'purging')
  join app.memberships m on m.tenant_id = t.id and m.user_id = ctx.user_id() and m.status = 'active'
                        and m.role = 'admin'
  join app.users u on u.id = m.user_id
  where x.tenant_id = p_tenant and x.canceled_at is null
    and pg_catalog.current_setting('role', true) = 'app_user'
    and ctx.membership_blocked(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email,
                               m.sessions_revoked_at) is null
$$;


ALTER FUNCTION app.termination_for_admin(p_tenant uuid) OWNER TO palisade_definer;

--
-- Name: terminations_for_admin(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.terminations_for_admin() RETURNS TABLE(id uuid, tenant_id uuid, slug text, status text, requested_by uuid, requested_at timestamp with time zone, purge_after timestamp with time zone, purge_started_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select f.id, f.tenant_id, f.slug, f.status, f.requested_by, f.requested_at, f.purge_after, f.purge_started_at
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id and t.status in ('terminating', 'purging')
  cross join lateral app.termination_for_admin(m.tenant_id) f
  where m.user_id = ctx.user_id() and m.status = 'active' and m.role = 'admin'
  order by f.requested_at desc, f.id
  limit 100
$$;


ALTER FUNCTION app.terminations_for_admin() OWNER TO palisade_definer;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: app; Owner: palisade_owner
--

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') <> 'on' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;


ALTER FUNCTION app.touch_updated_at() OWNER TO palisade_owner;

--
-- Name: track_activity(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.track_activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_slot constant smallint := (pg_catalog.pg_backend_pid() % 8)::smallint;
begin
  if tg_op = 'UPDATE' and old.actor_id = new.actor_id and old.occurred_at = new.occurred_at
     and old.tenant_id = new.tenant_id then
    return null;
  end if;
  if tg_op = 'DELETE' and pg_catalog.current_setting('palisade.purpose', true) = 'retention' then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (old.tenant_id, (old.occurred_at at time zone 'UTC')::date, old.actor_id, v_slot, -1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions - 1;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (new.tenant_id, (new.occurred_at at time zone 'UTC')::date, new.actor_id, v_slot, 1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions + 1;
  end if;
  return null;
end
$$;


ALTER FUNCTION app.track_activity() OWNER TO palisade_definer;

--
-- Name: track_deal_totals(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.track_deal_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_slot constant smallint := (pg_catalog.pg_backend_pid() % 8)::smallint;
begin
  if tg_op = 'UPDATE' and old.stage = new.stage and old.currency = new.currency
     and old.amount_cents = new.amount_cents and old.tenant_id = new.tenant_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into app.deal_stage_totals as t (tenant_id, stage, currency, slot, deals, amount_cents)
    values (old.tenant_id, old.stage, old.currency, v_slot, -1, -old.amount_cents)
    on conflict (tenant_id, stage, currency, slot)
    do update set deals = t.deals - 1, amount_cents = t.amount_cents - old.amount_cents;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.deal_stage_totals as t (tenant_id, stage, currency, slot, deals, amount_cents)
    values (new.tenant_id, new.stage, new.currency, v_slot, 1, new.amount_cents)
    on conflict (tenant_id, stage, currency, slot)
    do update set deals = t.deals + 1, amount_cents = t.amount_cents + new.amount_cents;
  end if;
  return null;
end
$$;


ALTER FUNCTION app.track_deal_totals() OWNER TO palisade_definer;

--
-- Name: unfinished_erasures(integer); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.unfinished_erasures(p_limit integer) RETURNS TABLE(tenant_id uuid, id uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'unfinished erasures are listed by the erasures job only' using errcode = '42501';
  end if;
  return query
    select e.tenant_id, e.id from app.erasures e
    join app.tenants t on t.id = e.tenant_id and t.status = 'active'
    where e.status = 'running' order by e.updated_at limit least(greatest(p_limit, 1), 1000);
end
$$;


ALTER FUNCTION app.unfinished_erasures(p_limit integer) OWNER TO palisade_definer;

--
-- Name: voice_consent_withdrawn(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.voice_consent_withdrawn() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if old.withdrawn_at is null and new.withdrawn_at is not null then
    delete from app.voice_samples s where s.tenant_id = new.tenant_id and s.owner_id = new.owner_id;
  end if;
  return null;
end
$$;


ALTER FUNCTION app.voice_consent_withdrawn() OWNER TO palisade_definer;

--
-- Name: voice_sample_needs_consent(); Type: FUNCTION; Schema: app; Owner: palisade_definer
--

CREATE FUNCTION app.voice_sample_needs_consent() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if not exists (select from app.voice_consents c
                 where c.tenant_id = new.tenant_id and c.owner_id = new.owner_id and c.withdrawn_at is null) then
    raise exception 'voice_consent_required: the rep has not opted in to voice drafting' using errcode = 'PA412';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.voice_sample_needs_consent() OWNER TO palisade_definer;

--
-- Name: chain_stats(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select (select pg_catalog.count(*) from audit.chain_heads h),
         (select coalesce(pg_catalog.sum(h.seq), 0)::bigint from audit.chain_heads h),
         (select pg_catalog.count(*) from audit.pending p),
         (select coalesce(extract(epoch from pg_catalog.now() - pg_catalog.min(p.occurred_at)), 0)::double precision
          from audit.pending p)
$$;


ALTER FUNCTION audit.chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision) OWNER TO palisade_definer;

--
-- Name: close_event_windows(timestamp with time zone); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.close_event_windows(p_now timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  perform audit.require_system_context();
  with closed as (
    delete from audit.event_windows w where w.window_start + interval '5 minutes' <= p_now
    returning w.*
  )
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, detail, client_ip,
                                   occurred_at)
  select c.tenant_id, c.actor_user_id, case when c.actor_user_id is null then 'system' else 'user' end,
         c.purpose, c.action,
         c.detail || pg_catalog.jsonb_build_object('count', c.occurrences, 'first_at', c.first_at,
                                                   'last_at', c.last_at, 'window_seconds', 300,
                                                   'client_ips', (select pg_catalog.jsonb_agg(pg_catalog.host(a))
                                                                  from pg_catalog.unnest(c.client_ips) a)),
         c.client_ip, c.first_at
  from closed c
  order by c.first_at;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;


ALTER FUNCTION audit.close_event_windows(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: count_access(uuid, text, uuid, jsonb, inet); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_at timestamptz := pg_catalog.now();
  v_window timestamptz := pg_catalog.date_bin('5 minutes', pg_catalog.now(), timestamptz '2000-01-01 00:00:00+00');
  v_detail jsonb := coalesce(p_detail, '{}'::jsonb);
begin
  if pg_catalog.current_setting('role', true) = 'app_service'
     and p_tenant is distinct from ctx.scoped_tenant_id() then
    raise exception 'access events are counted for the tenant the context acts in' using errcode = '42501';
  end if;
  -- Every occurrence of a kind updates the same row, so its lock is held until commit. Committing
  -- without waiting for the WAL flush keeps that to microseconds under a flood; a crash may lose the
  -- last few counts (the metrics count each rejection anyway). Only this transaction is affected:
  -- the counted paths write nothing else.
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  insert into audit.event_windows as w (grouping, window_start, tenant_id, action, actor_user_id, purpose, detail,
                                        first_at, last_at, client_ip, client_ips)
  values (coalesce(p_tenant::text, '') || '|' || p_action || '|' || coalesce(p_user::text, '') || '|' || v_detail::text,
          v_window, p_tenant, p_action, p_user, nullif(pg_catalog.current_setting('palisade.purpose', true), ''),
          v_detail, v_at, v_at, p_client_ip,
          case when p_client_ip is null then '{}'::inet[] else array[p_client_ip] end)
  on conflict (grouping, window_start) do update
    set occurrences = w.occurrences + 1, last_at = excluded.last_at,
        client_ips = case when excluded.client_ip is null or excluded.client_ip = any (w.client_ips)
                            or pg_catalog.cardinality(w.client_ips) >= 10 then w.client_ips
                          else w.client_ips || excluded.client_ip end;
end
$$;


ALTER FUNCTION audit.count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: drop_expired_partitions(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.drop_expired_partitions() RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.drop_expired_partitions() OWNER TO palisade_definer;

--
-- Name: ensure_partitions(integer); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.ensure_partitions(p_months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.ensure_partitions(p_months_ahead integer) OWNER TO palisade_definer;

--
-- Name: forbid_mutation(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.forbid_mutation() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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
  -- Nested: other tables have no tenant_id or occurred_at, and a record's field is resolved when used.
  if tg_level = 'ROW' and tg_op = 'DELETE' and tg_table_schema = 'audit' and tg_table_name = 'access_events'
     and current_user = 'palisade_definer' then
    if old.tenant_id is not null
       and old.tenant_id = nullif(pg_catalog.current_setting('palisade.access_retention_tenant', true), '')::uuid
       and old.occurred_at < nullif(pg_catalog.current_setting('palisade.access_retention_before', true), '')::timestamptz
    then
      return old;
    end if;
  end if;
  if tg_level = 'ROW' and tg_op = 'DELETE' and current_user = 'palisade_definer'
     and nullif(pg_catalog.current_setting('palisade.purge_tenant', true), '') is not null then
    if tg_table_schema = 'audit' and tg_table_name like 'chain_links%' then
      if old.chain_id = ctx.purging_tenant_id() then
        return old;
      end if;
    elsif old.tenant_id = ctx.purging_tenant_id() then
      return old;
    end if;
  end if;
  raise exception 'audit records are append-only (% refused)', tg_op using errcode = '42501';
end
$$;


ALTER FUNCTION audit.forbid_mutation() OWNER TO palisade_definer;

--
-- Name: frame(text); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.frame(v text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select case when v is null then '~' else pg_catalog.length(v)::text || ':' || v end
$$;


ALTER FUNCTION audit.frame(v text) OWNER TO palisade_definer;

--
-- Name: log_access(uuid, text, text, text, jsonb, inet); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_db_role text := pg_catalog.current_setting('role', true);
  v_user uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_kind text := case v_db_role when 'app_user' then 'user' when 'app_service' then 'service' else 'system' end;
begin
  if p_action in ('webhook_rejected', 'sign_in_failed') then
    -- (refresh_token_reuse stays loggable: its first detection is one event per session.)
    raise exception 'this action is counted (audit.count_access), not logged one by one' using errcode = '42501';
  end if;
  if p_tenant is not null and p_tenant is distinct from (case v_kind when 'user' then ctx.tenant_id()
                                                         else ctx.scoped_tenant_id() end) then
    raise exception 'access events are logged for the tenant the context acts in' using errcode = '42501';
  end if;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type,
                                   target_id, detail, client_ip, correlation_id)
  values (p_tenant, case when v_kind = 'user' then v_user end, v_kind,
          nullif(pg_catalog.current_setting('palisade.purpose', true), ''), p_action, p_target_type,
          p_target_id, coalesce(p_detail, '{}'::jsonb), p_client_ip,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
end
$$;


ALTER FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: partition_months_ahead(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.partition_months_ahead() RETURNS integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.partition_months_ahead() OWNER TO palisade_definer;

--
-- Name: purge_chain_batch(uuid, integer); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.purge_chain_batch(p_tenant uuid, p_limit integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_last record;
  v_events bigint;
begin
  perform app.require_termination_context();
  if not app.purge_lock(p_tenant) then
    return 0;
  end if;
  if exists (select from app.leads l where l.tenant_id = p_tenant)
     or exists (select from app.memberships m where m.tenant_id = p_tenant) then
    raise exception 'the tenant''s rows must go before its audit trail' using errcode = '55000';
  end if;
  if exists (select from audit.pending p join audit.events e on e.id = p.event_id and e.occurred_at = p.occurred_at
             where e.chain_id = p_tenant) then
    return null;
  end if;
  select l.seq, l.hash into v_last from (
    select x.seq, x.hash from audit.chain_links x where x.chain_id = p_tenant
    order by x.seq limit greatest(p_limit, 1)) l
  order by l.seq desc limit 1;
  if v_last.seq is null then
    return 0;
  end if;
  insert into audit.chain_anchors as a (chain_id, seq, hash) values (p_tenant, v_last.seq, v_last.hash)
  on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, created_at = pg_catalog.now()
  where excluded.seq > a.seq;
  with links as (
    delete from audit.chain_links x where x.chain_id = p_tenant and x.seq <= v_last.seq
    returning x.event_id, x.occurred_at)
  delete from audit.events e using links k
  where e.id = k.event_id and e.occurred_at = k.occurred_at and e.chain_id = p_tenant;
  get diagnostics v_events = row_count;
  return v_events;
end
$$;


ALTER FUNCTION audit.purge_chain_batch(p_tenant uuid, p_limit integer) OWNER TO palisade_definer;

--
-- Name: record_change(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.record_change() OWNER TO palisade_definer;

--
-- Name: redact_lead(uuid); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.redact_lead(p_lead uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.redact_lead(p_lead uuid) OWNER TO palisade_definer;

--
-- Name: redact_lead(uuid, integer); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.redact_lead(p_lead uuid, p_limit integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
  v_count bigint;
begin
  if v_tenant is null or pg_catalog.current_setting('role', true) <> 'app_service' then
    raise exception 'redaction needs a tenant-scoped service context' using errcode = '42501';
  end if;
  if exists (select from app.leads l where l.tenant_id = v_tenant and l.id = p_lead) then
    raise exception 'delete the lead before redacting its audit trail' using errcode = '55000';
  end if;
  if pg_catalog.current_setting('palisade.purpose', true) is distinct from 'erasure' then
    raise exception 'redaction is part of an erasure only' using errcode = '42501';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 events' using errcode = '22023';
  end if;
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.tenant_id = v_tenant and e.lead_id = p_lead and e.redacted_at is null
    and e.id = any (array(select x.id from audit.events x
                          where x.tenant_id = v_tenant and x.lead_id = p_lead and x.redacted_at is null
                          limit p_limit));
  get diagnostics v_count = row_count;
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);
  if v_count > 0 then
    perform audit.log_access(v_tenant, 'audit_redaction', 'lead', p_lead::text,
                             pg_catalog.jsonb_build_object('events', v_count), null);
  end if;
  return v_count;
end
$$;


ALTER FUNCTION audit.redact_lead(p_lead uuid, p_limit integer) OWNER TO palisade_definer;

--
-- Name: require_system_context(); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.require_system_context() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.current_setting('role', true) <> 'app_service'
     or nullif(pg_catalog.current_setting('palisade.tenant_id', true), '') is not null then
    raise exception 'this maintenance function runs only in the system service context' using errcode = '42501';
  end if;
end
$$;


ALTER FUNCTION audit.require_system_context() OWNER TO palisade_definer;

--
-- Name: seal(integer); Type: FUNCTION; Schema: audit; Owner: palisade_definer
--

CREATE FUNCTION audit.seal(p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION audit.seal(p_limit integer) OWNER TO palisade_definer;

--
-- Name: begin_totp(bytea, text, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  if exists (select from auth.totp_factors f where f.user_id = v_user and f.confirmed_at is not null) then
    raise exception 'a second factor is already set up' using errcode = 'PA409';
  end if;
  insert into auth.totp_factors (user_id, secret_sealed, key_id, created_at)
  values (v_user, p_secret_sealed, p_key_id, p_now)
  on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, key_id = excluded.key_id,
    created_at = excluded.created_at, last_used_step = 0;
end
$$;


ALTER FUNCTION auth.begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: complete_mfa(uuid, uuid, bytea, bigint, bytea, timestamp with time zone, interval, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint, p_recovery_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  s record;
  v_ok boolean := false;
  v_method text := case when p_recovery_hash is not null then 'recovery_code' else 'totp' end;
begin
  select x.id, x.mfa_failures into s
  from auth.sessions x
  join app.users u on u.id = x.user_id
  where x.id = p_session and x.user_id = p_user and x.ended_at is null and p_now < x.expires_at
    and p_now < x.last_seen_at + p_idle and u.disabled_at is null
    and (case when p_secret_hash is null then x.kind = 'api' else x.secret_hash = p_secret_hash end)
  for update of x;
  if not found then
    return 'ended';
  end if;
  if p_step is not null then
    update auth.totp_factors f set last_used_step = p_step
    where f.user_id = p_user and f.confirmed_at is not null and f.last_used_step < p_step;
    v_ok := found;
  elsif p_recovery_hash is not null then
    update auth.recovery_codes r set used_at = p_now
    where r.user_id = p_user and r.code_hash = p_recovery_hash and r.used_at is null;
    v_ok := found;
  end if;
  if not v_ok then
    update auth.sessions x set mfa_failures = x.mfa_failures + 1,
      ended_at = case when x.mfa_failures + 1 >= 5 then p_now end,
      end_reason = case when x.mfa_failures + 1 >= 5 then 'mfa_failures' end
    where x.id = p_session;
    perform auth.log_sign_in(p_user, 'mfa_failed', v_method, null, p_session, p_client_ip);
    return case when s.mfa_failures + 1 >= 5 then 'ended' else 'invalid' end;
  end if;
  update auth.sessions x set mfa_verified_at = p_now, mfa_failures = 0, last_seen_at = p_now
  where x.id = p_session;
  perform auth.log_sign_in(p_user, 'mfa_verified', v_method, null, p_session, p_client_ip);
  return 'ok';
end
$$;


ALTER FUNCTION auth.complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint, p_recovery_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: confirm_totp(bigint, bytea[], timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := ctx.user_id();
  v_session uuid := nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid;
begin
  if v_user is null or v_session is null then
    raise exception 'a session is required' using errcode = '42501';
  end if;
  if pg_catalog.cardinality(p_recovery_hashes) <> 10 then
    raise exception 'ten recovery codes are required' using errcode = '22023';
  end if;
  update auth.totp_factors f set confirmed_at = p_now, last_used_step = p_step
  where f.user_id = v_user and f.confirmed_at is null and f.last_used_step < p_step;
  if not found then
    raise exception 'no enrolment is waiting for confirmation' using errcode = 'PA404';
  end if;
  delete from auth.recovery_codes r where r.user_id = v_user;
  insert into auth.recovery_codes (user_id, code_hash) select v_user, h from pg_catalog.unnest(p_recovery_hashes) h;
  update auth.sessions s set mfa_required = true, mfa_verified_at = p_now where s.id = v_session;
  -- Every other live session of the person waits for the new factor (one of them may be a thief's).
  update auth.sessions s set mfa_required = true, mfa_verified_at = null
  where s.user_id = v_user and s.id <> v_session and s.ended_at is null;
  perform auth.log_sign_in(v_user, 'mfa_change', 'totp', 'enrolled', v_session, null);
end
$$;


ALTER FUNCTION auth.confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: consume_magic_link(bytea, bytea, text, bytea, timestamp with time zone, interval, text, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) RETURNS TABLE(user_id uuid, session_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_email text;
  v_user uuid;
  v_disabled timestamptz;
begin
  update auth.magic_links l set used_at = p_now
  where l.token_hash = p_token_hash and l.nonce_hash = p_nonce_hash and l.used_at is null and l.expires_at > p_now
  returning l.email into v_email;
  if not found then
    perform auth.log_sign_in(null, 'sign_in_failed', 'magic_link', 'invalid_link', null, p_client_ip);
    return;
  end if;
  select u.id, u.disabled_at into v_user, v_disabled from app.users u where lower(u.email) = lower(v_email);
  if v_disabled is not null then
    perform auth.log_sign_in(v_user, 'sign_in_failed', 'magic_link', 'disabled', null, p_client_ip);
    return;
  end if;
  if v_user is null then
    v_user := auth.ensure_user(v_email, '');
  end if;
  user_id := v_user;
  session_id := auth.open_session(v_user, p_kind, 'magic_link', p_secret_hash, p_now, p_lifetime, p_user_agent,
                                  p_client_ip);
  return next;
end
$$;


ALTER FUNCTION auth.consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: end_my_sessions(uuid, uuid, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.end_my_sessions(p_session uuid, p_except uuid, p_now timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := ctx.user_id();
  v_count integer;
begin
  if v_user is null then
    raise exception 'a signed-in user is required' using errcode = '42501';
  end if;
  update auth.sessions s
  set ended_at = p_now,
      end_reason = case when s.id = nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid
                        then 'logout' else 'ended_by_user' end
  where s.user_id = v_user and s.ended_at is null
    and (p_session is null or s.id = p_session)
    and (p_except is null or s.id <> p_except);
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform auth.log_sign_in(v_user, case when p_session is not null and p_session::text =
                                            pg_catalog.current_setting('palisade.session_id', true)
                                          then 'sign_out' else 'sessions_ended' end,
                             null, null, p_session, null);
  end if;
  return v_count;
end
$$;


ALTER FUNCTION auth.end_my_sessions(p_session uuid, p_except uuid, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: ensure_user(text, text); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.ensure_user(p_email text, p_display_name text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION auth.ensure_user(p_email text, p_display_name text) OWNER TO palisade_definer;

--
-- Name: link_identity(text, text, text, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.link_identity(p_issuer text, p_subject text, p_email text, p_now timestamp with time zone) RETURNS TABLE(outcome text, account_email text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
  v_session uuid := nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid;
  v_owner uuid;
begin
  select i.user_id into v_owner from auth.identities i where i.issuer = p_issuer and i.subject = p_subject;
  if v_owner = v_user then
    outcome := 'already_linked';
    return next;
    return;
  end if;
  if v_owner is not null then
    perform auth.log_sign_in(v_user, 'sign_in_failed', 'oidc', 'identity_taken', v_session, null);
    outcome := 'taken';
    return next;
    return;
  end if;
  insert into auth.identities (issuer, subject, user_id, email, created_at, last_used_at)
  values (p_issuer, p_subject, v_user, p_email, p_now, p_now);
  perform auth.log_sign_in(v_user, 'identity_linked', 'oidc', 'by_session', v_session, null);
  outcome := 'linked';
  select u.email into account_email from app.users u where u.id = v_user;
  return next;
end
$$;


ALTER FUNCTION auth.link_identity(p_issuer text, p_subject text, p_email text, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: log_sign_in(uuid, text, text, text, uuid, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid, p_client_ip inet) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if p_action = 'sign_in_failed' then
    perform audit.count_access(null, p_action, p_user,
                               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('method', p_method,
                                                                                          'reason', p_reason)),
                               p_client_ip);
    return;
  end if;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type, target_id,
                                   detail, client_ip, correlation_id)
  values (null, p_user, case when p_user is null then 'system' else 'user' end, 'auth', p_action,
          case when p_session is null then null else 'session' end, p_session::text,
          pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('method', p_method, 'reason', p_reason)),
          p_client_ip, nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
end
$$;


ALTER FUNCTION auth.log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: mfa_challenge(uuid, uuid, bytea, timestamp with time zone, interval); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) RETURNS TABLE(secret_sealed bytea, last_used_step bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select f.secret_sealed, f.last_used_step
  from auth.sessions s
  join app.users u on u.id = s.user_id
  left join auth.totp_factors f on f.user_id = s.user_id and f.confirmed_at is not null
  where s.id = p_session and s.user_id = p_user and s.ended_at is null and p_now < s.expires_at
    and p_now < s.last_seen_at + p_idle and u.disabled_at is null
    and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end)
$$;


ALTER FUNCTION auth.mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) OWNER TO palisade_definer;

--
-- Name: my_totp(); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.my_totp() RETURNS TABLE(secret_sealed bytea, last_used_step bigint, confirmed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select f.secret_sealed, f.last_used_step, f.confirmed_at is not null
  from auth.totp_factors f where f.user_id = ctx.user_id()
$$;


ALTER FUNCTION auth.my_totp() OWNER TO palisade_definer;

--
-- Name: oidc_sign_in(text, text, text, boolean, boolean, text, boolean, text, bytea, timestamp with time zone, interval, text, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean, p_link_by_email boolean, p_display_name text, p_open_signup boolean, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) RETURNS TABLE(outcome text, user_id uuid, session_id uuid, linked boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid;
  v_disabled timestamptz;
  v_linked boolean := false;
begin
  select i.user_id into v_user from auth.identities i where i.issuer = p_issuer and i.subject = p_subject;
  if v_user is null then
    if p_email is null or not coalesce(p_email_verified, false) then
      perform auth.log_sign_in(null, 'sign_in_failed', 'oidc', 'email_not_verified', null, p_client_ip);
      outcome := 'email_not_verified';
      return next;
      return;
    end if;
    if not coalesce(p_link_by_email, false) then
      perform auth.log_sign_in(null, 'sign_in_failed', 'oidc', 'not_linked', null, p_client_ip);
      outcome := 'not_linked';
      return next;
      return;
    end if;
    select u.id, u.disabled_at into v_user, v_disabled from app.users u where lower(u.email) = lower(p_email);
    if v_disabled is not null then
      perform auth.log_sign_in(v_user, 'sign_in_failed', 'oidc', 'disabled', null, p_client_ip);
      outcome := 'disabled';
      return next;
      return;
    end if;
    if v_user is null then
      if not coalesce(p_open_signup, false)
         and not exists (select from app.invitations i
                         where lower(i.email) = lower(p_email) and i.accepted_at is null and i.revoked_at is null
                           and i.expires_at > p_now) then
        perform auth.log_sign_in(null, 'sign_in_failed', 'oidc', 'no_account', null, p_client_ip);
        outcome := 'no_account';
        return next;
        return;
      end if;
      v_user := auth.ensure_user(p_email, pg_catalog.left(coalesce(p_display_name, ''), 200));
    end if;
    -- Two first sign-ins racing: the first insert wins and both use its person.
    insert into auth.identities (issuer, subject, user_id, email, created_at, last_used_at)
    values (p_issuer, p_subject, v_user, p_email, p_now, p_now)
    on conflict on constraint identities_pkey do nothing;
    v_linked := found;
    select i.user_id into v_user from auth.identities i where i.issuer = p_issuer and i.subject = p_subject;
  end if;
  select u.disabled_at into v_disabled from app.users u where u.id = v_user;
  if v_disabled is not null then
    perform auth.log_sign_in(v_user, 'sign_in_failed', 'oidc', 'disabled', null, p_client_ip);
    outcome := 'disabled';
    return next;
    return;
  end if;
  if v_linked then
    perform auth.log_sign_in(v_user, 'identity_linked', 'oidc', 'by_email', null, p_client_ip);
  else
    update auth.identities i set last_used_at = p_now, email = coalesce(p_email, i.email)
    where i.issuer = p_issuer and i.subject = p_subject;
  end if;
  outcome := 'ok';
  linked := v_linked;
  user_id := v_user;
  session_id := auth.open_session(v_user, p_kind, 'oidc', p_secret_hash, p_now, p_lifetime, p_user_agent,
                                  p_client_ip);
  return next;
end
$$;


ALTER FUNCTION auth.oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean, p_link_by_email boolean, p_display_name text, p_open_signup boolean, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: oidc_sign_in_failed(text, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.oidc_sign_in_failed(p_reason text, p_client_ip inet) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if p_reason is null or p_reason not in ('invalid_state', 'provider_error', 'token_exchange_failed',
                                          'invalid_id_token') then
    raise exception 'unknown OIDC failure reason' using errcode = '22023';
  end if;
  perform auth.log_sign_in(null, 'sign_in_failed', 'oidc', p_reason, null, p_client_ip);
end
$$;


ALTER FUNCTION auth.oidc_sign_in_failed(p_reason text, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: open_session(uuid, text, text, bytea, timestamp with time zone, interval, text, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.open_session(p_user uuid, p_kind text, p_method text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_id uuid := pg_catalog.gen_random_uuid();
  -- A person with a confirmed second factor: the session waits for it.
  v_mfa boolean := exists (select from auth.totp_factors f where f.user_id = p_user and f.confirmed_at is not null);
begin
  if p_lifetime is null or p_lifetime < interval '5 minutes' or p_lifetime > interval '90 days' then
    raise exception 'a session lasts 5 minutes to 90 days' using errcode = '22023';
  end if;
  insert into auth.sessions (id, user_id, kind, secret_hash, method, mfa_required, created_at, last_seen_at,
                             expires_at, user_agent, client_ip)
  values (v_id, p_user, p_kind, case when p_kind = 'browser' then p_secret_hash end, p_method, v_mfa, p_now, p_now,
          p_now + p_lifetime, pg_catalog.left(coalesce(p_user_agent, ''), 200), p_client_ip);
  if p_kind = 'api' then
    insert into auth.refresh_tokens (token_hash, session_id, issued_at) values (p_secret_hash, v_id, p_now);
  end if;
  perform auth.log_sign_in(p_user, 'sign_in', p_method, null, v_id, p_client_ip);
  return v_id;
end
$$;


ALTER FUNCTION auth.open_session(p_user uuid, p_kind text, p_method text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: password_for(text); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.password_for(p_email text) RETURNS TABLE(user_id uuid, hash text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select c.user_id, c.hash
  from app.users u join auth.password_credentials c on c.user_id = u.id
  where lower(u.email) = lower(p_email) and u.disabled_at is null
$$;


ALTER FUNCTION auth.password_for(p_email text) OWNER TO palisade_definer;

--
-- Name: password_sign_in(uuid, text, text, bytea, timestamp with time zone, interval, text, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if not exists (select from auth.password_credentials c join app.users u on u.id = c.user_id
                 where c.user_id = p_user and c.hash = p_hash and u.disabled_at is null) then
    raise exception 'no such password' using errcode = 'PA404';
  end if;
  return auth.open_session(p_user, p_kind, 'password', p_secret_hash, p_now, p_lifetime, p_user_agent, p_client_ip);
end
$$;


ALTER FUNCTION auth.password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: password_sign_in_failed(uuid, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.password_sign_in_failed(p_user uuid, p_client_ip inet) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select auth.log_sign_in(p_user, 'sign_in_failed', 'password', 'wrong_password', null, p_client_ip)
$$;


ALTER FUNCTION auth.password_sign_in_failed(p_user uuid, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: purge_expired(timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.purge_expired(p_now timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_links integer;
  v_sessions integer;
begin
  perform audit.require_system_context();
  delete from auth.magic_links l where l.expires_at < p_now - interval '1 day';
  get diagnostics v_links = row_count;
  delete from auth.sessions s
  where coalesce(s.ended_at, s.expires_at) < p_now - interval '30 days' and (s.ended_at is not null or s.expires_at < p_now);
  get diagnostics v_sessions = row_count;
  return v_links + v_sessions;
end
$$;


ALTER FUNCTION auth.purge_expired(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: refresh_session(bytea, bytea, timestamp with time zone, interval, inet); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) RETURNS TABLE(outcome text, user_id uuid, session_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  r record;
begin
  select t.used_at, s.id, s.user_id, s.ended_at, s.expires_at, s.last_seen_at, u.disabled_at into r
  from auth.refresh_tokens t
  join auth.sessions s on s.id = t.session_id
  join app.users u on u.id = s.user_id
  where t.token_hash = p_token_hash
  for update of t, s;
  if not found then
    outcome := 'invalid';
    return next;
    return;
  end if;
  user_id := r.user_id;
  session_id := r.id;
  if r.used_at is not null then
    if r.ended_at is null then
      update auth.sessions s set ended_at = p_now, end_reason = 'refresh_reuse' where s.id = r.id;
      perform auth.log_sign_in(r.user_id, 'refresh_token_reuse', null, null, r.id, p_client_ip);
    else
      perform audit.count_access(null, 'refresh_token_reuse', r.user_id,
                                 pg_catalog.jsonb_build_object('reason', 'session_already_ended'), p_client_ip);
    end if;
    outcome := 'reused';
    return next;
    return;
  end if;
  if r.ended_at is not null or p_now >= r.expires_at or p_now >= r.last_seen_at + p_idle
     or r.disabled_at is not null then
    outcome := 'ended';
    return next;
    return;
  end if;
  update auth.refresh_tokens t set used_at = p_now where t.token_hash = p_token_hash;
  insert into auth.refresh_tokens (token_hash, session_id, issued_at) values (p_new_hash, r.id, p_now);
  update auth.sessions s set last_seen_at = p_now where s.id = r.id;
  outcome := 'ok';
  return next;
end
$$;


ALTER FUNCTION auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) OWNER TO palisade_definer;

--
-- Name: remove_password(timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.remove_password(p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  delete from auth.password_credentials c where c.user_id = v_user;
  if not found then
    raise exception 'no password is set' using errcode = 'PA404';
  end if;
  perform auth.log_sign_in(v_user, 'password_change', 'password', 'removed',
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;


ALTER FUNCTION auth.remove_password(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: remove_totp(timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.remove_totp(p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  delete from auth.totp_factors f where f.user_id = v_user;
  if not found then
    raise exception 'no second factor is set up' using errcode = 'PA404';
  end if;
  delete from auth.recovery_codes r where r.user_id = v_user;
  -- No factor, no verified sessions: a tenant that requires one refuses them from the next request.
  update auth.sessions s set mfa_required = false, mfa_verified_at = null where s.user_id = v_user;
  perform auth.log_sign_in(v_user, 'mfa_change', 'totp', 'removed',
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;


ALTER FUNCTION auth.remove_totp(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: replace_recovery_codes(bytea[], timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.replace_recovery_codes(p_hashes bytea[], p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  if not exists (select from auth.totp_factors f where f.user_id = v_user and f.confirmed_at is not null) then
    raise exception 'no second factor is set up' using errcode = 'PA404';
  end if;
  if pg_catalog.cardinality(p_hashes) <> 10 then
    raise exception 'ten recovery codes are required' using errcode = '22023';
  end if;
  delete from auth.recovery_codes r where r.user_id = v_user;
  insert into auth.recovery_codes (user_id, code_hash) select v_user, h from pg_catalog.unnest(p_hashes) h;
  perform auth.log_sign_in(v_user, 'mfa_change', 'recovery_codes', 'replaced',
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;


ALTER FUNCTION auth.replace_recovery_codes(p_hashes bytea[], p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: request_magic_link(text, bytea, bytea, timestamp with time zone, interval, boolean); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamp with time zone, p_valid_for interval, p_open_signup boolean) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user record;
begin
  if p_valid_for is null or p_valid_for < interval '1 minute' or p_valid_for > interval '1 hour' then
    raise exception 'a magic link is valid for 1 to 60 minutes' using errcode = '22023';
  end if;
  select u.id, u.disabled_at into v_user from app.users u where lower(u.email) = lower(p_email);
  if found and v_user.disabled_at is not null then
    return false;
  end if;
  if not found and not coalesce(p_open_signup, false)
     and not exists (select from app.invitations i
                     where lower(i.email) = lower(p_email) and i.accepted_at is null and i.revoked_at is null
                       and i.expires_at > p_now) then
    return false;
  end if;
  -- One request per address at a time, so concurrent ones cannot both see room.
  perform pg_catalog.pg_advisory_xact_lock(7463713, pg_catalog.hashtext(pg_catalog.lower(p_email)));
  delete from auth.magic_links l
  where l.token_hash in (select x.token_hash from auth.magic_links x
                         where pg_catalog.lower(x.email) = pg_catalog.lower(p_email) and x.expires_at > p_now
                           and x.used_at is null
                         order by x.created_at desc, x.token_hash offset 4);
  insert into auth.magic_links (token_hash, email, nonce_hash, created_at, expires_at)
  values (p_token_hash, p_email, p_nonce_hash, p_now, p_now + p_valid_for);
  return true;
end
$$;


ALTER FUNCTION auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamp with time zone, p_valid_for interval, p_open_signup boolean) OWNER TO palisade_definer;

--
-- Name: require_recent_authentication(timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.require_recent_authentication(p_now timestamp with time zone) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := ctx.user_id();
  v_session uuid := nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid;
begin
  if v_user is null or v_session is null or not exists (
       select from auth.sessions s
       where s.id = v_session and s.user_id = v_user and s.ended_at is null
         and (s.mfa_verified_at > p_now - interval '10 minutes'
              or (s.created_at > p_now - interval '10 minutes'
                  and not exists (select from auth.totp_factors f
                                  where f.user_id = v_user and f.confirmed_at is not null)))) then
    raise exception 'sign in again (or verify your second factor) to change it' using errcode = 'PA403';
  end if;
  return v_user;
end
$$;


ALTER FUNCTION auth.require_recent_authentication(p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: session_state(uuid, uuid, bytea, timestamp with time zone, interval); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) RETURNS TABLE(state text, expires_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select case when s.mfa_required and s.mfa_verified_at is null then 'mfa_pending' else 'active' end, s.expires_at
  from auth.sessions s
  join app.users u on u.id = s.user_id
  where s.id = p_session and s.user_id = p_user and s.ended_at is null and p_now < s.expires_at
    and p_now < s.last_seen_at + p_idle and u.disabled_at is null
    and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end)
$$;


ALTER FUNCTION auth.session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) OWNER TO palisade_definer;

--
-- Name: set_password(text, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.set_password(p_hash text, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  insert into auth.password_credentials (user_id, hash, updated_at) values (v_user, p_hash, p_now)
  on conflict (user_id) do update set hash = excluded.hash, updated_at = excluded.updated_at;
  perform auth.log_sign_in(v_user, 'password_change', 'password', 'set',
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;


ALTER FUNCTION auth.set_password(p_hash text, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: sign_out(uuid, uuid, bytea, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  update auth.sessions s set ended_at = p_now, end_reason = 'logout'
  where s.id = p_session and s.user_id = p_user and s.ended_at is null
    and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end);
  if not found then
    return false;
  end if;
  perform auth.log_sign_in(p_user, 'sign_out', null, null, p_session, null);
  return true;
end
$$;


ALTER FUNCTION auth.sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: unlink_identity(uuid, timestamp with time zone); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.unlink_identity(p_id uuid, p_now timestamp with time zone) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  delete from auth.identities i where i.id = p_id and i.user_id = v_user;
  if not found then
    raise exception 'no such identity' using errcode = 'PA404';
  end if;
  perform auth.log_sign_in(v_user, 'identity_unlinked', 'oidc', null,
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;


ALTER FUNCTION auth.unlink_identity(p_id uuid, p_now timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: user_id_by_email(text); Type: FUNCTION; Schema: auth; Owner: palisade_definer
--

CREATE FUNCTION auth.user_id_by_email(p_email text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select u.id from app.users u where lower(u.email) = lower(p_email)
$$;


ALTER FUNCTION auth.user_id_by_email(p_email text) OWNER TO palisade_definer;

--
-- Name: enter(uuid, bytea, timestamp with time zone, interval); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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
  left join app.tenants t on t.id = c.tenant_id
                         and (t.status = 'active'
                              or (t.status = 'terminating'
                                  and pg_catalog.current_setting('role', true) = 'app_service'
                                  and pg_catalog.current_setting('palisade.purpose', true) = 'company_export'))
  left join app.memberships m on pg_catalog.current_setting('role', true) = 'app_user'
                             and m.tenant_id = t.id and m.user_id = u.id and m.status = 'active';
  if r.member_role is not null then
    blocked := r.member_blocked;
    role := case when blocked is null then r.member_role end;
  end if;
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


ALTER FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) OWNER TO palisade_definer;

--
-- Name: has_role(text); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.has_role(min_role text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select case pg_catalog.current_setting('palisade.acting_role', true)
           when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 0 end
         >= case min_role when 'admin' then 3 when 'manager' then 2 when 'rep' then 1 else 99 end
$$;


ALTER FUNCTION ctx.has_role(min_role text) OWNER TO palisade_definer;

--
-- Name: has_unmasked_card(text); Type: FUNCTION; Schema: ctx; Owner: palisade_owner
--

CREATE FUNCTION ctx.has_unmasked_card(p_text text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_run text;
  v_groups text[];
  v_digits text;
begin
  if p_text is null or p_text !~ '[0-9]' then
    return false;
  end if;
  for v_run in select m[1] from pg_catalog.regexp_matches(p_text, '([0-9]+(?:[ -]{1,3}[0-9]+)*)', 'g') m loop
    v_groups := pg_catalog.regexp_split_to_array(v_run, '[ -]+');
    for i in 1 .. pg_catalog.cardinality(v_groups) loop
      v_digits := '';
      for j in i .. pg_catalog.cardinality(v_groups) loop
        v_digits := v_digits || v_groups[j];
        exit when pg_catalog.length(v_digits) > 19;
        if pg_catalog.length(v_digits) >= 13 and ctx.luhn(v_digits) then
          return true;
        end if;
      end loop;
    end loop;
  end loop;
  return false;
end
$$;


ALTER FUNCTION ctx.has_unmasked_card(p_text text) OWNER TO palisade_owner;

--
-- Name: is_active_member(uuid, uuid); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.is_active_member(p_tenant uuid, p_user uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_scope uuid := case pg_catalog.current_setting('role', true)
                    when 'app_user' then ctx.tenant_id()
                    when 'app_service' then ctx.scoped_tenant_id() end;
begin
  return p_tenant = v_scope
    and exists (select from app.memberships m
                where m.tenant_id = p_tenant and m.user_id = p_user and m.status = 'active');
end
$$;


ALTER FUNCTION ctx.is_active_member(p_tenant uuid, p_user uuid) OWNER TO palisade_definer;

--
-- Name: is_platform_admin(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.is_platform_admin() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select coalesce(pg_catalog.current_setting('palisade.acting_platform', true), '') = 'on'
$$;


ALTER FUNCTION ctx.is_platform_admin() OWNER TO palisade_definer;

--
-- Name: luhn(text); Type: FUNCTION; Schema: ctx; Owner: palisade_owner
--

CREATE FUNCTION ctx.luhn(p_digits text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_len integer := pg_catalog.length(p_digits);
  v_sum integer := 0;
  v_digit integer;
begin
  for i in 0 .. v_len - 1 loop
    v_digit := pg_catalog.ascii(pg_catalog.substr(p_digits, v_len - i, 1)) - 48;
    if i % 2 = 1 then
      v_digit := v_digit * 2;
      if v_digit > 9 then
        v_digit := v_digit - 9;
      end if;
    end if;
    v_sum := v_sum + v_digit;
  end loop;
  return v_sum % 10 = 0;
end
$$;


ALTER FUNCTION ctx.luhn(p_digits text) OWNER TO palisade_owner;

--
-- Name: member_tenant_ids(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.member_tenant_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_ids uuid[];
begin
  select coalesce(pg_catalog.array_agg(m.tenant_id), '{}') into v_ids
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  join app.users u on u.id = m.user_id
  where m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active'
    and t.status = 'active'
    and u.disabled_at is null;
  return v_ids;
end
$$;


ALTER FUNCTION ctx.member_tenant_ids() OWNER TO palisade_definer;

--
-- Name: membership_blocked(boolean, text[], text[], text, text, timestamp with time zone); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text, p_sessions_revoked_at timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case
    when p_sessions_revoked_at is not null
         and coalesce(nullif(pg_catalog.current_setting('palisade.session_started', true), '')::timestamptz,
                      'infinity') <= p_sessions_revoked_at then 'signed_out'
    else ctx.sign_in_rule_broken(p_require_mfa, p_methods, p_domains, p_role, p_email)
  end
$$;


ALTER FUNCTION ctx.membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text, p_sessions_revoked_at timestamp with time zone) OWNER TO palisade_definer;

--
-- Name: purging_tenant_id(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.purging_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select t.id from app.tenants t
  where t.id = nullif(pg_catalog.current_setting('palisade.purge_tenant', true), '')::pg_catalog.uuid
    and t.status = 'purging'
$$;


ALTER FUNCTION ctx.purging_tenant_id() OWNER TO palisade_definer;

--
-- Name: scoped_tenant_id(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.scoped_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('palisade.acting_scope', true), '')::pg_catalog.uuid
$$;


ALTER FUNCTION ctx.scoped_tenant_id() OWNER TO palisade_definer;

--
-- Name: session_gate(uuid, bytea, timestamp with time zone, interval); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_state text := 'ended';
  s record;
begin
  select x.kind, x.secret_hash, x.last_seen_at, x.mfa_required, x.mfa_verified_at, x.method, x.created_at into s
  from auth.sessions x
  join app.users u on u.id = x.user_id
  where x.id = p_session and x.user_id = v_user and x.ended_at is null and p_now < x.expires_at
    and p_now < x.last_seen_at + p_idle and u.disabled_at is null;
  if found and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end) then
    v_state := case when s.mfa_required and s.mfa_verified_at is null then 'mfa_pending' else 'ok' end;
  end if;
  if v_state <> 'ok' then
    perform pg_catalog.set_config('palisade.user_id', '', true);
    perform pg_catalog.set_config('palisade.tenant_id', '', true);
    return v_state;
  end if;
  perform pg_catalog.set_config('palisade.session_id', p_session::text, true);
  perform pg_catalog.set_config('palisade.session_method', s.method, true);
  perform pg_catalog.set_config('palisade.session_mfa', case when s.mfa_verified_at is null then '' else 'on' end,
                                true);
  perform pg_catalog.set_config('palisade.session_started', s.created_at::text, true);
  if s.last_seen_at < p_now - interval '1 minute' then
    update auth.sessions x set last_seen_at = p_now
    where x.id = (select y.id from auth.sessions y where y.id = p_session for update skip locked);
  end if;
  return 'ok';
end
$$;


ALTER FUNCTION ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) OWNER TO palisade_definer;

--
-- Name: sign_in_blocked(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.sign_in_blocked() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select ctx.membership_blocked(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email,
                                m.sessions_revoked_at)
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  join app.users u on u.id = m.user_id
  where m.tenant_id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active' and t.status = 'active' and u.disabled_at is null
$$;


ALTER FUNCTION ctx.sign_in_blocked() OWNER TO palisade_definer;

--
-- Name: sign_in_rule_broken(boolean, text[], text[], text, text); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case
    when coalesce(pg_catalog.current_setting('palisade.session_method', true), '') <> ''
         and not (pg_catalog.current_setting('palisade.session_method', true) = any (p_methods)) then 'method'
    when pg_catalog.cardinality(p_domains) > 0
         and not (pg_catalog.lower(pg_catalog.split_part(p_email, '@', -1)) = any (p_domains)) then 'domain'
    when p_require_mfa and p_role <> 'rep'
         and coalesce(pg_catalog.current_setting('palisade.session_mfa', true), '') <> 'on' then 'mfa'
  end
$$;


ALTER FUNCTION ctx.sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text) OWNER TO palisade_definer;

--
-- Name: tenant_id(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('palisade.acting_tenant', true), '')::pg_catalog.uuid
$$;


ALTER FUNCTION ctx.tenant_id() OWNER TO palisade_definer;

--
-- Name: tenant_role(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.tenant_role() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('palisade.acting_role', true), '')
$$;


ALTER FUNCTION ctx.tenant_role() OWNER TO palisade_definer;

--
-- Name: user_id(); Type: FUNCTION; Schema: ctx; Owner: palisade_definer
--

CREATE FUNCTION ctx.user_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('palisade.acting_user', true), '')::pg_catalog.uuid
$$;


ALTER FUNCTION ctx.user_id() OWNER TO palisade_definer;

--
-- Name: register_keys(text, text[], bytea[]); Type: FUNCTION; Schema: palisade_meta; Owner: palisade_definer
--

CREATE FUNCTION palisade_meta.register_keys(p_keyring text, p_ids text[], p_checks bytea[]) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION palisade_meta.register_keys(p_keyring text, p_ids text[], p_checks bytea[]) OWNER TO palisade_definer;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: activity_daily; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.activity_daily (
    tenant_id uuid NOT NULL,
    day date NOT NULL,
    actor_id uuid NOT NULL,
    slot smallint NOT NULL,
    interactions bigint DEFAULT 0 NOT NULL
);

ALTER TABLE ONLY app.activity_daily FORCE ROW LEVEL SECURITY;


ALTER TABLE app.activity_daily OWNER TO palisade_owner;

--
-- Name: ai_settings; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.ai_settings (
    tenant_id uuid NOT NULL,
    monthly_budget_micros bigint,
    drafting boolean DEFAULT true NOT NULL,
    coaching boolean DEFAULT false NOT NULL,
    auto_reply_channels text[] DEFAULT '{}'::text[] NOT NULL,
    forbidden_topics text[] DEFAULT '{}'::text[] NOT NULL,
    mask_iban boolean DEFAULT true NOT NULL,
    mask_us_ssn boolean DEFAULT true NOT NULL,
    mask_uk_nino boolean DEFAULT true NOT NULL,
    mask_patterns text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    quiet_hours_start smallint,
    quiet_hours_end smallint,
    time_zone text,
    CONSTRAINT ai_settings_auto_reply_channels_check CHECK ((auto_reply_channels <@ ARRAY['sms'::text, 'whatsapp'::text])),
    CONSTRAINT ai_settings_forbidden_topics_check CHECK ((cardinality(forbidden_topics) <= 50)),
    CONSTRAINT ai_settings_mask_patterns_check CHECK ((cardinality(mask_patterns) <= 20)),
    CONSTRAINT ai_settings_monthly_budget_micros_check CHECK (((monthly_budget_micros >= 0) AND (monthly_budget_micros <= '1000000000000'::bigint))),
    CONSTRAINT ai_settings_quiet_hours_end_check CHECK (((quiet_hours_end >= 0) AND (quiet_hours_end <= 23))),
    CONSTRAINT ai_settings_quiet_hours_start_check CHECK (((quiet_hours_start >= 0) AND (quiet_hours_start <= 23))),
    CONSTRAINT ai_settings_quiet_hours_whole CHECK ((((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)) AND ((quiet_hours_start IS NULL) = (time_zone IS NULL)) AND ((quiet_hours_start IS NULL) OR (quiet_hours_start <> quiet_hours_end)))),
    CONSTRAINT ai_settings_time_zone_check CHECK (((char_length(time_zone) >= 1) AND (char_length(time_zone) <= 64)))
);

ALTER TABLE ONLY app.ai_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.ai_settings OWNER TO palisade_owner;

--
-- Name: ai_usage; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.ai_usage (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    purpose text NOT NULL,
    model text NOT NULL,
    status text DEFAULT 'reserved'::text NOT NULL,
    reserved_micros bigint NOT NULL,
    cost_micros bigint,
    prompt_tokens integer,
    completion_tokens integer,
    masked integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    settled_at timestamp with time zone,
    CONSTRAINT ai_usage_check CHECK (((status = 'reserved'::text) = (settled_at IS NULL))),
    CONSTRAINT ai_usage_completion_tokens_check CHECK ((completion_tokens >= 0)),
    CONSTRAINT ai_usage_cost_micros_check CHECK ((cost_micros >= 0)),
    CONSTRAINT ai_usage_masked_check CHECK ((masked >= 0)),
    CONSTRAINT ai_usage_model_check CHECK (((char_length(model) >= 1) AND (char_length(model) <= 100))),
    CONSTRAINT ai_usage_prompt_tokens_check CHECK ((prompt_tokens >= 0)),
    CONSTRAINT ai_usage_purpose_check CHECK ((purpose = ANY (ARRAY['draft'::text, 'coaching'::text, 'answer'::text]))),
    CONSTRAINT ai_usage_reserved_micros_check CHECK ((reserved_micros >= 0)),
    CONSTRAINT ai_usage_status_check CHECK ((status = ANY (ARRAY['reserved'::text, 'done'::text, 'failed'::text])))
);

ALTER TABLE ONLY app.ai_usage FORCE ROW LEVEL SECURITY;


ALTER TABLE app.ai_usage OWNER TO palisade_owner;

--
-- Name: assistant_holds; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.assistant_holds (
    tenant_id uuid NOT NULL,
    lead_id uuid NOT NULL,
    channel text NOT NULL,
    reason text NOT NULL,
    held_at timestamp with time zone DEFAULT now() NOT NULL,
    released_at timestamp with time zone,
    released_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT assistant_holds_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text]))),
    CONSTRAINT assistant_holds_reason_check CHECK ((reason ~ '^[a-z_]{1,60}$'::text))
);

ALTER TABLE ONLY app.assistant_holds FORCE ROW LEVEL SECURITY;


ALTER TABLE app.assistant_holds OWNER TO palisade_owner;

--
-- Name: assistant_tasks; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.assistant_tasks (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL,
    interaction_id uuid NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts smallint DEFAULT 0 NOT NULL,
    not_before timestamp with time zone DEFAULT now() NOT NULL,
    outcome text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT assistant_tasks_attempts_check CHECK (((attempts >= 0) AND (attempts <= 10))),
    CONSTRAINT assistant_tasks_kind_check CHECK ((kind = ANY (ARRAY['coaching'::text, 'answer'::text]))),
    CONSTRAINT assistant_tasks_outcome_check CHECK ((outcome ~ '^[a-z_]{1,60}$'::text)),
    CONSTRAINT assistant_tasks_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'done'::text, 'failed'::text, 'skipped'::text])))
);

ALTER TABLE ONLY app.assistant_tasks FORCE ROW LEVEL SECURITY;


ALTER TABLE app.assistant_tasks OWNER TO palisade_owner;

--
-- Name: brief_preferences; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.brief_preferences (
    tenant_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    send_hour smallint DEFAULT 8 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT brief_preferences_send_hour_check CHECK (((send_hour >= 0) AND (send_hour <= 23))),
    CONSTRAINT brief_preferences_time_zone_check CHECK (((char_length(time_zone) >= 1) AND (char_length(time_zone) <= 64)))
);

ALTER TABLE ONLY app.brief_preferences FORCE ROW LEVEL SECURITY;


ALTER TABLE app.brief_preferences OWNER TO palisade_owner;

--
-- Name: coaching_observations; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.coaching_observations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    lead_id uuid,
    category text NOT NULL,
    observation text NOT NULL,
    source text DEFAULT 'ai'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coaching_observations_category_check CHECK (((char_length(category) >= 1) AND (char_length(category) <= 100))),
    CONSTRAINT coaching_observations_no_card CHECK ((NOT ctx.has_unmasked_card(observation))),
    CONSTRAINT coaching_observations_observation_check CHECK (((char_length(observation) >= 1) AND (char_length(observation) <= 20000))),
    CONSTRAINT coaching_observations_source_check CHECK ((source = ANY (ARRAY['ai'::text, 'self'::text])))
);

ALTER TABLE ONLY app.coaching_observations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.coaching_observations OWNER TO palisade_owner;

--
-- Name: consent_events; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.consent_events (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    lead_id uuid,
    member_id uuid,
    channel text NOT NULL,
    purpose text NOT NULL,
    action text NOT NULL,
    source text NOT NULL,
    provider_message_id text,
    form_version text,
    consent_text_sha256 bytea,
    actor_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT consent_events_action_check CHECK ((action = ANY (ARRAY['grant'::text, 'revoke'::text]))),
    CONSTRAINT consent_events_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'email'::text]))),
    CONSTRAINT consent_events_check CHECK ((num_nonnulls(lead_id, member_id) = 1)),
    CONSTRAINT consent_events_check1 CHECK (((purpose = 'brief'::text) = (member_id IS NOT NULL))),
    CONSTRAINT consent_events_check2 CHECK (((action = 'revoke'::text) OR (provider_message_id IS NOT NULL) OR (form_version IS NOT NULL) OR (consent_text_sha256 IS NOT NULL) OR (actor_id IS NOT NULL))),
    CONSTRAINT consent_events_consent_text_sha256_check CHECK ((octet_length(consent_text_sha256) = 32)),
    CONSTRAINT consent_events_form_version_check CHECK ((char_length(form_version) <= 100)),
    CONSTRAINT consent_events_provider_message_id_check CHECK ((char_length(provider_message_id) <= 100)),
    CONSTRAINT consent_events_purpose_check CHECK ((purpose = ANY (ARRAY['marketing'::text, 'service'::text, 'brief'::text]))),
    CONSTRAINT consent_events_source_check CHECK ((source = ANY (ARRAY['inbound_keyword'::text, 'form'::text, 'api'::text, 'import'::text, 'admin'::text, 'provider'::text, 'address_change'::text])))
);

ALTER TABLE ONLY app.consent_events FORCE ROW LEVEL SECURITY;


ALTER TABLE app.consent_events OWNER TO palisade_owner;

--
-- Name: crm_connections; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.crm_connections (
    tenant_id uuid NOT NULL,
    kind text NOT NULL,
    portal_id bigint NOT NULL,
    hub_domain text,
    scopes text[] DEFAULT '{}'::text[] NOT NULL,
    tokens_sealed bytea NOT NULL,
    key_id text NOT NULL,
    last_four text NOT NULL,
    access_expires_at timestamp with time zone,
    status text DEFAULT 'active'::text NOT NULL,
    failure text,
    write_back boolean DEFAULT true NOT NULL,
    gdpr_delete boolean DEFAULT false NOT NULL,
    connected_by uuid,
    connected_at timestamp with time zone DEFAULT now() NOT NULL,
    refreshed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT crm_connections_check CHECK (((kind = 'oauth'::text) = (access_expires_at IS NOT NULL))),
    CONSTRAINT crm_connections_check1 CHECK (((status = 'failed'::text) = (failure IS NOT NULL))),
    CONSTRAINT crm_connections_failure_check CHECK ((failure ~ '^[a-z_]{1,60}$'::text)),
    CONSTRAINT crm_connections_hub_domain_check CHECK (((char_length(hub_domain) >= 1) AND (char_length(hub_domain) <= 253))),
    CONSTRAINT crm_connections_key_id_check CHECK (((char_length(key_id) >= 1) AND (char_length(key_id) <= 32))),
    CONSTRAINT crm_connections_kind_check CHECK ((kind = ANY (ARRAY['oauth'::text, 'private_app'::text]))),
    CONSTRAINT crm_connections_last_four_check CHECK (((char_length(last_four) >= 1) AND (char_length(last_four) <= 4))),
    CONSTRAINT crm_connections_portal_id_check CHECK ((portal_id > 0)),
    CONSTRAINT crm_connections_scopes_check CHECK ((cardinality(scopes) <= 100)),
    CONSTRAINT crm_connections_status_check CHECK ((status = ANY (ARRAY['active'::text, 'failed'::text]))),
    CONSTRAINT crm_connections_tokens_sealed_check CHECK (((octet_length(tokens_sealed) >= 30) AND (octet_length(tokens_sealed) <= 16000)))
);

ALTER TABLE ONLY app.crm_connections FORCE ROW LEVEL SECURITY;


ALTER TABLE app.crm_connections OWNER TO palisade_owner;

--
-- Name: crm_outbox; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.crm_outbox (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL,
    local_id uuid,
    remote_id bigint,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts smallint DEFAULT 0 NOT NULL,
    not_before timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    outcome text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT crm_outbox_attempts_check CHECK (((attempts >= 0) AND (attempts <= 10))),
    CONSTRAINT crm_outbox_check CHECK (((kind = 'gdpr_delete'::text) = (local_id IS NULL))),
    CONSTRAINT crm_outbox_check1 CHECK (((kind <> 'gdpr_delete'::text) OR (remote_id IS NOT NULL))),
    CONSTRAINT crm_outbox_kind_check CHECK ((kind = ANY (ARRAY['deal'::text, 'note'::text, 'gdpr_delete'::text]))),
    CONSTRAINT crm_outbox_outcome_check CHECK ((outcome ~ '^[a-z_]{1,60}$'::text)),
    CONSTRAINT crm_outbox_remote_id_check CHECK ((remote_id > 0)),
    CONSTRAINT crm_outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'done'::text, 'failed'::text, 'skipped'::text])))
);

ALTER TABLE ONLY app.crm_outbox FORCE ROW LEVEL SECURITY;


ALTER TABLE app.crm_outbox OWNER TO palisade_owner;

--
-- Name: crm_sync_cursors; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.crm_sync_cursors (
    tenant_id uuid NOT NULL,
    object text NOT NULL,
    window_start timestamp with time zone,
    pass_started_at timestamp with time zone DEFAULT now() NOT NULL,
    after_id bigint DEFAULT 0 NOT NULL,
    pass_total bigint,
    pass_done bigint DEFAULT 0 NOT NULL,
    backfilled_at timestamp with time zone,
    records_in bigint DEFAULT 0 NOT NULL,
    skipped bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT crm_sync_cursors_after_id_check CHECK ((after_id >= 0)),
    CONSTRAINT crm_sync_cursors_object_check CHECK ((object = ANY (ARRAY['contacts'::text, 'deals'::text]))),
    CONSTRAINT crm_sync_cursors_pass_done_check CHECK ((pass_done >= 0)),
    CONSTRAINT crm_sync_cursors_pass_total_check CHECK ((pass_total >= 0)),
    CONSTRAINT crm_sync_cursors_records_in_check CHECK ((records_in >= 0)),
    CONSTRAINT crm_sync_cursors_skipped_check CHECK ((skipped >= 0))
);

ALTER TABLE ONLY app.crm_sync_cursors FORCE ROW LEVEL SECURITY;


ALTER TABLE app.crm_sync_cursors OWNER TO palisade_owner;

--
-- Name: crm_sync_runs; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.crm_sync_runs (
    tenant_id uuid NOT NULL,
    portal_id bigint NOT NULL,
    lease_until timestamp with time zone,
    lease_token uuid,
    next_run_at timestamp with time zone DEFAULT now() NOT NULL,
    last_run_at timestamp with time zone,
    last_success_at timestamp with time zone,
    last_error text,
    last_error_at timestamp with time zone,
    consecutive_failures integer DEFAULT 0 NOT NULL,
    error_reported_at timestamp with time zone,
    records_out bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT crm_sync_runs_consecutive_failures_check CHECK ((consecutive_failures >= 0)),
    CONSTRAINT crm_sync_runs_last_error_check CHECK ((last_error ~ '^[a-z_]{1,60}$'::text)),
    CONSTRAINT crm_sync_runs_portal_id_check CHECK ((portal_id > 0)),
    CONSTRAINT crm_sync_runs_records_out_check CHECK ((records_out >= 0))
);

ALTER TABLE ONLY app.crm_sync_runs FORCE ROW LEVEL SECURITY;


ALTER TABLE app.crm_sync_runs OWNER TO palisade_owner;

--
-- Name: deal_stage_totals; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.deal_stage_totals (
    tenant_id uuid NOT NULL,
    stage text NOT NULL,
    currency text NOT NULL,
    slot smallint NOT NULL,
    deals bigint DEFAULT 0 NOT NULL,
    amount_cents numeric DEFAULT 0 NOT NULL
);

ALTER TABLE ONLY app.deal_stage_totals FORCE ROW LEVEL SECURITY;


ALTER TABLE app.deal_stage_totals OWNER TO palisade_owner;

--
-- Name: deals; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.deals (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    lead_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    title text NOT NULL,
    stage text DEFAULT 'prospect'::text NOT NULL,
    amount_cents bigint DEFAULT 0 NOT NULL,
    currency text DEFAULT 'USD'::text NOT NULL,
    product text,
    closed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    hubspot_id bigint,
    hubspot_modified_at timestamp with time zone,
    CONSTRAINT deals_amount_cents_check CHECK (((amount_cents >= 0) AND (amount_cents <= '10000000000000'::bigint))),
    CONSTRAINT deals_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT deals_hubspot_id_check CHECK ((hubspot_id > 0)),
    CONSTRAINT deals_product_check CHECK ((char_length(product) <= 200)),
    CONSTRAINT deals_stage_check CHECK ((stage = ANY (ARRAY['prospect'::text, 'qualified'::text, 'proposal'::text, 'negotiation'::text, 'won'::text, 'lost'::text]))),
    CONSTRAINT deals_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

ALTER TABLE ONLY app.deals FORCE ROW LEVEL SECURITY;


ALTER TABLE app.deals OWNER TO palisade_owner;

--
-- Name: drafts; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.drafts (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    lead_id uuid,
    channel text NOT NULL,
    subject text,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    source text DEFAULT 'self'::text NOT NULL,
    CONSTRAINT drafts_body_check CHECK (((char_length(body) >= 1) AND (char_length(body) <= 20000))),
    CONSTRAINT drafts_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'email'::text]))),
    CONSTRAINT drafts_no_card CHECK (((NOT ctx.has_unmasked_card(subject)) AND (NOT ctx.has_unmasked_card(body)))),
    CONSTRAINT drafts_source_check CHECK ((source = ANY (ARRAY['self'::text, 'ai'::text]))),
    CONSTRAINT drafts_subject_check CHECK ((char_length(subject) <= 300))
);

ALTER TABLE ONLY app.drafts FORCE ROW LEVEL SECURITY;


ALTER TABLE app.drafts OWNER TO palisade_owner;

--
-- Name: erasures; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.erasures (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    requested_by uuid,
    subject_kind text NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    pending_leads uuid[] NOT NULL,
    leads_total integer NOT NULL,
    counts jsonb DEFAULT '{}'::jsonb NOT NULL,
    correlation_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    requested_via text DEFAULT 'admin'::text NOT NULL,
    CONSTRAINT erasures_check CHECK (((status = 'done'::text) = (finished_at IS NOT NULL))),
    CONSTRAINT erasures_check1 CHECK (((status = 'running'::text) OR (cardinality(pending_leads) = 0))),
    CONSTRAINT erasures_correlation_id_check CHECK ((char_length(correlation_id) <= 200)),
    CONSTRAINT erasures_counts_check CHECK ((jsonb_typeof(counts) = 'object'::text)),
    CONSTRAINT erasures_leads_total_check CHECK ((leads_total >= 0)),
    CONSTRAINT erasures_requested_via_check CHECK ((requested_via = ANY (ARRAY['admin'::text, 'hubspot'::text]))),
    CONSTRAINT erasures_requester CHECK (((requested_via = 'admin'::text) = (requested_by IS NOT NULL))),
    CONSTRAINT erasures_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text]))),
    CONSTRAINT erasures_subject_kind_check CHECK ((subject_kind = ANY (ARRAY['lead'::text, 'phone'::text, 'email'::text])))
);

ALTER TABLE ONLY app.erasures FORCE ROW LEVEL SECURITY;


ALTER TABLE app.erasures OWNER TO palisade_owner;

--
-- Name: error_events; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.error_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    fingerprint text NOT NULL,
    severity text NOT NULL,
    surface text NOT NULL,
    tenant_id uuid,
    code text NOT NULL,
    message text NOT NULL,
    correlation_id text,
    count bigint DEFAULT 1 NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_seen timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT error_events_code_check CHECK (((char_length(code) >= 1) AND (char_length(code) <= 100))),
    CONSTRAINT error_events_message_check CHECK ((char_length(message) <= 1000)),
    CONSTRAINT error_events_severity_check CHECK ((severity = ANY (ARRAY['critical'::text, 'error'::text, 'warning'::text]))),
    CONSTRAINT error_events_surface_check CHECK ((surface = ANY (ARRAY['api'::text, 'worker'::text, 'webhook'::text, 'delivery'::text, 'auth'::text, 'job'::text])))
);

ALTER TABLE ONLY app.error_events FORCE ROW LEVEL SECURITY;


ALTER TABLE app.error_events OWNER TO palisade_owner;

--
-- Name: incident_tenants; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.incident_tenants (
    incident_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    notified_at timestamp with time zone,
    recipients integer
);

ALTER TABLE ONLY app.incident_tenants FORCE ROW LEVEL SECURITY;


ALTER TABLE app.incident_tenants OWNER TO palisade_owner;

--
-- Name: incidents; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.incidents (
    id uuid NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    severity text NOT NULL,
    status text DEFAULT 'open'::text NOT NULL,
    declared_by uuid NOT NULL,
    declared_at timestamp with time zone DEFAULT now() NOT NULL,
    notify_deadline timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT incidents_description_check CHECK (((char_length(description) >= 1) AND (char_length(description) <= 10000))),
    CONSTRAINT incidents_severity_check CHECK ((severity = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text]))),
    CONSTRAINT incidents_status_check CHECK ((status = ANY (ARRAY['open'::text, 'resolved'::text]))),
    CONSTRAINT incidents_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

ALTER TABLE ONLY app.incidents FORCE ROW LEVEL SECURITY;


ALTER TABLE app.incidents OWNER TO palisade_owner;

--
-- Name: integrations; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.integrations (
    tenant_id uuid NOT NULL,
    provider text NOT NULL,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    secret_sealed bytea NOT NULL,
    key_id text NOT NULL,
    last_four text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    set_by uuid,
    set_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT integrations_config_check CHECK (((jsonb_typeof(config) = 'object'::text) AND (octet_length((config)::text) <= 8000))),
    CONSTRAINT integrations_key_id_check CHECK (((char_length(key_id) >= 1) AND (char_length(key_id) <= 32))),
    CONSTRAINT integrations_last_four_check CHECK (((char_length(last_four) >= 1) AND (char_length(last_four) <= 4))),
    CONSTRAINT integrations_provider_check CHECK ((provider = ANY (ARRAY['twilio'::text, 'sendgrid'::text, 'resend'::text, 'meta'::text, 'stripe'::text, 'hubspot'::text, 'openai'::text]))),
    CONSTRAINT integrations_secret_sealed_check CHECK (((octet_length(secret_sealed) >= 30) AND (octet_length(secret_sealed) <= 16000))),
    CONSTRAINT integrations_status_check CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
);

ALTER TABLE ONLY app.integrations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.integrations OWNER TO palisade_owner;

--
-- Name: interactions; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.interactions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    lead_id uuid NOT NULL,
    actor_id uuid NOT NULL,
    channel text NOT NULL,
    direction text NOT NULL,
    body text,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    advised boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT interactions_body_check CHECK ((char_length(body) <= 20000)),
    CONSTRAINT interactions_body_no_card CHECK ((NOT ctx.has_unmasked_card(body))),
    CONSTRAINT interactions_channel_check CHECK ((channel = ANY (ARRAY['call'::text, 'sms'::text, 'whatsapp'::text, 'email'::text, 'meeting'::text, 'note'::text]))),
    CONSTRAINT interactions_direction_check CHECK ((direction = ANY (ARRAY['inbound'::text, 'outbound'::text, 'internal'::text])))
);

ALTER TABLE ONLY app.interactions FORCE ROW LEVEL SECURITY;


ALTER TABLE app.interactions OWNER TO palisade_owner;

--
-- Name: invitations; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.invitations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    email text NOT NULL,
    role text NOT NULL,
    token_hash bytea NOT NULL,
    invited_by uuid NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    accepted_by uuid,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invitations_email_check CHECK ((((char_length(email) >= 3) AND (char_length(email) <= 320)) AND (email ~~ '%_@_%'::text))),
    CONSTRAINT invitations_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'manager'::text, 'rep'::text]))),
    CONSTRAINT invitations_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY app.invitations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.invitations OWNER TO palisade_owner;

--
-- Name: knowledge_entries; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.knowledge_entries (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    language text DEFAULT 'english'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT knowledge_entries_body_check CHECK (((char_length(body) >= 1) AND (char_length(body) <= 200000))),
    CONSTRAINT knowledge_entries_body_check1 CHECK ((NOT ctx.has_unmasked_card(body))),
    CONSTRAINT knowledge_entries_kind_check CHECK ((kind = ANY (ARRAY['faq'::text, 'document'::text]))),
    CONSTRAINT knowledge_entries_language_check CHECK ((language = ANY (ARRAY['simple'::text, 'english'::text, 'spanish'::text, 'german'::text, 'french'::text, 'portuguese'::text, 'italian'::text, 'dutch'::text]))),
    CONSTRAINT knowledge_entries_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 300)))
);

ALTER TABLE ONLY app.knowledge_entries FORCE ROW LEVEL SECURITY;


ALTER TABLE app.knowledge_entries OWNER TO palisade_owner;

--
-- Name: knowledge_passages; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.knowledge_passages (
    tenant_id uuid NOT NULL,
    entry_id uuid NOT NULL,
    ord integer NOT NULL,
    language text NOT NULL,
    heading text NOT NULL,
    text text NOT NULL,
    search tsvector GENERATED ALWAYS AS ((setweight(to_tsvector(app.knowledge_config(language), heading), 'A'::"char") || setweight(to_tsvector(app.knowledge_config(language), text), 'B'::"char"))) STORED,
    CONSTRAINT knowledge_passages_heading_check CHECK (((char_length(heading) >= 1) AND (char_length(heading) <= 300))),
    CONSTRAINT knowledge_passages_ord_check CHECK ((ord >= 0)),
    CONSTRAINT knowledge_passages_text_check CHECK (((char_length(text) >= 1) AND (char_length(text) <= 4000)))
);

ALTER TABLE ONLY app.knowledge_passages FORCE ROW LEVEL SECURITY;


ALTER TABLE app.knowledge_passages OWNER TO palisade_owner;

--
-- Name: leads; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.leads (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    name text NOT NULL,
    email text,
    status text DEFAULT 'new'::text NOT NULL,
    source text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    phone_sealed bytea,
    phone_index bytea,
    email_index bytea,
    hubspot_id bigint,
    hubspot_modified_at timestamp with time zone,
    CONSTRAINT leads_email_check CHECK ((char_length(email) <= 320)),
    CONSTRAINT leads_email_index_check CHECK (((octet_length(email_index) >= 34) AND (octet_length(email_index) <= 70))),
    CONSTRAINT leads_hubspot_id_check CHECK ((hubspot_id > 0)),
    CONSTRAINT leads_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT leads_phone_index_check CHECK (((octet_length(phone_index) >= 34) AND (octet_length(phone_index) <= 70))),
    CONSTRAINT leads_phone_sealed_check CHECK (((octet_length(phone_sealed) >= 30) AND (octet_length(phone_sealed) <= 200))),
    CONSTRAINT leads_phone_sealed_with_index CHECK (((phone_sealed IS NULL) = (phone_index IS NULL))),
    CONSTRAINT leads_source_check CHECK ((char_length(source) <= 100)),
    CONSTRAINT leads_status_check CHECK ((status = ANY (ARRAY['new'::text, 'contacted'::text, 'qualified'::text, 'unqualified'::text, 'customer'::text, 'lost'::text])))
);

ALTER TABLE ONLY app.leads FORCE ROW LEVEL SECURITY;


ALTER TABLE app.leads OWNER TO palisade_owner;

--
-- Name: member_phones; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.member_phones (
    tenant_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    phone_sealed bytea NOT NULL,
    phone_index bytea NOT NULL,
    verified_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT member_phones_phone_index_check CHECK (((octet_length(phone_index) >= 34) AND (octet_length(phone_index) <= 70))),
    CONSTRAINT member_phones_phone_sealed_check CHECK (((octet_length(phone_sealed) >= 30) AND (octet_length(phone_sealed) <= 200)))
);

ALTER TABLE ONLY app.member_phones FORCE ROW LEVEL SECURITY;


ALTER TABLE app.member_phones OWNER TO palisade_owner;

--
-- Name: memberships; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.memberships (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    status_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    sessions_revoked_at timestamp with time zone,
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'manager'::text, 'rep'::text]))),
    CONSTRAINT memberships_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'removed'::text])))
);

ALTER TABLE ONLY app.memberships FORCE ROW LEVEL SECURITY;


ALTER TABLE app.memberships OWNER TO palisade_owner;

--
-- Name: message_templates; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.message_templates (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    channel text NOT NULL,
    purpose text NOT NULL,
    subject text,
    body text NOT NULL,
    created_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT message_templates_body_check CHECK ((((char_length(body) >= 1) AND (char_length(body) <= 10000)) AND (NOT ctx.has_unmasked_card(body)))),
    CONSTRAINT message_templates_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'email'::text]))),
    CONSTRAINT message_templates_check CHECK (((channel = 'email'::text) = (subject IS NOT NULL))),
    CONSTRAINT message_templates_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 100))),
    CONSTRAINT message_templates_purpose_check CHECK ((purpose = ANY (ARRAY['marketing'::text, 'service'::text]))),
    CONSTRAINT message_templates_subject_check CHECK ((((char_length(subject) >= 1) AND (char_length(subject) <= 300)) AND (NOT ctx.has_unmasked_card(subject))))
);

ALTER TABLE ONLY app.message_templates FORCE ROW LEVEL SECURITY;


ALTER TABLE app.message_templates OWNER TO palisade_owner;

--
-- Name: outbound_messages; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.outbound_messages (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    lead_id uuid,
    member_id uuid,
    channel text NOT NULL,
    purpose text NOT NULL,
    subject text,
    body text NOT NULL,
    status text DEFAULT 'queued'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    provider_message_id text,
    last_error text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    brief_on date,
    template_id uuid,
    written_by_ai boolean DEFAULT false NOT NULL,
    CONSTRAINT outbound_messages_attempts_check CHECK (((attempts >= 0) AND (attempts <= 100))),
    CONSTRAINT outbound_messages_body_check CHECK ((((char_length(body) >= 1) AND (char_length(body) <= 10000)) AND (NOT ctx.has_unmasked_card(body)))),
    CONSTRAINT outbound_messages_brief_check CHECK (((purpose = 'brief'::text) = ((brief_on IS NOT NULL) AND (member_id IS NOT NULL)))),
    CONSTRAINT outbound_messages_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'email'::text]))),
    CONSTRAINT outbound_messages_check CHECK ((num_nonnulls(lead_id, member_id) = 1)),
    CONSTRAINT outbound_messages_last_error_check CHECK ((char_length(last_error) <= 300)),
    CONSTRAINT outbound_messages_member_purpose_check CHECK (((member_id IS NULL) OR (purpose = ANY (ARRAY['brief'::text, 'help'::text, 'opt_out_confirmation'::text, 'verification'::text])))),
    CONSTRAINT outbound_messages_provider_message_id_check CHECK ((char_length(provider_message_id) <= 100)),
    CONSTRAINT outbound_messages_purpose_check CHECK ((purpose = ANY (ARRAY['marketing'::text, 'service'::text, 'brief'::text, 'help'::text, 'opt_out_confirmation'::text, 'verification'::text]))),
    CONSTRAINT outbound_messages_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'sending'::text, 'sent'::text, 'delivered'::text, 'failed'::text, 'blocked'::text, 'undelivered'::text]))),
    CONSTRAINT outbound_messages_subject_check CHECK (((char_length(subject) <= 300) AND (NOT ctx.has_unmasked_card(subject))))
);

ALTER TABLE ONLY app.outbound_messages FORCE ROW LEVEL SECURITY;


ALTER TABLE app.outbound_messages OWNER TO palisade_owner;

--
-- Name: phone_verifications; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.phone_verifications (
    tenant_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    phone_index bytea NOT NULL,
    code_sha256 bytea NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT phone_verifications_attempts_check CHECK (((attempts >= 0) AND (attempts <= 5))),
    CONSTRAINT phone_verifications_code_sha256_check CHECK ((octet_length(code_sha256) = 32)),
    CONSTRAINT phone_verifications_phone_index_check CHECK (((octet_length(phone_index) >= 34) AND (octet_length(phone_index) <= 70)))
);

ALTER TABLE ONLY app.phone_verifications FORCE ROW LEVEL SECURITY;


ALTER TABLE app.phone_verifications OWNER TO palisade_owner;

--
-- Name: platform_admins; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.platform_admins (
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY app.platform_admins FORCE ROW LEVEL SECURITY;


ALTER TABLE app.platform_admins OWNER TO palisade_owner;

--
-- Name: retention_settings; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.retention_settings (
    tenant_id uuid NOT NULL,
    data_class text NOT NULL,
    keep_days integer,
    set_by uuid,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT retention_settings_check CHECK ((keep_days >= app.retention_minimum(data_class))),
    CONSTRAINT retention_settings_data_class_check CHECK ((data_class = ANY (ARRAY['interactions'::text, 'transcripts'::text, 'messages'::text, 'drafts'::text, 'webhook_events'::text, 'error_events'::text, 'access_log'::text]))),
    CONSTRAINT retention_settings_keep_days_check CHECK (((keep_days >= 1) AND (keep_days <= 36500)))
);

ALTER TABLE ONLY app.retention_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.retention_settings OWNER TO palisade_owner;

--
-- Name: suppressions; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.suppressions (
    tenant_id uuid NOT NULL,
    channel text NOT NULL,
    address_index bytea NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT suppressions_address_index_check CHECK (((octet_length(address_index) >= 34) AND (octet_length(address_index) <= 70))),
    CONSTRAINT suppressions_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'email'::text]))),
    CONSTRAINT suppressions_reason_check CHECK ((reason = ANY (ARRAY['stop'::text, 'erasure'::text, 'bounce'::text, 'complaint'::text, 'admin'::text])))
);

ALTER TABLE ONLY app.suppressions FORCE ROW LEVEL SECURITY;


ALTER TABLE app.suppressions OWNER TO palisade_owner;

--
-- Name: tenants; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.tenants (
    id uuid NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    require_mfa boolean DEFAULT false NOT NULL,
    sign_in_methods text[] DEFAULT '{magic_link,oidc,password}'::text[] NOT NULL,
    email_domains text[] DEFAULT '{}'::text[] NOT NULL,
    phone_region text DEFAULT 'US'::text NOT NULL,
    help_text text DEFAULT 'Reply STOP to opt out, START to opt back in. Msg & data rates may apply.'::text NOT NULL,
    unknown_senders text DEFAULT 'create_lead'::text NOT NULL,
    inbound_owner_id uuid,
    CONSTRAINT tenants_email_domains_check CHECK (((cardinality(email_domains) <= 50) AND ((email_domains)::text = lower((email_domains)::text)))),
    CONSTRAINT tenants_help_text_check CHECK (((char_length(help_text) >= 1) AND (char_length(help_text) <= 320))),
    CONSTRAINT tenants_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT tenants_phone_region_check CHECK ((phone_region ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT tenants_sign_in_methods_check CHECK (((sign_in_methods <@ ARRAY['magic_link'::text, 'oidc'::text, 'password'::text]) AND (cardinality(sign_in_methods) > 0))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'::text)),
    CONSTRAINT tenants_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'terminating'::text, 'purging'::text, 'purged'::text]))),
    CONSTRAINT tenants_unknown_senders_check CHECK ((unknown_senders = ANY (ARRAY['create_lead'::text, 'ignore'::text])))
);

ALTER TABLE ONLY app.tenants FORCE ROW LEVEL SECURITY;


ALTER TABLE app.tenants OWNER TO palisade_owner;

--
-- Name: terminations; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.terminations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    requested_by uuid,
    requested_at timestamp with time zone NOT NULL,
    purge_after timestamp with time zone NOT NULL,
    canceled_by uuid,
    canceled_at timestamp with time zone,
    purge_started_at timestamp with time zone,
    purged_at timestamp with time zone,
    counts jsonb DEFAULT '{}'::jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT terminations_check CHECK ((purge_after >= requested_at)),
    CONSTRAINT terminations_check1 CHECK (((canceled_at IS NULL) OR (purge_started_at IS NULL))),
    CONSTRAINT terminations_check2 CHECK (((purged_at IS NULL) OR (purge_started_at IS NOT NULL))),
    CONSTRAINT terminations_counts_check CHECK ((jsonb_typeof(counts) = 'object'::text))
);

ALTER TABLE ONLY app.terminations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.terminations OWNER TO palisade_owner;

--
-- Name: users; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.users (
    id uuid NOT NULL,
    email text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    CONSTRAINT users_display_name_check CHECK ((char_length(display_name) <= 200)),
    CONSTRAINT users_email_check CHECK ((((char_length(email) >= 3) AND (char_length(email) <= 320)) AND (email ~~ '%_@_%'::text)))
);

ALTER TABLE ONLY app.users FORCE ROW LEVEL SECURITY;


ALTER TABLE app.users OWNER TO palisade_owner;

--
-- Name: voice_consents; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.voice_consents (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    text_version text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    withdrawn_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT voice_consents_check CHECK (((withdrawn_at IS NULL) OR (withdrawn_at >= granted_at))),
    CONSTRAINT voice_consents_text_version_check CHECK (((char_length(text_version) >= 1) AND (char_length(text_version) <= 100)))
);

ALTER TABLE ONLY app.voice_consents FORCE ROW LEVEL SECURITY;


ALTER TABLE app.voice_consents OWNER TO palisade_owner;

--
-- Name: voice_samples; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.voice_samples (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    label text NOT NULL,
    storage_key text NOT NULL,
    duration_ms integer NOT NULL,
    transcript text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT voice_samples_duration_ms_check CHECK (((duration_ms >= 1) AND (duration_ms <= 3600000))),
    CONSTRAINT voice_samples_label_check CHECK (((char_length(label) >= 1) AND (char_length(label) <= 200))),
    CONSTRAINT voice_samples_storage_key_check CHECK (((char_length(storage_key) >= 1) AND (char_length(storage_key) <= 500))),
    CONSTRAINT voice_samples_transcript_check CHECK ((char_length(transcript) <= 100000)),
    CONSTRAINT voice_samples_transcript_no_card CHECK ((NOT ctx.has_unmasked_card(transcript)))
);

ALTER TABLE ONLY app.voice_samples FORCE ROW LEVEL SECURITY;


ALTER TABLE app.voice_samples OWNER TO palisade_owner;

--
-- Name: webhook_events; Type: TABLE; Schema: app; Owner: palisade_owner
--

CREATE TABLE app.webhook_events (
    tenant_id uuid NOT NULL,
    provider text NOT NULL,
    event_id text NOT NULL,
    kind text NOT NULL,
    status text DEFAULT 'processed'::text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    result jsonb,
    CONSTRAINT webhook_events_event_id_check CHECK (((char_length(event_id) >= 1) AND (char_length(event_id) <= 200))),
    CONSTRAINT webhook_events_kind_check CHECK (((char_length(kind) >= 1) AND (char_length(kind) <= 100))),
    CONSTRAINT webhook_events_provider_check CHECK ((provider = ANY (ARRAY['twilio'::text, 'sendgrid'::text, 'resend'::text, 'meta'::text, 'stripe'::text, 'hubspot'::text, 'ingest'::text]))),
    CONSTRAINT webhook_events_result_check CHECK (((result IS NULL) OR (octet_length((result)::text) <= 4000))),
    CONSTRAINT webhook_events_status_check CHECK ((status = ANY (ARRAY['processed'::text, 'ignored'::text, 'failed'::text])))
);

ALTER TABLE ONLY app.webhook_events FORCE ROW LEVEL SECURITY;


ALTER TABLE app.webhook_events OWNER TO palisade_owner;

--
-- Name: access_events; Type: TABLE; Schema: audit; Owner: palisade_owner
--

CREATE TABLE audit.access_events (
    id bigint NOT NULL,
    tenant_id uuid,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    purpose text,
    action text NOT NULL,
    target_type text,
    target_id text,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    client_ip inet,
    correlation_id text,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT access_events_action_check CHECK ((action = ANY (ARRAY['audit_export'::text, 'data_export'::text, 'phone_reveal'::text, 'secret_decrypt'::text, 'sign_in'::text, 'sign_in_failed'::text, 'sign_out'::text, 'sessions_ended'::text, 'refresh_token_reuse'::text, 'mfa_change'::text, 'mfa_verified'::text, 'mfa_failed'::text, 'password_change'::text, 'role_change'::text, 'member_added'::text, 'member_removed'::text, 'settings_change'::text, 'audit_redaction'::text, 'identity_linked'::text, 'identity_unlinked'::text, 'webhook_rejected'::text, 'member_suspended'::text, 'member_reinstated'::text, 'member_left'::text, 'platform_admin_granted'::text, 'platform_admin_revoked'::text, 'erasure'::text, 'account_deleted'::text, 'tenant_terminating'::text, 'tenant_termination_canceled'::text]))),
    CONSTRAINT access_events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT access_events_detail_check CHECK ((octet_length((detail)::text) <= 4000)),
    CONSTRAINT access_events_target_id_check CHECK ((char_length(target_id) <= 200)),
    CONSTRAINT access_events_target_type_check CHECK ((char_length(target_type) <= 100))
);

ALTER TABLE ONLY audit.access_events FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.access_events OWNER TO palisade_owner;

--
-- Name: access_events_id_seq; Type: SEQUENCE; Schema: audit; Owner: palisade_owner
--

ALTER TABLE audit.access_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.access_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: chain_anchors; Type: TABLE; Schema: audit; Owner: palisade_owner
--

CREATE TABLE audit.chain_anchors (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chain_anchors_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_anchors FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_anchors OWNER TO palisade_owner;

--
-- Name: chain_heads; Type: TABLE; Schema: audit; Owner: palisade_owner
--

CREATE TABLE audit.chain_heads (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chain_heads_hash_check CHECK ((octet_length(hash) = 32)),
    CONSTRAINT chain_heads_seq_check CHECK ((seq >= 1))
);

ALTER TABLE ONLY audit.chain_heads FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_heads OWNER TO palisade_owner;

--
-- Name: chain_links; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY audit.chain_links FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links OWNER TO palisade_definer;

--
-- Name: chain_links_p2026_12; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2026_12 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2026_12 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2026_12 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_01; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_01 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_01 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_01 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_02; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_02 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_02 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_02 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_03; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_03 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_03 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_03 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_04; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_04 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_04 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_04 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_05; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_05 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_05 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_05 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_06; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_06 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_06 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_06 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_07; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_07 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_07 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_07 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_08; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_08 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_08 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_08 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_09; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_09 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_09 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_09 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_10; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_10 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_10 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_10 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_11; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_11 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_11 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_11 OWNER TO palisade_definer;

--
-- Name: chain_links_p2027_12; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.chain_links_p2027_12 (
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT chain_links_hash_check CHECK ((octet_length(hash) = 32))
);

ALTER TABLE ONLY audit.chain_links_p2027_12 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.chain_links_p2027_12 OWNER TO palisade_definer;

--
-- Name: event_windows; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.event_windows (
    "grouping" text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    tenant_id uuid,
    action text NOT NULL,
    actor_user_id uuid,
    purpose text,
    detail jsonb NOT NULL,
    occurrences bigint DEFAULT 1 NOT NULL,
    first_at timestamp with time zone NOT NULL,
    last_at timestamp with time zone NOT NULL,
    client_ip inet,
    client_ips inet[] DEFAULT '{}'::inet[] NOT NULL,
    CONSTRAINT event_windows_action_check CHECK ((action = ANY (ARRAY['webhook_rejected'::text, 'sign_in_failed'::text, 'refresh_token_reuse'::text]))),
    CONSTRAINT event_windows_client_ips_check CHECK ((cardinality(client_ips) <= 10)),
    CONSTRAINT event_windows_detail_check CHECK ((octet_length((detail)::text) <= 1000)),
    CONSTRAINT event_windows_occurrences_check CHECK ((occurrences >= 1))
);

ALTER TABLE ONLY audit.event_windows FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.event_windows OWNER TO palisade_definer;

--
-- Name: events; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events (
    id bigint NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE ONLY audit.events FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events OWNER TO palisade_definer;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: audit; Owner: palisade_definer
--

CREATE SEQUENCE audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE audit.events_id_seq OWNER TO palisade_definer;

--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: audit; Owner: palisade_definer
--

ALTER SEQUENCE audit.events_id_seq OWNED BY audit.events.id;


--
-- Name: events_p2026_12; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2026_12 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2026_12 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2026_12 OWNER TO palisade_definer;

--
-- Name: events_p2027_01; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_01 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_01 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_01 OWNER TO palisade_definer;

--
-- Name: events_p2027_02; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_02 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_02 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_02 OWNER TO palisade_definer;

--
-- Name: events_p2027_03; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_03 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_03 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_03 OWNER TO palisade_definer;

--
-- Name: events_p2027_04; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_04 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_04 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_04 OWNER TO palisade_definer;

--
-- Name: events_p2027_05; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_05 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_05 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_05 OWNER TO palisade_definer;

--
-- Name: events_p2027_06; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_06 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_06 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_06 OWNER TO palisade_definer;

--
-- Name: events_p2027_07; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_07 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_07 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_07 OWNER TO palisade_definer;

--
-- Name: events_p2027_08; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_08 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_08 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_08 OWNER TO palisade_definer;

--
-- Name: events_p2027_09; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_09 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_09 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_09 OWNER TO palisade_definer;

--
-- Name: events_p2027_10; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_10 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_10 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_10 OWNER TO palisade_definer;

--
-- Name: events_p2027_11; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_11 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_11 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_11 OWNER TO palisade_definer;

--
-- Name: events_p2027_12; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.events_p2027_12 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    chain_id uuid NOT NULL,
    tenant_id uuid,
    table_name text NOT NULL,
    op text NOT NULL,
    row_key text NOT NULL,
    actor_user_id uuid,
    actor_kind text NOT NULL,
    actor_role text,
    purpose text,
    correlation_id text,
    lead_id uuid,
    owner_id uuid,
    private boolean NOT NULL,
    before jsonb,
    after jsonb,
    content_hash bytea NOT NULL,
    redacted_at timestamp with time zone,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'service'::text, 'system'::text]))),
    CONSTRAINT events_content_hash_check CHECK ((octet_length(content_hash) = 32)),
    CONSTRAINT events_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE ONLY audit.events_p2027_12 FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.events_p2027_12 OWNER TO palisade_definer;

--
-- Name: pending; Type: TABLE; Schema: audit; Owner: palisade_definer
--

CREATE TABLE audit.pending (
    event_id bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY audit.pending FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.pending OWNER TO palisade_definer;

--
-- Name: settings; Type: TABLE; Schema: audit; Owner: palisade_owner
--

CREATE TABLE audit.settings (
    id boolean DEFAULT true NOT NULL,
    retention_months integer DEFAULT 84 NOT NULL,
    CONSTRAINT settings_id_check CHECK (id),
    CONSTRAINT settings_retention_months_check CHECK (((retention_months >= 1) AND (retention_months <= 1200)))
);

ALTER TABLE ONLY audit.settings FORCE ROW LEVEL SECURITY;


ALTER TABLE audit.settings OWNER TO palisade_owner;

--
-- Name: identities; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.identities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    issuer text NOT NULL,
    subject text NOT NULL,
    user_id uuid NOT NULL,
    email text,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone NOT NULL,
    CONSTRAINT identities_email_check CHECK ((char_length(email) <= 320)),
    CONSTRAINT identities_issuer_check CHECK (((char_length(issuer) >= 1) AND (char_length(issuer) <= 500))),
    CONSTRAINT identities_subject_check CHECK (((char_length(subject) >= 1) AND (char_length(subject) <= 255)))
);

ALTER TABLE ONLY auth.identities FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.identities OWNER TO palisade_owner;

--
-- Name: magic_links; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.magic_links (
    token_hash bytea NOT NULL,
    email text NOT NULL,
    nonce_hash bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT magic_links_email_check CHECK (((char_length(email) >= 3) AND (char_length(email) <= 320))),
    CONSTRAINT magic_links_nonce_hash_check CHECK ((octet_length(nonce_hash) = 32)),
    CONSTRAINT magic_links_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY auth.magic_links FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.magic_links OWNER TO palisade_owner;

--
-- Name: password_credentials; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.password_credentials (
    user_id uuid NOT NULL,
    hash text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT password_credentials_hash_check CHECK (((hash ~~ '$argon2id$%'::text) AND (char_length(hash) <= 200)))
);

ALTER TABLE ONLY auth.password_credentials FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.password_credentials OWNER TO palisade_owner;

--
-- Name: recovery_codes; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.recovery_codes (
    user_id uuid NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT recovery_codes_code_hash_check CHECK ((octet_length(code_hash) = 32))
);

ALTER TABLE ONLY auth.recovery_codes FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.recovery_codes OWNER TO palisade_owner;

--
-- Name: refresh_tokens; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.refresh_tokens (
    token_hash bytea NOT NULL,
    session_id uuid NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT refresh_tokens_token_hash_check CHECK ((octet_length(token_hash) = 32))
);

ALTER TABLE ONLY auth.refresh_tokens FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.refresh_tokens OWNER TO palisade_owner;

--
-- Name: sessions; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind text NOT NULL,
    secret_hash bytea,
    method text NOT NULL,
    mfa_required boolean DEFAULT false NOT NULL,
    mfa_verified_at timestamp with time zone,
    mfa_failures integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    end_reason text,
    user_agent text DEFAULT ''::text NOT NULL,
    client_ip inet,
    CONSTRAINT sessions_check CHECK (((kind = 'browser'::text) = (secret_hash IS NOT NULL))),
    CONSTRAINT sessions_check1 CHECK (((ended_at IS NULL) = (end_reason IS NULL))),
    CONSTRAINT sessions_check2 CHECK ((expires_at > created_at)),
    CONSTRAINT sessions_end_reason_check CHECK ((end_reason = ANY (ARRAY['logout'::text, 'ended_by_user'::text, 'ended_by_admin'::text, 'refresh_reuse'::text, 'user_disabled'::text, 'mfa_failures'::text]))),
    CONSTRAINT sessions_kind_check CHECK ((kind = ANY (ARRAY['browser'::text, 'api'::text]))),
    CONSTRAINT sessions_method_check CHECK ((method = ANY (ARRAY['magic_link'::text, 'oidc'::text, 'password'::text]))),
    CONSTRAINT sessions_secret_hash_check CHECK ((octet_length(secret_hash) = 32)),
    CONSTRAINT sessions_user_agent_check CHECK ((char_length(user_agent) <= 200))
);

ALTER TABLE ONLY auth.sessions FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.sessions OWNER TO palisade_owner;

--
-- Name: totp_factors; Type: TABLE; Schema: auth; Owner: palisade_owner
--

CREATE TABLE auth.totp_factors (
    user_id uuid NOT NULL,
    secret_sealed bytea NOT NULL,
    key_id text NOT NULL,
    confirmed_at timestamp with time zone,
    last_used_step bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY auth.totp_factors FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.totp_factors OWNER TO palisade_owner;

--
-- Name: key_checks; Type: TABLE; Schema: palisade_meta; Owner: palisade_owner
--

CREATE TABLE palisade_meta.key_checks (
    keyring text NOT NULL,
    key_id text NOT NULL,
    check_value bytea NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT key_checks_check_value_check CHECK ((octet_length(check_value) = 16)),
    CONSTRAINT key_checks_key_id_check CHECK ((key_id ~ '^[A-Za-z0-9_-]{1,32}$'::text)),
    CONSTRAINT key_checks_keyring_check CHECK ((keyring = ANY (ARRAY['seal'::text, 'index'::text])))
);

ALTER TABLE ONLY palisade_meta.key_checks FORCE ROW LEVEL SECURITY;


ALTER TABLE palisade_meta.key_checks OWNER TO palisade_owner;

--
-- Name: schema_migrations; Type: TABLE; Schema: palisade_meta; Owner: palisade_owner
--

CREATE TABLE palisade_meta.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY palisade_meta.schema_migrations FORCE ROW LEVEL SECURITY;


ALTER TABLE palisade_meta.schema_migrations OWNER TO palisade_owner;

--
-- Name: chain_links_p2026_12; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2026_12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: chain_links_p2027_01; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: chain_links_p2027_02; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: chain_links_p2027_03; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_03 FOR VALUES FROM ('2027-03-01 00:00:00+00') TO ('2027-04-01 00:00:00+00');


--
-- Name: chain_links_p2027_04; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_04 FOR VALUES FROM ('2027-04-01 00:00:00+00') TO ('2027-05-01 00:00:00+00');


--
-- Name: chain_links_p2027_05; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_05 FOR VALUES FROM ('2027-05-01 00:00:00+00') TO ('2027-06-01 00:00:00+00');


--
-- Name: chain_links_p2027_06; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_06 FOR VALUES FROM ('2027-06-01 00:00:00+00') TO ('2027-07-01 00:00:00+00');


--
-- Name: chain_links_p2027_07; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_07 FOR VALUES FROM ('2027-07-01 00:00:00+00') TO ('2027-08-01 00:00:00+00');


--
-- Name: chain_links_p2027_08; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_08 FOR VALUES FROM ('2027-08-01 00:00:00+00') TO ('2027-09-01 00:00:00+00');


--
-- Name: chain_links_p2027_09; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_09 FOR VALUES FROM ('2027-09-01 00:00:00+00') TO ('2027-10-01 00:00:00+00');


--
-- Name: chain_links_p2027_10; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_10 FOR VALUES FROM ('2027-10-01 00:00:00+00') TO ('2027-11-01 00:00:00+00');


--
-- Name: chain_links_p2027_11; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_11 FOR VALUES FROM ('2027-11-01 00:00:00+00') TO ('2027-12-01 00:00:00+00');


--
-- Name: chain_links_p2027_12; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links ATTACH PARTITION audit.chain_links_p2027_12 FOR VALUES FROM ('2027-12-01 00:00:00+00') TO ('2028-01-01 00:00:00+00');


--
-- Name: events_p2026_12; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2026_12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: events_p2027_01; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: events_p2027_02; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: events_p2027_03; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_03 FOR VALUES FROM ('2027-03-01 00:00:00+00') TO ('2027-04-01 00:00:00+00');


--
-- Name: events_p2027_04; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_04 FOR VALUES FROM ('2027-04-01 00:00:00+00') TO ('2027-05-01 00:00:00+00');


--
-- Name: events_p2027_05; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_05 FOR VALUES FROM ('2027-05-01 00:00:00+00') TO ('2027-06-01 00:00:00+00');


--
-- Name: events_p2027_06; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_06 FOR VALUES FROM ('2027-06-01 00:00:00+00') TO ('2027-07-01 00:00:00+00');


--
-- Name: events_p2027_07; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_07 FOR VALUES FROM ('2027-07-01 00:00:00+00') TO ('2027-08-01 00:00:00+00');


--
-- Name: events_p2027_08; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_08 FOR VALUES FROM ('2027-08-01 00:00:00+00') TO ('2027-09-01 00:00:00+00');


--
-- Name: events_p2027_09; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_09 FOR VALUES FROM ('2027-09-01 00:00:00+00') TO ('2027-10-01 00:00:00+00');


--
-- Name: events_p2027_10; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_10 FOR VALUES FROM ('2027-10-01 00:00:00+00') TO ('2027-11-01 00:00:00+00');


--
-- Name: events_p2027_11; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_11 FOR VALUES FROM ('2027-11-01 00:00:00+00') TO ('2027-12-01 00:00:00+00');


--
-- Name: events_p2027_12; Type: TABLE ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_p2027_12 FOR VALUES FROM ('2027-12-01 00:00:00+00') TO ('2028-01-01 00:00:00+00');


--
-- Name: events id; Type: DEFAULT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events ALTER COLUMN id SET DEFAULT nextval('audit.events_id_seq'::regclass);


--
-- Name: activity_daily activity_daily_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.activity_daily
    ADD CONSTRAINT activity_daily_pkey PRIMARY KEY (tenant_id, day, actor_id, slot);


--
-- Name: ai_settings ai_settings_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.ai_settings
    ADD CONSTRAINT ai_settings_pkey PRIMARY KEY (tenant_id);


--
-- Name: ai_usage ai_usage_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.ai_usage
    ADD CONSTRAINT ai_usage_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: assistant_holds assistant_holds_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_holds
    ADD CONSTRAINT assistant_holds_pkey PRIMARY KEY (tenant_id, lead_id, channel);


--
-- Name: assistant_tasks assistant_tasks_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_tasks
    ADD CONSTRAINT assistant_tasks_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: assistant_tasks assistant_tasks_tenant_id_interaction_id_kind_key; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_tasks
    ADD CONSTRAINT assistant_tasks_tenant_id_interaction_id_kind_key UNIQUE (tenant_id, interaction_id, kind);


--
-- Name: brief_preferences brief_preferences_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.brief_preferences
    ADD CONSTRAINT brief_preferences_pkey PRIMARY KEY (tenant_id, owner_id);


--
-- Name: coaching_observations coaching_observations_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.coaching_observations
    ADD CONSTRAINT coaching_observations_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: consent_events consent_events_not_in_future; Type: CHECK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.consent_events
    ADD CONSTRAINT consent_events_not_in_future CHECK ((occurred_at <= (created_at + '00:05:00'::interval))) NOT VALID;


--
-- Name: consent_events consent_events_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.consent_events
    ADD CONSTRAINT consent_events_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: crm_connections crm_connections_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_connections
    ADD CONSTRAINT crm_connections_pkey PRIMARY KEY (tenant_id);


--
-- Name: crm_outbox crm_outbox_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_outbox
    ADD CONSTRAINT crm_outbox_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: crm_sync_cursors crm_sync_cursors_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_sync_cursors
    ADD CONSTRAINT crm_sync_cursors_pkey PRIMARY KEY (tenant_id, object);


--
-- Name: crm_sync_runs crm_sync_runs_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_sync_runs
    ADD CONSTRAINT crm_sync_runs_pkey PRIMARY KEY (tenant_id);


--
-- Name: deal_stage_totals deal_stage_totals_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deal_stage_totals
    ADD CONSTRAINT deal_stage_totals_pkey PRIMARY KEY (tenant_id, stage, currency, slot);


--
-- Name: deals deals_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deals
    ADD CONSTRAINT deals_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: erasures erasures_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.erasures
    ADD CONSTRAINT erasures_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: error_events error_events_fingerprint_key; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.error_events
    ADD CONSTRAINT error_events_fingerprint_key UNIQUE (fingerprint);


--
-- Name: error_events error_events_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.error_events
    ADD CONSTRAINT error_events_pkey PRIMARY KEY (id);


--
-- Name: incident_tenants incident_tenants_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.incident_tenants
    ADD CONSTRAINT incident_tenants_pkey PRIMARY KEY (incident_id, tenant_id);


--
-- Name: incidents incidents_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.incidents
    ADD CONSTRAINT incidents_pkey PRIMARY KEY (id);


--
-- Name: integrations integrations_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.integrations
    ADD CONSTRAINT integrations_pkey PRIMARY KEY (tenant_id, provider);


--
-- Name: interactions interactions_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.interactions
    ADD CONSTRAINT interactions_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.invitations
    ADD CONSTRAINT invitations_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: invitations invitations_token_hash_key; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.invitations
    ADD CONSTRAINT invitations_token_hash_key UNIQUE (token_hash);


--
-- Name: knowledge_entries knowledge_entries_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.knowledge_entries
    ADD CONSTRAINT knowledge_entries_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: knowledge_passages knowledge_passages_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.knowledge_passages
    ADD CONSTRAINT knowledge_passages_pkey PRIMARY KEY (tenant_id, entry_id, ord);


--
-- Name: leads leads_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.leads
    ADD CONSTRAINT leads_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: member_phones member_phones_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.member_phones
    ADD CONSTRAINT member_phones_pkey PRIMARY KEY (tenant_id, owner_id);


--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id);


--
-- Name: message_templates message_templates_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.message_templates
    ADD CONSTRAINT message_templates_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: outbound_messages outbound_messages_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: phone_verifications phone_verifications_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.phone_verifications
    ADD CONSTRAINT phone_verifications_pkey PRIMARY KEY (tenant_id, owner_id);


--
-- Name: platform_admins platform_admins_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.platform_admins
    ADD CONSTRAINT platform_admins_pkey PRIMARY KEY (user_id);


--
-- Name: retention_settings retention_settings_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.retention_settings
    ADD CONSTRAINT retention_settings_pkey PRIMARY KEY (tenant_id, data_class);


--
-- Name: suppressions suppressions_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.suppressions
    ADD CONSTRAINT suppressions_pkey PRIMARY KEY (tenant_id, channel, address_index);


--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);


--
-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);


--
-- Name: terminations terminations_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.terminations
    ADD CONSTRAINT terminations_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: voice_consents voice_consents_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_consents
    ADD CONSTRAINT voice_consents_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: voice_samples voice_samples_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_samples
    ADD CONSTRAINT voice_samples_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: webhook_events webhook_events_pkey; Type: CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.webhook_events
    ADD CONSTRAINT webhook_events_pkey PRIMARY KEY (tenant_id, provider, event_id);


--
-- Name: access_events access_events_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_owner
--

ALTER TABLE ONLY audit.access_events
    ADD CONSTRAINT access_events_pkey PRIMARY KEY (id);


--
-- Name: chain_anchors chain_anchors_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_owner
--

ALTER TABLE ONLY audit.chain_anchors
    ADD CONSTRAINT chain_anchors_pkey PRIMARY KEY (chain_id);


--
-- Name: chain_heads chain_heads_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_owner
--

ALTER TABLE ONLY audit.chain_heads
    ADD CONSTRAINT chain_heads_pkey PRIMARY KEY (chain_id);


--
-- Name: chain_links chain_links_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links
    ADD CONSTRAINT chain_links_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2026_12 chain_links_p2026_12_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2026_12
    ADD CONSTRAINT chain_links_p2026_12_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_01 chain_links_p2027_01_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_01
    ADD CONSTRAINT chain_links_p2027_01_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_02 chain_links_p2027_02_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_02
    ADD CONSTRAINT chain_links_p2027_02_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_03 chain_links_p2027_03_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_03
    ADD CONSTRAINT chain_links_p2027_03_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_04 chain_links_p2027_04_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_04
    ADD CONSTRAINT chain_links_p2027_04_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_05 chain_links_p2027_05_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_05
    ADD CONSTRAINT chain_links_p2027_05_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_06 chain_links_p2027_06_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_06
    ADD CONSTRAINT chain_links_p2027_06_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_07 chain_links_p2027_07_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_07
    ADD CONSTRAINT chain_links_p2027_07_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_08 chain_links_p2027_08_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_08
    ADD CONSTRAINT chain_links_p2027_08_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_09 chain_links_p2027_09_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_09
    ADD CONSTRAINT chain_links_p2027_09_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_10 chain_links_p2027_10_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_10
    ADD CONSTRAINT chain_links_p2027_10_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_11 chain_links_p2027_11_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_11
    ADD CONSTRAINT chain_links_p2027_11_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: chain_links_p2027_12 chain_links_p2027_12_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.chain_links_p2027_12
    ADD CONSTRAINT chain_links_p2027_12_pkey PRIMARY KEY (chain_id, seq, occurred_at);


--
-- Name: event_windows event_windows_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.event_windows
    ADD CONSTRAINT event_windows_pkey PRIMARY KEY ("grouping", window_start);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2026_12 events_p2026_12_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2026_12
    ADD CONSTRAINT events_p2026_12_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_01 events_p2027_01_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_01
    ADD CONSTRAINT events_p2027_01_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_02 events_p2027_02_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_02
    ADD CONSTRAINT events_p2027_02_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_03 events_p2027_03_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_03
    ADD CONSTRAINT events_p2027_03_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_04 events_p2027_04_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_04
    ADD CONSTRAINT events_p2027_04_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_05 events_p2027_05_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_05
    ADD CONSTRAINT events_p2027_05_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_06 events_p2027_06_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_06
    ADD CONSTRAINT events_p2027_06_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_07 events_p2027_07_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_07
    ADD CONSTRAINT events_p2027_07_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_08 events_p2027_08_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_08
    ADD CONSTRAINT events_p2027_08_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_09 events_p2027_09_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_09
    ADD CONSTRAINT events_p2027_09_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_10 events_p2027_10_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_10
    ADD CONSTRAINT events_p2027_10_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_11 events_p2027_11_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_11
    ADD CONSTRAINT events_p2027_11_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_p2027_12 events_p2027_12_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.events_p2027_12
    ADD CONSTRAINT events_p2027_12_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: pending pending_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_definer
--

ALTER TABLE ONLY audit.pending
    ADD CONSTRAINT pending_pkey PRIMARY KEY (event_id);


--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: audit; Owner: palisade_owner
--

ALTER TABLE ONLY audit.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (id);


--
-- Name: identities identities_id_key; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_id_key UNIQUE (id);


--
-- Name: identities identities_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_pkey PRIMARY KEY (issuer, subject);


--
-- Name: magic_links magic_links_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.magic_links
    ADD CONSTRAINT magic_links_pkey PRIMARY KEY (token_hash);


--
-- Name: password_credentials password_credentials_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.password_credentials
    ADD CONSTRAINT password_credentials_pkey PRIMARY KEY (user_id);


--
-- Name: recovery_codes recovery_codes_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.recovery_codes
    ADD CONSTRAINT recovery_codes_pkey PRIMARY KEY (user_id, code_hash);


--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (token_hash);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_secret_hash_key; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.sessions
    ADD CONSTRAINT sessions_secret_hash_key UNIQUE (secret_hash);


--
-- Name: totp_factors totp_factors_pkey; Type: CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.totp_factors
    ADD CONSTRAINT totp_factors_pkey PRIMARY KEY (user_id);


--
-- Name: key_checks key_checks_pkey; Type: CONSTRAINT; Schema: palisade_meta; Owner: palisade_owner
--

ALTER TABLE ONLY palisade_meta.key_checks
    ADD CONSTRAINT key_checks_pkey PRIMARY KEY (keyring, key_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: palisade_meta; Owner: palisade_owner
--

ALTER TABLE ONLY palisade_meta.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: ai_usage_month_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX ai_usage_month_idx ON app.ai_usage USING btree (tenant_id, created_at);


--
-- Name: assistant_holds_released_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX assistant_holds_released_by_idx ON app.assistant_holds USING btree (tenant_id, released_by) WHERE (released_by IS NOT NULL);


--
-- Name: assistant_tasks_due_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX assistant_tasks_due_idx ON app.assistant_tasks USING btree (not_before) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]));


--
-- Name: coaching_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX coaching_lead_idx ON app.coaching_observations USING btree (tenant_id, lead_id);


--
-- Name: coaching_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX coaching_owner_idx ON app.coaching_observations USING btree (tenant_id, owner_id, id);


--
-- Name: consent_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX consent_lead_idx ON app.consent_events USING btree (tenant_id, lead_id, channel, purpose, occurred_at) WHERE (lead_id IS NOT NULL);


--
-- Name: consent_member_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX consent_member_idx ON app.consent_events USING btree (tenant_id, member_id, channel, occurred_at) WHERE (member_id IS NOT NULL);


--
-- Name: crm_outbox_deal_pending_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX crm_outbox_deal_pending_idx ON app.crm_outbox USING btree (tenant_id, local_id) WHERE ((kind = 'deal'::text) AND (status = 'pending'::text));


--
-- Name: crm_outbox_due_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX crm_outbox_due_idx ON app.crm_outbox USING btree (tenant_id, not_before) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]));


--
-- Name: crm_outbox_note_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX crm_outbox_note_idx ON app.crm_outbox USING btree (tenant_id, local_id) WHERE (kind = 'note'::text);


--
-- Name: crm_sync_runs_due_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX crm_sync_runs_due_idx ON app.crm_sync_runs USING btree (next_run_at);


--
-- Name: deals_hubspot_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX deals_hubspot_idx ON app.deals USING btree (tenant_id, hubspot_id) WHERE (hubspot_id IS NOT NULL);


--
-- Name: deals_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX deals_lead_idx ON app.deals USING btree (tenant_id, lead_id);


--
-- Name: deals_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX deals_owner_idx ON app.deals USING btree (tenant_id, owner_id, id);


--
-- Name: deals_stage_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX deals_stage_idx ON app.deals USING btree (tenant_id, stage);


--
-- Name: deals_updated_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX deals_updated_idx ON app.deals USING btree (tenant_id, updated_at);


--
-- Name: drafts_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX drafts_lead_idx ON app.drafts USING btree (tenant_id, lead_id);


--
-- Name: drafts_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX drafts_owner_idx ON app.drafts USING btree (tenant_id, owner_id, id);


--
-- Name: drafts_updated_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX drafts_updated_idx ON app.drafts USING btree (tenant_id, updated_at);


--
-- Name: erasures_created_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX erasures_created_idx ON app.erasures USING btree (tenant_id, created_at DESC, id DESC);


--
-- Name: erasures_running_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX erasures_running_idx ON app.erasures USING btree (updated_at) WHERE (status = 'running'::text);


--
-- Name: error_events_last_seen_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX error_events_last_seen_idx ON app.error_events USING btree (last_seen DESC, id);


--
-- Name: incident_tenants_pending_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX incident_tenants_pending_idx ON app.incident_tenants USING btree (incident_id) WHERE (notified_at IS NULL);


--
-- Name: incident_tenants_tenant_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX incident_tenants_tenant_idx ON app.incident_tenants USING btree (tenant_id);


--
-- Name: incidents_declared_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX incidents_declared_by_idx ON app.incidents USING btree (declared_by);


--
-- Name: integrations_set_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX integrations_set_by_idx ON app.integrations USING btree (set_by);


--
-- Name: interactions_actor_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_actor_idx ON app.interactions USING btree (tenant_id, actor_id, occurred_at);


--
-- Name: interactions_calls_occurred_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_calls_occurred_idx ON app.interactions USING btree (tenant_id, occurred_at) WHERE (channel = 'call'::text);


--
-- Name: interactions_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_lead_idx ON app.interactions USING btree (tenant_id, lead_id, occurred_at);


--
-- Name: interactions_occurred_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_occurred_idx ON app.interactions USING btree (tenant_id, occurred_at);


--
-- Name: interactions_others_occurred_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_others_occurred_idx ON app.interactions USING btree (tenant_id, occurred_at) WHERE (channel <> 'call'::text);


--
-- Name: interactions_updated_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX interactions_updated_idx ON app.interactions USING btree (tenant_id, updated_at);


--
-- Name: invitations_accepted_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX invitations_accepted_by_idx ON app.invitations USING btree (accepted_by);


--
-- Name: invitations_email_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX invitations_email_idx ON app.invitations USING btree (lower(email));


--
-- Name: invitations_invited_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX invitations_invited_by_idx ON app.invitations USING btree (tenant_id, invited_by);


--
-- Name: knowledge_entries_list_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX knowledge_entries_list_idx ON app.knowledge_entries USING btree (tenant_id, id);


--
-- Name: knowledge_passages_search_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX knowledge_passages_search_idx ON app.knowledge_passages USING gin (search);


--
-- Name: knowledge_passages_tenant_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX knowledge_passages_tenant_idx ON app.knowledge_passages USING btree (tenant_id);


--
-- Name: leads_email_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX leads_email_idx ON app.leads USING btree (tenant_id, email_index) WHERE (email_index IS NOT NULL);


--
-- Name: leads_hubspot_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX leads_hubspot_idx ON app.leads USING btree (tenant_id, hubspot_id) WHERE (hubspot_id IS NOT NULL);


--
-- Name: leads_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX leads_owner_idx ON app.leads USING btree (tenant_id, owner_id, id);


--
-- Name: leads_phone_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX leads_phone_idx ON app.leads USING btree (tenant_id, phone_index) WHERE (phone_index IS NOT NULL);


--
-- Name: leads_updated_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX leads_updated_idx ON app.leads USING btree (tenant_id, updated_at);


--
-- Name: member_phones_index_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX member_phones_index_idx ON app.member_phones USING btree (tenant_id, phone_index);


--
-- Name: memberships_user_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX memberships_user_idx ON app.memberships USING btree (user_id, tenant_id);


--
-- Name: message_templates_created_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX message_templates_created_by_idx ON app.message_templates USING btree (tenant_id, created_by);


--
-- Name: message_templates_name_key; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX message_templates_name_key ON app.message_templates USING btree (tenant_id, lower(name));


--
-- Name: outbound_brief_once; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX outbound_brief_once ON app.outbound_messages USING btree (tenant_id, member_id, brief_on) WHERE (brief_on IS NOT NULL);


--
-- Name: outbound_created_by_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_created_by_idx ON app.outbound_messages USING btree (tenant_id, created_by, created_at);


--
-- Name: outbound_created_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_created_idx ON app.outbound_messages USING btree (tenant_id, created_at);


--
-- Name: outbound_due_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_due_idx ON app.outbound_messages USING btree (next_attempt_at) WHERE (status = 'queued'::text);


--
-- Name: outbound_lead_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_lead_idx ON app.outbound_messages USING btree (tenant_id, lead_id) WHERE (lead_id IS NOT NULL);


--
-- Name: outbound_member_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_member_idx ON app.outbound_messages USING btree (tenant_id, member_id) WHERE (member_id IS NOT NULL);


--
-- Name: outbound_provider_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_provider_idx ON app.outbound_messages USING btree (tenant_id, provider_message_id) WHERE (provider_message_id IS NOT NULL);


--
-- Name: outbound_template_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX outbound_template_idx ON app.outbound_messages USING btree (tenant_id, template_id) WHERE (template_id IS NOT NULL);


--
-- Name: terminations_live_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX terminations_live_idx ON app.terminations USING btree (tenant_id) WHERE (canceled_at IS NULL);


--
-- Name: users_email_key; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX users_email_key ON app.users USING btree (lower(email));


--
-- Name: voice_consents_active_key; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE UNIQUE INDEX voice_consents_active_key ON app.voice_consents USING btree (tenant_id, owner_id) WHERE (withdrawn_at IS NULL);


--
-- Name: voice_consents_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX voice_consents_owner_idx ON app.voice_consents USING btree (tenant_id, owner_id, granted_at DESC);


--
-- Name: voice_samples_owner_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX voice_samples_owner_idx ON app.voice_samples USING btree (tenant_id, owner_id, id);


--
-- Name: webhook_events_received_idx; Type: INDEX; Schema: app; Owner: palisade_owner
--

CREATE INDEX webhook_events_received_idx ON app.webhook_events USING btree (tenant_id, received_at);


--
-- Name: access_events_occurred_idx; Type: INDEX; Schema: audit; Owner: palisade_owner
--

CREATE INDEX access_events_occurred_idx ON audit.access_events USING btree (tenant_id, occurred_at);


--
-- Name: access_events_tenant_idx; Type: INDEX; Schema: audit; Owner: palisade_owner
--

CREATE INDEX access_events_tenant_idx ON audit.access_events USING btree (tenant_id, id);


--
-- Name: chain_links_event_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_event_idx ON ONLY audit.chain_links USING btree (event_id);


--
-- Name: chain_links_p2026_12_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2026_12_event_id_idx ON audit.chain_links_p2026_12 USING btree (event_id);


--
-- Name: chain_links_p2027_01_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_01_event_id_idx ON audit.chain_links_p2027_01 USING btree (event_id);


--
-- Name: chain_links_p2027_02_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_02_event_id_idx ON audit.chain_links_p2027_02 USING btree (event_id);


--
-- Name: chain_links_p2027_03_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_03_event_id_idx ON audit.chain_links_p2027_03 USING btree (event_id);


--
-- Name: chain_links_p2027_04_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_04_event_id_idx ON audit.chain_links_p2027_04 USING btree (event_id);


--
-- Name: chain_links_p2027_05_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_05_event_id_idx ON audit.chain_links_p2027_05 USING btree (event_id);


--
-- Name: chain_links_p2027_06_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_06_event_id_idx ON audit.chain_links_p2027_06 USING btree (event_id);


--
-- Name: chain_links_p2027_07_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_07_event_id_idx ON audit.chain_links_p2027_07 USING btree (event_id);


--
-- Name: chain_links_p2027_08_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_08_event_id_idx ON audit.chain_links_p2027_08 USING btree (event_id);


--
-- Name: chain_links_p2027_09_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_09_event_id_idx ON audit.chain_links_p2027_09 USING btree (event_id);


--
-- Name: chain_links_p2027_10_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_10_event_id_idx ON audit.chain_links_p2027_10 USING btree (event_id);


--
-- Name: chain_links_p2027_11_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_11_event_id_idx ON audit.chain_links_p2027_11 USING btree (event_id);


--
-- Name: chain_links_p2027_12_event_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX chain_links_p2027_12_event_id_idx ON audit.chain_links_p2027_12 USING btree (event_id);


--
-- Name: events_actor_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_actor_idx ON ONLY audit.events USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_deleted_lead_email_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_deleted_lead_email_idx ON ONLY audit.events USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_invitation_email_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_invitation_email_idx ON ONLY audit.events USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_lead_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_lead_idx ON ONLY audit.events USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2026_12_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_lower_idx ON audit.events_p2026_12 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_person_row_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_person_row_idx ON ONLY audit.events USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2026_12_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_row_key_idx ON audit.events_p2026_12 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2026_12_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_tenant_id_actor_user_id_id_idx ON audit.events_p2026_12 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_tenant_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_tenant_idx ON ONLY audit.events USING btree (tenant_id, id);


--
-- Name: events_p2026_12_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_tenant_id_id_idx ON audit.events_p2026_12 USING btree (tenant_id, id);


--
-- Name: events_p2026_12_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_tenant_id_lead_id_id_idx ON audit.events_p2026_12 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2026_12_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2026_12_tenant_id_lower_idx ON audit.events_p2026_12 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_01_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_lower_idx ON audit.events_p2027_01 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_01_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_row_key_idx ON audit.events_p2027_01 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_01_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_tenant_id_actor_user_id_id_idx ON audit.events_p2027_01 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_01_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_tenant_id_id_idx ON audit.events_p2027_01 USING btree (tenant_id, id);


--
-- Name: events_p2027_01_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_tenant_id_lead_id_id_idx ON audit.events_p2027_01 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_01_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_01_tenant_id_lower_idx ON audit.events_p2027_01 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_02_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_lower_idx ON audit.events_p2027_02 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_02_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_row_key_idx ON audit.events_p2027_02 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_02_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_tenant_id_actor_user_id_id_idx ON audit.events_p2027_02 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_02_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_tenant_id_id_idx ON audit.events_p2027_02 USING btree (tenant_id, id);


--
-- Name: events_p2027_02_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_tenant_id_lead_id_id_idx ON audit.events_p2027_02 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_02_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_02_tenant_id_lower_idx ON audit.events_p2027_02 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_03_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_lower_idx ON audit.events_p2027_03 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_03_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_row_key_idx ON audit.events_p2027_03 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_03_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_tenant_id_actor_user_id_id_idx ON audit.events_p2027_03 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_03_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_tenant_id_id_idx ON audit.events_p2027_03 USING btree (tenant_id, id);


--
-- Name: events_p2027_03_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_tenant_id_lead_id_id_idx ON audit.events_p2027_03 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_03_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_03_tenant_id_lower_idx ON audit.events_p2027_03 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_04_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_lower_idx ON audit.events_p2027_04 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_04_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_row_key_idx ON audit.events_p2027_04 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_04_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_tenant_id_actor_user_id_id_idx ON audit.events_p2027_04 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_04_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_tenant_id_id_idx ON audit.events_p2027_04 USING btree (tenant_id, id);


--
-- Name: events_p2027_04_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_tenant_id_lead_id_id_idx ON audit.events_p2027_04 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_04_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_04_tenant_id_lower_idx ON audit.events_p2027_04 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_05_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_lower_idx ON audit.events_p2027_05 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_05_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_row_key_idx ON audit.events_p2027_05 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_05_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_tenant_id_actor_user_id_id_idx ON audit.events_p2027_05 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_05_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_tenant_id_id_idx ON audit.events_p2027_05 USING btree (tenant_id, id);


--
-- Name: events_p2027_05_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_tenant_id_lead_id_id_idx ON audit.events_p2027_05 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_05_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_05_tenant_id_lower_idx ON audit.events_p2027_05 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_06_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_lower_idx ON audit.events_p2027_06 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_06_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_row_key_idx ON audit.events_p2027_06 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_06_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_tenant_id_actor_user_id_id_idx ON audit.events_p2027_06 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_06_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_tenant_id_id_idx ON audit.events_p2027_06 USING btree (tenant_id, id);


--
-- Name: events_p2027_06_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_tenant_id_lead_id_id_idx ON audit.events_p2027_06 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_06_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_06_tenant_id_lower_idx ON audit.events_p2027_06 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_07_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_lower_idx ON audit.events_p2027_07 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_07_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_row_key_idx ON audit.events_p2027_07 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_07_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_tenant_id_actor_user_id_id_idx ON audit.events_p2027_07 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_07_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_tenant_id_id_idx ON audit.events_p2027_07 USING btree (tenant_id, id);


--
-- Name: events_p2027_07_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_tenant_id_lead_id_id_idx ON audit.events_p2027_07 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_07_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_07_tenant_id_lower_idx ON audit.events_p2027_07 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_08_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_lower_idx ON audit.events_p2027_08 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_08_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_row_key_idx ON audit.events_p2027_08 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_08_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_tenant_id_actor_user_id_id_idx ON audit.events_p2027_08 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_08_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_tenant_id_id_idx ON audit.events_p2027_08 USING btree (tenant_id, id);


--
-- Name: events_p2027_08_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_tenant_id_lead_id_id_idx ON audit.events_p2027_08 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_08_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_08_tenant_id_lower_idx ON audit.events_p2027_08 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_09_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_lower_idx ON audit.events_p2027_09 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_09_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_row_key_idx ON audit.events_p2027_09 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_09_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_tenant_id_actor_user_id_id_idx ON audit.events_p2027_09 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_09_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_tenant_id_id_idx ON audit.events_p2027_09 USING btree (tenant_id, id);


--
-- Name: events_p2027_09_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_tenant_id_lead_id_id_idx ON audit.events_p2027_09 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_09_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_09_tenant_id_lower_idx ON audit.events_p2027_09 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_10_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_lower_idx ON audit.events_p2027_10 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_10_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_row_key_idx ON audit.events_p2027_10 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_10_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_tenant_id_actor_user_id_id_idx ON audit.events_p2027_10 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_10_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_tenant_id_id_idx ON audit.events_p2027_10 USING btree (tenant_id, id);


--
-- Name: events_p2027_10_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_tenant_id_lead_id_id_idx ON audit.events_p2027_10 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_10_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_10_tenant_id_lower_idx ON audit.events_p2027_10 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_11_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_lower_idx ON audit.events_p2027_11 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_11_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_row_key_idx ON audit.events_p2027_11 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_11_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_tenant_id_actor_user_id_id_idx ON audit.events_p2027_11 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_11_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_tenant_id_id_idx ON audit.events_p2027_11 USING btree (tenant_id, id);


--
-- Name: events_p2027_11_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_tenant_id_lead_id_id_idx ON audit.events_p2027_11 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_11_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_11_tenant_id_lower_idx ON audit.events_p2027_11 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_12_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_lower_idx ON audit.events_p2027_12 USING btree (lower((COALESCE(after, before) ->> 'email'::text))) WHERE ((table_name = 'invitations'::text) AND (redacted_at IS NULL));


--
-- Name: events_p2027_12_row_key_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_row_key_idx ON audit.events_p2027_12 USING btree (row_key) WHERE ((table_name = ANY (ARRAY['users'::text, 'memberships'::text, 'platform_admins'::text])) AND (redacted_at IS NULL));


--
-- Name: events_p2027_12_tenant_id_actor_user_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_tenant_id_actor_user_id_id_idx ON audit.events_p2027_12 USING btree (tenant_id, actor_user_id, id);


--
-- Name: events_p2027_12_tenant_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_tenant_id_id_idx ON audit.events_p2027_12 USING btree (tenant_id, id);


--
-- Name: events_p2027_12_tenant_id_lead_id_id_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_tenant_id_lead_id_id_idx ON audit.events_p2027_12 USING btree (tenant_id, lead_id, id) WHERE (lead_id IS NOT NULL);


--
-- Name: events_p2027_12_tenant_id_lower_idx; Type: INDEX; Schema: audit; Owner: palisade_definer
--

CREATE INDEX events_p2027_12_tenant_id_lower_idx ON audit.events_p2027_12 USING btree (tenant_id, lower((before ->> 'email'::text))) WHERE ((table_name = 'leads'::text) AND (op = 'DELETE'::text) AND (redacted_at IS NULL));


--
-- Name: identities_user_idx; Type: INDEX; Schema: auth; Owner: palisade_owner
--

CREATE INDEX identities_user_idx ON auth.identities USING btree (user_id);


--
-- Name: magic_links_email_idx; Type: INDEX; Schema: auth; Owner: palisade_owner
--

CREATE INDEX magic_links_email_idx ON auth.magic_links USING btree (lower(email), expires_at);


--
-- Name: magic_links_expires_idx; Type: INDEX; Schema: auth; Owner: palisade_owner
--

CREATE INDEX magic_links_expires_idx ON auth.magic_links USING btree (expires_at);


--
-- Name: refresh_tokens_session_idx; Type: INDEX; Schema: auth; Owner: palisade_owner
--

CREATE INDEX refresh_tokens_session_idx ON auth.refresh_tokens USING btree (session_id);


--
-- Name: sessions_user_idx; Type: INDEX; Schema: auth; Owner: palisade_owner
--

CREATE INDEX sessions_user_idx ON auth.sessions USING btree (user_id, created_at DESC);


--
-- Name: chain_links_p2026_12_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2026_12_event_id_idx;


--
-- Name: chain_links_p2026_12_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2026_12_pkey;


--
-- Name: chain_links_p2027_01_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_01_event_id_idx;


--
-- Name: chain_links_p2027_01_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_01_pkey;


--
-- Name: chain_links_p2027_02_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_02_event_id_idx;


--
-- Name: chain_links_p2027_02_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_02_pkey;


--
-- Name: chain_links_p2027_03_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_03_event_id_idx;


--
-- Name: chain_links_p2027_03_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_03_pkey;


--
-- Name: chain_links_p2027_04_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_04_event_id_idx;


--
-- Name: chain_links_p2027_04_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_04_pkey;


--
-- Name: chain_links_p2027_05_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_05_event_id_idx;


--
-- Name: chain_links_p2027_05_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_05_pkey;


--
-- Name: chain_links_p2027_06_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_06_event_id_idx;


--
-- Name: chain_links_p2027_06_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_06_pkey;


--
-- Name: chain_links_p2027_07_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_07_event_id_idx;


--
-- Name: chain_links_p2027_07_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_07_pkey;


--
-- Name: chain_links_p2027_08_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_08_event_id_idx;


--
-- Name: chain_links_p2027_08_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_08_pkey;


--
-- Name: chain_links_p2027_09_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_09_event_id_idx;


--
-- Name: chain_links_p2027_09_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_09_pkey;


--
-- Name: chain_links_p2027_10_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_10_event_id_idx;


--
-- Name: chain_links_p2027_10_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_10_pkey;


--
-- Name: chain_links_p2027_11_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_11_event_id_idx;


--
-- Name: chain_links_p2027_11_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_11_pkey;


--
-- Name: chain_links_p2027_12_event_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_event_idx ATTACH PARTITION audit.chain_links_p2027_12_event_id_idx;


--
-- Name: chain_links_p2027_12_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.chain_links_pkey ATTACH PARTITION audit.chain_links_p2027_12_pkey;


--
-- Name: events_p2026_12_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2026_12_lower_idx;


--
-- Name: events_p2026_12_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2026_12_pkey;


--
-- Name: events_p2026_12_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2026_12_row_key_idx;


--
-- Name: events_p2026_12_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2026_12_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2026_12_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2026_12_tenant_id_id_idx;


--
-- Name: events_p2026_12_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2026_12_tenant_id_lead_id_id_idx;


--
-- Name: events_p2026_12_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2026_12_tenant_id_lower_idx;


--
-- Name: events_p2027_01_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_01_lower_idx;


--
-- Name: events_p2027_01_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_01_pkey;


--
-- Name: events_p2027_01_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_01_row_key_idx;


--
-- Name: events_p2027_01_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_01_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_01_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_01_tenant_id_id_idx;


--
-- Name: events_p2027_01_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_01_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_01_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_01_tenant_id_lower_idx;


--
-- Name: events_p2027_02_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_02_lower_idx;


--
-- Name: events_p2027_02_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_02_pkey;


--
-- Name: events_p2027_02_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_02_row_key_idx;


--
-- Name: events_p2027_02_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_02_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_02_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_02_tenant_id_id_idx;


--
-- Name: events_p2027_02_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_02_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_02_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_02_tenant_id_lower_idx;


--
-- Name: events_p2027_03_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_03_lower_idx;


--
-- Name: events_p2027_03_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_03_pkey;


--
-- Name: events_p2027_03_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_03_row_key_idx;


--
-- Name: events_p2027_03_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_03_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_03_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_03_tenant_id_id_idx;


--
-- Name: events_p2027_03_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_03_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_03_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_03_tenant_id_lower_idx;


--
-- Name: events_p2027_04_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_04_lower_idx;


--
-- Name: events_p2027_04_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_04_pkey;


--
-- Name: events_p2027_04_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_04_row_key_idx;


--
-- Name: events_p2027_04_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_04_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_04_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_04_tenant_id_id_idx;


--
-- Name: events_p2027_04_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_04_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_04_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_04_tenant_id_lower_idx;


--
-- Name: events_p2027_05_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_05_lower_idx;


--
-- Name: events_p2027_05_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_05_pkey;


--
-- Name: events_p2027_05_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_05_row_key_idx;


--
-- Name: events_p2027_05_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_05_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_05_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_05_tenant_id_id_idx;


--
-- Name: events_p2027_05_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_05_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_05_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_05_tenant_id_lower_idx;


--
-- Name: events_p2027_06_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_06_lower_idx;


--
-- Name: events_p2027_06_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_06_pkey;


--
-- Name: events_p2027_06_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_06_row_key_idx;


--
-- Name: events_p2027_06_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_06_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_06_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_06_tenant_id_id_idx;


--
-- Name: events_p2027_06_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_06_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_06_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_06_tenant_id_lower_idx;


--
-- Name: events_p2027_07_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_07_lower_idx;


--
-- Name: events_p2027_07_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_07_pkey;


--
-- Name: events_p2027_07_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_07_row_key_idx;


--
-- Name: events_p2027_07_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_07_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_07_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_07_tenant_id_id_idx;


--
-- Name: events_p2027_07_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_07_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_07_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_07_tenant_id_lower_idx;


--
-- Name: events_p2027_08_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_08_lower_idx;


--
-- Name: events_p2027_08_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_08_pkey;


--
-- Name: events_p2027_08_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_08_row_key_idx;


--
-- Name: events_p2027_08_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_08_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_08_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_08_tenant_id_id_idx;


--
-- Name: events_p2027_08_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_08_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_08_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_08_tenant_id_lower_idx;


--
-- Name: events_p2027_09_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_09_lower_idx;


--
-- Name: events_p2027_09_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_09_pkey;


--
-- Name: events_p2027_09_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_09_row_key_idx;


--
-- Name: events_p2027_09_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_09_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_09_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_09_tenant_id_id_idx;


--
-- Name: events_p2027_09_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_09_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_09_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_09_tenant_id_lower_idx;


--
-- Name: events_p2027_10_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_10_lower_idx;


--
-- Name: events_p2027_10_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_10_pkey;


--
-- Name: events_p2027_10_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_10_row_key_idx;


--
-- Name: events_p2027_10_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_10_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_10_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_10_tenant_id_id_idx;


--
-- Name: events_p2027_10_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_10_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_10_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_10_tenant_id_lower_idx;


--
-- Name: events_p2027_11_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_11_lower_idx;


--
-- Name: events_p2027_11_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_11_pkey;


--
-- Name: events_p2027_11_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_11_row_key_idx;


--
-- Name: events_p2027_11_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_11_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_11_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_11_tenant_id_id_idx;


--
-- Name: events_p2027_11_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_11_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_11_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_11_tenant_id_lower_idx;


--
-- Name: events_p2027_12_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_invitation_email_idx ATTACH PARTITION audit.events_p2027_12_lower_idx;


--
-- Name: events_p2027_12_pkey; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_p2027_12_pkey;


--
-- Name: events_p2027_12_row_key_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_person_row_idx ATTACH PARTITION audit.events_p2027_12_row_key_idx;


--
-- Name: events_p2027_12_tenant_id_actor_user_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_p2027_12_tenant_id_actor_user_id_id_idx;


--
-- Name: events_p2027_12_tenant_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_tenant_idx ATTACH PARTITION audit.events_p2027_12_tenant_id_id_idx;


--
-- Name: events_p2027_12_tenant_id_lead_id_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_lead_idx ATTACH PARTITION audit.events_p2027_12_tenant_id_lead_id_id_idx;


--
-- Name: events_p2027_12_tenant_id_lower_idx; Type: INDEX ATTACH; Schema: audit; Owner: palisade_definer
--

ALTER INDEX audit.events_deleted_lead_email_idx ATTACH PARTITION audit.events_p2027_12_tenant_id_lower_idx;


--
-- Name: ai_settings ai_settings_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER ai_settings_audit AFTER INSERT OR DELETE OR UPDATE ON app.ai_settings FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'tenant_id', '', 'domain');


--
-- Name: ai_settings ai_settings_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER ai_settings_touch BEFORE UPDATE ON app.ai_settings FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: assistant_holds assistant_holds_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER assistant_holds_audit AFTER INSERT OR DELETE OR UPDATE ON app.assistant_holds FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'lead_id', 'lead_id', 'domain');


--
-- Name: assistant_holds assistant_holds_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER assistant_holds_touch BEFORE UPDATE ON app.assistant_holds FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: assistant_tasks assistant_tasks_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER assistant_tasks_touch BEFORE UPDATE ON app.assistant_tasks FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: brief_preferences brief_preferences_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER brief_preferences_audit AFTER INSERT OR DELETE OR UPDATE ON app.brief_preferences FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'owner_id', '', 'private');


--
-- Name: brief_preferences brief_preferences_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER brief_preferences_touch BEFORE UPDATE ON app.brief_preferences FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: coaching_observations coaching_observations_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER coaching_observations_audit AFTER INSERT OR DELETE OR UPDATE ON app.coaching_observations FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'private');


--
-- Name: coaching_observations coaching_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER coaching_touch BEFORE UPDATE ON app.coaching_observations FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: consent_events consent_events_append_only; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER consent_events_append_only BEFORE DELETE OR UPDATE ON app.consent_events FOR EACH ROW EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: consent_events consent_events_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER consent_events_audit AFTER INSERT OR DELETE OR UPDATE ON app.consent_events FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', 'lead_id', 'domain', 'consent_text_sha256');


--
-- Name: consent_events consent_events_no_truncate; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON app.consent_events FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: consent_events consent_events_stamped; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER consent_events_stamped BEFORE INSERT ON app.consent_events FOR EACH ROW EXECUTE FUNCTION app.consent_event_stamped();


--
-- Name: crm_connections crm_connections_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER crm_connections_audit AFTER INSERT OR DELETE OR UPDATE ON app.crm_connections FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'tenant_id', '', 'domain', 'tokens_sealed', 'last_four', 'key_id', 'portal_id', 'hub_domain', 'scopes');


--
-- Name: crm_connections crm_connections_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER crm_connections_touch BEFORE UPDATE ON app.crm_connections FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: crm_outbox crm_outbox_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER crm_outbox_touch BEFORE UPDATE ON app.crm_outbox FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: crm_sync_cursors crm_sync_cursors_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER crm_sync_cursors_touch BEFORE UPDATE ON app.crm_sync_cursors FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: crm_sync_runs crm_sync_runs_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER crm_sync_runs_touch BEFORE UPDATE ON app.crm_sync_runs FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: deals deals_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER deals_audit AFTER INSERT OR DELETE OR UPDATE ON app.deals FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', 'lead_id', 'domain');


--
-- Name: deals deals_crm_queue; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER deals_crm_queue AFTER INSERT OR UPDATE OF lead_id, owner_id, title, stage, amount_cents, currency, closed_at ON app.deals FOR EACH ROW EXECUTE FUNCTION app.crm_queue_deal();


--
-- Name: deals deals_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER deals_touch BEFORE UPDATE ON app.deals FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: deals deals_track_totals; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER deals_track_totals AFTER INSERT OR DELETE OR UPDATE ON app.deals FOR EACH ROW EXECUTE FUNCTION app.track_deal_totals();


--
-- Name: drafts drafts_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER drafts_audit AFTER INSERT OR DELETE OR UPDATE ON app.drafts FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'private');


--
-- Name: drafts drafts_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER drafts_touch BEFORE UPDATE ON app.drafts FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: erasures erasures_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER erasures_audit AFTER INSERT OR DELETE OR UPDATE ON app.erasures FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'domain', 'pending_leads');


--
-- Name: erasures erasures_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER erasures_touch BEFORE UPDATE ON app.erasures FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: incident_tenants incident_tenants_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER incident_tenants_audit AFTER INSERT OR DELETE OR UPDATE ON app.incident_tenants FOR EACH ROW EXECUTE FUNCTION audit.record_change('', 'tenant_id', '', 'domain');


--
-- Name: incidents incidents_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER incidents_audit AFTER INSERT OR DELETE OR UPDATE ON app.incidents FOR EACH ROW EXECUTE FUNCTION audit.record_change('', 'id', '', 'domain');


--
-- Name: incidents incidents_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER incidents_touch BEFORE UPDATE ON app.incidents FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: integrations integrations_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER integrations_audit AFTER INSERT OR DELETE OR UPDATE ON app.integrations FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'provider', '', 'domain', 'secret_sealed', 'config', 'last_four', 'key_id');


--
-- Name: integrations integrations_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER integrations_touch BEFORE UPDATE ON app.integrations FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: interactions interactions_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER interactions_audit AFTER INSERT OR DELETE OR UPDATE ON app.interactions FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', 'lead_id', 'domain');


--
-- Name: interactions interactions_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER interactions_touch BEFORE UPDATE ON app.interactions FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: interactions interactions_track_activity; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER interactions_track_activity AFTER INSERT OR DELETE OR UPDATE ON app.interactions FOR EACH ROW EXECUTE FUNCTION app.track_activity();


--
-- Name: invitations invitations_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER invitations_audit AFTER INSERT OR DELETE OR UPDATE ON app.invitations FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'domain', 'token_hash');


--
-- Name: invitations invitations_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER invitations_touch BEFORE UPDATE ON app.invitations FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: knowledge_entries knowledge_entries_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER knowledge_entries_audit AFTER INSERT OR DELETE OR UPDATE ON app.knowledge_entries FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'domain', 'body');


--
-- Name: knowledge_entries knowledge_entries_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER knowledge_entries_touch BEFORE UPDATE ON app.knowledge_entries FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: leads leads_address_changed; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER leads_address_changed AFTER UPDATE OF phone_index, email ON app.leads FOR EACH ROW EXECUTE FUNCTION app.lead_address_changed();


--
-- Name: leads leads_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER leads_audit AFTER INSERT OR DELETE OR UPDATE ON app.leads FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', 'id', 'domain', 'phone_sealed', 'phone_index', 'email_index');


--
-- Name: leads leads_blind_index_guard; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER leads_blind_index_guard BEFORE UPDATE ON app.leads FOR EACH ROW EXECUTE FUNCTION app.blind_index_guard();


--
-- Name: leads leads_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER leads_touch BEFORE UPDATE ON app.leads FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: member_phones member_phones_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER member_phones_audit AFTER INSERT OR DELETE OR UPDATE ON app.member_phones FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'owner_id', '', 'private');


--
-- Name: member_phones member_phones_blind_index_guard; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER member_phones_blind_index_guard BEFORE UPDATE ON app.member_phones FOR EACH ROW EXECUTE FUNCTION app.blind_index_guard();


--
-- Name: member_phones member_phones_changed; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER member_phones_changed BEFORE UPDATE ON app.member_phones FOR EACH ROW EXECUTE FUNCTION app.member_phone_changed();


--
-- Name: member_phones member_phones_superseded; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER member_phones_superseded AFTER UPDATE OF phone_index ON app.member_phones FOR EACH ROW WHEN ((old.phone_index IS DISTINCT FROM new.phone_index)) EXECUTE FUNCTION app.member_phone_superseded();


--
-- Name: member_phones member_phones_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER member_phones_touch BEFORE UPDATE ON app.member_phones FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: memberships memberships_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER memberships_audit AFTER INSERT OR DELETE OR UPDATE ON app.memberships FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'user_id', '', 'domain');


--
-- Name: memberships memberships_status_changed; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER memberships_status_changed BEFORE UPDATE ON app.memberships FOR EACH ROW EXECUTE FUNCTION app.membership_status_changed();


--
-- Name: memberships memberships_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER memberships_touch BEFORE UPDATE ON app.memberships FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: message_templates message_templates_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER message_templates_audit AFTER INSERT OR DELETE OR UPDATE ON app.message_templates FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'domain');


--
-- Name: message_templates message_templates_deleted; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER message_templates_deleted BEFORE DELETE ON app.message_templates FOR EACH ROW EXECUTE FUNCTION app.template_deleted();


--
-- Name: message_templates message_templates_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER message_templates_touch BEFORE UPDATE ON app.message_templates FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: outbound_messages outbound_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER outbound_audit AFTER INSERT OR DELETE OR UPDATE ON app.outbound_messages FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', 'lead_id', 'domain', 'subject', 'body');


--
-- Name: outbound_messages outbound_consent; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER outbound_consent AFTER INSERT ON app.outbound_messages FOR EACH ROW EXECUTE FUNCTION app.outbound_consent_guard();


--
-- Name: outbound_messages outbound_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER outbound_touch BEFORE UPDATE ON app.outbound_messages FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: platform_admins platform_admins_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER platform_admins_audit AFTER INSERT OR DELETE OR UPDATE ON app.platform_admins FOR EACH ROW EXECUTE FUNCTION audit.record_change('', 'user_id', '', 'domain');


--
-- Name: retention_settings retention_settings_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER retention_settings_audit AFTER INSERT OR DELETE OR UPDATE ON app.retention_settings FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'data_class', '', 'domain');


--
-- Name: retention_settings retention_settings_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER retention_settings_touch BEFORE UPDATE ON app.retention_settings FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: suppressions suppressions_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER suppressions_audit AFTER INSERT OR DELETE OR UPDATE ON app.suppressions FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'channel', '', 'domain', 'address_index');


--
-- Name: tenants tenants_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER tenants_audit AFTER INSERT OR DELETE OR UPDATE ON app.tenants FOR EACH ROW EXECUTE FUNCTION audit.record_change('id', 'id', '', 'domain');


--
-- Name: tenants tenants_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER tenants_touch BEFORE UPDATE ON app.tenants FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: terminations terminations_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER terminations_audit AFTER INSERT OR DELETE OR UPDATE ON app.terminations FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'domain');


--
-- Name: terminations terminations_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER terminations_touch BEFORE UPDATE ON app.terminations FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: users users_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER users_audit AFTER INSERT OR DELETE OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION audit.record_change('', 'id', '', 'domain');


--
-- Name: users users_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: voice_consents voice_consents_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_consents_audit AFTER INSERT OR DELETE OR UPDATE ON app.voice_consents FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'private');


--
-- Name: voice_consents voice_consents_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_consents_touch BEFORE UPDATE ON app.voice_consents FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: voice_consents voice_consents_withdrawal; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_consents_withdrawal AFTER UPDATE ON app.voice_consents FOR EACH ROW EXECUTE FUNCTION app.voice_consent_withdrawn();


--
-- Name: voice_samples voice_samples_audit; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_samples_audit AFTER INSERT OR DELETE OR UPDATE ON app.voice_samples FOR EACH ROW EXECUTE FUNCTION audit.record_change('tenant_id', 'id', '', 'private');


--
-- Name: voice_samples voice_samples_need_consent; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_samples_need_consent BEFORE INSERT ON app.voice_samples FOR EACH ROW EXECUTE FUNCTION app.voice_sample_needs_consent();


--
-- Name: voice_samples voice_samples_touch; Type: TRIGGER; Schema: app; Owner: palisade_owner
--

CREATE TRIGGER voice_samples_touch BEFORE UPDATE ON app.voice_samples FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: access_events access_events_append_only; Type: TRIGGER; Schema: audit; Owner: palisade_owner
--

CREATE TRIGGER access_events_append_only BEFORE DELETE OR UPDATE ON audit.access_events FOR EACH ROW EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: access_events access_events_no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_owner
--

CREATE TRIGGER access_events_no_truncate BEFORE TRUNCATE ON audit.access_events FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links chain_links_append_only; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER chain_links_append_only BEFORE DELETE OR UPDATE ON audit.chain_links FOR EACH ROW EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links chain_links_no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER chain_links_no_truncate BEFORE TRUNCATE ON audit.chain_links FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events events_append_only; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER events_append_only BEFORE DELETE OR UPDATE ON audit.events FOR EACH ROW EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events events_no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2026_12 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2026_12 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_01 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_01 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_02 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_02 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_03 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_03 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_04 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_04 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_05 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_05 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_06 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_06 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_07 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_07 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_08 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_08 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_09 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_09 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_10 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_10 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_11 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_11 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: chain_links_p2027_12 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.chain_links_p2027_12 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2026_12 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2026_12 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_01 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_01 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_02 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_02 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_03 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_03 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_04 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_04 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_05 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_05 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_06 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_06 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_07 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_07 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_08 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_08 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_09 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_09 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_10 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_10 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_11 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_11 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: events_p2027_12 no_truncate; Type: TRIGGER; Schema: audit; Owner: palisade_definer
--

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON audit.events_p2027_12 FOR EACH STATEMENT EXECUTE FUNCTION audit.forbid_mutation();


--
-- Name: activity_daily activity_daily_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.activity_daily
    ADD CONSTRAINT activity_daily_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: ai_settings ai_settings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.ai_settings
    ADD CONSTRAINT ai_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: ai_usage ai_usage_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.ai_usage
    ADD CONSTRAINT ai_usage_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: assistant_holds assistant_holds_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_holds
    ADD CONSTRAINT assistant_holds_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: assistant_holds assistant_holds_tenant_id_released_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_holds
    ADD CONSTRAINT assistant_holds_tenant_id_released_by_fkey FOREIGN KEY (tenant_id, released_by) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: assistant_tasks assistant_tasks_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_tasks
    ADD CONSTRAINT assistant_tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: assistant_tasks assistant_tasks_tenant_id_interaction_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.assistant_tasks
    ADD CONSTRAINT assistant_tasks_tenant_id_interaction_id_fkey FOREIGN KEY (tenant_id, interaction_id) REFERENCES app.interactions(tenant_id, id) ON DELETE CASCADE;


--
-- Name: brief_preferences brief_preferences_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.brief_preferences
    ADD CONSTRAINT brief_preferences_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id) ON DELETE CASCADE;


--
-- Name: coaching_observations coaching_observations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.coaching_observations
    ADD CONSTRAINT coaching_observations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: coaching_observations coaching_observations_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.coaching_observations
    ADD CONSTRAINT coaching_observations_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: coaching_observations coaching_observations_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.coaching_observations
    ADD CONSTRAINT coaching_observations_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: crm_connections crm_connections_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_connections
    ADD CONSTRAINT crm_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: crm_outbox crm_outbox_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_outbox
    ADD CONSTRAINT crm_outbox_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: crm_sync_cursors crm_sync_cursors_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_sync_cursors
    ADD CONSTRAINT crm_sync_cursors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: crm_sync_runs crm_sync_runs_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.crm_sync_runs
    ADD CONSTRAINT crm_sync_runs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: deal_stage_totals deal_stage_totals_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deal_stage_totals
    ADD CONSTRAINT deal_stage_totals_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: deals deals_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deals
    ADD CONSTRAINT deals_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: deals deals_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deals
    ADD CONSTRAINT deals_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: deals deals_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.deals
    ADD CONSTRAINT deals_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: drafts drafts_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.drafts
    ADD CONSTRAINT drafts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: drafts drafts_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.drafts
    ADD CONSTRAINT drafts_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: drafts drafts_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.drafts
    ADD CONSTRAINT drafts_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: erasures erasures_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.erasures
    ADD CONSTRAINT erasures_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: incident_tenants incident_tenants_incident_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.incident_tenants
    ADD CONSTRAINT incident_tenants_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES app.incidents(id) ON DELETE CASCADE;


--
-- Name: incident_tenants incident_tenants_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.incident_tenants
    ADD CONSTRAINT incident_tenants_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: incidents incidents_declared_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.incidents
    ADD CONSTRAINT incidents_declared_by_fkey FOREIGN KEY (declared_by) REFERENCES app.users(id);


--
-- Name: integrations integrations_set_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.integrations
    ADD CONSTRAINT integrations_set_by_fkey FOREIGN KEY (set_by) REFERENCES app.users(id) ON DELETE SET NULL;


--
-- Name: integrations integrations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.integrations
    ADD CONSTRAINT integrations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: interactions interactions_tenant_id_actor_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.interactions
    ADD CONSTRAINT interactions_tenant_id_actor_id_fkey FOREIGN KEY (tenant_id, actor_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: interactions interactions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.interactions
    ADD CONSTRAINT interactions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: interactions interactions_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.interactions
    ADD CONSTRAINT interactions_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: invitations invitations_accepted_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.invitations
    ADD CONSTRAINT invitations_accepted_by_fkey FOREIGN KEY (accepted_by) REFERENCES app.users(id);


--
-- Name: invitations invitations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.invitations
    ADD CONSTRAINT invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: invitations invitations_tenant_id_invited_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.invitations
    ADD CONSTRAINT invitations_tenant_id_invited_by_fkey FOREIGN KEY (tenant_id, invited_by) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: knowledge_entries knowledge_entries_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.knowledge_entries
    ADD CONSTRAINT knowledge_entries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: knowledge_passages knowledge_passages_tenant_id_entry_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.knowledge_passages
    ADD CONSTRAINT knowledge_passages_tenant_id_entry_id_fkey FOREIGN KEY (tenant_id, entry_id) REFERENCES app.knowledge_entries(tenant_id, id) ON DELETE CASCADE;


--
-- Name: leads leads_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.leads
    ADD CONSTRAINT leads_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: leads leads_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.leads
    ADD CONSTRAINT leads_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: member_phones member_phones_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.member_phones
    ADD CONSTRAINT member_phones_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id) ON DELETE CASCADE;


--
-- Name: memberships memberships_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.memberships
    ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: message_templates message_templates_tenant_id_created_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.message_templates
    ADD CONSTRAINT message_templates_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: message_templates message_templates_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.message_templates
    ADD CONSTRAINT message_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: outbound_messages outbound_messages_template_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_template_fkey FOREIGN KEY (tenant_id, template_id) REFERENCES app.message_templates(tenant_id, id);


--
-- Name: outbound_messages outbound_messages_tenant_id_created_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: outbound_messages outbound_messages_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: outbound_messages outbound_messages_tenant_id_lead_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_tenant_id_lead_id_fkey FOREIGN KEY (tenant_id, lead_id) REFERENCES app.leads(tenant_id, id) ON DELETE CASCADE;


--
-- Name: outbound_messages outbound_messages_tenant_id_member_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.outbound_messages
    ADD CONSTRAINT outbound_messages_tenant_id_member_id_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES app.memberships(tenant_id, user_id) ON DELETE CASCADE;


--
-- Name: phone_verifications phone_verifications_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.phone_verifications
    ADD CONSTRAINT phone_verifications_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.member_phones(tenant_id, owner_id) ON DELETE CASCADE;


--
-- Name: platform_admins platform_admins_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.platform_admins
    ADD CONSTRAINT platform_admins_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: retention_settings retention_settings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.retention_settings
    ADD CONSTRAINT retention_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: suppressions suppressions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.suppressions
    ADD CONSTRAINT suppressions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: terminations terminations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.terminations
    ADD CONSTRAINT terminations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: voice_consents voice_consents_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_consents
    ADD CONSTRAINT voice_consents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: voice_consents voice_consents_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_consents
    ADD CONSTRAINT voice_consents_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: voice_samples voice_samples_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_samples
    ADD CONSTRAINT voice_samples_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: voice_samples voice_samples_tenant_id_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.voice_samples
    ADD CONSTRAINT voice_samples_tenant_id_owner_id_fkey FOREIGN KEY (tenant_id, owner_id) REFERENCES app.memberships(tenant_id, user_id);


--
-- Name: webhook_events webhook_events_tenant_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: palisade_owner
--

ALTER TABLE ONLY app.webhook_events
    ADD CONSTRAINT webhook_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id) ON DELETE CASCADE;


--
-- Name: identities identities_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: password_credentials password_credentials_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.password_credentials
    ADD CONSTRAINT password_credentials_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: recovery_codes recovery_codes_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.recovery_codes
    ADD CONSTRAINT recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_session_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.refresh_tokens
    ADD CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES auth.sessions(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: totp_factors totp_factors_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: palisade_owner
--

ALTER TABLE ONLY auth.totp_factors
    ADD CONSTRAINT totp_factors_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: activity_daily; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.activity_daily ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_daily activity_daily_company_export; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY activity_daily_company_export ON app.activity_daily FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: activity_daily activity_daily_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY activity_daily_definer ON app.activity_daily TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: activity_daily activity_daily_managers; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY activity_daily_managers ON app.activity_daily FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: activity_daily activity_daily_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY activity_daily_purge ON app.activity_daily FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: activity_daily activity_daily_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY activity_daily_purge_read ON app.activity_daily FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: ai_settings; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.ai_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: ai_settings ai_settings_admin_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_admin_insert ON app.ai_settings FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: ai_settings ai_settings_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_admin_select ON app.ai_settings FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: ai_settings ai_settings_admin_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_admin_update ON app.ai_settings FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: ai_settings ai_settings_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_definer_select ON app.ai_settings FOR SELECT TO palisade_definer USING (true);


--
-- Name: ai_settings ai_settings_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_purge ON app.ai_settings FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: ai_settings ai_settings_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_purge_read ON app.ai_settings FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: ai_settings ai_settings_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_settings_service_select ON app.ai_settings FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['assistant'::text, 'company_export'::text, 'webhook'::text]))));


--
-- Name: ai_usage; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.ai_usage ENABLE ROW LEVEL SECURITY;

--
-- Name: ai_usage ai_usage_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_usage_admin_select ON app.ai_usage FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: ai_usage ai_usage_company_export; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_usage_company_export ON app.ai_usage FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: ai_usage ai_usage_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_usage_definer ON app.ai_usage TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: ai_usage ai_usage_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_usage_purge ON app.ai_usage FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: ai_usage ai_usage_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY ai_usage_purge_read ON app.ai_usage FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: assistant_holds; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.assistant_holds ENABLE ROW LEVEL SECURITY;

--
-- Name: assistant_holds assistant_holds_assistant_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_assistant_update ON app.assistant_holds FOR UPDATE TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'assistant'::text))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (released_at IS NULL) AND (released_by IS NULL)));


--
-- Name: assistant_holds assistant_holds_assistant_write; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_assistant_write ON app.assistant_holds FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (released_at IS NULL) AND (current_setting('palisade.purpose'::text, true) = 'assistant'::text)));


--
-- Name: assistant_holds assistant_holds_member_release; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_member_release ON app.assistant_holds FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = assistant_holds.tenant_id) AND (l.id = assistant_holds.lead_id)))))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (released_by = ( SELECT ctx.user_id() AS user_id)) AND (released_at IS NOT NULL)));


--
-- Name: assistant_holds assistant_holds_member_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_member_select ON app.assistant_holds FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = assistant_holds.tenant_id) AND (l.id = assistant_holds.lead_id))))));


--
-- Name: assistant_holds assistant_holds_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_purge ON app.assistant_holds FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: assistant_holds assistant_holds_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_purge_read ON app.assistant_holds FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: assistant_holds assistant_holds_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_holds_service_select ON app.assistant_holds FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['assistant'::text, 'webhook'::text, 'company_export'::text]))));


--
-- Name: assistant_tasks; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.assistant_tasks ENABLE ROW LEVEL SECURITY;

--
-- Name: assistant_tasks assistant_tasks_assistant_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_assistant_select ON app.assistant_tasks FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'assistant'::text)));


--
-- Name: assistant_tasks assistant_tasks_assistant_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_assistant_update ON app.assistant_tasks FOR UPDATE TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'assistant'::text))) WITH CHECK ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: assistant_tasks assistant_tasks_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_definer_select ON app.assistant_tasks FOR SELECT TO palisade_definer USING (true);


--
-- Name: assistant_tasks assistant_tasks_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_purge ON app.assistant_tasks FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: assistant_tasks assistant_tasks_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_purge_read ON app.assistant_tasks FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: assistant_tasks assistant_tasks_service_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY assistant_tasks_service_insert ON app.assistant_tasks FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (status = 'pending'::text) AND (attempts = 0) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['sync'::text, 'webhook'::text]))));


--
-- Name: brief_preferences; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.brief_preferences ENABLE ROW LEVEL SECURITY;

--
-- Name: brief_preferences brief_preferences_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_definer_delete ON app.brief_preferences FOR DELETE TO palisade_definer USING (true);


--
-- Name: brief_preferences brief_preferences_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_definer_select ON app.brief_preferences FOR SELECT TO palisade_definer USING (true);


--
-- Name: brief_preferences brief_preferences_owner; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_owner ON app.brief_preferences TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: brief_preferences brief_preferences_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_purge ON app.brief_preferences FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: brief_preferences brief_preferences_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_purge_read ON app.brief_preferences FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: brief_preferences brief_preferences_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY brief_preferences_service_select ON app.brief_preferences FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: coaching_observations coaching_assistant_writes_ai; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_assistant_writes_ai ON app.coaching_observations AS RESTRICTIVE FOR INSERT TO app_service WITH CHECK ((source = 'ai'::text));


--
-- Name: coaching_observations coaching_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_definer_delete ON app.coaching_observations FOR DELETE TO palisade_definer USING (true);


--
-- Name: coaching_observations coaching_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_definer_select ON app.coaching_observations FOR SELECT TO palisade_definer USING (true);


--
-- Name: coaching_observations; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.coaching_observations ENABLE ROW LEVEL SECURITY;

--
-- Name: coaching_observations coaching_observations_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_observations_purge ON app.coaching_observations FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: coaching_observations coaching_observations_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_observations_purge_read ON app.coaching_observations FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: coaching_observations coaching_owner; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_owner ON app.coaching_observations TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)) AND ((lead_id IS NULL) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = coaching_observations.tenant_id) AND (l.id = coaching_observations.lead_id)))))));


--
-- Name: coaching_observations coaching_people_write_self; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_people_write_self ON app.coaching_observations AS RESTRICTIVE FOR INSERT TO app_user WITH CHECK ((source = 'self'::text));


--
-- Name: coaching_observations coaching_service_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY coaching_service_insert ON app.coaching_observations FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: consent_events consent_definer_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_definer_insert ON app.consent_events FOR INSERT TO palisade_definer WITH CHECK (((source = 'address_change'::text) AND (action = 'revoke'::text)));


--
-- Name: consent_events consent_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_definer_select ON app.consent_events FOR SELECT TO palisade_definer USING (true);


--
-- Name: consent_events; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.consent_events ENABLE ROW LEVEL SECURITY;

--
-- Name: consent_events consent_events_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_events_purge ON app.consent_events FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: consent_events consent_events_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_events_purge_read ON app.consent_events FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: consent_events consent_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_insert ON app.consent_events FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (actor_id = ( SELECT ctx.user_id() AS user_id)) AND (source = ANY (ARRAY['form'::text, 'api'::text])) AND (((lead_id IS NOT NULL) AND (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = consent_events.tenant_id) AND (l.id = consent_events.lead_id) AND (l.owner_id = ( SELECT ctx.user_id() AS user_id)))))) OR (member_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: consent_events consent_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_select ON app.consent_events FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (((lead_id IS NOT NULL) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = consent_events.tenant_id) AND (l.id = consent_events.lead_id) AND (l.owner_id = ( SELECT ctx.user_id() AS user_id))))))) OR (member_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: consent_events consent_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY consent_service ON app.consent_events TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ((lead_id IS NULL) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = consent_events.tenant_id) AND (l.id = consent_events.lead_id))))) AND ((member_id IS NULL) OR ctx.is_active_member(tenant_id, member_id))));


--
-- Name: crm_connections; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.crm_connections ENABLE ROW LEVEL SECURITY;

--
-- Name: crm_connections crm_connections_admin_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_admin_delete ON app.crm_connections FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: crm_connections crm_connections_admin_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_admin_insert ON app.crm_connections FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role) AND (connected_by = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: crm_connections crm_connections_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_admin_select ON app.crm_connections FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: crm_connections crm_connections_admin_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_admin_update ON app.crm_connections FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: crm_connections crm_connections_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_definer_select ON app.crm_connections FOR SELECT TO palisade_definer USING (true);


--
-- Name: crm_connections crm_connections_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_purge ON app.crm_connections FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_connections crm_connections_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_purge_read ON app.crm_connections FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_connections crm_connections_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_service_select ON app.crm_connections FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['sync'::text, 'webhook'::text, 'erasure'::text, 'company_export'::text]))));


--
-- Name: crm_connections crm_connections_sync_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_connections_sync_update ON app.crm_connections FOR UPDATE TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text)));


--
-- Name: crm_outbox; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.crm_outbox ENABLE ROW LEVEL SECURITY;

--
-- Name: crm_outbox crm_outbox_definer_forget; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_definer_forget ON app.crm_outbox FOR DELETE TO palisade_definer USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (kind = 'gdpr_delete'::text)));


--
-- Name: crm_outbox crm_outbox_definer_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_definer_insert ON app.crm_outbox FOR INSERT TO palisade_definer WITH CHECK (((kind = 'deal'::text) AND (status = 'pending'::text)));


--
-- Name: crm_outbox crm_outbox_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_definer_select ON app.crm_outbox FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: crm_outbox crm_outbox_erasure_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_erasure_insert ON app.crm_outbox FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (kind = 'gdpr_delete'::text) AND (status = ANY (ARRAY['pending'::text, 'skipped'::text])) AND (current_setting('palisade.purpose'::text, true) = 'erasure'::text)));


--
-- Name: crm_outbox crm_outbox_member_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_member_insert ON app.crm_outbox FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (kind = 'note'::text) AND (status = 'pending'::text) AND (attempts = 0) AND (sent_at IS NULL) AND (remote_id IS NULL) AND (created_by = ( SELECT ctx.user_id() AS user_id)) AND (EXISTS ( SELECT
   FROM app.interactions i
  WHERE ((i.tenant_id = crm_outbox.tenant_id) AND (i.id = crm_outbox.local_id))))));


--
-- Name: crm_outbox crm_outbox_member_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_member_select ON app.crm_outbox FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (created_by = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: crm_outbox crm_outbox_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_purge ON app.crm_outbox FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_outbox crm_outbox_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_purge_read ON app.crm_outbox FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_outbox crm_outbox_sync; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_outbox_sync ON app.crm_outbox TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text)));


--
-- Name: crm_sync_cursors; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.crm_sync_cursors ENABLE ROW LEVEL SECURITY;

--
-- Name: crm_sync_cursors crm_sync_cursors_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_cursors_admin_select ON app.crm_sync_cursors FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: crm_sync_cursors crm_sync_cursors_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_cursors_purge ON app.crm_sync_cursors FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_sync_cursors crm_sync_cursors_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_cursors_purge_read ON app.crm_sync_cursors FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_sync_cursors crm_sync_cursors_sync; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_cursors_sync ON app.crm_sync_cursors TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text)));


--
-- Name: crm_sync_runs; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.crm_sync_runs ENABLE ROW LEVEL SECURITY;

--
-- Name: crm_sync_runs crm_sync_runs_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_admin_select ON app.crm_sync_runs FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: crm_sync_runs crm_sync_runs_admin_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_admin_update ON app.crm_sync_runs FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK ((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)));


--
-- Name: crm_sync_runs crm_sync_runs_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_definer_select ON app.crm_sync_runs FOR SELECT TO palisade_definer USING (true);


--
-- Name: crm_sync_runs crm_sync_runs_definer_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_definer_update ON app.crm_sync_runs FOR UPDATE TO palisade_definer USING (true);


--
-- Name: crm_sync_runs crm_sync_runs_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_purge ON app.crm_sync_runs FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_sync_runs crm_sync_runs_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_purge_read ON app.crm_sync_runs FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: crm_sync_runs crm_sync_runs_sync; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY crm_sync_runs_sync ON app.crm_sync_runs TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'sync'::text)));


--
-- Name: deal_stage_totals; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.deal_stage_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_stage_totals deal_stage_totals_company_export; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deal_stage_totals_company_export ON app.deal_stage_totals FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: deal_stage_totals deal_stage_totals_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deal_stage_totals_definer ON app.deal_stage_totals TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: deal_stage_totals deal_stage_totals_managers; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deal_stage_totals_managers ON app.deal_stage_totals FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: deal_stage_totals deal_stage_totals_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deal_stage_totals_purge ON app.deal_stage_totals FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: deal_stage_totals deal_stage_totals_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deal_stage_totals_purge_read ON app.deal_stage_totals FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: deals; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.deals ENABLE ROW LEVEL SECURITY;

--
-- Name: deals deals_definer_links; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_definer_links ON app.deals FOR UPDATE TO palisade_definer USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: deals deals_definer_links_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_definer_links_read ON app.deals FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: deals deals_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_delete ON app.deals FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: deals deals_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_insert ON app.deals FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))) AND ctx.is_active_member(tenant_id, owner_id) AND (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = deals.tenant_id) AND (l.id = deals.lead_id))))));


--
-- Name: deals deals_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_purge ON app.deals FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: deals deals_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_purge_read ON app.deals FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: deals deals_reporting; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_reporting ON app.deals FOR SELECT TO app_reporting USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: deals deals_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_select ON app.deals FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: deals deals_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_service ON app.deals TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: deals deals_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY deals_update ON app.deals FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: drafts; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.drafts ENABLE ROW LEVEL SECURITY;

--
-- Name: drafts drafts_assistant_writes_ai; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_assistant_writes_ai ON app.drafts AS RESTRICTIVE FOR INSERT TO app_service WITH CHECK ((source = 'ai'::text));


--
-- Name: drafts drafts_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_definer_delete ON app.drafts FOR DELETE TO palisade_definer USING (true);


--
-- Name: drafts drafts_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_definer_select ON app.drafts FOR SELECT TO palisade_definer USING (true);


--
-- Name: drafts drafts_owner; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_owner ON app.drafts TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)) AND ((lead_id IS NULL) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = drafts.tenant_id) AND (l.id = drafts.lead_id)))))));


--
-- Name: drafts drafts_people_write_self; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_people_write_self ON app.drafts AS RESTRICTIVE FOR INSERT TO app_user WITH CHECK ((source = 'self'::text));


--
-- Name: drafts drafts_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_purge ON app.drafts FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: drafts drafts_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_purge_read ON app.drafts FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: drafts drafts_service_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY drafts_service_insert ON app.drafts FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: erasures; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.erasures ENABLE ROW LEVEL SECURITY;

--
-- Name: erasures erasures_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY erasures_admin_select ON app.erasures FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: erasures erasures_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY erasures_definer_select ON app.erasures FOR SELECT TO palisade_definer USING (true);


--
-- Name: erasures erasures_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY erasures_purge ON app.erasures FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: erasures erasures_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY erasures_purge_read ON app.erasures FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: erasures erasures_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY erasures_service ON app.erasures TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'erasure'::text)));


--
-- Name: error_events; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.error_events ENABLE ROW LEVEL SECURITY;

--
-- Name: error_events error_events_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY error_events_definer ON app.error_events TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: error_events error_events_platform; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY error_events_platform ON app.error_events FOR SELECT TO app_user USING (( SELECT ctx.is_platform_admin() AS is_platform_admin));


--
-- Name: incident_tenants; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.incident_tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: incident_tenants incident_tenants_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incident_tenants_definer ON app.incident_tenants TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: incident_tenants incident_tenants_platform; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incident_tenants_platform ON app.incident_tenants FOR SELECT TO app_user USING (( SELECT ctx.is_platform_admin() AS is_platform_admin));


--
-- Name: incident_tenants incident_tenants_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incident_tenants_purge ON app.incident_tenants FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: incident_tenants incident_tenants_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incident_tenants_purge_read ON app.incident_tenants FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: incidents; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.incidents ENABLE ROW LEVEL SECURITY;

--
-- Name: incidents incidents_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incidents_definer ON app.incidents TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: incidents incidents_platform_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incidents_platform_select ON app.incidents FOR SELECT TO app_user USING (( SELECT ctx.is_platform_admin() AS is_platform_admin));


--
-- Name: incidents incidents_platform_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY incidents_platform_update ON app.incidents FOR UPDATE TO app_user USING (( SELECT ctx.is_platform_admin() AS is_platform_admin)) WITH CHECK (( SELECT ctx.is_platform_admin() AS is_platform_admin));


--
-- Name: integrations; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.integrations ENABLE ROW LEVEL SECURITY;

--
-- Name: integrations integrations_admin_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_admin_delete ON app.integrations FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: integrations integrations_admin_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_admin_insert ON app.integrations FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: integrations integrations_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_admin_select ON app.integrations FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: integrations integrations_admin_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_admin_update ON app.integrations FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: integrations integrations_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_definer ON app.integrations FOR SELECT TO palisade_definer USING (true);


--
-- Name: integrations integrations_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_purge ON app.integrations FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: integrations integrations_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_purge_read ON app.integrations FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: integrations integrations_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY integrations_service ON app.integrations FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: interactions; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.interactions ENABLE ROW LEVEL SECURITY;

--
-- Name: interactions interactions_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_definer_delete ON app.interactions FOR DELETE TO palisade_definer USING (true);


--
-- Name: interactions interactions_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_definer_select ON app.interactions FOR SELECT TO palisade_definer USING (true);


--
-- Name: interactions interactions_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_delete ON app.interactions FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (actor_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: interactions interactions_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_insert ON app.interactions FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (actor_id = ( SELECT ctx.user_id() AS user_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = interactions.tenant_id) AND (l.id = interactions.lead_id) AND (l.owner_id = ( SELECT ctx.user_id() AS user_id))))))));


--
-- Name: interactions interactions_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_purge ON app.interactions FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: interactions interactions_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_purge_read ON app.interactions FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: interactions interactions_reporting; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_reporting ON app.interactions FOR SELECT TO app_reporting USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: interactions interactions_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_select ON app.interactions FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = interactions.tenant_id) AND (l.id = interactions.lead_id) AND (l.owner_id = ( SELECT ctx.user_id() AS user_id))))))));


--
-- Name: interactions interactions_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_service ON app.interactions TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, actor_id)));


--
-- Name: interactions interactions_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY interactions_update ON app.interactions FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (actor_id = ( SELECT ctx.user_id() AS user_id))))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (actor_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: invitations; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: invitations invitations_admin_revoke; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_admin_revoke ON app.invitations FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: invitations invitations_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_admin_select ON app.invitations FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: invitations invitations_company_export; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_company_export ON app.invitations FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: invitations invitations_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_definer ON app.invitations TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: invitations invitations_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_purge ON app.invitations FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: invitations invitations_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY invitations_purge_read ON app.invitations FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: knowledge_entries; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.knowledge_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: knowledge_entries knowledge_entries_manager_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_manager_delete ON app.knowledge_entries FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: knowledge_entries knowledge_entries_manager_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_manager_insert ON app.knowledge_entries FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: knowledge_entries knowledge_entries_manager_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_manager_update ON app.knowledge_entries FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role))) WITH CHECK ((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)));


--
-- Name: knowledge_entries knowledge_entries_member_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_member_select ON app.knowledge_entries FOR SELECT TO app_user USING ((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)));


--
-- Name: knowledge_entries knowledge_entries_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_purge ON app.knowledge_entries FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: knowledge_entries knowledge_entries_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_purge_read ON app.knowledge_entries FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: knowledge_entries knowledge_entries_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_entries_service_select ON app.knowledge_entries FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['assistant'::text, 'company_export'::text]))));


--
-- Name: knowledge_passages; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.knowledge_passages ENABLE ROW LEVEL SECURITY;

--
-- Name: knowledge_passages knowledge_passages_manager_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_manager_delete ON app.knowledge_passages FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: knowledge_passages knowledge_passages_manager_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_manager_insert ON app.knowledge_passages FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: knowledge_passages knowledge_passages_member_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_member_select ON app.knowledge_passages FOR SELECT TO app_user USING ((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)));


--
-- Name: knowledge_passages knowledge_passages_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_purge ON app.knowledge_passages FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: knowledge_passages knowledge_passages_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_purge_read ON app.knowledge_passages FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: knowledge_passages knowledge_passages_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY knowledge_passages_service_select ON app.knowledge_passages FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'assistant'::text)));


--
-- Name: leads; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.leads ENABLE ROW LEVEL SECURITY;

--
-- Name: leads leads_definer_exists; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_definer_exists ON app.leads FOR SELECT TO palisade_definer USING (true);


--
-- Name: leads leads_definer_links; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_definer_links ON app.leads FOR UPDATE TO palisade_definer USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: leads leads_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_delete ON app.leads FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: leads leads_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_insert ON app.leads FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: leads leads_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_purge ON app.leads FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: leads leads_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_purge_read ON app.leads FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: leads leads_reporting; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_reporting ON app.leads FOR SELECT TO app_reporting USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: leads leads_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_select ON app.leads FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id)))));


--
-- Name: leads leads_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_service ON app.leads TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: leads leads_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY leads_update ON app.leads FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (owner_id = ( SELECT ctx.user_id() AS user_id))) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: member_phones; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.member_phones ENABLE ROW LEVEL SECURITY;

--
-- Name: member_phones member_phones_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_definer_delete ON app.member_phones FOR DELETE TO palisade_definer USING (true);


--
-- Name: member_phones member_phones_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_definer_select ON app.member_phones FOR SELECT TO palisade_definer USING (true);


--
-- Name: member_phones member_phones_definer_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_definer_update ON app.member_phones FOR UPDATE TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: member_phones member_phones_owner; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_owner ON app.member_phones TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: member_phones member_phones_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_purge ON app.member_phones FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: member_phones member_phones_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_purge_read ON app.member_phones FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: member_phones member_phones_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY member_phones_service_select ON app.member_phones FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: memberships; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.memberships ENABLE ROW LEVEL SECURITY;

--
-- Name: memberships memberships_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY memberships_definer ON app.memberships TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: memberships memberships_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY memberships_purge ON app.memberships FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: memberships memberships_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY memberships_purge_read ON app.memberships FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: memberships memberships_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY memberships_service_select ON app.memberships FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: memberships memberships_visible; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY memberships_visible ON app.memberships FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) OR (user_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: message_templates; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.message_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: message_templates message_templates_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_delete ON app.message_templates FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: message_templates message_templates_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_insert ON app.message_templates FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role) AND (created_by = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: message_templates message_templates_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_purge ON app.message_templates FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: message_templates message_templates_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_purge_read ON app.message_templates FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: message_templates message_templates_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_select ON app.message_templates FOR SELECT TO app_user USING ((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)));


--
-- Name: message_templates message_templates_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_service_select ON app.message_templates FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: message_templates message_templates_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY message_templates_update ON app.message_templates FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('manager'::text) AS has_role)));


--
-- Name: outbound_messages outbound_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_definer_delete ON app.outbound_messages FOR DELETE TO palisade_definer USING ((member_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: outbound_messages outbound_definer_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_definer_insert ON app.outbound_messages FOR INSERT TO palisade_definer WITH CHECK ((purpose = 'verification'::text));


--
-- Name: outbound_messages outbound_definer_retention; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_definer_retention ON app.outbound_messages FOR DELETE TO palisade_definer USING (((current_setting('palisade.purpose'::text, true) = 'retention'::text) AND (status = ANY (ARRAY['sent'::text, 'delivered'::text, 'failed'::text, 'blocked'::text, 'undelivered'::text]))));


--
-- Name: outbound_messages outbound_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_definer_select ON app.outbound_messages FOR SELECT TO palisade_definer USING (true);


--
-- Name: outbound_messages outbound_definer_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_definer_update ON app.outbound_messages FOR UPDATE TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: outbound_messages outbound_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_insert ON app.outbound_messages FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (created_by = ( SELECT ctx.user_id() AS user_id)) AND (purpose = ANY (ARRAY['marketing'::text, 'service'::text])) AND (EXISTS ( SELECT
   FROM app.leads l
  WHERE ((l.tenant_id = outbound_messages.tenant_id) AND (l.id = outbound_messages.lead_id))))));


--
-- Name: outbound_messages; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.outbound_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: outbound_messages outbound_messages_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_messages_purge ON app.outbound_messages FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: outbound_messages outbound_messages_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_messages_purge_read ON app.outbound_messages FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: outbound_messages outbound_people_not_ai; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_people_not_ai ON app.outbound_messages AS RESTRICTIVE FOR INSERT TO app_user WITH CHECK ((NOT written_by_ai));


--
-- Name: outbound_messages outbound_reporting; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_reporting ON app.outbound_messages FOR SELECT TO app_reporting USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (member_id IS NULL)));


--
-- Name: outbound_messages outbound_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_select ON app.outbound_messages FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (((member_id IS NULL) AND (( SELECT ctx.has_role('manager'::text) AS has_role) OR (created_by = ( SELECT ctx.user_id() AS user_id)))) OR ((member_id = ( SELECT ctx.user_id() AS user_id)) AND (purpose <> 'verification'::text)))));


--
-- Name: outbound_messages outbound_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY outbound_service ON app.outbound_messages TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: phone_verifications; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.phone_verifications ENABLE ROW LEVEL SECURITY;

--
-- Name: phone_verifications phone_verifications_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY phone_verifications_definer ON app.phone_verifications TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: phone_verifications phone_verifications_owner_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY phone_verifications_owner_select ON app.phone_verifications FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: phone_verifications phone_verifications_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY phone_verifications_purge ON app.phone_verifications FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: phone_verifications phone_verifications_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY phone_verifications_purge_read ON app.phone_verifications FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: phone_verifications phone_verifications_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY phone_verifications_service_select ON app.phone_verifications FOR SELECT TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: platform_admins; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.platform_admins ENABLE ROW LEVEL SECURITY;

--
-- Name: platform_admins platform_admins_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY platform_admins_definer ON app.platform_admins FOR SELECT TO palisade_definer USING (true);


--
-- Name: platform_admins platform_admins_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY platform_admins_definer_delete ON app.platform_admins FOR DELETE TO palisade_definer USING (true);


--
-- Name: platform_admins platform_admins_definer_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY platform_admins_definer_insert ON app.platform_admins FOR INSERT TO palisade_definer WITH CHECK (true);


--
-- Name: platform_admins platform_admins_self; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY platform_admins_self ON app.platform_admins FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: retention_settings retention_admin_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_admin_delete ON app.retention_settings FOR DELETE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: retention_settings retention_admin_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_admin_insert ON app.retention_settings FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role) AND (set_by = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: retention_settings retention_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_admin_select ON app.retention_settings FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: retention_settings retention_admin_update; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_admin_update ON app.retention_settings FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role) AND (set_by = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: retention_settings retention_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_definer_select ON app.retention_settings FOR SELECT TO palisade_definer USING (true);


--
-- Name: retention_settings retention_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_service_select ON app.retention_settings FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = ANY (ARRAY['retention'::text, 'company_export'::text]))));


--
-- Name: retention_settings; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.retention_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: retention_settings retention_settings_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_settings_purge ON app.retention_settings FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: retention_settings retention_settings_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY retention_settings_purge_read ON app.retention_settings FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: suppressions; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.suppressions ENABLE ROW LEVEL SECURITY;

--
-- Name: suppressions suppressions_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY suppressions_admin_select ON app.suppressions FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: suppressions suppressions_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY suppressions_definer_select ON app.suppressions FOR SELECT TO palisade_definer USING (true);


--
-- Name: suppressions suppressions_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY suppressions_service ON app.suppressions TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: tenants; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: tenants tenants_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY tenants_definer ON app.tenants TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: tenants tenants_member_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY tenants_member_select ON app.tenants FOR SELECT TO app_user USING ((id = ANY (( SELECT ctx.member_tenant_ids() AS member_tenant_ids)::uuid[])));


--
-- Name: tenants tenants_service_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY tenants_service_select ON app.tenants FOR SELECT TO app_service USING ((id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: terminations; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.terminations ENABLE ROW LEVEL SECURITY;

--
-- Name: terminations terminations_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY terminations_admin_select ON app.terminations FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: terminations terminations_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY terminations_definer ON app.terminations TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: users; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users_company_export; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY users_company_export ON app.users FOR SELECT TO app_service USING (((current_setting('palisade.purpose'::text, true) = 'company_export'::text) AND (EXISTS ( SELECT
   FROM app.memberships m
  WHERE ((m.user_id = users.id) AND (m.tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (m.status <> 'removed'::text))))));


--
-- Name: users users_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY users_definer ON app.users TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: users users_visible; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY users_visible ON app.users FOR SELECT TO app_user USING (((id = ( SELECT ctx.user_id() AS user_id)) OR (EXISTS ( SELECT
   FROM app.memberships m
  WHERE ((m.user_id = users.id) AND (m.tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (m.status <> 'removed'::text))))));


--
-- Name: voice_consents; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.voice_consents ENABLE ROW LEVEL SECURITY;

--
-- Name: voice_consents voice_consents_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_definer_delete ON app.voice_consents FOR DELETE TO palisade_definer USING (true);


--
-- Name: voice_consents voice_consents_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_definer_select ON app.voice_consents FOR SELECT TO palisade_definer USING (true);


--
-- Name: voice_consents voice_consents_owner_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_owner_insert ON app.voice_consents FOR INSERT TO app_user WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)) AND (withdrawn_at IS NULL)));


--
-- Name: voice_consents voice_consents_owner_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_owner_select ON app.voice_consents FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: voice_consents voice_consents_owner_withdraw; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_owner_withdraw ON app.voice_consents FOR UPDATE TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)) AND (withdrawn_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: voice_consents voice_consents_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_purge ON app.voice_consents FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: voice_consents voice_consents_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_consents_purge_read ON app.voice_consents FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: voice_samples; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.voice_samples ENABLE ROW LEVEL SECURITY;

--
-- Name: voice_samples voice_samples_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_definer_delete ON app.voice_samples FOR DELETE TO palisade_definer USING (true);


--
-- Name: voice_samples voice_samples_definer_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_definer_select ON app.voice_samples FOR SELECT TO palisade_definer USING (true);


--
-- Name: voice_samples voice_samples_owner; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_owner ON app.voice_samples TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id)))) WITH CHECK (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (owner_id = ( SELECT ctx.user_id() AS user_id))));


--
-- Name: voice_samples voice_samples_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_purge ON app.voice_samples FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: voice_samples voice_samples_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_purge_read ON app.voice_samples FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: voice_samples voice_samples_service_insert; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY voice_samples_service_insert ON app.voice_samples FOR INSERT TO app_service WITH CHECK (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND ctx.is_active_member(tenant_id, owner_id)));


--
-- Name: webhook_events; Type: ROW SECURITY; Schema: app; Owner: palisade_owner
--

ALTER TABLE app.webhook_events ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_events webhook_events_admin_select; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_admin_select ON app.webhook_events FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: webhook_events webhook_events_definer; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_definer ON app.webhook_events FOR SELECT TO palisade_definer USING (true);


--
-- Name: webhook_events webhook_events_definer_delete; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_definer_delete ON app.webhook_events FOR DELETE TO palisade_definer USING (true);


--
-- Name: webhook_events webhook_events_purge; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_purge ON app.webhook_events FOR DELETE TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: webhook_events webhook_events_purge_read; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_purge_read ON app.webhook_events FOR SELECT TO palisade_definer USING ((tenant_id = ( SELECT ctx.purging_tenant_id() AS purging_tenant_id)));


--
-- Name: webhook_events webhook_events_service; Type: POLICY; Schema: app; Owner: palisade_owner
--

CREATE POLICY webhook_events_service ON app.webhook_events TO app_service USING ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id))) WITH CHECK ((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)));


--
-- Name: access_events; Type: ROW SECURITY; Schema: audit; Owner: palisade_owner
--

ALTER TABLE audit.access_events ENABLE ROW LEVEL SECURITY;

--
-- Name: access_events access_events_admins; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY access_events_admins ON audit.access_events FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND ( SELECT ctx.has_role('admin'::text) AS has_role)));


--
-- Name: access_events access_events_company_export; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY access_events_company_export ON audit.access_events FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: access_events access_events_definer; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY access_events_definer ON audit.access_events TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: chain_anchors; Type: ROW SECURITY; Schema: audit; Owner: palisade_owner
--

ALTER TABLE audit.chain_anchors ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_anchors chain_anchors_definer; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY chain_anchors_definer ON audit.chain_anchors TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: chain_heads; Type: ROW SECURITY; Schema: audit; Owner: palisade_owner
--

ALTER TABLE audit.chain_heads ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_heads chain_heads_definer; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY chain_heads_definer ON audit.chain_heads TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: chain_links; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links chain_links_definer; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY chain_links_definer ON audit.chain_links TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: chain_links_p2026_12; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2026_12 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_01; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_01 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_02; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_02 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_03; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_03 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_04; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_04 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_05; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_05 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_06; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_06 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_07; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_07 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_08; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_08 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_09; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_09 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_10; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_10 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_11; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_11 ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_links_p2027_12; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.chain_links_p2027_12 ENABLE ROW LEVEL SECURITY;

--
-- Name: event_windows; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.event_windows ENABLE ROW LEVEL SECURITY;

--
-- Name: event_windows event_windows_definer; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY event_windows_definer ON audit.event_windows TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: events; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events ENABLE ROW LEVEL SECURITY;

--
-- Name: events events_company_export; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY events_company_export ON audit.events FOR SELECT TO app_service USING (((tenant_id = ( SELECT ctx.scoped_tenant_id() AS scoped_tenant_id)) AND (NOT private) AND (current_setting('palisade.purpose'::text, true) = 'company_export'::text)));


--
-- Name: events events_definer; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY events_definer ON audit.events TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: events_p2026_12; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2026_12 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_01; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_01 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_02; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_02 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_03; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_03 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_04; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_04 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_05; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_05 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_06; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_06 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_07; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_07 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_08; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_08 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_09; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_09 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_10; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_10 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_11; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_11 ENABLE ROW LEVEL SECURITY;

--
-- Name: events_p2027_12; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.events_p2027_12 ENABLE ROW LEVEL SECURITY;

--
-- Name: events events_read; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY events_read ON audit.events FOR SELECT TO app_user USING (((tenant_id = ( SELECT ctx.tenant_id() AS tenant_id)) AND (((NOT private) AND ( SELECT ctx.has_role('manager'::text) AS has_role)) OR (private AND (owner_id = ( SELECT ctx.user_id() AS user_id))))));


--
-- Name: pending; Type: ROW SECURITY; Schema: audit; Owner: palisade_definer
--

ALTER TABLE audit.pending ENABLE ROW LEVEL SECURITY;

--
-- Name: pending pending_definer; Type: POLICY; Schema: audit; Owner: palisade_definer
--

CREATE POLICY pending_definer ON audit.pending TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: settings; Type: ROW SECURITY; Schema: audit; Owner: palisade_owner
--

ALTER TABLE audit.settings ENABLE ROW LEVEL SECURITY;

--
-- Name: settings settings_definer; Type: POLICY; Schema: audit; Owner: palisade_owner
--

CREATE POLICY settings_definer ON audit.settings FOR SELECT TO palisade_definer USING (true);


--
-- Name: identities; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.identities ENABLE ROW LEVEL SECURITY;

--
-- Name: identities identities_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY identities_definer ON auth.identities TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: identities identities_own; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY identities_own ON auth.identities FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: magic_links; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.magic_links ENABLE ROW LEVEL SECURITY;

--
-- Name: magic_links magic_links_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY magic_links_definer ON auth.magic_links TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: password_credentials; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.password_credentials ENABLE ROW LEVEL SECURITY;

--
-- Name: password_credentials password_credentials_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY password_credentials_definer ON auth.password_credentials TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: password_credentials password_credentials_own; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY password_credentials_own ON auth.password_credentials FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: recovery_codes; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.recovery_codes ENABLE ROW LEVEL SECURITY;

--
-- Name: recovery_codes recovery_codes_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY recovery_codes_definer ON auth.recovery_codes TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: recovery_codes recovery_codes_own; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY recovery_codes_own ON auth.recovery_codes FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens refresh_tokens_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY refresh_tokens_definer ON auth.refresh_tokens TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: sessions; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: sessions sessions_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY sessions_definer ON auth.sessions TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: sessions sessions_own; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY sessions_own ON auth.sessions FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: totp_factors; Type: ROW SECURITY; Schema: auth; Owner: palisade_owner
--

ALTER TABLE auth.totp_factors ENABLE ROW LEVEL SECURITY;

--
-- Name: totp_factors totp_factors_definer; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY totp_factors_definer ON auth.totp_factors TO palisade_definer USING (true) WITH CHECK (true);


--
-- Name: totp_factors totp_factors_own; Type: POLICY; Schema: auth; Owner: palisade_owner
--

CREATE POLICY totp_factors_own ON auth.totp_factors FOR SELECT TO app_user USING ((user_id = ( SELECT ctx.user_id() AS user_id)));


--
-- Name: key_checks; Type: ROW SECURITY; Schema: palisade_meta; Owner: palisade_owner
--

ALTER TABLE palisade_meta.key_checks ENABLE ROW LEVEL SECURITY;

--
-- Name: key_checks key_checks_definer_insert; Type: POLICY; Schema: palisade_meta; Owner: palisade_owner
--

CREATE POLICY key_checks_definer_insert ON palisade_meta.key_checks FOR INSERT TO palisade_definer WITH CHECK (true);


--
-- Name: key_checks key_checks_definer_select; Type: POLICY; Schema: palisade_meta; Owner: palisade_owner
--

CREATE POLICY key_checks_definer_select ON palisade_meta.key_checks FOR SELECT TO palisade_definer USING (true);


--
-- Name: schema_migrations; Type: ROW SECURITY; Schema: palisade_meta; Owner: palisade_owner
--

ALTER TABLE palisade_meta.schema_migrations ENABLE ROW LEVEL SECURITY;

--
-- Name: schema_migrations schema_migrations_owner; Type: POLICY; Schema: palisade_meta; Owner: palisade_owner
--

CREATE POLICY schema_migrations_owner ON palisade_meta.schema_migrations TO palisade_owner USING (true) WITH CHECK (true);


--
-- Name: schema_migrations schema_migrations_read; Type: POLICY; Schema: palisade_meta; Owner: palisade_owner
--

CREATE POLICY schema_migrations_read ON palisade_meta.schema_migrations FOR SELECT TO app_auth USING (true);


--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: palisade_owner
--

GRANT USAGE ON SCHEMA app TO palisade_runtime;
GRANT USAGE ON SCHEMA app TO app_user;
GRANT USAGE ON SCHEMA app TO app_service;
GRANT USAGE ON SCHEMA app TO app_reporting;
GRANT ALL ON SCHEMA app TO palisade_definer;


--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: palisade_owner
--

GRANT USAGE ON SCHEMA audit TO palisade_runtime;
GRANT USAGE ON SCHEMA audit TO app_user;
GRANT USAGE ON SCHEMA audit TO app_service;
GRANT USAGE ON SCHEMA audit TO app_auth;
GRANT ALL ON SCHEMA audit TO palisade_definer;


--
-- Name: SCHEMA auth; Type: ACL; Schema: -; Owner: palisade_owner
--

GRANT USAGE ON SCHEMA auth TO palisade_runtime;
GRANT USAGE ON SCHEMA auth TO app_auth;
GRANT ALL ON SCHEMA auth TO palisade_definer;
GRANT USAGE ON SCHEMA auth TO app_user;
GRANT USAGE ON SCHEMA auth TO app_service;


--
-- Name: SCHEMA ctx; Type: ACL; Schema: -; Owner: palisade_owner
--

GRANT USAGE ON SCHEMA ctx TO palisade_runtime;
GRANT USAGE ON SCHEMA ctx TO app_user;
GRANT USAGE ON SCHEMA ctx TO app_service;
GRANT USAGE ON SCHEMA ctx TO app_reporting;
GRANT USAGE ON SCHEMA ctx TO app_auth;
GRANT ALL ON SCHEMA ctx TO palisade_definer;


--
-- Name: SCHEMA palisade_meta; Type: ACL; Schema: -; Owner: palisade_owner
--

GRANT USAGE ON SCHEMA palisade_meta TO app_auth;
GRANT USAGE ON SCHEMA palisade_meta TO palisade_runtime;
GRANT ALL ON SCHEMA palisade_meta TO palisade_definer;
GRANT USAGE ON SCHEMA palisade_meta TO app_service;


--
-- Name: FUNCTION accept_invitation(p_token_hash bytea); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.accept_invitation(p_token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app.accept_invitation(p_token_hash bytea) TO app_user;


--
-- Name: FUNCTION ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION app.ai_reserve(p_purpose text, p_model text, p_reserve bigint, p_default_budget bigint) TO app_service;


--
-- Name: FUNCTION ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer, p_cost bigint, p_masked integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer, p_cost bigint, p_masked integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.ai_settle(p_id uuid, p_status text, p_prompt_tokens integer, p_completion_tokens integer, p_cost bigint, p_masked integer) TO app_service;


--
-- Name: FUNCTION begin_purge(p_slug text, p_operator boolean); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.begin_purge(p_slug text, p_operator boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app.begin_purge(p_slug text, p_operator boolean) TO app_service;
GRANT ALL ON FUNCTION app.begin_purge(p_slug text, p_operator boolean) TO palisade_owner;


--
-- Name: FUNCTION blind_index_guard(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.blind_index_guard() FROM PUBLIC;


--
-- Name: FUNCTION briefs_due(p_now timestamp with time zone, p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.briefs_due(p_now timestamp with time zone, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.briefs_due(p_now timestamp with time zone, p_limit integer) TO app_service;


--
-- Name: FUNCTION cancel_termination(p_tenant uuid, p_now timestamp with time zone); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.cancel_termination(p_tenant uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app.cancel_termination(p_tenant uuid, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION change_member_role(p_user uuid, p_role text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.change_member_role(p_user uuid, p_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.change_member_role(p_user uuid, p_role text) TO app_user;


--
-- Name: FUNCTION claim_incident_notices(p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.claim_incident_notices(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.claim_incident_notices(p_limit integer) TO app_service;


--
-- Name: FUNCTION claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.claim_outbound(p_limit integer, p_per_tenant integer, p_lease_seconds integer) TO app_service;


--
-- Name: FUNCTION confirm_phone_verification(p_code text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.confirm_phone_verification(p_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.confirm_phone_verification(p_code text) TO app_user;


--
-- Name: FUNCTION consent_block(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text, p_purpose text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.consent_block(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text, p_purpose text) FROM PUBLIC;


--
-- Name: FUNCTION consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.consent_block_here(p_lead uuid, p_member uuid, p_channel text, p_purpose text) TO app_service;


--
-- Name: FUNCTION consent_event_stamped(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.consent_event_stamped() FROM PUBLIC;


--
-- Name: FUNCTION create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval) TO app_user;


--
-- Name: FUNCTION create_tenant(p_slug text, p_name text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.create_tenant(p_slug text, p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.create_tenant(p_slug text, p_name text) TO app_user;


--
-- Name: FUNCTION crm_forget_links(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_forget_links() FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_forget_links() TO app_service;


--
-- Name: FUNCTION crm_members_by_email(p_emails text[]); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_members_by_email(p_emails text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_members_by_email(p_emails text[]) TO app_service;


--
-- Name: FUNCTION crm_queue_deal(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_queue_deal() FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_queue_deal() TO palisade_owner;


--
-- Name: FUNCTION crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamp with time zone[]); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamp with time zone[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamp with time zone[]) TO app_service;


--
-- Name: FUNCTION crm_sync_soon(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_sync_soon() FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_sync_soon() TO app_service;


--
-- Name: FUNCTION crm_tokens(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_tokens() FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_tokens() TO app_service;


--
-- Name: FUNCTION crm_writes_back(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.crm_writes_back() FROM PUBLIC;
GRANT ALL ON FUNCTION app.crm_writes_back() TO app_user;


--
-- Name: FUNCTION declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[]); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.declare_incident(p_title text, p_description text, p_severity text, p_tenants uuid[]) TO app_user;


--
-- Name: FUNCTION delete_account(p_now timestamp with time zone); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.delete_account(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app.delete_account(p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION due_assistant_tasks(p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.due_assistant_tasks(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.due_assistant_tasks(p_limit integer) TO app_service;


--
-- Name: FUNCTION due_crm_syncs(p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.due_crm_syncs(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.due_crm_syncs(p_limit integer) TO app_service;


--
-- Name: FUNCTION due_terminations(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.due_terminations() FROM PUBLIC;
GRANT ALL ON FUNCTION app.due_terminations() TO app_service;


--
-- Name: FUNCTION erase_brief_lines(p_lead uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.erase_brief_lines(p_lead uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.erase_brief_lines(p_lead uuid) TO app_service;


--
-- Name: FUNCTION finish_purge(p_tenant uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.finish_purge(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.finish_purge(p_tenant uuid) TO app_service;


--
-- Name: FUNCTION grant_platform_admin(p_email text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.grant_platform_admin(p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.grant_platform_admin(p_email text) TO app_service;


--
-- Name: FUNCTION guard_last_admin(p_tenant uuid, p_user uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.guard_last_admin(p_tenant uuid, p_user uuid) FROM PUBLIC;


--
-- Name: FUNCTION incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.incidents_for_admin(p_tenant uuid, p_cursor uuid, p_limit integer) TO app_user;


--
-- Name: FUNCTION integration_secret(p_provider text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.integration_secret(p_provider text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.integration_secret(p_provider text) TO app_service;


--
-- Name: FUNCTION knowledge_config(p_language text); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.knowledge_config(p_language text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.knowledge_config(p_language text) TO app_user;
GRANT ALL ON FUNCTION app.knowledge_config(p_language text) TO app_service;


--
-- Name: FUNCTION lead_address_changed(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.lead_address_changed() FROM PUBLIC;
GRANT ALL ON FUNCTION app.lead_address_changed() TO palisade_owner;


--
-- Name: FUNCTION leave_tenant(p_tenant uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.leave_tenant(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.leave_tenant(p_tenant uuid) TO app_user;


--
-- Name: FUNCTION list_platform_admins(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.list_platform_admins() FROM PUBLIC;
GRANT ALL ON FUNCTION app.list_platform_admins() TO app_service;


--
-- Name: FUNCTION mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.mark_incident_notified(p_incident uuid, p_tenant uuid, p_recipients integer) TO app_service;


--
-- Name: FUNCTION member_phone_changed(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.member_phone_changed() FROM PUBLIC;


--
-- Name: FUNCTION member_phone_superseded(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.member_phone_superseded() FROM PUBLIC;
GRANT ALL ON FUNCTION app.member_phone_superseded() TO palisade_owner;


--
-- Name: FUNCTION membership_status_changed(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.membership_status_changed() FROM PUBLIC;


--
-- Name: FUNCTION outbound_consent_guard(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.outbound_consent_guard() FROM PUBLIC;
GRANT ALL ON FUNCTION app.outbound_consent_guard() TO palisade_owner;


--
-- Name: FUNCTION platform_tenants(p_after text, p_limit integer, p_slugs text[]); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.platform_tenants(p_after text, p_limit integer, p_slugs text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.platform_tenants(p_after text, p_limit integer, p_slugs text[]) TO app_user;


--
-- Name: FUNCTION purge_batch(p_tenant uuid, p_limit integer, OUT table_name text, OUT deleted bigint); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.purge_batch(p_tenant uuid, p_limit integer, OUT table_name text, OUT deleted bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION app.purge_batch(p_tenant uuid, p_limit integer, OUT table_name text, OUT deleted bigint) TO app_service;


--
-- Name: FUNCTION purge_lock(p_tenant uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.purge_lock(p_tenant uuid) FROM PUBLIC;


--
-- Name: FUNCTION purge_tables(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.purge_tables() FROM PUBLIC;
GRANT ALL ON FUNCTION app.purge_tables() TO palisade_definer;


--
-- Name: FUNCTION record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text, p_message text, p_operation text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text, p_message text, p_operation text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.record_error_event(p_severity text, p_surface text, p_tenant uuid, p_code text, p_message text, p_operation text) TO app_service;


--
-- Name: FUNCTION remove_member(p_user uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.remove_member(p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.remove_member(p_user uuid) TO app_user;


--
-- Name: FUNCTION request_phone_code(p_channel text, OUT outcome text, OUT retry_after_secs integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.request_phone_code(p_channel text, OUT outcome text, OUT retry_after_secs integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.request_phone_code(p_channel text, OUT outcome text, OUT retry_after_secs integer) TO app_user;


--
-- Name: FUNCTION require_admin(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.require_admin() FROM PUBLIC;


--
-- Name: FUNCTION require_termination_context(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.require_termination_context() FROM PUBLIC;


--
-- Name: FUNCTION retention_default(p_class text); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.retention_default(p_class text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.retention_default(p_class text) TO app_user;
GRANT ALL ON FUNCTION app.retention_default(p_class text) TO app_service;
GRANT ALL ON FUNCTION app.retention_default(p_class text) TO palisade_definer;


--
-- Name: FUNCTION retention_minimum(p_class text); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.retention_minimum(p_class text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.retention_minimum(p_class text) TO app_user;
GRANT ALL ON FUNCTION app.retention_minimum(p_class text) TO app_service;
GRANT ALL ON FUNCTION app.retention_minimum(p_class text) TO palisade_definer;


--
-- Name: FUNCTION retention_sweep(p_class text, p_limit integer, p_dry_run boolean); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.retention_sweep(p_class text, p_limit integer, p_dry_run boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app.retention_sweep(p_class text, p_limit integer, p_dry_run boolean) TO app_service;


--
-- Name: FUNCTION retention_tenants(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.retention_tenants() FROM PUBLIC;
GRANT ALL ON FUNCTION app.retention_tenants() TO app_service;


--
-- Name: FUNCTION revoke_platform_admin(p_email text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.revoke_platform_admin(p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.revoke_platform_admin(p_email text) TO app_service;


--
-- Name: FUNCTION set_member_status(p_user uuid, p_status text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.set_member_status(p_user uuid, p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.set_member_status(p_user uuid, p_status text) TO app_user;


--
-- Name: FUNCTION set_phone_region(p_region text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.set_phone_region(p_region text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.set_phone_region(p_region text) TO app_user;


--
-- Name: FUNCTION set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]) TO app_user;


--
-- Name: FUNCTION sign_out_member(p_user uuid, p_now timestamp with time zone); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.sign_out_member(p_user uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app.sign_out_member(p_user uuid, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION start_termination(p_confirm_slug text, p_now timestamp with time zone, p_grace_seconds bigint); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.start_termination(p_confirm_slug text, p_now timestamp with time zone, p_grace_seconds bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION app.start_termination(p_confirm_slug text, p_now timestamp with time zone, p_grace_seconds bigint) TO app_user;


--
-- Name: FUNCTION subject_address(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.subject_address(p_tenant uuid, p_lead uuid, p_member uuid, p_channel text) FROM PUBLIC;


--
-- Name: FUNCTION template_deleted(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.template_deleted() FROM PUBLIC;
GRANT ALL ON FUNCTION app.template_deleted() TO palisade_owner;


--
-- Name: FUNCTION tenant_for_export(p_slug text); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.tenant_for_export(p_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.tenant_for_export(p_slug text) TO app_service;


--
-- Name: FUNCTION termination_for_admin(p_tenant uuid); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.termination_for_admin(p_tenant uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.termination_for_admin(p_tenant uuid) TO app_user;


--
-- Name: FUNCTION terminations_for_admin(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.terminations_for_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION app.terminations_for_admin() TO app_user;


--
-- Name: FUNCTION touch_updated_at(); Type: ACL; Schema: app; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION app.touch_updated_at() FROM PUBLIC;


--
-- Name: FUNCTION track_activity(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.track_activity() FROM PUBLIC;
GRANT ALL ON FUNCTION app.track_activity() TO palisade_owner;


--
-- Name: FUNCTION track_deal_totals(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.track_deal_totals() FROM PUBLIC;
GRANT ALL ON FUNCTION app.track_deal_totals() TO palisade_owner;


--
-- Name: FUNCTION unfinished_erasures(p_limit integer); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.unfinished_erasures(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.unfinished_erasures(p_limit integer) TO app_service;


--
-- Name: FUNCTION voice_consent_withdrawn(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.voice_consent_withdrawn() FROM PUBLIC;
GRANT ALL ON FUNCTION app.voice_consent_withdrawn() TO palisade_owner;


--
-- Name: FUNCTION voice_sample_needs_consent(); Type: ACL; Schema: app; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION app.voice_sample_needs_consent() FROM PUBLIC;
GRANT ALL ON FUNCTION app.voice_sample_needs_consent() TO palisade_owner;


--
-- Name: FUNCTION chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision) TO app_service;
GRANT ALL ON FUNCTION audit.chain_stats(OUT chains bigint, OUT linked bigint, OUT pending bigint, OUT oldest_pending_seconds double precision) TO app_auth;


--
-- Name: FUNCTION close_event_windows(p_now timestamp with time zone); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.close_event_windows(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.close_event_windows(p_now timestamp with time zone) TO app_service;


--
-- Name: FUNCTION count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet) TO app_service;


--
-- Name: FUNCTION drop_expired_partitions(); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.drop_expired_partitions() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.drop_expired_partitions() TO app_service;


--
-- Name: FUNCTION ensure_partitions(p_months_ahead integer); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.ensure_partitions(p_months_ahead integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.ensure_partitions(p_months_ahead integer) TO app_service;


--
-- Name: FUNCTION forbid_mutation(); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.forbid_mutation() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.forbid_mutation() TO palisade_owner;


--
-- Name: FUNCTION frame(v text); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.frame(v text) FROM PUBLIC;


--
-- Name: FUNCTION log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) TO app_user;
GRANT ALL ON FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) TO app_service;
GRANT ALL ON FUNCTION audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text, p_detail jsonb, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION partition_months_ahead(); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.partition_months_ahead() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.partition_months_ahead() TO app_service;
GRANT ALL ON FUNCTION audit.partition_months_ahead() TO app_auth;


--
-- Name: FUNCTION purge_chain_batch(p_tenant uuid, p_limit integer); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.purge_chain_batch(p_tenant uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.purge_chain_batch(p_tenant uuid, p_limit integer) TO app_service;


--
-- Name: FUNCTION record_change(); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.record_change() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_change() TO palisade_owner;


--
-- Name: FUNCTION redact_lead(p_lead uuid); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.redact_lead(p_lead uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.redact_lead(p_lead uuid) TO app_service;


--
-- Name: FUNCTION redact_lead(p_lead uuid, p_limit integer); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.redact_lead(p_lead uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.redact_lead(p_lead uuid, p_limit integer) TO app_service;


--
-- Name: FUNCTION require_system_context(); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.require_system_context() FROM PUBLIC;


--
-- Name: FUNCTION seal(p_limit integer); Type: ACL; Schema: audit; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION audit.seal(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal(p_limit integer) TO app_service;


--
-- Name: FUNCTION begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint, p_recovery_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint, p_recovery_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint, p_recovery_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION end_my_sessions(p_session uuid, p_except uuid, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.end_my_sessions(p_session uuid, p_except uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.end_my_sessions(p_session uuid, p_except uuid, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION ensure_user(p_email text, p_display_name text); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.ensure_user(p_email text, p_display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.ensure_user(p_email text, p_display_name text) TO app_auth;


--
-- Name: FUNCTION link_identity(p_issuer text, p_subject text, p_email text, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.link_identity(p_issuer text, p_subject text, p_email text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.link_identity(p_issuer text, p_subject text, p_email text, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid, p_client_ip inet) FROM PUBLIC;


--
-- Name: FUNCTION mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) TO app_auth;


--
-- Name: FUNCTION my_totp(); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.my_totp() FROM PUBLIC;
GRANT ALL ON FUNCTION auth.my_totp() TO app_user;


--
-- Name: FUNCTION oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean, p_link_by_email boolean, p_display_name text, p_open_signup boolean, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean, p_link_by_email boolean, p_display_name text, p_open_signup boolean, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean, p_link_by_email boolean, p_display_name text, p_open_signup boolean, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION oidc_sign_in_failed(p_reason text, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.oidc_sign_in_failed(p_reason text, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.oidc_sign_in_failed(p_reason text, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION open_session(p_user uuid, p_kind text, p_method text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.open_session(p_user uuid, p_kind text, p_method text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) FROM PUBLIC;


--
-- Name: FUNCTION password_for(p_email text); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.password_for(p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.password_for(p_email text) TO app_auth;


--
-- Name: FUNCTION password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamp with time zone, p_lifetime interval, p_user_agent text, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION password_sign_in_failed(p_user uuid, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.password_sign_in_failed(p_user uuid, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.password_sign_in_failed(p_user uuid, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION purge_expired(p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.purge_expired(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.purge_expired(p_now timestamp with time zone) TO app_service;


--
-- Name: FUNCTION refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamp with time zone, p_idle interval, p_client_ip inet) TO app_auth;


--
-- Name: FUNCTION remove_password(p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.remove_password(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.remove_password(p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION remove_totp(p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.remove_totp(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.remove_totp(p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION replace_recovery_codes(p_hashes bytea[], p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.replace_recovery_codes(p_hashes bytea[], p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.replace_recovery_codes(p_hashes bytea[], p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamp with time zone, p_valid_for interval, p_open_signup boolean); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamp with time zone, p_valid_for interval, p_open_signup boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamp with time zone, p_valid_for interval, p_open_signup boolean) TO app_auth;


--
-- Name: FUNCTION require_recent_authentication(p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.require_recent_authentication(p_now timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) TO app_auth;


--
-- Name: FUNCTION set_password(p_hash text, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.set_password(p_hash text, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.set_password(p_hash text, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamp with time zone) TO app_auth;


--
-- Name: FUNCTION unlink_identity(p_id uuid, p_now timestamp with time zone); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.unlink_identity(p_id uuid, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.unlink_identity(p_id uuid, p_now timestamp with time zone) TO app_user;


--
-- Name: FUNCTION user_id_by_email(p_email text); Type: ACL; Schema: auth; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION auth.user_id_by_email(p_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION auth.user_id_by_email(p_email text) TO app_auth;


--
-- Name: FUNCTION enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) TO app_user;
GRANT ALL ON FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) TO app_service;
GRANT ALL ON FUNCTION ctx.enter(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval, OUT state text, OUT role text, OUT blocked text) TO app_reporting;


--
-- Name: FUNCTION has_role(min_role text); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.has_role(min_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.has_role(min_role text) TO app_user;


--
-- Name: FUNCTION has_unmasked_card(p_text text); Type: ACL; Schema: ctx; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION ctx.has_unmasked_card(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.has_unmasked_card(p_text text) TO app_user;
GRANT ALL ON FUNCTION ctx.has_unmasked_card(p_text text) TO app_service;
GRANT ALL ON FUNCTION ctx.has_unmasked_card(p_text text) TO app_auth;
GRANT ALL ON FUNCTION ctx.has_unmasked_card(p_text text) TO palisade_definer;


--
-- Name: FUNCTION is_active_member(p_tenant uuid, p_user uuid); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.is_active_member(p_tenant uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.is_active_member(p_tenant uuid, p_user uuid) TO app_user;
GRANT ALL ON FUNCTION ctx.is_active_member(p_tenant uuid, p_user uuid) TO app_service;


--
-- Name: FUNCTION is_platform_admin(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.is_platform_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.is_platform_admin() TO app_user;


--
-- Name: FUNCTION luhn(p_digits text); Type: ACL; Schema: ctx; Owner: palisade_owner
--

REVOKE ALL ON FUNCTION ctx.luhn(p_digits text) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.luhn(p_digits text) TO app_user;
GRANT ALL ON FUNCTION ctx.luhn(p_digits text) TO app_service;
GRANT ALL ON FUNCTION ctx.luhn(p_digits text) TO app_auth;
GRANT ALL ON FUNCTION ctx.luhn(p_digits text) TO palisade_definer;


--
-- Name: FUNCTION member_tenant_ids(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.member_tenant_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.member_tenant_ids() TO app_user;


--
-- Name: FUNCTION membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text, p_sessions_revoked_at timestamp with time zone); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text, p_sessions_revoked_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION purging_tenant_id(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.purging_tenant_id() FROM PUBLIC;


--
-- Name: FUNCTION scoped_tenant_id(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.scoped_tenant_id() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.scoped_tenant_id() TO app_service;
GRANT ALL ON FUNCTION ctx.scoped_tenant_id() TO app_reporting;


--
-- Name: FUNCTION session_gate(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamp with time zone, p_idle interval) TO app_user;


--
-- Name: FUNCTION sign_in_blocked(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.sign_in_blocked() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.sign_in_blocked() TO app_user;


--
-- Name: FUNCTION sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text, p_email text) FROM PUBLIC;


--
-- Name: FUNCTION tenant_id(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.tenant_id() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.tenant_id() TO app_user;


--
-- Name: FUNCTION tenant_role(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.tenant_role() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.tenant_role() TO app_user;


--
-- Name: FUNCTION user_id(); Type: ACL; Schema: ctx; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION ctx.user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION ctx.user_id() TO app_user;


--
-- Name: FUNCTION register_keys(p_keyring text, p_ids text[], p_checks bytea[]); Type: ACL; Schema: palisade_meta; Owner: palisade_definer
--

REVOKE ALL ON FUNCTION palisade_meta.register_keys(p_keyring text, p_ids text[], p_checks bytea[]) FROM PUBLIC;
GRANT ALL ON FUNCTION palisade_meta.register_keys(p_keyring text, p_ids text[], p_checks bytea[]) TO app_service;


--
-- Name: TABLE activity_daily; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.activity_daily TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.activity_daily TO palisade_definer;
GRANT SELECT ON TABLE app.activity_daily TO app_service;


--
-- Name: COLUMN activity_daily.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.activity_daily TO palisade_definer;


--
-- Name: COLUMN activity_daily.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.activity_daily TO palisade_definer;


--
-- Name: TABLE ai_settings; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE app.ai_settings TO app_user;
GRANT SELECT ON TABLE app.ai_settings TO app_service;
GRANT SELECT,DELETE ON TABLE app.ai_settings TO palisade_definer;


--
-- Name: COLUMN ai_settings.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.ai_settings TO palisade_definer;


--
-- Name: COLUMN ai_settings.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.ai_settings TO palisade_definer;


--
-- Name: TABLE ai_usage; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.ai_usage TO app_user;
GRANT SELECT ON TABLE app.ai_usage TO app_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.ai_usage TO palisade_definer;


--
-- Name: COLUMN ai_usage.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.ai_usage TO palisade_definer;


--
-- Name: COLUMN ai_usage.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.ai_usage TO palisade_definer;


--
-- Name: TABLE assistant_holds; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.assistant_holds TO app_user;
GRANT SELECT,INSERT ON TABLE app.assistant_holds TO app_service;
GRANT DELETE ON TABLE app.assistant_holds TO palisade_definer;


--
-- Name: COLUMN assistant_holds.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.assistant_holds TO palisade_definer;


--
-- Name: COLUMN assistant_holds.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.assistant_holds TO palisade_definer;


--
-- Name: COLUMN assistant_holds.reason; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(reason) ON TABLE app.assistant_holds TO app_service;


--
-- Name: COLUMN assistant_holds.held_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(held_at) ON TABLE app.assistant_holds TO app_service;


--
-- Name: COLUMN assistant_holds.released_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(released_at) ON TABLE app.assistant_holds TO app_user;
GRANT UPDATE(released_at) ON TABLE app.assistant_holds TO app_service;


--
-- Name: COLUMN assistant_holds.released_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(released_by) ON TABLE app.assistant_holds TO app_user;
GRANT UPDATE(released_by) ON TABLE app.assistant_holds TO app_service;


--
-- Name: TABLE assistant_tasks; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.assistant_tasks TO app_service;
GRANT DELETE ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.assistant_tasks TO app_service;
GRANT SELECT(status) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.attempts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(attempts) ON TABLE app.assistant_tasks TO app_service;
GRANT SELECT(attempts) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.not_before; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(not_before) ON TABLE app.assistant_tasks TO app_service;
GRANT SELECT(not_before) ON TABLE app.assistant_tasks TO palisade_definer;


--
-- Name: COLUMN assistant_tasks.outcome; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(outcome) ON TABLE app.assistant_tasks TO app_service;


--
-- Name: TABLE brief_preferences; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.brief_preferences TO app_user;
GRANT SELECT ON TABLE app.brief_preferences TO app_service;
GRANT SELECT,DELETE ON TABLE app.brief_preferences TO palisade_definer;


--
-- Name: COLUMN brief_preferences.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.brief_preferences TO palisade_definer;


--
-- Name: COLUMN brief_preferences.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.brief_preferences TO palisade_definer;


--
-- Name: COLUMN brief_preferences.time_zone; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(time_zone) ON TABLE app.brief_preferences TO app_user;


--
-- Name: COLUMN brief_preferences.send_hour; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(send_hour) ON TABLE app.brief_preferences TO app_user;


--
-- Name: TABLE coaching_observations; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.coaching_observations TO app_user;
GRANT INSERT ON TABLE app.coaching_observations TO app_service;
GRANT DELETE ON TABLE app.coaching_observations TO palisade_definer;


--
-- Name: COLUMN coaching_observations.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.coaching_observations TO palisade_definer;


--
-- Name: COLUMN coaching_observations.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.coaching_observations TO palisade_definer;


--
-- Name: COLUMN coaching_observations.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(owner_id) ON TABLE app.coaching_observations TO palisade_definer;


--
-- Name: COLUMN coaching_observations.lead_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(lead_id) ON TABLE app.coaching_observations TO app_user;


--
-- Name: COLUMN coaching_observations.category; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(category) ON TABLE app.coaching_observations TO app_user;


--
-- Name: COLUMN coaching_observations.observation; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(observation) ON TABLE app.coaching_observations TO app_user;


--
-- Name: TABLE consent_events; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.consent_events TO app_user;
GRANT SELECT,INSERT ON TABLE app.consent_events TO app_service;
GRANT SELECT,INSERT,DELETE ON TABLE app.consent_events TO palisade_definer;


--
-- Name: COLUMN consent_events.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.consent_events TO palisade_definer;


--
-- Name: COLUMN consent_events.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.consent_events TO palisade_definer;


--
-- Name: TABLE crm_connections; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT,DELETE ON TABLE app.crm_connections TO app_user;
GRANT DELETE ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.crm_connections TO app_service;
GRANT SELECT(tenant_id) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.kind; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(kind),UPDATE(kind) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(kind) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.portal_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(portal_id),UPDATE(portal_id) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(portal_id) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.hub_domain; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(hub_domain),UPDATE(hub_domain) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(hub_domain) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.scopes; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(scopes),UPDATE(scopes) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(scopes) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.tokens_sealed; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(tokens_sealed) ON TABLE app.crm_connections TO app_user;
GRANT UPDATE(tokens_sealed) ON TABLE app.crm_connections TO app_service;
GRANT SELECT(tokens_sealed) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.key_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(key_id),UPDATE(key_id) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(key_id),UPDATE(key_id) ON TABLE app.crm_connections TO app_service;
GRANT SELECT(key_id) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.last_four; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(last_four),UPDATE(last_four) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(last_four),UPDATE(last_four) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.access_expires_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(access_expires_at),UPDATE(access_expires_at) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(access_expires_at),UPDATE(access_expires_at) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(status),UPDATE(status) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(status),UPDATE(status) ON TABLE app.crm_connections TO app_service;
GRANT SELECT(status) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.failure; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(failure),UPDATE(failure) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(failure),UPDATE(failure) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.write_back; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(write_back),UPDATE(write_back) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(write_back) ON TABLE app.crm_connections TO app_service;
GRANT SELECT(write_back) ON TABLE app.crm_connections TO palisade_definer;


--
-- Name: COLUMN crm_connections.gdpr_delete; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(gdpr_delete),UPDATE(gdpr_delete) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(gdpr_delete) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.connected_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(connected_by),UPDATE(connected_by) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(connected_by) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.connected_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(connected_at),UPDATE(connected_at) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(connected_at) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.refreshed_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(refreshed_at),UPDATE(refreshed_at) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(refreshed_at),UPDATE(refreshed_at) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(created_at) ON TABLE app.crm_connections TO app_service;


--
-- Name: COLUMN crm_connections.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.crm_connections TO app_user;
GRANT SELECT(updated_at) ON TABLE app.crm_connections TO app_service;


--
-- Name: TABLE crm_outbox; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.crm_outbox TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE app.crm_outbox TO app_service;
GRANT INSERT,DELETE ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.kind; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(kind) ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.remote_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(remote_id) ON TABLE app.crm_outbox TO app_service;


--
-- Name: COLUMN crm_outbox.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.crm_outbox TO app_service;
GRANT SELECT(status) ON TABLE app.crm_outbox TO palisade_definer;


--
-- Name: COLUMN crm_outbox.attempts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(attempts) ON TABLE app.crm_outbox TO app_service;


--
-- Name: COLUMN crm_outbox.not_before; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(not_before) ON TABLE app.crm_outbox TO app_service;


--
-- Name: COLUMN crm_outbox.sent_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(sent_at) ON TABLE app.crm_outbox TO app_service;


--
-- Name: COLUMN crm_outbox.outcome; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(outcome) ON TABLE app.crm_outbox TO app_service;


--
-- Name: TABLE crm_sync_cursors; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.crm_sync_cursors TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.crm_sync_cursors TO app_service;
GRANT DELETE ON TABLE app.crm_sync_cursors TO palisade_definer;


--
-- Name: COLUMN crm_sync_cursors.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.crm_sync_cursors TO palisade_definer;


--
-- Name: COLUMN crm_sync_cursors.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.crm_sync_cursors TO palisade_definer;


--
-- Name: TABLE crm_sync_runs; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.crm_sync_runs TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.crm_sync_runs TO app_service;
GRANT DELETE ON TABLE app.crm_sync_runs TO palisade_definer;


--
-- Name: COLUMN crm_sync_runs.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.crm_sync_runs TO palisade_definer;


--
-- Name: COLUMN crm_sync_runs.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.crm_sync_runs TO palisade_definer;


--
-- Name: COLUMN crm_sync_runs.lease_until; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(lease_until) ON TABLE app.crm_sync_runs TO palisade_definer;


--
-- Name: COLUMN crm_sync_runs.next_run_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(next_run_at) ON TABLE app.crm_sync_runs TO app_user;
GRANT SELECT(next_run_at),UPDATE(next_run_at) ON TABLE app.crm_sync_runs TO palisade_definer;


--
-- Name: TABLE deal_stage_totals; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.deal_stage_totals TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.deal_stage_totals TO palisade_definer;
GRANT SELECT ON TABLE app.deal_stage_totals TO app_service;


--
-- Name: COLUMN deal_stage_totals.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.deal_stage_totals TO palisade_definer;


--
-- Name: COLUMN deal_stage_totals.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.deal_stage_totals TO palisade_definer;


--
-- Name: TABLE deals; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,DELETE ON TABLE app.deals TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE app.deals TO app_service;
GRANT DELETE ON TABLE app.deals TO palisade_definer;


--
-- Name: COLUMN deals.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.deals TO palisade_definer;


--
-- Name: COLUMN deals.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.deals TO app_reporting;
GRANT SELECT(tenant_id) ON TABLE app.deals TO palisade_definer;
GRANT INSERT(tenant_id) ON TABLE app.deals TO app_user;


--
-- Name: COLUMN deals.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.deals TO app_reporting;
GRANT INSERT(id) ON TABLE app.deals TO app_user;
GRANT SELECT(id) ON TABLE app.deals TO palisade_definer;


--
-- Name: COLUMN deals.lead_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(lead_id) ON TABLE app.deals TO app_reporting;
GRANT INSERT(lead_id) ON TABLE app.deals TO app_user;


--
-- Name: COLUMN deals.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(owner_id),UPDATE(owner_id) ON TABLE app.deals TO app_user;
GRANT UPDATE(owner_id) ON TABLE app.deals TO app_service;
GRANT SELECT(owner_id) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.title; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app.deals TO app_user;
GRANT UPDATE(title) ON TABLE app.deals TO app_service;


--
-- Name: COLUMN deals.stage; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(stage),UPDATE(stage) ON TABLE app.deals TO app_user;
GRANT UPDATE(stage) ON TABLE app.deals TO app_service;
GRANT SELECT(stage) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.amount_cents; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(amount_cents),UPDATE(amount_cents) ON TABLE app.deals TO app_user;
GRANT UPDATE(amount_cents) ON TABLE app.deals TO app_service;
GRANT SELECT(amount_cents) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.currency; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE app.deals TO app_user;
GRANT UPDATE(currency) ON TABLE app.deals TO app_service;
GRANT SELECT(currency) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.product; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(product),UPDATE(product) ON TABLE app.deals TO app_user;
GRANT UPDATE(product) ON TABLE app.deals TO app_service;
GRANT SELECT(product) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.closed_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(closed_at),UPDATE(closed_at) ON TABLE app.deals TO app_user;
GRANT UPDATE(closed_at) ON TABLE app.deals TO app_service;
GRANT SELECT(closed_at) ON TABLE app.deals TO app_reporting;


--
-- Name: COLUMN deals.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.deals TO app_reporting;
GRANT INSERT(created_at) ON TABLE app.deals TO app_user;


--
-- Name: COLUMN deals.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.deals TO app_reporting;
GRANT INSERT(updated_at) ON TABLE app.deals TO app_user;


--
-- Name: COLUMN deals.hubspot_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(hubspot_id) ON TABLE app.deals TO app_service;
GRANT SELECT(hubspot_id),UPDATE(hubspot_id) ON TABLE app.deals TO palisade_definer;


--
-- Name: COLUMN deals.hubspot_modified_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(hubspot_modified_at) ON TABLE app.deals TO app_service;
GRANT SELECT(hubspot_modified_at),UPDATE(hubspot_modified_at) ON TABLE app.deals TO palisade_definer;


--
-- Name: TABLE drafts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.drafts TO app_user;
GRANT INSERT ON TABLE app.drafts TO app_service;
GRANT DELETE ON TABLE app.drafts TO palisade_definer;


--
-- Name: COLUMN drafts.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.drafts TO palisade_definer;


--
-- Name: COLUMN drafts.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.drafts TO palisade_definer;


--
-- Name: COLUMN drafts.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.drafts TO palisade_definer;


--
-- Name: COLUMN drafts.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(owner_id) ON TABLE app.drafts TO palisade_definer;


--
-- Name: COLUMN drafts.lead_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(lead_id) ON TABLE app.drafts TO app_user;


--
-- Name: COLUMN drafts.channel; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(channel) ON TABLE app.drafts TO app_user;


--
-- Name: COLUMN drafts.subject; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(subject) ON TABLE app.drafts TO app_user;


--
-- Name: COLUMN drafts.body; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(body) ON TABLE app.drafts TO app_user;


--
-- Name: COLUMN drafts.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.drafts TO palisade_definer;


--
-- Name: TABLE erasures; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.erasures TO app_user;
GRANT SELECT,INSERT ON TABLE app.erasures TO app_service;
GRANT DELETE ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.erasures TO app_service;
GRANT SELECT(status) ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.pending_leads; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(pending_leads) ON TABLE app.erasures TO app_service;


--
-- Name: COLUMN erasures.counts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(counts) ON TABLE app.erasures TO app_service;


--
-- Name: COLUMN erasures.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.erasures TO palisade_definer;


--
-- Name: COLUMN erasures.finished_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(finished_at) ON TABLE app.erasures TO app_service;


--
-- Name: TABLE error_events; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.error_events TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.error_events TO palisade_definer;


--
-- Name: COLUMN error_events.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.error_events TO palisade_definer;


--
-- Name: COLUMN error_events.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.error_events TO palisade_definer;


--
-- Name: TABLE incident_tenants; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.incident_tenants TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.incident_tenants TO palisade_definer;


--
-- Name: COLUMN incident_tenants.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.incident_tenants TO palisade_definer;


--
-- Name: COLUMN incident_tenants.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.incident_tenants TO palisade_definer;


--
-- Name: TABLE incidents; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.incidents TO app_user;
GRANT SELECT,INSERT,UPDATE ON TABLE app.incidents TO palisade_definer;


--
-- Name: COLUMN incidents.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.incidents TO app_user;


--
-- Name: COLUMN incidents.resolved_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(resolved_at) ON TABLE app.incidents TO app_user;


--
-- Name: TABLE integrations; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT DELETE ON TABLE app.integrations TO app_user;
GRANT SELECT,DELETE ON TABLE app.integrations TO palisade_definer;


--
-- Name: COLUMN integrations.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.integrations TO palisade_definer;


--
-- Name: COLUMN integrations.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id),INSERT(tenant_id) ON TABLE app.integrations TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.integrations TO app_service;
GRANT SELECT(tenant_id) ON TABLE app.integrations TO palisade_definer;


--
-- Name: COLUMN integrations.provider; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(provider),INSERT(provider) ON TABLE app.integrations TO app_user;
GRANT SELECT(provider) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.config; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(config),INSERT(config),UPDATE(config) ON TABLE app.integrations TO app_user;
GRANT SELECT(config) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.secret_sealed; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(secret_sealed),UPDATE(secret_sealed) ON TABLE app.integrations TO app_user;


--
-- Name: COLUMN integrations.key_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(key_id),INSERT(key_id),UPDATE(key_id) ON TABLE app.integrations TO app_user;
GRANT SELECT(key_id) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.last_four; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(last_four),INSERT(last_four),UPDATE(last_four) ON TABLE app.integrations TO app_user;
GRANT SELECT(last_four) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(status),INSERT(status),UPDATE(status) ON TABLE app.integrations TO app_user;
GRANT SELECT(status) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.set_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(set_by),INSERT(set_by),UPDATE(set_by) ON TABLE app.integrations TO app_user;
GRANT SELECT(set_by) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.set_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(set_at),INSERT(set_at),UPDATE(set_at) ON TABLE app.integrations TO app_user;
GRANT SELECT(set_at) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.integrations TO app_user;
GRANT SELECT(created_at) ON TABLE app.integrations TO app_service;


--
-- Name: COLUMN integrations.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.integrations TO app_user;
GRANT SELECT(updated_at) ON TABLE app.integrations TO app_service;


--
-- Name: TABLE interactions; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.interactions TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE app.interactions TO app_service;
GRANT DELETE ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(tenant_id) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(id) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.lead_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(lead_id) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(lead_id) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.actor_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(actor_id) ON TABLE app.interactions TO app_reporting;


--
-- Name: COLUMN interactions.channel; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(channel) ON TABLE app.interactions TO app_user;
GRANT UPDATE(channel) ON TABLE app.interactions TO app_service;
GRANT SELECT(channel) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(channel) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.direction; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(direction) ON TABLE app.interactions TO app_user;
GRANT UPDATE(direction) ON TABLE app.interactions TO app_service;
GRANT SELECT(direction) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(direction) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.body; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(body) ON TABLE app.interactions TO app_user;
GRANT UPDATE(body) ON TABLE app.interactions TO app_service;


--
-- Name: COLUMN interactions.occurred_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(occurred_at) ON TABLE app.interactions TO app_user;
GRANT UPDATE(occurred_at) ON TABLE app.interactions TO app_service;
GRANT SELECT(occurred_at) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(occurred_at) ON TABLE app.interactions TO palisade_definer;


--
-- Name: COLUMN interactions.advised; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(advised) ON TABLE app.interactions TO app_user;
GRANT UPDATE(advised) ON TABLE app.interactions TO app_service;
GRANT SELECT(advised) ON TABLE app.interactions TO app_reporting;


--
-- Name: COLUMN interactions.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.interactions TO app_reporting;
GRANT SELECT(created_at) ON TABLE app.interactions TO palisade_definer;


--
-- Name: TABLE invitations; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.invitations TO palisade_definer;


--
-- Name: COLUMN invitations.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.invitations TO palisade_definer;


--
-- Name: COLUMN invitations.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.invitations TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.invitations TO app_service;
GRANT SELECT(tenant_id) ON TABLE app.invitations TO palisade_definer;


--
-- Name: COLUMN invitations.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.invitations TO app_user;
GRANT SELECT(id) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.email; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(email) ON TABLE app.invitations TO app_user;
GRANT SELECT(email) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.role; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(role) ON TABLE app.invitations TO app_user;
GRANT SELECT(role) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.invited_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(invited_by) ON TABLE app.invitations TO app_user;
GRANT SELECT(invited_by) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.expires_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(expires_at) ON TABLE app.invitations TO app_user;
GRANT SELECT(expires_at) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.accepted_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(accepted_at) ON TABLE app.invitations TO app_user;
GRANT SELECT(accepted_at) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.accepted_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(accepted_by) ON TABLE app.invitations TO app_user;
GRANT SELECT(accepted_by) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.revoked_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(revoked_at),UPDATE(revoked_at) ON TABLE app.invitations TO app_user;
GRANT SELECT(revoked_at) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.invitations TO app_user;
GRANT SELECT(created_at) ON TABLE app.invitations TO app_service;


--
-- Name: COLUMN invitations.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.invitations TO app_user;
GRANT SELECT(updated_at) ON TABLE app.invitations TO app_service;


--
-- Name: TABLE knowledge_entries; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.knowledge_entries TO app_user;
GRANT SELECT ON TABLE app.knowledge_entries TO app_service;
GRANT DELETE ON TABLE app.knowledge_entries TO palisade_definer;


--
-- Name: COLUMN knowledge_entries.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.knowledge_entries TO palisade_definer;


--
-- Name: COLUMN knowledge_entries.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.knowledge_entries TO palisade_definer;


--
-- Name: COLUMN knowledge_entries.title; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(title) ON TABLE app.knowledge_entries TO app_user;


--
-- Name: COLUMN knowledge_entries.body; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(body) ON TABLE app.knowledge_entries TO app_user;


--
-- Name: COLUMN knowledge_entries.language; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(language) ON TABLE app.knowledge_entries TO app_user;


--
-- Name: TABLE knowledge_passages; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.knowledge_passages TO app_user;
GRANT SELECT ON TABLE app.knowledge_passages TO app_service;
GRANT DELETE ON TABLE app.knowledge_passages TO palisade_definer;


--
-- Name: COLUMN knowledge_passages.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.knowledge_passages TO palisade_definer;


--
-- Name: COLUMN knowledge_passages.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.knowledge_passages TO palisade_definer;


--
-- Name: TABLE leads; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,DELETE ON TABLE app.leads TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE app.leads TO app_service;
GRANT DELETE ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.leads TO app_reporting;
GRANT SELECT(tenant_id) ON TABLE app.leads TO palisade_definer;
GRANT INSERT(tenant_id) ON TABLE app.leads TO app_user;


--
-- Name: COLUMN leads.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.leads TO app_reporting;
GRANT SELECT(id) ON TABLE app.leads TO palisade_definer;
GRANT INSERT(id) ON TABLE app.leads TO app_user;


--
-- Name: COLUMN leads.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(owner_id),UPDATE(owner_id) ON TABLE app.leads TO app_user;
GRANT UPDATE(owner_id) ON TABLE app.leads TO app_service;
GRANT SELECT(owner_id) ON TABLE app.leads TO app_reporting;
GRANT SELECT(owner_id) ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.name; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app.leads TO app_user;
GRANT UPDATE(name) ON TABLE app.leads TO app_service;


--
-- Name: COLUMN leads.email; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(email),UPDATE(email) ON TABLE app.leads TO app_user;
GRANT UPDATE(email) ON TABLE app.leads TO app_service;


--
-- Name: COLUMN leads.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app.leads TO app_user;
GRANT UPDATE(status) ON TABLE app.leads TO app_service;
GRANT SELECT(status) ON TABLE app.leads TO app_reporting;


--
-- Name: COLUMN leads.source; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(source),UPDATE(source) ON TABLE app.leads TO app_user;
GRANT UPDATE(source) ON TABLE app.leads TO app_service;
GRANT SELECT(source) ON TABLE app.leads TO app_reporting;


--
-- Name: COLUMN leads.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.leads TO app_reporting;
GRANT INSERT(created_at) ON TABLE app.leads TO app_user;


--
-- Name: COLUMN leads.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.leads TO app_reporting;
GRANT INSERT(updated_at) ON TABLE app.leads TO app_user;


--
-- Name: COLUMN leads.phone_sealed; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(phone_sealed),UPDATE(phone_sealed) ON TABLE app.leads TO app_user;
GRANT UPDATE(phone_sealed) ON TABLE app.leads TO app_service;


--
-- Name: COLUMN leads.phone_index; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(phone_index),UPDATE(phone_index) ON TABLE app.leads TO app_user;
GRANT UPDATE(phone_index) ON TABLE app.leads TO app_service;
GRANT SELECT(phone_index) ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.email_index; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(email_index),UPDATE(email_index) ON TABLE app.leads TO app_user;
GRANT UPDATE(email_index) ON TABLE app.leads TO app_service;
GRANT SELECT(email_index) ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.hubspot_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(hubspot_id) ON TABLE app.leads TO app_service;
GRANT SELECT(hubspot_id),UPDATE(hubspot_id) ON TABLE app.leads TO palisade_definer;


--
-- Name: COLUMN leads.hubspot_modified_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(hubspot_modified_at) ON TABLE app.leads TO app_service;
GRANT SELECT(hubspot_modified_at),UPDATE(hubspot_modified_at) ON TABLE app.leads TO palisade_definer;


--
-- Name: TABLE member_phones; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,DELETE ON TABLE app.member_phones TO app_user;
GRANT SELECT ON TABLE app.member_phones TO app_service;
GRANT DELETE ON TABLE app.member_phones TO palisade_definer;


--
-- Name: COLUMN member_phones.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.member_phones TO palisade_definer;


--
-- Name: COLUMN member_phones.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(tenant_id) ON TABLE app.member_phones TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.member_phones TO palisade_definer;


--
-- Name: COLUMN member_phones.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(owner_id) ON TABLE app.member_phones TO app_user;
GRANT SELECT(owner_id) ON TABLE app.member_phones TO palisade_definer;


--
-- Name: COLUMN member_phones.phone_sealed; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(phone_sealed),UPDATE(phone_sealed) ON TABLE app.member_phones TO app_user;


--
-- Name: COLUMN member_phones.phone_index; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(phone_index),UPDATE(phone_index) ON TABLE app.member_phones TO app_user;
GRANT SELECT(phone_index) ON TABLE app.member_phones TO palisade_definer;


--
-- Name: COLUMN member_phones.verified_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(verified_at),UPDATE(verified_at) ON TABLE app.member_phones TO palisade_definer;


--
-- Name: TABLE memberships; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.memberships TO app_user;
GRANT SELECT ON TABLE app.memberships TO app_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.memberships TO palisade_definer;


--
-- Name: COLUMN memberships.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.memberships TO palisade_definer;


--
-- Name: COLUMN memberships.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.memberships TO palisade_definer;


--
-- Name: TABLE message_templates; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.message_templates TO app_user;
GRANT SELECT ON TABLE app.message_templates TO app_service;
GRANT DELETE ON TABLE app.message_templates TO palisade_definer;


--
-- Name: COLUMN message_templates.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.message_templates TO palisade_definer;


--
-- Name: COLUMN message_templates.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.message_templates TO palisade_definer;


--
-- Name: COLUMN message_templates.name; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(name) ON TABLE app.message_templates TO app_user;


--
-- Name: COLUMN message_templates.channel; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(channel) ON TABLE app.message_templates TO app_user;


--
-- Name: COLUMN message_templates.purpose; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(purpose) ON TABLE app.message_templates TO app_user;


--
-- Name: COLUMN message_templates.subject; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(subject) ON TABLE app.message_templates TO app_user;


--
-- Name: COLUMN message_templates.body; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(body) ON TABLE app.message_templates TO app_user;


--
-- Name: TABLE outbound_messages; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.outbound_messages TO app_user;
GRANT SELECT,INSERT ON TABLE app.outbound_messages TO app_service;
GRANT INSERT,DELETE ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(tenant_id) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(id) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.lead_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(lead_id) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.member_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(member_id) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.channel; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(channel) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(channel) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.purpose; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(purpose) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(purpose) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.body; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(body),UPDATE(body) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.outbound_messages TO app_service;
GRANT SELECT(status),UPDATE(status) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(status) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.attempts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(attempts) ON TABLE app.outbound_messages TO app_service;
GRANT SELECT(attempts),UPDATE(attempts) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.next_attempt_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(next_attempt_at) ON TABLE app.outbound_messages TO app_service;
GRANT SELECT(next_attempt_at),UPDATE(next_attempt_at) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.provider_message_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(provider_message_id) ON TABLE app.outbound_messages TO app_service;


--
-- Name: COLUMN outbound_messages.last_error; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(last_error) ON TABLE app.outbound_messages TO app_service;
GRANT UPDATE(last_error) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.created_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_by) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.outbound_messages TO palisade_definer;
GRANT SELECT(created_at) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.sent_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(sent_at) ON TABLE app.outbound_messages TO app_service;
GRANT SELECT(sent_at) ON TABLE app.outbound_messages TO app_reporting;


--
-- Name: COLUMN outbound_messages.brief_on; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(brief_on) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: COLUMN outbound_messages.template_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(template_id),UPDATE(template_id) ON TABLE app.outbound_messages TO palisade_definer;


--
-- Name: TABLE phone_verifications; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.phone_verifications TO palisade_definer;


--
-- Name: COLUMN phone_verifications.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.phone_verifications TO palisade_definer;


--
-- Name: COLUMN phone_verifications.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.phone_verifications TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.phone_verifications TO app_service;
GRANT SELECT(tenant_id) ON TABLE app.phone_verifications TO palisade_definer;


--
-- Name: COLUMN phone_verifications.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(owner_id) ON TABLE app.phone_verifications TO app_user;
GRANT SELECT(owner_id) ON TABLE app.phone_verifications TO app_service;


--
-- Name: COLUMN phone_verifications.phone_index; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(phone_index) ON TABLE app.phone_verifications TO app_user;
GRANT SELECT(phone_index) ON TABLE app.phone_verifications TO app_service;


--
-- Name: COLUMN phone_verifications.attempts; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(attempts) ON TABLE app.phone_verifications TO app_user;


--
-- Name: COLUMN phone_verifications.expires_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(expires_at) ON TABLE app.phone_verifications TO app_user;
GRANT SELECT(expires_at) ON TABLE app.phone_verifications TO app_service;


--
-- Name: COLUMN phone_verifications.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.phone_verifications TO app_user;


--
-- Name: TABLE platform_admins; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.platform_admins TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE app.platform_admins TO palisade_definer;


--
-- Name: TABLE retention_settings; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,DELETE ON TABLE app.retention_settings TO app_user;
GRANT SELECT ON TABLE app.retention_settings TO app_service;
GRANT SELECT,DELETE ON TABLE app.retention_settings TO palisade_definer;


--
-- Name: COLUMN retention_settings.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.retention_settings TO palisade_definer;


--
-- Name: COLUMN retention_settings.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(tenant_id) ON TABLE app.retention_settings TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.retention_settings TO palisade_definer;


--
-- Name: COLUMN retention_settings.data_class; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(data_class) ON TABLE app.retention_settings TO app_user;


--
-- Name: COLUMN retention_settings.keep_days; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(keep_days),UPDATE(keep_days) ON TABLE app.retention_settings TO app_user;


--
-- Name: COLUMN retention_settings.set_by; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT INSERT(set_by),UPDATE(set_by) ON TABLE app.retention_settings TO app_user;


--
-- Name: TABLE suppressions; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.suppressions TO app_service;
GRANT SELECT ON TABLE app.suppressions TO app_user;
GRANT SELECT ON TABLE app.suppressions TO palisade_definer;


--
-- Name: COLUMN suppressions.reason; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(reason) ON TABLE app.suppressions TO app_service;


--
-- Name: TABLE tenants; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.tenants TO app_user;
GRANT SELECT ON TABLE app.tenants TO app_service;
GRANT SELECT,INSERT,UPDATE ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.slug; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(slug) ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.name; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(name) ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.email_domains; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(email_domains) ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.help_text; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(help_text) ON TABLE app.tenants TO palisade_definer;


--
-- Name: COLUMN tenants.inbound_owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(inbound_owner_id) ON TABLE app.tenants TO palisade_definer;


--
-- Name: TABLE terminations; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.terminations TO app_user;
GRANT SELECT,INSERT,UPDATE ON TABLE app.terminations TO palisade_definer;


--
-- Name: TABLE users; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT ON TABLE app.users TO app_user;
GRANT SELECT,INSERT,UPDATE ON TABLE app.users TO palisade_definer;


--
-- Name: COLUMN users.id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE app.users TO app_service;


--
-- Name: COLUMN users.email; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(email) ON TABLE app.users TO app_service;
GRANT UPDATE(email) ON TABLE app.users TO palisade_definer;


--
-- Name: COLUMN users.display_name; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(display_name) ON TABLE app.users TO app_service;
GRANT UPDATE(display_name) ON TABLE app.users TO palisade_definer;


--
-- Name: COLUMN users.created_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE app.users TO app_service;


--
-- Name: COLUMN users.updated_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE app.users TO app_service;


--
-- Name: COLUMN users.disabled_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(disabled_at) ON TABLE app.users TO app_service;
GRANT UPDATE(disabled_at) ON TABLE app.users TO palisade_definer;


--
-- Name: TABLE voice_consents; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.voice_consents TO app_user;
GRANT DELETE ON TABLE app.voice_consents TO palisade_definer;


--
-- Name: COLUMN voice_consents.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.voice_consents TO palisade_definer;


--
-- Name: COLUMN voice_consents.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.voice_consents TO palisade_definer;


--
-- Name: COLUMN voice_consents.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(owner_id) ON TABLE app.voice_consents TO palisade_definer;


--
-- Name: COLUMN voice_consents.withdrawn_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(withdrawn_at) ON TABLE app.voice_consents TO app_user;
GRANT SELECT(withdrawn_at) ON TABLE app.voice_consents TO palisade_definer;


--
-- Name: TABLE voice_samples; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.voice_samples TO app_user;
GRANT INSERT ON TABLE app.voice_samples TO app_service;
GRANT DELETE ON TABLE app.voice_samples TO palisade_definer;


--
-- Name: COLUMN voice_samples.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.voice_samples TO palisade_definer;


--
-- Name: COLUMN voice_samples.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.voice_samples TO palisade_definer;


--
-- Name: COLUMN voice_samples.owner_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(owner_id) ON TABLE app.voice_samples TO palisade_definer;


--
-- Name: COLUMN voice_samples.label; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(label) ON TABLE app.voice_samples TO app_user;


--
-- Name: COLUMN voice_samples.transcript; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(transcript) ON TABLE app.voice_samples TO app_user;


--
-- Name: TABLE webhook_events; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE app.webhook_events TO app_service;
GRANT DELETE ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.ctid; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.tenant_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE app.webhook_events TO app_user;
GRANT SELECT(tenant_id) ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.provider; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(provider) ON TABLE app.webhook_events TO app_user;
GRANT SELECT(provider) ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.event_id; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(event_id) ON TABLE app.webhook_events TO app_user;
GRANT SELECT(event_id) ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.kind; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(kind) ON TABLE app.webhook_events TO app_user;


--
-- Name: COLUMN webhook_events.status; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(status) ON TABLE app.webhook_events TO app_service;
GRANT SELECT(status) ON TABLE app.webhook_events TO app_user;


--
-- Name: COLUMN webhook_events.received_at; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT SELECT(received_at) ON TABLE app.webhook_events TO app_user;
GRANT SELECT(received_at) ON TABLE app.webhook_events TO palisade_definer;


--
-- Name: COLUMN webhook_events.result; Type: ACL; Schema: app; Owner: palisade_owner
--

GRANT UPDATE(result) ON TABLE app.webhook_events TO app_service;


--
-- Name: TABLE access_events; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT ON TABLE audit.access_events TO app_user;
GRANT SELECT,INSERT,DELETE ON TABLE audit.access_events TO palisade_definer;
GRANT SELECT ON TABLE audit.access_events TO app_service;


--
-- Name: COLUMN access_events.ctid; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT(ctid) ON TABLE audit.access_events TO palisade_definer;


--
-- Name: COLUMN access_events.tenant_id; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT(tenant_id) ON TABLE audit.access_events TO palisade_definer;


--
-- Name: TABLE chain_anchors; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE audit.chain_anchors TO palisade_definer;


--
-- Name: TABLE chain_heads; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE audit.chain_heads TO palisade_definer;


--
-- Name: COLUMN events.id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(id) ON TABLE audit.events TO app_user;
GRANT SELECT(id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.chain_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(chain_id) ON TABLE audit.events TO app_user;
GRANT SELECT(chain_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.tenant_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(tenant_id) ON TABLE audit.events TO app_user;
GRANT SELECT(tenant_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.table_name; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(table_name) ON TABLE audit.events TO app_user;
GRANT SELECT(table_name) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.op; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(op) ON TABLE audit.events TO app_user;
GRANT SELECT(op) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.row_key; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(row_key) ON TABLE audit.events TO app_user;
GRANT SELECT(row_key) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.actor_user_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(actor_user_id) ON TABLE audit.events TO app_user;
GRANT SELECT(actor_user_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.actor_kind; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(actor_kind) ON TABLE audit.events TO app_user;
GRANT SELECT(actor_kind) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.actor_role; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(actor_role) ON TABLE audit.events TO app_user;
GRANT SELECT(actor_role) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.purpose; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(purpose) ON TABLE audit.events TO app_user;
GRANT SELECT(purpose) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.correlation_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(correlation_id) ON TABLE audit.events TO app_user;
GRANT SELECT(correlation_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.lead_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(lead_id) ON TABLE audit.events TO app_user;
GRANT SELECT(lead_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.owner_id; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(owner_id) ON TABLE audit.events TO app_user;
GRANT SELECT(owner_id) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.private; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(private) ON TABLE audit.events TO app_user;
GRANT SELECT(private) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.before; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(before) ON TABLE audit.events TO app_user;
GRANT SELECT(before) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.after; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(after) ON TABLE audit.events TO app_user;
GRANT SELECT(after) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.redacted_at; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(redacted_at) ON TABLE audit.events TO app_user;
GRANT SELECT(redacted_at) ON TABLE audit.events TO app_service;


--
-- Name: COLUMN events.occurred_at; Type: ACL; Schema: audit; Owner: palisade_definer
--

GRANT SELECT(occurred_at) ON TABLE audit.events TO app_user;
GRANT SELECT(occurred_at) ON TABLE audit.events TO app_service;


--
-- Name: TABLE settings; Type: ACL; Schema: audit; Owner: palisade_owner
--

GRANT SELECT ON TABLE audit.settings TO palisade_definer;


--
-- Name: TABLE identities; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT ON TABLE auth.identities TO app_user;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.identities TO palisade_definer;


--
-- Name: TABLE magic_links; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.magic_links TO palisade_definer;


--
-- Name: TABLE password_credentials; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.password_credentials TO palisade_definer;


--
-- Name: COLUMN password_credentials.user_id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(user_id) ON TABLE auth.password_credentials TO app_user;


--
-- Name: COLUMN password_credentials.updated_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(updated_at) ON TABLE auth.password_credentials TO app_user;


--
-- Name: TABLE recovery_codes; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.recovery_codes TO palisade_definer;


--
-- Name: COLUMN recovery_codes.user_id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(user_id) ON TABLE auth.recovery_codes TO app_user;


--
-- Name: COLUMN recovery_codes.used_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(used_at) ON TABLE auth.recovery_codes TO app_user;


--
-- Name: TABLE refresh_tokens; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.refresh_tokens TO palisade_definer;


--
-- Name: TABLE sessions; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.sessions TO palisade_definer;


--
-- Name: COLUMN sessions.id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(id) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.user_id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(user_id) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.kind; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(kind) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.method; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(method) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.mfa_required; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(mfa_required) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.mfa_verified_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(mfa_verified_at) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.created_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.last_seen_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(last_seen_at) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.expires_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(expires_at) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.ended_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(ended_at) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.end_reason; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(end_reason) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.user_agent; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(user_agent) ON TABLE auth.sessions TO app_user;


--
-- Name: COLUMN sessions.client_ip; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(client_ip) ON TABLE auth.sessions TO app_user;


--
-- Name: TABLE totp_factors; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE auth.totp_factors TO palisade_definer;


--
-- Name: COLUMN totp_factors.user_id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(user_id) ON TABLE auth.totp_factors TO app_user;


--
-- Name: COLUMN totp_factors.key_id; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(key_id) ON TABLE auth.totp_factors TO app_user;


--
-- Name: COLUMN totp_factors.confirmed_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(confirmed_at) ON TABLE auth.totp_factors TO app_user;


--
-- Name: COLUMN totp_factors.created_at; Type: ACL; Schema: auth; Owner: palisade_owner
--

GRANT SELECT(created_at) ON TABLE auth.totp_factors TO app_user;


--
-- Name: TABLE key_checks; Type: ACL; Schema: palisade_meta; Owner: palisade_owner
--

GRANT SELECT,INSERT ON TABLE palisade_meta.key_checks TO palisade_definer;


--
-- Name: TABLE schema_migrations; Type: ACL; Schema: palisade_meta; Owner: palisade_owner
--

GRANT SELECT ON TABLE palisade_meta.schema_migrations TO app_auth;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: palisade_definer
--

ALTER DEFAULT PRIVILEGES FOR ROLE palisade_definer REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: palisade_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE palisade_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--


