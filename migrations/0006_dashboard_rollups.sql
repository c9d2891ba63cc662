-- Dashboard rollups, maintained by triggers, so the dashboard reads a few hundred rows instead of
-- every deal and every recent interaction of a tenant (a large tenant has hundreds of thousands).
--
-- Each key is split over 8 slots chosen by the writing backend, so concurrent writers of the same
-- tenant/stage or rep/day rarely wait on one row lock; readers sum the slots.
-- Visible to managers and admins of the tenant only (like the dashboard); written only by the
-- definer-rights trigger functions.

-- Backfill needs to read every row: it runs as the migrating superuser, before switching to the owner
-- (FORCE RLS hides rows from the owner). The tables are created first, as the owner.
set local role palisade_owner;

create table app.deal_stage_totals (
  tenant_id    uuid not null references app.tenants (id) on delete cascade,
  stage        text not null,
  currency     text not null,
  slot         smallint not null,
  deals        bigint not null default 0,
  amount_cents numeric not null default 0,
  primary key (tenant_id, stage, currency, slot)
);

create table app.activity_daily (
  tenant_id    uuid not null references app.tenants (id) on delete cascade,
  day          date not null,
  actor_id     uuid not null,
  slot         smallint not null,
  interactions bigint not null default 0,
  primary key (tenant_id, day, actor_id, slot)
);

alter table app.deal_stage_totals enable row level security;
alter table app.deal_stage_totals force row level security;
alter table app.activity_daily enable row level security;
alter table app.activity_daily force row level security;

grant select on app.deal_stage_totals, app.activity_daily to app_user;
grant select, insert, update on app.deal_stage_totals, app.activity_daily to palisade_definer;

create policy deal_stage_totals_managers on app.deal_stage_totals for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy activity_daily_managers on app.activity_daily for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy deal_stage_totals_definer on app.deal_stage_totals to palisade_definer using (true) with check (true);
create policy activity_daily_definer on app.activity_daily to palisade_definer using (true) with check (true);

reset role;
-- Existing data (the migrator is the superuser here, so it sees every row).
insert into app.deal_stage_totals (tenant_id, stage, currency, slot, deals, amount_cents)
  select tenant_id, stage, currency, 0, count(*), sum(amount_cents) from app.deals group by 1, 2, 3;
insert into app.activity_daily (tenant_id, day, actor_id, slot, interactions)
  select tenant_id, (occurred_at at time zone 'UTC')::date, actor_id, 0, count(*)
  from app.interactions group by 1, 2, 3;

set local role palisade_definer;

create function app.track_deal_totals() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_slot constant smallint := (pg_catalog.pg_backend_pid() % 8)::smallint;
begin
  if tg_op = 'UPDATE' and old.stage = new.stage and old.currency = new.currency
     and old.amount_cents = new.amount_cents and old.tenant_id = new.tenant_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into app.deal_stage_totals as t (tenant_id, stage, currency, slot, deals, amount_cents)
    values (old.tenant_id, old.stage, old.currency, v_slot, -1, -old.amount_cents)
    on conflict (tenant_id, stage, currency, slot)
    do update set deals = t.deals - 1, amount_cents = t.amount_cents - old.amount_cents;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.deal_stage_totals as t (tenant_id, stage, currency, slot, deals, amount_cents)
    values (new.tenant_id, new.stage, new.currency, v_slot, 1, new.amount_cents)
    on conflict (tenant_id, stage, currency, slot)
    do update set deals = t.deals + 1, amount_cents = t.amount_cents + new.amount_cents;
  end if;
  return null;
end
$$;

create function app.track_activity() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_slot constant smallint := (pg_catalog.pg_backend_pid() % 8)::smallint;
begin
  if tg_op = 'UPDATE' and old.actor_id = new.actor_id and old.occurred_at = new.occurred_at
     and old.tenant_id = new.tenant_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (old.tenant_id, (old.occurred_at at time zone 'UTC')::date, old.actor_id, v_slot, -1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions - 1;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.activity_daily as t (tenant_id, day, actor_id, slot, interactions)
    values (new.tenant_id, (new.occurred_at at time zone 'UTC')::date, new.actor_id, v_slot, 1)
    on conflict (tenant_id, day, actor_id, slot) do update set interactions = t.interactions + 1;
  end if;
  return null;
end
$$;

revoke execute on function app.track_deal_totals(), app.track_activity() from public;
-- The owner attaches them as triggers (CREATE TRIGGER needs EXECUTE); no runtime role may call them.
grant execute on function app.track_deal_totals(), app.track_activity() to palisade_owner;

reset role;
set local role palisade_owner;

create trigger deals_track_totals after insert or update or delete on app.deals
  for each row execute function app.track_deal_totals();
create trigger interactions_track_activity after insert or update or delete on app.interactions
  for each row execute function app.track_activity();
