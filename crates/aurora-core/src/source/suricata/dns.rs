//! EVE `dns` objects in Suricata's v1 (one answer per record), v2
//! (`answers`, `grouped`) and v3 (`queries`) layouts.

use super::apps::{Few, Related};
use super::out;
use crate::event::Event;
use crate::fields::F;
use crate::json;
use crate::source::tape::{self, Value};
use simd_json::prelude::*;

/// dns.*: Suricata's v1 (one answer per record), v2 (`answers` array,
/// `grouped`) and v3 (`queries`, request/response) layouts, and the `dns`
/// object of alerts (`query` array).
pub(super) fn dns<'i>(ev: &mut Event, d: Value<'_, 'i>, rel: &mut Related<'i>) {
    let Some(o) = d.as_object() else { return };
    let mut version = None;
    let (mut typ, mut rrname, mut rrtype) = (None, None, None);
    let (mut rdata, mut ttl) = (None, None);
    let (mut answers, mut grouped, mut queries) = (None, None, None);
    let mut flags: Few<&'static str, 6> = Few::default();
    for (k, v) in o.iter() {
        if tape::is_null(v) {
            continue;
        }
        match k {
            "version" => version = tape::u64_of(v),
            "type" => typ = v.into_string(),
            "id" => {
                if let Some(n) = tape::u64_of(v) {
                    ev.with(F::DnsId, |b| {
                        b.push(b'"');
                        json::write_u64(b, n);
                        b.push(b'"');
                    });
                }
            }
            "rcode" => {
                if let Some(s) = v.into_string() {
                    ev.str_nonempty(F::DnsResponseCode, s);
                }
            }
            "rrname" => rrname = v.into_string(),
            "rrtype" => rrtype = v.into_string(),
            "rdata" => rdata = v.into_string(),
            "ttl" => ttl = Some(v),
            "answers" => answers = v.as_array().map(|_| v),
            "grouped" => grouped = v.as_object().map(|_| v),
            "queries" | "query" => queries = v.as_array().and_then(|a| a.iter().next()),
            "aa" | "tc" | "rd" | "ra" | "ad" | "cd" if v.as_bool() == Some(true) => {
                flags.push(match k {
                    "aa" => "AA",
                    "tc" => "TC",
                    "rd" => "RD",
                    "ra" => "RA",
                    "ad" => "AD",
                    _ => "CD",
                })
            }
            _ => {}
        }
    }
    let is_query = matches!(typ, Some("query" | "request"));
    let is_answer = matches!(typ, Some("answer" | "response"));
    if let Some(t) = typ {
        ev.str(
            F::DnsType,
            if is_query {
                "query"
            } else if is_answer {
                "answer"
            } else {
                t
            },
        );
    }
    // The question: v1 queries and every v2 record carry it in rrname; v3
    // and alerts in a list of queries. A v1 answer's rrname names the
    // answer, not the question.
    let (mut qname, mut qtype) = (None, None);
    if is_query || version.is_some_and(|v| v >= 2) {
        (qname, qtype) = (rrname, rrtype);
    }
    if let Some(q) = queries.and_then(|q| q.as_object()) {
        for (k, v) in q.iter() {
            match k {
                "rrname" if qname.is_none() => qname = v.into_string(),
                "rrtype" if qtype.is_none() => qtype = v.into_string(),
                _ => {}
            }
        }
    }
    if let Some(n) = qname {
        ev.str_nonempty(F::DnsQuestionName, n);
    }
    if let Some(t) = qtype {
        ev.str_nonempty(F::DnsQuestionType, t);
    }

    let is_ip_type = |t: Option<&str>| matches!(t, Some("A" | "AAAA"));
    if let Some(ans) = answers.and_then(|a| a.as_array()) {
        ev.with(F::DnsAnswers, |b| {
            b.push(b'[');
            let mut first_answer = true;
            for a in ans.iter() {
                let Some(ao) = a.as_object() else { continue };
                if !first_answer {
                    b.push(b',');
                }
                first_answer = false;
                b.push(b'{');
                let mut first = true;
                for (k, v) in ao.iter() {
                    if tape::is_null(v) {
                        continue;
                    }
                    let k = match k {
                        "rrname" => "name",
                        "rrtype" => "type",
                        "rdata" => "data",
                        k => k,
                    };
                    out::key(b, &mut first, k);
                    out::write_clean(b, v);
                }
                b.push(b'}');
            }
            b.push(b']');
        });
        let resolved = || {
            ans.iter().filter_map(|a| {
                let ao = a.as_object()?;
                let t = ao.get("rrtype").and_then(|t| t.into_string());
                is_ip_type(t).then(|| ao.get("rdata").and_then(|d| d.into_string()))?
            })
        };
        if resolved().next().is_some() {
            ev.strs(F::DnsResolvedIp, resolved());
            resolved().for_each(|ip| rel.ip_checked(ip));
        }
    } else if is_answer && version.is_none() && (rrname.is_some() || rdata.is_some()) {
        ev.with(F::DnsAnswers, |b| {
            b.extend_from_slice(b"[{");
            let mut first = true;
            for (k, v) in [("name", rrname), ("data", rdata), ("type", rrtype)] {
                if let Some(v) = v {
                    out::key(b, &mut first, k);
                    json::write_str(b, v);
                }
            }
            if let Some(t) = ttl {
                out::key(b, &mut first, "ttl");
                out::write_clean(b, t);
            }
            b.extend_from_slice(b"}]");
        });
        if is_ip_type(rrtype)
            && let Some(ip) = rdata
        {
            ev.strs(F::DnsResolvedIp, [ip]);
            rel.ip_checked(ip);
        }
    } else if let Some(g) = grouped.and_then(|g| g.as_object()) {
        // `grouped` only (Suricata's `formats: [grouped]`).
        let ips = || {
            ["A", "AAAA"]
                .into_iter()
                .filter_map(|t| g.get(t))
                .flat_map(tape::strs)
        };
        if ips().next().is_some() {
            ev.strs(F::DnsResolvedIp, ips());
            ips().for_each(|ip| rel.ip_checked(ip));
        }
    }
    if flags.len() > 0 {
        ev.strs(F::DnsHeaderFlags, flags.iter());
    }
}
