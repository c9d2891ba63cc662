//! HubSpot's properties in Palisade's words. Contacts: a name from first and last names (else the
//! address), the address if valid, a number normalised with the tenant's region (an unparseable one
//! is left out, never stored raw), a status from the lead status and lifecycle stage. Deals: the
//! default pipeline's stages (closed won and lost from HubSpot's own flags, whatever the pipeline),
//! the amount in cents, the currency, the close date once closed.
use chrono::{DateTime, Utc};
use palisade_core::crm::deals::MAX_AMOUNT_CENTS;
use palisade_core::crm_sync::links::{ContactIn, DealIn};
use palisade_core::phone;

use crate::objects::{parse_time, Record, DEAL_KEY_PROPERTY};

pub(crate) const CONTACT_PROPERTIES: &[&str] = &[
    "firstname",
    "lastname",
    "email",
    "phone",
    "mobilephone",
    "lifecyclestage",
    "hs_lead_status",
    "hubspot_owner_id",
    "lastmodifieddate",
];
pub(crate) const DEAL_PROPERTIES: &[&str] = &[
    "dealname",
    "dealstage",
    "amount",
    "deal_currency_code",
    "closedate",
    "hs_is_closed",
    "hs_is_closed_won",
    "hubspot_owner_id",
    "hs_lastmodifieddate",
    DEAL_KEY_PROPERTY,
];

/// Palisade's stages and the default pipeline's, both ways.
const STAGES: &[(&str, &str)] = &[
    ("prospect", "appointmentscheduled"),
    ("qualified", "qualifiedtobuy"),
    ("proposal", "presentationscheduled"),
    ("proposal", "decisionmakerboughtin"),
    ("negotiation", "contractsent"),
    ("won", "closedwon"),
    ("lost", "closedlost"),
];

/// The default pipeline's stage for a Palisade stage.
pub(crate) fn hubspot_stage(stage: &str) -> Option<&'static str> {
    STAGES
        .iter()
        .find(|(ours, _)| *ours == stage)
        .map(|(_, theirs)| *theirs)
}

fn modified(r: &Record, property: &str) -> Option<DateTime<Utc>> {
    r.text(property).and_then(parse_time).or(r.updated_at)
}

fn owner(r: &Record) -> Option<u64> {
    r.text("hubspot_owner_id").and_then(|o| o.parse().ok())
}

fn lead_status(r: &Record) -> &'static str {
    match (r.text("hs_lead_status"), r.text("lifecyclestage")) {
        (_, Some("customer" | "evangelist")) => "customer",
        (Some("UNQUALIFIED"), _) => "unqualified",
        (_, Some("salesqualifiedlead" | "opportunity")) => "qualified",
        (Some("OPEN_DEAL"), _) => "qualified",
        (Some("CONNECTED" | "IN_PROGRESS" | "ATTEMPTED_TO_CONTACT" | "BAD_TIMING"), _) => "contacted",
        _ => "new",
    }
}

/// A contact as a lead's values; `None` without a modification time (never written blind).
pub(crate) fn contact(r: &Record, region: phonenumber::country::Id) -> Option<ContactIn> {
    let email = r
        .text("email")
        .and_then(|e| palisade_db::Email::parse(e).ok())
        .map(palisade_db::Email::into_string);
    let name = [r.text("firstname"), r.text("lastname")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = if name.is_empty() {
        email.clone().unwrap_or_default()
    } else {
        name
    };
    let phone = [r.text("mobilephone"), r.text("phone")]
        .into_iter()
        .flatten()
        .find_map(|p| phone::normalize(p, region).ok());
    Some(ContactIn {
        hubspot_id: i64::try_from(r.id).ok()?,
        modified_at: modified(r, "lastmodifieddate")?,
        name,
        email,
        phone,
        status: lead_status(r),
        hubspot_owner: owner(r),
    })
}

/// `"1234.567"` as cents (rounded half up), within Palisade's bounds; nothing readable is 0.
fn cents(text: Option<&str>) -> i64 {
    let Some(text) = text else { return 0 };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let Ok(whole) = whole.parse::<i64>() else { return 0 };
    if whole < 0 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let digits: Vec<i64> = fraction
        .bytes()
        .map(|b| i64::from(b - b'0'))
        .chain([0, 0, 0])
        .take(3)
        .collect();
    let frac = digits[0] * 10 + digits[1] + i64::from(digits[2] >= 5);
    whole
        .saturating_mul(100)
        .saturating_add(frac)
        .min(MAX_AMOUNT_CENTS)
}

fn currency(text: Option<&str>) -> String {
    match text {
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        _ => "USD".into(),
    }
}

/// A deal as a deal's values, with its associated contacts.
pub(crate) fn deal(r: &Record, contacts: &[u64]) -> Option<DealIn> {
    let closed = r.text("hs_is_closed") == Some("true");
    let won = r.text("hs_is_closed_won") == Some("true");
    let stage = match (closed, won) {
        (_, true) => Some("won"),
        (true, false) => Some("lost"),
        _ => r
            .text("dealstage")
            .and_then(|s| STAGES.iter().find(|(_, theirs)| *theirs == s))
            .map(|(ours, _)| *ours),
    };
    let closed_at = if closed || won {
        r.text("closedate").and_then(parse_time)
    } else {
        None
    };
    Some(DealIn {
        hubspot_id: i64::try_from(r.id).ok()?,
        modified_at: modified(r, "hs_lastmodifieddate")?,
        title: r.text("dealname").unwrap_or_default().to_owned(),
        stage,
        amount_cents: cents(r.text("amount")),
        currency: currency(r.text("deal_currency_code")),
        closed_at,
        hubspot_owner: owner(r),
        contacts: contacts.iter().filter_map(|c| i64::try_from(*c).ok()).collect(),
        palisade_id: r.text(DEAL_KEY_PROPERTY).and_then(|k| k.parse().ok()),
    })
}

/// Cents as HubSpot's decimal amount.
pub(crate) fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn record(props: serde_json::Value) -> Record {
        serde_json::from_value(json!({"id": "7", "properties": props})).unwrap()
    }

    #[test]
    fn amounts_round_and_stay_in_bounds() {
        assert_eq!(cents(Some("1234.567")), 123_457);
        assert_eq!(cents(Some("12")), 1200);
        assert_eq!(cents(Some("0.5")), 50);
        assert_eq!(cents(Some("-3")), 0);
        assert_eq!(cents(Some("abc")), 0);
        assert_eq!(cents(Some("1e9")), 0);
        assert_eq!(cents(Some("99999999999999999")), MAX_AMOUNT_CENTS);
        assert_eq!(amount(123_457), "1234.57");
        assert_eq!(amount(5), "0.05");
    }

    #[test]
    fn contacts_get_a_name_a_valid_number_and_a_status() {
        let region = phone::region("US").unwrap();
        let c = contact(
            &record(json!({
                "firstname": "Ada", "lastname": null, "email": "ADA@Example.com", "phone": "(415) 555-0100",
                "lifecyclestage": "customer", "lastmodifieddate": "2026-03-01T10:00:00Z", "hubspot_owner_id": "55"
            })),
            region,
        )
        .unwrap();
        assert_eq!(c.name, "Ada");
        assert_eq!(c.phone.unwrap().as_str(), "+14155550100");
        assert_eq!(c.status, "customer");
        assert_eq!(c.hubspot_owner, Some(55));
        let c = contact(
            &record(json!({"email": "x@y.io", "phone": "not a number", "lastmodifieddate": "1767323045678"})),
            region,
        )
        .unwrap();
        assert_eq!(c.name, "x@y.io");
        assert!(c.phone.is_none());
        assert_eq!(c.status, "new");
        assert!(
            contact(&record(json!({"email": "x@y.io"})), region).is_none(),
            "no time, not written"
        );
    }

    #[test]
    fn deal_stages_map_the_default_pipeline_and_closed_flags() {
        let d = deal(
            &record(json!({"dealstage": "contractsent", "hs_lastmodifieddate": "2026-03-01T10:00:00Z"})),
            &[3],
        )
        .unwrap();
        assert_eq!(d.stage, Some("negotiation"));
        assert_eq!(d.contacts, vec![3]);
        let d = deal(
            &record(json!({"dealstage": "1234567", "hs_is_closed": "true", "hs_is_closed_won": "false",
                           "closedate": "2026-02-01T00:00:00Z", "hs_lastmodifieddate": "2026-03-01T10:00:00Z"})),
            &[],
        )
        .unwrap();
        assert_eq!(d.stage, Some("lost"));
        assert!(d.closed_at.is_some());
        let d = deal(
            &record(json!({"dealstage": "custom", "hs_lastmodifieddate": "2026-03-01T10:00:00Z"})),
            &[],
        )
        .unwrap();
        assert_eq!(d.stage, None, "a stage we have no word for keeps the deal's");
        assert_eq!(hubspot_stage("negotiation"), Some("contractsent"));
    }
}
