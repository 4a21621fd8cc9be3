//! The broken-input corpus in testdata/bad: every bad record is rejected with
//! its file, line and reason, good records around it still come out, the run
//! finishes with status 1, and nothing panics.

mod common;
use common::*;

struct Case {
    file: &'static str,
    /// (line, words the reason must contain) for each expected reject.
    rejects: &'static [(u64, &'static str)],
    /// Events expected from the good lines.
    events: usize,
}

const CASES: &[Case] = &[
    Case { file: "bad/truncated.json", rejects: &[(2, "invalid JSON"), (3, "invalid JSON")], events: 2 },
    Case { file: "bad/invalid-utf8.json", rejects: &[(2, "invalid UTF-8")], events: 2 },
    Case { file: "bad/long-line-10mb.json", rejects: &[(2, "over the limit")], events: 2 },
    Case {
        file: "bad/not-an-object.json",
        rejects: &[(1, "array"), (2, "not a JSON object"), (3, "not a JSON object"), (4, "not a JSON object"), (5, "no known source")],
        events: 0,
    },
];

#[test]
fn each_bad_file_is_rejected_line_by_line() {
    for case in CASES {
        let dir = tempdir("bad");
        let rej = dir.join("rejects.ndjson");
        let path = testdata(case.file);
        let mut c = norm();
        c.arg(&path).arg("--rejects").arg(&rej);
        let o = run(c);
        assert_eq!(o.status.code(), Some(1), "{}: {}", case.file, stderr(&o));
        assert_eq!(events(&o.stdout).len(), case.events, "{}", case.file);
        let got = events(&std::fs::read(&rej).unwrap());
        assert_eq!(got.len(), case.rejects.len(), "{}: {got:#?}", case.file);
        for (r, (line, words)) in got.iter().zip(case.rejects) {
            assert_eq!(r["file"], path.to_str().unwrap());
            assert_eq!(r["line"], *line, "{}: {r}", case.file);
            let reason = r["reason"].as_str().unwrap();
            assert!(reason.contains(words), "{} line {line}: reason {reason:?} lacks {words:?}", case.file);
            assert!(r["record"].as_str().unwrap().len() <= 1024 * 3);
        }
        let err = stderr(&o);
        assert!(err.contains(&format!("{} rejected", case.rejects.len())), "{}: {err}", case.file);
    }
}

#[test]
fn binary_garbage_is_rejected_not_fatal() {
    let path = testdata("bad/binary-garbage.bin");
    let data = std::fs::read(&path).unwrap();
    // Independent count: non-blank segments between newlines, minus the one
    // good EVE record at the end.
    let segments = data
        .split(|&b| b == b'\n')
        .filter(|s| s.iter().any(|b| !b.is_ascii_whitespace()))
        .count();
    let mut c = norm();
    c.arg(&path).arg("--rejects").arg("/dev/null");
    let o = run(c);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{} rejected", segments - 1)), "{}", stderr(&o));
    assert_eq!(events(&o.stdout).len(), 1);
}

#[test]
fn the_reject_summary_names_lines_when_no_rejects_file_is_given() {
    let o = run({
        let mut c = norm();
        c.arg(testdata("bad/truncated.json"));
        c
    });
    let err = stderr(&o);
    assert!(err.contains("truncated.json:2: invalid JSON"), "{err}");
    assert!(err.contains("truncated.json:3: invalid JSON"), "{err}");
}
