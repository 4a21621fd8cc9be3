//! Fuzzes Zeek JSON records: each line of the data is read as a Zeek JSON
//! log line of a log named by the input's file name. Any output must be one
//! valid JSON object per event; rejects are fine, panics are not.

#![no_main]

use aurora_core::{Format, Normalizer, Options, Outcome};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        format: Format::ZeekJson,
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input("dns.log", None, None);
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        out.clear();
        if let Ok(Outcome::Event) = n.line(line, &mut out) {
            assert_eq!(out.last(), Some(&b'\n'));
            let v: serde_json::Value =
                serde_json::from_slice(&out).expect("an event is valid JSON");
            assert!(v.is_object());
        }
    }
});
