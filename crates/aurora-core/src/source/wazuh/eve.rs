//! Suricata alerts that reached Wazuh, mapped so that they link with the
//! same alert read straight from EVE: the signature becomes `rule.*`, the
//! 5-tuple `source`/`destination`/`network.*` with a Community ID, and the
//! EVE record itself `suricata.eve`.
//!
//! Wazuh's `json` decoder (rule 86601) leaves the EVE record twice: as text
//! in `full_log` (with Suricata's own types) and as `data` (every number
//! turned into a string, `flow_id` into `"123.000000"`). The text is
//! preferred. The `snort` decoder reading fast.log (rules 20100/20101)
//! leaves only the fast.log line, which is parsed here.
//!
//! This deliberately does not call the Suricata parser: the two are written
//! in parallel, and the handful of fields needed for linking are few. The
//! alert's ATT&CK metadata is the exception: it goes through the Suricata
//! mapping (`suricata::map_alert_metadata`), whose catalogue lookups and
//! sub-technique splitting are too much to write twice, so both paths give the
//! same `threat.*`.

use crate::community_id;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use crate::source::util::{self, Related};
use simd_json::prelude::*;
use std::net::IpAddr;

/// Where the EVE record was read from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum From {
    FullLog,
    Data,
}

/// Suricata `alert.severity` (1 = highest) to `event.severity`.
fn severity_of(sev: u64) -> u8 {
    match sev {
        1 => 4,
        2 => 3,
        3 => 2,
        _ => 1,
    }
}

/// Maps the EVE record carried by a Wazuh alert, raising `severity` to the
/// Suricata alert's own when that is higher (Wazuh files every Suricata alert
/// under one low-level rule). Returns where the record came from, or None
/// if there was none.
pub(super) fn map_wrapped_eve<'i>(
    full_log: Option<&'i str>,
    data: Option<Value<'_, 'i>>,
    ev: &mut Event,
    rel: &mut Related<'i>,
    severity: &mut u8,
) -> Option<From> {
    if let Some(text) = full_log.filter(|t| t.trim_start().starts_with('{')) {
        // The tape borrows the copy, so its strings cannot go into
        // `related.*` (which borrows the input): those are taken from
        // `data`, or from the text itself, below.
        let mut copy = text.as_bytes().to_vec();
        if let Ok(t) = simd_json::to_tape(&mut copy) {
            let root = t.as_value();
            if root.get("event_type").is_some() {
                let mut sink = Related::default();
                map_eve(root, false, ev, &mut sink, severity);
                match data {
                    Some(d) => related_from_eve(d, rel),
                    None => {
                        for k in ["\"src_ip\"", "\"dest_ip\""] {
                            if let Some(ip) = raw_string_member(text, k).filter(|s| util::is_ip(s))
                            {
                                rel.ip.push(ip);
                            }
                        }
                    }
                }
                return Some(From::FullLog);
            }
        }
    }
    let d = data?;
    d.get("event_type")?;
    map_eve(d, true, ev, rel, severity);
    Some(From::Data)
}

/// The value of a string member found by its key in JSON text, for values
/// that never need escaping (addresses). None if absent or escaped.
fn raw_string_member<'i>(text: &'i str, quoted_key: &str) -> Option<&'i str> {
    let at = text.find(quoted_key)? + quoted_key.len();
    let rest = text.get(at..)?.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    let v = &rest[..end];
    (!v.contains('\\')).then_some(v)
}

fn related_from_eve<'i>(eve: Value<'_, 'i>, rel: &mut Related<'i>) {
    for k in ["src_ip", "dest_ip"] {
        if let Some(ip) = eve.get(k).and_then(tape::str_of).filter(|s| util::is_ip(s)) {
            rel.ip.push(ip);
        }
    }
    if let Some(h) = eve
        .get("http")
        .and_then(|h| h.get("hostname"))
        .and_then(tape::str_of)
    {
        rel.hosts.push(h);
    }
}

fn map_eve<'i>(
    eve: Value<'_, 'i>,
    stringly: bool,
    ev: &mut Event,
    rel: &mut Related<'i>,
    severity: &mut u8,
) {
    let Some(obj) = eve.as_object() else { return };
    let (mut src, mut dst, mut sport, mut dport, mut proto) = (None, None, None, None, None);
    let mut community = None;
    let mut flow_id = None;
    for (k, v) in obj.iter() {
        match k {
            "src_ip" => src = tape::str_of(v),
            "dest_ip" => dst = tape::str_of(v),
            "src_port" => sport = tape::u64_of(v),
            "dest_port" => dport = tape::u64_of(v),
            "proto" => proto = tape::str_of(v),
            "community_id" => community = tape::str_of(v),
            "flow_id" => flow_id = flow_id_of(v),
            "app_proto" => {
                if let Some(p) = tape::str_of(v).filter(|p| !matches!(*p, "failed" | "template")) {
                    ev.str(F::NetworkProtocol, p);
                }
            }
            "in_iface" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::ObserverIngressInterfaceName, s);
                }
            }
            "alert" => map_alert(v, ev, severity),
            "http" => map_http(v, ev, rel),
            _ => {}
        }
    }
    five_tuple(src, dst, sport, dport, proto, community, ev, rel);
    ev.with(F::Suricata, |b| {
        b.extend_from_slice(b"{\"eve\":{");
        let mut first = true;
        for (k, v) in obj.iter() {
            if !first {
                b.push(b',');
            }
            first = false;
            json::write_str(b, k);
            b.push(b':');
            match (k, flow_id) {
                // Wazuh's data has "123.000000": write EVE's number back.
                ("flow_id", Some(id)) if stringly => json::write_u64(b, id),
                _ => tape::write_value(b, v),
            }
        }
        b.extend_from_slice(b"}}");
    });
}

fn flow_id_of(v: Value<'_, '_>) -> Option<u64> {
    v.as_u64().or_else(|| {
        let s = tape::str_of(v)?;
        let int = s.split('.').next()?;
        int.parse().ok()
    })
}

#[allow(clippy::too_many_arguments)]
fn five_tuple<'i>(
    src: Option<&'i str>,
    dst: Option<&'i str>,
    sport: Option<u64>,
    dport: Option<u64>,
    proto: Option<&'i str>,
    community: Option<&str>,
    ev: &mut Event,
    rel: &mut Related<'i>,
) {
    if let Some(s) = src {
        util::set_addr(ev, F::SourceIp, F::SourceAddress, s);
        rel.ip.push(s);
    }
    if let Some(d) = dst {
        util::set_addr(ev, F::DestinationIp, F::DestinationAddress, d);
        rel.ip.push(d);
    }
    if let Some(p) = sport {
        ev.u64(F::SourcePort, p);
    }
    if let Some(p) = dport {
        ev.u64(F::DestinationPort, p);
    }
    let proto_num = proto.and_then(|p| {
        let mut lower = [0u8; 16];
        let n = p.len().min(16);
        for (o, c) in lower.iter_mut().zip(p.bytes()) {
            *o = c.to_ascii_lowercase();
        }
        let l = std::str::from_utf8(&lower[..n]).ok()?;
        ev.str(F::NetworkTransport, l);
        community_id::proto_number(l)
    });
    match community {
        Some(c) => ev.str(F::NetworkCommunityId, c),
        None => {
            let ips = src
                .and_then(|s| s.parse::<IpAddr>().ok())
                .zip(dst.and_then(|d| d.parse::<IpAddr>().ok()));
            if let (Some((s, d)), Some(p)) = (ips, proto_num) {
                let sp = sport.and_then(|p| u16::try_from(p).ok()).unwrap_or(0);
                let dp = dport.and_then(|p| u16::try_from(p).ok()).unwrap_or(0);
                if let Some(id) = community_id::community_id(s, d, p, sp, dp) {
                    ev.str(F::NetworkCommunityId, &id);
                }
            }
        }
    }
}

fn map_alert(alert: Value<'_, '_>, ev: &mut Event, severity: &mut u8) {
    let Some(obj) = alert.as_object() else { return };
    let mut sev = None;
    let mut critical = false;
    for (k, v) in obj.iter() {
        match k {
            "signature_id" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.with(F::RuleId, |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            "signature" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::RuleName, s);
                    ev.str(F::RuleDescription, s);
                }
            }
            "category" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::RuleCategory, s);
                }
            }
            "severity" => sev = tape::u64_of(v),
            "action" => {
                if let Some(s) = tape::str_of(v) {
                    ev.strs(
                        F::EventType,
                        [if s == "blocked" { "denied" } else { "allowed" }],
                    );
                }
            }
            // The same ATT&CK mapping as the alert read straight from EVE, so
            // the two line up on threat.* too.
            "metadata" if !tape::is_null(v) => {
                critical = crate::source::suricata::map_alert_metadata(ev, v);
            }
            _ => {}
        }
    }
    ev.str(F::RuleRuleset, "suricata");
    let s = match (critical, sev) {
        (true, _) => 5,
        (false, Some(n)) => severity_of(n),
        (false, None) => 0,
    };
    *severity = (*severity).max(s);
}

fn map_http<'i>(http: Value<'_, 'i>, ev: &mut Event, rel: &mut Related<'i>) {
    let Some(obj) = http.as_object() else { return };
    for (k, v) in obj.iter() {
        match k {
            "hostname" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::DestinationDomain, s);
                    rel.hosts.push(s);
                }
            }
            "url" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::UrlOriginal, s);
                }
            }
            "http_user_agent" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::UserAgentOriginal, s);
                }
            }
            "http_method" => {
                if let Some(s) = tape::str_of(v) {
                    ev.str(F::HttpRequestMethod, s);
                }
            }
            "status" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::HttpResponseStatusCode, n);
                }
            }
            _ => {}
        }
    }
}

/// A Suricata/Snort fast.log line as the `snort` decoder passes it on:
/// `03/04/2020-13:55:05.224939  [**] [1:2221028:1] SIGNATURE [**]
/// [Classification: …] [Priority: 3] {TCP} 192.168.10.18:41334 -> 192.168.10.21:80`.
pub(super) fn map_fast_log<'i>(
    line: &'i str,
    gid_sid_rev: Option<&'i str>,
    ev: &mut Event,
    rel: &mut Related<'i>,
    severity: &mut u8,
) {
    let Some((_, rest)) = line.split_once("[**] [") else {
        return;
    };
    let Some((ids, rest)) = rest.split_once("] ") else {
        return;
    };
    let sid = gid_sid_rev.unwrap_or(ids).split(':').nth(1);
    if let Some(sid) = sid.filter(|s| s.parse::<u64>().is_ok()) {
        ev.str(F::RuleId, sid);
    }
    let (signature, rest) = rest.split_once(" [**]").unwrap_or((rest, ""));
    ev.str(F::RuleName, signature.trim());
    ev.str(F::RuleDescription, signature.trim());
    ev.str(F::RuleRuleset, "suricata");
    if let Some(c) = between(rest, "[Classification: ", "]") {
        ev.str(F::RuleCategory, c);
    }
    if let Some(p) = between(rest, "[Priority: ", "]").and_then(|p| p.parse::<u64>().ok()) {
        *severity = (*severity).max(severity_of(p));
    }
    let Some(proto) = between(rest, "{", "}") else {
        return;
    };
    let Some((_, flow)) = rest.split_once('}') else {
        return;
    };
    let Some((a, b)) = flow.split_once(" -> ") else {
        return;
    };
    let (src, sport) = match util::split_port(a) {
        Some((h, p)) => (Some(h), Some(p as u64)),
        None => (Some(a.trim()).filter(|s| util::is_ip(s)), None),
    };
    let (dst, dport) = match util::split_port(b) {
        Some((h, p)) => (Some(h), Some(p as u64)),
        None => (Some(b.trim()).filter(|s| util::is_ip(s)), None),
    };
    five_tuple(src, dst, sport, dport, Some(proto), None, ev, rel);
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let (_, rest) = s.split_once(open)?;
    Some(rest.split_once(close)?.0)
}
