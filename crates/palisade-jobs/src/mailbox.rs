//! The local mailbox: until a mail transport exists (the sign-in issue brings SMTP and Resend), mail
//! is written as `.eml` files into a directory, never dropped. Files are 0600 and the directory
//! 0700: they hold email addresses.
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

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

    /// Header values come from our own records; line breaks are removed so no value can add headers.
    fn header(value: &str) -> String {
        value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect()
    }

    pub fn incident_notice(&self, notice: &Notice) -> std::io::Result<PathBuf> {
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
        let to = if notice.recipients.is_empty() {
            // No active admin: the file still records that the notice was due.
            "undisclosed-recipients:;".to_owned()
        } else {
            notice
                .recipients
                .iter()
                .map(|r| Self::header(r))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let body = format!(
            "From: Palisade <no-reply@palisade.invalid>\r\nTo: {to}\r\nSubject: [Palisade] Security incident: {subject}\r\n\
             Date: {date}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             We are notifying the administrators of {tenant} about a security incident that may affect your data.\r\n\r\n\
             Severity: {severity}\r\nDeclared: {declared}\r\n\r\n{description}\r\n",
            subject = Self::header(&notice.title),
            date = Utc::now().to_rfc2822(),
            tenant = Self::header(&notice.tenant_name),
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
        Ok(path)
    }
}
