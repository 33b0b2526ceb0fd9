//! What one tail read costs while Codex appends: a 4 MiB rollout, then `--appends` appends of
//! one event line each, every one followed by `read_rollout` from the previous state (what the
//! watcher does per batch). Prints the median and p99 of the reads, and of a bare `fstat`;
//! then the median of 200 whole reads of the same file (what a cold scan does per file).
//! `cargo run --release -p codexd-core --example tail_read -- [--appends N]`
use std::io::Write;
use std::time::{Duration, Instant};

use codexd_core::rollout::{ReadOutcome, read_rollout};

fn main() {
    let mut appends = 20_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--appends" {
            appends = args.next().and_then(|v| v.parse().ok()).unwrap_or(appends);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("rollout-2026-01-01T00-00-00-019c0000-0000-7000-8000-000000000001.jsonl");
    let ts = "2026-01-01T00:00:00.000Z";
    let meta = format!(
        r#"{{"timestamp":"{ts}","type":"session_meta","payload":{{"id":"019c0000-0000-7000-8000-000000000001","timestamp":"{ts}","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.150.0","source":"cli"}}}}"#
    );
    let user = |i: usize| {
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"user_message","message":"prompt {i}"}}}}"#
        )
    };
    let tool = format!(
        r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"function_call_output","call_id":"c1","output":"{}"}}}}"#,
        "x".repeat(300)
    );
    let mut body = meta + "\n";
    let mut i = 0;
    while body.len() < 4 << 20 {
        body += &if i % 50 == 0 { user(i) } else { tool.clone() };
        body += "\n";
        i += 1;
    }
    std::fs::write(&path, &body).unwrap();
    let ReadOutcome::Updated { mut parsed, .. } = read_rollout(&path, false, None).unwrap() else {
        unreachable!()
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let mut reads: Vec<Duration> = Vec::with_capacity(appends);
    let mut stats: Vec<Duration> = Vec::with_capacity(appends);
    for n in 0..appends {
        let line = if n % 50 == 0 { user(n) } else { tool.clone() };
        f.write_all(format!("{line}\n").as_bytes()).unwrap();
        let t = Instant::now();
        let _ = std::fs::metadata(&path).unwrap();
        stats.push(t.elapsed());
        let t = Instant::now();
        match read_rollout(&path, false, Some(&parsed)).unwrap() {
            ReadOutcome::Updated { parsed: p, .. } => parsed = p,
            ReadOutcome::Unchanged => panic!("an append was not seen"),
        }
        reads.push(t.elapsed());
    }
    assert_eq!(parsed.state.offset, std::fs::metadata(&path).unwrap().len());
    let mut whole: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let _ = read_rollout(&path, false, None).unwrap();
            t.elapsed()
        })
        .collect();
    let size = std::fs::metadata(&path).unwrap().len() as f64 / (1 << 20) as f64;
    let pct = |v: &mut Vec<Duration>, p: f64| {
        v.sort_unstable();
        v[((v.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6
    };
    println!(
        "tail read after a one-line append ({appends} reads, file growing from 4 MiB, {} prompts): p50 {:.1} µs, p99 {:.1} µs; bare stat p50 {:.1} µs",
        parsed.record.real_prompts().count,
        pct(&mut reads, 0.5),
        pct(&mut reads, 0.99),
        pct(&mut stats, 0.5),
    );
    println!(
        "whole read of the {size:.1} MiB file: p50 {:.0} µs",
        pct(&mut whole, 0.5)
    );
}
