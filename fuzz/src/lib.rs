//! What every fuzz target checks: a line through the normalizer either
//! becomes one valid JSON event carrying the fields every event must have,
//! or a reject with a reason; it never panics.

use aurora_core::{Format, Normalizer, Options, Outcome};
use std::sync::Arc;

pub fn normalizer(format: Format) -> Normalizer {
    let mut n = Normalizer::new(Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    }));
    n.start_input("fuzz.log", None);
    n
}

/// Feeds each line of `data` and checks every event produced.
pub fn check_lines(n: &mut Normalizer, data: &[u8]) {
    let mut out = Vec::new();
    for line in aurora_core::ndjson::lines(data) {
        out.clear();
        match n.line(line, &mut out) {
            Ok(Outcome::Event) => check_event(&out),
            Ok(Outcome::Skipped) => assert!(out.is_empty()),
            Err(e) => assert!(!e.0.is_empty(), "a reject needs a reason"),
        }
    }
}

fn check_event(out: &[u8]) {
    assert_eq!(out.last(), Some(&b'\n'), "an event ends its line");
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1, "one line per event");
    let v: serde_json::Value = serde_json::from_slice(out).expect("events are valid JSON");
    let ts = v["@timestamp"].as_str().expect("@timestamp is a string");
    assert_eq!(ts.len(), 27, "@timestamp has microseconds: {ts}");
    assert!(ts.ends_with('Z'));
    assert_eq!(v["aurora"]["id"].as_str().map(str::len), Some(32));
    assert!(v["aurora"]["source"].is_string());
    assert!(v["event"]["module"].is_string());
}
