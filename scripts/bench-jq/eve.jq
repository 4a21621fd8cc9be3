# The jq side of scripts/bench: the same EVE -> ECS mapping aurora-norm does,
# written the way an analyst would in jq. Run as: jq -cR -f eve.jq eve.json
def utc:
  . as $t
  | ($t[0:19] + "Z" | fromdateiso8601) as $s
  | ($t[-5:]) as $off
  | (($off[1:3] | tonumber) * 3600 + ($off[3:5] | tonumber) * 60) as $o
  | (if $off[0:1] == "-" then $s + $o else $s - $o end)
  | todate
  | sub("Z$"; "." + $t[20:26] + "Z");
def sev:
  if .event_type != "alert" then 1
  elif (.alert.metadata.signature_severity // [] | index("Critical")) then 5
  elif .alert.severity == 1 then 4 elif .alert.severity == 2 then 3
  elif .alert.severity == 3 then 2 else 1 end;
def words: ["unknown", "info", "low", "medium", "high", "critical"];
def category:
  if .event_type == "alert" then ["network", "intrusion_detection"]
  elif .event_type == "http" then ["network", "web"]
  elif .event_type == "fileinfo" then ["network", "file"]
  else ["network"] end;
def kind:
  if .event_type == "alert" then "alert" elif .event_type == "stats" then "metric" else "event" end;
. as $raw
| fromjson
| . as $e
| (sev) as $sev
| {
    "@timestamp": (.timestamp | utc),
    aurora: {source: "suricata", severity: words[$sev], id: ($raw | @base64 | .[0:32])},
    event: {
      kind: kind, category: category, module: "suricata", dataset: "suricata.eve",
      severity: $sev, original: $raw,
      type: (if .event_type == "flow" then ["connection", "end"] elif .event_type == "alert" then ["allowed"] else ["protocol"] end)
    },
    source: {ip: .src_ip, port: .src_port, bytes: .flow.bytes_toserver, packets: .flow.pkts_toserver},
    destination: {ip: .dest_ip, port: .dest_port, bytes: .flow.bytes_toclient, packets: .flow.pkts_toclient},
    network: {transport: (.proto // "" | ascii_downcase), protocol: .app_proto, community_id: .community_id},
    observer: {vendor: "OISF", product: "Suricata", type: "ids", hostname: .host},
    related: {ip: ([.src_ip, .dest_ip] | map(select(. != null)) | unique)},
    rule: (if .alert then {id: (.alert.signature_id | tostring), name: .alert.signature, category: .alert.category} else null end),
    threat: (if .alert.metadata.mitre_technique_id then {
      framework: "MITRE ATT&CK",
      tactic: {id: .alert.metadata.mitre_tactic_id, name: (.alert.metadata.mitre_tactic_name | map(gsub("_"; " ")))},
      technique: {id: .alert.metadata.mitre_technique_id, name: (.alert.metadata.mitre_technique_name | map(gsub("_"; " ")))}
    } else null end),
    dns: (if .dns then {question: {name: .dns.rrname, type: .dns.rrtype}, response_code: .dns.rcode, type: .dns.type,
          resolved_ip: ([.dns.answers[]?.rdata])} else null end),
    http: (if .http then {request: {method: .http.http_method}, response: {status_code: .http.status, body: {bytes: .http.length}}} else null end),
    url: (if .http then {original: .http.url, domain: .http.hostname} else null end),
    tls: (if .tls then {server: {subject: .tls.subject, issuer: .tls.issuerdn, ja3s: .tls.ja3s.hash}, client: {ja3: .tls.ja3.hash, server_name: .tls.sni}} else null end),
    file: (if .fileinfo then {path: .fileinfo.filename, size: .fileinfo.size, hash: {md5: .fileinfo.md5, sha256: .fileinfo.sha256}} else null end),
    suricata: {eve: ($e | del(.timestamp, .src_ip, .src_port, .dest_ip, .dest_port, .proto, .app_proto, .community_id))}
  }
| del(..|nulls)
