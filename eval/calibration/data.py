"""Hand-written content of the calibration set: one person (Dana), her projects, the sessions
the queries are about ("stories"), the queries, and the chores that fill the background.

Notation (kept terse so the content stays readable):

* ``T(prompt, answer, *tools, later=days)`` is one user turn. ``later`` resumes the session that
  many days after the previous turn (Codex appends to the same file).
* tools: ``"$ cmd"`` (shell command; ``"$ cmd => output"`` gives its output), ``"~ path"``
  (apply_patch updating a file; ``"~ path :: -old / +new"`` gives the hunk), ``"+ path"`` (add file).
* ``S(key, project, cwd, day, turns, ...)``: a session started ``day`` days before ``now`` in
  ``cwd`` (relative to the project root; ``"."`` is the root).
* ``Q(kind, prompt, cwd=None, extra=False)``: a query expecting that story's session. ``cwd`` None
  means the story's own directory; relative paths are under the project root; ``~``/absolute
  paths are taken as given. ``extra`` queries are only emitted for large homes (see generate.py).
"""

HOME = "/home/dana"


def T(prompt, answer, *tools, later=None):
    return {"prompt": prompt, "answer": answer, "tools": list(tools), "later": later}


def Q(kind, prompt, cwd=None, extra=False):
    return {"kind": kind, "prompt": prompt, "cwd": cwd, "extra": extra}


def S(key, project, cwd, day, turns, name=None, end="ok", archived=False, q=(), ui="tui"):
    return {
        "key": key,
        "project": project,
        "cwd": cwd,
        "day": day,
        "turns": turns,
        "name": name,
        "end": end,
        "archived": archived,
        "queries": list(q),
        "ui": ui,
    }


# ---------------------------------------------------------------------------------------------
# Projects. ``agents`` is the AGENTS.md text Codex injects (not Dana's words); ``files`` and
# ``chores`` feed the background sessions.
# ---------------------------------------------------------------------------------------------

PROJECTS = {
    "ledgerline": {
        "path": HOME + "/work/ledgerline",
        "repo": "git@github.com:ledgerline/ledgerline.git",
        "agents": "# Ledgerline monorepo\n\n- pnpm workspaces: packages/api (Fastify, Postgres), packages/web (React + Vite), packages/worker (BullMQ jobs), packages/shared (types, dates, money).\n- Run `pnpm -r lint && pnpm -r test` before you say you are done.\n- Money is integer cents everywhere; never use floats for invoice totals.\n- Tenant isolation: every query must filter by tenant_id.\n",
        "subdirs": ["packages/api", "packages/web", "packages/worker", "packages/shared"],
        "files": ["packages/api/src/server.ts", "packages/api/src/routes/invoices.ts", "packages/api/src/db/queries/tenants.ts", "packages/web/src/App.tsx", "packages/web/src/features/payments/PaymentsPage.tsx", "packages/worker/src/index.ts", "packages/shared/src/money.ts", "pnpm-workspace.yaml", "turbo.json"],
        "chores": ["bump the minor dependency versions across the workspace and fix what breaks", "fix the eslint warnings in {sub}", "write the PR description for my current branch", "explain how {file} is wired into the rest of {sub}", "rename the `amountCents` helper params to be consistent in {file}", "add missing return types in {file}", "why does turbo rebuild {sub} when nothing changed", "tidy up the imports in {file}", "write a commit message for the staged changes", "add a jsdoc comment to the exported functions in {file}"],
        "ui": "mixed",
    },
    "infra": {
        "path": HOME + "/work/ledgerline-infra",
        "repo": "git@github.com:ledgerline/infra.git",
        "agents": "# ledgerline-infra\n\nTerraform (envs/prod, envs/staging, modules/*) and Kubernetes manifests (k8s/).\nNever run `terraform apply`; only `plan`. Use `terraform fmt -recursive`.\n",
        "subdirs": ["envs/prod", "envs/staging", "modules/rds", "k8s/helm/ledgerline-api"],
        "files": ["modules/vpc/main.tf", "envs/staging/main.tf", "k8s/helm/ledgerline-api/values.yaml", "modules/redis/main.tf", ".terraform-version"],
        "chores": ["run terraform fmt and validate on {sub}", "explain what {file} provisions", "bump the aws provider to the latest 5.x in {sub}", "add tags owner=platform to the resources in {file}", "summarize the plan output I pasted in plan.txt"],
        "ui": "tui",
    },
    "harbor": {
        "path": HOME + "/work/harbor",
        "repo": "git@github.com:ledgerline/harbor.git",
        "agents": "# harbor (API gateway)\n\nGo 1.23. `make test` runs unit tests with -race. Packages: cmd/harbor, internal/proxy, internal/auth, internal/ratelimit, internal/server.\n",
        "subdirs": ["internal/proxy", "internal/auth", "cmd/harbor"],
        "files": ["internal/proxy/proxy.go", "internal/proxy/routes.go", "internal/server/server.go", "cmd/harbor/main.go", "Makefile", "go.mod"],
        "chores": ["update go.mod dependencies and run the tests", "explain the request flow through {file}", "add table-driven tests for {file}", "fix the golangci-lint findings in {sub}", "write a commit message for these changes"],
        "ui": "tui",
    },
    "relay": {
        "path": HOME + "/work/relay",
        "repo": "git@github.com:ledgerline/relay.git",
        "agents": "# relay (notifications)\n\nGo service that sends email and SMS for ledgerline. cmd/relay, internal/queue, internal/providers/{twilio,ses}, templates/.\nRun `go test ./...` before finishing.\n",
        "subdirs": ["internal/queue", "internal/providers/twilio", "templates"],
        "files": ["internal/providers/ses/client.go", "internal/queue/consumer.go", "cmd/relay/main.go", "templates/email/base.html", "go.mod"],
        "chores": ["update go dependencies in relay", "add table-driven tests for {file}", "explain how {file} retries", "fix the vet warnings in {sub}"],
        "ui": "tui",
    },
    "dotfiles": {
        "path": HOME + "/dotfiles",
        "repo": "git@github.com:dwhitfield/dotfiles.git",
        "agents": None,
        "subdirs": ["nvim", "zsh", "tmux", "git"],
        "files": ["nvim/init.lua", "nvim/lua/plugins/ui.lua", "zsh/.zshrc", "git/.gitconfig", "install.sh", "Brewfile"],
        "chores": ["add {file} to the install script symlinks", "explain what this section of {file} does", "sort and dedupe the Brewfile", "add a git alias for {sub}-related stuff I keep typing"],
        "ui": "tui",
    },
    "site": {
        "path": HOME + "/code/danaw.dev",
        "repo": "git@github.com:dwhitfield/danaw.dev.git",
        "agents": "Personal site built with Astro. Content lives in src/content/blog. Keep pages accessible (alt text, contrast). `pnpm build` must pass.\n",
        "subdirs": ["src/pages", "src/content/blog", "src/components"],
        "files": ["src/pages/index.astro", "src/components/Header.astro", "src/styles/global.css", "astro.config.mjs"],
        "chores": ["proofread the newest post in src/content/blog", "fix the lighthouse accessibility warnings on {file}", "update astro and integrations", "make the header nav wrap nicely on small screens"],
        "ui": "vscode",
    },
    "rivet": {
        "path": HOME + "/code/rivet",
        "repo": "git@github.com:dwhitfield/rivet.git",
        "agents": "# rivet\n\nRust CLI for batch renaming files. `cargo test` and `cargo clippy -- -D warnings` must pass. Keep dependencies minimal.\n",
        "subdirs": ["src", "tests"],
        "files": ["src/main.rs", "src/cli.rs", "src/pattern.rs", "src/plan.rs", "Cargo.toml", "README.md"],
        "chores": ["fix the clippy warnings", "improve the --help text for the flags in src/cli.rs", "update the README usage section", "bump dependencies in Cargo.toml"],
        "ui": "tui",
    },
    "churn": {
        "path": HOME + "/notebooks/churn-2026",
        "repo": "git@github.com:ledgerline/churn-analysis.git",
        "agents": None,
        "subdirs": ["notebooks", "src"],
        "files": ["notebooks/01_explore.ipynb", "notebooks/02_features.ipynb", "src/load.py", "requirements.txt"],
        "chores": ["clear the outputs of the notebooks before I commit", "explain what {file} computes", "speed up the parquet loading in src/load.py"],
        "ui": "vscode",
    },
    "scratch": {
        "path": HOME + "/scratch",
        "repo": None,
        "agents": None,
        "subdirs": ["regex", "pg-locks", "sql", "py"],
        "files": ["notes.md", "py/try.py"],
        "chores": ["quick python snippet to pretty-print a json file", "write a shell one-liner to count lines per file extension here", "explain the output of this command I pasted"],
        "ui": "tui",
    },
    "homelab": {
        "path": HOME + "/code/homelab",
        "repo": "git@github.com:dwhitfield/homelab.git",
        "agents": None,
        "subdirs": ["roles", "inventory"],
        "files": ["site.yml", "inventory/hosts.yml", "roles/common/tasks/main.yml", "group_vars/all.yml"],
        "chores": ["run ansible-lint and fix what it finds", "explain the tasks in {file}", "make the common role idempotent, it reports changed every run"],
        "ui": "tui",
    },
    "checkin": {
        "path": HOME + "/work/checkin-app",
        "repo": "git@github.com:ledgerline/checkin-app.git",
        "agents": "Expo (React Native) app. Use `npx expo` commands; tests with jest (`npm test`). Screens under app/, shared UI in components/.\n",
        "subdirs": ["app", "components", "src"],
        "files": ["app/_layout.tsx", "components/GuestCard.tsx", "src/api/client.ts", "app.json", "package.json"],
        "chores": ["bump expo patch versions", "fix the typescript errors in {file}", "explain the navigation setup in app/_layout.tsx"],
        "ui": "vscode",
    },
    "quill": {
        "path": HOME + "/code/quillmark",
        "repo": "git@github.com:dwhitfield/quillmark.git",
        "agents": "quillmark: a small markdown parser in TypeScript. `pnpm test` (vitest). No runtime dependencies.\n",
        "subdirs": ["src", "test"],
        "files": ["src/index.ts", "src/parser/block.ts", "src/parser/inline.ts", "src/render.ts", "package.json"],
        "chores": ["update the README examples", "fix the type errors after the typescript bump", "explain how {file} handles nesting"],
        "ui": "tui",
    },
    "dbt": {
        "path": HOME + "/work/ledger-dbt",
        "repo": "git@github.com:ledgerline/ledger-dbt.git",
        "agents": "dbt project on Snowflake. Models in models/staging and models/marts. Run `dbt build --select <model>+` for anything you change.\n",
        "subdirs": ["models/staging", "models/marts", "macros"],
        "files": ["models/staging/stg_invoices.sql", "models/marts/dim_customers.sql", "dbt_project.yml", "packages.yml"],
        "chores": ["add descriptions to the columns in {file}", "run sqlfluff fix on {sub}", "explain the lineage of {file}"],
        "ui": "vscode",
    },
    "bot": {
        "path": HOME + "/code/standup-bot",
        "repo": "git@github.com:dwhitfield/standup-bot.git",
        "agents": None,
        "subdirs": ["src"],
        "files": ["src/app.js", "src/schedule.js", "src/store.js", "manifest.yml", "package.json"],
        "chores": ["update @slack/bolt", "add eslint to the bot", "explain {file}"],
        "ui": "tui",
    },
    "aoc": {
        "path": HOME + "/code/aoc-2025",
        "repo": "git@github.com:dwhitfield/aoc-2025.git",
        "agents": None,
        "subdirs": ["."],
        "files": ["day05.py", "day08.py", "utils.py"],
        "chores": ["clean up utils.py grid helpers", "explain why my day 8 solution is slow"],
        "ui": "tui",
    },
    "kestrel": {
        "path": HOME + "/code/kestrel",
        "repo": "git@github.com:dwhitfield/kestrel.git",
        "agents": "kestrel: FastAPI + PostGIS app for logging bird sightings. `uv run pytest`. Migrations with alembic.\n",
        "subdirs": ["app", "app/routers", "alembic", "tests"],
        "files": ["app/main.py", "app/models.py", "app/routers/users.py", "pyproject.toml"],
        "chores": ["update dependencies with uv", "add type hints to {file}", "fix the ruff warnings"],
        "ui": "tui",
    },
    "cv": {
        "path": HOME + "/Documents/cv",
        "repo": None,
        "agents": None,
        "subdirs": ["."],
        "files": ["cv.tex"],
        "chores": ["fix the latex warnings in cv.tex"],
        "ui": "tui",
    },
    "ops": {
        "path": HOME + "/work/ops-scripts",
        "repo": "git@github.com:ledgerline/ops-scripts.git",
        "agents": None,
        "subdirs": ["."],
        "files": ["restore-db.sh", "lib/common.sh", "README.md"],
        "chores": ["add usage text to {file}", "explain what {file} does"],
        "ui": "tui",
    },
    "docs": {
        "path": HOME + "/work/ledgerline-docs",
        "repo": "git@github.com:ledgerline/docs.git",
        "agents": None,
        "subdirs": ["docs"],
        "files": ["mkdocs.yml", "docs/index.md", "docs/guides/getting-started.md"],
        "chores": ["fix the broken links mkdocs warns about", "proofread {file}"],
        "ui": "vscode",
    },
    "photos": {
        "path": HOME + "/code/photo-sorter",
        "repo": "git@github.com:dwhitfield/photo-sorter.git",
        "agents": None,
        "subdirs": ["sorter"],
        "files": ["sorter/__main__.py", "sorter/move.py", "pyproject.toml"],
        "chores": ["add a --verbose flag", "explain {file}"],
        "ui": "tui",
    },
    "qmk": {
        "path": HOME + "/code/qmk-keymap",
        "repo": "git@github.com:dwhitfield/qmk-keymap.git",
        "agents": None,
        "subdirs": ["keyboards/crkbd/keymaps/dana"],
        "files": ["keyboards/crkbd/keymaps/dana/keymap.c", "keyboards/crkbd/keymaps/dana/rules.mk"],
        "chores": ["explain the layer setup in keymap.c"],
        "ui": "tui",
    },
}

# Chores Dana runs from scripts (`codex exec`), any project.
EXEC_CHORES = [
    "Write a one-line conventional commit message for the staged diff.",
    "Summarize the changes on this branch compared to main as release notes.",
    "List the TODO comments in this repository grouped by file.",
    "Review the staged diff and reply with at most three concerns.",
]

# ---------------------------------------------------------------------------------------------
# Stories: the sessions queries are about.
# ---------------------------------------------------------------------------------------------

STORIES = [
    # ---------------- ledgerline ----------------
    S("ll-pdf-retry", "ledgerline", "packages/worker", 34, [
        T("the invoice PDF worker keeps retrying forever when the template is missing — make it give up after 5 attempts and move the job to the dead-letter queue",
          "The job had `attempts: Infinity` from the queue defaults. I set `attempts: 5` with exponential backoff and, on the final failure, the job is copied to the `invoice-pdf-dlq` queue with the error attached. Tests pass.",
          "$ rg -n \"attempts\" src",
          "$ sed -n 1,80p src/jobs/renderInvoicePdf.ts",
          "~ src/jobs/renderInvoicePdf.ts :: -  const template = await loadTemplate(job.data.templateId) / +  const template = await loadTemplate(job.data.templateId).catch(markPermanent)",
          "~ src/queues.ts :: -  defaultJobOptions: { attempts: Infinity } / +  defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 } }",
          "$ pnpm --filter worker test"),
        T("also the dead-letter queue has no dashboard, can you add a bull-board route behind admin auth in the api",
          "Added `/admin/queues` in the API using @bull-board/fastify, registered after the admin auth hook so it needs an admin session.",
          "+ ../api/src/routes/admin/queues.ts",
          "~ ../api/src/server.ts :: +  await app.register(adminQueuesRoutes, { prefix: '/admin/queues' })",
          "$ pnpm --filter api test", later=1.2),
    ], name="pdf worker retries", q=[
        Q("reuse", "the invoice PDF worker change — does it still move the job to the dead-letter queue after 5 attempts if redis restarts?"),
        Q("drift", "the bull-board admin page we added is reachable without the admin cookie, check the auth hook", "."),
        Q("files", "in renderInvoicePdf.ts can we log the template id when we give up?"),
        Q("name", "continue pdf worker retries", "."),
        Q("paraphrase", "the PDF rendering job for invoices — should the failed ones in the DLQ get retried by hand somehow?", extra=True),
    ]),
    S("ll-due-tz", "ledgerline", ".", 51, [
        T("due dates on invoices show a day early for customers in US timezones — figure out where we lose the timezone",
          "The API serialises `due_date` (a DATE column) as midnight UTC and the web app formats it in the browser's zone, so anything west of UTC shows the previous day. I added `toTenantLocalDate` in shared and use it in the invoice row.",
          "$ rg -n \"dueDate\" packages --type ts",
          "$ sed -n 1,60p packages/shared/src/dates.ts",
          "~ packages/shared/src/dates.ts :: +export function toTenantLocalDate(value: string, timeZone: string): PlainDate {",
          "~ packages/web/src/components/InvoiceRow.tsx :: -      {format(new Date(invoice.dueDate), 'PP')} / +      {formatPlainDate(toTenantLocalDate(invoice.dueDate, tenant.timeZone))}",
          "$ pnpm --filter shared test"),
        T("write a regression test with a tenant in America/Los_Angeles",
          "Added a test that renders an invoice due 2026-10-01 for a Los Angeles tenant and checks it stays 2026-10-01.",
          "+ packages/shared/test/dates.test.ts",
          "$ pnpm --filter shared test -- dates"),
    ], q=[
        Q("paraphrase", "invoices displaying the due date one day off for american clients — is the fix in every place we render dates?"),
        Q("files", "toTenantLocalDate in shared/dates.ts — should it take the tenant or just the tz string?"),
        Q("noisy", "the due date thing again, still off by one:\nExpected: \"2026-10-01\"\nReceived: \"2026-09-30\"\n    at Object.<anonymous> (packages/shared/test/dates.test.ts:41:27)"),
    ]),
    S("ll-stripe", "ledgerline", "packages/api", 27, [
        T("stripe webhooks sometimes arrive before the invoice row is committed and we 404 — make the webhook handler idempotent and retry-safe",
          "The handler now records each Stripe event id in `webhook_events` (unique) inside the same transaction as the invoice update, returns 200 for duplicates and 409 when the invoice doesn't exist yet so Stripe retries.",
          "$ sed -n 1,120p src/routes/webhooks/stripe.ts",
          "~ src/routes/webhooks/stripe.ts :: -    if (!invoice) return reply.code(404).send() / +    if (!invoice) return reply.code(409).send({ retry: true })",
          "+ migrations/0042_webhook_events.sql",
          "$ pnpm --filter api test -- webhooks"),
        T("unrelated, but the api boot takes 9 seconds locally, can you profile what's slow",
          "Most of the boot is importing pdfkit and the fonts eagerly from the plugins index. I made the PDF plugin load lazily on first use; boot is ~2.1 s now.",
          "$ node --cpu-prof --cpu-prof-dir=/tmp/prof dist/server.js",
          "$ ls -la /tmp/prof",
          "~ src/plugins/index.ts :: -import { pdfPlugin } from './pdf' / +const pdfPlugin = () => import('./pdf').then((m) => m.pdfPlugin)",
          "$ time node dist/server.js --check-boot"),
        T("nice, commit both separately", "Committed as two commits: `webhooks: idempotent stripe handler` and `api: lazy-load pdf plugin`.",
          "$ git add -p && git commit -m 'webhooks: idempotent stripe handler'",
          "$ git commit -am 'api: lazy-load pdf plugin'"),
    ], q=[
        Q("reuse", "stripe webhook idempotency — did we dedupe on event id or on invoice id?"),
        Q("drift", "api startup is slow again after the rebase, did the lazy loading of pdfkit get reverted?"),
        Q("files", "is 0042_webhook_events.sql safe to run on prod while the invoices table is busy?", "."),
        Q("wrapper", "quick follow-up on the stripe webhooks: what happens if the same event comes in twice at the same moment?"),
    ]),
    S("ll-table-rerender", "ledgerline", "packages/web", 44, [
        T("the invoices table in the web app re-renders every row when you type in the search box. make it not do that",
          "Each keystroke recreated the rows array and the row callbacks. I memoised the rows, wrapped `InvoiceRowView` in `memo`, and debounced the search hook.",
          "$ rg -n \"InvoiceTable\" src",
          "~ src/features/invoices/InvoiceTable.tsx :: -  const rows = invoices.filter(matches(query)) / +  const rows = useMemo(() => invoices.filter(matches(query)), [invoices, query])",
          "~ src/features/invoices/useInvoiceSearch.ts :: +  const debounced = useDebouncedValue(query, 250)",
          "$ pnpm --filter web test -- invoices"),
    ], q=[
        Q("paraphrase", "the invoice list in the frontend lags while typing in the filter field — could we virtualize it as well?"),
        Q("files", "useInvoiceSearch — make the debounce 150ms instead"),
    ]),
    S("ll-pg-pool", "ledgerline", "packages/api", 22, [
        T("api is throwing 'remaining connection slots are reserved' under the load test. investigate",
          "Six API pods with a pool of 50 each plus the worker exceed `max_connections=200`. I lowered the pool to 20, added an idle timeout, and the k6 run is clean at 200 VUs.",
          "$ rg -n \"max:\" src/db",
          "$ sed -n 1,40p src/db/pool.ts",
          "$ psql \"$DATABASE_URL\" -c \"select usename, count(*) from pg_stat_activity group by 1\" => usename  | count\n----------+-------\n ledger   |   197\n rdsadmin |     3",
          "$ k6 run load/invoices.js => http_req_failed....: 7.92%  ✗ 1901",
          "~ src/db/pool.ts :: -  max: 50, / +  max: Number(process.env.PG_POOL_MAX ?? 20),\n+  idleTimeoutMillis: 10_000,",
          "$ k6 run load/invoices.js => http_req_failed....: 0.00%  ✓ 0",
          "$ git diff --stat"),
    ], q=[
        Q("noisy", "FATAL: remaining connection slots are reserved for non-replication superuser connections   <- back again, this time in staging"),
        Q("files", "the k6 script load/invoices.js — bump it to 300 VUs and run it again"),
        Q("paraphrase", "postgres running out of connections under load: should we put pgbouncer in front instead of shrinking the pool?", extra=True),
    ]),
    S("ll-node22-a", "ledgerline", ".", 63, [
        T("upgrade the monorepo to node 22 and fix whatever breaks",
          "Started: bumped `.nvmrc` and `engines`; `pnpm install` fails on the native `canvas` build in the worker. Stopping here for now.",
          "~ .nvmrc :: -20 / +22",
          "~ package.json :: -    \"node\": \">=20\" / +    \"node\": \">=22\"",
          "$ pnpm install => gyp ERR! build error\ngyp ERR! stack Error: `make` failed with exit code: 2"),
    ], end="aborted", q=[]),
    S("ll-node22-b", "ledgerline", ".", 19, [
        T("let's do the node 22 upgrade again, this time one package at a time starting with shared",
          "shared builds and tests green on Node 22. Next would be api.",
          "~ packages/shared/package.json :: +  \"engines\": { \"node\": \">=22\" }",
          "$ pnpm --filter shared test"),
        T("ok api next", "api passes on 22 after replacing `node-fetch` with the global fetch.",
          "$ rg -n \"node-fetch\" packages/api",
          "~ packages/api/src/lib/http.ts :: -import fetch from 'node-fetch'",
          "$ pnpm --filter api test"),
        T("now the worker, that's where canvas broke last time",
          "Swapped `canvas` for `@napi-rs/canvas` (prebuilt for Node 22). The worker's snapshot tests pass.",
          "~ packages/worker/package.json :: -    \"canvas\": \"^2.11.2\" / +    \"@napi-rs/canvas\": \"^0.1.65\"",
          "~ packages/worker/src/render/chart.ts",
          "$ pnpm --filter worker test", later=2.0),
    ], q=[
        Q("same-task-twice", "node 22 upgrade — where did we get to with the worker package?"),
        Q("same-task-twice", "continue the node 22 migration, web is the last one left"),
    ]),
    S("ll-rbac", "ledgerline", ".", 38, [
        T("add a read-only 'accountant' role in the api: can view invoices and payments but not edit anything",
          "Added the `accountant` role with read permissions on invoices, payments and customers, enforced in the policy layer; members can be given it from settings.",
          "~ packages/api/src/auth/roles.ts :: +  accountant: ['invoice:read', 'payment:read', 'customer:read'],",
          "~ packages/api/src/auth/policy.ts",
          "+ packages/api/test/rbac.accountant.test.ts",
          "~ packages/web/src/features/settings/MembersPage.tsx",
          "$ pnpm -r test"),
    ], name="accountant role", q=[
        Q("name", "accountant role — hide the delete buttons in the web app too"),
        Q("wrapper", "is the accountant role allowed to download invoice PDFs?"),
    ]),
    S("ll-cron-twice", "ledgerline", "packages/worker", 14, [
        T("the nightly overdue-reminders job ran twice yesterday. why",
          "Two worker replicas each registered the repeatable job with a different `jobId`, so BullMQ kept both schedules. I gave the repeatable a fixed key and removed the stale schedule.",
          "$ kubectl -n ledgerline logs deploy/worker --since=30h | rg overdue",
          "$ rg -n \"repeat\" src",
          "$ sed -n 1,50p src/schedules.ts",
          "~ src/schedules.ts :: -  await queue.add('overdue-reminders', {}, { repeat: { pattern: '0 6 * * *' } }) / +  await queue.add('overdue-reminders', {}, { repeat: { pattern: '0 6 * * *' }, jobId: 'overdue-reminders' })",
          "$ pnpm --filter worker test"),
    ], q=[
        Q("paraphrase", "late payment reminder emails went out two times last night"),
        Q("files", "schedules.ts: is the fixed jobId enough if we deploy during the 6am run?"),
    ]),

    # ---------------- infra ----------------
    S("infra-rds", "infra", ".", 57, [
        T("rds storage autoscaling isn't enabled on the prod postgres instance, add max_allocated_storage in the rds module and plan it for prod",
          "Added `max_allocated_storage` (default null, 1000 GB in prod). The plan shows an in-place update.",
          "$ sed -n 1,90p modules/rds/main.tf",
          "~ modules/rds/main.tf :: +  max_allocated_storage = var.max_allocated_storage",
          "~ modules/rds/variables.tf",
          "~ envs/prod/main.tf :: +  max_allocated_storage = 1000",
          "$ terraform -chdir=envs/prod plan -out=/tmp/rds.plan"),
        T("the plan also wants to replace the parameter group, why?",
          "The module computes the parameter group family from the engine version, and prod is on 15.7 while the default moved to 16: the family changed from postgres15 to postgres16, which forces a new group.",
          "$ terraform -chdir=envs/prod show /tmp/rds.plan | rg -n family"),
        T("pin the parameter group family to postgres15 so it stops", "Pinned via `parameter_group_family = \"postgres15\"` in prod; the plan is now just the storage change.",
          "~ envs/prod/main.tf :: +  parameter_group_family = \"postgres15\"",
          "$ terraform -chdir=envs/prod plan"),
    ], name="rds autoscaling", q=[
        Q("reuse", "max_allocated_storage for the prod postgres — can this go out tonight?"),
        Q("drift", "why did terraform want to recreate the parameter group, was it the family version thing?"),
        Q("name", "rds autoscaling: do staging as well", "envs/staging"),
        Q("noisy", "kannst du das rds autoscaling auch für staging einbauen?", extra=True),
    ]),
    S("infra-cert", "infra", ".", 31, [
        T("cert-manager isn't renewing the wildcard cert for *.ledgerline.io, it expires in 9 days",
          "The DNS-01 solver can't write the TXT record: the IRSA role lost `route53:ChangeResourceRecordSets` on the hosted zone when the zone was recreated. I fixed the zone id in the ClusterIssuer and the policy.",
          "$ kubectl -n cert-manager logs deploy/cert-manager --tail=200",
          "$ kubectl -n ingress describe certificate wildcard-ledgerline",
          "~ k8s/cert-manager/clusterissuer.yaml :: -          hostedZoneID: Z0812ABCD3EF / +          hostedZoneID: Z04417XYZ9QRST",
          "~ modules/iam/cert_manager.tf"),
    ], q=[
        Q("paraphrase", "the TLS certificate for our wildcard domain isn't auto-renewing — any progress?"),
        Q("noisy", "cert stil not renewd, Error presenting challenge: failed to change Route 53 record set: AccessDenied"),
        Q("files", "clusterissuer.yaml: is the hostedZoneID the new zone now?"),
    ]),
    S("infra-hpa", "infra", "k8s/helm/ledgerline-api", 48, [
        T("add an HPA to the ledgerline-api helm chart scaling on CPU 70%, min 3 max 12",
          "Added templates/hpa.yaml (autoscaling/v2) driven by `.Values.autoscaling`; prod values enable it.",
          "+ templates/hpa.yaml",
          "~ values.yaml :: +autoscaling:\n+  enabled: false",
          "~ values-prod.yaml :: +autoscaling:\n+  enabled: true\n+  minReplicas: 3\n+  maxReplicas: 12",
          "$ helm template . -f values-prod.yaml | rg -n HorizontalPodAutoscaler"),
        T("and a PodDisruptionBudget so node drains don't take all pods at once",
          "Added templates/pdb.yaml with `maxUnavailable: 1`, enabled when replicas > 1.",
          "+ templates/pdb.yaml",
          "$ helm lint . -f values-prod.yaml"),
    ], q=[
        Q("drift", "the PodDisruptionBudget — maxUnavailable 1 or minAvailable 2, what did we pick?", "."),
        Q("files", "values-prod.yaml autoscaling block, bump maxReplicas to 20"),
    ]),
    S("infra-eks-a", "infra", "envs/staging", 112, [
        T("upgrade the staging EKS cluster to 1.31",
          "Bumped `cluster_version`; the plan fails because the vpc-cni and kube-proxy addon versions are pinned to 1.29-compatible builds.",
          "~ main.tf :: -  cluster_version = \"1.30\" / +  cluster_version = \"1.31\"",
          "$ terraform plan => Error: updating EKS Add-On (staging:kube-proxy): InvalidParameterException: Addon version specified is not supported"),
    ], end="aborted", archived=True, q=[]),
    S("infra-eks-b", "infra", "envs/staging", 39, [
        T("EKS 1.31 upgrade, take two: staging first, and check addon compatibility before touching anything",
          "Listed compatible addon versions for 1.31 and bumped vpc-cni, kube-proxy and coredns first; then the control plane. Staging is on 1.31.",
          "$ aws eks describe-addon-versions --kubernetes-version 1.31 --query 'addons[].addonName'",
          "~ addons.tf",
          "~ main.tf :: -  cluster_version = \"1.30\" / +  cluster_version = \"1.31\"",
          "$ terraform plan"),
        T("now the managed node groups", "Node group rolled; two pods blocked eviction because of a PDB with minAvailable equal to replicas. I relaxed it and the rollout finished.",
          "$ aws eks describe-update --name staging --update-id 7f1c",
          "$ kubectl get pdb -A", later=1.0),
    ], q=[
        Q("same-task-twice", "where are we with the EKS 1.31 upgrade? is prod next?", "."),
        Q("same-task-twice", "eks upgrade: nodegroup update failed with PodEvictionFailure again"),
    ]),

    # ---------------- harbor ----------------
    S("harbor-jwks", "harbor", ".", 42, [
        T("JWT validation in harbor rejects tokens from the new auth0 tenant, kid not found",
          "The new tenant rotates signing keys and harbor only fetched the JWKS at start-up. On an unknown `kid` it now refetches the JWKS (at most once per 30 s) before rejecting.",
          "$ rg -n \"jwks\" internal",
          "$ sed -n 1,110p internal/auth/jwks.go",
          "~ internal/auth/jwks.go :: +func (c *JWKSCache) refreshOnUnknownKid(ctx context.Context, kid string) (*jose.JSONWebKey, error) {",
          "$ go test ./internal/auth/..."),
        T("while you're in there, the jwks cache never expires; give it a TTL of 10 minutes",
          "Entries now expire after 10 minutes; a background refresh keeps the last good set if the fetch fails.",
          "~ internal/auth/jwks.go :: +\tttl:      10 * time.Minute,",
          "$ go test -race ./internal/auth/..."),
    ], q=[
        Q("reuse", "the kid not found problem with the new auth0 tenant is back for one customer"),
        Q("drift", "jwks cache TTL — make it configurable from the harbor config file"),
        Q("files", "refreshOnUnknownKid in jwks.go: the 30s limit is per process, is that fine with 6 replicas?"),
        Q("noisy", "harbor 401s again:\nlevel=ERROR msg=\"token validation failed\" err=\"jwt: kid \\\"a1b2c3\\\" not found in jwks\" tenant=acme"),
    ]),
    S("harbor-ratelimit", "harbor", ".", 66, [
        T("add per-tenant rate limiting in harbor using redis token buckets, 100 rps default, overrides from config",
          "Added internal/ratelimit with a Lua token bucket in Redis keyed by tenant, a middleware in the proxy chain, and `ratelimit.overrides` in config.",
          "+ internal/ratelimit/bucket.go",
          "+ internal/ratelimit/bucket.lua",
          "~ internal/proxy/middleware.go :: +\th = ratelimit.Middleware(rl, tenantFromRequest)(h)",
          "$ go test ./internal/ratelimit -race"),
    ], name="tenant rate limits", q=[
        Q("name", "tenant rate limits — add the Retry-After header on 429s"),
        Q("paraphrase", "the redis-backed throttling per customer in the gateway: how does it behave if redis goes down?"),
        Q("files", "bucket.lua — can the refill use redis TIME instead of the client clock?", extra=True),
    ]),

    # ---------------- relay ----------------
    S("relay-dupe-sms", "relay", ".", 29, [
        T("SMS reminders are sent twice when the twilio callback times out — dedupe by message sid",
          "The consumer re-queued a message when the send call timed out even though Twilio had accepted it. Sends now record the idempotency key and the returned SID in `sent_messages`; a retry with the same key is skipped.",
          "$ sed -n 1,90p internal/providers/twilio/client.go",
          "~ internal/providers/twilio/client.go :: +\treq.Header.Set(\"I-Twilio-Idempotency-Token\", msg.IdempotencyKey)",
          "~ internal/queue/consumer.go",
          "+ migrations/007_sent_messages.sql",
          "$ go test ./..."),
        T("also the email templates render the tenant logo broken in outlook, fix the img tags",
          "Outlook ignores CSS sizing on images: I set explicit width/height attributes and a table wrapper in the reminder template.",
          "~ templates/email/reminder.html :: -<img src=\"{{.LogoURL}}\" class=\"logo\"> / +<img src=\"{{.LogoURL}}\" width=\"120\" height=\"40\" alt=\"{{.TenantName}}\" style=\"display:block\">",
          later=0.9),
    ], q=[
        Q("paraphrase", "customers are getting duplicate text messages again"),
        Q("drift", "the outlook logo rendering issue in the reminder email — dark mode inverts it now"),
        Q("files", "007_sent_messages.sql needs an index on created_at for the cleanup job"),
    ]),

    # ---------------- near-duplicate pairs (harbor / relay, web / checkin, ...) ----------------
    S("nd-shutdown-harbor", "harbor", ".", 24, [
        T("harbor drops in-flight requests when kubernetes sends SIGTERM. add graceful shutdown with a 25s drain",
          "main now traps SIGTERM, flips readiness to failing, waits 5 s for the endpoints to update, then calls `Server.Shutdown` with a 25 s deadline.",
          "~ cmd/harbor/main.go :: +\tctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)",
          "~ internal/server/server.go :: +func (s *Server) Drain(ctx context.Context) error {",
          "$ go test ./internal/server/..."),
    ], q=[Q("near-duplicate-dir", "graceful shutdown: does the drain timeout leave room for the preStop hook?")]),
    S("nd-shutdown-relay", "relay", ".", 23, [
        T("relay loses queued messages on SIGTERM during deploys, add graceful shutdown that drains the worker pool",
          "On SIGTERM relay stops pulling from SQS, lets in-flight sends finish (25 s max) and returns unfinished messages by resetting their visibility timeout.",
          "~ cmd/relay/main.go :: +\tctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)",
          "~ internal/queue/consumer.go :: +func (c *Consumer) Drain(ctx context.Context) error {",
          "$ go test ./internal/queue/..."),
    ], q=[Q("near-duplicate-dir", "graceful shutdown: does the drain timeout leave room for the preStop hook?")]),
    S("nd-slog-harbor", "harbor", ".", 88, [
        T("replace logrus with log/slog, JSON handler, and keep the request_id field on every line",
          "Replaced logrus everywhere with slog; a middleware puts request_id into the context and a handler wrapper adds it to each record.",
          "$ rg -l logrus",
          "~ internal/server/logging.go",
          "~ internal/proxy/proxy.go",
          "~ go.mod :: -\tgithub.com/sirupsen/logrus v1.9.3",
          "$ go build ./... && go test ./..."),
    ], q=[Q("near-duplicate-dir", "the slog migration — can we make the log level configurable via an env var?", "internal/proxy")]),
    S("nd-slog-relay", "relay", ".", 86, [
        T("replace logrus with log/slog using the JSON handler; keep the message_id field on log lines",
          "relay now logs with slog's JSON handler; message_id is attached through a logger stored in the context by the consumer.",
          "$ rg -l logrus",
          "~ internal/queue/consumer.go",
          "~ cmd/relay/main.go",
          "~ go.mod :: -\tgithub.com/sirupsen/logrus v1.9.3",
          "$ go test ./..."),
    ], q=[Q("near-duplicate-dir", "the slog migration — can we make the log level configurable via an env var?")]),
    S("nd-eslint-web", "ledgerline", "packages/web", 75, [
        T("upgrade eslint to v9 and move to the flat config",
          "Converted .eslintrc.cjs to eslint.config.js with typescript-eslint's flat presets, react-hooks and import plugins.",
          "$ npx @eslint/migrate-config .eslintrc.cjs",
          "+ eslint.config.js",
          "~ package.json :: -    \"eslint\": \"^8.57.0\" / +    \"eslint\": \"^9.14.0\"",
          "$ pnpm lint"),
    ], q=[Q("near-duplicate-dir", "eslint flat config: the import plugin rules don't seem to be applied, check")]),
    S("nd-eslint-checkin", "checkin", ".", 73, [
        T("upgrade eslint to v9 and switch to the flat config format",
          "Moved to eslint.config.js using eslint-config-expo's flat export plus the import plugin.",
          "+ eslint.config.js",
          "~ package.json :: -    \"eslint\": \"^8.57.0\" / +    \"eslint\": \"^9.14.0\"",
          "$ npx expo lint"),
    ], q=[Q("near-duplicate-dir", "eslint flat config: the import plugin rules don't seem to be applied, check")]),
    S("nd-shellcheck-dot", "dotfiles", ".", 97, [
        T("add a github actions job that runs shellcheck on all the scripts",
          "Added .github/workflows/shellcheck.yml running shellcheck on install.sh and bin/*.",
          "+ .github/workflows/shellcheck.yml",
          "$ shellcheck install.sh bin/*"),
    ], q=[Q("near-duplicate-dir", "shellcheck job: ignore SC1091 globally, it's noise")]),
    S("nd-shellcheck-ops", "ops", ".", 95, [
        T("add a github actions job that runs shellcheck on every script here",
          "Added .github/workflows/shellcheck.yml that runs shellcheck on *.sh and lib/*.sh; fixed the two existing warnings.",
          "+ .github/workflows/shellcheck.yml",
          "~ lib/common.sh",
          "$ shellcheck *.sh lib/*.sh"),
    ], q=[Q("near-duplicate-dir", "shellcheck job: ignore SC1091 globally, it's noise")]),
    S("nd-release-rivet", "rivet", ".", 59, [
        T("set up release automation: a github action that builds and publishes when I push a version tag",
          "Added .github/workflows/release.yml: on `v*` tags it runs tests, publishes to crates.io with CARGO_REGISTRY_TOKEN and uploads binaries for linux and macOS.",
          "+ .github/workflows/release.yml",
          "~ Cargo.toml"),
    ], q=[Q("near-duplicate-dir", "the release workflow didn't trigger on the v0.4.0 tag, why?")]),
    S("nd-release-quill", "quill", ".", 58, [
        T("set up release automation: github action that publishes when I push a version tag",
          "Added .github/workflows/release.yml: on `v*` tags it builds and runs `npm publish --provenance` with NPM_TOKEN.",
          "+ .github/workflows/release.yml",
          "~ package.json"),
    ], q=[Q("near-duplicate-dir", "the release workflow didn't trigger on the v0.4.0 tag, why?")]),
    S("nd-docker-kestrel", "kestrel", ".", 46, [
        T("make the Dockerfile a multi-stage build, the image is over a gigabyte",
          "Builder stage installs with uv into a venv; the runtime stage is python:3.12-slim with only the venv and app/. 1.2 GB → 310 MB.",
          "~ Dockerfile",
          "+ .dockerignore",
          "$ docker build -t kestrel:slim . && docker images kestrel"),
    ], q=[Q("near-duplicate-dir", "the multi-stage docker image — it's still way bigger than I'd like, what's left?")]),
    S("nd-docker-bot", "bot", ".", 45, [
        T("make the Dockerfile a multi-stage build, the image is huge",
          "Build stage runs `npm ci`, runtime is node:22-alpine with production deps only. 1.1 GB → 180 MB.",
          "~ Dockerfile",
          "+ .dockerignore",
          "$ docker build -t standup-bot . && docker images standup-bot"),
    ], q=[Q("near-duplicate-dir", "the multi-stage docker image — it's still way bigger than I'd like, what's left?")]),
    S("nd-sitemap-site", "site", ".", 36, [
        T("add a sitemap and a robots.txt",
          "Added @astrojs/sitemap with `site` set and a static public/robots.txt pointing at it.",
          "~ astro.config.mjs :: +  integrations: [sitemap()],",
          "+ public/robots.txt",
          "$ pnpm build && ls dist | rg sitemap"),
    ], q=[Q("near-duplicate-dir", "sitemap: leave out the draft pages")]),
    S("nd-sitemap-docs", "docs", ".", 35, [
        T("add a sitemap and a robots.txt to the docs site",
          "mkdocs already writes sitemap.xml when site_url is set; I set site_url and added docs/robots.txt.",
          "~ mkdocs.yml :: +site_url: https://docs.ledgerline.io/",
          "+ docs/robots.txt",
          "$ mkdocs build --strict"),
    ], q=[Q("near-duplicate-dir", "sitemap: leave out the draft pages")]),
    S("nd-uv-kestrel", "kestrel", ".", 81, [
        T("move kestrel from requirements.txt to uv with a lockfile",
          "Converted to pyproject.toml dependencies + uv.lock; requirements.txt removed, CI uses `uv sync --frozen`.",
          "~ pyproject.toml",
          "$ uv lock",
          "~ .github/workflows/ci.yml"),
    ], q=[Q("near-duplicate-dir", "uv lock: add a dev dependency group for pytest and ruff")]),
    S("nd-uv-photos", "photos", ".", 80, [
        T("move photo-sorter from requirements.txt to uv with a lockfile",
          "pyproject.toml now lists the dependencies, uv.lock is committed, and the README says `uv run python -m sorter`.",
          "~ pyproject.toml",
          "$ uv lock",
          "~ README.md"),
    ], q=[Q("near-duplicate-dir", "uv lock: add a dev dependency group for pytest and ruff")]),

    # ---------------- dotfiles ----------------
    S("dot-nvim-lsp", "dotfiles", "nvim", 53, [
        T("my neovim LSP setup broke after updating to 0.11, lspconfig says the setup framework is deprecated. migrate to vim.lsp.config",
          "Moved server settings into nvim/lsp/*.lua and enabled them with `vim.lsp.enable`; the on_attach keymaps moved into an LspAttach autocmd.",
          "$ sed -n 1,120p lua/plugins/lsp.lua",
          "~ lua/plugins/lsp.lua :: -  lspconfig.gopls.setup({ on_attach = on_attach }) / +  vim.lsp.enable({ 'gopls', 'ts_ls', 'lua_ls' })",
          "+ lsp/gopls.lua",
          "+ lsp/ts_ls.lua",
          "$ nvim --headless \"+checkhealth vim.lsp\" +qa"),
        T("now the completion popup from blink.cmp doesn't show signature help",
          "Signature help is opt-in in blink.cmp; enabled `signature = { enabled = true }` and removed the old lsp_signature plugin.",
          "~ lua/plugins/completion.lua :: +    signature = { enabled = true },", later=3.0),
    ], name="nvim 0.11 lsp", q=[
        Q("name", "nvim 0.11 lsp — pyright isn't attaching in python files"),
        Q("drift", "blink.cmp signature help still doesn't pop up in go files"),
        Q("reuse", "vim.lsp.config migration: did we keep the on_attach keymaps?", "."),
    ]),
    S("dot-zsh-slow", "dotfiles", "zsh", 70, [
        T("zsh takes 1.8s to start, find out what's slow",
          "zprof shows nvm.sh (1.1 s) and compinit running twice. nvm is now loaded lazily on first use of node/npm/npx and compinit runs once with a daily cache. Startup is 0.19 s.",
          "$ zsh -i -c 'zmodload zsh/zprof; source ~/.zshrc; zprof' | head -20",
          "$ sed -n 1,80p .zshrc",
          "~ .zshrc :: -source \"$NVM_DIR/nvm.sh\" / +source \"$ZDOTDIR/lazy-nvm.zsh\"",
          "~ plugins.zsh",
          "$ hyperfine 'zsh -i -c exit'"),
    ], q=[
        Q("paraphrase", "my shell is sluggish to open again, like a second and a half"),
        Q("files", "plugins.zsh: the lazy loader breaks npx in new tabs"),
        Q("wrapper", "picking this up again: zsh startup time, compinit is back to running twice"),
    ]),
    S("dot-tmux", "dotfiles", "tmux", 101, [
        T("tmux: make the status bar show the git branch and kube context, and fix true color in nvim inside tmux",
          "Status-right now calls scripts/kube_ctx.sh and the git branch of the pane's path; set default-terminal tmux-256color and the Tc override for true color.",
          "~ tmux.conf :: +set -g default-terminal \"tmux-256color\"\n+set -as terminal-overrides ',xterm-256color:Tc'",
          "+ scripts/kube_ctx.sh",
          "$ tmux source-file ~/.config/tmux/tmux.conf"),
    ], q=[
        Q("reuse", "the kube context in the tmux status bar is stale after switching contexts"),
        Q("noisy", "colors stil broken in tmux, TERM=screen-256color and nvim says termguicolors isnt supported"),
    ]),
    S("dot-ghostty-a", "dotfiles", ".", 138, [
        T("switch my terminal config from alacritty to ghostty, keep the same font and theme",
          "Started a ghostty config with the font; the theme names differ, stopping here.",
          "+ ghostty/config"),
    ], end="aborted", q=[]),
    S("dot-ghostty-b", "dotfiles", ".", 16, [
        T("ghostty again: port my alacritty config (font, theme, keybindings) and drop alacritty from install.sh",
          "ghostty/config has the font, the catppuccin theme and the keybindings mapped; install.sh links it and no longer installs alacritty.",
          "~ ghostty/config",
          "~ install.sh :: -ln -sf \"$PWD/alacritty\" ~/.config/alacritty / +ln -sf \"$PWD/ghostty\" ~/.config/ghostty",
          "$ ghostty +validate-config"),
        T("option as alt doesn't work for my tmux bindings", "Set `macos-option-as-alt = left`.", "~ ghostty/config :: +macos-option-as-alt = left"),
    ], q=[Q("same-task-twice", "the ghostty setup — quick terminal toggle keybind doesn't work")]),

    # ---------------- site ----------------
    S("site-og", "site", ".", 61, [
        T("generate open graph images for blog posts at build time with satori",
          "Added an endpoint that renders a PNG per post with satori + resvg, and the post layout points og:image at it.",
          "+ src/pages/og/[slug].png.ts",
          "~ src/layouts/Post.astro :: +<meta property=\"og:image\" content={new URL(`/og/${slug}.png`, Astro.site)} />",
          "$ pnpm build"),
        T("the RSS feed only has descriptions, put the full post content in it",
          "rss.xml.ts now renders each post body with the markdown renderer and sanitize-html into `content`.",
          "~ src/pages/rss.xml.ts", later=4.0),
    ], q=[
        Q("paraphrase", "the social preview cards for my posts — can they use my own font?"),
        Q("drift", "the full content in the rss feed — some readers show raw html tags"),
        Q("files", "[slug].png.ts is slow in dev, cache the generated images"),
    ]),
    S("site-heroku-post", "site", "src/content/blog", 21, [
        T("help me edit my draft post about migrating from heroku to fly.io, it's way too long",
          "Cut it from ~3,900 to ~2,100 words: merged the two setup sections, removed the timeline, kept the gotchas list.",
          "$ wc -w heroku-to-fly.md",
          "~ heroku-to-fly.md"),
    ], name="heroku post edit", q=[
        Q("name", "heroku post edit: tighten the conclusion", "."),
        Q("reuse", "the heroku to fly.io draft — add a short section on what it costs now"),
    ]),
    S("site-astro5-a", "site", ".", 122, [
        T("migrate the site from astro 4 to astro 5",
          "Ran the upgrade; content collections need the new loader API and the build fails in three places.",
          "$ npx @astrojs/upgrade",
          "$ pnpm build => [ERROR] [content] The collection \"blog\" does not exist or is empty."),
    ], end="aborted", q=[]),
    S("site-astro5-b", "site", ".", 47, [
        T("astro 5 migration, second attempt — move the blog collection to the content layer glob loader first",
          "Added src/content.config.ts with the glob loader; the blog builds on Astro 5.",
          "+ src/content.config.ts",
          "$ rm src/content/config.ts",
          "$ pnpm build"),
        T("the tag pages broke, they used entry.slug", "Switched to `entry.id` and regenerated the tag routes.",
          "~ src/pages/tags/[tag].astro :: -  params: { slug: entry.slug } / +  params: { slug: entry.id }",
          "$ pnpm build"),
    ], q=[
        Q("same-task-twice", "astro 5 upgrade: images in posts aren't optimized anymore"),
        Q("same-task-twice", "more astro 5 migration breakage: the rss endpoint errors on getCollection", "src/pages"),
    ]),

    # ---------------- rivet ----------------
    S("rivet-dryrun", "rivet", ".", 68, [
        T("add a --dry-run flag to rivet that prints the rename plan as a table without touching any files",
          "`--dry-run` builds the plan, prints it with `render_table` (old → new) and exits 0 without renaming.",
          "$ sed -n 1,80p src/cli.rs",
          "~ src/cli.rs :: +    /// Print the plan and change nothing\n+    #[arg(long)]\n+    dry_run: bool,",
          "~ src/plan.rs :: +pub fn render_table(plan: &Plan, out: &mut impl Write) -> io::Result<()> {",
          "+ tests/dry_run.rs",
          "$ cargo test"),
        T("the table breaks with emoji in filenames, columns don't line up",
          "Used unicode-width for the column widths instead of `str::len`.",
          "~ src/plan.rs :: -        let w = name.len(); / +        let w = UnicodeWidthStr::width(name.as_str());",
          "~ Cargo.toml :: +unicode-width = \"0.2\"",
          "$ cargo test", later=2.0),
    ], q=[
        Q("reuse", "--dry-run should also print a summary line of how many files would be renamed"),
        Q("drift", "filenames with emoji still misalign the columns, the flag emoji especially"),
        Q("files", "render_table in plan.rs — can it output json as well?"),
    ]),
    S("rivet-collision", "rivet", ".", 52, [
        T("rivet silently overwrites when two files map to the same target name. detect collisions before renaming and abort",
          "Before executing, `detect_collisions` groups plan entries by target; any group > 1 (or a target that exists and isn't itself renamed) aborts with a list.",
          "~ src/plan.rs :: +pub fn detect_collisions(plan: &Plan) -> Vec<Collision> {",
          "+ tests/collisions.rs",
          "$ cargo test collisions"),
        T("what about case-insensitive filesystems, like on the mac",
          "Targets are compared case-folded when the target directory is case-insensitive (probed once per directory).",
          "~ src/plan.rs",
          "$ cargo test"),
    ], q=[
        Q("paraphrase", "when two inputs end up with the same output name rivet clobbers one — is that check case-insensitive on macOS now?"),
        Q("noisy", "thread 'main' panicked at src/plan.rs:88:14:\ncalled `Option::unwrap()` on a `None` value\n\nhappens with the collision check on an empty dir"),
    ]),
    S("rivet-windows-a", "rivet", ".", 93, [
        T("make rivet build on windows, the path handling uses unix-only stuff",
          "`std::os::unix::ffi::OsStrExt` is used in pattern.rs; replacing it needs a different approach for non-UTF-8 names. Parking this.",
          "$ rg -n \"os::unix\" src",
          "$ cargo check --target x86_64-pc-windows-gnu"),
    ], end="aborted", archived=True, q=[]),
    S("rivet-windows-b", "rivet", ".", 30, [
        T("windows support for rivet, second try: start by replacing the std::os::unix uses",
          "pattern.rs now works on `OsStr` through `to_string_lossy` only for matching and keeps the original for renaming; cfg'd the permission bits. `cargo check` for windows passes.",
          "$ rg -n \"os::unix\" src",
          "~ src/pattern.rs",
          "$ cargo check --target x86_64-pc-windows-gnu"),
        T("add windows-latest to the CI matrix", "Added; tests use `tempfile` paths, which already work there.",
          "~ .github/workflows/ci.yml :: +        os: [ubuntu-latest, macos-latest, windows-latest]"),
    ], q=[Q("same-task-twice", "windows build of rivet — the CI job on windows-latest fails in the tests now")]),

    # ---------------- churn notebooks ----------------
    S("churn-leak", "churn", "notebooks", 40, [
        T("in 02_features.ipynb the tenure feature leaks future info, rebuild it using only events before the snapshot date",
          "tenure was computed against `now()`; `tenure_days` in src/features.py now takes the snapshot date and only looks at earlier events.",
          "$ jupyter nbconvert --to script 02_features.ipynb --stdout | head -80",
          "$ sed -n 1,60p ../src/features.py",
          "~ ../src/features.py :: -    return (pd.Timestamp.now() - df.signup_at).dt.days / +    return (snapshot_date - df.signup_at).dt.days",
          "$ python -m pytest ../tests/test_features.py -q"),
        T("now retrain the xgboost model and compare the AUC with the leaky version",
          "AUC went from 0.88 (leaky) to 0.81. The drop is expected; the old number was inflated.",
          "$ python ../train.py --config ../configs/xgb.yaml => val_auc=0.8107 (previous run 0.8842)"),
    ], q=[
        Q("reuse", "the leaky tenure feature fix — also check days_since_last_login for the same leak"),
        Q("drift", "AUC dropped to 0.81 after removing the leak, is that expected? try lightgbm too"),
        Q("files", "tenure_days in features.py — use the snapshot_date column instead of the argument"),
    ]),
    S("churn-cohort", "churn", "notebooks", 85, [
        T("make a cohort retention heatmap by signup month in 01_explore",
          "Added a cell computing monthly retention per signup cohort and a seaborn heatmap.",
          "$ jupyter nbconvert --to script 01_explore.ipynb --stdout | tail -40"),
    ], q=[Q("paraphrase", "the retention chart by signup cohort — normalize it by cohort size")]),

    # ---------------- scratch ----------------
    S("scratch-semver", "scratch", "regex", 77, [
        T("write a regex that matches semver with optional pre-release and build metadata, plus tests in python",
          "semver_re.py has the pattern from the spec with named groups and 24 pytest cases.",
          "+ semver_re.py",
          "+ test_semver_re.py",
          "$ python -m pytest -q"),
    ], q=[Q("reuse", "the semver regex: it accepts 01.2.3, which shouldn't be valid")]),
    S("scratch-deadlock", "scratch", "pg-locks", 26, [
        T("I want to reproduce a deadlock between two transactions updating invoices and payments in postgres with docker, write me a script",
          "docker-compose.yml starts postgres 16; repro.sh runs tx_a.sql and tx_b.sql concurrently, which lock the two tables in opposite order.",
          "+ docker-compose.yml",
          "+ repro.sh",
          "+ tx_a.sql",
          "+ tx_b.sql",
          "$ ./repro.sh => ERROR:  deadlock detected\nDETAIL:  Process 58 waits for ShareLock on transaction 742; blocked by process 57."),
    ], q=[
        Q("paraphrase", "the postgres deadlock reproduction — make it loop until it hits it"),
        Q("files", "tx_b.sql should lock payments first, right?"),
    ]),

    # ---------------- homelab ----------------
    S("homelab-jellyfin", "homelab", ".", 55, [
        T("jellyfin transcoding doesn't use the intel GPU in the docker container, fix the ansible role",
          "The container had no /dev/dri and the user wasn't in the render group. The role now maps /dev/dri and adds the render gid; QSV works.",
          "$ sed -n 1,60p roles/jellyfin/templates/docker-compose.yml.j2",
          "~ roles/jellyfin/templates/docker-compose.yml.j2 :: +    devices:\n+      - /dev/dri:/dev/dri\n+    group_add:\n+      - \"{{ render_gid }}\"",
          "$ ansible-playbook -i inventory/hosts.yml site.yml --limit nas --tags jellyfin"),
        T("while at it, the pihole role keeps overwriting my custom dns entries every run",
          "The role templated custom.list wholesale; it now manages only the block between markers with blockinfile.",
          "~ roles/pihole/tasks/main.yml", later=2.0),
    ], name="jellyfin qsv", q=[
        Q("name", "jellyfin qsv — HDR tone mapping looks washed out"),
        Q("drift", "pihole keeps resetting my local dns records after the playbook runs"),
        Q("noisy", "jellyfin ffmpeg log: [AVHWDeviceContext @ 0x55d4] No VA display found for device /dev/dri/renderD128"),
    ]),
    S("homelab-restic", "homelab", ".", 33, [
        T("set up restic backups of the nas to backblaze b2 with a systemd timer, via ansible",
          "New role `restic`: installs restic, templates the env file with B2 credentials from vault, and a service + timer running nightly at 02:30.",
          "+ roles/restic/tasks/main.yml",
          "+ roles/restic/templates/restic-backup.service.j2",
          "+ roles/restic/templates/restic-backup.timer.j2",
          "~ site.yml",
          "$ ansible-playbook -i inventory/hosts.yml site.yml --limit nas --tags restic --check"),
    ], q=[
        Q("reuse", "restic b2 backups: add a prune/forget schedule"),
        Q("files", "restic-backup.timer runs at the same time as the jellyfin library scan, move it"),
    ]),
    S("homelab-traefik-a", "homelab", ".", 128, [
        T("move traefik to v3", "The v3 static config renames several keys; the dashboard router rule syntax also changed. Stopping here, half done.",
          "~ roles/traefik/templates/traefik.yml.j2"),
    ], end="aborted", q=[]),
    S("homelab-traefik-b", "homelab", ".", 50, [
        T("traefik v3 again, start from the migration guide this time and do the static config first",
          "Static config migrated (entryPoints, providers.docker.exposedByDefault, metrics); dashboard router uses the v3 rule syntax.",
          "~ roles/traefik/templates/traefik.yml.j2",
          "~ roles/traefik/templates/dynamic.yml.j2",
          "$ ansible-playbook -i inventory/hosts.yml site.yml --tags traefik"),
        T("jellyfin and pihole routes 404 now", "Their labels used `Host(`a`, `b`)` with two args, which v3 rejects; split into `Host(a) || Host(b)`.",
          "~ roles/jellyfin/templates/docker-compose.yml.j2",
          "~ roles/pihole/templates/docker-compose.yml.j2"),
    ], q=[
        Q("same-task-twice", "traefik v3: the dashboard is 404 over https"),
        Q("same-task-twice", "the traefik upgrade — did we already migrate the middlewares file?", "roles"),
    ]),

    # ---------------- checkin-app ----------------
    S("checkin-push", "checkin", ".", 37, [
        T("push notifications don't arrive on android after the expo sdk 52 upgrade",
          "SDK 52 requires the FCM v1 credentials and the notification channel created before requesting the token; register.ts now creates the channel first.",
          "$ sed -n 1,80p src/notifications/register.ts",
          "~ app.json",
          "~ src/notifications/register.ts :: +  await Notifications.setNotificationChannelAsync('default', { importance: Notifications.AndroidImportance.HIGH })",
          "$ npx expo-doctor"),
        T("the EAS build fails now: Execution failed for task ':app:processReleaseGoogleServices'",
          "google-services.json wasn't in the build because it's gitignored; uploaded it as an EAS file secret and referenced it from app.json.",
          "~ eas.json",
          "$ eas build -p android --profile preview", later=1.0),
    ], q=[
        Q("paraphrase", "android phones stopped receiving notifications since we bumped expo"),
        Q("drift", "EAS release build failing again on processReleaseGoogleServices"),
        Q("files", "register.ts — only request the notification permission after onboarding is done"),
    ]),
    S("checkin-offline", "checkin", ".", 25, [
        T("the check-in screen should work offline: queue check-ins in sqlite and sync them when the device is back online",
          "Check-ins go to a local expo-sqlite queue; a sync loop flushes it when NetInfo reports a connection, oldest first, with the server's idempotency key.",
          "+ src/sync/queue.ts",
          "~ app/(tabs)/checkin.tsx",
          "$ npm test -- sync"),
    ], name="offline check-ins", q=[
        Q("name", "offline check-ins: conflict when the same guest gets checked in twice"),
        Q("wrapper", "re the offline queue — what happens when the app is killed in the middle of a sync?"),
    ]),
    S("checkin-detox-a", "checkin", ".", 99, [
        T("set up detox e2e tests for the check-in flow", "Detox needs a prebuilt native project; the managed workflow needs a config plugin. Stopping here.",
          "$ npx expo prebuild"),
    ], end="aborted", q=[]),
    S("checkin-detox-b", "checkin", ".", 12, [
        T("detox e2e for the check-in flow, second go: use the expo config plugin this time",
          "Added @config-plugins/detox, .detoxrc.js with an android emulator config, and e2e/checkin.test.ts; the flow passes locally.",
          "~ app.json",
          "+ .detoxrc.js",
          "+ e2e/checkin.test.ts",
          "$ npx detox build -c android.emu.debug && npx detox test -c android.emu.debug"),
    ], q=[Q("same-task-twice", "the detox tests — run them on CI with an emulator")]),

    # ---------------- quillmark ----------------
    S("quill-tables", "quill", ".", 60, [
        T("quillmark doesn't parse GFM tables with escaped pipes inside cells",
          "`splitCells` split on every `|`; it now skips backslash-escaped pipes and unescapes them in the cell text.",
          "$ rg -n \"splitCells\" src",
          "$ sed -n 1,70p src/parser/table.ts",
          "~ src/parser/table.ts :: +function splitCells(line: string): string[] {",
          "+ test/fixtures/tables-escaped-pipe.md",
          "$ pnpm test"),
        T("benchmark the parser against markdown-it on the big README fixtures",
          "quillmark is 1.3× faster than markdown-it on the fixtures; the table path is the slowest.",
          "+ bench/parse.bench.ts",
          "$ pnpm vitest bench", later=1.5),
    ], q=[
        Q("reuse", "escaped pipes inside table cells — also inside inline code spans"),
        Q("drift", "the benchmark against markdown-it: run it on node 22 too"),
        Q("files", "splitCells in table.ts — handle the trailing pipe"),
    ]),
    S("quill-esm", "quill", ".", 43, [
        T("publish quillmark as dual ESM/CJS, people complain require() fails",
          "tsup builds index.js (ESM) and index.cjs; package.json `exports` has import/require conditions with their own .d.ts files.",
          "~ package.json :: +  \"exports\": { \".\": { \"import\": \"./dist/index.js\", \"require\": \"./dist/index.cjs\" } },",
          "+ tsup.config.ts",
          "$ pnpm build",
          "$ node -e \"require('./dist/index.cjs')\""),
    ], q=[
        Q("paraphrase", "the commonjs import is broken for users — is the exports map right?"),
        Q("noisy", "Error [ERR_REQUIRE_ESM]: require() of ES Module /app/node_modules/quillmark/dist/index.js not supported.\nstill happening with 0.9.1"),
    ]),
    S("quill-plugins-a", "quill", ".", 90, [
        T("add a plugin API for custom inline syntax", "Sketched `definePlugin`; the inline tokenizer isn't pluggable without a rewrite. Parking it.",
          "+ src/plugins.ts"),
    ], end="aborted", q=[]),
    S("quill-plugins-b", "quill", ".", 28, [
        T("plugin API for custom inline syntax, second attempt — make the inline tokenizer table-driven first",
          "The inline tokenizer dispatches on a trigger-character table; plugins register `{ trigger, parse, render }`. Added a mentions plugin as the example.",
          "~ src/parser/inline.ts",
          "~ src/plugins.ts",
          "+ examples/mentions.ts",
          "$ pnpm test"),
    ], q=[Q("same-task-twice", "the inline plugin API: let plugins register more than one trigger character")]),

    # ---------------- dbt ----------------
    S("dbt-mrr", "dbt", ".", 49, [
        T("the mrr mart double counts upgrades mid-month. fix fct_mrr so proration is handled",
          "Upgrades created two subscription rows for the month; fct_mrr now takes the last state per subscription per month and adds a proration adjustment.",
          "$ sed -n 1,120p models/marts/fct_mrr.sql",
          "~ models/marts/fct_mrr.sql",
          "~ models/marts/schema.yml",
          "$ dbt build --select fct_mrr+"),
        T("the dbt run in CI takes 40 minutes now, can we make the staging models incremental",
          "stg_events is incremental on `loaded_at` with a 3-day lookback; CI went to 14 minutes.",
          "~ models/staging/stg_events.sql :: +{{ config(materialized='incremental', unique_key='event_id') }}",
          "$ dbt build --select stg_events+", later=2.0),
    ], q=[
        Q("reuse", "fct_mrr proration — did the numbers for september change a lot?"),
        Q("drift", "incremental staging models: stg_events is missing late arriving rows"),
        Q("paraphrase", "monthly recurring revenue is inflated when customers upgrade in the middle of the month", "models/marts"),
    ]),
    S("dbt-snap-a", "dbt", ".", 71, [
        T("add a dbt snapshot for the customers table to track plan changes",
          "Added snapshots/customers_snapshot.sql with the timestamp strategy; it fails because updated_at is null for old rows.",
          "+ snapshots/customers_snapshot.sql",
          "$ dbt snapshot => Database Error in snapshot customers_snapshot: NULL result in a non-nullable column"),
    ], end="failed", q=[]),
    S("dbt-snap-b", "dbt", ".", 24, [
        T("customers snapshot again — the timestamp strategy failed on null updated_at last time, let's get it working",
          "Used the check strategy on plan_id, status and seats; the snapshot runs and dim_customers joins the current row.",
          "~ snapshots/customers_snapshot.sql",
          "$ dbt snapshot",
          "~ models/marts/dim_customers.sql"),
    ], q=[
        Q("same-task-twice", "the customers snapshot — add seats_limit to the checked columns"),
        Q("same-task-twice", "dbt snapshot of customers for plan history: how do I backfill it from the audit log?"),
    ]),

    # ---------------- standup bot ----------------
    S("bot-tz", "bot", ".", 64, [
        T("the standup bot pings people at 9am UTC instead of 9am in their own timezone",
          "schedule.js now reads each user's `tz` from users.info and schedules per user with luxon.",
          "~ src/schedule.js",
          "$ npm test"),
    ], q=[
        Q("paraphrase", "the daily reminder from the slack bot comes at the wrong hour for the NYC folks"),
        Q("wrapper", "one more thing about the 9am standup pings: none on weekends please"),
    ]),
    S("bot-threads", "bot", ".", 32, [
        T("post standup answers as a thread under one parent message instead of separate messages",
          "The bot posts a parent message per day and each answer as a reply; `postThreadedSummary` adds a summary at the end.",
          "~ src/app.js :: +async function postThreadedSummary(client, channel, day) {",
          "~ src/store.js"),
        T("add a /standup skip command", "Registered `/standup` with a `skip` subcommand in manifest.yml and app.js; skipped people are marked in the summary.",
          "~ manifest.yml", "~ src/app.js"),
    ], q=[
        Q("drift", "the /standup skip command doesn't show up in slack"),
        Q("files", "postThreadedSummary — list the people who skipped at the bottom"),
    ]),

    # ---------------- aoc ----------------
    S("aoc-day12", "aoc", ".", 109, [
        T("day 12 part 2 is too slow, my flood fill over garden regions takes minutes",
          "The region search re-scanned the grid for every cell; a single BFS with a visited set is O(n). For part 2, sides are counted as corners of each region. Part 2 runs in 80 ms.",
          "$ sed -n 1,80p day12.py",
          "~ day12.py",
          "$ time python day12.py input/12.txt"),
    ], q=[
        Q("reuse", "day 12 part 2: counting sides is off by 4 on the example"),
        Q("noisy", "day12 RecursionError: maximum recursion depth exceeded in comparison"),
    ]),
    S("aoc-day21", "aoc", ".", 104, [
        T("help me understand day 21 with the keypad robots, don't give me the answer, just hints",
          "Hints: think of each layer as a function from (from-key, to-key) to the cost of pressing it; the layers only differ by which keypad they drive."),
    ], q=[Q("reuse", "day 21 hint: how do I think about memoizing the keypad layers?")]),

    # ---------------- kestrel ----------------
    S("kestrel-alembic", "kestrel", ".", 41, [
        T("alembic autogenerate keeps creating a migration that drops and recreates the geography index",
          "GeoAlchemy creates the spatial index itself, and alembic doesn't see it as equal. `include_object` in env.py now skips those indexes.",
          "$ sed -n 1,80p alembic/env.py",
          "~ alembic/env.py :: +def include_object(obj, name, type_, reflected, compare_to):",
          "$ uv run alembic revision --autogenerate -m check"),
        T("now add a sightings-per-species endpoint with pagination",
          "GET /species/counts returns counts per species with limit/offset paging.",
          "~ app/routers/sightings.py",
          "+ tests/test_species_counts.py",
          "$ uv run pytest -q", later=1.0),
    ], q=[
        Q("paraphrase", "autogenerate still wants to drop the spatial index every time"),
        Q("drift", "the species counts endpoint — paginate with cursors instead of offsets"),
        Q("files", "include_object in env.py — also skip the postgis tiger tables"),
    ]),
    S("kestrel-uploads", "kestrel", ".", 54, [
        T("upload bird photos to s3 with presigned urls from the frontend",
          "POST /photos/presign returns a presigned PUT URL; the frontend uploads directly and then confirms the key.",
          "+ app/routers/photos.py",
          "~ app/main.py"),
    ], name="presigned uploads", q=[
        Q("name", "presigned uploads — limit the size to 10MB"),
        Q("reuse", "s3 presigned urls for the photo upload: CORS error in firefox"),
    ]),
    S("kestrel-fts-a", "kestrel", ".", 79, [
        T("add full-text search over sighting notes with postgres tsvector", "Started a generated tsvector column; the migration conflicts with the index detection bug. Parking.",
          "+ alembic/versions/9c1_notes_fts.py"),
    ], end="aborted", archived=True, q=[]),
    S("kestrel-fts-b", "kestrel", ".", 20, [
        T("full-text search on sighting notes again, tsvector column plus a GIN index",
          "Migration adds the generated `notes_tsv` column and a GIN index; GET /sightings?q= uses websearch_to_tsquery.",
          "+ alembic/versions/b7e_notes_fts.py",
          "~ app/routers/sightings.py",
          "$ uv run pytest -q"),
    ], q=[
        Q("same-task-twice", "the notes full-text search: make it ignore accents"),
        Q("same-task-twice", "tsvector search on sightings — rank the results"),
    ]),

    # ---------------- cv, ops, docs, photos, qmk ----------------
    S("cv-pages", "cv", ".", 18, [
        T("my cv.tex overflows to 3 pages after adding the ledgerline role, get it back to 2 pages",
          "Tightened the section spacing, merged the two older roles, and reduced the skills list to one line: 2 pages.",
          "~ cv.tex",
          "$ latexmk -pdf cv.tex"),
    ], q=[Q("reuse", "the cv is 3 pages again after I added the conference talk")]),
    S("ops-backup", "ops", ".", 46, [
        T("backup-db.sh should fail loudly if pg_dump fails, right now it uploads an empty file to s3",
          "Added `set -euo pipefail`, dump to a temp file first, check it's non-empty, and only then upload.",
          "$ sed -n 1,60p backup-db.sh",
          "~ backup-db.sh :: -#!/bin/bash / +#!/usr/bin/env bash\n+set -euo pipefail",
          "$ shellcheck backup-db.sh"),
    ], q=[
        Q("paraphrase", "the database backup script uploaded a zero-byte dump again"),
        Q("files", "backup-db.sh: the size check uses stat -c which doesn't work on a mac"),
    ]),
    S("ops-bastion", "ops", ".", 15, [
        T("why is /var/log on the bastion full",
          "journald had no size cap and the audit logs weren't rotated. Capped journald at 500M, added logrotate for audit, freed 14 GB.",
          "$ ssh bastion df -h /var/log",
          "$ ssh bastion sudo du -xh /var/log --max-depth=1 | sort -h | tail",
          "$ ssh bastion journalctl --disk-usage",
          "$ ssh bastion sudo journalctl --vacuum-size=500M",
          "$ ssh bastion ls -la /var/log/audit",
          "~ rotate-logs.sh",
          "$ ssh bastion df -h /var/log"),
    ], q=[Q("noisy", "bastion disk ful again: /dev/nvme0n1p1  20G  20G  0 100% /")]),
    S("docs-apiref", "docs", ".", 62, [
        T("generate the API reference pages from the openapi spec with mkdocs, instead of the hand-written ones",
          "Used neoteroi-mkdocs to render docs/api/reference.md from openapi.yaml at build; removed the hand-written pages.",
          "~ mkdocs.yml",
          "+ docs/api/reference.md",
          "$ mkdocs build --strict"),
    ], q=[Q("paraphrase", "the docs for the REST endpoints generated from the openapi file: the authentication section is missing")]),
    S("photos-heic", "photos", ".", 58, [
        T("photo-sorter crashes on HEIC files from my iphone, no EXIF date",
          "Pillow can't open HEIC without pillow-heif; registered the opener and read DateTimeOriginal from it.",
          "~ sorter/exif.py :: +from pillow_heif import register_heif_opener\n+register_heif_opener()",
          "$ uv run python -m sorter ~/Pictures/inbox --dry-run"),
        T("also use the file mtime as a fallback and put undated ones in an 'unknown' folder",
          "Files without EXIF date fall back to mtime when --trust-mtime is set, otherwise go to unknown/.",
          "~ sorter/move.py"),
    ], q=[
        Q("reuse", "HEIC files from the iphone: still no date for the live photos"),
        Q("drift", "the undated photos folder — name it by year of mtime instead of 'unknown'"),
        Q("noisy", "photo sorter: PIL.UnidentifiedImageError: cannot identify image file '/home/dana/Pictures/inbox/IMG_4411.HEIC'"),
    ]),
    S("qmk-hrm", "qmk", "keyboards/crkbd/keymaps/dana", 87, [
        T("tune my home row mods, I get accidental shift when typing fast",
          "Raised TAPPING_TERM to 210 with per-key lower terms for index fingers, enabled PERMISSIVE_HOLD and set QUICK_TAP_TERM to 120.",
          "~ config.h :: +#define TAPPING_TERM 210\n+#define PERMISSIVE_HOLD",
          "$ qmk compile -kb crkbd -km dana"),
    ], q=[
        Q("paraphrase", "home-row modifiers still misfiring when I type quickly — try chordal hold"),
        Q("files", "config.h: does QUICK_TAP_TERM still exist in current qmk?"),
    ]),
    S("relay-ses", "relay", ".", 9, [
        T("emails bounce for one tenant with 'Message rejected: Email address is not verified' — the SES config set per tenant is wrong",
          "The tenant's custom from-address wasn't verified; relay now falls back to the default sender with Reply-To set to the tenant address when the identity is unverified.",
          "$ aws sesv2 get-email-identity --email-identity billing@acme-co.com",
          "~ internal/providers/ses/client.go",
          "$ go test ./internal/providers/ses/..."),
    ], q=[
        Q("reuse", "ses fallback sender: log a warning when we fall back for an unverified identity"),
        Q("noisy", "MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: facturas@acme-co.es — ¿otra vez el mismo problema del remitente?"),
    ]),
]

# ---------------------------------------------------------------------------------------------
# Today's sessions (hours before ``now``) and the vague prompts typed in projects.
# ---------------------------------------------------------------------------------------------

RECENT = [
    S("r-e2e", "ledgerline", ".", 0.09, [
        T("the playwright test invoices.spec.ts fails only on CI, it times out on the 'send reminder' button",
          "On CI the button is below the fold at 1280×720 and an overlay toast covers it; the test now waits for the toast to disappear and scrolls the button into view.",
          "$ pnpm --filter web exec playwright test invoices.spec.ts --reporter=line",
          "~ packages/web/e2e/invoices.spec.ts",
          "$ gh run view --log-failed | tail -40"),
    ], q=[Q("vague-inside", "try again, it still times out")]),
    S("r-glob", "rivet", ".", 0.15, [
        T("add a --glob option to rivet so I can select files like '*.jpg' instead of passing them all",
          "Added `--glob` using globset; matches are expanded relative to the current directory and sorted.",
          "~ src/cli.rs", "~ Cargo.toml :: +globset = \"0.4\"", "$ cargo test"),
    ], q=[Q("vague-inside", "ok now run clippy and fix what it says")]),
    S("r-gitalias", "dotfiles", "git", 0.05, [
        T("my `git lg` alias shows dates in UTC, make it relative dates with the author name in color",
          "Changed the format to `%C(yellow)%h %C(blue)%an %C(green)(%ar)%C(reset) %s`.",
          "~ .gitconfig :: -\tlg = log --graph --date=iso / +\tlg = log --graph --format='%C(yellow)%h %C(blue)%an %C(green)(%ar)%C(reset) %s'"),
    ], q=[Q("vague-inside", "commit that", ".")]),
    S("r-near", "kestrel", ".", 0.2, [
        T("the /sightings/near endpoint takes 3 seconds for a 5km radius",
          "It computed ST_Distance for every row; it now uses ST_DWithin on the geography column so the GIST index is used. 3 s → 40 ms.",
          "$ uv run python -m app.explain near",
          "~ app/routers/sightings.py", "$ uv run pytest -q tests/test_near.py"),
    ], q=[Q("vague-inside", "can you add a test for that too")]),
    S("r-post", "site", "src/content/blog", 0.12, [
        T("write a first draft of a post about my home row mods setup, based on my notes in drafts/hrm-notes.md",
          "Drafted home-row-mods.md (~1,200 words): why, the timing settings, what went wrong, what I'd do again.",
          "$ cat ../../../drafts/hrm-notes.md", "+ home-row-mods.md"),
    ], q=[Q("vague-inside", "looks good, now fix the typos")]),
    S("r-playbook", "homelab", ".", 0.1, [
        T("the nas role fails on the new disk: mount point /srv/media2 doesn't exist",
          "Added a task creating the mount point before the mount, with the right owner.",
          "~ roles/nas/tasks/main.yml",
          "$ ansible-playbook -i inventory/hosts.yml site.yml --limit nas --tags nas => fatal: [nas]: FAILED! => {\"msg\": \"Error mounting /srv/media2\"}"),
    ], q=[Q("vague-inside", "run the playbook again")]),
    S("r-arr", "dbt", ".", 0.07, [
        T("add an ARR by region model on top of fct_mrr",
          "Added models/marts/fct_arr_by_region.sql (MRR × 12 grouped by billing region) with tests.",
          "+ models/marts/fct_arr_by_region.sql", "~ models/marts/schema.yml", "$ dbt build --select fct_arr_by_region"),
    ], q=[Q("vague-inside", "what did we change so far?")]),
    S("r-timeout", "harbor", ".", 0.18, [
        T("make the upstream timeout configurable per route in harbor",
          "Routes accept `timeout` in routes.yaml (default 30s), applied with a per-request context deadline in the proxy.",
          "~ internal/proxy/routes.go", "~ internal/proxy/proxy.go", "$ go test ./internal/proxy/..."),
    ], q=[Q("vague-inside", "undo the last change")]),
]

# Vague prompts typed inside projects with no session today: a careful person starts afresh.
VAGUE_INSIDE_NEW = [
    ("add tests", "quill", "."),
    ("fix the bug please", "relay", "."),
    ("clean up the code", "photos", "sorter"),
    ("review my changes", "churn", "."),
    ("update the readme", "bot", "."),
    ("run the tests", "checkin", "."),
    ("make it faster", "ops", "."),
    ("what's broken?", "infra", "envs/prod"),
]

# ---------------------------------------------------------------------------------------------
# Queries whose right answer is a new session. ``avoid`` lists words no session (for
# new-subject-known-repo: no session of that project) may contain; generate.py checks it.
# ---------------------------------------------------------------------------------------------

VAGUE_OUTSIDE = [
    ("add tests", "~"), ("fix the bug please", "/tmp"), ("clean up the code", "~/Downloads"),
    ("review my changes", "~"), ("make it work", "/tmp/test"), ("why is this failing?", "~"),
    ("refactor this", "~/Downloads"), ("write a README", "/tmp"), ("what does this script do", "~/Downloads"),
    ("optimize it", "~"), ("run the tests", "/tmp"), ("fix lint", "~"),
    ("can you explain this error", "~/Downloads"), ("update dependencies", "~"), ("try again", "/tmp"),
    ("deploy it", "~"), ("help", "~"), ("write a makefile for this", "/tmp/build"),
]

NEW_SUBJECT = [
    ("add SAML single sign-on for enterprise tenants", "ledgerline", "packages/api", ["saml", "single sign-on"]),
    ("dark mode for the web app, follow the OS setting", "ledgerline", "packages/web", ["dark mode", "prefers-color-scheme"]),
    ("GDPR: a tenant asked for a full export of their personal data, build that", "ledgerline", ".", ["gdpr", "personal data"]),
    ("set up i18n in the web app, we need French and German", "ledgerline", "packages/web", ["i18n", "french", "german"]),
    ("add gRPC-web support to harbor", "harbor", ".", ["grpc"]),
    ("harbor should be able to proxy websockets", "harbor", "internal/proxy", ["websocket"]),
    ("replace the bastion with SSM session manager access", "infra", ".", ["ssm", "session manager"]),
    ("create an S3 bucket for data exports with lifecycle rules to glacier", "infra", "modules", ["glacier", "lifecycle"]),
    ("add a karabiner config that maps caps lock to escape/control", "dotfiles", ".", ["karabiner", "caps lock"]),
    ("add an --undo command to rivet that reverts the last batch from a journal", "rivet", ".", ["undo command", "--undo", "journal"]),
    ("show webmentions under each post", "site", ".", ["webmention"]),
    ("set up home assistant with zigbee2mqtt", "homelab", ".", ["home assistant", "zigbee"]),
    ("add apple wallet passes for guests", "checkin", ".", ["wallet", "pkpass"]),
    ("add math support with KaTeX", "quill", ".", ["katex", "math"]),
    ("export sightings in eBird's CSV import format", "kestrel", ".", ["ebird"]),
    ("add WhatsApp as a provider next to twilio SMS", "relay", ".", ["whatsapp"]),
    ("add a net revenue retention model by cohort", "dbt", "models/marts", ["net revenue retention", "nrr"]),
    ("try a survival analysis with a cox model instead of the classifier", "churn", ".", ["survival", "cox"]),
    ("post a weekly digest of standups to #eng every friday", "bot", ".", ["digest", "friday"]),
    ("write a script that rotates the IAM access keys of the ci user", "ops", ".", ["iam", "access key"]),
]

CHIT_CHAT = [
    ("thanks, that's all for today", "~"), ("hi", "~"), ("good morning!", "~"),
    ("what model are you?", "/tmp"), ("tell me a joke about kubernetes", "~"),
    ("how are you doing today?", "~"), ("lol nice", "~/Downloads"), ("ok cool", "~"),
    ("can you recommend a good book on distributed systems?", "~"),
    ("what time is it in tokyo right now", "~"), ("sorry, wrong window", "/tmp"),
    ("merci beaucoup, bonne soirée", "~"),
]

ABSENT = [
    ("explain how raft leader election works", "~", ["raft"]),
    ("what's a good way to finally understand rust lifetimes?", "~", ["lifetime"]),
    ("give me a cron expression for every second tuesday of the month", "/tmp", ["tuesday"]),
    ("set up a wireguard tunnel between two VPSes", "~", ["wireguard"]),
    ("help me write a cover letter for a staff engineer role", "~/Documents", ["cover letter"]),
    ("build a tiny CHIP-8 emulator in C", "~/scratch", ["chip-8"]),
    ("compare sqlite and duckdb for analytics on a 5GB parquet file", "~/Downloads", ["duckdb"]),
    ("convert this CSV of bank transactions into a ledger-cli journal", "~/Downloads", ["ledger-cli", "bank transactions"]),
    ("how do I profile memory usage of a go program with pprof", "~", ["pprof"]),
    ("write a github action that labels PRs by the paths they change", "~", ["labels prs", "labeler"]),
    ("set up a raspberry pi as a print server with CUPS", "~", ["cups", "raspberry"]),
    ("for a side project, should I keep secrets in vault or sops?", "~", ["sops"]),
    ("ffmpeg command to turn a screen recording into a gif", "~/Downloads", ["ffmpeg", "gif"]),
    ("implement an LRU cache in typescript with tests", "/tmp/lru", ["lru"]),
    ("solve this sudoku in prolog", "/tmp", ["sudoku", "prolog"]),
    ("write a terraform module for a cloudflare worker", "~/scratch", ["cloudflare"]),
    ("explain CRDTs like I'm five", "~", ["crdt"]),
    ("wie schreibe ich ein vim-makro, das zwei spalten vertauscht?", "~", ["makro", "spalten"]),
]

# ---------------------------------------------------------------------------------------------
# Later turns, names and queries added to the stories above (kept apart so each story stays
# readable; merged below).
# ---------------------------------------------------------------------------------------------

MORE = {
    "ll-rbac": {"turns": [T("separate thing: the members page doesn't paginate and one tenant has 400 users",
                            "MembersPage now uses the cursor-paginated `/members` endpoint, 50 per page, with a search box.",
                            "~ packages/web/src/features/settings/MembersPage.tsx", "~ packages/api/src/routes/members.ts", later=1.0)],
                "q": [Q("drift", "members page pagination for the big tenant — the search box only searches the current page"),
                      Q("noisy", "accountnat role can still edit payments?? PATCH /payments/123 -> 200", "packages/api")]},
    "ops-backup": {"turns": [T("and make restore-db.sh able to restore into a different database name",
                               "restore-db.sh takes `--target-db NAME`, creates it if missing and restores there instead of the original.",
                               "~ restore-db.sh", "$ shellcheck restore-db.sh")],
                   "q": [Q("drift", "restore-db.sh into a different db name: it still drops the original one first"),
                         Q("wrapper", "picking up the backup-db.sh work again: send a slack message when it fails")]},
    "cv-pages": {"turns": [T("also make a one-page version for the conference speaker bio",
                             "Added cv-short.tex sharing the header macros: one page with the last two roles and talks.",
                             "+ cv-short.tex", "$ latexmk -pdf cv-short.tex", later=2.0)],
                 "q": [Q("drift", "the one-page short version of my cv for the speaker bio — add the podcast episode"),
                       Q("paraphrase", "my resume spills onto a third page again")]},
    "scratch-deadlock": {"turns": [T("now show me how to find the blocking query with pg_locks while it's stuck",
                                     "Added blockers.sql joining pg_locks with pg_stat_activity and using pg_blocking_pids().",
                                     "+ blockers.sql", "$ psql -h localhost -U postgres -f blockers.sql")],
                         "q": [Q("drift", "that pg_locks query for the blocking pid — show the query text of the blocker too")]},
    "checkin-offline": {"turns": [T("unrelated: the guest search is slow on old android phones",
                                    "The search filtered 3,000 guests on every keystroke on the JS thread; it's now debounced and uses a prebuilt lowercase index.",
                                    "~ components/GuestSearch.tsx", later=1.0)],
                        "q": [Q("drift", "guest search is still janky on the old samsung tablet"),
                              Q("noisy", "SQLiteError: database is locked\n    at src/sync/queue.ts:58\noffline queue on android, happens after resume"),
                              Q("files", "queue.ts: flush in batches of 20", extra=True)]},
    "kestrel-uploads": {"turns": [T("also generate thumbnails with a lambda when a photo lands in the bucket",
                                    "Added lambdas/thumbnail/handler.py triggered by s3:ObjectCreated on the originals/ prefix, writing 320px JPEGs to thumbs/.",
                                    "+ lambdas/thumbnail/handler.py", "+ lambdas/thumbnail/template.yaml", later=2.0)],
                        "q": [Q("drift", "the thumbnail lambda — it seems to trigger on its own output"),
                              Q("noisy", "Access to fetch at 'https://kestrel-photos.s3.eu-central-1.amazonaws.com/originals/8f2.jpg?X-Amz-Signature=…' from origin 'http://localhost:5173' has been blocked by CORS policy")]},
    "dbt-mrr": {"name": "mrr proration",
                "q": [Q("name", "mrr proration: check the numbers against stripe for october"),
                      Q("wrapper", "one more thing about fct_mrr: downgrades in the middle of the month"),
                      Q("noisy", "Compilation Error in model fct_mrr (models/marts/fct_mrr.sql)\n  'proration_adjustment' is undefined"),
                      Q("reuse", "fct_mrr still double counts in october for the enterprise plan", extra=True)]},
    "checkin-push": {"name": "android push after sdk 52",
                     "q": [Q("name", "android push after sdk 52: test on android 15"),
                           Q("wrapper", "one more thing about the android notifications: the icon shows as a white square")]},
    "quill-tables": {"name": "gfm escaped pipes",
                     "q": [Q("name", "gfm escaped pipes — add the commonmark spec examples as tests"),
                           Q("wrapper", "quick question about the escaped pipe fix: what about a double backslash before the pipe?")]},
    "churn-leak": {"name": "tenure leakage",
                   "q": [Q("name", "tenure leakage: write up the findings for the team", "."),
                         Q("wrapper", "re the tenure leakage — did we save the retrained model?"),
                         Q("reuse", "02_features: does days_since_last_login leak as well?", extra=True)]},
    "rivet-dryrun": {"name": "dry-run table",
                     "q": [Q("name", "dry-run table: colour the arrows"),
                           Q("wrapper", "one more thing about --dry-run: should it exit non-zero when nothing matches?")]},
    "infra-cert": {"name": "wildcard cert renewal",
                   "q": [Q("name", "wildcard cert renewal — add an alert at 14 days before expiry"),
                         Q("files", "wildcard-ledgerline certificate: is it Ready now?", extra=True)]},
    "ll-cron-twice": {"q": [Q("reuse", "the nightly overdue-reminders job ran twice again this morning"),
                            Q("reuse", "overdue reminders duplicated — could the repeatable job key collide between staging and prod redis?", extra=True)]},
    "infra-hpa": {"q": [Q("reuse", "HPA for the ledgerline-api chart: scale on memory as well"),
                        Q("paraphrase", "the api pods autoscaler isn't going past 3 replicas", extra=True)]},
    "relay-dupe-sms": {"q": [Q("reuse", "dedupe by message sid: do we store the sid before acking the queue message?"),
                             Q("files", "consumer.go re-queues on timeout again, double texts", extra=True)]},
    "bot-threads": {"q": [Q("reuse", "standup answers in a thread: the parent message should have the date in it"),
                          Q("paraphrase", "the threaded standup summary — also mention who didn't answer", extra=True)]},
    "quill-esm": {"q": [Q("reuse", "dual ESM/CJS build: the types for require() users are wrong"),
                        Q("files", "tsup.config.ts: emit sourcemaps", extra=True)]},
    "ops-bastion": {"q": [Q("reuse", "/var/log on the bastion — is the journald cap permanent or just the vacuum?")]},
    "homelab-restic": {"q": [Q("paraphrase", "the off-site backups of the nas to the cloud — verify a restore actually works"),
                             Q("paraphrase", "nas backups to backblaze failed last night", extra=True)]},
    "photos-heic": {"q": [Q("paraphrase", "iphone pictures in the high-efficiency format crash the sorter again"),
                          Q("wrapper", "quick follow-up: the HEIC support — does it cover .heif too?"),
                          Q("files", "exif.py: read the date from quicktime metadata for the videos", extra=True)]},
    "dot-tmux": {"q": [Q("paraphrase", "the status line showing branch and k8s context: make it shorter"),
                       Q("wrapper", "picking this up again: true color inside tmux")]},
    "harbor-jwks": {"q": [Q("paraphrase", "tokens signed with a rotated key from our new identity provider get rejected by the gateway"),
                          Q("paraphrase", "auth0 key rotation broke logins for acme again", extra=True)]},
    "dot-nvim-lsp": {"q": [Q("files", "lsp/gopls.lua: turn on gofumpt"),
                           Q("files", "lsp/ts_ls.lua — turn off inlay hints", extra=True)]},
    "site-heroku-post": {"q": [Q("files", "heroku-to-fly.md: the code blocks lost their language tags"),
                               Q("paraphrase", "the fly.io migration post — add a TL;DR at the top", extra=True)]},
    "relay-ses": {"q": [Q("files", "the fallback in ses/client.go should keep the tenant's display name"),
                        Q("paraphrase", "unverified sender identity fallback: reply-to is missing on some emails", extra=True)]},
    "ll-due-tz": {"q": [Q("wrapper", "picking this up again: the invoice due date timezone fix — the PDFs still show UTC dates"),
                        Q("files", "use toTenantLocalDate in the PDF renderer as well", extra=True)]},
    "ll-pg-pool": {"q": [Q("wrapper", "re the connection pool: what's PG_POOL_MAX in prod now?")]},
    "harbor-ratelimit": {"q": [Q("wrapper", "quick follow-up on the per-tenant rate limits: log the tenant id when we reject"),
                               Q("noisy", "le rate limiting par tenant renvoie 429 même pour les health checks, tu peux regarder ?")]},
    "site-og": {"q": [Q("wrapper", "quick follow-up on the og images: long titles wrap badly"),
                      Q("files", "og:image meta tag is missing on the tag pages, check Post.astro", extra=True)]},
    "homelab-jellyfin": {"q": [Q("wrapper", "picking this up again: jellyfin GPU transcoding in docker")]},
    "kestrel-alembic": {"q": [Q("wrapper", "re: alembic autogenerate and the geography index — does include_object apply to downgrades?"),
                              Q("paraphrase", "alembic keeps generating drop_index for idx_sightings_location", extra=True)]},
    "aoc-day12": {"q": [Q("wrapper", "re day 12: can you explain the side counting trick again?")]},
    "scratch-semver": {"q": [Q("wrapper", "quick follow-up on the semver regex — does it work in javascript too?"),
                             Q("files", "semver_re.py: add a test for 1.0.0-alpha+001", extra=True)]},
    "ll-stripe": {"q": [Q("noisy", "stripe webhok still 409s forever for invoices created by the csv import, retries never stop"),
                        Q("files", "the webhook_events table — add a retention job", extra=True)]},
    "dot-zsh-slow": {"q": [Q("noisy", "zsh startp slow again ~1.4s, zprof says compinit"),
                           Q("paraphrase", "hyperfine says 0.9s for an interactive shell now, what regressed?", extra=True)]},
    "bot-tz": {"q": [Q("noisy", "der standup bot pingt die Leute in New York immer noch um 4 Uhr morgens")]},
    "ll-table-rerender": {"q": [Q("paraphrase", "typing into the invoice search box is slow again", extra=True)]},
    "rivet-collision": {"q": [Q("files", "detect_collisions should also catch targets that already exist on disk", extra=True)]},
    "churn-cohort": {"q": [Q("reuse", "cohort retention heatmap: use weeks instead of months", extra=True)]},
    "qmk-hrm": {"q": [Q("paraphrase", "typing fast still produces stray shifts on my corne", extra=True)]},
    "aoc-day21": {"q": [Q("reuse", "day 21 keypad robots — I think I get it now, check my memo key", extra=True)]},
    "docs-apiref": {"q": [Q("paraphrase", "mkdocs strict build fails on the generated REST reference", extra=True)]},
}

_by_key = {st["key"]: st for st in STORIES}
for _key, _more in MORE.items():
    _st = _by_key[_key]
    _st["turns"] += _more.get("turns", [])
    _st["queries"] += _more.get("q", [])
    if "name" in _more:
        _st["name"] = _more["name"]
