#!/bin/sh
# Writes the database of a release for the upgrade test (tests/store/test-upgrade.c): run it with
# the zongzhi-cli built from that release's commit, then commit the two files it writes.
#   tests/data/upgrade/make-fixture.sh BUILD/src/zongzhi-cli VERSION
# The demo county (泸溪县) with 40 cases, risk households, a township enrolled whose bundles it
# imported (peers, a field with two competing values, a refused change), on a fixed day.
set -eu
cli="$1"
version="$2"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

TZ=Asia/Shanghai "$cli" --db "$tmp/zongzhi.db" demo --sync --cases 40 --stats-cases 0 --day 2026-11-16 >/dev/null
# (the node key is not kept: keys are never committed, and the database opens without it)
# the CLI closed the database: its write-ahead log is checkpointed into the file and removed
test ! -e "$tmp/zongzhi.db-wal"
gzip -9 -n -c "$tmp/zongzhi.db" >"$here/zongzhi-$version.db.gz"
echo "wrote $here/zongzhi-$version.db.gz"
