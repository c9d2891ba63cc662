//! My phone and daily brief from the page: a number saved (sealed, shown only to its owner),
//! verified with the code sent to it, and the brief opted into and stopped.
use palisade_testkit::TestApp;

use super::{location, page, post_form};
use crate::sign_in::browser_sign_in;

/// The code in the verification message last queued for the manager.
async fn sent_code(app: &TestApp) -> String {
    let su = app.db.superuser().await;
    let body: String = su
        .query_one(
            "select body from app.outbound_messages where member_id = $1 and purpose = 'verification' \
             order by created_at desc limit 1",
            &[app.world().manager_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    body.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a six-digit code")
        .to_owned()
}

#[tokio::test]
async fn a_member_saves_and_verifies_a_number_and_opts_in_to_the_brief() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (me, csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let base = format!("/t/{tenant}/phone");
    assert!(page(&app, &me, &base)
        .await
        .text()
        .await
        .unwrap()
        .contains("Your number"));

    let r = post_form(
        &app,
        &me,
        &format!("{base}/number"),
        &[("csrf", &csrf), ("phone", "call me")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"phone-error\"") && html.contains("value=\"call me\""),
        "{html}"
    );
    let r = post_form(
        &app,
        &me,
        &format!("{base}/number"),
        &[("csrf", &csrf), ("phone", "+1 415 555 0199")],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=number"));
    let html = page(&app, &me, &base).await.text().await.unwrap();
    assert!(
        html.contains("+14155550199") && html.contains("not verified"),
        "{html}"
    );
    let (rep, _) = browser_sign_in(&app, "rep-a1@a.test").await;
    assert!(!page(&app, &rep, &base)
        .await
        .text()
        .await
        .unwrap()
        .contains("+14155550199"));

    let r = post_form(
        &app,
        &me,
        &format!("{base}/send-code"),
        &[("csrf", &csrf), ("channel", "sms")],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=code"));
    let code = sent_code(&app).await;
    assert_eq!(code.len(), 6);
    // A second code within 30 seconds is throttled: said on the page, with when to try again.
    let r = post_form(
        &app,
        &me,
        &format!("{base}/send-code"),
        &[("csrf", &csrf), ("channel", "sms")],
    )
    .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = post_form(
        &app,
        &me,
        &format!("{base}/confirm"),
        &[("csrf", &csrf), ("code", wrong)],
    )
    .await;
    assert!(r.status().is_client_error());
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    let r = post_form(
        &app,
        &me,
        &format!("{base}/confirm"),
        &[("csrf", &csrf), ("code", &code)],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=verified"));
    assert!(page(&app, &me, &base)
        .await
        .text()
        .await
        .unwrap()
        .contains("verified</span>"));

    let r = post_form(
        &app,
        &me,
        &format!("{base}/brief"),
        &[("csrf", &csrf), ("time_zone", "Mars/Olympus"), ("hour", "7")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = post_form(
        &app,
        &me,
        &format!("{base}/brief"),
        &[("csrf", &csrf), ("time_zone", "Europe/Berlin"), ("hour", "7")],
    )
    .await;
    assert_eq!(location(&r), format!("{base}?done=brief"));
    let html = page(&app, &me, &base).await.text().await.unwrap();
    assert!(html.contains("Every day from 7:00 (Europe/Berlin)"), "{html}");
    let r = post_form(&app, &me, &format!("{base}/stop"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("{base}?done=stopped"));
    assert!(page(&app, &me, &base)
        .await
        .text()
        .await
        .unwrap()
        .contains("Send me the brief"));
    let r = post_form(&app, &me, &format!("{base}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("{base}?done=removed"));
    assert_eq!(
        post_form(&app, &me, &format!("{base}/launch"), &[("csrf", &csrf)])
            .await
            .status(),
        404
    );
}
