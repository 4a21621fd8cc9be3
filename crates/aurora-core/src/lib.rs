//! aurora-core: the event model, NDJSON I/O and the source parsers shared by
//! every aurora tool. No command-line concerns live here.

pub mod attack;
pub mod community_id;
pub mod event;
pub mod fields;
pub mod input;
pub mod input_zip;
pub mod invariants;
pub mod json;
pub mod ndjson;
pub mod normalize;
pub mod reject;
pub mod source;
pub mod time;

pub use event::Event;
pub use fields::F;
pub use normalize::{Format, Normalizer, Options, Outcome};
pub use reject::{RecordError, Reject};
