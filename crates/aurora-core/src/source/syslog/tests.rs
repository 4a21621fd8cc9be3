//! Named real-world lines per daemon, checked field by field, and the
//! header edge cases (RFC 5424 NILVALUEs, structured data, BOM, PRI bounds).

use super::*;
use serde_json::{Value, json};

fn run_with(line: &str, settings: &Settings) -> Result<Value, RecordError> {
    let mut ev = Event::new();
    // 2025-12-01T00:00:00Z.
    normalize(line, settings, 1_764_547_200_000_000, &mut ev)?;
    Ok(serde_json::from_str(&ev.to_json_string()).expect("valid JSON"))
}

fn run(line: &str) -> Value {
    let settings = Settings {
        year: Some(2025),
        tz: None,
    };
    run_with(line, &settings).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// (name, line, [(path, value)]); `null` asserts the field is absent.
type Case = (&'static str, &'static str, Vec<(&'static str, Value)>);

fn check(cases: Vec<Case>) {
    let mut failed = Vec::new();
    for (name, line, want) in cases {
        let v = run(line);
        for (path, w) in want {
            let got = get(&v, path);
            if *got != w {
                failed.push(format!("{name}: {path} = {got}, want {w}"));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn sshd() {
    check(vec![
        (
            "accepted publickey",
            "Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9",
            vec![
                ("user.name", json!("vagrant")),
                ("source.ip", json!("10.0.2.2")),
                ("source.port", json!(63673)),
                ("event.outcome", json!("success")),
                ("event.action", json!("ssh_login")),
                ("event.category", json!(["authentication", "session"])),
                ("event.dataset", json!("syslog.sshd")),
                ("process.pid", json!(3402)),
                ("system.auth.ssh.method", json!("publickey")),
                ("system.auth.ssh.signature", json!("RSA 39:33:99:e9")),
                ("related.ip", json!(["10.0.2.2"])),
                ("related.user", json!(["vagrant"])),
                ("@timestamp", json!("2025-02-21T21:54:44.000000Z")),
            ],
        ),
        (
            "failed password for invalid user, IPv6",
            "Mar  3 10:00:00 h sshd[1]: Failed password for invalid user admin from 2001:db8::1 port 50022 ssh2",
            vec![
                ("user.name", json!("admin")),
                ("source.ip", json!("2001:db8::1")),
                ("event.outcome", json!("failure")),
                ("event.category", json!(["authentication"])),
            ],
        ),
        (
            "user name that spoofs an address",
            "Mar  3 10:00:00 h sshd[1]: Failed password for invalid user x from 6.6.6.6 from 10.9.8.7 port 22 ssh2",
            vec![
                ("user.name", json!("x from 6.6.6.6")),
                ("source.ip", json!("10.9.8.7")),
            ],
        ),
        (
            "invalid user with port",
            "Mar  3 10:00:00 h sshd[1]: Invalid user oracle from 203.0.113.9 port 40000",
            vec![
                ("user.name", json!("oracle")),
                ("source.ip", json!("203.0.113.9")),
                ("source.port", json!(40000)),
                ("event.outcome", json!("failure")),
                ("event.action", json!("ssh_login")),
            ],
        ),
        (
            "connection closed by authenticating user",
            "Mar  3 10:00:00 h sshd[1]: Connection closed by authenticating user root 198.51.100.7 port 52122 [preauth]",
            vec![
                ("user.name", json!("root")),
                ("source.ip", json!("198.51.100.7")),
                ("source.port", json!(52122)),
                ("event.action", json!("ssh_disconnect")),
            ],
        ),
        (
            "received disconnect",
            "Mar  3 10:00:00 h sshd[1]: Received disconnect from 198.51.100.7 port 52122:11: Bye Bye [preauth]",
            vec![
                ("source.ip", json!("198.51.100.7")),
                ("source.port", json!(52122)),
            ],
        ),
        (
            "break-in attempt",
            "Mar  3 10:00:00 h sshd[1]: reverse mapping checking getaddrinfo for bad.example [192.0.2.66] failed - POSSIBLE BREAK-IN ATTEMPT!",
            vec![
                ("source.ip", json!("192.0.2.66")),
                ("event.action", json!("ssh_possible_break_in")),
                ("event.category", json!(["network", "intrusion_detection"])),
            ],
        ),
        (
            "no identification string",
            "Feb 19 15:30:04 slave22 sshd[18406]: Did not receive identification string from 89.160.20.156",
            vec![
                ("source.ip", json!("89.160.20.156")),
                ("system.auth.ssh.dropped_ip", json!("89.160.20.156")),
                ("event.outcome", Value::Null),
            ],
        ),
        (
            "pam auth failure with rhost and user",
            "Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220.135.151.1  user=root",
            vec![
                ("user.name", json!("root")),
                ("source.ip", json!("220.135.151.1")),
                ("event.outcome", json!("failure")),
                ("process.name", json!("sshd")),
                ("log.syslog.appname", json!("sshd(pam_unix)")),
            ],
        ),
        (
            "pam rhost is a host name",
            "Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root",
            vec![
                ("source.ip", Value::Null),
                ("source.domain", json!("220-135-151-1.hinet-ip.hinet.net")),
                (
                    "related.hosts",
                    json!(["combo", "220-135-151-1.hinet-ip.hinet.net"]),
                ),
            ],
        ),
    ]);
}

#[test]
fn sudo_su_pam() {
    check(vec![
        (
            "sudo command",
            "Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls",
            vec![
                ("user.name", json!("vagrant")),
                ("user.effective.name", json!("root")),
                ("event.category", json!(["process"])),
                ("system.auth.sudo.command", json!("/bin/ls")),
                ("system.auth.sudo.tty", json!("pts/0")),
                ("related.user", json!(["vagrant", "root"])),
            ],
        ),
        (
            "sudo command containing ' ; '",
            "Oct 17 18:20:49 s sudo[1]:  moe : TTY=pts/0 ; PWD=/home/moe ; USER=root ; COMMAND=/bin/sh -c echo A ; /usr/bin/b",
            vec![(
                "system.auth.sudo.command",
                json!("/bin/sh -c echo A ; /usr/bin/b"),
            )],
        ),
        (
            "sudo not in sudoers",
            "Feb 24 00:13:02 precise32 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls",
            vec![
                ("user.name", json!("tsg")),
                ("event.outcome", json!("failure")),
                ("system.auth.sudo.error", json!("user NOT in sudoers")),
            ],
        ),
        (
            "sudo incorrect password attempts",
            "Mar  1 09:00:00 h sudo: alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash",
            vec![
                ("event.outcome", json!("failure")),
                (
                    "system.auth.sudo.error",
                    json!("3 incorrect password attempts"),
                ),
            ],
        ),
        (
            "sudo pam auth failure with ruser",
            "Jun  2 19:08:43 host.name sudo[654321]: pam_unix(sudo:auth): authentication failure; logname=bob uid=1117 euid=0 tty=/dev/pts/1 ruser=alice rhost= user=root",
            vec![
                ("user.name", json!("alice")),
                ("user.id", json!("1117")),
                ("user.effective.name", json!("root")),
                ("event.outcome", json!("failure")),
                ("source", Value::Null),
            ],
        ),
        (
            "pam session opened by a user",
            "<86>1 2023-10-06T09:45:15.664648+02:00 test.lab.com su - - - pam_unix(su-l:session): session opened for user root by milad(uid=0)",
            vec![
                ("user.name", json!("milad")),
                ("user.id", json!("0")),
                ("user.effective.name", json!("root")),
                ("event.action", json!("logged-on")),
                ("event.category", json!(["session"])),
            ],
        ),
        (
            "pam session, newer format with uid on both sides",
            "Dec  1 10:00:00 h sshd[9]: pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)",
            vec![("user.name", json!("bob")), ("user.id", Value::Null)],
        ),
        (
            "pam session closed",
            "Jun 15 04:06:20 combo su(pam_unix)[21416]: session closed for user cyrus",
            vec![
                ("user.name", json!("cyrus")),
                ("event.action", json!("logged-off")),
                ("process.name", json!("su")),
            ],
        ),
        (
            "su to root (RHEL)",
            "Mar  1 09:00:00 h su: FAILED SU (to root) alice on pts/0",
            vec![
                ("user.name", json!("alice")),
                ("user.effective.name", json!("root")),
                ("event.outcome", json!("failure")),
            ],
        ),
        (
            "su shadow-utils",
            "Mar  1 09:00:00 h su[5]: Successful su for root by alice",
            vec![
                ("user.name", json!("alice")),
                ("event.outcome", json!("success")),
            ],
        ),
        (
            "su +/- line",
            "Mar  1 09:00:00 h su[5]: - pts/3 alice:root",
            vec![
                ("user.name", json!("alice")),
                ("user.effective.name", json!("root")),
                ("event.outcome", json!("failure")),
            ],
        ),
        (
            "password changed",
            "Mar  1 09:00:00 h passwd[5]: pam_unix(passwd:chauthtok): password changed for bob",
            vec![
                ("user.name", json!("bob")),
                ("event.action", json!("password-changed")),
                ("event.category", json!(["iam"])),
            ],
        ),
        (
            "faillock",
            "Mar  1 09:00:00 h sshd[5]: pam_faillock(sshd:auth): Consecutive login failures for user bob account temporarily locked",
            vec![
                ("user.name", json!("bob")),
                ("event.action", json!("account-locked")),
            ],
        ),
        (
            "login root",
            "Mar  1 09:00:00 h login[5]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure",
            vec![
                ("user.name", json!("root")),
                ("event.outcome", json!("failure")),
            ],
        ),
    ]);
}

#[test]
fn accounts_cron_logind() {
    check(vec![
        (
            "useradd",
            "Feb 22 11:47:05 localhost useradd[6995]: new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin",
            vec![
                ("user.name", json!("apache")),
                ("user.id", json!("48")),
                ("group.id", json!("48")),
                ("event.type", json!(["user", "creation"])),
                ("event.outcome", json!("success")),
                ("system.auth.useradd.shell", json!("/sbin/nologin")),
            ],
        ),
        (
            "groupadd",
            "Feb 22 11:47:05 localhost groupadd[6991]: new group: name=apache, GID=48",
            vec![
                ("group.name", json!("apache")),
                ("group.id", json!("48")),
                ("event.type", json!(["group", "creation"])),
            ],
        ),
        (
            "usermod add to group",
            "Mar  1 09:00:00 h usermod[5]: add 'bob' to group 'sudo'",
            vec![
                ("user.name", json!("bob")),
                ("group.name", json!("sudo")),
                ("event.action", json!("group-member-added")),
            ],
        ),
        (
            "userdel",
            "Mar  1 09:00:00 h userdel[5]: delete user 'bob'",
            vec![
                ("user.name", json!("bob")),
                ("event.type", json!(["user", "deletion"])),
            ],
        ),
        (
            "cron command",
            "Mar  1 09:17:01 h CRON[1234]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
            vec![
                ("user.name", json!("root")),
                (
                    "process.command_line",
                    json!("   cd / && run-parts --report /etc/cron.hourly"),
                ),
                ("event.action", json!("cron-command")),
                ("event.dataset", json!("syslog.cron")),
            ],
        ),
        (
            "logind new session",
            "Mar  1 09:00:00 h systemd-logind[1]: New session 42 of user alice.",
            vec![
                ("user.name", json!("alice")),
                ("event.type", json!(["start"])),
                ("system.auth.logind.session_id", json!("42")),
            ],
        ),
    ]);
}

#[test]
fn network_daemons() {
    check(vec![
        (
            "ufw block",
            "Mar  1 09:00:00 fw kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.5 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=1 PROTO=TCP SPT=41234 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0",
            vec![
                ("source.ip", json!("203.0.113.5")),
                ("destination.ip", json!("10.0.0.2")),
                ("source.port", json!(41234)),
                ("destination.port", json!(22)),
                ("network.transport", json!("tcp")),
                ("event.action", json!("ufw-block")),
                ("event.category", json!(["network"])),
                ("event.type", json!(["connection", "denied"])),
                ("destination.mac", json!("00-11-22-33-44-55")),
                ("source.mac", json!("66-77-88-99-AA-BB")),
                ("observer.ingress.interface.name", json!("eth0")),
            ],
        ),
        (
            "nftables accept, other protocol",
            "Mar  1 09:00:00 fw kernel: nft-accept: IN=eth1 OUT=eth0 SRC=10.0.0.5 DST=8.8.8.8 LEN=84 PROTO=GRE",
            vec![
                ("event.action", json!("nft-accept")),
                ("event.outcome", json!("success")),
                ("network.transport", json!("gre")),
            ],
        ),
        (
            "loghub ftpd connection",
            "Jun 17 07:07:00 combo ftpd[29504]: connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005 ",
            vec![
                ("source.ip", json!("24.54.76.216")),
                ("source.domain", json!("24-54-76-216.bflony.adelphia.net")),
                ("event.type", json!(["connection", "start"])),
            ],
        ),
        (
            "vsftpd failed login",
            "Mar  1 09:00:00 h vsftpd[77]: [pid 78] [bob] FAIL LOGIN: Client \"::ffff:192.0.2.4\"",
            vec![
                ("user.name", json!("bob")),
                ("source.ip", json!("::ffff:192.0.2.4")),
                ("event.outcome", json!("failure")),
                ("event.action", json!("ftp-login")),
            ],
        ),
        (
            "dovecot login",
            "Mar  1 09:00:00 mail dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1, TLS, session=<abc>",
            vec![
                ("user.name", json!("alice")),
                ("source.ip", json!("192.0.2.10")),
                ("destination.ip", json!("192.0.2.1")),
                ("event.outcome", json!("success")),
            ],
        ),
        (
            "dovecot auth failed",
            "Mar  1 09:00:00 mail dovecot: auth-worker(9): pam(bob,192.0.2.11,<s>): unknown user",
            vec![
                ("user.name", json!("bob")),
                ("source.ip", json!("192.0.2.11")),
                ("event.outcome", json!("failure")),
            ],
        ),
        (
            "postfix reject",
            "Mar  1 09:00:00 mx postfix/smtpd[5]: NOQUEUE: reject: RCPT from unknown[198.51.100.23]: 554 5.7.1 <x@y>: Relay access denied; from=<spam@bad.example> to=<x@y> proto=ESMTP helo=<bad>",
            vec![
                ("source.ip", json!("198.51.100.23")),
                ("source.domain", Value::Null),
                ("event.outcome", json!("failure")),
                ("email.from.address", json!(["spam@bad.example"])),
                ("event.dataset", json!("syslog.postfix")),
            ],
        ),
        (
            "postfix sasl login",
            "Mar  1 09:00:00 mx postfix/smtpd[5]: 4F9D1: client=mail.example.org[192.0.2.50], sasl_method=PLAIN, sasl_username=carol",
            vec![
                ("user.name", json!("carol")),
                ("source.ip", json!("192.0.2.50")),
                ("source.domain", json!("mail.example.org")),
            ],
        ),
        (
            "klogind",
            "Jun 19 04:08:55 combo klogind[19272]: Authentication failed from 163.27.187.39 (163.27.187.39): Permission denied in replay cache code ",
            vec![
                ("source.ip", json!("163.27.187.39")),
                ("event.outcome", json!("failure")),
            ],
        ),
    ]);
}

#[test]
fn header_fields_and_severity() {
    let v = run(
        "<86>1 2023-10-17T18:20:49.298055+02:00 test-server sshd 97522 ID47 - Accepted publickey for moe from 10.128.176.58 port 43134 ssh2",
    );
    assert_eq!(v["@timestamp"], "2023-10-17T16:20:49.298055Z");
    assert_eq!(v["log"]["syslog"]["priority"], 86);
    assert_eq!(
        v["log"]["syslog"]["facility"],
        json!({"code": 10, "name": "authpriv"})
    );
    assert_eq!(
        v["log"]["syslog"]["severity"],
        json!({"code": 6, "name": "informational"})
    );
    assert_eq!(v["log"]["syslog"]["version"], 1);
    assert_eq!(v["log"]["syslog"]["msgid"], "ID47");
    assert_eq!(v["event"]["severity"], 1);
    assert_eq!(v["event"]["timezone"], Value::Null, "the stamp had a zone");
    assert_eq!(v["host"]["name"], "test-server");
    let v = run("<10>Mar  1 00:00:00 h kernel: panic");
    assert_eq!(
        (
            v["event"]["severity"].clone(),
            v["aurora"]["severity"].clone()
        ),
        (json!(4), json!("high"))
    );
    let v = run("Mar  1 00:00:00 h kernel: no pri");
    assert_eq!(v["event"]["severity"], 1);
    assert_eq!(v["event"]["timezone"], "UTC");
    let v = run(
        "<189>52: *Mar  1 00:03:09.739 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.0.0.1)",
    );
    assert_eq!(v["event"]["sequence"], 52);
    assert_eq!(v["event"]["dataset"], "syslog.cisco");
    assert_eq!(v["@timestamp"], "2025-03-01T00:03:09.739000Z");
    assert_eq!(v["event"]["timezone"], Value::Null);
}

#[test]
fn rfc5424_edge_cases() {
    // All NILVALUEs.
    let v = run("<13>1 - - - - - -");
    assert_eq!(v["log"]["syslog"]["priority"], 13);
    assert_eq!(v["host"], Value::Null);
    assert_eq!(v["message"], Value::Null);
    assert_eq!(
        v["@timestamp"],
        Value::Null,
        "no stamp: the normalizer falls back"
    );
    // Structured data with every escape, and a BOM before the message.
    let v = run(
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App \\\"x\\\" \\\\ \\]\"][examplePriority@32473 class=\"high\"] \u{feff}An application event log entry",
    );
    assert_eq!(
        v["log"]["syslog"]["structured_data"],
        json!({"exampleSDID@32473": {"iut": "3", "eventSource": "App \"x\" \\ ]"}, "examplePriority@32473": {"class": "high"}})
    );
    assert_eq!(v["message"], "An application event log entry");
    assert_eq!(v["process"]["name"], "evntslog");
    assert_eq!(v["process"]["pid"], Value::Null);
    // Broken structured data: kept as an event, the rest kept as message.
    let v = run("<165>1 2003-10-11T22:14:15.003Z host app - - [exampleSDID@32473 iut=\"3 broken");
    assert_eq!(v["message"], "[exampleSDID@32473 iut=\"3 broken");
    assert_eq!(v["log"]["syslog"]["structured_data"], Value::Null);
    let w = v["aurora"]["warnings"][0].as_str().unwrap();
    assert!(w.contains("SD-PARAM value not closed"), "{w}");
    // A non-numeric PROCID stays a string only.
    let v = run("<13>1 2003-10-11T22:14:15Z h app abc-1 - - m");
    assert_eq!(
        (
            v["log"]["syslog"]["procid"].clone(),
            v["process"]["pid"].clone()
        ),
        (json!("abc-1"), Value::Null)
    );
}

#[test]
fn rejects_say_why() {
    let s = Settings::default();
    for (line, want) in [
        (
            "<999>1 2003-10-11T22:14:15Z h a - - - m",
            "PRI 999 is out of range",
        ),
        ("<1000>x", "PRI has 4 digits"),
        ("<abc>x", "malformed syslog PRI"),
        ("hello world", "no <PRI> and no timestamp"),
        (
            "<13>Mar  1 00:00:00 h a: bin\u{0}ary",
            "control character 0x00 at byte 29",
        ),
        (
            "Mar  1 00:00:00 h \u{1}\u{2}\u{3}",
            "control character 0x01",
        ),
    ] {
        let e = run_with(line, &s).unwrap_err();
        assert!(e.0.contains(want), "{line:?}: {e}");
    }
}

#[test]
fn unreadable_stamp_is_still_an_event() {
    let v = run("<13>Feb 30 12:00:00 host app: m");
    assert_eq!(v["@timestamp"], Value::Null);
    assert!(
        v["aurora"]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    let v = run("<13>1 2003-13-45T22:14:15Z host app - - - m");
    assert_eq!(v["host"]["name"], "host");
    assert!(
        v["aurora"]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("could not be read")
    );
}

#[test]
fn zones_and_years() {
    let berlin = Settings {
        year: None,
        tz: Some(Settings::parse_tz("Europe/Berlin").unwrap()),
    };
    let v = run_with("Jul 15 12:00:00 h app: summer", &berlin).unwrap();
    assert_eq!(v["@timestamp"], "2025-07-15T10:00:00.000000Z");
    assert_eq!(v["event"]["timezone"], "Europe/Berlin");
    let v = run_with("Jan 15 12:00:00 h app: winter", &berlin).unwrap();
    assert_eq!(v["@timestamp"], "2025-01-15T11:00:00.000000Z");
    // Read on 2025-12-01: a Dec 31 line is last year's, Dec 1 is today's.
    let v = run_with("Dec 31 23:00:00 h app: m", &berlin).unwrap();
    assert_eq!(v["@timestamp"], "2024-12-31T22:00:00.000000Z");
    let v = run_with("Dec  1 12:00:00 h app: m", &Settings::default()).unwrap();
    assert_eq!(v["@timestamp"], "2025-12-01T12:00:00.000000Z");
    // An offset in the stamp wins over --tz.
    let v = run_with("2025-07-15T12:00:00+00:00 h app: m", &berlin).unwrap();
    assert_eq!(v["@timestamp"], "2025-07-15T12:00:00.000000Z");
    // A zone-less RFC 3339 stamp takes --tz.
    let v = run_with("2025-07-15T12:00:00 h app: m", &berlin).unwrap();
    assert_eq!(v["@timestamp"], "2025-07-15T10:00:00.000000Z");
    assert!(Settings::parse_tz("Nowhere/Special").is_err());
    assert_eq!(Settings::parse_year("2024"), Ok(2024));
    assert!(Settings::parse_year("24x").is_err());
}

#[test]
fn long_line_is_accepted() {
    let user = "a".repeat(64 * 1024);
    let line = format!("Mar  1 00:00:00 h sshd[1]: Invalid user {user} from 192.0.2.1");
    let v = run(&line);
    assert_eq!(v["user"]["name"].as_str().map(str::len), Some(64 * 1024));
    assert_eq!(v["source"]["ip"], "192.0.2.1");
}

#[test]
fn multibyte_text_at_every_cut_point_never_panics() {
    let mac = format!("{}a", "é".repeat(20));
    let lines = [
        format!("Mar  1 00:00:00 h kernel: [UFW é] IN=é OUT= MAC={mac} SRC=é DST=é PROTO=é SPT=é"),
        "<13>1 2003-10-11T22:14:15Z h a - - [é é=\"é\\é\"][x y=\"\\\"] m".to_string(),
        "Mar  1 00:00:00 h sshd[1]: Disconnected from user é é port é".to_string(),
        "Mar  1 00:00:00 h su: + é é:é".to_string(),
        "Mar  1 00:00:00 h sudo: é : é ; TTY=é ; COMMAND=é".to_string(),
        "Mar  1 00:00:00 h postfix/smtpd[1]: connect from é[é".to_string(),
        "Mar  1 00:00:00 h dovecot: auth: é(é,é): unknown user".to_string(),
        "Mar  1 00:00:00 h useradd[1]: new user: name=é, UID=é".to_string(),
        "Mar  1 00:00:00 é é[é]: é".to_string(),
    ];
    for line in &lines {
        // Every prefix ending on a character boundary: cut-short lines too.
        for (cut, _) in line.char_indices().chain([(line.len(), ' ')]) {
            let _ = run_with(&line[..cut], &Settings::default());
        }
    }
}
