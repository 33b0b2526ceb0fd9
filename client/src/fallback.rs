//! Answering without a daemon: scan `$CODEX_HOME` in-process with the `codexd` library and run
//! the same command code the daemon runs. Registry writes happen only if this process can take
//! the daemon's single-instance lock (so it never races a live but unreachable daemon).

use std::path::Path;

use codexd_core::engine::{Config, Engine, Shared, Stage, WatchState};
use codexd_core::lock::InstanceLock;
use codexd_proto::{Request, Response};

pub fn answer(codex_home: Option<&Path>, socket: &Path, request: Request) -> Response {
    let home = codexd_core::paths::resolve_codex_home(codex_home);
    let mut config = Config::for_home(home.clone());
    config.socket = socket.to_owned();
    if let Some(r) = std::env::var_os("CODEXD_REGISTRY").filter(|v| !v.is_empty()) {
        config.registry = r.into();
    }
    let registry_missing = !config.registry.exists();
    // Take the daemon's lock only when this request must write the registry, and only for
    // this request: holding it longer could make a daemon that is starting right now fail.
    let writes = registry_missing
        || matches!(&request, Request::Build(_) | Request::SetStatus(_))
        || matches!(&request, Request::Cleanup(p) if !p.dry_run);
    let lock = writes
        .then(|| codexd_core::paths::secure_socket_dir(socket).ok())
        .flatten()
        .and_then(|_| InstanceLock::acquire(&codexd_proto::socket::lock_path_for(socket)).ok());
    config.write_registry = lock.is_some();
    let shared = scan(config);
    // The original command built the registry on first use; so do we, when allowed.
    if registry_missing && lock.is_some() && home.is_dir() {
        let _ = shared.save_registry();
    }
    let mut response = codexd_core::commands::dispatch(&shared, 1, request);
    if !home.is_dir() {
        response.warnings.push(format!(
            "{} does not exist (set CODEX_HOME or --codex-home)",
            home.display()
        ));
    }
    drop(lock);
    response
}

/// A read-only engine over a direct scan of the home, for many requests in a row (the
/// picker). It never writes the registry; a write goes through [`answer`].
pub fn engine(codex_home: Option<&Path>, socket: &Path) -> Shared {
    let home = codexd_core::paths::resolve_codex_home(codex_home);
    let mut config = Config::for_home(home);
    config.socket = socket.to_owned();
    if let Some(r) = std::env::var_os("CODEXD_REGISTRY").filter(|v| !v.is_empty()) {
        config.registry = r.into();
    }
    config.write_registry = false;
    scan(config)
}

fn scan(config: Config) -> Shared {
    // Read the registry without "repairing" it: moving a corrupt file aside is the daemon's job.
    let user = std::fs::read(&config.registry)
        .ok()
        .and_then(|b| codexd_core::registry::parse(&b))
        .map(|(u, _)| u)
        .unwrap_or_default();
    let mut engine = Engine::new(config);
    engine.set_user_states(user);
    let shared = Shared::new(engine);
    shared.set_watcher(WatchState::DirectScan);
    shared.full_reconcile(false);
    shared.set_stage(Stage::DirectScan);
    shared
}
