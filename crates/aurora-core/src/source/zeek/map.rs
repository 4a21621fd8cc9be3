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
struct StrSet {
    buf: String,
    ends: Vec<usize>,
}

impl StrSet {
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

    fn insert(&mut self, s: &str) {
        if s.is_empty() || self.iter().any(|x| x == s) {
            return;
        }
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }
}

#[derive(Default)]
struct Scratch {
    obj: ObjWriter,
    ips: StrSet,
    users: StrSet,
    hosts: StrSet,
    resolved: StrSet,
    ttls: Vec<f64>,
}

thread_local! {
    // Reused per record so that mapping allocates nothing once warm.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Facts that decide fields only once the whole record has been seen.
#[derive(Default)]
struct Facts<'a> {
    orig: Option<IpAddr>,
    resp: Option<IpAddr>,
    orig_p: Option<u64>,
    resp_p: Option<u64>,
    proto: Option<u8>,
    transport_set: bool,
    community_id: bool,
    local_orig: Option<bool>,
    local_resp: Option<bool>,
    bytes: [Option<u64>; 2],
    packets: [Option<u64>; 2],
    types: Option<&'static [&'static str]>,
    extra_type: Option<&'static str>,
    outcome: Option<&'static str>,
    dns_flags: [bool; 4],
    dns_answers: Option<Val<'a>>,
    dns_ttls: Option<Val<'a>>,
    // notice.log's own endpoints, used when the record has no id.*.
    alt_src: Option<Val<'a>>,
    alt_dst: Option<Val<'a>>,
    alt_p: Option<u64>,
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

fn ip_of(key: &str, val: &Val<'_>) -> Result<IpAddr, RecordError> {
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

/// Adds every IP address a value names (a list or one) to related.ip.
fn add_ips(ips: &mut StrSet, val: &Val<'_>) {
    val.each(|v| {
        if let Some(s) = v.as_str()
            && s.parse::<IpAddr>().is_ok()
        {
            ips.insert(s);
        }
    });
}

/// Sets `to` from a string or the first string of a list, lowercased
/// (`set[string]` services are spelt `HTTP` in known_services).
fn first_str_lower(val: &Val<'_>, to: F, ev: &mut Event) {
    let mut done = false;
    val.each(|v| {
        if !done && let Some(s) = v.as_str() {
            if s.bytes().any(|c| c.is_ascii_uppercase()) {
                ev.str(to, &s.to_ascii_lowercase());
            } else {
                ev.str(to, s);
            }
            done = true;
        }
    });
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
    let keep = match (log, key) {
        // conn
        (Log::Conn | Log::Tunnel, "service") => {
            first_str_lower(val, F::NetworkProtocol, ev);
            false
        }
        (Log::Conn | Log::Snmp, "duration") | (Log::Dns, "rtt") => {
            if let Some(d) = val.as_f64() {
                ev.i64(F::EventDuration, (d * 1e9).round() as i64);
            }
            log == Log::Dns
        }
        (Log::Conn, "orig_ip_bytes") => count(val, &mut f.bytes[0], F::SourceBytes, ev),
        (Log::Conn, "resp_ip_bytes") => count(val, &mut f.bytes[1], F::DestinationBytes, ev),
        (Log::Conn, "orig_pkts") => count(val, &mut f.packets[0], F::SourcePackets, ev),
        (Log::Conn, "resp_pkts") => count(val, &mut f.packets[1], F::DestinationPackets, ev),
        (Log::Conn, "orig_l2_addr") => str_to(val, F::SourceMac, ev, false),
        (Log::Conn, "resp_l2_addr") => str_to(val, F::DestinationMac, ev, false),
        (Log::Conn, "local_orig") => {
            f.local_orig = val.as_bool();
            true
        }
        (Log::Conn, "local_resp") => {
            f.local_resp = val.as_bool();
            true
        }
        (Log::Conn, "conn_state") => {
            if let Some(st) = val.as_str() {
                s.obj.put("connection", "state", val);
                if let Some((msg, types)) = logs::conn_state(st) {
                    s.obj.put_with("connection", "state_message", |b| {
                        crate::json::write_str(b, msg)
                    });
                    f.types = Some(types);
                }
                f.outcome = Some(logs::conn_outcome(st));
            }
            false
        }
        // dns
        (Log::Dns, "query") => {
            if let Some(q) = val.as_str() {
                ev.str(F::DnsQuestionName, q);
                s.hosts.insert(q);
            }
            true
        }
        (Log::Dns, "qclass") => {
            let class = match val.as_u64() {
                Some(1) => Some("IN"),
                Some(3) => Some("CH"),
                Some(4) => Some("HS"),
                Some(254) => Some("NONE"),
                Some(255) => Some("ANY"),
                _ => None,
            };
            if let Some(c) = class {
                ev.str(F::DnsQuestionClass, c);
            }
            true
        }
        (Log::Dns, "qtype_name") => str_to(val, F::DnsQuestionType, ev, true),
        (Log::Dns, "rcode_name") => {
            str_to(val, F::DnsResponseCode, ev, true);
            ev.str(F::DnsType, "answer");
            true
        }
        (Log::Dns, "trans_id") => {
            if let Some(id) = val.as_u64() {
                ev.with(F::DnsId, |b| {
                    b.push(b'"');
                    b.extend_from_slice(itoa::Buffer::new().format(id).as_bytes());
                    b.push(b'"');
                });
            }
            true
        }
        (Log::Dns, "AA" | "TC" | "RD" | "RA") => {
            let i = ["AA", "TC", "RD", "RA"].iter().position(|k| *k == key);
            if let (Some(i), Some(true)) = (i, val.as_bool()) {
                f.dns_flags[i] = true;
            }
            true
        }
        (Log::Dns, "answers") => {
            f.dns_answers = Some(val.clone());
            true
        }
        (Log::Dns, "TTLs") => {
            f.dns_ttls = Some(val.clone());
            true
        }
        // http
        (Log::Http, "method") => str_to(val, F::HttpRequestMethod, ev, true),
        (Log::Http, "status_code") => {
            if let Some(c) = val.as_u64() {
                ev.u64(F::HttpResponseStatusCode, c);
                f.outcome = Some(if c < 400 { "success" } else { "failure" });
            }
            true
        }
        (Log::Http, "host") => {
            if let Some(h) = val.as_str() {
                ev.str(F::UrlDomain, h);
                ev.str(F::DestinationDomain, h);
                s.hosts.insert(h);
            }
            true
        }
        (Log::Http, "uri") => {
            if let Some(u) = val.as_str() {
                ev.str(F::UrlOriginal, u);
                let (path, query) = match u.split_once('?') {
                    Some((p, q)) => (p, Some(q)),
                    None => (u, None),
                };
                if path.starts_with('/') {
                    ev.str(F::UrlPath, path);
                    if let Some(q) = query {
                        ev.str(F::UrlQuery, q);
                    }
                }
            }
            true
        }
        (Log::Http, "user_agent") | (Log::Smtp, "user_agent") => {
            str_to(val, F::UserAgentOriginal, ev, true)
        }
        (Log::Http, "referrer") => str_to(val, F::HttpRequestReferrer, ev, true),
        (Log::Http, "version") => str_to(val, F::HttpVersion, ev, true),
        (Log::Http, "request_body_len") => {
            num_to(val, F::HttpRequestBodyBytes, ev);
            true
        }
        (Log::Http, "response_body_len") => {
            num_to(val, F::HttpResponseBodyBytes, ev);
            true
        }
        (
            Log::Http | Log::Ftp | Log::Socks | Log::Radius | Log::Mysql | Log::Irc,
            "username" | "user",
        ) => {
            if let Some(u) = val.as_str().filter(|u| !u.is_empty() && *u != "<unknown>") {
                ev.str(F::UserName, u);
                s.users.insert(u);
            }
            true
        }
        // ssl
        (Log::Ssl, "version") => {
            if let Some(v) = val.as_str() {
                let (proto, ver) = tls_version(v);
                if let Some(p) = proto {
                    ev.str(F::TlsVersionProtocol, p);
                }
                ev.str(F::TlsVersion, ver);
            }
            true
        }
        (Log::Ssl, "cipher") => str_to(val, F::TlsCipher, ev, true),
        (Log::Ssl, "curve") => str_to(val, F::TlsCurve, ev, true),
        (Log::Ssl, "server_name") => {
            if let Some(h) = val.as_str() {
                ev.str(F::TlsClientServerName, h);
                ev.str(F::DestinationDomain, h);
                s.hosts.insert(h);
            }
            true
        }
        (Log::Ssl, "established") => bool_to(val, F::TlsEstablished, ev),
        (Log::Ssl, "resumed") => bool_to(val, F::TlsResumed, ev),
        (Log::Ssl, "next_protocol") => str_to(val, F::TlsNextProtocol, ev, true),
        (Log::Ssl, "ja3") => str_to(val, F::TlsClientJa3, ev, false),
        (Log::Ssl, "ja3s") => str_to(val, F::TlsServerJa3s, ev, false),
        (Log::Ssl, "subject") => str_to(val, F::TlsServerSubject, ev, true),
        (Log::Ssl, "issuer") => str_to(val, F::TlsServerIssuer, ev, true),
        // x509 and known_certs: certificates stay under zeek.*; their names
        // are hosts.
        (Log::X509, "san.dns") => {
            val.each(|v| {
                if let Some(h) = v.as_str() {
                    s.hosts.insert(h);
                }
            });
            true
        }
        (Log::X509, "san.ip") => {
            add_ips(&mut s.ips, val);
            true
        }
        (Log::X509, "certificate.serial") | (Log::KnownCerts, "serial") => {
            str_to(val, F::TlsServerX509SerialNumber, ev, true)
        }
        (Log::X509, "certificate.subject") | (Log::KnownCerts, "subject") => {
            str_to(val, F::TlsServerSubject, ev, true)
        }
        (Log::X509, "certificate.issuer") | (Log::KnownCerts, "issuer_subject") => {
            str_to(val, F::TlsServerIssuer, ev, true)
        }
        (Log::X509, "certificate.not_valid_before") => time_to(val, F::TlsServerNotBefore, ev),
        (Log::X509, "certificate.not_valid_after") => time_to(val, F::TlsServerNotAfter, ev),
        // files
        (Log::Files | Log::Ftp | Log::SmbFiles, "md5") => str_to(val, F::FileHashMd5, ev, true),
        (Log::Files, "sha1") => str_to(val, F::FileHashSha1, ev, true),
        (Log::Files, "sha256") => str_to(val, F::FileHashSha256, ev, true),
        (Log::Files | Log::Ftp, "mime_type") | (Log::Notice, "file_mime_type") => {
            str_to(val, F::FileMimeType, ev, true)
        }
        (Log::Files, "filename") | (Log::SmbFiles, "name") => str_to(val, F::FileName, ev, true),
        (Log::Files, "total_bytes") | (Log::Ftp, "file_size") | (Log::SmbFiles, "size") => {
            num_to(val, F::FileSize, ev);
            true
        }
        (Log::Files, "tx_hosts" | "rx_hosts") | (Log::Smtp, "path" | "x_originating_ip") => {
            add_ips(&mut s.ips, val);
            true
        }
        (Log::Files, "fuid") | (Log::Pe | Log::Ocsp | Log::X509, "id") => {
            str_to(val, F::EventId, ev, true)
        }
        (Log::SmbFiles, "path") | (Log::SmbMapping, "path") => str_to(val, F::FilePath, ev, true),
        (Log::SmbFiles, "action") => str_to(val, F::EventAction, ev, true),
        // notice, weird, signatures, intel
        (Log::Notice, "note") | (Log::Weird, "name") | (Log::Signatures, "sig_id") => {
            str_to(val, F::RuleName, ev, true)
        }
        (Log::Notice, "msg") => {
            if let Some(m) = val.as_str() {
                ev.str(F::RuleDescription, m);
                ev.str(F::Message, m);
            }
            true
        }
        (Log::Signatures, "event_msg") => str_to(val, F::Message, ev, true),
        (Log::Notice, "src") => {
            f.alt_src = Some(val.clone());
            add_ips(&mut s.ips, val);
            true
        }
        (Log::Notice, "dst") => {
            f.alt_dst = Some(val.clone());
            add_ips(&mut s.ips, val);
            true
        }
        (Log::Notice, "p") => {
            f.alt_p = val.as_u64();
            true
        }
        (Log::Notice, "dropped") => {
            f.extra_type = match val.as_bool() {
                Some(true) => Some("denied"),
                Some(false) => Some("allowed"),
                None => None,
            };
            true
        }
        (Log::Intel, "seen.indicator") => str_to(val, F::Message, ev, true),
        // ssh, kerberos, ntlm, rdp: authentication results
        (Log::Ssh, "auth_success") | (Log::Kerberos | Log::Ntlm, "success") => {
            if let Some(ok) = val.as_bool() {
                f.outcome = Some(if ok { "success" } else { "failure" });
            }
            true
        }
        (Log::Kerberos, "client") => {
            if let Some(c) = val.as_str() {
                // `user/REALM`: the account is before the slash.
                let user = c.split('/').next().unwrap_or(c);
                if !user.is_empty() {
                    ev.str(F::UserName, user);
                    s.users.insert(user);
                }
            }
            true
        }
        (Log::Kerberos, "service") => str_to(val, F::ServiceName, ev, true),
        (Log::Kerberos, "error_msg") => str_to(val, F::ErrorMessage, ev, true),
        (Log::Ntlm, "username") | (Log::Rdp, "cookie") => {
            if let Some(u) = val.as_str().filter(|u| !u.is_empty()) {
                ev.str(F::UserName, u);
                s.users.insert(u);
            }
            true
        }
        (Log::Ntlm, "domainname") => str_to(val, F::UserDomain, ev, true),
        (Log::Ntlm, "hostname" | "server_dns_computer_name") => {
            if let Some(h) = val.as_str() {
                s.hosts.insert(h);
            }
            true
        }
        (Log::Ssh, "client") | (Log::Software, "unparsed_version") => {
            str_to(val, F::UserAgentOriginal, ev, true)
        }
        // ftp, smtp
        (Log::Ftp, "command") | (Log::DceRpc, "operation") | (Log::Tunnel, "action") => {
            str_to(val, F::EventAction, ev, true)
        }
        (Log::Ftp, "data_channel.orig_h" | "data_channel.resp_h") => {
            add_ips(&mut s.ips, val);
            true
        }
        (Log::Smtp, "mailfrom") => str_to(val, F::EmailFromAddress, ev, true),
        (Log::Smtp, "rcptto") => {
            let mut out = Vec::new();
            val.each(|v| {
                if let Some(a) = v.as_str() {
                    out.push(a.to_string());
                }
            });
            ev.strs(F::EmailToAddress, out.iter().map(String::as_str));
            true
        }
        (Log::Smtp, "subject") => str_to(val, F::EmailSubject, ev, true),
        (Log::Smtp, "msg_id") => str_to(val, F::EmailMessageId, ev, true),
        // dhcp
        (Log::Dhcp, "mac") => str_to(val, F::SourceMac, ev, true),
        (Log::Dhcp, "host_name" | "client_fqdn") => {
            if let Some(h) = val.as_str() {
                s.hosts.insert(h);
            }
            true
        }
        (Log::Dhcp, "client_addr" | "server_addr" | "assigned_addr" | "requested_addr") => {
            add_ips(&mut s.ips, val);
            true
        }
        // hosts and services Zeek learnt about
        (Log::Software | Log::KnownHosts | Log::KnownServices | Log::KnownCerts, "host") => {
            let ip = ip_of(key, val)?;
            ev.with(F::HostIp, |b| val.write(b));
            s.ips.insert(&ip.to_string());
            true
        }
        (Log::Software, "host_p") | (Log::KnownServices | Log::KnownCerts, "port_num") => true,
        (Log::KnownServices, "port_proto") => {
            if let Some(p) = val.as_str() {
                set_transport(p, f, ev);
            }
            true
        }
        (Log::KnownServices, "service") => {
            first_str_lower(val, F::NetworkProtocol, ev);
            true
        }
        (Log::Dpd | Log::Analyzer, "analyzer" | "analyzer_name") => {
            if let Some(a) = val.as_str() {
                ev.str(F::NetworkProtocol, &a.to_ascii_lowercase());
            }
            true
        }
        (Log::Dpd | Log::Analyzer, "failure_reason") => str_to(val, F::ErrorMessage, ev, true),
        (Log::Syslog, "facility") => str_to(val, F::LogSyslogFacilityName, ev, true),
        (Log::Syslog, "severity") => str_to(val, F::LogSyslogSeverityName, ev, true),
        (Log::Syslog, "message") => str_to(val, F::Message, ev, true),
        (Log::Stats | Log::CaptureLoss | Log::Weird, "peer") => {
            str_to(val, F::ObserverHostname, ev, true)
        }
        _ => true,
    };
    Ok(keep)
}

fn set_transport(p: &str, f: &mut Facts<'_>, ev: &mut Event) {
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

fn str_to(val: &Val<'_>, to: F, ev: &mut Event, keep: bool) -> bool {
    if let Some(s) = val.as_str() {
        ev.str(to, s);
    }
    keep
}

fn bool_to(val: &Val<'_>, to: F, ev: &mut Event) -> bool {
    if let Some(b) = val.as_bool() {
        ev.bool(to, b);
    }
    true
}

fn time_to(val: &Val<'_>, to: F, ev: &mut Event) -> bool {
    if let Some(t) = val.as_time() {
        ev.time(to, t);
    }
    true
}

fn num_to(val: &Val<'_>, to: F, ev: &mut Event) {
    if let Some(n) = val.as_u64() {
        ev.u64(to, n);
    }
}

fn count(val: &Val<'_>, slot: &mut Option<u64>, to: F, ev: &mut Event) -> bool {
    if let Some(n) = val.as_u64() {
        *slot = Some(n);
        ev.u64(to, n);
    }
    false
}

/// `TLSv12` → (tls, 1.2); `SSLv3` → (ssl, 3.0); `DTLSv10` → (dtls, 1.0).
fn tls_version(v: &str) -> (Option<&'static str>, &str) {
    let (proto, num) = if let Some(n) = v.strip_prefix("TLSv") {
        ("tls", n)
    } else if let Some(n) = v.strip_prefix("DTLSv") {
        ("dtls", n)
    } else if let Some(n) = v.strip_prefix("SSLv") {
        ("ssl", n)
    } else {
        return (None, v);
    };
    let ver = match num {
        "10" => "1.0",
        "11" => "1.1",
        "12" => "1.2",
        "13" => "1.3",
        "2" => "2.0",
        "3" => "3.0",
        other => other,
    };
    (Some(proto), ver)
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
