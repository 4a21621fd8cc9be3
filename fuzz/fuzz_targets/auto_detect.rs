//! Arbitrary lines through format detection and whichever parser it picks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut n = aurora_fuzz::normalizer(aurora_core::Format::Auto);
    aurora_fuzz::check_lines(&mut n, data);
});
