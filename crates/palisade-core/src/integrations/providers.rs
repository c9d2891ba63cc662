//! What each provider's integration holds: its non-secret settings and its secrets, with the shape
//! each value must have. Shapes are checked loosely (prefix, length, alphabet) so that a pasted
//! value from the wrong field or with a stray space is caught, without guessing at formats the
//! providers do not document as fixed. Messages name the field, never the value.
use std::fmt;

use serde::Serialize;
use utoipa::ToSchema;

use crate::CoreError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Twilio,
    Sendgrid,
    Resend,
    Meta,
    Stripe,
    Hubspot,
    Openai,
}

impl Provider {
    pub const ALL: [Provider; 7] = [
        Self::Twilio,
        Self::Sendgrid,
        Self::Resend,
        Self::Meta,
        Self::Stripe,
        Self::Hubspot,
        Self::Openai,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Twilio => "twilio",
            Self::Sendgrid => "sendgrid",
            Self::Resend => "resend",
            Self::Meta => "meta",
            Self::Stripe => "stripe",
            Self::Hubspot => "hubspot",
            Self::Openai => "openai",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The settings and then the secrets a form for this provider asks for, with what each must
    /// look like (the first secret is the one shown by its last four characters).
    pub fn fields(self) -> (Vec<FieldHelp>, Vec<FieldHelp>) {
        let help = |fields: &'static [Field]| {
            fields
                .iter()
                .map(|f| FieldHelp {
                    name: f.name,
                    required: f.required,
                    shape: f.shape.describe(),
                })
                .collect()
        };
        let spec = self.spec();
        (help(spec.config), help(spec.secrets))
    }

    pub(crate) fn spec(self) -> &'static Spec {
        match self {
            Self::Twilio => &TWILIO,
            Self::Sendgrid => &SENDGRID,
            Self::Resend => &RESEND,
            Self::Meta => &META,
            Self::Stripe => &STRIPE,
            Self::Hubspot => &HUBSPOT,
            Self::Openai => &OPENAI,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field of a provider's form, for people: its name, whether it is required, and the shape its
/// value must have, in words.
#[derive(Debug, Clone)]
pub struct FieldHelp {
    pub name: &'static str,
    pub required: bool,
    pub shape: String,
}

/// The shape of one value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// A fixed prefix, then letters, digits, `_`, `-`, `.`, `=`, `+` or `/` (base64 secrets such as
    /// Svix's `whsec_…`); total length within bounds.
    Token {
        prefix: &'static str,
        min: usize,
        max: usize,
    },
    /// Exactly this many hexadecimal digits after a prefix.
    Hex { prefix: &'static str, len: usize },
    /// Only digits, 1 to 30 of them (account and phone-number ids).
    Digits,
    /// Base64 text of a DER public key (SendGrid's event webhook key).
    PublicKey,
    /// A phone number in E.164 form: `+` and 8 to 15 digits.
    E164,
    /// An email address (the sender of a tenant's mail).
    Email,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// An `https://` address (or `http://` to this machine, for a model served locally), without
    /// credentials, query or fragment.
    Url,
    /// A model name: letters, digits and `-_.:/`, 1 to 100 of them.
    Model,
}

impl Shape {
    fn accepts(self, v: &str) -> bool {
        let plain = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'=' | b'+' | b'/'))
        };
        match self {
            Shape::Token { prefix, min, max } => {
                (min..=max).contains(&v.len()) && v.starts_with(prefix) && plain(v)
            }
            Shape::Hex { prefix, len } => v
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.len() == len && rest.bytes().all(|b| b.is_ascii_hexdigit())),
            Shape::Digits => (1..=30).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()),
            Shape::Email => crate::validate::email(v).is_ok_and(|e| e.as_str() == v),
            Shape::E164 => v
                .strip_prefix('+')
                .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())),
            Shape::OneOf(words) => words.contains(&v),
            Shape::Url => {
                let local = |host: &str| {
                    v.strip_prefix(host)
                        .filter(|r| r.is_empty() || r.starts_with([':', '/']))
                };
                let rest = v
                    .strip_prefix("https://")
                    .or_else(|| local("http://127.0.0.1"))
                    .or_else(|| local("http://localhost"));
                (12..=300).contains(&v.len())
                    && rest.is_some_and(|r| {
                        r.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'/' | b'_')
                        })
                    })
            }
            Shape::Model => {
                (1..=100).contains(&v.len())
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/'))
            }
            Shape::PublicKey => {
                (40..=600).contains(&v.len())
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            }
        }
    }

    fn describe(self) -> String {
        match self {
            Shape::Token { prefix: "", min, max } => format!("{min}-{max} characters without spaces"),
            Shape::Token { prefix, min, max } => {
                format!("{min}-{max} characters starting with `{prefix}`, without spaces")
            }
            Shape::Hex { prefix: "", len } => format!("{len} hexadecimal digits"),
            Shape::Hex { prefix, len } => format!("`{prefix}` and {len} hexadecimal digits"),
            Shape::Digits => "digits only".into(),
            Shape::PublicKey => "the base64 public key the provider shows".into(),
            Shape::E164 => "a phone number in E.164 form, like +14155550100".into(),
            Shape::Email => "an email address".into(),
            Shape::OneOf(words) => format!("one of {}", words.join(", ")),
            Shape::Url => "an https:// address up to the API version, like https://api.openai.com/v1".into(),
            Shape::Model => "a model name: letters, digits and - _ . : /".into(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub required: bool,
    pub shape: Shape,
}

/// A provider's settings and secrets. The first secret is the one whose last four characters are
/// shown.
#[derive(Debug)]
pub(crate) struct Spec {
    pub config: &'static [Field],
    pub secrets: &'static [Field],
}

const fn field(name: &'static str, required: bool, shape: Shape) -> Field {
    Field {
        name,
        required,
        shape,
    }
}

const fn token(prefix: &'static str, min: usize, max: usize) -> Shape {
    Shape::Token { prefix, min, max }
}

static TWILIO: Spec = Spec {
    config: &[
        field(
            "account_sid",
            true,
            Shape::Hex {
                prefix: "AC",
                len: 32,
            },
        ),
        // The numbers messages are sent from (and inbound messages must be sent to), E.164.
        field("sms_number", false, Shape::E164),
        field("whatsapp_number", false, Shape::E164),
        field(
            "messaging_service_sid",
            false,
            Shape::Hex {
                prefix: "MG",
                len: 32,
            },
        ),
    ],
    secrets: &[field("auth_token", true, Shape::Hex { prefix: "", len: 32 })],
};
static SENDGRID: Spec = Spec {
    config: &[
        field("event_webhook_public_key", false, Shape::PublicKey),
        field("from_email", false, Shape::Email),
    ],
    secrets: &[field("api_key", true, token("SG.", 20, 200))],
};
static RESEND: Spec = Spec {
    config: &[field("from_email", false, Shape::Email)],
    secrets: &[
        field("api_key", true, token("re_", 10, 200)),
        field("webhook_secret", false, token("whsec_", 16, 200)),
    ],
};
static META: Spec = Spec {
    config: &[
        field("phone_number_id", false, Shape::Digits),
        field("business_account_id", false, Shape::Digits),
    ],
    secrets: &[
        field("access_token", true, token("", 20, 2000)),
        field("app_secret", true, Shape::Hex { prefix: "", len: 32 }),
        field("verify_token", false, token("", 8, 200)),
    ],
};
static STRIPE: Spec = Spec {
    config: &[],
    secrets: &[
        field("webhook_secret", true, token("whsec_", 16, 200)),
        field("api_key", false, token("", 20, 300)),
    ],
};
static HUBSPOT: Spec = Spec {
    config: &[
        field("app_id", false, Shape::Digits),
        // Events of another HubSpot account are not this tenant's (they are ignored).
        field("portal_id", false, Shape::Digits),
        // v3 unless the app's webhooks are set up with v1 or v2 signatures (which sign no time).
        field("signature_version", false, Shape::OneOf(&["v1", "v2", "v3"])),
    ],
    secrets: &[
        field("client_secret", true, token("", 16, 200)),
        field("access_token", false, token("pat-", 20, 300)),
    ],
};
static OPENAI: Spec = Spec {
    config: &[
        field("organization", false, token("org-", 8, 100)),
        // Any OpenAI-compatible API the operator allows (`ai.allowed_base_urls`); default the
        // operator's `ai.base_url`.
        field("base_url", false, Shape::Url),
        // Default the operator's `ai.model`.
        field("model", false, Shape::Model),
    ],
    secrets: &[field("api_key", true, token("sk-", 20, 300))],
};

/// Checks one group of values (`config` or `secrets`) against its fields: no unknown names, every
/// required one present, every value of the right shape.
pub(crate) fn check<'a>(
    provider: Provider,
    group: &str,
    fields: &[Field],
    values: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), CoreError> {
    let mut seen = Vec::new();
    for (name, value) in values {
        let Some(f) = fields.iter().find(|f| f.name == name) else {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err(CoreError::invalid(
                "unknown_field",
                format!(
                    "{provider} {group} has no field `{}`; it takes: {}",
                    name.chars().take(40).collect::<String>(),
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        if !f.shape.accepts(value) {
            return Err(CoreError::invalid(
                "invalid_field",
                format!("{provider} {group}.{name} must be {}", f.shape.describe()),
            ));
        }
        seen.push(name);
    }
    if let Some(missing) = fields.iter().find(|f| f.required && !seen.contains(&f.name)) {
        return Err(CoreError::invalid(
            "invalid_field",
            format!("{provider} {group}.{} is required", missing.name),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_provider_parses_and_names_a_shown_secret() {
        for p in Provider::ALL {
            assert_eq!(Provider::parse(p.as_str()), Some(p));
            let first = &p.spec().secrets[0];
            assert!(first.required, "{p}: the shown secret is required");
        }
        assert_eq!(Provider::parse("Twilio"), None);
    }

    #[test]
    fn shapes_catch_pasting_mistakes_and_never_echo_values() {
        let hex = "0123456789abcdef0123456789abcdef";
        let ok = [("auth_token", hex)];
        check(Provider::Twilio, "secrets", TWILIO.secrets, ok.into_iter()).unwrap();
        for bad in [
            " 0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcde",
            "zz23456789abcdef0123456789abcdef",
        ] {
            let err = check(
                Provider::Twilio,
                "secrets",
                TWILIO.secrets,
                [("auth_token", bad)].into_iter(),
            )
            .unwrap_err();
            assert!(!err.to_string().contains(bad.trim()), "{err}");
        }
        let err = check(Provider::Twilio, "secrets", TWILIO.secrets, std::iter::empty()).unwrap_err();
        assert!(err.to_string().contains("auth_token is required"), "{err}");
        let err = check(
            Provider::Twilio,
            "secrets",
            TWILIO.secrets,
            [("password", "x")].into_iter(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("takes: auth_token"), "{err}");
        assert!(Shape::Hex {
            prefix: "AC",
            len: 32
        }
        .accepts(&format!("AC{hex}")));
        assert!(token("SG.", 20, 200).accepts("SG.abcdefghijklmnopqrstuvwxyz.0123"));
        assert!(!token("SG.", 20, 200).accepts("sk-abcdefghijklmnopqrstuvwxyz"));
        assert!(Shape::Url.accepts("https://api.openai.com/v1"));
        assert!(Shape::Url.accepts("http://127.0.0.1:11434/v1"));
        for bad in [
            "http://example.com/v1",
            "http://127.0.0.1.evil.io/v1",
            "https://user:pw@x.io/v1",
            "https://x.io/v1?a=b",
            "ftp://x.io/v1",
        ] {
            assert!(!Shape::Url.accepts(bad), "{bad}");
        }
        assert!(Shape::Model.accepts("llama3.1:8b") && !Shape::Model.accepts("gpt 4"));
    }
}
