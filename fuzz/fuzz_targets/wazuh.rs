//! Wazuh input in every form (alerts.json lines, ossec syslog lines, the
//! multi-line alerts.log) must never panic, and what comes out must be JSON.
#![no_main]
use aurora_core::normalize::{Format, Normalizer, Options};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        format: Format::Wazuh,
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input("alerts.json", None, None);
    let mut out = Vec::new();
    // Lines as the reader splits them, so alerts.log records span lines.
    for line in data.split(|b| *b == b'\n') {
        let _ = n.line(line, &mut out);
    }
    let _ = n.end_input(&mut out);
    for event in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(event) {
            panic!("invalid JSON out: {e}: {}", String::from_utf8_lossy(event));
        }
    }
});
