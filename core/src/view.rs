//! Table rows as wire types: the one place where what the table knows becomes what the
//! protocol says (`SessionSummary`, `SessionDetail`, the timestamp formats). The table and the
//! reader know nothing of the wire.

use codexd_proto::{SessionDetail, SessionRow, SessionSummary};

use crate::rollout::TurnState;
use crate::table::{StatusPolicy, Thread};

pub fn summary(t: &Thread<'_>, now_ms: i64, policy: StatusPolicy) -> SessionSummary {
    let r = t.record();
    SessionSummary {
        id: t.id.to_owned(),
        short_id: t.short_id(),
        name: t.title_name().map(str::to_owned),
        task_summary: t.task_summary(),
        title: t.title(),
        status: t.status(now_ms, policy),
        last_used: format_secs(t.updated_ms()),
        created: t.created_ms().map(format_millis),
        cwd: r.cwd().map(str::to_owned),
        git_branch: r.meta.git_branch.clone().map(String::from),
        source: t.source().to_owned(),
        interactive: t.interactive(),
        user_started: t.user_started(),
        archived: t.archived(),
        path: t.path.display().to_string(),
    }
}

/// What a line of a list shows (a `brief` answer).
pub fn row(t: &Thread<'_>, now_ms: i64, policy: StatusPolicy) -> SessionRow {
    SessionRow {
        id: t.id.to_owned(),
        title: t.title(),
        status: t.status(now_ms, policy),
        last_used: format_secs(t.updated_ms()),
        cwd: t.record().cwd().map(str::to_owned),
        source: t.source().to_owned(),
        matched_terms: Vec::new(),
        fields: Vec::new(),
    }
}

pub fn detail(t: &Thread<'_>, now_ms: i64, policy: StatusPolicy) -> SessionDetail {
    let r = t.record();
    // The first prompt and the five latest, oldest first.
    let all: Vec<&str> = t.prompts().iter().map(|p| &*p.text).collect();
    let mut shown: Vec<String> = Vec::new();
    if let Some(first) = all.first() {
        shown.push(first.to_string());
    }
    let tail_start = all.len().saturating_sub(5).max(1);
    shown.extend(all.iter().skip(tail_start).map(|s| s.to_string()));
    let summary = summary(t, now_ms, policy);
    // Non-interactive, prompt on stdin; the client adapts it to the `codex` on PATH.
    let in_git =
        r.meta.git_branch.is_some() || r.meta.git_origin.is_some() || r.meta.git_commit.is_some();
    let resume_command =
        crate::codex_cli::resume_exec(None, r.cwd(), t.id, None, in_git, "-").command;
    SessionDetail {
        turn_state: turn_state(r.turn_state),
        prompt_count: t.prompt_count(),
        prompts: shown,
        model: r.model.clone().map(String::from),
        cli_version: r.meta.cli_version.clone().map(String::from),
        originator: r.meta.originator.clone().map(String::from),
        git_origin: r.meta.git_origin.clone().map(String::from),
        git_commit: r.meta.git_commit.as_deref().map(str::to_owned),
        tokens_total: r.tokens_total,
        paths: t.paths().map(|p| p.display().to_string()).collect(),
        status_set_by_user: t.user_status().is_some(),
        resume_command,
        last_answer: t.last_answer().map(str::to_owned),
        forked_from: t.forked_from().map(str::to_owned),
        continued_by: t.continued_by().into_iter().map(str::to_owned).collect(),
        resume_note: None,
        summary,
    }
}

fn turn_state(t: TurnState) -> codexd_proto::TurnState {
    match t {
        TurnState::None => codexd_proto::TurnState::None,
        TurnState::InProgress => codexd_proto::TurnState::InProgress,
        TurnState::Completed => codexd_proto::TurnState::Completed,
        TurnState::Aborted => codexd_proto::TurnState::Aborted,
        TurnState::Errored => codexd_proto::TurnState::Errored,
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, the original command's `last_used` format.
pub fn format_secs(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1970-01-01T00:00:00Z".to_owned(),
    }
}

/// RFC 3339 with milliseconds, UTC.
pub fn format_millis(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => "1970-01-01T00:00:00.000Z".to_owned(),
    }
}
