//! Consent, the outbox and inbound texts, end to end: the ledger records opt-ins with evidence and
//! cannot be changed; the database refuses a message without consent, whoever asks; a STOP sent
//! through (fake) Twilio halts delivery, HELP is still answered, START restores it; forged or
//! replayed webhooks do nothing.
use palisade_db::{DbError, Purpose};
use palisade_testkit::{spawn_app, TestApp, TwilioSender, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client::{Client, ErrorBody};

const NUMBER: &str = "+14155550123";

/// The rep who owns the leads these tests create.
fn as_rep(app: &TestApp) -> Client<'_> {
    Client::new(app, Some(Who::RepA1))
}

/// The id of a new lead of rep A1's.
async fn new_lead(app: &TestApp, body: Value) -> Uuid {
    let lead: Value = as_rep(app).post("/api/v1/leads", body, StatusCode::CREATED).await;
    lead["id"].as_str().unwrap().parse().unwrap()
}

async fn lead_with_phone(app: &TestApp, phone: &str) -> Uuid {
    new_lead(
        app,
        json!({"name": "Pat", "phone": phone, "email": "pat@example.test"}),
    )
    .await
}

/// Records a consent event for `lead` as `who`: the answer's body (the event, or the error).
async fn consent(app: &TestApp, who: Who, lead: Uuid, body: Value, expect: StatusCode) -> Value {
    let path = format!("/api/v1/leads/{lead}/consents");
    Client::new(app, Some(who)).post(&path, body, expect).await
}

async fn grant(app: &TestApp, lead: Uuid, channel: &str, purpose: &str) {
    let body = json!({"channel": channel, "purpose": purpose, "source": "form", "form_version": "web-3",
                      "consent_text": "Yes, text me about my quote."});
    consent(app, Who::RepA1, lead, body, StatusCode::CREATED).await;
}

/// Queues a message to `lead` as rep A1: the answer's body (the message, or the error).
async fn message(app: &TestApp, lead: Uuid, channel: &str, purpose: &str, expect: StatusCode) -> Value {
    let mut body =
        json!({"lead_id": lead, "channel": channel, "purpose": purpose, "body": "Your quote is ready"});
    if channel == "email" {
        body["subject"] = json!("Your quote");
    }
    as_rep(app).post("/api/v1/messages", body, expect).await
}

/// Why the outbox refused a message to `lead` (the 409's `details.reason`).
async fn refusal(app: &TestApp, lead: Uuid, channel: &str, purpose: &str) -> Value {
    let body = message(app, lead, channel, purpose, StatusCode::CONFLICT).await;
    body["error"]["details"]["reason"].clone()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(sql, &[]).await.unwrap().get(0)
}

async fn count(app: &TestApp, sql: &str, lead: Uuid) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(sql, &[&lead]).await.unwrap().get(0)
}

#[tokio::test]
async fn consent_is_recorded_with_evidence_and_the_ledger_cannot_be_changed() {
    let app = spawn_app().await;
    let lead = lead_with_phone(&app, NUMBER).await;

    let unproven = json!({"channel": "sms", "purpose": "marketing"});
    let body = consent(&app, Who::RepA1, lead, unproven, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["code"], "evidence_required");
    let text = "Yes, text me offers. Reply STOP to opt out.";
    let body = json!({"channel": "sms", "purpose": "marketing", "source": "form", "form_version": "web-3",
                      "consent_text": text});
    let event = consent(&app, Who::RepA1, lead, body, StatusCode::CREATED).await;
    use sha2::Digest;
    assert_eq!(
        event["consent_text_sha256"],
        hex::encode(sha2::Sha256::digest(text))
    );
    assert_eq!(event["source"], "form");
    assert_eq!(event["actor_id"], app.world().rep_a1.to_string());

    // Refused: a time in the future, mass-assigned fields, an unknown channel.
    for body in [
        json!({"channel": "sms", "purpose": "service", "form_version": "v", "occurred_at": "2999-01-01T00:00:00Z"}),
        json!({"channel": "sms", "purpose": "service", "form_version": "v", "actor_id": Uuid::nil()}),
        json!({"channel": "sms", "purpose": "service", "form_version": "v", "tenant_id": Uuid::nil()}),
        json!({"channel": "sms", "purpose": "service", "form_version": "v", "source": "inbound_keyword"}),
        json!({"channel": "pigeon", "purpose": "service", "form_version": "v"}),
    ] {
        consent(&app, Who::RepA1, lead, body, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Others: the manager reads but does not record for a rep's lead; rep A2 and tenant B see nothing.
    let body = json!({"channel": "sms", "purpose": "service", "form_version": "v"});
    consent(&app, Who::ManagerA, lead, body, StatusCode::FORBIDDEN).await;
    let ledger = format!("/api/v1/leads/{lead}/consents");
    for (who, expected) in [
        (Who::ManagerA, StatusCode::OK),
        (Who::RepA2, StatusCode::NOT_FOUND),
        (Who::AdminB, StatusCode::NOT_FOUND),
    ] {
        Client::new(&app, Some(who)).get::<Value>(&ledger, expected).await;
    }

    // A revocation needs no evidence, and the current state follows the latest event.
    let revoke = json!({"channel": "sms", "purpose": "marketing", "action": "revoke"});
    consent(&app, Who::RepA1, lead, revoke, StatusCode::CREATED).await;
    let ledger: Value = as_rep(&app).get(&ledger, StatusCode::OK).await;
    assert_eq!(ledger["events"].as_array().unwrap().len(), 2);
    assert_eq!(
        ledger["current"],
        json!([{"channel": "sms", "purpose": "marketing", "state": "revoked",
        "since": ledger["events"][0]["occurred_at"]}])
    );

    // Nobody changes the ledger, not even the database superuser.
    let su = app.db.superuser().await;
    for sql in [
        "update app.consent_events set action = 'grant'",
        "delete from app.consent_events",
        "truncate app.consent_events",
    ] {
        assert!(su.batch_execute(sql).await.is_err(), "{sql}");
    }
}

#[tokio::test]
async fn the_outbox_refuses_a_message_without_consent_whoever_asks() {
    let app = spawn_app().await;
    let lead = lead_with_phone(&app, NUMBER).await;
    let body = message(&app, lead, "sms", "marketing", StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "consent_required");
    assert_eq!(body["error"]["details"]["reason"], "no_consent");
    grant(&app, lead, "sms", "marketing").await;
    let queued = message(&app, lead, "sms", "marketing", StatusCode::CREATED).await;
    assert_eq!(queued["status"], "queued");
    // Consent is per purpose and per channel.
    message(&app, lead, "sms", "service", StatusCode::CONFLICT).await;
    message(&app, lead, "whatsapp", "marketing", StatusCode::CONFLICT).await;
    grant(&app, lead, "email", "service").await;
    message(&app, lead, "email", "service", StatusCode::CREATED).await;

    // No address: a lead without a number.
    let bare = new_lead(&app, json!({"name": "No phone"})).await;
    grant(&app, bare, "sms", "marketing").await;
    assert_eq!(refusal(&app, bare, "sms", "marketing").await, "no_address");

    // Bad input: a subject on a text, none on an email, a card number masked before storing.
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    for (body, code, status) in [
        (
            json!({"lead_id": lead, "channel": "sms", "purpose": "marketing", "body": "x", "subject": "s"}),
            "invalid_field",
            invalid,
        ),
        (
            json!({"lead_id": lead, "channel": "email", "purpose": "service", "body": "x"}),
            "invalid_field",
            invalid,
        ),
        (
            json!({"lead_id": lead, "channel": "sms", "purpose": "marketing", "body": "x", "created_by": Uuid::nil()}),
            "invalid_body",
            invalid,
        ),
        (
            json!({"lead_id": Uuid::nil(), "channel": "sms", "purpose": "marketing", "body": "x"}),
            "unknown_lead",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let e: ErrorBody = as_rep(&app).post("/api/v1/messages", &body, status).await;
        assert_eq!(e.code(), code, "{body}");
    }
    let body = json!({"lead_id": lead, "channel": "sms", "purpose": "marketing",
                      "body": "Card 4111 1111 1111 1111 on file"});
    let queued: Value = as_rep(&app)
        .post("/api/v1/messages", body, StatusCode::CREATED)
        .await;
    assert_eq!(queued["body"], "Card **** **** **** 1111 on file");
    // The audit trail records that messages were queued, never what they said.
    let sealed = scalar(
        &app,
        "select count(*) from audit.events where table_name = 'outbound_messages' and after ->> 'body' = '[sealed]'",
    )
    .await;
    let shown = scalar(
        &app,
        "select count(*) from audit.events where table_name = 'outbound_messages' \
         and after ->> 'body' is distinct from '[sealed]'",
    )
    .await;
    assert!(sealed >= 3, "{sealed}");
    assert_eq!(shown, 0);
}

/// Queues a marketing text to `lead` straight in SQL, in a user or service context.
async fn insert_directly(app: &TestApp, lead: Uuid, service: bool) -> Result<u64, DbError> {
    let w = app.world();
    let mut tx = if service {
        app.db.db.service(w.tenant_a, Purpose::Delivery).await.unwrap()
    } else {
        app.db.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap()
    };
    tx.execute(
        "insert into app.outbound_messages (tenant_id, id, lead_id, channel, purpose, body, created_by) \
         values ($1, gen_random_uuid(), $2, 'sms', 'marketing', 'Sneaky', $3)",
        &[w.tenant_a.as_uuid(), &lead, w.rep_a1.as_uuid()],
    )
    .await
}

#[tokio::test]
async fn stop_through_twilio_halts_delivery_help_is_answered_and_start_restores_it() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let tenant = *app.world().tenant_a.as_uuid();
    let lead = lead_with_phone(&app, NUMBER).await;
    grant(&app, lead, "sms", "marketing").await;
    grant(&app, lead, "sms", "service").await;
    let queued = message(&app, lead, "sms", "marketing", StatusCode::CREATED).await;

    let r = twilio
        .inbound_sms(&app, tenant, "SM0001", NUMBER, " Stop! ")
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/xml"));

    // The API refuses, and so does the database, for a user and for the service context.
    assert_eq!(refusal(&app, lead, "sms", "marketing").await, "suppressed");
    for service in [false, true] {
        match insert_directly(&app, lead, service).await {
            Err(DbError::Rule { code, .. }) => assert_eq!(code, "PA451"),
            other => panic!("expected the consent guard to refuse, got {other:?}"),
        }
    }
    // What was queued before the STOP will not go either.
    let id = queued["id"].as_str().unwrap();
    let before_stop: Value = as_rep(&app)
        .get(&format!("/api/v1/messages/{id}"), StatusCode::OK)
        .await;
    assert_eq!(before_stop["status"], "blocked");
    assert_eq!(before_stop["last_error"], "consent_withdrawn: suppressed");
    // WhatsApp to the same number is stopped too (an opt-out on one channel is honoured on both).
    assert_eq!(refusal(&app, lead, "whatsapp", "marketing").await, "suppressed");
    // The ledger has the revocations with the message as evidence; one confirmation is queued; the
    // text is on the lead's record.
    let revoked = count(
        &app,
        "select count(*) from app.consent_events where lead_id = $1 and action = 'revoke' \
         and source = 'inbound_keyword' and provider_message_id = 'SM0001'",
        lead,
    )
    .await;
    assert_eq!(revoked, 4, "marketing and service, on SMS and WhatsApp");
    let confirmations =
        "select count(*) from app.outbound_messages where lead_id = $1 and purpose = 'opt_out_confirmation'";
    assert_eq!(count(&app, confirmations, lead).await, 1);
    let inbound = "select count(*) from app.interactions where lead_id = $1 and direction = 'inbound' and channel = 'sms'";
    assert_eq!(count(&app, inbound, lead).await, 1);

    // A replay of the same request is acknowledged and does nothing.
    let events = "select count(*) from app.consent_events where lead_id = $1";
    let before = count(&app, events, lead).await;
    let r = twilio
        .inbound_sms(&app, tenant, "SM0001", NUMBER, " Stop! ")
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(count(&app, events, lead).await, before);
    assert_eq!(count(&app, inbound, lead).await, 1);
    assert_eq!(count(&app, confirmations, lead).await, 1);

    // HELP is answered even now.
    let r = twilio.inbound_sms(&app, tenant, "SM0002", NUMBER, "help").await;
    assert_eq!(r.status(), 200);
    let help = "select count(*) from app.outbound_messages where lead_id = $1 and purpose = 'help' \
                and body like 'Reply STOP%'";
    assert_eq!(count(&app, help, lead).await, 1);
    // A second STOP, then START: what had been granted before the STOPs comes back, and nothing
    // else (WhatsApp was never agreed to, so START does not grant it).
    let r = twilio
        .inbound_sms(&app, tenant, "SM0003", NUMBER, "stop all")
        .await;
    assert_eq!(r.status(), 200);
    let r = twilio.inbound_sms(&app, tenant, "SM0004", NUMBER, "START").await;
    assert_eq!(r.status(), 200);
    message(&app, lead, "sms", "marketing", StatusCode::CREATED).await;
    message(&app, lead, "sms", "service", StatusCode::CREATED).await;
    assert_eq!(refusal(&app, lead, "whatsapp", "marketing").await, "no_consent");
    assert!(insert_directly(&app, lead, true).await.is_ok());
}

#[tokio::test]
async fn a_flood_of_forged_webhooks_is_counted_not_written_row_by_row() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let w = app.world();
    let path = format!("/webhooks/twilio/{}/messages", w.tenant_a);
    let params = [
        ("MessageSid", "SM0200"),
        ("From", NUMBER),
        ("To", twilio.number.as_str()),
        ("Body", "hi"),
    ];
    let su = app.db.superuser().await;
    let rows = async || -> i64 {
        su.query_one(
            "select count(*) from audit.access_events where action = 'webhook_rejected' and tenant_id = $1",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0)
    };
    let decrypts = "select count(*) from audit.access_events where action = 'secret_decrypt'";
    let decrypted_before = scalar(&app, decrypts).await;
    for _ in 0..1000 {
        let r = twilio
            .post_signed_with(&app, &path, &params, "0123456789abcdef0123456789abcdef")
            .await;
        assert_eq!(r.status(), 403);
    }
    assert_eq!(rows().await, 0, "nothing is written row by row");
    assert_eq!(
        scalar(&app, decrypts).await - decrypted_before,
        1,
        "the account is opened (and its read logged) once for the whole flood, though no request passed"
    );
    let windows: i64 = su
        .query_one("select count(*) from audit.event_windows", &[])
        .await
        .unwrap()
        .get(0);
    assert!(
        windows <= 2,
        "one counter per window (two if the flood crossed a boundary): {windows}"
    );
    crate::close_event_windows(&app).await;
    assert!(rows().await <= 2);
    let counted: i64 = su
        .query_one(
            "select sum((detail ->> 'count')::bigint)::bigint from audit.access_events \
             where action = 'webhook_rejected' and tenant_id = $1 and detail ->> 'reason' = 'mismatch'",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(counted, 1000, "the events carry every rejection");
    // The metrics count each one.
    // The exposition format is text, not JSON.
    let metrics = Client::anonymous(&app)
        .text(Method::GET, "/metrics", None, StatusCode::OK)
        .await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("palisade_webhook_verification_failures_total")
                && l.contains("provider=\"twilio\"")
                && l.contains("reason=\"mismatch\"")
                && l.ends_with(" 1000")),
        "{metrics}"
    );
}

#[tokio::test]
async fn forged_tampered_and_unconfigured_webhooks_are_refused_and_recorded() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let w = app.world();
    let path = format!("/webhooks/twilio/{}/messages", w.tenant_a);
    let params = [
        ("MessageSid", "SM0100"),
        ("From", NUMBER),
        ("To", twilio.number.as_str()),
        ("Body", "STOP"),
    ];

    // Signed with another token.
    let r = twilio
        .post_signed_with(&app, &path, &params, "0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": {"code": "forbidden", "message": "forbidden"}})
    );
    // Signed for other parameters than those sent.
    let url = app.url(&path);
    let signed_for: Vec<(String, String)> = params.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let signature = palisade_webhooks::twilio::sign_form(twilio.auth_token.as_bytes(), &url, &signed_for);
    let mut sent = signed_for.clone();
    sent[3].1 = "START".into();
    let r = app
        .client
        .post(&url)
        .header("x-twilio-signature", &signature)
        .form(&sent)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Signed for another tenant's route: refused when that tenant has no Twilio, and refused as a
    // mismatch when it uses the same account (the URL is signed).
    let other = app.url(&format!("/webhooks/twilio/{}/messages", w.tenant_b));
    let replay_elsewhere = async || {
        app.client
            .post(&other)
            .header("x-twilio-signature", &signature)
            .form(&signed_for)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(replay_elsewhere().await.status(), 403, "tenant B has no Twilio");
    twilio.connect(&app, Who::AdminB).await;
    assert_eq!(
        replay_elsewhere().await.status(),
        403,
        "tenant B shares the account"
    );
    // Unsigned.
    let r = app.client.post(&url).form(&signed_for).send().await.unwrap();
    assert_eq!(r.status(), 403);

    let su = app.db.superuser().await;
    let nothing: i64 = su
        .query_one(
            "select count(*) from app.webhook_events where event_id = 'SM0100'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(nothing, 0, "no rejected request was processed");
    // Rejections are counted per reason and window; each window becomes one access event.
    crate::close_event_windows(&app).await;
    let reasons: Vec<(String, String)> = su
        .query(
            "select detail ->> 'reason', detail ->> 'count' from audit.access_events \
             where action = 'webhook_rejected' and tenant_id = $1 order by id",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let reasons: Vec<(&str, &str)> = reasons.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(reasons, [("mismatch", "2"), ("missing", "1")]);
    let tenant_b: Vec<String> = su
        .query(
            "select detail ->> 'reason' from audit.access_events where action = 'webhook_rejected' and tenant_id = $1",
            &[w.tenant_b.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(tenant_b, ["mismatch"]);
    let payload_logged: i64 = su
        .query_one("select count(*) from audit.access_events where detail::text like '%STOP%' or detail::text like '%4155550123%'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(payload_logged, 0);
}

#[tokio::test]
async fn unknown_senders_become_leads_of_the_inbound_owner_or_are_ignored() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let w = app.world();
    let tenant = *w.tenant_a.as_uuid();
    let r = twilio
        .inbound_sms(
            &app,
            tenant,
            "SM0200",
            "+14155550177",
            "Hi, is this the insurance office?",
        )
        .await;
    assert_eq!(r.status(), 200);
    let su = app.db.superuser().await;
    let row = su
        .query_one(
            "select owner_id, name, phone_index is not null from app.leads where source = 'inbound message'",
            &[],
        )
        .await
        .unwrap();
    let (owner, name, indexed): (Uuid, String, bool) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(
        owner,
        *w.admin_a.as_uuid(),
        "the tenant's admin takes new contacts"
    );
    assert_eq!(name, "New contact (SMS)");
    assert!(indexed);
    // The same number again is that lead.
    twilio
        .inbound_sms(&app, tenant, "SM0201", "+14155550177", "Hello?")
        .await;
    assert_eq!(
        scalar(
            &app,
            "select count(*) from app.leads where source = 'inbound message'"
        )
        .await,
        1
    );
    // A text on a lead is logged for the lead's owner while a member, then for the inbound owner.
    let lead: Uuid = su
        .query_one("select id from app.leads where source = 'inbound message'", &[])
        .await
        .unwrap()
        .get(0);
    let rep = *w.rep_a1.as_uuid();
    su.execute("update app.leads set owner_id = $1 where id = $2", &[&rep, &lead])
        .await
        .unwrap();
    twilio
        .inbound_sms(&app, tenant, "SM0204", "+14155550177", "Still there?")
        .await;
    su.execute(
        "update app.memberships set status = 'suspended' where user_id = $1",
        &[&rep],
    )
    .await
    .unwrap();
    twilio
        .inbound_sms(&app, tenant, "SM0205", "+14155550177", "Anyone?")
        .await;
    let actors: Vec<Uuid> = su
        .query(
            "select actor_id from app.interactions where lead_id = $1 and body in ('Still there?', 'Anyone?') \
             order by body desc",
            &[&lead],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(actors, [rep, *w.admin_a.as_uuid()]);

    su.execute(
        "update app.tenants set unknown_senders = 'ignore' where id = $1",
        &[&tenant],
    )
    .await
    .unwrap();
    twilio
        .inbound_sms(&app, tenant, "SM0202", "+14155550178", "Hi")
        .await;
    // A STOP from an ignored sender still suppresses the number.
    twilio
        .inbound_sms(&app, tenant, "SM0203", "+14155550179", "STOP")
        .await;
    let stopped = palisade_core::phone::index_of(&app.index_keys, w.tenant_a, b"+14155550179");
    let suppressed: i64 = su
        .query_one(
            "select count(*) from app.suppressions where tenant_id = $1 and address_index = $2",
            &[&tenant, &stopped],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(suppressed, 2, "on SMS and WhatsApp");
    let status: String = su
        .query_one(
            "select status from app.webhook_events where event_id = 'SM0202'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "ignored");
    assert_eq!(
        scalar(
            &app,
            "select count(*) from app.leads where source = 'inbound message'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn status_callbacks_move_a_message_forward_only_and_replays_do_nothing() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let tenant = *app.world().tenant_a.as_uuid();
    let lead = lead_with_phone(&app, NUMBER).await;
    grant(&app, lead, "sms", "service").await;
    let queued = message(&app, lead, "sms", "service", StatusCode::CREATED).await;
    let id: Uuid = queued["id"].as_str().unwrap().parse().unwrap();
    let su = app.db.superuser().await;
    su.execute(
        "update app.outbound_messages set status = 'sent', provider_message_id = 'SM0300' where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let path = format!("/webhooks/twilio/{tenant}/status");
    let status_of = async |app: &TestApp| -> String {
        let message: Value = as_rep(app)
            .get(&format!("/api/v1/messages/{id}"), StatusCode::OK)
            .await;
        message["status"].as_str().unwrap().to_owned()
    };
    let r = twilio
        .post(
            &app,
            &path,
            &[("MessageSid", "SM0300"), ("MessageStatus", "delivered")],
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(status_of(&app).await, "delivered");
    // The same callback again is acknowledged and recorded once.
    let r = twilio
        .post(
            &app,
            &path,
            &[("MessageSid", "SM0300"), ("MessageStatus", "delivered")],
        )
        .await;
    assert_eq!(r.status(), 204);
    let recorded: i64 = su
        .query_one(
            "select count(*) from app.webhook_events where event_id = 'SM0300:delivered'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, 1);
    // A late "sent" does not undo "delivered".
    twilio
        .post(
            &app,
            &path,
            &[("MessageSid", "SM0300"), ("MessageStatus", "sent")],
        )
        .await;
    assert_eq!(status_of(&app).await, "delivered");
    // A forged "failed" is refused.
    let r = twilio
        .post_signed_with(
            &app,
            &path,
            &[("MessageSid", "SM0300"), ("MessageStatus", "failed")],
            "ffffffffffffffffffffffffffffffff",
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(status_of(&app).await, "delivered");
}

#[tokio::test]
async fn an_opened_account_serves_a_minute_of_webhooks_and_a_change_applies_at_once() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let tenant = *app.world().tenant_a.as_uuid();
    let decrypts = "select count(*) from audit.access_events where action = 'secret_decrypt'";
    let before = scalar(&app, decrypts).await;
    for i in 0..3 {
        let r = twilio
            .inbound_sms(&app, tenant, &format!("SMcache{i}"), NUMBER, "Hello")
            .await;
        assert_eq!(r.status(), 200);
    }
    for i in 0..3 {
        let r = twilio
            .post_signed_with(
                &app,
                &format!("/webhooks/twilio/{tenant}/messages"),
                &[
                    ("MessageSid", &format!("SMforged{i}")),
                    ("From", NUMBER),
                    ("To", &twilio.number),
                ],
                "not-the-token",
            )
            .await;
        assert_eq!(r.status(), 403);
    }
    // Opened once for six requests (forged ones included).
    assert_eq!(scalar(&app, decrypts).await - before, 1);

    // The admin rotates the auth token: the old one is refused at once, the new one accepted.
    let rotated = TwilioSender {
        auth_token: "f".repeat(32),
        account_sid: twilio.account_sid.clone(),
        number: twilio.number.clone(),
    };
    rotated.connect(&app, Who::AdminA).await;
    let r = twilio
        .inbound_sms(&app, tenant, "SMcache-old", NUMBER, "Hello")
        .await;
    assert_eq!(r.status(), 403);
    let r = rotated
        .inbound_sms(&app, tenant, "SMcache-new", NUMBER, "Hello")
        .await;
    assert_eq!(r.status(), 200);
    // Disconnected: refused at once.
    let admin = Client::new(&app, Some(Who::AdminA));
    admin
        .delete::<()>("/api/v1/integrations/twilio", StatusCode::NO_CONTENT)
        .await;
    let r = rotated
        .inbound_sms(&app, tenant, "SMcache-gone", NUMBER, "Hello")
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn consent_belongs_to_the_address_a_new_number_or_email_starts_without_it() {
    let app = spawn_app().await;
    let lead = new_lead(
        &app,
        json!({"name": "Pat", "phone": NUMBER, "email": "pat@example.com"}),
    )
    .await;
    for channel in ["sms", "email"] {
        grant(&app, lead, channel, "marketing").await;
    }
    let patch = async |body: Value| {
        as_rep(&app)
            .patch::<Value>(&format!("/api/v1/leads/{lead}"), body, StatusCode::OK)
            .await;
    };
    let changes = async || -> Vec<(String, String)> {
        let su = app.db.superuser().await;
        su.query(
            "select channel, actor_id::text from app.consent_events where lead_id = $1 \
             and source = 'address_change' and action = 'revoke' order by channel",
            &[&lead],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    // The same number and address typed again (in another format): consent stays.
    patch(json!({"phone": "(415) 555-0123", "email": "PAT@example.com"})).await;
    assert!(changes().await.is_empty());
    message(&app, lead, "sms", "marketing", StatusCode::CREATED).await;

    // Another number: SMS consent is gone (recorded as a revocation by the rep), email stays.
    patch(json!({"phone": "+14155550199"})).await;
    let rep = app.world().rep_a1.to_string();
    assert_eq!(changes().await, vec![("sms".to_owned(), rep.clone())]);
    assert_eq!(refusal(&app, lead, "sms", "marketing").await, "no_consent");
    message(&app, lead, "email", "marketing", StatusCode::CREATED).await;

    // Another email address: email consent is gone too.
    patch(json!({"email": "pat.new@example.com"})).await;
    assert_eq!(
        changes().await,
        vec![("email".to_owned(), rep.clone()), ("sms".to_owned(), rep)]
    );
    message(&app, lead, "email", "marketing", StatusCode::CONFLICT).await;
    // A new opt-in for the new address works as ever.
    grant(&app, lead, "sms", "marketing").await;
    message(&app, lead, "sms", "marketing", StatusCode::CREATED).await;
}
