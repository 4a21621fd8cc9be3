//! Running the normalizer over a text in tests: the events it writes,
//! parsed, and the rejects with their line numbers.
#![allow(dead_code)]

use aurora_core::normalize::{Normalizer, Options};
use serde_json::Value;
use std::sync::Arc;

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

pub struct Run {
    pub events: Vec<Value>,
    pub rejects: Vec<(usize, String)>,
}

pub fn run_text(opts: Options, name: &str, text: &str) -> Run {
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input(name, None, None);
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if let Err(e) = n.line(line.as_bytes(), &mut out) {
            rejects.push((i + 1, e.to_string()));
        }
    }
    if let Err(e) = n.end_input(&mut out) {
        rejects.push((0, e.to_string()));
    }
    let events = out
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("output is JSON"))
        .collect();
    Run { events, rejects }
}
