//! Any JSON log through a user's mapping file (TOML): timestamp field and
//! format, field renames to ECS, constants and a severity rule.
//!
//! The file format is documented for users in `docs/custom-mapping.md`;
//! `testdata/custom/caddy.toml` is a worked example. Loading checks
//! everything that can be checked without data (formats, zones, target
//! paths, severities) so that a mistake is reported once, with its line,
//! rather than as a reject on every record.

use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::source::util::{self, Related};
use crate::time::{self, Micros};
use serde::Deserialize;
use simd_json::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// A mapping file that could not be loaded, with the line it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    /// 1-based line in the mapping file, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for MappingError {}

// ---- The file, as written -------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    timestamp: Option<Spanned<TimestampSpec>>,
    #[serde(default)]
    fields: BTreeMap<Spanned<String>, Spanned<TargetSpec>>,
    #[serde(default)]
    constants: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    severity: Option<Spanned<SeveritySpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimestampSpec {
    field: Spanned<String>,
    #[serde(default = "default_format")]
    format: Spanned<String>,
    timezone: Option<Spanned<String>>,
}

fn default_format() -> Spanned<String> {
    Spanned::new(0..0, "rfc3339".to_string())
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TargetSpec {
    Path(String),
    Full(TargetTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetTable {
    field: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    multiply: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeveritySpec {
    field: Spanned<String>,
    #[serde(default)]
    map: BTreeMap<String, Spanned<i64>>,
    #[serde(default)]
    ranges: Vec<Spanned<RangeSpec>>,
    default: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeSpec {
    from: f64,
    to: f64,
    severity: i64,
}

// ---- The compiled mapping -------------------------------------------------

/// How a timestamp is written.
#[derive(Clone, Debug, PartialEq)]
enum TimeFormat {
    Rfc3339,
    Epoch,
    EpochMs,
    EpochUs,
    EpochNs,
    /// A chrono strftime format; `zoned` if it reads an offset itself.
    Strftime {
        fmt: String,
        zoned: bool,
        date_only: bool,
    },
}

#[derive(Clone, Debug)]
struct TimeRule {
    field: Vec<String>,
    format: TimeFormat,
    tz: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Conv {
    Keep,
    Str,
    Int,
    Float,
    Bool,
}

#[derive(Clone, Debug)]
struct FieldRule {
    /// The source path, split at dots (the whole dotted key is tried first).
    src: String,
    target: String,
    conv: Conv,
    multiply: Option<f64>,
    related: Option<RelatedKind>,
}

#[derive(Clone, Copy, Debug)]
enum RelatedKind {
    Ip,
    User,
    Host,
}

#[derive(Clone, Debug)]
struct SeverityRule {
    field: String,
    map: Vec<(String, u8)>,
    ranges: Vec<(f64, f64, u8)>,
    default: Option<u8>,
}

/// A parsed mapping file.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    module: Option<&'static str>,
    time: Option<TimeRule>,
    fields: Vec<FieldRule>,
    /// Target path and the JSON text of its value.
    constants: Vec<(String, Vec<u8>)>,
    kind_set: bool,
    dataset_set: bool,
    severity: Option<SeverityRule>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|b| *b == b'\n').count() + 1)
}

/// Paths a mapping may not write: aurora sets them itself.
fn reserved(target: &str) -> Option<&'static str> {
    if target == "@timestamp" {
        Some("set @timestamp with the [timestamp] table")
    } else if target == "aurora" || target.starts_with("aurora.") {
        Some("aurora.* is set by aurora")
    } else if target == "event.original" {
        Some("event.original is the raw record, kept by aurora")
    } else if target == "event.severity" {
        Some("set event.severity with the [severity] table")
    } else {
        None
    }
}

fn valid_path(p: &str) -> bool {
    !p.is_empty()
        && p.split('.')
            .all(|s| !s.is_empty() && !s.contains(['"', '\\']))
}

fn related_kind(target: &str) -> Option<RelatedKind> {
    match target {
        "source.ip" | "destination.ip" | "client.ip" | "server.ip" | "host.ip" => {
            Some(RelatedKind::Ip)
        }
        "user.name"
        | "source.user.name"
        | "destination.user.name"
        | "user.target.name"
        | "user.effective.name" => Some(RelatedKind::User),
        "host.name" | "host.hostname" | "source.domain" | "destination.domain" | "url.domain" => {
            Some(RelatedKind::Host)
        }
        _ => None,
    }
}

impl Mapping {
    /// Parses and checks a mapping file. Errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        let err = |span: std::ops::Range<usize>, message: String| MappingError {
            line: (span.end > 0).then(|| line_of(text, span.start)),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| MappingError {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut m = Mapping::default();

        if let Some(ts) = file.timestamp {
            let ts = ts.into_inner();
            let fspan = ts.format.span();
            let f = ts.format.into_inner();
            let format = match f.as_str() {
                "rfc3339" | "iso8601" => TimeFormat::Rfc3339,
                "epoch" | "epoch_s" => TimeFormat::Epoch,
                "epoch_ms" => TimeFormat::EpochMs,
                "epoch_us" => TimeFormat::EpochUs,
                "epoch_ns" => TimeFormat::EpochNs,
                s if s.contains('%') => {
                    if chrono::format::StrftimeItems::new(s).parse().is_err() {
                        return Err(err(
                            fspan,
                            format!("timestamp.format: bad strftime format {s:?}"),
                        ));
                    }
                    let zoned = s.contains("%z") || s.contains("%:z") || s.contains("%#z");
                    let date_only = !(s.contains("%H")
                        || s.contains("%T")
                        || s.contains("%R")
                        || s.contains("%I")
                        || s.contains("%s")
                        || s.contains("%c"));
                    TimeFormat::Strftime {
                        fmt: s.to_string(),
                        zoned,
                        date_only,
                    }
                }
                other => {
                    return Err(err(
                        fspan,
                        format!(
                            "timestamp.format: unknown format {other:?} (use rfc3339, epoch, \
                             epoch_ms, epoch_us, epoch_ns or a strftime format with %)"
                        ),
                    ));
                }
            };
            let tz = match ts.timezone {
                Some(z) => {
                    let span = z.span();
                    let z = z.into_inner();
                    if util::local_to_utc(0, &z).is_none() {
                        return Err(err(
                            span,
                            format!(
                                "timestamp.timezone: unknown zone {z:?} (an IANA name such as Europe/Berlin, or an offset such as +02:00)"
                            ),
                        ));
                    }
                    Some(z)
                }
                None => None,
            };
            let field_span = ts.field.span();
            let field = ts.field.into_inner();
            if field.is_empty() {
                return Err(err(field_span, "timestamp.field is empty".into()));
            }
            m.time = Some(TimeRule {
                field: field.split('.').map(str::to_string).collect(),
                format,
                tz,
            });
            // Keep the whole dotted name too: a flat key may contain dots.
            if let Some(t) = m.time.as_mut() {
                t.field.insert(0, field);
            }
        }

        for (src, target) in file.fields {
            let span = src.span();
            let src = src.into_inner();
            let tspan = target.span();
            let (path, kind, multiply) = match target.into_inner() {
                TargetSpec::Path(p) => (p, None, None),
                TargetSpec::Full(t) => (t.field, t.kind, t.multiply),
            };
            if !valid_path(&src) {
                return Err(err(span, format!("fields: bad source field name {src:?}")));
            }
            if !valid_path(&path) && path != "@timestamp" {
                return Err(err(
                    tspan,
                    format!("fields.{src:?}: bad ECS field name {path:?}"),
                ));
            }
            if let Some(why) = reserved(&path) {
                return Err(err(
                    tspan,
                    format!("fields.{src:?}: cannot map to {path}: {why}"),
                ));
            }
            let conv = match kind.as_deref() {
                None | Some("keep") => Conv::Keep,
                Some("string") => Conv::Str,
                Some("int") | Some("integer") => Conv::Int,
                Some("float") | Some("number") => Conv::Float,
                Some("bool") | Some("boolean") => Conv::Bool,
                Some(other) => {
                    return Err(err(
                        tspan,
                        format!(
                            "fields.{src:?}: unknown type {other:?} (keep, string, int, float, bool)"
                        ),
                    ));
                }
            };
            m.fields.push(FieldRule {
                related: related_kind(&path),
                src,
                target: path,
                conv,
                multiply,
            });
        }

        for (k, v) in file.constants {
            let span = k.span();
            let k = k.into_inner();
            if !valid_path(&k) {
                return Err(err(span, format!("constants: bad ECS field name {k:?}")));
            }
            if let Some(why) = reserved(&k) {
                return Err(err(span, format!("constants: cannot set {k}: {why}")));
            }
            let v = v.into_inner();
            if k == "event.module" {
                let Some(s) = v.as_str() else {
                    return Err(err(span, "constants: event.module must be a string".into()));
                };
                m.module = Some(intern(s));
                continue;
            }
            m.kind_set |= k == "event.kind";
            m.dataset_set |= k == "event.dataset";
            let mut text = Vec::new();
            toml_to_json(&v, &mut text);
            m.constants.push((k, text));
        }

        // Two targets where one is inside the other would write a key twice.
        let targets: Vec<&str> = m
            .fields
            .iter()
            .map(|f| f.target.as_str())
            .chain(m.constants.iter().map(|(k, _)| k.as_str()))
            .collect();
        for a in &targets {
            for b in &targets {
                if b.len() > a.len() && b.starts_with(a) && b.as_bytes()[a.len()] == b'.' {
                    return Err(MappingError {
                        line: None,
                        message: format!("`{a}` is set as a value and `{b}` inside it: pick one"),
                    });
                }
            }
        }

        if let Some(sev) = file.severity {
            let sev = sev.into_inner();
            let check = |v: &Spanned<i64>, what: &str| -> Result<u8, MappingError> {
                let n = *v.get_ref();
                if (0..=5).contains(&n) {
                    Ok(n as u8)
                } else {
                    Err(err(
                        v.span(),
                        format!("severity.{what}: {n} is not 0–5 (0 unknown, 1 info … 5 critical)"),
                    ))
                }
            };
            let mut map = Vec::new();
            for (k, v) in &sev.map {
                map.push((k.clone(), check(v, &format!("map.{k}"))?));
            }
            let mut ranges = Vec::new();
            for r in &sev.ranges {
                let span = r.span();
                let r = r.get_ref();
                if !(0..=5).contains(&r.severity) || r.from > r.to {
                    return Err(err(
                        span,
                        "severity.ranges: need from <= to and severity 0–5".into(),
                    ));
                }
                ranges.push((r.from, r.to, r.severity as u8));
            }
            let default = sev
                .default
                .as_ref()
                .map(|d| check(d, "default"))
                .transpose()?;
            m.severity = Some(SeverityRule {
                field: sev.field.into_inner(),
                map,
                ranges,
                default,
            });
        }
        Ok(m)
    }

    /// Reads and parses a mapping file (`--mapping FILE`).
    pub fn load(path: &std::path::Path) -> Result<Mapping, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|e| MappingError {
            line: None,
            message: format!("cannot read the mapping file: {e}"),
        })?;
        Mapping::from_toml(&text)
    }

    /// The module name events get (`event.module`, default `custom`).
    pub fn module(&self) -> &'static str {
        self.module.unwrap_or("custom")
    }
}

/// The `&'static str` an event keeps as its module (for `aurora.source`).
/// A run loads a mapping once; interning keeps repeated loads (tests,
/// fuzzing) from leaking a copy each time.
fn intern(s: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == s) {
        return n;
    }
    let n: &'static str = Box::leak(s.to_string().into_boxed_str());
    names.push(n);
    n
}

fn toml_to_json(v: &toml::Value, out: &mut Vec<u8>) {
    match v {
        toml::Value::String(s) => json::write_str(out, s),
        toml::Value::Integer(n) => json::write_i64(out, *n),
        toml::Value::Float(f) => json::write_f64(out, *f),
        toml::Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        toml::Value::Datetime(d) => json::write_str(out, &d.to_string()),
        toml::Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                toml_to_json(x, out);
            }
            out.push(b']');
        }
        toml::Value::Table(t) => {
            out.push(b'{');
            for (i, (k, x)) in t.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json::write_str(out, k);
                out.push(b':');
                toml_to_json(x, out);
            }
            out.push(b'}');
        }
    }
}

/// A value at a source path: the whole (possibly dotted) key first, then
/// nested objects.
fn lookup<'t, 'i>(root: Value<'t, 'i>, path: &str) -> Option<Value<'t, 'i>> {
    if let Some(v) = root.get(path) {
        return Some(v);
    }
    if !path.contains('.') {
        return None;
    }
    let mut v = root;
    for seg in path.split('.') {
        v = v.get(seg)?;
    }
    Some(v)
}

/// A one-element array stands for its element (Caddy writes headers as
/// lists: `"User-Agent": ["curl/8.5.0"]`).
fn unwrap_single<'t, 'i>(v: Value<'t, 'i>) -> Value<'t, 'i> {
    match v.as_array() {
        Some(a) if a.len() == 1 => a.get(0).unwrap_or(v),
        _ => v,
    }
}

fn read_time(v: Value<'_, '_>, rule: &TimeRule) -> Result<Micros, String> {
    let num = || tape::f64_of(v).ok_or_else(|| "not a number".to_string());
    let micros = match &rule.format {
        TimeFormat::Rfc3339 => {
            let s = tape::str_of(v).ok_or("not a string")?;
            let p = time::parse_iso8601(s).ok_or_else(|| format!("{s:?} is not RFC 3339"))?;
            match (p.offset, rule.tz.as_deref()) {
                (Some(_), _) | (None, None) => p.utc(0),
                (None, Some(z)) => {
                    util::local_to_utc(p.local, z).ok_or("time skipped by the zone")?
                }
            }
        }
        TimeFormat::Epoch => {
            if let Some(s) = tape::str_of(v) {
                time::parse_epoch_secs(s.trim())
                    .ok_or_else(|| format!("{s:?} is not epoch seconds"))?
            } else if let Some(n) = v.as_i64() {
                n.checked_mul(1_000_000).ok_or("out of range")?
            } else {
                time::from_epoch_f64(num()?).ok_or("out of range")?
            }
        }
        TimeFormat::EpochMs => (num()? * 1e3).round() as i64,
        TimeFormat::EpochUs => num()?.round() as i64,
        TimeFormat::EpochNs => {
            tape::i64_of(v).map_or_else(|| num().map(|f| (f / 1e3) as i64), |n| Ok(n / 1000))?
        }
        TimeFormat::Strftime {
            fmt,
            zoned,
            date_only,
        } => {
            let s = tape::str_of(v).ok_or("not a string")?;
            if *zoned {
                chrono::DateTime::parse_from_str(s, fmt)
                    .map_err(|e| format!("{s:?} does not match {fmt:?}: {e}"))?
                    .timestamp_micros()
            } else {
                let naive = if *date_only {
                    chrono::NaiveDate::parse_from_str(s, fmt)
                        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
                } else {
                    chrono::NaiveDateTime::parse_from_str(s, fmt)
                }
                .map_err(|e| format!("{s:?} does not match {fmt:?}: {e}"))?;
                let local = naive.and_utc().timestamp_micros();
                match rule.tz.as_deref() {
                    Some(z) => util::local_to_utc(local, z).ok_or("time skipped by the zone")?,
                    None => local,
                }
            }
        }
    };
    Ok(micros)
}

fn severity_of(v: Value<'_, '_>, rule: &SeverityRule) -> Option<u8> {
    let v = unwrap_single(v);
    if let Some(s) = tape::str_of(v) {
        if let Some((_, n)) = rule.map.iter().find(|(k, _)| k.eq_ignore_ascii_case(s)) {
            return Some(*n);
        }
    } else if v.as_bool().is_some()
        || v.as_f64().is_some()
        || v.as_i64().is_some()
        || v.as_u64().is_some()
    {
        let mut text = Vec::new();
        tape::write_value(&mut text, v);
        if let Ok(t) = std::str::from_utf8(&text)
            && let Some((_, n)) = rule.map.iter().find(|(k, _)| k == t)
        {
            return Some(*n);
        }
    }
    let x = tape::f64_of(v)?;
    rule.ranges
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&x))
        .map(|r| r.2)
}

/// Maps one JSON record through `mapping`.
pub fn normalize(
    root: Value<'_, '_>,
    mapping: &Mapping,
    ev: &mut Event,
) -> Result<(), RecordError> {
    if !root.is_object() {
        return Err("custom mapping: the record is not a JSON object".into());
    }
    let module = mapping.module();
    ev.set_module(module);
    if !mapping.kind_set {
        ev.str(F::EventKind, "event");
    }
    if !mapping.dataset_set {
        ev.str(F::EventDataset, module);
    }
    let mut rel = Related::default();
    for rule in &mapping.fields {
        let Some(v) = lookup(root, &rule.src) else {
            continue;
        };
        let v = unwrap_single(v);
        // Logs write "" for "no value" as often as null (Caddy's user_id).
        if tape::is_null(v) || tape::str_of(v) == Some("") {
            continue;
        }
        if let (Some(kind), Some(s)) = (rule.related, tape::str_of(v)) {
            match kind {
                RelatedKind::Ip => {
                    if util::is_ip(s) {
                        rel.ip.push(s)
                    }
                }
                RelatedKind::User => rel.user.push(s),
                RelatedKind::Host => rel.hosts.push(s),
            }
        }
        write_converted(ev, rule, v);
    }
    for (k, text) in &mapping.constants {
        ev.dyn_with(k, |b| b.extend_from_slice(text));
    }
    if let Some(t) = &mapping.time {
        let v = t
            .field
            .first()
            .and_then(|whole| lookup(root, whole))
            .filter(|v| !tape::is_null(*v));
        match v.map(|v| read_time(v, t)) {
            Some(Ok(micros)) => ev.time(F::Timestamp, micros),
            Some(Err(e)) => ev.warn(format!("timestamp field `{}`: {e}", t.field[0])),
            None => ev.warn(format!("no timestamp field `{}` in the record", t.field[0])),
        }
    }
    let sev = mapping.severity.as_ref().and_then(|rule| {
        lookup(root, &rule.field)
            .and_then(|v| severity_of(v, rule))
            .or(rule.default)
    });
    ev.severity(sev.unwrap_or(0));
    rel.write(ev);
    Ok(())
}

fn write_converted(ev: &mut Event, rule: &FieldRule, v: Value<'_, '_>) {
    let scaled = |x: f64| rule.multiply.map_or(x, |m| x * m);
    match rule.conv {
        Conv::Keep if rule.multiply.is_none() => {
            ev.dyn_with(&rule.target, |b| tape::write_value(b, v));
        }
        Conv::Keep | Conv::Float => {
            if let Some(x) = tape::f64_of(v) {
                ev.dyn_with(&rule.target, |b| json::write_f64(b, scaled(x)));
            }
        }
        Conv::Int => {
            let n = tape::i64_of(v)
                .map(|n| scaled(n as f64))
                .or_else(|| tape::f64_of(v).map(scaled));
            if let Some(x) = n.filter(|x| x.is_finite()) {
                ev.dyn_with(&rule.target, |b| json::write_i64(b, x.round() as i64));
            }
        }
        Conv::Str => {
            if let Some(s) = tape::str_of(v) {
                ev.dyn_str(&rule.target, s);
            } else if !v.is_array() && !v.is_object() {
                let mut text = Vec::new();
                tape::write_value(&mut text, v);
                let s = String::from_utf8_lossy(&text);
                ev.dyn_str(&rule.target, &s);
            }
        }
        Conv::Bool => {
            let b = v.as_bool().or_else(|| match tape::str_of(v) {
                Some("true" | "1" | "yes") => Some(true),
                Some("false" | "0" | "no") => Some(false),
                _ => None,
            });
            if let Some(x) = b {
                ev.dyn_with(&rule.target, |buf| {
                    buf.extend_from_slice(if x { b"true" } else { b"false" })
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "[timestamp]\nfield = \"ts\"\nformat = \"epochs\"\n",
                3,
                "unknown format",
            ),
            (
                "[fields]\n\"a\" = \"source.ip\"\n\"b\" = \"@timestamp\"\n",
                3,
                "[timestamp] table",
            ),
            (
                "[severity]\nfield = \"level\"\nmap = { error = 9 }\n",
                3,
                "not 0–5",
            ),
            ("[timestmap]\nfield = \"ts\"\n", 1, "unknown field"),
            (
                "[timestamp]\nfield = \"ts\"\ntimezone = \"Mars/Base\"\n",
                3,
                "unknown zone",
            ),
            ("[fields]\nx = \n", 2, ""),
        ];
        for (text, line, msg) in cases {
            let e = Mapping::from_toml(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text}: {e}");
            assert!(e.message.contains(msg), "{text}: {e}");
        }
        let e = Mapping::from_toml("[fields]\na = \"source\"\nb = \"source.ip\"\n").unwrap_err();
        assert!(e.message.contains("inside it"), "{e}");
    }
}
