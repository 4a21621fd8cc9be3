//! Authentication and account messages: sshd, sudo, su, PAM, login, the
//! shadow-utils account tools, cron and systemd-logind.
//!
//! Field choices follow Elastic's system/auth pipeline so that Kibana users
//! find what they expect: `user.name` is who acted (the sudo caller, the
//! account logging in or being created), `user.effective.name` whose
//! privileges were taken, `event.action` `ssh_login`/`logged-on`/`logged-off`.
//! Prefix checks come first and the frequent sshd lines are parsed by hand
//! (they are most of a brute-forced host's log); regexes only for rare lines.

use super::{FAILURE, Facts, SUCCESS, write_system};
use crate::event::Event;
use regex::Regex;
use std::sync::LazyLock;

const AUTH: &[&str] = &["authentication"];
const AUTH_SESSION: &[&str] = &["authentication", "session"];
const SESSION: &[&str] = &["session"];
const PROCESS: &[&str] = &["process"];
const NETWORK: &[&str] = &["network"];
const IAM: &[&str] = &["iam"];
const INFO: &[&str] = &["info"];
const CONN_END: &[&str] = &["connection", "end"];

static SSH_MAX_TRIES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(.*) from (\S+) port (\d+)")
        .expect("static regex")
});

/// `error: PAM: <reason> for [illegal user ]<user> from <host>`.
static SSH_PAM_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^error: PAM: (.*?) for (illegal user |invalid user )?(.*) from (\S+)$")
        .expect("static regex")
});

fn word_after<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(prefix)?;
    Some(rest.split(' ').next().unwrap_or(rest))
}

/// The tail of an sshd login line after ` for `: `<user> from <addr>
/// port <n>[ ssh2][: <sig>]`. The last ` from ` that is followed by a well
/// formed tail wins, so an attacker-chosen user name containing ` from `
/// cannot move the address.
struct LoginTail<'a> {
    user: &'a str,
    addr: &'a str,
    port: Option<&'a str>,
    signature: Option<&'a str>,
}

fn login_tail(s: &str, port_required: bool) -> Option<LoginTail<'_>> {
    for (at, _) in s.rmatch_indices(" from ") {
        let tail = &s[at + 6..];
        let (addr, rest) = tail.split_once(' ').unwrap_or((tail, ""));
        if addr.is_empty() {
            continue;
        }
        let (port, rest) = match rest.strip_prefix("port ") {
            Some(r) => {
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                (Some(&r[..n]).filter(|p| !p.is_empty()), &r[n..])
            }
            None => (None, rest),
        };
        if port.is_none() && (port_required || !rest.is_empty()) {
            continue;
        }
        let rest = rest.strip_prefix(" ssh2").unwrap_or(rest);
        let signature = match rest {
            "" => None,
            r => match r.strip_prefix(": ") {
                Some(sig) => Some(sig),
                None => continue,
            },
        };
        return Some(LoginTail {
            user: &s[..at],
            addr,
            port,
            signature,
        });
    }
    None
}

pub(super) fn sshd<'a>(msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    // `Accepted|Failed|Postponed <method> for [invalid user ]<user> from …`.
    let event = msg.split(' ').next().unwrap_or("");
    if matches!(event, "Accepted" | "Failed" | "Postponed")
        && let Some((method, rest)) = msg[event.len()..].trim_start().split_once(" for ")
        && !method.contains(' ')
        && let Some(t) = login_tail(rest.strip_prefix("invalid user ").unwrap_or(rest), true)
    {
        f.user = Some(t.user);
        f.source = Some(t.addr);
        f.source_port = t.port;
        match event {
            "Accepted" => (f.category, f.outcome) = (AUTH_SESSION, SUCCESS),
            "Failed" => (f.category, f.outcome) = (AUTH, FAILURE),
            _ => {}
        }
        if event != "Postponed" {
            (f.kind, f.action) = (INFO, Some("ssh_login"));
        }
        write_system(
            ev,
            "ssh",
            &[
                ("event", Some(event)),
                ("method", Some(method)),
                ("signature", t.signature),
            ],
        );
        return true;
    }
    let invalid = msg
        .strip_prefix("Invalid user ")
        .or_else(|| msg.strip_prefix("Illegal user "));
    if let Some(rest) = invalid
        && let Some(t) = login_tail(rest, false)
        && t.signature.is_none()
    {
        f.user = Some(t.user);
        f.source = Some(t.addr);
        f.source_port = t.port;
        (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
        f.action = Some("ssh_login");
        write_system(ev, "ssh", &[("event", Some("Invalid"))]);
        return true;
    }
    if let Some(rest) = msg.strip_prefix("Did not receive identification string from ") {
        let mut it = rest.split(' ');
        f.source = it.next();
        if it.next() == Some("port") {
            f.source_port = it.next();
        }
        write_system(ev, "ssh", &[("dropped_ip", f.source)]);
        return true;
    }
    for prefix in [
        "Disconnected from ",
        "Connection closed by ",
        "Connection reset by ",
        "Received disconnect from ",
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            disconnect(rest, f);
            return true;
        }
    }
    if msg.ends_with("POSSIBLE BREAK-IN ATTEMPT!") {
        // `reverse mapping checking getaddrinfo for h [1.2.3.4] failed - …`
        // or `Address 1.2.3.4 maps to h, but this does not map back …`.
        f.source = match (msg.find('['), msg.find(']')) {
            (Some(a), Some(b)) if a < b => Some(&msg[a + 1..b]),
            _ => word_after(msg, "Address "),
        };
        f.category = &["network", "intrusion_detection"];
        (f.kind, f.action) = (INFO, Some("ssh_possible_break_in"));
        return true;
    }
    if msg.contains("maximum authentication attempts exceeded")
        && let Some(c) = SSH_MAX_TRIES.captures(msg)
    {
        f.user = c.get(1).map(|m| m.as_str());
        f.source = c.get(2).map(|m| m.as_str());
        f.source_port = c.get(3).map(|m| m.as_str());
        (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
        f.action = Some("ssh_login");
        return true;
    }
    if msg.starts_with("error: PAM: ")
        && let Some(c) = SSH_PAM_ERROR.captures(msg)
    {
        f.user = c.get(3).map(|m| m.as_str());
        f.source = c.get(4).map(|m| m.as_str());
        (f.category, f.outcome) = (AUTH, FAILURE);
        let event = msg.get(..c.get(2).or(c.get(3)).map_or(0, |m| m.start()));
        write_system(ev, "ssh", &[("event", event.map(str::trim_end))]);
        return true;
    }
    if let Some(rest) = msg.strip_prefix("User ")
        && rest.contains(" not allowed because ")
    {
        let mut it = rest.split(' ');
        f.user = it.next();
        if it.next() == Some("from") {
            f.source = it.next();
        }
        (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
        f.action = Some("ssh_login");
        return true;
    }
    if let Some(rest) = msg.strip_prefix("Unable to negotiate with ") {
        let mut it = rest.split(' ');
        f.source = it.next();
        if it.next() == Some("port") {
            f.source_port = it.next().map(|p| p.trim_end_matches(':'));
        }
        (f.category, f.kind, f.outcome) = (NETWORK, &["connection", "denied"], FAILURE);
        return true;
    }
    false
}

/// `[authenticating |invalid ]user U <addr> port <n>[…]` or `<addr> port <n>…`.
fn disconnect<'a>(rest: &'a str, f: &mut Facts<'a>) {
    let Some(port_at) = rest.find(" port ") else {
        f.source = rest.split([' ', ':']).next();
        (f.category, f.kind) = (NETWORK, CONN_END);
        f.action = Some("ssh_disconnect");
        return;
    };
    let before = &rest[..port_at];
    let port = &rest[port_at + 6..];
    let digits = port.bytes().take_while(u8::is_ascii_digit).count();
    f.source_port = Some(&port[..digits]);
    let (who, addr) = match before.rfind(' ') {
        Some(p) => (Some(&before[..p]), &before[p + 1..]),
        None => (None, before),
    };
    f.source = Some(addr);
    if let Some(who) = who {
        f.user = ["authenticating user ", "invalid user ", "user "]
            .iter()
            .find_map(|p| who.strip_prefix(p));
    }
    (f.category, f.kind) = (NETWORK, CONN_END);
    f.action = Some("ssh_disconnect");
}

/// `user : [error ; ]TTY=… ; PWD=… ; USER=… ; [GROUP=… ; ]COMMAND=…`.
pub(super) fn sudo<'a>(msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    let msg = msg.trim_start();
    let Some(colon) = msg.find(" : ") else {
        return false;
    };
    let user = &msg[..colon];
    if user.is_empty() || user.contains(' ') {
        return false;
    }
    let mut rest = &msg[colon + 3..];
    let (mut tty, mut pwd, mut eff, mut cmd, mut error) = (None, None, None, None, None);
    while !rest.is_empty() {
        // COMMAND is last and may itself contain ` ; `.
        if let Some(c) = rest.strip_prefix("COMMAND=") {
            cmd = Some(c);
            break;
        }
        let (piece, next) = match rest.find(" ; ") {
            Some(p) => (&rest[..p], &rest[p + 3..]),
            None => (rest, ""),
        };
        match piece.split_once('=') {
            Some(("TTY", v)) => tty = Some(v),
            Some(("PWD", v)) => pwd = Some(v),
            Some(("USER", v)) => eff = Some(v),
            Some((k, _)) if k.bytes().all(|c| c.is_ascii_uppercase()) => {}
            _ if error.is_none() => error = Some(piece),
            _ => {}
        }
        rest = next;
    }
    if tty.is_none() && cmd.is_none() {
        return false;
    }
    f.user = Some(user);
    f.effective = eff;
    if cmd.is_some() {
        f.category = PROCESS;
    }
    if error.is_some() {
        // `user NOT in sudoers`, `3 incorrect password attempts`,
        // `command not allowed`: a refused elevation.
        f.outcome = FAILURE;
    }
    write_system(
        ev,
        "sudo",
        &[
            ("error", error),
            ("tty", tty),
            ("pwd", pwd),
            ("user", eff),
            ("command", cmd),
        ],
    );
    true
}

/// su's own lines (PAM's are handled by [`pam`]).
pub(super) fn su<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    // RHEL: `(to root) alice on pts/0`, `FAILED SU (to root) alice on pts/0`.
    let (failed, rest) = match msg.strip_prefix("FAILED SU ") {
        Some(r) => (true, r),
        None => (false, msg),
    };
    if let Some(r) = rest.strip_prefix("(to ")
        && let Some((target, r)) = r.split_once(") ")
    {
        f.effective = Some(target);
        f.user = r.split(' ').next();
        return su_outcome(!failed, f);
    }
    // shadow-utils: `Successful su for root by alice`, `FAILED su for root by alice`,
    // `+ pts/0 alice:root`, `- pts/0 alice:root`.
    for (prefix, ok) in [("Successful su for ", true), ("FAILED su for ", false)] {
        if let Some(r) = msg.strip_prefix(prefix)
            && let Some((target, by)) = r.split_once(" by ")
        {
            f.effective = Some(target);
            f.user = Some(by);
            return su_outcome(ok, f);
        }
    }
    if let [sign @ (b'+' | b'-'), b' ', ..] = msg.as_bytes()
        && let Some((_, pair)) = msg[2..].split_once(' ')
        && let Some((by, target)) = pair.split_once(':')
    {
        f.user = Some(by);
        f.effective = Some(target);
        return su_outcome(*sign == b'+', f);
    }
    if msg.starts_with("pam_authenticate: Authentication failure") {
        return su_outcome(false, f);
    }
    false
}

fn su_outcome(ok: bool, f: &mut Facts<'_>) -> bool {
    (f.category, f.kind) = (AUTH, INFO);
    f.outcome = if ok { SUCCESS } else { FAILURE };
    f.action = Some("su");
    true
}

/// `key=value` from PAM's `authentication failure; logname= uid=0 … user=root`.
fn pam_kv<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    s.split_ascii_whitespace()
        .find_map(|t| t.strip_prefix(key)?.strip_prefix('='))
}

/// `pam_unix(sshd:auth): …` and Red Hat's `sshd(pam_unix)[pid]: …`.
pub(super) fn pam<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    let body = match (msg.starts_with("pam_"), msg.find("): ")) {
        (true, Some(p)) => &msg[p + 3..],
        _ => msg,
    };
    if let Some(rest) = body.strip_prefix("session opened for user ") {
        let (for_user, by) = match rest.split_once(" by ") {
            Some((u, b)) => (u, Some(b)),
            None => (rest, None),
        };
        let for_user = unquote(strip_uid(for_user).0);
        let (by_user, by_uid) = by.map(strip_uid).unwrap_or(("", None));
        let by_user = unquote(by_user);
        // `by (uid=0)`: the session was opened by a daemon, not a person;
        // `LOGIN` is login(1)'s placeholder before the name is known.
        if by_user.is_empty() || by_user == "LOGIN" {
            f.user = Some(for_user);
        } else {
            (f.user, f.user_id) = (Some(by_user), by_uid);
        }
        f.effective = Some(for_user);
        (f.category, f.outcome, f.action) = (SESSION, SUCCESS, Some("logged-on"));
        return true;
    }
    if let Some(rest) = body.strip_prefix("session closed for user ") {
        f.user = Some(unquote(strip_uid(rest.trim_end()).0));
        (f.category, f.action) = (SESSION, Some("logged-off"));
        return true;
    }
    if let Some(p) = body.find("authentication failure") {
        let kv = &body[p..];
        let ruser = pam_kv(kv, "ruser").filter(|u| !u.is_empty());
        let user = pam_kv(kv, "user").filter(|u| !u.is_empty());
        match ruser {
            Some(r) => {
                f.user = Some(r);
                f.user_id = pam_kv(kv, "uid");
                f.effective = user;
                f.effective_id = pam_kv(kv, "euid");
            }
            None => f.user = user,
        }
        f.source = pam_kv(kv, "rhost");
        auth_failure(f);
        return true;
    }
    if body.starts_with("check pass; user unknown") {
        auth_failure(f);
        return true;
    }
    if let Some(rest) = body.strip_prefix("auth could not identify password for ") {
        f.user = Some(rest.trim_start_matches('[').trim_end_matches(']'));
        auth_failure(f);
        return true;
    }
    if let Some(rest) = body.strip_prefix("password changed for ") {
        f.user = Some(rest.trim());
        f.target = f.user;
        (f.category, f.kind, f.outcome) = (IAM, &["user", "change"], SUCCESS);
        f.action = Some("password-changed");
        return true;
    }
    if msg.starts_with("pam_faillock(")
        && let Some(p) = body.find("for user ")
    {
        f.user = body[p + 9..].split(' ').next();
        auth_failure(f);
        f.action = Some("account-locked");
        return true;
    }
    false
}

fn auth_failure(f: &mut Facts<'_>) {
    (f.category, f.kind, f.outcome) = (AUTH, INFO, FAILURE);
    f.action = Some("authentication_failure");
}

/// `name(uid=0)` → (`name`, Some(`0`)).
fn strip_uid(s: &str) -> (&str, Option<&str>) {
    match s.find("(uid=") {
        Some(p) => {
            let uid = s[p + 5..].split(')').next();
            (&s[..p], uid)
        }
        None => (s, None),
    }
}

fn unquote(s: &str) -> &str {
    s.trim_matches(['\'', '"'])
}

/// Value of `key=` in shadow-utils' `name=apache, UID=48, …`.
fn comma_kv<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    s.split(',').find_map(|t| {
        let word = t.trim().rsplit(' ').next()?;
        word.strip_prefix(key)?.strip_prefix('=')
    })
}

/// The first and second `'quoted'` words.
fn quoted(s: &str) -> (Option<&str>, Option<&str>) {
    let mut it = s.split('\'').skip(1).step_by(2);
    (it.next(), it.next())
}

/// useradd, groupadd, userdel, groupdel, usermod, groupmod, passwd, chpasswd, gpasswd, chage.
pub(super) fn iam<'a>(program: &str, msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    let group_tool = program.starts_with("group") || program == "gpasswd";
    f.category = IAM;
    f.kind = match program {
        "useradd" => &["user", "creation"],
        "userdel" => &["user", "deletion"],
        "groupadd" => &["group", "creation"],
        "groupdel" => &["group", "deletion"],
        "groupmod" | "gpasswd" => &["group", "change"],
        _ => &["user", "change"],
    };
    f.outcome = if msg.contains("fail") {
        FAILURE
    } else {
        SUCCESS
    };
    if msg.contains("name=") {
        let name = comma_kv(msg, "name");
        if group_tool || msg.starts_with("new group") || msg.starts_with("group added") {
            f.group_name = name;
            f.group_id = comma_kv(msg, "GID");
        } else {
            f.user = name;
            f.user_id = comma_kv(msg, "UID");
            f.group_id = comma_kv(msg, "GID");
            write_system(
                ev,
                "useradd",
                &[
                    ("home", comma_kv(msg, "home")),
                    ("shell", comma_kv(msg, "shell")),
                ],
            );
        }
        return true;
    }
    // gpasswd: `user bob added by root to group sudo`.
    if let Some(rest) = msg.strip_prefix("user ")
        && let Some((target, rest)) = rest.split_once(' ')
    {
        let (added, rest) = match (
            rest.strip_prefix("added by "),
            rest.strip_prefix("removed by "),
        ) {
            (Some(r), _) => (true, r),
            (_, Some(r)) => (false, r),
            _ => return true,
        };
        if let Some((by, group)) = rest.split_once(' ') {
            f.user = Some(by);
            f.target = Some(target);
            f.group_name = group
                .strip_prefix("to group ")
                .or(group.strip_prefix("from group "));
        }
        f.action = Some(if added {
            "group-user-added"
        } else {
            "group-user-removed"
        });
        return true;
    }
    let (first, second) = quoted(msg);
    if group_tool {
        f.group_name = first;
    } else {
        f.user = first;
        if msg.starts_with("add '") && msg.contains(" group '") {
            f.group_name = second;
            f.action = Some("group-member-added");
        }
    }
    true
}

/// cron: `(root) CMD (command)`, `(root) REPLACE (root)`, `(root) LIST (root)`.
pub(super) fn cron<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    let Some(rest) = msg.strip_prefix('(') else {
        return false;
    };
    let Some((user, rest)) = rest.split_once(") ") else {
        return false;
    };
    let (verb, arg) = match rest.split_once(" (") {
        Some((v, a)) => (v, Some(a.strip_suffix(')').unwrap_or(a))),
        None => (rest, None),
    };
    if user != "CRON" && user != "*system*" {
        f.user = Some(user);
    }
    match verb {
        "CMD" => {
            f.command_line = arg;
            (f.category, f.kind, f.action) = (PROCESS, &["start"], Some("cron-command"));
        }
        "REPLACE" | "DELETE" | "BEGIN EDIT" | "END EDIT" => {
            (f.category, f.kind, f.action) =
                (&["configuration"], &["change"], Some("crontab-changed"));
        }
        _ => {}
    }
    true
}

/// systemd-logind: `New session 3 of user alice.`, `Removed session 3.`
pub(super) fn logind<'a>(msg: &'a str, ev: &mut Event, f: &mut Facts<'a>) -> bool {
    if let Some(rest) = msg.strip_prefix("New session ")
        && let Some((id, user)) = rest.split_once(" of user ")
    {
        f.user = Some(user.trim_end_matches('.'));
        (f.category, f.kind, f.action) = (SESSION, &["start"], Some("session-created"));
        write_system(ev, "logind", &[("session_id", Some(id))]);
        return true;
    }
    if let Some(rest) = msg.strip_prefix("Removed session ") {
        (f.category, f.kind, f.action) = (SESSION, &["end"], Some("session-removed"));
        write_system(
            ev,
            "logind",
            &[("session_id", Some(rest.trim_end_matches('.')))],
        );
        return true;
    }
    false
}

/// login(1): `ROOT LOGIN ON tty2`, `LOGIN ON tty1 BY alice`,
/// `FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure`.
pub(super) fn login<'a>(msg: &'a str, f: &mut Facts<'a>) -> bool {
    if msg.starts_with("ROOT LOGIN ") {
        f.user = Some("root");
        f.outcome = SUCCESS;
    } else if msg.starts_with("LOGIN ON ")
        && let Some(p) = msg.find(" BY ")
    {
        f.user = msg[p + 4..].split(' ').next();
        f.outcome = SUCCESS;
    } else if msg.starts_with("FAILED LOGIN") {
        if let Some(p) = msg.find(" FOR ") {
            f.user = msg[p + 5..].split([',', ' ']).next().map(unquote);
        }
        if let Some(p) = msg.find(" FROM ") {
            f.source = msg[p + 6..]
                .split([',', ' '])
                .next()
                .filter(|h| *h != "(null)");
        }
        f.outcome = FAILURE;
    } else {
        return false;
    }
    (f.category, f.kind, f.action) = (AUTH, INFO, Some("login"));
    true
}
