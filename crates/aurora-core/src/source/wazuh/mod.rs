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

mod eve;
pub mod text;

pub use text::{AlertsLog, from_syslog_message, is_alerts_log_header, syslog_ossec_message};

use crate::attack;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::source::util::{self, List, Related};
use crate::time;

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

use simd_json::prelude::*;

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

/// Windows event channel alerts: `data.win.{system,eventdata}`.
fn map_windows<'i>(win: Value<'_, 'i>, ev: &mut Event, rel: &mut Related<'i>) {
    if let Some(sys) = win.get("system").and_then(|s| s.as_object()) {
        for (k, v) in sys.iter() {
            let Some(s) = tape::str_of(v) else { continue };
            match k {
                "eventID" => ev.str(F::EventCode, s),
                "providerName" => ev.str(F::EventProvider, s),
                "computer" => rel.hosts.push(s),
                _ => {}
            }
        }
    }
    let Some(data) = win.get("eventdata").and_then(|s| s.as_object()) else {
        return;
    };
    let (mut target, mut subject) = (None, None);
    for (k, v) in data.iter() {
        let Some(s) = tape::str_of(v) else { continue };
        match k {
            "targetUserName" => target = Some(s),
            "subjectUserName" => subject = Some(s),
            "ipAddress" if util::is_ip(s) => {
                ev.str(F::SourceIp, s);
                rel.ip.push(s);
            }
            "ipPort" => {
                if let Ok(p) = s.parse::<u16>() {
                    ev.u64(F::SourcePort, p as u64);
                }
            }
            "image" | "processName" => ev.str(F::ProcessExecutable, s),
            "commandLine" => ev.str(F::ProcessCommandLine, s),
            "processId" | "newProcessId" => {
                if let Some(pid) = parse_pid(s) {
                    ev.u64(F::ProcessPid, pid);
                }
            }
            _ => {}
        }
    }
    if let Some(u) = target.or(subject).filter(|u| *u != "-") {
        ev.str(F::UserName, u);
        rel.user.push(u);
    }
}

/// Windows writes pids in decimal or as `0x1a2b`.
fn parse_pid(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// What syscheck saw happen to a file: the `event.type` and `event.action`.
#[derive(Clone, Copy)]
enum FileEvent {
    Added,
    Modified,
    Deleted,
}

/// File integrity monitoring: `syscheck.*` → `file.*` (or `registry.*`).
fn map_syscheck(sc: Value<'_, '_>, registry: bool, ev: &mut Event) -> Option<FileEvent> {
    let obj = sc.as_object()?;
    let mut path = None;
    let mut value_name = None;
    let mut what = None;
    let mut hashes: List<'_, 3> = List::default();
    for (k, v) in obj.iter() {
        let s = tape::str_of(v);
        match (k, s) {
            ("path", Some(p)) => path = Some(p),
            ("value_name", Some(n)) => value_name = Some(n),
            ("event", Some(e)) => {
                what = match e {
                    "added" => Some(FileEvent::Added),
                    "modified" => Some(FileEvent::Modified),
                    "deleted" => Some(FileEvent::Deleted),
                    _ => None,
                };
                ev.str(F::EventAction, e);
            }
            ("size_after", _) if !registry => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::FileSize, n);
                }
            }
            ("md5_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashMd5, h);
                }
            }
            ("sha1_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashSha1, h);
                }
            }
            ("sha256_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashSha256, h);
                }
            }
            ("uname_after", Some(u)) => ev.dyn_str("file.owner", u),
            ("gname_after", Some(g)) => ev.dyn_str("file.group", g),
            ("uid_after", Some(u)) => ev.dyn_str("file.uid", u),
            ("gid_after", Some(g)) => ev.dyn_str("file.gid", g),
            ("inode_after", _) => {
                if let Some(n) = tape::u64_of(v) {
                    ev.dyn_with("file.inode", |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            _ => {}
        }
    }
    ev.strs(F::RelatedHash, hashes.iter());
    if let Some(p) = path {
        if registry {
            // ECS registry.key has no hive; registry.path is key\value.
            ev.dyn_str("registry.key", p);
            if let Some((hive, _)) = p.split_once('\\') {
                ev.dyn_str("registry.hive", registry_hive_abbrev(hive));
            }
            if let Some(n) = value_name {
                ev.dyn_str("registry.value", n);
                ev.dyn_with("registry.path", |b| {
                    b.push(b'"');
                    json::escape_into(b, p.as_bytes());
                    b.extend_from_slice(b"\\\\");
                    json::escape_into(b, n.as_bytes());
                    b.push(b'"');
                });
            } else {
                ev.dyn_str("registry.path", p);
            }
        } else {
            ev.str(F::FilePath, p);
            ev.str(F::FileName, util::base_name(p));
            if let Some(d) = util::dir_name(p) {
                ev.str(F::FileDirectory, d);
            }
        }
    }
    what
}

fn registry_hive_abbrev(hive: &str) -> &str {
    match hive {
        "HKEY_LOCAL_MACHINE" => "HKLM",
        "HKEY_CURRENT_USER" => "HKCU",
        "HKEY_USERS" => "HKU",
        "HKEY_CLASSES_ROOT" => "HKCR",
        "HKEY_CURRENT_CONFIG" => "HKCC",
        other => other,
    }
}

/// `event.category`, `event.type` and `event.outcome` from the rule's groups
/// (Wazuh's own classification of what fired).
fn categorize(groups: &List<'_, 24>, file: Option<FileEvent>, suricata: bool, ev: &mut Event) {
    let mut cat: List<'static, 6> = List::default();
    let mut typ: List<'static, 4> = List::default();
    let mut outcome = None;
    if suricata {
        cat.push("network");
        cat.push("intrusion_detection");
    }
    for g in groups.iter() {
        match g {
            "authentication_failed"
            | "authentication_failures"
            | "win_authentication_failed"
            | "invalid_login" => {
                cat.push("authentication");
                outcome = Some("failure");
                typ.push("info");
            }
            "authentication_success" => {
                cat.push("authentication");
                outcome = Some("success");
                typ.push("start");
            }
            "syscheck_registry" => cat.push("registry"),
            "syscheck" | "syscheck_file" | "ossec_fim" if !groups.contains("syscheck_registry") => {
                cat.push("file")
            }
            "syscheck_entry_added" => typ.push("creation"),
            "syscheck_entry_modified" => typ.push("change"),
            "syscheck_entry_deleted" => typ.push("deletion"),
            "ids" | "suricata" | "snort" | "attack" | "rootcheck" | "exploit_attempt"
            | "web_scan" | "recon" => cat.push("intrusion_detection"),
            "web" | "accesslog" | "web-log" => cat.push("web"),
            "firewall" | "iptables" | "pix" | "cisco_ios" => cat.push("network"),
            "adduser" | "addgroup" | "account_changed" | "group_changed" | "userdel"
            | "groupdel" | "policy_changed" => {
                cat.push("iam");
                typ.push("change");
            }
            "sca" => cat.push("configuration"),
            "vulnerability-detector" => {
                cat.push("vulnerability");
                typ.push("info");
            }
            "virus" | "malware" | "virustotal" | "yara" => cat.push("malware"),
            "sudo" | "process_monitor" | "audit_command" => cat.push("process"),
            "login_session" => cat.push("session"),
            _ => {}
        }
    }
    match file {
        Some(FileEvent::Added) => typ.push("creation"),
        Some(FileEvent::Modified) => typ.push("change"),
        Some(FileEvent::Deleted) => typ.push("deletion"),
        None => {}
    }
    if cat.is_empty() {
        cat.push("host");
    }
    if typ.is_empty() {
        typ.push("info");
    }
    ev.strs(F::EventCategory, cat.iter());
    // A Suricata alert has said allowed/denied already.
    if !(suricata && ev.has(F::EventType)) {
        ev.strs(F::EventType, typ.iter());
    }
    if let Some(o) = outcome {
        ev.str(F::EventOutcome, o);
    }
}

/// `rule.mitre.{id,tactic,technique}` → `threat.*`. Sub-techniques
/// (`T1110.001`) go to `threat.technique.subtechnique.*` with their parent
/// in `threat.technique.*`; names come from ATT&CK, falling back to Wazuh's.
fn map_mitre(m: Value<'_, '_>, ev: &mut Event) {
    // Wazuh 4 writes id/tactic/technique; some 3.x builds wrote plurals.
    let ids = m.get("id").or_else(|| m.get("ids"));
    let names = m.get("technique").or_else(|| m.get("techniques"));
    let mut tech_id: List<'_, 12> = List::default();
    let mut tech_name: List<'_, 12> = List::default();
    let mut sub_id: List<'_, 12> = List::default();
    let mut sub_name: List<'_, 12> = List::default();
    let mut tactic_id: List<'static, 14> = List::default();
    let mut tactic_name: List<'static, 14> = List::default();
    let mut table_tactics: List<'static, 14> = List::default();
    let wazuh_name = |i: usize| names.and_then(|n| n.get_idx(i)).and_then(tape::str_of);
    for (i, id) in ids.into_iter().flat_map(tape::strs).enumerate() {
        let id = id.trim();
        match attack::technique(id) {
            Some(t) => {
                for ta in t.tactic_ids.split(',') {
                    table_tactics.push(ta);
                }
                match t.parent.and_then(attack::technique) {
                    Some(parent) => {
                        tech_id.push(parent.id);
                        tech_name.push(parent.name);
                        sub_id.push(t.id);
                        sub_name.push(t.name);
                    }
                    None => {
                        tech_id.push(t.id);
                        tech_name.push(t.name);
                    }
                }
            }
            None => {
                // Not in the embedded ATT&CK tables: keep what Wazuh said.
                match id.split_once('.') {
                    Some((parent, _)) => {
                        tech_id.push(parent);
                        sub_id.push(id);
                        if let Some(n) = wazuh_name(i) {
                            sub_name.push(n);
                        }
                    }
                    None => {
                        tech_id.push(id);
                        if let Some(n) = wazuh_name(i) {
                            tech_name.push(n);
                        }
                    }
                }
            }
        }
    }
    let tactics = m.get("tactic").or_else(|| m.get("tactics"));
    for name in tactics.into_iter().flat_map(tape::strs) {
        if let Some(t) = attack::tactic_by_name(name) {
            tactic_id.push(t.id);
            tactic_name.push(t.name);
        }
    }
    if tactic_id.is_empty() {
        for id in table_tactics.iter() {
            if let Some(t) = attack::tactic_by_id(id) {
                tactic_id.push(t.id);
                tactic_name.push(t.name);
            }
        }
    }
    if tech_id.is_empty() && tactic_id.is_empty() {
        return;
    }
    ev.str(F::ThreatFramework, "MITRE ATT&CK");
    ev.strs(F::ThreatTechniqueId, tech_id.iter());
    ev.strs(F::ThreatTechniqueName, tech_name.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueId, sub_id.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueName, sub_name.iter());
    ev.strs(F::ThreatTacticId, tactic_id.iter());
    ev.strs(F::ThreatTacticName, tactic_name.iter());
}
