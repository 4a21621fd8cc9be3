//! Small helpers shared by the parsers of sources that name hosts, users and
//! addresses in free-form places (Wazuh, Velociraptor).

use crate::event::Event;
use crate::fields::F;
use std::net::IpAddr;

/// A short list of distinct strings borrowed from the record, kept on the
/// stack: `related.*` and `threat.*` lists are built per record and must not
/// allocate. Items past the capacity are dropped (records naming more than a
/// handful of hosts are rare, and the originals stay in `event.original`).
pub struct List<'a, const N: usize> {
    items: [&'a str; N],
    len: usize,
}

impl<'a, const N: usize> Default for List<'a, N> {
    fn default() -> Self {
        Self {
            items: [""; N],
            len: 0,
        }
    }
}

impl<'a, const N: usize> List<'a, N> {
    /// Adds `s` unless it is empty, a placeholder, or already there.
    pub fn push(&mut self, s: &'a str) {
        let s = s.trim();
        if s.is_empty() || s == "-" || s == "null" || self.contains(s) || self.len == N {
            return;
        }
        self.items[self.len] = s;
        self.len += 1;
    }

    pub fn contains(&self, s: &str) -> bool {
        self.items[..self.len].contains(&s)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.items[..self.len].iter().copied()
    }
}

/// The `related.*` lists of one record.
#[derive(Default)]
pub struct Related<'a> {
    pub ip: List<'a, 8>,
    pub user: List<'a, 8>,
    pub hosts: List<'a, 8>,
}

impl<'a> Related<'a> {
    pub fn write(&self, ev: &mut Event) {
        ev.strs(F::RelatedIp, self.ip.iter());
        ev.strs(F::RelatedUser, self.user.iter());
        ev.strs(F::RelatedHosts, self.hosts.iter());
    }
}

/// True if `s` is an IPv4 or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// Splits `10.0.0.1:80`, `[2001:db8::1]:80` or `2001:db8::1:80` (Suricata
/// fast.log's IPv6 form) into address and port. A bare address comes back
/// with no port; anything else is None.
pub fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    let s = s.trim();
    if is_ip(s) {
        // `2001:db8::1:80` parses as a bare IPv6 address too: callers that
        // know a port is there use `split_port` instead.
        return Some((s, None));
    }
    split_port(s).map(|(h, p)| (h, Some(p)))
}

/// Splits a trailing `:port` off an address, requiring both halves to be valid.
pub fn split_port(s: &str) -> Option<(&str, u16)> {
    let (h, p) = s.trim().rsplit_once(':')?;
    let h = h
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(h);
    let port = p.parse::<u16>().ok()?;
    is_ip(h).then_some((h, port))
}

/// Sets an address field: `ip` when it is an IP, `address` otherwise.
pub fn set_addr(ev: &mut Event, ip: F, address: F, s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s == "-" {
        return false;
    }
    if is_ip(s) {
        ev.str(ip, s);
        true
    } else {
        ev.str(address, s);
        false
    }
}

/// The last component of a Unix or Windows path.
pub fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The directory part of a Unix or Windows path, if it has one.
pub fn dir_name(path: &str) -> Option<&str> {
    let i = path.rfind(['/', '\\'])?;
    Some(if i == 0 { &path[..1] } else { &path[..i] })
}

/// True if `s` looks like a file path (Unix absolute or a Windows drive/UNC path).
pub fn looks_like_path(s: &str) -> bool {
    let b = s.as_bytes();
    s.starts_with('/')
        || s.starts_with("\\\\")
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && (b[2] == b'\\' || b[2] == b'/'))
}

/// The UTC instant of a wall-clock time (`local`, epoch micros read as if
/// UTC) in zone `tz`: an IANA name (`Europe/Berlin`), `UTC`/`Z`, or a fixed
/// offset (`+02:00`, `-0500`). None for an unknown zone or a time the zone
/// skips; of two candidates in a DST fold, the earlier.
pub fn local_to_utc(local: crate::time::Micros, tz: &str) -> Option<crate::time::Micros> {
    use chrono::TimeZone;
    let tz = tz.trim();
    if let Some(off) = fixed_offset_secs(tz) {
        return Some(local - off as i64 * crate::time::MICROS_PER_SEC);
    }
    let zone: chrono_tz::Tz = tz.parse().ok()?;
    let naive = chrono::DateTime::from_timestamp_micros(local)?.naive_utc();
    let at = zone.from_local_datetime(&naive).earliest()?;
    Some(at.timestamp_micros())
}

/// Seconds east of UTC for `UTC`, `Z`, `+02:00`, `+0200`, `-05`.
pub fn fixed_offset_secs(tz: &str) -> Option<i32> {
    if matches!(tz, "UTC" | "utc" | "Z" | "GMT" | "Etc/UTC") {
        return Some(0);
    }
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let digits: Vec<u8> = rest.bytes().filter(|c| *c != b':').collect();
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (&digits[..2], &b"00"[..]),
        4 => (&digits[..2], &digits[2..]),
        _ => return None,
    };
    let n = |d: &[u8]| ((d[0] - b'0') as i32) * 10 + (d[1] - b'0') as i32;
    let (h, m) = (n(h), n(m));
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_forms() {
        assert_eq!(split_host_port("10.0.0.1"), Some(("10.0.0.1", None)));
        assert_eq!(split_host_port("10.0.0.1:80"), Some(("10.0.0.1", Some(80))));
        assert_eq!(
            split_host_port("[2001:db8::1]:443"),
            Some(("2001:db8::1", Some(443)))
        );
        assert_eq!(split_port("2001:db8::1:80"), Some(("2001:db8::1", 80)));
        assert_eq!(split_host_port("host.example:80"), None);
        assert_eq!(split_host_port("10.0.0.1:99999"), None);
    }

    #[test]
    fn lists_dedupe_and_cap() {
        let mut l: List<'_, 2> = List::default();
        for s in ["a", "a", " ", "-", "b", "c"] {
            l.push(s);
        }
        assert_eq!(l.iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn zones() {
        let noon = crate::time::from_civil(2024, 7, 1, 12, 0, 0, 0).unwrap();
        let h = 3600 * crate::time::MICROS_PER_SEC;
        assert_eq!(local_to_utc(noon, "Europe/Berlin"), Some(noon - 2 * h));
        assert_eq!(local_to_utc(noon, "+05:30"), Some(noon - 5 * h - h / 2));
        assert_eq!(local_to_utc(noon, "UTC"), Some(noon));
        assert_eq!(local_to_utc(noon, "Mars/Olympus"), None);
    }

    #[test]
    fn paths() {
        assert_eq!(base_name("C:\\Windows\\x.exe"), "x.exe");
        assert_eq!(dir_name("/etc/passwd"), Some("/etc"));
        assert_eq!(dir_name("/x"), Some("/"));
        assert!(
            looks_like_path("C:\\x")
                && looks_like_path("/var/log")
                && !looks_like_path("EventChannel")
        );
    }
}
