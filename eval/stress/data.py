"""Hand-written content of the `stress` calibration set: one person (Mara), her projects, the
sessions the queries are about, the queries, and the chores that fill the background.

Written for codexd's routing issue 16 as a *second calibration set*, to expose the kinds of prompt
the first one (`eval/calibration`) found too easy — a new subject asked in a repository whose
every session shares its component words, the same task attempted twice (queries sometimes in the
first attempt's own words), the same task done in two repositories — without reading the held-out
set. The notation is `eval/calibration/data.py`'s (`T`, `S`, `Q`); the rollout writer is that
set's engine (`generate.py` here loads it with this content).

What differs from the first calibration set on purpose:
* background chores name the repository's components ("the inventory service", "the checkout
  flow", "the oauth handlers") in most sessions, so a repository's context words are frequent
  among its own sessions — the words a new subject in that repository shares with all of them;
* tasks attempted twice often have a *short* first attempt (a short session scores high on its
  few words) and a long second one that drifted;
* near-duplicate pairs differ in length and detail, and one of the two is often more recent.
"""

HOME = "/home/mara"


import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "calibration"))
from notation import Q, S, T  # noqa: E402,F401  (eval/calibration/notation.py)


PROJECTS = {
    "shopfront": {
        "path": HOME + "/work/shopfront",
        "repo": "git@github.com:shopfront-co/shopfront.git",
        "agents": "# shopfront\n\nturbo monorepo. services/inventory (Node, Postgres: items, stock levels, warehouses), services/checkout (cart, orders, payments via Adyen), services/search (OpenSearch indexer and query API), apps/storefront (Next.js), packages/ui. `pnpm turbo test` before you finish. Every service exposes /healthz.\n",
        "subdirs": ["services/inventory", "services/checkout", "services/search", "apps/storefront", "packages/ui"],
        "files": ["services/inventory/src/routes/items.ts", "services/inventory/src/db/stock.ts", "services/checkout/src/orders.ts", "services/checkout/src/cart.ts", "services/search/src/indexer.ts", "apps/storefront/app/products/[slug]/page.tsx", "packages/ui/src/Button.tsx", "turbo.json"],
        "chores": ["add request logging to the handlers in {file}", "write unit tests for the inventory service's {file}", "fix the typescript errors in the checkout service",
                   "explain how the inventory service talks to the checkout service", "rename the warehouse fields in {file} to camelCase", "why is the search service indexer test flaky",
                   "tidy up the product card component in packages/ui", "write the PR description for the inventory service changes", "update the storefront dependencies",
                   "add missing types for the order items in {file}", "document the stock level endpoints of the inventory service", "the cart page in the storefront shows a console warning, fix it"],
        "ui": "mixed",
    },
    "mobile": {
        "path": HOME + "/work/shopfront-mobile",
        "repo": "git@github.com:shopfront-co/shopfront-mobile.git",
        "agents": "React Native app (bare workflow). Screens in src/screens, API client in src/api. `yarn test` and `yarn tsc`.\n",
        "subdirs": ["src/screens", "src/api", "ios", "android"],
        "files": ["src/screens/ProductScreen.tsx", "src/screens/CartScreen.tsx", "src/api/client.ts", "App.tsx", "package.json"],
        "chores": ["fix the typescript errors in {file}", "explain the navigation stack in App.tsx", "bump react-native patch version", "add tests for the cart screen"],
        "ui": "vscode",
    },
    "pulse": {
        "path": HOME + "/work/pulse",
        "repo": "git@github.com:pulse-analytics/pulse.git",
        "agents": "# pulse\n\nDjango 4.2 analytics API. apps/events (ingest endpoint, event models), apps/dashboards (charts, saved queries), apps/accounts. Celery workers in pulse/celery.py. `pytest -q` must pass; migrations must be reversible.\n",
        "subdirs": ["apps/events", "apps/dashboards", "apps/accounts", "pulse"],
        "files": ["apps/events/views.py", "apps/events/models.py", "apps/dashboards/queries.py", "apps/dashboards/views.py", "pulse/settings.py", "pulse/celery.py", "requirements.txt"],
        "chores": ["add type hints to {file}", "write tests for the events app's {file}", "explain how the dashboards app builds its queries", "fix the flake8 warnings in the events app",
                   "add a docstring to the celery tasks in {file}", "why does the dashboards test suite take so long", "write the PR description for the events changes", "update django and the other dependencies"],
        "ui": "tui",
    },
    "gatekeeper": {
        "path": HOME + "/work/gatekeeper",
        "repo": "git@github.com:pulse-analytics/gatekeeper.git",
        "agents": "# gatekeeper (auth service)\n\nGo 1.23. internal/oauth (authorize, token endpoints), internal/session (login sessions), internal/tokens (access/refresh tokens), internal/store (postgres). `make test` runs with -race.\n",
        "subdirs": ["internal/oauth", "internal/session", "internal/tokens", "cmd/gatekeeper"],
        "files": ["internal/oauth/authorize.go", "internal/oauth/token.go", "internal/session/store.go", "internal/tokens/issue.go", "cmd/gatekeeper/main.go", "go.mod"],
        "chores": ["add table-driven tests for the oauth token endpoint", "explain the login flow through {file}", "fix the golangci-lint findings in the session package",
                   "update go dependencies in gatekeeper", "write a commit message for the token changes", "document the oauth endpoints in the README"],
        "ui": "tui",
    },
    "courier": {
        "path": HOME + "/work/courier",
        "repo": "git@github.com:pulse-analytics/courier.git",
        "agents": "# courier (webhook delivery)\n\nGo service delivering customer webhooks. internal/delivery (workers, http client), internal/endpoints (subscriber endpoints), internal/queue (postgres-backed queue). `go test ./...`.\n",
        "subdirs": ["internal/delivery", "internal/endpoints", "internal/queue", "cmd/courier"],
        "files": ["internal/delivery/worker.go", "internal/delivery/client.go", "internal/endpoints/store.go", "internal/queue/queue.go", "cmd/courier/main.go", "go.mod"],
        "chores": ["add tests for the delivery worker", "explain how webhook deliveries are queued in {file}", "fix the vet warnings in the endpoints package",
                   "update go dependencies in courier", "write a commit message for the delivery changes", "add comments to the exported functions in {file}"],
        "ui": "tui",
    },
    "platform": {
        "path": HOME + "/work/platform",
        "repo": "git@github.com:pulse-analytics/platform.git",
        "agents": "Pulumi (TypeScript) stacks for AWS: stacks/prod, stacks/staging, components/*. Kubernetes manifests under k8s/. Only `pulumi preview`, never `up`.\n",
        "subdirs": ["stacks/prod", "stacks/staging", "components", "k8s"],
        "files": ["components/database.ts", "components/cluster.ts", "stacks/prod/index.ts", "k8s/pulse/deployment.yaml", "Pulumi.yaml"],
        "chores": ["explain what {file} provisions", "run pulumi preview on staging and summarize it", "add cost tags to the resources in {file}", "bump the pulumi aws provider"],
        "ui": "tui",
    },
    "trailmap": {
        "path": HOME + "/code/trailmap",
        "repo": "git@github.com:maralind/trailmap.git",
        "agents": "SvelteKit app for planning hikes: src/lib/map (MapLibre), src/lib/gpx, src/routes. `pnpm check` and `pnpm test`.\n",
        "subdirs": ["src/lib/map", "src/lib/gpx", "src/routes"],
        "files": ["src/lib/map/Map.svelte", "src/lib/gpx/parse.ts", "src/routes/+page.svelte", "src/routes/trips/[id]/+page.svelte", "package.json"],
        "chores": ["fix the svelte-check warnings in {file}", "explain how the map component loads layers", "update sveltekit and vite", "add tests for the trip page"],
        "ui": "vscode",
    },
    "ledger": {
        "path": HOME + "/code/beancount-importers",
        "repo": "git@github.com:maralind/beancount-importers.git",
        "agents": None,
        "subdirs": ["importers", "tests"],
        "files": ["importers/__init__.py", "importers/common.py", "tests/test_common.py", "pyproject.toml"],
        "chores": ["add type hints to {file}", "explain how the importers are registered", "run the tests and fix what fails"],
        "ui": "tui",
    },
    "dotfiles": {
        "path": HOME + "/dotfiles",
        "repo": "git@github.com:maralind/dotfiles.git",
        "agents": None,
        "subdirs": ["fish", "helix", "wezterm", "git"],
        "files": ["fish/config.fish", "helix/config.toml", "wezterm/wezterm.lua", "git/config", "install.sh"],
        "chores": ["add {file} to install.sh", "explain this part of {file}", "sort the aliases in fish/config.fish"],
        "ui": "tui",
    },
    "pixelforge": {
        "path": HOME + "/code/pixelforge",
        "repo": "git@github.com:maralind/pixelforge.git",
        "agents": "# pixelforge\n\nRust CLI for batch image conversion. src/cli.rs, src/pipeline.rs, src/encode/. `cargo test` and `cargo clippy -- -D warnings`.\n",
        "subdirs": ["src", "src/encode", "tests"],
        "files": ["src/main.rs", "src/cli.rs", "src/pipeline.rs", "src/encode/mod.rs", "Cargo.toml"],
        "chores": ["fix the clippy warnings", "improve the --help output in src/cli.rs", "bump dependencies in Cargo.toml", "explain the pipeline in src/pipeline.rs"],
        "ui": "tui",
    },
    "notes": {
        "path": HOME + "/code/notes.mara.dev",
        "repo": "git@github.com:maralind/notes.mara.dev.git",
        "agents": None,
        "subdirs": ["content/posts", "layouts"],
        "files": ["config.toml", "layouts/_default/single.html", "content/posts/_index.md"],
        "chores": ["proofread the latest post in content/posts", "fix the hugo deprecation warnings", "explain the layout lookup for {file}"],
        "ui": "vscode",
    },
    "scratch": {
        "path": HOME + "/scratch",
        "repo": None,
        "agents": None,
        "subdirs": ["py", "sql", "."],
        "files": ["notes.md", "py/try.py"],
        "chores": ["python one-liner to dedupe lines in a file", "explain the output I pasted", "quick bash loop over these files"],
        "ui": "tui",
    },
}

WEIGHTS = {"shopfront": 16, "mobile": 4, "pulse": 9, "gatekeeper": 5, "courier": 5, "platform": 5, "trailmap": 4,
           "ledger": 2, "dotfiles": 4, "pixelforge": 3, "notes": 2, "scratch": 2, "home": 2}

EXEC_CHORES = [
    "Write a conventional commit message for the staged diff.",
    "Summarize this branch's changes as release notes.",
    "Review the staged diff; reply with at most three concerns.",
]

STORIES = [
    # ---------------- shopfront ----------------
    S("sf-inv-page", "shopfront", "services/inventory", 41, [
        T("the inventory service's /items endpoint returns all 40k SKUs at once — add cursor pagination",
          "Added keyset pagination on (updated_at, id): `?limit=` (default 100, max 500) and an opaque `cursor` built by encodeCursor; the response carries `nextCursor`.",
          "$ sed -n 1,80p src/routes/items.ts",
          "+ src/pagination.ts :: export function encodeCursor(updatedAt: Date, id: string): string {",
          "~ src/routes/items.ts :: -  const rows = await db.items.findAll() / +  const rows = await db.items.page({ after: decodeCursor(q.cursor), limit })",
          "$ pnpm --filter inventory test"),
        T("now make the storefront's category grid load the next page when you scroll to the bottom",
          "The grid uses an IntersectionObserver sentinel and appends the next page with the returned cursor; it stops when nextCursor is null.",
          "~ ../../apps/storefront/app/c/[category]/Grid.tsx",
          "$ pnpm --filter storefront test", later=1.5),
    ], q=[
        Q("reuse", "inventory /items cursor pagination: the last page returns a nextCursor anyway"),
        Q("files", "encodeCursor in pagination.ts — should it sign the cursor?"),
        Q("drift", "the infinite scroll on the category grid fires twice at the bottom", "apps/storefront"),
        Q("paraphrase", "listing all the SKUs in pages instead of one huge response — is the page size capped?", extra=True),
    ]),
    S("sf-inv-cache", "shopfront", "services/inventory", 33, [
        T("cache stock levels in redis inside the inventory service, 30s TTL, and invalidate on every stock change",
          "Stock reads go through `cachedStock` (redis GET, 30 s TTL); `adjustStock` deletes the key in the same code path after the update commits.",
          "+ src/cache/stockCache.ts",
          "~ src/db/stock.ts :: +  await stockCache.invalidate(itemId, warehouseId)",
          "$ pnpm --filter inventory test -- stock"),
    ], q=[
        Q("paraphrase", "the quantities we keep in redis go stale after a restock at the warehouse"),
        Q("wrapper", "re the redis stock cache: what's the TTL again and can we see hit rates?"),
        Q("files", "stockCache.ts: use a pipeline for the invalidate", extra=True),
    ]),
    S("sf-checkout-idem", "shopfront", "services/checkout", 27, [
        T("checkout double-charges when Adyen times out and the client retries — add idempotency keys to the payment calls",
          "Each payment attempt now gets an idempotency key derived from the order id and attempt number, sent as `Idempotency-Key`; a retry with the same key returns Adyen's first result.",
          "$ rg -n \"payments\" src",
          "~ src/payments/adyen.ts :: +    headers: { 'Idempotency-Key': idempotencyKey(order.id, attempt) },",
          "+ src/payments/idempotency.ts",
          "$ pnpm --filter checkout test"),
        T("also store the psp reference on the order so support can look it up",
          "Orders have a `psp_reference` column filled from the authorisation response; the admin order view shows it.",
          "+ migrations/0031_orders_psp_reference.sql",
          "~ src/orders.ts"),
    ], q=[
        Q("paraphrase", "people get charged twice when the payment provider is slow"),
        Q("noisy", "Adyen 422: Idempotency key already used with a different request payload (order 88812)"),
        Q("drift", "psp_reference on orders: backfill it for last month's orders"),
        Q("reuse", "idempotency keys for the adyen payment calls — what if the attempt counter resets?", extra=True),
    ]),
    S("sf-search-syn", "shopfront", "services/search", 58, [
        T("search: make 'hoodie' find sweatshirts — set up an opensearch synonyms filter",
          "Added a synonym_graph filter at query time fed by config/synonyms.txt (hoodie, sweatshirt; sneakers, trainers; …) and reloaded the analyzers.",
          "+ config/synonyms.txt",
          "~ src/indexer.ts :: +        synonym_graph: { type: 'synonym_graph', synonyms_path: 'analysis/synonyms.txt', updateable: true },",
          "$ curl -s localhost:9200/products/_analyze -d '{\"analyzer\":\"search_syn\",\"text\":\"hoodie\"}'"),
    ], name="search synonyms", q=[
        Q("name", "search synonyms: add jumper and pullover", "."),
        Q("files", "synonyms.txt — can marketing edit it without a redeploy?"),
    ]),
    S("sf-lcp", "shopfront", "apps/storefront", 19, [
        T("the product detail page has an LCP of 4.2s on mobile, the hero image is the culprit",
          "The hero was a 2400px JPEG loaded lazily. It now uses next/image with `priority`, responsive `sizes` and AVIF; LCP is 1.9 s on the throttled profile.",
          "$ npx lighthouse http://localhost:3000/products/trail-jacket --preset=perf --form-factor=mobile",
          "~ app/products/[slug]/Hero.tsx :: -      <img src={product.heroUrl} loading=\"lazy\" /> / +      <Image src={product.heroUrl} priority sizes=\"100vw\" alt={product.name} />",
          "~ next.config.js :: +  images: { formats: ['image/avif', 'image/webp'] },"),
    ], q=[
        Q("paraphrase", "the big picture at the top of each product makes the page slow on phones"),
        Q("files", "Hero.tsx: the priority image flashes on navigation"),
        Q("wrapper", "quick follow-up on the LCP fix: what's the number on desktop?"),
    ]),
    S("sf-next15-a", "shopfront", "apps/storefront", 66, [
        T("upgrade the storefront to next 15",
          "Bumped next and react; the build fails on async `params` in 14 pages. Stopping here.",
          "~ package.json :: -    \"next\": \"14.2.15\" / +    \"next\": \"15.0.3\"",
          "$ pnpm build => Type error: Type '{ params: { slug: string; }; }' does not satisfy the constraint 'PageProps'."),
    ], end="aborted", q=[]),
    S("sf-next15-b", "shopfront", "apps/storefront", 24, [
        T("let's try the next 15 migration again — run the codemod for async params first, then fix the rest by hand",
          "Ran `npx @next/codemod@canary next-async-request-api .`; 12 of 14 pages converted, fixed the two dynamic OG routes by hand. Build passes.",
          "$ npx @next/codemod@canary next-async-request-api .",
          "~ app/products/[slug]/opengraph-image.tsx",
          "~ app/c/[category]/page.tsx",
          "$ pnpm build"),
        T("fetch requests aren't cached by default anymore in 15, opt the product pages back in",
          "Set `export const fetchCache = 'default-cache'` on the product and category layouts and `cache: 'force-cache'` on the catalog client.",
          "~ app/products/layout.tsx", "~ lib/catalog.ts", later=1.0),
        T("and turbopack for dev", "`next dev --turbo` works now that the svg loader is configured.", "~ package.json", "~ next.config.js", later=0.5),
    ], q=[
        Q("same-task-twice", "upgrade the storefront to next 15"),
        Q("same-task-twice", "next 15: the fetch cache default — did we opt the product pages back in?"),
        Q("same-task-twice", "next 15 upgrade, turbopack in dev crashes on the svg imports again", "."),
    ]),
    S("sf-orders-export", "shopfront", "services/checkout", 12, [
        T("the nightly orders reconciliation job against Adyen settlement reports finds 40 mismatches a day — figure out why",
          "Most mismatches are partial refunds booked on the refund date by Adyen but on the order date by us. The job now matches on psp reference and compares per-day net amounts.",
          "$ psql -c \"select count(*) from reconciliation_mismatches where day > now() - interval '7 days'\"",
          "~ src/jobs/reconcile.ts",
          "$ pnpm --filter checkout test -- reconcile"),
    ], q=[
        Q("reuse", "the reconciliation against adyen settlement reports still shows mismatches for chargebacks"),
        Q("noisy", "recon job: 38 mismatches again 🙄 mostly partial refunds?"),
    ]),
    # ---------------- mobile ----------------
    S("mb-push", "mobile", ".", 37, [
        T("push notifications don't arrive on iOS when the app was killed — fix the APNs setup",
          "The notification service extension wasn't signed with the push entitlement for production; fixed the entitlements and the content-available payload for background delivery.",
          "~ ios/ShopfrontNotificationService/ShopfrontNotificationService.entitlements",
          "~ src/notifications/register.ts",
          "$ xcodebuild -scheme Shopfront -configuration Release"),
    ], q=[
        Q("paraphrase", "iphone users don't get any alerts when the app isn't open"),
        Q("reuse", "APNs push on iOS after a kill: test on a TestFlight build"),
    ]),
    # ---------------- near-duplicates: storefront / mobile dark mode ----------------
    S("nd-dark-web", "shopfront", "apps/storefront", 30, [
        T("add a dark mode to the storefront that follows the system setting, with a toggle in the header",
          "Theme tokens are CSS variables switched by `data-theme`; the toggle stores the choice in localStorage and defaults to prefers-color-scheme.",
          "+ app/theme/ThemeToggle.tsx",
          "~ app/globals.css :: +[data-theme='dark'] { --bg: #0f1115; --fg: #e8e8e8; }",
          "~ app/layout.tsx"),
    ], q=[Q("near-duplicate-dir", "dark mode: the toggle forgets my choice after a reload")]),
    S("nd-dark-mobile", "mobile", ".", 9, [
        T("add a dark mode to the app that follows the system setting, plus a toggle in settings",
          "useColorScheme drives the theme provider; a settings toggle (system/light/dark) is saved with AsyncStorage.",
          "+ src/theme/ThemeProvider.tsx",
          "~ src/screens/SettingsScreen.tsx",
          "$ yarn test"),
        T("the product images look washed out on the dark background", "Added a subtle card background behind product images in dark mode.", "~ src/components/ProductCard.tsx"),
    ], q=[Q("near-duplicate-dir", "dark mode: the toggle forgets my choice after a reload", "src/screens")]),
    # ---------------- pulse ----------------
    S("pl-dedupe", "pulse", "apps/events", 45, [
        T("the ingest endpoint stores duplicate events when the JS SDK retries — dedupe on event_id for 24h",
          "Events carry the SDK's `event_id`; ingest does `SET NX` on `evt:{project}:{event_id}` with a 24 h expiry in redis and drops duplicates before writing.",
          "$ sed -n 1,90p apps/events/views.py",
          "~ apps/events/views.py :: +    if not dedupe.first_seen(project.id, payload['event_id']):",
          "+ apps/events/dedupe.py",
          "$ pytest -q apps/events"),
    ], q=[
        Q("paraphrase", "when the browser library resends, we count the same pageview twice"),
        Q("files", "dedupe.py — what happens if redis is down, do we drop everything?"),
        Q("reuse", "event_id dedupe window of 24h: make it configurable per project", extra=True),
    ]),
    S("pl-funnel", "pulse", "apps/dashboards", 22, [
        T("the funnel chart query on dashboards takes 12s for our biggest account",
          "The funnel self-joins events three times without a time bound. It now filters each step by the dashboard's date range first and uses the (project_id, name, ts) index: 12 s → 700 ms.",
          "$ python manage.py shell -c \"from apps.dashboards.queries import funnel; print(funnel.explain(...))\"",
          "~ apps/dashboards/queries.py",
          "+ apps/events/migrations/0019_event_project_name_ts_idx.py"),
        T("could we precompute daily funnel counts with a materialized view refreshed by celery beat?",
          "Added a `daily_funnel_steps` materialized view and a beat task refreshing it concurrently at 02:30.",
          "+ apps/dashboards/migrations/0008_daily_funnel_steps.py",
          "~ pulse/celery.py :: +    'refresh-daily-funnels': {'task': 'dashboards.refresh_funnels', 'schedule': crontab(hour=2, minute=30)},",
          later=2.0),
    ], q=[
        Q("reuse", "the funnel chart for the biggest account is slow again after the new steps"),
        Q("drift", "the materialized view refresh at 02:30 — it locks the table, doesn't it?"),
        Q("wrapper", "one more thing about the funnel query: can we add a step timeout?"),
    ]),
    S("pl-celery-oom", "pulse", ".", 15, [
        T("celery workers get OOM-killed every night around 3am",
          "The nightly export task loads all events of a project into memory. It now streams with `.iterator(chunk_size=2000)` and workers restart after 200 tasks (`worker_max_tasks_per_child`).",
          "$ kubectl -n pulse logs deploy/celery-worker --previous | tail -30",
          "~ apps/dashboards/tasks.py",
          "~ pulse/celery.py :: +app.conf.worker_max_tasks_per_child = 200"),
    ], q=[
        Q("noisy", "celery: Worker exited prematurely: signal 9 (SIGKILL) Job: 4412.  again at 03:02"),
        Q("paraphrase", "the background workers run out of memory overnight"),
        Q("noisy", "die celery worker werden nachts wieder wegen speicher gekillt", extra=True),
    ]),
    S("pl-django-a", "pulse", ".", 70, [
        T("upgrade pulse to django 5.1",
          "Bumped Django; the test run fails on `DEFAULT_FILE_STORAGE` being removed and on two third-party apps. Leaving it for now.",
          "~ requirements.txt :: -Django==4.2.16 / +Django==5.1.3",
          "$ pytest -q => ImproperlyConfigured: DEFAULT_FILE_STORAGE/STATICFILES_STORAGE are removed"),
    ], end="aborted", q=[]),
    S("pl-django-b", "pulse", ".", 20, [
        T("django 5.1 upgrade, second try: replace the removed storage settings with STORAGES and upgrade django-celery-beat first",
          "STORAGES replaces the old settings; django-celery-beat 2.7 and django-filter 24 support 5.1. Tests pass on 5.1.",
          "~ pulse/settings.py :: +STORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}, 'staticfiles': {...}}",
          "~ requirements.txt",
          "$ pytest -q"),
        T("the admin looks broken after the upgrade, the sidebar overlaps", "A stale collectstatic copy of the old admin CSS; re-ran collectstatic and removed the custom admin override.", "$ python manage.py collectstatic --noinput --clear", "- templates/admin/base_site.html", later=1.0),
    ], q=[
        Q("same-task-twice", "upgrade pulse to django 5.1"),
        Q("same-task-twice", "django 5.1: the admin sidebar still overlaps on small screens"),
    ]),
    # ---------------- gatekeeper ----------------
    S("gk-refresh", "gatekeeper", ".", 52, [
        T("rotate refresh tokens on every use and detect reuse — if an old one shows up, revoke the whole family",
          "Refresh tokens now belong to a family; redeeming one issues a new one and marks the old as used. A used token presented again revokes every token of its family and logs `refresh_token_reuse`.",
          "+ internal/tokens/family.go :: func (s *Store) Rotate(ctx context.Context, old string) (Pair, error) {",
          "~ internal/oauth/token.go",
          "+ internal/store/migrations/0012_token_families.sql",
          "$ go test -race ./internal/tokens/..."),
    ], q=[
        Q("paraphrase", "if someone replays an old refresh token, kill every token from that login"),
        Q("files", "family.go Rotate: two parallel refreshes from the same tab revoke everything"),
        Q("reuse", "refresh token rotation: how long do we keep used tokens around for reuse detection?"),
    ]),
    S("gk-pkce", "gatekeeper", "internal/oauth", 29, [
        T("add PKCE to the authorize and token endpoints for the mobile app client",
          "authorize stores `code_challenge` and method with the code; token requires `code_verifier` for public clients and checks S256.",
          "~ internal/oauth/authorize.go",
          "~ internal/oauth/token.go :: +\tif !pkce.Verify(code.Challenge, code.Method, r.FormValue(\"code_verifier\")) {",
          "+ internal/oauth/pkce/pkce.go",
          "$ go test ./internal/oauth/..."),
    ], name="pkce for mobile", q=[
        Q("name", "pkce for mobile: reject the plain method"),
        Q("wrapper", "picking this up again: PKCE — is the verifier length checked?"),
    ]),
    S("gk-redis-sessions", "gatekeeper", ".", 14, [
        T("move login sessions from the in-memory store to redis so we can run three replicas",
          "Sessions live in redis as hashes with a sliding 12 h expiry; the in-memory store stays for tests.",
          "+ internal/session/redis.go",
          "~ internal/session/store.go",
          "~ cmd/gatekeeper/main.go",
          "$ go test ./internal/session/..."),
    ], q=[
        Q("noisy", "gatekeeper login 500s: session: dial tcp 10.0.3.7:6379: i/o timeout"),
        Q("paraphrase", "now that the login state is shared between the pods, does logout work everywhere?"),
    ]),
    S("gk-go123-a", "gatekeeper", ".", 80, [
        T("bump gatekeeper to go 1.23",
          "Changed go.mod; golangci-lint fails to load with the new toolchain, stopped.",
          "~ go.mod :: -go 1.22 / +go 1.23",
          "$ make lint => level=error msg=\"Running error: context loading failed: failed to load packages\""),
    ], end="aborted", archived=True, q=[]),
    S("gk-go123-b", "gatekeeper", ".", 26, [
        T("go 1.23 for gatekeeper, again — upgrade golangci-lint first this time",
          "golangci-lint 1.61 supports 1.23; bumped it in the Makefile and CI, then go.mod. Also replaced the sort.Slice calls with slices.SortFunc.",
          "~ Makefile :: -GOLANGCI_VERSION=v1.55.2 / +GOLANGCI_VERSION=v1.61.0",
          "~ go.mod :: -go 1.22 / +go 1.23",
          "~ internal/store/clients.go",
          "$ make lint test"),
    ], q=[
        Q("same-task-twice", "bump gatekeeper to go 1.23"),
        Q("same-task-twice", "the go 1.23 upgrade: CI still uses the old golangci-lint image"),
    ]),
    # ---------------- courier ----------------
    S("cr-hmac", "courier", ".", 48, [
        T("sign outgoing webhooks with HMAC-SHA256 over the timestamp and body, stripe style, with a per-endpoint secret",
          "Deliveries carry `Courier-Signature: t=…,v1=…`; secrets are generated per endpoint and can be rolled with a 24 h overlap where both are accepted.",
          "+ internal/signing/hmac.go",
          "~ internal/delivery/client.go :: +\treq.Header.Set(\"Courier-Signature\", signing.Header(secret, ts, body))",
          "~ internal/endpoints/store.go",
          "$ go test ./internal/signing/..."),
    ], q=[
        Q("reuse", "webhook HMAC signatures: the v1 value differs from what the customer computes"),
        Q("files", "signing/hmac.go — compare with hmac.Equal, not =="),
        Q("paraphrase", "customers want to verify that our callbacks really come from us — is the secret rotation documented?"),
    ]),
    S("cr-backoff", "courier", "internal/delivery", 18, [
        T("retries hammer dead endpoints — exponential backoff with jitter, give up after 24h and disable the endpoint",
          "Retry delay is min(2^n · 30 s, 6 h) with full jitter; after 24 h of failures the endpoint is disabled and the customer is emailed.",
          "~ internal/delivery/worker.go :: +\tdelay := backoff.Full(attempt, 30*time.Second, 6*time.Hour)",
          "+ internal/delivery/backoff/backoff.go",
          "~ internal/endpoints/store.go :: +func (s *Store) Disable(ctx context.Context, id string, reason string) error {",
          "$ go test ./internal/delivery/..."),
        T("add an API to re-enable a disabled endpoint and retry its pending deliveries",
          "POST /endpoints/{id}/enable clears the disabled flag and requeues deliveries from the last 72 h.",
          "~ internal/endpoints/handlers.go", later=1.0),
    ], q=[
        Q("paraphrase", "failing subscriber urls get retried way too aggressively"),
        Q("drift", "re-enabling a disabled endpoint requeued three days of events at once, throttle that", "."),
        Q("noisy", "courier worker: delivery 7781 to https://hooks.acme.io/x failed (attempt 14): context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
    ]),
    # near-duplicates: tracing in gatekeeper / courier
    S("nd-otel-gk", "gatekeeper", ".", 35, [
        T("add opentelemetry tracing with the otlp exporter, one span per request",
          "otelhttp wraps the router; the OTLP gRPC exporter is configured from OTEL_EXPORTER_OTLP_ENDPOINT; the store's queries get child spans.",
          "+ internal/telemetry/tracing.go",
          "~ cmd/gatekeeper/main.go",
          "~ internal/store/db.go",
          "$ go test ./..."),
    ], q=[Q("near-duplicate-dir", "otel tracing: the spans are missing the http.route attribute")]),
    S("nd-otel-cr", "courier", ".", 31, [
        T("add opentelemetry tracing with the otlp exporter; one span per delivery attempt, linked to the enqueueing request",
          "Each delivery attempt is a span linked to the producer's span context stored with the queued job; outgoing requests go through otelhttp's transport.",
          "+ internal/telemetry/tracing.go",
          "~ internal/delivery/worker.go",
          "~ internal/queue/queue.go",
          "$ go test ./..."),
        T("sample 10% in prod", "ParentBased(TraceIDRatioBased(0.1)) when COURIER_ENV=prod.", "~ internal/telemetry/tracing.go"),
    ], q=[Q("near-duplicate-dir", "otel tracing: the spans are missing the http.route attribute", "internal/delivery")]),
    # near-duplicates: readiness in pulse / courier
    S("nd-ready-pulse", "pulse", ".", 56, [
        T("split health checks into /healthz (process up) and /readyz (database and redis reachable)",
          "Added a small `health` app: /healthz always 200, /readyz checks a `SELECT 1` and a redis PING with a 500 ms timeout each.",
          "+ apps/health/views.py",
          "~ pulse/urls.py",
          "~ ../platform/k8s/pulse/deployment.yaml"),
    ], q=[Q("near-duplicate-dir", "readyz should not fail the pod just because redis is slow for a second")]),
    S("nd-ready-cr", "courier", ".", 54, [
        T("split the health endpoint into /healthz for liveness and /readyz that checks postgres",
          "/healthz returns 200 while the process runs; /readyz pings postgres and reports the queue depth.",
          "~ cmd/courier/main.go",
          "+ internal/health/health.go"),
    ], q=[Q("near-duplicate-dir", "readyz should not fail the pod just because redis is slow for a second")]),
    # ---------------- platform ----------------
    S("pf-nat", "platform", ".", 25, [
        T("our NAT gateway bill doubled in october — find out what's sending so much traffic out",
          "VPC flow logs show the pulse celery workers pulling container images and S3 objects through the NAT. Added S3 and ECR VPC endpoints; NAT traffic dropped 80 % in a day.",
          "$ aws ec2 describe-flow-logs",
          "$ aws logs start-query --log-group-name vpc-flow --query-string 'stats sum(bytes) by srcAddr | sort by sum(bytes) desc | limit 10'",
          "~ components/network.ts :: +  new aws.ec2.VpcEndpoint('s3', { serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: 'Gateway' })",
          "$ pulumi preview -s prod"),
    ], q=[
        Q("paraphrase", "why did the aws network egress charges jump last month?"),
        Q("reuse", "the vpc endpoints for s3 and ecr: add one for cloudwatch logs too"),
    ]),
    S("pf-gw-a", "platform", "k8s", 90, [
        T("migrate from ingress-nginx to the gateway api",
          "Installed the Gateway API CRDs; our controller version doesn't support HTTPRoute filters we need. Parking this.",
          "$ kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.1.0/standard-install.yaml"),
    ], end="aborted", q=[]),
    S("pf-gw-b", "platform", "k8s", 23, [
        T("gateway api migration, round two: envoy gateway as the controller, move the pulse routes first",
          "Envoy Gateway installed via helm; pulse's ingress is now a Gateway + HTTPRoute with the same hosts and TLS secret; the old ingress stays until DNS moves.",
          "+ k8s/gateway/gateway.yaml",
          "+ k8s/pulse/httproute.yaml",
          "$ kubectl get httproute -A"),
        T("now gatekeeper's routes, it needs the header-based redirect", "HTTPRoute with a RequestRedirect filter on the x-forwarded-proto header match.", "+ k8s/gatekeeper/httproute.yaml", later=2.0),
    ], q=[
        Q("same-task-twice", "migrate from ingress-nginx to the gateway api", "."),
        Q("same-task-twice", "gateway api: the gatekeeper httproute redirect loops"),
    ]),
    # ---------------- trailmap ----------------
    S("tm-gpx", "trailmap", "src/lib/gpx", 39, [
        T("GPX files from my Garmin fail to import — something with the extension namespaces",
          "Garmin files use `gpxtpx:` extensions; the parser used a namespace-unaware lookup and threw on the unbound prefix. It now resolves namespaces and ignores unknown extensions.",
          "~ parse.ts :: -  const doc = parser.parseFromString(xml, 'text/xml') / +  const doc = parseWithNamespaces(xml)",
          "+ fixtures/garmin-fenix.gpx",
          "$ pnpm test -- gpx"),
    ], q=[
        Q("noisy", "import error: XML Parsing Error: unbound prefix gpxtpx:TrackPointExtension line 14"),
        Q("files", "parse.ts: also read heart rate from the garmin extensions"),
    ]),
    S("tm-elev", "trailmap", "src/lib/map", 28, [
        T("the elevation profile chart is jagged, smooth it without losing the peaks",
          "Applied a Douglas-Peucker simplification on distance/elevation pairs with a 2 m tolerance before charting; summit points are kept.",
          "~ ElevationChart.svelte",
          "+ simplify.ts"),
    ], q=[
        Q("paraphrase", "the height graph under the map looks spiky"),
        Q("reuse", "elevation profile smoothing: the total ascent changed a lot after it"),
    ]),
    S("tm-offline", "trailmap", ".", 13, [
        T("cache map tiles offline with a service worker for the trip area",
          "A service worker precaches the tiles of the trip's bounding box for zooms 10–15 into Cache Storage; a banner shows the download progress.",
          "+ src/service-worker.ts",
          "~ src/routes/trips/[id]/+page.svelte"),
        T("limit it to 200 MB and evict the oldest trips first", "Tiles are tracked per trip in IndexedDB; over 200 MB the least recently opened trip's tiles are deleted.", "~ src/service-worker.ts", "+ src/lib/offline/quota.ts", later=1.0),
    ], q=[
        Q("wrapper", "re offline tiles: does it work on ios safari?"),
        Q("drift", "the 200 MB tile quota — evicting deleted the trip I'm on"),
    ]),
    # near-duplicates: analytics in trailmap / notes
    S("nd-plaus-tm", "trailmap", ".", 44, [
        T("add plausible analytics, self-hosted instance at stats.mara.dev",
          "Added the plausible script tag in app.html with data-domain and the outbound-links extension.",
          "~ src/app.html"),
    ], q=[Q("near-duplicate-dir", "plausible: exclude my own visits")]),
    S("nd-plaus-nt", "notes", ".", 43, [
        T("add plausible analytics to the blog, self-hosted at stats.mara.dev",
          "The baseof layout loads the plausible script with data-domain; disabled in `hugo server`.",
          "~ layouts/_default/baseof.html"),
    ], q=[Q("near-duplicate-dir", "plausible: exclude my own visits")]),
    # ---------------- ledger ----------------
    S("bc-dkb", "ledger", "importers", 62, [
        T("write a beancount importer for DKB CSV exports — semicolons, german dates, comma decimals, latin-1",
          "importers/dkb.py reads the header block for the account number, parses `31.10.2026` dates and `-1.234,56` amounts, and decodes cp1252.",
          "+ importers/dkb.py",
          "+ tests/test_dkb.py",
          "$ pytest -q tests/test_dkb.py"),
    ], q=[
        Q("noisy", "der DKB importer zeigt die Umlaute im Verwendungszweck kaputt an"),
        Q("reuse", "the DKB importer: skip the pending transactions at the top"),
    ]),
    S("bc-overlap", "ledger", ".", 17, [
        T("importing overlapping months creates duplicate transactions — detect them",
          "The importers now hash (date, amount, payee, narration) and skip entries already in the ledger via beangulp's existing-entries hook.",
          "~ importers/common.py :: +def fingerprint(entry) -> str:",
          "$ pytest -q"),
    ], q=[
        Q("paraphrase", "when two bank statements cover the same days I end up with everything twice"),
    ]),
    # near-duplicates: uv in pulse / ledger
    S("nd-uv-pulse", "pulse", ".", 64, [
        T("move pulse from pip-tools to uv with a lockfile",
          "pyproject.toml holds the dependencies, uv.lock is committed, the Dockerfile uses `uv sync --frozen`.",
          "~ pyproject.toml", "$ uv lock", "~ Dockerfile", "- requirements.in"),
    ], q=[Q("near-duplicate-dir", "uv: pin python to 3.12 for the project")]),
    S("nd-uv-bc", "ledger", ".", 60, [
        T("move the importers from pip-tools to uv with a lockfile",
          "pyproject.toml dependencies, uv.lock, and the README says `uv run bean-extract`.",
          "~ pyproject.toml", "$ uv lock", "~ README.md"),
    ], q=[Q("near-duplicate-dir", "uv: pin python to 3.12 for the project")]),
    # ---------------- dotfiles ----------------
    S("df-fish", "dotfiles", "fish", 36, [
        T("fish takes 800ms to start, profile it",
          "`fish --profile-startup` shows nvm.fish (610 ms) and a `pyenv init` call. nvm is loaded on first use; pyenv replaced by uv-managed pythons. Startup is 90 ms.",
          "$ fish --profile-startup /tmp/fish.prof -i -c exit",
          "$ sort -nk2 /tmp/fish.prof | tail",
          "~ config.fish :: -pyenv init - | source",
          "+ functions/nvm_lazy.fish"),
    ], q=[
        Q("paraphrase", "my terminal takes forever to give me a prompt again"),
        Q("files", "nvm_lazy.fish breaks `npx` in a fresh tab"),
    ]),
    S("df-helix", "dotfiles", "helix", 50, [
        T("helix: set up rust-analyzer with clippy on save and inlay hints",
          "languages.toml sets rust-analyzer's `check.command = \"clippy\"`; inlay hints are on in config.toml.",
          "~ languages.toml :: +[language-server.rust-analyzer.config.check]\n+command = \"clippy\"",
          "~ config.toml :: +[editor.lsp]\n+display-inlay-hints = true"),
    ], q=[
        Q("files", "languages.toml: the clippy check runs on every keystroke?"),
        Q("reuse", "rust-analyzer in helix: the inlay hints are too noisy, keep only types"),
    ]),
    S("df-wez-a", "dotfiles", "wezterm", 95, [
        T("wezterm: tmux-like pane keybindings with a leader key",
          "Started a keys table with CTRL-a as leader; the split bindings conflict with my shell, stopping.",
          "~ wezterm.lua"),
    ], end="aborted", q=[]),
    S("df-wez-b", "dotfiles", "wezterm", 21, [
        T("wezterm leader key setup again: ctrl-space as leader, splits on | and -, hjkl to move between panes",
          "Leader is CTRL-Space (1 s timeout); | and - split, hjkl move, z zooms the pane; tabs on leader+c/n/p.",
          "~ wezterm.lua"),
        T("and resize panes with shift-hjkl", "Added AdjustPaneSize on leader + H/J/K/L by 5 cells.", "~ wezterm.lua"),
    ], q=[
        Q("same-task-twice", "wezterm: tmux-like pane keybindings with a leader key"),
        Q("same-task-twice", "the wezterm leader key times out too quickly"),
    ]),
    # ---------------- pixelforge ----------------
    S("px-avif", "pixelforge", ".", 47, [
        T("add AVIF output to pixelforge using ravif, with a --quality flag",
          "`--format avif` encodes with ravif (speed 6) and `--quality` maps to its quality 0–100; the encoder lives in src/encode/avif.rs.",
          "+ src/encode/avif.rs",
          "~ src/cli.rs :: +    #[arg(long, default_value_t = 80)]\n+    quality: u8,",
          "~ Cargo.toml :: +ravif = \"0.11\"",
          "$ cargo test"),
    ], q=[
        Q("reuse", "AVIF output is really slow, can ravif use more threads?"),
        Q("files", "avif.rs: honour --strip for the metadata"),
    ]),
    S("px-exif", "pixelforge", ".", 34, [
        T("pixelforge drops the EXIF orientation, portrait photos come out sideways",
          "The pipeline now reads the orientation tag with kamadak-exif and rotates/flips before resizing, then writes orientation 1.",
          "~ src/pipeline.rs :: +    let img = apply_orientation(img, exif::orientation(&bytes));",
          "+ src/orient.rs",
          "$ cargo test orient"),
    ], q=[
        Q("paraphrase", "pictures from my phone end up rotated by 90 degrees after resizing"),
        Q("wrapper", "quick question about the orientation fix: are mirrored ones handled too?"),
    ]),
    S("px-par-a", "pixelforge", ".", 77, [
        T("make resizing parallel with rayon",
          "Wrapped the file loop in par_iter; it runs out of memory on a folder of RAW files, interrupted.",
          "~ src/pipeline.rs"),
    ], end="aborted", q=[]),
    S("px-par-b", "pixelforge", ".", 16, [
        T("parallel resize with rayon, second try — bound the memory: at most N images decoded at once",
          "A bounded channel limits decoded images to `--jobs` (default: cores); rayon's pool has the same size. 400 RAW files finish in 38 s without swapping.",
          "~ src/pipeline.rs",
          "~ src/cli.rs :: +    #[arg(short, long)]\n+    jobs: Option<usize>,",
          "$ cargo run --release -- resize ~/Pictures/raw --width 2000"),
    ], q=[
        Q("same-task-twice", "make resizing parallel with rayon"),
        Q("same-task-twice", "parallel resize: --jobs 1 is slower than before the change"),
    ]),
    # near-duplicates: renovate in pixelforge / trailmap
    S("nd-renov-px", "pixelforge", ".", 68, [
        T("set up renovate for this repo, weekly schedule",
          "Added renovate.json with the recommended preset, a weekly schedule and automerge for patch updates of dev dependencies.",
          "+ renovate.json"),
    ], q=[Q("near-duplicate-dir", "renovate: group all the minor updates into one PR")]),
    S("nd-renov-tm", "trailmap", ".", 67, [
        T("set up renovate for the repo with a weekly schedule",
          "renovate.json extends config:recommended, runs on Monday mornings and groups the svelte packages.",
          "+ renovate.json"),
    ], q=[Q("near-duplicate-dir", "renovate: group all the minor updates into one PR", "src/routes")]),
    # near-duplicates: CI cache in shopfront / platform
    S("nd-cache-sf", "shopfront", ".", 40, [
        T("github actions: cache the pnpm store between runs, installs take 3 minutes",
          "actions/setup-node with `cache: pnpm` plus the turbo remote cache token; installs take 35 s on a warm cache.",
          "~ .github/workflows/ci.yml"),
    ], q=[Q("near-duplicate-dir", "the pnpm store cache in CI never seems to hit")]),
    S("nd-cache-pf", "platform", ".", 38, [
        T("github actions: cache the pnpm store, the pulumi preview job spends minutes installing",
          "Added pnpm/action-setup and setup-node's pnpm cache keyed on the lockfile.",
          "~ .github/workflows/preview.yml"),
    ], q=[Q("near-duplicate-dir", "the pnpm store cache in CI never seems to hit")]),
    # ---------------- notes ----------------
    S("nt-search", "notes", ".", 32, [
        T("add client-side search to the blog with pagefind",
          "pagefind runs after `hugo` in the build script and indexes public/; a search page uses the default UI.",
          "+ content/search.md",
          "+ layouts/_default/search.html",
          "~ package.json :: +    \"build\": \"hugo --minify && pagefind --site public\""),
    ], name="pagefind search", q=[
        Q("name", "pagefind search: exclude the tag pages from the index"),
        Q("paraphrase", "the search box on my blog doesn't find words in code blocks"),
    ]),
    # ---------------- scratch ----------------
    S("sc-iban", "scratch", "py", 26, [
        T("regex plus checksum to validate IBANs in python",
          "iban.py strips spaces, checks the country length table and the mod-97 checksum; the regex alone only checks the shape.",
          "+ iban.py",
          "$ python3 iban.py DE89370400440532013000"),
    ], q=[
        Q("wrapper", "quick follow-up on the IBAN check: does it handle lowercase input?"),
    ]),
]

RECENT = [
    S("r-inv-health", "shopfront", "services/inventory", 0.1, [
        T("the inventory service healthcheck times out on cold start in docker compose",
          "The /healthz handler waited for the warehouse sync to finish. It now answers as soon as the DB pool is up; start_period in compose is 20 s.",
          "~ src/health.ts", "~ ../../docker-compose.yml"),
    ], q=[Q("vague-inside", "run it again")]),
    S("r-px-bench", "pixelforge", ".", 0.15, [
        T("add a criterion benchmark for resizing 100 jpegs",
          "benches/resize.rs resizes the fixtures to 800 px wide; baseline 1.9 s.",
          "+ benches/resize.rs", "~ Cargo.toml"),
    ], q=[Q("vague-inside", "commit that")]),
    S("r-df-abbr", "dotfiles", "fish", 0.05, [
        T("fish abbreviation gsw for git switch with branch completion",
          "Added `abbr -a gsw git switch`; completion comes from git's own completions.",
          "~ config.fish"),
    ], q=[Q("vague-inside", "undo that", ".")]),
    S("r-pulse-flaky", "pulse", "apps/dashboards", 0.2, [
        T("the dashboards test test_saved_query_permissions is flaky on CI",
          "It depended on the ordering of a queryset without order_by; added ordering by id.",
          "~ apps/dashboards/tests/test_permissions.py"),
    ], q=[Q("vague-inside", "ok push it")]),
]

VAGUE_INSIDE_NEW = [
    ("add tests", "courier", "."),
    ("fix the failing build", "trailmap", "."),
    ("clean this up", "ledger", "."),
    ("review my diff", "platform", "."),
    ("make it faster", "gatekeeper", "internal/oauth"),
    ("update the docs", "notes", "."),
]

VAGUE_OUTSIDE = [
    ("add tests", "~"), ("fix it", "/tmp"), ("clean up this code", "~/Downloads"), ("why does this fail?", "~"),
    ("refactor this please", "/tmp/x"), ("write a readme", "~/Downloads"), ("make the tests pass", "~"),
    ("explain this error", "/tmp"), ("update the dependencies", "~"), ("run it again", "~/Downloads"),
]

# New subjects in a known repository, asked with that repository's component words.
NEW_SUBJECT = [
    ("add a bulk CSV import of items to the inventory service", "shopfront", "services/inventory", ["bulk", "csv"]),
    ("inventory service: send a low-stock alert to slack when an item drops below its reorder point", "shopfront", "services/inventory", ["low-stock", "reorder", "slack"]),
    ("the checkout service should accept gift cards", "shopfront", "services/checkout", ["gift"]),
    ("add a wishlist to the storefront", "shopfront", "apps/storefront", ["wishlist"]),
    ("search service: autocomplete suggestions while typing", "shopfront", "services/search", ["autocomplete", "suggestion"]),
    ("add product reviews with star ratings to the product page", "shopfront", "apps/storefront", ["product review", "star rating"]),
    ("warehouses: support transfers of stock between two warehouses in the inventory service", "shopfront", ".", ["transfer"]),
    ("mobile app: add barcode scanning to find a product", "mobile", ".", ["barcode", "scan"]),
    ("the events app should accept batches of events in one ingest request", "pulse", "apps/events", ["batch"]),
    ("dashboards: let users export a chart as PNG", "pulse", "apps/dashboards", ["png", "export a chart"]),
    ("pulse: delete all events of a user on request (GDPR erasure)", "pulse", ".", ["gdpr", "erasure"]),
    ("add a cohort retention chart to the dashboards app", "pulse", "apps/dashboards", ["cohort", "retention"]),
    ("gatekeeper: add passkey login with webauthn", "gatekeeper", ".", ["passkey", "webauthn"]),
    ("oauth: support the device authorization grant for the CLI", "gatekeeper", "internal/oauth", ["device"]),
    ("add TOTP two-factor to the login session flow", "gatekeeper", "internal/session", ["totp", "two-factor"]),
    ("courier: let customers replay past webhook deliveries from the dashboard", "courier", ".", ["replay"]),
    ("deliver webhooks to endpoints that require mutual TLS", "courier", "internal/delivery", ["mutual tls", "mtls"]),
    ("platform: set up karpenter for the cluster's node pools", "platform", ".", ["karpenter"]),
    ("trailmap: share a planned route with a public link", "trailmap", ".", ["share", "public link"]),
    ("show the weather forecast for the trailhead on the trip page", "trailmap", "src/routes", ["weather", "forecast"]),
    ("an importer for my paypal statements", "ledger", ".", ["paypal"]),
    ("pixelforge: add a watermark option to the pipeline", "pixelforge", ".", ["watermark"]),
]

CHIT_CHAT = [
    ("thanks, that's it for today", "~"), ("hey there", "~"), ("good night!", "~"), ("are you gpt-5?", "/tmp"),
    ("tell me something funny about javascript", "~"), ("ok perfect", "~/Downloads"), ("danke dir!", "~"), ("never mind", "/tmp"),
]

ABSENT = [
    ("how does paxos differ from raft?", "~", ["paxos"]),
    ("write a haiku about monorepos", "~", ["haiku"]),
    ("cron syntax for the last friday of every month", "/tmp", ["friday"]),
    ("set up tailscale on my raspberry pi", "~", ["tailscale", "raspberry"]),
    ("explain big-O of python dict lookups", "~", ["big-o"]),
    ("write a tiny forth interpreter in rust", "~/scratch", ["forth"]),
    ("compare postgres and clickhouse for event analytics at 1TB", "~/Downloads", ["clickhouse"]),
    ("help me write a talk abstract about hiking and software", "~", ["abstract"]),
    ("what's the difference between tokio and async-std?", "~", ["async-std"]),
    ("wie richte ich einen cronjob für die sicherung meiner fotos ein?", "~", ["sicherung"]),
]

MORE = {}

DESCRIPTION = (
    "Second calibration set (stress): one person's CODEX_HOME, Mara, a product engineer (an e-commerce turbo monorepo "
    "'shopfront' with inventory/checkout/search services and a Next.js storefront, a React Native app, a Django "
    "analytics API 'pulse', two Go services gatekeeper (auth) and courier (webhooks), Pulumi infrastructure, and her "
    "own things: a SvelteKit hiking planner, beancount importers, dotfiles, a Rust image CLI, a Hugo blog, scratch). "
    "Rendered by eval/calibration's engine. Written to stress what the first calibration set found easy: background "
    "chores name each repository's components, so new subjects asked with those words share them with many sessions; "
    "tasks attempted twice with a short first attempt (queries sometimes in its exact words); the same task in two "
    "repositories with sessions of different length and age."
)
