-- The reporting role (manager aggregates): SELECT on an enumerated list of team-visible columns.
-- No PII (lead name, email), no message bodies, nothing from rep-private tables. The catalog gate
-- test holds the same list and fails if a grant is added or removed here without it.
set local role palisade_owner;

grant select (tenant_id, id, owner_id, status, source, created_at, updated_at) on app.leads to app_reporting;
grant select (tenant_id, id, lead_id, owner_id, stage, amount_cents, currency, product, closed_at,
              created_at, updated_at) on app.deals to app_reporting;
grant select (tenant_id, id, lead_id, actor_id, channel, direction, occurred_at, advised, created_at)
  on app.interactions to app_reporting;

create policy leads_reporting on app.leads for select to app_reporting
  using (tenant_id = (select ctx.scoped_tenant_id()));
create policy deals_reporting on app.deals for select to app_reporting
  using (tenant_id = (select ctx.scoped_tenant_id()));
create policy interactions_reporting on app.interactions for select to app_reporting
  using (tenant_id = (select ctx.scoped_tenant_id()));
