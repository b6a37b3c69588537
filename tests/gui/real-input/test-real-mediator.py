#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A mediator's case with real hands, by keyboard alone: Alt+3 to the case list, Ctrl+N for a
new case, the fields reached by their access keys (Chinese pasted), Enter registers; Alt+M three
times records the village's three attempts; the fourth Alt+M meets the escalation form."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zzx  # noqa: E402


def fill(s, key, text, paste=True):
    s.key(key)
    if paste:
        s.paste(text)
    else:
        s.type(text)


def test(s):
    t = s.tap
    s.demo_db()
    cases0 = s.q1("SELECT count(*) FROM case_file WHERE deleted = 0")
    main = s.log_in("mediator", "Mediator2024")

    s.key("alt+3")
    zzx.wait_for(lambda: s.title(main) == s.page_title("Cases"), "Alt+3 to show the cases")
    s.settle()
    s.key("ctrl+n")
    form = s.window(exclude=(main,))
    t.ok(s.title(form) == s.tr("Register Case"), "Ctrl+N opens the case form", s.title(form))
    s.settle()
    fill(s, "alt+w", "六里村")
    fill(s, "alt+l", "两家因承包地边界发生争执，多次协商未果。")
    fill(s, "alt+y", "承包地边界纠纷")
    fill(s, "alt+n", "张桂英")
    fill(s, "alt+p", "13974312345", paste=False)
    fill(s, "alt+m", "李德福")           # the respondent's name (each access key goes to one field)
    s.key("Return")                       # Enter in a field registers
    zzx.wait_for(lambda: s.q1("SELECT count(*) FROM case_file WHERE deleted = 0") > cases0,
                 "the case to be registered")
    case_id, summary, level = s.q("SELECT id, summary, level FROM case_file ORDER BY rowid DESC LIMIT 1")[0]
    names = sorted(r[0] for r in s.q("SELECT p.name FROM case_party c JOIN person p ON p.id = c.person_id "
                                     "WHERE c.case_id = ?", case_id))
    t.ok(summary == "承包地边界纠纷", "the case is registered with the summary typed", summary)
    t.ok(names == sorted(["张桂英", "李德福"]), "with both parties", names)
    t.ok(level == "village", "at the village", level)
    zzx.wait_for(lambda: form not in s.windows(), "the form to close")
    s.active(main, "the main window")
    s.settle()
    s.screenshot("real-mediator-case.png")

    for i in range(3):
        s.key("alt+m")
        f = s.window(exclude=(main,))
        want = re.escape(s.tr("%s Mediation No. %d")).replace("%s", ".+").replace("%d", str(i + 1))
        t.ok(re.fullmatch(want, s.title(f)), f"Alt+M opens attempt {i + 1}", s.title(f))
        s.settle()
        if i == 0:
            s.screenshot("real-mediator-attempt.png")
            x, y, w, h = s.geometry(f)
            t.ok(y >= 0 and y + h <= s.height and x >= 0 and x + w <= s.width,
                 "the mediation form lies on the screen", (x, y, w, h))
        fill(s, "alt+p", "六里村村委会")
        s.key("Return")
        zzx.wait_for(lambda: s.q1("SELECT count(*) FROM mediation_attempt WHERE case_id = ? AND deleted = 0",
                                  case_id) == i + 1, f"attempt {i + 1} to be recorded")
        zzx.wait_for(lambda: f not in s.windows(), "the form to close")
        s.active(main, "the main window")
        s.settle()
    t.ok(True, "three village attempts recorded by keyboard")

    s.key("alt+m")
    f = s.window(exclude=(main,))
    escalate = s.tr("Escalate to the %s").split("%s")[0]
    t.ok(s.title(f).startswith(escalate), "the fourth Alt+M meets the escalation form", s.title(f))
    s.settle()
    s.screenshot("real-mediator-escalation.png")
    x, y, w, h = s.geometry(f)
    t.ok(y >= 0 and y + h <= s.height and x >= 0 and x + w <= s.width,
         "the escalation form lies on the screen", (x, y, w, h))


if __name__ == "__main__":
    sys.exit(zzx.run(test, width=1024, height=600, name="real-mediator"))
