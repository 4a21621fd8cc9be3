//! Zeek JSON and TSV through the normalizer: every fixture line, the two
//! renderings of the same events, agreement with Elastic's pipeline, named
//! real-world cases, TSV edge cases and bad input.

use aurora_core::{Format, Normalizer, Options, Outcome};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

/// What became of each line of one input.
struct Run {
    events: Vec<Value>,
    /// (1-based line, reason)
    rejects: Vec<(usize, String)>,
    skipped: usize,
}

fn opts(format: Format) -> Arc<Options> {
    Arc::new(Options {
        format,
        now: 1_700_000_000_000_000,
        ..Options::default()
    })
}

fn run_text(name: &str, text: &str, format: Format) -> Run {
    let mut n = Normalizer::new(opts(format));
    n.start_input(name, None);
    let mut run = Run {
        events: Vec::new(),
        rejects: Vec::new(),
        skipped: 0,
    };
    for (i, line) in text.lines().enumerate() {
        let mut out = Vec::new();
        match n.line(line.as_bytes(), &mut out) {
            Ok(Outcome::Event) => {
                assert_eq!(out.last(), Some(&b'\n'));
                let v: Value = serde_json::from_slice(&out)
                    .unwrap_or_else(|e| panic!("{name}:{}: invalid JSON out: {e}", i + 1));
                run.events.push(v);
            }
            Ok(Outcome::Skipped) => {
                assert!(out.is_empty());
                run.skipped += 1;
            }
            Err(e) => run.rejects.push((i + 1, e.0)),
        }
    }
    run
}

fn run_file(path: &Path) -> Run {
    let text = std::fs::read_to_string(path).unwrap();
    run_text(path.to_str().unwrap(), &text, Format::Auto)
}

fn files_under(rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![testdata(rel)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with("expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Dotted path lookup in a nested event.
fn get<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for seg in path.split('.') {
        cur = cur.get(seg)?;
    }
    Some(cur)
}

#[test]
fn every_fixture_line_is_one_event() {
    let mut total = 0;
    for rel in ["zeek-tsv", "zeek-json"] {
        for path in files_under(rel) {
            let text = std::fs::read_to_string(&path).unwrap();
            let data_lines = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count();
            let run = run_file(&path);
            assert!(
                run.rejects.is_empty(),
                "{}: {:?}",
                path.display(),
                &run.rejects[..run.rejects.len().min(3)]
            );
            assert_eq!(run.events.len(), data_lines, "{}", path.display());
            for ev in &run.events {
                assert_eq!(ev["event"]["module"], "zeek", "{}", path.display());
                assert!(get(ev, "event.dataset").is_some());
                assert!(get(ev, "@timestamp").is_some());
            }
            total += run.events.len();
        }
    }
    eprintln!("{total} Zeek events from the fixtures, no rejects");
    assert!(total > 6000);
}

/// The 30 log types brimdata published in both renderings.
const BRIM_TYPES: &[&str] = &[
    "analyzer",
    "capture_loss",
    "dce_rpc",
    "dns",
    "dpd",
    "ftp",
    "kerberos",
    "known_certs",
    "known_hosts",
    "known_services",
    "ldap_search",
    "modbus",
    "notice",
    "ntlm",
    "ntp",
    "ocsp",
    "pe",
    "rdp",
    "rfb",
    "smb_files",
    "smb_mapping",
    "smtp",
    "snmp",
    "software",
    "ssh",
    "ssl",
    "stats",
    "syslog",
    "weird",
    "x509",
];

/// Removes what legitimately differs between the renderings of one event:
/// - `event.original` is the raw line, a TSV row or a JSON object;
/// - `aurora.id` hashes that raw line;
/// - `event.duration` is computed from the interval as the sensor wrote it
///   (to agree with Elastic to the nanosecond on JSON), and TSV writes
///   intervals to the microsecond only: it is compared to within 1 µs.
fn comparable(mut ev: Value) -> (Value, Option<i64>) {
    let e = ev.as_object_mut().unwrap();
    e.get_mut("event")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("original");
    let dur = e
        .get_mut("event")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("duration")
        .and_then(|d| d.as_i64());
    e.get_mut("aurora")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("id");
    (ev, dur)
}

#[test]
fn json_and_tsv_renderings_give_the_same_events() {
    let mut compared = 0;
    for t in BRIM_TYPES {
        let json = run_file(&testdata(&format!(
            "zeek-json/brimdata-zed-sample-data/{t}.json"
        )));
        let tsv = run_file(&testdata(&format!(
            "zeek-tsv/brimdata-zed-sample-data/{t}.log"
        )));
        assert!(json.rejects.is_empty() && tsv.rejects.is_empty(), "{t}");
        assert_eq!(json.events.len(), tsv.events.len(), "{t}");
        assert!(!json.events.is_empty(), "{t}");
        for (i, (j, s)) in json.events.into_iter().zip(tsv.events).enumerate() {
            let (j, jd) = comparable(j);
            let (s, sd) = comparable(s);
            assert_eq!(j, s, "{t} event {}: JSON\n{j}\nTSV\n{s}", i + 1);
            match (jd, sd) {
                (Some(a), Some(b)) => assert!((a - b).abs() <= 1000, "{t} {}: {a} vs {b}", i + 1),
                (a, b) => assert_eq!(a, b, "{t} event {}", i + 1),
            }
            compared += 1;
        }
    }
    eprintln!(
        "{compared} events identical in both renderings, {} types",
        BRIM_TYPES.len()
    );
}

/// The ECS fields Elastic's zeek conn pipeline and aurora both set.
const ELASTIC_SHARED: &[&str] = &[
    "@timestamp",
    "event.kind",
    "event.category",
    "event.type",
    "event.outcome",
    "event.duration",
    "source.ip",
    "source.port",
    "source.bytes",
    "source.packets",
    "destination.ip",
    "destination.port",
    "destination.bytes",
    "destination.packets",
    "network.transport",
    "network.protocol",
    "network.community_id",
    "network.direction",
    "network.bytes",
    "network.packets",
    "related.ip",
];

/// Puts a value in the form both sides can be compared in: Elastic keeps
/// milliseconds in @timestamp and writes one-element lists as scalars.
fn canon(field: &str, v: &Value) -> Value {
    match (field, v) {
        ("@timestamp", Value::String(s)) => {
            let s = s.trim_end_matches('Z');
            let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
            let ms: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
            Value::String(format!("{secs}.{ms}Z"))
        }
        (_, Value::Array(a)) if a.len() == 1 => a[0].clone(),
        _ => v.clone(),
    }
}

#[test]
fn agrees_with_elastic_on_conn() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata(
            "zeek-json/elastic-integrations/test-conn.2021.expected.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let expected = expected["expected"].as_array().unwrap();
    let ours = run_file(&testdata(
        "zeek-json/elastic-integrations/test-conn.2021.log",
    ));
    assert!(ours.rejects.is_empty(), "{:?}", ours.rejects);
    assert_eq!(ours.events.len(), expected.len());
    let (mut same, mut compared) = (0, 0);
    eprintln!(
        "{:<22} {:>5} {:>5} {:>9}",
        "field", "same", "diff", "aurora+"
    );
    for field in ELASTIC_SHARED {
        let (mut fs, mut fd, mut only_ours) = (0, 0, 0);
        for (i, (a, e)) in ours.events.iter().zip(expected).enumerate() {
            match (get(a, field), get(e, field)) {
                (Some(a), Some(e)) if canon(field, a) == canon(field, e) => fs += 1,
                (a, Some(e)) => {
                    eprintln!("  event {}: {field}: aurora {a:?}, Elastic {e}", i + 1);
                    fd += 1;
                }
                (Some(_), None) => only_ours += 1,
                (None, None) => {}
            }
        }
        eprintln!("{field:<22} {fs:>5} {fd:>5} {only_ours:>9}");
        same += fs;
        compared += fs + fd;
    }
    let pct = 100.0 * same as f64 / compared as f64;
    eprintln!("agreement with Elastic on conn: {same}/{compared} = {pct:.1}%");
    assert!(pct >= 95.0, "{pct:.1}%");
}

/// The event with `event.id`/`zeek.session_id` = `id`, or the `id`-th
/// (1-based) when `id` is a number.
fn pick<'r>(run: &'r Run, id: &str) -> &'r Value {
    if let Ok(n) = id.parse::<usize>() {
        return &run.events[n - 1];
    }
    run.events
        .iter()
        .find(|e| {
            get(e, "event.id").and_then(Value::as_str) == Some(id)
                || get(e, "zeek.session_id").and_then(Value::as_str) == Some(id)
        })
        .unwrap_or_else(|| panic!("no event {id}"))
}

/// (what, file, event id or 1-based index, expected fields)
type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, Value)]);

#[test]
fn named_real_world_cases() {
    use serde_json::json;
    let cases: &[Case] = &[
        (
            "conn TSV: a refused connection is denied and failed",
            "zeek-tsv/activecm-rita/closed_conn.log",
            "C8f1hD4fyeHXQ9jp79",
            &[
                ("event.type", json!(["connection", "start", "denied"])),
                ("event.outcome", json!("failure")),
                ("network.direction", json!("outbound")),
                ("network.transport", json!("tcp")),
                ("destination.port", json!(443)),
                ("source.bytes", json!(52)),
                ("zeek.connection.state", json!("REJ")),
                (
                    "zeek.connection.state_message",
                    json!("Connection attempt rejected."),
                ),
                ("@timestamp", json!("2018-01-30T18:14:12.713711Z")),
            ],
        ),
        (
            "conn JSON: ICMP has type and code, not ports",
            "zeek-json/elastic-integrations/test-conn.2021.log",
            "Cc6NJ3GRlfjE44I3h",
            &[
                ("network.transport", json!("icmp")),
                ("zeek.connection.icmp.type", json!(3)),
                ("zeek.connection.icmp.code", json!(3)),
                (
                    "network.community_id",
                    json!("1:gzTID87+KHoT4RFDSqb5aInTPeg="),
                ),
            ],
        ),
        (
            "dns TSV: dnscat2 TXT query",
            "zeek-tsv/activecm-rita/open_dns.log",
            "CVvreZ2AGtqjnP3nnl",
            &[
                (
                    "dns.question.name",
                    json!("6dde0175375169c68f.dnsc.r-1x.com"),
                ),
                ("dns.question.type", json!("TXT")),
                ("dns.question.class", json!("IN")),
                ("dns.response_code", json!("NOERROR")),
                ("dns.header_flags", json!(["RD", "RA"])),
                ("dns.id", json!("42937")),
                ("event.duration", json!(69_982_000)),
                ("zeek.dns.rejected", json!(true)),
            ],
        ),
        (
            "dns JSON: answers with TTLs and the resolved IP",
            "zeek-json/brimdata-zed-sample-data/dns.json",
            "CqKst53mF3det3eDV9",
            &[
                (
                    "dns.answers",
                    json!([{"data": "ise.wrccdc.cpp.edu", "ttl": 2230}, {"data": "134.71.3.16", "ttl": 41830}]),
                ),
                ("dns.resolved_ip", json!(["134.71.3.16"])),
                (
                    "related.ip",
                    json!(["10.47.1.100", "10.0.0.100", "134.71.3.16"]),
                ),
                ("network.protocol", json!("dns")),
            ],
        ),
        (
            "http TSV: a PowerShell client and a redirect",
            "zeek-tsv/activecm-rita/closed_http.log",
            "CsDSTo3cGyb7sbxsj5",
            &[
                ("http.request.method", json!("GET")),
                ("http.response.status_code", json!(301)),
                ("url.domain", json!("www.alexa.com")),
                ("url.original", json!("/topsites/category;2/Top/Business/")),
                ("event.outcome", json!("success")),
                ("event.category", json!(["network", "web"])),
                ("http.response.body.bytes", json!(178)),
                ("zeek.http.resp_mime_types", json!(["text/html"])),
            ],
        ),
        (
            "http JSON: username and a Splunk export wrapper",
            "zeek-json/elastic-integrations/test-http.log",
            "CCNp8v1SNzY7v9d1Ih",
            &[
                ("user.name", json!("user")),
                ("related.user", json!(["user"])),
                ("user_agent.original", json!("com.apple.trustd/2.0")),
                (
                    "network.community_id",
                    json!("1:dtBPRfpKEZyg1iOHss95buwv+cw="),
                ),
            ],
        ),
        (
            "http JSON inside Splunk's _raw",
            "zeek-json/elastic-integrations/test-http.log",
            "8",
            &[
                ("event.dataset", json!("zeek.http")),
                ("url.domain", json!("httpbin.org")),
            ],
        ),
        (
            "ssl TSV: JA3, JA3S and SNI",
            "zeek-tsv/activecm-rita/open_open_ssl.log",
            "CjlmYc3CNpKm4v8BTj",
            &[
                ("tls.version", json!("1.2")),
                ("tls.version_protocol", json!("tls")),
                ("tls.client.ja3", json!("bd0bf25947d4a37404f0424edf4db9ad")),
                ("tls.server.ja3s", json!("8415e777e0df6478fa9e17af0701002f")),
                (
                    "tls.client.server_name",
                    json!("array808-prod.do.dsp.mp.microsoft.com"),
                ),
                ("tls.next_protocol", json!("h2")),
            ],
        ),
        (
            "x509: validity as times, names as hosts",
            "zeek-json/brimdata-zed-sample-data/x509.json",
            "1",
            &[
                (
                    "tls.server.not_before",
                    json!("2011-09-10T12:15:02.000000Z"),
                ),
                ("tls.server.x509.serial_number", json!("CC57FE54011E")),
                ("related.hosts", json!(["localhost.localdomain"])),
                ("zeek.x509.certificate.key_length", json!(2048)),
                ("zeek.x509.basic_constraints.ca", json!(false)),
            ],
        ),
        (
            "files JSON: hashes, hosts and the file id",
            "zeek-json/elastic-integrations/test-files.log",
            "FMkioa222mEuM2RuQ9",
            &[
                ("file.hash.md5", json!("79e4a9840d7d3a96d7c04fe2434c892e")),
                ("file.mime_type", json!("application/pkix-cert")),
                ("event.category", json!(["file"])),
                ("related.ip", json!(["35.199.178.4", "10.178.98.102"])),
            ],
        ),
        (
            "files TSV (btest): no time, so arrival time and a warning",
            "zeek-tsv/zeek-btest-baselines/scripts.base.files.x509.files.files.log",
            "FgN3AE3of2TRIqaeQe",
            &[
                ("@timestamp", json!("2023-11-14T22:13:20.000000Z")),
                ("event.created", json!("2023-11-14T22:13:20.000000Z")),
                ("zeek.session_id", json!("CHhAvVGS1DHFjwGM9")),
                (
                    "file.hash.sha256",
                    json!("6bacfa4536150ed996f2b0c05ab6e345a257225f449aeb9d2018ccd88f4ede43"),
                ),
                (
                    "zeek.files.analyzers",
                    json!(["MD5", "SHA1", "SHA256", "X509"]),
                ),
            ],
        ),
        (
            "notice: an alert of medium severity naming its rule",
            "zeek-tsv/brimdata-zed-sample-data/notice.log",
            "CmC9kY1X0u9nP78KZc",
            &[
                ("event.kind", json!("alert")),
                ("event.category", json!(["intrusion_detection"])),
                ("event.severity", json!(3)),
                ("aurora.severity", json!("medium")),
                ("rule.name", json!("SSL::Invalid_Server_Cert")),
                (
                    "message",
                    json!(
                        "SSL certificate validation failed with (unable to get local issuer certificate)"
                    ),
                ),
                ("zeek.notice.actions", json!(["Notice::ACTION_LOG"])),
                ("zeek.notice.email_dest", json!([])),
            ],
        ),
        (
            "weird: low severity",
            "zeek-json/brimdata-zed-sample-data/weird.json",
            "CsPzgh4tp5lHBTnsrf",
            &[
                ("event.severity", json!(2)),
                ("rule.name", json!("TCP_ack_underflow_or_misorder")),
                ("event.kind", json!("event")),
            ],
        ),
        (
            "ssh: a failed login",
            "zeek-json/brimdata-zed-sample-data/ssh.json",
            "CJqhXL1pzFV2qOuS1b",
            &[
                ("event.outcome", json!("failure")),
                ("network.protocol", json!("ssh")),
                ("network.transport", json!("tcp")),
            ],
        ),
        (
            "ftp: the user and the data channel",
            "zeek-tsv/brimdata-zed-sample-data/ftp.log",
            "CRJ34i2alWZXGHGfng",
            &[
                ("user.name", json!("anonymous")),
                ("event.action", json!("PASV")),
                (
                    "related.ip",
                    json!(["10.164.94.120", "10.47.27.80", "172.20.0.80"]),
                ),
                ("zeek.ftp.data_channel.resp_p", json!(51263)),
            ],
        ),
        (
            "kerberos: a failed AS request",
            "zeek-tsv/brimdata-zed-sample-data/kerberos.log",
            "CSPQFyC6A6IZOEXi",
            &[
                ("event.outcome", json!("failure")),
                ("event.category", json!(["network", "authentication"])),
                ("service.name", json!("krbtgt/NM")),
            ],
        ),
        (
            "ntlm: user, domain and host",
            "zeek-tsv/brimdata-zed-sample-data/ntlm.log",
            "CT1orU31pfzjVTClIh",
            &[
                ("user.name", json!("Administrator")),
                ("user.domain", json!("JERRY")),
                ("related.user", json!(["Administrator"])),
            ],
        ),
        (
            "smb_mapping: a share path with backslashes",
            "zeek-tsv/brimdata-zed-sample-data/smb_mapping.log",
            "C4RwE01ohVxASBuobd",
            &[("file.path", json!("\\\\10.47.21.25\\ADMIN$"))],
        ),
        (
            "known_services: a host and its service",
            "zeek-tsv/brimdata-zed-sample-data/known_services.log",
            "1",
            &[
                ("event.kind", json!("state")),
                ("host.ip", json!("10.47.3.200")),
                ("network.protocol", json!("http")),
                ("zeek.known_services.service", json!(["HTTP"])),
            ],
        ),
        (
            "capture_loss: a metric",
            "zeek-json/brimdata-zed-sample-data/capture_loss.json",
            "2",
            &[
                ("event.kind", json!("metric")),
                ("zeek.capture_loss.ts_delta", json!(900.000201)),
                ("zeek.capture_loss.percent_lost", json!(0.090372)),
            ],
        ),
        (
            "analyzer: control bytes as Zeek's JSON writes them",
            "zeek-tsv/brimdata-zed-sample-data/analyzer.log",
            "CIOuwB3kJLIhO8re94",
            &[(
                "error.message",
                json!(
                    "Binpac exception: binpac exception: string mismatch at /usr/src/packages/BUILD/src/analyzer/protocol/rdp/rdp-protocol.pac:81: \nexpected pattern: \"Cookie: mstshash\\=\"\nactual data: \"\\x01\""
                ),
            )],
        ),
        (
            "syslog: facility, severity and message",
            "zeek-json/brimdata-zed-sample-data/syslog.json",
            "CgDNpczQ7oLqM2Ta5",
            &[
                ("log.syslog.facility.name", json!("LOCAL0")),
                ("log.syslog.severity.name", json!("INFO")),
                ("network.transport", json!("udp")),
            ],
        ),
        (
            "software: the host it was seen on",
            "zeek-json/brimdata-zed-sample-data/software.json",
            "1",
            &[
                ("host.ip", json!("10.164.94.120")),
                ("zeek.software.version.major", json!(8)),
            ],
        ),
    ];
    for (name, file, id, want) in cases {
        let run = run_file(&testdata(file));
        assert!(run.rejects.is_empty(), "{name}: {:?}", run.rejects);
        let ev = pick(&run, id);
        for (field, value) in *want {
            assert_eq!(get(ev, field), Some(value), "{name}: {field}\n{ev}");
        }
    }
}

const CONN_HEADER: &str = "#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#open\t2019-02-28-12-07-01
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tconn_state\ttunnel_parents
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tstring\tset[string]
";

#[test]
fn tsv_edge_cases() {
    // Escapes: `\x09` is a tab inside a value (not a separator), `\x2c` a
    // comma inside a set member, `\\` a backslash; `(empty)` an empty set,
    // `-` an unset field; `#close` ends the log.
    let text = format!(
        "{CONN_HEADER}1.5\tC1\t10.0.0.1\t1234\t10.0.0.2\t80\ttcp\ta\\x09b\\\\c\t-\t(empty)\tSF\tx\\x2cy,z\n#close\t2019-02-28-12-08-01\n"
    );
    let run = run_text("-", &text, Format::ZeekTsv);
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    assert_eq!(run.events.len(), 1);
    let ev = &run.events[0];
    assert_eq!(get(ev, "network.protocol").unwrap(), "a\tb\\c");
    assert_eq!(
        get(ev, "zeek.connection.tunnel_parents").unwrap(),
        &serde_json::json!(["x,y", "z"])
    );
    assert!(
        get(ev, "zeek.connection.orig_bytes").is_none(),
        "(empty) count is no value"
    );
    assert!(get(ev, "event.duration").is_none(), "- is unset");
    assert_eq!(
        get(ev, "@timestamp").unwrap(),
        "1970-01-01T00:00:01.500000Z"
    );
    assert_eq!(run.skipped, 9);

    // A header that changes mid-stream (another separator, another log) and
    // a row after #close that a new header introduces.
    let text = format!(
        "{CONN_HEADER}1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\tudp\tdns\t0.5\t10\tS0\t(empty)\n#close\tx\n\
#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|NONE\n#path|dns\n\
#fields|ts|uid|query|answers|TTLs\n#types|time|string|string|vector[string]|vector[interval]\n\
2.0|C2|example.org|1.2.3.4;NONE;EMPTY|60.000000;NONE;1.000000\n"
    );
    let run = run_text("-", &text, Format::Auto);
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    assert_eq!(run.events.len(), 2);
    assert_eq!(get(&run.events[0], "event.dataset").unwrap(), "zeek.conn");
    assert_eq!(
        get(&run.events[0], "event.type").unwrap(),
        &serde_json::json!(["connection", "start"])
    );
    let dns = &run.events[1];
    assert_eq!(get(dns, "event.dataset").unwrap(), "zeek.dns");
    assert_eq!(get(dns, "dns.question.name").unwrap(), "example.org");
    assert_eq!(
        get(dns, "zeek.dns.answers").unwrap(),
        &serde_json::json!(["1.2.3.4", null, ""])
    );

    // ICMPv6: Zeek's proto is `icmp`, the Community ID uses protocol 58
    // (the spec's neighbour-solicitation vector).
    let text = format!(
        "{CONN_HEADER}1.0\tC1\tfe80::200:86ff:fe05:80da\t135\tfe80::260:97ff:fe07:69ea\t0\ticmp\t-\t-\t-\tOTH\t(empty)\n"
    );
    let run = run_text("-", &text, Format::Auto);
    let ev = &run.events[0];
    assert_eq!(
        get(ev, "network.community_id").unwrap(),
        "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="
    );
    assert_eq!(get(ev, "zeek.connection.icmp.type").unwrap(), 135);
    assert!(get(ev, "source.port").is_none());

    // #path missing: the file name says which log; with no name either, the
    // columns do.
    let no_path = CONN_HEADER.replace("#path\tconn\n", "");
    let row = "1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\tudp\tdns\t0.5\t10\tS0\t(empty)\n";
    let run = run_text(
        "/logs/2019-02-28/dns.03:00:00-04:00:00.log",
        &format!("{no_path}{row}"),
        Format::Auto,
    );
    assert_eq!(get(&run.events[0], "event.dataset").unwrap(), "zeek.dns");
    let run = run_text("-", &format!("{no_path}{row}"), Format::Auto);
    assert_eq!(get(&run.events[0], "event.dataset").unwrap(), "zeek.conn");
}

#[test]
fn concatenated_logs_in_one_stream() {
    let files = [
        "zeek-tsv/activecm-rita/closed_conn.log",
        "zeek-tsv/activecm-rita/open_dns.log",
        "zeek-tsv/brimdata-zed-sample-data/ssl.log",
        "zeek-tsv/zeek-btest-baselines/scripts.base.files.x509.files.files.log",
        "zeek-tsv/brimdata-zed-sample-data/notice.log",
    ];
    let mut all = String::new();
    let mut want = Vec::new();
    for f in files {
        let run = run_file(&testdata(f));
        want.extend(
            run.events
                .iter()
                .map(|e| get(e, "event.dataset").unwrap().clone()),
        );
        all.push_str(&std::fs::read_to_string(testdata(f)).unwrap());
    }
    // As `cat a.log b.log | aurora-norm` sees them: one input, no name.
    let run = run_text("-", &all, Format::Auto);
    assert!(
        run.rejects.is_empty(),
        "{:?}",
        &run.rejects[..run.rejects.len().min(3)]
    );
    let got: Vec<Value> = run
        .events
        .iter()
        .map(|e| get(e, "event.dataset").unwrap().clone())
        .collect();
    assert_eq!(got, want);
    assert!(got.len() > 500);
}

/// Every `testdata/bad/zeek-*` file: which lines are rejected and why, and
/// how many events come out. Lines not listed must be events.
/// (file, rejected lines with their reasons, number of events)
type BadCase<'a> = (&'a str, &'a [(usize, &'a str)], usize);

#[test]
fn bad_input_is_rejected_with_a_precise_reason() {
    let cases: &[BadCase] = &[
        (
            "zeek-short-row.log",
            &[
                (9, "row has 7 columns, #fields names 10"),
                (10, "row has 11 columns, #fields names 10"),
            ],
            1,
        ),
        (
            "zeek-wrong-types.log",
            &[
                (8, r#"column 8 (orig_bytes): "abc" is not a count"#),
                (
                    9,
                    r#"column 3 (id.orig_h): "not-an-ip" is not an IP address"#,
                ),
                (10, r#"column 4 (id.orig_p): "70000" is not a port"#),
                (11, r#"column 9 (local_orig): "yes" is not a bool (T or F)"#),
                (
                    12,
                    r#"column 10 (tunnel_parents): "10.0.0.9,fe80::zz" is not an IP address member"#,
                ),
            ],
            // An unreadable ts is no reject: the row gets the arrival time.
            1,
        ),
        (
            "zeek-types-count.log",
            &[(8, "#types names 8 columns, #fields names 10")],
            0,
        ),
        (
            "zeek-row-before-header.log",
            &[(1, "not a JSON object, and no Zeek TSV header seen")],
            1,
        ),
        (
            "zeek-binary-separator.log",
            &[
                (2, "invalid UTF-8 at byte 7"),
                (3, "invalid UTF-8 at byte 3"),
            ],
            0,
        ),
        (
            "zeek-port-string.json",
            &[
                (1, r#"id.orig_p is "http", not a port number"#),
                (2, r#"id.orig_h is "999.168.86.167", not an IP address"#),
                (3, "id.orig_p is -1, not a port number"),
            ],
            // A port written as a numeric string is read as the number.
            1,
        ),
        // Found by the fuzzer: an 11-digit epoch overflowed the time parser.
        ("zeek-fuzz-huge-epoch.log", &[], 1),
        // Documented oddities, not rejects: an unreadable ts (arrival time
        // and a warning), a nested `id` object (kept under zeek.conn.id, no
        // source.ip), an unknown conn_state, nulls, a dotted _path, a key
        // that is both a value and a prefix, a ts in milliseconds.
        ("zeek-oddities.json", &[], 3),
    ];
    for (file, want_rejects, want_events) in cases {
        let path = testdata(&format!("bad/{file}"));
        let bytes = std::fs::read(&path).unwrap();
        let mut n = Normalizer::new(opts(Format::Auto));
        n.start_input(path.to_str().unwrap(), None);
        let (mut events, mut rejects) = (Vec::new(), Vec::new());
        for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let mut out = Vec::new();
            match n.line(line, &mut out) {
                Ok(Outcome::Event) => {
                    let v: Value = serde_json::from_slice(&out).unwrap();
                    events.push(v);
                }
                Ok(Outcome::Skipped) => {}
                Err(e) => rejects.push((i + 1, e.0)),
            }
        }
        let got: Vec<(usize, &str)> = rejects.iter().map(|(l, r)| (*l, r.as_str())).collect();
        assert_eq!(&got, want_rejects, "{file}");
        assert_eq!(events.len(), *want_events, "{file}");
    }
    let odd = run_file(&testdata("bad/zeek-oddities.json"));
    assert_eq!(
        get(&odd.events[0], "aurora.warnings").unwrap(),
        &serde_json::json!(["the record has no usable time: @timestamp is when aurora read it"])
    );
    assert_eq!(
        get(&odd.events[1], "zeek.connection.id.orig_h").unwrap(),
        "10.0.0.1"
    );
    assert_eq!(
        get(&odd.events[2], "@timestamp").unwrap(),
        "2019-01-11T06:33:35.857000Z"
    );
    // `a` is a value and `a.b` would need it as an object: `a.b` stays flat.
    assert_eq!(
        get(&odd.events[2], "zeek.conn.with.dots").unwrap(),
        &serde_json::json!({"a": 1, "a.b": 2})
    );
}

#[test]
#[ignore]
fn show() {
    let f = std::env::var("SHOW").unwrap();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(1);
    let run = run_file(&testdata(&f));
    for e in run.events.iter().take(n) {
        println!("{}", serde_json::to_string(e).unwrap());
    }
    println!("{:?}", run.rejects);
}
