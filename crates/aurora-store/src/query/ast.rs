//! The parsed form of a query. Values keep their character position so that errors found
//! while compiling (a bad IP, a bad date) still point at the right place.

/// A piece of a wildcard pattern; escaped `*`/`?` stay literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    Lit(char),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
}

/// The value side of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A bare word, escapes removed.
    Word(String),
    /// A quoted phrase, escapes removed.
    Phrase(String),
    /// A word with unescaped `*` or `?`.
    Wildcard(Vec<Glob>),
    /// `[a TO b]`, `{a TO b}`, `>=a`, … — `None` is an open end (`*`).
    Range {
        lo: Option<String>,
        hi: Option<String>,
        lo_incl: bool,
        hi_incl: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Matches every event (`*`, `*:*`, an empty query).
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `field:value`, or free text when `field` is `None`. `pos` is where the value starts.
    Term {
        field: Option<String>,
        value: Value,
        pos: usize,
    },
    /// `_exists_:field` or `field:*`.
    Exists {
        field: String,
        pos: usize,
    },
}

impl Glob {
    /// The literal text before the first wildcard, and whether the only wildcard is a
    /// final `*` (the one shape FTS5 prefix queries can answer).
    pub fn prefix(globs: &[Glob]) -> (String, bool) {
        let lit: String = globs
            .iter()
            .map_while(|g| match g {
                Glob::Lit(c) => Some(*c),
                _ => None,
            })
            .collect();
        let n = lit.chars().count();
        (lit, n + 1 == globs.len() && globs[n] == Glob::Star)
    }

    /// SQL `LIKE … ESCAPE '\'` pattern.
    pub fn like(globs: &[Glob]) -> String {
        let mut s = String::new();
        for g in globs {
            match g {
                Glob::Star => s.push('%'),
                Glob::One => s.push('_'),
                Glob::Lit(c @ ('%' | '_' | '\\')) => {
                    s.push('\\');
                    s.push(*c);
                }
                Glob::Lit(c) => s.push(*c),
            }
        }
        s
    }
}
