//! Parsing event JSON while noticing duplicate keys. `{"a":1,"a":2}` is legal JSON with
//! no agreed meaning: serde_json keeps the last value, SQLite's JSON functions the first.
//! The indexer parses with this, and when a key repeats it stores the document as
//! serde_json sees it, so hot columns, JSON-path queries and the printed event agree.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses `text`; the flag is true when some object repeated a key (the last one won).
pub fn parse(text: &str) -> serde_json::Result<(Value, bool)> {
    let dup = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Seed(&dup).deserialize(&mut de)?;
    de.end()?;
    Ok((v, dup.get()))
}

#[derive(Clone, Copy)]
struct Seed<'a>(&'a Cell<bool>);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
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
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(x) = seq.next_element_seed(self)? {
            out.push(x);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self)?;
            if out.insert(k, v).is_some() {
                self.0.set(true);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repeated_keys_at_any_depth() {
        let (v, dup) =
            parse(r#"{"a":{"x":1},"b":[1,2.5,"s",null,true],"c":{"d":{"e":1,"e":2}}}"#).unwrap();
        assert!(dup);
        assert_eq!(v["c"]["d"]["e"], 2);
        let (v, dup) = parse(r#"{"a":{"x":1},"b":[1,-2,"s",null,true]}"#).unwrap();
        assert!(!dup);
        assert_eq!(
            v,
            serde_json::from_str::<Value>(r#"{"a":{"x":1},"b":[1,-2,"s",null,true]}"#).unwrap()
        );
        assert!(parse("{} x").is_err());
    }
}
