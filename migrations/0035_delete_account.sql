-- A person deletes their own account (issue 18, `DELETE /api/v1/me`). Following the personal-data
-- registry: what is theirs alone is deleted (drafts, coaching, voice samples and opt-ins, their numbers,
-- verifications and brief settings, the messages to them as a member, their invitations, every
-- credential, identity and session); what they did in a tenant stays there, attributed to their user
-- row, which is de-identified (no email, no name, disabled for good) and removed from every tenant; the
-- content of the audit events of their own rows and of invitations to their address is blanked (the rows
-- and hashes stay: every chain still verifies; the events of private records never held content, 0007).
-- Refused while they are the last admin of a tenant, and without a sign-in (or second-factor check) in
-- the last ten minutes.
-- Widens 0032's access_events_action_check with 'account_deleted'.
set local role palisade_owner;

alter table audit.access_events drop constraint access_events_action_check;
alter table audit.access_events add constraint access_events_action_check check (action in (
  'audit_export', 'data_export', 'phone_reveal', 'secret_decrypt', 'sign_in', 'sign_in_failed', 'sign_out',
  'sessions_ended', 'refresh_token_reuse', 'mfa_change', 'mfa_verified', 'mfa_failed', 'password_change', 'role_change',
  'member_added', 'member_removed', 'settings_change', 'audit_redaction', 'identity_linked', 'identity_unlinked',
  'webhook_rejected', 'member_suspended', 'member_reinstated', 'member_left', 'platform_admin_granted',
  'platform_admin_revoked', 'erasure', 'account_deleted'));

-- What the deletion needs and the definer could not do until now: delete a member's own rows.
grant select (tenant_id, owner_id), delete on app.drafts, app.coaching_observations to palisade_definer;
create policy drafts_definer_select on app.drafts for select to palisade_definer using (true);
create policy drafts_definer_delete on app.drafts for delete to palisade_definer using (true);
create policy coaching_definer_select on app.coaching_observations for select to palisade_definer using (true);
create policy coaching_definer_delete on app.coaching_observations for delete to palisade_definer using (true);
grant delete on app.voice_consents, app.member_phones, app.brief_preferences, app.outbound_messages
  to palisade_definer;
create policy voice_consents_definer_delete on app.voice_consents for delete to palisade_definer using (true);
create policy member_phones_definer_delete on app.member_phones for delete to palisade_definer using (true);
create policy brief_preferences_definer_delete on app.brief_preferences for delete to palisade_definer
  using (true);
-- Only messages to the member deleting their account: a lead's messages are the tenant's.
create policy outbound_definer_delete on app.outbound_messages for delete to palisade_definer
  using (member_id = (select ctx.user_id()));
-- 0009's invitations_definer policy already covers every command.
grant delete on app.invitations to palisade_definer;
-- Invitations are found by address across tenants.
create index invitations_email_idx on app.invitations (pg_catalog.lower(email));
grant select, delete on auth.totp_factors, auth.recovery_codes, auth.password_credentials to palisade_definer;
grant update (email, display_name, disabled_at) on app.users to palisade_definer;
grant update (inbound_owner_id) on app.tenants to palisade_definer;

reset role;
set local role palisade_definer;

-- The deletion finds the person's events without reading the whole trail.
create index events_person_row_idx on audit.events (row_key)
  where table_name in ('users', 'memberships', 'platform_admins') and redacted_at is null;
create index events_invitation_email_idx on audit.events (pg_catalog.lower(coalesce(after, before) ->> 'email'))
  where table_name = 'invitations' and redacted_at is null;

-- The caller's own account, in a user context acting in no tenant (their session must be one with a
-- recent sign-in). Returns, per table, how many rows were deleted, de-identified or blanked.
create function app.delete_account(p_now timestamptz) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_user uuid := auth.require_recent_authentication(p_now);
  v_email text;
  v_tenant uuid;
  v_tenants uuid[];
  v_every uuid[];
  v_counts jsonb := '{}';
  n bigint;
begin
  if pg_catalog.current_setting('role', true) is distinct from 'app_user' then
    raise exception 'only the person deletes their own account' using errcode = '42501';
  end if;
  -- No key update: nothing keys on the email but an expression index, and foreign keys to the row
  -- (an admin naming this person somewhere) must not deadlock with it.
  select u.email into v_email from app.users u where u.id = v_user and u.disabled_at is null for no key update;
  -- A second request that waited for the first finds the account gone, or its session ended.
  if not found then
    raise exception 'the account is already deleted' using errcode = 'PA404';
  end if;
  perform auth.require_recent_authentication(p_now);
  -- Every tenant the person was ever a member of: their own rows are there (the indexes lead with it).
  select coalesce(pg_catalog.array_agg(m.tenant_id), '{}') into v_every from app.memberships m where m.user_id = v_user;
  -- The last-admin guard locks each tenant row, in one order, as leaving does.
  select coalesce(pg_catalog.array_agg(m.tenant_id order by m.tenant_id), '{}') into v_tenants
  from app.memberships m where m.user_id = v_user and m.status <> 'removed';
  foreach v_tenant in array v_tenants loop
    perform app.guard_last_admin(v_tenant, v_user);
  end loop;

  delete from app.drafts x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.drafts', n);
  delete from app.coaching_observations x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.coaching_observations', n);
  delete from app.voice_samples x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.voice_samples', n);
  delete from app.voice_consents x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.voice_consents', n);
  delete from app.phone_verifications x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.phone_verifications', n);
  delete from app.member_phones x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.member_phones', n);
  delete from app.brief_preferences x where x.tenant_id = any (v_every) and x.owner_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.brief_preferences', n);
  delete from app.outbound_messages x where x.tenant_id = any (v_every) and x.member_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.outbound_messages', n);
  delete from app.invitations x where x.accepted_by = v_user or pg_catalog.lower(x.email) = pg_catalog.lower(v_email);
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.invitations', n);
  delete from app.platform_admins x where x.user_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.platform_admins', n);

  delete from auth.refresh_tokens r using auth.sessions s where r.session_id = s.id and s.user_id = v_user;
  delete from auth.sessions x where x.user_id = v_user;
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('auth.sessions', n);
  delete from auth.magic_links x where pg_catalog.lower(x.email) = pg_catalog.lower(v_email);
  delete from auth.totp_factors x where x.user_id = v_user;
  delete from auth.recovery_codes x where x.user_id = v_user;
  delete from auth.password_credentials x where x.user_id = v_user;
  -- By user only: another person's identity may carry the same address, and it is theirs.
  delete from auth.identities x where x.user_id = v_user;

  update app.tenants t set inbound_owner_id = null where t.inbound_owner_id = v_user;
  update app.memberships m set status = 'removed' where m.user_id = v_user and m.status <> 'removed';
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('app.memberships', n);
  update app.users u set email = 'deleted-' || v_user::text || '@deleted.invalid', display_name = '',
                         disabled_at = coalesce(u.disabled_at, p_now)
  where u.id = v_user;

  -- Last, so the events the statements above just wrote are blanked too.
  perform pg_catalog.set_config('palisade.audit_redaction', 'on', true);
  update audit.events e set before = null, after = null, redacted_at = pg_catalog.now()
  where e.redacted_at is null
    and ((e.table_name in ('users', 'memberships', 'platform_admins') and e.row_key = v_user::text)
         or (e.table_name = 'invitations'
             and pg_catalog.lower(coalesce(e.after, e.before) ->> 'email') = pg_catalog.lower(v_email)));
  get diagnostics n = row_count; v_counts := v_counts || pg_catalog.jsonb_build_object('audit.events', n);
  perform pg_catalog.set_config('palisade.audit_redaction', 'off', true);

  foreach v_tenant in array v_tenants loop
    insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                     correlation_id)
    values (v_tenant, v_user, 'user', 'member_left', 'member', v_user::text,
            pg_catalog.jsonb_build_object('via', 'account_deleted'),
            nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  end loop;
  insert into audit.access_events (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, detail,
                                   correlation_id)
  values (null, v_user, 'user', 'account_deleted', 'user', v_user::text, v_counts,
          nullif(pg_catalog.current_setting('palisade.correlation_id', true), ''));
  return v_counts;
end
$$;
revoke execute on function app.delete_account(timestamptz) from public;
grant execute on function app.delete_account(timestamptz) to app_user;
