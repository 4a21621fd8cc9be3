//! Source cards: per source, its status and since when (from aurora-ingest heartbeats or,
//! without them, from how recently its events arrived), its arrival rate over the last
//! minute, its events today and the time of its last event.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::time::MICROS_PER_SEC;

/// status, since, message, events_total, heartbeat_at
type HeartbeatRow = (String, Option<i64>, Option<String>, Option<i64>, i64);

/// One card.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCard {
    pub name: String,
    /// connected | disconnected | error
    pub status: String,
    pub since: Option<i64>,
    /// Heartbeat message, or why the status was derived as it was.
    pub message: Option<String>,
    /// Events stored per second over the minute before `now`.
    pub events_per_sec: f64,
    /// Events whose `@timestamp` falls in the day starting at `today_start`.
    pub today: u64,
    /// Events of this source in the store.
    pub total: u64,
    pub last_event: Option<i64>,
    /// Where the status came from: `heartbeat` or `arrivals`.
    pub basis: &'static str,
    /// The collector's own counter, from the last heartbeat.
    pub events_total: Option<i64>,
}

/// Cards for every source known to the store, by name. `stale` (µs): a source counts
/// as disconnected when neither a heartbeat nor an event arrived for that long.
pub fn cards(conn: &Connection, now: i64, today_start: i64, stale: i64) -> Result<Vec<SourceCard>> {
    let mut names = BTreeSet::new();
    let mut st = conn.prepare("SELECT DISTINCT source FROM events WHERE source IS NOT NULL UNION SELECT name FROM sources UNION SELECT DISTINCT source FROM arrivals")?;
    for n in st.query_map([], |r| r.get::<_, String>(0))? {
        names.insert(n?);
    }
    let now_s = now.div_euclid(MICROS_PER_SEC);
    let mut out = Vec::new();
    for name in names {
        let (total, last_event): (i64, Option<i64>) = conn.query_row(
            "SELECT count(*), max(ts) FROM events WHERE source = ?",
            params![name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let today: i64 = conn.query_row(
            "SELECT count(*) FROM events WHERE source = ? AND ts >= ? AND ts < ?",
            params![name, today_start, today_start + 86_400 * MICROS_PER_SEC],
            |r| r.get(0),
        )?;
        let last_minute: i64 = conn.query_row(
            "SELECT IFNULL(sum(events), 0) FROM arrivals WHERE source = ? AND second > ? AND second <= ?",
            params![name, now_s - 60, now_s],
            |r| r.get(0),
        )?;
        let hb: Option<HeartbeatRow> = conn
            .query_row(
                "SELECT status, since, message, events_total, heartbeat_at FROM sources WHERE name = ?",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (status, since, message, basis, events_total) = match hb {
            Some((status, since, message, events_total, at)) => {
                if status == "connected" && now - at > stale {
                    let msg = format!("no heartbeat for {}", human_duration(now - at));
                    (
                        "disconnected".to_string(),
                        Some(at),
                        Some(msg),
                        "heartbeat",
                        events_total,
                    )
                } else {
                    (
                        status,
                        since.or(Some(at)),
                        message,
                        "heartbeat",
                        events_total,
                    )
                }
            }
            None => {
                let (status, since, msg) = from_arrivals(conn, &name, now, stale, last_event)?;
                (status, since, msg, "arrivals", None)
            }
        };
        out.push(SourceCard {
            name,
            status,
            since,
            message,
            events_per_sec: last_minute as f64 / 60.0,
            today: today as u64,
            total: total as u64,
            last_event,
            basis,
            events_total,
        });
    }
    Ok(out)
}

/// Without heartbeats: connected while events keep arriving (gaps shorter than `stale`),
/// since the start of that unbroken run; otherwise disconnected since the last arrival.
fn from_arrivals(
    conn: &Connection,
    name: &str,
    now: i64,
    stale: i64,
    last_event: Option<i64>,
) -> Result<(String, Option<i64>, Option<String>)> {
    let stale_s = stale.div_euclid(MICROS_PER_SEC).max(1);
    let now_s = now.div_euclid(MICROS_PER_SEC);
    let mut st = conn.prepare("SELECT second FROM arrivals WHERE source = ? AND second <= ? ORDER BY second DESC LIMIT 100000")?;
    let seconds: Vec<i64> = st
        .query_map(params![name, now_s], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let Some(&last) = seconds.first() else {
        // Arrivals after `now` only (an old --now over a fresh store), or a store indexed
        // before arrivals were recorded: only the event times tell.
        let later: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM arrivals WHERE source = ? AND second > ?)",
            params![name, now_s],
            |r| r.get(0),
        )?;
        let note = if later {
            "events arrived only after the --now time; since = last event time"
        } else {
            "no arrival record; since = last event time"
        };
        return Ok(("disconnected".into(), last_event, Some(note.into())));
    };
    if now_s - last > stale_s {
        return Ok((
            "disconnected".into(),
            Some(last * MICROS_PER_SEC),
            Some(format!(
                "no events for {}",
                human_duration((now_s - last) * MICROS_PER_SEC)
            )),
        ));
    }
    let mut start = last;
    for &s in &seconds[1..] {
        if start - s > stale_s {
            break;
        }
        start = s;
    }
    Ok(("connected".into(), Some(start * MICROS_PER_SEC), None))
}

/// `3d 4h`, `12m`, `40s`.
pub fn human_duration(micros: i64) -> String {
    let s = micros.max(0) / MICROS_PER_SEC;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h {}m", s / 3600, (s / 60) % 60),
        _ => format!("{}d {}h", s / 86_400, (s / 3600) % 24),
    }
}
