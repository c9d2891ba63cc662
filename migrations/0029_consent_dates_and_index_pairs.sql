-- Rules that lived only in the Rust layer move into the database (issue 15, findings 4 and 6).
--
-- 1. Consent events cannot be dated in the future. The ledger's current state is its latest event by
--    occurred_at, so a grant dated 2100 outranked every later revocation. created_at is now always the
--    time of the insert statement (a trigger sets it, whatever the writer sent). An occurred_at more
--    than five minutes (clock skew) after it is refused; one within the skew is recorded as the insert
--    time, so no event can sort after one written later (an address change's revocation, say). NOT
--    VALID: rows already stored are evidence and stay; only direct SQL could have dated one ahead (the
--    API has always refused it).
-- 2. ctx.is_active_member (0002) trusted the raw tenant setting. It now answers only for the tenant
--    the context has checked: the caller's membership (user context) or an active tenant (service).
-- 3. A blind index changes only together with the value it indexes. The user and service contexts
--    could update leads.phone_index or email_index alone (or phone_sealed alone); a desynchronised
--    index skips the address-change consent revocation (0024) and the member phone's verification
--    reset (0017). Key rotation, which re-indexes the same values, runs as the owner and is exempt.
set local role palisade_owner;

create function app.consent_event_stamped() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.created_at := pg_catalog.statement_timestamp();
  -- Beyond the skew the check constraint refuses the row; within it the event happened now.
  if new.occurred_at > new.created_at and new.occurred_at <= new.created_at + interval '5 minutes' then
    new.occurred_at := new.created_at;
  end if;
  return new;
end
$$;
revoke execute on function app.consent_event_stamped() from public;
create trigger consent_events_stamped before insert on app.consent_events
  for each row execute function app.consent_event_stamped();
alter table app.consent_events add constraint consent_events_not_in_future
  check (occurred_at <= created_at + interval '5 minutes') not valid;

-- Whether a row's blind index moved without its value (or, for phones, the value without its index).
create function app.blind_index_guard() returns trigger
language plpgsql set search_path = '' as $$
begin
  if coalesce(pg_catalog.current_setting('role', true), '') not in ('app_user', 'app_service') then
    return new;
  end if;
  if (new.phone_index is distinct from old.phone_index) <> (new.phone_sealed is distinct from old.phone_sealed) then
    raise exception 'a phone number and its blind index change together' using errcode = '22023';
  end if;
  -- Nested: member_phones has no email columns, and a record's field is resolved when used.
  if tg_table_name = 'leads' then
    if new.email_index is distinct from old.email_index and old.email_index is not null
       and pg_catalog.lower(new.email) is not distinct from pg_catalog.lower(old.email) then
      raise exception 'an email address and its blind index change together' using errcode = '22023';
    end if;
  end if;
  return new;
end
$$;
revoke execute on function app.blind_index_guard() from public;
create trigger leads_blind_index_guard before update on app.leads
  for each row execute function app.blind_index_guard();
create trigger member_phones_blind_index_guard before update on app.member_phones
  for each row execute function app.blind_index_guard();

reset role;
set local role palisade_definer;

create or replace function ctx.is_active_member(p_tenant uuid, p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_scope uuid := case pg_catalog.current_setting('role', true)
                    when 'app_user' then ctx.tenant_id()
                    when 'app_service' then ctx.scoped_tenant_id() end;
begin
  return p_tenant = v_scope
    and exists (select from app.memberships m
                where m.tenant_id = p_tenant and m.user_id = p_user and m.status = 'active');
end
$$;

reset role;
