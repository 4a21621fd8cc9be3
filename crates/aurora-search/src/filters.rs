//! From command-line filter flags to the store's [`Filters`]: what "now" is, relative
//! and absolute time windows, sources and severities.

use anyhow::{Context, Result, anyhow, bail};
use aurora_store::search::parse_severity_filter;
use aurora_store::{Filters, time};

use crate::cli::FilterArgs;

/// `--now` / `AURORA_NOW` (RFC 3339 or a date), or the clock.
pub fn resolve_now(now: Option<&str>) -> Result<i64> {
    match now {
        None => Ok(time::now_micros()),
        Some(t) => time::parse_time_expr(t, time::now_micros())
            .map(|s| s.start)
            .ok_or_else(|| anyhow!("--now / AURORA_NOW {t:?} is not an RFC 3339 time or a date")),
    }
}

pub fn build(args: &FilterArgs, query: &str) -> Result<Filters> {
    let now = resolve_now(args.now.as_deref())?;
    let mut f = Filters {
        query: query.to_string(),
        now,
        ..Filters::default()
    };
    if let Some(s) = &args.since {
        let d = time::parse_duration(s).ok_or_else(|| {
            anyhow!("--since {s:?}: expected a duration such as 15m, 1h, 4h, 24h, 7d")
        })?;
        f.from = Some(now - d);
    }
    if let Some(s) = &args.from {
        let span = time::parse_time_expr(s, now).ok_or_else(|| {
            anyhow!("--from {s:?}: expected RFC 3339, YYYY-MM-DD[THH:MM[:SS]] or now-N[smhdw]")
        })?;
        f.from = Some(span.start);
    }
    if let Some(s) = &args.to {
        let span = time::parse_time_expr(s, now).ok_or_else(|| {
            anyhow!("--to {s:?}: expected RFC 3339, YYYY-MM-DD[THH:MM[:SS]] or now-N[smhdw]")
        })?;
        f.to = Some(span.end());
    }
    if let (Some(a), Some(b)) = (f.from, f.to) {
        if a >= b {
            bail!("the time window is empty: --from/--since is not before --to");
        }
    }
    f.sources = args
        .sources
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(s) = &args.severity {
        f.severities = parse_severity_filter(s).map_err(|e| anyhow!("--severity: {e}"))?;
    }
    // Check the query before touching the store, so its error stands alone.
    f.to_sql().map_err(|e| anyhow!("invalid query: {e}"))?;
    Ok(f)
}

/// Opens the store read-only, naming it in errors.
pub fn open_store(db: &std::path::Path) -> Result<aurora_store::Connection> {
    aurora_store::open(db, aurora_store::Mode::Read)
        .with_context(|| format!("opening {}", db.display()))
}

/// Says on stderr when the store lacks some of its indexes (a bulk load still running,
/// or killed before it built them): the answer is complete, but may take a full scan.
pub fn warn_if_unindexed(conn: &aurora_store::Connection, db: &std::path::Path) {
    if let Ok(missing) = aurora_store::schema::missing_event_indexes(conn) {
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|(n, _)| *n).collect();
            eprintln!(
                "aurora-search: note: {}: indexes {} are missing (an index run is building them, or was interrupted); answers are complete but may be slow until `aurora-search index` runs on this store again",
                db.display(),
                names.join(", ")
            );
        }
    }
}
