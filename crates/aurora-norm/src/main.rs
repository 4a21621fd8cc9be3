//! aurora-norm: raw security logs in, ECS NDJSON out.

mod cli;
mod inputs;
mod run;

use anyhow::{Context, Result};
use aurora_cli::{EXIT_FAILURE, EXIT_OK, EXIT_REJECTS};
use aurora_core::reject::RejectSink;
use aurora_core::{Format, Options};
use clap::Parser;
use std::io::{BufWriter, Write};
use std::sync::Arc;

fn main() {
    let args = cli::Args::parse();
    match real_main(args) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("aurora-norm: {e:#}");
            std::process::exit(EXIT_FAILURE);
        }
    }
}

fn real_main(args: cli::Args) -> Result<i32> {
    if let Some(kind) = &args.generate {
        aurora_cli::generate(cli::command(), kind)?;
        return Ok(EXIT_OK);
    }
    let inputs = inputs::expand(&args.inputs)?;
    let mut format = Format::from_name(&args.format).expect("clap checked the value");
    let mapping = match &args.mapping {
        Some(path) => {
            let m = aurora_core::source::custom::Mapping::load(path)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            if format == Format::Auto {
                format = Format::Custom;
            }
            Some(Arc::new(m))
        }
        None => None,
    };
    let opts = Options {
        format,
        source_name: args.source_name.clone(),
        keep_original: !args.no_original,
        mapping,
        velociraptor: aurora_core::source::velociraptor::Settings {
            artifact: args.artifact.clone(),
        },
        syslog: aurora_core::source::syslog::Settings {
            year: args.year,
            tz: args.tz,
        },
        ..Options::default()
    };
    let rejects_out: Option<Box<dyn Write + Send>> = match &args.rejects {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("{path}: cannot create the rejects file"))?;
            Some(Box::new(BufWriter::new(f)))
        }
        None => None,
    };
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8)
    });
    aurora_cli::raise_pipe_buffer(1);
    let sink = RejectSink::new(rejects_out);
    let cfg = run::Config {
        inputs,
        opts: Arc::new(opts),
        max_line: args.max_line,
        threads,
        rejects_to_file: args.rejects.is_some(),
    };
    let totals = run::run(cfg, sink)?;
    if let Some(summary) = &totals.reject_summary {
        eprintln!("aurora-norm: {summary}");
    }
    if args.stats {
        let mut s = format!(
            "aurora-norm: {} lines, {} events, {} rejected",
            totals.lines, totals.events, totals.rejected
        );
        for (m, n) in &totals.by_module {
            s.push_str(&format!("\n  {m}: {n}"));
        }
        eprintln!("{s}");
    }
    if !totals.unreadable.is_empty() {
        return Ok(EXIT_FAILURE);
    }
    Ok(if totals.rejected > 0 {
        EXIT_REJECTS
    } else {
        EXIT_OK
    })
}
