//! Suricata EVE → ECS on real sensor output: every fixture line becomes one
//! event, named cases pin the fields each event type must carry, and bad input is
//! rejected with a reason. The agreement with Elastic's own expected output is in
//! `suricata_elastic.rs`.

mod suricata_support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use suricata_support::{TESTDATA, norm, normalizer};

/// A dotted path into an event (`@timestamp` and `source.ip` alike).
fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            fixture_files(&p, out);
        } else if !p.to_string_lossy().ends_with(".expected.json") {
            out.push(p);
        }
    }
}

fn fixture_line(file: &str, line_no: usize) -> String {
    let text = std::fs::read_to_string(format!("{TESTDATA}/suricata/{file}")).unwrap();
    text.lines()
        .nth(line_no - 1)
        .unwrap_or_else(|| panic!("{file} has no line {line_no}"))
        .to_string()
}

#[test]
fn every_fixture_line_is_exactly_one_event() {
    let mut files = Vec::new();
    fixture_files(Path::new(&format!("{TESTDATA}/suricata")), &mut files);
    assert!(files.len() >= 5, "fixtures found: {files:?}");
    let mut n = normalizer();
    let mut total = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut in_file = 0;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let where_ = format!("{}:{}", f.display(), i + 1);
            let ev = norm(&mut n, line).unwrap_or_else(|e| panic!("{where_}: rejected: {e}"));
            assert_eq!(
                get(&ev, "event.module"),
                Some(&json!("suricata")),
                "{where_}"
            );
            assert_eq!(get(&ev, "event.original"), Some(&json!(line)), "{where_}");
            assert!(get(&ev, "event.kind").is_some(), "{where_}");
            assert!(
                get(&ev, "aurora.warnings").is_none(),
                "{where_}: {:?}",
                get(&ev, "aurora.warnings")
            );
            assert!(
                get(&ev, "event.created").is_none(),
                "{where_}: has its own time"
            );
            in_file += 1;
        }
        assert!(in_file > 0, "{} is empty", f.display());
        total += in_file;
    }
    assert!(total >= 100, "only {total} lines");
}

/// Where a case's line comes from.
enum Src {
    /// `testdata/suricata/<file>`, 1-based line.
    Fixture(&'static str, usize),
    /// A real line quoted here (origin in the case's comment).
    Line(&'static str),
}

/// (name, line, expected (path, value); `null` means the field is absent).
type Case = (&'static str, Src, Vec<(&'static str, Value)>);

fn cases() -> Vec<Case> {
    use Src::*;
    vec![
        (
            "alert with TLS, -0400 stamp, flow counters",
            Fixture("elastic-integrations/test-eve-small.log", 2),
            vec![
                ("@timestamp", json!("2018-07-05T19:07:20.910626Z")),
                ("event.kind", json!("alert")),
                ("event.category", json!(["network", "intrusion_detection"])),
                ("event.type", json!(["allowed"])),
                ("event.action", json!("allowed")),
                ("event.severity", json!(4)),
                ("aurora.severity", json!("high")),
                ("suricata.eve.alert.severity", json!(1)),
                ("rule.id", json!("2024833")),
                (
                    "rule.category",
                    json!("Potential Corporate Privacy Violation"),
                ),
                ("message", json!("Potential Corporate Privacy Violation")),
                ("network.protocol", json!("tls")),
                (
                    "network.community_id",
                    json!("1:BWtsS+4pk477zAwfzve3Nm+x1Ms="),
                ),
                ("source.bytes", json!(793)),
                ("destination.packets", json!(3)),
                ("network.bytes", json!(1136)),
                ("event.start", json!("2018-07-05T19:07:19.659593Z")),
                ("tls.client.server_name", json!("l2.io")),
                ("destination.domain", json!("l2.io")),
                ("related.hosts", json!(["l2.io"])),
                ("suricata.eve.flow_id", json!("904992230150281")),
                ("suricata.eve.alert.action", Value::Null),
                ("suricata.eve.src_ip", Value::Null),
                ("threat.framework", Value::Null),
            ],
        ),
        (
            "alert with ether and rule dates (Suricata 6)",
            Fixture("elastic-integrations/test-eve-6-0.log", 1),
            vec![
                ("@timestamp", json!("2021-01-27T00:28:11.488362Z")),
                ("source.mac", json!("00-03-2D-3F-E5-63")),
                ("destination.mac", json!("00-1B-17-00-01-18")),
                ("event.severity", json!(3)),
                ("url.domain", json!("testmynids.org")),
                ("http.response.status_code", json!(200)),
                ("event.outcome", Value::Null),
                (
                    "suricata.eve.alert.created_at",
                    json!("2010-09-23T00:00:00.000000Z"),
                ),
                ("suricata.eve.alert.metadata", Value::Null),
                ("suricata.eve.ether", Value::Null),
            ],
        ),
        (
            "flow closed: start, end, duration, tcp flags kept",
            Fixture("elastic-integrations/test-eve-6-0.log", 2),
            vec![
                ("event.type", json!(["connection", "end"])),
                ("event.duration", json!(240_000_358_000u64)),
                ("network.packets", json!(130)),
                ("suricata.eve.flow.state", json!("closed")),
                ("suricata.eve.flow.start", Value::Null),
                ("suricata.eve.tcp.tcp_flags", json!("1f")),
                ("event.severity", json!(1)),
            ],
        ),
        (
            "flow over IPv6 with app_proto failed",
            Fixture("elastic-integrations/test-eve-small.log", 8),
            vec![
                ("network.protocol", Value::Null),
                ("suricata.eve.app_proto", json!("failed")),
                (
                    "network.community_id",
                    json!("1:fNUIKjMfx/xaM1gOO3eaVAeWLZA="),
                ),
                ("event.duration", json!(0)),
            ],
        ),
        (
            "dns v1 answer",
            Fixture("elastic-integrations/test-eve-small.log", 5),
            vec![
                ("dns.type", json!("answer")),
                ("dns.id", json!("12308")),
                ("dns.response_code", json!("NOERROR")),
                ("dns.resolved_ip", json!(["175.16.199.1"])),
                ("dns.question.name", Value::Null),
                (
                    "related.ip",
                    json!(["192.168.86.1", "192.168.86.85", "175.16.199.1"]),
                ),
            ],
        ),
        (
            // Quoted in public repositories as an AWS EC2 sensor's output.
            "dns v2 answer with answers and grouped",
            Line(
                r#"{"timestamp":"2020-03-05T02:49:15.653247+0000","flow_id":1338637835562931,"in_iface":"eth0","event_type":"dns","src_ip":"172.31.8.201","src_port":47930,"dest_ip":"172.31.0.2","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"answer","id":60065,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"ip-172-31-8-201.ap-southeast-2.compute.internal","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"ip-172-31-8-201.ap-southeast-2.compute.internal","rrtype":"A","ttl":60,"rdata":"172.31.8.201"}],"grouped":{"A":["172.31.8.201"]}}}"#,
            ),
            vec![
                (
                    "dns.question.name",
                    json!("ip-172-31-8-201.ap-southeast-2.compute.internal"),
                ),
                ("dns.question.type", json!("A")),
                ("dns.header_flags", json!(["RD", "RA"])),
                (
                    "dns.answers",
                    json!([{"name": "ip-172-31-8-201.ap-southeast-2.compute.internal", "type": "A", "ttl": 60, "data": "172.31.8.201"}]),
                ),
                ("dns.resolved_ip", json!(["172.31.8.201"])),
                ("suricata.eve.dns.answers", Value::Null),
                ("suricata.eve.dns.grouped.A", json!(["172.31.8.201"])),
            ],
        ),
        (
            // Quoted in public repositories: NXDOMAIN with an SOA authority.
            "dns v2 NXDOMAIN, authoritative",
            Line(
                r#"{"timestamp":"2022-02-23T19:04:05.606882+0000","flow_id":1452066252079368,"pcap_cnt":85538,"event_type":"dns","src_ip":"172.16.0.170","src_port":58529,"dest_ip":"172.16.0.52","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"answer","id":46693,"flags":"8583","qr":true,"aa":true,"rd":true,"ra":true,"rrname":"wpad.sunnystation.com","rrtype":"A","rcode":"NXDOMAIN","authorities":[{"rrname":"sunnystation.com","rrtype":"SOA","ttl":3600,"soa":{"mname":"sunnystation-dc.sunnystation.com","rname":"hostmaster.sunnystation.com","serial":32,"refresh":900,"retry":600,"expire":86400,"minimum":3600}}]},"host":"raspberrypi"}"#,
            ),
            vec![
                ("dns.response_code", json!("NXDOMAIN")),
                ("dns.header_flags", json!(["AA", "RD", "RA"])),
                ("dns.question.name", json!("wpad.sunnystation.com")),
                ("dns.resolved_ip", Value::Null),
                ("observer.hostname", json!("raspberrypi")),
                (
                    "suricata.eve.dns.authorities",
                    json!([{"rrname":"sunnystation.com","rrtype":"SOA","ttl":3600,"soa":{"mname":"sunnystation-dc.sunnystation.com","rname":"hostmaster.sunnystation.com","serial":32,"refresh":900,"retry":600,"expire":86400,"minimum":3600}}]),
                ),
            ],
        ),
        (
            "http, status < 400",
            Fixture("elastic-integrations/test-eve-small.log", 3),
            vec![
                ("event.outcome", json!("success")),
                ("http.request.method", json!("GET")),
                ("http.version", json!("1.1")),
                ("url.path", json!("/dd.xml")),
                (
                    "user_agent.original",
                    json!(
                        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36"
                    ),
                ),
                ("suricata.eve.http.http_content_type", json!("text/xml")),
                ("suricata.eve.http.url", Value::Null),
            ],
        ),
        (
            "http proxy request with an absolute URL",
            Fixture("elastic-integrations/test-eve-small.log", 9),
            vec![
                ("url.scheme", json!("http")),
                (
                    "url.path",
                    json!("/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab"),
                ),
                ("url.query", json!("111111111111")),
                ("event.outcome", Value::Null),
                ("related.ip", json!(["192.168.50.1"])),
            ],
        ),
        (
            "tls with certificate",
            Fixture("elastic-integrations/test-eve-small.log", 7),
            vec![
                ("tls.version", json!("1.2")),
                ("tls.version_protocol", json!("tls")),
                ("tls.client.server_name", json!("p33-btmmdns.icloud.com")),
                (
                    "tls.server.hash.sha1",
                    json!("6AFFACA65F8A05E7A98C7629B908C769ADDC7247"),
                ),
                ("tls.server.x509.serial_number", json!("5C9CE1097887F807")),
                ("tls.server.not_after", json!("2019-03-29T17:54:31.000000Z")),
                (
                    "tls.server.x509.subject.common_name",
                    json!(["*.icloud.com"]),
                ),
                ("tls.server.x509.issuer.organization", json!(["Apple Inc."])),
                (
                    "related.hash",
                    json!(["6AFFACA65F8A05E7A98C7629B908C769ADDC7247"]),
                ),
            ],
        ),
        (
            "tls handshake only: ja3, version UNDETERMINED",
            Fixture("elastic-integrations/test-eve-small.log", 12),
            vec![
                ("tls.client.ja3", json!("44d502d471cfdb99c59bdfb0f220e5a8")),
                ("tls.version", Value::Null),
                ("tls.server.ja3s", Value::Null),
            ],
        ),
        (
            "fileinfo with hashes",
            Fixture("elastic-integrations/test-eve-small.log", 4),
            vec![
                ("file.path", json!("/ssdp/device-desc.xml")),
                ("file.name", json!("device-desc.xml")),
                ("file.extension", json!("xml")),
                ("file.size", json!(1071)),
                ("file.hash.md5", json!("427b7337ff37eeb24d74f47d8e04cf21")),
                ("suricata.eve.fileinfo.state", json!("CLOSED")),
                ("suricata.eve.fileinfo.filename", Value::Null),
            ],
        ),
        (
            "stats is a metric with no endpoints",
            Fixture("elastic-integrations/test-eve-small.log", 6),
            vec![
                ("event.kind", json!("metric")),
                ("event.type", Value::Null),
                ("source.ip", Value::Null),
                ("network.community_id", Value::Null),
                ("suricata.eve.stats.uptime", json!(5400)),
            ],
        ),
        (
            "ssh software kept under suricata.eve",
            Fixture("elastic-integrations/test-eve-small.log", 1),
            vec![
                ("network.protocol", json!("ssh")),
                ("event.type", json!(["protocol"])),
                ("observer.ingress.interface.name", json!("en0")),
                (
                    "suricata.eve.ssh.client.software_version",
                    json!("OpenSSH_7.6"),
                ),
            ],
        ),
        (
            "anomaly before the epoch, -0800",
            Fixture("suricata-userguide/eve-json-format.examples.json", 2),
            vec![
                ("@timestamp", json!("1970-01-01T00:04:21.000000Z")),
                ("event.kind", json!("event")),
                ("network.transport", json!("udp")),
                (
                    "suricata.eve.anomaly.event",
                    json!("decoder.udp.pkt_too_small"),
                ),
            ],
        ),
        (
            "mqtt over IPv6 loopback",
            Fixture("suricata-userguide/eve-json-format.examples.json", 5),
            vec![
                ("network.protocol", json!("mqtt")),
                (
                    "related.ip",
                    json!(["0000:0000:0000:0000:0000:0000:0000:0001"]),
                ),
                (
                    "suricata.eve.mqtt.publish.topic",
                    json!("house/bulbs/bulb1"),
                ),
            ],
        ),
        (
            "pgsql: protocol from the event type",
            Fixture("suricata-userguide/eve-json-format.examples.json", 6),
            vec![
                ("network.protocol", json!("pgsql")),
                ("event.type", json!(["protocol"])),
                (
                    "suricata.eve.pgsql.request.simple_query",
                    json!("select * from rule limit 5000;"),
                ),
            ],
        ),
        (
            "alert with flowbits metadata at the top level",
            Fixture("suricata-userguide/eve-json-format.examples.json", 1),
            vec![
                ("rule.id", json!("2018358")),
                ("event.severity", json!(3)),
                (
                    "suricata.eve.metadata.flowbits",
                    json!(["http.dottedquadhost"]),
                ),
            ],
        ),
        (
            "fileinfo without hashes (suricata-verify)",
            Fixture("suricata-verify/output-eve-fileinfo.eve.json", 1),
            vec![
                ("file.name", json!("eicar.com")),
                ("file.size", json!(68)),
                ("destination.domain", json!("www.eicar.org")),
                ("suricata.eve.pcap_cnt", json!(9)),
            ],
        ),
        (
            "Nikto alert from the AIT testbed: redirect kept",
            Fixture("ait-aecid/insect.eve-from-wazuh-full_log.json", 1),
            vec![
                (
                    "rule.name",
                    json!("ET WEB_SERVER ColdFusion administrator access"),
                ),
                ("http.response.status_code", json!(302)),
                ("event.outcome", Value::Null),
                (
                    "url.original",
                    json!("/./cfide/./Administrator/./startstop.html"),
                ),
                ("suricata.eve.tx_id", json!(57)),
                (
                    "suricata.eve.http.redirect",
                    json!(
                        "/login.php?url=http%3A%2F%2Fmail.insect.com%2F.%2Fcfide%2F.%2FAdministrator%2F.%2Fstartstop.html%3F_t%3D1583330200%26_h%3DvIVt1qvuP2KiL0CaM8pjrP4RS7w&horde_logout_token=RVKAl7djyuZbt6J9oabORcs"
                    ),
                ),
            ],
        ),
        (
            // AWS Network Firewall's documented netflow sample (the `event`
            // object of its flow log).
            "netflow: one direction",
            Line(
                r#"{"timestamp":"2020-10-01T21:26:05.007515+0000","flow_id":1770453319291727,"event_type":"netflow","src_ip":"45.129.33.153","src_port":47047,"dest_ip":"172.31.16.139","dest_port":16463,"proto":"TCP","netflow":{"pkts":1,"bytes":60,"start":"2020-10-01T21:25:04.070479+0000","end":"2020-10-01T21:25:04.070479+0000","age":0,"min_ttl":241,"max_ttl":241},"tcp":{"tcp_flags":"02","syn":true}}"#,
            ),
            vec![
                ("event.type", json!(["connection"])),
                ("source.bytes", json!(60)),
                ("source.packets", json!(1)),
                ("destination.bytes", Value::Null),
                ("network.bytes", json!(60)),
                ("event.start", json!("2020-10-01T21:25:04.070479Z")),
                ("suricata.eve.netflow.max_ttl", json!(241)),
                ("suricata.eve.netflow.bytes", Value::Null),
            ],
        ),
        (
            // A real alert line with the metadata ET ships for sid 2006549
            // (REFERENCE.md §9), plus a sub-technique id.
            "alert with ET mitre metadata",
            Line(
                r#"{"timestamp":"2021-01-27T01:28:11.488362+0100","flow_id":1805461738637437,"event_type":"alert","src_ip":"175.16.199.1","src_port":80,"dest_ip":"10.31.64.240","dest_port":47592,"proto":"TCP","alert":{"action":"blocked","gid":1,"signature_id":2006549,"rev":7,"signature":"ET SCAN LibSSH Based Frequent SSH Connections Likely BruteForce Attack","category":"Attempted Administrator Privilege Gain","severity":1,"metadata":{"attack_target":["SSH_Server"],"created_at":["2010_07_30"],"mitre_tactic_id":["TA0001","TA0002"],"mitre_tactic_name":["Initial_Access","Execution"],"mitre_technique_id":["T1190","T1059.001"],"mitre_technique_name":["Exploit_Public_Facing_Application","PowerShell"],"signature_severity":["Critical"],"confidence":["High"]}}}"#,
            ),
            vec![
                ("event.type", json!(["denied"])),
                ("event.action", json!("blocked")),
                ("event.severity", json!(5)),
                ("aurora.severity", json!("critical")),
                ("threat.framework", json!("MITRE ATT&CK")),
                ("threat.tactic.id", json!(["TA0001", "TA0002"])),
                ("threat.tactic.name", json!(["Initial Access", "Execution"])),
                ("threat.technique.id", json!(["T1190", "T1059"])),
                (
                    "threat.technique.name",
                    json!([
                        "Exploit Public-Facing Application",
                        "Command and Scripting Interpreter"
                    ]),
                ),
                ("threat.technique.subtechnique.id", json!(["T1059.001"])),
                ("threat.technique.subtechnique.name", json!(["PowerShell"])),
                ("suricata.eve.alert.attack_target", json!(["SSH_Server"])),
                (
                    "suricata.eve.alert.created_at",
                    json!("2010-07-30T00:00:00.000000Z"),
                ),
                (
                    "suricata.eve.alert.metadata.signature_severity",
                    json!(["Critical"]),
                ),
                ("suricata.eve.alert.metadata.confidence", json!(["High"])),
                ("suricata.eve.alert.metadata.mitre_tactic_id", Value::Null),
            ],
        ),
        (
            // The ICMP echo vector of the Community ID specification, as an
            // EVE flow (Suricata writes icmp_type/icmp_code at the top level).
            "icmp flow: community id from type and code",
            Line(
                r#"{"timestamp":"2023-09-18T06:13:41.532140+0000","event_type":"flow","src_ip":"192.168.0.89","dest_ip":"192.168.0.1","proto":"ICMP","icmp_type":8,"icmp_code":0,"flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":98,"bytes_toclient":98,"start":"2023-09-18T06:13:41.532140+0000","end":"2023-09-18T06:13:41.542140+0000","state":"established"}}"#,
            ),
            vec![
                (
                    "network.community_id",
                    json!("1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
                ),
                ("network.transport", json!("icmp")),
                ("event.type", json!(["connection"])),
                ("event.duration", json!(10_000_000)),
                ("suricata.eve.icmp_type", json!(8)),
            ],
        ),
    ]
}

#[test]
fn named_real_world_cases() {
    let mut n = normalizer();
    let mut failures = Vec::new();
    for (name, src, checks) in cases() {
        let line = match src {
            Src::Fixture(f, l) => fixture_line(f, l),
            Src::Line(l) => l.to_string(),
        };
        let ev = match norm(&mut n, &line) {
            Ok(ev) => ev,
            Err(e) => {
                failures.push(format!("{name}: rejected: {e}"));
                continue;
            }
        };
        for (path, want) in checks {
            let got = get(&ev, path).cloned().unwrap_or(Value::Null);
            if got != want {
                failures.push(format!("{name}: {path} = {got}, want {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What must become of a line of a `testdata/bad/suricata-*.json` fixture.
enum Want {
    /// Rejected, the reason containing this text.
    Reject(&'static str),
    /// Kept, with a warning containing this text (or none at all), and
    /// these fields.
    Event(
        Option<&'static str>,
        &'static [(&'static str, &'static str)],
    ),
}

/// Every value in the event, recursively, must not be `null`.
fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

#[test]
fn bad_input_is_rejected_with_a_reason_or_kept_with_a_warning() {
    use Want::*;
    // Field checks compare the JSON text of the value; "-" means absent.
    let table: &[(&str, &[Want])] = &[
        (
            "suricata-src-port-word.json",
            &[Reject(
                r#"src_port is the string "eighty", expected a port number"#,
            )],
        ),
        (
            "suricata-port-out-of-range.json",
            &[
                Reject("dest_port is the number 70000, expected a port number (0-65535)"),
                Reject("dest_port is the number -1, expected a port number"),
            ],
        ),
        (
            "suricata-event-type-number.json",
            &[Reject("event_type is the number 42, expected a string")],
        ),
        (
            "suricata-src-ip-number.json",
            &[Reject("src_ip is the number 3232257621, expected a string")],
        ),
        (
            "suricata-alert-not-object.json",
            &[Reject(
                r#"alert is the string "ET POLICY Observed IP Lookup Domain", expected an object"#,
            )],
        ),
        ("suricata-truncated.json", &[Reject("invalid JSON")]),
        (
            "suricata-timestamp-number.json",
            &[Event(
                Some("timestamp is the number 12345, not an ISO 8601 time"),
                &[
                    ("suricata.eve.timestamp", "12345"),
                    ("event.created", r#""2023-11-14T22:13:20.000000Z""#),
                ],
            )],
        ),
        (
            "suricata-timestamp-garbage.json",
            &[Event(
                Some("not an ISO 8601 time"),
                &[(
                    "suricata.eve.timestamp",
                    r#""2018-02-30T25:61:00.000000-0400""#,
                )],
            )],
        ),
        (
            "suricata-src-ip-not-ip.json",
            &[Event(
                Some(r#"src_ip "not-an-ip" is not an IP address"#),
                &[
                    ("source.address", r#""not-an-ip""#),
                    ("source.ip", "-"),
                    ("network.community_id", "-"),
                    ("related.ip", r#"["192.168.86.28"]"#),
                ],
            )],
        ),
        (
            "suricata-metadata-not-arrays.json",
            &[
                // A lone string is read as a list of one: no harm done.
                Event(
                    None,
                    &[
                        ("threat.tactic.name", r#"["Initial Access"]"#),
                        ("threat.technique.id", r#"["T1190"]"#),
                        ("event.severity", "5"),
                    ],
                ),
                Event(
                    Some("alert.metadata is the string"),
                    &[
                        ("suricata.eve.alert.metadata", r#""mitre_tactic_id TA0001""#),
                        ("threat.framework", "-"),
                        ("rule.id", r#""2024833""#),
                    ],
                ),
                Event(
                    Some("alert.metadata.cve is not an array of strings"),
                    &[
                        ("suricata.eve.alert.cve", "2021"),
                        ("threat.tactic.id", r#"["TA0001"]"#),
                    ],
                ),
            ],
        ),
        (
            "suricata-nulls.json",
            &[
                Event(
                    None,
                    &[
                        ("source.ip", "-"),
                        ("destination.ip", r#""192.168.86.28""#),
                        ("http.request.method", r#""GET""#),
                        ("network.vlan.id", "-"),
                        ("suricata.eve.metadata.flowbits", r#"["a"]"#),
                        ("suricata.eve.flow_id", "-"),
                    ],
                ),
                Event(
                    Some("no event_type"),
                    &[
                        // No event type and no app_proto: nothing says DNS,
                        // so the object stays as Suricata wrote it, minus nulls.
                        ("dns.resolved_ip", "-"),
                        (
                            "suricata.eve.dns.answers",
                            r#"[{"rrtype":"A"},{"rdata":"10.9.9.9","rrname":"x.example","rrtype":"A"}]"#,
                        ),
                        ("event.kind", r#""event""#),
                    ],
                ),
            ],
        ),
        (
            "suricata-wrong-nested-types.json",
            &[Event(
                None,
                &[
                    ("network.transport", r#""tcp""#),
                    ("source.port", "12509"),
                    ("destination.port", "443"),
                    ("tls.client.ja3", "-"),
                    ("tls.client.server_name", "-"),
                    ("suricata.eve.flow_id", r#""289459143040794""#),
                    ("suricata.eve.http", r#""GET /""#),
                    ("suricata.eve.dns", "5"),
                    ("suricata.eve.tls.sni", "42"),
                ],
            )],
        ),
        (
            "suricata-deep-nesting.json",
            &[Event(None, &[("url.path", r#""/dd.xml""#)])],
        ),
    ];
    let mut n = normalizer();
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (file, wants) in table {
        seen.insert(file.to_string());
        let text = std::fs::read_to_string(format!("{TESTDATA}/bad/{file}")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), wants.len(), "{file}: lines vs expectations");
        for (i, (line, want)) in lines.iter().zip(wants.iter()).enumerate() {
            let at = format!("{file}:{}", i + 1);
            match (norm(&mut n, line), want) {
                (Err(e), Reject(reason)) => {
                    if !e.contains(reason) {
                        failures.push(format!("{at}: reason {e:?} lacks {reason:?}"));
                    }
                }
                (Ok(ev), Event(warning, checks)) => {
                    if has_null(&ev) {
                        failures.push(format!("{at}: a null reached the output: {ev}"));
                    }
                    let warnings = get(&ev, "aurora.warnings").cloned().unwrap_or(json!([]));
                    match warning {
                        Some(w) if !warnings.to_string().contains(&w.replace('"', "\\\"")) => {
                            failures.push(format!("{at}: warnings {warnings} lack {w:?}"))
                        }
                        None if warnings != json!([]) => {
                            failures.push(format!("{at}: unexpected warnings {warnings}"))
                        }
                        _ => {}
                    }
                    for (path, want) in *checks {
                        let got = get(&ev, path).map_or("-".to_string(), Value::to_string);
                        if got != *want {
                            failures.push(format!("{at}: {path} = {got}, want {want}"));
                        }
                    }
                }
                (Ok(ev), Reject(r)) => {
                    failures.push(format!("{at}: kept, want reject {r:?}: {ev}"))
                }
                (Err(e), Event(..)) => failures.push(format!("{at}: rejected: {e}")),
            }
        }
    }
    // Every Suricata bad fixture is covered by the table.
    for entry in std::fs::read_dir(format!("{TESTDATA}/bad")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.starts_with("suricata-") && !seen.contains(&name) {
            failures.push(format!("{name}: not in the table"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
