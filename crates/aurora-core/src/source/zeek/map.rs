//! The one Zeek → ECS mapping, over typed fields from either rendering.
//!
//! A reader (TSV row or JSON object) hands every set field to [`map`] as a
//! name and a [`Val`], in one pass. Each field either sets ECS fields, or is
//! kept under `zeek.<log>.*`, or both; what a field means may depend on
//! others (ports on the transport, `network.direction` on two flags), so
//! those facts are gathered and settled at the end.

use crate::community_id;
use crate::event::Event;
use crate::fields::F;
use crate::reject::RecordError;
use crate::source::zeek::logs::{self, Log};
use crate::source::zeek::object::ObjWriter;
use crate::source::zeek::protocols::{self, add_ips};
use crate::source::zeek::value::Val;
use std::cell::RefCell;
use std::net::IpAddr;

/// A record of one Zeek log line, in either rendering.
pub trait Record<'a> {
    /// Calls `f` with each set field, in the record's order.
    fn each(
        &self,
        f: &mut dyn FnMut(&'a str, Val<'a>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError>;
}

/// A few distinct strings, kept in one buffer (related.ip/user/hosts).
#[derive(Default)]
pub(super) struct StrSet {
    buf: String,
    ends: Vec<usize>,
}

impl StrSet {
    const CAP: usize = 128;

    fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let s = &self.buf[start..e];
            start = e;
            s
        })
    }

    /// Adds `s` unless present. Lookups are linear, so a set stops growing
    /// at [`StrSet::CAP`] (a record naming more addresses than that keeps
    /// them all under `zeek.*`; related.* is for joining, not a copy).
    pub(super) fn insert(&mut self, s: &str) {
        if s.is_empty() || self.ends.len() >= Self::CAP || self.iter().any(|x| x == s) {
            return;
        }
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }
}

#[derive(Default)]
pub(super) struct Scratch {
    pub(super) obj: ObjWriter,
    pub(super) ips: StrSet,
    pub(super) users: StrSet,
    pub(super) hosts: StrSet,
    resolved: StrSet,
    ttls: Vec<f64>,
}

thread_local! {
    // Reused per record so that mapping allocates nothing once warm.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Facts that decide fields only once the whole record has been seen.
#[derive(Default)]
pub(super) struct Facts<'a> {
    pub(super) orig: Option<IpAddr>,
    pub(super) resp: Option<IpAddr>,
    pub(super) orig_p: Option<u64>,
    pub(super) resp_p: Option<u64>,
    pub(super) proto: Option<u8>,
    pub(super) transport_set: bool,
    pub(super) community_id: bool,
    pub(super) local_orig: Option<bool>,
    pub(super) local_resp: Option<bool>,
    pub(super) bytes: [Option<u64>; 2],
    pub(super) packets: [Option<u64>; 2],
    pub(super) types: Option<&'static [&'static str]>,
    pub(super) extra_type: Option<&'static str>,
    pub(super) outcome: Option<&'static str>,
    pub(super) dns_flags: [bool; 4],
    pub(super) dns_answers: Option<Val<'a>>,
    pub(super) dns_ttls: Option<Val<'a>>,
    // notice.log's own endpoints, used when the record has no id.*.
    pub(super) alt_src: Option<Val<'a>>,
    pub(super) alt_dst: Option<Val<'a>>,
    pub(super) alt_p: Option<u64>,
}

/// Maps `rec`, a record of the log named `log`, onto `ev`.
pub fn map<'a>(rec: &dyn Record<'a>, log_name: &str, ev: &mut Event) -> Result<(), RecordError> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let s = &mut *s;
        s.obj.clear();
        s.ips.clear();
        s.users.clear();
        s.hosts.clear();
        map_with(rec, log_name, ev, s)
    })
}

fn map_with<'a>(
    rec: &dyn Record<'a>,
    log_name: &str,
    ev: &mut Event,
    s: &mut Scratch,
) -> Result<(), RecordError> {
    let log = Log::from_name(log_name);
    let spec = log.spec();
    // Elastic names the conn namespace `zeek.connection`; others `zeek.<log>`.
    let ns = if log == Log::Conn {
        "connection"
    } else {
        log_name
    };
    ev.set_module("zeek");
    ev.with(F::EventDataset, |b| {
        b.extend_from_slice(b"\"zeek.");
        crate::json::escape_into(b, log_name.as_bytes());
        b.push(b'"');
    });
    let mut facts = Facts::default();
    rec.each(&mut |key, val| {
        if matches!(val, Val::Null) {
            return Ok(());
        }
        let keep = field(log, key, &val, &mut facts, s, ev)?;
        if keep {
            s.obj.put(ns, key, &val);
        }
        Ok(())
    })?;
    finish(log, &spec, ns, facts, s, ev);
    Ok(())
}

fn port_of(key: &str, val: &Val<'_>) -> Result<u64, RecordError> {
    match val.as_u64() {
        Some(p) if p <= 65535 => Ok(p),
        _ => Err(RecordError::new(format!(
            "{key} is {}, not a port number",
            shown(val)
        ))),
    }
}

pub(super) fn ip_of(key: &str, val: &Val<'_>) -> Result<IpAddr, RecordError> {
    val.as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RecordError::new(format!("{key} is {}, not an IP address", shown(val))))
}

/// A value as a reject reason quotes it (short, and never the whole record).
fn shown(val: &Val<'_>) -> String {
    let mut b = Vec::new();
    val.write(&mut b);
    let mut s = String::from_utf8_lossy(&b).into_owned();
    if s.len() > 60 {
        let mut cut = 60;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// Handles one field; returns whether it also stays under `zeek.<log>`.
fn field<'a>(
    log: Log,
    key: &'a str,
    val: &Val<'a>,
    f: &mut Facts<'a>,
    s: &mut Scratch,
    ev: &mut Event,
) -> Result<bool, RecordError> {
    // Fields every log names the same way.
    match key {
        "ts" => {
            // An unreadable time is not a reject: the event gets arrival time.
            if let Some(t) = val.as_time() {
                ev.time(F::Timestamp, t);
            }
            return Ok(false);
        }
        // Writer metadata: the log name is in event.dataset, and when Zeek
        // wrote the line is not when it happened (TSV has no such column).
        "_path" | "_write_ts" | "_system_name" => return Ok(false),
        "uid" => {
            if let Some(u) = val.as_str() {
                // A file's own id names a files.log event better than the
                // connection it travelled on.
                if log != Log::Files {
                    ev.str(F::EventId, u);
                }
                s.obj.put("", "session_id", val);
            }
            return Ok(false);
        }
        "id.orig_h" => {
            let ip = ip_of(key, val)?;
            f.orig = Some(ip);
            ev.with(F::SourceIp, |b| val.write(b));
            add_ips(&mut s.ips, val);
            return Ok(false);
        }
        "id.resp_h" => {
            let ip = ip_of(key, val)?;
            f.resp = Some(ip);
            ev.with(F::DestinationIp, |b| val.write(b));
            add_ips(&mut s.ips, val);
            return Ok(false);
        }
        "id.orig_p" => {
            f.orig_p = Some(port_of(key, val)?);
            return Ok(false);
        }
        "id.resp_p" => {
            f.resp_p = Some(port_of(key, val)?);
            return Ok(false);
        }
        "proto" if log != Log::Ocsp => {
            if let Some(p) = val.as_str() {
                set_transport(p, f, ev);
            }
            return Ok(false);
        }
        "community_id" => {
            if let Some(c) = val.as_str() {
                ev.str(F::NetworkCommunityId, c);
                f.community_id = true;
            }
            return Ok(false);
        }
        "id.vlan" | "vlan" => {
            if let Some(v) = val.as_u64() {
                ev.u64(F::NetworkVlanId, v);
            }
            return Ok(true);
        }
        _ => {}
    }
    let keep = protocols::field(log, key, val, f, s, ev)?;
    Ok(keep)
}

pub(super) fn set_transport(p: &str, f: &mut Facts<'_>, ev: &mut Event) {
    // Zeek spells transports in lower case; the common ones are matched
    // without allocating.
    let (name, num) = match p {
        "tcp" => ("tcp", Some(community_id::TCP)),
        "udp" => ("udp", Some(community_id::UDP)),
        "icmp" => ("icmp", Some(community_id::ICMP)),
        "" | "unknown_transport" => return,
        other => {
            let lower = other.to_ascii_lowercase();
            f.proto = community_id::proto_number(&lower);
            ev.str(F::NetworkTransport, &lower);
            f.transport_set = true;
            return;
        }
    };
    f.proto = num;
    ev.str(F::NetworkTransport, name);
    f.transport_set = true;
}

fn finish(
    log: Log,
    spec: &logs::Spec,
    ns: &str,
    mut f: Facts<'_>,
    s: &mut Scratch,
    ev: &mut Event,
) {
    ev.str(F::EventKind, spec.kind);
    ev.strs(F::EventCategory, spec.category.iter().copied());
    let types = f.types.unwrap_or(spec.types);
    ev.strs(F::EventType, types.iter().copied().chain(f.extra_type));
    if log == Log::Dns {
        f.outcome = Some("success");
        if !ev.has(F::DnsType) {
            ev.str(F::DnsType, "query");
        }
    }
    if let Some(o) = f.outcome {
        ev.str(F::EventOutcome, o);
    }
    ev.severity(spec.severity);
    if !ev.has(F::NetworkProtocol)
        && let Some(p) = spec.protocol
    {
        ev.str(F::NetworkProtocol, p);
    }
    if !f.transport_set
        && let Some(t) = spec.transport
        && (f.orig.is_some() || f.resp.is_some())
    {
        set_transport(t, &mut f, ev);
    }

    // notice.log names its endpoints again as src/dst/p, which are all it
    // has for notices not tied to a connection.
    if f.orig.is_none()
        && let Some(v) = &f.alt_src
        && let Some(ip) = v.as_str().and_then(|x| x.parse().ok())
    {
        f.orig = Some(ip);
        ev.with(F::SourceIp, |b| v.write(b));
    }
    if f.resp.is_none()
        && let Some(v) = &f.alt_dst
        && let Some(ip) = v.as_str().and_then(|x| x.parse().ok())
    {
        f.resp = Some(ip);
        ev.with(F::DestinationIp, |b| v.write(b));
        if f.resp_p.is_none() {
            f.resp_p = f.alt_p;
        }
    }

    // Zeek says `icmp` for ICMPv6 too; the flow hash needs the real number.
    if f.proto == Some(community_id::ICMP) && matches!(f.orig, Some(IpAddr::V6(_))) {
        f.proto = Some(community_id::ICMP6);
    }
    // ICMP has no ports: Zeek logs type and code in their place.
    let icmp = matches!(f.proto, Some(community_id::ICMP | community_id::ICMP6));
    if icmp {
        if let Some(t) = f.orig_p {
            s.obj
                .put_with(ns, "icmp.type", |b| crate::json::write_u64(b, t));
        }
        if let Some(c) = f.resp_p {
            s.obj
                .put_with(ns, "icmp.code", |b| crate::json::write_u64(b, c));
        }
    } else {
        if let Some(p) = f.orig_p {
            ev.u64(F::SourcePort, p);
        }
        if let Some(p) = f.resp_p {
            ev.u64(F::DestinationPort, p);
        }
    }
    if !f.community_id
        && let (Some(src), Some(dst), Some(proto)) = (f.orig, f.resp, f.proto)
    {
        // Port-based protocols hash their ports (ICMP its type and code);
        // without them there is no flow to name.
        let ported = icmp
            || matches!(
                proto,
                community_id::TCP | community_id::UDP | community_id::SCTP
            );
        let ports = match (f.orig_p, f.resp_p) {
            (Some(a), Some(b)) => Some((a as u16, b as u16)),
            _ if !ported => Some((0, 0)),
            _ => None,
        };
        if let Some((sp, dp)) = ports
            && let Some(id) = community_id::community_id(src, dst, proto, sp, dp)
        {
            ev.str(F::NetworkCommunityId, &id);
        }
    }

    if log == Log::Conn {
        if let (Some(o), Some(r)) = (f.local_orig, f.local_resp) {
            let dir = match (o, r) {
                (true, true) => "internal",
                (true, false) => "outbound",
                (false, true) => "inbound",
                (false, false) => "external",
            };
            ev.str(F::NetworkDirection, dir);
        }
        if let [Some(a), Some(b)] = f.bytes {
            ev.u64(F::NetworkBytes, a.saturating_add(b));
        }
        if let [Some(a), Some(b)] = f.packets {
            ev.u64(F::NetworkPackets, a.saturating_add(b));
        }
    }
    if log == Log::Dns {
        dns_answers(&f, s, ev);
        const FLAGS: [&str; 4] = ["AA", "TC", "RD", "RA"];
        let flags = f.dns_flags;
        ev.strs(
            F::DnsHeaderFlags,
            FLAGS
                .iter()
                .zip(flags)
                .filter(|(_, on)| *on)
                .map(|(n, _)| *n),
        );
    }

    ev.strs(F::RelatedIp, s.ips.iter());
    ev.strs(F::RelatedUser, s.users.iter());
    ev.strs(F::RelatedHosts, s.hosts.iter());
    if !s.obj.is_empty() {
        let obj = &mut s.obj;
        ev.with(F::Zeek, |b| obj.write(b));
    }
}

/// `dns.answers` as Elastic builds them (data and TTL paired when Zeek gave
/// as many TTLs as answers) and `dns.resolved_ip` (the answers that are IPs).
fn dns_answers(f: &Facts<'_>, s: &mut Scratch, ev: &mut Event) {
    let Some(answers) = &f.dns_answers else {
        return;
    };
    let mut n_answers = 0;
    answers.each(|_| n_answers += 1);
    let ttls = &mut s.ttls;
    ttls.clear();
    if let Some(t) = &f.dns_ttls {
        t.each(|v| ttls.push(v.as_f64().unwrap_or(0.0)));
    }
    if n_answers > 0 && n_answers == ttls.len() {
        ev.with(F::DnsAnswers, |b| {
            b.push(b'[');
            let mut i = 0;
            answers.each(|v| {
                if i > 0 {
                    b.push(b',');
                }
                b.extend_from_slice(b"{\"data\":");
                v.write(b);
                b.extend_from_slice(b",\"ttl\":");
                crate::json::write_i64(b, ttls.get(i).copied().unwrap_or(0.0) as i64);
                b.push(b'}');
                i += 1;
            });
            b.push(b']');
        });
    }
    let resolved = &mut s.resolved;
    resolved.clear();
    answers.each(|v| {
        if let Some(a) = v.as_str()
            && a.parse::<IpAddr>().is_ok()
        {
            resolved.insert(a);
            s.ips.insert(a);
        }
    });
    ev.strs(F::DnsResolvedIp, resolved.iter());
}
