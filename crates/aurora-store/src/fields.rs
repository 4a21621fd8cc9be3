//! Which ECS fields are hot columns of `events` and how every other field is compared.
//! The query compiler, `top` and `--sort` all resolve field names here, so a field
//! behaves the same wherever it is named.

/// How values of a field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Keyword: exact (ASCII case-insensitive) match, wildcards, string ranges.
    Keyword,
    /// Integer column.
    Int,
    /// 16-byte IP key: exact, CIDR, ranges.
    Ip,
    /// Microseconds since the epoch: dates, `now-15m`, ranges.
    Time,
    /// `aurora.severity`: words mapped to the `severity` integer column.
    SeverityWord,
    /// Array held in the `techniques` side table.
    Technique,
    /// Analysed text held in the FTS5 column of that name.
    Text(&'static str),
}

/// Where a field's value lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A column of `events` (for `Kind::Text`, the column is the FTS5 column).
    Hot { column: &'static str, kind: Kind },
    /// Anywhere else in the document, reached by a JSON path; `kind` is guessed from the
    /// field name (`*.ip` are IPs, the ECS time fields are times).
    Json { path: String, kind: Kind },
}

const HOT: &[(&str, &str, Kind)] = &[
    ("@timestamp", "ts", Kind::Time),
    ("aurora.source", "source", Kind::Keyword),
    ("event.severity", "severity", Kind::Int),
    ("aurora.severity", "severity", Kind::SeverityWord),
    ("event.kind", "kind", Kind::Keyword),
    ("event.module", "module", Kind::Keyword),
    ("event.dataset", "dataset", Kind::Keyword),
    ("event.outcome", "outcome", Kind::Keyword),
    ("source.ip", "src_ip", Kind::Ip),
    ("source.port", "src_port", Kind::Int),
    ("destination.ip", "dst_ip", Kind::Ip),
    ("destination.port", "dst_port", Kind::Int),
    ("user.name", "user_name", Kind::Keyword),
    ("host.name", "host_name", Kind::Keyword),
    ("rule.id", "rule_id", Kind::Keyword),
    ("rule.name", "rule_name", Kind::Keyword),
    ("threat.technique.id", "technique", Kind::Technique),
    ("message", "message", Kind::Text("message")),
    ("event.original", "original", Kind::Text("original")),
];

const TIME_FIELDS: &[&str] = &[
    "event.created",
    "event.start",
    "event.end",
    "event.ingested",
    "aurora.heartbeat.since",
    "aurora.correlation.first_seen",
    "aurora.correlation.last_seen",
];

/// Severity words, index = `event.severity`.
pub const SEVERITY_WORDS: [&str; 6] = ["unknown", "info", "low", "medium", "high", "critical"];

/// `high` → 4; also accepts the number itself and a few common synonyms.
pub fn severity_of(word: &str) -> Option<i64> {
    let w = word.trim().to_ascii_lowercase();
    if let Some(i) = SEVERITY_WORDS.iter().position(|s| *s == w) {
        return Some(i as i64);
    }
    match w.as_str() {
        "informational" => Some(1),
        "med" => Some(3),
        "crit" => Some(5),
        _ => w.parse::<i64>().ok().filter(|n| (0..=5).contains(n)),
    }
}

/// Field names are identifiers (`source.ip`, `@timestamp`, `zeek.conn.id-orig_h`): this
/// keeps paths well-formed; they are bound as parameters all the same.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
}

/// Resolves a field name.
pub fn resolve(name: &str) -> Field {
    if let Some((_, column, kind)) = HOT.iter().find(|(n, _, _)| *n == name) {
        return Field::Hot {
            column,
            kind: *kind,
        };
    }
    let kind = if name.ends_with(".ip") || name == "related.ip" || name.ends_with(".ips") {
        Kind::Ip
    } else if TIME_FIELDS.contains(&name) || name.ends_with("@timestamp") {
        Kind::Time
    } else {
        Kind::Keyword
    };
    Field::Json {
        path: json_path(name),
        kind,
    }
}

/// `source.ip` → `$."source"."ip"` (every key quoted, so `@timestamp` and `-` work).
pub fn json_path(name: &str) -> String {
    let mut p = String::from("$");
    for part in name.split('.') {
        p.push_str(".\"");
        p.push_str(part);
        p.push('"');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves() {
        assert_eq!(
            resolve("source.ip"),
            Field::Hot {
                column: "src_ip",
                kind: Kind::Ip
            }
        );
        assert_eq!(
            resolve("related.ip"),
            Field::Json {
                path: "$.\"related\".\"ip\"".into(),
                kind: Kind::Ip
            }
        );
        assert_eq!(
            resolve("event.created"),
            Field::Json {
                path: "$.\"event\".\"created\"".into(),
                kind: Kind::Time
            }
        );
        assert!(valid_name("zeek.conn.id-orig_h"));
        assert!(!valid_name("a\"b"));
        assert!(!valid_name("a..b"));
        assert_eq!(severity_of("High"), Some(4));
        assert_eq!(severity_of("3"), Some(3));
        assert_eq!(severity_of("urgent"), None);
    }
}
