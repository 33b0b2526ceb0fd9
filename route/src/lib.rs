//! Routing for codexd: given a new prompt, resume an existing Codex session or start a new one.
//!
//! Documents are sessions. Each has four fields — name/title, first prompt, all user prompts,
//! and place (cwd / repo name) — tokenized by [`tokenize`] into an in-memory inverted [`Index`]
//! that is maintained incrementally: [`Index::upsert`] and [`Index::remove`] touch only the
//! postings of the one document that changed, so the daemon never rebuilds per query.
//!
//! A query is scored with BM25F (per-field length normalization and field weights, one
//! saturation per word), query words also matching as prefixes of indexed words and vice
//! versa at a lower weight ("auth" ↔ "authentication"). Each candidate also gets a
//! *coverage*: the IDF-weighted share of the query's words it contains. The ranking score is
//! `BM25F × coverage³ × recency × project boost × penalties` — recency in zoxide-like buckets,
//! a strong boost when the session ran in the caller's project (same directory, inside its git
//! root, or nested directories), penalties for archived and exec/sub-agent sessions, which are
//! excluded unless asked for. All factors multiply, so no boost can create relevance.
//!
//! [`Index::route`] then decides ([`decide`]): resume the top candidate when the prompt's
//! *subject* — its distinctive words, not generic task words — is found in what the session said
//! and did, specifically enough, and it leads the best candidate of a *different* task by a
//! margin; otherwise start a new session. Words that many sessions of one repository share (its
//! component names, the files every chore touches) are that repository's *context*, learned from
//! the person's own history, and count as nobody's subject there. Another session of the project
//! whose name or first prompt holds the same task words is another attempt at the same task (the
//! latest is resumed), and a twin in the caller's project takes over from one elsewhere. The
//! thresholds are calibrated by `route-eval` (crate `codexd-eval`); the old slash command's rule
//! is kept as [`original_rule`] for comparison.
//!
//! Queries cost O(postings of the query's words), never a scan of all sessions: p50 ≈ 0.1 ms at
//! 2,000 sessions and ≈ 0.3 ms at 10,000 (release build, `route-eval`). At 100k, routing ranks
//! only the holders of the prompt's rarest words; commoner words score those candidates.
//!
//! ```
//! use codexd_route::{Decision, DocFields, DocMeta, Index, Options};
//!
//! let mut index = Index::new();
//! let prompts = vec!["Migrate the postgres schema for invoices".to_owned()];
//! let fields = DocFields {
//!     name: Some("Invoice schema migration"),
//!     first_prompt: Some(&prompts[0]),
//!     prompts: &prompts,
//!     cwd: Some("/home/me/src/billing"),
//!     repo: None,
//!     ..DocFields::default()
//! };
//! let meta = DocMeta { updated_unix: 1_000, cwd: Some("/home/me/src/billing".into()),
//!                      ..DocMeta::default() };
//! index.upsert("019a-uuid", &fields, meta);
//!
//! let opts = Options { now_unix: 2_000, ..Options::default() };
//! let route = index.route("the invoices migration failed, continue", &opts);
//! assert!(matches!(route.decision, Decision::Resume { ref key } if key == "019a-uuid"));
//! ```

mod decide;
mod generic;
mod index;
pub mod memory;
mod original;
mod related;
mod score;
mod termlist;
mod tokenize;

pub use decide::{Thresholds, decide, evidence, lead, resumes};
pub use index::{Analysis, Bulk, Index, Prepared, QueryKind};
pub use original::{OriginalSession, original_keywords, original_rule, original_task_summary};
pub use tokenize::{Tokenizer, tokenize};

/// The text of one session, as handed to [`Index::upsert`]. Borrowed: the index keeps only
/// term counts, never the text itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct DocFields<'a> {
    /// Session name/title (`session_index.jsonl`); the highest-weighted field.
    pub name: Option<&'a str>,
    /// The first real user prompt.
    pub first_prompt: Option<&'a str>,
    /// All real user prompts, the first one included.
    pub prompts: &'a [String],
    /// The session's working directory (its last components are indexed as words).
    pub cwd: Option<&'a str>,
    /// Git origin URL or repository name (its last path segment is indexed).
    pub repo: Option<&'a str>,
    /// Files the session's tool calls named.
    pub files: &'a [String],
    /// Codex's last answer.
    pub answer: Option<&'a str>,
}

/// What the index needs to know about a session besides its text.
#[derive(Clone, Debug, Default)]
pub struct DocMeta {
    /// Last use (mtime or last line time), Unix seconds.
    pub updated_unix: i64,
    pub archived: bool,
    /// `codex exec` or sub-agent thread.
    pub non_interactive: bool,
    /// Working directory, for the same-project boost. Compared by path components, as given
    /// (not canonicalized: the caller should pass the same spelling it passes in [`Options`]).
    pub cwd: Option<String>,
    /// Git root of `cwd`, if known. When known it defines the session's project.
    pub git_root: Option<String>,
    /// The caller's hash of everything this document was built from, kept with it so that an
    /// index reloaded from disk can be checked against its source ([`Index::fingerprint`]).
    /// 0 when unused.
    pub fingerprint: u64,
}

/// Per-query options.
///
/// Build with `Options { cwd: …, now_unix: …, ..Options::default() }` so fields added later
/// do not break callers.
#[derive(Clone, Debug)]
pub struct Options {
    /// The caller's working directory; sessions of the same project get a strong boost.
    pub cwd: Option<String>,
    /// "Now", for recency (passed in so results are reproducible).
    pub now_unix: i64,
    /// Consider archived sessions (penalised) instead of excluding them.
    pub include_archived: bool,
    /// Consider exec/sub-agent sessions (penalised) instead of excluding them.
    pub include_non_interactive: bool,
    /// How many candidates to return; `0` means the default of 5.
    pub limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cwd: None,
            now_unix: 0,
            include_archived: false,
            include_non_interactive: false,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// Candidates returned when [`Options::limit`] is 0.
pub const DEFAULT_LIMIT: usize = 5;

/// One ranked session.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The document key given to [`Index::upsert`] (the thread id).
    pub key: String,
    /// Final score: field-weighted BM25 × recency × project boost × penalties. Only comparable
    /// within one query.
    pub score: f64,
    /// Share of the query matched by this session, 0..1: the IDF-weighted fraction of query
    /// words found in it (a prefix match counts half). This is what the resume threshold is
    /// applied to; it is the soft, weighted version of the old "more than half the keywords".
    pub coverage: f64,
    /// Share of the prompt's *distinctive* words (not generic task words, see
    /// `generic.rs`) found in what the session said and did — not in its directory or repo
    /// name, which every session of a project shares. A resume needs enough of it.
    pub subject_coverage: f64,
    /// How much the matched distinctive words say, in units of one rare word (a word in at most
    /// ~0.5% of sessions weighs 1; a common one much less): one matched rare word is as specific
    /// as two or three commoner ones.
    pub specificity: f64,
    /// Last use of the session (Unix seconds), to prefer the latest of near-equal attempts.
    pub updated_unix: i64,
    /// The session's project (git root, else directory), to tell a task attempted twice in
    /// one project from look-alike tasks in two.
    pub project: Option<String>,
    /// The session ran in the caller's directory or project (and got the boost).
    pub same_project: bool,
    /// How much of the best candidate's task this session's task shares, 0..1: the IDF-weighted
    /// share of the prompt's distinctive words found in the best candidate's name or first
    /// prompt that this session's name or first prompt holds too (context words of a
    /// repository excluded). 1 for the best candidate itself.
    /// How [`crate::decide`] tells a second attempt at the same task, or the same task done in
    /// the caller's repository, from a different task.
    pub same_subject: f64,
    /// The query words that matched, as the user wrote them (lowercased), in query order.
    pub matched_terms: Vec<String>,
    /// The fields a query word matched in, most important first: `title`, `first_prompt`,
    /// `prompts`, `place` (each word counted under the most important field it occurs in).
    pub fields: Vec<&'static str>,
    /// Human-readable reasons, e.g. "title matches auth, login", "same project",
    /// "used 2 hours ago", "archived (penalised)".
    pub reasons: Vec<String>,
}

/// Resume a session or start a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Resume { key: String },
    New,
}

/// The answer to "where should this prompt go?".
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub decision: Decision,
    /// Confidence in `decision`, 0..1; 0.5 means "on the decision boundary". See [`decide`].
    pub confidence: f64,
    /// The top candidates (up to [`Options::limit`]), best first.
    pub candidates: Vec<Hit>,
    /// Lead of the first candidate's task over the best *different* one, 0..1 (see
    /// [`lead`]): another attempt at the same task, or its twin in another repository, is not
    /// a rival. What `route`'s `margin` reports.
    pub lead: f64,
    /// One sentence: why resume, or why new.
    pub reason: String,
}
