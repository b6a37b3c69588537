#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Reads an .xlsx with an independent reader (openpyxl) and prints what a spreadsheet user sees as
# JSON: per sheet its name, frozen cell, column widths and cells (value, number format, bold).
import datetime
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed", file=sys.stderr)
    sys.exit(77)

book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": [], "title": book.properties.title}
for ws in book.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for cell in row:
            v = cell.value
            kind = type(v).__name__
            if isinstance(v, datetime.datetime):
                v = v.strftime("%Y-%m-%d %H:%M")
            elif isinstance(v, datetime.date):
                v = v.strftime("%Y-%m-%d")
            cells.append({"v": v, "t": kind, "fmt": cell.number_format, "bold": bool(cell.font and cell.font.b)})
        rows.append(cells)
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    out["sheets"].append({"name": ws.title, "freeze": ws.freeze_panes, "widths": widths, "rows": rows,
                          "autofilter": ws.auto_filter.ref})
json.dump(out, sys.stdout, ensure_ascii=False)
