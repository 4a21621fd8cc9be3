//! A custom mapping file and records: the first line of the input is tried
//! as a mapping (TOML, `\t` standing for newlines) and must never panic;
//! records then go through it (or through the Caddy example mapping when it
//! does not load), and what comes out must be JSON.
#![no_main]
use aurora_core::normalize::{Format, Normalizer, Options};
use aurora_core::source::custom::Mapping;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

const CADDY: &str = include_str!("../../testdata/custom/caddy.toml");

fn caddy() -> Arc<Mapping> {
    static M: OnceLock<Arc<Mapping>> = OnceLock::new();
    M.get_or_init(|| Arc::new(Mapping::from_toml(CADDY).expect("the example loads")))
        .clone()
}

fuzz_target!(|data: &[u8]| {
    let (head, records) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let toml = String::from_utf8_lossy(head).replace('\t', "\n");
    let mapping = Mapping::from_toml(&toml).map(Arc::new).unwrap_or_else(|_| caddy());
    let opts = Options {
        format: Format::Custom,
        mapping: Some(mapping),
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input("access.json", None, None);
    let mut out = Vec::new();
    for line in records.split(|b| *b == b'\n') {
        let _ = n.line(line, &mut out);
    }
    for event in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(event) {
            panic!("invalid JSON out: {e}: {}", String::from_utf8_lossy(event));
        }
    }
});
