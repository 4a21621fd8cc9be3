//! Wazuh and OSSEC alerts → ECS.
//!
//! One mapping for every layout the manager has written: `alerts.json` from
//! Wazuh 3.x and 4.x, legacy OSSEC 2.x JSON (`rule.sidid`, `rule.comment`,
//! `TimeStamp` in ms, flat `srcuser`…), and the same alert carried in
//! syslog (`ossec: {json}`, see [`text`]). The multi-line `alerts.log` and
//! the default syslog output (`ossec: Alert Level: …`) are text and live in
//! [`text`].
//!
//! A Suricata alert that reached Wazuh (rule 86601: the EVE record in `data`
//! and `full_log`; or fast.log lines through the `snort` decoder) keeps its
//! Suricata identity (signature, flow 5-tuple, Community ID) so that it links
//! with the same alert read from EVE; see [`eve`].

mod classify;
mod detail;
mod eve;
pub mod text;

pub use text::{AlertsLog, from_syslog_message, is_alerts_log_header};

use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::source::util::{self, List, Related};
use crate::time;
use simd_json::prelude::*;

use classify::{categorize, map_mitre};
use detail::{map_syscheck, map_windows};

/// Keys that only Wazuh/OSSEC alerts carry beside `rule`.
pub(crate) fn is_alert_key(k: &str) -> bool {
    matches!(
        k,
        "agent"
            | "manager"
            | "decoder"
            | "predecoder"
            | "full_log"
            | "location"
            | "TimeStamp"
            | "syscheck"
    )
}

/// True if a JSON record looks like a Wazuh/OSSEC alert: a `rule` plus one
/// of the keys only the manager writes.
pub fn looks_like(root: Value<'_, '_>) -> bool {
    let Some(obj) = root.as_object() else {
        return false;
    };
    let (mut rule, mut other) = (false, false);
    for (k, _) in obj.iter() {
        if k == "rule" {
            rule = true;
        } else if is_alert_key(k) {
            other = true;
        }
    }
    rule && other
}

/// Wazuh `rule.level` (0–16) to `event.severity` (DESIGN.md).
pub fn severity_of_level(level: u64) -> u8 {
    match level {
        0..=3 => 1,
        4..=6 => 2,
        7..=11 => 3,
        12..=14 => 4,
        _ => 5,
    }
}

/// The top-level members of an alert, gathered in one pass.
#[derive(Default, Clone, Copy)]
struct Alert<'t, 'i> {
    timestamp: Option<Value<'t, 'i>>,
    timestamp_ms: Option<Value<'t, 'i>>,
    at_timestamp: Option<Value<'t, 'i>>,
    id: Option<&'i str>,
    rule: Option<Value<'t, 'i>>,
    agent: Option<Value<'t, 'i>>,
    manager: Option<Value<'t, 'i>>,
    decoder: Option<Value<'t, 'i>>,
    predecoder: Option<Value<'t, 'i>>,
    location: Option<&'i str>,
    full_log: Option<&'i str>,
    data: Option<Value<'t, 'i>>,
    syscheck: Option<Value<'t, 'i>>,
    /// Legacy OSSEC keeps decoded fields at the top level.
    flat: Decoded<'i>,
    hostname: Option<&'i str>,
    program_name: Option<&'i str>,
}

/// What a decoder extracted (`data.*` in Wazuh, top level in OSSEC).
#[derive(Default, Clone, Copy)]
struct Decoded<'i> {
    srcip: Option<&'i str>,
    dstip: Option<&'i str>,
    srcport: Option<&'i str>,
    dstport: Option<&'i str>,
    srcuser: Option<&'i str>,
    dstuser: Option<&'i str>,
    user: Option<&'i str>,
    protocol: Option<&'i str>,
    action: Option<&'i str>,
    url: Option<&'i str>,
    id: Option<&'i str>,
    status: Option<&'i str>,
    /// rootcheck's file.
    file: Option<&'i str>,
}

impl<'i> Decoded<'i> {
    /// Takes a decoder field; returns false for keys that are not one.
    fn take(&mut self, k: &str, v: Value<'_, 'i>) -> bool {
        let slot = match k {
            "srcip" => &mut self.srcip,
            "dstip" => &mut self.dstip,
            "srcport" => &mut self.srcport,
            "dstport" => &mut self.dstport,
            "srcuser" => &mut self.srcuser,
            "dstuser" => &mut self.dstuser,
            "user" => &mut self.user,
            "protocol" => &mut self.protocol,
            "action" => &mut self.action,
            "url" => &mut self.url,
            "id" => &mut self.id,
            "status" => &mut self.status,
            "file" => &mut self.file,
            _ => return false,
        };
        *slot = tape::str_of(v);
        true
    }
}

/// Maps one alert (the parsed root object) onto `ev`.
pub fn normalize(root: Value<'_, '_>, ev: &mut Event) -> Result<(), RecordError> {
    let obj = root
        .as_object()
        .ok_or_else(|| RecordError::new("Wazuh alert is not a JSON object"))?;
    let mut a = Alert::default();
    for (k, v) in obj.iter() {
        match k {
            "timestamp" => a.timestamp = Some(v),
            "TimeStamp" => a.timestamp_ms = Some(v),
            "@timestamp" => a.at_timestamp = Some(v),
            "id" => a.id = tape::str_of(v),
            "rule" => a.rule = Some(v),
            "agent" => a.agent = Some(v),
            "manager" => a.manager = Some(v),
            "decoder" => a.decoder = Some(v),
            "predecoder" => a.predecoder = Some(v),
            "location" => a.location = tape::str_of(v),
            "full_log" => a.full_log = tape::str_of(v),
            "data" => a.data = Some(v).filter(|v| v.is_object()),
            "syscheck" => a.syscheck = Some(v).filter(|v| v.is_object()),
            "hostname" => a.hostname = tape::str_of(v),
            "program_name" => a.program_name = tape::str_of(v),
            _ => {
                a.flat.take(k, v);
            }
        }
    }
    let rule = match a.rule {
        None => return Err("Wazuh alert without a `rule` object".into()),
        Some(r) => r.as_object().ok_or_else(|| {
            RecordError::new(format!(
                "Wazuh alert whose `rule` is {}, not an object",
                type_word(r)
            ))
        })?,
    };

    ev.set_module("wazuh");
    ev.str(F::EventKind, "alert");
    ev.str(F::EventDataset, "wazuh.alerts");
    ev.str(F::ObserverVendor, "Wazuh");
    ev.str(F::ObserverProduct, "Wazuh");
    ev.str(F::ObserverType, "siem");
    set_time(&a, ev);
    if let Some(id) = a.id {
        ev.str(F::EventId, id);
    }
    let mut rel = Related::default();

    // rule.*
    let mut level = None;
    let mut groups: List<'_, 24> = List::default();
    let mut mitre = None;
    let mut description = None;
    for (k, v) in rule.iter() {
        match k {
            "level" => level = tape::u64_of(v),
            "id" | "sidid" => write_keyword(ev, F::RuleId, v),
            "description" | "comment" => description = tape::str_of(v),
            "groups" => tape::strs(v).for_each(|g| groups.push(g)),
            // OSSEC 2.x: one comma-separated string with a trailing comma.
            "group" => {
                if let Some(s) = tape::str_of(v) {
                    s.split(',').for_each(|g| groups.push(g));
                }
            }
            "mitre" => mitre = v.as_object().map(|_| v),
            _ => {}
        }
    }
    if let Some(d) = description {
        ev.str(F::RuleName, d);
        ev.str(F::RuleDescription, d);
    }
    ev.str(F::RuleRuleset, "wazuh");
    ev.strs(F::RuleCategory, groups.iter());
    let mut severity = level.map_or(0, severity_of_level);

    // agent → host, manager → observer
    if let Some(agent) = a.agent.and_then(|v| v.as_object()) {
        for (k, v) in agent.iter() {
            let Some(s) = tape::str_of(v) else { continue };
            match k {
                "id" => ev.str(F::HostId, s),
                "name" => {
                    ev.str(F::HostName, s);
                    rel.hosts.push(s);
                }
                "ip" if util::is_ip(s) => {
                    ev.str(F::HostIp, s);
                    rel.ip.push(s);
                }
                _ => {}
            }
        }
    }
    if let Some(name) = a.manager.and_then(|m| m.get("name")).and_then(tape::str_of) {
        ev.str(F::ObserverName, name);
        ev.str(F::ObserverHostname, name);
    }
    let decoder_name = match a.decoder {
        Some(d) => tape::str_of(d).or_else(|| d.get("name").and_then(tape::str_of)),
        None => None,
    };
    if let Some(p) = a.predecoder.and_then(|p| p.as_object()) {
        for (k, v) in p.iter() {
            match (k, tape::str_of(v)) {
                ("program_name", Some(s)) => ev.str(F::ProcessName, s),
                ("hostname", Some(s)) => rel.hosts.push(s),
                _ => {}
            }
        }
    }
    if let Some(s) = a.program_name {
        ev.str(F::ProcessName, s);
    }
    if let Some(h) = a.hostname {
        // OSSEC writes the location here for remote logs.
        match text::split_location(h) {
            (Some(agent), _, _) => rel.hosts.push(agent),
            (None, _, _) if !h.contains("->") => rel.hosts.push(h),
            _ => {}
        }
    }
    if let Some(loc) = a.location {
        let (agent, ip, path) = text::split_location(loc);
        if let Some(agent) = agent {
            rel.hosts.push(agent);
        }
        if let Some(ip) = ip.filter(|ip| util::is_ip(ip)) {
            rel.ip.push(ip);
        }
        if util::looks_like_path(path) {
            ev.str(F::LogFilePath, path);
        }
    }

    // message: what the monitored system said, else what the rule says.
    match (a.full_log, description) {
        (Some(m), _) if !m.is_empty() => ev.str(F::Message, m),
        (_, Some(d)) => ev.str(F::Message, d),
        _ => {}
    }

    // Decoded fields, then the Suricata alert some of them carry.
    let mut dec = a.flat;
    let mut win = None;
    let mut eve_from_data = false;
    if let Some(data) = a.data.and_then(|d| d.as_object()) {
        for (k, v) in data.iter() {
            match k {
                "win" => win = Some(v),
                "event_type" => eve_from_data = true,
                _ => {
                    dec.take(k, v);
                }
            }
        }
    }
    let mut eve_used = None;
    let is_suricata = eve_from_data || groups.contains("suricata");
    if is_suricata {
        eve_used = eve::map_wrapped_eve(a.full_log, a.data, ev, &mut rel, &mut severity);
    } else if decoder_name == Some("snort")
        && let Some(line) = a.full_log
    {
        eve::map_fast_log(line, dec.id, ev, &mut rel, &mut severity);
    }
    if eve_used.is_none() {
        map_decoded(&dec, ev, &mut rel);
    }
    if let Some(win) = win {
        map_windows(win, ev, &mut rel);
    }
    let mut file_event = None;
    if let Some(sc) = a.syscheck {
        file_event = map_syscheck(sc, groups.contains("syscheck_registry"), ev);
    }

    categorize(&groups, file_event, eve_used.is_some(), ev);
    if let Some(m) = mitre {
        map_mitre(m, ev);
    }
    if severity == 0 && level.is_none() {
        ev.warn("the alert has no rule.level: severity unknown");
    }
    ev.severity(severity);
    rel.write(ev);

    // Everything Wazuh-specific, as one object. The Suricata record, when
    // there is one, went to `suricata.eve` instead of `wazuh.data`.
    ev.with(F::Wazuh, |b| {
        b.push(b'{');
        let mut first = true;
        for (k, v) in obj.iter() {
            match k {
                "timestamp" | "TimeStamp" | "@timestamp" | "id" | "full_log" => continue,
                "data" if eve_used.is_some() => continue,
                _ => {}
            }
            if !first {
                b.push(b',');
            }
            first = false;
            json::write_str(b, k);
            b.push(b':');
            tape::write_value(b, v);
        }
        b.push(b'}');
    });
    Ok(())
}

fn type_word(v: Value<'_, '_>) -> &'static str {
    if v.is_array() {
        "an array"
    } else if v.as_str().is_some() {
        "a string"
    } else if tape::is_null(v) {
        "null"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else {
        "a number"
    }
}

/// Writes a string or number as a JSON string (ECS ids are keywords).
fn write_keyword(ev: &mut Event, f: F, v: Value<'_, '_>) {
    if let Some(s) = tape::str_of(v) {
        ev.str(f, s);
    } else if let Some(n) = v.as_i64() {
        ev.with(f, |b| {
            b.push(b'"');
            json::write_i64(b, n);
            b.push(b'"');
        });
    }
}

/// `@timestamp` from `timestamp` (Wazuh), `TimeStamp` ms (OSSEC), an
/// indexer document's `@timestamp`, or the epoch in the alert id.
fn set_time(a: &Alert<'_, '_>, ev: &mut Event) {
    let iso = |v: Option<Value<'_, '_>>| {
        v.and_then(tape::str_of)
            .and_then(time::parse_iso8601)
            .map(|p| (p.utc(0), p.offset.is_none()))
    };
    if let Some((t, zoneless)) = iso(a.timestamp).or_else(|| iso(a.at_timestamp)) {
        if zoneless {
            ev.warn("the alert's timestamp has no zone: read as UTC");
        }
        ev.time(F::Timestamp, t);
        return;
    }
    if let Some(ms) = a.timestamp_ms.and_then(tape::i64_of) {
        ev.time(F::Timestamp, ms.saturating_mul(1000));
        return;
    }
    // The id is "<epoch>.<offset in alerts.log>": the second the manager
    // wrote the alert, a good stand-in for a missing or broken stamp.
    if let Some(t) =
        a.id.and_then(|id| id.split('.').next())
            .and_then(time::parse_epoch_secs)
    {
        if a.timestamp.is_some() {
            ev.warn("unreadable timestamp: @timestamp taken from the alert id");
        }
        ev.time(F::Timestamp, t);
    }
}

/// Source/destination and users from decoded fields.
fn map_decoded<'i>(d: &Decoded<'i>, ev: &mut Event, rel: &mut Related<'i>) {
    let mut endpoint = |ip: Option<&'i str>, port: Option<&'i str>, fip, faddr, fport| {
        let Some(s) = ip else { return };
        // The snort decoder leaves the port on the address: "10.0.0.1:80".
        let (host, p) = util::split_host_port(s).map_or((s, None), |(h, p)| (h, p));
        if util::set_addr(ev, fip, faddr, host) {
            rel.ip.push(host);
        }
        if let Some(p) = port.and_then(|p| p.trim().parse::<u16>().ok()).or(p) {
            ev.u64(fport, p as u64);
        }
    };
    endpoint(
        d.srcip,
        d.srcport,
        F::SourceIp,
        F::SourceAddress,
        F::SourcePort,
    );
    endpoint(
        d.dstip,
        d.dstport,
        F::DestinationIp,
        F::DestinationAddress,
        F::DestinationPort,
    );
    // The decoder field `user` is an alias of dstuser (decode-xml.c).
    if let Some(u) = d.dstuser.or(d.user).filter(|u| !u.is_empty()) {
        ev.str(F::UserName, u);
        rel.user.push(u);
    }
    if let Some(u) = d.srcuser.filter(|u| !u.is_empty()) {
        ev.str(F::SourceUserName, u);
        rel.user.push(u);
    }
    if let Some(p) = d.protocol {
        let lower = p.trim();
        if matches!(
            lower,
            "tcp" | "udp" | "icmp" | "TCP" | "UDP" | "ICMP" | "ipv6-icmp"
        ) {
            ev.with(F::NetworkTransport, |b| {
                b.push(b'"');
                for c in lower.bytes() {
                    b.push(c.to_ascii_lowercase());
                }
                b.push(b'"');
            });
        }
    }
    if let Some(u) = d.url {
        ev.str(F::UrlOriginal, u);
    }
    if let Some(a) = d.action {
        ev.str(F::EventAction, a);
    }
    if let Some(f) = d.file.filter(|f| util::looks_like_path(f)) {
        ev.str(F::FilePath, f);
        ev.str(F::FileName, util::base_name(f));
    }
}
