-- Two records issue 7 left loose.
--
-- 1. An email provider's unsubscribe or spam report is a revocation: it is now written to the
--    consent ledger (source `provider`, with the provider's message id), not only as a suppression,
--    so a lead's ledger says why email stopped.
-- 2. An ingest request may carry an idempotency key: it is recorded once (provider `ingest` in
--    `webhook_events`) with the answer it got, so a retried request gets the same answer and writes
--    nothing twice.
set local role palisade_owner;

alter table app.consent_events drop constraint consent_events_source_check;
alter table app.consent_events add constraint consent_events_source_check check (
  source in ('inbound_keyword', 'form', 'api', 'import', 'admin', 'provider'));

alter table app.webhook_events drop constraint webhook_events_provider_check;
alter table app.webhook_events add constraint webhook_events_provider_check check (
  provider in ('twilio', 'sendgrid', 'resend', 'meta', 'stripe', 'hubspot', 'ingest'));
-- What the first request was answered (ids and a digest of the request; never content).
alter table app.webhook_events add column result jsonb
  check (result is null or pg_catalog.octet_length(result::text) <= 4000);
grant update (result) on app.webhook_events to app_service;

reset role;
