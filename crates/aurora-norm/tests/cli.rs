//! The command-line contract: exit statuses, inputs (files, directories,
//! globs, stdin, gzip), a closed pipe, and prompt output on a live stream.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

#[test]
fn unreadable_input_exits_2_and_names_the_file() {
    let mut c = norm();
    c.arg("does/not/exist.json");
    let o = run(c);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("does/not/exist.json: No such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let mut c = norm();
    c.arg("--format").arg("nonsense");
    assert_eq!(run(c).status.code(), Some(2));
}

#[test]
fn a_glob_that_matches_nothing_is_an_error() {
    let mut c = norm();
    c.arg("no-such-dir-*/x*.log");
    let o = run(c);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no file matches"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    // 20k copies of a bad line produce a lot of stderr-free output? No: use
    // the rejects-free path by reading a big generated stream of blank lines
    // plus records; the reader side closes after the first line.
    let mut child = norm()
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let line =
        std::fs::read_to_string(testdata("suricata/elastic-integrations/test-eve-small.log"))
            .unwrap();
    let writer = std::thread::spawn(move || {
        for _ in 0..5000 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&first).is_ok(),
        "{first}"
    );
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

#[test]
fn a_live_stream_gets_each_event_without_waiting_for_more_input() {
    let mut child = norm()
        .arg("--threads")
        .arg("2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let lines: Vec<String> =
        std::fs::read_to_string(testdata("suricata/elastic-integrations/test-eve-small.log"))
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
    // One record at a time, and the event must come back before the next is
    // sent: if output waited for a full buffer, read_line would block forever
    // (the watchdog below turns that into a failure rather than a hang).
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for _ in 0..3 {
            let mut s = String::new();
            out.read_line(&mut s).unwrap();
            tx.send(s).unwrap();
        }
    });
    for l in lines.iter().take(3) {
        writeln!(stdin, "{l}").unwrap();
        stdin.flush().unwrap();
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("event did not arrive while input stayed open");
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["event"]["original"], l.as_str());
    }
    drop(stdin);
    reader.join().unwrap();
    child.wait().unwrap();
}

#[test]
fn gzip_directories_and_globs_read_like_plain_files() {
    let dir = tempdir("inputs");
    let src = testdata("suricata/elastic-integrations/test-eve-small.log");
    let raw = std::fs::read(&src).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/eve.json"), &raw).unwrap();
    // gzip made by the system's gzip, not by our own code.
    let gz = std::process::Command::new("gzip")
        .arg("-c")
        .arg(&src)
        .output()
        .unwrap();
    std::fs::write(dir.join("eve.json.gz"), &gz.stdout).unwrap();
    std::fs::write(dir.join("rotated.1"), &gz.stdout).unwrap();

    let plain = events(
        &run({
            let mut c = norm();
            c.arg(&src);
            c
        })
        .stdout,
    );
    assert!(!plain.is_empty());
    for args in [
        vec![dir.join("eve.json.gz").display().to_string()],
        vec![dir.join("rotated.1").display().to_string()],
        vec![dir.join("sub").display().to_string()],
        vec![format!("{}/su*/*.json", dir.display())],
    ] {
        let o = run({
            let mut c = norm();
            c.args(&args);
            c
        });
        let got = events(&o.stdout);
        assert_eq!(got.len(), plain.len(), "{args:?}: {}", stderr(&o));
        for (a, b) in got.iter().zip(&plain) {
            assert_eq!(a["event"]["original"], b["event"]["original"]);
            assert_eq!(
                a["aurora"]["id"], b["aurora"]["id"],
                "the id depends on the record, not the file"
            );
        }
    }
}

#[test]
fn a_files_year_less_stamps_take_the_year_it_was_written() {
    // RFC 3164 stamps carry no year. A file's lines were received before it was last
    // written, so a file handed over long after dates from its modification time: a
    // log ending on 1 January 2021 holds 31 December 2020 and 1 January 2021.
    let dir = tempdir("year-from-mtime");
    let log = dir.join("auth.log");
    std::fs::write(
        &log,
        "Dec 31 23:59:59 mail sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n\
         Jan  1 00:00:01 mail sshd[2]: Accepted password for root from 10.0.0.1 port 22 ssh2\n",
    )
    .unwrap();
    let written = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_609_502_400); // 2021-01-01T12:00:00Z
    std::fs::File::options()
        .write(true)
        .open(&log)
        .unwrap()
        .set_modified(written)
        .unwrap();
    let stamps = |extra: &[&str]| -> Vec<String> {
        let o = run({
            let mut c = norm();
            c.args(extra).arg(&log);
            c
        });
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        events(&o.stdout)
            .iter()
            .map(|e| e["@timestamp"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        stamps(&[]),
        ["2020-12-31T23:59:59.000000Z", "2021-01-01T00:00:01.000000Z"]
    );
    // Normalizing the same file again gives the same times (and so the same events).
    assert_eq!(stamps(&[]), stamps(&[]));
    // --year still decides.
    assert_eq!(
        stamps(&["--year", "2019"]),
        ["2019-12-31T23:59:59.000000Z", "2019-01-01T00:00:01.000000Z"]
    );
    // Read from standard input, the same lines are dated from the clock.
    let o = run({
        let mut c = norm();
        c.stdin(std::fs::File::open(&log).unwrap());
        c
    });
    // Dated from the clock: within the year before now (or a day ahead of it).
    let now = aurora_core::time::now_micros();
    let day = 86_400 * aurora_core::time::MICROS_PER_SEC;
    for e in events(&o.stdout) {
        let ts = e["@timestamp"].as_str().unwrap();
        let at = aurora_core::time::parse_iso8601(ts).unwrap().utc(0);
        assert!(at <= now + day && at > now - 367 * day, "{ts}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
