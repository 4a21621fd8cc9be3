//! The stable half of fuzzing: replays the broken-input corpus, the fuzz
//! seeds and any crash the fuzzers found (testdata/bad/fuzz-*), plus
//! deterministic mutations of every real fixture line, through every parser,
//! and holds each event to `aurora_core::invariants`. Runs on stable Rust in
//! the normal test suite; `scripts/fuzz` adds libFuzzer on nightly.

use aurora_core::{Format, Normalizer, Options, Outcome};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn formats() -> Vec<Format> {
    Format::NAMES
        .iter()
        .filter_map(|n| Format::from_name(n))
        .collect()
}

fn feed(format: Format, name: &str, data: &[u8]) {
    let mut n = Normalizer::new(Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    }));
    n.start_input(name, None, None);
    let mut out = Vec::new();
    for line in aurora_core::ndjson::lines(data) {
        out.clear();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| n.line(line, &mut out)));
        let r = r.unwrap_or_else(|_| {
            panic!(
                "{format:?} panicked on {name}: {}",
                String::from_utf8_lossy(line)
            )
        });
        match r {
            Ok(Outcome::Event) => {
                if let Err(e) = aurora_core::invariants::check_event_line_from(&out, line) {
                    panic!(
                        "{format:?} on {name}: {e}\n{}",
                        String::from_utf8_lossy(&out)
                    );
                }
            }
            Ok(Outcome::Skipped) => assert!(out.is_empty()),
            Err(e) => assert!(!e.0.is_empty()),
        }
    }
}

/// xorshift: deterministic mutations, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, line: &[u8]) -> Vec<u8> {
    let mut v = line.to_vec();
    if v.is_empty() {
        return v;
    }
    const SPICE: &[&[u8]] = &[
        b"null",
        b"\"",
        b"\\",
        b"{",
        b"}",
        b"[]",
        b"-1",
        b"1e999",
        b"\xff",
        b"\t",
        b"#",
        b"\\x41",
        b"\"\":",
        b"99999999999999999999",
    ];
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(v.len());
        match rng.below(5) {
            0 => v.truncate(i),
            1 => v[i] ^= 1 << rng.below(8),
            2 => {
                let s = SPICE[rng.below(SPICE.len())];
                v.splice(i..i, s.iter().copied());
            }
            3 => {
                let j = i + rng.below(v.len() - i);
                v.drain(i..j);
            }
            _ => {
                let j = rng.below(v.len());
                let b = v[j];
                v.insert(i, b);
            }
        }
        if v.is_empty() {
            break;
        }
    }
    v.retain(|&b| b != b'\n');
    v
}

#[test]
fn broken_inputs_seeds_and_found_crashes_never_panic() {
    let mut files = Vec::new();
    files_under(&Path::new(ROOT).join("testdata/bad"), &mut files);
    files_under(&Path::new(ROOT).join("fuzz/seeds"), &mut files);
    assert!(files.len() >= 5, "the bad-input corpus is missing");
    for f in &files {
        let data = std::fs::read(f).unwrap();
        for fmt in formats() {
            feed(fmt, &f.display().to_string(), &data);
        }
    }
}

#[test]
fn mutated_real_records_never_panic_and_events_stay_valid() {
    let mut files = Vec::new();
    for d in [
        "suricata",
        "zeek-json",
        "zeek-tsv",
        "syslog",
        "wazuh",
        "velociraptor",
    ] {
        files_under(&Path::new(ROOT).join("testdata").join(d), &mut files);
    }
    files.retain(|p| {
        !p.to_string_lossy().ends_with(".expected.json") && !p.to_string_lossy().ends_with(".csv")
    });
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let lines: Vec<&[u8]> = aurora_core::ndjson::lines(&data).take(40).collect();
        // Keep a Zeek header in front so TSV rows reach the row parser.
        let header: Vec<u8> = lines
            .iter()
            .take_while(|l| l.first() == Some(&b'#'))
            .flat_map(|l| l.iter().copied().chain([b'\n']))
            .collect();
        let mut mutated = header.clone();
        for l in &lines {
            for _ in 0..8 {
                mutated.extend(mutate(&mut rng, l));
                mutated.push(b'\n');
            }
        }
        let name = f.display().to_string();
        for fmt in formats() {
            feed(fmt, &name, &mutated);
        }
    }
}
