//! Velociraptor result rows (artifact results, hunt results, export zips) → ECS.

use crate::event::Event;
use crate::reject::RecordError;
use crate::source::tape::Value;

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--artifact`: the artifact name when neither file name nor row says.
    pub artifact: Option<String>,
}

/// Maps one row. `file_name` is the input's name (artifact names are
/// encoded in export file names).
pub fn normalize(
    root: Value<'_, '_>,
    settings: &Settings,
    file_name: Option<&str>,
    ev: &mut Event,
) -> Result<(), RecordError> {
    let _ = (root, settings, file_name, ev);
    Err("Velociraptor mapping is not written yet".into())
}
