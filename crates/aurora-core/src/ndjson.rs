//! Reading line-oriented input in large chunks of whole lines.
//!
//! Every aurora tool reads lines (NDJSON, syslog, Zeek TSV). [`ChunkReader`]
//! reads big blocks, hands out runs of complete lines, never holds more than
//! one line beyond the limit in memory, and turns a line longer than the
//! limit into a [`Chunk::TooLong`] instead of truncating it. It also notices
//! when the input goes quiet (a short read from a pipe), which is the cue for
//! a streaming tool to flush its output so `tail -F | aurora-norm` stays live.

use std::io::{self, Read};

/// Default longest accepted line: 1 MiB. Real records are far shorter; a
/// longer one is corruption or an attack, and is rejected, not truncated.
pub const DEFAULT_MAX_LINE: usize = 1 << 20;

/// How much of a rejected line is kept for the rejects stream.
pub const REJECT_HEAD: usize = 1024;

/// What the reader hands out.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk {
    /// One or more complete lines, each ending in `\n`, placed in the
    /// caller's buffer.
    Lines,
    /// A single line over the limit: its length and first bytes.
    TooLong { len: u64, head: Vec<u8> },
}

/// Reads `inner` into chunks of whole lines.
pub struct ChunkReader<R> {
    inner: R,
    /// Data, then bytes initialized but free (its length grows on demand up
    /// to `size`; reads need initialized space).
    buf: Vec<u8>,
    /// Bytes of `buf` holding data.
    filled: usize,
    /// How far `buf` may grow.
    size: usize,
    max_line: usize,
    target: usize,
    eof: bool,
    /// The last read returned less than asked: the writer is idle for now.
    short: bool,
    /// Treat short reads as "input is idle" (pipes, terminals, sockets).
    live: bool,
}

impl<R: Read> ChunkReader<R> {
    /// `target` is the chunk size to aim for when input is plentiful.
    pub fn new(inner: R, max_line: usize, target: usize) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            filled: 0,
            size: max_line + target + 1,
            max_line,
            target,
            eof: false,
            short: false,
            live: false,
        }
    }

    /// Marks the input as a live stream: chunks are handed out as soon as a
    /// read comes back short, rather than when `target` bytes are buffered.
    pub fn live(mut self, live: bool) -> Self {
        self.live = live;
        self
    }

    /// True when the chunk just returned was cut because input went idle.
    pub fn idle(&self) -> bool {
        self.live && self.short
    }

    /// Fills `out` with the next run of whole lines, or returns a too-long
    /// line (`out` then empty), or `None` at end of input (`out` empty).
    ///
    /// The lines are handed out without a copy: `out` receives the reader's
    /// own buffer, and the reader goes on in the allocation `out` had. Hand
    /// back a spent chunk, as it was, for that: its initialized length is
    /// reused rather than zeroed again.
    pub fn next_chunk(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Chunk>> {
        let r = self.next_inner(out);
        if !matches!(r, Ok(Some(Chunk::Lines))) {
            out.clear();
        }
        r
    }

    fn next_inner(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Chunk>> {
        loop {
            let ready = self.eof || self.filled >= self.target || (self.live && self.short);
            if ready && self.filled > 0 {
                if let Some(nl) = memchr::memrchr(b'\n', &self.buf[..self.filled]) {
                    return Ok(Some(self.hand_out(out, nl + 1)));
                }
                if self.eof {
                    // Last line without a newline.
                    let n = self.filled;
                    return Ok(Some(self.hand_out(out, n)));
                }
            }
            if self.eof {
                return Ok(None);
            }
            if self.filled > self.max_line
                && memchr::memchr(b'\n', &self.buf[..self.filled]).is_none()
            {
                return self.skip_long_line().map(Some);
            }
            if self.filled == self.size {
                // Full of partial lines below the limit: only possible when
                // target is reached, handled above; grow defensively.
                self.size *= 2;
            }
            // Read about a chunk at a time, not the whole buffer: a chunk
            // and what it turns into then stay in the CPU's caches.
            let want = (self.size - self.filled).min(self.target.max(1 << 16));
            if self.buf.len() < self.filled + want {
                self.buf.resize(self.filled + want, 0);
            }
            let n = read_retry(
                &mut self.inner,
                &mut self.buf[self.filled..self.filled + want],
            )?;
            self.short = n < want;
            if n == 0 {
                self.eof = true;
            }
            self.filled += n;
        }
    }

    /// Hands out `buf[..upto]` (whole lines, the last one possibly without
    /// its newline at end of input), unless a line in it is over the limit:
    /// then only the lines before it, or that line as `TooLong` when it
    /// comes first.
    fn hand_out(&mut self, out: &mut Vec<u8>, upto: usize) -> Chunk {
        let mut start = 0;
        let mut long = None;
        // No line can be longer than the whole run (the usual case once
        // reads are chunk-sized): nothing to look for.
        let lines = if upto <= self.max_line {
            &self.buf[..0]
        } else {
            &self.buf[..upto]
        };
        for nl in memchr::memchr_iter(b'\n', lines) {
            if nl - start > self.max_line {
                long = Some((start, nl + 1, nl - start));
                break;
            }
            start = nl + 1;
        }
        if long.is_none() && start < upto && upto - start > self.max_line {
            long = Some((start, upto, upto - start));
        }
        match long {
            None => {
                self.emit(out, upto);
                if out.last() != Some(&b'\n') {
                    out.push(b'\n');
                }
                Chunk::Lines
            }
            Some((s, _, _)) if s > 0 => {
                self.emit(out, s);
                Chunk::Lines
            }
            Some((_, end, len)) => {
                let head = self.buf[..REJECT_HEAD.min(len)].to_vec();
                self.buf.copy_within(end..self.filled, 0);
                self.filled -= end;
                Chunk::TooLong {
                    len: len as u64,
                    head,
                }
            }
        }
    }

    /// Hands out `buf[..upto]` by swapping buffers: the partial line after
    /// it moves to the start of the spare buffer `out` had.
    fn emit(&mut self, out: &mut Vec<u8>, upto: usize) {
        let mut next = std::mem::take(out);
        let tail = self.filled - upto;
        if next.len() < tail {
            next.resize(tail, 0);
        }
        next[..tail].copy_from_slice(&self.buf[upto..self.filled]);
        self.buf.truncate(upto);
        *out = std::mem::replace(&mut self.buf, next);
        self.filled = tail;
    }

    /// The buffer holds the start of a line longer than the limit: keep its
    /// head, then read and discard up to the end of that line.
    fn skip_long_line(&mut self) -> io::Result<Chunk> {
        let head = self.buf[..REJECT_HEAD.min(self.filled)].to_vec();
        let mut len = self.filled as u64;
        self.filled = 0;
        loop {
            let n = read_retry(&mut self.inner, &mut self.buf)?;
            if n == 0 {
                self.eof = true;
                return Ok(Chunk::TooLong { len, head });
            }
            if let Some(nl) = memchr::memchr(b'\n', &self.buf[..n]) {
                len += nl as u64;
                self.buf.copy_within(nl + 1..n, 0);
                self.filled = n - nl - 1;
                return Ok(Chunk::TooLong { len, head });
            }
            len += n as u64;
        }
    }
}

fn read_retry<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Iterates the lines of a chunk: `(line without "\n" or "\r\n")`.
pub fn lines(chunk: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = chunk;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that returns at most `step` bytes per call, like a pipe.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn collect(data: &[u8], max: usize, target: usize, step: usize) -> Vec<Result<String, u64>> {
        let mut r = ChunkReader::new(Trickle { data, step }, max, target).live(true);
        let mut out = Vec::new();
        let mut got = Vec::new();
        while let Some(c) = r.next_chunk(&mut out).unwrap() {
            match c {
                Chunk::Lines => {
                    assert_eq!(out.last(), Some(&b'\n'));
                    for l in lines(&out) {
                        got.push(Ok(String::from_utf8(l.to_vec()).unwrap()));
                    }
                }
                Chunk::TooLong { len, head } => {
                    assert!(head.len() <= REJECT_HEAD);
                    got.push(Err(len));
                }
            }
        }
        got
    }

    #[test]
    fn splits_lines_across_reads_and_strips_crlf() {
        let data = b"one\r\ntwo\nthree\nlast-without-newline";
        for step in [1, 2, 3, 7, 64] {
            for target in [1, 4, 16, 1024] {
                let got = collect(data, 100, target, step);
                let want: Vec<Result<String, u64>> =
                    ["one", "two", "three", "last-without-newline"]
                        .iter()
                        .map(|s| Ok(s.to_string()))
                        .collect();
                assert_eq!(got, want, "step {step} target {target}");
            }
        }
    }

    #[test]
    fn long_lines_are_rejected_whole_and_reading_goes_on() {
        let mut data = b"ok1\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 5000));
        data.extend_from_slice(b"\nok2\n");
        data.extend(std::iter::repeat_n(b'y', 3000));
        for step in [13, 100, 10_000] {
            let got = collect(&data, 1000, 256, step);
            assert_eq!(
                got,
                vec![Ok("ok1".into()), Err(5000), Ok("ok2".into()), Err(3000)],
                "step {step}"
            );
        }
    }

    #[test]
    fn long_lines_inside_one_read_are_caught_too() {
        let data = b"short\naaaaaaaaaaaa\nb\ncccccccccccc";
        let got = collect(data, 8, 16, 1000);
        assert_eq!(
            got,
            vec![Ok("short".into()), Err(12), Ok("b".into()), Err(12)]
        );
    }

    #[test]
    fn spare_buffers_with_stale_bytes_never_leak_into_chunks() {
        let mut data = Vec::new();
        for i in 0..2000 {
            data.extend_from_slice(format!("line number {i}\n").as_bytes());
        }
        for (target, step) in [(64, 7), (100, 1000), (4096, 333)] {
            let mut r = ChunkReader::new(Trickle { data: &data, step }, 50, target);
            let mut got = Vec::new();
            // Each spare handed in is full of junk, of varying lengths.
            let mut spare = vec![b'#'; 3];
            loop {
                let mut out = std::mem::take(&mut spare);
                match r.next_chunk(&mut out).unwrap() {
                    Some(Chunk::Lines) => {
                        got.extend_from_slice(&out);
                        out.iter_mut().for_each(|b| *b = b'#');
                        let grow = out.len() + 17;
                        out.resize(grow, b'#');
                        spare = out;
                    }
                    Some(Chunk::TooLong { .. }) => panic!("no long lines here"),
                    None => {
                        assert!(out.is_empty());
                        break;
                    }
                }
            }
            assert_eq!(got, data, "target {target} step {step}");
        }
    }

    #[test]
    fn a_line_exactly_at_the_limit_is_kept() {
        let mut data = vec![b'a'; 100];
        data.push(b'\n');
        let got = collect(&data, 100, 64, 7);
        assert_eq!(got, vec![Ok("a".repeat(100))]);
    }
}
