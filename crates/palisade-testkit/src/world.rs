//! The standard fixture, seeded once into the template through the same code paths the product uses.
//!
//! Tenant A: admin_a, manager_a, rep_a1, rep_a2, and removed_a (a former rep). Tenant B: admin_b and
//! rep_b1. Each rep owns one lead, one deal, one interaction, one draft, one coaching observation and
//! one voice sample; manager_a logged one more interaction on rep_a1's lead. admin_b is also a
//! platform admin.
use palisade_core::audit::{access, incidents, platform_errors};
use palisade_core::crm::{deals, interactions, leads};
use palisade_core::membership;
use palisade_core::private::{coaching, drafts, voice};
use palisade_core::sign_in::sessions::{self, ClientKind};
use palisade_core::tenancy::{self, NewTenant};
use palisade_db::connect::{connect_once, Target};
use palisade_db::{ContextRole, Db, Principal, Purpose, TenantId, TenantRole, Tx, UserId};
use uuid::Uuid;

/// An identity of the policy and HTTP matrices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    RepA1,
    RepA2,
    ManagerA,
    AdminA,
    AdminB,
    /// Removed from tenant A, still holding a token scoped to it.
    RemovedA,
    ServiceA,
    ReportingA,
    Auth,
    /// The service context acting for no tenant (`Db::system`): platform jobs.
    System,
}

impl Who {
    pub const ALL: [Who; 10] = [
        Who::RepA1,
        Who::RepA2,
        Who::ManagerA,
        Who::AdminA,
        Who::AdminB,
        Who::RemovedA,
        Who::ServiceA,
        Who::ReportingA,
        Who::Auth,
        Who::System,
    ];
}

#[derive(Clone, Debug)]
pub struct World {
    pub tenant_a: TenantId,
    pub tenant_b: TenantId,
    pub admin_a: UserId,
    pub manager_a: UserId,
    pub rep_a1: UserId,
    pub rep_a2: UserId,
    pub removed_a: UserId,
    pub admin_b: UserId,
    pub rep_b1: UserId,
    pub lead_a1: Uuid,
    pub lead_a2: Uuid,
    pub lead_b1: Uuid,
    pub deal_a1: Uuid,
    pub deal_a2: Uuid,
    pub deal_b1: Uuid,
    pub interaction_a1: Uuid,
    /// Logged by manager_a on rep_a1's lead.
    pub interaction_a1m: Uuid,
    pub interaction_a2: Uuid,
    pub interaction_b1: Uuid,
    pub draft_a1: Uuid,
    pub draft_a2: Uuid,
    pub draft_b1: Uuid,
    /// Written by the assistant (service context) for rep_a1.
    pub coaching_a1: Uuid,
    pub coaching_a2: Uuid,
    pub coaching_b1: Uuid,
    pub voice_a1: Uuid,
    pub voice_a2: Uuid,
    pub voice_b1: Uuid,
    /// Declared by admin_b (a platform admin), affecting tenant A.
    pub incident: Uuid,
    /// rep_a1's browser session; its cookie secret hashes to `sha256('fixture-session-a1')`.
    pub session_a1: Uuid,
    /// rep_a2's API session: refresh token `fixture-refresh-a2` was used (rotated) once, and
    /// `fixture-refresh-a2-next` is live.
    pub session_a2: Uuid,
    /// Message templates: tenant A's (SMS, marketing, by manager_a) and tenant B's.
    pub template_a: Uuid,
    pub template_b: Uuid,
}

/// SHA-256 of a fixture secret, as the sign-in functions expect it.
pub fn fixture_hash(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

async fn user_tx(db: &Db, user: UserId, tenant: Option<TenantId>) -> Tx {
    db.user(&Principal {
        user_id: user,
        tenant_id: tenant,
    })
    .await
    .unwrap()
}

impl World {
    /// The database context of `who`: (role, user id, tenant id), as the context statement takes them.
    pub fn context(&self, who: Who) -> (ContextRole, Option<UserId>, Option<TenantId>) {
        let a = Some(self.tenant_a);
        match who {
            Who::RepA1 => (ContextRole::User, Some(self.rep_a1), a),
            Who::RepA2 => (ContextRole::User, Some(self.rep_a2), a),
            Who::ManagerA => (ContextRole::User, Some(self.manager_a), a),
            Who::AdminA => (ContextRole::User, Some(self.admin_a), a),
            Who::AdminB => (ContextRole::User, Some(self.admin_b), Some(self.tenant_b)),
            Who::RemovedA => (ContextRole::User, Some(self.removed_a), a),
            Who::ServiceA => (ContextRole::Service, None, a),
            Who::ReportingA => (ContextRole::Reporting, None, a),
            Who::Auth => (ContextRole::Auth, None, None),
            Who::System => (ContextRole::Service, None, None),
        }
    }

    /// The person behind a user identity and the tenant their token is scoped to.
    pub fn principal(&self, who: Who) -> Option<Principal> {
        match self.context(who) {
            (ContextRole::User, Some(user_id), tenant_id) => Some(Principal { user_id, tenant_id }),
            _ => None,
        }
    }

    pub(crate) async fn seed(db: &Db, admin: &Target) -> World {
        let mut auth = db.auth().await.unwrap();
        let admin_a = tenancy::ensure_user(&mut auth, "admin-a@a.test", Some("Admin A"))
            .await
            .unwrap();
        let admin_b = tenancy::ensure_user(&mut auth, "admin-b@b.test", Some("Admin B"))
            .await
            .unwrap();
        auth.commit().await.unwrap();

        let tenant = async |user: UserId, slug: &str| {
            let mut tx = user_tx(db, user, None).await;
            let t = tenancy::create(
                &mut tx,
                user,
                &NewTenant {
                    slug: slug.into(),
                    name: slug.into(),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            TenantId::from_uuid(t.id)
        };
        let tenant_a = tenant(admin_a, "tenant-a").await;
        let tenant_b = tenant(admin_b, "tenant-b").await;

        let add = async |admin: UserId, tenant: TenantId, email: &str, role: TenantRole| {
            let by = Principal {
                user_id: admin,
                tenant_id: Some(tenant),
            };
            membership::provision(db, &by, email, Some(email), role)
                .await
                .unwrap()
        };
        let manager_a = add(admin_a, tenant_a, "manager-a@a.test", TenantRole::Manager).await;
        let rep_a1 = add(admin_a, tenant_a, "rep-a1@a.test", TenantRole::Rep).await;
        let rep_a2 = add(admin_a, tenant_a, "rep-a2@a.test", TenantRole::Rep).await;
        let removed_a = add(admin_a, tenant_a, "removed-a@a.test", TenantRole::Rep).await;
        let rep_b1 = add(admin_b, tenant_b, "rep-b1@b.test", TenantRole::Rep).await;
        {
            let mut tx = user_tx(db, admin_a, Some(tenant_a)).await;
            tenancy::remove_member(&mut tx, tenant_a, removed_a)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }

        // Fixture leads have no phone number, so these keys seal nothing; servers have their own.
        let fixture_keys = palisade_crypto::Keyring::parse(&palisade_crypto::Keyring::generate_text(
            &palisade_crypto::KeyId::parse("fixture").unwrap(),
        ))
        .unwrap();
        // Everything a rep owns, created as that rep.
        let owned = async |rep: UserId, tenant: TenantId| {
            let mut tx = user_tx(db, rep, Some(tenant)).await;
            let lead = leads::create(
                &mut tx,
                tenant,
                rep,
                &leads::NewLead {
                    name: "Lead".into(),
                    email: Some("lead@x.test".into()),
                    phone: None,
                    status: None,
                    source: None,
                    owner_id: None,
                },
                palisade_core::phone::PhoneKeys {
                    seal: &fixture_keys,
                    index: &fixture_keys,
                },
            )
            .await
            .unwrap();
            let deal = deals::create(
                &mut tx,
                tenant,
                rep,
                &deals::NewDeal {
                    lead_id: lead.id,
                    title: "Deal".into(),
                    stage: Some(deals::Stage::Proposal),
                    amount_cents: Some(10_000),
                    currency: None,
                    product: Some("Term life".into()),
                    owner_id: None,
                },
            )
            .await
            .unwrap();
            let interaction = interactions::create(
                &mut tx,
                tenant,
                rep,
                &interactions::NewInteraction {
                    lead_id: lead.id,
                    // An inbound text (a lead may be sent a reply to HELP within an hour of one).
                    channel: interactions::Channel::Sms,
                    direction: interactions::Direction::Inbound,
                    body: Some("Is the quote ready?".into()),
                    occurred_at: None,
                    advised: false,
                },
            )
            .await
            .unwrap();
            let draft = drafts::create(
                &mut tx,
                tenant,
                rep,
                &drafts::NewDraft {
                    lead_id: Some(lead.id),
                    channel: drafts::DraftChannel::Email,
                    subject: Some("Follow-up".into()),
                    body: "Private draft".into(),
                },
            )
            .await
            .unwrap();
            let sample = voice::create(
                &mut tx,
                tenant,
                rep,
                &voice::NewVoiceSample {
                    label: "Intro".into(),
                    storage_key: "voice/intro.wav".into(),
                    duration_ms: 5000,
                    transcript: Some("Hello".into()),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            (lead.id, deal.id, interaction.id, draft.id, sample.id)
        };
        let (lead_a1, deal_a1, interaction_a1, draft_a1, voice_a1) = owned(rep_a1, tenant_a).await;
        let (lead_a2, deal_a2, interaction_a2, draft_a2, voice_a2) = owned(rep_a2, tenant_a).await;
        let (lead_b1, deal_b1, interaction_b1, draft_b1, voice_b1) = owned(rep_b1, tenant_b).await;

        let interaction_a1m = {
            let mut tx = user_tx(db, manager_a, Some(tenant_a)).await;
            let i = interactions::create(
                &mut tx,
                tenant_a,
                manager_a,
                &interactions::NewInteraction {
                    lead_id: lead_a1,
                    channel: interactions::Channel::Note,
                    direction: interactions::Direction::Internal,
                    body: Some("Manager note".into()),
                    occurred_at: None,
                    advised: false,
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            i.id
        };

        let observation = |text: &str| coaching::NewObservation {
            lead_id: None,
            category: "talk-ratio".into(),
            observation: text.into(),
        };
        // rep_a1's coaching comes from the assistant (service context: insert only).
        let coaching_a1 = {
            let mut tx = db.service(tenant_a, Purpose::Assistant).await.unwrap();
            let id = coaching::record_for_member(&mut tx, tenant_a, rep_a1, &observation("AI: slow down"))
                .await
                .unwrap();
            tx.commit().await.unwrap();
            id
        };
        let own_note = async |rep: UserId, tenant: TenantId| {
            let mut tx = user_tx(db, rep, Some(tenant)).await;
            let o = coaching::create(&mut tx, tenant, rep, &observation("my note"))
                .await
                .unwrap();
            tx.commit().await.unwrap();
            o.id
        };
        let coaching_a2 = own_note(rep_a2, tenant_a).await;
        let coaching_b1 = own_note(rep_b1, tenant_b).await;

        // There is no product path to platform admin yet; the fixture grants it as the superuser.
        let su = connect_once(admin).await.unwrap();
        su.execute(
            "insert into app.platform_admins (user_id) values ($1)",
            &[admin_b.as_uuid()],
        )
        .await
        .unwrap();

        // One of each platform record: an error event, an incident affecting tenant A, and an
        // access-log entry in each tenant, all through the product's own functions.
        {
            let mut tx = db.system(Purpose::ErrorReport).await.unwrap();
            platform_errors::record(
                &mut tx,
                &platform_errors::ErrorReport {
                    severity: platform_errors::Severity::Error,
                    surface: platform_errors::Surface::Job,
                    tenant: None,
                    code: "fixture",
                    message: "fixture error event",
                    operation: "fixture".into(),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let incident = {
            let mut tx = user_tx(db, admin_b, None).await;
            let i = incidents::declare(
                &mut tx,
                &incidents::NewIncident {
                    title: "Fixture incident".into(),
                    description: "Affects tenant A".into(),
                    severity: incidents::IncidentSeverity::Low,
                    tenant_ids: vec![*tenant_a.as_uuid()],
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            i.id
        };
        {
            let mut tx = user_tx(db, admin_a, Some(tenant_a)).await;
            palisade_core::membership::invitations::create(
                &mut tx,
                tenant_a,
                &palisade_core::membership::invitations::NewInvitation {
                    email: "invitee@a.test".into(),
                    role: TenantRole::Rep,
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        for (admin, tenant) in [(admin_a, tenant_a), (admin_b, tenant_b)] {
            let mut tx = user_tx(db, admin, Some(tenant)).await;
            access::log(
                &mut tx,
                Some(tenant),
                &access::Access {
                    action: access::AccessAction::SettingsChange,
                    target_type: Some("tenant"),
                    target_id: Some(tenant.to_string()),
                    detail: serde_json::json!({"fixture": true}),
                    client_ip: None,
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }

        // Sessions through the sign-in functions: a browser session for rep_a1, an API session for rep_a2
        // whose first refresh token was rotated, and one pending magic link for rep_a1.
        let h = fixture_hash;
        let day = std::time::Duration::from_secs(86_400);
        let origin = palisade_core::sign_in::sessions::Origin::default();
        let sign_in = async |email: &str, link: &str, kind, secret: &str| {
            let now = chrono::Utc::now();
            let mut tx = db.auth().await.unwrap();
            let sent = sessions::request_magic_link(
                &mut tx,
                &palisade_db::Email::parse(email).unwrap(),
                &h(link),
                &h("fixture-nonce"),
                now,
                day / 48,
                false,
            )
            .await
            .unwrap();
            assert!(sent);
            let signed_in = sessions::consume_magic_link(
                &mut tx,
                &h(link),
                &h("fixture-nonce"),
                kind,
                &h(secret),
                now,
                day * 90,
                &origin,
            )
            .await
            .unwrap()
            .unwrap();
            tx.commit().await.unwrap();
            signed_in.session_id
        };
        let session_a1 = sign_in(
            "rep-a1@a.test",
            "fixture-link-a1",
            ClientKind::Browser,
            "fixture-session-a1",
        )
        .await;
        let session_a2 = sign_in(
            "rep-a2@a.test",
            "fixture-link-a2",
            ClientKind::Api,
            "fixture-refresh-a2",
        )
        .await;
        {
            let mut tx = db.auth().await.unwrap();
            let rotated = sessions::refresh(
                &mut tx,
                &h("fixture-refresh-a2"),
                &h("fixture-refresh-a2-next"),
                chrono::Utc::now(),
                day,
                None,
            )
            .await
            .unwrap();
            assert!(matches!(rotated, sessions::Refreshed::Rotated(_)));
            sessions::request_magic_link(
                &mut tx,
                &palisade_db::Email::parse("rep-a1@a.test").unwrap(),
                &h("fixture-link"),
                &h("fixture-nonce"),
                chrono::Utc::now(),
                std::time::Duration::from_secs(3600),
                false,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }

        // rep_a2 has an active second factor (sealed bytes stand in for a secret; the policy matrix
        // never opens it) and ten recovery codes `fixture-recovery-0` … `-9`.
        su.execute(
            "insert into auth.totp_factors (user_id, secret_sealed, key_id, confirmed_at, created_at) \
             values ($1, '\\x01'::bytea, 'fixture', now(), now())",
            &[rep_a2.as_uuid()],
        )
        .await
        .unwrap();
        su.execute(
            "insert into auth.recovery_codes (user_id, code_hash) \
             select $1, sha256(convert_to('fixture-recovery-' || n, 'UTF8')) from generate_series(0, 9) n",
            &[rep_a2.as_uuid()],
        )
        .await
        .unwrap();

        // rep_a2 also has a password (a well-formed hash nobody can sign in with).
        su.execute(
            "insert into auth.password_credentials (user_id, hash, updated_at) \
             values ($1, '$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZQ$Zml4dHVyZQ', now())",
            &[rep_a2.as_uuid()],
        )
        .await
        .unwrap();

        // Tenant A has Twilio connected (sealed bytes stand in for the secrets; nothing opens them
        // here), set by its admin.
        su.execute(
            "insert into app.integrations (tenant_id, provider, config, secret_sealed, key_id, last_four, set_by) \
             values ($1, 'twilio', '{\"account_sid\": \"AC00000000000000000000000000000000\"}', \
                     convert_to(repeat('x', 40), 'UTF8'), 'fixture', 'beef', $2)",
            &[tenant_a.as_uuid(), admin_a.as_uuid()],
        )
        .await
        .unwrap();
        // Tenant B has Resend connected.
        su.execute(
            "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four, set_by) \
             values ($1, 'resend', convert_to(repeat('y', 40), 'UTF8'), 'fixture', 'cafe', $2)",
            &[tenant_b.as_uuid(), admin_b.as_uuid()],
        )
        .await
        .unwrap();

        // rep_a1 (verified), rep_a2 and rep_b1 have set their own phone numbers (sealed bytes stand
        // in for them; nothing opens them here).
        su.execute(
            "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index, verified_at) \
             values ($1, $2, convert_to(repeat('p', 40), 'UTF8'), convert_to(repeat('i', 40), 'UTF8'), now()), \
                    ($1, $3, convert_to(repeat('q', 40), 'UTF8'), convert_to(repeat('j', 40), 'UTF8'), null), \
                    ($4, $5, convert_to(repeat('r', 40), 'UTF8'), convert_to(repeat('k', 40), 'UTF8'), null)",
            &[tenant_a.as_uuid(), rep_a1.as_uuid(), rep_a2.as_uuid(), tenant_b.as_uuid(), rep_b1.as_uuid()],
        )
        .await
        .unwrap();

        // A server started once with seal key `fixture` (check value: sixteen `c` bytes).
        su.execute(
            "insert into palisade_meta.key_checks (keyring, key_id, check_value) \
             values ('seal', 'fixture', convert_to(repeat('c', 16), 'UTF8'))",
            &[],
        )
        .await
        .unwrap();

        // Messaging. Stand-in bytes for sealed numbers and blind indexes (nothing opens them here):
        // lead_a1 has a number (index P…) and an email index (E…), lead_a2 a number (Q…), lead_b1
        // the same index bytes as lead_a1 (another tenant).
        for (lead, phone, email) in [
            (lead_a1, "P", Some("E")),
            (lead_a2, "Q", None),
            (lead_b1, "P", None),
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
        // Consent: lead_a1 opted in to marketing by SMS and WhatsApp (a form), then texted STOP for
        // email ten minutes ago; lead_a2 texted STOP (SMS) and was sent its one confirmation; rep_a1
        // asked for the WhatsApp brief (at 08:00 UTC); lead_b1 opted in by SMS.
        // WhatsApp to lead_a1's number is suppressed. rep_a2 has asked for a code to verify their
        // number ten minutes ago (code 424242, its text queued), and so has rep_b1 in tenant B;
        // admin_b has brief settings but no consent.
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
             update app.phone_verifications set created_at = now() - interval '10 minutes';",
            a = tenant_a,
            b = tenant_b,
            l1 = lead_a1,
            l2 = lead_a2,
            lb = lead_b1,
            r1 = rep_a1,
            r2 = rep_a2,
            rb = rep_b1,
            ab = admin_b,
        ))
        .await
        .unwrap();

        let (template_a, template_b) = (Uuid::now_v7(), Uuid::now_v7());
        su.execute(
            "insert into app.message_templates (tenant_id, id, name, channel, purpose, body, created_by) \
             values ($1, $2, 'Quote ready', 'sms', 'marketing', 'Hi {{lead.first_name}}, your quote is ready.', $3), \
                    ($4, $5, 'Quote ready', 'sms', 'marketing', 'Hello {{lead.name}}', $6)",
            &[tenant_a.as_uuid(), &template_a, manager_a.as_uuid(), tenant_b.as_uuid(), &template_b, admin_b.as_uuid()],
        )
        .await
        .unwrap();

        // rep_a1 and rep_a2 have signed in with an OIDC provider once.
        su.execute(
            "insert into auth.identities (issuer, subject, user_id, email, created_at, last_used_at) \
             values ('https://idp.fixture', 'a1', $1, 'rep-a1@a.test', now(), now()), \
                    ('https://idp.fixture', 'a2', $2, 'rep-a2@a.test', now(), now())",
            &[rep_a1.as_uuid(), rep_a2.as_uuid()],
        )
        .await
        .unwrap();

        World {
            tenant_a,
            tenant_b,
            admin_a,
            manager_a,
            rep_a1,
            rep_a2,
            removed_a,
            admin_b,
            rep_b1,
            lead_a1,
            lead_a2,
            lead_b1,
            deal_a1,
            deal_a2,
            deal_b1,
            interaction_a1,
            interaction_a1m,
            interaction_a2,
            interaction_b1,
            draft_a1,
            draft_a2,
            draft_b1,
            coaching_a1,
            coaching_a2,
            coaching_b1,
            voice_a1,
            voice_a2,
            voice_b1,
            incident,
            session_a1,
            session_a2,
            template_a,
            template_b,
        }
    }
}
