//! Syslog (RFC 3164, RFC 5424 and the deviations seen in the wild) → ECS,
//! with fields extracted from the messages a security team reads.

use crate::event::Event;
use crate::reject::RecordError;

/// How to read stamps that lack a year or a zone.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Year for year-less (RFC 3164) stamps; None infers it from the clock.
    pub year: Option<i32>,
    /// Zone for zone-less stamps (IANA name); None means UTC.
    pub tz: Option<String>,
}

/// Maps one syslog line.
pub fn normalize(
    line: &str,
    settings: &Settings,
    now: crate::time::Micros,
    ev: &mut Event,
) -> Result<(), RecordError> {
    let _ = (line, settings, now, ev);
    Err("syslog mapping is not written yet".into())
}
