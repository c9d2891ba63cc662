-- The reporting role (manager aggregates, DESIGN §2) may count the team's outbound messages: by
-- channel, purpose, status and time. It reads no content, no recipient, no author, and none of a
-- member's own messages (the daily brief, verification codes). The catalog gate holds the list.
set local role palisade_owner;

grant select (tenant_id, id, channel, purpose, status, created_at, sent_at)
  on app.outbound_messages to app_reporting;
create policy outbound_reporting on app.outbound_messages for select to app_reporting
  using (tenant_id = (select ctx.scoped_tenant_id()) and member_id is null);

reset role;
