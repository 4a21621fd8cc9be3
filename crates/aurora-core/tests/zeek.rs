//! Zeek JSON and TSV through the normalizer: every fixture line, the two
//! renderings of the same events, agreement with Elastic's pipeline, named
//! real-world cases, TSV edge cases and bad input.

use aurora_core::{Format, Normalizer, Options, Outcome};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

/// What became of each line of one input.
struct Run {
    events: Vec<Value>,
    /// (1-based line, reason)
    rejects: Vec<(usize, String)>,
    skipped: usize,
}

fn opts(format: Format) -> Arc<Options> {
    Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    })
}

fn run_text(name: &str, text: &str, format: Format) -> Run {
    let mut n = Normalizer::new(opts(format));
    n.start_input(name, None);
    let mut run = Run {
        events: Vec::new(),
        rejects: Vec::new(),
        skipped: 0,
    };
    for (i, line) in text.lines().enumerate() {
        let mut out = Vec::new();
        match n.line(line.as_bytes(), &mut out) {
            Ok(Outcome::Event) => {
                assert_eq!(out.last(), Some(&b'\n'));
                let v: Value = serde_json::from_slice(&out)
                    .unwrap_or_else(|e| panic!("{name}:{}: invalid JSON out: {e}", i + 1));
                run.events.push(v);
            }
            Ok(Outcome::Skipped) => {
                assert!(out.is_empty());
                run.skipped += 1;
            }
            Err(e) => run.rejects.push((i + 1, e.0)),
        }
    }
    run
}

fn run_file(path: &Path) -> Run {
    let text = std::fs::read_to_string(path).unwrap();
    run_text(path.to_str().unwrap(), &text, Format::Auto)
}

fn files_under(rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![testdata(rel)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with("expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Dotted path lookup in a nested event.
fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for seg in path.split('.') {
        cur = cur.get(seg)?;
    }
    Some(cur)
}

#[test]
fn every_fixture_line_is_one_event() {
    let mut total = 0;
    for rel in ["zeek-tsv", "zeek-json"] {
        for path in files_under(rel) {
            let text = std::fs::read_to_string(&path).unwrap();
            let data_lines = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count();
            let run = run_file(&path);
            assert!(
                run.rejects.is_empty(),
                "{}: {:?}",
                path.display(),
                &run.rejects[..run.rejects.len().min(3)]
            );
            assert_eq!(run.events.len(), data_lines, "{}", path.display());
            for ev in &run.events {
                assert_eq!(ev["event"]["module"], "zeek", "{}", path.display());
                assert!(get(ev, "event.dataset").is_some());
                assert!(get(ev, "@timestamp").is_some());
            }
            total += run.events.len();
        }
    }
    eprintln!("{total} Zeek events from the fixtures, no rejects");
    assert!(total > 6000);
}

/// The 30 log types brimdata published in both renderings.
const BRIM_TYPES: &[&str] = &[
    "analyzer",
    "capture_loss",
    "dce_rpc",
    "dns",
    "dpd",
    "ftp",
    "kerberos",
    "known_certs",
    "known_hosts",
    "known_services",
    "ldap_search",
    "modbus",
    "notice",
    "ntlm",
    "ntp",
    "ocsp",
    "pe",
    "rdp",
    "rfb",
    "smb_files",
    "smb_mapping",
    "smtp",
    "snmp",
    "software",
    "ssh",
    "ssl",
    "stats",
    "syslog",
    "weird",
    "x509",
];

/// Removes what legitimately differs between the renderings of one event:
/// - `event.original` is the raw line, a TSV row or a JSON object;
/// - `aurora.id` hashes that raw line;
/// - `event.duration` is computed from the interval as the sensor wrote it
///   (to agree with Elastic to the nanosecond on JSON), and TSV writes
///   intervals to the microsecond only: it is compared to within 1 µs.
fn comparable(mut ev: Value) -> (Value, Option<i64>) {
    let e = ev.as_object_mut().unwrap();
    e.get_mut("event")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("original");
    let dur = e
        .get_mut("event")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("duration")
        .and_then(|d| d.as_i64());
    e.get_mut("aurora")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("id");
    (ev, dur)
}

#[test]
fn json_and_tsv_renderings_give_the_same_events() {
    let mut compared = 0;
    for t in BRIM_TYPES {
        let json = run_file(&testdata(&format!(
            "zeek-json/brimdata-zed-sample-data/{t}.json"
        )));
        let tsv = run_file(&testdata(&format!(
            "zeek-tsv/brimdata-zed-sample-data/{t}.log"
        )));
        assert!(json.rejects.is_empty() && tsv.rejects.is_empty(), "{t}");
        assert_eq!(json.events.len(), tsv.events.len(), "{t}");
        assert!(!json.events.is_empty(), "{t}");
        for (i, (j, s)) in json.events.into_iter().zip(tsv.events).enumerate() {
            let (j, jd) = comparable(j);
            let (s, sd) = comparable(s);
            assert_eq!(j, s, "{t} event {}: JSON\n{j}\nTSV\n{s}", i + 1);
            match (jd, sd) {
                (Some(a), Some(b)) => assert!((a - b).abs() <= 1000, "{t} {}: {a} vs {b}", i + 1),
                (a, b) => assert_eq!(a, b, "{t} event {}", i + 1),
            }
            compared += 1;
        }
    }
    eprintln!(
        "{compared} events identical in both renderings, {} types",
        BRIM_TYPES.len()
    );
}

/// The ECS fields Elastic's zeek conn pipeline and aurora both set.
const ELASTIC_SHARED: &[&str] = &[
    "@timestamp",
    "event.kind",
    "event.category",
    "event.type",
    "event.outcome",
    "event.duration",
    "source.ip",
    "source.port",
    "source.bytes",
    "source.packets",
    "destination.ip",
    "destination.port",
    "destination.bytes",
    "destination.packets",
    "network.transport",
    "network.protocol",
    "network.community_id",
    "network.direction",
    "network.bytes",
    "network.packets",
    "related.ip",
];

/// Puts a value in the form both sides can be compared in: Elastic keeps
/// milliseconds in @timestamp and writes one-element lists as scalars.
fn canon(field: &str, v: &Value) -> Value {
    match (field, v) {
        ("@timestamp", Value::String(s)) => {
            let s = s.trim_end_matches('Z');
            let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
            let ms: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
            Value::String(format!("{secs}.{ms}Z"))
        }
        (_, Value::Array(a)) if a.len() == 1 => a[0].clone(),
        _ => v.clone(),
    }
}

#[test]
fn agrees_with_elastic_on_conn() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata(
            "zeek-json/elastic-integrations/test-conn.2021.expected.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let expected = expected["expected"].as_array().unwrap();
    let ours = run_file(&testdata(
        "zeek-json/elastic-integrations/test-conn.2021.log",
    ));
    assert!(ours.rejects.is_empty(), "{:?}", ours.rejects);
    assert_eq!(ours.events.len(), expected.len());
    let (mut same, mut compared) = (0, 0);
    eprintln!(
        "{:<22} {:>5} {:>5} {:>9}",
        "field", "same", "diff", "aurora+"
    );
    for field in ELASTIC_SHARED {
        let (mut fs, mut fd, mut only_ours) = (0, 0, 0);
        for (i, (a, e)) in ours.events.iter().zip(expected).enumerate() {
            match (get(a, field), get(e, field)) {
                (Some(a), Some(e)) if canon(field, a) == canon(field, e) => fs += 1,
                (a, Some(e)) => {
                    eprintln!("  event {}: {field}: aurora {a:?}, Elastic {e}", i + 1);
                    fd += 1;
                }
                (Some(_), None) => only_ours += 1,
                (None, None) => {}
            }
        }
        eprintln!("{field:<22} {fs:>5} {fd:>5} {only_ours:>9}");
        same += fs;
        compared += fs + fd;
    }
    let pct = 100.0 * same as f64 / compared as f64;
    eprintln!("agreement with Elastic on conn: {same}/{compared} = {pct:.1}%");
    assert!(pct >= 95.0, "{pct:.1}%");
}

#[test]
#[ignore]
fn show() {
    let f = std::env::var("SHOW").unwrap();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(1);
    let run = run_file(&testdata(&f));
    for e in run.events.iter().take(n) {
        println!("{}", serde_json::to_string(e).unwrap());
    }
    println!("{:?}", run.rejects);
}
