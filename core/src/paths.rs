//! Resolving `CODEX_HOME` and securing the socket directory.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Errors about the socket directory, each naming the fix.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    #[error("cannot create socket directory {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error(
        "socket directory {path} is a symlink; refusing it (remove it, or pass --socket in a directory you own)"
    )]
    Symlink { path: PathBuf },
    #[error("socket directory {path} is not a directory")]
    NotDir { path: PathBuf },
    #[error(
        "socket directory {path} is owned by uid {owner}, not you (uid {me}); refusing it (use --socket or $CODEXD_SOCKET elsewhere)"
    )]
    Owner { path: PathBuf, owner: u32, me: u32 },
    #[error(
        "socket directory {path} has mode {mode:o}; other users could reach the socket. Fix: chmod 700 '{path}'"
    )]
    Mode { path: PathBuf, mode: u32 },
    #[error("socket path {path} is {len} bytes; the limit is {max} (use a shorter --socket)")]
    TooLong {
        path: PathBuf,
        len: usize,
        max: usize,
    },
}

/// `--codex-home`, else `$CODEX_HOME` (non-empty), else `~/.codex`; canonicalised when it
/// exists (Codex canonicalises it too, and watcher events carry canonical paths).
pub fn resolve_codex_home(explicit: Option<&Path>) -> PathBuf {
    let raw = explicit
        .map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("CODEX_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| {
            directories::BaseDirs::new()
                .map(|b| b.home_dir().join(".codex"))
                .unwrap_or_else(|| PathBuf::from(".codex"))
        });
    fs::canonicalize(&raw).unwrap_or(raw)
}

/// Create the socket's directory 0700 if needed, then insist it is a real directory we own
/// that nobody else can enter (the directory is the boundary).
pub fn secure_socket_dir(socket: &Path) -> Result<(), DirError> {
    let len = socket.as_os_str().len();
    if len > codexd_proto::socket::MAX_SOCKET_PATH {
        return Err(DirError::TooLong {
            path: socket.to_owned(),
            len,
            max: codexd_proto::socket::MAX_SOCKET_PATH,
        });
    }
    let dir = socket
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(DirError::Create {
                path: dir.to_owned(),
                source,
            });
        }
    }
    let meta = fs::symlink_metadata(dir).map_err(|source| DirError::Create {
        path: dir.to_owned(),
        source,
    })?;
    if meta.file_type().is_symlink() {
        return Err(DirError::Symlink {
            path: dir.to_owned(),
        });
    }
    if !meta.is_dir() {
        return Err(DirError::NotDir {
            path: dir.to_owned(),
        });
    }
    let me = codexd_proto::socket::current_uid();
    if meta.uid() != me {
        return Err(DirError::Owner {
            path: dir.to_owned(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(DirError::Mode {
            path: dir.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_private_dir_and_refuses_open_or_symlinked_ones() {
        let base = tempfile::tempdir().unwrap();
        let sock = base.path().join("a/b/codexd.sock");
        secure_socket_dir(&sock).unwrap();
        let mode = fs::metadata(base.path().join("a/b"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);

        let open = base.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o755)).unwrap();
        let err = secure_socket_dir(&open.join("s.sock")).unwrap_err();
        assert!(err.to_string().contains("chmod 700"), "{err}");

        let link = base.path().join("link");
        std::os::unix::fs::symlink(base.path().join("a"), &link).unwrap();
        assert!(matches!(
            secure_socket_dir(&link.join("s.sock")),
            Err(DirError::Symlink { .. })
        ));

        let long = base.path().join("x".repeat(120)).join("s.sock");
        assert!(matches!(
            secure_socket_dir(&long),
            Err(DirError::TooLong { .. })
        ));
    }
}
