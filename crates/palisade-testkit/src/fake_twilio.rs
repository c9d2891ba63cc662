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

/// How the fake Twilio API answers the next message requests (then it accepts).
#[derive(Debug, Clone, Copy)]
pub enum TwilioReply {
    /// 201 with a new `SM…` sid.
    Accept,
    /// This status with Twilio's error body (and `Retry-After: 0` on 429).
    Status(u16),
    /// No answer for this long (past the client's timeout).
    Hang(std::time::Duration),
}

/// A message the fake Twilio API received.
#[derive(Debug, Clone)]
pub struct SentText {
    pub account_sid: String,
    pub to: String,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
    pub body: String,
    pub status_callback: Option<String>,
}

#[derive(Clone, Default)]
struct ApiShared {
    credentials: Arc<Mutex<Option<(String, String)>>>,
    script: Arc<Mutex<std::collections::VecDeque<TwilioReply>>>,
    sent: Arc<Mutex<Vec<SentText>>>,
    requests: Arc<Mutex<u32>>,
}

/// A fake of Twilio's Messages API on 127.0.0.1: checks the account's basic auth, records what it
/// is asked to send, and answers as scripted.
pub struct FakeTwilioApi {
    pub base_url: String,
    shared: ApiShared,
    _server: tokio::task::JoinHandle<()>,
}

use std::sync::{Arc, Mutex};

async fn create_message(
    axum::extract::State(shared): axum::extract::State<ApiShared>,
    axum::extract::Path(account): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    *shared.requests.lock().unwrap() += 1;
    let expected = shared.credentials.lock().unwrap().clone();
    let authorized = expected.is_some_and(|(sid, token)| {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{sid}:{token}"));
        sid == account
            && headers.get("authorization").and_then(|v| v.to_str().ok())
                == Some(format!("Basic {basic}").as_str())
    });
    if !authorized {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            axum::Json(json!({"code": 20003, "message": "Authenticate"})),
        )
            .into_response();
    }
    let reply = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(TwilioReply::Accept);
    match reply {
        TwilioReply::Hang(d) => {
            tokio::time::sleep(d).await;
            (axum::http::StatusCode::GATEWAY_TIMEOUT, "late").into_response()
        }
        TwilioReply::Status(code) => {
            let status = axum::http::StatusCode::from_u16(code).unwrap();
            let body = axum::Json(json!({"code": 20500, "message": "fake failure", "status": code}));
            if code == 429 {
                (status, [("retry-after", "0")], body).into_response()
            } else {
                (status, body).into_response()
            }
        }
        TwilioReply::Accept => {
            let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let mut sent = shared.sent.lock().unwrap();
            sent.push(SentText {
                account_sid: account,
                to: get("To").unwrap_or_default(),
                from: get("From"),
                messaging_service_sid: get("MessagingServiceSid"),
                body: get("Body").unwrap_or_default(),
                status_callback: get("StatusCallback"),
            });
            let sid = format!("SM{:032x}", sent.len());
            (
                axum::http::StatusCode::CREATED,
                axum::Json(json!({"sid": sid, "status": "queued"})),
            )
                .into_response()
        }
    }
}

impl FakeTwilioApi {
    pub async fn start() -> Self {
        let shared = ApiShared::default();
        let app = axum::Router::new()
            .route(
                "/2010-04-01/Accounts/{account}/Messages.json",
                axum::routing::post(create_message),
            )
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url,
            shared,
            _server: server,
        }
    }

    /// Accepts requests authenticated as this account only.
    pub fn account(&self, sender: &TwilioSender) {
        *self.shared.credentials.lock().unwrap() =
            Some((sender.account_sid.clone(), sender.auth_token.clone()));
    }

    /// The next requests' answers, in order (then it accepts).
    pub fn script(&self, replies: &[TwilioReply]) {
        self.shared.script.lock().unwrap().extend(replies.iter().copied());
    }

    pub fn sent(&self) -> Vec<SentText> {
        self.shared.sent.lock().unwrap().clone()
    }

    /// Requests received, answered or not.
    pub fn requests(&self) -> u32 {
        *self.shared.requests.lock().unwrap()
    }
}
