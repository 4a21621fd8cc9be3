//! MITRE ATT&CK names for the ids that rule metadata carries.
//!
//! Emerging Threats writes `mitre_technique_name Exploit_Public_Facing_Application`;
//! an analyst searches for "Exploit Public-Facing Application". The names
//! come from the ATT&CK Enterprise tables in `testdata/attack/` (derived from
//! mitre/cti), embedded at build time and indexed once.

use std::sync::LazyLock;

const TECHNIQUES_TSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/attack/enterprise-techniques.tsv"
));
const TACTICS_TSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/attack/enterprise-tactics.tsv"
));

/// (id, name) sorted by id, for techniques and sub-techniques alike.
static TECHNIQUES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let mut v: Vec<_> = two_columns(TECHNIQUES_TSV, 0, 1).collect();
    v.sort_unstable_by_key(|&(id, _)| id);
    v
});

/// (id, shortname, name) in matrix order; 14 rows, scanned linearly.
static TACTICS: LazyLock<Vec<(&'static str, &'static str, &'static str)>> = LazyLock::new(|| {
    TACTICS_TSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?, c.next()?, c.next()?))
        })
        .collect()
});

fn two_columns(
    tsv: &'static str,
    a: usize,
    b: usize,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    tsv.lines().skip(1).filter_map(move |l| {
        let mut cols = l.split('\t');
        let x = cols.clone().nth(a)?;
        let y = cols.nth(b)?;
        Some((x, y))
    })
}

/// The ATT&CK name of a technique or sub-technique id (`T1190`, `T1059.001`).
pub fn technique_name(id: &str) -> Option<&'static str> {
    let t = &*TECHNIQUES;
    t.binary_search_by(|&(k, _)| k.cmp(id)).ok().map(|i| t[i].1)
}

/// The name of a tactic id (`TA0001` → `Initial Access`).
pub fn tactic_name(id: &str) -> Option<&'static str> {
    TACTICS.iter().find(|t| t.0 == id).map(|t| t.2)
}

/// A tactic by any spelling of its name (`Initial_Access`, `initial-access`,
/// `Initial Access`) → (id, name).
pub fn tactic_by_name(name: &str) -> Option<(&'static str, &'static str)> {
    TACTICS
        .iter()
        .find(|t| same_words(t.1, name) || same_words(t.2, name))
        .map(|t| (t.0, t.2))
}

/// Equal ignoring ASCII case and treating `_`, `-` and space alike.
fn same_words(a: &str, b: &str) -> bool {
    let norm = |c: u8| match c {
        b'_' | b'-' | b' ' => b' ',
        c => c.to_ascii_lowercase(),
    };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| norm(x) == norm(y))
}

/// `T1059.001` → Some(("T1059", "T1059.001")); `T1190` → None.
pub fn split_subtechnique(id: &str) -> Option<(&str, &str)> {
    let b = id.as_bytes();
    let ok = b.len() == 9
        && b[0] == b'T'
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b'.'
        && b[6..].iter().all(u8::is_ascii_digit);
    // All ASCII, so byte 5 is a char boundary.
    ok.then(|| (&id[..5], id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_catalogue() {
        let cases = [
            ("T1190", Some("Exploit Public-Facing Application")),
            ("T1059.001", Some("PowerShell")),
            ("T1110", Some("Brute Force")),
            ("T9999", None),
            ("", None),
        ];
        for (id, want) in cases {
            assert_eq!(technique_name(id), want, "{id}");
        }
        assert_eq!(tactic_name("TA0001"), Some("Initial Access"));
        assert_eq!(tactic_name("TA0011"), Some("Command and Control"));
        assert_eq!(
            tactic_by_name("Command_And_Control"),
            Some(("TA0011", "Command and Control"))
        );
        assert_eq!(
            tactic_by_name("credential-access"),
            Some(("TA0006", "Credential Access"))
        );
        assert_eq!(tactic_by_name("Nonsense"), None);
        assert_eq!(
            split_subtechnique("T1059.001"),
            Some(("T1059", "T1059.001"))
        );
        assert_eq!(split_subtechnique("T1059"), None);
        assert_eq!(split_subtechnique("T1059.0é"), None);
    }
}
