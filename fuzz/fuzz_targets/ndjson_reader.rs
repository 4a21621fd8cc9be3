//! The chunked line reader: whatever the bytes and however reads split them,
//! every line comes out once, whole or rejected as too long, in order.
#![no_main]
use aurora_core::ndjson::{Chunk, ChunkReader, lines};
use libfuzzer_sys::fuzz_target;
use std::io::Read;

struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&knobs, data)) = input.split_first() else { return };
    let max = 8 + (knobs as usize & 0x3f);
    let step = 1 + (knobs as usize >> 6) * 7;
    let mut r = ChunkReader::new(Trickle { data, step }, max, 16).live(knobs & 1 == 1);
    let mut out = Vec::new();
    let mut got: Vec<Option<Vec<u8>>> = Vec::new();
    while let Some(c) = r.next_chunk(&mut out).unwrap() {
        match c {
            Chunk::Lines => got.extend(lines(&out).map(|l| Some(l.to_vec()))),
            Chunk::TooLong { .. } => got.push(None),
        }
    }
    // The same split done the simple way.
    let mut want: Vec<Option<Vec<u8>>> = Vec::new();
    if !data.is_empty() {
        let body = data.strip_suffix(b"\n").unwrap_or(data);
        for l in body.split(|&b| b == b'\n') {
            let stripped = l.strip_suffix(b"\r").unwrap_or(l);
            want.push(if l.len() > max { None } else { Some(stripped.to_vec()) });
        }
    }
    assert_eq!(got, want);
});
