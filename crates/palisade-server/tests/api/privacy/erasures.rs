//! Erasure, end to end: a subject planted everywhere the product lets their name, email and number
//! go is erased by phone number, and a `pg_dump` of the whole database then holds no trace of them
//! in any format, while every audit chain still verifies and the number stays suppressed.
use palisade_core::audit::verify::verify;
use palisade_db::TenantId;
use palisade_testkit::{spawn_app, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    admin, dump, plant_brief, plant_subject, rep, rows, seal_audit, traces_in, EMAIL, NUMBER, TRACES,
};
use crate::client::{Client, ErrorBody};

#[tokio::test]
async fn erasing_by_phone_leaves_no_trace_in_a_dump_and_the_chains_verify() {
    let app = spawn_app().await;
    let lead = plant_subject(&app).await;
    seal_audit(&app).await;
    // The search finds what was planted (numbers in E.164 are sealed, so only typed forms show).
    let before = traces_in(&dump(&app));
    for planted in [
        "farthingale",
        "zebulon.quixote@erasure.example",
        "415-555-0199",
        "415.555.0199",
    ] {
        assert!(
            before.contains(&planted),
            "{planted} is not in the dump: {before:?}"
        );
    }

    // The number as someone would type it, in the tenant's region (US).
    let receipt: Value = admin(&app)
        .header("x-request-id", "erase-request-1")
        .post(
            "/api/v1/privacy/erasures",
            json!({"phone": "415 555 0199"}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(receipt["status"], "done");
    assert_eq!(receipt["subject"], "phone");
    assert_eq!(receipt["request_id"], "erase-request-1");
    assert_eq!(receipt["progress"], json!({"leads_total": 1, "leads_erased": 1}));
    assert_eq!(rows(&receipt, "app.leads", "deleted"), 1);
    assert_eq!(
        rows(&receipt, "app.interactions", "deleted"),
        2,
        "the call note and the inbound text"
    );
    assert_eq!(rows(&receipt, "app.deals", "deleted"), 1);
    assert_eq!(rows(&receipt, "app.outbound_messages", "deleted"), 1);
    assert_eq!(rows(&receipt, "app.outbound_messages", "edited"), 1, "the brief");
    assert_eq!(rows(&receipt, "app.consent_events", "kept"), 1);
    assert_eq!(
        rows(&receipt, "app.drafts", "deleted"),
        Value::Null,
        "rep-private: not counted"
    );
    assert_eq!(
        rows(&receipt, "app.coaching_observations", "deleted"),
        Value::Null
    );
    assert_eq!(
        rows(&receipt, "app.suppressions", "added"),
        3,
        "SMS, WhatsApp and email"
    );
    assert!(rows(&receipt, "audit.events", "redacted").as_i64().unwrap() >= 10);
    let text = receipt.to_string().to_lowercase();
    assert!(
        TRACES.iter().all(|t| !text.contains(t)),
        "the receipt names no one: {text}"
    );

    seal_audit(&app).await;
    assert_eq!(
        traces_in(&dump(&app)),
        Vec::<&str>::new(),
        "a trace of the subject survived"
    );
    let su = app.db.superuser().await;
    let reports = verify(&su, None).await.unwrap();
    assert!(reports.iter().all(|r| r.broken.is_none()), "{reports:?}");
    // The brief keeps its other line; the rep's own lead is untouched.
    let brief: String = su
        .query_one(
            "select body from app.outbound_messages where purpose = 'brief'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(brief.contains("\n(erased)\n2. Porch (Someone Else)"), "{brief}");
    let gone: i64 = su
        .query_one("select count(*) from app.leads where id = $1", &[&lead])
        .await
        .unwrap()
        .get(0);
    assert_eq!(gone, 0);

    // The number is never messaged again, even as a new lead with fresh consent.
    let again: Value = rep(&app)
        .post(
            "/api/v1/leads",
            json!({"name": "New", "phone": NUMBER}),
            StatusCode::CREATED,
        )
        .await;
    let consent = json!({"channel": "sms", "purpose": "marketing", "source": "form", "form_version": "web-3",
                         "consent_text": "Yes."});
    let path = format!("/api/v1/leads/{}/consents", again["id"].as_str().unwrap());
    rep(&app).post::<Value>(&path, consent, StatusCode::CREATED).await;
    let text = json!({"lead_id": again["id"], "channel": "sms", "purpose": "marketing", "body": "Hello"});
    let refused: Value = rep(&app)
        .post("/api/v1/messages", text, StatusCode::CONFLICT)
        .await;
    assert_eq!(refused["error"]["details"]["reason"], "suppressed");

    // The request is in the access log under the admin's name; the receipt can be read again.
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'erasure' and actor_user_id = $1 \
             and target_id = $2",
            &[app.world().admin_a.as_uuid(), &receipt["id"].as_str().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
    let id = receipt["id"].as_str().unwrap();
    let read: Value = admin(&app)
        .get(&format!("/api/v1/privacy/erasures/{id}"), StatusCode::OK)
        .await;
    assert_eq!(read, receipt);
    let page: Value = admin(&app).get("/api/v1/privacy/erasures", StatusCode::OK).await;
    assert_eq!(page["items"][0]["id"], receipt["id"]);
}

#[tokio::test]
async fn only_an_admin_of_the_subject_s_tenant_may_erase() {
    let app = spawn_app().await;
    let w = app.world();
    let by_id = json!({"lead_id": w.lead_a1});
    for who in [Who::RepA1, Who::ManagerA] {
        let e: ErrorBody = Client::new(&app, Some(who))
            .post("/api/v1/privacy/erasures", &by_id, StatusCode::FORBIDDEN)
            .await;
        assert_eq!(e.code(), "forbidden");
        Client::new(&app, Some(who))
            .get::<ErrorBody>("/api/v1/privacy/erasures", StatusCode::FORBIDDEN)
            .await;
    }
    Client::anonymous(&app)
        .post::<ErrorBody>("/api/v1/privacy/erasures", &by_id, StatusCode::UNAUTHORIZED)
        .await;
    // Another tenant's lead is not found, and nothing is written for it.
    let e: ErrorBody = Client::new(&app, Some(Who::AdminB))
        .post("/api/v1/privacy/erasures", &by_id, StatusCode::NOT_FOUND)
        .await;
    assert_eq!(e.code(), "not_found");
    let su = app.db.superuser().await;
    let erasures: i64 = su
        .query_one(
            "select count(*) from app.erasures where tenant_id = $1",
            &[w.tenant_b.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(erasures, 1, "only the fixture's");
    let lead: i64 = su
        .query_one("select count(*) from app.leads where id = $1", &[&w.lead_a1])
        .await
        .unwrap()
        .get(0);
    assert_eq!(lead, 1);
    // Tenant A's receipt is not tenant B's to read.
    let a_receipt: Uuid = su
        .query_one(
            "select id from app.erasures where tenant_id = $1",
            &[w.tenant_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    Client::new(&app, Some(Who::AdminB))
        .get::<ErrorBody>(
            &format!("/api/v1/privacy/erasures/{a_receipt}"),
            StatusCode::NOT_FOUND,
        )
        .await;
    admin(&app)
        .get::<Value>(&format!("/api/v1/privacy/erasures/{a_receipt}"), StatusCode::OK)
        .await;
}

#[tokio::test]
async fn a_subject_must_be_named_exactly_once_and_well() {
    let app = spawn_app().await;
    let lead = app.world().lead_a1;
    let cases = [
        (json!({}), "invalid_subject"),
        (json!({"phone": NUMBER, "email": EMAIL}), "invalid_subject"),
        (json!({"phone": NUMBER, "lead_id": lead}), "invalid_subject"),
        (json!({"phone": "not a number"}), "invalid_phone"),
        (json!({"phone": "1".repeat(41)}), "invalid_phone"),
        (json!({"email": "not-an-address"}), "invalid_email"),
    ];
    for (body, code) in cases {
        let e: ErrorBody = admin(&app)
            .post(
                "/api/v1/privacy/erasures",
                &body,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert_eq!(e.code(), code, "{body}");
    }
    let e: ErrorBody = admin(&app)
        .post(
            "/api/v1/privacy/erasures",
            json!({"lead_id": lead, "tenant_id": lead}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_body");
    let su = app.db.superuser().await;
    let written: i64 = su
        .query_one("select count(*) from app.erasures", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(written, 2, "only the fixture's");
}

#[tokio::test]
async fn an_address_no_lead_has_is_still_suppressed_for_good() {
    let app = spawn_app().await;
    let receipt: Value = admin(&app)
        .post(
            "/api/v1/privacy/erasures",
            json!({"email": "Nobody@Nowhere.example"}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(receipt["progress"], json!({"leads_total": 0, "leads_erased": 0}));
    assert_eq!(rows(&receipt, "app.suppressions", "added"), 1);
    // Asking twice adds nothing and still answers with a receipt.
    let again: Value = admin(&app)
        .post(
            "/api/v1/privacy/erasures",
            json!({"email": "nobody@nowhere.example"}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(rows(&again, "app.suppressions", "added"), 0);
}

#[tokio::test]
async fn a_lead_deleted_before_its_erasure_is_found_by_email_and_every_name_it_had_leaves_the_briefs() {
    let app = spawn_app().await;
    let w = app.world();
    let lead: Value = rep(&app)
        .post(
            "/api/v1/leads",
            json!({"name": "Zebulon Firstname", "email": EMAIL}),
            StatusCode::CREATED,
        )
        .await;
    let path = format!("/api/v1/leads/{}", lead["id"].as_str().unwrap());
    rep(&app)
        .patch::<Value>(
            &path,
            json!({"name": "Zebulon Quixotic-Farthingale"}),
            StatusCode::OK,
        )
        .await;
    plant_brief(&app, w.tenant_a, w.rep_a1, "Zebulon Firstname").await;
    // Tenant B's brief names someone of the same name: another tenant's, and none of this erasure's.
    plant_brief(&app, w.tenant_b, w.rep_b1, "Zebulon Firstname").await;
    Client::new(&app, Some(Who::ManagerA))
        .delete::<Value>(&path, StatusCode::NO_CONTENT)
        .await;

    let receipt: Value = admin(&app)
        .post(
            "/api/v1/privacy/erasures",
            json!({"email": EMAIL}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(receipt["progress"], json!({"leads_total": 1, "leads_erased": 1}));
    assert_eq!(rows(&receipt, "app.outbound_messages", "edited"), 1);
    assert!(rows(&receipt, "audit.events", "redacted").as_i64().unwrap() >= 3);
    assert_eq!(rows(&receipt, "app.suppressions", "added"), 1);
    let su = app.db.superuser().await;
    let brief = |tenant: TenantId| {
        let su = &su;
        async move {
            let sql = "select body from app.outbound_messages where purpose = 'brief' and tenant_id = $1";
            su.query_one(sql, &[tenant.as_uuid()])
                .await
                .unwrap()
                .get::<_, String>(0)
        }
    };
    assert!(!brief(w.tenant_a).await.contains("Zebulon"));
    assert!(brief(w.tenant_b).await.contains("(Zebulon Firstname): qualified"));
    assert_eq!(
        traces_in(&dump(&app)),
        vec!["zebulon"],
        "only tenant B's own lead of that name"
    );

    // By its id too, once more: nothing is left to redact, and that is still an answer.
    let again: Value = admin(&app)
        .post(
            "/api/v1/privacy/erasures",
            json!({"lead_id": lead["id"]}),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(rows(&again, "audit.events", "redacted"), 0);
}
