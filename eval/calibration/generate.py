#!/usr/bin/env python3
"""Write a labeled routing evaluation set: a CODEX_HOME as current Codex CLI releases write it,
plus queries with the session each one should resume (or null for "start a new session").

    python3 eval/calibration/generate.py --out DIR [--sessions N] [--seed S]
    python3 eval/calibration/generate.py --out DIR --check      # generate, then self-check
    python3 eval/calibration/generate.py --check-only DIR       # self-check an existing set

Python 3.11 standard library only; deterministic for a seed. See README.md for the design.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402

NOW = datetime(2026, 11, 30, 17, 30, 0, tzinfo=timezone.utc)
HOME = data.HOME
# Europe/Berlin: CEST (+2) until 2026-10-25 01:00 UTC, then CET (+1).
DST_END = datetime(2026, 10, 25, 1, 0, 0, tzinfo=timezone.utc)
BASE_INSTRUCTIONS = (
    "You are Codex, a coding agent based on GPT-5. You and the user share the same workspace and "
    "collaborate to achieve the user's goals.\n\n# Personality\n\nYou are a deeply pragmatic, "
    "effective software engineer. You take engineering quality seriously.\n\n## Editing constraints\n\n"
    "- Default to ASCII when editing or creating files.\n- Always use apply_patch for manual code edits.\n"
    "- Do not revert changes you did not make.\n\n## Shell\n\n- Prefer `rg` over `grep` for searching.\n"
)
PERMISSIONS = (
    "<permissions instructions>\nFilesystem sandboxing defines which files can be read or written. "
    "`sandbox_mode` is `workspace-write`: The sandbox permits reading files, and editing files in `cwd` "
    "and `writable_roots`. Network access is restricted.\nApprovals: `on-request`.\n</permissions instructions>"
)


# ------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def local(t: datetime) -> datetime:
    off = 2 if t < DST_END else 1
    return (t + timedelta(hours=off)).replace(tzinfo=None)


def uuid7(t: datetime, rng: random.Random) -> str:
    ms = int(t.timestamp() * 1000)
    rand_a = rng.getrandbits(12)
    rand_b = rng.getrandbits(62)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Codex releases Dana had installed over time (she updates every week or two).
VERSION_ANCHORS = [
    (datetime(2026, 5, 25, tzinfo=timezone.utc), 131),
    (datetime(2026, 8, 4, tzinfo=timezone.utc), 147),
    (datetime(2026, 8, 18, tzinfo=timezone.utc), 148),
    (datetime(2026, 11, 13, tzinfo=timezone.utc), 169),
    (datetime(2026, 11, 27, tzinfo=timezone.utc), 171),
]


def cli_version(t: datetime) -> int:
    for (t0, v0), (t1, v1) in zip(VERSION_ANCHORS, VERSION_ANCHORS[1:]):
        if t < t1:
            frac = max(0.0, (t - t0) / (t1 - t0))
            return int(v0 + (v1 - v0) * frac)
    return VERSION_ANCHORS[-1][1]


def model_for(t: datetime) -> str:
    return "gpt-5.2-codex" if t < datetime(2026, 9, 10, tzinfo=timezone.utc) else "gpt-5.3-codex"


def expand(path: str) -> str:
    if path == "~":
        return HOME
    if path.startswith("~/"):
        return HOME + path[1:]
    return path


# ------------------------------------------------------------------------------------------------
# Tool calls: the terse notation of data.py → (command/patch, output)
# ------------------------------------------------------------------------------------------------

CODE_HEAD = {
    ".ts": ["import { z } from 'zod'", "import type { FastifyInstance } from 'fastify'", "", "export async function handler(app: FastifyInstance) {"],
    ".tsx": ["import { useMemo, useState } from 'react'", "", "export function View(props: Props) {"],
    ".go": ["package main", "", "import (", "\t\"context\"", "\t\"net/http\"", ")"],
    ".py": ["from __future__ import annotations", "", "import pandas as pd", ""],
    ".rs": ["use std::io::{self, Write};", "use std::path::PathBuf;", ""],
    ".tf": ["resource \"aws_db_instance\" \"this\" {", "  identifier     = var.name", "  engine         = \"postgres\""],
    ".lua": ["local M = {}", "", "return M"],
    ".sh": ["#!/bin/bash", "", "DB=${DB:-ledgerline}"],
    ".sql": ["with source as (", "    select * from {{ ref('stg_subscriptions') }}", ")"],
}


def file_head(path: str) -> str:
    ext = os.path.splitext(path)[1]
    lines = CODE_HEAD.get(ext, ["# " + os.path.basename(path), ""])
    return "\n".join(f"{i + 1:>6}\t{line}" for i, line in enumerate(lines))


def synth_output(cmd: str, ctx_files: list[str]) -> str:
    if cmd.startswith("rg -l"):
        return "\n".join(ctx_files[:4])
    if cmd.startswith("rg "):
        m = re.search(r'rg -n \\?"?([^"\\ ]+)', cmd)
        pat = m.group(1) if m else "match"
        return "\n".join(f"{f}:{17 + 9 * i}:  {pat}" for i, f in enumerate(ctx_files[:3])) or "(no matches)"
    if cmd.startswith("sed -n") or cmd.startswith("cat "):
        return file_head(cmd.split()[-1])
    if "cargo test" in cmd:
        return "running 14 tests\n..............\ntest result: ok. 14 passed; 0 failed; 0 ignored; finished in 0.21s"
    if "go test" in cmd or cmd.startswith("make test"):
        return "ok  \t" + cmd.split()[-1].replace("/...", "") + "\t0.412s"
    if "pytest" in cmd:
        return "........................                                     [100%]\n24 passed in 1.87s"
    if "pnpm" in cmd and "test" in cmd or "npm test" in cmd:
        return " Test Files  6 passed (6)\n      Tests  41 passed (41)\n   Duration  3.12s"
    if "dbt build" in cmd or "dbt snapshot" in cmd:
        return "Completed successfully\n\nDone. PASS=12 WARN=0 ERROR=0 SKIP=0 TOTAL=12"
    if "terraform" in cmd and "plan" in cmd:
        return "Plan: 0 to add, 1 to change, 0 to destroy."
    if cmd.startswith("git "):
        return ""
    return ""


FAILURE = re.compile(r"(?i)\b(error|fatal|failed|panicked)\b")


def parse_tool(spec: str):
    """'$ cmd [=> out]' | '~ path [:: hunk]' | '+ path' → dict."""
    kind, rest = spec[0], spec[2:]
    if kind == "$":
        cmd, _, out = rest.partition(" => ")
        return {"kind": "shell", "cmd": cmd, "out": out if _ else None}
    path, _, hunk = rest.partition(" :: ")
    return {"kind": "add" if kind == "+" else "update", "path": path, "hunk": hunk or None}


def rel_for(cwd: str, path: str) -> str:
    full = os.path.normpath(os.path.join(cwd, path))
    rel = os.path.relpath(full, cwd)
    return full if rel.startswith("..") else rel


def patch_text(op: dict, cwd: str, rng: random.Random) -> tuple[str, str]:
    p = rel_for(cwd, op["path"])
    if op["kind"] == "add":
        body = op["hunk"] or "\n".join(l.split("\t", 1)[1] for l in file_head(p).splitlines())
        lines = "\n".join("+" + l for l in body.splitlines()) or "+"
        return p, f"*** Begin Patch\n*** Add File: {p}\n{lines}\n*** End Patch\n"
    if op["hunk"]:
        parts = [x.strip() for x in op["hunk"].split(" / ")]
        body = []
        for part in parts:
            for l in part.split("\n"):
                body.append(l if l[:1] in "+- " else "+" + l)
    else:
        body = ["-" + "    // TODO: handle this", "+" + "    // handled"]
    return p, f"*** Begin Patch\n*** Update File: {p}\n@@\n" + "\n".join(body) + "\n*** End Patch\n"


# ------------------------------------------------------------------------------------------------
# One session file
# ------------------------------------------------------------------------------------------------


class Rollout:
    def __init__(self, rng, start, cwd, project, ui, git, agents):
        self.rng = rng
        self.t = start
        self.cwd = cwd
        self.ver = cli_version(start)
        self.ui = ui  # tui | vscode | exec
        self.paginated = self.ver >= (148 if ui == "exec" else 147)
        self.id = uuid7(start, rng)
        self.lines: list[str] = []
        self.texts: list[str] = []  # everything a reader could match against (for the self-check)
        self.prompts: list[tuple[datetime, str]] = []
        self.ordinal = 0
        self.tokens = 0
        self.agents = agents
        self.project = project
        if ui == "exec":
            originator, source = "codex_exec", "exec"
        elif ui == "vscode":
            originator, source = "codex_vscode", "vscode"
        else:
            originator, source = "codex-tui", ("vscode" if self.ver >= 160 else "cli")
        meta = {
            "id": self.id,
            "session_id": self.id,
            "timestamp": iso(start),
            "cwd": cwd,
            "originator": originator,
            "cli_version": f"0.{self.ver}.{1 if rng.random() < 0.2 else 0}",
            "source": source,
            "thread_source": "user",
            "model_provider": "openai",
            "base_instructions": {"text": BASE_INSTRUCTIONS},
        }
        if self.paginated:
            meta["history_mode"] = "paginated"
        if self.ver >= 160:
            meta["runtime_workspace_roots"] = [cwd]
        if git:
            meta["git"] = git
        self.emit("session_meta", meta, 60)
        self.first_turn = True

    def tick(self, lo_ms, hi_ms):
        self.t += timedelta(milliseconds=self.rng.randint(lo_ms, hi_ms))

    def emit(self, typ, payload, dt_ms=5):
        self.tick(max(1, dt_ms // 2), dt_ms)
        line = {"timestamp": iso(self.t)}
        if self.paginated:
            line["ordinal"] = self.ordinal
            self.ordinal += 1
        line["type"] = typ
        line["payload"] = payload
        self.lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))

    def msg(self, role, text, kind="input_text", phase=None, dt=5):
        p = {"type": "message", "role": role, "content": [{"type": kind, "text": text}]}
        if phase:
            p["phase"] = phase
        self.emit("response_item", p, dt)

    def token_count(self, add):
        last_in = self.rng.randint(8000, 30000) + self.tokens // 8
        out = add
        self.tokens += last_in // 6 + out
        usage_last = {"input_tokens": last_in, "cached_input_tokens": last_in * 3 // 4, "output_tokens": out,
                      "reasoning_output_tokens": out // 3, "total_tokens": last_in + out}
        total = {"input_tokens": self.tokens * 5 // 6, "cached_input_tokens": self.tokens * 2 // 3,
                 "output_tokens": self.tokens // 6, "reasoning_output_tokens": self.tokens // 18,
                 "total_tokens": self.tokens}
        self.emit("event_msg", {"type": "token_count", "info": {"total_token_usage": total, "last_token_usage": usage_last,
                                                                "model_context_window": 258400},
                                "rate_limits": {"limit_id": "codex", "primary": {"used_percent": round(self.rng.uniform(2, 60), 1), "window_minutes": 300,
                                                                                 "resets_at": int(self.t.timestamp()) + 7200},
                                                "secondary": {"used_percent": round(self.rng.uniform(5, 40), 1), "window_minutes": 10080,
                                                              "resets_at": int(self.t.timestamp()) + 300000},
                                                "plan_type": "pro"}}, 20)

    def turn(self, prompt, answer, tools, end="ok", ctx_files=()):
        rng = self.rng
        turn_id = uuid7(self.t, rng)
        started = self.t
        self.emit("event_msg", {"type": "task_started", "turn_id": turn_id, "model_context_window": 258400,
                                "collaboration_mode_kind": "default", "started_at": int(self.t.timestamp())}, 40)
        if self.first_turn:
            self.msg("developer", PERMISSIONS)
            if self.agents:
                self.msg("user", f"# AGENTS.md instructions for {self.project}\n\n<INSTRUCTIONS>\n{self.agents}</INSTRUCTIONS>")
            env = (f"<environment_context>\n  <cwd>{self.cwd}</cwd>\n  <approval_policy>on-request</approval_policy>\n"
                   f"  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n"
                   f"  <shell>zsh</shell>\n  <current_date>{local(self.t).date().isoformat()}</current_date>\n"
                   f"  <timezone>Europe/Berlin</timezone>\n</environment_context>")
            self.msg("user", env)
            self.first_turn = False
        self.emit("turn_context", {"turn_id": turn_id, "cwd": self.cwd, "approval_policy": "on-request",
                                   "sandbox_policy": {"type": "workspace-write", "writable_roots": [self.cwd], "network_access": False},
                                   "model": model_for(self.t), "effort": "medium", "summary": "auto",
                                   "current_date": local(self.t).date().isoformat(), "timezone": "Europe/Berlin"}, 5)
        typed = prompt
        if self.ui == "vscode" and ctx_files and rng.random() < 0.5:
            # The VS Code extension prefixes what the person typed with the editor's state.
            active, other = rng.choice(list(ctx_files)), rng.choice(list(ctx_files))
            typed = (f"# Context from my IDE setup:\n\n## Active file: {active}\n\n## Open tabs:\n- {active}\n- {other}\n\n"
                     f"## My request for Codex:\n{prompt}\n")
        self.msg("user", typed, dt=3)
        if self.paginated:
            self.emit("event_msg", {"type": "item_completed", "thread_id": self.id, "turn_id": turn_id,
                                    "item": {"type": "UserMessage", "id": uuid7(self.t, rng),
                                             "content": [{"type": "text", "text": typed, "text_elements": []}]},
                                    "started_at_ms": int(self.t.timestamp() * 1000), "completed_at_ms": int(self.t.timestamp() * 1000)}, 2)
        else:
            self.emit("event_msg", {"type": "user_message", "message": typed, "images": [], "local_images": [], "text_elements": []}, 2)
        self.prompts.append((self.t, prompt))
        self.texts.append(prompt)
        summary = rng.choice(["**Inspecting the code**", "**Planning the change**", "**Checking the setup**", "**Reading the relevant files**"])
        self.reasoning(summary)
        ops = [parse_tool(s) for s in tools]
        files = [rel_for(self.cwd, o["path"]) for o in ops if o["kind"] != "shell"] or list(ctx_files)
        for i, op in enumerate(ops):
            if i == 0 or rng.random() < 0.35:
                if op["kind"] == "shell":
                    cmd = op["cmd"] if len(op["cmd"]) <= 70 else op["cmd"][:67] + "..."
                    note = rng.choice(["Let me run `{x}`.", "Running `{x}`.", "Checking with `{x}`."]).format(x=cmd)
                else:
                    note = rng.choice(["I'll edit `{x}`.", "Next: `{x}`.", "Updating `{x}`."]).format(x=rel_for(self.cwd, op["path"]))
                self.msg("assistant", note, "output_text", "commentary", 4000)
                if not self.paginated:
                    self.emit("event_msg", {"type": "agent_message", "message": note}, 1)
            call_id = "call_" + base64.b32encode(rng.randbytes(15)).decode().rstrip("=")
            if op["kind"] == "shell":
                cmd = op["cmd"]
                self.texts.append(cmd)
                args = {"cmd": cmd, "workdir": self.cwd, "yield_time_ms": 10000}
                self.emit("response_item", {"type": "function_call", "name": "exec_command",
                                            "arguments": json.dumps(args, ensure_ascii=False), "call_id": call_id}, 3000)
                out = op["out"] if op["out"] is not None else synth_output(cmd, files)
                code = 1 if op["out"] and FAILURE.search(out) else 0
                wall = rng.uniform(0.05, 9.0)
                body = (f"Chunk ID: {rng.randbytes(3).hex()}\nWall time: {wall:.4f} seconds\nProcess exited with code {code}\n"
                        f"Original token count: {max(1, len(out) // 4)}\nOutput:\n{out}")
                self.tick(int(wall * 1000), int(wall * 1000) + 50)
                self.emit("response_item", {"type": "function_call_output", "call_id": call_id, "output": body}, 5)
            else:
                p, ptext = patch_text(op, self.cwd, rng)
                self.texts.append(ptext)
                self.emit("response_item", {"type": "custom_tool_call", "status": "completed", "call_id": call_id,
                                            "name": "apply_patch", "input": ptext}, 6000)
                letter = "A" if op["kind"] == "add" else "M"
                self.emit("response_item", {"type": "custom_tool_call_output", "call_id": call_id,
                                            "output": json.dumps({"output": f"Success. Updated the following files:\n{letter} {p}\n",
                                                                  "metadata": {"exit_code": 0, "duration_seconds": 0.0}})}, 80)
                if not self.paginated:
                    full = p if p.startswith("/") else os.path.join(self.cwd, p)
                    self.emit("event_msg", {"type": "patch_apply_end", "call_id": call_id, "turn_id": turn_id,
                                            "stdout": f"Success. Updated the following files:\n{letter} {p}\n", "stderr": "",
                                            "success": True, "changes": {full: ({"type": "add", "content": ptext}
                                                                                if op["kind"] == "add" else
                                                                                {"type": "update", "unified_diff": ptext, "move_path": None})}}, 2)
            self.token_count(rng.randint(80, 900))
            if rng.random() < 0.3:
                self.reasoning(rng.choice(["**Verifying the result**", "**Adjusting the approach**", "**Checking edge cases**"]))
        if end == "aborted":
            self.emit("event_msg", {"type": "turn_aborted", "turn_id": turn_id, "reason": "interrupted"}, 30000)
            self.msg("user", "<turn_aborted>\nThe user interrupted the previous turn on purpose.\n</turn_aborted>", dt=10)
            self.texts.append(answer)
            return
        self.msg("assistant", answer, "output_text", "final_answer", 9000)
        self.texts.append(answer)
        if self.paginated:
            self.emit("event_msg", {"type": "item_completed", "thread_id": self.id, "turn_id": turn_id,
                                    "item": {"type": "AgentMessage", "id": uuid7(self.t, rng), "content": [{"type": "Text", "text": answer}]},
                                    "started_at_ms": int(self.t.timestamp() * 1000), "completed_at_ms": int(self.t.timestamp() * 1000)}, 2)
        else:
            self.emit("event_msg", {"type": "agent_message", "message": answer}, 1)
        self.token_count(len(answer) // 3 + 50)
        done = {"type": "task_complete", "turn_id": turn_id, "last_agent_message": answer,
                "completed_at": int(self.t.timestamp()), "duration_ms": int((self.t - started).total_seconds() * 1000)}
        if end == "failed":
            done["error"] = {"message": "stream disconnected before completion: error sending request", "codex_error_info": "response_stream_disconnected"}
        self.emit("event_msg", done, 20)

    def reasoning(self, summary):
        enc = "gAAAAAB" + base64.urlsafe_b64encode(self.rng.randbytes(96)).decode()
        self.emit("response_item", {"type": "reasoning", "summary": [{"type": "summary_text", "text": summary}],
                                    "content": None, "encrypted_content": enc}, 1500)
        if not self.paginated:
            self.emit("event_msg", {"type": "agent_reasoning", "text": summary}, 1)

    def pause(self, minutes_lo, minutes_hi):
        self.t += timedelta(seconds=self.rng.randint(int(minutes_lo * 60), int(minutes_hi * 60)))


# ------------------------------------------------------------------------------------------------
# The home
# ------------------------------------------------------------------------------------------------

PROJECTS = dict(data.PROJECTS)
PROJECTS["home"] = {"path": HOME, "repo": None, "agents": None, "subdirs": ["."], "files": [".zshrc", ".ssh/config"],
                    "chores": ["what's taking up all the disk space in my home directory", "set up an ssh key for my second github account",
                               "how do I make ssh keep connections alive", "clean up old docker images and volumes"],
                    "ui": "tui"}
WEIGHTS = {"ledgerline": 14, "infra": 6, "harbor": 6, "relay": 4, "dotfiles": 5, "site": 3, "rivet": 4, "churn": 3,
           "scratch": 3, "homelab": 3, "checkin": 5, "quill": 3, "dbt": 4, "bot": 2, "aoc": 1, "kestrel": 3, "cv": 1,
           "ops": 2, "docs": 2, "photos": 1, "qmk": 1, "home": 2}
FOLLOW_UPS = ["looks good, commit it", "run the tests again", "also do the same for {file}", "why did that fail?",
              "ok, and update the changelog", "can you explain that last change?", "undo that, I prefer the old version",
              "make it shorter", "thanks"]
STOP = set("a an the and or to of in on for with when is it its my me i we our this that be are do does don't doesn't "
           "keeps make add fix can you so all at from by as not no now let's lets please also".split())
BG_NAMES = ["deps bump", "lint pass", "pr description", "release notes", "changelog", "cleanup", "misc", "quick fix"]


class Home:
    def __init__(self, out, seed):
        self.out = out
        self.home = os.path.join(out, "home")
        self.rng = random.Random(seed)
        self.rollouts: list[tuple[Rollout, bool]] = []
        self.names: list[dict] = []
        self.story_ids: dict[str, str] = {}

    def git_for(self, project, key):
        p = PROJECTS[project]
        if not p["repo"]:
            return None
        words = [w for w in re.findall(r"[a-z0-9]+", key.lower()) if w not in STOP][:4]
        branch = "main" if self.rng.random() < 0.35 or not words else "dana/" + "-".join(words)
        return {"commit_hash": self.rng.randbytes(20).hex(), "branch": branch, "repository_url": p["repo"]}

    def daytime(self, day):
        """`day` days before now, moved to Dana's waking hours (local 08:30–23:00)."""
        t = NOW - timedelta(days=day)
        if day < 1:
            return t
        loc = local(t)
        hour = 8.5 + self.rng.random() * 14
        loc_target = loc.replace(hour=int(hour), minute=int((hour % 1) * 60), second=self.rng.randint(0, 59))
        return t + (loc_target - loc) + timedelta(milliseconds=self.rng.randint(0, 999))

    def awake(self, t):
        """Move a resume time that falls at night (local) to the next morning."""
        loc = local(t)
        if 8 <= loc.hour < 23:
            return t
        shift = (8 - loc.hour) % 24 + self.rng.random() * 2
        return t + timedelta(hours=shift)

    def story(self, st):
        p = PROJECTS[st["project"]]
        cwd = p["path"] if st["cwd"] == "." else os.path.join(p["path"], st["cwd"])
        ui = st["ui"]
        if ui == "tui" and p["ui"] in ("vscode", "mixed"):
            ui = "vscode" if self.rng.random() < (0.6 if p["ui"] == "vscode" else 0.3) else "tui"
        r = Rollout(self.rng, self.daytime(st["day"]), cwd, p["path"], ui, self.git_for(st["project"], st["turns"][0]["prompt"]), p["agents"])
        for i, tr in enumerate(st["turns"]):
            if i:
                if tr["later"]:
                    r.t = self.awake(r.t + timedelta(days=tr["later"], minutes=self.rng.randint(-90, 90)))
                else:
                    r.pause(1, 12)
            last = i == len(st["turns"]) - 1
            r.turn(tr["prompt"], tr["answer"], tr["tools"], st["end"] if last else "ok", p["files"])
            if i == 0 and st["name"]:
                self.names.append({"id": r.id, "thread_name": st["name"], "updated_at": iso(r.t + timedelta(seconds=40))})
        assert r.t < NOW, st["key"]
        self.rollouts.append((r, st["archived"]))
        self.story_ids[st["key"]] = r.id
        return r

    def background(self, count, min_day=3.0, max_day=178.0):
        rng = self.rng
        keys = list(WEIGHTS)
        weights = [WEIGHTS[k] for k in keys]
        for _ in range(count):
            proj = rng.choices(keys, weights)[0]
            p = PROJECTS[proj]
            sub = rng.choice(p["subdirs"])
            cwd = p["path"] if sub == "." or rng.random() < 0.6 else os.path.join(p["path"], sub)
            day = min_day + (max_day - min_day) * (rng.random() ** 1.3)
            exec_ = rng.random() < 0.14
            ui = "exec" if exec_ else ("vscode" if p["ui"] == "vscode" and rng.random() < 0.6 or p["ui"] == "mixed" and rng.random() < 0.3 else "tui")
            start = self.daytime(day)
            r = Rollout(rng, start, cwd, p["path"], ui, self.git_for(proj, rng.choice(["", "", "deps", "lint", "cleanup", "chore"])), p["agents"])
            files = p["files"]
            if exec_:
                r.turn(rng.choice(data.EXEC_CHORES), rng.choice(["feat: tidy up configuration loading", "Three concerns: none blocking.",
                                                                 "- Dependency updates\n- Small fixes", "No TODOs found."]),
                       ["$ git diff --staged --stat"], "ok", files)
            else:
                nturns = rng.choice([1, 1, 1, 2, 2, 3, 4] + ([8, 11] if rng.random() < 0.1 else []))
                chore = rng.choice(p["chores"]).format(sub=sub if sub != "." else "the repo", file=rng.choice(files))
                limit = NOW - timedelta(days=min_day - 0.5)
                for i in range(nturns):
                    if i:
                        if rng.random() < 0.9:
                            r.pause(1, 20)
                        else:
                            r.t += timedelta(days=rng.uniform(0.5, 4))
                        if r.t > limit - timedelta(hours=1):
                            break
                        prompt = rng.choice(FOLLOW_UPS).format(file=rng.choice(files))
                    else:
                        prompt = chore
                    ntools = rng.choice([0, 1, 2, 3, 4] + ([9, 14] if rng.random() < 0.15 else []))
                    tools = []
                    for _t in range(ntools):
                        f = rng.choice(files)
                        c = rng.random()
                        if c < 0.35:
                            tools.append(f"$ sed -n 1,120p {f}")
                        elif c < 0.55:
                            tools.append(f"~ {f}")
                        elif c < 0.7:
                            tools.append("$ git status --short")
                        else:
                            tools.append(f"$ rg -n \"TODO\" {os.path.dirname(f) or '.'}")
                    answer = rng.choice(["Done — the change is in {f}.", "Updated {f}; nothing else needed changing.",
                                         "Here is what I found in {f}: it is only used at start-up.", "All set. I touched {f} only."]).format(f=rng.choice(files))
                    end = "aborted" if i == nturns - 1 and rng.random() < 0.04 else "ok"
                    r.turn(prompt, answer, tools, end, files)
                if rng.random() < 0.04:
                    self.names.append({"id": r.id, "thread_name": rng.choice(BG_NAMES), "updated_at": iso(r.t)})
            self.rollouts.append((r, rng.random() < 0.02))

    def write(self):
        os.makedirs(os.path.join(self.home, "sessions"), exist_ok=True)
        history = []
        for r, archived in self.rollouts:
            start = datetime.fromisoformat(json.loads(r.lines[0])["payload"]["timestamp"].replace("Z", "+00:00"))
            loc = local(start)
            name = f"rollout-{loc.strftime('%Y-%m-%dT%H-%M-%S')}-{r.id}.jsonl"
            if archived:
                d = os.path.join(self.home, "archived_sessions")
            else:
                d = os.path.join(self.home, "sessions", loc.strftime("%Y"), loc.strftime("%m"), loc.strftime("%d"))
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(r.lines) + "\n")
            last = datetime.fromisoformat(json.loads(r.lines[-1])["timestamp"].replace("Z", "+00:00"))
            os.utime(path, (last.timestamp(), last.timestamp()))
            if r.ui == "tui":  # history.jsonl is written by the TUI only
                history += [{"session_id": r.id, "ts": int(t.timestamp()), "text": p} for t, p in r.prompts]
        history.sort(key=lambda h: h["ts"])
        with open(os.path.join(self.home, "history.jsonl"), "w", encoding="utf-8") as f:
            for h in history:
                f.write(json.dumps(h, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.names.sort(key=lambda n: n["updated_at"])
        with open(os.path.join(self.home, "session_index.jsonl"), "w", encoding="utf-8") as f:
            for n in self.names:
                f.write(json.dumps(n, ensure_ascii=False, separators=(",", ":")) + "\n")
        with open(os.path.join(self.home, "config.toml"), "w", encoding="utf-8") as f:
            f.write('model = "gpt-5.3-codex"\napproval_policy = "on-request"\nsandbox_mode = "workspace-write"\n')


# ------------------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------------------


def query_cwd(st, cwd):
    root = PROJECTS[st["project"]]["path"]
    if cwd is None:
        return root if st["cwd"] == "." else os.path.join(root, st["cwd"])
    if cwd.startswith("~") or cwd.startswith("/"):
        return expand(cwd)
    return root if cwd == "." else os.path.join(root, cwd)


def build_queries(home: Home, n_sessions: int, rng: random.Random):
    qs = []
    extras = []
    for st in data.STORIES + data.RECENT:
        for q in st["queries"]:
            item = {"prompt": q["prompt"], "cwd": query_cwd(st, q["cwd"]), "expect": home.story_ids[st["key"]], "kind": q["kind"]}
            (extras if q["extra"] else qs).append(item)
    k = round(len(extras) * min(1.0, max(0.0, (n_sessions - 2000) / 8000)))
    qs += extras[:k]
    for prompt, proj, sub in data.VAGUE_INSIDE_NEW:
        root = PROJECTS[proj]["path"]
        qs.append({"prompt": prompt, "cwd": root if sub == "." else os.path.join(root, sub), "expect": None, "kind": "vague-inside"})
    for prompt, cwd in data.VAGUE_OUTSIDE:
        qs.append({"prompt": prompt, "cwd": expand(cwd), "expect": None, "kind": "vague-outside"})
    for prompt, proj, sub, _avoid in data.NEW_SUBJECT:
        root = PROJECTS[proj]["path"]
        qs.append({"prompt": prompt, "cwd": root if sub == "." else os.path.join(root, sub), "expect": None, "kind": "new-subject-known-repo"})
    for prompt, cwd in data.CHIT_CHAT:
        qs.append({"prompt": prompt, "cwd": expand(cwd), "expect": None, "kind": "chit-chat"})
    for prompt, cwd, _avoid in data.ABSENT:
        qs.append({"prompt": prompt, "cwd": expand(cwd), "expect": None, "kind": "absent-topic"})
    rng.shuffle(qs)
    out = []
    for i, q in enumerate(qs, 1):
        out.append({"id": f"q{i:04d}", "prompt": q["prompt"], "cwd": q["cwd"], "expect": q["expect"], "kind": q["kind"]})
    return out


DESCRIPTION = (
    "One person's CODEX_HOME: Dana, a backend/platform engineer in Berlin (Europe/Berlin local time in file "
    "names) working on a small SaaS ('ledgerline': a pnpm monorepo with api/web/worker/shared, a Terraform+Helm "
    "infra repo, two Go services harbor and relay, a dbt project, an Expo app, docs) and on her own things "
    "(dotfiles, an Astro website, a Rust CLI, a TypeScript markdown library, a FastAPI side project, notebooks, "
    "an ansible homelab, scratch dirs, Advent of Code, a LaTeX CV, a QMK keymap): 22 projects plus ~. Sessions "
    "span June-November 2026 with the Codex CLI releases of that time (0.131-0.171): legacy rollouts "
    "(user_message/agent_message events) before 0.147, paginated ones (ordinal, item_completed) after; "
    "TUI, VS Code extension and exec sources. Query-bearing sessions ('stories') were written by hand from "
    "everyday engineering work, in the author's own vocabulary, with tool calls (exec_command, apply_patch) that "
    "name the files they touch, later turns that drift to another subject, repeated attempts (the older one "
    "interrupted, failed or archived) and the same task in two repos. Background sessions are maintenance chores "
    "(dependency bumps, lint, explanations, commit messages, exec scripts) ending >= 2.5 days before now. "
    "Queries are phrased as Dana would type them: follow-ups reusing words, paraphrases with synonyms, "
    "questions, wrappers ('picking this up again:', 're', 'one more thing about'), typos, pasted errors, "
    "a few in German/Spanish. Labels: the session a careful person reading the history would resume; "
    "same-task-twice points at the newer attempt; near-duplicate-dir at the repo of the query's cwd. "
    "vague-inside prompts ('commit that', 'run the playbook again') expect a session only when one in that "
    "project was active a few hours earlier the same day and is the newest there; in projects whose last session "
    "is days old they expect new. Queries expecting new name subjects no session (or no session of that repo) "
    "mentions; the generator verifies that."
)


# ------------------------------------------------------------------------------------------------
# Self-check
# ------------------------------------------------------------------------------------------------


def check(out: str) -> list[str]:
    problems = []
    home = os.path.join(out, "home")
    manifest = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
    now = datetime.fromisoformat(manifest["now"].replace("Z", "+00:00"))
    live, archived = set(), set()
    name_re = re.compile(r"^rollout-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-([0-9a-f-]{36})\.jsonl$")
    for sub, ids in (("sessions", live), ("archived_sessions", archived)):
        for dirpath, _dirs, files in os.walk(os.path.join(home, sub)):
            for fn in files:
                path = os.path.join(dirpath, fn)
                m = name_re.match(fn)
                if not m:
                    problems.append(f"{path}: not a rollout file name")
                    continue
                last_ts = None
                with open(path, encoding="utf-8") as f:
                    for i, raw in enumerate(f):
                        try:
                            line = json.loads(raw)
                        except json.JSONDecodeError as e:
                            problems.append(f"{path}:{i + 1}: not JSON ({e})")
                            continue
                        if i == 0:
                            if line.get("type") != "session_meta":
                                problems.append(f"{path}: first line is not session_meta")
                            elif line["payload"]["id"] != m.group(1):
                                problems.append(f"{path}: session_meta id differs from the file name")
                            if line["payload"]["id"][14] != "7":
                                problems.append(f"{path}: id is not a UUIDv7")
                        ts = datetime.fromisoformat(line["timestamp"].replace("Z", "+00:00"))
                        if ts >= now:
                            problems.append(f"{path}:{i + 1}: timestamp not before now")
                        if last_ts and ts < last_ts:
                            problems.append(f"{path}:{i + 1}: timestamps go backwards")
                        last_ts = ts
                if last_ts and abs(os.stat(path).st_mtime - last_ts.timestamp()) > 0.01:
                    problems.append(f"{path}: mtime differs from its last line")
                ids.add(m.group(1))
    seen = set()
    with open(os.path.join(out, "queries.jsonl"), encoding="utf-8") as f:
        for raw in f:
            q = json.loads(raw)
            if q["id"] in seen:
                problems.append(f"{q['id']}: duplicate id")
            seen.add(q["id"])
            if q["expect"] is not None and q["expect"] not in live:
                problems.append(f"{q['id']}: expect {q['expect']} is not a live session"
                                + (" (it is archived)" if q["expect"] in archived else ""))
    counts: dict[str, int] = {}
    with open(os.path.join(out, "queries.jsonl"), encoding="utf-8") as f:
        for raw in f:
            k = json.loads(raw)["kind"]
            counts[k] = counts.get(k, 0) + 1
    if counts != manifest["kinds"]:
        problems.append(f"manifest kinds {manifest['kinds']} differ from queries.jsonl {counts}")
    return problems


def check_labels(home: Home) -> list[str]:
    """Honesty of the 'new' labels: their distinctive words appear in no session (or none of that repo)."""
    problems = []
    by_project: dict[str, list[str]] = {}
    for r, _a in home.rollouts:
        by_project.setdefault(r.project, []).append("\n".join(r.texts).lower())
    everything = "\n".join(t for ts in by_project.values() for t in ts)

    def hit(words, text):
        return [w for w in words if re.search(r"\b" + re.escape(w.lower()), text)]

    for prompt, proj, _sub, avoid in data.NEW_SUBJECT:
        h = hit(avoid, "\n".join(by_project.get(PROJECTS[proj]["path"], [])))
        if h:
            problems.append(f"new-subject-known-repo {prompt!r}: {h} appear in a {proj} session")
    for prompt, _cwd, avoid in data.ABSENT:
        h = hit(avoid, everything)
        if h:
            problems.append(f"absent-topic {prompt!r}: {h} appear in some session")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="output directory (replaced if it exists)")
    ap.add_argument("--sessions", type=int, default=2000, help="total number of sessions (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--check", action="store_true", help="self-check the set after writing it")
    ap.add_argument("--check-only", metavar="DIR", help="only self-check an existing set in DIR")
    a = ap.parse_args(argv)
    if a.check_only:
        problems = check(a.check_only)
        for p in problems:
            print("FAIL", p)
        print("check:", "ok" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if not a.out:
        ap.error("--out DIR is required")
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    home = Home(a.out, a.seed)
    stories = data.STORIES + data.RECENT
    for st in stories:
        home.story(st)
    home.background(max(0, a.sessions - len(stories)))
    problems = check_labels(home)
    if problems:
        for p in problems:
            print("LABEL", p, file=sys.stderr)
        return 1
    home.write()
    queries = build_queries(home, a.sessions, random.Random(a.seed * 7919 + 1))
    with open(os.path.join(a.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for q in queries:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    manifest = {"now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "seed": a.seed, "sessions": len(home.rollouts),
                "kinds": dict(sorted(kinds.items())), "description": DESCRIPTION}
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(home.rollouts)} sessions and {len(queries)} queries to {a.out}")
    if a.check:
        problems = check(a.out)
        for p in problems:
            print("FAIL", p)
        print("check:", "ok" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
