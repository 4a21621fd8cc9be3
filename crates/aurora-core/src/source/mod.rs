//! One parser per source. Each maps a parsed record onto an [`crate::event::Event`];
//! format detection and the fields common to every source live in
//! [`crate::normalize`].

pub mod custom;
pub mod suricata;
pub mod syslog;
pub mod tape;
pub mod util;
pub mod velociraptor;
pub mod wazuh;
pub mod zeek;
pub mod zeek_json;
pub mod zeek_tsv;
