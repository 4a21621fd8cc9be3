//! aurora-store: the SQLite (FTS5) event store behind `aurora-search`.
//!
//! - [`schema`]: tables, indexes, migrations, connection setup (its SQL functions in
//!   `functions.rs`);
//! - [`doc`]: one NDJSON line → a row (hot columns, FTS text) or a heartbeat;
//! - [`index`]: the threaded, batched indexer;
//! - [`query`]: the Lucene-subset parser and its compiler to SQL;
//! - [`search`]: filters, searches and counts;
//! - [`top`]: the most or least frequent values of a field;
//! - [`sources`]: the per-source cards;
//! - [`zones`]: the zone map from id ranges to time ranges.

pub mod codec;
pub mod doc;
pub mod error;
pub mod fields;
mod functions;
pub mod index;
pub mod ip;
pub mod json;
pub mod query;
pub mod schema;
pub mod search;
pub mod sources;
pub mod time;
pub mod top;
pub mod zones;

pub use error::{QueryError, Result, StoreError};
pub use index::{IndexOptions, IndexStats, index};
/// The SQLite connection type a store is opened as.
pub use rusqlite::Connection;
pub use schema::{Mode, open};
pub use search::{Filters, SortKey, count, search};
pub use top::{TopValue, top};
