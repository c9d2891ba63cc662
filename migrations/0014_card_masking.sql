-- Card numbers never reach storage (issue 6). The domain layer masks free text before writing it
-- (palisade-crypto `cards`); these checks refuse any write that still holds a card number, whoever
-- makes it. `ctx.has_unmasked_card` implements the same rule as the Rust code, and a test holds the
-- two to the same answers:
--   a run is digit groups separated by one to three spaces or dashes; any stretch of whole
--   consecutive groups of a run with 13 to 19 digits that passes the Luhn check is a card number.
set local role palisade_owner;

create function ctx.luhn(p_digits text) returns boolean
language plpgsql immutable strict parallel safe set search_path = '' as $$
declare
  v_len integer := pg_catalog.length(p_digits);
  v_sum integer := 0;
  v_digit integer;
begin
  for i in 0 .. v_len - 1 loop
    v_digit := pg_catalog.ascii(pg_catalog.substr(p_digits, v_len - i, 1)) - 48;
    if i % 2 = 1 then
      v_digit := v_digit * 2;
      if v_digit > 9 then
        v_digit := v_digit - 9;
      end if;
    end if;
    v_sum := v_sum + v_digit;
  end loop;
  return v_sum % 10 = 0;
end
$$;

create function ctx.has_unmasked_card(p_text text) returns boolean
language plpgsql immutable parallel safe set search_path = '' as $$
declare
  v_run text;
  v_groups text[];
  v_digits text;
begin
  if p_text is null or p_text !~ '[0-9]' then
    return false;
  end if;
  for v_run in select m[1] from pg_catalog.regexp_matches(p_text, '([0-9]+(?:[ -]{1,3}[0-9]+)*)', 'g') m loop
    v_groups := pg_catalog.regexp_split_to_array(v_run, '[ -]+');
    for i in 1 .. pg_catalog.cardinality(v_groups) loop
      v_digits := '';
      for j in i .. pg_catalog.cardinality(v_groups) loop
        v_digits := v_digits || v_groups[j];
        exit when pg_catalog.length(v_digits) > 19;
        if pg_catalog.length(v_digits) >= 13 and ctx.luhn(v_digits) then
          return true;
        end if;
      end loop;
    end loop;
  end loop;
  return false;
end
$$;

-- Checks run as the writing role, so every role that writes free text may call them.
revoke execute on function ctx.luhn(text), ctx.has_unmasked_card(text) from public;
grant execute on function ctx.luhn(text), ctx.has_unmasked_card(text)
  to app_user, app_service, app_auth, palisade_definer;

alter table app.interactions
  add constraint interactions_body_no_card check (not ctx.has_unmasked_card(body));
alter table app.coaching_observations
  add constraint coaching_observations_no_card check (not ctx.has_unmasked_card(observation));
alter table app.drafts
  add constraint drafts_no_card check (not ctx.has_unmasked_card(subject) and not ctx.has_unmasked_card(body));
alter table app.voice_samples
  add constraint voice_samples_transcript_no_card check (not ctx.has_unmasked_card(transcript));

reset role;
