//! A stable-Rust stand-in for the fuzz targets: real Wazuh, Velociraptor and
//! custom-JSON records with bytes flipped, cut and spliced must never panic,
//! and every event written must be valid JSON. Deterministic (fixed seed).

use aurora_core::normalize::{Format, Normalizer, Options};
use aurora_core::source::custom::Mapping;
use std::sync::Arc;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

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

const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"\"rule\":\"x\"",
    b"\xff",
    b"\xe2\x82",
    b"->",
    b"** Alert 1.2: - a,b\n",
    b" ossec: ",
    b"Alert Level: 99;",
    b"%2F",
    b"\"mitre\":{\"id\":[\"T1110.001\",5,null]}",
    b"\"full_log\":\"{\\\"event_type\\\":1}\"",
    b"99999999999999999999",
    b"-1",
    b"1e308",
    b"\"T9999.999\"",
    b"\"_Source\":[]",
];

fn mutate(rng: &mut Rng, line: &[u8]) -> Vec<u8> {
    let mut v = line.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(5) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v.truncate(i);
            }
            2 => {
                let i = rng.below(v.len() + 1);
                let ins = INTERESTING[rng.below(INTERESTING.len())];
                v.splice(i..i, ins.iter().copied());
            }
            3 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = rng.below(v.len());
                let (a, b) = (a.min(b), a.max(b));
                v.drain(a..b);
            }
            _ => v.push(b'\n'),
        }
    }
    v
}

fn check(opts: Options, name: &str, files: &[&str], rounds: usize, seed: u64) {
    let opts = Arc::new(opts);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for f in files {
        let text = std::fs::read(format!("{TESTDATA}/{f}")).unwrap();
        lines.extend(text.split(|b| *b == b'\n').map(<[u8]>::to_vec));
    }
    let mut rng = Rng(seed);
    let mut n = Normalizer::new(opts);
    n.start_input(name, None, None);
    let mut out = Vec::new();
    let mut events = 0;
    for _ in 0..rounds {
        let line = &lines[rng.below(lines.len())];
        let m = mutate(&mut rng, line);
        out.clear();
        for l in m.split(|b| *b == b'\n') {
            let _ = n.line(l, &mut out);
        }
        if rng.below(8) == 0 {
            let _ = n.end_input(&mut out);
        }
        for ev in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            events += 1;
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(ev) {
                panic!(
                    "invalid JSON from {:?}: {e}\n{}",
                    String::from_utf8_lossy(&m),
                    String::from_utf8_lossy(ev)
                );
            }
        }
    }
    assert!(events > rounds / 10, "too few events survived: {events}");
}

#[test]
fn mutated_wazuh_input() {
    let files = [
        "wazuh/ait-aecid/ossec_insect.alerts.json",
        "wazuh/nascon-24-ctf/writeup-quoted.alerts.json",
        "wazuh/ossec-docs/alerts.legacy-ossec.json",
        "wazuh/ossec-docs/alerts.log",
        "wazuh/ossec-docs/csyslogd-output.log",
    ];
    for format in [Format::Auto, Format::Wazuh] {
        let opts = Options {
            format,
            now: 1_700_000_000_000_000,
            ..Options::default()
        };
        check(opts, "alerts.json", &files, 4000, 0x9e37_79b9_7f4a_7c15);
    }
}

#[test]
fn mutated_velociraptor_rows() {
    let files = [
        "velociraptor/datastore/Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json",
        "velociraptor/testcase-outputs/sigma.q00.Windows.Sigma.EventLogs.jsonl",
        "velociraptor/testcase-outputs/linux_systemd.q02.Linux.Forensics.Journal.jsonl",
        "velociraptor/testcase-outputs/kerberoasting.q00.Windows.EventLogs.Kerberoasting.jsonl",
        "velociraptor/datastore/collection-logs.F.BSJMEJIPT6P9I.json",
    ];
    for name in [
        "Windows.Sigma.EventLogs.json",
        "results/Linux.Sys.Users.json",
        "x.json",
    ] {
        let opts = Options {
            format: Format::Velociraptor,
            now: 1_700_000_000_000_000,
            ..Options::default()
        };
        check(opts, name, &files, 3000, 0x2545_f491_4f6c_dd1d);
    }
}

#[test]
fn mutated_custom_records() {
    let text = std::fs::read_to_string(format!("{TESTDATA}/custom/caddy.toml")).unwrap();
    let opts = Options {
        mapping: Some(Arc::new(Mapping::from_toml(&text).unwrap())),
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    check(
        opts,
        "access.json",
        &["custom/caddy-access.json"],
        3000,
        0x1234_5678_9abc_def1,
    );
}

#[test]
fn mutated_mapping_files_never_panic() {
    let text = std::fs::read(format!("{TESTDATA}/custom/caddy.toml")).unwrap();
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let mut loaded = 0;
    for _ in 0..2000 {
        let m = mutate(&mut rng, &text);
        if Mapping::from_toml(&String::from_utf8_lossy(&m)).is_ok() {
            loaded += 1;
        }
    }
    assert!(loaded > 0);
}
