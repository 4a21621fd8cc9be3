//! The store through its library API: NUL bytes and FTS5 syntax in data and queries,
//! a migration from an empty file, and a writer and readers at the same time.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use aurora_store::{Filters, IndexOptions, Mode, count, index, open};

const EVENTS: &str = concat!(
    r#"{"@timestamp":"2023-09-18T07:01:00Z","aurora":{"id":"00000000000000000000000000000001","source":"w"},"message":"null byte \u0000 inside NEAR(a b) * \"q\"","user":{"name":"\u0000root"}}"#,
    "\n",
    r#"{"@timestamp":"2023-09-18T07:02:00Z","aurora":{"id":"00000000000000000000000000000002","source":"w"},"message":"plain root"}"#,
    "\n",
);

fn store(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("e.ndjson");
    std::fs::write(&f, EVENTS).unwrap();
    let db = dir.join("s.db");
    let stats = index(
        &db,
        &[f.to_str().unwrap().to_string()],
        &IndexOptions::default(),
        |r| panic!("{r:?}"),
        |_| {},
    )
    .unwrap();
    assert_eq!(stats.inserted, 2);
    db
}

fn n(db: &Path, q: &str) -> u64 {
    let conn = open(db, Mode::Read).unwrap();
    count(
        &conn,
        &Filters {
            query: q.into(),
            ..Filters::default()
        },
    )
    .unwrap_or_else(|e| panic!("{q:?}: {e}"))
}

#[test]
fn nul_and_fts_syntax_are_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    assert_eq!(n(&db, "user.name:\"\u{0}root\""), 1);
    assert_eq!(n(&db, "user.name:root"), 0);
    assert_eq!(n(&db, "\"\u{0}\""), 1);
    assert_eq!(n(&db, "\u{0}"), 1);
    assert_eq!(n(&db, "\"null byte\""), 1);
    assert_eq!(n(&db, "NEAR"), 1);
    assert_eq!(n(&db, "\"NEAR(a b)\""), 1);
    assert_eq!(n(&db, "\"\\\"q\\\"\""), 1);
    assert_eq!(n(&db, "root"), 2);
    assert_eq!(n(&db, "message:\"* \\\"q\\\"\""), 1);
    assert_eq!(n(&db, "message:\"\\\"zzz\\\"\""), 0);
}

#[test]
fn readers_see_a_consistent_store_while_a_writer_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let big = dir.path().join("big.ndjson");
    let mut s = String::new();
    for i in 10..20_010u32 {
        s.push_str(&format!(
            "{{\"@timestamp\":\"2023-09-18T07:00:00Z\",\"aurora\":{{\"id\":\"{i:032x}\",\"source\":\"b\"}},\"message\":\"event {i}\"}}\n"
        ));
    }
    std::fs::write(&big, s).unwrap();
    let db2 = db.clone();
    let writer = std::thread::spawn(move || {
        let opts = IndexOptions {
            batch: 1000,
            ..IndexOptions::default()
        };
        index(
            &db2,
            &[big.to_str().unwrap().to_string()],
            &opts,
            |_| {},
            |_| {},
        )
        .unwrap()
    });
    let mut last = 0;
    while !writer.is_finished() {
        let c = n(&db, "");
        // Committed transactions only ever add.
        assert!(c >= last && c <= 20_002, "{c} after {last}");
        last = c;
    }
    assert_eq!(writer.join().unwrap().inserted, 20_000);
    assert_eq!(n(&db, ""), 20_002);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    {
        let conn = rusqlite_open(&db);
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = open(&db, Mode::Read).unwrap_err().to_string();
    assert!(e.contains("newer"), "{e}");
    let e = open(&db, Mode::Write).unwrap_err().to_string();
    assert!(e.contains("newer"), "{e}");
}

fn rusqlite_open(p: &Path) -> aurora_store::Connection {
    aurora_store::Connection::open(p).unwrap()
}

fn indexes(db: &Path) -> Vec<String> {
    let conn = rusqlite_open(db);
    let mut st = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn all_event_indexes() -> Vec<String> {
    let mut v: Vec<String> = aurora_store::schema::EVENT_INDEXES
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_bulk_load_ends_with_every_index_and_a_killed_one_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    // An empty store is loaded in bulk mode (indexes dropped, built at the end).
    let db = store(dir.path());
    assert_eq!(indexes(&db), all_event_indexes());
    // A bulk load killed before its end leaves them missing; searches still answer
    // (only slower), and the next write open builds them.
    aurora_store::schema::drop_event_indexes(&rusqlite_open(&db)).unwrap();
    assert_eq!(n(&db, "source.ip:10.0.0.0/8 OR root"), 2);
    drop(open(&db, Mode::Write).unwrap());
    assert_eq!(indexes(&db), all_event_indexes());
    assert_eq!(n(&db, "root"), 2);
}

/// Bulk mode lasts until input goes quiet, not until its end: a live pipe that caught up
/// (`tail -F | aurora-search index`) has every index built while the indexer still runs.
#[cfg(unix)]
#[test]
fn live_input_that_goes_quiet_ends_bulk_mode() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("live");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let db = dir.path().join("s.db");
    let (db2, name) = (db.clone(), fifo.to_str().unwrap().to_string());
    let indexer = std::thread::spawn(move || {
        index(
            &db2,
            &[name],
            &IndexOptions::default(),
            |r| panic!("{r:?}"),
            |_| {},
        )
    });
    // Opening the pipe for writing lets the indexer's open of it return.
    let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    pipe.write_all(EVENTS.as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(db.exists() && indexes(&db) == all_event_indexes()) {
        assert!(
            Instant::now() < deadline,
            "indexes never built while the input was quiet: {:?}",
            indexes(&db)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(n(&db, "root"), 2);
    drop(pipe);
    let stats = indexer.join().unwrap().unwrap();
    assert_eq!(stats.inserted, 2);
}

#[test]
fn top_works_inside_a_callers_transaction() {
    // `top` reads in a snapshot of its own; a caller's open transaction must not make
    // it fail ("cannot start a transaction within a transaction").
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let conn = open(&db, Mode::Read).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    let f = Filters {
        from: Some(0),
        ..Filters::default()
    };
    for _ in 0..2 {
        let top = aurora_store::top(&conn, &f, "aurora.source", 10, false).unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].value, "w");
        assert_eq!(top[0].count, 2);
    }
    conn.execute_batch("COMMIT").unwrap();
}
