//! `codexd`: thin entry point — flags, logging, run. The work is in the `codexd` library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use codexd_core::engine::Config;
use codexd_core::table::StatusPolicy;

/// Per-user daemon that indexes OpenAI Codex CLI sessions and answers codexd-client.
///
/// Runs in the foreground (service managers and `codexd-client` detach it). Watches
/// $CODEX_HOME/sessions and archived_sessions, keeps the routing table in memory, mirrors it
/// to the registry (~/.codex/claude-sessions.json) and answers on a private Unix socket.
/// Logs go to stderr (level from CODEXD_LOG or RUST_LOG; default info).
#[derive(Parser, Debug)]
#[command(name = "codexd", version, about, long_about)]
struct Args {
    /// Codex home to index [default: $CODEX_HOME, else ~/.codex]
    #[arg(long, value_name = "DIR")]
    codex_home: Option<PathBuf>,
    /// Socket path [default: $CODEXD_SOCKET, else $XDG_RUNTIME_DIR/codexd/codexd.sock, else /tmp/codexd-$UID/codexd.sock]
    #[arg(long, value_name = "PATH")]
    socket: Option<PathBuf>,
    /// Registry file [default: <codex home>/claude-sessions.json]
    #[arg(long, value_name = "FILE", env = "CODEXD_REGISTRY")]
    registry: Option<PathBuf>,
    /// Stay in the foreground (the default; accepted for service files)
    #[arg(long)]
    foreground: bool,
    /// Append logs to this file instead of stderr
    #[arg(long, value_name = "FILE")]
    log_file: Option<PathBuf>,
    /// Seconds between safety-net reconciles (stat-only walk of the tree)
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    reconcile_interval: u64,
    /// Milliseconds to gather file events before re-reading
    #[arg(long, value_name = "MS", default_value_t = 50)]
    debounce_ms: u64,
    /// Milliseconds between progress reports of a running `build`
    #[arg(long, value_name = "MS", default_value_t = 200)]
    progress_ms: u64,
    /// Do not read or write the warm-start cache ($CODEXD_CACHE_DIR, else ~/.cache/codexd)
    #[arg(long)]
    no_cache: bool,
    /// A session used within this many days is "active"
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    active_days: u64,
}

fn init_logging(log_file: Option<&PathBuf>) -> Result<(), String> {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("CODEXD_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .unwrap_or_else(|| "info".to_owned());
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info"));
    // journald adds its own timestamps.
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    match log_file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open log file {}: {e}", path.display()))?;
            builder
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .init();
        }
        None if journald => builder
            .without_time()
            .with_ansi(false)
            .with_writer(std::io::stderr)
            .init(),
        None => {
            use std::io::IsTerminal;
            builder
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(std::io::stderr)
                .init()
        }
    }
    Ok(())
}

/// jemalloc instead of the system allocator. A daemon that streams gigabytes of rollouts
/// through parse buffers and keeps a few tens of MB is the worst case for glibc: its arenas
/// ended up holding 2× the live heap (scan garbage interleaved with long-lived records), and
/// `malloc_trim` could not give back partly used pages. jemalloc's size-class slabs and
/// time-based purging keep RSS close to the live heap, and it scans faster (measured in
/// BENCHMARKS.md).
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Allocator options, read by jemalloc before `main` (override at run time with
/// `_RJEM_MALLOC_CONF`):
/// - `background_thread` + `dirty_decay_ms:1000`: a helper thread returns freed pages to the
///   OS about a second after a scan, without any call from us, and sleeps while idle;
/// - `muzzy_decay_ms:0`: purged pages are released at once instead of lazily;
/// - `narenas:1`: two cores and one hot mutex (the engine) do not need per-CPU arenas;
/// - `tcache:false`: idle tokio and scan threads would otherwise each sit on cached objects
///   that no purge reaches (~4 MB at 10k sessions); scanning is still faster than with glibc.
// SAFETY: jemalloc reads this symbol as a `const char *`; the array is NUL-terminated and
// immutable, and no other object defines the name.
#[cfg(unix)]
#[allow(unsafe_code)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &[u8; JEMALLOC_CONF.len()] = match JEMALLOC_CONF.first_chunk() {
    Some(conf) => conf,
    None => unreachable!(),
};
const JEMALLOC_CONF: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,\
narenas:1,tcache:false\0";

fn main() -> ExitCode {
    let args = Args::parse();
    let _ = args.foreground;
    if let Err(e) = init_logging(args.log_file.as_ref()) {
        eprintln!("codexd: {e}");
        return ExitCode::from(1);
    }
    let codex_home = codexd_core::paths::resolve_codex_home(args.codex_home.as_deref());
    let mut config = Config::for_home(codex_home.clone());
    if !args.no_cache {
        config.cache = codexd_core::cache::default_path(&codex_home);
    }
    config.socket = codexd_proto::socket::resolve_socket_path(args.socket.as_deref());
    if let Some(r) = args.registry {
        config.registry = r;
    }
    config.reconcile_interval = Duration::from_secs(args.reconcile_interval.max(1));
    config.debounce = Duration::from_millis(args.debounce_ms);
    config.progress_every = Duration::from_millis(args.progress_ms);
    config.policy = StatusPolicy {
        active_window_ms: (args.active_days as i64).saturating_mul(86_400_000),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("codexd: cannot start runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(codexd::daemon::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("codexd: {e}");
            ExitCode::from(1)
        }
    }
}
