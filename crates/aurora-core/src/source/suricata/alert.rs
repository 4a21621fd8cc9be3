//! EVE `alert` objects: rule, action, severity and ATT&CK metadata
//! (`threat.*`), and what of the alert stays under `suricata.eve.alert`.

use super::apps::{Few, each_str};
use super::attack;
use super::out;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use crate::time;
use simd_json::prelude::*;

/// What the rest of the mapping needs from `alert`.
#[derive(Default)]
pub(super) struct AlertInfo<'i> {
    pub severity: u8,
    pub action: Option<&'i str>,
}

/// A name to write: from the ATT&CK catalogue, or as the rule spelt it
/// (`_` for spaces).
#[derive(Clone, Copy, PartialEq)]
enum Name<'i> {
    Catalogue(&'static str),
    Rule(&'i str),
}

fn write_names<'i>(b: &mut Vec<u8>, names: impl Iterator<Item = Name<'i>>) {
    b.push(b'[');
    for (i, n) in names.enumerate() {
        if i > 0 {
            b.push(b',');
        }
        match n {
            Name::Catalogue(s) => json::write_str(b, s),
            Name::Rule(s) => out::write_underscored(b, s),
        }
    }
    b.push(b']');
}

/// rule.*, message, event.action, severity and threat.* from `alert`.
pub(super) fn alert<'i>(ev: &mut Event, a: Value<'_, 'i>) -> AlertInfo<'i> {
    let mut info = AlertInfo::default();
    let Some(o) = a.as_object() else { return info };
    let mut raw_severity = None;
    let mut metadata = None;
    for (k, v) in o.iter() {
        match k {
            "signature_id" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.with(F::RuleId, |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            "signature" => {
                if let Some(s) = v.into_string() {
                    ev.str_nonempty(F::RuleName, s);
                }
            }
            "category" => {
                if let Some(s) = v.into_string().filter(|s| !s.is_empty()) {
                    ev.str(F::RuleCategory, s);
                    ev.str(F::Message, s);
                }
            }
            "action" => {
                if let Some(s) = v.into_string() {
                    ev.str_nonempty(F::EventAction, s);
                    info.action = Some(s);
                }
            }
            "severity" => raw_severity = tape::i64_of(v),
            "metadata" if !tape::is_null(v) => metadata = Some(v),
            _ => {}
        }
    }
    // DESIGN.md: Suricata's 1 is the most severe.
    info.severity = match raw_severity {
        Some(1) => 4,
        Some(2) => 3,
        Some(3) => 2,
        Some(s) if s >= 4 => 1,
        _ => 0,
    };
    if let Some(md) = metadata
        && metadata_fields(ev, md)
    {
        info.severity = 5;
    }
    info
}

/// threat.* and file.name from an alert's `metadata`; true when its
/// `signature_severity` is Critical (DESIGN.md's severity 5).
pub(super) fn metadata_fields(ev: &mut Event, md: Value<'_, '_>) -> bool {
    let Some(mo) = md.as_object() else {
        ev.warn(format!(
            "alert.metadata is {}, expected an object of string arrays; kept as is",
            super::describe(md)
        ));
        return false;
    };
    let mut critical = false;
    let mut tactic_ids: Few<&str, 8> = Few::default();
    let mut tactic_names: Few<&str, 8> = Few::default();
    let mut tech_ids: Few<&str, 8> = Few::default();
    let mut tech_names: Few<&str, 8> = Few::default();
    let mut odd = None;
    for (k, v) in mo.iter() {
        if !(v.is_array() || v.into_string().is_some() || tape::is_null(v)) {
            odd = Some(k);
        }
        match k {
            "mitre_tactic_id" => each_str(v).for_each(|s| tactic_ids.push(s.trim())),
            "mitre_tactic_name" => each_str(v).for_each(|s| tactic_names.push(s.trim())),
            "mitre_technique_id" => each_str(v).for_each(|s| tech_ids.push(s.trim())),
            "mitre_technique_name" => each_str(v).for_each(|s| tech_names.push(s.trim())),
            // Elastic's older key: tactic ids, sometimes technique ids.
            "mitre_attack" => each_str(v).for_each(|s| {
                let s = s.trim();
                if s.starts_with("TA") {
                    tactic_ids.push(s)
                } else if s.starts_with('T') {
                    tech_ids.push(s)
                }
            }),
            "signature_severity"
                if each_str(v).any(|s| s.trim().eq_ignore_ascii_case("critical")) =>
            {
                critical = true;
            }
            "filename" => {
                if let Some(s) = each_str(v).next() {
                    ev.str_nonempty(F::FileName, s);
                }
            }
            _ => {}
        }
    }
    if let Some(k) = odd {
        ev.warn(format!(
            "alert.metadata.{k} is not an array of strings; kept as is"
        ));
    }
    threat(ev, &tactic_ids, &tactic_names, &tech_ids, &tech_names);
    critical
}

/// threat.* from the mitre_* metadata, names taken from the ATT&CK
/// catalogue where the id is known.
fn threat(
    ev: &mut Event,
    tactic_ids: &Few<&str, 8>,
    tactic_names: &Few<&str, 8>,
    tech_ids: &Few<&str, 8>,
    tech_names: &Few<&str, 8>,
) {
    if tactic_ids.len() + tactic_names.len() + tech_ids.len() + tech_names.len() == 0 {
        return;
    }
    ev.str(F::ThreatFramework, "MITRE ATT&CK");

    let mut t_ids: Few<&str, 8> = Few::default();
    let mut t_names: Few<Name, 8> = Few::default();
    for i in 0..tactic_ids.len().max(tactic_names.len()) {
        let (id, name) = (tactic_ids.get(i), tactic_names.get(i));
        let by_name = name.and_then(attack::tactic_by_name);
        let id = id.or(by_name.map(|t| t.0));
        if let Some(id) = id {
            t_ids.push(id);
        }
        let name = id
            .and_then(attack::tactic_name)
            .or(by_name.map(|t| t.1))
            .map(Name::Catalogue)
            .or(name.map(Name::Rule));
        if let Some(n) = name {
            t_names.push(n);
        }
    }
    if t_ids.len() > 0 {
        ev.strs(F::ThreatTacticId, t_ids.iter());
    }
    if t_names.len() > 0 {
        ev.with(F::ThreatTacticName, |b| write_names(b, t_names.iter()));
    }

    let mut ids: Few<&str, 8> = Few::default();
    let mut names: Few<Name, 8> = Few::default();
    let mut sub_ids: Few<&str, 8> = Few::default();
    let mut sub_names: Few<Name, 8> = Few::default();
    for i in 0..tech_ids.len().max(tech_names.len()) {
        let raw = tech_names.get(i).map(Name::Rule);
        match tech_ids.get(i) {
            Some(id) => match attack::split_subtechnique(id) {
                Some((parent, sub)) => {
                    if ids.iter().all(|x| x != parent) {
                        ids.push(parent);
                        if let Some(n) = attack::technique_name(parent) {
                            names.push(Name::Catalogue(n));
                        }
                    }
                    sub_ids.push(sub);
                    if let Some(n) = attack::technique_name(sub).map(Name::Catalogue).or(raw) {
                        sub_names.push(n);
                    }
                }
                None => {
                    if ids.iter().all(|x| x != id) {
                        ids.push(id);
                        if let Some(n) = attack::technique_name(id).map(Name::Catalogue).or(raw) {
                            names.push(n);
                        }
                    }
                }
            },
            None => {
                if let Some(n) = raw {
                    names.push(n);
                }
            }
        }
    }
    if ids.len() > 0 {
        ev.strs(F::ThreatTechniqueId, ids.iter());
    }
    if names.len() > 0 {
        ev.with(F::ThreatTechniqueName, |b| write_names(b, names.iter()));
    }
    if sub_ids.len() > 0 {
        ev.strs(F::ThreatTechniqueSubtechniqueId, sub_ids.iter());
    }
    if sub_names.len() > 0 {
        ev.with(F::ThreatTechniqueSubtechniqueName, |b| {
            write_names(b, sub_names.iter())
        });
    }
}

/// Metadata keys Elastic lifts from `alert.metadata` to `alert` itself.
const METADATA_LIFTED: &[&str] = &[
    "protocols",
    "attack_target",
    "capec_id",
    "cwe_id",
    "malware",
    "cve",
    "cvss_v2_base",
    "cvss_v2_temporal",
    "cvss_v3_base",
    "cvss_v3_temporal",
    "priority",
    "hostile",
    "infected",
    "classtype",
    "rule_source",
    "sid",
];

/// Metadata keys that became ECS fields (threat.*, file.name).
fn metadata_mapped(k: &str) -> bool {
    k.starts_with("mitre_") || k == "filename"
}

/// `suricata.eve.alert` as Elastic leaves it: without `action` (now
/// event.type/event.action), with the well-known metadata keys lifted one
/// level up, `created_at`/`updated_at` as dates, and the rest of the
/// metadata under `alert.metadata`. `severity` stays: DESIGN.md keeps the
/// sensor's own value next to the normalized one.
pub(super) fn write_eve_alert(b: &mut Vec<u8>, first: &mut bool, a: Value<'_, '_>) {
    out::key(b, first, "alert");
    b.push(b'{');
    let mut inner = true;
    let mut md = None;
    if let Some(o) = a.as_object() {
        for (k, v) in o.iter() {
            if tape::is_null(v) || k == "action" {
                continue;
            }
            if k == "metadata" && v.is_object() {
                md = Some(v);
                continue;
            }
            out::key(b, &mut inner, k);
            out::write_clean(b, v);
        }
    }
    if let Some(mo) = md.and_then(|m| m.as_object()) {
        let mut rest = false;
        for (k, v) in mo.iter() {
            if tape::is_null(v) || metadata_mapped(k) {
                continue;
            }
            if METADATA_LIFTED.contains(&k) {
                out::key(b, &mut inner, k);
                out::write_clean(b, v);
            } else if (k == "created_at" || k == "updated_at")
                && let Some(t) = each_str(v).next().and_then(rule_date)
            {
                out::key(b, &mut inner, k);
                time::write_rfc3339_micros(b, t);
            } else {
                rest = true;
            }
        }
        if rest {
            out::key(b, &mut inner, "metadata");
            b.push(b'{');
            let mut m_first = true;
            for (k, v) in mo.iter() {
                let dated = (k == "created_at" || k == "updated_at")
                    && each_str(v).next().and_then(rule_date).is_some();
                if tape::is_null(v) || metadata_mapped(k) || METADATA_LIFTED.contains(&k) || dated {
                    continue;
                }
                out::key(b, &mut m_first, k);
                out::write_clean(b, v);
            }
            b.push(b'}');
        }
    }
    b.push(b'}');
}

/// ET writes rule dates as `2010_09_23` (or `2010-09-23`).
fn rule_date(s: &str) -> Option<time::Micros> {
    let b = s.as_bytes();
    if b.len() != 10 || !matches!(b[4], b'_' | b'-') || b[7] != b[4] {
        return None;
    }
    let n = |r: std::ops::Range<usize>| super::num(&b[r]);
    time::from_civil(n(0..4)? as i64, n(5..7)?, n(8..10)?, 0, 0, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_dates() {
        assert_eq!(
            rule_date("2010_09_23")
                .map(time::format_rfc3339_micros)
                .as_deref(),
            Some("2010-09-23T00:00:00.000000Z")
        );
        assert_eq!(rule_date("2010_09-23"), None);
        assert_eq!(rule_date("2010_13_23"), None);
    }
}
