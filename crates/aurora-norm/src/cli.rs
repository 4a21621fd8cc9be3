//! The command line of aurora-norm: the one definition from which `--help`,
//! the man page and the shell completions are all generated.

use clap::{ArgAction, Parser, ValueHint};

const AFTER_HELP: &str = include_str!("after_help.txt");

const AFTER_LONG_HELP: &str = concat!(
    include_str!("after_help.txt"),
    "\n",
    include_str!("mapping_help.txt")
);

/// Normalize security logs (Suricata EVE, Zeek, Wazuh, Velociraptor, syslog,
/// any JSON through a mapping) into ECS events, one JSON object per line.
#[derive(Parser, Debug)]
#[command(name = "aurora-norm", version, about, after_help = AFTER_HELP, after_long_help = AFTER_LONG_HELP)]
pub struct Args {
    /// Files, directories or globs to read; none or - reads standard input.
    #[arg(value_name = "INPUT", value_hint = ValueHint::AnyPath)]
    pub inputs: Vec<String>,

    /// Parser to use instead of detecting each line.
    #[arg(short, long, value_name = "FORMAT", default_value = "auto",
          value_parser = clap::builder::PossibleValuesParser::new(aurora_core::Format::NAMES))]
    pub format: String,

    /// Name recorded in aurora.source (default: the event's module, e.g. suricata).
    #[arg(short = 'n', long, value_name = "NAME", env = "AURORA_SOURCE_NAME")]
    pub source_name: Option<String>,

    /// Write rejected records (file, line, reason, record) to FILE as NDJSON.
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub rejects: Option<String>,

    /// Drop event.original (the raw record), which is otherwise kept.
    #[arg(long)]
    pub no_original: bool,

    /// Longest line accepted, in bytes; longer lines are rejected whole.
    #[arg(long, value_name = "BYTES", default_value_t = aurora_core::ndjson::DEFAULT_MAX_LINE)]
    pub max_line: usize,

    /// Worker threads (default: the number of CPUs, at most 8). Output order
    /// is the input order whatever the number.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Velociraptor artifact name for rows whose file name and row do not
    /// say (e.g. Windows.EventLogs.RDPAuth).
    #[arg(long, value_name = "NAME")]
    pub artifact: Option<String>,

    /// Read every JSON line through this mapping file (TOML: timestamp field
    /// and format, field renames to ECS, constants, severity rule); see the
    /// CUSTOM MAPPINGS section of the README.
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub mapping: Option<std::path::PathBuf>,

    /// Time zone of syslog stamps that carry none (an IANA name such as
    /// Europe/Berlin); recorded in event.timezone. Default: UTC.
    #[arg(long, value_name = "ZONE", env = "AURORA_TZ",
          value_parser = |s: &str| aurora_core::source::syslog::Settings::parse_tz(s))]
    pub tz: Option<aurora_core::source::syslog::Zone>,

    /// Year of syslog stamps that carry none (RFC 3164). Default: the year the
    /// file was last modified (the current year for standard input), or the
    /// previous one for stamps more than a day later than that.
    #[arg(long, value_name = "YEAR",
          value_parser = |s: &str| aurora_core::source::syslog::Settings::parse_year(s))]
    pub year: Option<i32>,

    /// Print a summary of what came out (events per dataset) on stderr.
    #[arg(long)]
    pub stats: bool,

    /// Print a man page or a shell completion script, then exit.
    #[arg(long, value_name = "KIND", hide = true, action = ArgAction::Set,
          value_parser = clap::builder::PossibleValuesParser::new(aurora_cli::GENERATE_KINDS))]
    pub generate: Option<String>,
}

/// The clap command, for doc generation.
pub fn command() -> clap::Command {
    <Args as clap::CommandFactory>::command()
}
