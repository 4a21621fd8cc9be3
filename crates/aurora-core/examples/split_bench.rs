use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let data = std::fs::read(&path).unwrap();
    let data = &data[..data.len().min(128 << 20)]; let data = &data[..data.iter().rposition(|&b| b == b'\n').unwrap()];
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let mb = data.len() as f64 / 1e6;
    // 1: copy + tape parse only
    let mut buffers = simd_json::Buffers::new(4096);
    let mut scratch = Vec::new();
    let t = Instant::now();
    let mut tape = simd_json::Tape::null().reset();
    for l in &lines {
        scratch.clear(); scratch.extend_from_slice(l); scratch.resize(l.len() + simd_json::INPUT_PADDING, 0);
        let n = l.len();
        let mut tp = std::mem::replace(&mut tape, simd_json::Tape::null().reset()).reset();
        let r = simd_json::fill_tape_padded(&mut scratch, n, &mut buffers, &mut tp);
        if r.is_err() { eprintln!("{:?} {}", r, String::from_utf8_lossy(l)); break; }
        tape = tp.reset();
    }
    let dt = t.elapsed().as_secs_f64();
    println!("parse only: {:.0} MB/s", mb / dt);
    // 2: full normalize
    for keep in [true, false] {
        let mut n = aurora_core::Normalizer::new(std::sync::Arc::new(aurora_core::Options { keep_original: keep, ..Default::default() }));
        let mut out = Vec::with_capacity(1 << 20);
        let t = Instant::now();
        for l in &lines { out.clear(); n.line(l, &mut out).unwrap(); }
        println!("normalize keep_original={keep}: {:.0} MB/s", mb / t.elapsed().as_secs_f64());
    }
    // 3: escape only
    let mut out = Vec::with_capacity(1 << 20);
    let t = Instant::now();
    for l in &lines { out.clear(); aurora_core::json::escape_into(&mut out, l); }
    println!("escape only: {:.0} MB/s", mb / t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut h = 0u128;
    for l in &lines { h ^= xxhash_rust::xxh3::xxh3_128(l); }
    println!("xxh3 only: {:.0} MB/s {h}", mb / t.elapsed().as_secs_f64());
}
