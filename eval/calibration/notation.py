"""The notation of the labeled homes' content (`data.py` here and in `eval/stress/`); see
`eval/calibration/data.py`'s docstring for what each form means."""


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
