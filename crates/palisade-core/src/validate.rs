//! Small input checks shared by the domain modules. The database constraints remain the last word;
//! these give clearer messages first.
use palisade_db::Email;

use crate::CoreError;

/// Text that must not be blank, of at most `max` characters as sent (white space around it counts,
/// so the published `maxLength` says the same); stored trimmed.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String, CoreError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(CoreError::invalid(
            "invalid_field",
            format!("{field} must not be empty"),
        ));
    }
    if value.chars().count() > max {
        return Err(CoreError::invalid(
            "invalid_field",
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

pub(crate) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, CoreError> {
    value.map(|v| text(field, v, max)).transpose()
}

/// Free text that may quote a card number (bodies, transcripts, notes, drafts): validated like
/// [`text`], then every card number is masked to its last four digits (palisade-crypto `cards`); the
/// database refuses an unmasked one anyway.
pub(crate) fn masked_text(field: &'static str, value: &str, max: usize) -> Result<String, CoreError> {
    text(field, value, max).map(|t| palisade_crypto::cards::mask_cards(&t).into_owned())
}

pub(crate) fn optional_masked_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, CoreError> {
    value.map(|v| masked_text(field, v, max)).transpose()
}

/// An address from a request; refused with `invalid_email`.
pub(crate) fn email(value: &str) -> Result<Email, CoreError> {
    Email::parse(value).map_err(|_| CoreError::invalid("invalid_email", "email is not a valid address"))
}

/// For PATCH bodies: distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(text("name", "  x ", 5).unwrap(), "x");
        assert!(text("name", "   ", 5).is_err());
        assert!(text("name", "123456", 5).is_err());
        assert!(text("name", " 12345", 5).is_err(), "counted as sent");
        assert_eq!(
            masked_text("body", " card 4111 1111 1111 1111 ", 100).unwrap(),
            "card **** **** **** 1111"
        );
        assert_eq!(optional_masked_text("body", None, 5).unwrap(), None);
    }
}
