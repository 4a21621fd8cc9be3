//! `top` over time windows, on a store large enough for the zone map to tell a narrow
//! window from a wide one (140k generated events in time order, 35 zones): every way
//! `top` reads a field (indexed columns in order, other columns tallied, the technique
//! table and the JSON grouped by SQLite) against counts computed independently from the
//! same events, with ties in the field's order and keywords grouped ASCII
//! case-insensitively, as the store compares them.

mod common;

use std::cmp::Ordering;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::oracle::*;
use common::*;
use serde_json::Value;

struct Store {
    db: PathBuf,
    events: Vec<Value>,
    _dir: tempfile::TempDir,
}

/// 140k generated events, sorted by time as a sensor writes them, some with the user
/// name and the outcome spelled in capitals.
fn store() -> &'static Store {
    static S: OnceLock<Store> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut lines = generate(1, 140_000);
        // Each line starts with its fixed-width `@timestamp`: text order is time order.
        lines.sort();
        for (i, l) in lines.iter_mut().enumerate() {
            if i % 7 == 0 {
                *l = l.replace(r#""user":{"name":"root"}"#, r#""user":{"name":"ROOT"}"#);
            }
            if i % 5 == 0 {
                *l = l.replace(r#""outcome":"failure""#, r#""outcome":"Failure""#);
            }
        }
        let f = dir.path().join("in.ndjson");
        write_lines(&f, &lines);
        let db = dir.path().join("s.db");
        index(&db, &[&f]);
        let events = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        Store {
            db,
            events,
            _dir: dir,
        }
    })
}

/// A window as `top` is given it, and the same bounds in µs.
struct Window {
    args: &'static [&'static str],
    from: i64,
    to: i64,
}

fn windows() -> Vec<Window> {
    let now = at(NOW);
    let h = 3_600_000_000;
    vec![
        // Every event: the store is not tested for time at all.
        Window {
            args: &["--since", "24h"],
            from: now - 24 * h,
            to: i64::MAX,
        },
        // 1/48 of the store: one or two of its 35 zones, read by id range.
        Window {
            args: &["--since", "30m"],
            from: now - h / 2,
            to: i64::MAX,
        },
        // A quarter of the store: scanned in the column's order, each time tested.
        Window {
            args: &["--since", "6h"],
            from: now - 6 * h,
            to: i64::MAX,
        },
        // `--to` names a second and takes all of it.
        Window {
            args: &[
                "--from",
                "2023-09-17T20:00:00Z",
                "--to",
                "2023-09-17T22:00:00Z",
            ],
            from: at("2023-09-17T20:00:00Z"),
            to: at("2023-09-17T22:00:01Z"),
        },
    ]
}

/// `top FIELD` with `extra` flags, as (value, count) in the order printed.
fn top(db: &Path, field: &str, extra: &[&str]) -> Vec<(String, u64)> {
    let mut args = vec![
        "top",
        "--db",
        db.to_str().unwrap(),
        "--now",
        NOW,
        "--format",
        "ndjson",
    ];
    args.extend_from_slice(extra);
    args.push(field);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "top {field} {extra:?}: {}",
        stderr(&o)
    );
    stdout(&o)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (scalar(&v["value"]), v["count"].as_u64().unwrap())
        })
        .collect()
}

/// The order of a field's values among equal counts, as the store sorts the field.
fn value_order(field: &str, a: &str, b: &str) -> Ordering {
    match field {
        "source.ip" | "destination.ip" => a
            .parse::<IpAddr>()
            .unwrap()
            .cmp(&b.parse::<IpAddr>().unwrap()),
        "destination.port" | "source.port" => {
            a.parse::<u64>().unwrap().cmp(&b.parse::<u64>().unwrap())
        }
        // Keywords: ASCII case-insensitive.
        _ => a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
    }
}

/// Independent counts of `field`'s values over `events`, values lower-cased for fields
/// the store compares case-insensitively, most frequent first (or least with `least`).
fn expected(events: &[&Value], field: &str, least: bool) -> Vec<(String, u64)> {
    let mut merged = std::collections::BTreeMap::<String, u64>::new();
    for (v, n) in top_counts(events.iter().copied(), field) {
        let v = if keyword(field) {
            v.to_ascii_lowercase()
        } else {
            v
        };
        *merged.entry(v).or_default() += n;
    }
    let mut want: Vec<(String, u64)> = merged.into_iter().collect();
    want.sort_by(|a, b| {
        let by_count = if least { a.1.cmp(&b.1) } else { b.1.cmp(&a.1) };
        by_count.then_with(|| value_order(field, &a.0, &b.0))
    });
    want
}

/// Fields whose values the store compares ASCII case-insensitively (of those tested).
fn keyword(field: &str) -> bool {
    matches!(field, "user.name" | "event.outcome" | "aurora.severity")
}

/// Keyword values lower-cased: which spelling of a value `top` shows is not specified.
fn lower(field: &str, v: Vec<(String, u64)>) -> Vec<(String, u64)> {
    if !keyword(field) {
        return v;
    }
    v.into_iter()
        .map(|(s, n)| (s.to_ascii_lowercase(), n))
        .collect()
}

#[test]
fn top_over_time_windows_matches_independent_counts() {
    let s = store();
    // Indexed columns (read in order), other columns (tallied), the technique table and
    // a JSON field (grouped by SQLite).
    let fields = [
        "source.ip",
        "destination.ip",
        "user.name",
        "destination.port",
        "event.outcome",
        "aurora.severity",
        "threat.technique.id",
        "network.transport",
    ];
    let mut failures = Vec::new();
    for w in windows() {
        let within: Vec<&Value> = s
            .events
            .iter()
            .filter(|e| (w.from..w.to).contains(&ts(e)))
            .collect();
        for field in fields {
            for least in [false, true] {
                let mut extra = w.args.to_vec();
                extra.extend(["--limit", "1000"]);
                if least {
                    extra.push("--least");
                }
                let got = lower(field, top(&s.db, field, &extra));
                let want = expected(&within, field, least);
                assert!(
                    !want.is_empty(),
                    "{field} {:?}: no events in the window",
                    w.args
                );
                if got != want {
                    failures.push(format!(
                        "top {field} {extra:?}:\n  store       {got:?}\n  independent {want:?}"
                    ));
                }
                // A limit keeps the first of the same order.
                extra.extend(["--limit", "2"]);
                let first = lower(field, top(&s.db, field, &extra));
                if first[..] != want[..2.min(want.len())] {
                    failures.push(format!("top {field} {extra:?}: {first:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn top_of_a_unique_field_keeps_the_earliest_of_equal_counts() {
    // `@timestamp` has 140k nearly distinct values: the top five of a count of one are
    // the five earliest, which only a heap that keeps ties in the column's order gives.
    let s = store();
    for w in windows() {
        let mut extra = w.args.to_vec();
        extra.extend(["--limit", "5"]);
        let got: Vec<u64> = top(&s.db, "@timestamp", &extra)
            .iter()
            .map(|(v, _)| at(v) as u64)
            .collect();
        let mut times: Vec<i64> = s
            .events
            .iter()
            .map(ts)
            .filter(|t| (w.from..w.to).contains(t))
            .collect();
        times.sort();
        let mut counts = std::collections::BTreeMap::<i64, u64>::new();
        for t in &times {
            *counts.entry(*t).or_default() += 1;
        }
        let mut want: Vec<(i64, u64)> = counts.into_iter().collect();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let want: Vec<u64> = want[..5].iter().map(|(t, _)| *t as u64).collect();
        assert_eq!(got, want, "{:?}", w.args);
    }
}

#[test]
fn top_reads_each_window_the_cheap_way() {
    // The forms `top` chooses, seen in `--explain`: what would make it slow is a window
    // tested on every event of a store it covers whole, a wide window read by id and
    // sorted, a narrow one scanned whole, or SQLite skip-scanning the column's
    // (column, ts) index once per distinct value.
    let s = store();
    let db = s.db.to_str().unwrap();
    let explain = |field: &str, window: &[&str]| {
        let mut args = vec!["top", "--db", db, "--now", NOW, "--explain"];
        args.extend_from_slice(window);
        args.push(field);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        // The second statement is top's (the first counts the total).
        let text = stdout(&o);
        text[text.find("SELECT e.").expect(&text)..].to_string()
    };
    for field in ["source.ip", "destination.ip"] {
        let whole = explain(field, &["--since", "24h"]);
        assert!(!whole.contains("e.ts"), "{whole}");
        let wide = explain(field, &["--since", "6h"]);
        assert!(
            wide.contains("+e.ts >= ?") && !wide.contains("e.id BETWEEN"),
            "{wide}"
        );
        assert!(
            !wide.contains("TEMP B-TREE") && !wide.contains("ANY("),
            "{wide}"
        );
        let narrow = explain(field, &["--since", "30m"]);
        assert!(narrow.contains("e.id BETWEEN ? AND ?"), "{narrow}");
        assert!(!narrow.contains("ANY("), "{narrow}");
    }
    // A tallied column reads only the window's ids, whatever its width.
    let port = explain("destination.port", &["--since", "6h"]);
    assert!(
        port.contains("e.id BETWEEN ? AND ?") && !port.contains("ORDER BY"),
        "{port}"
    );
}
