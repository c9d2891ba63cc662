-- Invitations (issue 5): an admin invites an email address with a role; the invited person accepts
-- with the single-use token from the email while signed in as that address; accepting creates (or
-- re-activates) the membership. Only a SHA-256 hash of the token is stored, and it is never selectable.
set local role palisade_owner;

create table app.invitations (
  tenant_id   uuid not null references app.tenants (id) on delete cascade,
  id          uuid not null,
  email       text not null check (char_length(email) between 3 and 320 and email like '%_@_%'),
  role        text not null check (role in ('admin', 'manager', 'rep')),
  token_hash  bytea not null unique check (octet_length(token_hash) = 32),
  invited_by  uuid not null,
  expires_at  timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references app.users (id),
  revoked_at  timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, invited_by) references app.memberships (tenant_id, user_id)
);
create index invitations_invited_by_idx on app.invitations (tenant_id, invited_by);
create index invitations_accepted_by_idx on app.invitations (accepted_by);

create trigger invitations_touch before update on app.invitations for each row execute function app.touch_updated_at();
-- The token hash is recorded in the audit trail as a marker only.
create trigger invitations_audit after insert or update or delete on app.invitations
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain', 'token_hash');

alter table app.invitations enable row level security;
alter table app.invitations force row level security;

-- Admins list and revoke; nobody reads the token hash.
grant select (tenant_id, id, email, role, invited_by, expires_at, accepted_at, accepted_by, revoked_at,
              created_at, updated_at) on app.invitations to app_user;
grant update (revoked_at) on app.invitations to app_user;
grant select, insert, update on app.invitations to palisade_definer;

create policy invitations_admin_select on app.invitations for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy invitations_admin_revoke on app.invitations for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy invitations_definer on app.invitations to palisade_definer using (true) with check (true);

reset role;
set local role palisade_definer;

-- Create an invitation (admins). The caller generates the token and passes only its hash.
create function app.create_invitation(p_email text, p_role text, p_token_hash bytea, p_valid_for interval)
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
             where m.tenant_id = v_tenant and m.status = 'active' and lower(u.email) = lower(p_email)) then
    raise exception 'already an active member' using errcode = 'PA409';
  end if;
  insert into app.invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at)
  values (v_tenant, v_id, p_email, p_role, p_token_hash, ctx.user_id(), pg_catalog.now() + p_valid_for);
  return v_id;
end
$$;

-- Accept an invitation as the signed-in user (user context, no tenant needed). Single use: the row is
-- claimed by one UPDATE. The caller's email must be the invited one. Returns the tenant joined.
-- Fails alike (PA404) for an unknown, used, revoked or expired token, so none can be told apart.
create function app.accept_invitation(p_token_hash bytea) returns uuid
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
  return inv.tenant_id;
end
$$;

revoke execute on function app.create_invitation(text, text, bytea, interval), app.accept_invitation(bytea) from public;
grant execute on function app.create_invitation(text, text, bytea, interval), app.accept_invitation(bytea) to app_user;

reset role;
