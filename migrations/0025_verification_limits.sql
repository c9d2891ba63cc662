-- Verification codes: a monthly limit, and an honest Retry-After (issue 7, follow-up).
--
-- 0020 allowed five codes an hour and ten a day, so a member who sets someone else's number could
-- guess fifty times a day, every day (about 2% a year to hit one six-digit code). Twenty codes in
-- any 30 days caps that at a hundred guesses a month (about 0.1% a year), well above what a member
-- who mistypes or loses a text needs.
--
-- 0020's function answered with a word and the API guessed the wait (30 s, an hour, a day) from it.
-- Its replacement also says how long until a code may go: for each limit, until the code that fills
-- it leaves its window; the longest wait wins, so a client that waits that long is not refused by
-- another limit. The function changes its name because its result changes shape.
set local role palisade_definer;

-- Sends the caller a code on `p_channel` (sms or whatsapp) for the number they set in this tenant.
-- `outcome` is `sent`, or why not: `no_phone`, `already_verified`, `suppressed` (the number said STOP
-- on that channel), or a limit with `retry_after_secs`: `too_soon` (one code per 30 seconds),
-- `too_many` (five an hour), `too_many_today` (ten a day), `too_many_this_month` (twenty in 30 days).
create function app.request_phone_code(p_channel text, out outcome text, out retry_after_secs integer)
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant   uuid := ctx.tenant_id();
  v_user     uuid := ctx.user_id();
  v_index    bytea;
  v_verified timestamptz;
  v_wait     interval;
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
    outcome := 'no_phone';
    return;
  end if;
  if v_verified is not null then
    outcome := 'already_verified';
    return;
  end if;
  if exists (select from app.suppressions s
             where s.tenant_id = v_tenant and s.channel = p_channel and s.address_index = v_index) then
    outcome := 'suppressed';
    return;
  end if;
  -- A limit of `cap` codes per `span` is full while its cap-th newest code is inside the span; it
  -- frees when that code leaves it. Spans in hours: a day is 24 of them whatever the session's zone.
  select l.name, l.wait into outcome, v_wait
  from (
    select lim.name,
           (select o.created_at from app.outbound_messages o
            where o.tenant_id = v_tenant and o.member_id = v_user and o.purpose = 'verification'
              and o.created_at > pg_catalog.now() - lim.span
            order by o.created_at desc
            offset lim.cap - 1 limit 1) + lim.span - pg_catalog.now() as wait
    from (values ('too_soon', interval '30 seconds', 1),
                 ('too_many', interval '1 hour', 5),
                 ('too_many_today', interval '24 hours', 10),
                 ('too_many_this_month', interval '720 hours', 20)) as lim (name, span, cap)
  ) as l
  where l.wait is not null
  order by l.wait desc
  limit 1;
  if outcome is not null then
    retry_after_secs := greatest(1, pg_catalog.ceil(extract(epoch from v_wait)))::integer;
    return;
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
  outcome := 'sent';
end
$$;

revoke execute on function app.request_phone_code(text) from public;
grant execute on function app.request_phone_code(text) to app_user;

drop function app.start_phone_verification(text);

reset role;
