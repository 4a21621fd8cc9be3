//! Suricata EVE JSON → ECS.
//!
//! The mapping follows Elastic's Suricata integration (the `eve` ingest
//! pipeline) so that Kibana users find fields where they expect them, with
//! the differences listed in `docs/differences-suricata.md`. What has no ECS
//! home stays under `suricata.eve.*`, written as one object in the shape
//! Elastic's pipeline leaves it (keys it moves to ECS are left out).
//!
//! Speed matters here: EVE is the highest-volume input aurora reads. Each
//! object is walked once with a `match` on its keys, strings are borrowed
//! from simd-json's tape, small lists live in fixed arrays, and JSON is
//! written straight into the event's arena. Nothing allocates per record on
//! the common path; only odd input (warnings, rejects) does.

mod alert;
mod apps;
pub mod attack;
mod dns;
mod out;
mod tls;

use crate::community_id;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::time::{self, Micros};
use simd_json::prelude::*;
use std::net::IpAddr;

/// Maps one EVE record (the parsed root object) onto `ev`.
pub fn normalize(root: Value<'_, '_>, ev: &mut Event) -> Result<(), RecordError> {
    let Some(obj) = root.as_object() else {
        return Err("EVE record is not a JSON object".into());
    };
    let mut r = Rec::default();
    // The key of each member, found once for both walks of the root.
    let mut kinds = [None; KINDS];
    for (i, (k, v)) in obj.iter().enumerate() {
        if tape::is_null(v) {
            continue;
        }
        use RootKey as K;
        let kind = RootKey::of(k);
        if i < KINDS {
            kinds[i] = kind;
        }
        let Some(key) = kind else { continue };
        match key {
            K::Timestamp => r.ts = Some(v),
            K::EventType => r.event_type = Some(want_str("event_type", v)?),
            K::SrcIp => r.src_ip = Some(want_str("src_ip", v)?),
            K::DestIp => r.dest_ip = Some(want_str("dest_ip", v)?),
            K::SrcPort => r.src_port = Some(port("src_port", v)?),
            K::DestPort => r.dest_port = Some(port("dest_port", v)?),
            K::Proto => r.proto = Some(v),
            K::AppProto => r.app_proto = v.into_string(),
            K::CommunityId => r.community_id = v.into_string(),
            K::IcmpType => r.icmp_type = tape::u64_of(v).and_then(|n| u16::try_from(n).ok()),
            K::IcmpCode => r.icmp_code = tape::u64_of(v).and_then(|n| u16::try_from(n).ok()),
            K::Host => r.host = v.into_string(),
            K::InIface => r.in_iface = v.into_string(),
            K::Vlan => r.vlan = Some(v),
            K::Alert => r.alert = Some(v),
            K::Flow => r.flow = Some(v),
            K::Netflow => r.netflow = Some(v),
            K::Http => r.http = Some(v),
            K::Tls => r.tls = Some(v),
            K::Dns => r.dns = Some(v),
            K::Fileinfo => r.fileinfo = Some(v),
            K::Smtp => r.smtp = Some(v),
            K::Email => r.email = Some(v),
            K::Ether => r.ether = Some(v),
            K::FlowId => {}
        }
    }

    let mut lower_buf = [0u8; 32];
    let et_name = ascii_lower(r.event_type.unwrap_or(""), &mut lower_buf);
    let et = EventType::of(et_name);
    if r.event_type.is_none() {
        ev.warn("no event_type: mapped as a generic EVE record");
    }
    if et == EventType::Alert && r.alert.is_some_and(|a| !a.is_object()) {
        return Err(RecordError::new(format!(
            "alert is {}, expected an object",
            describe(r.alert.unwrap_or(Value::null()))
        )));
    }

    ev.set_module("suricata");
    // Constant values as ready JSON: no escaping check per record.
    ev.raw(F::EventDataset, br#""suricata.eve""#);
    ev.raw(F::ObserverVendor, br#""OISF""#);
    ev.raw(F::ObserverProduct, br#""Suricata""#);
    ev.raw(F::ObserverType, br#""ids""#);
    if let Some(h) = r.host {
        ev.str_nonempty(F::ObserverHostname, h);
    }
    if let Some(i) = r.in_iface {
        ev.str_nonempty(F::ObserverIngressInterfaceName, i);
    }
    if let Some(id) = r.vlan.and_then(first_vlan) {
        ev.with(F::NetworkVlanId, |b| {
            b.push(b'"');
            json::write_u64(b, id);
            b.push(b'"');
        });
    }

    let ts_ok = match r.ts {
        None => true,
        Some(v) => match v.into_string().and_then(parse_eve_time) {
            Some(t) => {
                ev.time(F::Timestamp, t);
                true
            }
            None => {
                ev.warn(format!(
                    "timestamp is {}, not an ISO 8601 time; kept as suricata.eve.timestamp",
                    describe(v)
                ));
                false
            }
        },
    };

    // Endpoints.
    let mut rel = apps::Related::default();
    let sip = endpoint(
        ev,
        r.src_ip,
        F::SourceAddress,
        F::SourceIp,
        "src_ip",
        &mut rel,
    );
    let dip = endpoint(
        ev,
        r.dest_ip,
        F::DestinationAddress,
        F::DestinationIp,
        "dest_ip",
        &mut rel,
    );
    if let Some(p) = r.src_port {
        ev.u64(F::SourcePort, p as u64);
    }
    if let Some(p) = r.dest_port {
        ev.u64(F::DestinationPort, p as u64);
    }
    let proto_num = r.proto.and_then(|p| transport(ev, p));
    if let Some(e) = r.ether {
        apps::ether(ev, e);
    }

    match r.community_id {
        Some(c) if !c.is_empty() => ev.str(F::NetworkCommunityId, c),
        _ => {
            if let (Some(s), Some(d), Some(p)) = (sip, dip, proto_num) {
                let (sp, dp) = match p {
                    community_id::ICMP | community_id::ICMP6 => (r.icmp_type, r.icmp_code),
                    community_id::TCP | community_id::UDP | community_id::SCTP => {
                        (r.src_port, r.dest_port)
                    }
                    _ => (Some(0), Some(0)),
                };
                if let (Some(sp), Some(dp)) = (sp, dp)
                    && s.is_ipv4() == d.is_ipv4()
                {
                    ev.with(F::NetworkCommunityId, |b| {
                        community_id::write_community_id_json(b, s, d, p, sp, dp);
                    });
                }
            }
        }
    }

    // network.protocol: the event type's protocol, then app_proto over it,
    // as Elastic does.
    let mut net_proto = et.protocol(et_name);
    if let Some(a) = r.app_proto {
        if a.eq_ignore_ascii_case("ftp-data") {
            net_proto = Some(ProtoName::Static("ftp"));
        } else if !a.is_empty()
            && !["failed", "template", "template-rust"]
                .iter()
                .any(|x| a.eq_ignore_ascii_case(x))
        {
            net_proto = Some(ProtoName::Lower(a));
        }
    }
    let app_proto_used = r.app_proto.is_some_and(|a| {
        !["failed", "template", "template-rust"]
            .iter()
            .any(|x| a.eq_ignore_ascii_case(x))
    });
    if let Some(p) = net_proto {
        ev.with(F::NetworkProtocol, |b| match p {
            ProtoName::Static(s) => json::write_str(b, s),
            ProtoName::Lower(s) => out::write_lower(b, s),
        });
    }
    let proto_is = |name: &str| {
        net_proto.is_some_and(|p| match p {
            ProtoName::Static(s) | ProtoName::Lower(s) => s.eq_ignore_ascii_case(name),
        })
    };

    // Per-protocol objects. Order matters for destination.domain: the HTTP
    // Host header wins over the TLS SNI, as in Elastic's pipeline.
    let mut alert = alert::AlertInfo::default();
    if let Some(a) = r.alert
        && a.is_object()
    {
        alert = alert::alert(ev, a);
    }
    let mut flow_state = None;
    if let Some(f) = r.flow {
        flow_state = apps::flow(ev, f, false);
    }
    if let Some(f) = r.netflow {
        apps::flow(ev, f, true);
    }
    if let Some(h) = r.http {
        apps::http(ev, h, et.is_http(), &mut rel);
    }
    if let Some(t) = r.tls {
        tls::tls(ev, t, &mut rel);
    }
    let dns_mapped = r.dns.is_some() && (et == EventType::Dns || proto_is("dns"));
    if dns_mapped && let Some(d) = r.dns {
        dns::dns(ev, d, &mut rel);
    }
    if let Some(f) = r.fileinfo {
        apps::fileinfo(ev, f, &mut rel);
    }
    if r.smtp.is_some() || r.email.is_some() {
        apps::email(ev, r.smtp, r.email);
    }

    // event.*
    ev.raw(
        F::EventKind,
        match et {
            EventType::Alert => br#""alert""#,
            EventType::Stats => br#""metric""#,
            _ => br#""event""#,
        },
    );
    let categories: &[u8] = match et {
        EventType::Alert => br#"["network","intrusion_detection"]"#,
        EventType::Http => br#"["network","web"]"#,
        EventType::Smtp => br#"["network","email"]"#,
        _ => br#"["network"]"#,
    };
    ev.raw(F::EventCategory, categories);
    let mut types: [&str; 4] = [""; 4];
    let mut n = 0;
    let mut add = |t: &'static str| {
        if n < types.len() {
            types[n] = t;
            n += 1;
        }
    };
    match et {
        EventType::Alert => match alert.action {
            Some(a) if a.eq_ignore_ascii_case("allowed") => add("allowed"),
            Some(a) if a.eq_ignore_ascii_case("blocked") => add("denied"),
            _ => {}
        },
        EventType::Flow | EventType::Netflow => add("connection"),
        EventType::Http => {
            add("access");
            add("protocol");
        }
        EventType::Smtp | EventType::Dns | EventType::Tls | EventType::Proto => add("protocol"),
        _ => {}
    }
    match flow_state {
        Some("new") => add("start"),
        Some("closed") => add("end"),
        _ => {}
    }
    ev.strs(F::EventType, types[..n].iter().copied());
    ev.severity(if et == EventType::Alert {
        alert.severity
    } else {
        1
    });

    rel.write(ev);

    let keep = EveKeep {
        timestamp: !ts_ok,
        app_proto: !app_proto_used,
        dns_mapped,
    };
    ev.with(F::Suricata, |b| write_eve(b, root, keep, &kinds));
    Ok(())
}

/// Maps an EVE `alert` object alone: rule.*, message, event.action,
/// threat.* from its metadata; returns DESIGN.md's severity for it. For
/// parsers that meet Suricata alerts inside other records (Wazuh's
/// `data.alert`), so that both paths name the same fields alike.
pub fn map_alert(ev: &mut Event, alert: Value<'_, '_>) -> u8 {
    alert::alert(ev, alert).severity
}

/// The root keys the mapping reads (and `flow_id`, which suricata.eve
/// rewrites), found by length first: a record has a dozen keys or more, and
/// a chain of string compares per key adds up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RootKey {
    Timestamp,
    EventType,
    SrcIp,
    DestIp,
    SrcPort,
    DestPort,
    Proto,
    AppProto,
    CommunityId,
    IcmpType,
    IcmpCode,
    Host,
    InIface,
    Vlan,
    Alert,
    Flow,
    Netflow,
    Http,
    Tls,
    Dns,
    Fileinfo,
    Smtp,
    Email,
    Ether,
    FlowId,
}

impl RootKey {
    #[cfg(test)]
    const ALL: [(&'static str, RootKey); 25] = [
        ("timestamp", RootKey::Timestamp),
        ("event_type", RootKey::EventType),
        ("src_ip", RootKey::SrcIp),
        ("dest_ip", RootKey::DestIp),
        ("src_port", RootKey::SrcPort),
        ("dest_port", RootKey::DestPort),
        ("proto", RootKey::Proto),
        ("app_proto", RootKey::AppProto),
        ("community_id", RootKey::CommunityId),
        ("icmp_type", RootKey::IcmpType),
        ("icmp_code", RootKey::IcmpCode),
        ("host", RootKey::Host),
        ("in_iface", RootKey::InIface),
        ("vlan", RootKey::Vlan),
        ("alert", RootKey::Alert),
        ("flow", RootKey::Flow),
        ("netflow", RootKey::Netflow),
        ("http", RootKey::Http),
        ("tls", RootKey::Tls),
        ("dns", RootKey::Dns),
        ("fileinfo", RootKey::Fileinfo),
        ("smtp", RootKey::Smtp),
        ("email", RootKey::Email),
        ("ether", RootKey::Ether),
        ("flow_id", RootKey::FlowId),
    ];

    #[inline]
    fn of(k: &str) -> Option<RootKey> {
        use RootKey::*;
        Some(match k.len() {
            3 => match k {
                "tls" => Tls,
                "dns" => Dns,
                _ => return None,
            },
            4 => match k {
                "host" => Host,
                "vlan" => Vlan,
                "flow" => Flow,
                "http" => Http,
                "smtp" => Smtp,
                _ => return None,
            },
            5 => match k {
                "proto" => Proto,
                "alert" => Alert,
                "email" => Email,
                "ether" => Ether,
                _ => return None,
            },
            6 if k == "src_ip" => SrcIp,
            7 => match k {
                "dest_ip" => DestIp,
                "netflow" => Netflow,
                "flow_id" => FlowId,
                _ => return None,
            },
            8 => match k {
                "src_port" => SrcPort,
                "in_iface" => InIface,
                "fileinfo" => Fileinfo,
                _ => return None,
            },
            9 => match k {
                "timestamp" => Timestamp,
                "dest_port" => DestPort,
                "app_proto" => AppProto,
                "icmp_type" => IcmpType,
                "icmp_code" => IcmpCode,
                _ => return None,
            },
            10 if k == "event_type" => EventType,
            12 if k == "community_id" => CommunityId,
            _ => return None,
        })
    }
}

/// Root members whose [`RootKey`] is remembered between the two walks of
/// the root (EVE records have fewer; later ones are looked up again).
const KINDS: usize = 32;

/// The fields of the root object the mapping reads, borrowed from the tape.
#[derive(Default)]
struct Rec<'t, 'i> {
    ts: Option<Value<'t, 'i>>,
    event_type: Option<&'i str>,
    src_ip: Option<&'i str>,
    dest_ip: Option<&'i str>,
    src_port: Option<u16>,
    dest_port: Option<u16>,
    proto: Option<Value<'t, 'i>>,
    app_proto: Option<&'i str>,
    community_id: Option<&'i str>,
    icmp_type: Option<u16>,
    icmp_code: Option<u16>,
    host: Option<&'i str>,
    in_iface: Option<&'i str>,
    vlan: Option<Value<'t, 'i>>,
    alert: Option<Value<'t, 'i>>,
    flow: Option<Value<'t, 'i>>,
    netflow: Option<Value<'t, 'i>>,
    http: Option<Value<'t, 'i>>,
    tls: Option<Value<'t, 'i>>,
    dns: Option<Value<'t, 'i>>,
    fileinfo: Option<Value<'t, 'i>>,
    smtp: Option<Value<'t, 'i>>,
    email: Option<Value<'t, 'i>>,
    ether: Option<Value<'t, 'i>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EventType {
    Alert,
    Anomaly,
    Dns,
    Fileinfo,
    Flow,
    Http,
    Netflow,
    Smtp,
    Stats,
    Tls,
    /// Event types that carry no application protocol of their own.
    Other,
    /// Any other application-layer event (ssh, mqtt, pgsql, smb…).
    Proto,
}

#[derive(Clone, Copy)]
enum ProtoName<'i> {
    Static(&'static str),
    Lower(&'i str),
}

impl EventType {
    fn of(lower: &str) -> Self {
        match lower {
            "alert" => Self::Alert,
            "anomaly" => Self::Anomaly,
            "dns" => Self::Dns,
            "fileinfo" => Self::Fileinfo,
            "flow" => Self::Flow,
            "http" | "http2" => Self::Http,
            "netflow" => Self::Netflow,
            "smtp" => Self::Smtp,
            "stats" => Self::Stats,
            "tls" => Self::Tls,
            "" | "drop" | "frame" | "packet" | "engine" | "files" => Self::Other,
            _ => Self::Proto,
        }
    }

    fn is_http(self) -> bool {
        self == Self::Http
    }

    /// The protocol an event type implies (Elastic's table, extended to
    /// every application-layer type: `pgsql` events are PostgreSQL traffic
    /// whether or not the record says `app_proto`).
    fn protocol(self, lower: &str) -> Option<ProtoName<'_>> {
        match self {
            Self::Alert
            | Self::Anomaly
            | Self::Fileinfo
            | Self::Flow
            | Self::Netflow
            | Self::Stats
            | Self::Other => None,
            Self::Http => Some(ProtoName::Static("http")),
            _ if lower == "ftp_data" => Some(ProtoName::Static("ftp")),
            _ => Some(ProtoName::Lower(lower)),
        }
    }
}

/// What `suricata.eve` keeps of the keys the mapping consumed.
#[derive(Clone, Copy)]
struct EveKeep {
    /// The timestamp could not be read, so it is kept as it was.
    timestamp: bool,
    /// app_proto said `failed`/`template`: worth keeping, not a protocol.
    app_proto: bool,
    dns_mapped: bool,
}

// Keys of each object that the mapping moved to ECS (left out of
// suricata.eve). Matches rather than lists: the compiler switches on length.
fn http_moved(k: &str) -> bool {
    matches!(
        k,
        "hostname" | "url" | "http_method" | "http_user_agent" | "status" | "length" | "http_refer"
    )
}
fn flow_moved(k: &str) -> bool {
    matches!(
        k,
        "pkts_toserver" | "pkts_toclient" | "bytes_toserver" | "bytes_toclient" | "start" | "end"
    )
}
fn netflow_moved(k: &str) -> bool {
    matches!(k, "pkts" | "bytes" | "start" | "end")
}
fn fileinfo_moved(k: &str) -> bool {
    matches!(k, "filename" | "size")
}
fn dns_moved(k: &str) -> bool {
    matches!(k, "aa" | "tc" | "rd" | "ra" | "answers")
}
fn ether_moved(k: &str) -> bool {
    matches!(k, "src_mac" | "dest_mac")
}

/// Writes `{"eve":{…}}`: the record minus what moved to ECS.
fn write_eve(b: &mut Vec<u8>, root: Value<'_, '_>, keep: EveKeep, kinds: &[Option<RootKey>]) {
    b.extend_from_slice(b"{\"eve\":{");
    let mut first = true;
    if let Some(obj) = root.as_object() {
        for (i, (k, v)) in obj.iter().enumerate() {
            if tape::is_null(v) {
                continue;
            }
            let kind = match kinds.get(i) {
                Some(&kind) => kind,
                None => RootKey::of(k),
            };
            let o = v.is_object();
            use RootKey as K;
            match kind {
                Some(
                    K::SrcIp | K::DestIp | K::SrcPort | K::DestPort | K::Proto | K::CommunityId,
                ) => {}
                Some(K::Timestamp) if !keep.timestamp => {}
                Some(K::AppProto) if !keep.app_proto => {}
                Some(K::FlowId) => {
                    out::key(b, &mut first, k);
                    // A keyword, as in Elastic: flow ids pass 2^53 and would
                    // lose digits in any consumer that reads numbers as doubles.
                    match v.as_u64() {
                        Some(n) => {
                            b.push(b'"');
                            json::write_u64(b, n);
                            b.push(b'"');
                        }
                        None => out::write_clean(b, v),
                    }
                }
                Some(K::Alert) if o => alert::write_eve_alert(b, &mut first, v),
                Some(K::Http) if o => out::write_filtered(b, &mut first, k, v, http_moved),
                Some(K::Flow) if o => out::write_filtered(b, &mut first, k, v, flow_moved),
                Some(K::Netflow) if o => out::write_filtered(b, &mut first, k, v, netflow_moved),
                Some(K::Fileinfo) if o => out::write_filtered(b, &mut first, k, v, fileinfo_moved),
                Some(K::Dns) if o && keep.dns_mapped => {
                    out::write_filtered(b, &mut first, k, v, dns_moved)
                }
                Some(K::Ether) if o => out::write_filtered(b, &mut first, k, v, ether_moved),
                _ => {
                    out::key(b, &mut first, k);
                    out::write_clean(b, v);
                }
            }
        }
    }
    b.extend_from_slice(b"}}");
}

/// Sets `*.address` and, when it parses, `*.ip` (and related.ip).
fn endpoint<'i>(
    ev: &mut Event,
    s: Option<&'i str>,
    address: F,
    ip: F,
    key: &str,
    rel: &mut apps::Related<'i>,
) -> Option<IpAddr> {
    let s = s?;
    if s.is_empty() {
        return None;
    }
    ev.str(address, s);
    match parse_ip(s) {
        Some(a) => {
            ev.same_as_last(ip);
            rel.ip(s);
            Some(a)
        }
        None => {
            ev.warn(format!(
                "{key} {s:?} is not an IP address; kept as the address only"
            ));
            None
        }
    }
}

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
fn transport(ev: &mut Event, p: Value<'_, '_>) -> Option<u8> {
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
fn proto_number(s: &str) -> Option<u8> {
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
fn first_vlan(v: Value<'_, '_>) -> Option<u64> {
    match v.as_array() {
        Some(a) => a.iter().next().and_then(tape::u64_of),
        None => tape::u64_of(v),
    }
}

/// EVE timestamps: `2023-09-18T06:13:41.532140+0000`. UTC stamps (the usual
/// case on sensors) are read by a straight-line path; others go through the
/// general parser.
fn parse_eve_time(s: &str) -> Option<Micros> {
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
fn num(d: &[u8]) -> Option<u32> {
    d.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
    })
}

/// Lowercases short ASCII into `buf`; anything else comes back unchanged.
fn ascii_lower<'a>(s: &'a str, buf: &'a mut [u8; 32]) -> &'a str {
    if !s.bytes().any(|c| c.is_ascii_uppercase()) || s.len() > buf.len() || !s.is_ascii() {
        return s;
    }
    let out = &mut buf[..s.len()];
    out.copy_from_slice(s.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or(s)
}

fn want_str<'i>(key: &str, v: Value<'_, 'i>) -> Result<&'i str, RecordError> {
    v.into_string()
        .ok_or_else(|| RecordError::new(format!("{key} is {}, expected a string", describe(v))))
}

fn port(key: &str, v: Value<'_, '_>) -> Result<u16, RecordError> {
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
    fn root_keys_by_length() {
        for (name, key) in RootKey::ALL {
            assert_eq!(RootKey::of(name), Some(key), "{name}");
            assert_eq!(RootKey::of(&name[1..]), None, "{name}");
            assert_eq!(RootKey::of(&format!("{name}x")), None, "{name}");
        }
        for other in [
            "",
            "x",
            "tcp",
            "flow_ids",
            "Timestamp",
            "pkt_src",
            "metadata",
        ] {
            assert_eq!(RootKey::of(other), None, "{other}");
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
