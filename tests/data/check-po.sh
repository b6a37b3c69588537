#!/bin/sh
# Checks a translation: msgfmt --check passes and no message is untranslated or fuzzy.
#   tests/data/check-po.sh SRCROOT LANG             the .po file as it is
#   tests/data/check-po.sh --sources SRCROOT LANG   merged first with a template freshly extracted
#                                                  from po/POTFILES.in, so that strings added to the
#                                                  code but not yet to the .po count as untranslated
set -eu

sources=no
if [ "${1:-}" = "--sources" ]; then
  sources=yes
  shift
fi
if [ $# -ne 2 ]; then
  echo "usage: $0 [--sources] SRCROOT LANG" >&2
  exit 2
fi
top="$1"
lang="$2"
po="$top/po/$lang.po"

if [ ! -f "$po" ]; then
  echo "$po does not exist" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$sources" = yes ]; then
  # The same keywords as meson's i18n.gettext(preset: 'glib').
  (cd "$top" && xgettext --from-code=UTF-8 --add-comments \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --keyword=ngettext:1,2 \
      --files-from=po/POTFILES.in --directory=. --output="$tmp/template.pot")
  msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$po" "$tmp/template.pot"
  checked="$tmp/merged.po"
  echo "Checking $po against the strings in po/POTFILES.in"
else
  checked="$po"
  echo "Checking $po"
fi

if ! stats="$(msgfmt --check --statistics --output-file=/dev/null "$checked" 2>&1)"; then
  echo "$stats"
  echo "FAIL: msgfmt --check reports errors" >&2
  exit 1
fi
echo "$stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    # List the messages that need work, for whoever translates them.
    msgattrib --only-fuzzy --no-wrap "$checked" 2>/dev/null | grep '^msgid ' | sed 's/^/fuzzy: /' || true
    msgattrib --untranslated --no-wrap "$checked" 2>/dev/null | grep '^msgid ' | sed 's/^/untranslated: /' || true
    echo "FAIL: $lang has untranslated or fuzzy messages" >&2
    exit 1
    ;;
esac
echo "OK"
