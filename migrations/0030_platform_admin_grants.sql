-- The first platform super-admin (issue 15, finding 7). Nothing in the product could create one, so a
-- real deployment needed hand-written SQL. `palisade platform-admin grant|revoke|list` now acts through
-- these functions, in the system service context only (never a request's context): a grant creates the
-- person when new (they then sign in by magic link), and both the change (audit trigger on
-- app.platform_admins, 0007) and an access event record it. The last platform admin can be revoked:
-- platform administration is optional, and the operator can always grant again.
set local role palisade_owner;

grant insert, delete on app.platform_admins to palisade_definer;
-- Reads go through 0008's platform_admins_definer.
create policy platform_admins_definer_insert on app.platform_admins for insert to palisade_definer
  with check (true);
create policy platform_admins_definer_delete on app.platform_admins for delete to palisade_definer
  using (true);

reset role;
set local role palisade_definer;

create function app.grant_platform_admin(p_email text) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
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

-- Returns whether the person was a platform admin.
create function app.revoke_platform_admin(p_email text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
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

create function app.list_platform_admins() returns table (user_id uuid, email text, granted_at timestamptz)
language plpgsql stable security definer set search_path = '' as $$
begin
  perform audit.require_system_context();
  return query
    select p.user_id, u.email, p.created_at from app.platform_admins p join app.users u on u.id = p.user_id
    order by p.created_at, u.email;
end
$$;

revoke execute on function app.grant_platform_admin(text), app.revoke_platform_admin(text),
  app.list_platform_admins() from public;
grant execute on function app.grant_platform_admin(text), app.revoke_platform_admin(text),
  app.list_platform_admins() to app_service;

reset role;
