//! Named real-world Zeek cases per log type, and the TSV edge cases
//! (escapes, empty and unset values, sets, a header changing mid-stream,
//! logs concatenated on one stream, a missing `#path`).

mod zeek_support;

use aurora_core::Format;
use serde_json::Value;
use zeek_support::*;

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
