//! JSON logs through a mapping file: the worked Caddy example end to end,
//! and mapping files that must not load.

use aurora_core::normalize::{Format, Normalizer, Options};
use aurora_core::source::custom::Mapping;
use serde_json::{Value, json};
use std::sync::Arc;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

fn caddy_mapping() -> Arc<Mapping> {
    let text = std::fs::read_to_string(format!("{TESTDATA}/custom/caddy.toml")).unwrap();
    Arc::new(Mapping::from_toml(&text).unwrap_or_else(|e| panic!("caddy.toml: {e}")))
}

fn run(opts: Options, text: &str) -> (Vec<Value>, Vec<String>) {
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input("caddy-access.json", None, None);
    let mut out = Vec::new();
    let mut rejects = Vec::new();
    for line in text.lines() {
        if let Err(e) = n.line(line.as_bytes(), &mut out) {
            rejects.push(e.to_string());
        }
    }
    let events = out
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("output is JSON"))
        .collect();
    (events, rejects)
}

#[test]
fn caddy_access_log_through_the_worked_example() {
    let text = std::fs::read_to_string(format!("{TESTDATA}/custom/caddy-access.json")).unwrap();
    for format in [Format::Auto, Format::Custom] {
        let opts = Options {
            format,
            mapping: Some(caddy_mapping()),
            ..Options::default()
        };
        let (events, rejects) = run(opts, &text);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(events.len(), text.lines().count());
        for e in &events {
            assert_eq!(get(e, "event.module"), "caddy");
            assert_eq!(get(e, "aurora.source"), "caddy");
            assert_eq!(get(e, "event.dataset"), "caddy.access");
            assert_eq!(get(e, "event.category"), &json!(["web"]));
            assert!(e["event"]["created"].is_null(), "time read from ts: {e}");
            assert!(
                get(e, "@timestamp")
                    .as_str()
                    .unwrap()
                    .starts_with("2024-05-14T")
            );
            assert!(get(e, "source.ip").is_string());
            assert!(get(e, "related.ip").is_array());
            let status = get(e, "http.response.status_code").as_u64().unwrap();
            let want = match status {
                500.. => 3,
                400.. => 2,
                _ => 1,
            };
            assert_eq!(get(e, "event.severity"), want, "{e}");
        }
        let first = &events[0];
        for (path, want) in [
            ("@timestamp", json!("2024-05-14T08:30:00.519558Z")),
            ("source.ip", json!("198.51.100.23")),
            ("source.port", json!(51544)),
            ("http.request.method", json!("GET")),
            ("url.original", json!("/")),
            ("url.domain", json!("www.example.com")),
            (
                "user_agent.original",
                json!("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
            ),
            ("http.request.referrer", json!("https://www.example.com/")),
            ("http.response.body.bytes", json!(10900)),
            ("event.duration", json!(943057)),
            ("log.logger", json!("http.log.access.log0")),
            ("observer.product", json!("Caddy")),
        ] {
            assert_eq!(get(first, path), &want, "{path} in {first}");
        }
        assert!(first["user"].is_null(), "empty user_id is no user: {first}");
        let login = events
            .iter()
            .find(|e| {
                get(e, "http.request.method") == "POST"
                    && get(e, "http.response.status_code") == 200
            })
            .unwrap();
        assert_eq!(get(login, "user.name"), "admin");
        assert_eq!(get(login, "related.user"), &json!(["admin"]));
        let v6 = events
            .iter()
            .find(|e| get(e, "http.response.status_code") == 502)
            .unwrap();
        assert_eq!(get(v6, "source.ip"), "2001:db8:85a3::8a2e:370:7334");
        assert_eq!(get(v6, "aurora.severity"), "medium");
    }
}

#[test]
fn without_a_mapping_caddy_lines_are_rejected_not_misread() {
    let text = std::fs::read_to_string(format!("{TESTDATA}/custom/caddy-access.json")).unwrap();
    let (events, rejects) = run(Options::default(), &text);
    assert!(events.is_empty());
    assert_eq!(rejects.len(), text.lines().count());
    assert!(rejects[0].contains("--mapping"), "{}", rejects[0]);
}

#[test]
fn broken_mapping_files_name_the_line() {
    let text = std::fs::read_to_string(format!("{TESTDATA}/bad/custom-mapping-bad-severity.toml"))
        .unwrap();
    let e = Mapping::from_toml(&text).unwrap_err();
    assert_eq!(e.line, Some(9), "{e}");
    let path = std::path::PathBuf::from(format!("{TESTDATA}/bad/custom-mapping-bad-severity.toml"));
    assert_eq!(Mapping::load(&path).unwrap_err(), e);
    assert!(Mapping::load(&path.with_extension("missing")).is_err());
    assert!(
        e.to_string()
            .starts_with("line 9: severity.map.500: 7 is not 0–5"),
        "{e}"
    );
    let cases = [
        (
            "[fields]\n\"a.b\" = { field = \"source.ip\", type = \"ipv4\" }\n",
            2,
            "unknown type",
        ),
        (
            "[constants]\n\"aurora.source\" = \"x\"\n",
            2,
            "set by aurora",
        ),
        (
            "[timestamp]\nfield = \"ts\"\nformat = \"%Q-%m\"\n",
            3,
            "strftime",
        ),
        ("[timestamp\nfield = \"ts\"\n", 1, ""),
    ];
    for (text, line, msg) in cases {
        let e = Mapping::from_toml(text).unwrap_err();
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
        assert!(e.message.contains(msg), "{text:?}: {e}");
    }
}

#[test]
fn time_formats_and_severity_maps() {
    let mapping = r#"
[timestamp]
field = "when"
format = "%d/%b/%Y:%H:%M:%S"
timezone = "Europe/Berlin"

[fields]
"who" = "user.name"
"nested.ip" = "source.ip"

[severity]
field = "lvl"
map = { error = 4, WARN = 3 }
default = 1
"#;
    let m = Arc::new(Mapping::from_toml(mapping).unwrap());
    let opts = Options {
        mapping: Some(m),
        ..Options::default()
    };
    let text = concat!(
        r#"{"when":"14/May/2024:10:30:00","who":"alice","nested":{"ip":"10.1.2.3"},"lvl":"ERROR"}"#,
        "\n",
        r#"{"when":"not a time","lvl":"warn"}"#,
        "\n",
        r#"{"lvl":"debug"}"#
    );
    let (events, rejects) = run(opts, text);
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(get(&events[0], "@timestamp"), "2024-05-14T08:30:00.000000Z");
    assert_eq!(get(&events[0], "user.name"), "alice");
    assert_eq!(get(&events[0], "source.ip"), "10.1.2.3");
    assert_eq!(get(&events[0], "event.severity"), 4);
    assert_eq!(get(&events[1], "event.severity"), 3);
    assert!(
        get(&events[1], "aurora.warnings")
            .to_string()
            .contains("does not match")
    );
    assert!(!get(&events[1], "event.created").is_null());
    assert_eq!(get(&events[2], "event.severity"), 1);
    assert_eq!(get(&events[2], "event.module"), "custom");
}
