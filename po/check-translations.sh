#!/bin/sh
# Every catalogue in po/LINGUAS compiles with `msgfmt --check` (placeholders
# kept, plural forms as the header declares), has its language's
# Plural-Forms (a language this script does not know fails, rather than
# passing unchecked), and makes the built program speak it: `maphex --help` under
# LANGUAGE=xx prints the catalogue's translation of an option's description.
# Untranslated or fuzzy messages (a string added since the last msgmerge)
# are reported, not failed on.
# Usage: check-translations.sh SOURCE_ROOT MAPHEX MSGFMT
set -u
top=$1 maphex=$2 msgfmt=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
probe='Print the version and exit'

for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
  po=$top/po/$lang.po
  if [ ! -f "$po" ]; then
    echo "$lang: po/LINGUAS lists it but po/$lang.po does not exist"
    status=1
    continue
  fi
  case $lang in
    de) want='nplurals=2; plural=(n != 1);' ;;
    fr) want='nplurals=2; plural=(n > 1);' ;;
    *)
      echo "$lang: this test does not know the language's Plural-Forms; add it to the case above"
      status=1
      continue ;;
  esac
  if ! grep -qF "\"Plural-Forms: $want\\n\"" "$po"; then
    echo "$lang: the header's Plural-Forms is not \"$want\""
    status=1
  fi
  mkdir -p "$tmp/$lang/LC_MESSAGES"
  if ! stats=$(LC_ALL=C "$msgfmt" --check --statistics -o "$tmp/$lang/LC_MESSAGES/maphex.mo" "$po" 2>&1); then
    echo "$lang: msgfmt --check fails:"
    echo "$stats"
    status=1
    continue
  fi
  echo "$lang: $stats"
  case $stats in
    *fuzzy*|*untranslated*) echo "WARNING: $lang is incomplete; run msgmerge and translate the new strings" ;;
  esac

  want_text=$(LANGUAGE=$lang LANG=C.UTF-8 LC_ALL= TEXTDOMAINDIR=$tmp gettext -d maphex "$probe")
  if [ "$want_text" = "$probe" ]; then
    echo "$lang: \"$probe\" is not translated, so --help cannot show the language"
    status=1
    continue
  fi
  help=$(LANGUAGE=$lang LANG=C.UTF-8 LC_ALL= MAPHEX_LOCALEDIR=$tmp "$maphex" --help 2>&1)
  if ! printf '%s\n' "$help" | grep -qF -- "$want_text"; then
    echo "$lang: maphex --help under LANGUAGE=$lang does not show \"$want_text\":"
    echo "$help"
    status=1
  fi
done
exit $status
