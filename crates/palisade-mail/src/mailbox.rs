//! The local mailbox: `.eml` files in a directory. Files are 0600 and the directory 0700: they hold
//! email addresses.
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use base64::Engine;
use chrono::Utc;

use crate::{Delivery, Mail, MailError};

#[derive(Debug)]
pub(crate) struct Mailbox {
    dir: PathBuf,
}

/// Line breaks and controls removed so no value can add headers; non-ASCII text becomes an RFC 2047
/// encoded word.
fn header(value: &str) -> String {
    let value: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if value.is_ascii() {
        value
    } else {
        format!(
            "=?utf-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(value)
        )
    }
}

impl Mailbox {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub(crate) fn write(&self, from: &str, to: &[&str], mail: &Mail) -> Result<Delivery, MailError> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let now = Utc::now();
        let mut name = format!("{}", now.format("%Y%m%dT%H%M%S%.6fZ"));
        if let Some(key) = &mail.idempotency_key {
            let safe: String = key
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(120)
                .collect();
            name.push('-');
            name.push_str(&safe);
        }
        let path = self.dir.join(format!("{name}.eml"));
        let to_header = if to.is_empty() {
            // Nobody to write to: the file still records that the message was due.
            "undisclosed-recipients:;".to_owned()
        } else {
            to.join(", ")
        };
        let text = format!(
            "From: {from}\r\nTo: {to_header}\r\nSubject: {subject}\r\nDate: {date}\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
            from = header(from),
            subject = header(&mail.subject),
            date = now.to_rfc2822(),
            body = mail.text,
        );
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        // The directory entry too: callers commit their bookkeeping after this returns.
        fs::File::open(&self.dir)?.sync_all()?;
        tracing::info!(file = %path.display(), recipients = to.len(), "mail written to the local mailbox");
        Ok(Delivery {
            recipients: to.len(),
            reference: path.display().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::header;

    #[test]
    fn headers_cannot_be_injected_and_non_ascii_is_encoded() {
        assert_eq!(header("Plain\r\nBcc: x"), "Plain  Bcc: x");
        assert!(header("Fuite de données").starts_with("=?utf-8?B?"));
    }
}
