//! The local mailbox: until a mail transport exists (the sign-in issue brings SMTP and Resend), mail
//! is written as `.eml` files into a directory, never dropped. Files are 0600 and the directory
//! 0700: they hold email addresses.
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use base64::Engine;
use chrono::Utc;
use palisade_core::audit::incidents::Notice;

#[derive(Debug, Clone)]
pub struct Mailbox {
    dir: PathBuf,
}

impl Mailbox {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Header values come from our own records; line breaks are removed so no value can add headers,
    /// and non-ASCII text becomes an RFC 2047 encoded word.
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

    /// Addresses are only loosely checked where users are created; one that could add recipients or
    /// break the header (`,`, `;`, `<`, `>`, quotes, spaces, controls, non-ASCII) is left out.
    fn plain_address(address: &str) -> bool {
        address.contains('@')
            && address.is_ascii()
            && !address.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"' | '\\')
            })
    }

    /// The recipients of a notice that can safely be written into a `To:` header.
    pub fn deliverable(recipients: &[String]) -> Vec<&str> {
        recipients
            .iter()
            .map(String::as_str)
            .filter(|a| Self::plain_address(a))
            .collect()
    }

    /// Writes the notice; returns its path and how many recipients it is addressed to.
    pub fn incident_notice(&self, notice: &Notice) -> std::io::Result<(PathBuf, usize)> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let name = format!(
            "{}-incident-{}-{}.eml",
            Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
            notice.incident_id,
            notice.tenant_id
        );
        let path = self.dir.join(name);
        let recipients = Self::deliverable(&notice.recipients);
        let to = if recipients.is_empty() {
            // Nobody to write to: the file still records that the notice was due, and the incident
            // shows as overdue once the deadline passes.
            "undisclosed-recipients:;".to_owned()
        } else {
            recipients.join(", ")
        };
        let body = format!(
            "From: Palisade <no-reply@palisade.invalid>\r\nTo: {to}\r\nSubject: {subject}\r\n\
             Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             We are notifying the administrators of {tenant} about a security incident that may affect your data.\r\n\r\n\
             Severity: {severity}\r\nDeclared: {declared}\r\n\r\n{description}\r\n",
            subject = Self::header(&format!("[Palisade] Security incident: {}", notice.title)),
            date = Utc::now().to_rfc2822(),
            tenant = notice.tenant_name,
            severity = notice.severity,
            declared = notice.declared_at.to_rfc3339(),
            description = notice.description,
        );
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(body.as_bytes())?;
        file.sync_all()?;
        // The directory entry too: the claim commits after this returns.
        fs::File::open(&self.dir)?.sync_all()?;
        Ok((path, recipients.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::Mailbox;

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
        assert_eq!(Mailbox::deliverable(&r), vec!["ok@a.test"]);
        assert_eq!(Mailbox::header("Plain\r\nBcc: x"), "Plain  Bcc: x");
        assert!(Mailbox::header("Fuite de données").starts_with("=?utf-8?B?"));
    }
}
