//! The zone map: for each run of 4096 consecutive event ids, the earliest and latest
//! `@timestamp` among them (table `zones`, kept by the indexer in the same transaction
//! as the events). Ids are given in arrival order and logs arrive roughly in time
//! order, so the events of a time window sit in a narrow id range; the search turns
//! `--since 1h` into that range and FTS5 reads only that part of each term's list.
//! A superset is always safe: the time condition itself is still applied.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// Ids per zone, as a shift: zone = id >> ZONE_BITS.
pub const ZONE_BITS: u32 = 12;

/// The earliest and latest time of the events added to each zone in one transaction.
#[derive(Debug, Default)]
pub struct ZoneUpdates(HashMap<i64, (i64, i64)>);

impl ZoneUpdates {
    pub fn add(&mut self, id: i64, ts: i64) {
        let e = self.0.entry(id >> ZONE_BITS).or_insert((ts, ts));
        e.0 = e.0.min(ts);
        e.1 = e.1.max(ts);
    }

    /// Widens the stored zones by what was added (another indexer may have added to the
    /// same zone: the bounds only ever widen).
    pub fn save(&mut self, conn: &Connection) -> Result<()> {
        let mut st = conn.prepare_cached(
            "INSERT INTO zones (zone, min_ts, max_ts) VALUES (?,?,?)
             ON CONFLICT(zone) DO UPDATE SET min_ts = min(min_ts, excluded.min_ts),
               max_ts = max(max_ts, excluded.max_ts)",
        )?;
        for (zone, (lo, hi)) in self.0.drain() {
            st.execute(params![zone, lo, hi])?;
        }
        Ok(())
    }
}

/// The ids (inclusive) of every event with `from <= ts < to`; an empty range (1, 0)
/// when no zone overlaps the window.
pub fn id_range(conn: &Connection, from: i64, to: i64) -> Result<(i64, i64)> {
    let zones: Option<(i64, i64)> = conn
        .query_row(
            "SELECT min(zone), max(zone) FROM zones WHERE max_ts >= ? AND min_ts < ?",
            params![from, to],
            |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?)),
        )
        .optional()?
        .and_then(|(a, b)| Some((a?, b?)));
    Ok(match zones {
        Some((lo, hi)) => (lo << ZONE_BITS, ((hi + 1) << ZONE_BITS) - 1),
        None => (1, 0),
    })
}

/// The whole store as the zone map sees it: its zones (inclusive) and the earliest and
/// latest `@timestamp` of any event (bounds that only ever widen, so every event lies
/// within them); `None` for an empty store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub zones: (i64, i64),
    pub ts: (i64, i64),
}

pub fn span(conn: &Connection) -> Result<Option<Span>> {
    let row = conn.query_row(
        "SELECT min(zone), max(zone), min(min_ts), max(max_ts) FROM zones",
        [],
        |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        },
    )?;
    Ok(match row {
        (Some(z0), Some(z1), Some(t0), Some(t1)) => Some(Span {
            zones: (z0, z1),
            ts: (t0, t1),
        }),
        _ => None,
    })
}
