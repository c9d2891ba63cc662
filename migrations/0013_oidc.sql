-- Sign-in with OpenID Connect providers (issue 5). The server runs the authorization code flow and
-- verifies the ID token (issuer, audience, signature, expiry, nonce); the database decides who that
-- identity is. People are keyed by (issuer, subject), never by email alone: an identity is linked to
-- an existing person by email only when the provider asserts the address is verified.
set local role palisade_owner;

create table auth.identities (
  -- How people name an identity they remove (the issuer and subject are the key).
  id           uuid not null unique default pg_catalog.gen_random_uuid(),
  issuer       text not null check (char_length(issuer) between 1 and 500),
  subject      text not null check (char_length(subject) between 1 and 255),
  user_id      uuid not null references app.users (id) on delete cascade,
  -- The address the provider asserted at the last sign-in (shown to the person; never used to
  -- match once the identity is linked).
  email        text check (char_length(email) <= 320),
  created_at   timestamptz not null,
  last_used_at timestamptz not null,
  primary key (issuer, subject)
);
create index identities_user_idx on auth.identities (user_id);

alter table auth.identities enable row level security;
alter table auth.identities force row level security;
-- People see the identities linked to them; nobody else's, and nobody writes them but the sign-in
-- function below.
grant select on auth.identities to app_user;
create policy identities_own on auth.identities for select to app_user
  using (user_id = (select ctx.user_id()));
grant select, insert, update, delete on auth.identities to palisade_definer;
create policy identities_definer on auth.identities to palisade_definer using (true) with check (true);

-- audit.access_events has row-level security enabled and forced since 0008; this only widens the
-- vocabulary of its actions.
alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked'));

reset role;
set local role palisade_definer;

-- Open a session for the identity in an ID token the server verified (app_auth; like
-- auth.password_sign_in, this function cannot check the proof itself). Outcomes:
--   ok                  signed in (user_id, session_id set)
--   disabled            the person is disabled
--   email_not_verified  a new identity without a provider-verified address: it is never linked or
--                       used to create a person, whatever the address says
--   not_linked          a new identity of a provider not trusted to link by email (p_link_by_email:
--                       the server's per-provider setting and domain list): its person connects it
--                       from a signed-in session (auth.link_identity)
--   no_account          a verified address with no person, no pending invitation and sign-up closed
-- Every failure is access-logged with its reason; a new link is logged as `identity_linked`, and
-- `linked` tells the server to notify the person.
create function auth.oidc_sign_in(p_issuer text, p_subject text, p_email text, p_email_verified boolean,
                                  p_link_by_email boolean, p_display_name text, p_open_signup boolean,
                                  p_kind text, p_secret_hash bytea, p_now timestamptz, p_lifetime interval,
                                  p_user_agent text, p_client_ip inet)
returns table (outcome text, user_id uuid, session_id uuid, linked boolean)
language plpgsql volatile security definer set search_path = '' as $$
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

-- Record an OIDC sign-in the server refused before the database saw an identity (app_auth): a
-- failed state or ID token check, or an error from the provider. Reasons are a fixed vocabulary so
-- nothing the provider sent ends up in the log.
create function auth.oidc_sign_in_failed(p_reason text, p_client_ip inet) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if p_reason is null or p_reason not in ('invalid_state', 'provider_error', 'token_exchange_failed',
                                          'invalid_id_token') then
    raise exception 'unknown OIDC failure reason' using errcode = '22023';
  end if;
  perform auth.log_sign_in(null, 'sign_in_failed', 'oidc', p_reason, null, p_client_ip);
end
$$;

-- Connect an identity to the caller (user context, in a session authenticated within 10 minutes:
-- PA403 otherwise), after the server verified its ID token in a flow this session started. This is
-- how people whose provider does not verify addresses (or is not trusted to link by email) connect
-- it. Outcomes: linked (with the person's address, to notify them), already_linked, taken (another
-- person's identity: refused, logged).
create function auth.link_identity(p_issuer text, p_subject text, p_email text, p_now timestamptz)
returns table (outcome text, account_email text)
language plpgsql volatile security definer set search_path = '' as $$
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

-- Remove one of the caller's identities (user context, recently authenticated). PA404 when the
-- caller has no identity with that id.
create function auth.unlink_identity(p_id uuid, p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

revoke execute on function
  auth.oidc_sign_in(text, text, text, boolean, boolean, text, boolean, text, bytea, timestamptz, interval, text,
                    inet),
  auth.oidc_sign_in_failed(text, inet), auth.link_identity(text, text, text, timestamptz),
  auth.unlink_identity(uuid, timestamptz) from public;
grant execute on function
  auth.oidc_sign_in(text, text, text, boolean, boolean, text, boolean, text, bytea, timestamptz, interval, text,
                    inet),
  auth.oidc_sign_in_failed(text, inet) to app_auth;
grant execute on function auth.link_identity(text, text, text, timestamptz), auth.unlink_identity(uuid, timestamptz)
  to app_user;

reset role;
