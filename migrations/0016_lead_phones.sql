-- Phone numbers of leads (issue 6): sealed for their row (AES-256-GCM, palisade-crypto) with a blind
-- index (HMAC-SHA256 under a per-tenant key) for lookups. There is no plaintext phone column; the
-- server normalises numbers to E.164 with the tenant's default region before sealing them.
set local role palisade_owner;

alter table app.tenants
  add column phone_region text not null default 'US' check (phone_region ~ '^[A-Z]{2}$');

alter table app.leads
  add column phone_sealed bytea check (pg_catalog.octet_length(phone_sealed) between 30 and 200),
  add column phone_index bytea check (pg_catalog.octet_length(phone_index) between 34 and 70),
  add constraint leads_phone_sealed_with_index check ((phone_sealed is null) = (phone_index is null));
create index leads_phone_idx on app.leads (tenant_id, phone_index) where phone_index is not null;
-- Select and insert are granted on the whole table (0003); updates are per column.
grant update (phone_sealed, phone_index) on app.leads to app_user, app_service;

-- Key rotation (`palisade keys rotate`) re-seals values without changing what they say: it marks its
-- transactions so that rows keep their updated_at (sync clients asking for changes since a time are
-- not sent every lead with a phone). Replaces 0002's definition.
create or replace function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') <> 'on' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;

-- The audit trail records that a lead's phone changed, never its ciphertext or index (the index would
-- let a reader of the trail match numbers across rows).
drop trigger leads_audit on app.leads;
create trigger leads_audit after insert or update or delete on app.leads
  for each row execute function audit.record_change('tenant_id', 'id', 'id', 'domain', 'phone_sealed', 'phone_index');

reset role;
set local role palisade_definer;

-- Admins set the region national numbers are read in; logged as a settings change.
create function app.set_phone_region(p_region text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := app.require_admin();
begin
  update app.tenants t set phone_region = p_region where t.id = v_tenant;
  perform audit.log_access(v_tenant, 'settings_change', 'tenant', v_tenant::text,
                           pg_catalog.jsonb_build_object('phone_region', p_region), null);
end
$$;

revoke execute on function app.set_phone_region(text) from public;
grant execute on function app.set_phone_region(text) to app_user;

reset role;
