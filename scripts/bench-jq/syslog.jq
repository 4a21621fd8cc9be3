# The jq side of scripts/bench for syslog auth lines: header and the common
# sshd/sudo/PAM messages parsed with regular expressions.
# Run as: jq -cR -f syslog.jq auth.log
def months: {"Jan":"01","Feb":"02","Mar":"03","Apr":"04","May":"05","Jun":"06","Jul":"07","Aug":"08","Sep":"09","Oct":"10","Nov":"11","Dec":"12"};
. as $raw
| capture("^(?<mon>[A-Z][a-z]{2}) +(?<day>[0-9]{1,2}) (?<time>[0-9:]{8}) (?<host>[^ ]+) (?<app>[^:\\[ ]+)(\\[(?<pid>[0-9]+)\\])?: (?<msg>.*)$") as $h
| ($h.msg | capture("^(?<result>Accepted|Failed) (?<method>[^ ]+) for (invalid user )?(?<user>[^ ]+) from (?<ip>[0-9a-fA-F.:]+) port (?<port>[0-9]+)") // {}) as $ssh
| ($h.msg | capture("^Invalid user (?<user>[^ ]*) from (?<ip>[0-9a-fA-F.:]+)") // {}) as $inv
| ($h.msg | capture("^ *(?<user>[^ ]+) : TTY=[^;]* ; PWD=[^;]* ; USER=(?<eff>[^ ]+) ; COMMAND=(?<cmd>.*)$") // {}) as $sudo
| ($h.msg | capture("authentication failure;.*rhost=(?<ip>[^ ]*) +user=(?<user>[^ ]+)") // {}) as $pam
| {
    "@timestamp": ("2025-" + months[$h.mon] + "-" + ($h.day | if length == 1 then "0" + . else . end) + "T" + $h.time + ".000000Z"),
    aurora: {source: "syslog"},
    event: {kind: "event", module: "syslog", dataset: ("syslog." + $h.app), original: $raw, severity: 1,
            outcome: (if $ssh.result == "Accepted" then "success" elif ($ssh.result == "Failed" or $inv.user or $pam.user) then "failure" else null end),
            action: (if $ssh.result then "ssh_login" else null end),
            category: (if ($ssh.result or $inv.user or $pam.user) then ["authentication"] elif $sudo.user then ["process"] else null end)},
    host: {name: $h.host},
    process: {name: $h.app, pid: ($h.pid // null | if . then tonumber else null end)},
    user: {name: ($ssh.user // $inv.user // $pam.user // $sudo.user), effective: {name: $sudo.eff}},
    source: {ip: ($ssh.ip // $inv.ip // $pam.ip), port: ($ssh.port // null | if . then tonumber else null end)},
    message: $h.msg
  }
| del(..|nulls)
