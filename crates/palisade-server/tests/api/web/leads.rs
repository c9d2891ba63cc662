//! The lead pages: what each person sees, masked numbers and their access-logged reveal, logging
//! an interaction, refusals for forms without the session's token and for other tenants.
use palisade_testkit::{TestApp, Who};
use reqwest::header::{COOKIE, ORIGIN};
use reqwest::Method;
use serde_json::{json, Value};

use super::{browser, location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

async fn create_lead(app: &TestApp, who: Who, name: &str, phone: Option<&str>) -> String {
    let r = send(
        app,
        Some(who),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": name, "phone": phone})),
    )
    .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn reveals(app: &TestApp, lead: &str) -> i64 {
    app.db
        .superuser()
        .await
        .query_one(
            "select count(*) from audit.access_events where action = 'phone_reveal' and detail -> 'lead_ids' ? $1",
            &[&lead],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn each_person_sees_the_leads_the_api_would_show_them_with_numbers_masked() {
    let app = palisade_testkit::spawn_app().await;
    let (a, b) = (app.world().tenant_a, app.world().tenant_b);
    let mine = create_lead(&app, Who::RepA1, "Ada Lovelace", Some("+1 415 555 0100")).await;
    let theirs = create_lead(&app, Who::RepA2, "Grace Hopper", None).await;
    let (rep, _) = browser_sign_in(&app, "rep-a1@a.test").await;

    let r = page(&app, &rep, &format!("/t/{a}/leads")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["referrer-policy"], "same-origin");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("My leads") && html.contains("Ada Lovelace"),
        "{html}"
    );
    assert!(!html.contains("Grace Hopper"), "another rep's lead");
    assert!(
        !html.contains("5550100") && !html.contains("555 0100"),
        "numbers are masked"
    );
    assert_eq!(reveals(&app, &mine).await, 0, "a masked list opens no number");

    let manager = browser_sign_in(&app, "manager-a@a.test").await.0;
    let html = page(&app, &manager, &format!("/t/{a}/leads"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Team leads") && html.contains("Ada Lovelace") && html.contains("Grace Hopper"));

    // Another tenant, another rep's lead, an address that is not an id: all "not found".
    let lead_b = app.world().lead_b1;
    for path in [
        format!("/t/{b}/leads"),
        format!("/t/{b}/leads/{lead_b}"),
        format!("/t/{a}/leads/{lead_b}"),
        format!("/t/{a}/leads/{theirs}"),
        format!("/t/{a}/leads/not-an-id"),
        "/t/not-an-id/leads".to_owned(),
    ] {
        assert_eq!(page(&app, &rep, &path).await.status(), 404, "{path}");
    }
    let html = page(&app, &rep, &format!("/t/{a}/leads/{mine}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Show number") && !html.contains("5550100"),
        "{html}"
    );
}

#[tokio::test]
async fn showing_a_number_needs_the_form_token_and_is_access_logged() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let lead = create_lead(&app, Who::RepA1, "Ada Lovelace", Some("+1 415 555 0100")).await;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let path = format!("/t/{a}/leads/{lead}/reveal");

    for fields in [vec![], vec![("csrf", "forged")]] {
        let r = post_form(&app, &rep, &path, &fields).await;
        assert_eq!(r.status(), 403);
    }
    let cross_site = browser()
        .post(app.url(&path))
        .header(COOKIE, &rep)
        .header(ORIGIN, "https://evil.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    // A browser that sends no Origin still says where the request came from.
    let no_origin = browser()
        .post(app.url(&path))
        .header(COOKIE, &rep)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(no_origin.status(), 403);
    assert_eq!(reveals(&app, &lead).await, 0);

    let r = post_form(&app, &rep, &path, &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("+14155550100"));
    assert_eq!(reveals(&app, &lead).await, 1);
}

#[tokio::test]
async fn logging_an_interaction_redirects_back_and_a_bad_form_keeps_what_was_typed() {
    let app = palisade_testkit::spawn_app().await;
    let (a, b) = (app.world().tenant_a, app.world().tenant_b);
    let lead = create_lead(&app, Who::RepA1, "Ada Lovelace", None).await;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let path = format!("/t/{a}/leads/{lead}/interactions");
    let count = |lead: String| {
        let app = &app;
        async move {
            let r = send(
                app,
                Some(Who::RepA1),
                Method::GET,
                &format!("/api/v1/interactions?lead_id={lead}"),
                None,
            )
            .await;
            r.json::<Value>().await.unwrap()["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };

    let bad = post_form(
        &app,
        &rep,
        &path,
        &[
            ("csrf", &csrf),
            ("channel", "call"),
            ("direction", "outbound"),
            ("body", "  "),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains(r#"id="body-error""#) && html.contains(r#"<option value="call" selected>"#),
        "{html}"
    );
    let bad = post_form(
        &app,
        &rep,
        &path,
        &[
            ("csrf", &csrf),
            ("channel", "fax"),
            ("direction", "outbound"),
            ("body", "Kept"),
        ],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains(">Kept</textarea>"));
    assert_eq!(count(lead.clone()).await, 0, "nothing written");

    let fields = [
        ("csrf", csrf.as_str()),
        ("channel", "call"),
        ("direction", "outbound"),
        ("body", "Called <about> pricing"),
    ];
    let done = post_form(&app, &rep, &path, &fields).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), format!("/t/{a}/leads/{lead}?logged=1"));
    let html = page(&app, &rep, location(&done)).await.text().await.unwrap();
    assert!(
        html.contains("Interaction logged.") && html.contains("Called &#60;about&#62; pricing"),
        "{html}"
    );
    assert_eq!(count(lead.clone()).await, 1);

    // Without the token, or into another tenant's lead: refused, nothing written.
    assert_eq!(post_form(&app, &rep, &path, &fields[1..]).await.status(), 403);
    let lead_b = app.world().lead_b1;
    let other = post_form(
        &app,
        &rep,
        &format!("/t/{b}/leads/{lead_b}/interactions"),
        &fields,
    )
    .await;
    assert_eq!(other.status(), 404);
    assert_eq!(count(lead).await, 1);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = palisade_testkit::spawn_app().await;
    let (rep, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(
        post_form(&app, &rep, "/sign-out", &[]).await.status(),
        403,
        "a token is needed"
    );
    let out = post_form(&app, &rep, "/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/sign-in");
    let cleared = crate::sign_in::set_cookie(out.headers(), "__Host-palisade-session")
        .unwrap()
        .1;
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // The old cookie no longer opens anything.
    let r = page(&app, &rep, &format!("/t/{}/leads", app.world().tenant_a)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/sign-in");
}
