//! Drives an interactive terminal program through tmux: `send-keys` to type, `capture-pane` to
//! read the screen, polled with a deadline.
//!
//! Each [`Tmux`] runs its own tmux server on a socket of its own (`tmux -L <name>`, with
//! `-f /dev/null` so no user configuration applies), so parallel tests never share a server;
//! dropping it kills that server (and with it the program).
//!
//! ```no_run
//! use std::time::Duration;
//! use codexd_realcli::tmux::Tmux;
//! let t = Tmux::start("/tmp", &[("TERM", "xterm-256color")], &["bash", "--norc"]).unwrap();
//! t.type_text("echo hi").unwrap();
//! t.key("Enter").unwrap();
//! t.wait_for(Duration::from_secs(10), |screen| screen.contains("hi")).unwrap();
//! ```

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What can go wrong driving tmux.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tmux is not installed.
    #[error(
        "cannot run tmux ({0}); install it (Debian: apt-get update && apt-get install -y tmux)"
    )]
    Missing(#[source] std::io::Error),
    /// A tmux command failed.
    #[error("tmux {args} failed ({status}): {stderr}")]
    Failed {
        args: String,
        status: String,
        stderr: String,
    },
    /// The screen never satisfied the condition.
    #[error("timed out after {waited:?} waiting for {what}; the screen was:\n{screen}")]
    Timeout {
        what: String,
        waited: Duration,
        screen: String,
    },
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, Error>;

/// A tmux server running one program in one pane.
pub struct Tmux {
    socket: String,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl Tmux {
    /// Starts `argv` in a new detached 200×50 session in `cwd`, with exactly `env` as its
    /// environment (run through `env -i`: nothing of the test's environment or the tmux
    /// server's leaks in; tmux's own `-e` cannot be used for this, as tmux 3.3 replaces `PATH`
    /// with the client's).
    pub fn start(cwd: impl AsRef<Path>, env: &[(&str, &str)], argv: &[&str]) -> Result<Tmux> {
        let socket = format!(
            "codexd-realcli-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let t = Tmux { socket };
        let mut args: Vec<String> = [
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "-s",
            "main",
            "-c",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.push(cwd.as_ref().display().to_string());
        args.push("/usr/bin/env".to_owned());
        args.push("-i".to_owned());
        args.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        args.extend(argv.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        t.run(&refs)?;
        // Keep the pane (and its last screen) when the program exits, so a test can read why.
        t.run(&["set-option", "-t", "main", "remain-on-exit", "on"])?;
        Ok(t)
    }

    /// The `-L` socket name of this server.
    pub fn socket(&self) -> &str {
        &self.socket
    }

    fn run(&self, args: &[&str]) -> Result<Output> {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .map_err(Error::Missing)?;
        if !out.status.success() {
            return Err(Error::Failed {
                args: args.join(" "),
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        Ok(out)
    }

    /// Types `text` literally (`send-keys -l`); newlines in it are sent as Enter.
    pub fn type_text(&self, text: &str) -> Result<()> {
        self.run(&["send-keys", "-t", "main", "-l", "--", text])
            .map(drop)
    }

    /// Pastes `text` as a bracketed paste (how a terminal delivers pasted text, newlines
    /// included, without submitting it).
    pub fn paste(&self, text: &str) -> Result<()> {
        self.run(&["set-buffer", "-b", "codexd", "--", text])?;
        self.run(&["paste-buffer", "-p", "-d", "-b", "codexd", "-t", "main"])
            .map(drop)
    }

    /// Sends one key by its tmux name (`Enter`, `Escape`, `Down`, `C-c`, …).
    pub fn key(&self, key: &str) -> Result<()> {
        self.run(&["send-keys", "-t", "main", key]).map(drop)
    }

    /// Sends several keys in one `send-keys` (so the program reads them as one burst: Claude
    /// Code takes `\` + Enter as a newline in the input only then).
    pub fn keys(&self, keys: &[&str]) -> Result<()> {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.run(&args).map(drop)
    }

    /// The visible screen as text.
    pub fn screen(&self) -> Result<String> {
        let out = self.run(&["capture-pane", "-p", "-t", "main"])?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The screen and the scrollback (up to 5000 lines).
    pub fn history(&self) -> Result<String> {
        let out = self.run(&["capture-pane", "-p", "-J", "-S", "-5000", "-t", "main"])?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Whether the program in the pane has exited.
    pub fn exited(&self) -> Result<bool> {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{pane_dead}"])?;
        Ok(String::from_utf8_lossy(&out.stdout).trim() == "1")
    }

    /// Polls the screen every 100 ms until `done` holds, for at most `timeout`; returns the
    /// screen that satisfied it.
    pub fn wait_for(&self, timeout: Duration, done: impl Fn(&str) -> bool) -> Result<String> {
        self.wait_for_named("the expected screen", timeout, done)
    }

    /// [`Tmux::wait_for`] with a description of what is awaited, for the timeout message.
    pub fn wait_for_named(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let start = Instant::now();
        loop {
            let screen = self.screen()?;
            if done(&screen) {
                return Ok(screen);
            }
            if start.elapsed() >= timeout {
                return Err(Error::Timeout {
                    what: what.to_owned(),
                    waited: start.elapsed(),
                    screen,
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_reads_and_sees_the_program_exit() {
        let t = Tmux::start(
            std::env::temp_dir(),
            &[("CODEXD_TMUX_PROBE", "probe-value")],
            &[
                "sh",
                "-c",
                "read line; echo \"got:$line:$CODEXD_TMUX_PROBE\"",
            ],
        )
        .expect("start tmux");
        t.type_text("hello 'world' $(x)").unwrap();
        t.key("Enter").unwrap();
        let screen = t
            .wait_for(Duration::from_secs(10), |s| s.contains("got:"))
            .unwrap();
        assert!(
            screen.contains("got:hello 'world' $(x):probe-value:/usr/bin:/bin"),
            "{screen}"
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while !t.exited().unwrap() {
            assert!(Instant::now() < deadline, "the program did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn timeout_reports_the_screen() {
        let t = Tmux::start(
            std::env::temp_dir(),
            &[],
            &["sh", "-c", "echo shown; sleep 30"],
        )
        .unwrap();
        let err = t
            .wait_for_named("never", Duration::from_millis(300), |s| {
                s.contains("absent")
            })
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("waiting for never"), "{msg}");
    }
}
