//! The draft form as typed, checked field by field, and what a refused send means in words.
use palisade_core::messaging::outbound::{NewMessage, EMAIL_MAX, SMS_MAX};
use palisade_core::messaging::{Channel, Purpose};
use palisade_core::private::drafts::{DraftChannel, DraftPatch, NewDraft};
use serde::Deserialize;
use uuid::Uuid;

pub const CHANNELS: [(&str, &str); 3] = [("sms", "SMS"), ("whatsapp", "WhatsApp"), ("email", "Email")];
pub const PURPOSES: [(&str, &str); 2] = [
    ("service", "Service (their business with you)"),
    ("marketing", "Marketing"),
];

pub fn channel_label(value: &str) -> &'static str {
    CHANNELS
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("Other", |(_, l)| l)
}

#[derive(Default, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub purpose: String,
    /// `save` or `send` (the button pressed).
    #[serde(default)]
    pub action: String,
    /// A new draft's lead.
    #[serde(default)]
    pub lead: String,
}

#[derive(Default)]
pub struct FormErrors {
    pub channel: Option<&'static str>,
    pub subject: Option<&'static str>,
    pub body: Option<&'static str>,
    pub purpose: Option<&'static str>,
}

/// A draft's limits (what `palisade_core::private::drafts` stores), in characters.
const SUBJECT_MAX: usize = 300;
const DRAFT_MAX: usize = 20_000;

/// What is wrong with a body: empty, longer than a draft holds, or (to be sent) longer than the
/// channel carries (the outbox's limits).
fn body_error(body: &str, channel: Option<DraftChannel>, sending: bool) -> Option<&'static str> {
    // Counted as stored: trimmed.
    let length = body.trim().chars().count();
    let limit = match channel {
        Some(DraftChannel::Email) => EMAIL_MAX,
        Some(_) => SMS_MAX,
        None => DRAFT_MAX,
    };
    if body.trim().is_empty() {
        Some("Write the message.")
    } else if length > DRAFT_MAX {
        Some("A draft holds at most 20,000 characters.")
    } else if sending && length > limit {
        Some(if limit == EMAIL_MAX {
            "An email can be at most 10,000 characters."
        } else {
            "A text can be at most 1,600 characters."
        })
    } else {
        None
    }
}

impl FormErrors {
    pub fn any(&self) -> bool {
        self.channel.is_some() || self.subject.is_some() || self.body.is_some() || self.purpose.is_some()
    }
}

/// The checked content of the form.
pub struct Checked {
    pub channel: DraftChannel,
    pub subject: Option<String>,
    pub body: String,
}

impl DraftForm {
    pub fn check(&self, sending: bool) -> Result<Checked, FormErrors> {
        let channel = match self.channel.as_str() {
            "sms" => Some(DraftChannel::Sms),
            "whatsapp" => Some(DraftChannel::Whatsapp),
            "email" => Some(DraftChannel::Email),
            _ => None,
        };
        let subject = Some(self.subject.trim().to_owned()).filter(|s| !s.is_empty());
        let is_email = channel == Some(DraftChannel::Email);
        let errors = FormErrors {
            channel: channel.is_none().then_some("Choose SMS, WhatsApp or email."),
            subject: if is_email && sending && subject.is_none() {
                Some("An email needs a subject.")
            } else if !is_email && subject.is_some() {
                Some("Only an email has a subject: clear it, or choose email.")
            } else if subject
                .as_deref()
                .is_some_and(|s| s.chars().count() > SUBJECT_MAX)
            {
                Some("A subject can be at most 300 characters.")
            } else {
                None
            },
            body: body_error(&self.body, channel, sending),
            purpose: (sending && self.purpose().is_none()).then_some("Choose what the message is for."),
        };
        match channel {
            Some(channel) if !errors.any() => Ok(Checked {
                channel,
                subject,
                body: self.body.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }

    pub fn purpose(&self) -> Option<Purpose> {
        match self.purpose.as_str() {
            "service" => Some(Purpose::Service),
            "marketing" => Some(Purpose::Marketing),
            _ => None,
        }
    }
}

impl Checked {
    pub fn patch(&self) -> DraftPatch {
        DraftPatch {
            channel: Some(self.channel),
            subject: Some(self.subject.clone()),
            body: Some(self.body.clone()),
        }
    }

    pub fn new_draft(&self, lead: Option<Uuid>) -> NewDraft {
        NewDraft {
            lead_id: lead,
            channel: self.channel,
            subject: self.subject.clone(),
            body: self.body.clone(),
        }
    }

    pub fn message(&self, lead: Uuid, purpose: Purpose) -> NewMessage {
        let channel = match self.channel {
            DraftChannel::Sms => Channel::Sms,
            DraftChannel::Whatsapp => Channel::Whatsapp,
            DraftChannel::Email => Channel::Email,
        };
        NewMessage {
            lead_id: lead,
            channel: Some(channel),
            purpose: Some(purpose),
            subject: self.subject.clone(),
            body: Some(self.body.clone()),
            template_id: None,
            variables: Default::default(),
        }
    }
}

/// Why the outbox refused a message, for the person who pressed Send.
pub fn refusal(reason: &str) -> &'static str {
    match reason {
        "suppressed" => "This address asked not to be contacted (STOP). Nothing can be sent to it.",
        "no_address" => {
            "The lead has no address for this channel: add a phone number or an email address first."
        }
        "no_consent" => {
            "The lead has not opted in to messages of this kind on this channel. Record their consent first, \
             or choose another channel or purpose."
        }
        _ => "The consent rules refuse this message.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(channel: &str, subject: &str, body: &str, purpose: &str) -> DraftForm {
        DraftForm {
            channel: channel.into(),
            subject: subject.into(),
            body: body.into(),
            purpose: purpose.into(),
            ..DraftForm::default()
        }
    }

    #[test]
    fn each_field_says_what_is_wrong_with_it() {
        let e = form("fax", "", " ", "").check(true).err().expect("refused");
        assert!(e.channel.is_some() && e.body.is_some() && e.purpose.is_some());
        let e = form("email", "", "Hi", "service")
            .check(true)
            .err()
            .expect("refused");
        assert!(e.subject.is_some(), "an email needs a subject to be sent");
        assert!(
            form("email", "", "Hi", "").check(false).is_ok(),
            "but can be saved without one"
        );
        let e = form("sms", "Hello", "Hi", "service")
            .check(true)
            .err()
            .expect("refused");
        assert!(e.subject.is_some(), "a text has no subject");
        let ok = form("sms", "", "  Hi  ", "marketing")
            .check(true)
            .ok()
            .expect("accepted");
        assert_eq!(ok.body, "Hi");
    }
}
