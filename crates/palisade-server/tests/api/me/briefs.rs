//! A member's phone verification (a code the database makes and only the phone sees) and the daily
//! WhatsApp brief (sent only to opted-in members with a verified number, once a day, halted by
//! their STOP), end to end through the delivery worker and the fake Twilio API.
use std::time::Duration;

use palisade_db::{DbError, Purpose};
use palisade_jobs::delivery::{DeliverySettings, ProviderUrls};
use palisade_jobs::{Job, Jobs};
use palisade_testkit::{spawn_app, FakeTwilioApi, TestApp, TwilioSender, Who};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

const REP_NUMBER: &str = "+14155550177";
const WHATSAPP_NUMBER: &str = "+15005550009";

struct Setup {
    app: TestApp,
    twilio: TwilioSender,
    api: FakeTwilioApi,
    jobs: Jobs,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    let _: Value = Client::new(&app, Some(Who::AdminA))
        .put(
            "/api/v1/integrations/twilio",
            json!({
                "config": {"account_sid": twilio.account_sid, "sms_number": twilio.number,
                           "whatsapp_number": WHATSAPP_NUMBER},
                "secrets": {"auth_token": twilio.auth_token},
            }),
            StatusCode::OK,
        )
        .await;
    let api = FakeTwilioApi::start().await;
    api.account(&twilio);
    // The fixture's own queued messages are not this test's.
    let su = app.db.superuser().await;
    su.execute("update app.outbound_messages set status = 'sent'", &[])
        .await
        .unwrap();
    let mut settings = DeliverySettings::new(app.seal_keys.clone(), app.index_keys.clone(), app.url(""));
    settings.urls = ProviderUrls {
        twilio: api.base_url.clone(),
        ..ProviderUrls::default()
    };
    settings.timeout = Duration::from_millis(1500);
    let jobs = Jobs::new(
        app.db.db.clone(),
        palisade_mail::Mailer::mailbox(app.mailbox.path().into(), "p@x.test"),
    )
    .with_delivery(settings)
    .unwrap();
    Setup {
        app,
        twilio,
        api,
        jobs,
    }
}

/// Requests as `who`.
fn as_who(s: &Setup, who: Who) -> Client<'_> {
    Client::new(&s.app, Some(who))
}

async fn set_phone(s: &Setup, who: Who, number: &str) {
    let _: Value = as_who(s, who)
        .put("/api/v1/me/phone", json!({"phone": number}), StatusCode::OK)
        .await;
}

async fn request_code<T: DeserializeOwned>(s: &Setup, who: Who, expect: StatusCode) -> T {
    as_who(s, who)
        .post("/api/v1/me/phone/verification", json!({}), expect)
        .await
}

/// Asks for a code with `body`; the whole answer, for its headers (`Retry-After`).
async fn ask_for_code(s: &Setup, who: Who, body: Value) -> reqwest::Response {
    as_who(s, who)
        .request(Method::POST, "/api/v1/me/phone/verification")
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn confirm<T: DeserializeOwned>(s: &Setup, who: Who, code: &str, expect: StatusCode) -> T {
    as_who(s, who)
        .post(
            "/api/v1/me/phone/verification/confirm",
            json!({"code": code}),
            expect,
        )
        .await
}

/// Sends what is queued and returns the code in the last text to `to`.
async fn code_sent_to(s: &Setup, to: &str) -> String {
    s.jobs.run_once(Job::Delivery).await.unwrap();
    let text = s
        .api
        .sent()
        .into_iter()
        .rev()
        .find(|t| t.to == to)
        .expect("a code was texted");
    let code: String = text.body.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(code.len(), 6, "{}", text.body);
    code
}

async fn scalar(s: &Setup, sql: &str) -> i64 {
    let su = s.app.db.superuser().await;
    su.query_one(sql, &[]).await.unwrap().get(0)
}

/// Moves the codes sent so far a minute into the past (past the 30-second wait).
async fn age_codes(s: &Setup) {
    shift_codes(s, "1 minute").await;
}

/// Moves the codes sent so far `span` into the past.
async fn shift_codes(s: &Setup, span: &str) {
    let su = s.app.db.superuser().await;
    su.execute(
        &format!(
            "update app.outbound_messages set created_at = created_at - interval '{span}' \
             where purpose = 'verification'"
        ),
        &[],
    )
    .await
    .unwrap();
}

/// The rep texts `body` from their number to the tenant's WhatsApp number.
async fn whatsapp_from_rep(s: &Setup, sid: &str, body: &str) {
    let tenant = s.app.world().tenant_a;
    let r = s
        .twilio
        .post(
            &s.app,
            &format!("/webhooks/twilio/{tenant}/messages"),
            &[
                ("AccountSid", s.twilio.account_sid.as_str()),
                ("MessageSid", sid),
                ("From", &format!("whatsapp:{REP_NUMBER}")),
                ("To", &format!("whatsapp:{WHATSAPP_NUMBER}")),
                ("Body", body),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_code_only_the_phone_sees_verifies_the_number() {
    let s = setup().await;
    // The fixture's verified number goes first.
    let () = as_who(&s, Who::RepA1)
        .delete("/api/v1/me/phone", StatusCode::NO_CONTENT)
        .await;
    let e: ErrorBody = request_code(&s, Who::RepA1, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "no_phone");
    set_phone(&s, Who::RepA1, REP_NUMBER).await;

    let body: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    assert_eq!(body, json!({"channel": "sms", "expires_in_seconds": 600}));
    let phone: Value = as_who(&s, Who::RepA1)
        .get("/api/v1/me/phone", StatusCode::OK)
        .await;
    assert!(phone["code_expires_at"].is_string(), "{phone}");
    // One code per 30 seconds.
    let r = ask_for_code(&s, Who::RepA1, json!({"channel": "sms"})).await;
    assert_eq!(r.status(), 429);
    assert!((20..=30).contains(&retry_after(&r)), "{:?}", r.headers());
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "too_soon");

    // The member cannot read the code from the outbox, nor can anyone else.
    for who in [Who::RepA1, Who::ManagerA, Who::AdminA] {
        let list: Value = as_who(&s, who).get("/api/v1/messages", StatusCode::OK).await;
        assert!(
            !list.to_string().contains("verification code"),
            "{who:?} read a code: {list}"
        );
    }
    let mut tx = s
        .app
        .db
        .db
        .user(&s.app.world().principal(Who::RepA1).unwrap())
        .await
        .unwrap();
    let seen = tx
        .query_one(
            "select count(*) from app.outbound_messages where purpose = 'verification'",
            &[],
        )
        .await
        .unwrap()
        .get::<_, i64>(0);
    assert_eq!(seen, 0);
    assert!(matches!(
        tx.query_one("select count(code_sha256) from app.phone_verifications", &[])
            .await,
        Err(DbError::PermissionDenied)
    ));
    drop(tx);

    let code = code_sent_to(&s, REP_NUMBER).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let e: ErrorBody = confirm(&s, Who::RepA1, wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.code(), "wrong_code");
    let e: ErrorBody = confirm(&s, Who::RepA1, "12ab", StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.code(), "invalid_code");
    // Another member (the fixture's rep_a2 waits for a code of their own, 424242) cannot use it.
    if code != "424242" {
        let e: ErrorBody = confirm(&s, Who::RepA2, &code, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.code(), "wrong_code");
    }
    let e: ErrorBody = confirm(&s, Who::ManagerA, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "no_code_pending");

    let body: Value = confirm(&s, Who::RepA1, &format!(" {code} "), StatusCode::OK).await;
    assert!(body["verified_at"].is_string());
    assert!(body["code_expires_at"].is_null());
    assert_eq!(body["phone"], REP_NUMBER);
    // Used once.
    let e: ErrorBody = confirm(&s, Who::RepA1, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "no_code_pending");
    let e: ErrorBody = request_code(&s, Who::RepA1, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "already_verified");
    // No code in the audit trail or the access log. The code must stand alone: six digits also
    // turn up by chance inside ids, hex and a timestamp's microseconds (after a '.').
    let alone = format!("(^|[^0-9A-Za-z.]){code}($|[^0-9A-Za-z])");
    let leaked = scalar(
        &s,
        &format!(
            "select (select count(*) from audit.events where after::text ~ '{alone}' \
               or before::text ~ '{alone}' or after::text like '%verification code%') \
             + (select count(*) from audit.access_events where detail::text ~ '{alone}')"
        ),
    )
    .await;
    assert_eq!(leaked, 0);
}

#[tokio::test]
async fn wrong_codes_count_even_though_they_are_refused_and_the_fifth_ends_the_code() {
    let s = setup().await;
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&s, REP_NUMBER).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let _: Value = confirm(&s, Who::RepA1, wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let e: ErrorBody = confirm(&s, Who::RepA1, wrong, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "too_many_attempts");
    let e: ErrorBody = confirm(&s, Who::RepA1, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "too_many_attempts", "the right code no longer works");
    let phone: Value = as_who(&s, Who::RepA1)
        .get("/api/v1/me/phone", StatusCode::OK)
        .await;
    assert!(phone["verified_at"].is_null());
}

#[tokio::test]
async fn a_code_expires_and_proves_only_the_number_it_went_to() {
    let s = setup().await;
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&s, REP_NUMBER).await;
    // A new number ends the code; so does a changed index the code did not see (checked at confirm).
    set_phone(&s, Who::RepA1, "+14155550199").await;
    let e: ErrorBody = confirm(&s, Who::RepA1, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "no_code_pending");
    let su = s.app.db.superuser().await;
    age_codes(&s).await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&s, "+14155550199").await;
    su.batch_execute(
        "begin; set local session_replication_role = replica; \
         update app.member_phones set phone_index = convert_to(repeat('w', 40), 'UTF8') \
         where verified_at is null and owner_id in (select owner_id from app.phone_verifications); commit",
    )
    .await
    .unwrap();
    let e: ErrorBody = confirm(&s, Who::RepA1, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "number_changed");

    age_codes(&s).await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&s, "+14155550199").await;
    su.execute(
        "update app.phone_verifications set expires_at = now() - interval '1 second'",
        &[],
    )
    .await
    .unwrap();
    let e: ErrorBody = confirm(&s, Who::RepA1, &code, StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "code_expired");

    // Five codes an hour at most (three were sent above).
    for _ in 0..2 {
        age_codes(&s).await;
        let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    }
    age_codes(&s).await;
    let r = ask_for_code(&s, Who::RepA1, json!({"channel": "whatsapp"})).await;
    assert_eq!(r.status(), 429);
    // Until the first of the five (five minutes old by now) is an hour old.
    assert!((3200..=3300).contains(&retry_after(&r)), "{:?}", r.headers());
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "too_many_codes"
    );

    // Ten a day: those five, out of the hour now, and five more.
    shift_codes(&s, "2 hours").await;
    for _ in 0..5 {
        age_codes(&s).await;
        let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    }
    age_codes(&s).await;
    let r = ask_for_code(&s, Who::RepA1, json!({})).await;
    assert_eq!(r.status(), 429);
    // The day's limit waits longest (until the first code, 2 h 11 min old, is a day old), and wins
    // over the hour's.
    assert!((78_000..=78_540).contains(&retry_after(&r)), "{:?}", r.headers());

    // Twenty in 30 days: those ten, out of the day now, and ten more.
    shift_codes(&s, "2 days").await;
    for _ in 0..2 {
        for _ in 0..5 {
            age_codes(&s).await;
            let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
        }
        shift_codes(&s, "2 hours").await;
    }
    let r = ask_for_code(&s, Who::RepA1, json!({})).await;
    assert_eq!(r.status(), 429);
    // Until the first code of all (2 days and 6 hours old) is 30 days old; the day is full too, but
    // frees sooner.
    let wait = retry_after(&r);
    assert!((27 * 86_400..28 * 86_400).contains(&wait), "{:?}", r.headers());
    let body = r.json::<Value>().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_codes");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("30 days"),
        "{body}"
    );
    // A month on, codes go again.
    shift_codes(&s, "30 days").await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn nobody_verifies_a_number_without_the_code() {
    let s = setup().await;
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    let w = s.app.world();
    // The member may not set verified_at, nor queue a code text, nor write a pending code.
    let mut tx = s.app.db.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap();
    assert!(matches!(
        tx.execute("update app.member_phones set verified_at = now()", &[])
            .await,
        Err(DbError::PermissionDenied)
    ));
    drop(tx);
    let mut tx = s.app.db.db.user(&w.principal(Who::RepA1).unwrap()).await.unwrap();
    let r = tx
        .execute(
            "insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body, created_by) \
             values ($1, gen_random_uuid(), $2, 'sms', 'verification', 'Your verification code is 123456', $2)",
            &[w.tenant_a.as_uuid(), w.rep_a1.as_uuid()],
        )
        .await;
    assert!(matches!(r, Err(DbError::PermissionDenied)), "{r:?}");
    drop(tx);
    // The service context may queue messages, but not a code text without a code made just now.
    let mut tx = s.app.db.db.service(w.tenant_a, Purpose::Delivery).await.unwrap();
    let r = tx
        .execute(
            "insert into app.outbound_messages (tenant_id, id, member_id, channel, purpose, body) \
             values ($1, gen_random_uuid(), $2, 'sms', 'verification', 'Your verification code is 123456')",
            &[w.tenant_a.as_uuid(), w.rep_a1.as_uuid()],
        )
        .await;
    match r {
        Err(DbError::Rule { code, message }) => {
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("PA451", "consent_required: no_verification")
            );
        }
        other => panic!("expected the guard to refuse, got {other:?}"),
    }
    drop(tx);
    let mut tx = s.app.db.db.service(w.tenant_a, Purpose::Delivery).await.unwrap();
    assert!(matches!(
        tx.execute("select * from app.request_phone_code('sms')", &[])
            .await,
        Err(DbError::PermissionDenied)
    ));
    drop(tx);
    // Email is no channel for a code.
    let rep = as_who(&s, Who::RepA1);
    let e: ErrorBody = rep
        .post(
            "/api/v1/me/phone/verification",
            json!({"channel": "email"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_channel");
    rep.text(
        Method::POST,
        "/api/v1/me/phone/verification",
        Some(json!({"channel": "sms", "verified": true})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

/// Opens a deal for `who` on a new lead.
async fn deal(s: &Setup, who: Who, title: &str, stage: &str, cents: i64) {
    let client = as_who(s, who);
    let lead: Value = client
        .post(
            "/api/v1/leads",
            json!({"name": format!("Lead of {title}")}),
            StatusCode::CREATED,
        )
        .await;
    let _: Value = client
        .post(
            "/api/v1/deals",
            json!({"lead_id": lead["id"], "title": title, "stage": stage, "amount_cents": cents}),
            StatusCode::CREATED,
        )
        .await;
}

/// A zone where it is now about noon, and the hour before: the brief's window (that hour and the
/// two after it, within one local day) holds while the test runs, even when it runs across
/// midnight UTC.
fn zone_and_hour_now() -> (String, i64) {
    let utc_hour: i64 = chrono::Utc::now().format("%H").to_string().parse().unwrap();
    let offset = 12 - utc_hour; // local = UTC + offset; -11..=12, all real Etc zones
                                // Etc/GMT names invert the sign: Etc/GMT-5 is five hours ahead of UTC.
    let zone = match offset {
        0 => "Etc/UTC".to_owned(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    };
    (zone, 11)
}

#[tokio::test]
async fn the_brief_goes_once_a_day_to_opted_in_verified_reps_and_stop_halts_it() {
    let s = setup().await;
    deal(&s, Who::RepA1, "Fleet renewal", "negotiation", 1_250_000).await;
    deal(&s, Who::RepA1, "Home policy", "prospect", 90_000).await;
    deal(&s, Who::RepA1, "Closed one", "won", 5_000).await;
    deal(&s, Who::RepA2, "Not yours", "proposal", 7_700).await;

    let rep = as_who(&s, Who::RepA1);
    let () = rep.delete("/api/v1/me/phone", StatusCode::NO_CONTENT).await;
    // Opting in needs a known time zone and hour; unknown fields are refused.
    for bad in [
        json!({"time_zone": "Mars/Olympus"}),
        json!({"hour": 24}),
        json!({"hour": 8, "channel": "sms"}),
    ] {
        // Read as text: a body the JSON extractor refuses need not be JSON.
        rep.text(
            Method::PUT,
            "/api/v1/me/brief",
            Some(bad),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (zone, hour) = zone_and_hour_now();
    let body: Value = rep
        .put(
            "/api/v1/me/brief",
            json!({"time_zone": zone, "hour": hour, "consent_text": "Send me a daily brief"}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(body["subscribed"], true);
    assert_eq!(body["channel"], "whatsapp");
    assert_eq!(body["waiting_for"], "no_phone");
    // Without a verified number nothing is queued.
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 0);
    let body: Value = rep.get("/api/v1/me/brief", StatusCode::OK).await;
    assert_eq!(body["waiting_for"], "phone_not_verified");

    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&s, REP_NUMBER).await;
    let _: Value = confirm(&s, Who::RepA1, &code, StatusCode::OK).await;
    // RepA2 verified a number too but never opted in.
    set_phone(&s, Who::RepA2, "+14155550178").await;
    let su = s.app.db.superuser().await;
    su.execute(
        "update app.member_phones set verified_at = now() where owner_id = $1",
        &[s.app.world().rep_a2.as_uuid()],
    )
    .await
    .unwrap();

    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 1);
    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 0, "once a day");
    s.jobs.run_once(Job::Delivery).await.unwrap();
    let briefs: Vec<_> = s
        .api
        .sent()
        .into_iter()
        .filter(|t| t.body.starts_with("Your brief"))
        .collect();
    assert_eq!(briefs.len(), 1);
    let brief = &briefs[0];
    assert_eq!(brief.to, format!("whatsapp:{REP_NUMBER}"));
    assert_eq!(
        brief.from.as_deref(),
        Some(format!("whatsapp:{WHATSAPP_NUMBER}").as_str())
    );
    // Rep A1's open deals, the fixture's one included, furthest along first.
    assert!(
        brief.body.contains("3 open deals (13,500.00 USD)"),
        "{}",
        brief.body
    );
    assert!(
        brief.body.contains(
            "\n1. Fleet renewal (Lead of Fleet renewal): negotiation, 12,500.00 USD\n2. Deal (Lead): proposal, \
             100.00 USD\n3. Home policy (Lead of Home policy): prospect, 900.00 USD\n"
        ),
        "{}",
        brief.body
    );
    assert!(!brief.body.contains("Closed one") && !brief.body.contains("Not yours"));
    assert!(brief.body.ends_with("Reply STOP to stop these briefs."));
    // The brief is the rep's own: the manager does not see it.
    let list: Value = as_who(&s, Who::ManagerA)
        .get("/api/v1/messages", StatusCode::OK)
        .await;
    assert!(!list.to_string().contains("Your brief"));
    let list: Value = rep.get("/api/v1/messages", StatusCode::OK).await;
    assert!(list.to_string().contains("Your brief"));
    let body: Value = rep.get("/api/v1/me/brief", StatusCode::OK).await;
    assert!(
        body["waiting_for"].is_null() && body["last_brief_at"].is_string(),
        "{body}"
    );

    // The rep texts STOP to the WhatsApp number: no more briefs, even on a new day.
    whatsapp_from_rep(&s, "SM00000000000000000000000000000077", "STOP").await;
    su.execute(
        "update app.outbound_messages set brief_on = brief_on - 1 where purpose = 'brief'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 0);
    let body: Value = rep.get("/api/v1/me/brief", StatusCode::OK).await;
    assert_eq!(
        (body["subscribed"].as_bool(), body["waiting_for"].as_str()),
        (Some(false), Some("not_subscribed"))
    );

    // Opting in again (through the API) restores the brief; opting out by DELETE stops it.
    let _: Value = rep.put("/api/v1/me/brief", json!({}), StatusCode::OK).await;
    // STOP also suppressed the number on WhatsApp: START lifts that.
    whatsapp_from_rep(&s, "SM00000000000000000000000000000078", "START").await;
    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 1);
    su.execute(
        "update app.outbound_messages set brief_on = brief_on - 1 where purpose = 'brief'",
        &[],
    )
    .await
    .unwrap();
    let () = rep.delete("/api/v1/me/brief", StatusCode::NO_CONTENT).await;
    assert_eq!(s.jobs.run_once(Job::Briefs).await.unwrap(), 0);
    let ledger = scalar(
        &s,
        &format!(
            "select count(*) from app.consent_events where member_id = '{}' and purpose = 'brief'",
            s.app.world().rep_a1
        ),
    )
    .await;
    // grant (API), revoke (STOP), grant (API), revoke (DELETE); START restores nothing the API
    // had not already granted again.
    assert!(ledger >= 4, "{ledger}");
}

#[tokio::test]
async fn a_code_never_reaches_a_number_it_was_not_made_for() {
    let s = setup().await;
    let victim = "+14155550166";
    // Ask for a code to someone else's number, then switch to your own before it is sent.
    set_phone(&s, Who::RepA2, victim).await;
    let _: Value = request_code(&s, Who::RepA2, StatusCode::ACCEPTED).await;
    set_phone(&s, Who::RepA2, REP_NUMBER).await;
    s.jobs.run_once(Job::Delivery).await.unwrap();
    assert!(
        s.api.sent().iter().all(|t| !t.body.contains("verification code")),
        "no code was sent: {:?}",
        s.api.sent().iter().map(|t| &t.to).collect::<Vec<_>>()
    );
    let su = s.app.db.superuser().await;
    let error: String = su
        .query_one(
            "select last_error from app.outbound_messages where purpose = 'verification' \
             and member_id = $1 order by created_at desc limit 1",
            &[s.app.world().rep_a2.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(error.starts_with("superseded"), "{error}");
    // Back to the victim's number: the old code is gone, nothing verifies it.
    set_phone(&s, Who::RepA2, victim).await;
    let e: ErrorBody = confirm(&s, Who::RepA2, "424242", StatusCode::CONFLICT).await;
    assert_eq!(e.code(), "no_code_pending");

    // The worker checks too: a code claimed for the old number after a change is not sent.
    age_codes(&s).await;
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    let () = as_who(&s, Who::RepA1)
        .delete("/api/v1/me/phone", StatusCode::NO_CONTENT)
        .await;
    set_phone(&s, Who::RepA1, REP_NUMBER).await;
    let _: Value = request_code(&s, Who::RepA1, StatusCode::ACCEPTED).await;
    // The pending code vanishes without the trigger (as if a writer bypassed it).
    su.batch_execute("delete from app.phone_verifications")
        .await
        .unwrap();
    let before = s.api.sent().len();
    s.jobs.run_once(Job::Delivery).await.unwrap();
    assert_eq!(
        s.api.sent().len(),
        before,
        "the worker sent no code without a pending one"
    );
}
