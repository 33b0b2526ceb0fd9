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
}

impl Thresholds {
    /// Calibrated with `cargo run -p codexd-route --release --bin route-eval -- --calibrate`
    /// on the labeled set of seed 1 (2,000 sessions), maximizing `min(top-1, correct-new)`
    /// (see [`crate::eval::calibrate`]); the reported numbers come from seed 2.
    ///
    /// The calibrated lead is 0: on that set every near-tie at the top was already broken the
    /// right way by the same-project boost or recency, so any positive margin only turned right
    /// resumes into `new` (a margin of 0.04 cost 1.2 points of top-1 for 0.9 fewer wrong
    /// resumes). With 0, exact ties resume the more recently used session. The mechanism stays:
    /// raise `min_lead` if real usage shows wrong resumes between look-alike sessions.
    pub const CALIBRATED: Thresholds = Thresholds {
        min_coverage: 0.45,
        min_lead: 0.0,
    };
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
pub(crate) fn evidence(coverage: f64, lead: f64, t: &Thresholds) -> f64 {
    let ratio = |x: f64, min: f64| if min > 0.0 { x / min } else { f64::INFINITY };
    ratio(coverage, t.min_coverage).min(ratio(lead, t.min_lead))
}

/// The boundary is inclusive; the epsilon absorbs float noise in `1 − s₂/s₁`.
pub(crate) fn resumes(evidence: f64) -> bool {
    evidence >= 1.0 - 1e-9
}

/// Decides on ranked `candidates` (best first, as from [`crate::Index::search`]; pass at least
/// two so the lead can be measured).
///
/// **Confidence** is the confidence in the decision taken, derived from the evidence `e` above:
/// - resume: `1 − 0.5 / e` — exactly 0.5 on the boundary, 0.75 at twice the thresholds,
///   approaching 1 as coverage and lead grow;
/// - new: `1 − 0.5 · e` — 1 when nothing matched, falling to 0.5 at the boundary.
///
/// So confidence is always in 0.5..=1 and says how far from flipping the decision was; it is
/// not a calibrated probability.
pub fn decide(candidates: Vec<Hit>, t: &Thresholds) -> Route {
    let Some(top) = candidates.first() else {
        return Route {
            decision: Decision::New,
            confidence: 1.0,
            candidates,
            reason: "Start a new session: no session shares a word with the prompt.".to_owned(),
        };
    };
    let lead = lead(&candidates);
    let e = evidence(top.coverage, lead, t);
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
            (1.0 - 0.5 / e).clamp(0.5, 1.0),
            format!(
                "Resume {}{place}: it covers {}% of the prompt ({}) and {lead_text}.",
                short(&top.key),
                pct(top.coverage),
                top.matched_terms.join(", "),
            ),
        )
    } else {
        let reason = if top.coverage < t.min_coverage {
            format!(
                "Start a new session: the best match {} covers only {}% of the prompt (needs {}%).",
                short(&top.key),
                pct(top.coverage),
                pct(t.min_coverage),
            )
        } else {
            format!(
                "Start a new session: {} and {} match about equally well (lead {}%, needs {}%).",
                short(&top.key),
                short(&candidates[1].key),
                pct(lead),
                pct(t.min_lead),
            )
        };
        (Decision::New, (1.0 - 0.5 * e).clamp(0.5, 1.0), reason)
    };
    Route {
        decision,
        confidence,
        candidates,
        reason,
    }
}

/// First 8 characters of a key, like the old command's `abc12345...`.
fn short(key: &str) -> &str {
    key.char_indices().nth(8).map_or(key, |(i, _)| &key[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(key: &str, score: f64, coverage: f64) -> Hit {
        Hit {
            key: key.to_owned(),
            score,
            coverage,
            same_project: false,
            matched_terms: vec!["auth".to_owned()],
            fields: vec!["title"],
            reasons: vec![],
        }
    }

    const T: Thresholds = Thresholds {
        min_coverage: 0.4,
        min_lead: 0.1,
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
    fn near_tie_starts_new() {
        let r = decide(vec![hit("a", 10.0, 0.9), hit("b", 9.5, 0.9)], &T);
        assert_eq!(r.decision, Decision::New);
        assert!(r.reason.contains("equally"), "{}", r.reason);
    }

    #[test]
    fn thresholds_are_inclusive_and_confidence_is_half_on_the_boundary() {
        let r = decide(vec![hit("a", 10.0, 0.4), hit("b", 9.0, 0.4)], &T);
        assert_eq!(r.decision, Decision::Resume { key: "a".into() });
        assert!((r.confidence - 0.5).abs() < 1e-9);
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
