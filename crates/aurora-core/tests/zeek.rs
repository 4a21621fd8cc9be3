//! Zeek JSON and TSV through the normalizer: every fixture line, the two
//! renderings of the same events, agreement with Elastic's pipeline, named
//! real-world cases, TSV edge cases and bad input.

use aurora_core::{Format, Normalizer, Options, Outcome};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

/// What became of each line of one input.
struct Run {
    events: Vec<Value>,
    /// (1-based line, reason)
    rejects: Vec<(usize, String)>,
    skipped: usize,
}

fn opts(format: Format) -> Arc<Options> {
    Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    })
}

fn run_text(name: &str, text: &str, format: Format) -> Run {
    let mut n = Normalizer::new(opts(format));
    n.start_input(name, None);
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

fn run_file(path: &Path) -> Run {
    let text = std::fs::read_to_string(path).unwrap();
    run_text(path.to_str().unwrap(), &text, Format::Auto)
}

fn files_under(rel: &str) -> Vec<PathBuf> {
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
fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for seg in path.split('.') {
        cur = cur.get(seg)?;
    }
    Some(cur)
}

#[test]
fn every_fixture_line_is_one_event() {
    let mut total = 0;
    for rel in ["zeek-tsv", "zeek-json"] {
        for path in files_under(rel) {
            let text = std::fs::read_to_string(&path).unwrap();
            let data_lines = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count();
            let run = run_file(&path);
            assert!(
                run.rejects.is_empty(),
                "{}: {:?}",
                path.display(),
                &run.rejects[..run.rejects.len().min(3)]
            );
            assert_eq!(run.events.len(), data_lines, "{}", path.display());
            for ev in &run.events {
                assert_eq!(ev["event"]["module"], "zeek", "{}", path.display());
                assert!(get(ev, "event.dataset").is_some());
                assert!(get(ev, "@timestamp").is_some());
            }
            total += run.events.len();
        }
    }
    eprintln!("{total} Zeek events from the fixtures, no rejects");
    assert!(total > 6000);
}
