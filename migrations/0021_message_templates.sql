-- Message templates (issue 7): texts a team reuses, with placeholders (`{{lead.first_name}}`,
-- `{{appointment_time}}`) filled in when a message is queued. Every member of the tenant reads
-- them; managers and admins write them. A queued message keeps the text it was sent with and names
-- its template (cleared if the template is deleted).
set local role palisade_owner;

create table app.message_templates (
  tenant_id  uuid not null references app.tenants (id) on delete cascade,
  id         uuid not null,
  name       text not null check (char_length(name) between 1 and 100),
  channel    text not null check (channel in ('sms', 'whatsapp', 'email')),
  purpose    text not null check (purpose in ('marketing', 'service')),
  subject    text check (char_length(subject) between 1 and 300 and not ctx.has_unmasked_card(subject)),
  body       text not null check (char_length(body) between 1 and 10000 and not ctx.has_unmasked_card(body)),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  -- An email has a subject; a text has none.
  check ((channel = 'email') = (subject is not null)),
  foreign key (tenant_id, created_by) references app.memberships (tenant_id, user_id)
);
create unique index message_templates_name_key on app.message_templates (tenant_id, lower(name));
create index message_templates_created_by_idx on app.message_templates (tenant_id, created_by);
create trigger message_templates_touch before update on app.message_templates
  for each row execute function app.touch_updated_at();
create trigger message_templates_audit after insert or update or delete on app.message_templates
  for each row execute function audit.record_change('tenant_id', 'id', '', 'domain');

alter table app.message_templates enable row level security;
alter table app.message_templates force row level security;
grant select, insert, delete on app.message_templates to app_user;
grant update (name, channel, purpose, subject, body) on app.message_templates to app_user;
grant select on app.message_templates to app_service;

create policy message_templates_select on app.message_templates for select to app_user
  using (tenant_id = (select ctx.tenant_id()));
create policy message_templates_insert on app.message_templates for insert to app_user
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager'))
              and created_by = (select ctx.user_id()));
create policy message_templates_update on app.message_templates for update to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')))
  with check (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy message_templates_delete on app.message_templates for delete to app_user
  using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')));
create policy message_templates_service_select on app.message_templates for select to app_service
  using (tenant_id = (select ctx.scoped_tenant_id()));

alter table app.outbound_messages add column template_id uuid;
alter table app.outbound_messages add constraint outbound_messages_template_fkey
  foreign key (tenant_id, template_id) references app.message_templates (tenant_id, id);
create index outbound_template_idx on app.outbound_messages (tenant_id, template_id)
  where template_id is not null;

-- Deleting a template clears it from the messages written from it (the trigger below; a column list
-- on `on delete set null` would say the same, but needs PostgreSQL 15 and Palisade supports 14).
grant select (template_id) on app.outbound_messages to palisade_definer;
grant update (template_id) on app.outbound_messages to palisade_definer;

reset role;
set local role palisade_definer;

create function app.template_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update app.outbound_messages o set template_id = null
    where o.tenant_id = old.tenant_id and o.template_id = old.id;
  return old;
end
$$;
revoke execute on function app.template_deleted() from public;
grant execute on function app.template_deleted() to palisade_owner;

reset role;
set local role palisade_owner;

create trigger message_templates_deleted before delete on app.message_templates
  for each row execute function app.template_deleted();

reset role;
