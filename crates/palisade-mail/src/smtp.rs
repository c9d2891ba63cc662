//! SMTP through lettre. The URL (`smtp://`, `smtps://`, `?tls=required` for STARTTLS) may carry a
//! password, so it is a secret and never appears in errors or logs.
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox as Address;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use crate::{Delivery, Mail, MailError};

pub(crate) struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

/// True when the URL asks for TLS (implicit `smtps://`, or STARTTLS required) or stays on this machine.
fn protected(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("smtps://") || lower.contains("tls=required") {
        return true;
    }
    let host = lower
        .trim_start_matches("smtp://")
        .rsplit('@')
        .next()
        .unwrap_or("")
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

impl Smtp {
    pub(crate) fn new(url: &SecretString) -> Result<Self, MailError> {
        let url = url.expose_secret();
        if !protected(url) {
            return Err(MailError::Config(
                "mail.smtp_url sends in plain text to another host; use smtps:// or ?tls=required".into(),
            ));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| MailError::Config("mail.smtp_url is not a valid smtp:// or smtps:// URL".into()))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        Ok(Self { transport })
    }

    pub(crate) async fn send(&self, from: &str, to: &[&str], mail: &Mail) -> Result<Delivery, MailError> {
        let from: Address = from
            .parse()
            .map_err(|_| MailError::Config("mail.from is not a valid address".into()))?;
        let mut builder = Message::builder().from(from).subject(mail.subject.clone());
        let mut recipients = 0;
        for address in to {
            if let Ok(a) = address.parse::<Address>() {
                builder = builder.to(a);
                recipients += 1;
            }
        }
        if recipients == 0 {
            return Ok(Delivery {
                recipients: 0,
                reference: String::new(),
            });
        }
        let message = builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())
            .map_err(|_| MailError::Config("the message could not be built".into()))?;
        let response = self.transport.send(message).await.map_err(|e| {
            if e.is_permanent() {
                MailError::Rejected(550)
            } else {
                MailError::Unreachable
            }
        })?;
        tracing::info!(recipients, "mail accepted by the SMTP server");
        Ok(Delivery {
            recipients,
            reference: response.message().collect::<Vec<_>>().join(" "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::protected;

    #[test]
    fn plain_text_smtp_is_only_accepted_on_this_machine() {
        assert!(protected("smtps://u:p@mail.example.com"));
        assert!(protected("smtp://mail.example.com:587?tls=required"));
        assert!(protected("smtp://127.0.0.1:2525"));
        assert!(protected("smtp://u:p@localhost:25"));
        assert!(!protected("smtp://u:p@mail.example.com:25"));
        assert!(!protected("smtp://127.0.0.1.evil.test:25"));
    }
}
