#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every page and the larger dialogs on a screen of the size under test (1024×600 and 1366×768,
the township laptops), reached by keyboard and pointer: each window lies within the screen, its
header's main menu opens with a click, and a screenshot of each is saved in the build folder
(screenshots/real-WxH-*.png)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zzx  # noqa: E402


def visible_rect(s, wid):
    x, y, w, h = s.geometry(wid)
    left, right, top, bottom = s.frame_extents(wid)
    return x + left, y + top, w - left - right, h - top - bottom


def on_screen(s, wid, what):
    x, y, w, h = visible_rect(s, wid)
    s.tap.ok(x >= 0 and y >= 0 and x + w <= s.width and y + h <= s.height,
             f"{what} lies within the {s.width}×{s.height} screen",
             f"the window is {w}×{h} at {x},{y}")


def shot(s, name):
    s.settle()
    s.screenshot(f"real-{s.width}x{s.height}-{name}.png")


def dialog(s, main, key, name, close="Escape"):
    s.key(key)
    d = s.window(exclude=(main,), limit=30)
    shot(s, name)
    on_screen(s, d, f"the {name} dialog")
    s.key(close)
    zzx.wait_for(lambda: d not in s.windows(), f"the {name} dialog to close")
    s.focus(main)
    s.settle()


def test(s):
    t = s.tap
    s.demo_db()
    main = s.log_in("supervisor", "Super2024")
    on_screen(s, main, "the main window")

    # The header's main menu, clicked: it is on the screen and opens.
    x, y, w, h = visible_rect(s, main)
    gx, gy, _, _ = s.geometry(main)
    s.click(main, (x - gx) + w - 70, (y - gy) + 24)
    try:
        zzx.wait_for(s.popups, "the main menu to open", limit=30)
        t.ok(True, "a click on the header's main menu opens it")
        shot(s, "main-menu")
        s.key("Escape")
        zzx.wait_for(lambda: not s.popups(), "the menu to close")
    except zzx.Failure:
        shot(s, "main-menu")
        t.ok(False, "a click on the header's main menu opens it")
    s.settle()

    for key, page, name in [("alt+1", "Reception", "desk"), ("alt+3", "Cases", "cases"),
                            ("alt+4", "Mediation Log", "mediation"), ("alt+5", "Households", "households"),
                            ("alt+6", "Sync", "sync"), ("alt+7", "Statistics", "stats")]:
        if s.title(main) != s.page_title(page):
            s.after(lambda: s.key(key), f"{key} to show {page}")
        zzx.wait_for(lambda: s.title(main) == s.page_title(page), f"{key} to show {page}")
        if name == "stats":
            # The figures are computed in the background: the screen changes once more when they
            # are in (unless they were in already).
            h = s.shot_hash()
            try:
                zzx.wait_for(lambda: s.shot_hash() != h, "the figures", limit=30)
            except zzx.Failure:
                pass
        shot(s, name)
        on_screen(s, main, f"the main window with the {name} page")
        if name == "cases":
            dialog(s, main, "ctrl+n", "new-case")
            # A case page: a double click on the first case of the list.
            s.x("xdotool", "mousemove", "--window", str(main), "200", str((y - gy) + 185))
            s.after(lambda: s.x("xdotool", "click", "--repeat", "2", "--delay", "80", "1"),
                    "the case page to open")
            shot(s, "case")
            on_screen(s, main, "the main window with a case page")
            s.key("alt+Left")
            s.settle()
        if name == "households":
            # A household page: a click on the first household under the village counts.
            s.after(lambda: s.click(main, (x - gx) + 150, (y - gy) + 373), "the household page to open")
            shot(s, "household")
            on_screen(s, main, "the main window with a household page")
    dialog(s, main, "ctrl+comma", "preferences")
    dialog(s, main, "ctrl+question", "shortcuts")

    # The administration, as the administrator.
    s.app.terminate()
    s.app.wait()
    main = s.log_in("admin", "Admin2024")
    s.key("alt+2")
    zzx.wait_for(lambda: s.title(main) == s.page_title("Administration"), "Alt+2 to show the administration")
    shot(s, "admin")
    on_screen(s, main, "the main window with the admin page")


if __name__ == "__main__":
    width, height = (int(v) for v in sys.argv[1:3]) if len(sys.argv) > 2 else (1024, 600)
    sys.exit(zzx.run(test, width=width, height=height, name=f"real-screens-{width}x{height}"))
