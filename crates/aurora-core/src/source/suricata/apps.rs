//! The per-protocol objects of an EVE record (alert, flow, http, tls, dns,
//! fileinfo, smtp/email, ether) mapped to their ECS fields.

use super::attack;
use super::out;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use crate::time;
use simd_json::prelude::*;

/// A short list in a fixed array: enough for what one record names, and
/// free of allocation. Pushes past the capacity are dropped.
#[derive(Clone, Copy)]
pub(super) struct Few<T: Copy, const N: usize> {
    items: [Option<T>; N],
    n: usize,
}

impl<T: Copy, const N: usize> Default for Few<T, N> {
    fn default() -> Self {
        Self {
            items: [None; N],
            n: 0,
        }
    }
}

impl<T: Copy + PartialEq, const N: usize> Few<T, N> {
    pub fn push(&mut self, x: T) {
        if self.n < N && !self.iter().any(|y| y == x) {
            self.items[self.n] = Some(x);
            self.n += 1;
        }
    }
    /// `push` with the duplicate check done by `eq`.
    #[inline]
    pub fn push_by(&mut self, x: T, eq: impl Fn(T, T) -> bool) {
        if self.n < N && !self.iter().any(|y| eq(y, x)) {
            self.items[self.n] = Some(x);
            self.n += 1;
        }
    }
    pub fn get(&self, i: usize) -> Option<T> {
        self.items.get(i).copied().flatten()
    }
    pub fn len(&self) -> usize {
        self.n
    }
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.items[..self.n].iter().filter_map(|x| *x)
    }
}

/// A hash for related.hash, and whether it is a colon-separated
/// fingerprint to be written as plain uppercase hex.
type HashRef<'i> = (&'i str, bool);

/// Everything an event names, for related.*.
#[derive(Default)]
pub(super) struct Related<'i> {
    ips: Few<&'i str, 32>,
    hashes: Few<HashRef<'i>, 8>,
    /// destination.domain: the first host name seen (HTTP Host, then SNI).
    domain: Option<&'i str>,
}

impl<'i> Related<'i> {
    /// Adds an IP (callers pass only parsed addresses or check here).
    pub fn ip(&mut self, s: &'i str) {
        self.ips.push_by(s, short_eq);
    }

    fn ip_checked(&mut self, s: &'i str) {
        if super::parse_ip(s).is_some() {
            self.ips.push_by(s, short_eq);
        }
    }

    pub fn write(&self, ev: &mut Event) {
        if self.ips.len() > 0 {
            ev.strs(F::RelatedIp, self.ips.iter());
        }
        if let Some(d) = self.domain {
            ev.str(F::DestinationDomain, d);
            ev.strs(F::RelatedHosts, [d]);
        }
        if self.hashes.len() > 0 {
            ev.with(F::RelatedHash, |b| {
                b.push(b'[');
                for (i, (h, fingerprint)) in self.hashes.iter().enumerate() {
                    if i > 0 {
                        b.push(b',');
                    }
                    if fingerprint {
                        out::write_hex_upper(b, h);
                    } else {
                        json::write_str(b, h);
                    }
                }
                b.push(b']');
            });
        }
    }
}

/// String equality without a call to memcmp for the short strings (IP
/// addresses) it is used on: two overlapping words per 16 bytes.
#[inline]
pub(super) fn short_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap());
    match n {
        0..=7 => a == b,
        8..=16 => w(a, 0) == w(b, 0) && w(a, n - 8) == w(b, n - 8),
        _ => a == b,
    }
}

/// A string, or each string of an array (ET metadata values are arrays of
/// strings; a lone string is taken as a list of one).
fn each_str<'t, 'i: 't>(v: Value<'t, 'i>) -> impl Iterator<Item = &'i str> + 't {
    v.into_string().into_iter().chain(tape::strs(v))
}

fn write_str_list<'a>(b: &mut Vec<u8>, items: impl Iterator<Item = &'a str>) {
    json::write_str_array(b, items);
}

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
    let Some(md) = metadata else { return info };
    let Some(mo) = md.as_object() else {
        ev.warn(format!(
            "alert.metadata is {}, expected an object of string arrays; kept as is",
            super::describe(md)
        ));
        return info;
    };
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
                info.severity = 5;
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
    info
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

/// Bytes, packets and times of `flow` (both directions) or `netflow` (one).
/// Returns flow.state for event.type.
pub(super) fn flow<'i>(ev: &mut Event, f: Value<'_, 'i>, netflow: bool) -> Option<&'i str> {
    let o = f.as_object()?;
    let (mut sb, mut db, mut sp, mut dp) = (None, None, None, None);
    let (mut start, mut end, mut state) = (None, None, None);
    for (k, v) in o.iter() {
        match (netflow, k) {
            (false, "bytes_toserver") | (true, "bytes") => sb = tape::u64_of(v),
            (false, "bytes_toclient") => db = tape::u64_of(v),
            (false, "pkts_toserver") | (true, "pkts") => sp = tape::u64_of(v),
            (false, "pkts_toclient") => dp = tape::u64_of(v),
            (_, "start") => start = v.into_string().and_then(super::parse_eve_time),
            (_, "end") => end = v.into_string().and_then(super::parse_eve_time),
            (false, "state") => state = v.into_string(),
            _ => {}
        }
    }
    let pairs = [
        (sb, F::SourceBytes),
        (db, F::DestinationBytes),
        (sp, F::SourcePackets),
        (dp, F::DestinationPackets),
    ];
    for (v, f) in pairs {
        if let Some(v) = v {
            ev.u64(f, v);
        }
    }
    let bytes = sb.unwrap_or(0).saturating_add(db.unwrap_or(0));
    let packets = sp.unwrap_or(0).saturating_add(dp.unwrap_or(0));
    if bytes > 0 {
        ev.u64(F::NetworkBytes, bytes);
    }
    if packets > 0 {
        ev.u64(F::NetworkPackets, packets);
    }
    if let Some(s) = start {
        ev.time(F::EventStart, s);
    }
    if let Some(e) = end {
        ev.time(F::EventEnd, e);
    }
    if let (Some(s), Some(e)) = (start, end)
        && s <= e
    {
        ev.i64(F::EventDuration, (e - s).saturating_mul(1000));
    }
    state
}

/// http.*, url.*, user_agent.original, destination.domain; event.outcome
/// from the status for `http` events.
pub(super) fn http<'i>(ev: &mut Event, h: Value<'_, 'i>, outcome: bool, rel: &mut Related<'i>) {
    let Some(o) = h.as_object() else { return };
    let mut status = None;
    for (k, v) in o.iter() {
        let Some(s) = v.into_string() else {
            match k {
                "status" => status = tape::u64_of(v),
                "length" => {
                    if let Some(n) = tape::u64_of(v) {
                        ev.u64(F::HttpResponseBodyBytes, n);
                    }
                }
                _ => {}
            }
            continue;
        };
        match k {
            "hostname" if !s.is_empty() => {
                rel.domain.get_or_insert(s);
                ev.str(F::UrlDomain, s);
            }
            "url" => url(ev, s),
            "http_user_agent" => ev.str_nonempty(F::UserAgentOriginal, s),
            "http_method" => ev.str_nonempty(F::HttpRequestMethod, s),
            "http_refer" => ev.str_nonempty(F::HttpRequestReferrer, s),
            "protocol" => {
                if let Some(v) = s.strip_prefix("HTTP/") {
                    ev.str_nonempty(F::HttpVersion, v);
                }
            }
            "status" => status = s.trim().parse().ok(),
            "length" => {
                if let Ok(n) = s.trim().parse() {
                    ev.u64(F::HttpResponseBodyBytes, n);
                }
            }
            _ => {}
        }
    }
    if let Some(st) = status {
        ev.u64(F::HttpResponseStatusCode, st);
        if outcome {
            ev.str(
                F::EventOutcome,
                if st < 400 { "success" } else { "failure" },
            );
        }
    }
}

/// url.original, and its path, query and fragment. An absolute URL (a
/// proxy request) also gives url.scheme, and its path starts after the
/// authority.
fn url(ev: &mut Event, s: &str) {
    if s.is_empty() {
        return;
    }
    ev.str(F::UrlOriginal, s);
    let mut rest = s;
    if let Some(i) = s.find("://")
        && i > 0
        && s[..i]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'.' || c == b'-')
    {
        ev.str(F::UrlScheme, &s[..i]);
        let after = &s[i + 3..];
        rest = after.find(['/', '?', '#']).map_or("", |j| &after[j..]);
    }
    let (before_frag, frag) = match rest.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (rest, None),
    };
    let (path, query) = match before_frag.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_frag, None),
    };
    ev.str_nonempty(F::UrlPath, path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        ev.str(F::UrlQuery, q);
    }
    if let Some(f) = frag.filter(|f| !f.is_empty()) {
        ev.str(F::UrlFragment, f);
    }
}

/// tls.*: version, SNI, certificate subject/issuer (also split into
/// x509 name parts), fingerprint, JA3/JA3S, validity.
pub(super) fn tls<'i>(ev: &mut Event, t: Value<'_, 'i>, rel: &mut Related<'i>) {
    let Some(o) = t.as_object() else { return };
    for (k, v) in o.iter() {
        match k {
            "session_resumed" => {
                if let Some(b) = v.as_bool() {
                    ev.bool(F::TlsResumed, b);
                }
            }
            "ja3" | "ja3s" => {
                let hash = v
                    .as_object()
                    .and_then(|h| h.get("hash"))
                    .and_then(|h| h.into_string())
                    .filter(|h| !h.is_empty());
                if let Some(h) = hash {
                    ev.str(
                        if k == "ja3" {
                            F::TlsClientJa3
                        } else {
                            F::TlsServerJa3s
                        },
                        h,
                    );
                    rel.hashes.push((h, false));
                }
            }
            "chain" if v.is_array() => {
                ev.with(F::TlsServerCertificateChain, |b| out::write_clean(b, v));
            }
            _ => {}
        }
        let Some(s) = v.into_string().filter(|s| !s.is_empty()) else {
            continue;
        };
        match k {
            "subject" => {
                ev.str(F::TlsServerSubject, s);
                x509_name(ev, s, &SUBJECT_PATHS);
            }
            "issuerdn" => {
                ev.str(F::TlsServerIssuer, s);
                x509_name(ev, s, &ISSUER_PATHS);
            }
            "fingerprint" => {
                ev.with(F::TlsServerHashSha1, |b| out::write_hex_upper(b, s));
                rel.hashes.push((s, true));
            }
            "sni" => {
                let sni = s.strip_suffix('.').unwrap_or(s);
                if !sni.is_empty() {
                    ev.str(F::TlsClientServerName, sni);
                    rel.domain.get_or_insert(sni);
                }
            }
            "version" => tls_version(ev, s),
            "serial" => ev.with(F::TlsServerX509SerialNumber, |b| out::write_no_colons(b, s)),
            "notbefore" | "notafter" => {
                if let Some(t) = time::parse_iso8601(s).map(|p| p.utc(0)) {
                    let (f, x) = if k == "notbefore" {
                        (F::TlsServerNotBefore, F::TlsServerX509NotBefore)
                    } else {
                        (F::TlsServerNotAfter, F::TlsServerX509NotAfter)
                    };
                    ev.time(f, t);
                    ev.time(x, t);
                }
            }
            "certificate" => ev.str(F::TlsServerCertificate, s),
            _ => {}
        }
    }
}

/// `TLS 1.2` → tls.version_protocol `tls`, tls.version `1.2`; `SSLv3` →
/// `ssl`, `3.0`. `UNDETERMINED` says nothing.
fn tls_version(ev: &mut Event, s: &str) {
    if let Some((p, v)) = s.split_once(' ') {
        ev.with(F::TlsVersionProtocol, |b| out::write_lower(b, p));
        ev.str_nonempty(F::TlsVersion, v);
    } else if let Some(v) = s.strip_prefix("SSLv") {
        ev.str(F::TlsVersionProtocol, "ssl");
        ev.with(F::TlsVersion, |b| {
            b.push(b'"');
            json::escape_into(b, v.as_bytes());
            if !v.contains('.') {
                b.extend_from_slice(b".0");
            }
            b.push(b'"');
        });
    }
}

type NamePaths = [(&'static str, F); 6];
const SUBJECT_PATHS: NamePaths = [
    ("CN", F::TlsServerX509SubjectCommonName),
    ("C", F::TlsServerX509SubjectCountry),
    ("L", F::TlsServerX509SubjectLocality),
    ("O", F::TlsServerX509SubjectOrganization),
    ("OU", F::TlsServerX509SubjectOrganizationalUnit),
    ("ST", F::TlsServerX509SubjectStateOrProvince),
];
const ISSUER_PATHS: NamePaths = [
    ("CN", F::TlsServerX509IssuerCommonName),
    ("C", F::TlsServerX509IssuerCountry),
    ("L", F::TlsServerX509IssuerLocality),
    ("O", F::TlsServerX509IssuerOrganization),
    ("OU", F::TlsServerX509IssuerOrganizationalUnit),
    ("ST", F::TlsServerX509IssuerStateOrProvince),
];

/// Splits a distinguished name as Suricata prints it (`CN=a, O=Acme U.S.A.,
/// INC., C=US`) into its attributes. A `, ` separates attributes only when
/// `KEY=` follows, so commas inside values survive.
fn dn_parts(dn: &str) -> Few<(&str, &str), 16> {
    let mut parts = Few::default();
    let mut start = 0;
    let bytes = dn.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b',' && bytes[i + 1] == b' ' {
            let key_len = bytes[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if key_len > 0 && bytes.get(i + 2 + key_len) == Some(&b'=') {
                parts.push_part(&dn[start..i]);
                start = i + 2;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    parts.push_part(&dn[start..]);
    parts
}

impl<'a> Few<(&'a str, &'a str), 16> {
    fn push_part(&mut self, rdn: &'a str) {
        if let Some((k, v)) = rdn.split_once('=')
            && self.n < 16
        {
            // Repeated attributes (two OUs) are all kept: no dedupe here.
            self.items[self.n] = Some((k.trim(), v.trim()));
            self.n += 1;
        }
    }
}

fn x509_name(ev: &mut Event, dn: &str, paths: &NamePaths) {
    let parts = dn_parts(dn);
    for &(key, field) in paths {
        if parts.iter().any(|(k, _)| k == key) {
            ev.with(field, |b| {
                write_str_list(b, parts.iter().filter(|(k, _)| *k == key).map(|(_, v)| v))
            });
        }
    }
}

/// dns.*: Suricata's v1 (one answer per record), v2 (`answers` array,
/// `grouped`) and v3 (`queries`, request/response) layouts, and the `dns`
/// object of alerts (`query` array).
pub(super) fn dns<'i>(ev: &mut Event, d: Value<'_, 'i>, rel: &mut Related<'i>) {
    let Some(o) = d.as_object() else { return };
    let mut version = None;
    let (mut typ, mut rrname, mut rrtype) = (None, None, None);
    let (mut rdata, mut ttl) = (None, None);
    let (mut answers, mut grouped, mut queries) = (None, None, None);
    let mut flags: Few<&'static str, 6> = Few::default();
    for (k, v) in o.iter() {
        if tape::is_null(v) {
            continue;
        }
        match k {
            "version" => version = tape::u64_of(v),
            "type" => typ = v.into_string(),
            "id" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.with(F::DnsId, |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            "rcode" => {
                if let Some(s) = v.into_string() {
                    ev.str_nonempty(F::DnsResponseCode, s);
                }
            }
            "rrname" => rrname = v.into_string(),
            "rrtype" => rrtype = v.into_string(),
            "rdata" => rdata = v.into_string(),
            "ttl" => ttl = Some(v),
            "answers" => answers = v.as_array().map(|_| v),
            "grouped" => grouped = v.as_object().map(|_| v),
            "queries" | "query" => queries = v.as_array().and_then(|a| a.iter().next()),
            "aa" | "tc" | "rd" | "ra" | "ad" | "cd" if v.as_bool() == Some(true) => {
                flags.push(match k {
                    "aa" => "AA",
                    "tc" => "TC",
                    "rd" => "RD",
                    "ra" => "RA",
                    "ad" => "AD",
                    _ => "CD",
                })
            }
            _ => {}
        }
    }
    let is_query = matches!(typ, Some("query" | "request"));
    let is_answer = matches!(typ, Some("answer" | "response"));
    if let Some(t) = typ {
        ev.str(
            F::DnsType,
            if is_query {
                "query"
            } else if is_answer {
                "answer"
            } else {
                t
            },
        );
    }
    // The question: v1 queries and every v2 record carry it in rrname; v3
    // and alerts in a list of queries. A v1 answer's rrname names the
    // answer, not the question.
    let (mut qname, mut qtype) = (None, None);
    if is_query || version.is_some_and(|v| v >= 2) {
        (qname, qtype) = (rrname, rrtype);
    }
    if let Some(q) = queries.and_then(|q| q.as_object()) {
        for (k, v) in q.iter() {
            match k {
                "rrname" if qname.is_none() => qname = v.into_string(),
                "rrtype" if qtype.is_none() => qtype = v.into_string(),
                _ => {}
            }
        }
    }
    if let Some(n) = qname {
        ev.str_nonempty(F::DnsQuestionName, n);
    }
    if let Some(t) = qtype {
        ev.str_nonempty(F::DnsQuestionType, t);
    }

    let is_ip_type = |t: Option<&str>| matches!(t, Some("A" | "AAAA"));
    if let Some(ans) = answers.and_then(|a| a.as_array()) {
        ev.with(F::DnsAnswers, |b| {
            b.push(b'[');
            let mut first_answer = true;
            for a in ans.iter() {
                let Some(ao) = a.as_object() else { continue };
                if !first_answer {
                    b.push(b',');
                }
                first_answer = false;
                b.push(b'{');
                let mut first = true;
                for (k, v) in ao.iter() {
                    if tape::is_null(v) {
                        continue;
                    }
                    let k = match k {
                        "rrname" => "name",
                        "rrtype" => "type",
                        "rdata" => "data",
                        k => k,
                    };
                    out::key(b, &mut first, k);
                    out::write_clean(b, v);
                }
                b.push(b'}');
            }
            b.push(b']');
        });
        let resolved = || {
            ans.iter().filter_map(|a| {
                let ao = a.as_object()?;
                let t = ao.get("rrtype").and_then(|t| t.into_string());
                is_ip_type(t).then(|| ao.get("rdata").and_then(|d| d.into_string()))?
            })
        };
        if resolved().next().is_some() {
            ev.strs(F::DnsResolvedIp, resolved());
            resolved().for_each(|ip| rel.ip_checked(ip));
        }
    } else if is_answer && version.is_none() && (rrname.is_some() || rdata.is_some()) {
        ev.with(F::DnsAnswers, |b| {
            b.extend_from_slice(b"[{");
            let mut first = true;
            for (k, v) in [("name", rrname), ("data", rdata), ("type", rrtype)] {
                if let Some(v) = v {
                    out::key(b, &mut first, k);
                    json::write_str(b, v);
                }
            }
            if let Some(t) = ttl {
                out::key(b, &mut first, "ttl");
                out::write_clean(b, t);
            }
            b.extend_from_slice(b"}]");
        });
        if is_ip_type(rrtype)
            && let Some(ip) = rdata
        {
            ev.strs(F::DnsResolvedIp, [ip]);
            rel.ip_checked(ip);
        }
    } else if let Some(g) = grouped.and_then(|g| g.as_object()) {
        // `grouped` only (Suricata's `formats: [grouped]`).
        let ips = || {
            ["A", "AAAA"]
                .into_iter()
                .filter_map(|t| g.get(t))
                .flat_map(tape::strs)
        };
        if ips().next().is_some() {
            ev.strs(F::DnsResolvedIp, ips());
            ips().for_each(|ip| rel.ip_checked(ip));
        }
    }
    if flags.len() > 0 {
        ev.strs(F::DnsHeaderFlags, flags.iter());
    }
}

/// file.* from `fileinfo`.
pub(super) fn fileinfo<'i>(ev: &mut Event, f: Value<'_, 'i>, rel: &mut Related<'i>) {
    let Some(o) = f.as_object() else { return };
    for (k, v) in o.iter() {
        if k == "size" {
            if let Some(n) = tape::u64_of(v) {
                ev.u64(F::FileSize, n);
            }
            continue;
        }
        let Some(s) = v.into_string().filter(|s| !s.is_empty()) else {
            continue;
        };
        match k {
            "filename" => {
                ev.str(F::FilePath, s);
                let name = s.rsplit(['/', '\\']).next().unwrap_or(s);
                ev.str_nonempty(F::FileName, name);
                if let Some((stem, ext)) = name.rsplit_once('.')
                    && !stem.is_empty()
                    && !ext.is_empty()
                    && ext.len() <= 16
                {
                    ev.str(F::FileExtension, ext);
                }
            }
            "md5" | "sha1" | "sha256" => {
                let f = match k {
                    "md5" => F::FileHashMd5,
                    "sha1" => F::FileHashSha1,
                    _ => F::FileHashSha256,
                };
                ev.str(f, s);
                rel.hashes.push((s, false));
            }
            _ => {}
        }
    }
}

/// email.* from the `smtp` envelope and the parsed `email` headers.
pub(super) fn email<'t, 'i>(
    ev: &mut Event,
    smtp: Option<Value<'t, 'i>>,
    email: Option<Value<'t, 'i>>,
) {
    fn get<'t, 'i>(o: Option<Value<'t, 'i>>, k: &str) -> Option<Value<'t, 'i>> {
        o?.as_object()?.get(k)
    }
    // The envelope is what the server acted on; headers are what the
    // sender claims. Prefer the envelope.
    let from = get(smtp, "mail_from")
        .and_then(|v| v.into_string())
        .or_else(|| get(email, "from").and_then(|v| v.into_string()));
    if let Some(f) = from.map(angle_addr).filter(|s| !s.is_empty()) {
        ev.str(F::EmailFromAddress, f);
    }
    let to = get(smtp, "rcpt_to")
        .filter(|v| v.is_array())
        .or_else(|| get(email, "to").filter(|v| v.is_array()));
    if let Some(to) = to
        && tape::strs(to).next().is_some()
    {
        ev.strs(F::EmailToAddress, tape::strs(to).map(angle_addr));
    }
    if let Some(s) = get(email, "subject").and_then(|v| v.into_string()) {
        ev.str_nonempty(F::EmailSubject, s);
    }
    if let Some(s) = get(email, "message_id").and_then(|v| v.into_string()) {
        ev.str_nonempty(F::EmailMessageId, s);
    }
}

/// `Alice <a@example.org>` or `<a@example.org>` → `a@example.org`.
fn angle_addr(s: &str) -> &str {
    match s.find('<') {
        Some(i) => {
            let rest = &s[i + 1..];
            rest.find('>').map_or(rest, |j| &rest[..j]).trim()
        }
        None => s.trim(),
    }
}

/// source.mac / destination.mac from `ether`.
pub(super) fn ether(ev: &mut Event, e: Value<'_, '_>) {
    let Some(o) = e.as_object() else { return };
    for (k, v) in o.iter() {
        let f = match k {
            "src_mac" => F::SourceMac,
            "dest_mac" => F::DestinationMac,
            _ => continue,
        };
        if let Some(s) = v.into_string().filter(|s| !s.is_empty()) {
            ev.with(f, |b| out::write_mac(b, s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguished_names() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "C=US, ST=New York, L=New York City, O=Acme U.S.A., INC., CN=update.acme.com",
                &[
                    ("C", "US"),
                    ("ST", "New York"),
                    ("L", "New York City"),
                    ("O", "Acme U.S.A., INC."),
                    ("CN", "update.acme.com"),
                ],
            ),
            ("CN=*.icloud.com", &[("CN", "*.icloud.com")]),
            ("garbage without equals", &[]),
            ("", &[]),
        ];
        for (dn, want) in cases {
            let got: Vec<_> = dn_parts(dn).iter().collect();
            assert_eq!(&got, want, "{dn}");
        }
    }

    #[test]
    fn rule_dates_and_addresses() {
        assert_eq!(
            rule_date("2010_09_23")
                .map(time::format_rfc3339_micros)
                .as_deref(),
            Some("2010-09-23T00:00:00.000000Z")
        );
        assert_eq!(rule_date("2010_09-23"), None);
        assert_eq!(rule_date("2010_13_23"), None);
        assert_eq!(angle_addr("Alice <a@example.org>"), "a@example.org");
        assert_eq!(angle_addr("<a@example.org"), "a@example.org");
        assert_eq!(angle_addr(" b@example.org "), "b@example.org");
    }

    #[test]
    fn short_eq_is_eq() {
        let words = [
            "",
            "a",
            "10.0.0.1",
            "10.0.0.2",
            "10.0.0.10",
            "192.168.100.200",
            "192.168.100.201",
            "fe80::1",
            "2001:db8::ff00:42:8329",
            "2001:db8::ff00:42:8328",
            "abcdefgh",
            "abcdefgi",
        ];
        for a in words {
            for b in words {
                assert_eq!(short_eq(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
