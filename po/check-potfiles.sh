#!/bin/sh
# Every source file with translatable strings is listed in po/POTFILES.in,
# every listed file exists, and the POT can be made from the list without a
# warning (a msgid cut by a format macro, a bad plural).
# Usage: check-potfiles.sh SOURCE_ROOT XGETTEXT
set -u
top=$1
xgettext=$2
list="$top/po/POTFILES.in"
status=0

listed () { grep -v '^#' "$list" | grep -qx "$1"; }

# Files that use the gettext macros, or ui files that mark strings.
for f in $(cd "$top" && grep -lE '\b(_|N_|C_|NC_)\(|g_dngettext|g_dpgettext2' src/*.c src/*.h 2>/dev/null) \
         $(cd "$top" && grep -l 'translatable="yes"' ui/*.ui 2>/dev/null) \
         $(cd "$top" && ls data/*.desktop.in data/*.metainfo.xml data/*.gschema.xml 2>/dev/null); do
  if ! listed "$f"; then
    echo "po/POTFILES.in does not list $f, which has translatable strings"
    status=1
  fi
done

for f in $(grep -v '^#' "$list" | grep -v '^$'); do
  if [ ! -f "$top/$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

# The keywords and flags of meson's 'glib' preset (po/meson.build).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! out=$("$xgettext" --directory="$top" --files-from="$list" --from-code=UTF-8 \
      --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --flag=g_snprintf:3:c-format --output="$tmp/maphex.pot" 2>&1); then
  echo "the POT cannot be made:"
  echo "$out"
  status=1
elif printf '%s\n' "$out" | grep -q warning; then
  echo "making the POT warns:"
  echo "$out"
  status=1
elif [ "$(grep -c '^msgid ' "$tmp/maphex.pot")" -lt 100 ]; then
  echo "the POT holds too few messages: $(grep -c '^msgid ' "$tmp/maphex.pot")"
  status=1
fi
[ $status -eq 0 ] && echo "po/POTFILES.in lists every file with translatable strings; the POT has $(grep -c '^msgid ' "$tmp/maphex.pot") messages"
exit $status
