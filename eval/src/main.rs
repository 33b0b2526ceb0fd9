//! `route-eval`: how well codexd routes, on labeled sets it was not written against.
//!
//! ```text
//! route-eval [--sessions 2000[,10000]] [--seed S] [--failures N] [--set NAME]...
//! route-eval --synthetic [--sessions N] [--seed S]... [--calibrate] [--min-coverage X] [--min-lead Y] [--failures N]
//! ```
//! By default it writes (once, under `target/eval/`) the three hand-written homes —
//! `eval/calibration` and `eval/stress` (to tune on) and `eval/heldout` (to report) — indexes
//! each through the daemon's own code as of the set's `now`, routes every labeled prompt and
//! prints them side by side, wrong-resume rate first. `--failures N` lists up to N mistakes, and
//! only of the calibration sets: looking at held-out items would make them calibration items.
//! `--synthetic` runs the older generated set (`src/synthetic/`), in-process on the index alone.
//! Build with `--release` for latency numbers.

mod homes;
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

use codexd_route::Thresholds;
use synthetic::{EvalConfig, calibrate, generate, run};

struct Args {
    synthetic: bool,
    sessions: Vec<usize>,
    seeds: Vec<u64>,
    sets: Vec<String>,
    calibrate: bool,
    calibration_seed: u64,
    thresholds: Thresholds,
    failures: usize,
}

/// The sets thresholds are calibrated on and whose mistakes `--failures` may list: the first
/// hand-written home and a second one written to stress the kinds the first found easy. The
/// held-out set (`heldout`) is only ever reported.
const CALIBRATION_SETS: &[&str] = &["calibration", "stress"];

const USAGE: &str = "usage: route-eval [--sessions N[,N…]] [--seed S] [--set NAME]… [--failures N]\n       route-eval --synthetic [--sessions N] [--seed S]… [--calibrate] [--calibration-seed S] [--min-coverage X] [--min-lead Y] [--failures N]";

fn parse() -> Result<Args, String> {
    let mut a = Args {
        synthetic: false,
        sessions: Vec::new(),
        seeds: Vec::new(),
        sets: Vec::new(),
        calibrate: false,
        calibration_seed: 1,
        thresholds: Thresholds::default(),
        failures: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--synthetic" => a.synthetic = true,
            "--sessions" => {
                for n in value(&flag)?.split(',') {
                    a.sessions.push(num(n)?);
                }
            }
            "--seed" => a.seeds.push(num(&value(&flag)?)?),
            "--set" => a.sets.push(value(&flag)?),
            "--calibrate" => a.calibrate = true,
            "--calibration-seed" => a.calibration_seed = num(&value(&flag)?)?,
            "--min-coverage" => a.thresholds.min_coverage = num(&value(&flag)?)?,
            "--min-lead" => a.thresholds.min_lead = num(&value(&flag)?)?,
            "--failures" => a.failures = num(&value(&flag)?)?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if a.sessions.is_empty() {
        a.sessions = vec![2_000];
    }
    if a.sets.is_empty() {
        a.sets = CALIBRATION_SETS
            .iter()
            .chain(&["heldout"])
            .map(|s| (*s).to_owned())
            .collect();
    }
    Ok(a)
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse().map_err(|_| format!("not a number: {s:?}"))
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = if args.synthetic {
        synthetic_main(&args);
        Ok(())
    } else {
        homes_main(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("route-eval: {e}");
            ExitCode::FAILURE
        }
    }
}

fn homes_main(args: &Args) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("eval/ is inside the repository")
        .to_owned();
    let seed = args.seeds.first().copied().unwrap_or(1);
    if args.calibrate {
        let n = args.sessions[0];
        let sets = CALIBRATION_SETS
            .iter()
            .map(|name| homes::generate(&repo, name, n, seed))
            .collect::<Result<Vec<_>, String>>()?;
        let grid = homes::calibrate(&sets.iter().collect::<Vec<_>>());
        println!(
            "## Threshold calibration on {} ({n} sessions each), best first\n",
            CALIBRATION_SETS.join(" + ")
        );
        println!(
            "| lead | subject | specific here | elsewhere | same task | its score | same place | right | wrong resume |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for p in grid.iter().take(
            std::env::var("GRID_ROWS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(15),
        ) {
            let t = p.thresholds;
            println!(
                "| {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} of {} |",
                t.min_lead,
                t.min_subject,
                t.min_specific_here,
                t.min_specific_elsewhere,
                t.same_task,
                t.same_task_score,
                t.same_place,
                p.right,
                p.wrong_resume,
                p.n
            );
        }
        return Ok(());
    }
    println!(
        "## Routing on labeled homes (calibrate on {}, report `heldout`)\n",
        CALIBRATION_SETS.join(" + ")
    );
    for &n in &args.sessions {
        let mut reports = Vec::new();
        for name in &args.sets {
            let set = homes::generate(&repo, name, n, seed)?;
            reports.push(homes::evaluate(&set));
        }
        let refs: Vec<&homes::Report> = reports.iter().collect();
        println!("### {n} sessions\n\n{}", homes::markdown(&refs));
        println!("Confidence of resumes (band: right / resumed):\n");
        for r in &reports {
            let bands: Vec<String> = homes::confidence_bands(r)
                .iter()
                .filter(|b| b.2 > 0)
                .map(|(lo, hi, n, right)| format!("{lo:.1}–{hi:.1}: {right}/{n}"))
                .collect();
            println!("- {}: {}", r.set, bands.join(", "));
        }
        println!();
        if args.failures > 0 {
            println!("Mistakes on the calibration sets (never the held-out one):\n");
        }
        for r in reports
            .iter()
            .filter(|r| CALIBRATION_SETS.contains(&r.set.as_str()))
        {
            let mistakes: Vec<&homes::Scored> = r
                .scored
                .iter()
                .filter(|s| {
                    matches!(
                        s.outcome,
                        homes::Outcome::WrongResume | homes::Outcome::NeedlessNew
                    )
                })
                .take(args.failures)
                .collect();
            for s in mistakes {
                println!(
                    "- {} {:?} [{}] {:?} (cwd {:?}) expect {:?} → {:?} {:?} ({:.2}, margin {:.2}): {}",
                    s.query.id,
                    s.outcome,
                    s.query.kind,
                    s.query.prompt,
                    s.query.cwd,
                    s.query.expect,
                    s.answer.decision,
                    s.answer.session,
                    s.answer.confidence,
                    s.answer.margin,
                    s.answer.reason
                );
                for c in s.answer.candidates.iter().take(3) {
                    println!("    {} {:.2} {:?} {:?}", c.id, c.score, c.title, c.reasons);
                }
            }
        }
    }
    Ok(())
}

fn synthetic_main(args: &Args) {
    let sessions = args.sessions.first().copied().unwrap_or(2_000);
    let seeds = if args.seeds.is_empty() {
        vec![1, 2]
    } else {
        args.seeds.clone()
    };
    let mut thresholds = args.thresholds;
    if args.calibrate {
        let set = generate(&EvalConfig::new(args.calibration_seed, sessions));
        let c = calibrate(&set, &set.index());
        let t = c.chosen.thresholds;
        println!(
            "## Calibration (seed {}, {} sessions)\n\nchosen: min coverage {:.2}, min lead {:.2}\n",
            args.calibration_seed, sessions, t.min_coverage, t.min_lead,
        );
        println!(
            "| min coverage | min lead | top-1 | wrong resume | correct-new |\n\
             |---:|---:|---:|---:|---:|"
        );
        for p in &c.best {
            println!(
                "| {:.2} | {:.2} | {:.1}% | {:.1}% | {:.1}% |",
                p.thresholds.min_coverage,
                p.thresholds.min_lead,
                100.0 * p.top1,
                100.0 * p.wrong_resume,
                100.0 * p.correct_new,
            );
        }
        println!();
        thresholds = t;
    }
    println!("## Routing evaluation (synthetic set)\n");
    for &seed in &seeds {
        let report = run(&EvalConfig::new(seed, sessions), &thresholds);
        println!("{}", report.markdown());
        for f in report.failures.iter().take(args.failures) {
            println!(
                "- {:?} {:?} (cwd {:?}) expect {:?} → {:?} ({:.2}): {}",
                f.kind,
                f.prompt,
                f.cwd,
                f.expect,
                f.route.decision,
                f.route.confidence,
                f.route.reason
            );
            for h in f.route.candidates.iter().take(3) {
                println!(
                    "    {} {:.2} cov {:.2} {:?}",
                    h.key, h.score, h.coverage, h.reasons
                );
            }
        }
    }
}
