//! Command-line definition. Every command takes `--json` for a stable machine-readable answer.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codexd_proto::Status;

/// Find, route to and tidy OpenAI Codex CLI sessions, instantly.
///
/// codexd-client talks to the codexd daemon over a private Unix socket, starting it when it is
/// not running. When the daemon cannot be reached it answers from a direct scan of
/// $CODEX_HOME (with a warning), so it never hangs.
///
/// Exit codes: 0 success; 1 error; 2 no such session / ambiguous id (candidates listed);
/// 3 daemon unreachable and no fallback possible.
#[derive(Parser, Debug)]
#[command(
    name = "codexd-client",
    version,
    about,
    long_about,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Socket of the daemon [default: $CODEXD_SOCKET, else $XDG_RUNTIME_DIR/codexd/codexd.sock, else /tmp/codexd-$UID/codexd.sock]
    #[arg(long, global = true, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Codex home to read [default: $CODEX_HOME, else ~/.codex]; passed to a daemon this client starts
    #[arg(long, global = true, value_name = "DIR")]
    pub codex_home: Option<PathBuf>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    pub json: bool,
    /// Never use colours (also: NO_COLOR set, or output not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Seconds to wait for the daemon's answer
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Do not start the daemon; fall back to a direct scan if it is not running
    #[arg(long, global = true)]
    pub no_autostart: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List sessions, newest first, grouped by status (the routing table)
    #[command(alias = "ls")]
    List {
        /// Include exec / sub-agent threads and sessions without a prompt
        #[arg(long)]
        all: bool,
        /// Only sessions with this status (repeatable)
        #[arg(long, value_enum)]
        status: Vec<StatusArg>,
        /// Only sessions whose working directory is DIR or below it
        #[arg(long, value_name = "DIR")]
        cwd: Option<PathBuf>,
        /// At most N sessions
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Show one session: id, title, status, cwd, times, files, recent prompts, resume command
    Show {
        /// Full id, unique id prefix (e.g. 019c8a4c) or exact session name
        id: String,
    },
    /// Archive finished sessions in the registry (never touches Codex's files)
    ///
    /// Lists the sessions that are not active, then marks the completed and failed ones
    /// "archived" in the registry, like the original /codex:sessions cleanup. Undo one with
    /// `codexd-client set-status <id> active`.
    Cleanup {
        /// Show what would change; change nothing
        #[arg(long)]
        dry_run: bool,
        /// Only sessions unused for at least this long (e.g. 30d, 12h, 90m)
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        older_than: Option<u64>,
    },
    /// Rescan every rollout and rewrite the registry
    Build,
    /// Decide whether a prompt continues an existing session or needs a new one
    ///
    /// Prints the decision, its confidence and reasons, the command to run, and the best
    /// alternatives. Exit code is 0 for both decisions.
    Route {
        /// The prompt you are about to give Codex
        prompt: String,
        /// Your working directory [default: the current directory]
        #[arg(long, value_name = "DIR")]
        cwd: Option<PathBuf>,
        /// How many candidates to show
        #[arg(long, value_name = "N", default_value_t = 4)]
        limit: usize,
        /// Consider archived sessions too
        #[arg(long)]
        include_archived: bool,
        /// Consider exec / sub-agent threads too
        #[arg(long)]
        all: bool,
    },
    /// Full-text search over names, every prompt, files touched, Codex's answers, directories
    ///
    /// Sessions whose title, name or prompts match come first, best first; then those matched
    /// only by what they did (files their tool calls named, Codex's last answer) or where.
    /// Each hit says which fields matched (`fields` in --json).
    Search {
        /// Words to look for (prefixes match: "auth" finds "authentication")
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// At most N results (the output says how many matched in all)
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        /// Include exec / sub-agent threads
        #[arg(long)]
        all: bool,
        /// Only sessions with this status (repeatable)
        #[arg(long, value_enum)]
        status: Vec<StatusArg>,
        /// Only sessions of this project (the current directory's git root, or below it)
        #[arg(long)]
        here: bool,
    },
    /// Pick a session in a full-screen, searchable list and resume it in its directory
    ///
    /// Lists every session, newest first; typing searches titles, names, every prompt and the
    /// directory/repo names, live, with a preview of the selected session. Enter restores the
    /// terminal and replaces this process with `codex resume <id>` run in the session's
    /// directory. Press ? inside for all keys (Tab: this project / all; Ctrl-S: status filter;
    /// Alt-Enter: new session there with the typed text; Ctrl-Y: copy id; Ctrl-X: archive).
    ///
    /// With --print (or --json) the choice is printed instead and the picker draws on
    /// /dev/tty, so `id=$(codexd-client pick --print)` works in shell key bindings (README).
    /// Exit code 130 when nothing was chosen (Esc, Ctrl-C).
    Pick {
        /// Start with this query
        query: Vec<String>,
        /// Print the chosen id instead of running Codex (--json: the whole session)
        #[arg(long)]
        print: bool,
        /// Start in "this project" (the git root of the current directory) instead of all
        #[arg(long)]
        here: bool,
    },
    /// Set a session's status in the registry (holds until the session is used again)
    SetStatus {
        /// Full id, unique prefix or name
        id: String,
        #[arg(value_enum)]
        status: StatusArg,
    },
    /// Show the daemon's health: version, pid, uptime, sessions, watcher state, errors
    Status,
    /// Stop the daemon
    Shutdown,
    /// Make the daemon re-check every file now (a barrier for scripts and tests)
    Sync,
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
    /// Install codexd as a login service (systemd user unit / launchd agent) and start it
    InstallService {
        /// Print the files and commands; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Stop and remove the login service
    UninstallService {
        #[arg(long)]
        dry_run: bool,
    },
    /// Install the Claude Code slash commands /codex and /codex:sessions
    InstallSlashCommands {
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusArg {
    Active,
    Completed,
    Failed,
    Archived,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Status {
        match s {
            StatusArg::Active => Status::Active,
            StatusArg::Completed => Status::Completed,
            StatusArg::Failed => Status::Failed,
            StatusArg::Archived => Status::Archived,
        }
    }
}

/// `30d`, `12h`, `90m`, `45s`, `2w`, or plain seconds → seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a duration like 30d, 12h, 90m"))?;
    let mult = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => {
            return Err(format!(
                "unknown unit '{unit}' in '{s}' (use s, m, h, d or w)"
            ));
        }
    };
    Ok(n.saturating_mul(mult))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30d"), Ok(30 * 86_400));
        assert_eq!(parse_duration("90m"), Ok(5400));
        assert_eq!(parse_duration("12"), Ok(12));
        assert!(parse_duration("3y").is_err());
        assert!(parse_duration("d").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
