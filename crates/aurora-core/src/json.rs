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

/// Appends `s` as the *contents* of a JSON string (no surrounding quotes).
///
/// Bytes >= 0x80 are copied as they are: callers pass valid UTF-8.
#[inline]
pub fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::escape_into(out, s)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        escape_scalar(out, s)
    }
}

/// True if no byte of `s` needs escaping, checked eight bytes at a time.
#[inline]
fn is_clean(s: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    #[inline(always)]
    fn has_zero(x: u64) -> u64 {
        x.wrapping_sub(LO) & !x & HI
    }
    #[inline(always)]
    fn dirty(w: u64) -> bool {
        // A zero byte after XOR marks a quote or backslash; a byte below
        // 0x20 borrows when 0x20 is subtracted.
        (has_zero(w ^ (LO * b'"' as u64))
            | has_zero(w ^ (LO * b'\\' as u64))
            | (w.wrapping_sub(LO * 0x20) & !w & HI))
            != 0
    }
    let n = s.len();
    let word = |i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap());
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if dirty(word(i)) {
                return false;
            }
            i += 8;
        }
        // The tail, as the last eight bytes (overlapping what was checked).
        return i == n || !dirty(word(n - 8));
    }
    if n >= 4 {
        let half = |i: usize| u32::from_le_bytes(s[i..i + 4].try_into().unwrap()) as u64;
        return !dirty(half(0) | half(n - 4) << 32);
    }
    s.iter().all(|&b| ESCAPE[b as usize] == 0)
}

/// The portable escaper, also used for the tail the SIMD loop leaves.
#[inline]
fn escape_scalar(out: &mut Vec<u8>, s: &[u8]) {
    // Most short strings (keys, protocol names, addresses) need nothing:
    // find that out a word at a time, then copy once.
    if is_clean(s) {
        out.extend_from_slice(s);
        return;
    }
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e != 0 {
            out.extend_from_slice(&s[start..i]);
            push_escape(out, b, e);
            start = i + 1;
        }
    }
    out.extend_from_slice(&s[start..]);
}

/// Escaping sixteen bytes at a time without a branch per special byte.
///
/// JSON text (the usual input, for `event.original`) has a quote every dozen
/// bytes, so a loop that stops at each one is slow. Instead each half-block
/// of eight bytes is expanded in one shuffle: a table indexed by the 8-bit
/// mask of quotes and backslashes moves each byte to its output slot and
/// leaves a gap before each special one, which a second table fills with a
/// backslash. Control characters (rare: JSON cannot carry them raw inside
/// strings) send their block to the scalar path.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::escape_scalar;
    use std::arch::x86_64::*;

    /// `SHUF[m]`: pshufb indices expanding 8 bytes whose specials are the set
    /// bits of `m`; 0x80 (zero) where a backslash goes. `BSL[m]`: those
    /// backslashes.
    static SHUF: [[u8; 16]; 256] = tables().0;
    static BSL: [[u8; 16]; 256] = tables().1;

    const fn tables() -> ([[u8; 16]; 256], [[u8; 16]; 256]) {
        let mut shuf = [[0x80u8; 16]; 256];
        let mut bsl = [[0u8; 16]; 256];
        let mut m = 0;
        while m < 256 {
            let mut j = 0;
            let mut b = 0;
            while b < 8 {
                if m & (1 << b) != 0 {
                    bsl[m][j] = b'\\';
                    j += 1;
                }
                shuf[m][j] = b as u8;
                j += 1;
                b += 1;
            }
            m += 1;
        }
        (shuf, bsl)
    }

    pub fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
        if s.len() < 16 || !std::arch::is_x86_feature_detected!("ssse3") {
            out.reserve(s.len() + 16);
            return escape_scalar(out, s);
        }
        // SAFETY: the feature was checked just above.
        unsafe { escape_ssse3(out, s) }
    }

    #[target_feature(enable = "ssse3")]
    unsafe fn escape_ssse3(out: &mut Vec<u8>, s: &[u8]) {
        let n = s.len();
        let mut i = 0;
        // Each block of 16 input bytes writes at most 32 bytes past the
        // cursor (two 16-byte stores, the second at most 16 further on) and
        // advances it by at most 32, so 2 * remaining + 32 spare bytes keep
        // every store inside the allocation.
        out.reserve(2 * n + 32);
        let mut len = out.len();
        // SAFETY: loads read s[i..i + 16] only while i + 16 <= n; stores stay
        // within the capacity reserved (see above, and re-reserved after the
        // scalar path); set_len covers only bytes written.
        unsafe {
            let mut base = out.as_mut_ptr();
            let quote = _mm_set1_epi8(b'"' as i8);
            let bslash = _mm_set1_epi8(b'\\' as i8);
            let ctrl_max = _mm_set1_epi8(0x1f);
            while i + 16 <= n {
                let v = _mm_loadu_si128(s.as_ptr().add(i) as *const __m128i);
                let ctrl = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, ctrl_max), ctrl_max));
                if ctrl != 0 {
                    out.set_len(len);
                    escape_scalar(out, &s[i..i + 16]);
                    i += 16;
                    out.reserve(2 * (n - i) + 32);
                    base = out.as_mut_ptr();
                    len = out.len();
                    continue;
                }
                let special = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash));
                let m = _mm_movemask_epi8(special) as u32;
                if m == 0 {
                    // Nothing to escape (a time, a long name): one store.
                    _mm_storeu_si128(base.add(len) as *mut __m128i, v);
                    len += 16;
                    i += 16;
                    continue;
                }
                let (lo, hi) = ((m & 0xff) as usize, (m >> 8) as usize);
                let a = _mm_or_si128(
                    _mm_shuffle_epi8(v, _mm_loadu_si128(SHUF[lo].as_ptr() as *const __m128i)),
                    _mm_loadu_si128(BSL[lo].as_ptr() as *const __m128i),
                );
                _mm_storeu_si128(base.add(len) as *mut __m128i, a);
                len += 8 + lo.count_ones() as usize;
                let vh = _mm_srli_si128(v, 8);
                let b = _mm_or_si128(
                    _mm_shuffle_epi8(vh, _mm_loadu_si128(SHUF[hi].as_ptr() as *const __m128i)),
                    _mm_loadu_si128(BSL[hi].as_ptr() as *const __m128i),
                );
                _mm_storeu_si128(base.add(len) as *mut __m128i, b);
                len += 8 + hi.count_ones() as usize;
                i += 16;
            }
            out.set_len(len);
        }
        escape_scalar(out, &s[i..]);
    }
}

#[inline]
fn push_escape(out: &mut Vec<u8>, b: u8, e: u8) {
    if e == b'u' {
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(b >> 4) as usize],
            HEX[(b & 15) as usize],
        ]);
    } else {
        out.extend_from_slice(&[b'\\', e]);
    }
}

/// Appends `s` as a quoted JSON string.
#[inline]
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    // Keys and most values are short and need no escaping: one capacity
    // check and a few word moves instead of the general path.
    if b.len() <= 32 && is_clean(b) {
        out.reserve(b.len() + 2);
        // SAFETY: capacity for len + 2 bytes was reserved just above.
        unsafe {
            let p = out.as_mut_ptr().add(out.len());
            *p = b'"';
            copy_small(p.add(1), b);
            *p.add(b.len() + 1) = b'"';
            out.set_len(out.len() + b.len() + 2);
        }
        return;
    }
    out.push(b'"');
    escape_into(out, b);
    out.push(b'"');
}

/// Appends `,"k":` (without the comma unless `comma`): an object key and
/// its separators with one capacity check in the usual case.
#[inline(always)]
pub fn write_key(out: &mut Vec<u8>, comma: bool, k: &str) {
    let b = k.as_bytes();
    if b.len() <= 32 && is_clean(b) {
        out.reserve(b.len() + 4);
        // SAFETY: capacity for len + 4 bytes was reserved just above; the
        // comma slot is overwritten by the quote when no comma is wanted.
        unsafe {
            let mut p = out.as_mut_ptr().add(out.len());
            *p = b',';
            p = p.add(comma as usize);
            *p = b'"';
            copy_small(p.add(1), b);
            *p.add(b.len() + 1) = b'"';
            *p.add(b.len() + 2) = b':';
            out.set_len(out.len() + comma as usize + b.len() + 3);
        }
        return;
    }
    if comma {
        out.push(b',');
    }
    write_str(out, k);
    out.push(b':');
}

/// Copies `src` (up to 32 bytes, or any length through memcpy) to `dst`
/// with overlapping word moves: short copies are most of what an event
/// writer does, and a call to memcpy costs more than the copy.
///
/// # Safety
/// `dst` must be valid for `src.len()` bytes and not overlap `src`.
#[inline(always)]
pub(crate) unsafe fn copy_small(dst: *mut u8, src: &[u8]) {
    use std::ptr::{read_unaligned as rd, write_unaligned as wr};
    let n = src.len();
    let s = src.as_ptr();
    // SAFETY: each read stays within src (the pairs read [0, k) and
    // [n - k, n) with k <= n); each write within dst[..n].
    unsafe {
        if n > 32 {
            std::ptr::copy_nonoverlapping(s, dst, n);
        } else if n >= 16 {
            wr(dst as *mut u128, rd(s as *const u128));
            wr(
                dst.add(n - 16) as *mut u128,
                rd(s.add(n - 16) as *const u128),
            );
        } else if n >= 8 {
            wr(dst as *mut u64, rd(s as *const u64));
            wr(dst.add(n - 8) as *mut u64, rd(s.add(n - 8) as *const u64));
        } else if n >= 4 {
            wr(dst as *mut u32, rd(s as *const u32));
            wr(dst.add(n - 4) as *mut u32, rd(s.add(n - 4) as *const u32));
        } else {
            for i in 0..n {
                *dst.add(i) = *s.add(i);
            }
        }
    }
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
    fn keys_with_and_without_comma() {
        let long = "k".repeat(40);
        for k in [
            "",
            "a",
            "abcd",
            "src_ip",
            "tcp_flags_ts",
            "q\"uote",
            "ctl\u{1}",
            &long,
        ] {
            for comma in [false, true] {
                let mut v = b"{\"x\":1".to_vec();
                if !comma {
                    v.truncate(1);
                }
                write_key(&mut v, comma, k);
                v.extend_from_slice(b"2}");
                let want = if comma {
                    format!("{{\"x\":1,{}:2}}", esc(k))
                } else {
                    format!("{{{}:2}}", esc(k))
                };
                assert_eq!(String::from_utf8(v).unwrap(), want, "{k:?} {comma}");
            }
        }
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
    fn simd_and_scalar_escapers_agree() {
        // Pseudo-random strings mixing specials, UTF-8 and plain runs, of
        // every length around the 16-byte block size.
        let alphabet: Vec<&[u8]> = vec![
            b"a",
            b"\"",
            b"\\",
            b"\x01",
            b"\x1f",
            b" ",
            b"\xc3\xa9",
            b"\xf0\x9f\x9a\x80",
            b"\x7f",
            b"{",
            b"0123456789",
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200 {
            let mut s = Vec::new();
            while s.len() < len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.extend_from_slice(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let mut fast = b"prefix".to_vec();
            escape_into(&mut fast, &s);
            let mut slow = b"prefix".to_vec();
            escape_scalar(&mut slow, &s);
            assert_eq!(fast, slow, "len {len}");
            let text = String::from_utf8(s).unwrap();
            let back: String =
                serde_json::from_slice(&[b"\"", &slow[6..], b"\""].concat()).unwrap();
            assert_eq!(back, text);
        }
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
