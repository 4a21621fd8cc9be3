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
    /// Log type guessed from the input's file name (Zeek JSON without `_path`).
    log_hint: Option<String>,
}

impl Normalizer {
    pub fn new(opts: Arc<Options>) -> Self {
        Self {
            opts,
            buffers: Buffers::new(4096),
            tape: Some(Tape::null().reset()),
            scratch: Vec::with_capacity(4096),
            ev: Event::new(),
            tsv: zeek_tsv::HeaderState::default(),
            log_hint: None,
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
    pub fn start_input(&mut self, name: &str, tsv_header: Option<Arc<zeek_tsv::Header>>) {
        self.tsv = zeek_tsv::HeaderState::new(tsv_header);
        self.log_hint = source::zeek::log_type_from_file_name(name).map(str::to_string);
    }

    /// Normalizes one line (without its newline), appending the event and a
    /// newline to `out`.
    pub fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<Outcome, RecordError> {
        let first = line.iter().position(|b| !b.is_ascii_whitespace());
        let Some(first) = first else {
            return Ok(Outcome::Skipped);
        };
        let fmt = self.opts.format;
        match line[first] {
            b'#' if matches!(fmt, Format::Auto | Format::ZeekTsv) => {
                let text = std::str::from_utf8(line).map_err(utf8_error)?;
                self.tsv.observe(text);
                return Ok(Outcome::Skipped);
            }
            b'{' | b'[' if fmt != Format::ZeekTsv => return self.json_line(line, out, 0),
            _ => {}
        }
        if let Some(h) = self.tsv.current().cloned()
            && matches!(fmt, Format::Auto | Format::ZeekTsv)
        {
            let text = std::str::from_utf8(line).map_err(utf8_error)?;
            self.ev.clear();
            zeek_tsv::normalize_row(&h, text, self.log_hint.as_deref(), &mut self.ev)?;
            self.finish(line, out);
            return Ok(Outcome::Event);
        }
        Err(match fmt {
            Format::ZeekTsv => "Zeek TSV row before any #fields header".into(),
            Format::Auto => {
                if std::str::from_utf8(line).is_err() {
                    utf8_error(std::str::from_utf8(line).unwrap_err())
                } else {
                    "not a JSON object, and no Zeek TSV header seen".into()
                }
            }
            _ => "not a JSON object".into(),
        })
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
                Ok(_) => json_error(e),
            }),
            Ok(()) => {
                let root = tape.as_value();
                if !root.is_object() {
                    Err(RecordError::new(format!(
                        "JSON {} where an object was expected",
                        type_word(root)
                    )))
                } else {
                    self.ev.clear();
                    dispatch_json(
                        root,
                        self.opts.format,
                        self.log_hint.as_deref(),
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
    fmt: Format,
    log_hint: Option<&str>,
    ev: &mut Event,
) -> Result<Dispatch, RecordError> {
    let obj = root.as_object().expect("checked by caller");
    match fmt {
        Format::Suricata => return source::suricata::normalize(root, ev).map(|_| Dispatch::Done),
        Format::ZeekJson => {
            return source::zeek_json::normalize(root, log_hint, ev).map(|_| Dispatch::Done);
        }
        _ => {}
    }
    let mut zeekish = false;
    for (k, _) in obj.iter() {
        match k {
            "event_type" => return source::suricata::normalize(root, ev).map(|_| Dispatch::Done),
            "_path" | "uid" | "id.orig_h" | "id.resp_h" | "_write_ts" => zeekish = true,
            _ => {}
        }
    }
    if zeekish || (obj.get("ts").is_some() && log_hint.is_some()) {
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
    Err("JSON record of no known source (not Suricata EVE, not Zeek)".into())
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

fn json_error(e: simd_json::Error) -> RecordError {
    RecordError::new(format!("invalid JSON: {e}"))
}

fn utf8_error(e: std::str::Utf8Error) -> RecordError {
    RecordError::new(format!("invalid UTF-8 at byte {}", e.valid_up_to()))
}
