//! The operator's `[security_txt]` settings and the file they make: `/.well-known/security.txt`
//! (RFC 9116), where to report a vulnerability. Unconfigured, the file is absent (404) rather than
//! pointing at nobody.
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

/// The operator's `[security_txt]` settings (`PALISADE_SECURITY_TXT__…`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityTxtSettings {
    /// Where to report, most preferred first: `mailto:`, `https://` or `tel:` URIs. Empty: no file.
    pub contact: Vec<String>,
    /// When the file's content is to be considered stale (RFC 3339; RFC 9116 asks for less than a
    /// year ahead). Required with `contact`.
    pub expires: Option<DateTime<Utc>>,
    /// A key for encrypted reports (`https://` URI, or `openpgp4fpr:`).
    pub encryption: Option<String>,
    /// The disclosure policy (`https://`).
    pub policy: Option<String>,
    /// Where reporters are thanked (`https://`).
    pub acknowledgments: Option<String>,
    /// Languages reports may be written in (`en, de`).
    pub preferred_languages: Option<String>,
}

impl SecurityTxtSettings {
    /// Checks the settings at start; the message names the setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.contact.is_empty() {
            return match self.expires {
                Some(_) => Err("security_txt.expires is set without security_txt.contact".into()),
                None => Ok(()),
            };
        }
        for contact in &self.contact {
            if !uri(contact, &["mailto:", "https://", "tel:"]) {
                return Err(format!(
                    "security_txt.contact entries are mailto:, https:// or tel: URIs (not {contact:?})"
                ));
            }
        }
        if self.expires.is_none() {
            return Err("security_txt.expires is required with security_txt.contact (RFC 9116)".into());
        }
        let https = [
            ("policy", &self.policy),
            ("acknowledgments", &self.acknowledgments),
        ];
        for (name, value) in https {
            if value.as_deref().is_some_and(|v| !uri(v, &["https://"])) {
                return Err(format!("security_txt.{name} must be an https:// URI"));
            }
        }
        if let Some(e) = &self.encryption {
            if !uri(e, &["https://", "openpgp4fpr:", "dns:"]) {
                return Err("security_txt.encryption must be an https://, openpgp4fpr: or dns: URI".into());
            }
        }
        if self.preferred_languages.as_deref().is_some_and(|l| !one_line(l)) {
            return Err("security_txt.preferred_languages must be one line".into());
        }
        Ok(())
    }

    /// The file, or `None` when unconfigured. `canonical` is where it is served from (https only).
    pub fn render(&self, canonical: Option<&str>) -> Option<String> {
        let expires = self.expires?;
        if self.contact.is_empty() {
            return None;
        }
        let mut lines: Vec<String> = self.contact.iter().map(|c| format!("Contact: {c}")).collect();
        lines.push(format!(
            "Expires: {}",
            expires.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
        let optional = [
            ("Encryption", &self.encryption),
            ("Policy", &self.policy),
            ("Acknowledgments", &self.acknowledgments),
            ("Preferred-Languages", &self.preferred_languages),
        ];
        for (field, value) in optional {
            if let Some(v) = value {
                lines.push(format!("{field}: {v}"));
            }
        }
        if let Some(url) = canonical.filter(|u| u.starts_with("https://")) {
            lines.push(format!("Canonical: {url}"));
        }
        Some(lines.join("\n") + "\n")
    }
}

/// One line of visible text: no control character, no line or paragraph separator, no space at
/// all (every field here is a URI but the languages, which `languages_ok` checks).
fn one_line(value: &str) -> bool {
    !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
}

/// A URI of one of `schemes` with something after the scheme, and no white space.
fn uri(value: &str, schemes: &[&str]) -> bool {
    one_line(value)
        && !value.chars().any(char::is_whitespace)
        && schemes
            .iter()
            .any(|s| value.strip_prefix(s).is_some_and(|rest| !rest.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SecurityTxtSettings {
        SecurityTxtSettings {
            contact: vec![
                "mailto:security@example.com".into(),
                "https://example.com/report".into(),
            ],
            expires: Some("2027-06-30T00:00:00Z".parse().unwrap()),
            policy: Some("https://example.com/disclosure".into()),
            preferred_languages: Some("en, de".into()),
            ..Default::default()
        }
    }

    #[test]
    fn renders_the_fields_rfc_9116_names() {
        let text = settings()
            .render(Some("https://palisade.example.com/.well-known/security.txt"))
            .unwrap();
        assert_eq!(
            text,
            "Contact: mailto:security@example.com\nContact: https://example.com/report\n\
             Expires: 2027-06-30T00:00:00Z\nPolicy: https://example.com/disclosure\n\
             Preferred-Languages: en, de\n\
             Canonical: https://palisade.example.com/.well-known/security.txt\n"
        );
        assert!(SecurityTxtSettings::default().render(None).is_none());
        let plain = settings()
            .render(Some("http://127.0.0.1:8080/.well-known/security.txt"))
            .unwrap();
        assert!(!plain.contains("Canonical"), "only an https address is canonical");
    }

    #[test]
    fn refuses_what_would_break_the_file() {
        assert!(settings().validate().is_ok());
        assert!(SecurityTxtSettings::default().validate().is_ok());
        let mut s = settings();
        s.expires = None;
        assert!(s.validate().unwrap_err().contains("expires"));
        let mut s = settings();
        s.contact = vec!["security@example.com".into()];
        assert!(s.validate().unwrap_err().contains("contact"));
        let mut s = settings();
        s.contact = vec!["mailto:a@b.c\nContact: mailto:evil@x.y".into()];
        assert!(s.validate().is_err(), "no line breaks smuggled into the file");
        let mut s = settings();
        s.policy = Some("http://example.com".into());
        assert!(s.validate().unwrap_err().contains("policy"));
        for bad in ["https://", "https://a b", "mailto:a@b.c\u{2028}x"] {
            let mut s = settings();
            s.contact = vec![bad.into()];
            assert!(s.validate().is_err(), "{bad:?}");
        }
    }
}
