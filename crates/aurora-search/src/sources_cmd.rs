//! `aurora-search sources`: the source cards, once or refreshed with `--watch`.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use aurora_store::sources::{SourceCard, cards, human_duration};
use aurora_store::time;
use serde_json::json;

use crate::cli::{CardFormat, SourcesArgs};
use crate::filters::{open_store, resolve_now};
use crate::output::{stdout_is_tty, table, term_width};

pub fn run(args: SourcesArgs) -> Result<i32> {
    let tz = jiff::tz::TimeZone::get(&args.tz).with_context(|| format!("--tz {:?}", args.tz))?;
    let stale = time::parse_duration(&args.stale)
        .ok_or_else(|| anyhow!("--stale {:?}: expected a duration such as 5m", args.stale))?;
    let format = args.format.unwrap_or(if stdout_is_tty() {
        CardFormat::Table
    } else {
        CardFormat::Ndjson
    });
    let conn = open_store(&args.db.db)?;
    loop {
        // With --watch and no --now, "now" moves on; a fixed --now stays fixed.
        let now = resolve_now(args.now.as_deref())?;
        let today_start = start_of_day(now, &tz)?;
        let list = cards(&conn, now, today_start, stale)
            .with_context(|| format!("reading {}", args.db.db.display()))?;
        let mut out = std::io::stdout().lock();
        if args.watch.is_some() && stdout_is_tty() {
            write!(out, "\x1b[H\x1b[2J")?;
        }
        render(&mut out, &list, format, now, &tz)?;
        out.flush()?;
        match args.watch {
            Some(secs) => std::thread::sleep(Duration::from_secs_f64(secs.max(0.2))),
            None => return Ok(0),
        }
    }
}

fn start_of_day(now: i64, tz: &jiff::tz::TimeZone) -> Result<i64> {
    let ts = jiff::Timestamp::from_microsecond(now).context("time out of range")?;
    let day = ts
        .to_zoned(tz.clone())
        .start_of_day()
        .context("start of day")?;
    Ok(day.timestamp().as_microsecond())
}

fn show_time(t: Option<i64>, tz: &jiff::tz::TimeZone) -> String {
    let Some(t) = t else { return String::new() };
    match jiff::Timestamp::from_microsecond(t) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        Err(_) => String::new(),
    }
}

fn render(
    out: &mut dyn Write,
    list: &[SourceCard],
    format: CardFormat,
    now: i64,
    tz: &jiff::tz::TimeZone,
) -> Result<()> {
    let as_json = |c: &SourceCard| {
        json!({
            "source": c.name,
            "status": c.status,
            "since": c.since.map(time::format_ts),
            "message": c.message,
            "events_per_second": (c.events_per_sec * 100.0).round() / 100.0,
            "events_today": c.today,
            "events_stored": c.total,
            "last_event": c.last_event.map(time::format_ts),
            "status_from": c.basis,
            "collector_events_total": c.events_total,
        })
    };
    match format {
        CardFormat::Json => {
            let all: Vec<_> = list.iter().map(as_json).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
        }
        CardFormat::Ndjson => {
            for c in list {
                writeln!(out, "{}", as_json(c))?;
            }
        }
        CardFormat::Table => {
            if list.is_empty() {
                writeln!(
                    out,
                    "no sources yet: index some events (aurora-search index)"
                )?;
                return Ok(());
            }
            let headers: Vec<String> = [
                "source",
                "status",
                "since",
                "events/s",
                "today",
                "stored",
                "last event",
                "note",
            ]
            .map(String::from)
            .into();
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    let since = match c.since {
                        Some(s) => format!(
                            "{} ({} ago)",
                            show_time(Some(s), tz),
                            human_duration(now - s)
                        ),
                        None => String::new(),
                    };
                    vec![
                        c.name.clone(),
                        c.status.clone(),
                        since,
                        format!("{:.1}", c.events_per_sec),
                        c.today.to_string(),
                        c.total.to_string(),
                        show_time(c.last_event, tz),
                        c.message.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            table(out, &headers, &rows, term_width())?;
        }
    }
    Ok(())
}
