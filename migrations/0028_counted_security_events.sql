-- Unauthenticated requests can no longer fill the access log (issue 15, finding 3). A forged webhook
-- wrote one permanent `webhook_rejected` row per request, and a failed sign-in one `sign_in_failed`
-- row per attempt: one client could add millions a day, kept for seven years, drowning a tenant's real
-- security events. Now such events are counted: the first of a kind opens a five-minute window
-- (one row in audit.event_windows, updated in place), and when the window is over the job
-- `security_event_windows` writes ONE access event for it, carrying the count, the first and last
-- time and up to ten distinct client addresses. A kind is (tenant, action, person, detail): for a
-- webhook the provider and reason; for a sign-in the method and reason. The metrics still count every
-- rejection. A used refresh token presented again ends its session and is logged once, as before; once
-- the session has ended, further replays of it are counted the same way.
--
-- Only audit.count_access can record these two actions; audit.log_access (0008) refuses them, so no
-- path can go back to one row per request. auth.log_sign_in (0010) counts its failures.
-- Magic links: at most five unused, unexpired links per address exist at once; a new request replaces
-- the oldest, so a flood for one address cannot grow auth.magic_links, and whoever floods cannot keep
-- the person from signing in (their newest link always works).
-- Replaces: 0008's audit.log_access, 0010's auth.log_sign_in, auth.request_magic_link and
-- auth.refresh_session.
set local role palisade_owner;

create index magic_links_email_idx on auth.magic_links (pg_catalog.lower(email), expires_at);

reset role;
set local role palisade_definer;

create table audit.event_windows (
  -- tenant|action|person|detail: what one access event will summarise.
  grouping      text not null,
  window_start  timestamptz not null,
  tenant_id     uuid,
  action        text not null check (action in ('webhook_rejected', 'sign_in_failed', 'refresh_token_reuse')),
  actor_user_id uuid,
  purpose       text,
  detail        jsonb not null check (pg_catalog.octet_length(detail::text) <= 1000),
  occurrences   bigint not null default 1 check (occurrences >= 1),
  first_at      timestamptz not null,
  last_at       timestamptz not null,
  client_ip     inet,
  -- Up to ten distinct addresses seen in the window (the first one is client_ip).
  client_ips    inet[] not null default '{}' check (pg_catalog.cardinality(client_ips) <= 10),
  primary key (grouping, window_start)
);
alter table audit.event_windows enable row level security;
alter table audit.event_windows force row level security;
create policy event_windows_definer on audit.event_windows to palisade_definer using (true) with check (true);

-- Count one occurrence of a counted security event. Service contexts count for their own tenant;
-- the sign-in functions call it for no tenant.
create function audit.count_access(p_tenant uuid, p_action text, p_user uuid, p_detail jsonb, p_client_ip inet)
returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Write one access event per window that ended by p_now, and forget the window (system context).
create function audit.close_event_windows(p_now timestamptz) returns integer
language plpgsql volatile security definer set search_path = '' as $$
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

-- 0008's function, refusing the counted actions.
create or replace function audit.log_access(p_tenant uuid, p_action text, p_target_type text, p_target_id text,
                                            p_detail jsonb, p_client_ip inet) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- 0010's function: failed sign-ins are counted per person (or none), method and reason.
create or replace function auth.log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid,
                                            p_client_ip inet) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- 0010's function, with at most five live links per address.
create or replace function auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea,
                                                   p_now timestamptz, p_valid_for interval, p_open_signup boolean)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
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

-- 0010's function: a used token presented again for a session already ended is counted, not logged
-- one by one (anyone holding a dead token could otherwise write a row per request for a month).
create or replace function auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamptz,
                                                p_idle interval, p_client_ip inet)
returns table (outcome text, user_id uuid, session_id uuid)
language plpgsql volatile security definer set search_path = '' as $$
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

revoke execute on function audit.count_access(uuid, text, uuid, jsonb, inet),
  audit.close_event_windows(timestamptz) from public;
grant execute on function audit.count_access(uuid, text, uuid, jsonb, inet),
  audit.close_event_windows(timestamptz) to app_service;

reset role;
