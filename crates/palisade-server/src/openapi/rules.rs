//! Rules between the fields of a request that the derived schemas cannot state, added to their
//! components as JSON Schema (`oneOf`/`anyOf` beside the fields' own constraints). Each names the
//! server code that enforces it; the contract run (scripts/contract) holds both to the same answer.
use serde_json::{json, Value};

/// A string that is present and not null.
fn given() -> Value {
    json!({ "type": "string" })
}

/// Absent or null.
fn not_given() -> Value {
    json!({ "type": "null" })
}

/// Different hours: JSON Schema cannot compare two fields, so each start hour names the end it
/// may not have.
fn different_hours() -> Value {
    let branches: Vec<Value> = (0..24)
        .map(|h| json!({ "properties": { "start": { "const": h }, "end": { "not": { "const": h } } } }))
        .collect();
    json!({ "anyOf": branches })
}

/// Every region libphonenumber knows, as the settings accept them.
fn regions() -> Value {
    let letters = 'A'..='Z';
    let codes: Vec<String> = letters
        .clone()
        .flat_map(|a| letters.clone().map(move |b| format!("{a}{b}")))
        .filter(|code| palisade_core::phone::region(code).is_ok())
        .collect();
    json!({ "properties": { "default_region": { "enum": codes } } })
}

fn rules() -> Vec<(&'static str, Value)> {
    vec![
        // ai::settings::validate and palisade_ai::Guard::new: topics are single lines; patterns
        // are Rust regular expressions that match something (the `mask-pattern` format).
        (
            "AiSettings",
            json!({ "properties": {
                "forbidden_topics": { "maxItems": 50, "items": {
                    "type": "string", "maxLength": 100, "pattern": super::text::one_line() } },
                "mask_patterns": { "maxItems": 20, "items": {
                    "type": "string", "minLength": 1, "maxLength": 200, "format": "mask-pattern" } },
            }}),
        ),
        // palisade_core::phone::region, with the API's capitals.
        ("PhoneSettings", regions()),
        // ai::settings::validate: quiet hours are different hours.
        ("QuietHours", different_hours()),
        // The roles, and the channels a verification code can go by.
        (
            "NewInvitation",
            json!({ "properties": { "role": { "enum": ["rep", "manager", "admin"] } } }),
        ),
        (
            "MemberChange",
            json!({ "properties": { "role": { "enum": ["rep", "manager", "admin", null] } } }),
        ),
        (
            "SendCode",
            json!({ "properties": { "channel": { "enum": ["sms", "whatsapp"] } } }),
        ),
        // app.set_sign_in_rules: known methods, at least one; domains are trimmed of spaces and
        // lowercased before they are checked.
        (
            "SignInRules",
            json!({ "properties": {
                "sign_in_methods": { "minItems": 1, "items": { "enum": ["magic_link", "oidc", "password"] } },
                "email_domains": { "maxItems": 50, "items": { "type": "string", "pattern":
                    "^ *[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+ *$" } },
            }}),
        ),
        // palisade_core::privacy::subject: exactly one of the three, null counting as absent.
        (
            "SubjectRequest",
            json!({ "oneOf": [
                { "required": ["phone"], "properties": { "phone": given(), "email": not_given(), "lead_id": not_given() } },
                { "required": ["email"], "properties": { "email": given(), "phone": not_given(), "lead_id": not_given() } },
                { "required": ["lead_id"], "properties": { "lead_id": given(), "phone": not_given(), "email": not_given() } },
            ]}),
        ),
        // sign_in::mfa: a code or a recovery code, not both.
        (
            "MfaProof",
            json!({ "oneOf": [
                { "required": ["code"], "properties": { "code": given(), "recovery_code": not_given() } },
                { "required": ["recovery_code"], "properties": { "recovery_code": given(), "code": not_given() } },
            ]}),
        ),
        // messaging::consent: a grant (the default action) needs evidence.
        (
            "NewConsent",
            json!({ "anyOf": [
                { "required": ["action"], "properties": { "action": { "const": "revoke" } } },
                { "required": ["consent_text"], "properties": { "consent_text": given() } },
                { "required": ["form_version"], "properties": { "form_version": given() } },
            ]}),
        ),
        // tenancy::change_member: a new role, a new status, or both.
        (
            "MemberChange",
            json!({ "anyOf": [
                { "required": ["role"], "properties": { "role": { "not": { "type": "null" } } } },
                { "required": ["status"], "properties": { "status": { "not": { "type": "null" } } } },
            ]}),
        ),
        // messaging::templates::check: a subject for email and only there; the body's limit by
        // channel.
        (
            "TemplateInput",
            json!({ "oneOf": [
                { "required": ["subject"], "properties": {
                    "channel": { "const": "email" }, "subject": given(), "body": { "maxLength": 10000 } } },
                { "properties": {
                    "channel": { "enum": ["sms", "whatsapp"] }, "subject": not_given(), "body": { "maxLength": 1600 } } },
            ]}),
        ),
        // messaging::outbound::queue: a template (its channel and purpose, which must match any
        // given), or a channel, purpose and body (with a subject for email and only there).
        (
            "NewMessage",
            json!({ "oneOf": [
                { "required": ["template_id"], "properties": {
                    "template_id": given(), "subject": not_given(), "body": not_given() } },
                { "required": ["channel", "purpose", "body", "subject"], "properties": {
                    "template_id": not_given(), "variables": { "maxProperties": 0 },
                    "channel": { "const": "email" }, "purpose": { "not": { "type": "null" } },
                    "subject": given(), "body": { "type": "string", "maxLength": 10000 } } },
                { "required": ["channel", "purpose", "body"], "properties": {
                    "template_id": not_given(), "variables": { "maxProperties": 0 },
                    "channel": { "enum": ["sms", "whatsapp"] }, "purpose": { "not": { "type": "null" } },
                    "subject": not_given(), "body": { "type": "string", "maxLength": 1600 } } },
            ]}),
        ),
    ]
}

/// Merges each rule into its component (a component that is gone fails the test below).
pub(super) fn apply(doc: &mut Value) {
    for (name, rule) in rules() {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            merge(schema, rule);
        }
    }
}

/// Objects merge key by key; anything else replaces what was there.
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_a_component_that_exists() {
        let names: Vec<_> = rules().into_iter().map(|(name, _)| name).collect();
        let doc = crate::openapi::rendered_for_tests();
        for name in names {
            assert!(
                doc.pointer(&format!("/components/schemas/{name}")).is_some(),
                "{name} is not a component any more: move its rule"
            );
        }
    }
}
