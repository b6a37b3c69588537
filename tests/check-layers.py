#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails (TAP "not ok") on any #include that points up or sideways across the layers of src/.

The layers, bottom to top (docs/ARCHITECTURE.md):

    core  <-  store  <-  sync, report  <-  gui
                         demo, cli, bench sit beside gui: they may use every layer but gui

A header belongs to the layer of the folder it sits in (src/<layer>/...). A file may include
headers of its own layer and of the layers its layer may use, system headers and config.h.
Usage: check-layers.py SRC_DIR
"""
import os
import re
import sys

ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "sync": {"core", "store", "sync"},
    "report": {"core", "store", "report"},
    "demo": {"core", "store", "sync", "demo"},
    "gui": {"core", "store", "sync", "report", "gui"},
    "cli": {"core", "store", "sync", "report", "demo", "cli"},
    "bench": {"core", "store", "sync", "report", "demo", "bench"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(src, path):
    rel = os.path.relpath(path, src)
    return rel.split(os.sep)[0]


def main():
    src = sys.argv[1]
    owner = {}      # header file name -> layer
    files = []
    for root, _dirs, names in os.walk(src):
        for name in names:
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            layer = layer_of(src, path)
            if layer not in ALLOWED:
                continue
            files.append((path, layer))
            if name.endswith(".h"):
                if name in owner and owner[name] != layer:
                    print(f"Bail out! {name} is in two layers ({owner[name]}, {layer})")
                    return 1
                owner[name] = layer

    problems = []
    for path, layer in sorted(files):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            header = os.path.basename(m.group(1))
            target = owner.get(header)
            if target is None or target in ALLOWED[layer]:
                continue
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{os.path.relpath(path, src)}:{line}: {layer} includes {header} ({target})")

    print("1..1")
    if problems:
        print(f"not ok 1 - {len(problems)} include(s) against the layer order")
        for p in problems:
            print(f"# {p}")
        return 1
    print(f"ok 1 - {len(files)} files in {len(ALLOWED)} layers include only what lies below them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
