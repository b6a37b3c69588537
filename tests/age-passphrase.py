#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs Debian's age with a passphrase: age reads one only from a terminal, so it runs in a
# pseudo-terminal and each prompt is answered.  Usage: age-passphrase.py PASSPHRASE age ARGS...
import os
import pty
import sys

pw = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen = b''
answered = 0
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    seen += data
    if seen.lower().count(b'passphrase') > answered:
        answered += 1
        os.write(fd, pw + b'\n')
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
