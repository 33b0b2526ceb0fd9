//! Faults beyond hostile clients: an auto-start that fails, another user at the socket, a full
//! disk, huge and hostile rollouts. Real binaries, real socket, temp homes; the tests that need
//! root (a second uid, a tmpfs) say so and skip where the machine refuses.

use crate::common;

use std::fs;
use std::io::{BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Env, Run, lines, open_fds, proc_kib, signal, temp_files, wait_for};

const A: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const B: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61b";
const C: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61c";

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn three_sessions(env: &Env) {
    for (id, prompt) in [
        (A, "fix the flaky login test"),
        (B, "add a dark mode toggle"),
        (C, "profile the slow importer"),
    ] {
        env.session(
            id,
            "2026-11-20T10-00-00",
            "2026-11-20T09:00:00.000Z",
            "/p",
            prompt,
        );
    }
}

#[test]
fn a_failed_auto_start_prints_the_daemons_refusal_and_the_fix() {
    let env = Env::new();
    three_sessions(&env);
    let run = env.socket.parent().unwrap();
    fs::create_dir_all(run).unwrap();
    chmod(run, 0o755);
    let r = env.client(&["list"]);
    // The daemon refused the directory: its own words, with the fix, reach the user.
    assert!(
        r.stderr.contains("has mode 755") && r.stderr.contains("chmod 700"),
        "the daemon's refusal is not shown:\n{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("codexd.log"),
        "points at a log nobody wrote:\n{}",
        r.stderr
    );
    assert!(!run.join("codexd.log").exists());
    assert!(!env.socket.exists());
}

/// Whether this process may switch uids (root with setpriv(1)); else why not.
fn can_become_nobody() -> Result<(), String> {
    if codexd_proto::socket::current_uid() != 0 {
        return Err("not running as root".into());
    }
    match Command::new("setpriv")
        .args([
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            "true",
        ])
        .status()
    {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("setpriv refused: {s}")),
        Err(e) => Err(format!("no setpriv: {e}")),
    }
}

/// `cmd` run as uid/gid 65534 (nobody), with a deadline.
fn as_nobody(env: &Env, args: &[&str], bin: &Path) -> (Run, std::time::Duration) {
    let c = env.client_cmd(args);
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(c.get_program())
        .args(c.get_args())
        .env("CODEX_HOME", &env.home)
        .env("CODEXD_SOCKET", &env.socket)
        .env("CODEXD_BIN", bin)
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1")
        .env_remove("XDG_RUNTIME_DIR");
    let started = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.into(), started.elapsed())
}

#[test]
fn another_user_is_refused_without_fallback_or_a_daemon_of_its_own() {
    if let Err(why) = can_become_nobody() {
        eprintln!("SKIPPED: cannot run a client as another uid: {why}");
        return;
    }
    let mut env = Env::new();
    three_sessions(&env);
    env.start_daemon();
    // A stand-in for the daemon binary that records being started, where nobody can write.
    let bin_dir = env.dir.path().join("bin");
    fs::create_dir(&bin_dir).unwrap();
    chmod(&bin_dir, 0o777);
    let marker = bin_dir.join("started");
    let wrapper = bin_dir.join("codexd");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            marker.display(),
            common::daemon_bin().display()
        ),
    )
    .unwrap();
    chmod(&wrapper, 0o755);
    // nobody may enter the test's directory (to reach the wrapper and the home, which a
    // fallback scan would read), but not yet the socket's own 0700 directory.
    chmod(env.dir.path(), 0o711);

    let check = |r: &Run, took: std::time::Duration, case: &str| {
        eprintln!(
            "FIGURE another uid, {case}: exit {} in {} ms",
            r.code,
            took.as_millis()
        );
        assert_ne!(r.code, 0, "{case}: exit 0 for another uid:\n{}", r.stderr);
        assert!(
            r.stderr.contains("belongs to uid 0") && r.stderr.contains("unset CODEXD_SOCKET"),
            "{case}: no clear refusal:\n{}",
            r.stderr
        );
        for leak in [A, "flaky login", "direct scan"] {
            assert!(
                !r.stdout.contains(leak) && !r.stderr.contains(leak),
                "{case}: fallback answer ({leak}):\n{}\n{}",
                r.stdout,
                r.stderr
            );
        }
        assert!(!marker.exists(), "{case}: the client started a daemon");
        assert!(took < common::DEADLINE, "{case}: took {took:?}");
    };
    // 1. The socket's directory is closed to nobody: connect fails with EACCES.
    for args in [&["list"][..], &["show", A], &["status"]] {
        let (r, took) = as_nobody(&env, args, &wrapper);
        check(&r, took, "closed directory");
    }
    // 2. Opened by permissions (only in this test's directory): the connection reaches the
    // daemon, whose peer-credential check drops it and logs the uid.
    let run = env.socket.parent().unwrap();
    chmod(run, 0o711);
    chmod(&env.socket, 0o666);
    let (r, took) = as_nobody(&env, &["list"], &wrapper);
    check(&r, took, "reachable socket");
    wait_for("the daemon to log the refusal", || {
        env.daemon_log()
            .contains("dropping connection from another user peer_uid=65534")
            .then_some(())
    });
    chmod(run, 0o700);
    chmod(env.dir.path(), 0o700);
    // Still serving its own user, and still one daemon.
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 3);
    assert_eq!(env.daemon_log().matches("codexd listening").count(), 1);
}

/// A tmpfs of `size` mounted at `at`, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(Tmpfs(at.to_owned()))
    }

    /// Write a filler file until the filesystem refuses another byte.
    fn fill(&self) -> PathBuf {
        let p = self.0.join("filler");
        let mut f = fs::File::create(&p).unwrap();
        for chunk in [64 * 1024, 4096, 1] {
            let buf = vec![0u8; chunk];
            while f.write_all(&buf).is_ok() {}
        }
        let _ = f.sync_all();
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn registry_status(path: &Path, id: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    doc["sessions"]
        .as_array()?
        .iter()
        .find(|s| s["id"] == id)
        .and_then(|s| s["status"].as_str())
        .map(str::to_owned)
}

#[test]
fn a_full_disk_keeps_the_old_registry_and_cache_and_saves_once_space_returns() {
    let mut env = Env::new();
    three_sessions(&env);
    let disk = match Tmpfs::mount(&env.dir.path().join("disk"), "512k") {
        Ok(d) => d,
        Err(why) => {
            eprintln!("SKIPPED: cannot mount a tmpfs: {why}");
            return;
        }
    };
    let registry = disk.0.join("claude-sessions.json");
    let cache = disk.0.join("cache");
    let start = |env: &mut Env| {
        let child = env
            .daemon_cmd()
            .arg("--registry")
            .arg(&registry)
            .env("CODEXD_CACHE_DIR", &cache)
            .spawn()
            .unwrap();
        env.daemon = Some(child);
        env.wait_ready();
    };
    start(&mut env);
    let cache_file = wait_for("the registry and the cache to be written", || {
        let c = fs::read_dir(&cache)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".json"))?;
        registry_status(&registry, C).map(|_| c)
    });
    let old_registry = fs::read(&registry).unwrap();
    let old_cache = fs::read(&cache_file).unwrap();

    // The disk fills up; a request that changes state still answers, with a warning that
    // names the disk; the old registry stays whole.
    let filler = disk.fill();
    let r = env.client(&["set-status", A, "archived"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("registry not saved")
            && r.stderr.contains("No space left on device")
            && r.stderr
                .contains(&format!("the disk holding {} is full", disk.0.display())),
        "no warning naming the disk:\n{}",
        r.stderr
    );
    assert_eq!(env.json(&["show", A])["status"], "archived");
    assert_eq!(fs::read(&registry).unwrap(), old_registry, "registry torn");
    assert!(temp_files(&disk.0).is_empty(), "{:?}", temp_files(&disk.0));
    let st = env.json(&["status"]);
    assert!(st["errors"].as_u64().unwrap() >= 1, "{st}");
    assert!(
        st["last_error"].as_str().unwrap().contains("No space left"),
        "{st}"
    );

    // Space returns: the daemon saves by itself.
    fs::remove_file(&filler).unwrap();
    wait_for("the daemon to save the registry by itself", || {
        (registry_status(&registry, A).as_deref() == Some("archived")).then_some(())
    });

    // The warm-start cache: full again at shutdown, its write fails cleanly, and the next
    // start (disk still full) works from the old cache.
    let filler = disk.fill();
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();
    assert!(
        env.daemon_log()
            .contains("cannot save the warm-start cache"),
        "{}",
        env.daemon_log()
    );
    assert_eq!(fs::read(&cache_file).unwrap(), old_cache, "cache torn");
    assert!(temp_files(&disk.0).is_empty(), "{:?}", temp_files(&disk.0));
    start(&mut env);
    let list = env.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    assert_eq!(env.json(&["show", A])["status"], "archived");
    assert!(
        env.daemon_log().contains("cached=3"),
        "the next start did not use the old cache:\n{}",
        env.daemon_log()
    );
    fs::remove_file(&filler).unwrap();
    drop(env);
}

/// Write one rollout whose middle line is `huge` bytes long (a pasted image), streaming.
fn write_huge_rollout(path: &Path, id: &str, huge: usize, prompt_after: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ts = "2026-11-21T09:00:00.000Z";
    let mut f = BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    writeln!(f, "{}", lines::meta(id, ts, "/p", "cli")).unwrap();
    writeln!(f, "{}", lines::turn(ts, "/p")).unwrap();
    write!(
        f,
        r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"message","role":"user","content":[{{"type":"input_text","text":"what is wrong in this screenshot"}},{{"type":"input_image","image_url":"data:image/png;base64,"#
    )
    .unwrap();
    let block = b"iVBORw0KGgoAAAANSUhEUgAAB4AAAAQ4CAYAAADo08FDAAAgAElEQVR4".repeat(1 << 14);
    let mut left = huge;
    while left > 0 {
        let n = left.min(block.len());
        f.write_all(&block[..n]).unwrap();
        left -= n;
    }
    writeln!(f, r#""}}]}}}}"#).unwrap();
    writeln!(f, "{}", lines::complete(ts)).unwrap();
    writeln!(f, "{}", lines::turn(ts, "/p")).unwrap();
    writeln!(f, "{}", lines::user(ts, prompt_after)).unwrap();
    writeln!(f, "{}", lines::complete(ts)).unwrap();
    f.flush().unwrap();
}

#[test]
fn a_300_mb_line_is_passed_over_and_the_prompt_after_it_is_read() {
    let mut env = Env::new();
    three_sessions(&env);
    env.start_daemon();
    env.sync();
    let pid = env.daemon.as_ref().unwrap().id();
    let base_rss = proc_kib(pid, "VmRSS");
    let base_hwm = proc_kib(pid, "VmHWM");
    let id = "019c8a4c-ed82-79a1-aa28-7738fc5ab699";
    let path = env
        .home
        .join(lines::rollout_path(false, "2026-11-21T10-00-00", id));
    let huge = 300 << 20;
    let started = Instant::now();
    // Written while the daemon watches: it sees the file grow in many appends.
    write_huge_rollout(&path, id, huge, "rename the zanzibarquokka module");
    let written = started.elapsed();
    env.sync();
    let show = env.json(&["show", id]);
    let read = started.elapsed();
    let prompts = show["prompts"].to_string();
    assert!(
        prompts.contains("zanzibarquokka"),
        "the prompt after the huge line was not read: {show}"
    );
    let found = env.json(&["search", "zanzibarquokka"]);
    assert!(found.to_string().contains(id), "{found}");
    let hwm = proc_kib(pid, "VmHWM");
    let rss = proc_kib(pid, "VmRSS");
    eprintln!(
        "FIGURE huge line: {} MB line; written in {:.1} s, read by {:.1} s; daemon VmRSS baseline {} MB (VmHWM {} MB) → VmHWM {} MB, VmRSS {} MB after; fds {}",
        huge >> 20,
        written.as_secs_f64(),
        read.as_secs_f64(),
        base_rss >> 10,
        base_hwm >> 10,
        hwm >> 10,
        rss >> 10,
        open_fds(pid)
    );
    assert!(
        hwm.saturating_sub(base_rss) <= 64 * 1024,
        "daemon peak {hwm} KiB is more than 64 MB over its baseline {base_rss} KiB"
    );
    fs::remove_file(&path).unwrap();
}

/// One rollout's bytes: meta, filler tool output (so reads take a while), `prompts` prompts.
/// Every line after the meta carries `version` (its timestamp, the tool output's text), as
/// every line Codex writes carries its own time: two versions of a file differ wherever their
/// lines are.
fn rollout_bytes(id: &str, prompts: &[String], filler_lines: usize, version: usize) -> Vec<u8> {
    let ts = format!(
        "2026-11-22T{:02}:{:02}:{:02}.000Z",
        9 + version / 3600 % 12,
        version / 60 % 60,
        version % 60
    );
    let mut out = lines::meta(id, "2026-11-22T09:00:00.000Z", "/p", "cli") + "\n";
    let filler: String = format!("v{version} ").repeat(8 * 1024 / 6);
    for p in prompts {
        out += &lines::turn(&ts, "/p");
        out += "\n";
        out += &lines::user(&ts, p);
        out += "\n";
        for _ in 0..filler_lines {
            out += &format!(
                r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"function_call_output","call_id":"c1","output":"{filler}"}}}}"#
            );
            out += "\n";
        }
        out += &lines::complete(&ts);
        out += "\n";
    }
    out.into_bytes()
}

/// Version `version` of a rollout, longer than `than` bytes.
fn rollout_longer_than(id: &str, prompts: &[String], version: usize, than: usize) -> Vec<u8> {
    let mut filler = 40 + version % 7;
    loop {
        let bytes = rollout_bytes(id, prompts, filler, version);
        if bytes.len() > than {
            return bytes;
        }
        filler += 8;
    }
}

#[test]
fn rollouts_rewritten_truncated_and_recompressed_while_read_end_equal_to_a_fresh_scan() {
    let mut env = Env::new();
    let ids: Vec<String> = (0..4)
        .map(|i| format!("019c8a4c-ed82-79a1-aa28-7738fc5ab7{i:02}"))
        .collect();
    let home = env.home.clone();
    let plain = |id: &str| home.join(lines::rollout_path(false, "2026-11-22T10-00-00", id));
    let zst = |id: &str| PathBuf::from(format!("{}.zst", plain(id).display()));
    for id in &ids {
        let b = rollout_bytes(id, &[format!("first prompt of {id}")], 40, 0);
        env.write(&lines::rollout_path(false, "2026-11-22T10-00-00", id), &b);
    }
    env.start_daemon();
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let stop = AtomicBool::new(false);
    let served = AtomicUsize::new(0);
    let (ops, rewrites, waited, requests) = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                for args in [
                    &["list", "--all"][..],
                    &["show", &ids[n % 4]],
                    &["search", "prompt"],
                ] {
                    let r = env.client(&[&["--no-autostart"], args].concat());
                    // `show` may meet a session between its two files; anything else is a failure.
                    assert!(
                        r.code == 0 || (args[0] == "show" && r.code == 2),
                        "{args:?} failed ({}): {}",
                        r.code,
                        r.stderr
                    );
                    assert!(!r.stderr.contains("direct scan"), "{}", r.stderr);
                    n += 1;
                    served.store(n, Ordering::Relaxed);
                }
            }
            n
        });
        // However this thread ends (a failed wait panics), the reader stops too.
        struct StopOnDrop<'a>(&'a AtomicBool);
        impl Drop for StopOnDrop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _stop = StopOnDrop(&stop);
        let (mut ops, mut rewrites, mut waited) = (0, 0, 0);
        // At least 40 rounds, and on until clients have made 90 requests meanwhile.
        let mut round = 0;
        while round < 40 || served.load(Ordering::Relaxed) < 90 {
            round += 1;
            for (i, id) in ids.iter().enumerate() {
                let prompts: Vec<String> = (0..=(round % 3))
                    .map(|k| format!("prompt {k} of round {round} for {id}"))
                    .collect();
                let bytes = rollout_bytes(id, &prompts, 40 + round % 7, round);
                let compressed = zst(id).exists();
                let op = (round + i) % 5;
                // Every other round, a rewrite waits until the daemon has read the file as it
                // is (its `show` equals a fresh scan's), so that its offset is this file's end:
                // then the rewrite cannot be seen short, only as a file that looks appended to.
                if op < 2 && !compressed && round % 2 == 0 {
                    wait_for("the daemon to read the file before its rewrite", || {
                        let r = env.client(&["--no-autostart", "show", id, "--json"]);
                        let daemon: Option<serde_json::Value> =
                            serde_json::from_str(&r.stdout).ok().filter(|_| r.code == 0);
                        (daemon? == env.fresh_scan(&["show", id])).then_some(())
                    });
                    waited += 1;
                }
                match op {
                    // Rewritten in place (same inode: truncate, then write) to more than its
                    // old length, with other bytes throughout: unless codexd happens to stat the
                    // file while it is short, it next sees a file that only looks appended to.
                    0 if !compressed => {
                        let len = fs::metadata(plain(id)).unwrap().len() as usize;
                        let bytes = rollout_longer_than(id, &prompts, round, len);
                        fs::write(plain(id), &bytes).unwrap();
                        rewrites += 1;
                    }
                    // Truncated mid-line, then written on (other bytes) past its old length.
                    1 if !compressed => {
                        let f = fs::OpenOptions::new().write(true).open(plain(id)).unwrap();
                        let len = f.metadata().unwrap().len() as usize;
                        f.set_len((len / 3) as u64).unwrap();
                        drop(f);
                        let bytes = rollout_longer_than(id, &prompts, round, len);
                        env.append(&plain(id), &bytes[len / 3..]);
                        rewrites += 1;
                    }
                    // Compressed: .jsonl.zst appears, then the .jsonl goes.
                    2 | 3 if !compressed => {
                        fs::write(zst(id), zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();
                        fs::remove_file(plain(id)).unwrap();
                    }
                    // And back.
                    _ if compressed => {
                        fs::write(plain(id), &bytes).unwrap();
                        fs::remove_file(zst(id)).unwrap();
                    }
                    _ => env.append(&plain(id), &bytes[bytes.len() / 2..]),
                }
                ops += 1;
            }
        }
        stop.store(true, Ordering::Relaxed);
        (ops, rewrites, waited, reader.join().unwrap())
    });
    env.sync();
    let daemon = env.json(&["list", "--all"]);
    let fresh = env.fresh_scan(&["list", "--all"]);
    assert_eq!(daemon, fresh, "the table differs from a fresh scan");
    for id in &ids {
        assert_eq!(env.json(&["show", id]), env.fresh_scan(&["show", id]));
    }
    // The case this test is for happened: a file that looked appended to no longer held the
    // bytes before codexd's offset (the daemon logs each at debug, `core/src/rollout/reader.rs`).
    let log = env.daemon_log();
    let caught = log
        .matches("rollout changed before the read offset")
        .count();
    let overlapped = log.matches("rollout written to while read").count();
    assert!(
        caught >= waited / 2 && caught > 0,
        "only {caught} of {waited} rewrites after a read were seen past the read offset"
    );
    eprintln!(
        "FIGURE rewrite/truncate/recompress: {ops} file operations ({rewrites} rewrites or truncations regrown past the old length, {waited} of them once the daemon had read the file) under {requests} requests; {caught} caught by the check before the offset, {overlapped} reads overlapped by a write and made again; table = fresh scan"
    );
}
