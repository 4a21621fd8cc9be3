//! Measures the normalizer alone on Suricata EVE: the lines of
//! `testdata/suricata/**` repeated to about 200 MB in memory, normalized on
//! one thread, MB/s printed. No I/O is timed.
//!
//!     cargo run --release -p aurora-core --example norm_bench [MB] [--no-original]
//!     cargo run --release -p aurora-core --example norm_bench -- 200 --file eve.json
//!     cargo run -p aurora-core --example norm_bench -- --print FILE   # show the events

use aurora_core::{Format, Normalizer, Options};
use std::sync::Arc;
use std::time::Instant;

fn eve_lines(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            eve_lines(&p, out);
        } else if !p.to_string_lossy().ends_with("expected.json") {
            let text = std::fs::read(&p).unwrap_or_default();
            out.extend(
                text.split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        }
    }
}

/// CPU seconds this thread has used (user + system), from procfs; None
/// where there is none. The machine may be shared, so wall time alone
/// would understate the normalizer.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep_original = !args.iter().any(|a| a == "--no-original");
    let opts = Arc::new(Options {
        format: Format::Suricata,
        keep_original,
        ..Options::default()
    });
    let mut norm = Normalizer::new(opts);
    let mut out = Vec::new();

    if let Some(i) = args.iter().position(|a| a == "--print") {
        let file = args.get(i + 1).expect("--print FILE");
        let text = std::fs::read(file).expect("readable file");
        for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            out.clear();
            match norm.line(line, &mut out) {
                Ok(_) => print!("{}", String::from_utf8_lossy(&out)),
                Err(e) => println!("REJECT: {e}"),
            }
        }
        return;
    }

    let mb: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/suricata"
    ));
    let mut lines = Vec::new();
    match args.iter().position(|a| a == "--file") {
        // Any EVE file instead of the fixtures (e.g. gen-events output).
        Some(i) => {
            let text = std::fs::read(args.get(i + 1).expect("--file FILE")).expect("readable file");
            lines.extend(
                text.split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        }
        None => eve_lines(dir, &mut lines),
    }
    assert!(!lines.is_empty(), "no EVE fixtures under {}", dir.display());
    let mut input = Vec::new();
    let mut n = 0usize;
    while input.len() < mb << 20 {
        for l in &lines {
            input.push(l.as_slice());
            n += l.len() + 1;
        }
        if n >= mb << 20 {
            break;
        }
    }
    let events = input.len();
    let cpu0 = thread_cpu_secs();
    let start = Instant::now();
    let mut written = 0usize;
    for l in &input {
        out.clear();
        norm.line(l, &mut out).expect("fixture lines normalize");
        written += out.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{events} events, {:.1} MB in, {:.1} MB out, {secs:.2} s: {:.0} MB/s, {:.0} k events/s (event.original {})",
        n as f64 / 1e6,
        written as f64 / 1e6,
        n as f64 / 1e6 / secs,
        events as f64 / 1e3 / secs,
        if keep_original { "kept" } else { "dropped" }
    );
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_secs()) {
        let cpu = (b - a).max(0.01);
        println!(
            "on CPU {cpu:.2} s: {:.0} MB/s per core",
            n as f64 / 1e6 / cpu
        );
    }
}
