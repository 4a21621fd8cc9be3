//! Recursive-descent parser for the Lucene query_string subset of DESIGN.md:
//! `field:value`, `"phrases"`, AND/OR/NOT (`&&`, `||`, `!`), `+`/`-`, grouping (also
//! `field:(a OR b)`), `*`/`?` wildcards, `[a TO b]`/`{a TO b}`, `>=`, `_exists_:field`,
//! `\` escapes. Precedence NOT > AND > OR; juxtaposition means AND. Fuzzy (`~`), boost
//! (`^`) and `/regex/` are rejected with a pointer rather than silently misread.

use super::ast::{Glob, Node, Value};
use crate::error::QueryError;
use crate::fields::valid_name;

/// Parses a query. An empty query matches everything.
pub fn parse(query: &str) -> Result<Node, QueryError> {
    let mut p = Parser {
        q: query,
        c: query.chars().collect(),
        i: 0,
        depth: 0,
    };
    p.ws();
    if p.i == p.c.len() {
        return Ok(Node::All);
    }
    let node = p.or(None)?;
    p.ws();
    if p.i < p.c.len() {
        return Err(p.err(p.i, format!("unexpected '{}'", p.c[p.i])));
    }
    Ok(node)
}

struct Parser<'a> {
    q: &'a str,
    c: Vec<char>,
    i: usize,
    depth: usize,
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

impl Parser<'_> {
    fn err(&self, pos: usize, msg: impl Into<String>) -> QueryError {
        QueryError::new(self.q, pos, msg)
    }

    fn ws(&mut self) {
        while self.c.get(self.i).is_some_and(|c| c.is_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    /// Is the next token the operator `word` (a whole word, unescaped)?
    fn at_op(&self, word: &str) -> bool {
        let n = word.chars().count();
        let matches = self.c.len() >= self.i + n
            && self.c[self.i..self.i + n].iter().copied().eq(word.chars());
        matches
            && self
                .c
                .get(self.i + n)
                .is_none_or(|c| ends_word(*c) || *c == '"')
    }

    fn at_symbol(&self, sym: &str) -> bool {
        let n = sym.chars().count();
        self.c.len() >= self.i + n && self.c[self.i..self.i + n].iter().copied().eq(sym.chars())
    }

    fn or(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        let mut items = vec![self.and(field)?];
        loop {
            self.ws();
            if self.at_op("OR") || self.at_symbol("||") {
                self.i += 2;
            } else {
                break;
            }
            self.ws();
            items.push(self.and(field)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        let mut items = vec![self.unary(field)?];
        loop {
            self.ws();
            match self.peek() {
                None | Some(')') => break,
                _ if self.at_op("OR") || self.at_symbol("||") => break,
                _ => {}
            }
            if self.at_op("AND") {
                self.i += 3;
            } else if self.at_symbol("&&") {
                self.i += 2;
            }
            self.ws();
            items.push(self.unary(field)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        self.ws();
        let start = self.i;
        // `-`, `!` and `+` are operators only when glued to what follows; alone they
        // are just characters to search for.
        let glued = self
            .c
            .get(self.i + 1)
            .is_some_and(|c| !c.is_whitespace() && *c != ')');
        if self.at_op("NOT") {
            self.i += 3;
        } else if glued && (self.peek() == Some('!') || self.peek() == Some('-')) {
            self.i += 1;
        } else if glued && self.peek() == Some('+') {
            self.i += 1;
            return self.primary(field);
        } else {
            return self.primary(field);
        }
        self.ws();
        if self.i == self.c.len() {
            return Err(self.err(start, "NOT needs something to negate"));
        }
        Ok(Node::Not(Box::new(self.unary(field)?)))
    }

    fn primary(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        self.ws();
        let start = self.i;
        let Some(c) = self.peek() else {
            return Err(self.err(start, "query ends where a term was expected"));
        };
        match c {
            '(' => self.group(field),
            ')' => Err(self.err(start, "unexpected ')'")),
            '"' => {
                let s = self.phrase()?;
                self.no_modifier()?;
                Ok(Node::Term {
                    field: field.map(str::to_string),
                    value: Value::Phrase(s),
                    pos: start,
                })
            }
            '[' | '{' | '>' | '<' => match field {
                Some(f) => self.range_or_cmp(f),
                None => Err(self.err(
                    start,
                    "a range needs a field, as in source.port:[1 TO 1024]",
                )),
            },
            '/' => Err(self.err(
                start,
                "regular expressions are not supported; use wildcards (* ?)",
            )),
            _ if self.at_op("AND")
                || self.at_op("OR")
                || self.at_symbol("&&")
                || self.at_symbol("||") =>
            {
                Err(self.err(start, "operator where a term was expected"))
            }
            _ => self.word_or_field(field),
        }
    }

    fn group(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        let open = self.i;
        self.i += 1;
        self.depth += 1;
        if self.depth > 100 {
            return Err(self.err(open, "too deeply nested"));
        }
        self.ws();
        if self.peek() == Some(')') {
            return Err(self.err(self.i, "empty group"));
        }
        let inner = self.or(field)?;
        self.ws();
        if self.peek() != Some(')') {
            return Err(self.err(open, "unclosed '('"));
        }
        self.i += 1;
        self.depth -= 1;
        self.no_modifier()?;
        Ok(inner)
    }

    /// Rejects `~` and `^` right after a term: we do not do fuzzy, proximity or boosts.
    fn no_modifier(&self) -> Result<(), QueryError> {
        match self.peek() {
            Some('~') => {
                Err(self.err(self.i, "fuzzy and proximity searches (~) are not supported"))
            }
            Some('^') => Err(self.err(self.i, "boosts (^) are not supported")),
            _ => Ok(()),
        }
    }

    fn phrase(&mut self) -> Result<String, QueryError> {
        let open = self.i;
        self.i += 1;
        let mut s = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                '"' => return Ok(s),
                '\\' => match self.peek() {
                    Some(n) => {
                        s.push(n);
                        self.i += 1;
                    }
                    None => return Err(self.err(self.i - 1, "nothing to escape after '\\'")),
                },
                c => s.push(c),
            }
        }
        Err(self.err(open, "unclosed '\"'"))
    }

    /// A bare word, split at an unescaped ':' into a field and its value when no field is
    /// set yet. In a value, ':' is literal (so `source.ip:fe80::1` and times work).
    fn word_or_field(&mut self, field: Option<&str>) -> Result<Node, QueryError> {
        let start = self.i;
        let mut globs: Vec<Glob> = Vec::new();
        let mut wild = false;
        while let Some(c) = self.peek() {
            if ends_word(c) {
                break;
            }
            match c {
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some(n) => globs.push(Glob::Lit(n)),
                        None => return Err(self.err(self.i - 1, "nothing to escape after '\\'")),
                    }
                }
                ':' if field.is_none() => {
                    let name: String = self.c[start..self.i].iter().collect();
                    return self.field_value(name, start);
                }
                '*' => {
                    wild = true;
                    globs.push(Glob::Star);
                }
                '?' => {
                    wild = true;
                    globs.push(Glob::One);
                }
                '~' | '^' => return self.no_modifier().map(|_| Node::All),
                c => globs.push(Glob::Lit(c)),
            }
            self.i += 1;
        }
        let field = field.map(str::to_string);
        if wild {
            if globs.iter().all(|g| *g == Glob::Star) {
                return Ok(match field {
                    Some(f) => Node::Exists {
                        field: f,
                        pos: start,
                    },
                    None => Node::All,
                });
            }
            return Ok(Node::Term {
                field,
                value: Value::Wildcard(globs),
                pos: start,
            });
        }
        let word: String = globs
            .iter()
            .map(|g| match g {
                Glob::Lit(c) => *c,
                _ => unreachable!(),
            })
            .collect();
        Ok(Node::Term {
            field,
            value: Value::Word(word),
            pos: start,
        })
    }

    fn field_value(&mut self, name: String, start: usize) -> Result<Node, QueryError> {
        self.i += 1; // the ':'
        if name == "*" {
            // `*:*`
            self.word_or_field(Some("*"))?;
            return Ok(Node::All);
        }
        if !valid_name(&name) {
            return Err(self.err(start, format!("{name:?} is not a field name")));
        }
        match self.peek() {
            None => return Err(self.err(self.i, format!("no value after '{name}:'"))),
            Some(c) if c.is_whitespace() => {
                return Err(self.err(
                    self.i,
                    format!("no value after '{name}:' (quote a value with spaces)"),
                ));
            }
            _ => {}
        }
        if name == "_exists_" {
            let pos = self.i;
            let f: String = std::iter::from_fn(|| {
                let c = self.peek().filter(|c| !ends_word(*c))?;
                self.i += 1;
                Some(c)
            })
            .collect();
            if !valid_name(&f) {
                return Err(self.err(pos, format!("{f:?} is not a field name")));
            }
            return Ok(Node::Exists { field: f, pos });
        }
        self.primary(Some(&name))
    }

    fn range_or_cmp(&mut self, field: &str) -> Result<Node, QueryError> {
        let start = self.i;
        let c = self.c[self.i];
        let value = if c == '>' || c == '<' {
            self.i += 1;
            let eq = self.peek() == Some('=');
            if eq {
                self.i += 1;
            }
            let bound = self.bound(start)?;
            if bound.is_none() {
                return Ok(Node::Exists {
                    field: field.to_string(),
                    pos: start,
                });
            }
            if c == '>' {
                Value::Range {
                    lo: bound,
                    hi: None,
                    lo_incl: eq,
                    hi_incl: true,
                }
            } else {
                Value::Range {
                    lo: None,
                    hi: bound,
                    lo_incl: true,
                    hi_incl: eq,
                }
            }
        } else {
            self.i += 1;
            self.ws();
            let lo = self.bound(start)?;
            self.ws();
            if !self.at_op("TO") {
                return Err(self.err(self.i, "expected 'TO' in range"));
            }
            self.i += 2;
            self.ws();
            let hi = self.bound(start)?;
            self.ws();
            let hi_incl = match self.peek() {
                Some(']') => true,
                Some('}') => false,
                _ => return Err(self.err(self.i, "expected ']' or '}' to close the range")),
            };
            self.i += 1;
            Value::Range {
                lo,
                hi,
                lo_incl: c == '[',
                hi_incl,
            }
        };
        Ok(Node::Term {
            field: Some(field.to_string()),
            value,
            pos: start,
        })
    }

    /// One end of a range: a quoted string, `*` (open), or a bare word.
    fn bound(&mut self, range_start: usize) -> Result<Option<String>, QueryError> {
        if self.peek() == Some('"') {
            return self.phrase().map(Some);
        }
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ']' || c == '}' || c == ')' || c == '(' {
                break;
            }
            if c == '\\' {
                self.i += 1;
                match self.peek() {
                    Some(n) => s.push(n),
                    None => return Err(self.err(self.i - 1, "nothing to escape after '\\'")),
                }
            } else {
                s.push(c);
            }
            self.i += 1;
        }
        if s.is_empty() {
            return Err(self.err(
                if self.i < self.c.len() {
                    self.i
                } else {
                    range_start
                },
                "missing range bound",
            ));
        }
        Ok(if s == "*" { None } else { Some(s) })
    }
}
