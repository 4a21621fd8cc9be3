//! Reading NDJSON input: files (`.gz` by magic bytes) or stdin, line by line with a
//! maximum line length (longer lines are rejected, not buffered), CRLF tolerated, and
//! the reject record format shared by the aurora tools.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

/// Default longest accepted line: generous for EVE records with big payloads.
pub const DEFAULT_MAX_LINE: usize = 16 * 1024 * 1024;

/// One rejected input line, as written to `--rejects` (NDJSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    pub line: u64,
    pub reason: String,
    /// The first 1024 bytes of the line, lossy UTF-8.
    pub record: String,
}

impl Reject {
    pub fn new(file: &str, line: u64, reason: impl Into<String>, raw: &[u8]) -> Self {
        let cut = &raw[..raw.len().min(1024)];
        Reject { file: file.to_string(), line, reason: reason.into(), record: String::from_utf8_lossy(cut).into_owned() }
    }

    pub fn to_json(&self) -> String {
        serde_json::json!({"file": self.file, "line": self.line, "reason": self.reason, "record": self.record})
            .to_string()
    }
}

/// Opens `-` (stdin) or a file, decompressing gzip transparently.
pub fn open(name: &str) -> io::Result<Box<dyn BufRead + Send>> {
    if name == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 20, io::stdin())));
    }
    let mut f = File::open(name)?;
    if f.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory"));
    }
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(0))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        let gz = flate2::read::MultiGzDecoder::new(BufReader::new(f));
        return Ok(Box::new(BufReader::with_capacity(1 << 20, gz)));
    }
    Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
}

/// Outcome of reading one line.
pub enum Line {
    /// The line (without `\n` / `\r\n`) is in the buffer.
    Ok,
    /// The line was longer than the limit; the buffer holds its first `max` bytes.
    TooLong(usize),
    Eof,
}

/// Reads the next line into `buf` (cleared first), never holding more than `max` bytes.
pub fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        let room = max.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        total += take;
        r.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if total > max {
        return Ok(Line::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_crlf_and_limits() {
        let data = b"a\r\nbbbbbbbbbb\n\nc";
        let mut r: &[u8] = data;
        let mut buf = Vec::new();
        assert!(matches!(read_line(&mut r, &mut buf, 5).unwrap(), Line::Ok));
        assert_eq!(buf, b"a");
        assert!(matches!(read_line(&mut r, &mut buf, 5).unwrap(), Line::TooLong(10)));
        assert!(matches!(read_line(&mut r, &mut buf, 5).unwrap(), Line::Ok));
        assert_eq!(buf, b"");
        assert!(matches!(read_line(&mut r, &mut buf, 5).unwrap(), Line::Ok));
        assert_eq!(buf, b"c");
        assert!(matches!(read_line(&mut r, &mut buf, 5).unwrap(), Line::Eof));
    }

    #[test]
    fn reject_json() {
        let r = Reject::new("-", 3, "bad", &[b'x'; 2000]);
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(v["record"].as_str().unwrap().len(), 1024);
        assert_eq!(v["line"], 3);
    }
}
