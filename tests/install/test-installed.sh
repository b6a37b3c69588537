#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The installed program, as a package installs it: the build staged with `meson install
# --destdir` into a temporary folder, and the staged zongzhi-cli run with nothing in its
# environment but a home folder and a UTF-8 locale (no ZZ_DATADIR, no ZZ_LOCALEDIR, no schema
# dir). It must set up a node from the divisions installed beside it, not from a source tree, and
# print its messages in Chinese from its installed catalog. Speaks TAP.
#   tests/install/test-installed.sh BUILDDIR
set -u

builddir=${1:?usage: test-installed.sh BUILDDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
stage=$tmp/stage
home=$tmp/home
mkdir -p "$home"
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1
  echo "not ok $n - $1"
  [ -f "$tmp/out" ] && sed 's/^/# /' "$tmp/out"
}
# the staged program with an empty environment: a home folder and a UTF-8 locale (a user's
# session has one; in the C locale the Chinese arguments would not convert), nothing else
run () { env -i HOME="$home" LC_ALL=C.UTF-8 "$@" > "$tmp/out" 2>&1; }

echo "1..6"

if meson install -C "$builddir" --no-rebuild --quiet --destdir "$stage" > "$tmp/out" 2>&1; then
  ok "meson install --destdir stages the build"
else
  not_ok "meson install --destdir stages the build"
  exit 1
fi

cli=$(find "$stage" -path '*/bin/zongzhi-cli' -type f | head -n 1)
divisions=$(find "$stage" -path '*/share/zongzhi/divisions' -type d | head -n 1)
missing=""
[ -n "$cli" ] || missing="$missing bin/zongzhi-cli"
[ -n "$divisions" ] && [ -s "$divisions/villages.csv" ] || missing="$missing share/zongzhi/divisions/villages.csv"
for f in share/applications/org.zongzhi.Workbench.desktop share/metainfo/org.zongzhi.Workbench.metainfo.xml \
         share/glib-2.0/schemas/org.zongzhi.Workbench.gschema.xml \
         share/icons/hicolor/scalable/apps/org.zongzhi.Workbench.svg share/locale/zh_CN/LC_MESSAGES/zongzhi.mo; do
  [ -n "$(find "$stage" -path "*/$f" | head -n 1)" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
  ok "the program, its divisions, desktop file, metainfo, schema, icon and zh_CN catalog are installed"
else
  echo "# missing:$missing" > "$tmp/out"
  not_ok "the program, its divisions, desktop file, metainfo, schema, icon and zh_CN catalog are installed"
  exit 1
fi

# Rename one Luxi village in the installed copy only: a node set up from the installed files has
# the new name, one set up from a source tree would not.
marker="安装目录标记村"
sed -i "s/^433122102200,龙溪口村,/433122102200,$marker,/" "$divisions/villages.csv"
if grep -q "^433122102200,$marker," "$divisions/villages.csv"; then
  ok "the installed villages.csv holds the marked village"
else
  not_ok "the installed villages.csv holds the marked village"
fi

if run "$cli" --db "$home/zongzhi.db" init --org-unit 433122 --name 泸溪县综治中心 --password Secret2024x; then
  ok "the staged zongzhi-cli sets up a node with no environment variables"
else
  not_ok "the staged zongzhi-cli sets up a node with no environment variables"
fi

if run "$cli" --db "$home/zongzhi.db" divisions search "$marker" && grep -q "433122102200" "$tmp/out"; then
  ok "the node's divisions come from the installed share/zongzhi/divisions"
else
  not_ok "the node's divisions come from the installed share/zongzhi/divisions"
fi

if run LANGUAGE=zh_CN "$cli" --db "$home/zongzhi.db" keys && grep -q "指纹" "$tmp/out"; then
  ok "the staged zongzhi-cli speaks Chinese from its installed catalog"
else
  not_ok "the staged zongzhi-cli speaks Chinese from its installed catalog"
fi

exit $failed
