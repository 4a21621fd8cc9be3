//! The parts of an alert that describe the host: Windows event-channel data
//! and file-integrity (syscheck) results.

use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use crate::source::util::{self, List, Related};

/// Windows event channel alerts: `data.win.{system,eventdata}`.
pub(super) fn map_windows<'i>(win: Value<'_, 'i>, ev: &mut Event, rel: &mut Related<'i>) {
    if let Some(sys) = win.get("system").and_then(|s| s.as_object()) {
        for (k, v) in sys.iter() {
            let Some(s) = tape::str_of(v) else { continue };
            match k {
                "eventID" => ev.str(F::EventCode, s),
                "providerName" => ev.str(F::EventProvider, s),
                "computer" => rel.hosts.push(s),
                _ => {}
            }
        }
    }
    let Some(data) = win.get("eventdata").and_then(|s| s.as_object()) else {
        return;
    };
    let (mut target, mut subject) = (None, None);
    for (k, v) in data.iter() {
        let Some(s) = tape::str_of(v) else { continue };
        match k {
            "targetUserName" => target = Some(s),
            "subjectUserName" => subject = Some(s),
            "ipAddress" if util::is_ip(s) => {
                ev.str(F::SourceIp, s);
                rel.ip.push(s);
            }
            "ipPort" => {
                if let Ok(p) = s.parse::<u16>() {
                    ev.u64(F::SourcePort, p as u64);
                }
            }
            "image" | "processName" => ev.str(F::ProcessExecutable, s),
            "commandLine" => ev.str(F::ProcessCommandLine, s),
            "processId" | "newProcessId" => {
                if let Some(pid) = parse_pid(s) {
                    ev.u64(F::ProcessPid, pid);
                }
            }
            _ => {}
        }
    }
    if let Some(u) = target.or(subject).filter(|u| *u != "-") {
        ev.str(F::UserName, u);
        rel.user.push(u);
    }
}

/// Windows writes pids in decimal or as `0x1a2b`.
fn parse_pid(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// What syscheck saw happen to a file: the `event.type` and `event.action`.
#[derive(Clone, Copy)]
pub(super) enum FileEvent {
    Added,
    Modified,
    Deleted,
}

/// File integrity monitoring: `syscheck.*` → `file.*` (or `registry.*`).
pub(super) fn map_syscheck(sc: Value<'_, '_>, registry: bool, ev: &mut Event) -> Option<FileEvent> {
    let obj = sc.as_object()?;
    let mut path = None;
    let mut value_name = None;
    let mut what = None;
    let mut hashes: List<'_, 3> = List::default();
    for (k, v) in obj.iter() {
        let s = tape::str_of(v);
        match (k, s) {
            ("path", Some(p)) => path = Some(p),
            ("value_name", Some(n)) => value_name = Some(n),
            ("event", Some(e)) => {
                what = match e {
                    "added" => Some(FileEvent::Added),
                    "modified" => Some(FileEvent::Modified),
                    "deleted" => Some(FileEvent::Deleted),
                    _ => None,
                };
                ev.str(F::EventAction, e);
            }
            ("size_after", _) if !registry => {
                if let Some(n) = tape::u64_of(v) {
                    ev.u64(F::FileSize, n);
                }
            }
            ("md5_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashMd5, h);
                }
            }
            ("sha1_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashSha1, h);
                }
            }
            ("sha256_after", Some(h)) if !h.is_empty() => {
                hashes.push(h);
                if !registry {
                    ev.str(F::FileHashSha256, h);
                }
            }
            ("uname_after", Some(u)) => ev.dyn_str("file.owner", u),
            ("gname_after", Some(g)) => ev.dyn_str("file.group", g),
            ("uid_after", Some(u)) => ev.dyn_str("file.uid", u),
            ("gid_after", Some(g)) => ev.dyn_str("file.gid", g),
            ("inode_after", _) => {
                if let Some(n) = tape::u64_of(v) {
                    ev.dyn_with("file.inode", |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            _ => {}
        }
    }
    ev.strs(F::RelatedHash, hashes.iter());
    if let Some(p) = path {
        if registry {
            // ECS registry.key has no hive; registry.path is key\value.
            ev.dyn_str("registry.key", p);
            if let Some((hive, _)) = p.split_once('\\') {
                ev.dyn_str("registry.hive", registry_hive_abbrev(hive));
            }
            if let Some(n) = value_name {
                ev.dyn_str("registry.value", n);
                ev.dyn_with("registry.path", |b| {
                    b.push(b'"');
                    json::escape_into(b, p.as_bytes());
                    b.extend_from_slice(b"\\\\");
                    json::escape_into(b, n.as_bytes());
                    b.push(b'"');
                });
            } else {
                ev.dyn_str("registry.path", p);
            }
        } else {
            ev.str(F::FilePath, p);
            ev.str(F::FileName, util::base_name(p));
            if let Some(d) = util::dir_name(p) {
                ev.str(F::FileDirectory, d);
            }
        }
    }
    what
}

fn registry_hive_abbrev(hive: &str) -> &str {
    match hive {
        "HKEY_LOCAL_MACHINE" => "HKLM",
        "HKEY_CURRENT_USER" => "HKCU",
        "HKEY_USERS" => "HKU",
        "HKEY_CLASSES_ROOT" => "HKCR",
        "HKEY_CURRENT_CONFIG" => "HKCC",
        other => other,
    }
}
