//! Timestamps: parsing the forms sensors write and formatting RFC 3339 UTC
//! with microseconds, aurora's one time format.
//!
//! Calendar arithmetic is done by hand (days from civil date) rather than
//! through a date library because it runs once or twice per event on the hot
//! path and the formats are fixed.

/// Microseconds since the Unix epoch.
pub type Micros = i64;

pub const MICROS_PER_SEC: i64 = 1_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Epoch microseconds of a UTC civil time, or None if a field is out of range.
pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, us: u32) -> Option<Micros> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h as i64 * 3600 + mi as i64 * 60 + s as i64;
    Some(secs * MICROS_PER_SEC + us as i64)
}

/// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn write_rfc3339_micros(out: &mut Vec<u8>, micros: Micros) {
    thread_local! {
        /// The last day formatted, and its `YYYY-MM-DD`: events come in
        /// time order, so the civil-date arithmetic is nearly always skipped.
        static DAY: std::cell::Cell<(i64, [u8; 10])> =
            const { std::cell::Cell::new((i64::MIN, [0; 10])) };
    }
    let secs = micros.div_euclid(MICROS_PER_SEC);
    let us = micros.rem_euclid(MICROS_PER_SEC) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    let (cached, mut date) = DAY.get();
    if cached != days {
        let (y, m, d) = civil_from_days(days);
        let y = y.clamp(0, 9999) as u32;
        put2(&mut date[0..2], y / 100);
        put2(&mut date[2..4], y % 100);
        date[4] = b'-';
        put2(&mut date[5..7], m);
        date[7] = b'-';
        put2(&mut date[8..10], d);
        DAY.set((days, date));
    }
    let mut b = [0u8; 29];
    b[0] = b'"';
    b[1..11].copy_from_slice(&date);
    b[11] = b'T';
    put2(&mut b[12..14], sod / 3600);
    b[14] = b':';
    put2(&mut b[15..17], sod / 60 % 60);
    b[17] = b':';
    put2(&mut b[18..20], sod % 60);
    b[20] = b'.';
    put2(&mut b[21..23], us / 10_000);
    put2(&mut b[23..25], us / 100 % 100);
    put2(&mut b[25..27], us % 100);
    b[27] = b'Z';
    b[28] = b'"';
    out.extend_from_slice(&b);
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` as a String.
pub fn format_rfc3339_micros(micros: Micros) -> String {
    let mut v = Vec::with_capacity(29);
    write_rfc3339_micros(&mut v, micros);
    String::from_utf8(v[1..v.len() - 1].to_vec()).unwrap()
}

/// `"00" "01" … "99"`, for writing two digits with one load.
static PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// Two digits of `v` (below 100).
#[inline]
fn put2(b: &mut [u8], v: u32) {
    b[..2].copy_from_slice(&PAIRS[(v % 100) as usize]);
}

#[inline]
fn digits(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    if s.is_empty() {
        return None;
    }
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// The result of parsing an ISO 8601 / RFC 3339 style stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// Epoch micros of the wall-clock time read as if it were UTC.
    pub local: Micros,
    /// Offset east of UTC in seconds, if the stamp had one.
    pub offset: Option<i32>,
}

impl Parsed {
    /// The instant, reading a zone-less stamp as `default_offset`.
    pub fn utc(self, default_offset: i32) -> Micros {
        self.local - self.offset.unwrap_or(default_offset) as i64 * MICROS_PER_SEC
    }
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|±HH:MM|±HHMM|±HH]`.
///
/// Suricata writes `+0000` with no colon; Zeek's ISO mode writes `Z`;
/// syslog RFC 5424 writes `+02:00`. Fractions beyond microseconds are
/// truncated.
pub fn parse_iso8601(s: &str) -> Option<Parsed> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ' || b[10] == b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let y = digits(&b[0..4])? as i64;
    let mo = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    let h = digits(&b[11..13])?;
    let mi = digits(&b[14..16])?;
    let sec = digits(&b[17..19])?;
    let mut i = 19;
    let mut us = 0u32;
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &b[fs..i];
        if frac.is_empty() {
            return None;
        }
        for k in 0..6 {
            us = us * 10 + frac.get(k).map_or(0, |c| (c - b'0') as u32);
        }
    }
    let offset = match &b[i..] {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hh, mm) = match rest {
                [a, b2] => (digits(&[*a, *b2])?, 0),
                [a, b2, b':', c, d2] => (digits(&[*a, *b2])?, digits(&[*c, *d2])?),
                [a, b2, c, d2] => (digits(&[*a, *b2])?, digits(&[*c, *d2])?),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            let off = (hh * 3600 + mm * 60) as i32;
            Some(if *sign == b'-' { -off } else { off })
        }
        _ => return None,
    };
    let local = from_civil(y, mo, d, h, mi, sec, us)?;
    Some(Parsed { local, offset })
}

/// Parses epoch seconds written as a decimal (`1331901000.000000`, `1600000000`)
/// exactly, without going through a float.
pub fn parse_epoch_secs(s: &str) -> Option<Micros> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 12 {
        return None;
    }
    // Not `digits`: its u32 overflows past nine digits.
    if !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let mut us = 0i64;
    if !frac.is_empty() && !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    for k in 0..6 {
        us = us * 10 + frac.as_bytes().get(k).map_or(0, |c| (c - b'0') as i64);
    }
    let v = secs * MICROS_PER_SEC + us;
    Some(if neg { -v } else { v })
}

/// Epoch seconds as a float (Zeek JSON's default) to micros, rounded to the
/// nearest microsecond.
pub fn from_epoch_f64(v: f64) -> Option<Micros> {
    if !v.is_finite() || v.abs() > 1e13 {
        return None;
    }
    Some((v * 1e6).round() as i64)
}

/// Now, from the system clock.
pub fn now_micros() -> Micros {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    d.as_micros() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_across_days_and_back() {
        // The per-day cache must follow the day, forwards and backwards.
        let cases = [
            (0, "1970-01-01T00:00:00.000000Z"),
            (86_399_999_999, "1970-01-01T23:59:59.999999Z"),
            (86_400_000_000, "1970-01-02T00:00:00.000000Z"),
            (1_764_547_200_011_703, "2025-12-01T00:00:00.011703Z"),
            (1_764_547_199_000_001, "2025-11-30T23:59:59.000001Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (951_782_400_123_456, "2000-02-29T00:00:00.123456Z"),
            (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
        ];
        for _ in 0..2 {
            for (t, want) in cases {
                assert_eq!(format_rfc3339_micros(t), want, "{t}");
            }
        }
    }

    fn iso(s: &str) -> Option<String> {
        parse_iso8601(s).map(|p| format_rfc3339_micros(p.utc(0)))
    }

    #[test]
    fn iso_forms_sensors_write() {
        let cases = [
            (
                "suricata +0000",
                "2023-09-18T06:13:41.532140+0000",
                Some("2023-09-18T06:13:41.532140Z"),
            ),
            (
                "suricata -0400",
                "2015-10-22T08:54:38.000000-0400",
                Some("2015-10-22T12:54:38.000000Z"),
            ),
            (
                "zeek iso Z",
                "2018-03-24T17:15:20.600843Z",
                Some("2018-03-24T17:15:20.600843Z"),
            ),
            (
                "rfc5424 colon offset",
                "2023-11-14T22:05:19.123+02:00",
                Some("2023-11-14T20:05:19.123000Z"),
            ),
            (
                "no fraction",
                "2020-02-29T23:59:59Z",
                Some("2020-02-29T23:59:59.000000Z"),
            ),
            (
                "nanoseconds truncated",
                "2020-01-01T00:00:00.123456789Z",
                Some("2020-01-01T00:00:00.123456Z"),
            ),
            (
                "space separator",
                "2020-01-01 10:00:00+01",
                Some("2020-01-01T09:00:00.000000Z"),
            ),
            ("day past month end", "2021-02-29T00:00:00Z", None),
            ("garbage", "XXXXXXXXXX.XXXXXX", None),
            ("bad offset", "2020-01-01T00:00:00+2500", None),
            ("trailing junk", "2020-01-01T00:00:00Zjunk", None),
        ];
        for (name, input, want) in cases {
            assert_eq!(iso(input).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn zone_less_stamp_uses_default_offset() {
        let p = parse_iso8601("2020-01-01T12:00:00").unwrap();
        assert_eq!(p.offset, None);
        assert_eq!(
            format_rfc3339_micros(p.utc(3600)),
            "2020-01-01T11:00:00.000000Z"
        );
    }

    #[test]
    fn epoch_strings_are_exact() {
        assert_eq!(
            parse_epoch_secs("1331901000.000000"),
            Some(1_331_901_000_000_000)
        );
        assert_eq!(
            parse_epoch_secs("1521911720.600843"),
            Some(1_521_911_720_600_843)
        );
        assert_eq!(
            parse_epoch_secs("1521911720.6"),
            Some(1_521_911_720_600_000)
        );
        assert_eq!(parse_epoch_secs("XXXXXXXXXX.XXXXXX"), None);
        assert_eq!(
            parse_epoch_secs("999999999999.5"),
            Some(999_999_999_999_500_000)
        );
        assert_eq!(parse_epoch_secs("+5"), None);
        assert_eq!(
            parse_epoch_secs("11517336042.090842"),
            Some(11_517_336_042_090_842)
        );
        assert_eq!(parse_epoch_secs(""), None);
        assert_eq!(
            format_rfc3339_micros(1_521_911_720_600_843),
            "2018-03-24T17:15:20.600843Z"
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
