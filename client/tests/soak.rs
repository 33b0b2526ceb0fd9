//! A bounded soak: sessions appended to, created, archived, renamed and deleted continuously
//! while clients list, route, search and ask for status. At the end the table equals a fresh
//! full scan, no request failed, the daemon's RSS and open file descriptors are flat, and no
//! temp files are left. 60 s by default; `CODEXD_LONG=1` runs 30 minutes
//! (`CODEXD_SOAK_SECS` overrides both).

use crate::common;

use std::fs;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Env, lines, open_fds, proc_kib, temp_files};

/// A small deterministic generator (no dependency for a test's dice).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "login",
    "flaky",
    "importer",
    "dark",
    "mode",
    "cache",
    "parser",
    "router",
    "billing",
    "migration",
    "websocket",
    "retry",
    "schema",
    "tokenizer",
    "upload",
    "thumbnail",
];

fn id(n: usize) -> String {
    format!("019c8a4c-ed82-79a1-aa28-{n:012x}")
}

fn prompt(d: &mut Dice) -> String {
    (0..6)
        .map(|_| WORDS[d.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

struct Live {
    path: PathBuf,
    archived: bool,
}

#[test]
fn soak_churn_with_clients_converges_and_stays_flat() {
    let secs: u64 = std::env::var("CODEXD_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if std::env::var_os("CODEXD_LONG").is_some() {
            1800
        } else {
            60
        });
    let duration = Duration::from_secs(secs);
    let mut env = Env::new();
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut live: Vec<(String, Live)> = Vec::new();
    let mut next = 1usize;
    let ts = "2026-11-20T09:00:00.000Z";
    let create = |env: &Env, d: &mut Dice, n: usize| -> (String, Live) {
        let i = id(n);
        let path = env.session(&i, "2026-11-20T10-00-00", ts, "/p", &prompt(d));
        (
            i,
            Live {
                path,
                archived: false,
            },
        )
    };
    for _ in 0..40 {
        live.push(create(&env, &mut dice, next));
        next += 1;
    }
    env.start_daemon();
    let pid = env.daemon.as_ref().unwrap().id();
    env.sync();
    // At rest: the watcher armed (its inotify, epoll and eventfd descriptors open).
    common::wait_for("the watcher to be armed", || {
        (env.json(&["--no-autostart", "status"])["watcher"] == "watching"
            && fd_targets(pid).iter().any(|t| t.contains("inotify")))
        .then_some(())
    });
    let fds_before = open_fds(pid);

    let stop = AtomicBool::new(false);
    let requests = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let samples = Mutex::new(Vec::<(Duration, u64, usize)>::new());
    let started = Instant::now();
    let mut ops = [0usize; 5];
    std::thread::scope(|s| {
        for c in 0..2u64 {
            let (env, stop, requests, failures) = (&env, &stop, &requests, &failures);
            s.spawn(move || {
                let mut d = Dice(0x1234_5678 + c);
                while !stop.load(Ordering::Relaxed) {
                    let p = prompt(&mut d);
                    let args: Vec<&str> = match d.below(4) {
                        0 => vec!["list", "--all"],
                        1 => vec!["route", &p, "--cwd", "/p"],
                        2 => vec!["search", &p],
                        _ => vec!["status"],
                    };
                    let mut a = vec!["--no-autostart"];
                    a.extend(&args);
                    a.push("--json");
                    let r = env.client(&a);
                    requests.fetch_add(1, Ordering::Relaxed);
                    if r.code != 0 || r.stderr.contains("warning") {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{args:?}: exit {}: {}", r.code, r.stderr));
                    }
                    // Busy clients, not a benchmark: leave the shared cores some air.
                    std::thread::sleep(Duration::from_millis(10));
                }
            });
        }
        // Resource samples, once a second.
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                samples.lock().unwrap().push((
                    started.elapsed(),
                    proc_kib(pid, "VmRSS"),
                    open_fds(pid),
                ));
                let t = Instant::now();
                while t.elapsed() < Duration::from_secs(1) && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        });
        // The churn: about 25 operations a second, the number of sessions kept within 30..80.
        let mut renamed = 0usize;
        while started.elapsed() < duration {
            let op = match d_op(&mut dice, live.len()) {
                Some(op) => op,
                None => continue,
            };
            ops[op] += 1;
            match op {
                0 => {
                    let (_, l) = &live[dice.below(live.len())];
                    let ts = jiff::Timestamp::now().to_string();
                    let text = format!(
                        "{}\n{}\n{}\n",
                        lines::turn(&ts, "/p"),
                        lines::user(&ts, &prompt(&mut dice)),
                        lines::complete(&ts)
                    );
                    env.append(&l.path, text.as_bytes());
                }
                1 => {
                    live.push(create(&env, &mut dice, next));
                    next += 1;
                }
                2 => {
                    let k = dice.below(live.len());
                    let l = &mut live[k].1;
                    if !l.archived {
                        let to = env
                            .home
                            .join("archived_sessions")
                            .join(l.path.file_name().unwrap());
                        fs::create_dir_all(to.parent().unwrap()).unwrap();
                        fs::rename(&l.path, &to).unwrap();
                        l.path = to;
                        l.archived = true;
                    }
                }
                3 => {
                    let (i, _) = &live[dice.below(live.len())];
                    renamed += 1;
                    let line = format!(
                        "{{\"id\":\"{i}\",\"thread_name\":\"soak name {renamed}\",\"updated_at\":\"{}\"}}\n",
                        jiff::Timestamp::now()
                    );
                    let index = env.home.join("session_index.jsonl");
                    if index.exists() {
                        env.append(&index, line.as_bytes());
                    } else {
                        fs::write(&index, line).unwrap();
                    }
                }
                _ => {
                    let (_, l) = live.swap_remove(dice.below(live.len()));
                    fs::remove_file(&l.path).unwrap();
                }
            }
            std::thread::sleep(Duration::from_millis(40));
        }
        stop.store(true, Ordering::Relaxed);
    });

    env.sync();
    let daemon = env.json(&["list", "--all"]);
    let fresh = env.fresh_scan(&["list", "--all"]);
    let failures = failures.into_inner().unwrap();
    let samples = samples.into_inner().unwrap();
    let requests = requests.into_inner();
    // Flatness: the first sample after a tenth of the run against the last.
    let warm = samples
        .iter()
        .find(|(t, _, _)| *t >= duration / 10)
        .or(samples.first())
        .copied()
        .unwrap();
    let last = *samples.last().unwrap();
    let peak_rss = samples.iter().map(|s| s.1).max().unwrap();
    let (min_fd, max_fd) = samples
        .iter()
        .skip_while(|s| s.0 < warm.0)
        .fold((usize::MAX, 0), |(lo, hi), s| (lo.min(s.2), hi.max(s.2)));
    // At rest again (the last connections close asynchronously).
    let fds_after = common::wait_for(
        &format!(
            "open fds to settle: {fds_before} before, now {:?}",
            fd_targets(pid)
        ),
        || {
            let n = open_fds(pid);
            (n <= fds_before).then_some(n)
        },
    );
    // A save may be under way this instant (its temp file is renamed or removed within
    // milliseconds): a leftover is a temp file that stays.
    let temps = || -> Vec<PathBuf> {
        temp_files(&env.home)
            .into_iter()
            .chain(temp_files(&env.dir.path().join("cache")))
            .collect()
    };
    let seen = temps();
    let deadline = Instant::now() + Duration::from_secs(5);
    let leftovers: Vec<PathBuf> = loop {
        let staying: Vec<PathBuf> = seen.iter().filter(|p| p.exists()).cloned().collect();
        if staying.is_empty() || Instant::now() > deadline {
            break staying;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!(
        "FIGURE soak {secs} s: {} ops (append {}, create {}, archive {}, rename {}, delete {}), {requests} requests, {} failed; {} sessions at the end; VmRSS {} MB after warm-up → {} MB at the end (peak {} MB, VmHWM {} MB); fds {fds_before} at rest before → {fds_after} at rest after (sampled {} → {}, range {min_fd}..{max_fd} after warm-up); temp files left {}",
        ops.iter().sum::<usize>(),
        ops[0],
        ops[1],
        ops[2],
        ops[3],
        ops[4],
        failures.len(),
        daemon.as_array().map_or(0, Vec::len),
        warm.1 >> 10,
        last.1 >> 10,
        peak_rss >> 10,
        proc_kib(pid, "VmHWM") >> 10,
        warm.2,
        last.2,
        leftovers.len()
    );
    assert!(failures.is_empty(), "requests failed: {failures:#?}");
    assert!(requests > 0);
    assert_eq!(daemon, fresh, "the table differs from a fresh full scan");
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    // Under load a few connections and rollouts are open at any moment; never more.
    assert!(
        max_fd <= fds_before + 8,
        "open fds climb: {min_fd}..{max_fd} ({samples:?})"
    );
    assert!(
        last.1 <= warm.1 + 24 * 1024,
        "RSS grew from {} KiB to {} KiB",
        warm.1,
        last.1
    );
}

/// Which churn operation next: append, create, archive, rename or delete, keeping the number
/// of sessions between 30 and 80.
fn d_op(d: &mut Dice, live: usize) -> Option<usize> {
    let op = match d.below(10) {
        0..=3 => 0,
        4 | 5 => 1,
        6 => 2,
        7 => 3,
        _ => 4,
    };
    match op {
        1 if live >= 80 => None,
        4 | 2 if live <= 30 => None,
        op => Some(op),
    }
}

/// What `pid`'s descriptors point at (for a failure message).
fn fd_targets(pid: u32) -> Vec<String> {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| fs::read_link(e.path()).map_or_else(|_| "?".into(), |t| t.display().to_string()))
        .collect()
}
