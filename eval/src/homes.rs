//! Routing measured on labeled Codex homes: sets written by hand, independently of the router
//! (`eval/calibration/`, `eval/heldout/`), each a generator that writes a `CODEX_HOME` plus
//! labeled prompts. The home goes through the same code the daemon runs — reader, scan, table,
//! route index, `commands::route_answer` — as of the set's own `now`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codexd_core::engine::{Config, Engine, Shared};
use codexd_proto::{Decision, RouteParams, RouteResponse};

/// One labeled prompt (`queries.jsonl`).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Query {
    pub id: String,
    pub prompt: String,
    pub cwd: Option<String>,
    /// The thread to resume; `None`: start a new session.
    pub expect: Option<String>,
    pub kind: String,
}

#[derive(Debug, serde::Deserialize)]
struct Manifest {
    now: String,
    sessions: usize,
    seed: u64,
}

/// A labeled home on disk.
pub struct Set {
    pub name: String,
    pub dir: PathBuf,
    pub now_ms: i64,
    pub sessions: usize,
    pub queries: Vec<Query>,
}

/// Writes (once; reused while its manifest matches) the set `name` with `sessions` sessions
/// from its generator `eval/<name>/generate.py`, under `target/eval/`.
pub fn generate(repo: &Path, name: &str, sessions: usize, seed: u64) -> Result<Set, String> {
    let script = repo.join("eval").join(name).join("generate.py");
    if !script.is_file() {
        return Err(format!("no generator at {}", script.display()));
    }
    let dir = repo
        .join("target")
        .join("eval")
        .join(format!("{name}-{sessions}-seed{seed}"));
    let fresh = read_manifest(&dir).is_ok_and(|m| m.sessions == sessions && m.seed == seed)
        && dir.join("queries.jsonl").is_file();
    if !fresh {
        eprintln!("route-eval: writing the {name} set ({sessions} sessions) …");
        let status = Command::new("python3")
            .arg(&script)
            .arg("--out")
            .arg(&dir)
            .args([
                "--sessions",
                &sessions.to_string(),
                "--seed",
                &seed.to_string(),
            ])
            .status()
            .map_err(|e| format!("cannot run python3 {}: {e}", script.display()))?;
        if !status.success() {
            return Err(format!("{} failed ({status})", script.display()));
        }
    }
    load(name, &dir)
}

fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let bytes = std::fs::read(dir.join("manifest.json")).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// Reads a set that a generator wrote to `dir`.
pub fn load(name: &str, dir: &Path) -> Result<Set, String> {
    let m = read_manifest(dir).map_err(|e| format!("{}: manifest: {e}", dir.display()))?;
    let now_ms = m
        .now
        .parse::<jiff::Timestamp>()
        .map_err(|e| format!("manifest now {:?}: {e}", m.now))?
        .as_millisecond();
    let text = std::fs::read_to_string(dir.join("queries.jsonl"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let queries = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("queries.jsonl: {e}: {l}")))
        .collect::<Result<Vec<Query>, String>>()?;
    Ok(Set {
        name: name.to_owned(),
        dir: dir.to_owned(),
        now_ms,
        sessions: m.sessions,
        queries,
    })
}

/// What happened to one query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Resumed the expected session.
    RightResume,
    /// Said new where new was right.
    RightNew,
    /// Resumed a session that is not the expected one, or resumed where new was right.
    WrongResume,
    /// Said new where a session should have been resumed.
    NeedlessNew,
}

/// One query's result.
#[derive(Clone, Debug)]
pub struct Scored {
    pub query: Query,
    pub outcome: Outcome,
    pub answer: RouteResponse,
}

/// Per-kind and overall counts.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub n: usize,
    pub right_resume: usize,
    pub right_new: usize,
    pub wrong_resume: usize,
    pub needless_new: usize,
    /// Queries whose right answer is a resume.
    pub resumable: usize,
}

impl Tally {
    fn add(&mut self, s: &Scored) {
        self.n += 1;
        if s.query.expect.is_some() {
            self.resumable += 1;
        }
        match s.outcome {
            Outcome::RightResume => self.right_resume += 1,
            Outcome::RightNew => self.right_new += 1,
            Outcome::WrongResume => self.wrong_resume += 1,
            Outcome::NeedlessNew => self.needless_new += 1,
        }
    }
    pub fn wrong_resume_rate(&self) -> f64 {
        ratio(self.wrong_resume, self.n)
    }
    /// Right resumes among queries that should resume.
    pub fn top1(&self) -> f64 {
        ratio(self.right_resume, self.resumable)
    }
    /// Right "new" among queries that should start new.
    pub fn correct_new(&self) -> f64 {
        ratio(self.right_new, self.n - self.resumable)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// A set's evaluation.
pub struct Report {
    pub set: String,
    pub sessions: usize,
    pub index_ms: f64,
    pub overall: Tally,
    pub by_kind: BTreeMap<String, Tally>,
    pub scored: Vec<Scored>,
    /// Route latency (µs) per query, p50 and p99 (in-process, lock included).
    pub p50_us: f64,
    pub p99_us: f64,
}

/// Index the set's home as the daemon would, and route every query.
pub fn evaluate(set: &Set) -> Report {
    let home = set.dir.join("home");
    let mut config = Config::for_home(home);
    config.write_registry = false;
    config.registry = set.dir.join("claude-sessions.json");
    let start = Instant::now();
    let shared = Shared::new(Engine::new(config));
    shared.full_reconcile(false);
    let index_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut scored = Vec::with_capacity(set.queries.len());
    let mut latencies = Vec::with_capacity(set.queries.len());
    for q in &set.queries {
        let params = RouteParams {
            prompt: q.prompt.clone(),
            cwd: q.cwd.clone(),
            limit: None,
            include_archived: false,
            include_non_interactive: false,
        };
        let t = Instant::now();
        // The homes name directories of their author's machine: take them as existing.
        let answer = codexd_core::commands::route_answer(&shared, &params, set.now_ms, &|_| true);
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
        let outcome = match (&answer.decision, &q.expect) {
            (Decision::Resume, Some(e)) if answer.session.as_deref() == Some(e) => {
                Outcome::RightResume
            }
            (Decision::Resume, _) => Outcome::WrongResume,
            (Decision::New, None) => Outcome::RightNew,
            (Decision::New, Some(_)) => Outcome::NeedlessNew,
        };
        scored.push(Scored {
            query: q.clone(),
            outcome,
            answer,
        });
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let mut overall = Tally::default();
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    for s in &scored {
        overall.add(s);
        by_kind.entry(s.query.kind.clone()).or_default().add(s);
    }
    Report {
        set: set.name.clone(),
        sessions: set.sessions,
        index_ms,
        overall,
        by_kind,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
        scored,
    }
}

/// Reliability of `confidence` for resumes: per band, how many resumes and how many were right.
pub fn confidence_bands(r: &Report) -> Vec<(f64, f64, usize, usize)> {
    let edges = [0.5, 0.6, 0.7, 0.8, 0.9, 1.01];
    edges
        .windows(2)
        .map(|w| {
            let in_band: Vec<&Scored> = r
                .scored
                .iter()
                .filter(|s| s.answer.decision == Decision::Resume)
                .filter(|s| s.answer.confidence >= w[0] && s.answer.confidence < w[1])
                .collect();
            let right = in_band
                .iter()
                .filter(|s| s.outcome == Outcome::RightResume)
                .count();
            (w[0], w[1].min(1.0), in_band.len(), right)
        })
        .collect()
}

fn pct(x: f64) -> String {
    if x.is_nan() {
        "–".to_owned()
    } else {
        format!("{:.1}%", 100.0 * x)
    }
}

/// The side-by-side Markdown table: wrong-resume rate first, then top-1 and correct-new, per
/// kind, for each report (calibration first, held-out next).
pub fn markdown(reports: &[&Report]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let head: Vec<String> = reports
        .iter()
        .map(|r| format!("{} ({} sessions)", r.set, r.sessions))
        .collect();
    let _ = writeln!(out, "| measure | {} |", head.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(reports.len()));
    let row = |out: &mut String, label: &str, f: &dyn Fn(&Report) -> String| {
        let cells: Vec<String> = reports.iter().map(|r| f(r)).collect();
        let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
    };
    row(&mut out, "**wrong resume** (of all prompts)", &|r| {
        format!(
            "**{}** ({}/{})",
            pct(r.overall.wrong_resume_rate()),
            r.overall.wrong_resume,
            r.overall.n
        )
    });
    row(&mut out, "top-1 (prompts that continue a session)", &|r| {
        format!(
            "{} ({}/{})",
            pct(r.overall.top1()),
            r.overall.right_resume,
            r.overall.resumable
        )
    });
    row(&mut out, "correct new (prompts that start one)", &|r| {
        format!(
            "{} ({}/{})",
            pct(r.overall.correct_new()),
            r.overall.right_new,
            r.overall.n - r.overall.resumable
        )
    });
    row(&mut out, "route p50 / p99 (µs)", &|r| {
        format!("{:.0} / {:.0}", r.p50_us, r.p99_us)
    });
    row(&mut out, "index build (ms)", &|r| {
        format!("{:.0}", r.index_ms)
    });
    let mut kinds: Vec<&String> = reports.iter().flat_map(|r| r.by_kind.keys()).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        row(
            &mut out,
            &format!("`{kind}`: right / wrong resume"),
            &|r| match r.by_kind.get(kind) {
                None => "–".to_owned(),
                Some(t) => {
                    let right = t.right_resume + t.right_new;
                    format!(
                        "{} right, {} wrong resume ({}/{}, {})",
                        pct(ratio(right, t.n)),
                        pct(t.wrong_resume_rate()),
                        right,
                        t.n,
                        t.wrong_resume
                    )
                }
            },
        );
    }
    out
}

/// One point of the threshold grid and what it gives on a set.
#[derive(Clone, Copy, Debug)]
pub struct GridPoint {
    pub thresholds: codexd_route::Thresholds,
    pub right: usize,
    pub wrong_resume: usize,
    pub n: usize,
}

impl GridPoint {
    /// What calibration maximizes: right answers, a wrong resume costing eight of them (a
    /// wrong resume pollutes a session; a needless new costs some context).
    pub fn objective(&self) -> i64 {
        self.right as i64 - 8 * self.wrong_resume as i64
    }
}

/// The decision thresholds tried by [`calibrate`].
fn grid() -> Vec<codexd_route::Thresholds> {
    let mut grid = Vec::new();
    for &min_lead in &[0.15, 0.2, 0.25] {
        for &min_subject in &[0.25, 0.3, 0.35] {
            for &min_specific_here in &[0.25, 0.5] {
                for &min_specific_elsewhere in &[2.5, 3.0, 3.5] {
                    for &same_task in &[0.5, 0.6, 0.7, 1.01] {
                        for &same_task_score in &[0.0, 0.05, 0.1, 0.15, 0.2] {
                            for &same_place in &[0.7, 0.8, 0.9, 1.01] {
                                grid.push(codexd_route::Thresholds {
                                    min_coverage: 0.0,
                                    min_lead,
                                    min_subject,
                                    min_specific_here,
                                    min_specific_elsewhere,
                                    same_task,
                                    same_task_score,
                                    same_place,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    grid
}

/// Grid-searches the decision thresholds on `sets` (the calibration sets: never the held-out
/// one), deciding over one analysis per query; each point's counts are summed over the sets.
/// Best first.
pub fn calibrate(sets: &[&Set]) -> Vec<GridPoint> {
    let mut points: Vec<GridPoint> = grid()
        .into_iter()
        .map(|thresholds| GridPoint {
            thresholds,
            right: 0,
            wrong_resume: 0,
            n: 0,
        })
        .collect();
    for set in sets {
        let home = set.dir.join("home");
        let mut config = Config::for_home(home);
        config.write_registry = false;
        config.registry = set.dir.join("claude-sessions.json");
        let shared = Shared::new(Engine::new(config));
        shared.full_reconcile(false);
        shared.read(|eng| {
            let analyses: Vec<(codexd_route::Options, codexd_route::Analysis, &Query)> = set
                .queries
                .iter()
                .map(|q| {
                    let opts = codexd_route::Options {
                        cwd: q.cwd.clone(),
                        now_unix: set.now_ms / 1000,
                        limit: 4,
                        ..codexd_route::Options::default()
                    };
                    let a = eng.route_index().analyze(&q.prompt, &opts);
                    (opts, a, q)
                })
                .collect();
            for p in &mut points {
                p.n += analyses.len();
                for (opts, a, q) in &analyses {
                    let r = eng
                        .route_index()
                        .decide_analyzed(a.clone(), opts, &p.thresholds);
                    match (&r.decision, &q.expect) {
                        (codexd_route::Decision::Resume { key }, Some(e)) if key == e => {
                            p.right += 1
                        }
                        (codexd_route::Decision::Resume { .. }, _) => p.wrong_resume += 1,
                        (codexd_route::Decision::New, None) => p.right += 1,
                        (codexd_route::Decision::New, Some(_)) => {}
                    }
                }
            }
        });
    }
    points.sort_by_key(|p| std::cmp::Reverse(p.objective()));
    points
}
