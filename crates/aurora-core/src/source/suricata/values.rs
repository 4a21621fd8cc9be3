//! Reading EVE's scalar values: timestamps (with a fast path for the
//! `+0000` stamps most sensors write), IP addresses, transports and ports,
//! with precise reasons for the ones that cannot be read.

use super::out;
use crate::community_id;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::time::{self, Micros};
use simd_json::prelude::*;
use std::net::IpAddr;

/// `s.parse::<IpAddr>().ok()`, with a quick path for the usual dotted
/// quad: four decimal octets without leading zeros. Anything else (IPv6,
/// odd spellings) goes to the standard parser, which decides.
pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    let b = s.as_bytes();
    if (7..=15).contains(&b.len()) {
        let mut octets = [0u8; 4];
        let mut n = 0;
        let mut i = 0;
        let ok = loop {
            let start = i;
            let mut v = 0u32;
            while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
                v = v * 10 + (b[i] - b'0') as u32;
                i += 1;
            }
            let len = i - start;
            if len == 0 || v > 255 || (len > 1 && b[start] == b'0') {
                break false;
            }
            octets[n] = v as u8;
            n += 1;
            if n == 4 {
                break i == b.len();
            }
            if i >= b.len() || b[i] != b'.' {
                break false;
            }
            i += 1;
        };
        if ok {
            return Some(IpAddr::from(octets));
        }
    }
    s.parse().ok()
}

/// Sets network.transport from `proto` and returns the IANA number.
pub(super) fn transport(ev: &mut Event, p: Value<'_, '_>) -> Option<u8> {
    if let Some(s) = p.into_string() {
        if s.is_empty() {
            return None;
        }
        ev.with(F::NetworkTransport, |b| out::write_lower(b, s));
        return proto_number(s);
    }
    // Some forwarders turn the name into its number.
    let n = tape::u64_of(p).and_then(|n| u8::try_from(n).ok())?;
    let name = match n {
        community_id::TCP => "tcp",
        community_id::UDP => "udp",
        community_id::ICMP => "icmp",
        community_id::ICMP6 => "ipv6-icmp",
        community_id::SCTP => "sctp",
        _ => {
            ev.with(F::NetworkTransport, |b| {
                b.push(b'"');
                json::write_u64(b, n as u64);
                b.push(b'"');
            });
            return Some(n);
        }
    };
    ev.str(F::NetworkTransport, name);
    Some(n)
}

/// IANA protocol number of a transport as Suricata names it, without the
/// allocation of lowercasing.
pub(super) fn proto_number(s: &str) -> Option<u8> {
    const NAMES: &[(&str, u8)] = &[
        ("tcp", community_id::TCP),
        ("udp", community_id::UDP),
        ("icmp", community_id::ICMP),
        ("ipv6-icmp", community_id::ICMP6),
        ("icmpv6", community_id::ICMP6),
        ("sctp", community_id::SCTP),
        ("gre", 47),
        ("esp", 50),
        ("ah", 51),
        ("igmp", 2),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|&(_, p)| p)
        .or_else(|| s.parse().ok())
}

/// `vlan` is an array of ids (outermost first); ECS has one.
pub(super) fn first_vlan(v: Value<'_, '_>) -> Option<u64> {
    match v.as_array() {
        Some(a) => a.iter().next().and_then(tape::u64_of),
        None => tape::u64_of(v),
    }
}

/// EVE timestamps: `2023-09-18T06:13:41.532140+0000`. UTC stamps (the usual
/// case on sensors) are read by a straight-line path; others go through the
/// general parser.
pub(super) fn parse_eve_time(s: &str) -> Option<Micros> {
    thread_local! {
        /// The last UTC date read (`YYYY-MM-DD`) and its midnight: a record
        /// has up to three stamps, nearly always of one day.
        static DAY: std::cell::Cell<([u8; 10], Micros)> =
            const { std::cell::Cell::new(([0; 10], 0)) };
    }
    let b = s.as_bytes();
    if b.len() == 31
        && &b[26..] == b"+0000"
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
    {
        let (date, midnight) = DAY.get();
        if b[..10] == date {
            // The date was checked when cached; the time of day as
            // from_civil checks it.
            let (h, mi, sec, us) = (
                num(&b[11..13])?,
                num(&b[14..16])?,
                num(&b[17..19])?,
                num(&b[20..26])?,
            );
            if h > 23 || mi > 59 || sec > 60 {
                return None;
            }
            let secs = h as i64 * 3600 + mi as i64 * 60 + sec as i64;
            return Some(midnight + secs * 1_000_000 + us as i64);
        }
        let t = time::from_civil(
            num(&b[0..4])? as i64,
            num(&b[5..7])?,
            num(&b[8..10])?,
            num(&b[11..13])?,
            num(&b[14..16])?,
            num(&b[17..19])?,
            num(&b[20..26])?,
        )?;
        if let Some(midnight) = time::from_civil(
            num(&b[0..4])? as i64,
            num(&b[5..7])?,
            num(&b[8..10])?,
            0,
            0,
            0,
            0,
        ) {
            DAY.set((b[..10].try_into().unwrap_or([0; 10]), midnight));
        }
        return Some(t);
    }
    time::parse_iso8601(s).map(|p| p.utc(0))
}

#[inline]
pub(super) fn num(d: &[u8]) -> Option<u32> {
    d.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
    })
}

/// Lowercases short ASCII into `buf`; anything else comes back unchanged.
pub(super) fn ascii_lower<'a>(s: &'a str, buf: &'a mut [u8; 32]) -> &'a str {
    if !s.bytes().any(|c| c.is_ascii_uppercase()) || s.len() > buf.len() || !s.is_ascii() {
        return s;
    }
    let out = &mut buf[..s.len()];
    out.copy_from_slice(s.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or(s)
}

pub(super) fn want_str<'i>(key: &str, v: Value<'_, 'i>) -> Result<&'i str, RecordError> {
    v.into_string()
        .ok_or_else(|| RecordError::new(format!("{key} is {}, expected a string", describe(v))))
}

pub(super) fn port(key: &str, v: Value<'_, '_>) -> Result<u16, RecordError> {
    tape::u64_of(v)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| {
            RecordError::new(format!(
                "{key} is {}, expected a port number (0-65535)",
                describe(v)
            ))
        })
}

/// A short description of a value for messages: `the string "eighty"`,
/// `the number 42`, `an object`.
pub(crate) fn describe(v: Value<'_, '_>) -> String {
    if let Some(s) = v.into_string() {
        let mut end = s.len().min(40);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let more = if end < s.len() { "…" } else { "" };
        format!("the string {:?}{more}", &s[..end])
    } else if v.is_object() {
        "an object".into()
    } else if v.is_array() {
        "an array".into()
    } else if let Some(b) = v.as_bool() {
        format!("the boolean {b}")
    } else if tape::is_null(v) {
        "null".into()
    } else {
        let mut t = Vec::new();
        out::write_clean(&mut t, v);
        format!("the number {}", String::from_utf8_lossy(&t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eve_times() {
        let f = |s: &str| parse_eve_time(s).map(time::format_rfc3339_micros);
        let cases = [
            (
                "utc fast path",
                "2023-09-18T06:13:41.532140+0000",
                Some("2023-09-18T06:13:41.532140Z"),
            ),
            (
                "negative offset",
                "2018-07-05T15:01:09.820360-0400",
                Some("2018-07-05T19:01:09.820360Z"),
            ),
            (
                "before the epoch",
                "1969-12-31T16:04:21.000000-0800",
                Some("1970-01-01T00:04:21.000000Z"),
            ),
            (
                "utc shape, bad digits",
                "2023-09-18T06:13:41.5321x0+0000",
                None,
            ),
            (
                "utc shape, bad month",
                "2023-13-18T06:13:41.532140+0000",
                None,
            ),
            (
                "colon offset",
                "2021-01-27T01:28:11.488362+01:00",
                Some("2021-01-27T00:28:11.488362Z"),
            ),
            ("garbage", "yesterday", None),
        ];
        for (name, input, want) in cases {
            assert_eq!(f(input).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn eve_times_through_the_day_cache() {
        let f = |s: &str| parse_eve_time(s).map(time::format_rfc3339_micros);
        // Same day twice (the second from the cache), a bad time on a cached
        // day, another day, and back.
        let cases = [
            (
                "2024-02-29T23:59:59.999999+0000",
                Some("2024-02-29T23:59:59.999999Z"),
            ),
            (
                "2024-02-29T00:00:00.000001+0000",
                Some("2024-02-29T00:00:00.000001Z"),
            ),
            ("2024-02-29T24:00:00.000000+0000", None),
            ("2024-02-29T12:60:00.000000+0000", None),
            ("2024-02-29T12:00:61.000000+0000", None),
            (
                "2024-02-29T12:00:60.000000+0000",
                Some("2024-02-29T12:01:00.000000Z"),
            ),
            ("2024-02-29T1x:00:00.000000+0000", None),
            ("2023-02-29T01:00:00.000000+0000", None),
            (
                "2023-02-28T01:00:00.000000+0000",
                Some("2023-02-28T01:00:00.000000Z"),
            ),
            (
                "2024-02-29T01:02:03.000004+0000",
                Some("2024-02-29T01:02:03.000004Z"),
            ),
            (
                "1969-12-31T23:00:00.500000+0000",
                Some("1969-12-31T23:00:00.500000Z"),
            ),
            (
                "1969-12-31T22:00:00.500000+0000",
                Some("1969-12-31T22:00:00.500000Z"),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(f(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn quick_ip_parse_agrees_with_std() {
        let cases = [
            "10.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.2.3.04",
            "1..2.3",
            "1.2.3.4a",
            "1234.1.1.1",
            "1.2.3.999",
            "a.b.c.d",
            "::1",
            "fe80::1",
            "::ffff:1.2.3.4",
            "",
            "1.2.3.4 ",
            "+1.2.3.4",
            "100.200.250.199",
        ];
        for c in cases {
            assert_eq!(parse_ip(c), c.parse::<IpAddr>().ok(), "{c:?}");
        }
        // Every octet value, in each position.
        for v in 0..=300u32 {
            for pos in 0..4 {
                let mut parts = ["7"; 4].map(String::from);
                parts[pos] = v.to_string();
                let s = parts.join(".");
                assert_eq!(parse_ip(&s), s.parse::<IpAddr>().ok(), "{s:?}");
                parts[pos] = format!("0{v}");
                let s = parts.join(".");
                assert_eq!(parse_ip(&s), s.parse::<IpAddr>().ok(), "{s:?}");
            }
        }
    }

    #[test]
    fn lowercasing_is_safe_on_any_input() {
        let mut buf = [0u8; 32];
        assert_eq!(ascii_lower("ALERT", &mut buf), "alert");
        let mut buf = [0u8; 32];
        assert_eq!(ascii_lower("Ünïcode", &mut buf), "Ünïcode");
        let mut buf = [0u8; 32];
        let long = "X".repeat(40);
        assert_eq!(ascii_lower(&long, &mut buf), long);
    }
}
