//! Velociraptor result rows (artifact results, hunt results, event
//! monitoring, export zips) → ECS.
//!
//! Rows are free-form: their columns are whatever the artifact's VQL
//! selected. What a row means therefore comes from the artifact's name,
//! which is taken from `--artifact`, else the input's name (an export's
//! `results/<Artifact>%2F<Source>.json`, a datastore path
//! `artifacts/<Artifact>/<flow>/<Source>.json`, or a dotted name such as
//! `Windows.Network.NetstatEnriched.Netstat.F.BSJMEJIPT6P9I.json`), else
//! the row's own `_Source` column.
//!
//! `event.dataset` is `velociraptor.<Artifact>` for an artifact's default
//! source and `velociraptor.<Artifact>/<Source>` for a named source: the
//! `Artifact/Source` spelling is Velociraptor's own (`source(artifact=…)`).
//! The row itself is kept whole as `velociraptor.row`, beside
//! `velociraptor.{artifact,source,client_id,flow_id,hunt_id}`.

use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::reject::RecordError;
use crate::source::tape::{self, Value};
use crate::source::util::Related;

mod columns;
mod names;
mod when;

use columns::Mapped;
pub use names::FileHint;
use when::{GENERIC_TIME_COLUMNS, get_path, time_columns, time_of};

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--artifact`: the artifact name when neither file name nor row says.
    /// `Artifact/Source` names a source.
    pub artifact: Option<String>,
}

/// What kind of rows an artifact produces, which decides what ambiguous
/// columns such as `Name` mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
    ProcessCreation,
    Processes,
    Netstat,
    EventLog,
    Sigma,
    Users,
    Groups,
    Logins,
    Files,
    Hosts,
    Journal,
    Packages,
    Keys,
    Logs,
    Other,
}

fn class_of(artifact: &str) -> Class {
    let name = artifact.rsplit('.').next().unwrap_or(artifact);
    let has = |s: &str| artifact.contains(s);
    if has("Sigma") {
        Class::Sigma
    } else if has("Netstat") {
        Class::Netstat
    } else if has("ProcessCreation") || has("ProcessStart") {
        Class::ProcessCreation
    } else if has("Pslist") || has("Pstree") || has("Process") {
        Class::Processes
    } else if has("EventLogs") || has("Evtx") || has("EventLog") {
        Class::EventLog
    } else if has("LastUserLogin") || has("Logon") || has("Login") {
        Class::Logins
    } else if name == "Users" || has("Sys.Users") || has("LocalAdmins") {
        Class::Users
    } else if name == "Groups" {
        Class::Groups
    } else if has("HostsFile") {
        Class::Hosts
    } else if has("Journal") {
        Class::Journal
    } else if has("Packages") || has("Chocolatey") || has("Debian.Packages") || has("RPM") {
        Class::Packages
    } else if has("AuthorizedKeys") || has("KnownHosts") {
        Class::Keys
    } else if has("HashHunter")
        || has("FileFinder")
        || has("Glob")
        || has("PrivateKeys")
        || has("LogHunter")
        || has("Hash")
        || has("Upload")
        || has("Yara")
    {
        Class::Files
    } else if has("Client.Stats") || artifact.ends_with("Logs") {
        Class::Logs
    } else {
        Class::Other
    }
}

/// `Sigma` rule levels to `event.severity`.
pub(super) fn sigma_severity(level: &str) -> u8 {
    match level.to_ascii_lowercase().as_str() {
        "informational" | "info" => 1,
        "low" => 2,
        "medium" => 3,
        "high" => 4,
        "critical" => 5,
        _ => 0,
    }
}

/// "null" is how several EVTX artifacts write a missing value.
pub(super) fn present(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s != "null" && s != "-").then_some(s)
}

/// `::ffff:192.168.63.1` (Windows' v4-mapped form) to `192.168.63.1`.
pub(super) fn unmap_v4(ip: &str) -> &str {
    match ip.strip_prefix("::ffff:") {
        Some(v4) if v4.contains('.') => v4,
        _ => ip,
    }
}

/// Maps one row. `hint` is what the input's name said.
pub fn normalize(
    root: Value<'_, '_>,
    settings: &Settings,
    hint: Option<&FileHint>,
    ev: &mut Event,
) -> Result<(), RecordError> {
    let row = root.as_object().ok_or_else(|| {
        RecordError::new("Velociraptor row is not a JSON object (rows are objects)")
    })?;
    let row_source = row.get("_Source").and_then(tape::str_of);
    let (artifact, source) = FileHint::resolve(settings, hint, row_source);
    let class = artifact.map_or(Class::Other, class_of);

    ev.set_module("velociraptor");
    match (artifact, source) {
        (Some(a), Some(s)) => ev.with(F::EventDataset, |b| {
            b.push(b'"');
            b.extend_from_slice(b"velociraptor.");
            json::escape_into(b, a.as_bytes());
            b.push(b'/');
            json::escape_into(b, s.as_bytes());
            b.push(b'"');
        }),
        (Some(a), None) => ev.with(F::EventDataset, |b| {
            b.extend_from_slice(b"\"velociraptor.");
            json::escape_into(b, a.as_bytes());
            b.push(b'"');
        }),
        _ => ev.str(F::EventDataset, "velociraptor.rows"),
    }
    ev.str(F::ObserverVendor, "Velocidex");
    ev.str(F::ObserverProduct, "Velociraptor");

    let mut rel = Related::default();
    let mut m = Mapped::default();
    for (k, v) in row.iter() {
        m.column(k, v, class, ev, &mut rel);
    }
    let client_id = m.client_id.or(hint.and_then(|h| h.client_id.as_deref()));
    if let Some(c) = client_id {
        ev.str(F::HostId, c);
    }
    if let Some(h) = m.host {
        ev.str(F::HostName, h);
        rel.hosts.push(h);
    }
    if let Some(u) = m.user {
        let (domain, name) = match u.split_once('\\') {
            Some((d, n)) if !n.is_empty() => (Some(d), n),
            _ => (m.domain, u),
        };
        ev.str(F::UserName, name);
        rel.user.push(name);
        if let Some(d) = domain {
            ev.str(F::UserDomain, d);
        }
    }

    // Time: the artifact's own column, the usual ones, then any plausible.
    let mut when = artifact
        .into_iter()
        .flat_map(time_columns)
        .chain(GENERIC_TIME_COLUMNS)
        .find_map(|c| get_path(root, c).and_then(time_of));
    if when.is_none() {
        when = row
            .iter()
            .filter(|(k, _)| {
                let l = k.as_bytes();
                contains_ci(l, b"time") || contains_ci(l, b"date") || k.ends_with("_ts")
            })
            .find_map(|(_, v)| time_of(v));
    }
    if let Some(t) = when {
        ev.time(F::Timestamp, t);
    }

    let (kind, cats, types): (&str, &[&str], &[&str]) = match class {
        Class::ProcessCreation => ("event", &["process"], &["start"]),
        Class::Processes => ("state", &["process"], &["info"]),
        Class::Netstat => ("state", &["network", "process"], &["connection", "info"]),
        Class::EventLog if m.auth => ("event", &["authentication"], &["info"]),
        Class::EventLog => ("event", &["host"], &["info"]),
        Class::Sigma => ("alert", &["intrusion_detection"], &["info"]),
        Class::Users => ("state", &["iam"], &["user", "info"]),
        Class::Groups => ("state", &["iam"], &["group", "info"]),
        Class::Logins => ("event", &["authentication", "session"], &["start"]),
        Class::Files => ("state", &["file"], &["info"]),
        Class::Hosts | Class::Keys => ("state", &["configuration"], &["info"]),
        Class::Journal => ("event", &["host"], &["info"]),
        Class::Packages => ("state", &["package"], &["info"]),
        Class::Logs => ("event", &["host"], &["info"]),
        Class::Other => ("event", &["host"], &["info"]),
    };
    ev.str(F::EventKind, kind);
    ev.strs(F::EventCategory, cats.iter().copied());
    ev.strs(F::EventType, types.iter().copied());
    if class == Class::Logins {
        ev.str(F::EventOutcome, "success");
    }
    if m.log_cleared {
        ev.str(F::EventAction, "audit-log-cleared");
    }
    ev.severity(if m.severity > 0 { m.severity } else { 1 });
    rel.write(ev);

    ev.with(F::Velociraptor, |b| {
        b.push(b'{');
        let put = |b: &mut Vec<u8>, k: &str, v: Option<&str>| {
            if let Some(v) = v {
                json::write_str(b, k);
                b.push(b':');
                json::write_str(b, v);
                b.push(b',');
            }
        };
        put(b, "artifact", artifact);
        put(b, "source", source);
        put(b, "client_id", client_id);
        put(
            b,
            "flow_id",
            m.flow_id.or(hint.and_then(|h| h.flow_id.as_deref())),
        );
        put(
            b,
            "hunt_id",
            m.hunt_id.or(hint.and_then(|h| h.hunt_id.as_deref())),
        );
        b.extend_from_slice(b"\"row\":");
        tape::write_value(b, root);
        b.push(b'}');
    });
    Ok(())
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}
