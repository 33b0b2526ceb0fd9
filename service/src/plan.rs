//! A [`Plan`] is everything an install or uninstall does, as data: files to write, files to
//! remove, commands to run. `--dry-run` prints it; [`Plan::apply`] carries it out.

use std::fmt;
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::MANAGED_MARKER;
use crate::render::{shell_join, shell_quote};

/// A file the plan writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Absolute destination.
    pub path: PathBuf,
    /// Full contents (always ends with a newline).
    pub contents: String,
    /// Permission bits, e.g. `0o644`.
    pub mode: u32,
}

/// What an install or uninstall does.
///
/// [`Plan::apply`] runs the steps in this order:
/// 1. `pre_commands`, best effort: a failure is reported and ignored (for example
///    `launchctl bootout` of an agent that is not loaded);
/// 2. `files` are written (only when their contents or mode differ);
/// 3. `removals` are deleted (a missing file is fine);
/// 4. `commands`, which must succeed: after the first failure the rest are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub files: Vec<PlannedFile>,
    /// argv lists run after writing and removing files; each must succeed.
    pub commands: Vec<Vec<String>>,
    pub removals: Vec<PathBuf>,
    /// argv lists run first; failures are reported but do not stop the plan.
    pub pre_commands: Vec<Vec<String>>,
}

/// Runs one command of a plan. [`SystemRunner`] runs it for real; tests use
/// [`RecordingRunner`] so files can be applied without touching systemctl or launchctl.
pub trait CommandRunner {
    /// `Ok(output)` when the command succeeded, `Err(message)` otherwise. Both strings are
    /// for the user (trimmed stdout and stderr; the exit status on failure).
    fn run(&mut self, argv: &[String]) -> Result<String, String>;
}

/// Runs commands with [`std::process::Command`], stdin from /dev/null, output captured.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRunner;

impl CommandRunner for SystemRunner {
    fn run(&mut self, argv: &[String]) -> Result<String, String> {
        let Some((program, args)) = argv.split_first() else {
            return Err("empty command".to_owned());
        };
        let output = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => format!("{program}: command not found"),
                _ => format!("{program}: {e}"),
            })?;
        let mut text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        if !stderr.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(stderr);
        }
        if output.status.success() {
            Ok(text)
        } else if text.is_empty() {
            Err(output.status.to_string())
        } else {
            Err(format!("{}: {text}", output.status))
        }
    }
}

/// Records commands instead of running them; every command succeeds unless its argv is in
/// `fail`.
#[derive(Debug, Default, Clone)]
pub struct RecordingRunner {
    pub ran: Vec<Vec<String>>,
    pub fail: Vec<Vec<String>>,
}

impl CommandRunner for RecordingRunner {
    fn run(&mut self, argv: &[String]) -> Result<String, String> {
        self.ran.push(argv.to_vec());
        if self.fail.iter().any(|f| f == argv) {
            Err("exit status: 1: simulated failure".to_owned())
        } else {
            Ok(String::new())
        }
    }
}

/// What happened to one planned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Created,
    /// Same contents and mode: nothing written.
    Unchanged,
    /// Same contents, permission bits corrected.
    ModeFixed,
    /// Contents replaced. A previous file that codexd did not generate is kept as `backup`.
    Updated {
        backup: Option<PathBuf>,
    },
}

/// One step of an applied plan, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    File {
        path: PathBuf,
        outcome: FileOutcome,
    },
    Removed(PathBuf),
    AlreadyAbsent(PathBuf),
    Ran {
        argv: Vec<String>,
        output: String,
    },
    /// A command failed. `ignored` for best-effort `pre_commands`.
    Failed {
        argv: Vec<String>,
        error: String,
        ignored: bool,
    },
    /// Not run because an earlier required command failed.
    Skipped {
        argv: Vec<String>,
    },
}

/// What [`Plan::apply`] did. `Display` prints one line per step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub steps: Vec<Step>,
}

impl ApplyReport {
    /// False when a required command failed (and later ones were skipped).
    pub fn success(&self) -> bool {
        !self
            .steps
            .iter()
            .any(|s| matches!(s, Step::Failed { ignored: false, .. }))
    }

    /// The first required command that failed, with its error, for an error message.
    pub fn first_failure(&self) -> Option<(&[String], &str)> {
        self.steps.iter().find_map(|s| match s {
            Step::Failed {
                argv,
                error,
                ignored: false,
            } => Some((argv.as_slice(), error.as_str())),
            _ => None,
        })
    }

    /// Outcome of the file written to `path`, if the plan wrote it.
    pub fn file_outcome(&self, path: &Path) -> Option<&FileOutcome> {
        self.steps.iter().find_map(|s| match s {
            Step::File { path: p, outcome } if p == path => Some(outcome),
            _ => None,
        })
    }
}

impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.steps {
            match step {
                Step::File { path, outcome } => {
                    let path = path.display();
                    match outcome {
                        FileOutcome::Created => writeln!(f, "created    {path}")?,
                        FileOutcome::Unchanged => writeln!(f, "unchanged  {path}")?,
                        FileOutcome::ModeFixed => writeln!(f, "chmod      {path}")?,
                        FileOutcome::Updated { backup: None } => {
                            writeln!(f, "updated    {path}")?;
                        }
                        FileOutcome::Updated {
                            backup: Some(backup),
                        } => writeln!(
                            f,
                            "updated    {path} (previous file kept as {})",
                            backup.display()
                        )?,
                    }
                }
                Step::Removed(path) => writeln!(f, "removed    {}", path.display())?,
                Step::AlreadyAbsent(path) => {
                    writeln!(f, "absent     {} (nothing to remove)", path.display())?;
                }
                Step::Ran { argv, output } => {
                    writeln!(f, "ran        {}", shell_join(argv))?;
                    write_indented(f, output)?;
                }
                Step::Failed {
                    argv,
                    error,
                    ignored,
                } => {
                    let label = if *ignored { "ignored   " } else { "FAILED    " };
                    writeln!(f, "{label} {}", shell_join(argv))?;
                    write_indented(f, error)?;
                }
                Step::Skipped { argv } => {
                    writeln!(
                        f,
                        "skipped    {} (an earlier command failed)",
                        shell_join(argv)
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn write_indented(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        writeln!(f, "             {line}")?;
    }
    Ok(())
}

/// Header line that precedes each file in [`Plan::dry_run_text`]: `==> <path> <==`.
pub fn dry_run_header(path: &Path) -> String {
    format!("==> {} <==", path.display())
}

/// Header of the final section of [`Plan::dry_run_text`], listing the steps in order.
pub const DRY_RUN_STEPS_HEADER: &str = "==> steps <==";

impl Plan {
    /// Every planned file, each preceded by a `==> <path> <==` header line and followed by
    /// nothing else (the contents are printed exactly), then a `==> steps <==` section that
    /// lists what [`Plan::apply`] would do, in order, with copy-pastable command lines.
    pub fn dry_run_text(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&dry_run_header(&file.path));
            out.push('\n');
            out.push_str(&file.contents);
            if !file.contents.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str(DRY_RUN_STEPS_HEADER);
        out.push('\n');
        for argv in &self.pre_commands {
            out.push_str(&format!("run (failure ignored): {}\n", shell_join(argv)));
        }
        for file in &self.files {
            out.push_str(&format!(
                "write: {} (mode {:04o})\n",
                shell_quote(&file.path.to_string_lossy()),
                file.mode
            ));
        }
        for path in &self.removals {
            out.push_str(&format!(
                "remove: {}\n",
                shell_quote(&path.to_string_lossy())
            ));
        }
        for argv in &self.commands {
            out.push_str(&format!("run: {}\n", shell_join(argv)));
        }
        out
    }

    /// Applies the plan with real commands ([`SystemRunner`]).
    ///
    /// Idempotent: files whose contents and mode already match are left alone and reported
    /// as unchanged. Parent directories are created. File errors are returned as `Err` (with
    /// the path); command failures are reported in the [`ApplyReport`] (see
    /// [`ApplyReport::success`]).
    pub fn apply(&self) -> io::Result<ApplyReport> {
        self.apply_with(&mut SystemRunner)
    }

    /// [`Plan::apply`] with a chosen command runner.
    pub fn apply_with(&self, runner: &mut dyn CommandRunner) -> io::Result<ApplyReport> {
        let mut report = ApplyReport::default();
        for argv in &self.pre_commands {
            report.steps.push(match runner.run(argv) {
                Ok(output) => Step::Ran {
                    argv: argv.clone(),
                    output,
                },
                Err(error) => Step::Failed {
                    argv: argv.clone(),
                    error,
                    ignored: true,
                },
            });
        }
        for file in &self.files {
            let outcome = write_file(file)?;
            report.steps.push(Step::File {
                path: file.path.clone(),
                outcome,
            });
        }
        for path in &self.removals {
            report.steps.push(remove_file(path)?);
        }
        let mut failed = false;
        for argv in &self.commands {
            if failed {
                report.steps.push(Step::Skipped { argv: argv.clone() });
                continue;
            }
            report.steps.push(match runner.run(argv) {
                Ok(output) => Step::Ran {
                    argv: argv.clone(),
                    output,
                },
                Err(error) => {
                    failed = true;
                    Step::Failed {
                        argv: argv.clone(),
                        error,
                        ignored: false,
                    }
                }
            });
        }
        Ok(report)
    }
}

fn with_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Where writing `path` lands: through a symlink (dotfile managers link these files), the
/// link's target, so the link is kept.
fn write_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| with_path(path, e))
        }
        _ => Ok(path.to_owned()),
    }
}

fn write_file(file: &PlannedFile) -> io::Result<FileOutcome> {
    let target = write_target(&file.path)?;
    let existing = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(with_path(&target, e)),
    };
    match existing {
        Some(bytes) if bytes == file.contents.as_bytes() => {
            let meta = fs::metadata(&target).map_err(|e| with_path(&target, e))?;
            if meta.permissions().mode() & 0o7777 == file.mode {
                Ok(FileOutcome::Unchanged)
            } else {
                fs::set_permissions(&target, fs::Permissions::from_mode(file.mode))
                    .map_err(|e| with_path(&target, e))?;
                Ok(FileOutcome::ModeFixed)
            }
        }
        Some(bytes) => {
            // Never silently destroy a file codexd did not generate (for example the user's
            // original bash+jq /codex:sessions command): keep a copy next to it.
            let backup = if String::from_utf8_lossy(&bytes).contains(MANAGED_MARKER) {
                None
            } else {
                let backup = free_backup_path(&target);
                fs::copy(&target, &backup).map_err(|e| with_path(&backup, e))?;
                Some(backup)
            };
            atomic_write(&target, file.contents.as_bytes(), file.mode)?;
            Ok(FileOutcome::Updated { backup })
        }
        None => {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| with_path(parent, e))?;
            }
            atomic_write(&target, file.contents.as_bytes(), file.mode)?;
            Ok(FileOutcome::Created)
        }
    }
}

fn free_backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    let first = PathBuf::from(&name);
    if fs::symlink_metadata(&first).is_err() {
        return first;
    }
    (1u32..)
        .map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!(".{n}"));
            PathBuf::from(numbered)
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .expect("some backup name is free")
}

/// Temp file in the same directory, written, synced, chmodded, then renamed over `path`.
fn atomic_write(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    codexd_core::replace::replace_file(path, contents, mode).map_err(|e| with_path(path, e))
}

fn remove_file(path: &Path) -> io::Result<Step> {
    match fs::remove_file(path) {
        Ok(()) => Ok(Step::Removed(path.to_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Step::AlreadyAbsent(path.to_owned())),
        Err(e) => Err(with_path(path, e)),
    }
}
