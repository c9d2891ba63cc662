//! The audit log page: managers and admins read and filter the tenant's events and export them as
//! CSV (access-logged; refused when another site starts it); reps are refused.
use palisade_testkit::TestApp;
use reqwest::header::COOKIE;

use super::{browser, page};
use crate::sign_in::browser_sign_in;

async fn exports(app: &TestApp) -> i64 {
    app.db
        .superuser()
        .await
        .query_one(
            "select count(*) from audit.access_events where action = 'audit_export'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn managers_read_filter_and_export_the_audit_log() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;

    let all = page(&app, &manager, &format!("/t/{a}/audit")).await;
    assert_eq!(all.status(), 200);
    let html = all.text().await.unwrap();
    assert!(
        html.contains("insert leads") && html.contains("insert deals"),
        "{html}"
    );
    // Rep A1 wrote a lead, a deal and an interaction, and a draft and a voice sample: only the first
    // three are listed.
    let rep_a1 = app.world().rep_a1;
    let theirs = page(&app, &manager, &format!("/t/{a}/audit?actor={rep_a1}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        theirs.contains("insert leads<") && theirs.contains("insert interactions<"),
        "{theirs}"
    );
    let recorded: i64 = app
        .db
        .superuser()
        .await
        .query_one(
            "select count(*) from audit.events where table_name = 'drafts' and actor_user_id = $1",
            &[&rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        recorded > 0,
        "the trail holds the draft's event; the page must not show it"
    );
    for private in ["drafts", "voice_samples", "voice_consents"] {
        assert!(
            !theirs.contains(&format!("insert {private}<")),
            "rep-private events stay out: {private}"
        );
    }
    let deals = page(&app, &manager, &format!("/t/{a}/audit?table=deals"))
        .await
        .text()
        .await
        .unwrap();
    assert!(deals.contains("insert deals") && !deals.contains("insert leads"));
    for (bad, status) in [
        ("table=drafts%3B", 400),
        ("from=yesterday", 400),
        ("actor=nobody", 400),
        // A range that holds nothing is an empty list, not an error.
        ("from=2026-02-02&to=2026-01-01", 200),
    ] {
        let r = page(&app, &manager, &format!("/t/{a}/audit?{bad}")).await;
        assert_eq!(r.status(), status, "{bad}");
    }

    let before = exports(&app).await;
    let export = |site: &'static str| {
        let url = app.url(&format!("/t/{a}/audit/export.csv?table=deals"));
        let cookie = manager.clone();
        async move {
            let mut req = browser().get(url).header(COOKIE, cookie);
            if !site.is_empty() {
                req = req.header("sec-fetch-site", site);
            }
            req.send().await.unwrap()
        }
    };
    // A browser that does not say where the request came from is refused like another site.
    assert_eq!(export("").await.status(), 403);
    assert_eq!(exports(&app).await, before);
    let csv = export("same-origin").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    assert!(
        body.starts_with("id,occurred_at,table,op") && body.contains(",deals,INSERT,"),
        "{body}"
    );
    assert_eq!(exports(&app).await, before + 1);
    assert_eq!(export("cross-site").await.status(), 403);
    assert_eq!(exports(&app).await, before + 1);

    let (rep, _) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(page(&app, &rep, &format!("/t/{a}/audit")).await.status(), 403);
    // From the right page, but not a manager: refused by role.
    let rep_export = browser()
        .get(app.url(&format!("/t/{a}/audit/export.csv")))
        .header(COOKIE, &rep)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(rep_export.status(), 403);
    assert!(rep_export
        .text()
        .await
        .unwrap()
        .contains("for managers and admins"));
    assert_eq!(exports(&app).await, before + 1);
}
