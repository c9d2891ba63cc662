-- Provider credentials (issue 6, DESIGN §1.5): one row per tenant and provider. The secrets arrive
-- sealed (AES-256-GCM under the keyring, bound to this table, column, tenant and provider) and are
-- never readable by a person: admins write them and see `last_four` and metadata; the service
-- context gets the ciphertext only through app.integration_secret, which logs every read.
set local role palisade_owner;

create table app.integrations (
  tenant_id     uuid not null references app.tenants (id) on delete cascade,
  provider      text not null check (provider in ('twilio', 'sendgrid', 'resend', 'meta', 'stripe', 'hubspot',
                                                  'openai')),
  -- Settings that are not secret (an account SID, a phone number id, a public key).
  config        jsonb not null default '{}'
                check (pg_catalog.jsonb_typeof(config) = 'object' and pg_catalog.octet_length(config::text) <= 8000),
  secret_sealed bytea not null check (pg_catalog.octet_length(secret_sealed) between 30 and 16000),
  key_id        text not null check (char_length(key_id) between 1 and 32),
  last_four     text not null check (char_length(last_four) between 1 and 4),
  status        text not null default 'active' check (status in ('active', 'disabled')),
  set_by        uuid references app.users (id) on delete set null,
  set_at        timestamptz not null default now(),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, provider)
);
create index integrations_set_by_idx on app.integrations (set_by);
create trigger integrations_touch before update on app.integrations
  for each row execute function app.touch_updated_at();
-- The audit trail records that an integration changed and who changed it; its settings, key and last
-- four characters are markers only, because managers read the trail and see nothing of integrations.
create trigger integrations_audit after insert or update or delete on app.integrations
  for each row execute function audit.record_change('tenant_id', 'provider', '', 'domain', 'secret_sealed', 'config',
                                                    'last_four', 'key_id');

alter table app.integrations enable row level security;
alter table app.integrations force row level security;

-- Admins: every column but the ciphertext to read; the ciphertext only to write.
grant select (tenant_id, provider, config, key_id, last_four, status, set_by, set_at, created_at, updated_at)
  on app.integrations to app_user;
grant insert (tenant_id, provider, config, secret_sealed, key_id, last_four, status, set_by, set_at)
  on app.integrations to app_user;
grant update (config, secret_sealed, key_id, last_four, status, set_by, set_at) on app.integrations to app_user;
grant delete on app.integrations to app_user;
create policy integrations_admin_select on app.integrations for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy integrations_admin_insert on app.integrations for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy integrations_admin_update on app.integrations for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy integrations_admin_delete on app.integrations for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));

-- The service context (webhooks, delivery) of a tenant sees that tenant's integrations, without the
-- ciphertext.
grant select (tenant_id, provider, config, key_id, last_four, status, set_by, set_at, created_at, updated_at)
  on app.integrations to app_service;
create policy integrations_service on app.integrations for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

grant select on app.integrations to palisade_definer;
create policy integrations_definer on app.integrations for select to palisade_definer using (true);

reset role;
set local role palisade_definer;

-- The sealed secret of the service context's tenant for a provider, for the server to open; each
-- call is recorded as a `secret_decrypt` access event with the purpose of the context. No rows for
-- a missing or disabled integration.
create function app.integration_secret(p_provider text) returns table (secret_sealed bytea, key_id text)
language plpgsql volatile security definer set search_path = '' as $$
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

revoke execute on function app.integration_secret(text) from public;
grant execute on function app.integration_secret(text) to app_service;

reset role;
