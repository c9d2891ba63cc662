//! CSRF on every form: each form the pages render, collected by walking the pages as a rep and as
//! an admin, refuses a post without the session's token and one from another site, before anything
//! runs. A new page's forms join the walk by being linked from it.
use std::collections::BTreeSet;

use palisade_testkit::TestApp;
use reqwest::header::{COOKIE, ORIGIN};

use super::drafts::lead_and_draft;
use super::{browser, page};
use crate::sign_in::browser_sign_in;

/// The actions of the `method="post"` forms in a page.
fn post_actions(html: &str) -> Vec<String> {
    html.split("<form")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            if !tag.contains("method=\"post\"") {
                return None;
            }
            let action = tag.split("action=\"").nth(1)?;
            Some(action[..action.find('"')?].replace("&amp;", "&"))
        })
        .collect()
}

async fn forms_of(app: &TestApp, cookie: &str, paths: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for path in paths {
        let r = page(app, cookie, path).await;
        assert_eq!(r.status(), 200, "{path}");
        found.extend(post_actions(&r.text().await.unwrap()));
    }
    found
}

async fn post(app: &TestApp, cookie: &str, action: &str, origin: &str, fields: &[(&str, &str)]) -> u16 {
    let r = browser()
        .post(app.url(action))
        .header(COOKIE, cookie)
        .header(ORIGIN, origin)
        .form(fields)
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

#[tokio::test]
async fn every_form_refuses_a_post_without_its_token_or_from_another_site() {
    let app = palisade_testkit::spawn_app().await;
    let t = app.world().tenant_a;
    let (lead, draft) = lead_and_draft(&app).await;
    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let (admin, admin_csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let rep_pages: Vec<String> = [
        format!("/t/{t}/leads"),
        format!("/t/{t}/leads/{lead}"),
        format!("/t/{t}/drafts"),
        format!("/t/{t}/drafts/new?lead={lead}"),
        format!("/t/{t}/drafts/{draft}"),
        format!("/t/{t}/coaching"),
        format!("/t/{t}/voice"),
        format!("/t/{t}/my-data"),
        format!("/t/{t}/phone"),
        "/me/delete-account".into(),
        "/me/sessions".into(),
        "/me/security".into(),
        "/join?token=anything".into(),
    ]
    .into();
    let (operator, operator_csrf) = browser_sign_in(&app, "admin-b@b.test").await;
    let operator_pages: Vec<String> = ["/platform/incidents".into()].into();
    let admin_pages: Vec<String> = [
        format!("/t/{t}/dashboard"),
        format!("/t/{t}/audit"),
        format!("/t/{t}/members"),
        format!("/t/{t}/integrations/twilio"),
        format!("/t/{t}/privacy"),
        format!("/t/{t}/sign-in-rules"),
        format!("/t/{t}/access"),
        format!("/t/{t}/messaging"),
    ]
    .into();
    let ours = app.url("");
    let ours = ours.trim_end_matches('/');
    let people = [
        (&rep, &rep_csrf, rep_pages),
        (&admin, &admin_csrf, admin_pages),
        (&operator, &operator_csrf, operator_pages),
    ];
    let mut total = 0;
    for (cookie, csrf, pages) in people {
        let actions = forms_of(&app, cookie, &pages).await;
        for action in &actions {
            let no_token = post(&app, cookie, action, ours, &[("status", "suspended")]).await;
            assert_eq!(no_token, 403, "{action} without a token");
            let foreign = post(&app, cookie, action, "https://evil.example", &[("csrf", csrf)]).await;
            assert_eq!(foreign, 403, "{action} from another site");
        }
        assert!(!actions.is_empty(), "the walk found no form on {pages:?}");
        total += actions.len();
    }
    assert!(total >= 25, "the walk found {total} forms");
    // Nothing ran: the admin's members are as they were, the rep is still signed in.
    assert_eq!(page(&app, &rep, &format!("/t/{t}/leads")).await.status(), 200);
}
