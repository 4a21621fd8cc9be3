//! Compiles a query tree to an SQL condition over `events e`, with every user value a
//! bound parameter. Free text goes to FTS5 as double-quoted strings; hot fields compare
//! on their indexed columns; any other field is read from the JSON document with
//! `json_each`, so arrays match on any element. Numbers compare as numbers, times as
//! times, IPs as 16-byte keys (CIDR = key range).

use rusqlite::types::Value as Sql_;

use super::ast::{Glob, Node, Value};
use crate::error::QueryError;
use crate::fields::{self, Field, Kind};
use crate::schema::DOC_OF_E;
use crate::{ip, time};

/// An SQL boolean expression and its parameters, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sql {
    pub sql: String,
    pub params: Vec<Sql_>,
}

/// Compiles `node`; `query` is the original text (for error messages) and `now` the time
/// `now-15m` counts from, in microseconds.
pub fn compile(node: &Node, query: &str, now: i64) -> Result<Sql, QueryError> {
    compile_within(node, query, now, None)
}

/// [`compile`] for a search whose events all have ids in `ids` (inclusive): FTS5 then
/// reads only that part of each term's list (see `zones` in `schema.rs`).
pub fn compile_within(
    node: &Node,
    query: &str,
    now: i64,
    ids: Option<(i64, i64)>,
) -> Result<Sql, QueryError> {
    let mut c = Compiler {
        query,
        now,
        ids,
        out: Sql::default(),
    };
    c.node(node)?;
    Ok(c.out)
}

/// `"…"` for FTS5, inner quotes doubled: FTS5 then treats every character as data.
pub fn fts_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Text FTS5's unicode61 tokenizer would find no token in (punctuation only) can only be
/// found by scanning.
pub fn has_token(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn like_literal(s: &str) -> String {
    let globs: Vec<Glob> = s.chars().map(Glob::Lit).collect();
    Glob::like(&globs)
}

/// A pattern over the stored JSON text: literal characters as JSON writes them inside a
/// string (`"` → `\"`, NUL → `\u0000`, …), so they are found where the event has them.
fn json_like(globs: &[Glob]) -> String {
    let mut out = Vec::new();
    for g in globs {
        match g {
            Glob::Lit(c) => {
                let quoted = serde_json::to_string(&c.to_string()).expect("a string serializes");
                out.extend(quoted[1..quoted.len() - 1].chars().map(Glob::Lit));
            }
            other => out.push(other.clone()),
        }
    }
    Glob::like(&out)
}

enum Num {
    Int(i64),
    Real(f64),
}

fn number(s: &str) -> Option<Num> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Num::Int(i));
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Num::Real)
}

fn num_param(n: Num) -> Sql_ {
    match n {
        Num::Int(i) => Sql_::Integer(i),
        Num::Real(f) => Sql_::Real(f),
    }
}

struct Compiler<'a> {
    query: &'a str,
    now: i64,
    ids: Option<(i64, i64)>,
    out: Sql,
}

impl Compiler<'_> {
    fn err(&self, pos: usize, msg: impl Into<String>) -> QueryError {
        QueryError::new(self.query, pos, msg)
    }

    fn push(&mut self, sql: &str) {
        self.out.sql.push_str(sql);
    }

    fn param(&mut self, v: Sql_) {
        self.out.sql.push('?');
        self.out.params.push(v);
    }

    fn text(&mut self, s: &str) {
        self.param(Sql_::Text(s.to_string()));
    }

    fn node(&mut self, node: &Node) -> Result<(), QueryError> {
        match node {
            Node::All => self.push("1"),
            Node::And(items) | Node::Or(items) => {
                let op = if matches!(node, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                self.push("(");
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(op);
                    }
                    self.node(n)?;
                }
                self.push(")");
            }
            Node::Not(inner) => {
                // Lucene's NOT keeps events that lack the field; SQL NULL would drop them.
                self.push("NOT IFNULL(");
                self.node(inner)?;
                self.push(", 0)");
            }
            Node::Exists { field, .. } => self.exists(field),
            Node::Term {
                field: None,
                value,
                pos,
            } => self.free_text(value, *pos)?,
            Node::Term {
                field: Some(f),
                value,
                pos,
            } => self.field(f, value, *pos)?,
        }
        Ok(())
    }

    fn exists(&mut self, field: &str) {
        match fields::resolve(field) {
            Field::Hot { column, kind }
                if !matches!(kind, Kind::Text(_) | Kind::Technique | Kind::Ip) =>
            {
                self.push(&format!("e.{column} IS NOT NULL"));
            }
            _ => {
                self.push(&format!("json_type({DOC_OF_E}, "));
                self.text(&fields::json_path(field));
                self.push(") NOT IN ('null')");
            }
        }
    }

    fn fts(&mut self, column: Option<&str>, expr: String) {
        let m = match column {
            Some(c) => format!("{{{c}}} : {expr}"),
            None => expr,
        };
        self.push("e.id IN (SELECT rowid FROM fts WHERE fts MATCH ");
        self.text(&m);
        if let Some((lo, hi)) = self.ids {
            self.push(" AND rowid BETWEEN ");
            self.param(Sql_::Integer(lo));
            self.push(" AND ");
            self.param(Sql_::Integer(hi));
        }
        self.push(")");
    }

    /// Scans the stored JSON for what FTS5 cannot answer (inner wildcards, punctuation).
    fn scan_doc(&mut self, pattern: String) {
        self.push(&format!("{DOC_OF_E} LIKE "));
        self.text(&format!("%{pattern}%"));
        self.push(" ESCAPE '\\'");
    }

    fn free_text(&mut self, value: &Value, pos: usize) -> Result<(), QueryError> {
        match value {
            Value::Word(s) | Value::Phrase(s) => {
                if has_token(s) {
                    self.fts(None, fts_quote(s));
                } else {
                    let globs: Vec<Glob> = s.chars().map(Glob::Lit).collect();
                    self.scan_doc(json_like(&globs));
                }
            }
            Value::Wildcard(g) => {
                let (prefix, trailing) = Glob::prefix(g);
                if trailing && has_token(&prefix) {
                    self.fts(None, format!("{}*", fts_quote(&prefix)));
                } else {
                    let like = json_like(g);
                    self.scan_doc(like);
                }
            }
            Value::Range { .. } => return Err(self.err(pos, "a range needs a field")),
        }
        Ok(())
    }

    fn field(&mut self, name: &str, value: &Value, pos: usize) -> Result<(), QueryError> {
        match fields::resolve(name) {
            Field::Hot { column, kind } => self.hot(name, column, kind, value, pos),
            Field::Json { path, kind } => {
                self.push(&format!("EXISTS (SELECT 1 FROM json_each({DOC_OF_E}, "));
                self.text(&path);
                self.push(") j WHERE ");
                self.compare(name, "j.value", kind, value, pos, true)?;
                self.push(")");
                Ok(())
            }
        }
    }

    fn hot(
        &mut self,
        name: &str,
        column: &str,
        kind: Kind,
        value: &Value,
        pos: usize,
    ) -> Result<(), QueryError> {
        match kind {
            Kind::Text(col) => match value {
                Value::Word(s) | Value::Phrase(s) if has_token(s) => {
                    self.fts(Some(col), fts_quote(s));
                    Ok(())
                }
                Value::Wildcard(g) if Glob::prefix(g).1 && has_token(&Glob::prefix(g).0) => {
                    self.fts(Some(col), format!("{}*", fts_quote(&Glob::prefix(g).0)));
                    Ok(())
                }
                Value::Range { .. } => Err(self.err(
                    pos,
                    format!("{name} is text; ranges need a keyword, number or time field"),
                )),
                _ => {
                    let pattern = match value {
                        Value::Wildcard(g) => Glob::like(g),
                        Value::Word(s) | Value::Phrase(s) => format!("%{}%", like_literal(s)),
                        Value::Range { .. } => unreachable!(),
                    };
                    self.push(&format!("json_extract({DOC_OF_E}, "));
                    self.text(&fields::json_path(name));
                    self.push(") LIKE ");
                    self.text(&pattern);
                    self.push(" ESCAPE '\\'");
                    Ok(())
                }
            },
            Kind::Technique => {
                self.push("e.id IN (SELECT event_id FROM techniques WHERE ");
                self.compare(name, "technique", Kind::Keyword, value, pos, false)?;
                self.push(")");
                Ok(())
            }
            _ => self.compare(name, &format!("e.{column}"), kind, value, pos, false),
        }
    }

    /// `expr` compared with `value` as `kind` says. `json` marks a `json_each` value: its
    /// type is only known at run time, and IPs/times there are text, not keys/µs.
    fn compare(
        &mut self,
        name: &str,
        expr: &str,
        kind: Kind,
        value: &Value,
        pos: usize,
        json: bool,
    ) -> Result<(), QueryError> {
        match (kind, value) {
            (_, Value::Wildcard(g)) => {
                let e = match kind {
                    Kind::Ip if !json => format!("aurora_ip_text({expr})"),
                    Kind::Time if !json => format!("aurora_time_text({expr})"),
                    _ => expr.to_string(),
                };
                self.push(&format!("{e} LIKE "));
                self.text(&Glob::like(g));
                self.push(" ESCAPE '\\'");
            }
            (Kind::Ip, Value::Word(s) | Value::Phrase(s)) => {
                let e = if json {
                    format!("aurora_ip({expr})")
                } else {
                    expr.to_string()
                };
                if let Some(k) = ip::key_of(s) {
                    self.push(&format!("{e} = "));
                    self.param(Sql_::Blob(k.to_vec()));
                } else if let Some((lo, hi)) = ip::cidr_range(s) {
                    self.push(&format!("{e} BETWEEN "));
                    self.param(Sql_::Blob(lo.to_vec()));
                    self.push(" AND ");
                    self.param(Sql_::Blob(hi.to_vec()));
                } else {
                    return Err(self.err(
                        pos,
                        format!("{name} is an IP field: {s:?} is not an IP address or CIDR"),
                    ));
                }
            }
            (Kind::Time, Value::Word(s) | Value::Phrase(s)) => {
                let span = self.time(name, s, pos)?;
                let e = if json {
                    format!("aurora_time({expr})")
                } else {
                    expr.to_string()
                };
                self.push(&format!("({e} >= "));
                self.param(Sql_::Integer(span.start));
                self.push(&format!(" AND {e} < "));
                self.param(Sql_::Integer(span.end()));
                self.push(")");
            }
            (Kind::Int, Value::Word(s) | Value::Phrase(s)) => {
                let n = number(s).ok_or_else(|| {
                    self.err(
                        pos,
                        format!("{name} is a number field: {s:?} is not a number"),
                    )
                })?;
                self.push(&format!("{expr} = "));
                self.param(num_param(n));
            }
            (Kind::SeverityWord, Value::Word(s) | Value::Phrase(s)) => {
                let n = self.severity(s, pos)?;
                self.push(&format!("{expr} = "));
                self.param(Sql_::Integer(n));
            }
            (
                Kind::Keyword | Kind::Technique | Kind::Text(_),
                Value::Word(s) | Value::Phrase(s),
            ) => {
                if json {
                    // A JSON value may be a number, a bool or a string: match any of them.
                    self.push(&format!("({expr} = "));
                    self.text(s);
                    self.push(" COLLATE NOCASE");
                    if let Some(n) = number(s) {
                        self.push(&format!(" OR {expr} = "));
                        self.param(num_param(n));
                    }
                    if s == "true" || s == "false" {
                        self.push(" OR j.type = ");
                        self.text(s);
                    }
                    self.push(")");
                } else {
                    self.push(&format!("{expr} = "));
                    self.text(s);
                }
            }
            (
                _,
                Value::Range {
                    lo,
                    hi,
                    lo_incl,
                    hi_incl,
                },
            ) => {
                self.range(
                    name,
                    expr,
                    kind,
                    lo.as_deref(),
                    hi.as_deref(),
                    *lo_incl,
                    *hi_incl,
                    pos,
                    json,
                )?;
            }
        }
        Ok(())
    }

    fn time(&self, name: &str, s: &str, pos: usize) -> Result<time::TimeSpan, QueryError> {
        time::parse_time_expr(s, self.now).ok_or_else(|| {
            self.err(
                pos,
                format!(
                    "{name} is a time field: {s:?} is not a date, RFC 3339 time or now-N[smhdw]"
                ),
            )
        })
    }

    fn severity(&self, s: &str, pos: usize) -> Result<i64, QueryError> {
        fields::severity_of(s).ok_or_else(|| {
            self.err(
                pos,
                format!(
                    "{s:?} is not a severity (unknown, info, low, medium, high, critical or 0-5)"
                ),
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn range(
        &mut self,
        name: &str,
        expr: &str,
        kind: Kind,
        lo: Option<&str>,
        hi: Option<&str>,
        lo_incl: bool,
        hi_incl: bool,
        pos: usize,
        json: bool,
    ) -> Result<(), QueryError> {
        // Decide how the bounds compare: by the field's kind, or for untyped JSON fields
        // by what the bounds look like (numbers, then times, else strings).
        let bounds: Vec<&str> = [lo, hi].into_iter().flatten().collect();
        let kind = match kind {
            Kind::Keyword
                if json && !bounds.is_empty() && bounds.iter().all(|b| number(b).is_some()) =>
            {
                Kind::Int
            }
            Kind::Keyword
                if json
                    && !bounds.is_empty()
                    && bounds.iter().all(|b| time::parse_span(b).is_some()) =>
            {
                Kind::Time
            }
            Kind::Text(_) => {
                return Err(self.err(
                    pos,
                    format!("{name} is text; ranges need a keyword, number or time field"),
                ));
            }
            k => k,
        };
        let e = match kind {
            Kind::Ip if json => format!("aurora_ip({expr})"),
            Kind::Time if json => format!("aurora_time({expr})"),
            // A JSON string "80" must not sort among the numbers.
            Kind::Int if json => {
                format!("(CASE WHEN j.type IN ('integer','real') THEN {expr} END)")
            }
            _ => expr.to_string(),
        };
        let mut parts = 0;
        self.push("(");
        for (bound, is_lo, incl) in [(lo, true, lo_incl), (hi, false, hi_incl)] {
            let Some(b) = bound else { continue };
            if parts > 0 {
                self.push(" AND ");
            }
            parts += 1;
            let (op, v) = match kind {
                Kind::Time => {
                    let span = self.time(name, b, pos)?;
                    // Like Elasticsearch's date rounding: `<= 2020-03-04` takes in the whole day.
                    match (is_lo, incl) {
                        (true, true) => (">=", span.start),
                        (true, false) => (">=", span.end()),
                        (false, true) => ("<", span.end()),
                        (false, false) => ("<", span.start),
                    }
                    .pipe(|(op, v)| (op, Sql_::Integer(v)))
                }
                Kind::Int => {
                    let n = number(b).ok_or_else(|| {
                        self.err(
                            pos,
                            format!("{name} is a number field: {b:?} is not a number"),
                        )
                    })?;
                    (cmp(is_lo, incl), num_param(n))
                }
                Kind::SeverityWord => (cmp(is_lo, incl), Sql_::Integer(self.severity(b, pos)?)),
                Kind::Ip => {
                    let k = ip::key_of(b).ok_or_else(|| {
                        self.err(
                            pos,
                            format!("{name} is an IP field: {b:?} is not an IP address"),
                        )
                    })?;
                    (cmp(is_lo, incl), Sql_::Blob(k.to_vec()))
                }
                _ => (cmp(is_lo, incl), Sql_::Text(b.to_string())),
            };
            self.push(&format!("{e} {op} "));
            self.param(v);
        }
        if parts == 0 {
            self.push(&format!("{e} IS NOT NULL"));
        }
        self.push(")");
        Ok(())
    }
}

fn cmp(is_lo: bool, incl: bool) -> &'static str {
    match (is_lo, incl) {
        (true, true) => ">=",
        (true, false) => ">",
        (false, true) => "<=",
        (false, false) => "<",
    }
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}
