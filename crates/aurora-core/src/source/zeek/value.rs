//! Typed Zeek values, the one currency between the two renderings of a log.
//!
//! A TSV row says a column's type in `#types` and spells values as text
//! (`T`, `1521911720.600843`, `a,b`, `\x09`); a JSON record carries JSON
//! types (and times as ISO strings or epoch numbers). Both are turned into a
//! [`Val`] here, and everything downstream (ECS mapping, the `zeek.<log>`
//! object) sees only `Val`s, so the two renderings of one event cannot drift
//! apart.
//!
//! Canonical forms, chosen so that TSV and JSON agree byte for byte:
//! - times are microseconds (Zeek's own resolution), written RFC 3339 UTC;
//! - `double`/`interval` are rounded to the microsecond (the TSV writer's six
//!   decimals; digits past that are float noise from subtracting timestamps);
//! - strings are what Zeek's JSON writer writes: `\xNN` text for control
//!   bytes other than `\b \f \n \r \t` and for bytes that are not UTF-8.

use crate::json;
use crate::source::tape::{self, Value};
use crate::time::{self, Micros};
use simd_json::prelude::*;
use std::borrow::Cow;

/// A Zeek column type as `#types` names it (container types by element).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    Time,
    Interval,
    Double,
    Count,
    Int,
    Port,
    Addr,
    Subnet,
    Bool,
    /// string, enum, pattern and anything else aurora keeps as text.
    Str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ty {
    pub scalar: Scalar,
    /// `set[...]`, `vector[...]` (and `table[...]`): a list of `scalar`.
    pub list: bool,
}

impl Ty {
    pub const STR: Ty = Ty {
        scalar: Scalar::Str,
        list: false,
    };

    /// Reads a `#types` entry such as `count`, `set[addr]`, `vector[interval]`.
    pub fn parse(s: &str) -> Ty {
        let (inner, list) = match s.split_once('[') {
            Some((_, rest)) => (rest.trim_end_matches(']'), true),
            None => (s, false),
        };
        let scalar = match inner {
            "time" => Scalar::Time,
            "interval" => Scalar::Interval,
            "double" => Scalar::Double,
            "count" | "counter" => Scalar::Count,
            "int" => Scalar::Int,
            "port" => Scalar::Port,
            "addr" => Scalar::Addr,
            "subnet" => Scalar::Subnet,
            "bool" => Scalar::Bool,
            _ => Scalar::Str,
        };
        Ty { scalar, list }
    }
}

/// The separators and markers of the TSV header a list value was read with.
#[derive(Clone, Copy, Debug)]
pub struct TsvList<'a> {
    pub raw: &'a str,
    pub set_separator: &'a str,
    pub unset: &'a str,
    pub empty: &'a str,
    pub elem: Scalar,
}

/// A set or vector from either rendering.
#[derive(Clone, Copy, Debug)]
pub enum List<'a> {
    Tsv(TsvList<'a>),
    Json(Value<'a, 'a>),
    Empty,
}

/// One typed field value.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    Str(Cow<'a, str>),
    Count(u64),
    Int(i64),
    /// As the sensor wrote it; written rounded to the microsecond.
    Double(f64),
    Time(Micros),
    Bool(bool),
    List(List<'a>),
    /// A JSON value with no Zeek counterpart (an object, a null inside a
    /// list): written through as it is.
    Json(Value<'a, 'a>),
    /// A JSON null list element or a TSV `-` inside a vector.
    Null,
}

/// Rounds seconds to the microsecond (see the module notes).
pub fn round_micros(v: f64) -> f64 {
    if v.is_finite() && v.abs() < 1e12 {
        (v * 1e6).round() / 1e6
    } else {
        v
    }
}

impl<'a> Val<'a> {
    /// A TSV field's text as a value of type `scalar`; Err names what it is not.
    pub fn from_tsv(raw: &'a str, scalar: Scalar) -> Result<Val<'a>, &'static str> {
        Ok(match scalar {
            Scalar::Str | Scalar::Subnet => Val::Str(unescape_value(raw)),
            Scalar::Count => Val::Count(raw.parse().map_err(|_| "a count")?),
            Scalar::Int => Val::Int(raw.parse().map_err(|_| "an int")?),
            Scalar::Port => {
                let p: u64 = raw.parse().map_err(|_| "a port")?;
                if p > 65535 {
                    return Err("a port");
                }
                Val::Count(p)
            }
            Scalar::Double | Scalar::Interval => {
                Val::Double(raw.parse::<f64>().map_err(|_| "a number")?)
            }
            Scalar::Time => Val::Time(tsv_time(raw).ok_or("a time")?),
            Scalar::Bool => match raw {
                "T" => Val::Bool(true),
                "F" => Val::Bool(false),
                _ => return Err("a bool (T or F)"),
            },
            Scalar::Addr => {
                let s = unescape_value(raw);
                if s.parse::<std::net::IpAddr>().is_err() {
                    return Err("an IP address");
                }
                Val::Str(s)
            }
        })
    }

    /// A JSON value. `is_time` says the field is a Zeek `time` (JSON carries
    /// no type, and epoch numbers look like any other double).
    pub fn from_json(v: Value<'a, 'a>, is_time: bool) -> Val<'a> {
        if let Some(s) = v.into_string() {
            if is_time && let Some(t) = time_from_str(s) {
                return Val::Time(t);
            }
            return Val::Str(Cow::Borrowed(s));
        }
        if let Some(b) = v.as_bool() {
            return Val::Bool(b);
        }
        if v.is_array() {
            return Val::List(List::Json(v));
        }
        if v.is_null() {
            return Val::Null;
        }
        if let Some(n) = v.as_u64() {
            if is_time {
                return Val::Time(epoch_int_micros(n as i64));
            }
            return Val::Count(n);
        }
        if let Some(n) = v.as_i64() {
            if is_time {
                return Val::Time(epoch_int_micros(n));
            }
            return Val::Int(n);
        }
        if let Some(f) = v.as_f64() {
            if is_time && let Some(t) = time::from_epoch_f64(f) {
                return Val::Time(t);
            }
            return Val::Double(f);
        }
        Val::Json(v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer, also from a numeric string (JSON writers
    /// other than Zeek's sometimes quote numbers).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Val::Count(n) => Some(*n),
            Val::Int(n) => u64::try_from(*n).ok(),
            Val::Double(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19 => Some(*f as u64),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Count(n) => Some(*n as f64),
            Val::Int(n) => Some(*n as f64),
            Val::Double(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_time(&self) -> Option<Micros> {
        match self {
            Val::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// Visits the members of a list (a scalar counts as a list of one).
    pub fn each(&self, mut f: impl FnMut(Val<'_>)) {
        match self {
            Val::List(List::Tsv(l)) => {
                for part in split_sep(l.raw, l.set_separator) {
                    if part == l.unset {
                        f(Val::Null);
                    } else if part == l.empty && l.elem == Scalar::Str {
                        f(Val::Str(Cow::Borrowed("")));
                    } else if let Ok(v) = Val::from_tsv(part, l.elem) {
                        f(v);
                    }
                }
            }
            Val::List(List::Json(a)) => {
                if let Some(arr) = a.as_array() {
                    for x in arr.iter() {
                        f(Val::from_json(x, false));
                    }
                }
            }
            Val::List(List::Empty) | Val::Null => {}
            other => f(other.clone()),
        }
    }

    /// Appends the value as JSON.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Val::Str(s) => json::write_str(out, s),
            Val::Count(n) => json::write_u64(out, *n),
            Val::Int(n) => json::write_i64(out, *n),
            Val::Double(f) => json::write_f64(out, round_micros(*f)),
            Val::Time(t) => time::write_rfc3339_micros(out, *t),
            Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Val::Json(v) => tape::write_value(out, *v),
            Val::Null => out.extend_from_slice(b"null"),
            Val::List(_) => {
                out.push(b'[');
                let mut first = true;
                self.each(|v| {
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    v.write(out);
                });
                out.push(b']');
            }
        }
    }
}

/// Checks every member of a TSV list against its element type, so that a
/// bad member rejects the row instead of vanishing later.
pub fn check_tsv_list(l: &TsvList<'_>) -> Result<(), &'static str> {
    for part in split_sep(l.raw, l.set_separator) {
        if part != l.unset && !(part == l.empty && l.elem == Scalar::Str) {
            Val::from_tsv(part, l.elem)?;
        }
    }
    Ok(())
}

/// Splits a TSV list on the set separator; memchr for the usual one-byte
/// separator (str's general splitter is the slow part of reading sets).
fn split_sep<'s>(raw: &'s str, sep: &'s str) -> impl Iterator<Item = &'s str> {
    let byte = match sep.as_bytes() {
        [b] if b.is_ascii() => Some(*b),
        _ => None,
    };
    let mut general = byte.is_none().then(|| raw.split(sep));
    let mut rest = Some(raw);
    std::iter::from_fn(move || {
        if let Some(g) = general.as_mut() {
            return g.next();
        }
        let r = rest?;
        match byte.and_then(|b| memchr::memchr(b, r.as_bytes())) {
            // An ASCII byte is always a char boundary.
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// A TSV time: `1521911720.600843`, or exponent notation, which Zeek's
/// TSV writer uses for large values (`2.385616957e+09`).
fn tsv_time(raw: &str) -> Option<Micros> {
    time::parse_epoch_secs(raw).or_else(|| {
        if raw.contains(['e', 'E']) {
            raw.parse::<f64>().ok().and_then(time::from_epoch_f64)
        } else {
            None
        }
    })
}

/// An ISO 8601 stamp (Zeek's `JSON::TS_ISO8601`) or epoch seconds as text.
fn time_from_str(s: &str) -> Option<Micros> {
    if let Some(p) = time::parse_iso8601(s) {
        return Some(p.utc(0));
    }
    time::parse_epoch_secs(s)
}

/// Integer epoch times: `JSON::TS_MILLIS` writes milliseconds; a value too
/// large to be seconds in any plausible year is read as such.
fn epoch_int_micros(n: i64) -> Micros {
    if n.unsigned_abs() > 100_000_000_000 {
        n.saturating_mul(1000)
    } else {
        n.saturating_mul(time::MICROS_PER_SEC)
    }
}

/// Decodes a TSV value (`\\` is a backslash, `\xNN` a byte) into the form
/// Zeek's JSON writer gives the same bytes.
pub fn unescape_value(raw: &str) -> Cow<'_, str> {
    if !raw.as_bytes().contains(&b'\\') {
        return Cow::Borrowed(raw);
    }
    let b = raw.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1) {
                Some(b'\\') => {
                    bytes.push(b'\\');
                    i += 2;
                    continue;
                }
                Some(b'x') => {
                    if let (Some(h), Some(l)) = (
                        b.get(i + 2).copied().and_then(hex),
                        b.get(i + 3).copied().and_then(hex),
                    ) {
                        bytes.push(h << 4 | l);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    Cow::Owned(json_form(&bytes))
}

/// Renders raw bytes as Zeek's JSON writer does: UTF-8 kept, other bytes
/// and non-whitespace control characters as `\xNN` text.
fn json_form(mut b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    loop {
        match std::str::from_utf8(b) {
            Ok(s) => {
                push_controls_escaped(&mut out, s);
                return out;
            }
            Err(e) => {
                let (good, rest) = b.split_at(e.valid_up_to());
                // Valid by construction: from_utf8 said so up to here.
                push_controls_escaped(&mut out, std::str::from_utf8(good).unwrap_or(""));
                let bad = e.error_len().unwrap_or(rest.len()).max(1).min(rest.len());
                for &c in &rest[..bad] {
                    push_hex(&mut out, c);
                }
                b = &rest[bad..];
            }
        }
    }
}

fn push_controls_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if (c as u32) < 0x20 && !matches!(c, '\u{8}' | '\u{c}' | '\n' | '\r' | '\t') {
            push_hex(out, c as u8);
        } else {
            out.push(c);
        }
    }
}

fn push_hex(out: &mut String, c: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\x");
    out.push(HEX[(c >> 4) as usize] as char);
    out.push(HEX[(c & 15) as usize] as char);
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_like_the_json_writer_writes() {
        // A literal backslash is doubled in TSV; control bytes come back as
        // the `\xNN` text Zeek's JSON writer uses; newlines stay newlines.
        assert_eq!(unescape_value(r"mstshash\\="), r"mstshash\=");
        assert_eq!(unescape_value(r"a\x0ab\x01"), "a\nb\\x01");
        assert_eq!(unescape_value(r"\\x0d\\x0a"), r"\x0d\x0a");
        assert_eq!(unescape_value(r"caf\xc3\xa9"), "café");
        assert_eq!(unescape_value(r"\xff!"), r"\xff!");
        assert_eq!(unescape_value(r"tab\x09sep"), "tab\tsep");
        assert_eq!(unescape_value(r"trailing \x4"), r"trailing \x4");
        assert_eq!(unescape_value(r"C:\temp"), r"C:\temp");
    }

    #[test]
    fn tsv_types() {
        assert!(matches!(
            Val::from_tsv("0.000431", Scalar::Interval),
            Ok(Val::Double(f)) if f == 0.000431
        ));
        assert_eq!(Val::from_tsv("abc", Scalar::Count).unwrap_err(), "a count");
        assert_eq!(Val::from_tsv("70000", Scalar::Port).unwrap_err(), "a port");
        assert_eq!(
            Val::from_tsv("10.0.0.256", Scalar::Addr).unwrap_err(),
            "an IP address"
        );
        assert_eq!(Ty::parse("vector[interval]").scalar, Scalar::Interval);
        assert!(Ty::parse("set[string]").list);
        assert_eq!(round_micros(0.000431060791015625), 0.000431);
        let parts = |raw, sep| split_sep(raw, sep).collect::<Vec<_>>();
        assert_eq!(parts("a,b,,c", ","), ["a", "b", "", "c"]);
        assert_eq!(parts("", ","), [""]);
        assert_eq!(parts("a::b", "::"), ["a", "b"]);
    }
}
