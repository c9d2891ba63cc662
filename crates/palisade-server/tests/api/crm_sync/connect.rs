//! Connecting: OAuth finishes only in the admin's own browser and for the workspace it started for;
//! a private app's token is checked with HubSpot first; disconnecting revokes the grant.
use palisade_testkit::Who;
use reqwest::header::COOKIE;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{app_with_hubspot, connect_private_app, count, run_sync, status, PORTAL};
use crate::client::Client;
use crate::sign_in::{browser_sign_in, set_cookie};
use crate::web::{browser, location, page, post_form};

#[tokio::test]
async fn oauth_connects_only_in_the_admins_own_browser_and_disconnecting_revokes() {
    let (app, fake) = app_with_hubspot().await;
    let a = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let html = page(&app, &admin, &format!("/t/{a}/crm"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Connect HubSpot") && html.contains("Not connected"),
        "{html}"
    );

    // A rep cannot start one.
    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let r = post_form(&app, &rep, &format!("/t/{a}/crm/connect"), &[("csrf", &rep_csrf)]).await;
    assert_eq!(r.status(), 403);

    let r = post_form(&app, &admin, &format!("/t/{a}/crm/connect"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303);
    let to = location(&r).to_owned();
    assert!(to.starts_with(&fake.authorize_url()), "{to}");
    let url = url::Url::parse(&to).unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(
        param("client_id").as_deref(),
        Some(palisade_testkit::FAKE_HUBSPOT_CLIENT_ID)
    );
    assert!(param("scope").unwrap().contains("crm.objects.contacts.read"));
    assert!(param("redirect_uri")
        .unwrap()
        .ends_with("/oauth/hubspot/callback"));
    let state = param("state").unwrap();
    let (flow, _) = set_cookie(r.headers(), "__Host-palisade-crm").expect("flow cookie");

    let callback = |code: &str, state: &str| format!("/oauth/hubspot/callback?code={code}&state={state}");
    let get = |cookie: String, path: String| {
        let app = &app;
        async move {
            browser()
                .get(app.url(&path))
                .header(COOKIE, cookie)
                .send()
                .await
                .unwrap()
        }
    };
    // Without the flow cookie (another browser), or with another state, nothing is connected.
    let code = fake.issue_code(PORTAL, &["crm.objects.contacts.read"]);
    let r = get(admin.clone(), callback(&code, &state)).await;
    assert_eq!(r.status(), 400);
    let r = get(format!("{admin}; {flow}"), callback(&code, "forged")).await;
    assert_eq!(r.status(), 400);
    // The right browser, but a rep's session: refused.
    let r = get(format!("{rep}; {flow}"), callback(&code, &state)).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        count(
            &app,
            "select count(*) from app.crm_connections where tenant_id = $1"
        )
        .await,
        0
    );
    // HubSpot said no.
    let r = get(
        format!("{admin}; {flow}"),
        format!("/oauth/hubspot/callback?error=access_denied&state={state}"),
    )
    .await;
    assert_eq!(location(&r), format!("/t/{a}/crm?problem=denied"));

    let r = get(format!("{admin}; {flow}"), callback(&code, &state)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/t/{a}/crm?done=connected"));
    assert!(
        set_cookie(r.headers(), "__Host-palisade-crm")
            .unwrap()
            .1
            .contains("Max-Age=0"),
        "the cookie works once"
    );
    let s = status(&app).await;
    assert_eq!(s["connection"]["kind"], "oauth");
    assert_eq!(s["connection"]["portal_id"], PORTAL);
    assert!(s["connection"]["access_expires_at"].is_string());
    assert!(
        s.to_string().find("acc-").is_none() && s.to_string().find("ref-").is_none(),
        "no token in answers"
    );
    let html = page(&app, &admin, &format!("/t/{a}/crm?done=connected"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("HubSpot is connected") && html.contains(&PORTAL.to_string()));

    // The first sync reads the portal.
    fake.add(
        "contacts",
        &[("firstname", "Oauth"), ("email", "oauth@example.com")],
    );
    assert_eq!(run_sync(&app).await, 1);
    assert_eq!(
        count(
            &app,
            "select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null"
        )
        .await,
        1
    );

    // Disconnecting revokes the refresh token at HubSpot.
    let admin_api = Client::new(&app, Some(Who::AdminA));
    let gone: Value = admin_api.delete("/api/v1/crm/hubspot", StatusCode::OK).await;
    assert_eq!(gone["revoked"], true);
    assert_eq!(fake.revoked().len(), 1);
    let s = status(&app).await;
    assert!(s["connection"].is_null());
    assert_eq!(
        s["objects"][0]["records_in"], 1,
        "the sync's place is kept for a reconnection"
    );
}

#[tokio::test]
async fn a_private_apps_token_is_checked_with_hubspot_before_it_is_kept() {
    let (app, fake) = app_with_hubspot().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    // A token of the right shape HubSpot does not know: refused, nothing kept.
    let refused: Value = admin
        .put(
            "/api/v1/crm/hubspot/private-app",
            json!({"access_token": "pat-na1-00000000-0000-0000-0000-000000000000"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(refused["error"]["code"], "hubspot_unauthorized");
    assert!(
        !refused.to_string().contains("pat-na1"),
        "the token is never echoed"
    );
    assert!(status(&app).await["connection"].is_null());
    // Unknown fields (an owner, a tenant) are refused.
    let _: Value = admin
        .put(
            "/api/v1/crm/hubspot/private-app",
            json!({"access_token": "pat-na1-x", "tenant_id": app.world().tenant_b}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;

    let saved = connect_private_app(&app, &fake).await;
    assert_eq!(saved["kind"], "private_app");
    assert_eq!(saved["portal_id"], PORTAL);
    assert_eq!(saved["access_expires_at"], Value::Null);
    // The sync's health shows up after a run; the job leaves other tenants alone.
    fake.add("contacts", &[("firstname", "Pat"), ("email", "pat@example.com")]);
    assert_eq!(run_sync(&app).await, 1);
    let s = status(&app).await;
    assert_eq!(s["sync"]["consecutive_failures"], 0);
    assert!(s["lag_seconds"].as_i64().unwrap() < 60);
    let contacts = s["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object"] == "contacts")
        .unwrap();
    assert_eq!(contacts["records_in"], 1);
    assert_eq!(contacts["phase"], "incremental");
    // The other tenant sees none of it.
    let other: Value = Client::new(&app, Some(Who::AdminB))
        .get("/api/v1/crm/hubspot", StatusCode::OK)
        .await;
    assert!(other["connection"].is_null() && other["sync"].is_null());
    // Settings: write-back off by choice, GDPR deletes on.
    let patched: Value = admin
        .patch(
            "/api/v1/crm/hubspot",
            json!({"write_back": false, "gdpr_delete": true}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (patched["write_back"].clone(), patched["gdpr_delete"].clone()),
        (json!(false), json!(true))
    );
    let _: Value = admin
        .patch(
            "/api/v1/crm/hubspot",
            json!({"portal_id": 5}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
}

#[tokio::test]
async fn repeated_failures_show_on_the_page_and_become_one_error_event() {
    let (app, fake) = app_with_hubspot().await;
    connect_private_app(&app, &fake).await;
    fake.fail(palisade_testkit::HubspotFailure {
        times: None,
        ..palisade_testkit::HubspotFailure::new("/crm/v3/owners", 503)
    });
    for _ in 0..4 {
        run_sync(&app).await;
    }
    let s = status(&app).await;
    assert_eq!(s["sync"]["last_error"], "hubspot_unavailable");
    assert_eq!(s["sync"]["consecutive_failures"], 4);
    let su = app.db.superuser().await;
    let events: i64 = su
        .query_one(
            "select coalesce(sum(count), 0)::int8 from app.error_events where code = 'crm_sync_failing'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(events, 1, "one event for the run of failures");
    let metrics = Client::anonymous(&app)
        .text(reqwest::Method::GET, "/metrics", None, StatusCode::OK)
        .await;
    assert!(
        metrics.contains("palisade_crm_sync_runs_total{outcome=\"hubspot_unavailable\"} 4"),
        "{metrics}"
    );
    // Back to health: the failures reset.
    fake.clear_failures();
    run_sync(&app).await;
    assert_eq!(status(&app).await["sync"]["consecutive_failures"], 0);
}
