//! `codexd-gen-corpus`: write a synthetic Codex home for tests and benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use codexd_corpus::{CorpusOptions, generate};

fn usage() -> String {
    let d = CorpusOptions::default();
    format!(
        "codexd-gen-corpus: generate a deterministic, realistic Codex home ($CODEX_HOME)

USAGE:
    codexd-gen-corpus --out DIR [--sessions N] [--seed S] [--scale F] [--manifest FILE.json]
                      [--no-pitfalls] [--threads T]

OPTIONS:
    --out DIR            codex home to write (created; use an empty directory)
    --sessions N         number of regular sessions [default: {}]
    --seed S             PRNG seed; same seed => byte-identical tree [default: {}]
    --scale F            multiply bulk sizes (1.0 = ~200 KB/session avg) [default: {}]
    --manifest FILE      write the ground-truth manifest as JSON
    --no-pitfalls        don't add the pitfall fixtures (temp files, broken lines, ...)
    --threads T          writer threads, 0 = all cores [default: 0]
    -h, --help           print this help

Newest session: {}; the corpus spans the year before it.",
        d.sessions,
        d.seed,
        d.scale,
        codexd_corpus::default_end_date()
    )
}

struct Args {
    out: PathBuf,
    manifest: Option<PathBuf>,
    opts: CorpusOptions,
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = None;
    let mut manifest = None;
    let mut opts = CorpusOptions::default();
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--manifest" => manifest = Some(PathBuf::from(value("--manifest")?)),
            "--sessions" => {
                opts.sessions = value("--sessions")?
                    .parse()
                    .map_err(|e| format!("--sessions: {e}"))?
            }
            "--seed" => {
                opts.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--scale" => {
                let f: f64 = value("--scale")?
                    .parse()
                    .map_err(|e| format!("--scale: {e}"))?;
                if !(f.is_finite() && f >= 0.0) {
                    return Err("--scale must be a non-negative number".into());
                }
                opts.scale = f;
            }
            "--threads" => {
                opts.threads = value("--threads")?
                    .parse()
                    .map_err(|e| format!("--threads: {e}"))?
            }
            "--no-pitfalls" => opts.pitfalls = false,
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Some(Args {
        out,
        manifest,
        opts,
    }))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let manifest = match generate(&args.out, &args.opts) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: generating into {}: {e}", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} sessions, {} files, {:.1} MB in {:.2}s ({:.0} MB/s) to {}",
        manifest.sessions.len(),
        manifest.files,
        manifest.total_bytes as f64 / 1e6,
        secs,
        manifest.total_bytes as f64 / 1e6 / secs.max(1e-9),
        args.out.display()
    );
    if let Some(path) = &args.manifest
        && let Err(e) = std::fs::write(path, manifest.to_json())
    {
        eprintln!("error: writing manifest {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Result<Option<Args>, String> {
        parse(s.split_whitespace().map(String::from))
    }

    #[test]
    fn parses_flags() {
        let a =
            args("--out /tmp/x --sessions 5 --seed=9 --scale 0.5 --manifest m.json --no-pitfalls")
                .unwrap()
                .unwrap();
        assert_eq!(a.out, PathBuf::from("/tmp/x"));
        assert_eq!(a.opts.sessions, 5);
        assert_eq!(a.opts.seed, 9);
        assert_eq!(a.opts.scale, 0.5);
        assert!(!a.opts.pitfalls);
        assert_eq!(a.manifest, Some(PathBuf::from("m.json")));
        assert!(args("--help").unwrap().is_none());
        assert!(args("--sessions 3").is_err());
        assert!(args("--out x --bogus").is_err());
        assert!(args("--out x --scale -1").is_err());
    }
}
