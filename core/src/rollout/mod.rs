//! Reading one rollout file into a [`RolloutRecord`] (docs/rollout-format.md is the spec).
//!
//! - [`name`]: which files are rollouts and which thread they belong to.
//! - [`line`]: the cheap prefix test that lets most bytes go by unparsed.
//! - [`record`]: what each relevant line means; incremental by construction.
//! - [`context`]: injected context versus what the user typed.
//! - [`reader`]: bytes on disk → record, whole or only the appended tail.

pub mod context;
pub mod files;
pub mod line;
pub mod name;
pub mod reader;
pub mod record;

pub use name::{RolloutName, parse as parse_name};
pub use reader::{FileState, ParsedFile, ReadOutcome, parse_bytes, read_rollout};
pub use record::{Meta, Prompt, RolloutRecord, TurnState};
