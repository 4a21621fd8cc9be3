//! The normalization pipeline.
//!
//! A reader cuts each input into chunks of whole lines (and notes the Zeek
//! TSV header in force at each chunk's start, since rows cannot be read
//! without it); workers normalize chunks independently; the writer puts the
//! results back in input order, numbers rejected lines, and writes. With one
//! thread the same three steps run inline. Memory is bounded by the number
//! of chunks in flight, not by the input.

use anyhow::{Context, Result};
use aurora_cli::RawStdout;
use aurora_core::ndjson::{self, Chunk, ChunkReader};
use aurora_core::reject::{Reject, RejectSink};
use aurora_core::source::zeek_tsv::{Header, HeaderState};
use aurora_core::{Format, Normalizer, Options, Outcome};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Bytes per chunk when input is plentiful: large enough that per-chunk
/// costs vanish, small enough that a few in flight keep memory low.
const CHUNK: usize = 256 * 1024;

pub struct Config {
    pub inputs: Vec<String>,
    pub opts: Arc<Options>,
    pub max_line: usize,
    pub threads: usize,
    /// Rejects go to a file (so the summary need not list them).
    pub rejects_to_file: bool,
}

/// What a run did, for the summary and the exit status.
#[derive(Default, Debug)]
pub struct Totals {
    pub lines: u64,
    pub events: u64,
    pub rejected: u64,
    pub unreadable: Vec<String>,
    pub by_module: BTreeMap<&'static str, u64>,
    /// The stderr summary of rejects, when there were any.
    pub reject_summary: Option<String>,
}

enum Payload {
    Lines(Vec<u8>),
    TooLong { len: u64, head: Vec<u8> },
    OpenError(String),
}

struct Job {
    seq: u64,
    /// The input's display name (`hunt.zip:results/…` for a zip member).
    input: Arc<str>,
    /// When the input file was last written (µs), which dates its year-less syslog
    /// stamps; None for standard input, pipes and zip members (the clock dates them).
    written: Option<i64>,
    payload: Payload,
    header: Option<Arc<Header>>,
    /// Input went idle after this chunk: make its output visible now.
    idle: bool,
}

struct LocalReject {
    rel_line: u64,
    reason: String,
    head: Vec<u8>,
}

struct Done {
    seq: u64,
    input: Arc<str>,
    out: Vec<u8>,
    rejects: Vec<LocalReject>,
    lines: u64,
    events: u64,
    /// Events per module (a few at most: a list beats hashing per event).
    modules: Vec<(&'static str, u64)>,
    open_error: Option<String>,
    idle: bool,
    /// The chunk's buffer, handed back for reuse.
    spent: Option<Vec<u8>>,
}

/// Runs the pipeline, writing events to stdout and rejects to `rejects`.
pub fn run(cfg: Config, rejects: RejectSink) -> Result<Totals> {
    let mut writer = Writer {
        stdout: RawStdout::new(),
        rejects,
        current: None,
        line_base: 0,
        totals: Totals::default(),
    };
    if cfg.threads <= 1 {
        let mut norm = Normalizer::new(cfg.opts.clone());
        let mut out = Vec::with_capacity(CHUNK * 4);
        read_all(&cfg, |job| {
            let done = process(&mut norm, &cfg, job, std::mem::take(&mut out));
            let (spent_out, spent_chunk) = writer.accept(done)?;
            out = spent_out;
            Ok(spent_chunk)
        })?;
    } else {
        run_threaded(&cfg, &mut writer)?;
    }
    writer.rejects.flush().context("writing the rejects file")?;
    if writer.rejects.total() > 0 {
        writer.totals.reject_summary = Some(writer.rejects.summary(cfg.rejects_to_file));
    }
    Ok(writer.totals)
}

fn run_threaded(cfg: &Config, writer: &mut Writer) -> Result<()> {
    let in_flight = cfg.threads * 3;
    let (job_tx, job_rx) = crossbeam_channel::bounded::<Job>(in_flight);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<Done>(in_flight);
    // Spent chunk and output buffers go back to the reader and workers.
    let (chunk_pool_tx, chunk_pool_rx) = crossbeam_channel::bounded::<Vec<u8>>(in_flight * 2);
    let (out_pool_tx, out_pool_rx) = crossbeam_channel::bounded::<Vec<u8>>(in_flight * 2);

    std::thread::scope(|s| -> Result<()> {
        let reader = s.spawn(move || {
            read_all(cfg, |job| {
                // A send fails only when the writer has gone away (an error
                // is already on its way up).
                let _ = job_tx.send(job);
                Ok(chunk_pool_rx.try_recv().ok())
            })
        });
        for _ in 0..cfg.threads {
            let job_rx = job_rx.clone();
            let done_tx = done_tx.clone();
            let out_pool_rx = out_pool_rx.clone();
            let opts = cfg.opts.clone();
            s.spawn(move || {
                let mut norm = Normalizer::new(opts);
                for job in job_rx {
                    let out = out_pool_rx.try_recv().unwrap_or_default();
                    if done_tx.send(process(&mut norm, cfg, job, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        drop(job_rx);

        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0u64;
        for done in done_rx {
            pending.insert(done.seq, done);
            while let Some(d) = pending.remove(&next) {
                next += 1;
                let (spent_out, spent_chunk) = writer.accept(d)?;
                let _ = out_pool_tx.try_send(spent_out);
                if let Some(buf) = spent_chunk {
                    let _ = chunk_pool_tx.try_send(buf);
                }
            }
        }
        reader.join().expect("reader thread panicked")?;
        Ok(())
    })
}

/// Reads every input in order, cutting it into jobs. `emit` takes each job
/// and may hand back a spent buffer to fill next.
fn read_all(cfg: &Config, mut emit: impl FnMut(Job) -> Result<Option<Vec<u8>>>) -> Result<()> {
    let mut seq = 0u64;
    for name in &cfg.inputs {
        let path = std::path::Path::new(name);
        if name != "-" && aurora_core::input_zip::is_zip(path) {
            // A Velociraptor export: each result file is an input of its own.
            let r = aurora_core::input_zip::for_each_member(path, |member, reader| {
                let input: Arc<str> = format!("{name}:{member}").into();
                read_one(cfg, input, None, reader, false, &mut seq, &mut emit)
                    .map_err(|e| std::io::Error::other(format!("{e:#}")))
            });
            if let Err(e) = r {
                emit(Job::error(seq, name.as_str().into(), e.to_string()))?;
                seq += 1;
            }
            continue;
        }
        match aurora_core::input::open(name) {
            Ok(input) => {
                if name == "-" {
                    aurora_cli::raise_pipe_buffer(0);
                }
                let mut reader = input.reader;
                read_one(
                    cfg,
                    name.as_str().into(),
                    input.written,
                    &mut reader,
                    input.live,
                    &mut seq,
                    &mut emit,
                )?;
            }
            Err(e) => {
                emit(Job::error(seq, name.as_str().into(), e.to_string()))?;
                seq += 1;
            }
        }
    }
    Ok(())
}

/// Where a chunk may end. Wazuh's `alerts.log` spreads an alert over several
/// lines ending in a blank one, so a chunk of it must end after a blank line
/// or a record would be cut in two between workers.
fn record_cut(chunk: &[u8], multiline: bool) -> usize {
    if !multiline {
        return chunk.len();
    }
    memchr::memmem::rfind(chunk, b"\n\n").map_or(0, |i| i + 2)
}

fn read_one(
    cfg: &Config,
    input: Arc<str>,
    written: Option<i64>,
    reader: &mut dyn std::io::Read,
    live: bool,
    seq: &mut u64,
    emit: &mut impl FnMut(Job) -> Result<Option<Vec<u8>>>,
) -> Result<()> {
    let track_tsv = matches!(cfg.opts.format, Format::Auto | Format::ZeekTsv);
    let mut reader = ChunkReader::new(reader, cfg.max_line, CHUNK).live(live);
    let mut tsv = HeaderState::default();
    let mut spare: Option<Vec<u8>> = None;
    // Lines held back so a multi-line record stays in one chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut multiline: Option<bool> = None;
    loop {
        let mut buf = spare
            .take()
            .unwrap_or_else(|| Vec::with_capacity(CHUNK + 4096));
        let chunk = match reader.next_chunk(&mut buf) {
            Ok(Some(c)) => c,
            Ok(None) => {
                if !carry.is_empty() {
                    let header = tsv.snapshot();
                    emit(Job::lines(
                        *seq,
                        input.clone(),
                        written,
                        std::mem::take(&mut carry),
                        header,
                        false,
                    ))?;
                    *seq += 1;
                }
                return Ok(());
            }
            Err(e) => {
                emit(Job::error(*seq, input.clone(), format!("read error: {e}")))?;
                *seq += 1;
                return Ok(());
            }
        };
        let header = tsv.snapshot();
        let payload = match chunk {
            Chunk::Lines => {
                let multi = *multiline
                    .get_or_insert_with(|| aurora_core::source::wazuh::is_alerts_log_header(&buf));
                if multi {
                    carry.extend_from_slice(&buf);
                    let cut = record_cut(&carry, true);
                    let rest = carry.split_off(cut);
                    buf.clear();
                    buf.extend_from_slice(&carry);
                    carry = rest;
                    if buf.is_empty() && !reader.idle() {
                        spare = Some(buf);
                        continue;
                    }
                }
                if track_tsv {
                    tsv.observe_chunk(&buf);
                }
                Payload::Lines(buf)
            }
            Chunk::TooLong { len, head } => {
                spare = Some(buf);
                Payload::TooLong { len, head }
            }
        };
        let idle = reader.idle();
        if let Some(b) = emit(Job {
            seq: *seq,
            input: input.clone(),
            written,
            payload,
            header,
            idle,
        })? {
            spare = Some(b);
        }
        *seq += 1;
    }
}

impl Job {
    fn error(seq: u64, input: Arc<str>, msg: String) -> Job {
        Job {
            seq,
            input,
            written: None,
            payload: Payload::OpenError(msg),
            header: None,
            idle: false,
        }
    }

    fn lines(
        seq: u64,
        input: Arc<str>,
        written: Option<i64>,
        data: Vec<u8>,
        header: Option<Arc<Header>>,
        idle: bool,
    ) -> Job {
        Job {
            seq,
            input,
            written,
            payload: Payload::Lines(data),
            header,
            idle,
        }
    }
}

fn process(norm: &mut Normalizer, cfg: &Config, job: Job, mut out: Vec<u8>) -> Done {
    out.clear();
    let mut done = Done {
        seq: job.seq,
        input: job.input.clone(),
        out,
        rejects: Vec::new(),
        lines: 0,
        events: 0,
        modules: Vec::new(),
        open_error: None,
        idle: job.idle,
        spent: None,
    };
    match job.payload {
        Payload::OpenError(e) => done.open_error = Some(e),
        Payload::TooLong { len, head } => {
            done.lines = 1;
            done.rejects.push(LocalReject {
                rel_line: 1,
                reason: format!(
                    "line is {len} bytes, over the limit of {} (--max-line)",
                    cfg.max_line
                ),
                head,
            });
        }
        Payload::Lines(data) => {
            norm.start_input(&job.input, job.header, job.written);
            for line in ndjson::lines(&data) {
                done.lines += 1;
                match norm.line(line, &mut done.out) {
                    Ok(Outcome::Event) => {
                        done.events += 1;
                        count_module(&mut done.modules, norm.last_module());
                    }
                    Ok(Outcome::Skipped) => {}
                    Err(e) => done.rejects.push(LocalReject {
                        rel_line: done.lines,
                        reason: e.0,
                        head: line[..line.len().min(ndjson::REJECT_HEAD)].to_vec(),
                    }),
                }
            }
            // A multi-line record (Wazuh alerts.log) ends with the chunk:
            // chunks of such inputs are cut after a record.
            match norm.end_input(&mut done.out) {
                Ok(Outcome::Event) => {
                    done.events += 1;
                    count_module(&mut done.modules, norm.last_module());
                }
                Ok(Outcome::Skipped) => {}
                Err(e) => done.rejects.push(LocalReject {
                    rel_line: done.lines,
                    reason: e.0,
                    head: Vec::new(),
                }),
            }
            done.spent = Some(data);
        }
    }
    done
}

/// Counts an event for its module in a short list (a handful of modules per
/// run, so a linear scan beats hashing per event).
#[inline]
fn count_module(modules: &mut Vec<(&'static str, u64)>, m: Option<&'static str>) {
    let Some(m) = m else { return };
    // Module names are static: the pointer nearly always tells.
    match modules
        .iter_mut()
        .find(|(k, _)| std::ptr::eq(*k, m) || *k == m)
    {
        Some((_, n)) => *n += 1,
        None => modules.push((m, 1)),
    }
}

struct Writer {
    stdout: RawStdout,
    rejects: RejectSink,
    /// The input being written, and its lines so far.
    current: Option<Arc<str>>,
    line_base: u64,
    totals: Totals,
}

impl Writer {
    /// Takes one result in input order. Hands back the output buffer and the
    /// chunk buffer for reuse.
    fn accept(&mut self, mut d: Done) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
        if !self
            .current
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(c, &d.input))
        {
            self.current = Some(d.input.clone());
            self.line_base = 0;
        }
        let name = &d.input;
        if let Some(e) = d.open_error.take() {
            eprintln!("aurora-norm: {name}: {e}");
            self.totals.unreadable.push(name.to_string());
        }
        if !d.out.is_empty() {
            self.stdout
                .write_all_or_exit(&d.out)
                .context("writing to standard output")?;
        }
        let base = self.line_base;
        for r in d.rejects.drain(..) {
            self.rejects
                .push(Reject {
                    file: name.to_string(),
                    line: base + r.rel_line,
                    reason: r.reason,
                    record: r.head,
                })
                .context("writing the rejects file")?;
        }
        if d.idle {
            self.rejects.flush().context("writing the rejects file")?;
        }
        self.line_base += d.lines;
        self.totals.lines += d.lines;
        self.totals.events += d.events;
        self.totals.rejected = self.rejects.total();
        for (m, n) in d.modules {
            *self.totals.by_module.entry(m).or_default() += n;
        }
        Ok((d.out, d.spent.take()))
    }
}
