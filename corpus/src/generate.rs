//! A whole `$CODEX_HOME` of realistic sessions, deterministic for a seed.
//!
//! Two phases:
//! 1. **Plan** (sequential, cheap): for each session index `i`, a PRNG derived from
//!    `(seed, i)` decides its era, version, format, source, prompts, turn outcomes and byte
//!    budget, producing a [`SessionSpec`]. Cross-session links (fork parents, sub-agent parents)
//!    only look backwards, so planning is a simple loop.
//! 2. **Write** (parallel): worker threads render plans into whole-file buffers and write each
//!    with one `write_all`. A file's bytes depend only on its plan, so the tree is byte-identical
//!    for a seed whatever the thread count or scheduling.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::fixtures::{self, Expected, Pitfall};
use crate::render::RenderOpts;
use crate::rng::Rng;
use crate::spec::{Format, Git, Placement, SessionSpec, Source, Turn, TurnEnd};
use crate::text::{self, Slots};
use crate::time::{self, ms_from_civil};
use crate::uuid;

const DAY: i64 = 86_400_000;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorpusOptions {
    /// Number of regular sessions (pitfall fixtures come on top).
    pub sessions: usize,
    pub seed: u64,
    /// Multiplies bulk sizes (tool outputs, reasoning, images, instructions). 1.0 ≈ 200 KB per
    /// session on average; 0.01 makes a structurally identical corpus ~20× smaller.
    pub scale: f64,
    /// Creation time of the newest regular session, unix ms. The main corpus spans the year
    /// before it; ~4 % of sessions are older (2025-05 → 2025-10, pre-0.48 formats).
    pub end_ms: i64,
    /// Also write one instance of every [`Pitfall`].
    pub pitfalls: bool,
    /// Writer threads; 0 = available parallelism.
    pub threads: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            sessions: 10_000,
            seed: 0,
            scale: 1.0,
            end_ms: ms_from_civil(2026, 11, 20, 18, 0, 0),
            pitfalls: true,
            threads: 0,
        }
    }
}

/// One thread of the generated home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSession {
    pub expected: Expected,
    /// Files of this thread relative to the codex home, current file last.
    pub paths: Vec<PathBuf>,
    pub format: Format,
    /// Bytes on disk of all `paths`.
    pub bytes: u64,
    /// mtime of the current file, unix ms.
    pub updated_ms: i64,
    /// Last `token_count` total, when known.
    pub tokens_total: Option<u64>,
    /// Set for sessions written by the pitfall pack.
    pub pitfall: Option<Pitfall>,
}

/// Everything [`generate`] wrote, with ground truth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub options: CorpusOptions,
    pub sessions: Vec<ManifestSession>,
    /// Paths (relative) a reader must not index: temp/hidden files, rollout-named directories,
    /// non-UUID names, TypeScript-era `.json`.
    pub ignored: Vec<PathBuf>,
    /// Rollout-named files with undecodable content (must not crash a reader).
    pub garbage: Vec<PathBuf>,
    /// Total bytes written (sessions, index, history, pitfall files).
    pub total_bytes: u64,
    /// Number of files written.
    pub files: usize,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manifest serialises")
    }

    pub fn from_json(s: &str) -> serde_json::Result<Manifest> {
        serde_json::from_str(s)
    }

    /// The session with thread id `id`.
    pub fn session(&self, id: &str) -> Option<&ManifestSession> {
        self.sessions.iter().find(|s| s.expected.id == id)
    }
}

/// How a planned session is written.
enum Extra {
    None,
    /// Legacy fork of plan `parent` (parent history copied after our `session_meta`).
    Fork {
        parent: usize,
    },
    /// Paginated revert: keep `keep` turns of the original, then `new_turns` in a second file.
    Revert {
        keep: usize,
        new_turns: Vec<Turn>,
    },
    /// Plain file plus an older `.jsonl.zst` sibling.
    Siblings,
}

struct Plan {
    spec: SessionSpec,
    format: Format,
    placement: Placement,
    compressed: bool,
    extra: Extra,
    minor: u64,
    /// session_index.jsonl entries (time, name), oldest first; the last one is `spec.name`.
    names: Vec<(i64, String)>,
}

struct Outcome {
    session: ManifestSession,
    files: usize,
    history: Vec<(i64, String, String)>,
}

/// Generate a Codex home under `codex_home` (created if missing). See [`CorpusOptions`].
pub fn generate(codex_home: &Path, opts: &CorpusOptions) -> io::Result<Manifest> {
    fs::create_dir_all(codex_home)?;
    let mut plans: Vec<Plan> = Vec::with_capacity(opts.sessions);
    for i in 0..opts.sessions {
        let p = plan(i, opts, &plans);
        plans.push(p);
    }

    let threads = if opts.threads > 0 {
        opts.threads
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    }
    .min(opts.sessions.max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(plans.len()));
    let first_error: Mutex<Option<io::Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= plans.len() {
                        break;
                    }
                    match write_plan(codex_home, &plans, i) {
                        Ok(o) => local.push((i, o)),
                        Err(e) => {
                            first_error.lock().expect("lock").get_or_insert(e);
                            next.store(plans.len(), Ordering::Relaxed);
                            break;
                        }
                    }
                }
                results.lock().expect("lock").extend(local);
            });
        }
    });
    if let Some(e) = first_error.into_inner().expect("lock") {
        return Err(e);
    }
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|(i, _)| *i);

    let mut manifest = Manifest {
        options: opts.clone(),
        sessions: Vec::with_capacity(results.len()),
        ignored: Vec::new(),
        garbage: Vec::new(),
        total_bytes: 0,
        files: 0,
    };
    let mut history = Vec::new();
    for (_, o) in results {
        manifest.total_bytes += o.session.bytes;
        manifest.files += o.files;
        history.extend(o.history);
        manifest.sessions.push(o.session);
    }

    // session_index.jsonl: append-only in time order, last entry per id wins (docs/rollout-format.md §1.3).
    let mut index: Vec<(i64, &str, &str)> = plans
        .iter()
        .flat_map(|p| {
            p.names
                .iter()
                .map(move |(t, n)| (*t, p.spec.id.as_str(), n.as_str()))
        })
        .collect();
    index.sort();
    if !index.is_empty() {
        let mut buf = String::new();
        for (t, id, name) in &index {
            buf.push_str(&fixtures::session_index_line(id, name, *t));
        }
        let last = index.last().map_or(0, |e| e.0);
        manifest.total_bytes += fixtures::write_file(
            &codex_home.join("session_index.jsonl"),
            buf.as_bytes(),
            false,
            last,
        )?;
        manifest.files += 1;
    }

    // history.jsonl: TUI prompts, `{"session_id","ts","text"}` (docs/rollout-format.md §1.3).
    history.sort();
    if !history.is_empty() {
        let mut buf = String::new();
        for (ms, id, text) in &history {
            buf.push_str(&format!(
                "{{\"session_id\":{},\"ts\":{},\"text\":{}}}\n",
                crate::json::quote(id),
                ms / 1000,
                crate::json::quote(text)
            ));
        }
        let last = history.last().map_or(0, |e| e.0);
        manifest.total_bytes += fixtures::write_file(
            &codex_home.join("history.jsonl"),
            buf.as_bytes(),
            false,
            last,
        )?;
        manifest.files += 1;
    }

    if opts.pitfalls {
        for p in Pitfall::ALL {
            let files = fixtures::write_pitfall(codex_home, p, opts.seed)?;
            for s in files.sessions {
                let paths: Vec<PathBuf> = s.files.iter().map(|f| rel(codex_home, f)).collect();
                let (bytes, updated_ms) = stat_files(&s.files)?;
                manifest.total_bytes += bytes;
                manifest.files += paths.len();
                manifest.sessions.push(ManifestSession {
                    expected: s.expected,
                    paths,
                    format: s.format,
                    bytes,
                    updated_ms,
                    tokens_total: None,
                    pitfall: Some(p),
                });
            }
            for f in &files.ignored {
                manifest.total_bytes += dir_size(f)?;
                manifest.ignored.push(rel(codex_home, f));
            }
            for f in &files.garbage {
                manifest.total_bytes += fs::metadata(f)?.len();
                manifest.garbage.push(rel(codex_home, f));
            }
            manifest.files += files.ignored.len() + files.garbage.len();
        }
    }
    Ok(manifest)
}

fn rel(home: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(home).unwrap_or(p).to_path_buf()
}

fn stat_files(files: &[PathBuf]) -> io::Result<(u64, i64)> {
    let mut bytes = 0;
    let mut updated = 0;
    for f in files {
        let m = fs::metadata(f)?;
        bytes += m.len();
        updated = m
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
    }
    Ok((bytes, updated))
}

fn dir_size(p: &Path) -> io::Result<u64> {
    let m = fs::metadata(p)?;
    if !m.is_dir() {
        return Ok(m.len());
    }
    let mut total = 0;
    for e in fs::read_dir(p)? {
        total += dir_size(&e?.path())?;
    }
    Ok(total)
}

fn write_plan(home: &Path, plans: &[Plan], i: usize) -> io::Result<Outcome> {
    let p = &plans[i];
    let spec = &p.spec;
    let (files, expected, tokens, prompt_ms) = match &p.extra {
        Extra::None => {
            let w = fixtures::write_rendered(
                home,
                spec,
                p.format,
                p.placement,
                p.compressed,
                &RenderOpts::default(),
            )?;
            let e = fixtures::expected(spec, p.format, p.placement);
            (vec![w.path], e, w.tokens_total, w.prompt_ms)
        }
        Extra::Fork { parent } => {
            let parent_bytes = crate::render::render(
                &plans[*parent].spec,
                Format::Envelope,
                &RenderOpts::default(),
            )
            .bytes;
            let opts = RenderOpts {
                fork_prefix: Some(&parent_bytes),
                skip_injected: true,
                ..RenderOpts::default()
            };
            let w = fixtures::write_rendered(home, spec, p.format, p.placement, false, &opts)?;
            let e = fixtures::expected_fork(&plans[*parent].spec, spec, p.placement);
            (vec![w.path], e, w.tokens_total, Vec::new())
        }
        Extra::Revert { keep, new_turns } => {
            let (files, e) =
                fixtures::write_reverted_thread(home, spec, *keep, new_turns.clone(), p.placement)?;
            (files, e, None, Vec::new())
        }
        Extra::Siblings => {
            let files = fixtures::write_plain_and_compressed(home, spec, p.placement)?;
            (
                files,
                fixtures::expected(spec, p.format, p.placement),
                None,
                Vec::new(),
            )
        }
    };
    let mut expected = expected;
    // The generator owns session_index.jsonl, so the last index entry is the truth.
    expected.name = p
        .names
        .last()
        .map(|(_, n)| n.clone())
        .filter(|n| !n.is_empty());
    let (bytes, updated_ms) = stat_files(&files)?;
    // history.jsonl only records what the TUI composer submitted (not exec, not IDEs).
    let history = if spec.source == Source::Cli && matches!(p.extra, Extra::None) && p.minor >= 1 {
        spec.turns
            .iter()
            .zip(prompt_ms)
            .filter(|(t, _)| !t.prompt.is_empty())
            .map(|(t, ms)| (ms, spec.id.clone(), t.prompt.clone()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Outcome {
        files: files.len(),
        session: ManifestSession {
            expected,
            paths: files.iter().map(|f| rel(home, f)).collect(),
            format: p.format,
            bytes,
            updated_ms,
            tokens_total: tokens,
            pitfall: None,
        },
        history,
    })
}

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

/// Release timeline (date → minor version), from the tags in docs/rollout-format.md §3. Versions in
/// between are interpolated; it only has to be plausible and monotonic.
const TIMELINE: &[(i64, u32, u32, u64)] = &[
    (2025, 5, 7, 0),
    (2025, 6, 1, 0),
    (2025, 6, 15, 1),
    (2025, 7, 1, 4),
    (2025, 7, 18, 8),
    (2025, 7, 24, 10),
    (2025, 8, 20, 22),
    (2025, 9, 5, 30),
    (2025, 9, 10, 32),
    (2025, 9, 18, 39),
    (2025, 10, 2, 44),
    (2025, 10, 22, 48),
    (2025, 10, 27, 51),
    (2025, 10, 30, 54),
    (2025, 11, 20, 60),
    (2025, 12, 15, 70),
    (2026, 1, 14, 84),
    (2026, 1, 20, 88),
    (2026, 1, 30, 93),
    (2026, 2, 7, 99),
    (2026, 2, 23, 104),
    (2026, 4, 25, 125),
    (2026, 5, 20, 130),
    (2026, 7, 15, 143),
    (2026, 8, 4, 147),
    (2026, 8, 18, 148),
    (2026, 9, 10, 152),
    (2026, 11, 13, 169),
];

fn minor_at(ms: i64) -> u64 {
    let pts: Vec<(i64, u64)> = TIMELINE
        .iter()
        .map(|&(y, m, d, v)| (ms_from_civil(y, m, d, 0, 0, 0), v))
        .collect();
    if ms <= pts[0].0 {
        return 0;
    }
    for w in pts.windows(2) {
        let ((t0, v0), (t1, v1)) = (w[0], w[1]);
        if ms < t1 {
            return v0 + ((v1 - v0) as i64 * (ms - t0) / (t1 - t0)) as u64;
        }
    }
    let (t, v) = pts[pts.len() - 1];
    v + ((ms - t) / (10 * DAY)) as u64
}

fn model_at(ms: i64) -> &'static str {
    const MODELS: &[(i64, u32, u32, &str)] = &[
        (2025, 8, 7, "codex-mini-latest"),
        (2025, 9, 15, "gpt-5"),
        (2025, 11, 13, "gpt-5-codex"),
        (2025, 12, 18, "gpt-5.1-codex-max"),
        (2026, 2, 5, "gpt-5.2-codex"),
        (2026, 5, 1, "gpt-5.3-codex"),
        (2026, 8, 1, "gpt-5.4"),
    ];
    MODELS
        .iter()
        .find(|&&(y, m, d, _)| ms < ms_from_civil(y, m, d, 0, 0, 0))
        .map_or("gpt-5.5", |m| m.3)
}

fn hex(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b"0123456789abcdef"[rng.below_usize(16)]))
        .collect()
}

/// Target file size (unscaled bytes): a long tail — most 15–200 KB, some several MB.
fn target_size(rng: &mut Rng) -> (u64, bool) {
    let b = rng.below(1000);
    if b < 800 {
        // min of two uniforms skews towards small files.
        let u = rng.below(1001).min(rng.below(1001));
        (15_000 + 185 * u, false)
    } else if b < 968 {
        (rng.range(200_000, 600_000), false)
    } else if b < 995 {
        (rng.range(1_000_000, 3_000_000), false)
    } else {
        (rng.range(60_000, 300_000), true)
    }
}

fn plan(i: usize, opts: &CorpusOptions, prior: &[Plan]) -> Plan {
    let mut rng = Rng::derive(opts.seed, i as u64);
    let scale = opts.scale.max(0.0);
    let sc = |n: u64| -> usize { (n as f64 * scale) as usize };
    let n = opts.sessions.max(1) as i64;

    // --- When: ~2 % pre-0.32 (May–Sep 2025), ~2 % 0.32–0.47 (Sep–Oct 2025), the rest spread
    // evenly over the year before `end_ms` (index order ≈ time order, like a real history).
    let era = rng.below(1000);
    let span = 365 * DAY;
    let mut created = if era < 20 {
        rng.range_i64(
            ms_from_civil(2025, 5, 7, 0, 0, 0),
            ms_from_civil(2025, 9, 9, 0, 0, 0),
        )
    } else if era < 40 {
        rng.range_i64(
            ms_from_civil(2025, 9, 11, 0, 0, 0),
            ms_from_civil(2025, 10, 21, 0, 0, 0),
        )
    } else {
        opts.end_ms - span + (i as i64 * span / n) + rng.range_i64(0, span / n)
    };
    // Mostly working hours.
    let day = created.div_euclid(DAY) * DAY;
    created = day + rng.range_i64(6 * 3_600_000, 21 * 3_600_000) + rng.range_i64(0, 999);
    created = created.min(opts.end_ms);

    // --- Which version: people upgrade a few days late.
    let lag = if rng.chance(700) {
        rng.range_i64(0, 3 * DAY)
    } else {
        rng.range_i64(3 * DAY, 30 * DAY)
    };
    let ver_time = (created - lag).max(ms_from_civil(2025, 5, 7, 0, 0, 0));
    let minor = minor_at(ver_time);
    let first_builds = ver_time < ms_from_civil(2025, 5, 13, 0, 0, 0);

    // --- Who: cli / vscode / exec / sub-agent.
    let project = rng.pick_ref(text::PROJECTS);
    let r = rng.below(1000);
    let mut source = if r < 35 {
        Source::Exec
    } else if r < 50 {
        Source::Subagent
    } else if r < 340 {
        Source::Vscode
    } else {
        Source::Cli
    };
    let mut parent_thread_id = None;
    if source == Source::Subagent {
        match prior.last() {
            Some(p) if p.minor >= 105 && p.spec.source.interactive() && minor >= 105 => {
                parent_thread_id = Some(p.spec.id.clone());
                created = created.max(p.spec.created_ms + rng.range_i64(60_000, 1_200_000));
            }
            _ => source = Source::Exec,
        }
    }
    let desktop = source == Source::Vscode && minor >= 100 && rng.chance(500);
    let originator = match source {
        Source::Cli | Source::Subagent => "codex_cli_rs",
        Source::Vscode if desktop => "Codex Desktop",
        Source::Vscode => "codex_vscode",
        _ => "codex_exec",
    };
    let source = if minor < 44 { Source::Missing } else { source };
    let cli_version = if minor == 0 {
        if first_builds {
            "0.0.2505101753"
        } else {
            "0.0.2505141337"
        }
        .to_string()
    } else if desktop && rng.chance(300) {
        format!("0.{minor}.0-alpha.{}", rng.range(1, 6))
    } else {
        format!("0.{minor}.{}", rng.below(3))
    };

    // --- Format and place.
    let (format, mut placement) = if first_builds {
        (Format::BareFlatNoTime, Placement::LegacyFlat)
    } else if minor < 8 {
        (Format::Bare, Placement::LegacyFlat)
    } else if minor < 32 {
        (Format::Bare, Placement::Dated)
    } else if minor < 48 {
        (Format::EnvelopeKind, Placement::Dated)
    } else if minor < 147 || (originator == "codex_exec" && minor < 148) {
        (Format::Envelope, Placement::Dated)
    } else {
        (Format::Paginated, Placement::Dated)
    };
    if minor >= 32 && rng.chance(100) {
        placement = Placement::Archived;
    }
    let id = if minor >= 39 {
        uuid::v7_from(created, &mut rng)
    } else {
        uuid::v4_from(&mut rng)
    };

    // --- What: a topic, its prompts, and how each turn ends.
    let slots = Slots::new(project, &mut rng);
    let topic = rng.pick_ref(text::TOPICS);
    let interactive = source.interactive();
    let n_turns = match source {
        Source::Exec => {
            if rng.chance(850) {
                1
            } else {
                2
            }
        }
        Source::Subagent => rng.range_usize(1, 2),
        _ if minor < 99 && rng.chance(20) => 0, // opened and closed: header (+context) only
        _ => 1 + rng.weighted(&[12, 18, 16, 13, 10, 8, 6, 5, 4, 3, 3, 2]),
    };
    let mut cwd = format!("/home/dev/src/{}", project.name);
    if source == Source::Exec && rng.chance(300) {
        cwd = format!("{cwd}/.worktrees/{}", hex(&mut rng, 6));
    }
    let mut turns = Vec::with_capacity(n_turns);
    let mut last_follow = usize::MAX;
    for t in 0..n_turns {
        let mut prompt = if t == 0 {
            slots.fill(topic.open)
        } else {
            let mut k = rng.below_usize(text::FOLLOW_UPS.len());
            if k == last_follow {
                k = (k + 1) % text::FOLLOW_UPS.len();
            }
            last_follow = k;
            slots.fill(text::FOLLOW_UPS[k])
        };
        if rng.chance(60) {
            // A pasted log or stack trace makes some prompts long (past 2 KB sometimes).
            let len = rng.range_usize(300, 3_000);
            let paste = text::pools().text(text::PoolKind::Log, &mut rng, len);
            prompt.push_str("\n\n```\n");
            prompt.push_str(&String::from_utf8_lossy(paste));
            prompt.push_str("\n```");
        }
        let last = t + 1 == n_turns;
        let end = match rng.below(1000) {
            x if last && x < 30 => TurnEnd::Open,
            x if x < 90 => TurnEnd::Aborted,
            x if x < 110 && minor >= 143 => TurnEnd::Errored,
            _ => TurnEnd::Complete,
        };
        let mut turn = Turn {
            prompt,
            end,
            agent_reply: slots.fill(rng.pick(text::REPLIES)),
            tool_output_bytes: 0,
            ..Turn::default()
        };
        if rng.chance(15) {
            turn.images = rng.range_usize(1, 2);
            turn.image_bytes = sc(rng.range(20_000, 150_000)).max(200);
            if rng.chance(250) {
                turn.prompt.clear(); // image-only prompt → "[Image]"
            }
        }
        turns.push(turn);
    }
    if n_turns >= 6 && minor >= 35 && rng.chance(250) {
        let t = rng.range_usize(3, n_turns - 1);
        turns[t].compact_before = true;
    }
    if n_turns >= 3 && minor >= 100 && format != Format::Bare && rng.chance(8) {
        let t = rng.range_usize(1, n_turns - 1);
        turns[t].rollback = 1;
    }
    if n_turns >= 2 && rng.chance(50) {
        let sub = rng.pick(&[
            "crates/core",
            "web",
            "services/api",
            "docs",
            "infra/terraform",
        ]);
        let from = rng.range_usize(1, n_turns - 1);
        for t in &mut turns[from..] {
            t.cwd = Some(format!("{cwd}/{sub}"));
        }
    }
    if n_turns >= 2 && created + 25 * DAY < opts.end_ms && rng.chance(80) {
        let t = rng.range_usize(1, n_turns - 1);
        turns[t].resume_after_ms = rng.range(DAY as u64, 20 * DAY as u64);
    }

    // --- How big. Tool outputs (1–20 KB each, skewed small) and reasoning blobs (0.6–5 KB) are
    // drawn per call like real ones; the *number* of calls follows from the session's target
    // size, so small sessions have few calls and multi-MB ones have hundreds (docs/rollout-format.md §2.4: 160+
    // token_count events per session is normal).
    let (target, huge) = target_size(&mut rng);
    let instructions = if minor >= 88 { 13_000u64 } else { 0 };
    let agents_md = rng.range(800, 5_000);
    if !turns.is_empty() {
        // Bytes that don't depend on calls: header, context, per-turn events; and the average
        // cost of one call (output + reasoning + call line + token_count + mirrors), measured.
        const PER_CALL: u64 = 7_300 + 2_700 + 1_700;
        let fixed = 3_000 + instructions + agents_md + n_turns as u64 * 4_000;
        // ×0.9: measured correction so the 10k-session default averages ~200 KB (≈2 GB).
        let budget = target.saturating_sub(fixed) * 9 / 10;
        let max_calls = n_turns as u64 * 60;
        let calls = (budget / PER_CALL).min(max_calls);
        // Long multi-MB sessions hit the call cap: make their outputs proportionally larger.
        let stretch = if calls == max_calls && calls > 0 {
            (budget / (calls * PER_CALL)).max(1)
        } else {
            1
        };
        let weights: Vec<u64> = turns.iter().map(|_| rng.range(1, 10)).collect();
        for _ in 0..calls {
            turns[rng.weighted(&weights)].tool_calls += 1;
        }
        let min2 = |rng: &mut Rng| rng.below(1001).min(rng.below(1001));
        for t in &mut turns {
            let mut out = 0;
            for _ in 0..t.tool_calls {
                out += (1_000 + 19 * min2(&mut rng)) * stretch;
            }
            let mut reasoning = 0;
            for _ in 0..=t.tool_calls {
                reasoning += rng.range(600, 5_000);
            }
            t.tool_output_bytes = sc(out);
            t.reasoning_bytes = sc(reasoning).max(64);
        }
        if scale < 1.0 {
            // Small corpora should be small in lines too, not just in bulk bytes: thin tool
            // calls by √scale (keeping at least one where there was one) so scale 0.01 gives
            // ~10× fewer calls. No PRNG draws here, so prompts are identical at every scale.
            let f = scale.sqrt();
            for t in &mut turns {
                if t.tool_calls > 0 {
                    t.tool_calls = ((t.tool_calls as f64 * f).ceil() as usize).max(1);
                }
            }
        }
        if huge {
            let t = rng.below_usize(turns.len());
            let size = sc(rng.range(2_000_000, 5_000_000)).max(1_000);
            if rng.chance(500) {
                turns[t].big_tool_output = size;
            } else {
                turns[t].images = 1;
                turns[t].image_bytes = size;
            }
        }
    }

    let git = (format != Format::BareFlatNoTime && rng.chance(920)).then(|| Git {
        branch: Some(rng.pick(text::BRANCHES).to_string()),
        origin: Some(format!(
            "git@github.com:{}/{}.git",
            project.org, project.name
        )),
        commit: Some(hex(&mut rng, 40)),
    });

    // --- Names (session_index.jsonl exists since 0.93).
    let mut names = Vec::new();
    if minor >= 93 && interactive && n_turns > 0 && rng.chance(72) {
        let title = slots.fill(topic.title);
        let at = created + rng.range_i64(60_000, 3_600_000);
        if rng.chance(100) {
            names.push((at, format!("wip: {title}")));
        }
        names.push((at + 1_000, title));
        if minor >= 130 && rng.chance(40) {
            names.push((at + 60_000, String::new()));
        }
    }

    let mut spec = SessionSpec {
        id,
        rollout_id: None,
        created_ms: created,
        cwd,
        originator: originator.to_string(),
        cli_version,
        source,
        parent_thread_id,
        forked_from_id: None,
        git,
        turns,
        model: model_at(created).to_string(),
        name: names.last().map(|(_, n)| n.clone()),
        injected: !(n_turns == 0 && rng.chance(500)),
        ide_prefix: source == Source::Vscode && !desktop && rng.chance(500),
        instructions_bytes: sc(instructions),
        agents_md_bytes: sc(agents_md),
    };

    // --- Multi-file and odd shapes, rarely.
    let mut extra = Extra::None;
    let mut compressed = false;
    let roll = rng.below(1000);
    if format == Format::Envelope && minor >= 60 && roll < 3 && !spec.turns.is_empty() {
        if let Some(j) = (i.saturating_sub(30)..i).rev().find(|&j| {
            prior[j].format == Format::Envelope
                && matches!(prior[j].extra, Extra::None)
                && !prior[j].spec.turns.is_empty()
        }) {
            spec.created_ms = spec
                .created_ms
                .max(prior[j].spec.created_ms + rng.range_i64(3_600_000, 2 * DAY));
            if minor >= 90 {
                spec.forked_from_id = Some(prior[j].spec.id.clone());
            }
            spec.turns.truncate(3);
            spec.name = None;
            names.clear();
            extra = Extra::Fork { parent: j };
        }
    } else if format == Format::Paginated && (3..5).contains(&roll) && spec.turns.len() >= 2 {
        let keep = rng.range_usize(1, spec.turns.len() - 1);
        let new_turns = vec![Turn {
            tool_output_bytes: sc(8_000),
            ..Turn::new(slots.fill("let's go back and try {new} instead"))
        }];
        extra = Extra::Revert { keep, new_turns };
    } else if format == Format::Envelope && (5..7).contains(&roll) && spec.turns.len() >= 2 {
        extra = Extra::Siblings;
    } else if matches!(
        format,
        Format::Envelope | Format::Paginated | Format::EnvelopeKind
    ) && roll >= 970
    {
        // Compressed after 7 idle days (docs/rollout-format.md §1.2).
        compressed = true;
    }
    if !matches!(extra, Extra::None) {
        spec.id = uuid::v7_from(spec.created_ms, &mut rng);
    }
    spec.name = names.last().map(|(_, n)| n.clone());

    Plan {
        spec,
        format,
        placement,
        compressed,
        extra,
        minor,
        names,
    }
}

/// `YYYY-MM-DD` of the newest default corpus session (for docs / CLI help).
pub fn default_end_date() -> String {
    time::date(CorpusOptions::default().end_ms)
}
