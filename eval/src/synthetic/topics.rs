//! Hand-written prompt material for the labeled set: developer topics with their own entities,
//! first prompts, later prompts and paraphrased follow-ups, plus unrelated new-task prompts.
//!
//! Placeholders: `{x}` topic entity, `{svc}` service, `{fn}` a function name, `{file}` a path.
//! Follow-ups deliberately avoid repeating the first prompt: they use the entity variants
//! (synonyms, abbreviations, other word forms), other verbs, and details from later prompts.

/// A topic entity: the spelling used in sessions, then the spellings a later prompt may use.
pub(super) type Entity = (&'static str, &'static [&'static str]);

pub(super) struct Topic {
    pub title: &'static str,
    pub xs: &'static [Entity],
    pub open: &'static [&'static str],
    pub more: &'static [&'static str],
    pub follow: &'static [&'static str],
}

/// Services (components) a task is about; the second element lists the spellings used later.
pub(super) const SERVICES: &[Entity] = &[
    ("billing", &["billing", "billing service", "billing-svc"]),
    ("auth", &["authentication", "auth service", "auth"]),
    ("checkout", &["checkout", "checkout service", "check-out"]),
    ("search", &["search", "search service", "searching"]),
    (
        "notifications",
        &["notification", "notifier", "notifications service"],
    ),
    ("gateway", &["api gateway", "gateway", "gateways"]),
    (
        "inventory",
        &["inventory", "inventory service", "stock service"],
    ),
    ("media", &["media", "media service", "media uploads"]),
    ("reporting", &["reports", "reporting", "report service"]),
    ("scheduler", &["scheduling", "scheduler", "schedules"]),
    ("accounts", &["account", "accounts", "account service"]),
    ("catalog", &["catalogue", "catalog", "catalog service"]),
    ("shipping", &["shipment", "shipping", "shipments"]),
    ("analytics", &["analytic", "analytics", "analytics service"]),
];

/// Repositories the sessions live in: (directory name, origin URL).
pub(super) const REPOS: &[(&str, &str)] = &[
    ("acme-platform", "git@github.com:acme/acme-platform.git"),
    ("webshop", "https://github.com/acme/webshop.git"),
    ("mobile-app", "git@github.com:acme/mobile-app.git"),
    ("infra", "git@github.com:acme/infra.git"),
    ("data-pipeline", "git@github.com:acme/data-pipeline.git"),
    ("docs-site", "https://github.com/acme/docs-site"),
    ("cli-tools", "git@github.com:acme/cli-tools.git"),
    ("ml-models", "git@github.com:acme/ml-models.git"),
    ("payments-api", "git@github.com:acme/payments-api.git"),
    ("design-system", "git@github.com:acme/design-system.git"),
    ("admin-portal", "git@github.com:acme/admin-portal.git"),
    ("legacy-monolith", "git@gitlab.com:acme/legacy-monolith.git"),
];

/// Subdirectories a session may run in (relative to the repo root; "" is the root).
pub(super) const SUBDIRS: &[&str] = &["", "", "", "web", "server", "scripts", "services/core"];

/// Verb and noun pools for function names (`parseInvoice` / `parse_invoice`).
pub(super) const FN_VERBS: &[&str] = &[
    "parse",
    "load",
    "validate",
    "sync",
    "render",
    "handle",
    "compute",
    "fetch",
    "build",
    "apply",
    "resolve",
    "flush",
    "normalize",
    "reconcile",
    "serialize",
];
pub(super) const FN_NOUNS: &[&str] = &[
    "invoice", "token", "session", "cart", "order", "report", "upload", "quota", "ledger",
    "webhook", "profile", "refund", "batch", "cursor", "manifest", "schedule", "payload",
];
pub(super) const FILE_EXTS: &[&str] = &["rs", "ts", "py", "go", "kt"];

/// Prompts that occur in any session: acknowledgements and small steering.
pub(super) const GENERIC: &[&str] = &[
    "run the tests again",
    "looks good, commit it",
    "what does this error mean?",
    "continue",
    "yes do that",
    "now update the changelog",
    "open a pull request",
    "explain what you changed",
    "revert the last change",
    "try again",
    "format the code and fix the lints",
    "use a better name for that variable",
];

/// Conversational wrappers around follow-up prompts.
pub(super) const OPENERS: &[&str] = &[
    "",
    "",
    "",
    "hey, ",
    "ok so ",
    "back to this: ",
    "quick one: ",
    "can you look at this: ",
];
pub(super) const CLOSERS: &[&str] = &[
    "",
    "",
    "",
    " thanks",
    " please",
    " — same issue as before",
    " again",
    "?",
];

pub(super) const TOPICS: &[Topic] = &[
    Topic {
        title: "Fix flaky {x} test in {svc}",
        xs: &[
            ("login", &["sign-in", "login", "logins"]),
            ("checkout", &["checkout flow", "check-out"]),
            ("upload", &["uploads", "file upload", "uploading"]),
            ("signup", &["sign-up", "registration", "signups"]),
            ("password reset", &["password-reset", "reset password"]),
            ("export", &["exports", "csv export", "exporting"]),
            ("webhook", &["webhooks", "webhook delivery"]),
            ("pagination", &["paging", "paginated list"]),
        ],
        open: &[
            "fix the flaky {x} test in the {svc} service",
            "the {x} integration test in {svc} fails randomly on CI, find out why",
        ],
        more: &[
            "it passes locally but times out in CI after 30 seconds",
            "add logging around {fn} so we can see the race",
            "run it 50 times in a loop with a single test thread",
            "ok now remove the sleep and wait on the condition properly",
            "check whether the test database is shared between tests in {file}",
        ],
        follow: &[
            "the {x} test in {svc} is flaky again, can you look",
            "CI keeps failing intermittently on the {x} tests for {svc}",
            "{x} test flakiness in {svc} is back, same race in {fn}",
            "intermittent {x} test failure, {svc} — continue where we left off",
        ],
    },
    Topic {
        title: "{x} schema migration ({svc})",
        xs: &[
            ("invoices", &["invoice", "invoicing"]),
            ("customers", &["customer", "customer records"]),
            ("subscriptions", &["subscription", "subscribers"]),
            ("payouts", &["payout", "payout records"]),
            ("refunds", &["refund", "refunded payments"]),
            ("audit log", &["audit_log", "audit trail"]),
            ("orders", &["order", "order rows"]),
            ("tax rates", &["tax rate", "tax_rate"]),
        ],
        open: &[
            "migrate the postgres schema for {x} in {svc}",
            "write a migration that adds a currency column to the {x} table in {svc}",
        ],
        more: &[
            "make the migration reversible",
            "backfill existing rows in batches of 1000",
            "the migration locks the table for too long on staging",
            "add an index on created_at as well",
            "update {fn} to read the new column",
        ],
        follow: &[
            "the {x} migration failed on staging for {svc}, column already exists",
            "continue migrating the {x} tables in {svc}",
            "rollback script for the {x} schema change in {svc}",
            "{svc}: backfilling {x} is too slow, batch it differently",
        ],
    },
    Topic {
        title: "Upgrade {x} in {svc}",
        xs: &[
            ("tokio", &["tokio", "tokio runtime"]),
            ("serde", &["serde", "serde_json"]),
            ("react", &["react 19", "reactjs"]),
            ("webpack", &["webpack 5", "webpack config"]),
            ("django", &["django", "django 5"]),
            ("spring boot", &["spring-boot", "springboot"]),
            ("openssl", &["openssl 3", "openssl"]),
            ("typescript", &["ts", "typescript 5"]),
            ("protobuf", &["protobufs", "protocol buffers"]),
            ("kotlin", &["kotlin 2", "kotlin"]),
        ],
        open: &[
            "upgrade {x} to the latest major version in {svc}",
            "bump {x} in {svc} and fix whatever breaks",
        ],
        more: &[
            "there are deprecation warnings everywhere now",
            "the build fails in {file} after the upgrade",
            "update the lockfile and run the full test suite",
            "check the changelog for breaking changes",
            "pin the transitive dependency that broke",
        ],
        follow: &[
            "the {x} upgrade for {svc} still has failing builds",
            "finish bumping {x} in {svc}",
            "{svc} {x} upgrading: what breaking changes are left",
            "after upgrading {x} the {svc} tests fail in {fn}",
        ],
    },
    Topic {
        title: "Memory leak in {svc} {x}",
        xs: &[
            ("websocket handler", &["websockets", "ws handler"]),
            ("image cache", &["image caching", "thumbnail cache"]),
            ("session store", &["sessions store", "session storage"]),
            ("connection pool", &["db pool", "connection pooling"]),
            ("event listener", &["event listeners", "listeners"]),
            (
                "metrics exporter",
                &["metrics export", "prometheus exporter"],
            ),
        ],
        open: &[
            "there is a memory leak in the {x} of {svc}, memory grows until the pod is OOM killed",
            "profile the {x} in {svc}, RSS keeps growing",
        ],
        more: &[
            "take a heap snapshot after an hour of load",
            "I think {fn} holds references forever",
            "add a bound to the cache and evict old entries",
            "write a load test that reproduces the growth",
        ],
        follow: &[
            "the {svc} {x} is leaking memory again",
            "OOM kills in {svc} again — {x} leak, continue",
            "did the {x} fix in {svc} stop the memory growth? check {fn}",
            "memory still climbing in the {svc} {x}",
        ],
    },
    Topic {
        title: "CI: {x} for {svc}",
        xs: &[
            (
                "docker build cache",
                &["docker layer caching", "build cache"],
            ),
            ("release workflow", &["release pipeline", "releases"]),
            ("lint job", &["linting", "linter job"]),
            ("nightly job", &["nightly build", "nightlies"]),
            ("matrix build", &["build matrix", "matrix builds"]),
            ("code coverage upload", &["coverage report", "codecov"]),
        ],
        open: &[
            "set up the {x} in github actions for {svc}",
            "our CI is slow, improve the {x} for {svc}",
        ],
        more: &[
            "cache the cargo registry and target directory",
            "only run it on pull requests to main",
            "the job fails with permission denied when pushing the tag",
            "split it into parallel jobs",
        ],
        follow: &[
            "the {x} in CI for {svc} is broken again",
            "{svc} pipeline: {x} still takes too long",
            "continue the github actions {x} work for {svc}",
            "CI {x} for {svc} fails on the tag push",
        ],
    },
    Topic {
        title: "Add {x} endpoint to {svc}",
        xs: &[
            ("bulk export", &["bulk exports", "export in bulk"]),
            ("health check", &["healthcheck", "health endpoint"]),
            ("rate limit status", &["rate-limit status", "quota status"]),
            ("user search", &["search users", "user lookup"]),
            ("order history", &["orders history", "past orders"]),
            ("invoice download", &["download invoices", "invoice pdf"]),
        ],
        open: &[
            "add a {x} endpoint to the {svc} REST API",
            "implement GET /v2/{x} in {svc} with pagination",
        ],
        more: &[
            "return 404 when the account does not exist",
            "add an openapi description",
            "write handler tests for {fn}",
            "validate the query parameters",
        ],
        follow: &[
            "the {x} endpoint in {svc} returns 500, fix it",
            "add pagination to {svc}'s {x} API",
            "finish the {x} route in {svc}, openapi docs are missing",
            "{svc} {x} api: tests for {fn} fail",
        ],
    },
    Topic {
        title: "Cache {x} in Redis",
        xs: &[
            ("product catalog", &["catalog", "products"]),
            ("user profiles", &["profiles", "user profile"]),
            ("search results", &["search result", "results"]),
            ("exchange rates", &["fx rates", "currency rates"]),
            ("feature flags", &["flags", "feature-flag"]),
            ("permissions", &["permission checks", "acl"]),
        ],
        open: &[
            "cache the {x} in redis for {svc} with a 5 minute ttl",
            "{svc} hits the database for {x} on every request, add a redis cache",
        ],
        more: &[
            "invalidate the cache when the record changes",
            "use a cache-aside pattern in {fn}",
            "add metrics for hit rate",
            "handle redis being down gracefully",
        ],
        follow: &[
            "the redis cache for {x} in {svc} serves stale data",
            "{svc}: {x} caching, invalidation still wrong",
            "continue the {x} redis caching for {svc}",
            "cache hit rate for {x} in {svc} is low, look at {fn}",
        ],
    },
    Topic {
        title: "Tracing for {x} in {svc}",
        xs: &[
            ("payment flow", &["payments", "payment processing"]),
            ("background jobs", &["background job", "workers"]),
            ("grpc calls", &["grpc", "rpc calls"]),
            ("database queries", &["db queries", "sql queries"]),
            ("outbound http", &["http client", "outgoing requests"]),
        ],
        open: &[
            "add opentelemetry tracing to the {x} in {svc}",
            "instrument {x} in {svc} so we can see latency in jaeger",
        ],
        more: &[
            "propagate the trace context through the queue",
            "add span attributes for the tenant id",
            "sample only 10 percent in production",
            "{fn} should be its own span",
        ],
        follow: &[
            "traces for {x} in {svc} are missing spans",
            "{svc} opentelemetry: {x} spans don't show up in jaeger",
            "continue instrumenting {x} for {svc}",
            "trace context is lost in {fn} ({svc} {x})",
        ],
    },
    Topic {
        title: "Kubernetes {x} for {svc}",
        xs: &[
            ("helm chart", &["helm", "charts"]),
            ("horizontal autoscaler", &["hpa", "autoscaling"]),
            ("readiness probe", &["readiness probes", "health probes"]),
            ("resource limits", &["cpu limits", "memory limits"]),
            ("ingress", &["ingress rules", "ingress controller"]),
            ("secrets", &["secret", "sealed secrets"]),
        ],
        open: &[
            "write the kubernetes {x} for the {svc} deployment",
            "our {svc} pods keep restarting, fix the {x}",
        ],
        more: &[
            "use the same labels as the other services",
            "add a pod disruption budget",
            "kubectl describe shows CrashLoopBackOff",
            "template the image tag",
        ],
        follow: &[
            "{svc} pods are crashlooping again, {x} problem",
            "the kubernetes {x} for {svc} still doesn't work on staging",
            "k8s {x} for {svc}: continue",
            "finish the {x} changes in the {svc} deployment",
        ],
    },
    Topic {
        title: "Terraform {x} ({svc})",
        xs: &[
            ("s3 bucket", &["s3 buckets", "bucket"]),
            ("rds instance", &["rds", "postgres instance"]),
            ("vpc peering", &["peering", "vpc"]),
            ("cloudfront distribution", &["cloudfront", "cdn"]),
            ("iam roles", &["iam role", "iam policies"]),
            ("sqs queue", &["sqs", "queue"]),
        ],
        open: &[
            "write a terraform module for the {x} used by {svc}",
            "import the existing {x} for {svc} into terraform state",
        ],
        more: &[
            "terraform plan wants to destroy and recreate it",
            "add tags for cost allocation",
            "use remote state in s3",
            "parametrize the environment",
        ],
        follow: &[
            "terraform plan for the {svc} {x} shows a diff again",
            "continue the {x} terraform module for {svc}",
            "the {x} import for {svc} failed in terraform",
            "{svc} {x}: terraform wants to recreate it",
        ],
    },
    Topic {
        title: "React {x} component",
        xs: &[
            ("date picker", &["datepicker", "date-picker"]),
            ("modal dialog", &["modal", "dialog"]),
            ("data table", &["table", "datatable"]),
            ("file uploader", &["upload widget", "uploader"]),
            ("dropdown menu", &["dropdown", "select menu"]),
            ("toast notifications", &["toasts", "toast"]),
        ],
        open: &[
            "build a reusable react {x} component for the {svc} frontend",
            "the {x} in {svc} re-renders too often, refactor it",
        ],
        more: &[
            "it should be keyboard accessible",
            "add storybook stories",
            "use the design tokens for colors",
            "write tests with testing library for {fn}",
        ],
        follow: &[
            "the {x} component in {svc} is broken on mobile",
            "continue the react {x} for {svc}",
            "{svc} {x}: storybook stories and tests",
            "{x} re-rendering again in {svc}, look at {fn}",
        ],
    },
    Topic {
        title: "Fix {x} layout",
        xs: &[
            ("navbar", &["nav bar", "navigation bar"]),
            ("footer", &["page footer", "footer links"]),
            ("checkout form", &["checkout page", "payment form"]),
            ("sidebar", &["side bar", "side panel"]),
            ("pricing cards", &["pricing page", "price cards"]),
        ],
        open: &[
            "fix the {x} layout on mobile safari in {svc}",
            "the {x} overflows on small screens in {svc}",
        ],
        more: &[
            "use flexbox instead of floats",
            "it breaks only in landscape orientation",
            "the z-index conflicts with the modal",
            "check it in dark mode too",
        ],
        follow: &[
            "{x} layout in {svc} is still broken on iphone safari",
            "the {svc} {x} overflows again on small screens",
            "continue fixing the {x} css for {svc}",
            "{x} misaligned on mobile ({svc})",
        ],
    },
    Topic {
        title: "Accessibility of the {x}",
        xs: &[
            ("signup form", &["sign-up form", "registration form"]),
            ("search page", &["search screen", "search"]),
            ("settings page", &["settings", "preferences page"]),
            ("image gallery", &["gallery", "photo gallery"]),
        ],
        open: &[
            "audit the accessibility of the {x} in {svc} and fix the issues",
            "screen readers can't use the {x} in {svc}",
        ],
        more: &[
            "add aria labels to the icon buttons",
            "fix the color contrast warnings from axe",
            "focus should move to the first error",
            "test with voiceover",
        ],
        follow: &[
            "more accessibility problems on the {svc} {x}",
            "axe still reports contrast errors on the {x} in {svc}",
            "continue the a11y fixes for {svc} {x}",
            "screen reader issues in the {x} ({svc}) again",
        ],
    },
    Topic {
        title: "{x} translations for {svc}",
        xs: &[
            ("german", &["de", "deutsch"]),
            ("japanese", &["ja", "japan"]),
            ("spanish", &["es", "espanol"]),
            ("french", &["fr", "français"]),
            ("portuguese", &["pt-br", "brazilian portuguese"]),
        ],
        open: &[
            "add {x} translations to the {svc} app",
            "extract all hardcoded strings in {svc} and add {x} localization",
        ],
        more: &[
            "plural forms are wrong",
            "dates should use the locale format",
            "the translation keys are missing in {file}",
            "add a language switcher",
        ],
        follow: &[
            "the {x} translations in {svc} are missing keys",
            "{svc} {x} localization: plurals still wrong",
            "continue the {x} i18n work in {svc}",
            "finish translating {svc} to {x}",
        ],
    },
    Topic {
        title: "Speed up {x} query",
        xs: &[
            ("dashboard", &["dashboards", "dashboard page"]),
            ("monthly report", &["monthly reports", "month-end report"]),
            ("autocomplete", &["auto-complete", "typeahead"]),
            ("leaderboard", &["leader board", "rankings"]),
            ("activity feed", &["feed", "activity stream"]),
        ],
        open: &[
            "the {x} query in {svc} takes 8 seconds, speed it up",
            "optimize the slow {x} sql in {svc}",
        ],
        more: &[
            "here is the explain analyze output",
            "add a composite index",
            "maybe we should precompute it in a materialized view",
            "{fn} does an n+1 query",
        ],
        follow: &[
            "{x} in {svc} is slow again, explain analyze attached",
            "continue optimizing the {svc} {x} query",
            "the {x} sql for {svc} still does a seq scan",
            "n+1 in {fn} for the {x} ({svc})",
        ],
    },
    Topic {
        title: "Refactor {svc} {x}",
        xs: &[
            (
                "payment processor",
                &["payments processor", "payment processing"],
            ),
            ("order state machine", &["order states", "state machine"]),
            ("config loader", &["configuration loader", "config loading"]),
            (
                "permission checks",
                &["permissions", "authorization checks"],
            ),
            ("retry logic", &["retries", "retrying"]),
        ],
        open: &[
            "refactor the {x} in {svc} into smaller modules",
            "the {x} in {svc} is a 2000 line file, split it up",
        ],
        more: &[
            "keep the public api the same",
            "move the pure logic out of {fn}",
            "add tests before moving things",
            "rename things to match the domain language",
        ],
        follow: &[
            "continue refactoring the {svc} {x}",
            "the {x} split in {svc}: tests broke after moving {fn}",
            "{svc}'s {x} refactor — next module",
            "finish splitting up the {x} in {svc}",
        ],
    },
    Topic {
        title: "Error handling in the {x}",
        xs: &[
            ("config parser", &["configuration parser", "config parsing"]),
            ("file watcher", &["watcher", "fs watcher"]),
            ("cli commands", &["cli", "command line"]),
            ("upload handler", &["uploads handler", "upload"]),
            ("sync worker", &["syncing worker", "sync"]),
        ],
        open: &[
            "replace the unwrap calls in the {x} of {svc} with proper error handling",
            "the {x} in {svc} panics on bad input, return errors instead",
        ],
        more: &[
            "use thiserror for the library errors",
            "add context with anyhow in the binary",
            "write a test for the malformed input case",
            "{fn} should not swallow errors",
        ],
        follow: &[
            "the {svc} {x} still panics on malformed input",
            "continue removing unwraps from the {x} in {svc}",
            "{x} error handling in {svc}: {fn} swallows errors",
            "more panics in the {svc} {x}",
        ],
    },
    Topic {
        title: "{x} OAuth login",
        xs: &[
            ("google", &["google sign-in", "gmail"]),
            ("github", &["gh", "github oauth"]),
            ("okta", &["okta sso", "sso"]),
            ("apple", &["sign in with apple", "apple id"]),
            ("microsoft", &["azure ad", "entra"]),
        ],
        open: &[
            "implement {x} oauth login in {svc}",
            "add a 'sign in with {x}' button to {svc}",
        ],
        more: &[
            "store the refresh token encrypted",
            "handle the callback state parameter",
            "link accounts with the same email",
            "the redirect uri mismatch error",
        ],
        follow: &[
            "{x} login in {svc} fails with redirect_uri mismatch",
            "continue the {x} oauth integration for {svc}",
            "{svc}: {x} sign-in refresh tokens expire",
            "account linking for {x} oauth in {svc}",
        ],
    },
    Topic {
        title: "Handle {x} webhooks",
        xs: &[
            ("stripe", &["stripe events", "stripe's"]),
            ("github", &["gh", "github events"]),
            ("slack", &["slack events", "slack's"]),
            ("twilio", &["sms", "twilio callbacks"]),
            ("shopify", &["shopify events", "shopify's"]),
        ],
        open: &[
            "handle {x} webhooks in {svc} and verify the signatures",
            "{svc} drops some {x} webhook events, make the handler idempotent",
        ],
        more: &[
            "store the event id to deduplicate",
            "respond 200 quickly and process in a background job",
            "the signature check fails for {fn}",
            "add a replay tool",
        ],
        follow: &[
            "{x} webhook signatures fail in {svc} again",
            "{svc} is processing {x} events twice",
            "continue the {x} webhooks handler for {svc}",
            "{x} webhook idempotency in {svc}",
        ],
    },
    Topic {
        title: "Import {x} from CSV",
        xs: &[
            ("contacts", &["contact list", "contact"]),
            ("products", &["product list", "product"]),
            ("transactions", &["transaction", "bank transactions"]),
            ("employees", &["employee", "staff"]),
            ("leads", &["lead", "sales leads"]),
        ],
        open: &[
            "write a csv import for {x} in {svc}",
            "importing {x} from csv in {svc} breaks on quoted commas",
        ],
        more: &[
            "stream the file instead of loading it into memory",
            "report which rows failed validation",
            "detect the delimiter automatically",
            "the encoding is windows-1252 sometimes",
        ],
        follow: &[
            "the {x} csv importer in {svc} chokes on quotes again",
            "continue the {svc} {x} import from csv",
            "{x} import in {svc}: row validation errors report",
            "csv {x} importing for {svc} is too slow",
        ],
    },
    Topic {
        title: "Nightly {x} job",
        xs: &[
            ("cleanup", &["clean-up", "purge"]),
            ("billing run", &["billing runs", "invoicing run"]),
            ("backup", &["backups", "db backup"]),
            ("digest email", &["digest emails", "daily digest"]),
            ("sitemap", &["sitemaps", "sitemap generation"]),
        ],
        open: &[
            "the nightly {x} job in {svc} didn't run last night, investigate",
            "move the {x} cron job in {svc} to the new scheduler",
        ],
        more: &[
            "the cron expression is in utc",
            "make it safe to run twice",
            "add an alert when it doesn't finish",
            "{fn} holds a lock that never gets released",
        ],
        follow: &[
            "the {x} job in {svc} skipped again last night",
            "{svc} nightly {x} cron still not running",
            "continue moving the {x} cron for {svc}",
            "{x} job in {svc} ran twice",
        ],
    },
    Topic {
        title: "{x} email template",
        xs: &[
            ("welcome", &["welcome mail", "onboarding email"]),
            ("password reset", &["reset password", "password-reset"]),
            ("receipt", &["receipts", "order receipt"]),
            ("weekly digest", &["digest", "weekly summary"]),
            ("invitation", &["invite", "team invite"]),
        ],
        open: &[
            "redesign the {x} email template in {svc}",
            "the {x} email from {svc} renders badly in outlook",
        ],
        more: &[
            "use mjml for the layout",
            "inline the css",
            "add a plain text version",
            "preview it in litmus",
        ],
        follow: &[
            "the {x} email from {svc} still looks broken in outlook",
            "continue redesigning {svc}'s {x} template",
            "{x} emails in {svc}: plain-text version",
            "{svc} {x} mail template tweaks",
        ],
    },
    Topic {
        title: "Feature flag for {x}",
        xs: &[
            ("new checkout", &["checkout v2", "new checkout flow"]),
            ("dark mode", &["darkmode", "dark theme"]),
            ("beta dashboard", &["dashboard beta", "new dashboard"]),
            ("ai suggestions", &["suggestions", "ai suggest"]),
            ("bulk actions", &["bulk edit", "bulk action"]),
        ],
        open: &[
            "put the {x} behind a feature flag in {svc}",
            "roll out {x} in {svc} to 10 percent of users",
        ],
        more: &[
            "use launchdarkly",
            "default off in production",
            "add a kill switch",
            "clean up the old code path after rollout",
        ],
        follow: &[
            "the {x} flag in {svc} is on for everyone, fix the targeting",
            "roll {x} in {svc} to 50 percent",
            "continue the {x} feature flag for {svc}",
            "{svc}: remove the {x} flag now that it's rolled out",
        ],
    },
    Topic {
        title: "Fix {x} in {svc}",
        xs: &[
            ("sql injection", &["sqli", "sql-injection"]),
            ("xss", &["cross site scripting", "cross-site scripting"]),
            ("csrf", &["cross-site request forgery", "csrf tokens"]),
            ("ssrf", &["server-side request forgery", "ssrf protection"]),
            ("path traversal", &["directory traversal", "path-traversal"]),
        ],
        open: &[
            "fix the {x} vulnerability in the {svc} report endpoint",
            "the pentest found {x} in {svc}, patch it",
        ],
        more: &[
            "add a regression test",
            "use parameterized queries everywhere",
            "escape the output in the template",
            "check the other endpoints too",
        ],
        follow: &[
            "the {x} in {svc} was reported again by the scanner",
            "continue the {x} fix for {svc}",
            "{svc} {x} vulnerability: other endpoints",
            "{x} regression tests for {svc}",
        ],
    },
    Topic {
        title: "Docs: {x} for {svc}",
        xs: &[
            ("public api", &["api reference", "api docs"]),
            ("onboarding guide", &["onboarding", "getting started"]),
            ("architecture overview", &["architecture", "arch overview"]),
            ("runbook", &["runbooks", "on-call runbook"]),
            (
                "contributing guide",
                &["contributing", "contribution guidelines"],
            ),
        ],
        open: &[
            "write the {x} documentation for {svc}",
            "the {x} for {svc} is outdated, update it",
        ],
        more: &[
            "add a diagram of the request flow",
            "include examples for every endpoint",
            "link to the dashboards",
            "keep it short",
        ],
        follow: &[
            "continue the {svc} {x} docs",
            "the {x} for {svc} still mentions the old setup",
            "{svc} {x}: add the request flow diagram",
            "finish documenting the {x} of {svc}",
        ],
    },
    Topic {
        title: "CLI --{x} flag",
        xs: &[
            ("dry-run", &["dry run", "dryrun"]),
            ("json", &["json output", "--json"]),
            ("verbose", &["verbosity", "-v"]),
            ("config", &["config file", "configuration file"]),
            ("watch", &["watch mode", "watching"]),
        ],
        open: &[
            "add a --{x} flag to the {svc} cli",
            "the {svc} command line tool needs a {x} option",
        ],
        more: &[
            "use clap derive",
            "document it in the help text",
            "add an integration test with assert_cmd",
            "make it work with the env var too",
        ],
        follow: &[
            "the --{x} flag in the {svc} cli ignores the env var",
            "continue the {x} option for {svc}'s cli",
            "{svc} cli {x} flag: help text",
            "{x} mode in the {svc} command line is broken",
        ],
    },
    Topic {
        title: "{x} ETL",
        xs: &[
            ("clickstream", &["click stream", "clicks"]),
            ("salesforce sync", &["salesforce", "sfdc sync"]),
            ("ledger export", &["ledger", "ledger exports"]),
            (
                "inventory snapshot",
                &["inventory snapshots", "stock snapshot"],
            ),
            ("marketing events", &["marketing", "campaign events"]),
        ],
        open: &[
            "the {x} etl job in {svc} produces duplicate rows",
            "rewrite the {x} pipeline in {svc} to be incremental",
        ],
        more: &[
            "use a merge instead of insert",
            "the watermark column is wrong",
            "backfill the last 30 days",
            "add a data quality check",
        ],
        follow: &[
            "duplicate rows in the {x} etl for {svc} again",
            "{svc} {x} pipeline: incremental load still reprocesses everything",
            "continue the {x} etl rewrite in {svc}",
            "{x} etl backfill for {svc}",
        ],
    },
    Topic {
        title: "Retrain {x} model",
        xs: &[
            ("churn prediction", &["churn", "churn model"]),
            ("fraud detection", &["fraud", "fraud model"]),
            ("recommendation", &["recommender", "recommendations"]),
            ("spam classifier", &["spam", "spam filter"]),
            ("demand forecast", &["forecasting", "demand forecasting"]),
        ],
        open: &[
            "retrain the {x} model for {svc} with last quarter's data",
            "the {x} model in {svc} drifted, evaluate and retrain",
        ],
        more: &[
            "plot the precision recall curve",
            "class imbalance is bad, try class weights",
            "log the run in mlflow",
            "export it to onnx",
        ],
        follow: &[
            "{x} model for {svc} drifted again",
            "continue retraining the {svc} {x} model",
            "{x} in {svc}: precision dropped after retraining",
            "the {svc} {x} onnx export fails",
        ],
    },
    Topic {
        title: "iOS crash when {x}",
        xs: &[
            ("rotating the screen", &["screen rotation", "rotate"]),
            (
                "opening notifications",
                &["notification tap", "push notifications"],
            ),
            ("uploading photos", &["photo upload", "photos"]),
            ("logging out", &["logout", "log out"]),
            ("switching accounts", &["account switch", "switch account"]),
        ],
        open: &[
            "the ios app crashes when {x}, here is the crash log from {svc}",
            "fix the crash on {x} in the {svc} mobile screen",
        ],
        more: &[
            "it only happens on ios 17",
            "the stack trace points at {fn}",
            "reproduce it in the simulator",
            "add a crashlytics breadcrumb",
        ],
        follow: &[
            "the app still crashes when {x} ({svc})",
            "ios crash on {x} in {svc} again, new crash log",
            "continue the {x} crash fix for {svc}",
            "{svc} mobile: crash when {x}, stack trace in {fn}",
        ],
    },
    Topic {
        title: "GraphQL {x} in {svc}",
        xs: &[
            ("subscriptions", &["subscription", "live subscriptions"]),
            ("pagination", &["cursor pagination", "connections"]),
            ("dataloader", &["data loader", "batching"]),
            ("schema stitching", &["federation", "stitching"]),
            (
                "field permissions",
                &["field auth", "field-level permissions"],
            ),
        ],
        open: &[
            "add {x} to the {svc} graphql schema",
            "implement graphql {x} in {svc}",
        ],
        more: &[
            "generate the types with codegen",
            "the resolver {fn} is slow",
            "write a test query",
            "update the schema docs",
        ],
        follow: &[
            "graphql {x} in {svc} returns null",
            "continue the {x} graphql work in {svc}",
            "{svc} schema: {x} resolvers",
            "the {x} in {svc}'s graphql api broke the client",
        ],
    },
    Topic {
        title: "Elasticsearch {x}",
        xs: &[
            ("product index", &["products index", "product search"]),
            ("logs index", &["log indices", "logs"]),
            ("user index", &["users index", "people search"]),
            ("orders index", &["order search", "orders search"]),
        ],
        open: &[
            "reindex the {x} in elasticsearch for {svc} with the new mapping",
            "the {x} in {svc} returns bad relevance, tune the elasticsearch query",
        ],
        more: &[
            "use an alias for zero downtime",
            "add a synonym filter",
            "the reindex task times out",
            "boost exact matches on the name field",
        ],
        follow: &[
            "elasticsearch {x} reindex for {svc} timed out again",
            "continue tuning the {svc} {x} relevance",
            "{x} mapping change in {svc}: alias swap",
            "{svc} {x} search results are bad again",
        ],
    },
    Topic {
        title: "Realtime {x}",
        xs: &[
            ("chat messages", &["chat", "messages"]),
            ("presence", &["online status", "presence indicators"]),
            ("live scores", &["scores", "score updates"]),
            ("order tracking", &["order status", "tracking"]),
            ("typing indicators", &["typing", "typing indicator"]),
        ],
        open: &[
            "add real-time {x} over websockets in {svc}",
            "the {x} updates in {svc} lag by several seconds",
        ],
        more: &[
            "reconnect with exponential backoff",
            "fan out through redis pubsub",
            "authenticate the socket with the session cookie",
            "{fn} drops messages under load",
        ],
        follow: &[
            "realtime {x} in {svc} lag again",
            "websocket {x} for {svc}: reconnect logic",
            "continue the live {x} feature in {svc}",
            "{svc} {x} messages dropped in {fn}",
        ],
    },
    Topic {
        title: "Unit tests for the {x}",
        xs: &[
            ("pricing engine", &["pricing", "price calculation"]),
            ("discount rules", &["discounts", "discount"]),
            ("date utils", &["date helpers", "dates"]),
            ("permissions module", &["permissions", "perms"]),
            ("parser", &["parsing", "the parser"]),
        ],
        open: &[
            "write unit tests for the {x} in {svc}",
            "test coverage of the {x} in {svc} is 20 percent, raise it",
        ],
        more: &[
            "use table driven tests",
            "cover the edge cases around rounding",
            "mock the clock",
            "add property based tests for {fn}",
        ],
        follow: &[
            "more unit tests for {svc} {x}",
            "the {x} tests in {svc} fail on rounding",
            "continue raising coverage of the {x} ({svc})",
            "property tests for {fn} in the {x}",
        ],
    },
    Topic {
        title: "Rebase {x} branch",
        xs: &[
            ("payments-v2", &["payments v2", "payments2"]),
            ("new-onboarding", &["onboarding", "new onboarding"]),
            ("search-rewrite", &["search rewrite", "rewrite"]),
            ("monorepo-move", &["monorepo", "monorepo migration"]),
        ],
        open: &[
            "rebase the {x} branch onto main in {svc} and resolve the conflicts",
            "the {x} branch in {svc} has merge conflicts in {file}",
        ],
        more: &[
            "keep their version of the lockfile",
            "squash the fixup commits",
            "the tests fail after the rebase",
            "force push with lease",
        ],
        follow: &[
            "more conflicts rebasing {x} in {svc}",
            "continue the {x} rebase for {svc}",
            "{svc}: {x} branch tests fail after rebase",
            "{x} branch conflicts in {svc} again",
        ],
    },
    Topic {
        title: "Rate limit {x}",
        xs: &[
            ("login attempts", &["logins", "login attempt"]),
            ("api keys", &["api key", "per key"]),
            ("password resets", &["reset requests", "password reset"]),
            ("sms sends", &["sms", "text messages"]),
        ],
        open: &[
            "add rate limiting for {x} in {svc}",
            "{svc} gets hammered, rate limit {x} with a token bucket",
        ],
        more: &[
            "store the counters in redis",
            "return 429 with retry-after",
            "exempt internal traffic",
            "{fn} has an off by one in the window",
        ],
        follow: &[
            "rate limits on {x} in {svc} too strict",
            "{svc} {x} limiter returns 429 for internal traffic",
            "continue the {x} rate limiting in {svc}",
            "token bucket for {x} ({svc}) off by one",
        ],
    },
    Topic {
        title: "Shrink the {svc} {x} image",
        xs: &[
            ("api", &["api image", "backend"]),
            ("worker", &["workers", "worker image"]),
            ("frontend", &["web", "frontend image"]),
            ("migrations", &["migration image", "migrate"]),
        ],
        open: &[
            "the {x} docker image for {svc} is 2 GB, make it smaller",
            "convert the {x} dockerfile in {svc} to a multi-stage build",
        ],
        more: &[
            "use a distroless base image",
            "the build cache is invalidated on every commit",
            "run as a non-root user",
            "copy only the compiled binary",
        ],
        follow: &[
            "{svc} {x} image is still huge",
            "continue the multi-stage dockerfile for the {svc} {x}",
            "{x} container for {svc}: distroless base",
            "docker {x} image in {svc} runs as root",
        ],
    },
];

/// New tasks on subjects no session is about. `{lang}` is filled from [`LANGS`]. They share
/// plenty of generic developer vocabulary with the sessions ("test", "script", "database").
pub(super) const UNRELATED: &[&str] = &[
    "write a bash script that renames my photos by exif date",
    "explain the difference between Rc and Arc in rust",
    "set up a new vite project with tailwind and eslint",
    "create a makefile for a small c project with tests",
    "write a regex that validates ipv6 addresses",
    "port this python 2 script to python 3",
    "generate a sql query for monthly active users by country",
    "draft a blog post announcing our public beta",
    "convert the sequence diagram from plantuml to mermaid",
    "benchmark simd-json against the standard json parser for large files in {lang}",
    "write a {lang} function to compute fibonacci numbers with memoization",
    "set up pre-commit hooks with ruff and black",
    "build a tiny http server in {lang} that serves static files",
    "write a vim plugin that highlights trailing whitespace",
    "what's the best way to store secrets for a raspberry pi project",
    "create a github issue template for bug reports",
    "implement a trie for prefix lookups in {lang}",
    "parse a gpx file and plot the route elevation",
    "write a discord bot that posts daily standup reminders",
    "compare sqlite and duckdb for local analytics on parquet files",
    "make my shell prompt show the current kubernetes context",
    "write unit tests for a roman numeral converter in {lang}",
    "write a README for my dotfiles repo",
    "create an ansible playbook to install docker on ubuntu",
    "design a database schema for a library lending system",
    "explain what this segfault in the c extension means",
    "write a small game of life in {lang} for the terminal",
    "how do I profile a {lang} program that uses too much cpu",
    "set up a home assistant automation for the hallway lights",
    "generate fake test data for a hospital appointments table",
    "write a latex template for my thesis with a bibliography",
    "convert a folder of markdown notes into a static site",
];

pub(super) const LANGS: &[&str] = &["rust", "go", "python", "typescript", "haskell", "zig"];
