//! The independent side of the query tests: one store built from generated events, the
//! hostile fixture and the real testdata (via aurora-norm), and plain serde_json
//! predicates that say which events each query should return — none of the store's
//! code is used to compute them.
#![allow(dead_code)]

use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use serde_json::Value;

use super::*;

pub struct Corpus {
    _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub events: Vec<Value>,
}

/// One store for the whole file: generated events (with known shapes and many matches),
/// the hostile fixture, and the real testdata as normalized by aurora-norm.
pub fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let generated = dir.path().join("generated.ndjson");
        write_lines(&generated, &generate(1, 3000));
        let real = normalize_testdata(dir.path());
        // The real sensor data must be in the store (at least the Suricata files).
        assert!(
            read_ndjson(&real).len() >= 100,
            "aurora-norm produced too few events from testdata/"
        );
        let db = dir.path().join("case.db");
        let hostile = fixture("events.ndjson");
        let inputs = [generated.as_path(), hostile.as_path(), real.as_path()];
        index(&db, &inputs);
        let mut events = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in inputs {
            for e in read_ndjson(f) {
                // Heartbeats are not events; the same aurora.id twice is one event.
                if get(&e, "event.dataset").and_then(Value::as_str) == Some("aurora.heartbeat") {
                    continue;
                }
                let id = get(&e, "aurora.id")
                    .and_then(Value::as_str)
                    .unwrap()
                    .to_string();
                if seen.insert(id) {
                    events.push(e);
                }
            }
        }
        Corpus {
            _dir: dir,
            db,
            events,
        }
    })
}

pub fn strs(e: &Value, f: &str) -> Vec<String> {
    match get(e, f) {
        Some(Value::Array(a)) => a.iter().filter(|x| !x.is_null()).map(scalar).collect(),
        Some(v) => vec![scalar(v)],
        None => vec![],
    }
}

pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn eq_ci(e: &Value, f: &str, want: &str) -> bool {
    strs(e, f).iter().any(|s| s.eq_ignore_ascii_case(want))
}

pub fn num(e: &Value, f: &str) -> Option<f64> {
    get(e, f).and_then(Value::as_f64)
}

pub fn in_cidr(e: &Value, f: &str, cidr: &str) -> bool {
    let (net, len) = cidr.split_once('/').unwrap();
    let net: IpAddr = net.parse().unwrap();
    let len: u32 = len.parse().unwrap();
    strs(e, f).iter().any(|s| match (s.parse::<IpAddr>(), net) {
        (Ok(IpAddr::V4(a)), IpAddr::V4(n)) => {
            len == 0 || (u32::from(a) ^ u32::from(n)) >> (32 - len) == 0
        }
        (Ok(IpAddr::V6(a)), IpAddr::V6(n)) => {
            len == 0 || (u128::from(a) ^ u128::from(n)) >> (128 - len) == 0
        }
        _ => false,
    })
}

pub fn ts(e: &Value) -> i64 {
    let s = get(e, "@timestamp").and_then(Value::as_str).unwrap();
    jiff::Timestamp::from_str(s).unwrap().as_microsecond()
}

pub fn at(s: &str) -> i64 {
    jiff::Timestamp::from_str(s).unwrap().as_microsecond()
}

/// Lower-cased alphanumeric runs, as FTS5's unicode61 tokenizer splits ASCII text.
pub fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every string value that free text searches: all but the id, timestamps, and a JSON
/// `event.original` (its values are fields of the event already).
pub fn texts(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if path == "event.original" && s.trim_start().starts_with('{') => {}
        Value::String(s) if jiff::Timestamp::from_str(s).is_ok() => {}
        Value::String(s) if path != "@timestamp" && path != "aurora.id" => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| texts(x, path, out)),
        Value::Object(o) => {
            for (k, x) in o {
                texts(
                    x,
                    &if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    },
                    out,
                )
            }
        }
        _ => {}
    }
}

pub fn has_phrase(e: &Value, phrase: &str) -> bool {
    let want = tokens(phrase);
    let mut all = Vec::new();
    texts(e, "", &mut all);
    all.iter()
        .any(|s| tokens(s).windows(want.len()).any(|w| w == want.as_slice()))
}

pub fn has_prefix(e: &Value, prefix: &str) -> bool {
    let mut all = Vec::new();
    texts(e, "", &mut all);
    all.iter()
        .any(|s| tokens(s).iter().any(|t| t.starts_with(prefix)))
}

pub fn sev(e: &Value) -> Option<i64> {
    get(e, "event.severity").and_then(Value::as_i64)
}

pub type Pred = Box<dyn Fn(&Value) -> bool>;

pub fn check(cases: Vec<(&str, Vec<&str>, Pred)>) {
    let c = corpus();
    let mut failures = Vec::new();
    for (q, extra, pred) in cases {
        let got = ids(&query(&c.db, q, &extra));
        let want: Vec<Value> = c.events.iter().filter(|e| pred(e)).cloned().collect();
        let want = ids(&want);
        if got != want {
            failures.push(format!(
                "{q:?} {extra:?}: store {} events, independent count {}",
                got.len(),
                want.len()
            ));
        }
        // Counts take other plans than searches (FTS alone, FTS joined to events).
        let n = count_of(&c.db, q, &extra);
        if n != want.len() as u64 {
            failures.push(format!(
                "{q:?} {extra:?}: --count {n}, independent count {}",
                want.len()
            ));
        }
    }
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

pub fn top_counts<'a>(
    events: impl IntoIterator<Item = &'a Value>,
    field: &str,
) -> Vec<(String, u64)> {
    let mut m = std::collections::BTreeMap::<String, u64>::new();
    for e in events {
        // IP columns report addresses in canonical form (`::1`), however the sensor
        // wrote them (Suricata writes `0000:…:0001`).
        let mut vals: Vec<String> = strs(e, field)
            .into_iter()
            .map(|v| {
                if field.ends_with(".ip") {
                    v.parse::<IpAddr>().map(|a| a.to_string()).unwrap_or(v)
                } else {
                    v
                }
            })
            .collect();
        vals.sort();
        vals.dedup();
        for v in vals {
            *m.entry(v).or_default() += 1;
        }
    }
    m.into_iter().collect()
}
