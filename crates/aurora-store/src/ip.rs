//! IP addresses in a form SQLite can compare: a family byte, then the address bytes
//! (`[4, a, b, c, d]` for IPv4, `[6, 16 bytes]` for IPv6). `=`, `BETWEEN` and CIDR
//! ranges work on one indexed BLOB column, every address of a family sorts in numeric
//! order, and the IPv4 addresses that make up most events take 5 bytes, not 16.
//! IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are stored as the IPv4 they are.
//!
//! Schema version 1 stored every address as 16 bytes (IPv4-mapped); [`rekey`] converts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Deref;

const V4: u8 = 4;
const V6: u8 = 6;

/// A sortable key: 5 or 17 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpKey {
    len: u8,
    bytes: [u8; 17],
}

impl Deref for IpKey {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

fn v4_key(a: Ipv4Addr) -> IpKey {
    let mut bytes = [0; 17];
    bytes[0] = V4;
    bytes[1..5].copy_from_slice(&a.octets());
    IpKey { len: 5, bytes }
}

fn v6_key(a: Ipv6Addr) -> IpKey {
    if let Some(v4) = a.to_ipv4_mapped() {
        return v4_key(v4);
    }
    let mut bytes = [0; 17];
    bytes[0] = V6;
    bytes[1..].copy_from_slice(&a.octets());
    IpKey { len: 17, bytes }
}

/// The sortable key of an address.
pub fn key(ip: IpAddr) -> IpKey {
    match ip {
        IpAddr::V4(a) => v4_key(a),
        IpAddr::V6(a) => v6_key(a),
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
pub fn key_of(text: &str) -> Option<IpKey> {
    parse(text).map(key)
}

/// The address a key stands for (also for a schema-1 16-byte key).
pub fn addr_of(key: &[u8]) -> Option<IpAddr> {
    match key {
        [V4, a @ ..] if a.len() == 4 => Some(IpAddr::V4(Ipv4Addr::new(a[0], a[1], a[2], a[3]))),
        [V6, a @ ..] if a.len() == 16 => {
            Some(IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(a).ok()?)))
        }
        old if old.len() == 16 => {
            let v6 = Ipv6Addr::from(<[u8; 16]>::try_from(old).ok()?);
            Some(match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            })
        }
        _ => None,
    }
}

/// Inverse of [`key`]: the address as text.
pub fn text_of(key: &[u8]) -> Option<String> {
    addr_of(key).map(|a| a.to_string())
}

/// A schema-1 key (16 bytes) in today's form; today's keys are returned as they are.
pub fn rekey(old: &[u8]) -> Option<IpKey> {
    addr_of(old).map(key)
}

/// `10.0.0.0/8` → inclusive key range. `None` if not a CIDR (or a bad prefix length).
pub fn cidr_range(text: &str) -> Option<(IpKey, IpKey)> {
    let (addr, len) = text.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    match parse(addr)? {
        IpAddr::V4(a) if len <= 32 => {
            let (lo, hi) = span(u32::from(a) as u128, len + 96);
            Some((
                v4_key(Ipv4Addr::from(lo as u32)),
                v4_key(Ipv4Addr::from(hi as u32)),
            ))
        }
        IpAddr::V6(a) if len <= 128 => {
            // A block inside ::ffff:0:0/96 is a block of IPv4 addresses.
            if let (Some(v4), true) = (a.to_ipv4_mapped(), len >= 96) {
                return cidr_range(&format!("{v4}/{}", len - 96));
            }
            let (lo, hi) = span(u128::from(a), len);
            const MAPPED: (u128, u128) = (0xffff_0000_0000, 0xffff_ffff_ffff);
            // A block that holds ::ffff:0:0/96 (`::/0`, `::/64`) starts at `::`, so it is
            // every IPv4 key (they sort before all IPv6 keys) and IPv6 up to its end.
            let lo_key = if lo <= MAPPED.0 && hi >= MAPPED.1 {
                v4_key(Ipv4Addr::UNSPECIFIED)
            } else {
                v6_key(Ipv6Addr::from(lo))
            };
            Some((lo_key, v6_key(Ipv6Addr::from(hi))))
        }
        _ => None,
    }
}

/// First and last address of a prefix of `bits` bits in 128-bit space.
fn span(n: u128, bits: u32) -> (u128, u128) {
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - bits)
    };
    (n & mask, n | !mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_and_v6_round_trip() {
        for a in [
            "10.0.0.1",
            "::1",
            "2001:db8::5",
            "255.255.255.255",
            "0.0.0.0",
        ] {
            assert_eq!(text_of(&key_of(a).unwrap()).unwrap(), a);
        }
        assert_eq!(key_of("10.0.0.1").unwrap().len(), 5);
        assert_eq!(key_of("2001:db8::5").unwrap().len(), 17);
        assert_eq!(key_of("::ffff:10.0.0.1"), key_of("10.0.0.1"));
        assert_eq!(key_of("[fe80::1%eth0]"), key_of("fe80::1"));
        assert_eq!(key_of("10.0.0"), None);
    }

    #[test]
    fn sorts_numerically_within_a_family() {
        let k = |s| key_of(s).unwrap();
        assert!(k("9.255.255.255") < k("10.0.0.0"));
        assert!(k("10.0.0.2") < k("10.0.0.10"));
        assert!(k("255.255.255.255") < k("::"));
        assert!(k("::1") < k("2001:db8::"));
    }

    #[test]
    fn schema_1_keys_convert() {
        let old = Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped().octets();
        assert_eq!(rekey(&old), key_of("10.1.2.3"));
        let old6 = "2001:db8::5".parse::<Ipv6Addr>().unwrap().octets();
        assert_eq!(rekey(&old6), key_of("2001:db8::5"));
        assert_eq!(rekey(&key_of("10.1.2.3").unwrap()), key_of("10.1.2.3"));
        assert_eq!(rekey(b"xyz"), None);
    }

    #[test]
    fn cidr() {
        let (lo, hi) = cidr_range("10.0.0.0/8").unwrap();
        assert_eq!(text_of(&lo).unwrap(), "10.0.0.0");
        assert_eq!(text_of(&hi).unwrap(), "10.255.255.255");
        let k = key_of("10.20.30.40").unwrap();
        assert!(lo <= k && k <= hi);
        assert!(key_of("110.0.0.1").unwrap() > hi);
        assert!(key_of("9.0.0.1").unwrap() < lo);
        // No IPv6 address falls in an IPv4 block.
        assert!(key_of("a00::1").unwrap() > hi);
        let (lo, hi) = cidr_range("10.1.2.3/32").unwrap();
        assert_eq!(lo, hi);
        let (lo, hi) = cidr_range("0.0.0.0/0").unwrap();
        assert_eq!(text_of(&lo).unwrap(), "0.0.0.0");
        assert_eq!(text_of(&hi).unwrap(), "255.255.255.255");
        assert!(key_of("::1").unwrap() > hi);
        let (lo, hi) = cidr_range("2001:db8::/32").unwrap();
        assert!(lo <= key_of("2001:db8::5").unwrap() && key_of("2001:db8::5").unwrap() <= hi);
        assert!(key_of("10.0.0.1").unwrap() < lo);
        // IPv4-mapped blocks are IPv4 blocks; `::/0` is every address.
        assert_eq!(cidr_range("::ffff:10.0.0.0/104"), cidr_range("10.0.0.0/8"));
        let (lo, hi) = cidr_range("::/0").unwrap();
        for a in ["0.0.0.0", "10.0.0.1", "::", "::1", "ffff::1"] {
            let k = key_of(a).unwrap();
            assert!(lo <= k && k <= hi, "{a}");
        }
        assert!(cidr_range("10.0.0.0/33").is_none());
        assert!(cidr_range("10.0.0.0").is_none());
    }
}
