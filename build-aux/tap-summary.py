#!/usr/bin/env python3
"""Counts the test cases of a meson test run from its TAP output and prints one closing line:
'N passed, N failed, N skipped'. A test program that crashed or timed out before reporting its
cases counts as one failure, so a broken program can never look like a clean run.

Further arguments are plain TAP files (the fuzz run writes one line per target): their lines
count alike; a missing or empty one counts as one failure (the run never reported)."""
import json
import re
import sys


def count(out):
    p = fl = s = 0
    for l in out.splitlines():
        if re.match(r"^ok \d+", l):
            if "# SKIP" in l or "# skip" in l:
                s += 1
            else:
                p += 1
        elif re.match(r"^not ok \d+", l):
            if "# TODO" in l:
                s += 1
            else:
                fl += 1
        elif re.match(r"^1\.\.0 # SKIP", l):
            s += 1
    return p, fl, s


passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        entry = json.loads(line)
        out = entry.get("stdout", "") or ""
        result = entry.get("result", "")
        p, fl, s = count(out)
        if p + fl + s == 0:
            # A program that is not TAP (or said nothing): its exit status is its one result.
            if result == "OK":
                p = 1
            elif result == "SKIP":
                s = 1
            else:
                fl = 1
        elif result not in ("OK", "SKIP", "EXPECTEDFAIL") and fl == 0:
            fl = 1  # crashed or timed out after its last report
        passed += p
        failed += fl
        skipped += s
for path in sys.argv[2:]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        text = ""
    p, fl, s = count(text)
    plan = re.search(r"^1\.\.(\d+)", text, re.M)
    if plan and p + fl + s < int(plan.group(1)):
        fl += int(plan.group(1)) - (p + fl + s)  # planned but never reported
    if p + fl + s == 0:
        fl = 1
    passed += p
    failed += fl
    skipped += s
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
