//! Differential fuzzing of the indexer's line parser: `DocParser` (simd-json's tape)
//! and `parse_line` (serde_json, the reference) must give the same row, heartbeat or
//! reject for every line, with the free-text values compared as a set. Panics in
//! either fail the run.

#![no_main]

use aurora_store::doc::{DocParser, Parsed, parse_line};
use libfuzzer_sys::fuzz_target;

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

fuzz_target!(|data: &[u8]| {
    let mut parser = DocParser::default();
    for line in data.split(|&b| b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let fast = parser.parse(line).map(canonical);
        let reference = parse_line(line).map(canonical);
        assert_eq!(fast, reference, "on {line}");
    }
});
