complete -c aurora-norm -s f -l format -d 'Parser to use instead of detecting each line' -r -f -a "auto\t''
suricata\t''
zeek-json\t''
zeek-tsv\t''
wazuh\t''
syslog\t''
velociraptor\t''
custom\t''"
complete -c aurora-norm -s n -l source-name -d 'Name recorded in aurora.source (default: the event\'s module, e.g. suricata)' -r
complete -c aurora-norm -s r -l rejects -d 'Write rejected records (file, line, reason, record) to FILE as NDJSON' -r -F
complete -c aurora-norm -l max-line -d 'Longest line accepted, in bytes; longer lines are rejected whole' -r
complete -c aurora-norm -s j -l threads -d 'Worker threads (default: the number of CPUs, at most 8). Output order is the input order whatever the number' -r
complete -c aurora-norm -l artifact -d 'Velociraptor artifact name for rows whose file name and row do not say (e.g. Windows.EventLogs.RDPAuth)' -r
complete -c aurora-norm -s m -l mapping -d 'Read every JSON line through this mapping file (TOML: timestamp field and format, field renames to ECS, constants, severity rule); see the CUSTOM MAPPINGS section of the README' -r -F
complete -c aurora-norm -l tz -d 'Time zone of syslog stamps that carry none (an IANA name such as Europe/Berlin); recorded in event.timezone. Default: UTC' -r
complete -c aurora-norm -l year -d 'Year of syslog stamps that carry none (RFC 3164). Default: the year the file was last modified (the current year for standard input), or the previous one for stamps more than a day later than that' -r
complete -c aurora-norm -l generate -d 'Print a man page or a shell completion script, then exit' -r -f -a "man\t''
complete-bash\t''
complete-zsh\t''
complete-fish\t''"
complete -c aurora-norm -l no-original -d 'Drop event.original (the raw record), which is otherwise kept'
complete -c aurora-norm -l stats -d 'Print a summary of what came out (events per dataset) on stderr'
complete -c aurora-norm -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aurora-norm -s V -l version -d 'Print version'
