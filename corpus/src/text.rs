//! Words, prompts and bulk text.
//!
//! Two kinds of content live here:
//! * *meaningful* text (prompts, replies, session names) built from topic templates, so a corpus
//!   has many distinct, searchable developer conversations;
//! * *bulk* text (tool outputs, encrypted reasoning, images) sliced out of pools generated once
//!   per process from a fixed seed. Slicing a pool is a memcpy, which is what lets us write 2 GB in
//!   seconds; the pools look like real tool output (code, test runs, diffs, `rg` hits) so
//!   tokenizers and search indexes see realistic vocabulary.
//!
//! Pools are ASCII-only so any byte offset is a char boundary.

use std::sync::OnceLock;

use crate::rng::Rng;

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Rust,
    Ts,
    Py,
    Go,
}

pub(crate) struct Project {
    pub name: &'static str,
    pub lang: Lang,
    pub org: &'static str,
}

macro_rules! projects {
    ($($name:literal $lang:ident $org:literal),* $(,)?) => {
        &[$(Project { name: $name, lang: Lang::$lang, org: $org }),*]
    };
}

pub(crate) static PROJECTS: &[Project] = projects![
    "payments-api" Rust "acme", "ledger" Rust "acme", "edge-proxy" Rust "netcraft",
    "tilekit" Rust "mapworks", "sqlite-sync" Rust "me", "logslurp" Rust "me",
    "vectorstore" Rust "lumen", "pkgbuild" Rust "me", "web-dashboard" Ts "acme",
    "checkout-ui" Ts "shopfront", "admin-portal" Ts "acme", "design-system" Ts "shopfront",
    "notes-app" Ts "me", "slack-bot" Ts "teamtools", "vscode-ext" Ts "me", "api-gateway" Ts "netcraft",
    "ml-pipeline" Py "lumen", "etl-jobs" Py "acme", "scraper" Py "me", "recsys" Py "shopfront",
    "invoice-ocr" Py "acme", "django-shop" Py "shopfront", "jupyter-utils" Py "lumen",
    "k8s-operator" Go "netcraft", "metrics-agent" Go "netcraft", "cli-tools" Go "me",
    "auth-service" Go "acme", "blob-store" Go "mapworks", "dotfiles" Py "me", "homelab" Go "me",
];

pub(crate) struct LangVocab {
    pub files: &'static [&'static str],
    pub funcs: &'static [&'static str],
    pub tests: &'static [&'static str],
    pub test_cmd: &'static [&'static str],
    pub lint_cmd: &'static str,
    pub libs: &'static [(&'static str, &'static str)],
    pub errors: &'static [&'static str],
    pub manifest: &'static str,
}

pub(crate) fn vocab(lang: Lang) -> &'static LangVocab {
    match lang {
        Lang::Rust => &RUST,
        Lang::Ts => &TS,
        Lang::Py => &PY,
        Lang::Go => &GO,
    }
}

static RUST: LangVocab = LangVocab {
    files: &[
        "src/lib.rs",
        "src/main.rs",
        "src/config.rs",
        "src/db/pool.rs",
        "src/http/routes.rs",
        "src/worker/queue.rs",
        "src/auth/token.rs",
        "src/cache.rs",
        "src/error.rs",
        "tests/integration.rs",
        "src/cli.rs",
        "src/metrics.rs",
        "src/parser.rs",
        "src/storage/s3.rs",
        "benches/throughput.rs",
        "src/wal/segment.rs",
    ],
    funcs: &[
        "parse_header",
        "retry_with_backoff",
        "load_config",
        "flush_batch",
        "handle_request",
        "refresh_token",
        "compact_segments",
        "spawn_worker",
        "encode_frame",
        "validate_input",
        "open_pool",
        "apply_migrations",
    ],
    tests: &[
        "test_concurrent_flush",
        "retries_on_timeout",
        "parses_empty_header",
        "roundtrip_large_payload",
        "rejects_expired_token",
        "compaction_keeps_latest",
    ],
    test_cmd: &["cargo test", "cargo test --workspace", "cargo nextest run"],
    lint_cmd: "cargo clippy --all-targets -- -D warnings",
    libs: &[
        ("reqwest", "ureq"),
        ("async-std", "tokio"),
        ("serde_yaml", "toml"),
        ("log", "tracing"),
        ("structopt", "clap"),
        ("failure", "thiserror"),
        ("lazy_static", "once_cell"),
        ("chrono", "jiff"),
        ("diesel", "sqlx"),
    ],
    errors: &[
        "thread 'main' panicked at src/lib.rs:214:9: called `Option::unwrap()` on a `None` value",
        "error[E0502]: cannot borrow `self.buf` as mutable because it is also borrowed as immutable",
        "error: future cannot be sent between threads safely",
        "Connection reset by peer (os error 104)",
        "error[E0433]: failed to resolve: use of undeclared crate or module `tokio`",
        "test timed out after 60s",
    ],
    manifest: "Cargo.toml",
};

static TS: LangVocab = LangVocab {
    files: &[
        "src/App.tsx",
        "src/components/Header.tsx",
        "src/hooks/useSession.ts",
        "src/api/client.ts",
        "src/pages/settings.tsx",
        "src/store/cart.ts",
        "src/utils/format.ts",
        "server/index.ts",
        "src/components/DataTable.tsx",
        "src/routes/orders.ts",
        "vite.config.ts",
        "src/i18n/index.ts",
    ],
    funcs: &[
        "fetchOrders",
        "useDebounce",
        "formatCurrency",
        "handleSubmit",
        "refreshSession",
        "buildQuery",
        "parseWebhook",
        "renderRow",
        "createStore",
        "validateForm",
    ],
    tests: &[
        "renders the empty state",
        "retries failed requests",
        "formats negative amounts",
        "keeps the cart after reload",
        "rejects an invalid signature",
    ],
    test_cmd: &["npm test", "pnpm test", "npx vitest run", "yarn jest"],
    lint_cmd: "pnpm lint && npx tsc --noEmit",
    libs: &[
        ("moment", "date-fns"),
        ("axios", "fetch"),
        ("redux", "zustand"),
        ("enzyme", "testing-library"),
        ("webpack", "vite"),
        ("jest", "vitest"),
        ("express", "fastify"),
        ("tslint", "eslint"),
    ],
    errors: &[
        "TypeError: Cannot read properties of undefined (reading 'map')",
        "Error: Hydration failed because the initial UI does not match what was rendered on the server",
        "TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'",
        "Unhandled Promise rejection: AbortError: The operation was aborted",
        "Warning: Each child in a list should have a unique \"key\" prop.",
    ],
    manifest: "package.json",
};

static PY: LangVocab = LangVocab {
    files: &[
        "app/models.py",
        "app/views.py",
        "pipeline/transform.py",
        "pipeline/io.py",
        "tests/test_api.py",
        "scripts/backfill.py",
        "app/tasks.py",
        "settings.py",
        "src/features/encode.py",
        "notebooks/eval.py",
        "app/serializers.py",
    ],
    funcs: &[
        "load_dataset",
        "normalize_rows",
        "train_epoch",
        "send_invoice",
        "parse_pdf",
        "dedupe_records",
        "build_features",
        "get_queryset",
        "retry_request",
        "export_csv",
    ],
    tests: &[
        "test_export_handles_unicode",
        "test_backfill_is_idempotent",
        "test_parse_empty_pdf",
        "test_dedupe_keeps_newest",
        "test_invoice_totals",
    ],
    test_cmd: &[
        "pytest -x",
        "pytest -q tests/",
        "python -m pytest -k api",
        "tox -e py312",
    ],
    lint_cmd: "ruff check . && mypy src",
    libs: &[
        ("requests", "httpx"),
        ("pandas", "polars"),
        ("flake8", "ruff"),
        ("setup.py", "pyproject.toml"),
        ("celery", "rq"),
        ("unittest", "pytest"),
        ("pip-tools", "uv"),
    ],
    errors: &[
        "KeyError: 'customer_id'",
        "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly",
        "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
        "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 1042",
        "django.db.utils.IntegrityError: duplicate key value violates unique constraint",
    ],
    manifest: "pyproject.toml",
};

static GO: LangVocab = LangVocab {
    files: &[
        "cmd/server/main.go",
        "internal/store/store.go",
        "internal/api/handlers.go",
        "internal/controller/reconcile.go",
        "pkg/metrics/collector.go",
        "internal/auth/jwt.go",
        "internal/queue/consumer.go",
        "internal/config/config.go",
        "pkg/client/client.go",
    ],
    funcs: &[
        "Reconcile",
        "NewServer",
        "HandleUpload",
        "ParseToken",
        "Collect",
        "Consume",
        "LoadConfig",
        "withRetry",
        "Shutdown",
        "Backoff",
    ],
    tests: &[
        "TestReconcileDeletesOrphans",
        "TestUploadLargeFile",
        "TestParseExpiredToken",
        "TestConsumerRedelivery",
        "TestGracefulShutdown",
    ],
    test_cmd: &["go test ./...", "go test -race ./internal/...", "make test"],
    lint_cmd: "golangci-lint run ./...",
    libs: &[
        ("gorilla/mux", "chi"),
        ("logrus", "slog"),
        ("dep", "go modules"),
        ("viper", "envconfig"),
        ("go-kit", "connect-go"),
    ],
    errors: &[
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "fatal error: concurrent map writes",
        "context deadline exceeded",
        "WARNING: DATA RACE",
        "http: Server closed",
    ],
    manifest: "go.mod",
};

pub(crate) static COMPONENTS: &[&str] = &[
    "billing",
    "auth",
    "search indexer",
    "upload service",
    "notification worker",
    "rate limiter",
    "session store",
    "admin dashboard",
    "export job",
    "webhook handler",
    "feature flags",
    "audit log",
    "image resizer",
    "CSV importer",
    "scheduler",
    "checkout flow",
    "onboarding wizard",
    "permissions model",
    "email templates",
    "cache layer",
];
pub(crate) static ENDPOINTS: &[&str] = &[
    "/api/v1/invoices",
    "/api/v2/users/:id",
    "/healthz",
    "/api/orders",
    "/graphql",
    "/webhooks/stripe",
    "/api/search",
    "/api/v1/exports",
    "/auth/callback",
    "/api/uploads",
];
pub(crate) static ENV_VARS: &[&str] = &[
    "DATABASE_URL",
    "LOG_LEVEL",
    "MAX_RETRIES",
    "FEATURE_NEW_CHECKOUT",
    "REDIS_URL",
    "S3_BUCKET",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];
pub(crate) static TABLES: &[&str] = &[
    "users",
    "orders",
    "invoices",
    "events",
    "audit_entries",
    "subscriptions",
    "line_items",
];
pub(crate) static BRANCHES: &[&str] = &[
    "main",
    "main",
    "main",
    "develop",
    "fix/flaky-tests",
    "feat/pagination",
    "chore/deps",
    "feat/rate-limit",
    "refactor/storage",
    "release/2.4",
    "wip",
];

/// An opening prompt and the short title a user would `/rename` the thread to.
pub(crate) struct Topic {
    pub open: &'static str,
    pub title: &'static str,
}

macro_rules! topics {
    ($($open:literal => $title:literal),* $(,)?) => { &[$(Topic { open: $open, title: $title }),*] };
}

/// Opening prompts. `{x}` are slots filled per session (see [`Slots`]).
pub(crate) static TOPICS: &[Topic] = topics![
    "the {test} test is flaky on CI: it passes locally but fails about 1 in 5 runs with `{err}`. can you find the race?" => "flaky {test}",
    "add cursor-based pagination to the {endpoint} endpoint, keep the old offset param working for now" => "pagination for {endpoint}",
    "migrate the {comp} from {old} to {new}" => "{old} → {new} migration",
    "why is `{test_cmd}` so slow? it takes 40s on a clean checkout" => "slow test suite",
    "write unit tests for {func} in {file}, cover the error paths" => "tests for {func}",
    "refactor {file}: split the {comp} logic into its own module, no behaviour change" => "split {comp} out of {file}",
    "we're getting `{err}` in the prod logs from the {comp}. what's going on?" => "prod error in {comp}",
    "review my last commit and point out anything risky" => "review last commit",
    "bump {old} to the latest version and fix whatever breaks" => "bump {old}",
    "set up a GitHub Actions workflow that runs {test_cmd} and the linters on every PR" => "CI workflow",
    "explain how the {comp} handles retries, I need to change the backoff to exponential with jitter" => "retry/backoff in {comp}",
    "add a --json flag to the export command so scripts can consume the output" => "--json for export",
    "{func} allocates way too much according to the flamegraph, can you make it cheaper?" => "optimize {func}",
    "port {file} to async, it blocks the event loop under load" => "async {file}",
    "implement rate limiting for {endpoint}: token bucket, 100 requests per minute per API key" => "rate limit {endpoint}",
    "the docker build fails at the dependency install step with `{err}`" => "docker build broken",
    "make the {table} migration reversible and add a down migration" => "reversible {table} migration",
    "add German and Japanese translations for the settings page (設定 / 保存 / キャンセル are the Japanese strings we already have)" => "i18n settings page",
    "the café names in the {comp} export show up as “CafÃ©”, fix the encoding bug" => "encoding bug in export",
    "usernames with emoji 🎉 crash the {comp}, reproduce it with a test first" => "emoji crash in {comp}",
    "read {file} and tell me what {func} is supposed to do, the comments are out of date" => "understand {func}",
    "add structured logging to the {comp} with request ids, replace the printf-style logs" => "structured logging",
    "the {comp} leaks file descriptors after a few hours, `lsof` shows thousands of sockets" => "fd leak in {comp}",
    "write a README section on how to run {project} locally, including the {env} setup" => "README local setup",
    "there's a deadlock somewhere in the {comp} when two workers flush at the same time" => "deadlock in {comp}",
    "add an index for the slow query on {table}, explain analyze says seq scan" => "index on {table}",
    "turn the {comp} config into env vars ({env} etc.) with sane defaults" => "config via env",
    "dark mode toggle doesn't persist after a reload, fix it" => "dark mode persistence",
    "add OpenTelemetry tracing around {func} and export to the collector" => "tracing for {func}",
    "our {lint} run has 37 warnings, clean them up without changing behaviour" => "lint cleanup",
    "the {endpoint} handler returns 500 when the body is empty, it should be a 400 with a message" => "400 on empty body",
    "generate a typed client for {endpoint} from the OpenAPI spec" => "typed API client",
    "property-test {func}: round-trip should hold for arbitrary input" => "proptest {func}",
    "can you figure out why memory grows without bound in the {comp}? heap profile attached below" => "memory growth in {comp}",
    "replace the hand-written SQL in {file} with the query builder" => "query builder in {file}",
    "set up pre-commit hooks for formatting and {lint}" => "pre-commit hooks",
    "implement soft delete for {table} with a deleted_at column and filter it everywhere" => "soft delete {table}",
    "the websocket reconnect loop spins at 100% CPU when the server is down" => "reconnect busy loop",
    "add a health check that verifies the database and redis connections" => "health check",
    "write a backfill script for {table} that can resume after a crash" => "{table} backfill",
    "compare our {func} with the upstream implementation and list the differences" => "diff vs upstream {func}",
    "make the build reproducible, two builds of the same commit produce different hashes" => "reproducible builds",
    "upgrade the project to the latest language edition and fix the new warnings" => "edition upgrade",
    "add a feature flag {env} around the new {comp} code path" => "flag for {comp}",
    "the CSV importer chokes on files with a BOM and CRLF line endings" => "CSV BOM/CRLF",
    "help me write a design doc for moving the {comp} to a queue-based architecture" => "design doc: queue {comp}",
    "benchmark {func} before and after your change and show me the numbers" => "benchmark {func}",
    "clean up the git history on this branch into three logical commits" => "tidy branch history",
    "what does this regex do? ^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@ and can we replace it with a library" => "email regex",
    "add a `/metrics` endpoint with request latency histograms" => "metrics endpoint",
    "the timezone handling in {func} is wrong for users in UTC+13" => "timezone bug in {func}",
    "<div class=\"card\"><img src=\"logo.png\"></div> renders the logo twice in Safari, why?" => "Safari double logo",
    "<?xml version=\"1.0\"?> files from the partner feed fail to parse in {func}, sample below" => "partner XML feed",
];

/// Follow-up prompts within a session.
pub(crate) static FOLLOW_UPS: &[&str] = &[
    "looks good, now add tests for it",
    "run {test_cmd} and fix whatever fails",
    "that broke {file2}, revert the change to {func} and try another approach",
    "can you also handle the case where the input is empty?",
    "commit this with a descriptive message",
    "use {new} instead, we already depend on it",
    "make it configurable via {env}",
    "update the changelog",
    "don't touch {file2}, it's generated",
    "explain the diff to me in two sentences",
    "ok, ship it",
    "why did you change {func}?",
    "{lint} is failing now: `{err}`",
    "also update the docs",
    "can you make it faster? {n} ms per call is too slow",
    "remove the debug prints",
    "now do the same for the {comp2}",
    "hmm, still failing with `{err}`",
    "squash these into one commit",
    "add a comment explaining why we need the lock there",
    "what happens if two requests hit {endpoint} at the same time?",
    "rename {func} to something clearer",
    "the test passes now but it takes {n} ms, can we mock the network?",
    "go with option 2",
    "yes",
    "let's keep the old behaviour behind a flag",
    "write the migration too",
    "check the other call sites of {func}",
    "push the branch and open a draft PR",
    "add a test for the unicode case (naïve, 東京, 🎉)",
    "how would you test this without hitting the real database?",
    "revert everything and start over with a smaller change",
    "looks right. one nit: use early returns",
    "can you write a short summary I can paste into the PR description?",
];

pub(crate) static COMMENTARY: &[&str] = &[
    "I'll start by looking at how {func} is used.",
    "Let me run the tests to reproduce the failure first.",
    "Checking {file} for the {comp} logic.",
    "I found the spot; applying a patch now.",
    "Running the linters to make sure nothing else broke.",
    "The failure is in {func}; reading the surrounding code.",
];

pub(crate) static REPLIES: &[&str] = &[
    "Done. I updated `{file}` so that `{func}` handles the edge case, and added a regression test. `{test_cmd}` passes.",
    "Fixed: the race came from two workers sharing the same buffer without a lock. `{test}` now passes 200/200 runs locally.",
    "I changed `{func}` in `{file}` and updated its callers. Summary:\n- behaviour is unchanged for valid input\n- invalid input now returns an error instead of panicking\n\nTests: `{test_cmd}` (all green).",
    "Here's what `{func}` does: it reads the header, validates the length prefix, then dispatches on the message kind. The comment about caching is stale; nothing is cached since the refactor.",
    "I couldn't reproduce `{err}` locally. The most likely cause is the connection pool being exhausted under load; I added a metric and a timeout so we can confirm.",
    "Migrated the {comp} from {old} to {new}. Two call sites needed manual changes; everything else was mechanical. `{lint}` is clean.",
    "Committed as `fix({comp}): handle empty input in {func}`.",
    "Benchmarks: before {n} ms/op, after {n2} ms/op (criterion, 100 samples).",
];

pub(crate) static REASONING_TITLES: &[&str] = &[
    "**Inspecting the repository**",
    "**Planning the fix**",
    "**Running tests**",
    "**Reviewing {file}**",
    "**Considering edge cases**",
    "**Checking call sites of {func}**",
    "**Summarizing changes**",
];

/// Per-session choices that keep a conversation coherent (one file, one function …).
pub(crate) struct Slots {
    pub project: &'static Project,
    pub file: &'static str,
    pub file2: &'static str,
    pub func: &'static str,
    pub test: &'static str,
    pub comp: &'static str,
    pub comp2: &'static str,
    pub endpoint: &'static str,
    pub err: &'static str,
    pub old: &'static str,
    pub new: &'static str,
    pub env: &'static str,
    pub table: &'static str,
    pub test_cmd: &'static str,
    pub n: u64,
    pub n2: u64,
}

impl Slots {
    pub fn new(project: &'static Project, rng: &mut Rng) -> Slots {
        let v = vocab(project.lang);
        let (old, new) = rng.pick(v.libs);
        Slots {
            project,
            file: rng.pick(v.files),
            file2: rng.pick(v.files),
            func: rng.pick(v.funcs),
            test: rng.pick(v.tests),
            comp: rng.pick(COMPONENTS),
            comp2: rng.pick(COMPONENTS),
            endpoint: rng.pick(ENDPOINTS),
            err: rng.pick(v.errors),
            old,
            new,
            env: rng.pick(ENV_VARS),
            table: rng.pick(TABLES),
            test_cmd: rng.pick(v.test_cmd),
            n: rng.range(40, 900),
            n2: rng.range(3, 39),
        }
    }

    /// Replace `{slot}` markers. Unknown or unterminated braces are kept verbatim (the email-regex
    /// topic contains literal braces).
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let value = after.find('}').and_then(|j| {
                let v: Option<String> = match &after[..j] {
                    "project" => Some(self.project.name.into()),
                    "file" => Some(self.file.into()),
                    "file2" => Some(self.file2.into()),
                    "func" => Some(self.func.into()),
                    "test" => Some(self.test.into()),
                    "comp" => Some(self.comp.into()),
                    "comp2" => Some(self.comp2.into()),
                    "endpoint" => Some(self.endpoint.into()),
                    "err" => Some(self.err.into()),
                    "old" => Some(self.old.into()),
                    "new" => Some(self.new.into()),
                    "env" => Some(self.env.into()),
                    "table" => Some(self.table.into()),
                    "test_cmd" => Some(self.test_cmd.into()),
                    "lint" => Some(vocab(self.project.lang).lint_cmd.into()),
                    "n" => Some(self.n.to_string()),
                    "n2" => Some(self.n2.to_string()),
                    _ => None,
                };
                v.map(|v| (v, j))
            });
            match value {
                Some((v, j)) => {
                    out.push_str(&v);
                    rest = &after[j + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A shell command the agent runs for this session, and what its output looks like.
pub(crate) fn pick_command(slots: &Slots, rng: &mut Rng) -> (String, PoolKind) {
    let v = vocab(slots.project.lang);
    match rng.below(9) {
        0 | 1 => (format!("rg -n \"{}\" .", slots.func), PoolKind::SearchHits),
        2 | 3 => (
            format!("sed -n '1,{}p' {}", rng.range(80, 400), slots.file),
            PoolKind::code(slots.project.lang),
        ),
        4 | 5 => (slots.test_cmd.to_string(), PoolKind::TestOutput),
        6 => ("git diff".to_string(), PoolKind::Diff),
        7 => (v.lint_cmd.to_string(), PoolKind::Log),
        _ => (
            if rng.chance(500) {
                "git status --short && ls -la".to_string()
            } else {
                format!("cat {}", v.manifest)
            },
            PoolKind::Listing,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Bulk pools
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PoolKind {
    RustCode,
    TsCode,
    PyCode,
    GoCode,
    TestOutput,
    SearchHits,
    Diff,
    Listing,
    Log,
    Instructions,
}

impl PoolKind {
    const ALL: [PoolKind; 10] = [
        PoolKind::RustCode,
        PoolKind::TsCode,
        PoolKind::PyCode,
        PoolKind::GoCode,
        PoolKind::TestOutput,
        PoolKind::SearchHits,
        PoolKind::Diff,
        PoolKind::Listing,
        PoolKind::Log,
        PoolKind::Instructions,
    ];

    pub fn code(lang: Lang) -> PoolKind {
        match lang {
            Lang::Rust => PoolKind::RustCode,
            Lang::Ts => PoolKind::TsCode,
            Lang::Py => PoolKind::PyCode,
            Lang::Go => PoolKind::GoCode,
        }
    }
}

/// Size of each text pool; tool outputs are at most ~20 KB so this gives plenty of variety.
const TEXT_POOL: usize = 384 * 1024;
/// Size of the base64 pool; larger requests wrap around.
const B64_POOL: usize = 8 * 1024 * 1024;

pub(crate) struct Pools {
    text: Vec<Vec<u8>>,
    b64: Vec<u8>,
}

/// The process-wide pools, built on first use from a fixed seed (independent of the corpus seed,
/// so fixtures written by tests are stable too).
pub(crate) fn pools() -> &'static Pools {
    static POOLS: OnceLock<Pools> = OnceLock::new();
    POOLS.get_or_init(|| {
        let mut rng = Rng::new(0xC0DE_C0DE);
        let text = PoolKind::ALL
            .iter()
            .map(|&k| build_text_pool(k, &mut rng))
            .collect();
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut b64 = vec![0u8; B64_POOL];
        rng.fill_bytes(&mut b64);
        for b in &mut b64 {
            *b = ALPHABET[usize::from(*b & 63)];
        }
        Pools { text, b64 }
    })
}

impl Pools {
    /// About `len` bytes of `kind` text starting and ending on line boundaries.
    pub fn text(&self, kind: PoolKind, rng: &mut Rng, len: usize) -> &[u8] {
        let pool = &self.text[kind as usize];
        let len = len.min(pool.len() / 2).max(1);
        let mut start = rng.below_usize(pool.len() - len);
        // Move to the start of the next line so outputs never begin mid-line.
        if let Some(p) = pool[start..].iter().position(|&b| b == b'\n') {
            start = (start + p + 1).min(pool.len() - 1);
        }
        let mut end = (start + len).min(pool.len());
        if let Some(p) = pool[end..].iter().position(|&b| b == b'\n') {
            end += p;
        }
        &pool[start..end]
    }

    /// The fixed-length prefix of a pool (used for `base_instructions`, identical across sessions
    /// of a version like the real thing).
    pub fn prefix(&self, kind: PoolKind, len: usize) -> &[u8] {
        let pool = &self.text[kind as usize];
        &pool[..len.min(pool.len())]
    }

    /// `len` bytes of base64 as slices of the pool (wrapping for multi-MB requests).
    pub fn b64(&self, rng: &mut Rng, len: usize) -> Vec<&[u8]> {
        let mut parts = Vec::new();
        let mut left = len;
        let mut start = rng.below_usize(self.b64.len());
        while left > 0 {
            let take = left.min(self.b64.len() - start);
            parts.push(&self.b64[start..start + take]);
            left -= take;
            start = 0;
        }
        parts
    }
}

const NOUNS: &[&str] = &[
    "buffer", "config", "token", "session", "request", "record", "batch", "frame", "index",
    "cache", "queue", "worker", "handler", "segment", "header", "payload", "client", "pool",
    "store", "event", "order", "invoice", "user", "cursor", "span",
];
const VERBS: &[&str] = &[
    "parse", "load", "flush", "encode", "decode", "spawn", "retry", "validate", "compact",
    "refresh", "fetch", "build", "render", "apply", "merge", "resolve",
];
const TYPES: &[&str] = &[
    "Config", "Session", "Request", "Record", "Batch", "Frame", "Segment", "Client", "Store",
    "Error", "Order", "Invoice",
];
const GUIDELINES: &[&str] = &[
    "- Run the full test suite before you finish a task.",
    "- Prefer small, focused commits with descriptive messages.",
    "- Never edit generated files under `gen/`; change the generator instead.",
    "- Use the existing error types; do not introduce new ones without a reason.",
    "- Keep functions short; extract helpers when a function grows past 50 lines.",
    "- Public APIs need doc comments with an example.",
    "- Do not add dependencies without asking first.",
    "- Log with structured fields, never with string formatting.",
    "- When you are unsure about intent, ask before making large changes.",
    "- Tests must not touch the network; use the fakes in `testutil`.",
    "- Format code with the project formatter before committing.",
    "- Keep the changelog up to date under the Unreleased heading.",
    "- Respect the sandbox: do not write outside the workspace.",
    "- When a command fails, read the error output carefully before retrying.",
    "- Summarize what you changed and how you verified it at the end of each task.",
];

fn ident(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(VERBS), rng.pick(NOUNS))
}

fn camel(rng: &mut Rng) -> String {
    let n = rng.pick(NOUNS);
    let mut c = n.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('X');
    format!("{}{}{}", rng.pick(VERBS), first, c.as_str())
}

fn build_text_pool(kind: PoolKind, rng: &mut Rng) -> Vec<u8> {
    use std::fmt::Write;
    let mut s = String::with_capacity(TEXT_POOL + 256);
    while s.len() < TEXT_POOL {
        let _ = match kind {
            PoolKind::RustCode => match rng.below(10) {
                0 => writeln!(
                    s,
                    "pub fn {}(&mut self, {}: &{}) -> Result<{}, Error> {{",
                    ident(rng),
                    rng.pick(NOUNS),
                    rng.pick(TYPES),
                    rng.pick(TYPES)
                ),
                1 => writeln!(
                    s,
                    "    let {} = self.{}.{}(&{})?;",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    ident(rng),
                    rng.pick(NOUNS)
                ),
                2 => writeln!(
                    s,
                    "    // {} the {} before the {} is dropped",
                    rng.pick(VERBS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                3 => writeln!(
                    s,
                    "    if {}.len() > MAX_{} {{\n        return Err(Error::TooLarge);\n    }}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS).to_uppercase()
                ),
                4 => writeln!(
                    s,
                    "}}\n\n#[derive(Debug, Clone, PartialEq)]\npub struct {} {{\n    {}: Vec<{}>,\n}}",
                    rng.pick(TYPES),
                    rng.pick(NOUNS),
                    rng.pick(TYPES)
                ),
                5 => writeln!(
                    s,
                    "use crate::{}::{{{}, {}}};",
                    rng.pick(NOUNS),
                    rng.pick(TYPES),
                    rng.pick(TYPES)
                ),
                6 => writeln!(
                    s,
                    "    for {} in {}.iter() {{\n        {}.push({}.clone());\n    }}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                7 => writeln!(
                    s,
                    "    Ok({}::new({}))\n}}\n",
                    rng.pick(TYPES),
                    rng.pick(NOUNS)
                ),
                8 => writeln!(
                    s,
                    "#[test]\nfn {}_{}() {{\n    assert_eq!({}(&[]), Ok(0));\n}}",
                    ident(rng),
                    rng.pick(NOUNS),
                    ident(rng)
                ),
                _ => writeln!(
                    s,
                    "    match {} {{\n        Some(x) => x,\n        None => return Ok(()),\n    }};",
                    rng.pick(NOUNS)
                ),
            },
            PoolKind::TsCode => match rng.below(8) {
                0 => writeln!(
                    s,
                    "export async function {}({}: {}): Promise<{}> {{",
                    camel(rng),
                    rng.pick(NOUNS),
                    rng.pick(TYPES),
                    rng.pick(TYPES)
                ),
                1 => writeln!(
                    s,
                    "  const {} = await {}.{}({});",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    camel(rng),
                    rng.pick(NOUNS)
                ),
                2 => writeln!(
                    s,
                    "import {{ {}, {} }} from './{}';",
                    rng.pick(TYPES),
                    camel(rng),
                    rng.pick(NOUNS)
                ),
                3 => writeln!(
                    s,
                    "  if (!{}) {{\n    throw new Error('missing {}');\n  }}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                4 => writeln!(
                    s,
                    "  return <div className=\"{}\">{{{}.map((x) => <Row key={{x.id}} {{...x}} />)}}</div>;",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                5 => writeln!(
                    s,
                    "}}\n\nexport interface {} {{\n  id: string;\n  {}: number;\n}}",
                    rng.pick(TYPES),
                    rng.pick(NOUNS)
                ),
                6 => writeln!(
                    s,
                    "  // TODO: {} the {} once the API supports it",
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                ),
                _ => writeln!(
                    s,
                    "  useEffect(() => {{\n    {}();\n  }}, [{}]);",
                    camel(rng),
                    rng.pick(NOUNS)
                ),
            },
            PoolKind::PyCode => match rng.below(8) {
                0 => writeln!(
                    s,
                    "def {}({}, {}=None):",
                    ident(rng),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                1 => writeln!(
                    s,
                    "    {} = self.{}.{}({})",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    ident(rng),
                    rng.pick(NOUNS)
                ),
                2 => writeln!(
                    s,
                    "    # {} the {} first, the {} depends on it",
                    rng.pick(VERBS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                3 => writeln!(
                    s,
                    "    if not {}:\n        raise ValueError(\"empty {}\")",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                4 => writeln!(
                    s,
                    "\n\nclass {}({}):\n    \"\"\"{} {}s.\"\"\"",
                    rng.pick(TYPES),
                    rng.pick(TYPES),
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                ),
                5 => writeln!(
                    s,
                    "from .{} import {}, {}",
                    rng.pick(NOUNS),
                    rng.pick(TYPES),
                    ident(rng)
                ),
                6 => writeln!(
                    s,
                    "    for {} in {}:\n        yield {}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
                _ => writeln!(
                    s,
                    "    return {{\"{}\": {}, \"count\": len({})}}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
            },
            PoolKind::GoCode => match rng.below(7) {
                0 => writeln!(
                    s,
                    "func (s *{}) {}(ctx context.Context, {} *{}) error {{",
                    rng.pick(TYPES),
                    camel(rng),
                    rng.pick(NOUNS),
                    rng.pick(TYPES)
                ),
                1 => writeln!(
                    s,
                    "\t{}, err := s.{}.{}(ctx, {})",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    camel(rng),
                    rng.pick(NOUNS)
                ),
                2 => writeln!(
                    s,
                    "\tif err != nil {{\n\t\treturn fmt.Errorf(\"{} {}: %w\", err)\n\t}}",
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                ),
                3 => writeln!(
                    s,
                    "\t// {} the {} under the lock",
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                ),
                4 => writeln!(
                    s,
                    "}}\n\ntype {} struct {{\n\tmu sync.Mutex\n\t{} []{}\n}}",
                    rng.pick(TYPES),
                    rng.pick(NOUNS),
                    rng.pick(TYPES)
                ),
                5 => writeln!(s, "\treturn nil\n}}\n"),
                _ => writeln!(
                    s,
                    "\tfor _, {} := range {} {{\n\t\t{} = append({}, {})\n\t}}",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                ),
            },
            PoolKind::TestOutput => match rng.below(12) {
                0 => writeln!(s, "\nrunning {} tests", rng.range(3, 240)),
                1 => writeln!(
                    s,
                    "test result: ok. {} passed; 0 failed; {} ignored; 0 measured; 0 filtered out; finished in {}.{:02}s\n",
                    rng.range(3, 240),
                    rng.below(4),
                    rng.below(30),
                    rng.below(100)
                ),
                2 => writeln!(
                    s,
                    "tests/test_{}.py::test_{} PASSED{:>20}[{:>3}%]",
                    rng.pick(NOUNS),
                    ident(rng),
                    "",
                    rng.below(101)
                ),
                3 => writeln!(
                    s,
                    "--- FAIL: Test{} ({}.{:02}s)\n    {}_test.go:{}: expected {} got {}",
                    camel(rng),
                    rng.below(5),
                    rng.below(100),
                    rng.pick(NOUNS),
                    rng.range(10, 400),
                    rng.below(100),
                    rng.below(100)
                ),
                4 => writeln!(
                    s,
                    "FAIL src/{}.test.ts > {} > {}\nAssertionError: expected {} to equal {}",
                    rng.pick(NOUNS),
                    rng.pick(TYPES),
                    ident(rng),
                    rng.below(100),
                    rng.below(100)
                ),
                5 => writeln!(
                    s,
                    "   Compiling {} v0.{}.{}",
                    rng.pick(NOUNS),
                    rng.below(20),
                    rng.below(10)
                ),
                _ => writeln!(s, "test {}::tests::{} ... ok", rng.pick(NOUNS), ident(rng)),
            },
            PoolKind::SearchHits => writeln!(
                s,
                "src/{}/{}.rs:{}:    let {} = {}(&{})?;",
                rng.pick(NOUNS),
                rng.pick(NOUNS),
                rng.range(1, 900),
                rng.pick(NOUNS),
                ident(rng),
                rng.pick(NOUNS)
            ),
            PoolKind::Diff => match rng.below(6) {
                0 => writeln!(
                    s,
                    "diff --git a/src/{0}.rs b/src/{0}.rs\nindex {1:07x}..{2:07x} 100644\n--- a/src/{0}.rs\n+++ b/src/{0}.rs",
                    rng.pick(NOUNS),
                    rng.below(1 << 28),
                    rng.below(1 << 28)
                ),
                1 => writeln!(
                    s,
                    "@@ -{},{} +{},{} @@ fn {}(",
                    rng.range(1, 500),
                    rng.range(3, 20),
                    rng.range(1, 500),
                    rng.range(3, 20),
                    ident(rng)
                ),
                2 => writeln!(s, "-    let {} = {}.unwrap();", rng.pick(NOUNS), ident(rng)),
                3 => writeln!(
                    s,
                    "+    let {} = {}.context(\"{} {}\")?;",
                    rng.pick(NOUNS),
                    ident(rng),
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                ),
                _ => writeln!(s, "     {}.{}();", rng.pick(NOUNS), ident(rng)),
            },
            PoolKind::Listing => match rng.below(3) {
                0 => writeln!(
                    s,
                    "-rw-r--r--  1 dev  staff  {:>6} Feb {:>2} {:02}:{:02} {}.rs",
                    rng.range(80, 90_000),
                    rng.range(1, 28),
                    rng.below(24),
                    rng.below(60),
                    rng.pick(NOUNS)
                ),
                1 => writeln!(s, " M src/{}/{}.rs", rng.pick(NOUNS), rng.pick(NOUNS)),
                _ => writeln!(
                    s,
                    "{} = \"{}.{}\"",
                    rng.pick(NOUNS),
                    rng.below(3),
                    rng.below(40)
                ),
            },
            PoolKind::Log => match rng.below(4) {
                0 => writeln!(
                    s,
                    "warning: unused variable: `{}`\n  --> src/{}.rs:{}:{}\n   |",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.range(1, 500),
                    rng.range(1, 40)
                ),
                1 => writeln!(
                    s,
                    "2026-02-23T11:{:02}:{:02}.{:03}Z  INFO {}: {} {} rows in {}ms",
                    rng.below(60),
                    rng.below(60),
                    rng.below(1000),
                    rng.pick(NOUNS),
                    rng.pick(VERBS),
                    rng.range(1, 5000),
                    rng.range(1, 900)
                ),
                2 => writeln!(
                    s,
                    "error: this `if` has identical blocks\n   --> src/{}.rs:{}:{}",
                    rng.pick(NOUNS),
                    rng.range(1, 500),
                    rng.range(1, 40)
                ),
                _ => writeln!(
                    s,
                    "src/{}.py:{}:{}: F401 `{}` imported but unused",
                    rng.pick(NOUNS),
                    rng.range(1, 500),
                    rng.range(1, 40),
                    rng.pick(NOUNS)
                ),
            },
            PoolKind::Instructions => match rng.below(12) {
                0 => writeln!(s, "\n## {} {}\n", rng.pick(VERBS), rng.pick(NOUNS)),
                _ => writeln!(s, "{}", rng.pick(GUIDELINES)),
            },
        };
    }
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_fill_and_keep_unknown_braces() {
        let mut rng = Rng::new(1);
        let slots = Slots::new(&PROJECTS[0], &mut rng);
        let s = slots.fill("fix {func} in {file}; regex {|}~ {nope}");
        assert!(s.contains(slots.func) && s.contains(slots.file));
        assert!(s.ends_with("regex {|}~ {nope}"), "{s}");
        for t in TOPICS {
            assert!(!slots.fill(t.open).contains("{func}"));
        }
    }

    #[test]
    fn pools_are_ascii_and_line_aligned() {
        let p = pools();
        let mut rng = Rng::new(3);
        for k in PoolKind::ALL {
            let t = p.text(k, &mut rng, 5000);
            assert!(t.is_ascii());
            assert!(t.len() >= 4000, "{k:?} {}", t.len());
        }
        let parts = p.b64(&mut rng, B64_POOL + 10);
        assert_eq!(parts.iter().map(|x| x.len()).sum::<usize>(), B64_POOL + 10);
    }
}
