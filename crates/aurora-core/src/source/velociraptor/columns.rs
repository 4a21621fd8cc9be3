//! Mapping a row's columns: what each known column name means for the
//! artifact's class of rows.

use super::{Class, present, sigma_severity, unmap_v4};
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use crate::source::util::{self, List, Related};

/// What the columns said, gathered over one pass.
#[derive(Default)]
pub(super) struct Mapped<'i> {
    pub(super) host: Option<&'i str>,
    pub(super) client_id: Option<&'i str>,
    pub(super) flow_id: Option<&'i str>,
    pub(super) hunt_id: Option<&'i str>,
    pub(super) user: Option<&'i str>,
    /// Lower priority users (the subject when there is a target).
    pub(super) domain: Option<&'i str>,
    pub(super) severity: u8,
    pub(super) auth: bool,
    pub(super) log_cleared: bool,
}

impl<'i> Mapped<'i> {
    fn set_user(&mut self, u: &'i str, strong: bool) {
        if let Some(u) = present(u)
            && (strong || self.user.is_none())
        {
            self.user = Some(u);
        }
    }

    pub(super) fn column(
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
