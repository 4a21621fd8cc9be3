//! MITRE ATT&CK Enterprise lookups: technique names, parents and tactics by
//! id, tactic ids by name.
//!
//! The tables are the project's derived copy of mitre/cti (ATT&CK v18.1,
//! `testdata/attack/*.tsv`), embedded so that parsers can name a technique a
//! sensor only gave by id (Wazuh rules carry `T1565.001` but name only the
//! sub-technique). They are parsed once, on first use.
//!
//! © The MITRE Corporation. This work is reproduced and distributed with the
//! permission of The MITRE Corporation.

use std::collections::HashMap;
use std::sync::OnceLock;

const TECHNIQUES_TSV: &str = include_str!("../../../testdata/attack/enterprise-techniques.tsv");
const TACTICS_TSV: &str = include_str!("../../../testdata/attack/enterprise-tactics.tsv");

/// One technique or sub-technique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Technique {
    pub id: &'static str,
    pub name: &'static str,
    /// The parent technique's id for a sub-technique (`T1110` for `T1110.001`).
    pub parent: Option<&'static str>,
    /// Tactic ids in matrix order, comma-separated (`TA0006,TA0003`).
    pub tactic_ids: &'static str,
    pub revoked: bool,
}

/// One tactic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tactic {
    pub id: &'static str,
    /// The Navigator's short name (`credential-access`).
    pub shortname: &'static str,
    pub name: &'static str,
}

struct Tables {
    techniques: HashMap<&'static str, Technique>,
    tactics: Vec<Tactic>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut techniques = HashMap::with_capacity(900);
        for line in TECHNIQUES_TSV.lines().skip(1) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            let [
                id,
                name,
                _sub,
                parent,
                _tactics,
                tactic_ids,
                _platforms,
                revoked,
                ..,
            ] = cols[..]
            else {
                continue;
            };
            techniques.insert(
                id,
                Technique {
                    id,
                    name,
                    parent: (!parent.is_empty()).then_some(parent),
                    tactic_ids,
                    revoked: revoked == "true",
                },
            );
        }
        let tactics = TACTICS_TSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut c = line.split('\t');
                Some(Tactic {
                    id: c.next()?,
                    shortname: c.next()?,
                    name: c.next()?,
                })
            })
            .collect();
        Tables {
            techniques,
            tactics,
        }
    })
}

/// The technique or sub-technique with this id (`T1110`, `T1110.001`),
/// case-insensitively.
pub fn technique(id: &str) -> Option<&'static Technique> {
    let t = tables();
    if let Some(x) = t.techniques.get(id) {
        return Some(x);
    }
    if id.bytes().any(|b| b.is_ascii_lowercase()) {
        return t.techniques.get(id.to_ascii_uppercase().as_str());
    }
    None
}

/// The tactic with this id (`TA0006`).
pub fn tactic_by_id(id: &str) -> Option<&'static Tactic> {
    tables()
        .tactics
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(id))
}

/// The tactic for a name in any of the spellings sensors use: Wazuh's
/// "Credential Access", ET metadata's "Credential_Access", the Navigator's
/// "credential-access". Case, spaces, `_` and `-` do not matter.
pub fn tactic_by_name(name: &str) -> Option<&'static Tactic> {
    let norm = |c: u8| match c {
        b' ' | b'_' => b'-',
        c => c.to_ascii_lowercase(),
    };
    let name = name.trim().as_bytes();
    tables().tactics.iter().find(|t| {
        t.shortname.len() == name.len()
            && t.shortname
                .bytes()
                .zip(name.iter())
                .all(|(a, &b)| a == norm(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_techniques_and_sub_techniques() {
        let t = technique("T1565.001").unwrap();
        assert_eq!(t.name, "Stored Data Manipulation");
        assert_eq!(t.parent, Some("T1565"));
        assert_eq!(
            technique(t.parent.unwrap()).unwrap().name,
            "Data Manipulation"
        );
        assert_eq!(technique("t1110").unwrap().name, "Brute Force");
        assert!(technique("T9999").is_none());
        assert!(tables().techniques.len() > 800);
    }

    #[test]
    fn tactic_names_in_every_spelling() {
        for n in [
            "Credential Access",
            "Credential_Access",
            "credential-access",
        ] {
            assert_eq!(tactic_by_name(n).unwrap().id, "TA0006", "{n}");
        }
        assert_eq!(tactic_by_name("Command and Control").unwrap().id, "TA0011");
        assert_eq!(tactic_by_id("TA0040").unwrap().name, "Impact");
        assert!(tactic_by_name("Credential").is_none());
        assert_eq!(tables().tactics.len(), 14);
    }
}
