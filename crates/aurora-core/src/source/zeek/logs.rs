//! What aurora knows about each Zeek log type as a whole: its ECS
//! classification, implied transport and application protocol, severity,
//! and how to recognise it from its fields when nothing names it.

/// Zeek log types with a mapping of their own. Logs not listed here are
/// still read (`Other`), with the fields every log shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Log {
    Conn,
    Dns,
    Http,
    Ssl,
    X509,
    Files,
    Notice,
    Weird,
    Ssh,
    Smtp,
    Ftp,
    Dhcp,
    Kerberos,
    Ntlm,
    SmbFiles,
    SmbMapping,
    Rdp,
    DceRpc,
    Software,
    KnownHosts,
    KnownServices,
    KnownCerts,
    Dpd,
    Analyzer,
    Tunnel,
    Stats,
    CaptureLoss,
    Ldap,
    Modbus,
    Ntp,
    Ocsp,
    Pe,
    Rfb,
    Snmp,
    Syslog,
    Sip,
    Mysql,
    Radius,
    Socks,
    Irc,
    Quic,
    Intel,
    Signatures,
    Other,
}

/// The per-log constants of the mapping.
pub struct Spec {
    pub kind: &'static str,
    pub category: &'static [&'static str],
    pub types: &'static [&'static str],
    /// Transport when the log has no `proto` field but its protocol has one.
    pub transport: Option<&'static str>,
    /// `network.protocol` for logs of one application protocol.
    pub protocol: Option<&'static str>,
    pub severity: u8,
}

const NET: &[&str] = &["network"];
const INFO: &[&str] = &["info"];
const CONN_PROTO: &[&str] = &["connection", "protocol"];

impl Log {
    /// The mapping for a log's name (`_path`/`#path`). RITA's "open"
    /// connection logs (`open_conn`…) are mapped like the closed ones.
    pub fn from_name(name: &str) -> Log {
        let name = name.strip_prefix("open_").unwrap_or(name);
        match name {
            "conn" => Log::Conn,
            "dns" => Log::Dns,
            "http" => Log::Http,
            "ssl" => Log::Ssl,
            "x509" => Log::X509,
            "files" => Log::Files,
            "notice" | "notice_alarm" => Log::Notice,
            "weird" | "weird_stats" => Log::Weird,
            "ssh" => Log::Ssh,
            "smtp" => Log::Smtp,
            "ftp" => Log::Ftp,
            "dhcp" => Log::Dhcp,
            "kerberos" => Log::Kerberos,
            "ntlm" => Log::Ntlm,
            "smb_files" => Log::SmbFiles,
            "smb_mapping" => Log::SmbMapping,
            "rdp" => Log::Rdp,
            "dce_rpc" => Log::DceRpc,
            "software" => Log::Software,
            "known_hosts" => Log::KnownHosts,
            "known_services" => Log::KnownServices,
            "known_certs" => Log::KnownCerts,
            "dpd" => Log::Dpd,
            "analyzer" => Log::Analyzer,
            "tunnel" => Log::Tunnel,
            "stats" => Log::Stats,
            "capture_loss" => Log::CaptureLoss,
            "ldap" | "ldap_search" => Log::Ldap,
            "modbus" => Log::Modbus,
            "ntp" => Log::Ntp,
            "ocsp" => Log::Ocsp,
            "pe" => Log::Pe,
            "rfb" => Log::Rfb,
            "snmp" => Log::Snmp,
            "syslog" => Log::Syslog,
            "sip" => Log::Sip,
            "mysql" => Log::Mysql,
            "radius" => Log::Radius,
            "socks" => Log::Socks,
            "irc" => Log::Irc,
            "quic" => Log::Quic,
            "intel" => Log::Intel,
            "signatures" => Log::Signatures,
            _ => Log::Other,
        }
    }

    pub fn spec(self) -> Spec {
        let s = |kind, category, types, transport, protocol| Spec {
            kind,
            category,
            types,
            transport,
            protocol,
            severity: 1,
        };
        let app = |transport, protocol| s("event", NET, CONN_PROTO, transport, protocol);
        match self {
            Log::Conn => s("event", NET, &["connection"], None, None),
            Log::Dns => s(
                "event",
                NET,
                &["connection", "protocol", "info"],
                None,
                Some("dns"),
            ),
            Log::Http => s(
                "event",
                &["network", "web"],
                &["connection", "protocol", "info"],
                Some("tcp"),
                Some("http"),
            ),
            Log::Ssl => app(Some("tcp"), Some("tls")),
            Log::X509 => s("event", NET, INFO, None, None),
            Log::Files | Log::Pe => s("event", &["file"], INFO, None, None),
            Log::Notice => Spec {
                severity: 3,
                ..s("alert", &["intrusion_detection"], INFO, None, None)
            },
            Log::Weird => Spec {
                severity: 2,
                ..s("event", NET, INFO, None, None)
            },
            Log::Ssh => app(Some("tcp"), Some("ssh")),
            Log::Smtp => s(
                "event",
                &["network", "email"],
                CONN_PROTO,
                Some("tcp"),
                Some("smtp"),
            ),
            Log::Ftp => app(Some("tcp"), Some("ftp")),
            Log::Dhcp => app(Some("udp"), Some("dhcp")),
            Log::Kerberos => s(
                "event",
                &["network", "authentication"],
                CONN_PROTO,
                None,
                Some("kerberos"),
            ),
            Log::Ntlm => s(
                "event",
                &["network", "authentication"],
                CONN_PROTO,
                Some("tcp"),
                Some("ntlm"),
            ),
            Log::SmbFiles => s(
                "event",
                &["network", "file"],
                CONN_PROTO,
                Some("tcp"),
                Some("smb"),
            ),
            Log::SmbMapping => app(Some("tcp"), Some("smb")),
            Log::Rdp => app(Some("tcp"), Some("rdp")),
            Log::DceRpc => app(Some("tcp"), Some("dce_rpc")),
            Log::Software => s("event", NET, INFO, None, None),
            Log::KnownHosts | Log::KnownServices | Log::KnownCerts => {
                s("state", NET, INFO, None, None)
            }
            Log::Dpd | Log::Analyzer => s("event", NET, &["protocol", "info"], None, None),
            Log::Tunnel => s("event", NET, &["connection"], None, None),
            Log::Stats | Log::CaptureLoss => s("metric", &["host"], INFO, None, None),
            Log::Ldap => app(None, Some("ldap")),
            Log::Modbus => app(Some("tcp"), Some("modbus")),
            Log::Ntp => app(Some("udp"), Some("ntp")),
            Log::Ocsp => s("event", NET, INFO, None, None),
            Log::Rfb => app(Some("tcp"), Some("rfb")),
            Log::Snmp => app(Some("udp"), Some("snmp")),
            Log::Syslog => app(None, Some("syslog")),
            Log::Sip => app(None, Some("sip")),
            Log::Mysql => s(
                "event",
                &["network", "database"],
                CONN_PROTO,
                Some("tcp"),
                Some("mysql"),
            ),
            Log::Radius => s(
                "event",
                &["network", "authentication"],
                CONN_PROTO,
                Some("udp"),
                Some("radius"),
            ),
            Log::Socks => app(Some("tcp"), Some("socks")),
            Log::Irc => app(Some("tcp"), Some("irc")),
            Log::Quic => app(Some("udp"), Some("quic")),
            Log::Intel => Spec {
                severity: 3,
                ..s("alert", &["threat"], &["indicator"], None, None)
            },
            Log::Signatures => Spec {
                severity: 3,
                ..s("alert", &["intrusion_detection"], INFO, None, None)
            },
            Log::Other => s("event", NET, INFO, None, None),
        }
    }
}

/// The log name to use for a record: `_path`/`#path`, else the file name's
/// hint, else a guess from the field names, else `unknown`.
pub fn resolve<'a>(
    path: Option<&'a str>,
    hint: Option<&'a str>,
    has: impl Fn(&str) -> bool,
) -> &'a str {
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        return p;
    }
    if let Some(h) = hint {
        return h;
    }
    guess(has).unwrap_or("unknown")
}

/// Recognises a log by fields only it has.
pub fn guess(has: impl Fn(&str) -> bool) -> Option<&'static str> {
    const SIGNS: &[(&str, &str)] = &[
        ("conn_state", "conn"),
        ("qtype_name", "dns"),
        ("rcode_name", "dns"),
        ("status_code", "http"),
        ("user_agent", "http"),
        ("note", "notice"),
        ("certificate.subject", "x509"),
        ("fingerprint", "x509"),
        ("server_name", "ssl"),
        ("cipher", "ssl"),
        ("md5", "files"),
        ("mime_type", "files"),
        ("fuid", "files"),
        ("auth_attempts", "ssh"),
        ("mailfrom", "smtp"),
        ("reply_code", "ftp"),
        ("assigned_addr", "dhcp"),
        ("request_type", "kerberos"),
        ("server_nb_computer_name", "ntlm"),
        ("share_type", "smb_mapping"),
        ("security_protocol", "rdp"),
        ("named_pipe", "dce_rpc"),
        ("software_type", "software"),
        ("percent_lost", "capture_loss"),
        ("pkts_proc", "stats"),
        ("tunnel_type", "tunnel"),
        ("analyzer_kind", "analyzer"),
        ("failure_reason", "dpd"),
        ("name", "weird"),
    ];
    SIGNS.iter().find(|(f, _)| has(f)).map(|(_, log)| *log)
}

/// Elastic's explanation of each `conn_state`, and the event types it implies.
pub fn conn_state(state: &str) -> Option<(&'static str, &'static [&'static str])> {
    const START: &[&str] = &["connection", "start"];
    const INFO: &[&str] = &["connection", "info"];
    Some(match state {
        "S0" => ("Connection attempt seen, no reply.", START),
        "S1" => ("Connection established, not terminated.", START),
        "SF" => (
            "Normal establishment and termination.",
            &["connection", "start", "end"],
        ),
        "REJ" => (
            "Connection attempt rejected.",
            &["connection", "start", "denied"],
        ),
        "S2" => (
            "Connection established and close attempt by originator seen (but no reply from responder).",
            INFO,
        ),
        "S3" => (
            "Connection established and close attempt by responder seen (but no reply from originator).",
            INFO,
        ),
        "RSTO" => (
            "Connection established, originator aborted (sent a RST).",
            INFO,
        ),
        "RSTR" => ("Responder sent a RST.", INFO),
        "RSTOS0" => (
            "Originator sent a SYN followed by a RST, we never saw a SYN-ACK from the responder.",
            INFO,
        ),
        "RSTRH" => (
            "Responder sent a SYN ACK followed by a RST, we never saw a SYN from the (purported) originator.",
            INFO,
        ),
        "SH" => (
            "Originator sent a SYN followed by a FIN, we never saw a SYN ACK from the responder (hence the connection was 'half' open).",
            INFO,
        ),
        "SHR" => (
            "Responder sent a SYN ACK followed by a FIN, we never saw a SYN from the originator.",
            INFO,
        ),
        "OTH" => (
            "No SYN seen, just midstream traffic (a 'partial connection' that was not later closed).",
            INFO,
        ),
        _ => return None,
    })
}

/// `event.outcome` of a connection state (aurora's addition: Elastic sets
/// none). Established connections succeeded, refused or unanswered attempts
/// failed, and states seen only in part say nothing.
pub fn conn_outcome(state: &str) -> &'static str {
    match state {
        "SF" | "S1" | "S2" | "S3" | "RSTO" | "RSTR" => "success",
        "REJ" | "S0" | "RSTOS0" => "failure",
        _ => "unknown",
    }
}
