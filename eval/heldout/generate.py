#!/usr/bin/env python3
"""Held-out routing evaluation set for codexd: a CODEX_HOME of one person plus labeled prompts.

    python3 eval/heldout/generate.py --out DIR [--sessions N] [--seed S]
    python3 eval/heldout/generate.py --out DIR --check        # verify an existing DIR

Writes DIR/home (CODEX_HOME), DIR/queries.jsonl and DIR/manifest.json.  Python 3.11 stdlib
only; deterministic for a given (N, seed).  The content (projects, targeted sessions, queries)
is hand-written in scenarios.py; this file renders it in the on-disk format of Codex CLI
0.128 - 0.169 and fills the home with background sessions up to N.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenarios as SC  # noqa: E402

NOW = dt.datetime(2026, 12, 2, 16, 45, 0, tzinfo=dt.timezone.utc)
SPAN_DAYS = 182
BG_NEWEST_DAYS = 3  # background sessions end at least this long before NOW

# (version, release date) — the person updates a few days after a release.
RELEASES = [
    ("0.128.0", dt.date(2026, 5, 22)), ("0.131.0", dt.date(2026, 6, 9)), ("0.134.0", dt.date(2026, 6, 26)),
    ("0.139.0", dt.date(2026, 7, 14)), ("0.143.0", dt.date(2026, 7, 29)), ("0.146.0", dt.date(2026, 8, 8)),
    ("0.148.0", dt.date(2026, 8, 18)), ("0.151.0", dt.date(2026, 9, 4)), ("0.155.0", dt.date(2026, 9, 24)),
    ("0.158.0", dt.date(2026, 10, 9)), ("0.161.0", dt.date(2026, 10, 22)), ("0.165.0", dt.date(2026, 11, 3)),
    ("0.169.0", dt.date(2026, 11, 13)),
]

BASE_INSTRUCTIONS = (
    "You are Codex, a coding agent running in a terminal on the user's machine. Work in the user's "
    "repository: read files, run commands and edit code with the tools you have. Be concise and direct. "
    "Before running commands, say briefly what you are about to do. Prefer `rg` for searching. Use the "
    "apply_patch tool to edit files. Do not commit or create branches unless asked. When you are done, "
    "summarise what changed and how you verified it, and mention anything you could not check. Respect "
    "AGENTS.md files: their instructions apply to the directory tree they live in; deeper files win. "
    "Sandbox and approvals: commands that write outside the workspace or need the network may require "
    "the user's approval. Never run destructive commands (rm -rf, git reset --hard) without being asked."
)

PERMISSIONS = (
    "<permissions instructions>Filesystem sandboxing: workspace-write. You can read any file and write "
    "inside the workspace roots. Network access is restricted. Approval policy: on-request — ask before "
    "running commands that need escalated permissions.</permissions instructions>"
)


# ------------------------------------------------------------------------------------ helpers
def berlin_offset(t_utc):
    """UTC offset of Europe/Berlin at t_utc (EU rule: last Sunday of March/October, 01:00 UTC)."""
    y = t_utc.year

    def last_sunday(month):
        d = dt.date(y, month, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)

    start = dt.datetime.combine(last_sunday(3), dt.time(1), tzinfo=dt.timezone.utc)
    end = dt.datetime.combine(last_sunday(10), dt.time(1), tzinfo=dt.timezone.utc)
    return dt.timedelta(hours=2 if start <= t_utc < end else 1)


def local(t_utc):
    return (t_utc + berlin_offset(t_utc)).replace(tzinfo=None)


def from_local(days_before, hhmm):
    now_local = local(NOW)
    d = now_local.date() - dt.timedelta(days=days_before)
    h, m = map(int, hhmm.split(":"))
    naive = dt.datetime(d.year, d.month, d.day, h, m)
    guess = naive.replace(tzinfo=dt.timezone.utc) - dt.timedelta(hours=1)
    return (naive - berlin_offset(guess)).replace(tzinfo=dt.timezone.utc)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def uuid7(rng, t):
    ms = int(t.timestamp() * 1000)
    a = rng.getrandbits(12)
    b = rng.getrandbits(62)
    v = (ms << 80) | (0x7 << 76) | (a << 64) | (0b10 << 62) | b
    h = f"{v:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def expand(p):
    if p is None:
        return None
    if p == "~" or p.startswith("~/"):
        return SC.HOME + p[1:]
    return p


def proj_root(pkey):
    return expand(SC.PROJECTS[pkey]["path"])


def cwd_of(spec):
    """'lumen' / 'lumen:apps/web' / '~/x' / '/tmp' / None -> absolute path or None."""
    if spec is None:
        return None
    if spec.startswith("~") or spec.startswith("/"):
        return expand(spec)
    pkey, _, sub = spec.partition(":")
    root = proj_root(pkey)
    return root + ("/" + sub if sub else "")


def version_for(rng, t):
    lag = dt.timedelta(days=rng.randint(0, 9))
    best = RELEASES[0][0]
    for v, d in RELEASES:
        if d + lag <= t.date():
            best = v
    return best


def vnum(v):
    return tuple(int(x) for x in v.split("."))


def call_id(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "call_" + "".join(rng.choice(alphabet) for _ in range(24))


COMMENT = {".py": "#", ".sh": "#", ".yml": "#", ".yaml": "#", ".tf": "#", ".toml": "#", ".mk": "#",
           ".sql": "--", ".lua": "--", ".md": "", ".astro": "//", ".zsh": "#", ".conf": "#", ".j2": "#",
           ".ini": ";", ".html": "", ".css": "", ".csv": "", ".json": "", ".ipynb": "", ".mjml": ""}


def code_line(path, text):
    ext = os.path.splitext(path)[1]
    c = COMMENT.get(ext, "//")
    text = text.split(". ")[0].rstrip(".")[:90]
    if path.endswith(".md"):
        return text
    if path.endswith((".html", ".mjml")):
        return f"<!-- {text} -->"
    if path.endswith(".css"):
        return f"/* {text} */"
    if path.endswith((".json", ".ipynb", ".csv")):
        return '"note": "' + text.replace('"', "'") + '"' if not path.endswith(".csv") else "id;name;city"
    return f"{c} {text}"


def synth_output(cmd, files, rng):
    """A plausible output for a shell command of a turn that touches `files`."""
    low = cmd.lower()
    if low.startswith(("rg ", "grep ", "git grep")):
        word = re.findall(r'"([^"]+)"', cmd)
        word = word[0] if word else (cmd.split()[-2] if len(cmd.split()) > 2 else "x")
        if not files:
            return ""
        return "\n".join(f"{f}:{rng.randint(3, 240)}:  {word} ..." for f in files[:3])
    if " test" in low or low.startswith(("pytest", "go test", "cargo test", "npm test", "dbt test")):
        if "cargo" in low:
            return f"running {rng.randint(12, 80)} tests\n...\ntest result: ok. {rng.randint(12, 80)} passed; 0 failed; 0 ignored"
        if "go test" in low:
            return "ok  \tgithub.com/lumen-hq/edge-proxy/internal/...\t0.41s"
        if "pytest" in low:
            return f"{rng.randint(20, 140)} passed in {rng.uniform(0.8, 9):.2f}s"
        if "dbt" in low:
            return f"Done. PASS={rng.randint(4, 40)} WARN=0 ERROR=0 SKIP=0 TOTAL={rng.randint(40, 60)}"
        return f"Test Suites: {rng.randint(3, 30)} passed\nTests:       {rng.randint(20, 300)} passed"
    if "build" in low or "compile" in low:
        return f"built in {rng.uniform(2, 40):.1f}s"
    if low.startswith("ls"):
        return "\n".join(sorted({os.path.basename(f) for f in files})) or "README.md\nsrc"
    if low.startswith(("cat ", "sed ")):
        return "\n".join(code_line(files[0] if files else "x.txt", "existing code") for _ in range(3))
    if "plan" in low:
        return "Plan: 0 to add, 2 to change, 0 to destroy."
    if "lint" in low:
        return "0 problems"
    return ""


def exec_output(out, rng, code=0):
    return (f"Chunk ID: {rng.getrandbits(24):06x}\nWall time: {rng.uniform(0.05, 12):.4f} seconds\n"
            f"Process exited with code {code}\nOriginal token count: {max(1, len(out) // 4)}\nOutput:\n{out}")


# ------------------------------------------------------------------------------- the writer
class Session:
    """Renders one thread in the line format of its CLI version."""

    def __init__(self, rng, start, cwd, root, agents, source, version, git, model):
        self.rng, self.t, self.cwd, self.root = rng, start, cwd, root
        self.agents, self.source, self.version, self.git, self.model = agents, source, version, git, model
        self.paginated = vnum(version) >= (0, 148, 0)
        self.id = uuid7(rng, start)
        self.lines = []
        self.ordinal = 0
        self.tokens = 0
        self.turns = 0
        self.prompts = []
        self.last_aborted = False
        self.history_items = []

    def tick(self, lo=0.05, hi=4.0):
        self.t += dt.timedelta(seconds=self.rng.uniform(lo, hi))

    def emit(self, typ, payload):
        line = {"timestamp": ts(self.t)}
        if self.paginated:
            line["ordinal"] = self.ordinal
            self.ordinal += 1
        line["type"] = typ
        line["payload"] = payload
        self.lines.append(line)

    def item_completed(self, turn_id, item):
        ms = int(self.t.timestamp() * 1000)
        self.emit("event_msg", {"type": "item_completed", "thread_id": self.id, "turn_id": turn_id, "item": item,
                                "started_at_ms": ms, "completed_at_ms": ms})

    def header(self):
        if self.source == "exec":
            originator, source = "codex_exec", "exec"
        elif self.source == "ide":
            originator, source = "codex_vscode", "vscode"
        else:
            originator = "codex-tui"
            source = "vscode" if vnum(self.version) >= (0, 160, 0) else "cli"
        meta = {"id": self.id, "timestamp": ts(self.t), "cwd": self.cwd, "originator": originator,
                "cli_version": self.version, "source": source, "thread_source": "user", "model_provider": "openai",
                "base_instructions": {"text": BASE_INSTRUCTIONS}}
        if vnum(self.version) >= (0, 131, 0):
            meta = {"session_id": self.id, **meta}
        if self.paginated:
            meta["history_mode"] = "paginated"
        if self.git:
            meta["git"] = self.git
        self.tick(0.02, 0.2)
        self.emit("session_meta", meta)

    def context_messages(self):
        self.emit("response_item", {"type": "message", "role": "developer",
                                    "content": [{"type": "input_text", "text": PERMISSIONS}]})
        env = (f"<environment_context>\n  <cwd>{self.cwd}</cwd>\n  <approval_policy>"
               f"{'never' if self.source == 'exec' else 'on-request'}</approval_policy>\n"
               f"  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n"
               f"  <shell>zsh</shell>\n  <current_date>{local(self.t).date()}</current_date>\n"
               f"  <timezone>{SC.TZ}</timezone>\n</environment_context>")
        parts = []
        if self.agents:
            parts.append(f"# AGENTS.md instructions for {self.root}\n\n<INSTRUCTIONS>\n{self.agents}\n</INSTRUCTIONS>")
        parts.append(env)
        if self.paginated:
            self.emit("response_item", {"type": "message", "role": "user",
                                        "content": [{"type": "input_text", "text": p} for p in parts]})
        else:
            for p in parts:
                self.emit("response_item", {"type": "message", "role": "user",
                                            "content": [{"type": "input_text", "text": p}]})

    def token_count(self, add):
        self.tokens += add
        inp = int(self.tokens * 0.93)
        usage = {"input_tokens": inp, "cached_input_tokens": int(inp * 0.8), "output_tokens": self.tokens - inp,
                 "reasoning_output_tokens": int((self.tokens - inp) * 0.5), "total_tokens": self.tokens}
        last = {"input_tokens": int(add * 0.93), "cached_input_tokens": int(add * 0.7),
                "output_tokens": add - int(add * 0.93), "reasoning_output_tokens": 0, "total_tokens": add}
        self.emit("event_msg", {"type": "token_count",
                                "info": {"total_token_usage": usage, "last_token_usage": last,
                                         "model_context_window": 258400},
                                "rate_limits": {"limit_id": "codex", "primary": {
                                    "used_percent": round(self.rng.uniform(1, 60), 1), "window_minutes": 300,
                                    "resets_at": int(self.t.timestamp()) + 3600}}})

    def compact(self):
        """Context compaction: the summary plus a replacement history that repeats earlier prompts."""
        self.tick(1, 5)
        summary = "Summary of the conversation so far: " + "; ".join(
            p["content"][0]["text"][:80] for p in self.history_items[-3:])
        self.emit("compacted", {"message": summary, "replacement_history": list(self.history_items)})
        if not self.paginated:
            self.emit("event_msg", {"type": "context_compacted"})

    def turn(self, prompt, reply, tools, aborted=False, ide_prefix=None):
        rng = self.rng
        if self.turns == 0:
            self.context_messages()
        else:
            self.t += dt.timedelta(seconds=rng.uniform(40, 900))
        self.turns += 1
        turn_id = uuid7(rng, self.t)
        text = prompt if not ide_prefix else ide_prefix + prompt
        self.prompts.append((self.t, prompt))
        self.emit("event_msg", {"type": "task_started", "turn_id": turn_id, "model_context_window": 258400,
                                "collaboration_mode_kind": "default", "started_at": int(self.t.timestamp())})
        tc = {"turn_id": turn_id, "cwd": self.cwd, "workspace_roots": [self.cwd], "current_date": str(local(self.t).date()),
              "timezone": SC.TZ, "approval_policy": "never" if self.source == "exec" else "on-request",
              "sandbox_policy": {"type": "workspace-write", "writable_roots": [self.cwd], "network_access": False},
              "model": self.model, "effort": rng.choice(["medium", "high", "high", "xhigh"]), "summary": "auto"}
        user_item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        if self.last_aborted:
            self.emit("response_item", {"type": "message", "role": "user", "content": [{"type": "input_text", "text":
                      "<turn_aborted>\nThe user interrupted the previous turn on purpose. Any running unified exec "
                      "processes may still be running in the background.\n</turn_aborted>"}]})
            self.last_aborted = False
        self.history_items.append(user_item)
        if self.paginated:
            if self.turns == 1:
                self.emit("world_state", {"full": True, "state": {"cwd": self.cwd, "shell": "zsh",
                                                                  "current_date": str(local(self.t).date())}})
            self.emit("turn_context", tc)
            self.emit("response_item", user_item)
            self.item_completed(turn_id, {"type": "UserMessage", "id": uuid7(rng, self.t),
                                          "content": [{"type": "text", "text": text, "text_elements": []}]})
        else:
            self.emit("response_item", user_item)
            self.emit("event_msg", {"type": "user_message", "message": text, "images": [], "local_images": [],
                                    "text_elements": []})
            self.emit("turn_context", tc)
        files = [t[2:] for t in tools if t[:2] in ("~ ", "+ ", "- ")]
        first = True
        for tool in tools:
            self.tick(1, 9)
            if first or rng.random() < 0.35:
                summary = "**" + rng.choice(["Inspecting", "Checking", "Looking at", "Reading", "Planning"]) + " " + (
                    os.path.basename(files[0]) if files else "the repo") + "**"
                self.emit("response_item", {"type": "reasoning", "summary": [{"type": "summary_text", "text": summary}],
                                            "content": None, "encrypted_content": "gAAAAB" + "%032x" % rng.getrandbits(128)})
                if not self.paginated:
                    self.emit("event_msg", {"type": "agent_reasoning", "text": summary})
            if first and rng.random() < 0.6:
                pre = rng.choice(["I'll look around first.", "Let me check the relevant code.",
                                  "Starting by reading the code involved.", "Quick look at the current state first."])
                self.emit("response_item", {"type": "message", "role": "assistant",
                                            "content": [{"type": "output_text", "text": pre}], "phase": "commentary"})
                if not self.paginated:
                    self.emit("event_msg", {"type": "agent_message", "message": pre})
            first = False
            cid = call_id(rng)
            if tool.startswith("$ "):
                cmd, _, out = tool[2:].partition(" => ")
                code = 1 if out and ("Error" in out or "FAIL" in out or "failed" in out) else 0
                if not out:
                    out = synth_output(cmd, files, rng)
                self.emit("response_item", {"type": "function_call", "name": "exec_command",
                                            "arguments": json.dumps({"cmd": cmd, "workdir": self.root or self.cwd,
                                                                     "yield_time_ms": 10000}),
                                            "call_id": cid})
                self.tick(0.1, 6)
                self.emit("response_item", {"type": "function_call_output", "call_id": cid,
                                            "output": exec_output(out, rng, code)})
                if self.paginated:
                    self.item_completed(turn_id, {"type": "CommandExecution", "id": cid, "command": cmd,
                                                  "cwd": self.root or self.cwd, "status": "completed",
                                                  "aggregated_output": out, "exit_code": code})
            else:
                op, path = tool[0], tool[2:]
                full = os.path.join(self.root or self.cwd, path)
                rel = os.path.relpath(full, self.cwd)
                line = code_line(path, reply)
                if op == "+":
                    body = f"*** Add File: {rel}\n+{line}\n+\n"
                    kind = "add"
                elif op == "-":
                    body = f"*** Delete File: {rel}\n"
                    kind = "delete"
                else:
                    body = f"*** Update File: {rel}\n@@\n-{code_line(path, 'old behaviour')}\n+{line}\n"
                    kind = "update"
                patch = "*** Begin Patch\n" + body + "*** End Patch\n"
                self.emit("response_item", {"type": "custom_tool_call", "status": "completed", "call_id": cid,
                                            "name": "apply_patch", "input": patch})
                self.tick(0.05, 0.5)
                letter = {"add": "A", "delete": "D", "update": "M"}[kind]
                res = f"Success. Updated the following files:\n{letter} {rel}\n"
                self.emit("response_item", {"type": "custom_tool_call_output", "call_id": cid,
                                            "output": json.dumps({"output": res, "metadata": {"exit_code": 0,
                                                                                            "duration_seconds": 0.0}})})
                if self.paginated:
                    self.item_completed(turn_id, {"type": "FileChange", "id": cid, "status": "completed",
                                                  "changes": [{"path": full, "kind": {"type": kind}}]})
                else:
                    self.emit("event_msg", {"type": "patch_apply_end", "call_id": cid, "turn_id": turn_id,
                                            "stdout": res, "stderr": "", "success": True,
                                            "changes": {full: {"type": kind}}})
            self.token_count(rng.randint(3000, 14000))
        self.tick(2, 20)
        if aborted:
            self.emit("event_msg", {"type": "turn_aborted", "turn_id": turn_id, "reason": "interrupted"})
            self.last_aborted = True
            return
        msg_id = "msg_" + "%032x" % rng.getrandbits(128)
        final = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": reply}],
                 "phase": "final_answer"}
        if self.paginated:
            final["id"] = msg_id
            self.item_completed(turn_id, {"type": "AgentMessage", "id": msg_id, "content": [{"type": "Text", "text": reply}]})
            self.emit("response_item", final)
        else:
            self.emit("event_msg", {"type": "agent_message", "message": reply})
            self.emit("response_item", final)
        self.token_count(rng.randint(2000, 9000))
        self.tick(0.01, 0.1)
        self.emit("event_msg", {"type": "task_complete", "turn_id": turn_id, "last_agent_message": reply,
                                "completed_at": int(self.t.timestamp())})


def ide_prefix(rng, root, files):
    if not files:
        return None
    active = files[0]
    tabs = "\n".join(f"- {os.path.basename(f)}: {f}" for f in files[:3])
    return (f"# Context from my IDE setup:\n\n## Active file: {active}\n\n## Open tabs:\n{tabs}\n\n"
            f"## My request for Codex:\n")


# --------------------------------------------------------------------------- background pool
BG_COMMANDS = {
    "lumen": ["pnpm -w test", "pnpm -w lint", "pnpm --filter web build", "git status --short", "rg -n \"TODO\" apps packages"],
    "infra": ["terraform -chdir=envs/staging plan -lock=false", "terraform fmt -recursive -check", "helm lint charts/billing", "git diff --stat"],
    "edge": ["go test ./...", "golangci-lint run", "go build ./...", "git status --short"],
    "ingest": ["pytest -q", "ruff check .", "airflow dags list", "git status --short"],
    "warehouse": ["dbt build -s state:modified+", "dbt test", "dbt compile", "git diff --stat"],
    "mobile": ["npm test", "npx tsc --noEmit", "npx expo-doctor", "git status --short"],
    "dotfiles": ["git status --short", "nvim --headless +qa", "ls -la"],
    "tally": ["cargo test", "cargo clippy --all-targets", "cargo build", "git status --short"],
    "site": ["npm run build", "npm run check", "git status --short"],
    "energy": ["python -m pytest -q", "jupyter nbconvert --to script notebooks/01_clean.ipynb", "ls data"],
    "homelab": ["ansible-playbook site.yml --check", "ansible-lint", "docker compose ps", "git status --short"],
    "invoice": ["pytest -q", "python -m invoice_gen --help", "git status --short"],
    "qmk": ["qmk compile -kb crkbd -km jonas", "git status --short"],
    "recipes": ["pytest -q", "flask --app recipebox run --debug", "git status --short"],
    "chess": ["npm test", "npm run build", "npm run check"],
    "scratch": ["ls", "python try.py", "wc -l notes.md"],
    "home": ["ls ~", "df -h", "journalctl --user -n 50", "ss -ltnp"],
    "downloads": ["ls -la", "file *", "du -sh *"],
}
BG_WEIGHTS = {"lumen": 16, "infra": 7, "edge": 7, "ingest": 7, "warehouse": 5, "mobile": 7, "dotfiles": 5,
              "tally": 5, "site": 5, "energy": 3, "homelab": 5, "invoice": 2, "qmk": 1, "recipes": 3, "chess": 3,
              "scratch": 3, "home": 3, "downloads": 2}
BG_REPLIES = [
    "Done. I changed {f} and ran the checks; everything passes.",
    "Updated {f}. I couldn't run the full suite, but the affected tests pass.",
    "That's in place now ({f}). One thing to look at: the same pattern exists elsewhere, I left it alone.",
    "Fixed in {f}. The cause was a stale assumption in the existing code; tests added.",
    "Here's what I found and changed in {f}. Let me know if you want it split into two commits.",
]
BG_FOLLOWUPS = ["ok, also run the tests", "can you explain why that works?", "thanks. now commit it with a good message",
                "hm, that broke something else, check again", "looks good", "make it a bit simpler please",
                "show me the diff", "run the linter too"]


NOT_CODE = {"package.json", "pnpm-lock.yaml", "turbo.json", "requirements.txt", "go.mod", "Makefile", "Cargo.toml",
            "app.json", "eas.json", "dbt_project.yml", "packages.yml", "Brewfile", "ci.yml", "build.yml", "rules.mk",
            "setup.py", "apps.yaml"}
UI_WORDS = ("component", "storybook", "memoize", "prop ", "scroll", "pull to refresh", "jest tests")
UI_EXT = (".tsx", ".svelte", ".astro")


def pick_file(rng, p, template):
    """A file that fits the task template: UI files for UI tasks, source files rather than manifests."""
    files = p["bg_files"]
    if any(w in template for w in UI_WORDS):
        ui = [f for f in files if f.endswith(UI_EXT)]
        if ui:
            return rng.choice(ui)
    if "cells" in template or "notebook" in template:
        nb = [f for f in files if f.endswith(".ipynb")]
        if nb:
            return rng.choice(nb)
    code = [f for f in files if os.path.basename(f) not in NOT_CODE and not f.endswith(".ipynb")]
    return rng.choice(code or files)


def reserved_check():
    """The background pool must not contain a query's subject words."""
    res = {w.lower() for w in SC.RESERVED}
    bad = []
    for k, p in SC.PROJECTS.items():
        for t in p["bg_tasks"] + p["bg_files"] + BG_FOLLOWUPS + BG_REPLIES + BG_COMMANDS.get(k, []):
            toks = set(re.findall(r"[a-z0-9_.-]+", t.lower())) | set(re.findall(r"[a-z0-9]+", t.lower()))
            if toks & res:
                bad.append((k, t, sorted(toks & res)))
    return bad


# ------------------------------------------------------------------------------------ build
def git_for(rng, pkey):
    p = SC.PROJECTS[pkey]
    if not p.get("url"):
        return None
    return {"commit_hash": "%040x" % rng.getrandbits(160), "branch": rng.choice(p["branches"]), "repository_url": p["url"]}


MODELS = [(dt.date(2026, 5, 1), "gpt-5.2-codex"), (dt.date(2026, 9, 15), "gpt-5.3-codex"), (dt.date(2026, 11, 5), "gpt-5.4-codex")]


def model_for(t):
    m = MODELS[0][1]
    for d, name in MODELS:
        if t.date() >= d:
            m = name
    return m


def write_session(home, s, archived):
    d = local(s.lines[0] and dt.datetime.strptime(s.lines[0]["payload"]["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc))
    name = f"rollout-{d:%Y-%m-%dT%H-%M-%S}-{s.id}.jsonl"
    sub = os.path.join(home, "archived_sessions") if archived else os.path.join(home, "sessions", f"{d:%Y}", f"{d:%m}", f"{d:%d}")
    os.makedirs(sub, exist_ok=True)
    path = os.path.join(sub, name)
    with open(path, "w", encoding="utf-8") as f:
        for line in s.lines:
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    last = dt.datetime.strptime(s.lines[-1]["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    os.utime(path, (last.timestamp(), last.timestamp()))
    return path


def generate(out, n, seed):
    if n < len(SC.SESSIONS):
        sys.exit(f"--sessions must be at least {len(SC.SESSIONS)} (the targeted sessions alone)")
    bad = reserved_check()
    if bad:
        sys.exit("background pool overlaps query subjects: " + repr(bad[:5]))
    rng = random.Random(seed)
    home = os.path.join(out, "home")
    if os.path.exists(home):
        shutil.rmtree(home)
    os.makedirs(home)
    history, index, key_to_id = [], [], {}

    # targeted sessions
    for spec in SC.SESSIONS:
        srng = random.Random(f"{seed}:{spec['key']}")
        start = from_local(*spec["when"]) + dt.timedelta(seconds=srng.uniform(0, 50))
        pkey = spec["proj"]
        root = proj_root(pkey)
        cwd = root + ("/" + spec["sub"] if spec["sub"] else "")
        source = spec["src"]
        if source == "cli" and srng.random() < 0.15:
            source = "ide"
        s = Session(srng, start, cwd, root if SC.PROJECTS[pkey].get("url") else None,
                    SC.PROJECTS[pkey]["agents"], source, version_for(srng, start), git_for(srng, pkey), model_for(start))
        s.header()
        for i, tu in enumerate(spec["turns"]):
            files = [t[2:] for t in tu["tools"] if t[:2] in ("~ ", "+ ", "- ")]
            pre = ide_prefix(srng, root, files) if source == "ide" and i == 0 else None
            s.turn(tu["prompt"], tu["reply"], tu["tools"], tu["aborted"], pre)
        assert s.t < NOW - dt.timedelta(minutes=5), spec["key"]
        write_session(home, s, spec["archived"])
        key_to_id[spec["key"]] = s.id
        if source == "cli":
            history += [(t, s.id, p) for t, p in s.prompts]
        if spec["name"]:
            index.append((s.t + dt.timedelta(minutes=srng.uniform(1, 30)), s.id, spec["name"]))

    # background sessions
    pkeys = [k for k in BG_WEIGHTS]
    weights = [BG_WEIGHTS[k] for k in pkeys]
    newest = NOW - dt.timedelta(days=BG_NEWEST_DAYS)
    oldest = NOW - dt.timedelta(days=SPAN_DAYS)
    for i in range(n - len(SC.SESSIONS)):
        pkey = rng.choices(pkeys, weights)[0]
        p = SC.PROJECTS[pkey]
        root = proj_root(pkey)
        cwd = root
        if p["subs"] and rng.random() < 0.4:
            cwd = root + "/" + rng.choice(p["subs"])
        day = oldest + (newest - oldest - dt.timedelta(hours=12)) * rng.random()
        loc_hour = rng.choices(range(7, 24), [1, 3, 5, 6, 5, 3, 4, 5, 5, 4, 3, 2, 3, 4, 3, 2, 1])[0]
        start = from_local((local(NOW).date() - local(day).date()).days, f"{loc_hour:02d}:{rng.randint(0, 59):02d}")
        start = min(start, newest) + dt.timedelta(seconds=rng.uniform(0, 59))
        r = rng.random()
        source = "exec" if r < 0.08 else ("ide" if r < 0.22 else "cli")
        s = Session(rng, start, cwd, root if p.get("url") else None, p["agents"], source,
                    version_for(rng, start), git_for(rng, pkey), model_for(start))
        s.header()
        nturns = 1 if source == "exec" else rng.choices([1, 2, 3, 4, 5, 8, 12], [30, 25, 18, 10, 8, 6, 3])[0]
        tasks = list(p["bg_tasks"])
        rng.shuffle(tasks)
        for t in range(nturns):
            f = rng.choice(p["bg_files"])
            if t == 0 or (rng.random() < 0.45 and t < len(tasks)):
                template = tasks[t % len(tasks)]
                f = pick_file(rng, p, template)
                prompt = template.format(f=f)
            else:
                prompt = rng.choice(BG_FOLLOWUPS)
            heavy = rng.random() < 0.08
            ntools = rng.randint(8, 15) if heavy else rng.randint(0, 4)
            tools = []
            for _ in range(ntools):
                if rng.random() < 0.6:
                    tools.append("$ " + rng.choice(BG_COMMANDS[pkey]))
                else:
                    tools.append(rng.choice(["~ ", "~ ", "+ "]) + f)
            pre = ide_prefix(rng, root, [f]) if source == "ide" and t == 0 else None
            aborted = rng.random() < 0.04
            if t >= 6 and t % 4 == 2:
                s.compact()
            s.turn(prompt, rng.choice(BG_REPLIES).format(f=f), tools, aborted, pre)
        archived = rng.random() < 0.05 and s.t < NOW - dt.timedelta(days=30)
        write_session(home, s, archived)
        if source == "cli":
            history += [(t, s.id, pr) for t, pr in s.prompts]
        if rng.random() < 0.08:
            nm = " ".join(s.prompts[0][1].split()[:4]).strip(",.:?")
            index.append((s.t + dt.timedelta(minutes=rng.uniform(1, 60)), s.id, nm))
            if rng.random() < 0.15:  # renamed later, or cleared
                index.append((s.t + dt.timedelta(hours=rng.uniform(2, 30)), s.id, rng.choice(["", nm + " (old)"])))

    index = [e for e in index if e[0] < NOW]
    index.sort()
    with open(os.path.join(home, "session_index.jsonl"), "w", encoding="utf-8") as f:
        for t, tid, nm in index:
            f.write(json.dumps({"id": tid, "thread_name": nm, "updated_at": ts(t)}, ensure_ascii=False) + "\n")
    history.sort()
    with open(os.path.join(home, "history.jsonl"), "w", encoding="utf-8") as f:
        for t, tid, text in history:
            f.write(json.dumps({"session_id": tid, "ts": int(t.timestamp()), "text": text}, ensure_ascii=False) + "\n")

    # queries: all at N >= 10000, ~260 at N <= 2000, stratified by kind
    total = len(SC.QUERIES)
    frac = min(1.0, max(0.0, (n - 2000) / 8000))
    target = round(260 + (total - 260) * frac) if total > 260 else total
    qrng = random.Random(f"{seed}:queries")
    by_kind = {}
    for q in SC.QUERIES:
        by_kind.setdefault(q[0], []).append(q)
    chosen = []
    for kind, qs in by_kind.items():
        keep = round(len(qs) * target / total)
        idx = sorted(qrng.sample(range(len(qs)), keep))
        chosen += [qs[i] for i in idx]
    qrng.shuffle(chosen)
    kinds = {}
    with open(os.path.join(out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for i, (kind, prompt, cwd, exp) in enumerate(chosen, 1):
            kinds[kind] = kinds.get(kind, 0) + 1
            f.write(json.dumps({"id": f"q{i:04d}", "prompt": prompt, "cwd": cwd_of(cwd),
                                "expect": key_to_id[exp] if exp else None, "kind": kind}, ensure_ascii=False) + "\n")
    manifest = {
        "now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "seed": seed, "sessions": n,
        "kinds": dict(sorted(kinds.items())), "queries": len(chosen),
        "description": DESCRIPTION,
        "vague_inside_labeling": VAGUE_RULE,
        "person": {"home": SC.HOME, "timezone": SC.TZ, "projects": len(SC.PROJECTS)},
        "format": "Codex CLI 0.128-0.146 legacy rollouts (user_message/agent_message events), 0.148-0.169 "
                  "paginated rollouts (ordinal, world_state, item_completed); file names in local time (Europe/Berlin)",
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return manifest


DESCRIPTION = (
    "Written by hand, without reading codexd's router or corpus generator. One person (Jonas, a freelance "
    "full-stack developer in Berlin) over six months: 19 places (a pnpm/turbo monorepo with apps and services, "
    "a terraform+helm infra repo, a Go proxy, Airflow ingest, dbt warehouse, an Expo app, dotfiles, a Rust CLI, "
    "an Astro website, notebooks, an ansible homelab, Advent of Code, small Python tools, QMK keymaps, a "
    "SvelteKit app, ~/scratch, ~ and ~/Downloads). 73 targeted sessions carry the subjects queries point at "
    "(multi-turn, later turns drift, tool calls name the files, some named in session_index.jsonl, failed first "
    "attempts followed by a real second attempt, the same task done in two repos); the rest are background "
    "sessions from a per-project pool of everyday tasks that never uses a query's subject words (checked by "
    "the generator). AGENTS.md context shares each project's component names (billing, notifier, Stripe, "
    "Twilio, ...) so they are not evidence by themselves. Queries are phrased the way the person types: "
    "lowercase, terse, follow-up wrappers, pasted errors, typos, some German. Labels: reuse/paraphrase/drift/"
    "files/name/wrapper/noisy point at the one session a careful reader would continue; same-task-twice at "
    "the later attempt that was worked on; near-duplicate-dir at the session of the repo the prompt is typed "
    "in; vague-outside, new-subject-known-repo, chit-chat and absent-topic are new."
)
VAGUE_RULE = (
    "vague-inside prompts point at a session only when that session was worked on the same day (NOW's local "
    "day), in the very directory the prompt is typed in, and is the only session there that day (background "
    "sessions start 3+ days before NOW); a vague prompt in a project whose last session is days old is labeled new."
)


# ------------------------------------------------------------------------------------ check
def check(out):
    problems = []
    home = os.path.join(out, "home")
    man = json.load(open(os.path.join(out, "manifest.json")))
    now = dt.datetime.strptime(man["now"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    ids, files, lines_n = set(), 0, 0
    for base in ("sessions", "archived_sessions"):
        for dirpath, _, names in os.walk(os.path.join(home, base)):
            for nm in names:
                path = os.path.join(dirpath, nm)
                files += 1
                last = None
                with open(path, encoding="utf-8") as f:
                    for i, raw in enumerate(f):
                        lines_n += 1
                        try:
                            obj = json.loads(raw)
                        except ValueError as e:
                            problems.append(f"{path}:{i + 1}: not JSON ({e})")
                            continue
                        if i == 0:
                            if obj.get("type") != "session_meta":
                                problems.append(f"{path}: first line is not session_meta")
                            else:
                                tid = obj["payload"]["id"]
                                ids.add(tid)
                                if tid not in nm:
                                    problems.append(f"{path}: id {tid} not in file name")
                        last = dt.datetime.strptime(obj["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
                        if last >= now:
                            problems.append(f"{path}:{i + 1}: timestamp not before now")
                if last and abs(os.stat(path).st_mtime - last.timestamp()) > 1:
                    problems.append(f"{path}: mtime != last line timestamp")
    if files != man["sessions"]:
        problems.append(f"{files} rollout files, manifest says {man['sessions']}")
    nq = 0
    for raw in open(os.path.join(out, "queries.jsonl"), encoding="utf-8"):
        q = json.loads(raw)
        nq += 1
        if q["expect"] is not None and q["expect"] not in ids:
            problems.append(f"{q['id']}: expect {q['expect']} not in home")
    for p in problems[:20]:
        print("FAIL", p)
    print(f"checked {files} rollouts, {lines_n} lines, {nq} queries: "
          f"{'OK' if not problems else str(len(problems)) + ' problems'}")
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (home/, queries.jsonl, manifest.json)")
    ap.add_argument("--sessions", type=int, default=2000, help="number of rollout files (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--check", action="store_true", help="verify an existing --out instead of generating")
    a = ap.parse_args()
    if a.check:
        sys.exit(0 if check(a.out) else 1)
    os.makedirs(a.out, exist_ok=True)
    m = generate(a.out, a.sessions, a.seed)
    print(f"wrote {m['sessions']} sessions and {m['queries']} queries to {a.out}: {m['kinds']}")


if __name__ == "__main__":
    main()
