#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window with real hands: Alt+digit switches pages, the keys typed next reach the page
shown (Ctrl+N on the case list opens a new case), Ctrl+L locks and typing the password unlocks,
a click on the header's lock button locks too."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zzx  # noqa: E402

# Alt+digit and the page it shows (those a supervisor has).
PAGES = [("alt+3", "Cases"), ("alt+4", "Mediation Log"), ("alt+5", "Households"),
         ("alt+6", "Sync"), ("alt+7", "Statistics"), ("alt+1", "Reception")]


def test(s):
    t = s.tap
    s.demo_db()
    main = s.log_in("supervisor", "Super2024")
    locked = s.tr("%s — %s") % (s.tr("Locked"), s.centre)

    for key, page in PAGES:
        want = s.page_title(page)
        s.key(key)
        try:
            zzx.wait_for(lambda: s.title(main) == want, f"{key} to show {page}", limit=30)
            t.ok(True, f"{key} shows {page}")
        except zzx.Failure:
            t.ok(False, f"{key} shows {page}", f"the window shows “{s.title(main)}”")
    # Alt+2 is the administration, which a supervisor does not have: nothing changes.
    s.key("alt+2")
    s.key("alt+3")
    zzx.wait_for(lambda: s.title(main) == s.page_title("Cases"), "the case list")
    s.settle()

    # The keys after a switch reach the page shown: Ctrl+N here is a new case, not the desk's
    # "clear the form".
    s.key("ctrl+n")
    form = s.window(exclude=(main,), limit=30)
    t.ok(s.title(form) == s.tr("Register Case"), "Ctrl+N after Alt+3 opens a new case", s.title(form))
    s.settle()
    s.key("Escape")
    zzx.wait_for(lambda: form not in s.windows(), "Escape to close the form")
    s.focus(main)
    s.settle()

    # Ctrl+L locks; a wrong password keeps it locked, the right one typed unlocks.
    s.key("ctrl+l")
    zzx.wait_for(lambda: s.title(main) == locked, "Ctrl+L to lock")
    t.ok(True, "Ctrl+L locks the window")
    s.settle()
    s.screenshot("real-window-locked.png")
    s.type("wrong-Pass1")
    s.after(lambda: s.key("Return"), "the refusal to show")
    t.ok(s.title(main) == locked, "a wrong password leaves it locked", s.title(main))
    s.type("Super2024")
    s.key("Return")
    zzx.wait_for(lambda: s.title(main) == s.page_title("Cases"), "typing the password to unlock")
    t.ok(True, "typing the password and Enter unlocks, back on the page that was shown")
    s.settle()
    # And the keys go on where they were: Ctrl+N is a new case again.
    s.key("ctrl+n")
    try:
        form = s.window(exclude=(main,), limit=30)
        t.ok(s.title(form) == s.tr("Register Case"), "after unlocking, Ctrl+N reaches the case list",
             s.title(form))
        s.settle()
        s.key("Escape")
        zzx.wait_for(lambda: form not in s.windows(), "Escape to close the form")
        s.active(main, "the main window")
        s.settle()
    except zzx.Failure:
        t.ok(False, "after unlocking, Ctrl+N reaches the case list")

    # A pointer click on the header's lock button (the first of the header's buttons on the right,
    # before the main menu and the close button).
    x, y, w, h = s.geometry(main)
    left, right, top, bottom = s.frame_extents(main)
    s.click(main, w - right - 110, top + 24)
    try:
        zzx.wait_for(lambda: s.title(main) == locked, "the click on the lock button", limit=30)
        t.ok(True, "a click on the header's lock button locks")
        s.type("Super2024")
        s.key("Return")
        zzx.wait_for(lambda: s.title(main) == s.page_title("Cases"), "typing the password to unlock")
    except zzx.Failure:
        s.screenshot("real-window-click.png")
        t.ok(False, "a click on the header's lock button locks", s.title(main))


if __name__ == "__main__":
    sys.exit(zzx.run(test, width=1366, height=768, name="real-window"))
