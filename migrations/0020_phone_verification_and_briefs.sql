-- Members' phone verification and the daily brief (issue 7).
--
-- Verification: the database makes the code, keeps only its digest, and queues the text itself, so
-- nobody (the member, the API, a manager) can verify a number without reading the code from the
-- phone. The member may not read that message in the outbox, and only the function below may queue
-- one. Five wrong codes, ten minutes, or a changed number end a code; five codes an hour per member.
--
-- The brief: a member opts in (a `brief` grant on WhatsApp in the consent ledger) and chooses a local
-- hour; the `briefs` job queues one brief per member per local day, only while the grant stands and
-- the number is verified (the outbox guard of 0019 checks both); the member's STOP revokes it.
set local role palisade_owner;

------------------------------------------------------------------------------------------------------
-- The outbox: a `verification` purpose (to a member's own number), and the brief's local day.
------------------------------------------------------------------------------------------------------
alter table app.outbound_messages drop constraint outbound_messages_purpose_check;
alter table app.outbound_messages add constraint outbound_messages_purpose_check check (
  purpose in ('marketing', 'service', 'brief', 'help', 'opt_out_confirmation', 'verification'));
alter table app.outbound_messages drop constraint outbound_messages_check2;
alter table app.outbound_messages add constraint outbound_messages_member_purpose_check check (
  member_id is null or purpose in ('brief', 'help', 'opt_out_confirmation', 'verification'));
alter table app.outbound_messages drop constraint outbound_messages_check1;
alter table app.outbound_messages add column brief_on date;
-- 0019 let the service context queue briefs by hand; give any such row its (UTC) day, one per day.
update app.outbound_messages o set brief_on = (o.created_at at time zone 'UTC')::date
  where o.purpose = 'brief' and o.member_id is not null
    and o.id = (select x.id from app.outbound_messages x
                where x.tenant_id = o.tenant_id and x.member_id = o.member_id and x.purpose = 'brief'
                  and (x.created_at at time zone 'UTC')::date = (o.created_at at time zone 'UTC')::date
                order by x.created_at, x.id limit 1);
delete from app.outbound_messages where purpose = 'brief' and brief_on is null;
alter table app.outbound_messages add constraint outbound_messages_brief_check check (
  (purpose = 'brief') = (brief_on is not null and member_id is not null));
-- One brief per member per local day, however many workers queue it.
create unique index outbound_brief_once on app.outbound_messages (tenant_id, member_id, brief_on)
  where brief_on is not null;

-- A verification text carries the code: its member may not read it (or verifying would prove nothing).
drop policy outbound_select on app.outbound_messages;
create policy outbound_select on app.outbound_messages for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((member_id is null and ((select ctx.has_role('manager')) or created_by = (select ctx.user_id())))
              or (member_id = (select ctx.user_id()) and purpose <> 'verification')));

------------------------------------------------------------------------------------------------------
-- Pending phone verifications: one per member, read and written by the functions below only.
------------------------------------------------------------------------------------------------------
create table app.phone_verifications (
  tenant_id   uuid not null,
  owner_id    uuid not null,
  -- The number the code went to: a code proves that number only.
  phone_index bytea not null check (pg_catalog.octet_length(phone_index) between 34 and 70),
  code_sha256 bytea not null check (pg_catalog.octet_length(code_sha256) = 32),
  attempts    integer not null default 0 check (attempts between 0 and 5),
  expires_at  timestamptz not null,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, owner_id),
  foreign key (tenant_id, owner_id) references app.member_phones (tenant_id, owner_id) on delete cascade
);
alter table app.phone_verifications enable row level security;
alter table app.phone_verifications force row level security;
-- The member may see that a code is pending (and until when), never its digest: a digest of a
-- six-digit code is guessed offline in a moment. Nothing else reads or writes it but the functions.
grant select (tenant_id, owner_id, phone_index, attempts, expires_at, created_at) on app.phone_verifications to app_user;
create policy phone_verifications_owner_select on app.phone_verifications for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));
-- The delivery worker sends a code only to the number it was made for (see app.member_phone_superseded).
grant select (tenant_id, owner_id, phone_index, expires_at) on app.phone_verifications to app_service;
create policy phone_verifications_service_select on app.phone_verifications for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

------------------------------------------------------------------------------------------------------
-- Brief preferences: when a member wants their brief. Whether they want it is the consent ledger's.
------------------------------------------------------------------------------------------------------
create table app.brief_preferences (
  tenant_id  uuid not null,
  owner_id   uuid not null,
  -- An IANA name; checked against the server's zone list when set (a zone the server no longer
  -- knows pauses the brief rather than failing the job for everyone).
  time_zone  text not null default 'UTC' check (char_length(time_zone) between 1 and 64),
  send_hour  smallint not null default 8 check (send_hour between 0 and 23),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, owner_id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id) on delete cascade
);
create trigger brief_preferences_touch before update on app.brief_preferences
  for each row execute function app.touch_updated_at();
create trigger brief_preferences_audit after insert or update or delete on app.brief_preferences
  for each row execute function audit.record_change('tenant_id', 'owner_id', '', 'private');
alter table app.brief_preferences enable row level security;
alter table app.brief_preferences force row level security;
grant select, insert, delete on app.brief_preferences to app_user;
grant update (time_zone, send_hour) on app.brief_preferences to app_user;
grant select on app.brief_preferences to app_service;
create policy brief_preferences_owner on app.brief_preferences to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()))
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));
create policy brief_preferences_service_select on app.brief_preferences for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

-- What the functions below read and write, as the definer.
grant select, insert, update, delete on app.phone_verifications to palisade_definer;
create policy phone_verifications_definer on app.phone_verifications to palisade_definer
  using (true) with check (true);
grant select on app.brief_preferences to palisade_definer;
create policy brief_preferences_definer_select on app.brief_preferences for select to palisade_definer
  using (true);
grant update (verified_at) on app.member_phones to palisade_definer;
create policy member_phones_definer_update on app.member_phones for update to palisade_definer
  using (true) with check (true);
grant select (brief_on, created_by, status) on app.outbound_messages to palisade_definer;
grant update (last_error) on app.outbound_messages to palisade_definer;
grant insert on app.outbound_messages to palisade_definer;
create policy outbound_definer_insert on app.outbound_messages for insert to palisade_definer
  with check (purpose = 'verification');

reset role;
set local role palisade_definer;

------------------------------------------------------------------------------------------------------
-- Verification
------------------------------------------------------------------------------------------------------

-- Sends the caller a code on `p_channel` (sms or whatsapp) for the number they set in this tenant.
-- Returns `sent`, or why not: `no_phone`, `already_verified`, `suppressed` (the number said STOP on
-- that channel), `too_soon` (a code in the last 30 seconds), `too_many` (five in the last hour),
-- `too_many_today` (ten in the last day).
create function app.start_phone_verification(p_channel text) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant   uuid := ctx.tenant_id();
  v_user     uuid := ctx.user_id();
  v_index    bytea;
  v_verified timestamptz;
  v_last     timestamptz;
  v_sent     bigint;
  v_code     text;
begin
  if v_tenant is null or v_user is null then
    raise exception 'a member verifies their own number' using errcode = '42501';
  end if;
  if p_channel is null or p_channel not in ('sms', 'whatsapp') then
    raise exception 'a code goes by sms or whatsapp' using errcode = '22023';
  end if;
  -- The lock serialises a member's requests, so parallel ones cannot pass the limits together.
  select p.phone_index, p.verified_at into v_index, v_verified
    from app.member_phones p where p.tenant_id = v_tenant and p.owner_id = v_user
    for update;
  if not found then
    return 'no_phone';
  end if;
  if v_verified is not null then
    return 'already_verified';
  end if;
  if exists (select from app.suppressions s
             where s.tenant_id = v_tenant and s.channel = p_channel and s.address_index = v_index) then
    return 'suppressed';
  end if;
  -- Ten codes a day (fifty guesses) keeps a guesser's odds near 2% a year.
  if (select count(*) from app.outbound_messages o
      where o.tenant_id = v_tenant and o.member_id = v_user and o.purpose = 'verification'
        and o.created_at > pg_catalog.now() - interval '1 day') >= 10 then
    return 'too_many_today';
  end if;
  select max(o.created_at), count(*) into v_last, v_sent
    from app.outbound_messages o
    where o.tenant_id = v_tenant and o.member_id = v_user and o.purpose = 'verification'
      and o.created_at > pg_catalog.now() - interval '1 hour';
  if v_sent >= 5 then
    return 'too_many';
  end if;
  if v_last > pg_catalog.now() - interval '30 seconds' then
    return 'too_soon';
  end if;
  -- 48 random bits (the first twelve hex digits of a version 4 UUID, from the server's strong
  -- random source) reduced to six digits; the bias is below one in 10^8.
  v_code := pg_catalog.lpad(
    ((('x' || pg_catalog.substr(pg_catalog.replace(pg_catalog.gen_random_uuid()::text, '-', ''), 1, 12))::bit(48)::bigint)
      % 1000000)::text, 6, '0');
  insert into app.phone_verifications as v (tenant_id, owner_id, phone_index, code_sha256, expires_at)
  values (v_tenant, v_user, v_index,
          pg_catalog.sha256(pg_catalog.convert_to(v_tenant::text || ':' || v_user::text || ':' || v_code, 'UTF8')),
          pg_catalog.now() + interval '10 minutes')
  on conflict (tenant_id, owner_id) do update
    set phone_index = excluded.phone_index, code_sha256 = excluded.code_sha256, attempts = 0,
        expires_at = excluded.expires_at, created_at = pg_catalog.now();
  insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, created_by)
  values (v_tenant, pg_catalog.gen_random_uuid(), v_user, p_channel, 'verification',
          'Your verification code is ' || v_code || '. It expires in 10 minutes. Do not share it.', v_user);
  return 'sent';
end
$$;

-- Checks the caller's code. Returns `verified` (the number is now verified), or why not:
-- `no_pending`, `expired`, `number_changed` (the number is not the one the code went to),
-- `wrong_code`, `too_many_attempts` (the fifth wrong code ends it). The caller commits either way:
-- a wrong code must count.
create function app.confirm_phone_verification(p_code text) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.tenant_id();
  v_user   uuid := ctx.user_id();
  v_row    app.phone_verifications%rowtype;
begin
  if v_tenant is null or v_user is null then
    raise exception 'a member verifies their own number' using errcode = '42501';
  end if;
  select * into v_row from app.phone_verifications v
    where v.tenant_id = v_tenant and v.owner_id = v_user for update;
  if not found then
    return 'no_pending';
  end if;
  if v_row.attempts >= 5 then
    return 'too_many_attempts';
  end if;
  if v_row.expires_at <= pg_catalog.now() then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'expired';
  end if;
  if (select p.phone_index from app.member_phones p where p.tenant_id = v_tenant and p.owner_id = v_user)
     is distinct from v_row.phone_index then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'number_changed';
  end if;
  if p_code is null or p_code !~ '^[0-9]{6}$'
     or pg_catalog.sha256(pg_catalog.convert_to(v_tenant::text || ':' || v_user::text || ':' || p_code, 'UTF8'))
        <> v_row.code_sha256 then
    update app.phone_verifications v set attempts = v.attempts + 1
      where v.tenant_id = v_tenant and v.owner_id = v_user;
    return case when v_row.attempts + 1 >= 5 then 'too_many_attempts' else 'wrong_code' end;
  end if;
  -- The number the code went to, still: a change committed since is not verified.
  update app.member_phones p set verified_at = pg_catalog.now()
    where p.tenant_id = v_tenant and p.owner_id = v_user and p.phone_index = v_row.phone_index;
  if not found then
    delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
    return 'number_changed';
  end if;
  delete from app.phone_verifications v where v.tenant_id = v_tenant and v.owner_id = v_user;
  return 'verified';
end
$$;

------------------------------------------------------------------------------------------------------
-- The outbox guard, as in 0019, plus `verification`: only with the code made in this transaction
-- (so only by app.start_phone_verification), to a member's own number.
------------------------------------------------------------------------------------------------------
create or replace function app.outbound_consent_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_block   text;
  v_revoked timestamptz;
begin
  if new.purpose = 'help' then
    if new.body is distinct from (select t.help_text from app.tenants t where t.id = new.tenant_id) then
      v_block := 'not_help_text';
    elsif new.lead_id is not null and not exists (
         select from app.interactions i
         where i.tenant_id = new.tenant_id and i.lead_id = new.lead_id and i.channel = new.channel
           and i.direction = 'inbound'
           and i.occurred_at between pg_catalog.now() - interval '1 hour' and pg_catalog.now()) then
      v_block := 'no_inbound_message';
    elsif app.subject_address(new.tenant_id, new.lead_id, new.member_id, new.channel) is null then
      v_block := 'no_address';
    end if;
  elsif new.purpose = 'opt_out_confirmation' then
    select max(c.occurred_at) into v_revoked
      from app.consent_events c
      where c.tenant_id = new.tenant_id and c.channel = new.channel and c.action = 'revoke'
        and c.source = 'inbound_keyword'
        and c.lead_id is not distinct from new.lead_id and c.member_id is not distinct from new.member_id
        and c.occurred_at > pg_catalog.now() - interval '1 hour';
    if v_revoked is null then
      v_block := 'no_recent_opt_out';
    elsif exists (select from app.outbound_messages o
                  where o.tenant_id = new.tenant_id and o.channel = new.channel
                    and o.purpose = 'opt_out_confirmation'
                    and o.lead_id is not distinct from new.lead_id and o.member_id is not distinct from new.member_id
                    and o.created_at >= v_revoked and o.id <> new.id) then
      v_block := 'already_confirmed';
    end if;
  elsif new.purpose = 'verification' then
    if new.member_id is null or new.channel = 'email' or not exists (
         select from app.phone_verifications v
         where v.tenant_id = new.tenant_id and v.owner_id = new.member_id
           and v.created_at = pg_catalog.now()) then
      v_block := 'no_verification';
    end if;
  else
    v_block := app.consent_block(new.tenant_id, new.lead_id, new.member_id, new.channel, new.purpose);
  end if;
  if v_block is not null then
    raise exception 'consent_required: %', v_block using errcode = 'PA451';
  end if;
  return new;
end
$$;

------------------------------------------------------------------------------------------------------
-- The briefs due at `p_now` (the job's clock), across tenants, for the platform's `briefs` job: members who opted in
-- (consent, a verified number, no suppression: `app.consent_block`), of an active tenant and still
-- active members, within three hours from their chosen local hour (a server that was down at 08:00
-- still sends at 09:30, never at night; the window ends at midnight), with no brief for their
-- local day.
------------------------------------------------------------------------------------------------------
create function app.briefs_due(p_now timestamptz, p_limit integer)
returns table (tenant_id uuid, member_id uuid, brief_on date)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service' or ctx.scoped_tenant_id() is not null then
    raise exception 'briefs are listed by the platform''s job only' using errcode = '42501';
  end if;
  return query
    with local as (
      -- Only zones the server knows (a name it no longer knows would make timezone() fail).
      select p.tenant_id, p.owner_id, p.send_hour, pg_catalog.timezone(p.time_zone, p_now) as local_time
      from app.brief_preferences p
      join pg_catalog.pg_timezone_names z on z.name = p.time_zone
      join app.memberships m on m.tenant_id = p.tenant_id and m.user_id = p.owner_id and m.status = 'active'
      join app.tenants t on t.id = p.tenant_id and t.status = 'active'
    )
    select l.tenant_id, l.owner_id, l.local_time::date
    from local l
    where pg_catalog.date_part('hour', l.local_time) between l.send_hour and l.send_hour + 2
      and not exists (select from app.outbound_messages o
                      where o.tenant_id = l.tenant_id and o.member_id = l.owner_id
                        and o.brief_on = l.local_time::date)
      and app.consent_block(l.tenant_id, null, l.owner_id, 'whatsapp', 'brief') is null
    -- In no fixed order: a brief that keeps failing does not hold the same place ahead of others.
    order by pg_catalog.random()
    limit p_limit;
end
$$;

-- A member's new number ends the code sent to the old one: the pending code goes, and a code text
-- still queued is blocked (the worker also sends a code only to the number it was made for).
-- Key rotation re-indexes the same number and changes nothing here.
create function app.member_phone_superseded() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if coalesce(pg_catalog.current_setting('palisade.key_rotation', true), '') = 'on' then
    return null;
  end if;
  delete from app.phone_verifications v where v.tenant_id = new.tenant_id and v.owner_id = new.owner_id;
  update app.outbound_messages o set status = 'blocked', last_error = 'superseded: the number changed'
    where o.tenant_id = new.tenant_id and o.member_id = new.owner_id and o.purpose = 'verification'
      and o.status = 'queued';
  return null;
end
$$;

revoke execute on function app.start_phone_verification(text), app.confirm_phone_verification(text),
  app.briefs_due(timestamptz, integer), app.member_phone_superseded() from public;
grant execute on function app.member_phone_superseded() to palisade_owner;
grant execute on function app.start_phone_verification(text), app.confirm_phone_verification(text) to app_user;
grant execute on function app.briefs_due(timestamptz, integer) to app_service;

reset role;
set local role palisade_owner;

create trigger member_phones_superseded after update of phone_index on app.member_phones
  for each row when (old.phone_index is distinct from new.phone_index)
  execute function app.member_phone_superseded();

reset role;
