//! Error types of the store: storage failures, bad queries (with the position of the
//! offending character) and bad filter values.

use std::fmt;

/// A query (or filter value) that could not be understood. `pos` is the index, in
/// characters, of where it went wrong, so the CLI can put a caret under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub query: String,
    pub pos: usize,
    pub message: String,
}

impl QueryError {
    pub fn new(query: &str, pos: usize, message: impl Into<String>) -> Self {
        QueryError {
            query: query.to_string(),
            pos,
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryError {
    /// Two extra lines show the query and a caret under the character at fault; the
    /// query's control characters are shown as spaces so the caret stays aligned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self
            .query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        write!(
            f,
            "{} at character {}\n  {}\n  {}^",
            self.message,
            self.pos + 1,
            shown,
            " ".repeat(self.pos)
        )
    }
}

impl std::error::Error for QueryError {}

/// Everything the store library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid query: {0}")]
    Query(QueryError),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "store schema version {found} is newer than this aurora-search understands ({supported}); upgrade aurora"
    )]
    TooNew { found: i64, supported: i64 },
}

// By hand rather than `#[from]`, which would also make the query error the `source` and
// print it twice in an error chain.
impl From<QueryError> for StoreError {
    fn from(e: QueryError) -> Self {
        StoreError::Query(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
