//! Twilio as Palisade's webhooks see it: it signs form posts with the account's auth token exactly
//! as Twilio does (`palisade_webhooks::twilio::sign_form`, itself checked against Twilio's published
//! vectors) and sends them to the server's webhook routes.
use reqwest::Response;
use serde_json::json;

use crate::app::TestApp;
use crate::world::Who;

pub struct TwilioSender {
    pub account_sid: String,
    pub auth_token: String,
    /// The tenant's SMS number (the `To` of inbound messages).
    pub number: String,
}

impl Default for TwilioSender {
    fn default() -> Self {
        Self::new()
    }
}

impl TwilioSender {
    pub fn new() -> Self {
        let hex = |n: usize| -> String {
            (0..n)
                .map(|_| char::from_digit(rand::random::<u32>() % 16, 16).unwrap())
                .collect()
        };
        Self {
            account_sid: format!("AC{}", hex(32)),
            auth_token: hex(32),
            number: "+15005550006".into(),
        }
    }

    /// Connects this account to the admin's tenant (through the API, as an admin would).
    pub async fn connect(&self, app: &TestApp, admin: Who) {
        let r = app
            .client
            .put(app.url("/api/v1/integrations/twilio"))
            .bearer_auth(app.token(admin).unwrap())
            .json(&json!({
                "config": {"account_sid": self.account_sid, "sms_number": self.number},
                "secrets": {"auth_token": self.auth_token},
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// Posts `params` to `path`, signed with `token` (the account's unless a test spoils it).
    pub async fn post_signed_with(
        &self,
        app: &TestApp,
        path: &str,
        params: &[(&str, &str)],
        token: &str,
    ) -> Response {
        let url = app.url(path);
        let owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signature = palisade_webhooks::twilio::sign_form(token.as_bytes(), &url, &owned);
        app.client
            .post(url)
            .header("x-twilio-signature", signature)
            .form(&owned)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, app: &TestApp, path: &str, params: &[(&str, &str)]) -> Response {
        self.post_signed_with(app, path, params, &self.auth_token).await
    }

    /// An inbound SMS from `from` to the tenant's number, as Twilio's messaging webhook sends it.
    pub async fn inbound_sms(
        &self,
        app: &TestApp,
        tenant: uuid::Uuid,
        sid: &str,
        from: &str,
        body: &str,
    ) -> Response {
        self.post(
            app,
            &format!("/webhooks/twilio/{tenant}/messages"),
            &[
                ("AccountSid", &self.account_sid),
                ("MessageSid", sid),
                ("SmsSid", sid),
                ("From", from),
                ("To", &self.number),
                ("Body", body),
                ("NumMedia", "0"),
                ("ApiVersion", "2010-04-01"),
            ],
        )
        .await
    }
}
