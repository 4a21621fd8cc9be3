# The jq side of scripts/bench for Zeek TSV (conn and dns): header lines read
# for the field names, rows zipped with them and mapped to ECS.
# Run as: jq -nR -f zeek-tsv.jq conn.log
def ts: tonumber | (floor | todate | sub("Z$"; "")) + "." + (tostring | split(".")[1] // "0" | .[0:6]) + "Z";
foreach inputs as $line ({fields: null, path: null, out: null};
  if ($line | startswith("#fields")) then .fields = ($line | split("\t")[1:]) | .out = null
  elif ($line | startswith("#path")) then .path = ($line | split("\t")[1]) | .out = null
  elif ($line | startswith("#")) then .out = null
  else . as $st
    | ([$st.fields, ($line | split("\t"))] | transpose | map(select(.[1] != "-")) | map({key: .[0], value: .[1]}) | from_entries) as $r
    | .out = {
        "@timestamp": ($r.ts | ts),
        aurora: {source: "zeek"},
        event: {kind: "event", category: ["network"], module: "zeek", dataset: ("zeek." + $st.path), id: $r.uid, original: $line, severity: 1},
        source: {ip: $r["id.orig_h"], port: ($r["id.orig_p"] | tonumber), bytes: ($r.orig_ip_bytes // null | if . then tonumber else null end)},
        destination: {ip: $r["id.resp_h"], port: ($r["id.resp_p"] | tonumber), bytes: ($r.resp_ip_bytes // null | if . then tonumber else null end)},
        network: {transport: $r.proto, protocol: $r.service},
        dns: (if $r.query then {question: {name: $r.query, type: $r.qtype_name}, response_code: $r.rcode_name, resolved_ip: ($r.answers // "" | split(","))} else null end),
        related: {ip: ([$r["id.orig_h"], $r["id.resp_h"]] | unique)},
        zeek: {($st.path): ($r | del(.ts, .uid, .["id.orig_h"], .["id.orig_p"], .["id.resp_h"], .["id.resp_p"], .proto, .service))}
      }
  end;
  .out // empty)
| del(..|nulls)
