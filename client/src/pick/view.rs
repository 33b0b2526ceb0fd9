//! Drawing a [`State`]: query line, list (only the visible rows are built), preview pane,
//! key hints, and the help overlay. Wide terminals put the preview beside the list, narrow
//! ones below it. Without colour (NO_COLOR, `--no-color`) only bold, underline and reverse
//! video mark things.

use codexd_proto::{SessionDetail, Status};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::state::{Mode, Row, Scope, State};

/// Longest a prompt is shown in the preview (around its first match).
const PREVIEW_PROMPT_CHARS: usize = 240;

/// Widest the preview pane needs to be beside the list.
const SIDE_BY_SIDE_MIN_WIDTH: u16 = 110;

struct Palette {
    color: bool,
}

impl Palette {
    fn status(&self, s: Status) -> Style {
        if !self.color {
            return Style::default();
        }
        let c = match s.as_str() {
            "active" => Color::Green,
            "running" => Color::LightGreen,
            "completed" => Color::Cyan,
            "failed" => Color::Red,
            _ => Color::DarkGray,
        };
        Style::default().fg(c)
    }

    fn matched(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color {
            s.fg(Color::Yellow)
        } else {
            s.add_modifier(Modifier::UNDERLINED)
        }
    }

    fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::Indexed(237))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    fn banner(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    fn label(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
}

pub fn draw(f: &mut Frame, state: &mut State, now_unix: i64) {
    let p = Palette { color: state.color };
    let area = f.area();
    // Banners wrap: each takes as many lines as its length needs (at most a third of the
    // screen in all).
    let width = area.width.max(1) as usize;
    let banner_h = state
        .banner
        .iter()
        .map(|b| (b.chars().count() + 1).div_ceil(width))
        .sum::<usize>()
        .min(area.height as usize / 3) as u16;
    let [top, banner, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_h),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);

    draw_query(f, state, &p, top);
    if banner_h > 0 {
        let lines: Vec<Line> = state
            .banner
            .iter()
            .map(|b| Line::styled(format!(" {b}"), p.banner()))
            .collect();
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), banner);
    }

    let (list_area, preview_area) = if body.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let [l, r] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (l, r)
    } else {
        let list_h = (body.height / 2).max(3);
        let [l, r] = Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(body);
        (l, r)
    };
    state.set_page(list_area.height as usize);
    draw_list(f, state, &p, list_area, now_unix);
    draw_preview(f, state, &p, preview_area, now_unix);
    draw_footer(f, state, &p, footer);
    if state.help {
        draw_help(f, &p, area);
    }
}

fn draw_query(f: &mut Frame, state: &State, p: &Palette, area: Rect) {
    let scope = match state.scope {
        Scope::All => "all projects".to_owned(),
        Scope::Project => format!("project {}", state.project.as_deref().map_or("?", leaf)),
    };
    let status = state.status.map_or("any status", |s| s.as_str());
    let count = if state.loading() {
        "…".to_owned()
    } else if state.total > state.rows.len() {
        format!("{} of {}", state.rows.len(), state.total)
    } else {
        format!("{}", state.rows.len())
    };
    let right = format!(" {scope} · {status} · {count} ");
    let mode = match state.mode {
        Mode::Insert => "> ",
        Mode::Normal => ": ",
    };
    let width = area.width as usize;
    let room = width.saturating_sub(right.chars().count() + mode.len() + 1);
    let shown: String = tail_chars(&state.query, room);
    let used = mode.len() + shown.chars().count();
    let pad = width.saturating_sub(used + right.chars().count());
    let line = Line::from(vec![
        Span::styled(mode, p.label()),
        Span::raw(shown),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, p.dim()),
    ]);
    f.render_widget(Paragraph::new(line), area);
    if !state.help && state.mode == Mode::Insert {
        f.set_cursor_position((area.x + used as u16, area.y));
    }
}

fn draw_list(f: &mut Frame, state: &State, p: &Palette, area: Rect, now_unix: i64) {
    if state.rows.is_empty() {
        let msg = if state.loading() {
            "searching…"
        } else if state.query.trim().is_empty() {
            "no sessions"
        } else {
            "no session matches"
        };
        f.render_widget(
            Paragraph::new(Line::styled(format!("  {msg}"), p.dim())),
            area,
        );
        return;
    }
    let width = area.width as usize;
    let project_w = if width >= 100 { 20 } else { 14 };
    let end = (state.offset + area.height as usize).min(state.rows.len());
    let lines: Vec<Line> = state.rows[state.offset..end]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let selected = state.offset + i == state.selected;
            row_line(r, selected, p, width, project_w, now_unix)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn row_line(
    r: &Row,
    selected: bool,
    p: &Palette,
    width: usize,
    project_w: usize,
    now_unix: i64,
) -> Line<'static> {
    let marker = if selected { "▌" } else { " " };
    let status = format!("{:<9}", r.status.as_str());
    let project = fit(r.cwd.as_deref().map_or("-", leaf), project_w);
    let age = format!("{:>4}", age(&r.last_used, now_unix));
    // As `list` marks them (`render.rs`), but before the title, which may be cut.
    let origin = if r.exec { "[exec] " } else { "" };
    let fixed = 1 + 9 + 1 + project_w + 1 + 4 + 2 + origin.len();
    let title_room = width.saturating_sub(fixed);
    let title = window(&one_line(&r.title), &r.matched_terms, title_room);
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(status, p.status(r.status)),
        Span::raw(" "),
        Span::styled(format!("{project:<project_w$}"), p.dim()),
        Span::raw(" "),
        Span::styled(age, p.dim()),
        Span::raw("  "),
        Span::styled(origin, p.dim()),
    ];
    spans.extend(highlighted(&title, &r.matched_terms, p));
    let mut line = Line::from(spans);
    if selected {
        line = line.style(p.selected());
    }
    line
}

/// `text` as spans with every word starting with a matched term marked.
fn highlighted(text: &str, terms: &[String], p: &Palette) -> Vec<Span<'static>> {
    let ranges = match_ranges(text, terms);
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in ranges {
        if s > at {
            out.push(Span::raw(text[at..s].to_owned()));
        }
        out.push(Span::styled(text[s..e].to_owned(), p.matched()));
        at = e;
    }
    if at < text.len() {
        out.push(Span::raw(text[at..].to_owned()));
    }
    out
}

/// Byte ranges of `text` where a word starts with one of `terms` (case-insensitively),
/// sorted and not overlapping.
pub fn match_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (ci, &(start, c)) in chars.iter().enumerate() {
        let word_start = c.is_alphanumeric()
            && (ci == 0 || !chars[ci - 1].1.is_alphanumeric() || is_case_split(&chars, ci));
        if !word_start || out.last().is_some_and(|&(_, e)| start < e) {
            continue;
        }
        let best = terms
            .iter()
            .filter(|t| !t.is_empty())
            .filter_map(|t| prefix_len(&chars[ci..], t))
            .max();
        if let Some(n) = best {
            let end = chars.get(ci + n).map_or(text.len(), |&(i, _)| i);
            out.push((start, end));
        }
    }
    out
}

/// `parseInvoice`: a word also starts at an upper-case letter after a lower-case one.
fn is_case_split(chars: &[(usize, char)], i: usize) -> bool {
    chars[i].1.is_uppercase() && chars[i - 1].1.is_lowercase()
}

/// How many chars of `chars` spell `term` (case-insensitively), if they all do.
fn prefix_len(chars: &[(usize, char)], term: &str) -> Option<usize> {
    let mut n = 0;
    for t in term.chars() {
        let &(_, c) = chars.get(n)?;
        if !c.to_lowercase().eq(t.to_lowercase()) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

fn draw_preview(f: &mut Frame, state: &State, p: &Palette, area: Rect, now_unix: i64) {
    if area.height == 0 {
        return;
    }
    let block = Block::default()
        .borders(Borders::TOP | Borders::LEFT)
        .title(" preview ");
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(row) = state.selected_row() else {
        return;
    };
    let detail = state.details.get(&row.id);
    let text = preview_text(row, detail, p, now_unix);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

fn preview_text(row: &Row, d: Option<&SessionDetail>, p: &Palette, now_unix: i64) -> Text<'static> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let field = |name: &str, value: String| -> Line<'static> {
        Line::from(vec![
            Span::styled(format!("{name:<8} "), p.label()),
            Span::raw(value),
        ])
    };
    let mut title = vec![];
    title.extend(highlighted(&one_line(&row.title), &row.matched_terms, p));
    lines.push(Line::from(title).style(p.label()));
    lines.push(field("id", row.id.clone()));
    let Some(d) = d else {
        if let Some(c) = &row.cwd {
            lines.push(field("cwd", c.clone()));
        }
        lines.push(field("status", row.status.as_str().to_owned()));
        lines.push(Line::styled("loading…", p.dim()));
        return Text::from(lines);
    };
    let s = &d.summary;
    if let Some(n) = &s.name {
        lines.push(field("name", n.clone()));
    }
    if let Some(c) = &s.cwd {
        lines.push(field("cwd", c.clone()));
    }
    if let Some(b) = &s.git_branch {
        lines.push(field("branch", b.clone()));
    }
    if let Some(c) = &s.created {
        lines.push(field("created", format!("{c} ({} ago)", age(c, now_unix))));
    }
    lines.push(field(
        "used",
        format!("{} ({} ago)", s.last_used, age(&s.last_used, now_unix)),
    ));
    let by = if d.status_set_by_user {
        ", set by you"
    } else {
        ""
    };
    lines.push(field(
        "status",
        format!("{}{by} · last turn {:?}", s.status.as_str(), d.turn_state).to_lowercase(),
    ));
    if let Some(t) = d.tokens_total {
        lines.push(field("tokens", group_thousands(t)));
    }
    if let Some(m) = &d.model {
        lines.push(field("model", m.clone()));
    }
    if !s.interactive || s.source != "cli" {
        lines.push(field("source", s.source.clone()));
    }
    if !row.fields.is_empty() {
        let fields: Vec<&str> = row.fields.iter().map(|f| field_name(f)).collect();
        lines.push(field("matched", fields.join(", ")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Prompts ({})", d.prompt_count),
        p.label(),
    ));
    let n = d.prompts.len();
    for (i, prompt) in d.prompts.iter().enumerate() {
        let tag = if i == 0 {
            "first "
        } else if i + 1 == n {
            "latest"
        } else {
            "      "
        };
        let mut spans = vec![Span::styled(format!("{tag} "), p.dim())];
        let text = window(&one_line(prompt), &row.matched_terms, PREVIEW_PROMPT_CHARS);
        spans.extend(highlighted(&text, &row.matched_terms, p));
        lines.push(Line::from(spans));
    }
    if let Some(answer) = last_answer(d) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Last answer", p.label()));
        for l in answer.lines().take(40) {
            lines.push(Line::from(highlighted(l, &row.matched_terms, p)));
        }
    }
    Text::from(lines)
}

/// The last answer Codex gave, when the daemon reports it.
fn last_answer(d: &SessionDetail) -> Option<String> {
    d.last_answer.clone().filter(|a| !a.trim().is_empty())
}

fn field_name(f: &str) -> &str {
    match f {
        "first_prompt" => "first prompt",
        "place" => "directory/repo",
        "work" => "files / Codex's answer",
        other => other,
    }
}

/// Key hints for the footer, longest first: the longest that fits is shown.
const HINTS: &[&str] = &[
    " Enter resume · Alt-Enter new session · Tab project/all · ^S status · ^Y copy id · ^O print id · ^X archive · ^G normal mode · ? keys · Esc quit",
    " Enter resume · Tab project · ^S status · ^X archive · ? keys · Esc quit",
    " Enter resume · Tab project · ? keys · Esc quit",
];

fn draw_footer(f: &mut Frame, state: &State, p: &Palette, area: Rect) {
    let text = match &state.message {
        Some(m) => Line::styled(format!(" {m}"), p.label()),
        None => {
            // A partial list says so at the right: the rest loads on scrolling down.
            let note = if state.partial() && !state.loading() {
                format!(
                    " {} of {} loaded, ↓ for more ",
                    group_thousands(state.rows.len() as u64),
                    group_thousands(state.total as u64)
                )
            } else {
                String::new()
            };
            let width = area.width as usize;
            let note_w = note.chars().count();
            let hints = HINTS
                .iter()
                .copied()
                .find(|h| h.chars().count() + note_w <= width)
                .unwrap_or(HINTS[HINTS.len() - 1]);
            let pad = width.saturating_sub(hints.chars().count() + note_w);
            Line::from(vec![
                Span::styled(hints, p.dim()),
                Span::raw(" ".repeat(pad)),
                Span::styled(note, p.label()),
            ])
        }
    };
    f.render_widget(Paragraph::new(text), area);
}

pub const HELP: &[(&str, &str)] = &[
    ("typing", "search titles, names, prompts and directories"),
    (
        "↑ ↓  ^P ^N",
        "move (j k in normal mode; mouse wheel scrolls)",
    ),
    (
        "PgUp PgDn",
        "a page (^B ^F; d u half a page in normal mode)",
    ),
    (
        "Home End",
        "first / last loaded (g G); moving near the end loads more",
    ),
    (
        "Enter",
        "resume: codex resume <id> in the session's directory",
    ),
    (
        "Alt-Enter",
        "new session there, typed text as the prompt (^Enter, n)",
    ),
    ("Tab", "this project / all projects"),
    ("^S", "cycle the status filter (s in normal mode)"),
    ("^Y", "copy the id to the clipboard (y)"),
    ("^O", "print the id and quit (p)"),
    ("^X", "archive in the registry; again to unarchive (x)"),
    ("^U ^W", "clear the query / delete a word"),
    ("^G", "normal mode (i or / back to typing)"),
    ("?  F1", "this help"),
    ("Esc  ^C", "quit without running anything (q)"),
];

fn draw_help(f: &mut Frame, p: &Palette, area: Rect) {
    let w = area.width.min(78);
    let h = (HELP.len() as u16 + 4).min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    let rect = Rect::new(x, y, w, h);
    let lines: Vec<Line> = HELP
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!(" {k:<12}"), p.label()),
                Span::raw(*v),
            ])
        })
        .collect();
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" keys (any key closes) "),
        ),
        rect,
    );
}

/// `3m`, `5h`, `2d`, `7w`, `3y` since an RFC 3339 time.
pub fn age(rfc3339: &str, now_unix: i64) -> String {
    let Ok(t) = rfc3339.parse::<jiff::Timestamp>() else {
        return "?".to_owned();
    };
    let secs = (now_unix - t.as_second()).max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 14 * 86_400 => format!("{}d", s / 86_400),
        s if s < 365 * 86_400 => format!("{}w", s / (7 * 86_400)),
        s => format!("{}y", s / (365 * 86_400)),
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The last path component: what a person calls the project.
fn leaf(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(path)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `n` chars, with `…` when cut.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// At most `n` chars of `text`, starting a little before the first match when it would
/// otherwise be cut off, so the matched word is on screen.
fn window(text: &str, terms: &[String], n: usize) -> String {
    let total = text.chars().count();
    if total <= n {
        return text.to_owned();
    }
    let first_end = match_ranges(text, terms)
        .first()
        .map(|&(s, e)| (text[..s].chars().count(), text[..e].chars().count()));
    match first_end {
        Some((start, end)) if end + 1 > n => {
            let from = start
                .saturating_sub(12)
                .min(total.saturating_sub(n.saturating_sub(1)));
            let rest: String = text.chars().skip(from).collect();
            fit(&format!("…{rest}"), n)
        }
        _ => fit(text, n),
    }
}

fn tail_chars(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_word_prefixes() {
        let t = "Fix the flaky loginTest in auth";
        let r = match_ranges(t, &["auth".into(), "test".into(), "fla".into()]);
        let words: Vec<&str> = r.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(words, ["fla", "Test", "auth"]);
        assert!(match_ranges("unauthorized", &["auth".into()]).is_empty());
        let u = "Ошибка авторизации";
        let r = match_ranges(u, &["авто".into()]);
        assert_eq!(&u[r[0].0..r[0].1], "авто");
    }

    #[test]
    fn ages() {
        let now = "2026-01-10T00:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second();
        assert_eq!(age("2026-01-09T23:59:30Z", now), "30s");
        assert_eq!(age("2026-01-09T21:00:00Z", now), "3h");
        assert_eq!(age("2026-01-01T00:00:00Z", now), "9d");
        assert_eq!(age("nonsense", now), "?");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(leaf("/home/me/src/billing/"), "billing");
        assert_eq!(fit("abcdef", 4), "abc…");
        let long = "a very long prompt about many things and finally the stripe webhook";
        let w = window(long, &["stripe".into()], 30);
        assert!(w.starts_with('…') && w.contains("stripe"), "{w}");
        assert_eq!(w.chars().count(), 30);
        assert_eq!(window("short", &["x".into()], 30), "short");
    }
}
