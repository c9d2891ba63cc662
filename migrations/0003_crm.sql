-- CRM: leads, deals, interactions (DESIGN §2 visibility matrix).
--   rep:       own leads/deals; interactions on own leads (writes: their own)
--   manager/admin: everything in the tenant
--   service:   read/write within its tenant
--   reporting: SELECT within its tenant, on columns without PII or message bodies (0005)
set local role palisade_owner;

create table app.leads (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  id         uuid not null,
  owner_id   uuid not null,
  name       text not null check (char_length(name) between 1 and 200),
  email      text check (char_length(email) <= 320),
  status     text not null default 'new'
             check (status in ('new', 'contacted', 'qualified', 'unqualified', 'customer', 'lost')),
  source     text check (char_length(source) <= 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id)
);
create index leads_owner_idx on app.leads (tenant_id, owner_id, id);
create index leads_updated_idx on app.leads (tenant_id, updated_at);

create table app.deals (
  tenant_id    uuid not null references app.tenants (id) on delete cascade,
  id           uuid not null,
  lead_id      uuid not null,
  owner_id     uuid not null,
  title        text not null check (char_length(title) between 1 and 200),
  stage        text not null default 'prospect'
               check (stage in ('prospect', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
  -- At most 10^13 cents (100 billion units): larger amounts are typing mistakes.
  amount_cents bigint not null default 0 check (amount_cents between 0 and 10000000000000),
  currency     text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  product      text check (char_length(product) <= 200),
  closed_at    timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade,
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id)
);
create index deals_owner_idx on app.deals (tenant_id, owner_id, id);
create index deals_lead_idx on app.deals (tenant_id, lead_id);
create index deals_stage_idx on app.deals (tenant_id, stage);
create index deals_updated_idx on app.deals (tenant_id, updated_at);

create table app.interactions (
  tenant_id   uuid not null references app.tenants (id) on delete cascade,
  id          uuid not null,
  lead_id     uuid not null,
  actor_id    uuid not null,
  channel     text not null check (channel in ('call', 'sms', 'whatsapp', 'email', 'meeting', 'note')),
  direction   text not null check (direction in ('inbound', 'outbound', 'internal')),
  body        text check (char_length(body) <= 20000),
  occurred_at timestamptz not null default now(),
  advised     boolean not null default false,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade,
  foreign key (tenant_id, actor_id) references app.memberships (tenant_id, user_id)
);
create index interactions_lead_idx on app.interactions (tenant_id, lead_id, occurred_at);
create index interactions_actor_idx on app.interactions (tenant_id, actor_id, occurred_at);
create index interactions_occurred_idx on app.interactions (tenant_id, occurred_at);
create index interactions_updated_idx on app.interactions (tenant_id, updated_at);

create trigger leads_touch before update on app.leads for each row execute function app.touch_updated_at();
create trigger deals_touch before update on app.deals for each row execute function app.touch_updated_at();
create trigger interactions_touch before update on app.interactions for each row execute function app.touch_updated_at();

alter table app.leads enable row level security;
alter table app.leads force row level security;
alter table app.deals enable row level security;
alter table app.deals force row level security;
alter table app.interactions enable row level security;
alter table app.interactions force row level security;

-- Column-level UPDATE grants: tenant_id, id and created_at can never be changed by a context role.
grant select, insert, delete on app.leads, app.deals, app.interactions to app_user, app_service;
grant update (owner_id, name, email, status, source) on app.leads to app_user, app_service;
grant update (owner_id, title, stage, amount_cents, currency, product, closed_at) on app.deals to app_user, app_service;
grant update (channel, direction, body, occurred_at, advised) on app.interactions to app_user, app_service;

-- leads -----------------------------------------------------------------------------------------------
create policy leads_select on app.leads for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id())));
-- Reps create and keep leads they own; managers may assign to any active member.
create policy leads_insert on app.leads for insert to app_user
  with check (tenant_id = (select ctx.tenant_id())
              and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id()))
              and ctx.is_active_member(tenant_id, owner_id));
create policy leads_update on app.leads for update to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id())))
  with check (tenant_id = (select ctx.tenant_id())
              and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id()))
              and ctx.is_active_member(tenant_id, owner_id));
-- Deleting a lead cascades to its deals and interactions, whoever owns them: managers only.
create policy leads_delete on app.leads for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy leads_service on app.leads to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, owner_id));

-- deals -----------------------------------------------------------------------------------------------
create policy deals_select on app.deals for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id())));
-- The lead must be visible to the writer (foreign keys bypass RLS, so the policy checks it).
create policy deals_insert on app.deals for insert to app_user
  with check (tenant_id = (select ctx.tenant_id())
              and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id()))
              and ctx.is_active_member(tenant_id, owner_id)
              and exists (select from app.leads l where l.tenant_id = deals.tenant_id and l.id = deals.lead_id));
create policy deals_update on app.deals for update to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id())))
  with check (tenant_id = (select ctx.tenant_id())
              and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id()))
              and ctx.is_active_member(tenant_id, owner_id));
create policy deals_delete on app.deals for delete to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or owner_id = (select ctx.user_id())));
create policy deals_service on app.deals to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, owner_id));

-- interactions ----------------------------------------------------------------------------------------
create policy interactions_select on app.interactions for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager'))
              or exists (select from app.leads l
                         where l.tenant_id = interactions.tenant_id and l.id = interactions.lead_id
                           and l.owner_id = (select ctx.user_id()))));
-- Everyone logs interactions as themselves; reps only on their own leads.
create policy interactions_insert on app.interactions for insert to app_user
  with check (tenant_id = (select ctx.tenant_id())
              and actor_id = (select ctx.user_id())
              and ((select ctx.has_role('manager'))
                   or exists (select from app.leads l
                              where l.tenant_id = interactions.tenant_id and l.id = interactions.lead_id
                                and l.owner_id = (select ctx.user_id()))));
-- Reps change and delete only interactions they logged themselves.
create policy interactions_update on app.interactions for update to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or actor_id = (select ctx.user_id())))
  with check (tenant_id = (select ctx.tenant_id())
              and ((select ctx.has_role('manager')) or actor_id = (select ctx.user_id())));
create policy interactions_delete on app.interactions for delete to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or actor_id = (select ctx.user_id())));
create policy interactions_service on app.interactions to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()))
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, actor_id));
