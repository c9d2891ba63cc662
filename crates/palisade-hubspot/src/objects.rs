//! The CRM requests the sync makes: search pages, owners, associations (v4), deals upserted by
//! Palisade's own unique id, notes, and GDPR deletes. Each takes the portal (for its limits) and a
//! token; each answer is parsed into plain values, ids as numbers.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use reqwest::Method;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::HubspotError;
use crate::http::{Call, Transport};
use crate::limits::Bucket;

/// The unique deal property a push is keyed by: upserting by it twice updates one deal.
pub const DEAL_KEY_PROPERTY: &str = "palisade_deal_id";
/// HubSpot's default association types (v4): a deal to its contact, a note to its contact.
pub const DEAL_TO_CONTACT: u32 = 3;
pub const NOTE_TO_CONTACT: u32 = 202;

/// A token for one portal's requests. `Debug` leaves the token out.
pub struct Session<'a> {
    pub portal: u64,
    pub token: &'a SecretString,
}

/// One CRM record: its id and the properties asked for (HubSpot sends `null` for empty ones).
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    #[serde(deserialize_with = "id_text")]
    pub id: u64,
    #[serde(default)]
    pub properties: BTreeMap<String, Option<String>>,
    #[serde(rename = "updatedAt")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Record {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.properties
            .get(name)
            .and_then(Option::as_deref)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::String(s) => s.parse().map_err(serde::de::Error::custom),
        Value::Number(n) => n.as_u64().ok_or_else(|| serde::de::Error::custom("not an id")),
        _ => Err(serde::de::Error::custom("not an id")),
    }
}

/// One page of a search.
#[derive(Debug, Deserialize)]
pub struct SearchPage {
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub results: Vec<Record>,
}

/// A page of records modified at or after `since` (all of them without), with ids above `after_id`,
/// in ascending id order. Paging by the id bound, never HubSpot's `after`, keeps every query under
/// the 10,000 results a search may page through.
#[derive(Debug, Clone)]
pub struct PageQuery<'a> {
    pub object: &'a str,
    pub modified_property: &'a str,
    pub since: Option<DateTime<Utc>>,
    pub after_id: u64,
    pub properties: &'a [&'a str],
    pub limit: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Owner {
    #[serde(deserialize_with = "id_text")]
    pub id: u64,
    #[serde(default)]
    pub email: Option<String>,
}

/// A deal as pushed: Palisade's id and HubSpot's properties.
#[derive(Debug, Clone)]
pub struct DealWrite {
    pub key: uuid::Uuid,
    pub properties: BTreeMap<&'static str, String>,
}

/// A deal HubSpot holds after an upsert.
#[derive(Debug, Clone)]
pub struct Written {
    pub key: uuid::Uuid,
    pub id: u64,
    pub modified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NoteWrite {
    pub timestamp: DateTime<Utc>,
    /// HTML, escaped by the caller.
    pub body: String,
    pub contact: u64,
    pub owner: Option<u64>,
}

fn page<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, HubspotError> {
    serde_json::from_value(value).map_err(|_| HubspotError::Malformed)
}

impl Transport {
    async fn send(
        &self,
        s: &Session<'_>,
        bucket: Bucket,
        method: Method,
        path: String,
        body: Option<Value>,
        idempotent: bool,
    ) -> Result<Value, HubspotError> {
        self.call(Call {
            portal: s.portal,
            token: s.token,
            bucket,
            method,
            path,
            body,
            idempotent,
            interactive: false,
        })
        .await
    }

    pub async fn search_page(&self, s: &Session<'_>, q: &PageQuery<'_>) -> Result<SearchPage, HubspotError> {
        let mut filters = vec![json!({
            "propertyName": "hs_object_id", "operator": "GT", "value": q.after_id.to_string()
        })];
        if let Some(since) = q.since {
            filters.push(json!({
                "propertyName": q.modified_property, "operator": "GTE",
                "value": since.timestamp_millis().to_string()
            }));
        }
        let body = json!({
            "filterGroups": [{"filters": filters}],
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
            "properties": q.properties,
            "limit": q.limit.clamp(1, 200),
        });
        let path = format!("/crm/v3/objects/{}/search", q.object);
        page(
            self.send(s, Bucket::Search, Method::POST, path, Some(body), true)
                .await?,
        )
    }

    /// Every owner of the portal (archived ones left out), page by page.
    pub async fn owners(&self, s: &Session<'_>) -> Result<Vec<Owner>, HubspotError> {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            results: Vec<Owner>,
            paging: Option<Value>,
        }
        let mut owners = Vec::new();
        let mut after: Option<String> = None;
        // 10,000 owners at most: a portal's users, not its records.
        for _ in 0..100 {
            let mut path = "/crm/v3/owners?limit=100&archived=false".to_owned();
            if let Some(a) = &after {
                path.push_str("&after=");
                path.push_str(&url::form_urlencoded::byte_serialize(a.as_bytes()).collect::<String>());
            }
            let p: Page = page(
                self.send(s, Bucket::General, Method::GET, path, None, true)
                    .await?,
            )?;
            owners.extend(p.results);
            after = p
                .paging
                .as_ref()
                .and_then(|p| p["next"]["after"].as_str().map(str::to_owned));
            if after.is_none() {
                break;
            }
        }
        Ok(owners)
    }

    /// The contacts each deal is associated with (v4), first ones first.
    pub async fn deal_contacts(
        &self,
        s: &Session<'_>,
        deals: &[u64],
    ) -> Result<HashMap<u64, Vec<u64>>, HubspotError> {
        let mut found = HashMap::new();
        for chunk in deals.chunks(100) {
            let inputs: Vec<Value> = chunk.iter().map(|id| json!({"id": id.to_string()})).collect();
            let value = self
                .send(
                    s,
                    Bucket::General,
                    Method::POST,
                    "/crm/v4/associations/deals/contacts/batch/read".into(),
                    Some(json!({ "inputs": inputs })),
                    true,
                )
                .await?;
            for result in value["results"].as_array().into_iter().flatten() {
                let from = result["from"]["id"].as_str().and_then(|s| s.parse().ok());
                let to: Vec<u64> = result["to"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| match &t["toObjectId"] {
                        Value::Number(n) => n.as_u64(),
                        Value::String(s) => s.parse().ok(),
                        _ => None,
                    })
                    .collect();
                if let Some(from) = from {
                    found.insert(from, to);
                }
            }
        }
        Ok(found)
    }

    /// Makes sure the unique deal property pushes are keyed by exists (creating it twice is fine).
    pub async fn ensure_deal_key(&self, s: &Session<'_>) -> Result<(), HubspotError> {
        let body = json!({
            "name": DEAL_KEY_PROPERTY, "label": "Palisade deal id", "type": "string", "fieldType": "text",
            "groupName": "dealinformation", "hasUniqueValue": true,
            "description": "Set by Palisade: the deal it writes back. Do not edit.",
        });
        let path = "/crm/v3/properties/deals".to_owned();
        match self
            .send(s, Bucket::General, Method::POST, path, Some(body), true)
            .await
        {
            Ok(_) => Ok(()),
            Err(HubspotError::Rejected { status: 409, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Deals by HubSpot id, with these properties (missing ones are left out).
    pub async fn read_deals(
        &self,
        s: &Session<'_>,
        ids: &[u64],
        properties: &[&str],
    ) -> Result<Vec<Record>, HubspotError> {
        let inputs: Vec<Value> = ids.iter().map(|id| json!({"id": id.to_string()})).collect();
        let body = json!({ "properties": properties, "inputs": inputs });
        let path = "/crm/v3/objects/deals/batch/read".to_owned();
        let value = self
            .send(s, Bucket::General, Method::POST, path, Some(body), true)
            .await?;
        page(value["results"].clone())
    }

    /// Creates or updates deals by [`DEAL_KEY_PROPERTY`]: sending the same batch twice changes
    /// nothing more than once.
    pub async fn upsert_deals(
        &self,
        s: &Session<'_>,
        deals: &[DealWrite],
    ) -> Result<Vec<Written>, HubspotError> {
        let inputs: Vec<Value> = deals
            .iter()
            .map(|d| json!({"idProperty": DEAL_KEY_PROPERTY, "id": d.key.to_string(), "properties": d.properties}))
            .collect();
        let path = "/crm/v3/objects/deals/batch/upsert".to_owned();
        let value = self
            .send(
                s,
                Bucket::General,
                Method::POST,
                path,
                Some(json!({ "inputs": inputs })),
                true,
            )
            .await?;
        written(value)
    }

    /// Updates deals HubSpot already holds, by HubSpot's id (a deal that came from HubSpot has no
    /// Palisade id there until this sets it).
    pub async fn update_deals(
        &self,
        s: &Session<'_>,
        deals: &[(u64, DealWrite)],
    ) -> Result<Vec<Written>, HubspotError> {
        let inputs: Vec<Value> = deals
            .iter()
            .map(|(id, d)| {
                let mut properties = json!(d.properties);
                properties[DEAL_KEY_PROPERTY] = json!(d.key.to_string());
                json!({"id": id.to_string(), "properties": properties})
            })
            .collect();
        let path = "/crm/v3/objects/deals/batch/update".to_owned();
        let value = self
            .send(
                s,
                Bucket::General,
                Method::POST,
                path,
                Some(json!({ "inputs": inputs })),
                true,
            )
            .await?;
        written(value)
    }

    /// Associates deals with contacts (v4 default association; repeating one changes nothing).
    pub async fn associate_deals(&self, s: &Session<'_>, pairs: &[(u64, u64)]) -> Result<(), HubspotError> {
        if pairs.is_empty() {
            return Ok(());
        }
        let inputs: Vec<Value> = pairs
            .iter()
            .map(|(deal, contact)| json!({"from": {"id": deal.to_string()}, "to": {"id": contact.to_string()}}))
            .collect();
        let path = "/crm/v4/associations/deals/contacts/batch/associate/default".to_owned();
        self.send(
            s,
            Bucket::General,
            Method::POST,
            path,
            Some(json!({ "inputs": inputs })),
            true,
        )
        .await?;
        Ok(())
    }

    /// Creates a note on a contact. Not safe to repeat: the caller looks first ([`Self::find_note`])
    /// when an earlier attempt may have created it.
    pub async fn create_note(&self, s: &Session<'_>, note: &NoteWrite) -> Result<u64, HubspotError> {
        let mut properties = json!({
            "hs_timestamp": note.timestamp.timestamp_millis().to_string(),
            "hs_note_body": note.body,
        });
        if let Some(owner) = note.owner {
            properties["hubspot_owner_id"] = json!(owner.to_string());
        }
        let body = json!({
            "properties": properties,
            "associations": [{
                "to": {"id": note.contact.to_string()},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": NOTE_TO_CONTACT}],
            }],
        });
        let path = "/crm/v3/objects/notes".to_owned();
        let value = self
            .send(s, Bucket::General, Method::POST, path, Some(body), false)
            .await?;
        let record: Record = page(value)?;
        Ok(record.id)
    }

    /// A note on `contact` at exactly `timestamp` whose body holds `marker`, if one exists.
    pub async fn find_note(
        &self,
        s: &Session<'_>,
        contact: u64,
        timestamp: DateTime<Utc>,
        marker: &str,
    ) -> Result<Option<u64>, HubspotError> {
        let body = json!({
            "filterGroups": [{"filters": [
                {"propertyName": "hs_timestamp", "operator": "EQ", "value": timestamp.timestamp_millis().to_string()},
                {"propertyName": "associations.contact", "operator": "EQ", "value": contact.to_string()},
            ]}],
            "properties": ["hs_note_body"],
            "limit": 100,
        });
        let path = "/crm/v3/objects/notes/search".to_owned();
        let found: SearchPage = page(
            self.send(s, Bucket::Search, Method::POST, path, Some(body), true)
                .await?,
        )?;
        Ok(found
            .results
            .iter()
            .find(|r| r.text("hs_note_body").is_some_and(|b| b.contains(marker)))
            .map(|r| r.id))
    }

    /// Erases a contact in HubSpot under GDPR (HubSpot also blocks the address from coming back).
    pub async fn gdpr_delete(&self, s: &Session<'_>, contact: u64) -> Result<(), HubspotError> {
        let body = json!({ "objectId": contact.to_string() });
        let path = "/crm/v3/objects/contacts/gdpr-delete".to_owned();
        match self
            .send(s, Bucket::General, Method::POST, path, Some(body), true)
            .await
        {
            Ok(_) | Err(HubspotError::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// The deals a batch write answered with, by Palisade's id.
fn written(value: Value) -> Result<Vec<Written>, HubspotError> {
    let results: Vec<Record> = page(value["results"].clone())?;
    Ok(results
        .into_iter()
        .filter_map(|r| {
            let key = r.text(DEAL_KEY_PROPERTY)?.parse().ok()?;
            let modified_at = r
                .text("hs_lastmodifieddate")
                .and_then(parse_time)
                .or(r.updated_at);
            Some(Written {
                key,
                id: r.id,
                modified_at,
            })
        })
        .collect())
}

/// HubSpot writes times as ISO 8601 or as Unix milliseconds, depending on the property.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| text.parse::<i64>().ok().and_then(DateTime::from_timestamp_millis))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn records_read_ids_as_text_or_numbers_and_skip_empty_values() {
        let r: Record = serde_json::from_value(json!({
            "id": "42", "properties": {"email": " a@b.io ", "phone": "", "firstname": null},
            "updatedAt": "2026-01-02T03:04:05.678Z"
        }))
        .unwrap();
        assert_eq!(r.id, 42);
        assert_eq!(r.text("email"), Some("a@b.io"));
        assert_eq!(r.text("phone"), None);
        assert_eq!(r.text("firstname"), None);
        assert!(serde_json::from_value::<Record>(json!({"id": "x"})).is_err());
        assert_eq!(
            parse_time("1767323045678"),
            parse_time("2026-01-02T03:04:05.678Z")
        );
    }
}
