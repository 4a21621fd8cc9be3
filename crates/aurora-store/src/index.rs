//! Indexing: a parser thread reads the inputs and turns lines into rows (JSON parsing,
//! free-text collection and compression), while the calling thread writes them to
//! SQLite in big transactions. SQLite's single writer is the bottleneck, so everything
//! that can happen before it does happen on the parser thread, training the store's
//! compression dictionary included. A transaction is committed when it is full or when
//! input goes quiet, so a slow `tail -F` pipeline sees its events stored at once.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::{RecvTimeoutError, bounded};
use rusqlite::{Connection, params};

use crate::codec::{self, Decoder, Encoder};
use crate::doc::{DocParser, Heartbeat, Parsed, Row};
use crate::error::{Result, StoreError};
use aurora_core::input::{self, Input};
use aurora_core::ndjson::{self, ChunkReader};
pub use aurora_core::reject::Reject;

use crate::schema::{self, Mode};
use crate::time;
use crate::zones::ZoneUpdates;

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
    /// The dictionary the parser trained and compresses with from here on; the writer
    /// saves it (or finds another indexer's, and re-compresses).
    Dict(Vec<u8>),
}

/// Chunks cross the thread boundary, not single lines, to keep channel overhead low.
type Chunk = Vec<Item>;

/// Chunks (~130 events each) the parser may run ahead of the writer: enough that it
/// keeps parsing through a commit (a quarter of a second of the writer's time) instead
/// of stopping at a full channel and leaving the writer to wait for it afterwards.
const AHEAD_CHUNKS: usize = 256;

/// An input that records whether the parser is blocked reading it: the writer tells
/// input that went quiet (a `tail -F` that caught up) from a parser that is merely busy.
struct Watched {
    inner: Box<dyn Read + Send>,
    waiting: Arc<AtomicBool>,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.waiting.store(true, Ordering::Relaxed);
        let n = self.inner.read(buf);
        self.waiting.store(false, Ordering::Relaxed);
        n
    }
}

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
    let waiting = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for name in inputs {
        let mut r = input::open(name).map_err(|source| StoreError::Io {
            path: name.clone(),
            source,
        })?;
        r.reader = Box::new(Watched {
            inner: r.reader,
            waiting: waiting.clone(),
        });
        readers.push(r);
    }
    let mut conn = schema::open(db, Mode::Write)?;
    let dict = schema::load_dict(&conn)?;
    let mut producer = Producer::new(dict).map_err(zstd_error)?;
    let (tx, rx) = bounded::<std::io::Result<Chunk>>(AHEAD_CHUNKS);
    let max_line = opts.max_line;
    let parser = std::thread::Builder::new()
        .name("aurora-parse".into())
        .spawn(move || {
            for r in readers {
                let name = r.name.clone();
                if let Err(e) = producer.read_input(r, max_line, &tx) {
                    let _ = tx.send(Err(std::io::Error::new(e.kind(), format!("{name}: {e}"))));
                    return;
                }
            }
            // A short run still leaves a dictionary for the next one, if it saw enough.
            if let Some(dict) = producer.finish() {
                let _ = tx.send(Ok(vec![Item::Dict(dict)]));
            }
        })
        .map_err(|e| StoreError::Io {
            path: "parser thread".into(),
            source: e,
        })?;

    // Bulk mode: into an empty store, the secondary indexes are built once the backlog is
    // in (at the end, or when input first goes quiet, as `tail -F` does after catching
    // up) instead of being kept current event by event. On 1M EVE events this takes
    // indexing from ~23 s to ~17 s, the index builds included.
    let mut bulk = store_is_empty(&conn)?;
    if bulk {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        // Another indexer may have stored events since the check.
        bulk = store_is_empty(&conn)?;
        if bulk {
            schema::drop_event_indexes(&conn)?;
        }
        conn.execute_batch("COMMIT")?;
    }

    let mut stats = IndexStats::default();
    let mut w = Writer::new(opts.now);
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
                    if let Err(e) = w.commit(&mut conn) {
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
                if let Err(e) = w.commit(&mut conn) {
                    result = Err(e);
                    break;
                }
                // Only input that went quiet ends bulk mode; a parser that is busy (or
                // short of CPU) for a moment does not.
                if bulk && waiting.load(Ordering::Relaxed) {
                    bulk = false;
                    if let Err(e) = schema::ensure_event_indexes(&conn) {
                        result = Err(e);
                        break;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // What was read before an error is still committed: it was parsed and is valid.
    let committed = w.commit(&mut conn);
    drop(rx);
    let _ = parser.join();
    // Even after an error: what was committed must be searchable at speed.
    let indexed = schema::ensure_event_indexes(&conn);
    result?;
    committed?;
    indexed?;
    // Keep the planner's statistics current (sampled, so it stays quick), and leave an
    // empty WAL behind: readers then find every page in the database file without
    // looking through the WAL's index first (top over 1M events: ~10% quicker). A
    // reader that keeps the WAL busy for a second just leaves the checkpoint partial.
    let _ = conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;");
    let _ = conn.busy_timeout(Duration::from_secs(1));
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    Ok(stats)
}

fn store_is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM docs)", [], |r| r.get(0))?)
}

fn zstd_error(e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("zstd: {e}"))
}

/// Enough samples for a good dictionary; training takes a fraction of a second.
const TRAIN_DOCS: usize = 2000;
const TRAIN_BYTES: usize = 4 << 20;
/// Fewer samples than this make a dictionary worse than none.
const TRAIN_MIN_DOCS: usize = 200;

/// The parser thread's state: the JSON parser, and the encoder, which starts without a
/// dictionary when the store has none and trains one from the first events.
struct Producer {
    parser: DocParser,
    enc: Encoder,
    /// Documents to train from, while the store has no dictionary.
    samples: Vec<Vec<u8>>,
    sample_bytes: usize,
    training_done: bool,
}

impl Producer {
    fn new(dict: Option<Vec<u8>>) -> std::io::Result<Self> {
        Ok(Producer {
            parser: DocParser::default(),
            enc: Encoder::new(dict.as_deref())?,
            samples: Vec::new(),
            sample_bytes: 0,
            training_done: dict.is_some(),
        })
    }

    /// Compresses a row's document (dropping the text, which is not needed from here on),
    /// training the dictionary once enough documents were seen. Returns the dictionary
    /// when this row completed the training.
    fn compress(&mut self, row: &mut Row) -> std::io::Result<Option<Vec<u8>>> {
        let mut trained = None;
        if !self.training_done {
            self.sample_bytes += row.doc.len();
            self.samples.push(row.doc.as_bytes().to_vec());
            if self.samples.len() >= TRAIN_DOCS || self.sample_bytes >= TRAIN_BYTES {
                trained = self.train();
            }
        }
        // Events before the dictionary are compressed without one: input that trickles
        // in (`tail -F`) is stored at once rather than held back for training.
        row.blob = Some(self.enc.encode(&row.doc)?);
        row.doc_len = row.doc.len();
        row.doc = String::new();
        Ok(trained)
    }

    fn train(&mut self) -> Option<Vec<u8>> {
        self.training_done = true;
        let samples = std::mem::take(&mut self.samples);
        // Too few or too uniform samples: plain zstd still works.
        let dict = codec::train(&samples).ok()?;
        self.enc = Encoder::new(Some(&dict)).ok()?;
        Some(dict)
    }

    /// At the end of the input: a dictionary from what was seen, if nothing was trained
    /// yet and there is enough to train from.
    fn finish(&mut self) -> Option<Vec<u8>> {
        if self.training_done || self.samples.len() < TRAIN_MIN_DOCS {
            return None;
        }
        self.train()
    }

    fn read_input(
        &mut self,
        input: Input,
        max_line: usize,
        tx: &crossbeam_channel::Sender<std::io::Result<Chunk>>,
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
                        reason: format!(
                            "line is {len} bytes, longer than the {max_line}-byte limit"
                        ),
                        record: head,
                    }));
                }
                ndjson::Chunk::Lines => {
                    for line in ndjson::lines(&buf) {
                        lineno += 1;
                        if line.iter().all(u8::is_ascii_whitespace) {
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
                        // The chunk reader only bounds lines that overflow its buffer; a
                        // long line inside a chunk is caught here.
                        if line.len() > max_line {
                            chunk.push(reject(format!(
                                "line is {} bytes, longer than the {max_line}-byte limit",
                                line.len()
                            )));
                            continue;
                        }
                        let s = match std::str::from_utf8(line) {
                            Ok(s) => s,
                            Err(e) => {
                                chunk.push(reject(format!(
                                    "invalid UTF-8 at byte {}",
                                    e.valid_up_to()
                                )));
                                continue;
                            }
                        };
                        match self.parser.parse(s) {
                            Ok(Parsed::Event(mut row)) => {
                                if let Some(dict) = self.compress(&mut row)? {
                                    // The writer must hold the dictionary before it sees
                                    // a row compressed with it.
                                    chunk.push(Item::Dict(dict));
                                }
                                chunk.push(Item::Parsed(Parsed::Event(row)));
                            }
                            Ok(p) => chunk.push(Item::Parsed(p)),
                            Err(reason) => chunk.push(reject(reason)),
                        }
                    }
                }
            }
            if !chunk.is_empty() && tx.send(Ok(chunk)).is_err() {
                break;
            }
        }
        Ok(())
    }
}

struct Writer {
    pending: usize,
    in_tx: bool,
    now: Option<i64>,
    /// Events stored per (source, arrival second) in the open transaction.
    arrivals: HashMap<String, HashMap<i64, i64>>,
    /// Time bounds of the id zones written to in the open transaction.
    zones: ZoneUpdates,
    /// Set when another indexer saved the store's dictionary before this run's parser
    /// trained its own: documents are re-compressed from the parser's to the store's.
    recompress: Option<(Decoder, Encoder)>,
}

const INSERT_DOC: &str = "INSERT INTO docs (aid, doc) VALUES (?,?) ON CONFLICT(aid) DO NOTHING";
const INSERT_EVENT: &str = "INSERT INTO events (id, ts, source, severity, kind, module, dataset, outcome, src_ip, src_port, dst_ip, dst_port, user_name, host_name, rule_id, rule_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
const INSERT_FTS: &str =
    "INSERT INTO fts (rowid, message, rule, original, text) VALUES (?,?,?,?,?)";
const INSERT_TECHNIQUE: &str =
    "INSERT OR IGNORE INTO techniques (technique, event_id) VALUES (?,?)";

impl Writer {
    fn new(now: Option<i64>) -> Self {
        Writer {
            pending: 0,
            in_tx: false,
            now,
            arrivals: HashMap::new(),
            zones: ZoneUpdates::default(),
            recompress: None,
        }
    }

    /// The stored form of a row's document.
    fn blob_of(&mut self, row: &mut Row) -> Result<Vec<u8>> {
        let blob = row.blob.take().unwrap_or_default();
        match &mut self.recompress {
            Some((dec, enc)) if matches!(blob.first(), Some(&codec::DICT | &codec::DICT_BARE)) => {
                let text = dec.decode(&blob).map_err(zstd_error)?;
                enc.encode(&text).map_err(zstd_error)
            }
            _ => Ok(blob),
        }
    }

    /// Saves the parser's dictionary unless the store already has one.
    fn save_dict(&mut self, conn: &Connection, dict: Vec<u8>) -> Result<()> {
        let stored = schema::save_dict(conn, &dict)?;
        if stored != dict {
            self.recompress = Some((
                Decoder::new(Some(&dict)).map_err(zstd_error)?,
                Encoder::new(Some(&stored)).map_err(zstd_error)?,
            ));
        }
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
        // Looked up once a chunk rather than four times an event.
        let mut st = Statements {
            doc: conn.prepare_cached(INSERT_DOC)?,
            event: conn.prepare_cached(INSERT_EVENT)?,
            fts: conn.prepare_cached(INSERT_FTS)?,
            technique: conn.prepare_cached(INSERT_TECHNIQUE)?,
        };
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
                Item::Dict(dict) => self.save_dict(conn, dict)?,
                Item::Parsed(Parsed::Event(mut row)) => {
                    stats.lines += 1;
                    stats.bytes += row.doc_len.max(row.doc.len()) as u64 + 1;
                    let blob = self.blob_of(&mut row)?;
                    if let Some(id) = insert_row(conn, &mut st, &row, &blob)? {
                        self.zones.add(id, row.ts);
                        stats.inserted += 1;
                        if let Some(s) = &row.source {
                            // The source name is copied once per transaction, not per event.
                            let per_second = match self.arrivals.get_mut(s.as_str()) {
                                Some(m) => m,
                                None => self.arrivals.entry(s.clone()).or_default(),
                            };
                            *per_second.entry(second).or_default() += 1;
                        }
                    } else {
                        stats.duplicates += 1;
                    }
                    self.pending += 1;
                }
            }
        }
        Ok(())
    }

    fn commit(&mut self, conn: &mut Connection) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        {
            let mut st = conn.prepare_cached(
                "INSERT INTO arrivals (source, second, events) VALUES (?,?,?) ON CONFLICT(source, second) DO UPDATE SET events = events + excluded.events",
            )?;
            for (source, seconds) in self.arrivals.drain() {
                for (second, n) in seconds {
                    st.execute(params![source, second, n])?;
                }
            }
        }
        self.zones.save(conn)?;
        conn.execute_batch("COMMIT")?;
        self.in_tx = false;
        self.pending = 0;
        Ok(())
    }
}

/// The writer's statements, prepared once per chunk.
struct Statements<'c> {
    doc: rusqlite::CachedStatement<'c>,
    event: rusqlite::CachedStatement<'c>,
    fts: rusqlite::CachedStatement<'c>,
    technique: rusqlite::CachedStatement<'c>,
}

/// Inserts one event and returns its id; `None` if its `aurora.id` is already stored.
fn insert_row(
    conn: &Connection,
    st: &mut Statements<'_>,
    r: &Row,
    blob: &[u8],
) -> Result<Option<i64>> {
    // The document goes first: its unique `aurora.id` is what tells a duplicate.
    if st.doc.execute(params![&r.aid[..], blob])? == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    st.event.execute(params![
        id,
        r.ts,
        r.source,
        r.severity,
        r.kind,
        r.module,
        r.dataset,
        r.outcome,
        r.src_ip.as_deref(),
        r.src_port,
        r.dst_ip.as_deref(),
        r.dst_port,
        r.user_name,
        r.host_name,
        r.rule_id,
        r.rule_name,
    ])?;
    st.fts
        .execute(params![id, r.fts[0], r.fts[1], r.fts[2], r.fts[3]])?;
    for t in &r.techniques {
        st.technique.execute(params![t, id])?;
    }
    Ok(Some(id))
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
