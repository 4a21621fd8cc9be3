//! The indexer's parser (`DocParser`, read off simd-json's tape) must agree with the
//! reference (`parse_line`, a serde_json tree) on every event: hot columns, ids, FTS
//! columns (the free-text values as a set: the two walk objects in different orders)
//! and the stored document. Checked on every event aurora-norm makes of the bundled
//! testdata, and on crafted lines that take the reference path.

use std::path::Path;
use std::sync::Arc;

use aurora_core::{Format, Normalizer, Options, Outcome};
use aurora_store::doc::{DocParser, Parsed, parse_line};

/// `Parsed` with the free-text column as a sorted set of values.
fn canonical(p: Parsed) -> Parsed {
    match p {
        Parsed::Event(mut row) => {
            let mut values: Vec<&str> = row.fts[3].split('\n').collect();
            values.sort_unstable();
            row.fts[3] = values.join("\n");
            Parsed::Event(row)
        }
        other => other,
    }
}

fn agree(parser: &mut DocParser, line: &str) {
    let fast = parser.parse(line).map(canonical);
    let reference = parse_line(line).map(canonical);
    assert_eq!(fast, reference, "on {line}");
}

/// Every ECS line aurora-norm makes of the JSON and syslog testdata (Zeek TSV needs its
/// header, alerts.log its record grouping: both are covered by aurora-norm's own tests).
fn ecs_lines() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut files = Vec::new();
    for dir in ["suricata", "zeek-json", "syslog", "wazuh", "velociraptor"] {
        collect(&root.join(dir), &mut files);
    }
    let mut lines = Vec::new();
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let mut n = Normalizer::new(Arc::new(Options {
            format: Format::Auto,
            now: 1_700_000_000_000_000,
            ..Options::default()
        }));
        n.start_input(&f.display().to_string(), None, None);
        for line in aurora_core::ndjson::lines(&data) {
            let mut out = Vec::new();
            if let Ok(Outcome::Event) = n.line(line, &mut out) {
                lines.push(String::from_utf8(out).unwrap().trim_end().to_string());
            }
        }
    }
    lines
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if !p.extension().is_some_and(|x| x == "md" || x == "zip") {
            out.push(p);
        }
    }
}

#[test]
fn agrees_with_the_reference_on_every_testdata_event() {
    let lines = ecs_lines();
    assert!(lines.len() > 3000, "only {} events", lines.len());
    let mut parser = DocParser::default();
    for line in &lines {
        agree(&mut parser, line);
    }
}

#[test]
fn agrees_on_crafted_lines() {
    let mut parser = DocParser::default();
    for line in [
        // Flat dotted keys, arrays, numbers as text, floats, booleans.
        r#"{"@timestamp":"2024-01-01T00:00:00Z","source.ip":"10.0.0.1","event":{"severity":4.0,"kind":["alert",null]},"rule":{"id":2001.5,"name":true},"user":{"name":["root","admin"]}}"#,
        r#"{"@timestamp":"2024-01-01T00:00:00+02:00","destination":{"ip":"::ffff:10.1.2.3","port":"443"},"threat":{"technique":{"id":"T1046"}}}"#,
        // Repeated keys, heartbeats and bad lines take the reference path.
        r#"{"@timestamp":"2024-01-01T00:00:00Z","a":{"x":1,"x":2},"message":"m"}"#,
        r#"{"@timestamp":"2024-01-01T00:00:00Z","event":{"kind":"metric","dataset":"aurora.heartbeat"},"aurora":{"source":"s","heartbeat":{"status":"connected"}}}"#,
        r#"{"@timestamp":"nope"}"#,
        r#"{"a":1}"#,
        "[1,2]",
        "{",
        r#"{"@timestamp":"2024-01-01T00:00:00Z","message":"dup","x":"dup","y":["dup","other"]}"#,
    ] {
        agree(&mut parser, line);
    }
}

#[test]
fn each_value_is_indexed_once() {
    let line = r#"{"@timestamp":"2024-01-01T00:00:00Z","message":"hello","aurora":{"source":"suricata"},"event":{"module":"suricata","dataset":"suricata.eve"},"observer":{"product":"Suricata"},"related":{"ip":["10.0.0.1","10.0.0.1"]},"x":"hello"}"#;
    let Ok(Parsed::Event(row)) = DocParser::default().parse(line) else {
        panic!("not an event");
    };
    let values: Vec<&str> = row.fts[3].split('\n').collect();
    assert_eq!(
        values,
        ["suricata", "suricata.eve", "Suricata", "10.0.0.1"],
        "message's value and repeats are left out"
    );
}
