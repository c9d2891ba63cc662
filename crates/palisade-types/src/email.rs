//! An email address that exists only once parsed (trimmed, at most 320 characters, one `@`, a
//! dotted domain, no white space or control characters). Parsing is deliberately permissive beyond
//! that: the mail server is the judge of deliverability; this keeps junk and header tricks out.
use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("email is not a valid address")]
pub struct InvalidEmail;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, InvalidEmail> {
        // Counted as sent, in characters (the database's `char_length`), so that a schema's
        // `maxLength` says the same.
        let v = value.trim();
        let valid = value.chars().count() <= 320
            && v.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !v.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            Ok(Self(v.to_owned()))
        } else {
            Err(InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// An address is personal data: `Debug` (what logs and panics print) shows only its domain.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.rsplit_once('@').map_or("", |(_, d)| d);
        write!(f, "Email(…@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_checked() {
        assert_eq!(Email::parse("  a@b.co ").unwrap().as_str(), "a@b.co");
        for bad in [
            "",
            "a",
            "a@b",
            "@b.co",
            "a b@c.de",
            "a@.co",
            "a@co.",
            "x@corp.com@evil.com",
            "a@b.co\r\nBcc: x@y.z",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@b.co", "a".repeat(316))).is_err());
    }

    #[test]
    fn debug_does_not_show_the_local_part() {
        let shown = format!("{:?}", Email::parse("jane.doe@example.com").unwrap());
        assert!(!shown.contains("jane"), "{shown}");
    }
}
