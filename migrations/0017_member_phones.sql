-- Members' own phone numbers (issue 6), kept like leads' numbers (0016): sealed for their row, with a
-- blind index for lookups (an inbound message from a rep's phone, issue 7) and no plaintext column.
-- A number is the member's own business: they read and change it; the service context reads it to
-- deliver what the member asked for (the daily brief). Managers and admins have no policy here, and
-- the audit trail records changes as private to the member.
set local role palisade_owner;

create table app.member_phones (
  tenant_id    uuid not null,
  owner_id     uuid not null,
  phone_sealed bytea not null check (pg_catalog.octet_length(phone_sealed) between 30 and 200),
  phone_index  bytea not null check (pg_catalog.octet_length(phone_index) between 34 and 70),
  -- Set only by the verification flow (a code sent to the number); a new number clears it.
  verified_at  timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, owner_id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id) on delete cascade
);
create index member_phones_index_idx on app.member_phones (tenant_id, phone_index);

-- A changed number is not verified, whoever writes it. Key rotation re-seals the same number and
-- keeps the verification (it marks its transactions, see 0016).
create function app.member_phone_changed() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.phone_index is distinct from old.phone_index
     and coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') <> 'on' then
    new.verified_at := null;
  end if;
  return new;
end
$$;
revoke execute on function app.member_phone_changed() from public;

create trigger member_phones_touch before update on app.member_phones
  for each row execute function app.touch_updated_at();
create trigger member_phones_changed before update on app.member_phones
  for each row execute function app.member_phone_changed();
create trigger member_phones_audit after insert or update or delete on app.member_phones
  for each row execute function audit.record_change('tenant_id', 'owner_id', '', 'private');

alter table app.member_phones enable row level security;
alter table app.member_phones force row level security;

-- verified_at is not the member's to set: no insert or update grant covers it.
grant select, delete on app.member_phones to app_user;
grant insert (tenant_id, owner_id, phone_sealed, phone_index) on app.member_phones to app_user;
grant update (phone_sealed, phone_index) on app.member_phones to app_user;
grant select on app.member_phones to app_service;

create policy member_phones_owner on app.member_phones to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()))
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));
create policy member_phones_service_select on app.member_phones for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

reset role;
