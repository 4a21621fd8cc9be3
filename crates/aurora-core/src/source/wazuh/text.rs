//! Wazuh/OSSEC alerts written as text: the multi-line `alerts.log`, and the
//! alerts `ossec-csyslogd` forwards over syslog (the JSON form
//! `ossec: {…}` and the default form `ossec: Alert Level: 3; Rule: …`).
//!
//! The syslog parser (or the normalizer, before its syslog fallback) hands
//! over the message after the `ossec:` tag through [`from_syslog_message`].

use super::{Decoded, categorize, severity_of_level};
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::util::{self, List, Related};
use crate::time;

/// Splits a Wazuh location: `/var/log/auth.log`, `host->/var/log/messages`
/// or `(agent) 192.168.17.17->/var/log/maillog` into (agent or host, IP, path).
pub fn split_location(loc: &str) -> (Option<&str>, Option<&str>, &str) {
    let Some((who, path)) = loc.split_once("->") else {
        return (None, None, loc);
    };
    match who.strip_prefix('(').and_then(|w| w.split_once(')')) {
        Some((agent, ip)) => {
            let ip = ip.trim();
            (
                Some(agent),
                (!ip.is_empty() && ip != "any").then_some(ip),
                path,
            )
        }
        None => (Some(who.trim()).filter(|w| !w.is_empty()), None, path),
    }
}

/// Maps the message of a syslog line whose tag is `ossec` (everything after
/// `ossec: `). Returns None if it is neither of csyslogd's forms, so the
/// caller can treat it as an ordinary syslog message. The JSON form carries
/// its own time; for the default form the caller sets `@timestamp` from the
/// syslog header (the alert has no other).
pub fn from_syslog_message(msg: &str, ev: &mut Event) -> Option<Result<(), RecordError>> {
    let m = msg.trim_start();
    if m.starts_with('{') {
        let mut copy = m.trim_end().as_bytes().to_vec();
        return Some(match simd_json::to_tape(&mut copy) {
            Ok(t) => super::normalize(t.as_value(), ev),
            Err(e) => Err(RecordError::new(format!(
                "ossec syslog line: invalid alert JSON: {e}"
            ))),
        });
    }
    let rest = m.strip_prefix("Alert Level:")?;
    Some(default_form(rest, ev))
}

/// csyslogd's default form, after `Alert Level:` (src/os_csyslogd/alert.c):
/// ` 3; Rule: 5715 - SSHD authentication success.; Location: (jul)
/// 192.168.2.0->/var/log/messages; srcip: 192.168.2.190; user: root; <log>`.
fn default_form(rest: &str, ev: &mut Event) -> Result<(), RecordError> {
    let (level, rest) = rest
        .split_once(';')
        .ok_or("ossec syslog alert: no `;` after Alert Level")?;
    let level: u64 = level.trim().parse().map_err(|_| {
        RecordError::new(format!("ossec syslog alert: bad level {:?}", level.trim()))
    })?;
    let rest = rest
        .trim_start()
        .strip_prefix("Rule:")
        .ok_or("ossec syslog alert: no `Rule:` after the level")?;
    let (rule, rest) = rest
        .split_once("; Location: ")
        .ok_or("ossec syslog alert: no `Location:` after the rule")?;
    let (rule_id, description) = rule.trim().split_once(" - ").unwrap_or((rule.trim(), ""));
    let (location, mut rest) = rest.split_once(';').unwrap_or((rest, ""));
    let mut d = Decoded::default();
    let mut classification = None;
    loop {
        let r = rest.trim_start();
        let Some((key, after)) = r.split_once(": ") else {
            break;
        };
        if !matches!(
            key,
            "classification"
                | "srcip"
                | "srccity"
                | "dstip"
                | "dstcity"
                | "user"
                | "File"
                | "Previous MD5"
                | "Current MD5"
                | "Previous SHA1"
                | "Current SHA1"
                | "Size changed"
        ) {
            break;
        }
        let Some((value, next)) = after.split_once(';') else {
            break;
        };
        match key {
            "classification" => classification = Some(value.trim()),
            "srcip" => d.srcip = Some(value.trim()),
            "dstip" => d.dstip = Some(value.trim()),
            "user" => d.user = Some(value.trim()),
            _ => {}
        }
        rest = next;
    }
    let log = rest.trim();
    let mut groups: List<'_, 24> = List::default();
    if let Some(c) = classification {
        c.split(',').for_each(|g| groups.push(g));
    }
    let fields = Fields {
        id: None,
        rule_id: rule_id.trim(),
        level,
        description: description.trim(),
        groups: &groups,
        location: location.trim(),
        log,
        decoded: d,
    };
    fields.write(ev);
    Ok(())
}

/// What the text forms say about an alert.
struct Fields<'a, 'g> {
    id: Option<&'a str>,
    rule_id: &'a str,
    level: u64,
    description: &'a str,
    groups: &'g List<'a, 24>,
    location: &'a str,
    log: &'a str,
    decoded: Decoded<'a>,
}

impl Fields<'_, '_> {
    fn write(&self, ev: &mut Event) {
        ev.set_module("wazuh");
        ev.str(F::EventKind, "alert");
        ev.str(F::EventDataset, "wazuh.alerts");
        ev.str(F::ObserverVendor, "Wazuh");
        ev.str(F::ObserverProduct, "Wazuh");
        ev.str(F::ObserverType, "siem");
        if let Some(id) = self.id {
            ev.str(F::EventId, id);
        }
        ev.str_nonempty(F::RuleId, self.rule_id);
        if !self.description.is_empty() {
            ev.str(F::RuleName, self.description);
            ev.str(F::RuleDescription, self.description);
        }
        ev.str(F::RuleRuleset, "wazuh");
        ev.strs(F::RuleCategory, self.groups.iter());
        let mut rel = Related::default();
        let (agent, ip, path) = split_location(self.location);
        if let Some(a) = agent {
            ev.str(F::HostName, a);
            rel.hosts.push(a);
        }
        if let Some(ip) = ip.filter(|i| util::is_ip(i)) {
            ev.str(F::HostIp, ip);
            rel.ip.push(ip);
        }
        if util::looks_like_path(path) {
            ev.str(F::LogFilePath, path);
        }
        match (self.log, self.description) {
            (l, _) if !l.is_empty() => ev.str(F::Message, l),
            (_, d) if !d.is_empty() => ev.str(F::Message, d),
            _ => {}
        }
        super::map_decoded(&self.decoded, ev, &mut rel);
        categorize(self.groups, None, false, ev);
        ev.severity(severity_of_level(self.level));
        rel.write(ev);
        ev.with(F::Wazuh, |b| {
            b.extend_from_slice(b"{\"rule\":{\"id\":");
            json::write_str(b, self.rule_id);
            b.extend_from_slice(b",\"level\":");
            json::write_u64(b, self.level);
            if !self.description.is_empty() {
                b.extend_from_slice(b",\"description\":");
                json::write_str(b, self.description);
            }
            b.extend_from_slice(b",\"groups\":");
            json::write_str_array(b, self.groups.iter());
            b.extend_from_slice(b"},\"location\":");
            json::write_str(b, self.location);
            b.push(b'}');
        });
    }
}

/// True for the first line of an `alerts.log` record.
pub fn is_alerts_log_header(line: &[u8]) -> bool {
    line.starts_with(b"** Alert ")
}

/// Collects the lines of one `alerts.log` record. Records span several
/// lines and end at the next `** Alert` header or a blank line; the
/// normalizer is line-based, so it keeps one of these between lines.
#[derive(Default)]
pub struct AlertsLog {
    buf: Vec<u8>,
    lines: usize,
}

/// A record longer than this is cut (OSSEC caps the logged line at 1256
/// bytes and adds a few key lines; anything far past that is not alerts.log).
const MAX_RECORD: usize = 64 * 1024;
const MAX_LINES: usize = 256;

impl AlertsLog {
    pub fn is_open(&self) -> bool {
        !self.buf.is_empty()
    }

    /// Starts a record with its header line.
    pub fn start(&mut self, header: &[u8]) {
        self.buf.clear();
        self.buf.extend_from_slice(header);
        self.lines = 1;
    }

    /// Adds a line to the open record. Returns false (and adds nothing) when
    /// the record is full and must be flushed first.
    pub fn push(&mut self, line: &[u8]) -> bool {
        if self.buf.len() + line.len() + 1 > MAX_RECORD || self.lines >= MAX_LINES {
            return false;
        }
        self.buf.push(b'\n');
        self.buf.extend_from_slice(line);
        self.lines += 1;
        true
    }

    /// Takes the record's text out (leaving the buffer to be given back with
    /// [`AlertsLog::restore`], so its capacity is reused).
    pub fn take(&mut self) -> Vec<u8> {
        self.lines = 0;
        std::mem::take(&mut self.buf)
    }

    pub fn restore(&mut self, mut buf: Vec<u8>) {
        buf.clear();
        self.buf = buf;
    }
}

/// Maps one `alerts.log` record (alerts/log.c in OSSEC/Wazuh):
///
/// ```text
/// ** Alert 1510376428.465: - syslog,sudo
/// 2017 Nov 11 00:00:28 ubnt->/var/log/syslog-ng/messages
/// Rule: 5402 (level 3) -> 'Successful sudo to ROOT executed'
/// User: root
/// Nov  5 15:35:03 ubnt sudo:     root : TTY=unknown ; …
/// ```
pub fn normalize_alerts_log(record: &str, ev: &mut Event) -> Result<(), RecordError> {
    let mut lines = record.split('\n');
    let header = lines.next().unwrap_or("");
    let after = header
        .strip_prefix("** Alert ")
        .ok_or("alerts.log record does not start with `** Alert`")?;
    let (id, groups_part) = after
        .split_once(':')
        .ok_or("alerts.log header without `:` after the alert id")?;
    let id = id.trim();
    let epoch = id
        .split('.')
        .next()
        .and_then(time::parse_epoch_secs)
        .ok_or_else(|| RecordError::new(format!("alerts.log header: bad alert id {id:?}")))?;
    let mut groups: List<'_, 24> = List::default();
    if let Some((_, g)) = groups_part.split_once("- ") {
        g.trim().split(',').for_each(|x| groups.push(x));
    }
    // "2017 Nov 11 00:00:28 <location>": the manager's local time; the
    // epoch in the id is the same instant in UTC, so only the location is used.
    let when = lines
        .next()
        .ok_or("alerts.log record ends after its header")?;
    let location = when.splitn(5, ' ').nth(4).unwrap_or("").trim();
    let rule_line = lines
        .next()
        .ok_or("alerts.log record has no `Rule:` line")?;
    let rule = rule_line.strip_prefix("Rule: ").ok_or_else(|| {
        RecordError::new(format!("alerts.log: expected `Rule:`, got {rule_line:?}"))
    })?;
    let (rule_id, rest) = rule
        .split_once(" (level ")
        .ok_or("alerts.log: no `(level N)` in the Rule line")?;
    let (level, rest) = rest
        .split_once(')')
        .ok_or("alerts.log: unclosed `(level`")?;
    let level: u64 = level
        .trim()
        .parse()
        .map_err(|_| RecordError::new(format!("alerts.log: bad level {level:?}")))?;
    let description = rest
        .trim()
        .strip_prefix("->")
        .map(|d| d.trim().trim_matches('\''))
        .unwrap_or("");
    let mut d = Decoded::default();
    // Key lines come before the logged text; the rest of the record is the log.
    let mut log_start = None;
    for line in lines.by_ref() {
        let (key, value) = line.split_once(": ").unwrap_or(("", ""));
        let v = Some(value.trim());
        match key {
            "Src IP" => d.srcip = v,
            "Src Port" => d.srcport = v,
            "Dst IP" => d.dstip = v,
            "Dst Port" => d.dstport = v,
            "User" => d.user = v,
            _ => {
                log_start = Some(line);
                break;
            }
        }
    }
    let log = match log_start {
        // The log is the remainder of the record, newlines and all.
        Some(first) => {
            let offset = first.as_ptr() as usize - record.as_ptr() as usize;
            record.get(offset..).unwrap_or("").trim_end()
        }
        None => "",
    };
    ev.time(F::Timestamp, epoch);
    Fields {
        id: Some(id),
        rule_id: rule_id.trim(),
        level,
        description,
        groups: &groups,
        location,
        log,
        decoded: d,
    }
    .write(ev);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            split_location("/var/log/auth.log"),
            (None, None, "/var/log/auth.log")
        );
        assert_eq!(
            split_location("(junction) 192.168.17.17->/var/log/maillog"),
            (Some("junction"), Some("192.168.17.17"), "/var/log/maillog")
        );
        assert_eq!(
            split_location("ubnt->/var/log/x"),
            (Some("ubnt"), None, "/var/log/x")
        );
    }

    #[test]
    fn only_the_ossec_tag_makes_a_syslog_line_a_wazuh_alert() {
        use crate::{Normalizer, Options};
        let mut n = Normalizer::new(std::sync::Arc::new(Options::default()));
        n.start_input("syslog", None, None);
        let module = |n: &mut Normalizer, l: &str| {
            let mut out = Vec::new();
            n.line(l.as_bytes(), &mut out).unwrap();
            n.last_module()
        };
        let alert =
            "<132>Jul 25 12:17:41 enigma ossec: Alert Level: 3; Rule: 5715 - x; Location: y; z";
        assert_eq!(module(&mut n, alert), Some("wazuh"));
        // An attacker-controlled message that merely contains the tag.
        let spoof = "Jul 25 12:17:41 host sshd[1]: hi ossec: Alert Level: 15; Rule: 1 - x";
        assert_eq!(module(&mut n, spoof), Some("syslog"));
    }
}
