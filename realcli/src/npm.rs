//! Pinned npm releases of Codex and Claude Code, installed once into a cache that survives a
//! fresh clone of the repository.
//!
//! Layout: `${XDG_CACHE_HOME:-$HOME/.cache}/codexd-realcli/npm/<package>@<version>/` (a scoped
//! package such as `@openai/codex` gives `npm/@openai/codex@0.171.0/`), holding an ordinary npm
//! prefix: `node_modules/<package>/…` and the entry points in `node_modules/.bin/`.
//! `CODEXD_REALCLI_CACHE` overrides the `npm/` root (tests of this module use it).
//!
//! - **Once per release, never per test.** A release is installed into a temporary directory next
//!   to its final place and renamed into place, so a directory under that name is always a
//!   complete install. Concurrent installers (parallel tests, several test binaries) are
//!   serialised by an OS file lock on `<package>@<version>.lock` ([`std::fs::File::lock`]); the
//!   second one finds the finished install and returns at once.
//! - **Fails loudly.** When npm is missing, the registry cannot be reached or the install fails,
//!   the error says so and gives the command to run by hand; callers are expected to panic with
//!   it (a suite that cannot install the release it pins must fail, never skip).
//!
//! ```no_run
//! let codex = codexd_realcli::npm::codex("0.171.0").expect("install codex");
//! let status = std::process::Command::new(&codex).arg("--version").status().unwrap();
//! assert!(status.success());
//! ```

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm package of the Codex CLI.
pub const CODEX_PACKAGE: &str = "@openai/codex";
/// The npm package of the Claude Code CLI.
pub const CLAUDE_PACKAGE: &str = "@anthropic-ai/claude-code";

/// What can go wrong installing a release. Every message names the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The version is not an exact `MAJOR.MINOR.PATCH[-pre]` (ranges and tags are refused: the
    /// suites pin what they test).
    #[error(
        "'{version}' is not a pinned version of {package}: give an exact version such as 0.171.0"
    )]
    NotPinned { package: String, version: String },
    /// `npm` could not be started.
    #[error(
        "cannot run npm ({source}); install Node.js and npm (Debian: apt-get install -y nodejs npm), then run: {command}"
    )]
    NpmMissing {
        command: String,
        #[source]
        source: io::Error,
    },
    /// npm ran but could not reach the registry.
    #[error(
        "the npm registry was unreachable while installing {package}@{version}; check the network or the \
         npm registry setting (npm config get registry), then run: {command}\n--- npm said ---\n{output}"
    )]
    RegistryUnreachable {
        package: String,
        version: String,
        command: String,
        output: String,
    },
    /// npm ran and failed for another reason.
    #[error(
        "npm failed to install {package}@{version} ({status}); run it by hand to see why: {command}\n--- npm said ---\n{output}"
    )]
    InstallFailed {
        package: String,
        version: String,
        status: String,
        command: String,
        output: String,
    },
    /// The package installed but has no entry point of that name.
    #[error(
        "{package}@{version} is installed in {dir} but has no entry point '{bin}' in node_modules/.bin"
    )]
    NoEntryPoint {
        package: String,
        version: String,
        bin: String,
        dir: PathBuf,
    },
    /// Neither `XDG_CACHE_HOME` nor `HOME` is set.
    #[error("no cache directory: set HOME or XDG_CACHE_HOME (or CODEXD_REALCLI_CACHE)")]
    NoCacheDir,
    /// A filesystem step failed.
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// A release installed in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The npm package, e.g. `@openai/codex`.
    pub package: String,
    /// The exact version installed.
    pub version: String,
    /// The npm prefix: `…/codexd-realcli/npm/<package>@<version>`.
    pub dir: PathBuf,
    /// The package's own directory, `<dir>/node_modules/<package>`.
    pub package_dir: PathBuf,
    /// The entry point named after the package's first `bin`, in `<dir>/node_modules/.bin/`.
    pub bin: PathBuf,
    /// Whether this call ran npm (false: the release was already in the cache).
    pub fresh: bool,
}

impl Installed {
    /// The entry point called `name` (for packages with several `bin`s).
    pub fn bin_named(&self, name: &str) -> Result<PathBuf> {
        let path = self.dir.join("node_modules").join(".bin").join(name);
        if path.exists() {
            Ok(path)
        } else {
            Err(Error::NoEntryPoint {
                package: self.package.clone(),
                version: self.version.clone(),
                bin: name.to_owned(),
                dir: self.dir.clone(),
            })
        }
    }
}

/// The `codex` entry point of `@openai/codex@<version>`, installed on first use.
pub fn codex(version: &str) -> Result<PathBuf> {
    install(CODEX_PACKAGE, version)?.bin_named("codex")
}

/// The `claude` entry point of `@anthropic-ai/claude-code@<version>`, installed on first use.
pub fn claude(version: &str) -> Result<PathBuf> {
    install(CLAUDE_PACKAGE, version)?.bin_named("claude")
}

/// The root of the npm cache: `CODEXD_REALCLI_CACHE`, else
/// `${XDG_CACHE_HOME:-$HOME/.cache}/codexd-realcli/npm`.
pub fn cache_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CODEXD_REALCLI_CACHE").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => PathBuf::from(home).join(".cache"),
            None => return Err(Error::NoCacheDir),
        },
    };
    Ok(base.join("codexd-realcli").join("npm"))
}

/// Where `package@version` lives (or will live) in the cache.
pub fn install_dir(package: &str, version: &str) -> Result<PathBuf> {
    Ok(cache_root()?.join(format!("{package}@{version}")))
}

/// Installs `package@version` into the cache unless it is there already, and returns it.
///
/// Safe to call from many tests and processes at once: one installs, the others wait on the lock
/// and then find the release in place.
pub fn install(package: &str, version: &str) -> Result<Installed> {
    if !is_pinned(version) {
        return Err(Error::NotPinned {
            package: package.to_owned(),
            version: version.to_owned(),
        });
    }
    let dir = install_dir(package, version)?;
    let parent = dir
        .parent()
        .expect("install dir has a parent")
        .to_path_buf();
    fs::create_dir_all(&parent).map_err(io_err("create", &parent))?;

    let mut fresh = false;
    if !dir.is_dir() {
        let lock_path = parent.join(format!("{}.lock", leaf(&dir)));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err("open", &lock_path))?;
        lock.lock().map_err(io_err("lock", &lock_path))?;
        // Another installer may have finished while we waited.
        if !dir.is_dir() {
            run_npm(package, version, &dir, &parent)?;
            fresh = true;
        }
        drop(lock);
    }
    finish(package, version, dir, fresh)
}

fn finish(package: &str, version: &str, dir: PathBuf, fresh: bool) -> Result<Installed> {
    let package_dir = dir.join("node_modules").join(package);
    let manifest = package_dir.join("package.json");
    let text = fs::read_to_string(&manifest).map_err(io_err("read", &manifest))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Io {
        what: "parse",
        path: manifest.clone(),
        source: io::Error::new(io::ErrorKind::InvalidData, e),
    })?;
    let bin_name = match json.get("bin") {
        Some(serde_json::Value::Object(map)) => map.keys().next().cloned(),
        // A string `bin` is named after the package's last path segment.
        Some(serde_json::Value::String(_)) => package.rsplit('/').next().map(str::to_owned),
        _ => None,
    };
    let no_entry = |bin: String| Error::NoEntryPoint {
        package: package.to_owned(),
        version: version.to_owned(),
        bin,
        dir: dir.clone(),
    };
    let bin_name = bin_name.ok_or_else(|| no_entry("(none in package.json)".to_owned()))?;
    let bin = dir.join("node_modules").join(".bin").join(&bin_name);
    if !bin.exists() {
        return Err(no_entry(bin_name));
    }
    Ok(Installed {
        package: package.to_owned(),
        version: version.to_owned(),
        package_dir,
        bin,
        dir,
        fresh,
    })
}

/// The command a person would run to install the release by hand.
fn manual_command(package: &str, version: &str, dir: &Path) -> String {
    format!(
        "npm install --prefix '{}' --no-save --no-audit --no-fund '{package}@{version}'",
        dir.display()
    )
}

fn run_npm(package: &str, version: &str, dir: &Path, parent: &Path) -> Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".tmp-{}-", leaf(dir)))
        .tempdir_in(parent)
        .map_err(io_err("create a temporary directory in", parent))?;
    // A package.json of its own keeps npm from walking up to some enclosing project.
    let manifest = tmp.path().join("package.json");
    fs::write(
        &manifest,
        "{\"name\":\"codexd-realcli-install\",\"private\":true}\n",
    )
    .map_err(io_err("write", &manifest))?;
    let command = manual_command(package, version, dir);
    let output = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(tmp.path())
        .args([
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--no-package-lock",
            "--loglevel=error",
        ])
        .arg(format!("{package}@{version}"))
        .env("npm_config_update_notifier", "false")
        .current_dir(tmp.path())
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|source| Error::NpmMissing {
            command: command.clone(),
            source,
        })?;
    if !output.status.success() {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let said = tail(&said, 4000);
        return Err(if looks_unreachable(&said) {
            Error::RegistryUnreachable {
                package: package.to_owned(),
                version: version.to_owned(),
                command,
                output: said,
            }
        } else {
            Error::InstallFailed {
                package: package.to_owned(),
                version: version.to_owned(),
                status: output.status.to_string(),
                command,
                output: said,
            }
        });
    }
    // `manifest` stays: it is harmless and documents what the directory is.
    let staged = tmp.keep();
    match fs::rename(&staged, dir) {
        Ok(()) => Ok(()),
        // Someone without our lock (a person running npm by hand) got there first.
        Err(_) if dir.is_dir() => {
            let _ = fs::remove_dir_all(&staged);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staged);
            Err(Error::Io {
                what: "rename the staged install into",
                path: dir.to_path_buf(),
                source: e,
            })
        }
    }
}

/// npm's words for "could not talk to the registry".
fn looks_unreachable(output: &str) -> bool {
    [
        "ENOTFOUND",
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "EAI_AGAIN",
        "ENETUNREACH",
        "EHOSTUNREACH",
        "network",
        "socket hang up",
    ]
    .iter()
    .any(|w| output.contains(w))
}

/// `MAJOR.MINOR.PATCH` with an optional `-prerelease`, nothing else.
fn is_pinned(version: &str) -> bool {
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && pre.is_none_or(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        })
}

fn leaf(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn tail(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.trim_end().to_owned();
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", text[start..].trim_end())
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> Error + 'a {
    move |source| Error::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that only need a file system: an install already in the cache is found without npm.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_must_be_pinned() {
        assert!(is_pinned("0.171.0"));
        assert!(is_pinned("0.148.0-alpha.8"));
        for bad in [
            "latest",
            "^0.1.0",
            "0.1",
            "0.1.x",
            "",
            "0.1.0-",
            "1.2.3 || 2",
        ] {
            assert!(!is_pinned(bad), "{bad}");
        }
    }

    #[test]
    fn unreachable_is_recognised() {
        assert!(looks_unreachable(
            "npm error code ENOTFOUND\nnpm error request to https://… failed"
        ));
        assert!(!looks_unreachable(
            "npm error code ETARGET\nNo matching version"
        ));
    }

    #[test]
    fn finds_a_cached_install() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("@scope/tool@1.2.3");
        let pkg = dir.join("node_modules/@scope/tool");
        fs::create_dir_all(&pkg).unwrap();
        fs::write(
            pkg.join("package.json"),
            r#"{"bin":{"tool":"bin/tool.js"}}"#,
        )
        .unwrap();
        fs::create_dir_all(dir.join("node_modules/.bin")).unwrap();
        fs::write(dir.join("node_modules/.bin/tool"), "").unwrap();
        let found = finish("@scope/tool", "1.2.3", dir.clone(), false).unwrap();
        assert_eq!(found.bin, dir.join("node_modules/.bin/tool"));
        assert!(!found.fresh);
        assert!(matches!(
            found.bin_named("other"),
            Err(Error::NoEntryPoint { .. })
        ));
    }
}
