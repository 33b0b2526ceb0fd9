//! Where the daemon's memory goes: the live heap after reading all rollouts and after the
//! route index, beside an accounting of the big structures (`Table::memory`,
//! `Index::memory`), and the peak. BENCHMARKS.md, "Daemon memory (session 5)".
//! `cargo run --release -p codexd-core --example mem -- <codex home>`
use codexd_core::engine::{Config, Engine, Shared};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes (and their peak), to tell data from allocator slack.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
fn grew(by: isize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size() as isize);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        grew(n as isize - l.size() as isize);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn mb(b: isize) -> f64 {
    b as f64 / 1e6
}

fn heap(what: &str, since: Instant) {
    println!(
        "{what}: live heap {:.1} MB, peak {:.1} MB ({} ms)",
        mb(LIVE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed)),
        since.elapsed().as_millis()
    );
}

fn main() {
    let home = std::env::args().nth(1).expect("usage: mem <codex home>");
    let mut config = Config::for_home(home.into());
    config.write_registry = false;
    let shared = Shared::new(Engine::new(config));
    let t = Instant::now();
    shared.reconcile_table();
    heap("after the scan", t);
    let t = Instant::now();
    shared.rebuild_route_index();
    heap("after the route index", t);
    shared.read(|eng| {
        let mut parts = eng.table().memory().0;
        parts.extend(eng.route_index().memory().0);
        parts.push(("atoms", codexd_core::atom::memory()));
        parts.sort_by_key(|&(_, b)| std::cmp::Reverse(b));
        let total: usize = parts.iter().map(|(_, b)| b).sum();
        let n = eng.table().thread_count();
        println!("\n| structure | MB | bytes / session |\n|---|---:|---:|");
        for (part, bytes) in parts {
            println!(
                "| {part} | {:.2} | {} |",
                bytes as f64 / 1e6,
                bytes / n.max(1)
            );
        }
        println!(
            "| **accounted** | **{:.2}** | {} |",
            total as f64 / 1e6,
            total / n.max(1)
        );
    });
}
