//! Outgoing mail. Two transports: a local mailbox directory (the development default: every message
//! is written as an `.eml` file, never dropped) and the Resend HTTP API (base URL configurable, so tests
//! point it at a fake server), or SMTP (lettre; TLS required unless the server is on this machine).
mod mailbox;
mod resend;
mod smtp;

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

/// A plain-text message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    /// Lets a transport drop a repeat of the same message (Resend's `Idempotency-Key`).
    pub idempotency_key: Option<String>,
}

/// What happened to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Recipients it was addressed to (unsafe addresses are left out).
    pub recipients: usize,
    /// Where it went: the mailbox file, or the provider's message id.
    pub reference: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mailbox: {0}")]
    Mailbox(#[from] std::io::Error),
    /// The provider could not be reached (no details: the URL could carry a key in a misconfiguration).
    #[error("mail provider unreachable")]
    Unreachable,
    #[error("mail provider answered HTTP {0}")]
    Rejected(u16),
    #[error("mail configuration: {0}")]
    Config(String),
}

enum Transport {
    Mailbox(mailbox::Mailbox),
    Resend(resend::Resend),
    Smtp(smtp::Smtp),
}

/// Sends mail through the configured transport. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    from: String,
    transport: std::sync::Arc<Transport>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match *self.transport {
            Transport::Mailbox(_) => "mailbox",
            Transport::Resend(_) => "resend",
            Transport::Smtp(_) => "smtp",
        };
        f.debug_struct("Mailer").field("transport", &kind).finish()
    }
}

impl Mailer {
    /// Writes every message into `dir` (created 0700; files 0600).
    pub fn mailbox(dir: PathBuf, from: &str) -> Self {
        Self {
            from: from.to_owned(),
            transport: std::sync::Arc::new(Transport::Mailbox(mailbox::Mailbox::new(dir))),
        }
    }

    /// Sends through Resend's `POST {base_url}/emails`.
    pub fn resend(base_url: &str, api_key: SecretString, from: &str) -> Result<Self, MailError> {
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(MailError::Config(
                "mail.resend_base_url must be an http(s) URL".into(),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|_| MailError::Config("cannot build the HTTP client".into()))?;
        Ok(Self {
            from: from.to_owned(),
            transport: std::sync::Arc::new(Transport::Resend(resend::Resend::new(
                base_url.trim_end_matches('/').to_owned(),
                api_key,
                client,
            ))),
        })
    }

    /// Sends through an SMTP server (`smtps://`, or `smtp://…?tls=required`; plain `smtp://` only to
    /// localhost).
    pub fn smtp(url: &SecretString, from: &str) -> Result<Self, MailError> {
        Ok(Self {
            from: from.to_owned(),
            transport: std::sync::Arc::new(Transport::Smtp(smtp::Smtp::new(url)?)),
        })
    }

    /// True for the local mailbox (nothing leaves the machine).
    pub fn is_local(&self) -> bool {
        matches!(*self.transport, Transport::Mailbox(_))
    }

    pub async fn send(&self, mail: &Mail) -> Result<Delivery, MailError> {
        let to = deliverable(&mail.to);
        match &*self.transport {
            Transport::Mailbox(m) => m.write(&self.from, &to, mail),
            Transport::Resend(r) => {
                if to.is_empty() {
                    // Nobody safe to send to: nothing to hand to the provider.
                    return Ok(Delivery {
                        recipients: 0,
                        reference: String::new(),
                    });
                }
                r.send(&self.from, &to, mail).await
            }
            Transport::Smtp(s) => s.send(&self.from, &to, mail).await,
        }
    }
}

/// Addresses are only loosely checked where users are created; one that could add recipients or break
/// a header (`,`, `;`, `<`, `>`, quotes, backslash, spaces, controls, non-ASCII) is left out.
pub fn deliverable(recipients: &[String]) -> Vec<&str> {
    recipients
        .iter()
        .map(String::as_str)
        .filter(|a| {
            a.contains('@')
                && a.is_ascii()
                && !a.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"' | '\\')
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::deliverable;

    #[test]
    fn addresses_that_could_add_recipients_or_headers_are_left_out() {
        let r: Vec<String> = [
            "ok@a.test",
            "x@a.test, evil@b.test",
            "y@a.test\r\nBcc: z@c.test",
            "<w@a.test>",
            "nope",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(deliverable(&r), vec!["ok@a.test"]);
    }
}
