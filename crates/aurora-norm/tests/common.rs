//! Helpers for running the built aurora-norm binary in tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata")).join(rel)
}

/// The binary, with the environment that changes its behaviour cleared.
pub fn norm() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aurora-norm"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AURORA_") {
            c.env_remove(k);
        }
    }
    c.env_remove("NO_COLOR").env_remove("TZ");
    c.stdin(Stdio::null());
    c
}

pub fn run(mut c: Command) -> Output {
    c.output().expect("aurora-norm runs")
}

/// Parses NDJSON output into values, failing on any line that is not JSON.
pub fn events(out: &[u8]) -> Vec<serde_json::Value> {
    out.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap_or_else(|e| panic!("bad output line {e}: {}", String::from_utf8_lossy(l))))
        .collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("aurora-norm-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
