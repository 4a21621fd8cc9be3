//! What kind of alert it is: ECS categories from the rule's groups, and
//! ATT&CK from the rule's `mitre` block.

use super::detail::FileEvent;
use crate::attack;
use crate::event::Event;
use crate::fields::F;
use crate::source::tape::{self, Value};
use crate::source::util::List;

/// `event.category`, `event.type` and `event.outcome` from the rule's groups
/// (Wazuh's own classification of what fired).
pub(super) fn categorize(
    groups: &List<'_, 24>,
    file: Option<FileEvent>,
    suricata: bool,
    ev: &mut Event,
) {
    let mut cat: List<'static, 6> = List::default();
    let mut typ: List<'static, 4> = List::default();
    let mut outcome = None;
    if suricata {
        cat.push("network");
        cat.push("intrusion_detection");
    }
    for g in groups.iter() {
        match g {
            "authentication_failed"
            | "authentication_failures"
            | "win_authentication_failed"
            | "invalid_login" => {
                cat.push("authentication");
                outcome = Some("failure");
                typ.push("info");
            }
            "authentication_success" => {
                cat.push("authentication");
                outcome = Some("success");
                typ.push("start");
            }
            "syscheck_registry" => cat.push("registry"),
            "syscheck" | "syscheck_file" | "ossec_fim" if !groups.contains("syscheck_registry") => {
                cat.push("file")
            }
            "syscheck_entry_added" => typ.push("creation"),
            "syscheck_entry_modified" => typ.push("change"),
            "syscheck_entry_deleted" => typ.push("deletion"),
            "ids" | "suricata" | "snort" | "attack" | "rootcheck" | "exploit_attempt"
            | "web_scan" | "recon" => cat.push("intrusion_detection"),
            "web" | "accesslog" | "web-log" => cat.push("web"),
            "firewall" | "iptables" | "pix" | "cisco_ios" => cat.push("network"),
            "adduser" | "addgroup" | "account_changed" | "group_changed" | "userdel"
            | "groupdel" | "policy_changed" => {
                cat.push("iam");
                typ.push("change");
            }
            "sca" => cat.push("configuration"),
            "vulnerability-detector" => {
                cat.push("vulnerability");
                typ.push("info");
            }
            "virus" | "malware" | "virustotal" | "yara" => cat.push("malware"),
            "sudo" | "process_monitor" | "audit_command" => cat.push("process"),
            "login_session" => cat.push("session"),
            _ => {}
        }
    }
    match file {
        Some(FileEvent::Added) => typ.push("creation"),
        Some(FileEvent::Modified) => typ.push("change"),
        Some(FileEvent::Deleted) => typ.push("deletion"),
        None => {}
    }
    if cat.is_empty() {
        cat.push("host");
    }
    if typ.is_empty() {
        typ.push("info");
    }
    ev.strs(F::EventCategory, cat.iter());
    // A Suricata alert has said allowed/denied already.
    if !(suricata && ev.has(F::EventType)) {
        ev.strs(F::EventType, typ.iter());
    }
    if let Some(o) = outcome {
        ev.str(F::EventOutcome, o);
    }
}

/// `rule.mitre.{id,tactic,technique}` → `threat.*`. Sub-techniques
/// (`T1110.001`) go to `threat.technique.subtechnique.*` with their parent
/// in `threat.technique.*`; names come from ATT&CK, falling back to Wazuh's.
pub(super) fn map_mitre(m: Value<'_, '_>, ev: &mut Event) {
    // Wazuh 4 writes id/tactic/technique; some 3.x builds wrote plurals.
    let ids = m.get("id").or_else(|| m.get("ids"));
    let names = m.get("technique").or_else(|| m.get("techniques"));
    let mut tech_id: List<'_, 12> = List::default();
    let mut tech_name: List<'_, 12> = List::default();
    let mut sub_id: List<'_, 12> = List::default();
    let mut sub_name: List<'_, 12> = List::default();
    let mut tactic_id: List<'static, 14> = List::default();
    let mut tactic_name: List<'static, 14> = List::default();
    let mut table_tactics: List<'static, 14> = List::default();
    let wazuh_name = |i: usize| names.and_then(|n| n.get_idx(i)).and_then(tape::str_of);
    for (i, id) in ids.into_iter().flat_map(tape::strs).enumerate() {
        let id = id.trim();
        match attack::technique(id) {
            Some(t) => {
                for ta in t.tactic_ids.split(',') {
                    table_tactics.push(ta);
                }
                match t.parent.and_then(attack::technique) {
                    Some(parent) => {
                        tech_id.push(parent.id);
                        tech_name.push(parent.name);
                        sub_id.push(t.id);
                        sub_name.push(t.name);
                    }
                    None => {
                        tech_id.push(t.id);
                        tech_name.push(t.name);
                    }
                }
            }
            None => {
                // Not in the embedded ATT&CK tables: keep what Wazuh said.
                match id.split_once('.') {
                    Some((parent, _)) => {
                        tech_id.push(parent);
                        sub_id.push(id);
                        if let Some(n) = wazuh_name(i) {
                            sub_name.push(n);
                        }
                    }
                    None => {
                        tech_id.push(id);
                        if let Some(n) = wazuh_name(i) {
                            tech_name.push(n);
                        }
                    }
                }
            }
        }
    }
    let tactics = m.get("tactic").or_else(|| m.get("tactics"));
    for name in tactics.into_iter().flat_map(tape::strs) {
        if let Some(t) = attack::tactic_by_name(name) {
            tactic_id.push(t.id);
            tactic_name.push(t.name);
        }
    }
    if tactic_id.is_empty() {
        for id in table_tactics.iter() {
            if let Some(t) = attack::tactic_by_id(id) {
                tactic_id.push(t.id);
                tactic_name.push(t.name);
            }
        }
    }
    if tech_id.is_empty() && tactic_id.is_empty() {
        return;
    }
    ev.str(F::ThreatFramework, "MITRE ATT&CK");
    ev.strs(F::ThreatTechniqueId, tech_id.iter());
    ev.strs(F::ThreatTechniqueName, tech_name.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueId, sub_id.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueName, sub_name.iter());
    ev.strs(F::ThreatTacticId, tactic_id.iter());
    ev.strs(F::ThreatTacticName, tactic_name.iter());
}
