//! Suricata EVE JSON → ECS.

use crate::event::Event;
use crate::reject::RecordError;
use crate::source::tape::Value;

/// Maps one EVE record (the parsed root object) onto `ev`.
pub fn normalize(root: Value<'_, '_>, ev: &mut Event) -> Result<(), RecordError> {
    let _ = (root, ev);
    Err(RecordError::new("Suricata EVE mapping is not written yet"))
}
