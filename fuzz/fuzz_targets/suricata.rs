//! Suricata EVE through the EVE parser: the raw bytes as a line, and the
//! bytes spliced as a JSON value into real EVE records (one per event type
//! the mapping treats specially), so mutations reach the per-field code
//! rather than dying in the JSON parser. Every event must meet
//! `aurora_core::invariants` and be valid JSON to serde_json as well.
#![no_main]
use aurora_core::{Format, Outcome};
use libfuzzer_sys::fuzz_target;

/// Real EVE lines (testdata/suricata) with `@@` where the fuzz input goes.
const TEMPLATES: &[&str] = &[
    r#"{"timestamp":@@,"flow_id":904992230150281,"event_type":"alert","src_ip":"192.168.86.85","src_port":55641,"dest_ip":"192.168.156.70","dest_port":443,"proto":"TCP"}"#,
    r#"{"timestamp":"2018-07-05T15:07:20.910626-0400","event_type":"alert","src_ip":"192.168.86.85","src_port":55641,"dest_ip":"192.168.156.70","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024833,"rev":3,"signature":"ET POLICY","category":"Potential Corporate Privacy Violation","severity":1,"metadata":@@},"app_proto":"tls"}"#,
    r#"{"timestamp":"2018-07-05T15:07:20.910626-0400","event_type":"alert","src_ip":@@,"src_port":55641,"dest_ip":"192.168.156.70","dest_port":@@,"proto":@@,"alert":@@,"tls":@@,"flow":@@}"#,
    r#"{"timestamp":"2018-07-05T15:43:47.690014-0400","event_type":"http","src_ip":"192.168.86.85","src_port":56119,"dest_ip":"192.168.86.28","dest_port":63963,"proto":"TCP","http":@@,"fileinfo":@@}"#,
    r#"{"timestamp":"2018-07-05T15:51:20.213418-0400","event_type":"dns","src_ip":"192.168.86.1","src_port":53,"dest_ip":"192.168.86.85","dest_port":39464,"proto":"UDP","dns":@@}"#,
    r#"{"timestamp":"2018-07-05T15:51:20.213418-0400","event_type":"dns","src_ip":"192.168.86.1","dest_ip":"192.168.86.85","proto":"UDP","dns":{"version":2,"type":"answer","id":60065,"rrname":"a.example","rrtype":"A","answers":@@,"grouped":@@}}"#,
    r#"{"timestamp":"2018-07-05T15:51:54.001329-0400","event_type":@@,"src_ip":"fe80::1","src_port":546,"dest_ip":"ff02::1:2","dest_port":547,"proto":"UDP","app_proto":@@,"flow":{"pkts_toserver":1,"bytes_toserver":110,"start":@@,"end":@@,"state":@@},"netflow":@@,"ether":@@,"vlan":@@}"#,
    r#"{"timestamp":"2020-12-09T16:02:58.005716+0000","event_type":"tls","src_ip":"192.168.50.1","src_port":60614,"dest_ip":"192.168.50.1","dest_port":443,"proto":"TCP","tls":{"subject":@@,"issuerdn":@@,"fingerprint":@@,"sni":@@,"version":@@,"notbefore":@@,"serial":@@,"ja3":@@}}"#,
    r#"{"timestamp":"2021-11-24T16:56:24.403417+0000","event_type":"smtp","src_ip":"172.18.0.1","dest_ip":"172.18.0.2","proto":"TCP","smtp":@@,"email":@@}"#,
];

fuzz_target!(|data: &[u8]| {
    let mut n = aurora_fuzz::normalizer(Format::Suricata);
    aurora_fuzz::check_lines(&mut n, data);

    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let template = TEMPLATES[pick as usize % TEMPLATES.len()];
    let mut line = Vec::with_capacity(template.len() + rest.len() * 2);
    for (i, part) in template.split("@@").enumerate() {
        if i > 0 {
            line.extend(rest.iter().copied().filter(|&b| b != b'\n' && b != b'\r'));
        }
        line.extend_from_slice(part.as_bytes());
    }
    let mut out = Vec::new();
    if let Ok(Outcome::Event) = n.line(&line, &mut out) {
        if let Err(e) = aurora_core::invariants::check_event_line_from(&out, &line) {
            panic!("{e}: {}", String::from_utf8_lossy(&out));
        }
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!(
                "serde_json rejects the event ({e}): {}",
                String::from_utf8_lossy(&out)
            );
        }
    }
});
