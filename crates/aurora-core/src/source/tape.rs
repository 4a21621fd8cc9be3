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

/// Writes any tape value back out as JSON text.
#[inline]
pub fn write_value(out: &mut Vec<u8>, v: Value<'_, '_>) {
    // Writing to a Vec cannot fail.
    let _ = v.write(out);
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
