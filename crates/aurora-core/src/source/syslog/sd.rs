//! RFC 5424 STRUCTURED-DATA: `[id k="v" …][id2 …]` → the JSON object
//! `log.syslog.structured_data` (`{"id":{"k":"v"},"id2":{…}}`).
//!
//! Validation and writing are two passes over the same bytes so that the
//! header parser can decide where the message starts before anything is
//! written. A repeated SD-PARAM (RFC 5424 §6.3.3 allows it) becomes an array
//! of its values, and a repeated SD-ID (which the RFC forbids) is merged into
//! the first, so the output never holds a duplicate key.

use crate::json;

/// Why structured data is malformed, and at which byte (from the `[`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SdError {
    pub at: usize,
    pub what: &'static str,
}

/// SD-NAME characters: printable US-ASCII except `=`, SP, `]` and `"`.
fn is_name(c: u8) -> bool {
    (33..=126).contains(&c) && !matches!(c, b'=' | b']' | b'"')
}

/// Length of the structured data at the start of `b` (which starts with
/// `[`): one or more SD-ELEMENTs with nothing between them.
pub(super) fn scan(b: &[u8]) -> Result<usize, SdError> {
    let err = |at, what| Err(SdError { at, what });
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        i += 1;
        let id = b[i..].iter().take_while(|&&c| is_name(c)).count();
        if id == 0 {
            return err(i, "SD-ID missing");
        }
        i += id;
        loop {
            match b.get(i) {
                Some(b']') => {
                    i += 1;
                    break;
                }
                Some(b' ') => i += 1,
                None => return err(i, "SD-ELEMENT not closed by ]"),
                Some(_) => return err(i, "expected a space or ] after SD-ID or SD-PARAM"),
            }
            let name = b[i..].iter().take_while(|&&c| is_name(c)).count();
            if name == 0 {
                return err(i, "SD-PARAM name missing");
            }
            i += name;
            if b.get(i) != Some(&b'=') || b.get(i + 1) != Some(&b'"') {
                return err(i, "expected =\" after SD-PARAM name");
            }
            i += 2;
            loop {
                match b.get(i) {
                    None => return err(i, "SD-PARAM value not closed by \""),
                    Some(b'\\') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        }
    }
    if i == 0 {
        return err(0, "expected [");
    }
    Ok(i)
}

/// One SD-PARAM as written: name and raw (still escaped) value.
#[derive(Clone, Copy)]
struct Param<'a> {
    elem: usize,
    name: &'a str,
    raw: &'a str,
}

/// Elements (their SD-IDs) and params of structured data that [`scan`] accepted.
fn split(sd: &str) -> (Vec<&str>, Vec<Param<'_>>) {
    let b = sd.as_bytes();
    let (mut ids, mut params) = (Vec::new(), Vec::new());
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        i += 1;
        let id_len = b[i..].iter().take_while(|&&c| is_name(c)).count();
        ids.push(&sd[i..i + id_len]);
        i += id_len;
        while b.get(i) == Some(&b' ') {
            i += 1;
            let n = b[i..].iter().take_while(|&&c| is_name(c)).count();
            let name = &sd[i..i + n];
            i += n + 2;
            let start = i;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            params.push(Param {
                elem: ids.len() - 1,
                name,
                raw: sd.get(start..i).unwrap_or(""),
            });
            i += 1;
        }
        i += 1;
    }
    (ids, params)
}

/// RFC 5424 §6.3.3: only `\"`, `\\` and `\]` are escapes; any other
/// backslash stays as written.
fn write_value(out: &mut Vec<u8>, raw: &str) {
    out.push(b'"');
    let mut rest = raw;
    while let Some(p) = rest.find('\\') {
        json::escape_into(out, &rest.as_bytes()[..p]);
        let after = &rest[p + 1..];
        match after.as_bytes().first() {
            Some(c @ (b'"' | b'\\' | b']')) => {
                json::escape_into(out, &[*c]);
                rest = &after[1..];
            }
            _ => {
                json::escape_into(out, b"\\");
                rest = after;
            }
        }
    }
    json::escape_into(out, rest.as_bytes());
    out.push(b'"');
}

/// Writes validated structured data as a JSON object.
pub(super) fn write(out: &mut Vec<u8>, sd: &str) {
    let (ids, params) = split(sd);
    let same_id = |a: usize, b: usize| ids[a] == ids[b];
    out.push(b'{');
    let mut first_elem = true;
    for (e, id) in ids.iter().enumerate() {
        if (0..e).any(|k| same_id(k, e)) {
            continue;
        }
        if !first_elem {
            out.push(b',');
        }
        first_elem = false;
        json::write_str(out, id);
        out.push(b':');
        out.push(b'{');
        let mine: Vec<Param<'_>> = params
            .iter()
            .copied()
            .filter(|p| same_id(p.elem, e))
            .collect();
        let mut first = true;
        for (k, p) in mine.iter().enumerate() {
            if mine[..k].iter().any(|q| q.name == p.name) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            json::write_str(out, p.name);
            out.push(b':');
            let n = mine.iter().filter(|q| q.name == p.name).count();
            if n == 1 {
                write_value(out, p.raw);
            } else {
                out.push(b'[');
                for (m, q) in mine.iter().filter(|q| q.name == p.name).enumerate() {
                    if m > 0 {
                        out.push(b',');
                    }
                    write_value(out, q.raw);
                }
                out.push(b']');
            }
        }
        out.push(b'}');
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(sd: &str) -> serde_json::Value {
        let n = scan(sd.as_bytes()).unwrap();
        assert_eq!(n, sd.len(), "{sd}");
        let mut v = Vec::new();
        write(&mut v, sd);
        serde_json::from_slice(&v).unwrap()
    }

    #[test]
    fn elements_params_and_escapes() {
        let v = json_of(
            r#"[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]"#,
        );
        assert_eq!(v["exampleSDID@32473"]["eventSource"], "Application");
        assert_eq!(v["examplePriority@32473"]["class"], "high");
        let v = json_of(r#"[x a="q\"uote" b="back\\slash" c="br\]acket" d="C:\dir"]"#);
        assert_eq!(v["x"]["a"], "q\"uote");
        assert_eq!(v["x"]["b"], "back\\slash");
        assert_eq!(v["x"]["c"], "br]acket");
        assert_eq!(v["x"]["d"], "C:\\dir");
        let v = json_of(r#"[empty][x ip="1" ip="2"][x more="y"]"#);
        assert_eq!(v["empty"], serde_json::json!({}));
        assert_eq!(v["x"]["ip"], serde_json::json!(["1", "2"]));
        assert_eq!(v["x"]["more"], "y");
    }

    #[test]
    fn malformed_structured_data_says_where() {
        for (sd, what) in [
            (r#"[id a="unterminated"#, "SD-PARAM value not closed by \""),
            (r#"[id a=unquoted]"#, "expected =\" after SD-PARAM name"),
            (r#"[ a="1"]"#, "SD-ID missing"),
            (r#"[id a="1""#, "SD-ELEMENT not closed by ]"),
            (
                r#"[id a="1"x]"#,
                "expected a space or ] after SD-ID or SD-PARAM",
            ),
        ] {
            assert_eq!(scan(sd.as_bytes()).unwrap_err().what, what, "{sd}");
        }
    }
}
