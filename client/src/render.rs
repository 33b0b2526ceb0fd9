//! Human output. Formats of `list`, `build` and `cleanup` follow the original
//! `/codex:sessions` command line for line, so people (and scripts) that knew it still do.

use std::fmt::Write as _;

use codexd_proto::{
    BuildResponse, Candidate, CleanupResponse, Decision, ListResponse, RouteResponse,
    SearchResponse, SessionDetail, SessionSummary, SetStatusResponse, Status, StatusResponse,
    TurnState,
};

/// Colours on or off (only on a terminal, never with NO_COLOR or --no-color).
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn tag(&self, status: Status) -> String {
        let code = match status {
            Status::Running => "1;35",
            Status::Active => "32",
            Status::Completed => "36",
            Status::Failed => "31",
            Status::Archived => "2",
        };
        self.paint(code, &format!("[{}]", status.as_str()))
    }
}

/// `019c8a4c...` — the original command's `id[0:8]...`, for answers that carry no unique
/// prefix (`build`; older daemons).
pub fn short_id(id: &str) -> String {
    let end = id.char_indices().nth(8).map_or(id.len(), |(i, _)| i);
    format!("{}...", &id[..end])
}

/// The session's shortest unique prefix in the original command's `…...` form (`show`
/// accepts it, dots and all).
fn unique_id(s: &SessionSummary) -> String {
    if s.short_id.is_empty() {
        short_id(&s.id)
    } else {
        format!("{}...", s.short_id)
    }
}

/// ` [exec]` after sessions that `codex exec` (and so `/codex`) started.
fn origin_mark(s: &SessionSummary) -> &'static str {
    if s.source == "exec" { " [exec]" } else { "" }
}

fn group_title(s: Status) -> &'static str {
    match s {
        Status::Running => "Running Sessions:",
        Status::Active => "Active Sessions:",
        Status::Completed => "Completed Sessions:",
        Status::Failed => "Failed Sessions:",
        Status::Archived => "Archived Sessions:",
    }
}

pub fn list(r: &ListResponse, style: Style) -> String {
    let mut out = String::from("## Codex Sessions Routing Table\n\n");
    let mut counts = Vec::new();
    for status in Status::ALL {
        let group: Vec<&SessionSummary> =
            r.sessions.iter().filter(|s| s.status == status).collect();
        if group.is_empty() {
            continue;
        }
        counts.push(format!("{} {}", group.len(), status.as_str()));
        let _ = writeln!(out, "{}", group_title(status));
        for s in group {
            let _ = writeln!(
                out,
                "{} {} - {} (Last used: {}){}",
                style.tag(s.status),
                unique_id(s),
                s.title,
                s.last_used,
                origin_mark(s)
            );
        }
        out.push('\n');
    }
    if r.sessions.is_empty() {
        out.push_str("No Codex sessions found.\n\n");
    }
    let n = r.sessions.len();
    let noun = if n == 1 { "session" } else { "sessions" };
    if counts.is_empty() {
        let _ = writeln!(out, "Total: {n} {noun}");
    } else {
        let _ = writeln!(out, "Total: {n} {noun} ({})", counts.join(", "));
    }
    if r.total > n {
        let _ = writeln!(out, "({} more not shown; raise --limit)", r.total - n);
    }
    out.push_str("\nUse codexd-client show <id> for details\n");
    out
}

fn turn_state(t: TurnState) -> &'static str {
    match t {
        TurnState::None => "no turn recorded",
        TurnState::InProgress => "turn in progress (or interrupted without a trace)",
        TurnState::Completed => "last turn completed",
        TurnState::Aborted => "last turn aborted",
        TurnState::Errored => "last turn failed",
    }
}

pub fn show(d: &SessionDetail, style: Style) -> String {
    let s = &d.summary;
    let mut out = String::new();
    let _ = writeln!(out, "Session {}", style.paint("1", &s.id));
    if !s.short_id.is_empty() {
        let _ = writeln!(out, "  Short id:   {}", s.short_id);
    }
    if let Some(name) = &s.name {
        let _ = writeln!(out, "  Name:       {name}");
    }
    let _ = writeln!(out, "  Task:       {}", s.task_summary);
    let by_user = if d.status_set_by_user {
        ", set by you"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  Status:     {}{by_user} ({})",
        style.tag(s.status),
        turn_state(d.turn_state)
    );
    let mut source = s.source.clone();
    if let Some(o) = &d.originator {
        let _ = write!(source, ", {o}");
    }
    if let Some(v) = &d.cli_version {
        let _ = write!(source, " {v}");
    }
    let _ = writeln!(out, "  Source:     {source}");
    if let Some(m) = &d.model {
        let _ = writeln!(out, "  Model:      {m}");
    }
    let _ = writeln!(
        out,
        "  Cwd:        {}",
        s.cwd.as_deref().unwrap_or("(unknown)")
    );
    if s.git_branch.is_some() || d.git_origin.is_some() {
        let mut git = s.git_branch.clone().unwrap_or_else(|| "?".into());
        if let Some(c) = &d.git_commit {
            let _ = write!(git, " @ {}", &c[..c.len().min(10)]);
        }
        if let Some(o) = &d.git_origin {
            let _ = write!(git, " ({o})");
        }
        let _ = writeln!(out, "  Git:        {git}");
    }
    let _ = writeln!(
        out,
        "  Created:    {}",
        s.created.as_deref().unwrap_or("(unknown)")
    );
    let _ = writeln!(out, "  Last used:  {}", s.last_used);
    if let Some(t) = d.tokens_total {
        let _ = writeln!(out, "  Tokens:     {t}");
    }
    for (i, p) in d.paths.iter().enumerate() {
        let label = if i == 0 { "Files:" } else { "" };
        let current = if *p == s.path && d.paths.len() > 1 {
            "  (current)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {label:<11} {p}{current}");
    }
    let _ = writeln!(out, "  Prompts:    {} in all", d.prompt_count);
    let skipped = d.prompt_count.saturating_sub(d.prompts.len());
    for (i, p) in d.prompts.iter().enumerate() {
        let n = if i == 0 { 1 } else { i + 1 + skipped };
        let text = one_line(p, 200);
        let _ = writeln!(out, "    {n:>3}. {text}");
        if i == 0 && skipped > 0 {
            let _ = writeln!(out, "         … {skipped} more …");
        }
    }
    if let Some(answer) = &d.last_answer {
        let _ = writeln!(out, "  Last answer:");
        for line in answer.lines().take(12) {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "  Resume:     {}", d.resume_command);
    out
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// One candidate of an ambiguity answer: the full id, so it can be given back as it is.
pub fn candidates_line(s: &SessionSummary, style: Style) -> String {
    format!(
        "{} {} - {} (Last used: {}){}",
        style.tag(s.status),
        s.id,
        s.title,
        s.last_used,
        origin_mark(s)
    )
}

pub fn cleanup(r: &CleanupResponse, style: Style) -> String {
    let mut out = String::from("Sessions eligible for cleanup:\n");
    if r.eligible.is_empty() {
        out.push_str("(none: every session is active)\n");
    }
    for s in &r.eligible {
        let _ = writeln!(
            out,
            "{} {} - {}",
            style.tag(s.status),
            unique_id(s),
            s.title
        );
    }
    out.push('\n');
    if r.dry_run {
        let _ = writeln!(
            out,
            "Dry run: {} sessions would be archived; nothing changed.",
            r.archived.len()
        );
    } else if r.archived.is_empty() {
        out.push_str("Nothing to archive. Registry unchanged.\n");
    } else {
        let _ = writeln!(
            out,
            "Sessions archived. Registry updated. ({} archived in {})",
            r.archived.len(),
            r.registry
        );
        let _ = writeln!(
            out,
            "Undo for one session: codexd-client set-status <id> active"
        );
    }
    out
}

pub fn build(r: &BuildResponse, codex_home: &str) -> String {
    let mut out = String::from("## Building Codex Sessions Routing Table\n\n");
    let _ = writeln!(
        out,
        "Scanning {codex_home}/sessions/ for existing sessions..."
    );
    let _ = writeln!(out, "Found {} Codex CLI sessions\n", r.sessions.len());
    out.push_str("Processing sessions and extracting task context...\n");
    for s in &r.sessions {
        let _ = writeln!(
            out,
            "- Session {} - Task: \"{}\" - Keywords: [{}]",
            short_id(&s.id),
            s.task_summary,
            s.keywords.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n✓ Built routing table with {} sessions",
        r.sessions.len()
    );
    let _ = writeln!(out, "✓ Registry saved to: {}", r.registry);
    let _ = writeln!(
        out,
        "\n({} files scanned in {} ms)",
        r.files_scanned, r.elapsed_ms
    );
    out
}

fn candidate_lines(out: &mut String, cands: &[Candidate], style: Style) {
    for (i, c) in cands.iter().enumerate() {
        let terms = if c.matched_terms.is_empty() {
            String::new()
        } else {
            format!(" matched: {}", c.matched_terms.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}. {} {} \"{}\" (score {:.2}){terms}{}",
            i + 1,
            style.tag(c.status),
            c.id,
            c.title,
            c.score,
            if c.cwd_exists {
                ""
            } else {
                " (directory gone)"
            }
        );
        if !c.reasons.is_empty() {
            let _ = writeln!(out, "     {}", c.reasons.join("; "));
        }
    }
}

pub fn route(r: &RouteResponse, style: Style) -> String {
    let mut out = String::new();
    match r.decision {
        Decision::Resume => {
            let _ = writeln!(
                out,
                "{} {} \"{}\" (confidence {:.2})",
                style.paint("1;32", "resume"),
                r.session.as_deref().unwrap_or("?"),
                r.title.as_deref().unwrap_or(""),
                r.confidence
            );
        }
        Decision::New => {
            let _ = writeln!(
                out,
                "{} (confidence {:.2})",
                style.paint("1;33", "new"),
                r.confidence
            );
        }
    }
    if !r.reason.is_empty() {
        let _ = writeln!(out, "  {}", r.reason);
    }
    if r.confirm {
        let _ = writeln!(
            out,
            "  {} (margin over the runner-up {:.2}): check the candidates below",
            style.paint("1;33", "unsure"),
            r.margin
        );
    }
    let _ = writeln!(out, "\n  {}", r.command);
    if let Some(q) = &r.queue_command {
        let _ = writeln!(out, "  (queue to the running session: {q})");
    }
    let _ = writeln!(out, "  (interactive: {})", r.interactive_command);
    let others: Vec<Candidate> = r
        .candidates
        .iter()
        .filter(|c| Some(&c.id) != r.session.as_ref())
        .take(3)
        .cloned()
        .collect();
    if !others.is_empty() {
        out.push_str("\nAlternatives:\n");
        candidate_lines(&mut out, &others, style);
    }
    out
}

/// `limit` is what was asked for: the footer says when more matched than are shown, so a
/// capped answer is never mistaken for a complete one.
pub fn search(r: &SearchResponse, limit: usize, style: Style) -> String {
    let mut out = String::new();
    if r.hits.is_empty() {
        out.push_str("No session matches.\n");
        return out;
    }
    candidate_lines(&mut out, &r.hits, style);
    let shown = r.hits.len();
    match r.total {
        Some(total) if total > shown => {
            let _ = writeln!(
                out,
                "\n{shown} of {total} matching sessions shown; `--limit {total}` shows all."
            );
        }
        Some(_) => {}
        // An older daemon caps every search at 100 hits and does not say how many matched.
        None if shown < limit && shown == 100 => {
            let _ = writeln!(
                out,
                "\nShowing 100: this codexd caps searches at 100; restart it (codexd-client shutdown) to run this version."
            );
        }
        None => {}
    }
    out
}

pub fn set_status(r: &SetStatusResponse) -> String {
    format!(
        "{}: {} → {}\n",
        r.id,
        r.previous.as_str(),
        r.status.as_str()
    )
}

pub fn status(r: &StatusResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "codexd {} (protocol {}), pid {}, up {} s",
        r.version, r.protocol, r.pid, r.uptime_secs
    );
    let _ = writeln!(out, "  Codex home:  {}", r.codex_home);
    let _ = writeln!(out, "  Socket:      {}", r.socket);
    let _ = writeln!(out, "  Registry:    {}", r.registry);
    if !r.stage.is_empty() {
        let _ = writeln!(out, "  Stage:       {}", r.stage);
    }
    let _ = writeln!(out, "  Sessions:    {} ({} files)", r.sessions, r.files);
    if let Some(how) = &r.route_index {
        let _ = writeln!(out, "  Route index: {how}");
    }
    if let Some(bytes) = r.memory_bytes {
        let _ = writeln!(out, "  Memory:      {:.1} MB resident", bytes as f64 / 1e6);
    }
    let _ = writeln!(out, "  Watcher:     {}", r.watcher);
    let _ = writeln!(
        out,
        "  Full scans:  {} (last {})",
        r.full_scans,
        r.last_full_scan.as_deref().unwrap_or("never")
    );
    let _ = writeln!(out, "  Errors:      {}", r.errors);
    if let Some(e) = &r.last_error {
        let _ = writeln!(out, "  Last error:  {e}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids() {
        assert_eq!(short_id("019c8a4c-ed82"), "019c8a4c...");
        assert_eq!(short_id("abc"), "abc...");
    }
}
