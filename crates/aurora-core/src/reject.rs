//! Records that could not be normalized, and the rejects stream they go to.
//!
//! A bad record never stops a run and is never dropped silently: it becomes
//! one NDJSON line naming the input, the line number and the reason, and the
//! tool prints a summary on stderr at the end.

use crate::json;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Why a record was rejected. Parsers return this; the caller adds where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RecordError(pub String);

impl RecordError {
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl From<String> for RecordError {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for RecordError {
    fn from(s: &str) -> Self {
        Self(s.to_string())
    }
}

/// One rejected record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The input's display name (`-` for stdin).
    pub file: String,
    /// 1-based line number within that input.
    pub line: u64,
    pub reason: String,
    /// The start of the record (at most [`crate::ndjson::REJECT_HEAD`] bytes).
    pub record: Vec<u8>,
}

impl Reject {
    /// The rejects-stream line: `{"file":…,"line":…,"reason":…,"record":…}`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"file\":");
        json::write_str_lossy(out, self.file.as_bytes());
        out.extend_from_slice(b",\"line\":");
        json::write_u64(out, self.line);
        out.extend_from_slice(b",\"reason\":");
        json::write_str(out, &self.reason);
        out.extend_from_slice(b",\"record\":");
        let head = &self.record[..self.record.len().min(crate::ndjson::REJECT_HEAD)];
        json::write_str_lossy(out, head);
        out.extend_from_slice(b"}\n");
    }
}

/// Counts rejects per input and writes them to an optional rejects stream.
pub struct RejectSink {
    out: Option<Box<dyn Write + Send>>,
    per_file: BTreeMap<String, u64>,
    /// The first few, kept for the stderr summary when no stream is given.
    pub first: Vec<Reject>,
    total: u64,
    buf: Vec<u8>,
}

impl RejectSink {
    pub fn new(out: Option<Box<dyn Write + Send>>) -> Self {
        Self {
            out,
            per_file: BTreeMap::new(),
            first: Vec::new(),
            total: 0,
            buf: Vec::new(),
        }
    }

    pub fn push(&mut self, r: Reject) -> io::Result<()> {
        self.total += 1;
        *self.per_file.entry(r.file.clone()).or_default() += 1;
        if let Some(out) = self.out.as_mut() {
            self.buf.clear();
            r.write_json(&mut self.buf);
            out.write_all(&self.buf)?;
        }
        if self.first.len() < 5 {
            self.first.push(r);
        }
        Ok(())
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self.out.as_mut() {
            Some(o) => o.flush(),
            None => Ok(()),
        }
    }

    /// Human summary for stderr, e.g. `3 rejected (eve.json: 2, conn.log: 1)`,
    /// followed by the first rejects when no stream was given.
    pub fn summary(&self, has_stream: bool) -> String {
        let mut s = format!("{} rejected (", self.total);
        for (i, (f, n)) in self.per_file.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&format!("{f}: {n}"));
        }
        s.push(')');
        if !has_stream {
            for r in &self.first {
                s.push_str(&format!("\n  {}:{}: {}", r.file, r.line, r.reason));
            }
            if self.total > self.first.len() as u64 {
                s.push_str("\n  … use --rejects FILE to keep them all");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_line_is_valid_json_even_for_binary_records() {
        let r = Reject {
            file: "eve.json".into(),
            line: 7,
            reason: "invalid JSON".into(),
            record: vec![0xff, 0xfe, b'"', 0, b'{'],
        };
        let mut v = Vec::new();
        r.write_json(&mut v);
        let j: serde_json::Value = serde_json::from_slice(&v).unwrap();
        assert_eq!(j["file"], "eve.json");
        assert_eq!(j["line"], 7);
        assert_eq!(j["record"], "\u{fffd}\u{fffd}\"\u{0}{");
    }
}
