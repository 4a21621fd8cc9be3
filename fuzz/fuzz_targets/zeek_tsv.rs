//! Fuzzes Zeek TSV rows (and header lines: the data may redefine the header
//! mid-stream) behind a fixed valid conn.log header. Any output must be one
//! valid JSON object per event; rejects are fine, panics are not.

#![no_main]

use aurora_core::{Format, Normalizer, Options, Outcome};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const HEADER: &str = "#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#open\t2019-02-28-12-07-01
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]";

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        format: Format::ZeekTsv,
        now: 1_700_000_000_000_000,
        ..Options::default()
    };
    let mut n = Normalizer::new(Arc::new(opts));
    n.start_input("conn.log", None, None);
    let mut out = Vec::new();
    for line in HEADER.as_bytes().split(|&b| b == b'\n') {
        assert_eq!(n.line(line, &mut out), Ok(Outcome::Skipped));
    }
    for line in data.split(|&b| b == b'\n') {
        out.clear();
        if let Ok(Outcome::Event) = n.line(line, &mut out) {
            assert_eq!(out.last(), Some(&b'\n'));
            let v: serde_json::Value =
                serde_json::from_slice(&out).expect("an event is valid JSON");
            assert!(v.is_object());
        }
    }
});
