#!/usr/bin/env python3
"""Checks a rendered codexd launchd agent (not installed; used by tests and .ci/lint-services).

usage: check-plist.py <rendered.plist> [<expected codexd path> <expected home>]

Parses the file with plistlib (malformed XML fails) and checks the shape launchd needs:
Label matching the file name, absolute ProgramArguments running in the foreground,
RunAtLoad, KeepAlive = {SuccessfulExit: false}, ProcessType Background, and absolute log
paths under ~/Library/Logs/ (launchd expands neither ~ nor $HOME).
"""

import os
import plistlib
import re
import sys


def main() -> int:
    if len(sys.argv) not in (2, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = sys.argv[1]
    expected_bin = sys.argv[2] if len(sys.argv) == 4 else None
    expected_home = sys.argv[3].rstrip("/") if len(sys.argv) == 4 else None

    try:
        with open(path, "rb") as f:
            data = plistlib.load(f)
    except Exception as e:  # plistlib raises several types for bad input
        print(f"{path}: not a valid plist: {e}", file=sys.stderr)
        return 1

    errors = []

    def check(cond, message):
        if not cond:
            errors.append(message)

    check(isinstance(data, dict), "top level is not a dict")
    if not isinstance(data, dict):
        data = {}
    label = data.get("Label")
    check(label == "dev.codexd.codexd", f"Label is {label!r}, want 'dev.codexd.codexd'")
    check(
        os.path.basename(path) == f"{label}.plist",
        f"file name {os.path.basename(path)!r} does not match Label {label!r}",
    )

    args = data.get("ProgramArguments")
    check(
        isinstance(args, list) and args and all(isinstance(a, str) for a in args),
        "ProgramArguments is not a non-empty list of strings",
    )
    if isinstance(args, list) and args and isinstance(args[0], str):
        check(os.path.isabs(args[0]), f"ProgramArguments[0] {args[0]!r} is not absolute")
        check("--foreground" in args, "ProgramArguments lacks --foreground")
        if expected_bin is not None:
            check(args[0] == expected_bin, f"ProgramArguments[0] is {args[0]!r}, want {expected_bin!r}")
    check("Program" not in data, "Program must not be set (ProgramArguments[0] is the program)")

    check(data.get("RunAtLoad") is True, "RunAtLoad is not true")
    check(
        data.get("KeepAlive") == {"SuccessfulExit": False},
        f"KeepAlive is {data.get('KeepAlive')!r}, want {{'SuccessfulExit': False}}",
    )
    check(data.get("ProcessType") == "Background", "ProcessType is not Background")

    for key in ("StandardOutPath", "StandardErrorPath"):
        value = data.get(key)
        check(isinstance(value, str) and os.path.isabs(value), f"{key} {value!r} is not absolute")
        if isinstance(value, str):
            check("/Library/Logs/" in value, f"{key} {value!r} is not under ~/Library/Logs/")
            if expected_home is not None:
                check(
                    value.startswith(expected_home + "/Library/Logs/"),
                    f"{key} {value!r} is not under {expected_home}/Library/Logs/",
                )

    env = data.get("EnvironmentVariables", {})
    check(
        isinstance(env, dict) and all(isinstance(v, str) for v in env.values()),
        "EnvironmentVariables is not a dict of strings",
    )

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)

    for s in strings(data):
        check(not re.search(r"@[A-Z_]+@", s), f"unsubstituted placeholder in {s!r}")
        check(not s.startswith("~"), f"{s!r} starts with ~ (launchd does not expand it)")
        check(
            not s.startswith(("$HOME", "${HOME}")),
            f"{s!r} starts with $HOME (launchd does not expand it)",
        )

    for e in errors:
        print(f"{path}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
