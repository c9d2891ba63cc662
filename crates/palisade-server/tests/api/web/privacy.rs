//! Privacy requests from the admin's page: a person erased by address (the receipt shows progress,
//! and reloads itself while the work runs), a person's data exported as a file (access-logged);
//! mistakes said next to the field; nobody but an admin reaches any of it.
use palisade_testkit::{TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};

use super::{location, page, post_form};
use crate::send;
use crate::sign_in::browser_sign_in;

async fn lead_with_email(app: &TestApp, email: &str) -> String {
    let body = json!({"name": "Grace Hopper", "email": email});
    let r = send(app, Some(Who::RepA1), Method::POST, "/api/v1/leads", Some(body)).await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn lead_status(app: &TestApp, lead: &str) -> u16 {
    let path = format!("/api/v1/leads/{lead}");
    send(app, Some(Who::RepA1), Method::GET, &path, None)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_admin_erases_a_person_and_reads_the_receipt() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let lead = lead_with_email(&app, "grace@navy.test").await;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let erase = format!("/t/{tenant}/privacy/erasures");

    let r = post_form(
        &app,
        &admin,
        &erase,
        &[("csrf", &csrf), ("email", ""), ("phone", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("phone number or email address."));
    let both = [
        ("csrf", csrf.as_str()),
        ("email", "grace@navy.test"),
        ("phone", "+14155550100"),
    ];
    assert_eq!(post_form(&app, &admin, &erase, &both).await.status(), 422);
    let bad = [("csrf", csrf.as_str()), ("email", ""), ("phone", "call me")];
    let r = post_form(&app, &admin, &erase, &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"erase-phone-error\"") && html.contains("value=\"call me\""),
        "{html}"
    );
    assert_eq!(lead_status(&app, &lead).await, 200, "nothing was erased");

    let r = post_form(
        &app,
        &admin,
        &erase,
        &[("csrf", &csrf), ("email", "Grace@Navy.test"), ("phone", "")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let receipt = location(&r).to_owned();
    assert!(
        receipt.starts_with(&format!("/t/{tenant}/privacy/erasures/")),
        "{receipt}"
    );
    assert_eq!(lead_status(&app, &lead).await, 404);
    let html = page(&app, &admin, &receipt).await.text().await.unwrap();
    assert!(
        html.contains("1 of 1 lead erased") && html.contains("app.leads"),
        "{html}"
    );
    assert!(
        !html.contains("http-equiv=\"refresh\""),
        "a finished erasure does not reload"
    );
    assert!(!html.to_lowercase().contains("grace"), "the receipt names nobody");
    let list = page(&app, &admin, &format!("/t/{tenant}/privacy"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        list.contains(&receipt) && list.contains("email address"),
        "{list}"
    );

    // While the work runs, the receipt says so and reloads itself.
    let id: uuid::Uuid = receipt.rsplit('/').next().unwrap().parse().unwrap();
    let su = app.db.superuser().await;
    su.execute(
        "update app.erasures set status = 'running', finished_at = null, pending_leads = array[gen_random_uuid()] \
         where id = $1",
        &[&id],
    )
    .await
    .unwrap();
    let html = page(&app, &admin, &receipt).await.text().await.unwrap();
    assert!(
        html.contains("http-equiv=\"refresh\"") && html.contains("0 of 1 lead erased"),
        "{html}"
    );
}

#[tokio::test]
async fn an_admin_downloads_what_the_workspace_holds_about_a_person() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    lead_with_email(&app, "grace@navy.test").await;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("email", "grace@navy.test"),
        ("phone", ""),
    ];
    let r = post_form(
        &app,
        &admin,
        &format!("/t/{tenant}/privacy/subject-export"),
        &fields,
    )
    .await;
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"subject-export-"),
        "{disposition}"
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let export: Value = r.json().await.unwrap();
    assert_eq!(export["leads"][0]["lead"]["name"], "Grace Hopper", "{export}");
    assert_eq!(super::access_logged(&app, "data_export").await, 1);
}

#[tokio::test]
async fn only_admins_make_privacy_requests() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let lead = lead_with_email(&app, "grace@navy.test").await;
    for email in ["manager-a@a.test", "rep-a1@a.test"] {
        let (cookie, csrf) = browser_sign_in(&app, email).await;
        assert_eq!(
            page(&app, &cookie, &format!("/t/{tenant}/privacy"))
                .await
                .status(),
            403
        );
        let fields = [("csrf", csrf.as_str()), ("email", "grace@navy.test")];
        for action in ["erasures", "subject-export"] {
            let r = post_form(&app, &cookie, &format!("/t/{tenant}/privacy/{action}"), &fields).await;
            assert_eq!(r.status(), 403, "{email} {action}");
        }
    }
    assert_eq!(lead_status(&app, &lead).await, 200);
    let (other, csrf) = browser_sign_in(&app, "admin-b@b.test").await;
    let fields = [("csrf", csrf.as_str()), ("email", "grace@navy.test")];
    let r = post_form(&app, &other, &format!("/t/{tenant}/privacy/erasures"), &fields).await;
    assert_eq!(r.status(), 404);
    assert_eq!(lead_status(&app, &lead).await, 200);
}
