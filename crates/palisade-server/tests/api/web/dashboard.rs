//! The dashboard page shows the API's dashboard figures to managers and admins, and nothing to reps.
use palisade_testkit::Who;
use reqwest::Method;
use serde_json::Value;

use super::page;
use crate::send;
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn managers_see_the_apis_figures_and_reps_are_refused() {
    let app = palisade_testkit::spawn_app().await;
    let a = app.world().tenant_a;
    let api: Value = send(&app, Some(Who::ManagerA), Method::GET, "/api/v1/dashboard", None)
        .await
        .json()
        .await
        .unwrap();
    let stages = api["deals_by_stage"].as_array().unwrap();
    assert!(!stages.is_empty(), "the fixture has deals");
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    let r = page(&app, &manager, &format!("/t/{a}/dashboard")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for s in stages {
        let row = format!(
            r#"<th scope="row" class="cap">{}</th><td>{}</td>"#,
            s["stage"].as_str().unwrap(),
            s["count"]
        );
        assert!(html.contains(&row), "{row} in {html}");
    }
    assert!(html.contains(r#"aria-current="page">Dashboard"#));
    assert!(!html.contains("Private draft"));

    let (rep, _) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert_eq!(page(&app, &rep, &format!("/t/{a}/dashboard")).await.status(), 403);
    let leads = page(&app, &rep, &format!("/t/{a}/leads"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!leads.contains("/dashboard"), "no dashboard link for reps");
    let b = app.world().tenant_b;
    assert_eq!(
        page(&app, &manager, &format!("/t/{b}/dashboard")).await.status(),
        404
    );
}
