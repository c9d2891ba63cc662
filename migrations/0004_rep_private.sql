-- Rep-private records: coaching observations, drafts, voice samples (DESIGN §1.2).
-- Visible to the owning rep only. No manager or admin policy, no reporting grant, no view or
-- function exposes them. The service context may insert (AI output) for an active member, never read.
set local role palisade_owner;

create table app.coaching_observations (
  tenant_id   uuid not null references app.tenants (id) on delete cascade,
  id          uuid not null,
  owner_id    uuid not null,
  lead_id     uuid,
  category    text not null check (char_length(category) between 1 and 100),
  observation text not null check (char_length(observation) between 1 and 20000),
  source      text not null default 'ai' check (source in ('ai', 'self')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade
);
create index coaching_owner_idx on app.coaching_observations (tenant_id, owner_id, id);
create index coaching_lead_idx on app.coaching_observations (tenant_id, lead_id);

create table app.drafts (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  id         uuid not null,
  owner_id   uuid not null,
  lead_id    uuid,
  channel    text not null check (channel in ('sms', 'whatsapp', 'email')),
  subject    text check (char_length(subject) <= 300),
  body       text not null check (char_length(body) between 1 and 20000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade
);
create index drafts_owner_idx on app.drafts (tenant_id, owner_id, id);
create index drafts_lead_idx on app.drafts (tenant_id, lead_id);

create table app.voice_samples (
  tenant_id   uuid not null references app.tenants (id) on delete cascade,
  id          uuid not null,
  owner_id    uuid not null,
  label       text not null check (char_length(label) between 1 and 200),
  storage_key text not null check (char_length(storage_key) between 1 and 500),
  duration_ms integer not null check (duration_ms between 1 and 3600000),
  transcript  text check (char_length(transcript) <= 100000),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, owner_id) references app.memberships (tenant_id, user_id)
);
create index voice_samples_owner_idx on app.voice_samples (tenant_id, owner_id, id);

create trigger coaching_touch before update on app.coaching_observations for each row execute function app.touch_updated_at();
create trigger drafts_touch before update on app.drafts for each row execute function app.touch_updated_at();
create trigger voice_samples_touch before update on app.voice_samples for each row execute function app.touch_updated_at();

alter table app.coaching_observations enable row level security;
alter table app.coaching_observations force row level security;
alter table app.drafts enable row level security;
alter table app.drafts force row level security;
alter table app.voice_samples enable row level security;
alter table app.voice_samples force row level security;

grant select, insert, delete on app.coaching_observations, app.drafts, app.voice_samples to app_user;
grant update (category, observation, lead_id) on app.coaching_observations to app_user;
grant update (lead_id, channel, subject, body) on app.drafts to app_user;
grant update (label, transcript) on app.voice_samples to app_user;
-- INSERT only: without SELECT the service cannot read back, not even through RETURNING.
grant insert on app.coaching_observations, app.drafts, app.voice_samples to app_service;

-- A referenced lead must be one the rep can see (foreign keys bypass RLS).
create policy coaching_owner on app.coaching_observations to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()))
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id())
              and (lead_id is null
                   or exists (select from app.leads l where l.tenant_id = coaching_observations.tenant_id and l.id = coaching_observations.lead_id)));
create policy coaching_service_insert on app.coaching_observations for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, owner_id));

-- A referenced lead must be one the rep can see (foreign keys bypass RLS).
create policy drafts_owner on app.drafts to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()))
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id())
              and (lead_id is null
                   or exists (select from app.leads l where l.tenant_id = drafts.tenant_id and l.id = drafts.lead_id)));
create policy drafts_service_insert on app.drafts for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, owner_id));

create policy voice_samples_owner on app.voice_samples to app_user
  using (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()))
  with check (tenant_id = (select ctx.tenant_id()) and owner_id = (select ctx.user_id()));
create policy voice_samples_service_insert on app.voice_samples for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and ctx.is_active_member(tenant_id, owner_id));
