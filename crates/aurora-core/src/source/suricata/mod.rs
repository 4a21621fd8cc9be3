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
mod values;

use values::*;

use crate::community_id;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};

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

/// threat.* (ATT&CK, names from the catalogue) and file.name from an EVE
/// alert's `metadata`, for parsers that map the rest of the alert their own
/// way (Wazuh's); true when the rule's `signature_severity` is Critical.
pub fn map_alert_metadata(ev: &mut Event, metadata: Value<'_, '_>) -> bool {
    alert::metadata_fields(ev, metadata)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
