//! Finding the paths to write into service files and slash commands.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

/// `$HOME`, if set to an absolute path.
pub fn home_dir() -> Option<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME")?);
    home.is_absolute().then_some(home)
}

fn is_executable_file(path: &Path) -> bool {
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn search_path(name: &str, path_var: Option<&OsStr>) -> impl Iterator<Item = PathBuf> {
    path_var
        .map(std::env::split_paths)
        .into_iter()
        .flatten()
        .filter(|dir| dir.is_absolute())
        .map(move |dir| dir.join(name))
        .filter(|candidate| is_executable_file(candidate))
}

/// The best path to record for the executable `exe` (for example `std::env::current_exe()`,
/// which on Linux is already resolved through symlinks).
///
/// If a `name` found on `path_var` (`$PATH`) is the same file as `exe`, that `PATH` entry is
/// returned: it is usually a stable symlink (`/opt/homebrew/bin/codexd`) while `exe` is a
/// versioned location that disappears on upgrade. Otherwise `exe` itself.
pub fn stable_exe_path(exe: &Path, name: &str, path_var: Option<&OsStr>) -> PathBuf {
    let Ok(resolved) = exe.canonicalize() else {
        return exe.to_owned();
    };
    search_path(name, path_var)
        .find(|candidate| candidate.canonicalize().is_ok_and(|c| c == resolved))
        .unwrap_or_else(|| exe.to_owned())
}

/// The `codexd` binary to put in the service file: the one installed next to the client
/// (`client_exe`'s directory), preferring a `PATH` entry for the same file
/// ([`stable_exe_path`]); else the first `codexd` on `path_var`; else `None`.
pub fn locate_codexd_bin(client_exe: &Path, path_var: Option<&OsStr>) -> Option<PathBuf> {
    let sibling = client_exe.parent().map(|dir| dir.join("codexd"));
    match sibling {
        Some(sibling) if is_executable_file(&sibling) => {
            Some(stable_exe_path(&sibling, "codexd", path_var))
        }
        _ => search_path("codexd", path_var).next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn make_exe(path: &Path) {
        fs::write(path, "#!/bin/sh\n").unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn prefers_path_symlink_to_same_file() {
        let tmp = tempfile::tempdir().unwrap();
        let cellar = tmp.path().join("Cellar/codexd/1.0/bin");
        let bin = tmp.path().join("bin");
        fs::create_dir_all(&cellar).unwrap();
        fs::create_dir_all(&bin).unwrap();
        make_exe(&cellar.join("codexd-client"));
        make_exe(&cellar.join("codexd"));
        symlink(cellar.join("codexd"), bin.join("codexd")).unwrap();
        let path_var = std::env::join_paths([&bin]).unwrap();

        let found = locate_codexd_bin(&cellar.join("codexd-client"), Some(&path_var));
        assert_eq!(found, Some(bin.join("codexd")));

        // A different codexd on PATH is not taken over the sibling.
        fs::remove_file(bin.join("codexd")).unwrap();
        make_exe(&bin.join("codexd"));
        let found = locate_codexd_bin(&cellar.join("codexd-client"), Some(&path_var));
        assert_eq!(found, Some(cellar.join("codexd")));

        // No sibling: fall back to PATH.
        fs::remove_file(cellar.join("codexd")).unwrap();
        let found = locate_codexd_bin(&cellar.join("codexd-client"), Some(&path_var));
        assert_eq!(found, Some(bin.join("codexd")));
        assert_eq!(locate_codexd_bin(&cellar.join("codexd-client"), None), None);
    }
}
