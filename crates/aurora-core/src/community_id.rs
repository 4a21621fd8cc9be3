//! Community ID flow hashing, version 1 (the spec published by Corelight and
//! implemented by Suricata and Zeek), so that records of one connection from
//! different sensors share `network.community_id`.

use base64::Engine as _;
use sha1::{Digest, Sha1};
use std::net::IpAddr;

pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMP: u8 = 1;
pub const ICMP6: u8 = 58;
pub const SCTP: u8 = 132;

/// IANA protocol number of a transport name as sensors spell it.
pub fn proto_number(name: &str) -> Option<u8> {
    Some(match name.to_ascii_lowercase().as_str() {
        "tcp" => TCP,
        "udp" => UDP,
        "icmp" => ICMP,
        "ipv6-icmp" | "icmpv6" | "icmp6" => ICMP6,
        "sctp" => SCTP,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "ipv6" => 41,
        "igmp" => 2,
        _ => return None,
    })
}

/// For ICMP, the "port" pair is (type, code), except that request/reply
/// types map to their counterpart so both directions hash alike.
fn icmp_ports(proto: u8, typ: u16, code: u16) -> (u16, u16, bool) {
    let pair = if proto == ICMP {
        match typ {
            8 => Some(0),
            0 => Some(8),
            13 => Some(14),
            14 => Some(13),
            15 => Some(16),
            16 => Some(15),
            10 => Some(9),
            9 => Some(10),
            17 => Some(18),
            18 => Some(17),
            _ => None,
        }
    } else {
        match typ {
            128 => Some(129),
            129 => Some(128),
            130 => Some(131),
            131 => Some(130),
            133 => Some(134),
            134 => Some(133),
            135 => Some(136),
            136 => Some(135),
            139 => Some(140),
            140 => Some(139),
            144 => Some(145),
            145 => Some(144),
            _ => None,
        }
    };
    match pair {
        Some(p) => (typ, p, false),
        None => (typ, code, true),
    }
}

fn octets(ip: &IpAddr) -> ([u8; 16], usize) {
    let mut b = [0u8; 16];
    match ip {
        IpAddr::V4(v) => {
            b[..4].copy_from_slice(&v.octets());
            (b, 4)
        }
        IpAddr::V6(v) => {
            b.copy_from_slice(&v.octets());
            (b, 16)
        }
    }
}

/// Community ID v1 with seed 0. For ICMP/ICMPv6, pass the type as `sport`
/// and the code as `dport`. Returns None for mixed address families.
pub fn community_id(src: IpAddr, dst: IpAddr, proto: u8, sport: u16, dport: u16) -> Option<String> {
    let (sb, sl) = octets(&src);
    let (db, dl) = octets(&dst);
    if sl != dl {
        return None;
    }
    let (mut sp, mut dp, one_way) = if proto == ICMP || proto == ICMP6 {
        icmp_ports(proto, sport, dport)
    } else {
        (sport, dport, false)
    };
    let (mut s, mut d) = (&sb[..sl], &db[..dl]);
    if !(one_way || s < d || s == d && sp < dp) {
        std::mem::swap(&mut s, &mut d);
        std::mem::swap(&mut sp, &mut dp);
    }
    let mut h = Sha1::new();
    h.update(0u16.to_be_bytes());
    h.update(s);
    h.update(d);
    h.update([proto, 0]);
    if matches!(proto, TCP | UDP | SCTP | ICMP | ICMP6) {
        h.update(sp.to_be_bytes());
        h.update(dp.to_be_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(30);
    out.push_str("1:");
    base64::engine::general_purpose::STANDARD.encode_string(digest, &mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cid(s: &str, d: &str, p: u8, sp: u16, dp: u16) -> String {
        community_id(s.parse().unwrap(), d.parse().unwrap(), p, sp, dp).unwrap()
    }

    // Values from the Community ID specification's reference test vectors.
    #[test]
    fn reference_vectors() {
        assert_eq!(
            cid("128.232.110.120", "66.35.250.204", TCP, 34855, 80),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg="
        );
        assert_eq!(
            cid("66.35.250.204", "128.232.110.120", TCP, 80, 34855),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg="
        );
        assert_eq!(
            cid("192.168.1.52", "8.8.8.8", UDP, 54585, 53),
            "1:d/FP5EW3wiY1vCndhwleRRKHowQ="
        );
        assert_eq!(
            cid("192.168.0.89", "192.168.0.1", ICMP, 8, 0),
            "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="
        );
        assert_eq!(
            cid("192.168.0.1", "192.168.0.89", ICMP, 0, 0),
            "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="
        );
        assert_eq!(
            cid(
                "fe80::200:86ff:fe05:80da",
                "fe80::260:97ff:fe07:69ea",
                ICMP6,
                135,
                0
            ),
            "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="
        );
    }
}
