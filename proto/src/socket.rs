//! Where the daemon's socket lives, shared so both sides agree without talking.
//!
//! Resolution order: `--socket` / `$CODEXD_SOCKET`;
//! `$XDG_RUNTIME_DIR/codexd/codexd.sock`; `$TMPDIR/codexd-$UID/codexd.sock` on macOS;
//! `/tmp/codexd-$UID/codexd.sock` elsewhere. The directory (not the socket) is the security
//! boundary: the daemon creates it 0700 and refuses one it does not own.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that overrides the socket path.
pub const SOCKET_ENV: &str = "CODEXD_SOCKET";
/// File name of the socket inside its directory.
pub const SOCKET_NAME: &str = "codexd.sock";
/// File name of the single-instance lock, next to the socket.
pub const LOCK_NAME: &str = "codexd.lock";
/// `sun_path` is 104 bytes on macOS (108 on Linux); keep under the smaller so paths port.
pub const MAX_SOCKET_PATH: usize = 103;

/// The effective uid, used to name the fallback directory.
pub fn current_uid() -> u32 {
    // SAFETY-free: getuid cannot fail and has no preconditions; libc exposes it as safe-to-call
    // extern fn, but it is still `unsafe` to call through FFI.
    #[allow(unsafe_code)]
    unsafe {
        libc::getuid()
    }
}

/// Resolve the socket path from an explicit flag value and the environment.
pub fn resolve_socket_path(explicit: Option<&Path>) -> PathBuf {
    resolve_with(
        explicit,
        std::env::var_os(SOCKET_ENV),
        std::env::var_os("XDG_RUNTIME_DIR"),
        std::env::var_os("TMPDIR"),
        current_uid(),
    )
}

fn non_empty(v: Option<OsString>) -> Option<PathBuf> {
    v.filter(|s| !s.is_empty()).map(PathBuf::from)
}

fn resolve_with(
    explicit: Option<&Path>,
    env_socket: Option<OsString>,
    xdg_runtime: Option<OsString>,
    tmpdir: Option<OsString>,
    uid: u32,
) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = non_empty(env_socket) {
        return p;
    }
    // XDG_RUNTIME_DIR must be absolute to be trusted (the spec says to ignore relative ones).
    if let Some(dir) = non_empty(xdg_runtime).filter(|d| d.is_absolute()) {
        return dir.join("codexd").join(SOCKET_NAME);
    }
    let base = if cfg!(target_os = "macos") {
        non_empty(tmpdir)
            .filter(|d| d.is_absolute())
            .unwrap_or_else(|| PathBuf::from("/tmp"))
    } else {
        let _ = tmpdir;
        PathBuf::from("/tmp")
    };
    base.join(format!("codexd-{uid}")).join(SOCKET_NAME)
}

/// The lock file that belongs to a socket path.
pub fn lock_path_for(socket: &Path) -> PathBuf {
    socket.with_file_name(LOCK_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_order() {
        let p = resolve_with(
            Some(Path::new("/x/s.sock")),
            Some("/env.sock".into()),
            None,
            None,
            1,
        );
        assert_eq!(p, PathBuf::from("/x/s.sock"));
        let p = resolve_with(
            None,
            Some("/env.sock".into()),
            Some("/run/u".into()),
            None,
            1,
        );
        assert_eq!(p, PathBuf::from("/env.sock"));
        let p = resolve_with(None, Some("".into()), Some("/run/user/7".into()), None, 7);
        assert_eq!(p, PathBuf::from("/run/user/7/codexd/codexd.sock"));
        let p = resolve_with(None, None, Some("relative".into()), None, 7);
        assert!(p.ends_with("codexd-7/codexd.sock"), "{p:?}");
    }

    #[test]
    fn lock_next_to_socket() {
        assert_eq!(
            lock_path_for(Path::new("/a/b/codexd.sock")),
            PathBuf::from("/a/b/codexd.lock")
        );
    }
}
