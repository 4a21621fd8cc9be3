//! Output of `query` and `top` on the shared store: limits, sort orders, field
//! projection, the three formats, counts, and `top` against independent counts.

mod common;

use common::oracle::*;
use common::*;
use serde_json::Value;

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
    // --count agrees with the list, also where it is answered from the FTS index alone.
    for q in [
        "password",
        "\"Failed password\"",
        "PASSWORD root",
        "10.1.2.3",
        "password event.kind:event",
        "'",
    ] {
        let o = run(&["query", "--db", db, "--count", q]);
        assert_eq!(
            stdout(&o).trim().parse::<usize>().unwrap(),
            query(&c.db, q, &[]).len(),
            "--count {q:?}"
        );
    }
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
            "top", "--db", db, field, "--limit", "100000", "--format", "ndjson",
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
        let only_got: Vec<_> = got_sorted.iter().filter(|x| !want.contains(x)).collect();
        let only_want: Vec<_> = want.iter().filter(|x| !got_sorted.contains(x)).collect();
        assert!(
            only_got.is_empty() && only_want.is_empty(),
            "top {field}: store only {only_got:?}, independent only {only_want:?}"
        );
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
