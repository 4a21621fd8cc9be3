//! Every query form and every filter, run through the binary on a real store, with the
//! matching events checked against an independent computation over the same NDJSON
//! (`common/oracle.rs`).

mod common;

use std::path::Path;
use std::str::FromStr;

use common::oracle::*;
use common::*;
use serde_json::Value;

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
        // One word alone is counted from the FTS index's per-term document counts.
        ("PASSWORD", vec![], Box::new(|e| has_phrase(e, "password"))),
        ("Suricata", vec![], Box::new(|e| has_phrase(e, "suricata"))),
        ("zzyzx", vec![], Box::new(|e| has_phrase(e, "zzyzx"))),
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
        // Free text inside a time window: the zone map bounds the FTS ids, and counts
        // are driven by the FTS match joined to the events.
        (
            "password",
            vec!["--since", "7d"],
            Box::new(move |e| has_phrase(e, "password") && ts(e) >= now - 168 * h),
        ),
        (
            "event.outcome:failure AND sshd",
            vec!["--from", "2000-01-01"],
            Box::new(|e| {
                get(e, "event.outcome") == Some(&Value::from("failure"))
                    && has_phrase(e, "sshd")
                    && ts(e) >= at("2000-01-01T00:00:00Z")
            }),
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
fn path_helper_is_relative() {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/events.ndjson")
            .exists()
    );
}
