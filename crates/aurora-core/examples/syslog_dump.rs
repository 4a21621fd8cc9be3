use aurora_core::source::syslog::Settings;
use aurora_core::{Normalizer, Options};
use std::io::{BufRead, Write};
use std::sync::Arc;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut opts = Options {
        keep_original: false,
        ..Options::default()
    };
    if let Some(tz) = args.get(1) {
        opts.syslog = Settings {
            year: None,
            tz: Some(Settings::parse_tz(tz).unwrap()),
        };
    }
    let mut n = Normalizer::new(Arc::new(opts));
    let mut out = Vec::new();
    let stdin = std::io::stdin();
    for (i, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.unwrap();
        out.clear();
        match n.line(&line, &mut out) {
            Ok(_) => std::io::stdout().write_all(&out).unwrap(),
            Err(e) => println!("REJECT {}: {}", i + 1, e),
        }
    }
}
