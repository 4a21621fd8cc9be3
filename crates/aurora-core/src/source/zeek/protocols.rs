//! The per-protocol part of the Zeek mapping: what each log's own fields
//! mean in ECS (dns.*, http.*, tls.*, user.name, file.*…).
//!
//! Every arm sets ECS fields from one Zeek field and says whether the field
//! also stays under `zeek.<log>`: by default it does, so nothing is lost;
//! fields that only rename into ECS (as Elastic's pipelines rename them)
//! do not.

use crate::event::Event;
use crate::fields::F;
use crate::reject::RecordError;
use crate::source::zeek::logs::{self, Log};
use crate::source::zeek::map::{Facts, Scratch, StrSet, ip_of, set_transport};
use crate::source::zeek::value::Val;
use std::net::IpAddr;

/// Handles a field of log `log` that is not one every log shares.
pub(super) fn field<'a>(
    log: Log,
    key: &'a str,
    val: &Val<'a>,
    f: &mut Facts<'a>,
    s: &mut Scratch,
    ev: &mut Event,
) -> Result<bool, RecordError> {
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

/// Adds every IP address a value names (a list or one) to related.ip.
pub(super) fn add_ips(ips: &mut StrSet, val: &Val<'_>) {
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
