//! Deterministic generator of realistic OpenAI Codex CLI homes (`$CODEX_HOME`) for codexd's
//! end-to-end tests and benchmarks.
//!
//! The on-disk format follows `docs/rollout-format.md` (section numbers in comments refer to it).
//!
//! * [`fixtures`]: write *one* session from a [`SessionSpec`] in a chosen [`Format`] and
//!   [`Placement`] ([`fixtures::write_session`]), compute the ground truth a reader should report
//!   ([`fixtures::expected`]), and write each docs/rollout-format.md §7 pitfall ([`fixtures::write_pitfall`] and the
//!   individual `write_*` helpers).
//! * [`generate`]: a whole home of N sessions with a realistic size and line mix, seeded and
//!   byte-for-byte reproducible, plus a [`Manifest`] of ground truth.
//!
//! ```no_run
//! use codexd_corpus::fixtures::{self, Format, Placement, SessionSpec, Turn};
//! let home = std::path::Path::new("/tmp/codex-home");
//! let spec = SessionSpec {
//!     turns: vec![Turn::new("fix the flaky test"), Turn::new("now add a regression test")],
//!     ..SessionSpec::example(Format::Envelope, 1)
//! };
//! let path = fixtures::write_session(home, &spec, Format::Envelope, Placement::Dated, false)?;
//! let truth = fixtures::expected(&spec, Format::Envelope, Placement::Dated);
//! assert_eq!(truth.first_prompt.as_deref(), Some("fix the flaky test"));
//! # let _ = path;
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod fixtures;
mod generate;
mod json;
mod render;
mod rng;
mod spec;
mod text;
pub mod time;
pub mod uuid;

pub use fixtures::{Expected, Pitfall};
pub use generate::{CorpusOptions, Manifest, ManifestSession, default_end_date, generate};
pub use spec::{Format, Git, Placement, SessionSpec, Source, Turn, TurnEnd, TurnState};
