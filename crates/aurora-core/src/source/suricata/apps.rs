//! The per-protocol objects of an EVE record without a module of their own
//! (flow, netflow, http, fileinfo, smtp/email, ether) mapped to their ECS
//! fields, and the small allocation-free lists the mappers share.

use super::out;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use simd_json::prelude::*;

/// A short list in a fixed array: enough for what one record names, and
/// free of allocation. Pushes past the capacity are dropped.
#[derive(Clone, Copy)]
pub(super) struct Few<T: Copy, const N: usize> {
    pub(super) items: [Option<T>; N],
    pub(super) n: usize,
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
    pub(super) hashes: Few<HashRef<'i>, 8>,
    /// destination.domain: the first host name seen (HTTP Host, then SNI).
    pub(super) domain: Option<&'i str>,
}

impl<'i> Related<'i> {
    /// Adds an IP (callers pass only parsed addresses or check here).
    pub fn ip(&mut self, s: &'i str) {
        self.ips.push_by(s, short_eq);
    }

    pub(super) fn ip_checked(&mut self, s: &'i str) {
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
pub(super) fn each_str<'t, 'i: 't>(v: Value<'t, 'i>) -> impl Iterator<Item = &'i str> + 't {
    v.into_string().into_iter().chain(tape::strs(v))
}

pub(super) fn write_str_list<'a>(b: &mut Vec<u8>, items: impl Iterator<Item = &'a str>) {
    json::write_str_array(b, items);
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
    fn addresses_in_angle_brackets() {
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
