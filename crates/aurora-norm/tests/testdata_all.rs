//! The bundled sensor logs end to end through the binary: every record of
//! every file becomes exactly one event with exit status 0, each event
//! carries the fields every consumer relies on, and the output is the same
//! whatever the number of threads.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                walk(&e, out);
            } else {
                let name = e.file_name().unwrap().to_string_lossy().into_owned();
                // Elastic's expected outputs and loghub's CSV are references,
                // not sensor output; the index is Velociraptor test metadata.
                if !name.ends_with(".expected.json")
                    && !name.ends_with(".csv")
                    && name != "INDEX.tsv"
                {
                    out.push(e);
                }
            }
        }
    }
    walk(&testdata(dir), &mut out);
    out
}

/// Records in a file, counted without aurora: non-blank lines that are not
/// Zeek `#` header lines.
fn records(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count()
}

fn check_dir(dir: &str) {
    for path in files(dir) {
        let mut c = norm();
        c.arg(&path).arg("-j1");
        let o = run(c);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            stderr(&o)
        );
        let evs = events(&o.stdout);
        assert_eq!(evs.len(), records(&path), "{}", path.display());
        for e in &evs {
            let ts = e["@timestamp"].as_str().unwrap_or_default();
            assert!(
                ts.len() == 27 && ts.ends_with('Z'),
                "{}: @timestamp {ts:?}",
                path.display()
            );
            assert!(
                e["event"]["kind"].is_string(),
                "{}: event.kind in {e}",
                path.display()
            );
            let sev = e["event"]["severity"].as_u64();
            assert!(
                matches!(sev, Some(0..=5)),
                "{}: event.severity in {e}",
                path.display()
            );
            assert!(e["aurora"]["source"].is_string(), "{}", path.display());
            assert!(e["event"]["original"].is_string(), "{}", path.display());
        }
    }
}

#[test]
fn every_suricata_record_is_one_event() {
    check_dir("suricata");
}

#[test]
fn every_zeek_json_record_is_one_event() {
    check_dir("zeek-json");
}

#[test]
fn every_zeek_tsv_row_is_one_event() {
    check_dir("zeek-tsv");
}

#[test]
fn every_syslog_line_is_one_event() {
    check_dir("syslog");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let mut inputs = files("suricata");
    inputs.extend(files("zeek-tsv"));
    inputs.extend(files("zeek-json"));
    // Events whose record has no usable time carry the moment of the run;
    // everything else must match byte for byte.
    let out = |threads: &str| -> Vec<String> {
        let mut c = norm();
        c.args(&inputs).arg("-j").arg(threads);
        let o = run(c);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                if v["aurora"]["warnings"].is_array() {
                    v.as_object_mut().unwrap().remove("@timestamp");
                    v["event"].as_object_mut().unwrap().remove("created");
                    return v.to_string();
                }
                l.to_string()
            })
            .collect()
    };
    let one = out("1");
    assert!(one.len() > 9000);
    for threads in ["2", "4"] {
        let other = out(threads);
        assert_eq!(one.len(), other.len(), "{threads} threads");
        let diff = one.iter().zip(&other).position(|(a, b)| a != b);
        assert_eq!(
            diff, None,
            "{threads} threads: first difference at event {diff:?}"
        );
    }
}

#[test]
fn concatenated_zeek_logs_on_stdin_read_like_the_files() {
    // Several TSV logs with different headers, one after the other on stdin,
    // as `cat conn.log dns.log | aurora-norm` gives them.
    let inputs = files("zeek-tsv");
    let mut cat = Vec::new();
    let mut want = 0;
    for p in &inputs {
        cat.extend(std::fs::read(p).unwrap());
        want += records(p);
    }
    let mut child = norm()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &cat));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(events(&o.stdout).len(), want);
}
