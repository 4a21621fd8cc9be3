//! Zeek log records → ECS, shared by the JSON and TSV readers.
//!
//! Both readers turn a record into typed fields ([`value`]) and hand them to
//! one mapping ([`map`]), so the two renderings of an event give the same
//! ECS event.

pub mod logs;
pub mod map;
pub mod object;
pub mod protocols;
pub mod value;

/// Zeek log types aurora knows by name, longest first so that `smb_files`
/// wins over `files` when guessing from a file name.
pub const LOG_TYPES: &[&str] = &[
    "known_services",
    "known_certs",
    "known_hosts",
    "capture_loss",
    "ldap_search",
    "smb_mapping",
    "open_conn",
    "smb_files",
    "kerberos",
    "software",
    "analyzer",
    "dce_rpc",
    "modbus",
    "notice",
    "tunnel",
    "weird",
    "stats",
    "files",
    "x509",
    "smtp",
    "ntlm",
    "dhcp",
    "http",
    "snmp",
    "ocsp",
    "conn",
    "ssh",
    "ssl",
    "ftp",
    "dns",
    "dpd",
    "rdp",
    "rfb",
    "ntp",
    "sip",
    "irc",
    "mysql",
    "radius",
    "syslog",
    "pe",
    "intel",
    "signatures",
    "traceroute",
    "socks",
    "ldap",
    "quic",
];

/// Guesses the log type from a file name: `conn.log`, `dns.00:00:00-01:00:00.log.gz`,
/// `test-conn.2021.log` → `conn`. Returns None when no part names a known log.
pub fn log_type_from_file_name(name: &str) -> Option<&'static str> {
    let base = crate::input::log_stem(name);
    let parts = base.split(['.', '-']);
    for part in parts {
        if let Some(t) = LOG_TYPES.iter().find(|t| **t == part) {
            return Some(t);
        }
    }
    None
}
