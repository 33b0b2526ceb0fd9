//! Resume or new: the decision on top of the ranking.

use crate::{Decision, Hit, Route};

/// When to resume. Both conditions must hold for the top candidate:
/// its [`Hit::coverage`] is at least `min_coverage`, and it leads the runner-up by at least
/// `min_lead`, where lead = `1 − score₂ / score₁` (0 = tie, 1 = no runner-up).
///
/// The coverage condition says "the prompt is about this session"; the lead condition says
/// "and not equally about another one" — when two sessions fit equally, guessing is worse than
/// starting fresh, because resuming the wrong thread pollutes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub min_coverage: f64,
    pub min_lead: f64,
    /// Least [`Hit::subject_coverage`]: the share of the prompt's distinctive words the
    /// session itself (not its directory) contains.
    pub min_subject: f64,
    /// Least [`Hit::specificity`] of a session in the caller's project…
    pub min_specific_here: f64,
    /// …and of one elsewhere (a prompt typed outside a project must name its subject well).
    pub min_specific_elsewhere: f64,
    /// Least [`Hit::same_subject`] for another session of the best candidate's project to be
    /// another attempt at the same task: the most recently used attempt is resumed, and the
    /// lead is measured against a different task. Above 1: never.
    pub same_task: f64,
    /// Least share of the best candidate's score such a later attempt must have: the prompt's
    /// words may favour a short first attempt, but not without bound.
    pub same_task_score: f64,
    /// Least [`Hit::same_subject`] for a session in the caller's project to be the same task
    /// as a better-scoring one elsewhere (the same work done in two repositories): the
    /// directory decides, and the lead is measured against a different task. Above 1: never.
    pub same_place: f64,
}

impl Thresholds {
    /// Calibrated with `route-eval --calibrate` (crate `codexd-eval`) on the two hand-written
    /// calibration homes, `eval/calibration` and `eval/stress` (2,000 sessions each, 415
    /// labeled prompts), maximizing right answers with a wrong resume costing eight; a point in
    /// the middle of the best plateau. Reported on the separately written `eval/heldout` set
    /// (BENCHMARKS.md), never tuned on it.
    ///
    /// Coverage of the whole prompt no longer gates (0): follow-ups add new words by nature.
    /// What gates is the *subject* — the prompt's distinctive words found in what the session
    /// itself said and did, its files and answers included (≥ 30%), how specific those words
    /// are (≥ half a rare word's worth in the caller's project; three elsewhere: the grid kept
    /// asking for more, since prompts typed outside a project mostly start new work, and three
    /// rare words is where `/codex` from an unrelated directory still finds a well-named task)
    /// — and a 20% lead over a different task. Another session is the same task when it holds
    /// 60% of the best candidate's task words in its own name or first prompt (and at least a
    /// tenth of its score: the plateau ran from 5 to 15%); a session in the caller's project
    /// takes over from a twin elsewhere at 80% (70–90% all did as well).
    pub const CALIBRATED: Thresholds = Thresholds {
        min_coverage: 0.0,
        min_lead: 0.20,
        min_subject: 0.30,
        min_specific_here: 0.5,
        min_specific_elsewhere: 3.0,
        same_task: 0.6,
        same_task_score: 0.1,
        same_place: 0.8,
    };
}

/// The index size the thresholds were calibrated at (the calibration home).
const CALIBRATED_AT_SESSIONS: f64 = 2_000.0;

impl Thresholds {
    /// The thresholds for an index of `sessions`: how specific a prompt must be to pick one
    /// session grows with how many there are to confuse it with (logarithmically, as word
    /// rarity does), up to the calibrated value. A new user with five sessions needs one
    /// telling word, not three.
    pub fn for_sessions(&self, sessions: usize) -> Thresholds {
        let scale = ((1.0 + sessions as f64).ln() / (1.0 + CALIBRATED_AT_SESSIONS).ln()).min(1.0);
        Thresholds {
            min_specific_here: self.min_specific_here * scale,
            min_specific_elsewhere: self.min_specific_elsewhere * scale,
            ..*self
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::CALIBRATED
    }
}

/// Relative lead of the first candidate over the second, 0..1 (1 without a runner-up).
pub fn lead(candidates: &[Hit]) -> f64 {
    match candidates {
        [] => 0.0,
        [_] => 1.0,
        [a, b, ..] if a.score > 0.0 => (1.0 - b.score / a.score).clamp(0.0, 1.0),
        _ => 0.0,
    }
}

/// How far the top candidate is past the decision boundary: `min(coverage / min_coverage,
/// lead / min_lead)`. `≥ 1` means resume; 0 means nothing matched at all.
pub fn evidence(coverage: f64, lead: f64, t: &Thresholds) -> f64 {
    let ratio = |x: f64, min: f64| if min > 0.0 { x / min } else { f64::INFINITY };
    ratio(coverage, t.min_coverage).min(ratio(lead, t.min_lead))
}

/// The boundary is inclusive; the epsilon absorbs float noise in `1 − s₂/s₁`.
pub fn resumes(evidence: f64) -> bool {
    evidence >= 1.0 - 1e-9
}

/// Decides on ranked `candidates` (best first, as from [`crate::Index::search`]; pass at least
/// two so the lead can be measured).
///
/// **Confidence** is the confidence in the decision taken, derived from the evidence `e` above:
/// - resume: the share of resumes that were right at that evidence on the calibration home
///   ([`calibrated_resume_confidence`]): 0.88 on the boundary, rising to 0.99 — calibrated on
///   one set, checked on the held-out one (BENCHMARKS.md);
/// - new: `1 − 0.5 · e` — 1 when nothing matched, falling to 0.5 at the boundary (how far from
///   flipping the decision was; not calibrated).
pub fn decide(mut candidates: Vec<Hit>, t: &Thresholds) -> Route {
    let rivals_from = prefer_same_task(&mut candidates, t);
    let Some(top) = candidates.first() else {
        return Route {
            decision: Decision::New,
            confidence: 1.0,
            lead: 0.0,
            candidates,
            reason: "Start a new session: no session shares a word with the prompt.".to_owned(),
        };
    };
    let lead = lead_over(&candidates, rivals_from);
    let subject = if t.min_subject > 0.0 {
        top.subject_coverage / t.min_subject
    } else {
        f64::INFINITY
    };
    let min_specific = if top.same_project {
        t.min_specific_here
    } else {
        t.min_specific_elsewhere
    };
    let specific = if min_specific > 0.0 {
        top.specificity / min_specific
    } else {
        f64::INFINITY
    };
    let e = evidence(top.coverage, lead, t).min(subject).min(specific);
    let pct = |x: f64| (x * 100.0).round() as i64;
    let (decision, confidence, reason) = if resumes(e) {
        let place = if top.same_project {
            " in this project"
        } else {
            ""
        };
        let lead_text = if candidates.len() > 1 {
            format!("leads the next candidate by {}%", pct(lead))
        } else {
            "is the only candidate".to_owned()
        };
        (
            Decision::Resume {
                key: top.key.clone(),
            },
            calibrated_resume_confidence(e),
            format!(
                "Resume {}{place}: it covers {}% of the prompt ({}) and {lead_text}.",
                short(&top.key),
                pct(top.coverage),
                top.matched_terms.join(", "),
            ),
        )
    } else {
        // Two sessions both fit: the prompt does belong somewhere, just not clearly to one.
        let mut tie = false;
        let reason = if top.specificity < min_specific {
            format!(
                "Start a new session: what the best match {} shares with the prompt ({}) is too common to tell it is the one.",
                short(&top.key),
                top.matched_terms.join(", "),
            )
        } else if top.subject_coverage < t.min_subject {
            format!(
                "Start a new session: the best match {} shares only {}% of what the prompt is about ({}), the rest is context every session here has.",
                short(&top.key),
                pct(top.subject_coverage),
                top.matched_terms.join(", "),
            )
        } else if top.coverage < t.min_coverage {
            format!(
                "Start a new session: the best match {} covers only {}% of the prompt (needs {}%).",
                short(&top.key),
                pct(top.coverage),
                pct(t.min_coverage),
            )
        } else {
            tie = true;
            format!(
                "Start a new session unless one of them is meant: {} and {} match about equally well (lead {}%, needs {}%).",
                short(&top.key),
                short(&candidates[1].key),
                pct(lead),
                pct(t.min_lead),
            )
        };
        let confidence = if tie {
            0.5
        } else {
            (1.0 - 0.5 * e).clamp(0.5, 1.0)
        };
        (Decision::New, confidence, reason)
    };
    Route {
        decision,
        confidence,
        candidates,
        lead,
        reason,
    }
}

/// Probability that a resume is right, from its evidence `e` (≥ 1): the share of right resumes
/// per evidence band on the calibration home (`route-eval`'s confidence bands), interpolated.
/// The raw margin `1 − 0.5/e` bands 0.5–0.6, 0.6–0.7, 0.7–0.8, 0.8–1 held 92%, 96%, 98% and
/// 100% right resumes there; BENCHMARKS.md gives the same bands on the held-out set.
fn calibrated_resume_confidence(e: f64) -> f64 {
    const POINTS: [(f64, f64); 5] = [
        (0.5, 0.88),
        (0.6, 0.93),
        (0.7, 0.96),
        (0.8, 0.98),
        (1.0, 0.99),
    ];
    let raw = (1.0 - 0.5 / e).clamp(0.5, 1.0);
    POINTS
        .windows(2)
        .find(|w| raw <= w[1].0)
        .map_or(POINTS[4].1, |w| {
            let (x0, y0) = w[0];
            let (x1, y1) = w[1];
            y0 + (raw - x0) / (x1 - x0) * (y1 - y0)
        })
}

/// The same task in several sessions: attempted twice (or more) in one project — the person
/// continues the attempt they worked on last, even when an older, shorter one scores higher on
/// the prompt's words — or done in two repositories, one of them the caller's — the directory
/// decides. Reorders `candidates` so that the chosen session comes first, followed by the
/// other sessions of the same task, and returns where the *other* candidates start, so the
/// lead is measured against a different task, not against a twin.
fn prefer_same_task(candidates: &mut Vec<Hit>, t: &Thresholds) -> usize {
    let Some(top) = candidates.first() else {
        return 1;
    };
    let mut members = vec![0];
    // A twin in the caller's project takes over from a session elsewhere.
    let mut anchor = 0;
    if !top.same_project
        && let Some(i) = (1..candidates.len()).find(|&i| {
            let h = &candidates[i];
            h.same_project
                && h.same_subject >= t.same_place
                && h.score >= t.same_task_score * top.score
        })
    {
        members.push(i);
        anchor = i;
    }
    let (project, place) = (
        candidates[anchor].project.clone(),
        candidates[anchor].same_project,
    );
    let same_place_as_anchor =
        |h: &Hit| project.is_some() && h.project == project && h.same_project == place;
    let floor = t.same_task_score * top.score;
    for (i, h) in candidates.iter().enumerate().skip(1) {
        if i != anchor
            && same_place_as_anchor(h)
            && h.same_subject >= t.same_task
            && h.score >= floor
        {
            members.push(i);
        }
    }
    // The most recently used attempt in the anchor's project.
    let chosen = members
        .iter()
        .copied()
        .filter(|&i| i == anchor || same_place_as_anchor(&candidates[i]))
        .max_by_key(|&i| (candidates[i].updated_unix, std::cmp::Reverse(i)))
        .unwrap_or(anchor);
    members.sort_unstable();
    let mut order: Vec<usize> = vec![chosen];
    order.extend(members.iter().copied().filter(|&i| i != chosen));
    order.extend((0..candidates.len()).filter(|i| !members.contains(i)));
    let mut taken: Vec<Option<Hit>> = std::mem::take(candidates).into_iter().map(Some).collect();
    *candidates = order.into_iter().filter_map(|i| taken[i].take()).collect();
    members.len()
}

/// Lead of the task in `candidates[..rivals_from]` (its best score) over the first other one.
fn lead_over(candidates: &[Hit], rivals_from: usize) -> f64 {
    let best = candidates[..rivals_from.min(candidates.len())]
        .iter()
        .map(|h| h.score)
        .fold(0.0, f64::max);
    match candidates.get(rivals_from) {
        _ if candidates.is_empty() => 0.0,
        None => 1.0,
        Some(b) if best > 0.0 => (1.0 - b.score / best).clamp(0.0, 1.0),
        Some(_) => 0.0,
    }
}

/// The first 13 characters of a key (UUIDv7 ids of one minute share their first 8).
fn short(key: &str) -> &str {
    key.char_indices().nth(13).map_or(key, |(i, _)| &key[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(key: &str, score: f64, coverage: f64) -> Hit {
        Hit {
            key: key.to_owned(),
            score,
            coverage,
            subject_coverage: coverage,
            specificity: 1.0,
            updated_unix: 0,
            project: Some(format!("/p/{key}")),
            same_project: false,
            same_subject: 0.0,
            matched_terms: vec!["auth".to_owned()],
            fields: vec!["title"],
            reasons: vec![],
        }
    }

    const T: Thresholds = Thresholds {
        min_coverage: 0.4,
        min_lead: 0.1,
        min_subject: 0.0,
        min_specific_here: 0.0,
        min_specific_elsewhere: 0.0,
        same_task: 0.5,
        same_task_score: 0.15,
        same_place: 0.8,
    };

    #[test]
    fn nothing_matched_is_a_confident_new() {
        let r = decide(vec![], &T);
        assert_eq!(r.decision, Decision::New);
        assert_eq!(r.confidence, 1.0);
    }

    #[test]
    fn clear_winner_resumes() {
        let r = decide(vec![hit("a", 10.0, 0.8), hit("b", 2.0, 0.3)], &T);
        assert_eq!(r.decision, Decision::Resume { key: "a".into() });
        assert!(r.confidence > 0.5 && r.confidence <= 1.0);
        assert!(r.reason.starts_with("Resume a"), "{}", r.reason);
    }

    #[test]
    fn low_coverage_starts_new_even_without_rival() {
        let r = decide(vec![hit("a", 10.0, 0.2)], &T);
        assert_eq!(r.decision, Decision::New);
        assert!(r.reason.contains("covers only 20%"), "{}", r.reason);
    }

    #[test]
    fn the_same_task_twice_in_one_project_resumes_the_latest_attempt() {
        let mut older = hit("older", 10.0, 0.9);
        let mut newer = hit("newer", 9.4, 0.9);
        older.project = Some("/p/app".into());
        newer.project = Some("/p/app".into());
        newer.same_subject = 0.9;
        older.updated_unix = 1_000;
        newer.updated_unix = 2_000;
        let r = decide(vec![older, newer, hit("other", 2.0, 0.3)], &T);
        assert_eq!(
            r.decision,
            Decision::Resume {
                key: "newer".into()
            }
        );
    }

    #[test]
    fn near_tie_starts_new() {
        let r = decide(vec![hit("a", 10.0, 0.9), hit("b", 9.5, 0.9)], &T);
        assert_eq!(r.decision, Decision::New);
        assert!(r.reason.contains("equally"), "{}", r.reason);
    }

    #[test]
    fn thresholds_are_inclusive_and_confidence_is_lowest_on_the_boundary() {
        let r = decide(vec![hit("a", 10.0, 0.4), hit("b", 9.0, 0.4)], &T);
        assert_eq!(r.decision, Decision::Resume { key: "a".into() });
        assert!((r.confidence - 0.88).abs() < 1e-9, "{}", r.confidence);
        let r = decide(vec![hit("a", 10.0, 0.39), hit("b", 5.0, 0.1)], &T);
        assert_eq!(r.decision, Decision::New);
        assert!(r.confidence > 0.5 && r.confidence < 0.52);
    }

    #[test]
    fn confidence_grows_with_evidence() {
        let weak = decide(vec![hit("a", 10.0, 0.5), hit("b", 5.0, 0.1)], &T).confidence;
        let strong = decide(vec![hit("a", 10.0, 0.9), hit("b", 1.0, 0.1)], &T).confidence;
        assert!(strong > weak);
    }
}
