//! Indexing: a parser thread reads the inputs and turns lines into rows (JSON parsing is
//! the expensive part), while the calling thread writes them to SQLite in big
//! transactions. A transaction is committed when it is full or when input goes quiet,
//! so a slow `tail -F` pipeline sees its events stored at once.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use crossbeam_channel::{RecvTimeoutError, bounded};
use rusqlite::{Connection, params};

use std::sync::{Arc, OnceLock};

use crate::codec::{self, Encoder};
use crate::doc::{Heartbeat, Parsed, Row, parse_line};
use crate::error::{Result, StoreError};
use aurora_core::input::{self, Input};
use aurora_core::ndjson::{self, ChunkReader};
pub use aurora_core::reject::Reject;

use crate::schema::{self, Mode};
use crate::time;

/// How an index run behaves.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Rows per transaction when input is fast.
    pub batch: usize,
    /// Longest accepted input line, in bytes.
    pub max_line: usize,
    /// Commit what is pending after input has been quiet this long.
    pub idle_commit: Duration,
    /// Arrival time to record (the source cards' rates); `None` = the clock.
    pub now: Option<i64>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            batch: 100_000,
            max_line: ndjson::DEFAULT_MAX_LINE,
            idle_commit: Duration::from_millis(200),
            now: None,
        }
    }
}

/// Counters of an index run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Non-blank lines read.
    pub lines: u64,
    pub bytes: u64,
    /// New events stored.
    pub inserted: u64,
    /// Events already in the store (same `aurora.id`).
    pub duplicates: u64,
    pub heartbeats: u64,
    pub rejects: u64,
}

enum Item {
    Parsed(Parsed),
    Reject(Reject),
}

/// Chunks cross the thread boundary, not single lines, to keep channel overhead low.
type Chunk = Vec<Item>;

/// Indexes `inputs` (`-` = stdin) into the store at `db`, calling `on_reject` for each bad
/// line and `progress` after each chunk. Inputs are opened up front, so an unreadable
/// file fails the run before anything is written.
pub fn index(
    db: &Path,
    inputs: &[String],
    opts: &IndexOptions,
    mut on_reject: impl FnMut(&Reject),
    mut progress: impl FnMut(&IndexStats),
) -> Result<IndexStats> {
    let mut readers = Vec::new();
    for name in inputs {
        readers.push(input::open(name).map_err(|source| StoreError::Io {
            path: name.clone(),
            source,
        })?);
    }
    let mut conn = schema::open(db, Mode::Write)?;
    let dict: Arc<OnceLock<Vec<u8>>> = Arc::new(OnceLock::new());
    if let Some(d) = schema::load_dict(&conn)? {
        let _ = dict.set(d);
    }
    let (tx, rx) = bounded::<std::io::Result<Chunk>>(64);
    let max_line = opts.max_line;
    let parser_dict = dict.clone();
    let parser = std::thread::Builder::new()
        .name("aurora-parse".into())
        .spawn(move || {
            let mut enc: Option<Encoder> = None;
            for r in readers {
                let name = r.name.clone();
                if let Err(e) = read_input(r, max_line, &tx, &parser_dict, &mut enc) {
                    let _ = tx.send(Err(std::io::Error::new(e.kind(), format!("{name}: {e}"))));
                    return;
                }
            }
        })
        .map_err(|e| StoreError::Io {
            path: "parser thread".into(),
            source: e,
        })?;

    let mut stats = IndexStats::default();
    let mut w = Writer::new(opts.now, dict)?;
    let mut result = Ok(());
    loop {
        let msg = if w.pending == 0 {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(opts.idle_commit)
        };
        match msg {
            Ok(Ok(chunk)) => {
                if let Err(e) = w.write_chunk(&mut conn, chunk, &mut stats, &mut on_reject) {
                    result = Err(e);
                    break;
                }
                if w.pending >= opts.batch {
                    if let Err(e) = w.commit(&mut conn, false) {
                        result = Err(e);
                        break;
                    }
                }
                progress(&stats);
            }
            Ok(Err(e)) => {
                result = Err(StoreError::Io {
                    path: "input".into(),
                    source: e,
                });
                break;
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = w.commit(&mut conn, false) {
                    result = Err(e);
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // What was read before an error is still committed: it was parsed and is valid.
    let committed = w.commit(&mut conn, true);
    drop(rx);
    let _ = parser.join();
    result?;
    committed?;
    // Keep the planner's statistics current (sampled, so it stays quick), and leave a
    // small WAL behind; a busy reader just means the checkpoint is partial.
    let _ = conn.execute_batch(
        "PRAGMA analysis_limit = 1000; PRAGMA optimize; PRAGMA wal_checkpoint(PASSIVE);",
    );
    Ok(stats)
}

fn read_input(
    input: Input,
    max_line: usize,
    tx: &crossbeam_channel::Sender<std::io::Result<Chunk>>,
    dict: &OnceLock<Vec<u8>>,
    enc: &mut Option<Encoder>,
) -> std::io::Result<()> {
    let name = input.name;
    let mut reader = ChunkReader::new(input.reader, max_line, 256 * 1024).live(input.live);
    let mut buf = Vec::new();
    let mut lineno = 0u64;
    while let Some(c) = reader.next_chunk(&mut buf)? {
        let mut chunk: Chunk = Vec::new();
        match c {
            ndjson::Chunk::TooLong { len, head } => {
                lineno += 1;
                chunk.push(Item::Reject(Reject {
                    file: name.clone(),
                    line: lineno,
                    reason: format!("line is {len} bytes, longer than the {max_line}-byte limit"),
                    record: head,
                }));
            }
            ndjson::Chunk::Lines => {
                for line in ndjson::lines(&buf) {
                    lineno += 1;
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // The chunk reader only bounds lines that overflow its buffer; a
                    // long line inside a chunk is caught here.
                    if line.len() > max_line {
                        chunk.push(Item::Reject(Reject {
                            file: name.clone(),
                            line: lineno,
                            reason: format!(
                                "line is {} bytes, longer than the {max_line}-byte limit",
                                line.len()
                            ),
                            record: line[..ndjson::REJECT_HEAD].to_vec(),
                        }));
                        continue;
                    }
                    let reject = |reason: String| {
                        Item::Reject(Reject {
                            file: name.clone(),
                            line: lineno,
                            reason,
                            record: line[..line.len().min(ndjson::REJECT_HEAD)].to_vec(),
                        })
                    };
                    if enc.is_none() {
                        if let Some(d) = dict.get() {
                            *enc = Some(Encoder::new(Some(d))?);
                        }
                    }
                    chunk.push(match std::str::from_utf8(line) {
                        Err(e) => reject(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
                        Ok(s) => match parse_line(s) {
                            Ok(Parsed::Event(mut row)) => {
                                // Compress here, off the writer's thread, once the store
                                // has its dictionary.
                                if let Some(e) = enc.as_mut() {
                                    row.blob = Some(e.encode(&row.doc)?);
                                    // Only its length is needed from here on; freeing it on
                                    // this thread spares the writer.
                                    row.doc_len = row.doc.len();
                                    row.doc = String::new();
                                }
                                Item::Parsed(Parsed::Event(row))
                            }
                            Ok(p) => Item::Parsed(p),
                            Err(reason) => reject(reason),
                        },
                    });
                }
            }
        }
        if !chunk.is_empty() && tx.send(Ok(chunk)).is_err() {
            break;
        }
    }
    Ok(())
}

struct Writer {
    pending: usize,
    in_tx: bool,
    now: Option<i64>,
    /// Events stored per (source, arrival second) in the open transaction.
    arrivals: HashMap<(String, i64), i64>,
    /// Shared with the parser thread, which compresses once this is set.
    dict: Arc<OnceLock<Vec<u8>>>,
    /// For rows the parser sent uncompressed (the store had no dictionary yet).
    enc: Encoder,
    /// Documents to train the dictionary from, while the store has none.
    samples: Vec<Vec<u8>>,
    sample_bytes: usize,
    training_failed: bool,
}

/// Enough samples for a good dictionary; training takes a fraction of a second.
const TRAIN_DOCS: usize = 2000;
const TRAIN_BYTES: usize = 4 << 20;

const INSERT_EVENT: &str = "INSERT INTO events (aid, ts, source, severity, kind, module, dataset, outcome, src_ip, src_port, dst_ip, dst_port, user_name, host_name, rule_id, rule_name, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(aid) DO NOTHING";
const INSERT_FTS: &str =
    "INSERT INTO fts (rowid, message, rule, original, text) VALUES (?,?,?,?,?)";
const INSERT_TECHNIQUE: &str =
    "INSERT OR IGNORE INTO techniques (technique, event_id) VALUES (?,?)";

impl Writer {
    fn new(now: Option<i64>, dict: Arc<OnceLock<Vec<u8>>>) -> Result<Self> {
        let enc = Encoder::new(dict.get().map(Vec::as_slice))
            .map_err(|e| StoreError::Invalid(format!("zstd: {e}")))?;
        Ok(Writer {
            pending: 0,
            in_tx: false,
            now,
            arrivals: HashMap::new(),
            dict,
            enc,
            samples: Vec::new(),
            sample_bytes: 0,
            training_failed: false,
        })
    }

    /// Compresses a row the parser could not, keeping it as a training sample while the
    /// store has no dictionary.
    fn blob_of(&mut self, row: &mut Row) -> Result<Vec<u8>> {
        if let Some(b) = row.blob.take() {
            return Ok(b);
        }
        if !self.enc.has_dict()
            && !self.training_failed
            && self.samples.len() < TRAIN_DOCS
            && self.sample_bytes < TRAIN_BYTES
        {
            self.sample_bytes += row.doc.len();
            self.samples.push(row.doc.as_bytes().to_vec());
        }
        self.enc
            .encode(&row.doc)
            .map_err(|e| StoreError::Invalid(format!("zstd: {e}")))
    }

    /// Trains and saves the store's dictionary once there are enough samples (or at the
    /// end of a run with at least a few), inside the open transaction.
    fn maybe_train(&mut self, conn: &Connection, finishing: bool) -> Result<()> {
        if self.enc.has_dict() || self.training_failed {
            return Ok(());
        }
        let enough = self.samples.len() >= TRAIN_DOCS || self.sample_bytes >= TRAIN_BYTES;
        if !(enough || (finishing && self.samples.len() >= 200)) {
            return Ok(());
        }
        let dict = match schema::load_dict(conn)? {
            Some(d) => d,
            None => match codec::train(&self.samples) {
                Ok(d) => schema::save_dict(conn, &d)?,
                // Too few or too uniform samples: plain zstd still works.
                Err(_) => {
                    self.training_failed = true;
                    return Ok(());
                }
            },
        };
        self.enc =
            Encoder::new(Some(&dict)).map_err(|e| StoreError::Invalid(format!("zstd: {e}")))?;
        let _ = self.dict.set(dict);
        self.samples = Vec::new();
        Ok(())
    }

    fn write_chunk(
        &mut self,
        conn: &mut Connection,
        chunk: Chunk,
        stats: &mut IndexStats,
        on_reject: &mut impl FnMut(&Reject),
    ) -> Result<()> {
        if !self.in_tx {
            // IMMEDIATE: take the write lock now (waiting up to busy_timeout) instead of
            // failing later when a concurrent indexer holds it.
            conn.execute_batch("BEGIN IMMEDIATE")?;
            self.in_tx = true;
        }
        let second = self
            .now
            .unwrap_or_else(time::now_micros)
            .div_euclid(time::MICROS_PER_SEC);
        for item in chunk {
            match item {
                Item::Reject(r) => {
                    stats.lines += 1;
                    stats.rejects += 1;
                    on_reject(&r);
                }
                Item::Parsed(Parsed::Heartbeat(hb)) => {
                    stats.lines += 1;
                    stats.heartbeats += 1;
                    write_heartbeat(conn, &hb)?;
                    self.pending += 1;
                }
                Item::Parsed(Parsed::Event(mut row)) => {
                    stats.lines += 1;
                    stats.bytes += row.doc_len.max(row.doc.len()) as u64 + 1;
                    let blob = self.blob_of(&mut row)?;
                    if insert_row(conn, &row, &blob)? {
                        stats.inserted += 1;
                        if let Some(s) = &row.source {
                            *self.arrivals.entry((s.clone(), second)).or_default() += 1;
                        }
                    } else {
                        stats.duplicates += 1;
                    }
                    self.pending += 1;
                }
            }
        }
        // Train as soon as there are enough samples, so the parser compresses the rest.
        self.maybe_train(conn, false)
    }

    fn commit(&mut self, conn: &mut Connection, finishing: bool) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        self.maybe_train(conn, finishing)?;
        {
            let mut st = conn.prepare_cached(
                "INSERT INTO arrivals (source, second, events) VALUES (?,?,?) ON CONFLICT(source, second) DO UPDATE SET events = events + excluded.events",
            )?;
            for ((source, second), n) in self.arrivals.drain() {
                st.execute(params![source, second, n])?;
            }
        }
        conn.execute_batch("COMMIT")?;
        self.in_tx = false;
        self.pending = 0;
        Ok(())
    }
}

/// Inserts one event; `false` if its `aurora.id` is already stored.
fn insert_row(conn: &Connection, r: &Row, blob: &[u8]) -> Result<bool> {
    let mut st = conn.prepare_cached(INSERT_EVENT)?;
    let n = st.execute(params![
        &r.aid[..],
        r.ts,
        r.source,
        r.severity,
        r.kind,
        r.module,
        r.dataset,
        r.outcome,
        r.src_ip.as_ref().map(|k| &k[..]),
        r.src_port,
        r.dst_ip.as_ref().map(|k| &k[..]),
        r.dst_port,
        r.user_name,
        r.host_name,
        r.rule_id,
        r.rule_name,
        blob,
    ])?;
    if n == 0 {
        return Ok(false);
    }
    let id = conn.last_insert_rowid();
    conn.prepare_cached(INSERT_FTS)?
        .execute(params![id, r.fts[0], r.fts[1], r.fts[2], r.fts[3]])?;
    if !r.techniques.is_empty() {
        let mut st = conn.prepare_cached(INSERT_TECHNIQUE)?;
        for t in &r.techniques {
            st.execute(params![t, id])?;
        }
    }
    Ok(true)
}

/// Heartbeats are source status, not events: the newest one per source wins.
fn write_heartbeat(conn: &Connection, hb: &Heartbeat) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sources (name, status, since, message, events_total, heartbeat_at) VALUES (?,?,?,?,?,?)
         ON CONFLICT(name) DO UPDATE SET status = excluded.status, since = excluded.since, message = excluded.message,
           events_total = excluded.events_total, heartbeat_at = excluded.heartbeat_at
         WHERE excluded.heartbeat_at >= sources.heartbeat_at OR sources.heartbeat_at IS NULL",
    )?
    .execute(params![hb.source, hb.status, hb.since, hb.message, hb.events_total, hb.at])?;
    Ok(())
}
