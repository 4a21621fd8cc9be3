//! JSON writers for values that need a small rewrite on the way out
//! (lowercase, MAC and fingerprint shapes, `_` to space) and a copier for
//! tape values that drops `null` members. All write straight into the
//! event's arena: nothing here allocates for well-formed input.

use crate::json;
use crate::source::tape::{self, Value};
use simd_json::ValueType;
use simd_json::prelude::*;

/// True if `s` can be written between quotes byte for byte.
#[inline]
fn plain(s: &str) -> bool {
    s.bytes().all(|c| c >= 0x20 && c != b'"' && c != b'\\')
}

/// Writes `s` as a JSON string with every byte passed through `map`
/// (`None` drops the byte). `map` only sees ASCII, so the result stays UTF-8;
/// strings with other bytes or with characters needing escapes are written
/// unchanged (rare, and never worth a wrong rewrite).
#[inline]
pub fn write_mapped(out: &mut Vec<u8>, s: &str, map: impl Fn(u8) -> Option<u8>) {
    if !s.is_ascii() || !plain(s) {
        json::write_str(out, s);
        return;
    }
    out.push(b'"');
    out.extend(s.bytes().filter_map(map));
    out.push(b'"');
}

/// `TCP` → `"tcp"`.
#[inline]
pub fn write_lower(out: &mut Vec<u8>, s: &str) {
    write_mapped(out, s, |c| Some(c.to_ascii_lowercase()));
}

/// `00:03:2d:3f:e5:63` → `"00-03-2D-3F-E5-63"`, the form ECS asks for.
pub fn write_mac(out: &mut Vec<u8>, s: &str) {
    write_mapped(out, s, |c| {
        Some(match c {
            b':' | b'.' => b'-',
            c => c.to_ascii_uppercase(),
        })
    });
}

/// `6a:ff:ac` → `"6AFFAC"` (certificate fingerprints, as Elastic writes
/// `tls.server.hash.sha1`).
pub fn write_hex_upper(out: &mut Vec<u8>, s: &str) {
    write_mapped(out, s, |c| (c != b':').then_some(c.to_ascii_uppercase()));
}

/// `5C:9C:E1` → `"5C9CE1"` (x509 serial numbers).
pub fn write_no_colons(out: &mut Vec<u8>, s: &str) {
    write_mapped(out, s, |c| (c != b':').then_some(c));
}

/// `Initial_Access` → `"Initial Access"` (ET metadata spells spaces as `_`).
pub fn write_underscored(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for (i, part) in s.split('_').enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        json::escape_into(out, part.as_bytes());
    }
    out.push(b'"');
}

/// Containers nested deeper than this below the value being copied are
/// written as a string holding their JSON text. Real EVE stays under ten
/// levels; a crafted record of a thousand would otherwise make an event that
/// Elasticsearch (mapping depth limit 20) and most JSON readers refuse.
pub const MAX_DEPTH: usize = 16;

/// Copies a tape value as JSON, leaving out `null` object members and array
/// elements: a `null` in EVE means "absent" and must not reach the output.
pub fn write_clean(out: &mut Vec<u8>, v: Value<'_, '_>) {
    write_at(out, v, Some(0));
}

/// `depth` is None inside a container being turned into text (no limit).
fn write_at(out: &mut Vec<u8>, v: Value<'_, '_>, depth: Option<usize>) {
    // One look at the node's type, then straight to its writer.
    match v.value_type() {
        ValueType::String => json::write_str(out, v.into_string().unwrap_or("")),
        ValueType::I64 => json::write_i64(out, v.as_i64().unwrap_or(0)),
        ValueType::U64 => json::write_u64(out, v.as_u64().unwrap_or(0)),
        ValueType::F64 => json::write_f64(out, v.as_f64().unwrap_or(0.0)),
        ValueType::Bool => out.extend_from_slice(if v.as_bool() == Some(true) {
            b"true"
        } else {
            b"false"
        }),
        ValueType::Object | ValueType::Array => write_container(out, v, depth),
        _ => out.extend_from_slice(b"null"),
    }
}

fn write_container(out: &mut Vec<u8>, v: Value<'_, '_>, depth: Option<usize>) {
    if depth.is_some_and(|d| d >= MAX_DEPTH) {
        // Only crafted input gets here, so the allocation does not matter.
        // The copy recurses as deep as the parser allowed (1024 levels).
        let mut text = Vec::new();
        write_at(&mut text, v, None);
        json::write_str(out, &String::from_utf8_lossy(&text));
        return;
    }
    let depth = depth.map(|d| d + 1);
    if let Some(o) = v.as_object() {
        out.push(b'{');
        let mut first = true;
        for (k, x) in o.iter() {
            if tape::is_null(x) {
                continue;
            }
            json::write_key(out, !first, k);
            first = false;
            write_at(out, x, depth);
        }
        out.push(b'}');
    } else if let Some(a) = v.as_array() {
        out.push(b'[');
        let mut first = true;
        for x in a.iter() {
            if tape::is_null(x) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            write_at(out, x, depth);
        }
        out.push(b']');
    }
}

/// Writes the members of an object, one `"key":value` per member, skipping
/// nulls and keys `skip` accepts. Returns whether anything was written.
/// `first` tracks the separator across calls that share one object.
pub fn write_members(
    out: &mut Vec<u8>,
    v: Value<'_, '_>,
    first: &mut bool,
    skip: impl Fn(&str) -> bool,
) {
    let Some(o) = v.as_object() else { return };
    for (k, x) in o.iter() {
        if tape::is_null(x) || skip(k) {
            continue;
        }
        key(out, first, k);
        write_clean(out, x);
    }
}

/// Writes `,"k":` (or `"k":` for the first member).
#[inline]
pub fn key(out: &mut Vec<u8>, first: &mut bool, k: &str) {
    json::write_key(out, !*first, k);
    *first = false;
}

/// Writes `"k":{…members…}` unless no member survives `skip`, in which case
/// nothing at all is written (an empty object is noise).
pub fn write_filtered(
    out: &mut Vec<u8>,
    first: &mut bool,
    k: &str,
    v: Value<'_, '_>,
    skip: impl Fn(&str) -> bool,
) {
    let mark = out.len();
    let was_first = *first;
    key(out, first, k);
    out.push(b'{');
    let open = out.len();
    let mut inner = true;
    write_members(out, v, &mut inner, skip);
    if out.len() == open {
        out.truncate(mark);
        *first = was_first;
    } else {
        out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn rewrites() {
        assert_eq!(s(|b| write_lower(b, "IPv6-ICMP")), r#""ipv6-icmp""#);
        assert_eq!(
            s(|b| write_mac(b, "00:03:2d:3f:e5:63")),
            r#""00-03-2D-3F-E5-63""#
        );
        assert_eq!(s(|b| write_hex_upper(b, "6a:ff:0c")), r#""6AFF0C""#);
        assert_eq!(s(|b| write_no_colons(b, "5C:9C:E1")), r#""5C9CE1""#);
        assert_eq!(
            s(|b| write_underscored(b, "Initial_Access")),
            r#""Initial Access""#
        );
        // Not plain ASCII: written unchanged rather than half-rewritten.
        assert_eq!(s(|b| write_lower(b, "ÉTÉ\"")), r#""ÉTÉ\"""#);
    }
}
