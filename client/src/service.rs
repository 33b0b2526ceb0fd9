//! `install-service`, `uninstall-service`, `install-slash-commands`, and the auto-start
//! preference for the service manager — all through `codexd-service`.

use std::path::PathBuf;
use std::process::{ExitCode, Stdio};

use anyhow::{Context, anyhow};
use codexd_service::{Plan, Platform};

fn platform() -> anyhow::Result<Platform> {
    Platform::current().ok_or_else(|| {
        anyhow!("login services are supported on Linux (systemd) and macOS (launchd) only")
    })
}

fn home() -> anyhow::Result<PathBuf> {
    codexd_service::home_dir().ok_or_else(|| anyhow!("cannot tell your home directory (set HOME)"))
}

fn path_var() -> Option<std::ffi::OsString> {
    std::env::var_os("PATH")
}

/// Print the plan (dry run) or apply it and print what happened.
fn execute(
    plan: &Plan,
    dry_run: bool,
    json: bool,
    after: Option<String>,
) -> anyhow::Result<ExitCode> {
    let files: Vec<String> = plan
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    if dry_run {
        if json {
            let v =
                serde_json::json!({"dry_run": true, "files": files, "text": plan.dry_run_text()});
            println!("{}", serde_json::to_string_pretty(&v)?);
        } else {
            print!("{}", plan.dry_run_text());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = plan.apply().context("applying the plan")?;
    let ok = report.success();
    if json {
        let v = serde_json::json!({"dry_run": false, "files": files, "ok": ok, "report": report.to_string()});
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{report}");
        if let (true, Some(hint)) = (ok, after) {
            println!("{hint}");
        }
    }
    if ok {
        Ok(ExitCode::SUCCESS)
    } else {
        if let Some((cmd, why)) = report.first_failure() {
            eprintln!(
                "codexd-client: `{}` failed: {why}",
                codexd_service::shell_join(cmd)
            );
        }
        Ok(ExitCode::from(1))
    }
}

pub fn install_service(dry_run: bool, json: bool) -> anyhow::Result<ExitCode> {
    let platform = platform()?;
    let home = home()?;
    let exe = std::env::current_exe().context("locating codexd-client")?;
    let bin = codexd_service::locate_codexd_bin(&exe, path_var().as_deref())
        .ok_or_else(|| anyhow!("cannot find the codexd binary next to {} or on PATH; install it with `cargo install --path daemon`", exe.display()))?;
    codexd_service::check_codexd_bin(platform, &bin).map_err(|e| anyhow!(e))?;
    // The service manager does not see this shell's environment: carry CODEX_HOME over.
    let env: Vec<(String, String)> = std::env::var_os("CODEX_HOME")
        .filter(|v| !v.is_empty())
        .map(|v| {
            (
                "CODEX_HOME".to_owned(),
                codexd_core::paths::resolve_codex_home(Some(std::path::Path::new(&v)))
                    .display()
                    .to_string(),
            )
        })
        .into_iter()
        .collect();
    let plan = codexd_service::plan_install_service_with_env(platform, &bin, &home, &env);
    execute(
        &plan,
        dry_run,
        json,
        Some(codexd_service::service_log_hint(platform, &home)),
    )
}

pub fn uninstall_service(dry_run: bool, json: bool) -> anyhow::Result<ExitCode> {
    let plan = codexd_service::plan_uninstall_service(platform()?, &home()?);
    execute(&plan, dry_run, json, None)
}

pub fn install_slash_commands(dry_run: bool, json: bool) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe().context("locating codexd-client")?;
    let client = codexd_service::stable_exe_path(&exe, "codexd-client", path_var().as_deref());
    let plan = codexd_service::plan_install_slash_commands(&home()?, &client);
    execute(
        &plan,
        dry_run,
        json,
        Some("Restart Claude Code to pick up /codex and /codex:sessions.".to_owned()),
    )
}

/// When the login service is installed, start the daemon through it (so it does not live in
/// the caller's terminal session and die with it). Best effort: the caller still polls the
/// socket and falls back to spawning the daemon itself.
pub fn start_via_service_manager() -> bool {
    let (Some(platform), Some(home)) = (Platform::current(), codexd_service::home_dir()) else {
        return false;
    };
    if !codexd_service::service_installed(platform, &home) {
        return false;
    }
    let argv = codexd_service::service_start_command(platform);
    let Some((prog, args)) = argv.split_first() else {
        return false;
    };
    std::process::Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
