-- Nothing a tenant's people can read lets them test guesses about personal data offline (issue 15,
-- finding 2).
--
-- 1. app.webhook_events.result (0022) held a plain SHA-256 over the whole ingest request, unmasked
--    transcript included, and the ids of the rep's private coaching observations; tenant admins could
--    select it. With the last four digits kept in the masked interaction, a card number fell to an
--    offline search in seconds. The server now stores an HMAC under the blind-index keys
--    (`request_hmac`), and only the service context may read the column at all. Digests stored before
--    are removed: a retry of such a request is refused as a reused key (422), never answered by guess.
-- 2. audit.events.content_hash is a plain SHA-256 of the row images. It has to stay (the chain links
--    it, and it is what lets an erased event still verify), but once an erasure blanks the content it
--    would confirm guesses of what was erased. Only the operator's verifier needs it, and that reads
--    as the database owner: the user context no longer sees it.
-- Replaces the table-wide SELECT grants on both tables (0019 and 0007) with column grants.
set local role palisade_owner;

revoke select on app.webhook_events from app_user;
grant select (tenant_id, provider, event_id, kind, status, received_at) on app.webhook_events to app_user;

create policy webhook_events_migration on app.webhook_events to palisade_owner using (true) with check (true);
update app.webhook_events set result = result - 'request_sha256' where result ? 'request_sha256';
drop policy webhook_events_migration on app.webhook_events;

reset role;
set local role palisade_definer;

revoke select on audit.events from app_user;
grant select (id, chain_id, tenant_id, table_name, op, row_key, actor_user_id, actor_kind, actor_role, purpose,
              correlation_id, lead_id, owner_id, private, before, after, redacted_at, occurred_at)
  on audit.events to app_user;

reset role;
