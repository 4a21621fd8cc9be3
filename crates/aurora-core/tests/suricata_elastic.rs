//! Suricata EVE → ECS against Elastic's own pipeline: on Elastic's test case
//! (`testdata/suricata/elastic-integrations`), the fields both produce must agree, but for
//! the differences made on purpose (docs/differences-suricata.md).

mod suricata_support;

use serde_json::Value;
use std::collections::BTreeMap;
use suricata_support::{TESTDATA, norm, normalizer};

/// Fields where aurora differs from Elastic on purpose: (field or `prefix.*`,
/// the 0-based event it applies to, or None for all). The reasons are in
/// docs/differences-suricata.md.
const DIFFERENT_ON_PURPOSE: &[(&str, Option<usize>, &str)] = &[
    (
        "dns.question.registered_domain",
        None,
        "needs the Public Suffix List, which aurora does not embed",
    ),
    ("dns.question.subdomain", None, "as registered_domain"),
    (
        "dns.question.top_level_domain",
        None,
        "as registered_domain",
    ),
    (
        "tls.server.x509.subject.*",
        None,
        "Elastic's key=value split leaves the comma on values (`Apple Inc.,`)",
    ),
    (
        "url.path",
        Some(8),
        "for a proxy request (absolute URL) Elastic keeps scheme and host in the path",
    ),
];

/// Fields of Elastic's documents that the agreement covers.
fn compared(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "@timestamp",
        "event.kind",
        "event.category",
        "event.type",
        "event.outcome",
        "source.ip",
        "source.port",
        "destination.ip",
        "destination.port",
        "network.transport",
        "network.protocol",
        "network.community_id",
        "rule.id",
        "rule.name",
        "rule.category",
        "related.ip",
    ];
    const PREFIXES: &[&str] = &["http.", "url.", "dns.", "tls."];
    EXACT.contains(&path) || PREFIXES.iter().any(|p| path.starts_with(p))
}

fn excluded(path: &str, event: usize) -> bool {
    DIFFERENT_ON_PURPOSE.iter().any(|&(f, e, _)| {
        let hit = match f.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == f,
        };
        hit && e.is_none_or(|e| e == event)
    })
}

/// Leaf fields by dotted path; arrays are leaves.
fn leaves(v: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        _ => {
            out.insert(prefix.to_string(), v.clone());
        }
    }
}

/// Elastic stores times with milliseconds, aurora with microseconds:
/// compare the instant to the millisecond.
fn same(elastic: &Value, aurora: &Value) -> bool {
    match (elastic, aurora) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| same(x, y)))
        }
        (Value::String(a), Value::String(b)) if a.ends_with('Z') && b.ends_with('Z') => {
            let ms = |s: &str| s.get(..23).map(str::to_string);
            a == b || (a.len() >= 24 && b.len() >= 24 && ms(a) == ms(b))
        }
        (a, b) => a == b,
    }
}

#[test]
fn agrees_with_elastic_on_shared_fields() {
    let dir = format!("{TESTDATA}/suricata/elastic-integrations");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/test-eve-small.expected.json")).unwrap(),
    )
    .unwrap();
    let expected = expected["expected"].as_array().unwrap();
    let log = std::fs::read_to_string(format!("{dir}/test-eve-small.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(expected.len(), 12);
    assert_eq!(lines.len(), expected.len());

    let mut n = normalizer();
    // Per field group (first path segment): (agreed, compared).
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for (i, (line, want)) in lines.iter().zip(expected).enumerate() {
        let got = norm(&mut n, line).unwrap();
        let (mut w, mut g) = (BTreeMap::new(), BTreeMap::new());
        leaves(want, "", &mut w);
        leaves(&got, "", &mut g);
        for (path, wv) in &w {
            if !compared(path) || excluded(path, i) {
                continue;
            }
            let group = path.split('.').next().unwrap_or("").to_string();
            let e = groups.entry(group).or_default();
            e.1 += 1;
            match g.get(path) {
                Some(gv) if same(wv, gv) => e.0 += 1,
                other => misses.push(format!("event {i}: {path}: elastic {wv}, aurora {other:?}")),
            }
        }
    }
    let (agreed, total) = groups
        .values()
        .fold((0, 0), |(a, t), (x, y)| (a + x, t + y));
    println!("agreement with Elastic on test-eve-small (field group: agreed/compared):");
    for (g, (a, t)) in &groups {
        println!(
            "  {g:<12} {a:>3}/{t:<3} {:5.1}%",
            100.0 * *a as f64 / *t as f64
        );
    }
    println!(
        "  {:<12} {agreed:>3}/{total:<3} {:5.1}%",
        "overall",
        100.0 * agreed as f64 / total as f64
    );
    for m in &misses {
        println!("  differs: {m}");
    }
    assert!(total >= 150, "only {total} fields compared");
    assert!(
        agreed * 100 >= total * 95,
        "agreement {agreed}/{total} is under 95%:\n{}",
        misses.join("\n")
    );
}
