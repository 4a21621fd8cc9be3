//! The syslog header: PRI, RFC 5424's fixed fields, RFC 3164's
//! `Mmm dd hh:mm:ss HOST TAG[pid]:` and the deviations seen in the wild
//! (no PRI, no hostname, RFC 3339 stamps in 3164 lines, a year in the stamp,
//! Cisco sequence numbers and `*`/`.` sync markers).
//!
//! Parsed by hand: this runs once per line and most lines are a handful of
//! fixed-width tokens, which a regex would only slow down. Every index used
//! to slice comes from an ASCII byte found by search, so slices never split a
//! UTF-8 character.

use super::sd;
use crate::reject::RecordError;
use crate::time::{self, Micros};

/// A stamp as written, before a year or a zone is supplied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stamp {
    /// The line has none (`-` in RFC 5424, or a bare `<PRI>message`).
    Absent,
    /// Something in the stamp's place that could not be read as a time.
    Unreadable,
    /// A full date. `local` is the wall-clock time read as if UTC.
    Dated { local: Micros, offset: Option<i32> },
    /// RFC 3164's `Mmm dd hh:mm:ss`: no year.
    YearLess {
        month: u32,
        day: u32,
        /// Seconds into the day, and microseconds.
        sod: u32,
        micros: u32,
        offset: Option<i32>,
    },
}

#[derive(Debug)]
pub(super) struct Header<'a> {
    pub pri: Option<u8>,
    /// RFC 5424 VERSION; None for RFC 3164 and its relatives.
    pub version: Option<u16>,
    pub stamp: Stamp,
    pub hostname: Option<&'a str>,
    /// TAG (3164) or APP-NAME (5424).
    pub appname: Option<&'a str>,
    pub procid: Option<&'a str>,
    pub msgid: Option<&'a str>,
    /// RFC 5424 STRUCTURED-DATA, validated, as written (brackets included).
    pub sd: Option<&'a str>,
    /// Cisco IOS's sequence number (`<189>52: *Mar  1 …`).
    pub sequence: Option<u64>,
    pub msg: &'a str,
    /// Things the parser had to guess or leave out, for `aurora.warnings`.
    pub note: Option<String>,
}

/// The longest TAG accepted: RFC 3164 says 32, but real programs
/// (`org.gnome.Shell.desktop`, `systemd-resolved`) log longer names.
const MAX_TAG: usize = 128;

/// Splits a syslog line into its header fields and message.
pub(super) fn parse(line: &str) -> Result<Header<'_>, RecordError> {
    let b = line.as_bytes();
    let mut h = Header {
        pri: None,
        version: None,
        stamp: Stamp::Absent,
        hostname: None,
        appname: None,
        procid: None,
        msgid: None,
        sd: None,
        sequence: None,
        msg: "",
        note: None,
    };
    let mut i = 0;
    if b.first() == Some(&b'<') {
        let (pri, next) = parse_pri(b)?;
        h.pri = Some(pri);
        i = next;
    }
    // RFC 5424: VERSION SP right after PRI (`<34>1 `). Cisco's `<189>52: `
    // has a colon, RFC 3339 stamps a dash, so a digit run then a space is
    // unambiguous.
    if h.pri.is_some() {
        let v_end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if v_end > i && v_end - i <= 3 && b.get(v_end) == Some(&b' ') && b[i] != b'0' {
            h.version = line[i..v_end].parse().ok();
            return parse_5424(line, v_end + 1, h);
        }
    }
    parse_3164(line, i, h)
}

fn parse_pri(b: &[u8]) -> Result<(u8, usize), RecordError> {
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || b.get(1 + digits) != Some(&b'>') {
        return Err("malformed syslog PRI: expected <0-191> at the start of the line".into());
    }
    if digits > 3 {
        return Err(RecordError::new(format!(
            "syslog PRI has {digits} digits: PRI must be 0-191"
        )));
    }
    let v = b[1..1 + digits]
        .iter()
        .fold(0u32, |v, c| v * 10 + (c - b'0') as u32);
    if v > 191 {
        return Err(RecordError::new(format!(
            "syslog PRI {v} is out of range: PRI must be 0-191 (facility*8 + severity)"
        )));
    }
    Ok((v as u8, digits + 2))
}

/// Returns the token starting at `i` (up to a space or the end) and the
/// index after it and the single space that follows.
fn token(line: &str, i: usize) -> (&str, usize) {
    let b = line.as_bytes();
    let i = i.min(b.len());
    let end = memchr::memchr(b' ', &b[i..]).map_or(b.len(), |p| i + p);
    (&line[i..end], (end + 1).min(b.len()))
}

/// RFC 5424 NILVALUE `-` is no value.
fn nil(s: &str) -> Option<&str> {
    if s.is_empty() || s == "-" {
        None
    } else {
        Some(s)
    }
}

fn parse_5424<'a>(
    line: &'a str,
    mut i: usize,
    mut h: Header<'a>,
) -> Result<Header<'a>, RecordError> {
    let (ts, next) = token(line, i);
    h.stamp = match ts {
        "-" => Stamp::Absent,
        _ => match time::parse_iso8601(ts) {
            Some(p) => Stamp::Dated {
                local: p.local,
                offset: p.offset,
            },
            None => Stamp::Unreadable,
        },
    };
    i = next;
    let mut fields = [None; 4];
    for f in &mut fields {
        if i >= line.len() {
            h.note = Some("RFC 5424 header is cut short: missing fields are left unset".into());
            break;
        }
        let (t, next) = token(line, i);
        *f = nil(t);
        i = next;
    }
    [h.hostname, h.appname, h.procid, h.msgid] = fields;
    let b = line.as_bytes();
    match b.get(i) {
        None => {}
        Some(b'-') if matches!(b.get(i + 1), None | Some(b' ')) => i += 2,
        Some(b'[') => match sd::scan(&b[i..]) {
            Ok(len) => {
                h.sd = Some(&line[i..i + len]);
                i += len + 1;
            }
            Err(e) => {
                // The header is good and the message may matter (an auth
                // event): keep the event, with the unparsed rest as message.
                h.note = Some(format!(
                    "RFC 5424 structured data is malformed ({} at byte {} of the line): \
                     kept unparsed in message",
                    e.what,
                    i + e.at + 1
                ));
            }
        },
        Some(_) => {
            h.note =
                Some("RFC 5424 line has no STRUCTURED-DATA field: read the rest as message".into());
        }
    }
    let msg = line.get(i..).unwrap_or("");
    let msg = msg.strip_prefix('\u{feff}').unwrap_or(msg);
    h.msg = msg.trim_start_matches(' ');
    Ok(h)
}

fn parse_3164<'a>(
    line: &'a str,
    mut i: usize,
    mut h: Header<'a>,
) -> Result<Header<'a>, RecordError> {
    let b = line.as_bytes();
    // Cisco IOS: `52: *Mar  1 00:03:09.739 UTC: %SYS-5-CONFIG_I: …`.
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=19).contains(&digits)
        && b.get(i + digits) == Some(&b':')
        && b.get(i + digits + 1) == Some(&b' ')
    {
        h.sequence = line[i..i + digits].parse().ok();
        i += digits + 2;
    }
    // Cisco marks a clock not synced by NTP with `*`, or `.` once it was.
    if matches!(b.get(i), Some(b'*' | b'.')) && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    let stamped = match parse_bsd_stamp(b, i) {
        Some((stamp, next)) => Some((stamp, next)),
        None => parse_iso_stamp(line, i),
    };
    match stamped {
        Some((stamp, next)) => {
            h.stamp = stamp;
            i = next;
        }
        None if h.pri.is_none() => {
            return Err(super::NO_HEADER.into());
        }
        // `<13>message`: RFC 3164 §4.3.3 says such a line is all message.
        None => {}
    }
    // Cisco puts a colon after the stamp.
    if b.get(i) == Some(&b':') {
        i += 1;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if h.stamp != Stamp::Absent {
        // HOST is optional in the wild: a first token that looks like a TAG
        // (`sshd[1]:`, `kernel:`) means the sender left it out.
        let (first, next) = token(line, i);
        if !first.is_empty() && !looks_like_tag(first) {
            h.hostname = Some(first);
            i = next;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
        }
    }
    i = parse_tag(line, i, &mut h);
    h.msg = line.get(i..).unwrap_or("");
    Ok(h)
}

fn looks_like_tag(t: &str) -> bool {
    t.ends_with(':') || (t.contains('[') && t.ends_with([']', ':']))
}

/// Reads `TAG[pid]: ` or `TAG: ` at `i`; returns where the message starts.
/// A first word that is not followed by `:` or `[pid]` is not a TAG, and the
/// message starts at `i` (RFC 3164: then there is no TAG).
fn parse_tag<'a>(line: &'a str, i: usize, h: &mut Header<'a>) -> usize {
    let b = line.as_bytes();
    let i = i.min(b.len());
    let rest = &b[i..];
    let end = rest
        .iter()
        .position(|&c| c == b'[' || c == b':' || c == b' ')
        .unwrap_or(rest.len());
    if end == 0 || end > MAX_TAG {
        return i;
    }
    let tag = &line[i..i + end];
    let mut j = i + end;
    let mut pid = None;
    if b.get(j) == Some(&b'[') {
        let Some(close) = memchr::memchr(b']', &b[j..]) else {
            return i;
        };
        let p = &line[j + 1..j + close];
        if p.contains(' ') {
            return i;
        }
        pid = Some(p);
        j += close + 1;
    }
    match b.get(j) {
        Some(b':') => j += 1,
        // `tag[pid] msg` (no colon) is common enough from small devices.
        Some(b' ') if pid.is_some() => {}
        None if pid.is_some() => {}
        _ => return i,
    }
    h.appname = Some(tag);
    h.procid = pid.filter(|p| !p.is_empty());
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    j
}

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

fn month(b: &[u8]) -> Option<u32> {
    let m = [
        b.first()?.to_ascii_lowercase(),
        b.get(1)?.to_ascii_lowercase(),
        b.get(2)?.to_ascii_lowercase(),
    ];
    MONTHS.iter().position(|x| **x == m).map(|p| p as u32 + 1)
}

fn num(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = b.get(i..i + n)?;
    s.iter().try_fold(0u32, |v, c| {
        c.is_ascii_digit().then(|| v * 10 + (c - b'0') as u32)
    })
}

/// `Mmm dd hh:mm:ss[.frac]`, `Mmm dd yyyy hh:mm:ss`, with an optional
/// ` UTC`/` GMT` (Cisco). The day may be space-padded or not.
fn parse_bsd_stamp(b: &[u8], start: usize) -> Option<(Stamp, usize)> {
    let mo = month(b.get(start..)?)?;
    let mut i = start + 3;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let dlen = b[i..]
        .iter()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=2).contains(&dlen) || b.get(i + dlen) != Some(&b' ') {
        return None;
    }
    let day = num(b, i, dlen)?;
    i += dlen + 1;
    let mut year = None;
    if b.get(i + 4) == Some(&b' ') && b.get(i + 2) != Some(&b':') {
        year = Some(num(b, i, 4)?);
        i += 5;
    }
    if b.get(i + 2) != Some(&b':') || b.get(i + 5) != Some(&b':') {
        return None;
    }
    let (hh, mm, ss) = (num(b, i, 2)?, num(b, i + 3, 2)?, num(b, i + 6, 2)?);
    i += 8;
    let mut micros = 0;
    if b.get(i) == Some(&b'.') {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for k in 0..6 {
            micros = micros * 10
                + if k < n {
                    (b[i + 1 + k] - b'0') as u32
                } else {
                    0
                };
        }
        i += 1 + n;
    }
    if !matches!(b.get(i), None | Some(b' ' | b':')) {
        return None;
    }
    let mut offset = None;
    for zone in [&b" UTC"[..], b" GMT"] {
        if b.get(i..i + 4) == Some(zone) && matches!(b.get(i + 4), None | Some(b' ' | b':')) {
            offset = Some(0);
            i += 4;
        }
    }
    let stamp = if hh > 23 || mm > 59 || ss > 60 || day == 0 || day > 31 {
        Stamp::Unreadable
    } else if let Some(y) = year {
        match time::from_civil(y as i64, mo, day, hh, mm, ss, micros) {
            Some(local) => Stamp::Dated { local, offset },
            None => Stamp::Unreadable,
        }
    } else {
        Stamp::YearLess {
            month: mo,
            day,
            sod: hh * 3600 + mm * 60 + ss,
            micros,
            offset,
        }
    };
    Some((stamp, i))
}

/// An RFC 3339 stamp (with or without zone) as the first token, as rsyslog's
/// file and forward formats write it.
fn parse_iso_stamp(line: &str, i: usize) -> Option<(Stamp, usize)> {
    let b = line.as_bytes();
    if num(b, i, 4).is_none() || b.get(i + 4) != Some(&b'-') {
        return None;
    }
    let (tok, next) = token(line, i);
    let p = time::parse_iso8601(tok)?;
    Some((
        Stamp::Dated {
            local: p.local,
            offset: p.offset,
        },
        next.max(i + tok.len()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3164_with_and_without_host_and_pri() {
        let h = parse("<38>Feb  5 17:32:18 10.0.0.99 sshd[123]: Accepted").unwrap();
        assert_eq!(h.pri, Some(38));
        assert_eq!(h.hostname, Some("10.0.0.99"));
        assert_eq!(h.appname, Some("sshd"));
        assert_eq!(h.procid, Some("123"));
        assert_eq!(h.msg, "Accepted");
        assert!(matches!(
            h.stamp,
            Stamp::YearLess {
                month: 2,
                day: 5,
                ..
            }
        ));
        let h = parse("<13>Jan  1 00:00:00 sshd[1]: hi").unwrap();
        assert_eq!((h.hostname, h.appname, h.msg), (None, Some("sshd"), "hi"));
        let h = parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: auth").unwrap();
        assert_eq!(h.appname, Some("sshd(pam_unix)"));
        let h = parse("Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN").unwrap();
        assert_eq!((h.hostname, h.appname), (Some("combo"), None));
        assert_eq!(h.msg, "-- root[2421]: ROOT LOGIN");
        let h = parse("<13>just a message").unwrap();
        assert_eq!((h.stamp, h.msg), (Stamp::Absent, "just a message"));
    }

    #[test]
    fn cisco_and_iso_deviations() {
        let h = parse("<189>52: *Mar  1 00:03:09.739 UTC: %SYS-5-CONFIG_I: Configured").unwrap();
        assert_eq!(h.sequence, Some(52));
        assert_eq!(h.appname, Some("%SYS-5-CONFIG_I"));
        assert_eq!(h.msg, "Configured");
        assert!(matches!(
            h.stamp,
            Stamp::YearLess {
                micros: 739_000,
                offset: Some(0),
                ..
            }
        ));
        let h = parse("2023-10-06T09:45:19.574793+02:00 host su: x").unwrap();
        assert!(matches!(
            h.stamp,
            Stamp::Dated {
                offset: Some(7200),
                ..
            }
        ));
        assert_eq!((h.hostname, h.appname), (Some("host"), Some("su")));
        let h = parse("Jan 12 2024 10:00:00 asa : %ASA-6-1: m").unwrap();
        assert!(matches!(h.stamp, Stamp::Dated { offset: None, .. }));
    }

    #[test]
    fn rfc5424_nil_values_and_bom() {
        let h = parse("<165>1 2003-10-11T22:14:15.003Z - - - - - \u{feff}hello").unwrap();
        assert_eq!(h.version, Some(1));
        assert_eq!(
            (h.hostname, h.appname, h.procid, h.msgid),
            (None, None, None, None)
        );
        assert_eq!(h.msg, "hello");
        let h = parse("<165>1 - host app 12 ID7 [a b=\"c\\]\"] m").unwrap();
        assert_eq!(h.sd, Some("[a b=\"c\\]\"]"));
        assert_eq!(h.msg, "m");
        assert_eq!(h.stamp, Stamp::Absent);
    }

    #[test]
    fn bad_pri_is_an_error_with_a_reason() {
        assert!(parse("<999>1 - - - - - -").unwrap_err().0.contains("999"));
        assert!(parse("<abc>x").is_err());
        assert!(parse("hello world").is_err());
    }
}
