//! The picker's state machine: keys in, state changes and [`Action`]s out. No terminal, no
//! IO: `view.rs` draws a [`State`], `mod.rs` carries out the actions, and the tests below
//! drive it with key events alone.

use std::collections::{HashMap, HashSet};

use codexd_proto::{Candidate, SessionDetail, SessionRow, SessionSummary, Status};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

/// One line of the list.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub cwd: Option<String>,
    /// RFC 3339 UTC.
    pub last_used: String,
    /// Query words that matched (empty for the plain list).
    pub matched_terms: Vec<String>,
    /// Fields the words matched in (`title`, `first_prompt`, `prompts`, `place`).
    pub fields: Vec<String>,
    /// Started by `codex exec` (marked `[exec]`, as `list` does).
    pub exec: bool,
}

impl From<SessionRow> for Row {
    fn from(s: SessionRow) -> Row {
        Row {
            exec: s.source == "exec",
            id: s.id,
            title: s.title,
            status: s.status,
            cwd: s.cwd,
            last_used: s.last_used,
            matched_terms: s.matched_terms,
            fields: s.fields,
        }
    }
}

/// From daemons without `brief` answers.
impl From<SessionSummary> for Row {
    fn from(s: SessionSummary) -> Row {
        Row {
            exec: s.source == "exec",
            id: s.id,
            title: s.title,
            status: s.status,
            cwd: s.cwd,
            last_used: s.last_used,
            matched_terms: Vec::new(),
            fields: Vec::new(),
        }
    }
}

/// From daemons without `brief` answers (whose hits do not say what started a session).
impl From<Candidate> for Row {
    fn from(c: Candidate) -> Row {
        Row {
            id: c.id,
            title: c.title,
            status: c.status,
            cwd: c.cwd,
            last_used: c.last_used,
            matched_terms: c.matched_terms,
            fields: c.fields,
            exec: false,
        }
    }
}

/// Which sessions the list covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    /// The caller's project (its git root, else its directory).
    Project,
}

/// Typing edits the query (insert) or letters are commands (normal, vi-like).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Insert,
    Normal,
}

/// What the list is asked for: one query to the daemon.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    pub text: String,
    pub scope: Scope,
    pub status: Option<Status>,
}

/// What the event loop must do after a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Nothing beyond redrawing.
    None,
    /// The query, scope or status filter changed: ask the daemon again.
    Search(Query),
    /// Esc, Ctrl-C, `q`: leave and run nothing.
    Quit,
    /// Enter: resume this session (or print it, with `--print`).
    Resume(Row),
    /// Alt-Enter / Ctrl-Enter / `n`: a new Codex session in `cwd` with `prompt`.
    New { cwd: Option<String>, prompt: String },
    /// `p` / Ctrl-O: print the id and leave.
    Print(Row),
    /// `y` / Ctrl-Y: put the id on the clipboard (OSC 52) and stay.
    Copy(String),
    /// `x` / Ctrl-X: set this registry status.
    SetStatus { id: String, status: Status },
}

/// Everything the screen shows.
#[derive(Debug)]
pub struct State {
    pub query: String,
    pub mode: Mode,
    pub scope: Scope,
    pub status: Option<Status>,
    /// The rows loaded so far: the first page of the answer, and the pages scrolling on asked
    /// for (see [`State::wants_more`]).
    pub rows: Vec<Row>,
    /// Matches in all (exceeds `rows.len()` while more pages are to be had).
    pub total: usize,
    /// The next page was asked for at this offset (once per page).
    more_asked: Option<usize>,
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// Rows that fit in the list (set by the view on each draw).
    pub page: usize,
    pub help: bool,
    /// A one-line note (copied id, archived, errors), until the next key.
    pub message: Option<String>,
    /// Shown above the list until the picker ends (direct-scan fallback, old daemon).
    pub banner: Vec<String>,
    /// The query whose answer is on screen; differs from [`State::current_query`] while one is
    /// on its way.
    pub shown: Option<Query>,
    pub details: HashMap<String, SessionDetail>,
    /// The project `Tab` narrows to, as shown in the header.
    pub project: Option<String>,
    pub color: bool,
}

impl State {
    pub fn new(query: String, project: Option<String>, color: bool) -> State {
        State {
            query,
            mode: Mode::Insert,
            scope: Scope::All,
            status: None,
            rows: Vec::new(),
            total: 0,
            more_asked: None,
            selected: 0,
            offset: 0,
            page: 10,
            help: false,
            message: None,
            banner: Vec::new(),
            shown: None,
            details: HashMap::new(),
            project,
            color,
        }
    }

    pub fn current_query(&self) -> Query {
        Query {
            text: self.query.trim().to_owned(),
            scope: self.scope,
            status: self.status,
        }
    }

    /// Waiting for the answer to the current query.
    pub fn loading(&self) -> bool {
        self.shown.as_ref() != Some(&self.current_query())
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// The list is partial: more matched than are loaded.
    pub fn partial(&self) -> bool {
        self.rows.len() < self.total
    }

    /// An answer arrived: the first page (`offset` 0) of a query, or a further page of the
    /// one on screen. Answers to queries other than the current one are stale and dropped;
    /// on a first page the selection stays on the same session when it is still listed.
    pub fn apply_results(
        &mut self,
        query: Query,
        offset: usize,
        rows: Vec<Row>,
        total: usize,
    ) -> bool {
        if query != self.current_query() {
            return false;
        }
        if offset > 0 {
            if self.shown.as_ref() != Some(&query) {
                return false;
            }
            // Pages are asked for one at a time, but the order may have moved between them (a
            // session used meanwhile): never list a session twice.
            let known: HashSet<&str> = self.rows.iter().map(|r| r.id.as_str()).collect();
            let fresh: Vec<Row> = rows
                .into_iter()
                .filter(|r| !known.contains(r.id.as_str()))
                .collect();
            self.rows.extend(fresh);
            self.total = total.max(self.rows.len());
            return true;
        }
        self.more_asked = None;
        let keep = self.selected_row().map(|r| r.id.clone());
        let same_query = self.shown.as_ref().is_some_and(|q| q.text == query.text);
        self.rows = rows;
        self.total = total.max(self.rows.len());
        self.shown = Some(query);
        self.selected = match keep {
            Some(id) if same_query => self.rows.iter().position(|r| r.id == id).unwrap_or(0),
            _ => 0,
        };
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.scroll_into_view();
        true
    }

    /// A status changed in the registry: show it at once (the next answer confirms it).
    pub fn set_row_status(&mut self, id: &str, status: Status) {
        for r in self.rows.iter_mut().filter(|r| r.id == id) {
            r.status = status;
        }
        self.details.remove(id);
    }

    /// The offset of the next page to ask for, once per page: when the selection is within a
    /// screen of the last loaded row and more matched.
    pub fn wants_more(&mut self) -> Option<(Query, usize)> {
        let shown = self.shown.clone()?;
        let loaded = self.rows.len();
        if self.loading()
            || !self.partial()
            || self.more_asked == Some(loaded)
            || self.selected + self.page.max(1) < loaded
        {
            return None;
        }
        self.more_asked = Some(loaded);
        Some((shown, loaded))
    }

    pub fn handle(&mut self, event: &Event) -> Action {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                self.message = None;
                self.key(*k)
            }
            Event::Mouse(m) => self.mouse(*m),
            Event::Paste(text) if self.mode == Mode::Insert => {
                self.query.push_str(&text.replace(['\n', '\r'], " "));
                self.search()
            }
            _ => Action::None,
        }
    }

    fn mouse(&mut self, m: MouseEvent) -> Action {
        match m.kind {
            MouseEventKind::ScrollDown => self.move_by(3),
            MouseEventKind::ScrollUp => self.move_by(-3),
            _ => {}
        }
        Action::None
    }

    fn key(&mut self, k: KeyEvent) -> Action {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        if self.help {
            // Any key closes the help; Ctrl-C still quits.
            self.help = false;
            return if ctrl && k.code == KeyCode::Char('c') {
                Action::Quit
            } else {
                Action::None
            };
        }
        // Keys that mean the same in both modes.
        match (k.code, ctrl, alt) {
            (KeyCode::Esc, _, _) | (KeyCode::Char('c'), true, _) => return Action::Quit,
            (KeyCode::Enter, true, _) | (KeyCode::Enter, _, true) => return self.new_session(),
            (KeyCode::Enter, _, _) => return self.resume(),
            (KeyCode::Down, _, _) | (KeyCode::Char('n'), true, _) => self.move_by(1),
            (KeyCode::Up, _, _) | (KeyCode::Char('p'), true, _) => self.move_by(-1),
            (KeyCode::PageDown, _, _) | (KeyCode::Char('f'), true, _) => {
                self.move_by(self.page.max(1) as isize)
            }
            (KeyCode::PageUp, _, _) | (KeyCode::Char('b'), true, _) => {
                self.move_by(-(self.page.max(1) as isize))
            }
            (KeyCode::Home, _, _) => self.move_to(0),
            (KeyCode::End, _, _) => self.move_to(usize::MAX),
            (KeyCode::Tab, _, _) | (KeyCode::BackTab, _, _) => {
                self.scope = match self.scope {
                    Scope::All => Scope::Project,
                    Scope::Project => Scope::All,
                };
                return self.search();
            }
            (KeyCode::Char('s'), true, _) => return self.cycle_status(),
            (KeyCode::Char('y'), true, _) => return self.copy(),
            (KeyCode::Char('o'), true, _) => return self.print(),
            (KeyCode::Char('x'), true, _) => return self.archive(),
            (KeyCode::Char('?'), _, _) | (KeyCode::F(1), _, _) => self.help = true,
            _ => {
                return match self.mode {
                    Mode::Insert => self.insert_key(k, ctrl),
                    Mode::Normal => self.normal_key(k),
                };
            }
        }
        Action::None
    }

    fn insert_key(&mut self, k: KeyEvent, ctrl: bool) -> Action {
        match k.code {
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.search()
            }
            KeyCode::Char('w') if ctrl => {
                let kept = self.query.trim_end().len();
                let cut = self.query[..kept]
                    .rfind(char::is_whitespace)
                    .map_or(0, |i| i + 1);
                self.query.truncate(cut);
                self.search()
            }
            // Ctrl-G (or Ctrl-[ arriving as Esc is taken): to normal mode.
            KeyCode::Char('g') if ctrl => {
                self.mode = Mode::Normal;
                Action::None
            }
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.search()
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.search()
            }
            _ => Action::None,
        }
    }

    fn normal_key(&mut self, k: KeyEvent) -> Action {
        match k.code {
            KeyCode::Char('j') => self.move_by(1),
            KeyCode::Char('k') => self.move_by(-1),
            KeyCode::Char('g') => self.move_to(0),
            KeyCode::Char('G') => self.move_to(usize::MAX),
            KeyCode::Char('d') => self.move_by((self.page / 2).max(1) as isize),
            KeyCode::Char('u') => self.move_by(-((self.page / 2).max(1) as isize)),
            KeyCode::Char('i') | KeyCode::Char('/') | KeyCode::Char('a') => {
                self.mode = Mode::Insert
            }
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('s') => return self.cycle_status(),
            KeyCode::Char('y') => return self.copy(),
            KeyCode::Char('p') => return self.print(),
            KeyCode::Char('x') => return self.archive(),
            KeyCode::Char('n') => return self.new_session(),
            KeyCode::Backspace => {
                self.query.pop();
                return self.search();
            }
            _ => {}
        }
        Action::None
    }

    /// Ask for the current query, unless its answer is on screen already (a trailing space).
    fn search(&mut self) -> Action {
        if self.loading() {
            Action::Search(self.current_query())
        } else {
            Action::None
        }
    }

    /// Resume the selection, unless a Codex process has it open: Codex refuses a second
    /// writer, so say so instead of starting one that would fail.
    fn resume(&mut self) -> Action {
        match self.selected_row() {
            None => Action::None,
            Some(r) if r.status == Status::Running => {
                self.message = Some(
                    "this session is open in a running Codex; finish there, or Alt-Enter for a new session in its directory".into(),
                );
                Action::None
            }
            Some(r) => Action::Resume(r.clone()),
        }
    }

    fn cycle_status(&mut self) -> Action {
        let all = Status::ALL;
        self.status = match self.status {
            None => all.first().copied(),
            Some(s) => all
                .iter()
                .position(|x| *x == s)
                .and_then(|i| all.get(i + 1))
                .copied(),
        };
        self.search()
    }

    fn copy(&mut self) -> Action {
        self.selected_row()
            .map_or(Action::None, |r| Action::Copy(r.id.clone()))
    }

    fn print(&mut self) -> Action {
        self.selected_row()
            .cloned()
            .map_or(Action::None, Action::Print)
    }

    /// Archive the selected session; on an archived one, make it active again (the undo).
    fn archive(&mut self) -> Action {
        self.selected_row().map_or(Action::None, |r| {
            let status = if r.status == Status::Archived {
                Status::Active
            } else {
                Status::Archived
            };
            Action::SetStatus {
                id: r.id.clone(),
                status,
            }
        })
    }

    fn new_session(&mut self) -> Action {
        Action::New {
            cwd: self.selected_row().and_then(|r| r.cwd.clone()),
            prompt: self.query.trim().to_owned(),
        }
    }

    fn move_by(&mut self, delta: isize) {
        let target = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta as usize)
        };
        self.move_to(target);
    }

    fn move_to(&mut self, i: usize) {
        self.selected = i.min(self.rows.len().saturating_sub(1));
        self.scroll_into_view();
    }

    /// Keep the selection visible in a list of `page` rows.
    pub fn scroll_into_view(&mut self) {
        let page = self.page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.rows.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }

    /// The view learnt how many rows fit.
    pub fn set_page(&mut self, page: usize) {
        self.page = page.max(1);
        self.scroll_into_view();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn row(id: &str, status: Status) -> Row {
        Row {
            id: id.to_owned(),
            title: format!("title of {id}"),
            status,
            cwd: Some(format!("/w/{id}")),
            last_used: "2026-01-01T00:00:00Z".to_owned(),
            matched_terms: vec![],
            fields: vec![],
            exec: false,
        }
    }

    fn with_rows(n: usize) -> State {
        let mut s = State::new(String::new(), None, false);
        let rows = (0..n)
            .map(|i| row(&format!("s{i}"), Status::Completed))
            .collect();
        let q = s.current_query();
        assert!(s.apply_results(q, 0, rows, n));
        s
    }

    fn typed(s: &mut State, text: &str) -> Action {
        let mut last = Action::None;
        for c in text.chars() {
            last = s.handle(&key(KeyCode::Char(c)));
        }
        last
    }

    #[test]
    fn typing_asks_for_the_new_query() {
        let mut s = with_rows(3);
        let a = typed(&mut s, "auth");
        assert_eq!(
            a,
            Action::Search(Query {
                text: "auth".into(),
                scope: Scope::All,
                status: None
            })
        );
        assert!(s.loading());
        assert_eq!(
            s.handle(&key(KeyCode::Backspace)),
            Action::Search(Query {
                text: "aut".into(),
                scope: Scope::All,
                status: None
            })
        );
        assert_eq!(
            s.handle(&ctrl('w')),
            Action::None,
            "back to the query on screen"
        );
        assert_eq!(s.query, "");
        let q = s.current_query();
        s.apply_results(q, 0, vec![], 0);
        typed(&mut s, "x");
        let q = s.current_query();
        s.apply_results(q, 0, vec![], 0);
        assert_eq!(
            typed(&mut s, " "),
            Action::None,
            "same query: not asked again"
        );
    }

    #[test]
    fn stale_answers_are_dropped() {
        let mut s = with_rows(3);
        typed(&mut s, "ab");
        let stale = Query {
            text: "a".into(),
            scope: Scope::All,
            status: None,
        };
        assert!(!s.apply_results(stale, 0, vec![row("x", Status::Active)], 1));
        assert_eq!(s.rows.len(), 3);
        let q = s.current_query();
        assert!(s.apply_results(q, 0, vec![row("y", Status::Active)], 7));
        assert_eq!(s.rows[0].id, "y");
        assert_eq!(s.total, 7);
        assert!(!s.loading());
    }

    #[test]
    fn navigation_stays_in_bounds_and_scrolls() {
        let mut s = with_rows(50);
        s.set_page(10);
        s.handle(&key(KeyCode::Up));
        assert_eq!(s.selected, 0);
        s.handle(&key(KeyCode::PageDown));
        assert_eq!(s.selected, 10);
        assert_eq!(s.offset, 1);
        s.handle(&key(KeyCode::End));
        assert_eq!((s.selected, s.offset), (49, 40));
        s.handle(&ctrl('p'));
        assert_eq!(s.selected, 48);
        s.handle(&key(KeyCode::Home));
        assert_eq!((s.selected, s.offset), (0, 0));
        s.handle(&ctrl('n'));
        assert_eq!(s.selected, 1);
        let wheel = Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        });
        s.handle(&wheel);
        assert_eq!(s.selected, 4);
    }

    #[test]
    fn normal_mode_letters_are_commands() {
        let mut s = with_rows(5);
        assert_eq!(typed(&mut s, "j"), Action::Search(s.current_query()));
        assert_eq!(s.query, "j", "insert mode types letters");
        s.handle(&ctrl('u'));
        s.handle(&ctrl('g'));
        assert_eq!(s.mode, Mode::Normal);
        s.handle(&key(KeyCode::Char('j')));
        s.handle(&key(KeyCode::Char('j')));
        s.handle(&key(KeyCode::Char('k')));
        assert_eq!(s.selected, 1);
        assert_eq!(s.query, "");
        assert_eq!(
            s.handle(&key(KeyCode::Char('y'))),
            Action::Copy("s1".into())
        );
        assert_eq!(
            s.handle(&key(KeyCode::Char('p'))),
            Action::Print(row("s1", Status::Completed))
        );
        assert_eq!(s.handle(&key(KeyCode::Char('q'))), Action::Quit);
        s.handle(&key(KeyCode::Char('i')));
        assert_eq!(s.mode, Mode::Insert);
    }

    #[test]
    fn enter_resumes_the_selection_and_esc_quits() {
        let mut s = with_rows(3);
        s.handle(&key(KeyCode::Down));
        assert_eq!(
            s.handle(&key(KeyCode::Enter)),
            Action::Resume(row("s1", Status::Completed))
        );
        assert_eq!(s.handle(&key(KeyCode::Esc)), Action::Quit);
        assert_eq!(s.handle(&ctrl('c')), Action::Quit);
        let mut empty = State::new(String::new(), None, false);
        assert_eq!(empty.handle(&key(KeyCode::Enter)), Action::None);
        s.set_row_status("s1", Status::Running);
        assert_eq!(
            s.handle(&key(KeyCode::Enter)),
            Action::None,
            "running: not resumed"
        );
        assert!(s.message.as_deref().is_some_and(|m| m.contains("running")));
    }

    #[test]
    fn alt_enter_starts_a_new_session_with_the_typed_prompt() {
        let mut s = with_rows(2);
        typed(&mut s, "fix the build ");
        let alt_enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT));
        assert_eq!(
            s.handle(&alt_enter),
            Action::New {
                cwd: Some("/w/s0".into()),
                prompt: "fix the build".into()
            }
        );
    }

    #[test]
    fn tab_and_status_cycle_change_the_query() {
        let mut s = with_rows(2);
        let a = s.handle(&key(KeyCode::Tab));
        assert!(matches!(
            a,
            Action::Search(Query {
                scope: Scope::Project,
                ..
            })
        ));
        s.handle(&key(KeyCode::Tab));
        assert_eq!(s.scope, Scope::All);
        let mut seen = vec![];
        for _ in 0..=Status::ALL.len() {
            s.handle(&ctrl('s'));
            seen.push(s.status);
        }
        assert_eq!(seen.first(), Some(&Some(Status::ALL[0])));
        assert_eq!(seen.last(), Some(&None), "cycles back to every status");
    }

    #[test]
    fn archive_toggles() {
        let mut s = with_rows(1);
        assert_eq!(
            s.handle(&ctrl('x')),
            Action::SetStatus {
                id: "s0".into(),
                status: Status::Archived
            }
        );
        s.set_row_status("s0", Status::Archived);
        assert_eq!(
            s.handle(&ctrl('x')),
            Action::SetStatus {
                id: "s0".into(),
                status: Status::Active
            }
        );
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut s = with_rows(1);
        s.handle(&key(KeyCode::Char('?')));
        assert!(s.help);
        assert_eq!(s.query, "");
        assert_eq!(s.handle(&key(KeyCode::Enter)), Action::None);
        assert!(!s.help);
    }

    #[test]
    fn selection_follows_the_session_while_the_same_query_refreshes() {
        let mut s = with_rows(3);
        s.handle(&key(KeyCode::Down));
        s.handle(&key(KeyCode::Down));
        let q = s.current_query();
        let rows = vec![
            row("new", Status::Active),
            row("s0", Status::Completed),
            row("s2", Status::Completed),
        ];
        s.apply_results(q, 0, rows, 3);
        assert_eq!(s.selected_row().map(|r| r.id.as_str()), Some("s2"));
        typed(&mut s, "z");
        let q = s.current_query();
        s.apply_results(
            q,
            0,
            vec![row("a", Status::Active), row("s2", Status::Active)],
            2,
        );
        assert_eq!(s.selected, 0, "a new query starts at its best hit");
    }

    #[test]
    fn scrolling_near_the_end_asks_for_the_next_page_once() {
        let mut s = State::new(String::new(), None, false);
        let q = s.current_query();
        let page = |from: usize, to: usize| -> Vec<Row> {
            (from..to)
                .map(|i| row(&format!("s{i}"), Status::Completed))
                .collect()
        };
        s.apply_results(q.clone(), 0, page(0, 30), 70);
        s.set_page(10);
        assert!(s.partial());
        assert_eq!(s.wants_more(), None, "two screens left");
        s.handle(&key(KeyCode::PageDown));
        s.handle(&key(KeyCode::PageDown));
        assert_eq!(s.wants_more(), Some((q.clone(), 30)));
        assert_eq!(s.wants_more(), None, "asked once");
        // A session used meanwhile moved the order: the page repeats one row.
        assert!(s.apply_results(q.clone(), 30, page(29, 60), 70));
        assert_eq!(s.rows.len(), 60);
        assert_eq!(s.rows.iter().filter(|r| r.id == "s29").count(), 1);
        s.handle(&key(KeyCode::End));
        assert_eq!(s.selected, 59);
        assert_eq!(s.wants_more(), Some((q.clone(), 60)));
        assert!(s.apply_results(q.clone(), 60, page(60, 70), 70));
        s.handle(&key(KeyCode::End));
        assert_eq!((s.selected, s.rows.len()), (69, 70));
        assert!(!s.partial());
        assert_eq!(s.wants_more(), None, "everything is loaded");
        // A page for a query no longer on screen is dropped.
        typed(&mut s, "x");
        assert!(!s.apply_results(q, 70, page(70, 80), 80));
        assert_eq!(s.rows.len(), 70);
    }
}
