#!/bin/sh
# The document's translatable strings must be readable by xgettext: a msgid
# split by a macro such as G_GINT64_FORMAT is cut short, and warned about,
# when the .pot is made. Usage: check-msgids.sh XGETTEXT FILE...
set -u
xgettext=$1
shift
# The keywords and flags of meson's 'glib' preset (po/meson.build) that
# matter here.
out=$("$xgettext" --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
        --keyword=g_dngettext:2,3 --flag=g_dngettext:2:pass-c-format \
        --flag=g_strdup_printf:1:c-format --flag=g_error_new:3:c-format \
        --flag=g_set_error:4:c-format --flag=g_snprintf:3:c-format \
        --output=/dev/null "$@" 2>&1) || { echo "$out"; exit 1; }
if printf '%s\n' "$out" | grep -q warning; then
  printf '%s\n' "$out"
  exit 1
fi
echo "xgettext reads every msgid of: $*"
