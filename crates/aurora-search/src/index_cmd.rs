//! `aurora-search index`: NDJSON in, store out, with a progress bar on a terminal, the
//! shared rejects stream, and a one-line summary.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use aurora_cli::{EXIT_OK, EXIT_REJECTS};
use aurora_core::reject::RejectSink;
use aurora_store::{IndexOptions, IndexStats};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::IndexArgs;
use crate::filters::resolve_now;
use crate::output::stderr_is_tty;

pub fn run(args: IndexArgs) -> Result<i32> {
    let inputs = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files.clone()
    };
    let now = match args.now.as_deref() {
        Some(_) => Some(resolve_now(args.now.as_deref())?),
        None => None,
    };
    let stream: Option<Box<dyn Write + Send>> = match &args.rejects {
        Some(p) => Some(Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("creating rejects file {}", p.display()))?,
        ))),
        None => None,
    };
    let has_stream = stream.is_some();
    let mut sink = RejectSink::new(stream);
    let mut sink_err: Option<std::io::Error> = None;

    let bar = (!args.quiet && stderr_is_tty()).then(|| {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {human_pos} lines — {msg}")
                .expect("static template"),
        );
        b.enable_steady_tick(Duration::from_millis(200));
        b
    });
    let opts = IndexOptions {
        batch: args.batch.max(1),
        max_line: args.max_line,
        now,
        ..IndexOptions::default()
    };
    let started = Instant::now();
    let result = aurora_store::index(
        &args.db.db,
        &inputs,
        &opts,
        |r| {
            if let Err(e) = sink.push(r.clone()) {
                sink_err.get_or_insert(e);
            }
        },
        |s: &IndexStats| {
            if let Some(b) = &bar {
                b.set_position(s.lines);
                let rate = s.lines as f64 / started.elapsed().as_secs_f64().max(1e-3);
                b.set_message(format!(
                    "{rate:.0} lines/s, {} new, {} already stored, {} rejected",
                    s.inserted, s.duplicates, s.rejects
                ));
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let flushed = sink.flush();
    let stats = result.with_context(|| format!("indexing into {}", args.db.db.display()))?;
    if let Some(e) = sink_err {
        return Err(e).context("writing the rejects file");
    }
    flushed.context("writing the rejects file")?;
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    if !args.quiet {
        eprintln!(
            "aurora-search: {} events indexed into {} ({} already stored, {} heartbeats) in {:.1}s: {:.0} events/s, {:.1} MB/s",
            stats.inserted,
            args.db.db.display(),
            stats.duplicates,
            stats.heartbeats,
            secs,
            stats.lines as f64 / secs,
            stats.bytes as f64 / secs / 1e6,
        );
    }
    if sink.total() > 0 {
        eprintln!("aurora-search: {}", sink.summary(has_stream));
        return Ok(EXIT_REJECTS);
    }
    Ok(EXIT_OK)
}
