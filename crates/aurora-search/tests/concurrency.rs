//! Data safety: `kill -9` in the middle of an index run, then a rerun, leaves every event
//! exactly once; two indexers and a reader on one store at the same time all succeed.

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

fn count(db: &std::path::Path) -> Option<u64> {
    let o = run(&["query", "--db", db.to_str().unwrap(), "--count"]);
    (o.status.code() == Some(0)).then(|| stdout(&o).trim().parse().unwrap())
}

/// Every stored event appears once, and the ids are exactly `first..first+n`.
fn assert_exactly_once(db: &std::path::Path, first: u64, n: u64) {
    let events = query(db, "", &["--fields", "aurora.id"]);
    let got = ids(&events);
    let want: Vec<String> = (first..first + n).map(|i| format!("{i:032x}")).collect();
    assert_eq!(got.len(), want.len(), "events stored");
    assert_eq!(got, want);
}

#[test]
fn kill_9_mid_index_then_rerun_stores_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let lines = generate(1, 60_000);
    let file = dir.path().join("in.ndjson");
    write_lines(&file, &lines);
    // Feed stdin from a thread so the indexer is busy (mid-transaction) when it is killed.
    let mut child = cmd()
        .args([
            "index",
            "--db",
            db.to_str().unwrap(),
            "--batch",
            "2000",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for l in &lines {
            if writeln!(stdin, "{l}").is_err() {
                return; // killed
            }
        }
    });
    // Wait (bounded, not a timing assertion) until something was committed.
    let deadline = Instant::now() + Duration::from_secs(120);
    while db.exists() && count(&db).unwrap_or(0) == 0 || !db.exists() {
        assert!(Instant::now() < deadline, "the indexer never committed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    feeder.join().unwrap();
    let partial = count(&db).expect("the store opens after kill -9");
    assert!(partial > 0);
    // The rerun completes what was missing and duplicates nothing.
    let o = index(&db, &[&file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{} already stored", partial)),
        "{}",
        stderr(&o)
    );
    assert_exactly_once(&db, 1, 60_000);
    let o = run(&[
        "top",
        "--db",
        db.to_str().unwrap(),
        "aurora.id",
        "-n",
        "1",
        "--format",
        "ndjson",
    ]);
    let top: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(top["count"], 1, "no id is stored twice");
}

#[test]
fn two_indexers_and_a_reader_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // Overlapping halves: 1..30000 and 20001..50000.
    let a = dir.path().join("a.ndjson");
    let b = dir.path().join("b.ndjson");
    write_lines(&a, &generate(1, 30_000));
    write_lines(&b, &generate(20_001, 30_000));
    let spawn = |f: &std::path::Path| {
        cmd()
            .args([
                "index",
                "--db",
                db.to_str().unwrap(),
                "--batch",
                "3000",
                f.to_str().unwrap(),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut ia = spawn(&a);
    let mut ib = spawn(&b);
    let mut reads = 0;
    let mut last = 0;
    loop {
        let done_a = ia.try_wait().unwrap().is_some();
        let done_b = ib.try_wait().unwrap().is_some();
        if db.exists() {
            let o = run(&[
                "query",
                "--db",
                db.to_str().unwrap(),
                "--count",
                "source.ip:10.0.0.0/8 OR password",
            ]);
            // A store still being created may not have its schema yet; once it does,
            // every read must succeed.
            if o.status.code() == Some(0) {
                let c: u64 = stdout(&o).trim().parse().unwrap();
                assert!(c >= last, "counts only grow");
                last = c;
                reads += 1;
            } else {
                assert!(last == 0, "read failed mid-run: {}", stderr(&o));
            }
        }
        if done_a && done_b {
            break;
        }
    }
    for c in [ia, ib] {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert!(reads > 0);
    assert_exactly_once(&db, 1, 50_000);
    let check = std::process::Command::new(bin())
        .args(["query", "--db", db.to_str().unwrap(), "--count"])
        .output()
        .unwrap();
    assert_eq!(stdout(&check).trim(), "50000");
}
