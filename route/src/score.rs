//! Scoring constants and formulas: BM25F parameters and field weights, the coverage weights,
//! recency buckets, the same-project boost and penalties.
//!
//! The ranking score of a session is
//! `Σ_words idf · BM25F-tf × coverage³ × recency × project boost × penalties`.
//! Multiplying (rather than adding) the non-text factors keeps a session with zero text
//! relevance at zero: no amount of recency or same-directory boost makes an unrelated session a
//! candidate, let alone a resume.
//!
//! Constants marked "evaluation set" were chosen with `route-eval` on seed 1 and checked on
//! seed 2; the others are standard values (BM25's k1/b) or product judgement (penalties).

use std::path::Path;

/// Number of indexed fields.
pub(crate) const NF: usize = 5;

/// The indexed fields, in the order of the per-field arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Title = 0,
    First = 1,
    Prompts = 2,
    /// What the session did: files its tool calls named, Codex's last answer.
    Work = 3,
    /// Directory and repo names: context, not subject (kept last: fields before it are the
    /// session's subject).
    Place = 4,
}

impl Field {
    pub(crate) const ALL: [Field; NF] = [
        Field::Title,
        Field::First,
        Field::Prompts,
        Field::Work,
        Field::Place,
    ];

    /// Stable name on the wire (`fields` of a search hit).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::First => "first_prompt",
            Field::Prompts => "prompts",
            Field::Work => "work",
            Field::Place => "place",
        }
    }

    /// Wording in explanations ("title matches …").
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Field::Title => "title matches",
            Field::First => "first prompt matches",
            Field::Prompts => "prompts match",
            Field::Work => "files/answer match",
            Field::Place => "directory/repo matches",
        }
    }
}

/// BM25F field weights: title, first prompt, all prompts, work (files, last answer), place.
///
/// The first prompt states the task, and since the prompts field contains it too, a word of the
/// first prompt effectively weighs 2.25. The title is usually a summary of that same prompt;
/// weighting it higher made titled sessions beat untitled ones on the same words (only some
/// sessions have a name) without helping on the evaluation set (`route-eval`), so it weighs
/// like a prompt. Place words (directory and repo names) are weak evidence: prompts rarely
/// name the repo, and the same-project boost already uses the directory itself. Work (files
/// touched, Codex's last answer) is Codex's words, not the person's: weaker than a prompt.
pub(crate) const FIELD_WEIGHT: [f32; NF] = [1.0, 1.25, 1.0, 0.6, 0.5];

/// BM25 term-frequency saturation.
pub(crate) const K1: f32 = 1.2;

/// BM25 length normalization per field. Lower for the prompts field: a long session is long
/// because work happened in it, which should not be punished as hard as a verbose title.
pub(crate) const B: [f32; NF] = [0.75, 0.75, 0.5, 0.5, 0.5];

/// Weight of a prefix match relative to an exact one ("auth" matching "authentication"), in
/// both the score and the coverage. 0.7 rather than 0.5: with 0.5 an abbreviated follow-up
/// ("the auth config…") lost too much coverage against the threshold on the evaluation set.
pub(crate) const PREFIX_WEIGHT: f32 = 0.7;

/// Query words shorter than this do not expand to longer indexed words: "log" → "login",
/// "use" → "user" would be noise, while "auth", "conf", "repo" are the abbreviations people use.
pub(crate) const MIN_PREFIX_QUERY_CHARS: usize = 4;

/// Indexed words shorter than this are not matched as prefixes of longer query words
/// ("authentication" in the query finding "auth" in a session).
pub(crate) const MIN_PREFIX_INDEX_CHARS: usize = 4;

/// At most this many indexed words per query word via prefix (the shortest ones win: they are
/// the closest to what was typed).
pub(crate) const MAX_PREFIX_EXPANSION: usize = 32;

/// How many dictionary entries a prefix scan looks at before picking [`MAX_PREFIX_EXPANSION`].
pub(crate) const MAX_PREFIX_SCAN: usize = 512;

/// Boost for a session that ran in the caller's project (same directory or git root). Strong:
/// a weaker text match in the caller's repo should beat a stronger one elsewhere, and two
/// near-identical sessions in different repos are told apart by it.
pub(crate) const PROJECT_BOOST: f32 = 2.0;

/// Multiplier for archived and for exec/sub-agent sessions when they are included at all.
pub(crate) const PENALTY: f32 = 0.5;

/// Recency buckets on the age of the last use, zoxide-style but much gentler: zoxide's 4×…¼×
/// spread would let any recent session beat a clearly better older match. Here recency mostly
/// breaks near-ties.
pub(crate) fn recency_factor(age_secs: i64) -> f32 {
    const HOUR: i64 = 3600;
    const DAY: i64 = 24 * HOUR;
    match age_secs {
        a if a < HOUR => 1.2,
        a if a < DAY => 1.1,
        a if a < 7 * DAY => 1.0,
        a if a < 30 * DAY => 0.9,
        _ => 0.8,
    }
}

/// "used 3 hours ago" for explanations.
pub(crate) fn describe_age(age_secs: i64) -> String {
    let age = age_secs.max(0);
    let (n, unit) = match age {
        a if a < 60 => return "used just now".to_owned(),
        a if a < 3600 => (a / 60, "minute"),
        a if a < 86_400 => (a / 3600, "hour"),
        a if a < 14 * 86_400 => (a / 86_400, "day"),
        a if a < 60 * 86_400 => (a / (7 * 86_400), "week"),
        a => (a / (30 * 86_400), "month"),
    };
    format!("used {n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// BM25F term-frequency part: field frequencies are length-normalized per field, weighted,
/// summed, and only then saturated. Summing per-field BM25 scores instead would count a word
/// three times when it is in the title, the first prompt and the prompts (which contain the
/// first prompt) — every titled session would beat every untitled one on the same words.
#[inline]
pub(crate) fn bm25f_tf(tf: &[u16; NF], len: &[u32; NF], avg_len: &[f32; NF]) -> f32 {
    let mut w = 0.0;
    for f in 0..NF {
        if tf[f] > 0 {
            let norm = 1.0 - B[f] + B[f] * len[f] as f32 / avg_len[f];
            w += FIELD_WEIGHT[f] * f32::from(tf[f]) / norm;
        }
    }
    w * (K1 + 1.0) / (w + K1)
}

/// The ranking score is multiplied by `coverage^COORD_EXPONENT` (a sharpened version of
/// Lucene's old "coord" factor): a session matching more of the query's distinct words beats
/// one matching fewer words more often or in heavier fields. The typical confusion is a sibling
/// session on the same task in another service ("flaky login test in *billing*" vs "… in
/// *search*"): the service word is common, so its IDF is low and plain BM25 lets the sibling
/// win on title or term frequency. Exponent 3 was best among 1–5 on the evaluation set.
pub(crate) const COORD_EXPONENT: i32 = 3;

/// BM25's IDF (the "+1" variant, never negative).
#[inline]
pub(crate) fn idf(n_docs: f32, df: f32) -> f32 {
    (1.0 + (n_docs - df + 0.5) / (df + 0.5)).ln()
}

/// A query word's share of the query in [`crate::Hit::coverage`]: its IDF, smoothed so that
/// - in a small index (a new user with five sessions) all words weigh about the same — IDF
///   from five documents is noise, and coverage then degrades gracefully to the plain fraction
///   of words matched, like the old rule;
/// - in a large index, words rarer than ~0.5% of sessions, and words never seen at all, weigh
///   about the same: an unseen word is often just a new detail in a follow-up ("mentions the
///   old setup"), it must not outweigh two matched rare words.
///
/// Implemented as IDF over the index plus [`PRIOR_DOCS`] virtual sessions in which every word
/// occurs [`PRIOR_DF`] times, with a floor on the document frequency of [`RARE_FRACTION`]`·N`.
pub(crate) fn coverage_weight(n_docs: f32, df: f32) -> f32 {
    let df = df.max(RARE_FRACTION * n_docs) + PRIOR_DF;
    idf(n_docs + PRIOR_DOCS, df)
}

const PRIOR_DOCS: f32 = 100.0;
const PRIOR_DF: f32 = 5.0;
const RARE_FRACTION: f32 = 0.005;

/// How much a distinctive query word found in a session counts as that session's *subject*,
/// given that `others` of the other sessions of its repository (`project_docs` in all) hold
/// it: words
/// that many sessions of a repository share (its component names — "the inventory service",
/// "the events app" — and the files every chore touches) are its context, not what one
/// session is about, so a prompt naming a new subject in a known repository with those words
/// must not resume one of its sessions. The same discount takes such words out of the prompt's
/// subject as seen from that repository (`Hit::subject_coverage`'s denominator): they neither
/// support a resume nor count against one. Learned from the person's own history: 1 while at most
/// [`CONTEXT_FROM`] of the repository's other sessions hold the word, falling linearly to 0 at
/// [`CONTEXT_FULL`]. A prior of [`CONTEXT_PRIOR`] sessions keeps small repositories (five
/// sessions, each about something else) from calling every word context.
pub(crate) fn context_discount(others: u32, project_docs: u32) -> f32 {
    let share = others as f32 / (project_docs.saturating_sub(1) as f32 + CONTEXT_PRIOR);
    (1.0 - (share - CONTEXT_FROM) / (CONTEXT_FULL - CONTEXT_FROM)).clamp(0.0, 1.0)
}

pub(crate) const CONTEXT_FROM: f32 = 0.05;
pub(crate) const CONTEXT_FULL: f32 = 0.20;
pub(crate) const CONTEXT_PRIOR: f32 = 20.0;

/// How a session's directory relates to the caller's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The session ran in exactly the caller's directory.
    SameDir,
    /// Same project: inside the same git root, or nested directories (see [`place_of`]).
    SameProject,
    Elsewhere,
}

impl Place {
    pub(crate) fn boost(self) -> f32 {
        match self {
            Place::SameDir | Place::SameProject => PROJECT_BOOST,
            Place::Elsewhere => 1.0,
        }
    }
}

/// An ancestor directory only makes two directories "the same project" when it is at least
/// this deep: `/`, `/home` and `/home/me` contain everything and mean nothing.
const MIN_ANCESTOR_DEPTH: usize = 3;

fn depth(p: &Path) -> usize {
    p.components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .count()
}

/// Is `anc` an ancestor of (or equal to) `p`, deep enough to mean something?
fn meaningful_ancestor(anc: &Path, p: &Path) -> bool {
    p.starts_with(anc) && depth(anc) >= MIN_ANCESTOR_DEPTH
}

/// Relates a session's directory to the caller's, by path components (never string prefixes:
/// `/src/app` is not inside `/src/application`).
///
/// When the session's git root is known, it defines the project: the caller is in the same
/// project iff the caller's cwd is inside that root. Without a git root, the session's cwd and
/// the caller's cwd are the same project when one is a (deep enough) ancestor of the other.
pub(crate) fn place_of(caller: &Path, cwd: Option<&Path>, git_root: Option<&Path>) -> Place {
    if cwd.is_some_and(|d| d == caller) {
        return Place::SameDir;
    }
    let same = match (git_root, cwd) {
        (Some(root), _) => caller.starts_with(root),
        (None, Some(d)) => meaningful_ancestor(d, caller) || meaningful_ancestor(caller, d),
        (None, None) => false,
    };
    if same {
        Place::SameProject
    } else {
        Place::Elsewhere
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    #[test]
    fn place_by_components_not_string_prefix() {
        let caller = p("/home/me/src/app");
        assert_eq!(
            place_of(caller, Some(p("/home/me/src/app/")), None),
            Place::SameDir
        );
        assert_eq!(
            place_of(caller, Some(p("/home/me/src/application")), None),
            Place::Elsewhere
        );
        // Session in a subdirectory, caller at the top (and the other way round).
        assert_eq!(
            place_of(caller, Some(p("/home/me/src/app/web")), None),
            Place::SameProject
        );
        assert_eq!(
            place_of(p("/home/me/src/app/web"), Some(caller), None),
            Place::SameProject
        );
        // $HOME is an ancestor of everything but not a project.
        assert_eq!(
            place_of(p("/home/me"), Some(caller), None),
            Place::Elsewhere
        );
        assert_eq!(
            place_of(caller, Some(p("/home/me")), None),
            Place::Elsewhere
        );
    }

    #[test]
    fn git_root_defines_the_project() {
        let root = Some(p("/home/me/src/mono"));
        let cwd = Some(p("/home/me/src/mono/services/billing"));
        assert_eq!(
            place_of(p("/home/me/src/mono/web"), cwd, root),
            Place::SameProject
        );
        assert_eq!(
            place_of(p("/home/me/src/mono"), cwd, root),
            Place::SameProject
        );
        // A directory above the repo holding many repos is not the same project.
        assert_eq!(place_of(p("/home/me/src"), cwd, root), Place::Elsewhere);
        assert_eq!(
            place_of(p("/home/me/src/other"), cwd, root),
            Place::Elsewhere
        );
    }

    #[test]
    fn recency_is_monotonic_and_gentle() {
        let ages = [
            0,
            3599,
            3600,
            86_399,
            86_400,
            700_000,
            3_000_000,
            100_000_000,
        ];
        let f: Vec<f32> = ages.iter().map(|&a| recency_factor(a)).collect();
        assert!(f.windows(2).all(|w| w[0] >= w[1]));
        assert!(f[0] / f[f.len() - 1] <= 1.5);
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(describe_age(5), "used just now");
        assert_eq!(describe_age(60), "used 1 minute ago");
        assert_eq!(describe_age(2 * 3600 + 5), "used 2 hours ago");
        assert_eq!(describe_age(3 * 86_400), "used 3 days ago");
        assert_eq!(describe_age(21 * 86_400), "used 3 weeks ago");
        assert_eq!(describe_age(90 * 86_400), "used 3 months ago");
    }
}
