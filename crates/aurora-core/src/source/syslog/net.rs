//! Network daemons' messages: kernel firewall logs (iptables, nftables, UFW),
//! FTP servers (vsftpd, wu-ftpd/inetutils ftpd), dovecot, postfix, klogind
//! and xinetd.

use super::{FAILURE, Facts, SUCCESS};
use crate::event::Event;
use crate::fields::F;
use crate::json;

const AUTH: &[&str] = &["authentication"];
const INFO: &[&str] = &["info"];
const NETWORK: &[&str] = &["network"];
const CONN_START: &[&str] = &["connection", "start"];
const CONN_END: &[&str] = &["connection", "end"];

/// `KEY=value` among space-separated tokens.
fn kv<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    s.split(' ')
        .find_map(|t| t.strip_prefix(key)?.strip_prefix('='))
}

/// Netfilter's `LOG`/`log` target: `[UFW BLOCK] IN=eth0 OUT= MAC=… SRC=…
/// DST=… LEN=… PROTO=TCP SPT=… DPT=…`. The text before `IN=` is the rule's
/// log prefix and becomes `event.action`.
pub(super) fn firewall<'a>(msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    let b = msg.as_bytes();
    let (Some(src), Some(_)) = (
        memchr::memmem::find(b, b"SRC="),
        memchr::memmem::find(b, b"DST="),
    ) else {
        return false;
    };
    let start = memchr::memmem::find(b, b"IN=").unwrap_or(src).min(src);
    let fields = &msg[start..];
    f.source = kv(fields, "SRC");
    f.destination = kv(fields, "DST");
    f.source_port = kv(fields, "SPT");
    f.destination_port = kv(fields, "DPT");
    f.category = NETWORK;

    // The prefix, without the kernel's `[ 1234.567890]` uptime.
    let mut prefix = msg[..start].trim();
    if prefix.starts_with('[')
        && let Some(end) = prefix.find(']')
        && prefix[1..end]
            .trim()
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.')
    {
        prefix = prefix[end + 1..].trim_start();
    }
    let prefix = prefix.trim_matches(|c: char| c == '[' || c == ']' || c == ':' || c == ' ');
    let upper = |w: &str| {
        prefix
            .as_bytes()
            .windows(w.len())
            .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    };
    if ["BLOCK", "DROP", "REJECT", "DENY"].iter().any(|w| upper(w)) {
        f.kind = &["connection", "denied"];
        f.outcome = FAILURE;
    } else if ["ALLOW", "ACCEPT"].iter().any(|w| upper(w)) {
        f.kind = &["connection", "allowed"];
        f.outcome = SUCCESS;
    } else {
        f.kind = &["connection"];
    }
    if !prefix.is_empty() {
        // `[UFW BLOCK]` → `ufw-block`.
        ev.with(F::EventAction, |out| {
            out.push(b'"');
            let mut dash = false;
            for c in prefix.bytes().take(64) {
                if c.is_ascii_alphanumeric() || c == b'_' {
                    if dash {
                        out.push(b'-');
                    }
                    dash = false;
                    out.push(c.to_ascii_lowercase());
                } else {
                    dash = out.last() != Some(&b'"');
                }
            }
            out.push(b'"');
        });
    }
    if let Some(p) = kv(fields, "PROTO").filter(|p| !p.is_empty()) {
        let transport = match p {
            "TCP" => "tcp",
            "UDP" => "udp",
            "ICMP" => "icmp",
            "ICMPv6" | "ICMPV6" => "ipv6-icmp",
            "SCTP" => "sctp",
            "UDPLITE" => "udplite",
            _ => "",
        };
        if transport.is_empty() {
            ev.with(F::NetworkTransport, |out| {
                out.push(b'"');
                json::escape_into(out, p.to_ascii_lowercase().as_bytes());
                out.push(b'"');
            });
        } else {
            ev.str(F::NetworkTransport, transport);
        }
    }
    if let Some(i) = kv(fields, "IN").filter(|v| !v.is_empty()) {
        ev.str(F::ObserverIngressInterfaceName, i);
    }
    if let Some(o) = kv(fields, "OUT").filter(|v| !v.is_empty()) {
        ev.dyn_str("observer.egress.interface.name", o);
    }
    // MAC= is destination (6 bytes), source (6 bytes), ethertype (2 bytes).
    if let Some(mac) = kv(fields, "MAC")
        && mac.len() == 41
        && mac.is_ascii()
    {
        write_mac(ev, F::DestinationMac, &mac[..17]);
        write_mac(ev, F::SourceMac, &mac[18..35]);
    }
    true
}

/// ECS writes MACs upper-case with dashes: `00-1A-2B-3C-4D-5E`.
fn write_mac(ev: &mut Event, field: F, mac: &str) {
    if !mac.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
        return;
    }
    ev.with(field, |out| {
        out.push(b'"');
        out.extend(mac.bytes().map(|c| {
            if c == b':' {
                b'-'
            } else {
                c.to_ascii_uppercase()
            }
        }));
        out.push(b'"');
    });
}

/// vsftpd: `[alice] OK LOGIN: Client "1.2.3.4"`, `CONNECT: Client "1.2.3.4"`,
/// `[alice] OK UPLOAD: Client "1.2.3.4", "/f", 12 bytes, …` (with an optional
/// leading `[pid N] `).
pub(super) fn vsftpd<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    let mut rest = msg;
    if rest.starts_with("[pid ")
        && let Some(p) = rest.find("] ")
    {
        rest = &rest[p + 2..];
    }
    if let Some(r) = rest.strip_prefix('[')
        && let Some((user, r)) = r.split_once("] ")
    {
        f.user = Some(user);
        rest = r;
    }
    let Some((verb, client)) = rest.split_once(": Client \"") else {
        return false;
    };
    f.source = client.split('"').next();
    let (ok, verb) = match (verb.strip_prefix("OK "), verb.strip_prefix("FAIL ")) {
        (Some(v), _) => (Some(true), v),
        (_, Some(v)) => (Some(false), v),
        _ => (None, verb),
    };
    f.outcome = ok.map(|ok| if ok { "success" } else { "failure" });
    match verb {
        "LOGIN" => {
            (f.category, f.kind, f.action) = (AUTH, INFO, Some("ftp-login"));
        }
        "CONNECT" => {
            (f.category, f.kind, f.action) = (NETWORK, CONN_START, Some("ftp-connection"));
        }
        _ => {
            f.category = &["file"];
            f.kind = match verb {
                "UPLOAD" | "MKDIR" => &["creation"],
                "DELETE" | "RMDIR" => &["deletion"],
                "RENAME" => &["change"],
                _ => &["access"],
            };
        }
    }
    true
}

/// wu-ftpd / inetutils ftpd: `connection from IP (host) at …`,
/// `ANONYMOUS FTP LOGIN FROM IP,  (anonymous)`, `FTP LOGIN FROM host [ip], user`,
/// `FAILED FTP LOGIN FROM host [ip], user`.
pub(super) fn ftpd<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    if let Some(rest) = msg.strip_prefix("connection from ") {
        let mut it = rest.split(' ');
        f.source = it.next();
        f.source_domain = it
            .next()
            .and_then(|h| h.strip_prefix('(')?.strip_suffix(')'))
            .filter(|h| !h.is_empty() && Some(*h) != f.source);
        (f.category, f.kind, f.action) = (NETWORK, CONN_START, Some("ftp-connection"));
        return true;
    }
    let Some(p) = msg.find("FTP LOGIN ") else {
        return false;
    };
    let Some(from) = msg[p..].find("FROM ") else {
        return false;
    };
    let rest = &msg[p + from + 5..];
    let (addr, user) = rest.split_once(',').unwrap_or((rest, ""));
    // `host [1.2.3.4]`: the bracketed address is the one that was connected.
    f.source = match (addr.find('['), addr.find(']')) {
        (Some(a), Some(b)) if a < b => {
            f.source_domain = Some(addr[..a].trim());
            Some(&addr[a + 1..b])
        }
        _ => Some(addr.trim()),
    };
    let anonymous = msg.starts_with("ANONYMOUS");
    f.user = if anonymous {
        Some("anonymous")
    } else {
        Some(user.trim()).filter(|u| !u.is_empty())
    };
    let failed = msg.starts_with("FAILED") || msg.contains("REFUSED");
    f.outcome = if failed { FAILURE } else { SUCCESS };
    (f.category, f.kind, f.action) = (AUTH, INFO, Some("ftp-login"));
    true
}

/// The value after `key` up to `,`: dovecot's `user=<alice>, rip=1.2.3.4,`.
fn dove<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let p = s.find(key)?;
    let rest = &s[p + key.len()..];
    if key.ends_with('<') {
        return rest.split('>').next();
    }
    if let Some(r) = rest.strip_prefix('<') {
        return r.split('>').next();
    }
    rest.split(',').next()
}

/// dovecot: `imap-login: Login: user=<u>, method=PLAIN, rip=…, lip=…`,
/// `… (auth failed, 1 attempts in 2 secs): user=<u>, …`,
/// `auth-worker(9): pam(u,1.2.3.4,<s>): unknown user`.
pub(super) fn dovecot<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    let ok = msg.contains("Login: user=");
    let failed = [
        "auth failed",
        "Authentication failed",
        "unknown user",
        "Password mismatch",
    ]
    .iter()
    .any(|w| msg.contains(w));
    if !ok && !failed {
        return false;
    }
    f.user = dove(msg, " user=<").or_else(|| dove(msg, " user="));
    f.source = dove(msg, " rip=");
    f.destination = dove(msg, " lip=");
    if f.user.is_none()
        && let Some(end) = msg.rfind("): ")
        && let Some(open) = msg[..end].rfind('(')
    {
        // `pam(u,1.2.3.4,<session>)` / `passwd-file(u,1.2.3.4)`.
        let mut it = msg[open + 1..end].split(',');
        f.user = it.next();
        f.source = f.source.or(it.next());
    }
    (f.category, f.kind, f.action) = (AUTH, INFO, Some("login"));
    f.outcome = if ok { SUCCESS } else { FAILURE };
    true
}

/// `host[1.2.3.4]` → (`host`, `1.2.3.4`); `unknown` is no host.
fn host_ip(s: &str) -> (Option<&str>, Option<&str>) {
    let s = s.split([',', ' ']).next().unwrap_or(s);
    match (s.find('['), s.rfind(']')) {
        (Some(a), Some(b)) if a < b => (
            Some(&s[..a]).filter(|h| *h != "unknown" && !h.is_empty()),
            Some(&s[a + 1..b]),
        ),
        _ => (Some(s).filter(|h| !h.is_empty()), None),
    }
}

/// postfix: `connect from h[ip]`, `NOQUEUE: reject: RCPT from h[ip]: …`,
/// `warning: h[ip]: SASL LOGIN authentication failed: …`,
/// `QID: client=h[ip], sasl_method=PLAIN, sasl_username=alice`.
pub(super) fn postfix<'a>(msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    let set_client = |f: &mut Facts<'a>, s: &'a str| {
        let (host, ip) = host_ip(s);
        match ip {
            Some(ip) => (f.source, f.source_domain) = (Some(ip), host),
            None => f.source = host,
        }
    };
    for (prefix, kind, action) in [
        ("connect from ", CONN_START, "connect"),
        ("disconnect from ", CONN_END, "disconnect"),
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            set_client(f, rest);
            (f.category, f.kind, f.action) = (NETWORK, kind, Some(action));
            return true;
        }
    }
    if let Some(p) = msg.find(": reject: ") {
        if let Some(q) = msg[p..].find(" from ") {
            set_client(f, &msg[p + q + 6..]);
        }
        if let Some(from) = dove(msg, " from=<") {
            ev.strs(
                F::EmailFromAddress,
                [from].into_iter().filter(|s| !s.is_empty()),
            );
        }
        if let Some(to) = dove(msg, " to=<") {
            ev.strs(
                F::EmailToAddress,
                [to].into_iter().filter(|s| !s.is_empty()),
            );
        }
        (f.category, f.kind, f.outcome) = (&["email"], INFO, FAILURE);
        f.action = Some("reject");
        return true;
    }
    if msg.contains("authentication failed")
        && let Some(rest) = msg.strip_prefix("warning: ")
    {
        set_client(f, rest);
        (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
        f.action = Some("authentication_failure");
        return true;
    }
    if let Some(p) = msg.find("client=") {
        set_client(f, &msg[p + 7..]);
        if let Some(user) = dove(msg, "sasl_username=") {
            f.user = Some(user);
            (f.category, f.kind, f.outcome) = (AUTH, INFO, SUCCESS);
            f.action = Some("login");
        }
        return true;
    }
    false
}

/// klogind: `Authentication failed from 1.2.3.4 (host): …`,
/// `Kerberos authentication failed`.
pub(super) fn klogind<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    if let Some(rest) = msg.strip_prefix("Authentication failed from ") {
        let mut it = rest.split(' ');
        f.source = it.next();
        f.source_domain = it
            .next()
            .and_then(|h| h.strip_prefix('('))
            .map(|h| h.trim_end_matches([':', ')']))
            .filter(|h| Some(*h) != f.source);
    } else if !msg.contains("authentication failed") {
        return false;
    }
    (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
    f.action = Some("authentication_failure");
    true
}

/// xinetd: `START: ftp pid=1 from=1.2.3.4`, `EXIT: ftp status=0 pid=1 …`,
/// `FAIL: ftp address from=1.2.3.4`.
pub(super) fn xinetd<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    let (kind, action, outcome): (&'static [&'static str], _, _) =
        match msg.split(':').next().unwrap_or("") {
            "START" => (CONN_START, "xinetd-start", None),
            "EXIT" => (CONN_END, "xinetd-exit", None),
            "FAIL" => (&["connection", "denied"], "xinetd-fail", FAILURE),
            _ => return false,
        };
    f.source = kv(msg, "from").map(|a| a.trim_start_matches("::ffff:"));
    (f.category, f.kind, f.action, f.outcome) = (NETWORK, kind, Some(action), outcome);
    true
}
