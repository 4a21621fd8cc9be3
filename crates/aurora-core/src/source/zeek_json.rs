//! Zeek JSON logs (flat dotted keys such as `id.orig_h`) → ECS.

use crate::event::Event;
use crate::reject::RecordError;
use crate::source::tape::Value;

/// Maps one Zeek JSON record. `log_hint` is the log type guessed from the
/// file name, used when the record has no `_path`.
pub fn normalize(
    root: Value<'_, '_>,
    log_hint: Option<&str>,
    ev: &mut Event,
) -> Result<(), RecordError> {
    let _ = (root, log_hint, ev);
    Err(RecordError::new("Zeek JSON mapping is not written yet"))
}
