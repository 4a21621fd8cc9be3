//! What an input's name says: the artifact and source (export names,
//! datastore paths, dotted names), and client, flow and hunt ids.

use super::Settings;

/// What an input's name says about the rows in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileHint {
    pub artifact: Option<String>,
    pub source: Option<String>,
    pub client_id: Option<String>,
    pub flow_id: Option<String>,
    pub hunt_id: Option<String>,
}

/// The first segment of every artifact name in Velociraptor's repository
/// (and `Custom.` for site-made ones).
const CATEGORIES: &[&str] = &[
    "Windows",
    "Linux",
    "MacOS",
    "Generic",
    "Server",
    "System",
    "Custom",
    "Exchange",
    "Admin",
    "Demo",
    "Network",
    "Elastic",
    "Reporting",
    "Triage",
    "Splunk",
    "Notebooks",
];

fn is_client_id(s: &str) -> bool {
    s.len() > 2 && s.starts_with("C.") && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `F.BSJMEJIPT6P9I`, `H.49ba8939`: long enough not to be mistaken for a
/// dotted word in some other log's name (`conn.F.log`).
fn is_flow_or_hunt_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|id| id.len() >= 8 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}

impl FileHint {
    /// Reads an input's name. None if nothing in it says Velociraptor.
    pub fn from_name(name: &str) -> Option<FileHint> {
        let mut h = FileHint::default();
        // `hunt-export.zip:results/…json`: the member path is what counts.
        let path = name.rsplit_once(".zip:").map_or(name, |(_, m)| m);
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        for (i, c) in comps.iter().enumerate() {
            if is_client_id(c) {
                h.client_id = Some(c.to_string());
            } else if is_flow_or_hunt_id(c, "F.") {
                h.flow_id = Some(c.to_string());
            } else if is_flow_or_hunt_id(c, "H.") {
                h.hunt_id = Some(c.to_string());
            }
            // Datastore layout: artifacts/<Artifact>/<flow>/<Source>.json,
            // monitoring/<Artifact>/<date>.json.
            if matches!(*c, "artifacts" | "monitoring" | "monitoring_logs")
                && let Some(a) = comps.get(i + 1)
                && i + 2 < comps.len()
                && CATEGORIES.contains(&a.split('.').next().unwrap_or(""))
            {
                h.artifact = Some(a.to_string());
                if *c == "artifacts" && i + 3 < comps.len() {
                    h.source = Some(stem(comps[comps.len() - 1]).to_string());
                }
            }
        }
        let base = comps.last().copied().unwrap_or("");
        let decoded = base.replace("%2F", "/").replace("%2f", "/");
        let st = stem(&decoded);
        if h.artifact.is_none() {
            let (art, src) = artifact_from_stem(st, &mut h);
            h.artifact = art;
            if h.source.is_none() {
                h.source = src;
            }
        } else {
            // Still pick up flow/hunt markers in a dotted base name.
            let _ = artifact_from_stem(st, &mut FileHint::default());
        }
        let found = h.artifact.is_some()
            || h.client_id.is_some()
            || h.flow_id.is_some()
            || h.hunt_id.is_some();
        found.then_some(h)
    }

    /// The artifact and source to use, by precedence: `--artifact`, the
    /// file's name, the row's `_Source`.
    pub(super) fn resolve<'a>(
        settings: &'a Settings,
        hint: Option<&'a FileHint>,
        row_source: Option<&'a str>,
    ) -> (Option<&'a str>, Option<&'a str>) {
        let split = |s: &'a str| match s.split_once('/') {
            Some((a, src)) => (Some(a), Some(src).filter(|x| !x.is_empty())),
            None => (Some(s), None),
        };
        if let Some(a) = settings.artifact.as_deref() {
            return split(a);
        }
        if let Some(h) = hint
            && let Some(a) = h.artifact.as_deref()
        {
            return (Some(a), h.source.as_deref());
        }
        match row_source {
            Some(s) => split(s),
            None => (None, None),
        }
    }
}

fn stem(s: &str) -> &str {
    let s = s.strip_suffix(".gz").unwrap_or(s);
    s.strip_suffix(".jsonl")
        .or_else(|| s.strip_suffix(".json"))
        .unwrap_or(s)
}

/// `Windows.Network.NetstatEnriched/Netstat` (a decoded export name), or a
/// dotted name with the artifact somewhere inside:
/// `evtx.q00.Windows.EventLogs.RDPAuth`, `monitoring.Windows.Events.ProcessCreation.2019-10-25`,
/// `Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I`. Without a `/`,
/// an artifact is taken to be three segments long (Category.Area.Name, as
/// nearly all of Velociraptor's are) and a fourth to name the source.
fn artifact_from_stem(st: &str, h: &mut FileHint) -> (Option<String>, Option<String>) {
    if let Some((a, s)) = st.split_once('/') {
        let a = a.rsplit_once(".zip:").map_or(a, |(_, x)| x);
        if let Some(start) = a.split('.').position(|seg| CATEGORIES.contains(&seg)) {
            let art: Vec<&str> = a.split('.').skip(start).collect();
            return (
                Some(art.join(".")),
                Some(s.to_string()).filter(|s| !s.is_empty()),
            );
        }
    }
    let segs: Vec<&str> = st.split('.').collect();
    let mut i = 0;
    let mut art: Vec<&str> = Vec::new();
    while i < segs.len() {
        let s = segs[i];
        if (s == "F" || s == "H") && i + 1 < segs.len() && is_flow_or_hunt_id(segs[i + 1], "") {
            let id = format!("{s}.{}", segs[i + 1]);
            if s == "F" {
                h.flow_id = Some(id);
            } else {
                h.hunt_id = Some(id);
            }
            i += 2;
            continue;
        }
        if s == "C" && i + 1 < segs.len() && is_client_id(&format!("C.{}", segs[i + 1])) {
            h.client_id = Some(format!("C.{}", segs[i + 1]));
            i += 2;
            continue;
        }
        if art.is_empty() {
            if CATEGORIES.contains(&s) && i + 2 < segs.len() {
                art.push(s);
            }
        } else if !is_date(s) && art.len() < 4 {
            art.push(s);
        }
        i += 1;
    }
    match art.len() {
        0..=2 => (None, None),
        3 => (Some(art.join(".")), None),
        _ => (Some(art[..3].join(".")), Some(art[3..].join("."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(name: &str) -> FileHint {
        FileHint::from_name(name).unwrap_or_else(|| panic!("no hint from {name}"))
    }

    #[test]
    fn artifact_names_from_file_names() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "hunt-export.zip:results/Windows.Network.NetstatEnriched%2FNetstat.json",
                Some("Windows.Network.NetstatEnriched"),
                Some("Netstat"),
            ),
            (
                "out/results/Linux.Sys.Pslist.json",
                Some("Linux.Sys.Pslist"),
                None,
            ),
            (
                "testdata/velociraptor/datastore/Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json",
                Some("Windows.Network.NetstatEnriched"),
                Some("Netstat"),
            ),
            (
                "evtx.q00.Windows.EventLogs.RDPAuth.jsonl",
                Some("Windows.EventLogs.RDPAuth"),
                None,
            ),
            (
                "monitoring.Windows.Events.ProcessCreation.2019-10-25.json",
                Some("Windows.Events.ProcessCreation"),
                None,
            ),
            (
                "clients/C.4f5e52adf0a337a9/artifacts/Windows.Network.NetstatEnriched/F.BSJMEJIPT6P9I/Netstat.json",
                Some("Windows.Network.NetstatEnriched"),
                Some("Netstat"),
            ),
            ("collection-logs.F.BSJMEJIPT6P9I.json", None, None),
        ];
        for (name, art, src) in cases {
            let h = hint(name);
            assert_eq!(h.artifact.as_deref(), *art, "{name}");
            assert_eq!(h.source.as_deref(), *src, "{name}");
        }
        assert_eq!(
            hint("clients/C.4f5e52adf0a337a9/monitoring/Windows.Events.ProcessCreation/2019-10-25.json")
                .client_id
                .as_deref(),
            Some("C.4f5e52adf0a337a9")
        );
        assert!(FileHint::from_name("eve.json").is_none());
        assert!(FileHint::from_name("conn.log").is_none());
        assert!(FileHint::from_name("conn.F.log").is_none());
        assert!(FileHint::from_name("2024-01-01.H.json").is_none());
    }
}
