//! More of a lead's page: its consent (state, history, recording), its deals, who owns it and, for
//! managers, assigning it; and finding leads by name, address or number.
use palisade_testkit::{TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use super::{location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

async fn lead(app: &TestApp, who: Who, body: Value) -> String {
    let r = send(app, Some(who), Method::POST, "/api/v1/leads", Some(body)).await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_lead_shows_its_consent_and_deals_and_consent_is_recorded_from_the_page() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let id = lead(
        &app,
        Who::RepA1,
        json!({"name": "Ada Lovelace", "phone": "+14155550100"}),
    )
    .await;
    let deal = json!({"lead_id": id, "title": "Annual plan", "amount_cents": 123456, "currency": "EUR"});
    assert_eq!(
        send(&app, Some(Who::RepA1), Method::POST, "/api/v1/deals", Some(deal))
            .await
            .status(),
        201
    );
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let path = format!("/t/{tenant}/leads/{id}");
    let html = page(&app, &rep, &path).await.text().await.unwrap();
    assert!(html.contains("None recorded: no message can be sent"), "{html}");
    assert!(
        html.contains("Annual plan") && html.contains("EUR 1,234.56"),
        "{html}"
    );
    assert!(
        html.contains("<dt>Owner</dt><dd>you</dd>") && !html.contains("Assign to"),
        "{html}"
    );

    let consent = format!("{path}/consent");
    let bad = [
        ("csrf", csrf.as_str()),
        ("channel", "fax"),
        ("purpose", "marketing"),
        ("action", "grant"),
        ("source", "api"),
    ];
    assert_eq!(post_form(&app, &rep, &consent, &bad).await.status(), 400);
    let form = [
        ("csrf", csrf.as_str()),
        ("channel", "sms"),
        ("purpose", "marketing"),
        ("action", "grant"),
        ("source", "form"),
        ("form_version", "web-2026"),
        ("consent_text", "Yes, text me offers."),
    ];
    let r = post_form(&app, &rep, &consent, &form).await;
    assert_eq!(location(&r), format!("{path}?done=consent"));
    let html = page(&app, &rep, &format!("{path}?done=consent"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Consent recorded.") && html.contains("opted in"),
        "{html}"
    );
    let history = page(&app, &rep, &consent).await.text().await.unwrap();
    assert!(
        history.contains("a form the lead filled in") && history.contains("form web-2026"),
        "{history}"
    );
    assert!(
        !history.contains("Yes, text me offers"),
        "only the text's fingerprint is kept"
    );
    // Another rep's lead: its consent page is not found either.
    let other = lead(&app, Who::RepA2, json!({"name": "Someone else's"})).await;
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/leads/{other}/consent"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_manager_assigns_a_lead_and_a_rep_cannot() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (tenant, rep_a2, rep_b1) = (w.tenant_a, *w.rep_a2.as_uuid(), *w.rep_b1.as_uuid());
    let id = lead(
        &app,
        Who::RepA1,
        json!({"name": "Ada Lovelace", "phone": "+14155550100"}),
    )
    .await;
    let path = format!("/t/{tenant}/leads/{id}");
    let assign = format!("{path}/assign");
    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let r = post_form(
        &app,
        &rep,
        &assign,
        &[("csrf", &rep_csrf), ("owner", &rep_a2.to_string())],
    )
    .await;
    assert_eq!(r.status(), 403);

    let (manager, csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let html = page(&app, &manager, &path).await.text().await.unwrap();
    assert!(
        html.contains("Assign to") && html.contains("<dt>Owner</dt><dd>rep-a1@a.test</dd>"),
        "{html}"
    );
    let r = post_form(
        &app,
        &manager,
        &assign,
        &[("csrf", &csrf), ("owner", &rep_b1.to_string())],
    )
    .await;
    assert!(
        r.status().is_client_error(),
        "another tenant's person: {}",
        r.status()
    );
    let r = post_form(
        &app,
        &manager,
        &assign,
        &[("csrf", &csrf), ("owner", &rep_a2.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("{path}?done=assigned"));
    let su = app.db.superuser().await;
    let owner: uuid::Uuid = su
        .query_one(
            "select owner_id from app.leads where id = $1",
            &[&id.parse::<uuid::Uuid>().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(owner, rep_a2);
    let reveals: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'phone_reveal'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(reveals, 0, "assigning opens no number, so it logs no reveal");
    assert_eq!(page(&app, &rep, &path).await.status(), 404, "no longer rep A1's");
}

#[tokio::test]
async fn leads_are_found_by_name_address_or_number_among_those_the_visitor_may_see() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    lead(
        &app,
        Who::RepA1,
        json!({"name": "Ada Lovelace", "email": "ada@x.test", "phone": "+14155550100"}),
    )
    .await;
    lead(&app, Who::RepA1, json!({"name": "Grace Hopper"})).await;
    lead(&app, Who::RepA2, json!({"name": "Ada Byron"})).await;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let search = format!("/t/{tenant}/leads/search");
    for q in ["lovelace", "ADA@X.TEST", "(415) 555-0100", "ada"] {
        let r = post_form(&app, &rep, &search, &[("csrf", &csrf), ("q", q)]).await;
        assert_eq!(r.status(), 200, "{q}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Ada Lovelace") && html.contains("1 lead found."),
            "{q}: {html}"
        );
        assert!(
            !html.contains("Grace Hopper") && !html.contains("Ada Byron"),
            "{q}: {html}"
        );
    }
    let r = post_form(&app, &rep, &search, &[("csrf", &csrf), ("q", "%")]).await;
    assert!(
        r.text().await.unwrap().contains("0 leads found."),
        "a wildcard is taken literally"
    );
    let r = post_form(&app, &rep, &search, &[("csrf", &csrf), ("q", " ")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"q-error\""));
}
