//! Single instance: an exclusive lock on `codexd.lock` next to the socket, held for the
//! daemon's life, with the holder's pid inside (watchman's ProcessLock, atuin's PidfileGuard).
//!
//! Only the lock holder may remove a stale socket. The lock dies with the process, so a
//! `kill -9` never leaves a daemon-less lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("codexd already running (pid {pid})")]
    Held { pid: String },
    #[error("cannot open lock file {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Held for as long as this value lives.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    pub path: PathBuf,
}

impl InstanceLock {
    pub fn acquire(path: &Path) -> Result<InstanceLock, LockError> {
        let io_err = |source| LockError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(LockError::Held {
                    pid: if pid.is_empty() {
                        "unknown".to_owned()
                    } else {
                        pid.to_owned()
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        file.set_len(0).map_err(io_err)?;
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        writeln!(file, "{}", std::process::id()).map_err(io_err)?;
        let _ = file.sync_all();
        Ok(InstanceLock {
            _file: file,
            path: path.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("codexd.lock");
        let first = InstanceLock::acquire(&p).unwrap();
        let err = InstanceLock::acquire(&p).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("codexd already running (pid {})", std::process::id())
        );
        drop(first);
        InstanceLock::acquire(&p).unwrap();
    }
}
