#!/bin/sh
# `meson install` into a temporary directory puts every file where GNOME
# looks for it: the program, the desktop file (opening files by URI), the
# AppStream metainfo, the icons, the settings schema (compiled, as the
# post-install step does) and a catalogue per language in po/LINGUAS.
# Usage: check-install.sh BUILD_DIR SOURCE_ROOT PREFIX BINDIR DATADIR LOCALEDIR APP_ID
set -u
build=$1 top=$2 prefix=$3 bindir=$4 datadir=$5 localedir=$6 app_id=$7
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
status=0

if ! out=$(meson install -C "$build" --destdir "$dest" --no-rebuild --quiet 2>&1); then
  echo "meson install failed:"
  echo "$out"
  exit 1
fi

case $bindir in /*) ;; *) bindir=$prefix/$bindir ;; esac
case $datadir in /*) ;; *) datadir=$prefix/$datadir ;; esac
case $localedir in /*) ;; *) localedir=$prefix/$localedir ;; esac
root=$dest

need () {
  if [ ! -s "$root$1" ]; then
    echo "not installed: $1"
    status=1
  fi
}

need "$bindir/maphex"
need "$datadir/applications/$app_id.desktop"
need "$datadir/metainfo/$app_id.metainfo.xml"
need "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
need "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
need "$datadir/glib-2.0/schemas/$app_id.gschema.xml"

for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
  need "$localedir/$lang/LC_MESSAGES/maphex.mo"
done

desktop=$root$datadir/applications/$app_id.desktop
if [ -f "$desktop" ]; then
  grep -q '^Exec=maphex %U$' "$desktop" || { echo "the desktop file does not open URIs (Exec=maphex %U)"; status=1; }
  grep -q '^MimeType=.*application/octet-stream;' "$desktop" || { echo "the desktop file claims no MIME type"; status=1; }
  grep -q "^Icon=$app_id\$" "$desktop" || { echo "the desktop file names another icon"; status=1; }
fi

# The schema compiles where it was installed, and the installed program
# starts far enough to print its version.
if command -v glib-compile-schemas >/dev/null; then
  glib-compile-schemas --strict --targetdir="$dest" "$root$datadir/glib-2.0/schemas" ||
    { echo "the installed schema does not compile"; status=1; }
fi
version=$("$root$bindir/maphex" --version 2>&1) || { echo "the installed maphex does not run: $version"; status=1; }
case $version in maphex\ *) ;; *) echo "the installed maphex printed: $version"; status=1 ;; esac

[ $status -eq 0 ] && echo "installed tree complete under $prefix: $(cd "$dest" && find . -type f | wc -l) files"
exit $status
