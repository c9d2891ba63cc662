-- The HubSpot sync (issue 21): a tenant's connection (sealed tokens), where reading stopped, the
-- outbox of what is written back, and links from leads and deals to HubSpot's records. Replaces
-- 0041's app.purge_batch with one that reads its list from app.purge_tables(), so a migration adding a
-- table replaces that short function instead of copying the whole purge.
set local role palisade_owner;

-- A tenant's HubSpot account: an OAuth connection (access token refreshed before `access_expires_at`)
-- or a private app's token. Both tokens are sealed together, bound to the tenant; nobody reads them but
-- the sync through app.crm_tokens(), which logs each read. Admins connect and disconnect it.
create table app.crm_connections (
  tenant_id         uuid primary key references app.tenants (id) on delete cascade,
  kind              text not null check (kind in ('oauth', 'private_app')),
  portal_id         bigint not null check (portal_id > 0),
  hub_domain        text check (char_length(hub_domain) between 1 and 253),
  scopes            text[] not null default '{}' check (cardinality(scopes) <= 100),
  tokens_sealed     bytea not null check (octet_length(tokens_sealed) between 30 and 16000),
  key_id            text not null check (char_length(key_id) between 1 and 32),
  last_four         text not null check (char_length(last_four) between 1 and 4),
  access_expires_at timestamptz,
  -- failed: HubSpot refused the refresh token (the app was uninstalled or the grant revoked); an admin
  -- connects again.
  status            text not null default 'active' check (status in ('active', 'failed')),
  failure           text check (failure ~ '^[a-z_]{1,60}$'),
  write_back        boolean not null default true,
  gdpr_delete       boolean not null default false,
  -- The admin who connected it. No foreign key: leaving must not need the connection gone first.
  connected_by      uuid,
  connected_at      timestamptz not null default now(),
  refreshed_at      timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  check ((kind = 'oauth') = (access_expires_at is not null)),
  check ((status = 'failed') = (failure is not null))
);
create trigger crm_connections_touch before update on app.crm_connections
  for each row execute function app.touch_updated_at();
create trigger crm_connections_audit after insert or update or delete on app.crm_connections
  for each row execute function audit.record_change('tenant_id', 'tenant_id', '', 'domain',
                                                     'tokens_sealed', 'last_four', 'key_id', 'portal_id',
                                                     'hub_domain', 'scopes');

alter table app.crm_connections enable row level security;
alter table app.crm_connections force row level security;
grant select (tenant_id, kind, portal_id, hub_domain, scopes, key_id, last_four, access_expires_at, status,
              failure, write_back, gdpr_delete, connected_by, connected_at, refreshed_at, created_at, updated_at),
      insert, delete on app.crm_connections to app_user;
grant update (kind, portal_id, hub_domain, scopes, tokens_sealed, key_id, last_four, access_expires_at, status,
              failure, write_back, gdpr_delete, connected_by, connected_at, refreshed_at)
  on app.crm_connections to app_user;
create policy crm_connections_admin_select on app.crm_connections for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy crm_connections_admin_insert on app.crm_connections for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin'))
              and connected_by = (select ctx.user_id()));
create policy crm_connections_admin_update on app.crm_connections for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy crm_connections_admin_delete on app.crm_connections for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
-- The sync reads the connection and stores refreshed tokens (the row locked while it refreshes);
-- webhooks and erasures read whether the tenant is connected and what it enabled.
grant select (tenant_id, kind, portal_id, hub_domain, scopes, key_id, last_four, access_expires_at, status, failure,
              write_back, gdpr_delete, connected_by, connected_at, refreshed_at, created_at, updated_at)
  on app.crm_connections to app_service;
grant update (tokens_sealed, key_id, last_four, access_expires_at, status, failure, refreshed_at)
  on app.crm_connections to app_service;
create policy crm_connections_service_select on app.crm_connections for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) in ('sync', 'webhook', 'erasure', 'company_export'));
create policy crm_connections_sync_update on app.crm_connections for update to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'sync')
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and pg_catalog.current_setting('palisade.purpose', true) = 'sync');

-- How the sync is doing, one row per tenant: its lease (one worker at a time per HubSpot account), when
-- it runs next (a webhook or an admin brings it forward), and what went wrong. Kept when the connection
-- goes, with the portal its links point into, so reconnecting the same account resumes where it was.
-- Operational state: no audit trigger, no person. The lease names its holder: a worker whose lease
-- ran out cannot extend, move the cursors of, or end another's run.
create table app.crm_sync_runs (
  tenant_id            uuid primary key references app.tenants (id) on delete cascade,
  portal_id            bigint not null check (portal_id > 0),
  lease_until          timestamptz,
  lease_token          uuid,
  next_run_at          timestamptz not null default now(),
  last_run_at          timestamptz,
  last_success_at      timestamptz,
  last_error           text check (last_error ~ '^[a-z_]{1,60}$'),
  last_error_at        timestamptz,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  -- When the error event for the current run of failures was recorded (one per run of failures).
  error_reported_at    timestamptz,
  records_out          bigint not null default 0 check (records_out >= 0),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index crm_sync_runs_due_idx on app.crm_sync_runs (next_run_at);
create trigger crm_sync_runs_touch before update on app.crm_sync_runs
  for each row execute function app.touch_updated_at();

-- Where reading each kind of record stopped. A pass reads every record modified at or after
-- `window_start` (all of them in the first pass, the backfill) in ascending id order, one page at a time,
-- and saves `after_id` after each page; the next pass starts a little before this one started.
create table app.crm_sync_cursors (
  tenant_id       uuid not null references app.tenants (id) on delete cascade,
  object          text not null check (object in ('contacts', 'deals')),
  window_start    timestamptz,
  pass_started_at timestamptz not null default now(),
  after_id        bigint not null default 0 check (after_id >= 0),
  pass_total      bigint check (pass_total >= 0),
  pass_done       bigint not null default 0 check (pass_done >= 0),
  backfilled_at   timestamptz,
  records_in      bigint not null default 0 check (records_in >= 0),
  skipped         bigint not null default 0 check (skipped >= 0),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, object)
);
create trigger crm_sync_cursors_touch before update on app.crm_sync_cursors
  for each row execute function app.touch_updated_at();

alter table app.crm_sync_runs enable row level security;
alter table app.crm_sync_runs force row level security;
alter table app.crm_sync_cursors enable row level security;
alter table app.crm_sync_cursors force row level security;
grant select on app.crm_sync_runs, app.crm_sync_cursors to app_user;
-- "Sync now": an admin brings the next run forward.
grant update (next_run_at) on app.crm_sync_runs to app_user;
create policy crm_sync_runs_admin_select on app.crm_sync_runs for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
create policy crm_sync_runs_admin_update on app.crm_sync_runs for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')))
  with check (tenant_id = (select ctx.tenant_id()));
create policy crm_sync_cursors_admin_select on app.crm_sync_cursors for select to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('admin')));
grant select, insert, update, delete on app.crm_sync_runs, app.crm_sync_cursors to app_service;
create policy crm_sync_runs_sync on app.crm_sync_runs to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'sync')
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and pg_catalog.current_setting('palisade.purpose', true) = 'sync');
create policy crm_sync_cursors_sync on app.crm_sync_cursors to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'sync')
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and pg_catalog.current_setting('palisade.purpose', true) = 'sync');

-- What goes to HubSpot: a deal's latest state (one pending row per deal; the push reads the deal when it
-- is sent), a note for an interaction a member marked (once per interaction), and GDPR deletes of
-- erased leads' contacts. `sent_at` is set before the first request: a retry of a note first looks
-- for the note it may have created. `remote_id` is HubSpot's key (the contact to delete, or the
-- object written).
create table app.crm_outbox (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  id         uuid not null,
  kind       text not null check (kind in ('deal', 'note', 'gdpr_delete')),
  local_id   uuid,
  remote_id  bigint check (remote_id > 0),
  status     text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'skipped')),
  attempts   smallint not null default 0 check (attempts between 0 and 10),
  not_before timestamptz not null default now(),
  sent_at    timestamptz,
  outcome    text check (outcome ~ '^[a-z_]{1,60}$'),
  -- The member who marked an interaction for the CRM.
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((kind = 'gdpr_delete') = (local_id is null)),
  check (kind <> 'gdpr_delete' or remote_id is not null)
);
create unique index crm_outbox_note_idx on app.crm_outbox (tenant_id, local_id) where kind = 'note';
create unique index crm_outbox_deal_pending_idx on app.crm_outbox (tenant_id, local_id)
  where kind = 'deal' and status = 'pending';
create index crm_outbox_due_idx on app.crm_outbox (tenant_id, not_before) where status in ('pending', 'running');
create trigger crm_outbox_touch before update on app.crm_outbox
  for each row execute function app.touch_updated_at();

alter table app.crm_outbox enable row level security;
alter table app.crm_outbox force row level security;
grant select, insert on app.crm_outbox to app_user;
-- A member marks an interaction they can see (the subquery runs under their own policies).
create policy crm_outbox_member_insert on app.crm_outbox for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and kind = 'note' and status = 'pending' and attempts = 0
              and sent_at is null and remote_id is null and created_by = (select ctx.user_id())
              and exists (select from app.interactions i where i.tenant_id = crm_outbox.tenant_id
                            and i.id = crm_outbox.local_id));
create policy crm_outbox_member_select on app.crm_outbox for select to app_user
  using (tenant_id = (select ctx.tenant_id())
         and ((select ctx.has_role('manager')) or created_by = (select ctx.user_id())));
grant select, insert, delete, update (status, attempts, not_before, sent_at, outcome, remote_id)
  on app.crm_outbox to app_service;
create policy crm_outbox_sync on app.crm_outbox to app_service
  using (tenant_id = (select ctx.scoped_tenant_id())
         and pg_catalog.current_setting('palisade.purpose', true) = 'sync')
  with check (tenant_id = (select ctx.scoped_tenant_id())
              and pg_catalog.current_setting('palisade.purpose', true) = 'sync');
-- An erasure queues the GDPR delete of its lead's contact in the transaction that deletes the lead.
-- With GDPR deletes off, the row is written `skipped`: it stays as the erased contact's tombstone, so
-- the sync never makes a lead of that contact again.
create policy crm_outbox_erasure_insert on app.crm_outbox for insert to app_service
  with check (tenant_id = (select ctx.scoped_tenant_id()) and kind = 'gdpr_delete'
              and status in ('pending', 'skipped')
              and pg_catalog.current_setting('palisade.purpose', true) = 'erasure');

-- An erasure asked for by HubSpot (its `contact.privacyDeletion` event) names no person: who asked
-- is HubSpot, on the customer's behalf.
alter table app.erasures alter column requested_by drop not null,
  add column requested_via text not null default 'admin' check (requested_via in ('admin', 'hubspot')),
  add constraint erasures_requester check ((requested_via = 'admin') = (requested_by is not null));

-- Links to HubSpot's records. Only the sync sets them: people insert and update named columns, which
-- leave these out.
alter table app.leads add column hubspot_id bigint check (hubspot_id > 0),
                      add column hubspot_modified_at timestamptz;
alter table app.deals add column hubspot_id bigint check (hubspot_id > 0),
                      add column hubspot_modified_at timestamptz;
create unique index leads_hubspot_idx on app.leads (tenant_id, hubspot_id) where hubspot_id is not null;
create unique index deals_hubspot_idx on app.deals (tenant_id, hubspot_id) where hubspot_id is not null;
revoke insert on app.leads, app.deals from app_user;
grant insert (tenant_id, id, owner_id, name, email, status, source, phone_sealed, phone_index, email_index,
              created_at, updated_at) on app.leads to app_user;
grant insert (tenant_id, id, lead_id, owner_id, title, stage, amount_cents, currency, product, closed_at,
              created_at, updated_at) on app.deals to app_user;
grant update (hubspot_id, hubspot_modified_at) on app.leads, app.deals to app_service;

-- The purge's list, children before parents. A migration adding a tenant's table replaces this.
create function app.purge_tables() returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select array['app.phone_verifications', 'app.brief_preferences', 'app.member_phones',
    'app.voice_samples', 'app.voice_consents', 'app.coaching_observations', 'app.drafts', 'app.assistant_tasks',
    'app.assistant_holds', 'app.knowledge_passages', 'app.crm_outbox', 'app.outbound_messages',
    'app.consent_events', 'app.interactions', 'app.deals', 'app.leads',
    'app.deal_stage_totals', 'app.activity_daily', 'app.webhook_events', 'app.message_templates',
    'app.ai_usage', 'app.ai_settings', 'app.knowledge_entries', 'app.crm_sync_cursors', 'app.crm_sync_runs',
    'app.crm_connections', 'app.integrations', 'app.invitations', 'app.erasures',
    'app.retention_settings', 'app.incident_tenants', 'app.error_events', 'audit.event_windows',
    'audit.access_events', 'app.memberships']
$$;
revoke execute on function app.purge_tables() from public;
grant execute on function app.purge_tables() to palisade_definer;

do $$
declare
  t text;
begin
  foreach t in array array['app.crm_outbox', 'app.crm_sync_cursors', 'app.crm_sync_runs', 'app.crm_connections']
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

-- Links are the sync's alone to change, whoever owns the record: a lead of a member who left keeps its
-- owner, and the service policies (which check every owner is an active member) would refuse the
-- update. Two definer functions below change the link columns and nothing else.
grant update (hubspot_id, hubspot_modified_at) on app.leads, app.deals to palisade_definer;
grant select (hubspot_id, hubspot_modified_at) on app.leads, app.deals to palisade_definer;
grant select (tenant_id, id) on app.deals to palisade_definer;
create policy leads_definer_links on app.leads for update to palisade_definer
  using (tenant_id = (select ctx.scoped_tenant_id()));
create policy deals_definer_links on app.deals for update to palisade_definer
  using (tenant_id = (select ctx.scoped_tenant_id()));
create policy deals_definer_links_read on app.deals for select to palisade_definer
  using (tenant_id = (select ctx.scoped_tenant_id()));
grant select (tenant_id, id, kind, status), delete on app.crm_outbox to palisade_definer;
create policy crm_outbox_definer_forget on app.crm_outbox for delete to palisade_definer
  using (tenant_id = (select ctx.scoped_tenant_id()) and kind = 'gdpr_delete');
create policy crm_outbox_definer_select on app.crm_outbox for select to palisade_definer
  using (tenant_id = (select ctx.scoped_tenant_id()));

-- What the definer functions below read.
grant select (tenant_id, tokens_sealed, key_id, status, write_back) on app.crm_connections to palisade_definer;
create policy crm_connections_definer_select on app.crm_connections for select to palisade_definer using (true);
grant select (tenant_id, lease_until, next_run_at), update (next_run_at) on app.crm_sync_runs to palisade_definer;
create policy crm_sync_runs_definer_select on app.crm_sync_runs for select to palisade_definer using (true);
create policy crm_sync_runs_definer_update on app.crm_sync_runs for update to palisade_definer using (true);
grant insert on app.crm_outbox to palisade_definer;
create policy crm_outbox_definer_insert on app.crm_outbox for insert to palisade_definer
  with check (kind = 'deal' and status = 'pending');

reset role;
set local role palisade_definer;

-- The sealed tokens of the service context's tenant, for the sync (which refreshes and uses them). The
-- read is logged as a `secret_decrypt` access event.
create function app.crm_tokens() returns table (tokens_sealed bytea, key_id text)
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'CRM tokens are read by the sync of one tenant' using errcode = '42501';
  end if;
  return query
    select c.tokens_sealed, c.key_id from app.crm_connections c
    where c.tenant_id = v_tenant and c.status = 'active';
  if found then
    perform audit.log_access(v_tenant, 'secret_decrypt', 'crm_connection', 'hubspot', '{}'::jsonb, null);
  end if;
end
$$;
revoke execute on function app.crm_tokens() from public;
grant execute on function app.crm_tokens() to app_service;

-- The active members of the service context's tenant with these addresses (HubSpot owners are matched
-- to members by email). Only the sync asks, and only about addresses HubSpot named.
create function app.crm_members_by_email(p_emails text[]) returns table (email text, user_id uuid)
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'members are matched by the sync of one tenant' using errcode = '42501';
  end if;
  if pg_catalog.cardinality(p_emails) > 1000 then
    raise exception 'at most 1000 addresses at a time' using errcode = '22023';
  end if;
  return query
    select pg_catalog.lower(u.email), m.user_id from app.memberships m
    join app.users u on u.id = m.user_id
    where m.tenant_id = v_tenant and m.status = 'active'
      and pg_catalog.lower(u.email) = any (select pg_catalog.lower(e) from pg_catalog.unnest(p_emails) e);
end
$$;
revoke execute on function app.crm_members_by_email(text[]) from public;
grant execute on function app.crm_members_by_email(text[]) to app_service;

-- Forgets every link of the service context's tenant (its sync, connected to another HubSpot account
-- now): leads' and deals' links, and every GDPR delete and tombstone (their ids are the old account's).
create function app.crm_forget_links() returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'links are forgotten by the sync of one tenant' using errcode = '42501';
  end if;
  update app.leads l set hubspot_id = null, hubspot_modified_at = null
  where l.tenant_id = v_tenant and l.hubspot_id is not null;
  update app.deals d set hubspot_id = null, hubspot_modified_at = null
  where d.tenant_id = v_tenant and d.hubspot_id is not null;
  -- Every state: a claimed or failed delete, or a tombstone, names a contact of the old account.
  delete from app.crm_outbox o where o.tenant_id = v_tenant and o.kind = 'gdpr_delete';
end
$$;
revoke execute on function app.crm_forget_links() from public;
grant execute on function app.crm_forget_links() to app_service;

-- Sets (or, with a null id, clears) the links of deals the sync wrote to HubSpot, whoever owns them.
create function app.crm_set_deal_links(p_ids uuid[], p_hubspot bigint[], p_modified timestamptz[]) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'links are set by the sync of one tenant' using errcode = '42501';
  end if;
  update app.deals d
    set hubspot_id = u.hubspot_id,
        hubspot_modified_at = case when u.hubspot_id is null then null
                                   else coalesce(u.modified_at, d.hubspot_modified_at) end
  from rows from (pg_catalog.unnest(p_ids), pg_catalog.unnest(p_hubspot), pg_catalog.unnest(p_modified))
       as u(id, hubspot_id, modified_at)
  where d.tenant_id = v_tenant and d.id = u.id;
end
$$;
revoke execute on function app.crm_set_deal_links(uuid[], bigint[], timestamptz[]) from public;
grant execute on function app.crm_set_deal_links(uuid[], bigint[], timestamptz[]) to app_service;

-- Whether the caller's tenant writes to HubSpot (a member marking an interaction is told when it does
-- not; members cannot read the connection itself).
create function app.crm_writes_back() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select from app.crm_connections c
                 where c.tenant_id = ctx.tenant_id() and c.status = 'active' and c.write_back)
$$;
revoke execute on function app.crm_writes_back() from public;
grant execute on function app.crm_writes_back() to app_user;

-- A verified HubSpot event asks for a run soon: the next run of the service context's tenant is
-- brought forward to now (during a run, that run ends with the next due at once). Nothing else of
-- the sync's state is a webhook's to change.
create function app.crm_sync_soon() returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_tenant uuid := ctx.scoped_tenant_id();
begin
  if v_tenant is null or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'webhook' then
    raise exception 'a sync is asked for by a verified webhook of one tenant' using errcode = '42501';
  end if;
  update app.crm_sync_runs r set next_run_at = pg_catalog.now()
  where r.tenant_id = v_tenant
    and (r.next_run_at > pg_catalog.now() or r.lease_until >= pg_catalog.now());
end
$$;
revoke execute on function app.crm_sync_soon() from public;
grant execute on function app.crm_sync_soon() to app_service;

-- The tenants whose sync is due (a service context for no tenant, purpose sync): connected, active, not
-- leased to another worker. Each is then leased in its own tenant's context.
create function app.due_crm_syncs(p_limit integer) returns table (tenant_id uuid)
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_service'
     or coalesce(pg_catalog.current_setting('palisade.tenant_id', true), '') <> ''
     or pg_catalog.current_setting('palisade.purpose', true) is distinct from 'sync' then
    raise exception 'due syncs are listed by the sync job only' using errcode = '42501';
  end if;
  return query
    select c.tenant_id from app.crm_connections c
    join app.tenants t on t.id = c.tenant_id and t.status = 'active'
    left join app.crm_sync_runs r on r.tenant_id = c.tenant_id
    where c.status = 'active'
      and (r.tenant_id is null
           or (r.next_run_at <= pg_catalog.now()
               and (r.lease_until is null or r.lease_until < pg_catalog.now())))
    order by r.next_run_at nulls first limit least(greatest(p_limit, 1), 1000);
end
$$;
revoke execute on function app.due_crm_syncs(integer) from public;
grant execute on function app.due_crm_syncs(integer) to app_service;

-- A deal changed by anyone but the sync itself (HubSpot's own changes come in with purpose `sync`) is
-- queued for HubSpot when its tenant writes back: one pending row per deal.
create function app.crm_queue_deal() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('palisade.purpose', true) is not distinct from 'sync' then
    return null;
  end if;
  if exists (select from app.crm_connections c
             where c.tenant_id = new.tenant_id and c.status = 'active' and c.write_back) then
    insert into app.crm_outbox (tenant_id, id, kind, local_id)
    values (new.tenant_id, pg_catalog.gen_random_uuid(), 'deal', new.id)
    on conflict do nothing;
  end if;
  return null;
end
$$;
revoke execute on function app.crm_queue_deal() from public;
grant execute on function app.crm_queue_deal() to palisade_owner;

-- One batch of the purge, as 0041's, reading its list from app.purge_tables().
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
  foreach v_table in array app.purge_tables()
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
set local role palisade_owner;

create trigger deals_crm_queue after insert or update of lead_id, owner_id, title, stage, amount_cents, currency,
  closed_at on app.deals for each row execute function app.crm_queue_deal();

reset role;
