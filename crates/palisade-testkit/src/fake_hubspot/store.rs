//! The fake portal's records: contacts, deals and notes with their properties and modification
//! times, owners, associations, and the deal properties created through the API.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Map, Value};

/// A record: properties as HubSpot stores them (text), and when it last changed (Unix ms).
#[derive(Debug, Clone, Default)]
pub struct Obj {
    pub properties: BTreeMap<String, String>,
    pub modified_ms: i64,
    pub created_ms: i64,
}

#[derive(Debug, Default)]
pub struct Store {
    pub objects: HashMap<&'static str, BTreeMap<u64, Obj>>,
    pub owners: Vec<(u64, String)>,
    /// `(from type, from id, to type)` → associated ids, in the order made.
    pub associations: HashMap<(&'static str, u64, &'static str), Vec<u64>>,
    pub deal_properties: BTreeSet<String>,
    pub next_id: u64,
    /// The last write's time (Unix ms): the wall clock, but always a millisecond past the last
    /// write, so no two writes share a time unless a test makes them.
    pub now_ms: i64,
    pub gdpr_deleted: Vec<u64>,
}

pub const TYPES: [&str; 3] = ["contacts", "deals", "notes"];

/// The object type of a path segment (`contacts`, `contact`, `0-1`…).
pub fn object_type(name: &str) -> Option<&'static str> {
    match name {
        "contacts" | "contact" | "0-1" => Some("contacts"),
        "deals" | "deal" | "0-3" => Some("deals"),
        "notes" | "note" | "0-46" => Some("notes"),
        _ => None,
    }
}

/// The property a type's modification time is searched by.
pub fn modified_property(kind: &str) -> &'static str {
    if kind == "contacts" {
        "lastmodifieddate"
    } else {
        "hs_lastmodifieddate"
    }
}

impl Store {
    pub fn new() -> Self {
        let mut objects = HashMap::new();
        for t in TYPES {
            objects.insert(t, BTreeMap::new());
        }
        Self {
            objects,
            next_id: 1000,
            ..Self::default()
        }
    }

    pub fn tick(&mut self) -> i64 {
        self.now_ms = (self.now_ms + 1).max(chrono::Utc::now().timestamp_millis());
        self.now_ms
    }

    pub fn table(&mut self, kind: &'static str) -> &mut BTreeMap<u64, Obj> {
        self.objects.entry(kind).or_default()
    }

    /// Creates a record; returns its id.
    pub fn create(&mut self, kind: &'static str, properties: BTreeMap<String, String>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let now = self.tick();
        self.table(kind).insert(
            id,
            Obj {
                properties,
                modified_ms: now,
                created_ms: now,
            },
        );
        id
    }

    /// Changes a record's properties (an empty value clears one); false when it does not exist.
    pub fn update(&mut self, kind: &'static str, id: u64, properties: &Map<String, Value>) -> bool {
        let now = self.tick();
        let Some(obj) = self.table(kind).get_mut(&id) else {
            return false;
        };
        for (k, v) in properties {
            match v
                .as_str()
                .map(str::to_owned)
                .or_else(|| (!v.is_null()).then(|| v.to_string()))
            {
                Some(s) if !s.is_empty() => {
                    obj.properties.insert(k.clone(), s);
                }
                _ => {
                    obj.properties.remove(k);
                }
            }
        }
        obj.modified_ms = now;
        true
    }

    pub fn associate(&mut self, from: &'static str, from_id: u64, to: &'static str, to_id: u64) {
        for (a, a_id, b, b_id) in [(from, from_id, to, to_id), (to, to_id, from, from_id)] {
            let list = self.associations.entry((a, a_id, b)).or_default();
            if !list.contains(&b_id) {
                list.push(b_id);
            }
        }
    }

    pub fn associated(&self, from: &'static str, id: u64, to: &'static str) -> Vec<u64> {
        self.associations
            .get(&(from, id, to))
            .cloned()
            .unwrap_or_default()
    }

    /// A property's value for search and answers, the virtual ones included.
    pub fn value(&self, kind: &'static str, id: u64, obj: &Obj, name: &str) -> Option<String> {
        match name {
            "hs_object_id" => Some(id.to_string()),
            "lastmodifieddate" | "hs_lastmodifieddate" => Some(iso(obj.modified_ms)),
            "createdate" => Some(iso(obj.created_ms)),
            _ => match name.strip_prefix("associations.") {
                Some(other) => {
                    let other = object_type(other)?;
                    Some(
                        self.associated(kind, id, other)
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(";"),
                    )
                }
                None => obj.properties.get(name).cloned(),
            },
        }
    }

    /// A record as the API answers it, with the properties asked for (null when unset).
    pub fn render(&self, kind: &'static str, id: u64, obj: &Obj, asked: &[String]) -> Value {
        let mut properties = Map::new();
        let defaults = ["hs_object_id", modified_property(kind), "createdate"];
        for name in asked.iter().map(String::as_str).chain(defaults) {
            let v = self.value(kind, id, obj, name);
            properties.insert(name.to_owned(), v.map_or(Value::Null, Value::String));
        }
        json!({
            "id": id.to_string(),
            "properties": properties,
            "createdAt": iso(obj.created_ms),
            "updatedAt": iso(obj.modified_ms),
            "archived": false,
        })
    }
}

pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
