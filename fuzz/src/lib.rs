//! What every fuzz target checks: a line through the normalizer either
//! becomes one event meeting `aurora_core::invariants`, or a reject with a
//! reason; it never panics.

use aurora_core::{Format, Normalizer, Options, Outcome};
use std::sync::Arc;

pub fn normalizer(format: Format) -> Normalizer {
    let mut n = Normalizer::new(Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    }));
    n.start_input("fuzz.log", None, None);
    n
}

/// Feeds each line of `data` and checks every event produced.
pub fn check_lines(n: &mut Normalizer, data: &[u8]) {
    let mut out = Vec::new();
    for line in aurora_core::ndjson::lines(data) {
        out.clear();
        match n.line(line, &mut out) {
            Ok(Outcome::Event) => {
                if let Err(e) = aurora_core::invariants::check_event_line_from(&out, line) {
                    panic!("{e}: {}", String::from_utf8_lossy(&out));
                }
            }
            Ok(Outcome::Skipped) => assert!(out.is_empty()),
            Err(e) => assert!(!e.0.is_empty(), "a reject needs a reason"),
        }
    }
}
