//! What every event aurora emits guarantees, as a checkable function: the
//! fuzz targets and the stable fuzz-regression tests both hold every output
//! to it.

use simd_json::prelude::*;

/// Checks one output line (with its newline) from [`crate::Normalizer::line`].
pub fn check_event_line(out: &[u8]) -> Result<(), String> {
    if out.last() != Some(&b'\n') {
        return Err("an event must end with a newline".into());
    }
    if out.iter().filter(|&&b| b == b'\n').count() != 1 {
        return Err("an event must be exactly one line".into());
    }
    let mut copy = out[..out.len() - 1].to_vec();
    {
        let mut copy2 = copy.clone();
        let tape = simd_json::to_tape(&mut copy2).map_err(|e| format!("not valid JSON: {e}"))?;
        no_duplicate_keys(tape.as_value())?;
    }
    let v = simd_json::to_borrowed_value(&mut copy).map_err(|e| format!("not valid JSON: {e}"))?;
    let ts = v
        .get("@timestamp")
        .and_then(|t| t.as_str())
        .ok_or("@timestamp missing or not a string")?;
    if ts.len() != 27 || !ts.ends_with('Z') || crate::time::parse_iso8601(ts).is_none() {
        return Err(format!(
            "@timestamp {ts:?} is not RFC 3339 UTC with microseconds"
        ));
    }
    let aurora = v.get("aurora").ok_or("aurora.* missing")?;
    match aurora.get("id").and_then(|i| i.as_str()) {
        Some(id) if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) => {}
        other => return Err(format!("aurora.id {other:?} is not 32 hex digits")),
    }
    if aurora.get("source").and_then(|s| s.as_str()).is_none() {
        return Err("aurora.source missing".into());
    }
    let event = v.get("event").ok_or("event.* missing")?;
    if event.get("module").and_then(|m| m.as_str()).is_none() {
        return Err("event.module missing".into());
    }
    if let Some(sev) = event.get("severity") {
        match sev.as_u64() {
            Some(0..=5) => {}
            _ => return Err(format!("event.severity {sev} is not 0..=5")),
        }
    }
    Ok(())
}

/// As [`check_event_line`], for fuzzing: a record that itself repeats a key
/// in one object (anywhere, or in JSON carried inside a string such as a
/// Wazuh `full_log`) may keep the repetition in its pass-through copy, so the
/// repeated-key rule is waived for it. Everything else still holds. (The
/// generic pass-through writer, `tape::write_value`, merges repeats into an
/// array; the Suricata `suricata.eve` writers copy members one by one and
/// keep them, because checking every key of every record against the ones
/// before it would cost that hot path several per cent for input Suricata
/// never writes.)
pub fn check_event_line_from(out: &[u8], input: &[u8]) -> Result<(), String> {
    match check_event_line(out) {
        Err(e) if e.contains("appears twice") && input_repeats_a_key(input, 0) => Ok(()),
        other => other,
    }
}

/// True if `json` (or JSON text inside one of its strings) repeats a key.
fn input_repeats_a_key(json: &[u8], depth: usize) -> bool {
    let start = json
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(json.len());
    let mut copy = json[start..].to_vec();
    let Ok(tape) = simd_json::to_tape(&mut copy) else {
        return false;
    };
    fn walk(v: simd_json::tape::Value<'_, '_>, depth: usize) -> bool {
        if let Some(o) = v.as_object() {
            let mut seen = std::collections::HashSet::new();
            for (k, x) in o.iter() {
                if !seen.insert(k) || walk(x, depth) {
                    return true;
                }
            }
        } else if let Some(a) = v.as_array() {
            return a.iter().any(|x| walk(x, depth));
        } else if let Some(s) = v.as_str() {
            let t = s.trim_start();
            if depth < 2 && (t.starts_with('{') || t.contains(": {")) {
                // Embedded JSON, e.g. `ossec: {...}` or a `_raw` export.
                let from = t.find('{').unwrap_or(0);
                return input_repeats_a_key(&t.as_bytes()[from..], depth + 1);
            }
        }
        false
    }
    walk(tape.as_value(), depth)
}

/// A repeated key in one object is valid JSON to most parsers, which then
/// keep either the first or the last copy: a silent loss. The tape keeps
/// every member, so repeats can be seen.
fn no_duplicate_keys(v: simd_json::tape::Value<'_, '_>) -> Result<(), String> {
    match crate::source::tape::repeated_key(v) {
        Some(k) => Err(format!("key {k:?} appears twice in one object")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_caught() {
        let ok = b"{\"@timestamp\":\"2020-01-01T00:00:00.000000Z\",\"aurora\":{\"id\":\"0123456789abcdef0123456789abcdef\",\"source\":\"x\"},\"event\":{\"module\":\"x\"}}\n";
        assert_eq!(check_event_line(ok), Ok(()));
        let dup = b"{\"@timestamp\":\"2020-01-01T00:00:00.000000Z\",\"aurora\":{\"id\":\"0123456789abcdef0123456789abcdef\",\"source\":\"x\"},\"event\":{\"module\":\"x\"},\"event\":{}}\n";
        assert!(check_event_line(dup).unwrap_err().contains("twice"));
    }
}
