//! Turning raw lines into normalized events: format detection, the parse,
//! and the fields every event gets whatever its source (`aurora.id`,
//! `aurora.source`, `event.original`, a time).
//!
//! A [`Normalizer`] holds the per-thread buffers (simd-json's tape and
//! scratch, the event arena) so that steady-state normalization allocates
//! nothing.

use crate::event::Event;
use crate::fields::F;
use crate::reject::RecordError;
use crate::source::{self, zeek_tsv};
use crate::time;
use simd_json::prelude::*;
use simd_json::{Buffers, Tape};
use std::sync::Arc;

/// Which parser to use. `Auto` decides per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Suricata,
    ZeekJson,
    ZeekTsv,
    Wazuh,
    Syslog,
    Velociraptor,
    /// JSON through a mapping file (`--mapping`).
    Custom,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &[
        "auto",
        "suricata",
        "zeek-json",
        "zeek-tsv",
        "wazuh",
        "syslog",
        "velociraptor",
        "custom",
    ];

    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s {
            "auto" => Format::Auto,
            "suricata" | "eve" => Format::Suricata,
            "zeek-json" => Format::ZeekJson,
            "zeek-tsv" | "zeek" => Format::ZeekTsv,
            "wazuh" | "ossec" => Format::Wazuh,
            "syslog" => Format::Syslog,
            "velociraptor" => Format::Velociraptor,
            "custom" => Format::Custom,
            _ => return None,
        })
    }
}

/// Settings shared by every thread of a run.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// `aurora.source`; defaults to the event's module.
    pub source_name: Option<String>,
    /// Keep the raw record as `event.original`.
    pub keep_original: bool,
    /// The time used for events that carry none (`event.created`). Fixed per
    /// run so output is reproducible within it.
    pub now: time::Micros,
    pub syslog: source::syslog::Settings,
    pub velociraptor: source::velociraptor::Settings,
    pub mapping: Option<Arc<source::custom::Mapping>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            format: Format::Auto,
            source_name: None,
            keep_original: true,
            now: time::now_micros(),
            syslog: Default::default(),
            velociraptor: Default::default(),
            mapping: None,
        }
    }
}

/// What became of a line.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An event was appended to the output.
    Event,
    /// A header, comment or blank line: nothing to emit, nothing wrong.
    Skipped,
}

/// Per-thread normalization state.
pub struct Normalizer {
    opts: Arc<Options>,
    buffers: Buffers,
    tape: Option<Tape<'static>>,
    scratch: Vec<u8>,
    ev: Event,
    tsv: zeek_tsv::HeaderState,
    /// Column boundaries and parsed `#types`, reused across Zeek TSV rows.
    tsv_rows: zeek_tsv::RowScratch,
    /// Log type guessed from the input's file name (Zeek JSON without `_path`).
    log_hint: Option<String>,
    /// What a Velociraptor export's file name says (artifact, client, flow).
    velo_hint: Option<source::velociraptor::FileHint>,
    /// The `alerts.log` record being collected (records span lines).
    alerts_log: source::wazuh::AlertsLog,
    /// When the input was received, as far as can be told: year-less syslog
    /// stamps are dated from it (see [`Normalizer::start_input`]).
    received: time::Micros,
}

impl Normalizer {
    pub fn new(opts: Arc<Options>) -> Self {
        Self {
            received: opts.now,
            opts,
            buffers: Buffers::new(4096),
            tape: Some(Tape::null().reset()),
            scratch: Vec::with_capacity(4096),
            ev: Event::new(),
            tsv: zeek_tsv::HeaderState::default(),
            tsv_rows: zeek_tsv::RowScratch::default(),
            log_hint: None,
            velo_hint: None,
            alerts_log: Default::default(),
        }
    }

    /// The module of the last event produced (for per-source counts).
    pub fn last_module(&self) -> Option<&'static str> {
        self.ev.module()
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Starts a new input: forgets any Zeek header and takes the file name
    /// as a hint to the log type. `tsv_header` is the header in force at the
    /// point where reading starts (for chunks handed to worker threads).
    ///
    /// `written`: when the input was last written (a file's modification time;
    /// None for standard input and pipes, which the clock dates). RFC 3164
    /// stamps carry no year, and a log is received before its file is last
    /// written: dating them from that time rather than from the clock gets the
    /// year right for a file handed over long after, and makes normalizing the
    /// same file twice give the same times (and so the same events to the
    /// store). A time in the future (clock skew, a bad copy) counts as now.
    pub fn start_input(
        &mut self,
        name: &str,
        tsv_header: Option<Arc<zeek_tsv::Header>>,
        written: Option<time::Micros>,
    ) {
        self.received = written.map_or(self.opts.now, |w| w.min(self.opts.now));
        self.tsv = zeek_tsv::HeaderState::new(tsv_header);
        self.log_hint = source::zeek::log_type_from_file_name(name).map(str::to_string);
        self.velo_hint = source::velociraptor::FileHint::from_name(name);
        // Call end_input before: a record still open here is discarded.
        self.alerts_log = Default::default();
    }

    /// Ends an input (or a chunk of one): emits the multi-line record still
    /// being collected, if any (an `alerts.log` alert has no end marker).
    pub fn end_input(&mut self, out: &mut Vec<u8>) -> Result<Outcome, RecordError> {
        self.flush_alerts_log(out)
    }

    fn flush_alerts_log(&mut self, out: &mut Vec<u8>) -> Result<Outcome, RecordError> {
        if !self.alerts_log.is_open() {
            return Ok(Outcome::Skipped);
        }
        let rec = self.alerts_log.take();
        self.ev.clear();
        let r = match std::str::from_utf8(&rec) {
            Err(e) => Err(utf8_error(e)),
            Ok(text) => source::wazuh::text::normalize_alerts_log(text, &mut self.ev),
        };
        let r = r.map(|()| {
            self.finish(&rec, out);
            Outcome::Event
        });
        self.alerts_log.restore(rec);
        r
    }

    /// Normalizes one line (without its newline), appending the event and a
    /// newline to `out`.
    pub fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<Outcome, RecordError> {
        let fmt = self.opts.format;
        // Wazuh's alerts.log: a record runs from its `** Alert` header to the
        // next header or a blank line, so the previous one is emitted then.
        if matches!(fmt, Format::Auto | Format::Wazuh) {
            if source::wazuh::is_alerts_log_header(line) {
                let flushed = self.flush_alerts_log(out);
                self.alerts_log.start(line);
                return flushed;
            }
            if self.alerts_log.is_open() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    return self.flush_alerts_log(out);
                }
                if self.alerts_log.push(line) {
                    return Ok(Outcome::Skipped);
                }
                self.flush_alerts_log(out)?;
                return Err(
                    "line past the end of an alerts.log record of 64 KiB or 256 lines".into(),
                );
            }
        }
        let first = line.iter().position(|b| !b.is_ascii_whitespace());
        let Some(first) = first else {
            return Ok(Outcome::Skipped);
        };
        match line[first] {
            b'#' if matches!(fmt, Format::Auto | Format::ZeekTsv) => {
                let text = std::str::from_utf8(line).map_err(utf8_error)?;
                self.tsv.observe(text);
                return Ok(Outcome::Skipped);
            }
            b'{' if !matches!(fmt, Format::ZeekTsv | Format::Syslog) => {
                return self.json_line(line, out, 0);
            }
            // A JSON array (a Velociraptor row exported wrong, say): parse it
            // so the reject says what it is.
            b'[' if !matches!(fmt, Format::ZeekTsv | Format::Syslog)
                && self.tsv.current().is_none() =>
            {
                return self.json_line(line, out, 0);
            }
            _ => {}
        }
        if let Some(h) = self.tsv.current().cloned()
            && matches!(fmt, Format::Auto | Format::ZeekTsv)
        {
            let text = std::str::from_utf8(line).map_err(utf8_error)?;
            self.ev.clear();
            zeek_tsv::normalize_row(
                &h,
                text,
                self.log_hint.as_deref(),
                &mut self.tsv_rows,
                &mut self.ev,
            )?;
            self.finish(line, out);
            return Ok(Outcome::Event);
        }
        // Wazuh alerts also arrive as syslog lines tagged `ossec`.
        if matches!(fmt, Format::Auto | Format::Syslog | Format::Wazuh) {
            return self.syslog_line(line, out).map_err(|e| {
                if fmt == Format::Auto && e.0 == source::syslog::NO_HEADER {
                    RecordError::new(
                        "not a JSON object, no Zeek TSV header seen, and not syslog \
                         (no <PRI> or timestamp at the start)",
                    )
                } else {
                    e
                }
            });
        }
        Err(match fmt {
            Format::ZeekTsv => "Zeek TSV row before any #fields header".into(),
            Format::Auto => {
                if std::str::from_utf8(line).is_err() {
                    utf8_error(std::str::from_utf8(line).unwrap_err())
                } else {
                    "not a JSON object, no Zeek TSV header seen, and not syslog (no <PRI> or timestamp at the start)".into()
                }
            }
            _ => "not a JSON object".into(),
        })
    }

    /// Text that is neither JSON nor a Zeek TSV row: syslog, or a reject
    /// saying why not.
    fn syslog_line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<Outcome, RecordError> {
        let text = std::str::from_utf8(line).map_err(utf8_error)?;
        self.ev.clear();
        source::syslog::normalize(text, &self.opts.syslog, self.received, &mut self.ev)?;
        self.finish(line, out);
        Ok(Outcome::Event)
    }

    fn json_line(
        &mut self,
        line: &[u8],
        out: &mut Vec<u8>,
        depth: u8,
    ) -> Result<Outcome, RecordError> {
        self.scratch.clear();
        self.scratch.extend_from_slice(line);
        self.scratch
            .resize(line.len() + simd_json::INPUT_PADDING, 0);
        let mut tape = self.tape.take().unwrap_or_else(Tape::null).reset();
        let parsed = simd_json::fill_tape_padded(
            &mut self.scratch,
            line.len(),
            &mut self.buffers,
            &mut tape,
        );
        let result = match parsed {
            Err(e) => Err(match std::str::from_utf8(line) {
                Err(u) => utf8_error(u),
                Ok(_) => json_error(e, line),
            }),
            Ok(()) => {
                let root = tape.as_value();
                if !root.is_object() {
                    let velociraptor = self.opts.format == Format::Velociraptor
                        || self.velo_hint.is_some()
                        || self.opts.velociraptor.artifact.is_some();
                    Err(RecordError::new(if velociraptor {
                        format!(
                            "Velociraptor row is a JSON {}, not an object (rows are objects)",
                            type_word(root)
                        )
                    } else {
                        format!("JSON {} where an object was expected", type_word(root))
                    }))
                } else {
                    self.ev.clear();
                    dispatch_json(
                        root,
                        &self.opts,
                        self.log_hint.as_deref(),
                        self.velo_hint.as_ref(),
                        &mut self.ev,
                    )
                }
            }
        };
        self.tape = Some(tape.reset());
        match result {
            Ok(Dispatch::Done) => {
                self.finish(line, out);
                Ok(Outcome::Event)
            }
            Ok(Dispatch::Unwrap(inner)) if depth == 0 => self.json_line(&inner, out, 1),
            Ok(Dispatch::Unwrap(_)) => Err("nested search-export wrapper".into()),
            Err(e) => Err(e),
        }
    }

    /// Adds what every event carries, then serializes it.
    fn finish(&mut self, line: &[u8], out: &mut Vec<u8>) {
        let ev = &mut self.ev;
        let source = match &self.opts.source_name {
            Some(s) => s.as_str(),
            None => ev.module().unwrap_or("unknown"),
        };
        ev.str(F::AuroraSource, source);
        let h = xxhash_rust::xxh3::xxh3_128_with_seed(line, seed_of(source));
        ev.with(F::AuroraId, |b| {
            let mut hex = [b'"'; 34];
            for (i, byte) in h.to_be_bytes().iter().enumerate() {
                hex[1 + 2 * i..3 + 2 * i].copy_from_slice(&HEX_PAIRS[*byte as usize]);
            }
            b.extend_from_slice(&hex);
        });
        if !ev.has_timestamp() {
            ev.time(F::Timestamp, self.opts.now);
            ev.time(F::EventCreated, self.opts.now);
            ev.warn("the record has no usable time: @timestamp is when aurora read it");
        }
        if self.opts.keep_original {
            // The line is valid UTF-8 here: JSON was validated by the parser,
            // text by the TSV path.
            ev.set_original_deferred();
        }
        ev.write_json_with_original(out, line);
        out.push(b'\n');
    }
}

/// Each byte as two lowercase hex digits.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [HEX[i >> 4], HEX[i & 15]];
        i += 1;
    }
    t
};

fn seed_of(source: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(source.as_bytes())
}

enum Dispatch {
    Done,
    /// The record wraps another one (a search export's `_raw`): normalize that.
    Unwrap(Vec<u8>),
}

fn dispatch_json(
    root: source::tape::Value<'_, '_>,
    opts: &Options,
    log_hint: Option<&str>,
    velo_hint: Option<&source::velociraptor::FileHint>,
    ev: &mut Event,
) -> Result<Dispatch, RecordError> {
    let obj = root.as_object().expect("checked by caller");
    let fmt = opts.format;
    let velociraptor = |ev: &mut Event| {
        source::velociraptor::normalize(root, &opts.velociraptor, velo_hint, ev)
            .map(|_| Dispatch::Done)
    };
    match fmt {
        Format::Suricata => return source::suricata::normalize(root, ev).map(|_| Dispatch::Done),
        Format::ZeekJson => {
            return source::zeek_json::normalize(root, log_hint, ev).map(|_| Dispatch::Done);
        }
        Format::Wazuh => return source::wazuh::normalize(root, ev).map(|_| Dispatch::Done),
        Format::Velociraptor => return velociraptor(ev),
        _ => {}
    }
    // A mapping file claims every JSON line; so does --artifact.
    if let Some(m) = opts.mapping.as_deref() {
        return source::custom::normalize(root, m, ev).map(|_| Dispatch::Done);
    }
    if fmt == Format::Custom {
        return Err("--format custom needs a mapping file (--mapping)".into());
    }
    if opts.velociraptor.artifact.is_some() {
        return velociraptor(ev);
    }
    let mut zeekish = false;
    let (mut rule, mut wazuh_key, mut velo_key) = (false, false, false);
    for (k, _) in obj.iter() {
        match k {
            "event_type" => return source::suricata::normalize(root, ev).map(|_| Dispatch::Done),
            "_path" | "uid" | "id.orig_h" | "id.resp_h" | "_write_ts" => zeekish = true,
            "rule" => rule = true,
            "_Source" | "ClientId" | "FlowId" | "HuntId" | "Fqdn" | "_ts" => velo_key = true,
            k if source::wazuh::is_alert_key(k) => wazuh_key = true,
            _ => {}
        }
    }
    if rule && wazuh_key {
        return source::wazuh::normalize(root, ev).map(|_| Dispatch::Done);
    }
    if zeekish {
        return source::zeek_json::normalize(root, log_hint, ev).map(|_| Dispatch::Done);
    }
    if velo_key || velo_hint.is_some() {
        return velociraptor(ev);
    }
    if obj.get("ts").is_some() && log_hint.is_some() {
        return source::zeek_json::normalize(root, log_hint, ev).map(|_| Dispatch::Done);
    }
    // Splunk search exports wrap the raw record: {"result":{"_raw":"…"}}.
    if let Some(raw) = root
        .get("result")
        .and_then(|r| r.get("_raw"))
        .and_then(|r| r.into_string())
    {
        return Ok(Dispatch::Unwrap(raw.as_bytes().to_vec()));
    }
    Err(
        "JSON record of no known source (not Suricata EVE, Zeek, Wazuh or Velociraptor; \
         use --mapping for other JSON logs)"
            .into(),
    )
}

fn type_word(v: source::tape::Value<'_, '_>) -> &'static str {
    if v.is_array() {
        "array"
    } else if v.as_str().is_some() {
        "string"
    } else if v.is_null() {
        "null"
    } else {
        "scalar"
    }
}

fn json_error(e: simd_json::Error, line: &[u8]) -> RecordError {
    // simd-json often places the error at the first byte; say what is most
    // likely wrong when the record plainly stops short.
    let last = line.iter().rev().find(|b| !b.is_ascii_whitespace());
    let first = line.iter().find(|b| !b.is_ascii_whitespace());
    let closes = matches!(
        (first, last),
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
    );
    if closes {
        RecordError::new(format!("invalid JSON: {e}"))
    } else {
        RecordError::new(format!(
            "invalid JSON: the record is cut off or unterminated ({} bytes, no closing bracket; {e})",
            line.len()
        ))
    }
}

fn utf8_error(e: std::str::Utf8Error) -> RecordError {
    RecordError::new(format!("invalid UTF-8 at byte {}", e.valid_up_to()))
}
