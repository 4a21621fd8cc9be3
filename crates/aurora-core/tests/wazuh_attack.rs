//! A Suricata alert that reaches Wazuh (rule 86601) gets the same ATT&CK mapping
//! (`threat.*`) and severity as the same alert read straight from EVE, so that the
//! two line up in a search and in a heatmap.

mod normalize_support;
use aurora_core::normalize::Options;
use normalize_support::{TESTDATA, run_text};
use serde_json::Value;

/// The real 86601 record of the AIT-AECID Wazuh alerts, with ATT&CK metadata (as ET
/// Open rules carry it) added to its alert in both copies Wazuh keeps (`full_log`
/// text and `data`), and the EVE line it came from.
fn records() -> (String, String) {
    let path = format!("{TESTDATA}/wazuh/ait-aecid/ossec_insect.alerts.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(r#""id":"86601""#))
        .unwrap();
    let mut wazuh: Value = serde_json::from_str(line).unwrap();
    let metadata = serde_json::json!({
        "mitre_tactic_id": ["TA0001"],
        "mitre_tactic_name": ["Initial_Access"],
        "mitre_technique_id": ["T1190"],
        "mitre_technique_name": ["Exploit_Public_Facing_Application"],
        "signature_severity": ["Critical"],
    });
    let mut eve: Value = serde_json::from_str(wazuh["full_log"].as_str().unwrap()).unwrap();
    eve["alert"]["metadata"] = metadata.clone();
    wazuh["full_log"] = Value::String(eve.to_string());
    wazuh["data"]["alert"]["metadata"] = metadata;
    (wazuh.to_string(), eve.to_string())
}

fn one(name: &str, line: &str) -> Value {
    let run = run_text(Options::default(), name, line);
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    assert_eq!(run.events.len(), 1);
    run.events.into_iter().next().unwrap()
}

#[test]
fn a_suricata_alert_through_wazuh_keeps_its_attack_mapping() {
    let (wazuh, eve) = records();
    let via_wazuh = one("alerts.json", &wazuh);
    let direct = one("eve.json", &eve);
    assert_eq!(via_wazuh["event"]["module"], "wazuh");
    assert_eq!(direct["event"]["module"], "suricata");
    assert_eq!(
        via_wazuh["threat"]["technique"]["id"],
        serde_json::json!(["T1190"])
    );
    assert_eq!(
        via_wazuh["threat"]["technique"]["name"],
        serde_json::json!(["Exploit Public-Facing Application"])
    );
    assert_eq!(
        via_wazuh["threat"]["tactic"]["id"],
        serde_json::json!(["TA0001"])
    );
    assert_eq!(via_wazuh["threat"], direct["threat"]);
    // signature_severity Critical is DESIGN.md's 5 on both paths.
    assert_eq!(via_wazuh["event"]["severity"], 5);
    assert_eq!(direct["event"]["severity"], 5);
    for f in ["id", "name"] {
        assert_eq!(via_wazuh["rule"][f], direct["rule"][f], "rule.{f}");
    }
}
