//! `codexd`: thin entry point — flags, logging, run. The work is in the `codexd` library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use codexd::engine::Config;
use codexd::table::StatusPolicy;

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

/// Keep glibc from hoarding: buffers of 1 MiB and more are mmapped (so returned on free) and
/// the heap top is trimmed eagerly. Scanning streams gigabytes through per-file buffers;
/// with the default dynamic thresholds those land in the heap and stay resident.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator parameters; called before any thread starts.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let args = Args::parse();
    let _ = args.foreground;
    if let Err(e) = init_logging(args.log_file.as_ref()) {
        eprintln!("codexd: {e}");
        return ExitCode::from(1);
    }
    let codex_home = codexd::paths::resolve_codex_home(args.codex_home.as_deref());
    let mut config = Config::for_home(codex_home.clone());
    if !args.no_cache {
        config.cache = codexd::cache::default_path(&codex_home);
    }
    config.socket = codexd_proto::socket::resolve_socket_path(args.socket.as_deref());
    if let Some(r) = args.registry {
        config.registry = r;
    }
    config.reconcile_interval = Duration::from_secs(args.reconcile_interval.max(1));
    config.debounce = Duration::from_millis(args.debounce_ms);
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
