//! Small accessors over simd-json's tape, shared by the JSON source parsers.
//!
//! The tape is simd-json's flat parse result; reading it directly (rather
//! than building a tree of owned values) is what keeps normalization near
//! the parser's own speed.

use simd_json::prelude::*;
pub use simd_json::tape::{Array, Node, Object, Value};

/// A string value, or None for any other type (including `null`).
#[inline]
pub fn str_of<'i>(v: Value<'_, 'i>) -> Option<&'i str> {
    v.into_string()
}

/// An unsigned integer, accepting an integral float and a numeric string too
/// (sensors disagree on types).
#[inline]
pub fn u64_of(v: Value<'_, '_>) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    if let Some(f) = v.as_f64() {
        return (f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64);
    }
    v.into_string().and_then(|s| s.trim().parse().ok())
}

#[inline]
pub fn i64_of(v: Value<'_, '_>) -> Option<i64> {
    if let Some(n) = v.as_i64() {
        return Some(n);
    }
    if let Some(f) = v.as_f64() {
        return (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64);
    }
    v.into_string().and_then(|s| s.trim().parse().ok())
}

#[inline]
pub fn f64_of(v: Value<'_, '_>) -> Option<f64> {
    if let Some(f) = v.as_f64() {
        return Some(f);
    }
    if let Some(n) = v.as_i64() {
        return Some(n as f64);
    }
    if let Some(n) = v.as_u64() {
        return Some(n as f64);
    }
    v.into_string().and_then(|s| s.trim().parse().ok())
}

#[inline]
pub fn bool_of(v: Value<'_, '_>) -> Option<bool> {
    v.as_bool()
}

/// True for JSON `null` (which every parser treats as absent).
#[inline]
pub fn is_null(v: Value<'_, '_>) -> bool {
    v.as_null().is_some()
}

/// Writes any tape value back out as JSON text. An object that repeats a key (valid JSON
/// with no agreed meaning: readers keep the first copy or the last) is written with the
/// key once and its values in an array, in their order, as the syslog structured-data
/// writer does for a repeated parameter: nothing is lost and no reader has to choose.
/// One pass: each key is compared with its object's other keys as it is written
/// (objects in log records are small), with no check of the whole value beforehand.
pub fn write_value(out: &mut Vec<u8>, v: Value<'_, '_>) {
    if let Some(o) = v.as_object() {
        out.push(b'{');
        let mut first = true;
        for (i, (k, x)) in o.iter().enumerate() {
            // A repeated key was written with its first copy.
            if o.keys().take(i).any(|p| p == k) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            crate::json::write_str(out, k);
            out.push(b':');
            if o.keys().skip(i + 1).any(|p| p == k) {
                write_array(
                    out,
                    o.iter().skip(i).filter(|(p, _)| *p == k).map(|(_, x)| x),
                );
            } else {
                write_value(out, x);
            }
        }
        out.push(b'}');
    } else if let Some(a) = v.as_array() {
        write_array(out, a.iter());
    } else {
        // Writing to a Vec cannot fail.
        let _ = v.write(out);
    }
}

fn write_array<'t, 'i: 't>(out: &mut Vec<u8>, items: impl Iterator<Item = Value<'t, 'i>>) {
    out.push(b'[');
    for (n, x) in items.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_value(out, x);
    }
    out.push(b']');
}

/// Iterates an array's string members, skipping anything else.
pub fn strs<'t, 'i: 't>(v: Value<'t, 'i>) -> impl Iterator<Item = &'i str> + 't {
    v.as_array()
        .into_iter()
        .flat_map(|a| a.iter())
        .filter_map(|x| x.into_string())
}

/// The first key some object of `v` repeats, if any (`{"a":1,"a":2}` is valid JSON with
/// no agreed meaning). Objects in log records are small, so each key is compared with
/// the ones before it rather than hashed.
pub fn repeated_key<'i>(v: Value<'_, 'i>) -> Option<&'i str> {
    if let Some(o) = v.as_object() {
        for (i, k) in o.keys().enumerate() {
            if o.keys().take(i).any(|x| x == k) {
                return Some(k);
            }
        }
        o.values().find_map(repeated_key)
    } else if let Some(a) = v.as_array() {
        a.iter().find_map(repeated_key)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(json: &str) -> String {
        let mut buf = json.as_bytes().to_vec();
        let tape = simd_json::to_tape(&mut buf).unwrap();
        let mut out = Vec::new();
        write_value(&mut out, tape.as_value());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn repeated_keys_are_written_once_with_every_value() {
        let cases = [
            (
                "no repeat is copied as it is",
                r#"{"a":1,"b":[true,null],"c":{"d":"x"}}"#,
                r#"{"a":1,"b":[true,null],"c":{"d":"x"}}"#,
            ),
            (
                "a repeat keeps both values in order, at the first's place",
                r#"{"a":1,"b":2,"a":3}"#,
                r#"{"a":[1,3],"b":2}"#,
            ),
            (
                "three copies",
                r#"{"a":"x","a":"y","a":"z"}"#,
                r#"{"a":["x","y","z"]}"#,
            ),
            (
                "objects are kept whole",
                r#"{"x":{"a":1},"x":{"b":2}}"#,
                r#"{"x":[{"a":1},{"b":2}]}"#,
            ),
            (
                "deep inside an array",
                r#"[{"k":1},{"q":{"k":1,"k":2}}]"#,
                r#"[{"k":1},{"q":{"k":[1,2]}}]"#,
            ),
            (
                "a repeat inside a repeat",
                r#"{"a":{"b":1,"b":2},"a":3}"#,
                r#"{"a":[{"b":[1,2]},3]}"#,
            ),
            (
                "keys are escaped",
                r#"{"a\"b":1,"a\"b":"\u0000"}"#,
                r#"{"a\"b":[1,"\u0000"]}"#,
            ),
        ];
        for (name, input, want) in cases {
            let got = rewrite(input);
            assert_eq!(got, want, "{name}");
            let mut check = got.into_bytes();
            let tape = simd_json::to_tape(&mut check).unwrap();
            assert_eq!(repeated_key(tape.as_value()), None, "{name}");
        }
    }
}
