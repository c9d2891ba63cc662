-- The assistant's work (issue 20): coaching from call transcripts and answers to inbound texts, each a
-- task the `assistant` job carries out; the tenant's knowledge base the answers come from; the
-- conversations handed to a person, where auto-replies stop; and messages the assistant wrote, marked.
-- Replaces 0040's ai_settings_service_select (the inbound webhook also reads which channels get
-- auto-replies) and 0040's app.purge_batch (the same, with this migration's tables in its list). Adds to
-- 0019 (outbound_messages.written_by_ai).
set local role palisade_owner;

drop policy ai_settings_service_select on app.ai_settings;
create policy ai_settings_service_select on app.ai_settings for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('assistant', 'company_export', 'webhook'));

-- One task per interaction and kind: coaching for a call transcript, an answer to an inbound text.
-- Written by the context that recorded the interaction (ingest, webhook); claimed, leased and finished
-- by the assistant. `outcome` is a stable code (why it was skipped or failed, or how it ended), never
-- text from the interaction. An operational queue: no audit trigger (what a task produces is audited
-- where it lands), no person (the rep is the interaction's actor), gone with its interaction.
create table app.assistant_tasks (
  tenant_id      uuid not null references app.tenants (id) on delete cascade,
  id             uuid not null,
  kind           text not null check (kind in ('coaching', 'answer')),
  interaction_id uuid not null,
  status         text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'skipped')),
  attempts       smallint not null default 0 check (attempts between 0 and 10),
  -- Pending: not before this; running: leased until this (a crashed worker's task is taken again after).
  not_before     timestamptz not null default now(),
  outcome        text check (outcome ~ '^[a-z_]{1,60}$'),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, interaction_id, kind),
  foreign key (tenant_id, interaction_id) references app.interactions (tenant_id, id) on delete cascade
);
create index assistant_tasks_due_idx on app.assistant_tasks (not_before) where status in ('pending', 'running');
create trigger assistant_tasks_touch before update on app.assistant_tasks
  for each row execute function app.touch_updated_at();

alter table app.assistant_tasks enable row level security;
alter table app.assistant_tasks force row level security;
grant insert on app.assistant_tasks to app_service;
grant select, update (status, attempts, not_before, outcome) on app.assistant_tasks to app_service;
create policy assistant_tasks_service_insert on app.assistant_tasks for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and status = 'pending' and attempts = 0);
create policy assistant_tasks_assistant_select on app.assistant_tasks for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'assistant');
create policy assistant_tasks_assistant_update on app.assistant_tasks for update to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'assistant')
  with check (tenant_id = (select ctx.scoped_tenant_id()));
grant select (tenant_id, id, status, not_before, attempts) on app.assistant_tasks to palisade_definer;
create policy assistant_tasks_definer_select on app.assistant_tasks for select to palisade_definer using (true);

-- The knowledge base: FAQ entries and documents, the company's own help content. Members read it
-- (a rep sees what the assistant answers from); managers and admins write it; the assistant reads
-- it. Each entry is split into passages, the units retrieval ranks and answers cite.
create table app.knowledge_entries (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  id         uuid not null,
  kind       text not null check (kind in ('faq', 'document')),
  title      text not null check (char_length(title) between 1 and 300),
  body       text not null check (char_length(body) between 1 and 200000),
  -- The text-search configuration its words are stemmed with.
  language   text not null default 'english'
             check (language in ('simple', 'english', 'spanish', 'german', 'french', 'portuguese', 'italian', 'dutch')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (not ctx.has_unmasked_card(body))
);
create index knowledge_entries_list_idx on app.knowledge_entries (tenant_id, id);
create trigger knowledge_entries_touch before update on app.knowledge_entries
  for each row execute function app.touch_updated_at();
create trigger knowledge_entries_audit after insert or update or delete on app.knowledge_entries
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain', 'body');

create function app.knowledge_config(p_language text) returns regconfig
language sql immutable parallel safe set search_path = '' as $$
  select case p_language
    when 'english' then 'pg_catalog.english'::pg_catalog.regconfig
    when 'spanish' then 'pg_catalog.spanish'::pg_catalog.regconfig
    when 'german' then 'pg_catalog.german'::pg_catalog.regconfig
    when 'french' then 'pg_catalog.french'::pg_catalog.regconfig
    when 'portuguese' then 'pg_catalog.portuguese'::pg_catalog.regconfig
    when 'italian' then 'pg_catalog.italian'::pg_catalog.regconfig
    when 'dutch' then 'pg_catalog.dutch'::pg_catalog.regconfig
    else 'pg_catalog.simple'::pg_catalog.regconfig
  end
$$;

create table app.knowledge_passages (
  tenant_id  uuid not null,
  entry_id   uuid not null,
  ord        integer not null check (ord >= 0),
  language   text not null,
  heading    text not null check (char_length(heading) between 1 and 300),
  text       text not null check (char_length(text) between 1 and 4000),
  search     tsvector generated always as (
               setweight(to_tsvector(app.knowledge_config(language), heading), 'A')
               || setweight(to_tsvector(app.knowledge_config(language), text), 'B')) stored,
  primary key (tenant_id, entry_id, ord),
  foreign key (tenant_id, entry_id) references app.knowledge_entries (tenant_id, id) on delete cascade
);
revoke execute on function app.knowledge_config(text) from public;
grant execute on function app.knowledge_config(text) to app_user, app_service;
create index knowledge_passages_search_idx on app.knowledge_passages using gin (search);
create index knowledge_passages_tenant_idx on app.knowledge_passages (tenant_id);

alter table app.knowledge_entries enable row level security;
alter table app.knowledge_entries force row level security;
alter table app.knowledge_passages enable row level security;
alter table app.knowledge_passages force row level security;
grant select, insert, update (title, body, language), delete on app.knowledge_entries to app_user;
grant select, insert, delete on app.knowledge_passages to app_user;
grant select on app.knowledge_entries, app.knowledge_passages to app_service;
create policy knowledge_entries_member_select on app.knowledge_entries for select to app_user
  using (tenant_id = (select ctx.tenant_id()));
create policy knowledge_entries_manager_insert on app.knowledge_entries for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy knowledge_entries_manager_update on app.knowledge_entries for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')))
  with check (tenant_id = (select ctx.tenant_id()));
create policy knowledge_entries_manager_delete on app.knowledge_entries for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy knowledge_passages_member_select on app.knowledge_passages for select to app_user
  using (tenant_id = (select ctx.tenant_id()));
create policy knowledge_passages_manager_insert on app.knowledge_passages for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy knowledge_passages_manager_delete on app.knowledge_passages for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy knowledge_entries_service_select on app.knowledge_entries for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('assistant', 'company_export'));
create policy knowledge_passages_service_select on app.knowledge_passages for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'assistant');

-- A conversation (a lead on a channel) the assistant handed to a person: no auto-reply goes out in it
-- until a member who sees the lead releases it. The assistant holds; the webhook checks.
create table app.assistant_holds (
  tenant_id   uuid not null,
  lead_id     uuid not null,
  channel     text not null check (channel in ('sms', 'whatsapp')),
  reason      text not null check (reason ~ '^[a-z_]{1,60}$'),
  held_at     timestamptz not null default now(),
  released_at timestamptz,
  released_by uuid,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (tenant_id, lead_id, channel),
  foreign key (tenant_id, lead_id) references app.leads (tenant_id, id) on delete cascade,
  foreign key (tenant_id, released_by) references app.memberships (tenant_id, user_id)
);
create index assistant_holds_released_by_idx on app.assistant_holds (tenant_id, released_by) where released_by is not null;
create trigger assistant_holds_touch before update on app.assistant_holds
  for each row execute function app.touch_updated_at();
create trigger assistant_holds_audit after insert or update or delete on app.assistant_holds
  for each row execute function audit.record_change('tenant_id', 'lead_id', 'lead_id', 'domain');

alter table app.assistant_holds enable row level security;
alter table app.assistant_holds force row level security;
grant select, update (released_at, released_by) on app.assistant_holds to app_user;
grant select, insert, update (reason, held_at, released_at, released_by) on app.assistant_holds to app_service;
-- Whoever sees the lead sees its holds and may release them (as themselves).
create policy assistant_holds_member_select on app.assistant_holds for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and exists (select from app.leads l where l.tenant_id = assistant_holds.tenant_id and l.id = assistant_holds.lead_id));
create policy assistant_holds_member_release on app.assistant_holds for update to app_user
  using (tenant_id = (select ctx.tenant_id())
         and exists (select from app.leads l where l.tenant_id = assistant_holds.tenant_id and l.id = assistant_holds.lead_id))
  with check (tenant_id = (select ctx.tenant_id()) and released_by = (select ctx.user_id()) and released_at is not null);
create policy assistant_holds_service_select on app.assistant_holds for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('assistant', 'webhook', 'company_export'));
create policy assistant_holds_assistant_write on app.assistant_holds for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and released_at is null
              and pg_catalog.current_setting('palisade.purpose', true) = 'assistant');
create policy assistant_holds_assistant_update on app.assistant_holds for update to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'assistant')
  with check (tenant_id = (select ctx.scoped_tenant_id()) and released_at is null and released_by is null);

-- Messages the assistant wrote and sent by itself are marked; a person's never are.
alter table app.outbound_messages add column written_by_ai boolean not null default false;
create policy outbound_people_not_ai on app.outbound_messages as restrictive for insert to app_user
  with check (not written_by_ai);

-- The purge (0037) reaches the new tables (their places in 0040's app.purge_batch, below).
do $$
declare
  t text;
begin
  foreach t in array array['app.assistant_tasks', 'app.assistant_holds', 'app.knowledge_passages',
                           'app.knowledge_entries']
  loop
    execute pg_catalog.format('grant select (tenant_id, ctid), delete on %s to palisade_definer', t);
    execute pg_catalog.format(
      'create policy %I on %s for select to palisade_definer using (tenant_id = (select ctx.purging_tenant_id()))',
      pg_catalog.split_part(t, '.', 2) || '_purge_read', t);
    execute pg_catalog.format(
      'create policy %I on %s for delete to palisade_definer using (tenant_id = (select ctx.purging_tenant_id()))',
      pg_catalog.split_part(t, '.', 2) || '_purge', t);
  end loop;
end
$$;

reset role;
set local role palisade_definer;

-- The tasks due across tenants, for the assistant job (a service context for no tenant, purpose
-- assistant); each is then claimed in its own tenant's context. A suspended tenant's tasks wait.
create function app.due_assistant_tasks(p_limit integer) returns table (tenant_id uuid, id uuid)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'assistant' then
    raise exception 'due assistant tasks are listed by the assistant job only' using errcode = '42501';
  end if;
  return query
    select k.tenant_id, k.id from app.assistant_tasks k
    join app.tenants t on t.id = k.tenant_id and t.status = 'active'
    where k.status in ('pending', 'running') and k.not_before <= pg_catalog.now()
    order by k.not_before limit least(greatest(p_limit, 1), 1000);
end
$$;
revoke execute on function app.due_assistant_tasks(integer) from public;
grant execute on function app.due_assistant_tasks(integer) to app_service;

-- 0040's purge batch, with the new tables in its list (children before parents).
-- One batch of the purge: up to p_limit rows of the first table that still holds rows of the tenant
-- (children before parents). Returns the table and the rows deleted, or nothing once every table is
-- empty. The counts on the termination grow with each batch.
create or replace function app.purge_batch(p_tenant uuid, p_limit integer, out table_name text, out deleted bigint)
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_table text;
begin
  perform app.require_termination_context();
  if p_limit is null or p_limit < 1 or p_limit > 100000 then
    raise exception 'the batch must be between 1 and 100000 rows' using errcode = '22023';
  end if;
  if not app.purge_lock(p_tenant) then
    table_name := null;
    deleted := 0;
    return;
  end if;
  foreach v_table in array array['app.phone_verifications', 'app.brief_preferences', 'app.member_phones',
    'app.voice_samples', 'app.voice_consents', 'app.coaching_observations', 'app.drafts', 'app.assistant_tasks',
    'app.assistant_holds', 'app.knowledge_passages', 'app.outbound_messages', 'app.consent_events', 'app.interactions', 'app.deals', 'app.leads',
    'app.deal_stage_totals', 'app.activity_daily', 'app.webhook_events', 'app.message_templates',
    'app.ai_usage', 'app.ai_settings', 'app.knowledge_entries', 'app.integrations', 'app.invitations', 'app.erasures',
    'app.retention_settings', 'app.incident_tenants', 'app.error_events', 'audit.event_windows', 'audit.access_events', 'app.memberships']
  loop
    if v_table = 'app.memberships' then
      -- The tenant's inbound owner is a membership.
      update app.tenants t set inbound_owner_id = null where t.id = p_tenant and t.inbound_owner_id is not null;
    end if;
    -- Every table's rows carry the tenant; a ctid found twice in two partitions is the tenant's too.
    execute pg_catalog.format(
      'delete from %s x where x.tenant_id = $1 and x.ctid = any (array(select y.ctid from %s y '
      'where y.tenant_id = $1 limit $2))', v_table, v_table)
      using p_tenant, p_limit;
    get diagnostics deleted = row_count;
    if deleted > 0 then
      table_name := v_table;
      update app.terminations x
        set counts = x.counts || pg_catalog.jsonb_build_object(v_table,
                       coalesce((x.counts ->> v_table)::bigint, 0) + deleted)
      where x.tenant_id = p_tenant and x.canceled_at is null;
      return;
    end if;
  end loop;
  -- Every row is gone: the tenant's row keeps no name, slug or domain of the customer's, and its
  -- terminations no admin's id — before the trail goes, so the events of these changes go with it.
  update app.tenants t
    set slug = 'purged-' || pg_catalog.replace(t.id::text, '-', ''), name = 'Purged tenant',
        email_domains = '{}', help_text = 'Reply STOP to opt out.'
  where t.id = p_tenant and t.name <> 'Purged tenant';
  update app.terminations x set requested_by = null, canceled_by = null
  where x.tenant_id = p_tenant and (x.requested_by is not null or x.canceled_by is not null);
  table_name := null;
  deleted := 0;
end
$$;

reset role;
