//! The store's schema, its migrations (`PRAGMA user_version`), and opening a connection
//! with the pragmas and SQL functions every other module relies on.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::functions;

/// The schema version this code writes; stores with a lower version are migrated up.
pub const SCHEMA_VERSION: i64 = 3;

/// Page size of new stores. Larger pages than SQLite's 4 KiB hold more of the ~400-byte
/// compressed documents and more index keys per page: fewer page splits while indexing.
const PAGE_SIZE: i64 = 8192;

/// How much of the store a reader maps (SQLite's own ceiling is 2 GiB by default).
const MMAP_SIZE: i64 = 1 << 31;

/// Version 1. Hot ECS fields are columns (keyword columns compare case-insensitively, as
/// analysts type `user.name:Root`); IPs are 16-byte keys (see `ip.rs`); times are
/// microseconds. `doc` is the event exactly as it was indexed, compressed (`codec.rs`).
/// Indexes on fields many events lack are partial, so they cost nothing for those; they
/// carry `ts` so "this IP in the last hour" and `top` over a time window read only the
/// index. The
/// FTS table is contentless (the text lives in `doc` already); its rowid is `events.id`.
const V1: &str = r#"
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    aid       BLOB NOT NULL,
    ts        INTEGER NOT NULL,
    source    TEXT COLLATE NOCASE,
    severity  INTEGER,
    kind      TEXT COLLATE NOCASE,
    module    TEXT COLLATE NOCASE,
    dataset   TEXT COLLATE NOCASE,
    outcome   TEXT COLLATE NOCASE,
    src_ip    BLOB,
    src_port  INTEGER,
    dst_ip    BLOB,
    dst_port  INTEGER,
    user_name TEXT COLLATE NOCASE,
    host_name TEXT COLLATE NOCASE,
    rule_id   TEXT COLLATE NOCASE,
    rule_name TEXT COLLATE NOCASE,
    doc       BLOB NOT NULL
);
CREATE UNIQUE INDEX events_aid ON events(aid);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_source_ts ON events(source, ts);
CREATE INDEX events_src_ip ON events(src_ip, ts) WHERE src_ip IS NOT NULL;
CREATE INDEX events_dst_ip ON events(dst_ip, ts) WHERE dst_ip IS NOT NULL;
CREATE INDEX events_user ON events(user_name, ts) WHERE user_name IS NOT NULL;
CREATE INDEX events_host ON events(host_name, ts) WHERE host_name IS NOT NULL;
CREATE INDEX events_rule ON events(rule_id, ts) WHERE rule_id IS NOT NULL;
CREATE TABLE techniques (
    technique TEXT NOT NULL COLLATE NOCASE,
    event_id  INTEGER NOT NULL,
    PRIMARY KEY (technique, event_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(
    message, rule, original, text,
    content = '', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE sources (
    name          TEXT PRIMARY KEY COLLATE NOCASE,
    status        TEXT,
    since         INTEGER,
    message       TEXT,
    events_total  INTEGER,
    heartbeat_at  INTEGER
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB
);
CREATE TABLE arrivals (
    source  TEXT NOT NULL COLLATE NOCASE,
    second  INTEGER NOT NULL,
    events  INTEGER NOT NULL,
    PRIMARY KEY (source, second)
) WITHOUT ROWID;
"#;

/// Version 2, for speed and size:
/// - the documents (and their `aurora.id` keys) move to a table of their own, `docs`, so
///   `events` holds only the hot columns: filters that visit rows (an FTS match checked
///   against a time range, a scan on an unindexed column) read a quarter of the pages;
/// - IPv4 keys shrink from 16 to 5 bytes (`ip.rs`), 40 bytes off every event with two
///   addresses (row and indexes);
/// - a zone map (`zones.rs`) bounds the ids of a time window, so a time-limited free-text
///   search reads only that part of the FTS index;
/// - the FTS index merges segments 16 at a time instead of 4, and buffers 8 MiB of terms
///   before writing a segment: indexing rewrites the index far less often, for a few
///   more segments to look terms up in.
const V2: &str = r#"
CREATE TABLE docs (
    id   INTEGER PRIMARY KEY,
    aid  BLOB NOT NULL,
    doc  BLOB NOT NULL
);
INSERT INTO docs (id, aid, doc) SELECT id, aid, doc FROM events;
CREATE UNIQUE INDEX docs_aid ON docs(aid);
DROP INDEX events_aid;
ALTER TABLE events DROP COLUMN aid;
ALTER TABLE events DROP COLUMN doc;
UPDATE events SET src_ip = aurora_ip_rekey(src_ip) WHERE src_ip IS NOT NULL;
UPDATE events SET dst_ip = aurora_ip_rekey(dst_ip) WHERE dst_ip IS NOT NULL;
CREATE TABLE zones (
    zone    INTEGER PRIMARY KEY,
    min_ts  INTEGER NOT NULL,
    max_ts  INTEGER NOT NULL
);
INSERT INTO zones (zone, min_ts, max_ts) SELECT id >> 12, min(ts), max(ts) FROM events GROUP BY 1;
INSERT INTO fts (fts, rank) VALUES ('automerge', 16);
INSERT INTO fts (fts, rank) VALUES ('crisismerge', 64);
INSERT INTO fts (fts, rank) VALUES ('hashsize', 8388608);
"#;

/// Version 3, for indexing speed. The duplicate keys `docs.aid` start with the minute of
/// the event (`doc::dedup_key`: time-ordered input then inserts next to itself in their
/// unique index instead of on a random page of it).
///
/// And the FTS index buffers 2 MiB of terms instead of 8 and merges 32 segments at a
/// time instead of 16. Most terms of machine logs occur once (flow and community
/// ids, hashes), so the pending-terms table is mostly entries of one posting each; at
/// 2 MiB it stays in the CPU's L2 cache, where every token of every event is looked up.
/// The wider merges make up for the four times as many segments it writes. On 1M EVE
/// events, indexing ~10% quicker (18.5 s against 20.6 s, three interleaved runs each),
/// the same store size and query times (BENCHMARKS.md).
const V3: &str = r#"
UPDATE docs SET aid = aurora_aid_rekey(aid, (SELECT ts FROM events WHERE events.id = docs.id));
INSERT INTO fts (fts, rank) VALUES ('hashsize', 2097152);
INSERT INTO fts (fts, rank) VALUES ('automerge', 32);
"#;

/// The secondary indexes of `events` (as schema 1 made them): what the search needs for
/// speed, never for correctness. A bulk load into an empty store drops those marked
/// `true` and builds them once at the end, sorted, which is several times cheaper than
/// keeping them current one random insert at a time (`index.rs`).
pub const EVENT_INDEXES: &[(&str, &str, bool)] = &[
    ("events_ts", "events(ts)", true),
    ("events_source_ts", "events(source, ts)", true),
    (
        "events_src_ip",
        "events(src_ip, ts) WHERE src_ip IS NOT NULL",
        true,
    ),
    (
        "events_dst_ip",
        "events(dst_ip, ts) WHERE dst_ip IS NOT NULL",
        true,
    ),
    // Few events have these: cheap to keep current, and building each would cost a
    // scan of the whole table.
    (
        "events_user",
        "events(user_name, ts) WHERE user_name IS NOT NULL",
        false,
    ),
    (
        "events_host",
        "events(host_name, ts) WHERE host_name IS NOT NULL",
        false,
    ),
    (
        "events_rule",
        "events(rule_id, ts) WHERE rule_id IS NOT NULL",
        false,
    ),
];

/// The page cache while building indexes (negative: KiB), which sets the size of the
/// sorter's runs.
const SORT_CACHE_KIB: i64 = -4096;

/// Drops the secondary indexes of `events` that a bulk load builds at its end (the third
/// field of [`EVENT_INDEXES`]).
pub fn drop_event_indexes(conn: &Connection) -> Result<()> {
    for (name, _, bulk) in EVENT_INDEXES {
        if *bulk {
            conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
    }
    Ok(())
}

/// The secondary indexes of `events` the store lacks, as `(name, definition)`: none
/// unless a bulk load is still running or was killed. Searches are still complete
/// without them, only slower.
pub fn missing_event_indexes(conn: &Connection) -> Result<Vec<(&'static str, &'static str)>> {
    // One read of the schema: every `query` and `top` asks this before answering.
    let mut st = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'")?;
    let present = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<std::collections::HashSet<String>>>()?;
    Ok(EVENT_INDEXES
        .iter()
        .filter(|(name, _, _)| !present.contains(*name))
        .map(|&(name, def, _)| (name, def))
        .collect())
}

/// Whether the store has an index of `events` that starts with `column`, so that its
/// values can be read in order without a sort.
pub fn has_leading_index(conn: &Connection, column: &str) -> Result<bool> {
    let leads = |def: &str| {
        def.strip_prefix("events(")
            .and_then(|d| d.strip_prefix(column))
            .is_some_and(|rest| rest.starts_with([',', ')']))
    };
    if !EVENT_INDEXES.iter().any(|(_, def, _)| leads(def)) {
        return Ok(false);
    }
    Ok(!missing_event_indexes(conn)?
        .iter()
        .any(|(_, def)| leads(def)))
}

/// Creates whichever secondary indexes of `events` are missing: after a bulk load, and
/// on every write open, which repairs a store whose bulk load was killed.
pub fn ensure_event_indexes(conn: &Connection) -> Result<()> {
    let missing: Vec<String> = missing_event_indexes(conn)?
        .into_iter()
        .map(|(name, def)| format!("CREATE INDEX IF NOT EXISTS {name} ON {def};"))
        .collect();
    if !missing.is_empty() {
        // The sorter may use a second thread for the builds, and spills to temporary
        // files rather than memory: a bulk load of 100M events must not need their
        // sorted keys in RAM. Its runs are as big as the page cache; 4 MiB runs sort
        // in the CPU's cache and merge quicker than one run of the writer's 256 MiB
        // (the four builds over 1M events: 2.8 -> 2.2 s).
        let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        conn.pragma_update(None, "threads", 2)?;
        conn.pragma_update(None, "temp_store", "FILE")?;
        conn.pragma_update(None, "cache_size", SORT_CACHE_KIB)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let built = conn.execute_batch(&missing.join(" "));
        if built.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        let committed = built.and_then(|()| conn.execute_batch("COMMIT"));
        conn.pragma_update(None, "cache_size", cache)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        committed?;
    }
    Ok(())
}

/// The JSON text of event `e` in SQL over `events e` (documents live in `docs`).
pub const DOC_OF_E: &str = "aurora_doc((SELECT doc FROM docs WHERE docs.id = e.id))";

/// Each entry takes the store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// How the store is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Create the file (0600) and the schema if needed; migrate an older schema.
    Write,
    /// Existing store only; no schema changes.
    Read,
}

/// Opens (and for `Mode::Write` creates or migrates) a store.
pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    configure_sqlite();
    let shown = path.display().to_string();
    if mode == Mode::Write && !path.exists() {
        create_private(path).map_err(|source| StoreError::Io {
            path: shown.clone(),
            source,
        })?;
    }
    if mode == Mode::Read && !path.exists() {
        return Err(StoreError::Io {
            path: shown,
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such store (run `aurora-search index` first)",
            ),
        });
    }
    let flags = match mode {
        Mode::Write => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Mode::Read => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    // Several indexers and readers may share a store: wait for locks rather than fail.
    conn.busy_timeout(Duration::from_secs(120))?;
    functions::register_value_functions(&conn)?;
    if mode == Mode::Write {
        // Only takes effect on a store that has no table yet.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode survives a process kill (only power loss can lose the last
        // commits), and re-running the input restores those without duplicates.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        migrate(&conn)?;
        ensure_event_indexes(&conn)?;
    } else {
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if v > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        if v < SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!(
                "{shown}: store schema version {v} is older than {SCHEMA_VERSION}; run `aurora-search index` on it once to migrate"
            )));
        }
    }
    // The writer keeps the hot index pages (the random `aid` keys above all) in memory.
    conn.pragma_update(
        None,
        "cache_size",
        if mode == Mode::Write {
            -262_144
        } else {
            -65_536
        },
    )?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Readers map the file: a query that visits tens of thousands of rows reads them
    // from the page cache without a system call each.
    if mode == Mode::Read {
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    }
    functions::register_doc_function(&conn)?;
    Ok(conn)
}

/// Process-wide SQLite settings, made once before the first connection. SQLite's memory
/// statistics (on by default) take a global mutex on every allocation; aurora never
/// reads them, and the indexer's writer thread spent 4% of its time there.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection exists in this process
        // (rusqlite initializes SQLite on the first open, which comes after this), with
        // the one int argument SQLITE_CONFIG_MEMSTATUS takes. Were SQLite already
        // initialized, the call would return SQLITE_MISUSE and change nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            );
        }
    });
}

/// Creates an empty file readable only by its owner before SQLite opens it, so the store
/// (attacker-influenced text, but also the analyst's case data) is never world-readable.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        // Another indexer created it first: fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn migrate(conn: &Connection) -> Result<()> {
    // IMMEDIATE takes the write lock first, so two indexers starting on a new file
    // cannot both try to create the schema.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let run = || -> Result<()> {
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if v > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(v as usize) {
            conn.execute_batch(step)?;
            conn.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        Ok(())
    };
    match run() {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// The store's compression dictionary, if it has one yet.
pub fn load_dict(conn: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = 'zstd_dict'", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Saves a dictionary unless another indexer saved one first; returns the one in force.
pub fn save_dict(conn: &Connection, dict: &[u8]) -> Result<Vec<u8>> {
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('zstd_dict', ?)",
        [dict],
    )?;
    Ok(load_dict(conn)?.expect("just inserted"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{self, Filters};
    use crate::{codec, ip, time};

    /// The event in [`v1_store`].
    const V1_DOC: &str = r#"{"@timestamp":"2024-03-01T10:00:00Z","source":{"ip":"10.1.2.3"},"destination":{"ip":"2001:db8::5"},"message":"Failed password for root"}"#;

    /// A store as schema 1 wrote it: documents and ids in `events`, 16-byte IP keys and
    /// 16-byte duplicate keys (the event has no `aurora.id`: the hash of its line).
    fn v1_store(path: &Path) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let doc = V1_DOC;
        let mut blob = vec![codec::PLAIN];
        blob.extend_from_slice(&(doc.len() as u32).to_le_bytes());
        blob.extend(zstd::bulk::compress(doc.as_bytes(), 1).unwrap());
        let v4: Vec<u8> = std::net::Ipv4Addr::new(10, 1, 2, 3)
            .to_ipv6_mapped()
            .octets()
            .to_vec();
        let v6: Vec<u8> = "2001:db8::5"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets()
            .to_vec();
        let ts = time::parse_ts("2024-03-01T10:00:00Z").unwrap();
        conn.execute(
            "INSERT INTO events (id, aid, ts, source, src_ip, dst_ip, doc) VALUES (7, ?, ?, 'sshd', ?, ?, ?)",
            rusqlite::params![
                xxhash_rust::xxh3::xxh3_128(doc.as_bytes())
                    .to_be_bytes()
                    .to_vec(),
                ts,
                v4,
                v6,
                blob
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO fts (rowid, message, rule, original, text) VALUES (7, 'Failed password for root', '', '', 'sshd')",
            [],
        )
        .unwrap();
    }

    #[test]
    fn a_schema_1_store_is_migrated_and_searchable() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        v1_store(&db);
        let conn = open(&db, Mode::Write).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        // Migration 3's FTS settings are in the index's own configuration table.
        let config: Vec<(String, i64)> = conn
            .prepare("SELECT k, v FROM fts_config WHERE k IN ('automerge', 'hashsize') ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            config,
            [("automerge".into(), 32), ("hashsize".into(), 2_097_152)]
        );
        let (id, aid): (i64, Vec<u8>) = conn
            .query_row("SELECT id, aid FROM docs", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let ts = time::parse_ts("2024-03-01T10:00:00Z").unwrap();
        let old = xxhash_rust::xxh3::xxh3_128(V1_DOC.as_bytes()).to_be_bytes();
        assert_eq!((id, aid), (7, crate::doc::dedup_key(ts, old).to_vec()));
        let (src, dst): (Vec<u8>, Vec<u8>) = conn
            .query_row("SELECT src_ip, dst_ip FROM events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(src, ip::key_of("10.1.2.3").unwrap().to_vec());
        assert_eq!(dst, ip::key_of("2001:db8::5").unwrap().to_vec());
        drop(conn);

        let conn = open(&db, Mode::Read).unwrap();
        let f = |query: &str, since: Option<&str>| Filters {
            query: query.into(),
            from: since.and_then(time::parse_ts),
            now: 0,
            ..Filters::default()
        };
        for (q, since, want) in [
            ("source.ip:10.0.0.0/8", None, 1),
            ("destination.ip:\"2001:db8::/32\"", None, 1),
            ("\"failed password\"", Some("2024-03-01T09:00:00Z"), 1),
            ("\"failed password\"", Some("2024-03-01T11:00:00Z"), 0),
            ("source.ip:10.1.2.4", None, 0),
        ] {
            assert_eq!(search::count(&conn, &f(q, since)).unwrap(), want, "{q}");
        }
        let mut docs = Vec::new();
        search::search(&conn, &f("root", None), &[], None, |d| {
            docs.push(d.to_string());
            Ok(true)
        })
        .unwrap();
        assert_eq!(docs.len(), 1);
        assert!(docs[0].contains("Failed password"));
        drop(conn);

        // The migrated key is the one the indexer makes: the same event is a duplicate.
        let input = dir.path().join("again.ndjson");
        std::fs::write(&input, format!("{V1_DOC}\n")).unwrap();
        let stats = crate::index::index(
            &db,
            &[input.to_str().unwrap().to_string()],
            &crate::index::IndexOptions::default(),
            |r| panic!("{r:?}"),
            |_| {},
        )
        .unwrap();
        assert_eq!((stats.inserted, stats.duplicates), (0, 1));
    }
}
