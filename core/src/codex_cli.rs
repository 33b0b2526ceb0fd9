//! The `codex` on `PATH`: which release it is, and the command lines that release accepts.
//!
//! codexd prints `codex …` commands (`show`'s `resume_command`, `route`'s `command`). They must
//! run on the release the person has installed, and releases differ (established by running
//! them, see `docs/codex-releases.md`):
//!
//! | release | continue a session non-interactively |
//! | --- | --- |
//! | < 0.36 | no `exec resume`: `codex exec -c experimental_resume="<rollout path>" <prompt>` (0.20 appends to the same file) |
//! | 0.36 – 0.100 | `codex exec [-C dir] resume <uuid> <prompt>` (`-` reads stdin) |
//! | ≥ 0.101 | the same, and `resume` also takes a thread name |
//!
//! `-C/--cd` and `--skip-git-repo-check` are `exec` options in every release from 0.20 on.
//!
//! Detection is cheap: an npm install is recognised by its `bin/codex.js` and the version read
//! from the package's `package.json` (no process is started); any other `codex` is asked
//! `--version` once, and the answer cached under the cache directory keyed by the binary's
//! path, size and mtime.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The detected `codex`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodexCli {
    /// The executable found on `PATH` (symlinks resolved).
    pub path: PathBuf,
    /// `0.171.0`, when it could be told.
    pub version: Option<String>,
}

impl CodexCli {
    /// `(major, minor, patch)` of [`CodexCli::version`].
    pub fn triple(&self) -> Option<(u64, u64, u64)> {
        self.version.as_deref().and_then(parse_version)
    }
}

/// `0.148.0-alpha.8` → `(0, 148, 0)`.
pub fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.trim().split(['-', '+', ' ']).next()?;
    let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// The first release with `codex exec resume`.
pub const EXEC_RESUME_SINCE: (u64, u64, u64) = (0, 36, 0);

/// Finds `codex` on `path_env` (a `PATH` value) and tells its version, using and updating the
/// cache file `cache` when a process has to be asked.
pub fn detect(path_env: Option<&OsStr>, cache: Option<&Path>) -> Option<CodexCli> {
    let found = std::env::split_paths(path_env?)
        .map(|d| d.join("codex"))
        .find(|p| is_executable(p))?;
    let real = std::fs::canonicalize(&found).unwrap_or(found);
    if let Some(v) = npm_version(&real) {
        return Some(CodexCli {
            path: real,
            version: Some(v),
        });
    }
    let meta = std::fs::metadata(&real).ok()?;
    let key = CacheKey {
        path: real.clone(),
        len: meta.len(),
        mtime_ns: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos()),
    };
    if let Some(hit) = cache.and_then(|c| read_cache(c, &key)) {
        return Some(CodexCli {
            path: real,
            version: hit,
        });
    }
    let version = ask_version(&real);
    if let Some(c) = cache {
        write_cache(c, &key, version.as_deref());
    }
    Some(CodexCli {
        path: real,
        version,
    })
}

/// The cache file under codexd's cache directory (`$CODEXD_CACHE_DIR` or the platform's).
pub fn default_cache() -> Option<PathBuf> {
    std::env::var_os("CODEXD_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("dev", "codexd", "codexd")
                .map(|d| d.cache_dir().to_path_buf())
        })
        .map(|d| d.join("codex-cli.json"))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `…/node_modules/@openai/codex/bin/codex.js` → the version in `…/@openai/codex/package.json`.
fn npm_version(real: &Path) -> Option<String> {
    if real.file_name()? != "codex.js" {
        return None;
    }
    let pkg = real.parent()?.parent()?.join("package.json");
    let text = std::fs::read_to_string(pkg).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    if json.get("name")?.as_str()? != "@openai/codex" {
        return None;
    }
    Some(json.get("version")?.as_str()?.to_owned())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct CacheKey {
    path: PathBuf,
    len: u64,
    mtime_ns: u128,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    entries: Vec<(CacheKey, Option<String>)>,
}

fn read_cache(file: &Path, key: &CacheKey) -> Option<Option<String>> {
    let text = std::fs::read_to_string(file).ok()?;
    let c: CacheFile = serde_json::from_str(&text).ok()?;
    c.entries
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn write_cache(file: &Path, key: &CacheKey, version: Option<&str>) {
    let mut c: CacheFile = std::fs::read_to_string(file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    c.entries.retain(|(k, _)| k.path != key.path);
    c.entries.push((key.clone(), version.map(str::to_owned)));
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Atomic: a reader never sees half a file. A failure only costs another `--version`.
    if let Ok(tmp) = tempfile::NamedTempFile::new_in(dir)
        && serde_json::to_writer(&tmp, &c).is_ok()
    {
        let _ = tmp.persist(file);
    }
}

/// `codex --version` (`codex-cli 0.171.0`), at most 3 s.
fn ask_version(bin: &Path) -> Option<String> {
    let text = output(bin, &["--version"], Duration::from_secs(3))?;
    text.split_whitespace()
        .find(|w| parse_version(w).is_some())
        .map(str::to_owned)
}

/// What `bin args…` prints on stdout, if it exits within `timeout` (else it is killed).
/// Stdout is read while the program runs, so a long `--help` cannot fill the pipe and stall it.
pub fn output(bin: &Path, args: &[&str], timeout: Duration) -> Option<String> {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut out = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    reader.join().ok()
}

/// What to print to continue session `id` with `prompt` (already shell-quoted, or `-` for
/// stdin) on `release` (`None`: unknown, assume a current one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub command: String,
    /// Why the command differs from the usual form, or why it may not work.
    pub note: Option<String>,
}

/// The non-interactive continuation of a session, in the form `release` accepts.
///
/// `rollout` is the session's current rollout file (needed before 0.36); `in_git` whether the
/// session ran inside a git repository (else `--skip-git-repo-check`, which `exec` needs
/// outside one; also added when `cwd` is unknown).
pub fn resume_exec(
    release: Option<(u64, u64, u64)>,
    cwd: Option<&str>,
    id: &str,
    rollout: Option<&str>,
    in_git: bool,
    prompt: &str,
) -> Printed {
    let mut opts = String::new();
    // Outside a git repository `exec` refuses to start without it; so does a session whose
    // directory is unknown (0.20 records none), run from wherever the person is.
    if !in_git || cwd.is_none() {
        opts.push_str("--skip-git-repo-check ");
    }
    if let Some(d) = cwd {
        opts.push_str(&format!("-C {} ", codexd_proto::shell::quote(d)));
    }
    match release {
        Some(v) if v < EXEC_RESUME_SINCE => match rollout {
            Some(path) => {
                let cfg = format!("experimental_resume=\"{path}\"");
                Printed {
                    command: format!(
                        "codex exec {opts}-c {} {prompt}",
                        codexd_proto::shell::quote(&cfg)
                    ),
                    note: Some(format!(
                        "codex {}.{}.{} has no `exec resume` (it arrived in 0.36.0): this continues the session through its rollout file",
                        v.0, v.1, v.2
                    )),
                }
            }
            None => Printed {
                command: format!("codex exec {opts}resume {id} {prompt}"),
                note: Some(format!(
                    "codex {}.{}.{} has no `exec resume` (it arrived in 0.36.0) and the session's rollout file is unknown: upgrade codex (npm install -g @openai/codex)",
                    v.0, v.1, v.2
                )),
            },
        },
        _ => Printed {
            command: format!("codex exec {opts}resume {id} {prompt}"),
            note: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_by_release() {
        let p = resume_exec(Some((0, 171, 0)), Some("/w/a b"), "u1", None, true, "-");
        assert_eq!(p.command, "codex exec -C '/w/a b' resume u1 -");
        assert_eq!(p.note, None);
        let p = resume_exec(
            Some((0, 20, 0)),
            Some("/w"),
            "u1",
            Some("/h/r.jsonl"),
            false,
            "-",
        );
        assert_eq!(
            p.command,
            "codex exec --skip-git-repo-check -C /w -c 'experimental_resume=\"/h/r.jsonl\"' -"
        );
        assert!(p.note.unwrap().contains("0.36.0"));
        assert_eq!(parse_version("codex-cli"), None);
        assert_eq!(parse_version("0.148.0-alpha.8"), Some((0, 148, 0)));
    }

    #[test]
    fn npm_installs_are_read_without_running_them() {
        let d = tempfile::tempdir().unwrap();
        let pkg = d.path().join("node_modules/@openai/codex");
        std::fs::create_dir_all(pkg.join("bin")).unwrap();
        std::fs::write(
            pkg.join("package.json"),
            r#"{"name":"@openai/codex","version":"0.45.0"}"#,
        )
        .unwrap();
        // Not executable as a script here, so running it would fail: the version must come
        // from package.json.
        let js = pkg.join("bin/codex.js");
        std::fs::write(&js, "#!/bin/false\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&js, std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = d.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(&js, bin.join("codex")).unwrap();
        let found = detect(Some(bin.as_os_str()), None).unwrap();
        assert_eq!(found.version.as_deref(), Some("0.45.0"));
        assert_eq!(found.triple(), Some((0, 45, 0)));
    }

    #[test]
    fn other_binaries_are_asked_once_and_cached() {
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let counter = d.path().join("runs");
        let script = format!(
            "#!/bin/sh\necho x >> '{}'\necho 'codex-cli 0.101.0'\n",
            counter.display()
        );
        let exe = bin.join("codex");
        std::fs::write(&exe, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cache = d.path().join("cache/codex-cli.json");
        for _ in 0..3 {
            let found = detect(Some(bin.as_os_str()), Some(&cache)).unwrap();
            assert_eq!(found.version.as_deref(), Some("0.101.0"));
        }
        let runs = std::fs::read_to_string(&counter).unwrap();
        assert_eq!(runs.lines().count(), 1, "asked once, then cached");
    }
}
