-- Quiet hours for the assistant's auto-replies (issue 20): an answer decided during a tenant's quiet
-- hours waits in the outbox until they end (the delivery worker sends nothing before a message's
-- next_attempt_at). Adds to 0040's app.ai_settings; replaces nothing.
set local role palisade_owner;

alter table app.ai_settings
  add column quiet_hours_start smallint check (quiet_hours_start between 0 and 23),
  add column quiet_hours_end   smallint check (quiet_hours_end between 0 and 23),
  -- An IANA zone name (checked against the server's list when saved).
  add column time_zone         text check (char_length(time_zone) between 1 and 64),
  add constraint ai_settings_quiet_hours_whole
    check ((quiet_hours_start is null) = (quiet_hours_end is null)
           and (quiet_hours_start is null) = (time_zone is null)
           and (quiet_hours_start is null or quiet_hours_start <> quiet_hours_end));

reset role;
