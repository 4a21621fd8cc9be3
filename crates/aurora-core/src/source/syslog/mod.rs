//! Syslog (RFC 3164, RFC 5424 and the deviations seen in the wild) → ECS,
//! with fields extracted from the messages a security team reads.
//!
//! Layout: [`header`] splits a line into PRI, stamp, host, tag and message;
//! [`stamp`] gives year-less and zone-less stamps a year and a zone; [`sd`]
//! reads RFC 5424 structured data; [`auth`] and [`net`] pull users, addresses
//! and outcomes out of the messages of sshd, sudo, su, PAM, cron, the account
//! tools, firewalls and mail/FTP daemons. Extractors dispatch on the program
//! name first, so a line pays only for the checks of its own daemon.
//!
//! What is rejected, and why (everything else becomes an event):
//! - a line with neither `<PRI>` nor a timestamp at the start: syslog has no
//!   other signature, and accepting any text would turn a misdirected file
//!   into a stream of junk events stamped with the time aurora read them;
//! - a PRI above 191 or with more than three digits (RFC 5424 §6.2.1);
//! - a line with control characters other than tab and ESC (binary garbage;
//!   syslog daemons escape control characters, as `#011` in rsyslog);
//! - invalid UTF-8 is rejected by the caller before it gets here.
//!
//! Accepted with a warning in `aurora.warnings`: an unreadable stamp (the
//! normalizer falls back to the read time), malformed RFC 5424 structured data
//! (kept unparsed at the start of `message`), a cut-short RFC 5424 header.
//! Line length is not limited here: the reader's 1 MiB cap applies, and a
//! 64 KiB message is an event like any other.

mod auth;
mod header;
mod net;
mod sd;
mod stamp;

pub use stamp::Zone;

use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::time::Micros;
use header::Stamp;
use std::net::IpAddr;

/// The reject reason for text with no syslog header, so that format
/// detection can say what else the line is not.
pub const NO_HEADER: &str = "not a syslog line: no <PRI> and no timestamp at the start";

/// How to read stamps that lack a year or a zone.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Year for year-less (RFC 3164) stamps; None infers it from the clock.
    pub year: Option<i32>,
    /// Zone for zone-less stamps; None means UTC.
    pub tz: Option<Zone>,
}

impl Settings {
    /// Parses a `--tz` value: an IANA zone name.
    pub fn parse_tz(name: &str) -> Result<Zone, String> {
        Zone::parse(name.trim())
    }

    /// Parses a `--year` value: a four-digit year.
    pub fn parse_year(s: &str) -> Result<i32, String> {
        match s.trim().parse::<i32>() {
            Ok(y) if (1970..=9999).contains(&y) => Ok(y),
            _ => Err(format!("invalid year {s:?}: expected a year such as 2025")),
        }
    }
}

const FACILITIES: [&str; 24] = [
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
];

const SEVERITIES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "informational",
    "debug",
];

/// aurora's 0–5 scale from syslog's 0–7 (DESIGN.md).
fn severity_of(sev: u8) -> u8 {
    match sev {
        0 | 1 => 5,
        2 => 4,
        3 => 3,
        4 => 2,
        _ => 1,
    }
}

/// What an extractor learned from a message. Borrowed from the line; written
/// to the event in one place so that `related.*` always covers every user,
/// address and host named.
#[derive(Default)]
pub(super) struct Facts<'a> {
    pub action: Option<&'static str>,
    pub category: &'static [&'static str],
    pub kind: &'static [&'static str],
    pub outcome: Option<&'static str>,
    pub user: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub effective: Option<&'a str>,
    pub effective_id: Option<&'a str>,
    pub target: Option<&'a str>,
    /// An IP address or a host name.
    pub source: Option<&'a str>,
    pub source_port: Option<&'a str>,
    /// A host name given beside `source` when that is an IP.
    pub source_domain: Option<&'a str>,
    pub destination: Option<&'a str>,
    pub destination_port: Option<&'a str>,
    pub group_name: Option<&'a str>,
    pub group_id: Option<&'a str>,
    pub command_line: Option<&'a str>,
}

const SUCCESS: Option<&str> = Some("success");
const FAILURE: Option<&str> = Some("failure");

/// Maps one syslog line.
pub fn normalize(
    line: &str,
    settings: &Settings,
    now: Micros,
    ev: &mut Event,
) -> Result<(), RecordError> {
    // Leading blanks come from hand-edited files and some relays; they are
    // not part of any header.
    let line = line
        .trim_start_matches([' ', '\t'])
        .trim_end_matches(['\r', '\n']);
    check_text(line)?;
    let h = header::parse(line)?;

    ev.set_module("syslog");
    ev.str(F::EventKind, "event");
    match stamp::resolve(h.stamp, settings.year, settings.tz, now) {
        Some(r) => {
            ev.time(F::Timestamp, r.utc);
            if r.zone_defaulted {
                ev.str(F::EventTimezone, settings.tz.map_or("UTC", |z| z.name()));
            }
            if r.in_gap {
                ev.warn("the stamp's wall-clock time does not exist in the zone (DST gap)");
            }
        }
        None if h.stamp == Stamp::Unreadable => ev.warn("the syslog timestamp could not be read"),
        None if matches!(h.stamp, Stamp::YearLess { .. }) => {
            ev.warn("the syslog timestamp names a day that does not exist")
        }
        None => {}
    }
    if let Some(note) = &h.note {
        ev.warn(note.as_str());
    }

    match h.pri {
        Some(pri) => {
            let (fac, sev) = (pri >> 3, pri & 7);
            ev.u64(F::LogSyslogPriority, pri as u64);
            ev.u64(F::LogSyslogFacilityCode, fac as u64);
            ev.str(F::LogSyslogFacilityName, FACILITIES[fac as usize]);
            ev.u64(F::LogSyslogSeverityCode, sev as u64);
            ev.str(F::LogSyslogSeverityName, SEVERITIES[sev as usize]);
            ev.severity(severity_of(sev));
        }
        None => ev.severity(1),
    }
    if let Some(v) = h.version {
        ev.u64(F::LogSyslogVersion, v as u64);
    }
    if let Some(host) = h.hostname {
        ev.str(F::LogSyslogHostname, host);
        ev.str(F::HostName, host);
        ev.str(F::HostHostname, host);
    }
    let program = h.appname.map(program_of);
    if let Some(app) = h.appname {
        ev.str(F::LogSyslogAppname, app);
    }
    if let Some(p) = program {
        ev.str(F::ProcessName, p);
    }
    if let Some(pid) = h.procid {
        ev.str(F::LogSyslogProcid, pid);
        if let Ok(n) = pid.parse::<u64>() {
            ev.u64(F::ProcessPid, n);
        }
    }
    if let Some(id) = h.msgid {
        ev.str(F::LogSyslogMsgid, id);
    }
    if let Some(s) = h.sd {
        ev.with(F::LogSyslogStructuredData, |b| sd::write(b, s));
    }
    if let Some(seq) = h.sequence {
        ev.dyn_with("event.sequence", |b| json::write_u64(b, seq));
    }
    write_dataset(ev, program);
    ev.str_nonempty(F::Message, h.msg);

    let mut facts = Facts::default();
    extract(
        program.unwrap_or(""),
        h.appname.unwrap_or(""),
        h.msg,
        ev,
        &mut facts,
    );
    emit(&facts, h.hostname, ev);
    Ok(())
}

/// Rejects binary data: a syslog daemon never writes raw control characters.
fn check_text(line: &str) -> Result<(), RecordError> {
    match line
        .bytes()
        .position(|c| c < 0x20 && c != b'\t' && c != 0x1b)
    {
        None => Ok(()),
        Some(at) => Err(RecordError::new(format!(
            "control character 0x{:02x} at byte {}: binary data, not a syslog line",
            line.as_bytes()[at],
            at + 1
        ))),
    }
}

/// The program behind a TAG: `sshd(pam_unix)` → `sshd`, and `-` is none.
fn program_of(tag: &str) -> &str {
    match tag.find('(') {
        Some(p) if p > 0 => &tag[..p],
        _ => tag,
    }
}

/// `event.dataset` is `syslog.<program>`, lower-cased and restricted to
/// `[a-z0-9_.-]` (the tag is sender-controlled); `postfix/smtpd` counts as
/// `postfix`, a Cisco `%SYS-5-CONFIG_I` as `cisco`.
fn write_dataset(ev: &mut Event, program: Option<&str>) {
    let name = match program {
        Some(p) if p.starts_with('%') => "cisco",
        Some(p) => p.split('/').next().unwrap_or(p),
        None => "",
    };
    ev.with(F::EventDataset, |b| {
        b.extend_from_slice(b"\"syslog.");
        let start = b.len();
        for c in name.bytes().take(48) {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-') {
                b.push(c);
            }
        }
        if b.len() == start {
            b.extend_from_slice(b"generic");
        }
        b.push(b'"');
    });
}

fn extract<'a>(program: &str, tag: &str, msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) {
    // PAM speaks for many programs, with the module in the message
    // (`pam_unix(sshd:auth): …`) or, on old Red Hat, in the tag (`su(pam_unix)`).
    if (msg.starts_with("pam_") || tag.contains("(pam")) && auth::pam(msg, f) {
        return;
    }
    let done = match program {
        "sshd" => auth::sshd(msg, ev, f),
        "sudo" => auth::sudo(msg, ev, f),
        "su" => auth::su(msg, f),
        "useradd" | "userdel" | "usermod" | "groupadd" | "groupdel" | "groupmod" | "passwd"
        | "chpasswd" | "gpasswd" | "chage" => auth::iam(program, msg, ev, f),
        "cron" | "CRON" | "crond" | "anacron" => auth::cron(msg, f),
        "systemd-logind" => auth::logind(msg, ev, f),
        "login" => auth::login(msg, f),
        "kernel" => net::firewall(msg, ev, f),
        "vsftpd" => net::vsftpd(msg, f),
        "ftpd" | "in.ftpd" | "proftpd" | "pure-ftpd" => net::ftpd(msg, f),
        "dovecot" | "imap-login" | "pop3-login" | "managesieve-login" | "submission-login" => {
            net::dovecot(msg, f)
        }
        "klogind" | "kshd" => net::klogind(msg, f),
        "xinetd" => net::xinetd(msg, f),
        p if p.starts_with("postfix") => net::postfix(msg, ev, f),
        // Wazuh's csyslogd forwards alerts as `ossec: {json}` or
        // `ossec: Alert Level: …`: those become Wazuh alerts, keeping the
        // syslog header read above.
        "ossec" => match crate::source::wazuh::text::from_syslog_message(msg, ev) {
            Some(Ok(())) => true,
            Some(Err(e)) => {
                ev.warn(e.0);
                true
            }
            None => false,
        },
        _ => false,
    };
    if done {
        return;
    }
    // Kernel firewall lines reach files under other tags too (journald
    // forwards, `-` tags); PAM failures come from any service.
    if !net::firewall(msg, ev, f) && msg.contains("authentication failure") {
        auth::pam(msg, f);
    }
}

fn push<'a>(list: &mut [&'a str; 4], n: &mut usize, v: Option<&'a str>) {
    if let Some(v) = v.filter(|v| !v.is_empty())
        && *n < list.len()
        && !list[..*n].contains(&v)
    {
        list[*n] = v;
        *n += 1;
    }
}

/// Writes an address field as `ip` when it is one, else as `domain`.
fn write_address(
    ev: &mut Event,
    addr: &str,
    ip: F,
    domain: Option<F>,
    address: Option<F>,
) -> Option<bool> {
    if addr.is_empty() {
        return None;
    }
    if let Some(a) = address {
        ev.str(a, addr);
    }
    // `[::ffff:1.2.3.4]`-style brackets come from some daemons.
    let bare = addr.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        ev.str(ip, bare);
        Some(true)
    } else {
        if let Some(d) = domain {
            ev.str(d, addr);
        }
        Some(false)
    }
}

fn nonempty(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// Writes `system: {"auth": {section: {k: v, …}}}` (empty values left out),
/// Elastic's home for what ECS has no field for.
pub(super) fn write_system(ev: &mut Event, section: &str, pairs: &[(&str, Option<&str>)]) {
    if pairs.iter().all(|(_, v)| nonempty(*v).is_none()) {
        return;
    }
    ev.with(F::System, |b| {
        b.extend_from_slice(b"{\"auth\":{");
        json::write_str(b, section);
        b.extend_from_slice(b":{");
        let mut first = true;
        for (k, v) in pairs {
            if let Some(v) = nonempty(*v) {
                if !first {
                    b.push(b',');
                }
                first = false;
                json::write_str(b, k);
                b.push(b':');
                json::write_str(b, v);
            }
        }
        b.extend_from_slice(b"}}}");
    });
}

fn emit(f: &Facts<'_>, hostname: Option<&str>, ev: &mut Event) {
    if let Some(a) = f.action {
        ev.str(F::EventAction, a);
    }
    if !f.category.is_empty() {
        ev.strs(F::EventCategory, f.category.iter().copied());
    }
    if !f.kind.is_empty() {
        ev.strs(F::EventType, f.kind.iter().copied());
    }
    if let Some(o) = f.outcome {
        ev.str(F::EventOutcome, o);
    }
    if let Some(u) = nonempty(f.user) {
        ev.str(F::UserName, u);
    }
    if let Some(u) = nonempty(f.user_id) {
        ev.str(F::UserId, u);
    }
    if let Some(u) = nonempty(f.effective) {
        ev.str(F::UserEffectiveName, u);
    }
    if let Some(u) = nonempty(f.effective_id) {
        ev.dyn_str("user.effective.id", u);
    }
    if let Some(u) = nonempty(f.target) {
        ev.str(F::UserTargetName, u);
    }
    if let Some(g) = nonempty(f.group_name) {
        ev.str(F::GroupName, g);
    }
    if let Some(g) = nonempty(f.group_id) {
        ev.str(F::GroupId, g);
    }
    if let Some(c) = nonempty(f.command_line) {
        ev.str(F::ProcessCommandLine, c);
    }
    let mut ips = [""; 4];
    let mut n_ip = 0;
    let mut hosts = [""; 4];
    let mut n_host = 0;
    push(&mut hosts, &mut n_host, hostname);
    if let Some(d) = nonempty(f.source_domain) {
        ev.str(F::SourceDomain, d);
        push(&mut hosts, &mut n_host, Some(d));
    }
    for (addr, port, ip, dom, address, port_f) in [
        (
            f.source,
            f.source_port,
            F::SourceIp,
            Some(F::SourceDomain),
            Some(F::SourceAddress),
            F::SourcePort,
        ),
        (
            f.destination,
            f.destination_port,
            F::DestinationIp,
            Some(F::DestinationDomain),
            Some(F::DestinationAddress),
            F::DestinationPort,
        ),
    ] {
        if let Some(a) = nonempty(addr) {
            match write_address(ev, a, ip, dom, address) {
                Some(true) => push(
                    &mut ips,
                    &mut n_ip,
                    Some(a.trim_start_matches('[').trim_end_matches(']')),
                ),
                Some(false) => push(&mut hosts, &mut n_host, Some(a)),
                None => {}
            }
        }
        if let Some(p) = port.and_then(|p| p.parse::<u16>().ok()) {
            ev.u64(port_f, p as u64);
        }
    }
    let mut users = [""; 4];
    let mut n_user = 0;
    for u in [f.user, f.effective, f.target] {
        push(&mut users, &mut n_user, u);
    }
    ev.strs(F::RelatedUser, users[..n_user].iter().copied());
    ev.strs(F::RelatedIp, ips[..n_ip].iter().copied());
    ev.strs(F::RelatedHosts, hosts[..n_host].iter().copied());
}

#[cfg(test)]
mod tests;
