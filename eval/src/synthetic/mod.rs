//! Evaluation harness: a deterministic, seeded labeled set and the metrics the issue asks for.
//!
//! The labeled set imitates one developer's Codex history: sessions on 36 topics (flaky tests,
//! schema migrations, dependency upgrades, …), each about a specific entity in a specific
//! service ("the flaky *login* test in *billing*"), with several prompts, spread over a dozen
//! repositories and subdirectories and over the last few months. Queries are
//!
//! - **follow-ups** to a target session, paraphrased: entity and service spelled differently
//!   (word forms, prefixes, abbreviations, synonyms), other verbs, details from later prompts
//!   (function names), conversational wrapping; issued from the session's project (60%),
//!   another project (20%) or no directory (20%). Follow-ups stay answerable from the text
//!   (see `follow_up`): a synonym never replaces *both* words that tell a session from its
//!   look-alike siblings;
//! - **near-duplicates**: the same task done in two repositories (identical prompts); the
//!   follow-up comes from one of them and must resume that one — only the cwd tells them apart;
//! - **unrelated** new tasks that no session is about (they still share generic words);
//! - **near-misses**: a known kind of task on a combination of entity and service that no
//!   session has ("flaky *upload* test in *billing*" when only *login*/billing and
//!   upload/*search* exist). Reported separately, with no goal: one word away from an existing
//!   session, a lexical router (and the old rule) resumes that session.
//!
//! The background is dense on purpose: every (topic, entity) pair recurs with other services,
//! so a target has look-alike siblings that differ by one common word. The density grows with
//! the session count (≈11 siblings per pair at 2,000 sessions, ≈55 at 10,000), which is why
//! accuracy is lower at 10,000.
//!
//! Archived and exec copies of some targets are added too; they are excluded by default and
//! must never be chosen.
//!
//! Everything derives from the seed, so numbers are reproducible; thresholds are calibrated on
//! one seed ([`calibrate`]) and reported on another.

mod topics;

use std::collections::HashSet;
use std::time::Instant;

use codexd_route::{
    Decision, DocFields, DocMeta, Index, Options, OriginalSession, Thresholds, original_keywords,
    original_rule, original_task_summary, tokenize,
};
use topics::{
    CLOSERS, FILE_EXTS, FN_NOUNS, FN_VERBS, GENERIC, LANGS, OPENERS, REPOS, SERVICES, SUBDIRS,
    TOPICS, Topic, UNRELATED,
};

/// 2026-01-01T00:00:00Z, the fixed "now" of every labeled set.
const NOW: i64 = 1_767_225_600;
const DAY: i64 = 86_400;
const HOME: &str = "/home/dev/src";

/// Size and seed of a labeled set.
#[derive(Clone, Copy, Debug)]
pub struct EvalConfig {
    pub seed: u64,
    /// Total sessions in the index (targets, twins, excluded copies and background).
    pub sessions: usize,
    /// Unrelated new-task queries.
    pub unrelated_queries: usize,
}

impl EvalConfig {
    pub fn new(seed: u64, sessions: usize) -> Self {
        EvalConfig {
            seed,
            sessions,
            unrelated_queries: 200,
        }
    }

    /// Follow-up targets: a fifth of the sessions, at most 300.
    fn targets(&self) -> usize {
        (self.sessions / 5).clamp(1, 300)
    }
}

/// One generated session.
#[derive(Clone, Debug)]
pub struct Session {
    pub key: String,
    pub name: Option<String>,
    pub prompts: Vec<String>,
    pub cwd: String,
    pub git_root: Option<String>,
    pub repo: String,
    pub updated_unix: i64,
    pub archived: bool,
    pub non_interactive: bool,
}

/// What kind of query, for per-kind metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    FollowUp,
    NearDuplicate,
    Unrelated,
    NearMiss,
}

/// One labeled query: `expect` is the session to resume, or `None` for "new".
#[derive(Clone, Debug)]
pub struct Query {
    pub prompt: String,
    pub cwd: Option<String>,
    pub expect: Option<String>,
    pub kind: QueryKind,
}

/// Sessions plus labeled queries.
#[derive(Clone, Debug)]
pub struct LabeledSet {
    pub now_unix: i64,
    pub sessions: Vec<Session>,
    pub queries: Vec<Query>,
}

/// SplitMix64: tiny, seedable, and good enough for shuffling test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }
    /// A UUIDv7-looking key.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            (b >> 48) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// What a session is about: topic, entity and service indexes.
type Triple = (usize, usize, usize);

/// Per-session details that later prompts and follow-ups refer to.
struct Details {
    func: String,
    file: String,
}

fn fill(template: &str, x: &str, svc: &str, d: &Details) -> String {
    template
        .replace("{x}", x)
        .replace("{svc}", svc)
        .replace("{fn}", &d.func)
        .replace("{file}", &d.file)
}

fn details(rng: &mut Rng, svc: &str) -> Details {
    let verb = *rng.pick(FN_VERBS);
    let noun = *rng.pick(FN_NOUNS);
    let func = if rng.chance(0.5) {
        let mut n = noun.to_owned();
        n[..1].make_ascii_uppercase();
        format!("{verb}{n}")
    } else {
        format!("{verb}_{noun}")
    };
    let file = format!(
        "src/{svc}/{}_{}.{}",
        rng.pick(FN_NOUNS),
        rng.pick(&["store", "handler", "client", "model", "util"]),
        rng.pick(FILE_EXTS)
    );
    Details { func, file }
}

/// Where a session ran.
struct Place {
    repo: usize,
    cwd: String,
    root: String,
}

fn place(rng: &mut Rng, repo: usize) -> Place {
    let root = format!("{HOME}/{}", REPOS[repo].0);
    let sub = *rng.pick(SUBDIRS);
    let cwd = if sub.is_empty() {
        root.clone()
    } else {
        format!("{root}/{sub}")
    };
    Place { repo, cwd, root }
}

fn random_place(rng: &mut Rng) -> Place {
    let repo = rng.below(REPOS.len());
    place(rng, repo)
}

fn make_session(rng: &mut Rng, (t, x, s): Triple, place: &Place, recent: bool) -> Session {
    let topic = &TOPICS[t];
    let x = topic.xs[x].0;
    let svc = SERVICES[s].0;
    let d = details(rng, svc);
    let mut prompts = vec![fill(rng.pick::<&str>(topic.open), x, svc, &d)];
    let mut more: Vec<&str> = topic.more.to_vec();
    rng.shuffle(&mut more);
    // All of the topic's later prompts, in random order and interleaved with chatter.
    for m in &more {
        if rng.chance(0.4) {
            prompts.push((*rng.pick(GENERIC)).to_owned());
        }
        prompts.push(fill(m, x, svc, &d));
    }
    // Codex names most sessions (session_index.jsonl); some have no name.
    let name = rng
        .chance(0.6)
        .then(|| fill(topic.title, x, svc, &d))
        .map(|n| capitalize(&n));
    // Last use: mostly within weeks, a long tail to half a year. Targets are not necessarily
    // the most recent sessions, so recency cannot carry the ranking on its own.
    let max_age = if recent { 60 * DAY } else { 180 * DAY };
    let age = (rng.next() % max_age as u64) as i64 / (1 + rng.below(3) as i64);
    Session {
        key: rng.uuid(),
        name,
        prompts,
        cwd: place.cwd.clone(),
        git_root: rng.chance(0.8).then(|| place.root.clone()),
        repo: REPOS[place.repo].1.to_owned(),
        updated_unix: NOW - age,
        archived: false,
        non_interactive: false,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A paraphrased follow-up to a session about `triple`.
///
/// Realism rules: the template must be consistent with what happened in the session (two
/// thirds of its own words occur there, and it cites a function only if the session named one);
/// entity and service are mostly respelled (other word forms, prefixes, abbreviations,
/// synonyms). The follow-up must stay *answerable from the text*: both the entity and the
/// service keep a lexically related spelling, or the function name is cited and one of them
/// does. With a bare synonym for the very word that tells the session apart from its siblings
/// ("stock service" for *inventory*), no reader without world knowledge could answer, and the
/// set would measure the generator's synonym list instead of the router.
fn follow_up(rng: &mut Rng, (t, x, s): Triple, session: &Session) -> Option<String> {
    let topic: &Topic = &TOPICS[t];
    let func = session
        .prompts
        .iter()
        .flat_map(|p| p.split_whitespace())
        .find(|w| FN_VERBS.iter().any(|v| w.starts_with(v)) && (w.contains('_') || has_upper(w)))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                .to_owned()
        });
    let seen: HashSet<String> = session.prompts.iter().flat_map(|p| tokenize(p)).collect();
    let consistent = |tpl: &&str| {
        if tpl.contains("{fn}") && func.is_none() {
            return false;
        }
        let own = tokenize(&strip_placeholders(tpl));
        own.is_empty() || 3 * own.iter().filter(|t| seen.contains(*t)).count() >= 2 * own.len()
    };
    let eligible: Vec<&str> = topic.follow.iter().copied().filter(consistent).collect();
    if eligible.is_empty() {
        // Nothing a user would plausibly say about this session; no follow-up for it.
        return None;
    }
    let template = *rng.pick(&eligible);

    let (x_canon, x_vars) = topic.xs[x];
    let (svc_canon, svc_vars) = SERVICES[s];
    let (mut xs, mut ss) = (x_canon, svc_canon);
    for _ in 0..20 {
        xs = if rng.chance(0.35) {
            x_canon
        } else {
            *rng.pick(x_vars)
        };
        ss = *rng.pick(svc_vars);
        let (rx, rs) = (related(xs, x_canon), related(ss, svc_canon));
        if (rx && rs) || (template.contains("{fn}") && (rx || rs)) {
            break;
        }
    }
    let d = Details {
        func: func.unwrap_or_default(),
        file: String::new(),
    };
    let body = fill(template, xs, ss, &d);
    Some(format!("{}{body}{}", rng.pick(OPENERS), rng.pick(CLOSERS)))
}

fn strip_placeholders(template: &str) -> String {
    ["{x}", "{svc}", "{fn}", "{file}"]
        .iter()
        .fold(template.to_owned(), |t, p| t.replace(p, " "))
}

/// Do two spellings share a word, exactly or as a prefix (4+ characters)?
fn related(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokenize(a), tokenize(b));
    ta.iter().any(|x| {
        tb.iter().any(|y| {
            x == y
                || (x.len().min(y.len()) >= 4
                    && (x.starts_with(y.as_str()) || y.starts_with(x.as_str())))
        })
    })
}

fn has_upper(w: &str) -> bool {
    w.chars().any(char::is_uppercase)
}

/// A directory to route from when following up on `place`: mostly the session's project
/// (its cwd, root or another subdirectory), sometimes another project or none.
///
/// "Same project" means what a user would see as such and the index can know: the session's
/// cwd, the repository root, or — when the session's git root is known — another subdirectory.
fn query_cwd(
    rng: &mut Rng,
    place: &Place,
    session: &Session,
    must_be_same_project: bool,
) -> Option<String> {
    let r = rng.below(10);
    if must_be_same_project || r < 6 {
        Some(match rng.below(3) {
            0 => place.cwd.clone(),
            1 => place.root.clone(),
            _ if session.git_root.is_some() => self::place(rng, place.repo).cwd,
            _ => place.cwd.clone(),
        })
    } else if r < 8 {
        let other = (place.repo + 1 + rng.below(REPOS.len() - 1)) % REPOS.len();
        Some(self::place(rng, other).cwd)
    } else {
        None
    }
}

/// Generates the labeled set for `cfg`.
pub fn generate(cfg: &EvalConfig) -> LabeledSet {
    let mut rng = Rng(cfg.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let mut triples: Vec<Triple> = TOPICS
        .iter()
        .enumerate()
        .flat_map(|(t, topic)| {
            (0..topic.xs.len()).flat_map(move |x| (0..SERVICES.len()).map(move |s| (t, x, s)))
        })
        .collect();
    rng.shuffle(&mut triples);

    let n_targets = cfg.targets();
    let n_twins = n_targets / 5;
    let n_near_miss = 100;
    let (targets, rest) = triples.split_at(n_targets);
    let (held_out, background) = rest.split_at(n_near_miss);

    let mut sessions = Vec::new();
    let mut queries = Vec::new();
    for (i, &triple) in targets.iter().enumerate() {
        let home = random_place(&mut rng);
        let target = make_session(&mut rng, triple, &home, true);
        if i < n_twins {
            // The same task in another repository; each copy is followed up on from its own
            // project, where only the cwd tells them apart.
            let other = (home.repo + 1 + rng.below(REPOS.len() - 1)) % REPOS.len();
            let there = place(&mut rng, other);
            let twin = Session {
                key: rng.uuid(),
                cwd: there.cwd.clone(),
                git_root: rng.chance(0.8).then(|| there.root.clone()),
                repo: REPOS[there.repo].1.to_owned(),
                updated_unix: NOW - (rng.next() % (60 * DAY) as u64) as i64,
                ..target.clone()
            };
            for (s, p) in [(&target, &home), (&twin, &there)] {
                if let Some(prompt) = follow_up(&mut rng, triple, s) {
                    queries.push(Query {
                        prompt,
                        cwd: query_cwd(&mut rng, p, s, true),
                        expect: Some(s.key.clone()),
                        kind: QueryKind::NearDuplicate,
                    });
                }
            }
            sessions.push(twin);
        } else {
            if let Some(prompt) = follow_up(&mut rng, triple, &target) {
                queries.push(Query {
                    prompt,
                    cwd: query_cwd(&mut rng, &home, &target, false),
                    expect: Some(target.key.clone()),
                    kind: QueryKind::FollowUp,
                });
            }
        }
        if rng.chance(0.15) {
            // An archived or exec copy of the same task: excluded by default, never the answer.
            let mut copy = make_session(&mut rng, triple, &home, false);
            if rng.chance(0.5) {
                copy.archived = true;
            } else {
                copy.non_interactive = true;
            }
            sessions.push(copy);
        }
        sessions.push(target);
    }
    // Background sessions on other (topic, entity, service) combinations, repeats allowed.
    while sessions.len() < cfg.sessions {
        let triple = *rng.pick(background);
        let p = random_place(&mut rng);
        let mut s = make_session(&mut rng, triple, &p, false);
        s.archived = rng.chance(0.1);
        s.non_interactive = rng.chance(0.1);
        sessions.push(s);
    }
    rng.shuffle(&mut sessions);

    for _ in 0..cfg.unrelated_queries {
        let body = rng
            .pick(UNRELATED)
            .replace("{lang}", rng.pick::<&str>(LANGS));
        let cwd = rng.chance(0.7).then(|| random_place(&mut rng).cwd);
        queries.push(Query {
            prompt: format!(
                "{}{body}",
                rng.pick(["", "", "hey, ", "new task: "].as_slice())
            ),
            cwd,
            expect: None,
            kind: QueryKind::Unrelated,
        });
    }
    for &(t, x, s) in held_out {
        let topic = &TOPICS[t];
        let svc = SERVICES[s].0;
        let d = details(&mut rng, svc);
        queries.push(Query {
            prompt: fill(rng.pick::<&str>(topic.open), topic.xs[x].0, svc, &d),
            cwd: Some(random_place(&mut rng).cwd),
            expect: None,
            kind: QueryKind::NearMiss,
        });
    }
    LabeledSet {
        now_unix: NOW,
        sessions,
        queries,
    }
}

impl LabeledSet {
    /// Indexes every session.
    pub fn index(&self) -> Index {
        let mut index = Index::new();
        for s in &self.sessions {
            index.upsert(&s.key, &s.fields(), s.meta());
        }
        index
    }

    fn options(&self, q: &Query, limit: usize) -> Options {
        Options {
            cwd: q.cwd.clone(),
            now_unix: self.now_unix,
            limit,
            ..Options::default()
        }
    }
}

impl Session {
    pub fn fields(&self) -> DocFields<'_> {
        DocFields {
            name: self.name.as_deref(),
            first_prompt: self.prompts.first().map(String::as_str),
            prompts: &self.prompts,
            cwd: Some(&self.cwd),
            repo: Some(&self.repo),
            ..DocFields::default()
        }
    }

    pub fn meta(&self) -> DocMeta {
        DocMeta {
            updated_unix: self.updated_unix,
            archived: self.archived,
            non_interactive: self.non_interactive,
            cwd: Some(self.cwd.clone()),
            git_root: self.git_root.clone(),
            fingerprint: 0,
        }
    }
}

/// A rate with its sample size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rate {
    pub hits: usize,
    pub total: usize,
}

impl Rate {
    pub fn value(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hits as f64 / self.total as f64
        }
    }
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hits += usize::from(ok);
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.1}% ({}/{})",
            100.0 * self.value(),
            self.hits,
            self.total
        )
    }
}

/// The numbers of one evaluation run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub seed: u64,
    pub sessions: usize,
    pub thresholds: Option<Thresholds>,
    /// Resume queries (follow-ups and near-duplicates) routed to the right session.
    pub top1: Rate,
    pub top1_follow_up: Rate,
    pub top1_near_duplicate: Rate,
    /// Resume queries whose best-ranked candidate is right, whatever the decision.
    pub ranking_top1: Rate,
    /// Unrelated queries routed to `new`.
    pub correct_new: Rate,
    /// Near-miss queries routed to `new`.
    pub near_miss_new: Rate,
    pub original_top1: Rate,
    pub original_correct_new: Rate,
    pub original_near_miss_new: Rate,
    /// Route latency in microseconds.
    pub p50_us: f64,
    pub p99_us: f64,
    /// Time to index all sessions, in milliseconds.
    pub build_ms: f64,
    /// Wrongly routed queries, for diagnosis (`route-eval --failures`).
    pub failures: Vec<Failure>,
}

/// A wrongly routed query.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: QueryKind,
    pub prompt: String,
    pub cwd: Option<String>,
    pub expect: Option<String>,
    pub route: codexd_route::Route,
}

/// Routes every query of `set` through `index` with `thresholds` and through the original rule.
pub fn evaluate(set: &LabeledSet, index: &Index, thresholds: &Thresholds) -> Report {
    let summaries: Vec<(Vec<String>, &Session)> = set
        .sessions
        .iter()
        // The same candidate set for both: the old registry had no notion of archived/exec
        // sessions being excluded, but giving it decoys it cannot know about would be unfair.
        .filter(|s| !s.archived && !s.non_interactive)
        .map(|s| {
            let summary = original_task_summary(s.prompts.first().map(String::as_str));
            (original_keywords(&summary), s)
        })
        .collect();

    let mut r = Report {
        seed: 0,
        sessions: set.sessions.len(),
        thresholds: Some(*thresholds),
        ..Report::default()
    };
    let mut latencies = Vec::with_capacity(set.queries.len());
    for q in &set.queries {
        let opts = set.options(q, 5);
        let start = Instant::now();
        let route = index.route_with(&q.prompt, &opts, thresholds);
        latencies.push(start.elapsed().as_secs_f64() * 1e6);

        let original = original_rule(
            &q.prompt,
            summaries.iter().map(|(kw, s)| OriginalSession {
                key: &s.key,
                keywords: kw,
                last_used_unix: s.updated_unix,
            }),
        );
        let resumes_to =
            |d: &Decision, key: &str| matches!(d, Decision::Resume { key: k } if k == key);
        let correct = match &q.expect {
            Some(key) => resumes_to(&route.decision, key),
            None => route.decision == Decision::New,
        };
        if !correct {
            r.failures.push(Failure {
                kind: q.kind,
                prompt: q.prompt.clone(),
                cwd: q.cwd.clone(),
                expect: q.expect.clone(),
                route: route.clone(),
            });
        }
        match (&q.expect, q.kind) {
            (Some(key), kind) => {
                let ok = resumes_to(&route.decision, key);
                r.top1.add(ok);
                if kind == QueryKind::NearDuplicate {
                    r.top1_near_duplicate.add(ok);
                } else {
                    r.top1_follow_up.add(ok);
                }
                r.ranking_top1
                    .add(route.candidates.first().is_some_and(|h| &h.key == key));
                r.original_top1.add(resumes_to(&original, key));
            }
            (None, QueryKind::NearMiss) => {
                r.near_miss_new.add(route.decision == Decision::New);
                r.original_near_miss_new.add(original == Decision::New);
            }
            (None, _) => {
                r.correct_new.add(route.decision == Decision::New);
                r.original_correct_new.add(original == Decision::New);
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    if !latencies.is_empty() {
        r.p50_us = pct(0.50);
        r.p99_us = pct(0.99);
    }
    r
}

/// Generates the set for `cfg`, indexes it (timed) and evaluates it.
pub fn run(cfg: &EvalConfig, thresholds: &Thresholds) -> Report {
    let set = generate(cfg);
    let start = Instant::now();
    let index = set.index();
    let build_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut r = evaluate(&set, &index, thresholds);
    r.seed = cfg.seed;
    r.build_ms = build_ms;
    r
}

impl Report {
    /// The Markdown table printed by `route-eval`.
    pub fn markdown(&self) -> String {
        let t = self.thresholds.unwrap_or_default();
        let pct = |r: &Rate| format!("{:.1}%", 100.0 * r.value());
        let mut s = format!(
            "### seed {}, {} sessions (min coverage {:.3}, min lead {:.3})\n\n",
            self.seed, self.sessions, t.min_coverage, t.min_lead
        );
        s.push_str("| metric | n | codexd-route | original rule |\n|---|---:|---:|---:|\n");
        let mut row = |name: &str, ours: &Rate, orig: Option<&Rate>| {
            s.push_str(&format!(
                "| {name} | {} | {} | {} |\n",
                ours.total,
                pct(ours),
                orig.map_or("–".to_owned(), pct)
            ));
        };
        row(
            "**top-1 accuracy** (resume the right session)",
            &self.top1,
            Some(&self.original_top1),
        );
        row("  of which follow-ups", &self.top1_follow_up, None);
        row(
            "  of which near-duplicates (cwd decides)",
            &self.top1_near_duplicate,
            None,
        );
        row(
            "ranking top-1 (best candidate right, before deciding)",
            &self.ranking_top1,
            None,
        );
        row(
            "**correct-new** (unrelated prompts → new)",
            &self.correct_new,
            Some(&self.original_correct_new),
        );
        row(
            "correct-new on near-misses (known task, unseen entity/service pair)",
            &self.near_miss_new,
            Some(&self.original_near_miss_new),
        );
        s.push_str(&format!(
            "\nroute latency: p50 {:.0} µs, p99 {:.0} µs; index build {:.0} ms\n",
            self.p50_us, self.p99_us, self.build_ms
        ));
        s
    }
}

/// One evaluated grid point of [`calibrate`].
#[derive(Clone, Copy, Debug)]
pub struct GridPoint {
    pub thresholds: Thresholds,
    /// Resume queries routed to the right session.
    pub top1: f64,
    /// Unrelated queries routed to `new`.
    pub correct_new: f64,
    /// Resume queries routed to the *wrong* session (worse than starting new).
    pub wrong_resume: f64,
    /// `min(top1, correct_new)`, maximized by [`calibrate`].
    pub objective: f64,
}

/// The result of [`calibrate`]: the chosen point and the best ones, best first.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub chosen: GridPoint,
    pub best: Vec<GridPoint>,
}

/// Grid-searches the decision thresholds on `set`.
///
/// Objective: maximize `min(top-1, correct-new)` — the two goals of the issue, neither traded
/// for the other. Ties go to fewer wrong-session resumes (resuming the wrong thread pollutes
/// it, which is worse than starting fresh), then to the more conservative point (larger lead,
/// then larger coverage). Near-miss queries are not used. Each query is ranked once; only the
/// decision is redone per grid point.
pub fn calibrate(set: &LabeledSet, index: &Index) -> Calibration {
    // (expected key, kind, top coverage, lead, top key) per query.
    type Ranked<'a> = (Option<&'a str>, QueryKind, f64, f64, Option<String>);
    let ranked: Vec<Ranked<'_>> = set
        .queries
        .iter()
        .map(|q| {
            let hits = index.search(&q.prompt, &set.options(q, 2));
            let cov = hits.first().map_or(0.0, |h| h.coverage);
            (
                q.expect.as_deref(),
                q.kind,
                cov,
                codexd_route::lead(&hits),
                hits.into_iter().next().map(|h| h.key),
            )
        })
        .collect();
    let mut grid = Vec::new();
    for ci in 0..=70 {
        for li in 0..=40 {
            let t = Thresholds {
                min_coverage: 0.10 + 0.01 * f64::from(ci),
                min_lead: 0.01 * f64::from(li),
                min_subject: 0.0,
                min_specific_here: 0.0,
                min_specific_elsewhere: 0.0,
                ..Thresholds::CALIBRATED
            };
            let (mut top1, mut wrong, mut new) =
                (Rate::default(), Rate::default(), Rate::default());
            for (expect, kind, cov, lead, top) in &ranked {
                let resume = codexd_route::resumes(codexd_route::evidence(*cov, *lead, &t));
                match expect {
                    Some(k) => {
                        let right = top.as_deref() == Some(*k);
                        top1.add(resume && right);
                        wrong.add(resume && !right);
                    }
                    None if *kind == QueryKind::Unrelated => new.add(!resume),
                    None => {}
                }
            }
            grid.push(GridPoint {
                thresholds: t,
                top1: top1.value(),
                correct_new: new.value(),
                wrong_resume: wrong.value(),
                objective: top1.value().min(new.value()),
            });
        }
    }
    let round = |x: f64| (x * 1e9).round();
    grid.sort_by(|a, b| {
        round(b.objective)
            .total_cmp(&round(a.objective))
            .then(round(a.wrong_resume).total_cmp(&round(b.wrong_resume)))
            .then(b.thresholds.min_lead.total_cmp(&a.thresholds.min_lead))
            .then(
                b.thresholds
                    .min_coverage
                    .total_cmp(&a.thresholds.min_coverage),
            )
    });
    grid.truncate(15);
    Calibration {
        chosen: grid[0],
        best: grid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_labeled() {
        let a = generate(&EvalConfig::new(7, 300));
        let b = generate(&EvalConfig::new(7, 300));
        assert_eq!(a.sessions.len(), 300);
        assert_eq!(
            a.queries.iter().map(|q| &q.prompt).collect::<Vec<_>>(),
            b.queries.iter().map(|q| &q.prompt).collect::<Vec<_>>()
        );
        // Every expected session exists and is eligible.
        for q in a.queries.iter().filter(|q| q.expect.is_some()) {
            let s = a
                .sessions
                .iter()
                .find(|s| Some(&s.key) == q.expect.as_ref())
                .expect("target exists");
            assert!(!s.archived && !s.non_interactive);
        }
        assert!(TOPICS.len() >= 30);
    }

    /// Accuracy is a correctness property of the router: assert the goals on a small
    /// set with a seed that was not used for calibration.
    #[test]
    fn small_eval_meets_the_goals() {
        let report = run(&EvalConfig::new(3, 600), &Thresholds::default());
        println!("{}", report.markdown());
        // The subject rule declines many of this set's heavily abbreviated follow-ups (see
        // BENCHMARKS.md); what must hold is that it rarely resumes wrongly. Session 4's rules
        // (context words learned per repository, the same task told by shared task words) cost
        // this set about two points (85 → 83 %: its follow-ups name one service of a monorepo
        // whose every session names one) while held-out wrong resumes fell from 3.1 to 0.4 %.
        assert!(report.top1.value() >= 0.80, "{}", report.markdown());
        assert!(report.correct_new.value() >= 0.95, "{}", report.markdown());
        // And it beats the original rule by a wide margin.
        assert!(report.top1.value() > report.original_top1.value() + 0.3);
    }
}
