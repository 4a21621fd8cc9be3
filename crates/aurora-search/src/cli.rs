//! The command line of aurora-search, as clap derive definitions: the one source of truth
//! for flags, help, the man page and shell completions (see [`command`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Index ECS NDJSON into a SQLite FTS5 store and search it with Lucene-like queries.
#[derive(Debug, Parser)]
#[command(
    name = "aurora-search",
    args_override_self = true,
    version,
    about = "Index ECS NDJSON events into a SQLite FTS5 store and search them",
    long_about = "Index ECS NDJSON events (from aurora-norm, aurora-ingest, …) into a SQLite FTS5 store, then search \
them with Lucene-like queries, time/source/severity filters, top-N pivots and per-source status cards.",
    after_help = "Examples:
  aurora-norm eve.json conn.log auth.log | aurora-search index --db case42.db
  aurora-search query --db case42.db 'source.ip:10.0.0.0/8 AND \"Failed password\"' --since 24h
  aurora-search query 'event.kind:alert AND NOT rule.name:ET\\ POLICY*' --severity '>=high' --source suricata
  aurora-search top source.ip --since 7d --query 'event.kind:alert'
  aurora-search sources --watch 2

Exit status: 0 success, 1 finished but some input lines were rejected, 2 could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Print a man page or a shell completion script (for packaging; see scripts/gen-docs).
    #[arg(long, value_name = "KIND", hide = true, global = true,
          value_parser = clap::builder::PossibleValuesParser::new(aurora_cli::GENERATE_KINDS))]
    pub generate: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Store NDJSON events (stdin or files); the same event twice is stored once.
    Index(IndexArgs),
    /// Search events with a Lucene-like query and filters.
    #[command(after_help = QUERY_HELP)]
    Query(QueryArgs),
    /// The most (or least) frequent values of a field over the matching events.
    Top(TopArgs),
    /// One card per source: status and since when, events/s, events today, last event.
    Sources(SourcesArgs),
}

const QUERY_HELP: &str = "Query syntax (Lucene / Kibana query_string subset; default operator AND):
  word  \"a phrase\"          free text (message, rule name, event.original, all string values)
  field:value  field:\"a b\"   any ECS field, e.g. user.name:root event.outcome:failure
  source.ip:10.0.0.0/8        CIDR on IP fields; source.ip:\"::1\"
  source.port:[1 TO 1024]     ranges: [a TO b] inclusive, {a TO b} exclusive, * open end
  event.severity:>=4          comparisons > >= < <=
  @timestamp:>now-15m         times: RFC 3339, dates (2020-03-04), now-Nm/h/d
  rule.name:ET\\ POLICY*       wildcards * and ?, \\ escapes a special character
  user.name:(root OR admin)   grouping, also for one field
  a AND b, a OR b, NOT a      also && || ! and +a -a
  _exists_:user.name          the field is present (also user.name:*)
Keyword values match case-insensitively. Fuzzy (~), boost (^) and /regex/ are not supported.";

#[derive(Debug, Args)]
pub struct DbArg {
    /// The store (a SQLite file; created 0600 by `index`).
    #[arg(
        long,
        env = "AURORA_DB",
        default_value = "aurora.db",
        value_name = "FILE"
    )]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// NDJSON inputs (`-` = stdin, `.gz` read as such). Default: stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Write each rejected line as NDJSON {file,line,reason,record} to FILE.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Events per transaction when input is fast.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub batch: usize,
    /// Reject lines longer than this many bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_line: usize,
    /// Arrival time to record instead of the clock (RFC 3339), for reproducible cards.
    #[arg(long, env = "AURORA_NOW", value_name = "TIME")]
    pub now: Option<String>,
    /// No progress bar or summary (rejects are still reported).
    #[arg(long, short)]
    pub quiet: bool,
}

/// The filters of the SIEM search page, shared by `query` and `top`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only events of the last DURATION: 15m, 1h, 4h, 24h, 7d, any Ns/Nm/Nh/Nd/Nw.
    #[arg(long, value_name = "DURATION", conflicts_with = "from")]
    pub since: Option<String>,
    /// Only events at or after TIME (RFC 3339, `2020-03-04T18:00`, a date, now-1h).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only events up to TIME, inclusive at its precision (a date takes in the whole day).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Only events of this source (aurora.source); repeat or comma-separate for several.
    #[arg(long = "source", value_name = "NAME", value_delimiter = ',')]
    pub sources: Vec<String>,
    /// Severity: a word (high), a list (high,critical) or a bound (>=high, <medium).
    #[arg(long, value_name = "SEVERITY", allow_hyphen_values = true)]
    pub severity: Option<String>,
    /// What relative times count back from (RFC 3339 or a date); default: the clock.
    #[arg(long, env = "AURORA_NOW", value_name = "TIME")]
    pub now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line (the default when stdout is not a terminal).
    Ndjson,
    /// Aligned columns (the default on a terminal).
    Table,
    /// Comma-separated values with a header line.
    Csv,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The query (see below); empty or omitted = all events.
    #[arg(value_name = "QUERY", default_value = "", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// At most N events; 0 = no limit.
    #[arg(long, short = 'n', default_value_t = 100, value_name = "N")]
    pub limit: u64,
    /// Order: FIELD, -FIELD or FIELD:desc, comma-separated; default -@timestamp (newest first).
    #[arg(long, value_name = "FIELDS", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Only these fields (comma-separated), as columns or in the JSON.
    #[arg(long, value_name = "FIELDS", value_delimiter = ',')]
    pub fields: Vec<String>,
    /// Print only the number of matching events.
    #[arg(long, short)]
    pub count: bool,
    /// Output format; default table on a terminal, ndjson otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Print the SQL the query compiles to, its parameters and SQLite's plan; search
    /// nothing.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct TopArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The field to count values of (e.g. source.ip, user.name, threat.technique.id).
    #[arg(value_name = "FIELD")]
    pub field: String,
    /// Only over events matching this query.
    #[arg(long, short, default_value = "", value_name = "QUERY")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// How many values.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: u64,
    /// The least frequent values instead (rare things are often the interesting ones).
    #[arg(long)]
    pub least: bool,
    /// Output format; default table on a terminal, ndjson otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Print the SQL, its parameters and SQLite's plan; count nothing.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    Table,
    /// One JSON array of cards.
    Json,
    /// One card per line.
    Ndjson,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format; default table on a terminal, ndjson otherwise.
    #[arg(long, value_enum)]
    pub format: Option<CardFormat>,
    /// Redraw every SECONDS (default 2) until interrupted, like top.
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, default_missing_value = "2")]
    pub watch: Option<f64>,
    /// Time zone for "today" (IANA name, e.g. Europe/Vienna); default UTC.
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,
    /// A source is disconnected after this long without events or heartbeats.
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub stale: String,
    /// The current time (RFC 3339); default: the clock.
    #[arg(long, env = "AURORA_NOW", value_name = "TIME")]
    pub now: Option<String>,
}

/// The clap command, for the man page and completion generators.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
