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
use crate::source::util::{self, List, Related};
use crate::time::{self, Micros};
use simd_json::prelude::*;

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--artifact`: the artifact name when neither file name nor row says.
    /// `Artifact/Source` names a source.
    pub artifact: Option<String>,
}

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
    fn resolve<'a>(
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

/// What kind of rows an artifact produces, which decides what ambiguous
/// columns such as `Name` mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
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

/// Columns holding the event's time, per known artifact, checked before the
/// generic ones (which can name another time: `_ts` is when the server got
/// the row, not when the event happened).
fn time_columns(artifact: &str) -> &'static [&'static str] {
    match artifact {
        "Windows.Events.ProcessCreation" | "Windows.Network.NetstatEnriched" => &["Timestamp"],
        "Windows.Sigma.EventLogs" => &["System.TimeCreated.SystemTime", "EventData.UtcTime"],
        "Linux.Forensics.Journal" => &["System.Timestamp", "System.SOURCE_REALTIME_TIMESTAMP"],
        "Linux.Sys.LastUserLogin" => &["login_time"],
        "Windows.EventLogs.Cleared" => &["EventData.EventTime", "EventTime"],
        "Generic.Client.Stats" => &["_ts"],
        "Linux.Sys.Pslist" | "Windows.System.Pslist" | "Generic.System.Pstree" => {
            &["StartTime", "CreateTime"]
        }
        _ => &[],
    }
}

const GENERIC_TIME_COLUMNS: &[&str] = &[
    "EventTime",
    "Timestamp",
    "TimeCreated",
    "System.TimeCreated.SystemTime",
    "System.Timestamp",
    "EventData.EventTime",
    "Time",
    "time",
    "timestamp",
    "Mtime",
    "MTime",
    "LastLogin",
    "login_time",
    "StartTime",
    "CreateTime",
    "Created",
    "UtcTime",
    "started",
    "_ts",
];

/// 1990-01-01 and 2100-01-01: anything outside is not an event time.
const PLAUSIBLE: (Micros, Micros) = (631_152_000_000_000, 4_102_444_800_000_000);

/// A value at a dotted path: the flat key first (VQL `SELECT System.Timestamp`
/// produces the key `"System.Timestamp"`), then nested objects.
fn get_path<'t, 'i>(row: Value<'t, 'i>, path: &str) -> Option<Value<'t, 'i>> {
    if let Some(v) = row.get(path) {
        return Some(v);
    }
    let mut v = row;
    for seg in path.split('.') {
        v = v.get(seg)?;
    }
    Some(v)
}

/// Reads a time however Velociraptor wrote it: RFC 3339 strings, Go's
/// `2020-08-03 11:24:43 +1000 AEST`, zone-less strings (UTC, as VQL
/// writes them), epoch numbers in s/ms/µs/ns (also as digit strings), and
/// EVTX's `{"SystemTime": 1590282834.12}`.
fn time_of(v: Value<'_, '_>) -> Option<Micros> {
    let t = if let Some(s) = tape::str_of(v) {
        time_of_str(s)
    } else if let Some(st) = v.get("SystemTime") {
        time_of(st)
    } else if let Some(n) = v.as_i64() {
        epoch_any(n as i128)
    } else if let Some(n) = v.as_u64() {
        epoch_any(n as i128)
    } else if let Some(f) = v.as_f64() {
        if f.abs() < 1e11 {
            time::from_epoch_f64(f)
        } else {
            epoch_any(f as i128)
        }
    } else {
        None
    };
    t.filter(|t| (PLAUSIBLE.0..PLAUSIBLE.1).contains(t))
}

fn epoch_any(n: i128) -> Option<Micros> {
    let a = n.abs();
    let us = if a >= 100_000_000_000_000_000 {
        n / 1000
    } else if a >= 100_000_000_000_000 {
        n
    } else if a >= 100_000_000_000 {
        n * 1000
    } else {
        n * 1_000_000
    };
    i64::try_from(us).ok()
}

fn time_of_str(s: &str) -> Option<Micros> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(p) = time::parse_iso8601(s) {
        return Some(p.utc(0));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 20 {
        return epoch_any(s.parse::<i128>().ok()?);
    }
    if let Some(t) = s.contains('.').then(|| time::parse_epoch_secs(s)).flatten() {
        return Some(t);
    }
    // Go's time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
    let mut parts = s.split_ascii_whitespace();
    let (d, t, off) = (parts.next()?, parts.next()?, parts.next()?);
    let mut buf = [0u8; 64];
    let n = d.len() + 1 + t.len() + off.len();
    if n > buf.len() {
        return None;
    }
    buf[..d.len()].copy_from_slice(d.as_bytes());
    buf[d.len()] = b'T';
    buf[d.len() + 1..d.len() + 1 + t.len()].copy_from_slice(t.as_bytes());
    buf[d.len() + 1 + t.len()..n].copy_from_slice(off.as_bytes());
    let joined = std::str::from_utf8(&buf[..n]).ok()?;
    time::parse_iso8601(joined).map(|p| p.utc(0))
}

/// `Sigma` rule levels to `event.severity`.
fn sigma_severity(level: &str) -> u8 {
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
fn present(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s != "null" && s != "-").then_some(s)
}

/// `::ffff:192.168.63.1` (Windows' v4-mapped form) to `192.168.63.1`.
fn unmap_v4(ip: &str) -> &str {
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

/// What the columns said, gathered over one pass.
#[derive(Default)]
struct Mapped<'i> {
    host: Option<&'i str>,
    client_id: Option<&'i str>,
    flow_id: Option<&'i str>,
    hunt_id: Option<&'i str>,
    user: Option<&'i str>,
    /// Lower priority users (the subject when there is a target).
    domain: Option<&'i str>,
    severity: u8,
    auth: bool,
    log_cleared: bool,
}

impl<'i> Mapped<'i> {
    fn set_user(&mut self, u: &'i str, strong: bool) {
        if let Some(u) = present(u)
            && (strong || self.user.is_none())
        {
            self.user = Some(u);
        }
    }

    fn column(
        &mut self,
        k: &str,
        v: Value<'_, 'i>,
        class: Class,
        ev: &mut Event,
        rel: &mut Related<'i>,
    ) {
        let s = tape::str_of(v);
        match k {
            "Fqdn" | "Hostname" if class != Class::Hosts => {
                if let Some(h) = s.and_then(present) {
                    self.host = Some(h);
                }
            }
            "Computer" => {
                if let Some(h) = s.and_then(present) {
                    self.host.get_or_insert(h);
                }
            }
            "ClientId" | "client_id" => self.client_id = s.and_then(present),
            "FlowId" | "flow_id" => self.flow_id = s.and_then(present),
            "HuntId" | "hunt_id" => self.hunt_id = s.and_then(present),
            "Pid" | "PID" | "ProcessId" | "login_PID" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::ProcessPid, n);
                }
            }
            "Ppid" | "PPID" | "ParentProcessId" | "ParentPid" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::ProcessParentPid, n);
                }
            }
            "CommandLine" | "Cmdline" | "CmdLine" => {
                if let Some(c) = s.and_then(present) {
                    ev.str(F::ProcessCommandLine, c);
                }
            }
            "Exe" | "Image" | "Path"
                if matches!(
                    class,
                    Class::Processes | Class::ProcessCreation | Class::Netstat
                ) =>
            {
                if let Some(p) = s.and_then(present) {
                    ev.str(F::ProcessExecutable, p);
                }
            }
            "Name" => match (class, s.and_then(present)) {
                (Class::Processes | Class::ProcessCreation | Class::Netstat, Some(n)) => {
                    ev.str(F::ProcessName, n)
                }
                (Class::Files, Some(n)) => ev.str(F::FileName, n),
                (Class::Packages, Some(n)) => ev.dyn_str("package.name", n),
                (Class::Users, Some(n)) => self.set_user(n, false),
                _ => {}
            },
            "Version" if class == Class::Packages => {
                if let Some(n) = s.and_then(present) {
                    ev.dyn_str("package.version", n);
                }
            }
            "TargetUserName" | "login_User" => {
                if let Some(u) = s {
                    self.set_user(u, true)
                }
            }
            "Username" | "UserName" | "User" | "SubjectUserName" | "username" => {
                if let Some(u) = s {
                    self.set_user(u, false)
                }
            }
            "DomainName" | "TargetDomainName" | "SubjectDomainName" if self.domain.is_none() => {
                self.domain = s.and_then(present);
            }
            "Uid" | "UID" => {
                if let Some(u) = s.and_then(present) {
                    ev.str(F::UserId, u);
                } else if let Some(n) = tape::u64_of(v) {
                    ev.with(F::UserId, |b| write_num_str(b, n));
                }
            }
            "Gid" | "GID" => {
                if let Some(g) = s.and_then(present) {
                    ev.str(F::GroupId, g);
                } else if let Some(n) = tape::u64_of(v) {
                    ev.with(F::GroupId, |b| write_num_str(b, n));
                }
            }
            "Group" if class == Class::Groups => {
                if let Some(g) = s.and_then(present) {
                    ev.str(F::GroupName, g);
                }
            }
            "Members" => tape::strs(v).for_each(|u| rel.user.push(u)),
            "SourceIP" | "IpAddress" | "login_IpAddr" | "SrcIP" | "RemoteAddress" => {
                if let Some(ip) = s.and_then(present).map(unmap_v4) {
                    if util::set_addr(ev, F::SourceIp, F::SourceAddress, ip) {
                        rel.ip.push(ip);
                    }
                }
            }
            "IpPort" | "SourcePort" => {
                if let Some(p) = tape::u64_of(v).filter(|p| *p <= 65535) {
                    ev.u64(F::SourcePort, p);
                }
            }
            "login_Host" => {
                if let Some(h) = s.and_then(present).filter(|h| !util::is_ip(h)) {
                    ev.str(F::SourceDomain, h);
                    rel.hosts.push(h);
                }
            }
            "EventID" => {
                let id = tape::u64_of(v).or_else(|| v.get("Value").and_then(tape::u64_of));
                if let Some(id) = id {
                    ev.with(F::EventCode, |b| write_num_str(b, id));
                    self.auth |= matches!(
                        id,
                        4624 | 4625 | 4634 | 4647 | 4648 | 4768 | 4769 | 4771 | 4776 | 21
                            ..=25 | 1149
                    );
                    self.log_cleared |= matches!(id, 104 | 1102);
                }
            }
            "ClearedLog" => self.log_cleared = true,
            "Description" if class == Class::EventLog => {
                if let Some(d) = s.and_then(present) {
                    ev.str(F::EventAction, d);
                }
            }
            "ServiceName" if class == Class::EventLog => {
                if let Some(n) = s.and_then(present) {
                    ev.str(F::ServiceName, n);
                }
            }
            "OSPath" | "FullPath" | "RelativePath" | "path" => {
                if let Some(p) = s.and_then(present) {
                    ev.str(F::FilePath, p);
                    if class == Class::Files {
                        ev.str(F::FileName, util::base_name(p));
                    }
                }
            }
            "Size" if class == Class::Files => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::FileSize, n);
                }
            }
            "Hash" => self.hashes(v, class, ev),
            "Laddr" | "Raddr" => {
                let (ip, port) = (v.get("IP").and_then(tape::str_of), v.get("Port"));
                endpoint(k == "Laddr", ip, port.and_then(tape::u64_of), ev, rel);
            }
            "Laddr.IP" => endpoint(true, s, None, ev, rel),
            "Raddr.IP" => endpoint(false, s, None, ev, rel),
            "Laddr.Port" => endpoint(true, None, tape::u64_of(v), ev, rel),
            "Raddr.Port" => endpoint(false, None, tape::u64_of(v), ev, rel),
            "Type" if class == Class::Netstat => {
                if let Some(t) = s {
                    match t {
                        "TCP" | "tcp" | "TCP6" => ev.str(F::NetworkTransport, "tcp"),
                        "UDP" | "udp" | "UDP6" => ev.str(F::NetworkTransport, "udp"),
                        _ => {}
                    }
                }
            }
            "Family" if class == Class::Netstat => match s {
                Some("IPv4") => ev.str(F::NetworkType, "ipv4"),
                Some("IPv6") => ev.str(F::NetworkType, "ipv6"),
                _ => {}
            },
            "Resolution" | "Address" if class == Class::Hosts => {
                if let Some(ip) = s.filter(|i| util::is_ip(i)) {
                    rel.ip.push(ip);
                }
            }
            "Hostname" => {
                // Hosts-file rows: one name or a list.
                if let Some(h) = s {
                    rel.hosts.push(h);
                }
                tape::strs(v).for_each(|h| rel.hosts.push(h));
            }
            "message" | "Message" | "Line" | "MESSAGE" => {
                if let Some(m) = s.and_then(present) {
                    ev.str(F::Message, m);
                }
            }
            "level" if class == Class::Logs => {
                if let Some(l) = tape::u64_of(v) {
                    ev.str(
                        F::LogLevel,
                        match l {
                            0 => "info",
                            1 => "warn",
                            2 => "error",
                            _ => "debug",
                        },
                    );
                }
            }
            "System" => self.system(v, ev, rel),
            "EventData" => {
                if let Some(obj) = v.as_object() {
                    for (k2, v2) in obj.iter() {
                        match k2 {
                            "Hashes" => {
                                if let Some(h) = tape::str_of(v2) {
                                    sysmon_hashes(h, ev);
                                }
                            }
                            "ParentImage" => {
                                if let Some(p) = tape::str_of(v2).and_then(present) {
                                    ev.str(F::ProcessParentName, util::base_name(p));
                                }
                            }
                            "User" | "TargetUserName" | "SubjectUserName" | "MESSAGE" | "Image"
                            | "CommandLine" | "ProcessId" | "ParentProcessId" | "IpAddress"
                            | "IpPort" => {
                                self.column(k2, v2, Class::Processes, ev, rel);
                            }
                            "SYSLOG_IDENTIFIER" => {
                                if let Some(a) = tape::str_of(v2) {
                                    ev.str(F::LogSyslogAppname, a);
                                }
                            }
                            "PRIORITY" => {
                                if let Some(p) = tape::u64_of(v2).filter(|p| *p <= 7) {
                                    ev.u64(F::LogSyslogSeverityCode, p);
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            "_Rule" => self.sigma_rule(v, ev),
            // Some Sigma artifacts flatten the rule's level into the row.
            "Level" if class == Class::Sigma => {
                if let Some(l) = s {
                    self.severity = self.severity.max(sigma_severity(l));
                }
            }
            _ => {}
        }
    }

    fn hashes(&self, v: Value<'_, 'i>, class: Class, ev: &mut Event) {
        let Some(obj) = v.as_object() else { return };
        let process = matches!(
            class,
            Class::Processes | Class::ProcessCreation | Class::Netstat
        );
        for (k, h) in obj.iter() {
            let Some(h) = tape::str_of(h).filter(|h| !h.is_empty()) else {
                continue;
            };
            let f = match (k, process) {
                ("MD5", false) => F::FileHashMd5,
                ("SHA1", false) => F::FileHashSha1,
                ("SHA256", false) => F::FileHashSha256,
                ("MD5", true) => F::ProcessHashMd5,
                ("SHA1", true) => F::ProcessHashSha1,
                ("SHA256", true) => F::ProcessHashSha256,
                _ => continue,
            };
            ev.str(f, h);
        }
    }

    /// EVTX/journal `System` blocks.
    fn system(&mut self, v: Value<'_, 'i>, ev: &mut Event, rel: &mut Related<'i>) {
        let Some(obj) = v.as_object() else { return };
        for (k, x) in obj.iter() {
            match k {
                "Provider" => {
                    if let Some(n) = x.get("Name").and_then(tape::str_of) {
                        ev.str(F::EventProvider, n);
                    }
                }
                "EventID" => self.column("EventID", x, Class::EventLog, ev, rel),
                "Computer" | "_HOSTNAME" => {
                    if let Some(h) = tape::str_of(x).and_then(present) {
                        self.host.get_or_insert(h);
                    }
                }
                "Channel" => {
                    if let Some(c) = tape::str_of(x) {
                        ev.dyn_str("winlog.channel", c);
                    }
                }
                "_PID" => {
                    if let Some(n) = tape::u64_of(x) {
                        ev.u64(F::ProcessPid, n);
                    }
                }
                "_COMM" => {
                    if let Some(c) = tape::str_of(x) {
                        ev.str(F::ProcessName, c);
                    }
                }
                "_EXE" => {
                    if let Some(c) = tape::str_of(x) {
                        ev.str(F::ProcessExecutable, c);
                    }
                }
                "_CMDLINE" => {
                    if let Some(c) = tape::str_of(x) {
                        ev.str(F::ProcessCommandLine, c);
                    }
                }
                _ => {}
            }
        }
    }

    /// A Sigma match's `_Rule`: the rule, its level as severity, its ATT&CK tags.
    fn sigma_rule(&mut self, v: Value<'_, 'i>, ev: &mut Event) {
        let Some(obj) = v.as_object() else { return };
        let mut tech: List<'_, 8> = List::default();
        let mut sub: List<'_, 8> = List::default();
        let mut tactic: List<'static, 8> = List::default();
        for (k, x) in obj.iter() {
            match (k, tape::str_of(x)) {
                ("Title", Some(t)) => ev.str(F::RuleName, t),
                ("Id", Some(t)) => ev.str(F::RuleId, t),
                ("Description", Some(t)) => ev.str(F::RuleDescription, t),
                ("Author", Some(t)) => ev.dyn_str("rule.author", t),
                ("Level", Some(l)) => self.severity = sigma_severity(l),
                ("Tags", _) => {
                    for tag in tape::strs(x) {
                        let Some(t) = tag.strip_prefix("attack.") else {
                            continue;
                        };
                        let is_technique = t
                            .strip_prefix('t')
                            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
                        if is_technique {
                            if t.contains('.') {
                                sub.push(t);
                            } else {
                                tech.push(t);
                            }
                        } else if let Some(ta) = crate::attack::tactic_by_name(t) {
                            tactic.push(ta.id);
                        }
                    }
                }
                _ => {}
            }
        }
        ev.str(F::RuleRuleset, "sigma");
        write_threat(&tech, &sub, &tactic, ev);
    }
}

/// `threat.*` from Sigma tags (`attack.t1033`, `attack.privilege_escalation`).
fn write_threat(tech: &List<'_, 8>, sub: &List<'_, 8>, tactic: &List<'static, 8>, ev: &mut Event) {
    if tech.is_empty() && sub.is_empty() && tactic.is_empty() {
        return;
    }
    let mut ids: List<'static, 8> = List::default();
    let mut names: List<'static, 8> = List::default();
    let mut sub_ids: List<'static, 8> = List::default();
    let mut sub_names: List<'static, 8> = List::default();
    for t in tech.iter().chain(sub.iter()) {
        let Some(x) = crate::attack::technique(t) else {
            continue;
        };
        match x.parent.and_then(crate::attack::technique) {
            Some(p) => {
                ids.push(p.id);
                names.push(p.name);
                sub_ids.push(x.id);
                sub_names.push(x.name);
            }
            None => {
                ids.push(x.id);
                names.push(x.name);
            }
        }
    }
    let mut tactic_names: List<'static, 8> = List::default();
    for id in tactic.iter() {
        if let Some(t) = crate::attack::tactic_by_id(id) {
            tactic_names.push(t.name);
        }
    }
    ev.str(F::ThreatFramework, "MITRE ATT&CK");
    ev.strs(F::ThreatTechniqueId, ids.iter());
    ev.strs(F::ThreatTechniqueName, names.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueId, sub_ids.iter());
    ev.strs(F::ThreatTechniqueSubtechniqueName, sub_names.iter());
    ev.strs(F::ThreatTacticId, tactic.iter());
    ev.strs(F::ThreatTacticName, tactic_names.iter());
}

/// Sysmon's `Hashes`: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`.
fn sysmon_hashes(h: &str, ev: &mut Event) {
    for part in h.split(',') {
        let Some((alg, val)) = part.split_once('=') else {
            continue;
        };
        let f = match alg.trim() {
            "MD5" => F::ProcessHashMd5,
            "SHA1" => F::ProcessHashSha1,
            "SHA256" => F::ProcessHashSha256,
            _ => continue,
        };
        ev.with(f, |b| {
            b.push(b'"');
            for c in val.trim().bytes() {
                if c.is_ascii_alphanumeric() {
                    b.push(c.to_ascii_lowercase());
                }
            }
            b.push(b'"');
        });
    }
}

fn write_num_str(b: &mut Vec<u8>, n: u64) {
    b.push(b'"');
    json::write_u64(b, n);
    b.push(b'"');
}

/// Netstat's local (source) and remote (destination) ends.
fn endpoint<'i>(
    local: bool,
    ip: Option<&'i str>,
    port: Option<u64>,
    ev: &mut Event,
    rel: &mut Related<'i>,
) {
    let (fip, fport) = if local {
        (F::SourceIp, F::SourcePort)
    } else {
        (F::DestinationIp, F::DestinationPort)
    };
    if let Some(ip) = ip.filter(|i| util::is_ip(i)) {
        ev.str(fip, ip);
        if !matches!(ip, "0.0.0.0" | "::" | "127.0.0.1" | "::1") {
            rel.ip.push(ip);
        }
    }
    if let Some(p) = port.filter(|p| *p <= 65535) {
        ev.u64(fport, p);
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

    #[test]
    fn times_in_every_shape() {
        let t = |s: &str| time_of_str(s).map(time::format_rfc3339_micros);
        assert_eq!(
            t("2020-08-01T09:17:02Z").as_deref(),
            Some("2020-08-01T09:17:02.000000Z")
        );
        assert_eq!(
            t("2020-08-03 11:24:43 +1000 AEST").as_deref(),
            Some("2020-08-03T01:24:43.000000Z")
        );
        assert_eq!(
            t("1596417883121325").as_deref(),
            Some("2020-08-03T01:24:43.121325Z")
        );
        assert_eq!(
            t("2022-10-01 10:04:34.132068067 +0000 UTC").as_deref(),
            Some("2022-10-01T10:04:34.132068Z")
        );
        assert_eq!(t(""), None);
    }
}
