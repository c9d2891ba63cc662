-- Joining and leaving a tenant (issue 15, finding 1). An outside review found that any signed-in
-- person could create a tenant and then, with app.add_member, make any existing account an active
-- member of it without asking, learn that the account existed, and end all of its sessions
-- everywhere with app.end_member_sessions. The rules now:
--   * an existing account joins a tenant only by accepting an invitation (app.add_member is dropped;
--     operators provision members by inviting and accepting on the person's behalf);
--   * accepting never re-activates a suspended member, nor a removed one with an invitation older than
--     the removal;
--   * an admin signs a member out of *this tenant* only (app.sign_out_member: sessions begun before
--     then no longer act in it) and may suspend or reinstate them; the person's sessions live on for
--     their other tenants;
--   * a member may leave (app.leave_tenant), even while suspended, unless they are the last admin;
--   * an invitation is good only while the admin who sent it is still an active admin there;
--   * people see the user rows of their tenant's current members only, not of people who left.
-- Replaces: 0002's app.add_member (dropped), app.remove_member (not oneself: PA422) and
-- app.guard_last_admin; 0009's
-- app.create_invitation; 0011's app.accept_invitation, ctx.tenant_role and ctx.sign_in_blocked;
-- 0010's app.end_member_sessions (dropped) and ctx.session_gate; 0002's policy users_visible.
set local role palisade_owner;

-- Existing rows get the migration's time: no invitation sent before it can undo an earlier removal.
alter table app.memberships
  add column status_changed_at timestamptz not null default now(),
  -- Sessions begun before this no longer act in this tenant (set by app.sign_out_member).
  add column sessions_revoked_at timestamptz;

create function app.membership_status_changed() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status is distinct from old.status then
    new.status_changed_at := pg_catalog.now();
  end if;
  return new;
end
$$;
revoke execute on function app.membership_status_changed() from public;
create trigger memberships_status_changed before update on app.memberships
  for each row execute function app.membership_status_changed();

-- 0002's policy showed the user rows of anyone with any membership row here, removed ones included:
-- a tenant that once forced a person in kept seeing their email and name after they left.
drop policy users_visible on app.users;
create policy users_visible on app.users for select to app_user
  using (id = (select ctx.user_id())
         or exists (select from app.memberships m
                    where m.user_id = users.id and m.tenant_id = (select ctx.tenant_id()) and m.status <> 'removed'));

-- audit.access_events has row-level security enabled and forced since 0008; this only widens the
-- vocabulary of its actions.
alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked',
  'webhook_rejected', 'member_suspended', 'member_reinstated', 'member_left', 'platform_admin_granted',
  'platform_admin_revoked'));

reset role;
set local role palisade_definer;

drop function app.add_member(text, text, text);

-- Old invitations of members already suspended or removed can no longer be accepted (see
-- accept_invitation below); say so in the list too.
update app.invitations i set revoked_at = now()
where i.accepted_at is null and i.revoked_at is null
  and exists (select from app.memberships m join app.users u on u.id = m.user_id
              where m.tenant_id = i.tenant_id and lower(u.email) = lower(i.email) and m.status <> 'active');

-- Why a member's session may not act in the tenant: a sign-in rule it breaks (0011), or 'signed_out'
-- when an admin signed the member out of this tenant after the session began. Operator tokens carry
-- no session and are judged by the rules alone.
create function ctx.membership_blocked(p_require_mfa boolean, p_methods text[], p_domains text[], p_role text,
                                       p_email text, p_sessions_revoked_at timestamptz) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when p_sessions_revoked_at is not null
         and coalesce(nullif(pg_catalog.current_setting('palisade.session_started', true), '')::timestamptz,
                      'infinity') <= p_sessions_revoked_at then 'signed_out'
    else ctx.sign_in_rule_broken(p_require_mfa, p_methods, p_domains, p_role, p_email)
  end
$$;

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
    -- ctx.membership_blocked's first rule, written out: this runs under every policy, and a nested
    -- definer call per statement is what RLS costs most (issue 17).
    and (m.sessions_revoked_at is null
         or coalesce(nullif(pg_catalog.current_setting('palisade.session_started', true), '')::timestamptz,
                     'infinity') > m.sessions_revoked_at)
    and ctx.sign_in_rule_broken(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email) is null;
  return v_role;
end
$$;

create or replace function ctx.sign_in_blocked() returns text
language sql stable security definer set search_path = '' as $$
  select ctx.membership_blocked(t.require_mfa, t.sign_in_methods, t.email_domains, m.role, u.email,
                                m.sessions_revoked_at)
  from app.memberships m
  join app.tenants t on t.id = m.tenant_id
  join app.users u on u.id = m.user_id
  where m.tenant_id = nullif(pg_catalog.current_setting('palisade.tenant_id', true), '')::uuid
    and m.user_id = nullif(pg_catalog.current_setting('palisade.user_id', true), '')::uuid
    and m.status = 'active' and t.status = 'active' and u.disabled_at is null
$$;

-- The session gate (0010's, same contract) also names when the session began, for
-- ctx.membership_blocked.
create or replace function ctx.session_gate(p_session uuid, p_secret_hash bytea, p_now timestamptz, p_idle interval)
returns text
language plpgsql volatile security definer set search_path = '' as $$
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

-- The last *active* admin can be neither demoted, suspended nor removed (0002's guard also counted a
-- suspended admin as the one to protect, so a suspended admin could not be removed beside an active one).
create or replace function app.guard_last_admin(p_tenant uuid, p_user uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

create or replace function app.remove_member(p_user uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Suspend ('suspended') or reinstate ('active') a member (admins). A removed member is PA404: they
-- come back only by accepting a new invitation.
create function app.set_member_status(p_user uuid, p_status text) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Sign a member out of this tenant (admins): every session they began before p_now (the server's
-- clock, which also stamps sessions; never more than five minutes ahead of the database's) stops
-- acting in it; their sessions for other tenants are not this tenant's to end. Returns the cut-off.
-- PA404 for anyone who is not an active or suspended member here; PA422 for oneself (an admin signs
-- out with their own sessions).
create function app.sign_out_member(p_user uuid, p_now timestamptz) returns timestamptz
language plpgsql volatile security definer set search_path = '' as $$
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
drop function app.end_member_sessions(uuid, timestamptz);

-- Leave a tenant as the signed-in person (user context; works while suspended, when the tenant's
-- context would refuse them). The last active admin must hand over first (PA409).
create function app.leave_tenant(p_tenant uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- Create an invitation (0009's, same contract): also refused (PA409) for a suspended member, whom an
-- admin reinstates instead.
create or replace function app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval)
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
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

-- Accept an invitation (0011's contract). Joins the tenant, or re-joins it after a removal that came
-- before the invitation was made. An active member keeps their role. Refused like an unknown token
-- (PA404, the invitation stays unused): a suspended member, a removed one whose invitation predates the
-- removal, and any invitation whose sender is no longer an active admin of the tenant (an admin about
-- to be removed cannot leave themselves a way back).
create or replace function app.accept_invitation(p_token_hash bytea) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
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

revoke execute on function ctx.membership_blocked(boolean, text[], text[], text, text, timestamptz),
  app.set_member_status(uuid, text), app.sign_out_member(uuid, timestamptz), app.leave_tenant(uuid) from public;
grant execute on function app.set_member_status(uuid, text), app.sign_out_member(uuid, timestamptz),
  app.leave_tenant(uuid) to app_user;

reset role;
