//! Velociraptor result rows from real files and from an export zip built
//! here from them: every row becomes one event; named cases map as they should.

mod normalize_support;
use aurora_core::input_zip;
use aurora_core::normalize::{Format, Options};
use aurora_core::source::velociraptor::Settings;
use normalize_support::{TESTDATA, run_text};
use serde_json::{Value, json};
use std::io::Write;

const NOW: i64 = 1_700_000_000_000_000;

fn opts(format: Format) -> Options {
    Options {
        format,
        now: NOW,
        ..Options::default()
    }
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

fn fixture_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["datastore", "testcase-outputs"] {
        for e in std::fs::read_dir(format!("{TESTDATA}/velociraptor/{dir}")).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name != "INDEX.tsv" {
                files.push(format!("{TESTDATA}/velociraptor/{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_velociraptor_row_is_one_sensible_event() {
    let files = fixture_files();
    assert!(files.len() >= 30, "{}", files.len());
    let mut total = 0;
    let mut timed = 0;
    // Auto-detection must find every file by its name or its rows.
    for (format, path) in files
        .iter()
        .flat_map(|f| [(Format::Auto, f), (Format::Velociraptor, f)])
    {
        let text = std::fs::read_to_string(path).unwrap();
        let r = run_text(opts(format), path, &text);
        assert!(r.rejects.is_empty(), "{path} ({format:?}): {:?}", r.rejects);
        let rows = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(r.events.len(), rows, "{path}");
        for (i, e) in r.events.iter().enumerate() {
            let ts = e["@timestamp"].as_str().unwrap_or("");
            assert!(ts.len() == 27 && ts.ends_with('Z'), "{path} #{i}: {ts}");
            if e["event"]["created"].is_null() {
                timed += 1;
                assert!(
                    &ts[..4] >= "2015" && &ts[..4] <= "2025",
                    "{path} #{i}: {ts}"
                );
            } else {
                // No time in the row: arrival time, said so.
                assert_eq!(get(e, "event.created"), &e["@timestamp"]);
                assert!(!e["aurora"]["warnings"].is_null());
            }
            assert_eq!(get(e, "event.module"), "velociraptor", "{path}");
            assert_eq!(get(e, "aurora.source"), "velociraptor", "{path}");
            assert!(get(e, "event.kind").is_string(), "{path}");
            assert!(
                get(e, "event.severity")
                    .as_u64()
                    .is_some_and(|s| (1..=5).contains(&s))
            );
            assert!(
                get(e, "event.dataset")
                    .as_str()
                    .unwrap()
                    .starts_with("velociraptor.")
            );
            assert!(
                get(e, "velociraptor.row").is_object(),
                "{path}: the row is kept"
            );
        }
        total += r.events.len();
    }
    assert_eq!(total, 2 * (122 + 57 + 6 + 5 + 2 + 2 + 1 + 1));
    assert!(timed >= 2 * 90, "only {timed} rows had their own time");
}

fn first_event(file: &str, format: Format) -> Value {
    let path = format!("{TESTDATA}/velociraptor/{file}");
    let text = std::fs::read_to_string(&path).unwrap();
    let r = run_text(opts(format), &path, &text);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    r.events.into_iter().next().unwrap()
}

#[test]
fn named_real_world_rows() {
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        (
            "datastore/Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json",
            vec![
                ("@timestamp", json!("2020-08-01T09:17:02.000000Z")),
                (
                    "event.dataset",
                    json!("velociraptor.Windows.Network.NetstatEnriched/Netstat"),
                ),
                ("event.kind", json!("state")),
                ("process.pid", json!(568)),
                ("process.parent.pid", json!(828)),
                ("process.name", json!("svchost.exe")),
                (
                    "process.executable",
                    json!("C:\\Windows\\System32\\svchost.exe"),
                ),
                (
                    "process.hash.sha256",
                    json!("dd191a5b23df92e12a8852291f9fb5ed594b76a28a5a464418442584afd1e048"),
                ),
                ("source.ip", json!("0.0.0.0")),
                ("source.port", json!(135)),
                ("network.transport", json!("tcp")),
                ("user.name", json!("NETWORK SERVICE")),
                ("user.domain", json!("NT AUTHORITY")),
                (
                    "velociraptor.artifact",
                    json!("Windows.Network.NetstatEnriched"),
                ),
                ("velociraptor.source", json!("Netstat")),
                ("velociraptor.flow_id", json!("F.BSJMEJIPT6P9I")),
                ("velociraptor.row.Laddr.Port", json!(null)),
            ],
        ),
        (
            "datastore/monitoring.Windows.Events.ProcessCreation.2019-10-25.json",
            vec![
                ("@timestamp", json!("2019-10-25T07:18:20.000000Z")),
                ("event.kind", json!("event")),
                ("event.category", json!(["process"])),
                ("event.type", json!(["start"])),
                ("process.pid", json!(6884)),
                ("process.parent.pid", json!(4700)),
                ("process.name", json!("velociraptor.exe")),
            ],
        ),
        (
            "datastore/hunt-metadata.H.49ba8939.json",
            vec![
                ("host.id", json!("C.4f5e52adf0a337a9")),
                ("velociraptor.hunt_id", json!("H.49ba8939")),
                ("velociraptor.flow_id", json!("F.BSJMEJIPT6P9I")),
                ("@timestamp", json!("2020-06-30T04:22:46.000000Z")),
            ],
        ),
        (
            "testcase-outputs/kerberoasting.q00.Windows.EventLogs.Kerberoasting.jsonl",
            vec![
                ("@timestamp", json!("2019-09-30T01:58:40.000000Z")),
                ("event.code", json!("4769")),
                ("event.category", json!(["authentication"])),
                ("host.name", json!("DC2016.dfir.lab")),
                ("source.ip", json!("192.168.63.1")),
                ("source.port", json!(52562)),
                ("user.name", json!("matt@DFIR.LAB")),
                ("service.name", json!("SVC-APP03")),
            ],
        ),
        (
            "testcase-outputs/evtx.q01.Windows.EventLogs.Cleared.jsonl",
            vec![
                ("@timestamp", json!("2019-03-19T23:34:25.000000Z")),
                ("user.name", json!("user01")),
                ("user.domain", json!("EXAMPLE")),
                ("event.action", json!("audit-log-cleared")),
            ],
        ),
        (
            "testcase-outputs/sigma.q00.Windows.Sigma.EventLogs.jsonl",
            vec![
                ("@timestamp", json!("2020-05-24T01:13:54.120171Z")),
                ("event.kind", json!("alert")),
                ("event.severity", json!(4)),
                ("aurora.severity", json!("high")),
                ("event.code", json!("1")),
                ("event.provider", json!("Microsoft-Windows-Sysmon")),
                ("rule.name", json!("Run Whoami as SYSTEM")),
                ("rule.id", json!("80167ada-7a12-41ed-b8e9-aa47195c66a1")),
                (
                    "process.executable",
                    json!("C:\\Windows\\System32\\whoami.exe"),
                ),
                ("process.pid", json!(4456)),
                ("process.parent.pid", json!(1516)),
                ("process.parent.name", json!("cmd.exe")),
                (
                    "process.hash.md5",
                    json!("43c2d3293ad939241df61b3630a9d3b6"),
                ),
                ("host.name", json!("MSEDGEWIN10")),
                ("user.name", json!("SYSTEM")),
                ("threat.technique.id", json!(["T1033"])),
                (
                    "threat.technique.name",
                    json!(["System Owner/User Discovery"]),
                ),
                ("threat.tactic.id", json!(["TA0004", "TA0007"])),
            ],
        ),
        (
            "testcase-outputs/linux_last_login.q00.Linux.Sys.LastUserLogin.jsonl",
            vec![
                ("@timestamp", json!("2023-12-21T15:54:24.000000Z")),
                ("user.name", json!("mic")),
                ("source.ip", json!("192.168.1.2")),
                ("event.category", json!(["authentication", "session"])),
                ("event.outcome", json!("success")),
            ],
        ),
        (
            "testcase-outputs/linux_passwd.q00.Linux.Sys.Users.jsonl",
            vec![
                ("user.name", json!("root")),
                ("user.id", json!("0")),
                ("group.id", json!("0")),
                ("event.category", json!(["iam"])),
                ("event.kind", json!("state")),
            ],
        ),
        (
            "testcase-outputs/linux_systemd.q01.Linux.Forensics.Journal.jsonl",
            vec![
                ("@timestamp", json!("2023-05-09T01:31:12.435195Z")),
                ("host.name", json!("devbox")),
                ("process.pid", json!(1)),
                ("process.name", json!("systemd")),
                (
                    "message",
                    json!("session-717.scope: Consumed 5.643s CPU time."),
                ),
            ],
        ),
        (
            "testcase-outputs/detection.q01.Generic.Detection.HashHunter.jsonl",
            vec![
                ("file.name", json!("CSDump.bin")),
                ("file.size", json!(22000)),
                ("file.hash.md5", json!("81d9b0a5308f6e46e06567ef9b889496")),
                ("event.category", json!(["file"])),
            ],
        ),
        (
            "testcase-outputs/hostsfile.q00.Windows.System.HostsFile.jsonl",
            vec![
                ("related.ip", json!(["127.0.3.4"])),
                (
                    "related.hosts",
                    json!(["second.com", "standardcomment2.com"]),
                ),
            ],
        ),
        (
            "datastore/collection-logs.F.BSJMEJIPT6P9I.json",
            vec![
                ("@timestamp", json!("2020-08-03T01:24:43.121325Z")),
                ("message", json!("vql: Starting query execution.")),
            ],
        ),
    ];
    for (file, fields) in cases {
        let e = first_event(file, Format::Auto);
        for (path, want) in fields {
            assert_eq!(get(&e, path), &want, "{file}: {path} in {e}");
        }
    }
}

#[test]
fn artifact_flag_wins_and_names_the_dataset() {
    let path = format!(
        "{TESTDATA}/velociraptor/testcase-outputs/evtx.q00.Windows.EventLogs.RDPAuth.jsonl"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let o = Options {
        velociraptor: Settings {
            artifact: Some("Custom.RDP/Logons".into()),
        },
        ..opts(Format::Auto)
    };
    let r = run_text(o, "results.jsonl", &text);
    assert!(r.rejects.is_empty());
    assert_eq!(
        get(&r.events[0], "event.dataset"),
        "velociraptor.Custom.RDP/Logons"
    );
    // With no flag and an uninformative name, a row's `_Source` names it;
    // rows without one need the flag or --format.
    let row = r#"{"Pid":1,"Name":"init","_Source":"Linux.Sys.Pslist"}"#;
    let r = run_text(opts(Format::Auto), "-", row);
    assert_eq!(
        get(&r.events[0], "event.dataset"),
        "velociraptor.Linux.Sys.Pslist"
    );
    assert_eq!(get(&r.events[0], "process.name"), "init");
    let r = run_text(opts(Format::Auto), "-", r#"{"Pid":1,"Name":"init"}"#);
    assert_eq!(r.rejects.len(), 1);
}

/// Rows as `hunt_results()` and `velociraptor query --format jsonl` give
/// them: client and flow columns appended, the artifact in `_Source`.
#[test]
fn hunt_result_rows() {
    let rows = concat!(
        r#"{"Pid":4,"Ppid":0,"Name":"System","Exe":"","CommandLine":"","Username":"NT AUTHORITY\\SYSTEM","CreateTime":"2024-03-01T07:59:12Z","ClientId":"C.1f2e3d4c5b6a7980","Fqdn":"WIN-FS01.corp.example","FlowId":"F.CNB1TQ1E0H2BC","_Source":"Windows.System.Pslist"}"#,
        "
",
        r#"{"Title":"Suspicious Whoami","Level":"medium","EventID":1,"Computer":"WIN-FS01.corp.example","ClientId":"C.1f2e3d4c5b6a7980","_Source":"Windows.Hayabusa.Sigma"}"#
    );
    let r = run_text(opts(Format::Auto), "hunt_results.jsonl", rows);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    let (p, s) = (&r.events[0], &r.events[1]);
    for (path, want) in [
        ("event.dataset", json!("velociraptor.Windows.System.Pslist")),
        ("@timestamp", json!("2024-03-01T07:59:12.000000Z")),
        ("host.name", json!("WIN-FS01.corp.example")),
        ("host.id", json!("C.1f2e3d4c5b6a7980")),
        ("process.pid", json!(4)),
        ("process.name", json!("System")),
        ("user.name", json!("SYSTEM")),
        ("velociraptor.flow_id", json!("F.CNB1TQ1E0H2BC")),
        ("event.kind", json!("state")),
    ] {
        assert_eq!(get(p, path), &want, "{path} in {p}");
    }
    assert_eq!(get(s, "event.kind"), "alert");
    assert_eq!(get(s, "event.severity"), 3);
    assert_eq!(get(s, "host.name"), "WIN-FS01.corp.example");
}

#[test]
fn an_array_row_is_rejected_with_a_reason() {
    let path = format!("{TESTDATA}/bad/velociraptor-array-row.json");
    let text = std::fs::read_to_string(&path).unwrap();
    for format in [Format::Auto, Format::Velociraptor] {
        let r = run_text(opts(format), &path, &text);
        assert!(r.events.is_empty());
        assert_eq!(r.rejects.len(), 1, "{:?}", r.rejects);
        assert!(r.rejects[0].1.contains("array"), "{:?}", r.rejects);
    }
}

/// Builds a real-format export zip from the fixture rows, then reads it
/// back member by member as the CLI does.
#[test]
fn export_zip_members_are_inputs() {
    let dir = std::env::temp_dir().join(format!("aurora-velo-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("hunt-export.zip");
    let netstat = std::fs::read(format!(
        "{TESTDATA}/velociraptor/datastore/Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json"
    ))
    .unwrap();
    let users = std::fs::read(format!(
        "{TESTDATA}/velociraptor/testcase-outputs/linux_passwd.q00.Linux.Sys.Users.jsonl"
    ))
    .unwrap();
    {
        let f = std::fs::File::create(&zip_path).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in [
            (
                "results/Windows.Network.NetstatEnriched%2FNetstat.json",
                &netstat[..],
            ),
            ("results/Linux.Sys.Users.json", &users[..]),
            (
                "uploads/auto/C%3A/Windows/notes.json",
                b"{\"not\":\"rows\"}\n",
            ),
            ("log.json", b"{\"message\":\"collection log\"}\n"),
        ] {
            z.start_file(name, o).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(input_zip::is_zip(&zip_path));
    let members = input_zip::zip_members(&zip_path).unwrap();
    let names: Vec<&str> = members
        .iter()
        .map(|(n, _)| n.rsplit(':').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "results/Windows.Network.NetstatEnriched%2FNetstat.json",
            "results/Linux.Sys.Users.json"
        ]
    );
    let mut datasets = Vec::new();
    for (name, data) in &members {
        let r = run_text(opts(Format::Auto), name, std::str::from_utf8(data).unwrap());
        assert!(r.rejects.is_empty(), "{name}: {:?}", r.rejects);
        datasets.push((r.events.len(), get(&r.events[0], "event.dataset").clone()));
    }
    assert_eq!(
        datasets,
        [
            (
                57,
                json!("velociraptor.Windows.Network.NetstatEnriched/Netstat")
            ),
            (21, json!("velociraptor.Linux.Sys.Users")),
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}
