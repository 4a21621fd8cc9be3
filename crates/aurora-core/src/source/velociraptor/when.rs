//! Finding a row's time: per-artifact columns, the usual ones, then any
//! plausible one, in whatever shape Velociraptor wrote it.

use crate::source::tape::{self, Value};
use crate::time::{self, Micros};
use simd_json::prelude::*;

/// Columns holding the event's time, per known artifact, checked before the
/// generic ones (which can name another time: `_ts` is when the server got
/// the row, not when the event happened).
pub(super) fn time_columns(artifact: &str) -> &'static [&'static str] {
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

pub(super) const GENERIC_TIME_COLUMNS: &[&str] = &[
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
pub(super) fn get_path<'t, 'i>(row: Value<'t, 'i>, path: &str) -> Option<Value<'t, 'i>> {
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
pub(super) fn time_of(v: Value<'_, '_>) -> Option<Micros> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
