//! Wazuh and OSSEC alerts (alerts.json, legacy OSSEC JSON, alerts carried in
//! syslog) → ECS.

use crate::event::Event;
use crate::reject::RecordError;
use crate::source::tape::Value;

/// True if a JSON record looks like a Wazuh/OSSEC alert.
pub fn looks_like(root: Value<'_, '_>) -> bool {
    let _ = root;
    false
}

/// Maps one alerts.json record.
pub fn normalize(root: Value<'_, '_>, ev: &mut Event) -> Result<(), RecordError> {
    let _ = (root, ev);
    Err("Wazuh mapping is not written yet".into())
}
