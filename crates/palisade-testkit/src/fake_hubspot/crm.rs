//! The fake's CRM endpoints (v3 objects, search, owners, properties, GDPR delete; v4 associations),
//! dispatched by method and path. Each answers like HubSpot: ids as text, record bodies with
//! `properties`, `createdAt`, `updatedAt`; unknown records 404; a second deal with the same unique
//! property value 409.
use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::search;
use super::store::{object_type, Store};

pub type Answer = (StatusCode, Value);

fn ok(v: Value) -> Answer {
    (StatusCode::OK, v)
}

fn error(status: StatusCode, category: &str) -> Answer {
    (
        status,
        json!({"status": "error", "category": category, "correlationId": "fake", "message": "fake error"}),
    )
}

fn text_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let s = v
                .as_str()
                .map(str::to_owned)
                .or_else(|| (!v.is_null()).then(|| v.to_string()))?;
            Some((k.clone(), s))
        })
        .collect()
}

fn id_of(v: &Value) -> Option<u64> {
    v.as_str().and_then(|s| s.parse().ok()).or_else(|| v.as_u64())
}

fn asked(body: &Value) -> Vec<String> {
    body["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect()
}

/// The deal whose unique `property` holds `value`.
fn by_unique(store: &Store, property: &str, value: &str) -> Option<u64> {
    store
        .objects
        .get("deals")?
        .iter()
        .find(|(_, o)| o.properties.get(property).map(String::as_str) == Some(value))
        .map(|(id, _)| *id)
}

pub fn dispatch(store: &mut Store, method: &Method, segments: &[&str], query: &str, body: &Value) -> Answer {
    match (method, segments) {
        (&Method::POST, ["crm", "v3", "objects", kind, "search"]) => match object_type(kind) {
            Some(kind) => match search::search(store, kind, body) {
                Ok(v) => ok(v),
                Err(v) => (StatusCode::BAD_REQUEST, v),
            },
            None => error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND"),
        },
        (&Method::GET, ["crm", "v3", "owners"]) => owners(store, query),
        (&Method::POST, ["crm", "v3", "properties", "deals"]) => {
            let name = body["name"].as_str().unwrap_or_default().to_owned();
            if store.deal_properties.insert(name) {
                (StatusCode::CREATED, body.clone())
            } else {
                error(StatusCode::CONFLICT, "OBJECT_ALREADY_EXISTS")
            }
        }
        (&Method::POST, ["crm", "v3", "objects", "contacts", "gdpr-delete"]) => {
            let Some(id) = id_of(&body["objectId"]) else {
                return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
            };
            if store.table("contacts").remove(&id).is_none() {
                return error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND");
            }
            store.gdpr_deleted.push(id);
            (StatusCode::NO_CONTENT, Value::Null)
        }
        (&Method::POST, ["crm", "v3", "objects", "deals", "batch", op]) => deals_batch(store, op, body),
        (&Method::POST, ["crm", "v3", "objects", kind]) => create(store, kind, body),
        (&Method::POST, ["crm", "v4", "associations", from, to, "batch", "read"]) => {
            let (Some(from), Some(to)) = (object_type(from), object_type(to)) else {
                return error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND");
            };
            let results: Vec<Value> = body["inputs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| id_of(&i["id"]))
                .map(|id| {
                    let to: Vec<Value> = store
                        .associated(from, id, to)
                        .iter()
                        .map(|t| json!({"toObjectId": t, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 3}]}))
                        .collect();
                    json!({"from": {"id": id.to_string()}, "to": to})
                })
                .collect();
            ok(json!({"status": "COMPLETE", "results": results}))
        }
        (&Method::POST, ["crm", "v4", "associations", from, to, "batch", "associate", "default"]) => {
            let (Some(from), Some(to)) = (object_type(from), object_type(to)) else {
                return error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND");
            };
            for input in body["inputs"].as_array().into_iter().flatten() {
                if let (Some(a), Some(b)) = (id_of(&input["from"]["id"]), id_of(&input["to"]["id"])) {
                    store.associate(from, a, to, b);
                }
            }
            ok(json!({"status": "COMPLETE", "results": []}))
        }
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND"),
    }
}

fn owners(store: &Store, query: &str) -> Answer {
    let after: usize = url_param(query, "after")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let limit: usize = url_param(query, "limit")
        .and_then(|a| a.parse().ok())
        .unwrap_or(100)
        .min(500);
    let results: Vec<Value> = store
        .owners
        .iter()
        .skip(after)
        .take(limit)
        .map(|(id, email)| json!({"id": id.to_string(), "email": email, "archived": false}))
        .collect();
    let mut answer = json!({ "results": results });
    if after + limit < store.owners.len() {
        answer["paging"] = json!({"next": {"after": (after + limit).to_string()}});
    }
    ok(answer)
}

fn url_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn create(store: &mut Store, kind: &str, body: &Value) -> Answer {
    let Some(kind) = object_type(kind) else {
        return error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND");
    };
    let properties = text_map(&body["properties"]);
    if kind == "notes" && !properties.contains_key("hs_timestamp") {
        return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    let id = store.create(kind, properties);
    for a in body["associations"].as_array().into_iter().flatten() {
        let Some(to) = id_of(&a["to"]["id"]) else { continue };
        let target = match a["types"][0]["associationTypeId"].as_u64() {
            Some(202) | Some(1) => "contacts",
            Some(214) | Some(3) => "deals",
            _ => continue,
        };
        store.associate(kind, id, target, to);
    }
    let obj = store.table(kind)[&id].clone();
    (StatusCode::CREATED, store.render(kind, id, &obj, &[]))
}

fn deals_batch(store: &mut Store, op: &str, body: &Value) -> Answer {
    let inputs = body["inputs"].as_array().cloned().unwrap_or_default();
    let mut results = Vec::new();
    for input in &inputs {
        let properties = input["properties"].as_object().cloned().unwrap_or_default();
        let id = match op {
            "read" => id_of(&input["id"]),
            "update" => {
                let Some(id) = id_of(&input["id"]) else { continue };
                if !store.update("deals", id, &properties) {
                    return error(StatusCode::NOT_FOUND, "OBJECT_NOT_FOUND");
                }
                Some(id)
            }
            "upsert" => {
                let property = input["idProperty"].as_str().unwrap_or_default();
                if !store.deal_properties.contains(property) {
                    return error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
                }
                let key = input["id"].as_str().unwrap_or_default().to_owned();
                let mut with_key = properties.clone();
                with_key.insert(property.to_owned(), Value::String(key.clone()));
                match by_unique(store, property, &key) {
                    Some(id) => {
                        store.update("deals", id, &with_key);
                        Some(id)
                    }
                    None => Some(store.create("deals", text_map(&Value::Object(with_key)))),
                }
            }
            _ => return error(StatusCode::NOT_FOUND, "NOT_FOUND"),
        };
        let Some(id) = id else { continue };
        let Some(obj) = store.table("deals").get(&id).cloned() else {
            continue;
        };
        let mut names: Vec<String> = asked(body);
        names.extend(properties.keys().cloned());
        names.extend(store.deal_properties.iter().cloned());
        results.push(store.render("deals", id, &obj, &names));
    }
    ok(json!({"status": "COMPLETE", "results": results}))
}

/// Properties of a JSON object as a map (for tests building updates).
pub fn props(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect()
}
