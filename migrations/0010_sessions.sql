-- Sign-in and sessions (issue 5): email magic links, browser sessions, API sessions with rotating
-- refresh tokens, and the session gate every session-authenticated request passes through.
--
-- Times come from the application (`p_now`): the server's clock is injectable, so idle and absolute
-- expiry are tested without sleeping, and one clock decides every comparison. Secrets are stored as
-- SHA-256 hashes only, and no runtime role can read a hash column.
set local role palisade_owner;

-- A disabled person signs in nowhere and sees nothing, whatever token they hold.
alter table app.users add column disabled_at timestamptz;

create table auth.sessions (
  id              uuid primary key,
  user_id         uuid not null references app.users (id) on delete cascade,
  -- browser: a cookie holding the session id and a secret; api: short access tokens + refresh tokens.
  kind            text not null check (kind in ('browser', 'api')),
  secret_hash     bytea unique check (octet_length(secret_hash) = 32),
  method          text not null check (method in ('magic_link', 'oidc', 'password')),
  -- The person had a second factor when signing in: the session does nothing until it is verified.
  mfa_required    boolean not null default false,
  mfa_verified_at timestamptz,
  -- Five wrong codes end a session that is waiting for its second factor.
  mfa_failures    integer not null default 0,
  created_at      timestamptz not null,
  last_seen_at    timestamptz not null,
  expires_at      timestamptz not null,
  ended_at        timestamptz,
  end_reason      text check (end_reason in ('logout', 'ended_by_user', 'ended_by_admin', 'refresh_reuse',
                                             'user_disabled', 'mfa_failures')),
  user_agent      text not null default '' check (char_length(user_agent) <= 200),
  client_ip       inet,
  check ((kind = 'browser') = (secret_hash is not null)),
  check ((ended_at is null) = (end_reason is null)),
  check (expires_at > created_at)
);
create index sessions_user_idx on auth.sessions (user_id, created_at desc);

-- One row per refresh token ever issued to an API session (the session is the token family). A
-- token is used once; presenting a used one again ends the whole family.
create table auth.refresh_tokens (
  token_hash bytea primary key check (octet_length(token_hash) = 32),
  session_id uuid not null references auth.sessions (id) on delete cascade,
  issued_at  timestamptz not null,
  used_at    timestamptz
);
create index refresh_tokens_session_idx on auth.refresh_tokens (session_id);

-- Magic links: the token travels in the email; the nonce stays in the browser (or API client) that
-- asked, so a link forwarded, intercepted or prefetched elsewhere signs nobody in.
create table auth.magic_links (
  token_hash bytea primary key check (octet_length(token_hash) = 32),
  email      text not null check (char_length(email) between 3 and 320),
  nonce_hash bytea not null check (octet_length(nonce_hash) = 32),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at    timestamptz
);
create index magic_links_expires_idx on auth.magic_links (expires_at);

-- Second factors (used from migration 0011): TOTP secrets arrive sealed (AES-256-GCM, palisade-crypto)
-- and are opened only by the server; recovery codes are stored as SHA-256 hashes. No runtime role can
-- read either column.
create table auth.totp_factors (
  user_id        uuid primary key references app.users (id) on delete cascade,
  secret_sealed  bytea not null,
  key_id         text not null,
  -- Null while enrolling: the first correct code confirms the factor.
  confirmed_at   timestamptz,
  -- The newest time step accepted: an older or equal step is refused, so each code works once.
  last_used_step bigint not null default 0,
  created_at     timestamptz not null
);

create table auth.recovery_codes (
  user_id   uuid not null references app.users (id) on delete cascade,
  code_hash bytea not null check (octet_length(code_hash) = 32),
  used_at   timestamptz,
  primary key (user_id, code_hash)
);

alter table auth.totp_factors enable row level security;
alter table auth.totp_factors force row level security;
alter table auth.recovery_codes enable row level security;
alter table auth.recovery_codes force row level security;

-- People see whether they have a factor and how many codes are left; never a secret or a hash.
grant select (user_id, key_id, confirmed_at, created_at) on auth.totp_factors to app_user;
grant select (user_id, used_at) on auth.recovery_codes to app_user;
create policy totp_factors_own on auth.totp_factors for select to app_user
  using (user_id = (select ctx.user_id()));
create policy recovery_codes_own on auth.recovery_codes for select to app_user
  using (user_id = (select ctx.user_id()));
grant select, insert, update, delete on auth.totp_factors, auth.recovery_codes to palisade_definer;
create policy totp_factors_definer on auth.totp_factors to palisade_definer using (true) with check (true);
create policy recovery_codes_definer on auth.recovery_codes to palisade_definer using (true) with check (true);

alter table auth.sessions enable row level security;
alter table auth.sessions force row level security;
alter table auth.refresh_tokens enable row level security;
alter table auth.refresh_tokens force row level security;
alter table auth.magic_links enable row level security;
alter table auth.magic_links force row level security;

grant usage on schema auth to app_user, app_service;
-- People list their own sessions; the secret hash is not among the columns they may read.
grant select (id, user_id, kind, method, mfa_required, mfa_verified_at, created_at, last_seen_at, expires_at,
              ended_at, end_reason, user_agent, client_ip) on auth.sessions to app_user;
create policy sessions_own on auth.sessions for select to app_user
  using (user_id = (select ctx.user_id()));
grant select, insert, update, delete on auth.sessions, auth.refresh_tokens, auth.magic_links to palisade_definer;
create policy sessions_definer on auth.sessions to palisade_definer using (true) with check (true);
create policy refresh_tokens_definer on auth.refresh_tokens to palisade_definer using (true) with check (true);
create policy magic_links_definer on auth.magic_links to palisade_definer using (true) with check (true);

-- Sign-in vocabulary for the access log.
alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction'));

reset role;
set local role palisade_definer;

-- "My tenants" also leaves out disabled people (replaces 0002's definition; ctx.tenant_role() is
-- replaced in 0011, with the second-factor rule).
create or replace function ctx.member_tenant_ids() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
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

-- Sign-in events are written here, by the functions below, with the person as actor: the sign-in
-- context (app_auth) has no person yet, so audit.log_access could not name one.
create function auth.log_sign_in(p_user uuid, p_action text, p_method text, p_reason text, p_session uuid,
                                 p_client_ip inet) returns void
language sql volatile security definer set search_path = '' as $$
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, purpose, action, target_type, target_id,
                                   detail, client_ip, correlation_id)
  values (null, p_user, case when p_user is null then 'system' else 'user' end, 'auth', p_action,
          case when p_session is null then null else 'session' end, p_session::text,
          pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('method', p_method, 'reason', p_reason)),
          p_client_ip, nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''))
$$;

-- Ask for a magic link. Returns whether a link was recorded (and so should be mailed): only for an
-- existing, enabled person, or an address with a pending invitation, or anyone when sign-up is open.
-- The caller answers the client the same either way.
create function auth.request_magic_link(p_email text, p_token_hash bytea, p_nonce_hash bytea, p_now timestamptz,
                                        p_valid_for interval, p_open_signup boolean) returns boolean
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
  insert into auth.magic_links (token_hash, email, nonce_hash, created_at, expires_at)
  values (p_token_hash, p_email, p_nonce_hash, p_now, p_now + p_valid_for);
  return true;
end
$$;

-- Opens a session for a person whose sign-in was proven by the caller. Not granted to any runtime
-- role: only the sign-in functions below reach it, each after its own proof.
create function auth.open_session(p_user uuid, p_kind text, p_method text, p_secret_hash bytea, p_now timestamptz,
                                  p_lifetime interval, p_user_agent text, p_client_ip inet) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
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

-- Consume a magic link from the client that asked for it (matching nonce), once, before it expires,
-- and open a session. No rows back means the sign-in failed; the failure is logged, and the link stays
-- usable by its rightful browser when only the nonce was wrong.
create function auth.consume_magic_link(p_token_hash bytea, p_nonce_hash bytea, p_kind text, p_secret_hash bytea,
                                        p_now timestamptz, p_lifetime interval, p_user_agent text,
                                        p_client_ip inet)
returns table (user_id uuid, session_id uuid)
language plpgsql volatile security definer set search_path = '' as $$
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

-- Rotate an API session's refresh token. Outcomes: ok (the new token is live), reused (a used token
-- came back: the family is ended), ended (session over, expired or person disabled), invalid.
create function auth.refresh_session(p_token_hash bytea, p_new_hash bytea, p_now timestamptz, p_idle interval,
                                     p_client_ip inet)
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
    end if;
    perform auth.log_sign_in(r.user_id, 'refresh_token_reuse', null, null, r.id, p_client_ip);
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

-- The session gate, pipelined before the first statement of every session-authenticated request (as
-- app_user). A browser session proves itself with the hash of its cookie secret; an API session with
-- an access token the server signed (p_secret_hash null). Answers 'ok', 'mfa_pending' (live, but its
-- second factor is not verified yet) or 'ended' (no such session for this person, ended, past its
-- absolute or idle limit, or its person disabled). Unless 'ok', it clears the context's user and
-- tenant, so the statements that follow in the same flight see nothing. When 'ok' it marks the
-- session seen (at most once a minute, never waiting for a lock).
create function ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamptz, p_idle interval)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid := nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid;
  v_state text := 'ended';
  s record;
begin
  select x.kind, x.secret_hash, x.last_seen_at, x.mfa_required, x.mfa_verified_at, x.method into s
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
  if s.last_seen_at < p_now - interval '1 minute' then
    update auth.sessions x set last_seen_at = p_now
    where x.id = (select y.id from auth.sessions y where y.id = p_session for update skip locked);
  end if;
  return 'ok';
end
$$;

-- End one's own sessions: one (p_session), or all but p_except (p_session null).
create function auth.end_my_sessions(p_session uuid, p_except uuid, p_now timestamptz) returns integer
language plpgsql volatile security definer set search_path = '' as $$
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

-- Admins end every session of an active member of their tenant (the person signs in again). Returns
-- the number ended; PA404 for anyone else — a former member may now work only for other tenants.
create function app.end_member_sessions(p_user uuid, p_now timestamptz) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := app.require_admin();
  v_count integer;
begin
  if not exists (select from app.memberships m
                 where m.tenant_id = v_tenant and m.user_id = p_user and m.status = 'active') then
    raise exception 'no such member' using errcode = 'PA404';
  end if;
  update auth.sessions s set ended_at = p_now, end_reason = 'ended_by_admin'
  where s.user_id = p_user and s.ended_at is null;
  get diagnostics v_count = row_count;
  perform audit.log_access(v_tenant, 'sessions_ended', 'member', p_user::text,
                           pg_catalog.jsonb_build_object('sessions', v_count), null);
  return v_count;
end
$$;

-- Housekeeping (system context): forget used or expired magic links after a day, and sessions a
-- month after they ended or expired (their sign-in events stay in the access log).
create function auth.purge_expired(p_now timestamptz) returns integer
language plpgsql volatile security definer set search_path = '' as $$
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

revoke execute on function auth.log_sign_in(uuid, text, text, text, uuid, inet),
  auth.request_magic_link(text, bytea, bytea, timestamptz, interval, boolean),
  auth.open_session(uuid, text, text, bytea, timestamptz, interval, text, inet),
  auth.consume_magic_link(bytea, bytea, text, bytea, timestamptz, interval, text, inet),
  auth.refresh_session(bytea, bytea, timestamptz, interval, inet),
  ctx.session_gate(uuid, bytea, timestamptz, interval),
  auth.end_my_sessions(uuid, uuid, timestamptz),
  app.end_member_sessions(uuid, timestamptz),
  auth.purge_expired(timestamptz) from public;
grant execute on function auth.request_magic_link(text, bytea, bytea, timestamptz, interval, boolean),
  auth.consume_magic_link(bytea, bytea, text, bytea, timestamptz, interval, text, inet),
  auth.refresh_session(bytea, bytea, timestamptz, interval, inet) to app_auth;
grant execute on function ctx.session_gate(uuid, bytea, timestamptz, interval),
  auth.end_my_sessions(uuid, uuid, timestamptz), app.end_member_sessions(uuid, timestamptz) to app_user;
grant execute on function auth.purge_expired(timestamptz) to app_service;

reset role;
