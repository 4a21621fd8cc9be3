//! `aurora-search query` and `aurora-search top`: filtered searches printed as NDJSON,
//! a table or CSV.

use std::io::{BufWriter, Write};

use anyhow::{Context, Result, anyhow};
use aurora_store::search::parse_sort;
use serde_json::{Value, json};

use crate::cli::{Format, QueryArgs, TopArgs};
use crate::filters::{build, open_store, warn_if_unindexed};
use crate::output::{
    cell, csv_line, lookup, project, stderr_is_tty, stdout_is_tty, table, term_width,
};

/// Columns of a table or CSV when no `--fields` are given. `message` falls back to the
/// rule name, then the raw record, so every row says what happened.
const DEFAULT_COLUMNS: &[&str] = &[
    "@timestamp",
    "aurora.source",
    "aurora.severity",
    "event.kind",
    "source.ip",
    "destination.ip",
    "message",
];

fn format_of(f: Option<Format>) -> Format {
    f.unwrap_or(if stdout_is_tty() {
        Format::Table
    } else {
        Format::Ndjson
    })
}

pub fn run_query(args: QueryArgs) -> Result<i32> {
    let filters = build(&args.filters, &args.query)?;
    let conn = open_store(&args.db.db)?;
    warn_if_unindexed(&conn, &args.db.db);
    let ctx = || format!("searching {}", args.db.db.display());
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if args.explain {
        let limit = (args.limit > 0).then_some(args.limit);
        let text = if args.count {
            aurora_store::search::explain_count(&conn, &filters)
        } else {
            let sort = match &args.sort {
                Some(s) => parse_sort(s).map_err(|e| anyhow!("--sort: {e}"))?,
                None => Vec::new(),
            };
            aurora_store::search::explain_search(&conn, &filters, &sort, limit)
        }
        .with_context(ctx)?;
        write!(out, "{text}")?;
        out.flush()?;
        return Ok(0);
    }
    if args.count {
        let n = aurora_store::count(&conn, &filters).with_context(ctx)?;
        writeln!(out, "{n}")?;
        out.flush()?;
        return Ok(0);
    }
    let sort = match &args.sort {
        Some(s) => parse_sort(s).map_err(|e| anyhow!("--sort: {e}"))?,
        None => Vec::new(),
    };
    let format = format_of(args.format);
    let limit = (args.limit > 0).then_some(args.limit);
    // One more than asked tells whether there were more.
    let fetch = limit.map(|n| n + 1);
    let columns: Vec<String> = if args.fields.is_empty() {
        DEFAULT_COLUMNS.iter().map(|s| s.to_string()).collect()
    } else {
        args.fields.clone()
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut shown = 0u64;
    let mut more = false;
    if format == Format::Csv {
        writeln!(out, "{}", csv_line(&columns))?;
    }
    aurora_store::search(&conn, &filters, &sort, fetch, |doc| {
        if limit.is_some_and(|n| shown >= n) {
            more = true;
            return Ok(false);
        }
        shown += 1;
        match format {
            Format::Ndjson if args.fields.is_empty() => writeln!(out, "{doc}")?,
            _ => {
                let v: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
                match format {
                    Format::Ndjson => writeln!(out, "{}", project(&v, &args.fields))?,
                    Format::Csv => writeln!(
                        out,
                        "{}",
                        csv_line(&cells(&v, &columns, args.fields.is_empty()))
                    )?,
                    Format::Table => rows.push(cells(&v, &columns, args.fields.is_empty())),
                }
            }
        }
        Ok(true)
    })
    .with_context(ctx)?;
    if format == Format::Table {
        if rows.is_empty() {
            writeln!(out, "no events match")?;
        } else {
            table(&mut out, &columns, &rows, term_width())?;
        }
    }
    out.flush()?;
    if more && stderr_is_tty() {
        eprintln!(
            "aurora-search: showing the first {shown} events; --limit N or --limit 0 for more, --count for the total"
        );
    }
    Ok(0)
}

fn cells(v: &Value, columns: &[String], defaults: bool) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let mut val = lookup(v, c);
            if defaults && c == "message" {
                val = val
                    .or_else(|| lookup(v, "rule.name"))
                    .or_else(|| lookup(v, "event.original"));
            }
            cell(val)
        })
        .collect()
}

pub fn run_top(args: TopArgs) -> Result<i32> {
    let filters = build(&args.filters, &args.query)?;
    let conn = open_store(&args.db.db)?;
    warn_if_unindexed(&conn, &args.db.db);
    let ctx = || format!("searching {}", args.db.db.display());
    if args.explain {
        let mut out = std::io::stdout().lock();
        for text in [
            aurora_store::search::explain_count(&conn, &filters),
            aurora_store::top::explain_top(&conn, &filters, &args.field, args.limit, args.least),
        ] {
            write!(out, "{}", text.with_context(ctx)?)?;
        }
        return Ok(0);
    }
    // The total (for the percentages) is a second scan: it runs on a connection and a
    // core of its own, beside the grouping.
    let (total, values) = std::thread::scope(|s| {
        let counter = s.spawn(|| -> Result<u64> {
            let conn = open_store(&args.db.db)?;
            aurora_store::count(&conn, &filters).with_context(ctx)
        });
        let values = aurora_store::top(&conn, &filters, &args.field, args.limit, args.least)
            .with_context(ctx);
        let total = counter
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the counting thread failed")));
        (total, values)
    });
    let (total, values) = (total?, values?);
    let pct = |n: u64| {
        if total == 0 {
            0.0
        } else {
            (n as f64 * 10_000.0 / total as f64).round() / 100.0
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    match format_of(args.format) {
        Format::Ndjson => {
            for v in &values {
                writeln!(
                    out,
                    "{}",
                    json!({"field": args.field, "value": v.value, "count": v.count, "percent": pct(v.count)})
                )?;
            }
        }
        Format::Csv => {
            writeln!(
                out,
                "{}",
                csv_line(&[args.field.clone(), "count".into(), "percent".into()])
            )?;
            for v in &values {
                writeln!(
                    out,
                    "{}",
                    csv_line(&[
                        cell(Some(&v.value)),
                        v.count.to_string(),
                        pct(v.count).to_string()
                    ])
                )?;
            }
        }
        Format::Table => {
            if values.is_empty() {
                writeln!(
                    out,
                    "no values of {} in {} matching events",
                    args.field, total
                )?;
            } else {
                let rows: Vec<Vec<String>> = values
                    .iter()
                    .map(|v| {
                        vec![
                            cell(Some(&v.value)),
                            v.count.to_string(),
                            format!("{:.1}%", pct(v.count)),
                        ]
                    })
                    .collect();
                table(
                    &mut out,
                    &[args.field.clone(), "count".into(), "of events".into()],
                    &rows,
                    term_width(),
                )?;
                writeln!(out, "({total} matching events)")?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}
