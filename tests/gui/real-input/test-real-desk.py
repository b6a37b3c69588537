#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reception desk with real hands (key presses through the X server, on the shipped build):
log in, register a visitor by keyboard alone (Chinese pasted from the clipboard, Enter from field
to field, ↓ in the drop-downs), F5 calls the next visitor, Ctrl+P prints the ticket to a PDF."""

import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zzx  # noqa: E402

NAME = "欧阳春花"
PHONE = "13907431234"
PURPOSE = "咨询宅基地确权登记"


def test(s):
    t = s.tap
    s.demo_db()
    visits0 = s.q1("SELECT count(*) FROM visit WHERE deleted = 0")
    # A window with nobody in its queue, so that F5 calls this visitor.
    windows = [r[0] for r in s.q("SELECT id FROM window WHERE deleted = 0 ORDER BY number")]
    free = s.q1("SELECT w.id FROM window w WHERE w.deleted = 0 AND NOT EXISTS (SELECT 1 FROM ticket k "
                "WHERE k.window_id = w.id AND k.status IN ('waiting', 'called', 'serving')) "
                "ORDER BY w.number LIMIT 1")
    index = windows.index(free)

    main = s.log_in("clerk", "Clerk2024")
    t.ok(s.title(main) == s.page_title("Reception"),
         "logged in by typing: the main window shows the desk", s.title(main))

    # The form has the focus: type, paste, Enter on to the next field. Half-way through the name
    # the clerk locks the window (Ctrl+L) and unlocks it by typing the password: the typing goes on
    # in the same field.
    s.paste(NAME[:2])
    locked = s.tr("%s — %s") % (s.tr("Locked"), s.centre)
    s.key("ctrl+l")
    zzx.wait_for(lambda: s.title(main) == locked, "Ctrl+L to lock")
    s.settle()
    s.type("Clerk2024")
    s.key("Return")
    zzx.wait_for(lambda: s.title(main) == s.page_title("Reception"), "the password to unlock")
    s.settle()
    s.paste(NAME[2:])
    s.key("Return")
    s.type(PHONE)
    s.key("Return")
    s.key("Return")          # ID number: optional
    s.key("Return")          # people: 1
    s.choose("Down")         # category: the second
    s.choose(*["Down"] * index)
    s.paste(PURPOSE)
    s.key("Return")          # Enter in the last field registers

    zzx.wait_for(lambda: s.q1("SELECT count(*) FROM visit WHERE deleted = 0") > visits0,
                 "the visit to be saved")
    row = s.q("SELECT p.name, p.phone, v.purpose, v.category, k.window_id, k.status, k.id "
              "FROM visit v JOIN person p ON p.id = v.person_id JOIN ticket k ON k.visit_id = v.id "
              "ORDER BY v.rowid DESC LIMIT 1")[0]
    t.ok(row[0] == NAME, "the name pasted into the first field, before and after locking, is the visitor's",
         row)
    t.ok(row[1] == PHONE, "Enter moved to the phone field", row)
    t.ok(row[2] == PURPOSE, "Enter moved on to the purpose, and registered from there", row)
    t.ok(bool(row[3]), "a category was taken with ↓ and Enter", row)
    t.ok(row[4] == free, "the window taken with ↓ is the one the list showed there", row)
    t.ok(row[5] == "waiting", "the new ticket waits", row)
    ticket = row[6]
    s.settle()
    s.screenshot("real-desk-registered.png")

    s.key("F5")
    zzx.wait_for(lambda: s.q1("SELECT status FROM ticket WHERE id = ?", ticket) == "called",
                 "F5 to call the visitor")
    t.ok(True, "F5 called the next visitor at the window")
    s.settle()

    # Ctrl+P: the print dialog; the printer that writes a file, then Print (Alt+P).
    s.key("ctrl+p")
    dialog = s.window(exclude=(main,))
    s.settle()
    s.after(lambda: s.key("Down"), "the printer list to take the focus")
    s.after(lambda: s.key("space"), "the file printer to be chosen")
    s.key("alt+p")
    pdfs = zzx.wait_for(lambda: [p for p in glob.glob(os.path.join(s.cwd, "*.pdf"))
                                  if os.path.getsize(p) > 0], "the ticket PDF")
    zzx.wait_for(lambda: dialog not in s.windows(), "the print dialog to close")
    out = os.path.join(s.tmp, "page")
    r = subprocess.run(["pdftoppm", "-r", "72", "-png", pdfs[0], out], capture_output=True, text=True)
    t.ok(r.returncode == 0 and not r.stderr.strip(), "Ctrl+P printed the ticket to a PDF that renders",
         r.stderr)
    pages = glob.glob(out + "*.png")
    t.ok(len(pages) == 1, "one page", pages)
    label = "%02d-%03d" % s.q("SELECT w.number, k.number FROM ticket k JOIN window w ON w.id = k.window_id "
                              "WHERE k.id = ?", ticket)[0]
    r = subprocess.run(["pdftotext", pdfs[0], "-"], capture_output=True, text=True)
    t.ok(label in r.stdout, f"the printed ticket is number {label}", r.stdout[:300])


if __name__ == "__main__":
    sys.exit(zzx.run(test, width=1366, height=768, name="real-desk"))
