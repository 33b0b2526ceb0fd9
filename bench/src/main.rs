//! `codexd-bench`: measures codexd side by side with its baselines on a generated corpus and
//! prints a Markdown report (the source of BENCHMARKS.md).
//!
//! ```text
//! cargo build --release --workspace && target/release/codexd-bench [--sessions 10000]
//!     [--dir DIR] [--runs 50] [--idle-secs 60] [--rss 1000,10000[,100000]] [--skip-original]
//! ```
//! Baselines: `cat` over the same files (page cache warm), the original bash+jq build script
//! (`bench/original-build.sh`), and spawning `true`. Everything runs on this machine in one go.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use codexd_core::engine::{Config, Engine, Shared};
use codexd_corpus::{CorpusOptions, Manifest};

struct Opts {
    sessions: usize,
    dir: Option<PathBuf>,
    runs: usize,
    idle_secs: u64,
    rss: Vec<usize>,
    /// Content scale of the RSS corpora (0.05 makes 100k sessions ≈ 1 GB instead of 21 GB;
    /// prompts, names and metadata — what the daemon keeps — are the same at every scale).
    rss_scale: f64,
    skip_original: bool,
    /// Only the picker's rows (keystroke latency), on corpora at `rss_scale`: for `sessions`
    /// and each of `rss`.
    pick_only: bool,
    /// Only the server-side route latency, on corpora at `rss_scale`: for `sessions` and each
    /// of `rss` (the quick loop for tuning the index).
    route_only: bool,
}

fn parse_args() -> Opts {
    let mut o = Opts {
        sessions: 10_000,
        dir: None,
        runs: 50,
        idle_secs: 60,
        rss: vec![1_000, 10_000],
        rss_scale: 1.0,
        skip_original: false,
        pick_only: false,
        route_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .unwrap_or_else(|| die(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--sessions" => o.sessions = val().parse().unwrap_or_else(|_| die("--sessions N")),
            "--dir" => o.dir = Some(PathBuf::from(val())),
            "--runs" => o.runs = val().parse().unwrap_or_else(|_| die("--runs N")),
            "--idle-secs" => o.idle_secs = val().parse().unwrap_or_else(|_| die("--idle-secs N")),
            "--rss" => {
                o.rss = val()
                    .split(',')
                    .map(|s| s.parse().unwrap_or_else(|_| die("--rss N,N")))
                    .collect()
            }
            "--rss-scale" => o.rss_scale = val().parse().unwrap_or_else(|_| die("--rss-scale F")),
            "--skip-original" => o.skip_original = true,
            "--pick-only" => o.pick_only = true,
            "--route-only" => o.route_only = true,
            "-h" | "--help" => {
                println!(
                    "codexd-bench [--sessions N] [--dir DIR] [--runs N] [--idle-secs N] [--rss 1000,10000,100000] [--rss-scale 0.05] [--skip-original] [--pick-only] [--route-only]"
                );
                std::process::exit(0);
            }
            other => die(&format!("unknown argument {other}")),
        }
    }
    o
}

fn die(msg: &str) -> ! {
    eprintln!("codexd-bench: {msg}");
    std::process::exit(2)
}

fn bin(name: &str) -> PathBuf {
    let p = std::env::current_exe().unwrap().with_file_name(name);
    if !p.is_file() {
        die(&format!(
            "{} missing: cargo build --release --workspace",
            p.display()
        ));
    }
    p
}

/// A corpus of `n` sessions, generated once and reused (seed 0).
fn corpus(dir: &Path, n: usize, scale: f64) -> Manifest {
    let manifest_path = dir.join("manifest.json");
    let home = dir.join("home");
    if let Some(m) = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        && m.options.sessions == n
        && m.options.scale == scale
        && home.is_dir()
    {
        return m;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(&home).unwrap();
    eprintln!("generating {n} sessions in {} …", home.display());
    let m = codexd_corpus::generate(
        &home,
        &CorpusOptions {
            sessions: n,
            scale,
            ..CorpusOptions::default()
        },
    )
    .unwrap();
    std::fs::write(&manifest_path, serde_json::to_vec(&m).unwrap()).unwrap();
    m
}

fn rollout_files(home: &Path) -> Vec<PathBuf> {
    codexd_core::discover::discover(home)
        .files
        .into_iter()
        .map(|f| f.path)
        .collect()
}

fn best_of<F: FnMut() -> Duration>(n: usize, mut f: F) -> Duration {
    (0..n).map(|_| f()).min().unwrap()
}

fn time_cat(files: &[PathBuf]) -> Duration {
    let list = std::env::temp_dir().join(format!("codexd-bench-files-{}", std::process::id()));
    let mut bytes = Vec::new();
    for f in files {
        bytes.extend_from_slice(f.as_os_str().as_encoded_bytes());
        bytes.push(0);
    }
    std::fs::write(&list, bytes).unwrap();
    let d = best_of(3, || {
        let t = Instant::now();
        let ok = Command::new("sh")
            .arg("-c")
            .arg(format!("xargs -0 cat < '{}' > /dev/null", list.display()))
            .status()
            .unwrap();
        assert!(ok.success());
        t.elapsed()
    });
    let _ = std::fs::remove_file(list);
    d
}

fn cold_index(home: &Path) -> (Duration, usize) {
    let mut sessions = 0;
    let d = best_of(3, || {
        let mut config = Config::for_home(home.to_owned());
        config.write_registry = false;
        let shared = Shared::new(Engine::new(config));
        let t = Instant::now();
        shared.full_reconcile(false);
        let d = t.elapsed();
        sessions = shared.read(|eng| eng.table().thread_count());
        d
    });
    (d, sessions)
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A running daemon on a private socket.
struct Daemon {
    child: Child,
    socket: PathBuf,
    _dir: PathBuf,
}

impl Daemon {
    fn start(home: &Path, cache: &Path) -> (Daemon, Duration, Duration) {
        let dir = std::env::temp_dir().join(format!(
            "codexd-bench-{}-{}",
            std::process::id(),
            Instant::now().elapsed().as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("run").join("codexd.sock");
        let t = Instant::now();
        let child = Command::new(bin("codexd"))
            .arg("--codex-home")
            .arg(home)
            .arg("--socket")
            .arg(&socket)
            .arg("--registry")
            .arg(dir.join("registry.json"))
            .env("CODEXD_LOG", "warn")
            .env("CODEXD_CACHE_DIR", cache)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let d = Daemon {
            child,
            socket,
            _dir: dir,
        };
        // Ready = a `list` answered (requests wait for the first scan).
        loop {
            if let Ok(mut c) = d.connect()
                && c.request(r#"{"list":{"limit":1}}"#).is_some()
            {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(300),
                "daemon did not become ready"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let ready = t.elapsed();
        // Route and search wait for the index, built after the table.
        let mut c = d.connect().unwrap();
        c.request(r#"{"route":{"prompt":"warm up"}}"#)
            .expect("route after start");
        (d, ready, t.elapsed())
    }

    /// Wait until start-up work is over: the watcher armed and its catch-up reconcile done
    /// (the second full scan), then a moment for the registry writer and the allocator's
    /// purge. Latencies are measured in steady state; start-up has its own rows.
    fn settle(&self) {
        let t = Instant::now();
        loop {
            let status = self
                .connect()
                .ok()
                .and_then(|mut c| c.request(r#"{"status":{}}"#));
            let settled = status.is_some_and(|s| {
                s["watcher"] == "watching" && s["full_scans"].as_u64().unwrap_or(0) >= 2
            });
            if settled {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(120),
                "daemon never settled"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(1500));
    }

    fn connect(&self) -> std::io::Result<Raw> {
        let s = UnixStream::connect(&self.socket)?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut raw = Raw {
            r: BufReader::new(s.try_clone()?),
            w: s,
            id: 0,
        };
        writeln!(
            raw.w,
            r#"{{"hello":{{"program":"codexd-bench","version":"{}","protocol":{}}}}}"#,
            codexd_proto::VERSION,
            codexd_proto::PROTOCOL_VERSION
        )?;
        let mut line = String::new();
        raw.r.read_line(&mut line)?;
        Ok(raw)
    }

    /// A `/proc/<pid>/status` field in KiB (`VmRSS`, `VmHWM`).
    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Resident memory at rest, in MB: the least of five samples over 2.5 s (a sample can land
    /// inside a registry save, whose buffers live for a moment), and the peak so far.
    fn rss_at_rest_mb(&self) -> (f64, f64) {
        let mut least = u64::MAX;
        for _ in 0..5 {
            std::thread::sleep(Duration::from_millis(500));
            least = least.min(self.status_kib("VmRSS:"));
        }
        let mb = |kib: u64| kib as f64 / 1024.0;
        (mb(least), mb(self.status_kib("VmHWM:")))
    }

    /// User+system CPU ticks so far.
    fn cpu_ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = after.split_whitespace().collect();
        f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(mut c) = self.connect() {
            let _ = c.request(r#"{"shutdown":{}}"#);
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

struct Raw {
    r: BufReader<UnixStream>,
    w: UnixStream,
    id: u64,
}

impl Raw {
    /// Send `{"id":N,<body…>}`; return the response line.
    fn request(&mut self, body: &str) -> Option<serde_json::Value> {
        self.id += 1;
        let line = format!("{{\"id\":{},{}\n", self.id, &body[1..]);
        self.w.write_all(line.as_bytes()).ok()?;
        let mut out = String::new();
        self.r.read_line(&mut out).ok()?;
        let v: serde_json::Value = serde_json::from_str(&out).ok()?;
        v.get("ok").cloned()
    }
}

/// Warm-up runs before timing (as `hyperfine --warmup`): the first call after an idle spell
/// pays for cold caches on both sides (~5 ms instead of ~1.5), which is not the steady state.
const WARMUP_RUNS: usize = 3;

fn spawn_times(runs: usize, mut cmd: impl FnMut() -> Command) -> (Duration, Duration) {
    for _ in 0..WARMUP_RUNS {
        let _ = cmd().stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let out = cmd()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        v.push(t.elapsed());
        assert!(out.success() || out.code() == Some(2));
    }
    (percentile(v.clone(), 0.5), percentile(v, 0.99))
}

fn main() {
    let o = parse_args();
    let base = o
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("target/bench-corpus"));
    if o.route_only {
        let mut sizes = vec![o.sessions];
        sizes.extend(o.rss.iter().copied().filter(|&n| n != o.sessions));
        for n in sizes {
            let d = base.join(format!("{n}-scale{}", o.rss_scale));
            let m = corpus(&d, n, o.rss_scale);
            let (p50, p99) = route_latency(&d.join("home"), &m, o.runs.max(200));
            println!(
                "| Route, server side, p50 / p99 ({n} sessions, scale {}) | {} / {} |",
                o.rss_scale,
                ms(p50),
                ms(p99)
            );
        }
        return;
    }
    if o.pick_only {
        let mut report = String::new();
        report.push_str("| Measure | codexd | Baseline | Ratio | Goal |\n|---|---|---|---|---|\n");
        let mut sizes = vec![o.sessions];
        sizes.extend(o.rss.iter().copied().filter(|&n| n != o.sessions));
        for n in sizes {
            let d = base.join(format!("{n}-scale{}", o.rss_scale));
            let m = corpus(&d, n, o.rss_scale);
            let home = d.join("home");
            let (daemon, _, _) = Daemon::start(&home, &d.join("cache"));
            daemon.settle();
            pick_rows(&mut report, &daemon, &home, &m, n, o.runs);
        }
        println!("{report}");
        return;
    }
    let dir = base.join(o.sessions.to_string());
    let manifest = corpus(&dir, o.sessions, 1.0);
    let home = dir.join("home");
    let files = rollout_files(&home);
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut report = String::new();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let _ = writeln!(
        report,
        "Corpus: {} sessions, {} rollout files, {:.1} MB (seed 0); {cpus} cores; page cache warm.\n",
        manifest.sessions.len(),
        files.len(),
        total_bytes as f64 / 1e6
    );

    // --- cold index vs cat ---
    time_cat(&files); // warm the page cache
    let cat = time_cat(&files);
    let (index, sessions) = cold_index(&home);
    report.push_str("| Measure | codexd | Baseline | Ratio | Goal |\n|---|---|---|---|---|\n");
    let _ = writeln!(
        report,
        "| Cold index, {sessions} sessions ({:.0} MB/s) | {} | `cat` {} | {:.2}× cat | ≤ 2× |",
        total_bytes as f64 / 1e6 / index.as_secs_f64(),
        ms(index),
        ms(cat),
        index.as_secs_f64() / cat.as_secs_f64()
    );

    // --- the original bash+jq build ---
    if !o.skip_original {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("original-build.sh");
        let reg =
            std::env::temp_dir().join(format!("codexd-bench-orig-{}.json", std::process::id()));
        let t = Instant::now();
        let st = Command::new("bash")
            .arg(&script)
            .env("CODEX_HOME", &home)
            .env("REGISTRY", &reg)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        let orig = t.elapsed();
        let _ = std::fs::remove_file(&reg);
        let _ = std::fs::remove_file(reg.with_extension("json.tmp"));
        // It processes the 50 newest files only (`head -50`).
        let per_orig = orig.as_secs_f64() / 50.0;
        let per_ours = index.as_secs_f64() / sessions.max(1) as f64;
        let _ = writeln!(
            report,
            "| Build cost per session | {:.3} ms | original bash+jq {:.1} ms (50 sessions in {}{}) | {:.0}× faster | ≥ 100× |",
            per_ours * 1000.0,
            per_orig * 1000.0,
            ms(orig),
            if st.success() {
                ""
            } else {
                ", exited non-zero"
            },
            per_orig / per_ours
        );
    }

    // --- daemon start (no cache: re-indexes), client latency, freshness ---
    let cache = dir.join("cache");
    let _ = std::fs::remove_dir_all(&cache);
    let (daemon, cold_ready, cold_indexed) = Daemon::start(&home, &cache);
    drop(daemon);
    let (daemon, restart_ready, restart_indexed) = Daemon::start(&home, &cache);
    let _ = writeln!(
        report,
        "| Daemon start, no cache → `list` answers / `route` answers | {} / {} | | | |",
        ms(cold_ready),
        ms(cold_indexed)
    );
    let _ = writeln!(
        report,
        "| Restart on unchanged sessions (warm cache) → `list` / `route` answer | {} / {} | | | ≤ 300 ms |",
        ms(restart_ready),
        ms(restart_indexed)
    );

    daemon.settle();
    let client = bin("codexd-client");
    let env_cmd = |args: &[&str]| {
        let mut c = Command::new(&client);
        c.args(args)
            .env("CODEXD_SOCKET", &daemon.socket)
            .env("CODEX_HOME", &home)
            .env("NO_COLOR", "1");
        c
    };
    let (true50, true99) = spawn_times(o.runs, || Command::new("true"));
    let some_id = manifest
        .sessions
        .iter()
        .find(|s| s.expected.interactive && !s.expected.archived)
        .map(|s| s.expected.id.clone())
        .unwrap();
    let prompt = manifest
        .sessions
        .iter()
        .find_map(|s| s.expected.prompts.get(1).cloned())
        .unwrap_or_else(|| "fix the flaky test".into());
    for (label, args) in [
        (
            "`codexd-client list --limit 20`",
            vec!["list", "--limit", "20"],
        ),
        ("`codexd-client show <id>`", vec!["show", some_id.as_str()]),
        (
            "`codexd-client route \"<prompt>\"`",
            vec!["route", prompt.as_str()],
        ),
    ] {
        let (p50, p99) = spawn_times(o.runs, || env_cmd(&args));
        let _ = writeln!(
            report,
            "| {label}, end to end, p50 / p99 | {} / {} | `true` {} / {} | {:.1}× / {:.1}× | ≤ 3× |",
            ms(p50),
            ms(p99),
            ms(true50),
            ms(true99),
            p50.as_secs_f64() / true50.as_secs_f64(),
            p99.as_secs_f64() / true99.as_secs_f64()
        );
    }

    pick_rows(&mut report, &daemon, &home, &manifest, sessions, o.runs);

    // Append → visible through `show`.
    let target = manifest
        .sessions
        .iter()
        .find(|s| {
            s.expected.interactive
                && s.paths.len() == 1
                && !s.paths[0].to_string_lossy().ends_with(".zst")
        })
        .unwrap();
    let path = home.join(&target.paths[0]);
    let id = target.expected.id.clone();
    let mut conn = daemon.connect().unwrap();
    let count = |c: &mut Raw| {
        c.request(&format!(r#"{{"show":{{"query":"{id}"}}}}"#))
            .and_then(|v| v["prompt_count"].as_u64())
            .unwrap_or(0)
    };
    let mut lat = Vec::new();
    for i in 0..o.runs.min(100) {
        let before = count(&mut conn);
        let line = format!(
            "{{\"timestamp\":\"2026-11-28T00:00:00.000Z\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"user_message\",\"message\":\"bench append {i}\"}}}}\n"
        );
        let t = Instant::now();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        while count(&mut conn) == before {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "append never became visible"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        lat.push(t.elapsed());
    }
    let _ = writeln!(
        report,
        "| Append → visible in `show`, p50 / p99 ({} appends) | {} / {} | | | p99 < 250 ms |",
        lat.len(),
        ms(percentile(lat.clone(), 0.5)),
        ms(percentile(lat, 0.99))
    );

    // Route latency inside the daemon's index (server side, no IPC).
    let route_lat = route_latency(&home, &manifest, o.runs.max(200));
    let _ = writeln!(
        report,
        "| Route, server side, p50 / p99 ({sessions} sessions) | {} / {} | | | p50 < 1 ms |",
        ms(route_lat.0),
        ms(route_lat.1)
    );

    // Memory and idle CPU.
    let (rss, peak) = daemon.rss_at_rest_mb();
    let _ = writeln!(
        report,
        "| Daemon RSS at rest, {sessions} sessions (peak during start-up) | {rss:.1} MB ({peak:.0} MB) | | | ≤ 40 MB at 10k |",
    );
    let t0 = daemon.cpu_ticks();
    std::thread::sleep(Duration::from_secs(o.idle_secs));
    let ticks = daemon.cpu_ticks() - t0;
    let _ = writeln!(
        report,
        "| Idle CPU over {} s | {} ticks ({:.2} % of a core) | | | ~0 |",
        o.idle_secs,
        ticks,
        ticks as f64 / (o.idle_secs as f64 * 100.0) * 100.0
    );
    drop(daemon);

    // RSS at other scales.
    for &n in o.rss.iter().filter(|&&n| n != o.sessions) {
        let d = base.join(format!("{n}-scale{}", o.rss_scale));
        let m = corpus(&d, n, o.rss_scale);
        let (p50, p99) = route_latency(&d.join("home"), &m, o.runs.max(200));
        let _ = writeln!(
            report,
            "| Route, server side, p50 / p99 ({n} sessions) | {} / {} | | | |",
            ms(p50),
            ms(p99)
        );
        let (daemon, _, ready) = Daemon::start(&d.join("home"), &d.join("cache"));
        daemon.settle();
        let (rss, peak) = daemon.rss_at_rest_mb();
        let _ = writeln!(
            report,
            "| Daemon RSS at rest, {n} sessions, content scale {} (route ready in {}; peak) | {rss:.1} MB ({peak:.0} MB) | | | linear |",
            o.rss_scale,
            ms(ready),
        );
    }
    println!("{report}");
}

fn route_latency(home: &Path, manifest: &Manifest, queries: usize) -> (Duration, Duration) {
    let mut config = Config::for_home(home.to_owned());
    config.write_registry = false;
    let shared = Shared::new(Engine::new(config));
    shared.full_reconcile(false);
    shared.read(|eng| {
        let prompts: Vec<&String> = manifest
            .sessions
            .iter()
            .flat_map(|s| s.expected.prompts.iter().take(2))
            .take(queries)
            .collect();
        let opts = codexd_route::Options {
            cwd: Some("/home/dev/src/app".into()),
            now_unix: 1_795_000_000,
            include_archived: false,
            include_non_interactive: false,
            limit: 4,
        };
        let mut v = Vec::new();
        let mut slow: Vec<(Duration, &String)> = Vec::new();
        for p in prompts {
            let t = Instant::now();
            let r = eng.route_index().route(p, &opts);
            v.push(t.elapsed());
            slow.push((t.elapsed(), p));
            std::hint::black_box(r);
        }
        if std::env::var_os("CODEXD_BENCH_SLOWEST").is_some() {
            slow.sort_by_key(|s| std::cmp::Reverse(s.0));
            for (d, p) in slow.iter().take(8) {
                let head: String = p.chars().take(100).collect();
                eprintln!(
                    "{:>8.2} ms  {} chars  {head:?}",
                    d.as_secs_f64() * 1e3,
                    p.len()
                );
            }
        }
        (percentile(v.clone(), 0.5), percentile(v, 0.99))
    })
}

/// What a person types, one keystroke at a time: the first words of real prompts.
fn typed_queries(manifest: &Manifest, prompts: usize) -> Vec<String> {
    manifest
        .sessions
        .iter()
        .filter_map(|s| s.expected.prompts.first())
        .filter(|p| p.is_ascii())
        .step_by(7)
        .take(prompts)
        .map(|p| p.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The picker's keystroke latency, two ways:
/// - the daemon round trip of the picker's per-keystroke request (`search`, one page of 100
///   brief rows, parsed into the client's types), over one connection, for every prefix of
///   the typed words; beside it the request the picker made before pages (150 full hits);
/// - the real picker in tmux, typed into one key at a time: from the key's arrival to the end
///   of the frame showing its answer (the picker's `CODEXD_PICK_TRACE`), and that frame's
///   draw time, at 80×24 and 200×60.
fn pick_rows(
    report: &mut String,
    daemon: &Daemon,
    home: &Path,
    manifest: &Manifest,
    sessions: usize,
    runs: usize,
) {
    let words = typed_queries(manifest, (runs / 5).clamp(4, 20));
    let prefixes: Vec<String> = words
        .iter()
        .flat_map(|w| (1..=w.len()).map(move |i| w[..i].to_owned()))
        .filter(|q| !q.trim().is_empty())
        .collect();
    let mut conn = daemon.connect().unwrap();
    for (what, brief, limit) in [("100 brief rows", true, 100), ("150 full hits", false, 150)] {
        let mut trips = Vec::new();
        let mut hits = Vec::new();
        for q in &prefixes {
            let body = serde_json::json!({"search": {
                "query": q, "limit": limit, "cwd": "/home/dev/src/app", "brief": brief
            }});
            let t = Instant::now();
            let v = conn.request(&body.to_string()).expect("search answered");
            let parsed: codexd_proto::SearchResponse = serde_json::from_value(v).unwrap();
            trips.push(t.elapsed());
            hits.push(parsed.total.unwrap_or(parsed.hits.len()));
        }
        hits.sort_unstable();
        let _ = writeln!(
            report,
            "| Picker keystroke → daemon answer (`search`, {what}, parsed), {sessions} sessions, p50 / p99 ({} keystrokes; median {} matches) | {} / {} | one frame (16.7 ms) | | p99 < 16.7 ms |",
            trips.len(),
            hits.get(hits.len() / 2).copied().unwrap_or(0),
            ms(percentile(trips.clone(), 0.5)),
            ms(percentile(trips, 0.99)),
        );
    }
    let (rss, _) = daemon.rss_at_rest_mb();
    let _ = writeln!(
        report,
        "| Daemon RSS at rest after the picker's searches, {sessions} sessions | {rss:.1} MB | | | |",
    );
    if Command::new("tmux").arg("-V").output().is_err() {
        let _ = writeln!(report, "| Picker in tmux | tmux not installed | | | |");
        return;
    }
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let (key, draw) = pick_in_tmux(daemon, home, &words, w, h);
        let _ = writeln!(
            report,
            "| Picker keystroke → results on screen, {w}×{h}, {sessions} sessions, p50 / p99 ({} keystrokes) | {} / {} | one frame (16.7 ms) | | p99 < 16.7 ms |",
            key.len(),
            ms(percentile(key.clone(), 0.5)),
            ms(percentile(key, 0.99)),
        );
        let _ = writeln!(
            report,
            "| Picker frame draw, {w}×{h}, p50 / p99 | {} / {} | | | |",
            ms(percentile(draw.clone(), 0.5)),
            ms(percentile(draw, 0.99)),
        );
    }
}

/// Runs the picker in a tmux window of its own and types `words` one key at a time, each key
/// once the previous one's answer is on screen. Returns per-key latencies and draw times.
fn pick_in_tmux(
    daemon: &Daemon,
    home: &Path,
    words: &[String],
    width: u16,
    height: u16,
) -> (Vec<Duration>, Vec<Duration>) {
    let dir = daemon._dir.join(format!("pick-{width}x{height}"));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("trace");
    let sock = dir.join("tmux.sock");
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-S")
            .arg(&sock)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
    };
    let command = format!(
        "CODEXD_SOCKET='{}' CODEX_HOME='{}' CODEXD_PICK_TRACE='{}' '{}' --no-autostart pick",
        daemon.socket.display(),
        home.display(),
        trace.display(),
        bin("codexd-client").display()
    );
    let (ws, hs) = (width.to_string(), height.to_string());
    assert!(
        tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            &ws,
            "-y",
            &hs,
            "sh",
            "-c",
            &command
        ])
        .success()
    );
    tmux(&["resize-window", "-x", &ws, "-y", &hs]);
    let lines = |n: usize| -> Vec<String> {
        let t = Instant::now();
        loop {
            let text = std::fs::read_to_string(&trace).unwrap_or_default();
            let l: Vec<String> = text.lines().map(str::to_owned).collect();
            if l.len() >= n {
                return l;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the picker did not show query {n}"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
    };
    let mut seen = lines(1).len(); // the first list
    for w in words {
        let mut typed = String::new();
        for c in w.chars() {
            tmux(&["send-keys", "-l", &c.to_string()]);
            let before = typed.trim().to_owned();
            typed.push(c);
            // A space changes no query: nothing new reaches the screen.
            if typed.trim() != before {
                seen += 1;
                lines(seen);
            }
        }
        tmux(&["send-keys", "C-u"]);
        seen += 1;
        lines(seen);
    }
    tmux(&["kill-server"]);
    let mut key = Vec::new();
    let mut draw = Vec::new();
    // Skip the first line: the picker's start-up, not a keystroke.
    for l in lines(seen).iter().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if let (Some(k), Some(d)) = (
            f.first().and_then(|v| v.parse().ok()),
            f.get(1).and_then(|v| v.parse().ok()),
        ) {
            key.push(Duration::from_micros(k));
            draw.push(Duration::from_micros(d));
        }
    }
    (key, draw)
}

use std::fmt::Write as _;
