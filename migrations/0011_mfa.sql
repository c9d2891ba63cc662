-- Second factor (issue 5): TOTP (RFC 6238) enrolment and sign-in verification with single-use
-- recovery codes (tables in 0010), re-authentication before factor changes; and the tenant's sign-in
-- rules: a verified second factor for managers and admins, the sign-in methods its members may use,
-- and the email domains its members must have.
set local role palisade_owner;

alter table app.tenants
  add column require_mfa boolean not null default false,
  add column sign_in_methods text[] not null default '{magic_link,oidc,password}'
    check (sign_in_methods <@ array['magic_link', 'oidc', 'password'] and cardinality(sign_in_methods) > 0),
  -- Empty: any domain.
  add column email_domains text[] not null default '{}'
    check (cardinality(email_domains) <= 50 and email_domains::text = lower(email_domains::text));

reset role;
set local role palisade_definer;

-- Membership (replaces 0002's definition): a disabled person is no member anywhere, and a member is
-- no member of a tenant whose sign-in rules their session breaks — a sign-in method the tenant does
-- not allow, an email outside its domains, or (admins and managers) no verified second factor. The
-- session gate sets palisade.session_method and palisade.session_mfa; operator tokens carry no
-- session and are judged by the domain and second-factor rules only. Every policy inherits this
-- through ctx.tenant_role().
create or replace function ctx.tenant_role() returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  v_role text;
begin
  select m.role into v_role
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  join app.users u on u.id = m.user_id
  where m.tenant_id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active'
    and t.status = 'active'
    and u.disabled_at is null
    and ctx.sign_in_rule_broken(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email) is null;
  return v_role;
end
$$;

-- The acting person (replaces 0002's definition): nobody, once they are disabled — so operator tokens,
-- which carry no session, stop working for a disabled person too (tenant creation, invitations,
-- platform routes, every policy).
create or replace function ctx.user_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select u.id from app.users u
          where u.id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
            and u.disabled_at is null);
end
$$;

-- Accept an invitation (replaces 0009's definition, same contract) and log the new membership in the
-- same transaction: the joining person may not yet satisfy the tenant's sign-in rules, so the server
-- could not log it afterwards as a member.
create or replace function app.accept_invitation(p_token_hash bytea) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid := ctx.user_id();
  v_email text;
  inv record;
begin
  select u.email into v_email from app.users u where u.id = v_user;
  if v_email is null then
    raise exception 'a signed-in user is required' using errcode = '42501';
  end if;
  update app.invitations i set accepted_at = pg_catalog.now(), accepted_by = v_user
  where i.token_hash = p_token_hash and i.accepted_at is null and i.revoked_at is null
    and i.expires_at > pg_catalog.now() and lower(i.email) = lower(v_email)
  returning i.tenant_id, i.role into inv;
  if not found then
    raise exception 'no such invitation' using errcode = 'PA404';
  end if;
  if not exists (select from app.tenants t where t.id = inv.tenant_id and t.status = 'active') then
    raise exception 'no such invitation' using errcode = 'PA404';
  end if;
  insert into app.memberships (tenant_id, user_id, role, status)
  values (inv.tenant_id, v_user, inv.role, 'active')
  on conflict (tenant_id, user_id) do update set role = excluded.role, status = 'active'
  where app.memberships.status <> 'active';
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                   correlation_id)
  values (inv.tenant_id, v_user, 'user', 'member_added', 'member', v_user::text,
          pg_catalog.jsonb_build_object('via', 'invitation', 'role', inv.role),
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return inv.tenant_id;
end
$$;

-- Which of a tenant's sign-in rules the current session breaks: 'method', 'domain', 'mfa', or null.
create function ctx.sign_in_rule_broken(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text,
                                        p_email text) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when coalesce(pg_catalog.current_setting('palisade.session_method', true), '') <> ''
         and not (pg_catalog.current_setting('palisade.session_method', true) = any (p_methods)) then 'method'
    when pg_catalog.cardinality(p_domains) > 0
         and not (pg_catalog.lower(pg_catalog.split_part(p_email, '@', -1)) = any (p_domains)) then 'domain'
    when p_require_mfa and p_role <> 'rep'
         and coalesce(pg_catalog.current_setting('palisade.session_mfa', true), '') <> 'on' then 'mfa'
  end
$$;

-- Why ctx.tenant_role() is null, when the reason is a broken sign-in rule (for the error the caller
-- gets; it tells the caller only about their own membership).
create function ctx.sign_in_blocked() returns text
language sql stable security definer set search_path = '' as $$
  select ctx.sign_in_rule_broken(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email)
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  join app.users u on u.id = m.user_id
  where m.tenant_id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active' and t.status = 'active' and u.disabled_at is null
$$;

-- The caller's current session (set by the session gate) after a recent proof of identity: its
-- second factor verified within 10 minutes, or — for a person without one — signed in within 10
-- minutes. Factor changes require it. Raises PA403 otherwise.
create function auth.require_recent_authentication(p_now timestamptz) returns uuid
language plpgsql stable security definer set search_path = '' as $$
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

-- Start TOTP enrolment (user context in a session, recently authenticated): stores the sealed
-- secret, replacing an unconfirmed one. A confirmed factor must be removed first (PA409).
create function auth.begin_totp(p_secret_sealed bytea, p_key_id text, p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- The caller's own sealed TOTP secret and the last accepted step (user context), to check a code.
create function auth.my_totp() returns table (secret_sealed bytea, last_used_step bigint, confirmed boolean)
language sql stable security definer set search_path = '' as $$
  select f.secret_sealed, f.last_used_step, f.confirmed_at is not null
  from auth.totp_factors f where f.user_id = ctx.user_id()
$$;

-- Confirm enrolment with the step of a correct code: the factor becomes active, the recovery codes
-- are replaced, and the current session counts as verified (the person just proved the factor).
create function auth.confirm_totp(p_step bigint, p_recovery_hashes bytea[], p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Remove the factor and its recovery codes (recently authenticated).
create function auth.remove_totp(p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Replace the recovery codes (recently authenticated, with an active factor).
create function auth.replace_recovery_codes(p_hashes bytea[], p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- For a session waiting for (or stepping up) its second factor (app_auth): the sealed secret and the
-- last accepted step, when the session is live and is the person's (secret null when the person has
-- no active factor). No rows when the session is not live.
create function auth.mfa_challenge(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamptz,
                                   p_idle interval)
returns table (secret_sealed bytea, last_used_step bigint)
language sql stable security definer set search_path = '' as $$
  select f.secret_sealed, f.last_used_step
  from auth.sessions s
  join app.users u on u.id = s.user_id
  left join auth.totp_factors f on f.user_id = s.user_id and f.confirmed_at is not null
  where s.id = p_session and s.user_id = p_user and s.ended_at is null and p_now < s.expires_at
    and p_now < s.last_seen_at + p_idle and u.disabled_at is null
    and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end)
$$;

-- Finish a second-factor check (app_auth). Pass the step of a correct TOTP code, or the hash of a
-- recovery code, or neither (the code was wrong). Answers 'ok' (session verified), 'invalid' (counted;
-- the fifth failure ends the session) or 'ended'. A step at or below the last accepted one, or a used
-- recovery code, is invalid: each works once.
create function auth.complete_mfa(p_session uuid, p_user uuid, p_secret_hash bytea, p_step bigint,
                                  p_recovery_hash bytea, p_now timestamptz, p_idle interval, p_client_ip inet)
returns text
language plpgsql volatile security definer set search_path = '' as $$
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

-- The state of the session a credential proves (app_auth): 'active' or 'mfa_pending', with its absolute
-- end. No rows when it is not live. Answers for a session waiting for its second factor, which the
-- user context's gate refuses, so a browser can fetch its CSRF token and then verify or sign out.
create function auth.session_state(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamptz,
                                   p_idle interval)
returns table (state text, expires_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select case when s.mfa_required and s.mfa_verified_at is null then 'mfa_pending' else 'active' end, s.expires_at
  from auth.sessions s
  join app.users u on u.id = s.user_id
  where s.id = p_session and s.user_id = p_user and s.ended_at is null and p_now < s.expires_at
    and p_now < s.last_seen_at + p_idle and u.disabled_at is null
    and (case when p_secret_hash is null then s.kind = 'api' else s.secret_hash = p_secret_hash end)
$$;

-- Sign out (app_auth): ends the session the credential proves — live or still waiting for its second
-- factor, which the user context's gate would refuse. Returns whether a session ended.
create function auth.sign_out(p_session uuid, p_user uuid, p_secret_hash bytea, p_now timestamptz) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
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

-- Admins set the tenant's sign-in rules. The new rules must admit the admin's own session (PA409
-- otherwise), so no admin locks themselves out: requiring a second factor needs one verified in this
-- session, the methods must include this session's, the domains this admin's. Logged before the
-- change takes effect, while the caller is still a member by either rule.
create function app.set_sign_in_rules(p_require_mfa boolean, p_methods text[], p_domains text[]) returns void
language plpgsql volatile security definer set search_path = '' as $$
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
$$;

revoke execute on function ctx.sign_in_rule_broken(boolean, text[], text[], text, text), ctx.sign_in_blocked(), auth.require_recent_authentication(timestamptz),
  auth.begin_totp(bytea, text, timestamptz), auth.my_totp(), auth.confirm_totp(bigint, bytea[], timestamptz),
  auth.remove_totp(timestamptz), auth.replace_recovery_codes(bytea[], timestamptz),
  auth.mfa_challenge(uuid, uuid, bytea, timestamptz, interval),
  auth.complete_mfa(uuid, uuid, bytea, bigint, bytea, timestamptz, interval, inet),
  auth.sign_out(uuid, uuid, bytea, timestamptz), app.set_sign_in_rules(boolean, text[], text[]),
  auth.session_state(uuid, uuid, bytea, timestamptz, interval) from public;
grant execute on function ctx.sign_in_blocked(), auth.begin_totp(bytea, text, timestamptz), auth.my_totp(),
  auth.confirm_totp(bigint, bytea[], timestamptz), auth.remove_totp(timestamptz),
  auth.replace_recovery_codes(bytea[], timestamptz), app.set_sign_in_rules(boolean, text[], text[]) to app_user;
grant execute on function auth.mfa_challenge(uuid, uuid, bytea, timestamptz, interval),
  auth.complete_mfa(uuid, uuid, bytea, bigint, bytea, timestamptz, interval, inet),
  auth.sign_out(uuid, uuid, bytea, timestamptz), auth.session_state(uuid, uuid, bytea, timestamptz, interval)
  to app_auth;

reset role;
