//! Zeek JSON logs (`LogAscii::use_json=T`: one object per line, flat dotted
//! keys such as `id.orig_h`, unset fields left out) → ECS.
//!
//! JSON carries its own types, except for times, which Zeek writes as epoch
//! seconds (the default), epoch milliseconds or ISO 8601 strings depending
//! on `JSON::TimestampFormat`; the known time fields are read as times
//! whichever it is, so the event matches the TSV rendering's.

use crate::event::Event;
use crate::reject::RecordError;
use crate::source::tape::Value;
use crate::source::zeek;
use crate::source::zeek::map::Record;
use crate::source::zeek::value::Val;
use simd_json::prelude::*;

/// Fields of Zeek's standard logs whose type is `time`.
fn is_time_field(key: &str) -> bool {
    matches!(
        key,
        "ts" | "_write_ts"
            | "from"
            | "till"
            | "ref_time"
            | "org_time"
            | "rec_time"
            | "xmt_time"
            | "revoketime"
            | "thisUpdate"
            | "nextUpdate"
            | "compile_ts"
            | "up_since"
            | "certificate.not_valid_before"
            | "certificate.not_valid_after"
            | "times.modified"
            | "times.accessed"
            | "times.created"
            | "times.changed"
    )
}

struct Obj<'a>(Value<'a, 'a>);

impl<'a> Record<'a> for Obj<'a> {
    fn each(
        &self,
        f: &mut dyn FnMut(&'a str, Val<'a>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError> {
        let Some(obj) = self.0.as_object() else {
            return Ok(());
        };
        for (k, v) in obj.iter() {
            f(k, Val::from_json(v, is_time_field(k)))?;
        }
        Ok(())
    }
}

/// Maps one Zeek JSON record. `log_hint` is the log type guessed from the
/// file name, used when the record has no `_path`.
pub fn normalize(
    root: Value<'_, '_>,
    log_hint: Option<&str>,
    ev: &mut Event,
) -> Result<(), RecordError> {
    let path = root.get("_path").and_then(|p| p.into_string());
    let log = zeek::logs::resolve(path, log_hint, |k| root.get(k).is_some());
    zeek::map::map(&Obj(root), log, ev)
}
