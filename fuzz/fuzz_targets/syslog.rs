//! Arbitrary bytes through the syslog parser forced with `--format syslog`:
//! header parsing (PRI, RFC 5424, RFC 3164 and its deviations), structured
//! data and every message extractor. Each line must become one event that
//! meets the event invariants (valid JSON, RFC 3339 UTC stamp, aurora.id…)
//! or a reject with a reason.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut n = aurora_fuzz::normalizer(aurora_core::Format::Syslog);
    aurora_fuzz::check_lines(&mut n, data);
    // The same bytes as one line, so long headers are not cut at newlines.
    let one: Vec<u8> = data
        .iter()
        .map(|&b| if b == b'\n' { b' ' } else { b })
        .collect();
    let mut out = Vec::new();
    if let Ok(aurora_core::Outcome::Event) = n.line(&one, &mut out)
        && let Err(e) = aurora_core::invariants::check_event_line_from(&out, &one)
    {
        panic!("{e}: {}", String::from_utf8_lossy(&out));
    }
});
