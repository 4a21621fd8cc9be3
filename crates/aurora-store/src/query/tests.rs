//! Table-driven tests of the query parser (every form, and errors with their positions)
//! and of what the compiler makes of the tricky cases.

use super::ast::{Glob, Node, Value};
use super::{compile, parse};

/// A compact rendering of the tree, so each table row fits on a line.
fn show(n: &Node) -> String {
    let list = |op: &str, items: &[Node]| {
        format!(
            "({op} {})",
            items.iter().map(show).collect::<Vec<_>>().join(" ")
        )
    };
    match n {
        Node::All => "ALL".into(),
        Node::And(i) => list("AND", i),
        Node::Or(i) => list("OR", i),
        Node::Not(i) => format!("(NOT {})", show(i)),
        Node::Exists { field, .. } => format!("exists({field})"),
        Node::Term { field, value, .. } => {
            let f = field.clone().unwrap_or_else(|| "text".into());
            match value {
                Value::Word(w) => format!("{f}={w}"),
                Value::Phrase(p) => format!("{f}=\"{p}\""),
                Value::Wildcard(g) => {
                    let s: String = g
                        .iter()
                        .map(|x| match x {
                            Glob::Lit(c) => c.to_string(),
                            Glob::Star => "*".into(),
                            Glob::One => "?".into(),
                        })
                        .collect();
                    format!("{f}~{s}")
                }
                Value::Range {
                    lo,
                    hi,
                    lo_incl,
                    hi_incl,
                } => format!(
                    "{f}{}{}..{}{}",
                    if *lo_incl { '[' } else { '{' },
                    lo.as_deref().unwrap_or("*"),
                    hi.as_deref().unwrap_or("*"),
                    if *hi_incl { ']' } else { '}' }
                ),
            }
        }
    }
}

#[test]
fn every_form_parses() {
    let cases: &[(&str, &str)] = &[
        ("", "ALL"),
        ("   ", "ALL"),
        ("*", "ALL"),
        ("*:*", "ALL"),
        ("password", "text=password"),
        ("\"Failed password\"", "text=\"Failed password\""),
        ("user.name:root", "user.name=root"),
        ("user.name:\"John Smith\"", "user.name=\"John Smith\""),
        ("a b", "(AND text=a text=b)"),
        ("a AND b", "(AND text=a text=b)"),
        ("a && b", "(AND text=a text=b)"),
        ("a OR b", "(OR text=a text=b)"),
        ("a || b", "(OR text=a text=b)"),
        ("a OR b c", "(OR text=a (AND text=b text=c))"),
        ("a b OR c", "(OR (AND text=a text=b) text=c)"),
        ("NOT a", "(NOT text=a)"),
        ("!a", "(NOT text=a)"),
        ("-a", "(NOT text=a)"),
        ("+a -b", "(AND text=a (NOT text=b))"),
        ("NOT a AND b", "(AND (NOT text=a) text=b)"),
        ("NOT (a OR b)", "(NOT (OR text=a text=b))"),
        ("(a OR b) AND c", "(AND (OR text=a text=b) text=c)"),
        (
            "user.name:(root OR admin)",
            "(OR user.name=root user.name=admin)",
        ),
        (
            "user.name:(root admin) x",
            "(AND (AND user.name=root user.name=admin) text=x)",
        ),
        (
            "user.name:(root OR \"a b\")",
            "(OR user.name=root user.name=\"a b\")",
        ),
        ("rule.name:ET*", "rule.name~ET*"),
        ("rule.name:ET\\ POLICY*", "rule.name~ET POLICY*"),
        ("host.name:web-0?", "host.name~web-0?"),
        ("a\\*b", "text=a*b"),
        ("pass*", "text~pass*"),
        ("source.port:[1 TO 1024]", "source.port[1..1024]"),
        ("source.port:{1 TO 1024}", "source.port{1..1024}"),
        ("source.port:[1 TO 1024}", "source.port[1..1024}"),
        ("source.port:[1024 TO *]", "source.port[1024..*]"),
        ("source.port:>=1024", "source.port[1024..*]"),
        ("source.port:>1024", "source.port{1024..*]"),
        ("source.port:<1024", "source.port[*..1024}"),
        ("source.port:<=1024", "source.port[*..1024]"),
        ("@timestamp:>now-15m", "@timestamp{now-15m..*]"),
        (
            "@timestamp:[2020-03-04T18:00 TO 2020-03-04T19:00]",
            "@timestamp[2020-03-04T18:00..2020-03-04T19:00]",
        ),
        (
            "@timestamp:[\"2020-03-04 18:00\" TO *]",
            "@timestamp[2020-03-04 18:00..*]",
        ),
        ("_exists_:user.name", "exists(user.name)"),
        ("user.name:*", "exists(user.name)"),
        ("source.ip:10.0.0.0/8", "source.ip=10.0.0.0/8"),
        ("source.ip:fe80::1", "source.ip=fe80::1"),
        ("source.ip:\"::1\"", "source.ip=\"::1\""),
        ("and or", "(AND text=and text=or)"),
        ("ORANGE NOTE", "(AND text=ORANGE text=NOTE)"),
        ("a:b:c", "a=b:c"),
        ("zeek.conn.id-orig_h:x", "zeek.conn.id-orig_h=x"),
        ("\"say \\\"hi\\\"\"", "text=\"say \"hi\"\""),
        ("NEAR(a b)", "(AND text=NEAR (AND text=a text=b))"),
        ("é", "text=é"),
        ("a - b", "(AND text=a text=- text=b)"),
        ("x --", "(AND text=x (NOT text=-))"),
    ];
    for (q, want) in cases {
        let got = parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert_eq!(show(&got), *want, "query {q:?}");
    }
}

#[test]
fn errors_point_at_the_character() {
    let cases: &[(&str, usize, &str)] = &[
        ("(a OR b", 0, "unclosed '('"),
        ("user.name:(root OR admin", 10, "unclosed '('"),
        ("a)", 1, "unexpected ')'"),
        ("\"abc", 0, "unclosed '\"'"),
        ("a AND", 5, "term was expected"),
        ("a OR OR b", 5, "operator"),
        ("NOT", 0, "NOT needs"),
        ("()", 1, "empty group"),
        ("foo~2", 3, "fuzzy"),
        ("foo^2", 3, "boost"),
        ("\"a b\"~3", 5, "proximity"),
        ("/ab+c/", 0, "regular expressions"),
        ("[1 TO 2]", 0, "needs a field"),
        ("f:[1 2]", 5, "expected 'TO'"),
        ("f:[1 TO 2", 9, "']' or '}'"),
        ("f:", 2, "no value"),
        ("f: x", 2, "no value"),
        ("a\"b:c", 0, "not a field name"),
        ("_exists_:a;b", 9, "not a field name"),
        ("trail\\", 5, "nothing to escape"),
    ];
    for (q, pos, msg) in cases {
        let e = parse(q).expect_err(q);
        assert_eq!(e.pos, *pos, "query {q:?}: {e}");
        assert!(e.message.contains(msg), "query {q:?}: {e}");
        let shown = e.to_string();
        let caret_line = shown.lines().last().unwrap();
        assert_eq!(caret_line.find('^'), Some(2 + pos), "{shown}");
    }
}

#[test]
fn compile_errors_point_at_the_value() {
    let cases: &[(&str, usize, &str)] = &[
        ("source.ip:10.0.0.300", 10, "not an IP"),
        ("x AND source.port:http", 18, "not a number"),
        ("@timestamp:yesterday", 11, "not a date"),
        ("aurora.severity:urgent", 16, "not a severity"),
        ("message:[a TO b]", 8, "is text"),
        ("source.ip:[10.0.0.1 TO x]", 10, "not an IP"),
    ];
    for (q, pos, msg) in cases {
        let e = compile(&parse(q).unwrap(), q, 0).expect_err(q);
        assert_eq!(e.pos, *pos, "query {q:?}: {e}");
        assert!(e.message.contains(msg), "query {q:?}: {e}");
    }
}

#[test]
fn user_text_only_ever_reaches_sql_as_parameters() {
    let hostile = [
        "x'; DROP TABLE events; --",
        "\"NEAR(a b)\"",
        "user.name:\"a' OR '1'='1\"",
        "message:\"*\"",
        "\"a\"\"b\"",
        "rule.name:*;*",
        "zeek.a-b:'\"",
        "\u{0}",
    ];
    for q in hostile {
        let sql = compile(&parse(q).unwrap(), q, 0).unwrap();
        assert!(
            !sql.sql.contains("DROP")
                && !sql.sql.contains("NEAR")
                && !sql.sql.contains('\''.to_string().repeat(2).as_str()),
            "{q}: {}",
            sql.sql
        );
        assert!(!sql.sql.contains('\0'), "{q}");
        assert_eq!(
            sql.sql.matches('?').count(),
            sql.params.len(),
            "{q}: {}",
            sql.sql
        );
    }
}

#[test]
fn fts_terms_are_quoted() {
    let sql = compile(&parse("10.0.0.1 \"a\\\"b\" pass*").unwrap(), "", 0).unwrap();
    let texts: Vec<String> = sql
        .params
        .iter()
        .filter_map(|p| match p {
            rusqlite::types::Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, vec!["\"10.0.0.1\"", "\"a\"\"b\"", "\"pass\"*"]);
}
