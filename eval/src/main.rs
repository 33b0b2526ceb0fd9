//! Evaluates the router on the generated labeled set and prints a Markdown report.
//!
//! ```text
//! route-eval [--sessions N] [--seed S]... [--calibrate [--calibration-seed S]]
//!            [--min-coverage X] [--min-lead Y] [--failures N]
//! ```
//! Defaults: 2,000 sessions, seeds 1 (the calibration seed) and 2. `--calibrate` grid-searches
//! the thresholds on the calibration seed and evaluates every seed with the result; otherwise
//! the built-in [`Thresholds::CALIBRATED`] are used. Build with `--release` for latency numbers.

use std::process::ExitCode;

use codexd_route::Thresholds;
mod synthetic;

use synthetic::{EvalConfig, calibrate, generate, run};

struct Args {
    sessions: usize,
    seeds: Vec<u64>,
    calibrate: bool,
    calibration_seed: u64,
    thresholds: Thresholds,
    failures: usize,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        sessions: 2_000,
        seeds: Vec::new(),
        calibrate: false,
        calibration_seed: 1,
        thresholds: Thresholds::default(),
        failures: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--sessions" => a.sessions = num(&value(&flag)?)?,
            "--seed" => a.seeds.push(num(&value(&flag)?)?),
            "--calibrate" => a.calibrate = true,
            "--calibration-seed" => a.calibration_seed = num(&value(&flag)?)?,
            "--min-coverage" => a.thresholds.min_coverage = num(&value(&flag)?)?,
            "--min-lead" => a.thresholds.min_lead = num(&value(&flag)?)?,
            "--failures" => a.failures = num(&value(&flag)?)?,
            "-h" | "--help" => {
                return Err(
                    "usage: route-eval [--sessions N] [--seed S]... [--calibrate] \
                            [--calibration-seed S] [--min-coverage X] [--min-lead Y] \
                            [--failures N]"
                        .to_owned(),
                );
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if a.seeds.is_empty() {
        a.seeds = vec![1, 2];
    }
    Ok(a)
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("not a number: {s:?}"))
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut thresholds = args.thresholds;
    if args.calibrate {
        let set = generate(&EvalConfig::new(args.calibration_seed, args.sessions));
        let c = calibrate(&set, &set.index());
        let t = c.chosen.thresholds;
        println!(
            "## Calibration (seed {}, {} sessions)\n\nchosen: min coverage {:.2}, min lead {:.2}\n",
            args.calibration_seed, args.sessions, t.min_coverage, t.min_lead,
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
    println!("## Routing evaluation\n");
    for &seed in &args.seeds {
        let report = run(&EvalConfig::new(seed, args.sessions), &thresholds);
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
    ExitCode::SUCCESS
}
