-- Voice-drafting consent (issue 18): a rep's opt-in to having drafts written in their own voice from
-- their voice samples (and, once the assistant keeps them, their reference messages). The database
-- refuses a voice sample without an active opt-in, and withdrawing it deletes every voice sample of the
-- rep in that tenant in the same statement. Each opt-in is kept (time, text version, withdrawal) as
-- the rep's evidence of what they agreed to; it is rep-private like the samples.
set local role palisade_owner;

create table app.voice_consents (
  tenant_id    uuid not null references app.tenants (id) on delete cascade,
  id           uuid not null,
  owner_id     uuid not null,
  -- Which wording of the opt-in the rep agreed to (the product's own version label).
  text_version text not null check (char_length(text_version) between 1 and 100),
  granted_at   timestamptz not null default now(),
  withdrawn_at timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id),
  check (withdrawn_at is null or withdrawn_at >= granted_at)
);
-- At most one active opt-in per rep and tenant.
create unique index voice_consents_active_key on app.voice_consents (tenant_id, owner_id) where withdrawn_at is null;
create index voice_consents_owner_idx on app.voice_consents (tenant_id, owner_id, granted_at desc);
create trigger voice_consents_touch before update on app.voice_consents
  for each row execute function app.touch_updated_at();
create trigger voice_consents_audit after insert or update or delete on app.voice_consents
  for each row execute function audit.record_change('tenant_id', 'id', '', 'private');

alter table app.voice_consents enable row level security;
alter table app.voice_consents force row level security;
grant select, insert on app.voice_consents to app_user;
grant update (withdrawn_at) on app.voice_consents to app_user;
create policy voice_consents_owner_select on app.voice_consents for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));
create policy voice_consents_owner_insert on app.voice_consents for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()) and withdrawn_at is null);
-- An opt-in ends once: a withdrawn one is not updated again (opt in anew instead).
create policy voice_consents_owner_withdraw on app.voice_consents for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()) and withdrawn_at is null)
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));

-- The guards below read the opt-ins and delete the samples whoever acts (a rep, or the service
-- context storing a sample for a rep).
grant select (tenant_id, owner_id, withdrawn_at) on app.voice_consents to palisade_definer;
create policy voice_consents_definer_select on app.voice_consents for select to palisade_definer using (true);
grant select (tenant_id, owner_id), delete on app.voice_samples to palisade_definer;
create policy voice_samples_definer_select on app.voice_samples for select to palisade_definer using (true);
create policy voice_samples_definer_delete on app.voice_samples for delete to palisade_definer using (true);

reset role;
set local role palisade_definer;

-- A voice sample needs its owner's active opt-in (SQLSTATE PA412).
create function app.voice_sample_needs_consent() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select from app.voice_consents c
                 where c.tenant_id = new.tenant_id and c.owner_id = new.owner_id and c.withdrawn_at is null) then
    raise exception 'voice_consent_required: the rep has not opted in to voice drafting' using errcode = 'PA412';
  end if;
  return new;
end
$$;

-- Withdrawing an opt-in takes every voice sample of the rep in the tenant with it, in the same statement.
create function app.voice_consent_withdrawn() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.withdrawn_at is null and new.withdrawn_at is not null then
    delete from app.voice_samples s where s.tenant_id = new.tenant_id and s.owner_id = new.owner_id;
  end if;
  return null;
end
$$;

revoke execute on function app.voice_sample_needs_consent(), app.voice_consent_withdrawn() from public;
grant execute on function app.voice_sample_needs_consent(), app.voice_consent_withdrawn() to palisade_owner;

reset role;
set local role palisade_owner;

create trigger voice_samples_need_consent before insert on app.voice_samples
  for each row execute function app.voice_sample_needs_consent();
create trigger voice_consents_withdrawal after update on app.voice_consents
  for each row execute function app.voice_consent_withdrawn();

reset role;
