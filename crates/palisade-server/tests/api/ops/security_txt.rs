//! `/.well-known/security.txt` (RFC 9116) from `[security_txt]`; absent when unconfigured.
use palisade_server::security_txt::SecurityTxtSettings;
use palisade_testkit::{spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn security_txt_says_where_to_report_and_until_when() {
    let app = spawn_app_with(|c| {
        c.security_txt = SecurityTxtSettings {
            contact: vec!["mailto:security@palisade.test".into()],
            expires: Some("2027-12-01T00:00:00Z".parse().unwrap()),
            policy: Some("https://palisade.test/disclosure".into()),
            preferred_languages: Some("en".into()),
            ..Default::default()
        };
    })
    .await;
    let response = app
        .client
        .get(app.url("/.well-known/security.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
    let text = response.text().await.unwrap();
    assert!(
        text.starts_with("Contact: mailto:security@palisade.test\n"),
        "{text}"
    );
    assert!(text.contains("Expires: 2027-12-01T00:00:00Z\n"), "{text}");
    assert!(
        text.contains("Policy: https://palisade.test/disclosure\n"),
        "{text}"
    );
    assert!(text.contains("Preferred-Languages: en\n"), "{text}");

    let unconfigured = spawn_app().await;
    let absent = unconfigured
        .client
        .get(unconfigured.url("/.well-known/security.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
}
