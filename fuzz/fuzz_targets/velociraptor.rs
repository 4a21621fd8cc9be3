//! Velociraptor rows (any JSON, any shape) must never panic, and what comes
//! out must be JSON. The input name gives the parser an artifact to map by.
#![no_main]
use aurora_core::normalize::{Format, Normalizer, Options};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const NAMES: &[&str] = &[
    "results/Windows.Network.NetstatEnriched%2FNetstat.json",
    "Windows.Sigma.EventLogs.jsonl",
    "Linux.Forensics.Journal.json",
    "Linux.Sys.Users.json",
    "Generic.Detection.HashHunter.json",
    "rows.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else {
        return;
    };
    let opts = Options {
        format: Format::Velociraptor,
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input(NAMES[pick as usize % NAMES.len()], None, None);
    let mut out = Vec::new();
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
