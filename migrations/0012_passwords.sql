-- Email + password sign-in (issue 5), off unless the deployment enables it: with it off the server
-- never calls these functions, so no password hash is ever written. Hashes are Argon2id PHC strings
-- made and checked by the server; no runtime role can read them from the table.
set local role palisade_owner;

create table auth.password_credentials (
  user_id    uuid primary key references app.users (id) on delete cascade,
  hash       text not null check (hash like '$argon2id$%' and char_length(hash) <= 200),
  updated_at timestamptz not null
);

alter table auth.password_credentials enable row level security;
alter table auth.password_credentials force row level security;
-- People may see that they have a password, never its hash.
grant select (user_id, updated_at) on auth.password_credentials to app_user;
create policy password_credentials_own on auth.password_credentials for select to app_user
  using (user_id = (select ctx.user_id()));
grant select, insert, update, delete on auth.password_credentials to palisade_definer;
create policy password_credentials_definer on auth.password_credentials to palisade_definer
  using (true) with check (true);

reset role;
set local role palisade_definer;

-- Set or change one's password (user context in a recently authenticated session).
create function auth.set_password(p_hash text, p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
begin
  insert into auth.password_credentials (user_id, hash, updated_at) values (v_user, p_hash, p_now)
  on conflict (user_id) do update set hash = excluded.hash, updated_at = excluded.updated_at;
  perform auth.log_sign_in(v_user, 'password_change', 'password', 'set',
                           nullif(pg_catalog.current_setting('palisade.session_id', true), '')::uuid, null);
end
$$;

create function auth.remove_password(p_now timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
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

-- The stored hash of an enabled person's password, by email (app_auth); no rows otherwise.
create function auth.password_for(p_email text) returns table (user_id uuid, hash text)
language sql stable security definer set search_path = '' as $$
  select c.user_id, c.hash
  from app.users u join auth.password_credentials c on c.user_id = u.id
  where lower(u.email) = lower(p_email) and u.disabled_at is null
$$;

-- Open a session after the server verified the password against p_hash, the hash it read (app_auth).
-- Refuses (PA404) a disabled person, one without a password, or a hash that changed meanwhile. The
-- sign-in context is trusted to have checked the password: this function cannot check it itself.
create function auth.password_sign_in(p_user uuid, p_hash text, p_kind text, p_secret_hash bytea, p_now timestamptz,
                                      p_lifetime interval, p_user_agent text, p_client_ip inet) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not exists (select from auth.password_credentials c join app.users u on u.id = c.user_id
                 where c.user_id = p_user and c.hash = p_hash and u.disabled_at is null) then
    raise exception 'no such password' using errcode = 'PA404';
  end if;
  return auth.open_session(p_user, p_kind, 'password', p_secret_hash, p_now, p_lifetime, p_user_agent, p_client_ip);
end
$$;

-- Record a failed password sign-in (app_auth); p_user is null for an unknown address.
create function auth.password_sign_in_failed(p_user uuid, p_client_ip inet) returns void
language sql volatile security definer set search_path = '' as $$
  select auth.log_sign_in(p_user, 'sign_in_failed', 'password', 'wrong_password', null, p_client_ip)
$$;

revoke execute on function auth.set_password(text, timestamptz), auth.remove_password(timestamptz),
  auth.password_for(text), auth.password_sign_in(uuid, text, text, bytea, timestamptz, interval, text, inet),
  auth.password_sign_in_failed(uuid, inet) from public;
grant execute on function auth.set_password(text, timestamptz), auth.remove_password(timestamptz) to app_user;
grant execute on function auth.password_for(text),
  auth.password_sign_in(uuid, text, text, bytea, timestamptz, interval, text, inet),
  auth.password_sign_in_failed(uuid, inet) to app_auth;

reset role;
