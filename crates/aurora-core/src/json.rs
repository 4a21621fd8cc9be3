//! Low-level JSON text writing: string escaping and number formatting into a
//! byte buffer.
//!
//! Every event aurora writes is assembled from JSON fragments; these helpers
//! produce them without allocating. Escaping is the hot loop of `event.original`
//! (the whole raw record is one JSON string), so clean runs are found eight
//! bytes at a time and copied in bulk.

/// `ESCAPE[b]` is 0 when byte `b` may appear verbatim inside a JSON string,
/// otherwise the character that follows the backslash (`u` for `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// True if any byte of the word is `"`, `\\` or a control character (< 0x20).
#[inline(always)]
fn word_needs_escape(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let quote = w ^ (LO * b'"' as u64);
    let bslash = w ^ (LO * b'\\' as u64);
    // A byte is zero in `x` iff it matched; the classic haszero trick finds it.
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    // Control characters: bytes below 0x20, i.e. (b - 0x20) borrows.
    let ctrl = w.wrapping_sub(LO * 0x20) & !w & HI;
    (has_zero(quote) | has_zero(bslash) | ctrl) != 0
}

/// Appends `s` as the *contents* of a JSON string (no surrounding quotes).
///
/// Bytes >= 0x80 are copied as they are: callers pass valid UTF-8.
#[inline]
pub fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    out.reserve(s.len() + 2);
    if s.len() <= BLOCK && !block_needs_escape(s) {
        out.extend_from_slice(s);
        return;
    }
    escape_blocks(out, s);
}

/// Input bytes escaped per step of [`escape_blocks`].
const BLOCK: usize = 64;

#[inline(always)]
fn block_needs_escape(block: &[u8]) -> bool {
    let mut words = block.chunks_exact(8);
    let mut any = false;
    for w in &mut words {
        any |= word_needs_escape(u64::from_le_bytes(w.try_into().unwrap()));
    }
    any || words.remainder().iter().any(|&b| ESCAPE[b as usize] != 0)
}

/// The long or dirty case. A clean block is copied whole; a block with
/// specials is escaped into a stack buffer and copied once. On JSON text
/// (`event.original`), where a quote comes every few bytes, that beats a
/// copy per clean run by about two to one.
fn escape_blocks(out: &mut Vec<u8>, s: &[u8]) {
    // Worst case: every byte a control character, six bytes each.
    let mut buf = [0u8; BLOCK * 6];
    for block in s.chunks(BLOCK) {
        if !block_needs_escape(block) {
            out.extend_from_slice(block);
            continue;
        }
        let mut k = 0;
        for &b in block {
            let e = ESCAPE[b as usize];
            if e == 0 {
                buf[k] = b;
                k += 1;
            } else if e != b'u' {
                buf[k] = b'\\';
                buf[k + 1] = e;
                k += 2;
            } else {
                buf[k..k + 6].copy_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 15) as usize],
                ]);
                k += 6;
            }
        }
        out.extend_from_slice(&buf[..k]);
    }
}

/// Appends `s` as a quoted JSON string.
#[inline]
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape_into(out, s.as_bytes());
    out.push(b'"');
}

/// Appends a quoted JSON string from bytes that may not be UTF-8: invalid
/// sequences become U+FFFD so the output stays valid JSON.
pub fn write_str_lossy(out: &mut Vec<u8>, s: &[u8]) {
    match std::str::from_utf8(s) {
        Ok(s) => write_str(out, s),
        Err(_) => write_str(out, &String::from_utf8_lossy(s)),
    }
}

#[inline]
pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(v).as_bytes());
}

#[inline]
pub fn write_u64(out: &mut Vec<u8>, v: u64) {
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(v).as_bytes());
}

/// Appends a float; JSON has no NaN or infinity, so those become `null`.
#[inline]
pub fn write_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            write_i64(out, v as i64);
        } else {
            let mut b = ryu::Buffer::new();
            out.extend_from_slice(b.format_finite(v).as_bytes());
        }
    } else {
        out.extend_from_slice(b"null");
    }
}

/// Appends a JSON array of strings.
pub fn write_str_array<'a, I: IntoIterator<Item = &'a str>>(out: &mut Vec<u8>, items: I) {
    out.push(b'[');
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, s);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut v = Vec::new();
        write_str(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escapes_round_trip_through_serde() {
        let cases = [
            "",
            "plain ascii text longer than eight bytes",
            "quote\" and backslash\\ here",
            "ctrl \u{1}\u{1f} tab\t nl\n cr\r",
            "unicode é ü 日本 🚀 and \"quotes\" after",
            "{\"timestamp\":\"2023-09-18T06:13:41.532140+0000\",\"x\":\"a\\\\b\"}",
            "\u{7f}\u{0}",
        ];
        for c in cases {
            let json = esc(c);
            let back: String = serde_json::from_str(&json).unwrap();
            assert_eq!(back, c, "case {c:?} -> {json}");
        }
    }

    #[test]
    fn every_single_byte_position_is_escaped() {
        // The word-at-a-time scan must not miss a special byte in any lane.
        for pos in 0..20 {
            for special in ['"', '\\', '\n', '\u{1}'] {
                let mut s: String = "abcdefghijklmnopqrst".into();
                s.replace_range(pos..pos + 1, &special.to_string());
                let back: String = serde_json::from_str(&esc(&s)).unwrap();
                assert_eq!(back, s);
            }
        }
    }

    #[test]
    fn escapes_across_block_boundaries() {
        // Long input goes through the 64-byte block path: specials on and
        // around each block edge, and a control character (six bytes out).
        for pos in [0, 7, 8, 62, 63, 64, 65, 127, 128, 150] {
            for special in ['"', '\\', '\u{1}', 'é'] {
                let mut s: String = "x".repeat(151);
                s.replace_range(pos..pos + 1, &special.to_string());
                let back: String = serde_json::from_str(&esc(&s)).unwrap();
                assert_eq!(back, s, "{special:?} at {pos}");
            }
        }
        let dense = "\u{1}".repeat(200);
        let back: String = serde_json::from_str(&esc(&dense)).unwrap();
        assert_eq!(back, dense);
    }

    #[test]
    fn floats() {
        let mut v = Vec::new();
        write_f64(&mut v, 1.5);
        v.push(b' ');
        write_f64(&mut v, 3.0);
        v.push(b' ');
        write_f64(&mut v, f64::NAN);
        assert_eq!(v, b"1.5 3 null");
    }
}
