# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aurora_search_global_optspecs
    string join \n generate= h/help V/version
end

function __fish_aurora_search_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aurora_search_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aurora_search_using_subcommand
    set -l cmd (__fish_aurora_search_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aurora-search -n "__fish_aurora_search_needs_command" -l generate -d 'Print a man page or a shell completion script (for packaging; see scripts/gen-docs)' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-search -n "__fish_aurora_search_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -s V -l version -d 'Print version'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -f -a "index" -d 'Store NDJSON events (stdin or files); the same event twice is stored once'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -f -a "query" -d 'Search events with a Lucene-like query and filters'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -f -a "top" -d 'The most (or least) frequent values of a field over the matching events'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -f -a "sources" -d 'One card per source: status and since when, events/s, events today, last event'
complete -c aurora-search -n "__fish_aurora_search_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l db -d 'The store (a SQLite file; created 0600 by `index`)' -r -F
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l rejects -d 'Write each rejected line as NDJSON {file,line,reason,record} to FILE' -r -F
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l batch -d 'Events per transaction when input is fast' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l max-line -d 'Reject lines longer than this many bytes' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l now -d 'Arrival time to record instead of the clock (RFC 3339), for reproducible cards' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -l generate -d 'Print a man page or a shell completion script (for packaging; see scripts/gen-docs)' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -s q -l quiet -d 'No progress bar or summary (rejects are still reported)'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand index" -s h -l help -d 'Print help'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l db -d 'The store (a SQLite file; created 0600 by `index`)' -r -F
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l since -d 'Only events of the last DURATION: 15m, 1h, 4h, 24h, 7d, any Ns/Nm/Nh/Nd/Nw' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l from -d 'Only events at or after TIME (RFC 3339, `2020-03-04T18:00`, a date, now-1h)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l to -d 'Only events up to TIME, inclusive at its precision (a date takes in the whole day)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l source -d 'Only events of this source (aurora.source); repeat or comma-separate for several' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l severity -d 'Severity: a word (high), a list (high,critical) or a bound (>=high, <medium)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l now -d 'What relative times count back from (RFC 3339 or a date); default: the clock' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -s n -l limit -d 'At most N events; 0 = no limit' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l sort -d 'Order: FIELD, -FIELD or FIELD:desc, comma-separated; default -@timestamp (newest first)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l fields -d 'Only these fields (comma-separated), as columns or in the JSON' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l format -d 'Output format; default table on a terminal, ndjson otherwise' -r -f -a "ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
table\t'Aligned columns (the default on a terminal)'
csv\t'Comma-separated values with a header line'"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l generate -d 'Print a man page or a shell completion script (for packaging; see scripts/gen-docs)' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -s c -l count -d 'Print only the number of matching events'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -l explain -d 'Print the SQL the query compiles to, its parameters and SQLite\'s plan; search nothing'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l db -d 'The store (a SQLite file; created 0600 by `index`)' -r -F
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -s q -l query -d 'Only over events matching this query' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l since -d 'Only events of the last DURATION: 15m, 1h, 4h, 24h, 7d, any Ns/Nm/Nh/Nd/Nw' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l from -d 'Only events at or after TIME (RFC 3339, `2020-03-04T18:00`, a date, now-1h)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l to -d 'Only events up to TIME, inclusive at its precision (a date takes in the whole day)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l source -d 'Only events of this source (aurora.source); repeat or comma-separate for several' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l severity -d 'Severity: a word (high), a list (high,critical) or a bound (>=high, <medium)' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l now -d 'What relative times count back from (RFC 3339 or a date); default: the clock' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -s n -l limit -d 'How many values' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l format -d 'Output format; default table on a terminal, ndjson otherwise' -r -f -a "ndjson\t'One JSON object per line (the default when stdout is not a terminal)'
table\t'Aligned columns (the default on a terminal)'
csv\t'Comma-separated values with a header line'"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l generate -d 'Print a man page or a shell completion script (for packaging; see scripts/gen-docs)' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l least -d 'The least frequent values instead (rare things are often the interesting ones)'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -l explain -d 'Print the SQL, its parameters and SQLite\'s plan; count nothing'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l db -d 'The store (a SQLite file; created 0600 by `index`)' -r -F
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l format -d 'Output format; default table on a terminal, ndjson otherwise' -r -f -a "table\t''
json\t'One JSON array of cards'
ndjson\t'One card per line'"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l watch -d 'Redraw every SECONDS (default 2) until interrupted, like top' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l tz -d 'Time zone for "today" (IANA name, e.g. Europe/Vienna); default UTC' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l stale -d 'A source is disconnected after this long without events or heartbeats' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l now -d 'The current time (RFC 3339); default: the clock' -r
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -l generate -d 'Print a man page or a shell completion script (for packaging; see scripts/gen-docs)' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-search -n "__fish_aurora_search_using_subcommand sources" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand help; and not __fish_seen_subcommand_from index query top sources help" -f -a "index" -d 'Store NDJSON events (stdin or files); the same event twice is stored once'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand help; and not __fish_seen_subcommand_from index query top sources help" -f -a "query" -d 'Search events with a Lucene-like query and filters'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand help; and not __fish_seen_subcommand_from index query top sources help" -f -a "top" -d 'The most (or least) frequent values of a field over the matching events'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand help; and not __fish_seen_subcommand_from index query top sources help" -f -a "sources" -d 'One card per source: status and since when, events/s, events today, last event'
complete -c aurora-search -n "__fish_aurora_search_using_subcommand help; and not __fish_seen_subcommand_from index query top sources help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
