//! My sessions: a person sees their sessions and signs any of them out, never someone else's.
use super::{location, page, post_form};
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn a_person_lists_their_sessions_and_signs_others_out() {
    let app = palisade_testkit::spawn_app().await;
    let (laptop, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let (phone, _) = browser_sign_in(&app, "rep-a1@a.test").await;
    // (rep A2 has a second factor, which would hold their session at the code page.)
    let (other_person, _) = browser_sign_in(&app, "manager-a@a.test").await;
    let html = page(&app, &laptop, "/me/sessions").await.text().await.unwrap();
    assert!(
        html.contains("this one") && html.matches("/end\"").count() >= 1,
        "{html}"
    );

    // Someone else's session id is "not found", and stays signed in.
    let su = app.db.superuser().await;
    let theirs: uuid::Uuid = su
        .query_one(
            "select id from auth.sessions where user_id = $1 and ended_at is null order by created_at desc limit 1",
            &[&app.world().manager_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    let r = post_form(
        &app,
        &laptop,
        &format!("/me/sessions/{theirs}/end"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(page(&app, &other_person, "/app").await.status(), 303);
    assert!(location(&page(&app, &other_person, "/app").await).starts_with("/t/"));

    // Everywhere else: the phone is signed out, this browser is not.
    let r = post_form(&app, &laptop, "/me/sessions/end-others", &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), "/me/sessions?ended=1");
    assert_eq!(location(&page(&app, &phone, "/app").await), "/sign-in");
    assert!(location(&page(&app, &laptop, "/app").await).starts_with("/t/"));
}
