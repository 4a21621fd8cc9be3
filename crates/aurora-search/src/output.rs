//! Rendering results: NDJSON, CSV and terminal tables, field projection, and knowing
//! whether stdout/stderr are terminals.

use std::io::{IsTerminal, Write};

use serde_json::{Map, Value};

pub fn stdout_is_tty() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// Terminal width for tables: the tty's, else `$COLUMNS`, else 120.
pub fn term_width() -> usize {
    #[cfg(unix)]
    {
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        // SAFETY: TIOCGWINSZ only writes into the winsize struct we own.
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
        if ok && ws.ws_col > 0 {
            return ws.ws_col as usize;
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w > 20)
        .unwrap_or(120)
}

/// Looks a dotted field up in nested objects, falling back to a flat dotted key.
pub fn lookup<'a>(v: &'a Value, field: &str) -> Option<&'a Value> {
    aurora_store::doc::lookup(v, field).filter(|v| !v.is_null())
}

/// A value as one table/CSV cell: arrays joined with ", ", objects as compact JSON.
pub fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| cell(Some(x)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The event reduced to `fields`, still nested as ECS (so `jq .source.ip` keeps working).
pub fn project(doc: &Value, fields: &[String]) -> Value {
    let mut out = Map::new();
    for f in fields {
        let Some(v) = lookup(doc, f) else { continue };
        let parts: Vec<&str> = if f == "@timestamp" {
            vec![f.as_str()]
        } else {
            f.split('.').collect()
        };
        let mut cur = &mut out;
        for p in &parts[..parts.len() - 1] {
            let next = cur
                .entry(p.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            cur = next.as_object_mut().expect("just made an object");
        }
        cur.insert(parts[parts.len() - 1].to_string(), v.clone());
    }
    Value::Object(out)
}

/// RFC 4180 quoting; cells that a spreadsheet would run as a formula get a leading `'`
/// (log data is attacker-controlled).
pub fn csv_line(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let c = if c.starts_with(['=', '+', '-', '@']) && !looks_numeric_or_time(c) {
            format!("'{c}")
        } else {
            c.clone()
        };
        if c.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&c.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&c);
        }
    }
    line
}

fn looks_numeric_or_time(c: &str) -> bool {
    c[1..].chars().all(|ch| ch.is_ascii_digit() || ch == '.')
}

/// Aligned columns; cells are cut to fit `width` (the widest column shrinks first) and
/// control characters are shown as spaces, so hostile log text cannot move the cursor.
pub fn table(
    out: &mut dyn Write,
    headers: &[String],
    rows: &[Vec<String>],
    width: usize,
) -> std::io::Result<()> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let n = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let budget = width.saturating_sub(2 * n.saturating_sub(1)).max(n * 4);
    // Shrink the widest column first, but keep short columns (timestamps, IPs) whole
    // while a long one (a message) can still give way.
    let floors: Vec<usize> = widths.iter().map(|w| (*w).min(28)).collect();
    for floor_of in [|f: usize| f, |_: usize| 8] {
        while widths.iter().sum::<usize>() > budget {
            let Some((i, _)) = widths
                .iter()
                .enumerate()
                .filter(|(i, w)| **w > floor_of(floors[*i]))
                .max_by_key(|(_, w)| **w)
            else {
                break;
            };
            widths[i] -= 1;
        }
    }
    let fit = |s: &str, w: usize| -> String {
        let len = s.chars().count();
        if len <= w {
            format!("{s}{}", " ".repeat(w - len))
        } else {
            let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    };
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = (0..n)
            .map(|i| fit(cells.get(i).map_or("", String::as_str), widths[i]))
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let head: Vec<String> = headers.iter().map(|h| h.to_uppercase()).collect();
    writeln!(out, "{}", line(&head))?;
    for r in &rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_nesting() {
        let doc: Value =
            serde_json::from_str(r#"{"@timestamp":"t","source":{"ip":"1.2.3.4","port":5},"x":1}"#)
                .unwrap();
        let p = project(
            &doc,
            &["@timestamp".into(), "source.ip".into(), "nope".into()],
        );
        assert_eq!(
            p.to_string(),
            r#"{"@timestamp":"t","source":{"ip":"1.2.3.4"}}"#
        );
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(
            csv_line(&["a".into(), "b,c".into(), "say \"hi\"".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\""
        );
        assert_eq!(csv_line(&["=cmd()".into(), "-5".into()]), "'=cmd(),-5");
    }

    #[test]
    fn table_fits_width() {
        let mut out = Vec::new();
        let rows = vec![vec!["x".repeat(200), "y\x1b[2J".into()]];
        table(&mut out, &["a".into(), "b".into()], &rows, 60).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.lines().all(|l| l.chars().count() <= 60), "{s}");
        assert!(!s.contains('\x1b'));
    }
}
