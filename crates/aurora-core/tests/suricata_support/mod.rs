//! What the Suricata test files share: the normalizer they run and how they read its
//! output.

use aurora_core::{Format, Normalizer, Options, Outcome};
use serde_json::Value;
use std::sync::Arc;

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

pub fn normalizer() -> Normalizer {
    Normalizer::new(Arc::new(Options {
        format: Format::Suricata,
        // Fixed so that a record without a time shows as this, not as now.
        now: 1_700_000_000_000_000,
        ..Options::default()
    }))
}

/// Normalizes one line: the event as JSON, or the reject reason.
pub fn norm(n: &mut Normalizer, line: &str) -> Result<Value, String> {
    let mut out = Vec::new();
    match n.line(line.as_bytes(), &mut out) {
        Ok(Outcome::Event) => {
            assert_eq!(out.last(), Some(&b'\n'), "an event ends with a newline");
            assert_eq!(
                out.iter().filter(|&&b| b == b'\n').count(),
                1,
                "one event is one line"
            );
            Ok(serde_json::from_slice(&out).expect("the event is valid JSON"))
        }
        Ok(Outcome::Skipped) => Err("skipped".into()),
        Err(e) => Err(e.to_string()),
    }
}
