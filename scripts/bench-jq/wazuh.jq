# The jq side of scripts/bench for Wazuh alerts.json.
# Run as: jq -cR -f wazuh.jq alerts.json
def utc:
  . as $t | ($t[0:19] + "Z" | fromdateiso8601) as $s | ($t[-5:]) as $off
  | (($off[1:3] | tonumber) * 3600 + ($off[3:5] | tonumber) * 60) as $o
  | (if $off[0:1] == "-" then $s + $o else $s - $o end) | todate | sub("Z$"; "." + $t[20:26] + "Z");
def sev: if . <= 3 then 1 elif . <= 6 then 2 elif . <= 11 then 3 elif . <= 14 then 4 else 5 end;
. as $raw
| fromjson
| {
    "@timestamp": (.timestamp | utc),
    aurora: {source: "wazuh"},
    event: {kind: "alert", module: "wazuh", dataset: "wazuh.alerts", id: .id, original: $raw, severity: (.rule.level | sev),
            outcome: (if (.rule.groups | index("authentication_failed")) then "failure" elif (.rule.groups | index("authentication_success")) then "success" else null end)},
    rule: {id: .rule.id, name: .rule.description, category: .rule.groups},
    threat: (if .rule.mitre then {framework: "MITRE ATT&CK",
             technique: {id: (.rule.mitre.id | map(split(".")[0])), name: .rule.mitre.technique},
             tactic: {name: .rule.mitre.tactic}} else null end),
    host: {name: .agent.name, ip: .agent.ip, id: .agent.id},
    observer: {name: .manager.name},
    source: {ip: .data.srcip, port: (.data.srcport // null | if . then tonumber else null end)},
    user: {name: .data.dstuser}, message: .full_log,
    wazuh: (. | del(.timestamp, .full_log))
  }
| del(..|nulls)
