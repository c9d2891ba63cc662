-- Consent belongs to an address. When a lead's phone number or email address changes to another
-- one, the consent given for the old address does not carry over: the database appends a
-- revocation (source `address_change`, the member who changed it as actor) for every channel and
-- purpose of that address that stood granted. Setting a first address keeps what was recorded
-- (consent given on a form before the number was typed in); entering the same address again, and
-- key rotation (which recomputes indexes of the same numbers, marked as in 0016), change nothing.
set local role palisade_owner;

alter table app.consent_events drop constraint consent_events_source_check;
alter table app.consent_events add constraint consent_events_source_check check (
  source in ('inbound_keyword', 'form', 'api', 'import', 'admin', 'provider', 'address_change'));

grant insert on app.consent_events to palisade_definer;
create policy consent_definer_insert on app.consent_events for insert to palisade_definer
  with check (source = 'address_change' and action = 'revoke');

reset role;
set local role palisade_definer;

create function app.lead_address_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_channels text[] := '{}';
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') = 'on' then
    return null;
  end if;
  if old.phone_index is not null and new.phone_index is distinct from old.phone_index then
    v_channels := v_channels || array['sms', 'whatsapp'];
  end if;
  -- By the address itself: leads stored before 0019 may have no email index yet.
  if old.email is not null and pg_catalog.lower(new.email) is distinct from pg_catalog.lower(old.email) then
    v_channels := v_channels || array['email'];
  end if;
  if pg_catalog.cardinality(v_channels) = 0 then
    return null;
  end if;
  insert into app.consent_events (tenant_id, id, lead_id, channel, purpose, action, source, actor_id)
  select new.tenant_id, pg_catalog.gen_random_uuid(), new.id, k.channel, k.purpose, 'revoke',
         'address_change', ctx.user_id()
  from (select distinct on (c.channel, c.purpose) c.channel, c.purpose, c.action
        from app.consent_events c
        where c.tenant_id = new.tenant_id and c.lead_id = new.id and c.channel = any (v_channels)
        order by c.channel, c.purpose, c.occurred_at desc, c.created_at desc) k
  where k.action = 'grant';
  return null;
end
$$;
revoke execute on function app.lead_address_changed() from public;
grant execute on function app.lead_address_changed() to palisade_owner;

reset role;
set local role palisade_owner;

create trigger leads_address_changed after update of phone_index, email on app.leads
  for each row execute function app.lead_address_changed();

reset role;
