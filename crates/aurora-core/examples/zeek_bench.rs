use aurora_core::{Normalizer, Options};
use std::sync::Arc;
fn main() {
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).unwrap();
        let mut n = Normalizer::new(Arc::new(Options::default()));
        n.start_input(&path, None);
        let mut out = Vec::with_capacity(1 << 20);
        let t = std::time::Instant::now();
        let (mut ev, mut rej) = (0u64, 0u64);
        let mut outbytes = 0usize;
        for line in data.split(|&b| b == b'\n') {
            match n.line(line, &mut out) {
                Ok(aurora_core::Outcome::Event) => ev += 1,
                Ok(_) => {}
                Err(_) => rej += 1,
            }
            if out.len() > 1 << 20 {
                outbytes += out.len();
                out.clear();
            }
        }
        outbytes += out.len();
        let s = t.elapsed().as_secs_f64();
        println!(
            "{path}: {ev} events {rej} rejects {:.0} ev/s {:.0} MB/s in, {:.0} MB out",
            ev as f64 / s,
            data.len() as f64 / s / 1e6,
            outbytes as f64 / 1e6
        );
    }
}
