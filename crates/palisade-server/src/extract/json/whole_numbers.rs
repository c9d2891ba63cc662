//! A second reading of a body refused for its shape: every number written as a float with nothing
//! after the point (`2.0`, `1e3`) becomes the integer JSON Schema says it is. Reading into a
//! `Value` would quietly keep the last of two equal keys, where the typed reading refuses them, so
//! this reader refuses duplicate keys itself.
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Largest magnitude a float spells exactly as an integer.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// `None` when the body has no whole-number float (reading it again changes nothing, so the first
/// refusal stands), a duplicate key as an error message, or the body with those floats as integers.
pub(super) fn normalized(bytes: &[u8]) -> Option<Result<Value, String>> {
    let mut changed = false;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match (Reader {
        changed: &mut changed,
    })
    .deserialize(&mut de)
    {
        Ok(value) => value,
        Err(e) if e.is_data() => return Some(Err(e.to_string().split(" at line").next()?.to_owned())),
        Err(_) => return None,
    };
    // Anything after the value is malformed: the first refusal stands.
    de.end().ok()?;
    changed.then_some(Ok(value))
}

struct Reader<'a> {
    changed: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        if v.fract() == 0.0 && v.abs() <= EXACT {
            *self.changed = true;
            // In range and whole, so the casts are exact; `-0.0` is 0.
            return Ok(if v < 0.0 {
                Value::from(v as i64)
            } else {
                Value::from(v as u64)
            });
        }
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Reader {
            changed: &mut *self.changed,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut seen = HashSet::new();
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let value = map.next_value_seed(Reader {
                changed: &mut *self.changed,
            })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalized;

    #[test]
    fn whole_floats_become_integers_and_nothing_else_changes() {
        let body = br#"{"limit": 20.0, "big": 1e3, "neg": -3.0, "ratio": 0.5, "list": [1.0, "2.0"]}"#;
        let value = normalized(body).unwrap().unwrap();
        assert_eq!(
            value,
            json!({"limit": 20, "big": 1000, "neg": -3, "ratio": 0.5, "list": [1, "2.0"]})
        );
        assert!(value["limit"].is_u64() && value["neg"].is_i64());
    }

    #[test]
    fn nothing_to_change_and_duplicates_and_huge_floats() {
        assert!(normalized(br#"{"limit": 20, "ratio": 0.5}"#).is_none());
        let duplicate = normalized(br#"{"limit": 1.0, "limit": 2}"#).unwrap().unwrap_err();
        assert_eq!(duplicate, "duplicate field `limit`");
        // Beyond 2^53 a float is no longer an exact integer: left as it is.
        assert!(normalized(br#"{"n": 1e300}"#).is_none());
        assert!(normalized(b"{not json").is_none());
        assert!(normalized(br#"{"limit": 20.0} junk"#).is_none(), "trailing bytes");
        assert!(
            normalized(br#"{"limit": 2.0}{"x": 1}"#).is_none(),
            "a second value"
        );
    }
}
