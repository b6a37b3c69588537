#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every signal handler returns what its signal returns and takes no more arguments than it gives.

G_CALLBACK casts hide a handler's type from the compiler: a `void` handler on `key-pressed`
(which returns gboolean) left the return register to chance, and in the -O2 build it read as TRUE
and swallowed every key of the main window. This reads the handlers connected in the sources
(g_signal_connect*, and <signal> in the .ui templates) and checks them against the signals' real
signatures (GTK 4.8, libadwaita 1.2, GIO). Prints TAP.
"""

import glob
import os
import re
import sys

# Signals that return a value, with what the handler must return.
RETURNS = {
    "key-pressed": "gboolean", "modifiers": "gboolean", "close-request": "gboolean",
    "query-tooltip": "gboolean", "drop": "gboolean", "accept": "gboolean",
    "scroll": "gboolean", "activate-link": "gboolean", "mnemonic-activate": "gboolean",
    "keynav-failed": "gboolean", "change-value": "gboolean", "output": "gboolean",
    "input": "int", "paginate": "gboolean", "preview": "gboolean", "state-set": "gboolean",
    "enable-debugging": "gboolean", "drag-cancel": "gboolean", "extend-selection": "gboolean",
    "scroll-child": "gboolean", "close-page": "gboolean", "event": "gboolean",
    "change-current-page": "gboolean", "retrieve-surrounding": "gboolean",
    "delete-surrounding": "gboolean", "change-event": "gboolean",
    "writable-change-event": "gboolean", "handle-local-options": "int",
    "command-line": "int", "name-lost": "gboolean", "match-selected": "gboolean",
    "insert-prefix": "gboolean", "cursor-on-match": "gboolean",
}
BOOLEAN_LIKE = {"gboolean", "int", "gint"}

# Arguments a signal passes between its emitter and the user data (those that are unambiguous
# across the classes used here).
ARGS = {
    "clicked": 0, "toggled": 0, "key-pressed": 3, "key-released": 3, "modifiers": 1,
    "pressed": 3, "released": 3, "leave": 0, "close-request": 0, "map": 0, "unmap": 0,
    "realize": 0, "unrealize": 0, "destroy": 0, "show": 0, "hide": 0, "query-tooltip": 4,
    "drop": 3, "search-changed": 0, "entry-activated": 0, "apply": 0, "value-changed": 0,
    "state-set": 1, "setup": 1, "bind": 1, "unbind": 1, "teardown": 1, "draw-page": 2,
    "begin-print": 1, "done": 1, "button-clicked": 0, "mount-added": 1, "mount-removed": 1,
    "items-changed": 3, "selection-changed": 2, "activated": 0, "row-selected": 1,
    "scroll": 2, "response": 1, "completed": 0, "notify": 1, "motion": 2,
}


def c_functions(sources):
    """name -> (return type, [parameters]) for every function defined in @sources."""
    out = {}
    pat = re.compile(r"^(?:static\s+)?((?:const\s+)?[A-Za-z_][\w]*\s*\**)\s*\n([A-Za-z_]\w*)\s*\(([^)]*)\)\s*\{",
                     re.M)
    for path in sources:
        text = open(path, encoding="utf-8").read()
        for m in pat.finditer(text):
            params = [p.strip() for p in " ".join(m.group(3).split()).split(",") if p.strip()]
            if params == ["void"]:
                params = []
            out[m.group(2)] = (m.group(1).replace(" ", ""), params, path)
    return out


def connections(sources):
    pat = re.compile(r"g_signal_connect(\w*)\s*\(\s*([^,]+?)\s*,\s*\"([^\"]+)\"\s*,\s*G_CALLBACK\s*\(\s*(\w+)\s*\)"
                     r"([^;]*);", re.S)
    for path in sources:
        text = open(path, encoding="utf-8").read()
        for m in pat.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            kind = m.group(1)
            swapped = kind == "_swapped" or "G_CONNECT_SWAPPED" in m.group(5)
            yield path, line, m.group(3), m.group(4), swapped


def ui_signals(uis):
    pat = re.compile(r"<signal\s+([^>]*)/?>")
    for path in uis:
        text = open(path, encoding="utf-8").read()
        for m in pat.finditer(text):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            line = text.count("\n", 0, m.start()) + 1
            yield path, line, attrs.get("name", ""), attrs.get("handler", ""), \
                attrs.get("swapped", "no") in ("yes", "true", "1")


def check(src_dirs, ui_dirs):
    sources = sorted(p for d in src_dirs for p in glob.glob(os.path.join(d, "**", "*.c"), recursive=True))
    uis = sorted(p for d in ui_dirs for p in glob.glob(os.path.join(d, "**", "*.ui"), recursive=True))
    funcs = c_functions(sources)
    problems = []
    n = 0
    for path, line, signal, handler, swapped in list(connections(sources)) + list(ui_signals(uis)):
        base = signal.split("::")[0]
        if handler not in funcs:
            continue  # a library function (gtk_window_destroy, g_application_quit)
        ret, params, _ = funcs[handler]
        n += 1
        where = f"{os.path.relpath(path)}:{line}: {handler} on “{signal}”"
        want = RETURNS.get(base)
        if want and ret not in BOOLEAN_LIKE:
            problems.append(f"{where} returns {ret}, the signal expects {want}")
        if not want and ret not in ("void",) and base in ARGS:
            problems.append(f"{where} returns {ret}, the signal returns nothing")
        if base in ARGS and len(params) > ARGS[base] + 2:
            problems.append(f"{where} takes {len(params)} arguments, the signal gives {ARGS[base] + 2}"
                            " (emitter, arguments, user data)")
    return n, problems


def main():
    top = os.environ.get("ZZ_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    args = sys.argv[1:]
    src_dirs = [a for a in args if not a.endswith("ui")] or [os.path.join(top, "src")]
    ui_dirs = [a for a in args if a.endswith("ui")] or [os.path.join(top, "ui")]
    n, problems = check(src_dirs, ui_dirs)
    print(f"ok 1 - read {n} handlers" if n > 20 else f"not ok 1 - only {n} handlers found")
    if problems:
        print(f"not ok 2 - {len(problems)} handlers do not match their signals")
        for p in problems:
            print(f"# {p}")
    else:
        print("ok 2 - every handler matches its signal")
    print("1..2")
    return 1 if problems or n <= 20 else 0


if __name__ == "__main__":
    sys.exit(main())
