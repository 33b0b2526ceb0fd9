//! Where the daemon's memory goes: RSS after reading all rollouts, then after the route index.
//! `cargo run --release -p codexd --example mem -- <codex home>`
use codexd_core::engine::{Config, Engine, Shared};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// Counts live heap bytes, to tell data from allocator slack.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    println!(
        "  (live heap {:.1} MB)",
        LIVE.load(Ordering::Relaxed) as f64 / 1048576.0
    );
    kb / 1024.0
}

fn main() {
    let home = std::env::args().nth(1).expect("usage: mem <codex home>");
    let mut config = Config::for_home(home.into());
    config.write_registry = false;
    let shared = Shared::new(Engine::new(config));
    println!("start: {:.1} MB", rss_mb());
    shared.reconcile_table();
    shared.read(report);
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0)
    };
    println!("after trim: {:.1} MB", rss_mb());
    shared.rebuild_route_index();
    println!("after route index: {:.1} MB", rss_mb());
    if std::env::var_os("MEM_EXIT").is_some() {
        std::process::exit(0);
    }
}

fn report(eng: &codexd_core::engine::Engine) {
    let prompt_bytes: usize = eng
        .table()
        .threads()
        .map(|t| {
            t.record()
                .real_prompts()
                .iter()
                .map(|p| p.text.len())
                .sum::<usize>()
        })
        .sum();
    let prompts: usize = eng
        .table()
        .threads()
        .map(|t| t.record().real_prompts().iter().count())
        .sum();
    // PROMPT_HIST: bytes held in prompts longer than each cut-off.
    {
        let lens: Vec<usize> = eng
            .table()
            .threads()
            .flat_map(|t| {
                t.record()
                    .real_prompts()
                    .iter()
                    .map(|p| p.text.len())
                    .collect::<Vec<_>>()
            })
            .collect();
        for cut in [250, 500, 1000, 1500] {
            let over: usize = lens.iter().map(|&l| l.saturating_sub(cut)).sum();
            println!(
                "  prompts over {cut} B: {} ({:.1} MB beyond the cut)",
                lens.iter().filter(|&&l| l > cut).count(),
                over as f64 / 1e6
            );
        }
    }
    println!(
        "after scan: {:.1} MB ({} threads, {prompts} prompts held, {:.1} MB of prompt text)",
        rss_mb(),
        eng.table().thread_count(),
        prompt_bytes as f64 / 1e6
    );
    let item_bytes: usize = eng
        .table()
        .threads()
        .map(|t| {
            t.record()
                .item_prompts
                .iter()
                .map(|p| p.text.len())
                .sum::<usize>()
        })
        .sum();
    println!(
        "item prompt text {:.1} MB; size_of FileEntry {}",
        item_bytes as f64 / 1e6,
        std::mem::size_of::<codexd_core::table::FileEntry>()
    );
}
