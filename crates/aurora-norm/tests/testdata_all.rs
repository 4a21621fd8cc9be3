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
    if text.starts_with("** Alert ") {
        // Wazuh's multi-line alerts.log: one record per header.
        return text.lines().filter(|l| l.starts_with("** Alert ")).count();
    }
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
        for line in o.stdout.split_inclusive(|&b| b == b'\n') {
            if let Err(e) = aurora_core::invariants::check_event_line(line) {
                panic!("{}: {e}: {}", path.display(), String::from_utf8_lossy(line));
            }
        }
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
fn every_wazuh_alert_is_one_event() {
    check_dir("wazuh");
}

#[test]
fn every_velociraptor_row_is_one_event() {
    check_dir("velociraptor");
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

#[test]
fn multi_line_wazuh_alerts_stay_whole_across_chunks_and_threads() {
    // alerts.log spreads each alert over several lines; a file of 80,000
    // alerts spans many chunks, and no alert may be cut between workers.
    let one = std::fs::read(testdata("wazuh/ossec-docs/alerts.log")).unwrap();
    let per_copy = one.windows(9).filter(|w| w == b"** Alert ").count();
    let dir = tempdir("alerts-log");
    let path = dir.join("alerts.log");
    let mut big = Vec::new();
    for _ in 0..20_000 {
        big.extend_from_slice(&one);
        big.extend_from_slice(b"\n");
    }
    std::fs::write(&path, &big).unwrap();
    for threads in ["1", "2"] {
        let mut c = norm();
        c.arg(&path).arg("-j").arg(threads);
        let o = run(c);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let evs = events(&o.stdout);
        assert_eq!(evs.len(), 20_000 * per_copy, "{threads} threads");
        assert!(
            evs.iter()
                .all(|e| e["event"]["module"] == "wazuh" && e["rule"]["id"].is_string())
        );
    }
}

#[test]
fn a_velociraptor_export_zip_reads_each_results_file() {
    use std::io::Write as _;
    let dir = tempdir("zip");
    let path = dir.join("hunt-export.zip");
    let netstat =
        "velociraptor/datastore/Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json";
    let rdp = "velociraptor/testcase-outputs/evtx.q00.Windows.EventLogs.RDPAuth.jsonl";
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file(
            "results/Windows.Network.NetstatEnriched%2FNetstat.json",
            opts,
        )
        .unwrap();
        z.write_all(&std::fs::read(testdata(netstat)).unwrap())
            .unwrap();
        z.start_file("results/Windows.EventLogs.RDPAuth.json", opts)
            .unwrap();
        z.write_all(&std::fs::read(testdata(rdp)).unwrap()).unwrap();
        z.start_file("log.json", opts).unwrap();
        z.write_all(b"{\"not\":\"a result\"}\n").unwrap();
        z.finish().unwrap();
    }
    let mut c = norm();
    c.arg(&path);
    let o = run(c);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evs = events(&o.stdout);
    assert_eq!(
        evs.len(),
        records(&testdata(netstat)) + records(&testdata(rdp))
    );
    let datasets: std::collections::BTreeSet<String> = evs
        .iter()
        .map(|e| e["event"]["dataset"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        datasets.into_iter().collect::<Vec<_>>(),
        [
            "velociraptor.Windows.EventLogs.RDPAuth",
            "velociraptor.Windows.Network.NetstatEnriched/Netstat"
        ]
    );
}
