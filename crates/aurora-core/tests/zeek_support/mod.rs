//! Helpers shared by the Zeek tests: fixtures, running lines through a
//! normalizer, reading fields of the events that come out.

#![allow(dead_code)]

use aurora_core::{Format, Normalizer, Options, Outcome};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

pub fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

/// What became of each line of one input.
pub struct Run {
    pub events: Vec<Value>,
    /// (1-based line, reason)
    pub rejects: Vec<(usize, String)>,
    pub skipped: usize,
}

pub fn opts(format: Format) -> Arc<Options> {
    Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    })
}

pub fn run_text(name: &str, text: &str, format: Format) -> Run {
    let mut n = Normalizer::new(opts(format));
    n.start_input(name, None, None);
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

pub fn run_file(path: &Path) -> Run {
    let text = std::fs::read_to_string(path).unwrap();
    run_text(path.to_str().unwrap(), &text, Format::Auto)
}

pub fn files_under(rel: &str) -> Vec<PathBuf> {
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
pub fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for seg in path.split('.') {
        cur = cur.get(seg)?;
    }
    Some(cur)
}
