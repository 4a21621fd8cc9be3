//! IP addresses in a form SQLite can compare: every address becomes 16 bytes (IPv4 as
//! IPv4-mapped IPv6), so `=`, `BETWEEN` and CIDR ranges work on one indexed BLOB column
//! and sort in numeric order.

use std::net::{IpAddr, Ipv6Addr};

/// 16-byte sortable key of an address.
pub fn key(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

/// Parses an address, tolerating IPv6 brackets and a zone suffix (`fe80::1%eth0`), as
/// sensors write them.
pub fn parse(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    let t = t.split('%').next().unwrap_or(t);
    t.parse().ok()
}

/// The key of a textual address, if it is one.
pub fn key_of(text: &str) -> Option<[u8; 16]> {
    parse(text).map(key)
}

/// Inverse of [`key`]: IPv4-mapped keys print as dotted quads.
pub fn text_of(key: &[u8]) -> Option<String> {
    let bytes: [u8; 16] = key.try_into().ok()?;
    let v6 = Ipv6Addr::from(bytes);
    Some(match v6.to_ipv4_mapped() {
        Some(v4) => v4.to_string(),
        None => v6.to_string(),
    })
}

/// `10.0.0.0/8` → inclusive key range. `None` if not a CIDR (or a bad prefix length).
pub fn cidr_range(text: &str) -> Option<([u8; 16], [u8; 16])> {
    let (addr, len) = text.split_once('/')?;
    let ip = parse(addr)?;
    let len: u32 = len.parse().ok()?;
    let (base, bits) = match ip {
        IpAddr::V4(_) if len <= 32 => (key(ip), 96 + len),
        IpAddr::V6(_) if len <= 128 => (key(ip), len),
        _ => return None,
    };
    let n = u128::from_be_bytes(base);
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - bits)
    };
    Some(((n & mask).to_be_bytes(), (n | !mask).to_be_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_and_v6_round_trip() {
        for a in ["10.0.0.1", "::1", "2001:db8::5", "255.255.255.255"] {
            assert_eq!(text_of(&key_of(a).unwrap()).unwrap(), a);
        }
        assert_eq!(key_of("[fe80::1%eth0]"), key_of("fe80::1"));
        assert_eq!(key_of("10.0.0"), None);
    }

    #[test]
    fn cidr() {
        let (lo, hi) = cidr_range("10.0.0.0/8").unwrap();
        assert_eq!(text_of(&lo).unwrap(), "10.0.0.0");
        assert_eq!(text_of(&hi).unwrap(), "10.255.255.255");
        let k = key_of("10.20.30.40").unwrap();
        assert!(lo <= k && k <= hi);
        assert!(key_of("110.0.0.1").unwrap() > hi);
        let (lo, hi) = cidr_range("10.1.2.3/32").unwrap();
        assert_eq!(lo, hi);
        let (lo, hi) = cidr_range("0.0.0.0/0").unwrap();
        assert_eq!(text_of(&lo).unwrap(), "0.0.0.0");
        assert_eq!(text_of(&hi).unwrap(), "255.255.255.255");
        assert!(cidr_range("2001:db8::/32").is_some());
        assert!(cidr_range("10.0.0.0/33").is_none());
        assert!(cidr_range("10.0.0.0").is_none());
    }
}
