//! CRM search as HubSpot does it: filter groups (any group, all filters in it), one sort, `limit` up
//! to 200, `after` as an offset — and a 400 past the 10,000th result, which is what makes a sync
//! page by an id bound instead.
use serde_json::{json, Value};

use super::store::{Obj, Store};

pub const MAX_RESULTS: usize = 10_000;

/// Times compare as instants, ids and numbers as numbers, the rest as text.
fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().or_else(|| {
        chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.timestamp_millis() as f64)
    })
}

fn matches(actual: Option<&str>, operator: &str, wanted: &Value) -> bool {
    let wanted_text = wanted
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| wanted.to_string());
    let Some(actual) = actual else {
        return operator == "NOT_HAS_PROPERTY";
    };
    if operator == "HAS_PROPERTY" {
        return true;
    }
    if operator == "EQ" && actual.split(';').any(|part| part == wanted_text) {
        return true;
    }
    let ordering = match (number(actual), number(&wanted_text)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => Some(actual.cmp(wanted_text.as_str())),
    };
    compare(ordering, operator)
}

fn compare(ordering: Option<std::cmp::Ordering>, operator: &str) -> bool {
    matches!(
        (operator, ordering),
        ("EQ", Some(std::cmp::Ordering::Equal))
            | (
                "NEQ",
                Some(std::cmp::Ordering::Less | std::cmp::Ordering::Greater)
            )
            | ("GT", Some(std::cmp::Ordering::Greater))
            | (
                "GTE",
                Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
            )
            | ("LT", Some(std::cmp::Ordering::Less))
            | ("LTE", Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal))
    )
}

/// Answers a search body, or the 400 HubSpot gives.
pub fn search(store: &Store, kind: &'static str, body: &Value) -> Result<Value, Value> {
    let limit = body["limit"].as_u64().unwrap_or(10).clamp(1, 200) as usize;
    let after: usize = body["after"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .or_else(|| body["after"].as_u64().map(|a| a as usize))
        .unwrap_or(0);
    if after + limit > MAX_RESULTS {
        return Err(json!({
            "status": "error", "category": "VALIDATION_ERROR", "correlationId": "fake-10k",
            "message": "paging beyond 10000 results is not supported"
        }));
    }
    let groups = body["filterGroups"].as_array().cloned().unwrap_or_default();
    let empty = Default::default();
    let table = store.objects.get(kind).unwrap_or(&empty);
    let passes = |id: u64, obj: &Obj| {
        groups.is_empty()
            || groups.iter().any(|g| {
                g["filters"].as_array().into_iter().flatten().all(|f| {
                    let name = f["propertyName"].as_str().unwrap_or_default();
                    let operator = f["operator"].as_str().unwrap_or("EQ");
                    // Ids and modification times compare as numbers without rendering them (a
                    // backfill of 100,000 records searches them all, page after page).
                    let fast = match name {
                        "hs_object_id" => Some(id as f64),
                        "lastmodifieddate" | "hs_lastmodifieddate" => Some(obj.modified_ms as f64),
                        _ => None,
                    };
                    match (fast, f["value"].as_str().and_then(number)) {
                        (Some(a), Some(b)) => compare(a.partial_cmp(&b), operator),
                        _ => matches(store.value(kind, id, obj, name).as_deref(), operator, &f["value"]),
                    }
                })
            })
    };
    let mut found: Vec<(u64, &Obj)> = table
        .iter()
        .filter(|(id, obj)| passes(**id, obj))
        .map(|(id, obj)| (*id, obj))
        .collect();
    let by_id = body["sorts"].as_array().and_then(|s| s.first()).is_none_or(|s| {
        s["propertyName"].as_str() == Some("hs_object_id") && s["direction"].as_str() != Some("DESCENDING")
    });
    // The table is in id order already.
    if let (false, Some(sort)) = (by_id, body["sorts"].as_array().and_then(|s| s.first())) {
        let name = sort["propertyName"].as_str().unwrap_or("hs_object_id").to_owned();
        let key = |(id, obj): &(u64, &Obj)| {
            let v = store.value(kind, *id, obj, &name).unwrap_or_default();
            (number(&v).unwrap_or(f64::MAX), v, *id)
        };
        found.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal));
        if sort["direction"].as_str() == Some("DESCENDING") {
            found.reverse();
        }
    }
    let asked: Vec<String> = body["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    let total = found.len();
    let results: Vec<Value> = found
        .iter()
        .skip(after)
        .take(limit)
        .map(|(id, obj)| store.render(kind, *id, obj, &asked))
        .collect();
    let mut answer = json!({"total": total, "results": results});
    if after + limit < total {
        answer["paging"] = json!({"next": {"after": (after + limit).to_string()}});
    }
    Ok(answer)
}
