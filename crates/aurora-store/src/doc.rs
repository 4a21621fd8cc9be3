//! Turning one NDJSON line into what the store writes: the hot columns, the FTS5 text,
//! the technique ids, or — for `aurora.heartbeat` metrics — a source status update.
//! This runs on the parser thread, off the SQLite writer's critical path.
//!
//! Free text covers `message`, the rule's name/category/description, every other string
//! value of the event except timestamps (each distinct value once), and `event.original`
//! when it is not JSON.
//!
//! [`DocParser`] is the indexer's path: simd-json's tape, read in place, with no tree of
//! owned values. Lines it does not take (heartbeats, a key repeated in one object, bad
//! JSON, which needs serde_json's error message) go to [`parse_line`], the reference
//! implementation the tests hold the fast path to.

// The per-event set of strings already indexed is hashed ~40 times an event; SipHash
// (std's default) was 1% of an index run.
use foldhash::{HashSet, HashSetExt};

use serde_json::{Map, Value};
use simd_json::prelude::*;
use simd_json::{Buffers, Tape, tape};

use crate::fields::severity_of;
use crate::ip::IpKey;
use crate::{ip, json, time};

/// One event ready to insert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The `docs.aid` key that tells a duplicate: [`dedup_key`].
    pub aid: [u8; 20],
    pub ts: i64,
    pub source: Option<String>,
    pub severity: Option<i64>,
    pub kind: Option<String>,
    pub module: Option<String>,
    pub dataset: Option<String>,
    pub outcome: Option<String>,
    pub src_ip: Option<IpKey>,
    pub src_port: Option<i64>,
    pub dst_ip: Option<IpKey>,
    pub dst_port: Option<i64>,
    pub user_name: Option<String>,
    pub host_name: Option<String>,
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub techniques: Vec<String>,
    pub doc: String,
    /// `doc` compressed for storage, when the parser thread could do it (`codec.rs`).
    pub blob: Option<Vec<u8>>,
    /// Length of `doc` when the parser already compressed (and dropped) it.
    pub doc_len: usize,
    /// FTS5 columns: message, rule (name, category, description), event.original, and
    /// every other string value.
    pub fts: [String; 4],
}

/// A source status report from aurora-ingest.
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    pub source: String,
    pub at: i64,
    pub status: String,
    pub since: Option<i64>,
    pub message: Option<String>,
    pub events_total: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Event(Box<Row>),
    Heartbeat(Heartbeat),
}

/// Looks a dotted field up in nested objects, falling back to a flat dotted key.
pub fn lookup<'a>(v: &'a Value, field: &str) -> Option<&'a Value> {
    let mut cur = v;
    for part in field.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return v.get(field),
        }
    }
    Some(cur)
}

fn first_scalar(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(a) => a.iter().find(|x| !x.is_null()),
        Value::Null => None,
        other => Some(other),
    }
}

fn text(v: &Value, field: &str) -> Option<String> {
    match first_scalar(lookup(v, field)?)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn int(v: &Value, field: &str) -> Option<i64> {
    match first_scalar(lookup(v, field)?)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    match lookup(v, field) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Parses one line. The error is the reject reason.
pub fn parse_line(line: &str) -> Result<Parsed, String> {
    let (v, repeated_keys) = json::parse(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(obj) = &v else {
        return Err("not a JSON object".into());
    };
    let kind = text(&v, "event.kind");
    let dataset = text(&v, "event.dataset");
    if kind.as_deref() == Some("metric") && dataset.as_deref() == Some("aurora.heartbeat") {
        return heartbeat(&v).map(Parsed::Heartbeat);
    }
    let ts_text = text(&v, "@timestamp").ok_or("no @timestamp")?;
    let ts = time::parse_ts(&ts_text)
        .ok_or_else(|| format!("@timestamp {ts_text:?} is not RFC 3339"))?;
    let aid = event_key(ts, lookup(&v, "aurora.id").and_then(Value::as_str), line);
    let severity = int(&v, "event.severity")
        .filter(|n| (0..=5).contains(n))
        .or_else(|| text(&v, "aurora.severity").and_then(|w| severity_of(&w)));
    let mut fts: [String; 4] = Default::default();
    fts[0] = text(&v, "message").unwrap_or_default();
    fts[1] = ["rule.name", "rule.category", "rule.description"]
        .iter()
        .filter_map(|f| text(&v, f))
        .collect::<Vec<_>>()
        .join("\n");
    // A JSON original (EVE, Wazuh, Zeek JSON) is already in the document as fields, whose
    // values the `text` column indexes; indexing its keys and numbers again would double
    // the index for nothing. Text originals (syslog lines, Zeek TSV rows) are indexed.
    fts[2] = text(&v, "event.original")
        .filter(|o| !o.trim_start().starts_with('{'))
        .unwrap_or_default();
    let [message, rule, original, free] = &mut fts;
    let mut seen = already_indexed(message, rule, original);
    collect_text(obj, Some(""), &mut seen, free);
    Ok(Parsed::Event(Box::new(Row {
        aid,
        ts,
        source: text(&v, "aurora.source").or_else(|| text(&v, "event.module")),
        severity,
        kind,
        module: text(&v, "event.module"),
        dataset,
        outcome: text(&v, "event.outcome"),
        src_ip: text(&v, "source.ip").and_then(|s| ip::key_of(&s)),
        src_port: int(&v, "source.port"),
        dst_ip: text(&v, "destination.ip").and_then(|s| ip::key_of(&s)),
        dst_port: int(&v, "destination.port"),
        user_name: text(&v, "user.name"),
        host_name: text(&v, "host.name"),
        rule_id: text(&v, "rule.id"),
        rule_name: text(&v, "rule.name"),
        techniques: strings(&v, "threat.technique.id"),
        // With a repeated key, store what the hot columns were read from (see json.rs).
        doc: if repeated_keys {
            v.to_string()
        } else {
            line.to_string()
        },
        blob: None,
        doc_len: line.len(),
        fts,
    })))
}

/// `aurora.id` is 32 hex digits; anything else is hashed to the same width.
/// The key that tells a duplicate: the minute of the event's `@timestamp` (4 bytes, in
/// order) and then its 128-bit identity (`aurora.id`, or the hash of its line). The
/// identity alone is random, so every insert landed on a random page of the unique index
/// and every transaction rewrote nearly all of it: 19% of a 1M-event load, and more the
/// bigger the store (a store of 10M events rewrote ~250 MB of index per 100k events
/// added). With the minute first, events that come in time order insert next to each
/// other, and a transaction writes only the index pages of its own minutes.
///
/// The same event always has the same timestamp, so re-indexing still adds nothing. Two
/// records with one `aurora.id` but times in different minutes are both kept: that takes
/// the same raw line normalized twice under a different year or zone (a year-less syslog
/// stamp read with another `--year` or `--tz`), and those differ where it matters.
pub fn dedup_key(ts: i64, id: [u8; 16]) -> [u8; 20] {
    let minute = ts.div_euclid(60 * time::MICROS_PER_SEC);
    let minute = minute.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    // Sign bit flipped, so minutes before 1970 sort before later ones.
    let prefix = (minute as u32 ^ 0x8000_0000).to_be_bytes();
    let mut key = [0u8; 20];
    key[..4].copy_from_slice(&prefix);
    key[4..].copy_from_slice(&id);
    key
}

/// An event's duplicate key, the same for both parsers: its `aurora.id` or, for events
/// from other producers that have none, the hash of its line (so indexing the same file
/// twice still adds nothing), within its minute.
fn event_key(ts: i64, aurora_id: Option<&str>, line: &str) -> [u8; 20] {
    let id = match aurora_id {
        Some(id) => id_key(id),
        None => xxhash_rust::xxh3::xxh3_128(line.as_bytes()).to_be_bytes(),
    };
    dedup_key(ts, id)
}

fn id_key(id: &str) -> [u8; 16] {
    if id.len() == 32 {
        if let Ok(n) = u128::from_str_radix(id, 16) {
            return n.to_be_bytes();
        }
    }
    xxhash_rust::xxh3::xxh3_128(id.as_bytes()).to_be_bytes()
}

/// Fields already in their own FTS5 columns, or of no use to free text, as
/// (parent object, key); all are at most two levels deep.
const NOT_TEXT: &[(&str, &str)] = &[
    ("", "message"),
    ("", "@timestamp"),
    ("rule", "name"),
    ("rule", "category"),
    ("rule", "description"),
    ("event", "original"),
    ("aurora", "id"),
];

/// Appends every string value to `out`, newline-separated. `parent` is the top-level key
/// above `obj` (or "" at the top, `None` deeper), which is all `NOT_TEXT` needs, so no
/// path strings are built for the thousands of keys an index run walks.
fn collect_text<'a>(
    obj: &'a Map<String, Value>,
    parent: Option<&str>,
    seen: &mut HashSet<&'a str>,
    out: &mut String,
) {
    for (k, v) in obj {
        if skipped(parent, k) {
            continue;
        }
        collect_value(v, below(parent, k), seen, out);
    }
}

fn collect_value<'a>(
    v: &'a Value,
    parent: Option<&str>,
    seen: &mut HashSet<&'a str>,
    out: &mut String,
) {
    match v {
        Value::String(s) => push_text(s, seen, out),
        Value::Array(a) => a.iter().for_each(|x| collect_value(x, parent, seen, out)),
        Value::Object(o) => collect_text(o, parent, seen, out),
        _ => {}
    }
}

fn skipped(parent: Option<&str>, key: &str) -> bool {
    parent.is_some_and(|p| NOT_TEXT.iter().any(|(a, b)| *a == p && *b == key))
}

fn below<'k>(parent: Option<&str>, key: &'k str) -> Option<&'k str> {
    match parent {
        Some("") => Some(key),
        _ => None,
    }
}

/// The values the other FTS columns hold, which the `text` column need not repeat (a
/// Suricata alert's signature is its `rule.name` and its `suricata.eve.alert.signature`).
fn already_indexed<'a>(message: &'a str, rule: &'a str, original: &'a str) -> HashSet<&'a str> {
    let mut seen = HashSet::with_capacity(64);
    seen.extend([message, original].into_iter().filter(|s| !s.is_empty()));
    seen.extend(rule.split('\n'));
    seen
}

/// Adds one string value to the free text. A value the event repeats (`suricata` as
/// module, source and product; an address as `source.ip` and `related.ip`) is indexed
/// once: a second copy finds no more events and costs index space and write time.
fn push_text<'a>(s: &'a str, seen: &mut HashSet<&'a str>, out: &mut String) {
    // Times are searched as @timestamp ranges; as text they are only index bloat.
    if s.len() >= 20 && s.as_bytes()[4] == b'-' && time::parse_ts(s).is_some() {
        return;
    }
    if !seen.insert(s) {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(s);
}

/// The indexer's parser: reuses its buffers from line to line.
pub struct DocParser {
    scratch: Vec<u8>,
    buffers: Buffers,
    tape: Option<Tape<'static>>,
}

impl Default for DocParser {
    fn default() -> Self {
        DocParser {
            scratch: Vec::new(),
            buffers: Buffers::new(4096),
            tape: Some(Tape::null().reset()),
        }
    }
}

impl DocParser {
    /// Parses one line, as [`parse_line`] does.
    pub fn parse(&mut self, line: &str) -> Result<Parsed, String> {
        match self.fast(line) {
            Some(row) => Ok(Parsed::Event(row)),
            None => parse_line(line),
        }
    }

    /// The common case: an event object with no repeated key. `None` hands the line to
    /// the reference path.
    fn fast(&mut self, line: &str) -> Option<Box<Row>> {
        self.scratch.clear();
        self.scratch.extend_from_slice(line.as_bytes());
        self.scratch
            .resize(line.len() + simd_json::INPUT_PADDING, 0);
        let mut tape = self.tape.take().unwrap_or_else(Tape::null).reset();
        let row = match simd_json::fill_tape_padded(
            &mut self.scratch,
            line.len(),
            &mut self.buffers,
            &mut tape,
        ) {
            Ok(()) => row_of(tape.as_value(), line),
            Err(_) => None,
        };
        self.tape = Some(tape.reset());
        row
    }
}

type TV<'t, 'i> = tape::Value<'t, 'i>;

fn row_of(root: TV<'_, '_>, line: &str) -> Option<Box<Row>> {
    let obj = root.as_object()?;
    if aurora_core::source::tape::repeated_key(root).is_some() {
        return None;
    }
    let kind = t_text(root, "event.kind");
    let dataset = t_text(root, "event.dataset");
    if kind.as_deref() == Some("metric") && dataset.as_deref() == Some("aurora.heartbeat") {
        return None;
    }
    let ts = time::parse_ts(&t_text(root, "@timestamp")?)?;
    let aid = event_key(
        ts,
        t_get(root, "aurora.id").and_then(|v| v.into_string()),
        line,
    );
    let severity = t_int(root, "event.severity")
        .filter(|n| (0..=5).contains(n))
        .or_else(|| t_text(root, "aurora.severity").and_then(|w| severity_of(&w)));
    let mut fts: [String; 4] = Default::default();
    fts[0] = t_text(root, "message").unwrap_or_default();
    fts[1] = ["rule.name", "rule.category", "rule.description"]
        .iter()
        .filter_map(|f| t_text(root, f))
        .collect::<Vec<_>>()
        .join("\n");
    fts[2] = t_text(root, "event.original")
        .filter(|o| !o.trim_start().starts_with('{'))
        .unwrap_or_default();
    let [message, rule, original, free] = &mut fts;
    let mut seen = already_indexed(message, rule, original);
    t_collect_object(obj, Some(""), &mut seen, free);
    Some(Box::new(Row {
        aid,
        ts,
        source: t_text(root, "aurora.source").or_else(|| t_text(root, "event.module")),
        severity,
        kind,
        module: t_text(root, "event.module"),
        dataset,
        outcome: t_text(root, "event.outcome"),
        src_ip: t_text(root, "source.ip").and_then(|s| ip::key_of(&s)),
        src_port: t_int(root, "source.port"),
        dst_ip: t_text(root, "destination.ip").and_then(|s| ip::key_of(&s)),
        dst_port: t_int(root, "destination.port"),
        user_name: t_text(root, "user.name"),
        host_name: t_text(root, "host.name"),
        rule_id: t_text(root, "rule.id"),
        rule_name: t_text(root, "rule.name"),
        techniques: t_strings(root, "threat.technique.id"),
        doc: line.to_string(),
        blob: None,
        doc_len: line.len(),
        fts,
    }))
}

/// [`lookup`] over the tape.
fn t_get<'t, 'i>(root: TV<'t, 'i>, field: &str) -> Option<TV<'t, 'i>> {
    let mut cur = root;
    for part in field.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return root.get(field),
        }
    }
    Some(cur)
}

fn t_first_scalar<'t, 'i>(v: TV<'t, 'i>) -> Option<TV<'t, 'i>> {
    if let Some(a) = v.as_array() {
        return a.iter().find(|x| !x.is_null());
    }
    (!v.is_null()).then_some(v)
}

fn t_text(root: TV<'_, '_>, field: &str) -> Option<String> {
    use simd_json::ValueType as T;
    let v = t_first_scalar(t_get(root, field)?)?;
    match v.value_type() {
        T::String => v.into_string().map(str::to_string),
        T::Bool => v.as_bool().map(|b| b.to_string()),
        T::I64 => v.as_i64().map(|n| n.to_string()),
        T::U64 => v.as_u64().map(|n| n.to_string()),
        T::F64 => v
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(|n| n.to_string()),
        _ => None,
    }
}

fn t_int(root: TV<'_, '_>, field: &str) -> Option<i64> {
    use simd_json::ValueType as T;
    let v = t_first_scalar(t_get(root, field)?)?;
    match v.value_type() {
        T::I64 => v.as_i64(),
        T::U64 => v.as_u64().map(|n| n as i64),
        T::F64 => v.as_f64().map(|f| f as i64),
        T::String => v.into_string().and_then(|s| s.trim().parse().ok()),
        _ => None,
    }
}

fn t_strings(root: TV<'_, '_>, field: &str) -> Vec<String> {
    let Some(v) = t_get(root, field) else {
        return Vec::new();
    };
    if let Some(a) = v.as_array() {
        return a
            .iter()
            .filter_map(|x| x.into_string().map(str::to_string))
            .collect();
    }
    v.into_string()
        .map(|s| vec![s.to_string()])
        .unwrap_or_default()
}

fn t_collect_object<'i>(
    obj: tape::Object<'_, 'i>,
    parent: Option<&str>,
    seen: &mut HashSet<&'i str>,
    out: &mut String,
) {
    for (k, v) in obj.iter() {
        if skipped(parent, k) {
            continue;
        }
        t_collect_value(v, below(parent, k), seen, out);
    }
}

fn t_collect_value<'i>(
    v: TV<'_, 'i>,
    parent: Option<&str>,
    seen: &mut HashSet<&'i str>,
    out: &mut String,
) {
    if let Some(s) = v.into_string() {
        push_text(s, seen, out);
    } else if let Some(a) = v.as_array() {
        a.iter().for_each(|x| t_collect_value(x, parent, seen, out));
    } else if let Some(o) = v.as_object() {
        t_collect_object(o, parent, seen, out);
    }
}

fn heartbeat(v: &Value) -> Result<Heartbeat, String> {
    let source = text(v, "aurora.source").ok_or("heartbeat without aurora.source")?;
    let at = text(v, "@timestamp")
        .and_then(|t| time::parse_ts(&t))
        .ok_or("heartbeat without a valid @timestamp")?;
    let status =
        text(v, "aurora.heartbeat.status").ok_or("heartbeat without aurora.heartbeat.status")?;
    if !matches!(status.as_str(), "connected" | "disconnected" | "error") {
        return Err(format!(
            "heartbeat status {status:?} is not connected|disconnected|error"
        ));
    }
    Ok(Heartbeat {
        source,
        at,
        status,
        since: text(v, "aurora.heartbeat.since").and_then(|t| time::parse_ts(&t)),
        message: text(v, "aurora.heartbeat.message"),
        events_total: int(v, "aurora.heartbeat.events_total"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_keys_sort_by_minute_then_identity() {
        let ts = |t: &str| time::parse_ts(t).unwrap();
        let (a, b) = ([0xffu8; 16], [0u8; 16]);
        let keys = [
            dedup_key(ts("1969-12-31T23:58:59Z"), a),
            dedup_key(ts("1969-12-31T23:59:30Z"), b),
            dedup_key(ts("2024-03-01T10:00:59.999999Z"), a),
            dedup_key(ts("2024-03-01T10:01:00Z"), b),
            dedup_key(ts("2024-03-01T10:01:00Z"), a),
        ];
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        // Within a minute the identity alone decides.
        assert_eq!(
            dedup_key(ts("2024-03-01T10:01:00Z"), a),
            dedup_key(ts("2024-03-01T10:01:59.5Z"), a)
        );
        assert_eq!(&keys[4][4..], &a);
    }

    #[test]
    fn event_row() {
        let line = r#"{"@timestamp":"2023-09-18T06:13:41.532140Z","aurora":{"id":"00000000000000000000000000000001","source":"eve"},"event":{"kind":"alert","severity":4,"original":"raw thing"},"source":{"ip":"10.0.0.1","port":"22"},"rule":{"id":2001,"name":"ET SCAN"},"threat":{"technique":{"id":["T1046"]}},"message":"hello","x":{"y":["a","b"],"n":5}}"#;
        let Parsed::Event(r) = parse_line(line).unwrap() else {
            panic!()
        };
        assert_eq!(r.aid[19], 1);
        assert_eq!(r.source.as_deref(), Some("eve"));
        assert_eq!(r.src_port, Some(22));
        assert_eq!(r.rule_id.as_deref(), Some("2001"));
        assert_eq!(r.techniques, vec!["T1046"]);
        assert_eq!(r.fts[0], "hello");
        assert_eq!(r.fts[2], "raw thing");
        assert!(
            r.fts[3].contains("eve") && r.fts[3].contains("a\nb") && !r.fts[3].contains("hello")
        );
    }

    #[test]
    fn rejects_and_heartbeats() {
        assert!(parse_line("[1]").is_err());
        assert!(parse_line("{").unwrap_err().starts_with("invalid JSON"));
        assert_eq!(parse_line(r#"{"a":1}"#).unwrap_err(), "no @timestamp");
        let hb = r#"{"@timestamp":"2024-01-01T00:00:00Z","event":{"kind":"metric","module":"aurora","dataset":"aurora.heartbeat"},"aurora":{"source":"s1","heartbeat":{"status":"error","since":"2024-01-01T00:00:00Z","message":"boom","events_total":7}}}"#;
        let Parsed::Heartbeat(h) = parse_line(hb).unwrap() else {
            panic!()
        };
        assert_eq!(
            (h.source.as_str(), h.status.as_str(), h.events_total),
            ("s1", "error", Some(7))
        );
    }
}
