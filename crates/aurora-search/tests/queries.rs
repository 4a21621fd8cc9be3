//! Every query form and every filter, run through the binary on a real store, with the
//! matching events checked against an independent computation over the same NDJSON
//! (plain serde_json walking, not the store's code).

mod common;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

struct Corpus {
    _dir: tempfile::TempDir,
    db: PathBuf,
    events: Vec<Value>,
}

/// One store for the whole file: generated events (with known shapes and many matches),
/// the hostile fixture, and the real testdata as normalized by aurora-norm.
fn corpus() -> &'static Corpus {
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

fn strs(e: &Value, f: &str) -> Vec<String> {
    match get(e, f) {
        Some(Value::Array(a)) => a.iter().filter(|x| !x.is_null()).map(scalar).collect(),
        Some(v) => vec![scalar(v)],
        None => vec![],
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn eq_ci(e: &Value, f: &str, want: &str) -> bool {
    strs(e, f).iter().any(|s| s.eq_ignore_ascii_case(want))
}

fn num(e: &Value, f: &str) -> Option<f64> {
    get(e, f).and_then(Value::as_f64)
}

fn in_cidr(e: &Value, f: &str, cidr: &str) -> bool {
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

fn ts(e: &Value) -> i64 {
    let s = get(e, "@timestamp").and_then(Value::as_str).unwrap();
    jiff::Timestamp::from_str(s).unwrap().as_microsecond()
}

fn at(s: &str) -> i64 {
    jiff::Timestamp::from_str(s).unwrap().as_microsecond()
}

/// Lower-cased alphanumeric runs, as FTS5's unicode61 tokenizer splits ASCII text.
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every string value that free text searches: all but the id, timestamps, and a JSON
/// `event.original` (its values are fields of the event already).
fn texts(v: &Value, path: &str, out: &mut Vec<String>) {
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

fn has_phrase(e: &Value, phrase: &str) -> bool {
    let want = tokens(phrase);
    let mut all = Vec::new();
    texts(e, "", &mut all);
    all.iter()
        .any(|s| tokens(s).windows(want.len()).any(|w| w == want.as_slice()))
}

fn has_prefix(e: &Value, prefix: &str) -> bool {
    let mut all = Vec::new();
    texts(e, "", &mut all);
    all.iter()
        .any(|s| tokens(s).iter().any(|t| t.starts_with(prefix)))
}

fn sev(e: &Value) -> Option<i64> {
    get(e, "event.severity").and_then(Value::as_i64)
}

type Pred = Box<dyn Fn(&Value) -> bool>;

fn check(cases: Vec<(&str, Vec<&str>, Pred)>) {
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
    }
    assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
}

#[test]
fn the_store_holds_every_event_once() {
    let c = corpus();
    assert!(c.events.len() > 3000);
    let all = query(&c.db, "", &[]);
    assert_eq!(ids(&all), ids(&c.events));
    let o = run(&["query", "--db", c.db.to_str().unwrap(), "--count"]);
    assert_eq!(stdout(&o).trim(), c.events.len().to_string());
}

#[test]
fn field_terms_match_as_ecs_values() {
    check(vec![
        (
            "event.kind:alert",
            vec![],
            Box::new(|e| eq_ci(e, "event.kind", "alert")),
        ),
        (
            "event.kind:ALERT",
            vec![],
            Box::new(|e| eq_ci(e, "event.kind", "alert")),
        ),
        (
            "user.name:root",
            vec![],
            Box::new(|e| eq_ci(e, "user.name", "root")),
        ),
        (
            "user.name:\"svc-backup\"",
            vec![],
            Box::new(|e| eq_ci(e, "user.name", "svc-backup")),
        ),
        (
            "user.name:(root OR admin) AND event.outcome:failure",
            vec![],
            Box::new(|e| {
                (eq_ci(e, "user.name", "root") || eq_ci(e, "user.name", "admin"))
                    && eq_ci(e, "event.outcome", "failure")
            }),
        ),
        (
            "host.name:web-01 OR host.name:db-01",
            vec![],
            Box::new(|e| eq_ci(e, "host.name", "web-01") || eq_ci(e, "host.name", "db-01")),
        ),
        (
            "rule.id:2013028",
            vec![],
            Box::new(|e| eq_ci(e, "rule.id", "2013028")),
        ),
        (
            "network.transport:udp",
            vec![],
            Box::new(|e| eq_ci(e, "network.transport", "udp")),
        ),
        (
            "event.category:authentication",
            vec![],
            Box::new(|e| eq_ci(e, "event.category", "authentication")),
        ),
        (
            "threat.technique.id:T1190",
            vec![],
            Box::new(|e| eq_ci(e, "threat.technique.id", "T1190")),
        ),
        (
            "event.module:zeek AND NOT event.kind:alert",
            vec![],
            Box::new(|e| eq_ci(e, "event.module", "zeek") && !eq_ci(e, "event.kind", "alert")),
        ),
    ]);
}

#[test]
fn ip_fields_take_addresses_and_cidr() {
    check(vec![
        (
            "source.ip:10.1.2.3",
            vec![],
            Box::new(|e| strs(e, "source.ip").contains(&"10.1.2.3".to_string())),
        ),
        (
            "source.ip:10.0.0.0/8",
            vec![],
            Box::new(|e| in_cidr(e, "source.ip", "10.0.0.0/8")),
        ),
        (
            "NOT source.ip:10.0.0.0/8",
            vec![],
            Box::new(|e| !in_cidr(e, "source.ip", "10.0.0.0/8")),
        ),
        (
            "destination.ip:\"2001:db8::/32\"",
            vec![],
            Box::new(|e| in_cidr(e, "destination.ip", "2001:db8::/32")),
        ),
        (
            "source.ip:2001:db8::7",
            vec![],
            Box::new(|e| strs(e, "source.ip").contains(&"2001:db8::7".to_string())),
        ),
        (
            "related.ip:10.1.2.3",
            vec![],
            Box::new(|e| strs(e, "related.ip").contains(&"10.1.2.3".to_string())),
        ),
        (
            "related.ip:192.168.0.0/16",
            vec![],
            Box::new(|e| in_cidr(e, "related.ip", "192.168.0.0/16")),
        ),
        (
            "source.ip:[10.0.0.0 TO 10.255.255.255]",
            vec![],
            Box::new(|e| in_cidr(e, "source.ip", "10.0.0.0/8")),
        ),
    ]);
}

#[test]
fn numbers_compare_as_numbers() {
    check(vec![
        (
            "destination.port:[1 TO 443]",
            vec![],
            Box::new(|e| num(e, "destination.port").is_some_and(|p| (1.0..=443.0).contains(&p))),
        ),
        (
            "destination.port:{22 TO 443}",
            vec![],
            Box::new(|e| num(e, "destination.port").is_some_and(|p| p > 22.0 && p < 443.0)),
        ),
        (
            "destination.port:>=443",
            vec![],
            Box::new(|e| num(e, "destination.port").is_some_and(|p| p >= 443.0)),
        ),
        (
            "destination.port:<80",
            vec![],
            Box::new(|e| num(e, "destination.port").is_some_and(|p| p < 80.0)),
        ),
        (
            "destination.port:[1000 TO *]",
            vec![],
            Box::new(|e| num(e, "destination.port").is_some_and(|p| p >= 1000.0)),
        ),
        (
            "source.bytes:>50000",
            vec![],
            Box::new(|e| num(e, "source.bytes").is_some_and(|b| b > 50000.0)),
        ),
        (
            "source.bytes:[100 TO 999]",
            vec![],
            Box::new(|e| num(e, "source.bytes").is_some_and(|b| (100.0..=999.0).contains(&b))),
        ),
        (
            "event.severity:[3 TO 5]",
            vec![],
            Box::new(|e| sev(e).is_some_and(|s| (3..=5).contains(&s))),
        ),
        (
            "aurora.severity:>=high",
            vec![],
            Box::new(|e| sev(e).is_some_and(|s| s >= 4)),
        ),
        (
            "aurora.severity:medium",
            vec![],
            Box::new(|e| sev(e) == Some(3)),
        ),
    ]);
}

#[test]
fn wildcards_and_exists() {
    check(vec![
        (
            "rule.name:ET\\ POLICY*",
            vec![],
            Box::new(|e| {
                strs(e, "rule.name")
                    .iter()
                    .any(|s| s.to_lowercase().starts_with("et policy"))
            }),
        ),
        (
            "event.kind:alert AND NOT rule.name:ET\\ POLICY*",
            vec![],
            Box::new(|e| {
                eq_ci(e, "event.kind", "alert")
                    && !strs(e, "rule.name")
                        .iter()
                        .any(|s| s.to_lowercase().starts_with("et policy"))
            }),
        ),
        (
            "rule.name:*scan*",
            vec![],
            Box::new(|e| {
                strs(e, "rule.name")
                    .iter()
                    .any(|s| s.to_lowercase().contains("scan"))
            }),
        ),
        (
            "event.dataset:sys?og.sshd",
            vec![],
            Box::new(|e| eq_ci(e, "event.dataset", "syslog.sshd")),
        ),
        (
            "event.dataset:zeek.*",
            vec![],
            Box::new(|e| {
                strs(e, "event.dataset")
                    .iter()
                    .any(|s| s.to_lowercase().starts_with("zeek."))
            }),
        ),
        (
            "_exists_:user.name",
            vec![],
            Box::new(|e| get(e, "user.name").is_some()),
        ),
        (
            "user.name:*",
            vec![],
            Box::new(|e| get(e, "user.name").is_some()),
        ),
        (
            "NOT _exists_:rule.name",
            vec![],
            Box::new(|e| get(e, "rule.name").is_none()),
        ),
        (
            "_exists_:source.bytes",
            vec![],
            Box::new(|e| get(e, "source.bytes").is_some()),
        ),
    ]);
}

#[test]
fn free_text_goes_through_fts() {
    check(vec![
        (
            "\"Failed password\"",
            vec![],
            Box::new(|e| has_phrase(e, "Failed password")),
        ),
        ("password", vec![], Box::new(|e| has_phrase(e, "password"))),
        (
            "PASSWORD root",
            vec![],
            Box::new(|e| has_phrase(e, "password") && has_phrase(e, "root")),
        ),
        ("pass*", vec![], Box::new(|e| has_prefix(e, "pass"))),
        (
            "\"10.1.2.3\"",
            vec![],
            Box::new(|e| has_phrase(e, "10.1.2.3")),
        ),
        (
            "curl OR struts",
            vec![],
            Box::new(|e| has_phrase(e, "curl") || has_phrase(e, "struts")),
        ),
        (
            "source.ip:10.0.0.0/8 AND \"Failed password\"",
            vec![],
            Box::new(|e| in_cidr(e, "source.ip", "10.0.0.0/8") && has_phrase(e, "Failed password")),
        ),
        (
            "message:password",
            vec![],
            Box::new(|e| {
                strs(e, "message")
                    .iter()
                    .any(|m| tokens(m).contains(&"password".to_string()))
            }),
        ),
        (
            "-password",
            vec![],
            Box::new(|e| !has_phrase(e, "password")),
        ),
    ]);
}

#[test]
fn time_terms_and_filters() {
    let now = at(NOW);
    let h = 3_600_000_000i64;
    check(vec![
        (
            "@timestamp:[2023-09-18T00:00 TO 2023-09-18T03:59]",
            vec![],
            Box::new(|e| (at("2023-09-18T00:00:00Z")..at("2023-09-18T04:00:00Z")).contains(&ts(e))),
        ),
        (
            "@timestamp:2023-09-17",
            vec![],
            Box::new(|e| (at("2023-09-17T00:00:00Z")..at("2023-09-18T00:00:00Z")).contains(&ts(e))),
        ),
        (
            "@timestamp:>now-1h",
            vec![],
            Box::new(move |e| ts(e) > now - h),
        ),
        (
            "",
            vec!["--since", "4h"],
            Box::new(move |e| ts(e) >= now - 4 * h),
        ),
        (
            "",
            vec!["--since", "15m"],
            Box::new(move |e| ts(e) >= now - h / 4),
        ),
        (
            "",
            vec!["--since", "7d"],
            Box::new(move |e| ts(e) >= now - 168 * h),
        ),
        (
            "",
            vec!["--from", "2023-09-17T10:00", "--to", "2023-09-17T12:00"],
            Box::new(|e| (at("2023-09-17T10:00:00Z")..at("2023-09-17T12:01:00Z")).contains(&ts(e))),
        ),
        (
            "",
            vec!["--from", "2020-03-04", "--to", "2020-03-04"],
            Box::new(|e| (at("2020-03-04T00:00:00Z")..at("2020-03-05T00:00:00Z")).contains(&ts(e))),
        ),
        (
            "event.created:[2023-09-18 TO *]",
            vec![],
            Box::new(|e| {
                get(e, "event.created")
                    .and_then(Value::as_str)
                    .is_some_and(|s| {
                        jiff::Timestamp::from_str(s).unwrap().as_microsecond()
                            >= at("2023-09-18T00:00:00Z")
                    })
            }),
        ),
    ]);
}

#[test]
fn source_and_severity_filters() {
    check(vec![
        (
            "",
            vec!["--source", "suricata"],
            Box::new(|e| eq_ci(e, "aurora.source", "suricata")),
        ),
        (
            "",
            vec!["--source", "suricata", "--source", "zeek"],
            Box::new(|e| {
                eq_ci(e, "aurora.source", "suricata") || eq_ci(e, "aurora.source", "zeek")
            }),
        ),
        (
            "",
            vec!["--source", "syslog,zeek"],
            Box::new(|e| eq_ci(e, "aurora.source", "syslog") || eq_ci(e, "aurora.source", "zeek")),
        ),
        (
            "",
            vec!["--severity", "high"],
            Box::new(|e| sev(e) == Some(4)),
        ),
        (
            "",
            vec!["--severity", "high,critical"],
            Box::new(|e| matches!(sev(e), Some(4 | 5))),
        ),
        (
            "",
            vec!["--severity", ">=medium"],
            Box::new(|e| sev(e).is_some_and(|s| s >= 3)),
        ),
        (
            "",
            vec!["--severity", "<low"],
            Box::new(|e| sev(e).is_some_and(|s| s < 2)),
        ),
        (
            "event.kind:alert",
            vec![
                "--severity",
                ">=high",
                "--source",
                "suricata",
                "--since",
                "24h",
            ],
            Box::new(|e| {
                eq_ci(e, "event.kind", "alert")
                    && sev(e).is_some_and(|s| s >= 4)
                    && eq_ci(e, "aurora.source", "suricata")
                    && ts(e) >= at(NOW) - 24 * 3_600_000_000
            }),
        ),
    ]);
}

#[test]
fn limit_sort_fields_and_formats() {
    let c = corpus();
    let db = c.db.to_str().unwrap();
    // Newest first by default; --sort flips it; --limit cuts.
    let newest = query(&c.db, "", &["--limit", "5"]);
    let mut by_time: Vec<&Value> = c.events.iter().collect();
    by_time.sort_by_key(|e| std::cmp::Reverse(ts(e)));
    assert_eq!(
        newest.iter().map(ts).collect::<Vec<_>>(),
        by_time[..5].iter().map(|e| ts(e)).collect::<Vec<_>>()
    );
    let oldest = query(&c.db, "", &["--limit", "3", "--sort", "@timestamp"]);
    by_time.reverse();
    assert_eq!(
        oldest.iter().map(ts).collect::<Vec<_>>(),
        by_time[..3].iter().map(|e| ts(e)).collect::<Vec<_>>()
    );
    let ports = query(
        &c.db,
        "_exists_:destination.port",
        &["--sort", "-destination.port,@timestamp", "--limit", "50"],
    );
    let p: Vec<f64> = ports
        .iter()
        .map(|e| num(e, "destination.port").unwrap())
        .collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "{p:?}");
    // --fields keeps ECS nesting.
    let f = query(
        &c.db,
        "event.kind:alert",
        &["--fields", "@timestamp,source.ip", "--limit", "1"],
    );
    let keys: Vec<&String> = f[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["@timestamp", "source"]);
    // CSV: header plus one line per event.
    let o = run(&[
        "query",
        "--db",
        db,
        "--format",
        "csv",
        "--fields",
        "user.name,event.outcome",
        "--limit",
        "0",
        "user.name:root",
    ]);
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("user.name,event.outcome"));
    let want = c
        .events
        .iter()
        .filter(|e| eq_ci(e, "user.name", "root"))
        .count();
    assert_eq!(lines.count(), want);
    // Table: a header and aligned rows.
    let o = run(&[
        "query",
        "--db",
        db,
        "--format",
        "table",
        "--limit",
        "3",
        "event.kind:alert",
    ]);
    assert!(stdout(&o).starts_with("@TIMESTAMP"), "{}", stdout(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
    // In a pipe the default is NDJSON.
    let o = run(&["query", "--db", db, "--limit", "2"]);
    assert!(
        stdout(&o)
            .lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok())
    );
    // --count agrees with the list.
    let o = run(&[
        "query",
        "--db",
        db,
        "--count",
        "--now",
        NOW,
        "--since",
        "24h",
        "event.kind:alert",
    ]);
    assert_eq!(
        stdout(&o).trim().parse::<usize>().unwrap(),
        query(&c.db, "event.kind:alert", &["--since", "24h"]).len()
    );
}

fn top_counts(events: &[Value], field: &str) -> Vec<(String, u64)> {
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

#[test]
fn top_counts_match() {
    let c = corpus();
    let db = c.db.to_str().unwrap();
    for field in [
        "source.ip",
        "related.ip",
        "threat.technique.id",
        "event.dataset",
        "destination.port",
        "network.transport",
    ] {
        let o = run(&[
            "top", "--db", db, field, "--limit", "1000", "--format", "ndjson",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let got: Vec<(String, u64)> = stdout(&o)
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (scalar(&v["value"]), v["count"].as_u64().unwrap())
            })
            .collect();
        let mut want = top_counts(&c.events, field);
        // Same counts; values compared case-insensitively would merge only for keywords.
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut got_sorted = got.clone();
        got_sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(got_sorted, want, "top {field}");
        assert!(
            got.windows(2).all(|w| w[0].1 >= w[1].1),
            "top {field} is not in descending order"
        );
    }
    // --least, filters and --query narrow the counted events.
    let o = run(&[
        "top",
        "--db",
        db,
        "user.name",
        "--least",
        "-n",
        "2",
        "--query",
        "event.outcome:failure",
        "--format",
        "ndjson",
    ]);
    let got: Vec<u64> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["count"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let fails: Vec<Value> = c
        .events
        .iter()
        .filter(|e| eq_ci(e, "event.outcome", "failure"))
        .cloned()
        .collect();
    let mut want: Vec<u64> = top_counts(&fails, "user.name")
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    want.sort();
    assert_eq!(got, want[..2.min(want.len())]);
}

#[test]
fn path_helper_is_relative() {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/events.ndjson")
            .exists()
    );
}
