//! The real-CLI suite: one test target, a module per program.

mod real {
    pub mod claude_loop;
    pub mod codex_releases;
    pub mod route_home;
}
