//! Handing a message to its provider: Twilio (SMS, WhatsApp), Resend or SendGrid (email), at
//! configurable base URLs. A provider's answer is sorted into accepted, retry later, or refused for
//! good; nothing of the message or address reaches an error text.
use std::time::Duration;

use palisade_core::integrations::Secrets;
use palisade_core::messaging::delivery::{Address, Outgoing};
use palisade_core::messaging::Channel;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

/// Where the providers' APIs are (tests point them at fakes on 127.0.0.1).
#[derive(Debug, Clone)]
pub struct ProviderUrls {
    pub twilio: String,
    pub resend: String,
    pub sendgrid: String,
}

impl Default for ProviderUrls {
    fn default() -> Self {
        Self {
            twilio: "https://api.twilio.com".into(),
            resend: "https://api.resend.com".into(),
            sendgrid: "https://api.sendgrid.com".into(),
        }
    }
}

/// What came of one attempt.
#[derive(Debug)]
pub enum Attempt {
    Accepted {
        provider_message_id: String,
    },
    /// Worth trying again (a timeout, a 5xx, a 429), no sooner than `after` if the provider said.
    Retry {
        error: String,
        after: Option<Duration>,
    },
    /// Refused for good (a 4xx, a missing setting): retrying would not help.
    Refused {
        error: String,
    },
}

/// The tenant's settings and secrets for the provider a message goes through.
pub struct Account<'a> {
    pub provider: &'static str,
    pub config: &'a Value,
    pub secrets: &'a Secrets,
}

fn secret<'a>(account: &'a Account<'_>, name: &str) -> Option<&'a str> {
    account.secrets.get(name).map(ExposeSecret::expose_secret)
}

fn setting<'a>(account: &'a Account<'_>, name: &str) -> Option<&'a str> {
    account.config.get(name).and_then(Value::as_str)
}

fn refused(error: impl Into<String>) -> Attempt {
    Attempt::Refused { error: error.into() }
}

/// Sends one message. `status_callback` is where Twilio reports delivery.
pub async fn send(
    http: &reqwest::Client,
    urls: &ProviderUrls,
    account: &Account<'_>,
    message: &Outgoing,
    status_callback: &str,
) -> Attempt {
    match (message.channel, &message.to) {
        (Channel::Sms | Channel::Whatsapp, Address::Phone(to)) => {
            twilio(http, urls, account, message, to, status_callback).await
        }
        (Channel::Email, Address::Email(to)) if account.provider == "resend" => {
            resend(http, urls, account, message, to).await
        }
        (Channel::Email, Address::Email(to)) => sendgrid(http, urls, account, message, to).await,
        _ => refused("no_address: the channel and the address do not match"),
    }
}

async fn twilio(
    http: &reqwest::Client,
    urls: &ProviderUrls,
    account: &Account<'_>,
    message: &Outgoing,
    to: &str,
    status_callback: &str,
) -> Attempt {
    let (Some(sid), Some(token)) = (setting(account, "account_sid"), secret(account, "auth_token")) else {
        return refused("not_configured: twilio needs account_sid and auth_token");
    };
    let whatsapp = message.channel == Channel::Whatsapp;
    let prefix = if whatsapp { "whatsapp:" } else { "" };
    let mut form = vec![
        ("To", format!("{prefix}{to}")),
        ("Body", message.body.clone()),
        ("StatusCallback", status_callback.to_owned()),
    ];
    match (
        setting(account, if whatsapp { "whatsapp_number" } else { "sms_number" }),
        setting(account, "messaging_service_sid"),
    ) {
        (Some(from), _) => form.push(("From", format!("{prefix}{from}"))),
        (None, Some(service)) if !whatsapp => form.push(("MessagingServiceSid", service.to_owned())),
        _ => return refused("not_configured: twilio has no number to send from on this channel"),
    }
    let url = format!(
        "{}/2010-04-01/Accounts/{sid}/Messages.json",
        urls.twilio.trim_end_matches('/')
    );
    let request = http.post(url).basic_auth(sid, Some(token)).form(&form);
    answer(request.send().await, Id::Field("sid")).await
}

async fn resend(
    http: &reqwest::Client,
    urls: &ProviderUrls,
    account: &Account<'_>,
    message: &Outgoing,
    to: &str,
) -> Attempt {
    let (Some(key), Some(from)) = (secret(account, "api_key"), setting(account, "from_email")) else {
        return refused("not_configured: resend needs api_key and from_email");
    };
    let request = http
        .post(format!("{}/emails", urls.resend.trim_end_matches('/')))
        .bearer_auth(key)
        .json(&json!({"from": from, "to": [to], "subject": message.subject, "text": message.body}));
    answer(request.send().await, Id::Field("id")).await
}

async fn sendgrid(
    http: &reqwest::Client,
    urls: &ProviderUrls,
    account: &Account<'_>,
    message: &Outgoing,
    to: &str,
) -> Attempt {
    let (Some(key), Some(from)) = (secret(account, "api_key"), setting(account, "from_email")) else {
        return refused("not_configured: sendgrid needs api_key and from_email");
    };
    let request = http
        .post(format!("{}/v3/mail/send", urls.sendgrid.trim_end_matches('/')))
        .bearer_auth(key)
        .json(&json!({
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": from},
            "subject": message.subject,
            "content": [{"type": "text/plain", "value": message.body}],
        }));
    // SendGrid answers 202 with no body; its id is a header.
    answer(request.send().await, Id::Header("x-message-id")).await
}

/// Where a provider puts the id of the message it accepted.
enum Id {
    /// A string field of the JSON body.
    Field(&'static str),
    /// A response header (SendGrid answers 202 with no body).
    Header(&'static str),
}

/// Sorts a provider's answer.
async fn answer(sent: Result<reqwest::Response, reqwest::Error>, id: Id) -> Attempt {
    let response = match sent {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return Attempt::Retry {
                error: "provider_timeout".into(),
                after: None,
            }
        }
        Err(_) => {
            return Attempt::Retry {
                error: "provider_unreachable".into(),
                after: None,
            }
        }
    };
    let status = response.status();
    if status.is_success() {
        let found = match id {
            Id::Header(name) => response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            Id::Field(name) => response
                .json::<Value>()
                .await
                .ok()
                .and_then(|body| body.get(name).and_then(Value::as_str).map(str::to_owned)),
        };
        return match found {
            Some(id) if id.len() <= 100 => Attempt::Accepted {
                provider_message_id: id,
            },
            // Accepted, but with nothing to match status callbacks to: still sent.
            _ => Attempt::Accepted {
                provider_message_id: String::new(),
            },
        };
    }
    let after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs);
    let error = format!("provider_status_{}", status.as_u16());
    if status.as_u16() == 429 || status.is_server_error() || status.as_u16() == 408 {
        Attempt::Retry { error, after }
    } else {
        Attempt::Refused { error }
    }
}
