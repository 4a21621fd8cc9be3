//! Helpers for the integration tests: run the built binaries with a clean environment,
//! build stores, generate events, and read results back as JSON.
#![allow(dead_code)]

pub mod oracle;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_aurora-search")
}

/// The workspace's `testdata/`.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// aurora-search with no `AURORA_*`, `NO_COLOR` or `TZ` from the caller's environment.
pub fn cmd() -> Command {
    let mut c = Command::new(bin());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        if k.starts_with("AURORA_") || k == "NO_COLOR" || k == "TZ" {
            c.env_remove(&k);
        }
    }
    c.stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Output {
    cmd().args(args).output().expect("run aurora-search")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Indexes `files` into `db` and checks it finished (0, or 1 with rejects).
pub fn index(db: &Path, files: &[&Path]) -> Output {
    let mut c = cmd();
    c.arg("index")
        .arg("--db")
        .arg(db)
        .arg("--now")
        .arg("2023-09-18T08:00:30Z");
    for f in files {
        c.arg(f);
    }
    let o = c.output().expect("run index");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "index failed: {}",
        stderr(&o)
    );
    o
}

/// Runs `query` (NDJSON, no limit) and returns the events.
/// `query --count` with the same arguments as [`query`].
pub fn count_of(db: &Path, q: &str, extra: &[&str]) -> u64 {
    let mut args = vec![
        "query",
        "--db",
        db.to_str().unwrap(),
        "--count",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    args.extend(["--", q]);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "count {q:?} {extra:?}: {}",
        stderr(&o)
    );
    stdout(&o).trim().parse().expect("a number")
}

pub fn query(db: &Path, q: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec![
        "query",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "ndjson",
        "--limit",
        "0",
        "--now",
        NOW,
        "--",
        q,
    ];
    // Flags must come before `--`.
    let tail = args.split_off(args.len() - 2);
    args.extend_from_slice(extra);
    args.extend(tail);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "query {q:?} {extra:?}: {}",
        stderr(&o)
    );
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("NDJSON line"))
        .collect()
}

/// `--now` the tests use: a little after the newest generated event.
pub const NOW: &str = "2023-09-18T08:00:30Z";

pub fn ids(events: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = events
        .iter()
        .map(|e| e["aurora"]["id"].as_str().unwrap_or("").to_string())
        .collect();
    v.sort();
    v
}

pub fn get<'a>(v: &'a Value, field: &str) -> Option<&'a Value> {
    let mut cur = v;
    for p in field.split('.') {
        cur = cur.get(p)?;
    }
    (!cur.is_null()).then_some(cur)
}

pub fn read_ndjson(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// A small deterministic PRNG (xorshift), so generated data is the same on every run.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// `n` varied ECS events over the 24 hours before `NOW` (alerts, flows, logins), one
/// JSON line each, with distinct `aurora.id`s starting at `first`. Event `i` is the same
/// whatever the range it is generated in, as `aurora.id` is the hash of the raw record:
/// overlapping ranges hold the same events.
pub fn generate(first: u64, n: u64) -> Vec<String> {
    let base = 1_694_937_630i64; // NOW - 24h, in seconds
    let users = ["root", "admin", "alice", "bob", "svc-backup"];
    let ips = [
        "10.0.0.5",
        "10.1.2.3",
        "192.168.1.20",
        "172.16.0.4",
        "203.0.113.9",
        "110.0.0.12",
        "2001:db8::7",
    ];
    let rules = [
        ("2013028", "ET POLICY curl User-Agent Outbound", 2),
        ("2024897", "ET EXPLOIT Apache Struts RCE", 5),
        ("2100498", "GPL ATTACK_RESPONSE id check returned root", 3),
        ("2001219", "ET SCAN Potential SSH Scan", 4),
    ];
    let sources = ["suricata", "zeek", "syslog"];
    (first..first + n)
        .map(|i| {
            let mut r = Rng::new((0x5eed + i).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            r.next();
            let t = base + (r.next() % 86_400) as i64;
            let micros = r.next() % 1_000_000;
            let ts = format!("{}.{micros:06}Z", aurora_store::time::format_ts(t * 1_000_000).trim_end_matches(".000000Z"));
            let src = *r.pick(&sources);
            let sip = *r.pick(&ips);
            let dip = *r.pick(&ips);
            let mut e = json!({
                "@timestamp": ts,
                "aurora": {"id": format!("{i:032x}"), "source": src},
                "source": {"ip": sip, "port": 1024 + r.next() % 60000},
                "destination": {"ip": dip, "port": *r.pick(&[22u64, 53, 80, 443, 445, 8080])},
                "related": {"ip": [sip, dip]},
            });
            match (src, r.next() % 3) {
                ("suricata", 0 | 1) => {
                    let (id, name, sev) = *r.pick(&rules);
                    e["event"] = json!({"kind": "alert", "module": "suricata", "dataset": "suricata.eve", "severity": sev, "category": ["network", "intrusion_detection"]});
                    e["rule"] = json!({"id": id, "name": name});
                    e["threat"] = json!({"technique": {"id": [*r.pick(&["T1190", "T1046", "T1071"])]}});
                    e["message"] = json!(name);
                }
                ("syslog", _) => {
                    let user = *r.pick(&users);
                    let ok = r.next() % 4 == 0;
                    let word = if ok { "Accepted" } else { "Failed" };
                    e["event"] = json!({"kind": "event", "module": "syslog", "dataset": "syslog.sshd", "severity": 1, "outcome": if ok {"success"} else {"failure"}, "category": ["authentication"]});
                    e["user"] = json!({"name": user});
                    e["host"] = json!({"name": *r.pick(&["mail", "web-01", "db-01"])});
                    e["message"] = json!(format!("{word} password for {user} from {sip} port 22 ssh2"));
                }
                _ => {
                    e["event"] = json!({"kind": "event", "module": src, "dataset": format!("{src}.flow"), "severity": 1, "category": ["network"]});
                    e["source"]["bytes"] = json!(r.next() % 100_000);
                    e["network"] = json!({"transport": *r.pick(&["tcp", "udp"])});
                }
            }
            let sev = e["event"]["severity"].as_i64().unwrap();
            e["aurora"]["severity"] = json!(["unknown", "info", "low", "medium", "high", "critical"][sev as usize]);
            e.to_string()
        })
        .collect()
}

pub fn write_lines(path: &Path, lines: &[String]) {
    let mut s = lines.join("\n");
    s.push('\n');
    std::fs::write(path, s).unwrap();
}

/// The real testdata normalized by the real aurora-norm (built next to this binary by
/// `cargo test --workspace`). Returns the NDJSON file.
pub fn normalize_testdata(dir: &Path) -> PathBuf {
    let norm = Path::new(bin()).with_file_name("aurora-norm");
    assert!(
        norm.exists(),
        "{} is missing: run `cargo test --workspace` so aurora-norm is built",
        norm.display()
    );
    let mut files = Vec::new();
    for sub in [
        "suricata",
        "zeek-json",
        "zeek-tsv",
        "wazuh",
        "syslog",
        "velociraptor",
    ] {
        collect(&testdata().join(sub), &mut files);
    }
    files.sort();
    let out = dir.join("corpus.ndjson");
    let o = Command::new(norm)
        .args(&files)
        .arg("--rejects")
        .arg(dir.join("norm-rejects.ndjson"))
        .stdout(std::fs::File::create(&out).unwrap())
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "aurora-norm failed: {}",
        stderr(&o)
    );
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !name.contains(".expected.") && !name.ends_with(".csv") && !name.ends_with(".md") {
                out.push(p);
            }
        }
    }
}
