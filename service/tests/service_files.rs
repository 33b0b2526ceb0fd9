//! The installed service files and slash commands, checked the way the service managers and
//! Claude Code will read them. External checkers (systemd-analyze, python3) are skipped with a
//! printed reason when missing, never `#[ignore]`d.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codexd_service::*;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Runs a checker; `None` (with the reason printed) when it is not installed.
fn run_tool(cmd: &mut Command) -> Option<Output> {
    match cmd.output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            eprintln!("SKIP: {:?} not found; check skipped", cmd.get_program());
            None
        }
        Err(e) => panic!("running {cmd:?}: {e}"),
    }
}

fn copy_executable(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(from, to).unwrap();
    fs::set_permissions(to, fs::Permissions::from_mode(0o755)).unwrap();
}

fn env_codex_home(value: &str) -> Vec<(String, String)> {
    vec![("CODEX_HOME".to_owned(), value.to_owned())]
}

// ---------------------------------------------------------------------------------------
// systemd

/// `systemd-analyze --user verify --man=no` on `unit_text` saved as `codexd.service`:
/// `Some((exit ok, stdout + stderr))`, or `None` when systemd-analyze is missing.
fn systemd_verify(unit_text: &str) -> Option<(bool, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("codexd.service");
    fs::write(&unit, unit_text).unwrap();
    let runtime = dir.path().join("runtime");
    fs::create_dir(&runtime).unwrap();
    fs::set_permissions(&runtime, fs::Permissions::from_mode(0o700)).unwrap();
    let out = run_tool(
        Command::new("systemd-analyze")
            .args(["--user", "verify", "--man=no"])
            .arg(&unit)
            .env("XDG_RUNTIME_DIR", &runtime),
    )?;
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn assert_verifies(unit_text: &str) {
    if let Some((ok, stdout, stderr)) = systemd_verify(unit_text) {
        assert!(
            ok && stderr.is_empty(),
            "systemd-analyze verify failed (ok={ok})\nstdout:\n{stdout}\nstderr:\n{stderr}\nunit:\n{unit_text}"
        );
    }
}

#[test]
fn systemd_unit_passes_systemd_analyze_verify() {
    let exe = std::env::current_exe().unwrap();
    assert_verifies(&render_systemd_unit(&exe));
    assert_verifies(&render_systemd_unit_with_env(
        &exe,
        &env_codex_home("/home/u/my codex %h $HOME"),
    ));
}

#[test]
fn systemd_unit_with_a_path_that_needs_escaping_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("with space %h $HOME ;/codexd");
    copy_executable(&std::env::current_exe().unwrap(), &odd);
    assert!(check_codexd_bin(Platform::Linux, &odd).is_ok());
    assert_verifies(&render_systemd_unit(&odd));
}

#[test]
fn systemd_analyze_check_catches_warnings() {
    // The check must fail on stderr alone: a bad value only warns, with exit 0.
    let exe = std::env::current_exe().unwrap();
    let bad = render_systemd_unit(&exe).replace("Restart=on-failure", "Restart=sometimes");
    if let Some((_, _, stderr)) = systemd_verify(&bad) {
        assert!(
            stderr.contains("sometimes"),
            "no warning for a bad value: {stderr:?}"
        );
    }
    let missing = render_systemd_unit(Path::new("/nonexistent/codexd"));
    if let Some((ok, _, _)) = systemd_verify(&missing) {
        assert!(!ok, "a missing ExecStart binary must fail verify");
    }
}

#[test]
fn check_codexd_bin_explains_unusable_paths() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = dir.path().join("it's/codexd");
    copy_executable(&std::env::current_exe().unwrap(), &quoted);
    let err = check_codexd_bin(Platform::Linux, &quoted).unwrap_err();
    assert!(err.contains("quotes"), "{err}");
    assert!(check_codexd_bin(Platform::MacOs, &quoted).is_ok());
    assert!(check_codexd_bin(Platform::Linux, Path::new("codexd")).is_err());
    assert!(check_codexd_bin(Platform::Linux, &dir.path().join("missing")).is_err());
    assert!(check_codexd_bin(Platform::Linux, dir.path()).is_err());
}

/// `(section, key) -> values` from a unit file.
fn unit_entries(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut entries = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else {
            let (k, v) = line.split_once('=').expect("key=value");
            entries.push((section.clone(), k.to_owned(), v.to_owned()));
        }
    }
    entries
}

#[test]
fn systemd_unit_has_the_required_settings() {
    let unit = render_systemd_unit(Path::new("/opt/codexd/bin/codexd"));
    let entries = unit_entries(&unit);
    let get = |section: &str, key: &str| -> Vec<&str> {
        entries
            .iter()
            .filter(|(s, k, _)| s == section && k == key)
            .map(|(_, _, v)| v.as_str())
            .collect()
    };
    assert_eq!(
        get("Service", "ExecStart"),
        ["/opt/codexd/bin/codexd --foreground"]
    );
    assert_eq!(get("Service", "Restart"), ["on-failure"]);
    assert_eq!(get("Install", "WantedBy"), ["default.target"]);
    assert_eq!(get("Service", "NoNewPrivileges"), ["yes"]);
    assert_eq!(get("Service", "PrivateTmp"), ["no"]);
    assert_eq!(
        get("Unit", "StartLimitBurst").len(),
        1,
        "start limits belong in [Unit]"
    );
    for forbidden in [
        "User",
        "Group",
        "ProtectHome",
        "ProtectSystem",
        "PrivateUsers",
    ] {
        assert!(
            get("Service", forbidden).is_empty(),
            "{forbidden}= must not be set"
        );
    }
    assert!(unit.contains(MANAGED_MARKER));

    let with_env = render_systemd_unit_with_env(
        Path::new("/opt/codexd/bin/codexd"),
        &env_codex_home("/data/codex home"),
    );
    assert_eq!(
        get_all(&with_env, "Service", "Environment"),
        ["\"CODEX_HOME=/data/codex home\""]
    );
}

fn get_all(unit: &str, section: &str, key: &str) -> Vec<String> {
    unit_entries(unit)
        .into_iter()
        .filter(|(s, k, _)| s == section && k == key)
        .map(|(_, _, v)| v)
        .collect()
}

// ---------------------------------------------------------------------------------------
// launchd

/// Runs launchd/check-plist.py on `text` saved under the label's file name.
fn check_plist(text: &str, expect: Option<(&Path, &Path)>) -> Option<(bool, String)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{LAUNCHD_LABEL}.plist"));
    fs::write(&file, text).unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(repo_root().join("launchd/check-plist.py"))
        .arg(&file);
    if let Some((bin, home)) = expect {
        cmd.arg(bin).arg(home);
    }
    let out = run_tool(&mut cmd)?;
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn launchd_plist_parses_and_has_the_required_shape() {
    let home = Path::new("/Users/someone");
    let bin = Path::new("/opt/homebrew/bin/codexd");
    let plist = render_launchd_plist(bin, home);
    assert!(plist.contains("<string>/Users/someone/Library/Logs/codexd.log</string>"));
    assert!(plist.contains(MANAGED_MARKER));
    if let Some((ok, stderr)) = check_plist(&plist, Some((bin, home))) {
        assert!(ok, "{stderr}\n{plist}");
    }
    let with_env = render_launchd_plist_with_env(bin, home, &env_codex_home("/Users/someone/x"));
    assert!(with_env.contains("<key>EnvironmentVariables</key>"));
    if let Some((ok, stderr)) = check_plist(&with_env, Some((bin, home))) {
        assert!(ok, "{stderr}\n{with_env}");
    }
}

#[test]
fn launchd_plist_escapes_xml_in_paths() {
    let home = Path::new("/Users/R&D <team>/");
    let bin = Path::new("/Users/R&D <team>/bin/codexd");
    let plist = render_launchd_plist(bin, home);
    assert!(plist.contains("/Users/R&amp;D &lt;team&gt;/bin/codexd"));
    if let Some((ok, stderr)) = check_plist(&plist, Some((bin, Path::new("/Users/R&D <team>")))) {
        assert!(ok, "{stderr}\n{plist}");
    }
}

#[test]
fn plist_check_rejects_broken_files() {
    let good = render_launchd_plist(Path::new("/usr/local/bin/codexd"), Path::new("/Users/a"));
    let truncated = good.replacen("<true/>", "<true>", 1);
    let keepalive_true = good.replace(
        "<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n\t</dict>",
        "<true/>",
    );
    assert_ne!(keepalive_true, good);
    let tilde = good.replace("/Users/a/Library", "~/Library");
    for (name, bad) in [
        ("truncated", truncated),
        ("keepalive", keepalive_true),
        ("tilde", tilde),
    ] {
        if let Some((ok, _)) = check_plist(&bad, None) {
            assert!(!ok, "{name}: broken plist accepted");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Slash commands

const FRONT_MATTER_KEYS: &[&str] = &[
    "description",
    "argument-hint",
    "allowed-tools",
    "model",
    "disable-model-invocation",
];

/// Checks a command file's front matter; returns `key -> raw value`.
fn front_matter(text: &str) -> Vec<(String, String)> {
    let (front, body) = split_front_matter(text).expect("starts with --- front matter ---");
    assert!(!body.trim().is_empty());
    front
        .lines()
        .map(|line| {
            let (key, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("not key: value: {line:?}"));
            assert!(
                FRONT_MATTER_KEYS.contains(&key),
                "unknown front matter key {key:?}"
            );
            assert!(!value.trim().is_empty(), "{key} is empty");
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

/// Parses the front matter with PyYAML when available: `key -> value` (lists joined by ", ").
fn yaml_front_matter(text: &str) -> Option<Vec<(String, String)>> {
    let (front, _) = split_front_matter(text)?;
    let script = r#"
import sys
try:
    import yaml
except ImportError:
    sys.exit(3)
data = yaml.safe_load(sys.stdin.read())
assert isinstance(data, dict), data
for key, value in data.items():
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    print(f"{key}\t{value}")
"#;
    let mut child = match Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            eprintln!("SKIP: python3 not found; YAML parse of front matter skipped");
            return None;
        }
        Err(e) => panic!("python3: {e}"),
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(front.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(3) {
        eprintln!("SKIP: PyYAML not installed; YAML parse of front matter skipped");
        return None;
    }
    assert!(
        out.status.success(),
        "front matter is not valid YAML: {}\n{front}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

#[test]
fn slash_commands_have_valid_front_matter() {
    let home = tempfile::tempdir().unwrap();
    for client in [
        "/usr/local/bin/codexd-client",
        "/Users/Jane Doe/my #tools: x/codexd-client",
    ] {
        let plan = plan_install_slash_commands(home.path(), Path::new(client));
        let names: BTreeSet<String> = plan
            .files
            .iter()
            .map(|f| {
                // File location → command name, as Claude Code derives it.
                let rel = f
                    .path
                    .strip_prefix(slash_commands_dir(home.path()))
                    .unwrap();
                let rel = rel.to_str().unwrap().strip_suffix(".md").unwrap();
                format!("/{}", rel.replace('/', ":"))
            })
            .collect();
        assert_eq!(
            names,
            BTreeSet::from(["/codex".into(), "/codex:sessions".into()])
        );

        let quoted_client = shell_quote(client).into_owned();
        for file in &plan.files {
            let text = &file.contents;
            let fm = front_matter(text);
            let get = |k: &str| fm.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
            assert!(get("description").is_some(), "{}", file.path.display());
            assert!(get("argument-hint").is_some_and(|h| h.contains('<')));
            let tools = get("allowed-tools").unwrap();
            assert!(
                tools.contains(&format!("Bash({quoted_client}"))
                    || tools.contains(&format!("Bash({}", quoted_client.replace('\\', "\\\\"))),
                "{tools}"
            );
            assert!(text.contains("$ARGUMENTS"));
            assert!(text.contains(MANAGED_MARKER));
            assert!(!text.contains("@CODEXD_CLIENT@"));
            // The body runs the client by its (quoted) absolute path.
            assert!(
                text.contains(&format!("`{quoted_client} "))
                    || text.contains(&format!("{quoted_client} route"))
            );

            if let Some(yaml) = yaml_front_matter(text) {
                let get = |k: &str| {
                    yaml.iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.clone())
                };
                let tools = get("allowed-tools").expect("allowed-tools parsed");
                assert!(tools.contains(&format!("Bash({quoted_client}")), "{tools}");
                assert!(get("description").is_some_and(|d| !d.is_empty()));
            }
        }
    }
}

#[test]
fn slash_commands_keep_the_original_front_matter_style() {
    let plan = plan_install_slash_commands(Path::new("/h"), Path::new("/usr/bin/codexd-client"));
    let sessions = &plan
        .files
        .iter()
        .find(|f| f.path.ends_with("codex/sessions.md"))
        .unwrap()
        .contents;
    assert!(
        sessions
            .starts_with("---\ndescription: Manage Codex sessions with intelligent routing table")
    );
    assert!(sessions.contains("\nargument-hint: [list|show <id>|cleanup|build|search <q>]\n"));
    // Only the subcommands the file runs are granted (not set-status, shutdown, install-…).
    assert!(sessions.contains(
        "\nallowed-tools: Bash(/usr/bin/codexd-client list:*), Bash(/usr/bin/codexd-client show:*), \
         Bash(/usr/bin/codexd-client search:*), Bash(/usr/bin/codexd-client cleanup:*), \
         Bash(/usr/bin/codexd-client build:*), AskUserQuestion\n"
    ));
    let codex = &plan
        .files
        .iter()
        .find(|f| f.path.ends_with("codex.md"))
        .unwrap()
        .contents;
    assert!(codex.contains("/usr/bin/codexd-client route --json -- '<prompt>'"));
    // Claude Code refuses `cd` outside the session's directories and `Bash(cd:*)` does not
    // help: the command runs Codex with -C and grants exactly what it runs.
    assert!(
        codex.contains(
            "\nallowed-tools: Bash(/usr/bin/codexd-client route:*), Bash(codex exec:*)\n"
        )
    );
    assert!(codex.contains(
        "```bash\ncodex exec -C '<cwd>' resume <session> - <<'CODEX_PROMPT_END'\n<prompt>\nCODEX_PROMPT_END\n```"
    ));
    assert!(codex.contains(
        "```bash\ncodex exec -C '<cwd>' - <<'CODEX_PROMPT_END'\n<prompt>\nCODEX_PROMPT_END\n```"
    ));
    assert!(!codex.contains("cd '<cwd>'") && !codex.contains("Bash(cd"));
    // Uncertain routes are confirmed from the candidates; running sessions are never resumed.
    for needle in [
        "`confirm`",
        "`queue_command`",
        "`running`",
        "`last_answer`",
        "Route confirmed:",
    ] {
        assert!(codex.contains(needle), "{needle}");
    }
}

#[test]
fn unrepresentable_client_path_falls_back_to_path_lookup() {
    let plan = plan_install_slash_commands(Path::new("/h"), Path::new("/bad\npath/codexd-client"));
    for f in &plan.files {
        assert!(f.contents.contains("Bash(codexd-client"), "{}", f.contents);
        front_matter(&f.contents);
    }
}

// ---------------------------------------------------------------------------------------
// Plans: dry run vs apply, idempotence

/// Splits dry-run text into `(path, contents)` sections and the steps section.
fn parse_dry_run(text: &str) -> (Vec<(PathBuf, String)>, String) {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut steps: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches('\n');
        if trimmed == DRY_RUN_STEPS_HEADER {
            steps = Some(String::new());
        } else if let Some(path) = trimmed
            .strip_prefix("==> ")
            .and_then(|l| l.strip_suffix(" <=="))
        {
            assert!(steps.is_none(), "file section after the steps");
            files.push((PathBuf::from(path), String::new()));
        } else if let Some(steps) = steps.as_mut() {
            steps.push_str(line);
        } else {
            files
                .last_mut()
                .expect("text before the first header")
                .1
                .push_str(line);
        }
    }
    (files, steps.expect("a steps section"))
}

fn all_plans(home: &Path, bin: &Path, client: &Path) -> Vec<(&'static str, Plan)> {
    vec![
        ("systemd", plan_install_service(Platform::Linux, bin, home)),
        ("launchd", plan_install_service(Platform::MacOs, bin, home)),
        (
            "systemd+env",
            plan_install_service_with_env(Platform::Linux, bin, home, &env_codex_home("/x")),
        ),
        ("slash", plan_install_slash_commands(home, client)),
    ]
}

#[test]
fn dry_run_prints_exactly_what_apply_writes() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for (name, plan) in all_plans(
        home,
        Path::new("/opt/x/codexd"),
        Path::new("/opt/x/codexd-client"),
    ) {
        let (sections, steps) = parse_dry_run(&plan.dry_run_text());
        let mut runner = RecordingRunner::default();
        let report = plan.apply_with(&mut runner).unwrap();
        assert!(report.success(), "{name}: {report}");

        // Every written file appears once, with exactly its contents, and nothing else.
        assert_eq!(sections.len(), plan.files.len(), "{name}");
        for (path, printed) in &sections {
            assert!(
                path.starts_with(home),
                "{name}: {} outside HOME",
                path.display()
            );
            let written = fs::read_to_string(path).unwrap();
            assert_eq!(&written, printed, "{name}: {}", path.display());
            let mode = fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, FILE_MODE, "{name}");
            assert!(
                !written.lines().any(|l| l.starts_with("==> ")),
                "{name}: header-like line"
            );
        }

        // The commands that ran are the ones listed, in order.
        let expected: Vec<Vec<String>> = plan
            .pre_commands
            .iter()
            .chain(&plan.commands)
            .cloned()
            .collect();
        assert_eq!(runner.ran, expected, "{name}");
        for argv in &expected {
            assert!(
                steps.contains(&shell_join(argv)),
                "{name}: {argv:?} not in steps:\n{steps}"
            );
        }
    }
}

#[test]
fn service_plans_run_the_service_manager() {
    let home = Path::new("/home/u");
    let bin = Path::new("/home/u/.cargo/bin/codexd");
    let linux = plan_install_service(Platform::Linux, bin, home);
    assert_eq!(
        linux.files[0].path,
        Path::new("/home/u/.config/systemd/user/codexd.service")
    );
    let joined: Vec<String> = linux.commands.iter().map(|c| shell_join(c)).collect();
    assert_eq!(
        joined,
        [
            "systemctl --user daemon-reload",
            "systemctl --user enable codexd.service",
            "systemctl --user restart codexd.service",
        ]
    );
    let mac = plan_install_service(Platform::MacOs, bin, home);
    assert_eq!(
        mac.files[0].path,
        Path::new("/home/u/Library/LaunchAgents/dev.codexd.codexd.plist")
    );
    let bootstrap = mac.commands.last().unwrap();
    assert_eq!(bootstrap[..2], ["launchctl", "bootstrap"]);
    assert!(bootstrap[2].starts_with("gui/") && bootstrap[2][4..].parse::<u32>().is_ok());
    assert_eq!(
        bootstrap[3],
        "/home/u/Library/LaunchAgents/dev.codexd.codexd.plist"
    );
    assert_eq!(mac.pre_commands[0][1], "bootout");

    assert_eq!(
        service_start_command(Platform::Linux),
        ["systemctl", "--user", "start", "codexd.service"]
    );
    let kick = service_start_command(Platform::MacOs);
    assert_eq!(kick[1], "kickstart");
    assert!(kick[2].ends_with("/dev.codexd.codexd"));

    // A relative binary path is made absolute.
    let rel = plan_install_service(Platform::Linux, Path::new("bin/codexd"), home);
    let exec = get_all(&rel.files[0].contents, "Service", "ExecStart");
    assert!(
        exec[0].starts_with('/') || exec[0].starts_with("\"/"),
        "{exec:?}"
    );
}

#[test]
fn apply_is_idempotent_and_keeps_foreign_files() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let plan = plan_install_slash_commands(home, Path::new("/usr/bin/codexd-client"));
    let sessions = slash_commands_dir(home).join("codex/sessions.md");

    // The user's original bash+jq command is in place.
    fs::create_dir_all(sessions.parent().unwrap()).unwrap();
    let original =
        "---\ndescription: Manage Codex sessions with intelligent routing table\n---\nold\n";
    fs::write(&sessions, original).unwrap();

    let first = plan.apply_with(&mut RecordingRunner::default()).unwrap();
    let backup = PathBuf::from(format!("{}.bak", sessions.display()));
    assert_eq!(
        first.file_outcome(&sessions),
        Some(&FileOutcome::Updated {
            backup: Some(backup.clone())
        }),
        "{first}"
    );
    assert_eq!(fs::read_to_string(&backup).unwrap(), original);
    assert_eq!(
        first.file_outcome(&slash_commands_dir(home).join("codex.md")),
        Some(&FileOutcome::Created)
    );

    // Second run: nothing changes.
    let second = plan.apply_with(&mut RecordingRunner::default()).unwrap();
    for f in &plan.files {
        assert_eq!(
            second.file_outcome(&f.path),
            Some(&FileOutcome::Unchanged),
            "{second}"
        );
    }
    assert!(
        second
            .to_string()
            .lines()
            .all(|l| l.starts_with("unchanged")),
        "{second}"
    );

    // Wrong mode is fixed without rewriting; an older generated file is replaced without backup.
    fs::set_permissions(&sessions, fs::Permissions::from_mode(0o600)).unwrap();
    let third = plan.apply_with(&mut RecordingRunner::default()).unwrap();
    assert_eq!(third.file_outcome(&sessions), Some(&FileOutcome::ModeFixed));
    let old_generated = format!("{}\nolder version\n", plan.files[1].contents);
    fs::write(&sessions, &old_generated).unwrap();
    let fourth = plan.apply_with(&mut RecordingRunner::default()).unwrap();
    assert_eq!(
        fourth.file_outcome(&sessions),
        Some(&FileOutcome::Updated { backup: None })
    );
    assert_eq!(
        fs::read_to_string(&backup).unwrap(),
        original,
        "backup untouched"
    );

    // No temp files are left behind.
    let leftovers: Vec<_> = fs::read_dir(sessions.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("codexd-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn apply_writes_through_symlinks() {
    let home = tempfile::tempdir().unwrap();
    let dotfiles = home.path().join("dotfiles/codex.md");
    fs::create_dir_all(dotfiles.parent().unwrap()).unwrap();
    fs::write(&dotfiles, "mine\n").unwrap();
    let dir = slash_commands_dir(home.path());
    fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&dotfiles, dir.join("codex.md")).unwrap();

    let plan = plan_install_slash_commands(home.path(), Path::new("/usr/bin/codexd-client"));
    plan.apply_with(&mut RecordingRunner::default()).unwrap();
    assert!(
        fs::symlink_metadata(dir.join("codex.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&dotfiles).unwrap(),
        plan.files[0].contents
    );
}

#[test]
fn uninstall_removes_and_tolerates_absent_files() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let bin = Path::new("/usr/bin/codexd");
    plan_install_service(Platform::Linux, bin, home)
        .apply_with(&mut RecordingRunner::default())
        .unwrap();
    assert!(service_installed(Platform::Linux, home));
    assert!(!service_installed(Platform::MacOs, home));

    let uninstall = plan_uninstall_service(Platform::Linux, home);
    assert!(uninstall.files.is_empty());
    // `disable --now` fails when nothing is installed: ignored, the plan continues.
    let mut runner = RecordingRunner {
        fail: uninstall.pre_commands.clone(),
        ..Default::default()
    };
    let report = uninstall.apply_with(&mut runner).unwrap();
    assert!(report.success(), "{report}");
    assert!(!service_installed(Platform::Linux, home));
    assert!(report.to_string().contains("ignored"), "{report}");
    let again = uninstall
        .apply_with(&mut RecordingRunner::default())
        .unwrap();
    assert!(matches!(again.steps[1], Step::AlreadyAbsent(_)), "{again}");

    let slash = plan_install_slash_commands(home, Path::new("/usr/bin/codexd-client"));
    slash.apply_with(&mut RecordingRunner::default()).unwrap();
    plan_uninstall_slash_commands(home)
        .apply_with(&mut RecordingRunner::default())
        .unwrap();
    for f in &slash.files {
        assert!(!f.path.exists());
    }
}

#[test]
fn a_failed_command_stops_the_rest_and_names_the_command() {
    let home = tempfile::tempdir().unwrap();
    let plan = plan_install_service(Platform::Linux, Path::new("/usr/bin/codexd"), home.path());
    let mut runner = RecordingRunner {
        fail: vec![plan.commands[0].clone()],
        ..Default::default()
    };
    let report = plan.apply_with(&mut runner).unwrap();
    assert!(!report.success());
    assert_eq!(runner.ran.len(), 1, "later commands must not run");
    let (argv, error) = report.first_failure().unwrap();
    assert_eq!(shell_join(argv), "systemctl --user daemon-reload");
    assert!(error.contains("simulated"));
    let text = report.to_string();
    assert!(
        text.contains("FAILED     systemctl --user daemon-reload"),
        "{text}"
    );
    assert!(
        text.contains("skipped    systemctl --user enable codexd.service"),
        "{text}"
    );
}

#[test]
fn system_runner_reports_missing_programs_and_exit_status() {
    let mut runner = SystemRunner;
    let err = runner
        .run(&["codexd-no-such-program-xyz".to_owned()])
        .unwrap_err();
    assert!(err.contains("command not found"), "{err}");
    let err = runner
        .run(&["sh".into(), "-c".into(), "echo oops >&2; exit 3".into()])
        .unwrap_err();
    assert!(err.contains("3") && err.contains("oops"), "{err}");
    assert_eq!(
        runner
            .run(&["sh".into(), "-c".into(), "echo hi".into()])
            .unwrap(),
        "hi"
    );
}
