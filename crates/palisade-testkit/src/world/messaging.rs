//! Messaging: tenants' providers, members' phone numbers, leads' contact indexes, consent,
//! suppressions, outbound messages, brief settings, phone verifications and templates. Sealed
//! values and blind indexes are stand-in bytes throughout; nothing opens them here.
use tokio_postgres::Client;
use uuid::Uuid;

use super::people::People;
use super::records::ByRep;

/// Tenant A has Twilio connected, set by its admin; tenant B has Resend connected.
pub(super) async fn seed_integrations(su: &Client, p: &People) {
    su.execute(
        "insert into app.integrations (tenant_id, provider, config, secret_sealed, key_id, last_four, set_by) \
         values ($1, 'twilio', '{\"account_sid\": \"AC00000000000000000000000000000000\"}', \
                 convert_to(repeat('x', 40), 'UTF8'), 'fixture', 'beef', $2)",
        &[p.tenant_a.as_uuid(), p.admin_a.as_uuid()],
    )
    .await
    .unwrap();
    su.execute(
        "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four, set_by) \
         values ($1, 'resend', convert_to(repeat('y', 40), 'UTF8'), 'fixture', 'cafe', $2)",
        &[p.tenant_b.as_uuid(), p.admin_b.as_uuid()],
    )
    .await
    .unwrap();
}

/// rep_a1 (verified), rep_a2 and rep_b1 have set their own phone numbers.
pub(super) async fn seed_member_phones(su: &Client, p: &People) {
    su.execute(
        "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index, verified_at) \
         values ($1, $2, convert_to(repeat('p', 40), 'UTF8'), convert_to(repeat('i', 40), 'UTF8'), now()), \
                ($1, $3, convert_to(repeat('q', 40), 'UTF8'), convert_to(repeat('j', 40), 'UTF8'), null), \
                ($4, $5, convert_to(repeat('r', 40), 'UTF8'), convert_to(repeat('k', 40), 'UTF8'), null)",
        &[
            p.tenant_a.as_uuid(),
            p.rep_a1.as_uuid(),
            p.rep_a2.as_uuid(),
            p.tenant_b.as_uuid(),
            p.rep_b1.as_uuid(),
        ],
    )
    .await
    .unwrap();
}

/// lead_a1 has a number (index P…) and an email index (E…), lead_a2 a number (Q…), lead_b1 the
/// same index bytes as lead_a1 (another tenant).
pub(super) async fn seed_lead_contacts(su: &Client, owned: &ByRep) {
    for (lead, phone, email) in [
        (owned.a1.lead, "P", Some("E")),
        (owned.a2.lead, "Q", None),
        (owned.b1.lead, "P", None),
    ] {
        su.execute(
            "update app.leads set phone_sealed = convert_to(repeat('s', 40), 'UTF8'), \
               phone_index = convert_to(repeat($2, 40), 'UTF8'), \
               email_index = convert_to(repeat($3, 40), 'UTF8') where id = $1",
            &[&lead, &phone, &email],
        )
        .await
        .unwrap();
    }
}

/// Consent: lead_a1 opted in to marketing by SMS and WhatsApp (a form), then texted STOP for email
/// ten minutes ago; lead_a2 texted STOP (SMS) and was sent its one confirmation; rep_a1 asked for
/// the WhatsApp brief (at 08:00 UTC); lead_b1 opted in by SMS. WhatsApp to lead_a1's number is
/// suppressed. rep_a2 has asked for a code to verify their number ten minutes ago (code 424242, its
/// text queued), and so has rep_b1 in tenant B; admin_b has brief settings but no consent. Each
/// tenant has one erasure by its admin that erased no lead: A's finished, B's waiting for its last
/// step (the `erasures` job would finish it). Besides the opt-in to voice drafting every rep made
/// (with their voice sample), rep_a1 has one from before, withdrawn. Admin A ended tenant A three
/// days ago and canceled it a day later.
///
/// One batch, so that every `now()` in it is the same instant.
pub(super) async fn seed_consent_and_messages(su: &Client, p: &People, owned: &ByRep) {
    su.batch_execute(&format!(
        "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, \
           form_version, provider_message_id, actor_id, occurred_at) values \
         ('{a}', gen_random_uuid(), '{l1}', null, 'sms', 'marketing', 'grant', 'form', 'v1', null, '{r1}', now() - interval '1 day'), \
         ('{a}', gen_random_uuid(), '{l1}', null, 'whatsapp', 'marketing', 'grant', 'form', 'v1', null, '{r1}', now() - interval '1 day'), \
         ('{a}', gen_random_uuid(), '{l1}', null, 'email', 'marketing', 'revoke', 'inbound_keyword', null, 'SMstop1', null, now() - interval '10 minutes'), \
         ('{a}', gen_random_uuid(), '{l2}', null, 'sms', 'marketing', 'revoke', 'inbound_keyword', null, 'SMstop2', null, now() - interval '10 minutes'), \
         ('{a}', gen_random_uuid(), null, '{r1}', 'whatsapp', 'brief', 'grant', 'api', null, null, '{r1}', now() - interval '1 day'), \
         ('{b}', gen_random_uuid(), '{lb}', null, 'sms', 'marketing', 'grant', 'form', 'v1', null, '{rb}', now() - interval '1 day'); \
         insert into app.suppressions (tenant_id, channel, address_index, reason) values \
         ('{a}', 'whatsapp', convert_to(repeat('P', 40), 'UTF8'), 'stop'), \
         ('{b}', 'sms', convert_to(repeat('Z', 40), 'UTF8'), 'stop'); \
         insert into app.webhook_events (tenant_id, provider, event_id, kind) values \
         ('{a}', 'twilio', 'SMfixture', 'inbound_message'), ('{b}', 'resend', 'msg_fixture', 'email.delivered'); \
         insert into app.outbound_messages (tenant_id, id, lead_id, channel, purpose, body, created_by) values \
         ('{a}', gen_random_uuid(), '{l1}', 'sms', 'marketing', 'Your quote is ready', '{r1}'), \
         ('{b}', gen_random_uuid(), '{lb}', 'sms', 'marketing', 'Your quote is ready', '{rb}'); \
         insert into app.outbound_messages (tenant_id, id, lead_id, channel, purpose, body) values \
         ('{a}', gen_random_uuid(), '{l2}', 'sms', 'opt_out_confirmation', 'You are opted out.'); \
         insert into app.brief_preferences (tenant_id, owner_id, time_zone, send_hour) values \
         ('{a}', '{r1}', 'UTC', 8), \
         ('{b}', '{ab}', 'Europe/Berlin', 8); \
         insert into app.phone_verifications (tenant_id, owner_id, phone_index, code_sha256, expires_at) \
         values ('{a}', '{r2}', convert_to(repeat('j', 40), 'UTF8'), \
                 sha256(convert_to('{a}:{r2}:424242', 'UTF8')), now() + interval '1 day'), \
                ('{b}', '{rb}', convert_to(repeat('k', 40), 'UTF8'), \
                 sha256(convert_to('{b}:{rb}:424242', 'UTF8')), now() + interval '1 day'); \
         insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, created_by) values \
         ('{a}', gen_random_uuid(), '{r2}', 'sms', 'verification', 'Your verification code is 424242.', '{r2}'); \
         update app.outbound_messages set created_at = now() - interval '10 minutes' where purpose = 'verification'; \
         update app.phone_verifications set created_at = now() - interval '10 minutes'; \
         insert into app.erasures (tenant_id, id, requested_by, subject_kind, status, pending_leads, leads_total, \
           counts, finished_at) values \
         ('{a}', gen_random_uuid(), '{aa}', 'phone', 'done', '{{}}', 0, '{{\"app.suppressions\": {{\"added\": 2}}}}', now()), \
         ('{b}', gen_random_uuid(), '{ab}', 'email', 'running', '{{}}', 0, '{{\"app.suppressions\": {{\"added\": 1}}}}', null); \
         insert into app.voice_consents (tenant_id, id, owner_id, text_version, granted_at, withdrawn_at) values \
         ('{a}', gen_random_uuid(), '{r1}', 'voice-v0', now() - interval '2 days', now() - interval '1 day'); \
         insert into app.terminations (id, tenant_id, requested_by, requested_at, purge_after, canceled_by, canceled_at) \
         values (gen_random_uuid(), '{a}', '{aa}', now() - interval '3 days', now() + interval '27 days', '{aa}', \
                 now() - interval '2 days');",
        a = p.tenant_a,
        b = p.tenant_b,
        l1 = owned.a1.lead,
        l2 = owned.a2.lead,
        lb = owned.b1.lead,
        r1 = p.rep_a1,
        r2 = p.rep_a2,
        rb = p.rep_b1,
        ab = p.admin_b,
        aa = p.admin_a,
    ))
    .await
    .unwrap();
}

/// Message templates: tenant A's (SMS, marketing, by manager_a) and tenant B's. Returns their ids.
pub(super) async fn seed_templates(su: &Client, p: &People) -> (Uuid, Uuid) {
    let (template_a, template_b) = (Uuid::now_v7(), Uuid::now_v7());
    su.execute(
        "insert into app.message_templates (tenant_id, id, name, channel, purpose, body, created_by) \
         values ($1, $2, 'Quote ready', 'sms', 'marketing', 'Hi {{lead.first_name}}, your quote is ready.', $3), \
                ($4, $5, 'Quote ready', 'sms', 'marketing', 'Hello {{lead.name}}', $6)",
        &[
            p.tenant_a.as_uuid(),
            &template_a,
            p.manager_a.as_uuid(),
            p.tenant_b.as_uuid(),
            &template_b,
            p.admin_b.as_uuid(),
        ],
    )
    .await
    .unwrap();
    (template_a, template_b)
}
